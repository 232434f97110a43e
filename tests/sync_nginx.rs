//! Sync against an ordinary web server: nginx (installed by
//! `scripts/install-test-deps.sh`) serving a published repository on
//! loopback. Full sync, an incremental sync after one notice changes, and
//! a check that unchanged metadata is answered 304.

mod support;

use lobby_kiosk::store::Store;
use lobby_kiosk::sync::{SyncEngine, SyncOutcome, SyncSettings};
use support::nginx::Nginx;
use support::repo_fixture::Fixture;

#[tokio::test]
async fn full_then_incremental_sync_with_conditional_requests() {
    let fixture = Fixture::new().await;
    fixture.publish().await;
    let nginx = Nginx::serve(fixture.repo.root(), &fixture.work.join("nginx"));
    let settings = SyncSettings::for_base(&nginx.url(), fixture.trusted_root()).unwrap();
    let engine = SyncEngine::new(settings, &fixture.work).unwrap();
    let mut store = Store::open(&fixture.store).unwrap();

    let full = engine.sync_once(&mut store).await.unwrap();
    let SyncOutcome::Updated {
        version: 1,
        downloaded: all,
    } = full
    else {
        panic!("{full:?}")
    };
    assert!(all >= 7, "{all} targets in the full sync");
    assert!(
        nginx
            .requests()
            .iter()
            .all(|(_, status)| *status == 200 || *status == 404),
        "{:?}",
        nginx.requests()
    );

    fixture.edit_notice_title("tianhe-gym-closure", "天河体育中心体育馆恢复开放");
    let report = fixture.publish().await;
    assert_eq!(report.changed, ["notice/tianhe-gym-closure"]);
    let seen = nginx.requests().len();
    let incremental = engine.sync_once(&mut store).await.unwrap();
    assert_eq!(
        incremental,
        SyncOutcome::Updated {
            version: 2,
            downloaded: 1
        },
        "only the changed shard moves"
    );
    let target_requests: Vec<_> = nginx.requests()[seen..]
        .iter()
        .filter(|(p, _)| p.starts_with("/targets/"))
        .cloned()
        .collect();
    assert_eq!(target_requests.len(), 1, "{target_requests:?}");

    let seen = nginx.requests().len();
    let unchanged = engine.sync_once(&mut store).await.unwrap();
    assert_eq!(unchanged, SyncOutcome::UpToDate { version: 2 });
    let third = nginx.requests()[seen..].to_vec();
    assert!(
        third.contains(&("/metadata/timestamp.json".to_owned(), 304)),
        "conditional request answered 304: {third:?}"
    );
    assert!(
        third.iter().all(|(p, _)| !p.starts_with("/targets/")),
        "{third:?}"
    );
}
