//! The authoring folder on disk, read so that nothing outside it gets in:
//! a symbolic link is followed only when it stays inside the folder, and
//! only regular files are read (a named pipe would block the reader
//! forever, a device would read without end). The publisher publishes
//! only the bytes the compiler read and hashed.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a path in the content folder is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A symbolic link (of the file or a folder above it) that leads out.
    #[error(
        "symbolic link to {0}, outside the content folder: copy the file into the folder instead (links out of it are never read or published)"
    )]
    Outside(PathBuf),
    /// A symbolic link to nothing.
    #[error("symbolic link to {0}, which does not exist")]
    Broken(PathBuf),
    /// A FIFO, socket or device.
    #[error(
        "{0}, not a regular file: remove it (only files and folders belong in the content folder)"
    )]
    Special(&'static str),
}

/// What a path in the folder is, once it is known to be safe to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file.
    File,
    /// A folder.
    Folder,
}

/// A file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Refused for what it is.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The system refused.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// The content folder.
#[derive(Debug, Clone)]
pub struct ContentFolder {
    /// Where it really is (symbolic links of the path itself resolved).
    canonical: PathBuf,
}

impl ContentFolder {
    /// The folder at `root`; an error in words when there is none.
    pub fn open(root: &Path) -> Result<Self, String> {
        match std::fs::metadata(root) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => {
                return Err(format!(
                    "{} is not a folder: give the content folder",
                    root.display()
                ));
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!(
                    "the content folder {} does not exist (check the path)",
                    root.display()
                ));
            }
            Err(error) => {
                return Err(format!(
                    "cannot open the content folder {}: {error}",
                    root.display()
                ));
            }
        }
        let canonical = std::fs::canonicalize(root).map_err(|error| {
            format!("cannot open the content folder {}: {error}", root.display())
        })?;
        Ok(ContentFolder { canonical })
    }

    /// Where `path` really is, if it is inside the folder.
    fn resolve(&self, path: &Path) -> Result<PathBuf, Refusal> {
        match std::fs::canonicalize(path) {
            Ok(resolved) if resolved.starts_with(&self.canonical) => Ok(resolved),
            Ok(resolved) => Err(Refusal::Outside(resolved)),
            Err(_) => Err(Refusal::Broken(
                std::fs::read_link(path).unwrap_or_else(|_| path.to_owned()),
            )),
        }
    }

    /// What `path` is: a file or folder inside the content folder, or why
    /// it is refused.
    pub fn classify(&self, path: &Path) -> Result<Kind, Refusal> {
        let resolved = self.resolve(path)?;
        let kind = std::fs::metadata(&resolved)
            .map_err(|_| Refusal::Broken(resolved.clone()))?
            .file_type();
        if kind.is_file() {
            Ok(Kind::File)
        } else if kind.is_dir() {
            Ok(Kind::Folder)
        } else {
            Err(Refusal::Special(special_kind(&kind)))
        }
    }

    /// The inside-the-folder location of a folder, for loop detection.
    pub fn identity(&self, path: &Path) -> Option<PathBuf> {
        self.resolve(path).ok()
    }

    /// Reads a regular file inside the folder.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        if self.classify(path)? != Kind::File {
            return Err(ReadError::Io(std::io::Error::other("it is a folder")));
        }
        let resolved = self.resolve(path)?;
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Whatever replaced the file since it was looked at: no link is
            // followed and no pipe blocks the open.
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let mut file = options.open(&resolved)?;
        let metadata = file.metadata()?;
        if !metadata.is_file() {
            return Err(Refusal::Special(special_kind(&metadata.file_type())).into());
        }
        let mut bytes = Vec::with_capacity(metadata.len().min(64 * 1024 * 1024) as usize);
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// The size of a regular file inside the folder.
    pub fn size(&self, path: &Path) -> Result<u64, ReadError> {
        let resolved = self.resolve(path)?;
        Ok(std::fs::metadata(resolved)?.len())
    }
}

fn special_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device file";
        }
    }
    let _ = kind;
    "a special file"
}
