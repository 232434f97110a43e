//! One verified sync: refresh the TUF metadata, fetch the targets the
//! store lacks (bounded in parallel, each length- and hash-checked by the
//! TUF client), check that they form a catalog, then switch generations.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use futures::StreamExt;
use tough::TargetName;

use super::client::{SyncSettings, TufClient};
use super::error::{SyncError, duration_in_words, too_slow};
use super::transport::TransferStats;
use crate::repo::layout;
use crate::store::{FileRef, Store};

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

/// Runs syncs against one repository into one store.
pub struct SyncEngine {
    client: TufClient,
}

impl SyncEngine {
    /// An engine keeping its TUF state and partial downloads in `work_dir`
    /// (see [`TufClient::new`]).
    pub fn new(settings: SyncSettings, work_dir: &Path) -> Result<Self, SyncError> {
        Ok(SyncEngine {
            client: TufClient::new(settings, work_dir)?,
        })
    }

    /// Transfer counters of this engine.
    pub fn stats(&self) -> Arc<TransferStats> {
        self.client.stats()
    }

    /// Syncs once, within [`SyncSettings::max_sync_time`]. On any error
    /// nothing in the store changes.
    pub async fn sync_once(&self, store: &mut Store) -> Result<SyncOutcome, SyncError> {
        let limit = self.client.settings().max_sync_time;
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
        let repository = self.client.refresh().await?;
        let version = repository.targets().signed.version.get();
        if store
            .active()
            .is_some_and(|g| g.version == version.to_string())
        {
            return Ok(SyncOutcome::UpToDate { version });
        }

        let mut wanted: BTreeMap<String, (TargetName, FileRef)> = BTreeMap::new();
        for (name, target) in repository.all_targets() {
            let file = self.client.checked_target(name, target)?;
            wanted.insert(name.raw().to_owned(), (name.clone(), file));
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
        let settings = self.client.settings();
        let pace = settings.pace;
        let (client, repository) = (&self.client, &repository);
        let mut fetches = futures::stream::iter(missing)
            .map(|(raw, name, size)| async move {
                let bytes = client.fetch_target(repository, &name, size).await?;
                Ok::<_, SyncError>((raw, bytes))
            })
            .buffer_unordered(settings.parallel_downloads.max(1));
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
