//! An authoring folder shown as it is, without publishing: compiled in
//! memory, its assets read straight from the folder (`kioskctl preview`,
//! `kiosk emulate --content`).

use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};

use super::authoring::{Diagnostics, InvalidContent, compile_folder};
use super::{AssetSource, LoadedContent};

/// Assets read from an authoring folder; paths leaving the folder are refused.
pub struct FolderAssets(PathBuf);

impl FolderAssets {
    /// The assets of the folder `root`.
    pub fn new(root: &Path) -> Self {
        FolderAssets(root.to_owned())
    }
}

impl AssetSource for FolderAssets {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let relative = Path::new(path);
        if !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return None;
        }
        std::fs::read(self.0.join(relative)).ok()
    }
}

/// Compiles the folder `root` as of `now` into content to show, with the
/// warnings found; or every error.
pub fn load(
    root: &Path,
    now: DateTime<Utc>,
) -> Result<(LoadedContent, Diagnostics), InvalidContent> {
    let compiled = compile_folder(root, now)?;
    let content = LoadedContent {
        catalog: compiled.catalog,
        assets: Box::new(FolderAssets::new(root)),
    };
    Ok((content, compiled.diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_stay_inside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.png"), "png").unwrap();
        let assets = FolderAssets::new(dir.path());
        assert_eq!(assets.read("x.png"), Some(b"png".to_vec()));
        assert_eq!(assets.read("../etc/passwd"), None);
        assert_eq!(assets.read("/etc/passwd"), None);
    }
}
