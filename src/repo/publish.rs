//! Building and signing the repository from an authoring folder: standard
//! TUF on disk (`metadata/`, `targets/`, consistent snapshots), readable by
//! any TUF client and signer (tuftool).

use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroU64;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_lc_rs::rand::SystemRandom;
use sha2::{Digest, Sha256};
use tough::editor::RepositoryEditor;
use tough::editor::signed::{PathExists, SignedRole};
use tough::schema::{KeyHolder, RoleKeys, Root, Signed};

use super::RepoError;
use super::history;
use super::keys::{KeyDir, ROLES};
use super::layout;
use crate::content::Catalog;
use crate::content::authoring::{Diagnostic, Diagnostics, Severity, compile_folder};

/// TUF specification version written into metadata.
const SPEC_VERSION: &str = "1.0.0";

/// Where things live in a repository folder.
#[derive(Debug, Clone)]
pub struct RepoPaths {
    root: PathBuf,
}

impl RepoPaths {
    /// A repository in `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        RepoPaths { root: root.into() }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `metadata/`: the signed role files (serve this folder as the metadata URL).
    pub fn metadata(&self) -> PathBuf {
        self.root.join("metadata")
    }

    /// `targets/`: the content-addressed targets (serve this folder as the targets URL).
    pub fn targets(&self) -> PathBuf {
        self.root.join("targets")
    }

    /// `root.json`: the trust anchor to install on kiosks.
    pub fn trust_anchor(&self) -> PathBuf {
        self.root.join("root.json")
    }

    /// The trust anchor of an initialized repository, or
    /// [`RepoError::NotInitialized`] (run `kioskctl init` first).
    pub fn existing_trust_anchor(&self) -> Result<PathBuf, RepoError> {
        let anchor = self.trust_anchor();
        if anchor.is_file() {
            Ok(anchor)
        } else {
            Err(RepoError::NotInitialized(self.root.clone()))
        }
    }

    /// `published-catalog.json`: the last published catalog, for change reports (not served).
    fn last_catalog(&self) -> PathBuf {
        self.root.join("published-catalog.json")
    }

    /// `publish-history.jsonl`: one line per published version (not served).
    pub(super) fn history(&self) -> PathBuf {
        self.root.join("publish-history.jsonl")
    }

    fn staging(&self) -> PathBuf {
        self.root.join(".staging")
    }
}

/// Lifetimes of the signed metadata and the clock to measure them from.
#[derive(Debug, Clone, Copy)]
pub struct PublishOptions {
    /// The publication instant (tests move it to make expired metadata).
    pub now: jiff::Timestamp,
    /// How long `timestamp.json` stays valid: kiosks keep showing content
    /// after that but call it out of date until a fresh one verifies.
    pub timestamp_lifetime: Duration,
    /// How long `snapshot.json` stays valid.
    pub snapshot_lifetime: Duration,
    /// How long `targets.json` stays valid.
    pub targets_lifetime: Duration,
    /// Publish assets that no item uses too (by default they stay private:
    /// a file dropped into `assets/` by mistake is not made public).
    pub include_unused_assets: bool,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            now: jiff::Timestamp::now(),
            timestamp_lifetime: Duration::from_secs(7 * 24 * 3600),
            snapshot_lifetime: Duration::from_secs(30 * 24 * 3600),
            targets_lifetime: Duration::from_secs(90 * 24 * 3600),
            include_unused_assets: false,
        }
    }
}

/// What a publication changed, item by item.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ChangeReport {
    /// New version of the repository metadata.
    pub version: u64,
    /// Items new in this version (`kind/id`).
    pub added: Vec<String>,
    /// Items whose content changed.
    pub changed: Vec<String>,
    /// Items no longer published.
    pub removed: Vec<String>,
    /// Targets written (new bytes), of all targets.
    pub new_targets: usize,
    /// All targets of this version.
    pub total_targets: usize,
    /// Bytes of the new targets: what a kiosk up to date with the previous
    /// version downloads besides the metadata.
    pub new_target_bytes: u64,
    /// Bytes of the signed metadata a kiosk fetches for this version
    /// (timestamp, snapshot, targets). In a [`plan_folder`] plan: the
    /// previous version's, which the new one matches within a few bytes.
    pub metadata_bytes: u64,
}

