//! Sync against the project's fault-injecting HTTP server: every failure
//! gives a clear status, leaves the old content active, and the next good
//! publish is still applied.

mod support;

use std::time::Duration;

use lobby_kiosk::repo::publish::PublishOptions;
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::{SyncEngine, SyncError, SyncOutcome, SyncSettings};
use support::fault_server::{Fault, FaultServer, SOCKET_SLACK};
use support::repo_fixture::{Fixture, shown_notice_title};

const NOTICE: &str = "tianhe-gym-closure";

struct Kiosk {
    engine: SyncEngine,
    store: Store,
}

async fn setup() -> (Fixture, FaultServer, Kiosk) {
    setup_with(|_| {}).await
}

/// [`setup`] with settings changed by `adjust` (limits, pace).
async fn setup_with(adjust: impl FnOnce(&mut SyncSettings)) -> (Fixture, FaultServer, Kiosk) {
    let fixture = Fixture::new().await;
    fixture.publish().await;
    let server = FaultServer::start(fixture.repo.root().to_owned()).await;
    let mut settings = SyncSettings::for_base(&server.url(), fixture.trusted_root()).unwrap();
    settings.read_timeout = Duration::from_millis(800);
    settings.connect_timeout = Duration::from_secs(2);
    adjust(&mut settings);
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
    shown_notice_title(store, NOTICE)
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

/// A sync that must end by itself; a hang fails the test after a minute.
async fn sync_ends(kiosk: &mut Kiosk) -> Result<SyncOutcome, SyncError> {
    tokio::time::timeout(
        Duration::from_secs(60),
        kiosk.engine.sync_once(&mut kiosk.store),
    )
    .await
    .expect("the sync is still running after 60 s: nothing stopped the hostile server")
}

#[tokio::test]
async fn endless_metadata_is_read_only_up_to_its_roles_limit() {
    for (file, fault) in [
        ("timestamp.json", Fault::Endless),
        ("2.root.json", Fault::Endless),
        ("timestamp.json", Fault::HugeLength(1 << 40)),
    ] {
        let (_fixture, server, mut kiosk) = setup().await;
        server.inject(file, fault.clone(), None);
        let error = sync_ends(&mut kiosk).await.expect_err("refused");
        let sent = server.endless_bytes_sent();
        assert!(
            sent < SOCKET_SLACK,
            "{file} {fault:?}: the server got {sent} bytes out before the kiosk stopped reading"
        );
        assert!(matches!(error, SyncError::Oversize(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .contains(&format!("rejected an oversize file: {file}: it is")),
            "{error}"
        );
        assert_eq!(kiosk.store.active().unwrap().version, "1");
        server.clear();
        assert!(sync_ends(&mut kiosk).await.is_ok(), "healed");
    }
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let (_fixture, server, mut kiosk) = setup().await;
    server.inject("timestamp.json", Fault::HugeLength(1 << 40), None);
    let error = sync_ends(&mut kiosk).await.unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("timestamp.json: it is 1048576.0 MiB and the limit is 64 KiB"),
        "{error}"
    );
}

#[tokio::test]
async fn endless_targets_stop_at_their_signed_length() {
    let (fixture, server, mut kiosk) = setup().await;
    fixture.edit_notice_title(NOTICE, "无尽的目标文件");
    fixture.publish().await;
    server.inject("notices", Fault::Endless, None);
    let error = sync_ends(&mut kiosk).await.unwrap_err();
    assert!(server.endless_bytes_sent() < SOCKET_SLACK);
    assert!(
        matches!(error, SyncError::Oversize(_) | SyncError::Integrity(_)),
        "{error:?}"
    );
    assert_eq!(kiosk.store.active().unwrap().version, "1");
}

/// A pace that a trickle of one byte per 300 ms misses on any file.
fn brisk(settings: &mut SyncSettings) {
    settings.pace = lobby_kiosk::net::Pace {
        minimum_rate: 64 * 1024,
        grace: Duration::from_secs(1),
    };
}

#[tokio::test]
async fn trickling_metadata_misses_its_deadline_and_says_so() {
    let (fixture, server, mut kiosk) = setup_with(brisk).await;
    fixture.edit_notice_title(NOTICE, "慢慢来的元数据");
    fixture.publish().await;
    // Under the read timeout between bytes: only a deadline stops it.
    server.inject(
        "timestamp.json",
        Fault::Trickle(Duration::from_millis(300)),
        None,
    );
    let error = sync_ends(&mut kiosk).await.unwrap_err();
    assert!(matches!(error, SyncError::TooSlow(_)), "{error:?}");
    let text = error.to_string();
    assert!(
        text.starts_with("the content server is too slow: timestamp.json: it did not arrive within 1 s (slower than 64 KiB per second)"),
        "{text}"
    );
    assert_eq!(kiosk.store.active().unwrap().version, "1");
}

#[tokio::test]
async fn trickling_targets_miss_their_deadline() {
    let (fixture, server, mut kiosk) = setup_with(brisk).await;
    fixture.edit_notice_title(NOTICE, "慢慢来的标题");
    fixture.publish().await;
    server.inject("notices", Fault::Trickle(Duration::from_millis(300)), None);
    let error = sync_ends(&mut kiosk).await.unwrap_err();
    assert!(matches!(error, SyncError::TooSlow(_)), "{error:?}");
    assert!(
        error.to_string().contains("did not arrive within"),
        "{error}"
    );
    assert_eq!(kiosk.store.active().unwrap().version, "1");
    server.clear();
    assert!(matches!(
        sync_ends(&mut kiosk).await.unwrap(),
        SyncOutcome::Updated { version: 2, .. }
    ));
}

#[tokio::test]
async fn a_whole_sync_stops_at_its_deadline() {
    let (fixture, server, mut kiosk) = setup_with(|settings| {
        settings.pace.minimum_rate = 1;
        settings.max_sync_time = Duration::from_secs(2);
    })
    .await;
    fixture.edit_notice_title(NOTICE, "整体超时的标题");
    fixture.publish().await;
    server.inject("notices", Fault::Trickle(Duration::from_millis(300)), None);
    let error = sync_ends(&mut kiosk).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("too slow: the sync did not finish within 2 s"),
        "{error}"
    );
}

#[tokio::test]
async fn a_missing_repository_is_not_an_unreachable_server() {
    let (_fixture, server, mut kiosk) = setup().await;
    server.inject("timestamp.json", Fault::Status(404), None);
    let error = sync_ends(&mut kiosk).await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, SyncError::NotFound(_)), "{error:?}");
    assert!(
        text.starts_with("the content server has no http://")
            && text.contains("/metadata/timestamp.json (404 Not Found)"),
        "{text}"
    );
}

