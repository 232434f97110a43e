//! Content: the model, the authoring format, cleaning and conversion, and
//! the embedded demo content. Nothing here depends on the UI.

pub mod authoring;
pub mod blocks;
pub mod clean;
pub mod convert;
pub mod demo;
pub mod folder;
pub mod item;
pub mod model;
#[cfg(feature = "emulator")]
pub mod synthetic;
pub mod text;
pub mod time;

pub use item::{ItemKind, ItemRef};
pub use model::Catalog;

/// A catalog with the source of its assets: what the kiosk shows.
pub struct LoadedContent {
    /// The catalog.
    pub catalog: Catalog,
    /// Its assets.
    pub assets: Box<dyn AssetSource + Send>,
}
pub use text::{Lang, Text};

/// Where the bytes of a catalog's assets (`assets/…`) come from: the
/// embedded demo, or the store's active generation.
pub trait AssetSource {
    /// The verified bytes of an asset, or None when it is not available.
    fn read(&self, path: &str) -> Option<Vec<u8>>;
}