impl ChangeReport {
    /// What a kiosk up to date with the previous version downloads.
    pub fn download_bytes(&self) -> u64 {
        self.new_target_bytes + self.metadata_bytes
    }
}

/// When a role signed at `now` with `lifetime` expires, in whole seconds:
/// the TUF specification's `expires` format has no fraction
/// (`2030-01-01T00:00:00Z`), and other clients (python-tuf) reject one.
pub(super) fn expiry(
    now: jiff::Timestamp,
    lifetime: Duration,
) -> Result<jiff::Timestamp, RepoError> {
    let span = jiff::SignedDuration::try_from(lifetime).map_err(|_| RepoError::Expiry)?;
    let expires = now.checked_add(span).map_err(|_| RepoError::Expiry)?;
    jiff::Timestamp::from_second(expires.as_second()).map_err(|_| RepoError::Expiry)
}

/// Creates the role keys (where missing) and a new repository whose
/// `root.json` (version 1) trusts them; returns the trust anchor's path.
pub async fn init_repository(
    repo: &RepoPaths,
    keys: &KeyDir,
    root_lifetime: Duration,
) -> Result<PathBuf, RepoError> {
    if repo.trust_anchor().exists() {
        return Err(RepoError::AlreadyInitialized(repo.root().to_owned()));
    }
    keys.generate_missing()?;
    let mut root = Root {
        spec_version: SPEC_VERSION.to_owned(),
        consistent_snapshot: true,
        version: NonZeroU64::MIN,
        expires: expiry(jiff::Timestamp::now(), root_lifetime)?,
        keys: HashMap::new(),
        roles: HashMap::new(),
        _extra: HashMap::new(),
    };
    for role in ROLES {
        let signer = keys
            .source(role)?
            .as_sign()
            .await
            .map_err(|source| RepoError::Key {
                path: keys.path(role),
                message: source.to_string(),
            })?;
        let key = signer.tuf_key();
        let id = key.key_id().map_err(RepoError::tuf)?;
        root.keys.insert(id.clone(), key);
        root.roles.insert(
            role,
            RoleKeys {
                keyids: vec![id],
                threshold: NonZeroU64::MIN,
                _extra: HashMap::new(),
            },
        );
    }
    let holder = KeyHolder::Root(root.clone());
    let signed = SignedRole::new(
        root,
        &holder,
        &[keys.source(tough::schema::RoleType::Root)?],
        &SystemRandom::new(),
    )
    .await
    .map_err(RepoError::tuf)?;
    std::fs::create_dir_all(repo.metadata())
        .map_err(|source| RepoError::io("create", &repo.metadata(), source))?;
    signed
        .write(repo.metadata(), true)
        .await
        .map_err(RepoError::tuf)?;
    std::fs::write(repo.trust_anchor(), signed.buffer())
        .map_err(|source| RepoError::io("write", &repo.trust_anchor(), source))?;
    Ok(repo.trust_anchor())
}

/// Validates and compiles an authoring folder, then publishes it. Content
/// errors come back as [`RepoError::Content`] with every diagnostic.
pub async fn publish_folder(
    content: &Path,
    repo: &RepoPaths,
    keys: &KeyDir,
    options: PublishOptions,
) -> Result<(ChangeReport, Diagnostics), RepoError> {
    let folder = folder_targets(content, options)?;
    let report = publish_targets(&folder.catalog, folder.targets, repo, keys, options).await?;
    Ok((report, folder.diagnostics))
}

/// What [`publish_folder`] would publish now, without signing or writing
/// anything: the change report of the next version, with the bytes kiosks
/// would download.
pub fn plan_folder(
    content: &Path,
    repo: &RepoPaths,
    options: PublishOptions,
) -> Result<(ChangeReport, Diagnostics), RepoError> {
    let folder = folder_targets(content, options)?;
    let mut report = diff(read_last_catalog(repo).as_ref(), &folder.catalog);
    report.version = previous_version(repo)?.saturating_add(1);
    (report.new_targets, report.new_target_bytes) = new_targets(repo, &folder.targets);
    report.total_targets = folder.targets.len();
    report.metadata_bytes = metadata_bytes(repo, report.version - 1);
    Ok((report, folder.diagnostics))
}

