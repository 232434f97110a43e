//! kioskctl's repository and content commands as the built binary: key
//! rotation that kiosks follow, wrong keys, content errors at file:line:col.

mod support;

use lobby_kiosk::store::Store;
use lobby_kiosk::sync::{SyncEngine, SyncOutcome, SyncSettings};
use support::kioskctl::kioskctl;
use support::nginx::Nginx;
use support::repo_fixture::Fixture;

macro_rules! args {
    ($($a:expr),*) => { &[$(std::ffi::OsStr::new($a)),*] };
}

#[tokio::test]
async fn kiosks_follow_a_key_rotation_and_wrong_keys_are_refused() {
    let fixture = Fixture::new().await;
    fixture.publish().await;
    let nginx = Nginx::serve(fixture.repo.root(), &fixture.work.join("nginx"));
    let settings = SyncSettings::for_base(&nginx.url(), fixture.trusted_root()).unwrap();
    let engine = SyncEngine::new(settings.clone(), &fixture.work).unwrap();
    let mut store = Store::open(&fixture.store).unwrap();
    assert!(matches!(
        engine.sync_once(&mut store).await.unwrap(),
        SyncOutcome::Updated { version: 1, .. }
    ));

    let repo = fixture.repo.root().as_os_str();
    let keys = fixture.keys.path(tough::schema::RoleType::Root);
    let keys = keys.parent().unwrap().as_os_str();
    for role in ["root", "targets"] {
        let (code, out, err) = kioskctl(args!("rotate-key", role, "--repo", repo, "--keys", keys));
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("now run `kioskctl publish`"), "{out}");
    }
    fixture.edit_notice_title("tianhe-gym-closure", "体育馆恢复开放");
    let content = fixture.content.as_os_str();
    let (code, out, err) = kioskctl(args!("publish", content, "--repo", repo, "--keys", keys));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("1 changed") && out.contains("~ notice/tianhe-gym-closure"),
        "{out}"
    );

    // A kiosk that trusts root v1 walks to v3 and takes the new content.
    assert!(matches!(
        engine.sync_once(&mut store).await.unwrap(),
        SyncOutcome::Updated { version: 2, .. }
    ));
    // So does a new kiosk installed with the old root.json.
    let fresh = tempfile::tempdir().unwrap();
    let engine = SyncEngine::new(settings, &fresh.path().join("work")).unwrap();
    let mut store = Store::open(&fresh.path().join("store")).unwrap();
    assert!(matches!(
        engine.sync_once(&mut store).await.unwrap(),
        SyncOutcome::Updated { version: 2, .. }
    ));

    // Someone else's keys cannot publish, and the message says what to do.
    let other = fresh.path().join("other-keys");
    let (code, _, _) = kioskctl(args!("keygen", "--keys", other.as_os_str()));
    assert_eq!(code, 0);
    let (code, _, err) = kioskctl(args!(
        "publish",
        content,
        "--repo",
        repo,
        "--keys",
        other.as_os_str()
    ));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("do not match the repository's root.json"),
        "{err}"
    );
    let (code, _, err) = kioskctl(args!(
        "rotate-key",
        "snapshot",
        "--repo",
        repo,
        "--keys",
        other.as_os_str()
    ));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is not the root key trusted by"), "{err}");
}

#[test]
fn validate_lists_every_error_at_file_line_column_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    support::repo_fixture::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo"),
        &content,
    );
    let edit = |file: &str, from: &str, to: &str| {
        let path = content.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "notices/tianhe-gym-closure.md",
        "category = \"tzgg\"",
        "category = \"nope\"",
    );
    edit(
        "notices/gzma-2024-race.md",
        "published = ",
        "published = \"yesterday\"\n#",
    );
    let (code, out, err) = kioskctl(args!("validate", content.as_os_str()));
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("notices/tianhe-gym-closure.md:3:")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("notices/gzma-2024-race.md:")
                && l.contains("`yesterday` is not a date")),
        "every error at once: {err}"
    );
    assert!(
        err.contains("error(s) in the content folder: fix them and run again"),
        "{err}"
    );

    let (code, _, err) = kioskctl(args!(
        "publish",
        content.as_os_str(),
        "--repo",
        dir.path().join("repo").as_os_str()
    ));
    assert_eq!(
        code, 3,
        "content is checked before anything is signed: {err}"
    );
}

#[test]
fn an_expired_root_is_named_with_the_fix_and_rotation_renews_it() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let keys = dir.path().join("keys");
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo");
    let (code, _, err) = kioskctl(args!("init", "--keys", keys.as_os_str()));
    assert_eq!(code, 2, "init needs --repo: {err}");
    let (code, _, err) = kioskctl(args!(
        "init",
        "--repo",
        repo.as_os_str(),
        "--keys",
        keys.as_os_str(),
        "--root-days",
        "0"
    ));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = kioskctl(args!(
        "publish",
        content.as_os_str(),
        "--repo",
        repo.as_os_str(),
        "--keys",
        keys.as_os_str()
    ));
    assert_eq!(code, 1);
    assert!(
        err.contains("expired on") && err.contains("run `kioskctl rotate-key root`"),
        "{err}"
    );
    let (code, _, err) = kioskctl(args!(
        "rotate-key",
        "root",
        "--repo",
        repo.as_os_str(),
        "--keys",
        keys.as_os_str()
    ));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = kioskctl(args!(
        "publish",
        content.as_os_str(),
        "--repo",
        repo.as_os_str(),
        "--keys",
        keys.as_os_str()
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("published version 1"), "{out}");
}

#[test]
fn validate_warns_about_missing_translations_and_still_passes() {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo");
    let (code, out, err) = kioskctl(args!("validate", content.as_os_str()));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("notices/gzma-2024-race.md:")
                && l.contains("warning: missing translation")
                && l.contains("add notices/gzma-2024-race.en.md")),
        "{err}"
    );
    assert!(
        !err.contains("notices/gzma-2026-registration.md:1:1: warning: missing translation"),
        "translated notices are not flagged: {err}"
    );
    assert!(out.contains("no errors"), "{out}");
}

#[test]
fn validate_names_debris_bad_tables_and_fake_pictures_at_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    support::repo_fixture::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo"),
        &content,
    );
    std::fs::write(content.join("assets/fake.png"), "not a picture").unwrap();
    std::fs::write(
        content.join("notices/imported.zh-Hant.md"),
        "+++\ntitle = { zh-Hant = \"辦理?xiàng)l件\", en = \"Conditions\" }\ncategory = \"tzgg\"\npublished = 2026-01-05\n+++\n\n其他事宜?lì)。\n\n| 事項 | 時限 | 收費 |\n|---|---|\n| 申請 | 1工作日 | 無 |\n\n![假圖](assets/fake.png)\n",
    )
    .unwrap();
    let (code, _, err) = kioskctl(args!("validate", content.as_os_str()));
    assert_eq!(code, 3, "{err}");
    let file = "notices/imported.zh-Hant.md";
    for (prefix, words) in [
        (
            format!("{file}:7:5: warning: "),
            "`?lì)` in “其他事宜?lì)。”",
        ),
        (
            format!("{file}:10:1: "),
            "delimiter row has 2 cells but the header has 3",
        ),
        (
            format!("{file}:13:1: "),
            "`assets/fake.png` is not a picture",
        ),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&prefix) && l.contains(words)),
            "{prefix}… {words} in:\n{err}"
        );
    }
    assert!(
        !err.contains("xiàng)"),
        "a told character is no warning: {err}"
    );
}
