//! The kiosk with a repository, in the emulator: first start offline, new
//! content swapped in while a visitor reads, restart offline with the last
//! good content, expired metadata flagged as "may be out of date".

mod support;

use std::path::Path;

use lobby_kiosk::config::{Config, RepositoryConfig};
use lobby_kiosk::content::Lang;
use lobby_kiosk::emulator::{Emulator, default_start};
use lobby_kiosk::kiosk::startup;
use lobby_kiosk::repo::publish::PublishOptions;
use lobby_kiosk::ui::AppState;
use lobby_kiosk::ui::navigation::Screen;
use slint::ComponentHandle;
use support::fault_server::FaultServer;
use support::repo_fixture::Fixture;
use support::wait::wait_for;

const NOTICE: &str = "tianhe-gym-closure";

fn config(url: &str, root: &Path, store: &Path) -> Config {
    Config {
        repository: Some(RepositoryConfig {
            url: url.to_owned(),
            root: root.to_owned(),
            store: store.to_owned(),
            interval_minutes: 60,
            jitter_seconds: 0,
            backoff_max_minutes: 60,
        }),
        ..Config::demo()
    }
}

fn start(config: &Config) -> Emulator {
    let startup = startup::prepare(config).expect("the kiosk starts");
    Emulator::new(1080, 1920, startup, config, default_start()).expect("the emulator starts")
}

fn status(emulator: &Emulator) -> (bool, bool, String) {
    let state = emulator.ui().global::<AppState>();
    (
        state.get_online(),
        state.get_out_of_date(),
        state.get_content_version().to_string(),
    )
}

#[test]
fn first_start_offline_without_cache_says_content_not_yet_available() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fixture = runtime.block_on(Fixture::new());
    let mut emulator = start(&config(
        "http://127.0.0.1:9/",
        &fixture.repo.trust_anchor(),
        &fixture.store,
    ));
    assert_eq!(
        emulator.ui().global::<AppState>().get_page(),
        lobby_kiosk::ui::Page::Unavailable
    );
    assert!(emulator.shows("内容暂不可用"));
    let reported = wait_for(&mut emulator, |e| !e.app().status().last_error.is_empty());
    assert!(reported, "the failed sync is reported");
    let status = emulator.app().status();
    assert!(
        status
            .last_error
            .starts_with("cannot reach the content server"),
        "{status:?}"
    );
    assert!(emulator.shows("○ 离线"));
    assert!(
        emulator.shows("内容暂不可用"),
        "still a clear screen, not a crash"
    );
}

/// `/status` and the MQTT status read the kiosk's status handle: a sync's
/// outcome reaches it on the sync thread, not only when the UI loop runs
/// (a busy or stuck UI must not make the fleet see an old status).
#[test]
fn a_sync_updates_the_kiosk_status_while_the_ui_loop_stands_still() {
    let (runtime, fixture, _server, _config, mut emulator) = synced_kiosk();
    let shared = emulator.app().status_handle();
    assert_eq!(shared.get().version, "v1");
    fixture.edit_notice_title(NOTICE, "体育馆提前恢复开放的通知");
    runtime.block_on(fixture.publish());
    // Wakes the sync thread; from here on the UI's timers do not run.
    emulator.ui().global::<AppState>().invoke_admin_sync_now();
    let mut changes = shared.subscribe();
    let reported = runtime.block_on(async {
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            changes.wait_for(|status| status.version == "v2"),
        )
        .await
        .is_ok()
    });
    assert!(
        reported,
        "the status says v2 without the UI: {:?}",
        shared.get()
    );
    let now = shared.get();
    assert!(now.online && now.last_error.is_empty(), "{now:?}");
    assert!(now.content_updated.is_some(), "{now:?}");
    assert_eq!(
        emulator.ui().global::<AppState>().get_content_version(),
        "v1",
        "the screen has not been told yet"
    );
    // The UI catches up at its next poll, and says when the content came.
    assert!(wait_for(&mut emulator, |e| status(e).2 == "v2"));
    let updated = emulator.ui().global::<AppState>().get_content_updated();
    let day = chrono::NaiveDate::parse_from_str(&updated, "%Y-%m-%d");
    assert!(day.is_ok(), "the strip shows a date, not {updated:?}");
    assert!(emulator.shows(&format!("内容更新于 {updated} · v2")));
}

