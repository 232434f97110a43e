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

use super::transport::{KioskTransport, TransferStats, TransportSettings};
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
    /// Largest metadata file accepted.
    pub max_metadata_bytes: u64,
    /// Largest target accepted.
    pub max_target_bytes: u64,
    /// Connect timeout of every request.
    pub connect_timeout: Duration,
    /// Longest silence while reading a response.
    pub read_timeout: Duration,
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
            max_metadata_bytes: 16 * 1024 * 1024,
            max_target_bytes: 256 * 1024 * 1024,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(20),
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
        // Hash and size checks run while a target streams, so they arrive
        // wrapped in a transport error: classify by the innermost cause.
        if let E::Transport { .. } = &error {
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
                cause = inner.source();
            }
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

    /// Syncs once. On any error nothing in the store changes.
    pub async fn sync_once(&self, store: &mut Store) -> Result<SyncOutcome, SyncError> {
        let limits = Limits {
            max_root_size: self.settings.max_metadata_bytes,
            max_targets_size: self.settings.max_metadata_bytes,
            max_timestamp_size: self.settings.max_metadata_bytes,
            max_snapshot_size: self.settings.max_metadata_bytes,
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
                missing.push((raw.clone(), name.clone()));
            }
        }
        let downloaded = missing.len();
        let repository = &repository;
        let mut fetches = futures::stream::iter(missing)
            .map(|(raw, name)| async move {
                let stream = repository
                    .read_target(&name)
                    .await
                    .map_err(SyncError::from_tough)?
                    .ok_or_else(|| {
                        SyncError::Malformed(format!("target {raw} is listed but cannot be found"))
                    })?;
                let bytes = stream.into_vec().await.map_err(SyncError::from_tough)?;
                Ok::<_, SyncError>((raw, bytes))
            })
            .buffer_unordered(self.settings.parallel_downloads.max(1));
        while let Some(result) = fetches.next().await {
            let (raw, bytes) = result?;
            generation.add(raw, &bytes)?;
        }
        drop(fetches);

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
