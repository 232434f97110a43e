//! Content addressing: blob references, hashing and verification.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::StoreError;

/// What a generation records of one file: its blob's hash and size.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileRef {
    /// Lower-case hex SHA-256 of the contents; also the blob's file name.
    pub sha256: String,
    /// Length in bytes.
    pub size: u64,
}

impl FileRef {
    /// The reference of some bytes.
    pub fn of(bytes: &[u8]) -> Self {
        let mut hasher = Hasher::default();
        hasher.update(bytes);
        hasher.finish()
    }
}

/// Whether `name` is a lower-case hex SHA-256, the only names blobs have.
pub(super) fn is_sha256(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Hashes and counts bytes fed in pieces.
#[derive(Default)]
pub(super) struct Hasher {
    digest: Sha256,
    size: u64,
}

impl Hasher {
    pub(super) fn update(&mut self, bytes: &[u8]) {
        self.digest.update(bytes);
        self.size += bytes.len() as u64;
    }

    pub(super) fn finish(self) -> FileRef {
        FileRef {
            sha256: format!("{:x}", self.digest.finalize()),
            size: self.size,
        }
    }
}

/// Checks that the blob at `path` holds exactly `file`, without keeping
/// its contents in memory.
pub(super) fn verify(path: &Path, file: &FileRef) -> Result<(), StoreError> {
    check_name(path, file)?;
    let mut reader = std::fs::File::open(path).map_err(StoreError::io("read", path))?;
    let mut hasher = Hasher::default();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => hasher.update(&buffer[..read]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(StoreError::io("read", path)(error)),
        }
    }
    compare(path, &hasher.finish(), file)
}

/// Reads the blob at `path`, checking that it holds exactly `file`.
pub(super) fn read(path: &Path, file: &FileRef) -> Result<Vec<u8>, StoreError> {
    check_name(path, file)?;
    let bytes = std::fs::read(path).map_err(StoreError::io("read", path))?;
    compare(path, &FileRef::of(&bytes), file)?;
    Ok(bytes)
}

fn check_name(path: &Path, file: &FileRef) -> Result<(), StoreError> {
    if is_sha256(&file.sha256) {
        Ok(())
    } else {
        Err(StoreError::Damaged {
            path: path.to_owned(),
            problem: format!("`{}` is not a SHA-256", file.sha256),
        })
    }
}

fn compare(path: &Path, actual: &FileRef, expected: &FileRef) -> Result<(), StoreError> {
    let problem = if actual.size != expected.size {
        format!("{} bytes instead of {}", actual.size, expected.size)
    } else if actual.sha256 != expected.sha256 {
        "its contents do not match their SHA-256".to_owned()
    } else {
        return Ok(());
    };
    Err(StoreError::Damaged {
        path: path.to_owned(),
        problem,
    })
}
