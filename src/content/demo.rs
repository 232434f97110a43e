//! The demo content embedded in the binary: the kiosk's content when no
//! repository is configured.
//!
//! The authoring source lives in `content/demo/`; `content/demo.catalog.json`
//! is its compiled form, kept current by the `demo_catalog_is_current` test
//! (regenerate with `UPDATE_DEMO_CATALOG=1 cargo test`).

use include_dir::{Dir, include_dir};

use super::AssetSource;
use super::model::Catalog;

/// Path of the demo authoring folder, relative to the crate root.
pub const SOURCE_DIR: &str = "content/demo";

/// Path of the compiled demo catalog, relative to the crate root.
pub const CATALOG_PATH: &str = "content/demo.catalog.json";

static CATALOG_JSON: &[u8] = include_bytes!("../../content/demo.catalog.json");

static ASSETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content/demo/assets");

/// The embedded demo content with its assets.
pub fn content() -> super::LoadedContent {
    super::LoadedContent {
        catalog: catalog(),
        assets: Box::new(DemoAssets),
    }
}

/// The embedded demo catalog.
pub fn catalog() -> Catalog {
    Catalog::from_json(CATALOG_JSON)
        .expect("the embedded demo catalog is checked by the test suite")
}

/// The demo content's assets, embedded next to the catalog.
pub struct DemoAssets;

impl AssetSource for DemoAssets {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let inside = path.strip_prefix("assets/")?;
        ASSETS.get_file(inside).map(|file| file.contents().to_vec())
    }
}
