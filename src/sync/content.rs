//! The active generation of the store as content the UI can show.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::content::{AssetSource, LoadedContent};
use crate::repo::layout::{self, LayoutError};
use crate::store::{FileRef, Store, StoreError};

/// The active generation could not be turned into content.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// A stored file could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored targets do not form a catalog.
    #[error(transparent)]
    Layout(#[from] LayoutError),
}

/// Assets read from the store, verified on every read.
struct StoreAssets {
    blobs: PathBuf,
    files: BTreeMap<String, FileRef>,
}

impl AssetSource for StoreAssets {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let file = self.files.get(path)?;
        let bytes = std::fs::read(self.blobs.join(&file.sha256)).ok()?;
        (crate::store::FileRef::of(&bytes) == *file).then_some(bytes)
    }
}

/// The content of the active generation, or None when the store is empty.
pub fn active_content(store: &Store) -> Result<Option<(String, LoadedContent)>, ContentError> {
    let Some(generation) = store.active() else {
        return Ok(None);
    };
    let mut targets = BTreeMap::new();
    for (path, file) in generation
        .files
        .iter()
        .filter(|(p, _)| p.starts_with(layout::CATALOG_PREFIX))
    {
        targets.insert(path.clone(), store.read(file)?);
    }
    let catalog = layout::join(&targets)?;
    let assets = StoreAssets {
        blobs: store.dir().join("blobs"),
        files: generation.files.clone(),
    };
    Ok(Some((
        generation.version.clone(),
        LoadedContent {
            catalog,
            assets: Box::new(assets),
        },
    )))
}