#[test]
fn new_content_swaps_in_while_the_visitor_stays_on_the_page() {
    let (runtime, fixture, _server, config, mut emulator) = synced_kiosk();
    let after_first = emulator.app().status();
    assert!(
        after_first.last_success.is_some() && after_first.bytes_received > 10_000,
        "{after_first:?}"
    );
    emulator
        .ui()
        .global::<AppState>()
        .invoke_open_item(NOTICE.into());
    assert_eq!(emulator.app().screen(), Screen::Detail(NOTICE.into()));

    fixture.edit_notice_title(NOTICE, "体育馆提前恢复开放的通知");
    runtime.block_on(fixture.publish());
    emulator.ui().global::<AppState>().invoke_admin_sync_now();
    let landed = wait_for(&mut emulator, |e| status(e).2 == "v2");
    assert!(
        landed,
        "second sync lands: {:?} {:?}",
        status(&emulator),
        emulator.app().status()
    );
    assert_eq!(
        emulator.app().screen(),
        Screen::Detail(NOTICE.into()),
        "the visitor's page stays"
    );
    assert!(
        emulator.shows("体育馆提前恢复开放的通知"),
        "and shows the new title"
    );
    assert!(status(&emulator).0, "online");

    // Restart with the server gone: the last good content is shown.
    drop(emulator);
    let offline = config_with_url(&config, "http://127.0.0.1:9/");
    let mut restarted = start(&offline);
    assert_eq!(status(&restarted).2, "v2");
    restarted
        .ui()
        .global::<AppState>()
        .invoke_open_item(NOTICE.into());
    assert!(restarted.shows("体育馆提前恢复开放的通知"));
    assert!(
        wait_for(&mut restarted, |e| !status(e).0),
        "reported offline"
    );
    assert!(
        restarted.shows("体育馆提前恢复开放的通知"),
        "content kept while offline"
    );
}

/// A published repository served on loopback and a kiosk that synced v1 from it.
fn synced_kiosk() -> (
    tokio::runtime::Runtime,
    Fixture,
    FaultServer,
    Config,
    Emulator,
) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fixture = runtime.block_on(Fixture::new());
    runtime.block_on(fixture.publish());
    let server = runtime.block_on(FaultServer::start(fixture.repo.root().to_owned()));
    let config = config(
        server.url().as_str(),
        &fixture.repo.trust_anchor(),
        &fixture.store,
    );
    let mut emulator = start(&config);
    assert!(
        wait_for(&mut emulator, |e| status(e).2 == "v1"),
        "first sync lands"
    );
    (runtime, fixture, server, config, emulator)
}

fn config_with_url(config: &Config, url: &str) -> Config {
    let mut config = config.clone();
    if let Some(repository) = config.repository.as_mut() {
        repository.url = url.to_owned();
    }
    config
}

#[test]
fn expired_metadata_keeps_the_content_and_says_it_may_be_out_of_date() {
    let (runtime, fixture, _server, _config, mut emulator) = synced_kiosk();
    let before = lobby_kiosk::content::demo::catalog()
        .notices
        .iter()
        .find(|n| n.id == NOTICE)
        .unwrap()
        .meta
        .title
        .text(Lang::ZhHans)
        .to_owned();

    fixture.edit_notice_title(NOTICE, "不应出现的标题");
    let past = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * 30))
        .unwrap();
    runtime.block_on(fixture.publish_with(PublishOptions {
        now: past,
        ..PublishOptions::default()
    }));
    emulator.ui().global::<AppState>().invoke_admin_sync_now();
    assert!(
        wait_for(&mut emulator, |e| status(e).1),
        "flagged out of date"
    );
    assert!(emulator.shows("⚠ 内容可能不是最新"));
    emulator
        .ui()
        .global::<AppState>()
        .invoke_open_item(NOTICE.into());
    assert!(emulator.shows(&before), "the last verified content stays");
    assert!(!emulator.shows("不应出现的标题"));
}

