//! Where things live inside a store folder.
//!
//! ```text
//! <dir>/blobs/<sha256>          file contents, named by their hash
//! <dir>/generations/<n>.json    manifest of generation n
//! <dir>/current.json            {"active": n, "previous": m}
//! <dir>/tmp/                    files being written
//! <dir>/lock                    held while a process writes the store
//! ```

use std::path::{Path, PathBuf};

/// The paths of one store folder.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    dir: PathBuf,
}

impl Layout {
    /// The folders every store has, relative to its root.
    pub(super) const FOLDERS: [&str; 3] = ["blobs", "generations", "tmp"];

    pub(super) fn new(dir: &Path) -> Self {
        Layout {
            dir: dir.to_owned(),
        }
    }

    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }

    pub(super) fn blobs(&self) -> PathBuf {
        self.dir.join("blobs")
    }

    /// The blob named `sha256`, which must be a valid hash (see
    /// [`super::blobs::is_sha256`]) so that it cannot name another file.
    pub(super) fn blob(&self, sha256: &str) -> PathBuf {
        self.blobs().join(sha256)
    }

    pub(super) fn generations(&self) -> PathBuf {
        self.dir.join("generations")
    }

    pub(super) fn manifest(&self, number: u64) -> PathBuf {
        self.generations().join(format!("{number}.json"))
    }

    pub(super) fn pointer(&self) -> PathBuf {
        self.dir.join("current.json")
    }

    pub(super) fn tmp(&self) -> PathBuf {
        self.dir.join("tmp")
    }

    pub(super) fn lock(&self) -> PathBuf {
        self.dir.join("lock")
    }
}

/// The generation number a manifest's file name stands for.
pub(super) fn manifest_number(name: &str) -> Option<u64> {
    let number: u64 = name.strip_suffix(".json")?.parse().ok()?;
    (format!("{number}.json") == name).then_some(number)
}
