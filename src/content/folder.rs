//! An authoring folder shown as it is, without publishing: compiled in
//! memory with the bytes the publisher would sign (`kioskctl preview`,
//! `kiosk emulate --content`).

use std::path::Path;

use chrono::{DateTime, Utc};

use super::LoadedContent;
use super::authoring::{Diagnostics, Draft, InvalidContent, compile_draft};

/// Compiles the folder `root` as of `now` into content to show, with the
/// warnings found; or every error.
pub fn load(
    root: &Path,
    now: DateTime<Utc>,
) -> Result<(LoadedContent, Diagnostics), InvalidContent> {
    load_draft(root, now, &Draft::default())
}

/// [`load`] with `draft` read in place of the files it names.
pub fn load_draft(
    root: &Path,
    now: DateTime<Utc>,
    draft: &Draft,
) -> Result<(LoadedContent, Diagnostics), InvalidContent> {
    let compiled = compile_draft(root, now, draft)?;
    let content = LoadedContent {
        catalog: compiled.catalog,
        assets: Box::new(compiled.assets),
    };
    Ok((content, compiled.diagnostics))
}
