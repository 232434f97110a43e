//! The repository's published versions: a history line per publication
//! ([`record`], `publish-history.jsonl` beside the metadata, not served),
//! the list of versions with what each changed ([`versions`]), and
//! publishing an earlier version's content again as a new version
//! ([`republish`]).
//!
//! Every version's signed `N.targets.json` stays in `metadata/` and its
//! targets stay in `targets/` (consistent snapshots never overwrite), so an
//! earlier version's content is still all there. Republishing signs it
//! again as version *latest + 1*: kiosks take it as the newest version, and
//! TUF's rollback protection (a kiosk never accepts a version lower than
//! one it has seen) stays intact, which serving the old metadata would break.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::RepoError;
use super::keys::KeyDir;
use super::layout;
use super::publish::{
    ChangeReport, PublishOptions, RepoPaths, previous_version, publish_version, stored_target_path,
};

/// One published version as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedVersion {
    /// The repository version.
    pub version: u64,
    /// When it was signed (None: published before the history was kept).
    pub published_at: Option<DateTime<Utc>>,
    /// Items added, changed and removed against the version before.
    pub added: usize,
    /// Items whose content changed.
    pub changed: usize,
    /// Items no longer published.
    pub removed: usize,
    /// What a kiosk up to date with the version before downloaded.
    pub download_bytes: u64,
    /// The earlier version whose content this one publishes again.
    pub republished_from: Option<u64>,
}

/// Appends the history line of a version just published.
pub(super) fn record(
    repo: &RepoPaths,
    report: &ChangeReport,
    now: jiff::Timestamp,
    republished_from: Option<u64>,
) -> Result<(), RepoError> {
    let line = PublishedVersion {
        version: report.version,
        published_at: DateTime::from_timestamp(now.as_second(), 0),
        added: report.added.len(),
        changed: report.changed.len(),
        removed: report.removed.len(),
        download_bytes: report.download_bytes(),
        republished_from,
    };
    let path = repo.history();
    let mut text = serde_json::to_string(&line).map_err(|error| RepoError::Corrupt {
        path: path.clone(),
        message: error.to_string(),
    })?;
    text.push('\n');
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|source| RepoError::Io {
            op: "append to",
            path,
            source,
        })
}

/// Every version the repository can publish again (its `N.targets.json`
/// is there), newest first, with its history line where there is one.
/// A damaged history line is an error naming the file and line.
pub fn versions(repo: &RepoPaths) -> Result<Vec<PublishedVersion>, RepoError> {
    let mut recorded: BTreeMap<u64, PublishedVersion> = BTreeMap::new();
    let path = repo.history();
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            for (number, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let entry: PublishedVersion =
                    serde_json::from_str(line).map_err(|error| RepoError::Corrupt {
                        path: path.clone(),
                        message: format!("line {}: {error}", number + 1),
                    })?;
                recorded.insert(entry.version, entry);
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(RepoError::Io {
                op: "read",
                path,
                source,
            });
        }
    }
    let latest = previous_version(repo)?;
    Ok((1..=latest)
        .rev()
        .filter(|version| targets_file(repo, *version).is_file())
        .map(|version| {
            recorded.remove(&version).unwrap_or(PublishedVersion {
                version,
                published_at: None,
                added: 0,
                changed: 0,
                removed: 0,
                download_bytes: 0,
                republished_from: None,
            })
        })
        .collect())
}

fn targets_file(repo: &RepoPaths, version: u64) -> std::path::PathBuf {
    repo.metadata().join(format!("{version}.targets.json"))
}

/// The part of `N.targets.json` that names the targets.
#[derive(Deserialize)]
struct TargetsFile {
    signed: TargetsSigned,
}

#[derive(Deserialize)]
struct TargetsSigned {
    targets: BTreeMap<String, TargetEntry>,
}

#[derive(Deserialize)]
struct TargetEntry {
    length: u64,
    hashes: Hashes,
}

#[derive(Deserialize)]
struct Hashes {
    sha256: String,
}

/// Publishes the content of `version` again, as a new version signed with
/// `keys`; returns its change report against the version before it.
pub async fn republish(
    repo: &RepoPaths,
    keys: &KeyDir,
    version: u64,
    options: PublishOptions,
) -> Result<ChangeReport, RepoError> {
    let targets = targets_of(repo, version)?;
    let catalog = layout::join(&targets).map_err(|error| RepoError::Corrupt {
        path: targets_file(repo, version),
        message: format!("its catalog does not join: {error}"),
    })?;
    publish_version(&catalog, targets, repo, keys, options, Some(version)).await
}

/// The targets of `version`, each read from `targets/` and checked against
/// the length and SHA-256 its signed metadata gives.
fn targets_of(repo: &RepoPaths, version: u64) -> Result<BTreeMap<String, Vec<u8>>, RepoError> {
    let path = targets_file(repo, version);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(RepoError::NoSuchVersion {
                version,
                repo: repo.root().to_owned(),
            });
        }
        Err(source) => {
            return Err(RepoError::Io {
                op: "read",
                path,
                source,
            });
        }
    };
    let file: TargetsFile = serde_json::from_slice(&bytes).map_err(|error| RepoError::Corrupt {
        path: path.clone(),
        message: error.to_string(),
    })?;
    let mut targets = BTreeMap::new();
    for (name, entry) in file.signed.targets {
        let stored = stored_target(&repo.targets(), &name, &entry)?;
        targets.insert(name, stored);
    }
    Ok(targets)
}

fn stored_target(targets: &Path, name: &str, entry: &TargetEntry) -> Result<Vec<u8>, RepoError> {
    let hash = entry.hashes.sha256.to_ascii_lowercase();
    let hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex || name.split('/').any(|part| part == ".." || part.is_empty()) {
        return Err(RepoError::Corrupt {
            path: targets.to_owned(),
            message: format!("target `{name}` has a bad name or hash `{hash}`"),
        });
    }
    let path = stored_target_path(targets, name, &hash);
    let io = |source| RepoError::Io {
        op: "read",
        path: path.clone(),
        source,
    };
    // Read no more than the signed length (and one byte to see a longer file).
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|file| {
            file.take(entry.length.saturating_add(1))
                .read_to_end(&mut bytes)
        })
        .map_err(io)?;
    if bytes.len() as u64 != entry.length || format!("{:x}", Sha256::digest(&bytes)) != hash {
        return Err(RepoError::Corrupt {
            path,
            message: "its length or SHA-256 differs from what its version's metadata signed".into(),
        });
    }
    Ok(bytes)
}