#[tokio::test]
async fn a_duplicate_signature_is_reported_in_words() {
    fails_then_recovers_with(
        |fixture| {
            let timestamp = std::fs::read(fixture.repo.metadata().join("timestamp.json")).unwrap();
            let mut value: serde_json::Value = serde_json::from_slice(&timestamp).unwrap();
            let signature = value["signatures"][0].clone();
            value["signatures"].as_array_mut().unwrap().push(signature);
            (
                "timestamp.json".to_owned(),
                Fault::Replace(serde_json::to_vec(&value).unwrap()),
            )
        },
        |e| matches!(e, SyncError::Signature(_)) && !e.to_string().contains("Decoded"),
        "the timestamp metadata carries two signatures by the same key (",
    )
    .await;
}

/// Peak resident memory of a finished child, from the kernel (KiB).
fn wait_with_peak_rss(child: std::process::Child) -> (i32, u64) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be filled in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; both pointers are valid for the call.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    (libc::WEXITSTATUS(status), usage.ru_maxrss as u64)
}

#[tokio::test]
async fn kiosk_sync_against_an_endless_server_stays_small() {
    let (fixture, server, _kiosk) = setup().await;
    let config = fixture.work.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[repository]\nurl = \"{}\"\nroot = \"{}\"\nstore = \"{}\"\n",
            server.url(),
            fixture.repo.trust_anchor().display(),
            fixture.work.join("cli-store").display()
        ),
    )
    .unwrap();
    for (file, fault) in [
        ("timestamp.json", Fault::Endless),
        ("snapshot.json", Fault::Endless),
        ("2.root.json", Fault::Endless),
    ] {
        server.clear();
        server.inject(file, fault.clone(), None);
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_kiosk"))
            .arg("--config")
            .arg(&config)
            .arg("sync")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let (code, peak_kib) = tokio::task::spawn_blocking(move || wait_with_peak_rss(child))
            .await
            .unwrap();
        println!(
            "kiosk sync, {fault:?} on {file}: exit {code}, peak RSS {:.1} MiB, server sent {:.1} MiB",
            peak_kib as f64 / 1024.0,
            server.endless_bytes_sent() as f64 / 1048576.0
        );
        assert!(
            peak_kib < 100 * 1024,
            "{file}: peak RSS {peak_kib} KiB: the endless body was read into memory"
        );
    }
}

// What the TUF conformance suite (scripts/tuf-conformance.sh) and the work
// behind it found in the kiosk's own path, kept here so CI keeps it.

