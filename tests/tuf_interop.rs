//! Interoperability with python-tuf, the TUF reference implementation
//! (installed into `target/python-tuf` by `scripts/install-test-deps.sh`),
//! both ways, over nginx:
//!
//! - the kiosk syncs a repository python-tuf built from the same targets,
//!   given only python-tuf's `root.json`, and shows the same catalog;
//! - python-tuf's client reads and verifies every target of a repository
//!   our publisher wrote;
//! - the kiosk also reads the layout tough and tuftool write for target
//!   names with folders (`HASH.catalog/site.json`).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use lobby_kiosk::store::Store;
use lobby_kiosk::sync::content::active_content;
use lobby_kiosk::sync::{SyncEngine, SyncError, SyncOutcome, SyncSettings};
use support::nginx::Nginx;
use support::repo_fixture::Fixture;

/// The virtual environment holding python-tuf.
fn python() -> PathBuf {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/python-tuf/bin/python");
    assert!(
        python.is_file(),
        "{} is missing: run scripts/install-test-deps.sh",
        python.display()
    );
    python
}

/// Runs `tests/interop/python_tuf.py` and returns what it printed.
fn python_tuf(args: &[&Path]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/python_tuf.py");
    let output = Command::new(python())
        .arg(script)
        .args(args)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "python-tuf {args:?} failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Syncs `url` into a new store in `folder`, trusting `root`.
async fn sync(
    url: &url::Url,
    root: Vec<u8>,
    folder: &Path,
) -> (Result<SyncOutcome, SyncError>, Store) {
    let engine = SyncEngine::new(
        SyncSettings::for_base(url, root).unwrap(),
        &folder.join("work"),
    )
    .unwrap();
    let mut store = Store::open(&folder.join("store")).unwrap();
    let outcome = engine.sync_once(&mut store).await;
    (outcome, store)
}

#[tokio::test]
async fn kiosk_syncs_a_repository_built_by_python_tuf_from_the_same_targets() {
    let fixture = Fixture::new().await;
    let published = fixture.publish().await;
    let scratch = tempfile::tempdir().unwrap();
    let theirs = scratch.path().join("python-repo");
    let printed = python_tuf(&[Path::new("rebuild"), fixture.repo.root(), &theirs]);
    assert_eq!(
        printed.trim(),
        format!("rebuilt {} targets", published.total_targets)
    );

    let nginx = Nginx::serve(&theirs, &scratch.path().join("nginx"));
    let their_root = std::fs::read(theirs.join("metadata/1.root.json")).unwrap();
    let (outcome, store) = sync(&nginx.url(), their_root, &scratch.path().join("kiosk")).await;
    assert_eq!(
        outcome.unwrap(),
        SyncOutcome::Updated {
            version: 1,
            downloaded: published.total_targets
        }
    );
    let synced = active_content(&store)
        .unwrap()
        .expect("content is active")
        .content;

    let ours = Nginx::serve(fixture.repo.root(), &scratch.path().join("nginx-ours"));
    let (outcome, own_store) = sync(
        &ours.url(),
        fixture.trusted_root(),
        &scratch.path().join("reference"),
    )
    .await;
    outcome.unwrap();
    let reference = active_content(&own_store)
        .unwrap()
        .expect("content is active")
        .content;
    assert_eq!(
        synced.catalog, reference.catalog,
        "same targets, same catalog"
    );
    assert!(!synced.catalog.notices.is_empty());
}

#[tokio::test]
async fn kiosk_refuses_a_python_tuf_repository_its_root_does_not_trust() {
    let fixture = Fixture::new().await;
    fixture.publish().await;
    let scratch = tempfile::tempdir().unwrap();
    let theirs = scratch.path().join("python-repo");
    python_tuf(&[Path::new("rebuild"), fixture.repo.root(), &theirs]);

    let nginx = Nginx::serve(&theirs, &scratch.path().join("nginx"));
    let (outcome, store) = sync(
        &nginx.url(),
        fixture.trusted_root(),
        &scratch.path().join("kiosk"),
    )
    .await;
    let error = outcome.expect_err("python-tuf's keys are not the kiosk's");
    assert!(
        error.to_string().contains("signature"),
        "the status names the signature problem: {error}"
    );
    assert!(store.active().is_none(), "nothing was applied");
}

#[tokio::test]
async fn python_tuf_client_verifies_every_target_our_publisher_wrote() {
    let fixture = Fixture::new().await;
    fixture.edit_notice_title("tianhe-gym-closure", "天河体育中心体育馆恢复开放");
    fixture.publish().await;
    fixture.edit_notice_title("tianhe-gym-closure", "天河体育中心体育馆暂停开放");
    let second = fixture.publish().await;
    assert_eq!(second.version, 2);

    let scratch = tempfile::tempdir().unwrap();
    let nginx = Nginx::serve(fixture.repo.root(), &scratch.path().join("nginx"));
    let url = nginx.url().to_string();
    let printed = python_tuf(&[
        Path::new("fetch"),
        Path::new(url.trim_end_matches('/')),
        &fixture.repo.trust_anchor(),
        fixture.repo.root(),
        &scratch.path().join("client"),
    ]);
    assert_eq!(
        printed.trim(),
        format!("fetched {} targets", second.total_targets)
    );
}

#[tokio::test]
async fn kiosk_reads_a_repository_in_toughs_layout_only() {
    // tough (and tuftool) store `catalog/site.json` as `HASH.catalog/site.json`
    // only; take away the specification's `catalog/HASH.site.json` links.
    let fixture = Fixture::new().await;
    let published = fixture.publish().await;
    for folder in ["catalog", "assets"] {
        std::fs::remove_dir_all(fixture.repo.targets().join(folder)).unwrap();
    }
    let scratch = tempfile::tempdir().unwrap();
    let nginx = Nginx::serve(fixture.repo.root(), &scratch.path().join("nginx"));
    let (outcome, _) = sync(&nginx.url(), fixture.trusted_root(), scratch.path()).await;
    assert_eq!(
        outcome.unwrap(),
        SyncOutcome::Updated {
            version: 1,
            downloaded: published.total_targets
        }
    );
}
