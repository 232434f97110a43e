//! Sync against an ordinary web server: nginx (installed by
//! `scripts/install-test-deps.sh`) serving a published repository on
//! loopback. Full sync, an incremental sync after one notice changes, and
//! a check that unchanged metadata is answered 304.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use lobby_kiosk::store::Store;
use lobby_kiosk::sync::{SyncEngine, SyncOutcome, SyncSettings};
use support::repo_fixture::Fixture;

/// An nginx serving a folder on a free loopback port; stopped on drop.
struct Nginx {
    child: Child,
    port: u16,
    log: PathBuf,
}

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect(
            "nginx is not installed: run scripts/install-test-deps.sh (as root) before the tests",
        )
}

impl Nginx {
    fn serve(root: &Path, work: &Path) -> Nginx {
        std::fs::create_dir_all(work).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = work.join("access.log");
        let user = if unsafe_is_root() { "user root;" } else { "" };
        let conf = format!(
            "{user}\nworker_processes 1;\nerror_log {w}/error.log;\npid {w}/nginx.pid;\nevents {{}}\nhttp {{\n  access_log {log};\n  client_body_temp_path {w}/body;\n  proxy_temp_path {w}/proxy;\n  fastcgi_temp_path {w}/fastcgi;\n  uwsgi_temp_path {w}/uwsgi;\n  scgi_temp_path {w}/scgi;\n  types {{ application/json json; image/png png; }}\n  server {{\n    listen 127.0.0.1:{port};\n    root {root};\n  }}\n}}\n",
            w = work.display(),
            log = log.display(),
            root = root.display(),
        );
        let conf_path = work.join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = Command::new(nginx_binary())
            .args([
                "-p",
                &work.display().to_string(),
                "-c",
                &conf_path.display().to_string(),
                "-g",
                "daemon off;",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("nginx starts");
        let nginx = Nginx { child, port, log };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return nginx;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("nginx did not start; see {}/error.log", work.display());
    }

    fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://127.0.0.1:{}/", self.port)).unwrap()
    }

    /// (path, status) of every request so far.
    fn requests(&self) -> Vec<(String, u16)> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                let request = line.split('"').nth(1)?;
                let path = request.split(' ').nth(1)?.to_owned();
                let status = line
                    .split('"')
                    .nth(2)?
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()?;
                Some((path, status))
            })
            .collect()
    }
}

fn unsafe_is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM makes the master stop its workers too; SIGKILL would orphan them.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

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
