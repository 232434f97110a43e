//! Sync against the project's fault-injecting HTTP server: every failure
//! gives a clear status, leaves the old content active, and the next good
//! publish is still applied.

mod support;

use std::time::Duration;

use lobby_kiosk::repo::publish::PublishOptions;
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::content::active_content;
use lobby_kiosk::sync::{SyncEngine, SyncError, SyncOutcome, SyncSettings};
use support::fault_server::{Fault, FaultServer};
use support::repo_fixture::Fixture;

const NOTICE: &str = "tianhe-gym-closure";

struct Kiosk {
    engine: SyncEngine,
    store: Store,
}

async fn setup() -> (Fixture, FaultServer, Kiosk) {
    let fixture = Fixture::new().await;
    fixture.publish().await;
    let server = FaultServer::start(fixture.repo.root().to_owned()).await;
    let mut settings = SyncSettings::for_base(&server.url(), fixture.trusted_root()).unwrap();
    settings.read_timeout = Duration::from_millis(800);
    settings.connect_timeout = Duration::from_secs(2);
    settings.max_metadata_bytes = 2 * 1024 * 1024;
    let engine = SyncEngine::new(settings, &fixture.work).unwrap();
    let mut store = Store::open(&fixture.store).unwrap();
    let first = engine.sync_once(&mut store).await.unwrap();
    assert!(
        matches!(first, SyncOutcome::Updated { version: 1, .. }),
        "{first:?}"
    );
    (fixture, server, Kiosk { engine, store })
}

fn shown_title(store: &Store) -> String {
    let (_, content) = active_content(store).unwrap().expect("content is active");
    let notice = content
        .catalog
        .notices
        .iter()
        .find(|n| n.id == NOTICE)
        .unwrap();
    notice
        .meta
        .title
        .text(lobby_kiosk::content::Lang::ZhHans)
        .to_owned()
}

/// Publishes a change, breaks the server with `fault`, checks the sync
/// fails with `expect` and keeps v1, then heals and checks the change lands.
async fn fails_then_recovers(
    fault_path: &str,
    fault: Fault,
    expect: fn(&SyncError) -> bool,
    words: &str,
) {
    fails_then_recovers_with(|_| (fault_path.to_owned(), fault), expect, words).await;
}

/// Publishes a change, breaks the server with the fault `make_fault` builds
/// from the published repository, checks the sync fails with `expect` and
/// keeps v1, then heals and checks the change lands.
async fn fails_then_recovers_with(
    make_fault: impl FnOnce(&Fixture) -> (String, Fault),
    expect: fn(&SyncError) -> bool,
    words: &str,
) {
    let (fixture, server, mut kiosk) = setup().await;
    let before = shown_title(&kiosk.store);
    fixture.edit_notice_title(NOTICE, "新标题：体育馆恢复开放时间调整");
    fixture.publish().await;
    let (fault_path, fault) = make_fault(&fixture);
    server.inject(&fault_path, fault, None);
    let error = kiosk
        .engine
        .sync_once(&mut kiosk.store)
        .await
        .expect_err("the fault must fail the sync");
    assert!(expect(&error), "unexpected error kind: {error:?}");
    assert!(
        error.to_string().contains(words),
        "message `{error}` lacks `{words}`"
    );
    assert_eq!(kiosk.store.active().unwrap().version, "1");
    assert_eq!(
        shown_title(&Store::open(&fixture.store).unwrap()),
        before,
        "old content still active"
    );
    server.clear();
    let outcome = kiosk.engine.sync_once(&mut kiosk.store).await.unwrap();
    assert!(
        matches!(outcome, SyncOutcome::Updated { version: 2, .. }),
        "{outcome:?}"
    );
    assert_eq!(shown_title(&kiosk.store), "新标题：体育馆恢复开放时间调整");
}

fn is_network(e: &SyncError) -> bool {
    matches!(e, SyncError::Network(_))
}

#[tokio::test]
async fn server_error_5xx() {
    fails_then_recovers("timestamp.json", Fault::Status(503), is_network, "503").await;
}

#[tokio::test]
async fn connection_reset() {
    fails_then_recovers(
        "/targets/",
        Fault::Reset,
        is_network,
        "cannot reach the content server",
    )
    .await;
}

