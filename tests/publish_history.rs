//! Publishing as the admin console does it (issue 18): the change report of
//! a publication before it is made (what changed, what kiosks will
//! download), the history of published versions, and publishing an earlier
//! version's content again as a new version, which a syncing kiosk takes
//! (rollback protection intact); `kioskctl publish --dry-run`, `history`
//! and `republish` on the command line.

mod support;

use lobby_kiosk::repo::RepoError;
use lobby_kiosk::repo::history::{republish, versions};
use lobby_kiosk::repo::publish::{PublishOptions, plan_folder, previous_version};
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::{SyncEngine, SyncOutcome, SyncSettings};
use support::fault_server::FaultServer;
use support::kioskctl::kioskctl;
use support::repo_fixture::{Fixture, shown_notice_title};

const NOTICE: &str = "tianhe-gym-closure";

fn shown_title(store: &Store) -> String {
    shown_notice_title(store, NOTICE)
}

async fn synced_version(engine: &SyncEngine, store: &mut Store) -> u64 {
    match engine.sync_once(store).await.unwrap() {
        SyncOutcome::Updated { version, .. } => version,
        other => panic!("the kiosk did not update: {other:?}"),
    }
}

#[tokio::test]
async fn a_change_is_reported_before_publishing_and_an_earlier_version_comes_back_as_a_new_one() {
    let fixture = Fixture::new().await;
    fixture.publish().await;
    let server = FaultServer::start(fixture.repo.root().to_owned()).await;
    let settings = SyncSettings::for_base(&server.url(), fixture.trusted_root()).unwrap();
    let engine = SyncEngine::new(settings, &fixture.work).unwrap();
    let mut store = Store::open(&fixture.store).unwrap();
    assert_eq!(synced_version(&engine, &mut store).await, 1);
    let first_title = shown_title(&store);

    // The plan: one notice changed, one shard and the metadata to download,
    // nothing signed or written.
    fixture.edit_notice_title(NOTICE, "天河体育馆临时闭馆（已更新）");
    let (plan, _) =
        plan_folder(&fixture.content, &fixture.repo, PublishOptions::default()).unwrap();
    assert_eq!(plan.version, 2);
    assert_eq!(plan.changed, [format!("notice/{NOTICE}")]);
    assert!(plan.added.is_empty() && plan.removed.is_empty(), "{plan:?}");
    assert_eq!(plan.new_targets, 1, "one notice shard is new: {plan:?}");
    assert!(
        plan.new_target_bytes > 0 && plan.metadata_bytes > 0,
        "{plan:?}"
    );
    assert_eq!(
        previous_version(&fixture.repo).unwrap(),
        1,
        "a plan publishes nothing"
    );

    let published = fixture.publish().await;
    assert_eq!(published.version, 2);
    assert_eq!(published.changed, plan.changed);
    assert_eq!(published.new_target_bytes, plan.new_target_bytes);
    let estimate = plan.metadata_bytes.abs_diff(published.metadata_bytes);
    assert!(
        estimate < 64,
        "the plan's metadata estimate is within a few bytes: {plan:?} {published:?}"
    );
    assert_eq!(synced_version(&engine, &mut store).await, 2);
    assert_eq!(shown_title(&store), "天河体育馆临时闭馆（已更新）");

    // Version 1's content again, as version 3: the kiosk takes it.
    let again = republish(&fixture.repo, &fixture.keys, 1, PublishOptions::default())
        .await
        .unwrap();
    assert_eq!(again.version, 3);
    assert_eq!(again.changed, [format!("notice/{NOTICE}")]);
    assert_eq!(
        again.new_targets, 0,
        "every file of version 1 is still there"
    );
    assert_eq!(synced_version(&engine, &mut store).await, 3);
    assert_eq!(shown_title(&store), first_title);

    let history = versions(&fixture.repo).unwrap();
    let listed: Vec<(u64, Option<u64>, usize)> = history
        .iter()
        .map(|v| (v.version, v.republished_from, v.changed))
        .collect();
    assert_eq!(listed, [(3, Some(1), 1), (2, None, 1), (1, None, 0)]);
    assert!(history.iter().all(|v| v.published_at.is_some()));
    assert!(
        history[2].added > 10,
        "version 1 added the whole demo: {:?}",
        history[2]
    );
    assert_eq!(history[1].download_bytes, published.download_bytes());
}

