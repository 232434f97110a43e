//! Writing a new generation: blobs first, then the manifest, then the
//! switch, then garbage collection.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use super::blobs::{self, is_sha256};
use super::generation::Pointer;
use super::layout::manifest_number;
use super::{FileRef, Generation, Store, StoreError};

/// A generation being written; nothing changes for readers until
/// [`GenerationBuilder::commit`]. Dropping it abandons the generation (its
/// blobs are collected later).
#[derive(Debug)]
pub struct GenerationBuilder<'s> {
    store: &'s mut Store,
    version: String,
    files: BTreeMap<String, FileRef>,
    _lock: File,
}

impl<'s> GenerationBuilder<'s> {
    pub(super) fn new(store: &'s mut Store, version: &str) -> Result<Self, StoreError> {
        let lock = store.files.lock(&store.layout.lock())?;
        store.catch_up();
        Ok(GenerationBuilder {
            store,
            version: version.to_owned(),
            files: BTreeMap::new(),
            _lock: lock,
        })
    }

    /// Whether a blob with this hash is already stored, so that a download
    /// can be skipped in favour of [`GenerationBuilder::add_stored`].
    pub fn has_blob(&self, sha256: &str) -> bool {
        self.store.has_blob(sha256)
    }

    /// Reads a stored blob, checking its hash (see [`Store::read`]).
    pub fn read(&self, file: &FileRef) -> Result<Vec<u8>, StoreError> {
        self.store.read(file)
    }

    /// Adds a file with these contents at the logical `path` (replacing an
    /// earlier file at the same path); its blob is written and flushed now.
    pub fn add(&mut self, path: impl Into<String>, bytes: &[u8]) -> Result<FileRef, StoreError> {
        let file = self.store.write_blob(bytes)?;
        self.files.insert(path.into(), file.clone());
        Ok(file)
    }

    /// Adds the contents of the file `source` at the logical `path`,
    /// streaming: large assets are hashed while they are copied and never
    /// held in memory.
    pub fn add_file(
        &mut self,
        path: impl Into<String>,
        source: &Path,
    ) -> Result<FileRef, StoreError> {
        let file = self.store.write_blob_from(source)?;
        self.files.insert(path.into(), file.clone());
        Ok(file)
    }

    /// Adds a file whose blob is already stored (see
    /// [`GenerationBuilder::has_blob`]); the commit verifies it.
    pub fn add_stored(&mut self, path: impl Into<String>, file: FileRef) {
        self.files.insert(path.into(), file);
    }

    /// Makes the generation the active one and keeps the old active one as
    /// the previous, then collects garbage. Every blob is verified (or was
    /// written by this process) and flushed, and the manifest written and
    /// flushed, before one rename of the pointer switches; on any error the
    /// old generation stays active. Errors after the switch (making it
    /// durable, collecting garbage) are only logged: the new generation is
    /// active then, and both it and the old one are complete. A damaged
    /// blob found here is removed so that the next attempt stores it again.
    pub fn commit(self) -> Result<Generation, StoreError> {
        let GenerationBuilder {
            store,
            version,
            files,
            _lock,
        } = self;
        for file in files.values() {
            store.check_blob(file)?;
        }
        // Blobs written by a process killed before it synced their folder
        // are made durable before anything refers to them.
        store.files.sync_folder(&store.layout.blobs())?;
        let number = store.next_number()?;
        let generation = Generation {
            number,
            version,
            created: jiff::Timestamp::now(),
            files,
        };
        let tmp = store.layout.tmp();
        store
            .files
            .write_atomic(&tmp, &store.layout.manifest(number), &generation.to_json())?;
        let pointer = Pointer {
            active: number,
            previous: store.active.as_ref().map(|g| g.number),
        };
        let pointer_path = store.layout.pointer();
        let (next, _) = store.files.write_temp(
            &tmp,
            &mut pointer.to_json().as_slice(),
            &pointer_path,
            Some(&pointer_path),
        )?;
        // The switch: one rename of a complete, flushed pointer file.
        store.files.rename(&next, &pointer_path)?;
        tracing::info!(
            generation = number,
            version = %generation.version,
            files = generation.files.len(),
            "switched to the new generation"
        );
        store.pointer = Some(pointer);
        store.previous = store.active.replace(generation.clone());
        store.fallback = None;
        match store.files.sync_folder(store.layout.dir()) {
            Ok(()) => {
                if let Err(error) = store.collect() {
                    tracing::warn!(
                        "garbage collection after the switch failed (retried next time): {error}"
                    );
                }
            }
            // After a power cut the old generation may be the active one
            // again: keep everything it needs until a later commit.
            Err(error) => tracing::warn!(
                "the switch may not survive a power cut ({error}); garbage collection waits"
            ),
        }
        Ok(generation)
    }
}

impl Store {
    /// Checks that an intact copy of `file` is stored (remembering the
    /// answer); removes a damaged copy so that it can be stored again.
    fn check_blob(&mut self, file: &FileRef) -> Result<(), StoreError> {
        if !is_sha256(&file.sha256) {
            return Err(StoreError::MissingBlob(file.sha256.clone()));
        }
        let path = self.layout.blob(&file.sha256);
        if self.verified.contains(&file.sha256)
            && std::fs::metadata(&path).is_ok_and(|m| m.len() == file.size)
        {
            return Ok(());
        }
        match blobs::verify(&path, file) {
            Ok(()) => {
                self.verified.insert(file.sha256.clone());
                Ok(())
            }
            Err(StoreError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                Err(StoreError::MissingBlob(file.sha256.clone()))
            }
            Err(damaged @ StoreError::Damaged { .. }) => {
                self.files.remove(&path)?;
                Err(damaged)
            }
            Err(error) => Err(error),
        }
    }

    /// Stores bytes as a blob unless an intact copy is there.
    pub(super) fn write_blob(&mut self, bytes: &[u8]) -> Result<FileRef, StoreError> {
        let file = FileRef::of(bytes);
        if self.check_blob(&file).is_err() {
            let path = self.layout.blob(&file.sha256);
            self.files.write_atomic(&self.layout.tmp(), &path, bytes)?;
            self.verified.insert(file.sha256.clone());
        }
        Ok(file)
    }

    /// Stores the contents of the file `source` as a blob.
    fn write_blob_from(&mut self, source: &Path) -> Result<FileRef, StoreError> {
        let mut reader = File::open(source).map_err(StoreError::io("read", source))?;
        let (tmp, file) = self
            .files
            .write_temp(&self.layout.tmp(), &mut reader, source, None)?;
        if self.check_blob(&file).is_ok() {
            self.files.remove(&tmp)?;
        } else {
            self.files.persist(&tmp, &self.layout.blob(&file.sha256))?;
            self.verified.insert(file.sha256.clone());
        }
        Ok(file)
    }

    /// A number higher than any generation's in use or on disk.
    fn next_number(&self) -> Result<u64, StoreError> {
        let folder = self.layout.generations();
        let mut highest = self
            .active
            .iter()
            .chain(&self.previous)
            .map(|g| g.number)
            .max()
            .unwrap_or(0);
        if let Ok(Some(pointer)) = Pointer::load(&self.layout.pointer()) {
            highest = highest.max(pointer.numbers().max().unwrap_or(0));
        }
        for entry in std::fs::read_dir(&folder).map_err(StoreError::io("list", &folder))? {
            let entry = entry.map_err(StoreError::io("list", &folder))?;
            if let Some(number) = entry.file_name().to_str().and_then(manifest_number) {
                highest = highest.max(number);
            }
        }
        Ok(highest + 1)
    }
}
