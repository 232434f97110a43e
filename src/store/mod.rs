//! The offline cache: content-addressed blobs plus generations.
//!
//! A generation is a complete, verified set of files (catalog targets and
//! assets). The active one is chosen by one atomic rename of the `current`
//! pointer after every blob and the manifest are written and fsynced; the
//! previous generation is kept for fallback; everything else is garbage-
//! collected only after the switch. A crash at any instant leaves either
//! the old or the new generation active, never a mix.
//!
//! ```text
//! <dir>/blobs/<sha256>          file contents, named by their hash
//! <dir>/generations/<n>.json    manifest: path → hash and size
//! <dir>/current                 {"active": n, "previous": m}
//! <dir>/tmp/                    files being written
//! ```

mod files;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use files::{FaultPlan, Files};

/// A file of a generation: its blob's hash and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    /// Lower-case hex SHA-256.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
}

impl FileRef {
    /// The reference of some bytes.
    pub fn of(bytes: &[u8]) -> Self {
        FileRef {
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
        }
    }
}

/// Lower-case hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// A complete set of content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generation {
    /// Local sequence number.
    pub number: u64,
    /// The content version it holds (the repository's version).
    pub version: String,
    /// Files by logical path.
    pub files: BTreeMap<String, FileRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Pointer {
    active: u64,
    previous: Option<u64>,
}

/// A store operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file operation failed (disk full, read-only, permissions …).
    #[error("cannot {op} {path}: {source}")]
    Io {
        /// What was attempted.
        op: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A blob is missing or does not match its hash.
    #[error("{path} is damaged: {message}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A commit named a file whose blob was never written.
    #[error("cannot commit: blob {0} of the new generation is missing")]
    MissingBlob(String),
}

/// Decides whether a file of a store folder is kept by garbage collection.
type KeepRule<'a> = dyn Fn(&str) -> bool + 'a;

/// The content store.
pub struct Store {
    dir: PathBuf,
    files: Files,
    active: Option<Generation>,
    previous: Option<u64>,
    fallback: Option<String>,
}

