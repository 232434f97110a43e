//! An authoring folder shown as it is, without publishing: compiled in
//! memory with the bytes the publisher would sign (`kioskctl preview`,
//! `kiosk emulate --content`).

use std::path::Path;

use chrono::{DateTime, Utc};

use super::LoadedContent;
use super::authoring::{Diagnostics, InvalidContent, compile_folder};

/// Compiles the folder `root` as of `now` into content to show, with the
/// warnings found; or every error.
pub fn load(
    root: &Path,
    now: DateTime<Utc>,
) -> Result<(LoadedContent, Diagnostics), InvalidContent> {
    let compiled = compile_folder(root, now)?;
    let content = LoadedContent {
        catalog: compiled.catalog,
        assets: Box::new(compiled.assets),
    };
    Ok((content, compiled.diagnostics))
}
