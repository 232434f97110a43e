//! Safe ids and paths: what the browser names is checked before it becomes
//! a path, every write stays inside the content folder, and every write is
//! atomic (a temporary file in the same folder, renamed over the old one).

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::content::authoring::is_valid_id;

/// A path the console refuses, or a write that failed.
#[derive(Debug, thiserror::Error)]
pub enum PathError {
    /// An id with characters ids may not have (`..`, `/`, capitals…).
    #[error("`{0}` is not an item id: ids use only a–z, 0–9 and '-'")]
    BadId(String),
    /// A relative path that would leave the folder or is not plain.
    #[error("`{0}` is not a file of the content folder")]
    Outside(String),
    /// A file that is not UTF-8 text.
    #[error("{0} is not UTF-8 text: save it as UTF-8 (kioskctl validate says where)")]
    NotText(String),
    /// The file system refused.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file, relative to the content folder.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// An item id that is safe to put in a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemId(String);

impl ItemId {
    /// Checks an id from the browser.
    pub fn parse(id: &str) -> Result<Self, PathError> {
        if is_valid_id(id) {
            Ok(ItemId(id.to_owned()))
        } else {
            Err(PathError::BadId(id.to_owned()))
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The content folder, as the console reads and writes it.
#[derive(Debug, Clone)]
pub struct ContentRoot {
    root: PathBuf,
    canonical: PathBuf,
}

impl ContentRoot {
    /// The folder at `root`, which must exist.
    pub fn open(root: &Path) -> std::io::Result<Self> {
        Ok(ContentRoot {
            root: root.to_owned(),
            canonical: std::fs::canonicalize(root)?,
        })
    }

    /// The folder as given.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The path of a file named relative to the folder (`notices/x.md`):
    /// plain names only (no `..`, no absolute path, no empty part), and its
    /// folder, resolved through any link, inside the content folder.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf, PathError> {
        let outside = || PathError::Outside(relative.to_owned());
        let path = Path::new(relative);
        if relative.is_empty()
            || relative.contains('\\')
            || !path
                .components()
                .all(|component| matches!(component, Component::Normal(_)))
        {
            return Err(outside());
        }
        let file_name = path.file_name().ok_or_else(outside)?;
        let folder = self.root.join(path.parent().ok_or_else(outside)?);
        let real_folder = std::fs::canonicalize(&folder).map_err(|_| outside())?;
        if !real_folder.starts_with(&self.canonical) {
            return Err(outside());
        }
        let target = real_folder.join(file_name);
        // A link in the file's place could lead anywhere: never write through one.
        if target
            .symlink_metadata()
            .is_ok_and(|metadata| !metadata.is_file())
        {
            return Err(outside());
        }
        Ok(target)
    }

    /// The text of a file, None when it does not exist.
    pub fn read(&self, relative: &str) -> Result<Option<String>, PathError> {
        let path = self.resolve(relative)?;
        match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| PathError::NotText(relative.to_owned())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(PathError::Io {
                path: relative.to_owned(),
                source,
            }),
        }
    }

    /// Replaces a file's text atomically: readers see the old file or the
    /// new one, never half of it.
    pub fn write(&self, relative: &str, text: &str) -> Result<(), PathError> {
        let path = self.resolve(relative)?;
        let io = |source| PathError::Io {
            path: relative.to_owned(),
            source,
        };
        let folder = path
            .parent()
            .ok_or_else(|| PathError::Outside(relative.to_owned()))?;
        let mut temporary = tempfile_in(folder).map_err(io)?;
        temporary.file.write_all(text.as_bytes()).map_err(io)?;
        temporary.file.sync_all().map_err(io)?;
        std::fs::rename(&temporary.path, &path).map_err(io)?;
        temporary.kept = true;
        Ok(())
    }

    /// Removes a file (nothing to do when it is gone already).
    pub fn remove(&self, relative: &str) -> Result<(), PathError> {
        let path = self.resolve(relative)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(PathError::Io {
                path: relative.to_owned(),
                source,
            }),
        }
    }
}

/// A new file beside the one it will replace, removed unless renamed.
struct Temporary {
    path: PathBuf,
    file: std::fs::File,
    kept: bool,
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A file `.console-<random>.tmp` created (not opened) in `folder`: the
/// loader skips dot files, so a half-written one is never read as content.
fn tempfile_in(folder: &Path) -> std::io::Result<Temporary> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    let path = folder.join(format!(".console-{}.tmp", super::auth::random_token()?));
    let file = options.open(&path)?;
    Ok(Temporary {
        path,
        file,
        kept: false,
    })
}
