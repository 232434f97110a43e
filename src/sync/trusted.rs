//! The kiosk's trusted TUF metadata, kept as the repository served it.
//!
//! tough verifies each top-level role and records the ones it accepts in
//! its own datastore, in its own serialization, beside its clock file; it
//! never reads its `root.json` back. The kiosk keeps, in its sync folder,
//! the exact bytes of each role tough accepted under the non-versioned
//! names the TUF specification asks a client to persist (`root.json`,
//! `timestamp.json`, `snapshot.json`, `targets.json`), and removes a copy
//! when tough drops the role (after a key rotation, to recover from a
//! fast-forward attack).
//!
//! The next update starts from the newest root kept here, not from the
//! trust anchor in `kiosk.toml` (unless the anchor is newer): a kiosk that
//! started from root v1 and followed the repository to v3 must not go back
//! to v1's keys when a server withholds `2.root.json`, or keys rotated out
//! since would be trusted again. A kiosk pointed at a new repository
//! (`kioskctl init` again, root v1 with new keys) therefore needs its sync
//! folder cleared; docs/deploy.md says so.

use std::collections::HashMap;
use std::path::PathBuf;

use tough::Bytes;
use url::Url;

use crate::store::{self, StoreError};

/// The top-level roles, in the order the TUF client updates them.
const ROLES: [&str; 4] = ["root", "timestamp", "snapshot", "targets"];

/// tough's datastore files of each role ([`ROLES`]) at one moment.
pub(crate) struct DatastoreFiles([Option<Vec<u8>>; 4]);

/// The trusted metadata folder and tough's datastore beside it.
#[derive(Debug, Clone)]
pub(crate) struct TrustedMetadata {
    /// Where the roles are kept as received.
    dir: PathBuf,
    /// tough's datastore.
    datastore: PathBuf,
}

/// The version a metadata file declares, if it parses that far.
pub(crate) fn version_of(bytes: &[u8]) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct Signed {
        version: u64,
    }
    #[derive(serde::Deserialize)]
    struct Metadata {
        signed: Signed,
    }
    serde_json::from_slice::<Metadata>(bytes)
        .ok()
        .map(|metadata| metadata.signed.version)
}

impl TrustedMetadata {
    /// Roles kept in `dir`, tough's datastore in `datastore`.
    pub(crate) fn new(dir: PathBuf, datastore: PathBuf) -> Self {
        TrustedMetadata { dir, datastore }
    }

    fn kept(&self, role: &str) -> PathBuf {
        self.dir.join(format!("{role}.json"))
    }

    /// What tough's datastore holds now, to compare after an update.
    pub(crate) fn datastore_files(&self) -> DatastoreFiles {
        DatastoreFiles(
            ROLES.map(|role| std::fs::read(self.datastore.join(format!("{role}.json"))).ok()),
        )
    }

    /// The root an update starts from: the newest one kept, or `anchor`
    /// (the configured trust anchor) when none is kept or it is newer.
    pub(crate) fn root_to_start_from(&self, anchor: &[u8]) -> Vec<u8> {
        let kept = std::fs::read(self.kept("root")).ok();
        match kept {
            Some(kept) if version_of(&kept) >= version_of(anchor) => kept,
            _ => anchor.to_vec(),
        }
    }

    /// After an update (successful or not), keeps the roles tough accepted
    /// in it as the server sent them. `before` is tough's datastore before
    /// the update, `received` every metadata file the transport handed to
    /// tough during it, `start_root` the root it started from.
    pub(crate) fn keep(
        &self,
        before: &DatastoreFiles,
        received: &HashMap<Url, Bytes>,
        metadata_url: &Url,
        start_root: &[u8],
    ) -> Result<(), StoreError> {
        let now = self.datastore_files();
        for ((role, before), now) in ROLES.iter().zip(&before.0).zip(now.0) {
            let kept = self.kept(role);
            let Some(now) = now else {
                // tough dropped the role (or never had it); the root stays.
                if *role != "root" {
                    store::remove_file(&kept)?;
                }
                continue;
            };
            let current = std::fs::read(&kept).ok();
            if before.as_ref() == Some(&now) && current.is_some() {
                continue;
            }
            let version = version_of(&now);
            let as_received = [
                format!("{}.{role}.json", version.unwrap_or(0)),
                format!("{role}.json"),
            ]
            .iter()
            .filter_map(|name| metadata_url.join(name).ok())
            .filter_map(|url| received.get(&url).map(|bytes| bytes.to_vec()))
            .chain((*role == "root").then(|| start_root.to_vec()))
            .find(|bytes| version.is_some() && version_of(bytes) == version);
            // tough's own copy when the file did not come through this
            // transport (a datastore written by an older kiosk).
            let bytes = as_received.unwrap_or(now);
            if current.as_ref() != Some(&bytes) {
                store::replace_file(&kept, &bytes)?;
            }
        }
        Ok(())
    }
}