#[test]
fn emulate_shows_what_the_configured_kiosk_shows() {
    let (runtime, fixture, _server, config, mut emulator) = synced_kiosk();
    fixture.edit_notice_title(NOTICE, "本馆自有内容：体育馆开放通知");
    runtime.block_on(fixture.publish());
    emulator.ui().global::<AppState>().invoke_admin_sync_now();
    assert!(wait_for(&mut emulator, |e| status(e).2 == "v2"));
    drop(emulator);

    // What `kiosk --config FILE emulate` shows: the store, no sync.
    let stored = startup::stored(&config).expect("the store opens");
    assert!(stored.sync.is_none(), "emulate starts no sync");
    assert_eq!(stored.status.get().version, "v2");
    let emulator =
        Emulator::new(1080, 1920, stored, &config, default_start()).expect("the emulator starts");
    emulator
        .ui()
        .global::<AppState>()
        .invoke_open_item(NOTICE.into());
    assert!(emulator.shows("本馆自有内容：体育馆开放通知"));

    // The binary, with a config file, writes the screenshots of a script.
    let dir = tempfile::tempdir().unwrap();
    let repository = config.repository.as_ref().expect("a repository");
    let file = dir.path().join("kiosk.toml");
    std::fs::write(
        &file,
        format!(
            "kiosk_id = \"emulated\"\n[repository]\nurl = \"http://127.0.0.1:9/\"\nroot = {:?}\nstore = {:?}\n",
            repository.root, repository.store
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("script.txt"),
        "tap \"公告栏\"\nshot list.png\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("--config")
        .arg(&file)
        .arg("emulate")
        .arg(dir.path().join("script.txt"))
        .arg("--out")
        .arg(dir.path().join("shots"))
        .output()
        .expect("kiosk runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("shots/list.png").is_file());
}

#[test]
fn an_admin_service_that_did_not_start_stays_in_the_status_after_a_sync() {
    let (_runtime, _fixture, _server, config, mut emulator) = synced_kiosk();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = Config {
        admin_endpoint: Some(lobby_kiosk::config::AdminEndpointConfig {
            bind: taken.local_addr().unwrap(),
            token_sha256: lobby_kiosk::secret::hash_secret("token"),
            requests_per_minute: 5,
            burst: 5,
        }),
        ..config
    };
    let shared = emulator.app().status_handle();
    let (_services, problems) = lobby_kiosk::kiosk::services::start(&config, &shared, None);
    emulator
        .app()
        .update_status(|status| lobby_kiosk::kiosk::services::report_in_status(status, &problems));
    let before = emulator.app().status().last_success;
    emulator.ui().global::<AppState>().invoke_admin_sync_now();
    assert!(
        wait_for(&mut emulator, |e| e.app().status().last_success != before),
        "the sync ran"
    );
    let status = emulator.app().status();
    assert!(status.last_error.is_empty(), "{status:?}");
    assert_eq!(status.service_errors.len(), 1, "{status:?}");
    assert!(
        status.service_errors[0].starts_with(&format!(
            "admin service not started: admin endpoint: cannot listen on {}",
            taken.local_addr().unwrap()
        )),
        "{status:?}"
    );
    let report =
        lobby_kiosk::kiosk::status::StatusReport::running("k", &shared, None, chrono::Utc::now());
    assert_eq!(
        report.service_errors, status.service_errors,
        "and in /status and MQTT"
    );
}
