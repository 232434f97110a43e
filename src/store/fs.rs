//! The few file operations that change a store, made durable, with optional
//! fault injection so tests can show what a full or failing disk does.
//!
//! Production goes straight to `std::fs`; a [`FaultPlan`] only adds a
//! counter in front of each operation.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::StoreError;
use super::blobs::{FileRef, Hasher};

/// Makes every file-changing operation of a store fail from the `after`-th
/// one on (counting from 0) with the OS error `os_error`, like a disk that
/// fills up (28, `ENOSPC`), turns read-only (30, `EROFS`) or breaks (5,
/// `EIO`). Counted operations: creating, writing (per chunk), flushing and
/// renaming a file, syncing a folder, removing a file, taking the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultPlan {
    /// Operations that succeed before the first failure.
    pub after: u64,
    /// The raw OS error every later operation fails with.
    pub os_error: i32,
}

/// Durable file operations of one store.
#[derive(Debug, Default)]
pub(super) struct Files {
    fault: Option<FaultPlan>,
    operations: AtomicU64,
}

/// Names temporary files uniquely within the process (the pid separates
/// processes).
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

const CHUNK: usize = 64 * 1024;

impl Files {
    pub(super) fn with_faults(plan: FaultPlan) -> Self {
        Files {
            fault: Some(plan),
            operations: AtomicU64::new(0),
        }
    }

    /// Counts one operation and fails it if the fault plan says so.
    fn step(&self) -> std::io::Result<()> {
        let count = self.operations.fetch_add(1, Ordering::Relaxed);
        match self.fault {
            Some(plan) if count >= plan.after => {
                Err(std::io::Error::from_raw_os_error(plan.os_error))
            }
            _ => Ok(()),
        }
    }

    /// Copies `source` (read from `source_path`) into a new file in
    /// `tmp_dir` and flushes it to disk, hashing on the way. Write errors
    /// name `label` (the file being produced) or else the temporary file;
    /// on error the temporary file is removed.
    pub(super) fn write_temp(
        &self,
        tmp_dir: &Path,
        source: &mut dyn Read,
        source_path: &Path,
        label: Option<&Path>,
    ) -> Result<(PathBuf, FileRef), StoreError> {
        let tmp = tmp_dir.join(format!(
            "{}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let label = label.unwrap_or(&tmp);
        let result = self.copy_into(&tmp, source, source_path, label);
        if result.is_err() {
            // Best effort: garbage collection removes it otherwise.
            let _ = std::fs::remove_file(&tmp);
        }
        result.map(|file| (tmp, file))
    }

    fn copy_into(
        &self,
        tmp: &Path,
        source: &mut dyn Read,
        source_path: &Path,
        label: &Path,
    ) -> Result<FileRef, StoreError> {
        // No live process shares the pid in the name, so a file already
        // there is a leftover of a dead one: overwriting it is fine.
        let mut file = self
            .step()
            .and_then(|()| File::create(tmp))
            .map_err(StoreError::io("write", label))?;
        let mut hasher = Hasher::default();
        let mut buffer = vec![0; CHUNK];
        loop {
            let read = match source.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(StoreError::io("read", source_path)(error)),
            };
            let chunk = &buffer[..read];
            hasher.update(chunk);
            self.step()
                .and_then(|()| file.write_all(chunk))
                .map_err(StoreError::io("write", label))?;
        }
        self.step()
            .and_then(|()| file.sync_all())
            .map_err(StoreError::io("flush", label))?;
        Ok(hasher.finish())
    }

    /// Renames a flushed temporary file over `dest`, then syncs `dest`'s
    /// folder so the new name survives a power cut.
    pub(super) fn persist(&self, tmp: &Path, dest: &Path) -> Result<(), StoreError> {
        self.rename(tmp, dest)?;
        self.sync_folder(dest.parent().unwrap_or(Path::new(".")))
    }

    /// Renames a flushed temporary file over `dest`: readers see the old or
    /// the new contents, never a mix. On error the temporary file is
    /// removed.
    pub(super) fn rename(&self, tmp: &Path, dest: &Path) -> Result<(), StoreError> {
        let renamed = self
            .step()
            .and_then(|()| std::fs::rename(tmp, dest))
            .map_err(StoreError::io("rename into", dest));
        if renamed.is_err() {
            let _ = std::fs::remove_file(tmp);
        }
        renamed
    }

    /// Makes the names of `folder`'s files durable (after renames).
    pub(super) fn sync_folder(&self, folder: &Path) -> Result<(), StoreError> {
        self.step()
            .and_then(|()| File::open(folder)?.sync_all())
            .map_err(StoreError::io("sync folder", folder))
    }

    /// Replaces `dest` with `bytes` atomically: a reader sees the old or
    /// the new contents, also after a crash or power cut.
    pub(super) fn write_atomic(
        &self,
        tmp_dir: &Path,
        dest: &Path,
        mut bytes: &[u8],
    ) -> Result<(), StoreError> {
        let (tmp, _) = self.write_temp(tmp_dir, &mut bytes, dest, Some(dest))?;
        self.persist(&tmp, dest)
    }

    /// Removes a file; one that is already gone is fine.
    pub(super) fn remove(&self, path: &Path) -> Result<(), StoreError> {
        match self.step().and_then(|()| std::fs::remove_file(path)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(StoreError::io("remove", path)(error))
            }
            _ => Ok(()),
        }
    }

    /// Takes the store's write lock without waiting; it is released when
    /// the returned file is dropped (or the process dies).
    pub(super) fn lock(&self, path: &Path) -> Result<File, StoreError> {
        let file = self
            .step()
            .and_then(|()| {
                File::options()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(path)
            })
            .map_err(StoreError::io("lock", path))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Busy(path.to_owned())),
            Err(std::fs::TryLockError::Error(error)) => Err(StoreError::io("lock", path)(error)),
        }
    }
}
