//! One verified sync: refresh the TUF metadata, fetch the targets the
//! store lacks (bounded in parallel, each length- and hash-checked by the
//! TUF client), check that they form a catalog, then switch generations.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tough::{ExpirationEnforcement, IntoVec, Limits, RepositoryLoader, TargetName};
use url::Url;

use super::transport::{KioskTransport, MetadataLimits, Refused, TransferStats, TransportSettings};
use crate::net::{Pace, bytes_in_words};
use crate::repo::layout;
use crate::store::{FileRef, Store, StoreError};

/// Where and how to sync.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// Base URL of `metadata/` (ends with `/`).
    pub metadata_url: Url,
    /// Base URL of `targets/` (ends with `/`).
    pub targets_url: Url,
    /// The trust anchor: the repository's `root.json`, from the kiosk config.
    pub trusted_root: Vec<u8>,
    /// Downloads in flight at once.
    pub parallel_downloads: usize,
    /// Largest metadata file accepted, per role.
    pub metadata_limits: MetadataLimits,
    /// Largest target accepted.
    pub max_target_bytes: u64,
    /// Connect timeout of every request.
    pub connect_timeout: Duration,
    /// Longest silence while reading a response.
    pub read_timeout: Duration,
    /// The slowest a download may be: each file (and all of a sync's
    /// downloads together) must arrive within the deadline this gives for
    /// its length.
    pub pace: Pace,
    /// The longest a whole sync may take, whatever its size.
    pub max_sync_time: Duration,
}

impl SyncSettings {
    /// Settings with the usual limits for a repository at `base` (which
    /// serves `metadata/` and `targets/`).
    pub fn for_base(base: &Url, trusted_root: Vec<u8>) -> Result<Self, url::ParseError> {
        Ok(SyncSettings {
            metadata_url: base.join("metadata/")?,
            targets_url: base.join("targets/")?,
            trusted_root,
            parallel_downloads: 4,
            metadata_limits: MetadataLimits::default(),
            max_target_bytes: 256 * 1024 * 1024,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(20),
            pace: Pace {
                minimum_rate: 8 * 1024,
                grace: Duration::from_secs(30),
            },
            max_sync_time: Duration::from_secs(60 * 60),
        })
    }
}

/// What a successful sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// A new generation is active.
    Updated {
        /// The repository version now shown.
        version: u64,
        /// Targets downloaded (the rest were already stored).
        downloaded: usize,
    },
    /// The repository has nothing newer.
    UpToDate {
        /// The version shown.
        version: u64,
    },
}

/// Why a sync failed; the message is what the status strip and admin panel show.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The repository could not be reached or answered badly.
    #[error("cannot reach the content server: {0}")]
    Network(String),
    /// The server answered 404 for a file the repository must have.
    #[error(
        "the content server has no {0} (404 Not Found): check repository.url in kiosk.toml and that the repository is published there"
    )]
    NotFound(String),
    /// A download or the whole sync took longer than its deadline.
    #[error(
        "the content server is too slow: {0}; the sync stopped and tries again later (the last verified content stays on screen)"
    )]
    TooSlow(String),
    /// The metadata is expired (kiosk offline too long, or a freeze attack).
    #[error(
        "the content server's signed metadata has expired; showing the last verified content until fresh metadata arrives ({0})"
    )]
    Expired(String),
    /// Metadata older than what the kiosk already trusts.
    #[error("rejected an older version of the content (rollback): {0}")]
    Rollback(String),
    /// Signatures do not verify.
    #[error("rejected content that the publisher's keys did not sign: {0}")]
    Signature(String),
    /// A file is not what the signed metadata says.
    #[error("rejected a download that does not match its signed hash or length: {0}")]
    Integrity(String),
    /// A file is larger than allowed.
    #[error("rejected an oversize file: {0}")]
    Oversize(String),
    /// The repository's contents are malformed.
    #[error("the repository is malformed: {0}")]
    Malformed(String),
    /// The store could not take the new content.
    #[error("cannot store the new content: {0}")]
    Store(#[from] StoreError),
}

