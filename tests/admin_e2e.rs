//! End to end, as an admin works: edit the content folder, `kioskctl
//! publish` into a folder served by nginx, `kioskctl push` to the kiosk's
//! admin endpoint; the kiosk (the real UI in the emulator) shows the new
//! notice and the urgent banner, and `kioskctl status` reports the new version.

mod support;

use std::path::Path;

use lobby_kiosk::config::{AdminEndpointConfig, Config, RepositoryConfig};
use lobby_kiosk::emulator::{Emulator, default_start};
use lobby_kiosk::kiosk::services;
use lobby_kiosk::kiosk::startup;
use lobby_kiosk::secret::hash_secret;
use lobby_kiosk::ui::{AppState, Page};
use slint::ComponentHandle;
use support::kioskctl::kioskctl_with_env;
use support::nginx::Nginx;
use support::repo_fixture::copy_dir;
use support::wait::wait_for;

const TOKEN: &str = "lobby-admin-token-7f3a";
const TITLE: &str = "越秀游泳场今日停止开放的紧急通知";

/// Runs kioskctl with the kiosks' token in `KIOSKCTL_TOKEN` (a `--token`
/// argument overrides it); (exit code, stdout, stderr).
fn kioskctl(args: &[&str]) -> (i32, String, String) {
    kioskctl_with_env(args, &[("KIOSKCTL_TOKEN", TOKEN)])
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = kioskctl(args);
    assert_eq!(code, 0, "kioskctl {args:?}:\n{out}{err}");
    out
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

fn content_version(emulator: &Emulator) -> String {
    emulator
        .ui()
        .global::<AppState>()
        .get_content_version()
        .to_string()
}

#[test]
fn edit_publish_push_and_the_kiosk_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let repo = dir.path().join("repo");
    let keys = dir.path().join("keys");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo"),
        &content,
    );
    ok(&["init", "--repo", path(&repo), "--keys", path(&keys)]);
    ok(&[
        "publish",
        path(&content),
        "--repo",
        path(&repo),
        "--keys",
        path(&keys),
    ]);
    let nginx = Nginx::serve(&repo, &dir.path().join("nginx"));

    let config = Config {
        kiosk_id: "hall-e2e".into(),
        repository: Some(RepositoryConfig {
            url: nginx.url().to_string(),
            root: repo.join("root.json"),
            store: dir.path().join("store"),
            interval_minutes: 60,
            jitter_seconds: 0,
            backoff_max_minutes: 60,
        }),
        admin_endpoint: Some(AdminEndpointConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            token_sha256: hash_secret(TOKEN),
            requests_per_minute: 60,
            burst: 10,
        }),
        ..Config::demo()
    };
    let startup = startup::prepare(&config).expect("the kiosk starts");
    let trigger = startup.sync.as_ref().map(|sync| sync.trigger.clone());
    let mut emulator = Emulator::new(1080, 1920, startup, &config, default_start()).unwrap();
    let shared = emulator.app().status_handle();
    let (services, problems) = services::start(&config, &shared, trigger);
    assert!(
        problems.is_empty(),
        "the admin endpoint starts: {problems:?}"
    );
    let kiosk = services.endpoint.as_ref().unwrap().local_addr().to_string();
    assert!(
        wait_for(&mut emulator, |e| content_version(e) == "v1"),
        "first sync"
    );
    assert!(!emulator.shows(&format!("紧急通知: {TITLE}")));

    // The admin writes an urgent notice, checks and publishes it.
    std::fs::write(
        content.join("notices/yuexiu-pool-closure.md"),
        format!(
            "+++\ntitle = \"{TITLE}\"\ncategory = \"tzgg\"\npublished = 2026-11-24T18:00:00\nvalid_until = 2026-12-31\nurgent = true\nsummary = \"因设备检修，越秀游泳场今日起暂停开放。\"\n+++\n\n因设备检修，越秀游泳场今日起暂停开放，恢复时间另行通知。\n"
        ),
    )
    .unwrap();
    ok(&["validate", path(&content)]);
    let published = ok(&[
        "publish",
        path(&content),
        "--repo",
        path(&repo),
        "--keys",
        path(&keys),
    ]);
    assert!(
        published.starts_with("published version 2: 1 added, 0 changed, 0 removed"),
        "{published}"
    );
    assert!(
        published.contains("+ notice/yuexiu-pool-closure"),
        "{published}"
    );

    // The kiosk would wait an hour; the push makes it sync now.
    let pushed = ok(&["push", &kiosk]);
    assert!(pushed.contains("sync started"), "{pushed}");
    assert!(
        wait_for(&mut emulator, |e| content_version(e) == "v2"),
        "the pushed sync lands: {:?}",
        emulator.app().status()
    );
    assert!(
        emulator.shows(&format!("紧急通知: {TITLE}")),
        "the urgent banner on Home"
    );
    emulator
        .ui()
        .global::<AppState>()
        .invoke_navigate(Page::Notices);
    emulator.render();
    assert!(
        emulator.shows(TITLE),
        "the new notice in the list, by its label"
    );

    let table = ok(&["status", &kiosk]);
    let row = table
        .lines()
        .find(|l| l.starts_with("hall-e2e"))
        .expect("a row for the kiosk");
    assert!(row.contains("online") && row.contains("v2"), "{table}");

    // A wrong token is refused with what to do.
    let (code, _, stderr) = kioskctl(&["push", &kiosk, "--token", "wrong"]);
    assert_eq!(code, 4);
    assert!(
        stderr.contains("refused the token: pass the token whose SHA-256"),
        "{stderr}"
    );
}
