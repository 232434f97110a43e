//! The content repository: the catalog as TUF targets, built and signed by
//! the publisher, served by any web server, verified by the kiosk.

pub mod history;
pub mod keys;
pub mod layout;
pub mod publish;
pub mod rotate;

use std::path::{Path, PathBuf};

use crate::content::authoring::InvalidContent;

/// A repository operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The authoring folder has errors.
    #[error(transparent)]
    Content(InvalidContent),
    /// A file operation failed.
    #[error("cannot {op} {path}: {source}")]
    Io {
        /// What was attempted.
        op: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A role key file is missing.
    #[error(
        "no {role} key at {path}: run `kioskctl keygen` or point --keys at the publisher's key folder"
    )]
    MissingKey {
        /// The role.
        role: &'static str,
        /// Where it was expected.
        path: PathBuf,
    },
    /// A key file (or its folder) others can read or change.
    #[error(
        "key {} can be read or changed by others (mode {mode:o}): run `chmod {fix:o} {}`, or use a key nobody else has seen",
        .path.display(),
        .path.display()
    )]
    KeyExposed {
        /// The key file or folder.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
        /// The mode to set.
        fix: u32,
    },
    /// An asset changed between validation and publication.
    #[error("{0} changed while publishing: run publish again")]
    AssetChanged(PathBuf),
    /// A key file could not be used.
    #[error("key {path} cannot sign: {message}")]
    Key {
        /// The key file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The trust anchor has expired: kiosks would refuse everything signed under it.
    #[error(
        "{anchor} expired on {expired}: run `kioskctl rotate-key root` to sign a fresh root.json, then publish"
    )]
    RootExpired {
        /// The trust anchor.
        anchor: PathBuf,
        /// When it expired.
        expired: jiff::Timestamp,
    },
    /// The keys do not belong to this repository.
    #[error(
        "the keys in {keys} do not match the repository's root.json ({anchor}): use the publisher's key folder (--keys), or rotate-key with the current root key"
    )]
    WrongKeys {
        /// The key folder used.
        keys: PathBuf,
        /// The repository's trust anchor.
        anchor: PathBuf,
    },
    /// Key generation failed in the crypto library.
    #[error("cannot generate an Ed25519 key")]
    KeyGeneration,
    /// An expiry date is out of range.
    #[error("metadata lifetime is out of range")]
    Expiry,
    /// The publish time cannot be shown as a calendar date (a clock far out of range).
    #[error("the publish time {0} is out of the calendar's range: check the clock")]
    PublishTime(jiff::Timestamp),
    /// `init` on an existing repository.
    #[error(
        "{0} already holds a repository (root.json exists); use publish, or rotate-key to change keys"
    )]
    AlreadyInitialized(PathBuf),
    /// `publish` before `init`.
    #[error("{0} has no root.json: run `kioskctl init` first")]
    NotInitialized(PathBuf),
    /// Repository metadata that cannot be read.
    #[error("{path} is damaged: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A version to publish again that the repository does not hold.
    #[error(
        "{} has no version {version} to publish again (`kioskctl history --repo {}` lists them)",
        .repo.display(),
        .repo.display()
    )]
    NoSuchVersion {
        /// The version asked for.
        version: u64,
        /// The repository.
        repo: PathBuf,
    },
    /// The TUF library refused (wrong key for a role, bad root, …).
    #[error("TUF: {0}")]
    Tuf(String),
}

impl RepoError {
    fn io(op: &'static str, path: &Path, source: std::io::Error) -> Self {
        RepoError::Io {
            op,
            path: path.to_owned(),
            source,
        }
    }

    fn tuf(error: impl std::fmt::Display) -> Self {
        RepoError::Tuf(error.to_string())
    }
}