#[tokio::test]
async fn the_trusted_roles_are_kept_as_the_server_sent_them() {
    let (fixture, _server, _kiosk) = setup().await;
    let metadata = fixture.repo.metadata();
    for (kept, served) in [
        ("root.json", fixture.repo.trust_anchor()),
        ("timestamp.json", metadata.join("timestamp.json")),
        ("snapshot.json", metadata.join("1.snapshot.json")),
        ("targets.json", metadata.join("1.targets.json")),
    ] {
        let kept_bytes = std::fs::read(fixture.work.join(kept))
            .unwrap_or_else(|error| panic!("the kiosk keeps no {kept}: {error}"));
        assert!(
            kept_bytes == std::fs::read(&served).unwrap(),
            "{kept} differs from the server's {}",
            served.display()
        );
    }
}

#[tokio::test]
async fn an_unchanged_repository_costs_one_request_after_a_restart() {
    let (fixture, server, kiosk) = setup().await;
    drop(kiosk);
    let mut settings = SyncSettings::for_base(&server.url(), fixture.trusted_root()).unwrap();
    settings.read_timeout = Duration::from_millis(800);
    let restarted = SyncEngine::new(settings, &fixture.work).unwrap();
    let mut store = Store::open(&fixture.store).unwrap();
    let seen = server.log().len();
    let outcome = restarted.sync_once(&mut store).await.unwrap();
    assert_eq!(outcome, SyncOutcome::UpToDate { version: 1 });
    let requests: Vec<String> = server.log()[seen..]
        .iter()
        .map(|(path, status)| format!("{path} {status}"))
        .collect();
    assert_eq!(
        requests,
        ["/metadata/2.root.json 404", "/metadata/timestamp.json 200"],
        "snapshot and targets v1 come from the kiosk's trusted copies"
    );
}

#[tokio::test]
async fn withholding_newer_roots_does_not_bring_back_a_rotated_out_key() {
    let (fixture, _server, mut kiosk) = setup().await;
    let first_root = std::fs::read(fixture.repo.trust_anchor()).unwrap();
    let rotation = lobby_kiosk::repo::rotate::rotate_key(
        &fixture.repo,
        &fixture.keys,
        tough::schema::RoleType::Targets,
        Duration::from_secs(365 * 24 * 3600),
    )
    .await
    .unwrap();
    fixture.edit_notice_title(NOTICE, "轮换密钥之后的标题");
    fixture.publish().await;
    assert!(matches!(
        kiosk.engine.sync_once(&mut kiosk.store).await.unwrap(),
        SyncOutcome::Updated { version: 2, .. }
    ));
    // Whoever holds the retired targets key and the server withholds
    // root v2 and signs content with the retired key.
    let targets_key = fixture.keys.path(tough::schema::RoleType::Targets);
    std::fs::copy(&rotation.retired_key, &targets_key).unwrap();
    std::fs::write(fixture.repo.trust_anchor(), &first_root).unwrap();
    std::fs::remove_file(fixture.repo.metadata().join("2.root.json")).unwrap();
    fixture.edit_notice_title(NOTICE, "用已撤销密钥伪造的标题");
    fixture.publish().await;
    let error = kiosk
        .engine
        .sync_once(&mut kiosk.store)
        .await
        .expect_err("content signed by a rotated-out key must be refused");
    assert!(error.to_string().contains("did not sign"), "{error}");
    assert_eq!(shown_title(&kiosk.store), "轮换密钥之后的标题");
}

/// Makes the kiosk's record of its last sync `ahead` of the clock, as if
/// the clock went back by that much since.
fn clock_went_back_by(fixture: &Fixture, ahead: jiff::SignedDuration) {
    let last_sync = jiff::Timestamp::now().checked_add(ahead).unwrap();
    std::fs::write(
        fixture.work.join("tuf/latest_known_time.json"),
        format!("\"{last_sync}\""),
    )
    .unwrap();
}

#[tokio::test]
async fn a_clock_that_went_back_is_named_as_the_cause() {
    let (fixture, _server, mut kiosk) = setup().await;
    fixture.edit_notice_title(NOTICE, "时钟回拨之后的标题");
    fixture.publish().await;
    clock_went_back_by(&fixture, jiff::SignedDuration::from_hours(1));
    let error = kiosk.engine.sync_once(&mut kiosk.store).await.unwrap_err();
    assert!(
        error.to_string().starts_with("the kiosk's clock went back"),
        "{error}"
    );
    assert_eq!(kiosk.store.active().unwrap().version, "1");
}

#[tokio::test]
async fn a_clock_a_second_behind_the_last_sync_is_waited_out() {
    let (fixture, _server, mut kiosk) = setup().await;
    fixture.edit_notice_title(NOTICE, "时间同步校正之后的标题");
    fixture.publish().await;
    clock_went_back_by(&fixture, jiff::SignedDuration::from_secs(1));
    let outcome = kiosk.engine.sync_once(&mut kiosk.store).await;
    assert!(
        matches!(outcome, Ok(SyncOutcome::Updated { version: 2, .. })),
        "{outcome:?}"
    );
    assert_eq!(shown_title(&kiosk.store), "时间同步校正之后的标题");
}