/// What an authoring folder compiles to, ready to publish.
struct FolderTargets {
    catalog: Catalog,
    /// The catalog's shards and the assets it uses, by target name.
    targets: BTreeMap<String, Vec<u8>>,
    /// The compiler's warnings.
    diagnostics: Diagnostics,
}

/// Compiles an authoring folder into its targets (assets checked against
/// the compiler's hashes).
fn folder_targets(content: &Path, options: PublishOptions) -> Result<FolderTargets, RepoError> {
    let now = chrono::DateTime::from_timestamp(options.now.as_second(), 0)
        .ok_or(RepoError::PublishTime(options.now))?;
    let mut compiled = compile_folder(content, now).map_err(RepoError::Content)?;
    let mut diagnostics = compiled.diagnostics;
    if !options.include_unused_assets {
        for asset in &compiled.unused_assets {
            compiled.catalog.assets.remove(asset);
            diagnostics.push(Diagnostic {
                file: asset.clone(),
                line: 1,
                column: 1,
                message: "not published: no item uses it (kioskctl publish --include-unused-assets publishes it anyway)".into(),
                severity: Severity::Warning,
            });
        }
    }
    let mut targets = layout::split(&compiled.catalog);
    for (path, asset) in &compiled.catalog.assets {
        let bytes = compiled
            .assets
            .bytes(path)
            .map_err(|source| RepoError::io("read", &content.join(path), source))?;
        // Only what the compiler checked and hashed is published (a file
        // swapped since, for a link out of the folder say, is not).
        if format!("{:x}", Sha256::digest(&bytes)) != asset.sha256 {
            return Err(RepoError::AssetChanged(content.join(path)));
        }
        targets.insert(path.clone(), bytes);
    }
    Ok(FolderTargets {
        catalog: compiled.catalog,
        targets,
        diagnostics,
    })
}

/// How many of `targets` the repository does not hold yet, and their bytes.
fn new_targets(repo: &RepoPaths, targets: &BTreeMap<String, Vec<u8>>) -> (usize, u64) {
    targets
        .iter()
        .filter(|(name, bytes)| {
            !StoredTarget::new(&repo.targets(), name, bytes)
                .specification
                .exists()
        })
        .fold((0, 0), |(count, total), (_, bytes)| {
            (count + 1, total + bytes.len() as u64)
        })
}

/// Bytes of the metadata a kiosk fetches for `version` (0 for none).
fn metadata_bytes(repo: &RepoPaths, version: u64) -> u64 {
    if version == 0 {
        return 0;
    }
    [
        "timestamp.json".to_owned(),
        format!("{version}.snapshot.json"),
        format!("{version}.targets.json"),
    ]
    .iter()
    .filter_map(|name| std::fs::metadata(repo.metadata().join(name)).ok())
    .map(|meta| meta.len())
    .sum()
}

/// Signs and writes a new repository version holding exactly `targets`.
pub async fn publish_targets(
    catalog: &Catalog,
    targets: BTreeMap<String, Vec<u8>>,
    repo: &RepoPaths,
    keys: &KeyDir,
    options: PublishOptions,
) -> Result<ChangeReport, RepoError> {
    publish_version(catalog, targets, repo, keys, options, None).await
}

