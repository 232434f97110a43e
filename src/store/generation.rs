//! Generations (manifests) and the pointer that selects the active one.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{FileRef, StoreError};

/// A complete set of content: every file of one content version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generation {
    /// Local sequence number; newer generations have higher numbers.
    pub number: u64,
    /// The content version it holds (the repository's version).
    pub version: String,
    /// When it was committed.
    pub created: jiff::Timestamp,
    /// Files by logical path.
    pub files: BTreeMap<String, FileRef>,
}

impl Generation {
    /// Reads and parses a manifest (blobs are not checked).
    pub(super) fn load(path: &Path) -> Result<Generation, StoreError> {
        let bytes = std::fs::read(path).map_err(StoreError::io("read", path))?;
        serde_json::from_slice(&bytes).map_err(|error| StoreError::Damaged {
            path: path.to_owned(),
            problem: error.to_string(),
        })
    }

    /// The manifest's bytes.
    pub(super) fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("strings, numbers and maps always serialize")
    }
}

/// The contents of `current.json`: which generation is active, and which
/// one to fall back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Pointer {
    pub(super) active: u64,
    pub(super) previous: Option<u64>,
}

impl Pointer {
    /// Reads the pointer; `None` when there is none (nothing committed yet).
    pub(super) fn load(path: &Path) -> Result<Option<Pointer>, StoreError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(StoreError::io("read", path)(error)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|error| StoreError::Damaged {
                path: path.to_owned(),
                problem: error.to_string(),
            })
    }

    /// The generations it names.
    pub(super) fn numbers(self) -> impl Iterator<Item = u64> {
        std::iter::once(self.active).chain(self.previous)
    }

    pub(super) fn to_json(self) -> Vec<u8> {
        serde_json::to_vec(&self).expect("two numbers always serialize")
    }
}
