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
    /// The generation record's creation time is outside chrono's range.
    #[error("the active generation's creation time {0} is out of range")]
    Created(jiff::Timestamp),
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

/// The store's active generation, ready to show.
pub struct ActiveContent {
    /// The repository version it came from.
    pub version: String,
    /// When it became active on this kiosk: the day a visitor is told the
    /// content was updated.
    pub activated: chrono::DateTime<chrono::Utc>,
    /// The content itself.
    pub content: LoadedContent,
}

/// The content of the active generation, or None when the store is empty.
pub fn active_content(store: &Store) -> Result<Option<ActiveContent>, ContentError> {
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
    // A day is all a visitor is told: the time to the second will do.
    let created = generation.created;
    let activated = chrono::DateTime::from_timestamp(created.as_second(), 0)
        .ok_or(ContentError::Created(created))?;
    Ok(Some(ActiveContent {
        version: generation.version.clone(),
        activated,
        content: LoadedContent {
            catalog,
            assets: Box::new(assets),
        },
    }))
}