/// [`publish_targets`], recording in the history that the content is
/// that of version `republished_from` when it is.
pub(super) async fn publish_version(
    catalog: &Catalog,
    targets: BTreeMap<String, Vec<u8>>,
    repo: &RepoPaths,
    keys: &KeyDir,
    options: PublishOptions,
    republished_from: Option<u64>,
) -> Result<ChangeReport, RepoError> {
    let anchor = repo.existing_trust_anchor()?;
    let root = read_root(&anchor)?;
    if root.signed.expires <= options.now {
        return Err(RepoError::RootExpired {
            anchor,
            expired: root.signed.expires,
        });
    }
    let version = previous_version(repo)?.saturating_add(1);
    let version_nz = NonZeroU64::new(version).unwrap_or(NonZeroU64::MIN);

    let staging = repo.staging();
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .map_err(|source| RepoError::io("clear", &staging, source))?;
    }
    let mut editor = RepositoryEditor::new(&anchor)
        .await
        .map_err(RepoError::tuf)?;
    for (name, bytes) in &targets {
        let path = staging.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|source| RepoError::io("create", parent, source))?;
        }
        std::fs::write(&path, bytes).map_err(|source| RepoError::io("write", &path, source))?;
        let (_, target) = RepositoryEditor::build_target(&path)
            .await
            .map_err(RepoError::tuf)?;
        editor
            .add_target(name.as_str(), target)
            .map_err(RepoError::tuf)?;
    }
    editor
        .targets_version(version_nz)
        .map_err(RepoError::tuf)?
        .targets_expires(expiry(options.now, options.targets_lifetime)?)
        .map_err(RepoError::tuf)?
        .snapshot_version(version_nz)
        .snapshot_expires(expiry(options.now, options.snapshot_lifetime)?)
        .timestamp_version(version_nz)
        .timestamp_expires(expiry(options.now, options.timestamp_lifetime)?);
    let signed = editor
        .sign(&keys.all_sources()?)
        .await
        .map_err(|error| match error {
            tough::error::Error::KeysNotFoundInRoot { .. }
            | tough::error::Error::SigningKeysNotFound { .. } => RepoError::WrongKeys {
                keys: keys.dir().to_owned(),
                anchor: anchor.clone(),
            },
            other => RepoError::tuf(other),
        })?;

    std::fs::create_dir_all(repo.targets())
        .map_err(|source| RepoError::io("create", &repo.targets(), source))?;
    let (new_targets, new_target_bytes) = new_targets(repo, &targets);
    for (name, bytes) in &targets {
        let target_name = tough::TargetName::new(name.as_str()).map_err(RepoError::tuf)?;
        let stored = StoredTarget::new(&repo.targets(), target_name.resolved(), bytes);
        signed
            .copy_target(
                &staging.join(name),
                &repo.targets(),
                PathExists::Skip,
                Some(&target_name),
            )
            .await
            .map_err(RepoError::tuf)?;
        stored.link_specification_path()?;
    }
    // Targets first, metadata last: a kiosk never sees metadata naming missing files.
    let timestamp_path = repo.metadata().join("timestamp.json");
    let previous_mtime = std::fs::metadata(&timestamp_path)
        .and_then(|m| m.modified())
        .ok();
    signed
        .write(repo.metadata())
        .await
        .map_err(RepoError::tuf)?;
    if let Some(previous) = previous_mtime {
        advance_mtime(&timestamp_path, previous)?;
    }
    std::fs::remove_dir_all(&staging).map_err(|source| RepoError::io("clear", &staging, source))?;

    let mut report = diff(read_last_catalog(repo).as_ref(), catalog);
    report.version = version;
    report.new_targets = new_targets;
    report.total_targets = targets.len();
    report.new_target_bytes = new_target_bytes;
    report.metadata_bytes = metadata_bytes(repo, version);
    let json = serde_json::to_vec(catalog).unwrap_or_default();
    std::fs::write(repo.last_catalog(), json)
        .map_err(|source| RepoError::io("write", &repo.last_catalog(), source))?;
    history::record(repo, &report, options.now, republished_from)?;
    Ok(report)
}

/// The repository's trust anchor, parsed.
pub(super) fn read_root(anchor: &Path) -> Result<Signed<Root>, RepoError> {
    let bytes = std::fs::read(anchor).map_err(|source| RepoError::io("read", anchor, source))?;
    serde_json::from_slice(&bytes).map_err(|error| RepoError::Corrupt {
        path: anchor.to_owned(),
        message: error.to_string(),
    })
}

/// Version of the current `timestamp.json` (0 for a new repository).
pub fn previous_version(repo: &RepoPaths) -> Result<u64, RepoError> {
    let path = repo.metadata().join("timestamp.json");
    if !path.exists() {
        return Ok(0);
    }
    let bytes = std::fs::read(&path).map_err(|source| RepoError::io("read", &path, source))?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|error| RepoError::Corrupt {
            path: path.clone(),
            message: error.to_string(),
        })?;
    value["signed"]["version"]
        .as_u64()
        .ok_or(RepoError::Corrupt {
            path,
            message: "no signed.version".into(),
        })
}

