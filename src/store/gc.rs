//! Garbage collection: everything the active and previous generations do
//! not need goes, and nothing they need, even if interrupted.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use super::blobs::is_sha256;
use super::generation::Pointer;
use super::layout::manifest_number;
use super::{Generation, Store, StoreError};

impl Store {
    /// Removes manifests of generations other than the active and previous
    /// ones, blobs neither references, and leftovers of interrupted writes;
    /// returns how many files went. Runs after every commit; safe to
    /// interrupt at any point. Takes the write lock, so it gives
    /// [`StoreError::Busy`] while another process writes a generation.
    pub fn gc(&mut self) -> Result<usize, StoreError> {
        let _lock = self.files.lock(&self.layout.lock())?;
        self.collect()
    }

    /// [`Store::gc`] for a caller holding the write lock.
    pub(super) fn collect(&mut self) -> Result<usize, StoreError> {
        // Keep what the pointer on disk names (what a restart would use)
        // and what this process uses (the same, unless it fell back).
        let in_use: Vec<&Generation> = self.active.iter().chain(&self.previous).collect();
        let mut keep: BTreeSet<u64> = in_use.iter().map(|g| g.number).collect();
        let mut loaded = Vec::new();
        let on_disk = Pointer::load(&self.layout.pointer())?;
        for number in on_disk.into_iter().flat_map(Pointer::numbers) {
            if keep.insert(number) {
                match Generation::load(&self.layout.manifest(number)) {
                    Ok(generation) => loaded.push(generation),
                    // Without its manifest a generation can never be used again.
                    Err(StoreError::Io { source, .. })
                        if source.kind() == std::io::ErrorKind::NotFound => {}
                    // Unsure what it references: remove nothing.
                    Err(error) => return Err(error),
                }
            }
        }
        let referenced: HashSet<&str> = in_use
            .into_iter()
            .chain(&loaded)
            .flat_map(|g| g.files.values())
            .map(|f| f.sha256.as_str())
            .collect();

        // Manifests first, so that no old manifest outlives its blobs.
        let manifests = self.sweep(&self.layout.generations(), |name| {
            manifest_number(name).is_some_and(|n| !keep.contains(&n))
        })?;
        let blobs = self.sweep(&self.layout.blobs(), |name| {
            is_sha256(name) && !referenced.contains(name)
        })?;
        let leftovers = self.sweep(&self.layout.tmp(), |_| true)?;
        for blob in &blobs {
            self.verified.remove(blob);
        }
        tracing::info!(
            manifests = manifests.len(),
            blobs = blobs.len(),
            leftovers = leftovers.len(),
            "garbage collection done"
        );
        Ok(manifests.len() + blobs.len() + leftovers.len())
    }

    /// Removes the files of `folder` whose names `doomed` picks; returns
    /// their names.
    fn sweep(
        &self,
        folder: &Path,
        doomed: impl Fn(&str) -> bool,
    ) -> Result<Vec<String>, StoreError> {
        let mut removed = Vec::new();
        for entry in std::fs::read_dir(folder).map_err(StoreError::io("list", folder))? {
            let entry = entry.map_err(StoreError::io("list", folder))?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if doomed(&name) {
                self.files.remove(&entry.path())?;
                removed.push(name);
            }
        }
        Ok(removed)
    }
}