#[tokio::test]
async fn a_missing_version_or_a_damaged_file_publishes_nothing_and_says_what() {
    let fixture = Fixture::new().await;
    fixture.publish().await;
    fixture.edit_notice_title(NOTICE, "改过的标题");
    fixture.publish().await;

    let missing = republish(&fixture.repo, &fixture.keys, 9, PublishOptions::default()).await;
    assert!(
        matches!(missing, Err(RepoError::NoSuchVersion { version: 9, .. })),
        "{missing:?}"
    );

    // A target of version 1 altered on disk: refused, naming the file.
    let targets = std::fs::read_to_string(fixture.repo.metadata().join("1.targets.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&targets).unwrap();
    let (name, entry) = json["signed"]["targets"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(name, _)| name.starts_with("catalog/notices/"))
        .unwrap();
    let hash = entry["hashes"]["sha256"].as_str().unwrap();
    let stored = fixture.repo.targets().join(format!("{hash}.{name}"));
    let mut bytes = std::fs::read(&stored).unwrap();
    bytes[10] ^= 1;
    std::fs::write(&stored, bytes).unwrap();
    let damaged = republish(&fixture.repo, &fixture.keys, 1, PublishOptions::default()).await;
    let error = damaged.unwrap_err().to_string();
    assert!(error.contains(&stored.display().to_string()), "{error}");
    assert!(error.contains("SHA-256"), "{error}");
    assert_eq!(previous_version(&fixture.repo).unwrap(), 2);

    // A damaged history line: the file and the line are named.
    let history = fixture.repo.root().join("publish-history.jsonl");
    let mut text = std::fs::read_to_string(&history).unwrap();
    text.push_str("{ not json\n");
    std::fs::write(&history, text).unwrap();
    let error = versions(&fixture.repo).unwrap_err().to_string();
    assert!(
        error.contains("publish-history.jsonl") && error.contains("line 3"),
        "{error}"
    );
}

#[tokio::test]
async fn kioskctl_shows_the_plan_the_history_and_republishes() {
    let fixture = Fixture::new().await;
    fixture.publish().await;
    fixture.edit_notice_title(NOTICE, "改过的标题");
    let repo = fixture.repo.root().to_str().unwrap();
    let keys = fixture.keys.dir().to_str().unwrap();
    let content = fixture.content.to_str().unwrap();

    let (code, out, err) = kioskctl(&[
        "publish",
        content,
        "--repo",
        repo,
        "--keys",
        keys,
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("would publish version 2: 0 added, 1 changed, 0 removed"),
        "{out}"
    );
    assert!(
        out.contains("kiosks would download about") && out.contains(&format!("~ notice/{NOTICE}")),
        "{out}"
    );

    let (code, out, err) = kioskctl(&["publish", content, "--repo", repo, "--keys", keys]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("published version 2"), "{out}");

    let (code, out, err) = kioskctl(&["republish", "1", "--repo", repo, "--keys", keys]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("published version 3: 0 added, 1 changed"),
        "{out}"
    );

    let (code, out, err) = kioskctl(&["history", "--repo", repo]);
    assert_eq!(code, 0, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("VERSION"), "{out}");
    assert!(
        lines[1].starts_with('3') && lines[1].ends_with("content of version 1"),
        "{out}"
    );
    assert!(lines[3].starts_with('1'), "{out}");

    let (code, _, err) = kioskctl(&["republish", "7", "--repo", repo, "--keys", keys]);
    assert_eq!(code, 1);
    assert!(err.contains("no version 7"), "{err}");
}