impl SyncError {
    fn from_tough(error: tough::error::Error) -> Self {
        use tough::error::Error as E;
        let message = error.to_string();
        // Hash and size checks run while a target streams, and the
        // transport's own limits stop a read, so they arrive wrapped in a
        // transport error: classify by the innermost cause.
        if let E::Transport { url, .. } = &error {
            let mut cause: Option<&(dyn std::error::Error + 'static)> =
                std::error::Error::source(&error);
            while let Some(inner) = cause {
                if let Some(tough_error) = inner.downcast_ref::<tough::error::Error>() {
                    match tough_error {
                        E::HashMismatch { .. } => return SyncError::Integrity(message),
                        E::MaxSizeExceeded { .. } => return SyncError::Oversize(message),
                        _ => {}
                    }
                }
                if let Some(refused) = inner.downcast_ref::<Refused>() {
                    return match refused.reason {
                        crate::net::BodyError::TooSlow { .. } => {
                            SyncError::TooSlow(refused.to_string())
                        }
                        _ => SyncError::Oversize(refused.to_string()),
                    };
                }
                if let Some(transport) = inner.downcast_ref::<tough::TransportError>()
                    && transport.kind() == tough::TransportErrorKind::FileNotFound
                {
                    return SyncError::NotFound(url.to_string());
                }
                cause = inner.source();
            }
        }
        if let Some(words) = signature_in_words(&error) {
            return SyncError::Signature(words);
        }
        match error {
            E::ExpiredMetadata { .. } => SyncError::Expired(message),
            E::OlderMetadata { .. }
            | E::VersionMismatch { .. }
            | E::SnapshotRoleRollback { .. }
            | E::OlderSnapshotInTimestamp { .. } => SyncError::Rollback(message),
            E::VerifyMetadata { .. }
            | E::VerifyTrustedMetadata { .. }
            | E::VerifyRoleMetadata { .. } => SyncError::Signature(message),
            E::HashMismatch { .. } | E::TimestampMetaLength { .. } => SyncError::Integrity(message),
            E::MaxSizeExceeded { .. } | E::MaxUpdatesExceeded { .. } => {
                SyncError::Oversize(message)
            }
            E::Transport { .. } => SyncError::Network(message),
            _ => SyncError::Malformed(message),
        }
    }
}

/// Signature failures in words: tough prints some of them as Rust debug
/// structures (a duplicate signature's key id is `Decoded { bytes: [..] }`).
fn signature_in_words(error: &tough::error::Error) -> Option<String> {
    use tough::error::Error as E;
    use tough::schema::Error as S;
    let (role, source) = match error {
        E::VerifyMetadata { role, source, .. } => (role.to_string(), source),
        E::VerifyRoleMetadata { role, source, .. } => (role.clone(), source),
        E::VerifyTrustedMetadata { source, .. } => ("trusted root".to_owned(), source),
        _ => return None,
    };
    match source {
        S::DuplicateKeyId { keyid } => Some(format!(
            "the {role} metadata carries two signatures by the same key{}; each key may sign once (sign it again with kioskctl publish)",
            key_id_in_debug(keyid).map_or_else(String::new, |id| format!(" ({id})"))
        )),
        S::SignatureThreshold {
            threshold, valid, ..
        } => Some(format!(
            "the {role} metadata has {valid} valid signature(s) of the {threshold} its keys require"
        )),
        _ => None,
    }
}

/// The hex key id inside the debug form of tough's `Decoded<Hex>`
/// (`Decoded { bytes: [..], original: "ab12..", .. }`).
fn key_id_in_debug(debug: &str) -> Option<&str> {
    let start = debug.find("original: \"")? + "original: \"".len();
    let id = &debug[start..];
    let end = id.find('"')?;
    Some(&id[..end]).filter(|id| id.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Runs syncs against one repository into one store.
pub struct SyncEngine {
    settings: SyncSettings,
    transport: KioskTransport,
    datastore: PathBuf,
}

impl SyncEngine {
    /// An engine keeping its TUF state and partial downloads in `work_dir`.
    pub fn new(settings: SyncSettings, work_dir: &std::path::Path) -> Result<Self, SyncError> {
        let transport = KioskTransport::new(TransportSettings {
            connect_timeout: settings.connect_timeout,
            read_timeout: settings.read_timeout,
            attempts: 3,
            partial_dir: work_dir.join("partial"),
            metadata_limits: settings.metadata_limits,
            max_target_bytes: settings.max_target_bytes,
            pace: settings.pace,
        })
        .map_err(|e| SyncError::Network(e.to_string()))?;
        let datastore = work_dir.join("tuf");
        std::fs::create_dir_all(&datastore).map_err(|source| StoreError::Io {
            op: "create",
            path: datastore.clone(),
            source,
        })?;
        Ok(SyncEngine {
            settings,
            transport,
            datastore,
        })
    }

    /// Transfer counters of this engine.
    pub fn stats(&self) -> Arc<TransferStats> {
        self.transport.stats()
    }

    /// Syncs once, within [`SyncSettings::max_sync_time`]. On any error
    /// nothing in the store changes.
    pub async fn sync_once(&self, store: &mut Store) -> Result<SyncOutcome, SyncError> {
        let limit = self.settings.max_sync_time;
        tokio::time::timeout(limit, self.sync_within_deadline(store))
            .await
            .unwrap_or_else(|_| {
                Err(SyncError::TooSlow(format!(
                    "the sync did not finish within {}",
                    duration_in_words(limit)
                )))
            })
    }

    async fn sync_within_deadline(&self, store: &mut Store) -> Result<SyncOutcome, SyncError> {
        let metadata = self.settings.metadata_limits;
        let limits = Limits {
            max_root_size: metadata.root,
            max_targets_size: metadata.targets,
            max_timestamp_size: metadata.timestamp,
            max_snapshot_size: metadata.snapshot,
            max_root_updates: 1024,
        };
        let repository = RepositoryLoader::new(
            &self.settings.trusted_root,
            self.settings.metadata_url.clone(),
            self.settings.targets_url.clone(),
        )
        .transport(self.transport.clone())
        .limits(limits)
        .datastore(&self.datastore)
        .expiration_enforcement(ExpirationEnforcement::Safe)
        .load()
        .await
        .map_err(SyncError::from_tough)?;
        let version = repository.targets().signed.version.get();
        if store
            .active()
            .is_some_and(|g| g.version == version.to_string())
        {
            return Ok(SyncOutcome::UpToDate { version });
        }

        let mut wanted: BTreeMap<String, (TargetName, FileRef)> = BTreeMap::new();
        for (name, target) in repository.all_targets() {
            let raw = name.raw().to_owned();
            check_target_name(&raw)?;
            if target.length > self.settings.max_target_bytes {
                return Err(SyncError::Oversize(format!(
                    "{raw} is {} bytes (limit {})",
                    target.length, self.settings.max_target_bytes
                )));
            }
            let sha256 = hex_lower(&target.hashes.sha256);
            wanted.insert(
                raw,
                (
                    name.clone(),
                    FileRef {
                        sha256,
                        size: target.length,
                    },
                ),
            );
        }

        // The builder holds the store's write lock from here to the switch,
        // so no garbage collection removes a blob this sync relies on.
        let mut generation = store.begin(&version.to_string())?;
        let mut missing = Vec::new();
        for (raw, (name, file)) in &wanted {
            if generation.has_blob(&file.sha256) {
                generation.add_stored(raw.clone(), file.clone());
            } else {
                missing.push((raw.clone(), name.clone(), file.size));
            }
        }
        let downloaded = missing.len();
        let total: u64 = missing.iter().map(|(_, _, size)| size).sum();
        let pace = self.settings.pace;
        let repository = &repository;
        let mut fetches = futures::stream::iter(missing)
            .map(|(raw, name, size)| async move {
                let fetch = async {
                    let stream = repository
                        .read_target(&name)
                        .await
                        .map_err(SyncError::from_tough)?
                        .ok_or_else(|| {
                            SyncError::Malformed(format!(
                                "target {raw} is listed but cannot be found"
                            ))
                        })?;
                    stream.into_vec().await.map_err(SyncError::from_tough)
                };
                let deadline = pace.deadline(size);
                let bytes = tokio::time::timeout(deadline, fetch)
                    .await
                    .map_err(|_| too_slow(&raw, size, deadline, pace))??;
                Ok::<_, SyncError>((raw, bytes))
            })
            .buffer_unordered(self.settings.parallel_downloads.max(1));
        // All downloads together keep the same minimum pace.
        let deadline = pace.deadline(total);
        let all = async {
            while let Some(result) = fetches.next().await {
                let (raw, bytes) = result?;
                generation.add(raw, &bytes)?;
            }
            Ok::<_, SyncError>(())
        };
        tokio::time::timeout(deadline, all)
            .await
            .map_err(|_| too_slow("the new content", total, deadline, pace))??;

        let mut catalog_targets = BTreeMap::new();
        for (raw, (_, file)) in wanted
            .iter()
            .filter(|(raw, _)| raw.starts_with(layout::CATALOG_PREFIX))
        {
            catalog_targets.insert(raw.clone(), generation.read(file)?);
        }
        layout::join(&catalog_targets).map_err(|e| SyncError::Malformed(e.to_string()))?;
        generation.commit()?;
        Ok(SyncOutcome::Updated {
            version,
            downloaded,
        })
    }
}

/// The error of a download that missed its deadline.
fn too_slow(what: &str, size: u64, deadline: Duration, pace: Pace) -> SyncError {
    SyncError::TooSlow(format!(
        "{what} ({}) did not arrive within {} (slower than {} per second)",
        bytes_in_words(size),
        duration_in_words(deadline),
        bytes_in_words(pace.minimum_rate)
    ))
}

/// `45 s`, `12 min`, `2 h 5 min`.
fn duration_in_words(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        0..120 => format!("{seconds} s"),
        120..7200 => format!("{} min", seconds / 60),
        _ => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
    }
}

/// Rejects target names that could escape the store or confuse paths.
fn check_target_name(name: &str) -> Result<(), SyncError> {
    let bad = name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(SyncError::Malformed(format!("unsafe target name `{name}`")));
    }
    Ok(())
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_tricks_in_target_names_are_rejected() {
        for name in [
            "../etc/passwd",
            "/abs",
            "a/../b",
            "a//b",
            "a\\b",
            "",
            "catalog/./x",
        ] {
            assert!(check_target_name(name).is_err(), "{name}");
        }
        assert!(check_target_name("catalog/notices/1-000.json").is_ok());
    }
}