#[tokio::test]
async fn truncated_body() {
    fails_then_recovers(
        "/targets/",
        Fault::Truncate(10),
        is_network,
        "connection broke",
    )
    .await;
}

#[tokio::test]
async fn stalled_body() {
    fails_then_recovers("/targets/", Fault::Stall(10), is_network, "timed out").await;
}

/// The newest notices shard of the repository, as served.
fn notices_shard(fixture: &Fixture) -> Vec<u8> {
    std::fs::read(first_target_file(&fixture.repo.targets(), "notices")).unwrap()
}

#[tokio::test]
async fn wrong_hash() {
    fails_then_recovers_with(
        |fixture| {
            // Same length, other bytes.
            let mut evil = notices_shard(fixture);
            evil[5] ^= 0x20;
            ("notices".to_owned(), Fault::Replace(evil))
        },
        |e| matches!(e, SyncError::Integrity(_)),
        "does not match its signed hash",
    )
    .await;
}

#[tokio::test]
async fn wrong_length() {
    fails_then_recovers_with(
        |fixture| {
            let mut longer = notices_shard(fixture);
            longer.extend_from_slice(b"  appended");
            ("notices".to_owned(), Fault::Replace(longer))
        },
        |e| matches!(e, SyncError::Integrity(_) | SyncError::Oversize(_)),
        "rejected",
    )
    .await;
}

#[tokio::test]
async fn bad_signature() {
    fails_then_recovers_with(
        |fixture| {
            let timestamp = std::fs::read(fixture.repo.metadata().join("timestamp.json")).unwrap();
            let mut value: serde_json::Value = serde_json::from_slice(&timestamp).unwrap();
            let sig = value["signatures"][0]["sig"].as_str().unwrap().to_owned();
            let flipped: String = sig.chars().rev().collect();
            value["signatures"][0]["sig"] = serde_json::Value::String(flipped);
            (
                "timestamp.json".to_owned(),
                Fault::Replace(serde_json::to_vec(&value).unwrap()),
            )
        },
        |e| matches!(e, SyncError::Signature(_)),
        "did not sign",
    )
    .await;
}

#[tokio::test]
async fn rollback_to_an_older_version() {
    let (fixture, server, mut kiosk) = setup().await;
    let old_timestamp = std::fs::read(fixture.repo.metadata().join("timestamp.json")).unwrap();
    fixture.edit_notice_title(NOTICE, "第二版标题");
    fixture.publish().await;
    assert!(matches!(
        kiosk.engine.sync_once(&mut kiosk.store).await.unwrap(),
        SyncOutcome::Updated { version: 2, .. }
    ));
    server.inject("timestamp.json", Fault::Replace(old_timestamp), None);
    let error = kiosk.engine.sync_once(&mut kiosk.store).await.unwrap_err();
    assert!(matches!(error, SyncError::Rollback(_)), "{error:?}");
    assert!(error.to_string().contains("rollback"), "{error}");
    assert_eq!(kiosk.store.active().unwrap().version, "2");
    server.clear();
    fixture.edit_notice_title(NOTICE, "第三版标题");
    fixture.publish().await;
    assert!(matches!(
        kiosk.engine.sync_once(&mut kiosk.store).await.unwrap(),
        SyncOutcome::Updated { version: 3, .. }
    ));
    assert_eq!(shown_title(&kiosk.store), "第三版标题");
}