impl Store {
    /// Opens (creating) a store and verifies its active generation; a
    /// damaged one falls back to the previous generation.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, Files::default())
    }

    /// Opens a store whose file operations follow a fault plan (tests).
    pub fn open_with(dir: &Path, files: Files) -> Result<Store, StoreError> {
        for sub in ["blobs", "generations", "tmp"] {
            let path = dir.join(sub);
            std::fs::create_dir_all(&path).map_err(|source| StoreError::Io {
                op: "create",
                path,
                source,
            })?;
        }
        let mut store = Store {
            dir: dir.to_owned(),
            files,
            active: None,
            previous: None,
            fallback: None,
        };
        let Some(pointer) = store.read_pointer() else {
            return Ok(store);
        };
        match store.load_verified(pointer.active) {
            Ok(generation) => {
                store.active = Some(generation);
                store.previous = pointer.previous;
            }
            Err(error) => {
                store.fallback = Some(format!(
                    "generation {} is damaged ({error})",
                    pointer.active
                ));
                if let Some(previous) = pointer.previous {
                    match store.load_verified(previous) {
                        Ok(generation) => store.active = Some(generation),
                        Err(error) => {
                            store.fallback = Some(format!(
                                "generations {} and {previous} are damaged ({error})",
                                pointer.active
                            ));
                        }
                    }
                }
            }
        }
        Ok(store)
    }

    /// The folder of the store.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The active generation, if any content is stored.
    pub fn active(&self) -> Option<&Generation> {
        self.active.as_ref()
    }

    /// Why the store fell back at opening, if it did.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    fn blob_path(&self, sha256: &str) -> PathBuf {
        self.dir.join("blobs").join(sha256)
    }

    fn manifest_path(&self, number: u64) -> PathBuf {
        self.dir.join("generations").join(format!("{number}.json"))
    }

    fn pointer_path(&self) -> PathBuf {
        self.dir.join("current")
    }

    /// Whether a blob with this hash is stored (not verified).
    pub fn has_blob(&self, sha256: &str) -> bool {
        self.blob_path(sha256).is_file()
    }

    /// Reads a file of a generation, checking its size and hash.
    pub fn read(&self, file: &FileRef) -> Result<Vec<u8>, StoreError> {
        read_blob(&self.blob_path(&file.sha256), file)
    }

    /// Stores bytes as a blob (durably; a no-op when already present).
    pub fn put_blob(&self, bytes: &[u8]) -> Result<FileRef, StoreError> {
        let file = FileRef::of(bytes);
        let path = self.blob_path(&file.sha256);
        if !path.is_file() {
            self.files
                .write_atomic(&self.dir.join("tmp"), &path, bytes)?;
        }
        Ok(file)
    }

    /// Makes a new generation of `files` (whose blobs must be stored) the
    /// active one, keeps the old one as previous, then collects garbage.
    pub fn commit(
        &mut self,
        version: &str,
        files: BTreeMap<String, FileRef>,
    ) -> Result<&Generation, StoreError> {
        if let Some(missing) = files.values().find(|f| !self.has_blob(&f.sha256)) {
            return Err(StoreError::MissingBlob(missing.sha256.clone()));
        }
        let number = self.highest_generation() + 1;
        let generation = Generation {
            number,
            version: version.to_owned(),
            files,
        };
        let manifest = serde_json::to_vec_pretty(&generation).unwrap_or_default();
        let tmp = self.dir.join("tmp");
        self.files
            .write_atomic(&tmp, &self.manifest_path(number), &manifest)?;
        let pointer = Pointer {
            active: number,
            previous: self.active.as_ref().map(|g| g.number),
        };
        let pointer_bytes = serde_json::to_vec(&pointer).unwrap_or_default();
        // The switch: one rename of a fully written, fsynced pointer file.
        self.files
            .write_atomic(&tmp, &self.pointer_path(), &pointer_bytes)?;
        self.previous = pointer.previous;
        self.active = Some(generation);
        self.fallback = None;
        if let Err(error) = self.gc() {
            tracing::warn!(
                "garbage collection after the switch failed (harmless, retried next time): {error}"
            );
        }
        Ok(self
            .active
            .as_ref()
            .unwrap_or_else(|| unreachable!("just set")))
    }

    /// Deletes manifests other than active and previous, blobs none of them
    /// references, and leftovers of interrupted writes. Never runs before a
    /// switch; safe to interrupt at any point.
    pub fn gc(&self) -> Result<usize, StoreError> {
        let keep: BTreeSet<u64> = self
            .active
            .iter()
            .map(|g| g.number)
            .chain(self.previous)
            .collect();
        let mut referenced: BTreeSet<String> = BTreeSet::new();
        for number in &keep {
            if let Ok(generation) = self.load_manifest(*number) {
                referenced.extend(generation.files.values().map(|f| f.sha256.clone()));
            } else {
                // Never delete blobs while a kept manifest cannot be read.
                return Ok(0);
            }
        }
        let kept_manifest = |name: &str| {
            name.strip_suffix(".json")
                .and_then(|n| n.parse::<u64>().ok())
                .is_some_and(|n| keep.contains(&n))
        };
        let kept_blob = |name: &str| referenced.contains(name);
        let nothing = |_: &str| false;
        let folders: [(&str, &KeepRule); 3] = [
            ("generations", &kept_manifest),
            ("blobs", &kept_blob),
            ("tmp", &nothing),
        ];
        let mut removed = 0;
        for (folder, keep_file) in folders {
            let dir = self.dir.join(folder);
            let entries = std::fs::read_dir(&dir).map_err(|source| StoreError::Io {
                op: "list",
                path: dir.clone(),
                source,
            })?;
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !keep_file(&name) {
                    self.files.remove(&entry.path())?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    fn read_pointer(&self) -> Option<Pointer> {
        let bytes = std::fs::read(self.pointer_path()).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn highest_generation(&self) -> u64 {
        let listed = std::fs::read_dir(self.dir.join("generations"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| {
                e.file_name()
                    .to_string_lossy()
                    .strip_suffix(".json")
                    .and_then(|n| n.parse::<u64>().ok())
            })
            .max()
            .unwrap_or(0);
        listed
            .max(self.active.as_ref().map_or(0, |g| g.number))
            .max(self.previous.unwrap_or(0))
    }

    fn load_manifest(&self, number: u64) -> Result<Generation, StoreError> {
        let path = self.manifest_path(number);
        let bytes = std::fs::read(&path).map_err(|source| StoreError::Io {
            op: "read",
            path: path.clone(),
            source,
        })?;
        serde_json::from_slice(&bytes).map_err(|error| StoreError::Damaged {
            path,
            message: error.to_string(),
        })
    }

    fn load_verified(&self, number: u64) -> Result<Generation, StoreError> {
        let generation = self.load_manifest(number)?;
        for file in generation.files.values() {
            self.read(file)?;
        }
        Ok(generation)
    }
}

fn read_blob(path: &Path, file: &FileRef) -> Result<Vec<u8>, StoreError> {
    let bytes = std::fs::read(path).map_err(|source| StoreError::Io {
        op: "read",
        path: path.to_owned(),
        source,
    })?;
    if bytes.len() as u64 != file.size {
        return Err(StoreError::Damaged {
            path: path.to_owned(),
            message: format!("{} bytes instead of {}", bytes.len(), file.size),
        });
    }
    if sha256_hex(&bytes) != file.sha256 {
        return Err(StoreError::Damaged {
            path: path.to_owned(),
            message: "contents do not match the hash".into(),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;
