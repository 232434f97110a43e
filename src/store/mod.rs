//! The offline cache: content-addressed blobs plus generations.
//!
//! A generation is a complete, verified set of files (catalog targets and
//! assets), described by a manifest. The active one is chosen by one atomic
//! rename of the pointer file after every blob and the manifest are written
//! and flushed; the previous generation is kept for fallback; everything
//! else is garbage-collected only after the switch. A crash or power cut at
//! any instant leaves either the old or the new generation active, never a
//! mix, and opening verifies the active generation, falling back to the
//! previous one when it is damaged.
//!
//! ```text
//! <dir>/blobs/<sha256>          file contents, named by their hash
//! <dir>/generations/<n>.json    manifest: version, time, path → hash and size
//! <dir>/current.json            {"active": n, "previous": m}
//! <dir>/tmp/                    files being written
//! <dir>/lock                    held by the process writing a generation
//! ```
//!
//! ```no_run
//! # fn main() -> Result<(), lobby_kiosk::store::StoreError> {
//! use lobby_kiosk::store::Store;
//!
//! let mut store = Store::open("/var/lib/lobby-kiosk/store".as_ref())?;
//! let mut next = store.begin("42")?;
//! next.add("catalog/site.json", br#"{"name": "..."}"#)?;
//! next.add_file("assets/map.png", "/tmp/download/map.png".as_ref())?;
//! let generation = next.commit()?;
//! let site = store.read(&generation.files["catalog/site.json"])?;
//! # let _ = site;
//! # Ok(())
//! # }
//! ```

mod blobs;
mod builder;
mod error;
mod fs;
mod gc;
mod generation;
mod layout;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

pub use blobs::FileRef;
pub use builder::GenerationBuilder;
pub use error::StoreError;
pub use fs::FaultPlan;
pub use generation::Generation;

use fs::Files;
use generation::Pointer;
use layout::Layout;

/// Replaces the file `dest` with `bytes` the way the store writes its own
/// files: a reader sees the old or the new contents, also after a crash or
/// power cut. The temporary file is made beside `dest`.
pub fn replace_file(dest: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let folder = dest.parent().unwrap_or(Path::new("."));
    Files::default().write_atomic(folder, dest, bytes)
}

/// Removes the file `path` durably; one that is already gone is fine.
pub fn remove_file(path: &Path) -> Result<(), StoreError> {
    let files = Files::default();
    files.remove(path)?;
    files.sync_folder(path.parent().unwrap_or(Path::new(".")))
}

/// A content store in one folder.
#[derive(Debug)]
pub struct Store {
    layout: Layout,
    files: Files,
    active: Option<Generation>,
    previous: Option<Generation>,
    fallback: Option<String>,
    /// The pointer as this process last read or wrote it.
    pointer: Option<Pointer>,
    /// Blobs checked or written by this process (garbage collection forgets
    /// the ones it removes).
    verified: HashSet<String>,
}