#[tokio::test]
async fn expired_timestamp_keeps_content_and_installs_nothing() {
    let (fixture, _server, mut kiosk) = setup().await;
    fixture.edit_notice_title(NOTICE, "过期元数据中的标题");
    let past = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * 30))
        .unwrap();
    fixture
        .publish_with(PublishOptions {
            now: past,
            ..PublishOptions::default()
        })
        .await;
    let error = kiosk.engine.sync_once(&mut kiosk.store).await.unwrap_err();
    assert!(matches!(error, SyncError::Expired(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("showing the last verified content"),
        "{error}"
    );
    assert_eq!(kiosk.store.active().unwrap().version, "1");
    fixture.edit_notice_title(NOTICE, "新鲜元数据中的标题");
    fixture.publish().await;
    assert!(matches!(
        kiosk.engine.sync_once(&mut kiosk.store).await.unwrap(),
        SyncOutcome::Updated { version: 3, .. }
    ));
    assert_eq!(shown_title(&kiosk.store), "新鲜元数据中的标题");
}

#[tokio::test]
async fn oversize_metadata() {
    let huge = vec![b' '; 3 * 1024 * 1024];
    fails_then_recovers(
        "timestamp.json",
        Fault::Replace(huge),
        |e| matches!(e, SyncError::Oversize(_) | SyncError::Malformed(_)),
        "rejected",
    )
    .await;
}

#[tokio::test]
async fn malformed_json() {
    fails_then_recovers(
        "timestamp.json",
        Fault::Replace(b"{ not json".to_vec()),
        |e| matches!(e, SyncError::Malformed(_)),
        "malformed",
    )
    .await;
}

fn first_target_file(dir: &std::path::Path, containing: &str) -> std::path::PathBuf {
    let mut stack = vec![dir.to_owned()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().contains(containing) {
                found.push(path);
            }
        }
    }
    found.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    found.pop().expect("a target file")
}

#[tokio::test]
async fn interrupted_large_download_resumes_instead_of_restarting() {
    let fixture = Fixture::new().await;
    let catalog = lobby_kiosk::content::demo::catalog();
    let mut targets = lobby_kiosk::repo::layout::split(&catalog);
    let big: Vec<u8> = (0..8 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 9) as u8)
        .collect();
    targets.insert("assets/video/intro.bin".into(), big.clone());
    lobby_kiosk::repo::publish::publish_targets(
        &catalog,
        targets,
        &fixture.repo,
        &fixture.keys,
        PublishOptions::default(),
    )
    .await
    .unwrap();
    let server = FaultServer::start(fixture.repo.root().to_owned()).await;
    // The connection breaks halfway through the big asset, once.
    server.inject("intro.bin", Fault::Truncate(big.len() / 2), Some(1));
    let settings = SyncSettings::for_base(&server.url(), fixture.trusted_root()).unwrap();
    let engine = SyncEngine::new(settings, &fixture.work).unwrap();
    let mut store = Store::open(&fixture.store).unwrap();
    let outcome = engine.sync_once(&mut store).await.unwrap();
    assert!(
        matches!(outcome, SyncOutcome::Updated { .. }),
        "{outcome:?}"
    );
    let requests: Vec<u16> = server
        .log()
        .into_iter()
        .filter(|(p, _)| p.contains("intro.bin"))
        .map(|(_, s)| s)
        .collect();
    assert_eq!(
        requests,
        [200, 206],
        "one broken request, then a Range request for the rest"
    );
    let stats = engine.stats();
    let received = stats.bytes.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        received < big.len() as u64 * 5 / 4,
        "{received} bytes received for an {} byte asset: it resumed",
        big.len()
    );
    assert_eq!(stats.resumed.load(std::sync::atomic::Ordering::Relaxed), 1);
    let generation = store.active().unwrap();
    assert_eq!(
        store
            .read(&generation.files["assets/video/intro.bin"])
            .unwrap(),
        big
    );
}

#[tokio::test]
async fn target_names_with_path_tricks_are_refused() {
    let (fixture, _server, mut kiosk) = setup().await;
    let catalog = lobby_kiosk::content::demo::catalog();
    let mut targets = lobby_kiosk::repo::layout::split(&catalog);
    targets.insert("../outside/evil.json".into(), b"{}".to_vec());
    // A compromised or careless publisher signs a name that climbs out of the targets folder.
    lobby_kiosk::repo::publish::publish_targets(
        &catalog,
        targets,
        &fixture.repo,
        &fixture.keys,
        PublishOptions::default(),
    )
    .await
    .unwrap();
    let error = kiosk.engine.sync_once(&mut kiosk.store).await.unwrap_err();
    assert!(matches!(error, SyncError::Malformed(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("unsafe target name `../outside/evil.json`"),
        "{error}"
    );
    assert_eq!(kiosk.store.active().unwrap().version, "1");
    fixture.edit_notice_title(NOTICE, "路径检查之后的标题");
    fixture.publish().await;
    assert!(matches!(
        kiosk.engine.sync_once(&mut kiosk.store).await.unwrap(),
        SyncOutcome::Updated { version: 3, .. }
    ));
}