/// Ordinary web servers derive ETag and Last-Modified from the file's
/// modification second and size: a new `timestamp.json` written in the same
/// second as the old one, with the same size, would be answered 304 and the
/// kiosks would miss the update. Its mtime is moved past the old one's second.
fn advance_mtime(path: &Path, previous: std::time::SystemTime) -> Result<(), RepoError> {
    let second = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    };
    let file = std::fs::File::options()
        .append(true)
        .open(path)
        .map_err(|source| RepoError::io("open", path, source))?;
    let now = file
        .metadata()
        .and_then(|m| m.modified())
        .map_err(|source| RepoError::io("stat", path, source))?;
    if second(now) <= second(previous) {
        let later = std::time::UNIX_EPOCH + Duration::from_secs(second(previous) + 1);
        file.set_modified(later)
            .map_err(|source| RepoError::io("set the time of", path, source))?;
    }
    Ok(())
}

/// Where a consistent-snapshot target is stored. tough writes (and asks
/// for) `HASH.folder/name.ext`; the TUF specification's reference
/// implementation and go-tuf use `folder/HASH.name.ext`. The publisher
/// writes both (one file, two links) so every TUF client finds it.
struct StoredTarget {
    /// tough's path.
    tough: PathBuf,
    /// The specification's path (the same as tough's for names without folders).
    specification: PathBuf,
}

/// Where tough stores the target `name` whose SHA-256 is `hash` (hex).
pub(super) fn stored_target_path(targets: &Path, name: &str, hash: &str) -> PathBuf {
    targets.join(format!("{hash}.{name}"))
}

impl StoredTarget {
    /// `name` is the target's resolved name (no `..`, no leading `/`).
    fn new(targets: &Path, name: &str, bytes: &[u8]) -> Self {
        let hash = format!("{:x}", Sha256::digest(bytes));
        let specification = match name.rsplit_once('/') {
            Some((folder, file)) => targets.join(folder).join(format!("{hash}.{file}")),
            None => targets.join(format!("{hash}.{name}")),
        };
        StoredTarget {
            tough: stored_target_path(targets, name, &hash),
            specification,
        }
    }

    /// Links the specification's path to the file tough wrote.
    fn link_specification_path(&self) -> Result<(), RepoError> {
        if self.specification.exists() {
            return Ok(());
        }
        if let Some(folder) = self.specification.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|source| RepoError::io("create", folder, source))?;
        }
        std::fs::hard_link(&self.tough, &self.specification)
            .map_err(|source| RepoError::io("link", &self.specification, source))
    }
}

fn read_last_catalog(repo: &RepoPaths) -> Option<Catalog> {
    std::fs::read(repo.last_catalog())
        .ok()
        .and_then(|bytes| Catalog::from_json(&bytes).ok())
}

/// Items of a catalog as `kind/id` → JSON, for change reports.
fn items(catalog: &Catalog) -> BTreeMap<String, String> {
    fn add<T: serde::Serialize>(
        out: &mut BTreeMap<String, String>,
        kind: &str,
        items: &[T],
        id: impl Fn(&T) -> &str,
    ) {
        for item in items {
            out.insert(
                format!("{kind}/{}", id(item)),
                serde_json::to_string(item).unwrap_or_default(),
            );
        }
    }
    let mut out = BTreeMap::new();
    add(&mut out, "notice", &catalog.notices, |n| &n.id);
    add(&mut out, "guide", &catalog.guides, |g| &g.id);
    add(&mut out, "document", &catalog.documents, |d| &d.id);
    add(&mut out, "faq", &catalog.faqs, |f| &f.id);
    add(&mut out, "venue", &catalog.venues, |v| &v.id);
    add(&mut out, "channel", &catalog.channels, |c| &c.id);
    out.insert(
        "site".into(),
        serde_json::to_string(&catalog.site).unwrap_or_default(),
    );
    out
}

fn diff(before: Option<&Catalog>, after: &Catalog) -> ChangeReport {
    let old = before.map(items).unwrap_or_default();
    let new = items(after);
    ChangeReport {
        added: new
            .keys()
            .filter(|k| !old.contains_key(*k))
            .cloned()
            .collect(),
        changed: new
            .iter()
            .filter(|(k, v)| old.get(*k).is_some_and(|o| o != *v))
            .map(|(k, _)| k.clone())
            .collect(),
        removed: old
            .keys()
            .filter(|k| !new.contains_key(*k))
            .cloned()
            .collect(),
        ..ChangeReport::default()
    }
}
