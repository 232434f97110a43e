//! The kiosk's TUF client: refreshes the repository's metadata through the
//! kiosk's transport with its limits, keeps the trusted roles as received
//! ([`super::trusted`]), checks each target's name and size, and fetches
//! targets within their deadlines. The sync engine runs it for the catalog
//! and `kiosk tuf-client` runs it for the TUF conformance suite, so both
//! exercise the same path.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tough::{ExpirationEnforcement, IntoVec, Limits, Repository, RepositoryLoader, TargetName};
use url::Url;

use super::error::{SyncError, too_slow};
use super::transport::{KioskTransport, MetadataLimits, TransferStats, TransportSettings};
use super::trusted::TrustedMetadata;
use crate::net::Pace;
use crate::store::{FileRef, StoreError};

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
        Ok(SyncSettings::new(
            base.join("metadata/")?,
            base.join("targets/")?,
            trusted_root,
        ))
    }

    /// Settings with the usual limits for metadata and targets at these
    /// base URLs (each ending with `/`).
    pub fn new(metadata_url: Url, targets_url: Url, trusted_root: Vec<u8>) -> Self {
        SyncSettings {
            metadata_url,
            targets_url,
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
        }
    }
}

/// How far back the clock may have gone since the last update and still be
/// waited out rather than fail the update: time sync corrects a clock by
/// steps of this order, and the TUF conformance suite's faketime starts each
/// run at the same second.
pub const CLOCK_STEP_TOLERANCE: Duration = Duration::from_secs(2);

/// The TUF client of one repository, with its state in one folder.
pub struct TufClient {
    settings: SyncSettings,
    transport: KioskTransport,
    datastore: std::path::PathBuf,
    trusted: TrustedMetadata,
}

impl TufClient {
    /// A client keeping its state in `work_dir`: the trusted roles as
    /// received (`root.json`, `timestamp.json`, `snapshot.json`,
    /// `targets.json`), tough's datastore (`tuf/`) and partial downloads
    /// (`partial/`).
    pub fn new(settings: SyncSettings, work_dir: &Path) -> Result<Self, SyncError> {
        let transport = KioskTransport::new(TransportSettings {
            connect_timeout: settings.connect_timeout,
            read_timeout: settings.read_timeout,
            attempts: 3,
            partial_dir: work_dir.join("partial"),
            metadata_limits: settings.metadata_limits,
            max_target_bytes: settings.max_target_bytes,
            pace: settings.pace,
            trusted_dir: work_dir.to_owned(),
        })
        .map_err(|e| SyncError::Network(e.to_string()))?;
        let datastore = work_dir.join("tuf");
        std::fs::create_dir_all(&datastore).map_err(|source| StoreError::Io {
            op: "create",
            path: datastore.clone(),
            source,
        })?;
        let trusted = TrustedMetadata::new(work_dir.to_owned(), datastore.clone());
        Ok(TufClient {
            settings,
            transport,
            datastore,
            trusted,
        })
    }

    /// The settings the client runs with.
    pub fn settings(&self) -> &SyncSettings {
        &self.settings
    }

    /// Transfer counters of this client.
    pub fn stats(&self) -> Arc<TransferStats> {
        self.transport.stats()
    }

    /// Updates the metadata by the TUF client workflow (root, timestamp,
    /// snapshot, targets) and returns the verified repository. Whatever
    /// the update accepted before it failed stays trusted.
    ///
    /// A clock that went back by less than [`CLOCK_STEP_TOLERANCE`] since
    /// the last update (a time-sync correction) is waited out once;
    /// further back fails with [`SyncError::Clock`].
    pub async fn refresh(&self) -> Result<Repository, SyncError> {
        let (mut loaded, mut kept) = self.load().await;
        if let Err(tough::error::Error::SystemTimeSteppedBackward {
            sys_time,
            latest_known_time,
        }) = &loaded
        {
            let behind = latest_known_time.duration_since(*sys_time).unsigned_abs();
            if behind < CLOCK_STEP_TOLERANCE {
                tokio::time::sleep(behind + Duration::from_millis(10)).await;
                (loaded, kept) = self.load().await;
            }
        }
        let repository = loaded.map_err(SyncError::from_tough)?;
        kept?;
        Ok(repository)
    }

    /// One update by tough, then the trusted copies of what it accepted.
    async fn load(
        &self,
    ) -> (
        Result<Repository, tough::error::Error>,
        Result<(), StoreError>,
    ) {
        let metadata = self.settings.metadata_limits;
        let limits = Limits {
            max_root_size: metadata.root,
            max_targets_size: metadata.targets,
            max_timestamp_size: metadata.timestamp,
            max_snapshot_size: metadata.snapshot,
            max_root_updates: 1024,
        };
        let start_root = self.trusted.root_to_start_from(&self.settings.trusted_root);
        let before = self.trusted.datastore_files();
        let loaded = RepositoryLoader::new(
            &start_root,
            self.settings.metadata_url.clone(),
            self.settings.targets_url.clone(),
        )
        .transport(self.transport.clone())
        .limits(limits)
        .datastore(&self.datastore)
        .expiration_enforcement(ExpirationEnforcement::Safe)
        .load()
        .await;
        let received = self.transport.take_received();
        let kept = self
            .trusted
            .keep(&before, &received, &self.settings.metadata_url, &start_root);
        (loaded, kept)
    }

    /// What the repository says `name` must be, after the kiosk's checks:
    /// a name that stays inside the store and a size within the limit.
    pub fn checked_target(
        &self,
        name: &TargetName,
        target: &tough::schema::Target,
    ) -> Result<FileRef, SyncError> {
        let raw = name.raw();
        check_target_name(raw)?;
        if target.length > self.settings.max_target_bytes {
            return Err(SyncError::Oversize(format!(
                "{raw} is {} bytes (limit {})",
                target.length, self.settings.max_target_bytes
            )));
        }
        Ok(FileRef {
            sha256: hex_lower(&target.hashes.sha256),
            size: target.length,
        })
    }

    /// Fetches one target of `size` bytes, checked against its signed
    /// length and hash, within the deadline its size gives.
    pub async fn fetch_target(
        &self,
        repository: &Repository,
        name: &TargetName,
        size: u64,
    ) -> Result<Vec<u8>, SyncError> {
        let raw = name.raw();
        let fetch = async {
            let stream = repository
                .read_target(name)
                .await
                .map_err(SyncError::from_tough)?
                .ok_or_else(|| {
                    SyncError::Malformed(format!("target {raw} is listed but cannot be found"))
                })?;
            stream.into_vec().await.map_err(SyncError::from_tough)
        };
        let pace = self.settings.pace;
        let deadline = pace.deadline(size);
        tokio::time::timeout(deadline, fetch)
            .await
            .map_err(|_| too_slow(raw, size, deadline, pace))?
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
