//! What can go wrong in the store, worded for a status line.

use std::path::PathBuf;

/// A store operation that failed. Every variant names the file involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file operation failed: disk full, read-only disk, permissions, I/O
    /// error. Displays as e.g. "cannot write /store/blobs/ab…: No space left
    /// on device (os error 28)".
    #[error("cannot {op} {path}: {source}")]
    Io {
        /// What was attempted ("write", "read", "remove" …).
        op: &'static str,
        /// The file or folder it was attempted on.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A stored file does not hold what it should (wrong size or hash,
    /// unparseable manifest or pointer).
    #[error("{path} is damaged: {problem}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// A new generation names a blob that is not in the store.
    #[error("cannot commit: blob {0} of the new generation is missing")]
    MissingBlob(String),
    /// Another process is writing to the store right now.
    #[error("{0} is held by another process updating the store; try again later")]
    Busy(PathBuf),
}

impl StoreError {
    /// An [`StoreError::Io`] for `op` on `path`, as a `map_err` argument.
    pub(super) fn io(
        op: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| StoreError::Io { op, path, source }
    }
}
