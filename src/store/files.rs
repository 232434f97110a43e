//! The few file operations the store makes, with optional fault injection
//! so tests can prove what a full or failing disk does.

use std::cell::Cell;
use std::io::Write;
use std::path::Path;

use super::StoreError;

/// Fails file writes from the `after`-th on with an OS error (e.g. 28,
/// "No space left on device").
#[derive(Debug, Clone, Copy)]
pub struct FaultPlan {
    /// Writes that succeed before the first failure.
    pub after: u64,
    /// The raw OS error of the failures.
    pub os_error: i32,
}

/// Durable file operations.
#[derive(Debug, Default)]
pub struct Files {
    fault: Option<FaultPlan>,
    writes: Cell<u64>,
}

impl Files {
    /// File operations that fail according to `plan`.
    pub fn with_faults(plan: FaultPlan) -> Self {
        Files {
            fault: Some(plan),
            writes: Cell::new(0),
        }
    }

    fn check_fault(&self, path: &Path) -> Result<(), StoreError> {
        let count = self.writes.get();
        self.writes.set(count + 1);
        match self.fault {
            Some(plan) if count >= plan.after => Err(StoreError::Io {
                op: "write",
                path: path.to_owned(),
                source: std::io::Error::from_raw_os_error(plan.os_error),
            }),
            _ => Ok(()),
        }
    }

    /// Writes `bytes` to `dest` atomically: a temporary file in `tmp_dir`,
    /// fsync, rename over `dest`, fsync of `dest`'s folder.
    pub fn write_atomic(
        &self,
        tmp_dir: &Path,
        dest: &Path,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        self.check_fault(dest)?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = tmp_dir.join(format!("{name}.{}.tmp", std::process::id()));
        let io = |op: &'static str, path: &Path| {
            let path = path.to_owned();
            move |source| StoreError::Io { op, path, source }
        };
        let mut file = std::fs::File::create(&tmp).map_err(io("create", &tmp))?;
        file.write_all(bytes).map_err(io("write", &tmp))?;
        file.sync_all().map_err(io("sync", &tmp))?;
        drop(file);
        std::fs::rename(&tmp, dest).map_err(io("rename into place", dest))?;
        if let Some(parent) = dest.parent() {
            std::fs::File::open(parent)
                .and_then(|dir| dir.sync_all())
                .map_err(io("sync", parent))?;
        }
        Ok(())
    }

    /// Removes a file (already gone is fine).
    pub fn remove(&self, path: &Path) -> Result<(), StoreError> {
        match std::fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(StoreError::Io {
                op: "remove",
                path: path.to_owned(),
                source,
            }),
        }
    }
}