impl Store {
    /// Opens a store, creating its folders, and verifies the active
    /// generation: every blob present with the right size and hash. A
    /// damaged active generation falls back to the previous one (see
    /// [`Store::fallback_reason`]); when neither is intact no generation is
    /// active. Fails only when the folders cannot be created.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, Files::default())
    }

    /// Opens a store whose writes fail as `plan` says, to test what a
    /// full, read-only or failing disk does.
    pub fn open_with_faults(dir: &Path, plan: FaultPlan) -> Result<Store, StoreError> {
        Store::open_with(dir, Files::with_faults(plan))
    }

    fn open_with(dir: &Path, files: Files) -> Result<Store, StoreError> {
        for folder in Layout::FOLDERS {
            let path = dir.join(folder);
            std::fs::create_dir_all(&path).map_err(StoreError::io("create", path))?;
        }
        let mut store = Store {
            layout: Layout::new(dir),
            files,
            active: None,
            previous: None,
            fallback: None,
            pointer: None,
            verified: HashSet::new(),
        };
        store.load_active();
        Ok(store)
    }

    /// Selects the active generation as the pointer says, verified.
    fn load_active(&mut self) {
        self.active = None;
        self.previous = None;
        self.fallback = None;
        self.pointer = None;
        let pointer = match Pointer::load(&self.layout.pointer()) {
            Ok(Some(pointer)) => pointer,
            Ok(None) => return,
            Err(error) => return self.fall_back(format!("{error}; no content is active")),
        };
        self.pointer = Some(pointer);
        let damage = match self.load_verified(pointer.active) {
            Ok(active) => {
                self.previous = pointer.previous.and_then(|number| match self.load(number) {
                    Ok(previous) => Some(previous),
                    Err(error) => {
                        tracing::warn!("no fallback generation: {error}");
                        None
                    }
                });
                self.active = Some(active);
                return;
            }
            Err(damage) => damage,
        };
        let active = pointer.active;
        let Some(previous) = pointer.previous else {
            return self.fall_back(format!(
                "generation {active} is damaged ({damage}) and there is no previous one"
            ));
        };
        match self.load_verified(previous) {
            Ok(generation) => {
                self.fall_back(format!(
                    "generation {active} is damaged ({damage}); showing generation {previous} \
                     (version {})",
                    generation.version
                ));
                self.active = Some(generation);
            }
            Err(second) => self.fall_back(format!(
                "generations {active} and {previous} are both damaged ({damage}; {second})"
            )),
        }
    }

    fn fall_back(&mut self, reason: String) {
        tracing::warn!("store {}: {reason}", self.layout.dir().display());
        self.fallback = Some(reason);
    }

    /// Catches up with a generation another process switched to since
    /// this one last looked (called with the write lock held).
    fn catch_up(&mut self) {
        if Pointer::load(&self.layout.pointer()).ok().flatten() != self.pointer {
            tracing::info!("another process switched generations; verifying the new one");
            self.load_active();
        }
    }

    /// The manifest of generation `number`, checked to be that generation.
    fn load(&self, number: u64) -> Result<Generation, StoreError> {
        let path = self.layout.manifest(number);
        let generation = Generation::load(&path)?;
        if generation.number != number {
            return Err(StoreError::Damaged {
                path,
                problem: format!("it describes generation {}", generation.number),
            });
        }
        Ok(generation)
    }

    fn load_verified(&mut self, number: u64) -> Result<Generation, StoreError> {
        let generation = self.load(number)?;
        self.verify(&generation)?;
        self.verified
            .extend(generation.files.values().map(|f| f.sha256.clone()));
        Ok(generation)
    }

    /// The folder of the store.
    pub fn dir(&self) -> &Path {
        self.layout.dir()
    }

    /// The active generation (verified when the store was opened or when
    /// it was committed), if any content is stored.
    pub fn active(&self) -> Option<&Generation> {
        self.active.as_ref()
    }

    /// The generation before the active one, kept for fallback; its blobs
    /// are not verified until it is needed (see [`Store::verify`]).
    pub fn previous(&self) -> Option<&Generation> {
        self.previous.as_ref()
    }

    /// Why opening fell back from the generation the pointer names, if it
    /// did; cleared by the next commit.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    /// Checks that every file of `generation` is stored with the right size
    /// and hash; the error names the first one that is not.
    pub fn verify(&self, generation: &Generation) -> Result<(), StoreError> {
        generation
            .files
            .values()
            .try_for_each(|file| blobs::verify(&self.layout.blob(&file.sha256), file))
    }

    /// Reads a stored file, checking its size and hash.
    pub fn read(&self, file: &FileRef) -> Result<Vec<u8>, StoreError> {
        blobs::read(&self.layout.blob(&file.sha256), file)
    }

    /// Whether a blob with this hash is stored. Not verified here: a commit
    /// verifies every blob it did not write itself.
    pub fn has_blob(&self, sha256: &str) -> bool {
        blobs::is_sha256(sha256) && self.layout.blob(sha256).is_file()
    }

    /// Stores bytes as a blob, durably (a no-op when an intact copy is
    /// already stored), for a later [`Store::commit`].
    ///
    /// Prefer [`Store::begin`]: a blob stored here belongs to no generation
    /// until the commit, so another process's garbage collection may remove
    /// it in between (the commit then fails with
    /// [`StoreError::MissingBlob`]).
    pub fn put_blob(&mut self, bytes: &[u8]) -> Result<FileRef, StoreError> {
        self.write_blob(bytes)
    }

    /// Starts a new generation of content version `version`. The builder
    /// holds the store's write lock until it is committed or dropped; a
    /// store being written by another process gives [`StoreError::Busy`].
    pub fn begin(&mut self, version: &str) -> Result<GenerationBuilder<'_>, StoreError> {
        GenerationBuilder::new(self, version)
    }

    /// Makes a generation of `files`, whose blobs are already stored (see
    /// [`Store::put_blob`]), the active one: shorthand for [`Store::begin`],
    /// [`GenerationBuilder::add_stored`] for each file and
    /// [`GenerationBuilder::commit`].
    pub fn commit(
        &mut self,
        version: &str,
        files: BTreeMap<String, FileRef>,
    ) -> Result<Generation, StoreError> {
        let mut builder = self.begin(version)?;
        for (path, file) in files {
            builder.add_stored(path, file);
        }
        builder.commit()
    }
}

#[cfg(test)]
mod tests;
