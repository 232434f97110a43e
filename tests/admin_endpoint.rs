//! The kiosk's HTTP admin endpoint over real HTTP: bearer-token auth (401),
//! body limit (413) and deadline (408), failures rate-limited per client
//! address (429) without locking the admin out, connections capped per
//! address, "sync now" during a running sync, and no way to change content
//! other than waking the verified sync.

mod support;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use lobby_kiosk::config::AdminEndpointConfig;
use lobby_kiosk::kiosk::endpoint::{Endpoint, MAX_BODY_BYTES};
use lobby_kiosk::kiosk::status::ContentStatus;
use lobby_kiosk::kiosk::status::{StatusHandle, StatusReport};
use lobby_kiosk::secret::hash_secret;
use support::sync_counter::SyncCounter;

const TOKEN: &str = "correct horse battery staple";

struct Kiosk {
    endpoint: Endpoint,
    syncs: Arc<SyncCounter>,
    status: StatusHandle,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

fn kiosk(requests_per_minute: u32, burst: u32) -> Kiosk {
    let config = AdminEndpointConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        token_sha256: hash_secret(TOKEN),
        requests_per_minute,
        burst,
    };
    let syncs = SyncCounter::shared();
    let status = StatusHandle::default();
    status.set(ContentStatus {
        online: true,
        version: "v4".into(),
        source: "http://repo.example/".into(),
        ..ContentStatus::default()
    });
    let endpoint = Endpoint::start(&config, "hall-2", status.clone(), syncs.clone())
        .expect("the endpoint starts");
    Kiosk {
        endpoint,
        syncs,
        status,
        http: reqwest::Client::new(),
        runtime: tokio::runtime::Runtime::new().unwrap(),
    }
}

impl Kiosk {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.endpoint.local_addr())
    }

    fn send(&self, method: reqwest::Method, path: &str, token: Option<&str>, body: Vec<u8>) -> u16 {
        self.request(method, path, token, reqwest::Body::from(body))
            .0
    }

    /// The status of a GET /status sent from `from` (a loopback address).
    fn status_from(&self, from: IpAddr, token: &str) -> u16 {
        let client = reqwest::Client::builder()
            .local_address(from)
            .build()
            .unwrap();
        self.runtime.block_on(async {
            client
                .get(self.url("/status"))
                .bearer_auth(token)
                .send()
                .await
                .expect("the endpoint answers")
                .status()
                .as_u16()
        })
    }

    /// Status and headers of one request.
    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: reqwest::Body,
    ) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let mut request = self.http.request(method, self.url(path)).body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        self.runtime.block_on(async {
            let response = request.send().await.expect("the endpoint answers");
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            (status, headers, response.bytes().await.unwrap().to_vec())
        })
    }
}

#[test]
fn status_and_sync_need_the_right_token() {
    let kiosk = kiosk(600, 50);
    for (path, method) in [
        ("/status", reqwest::Method::GET),
        ("/sync", reqwest::Method::POST),
    ] {
        assert_eq!(
            kiosk.send(method.clone(), path, None, Vec::new()),
            401,
            "{path} without token"
        );
        assert_eq!(
            kiosk.send(method.clone(), path, Some("wrong"), Vec::new()),
            401,
            "{path} wrong token"
        );
        // The hash itself is not the token.
        assert_eq!(
            kiosk.send(method, path, Some(&hash_secret(TOKEN)), Vec::new()),
            401
        );
    }
    assert_eq!(kiosk.syncs.count(), 0, "no sync without the token");

    let (code, _, body) = kiosk.request(
        reqwest::Method::GET,
        "/status",
        Some(TOKEN),
        reqwest::Body::from(""),
    );
    assert_eq!(code, 200);
    let report: StatusReport = serde_json::from_slice(&body).unwrap();
    assert_eq!(report.kiosk_id, "hall-2");
    assert_eq!(report.version, "v4");
    assert!(report.running && report.repository_reachable);

    assert_eq!(
        kiosk.send(reqwest::Method::POST, "/sync", Some(TOKEN), Vec::new()),
        202
    );
    assert_eq!(kiosk.syncs.count(), 1);
}

#[test]
fn bodies_over_the_limit_are_refused_with_413() {
    let kiosk = kiosk(600, 50);
    let big = vec![b'x'; MAX_BODY_BYTES + 1];
    assert_eq!(
        kiosk.send(reqwest::Method::POST, "/sync", Some(TOKEN), big),
        413
    );
    assert_eq!(kiosk.syncs.count(), 0, "a refused request does nothing");
    // Chunked, without a declared length: still cut off at the limit.
    let chunks = futures::stream::iter(
        (0..8).map(|_| Ok::<_, std::io::Error>(vec![b'y'; MAX_BODY_BYTES / 2])),
    );
    let (code, _, _) = kiosk.request(
        reqwest::Method::POST,
        "/sync",
        Some(TOKEN),
        reqwest::Body::wrap_stream(chunks),
    );
    assert_eq!(code, 413);
    assert_eq!(kiosk.syncs.count(), 0);
}

/// A second loopback address: a stranger on the network.
const STRANGER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));
const ADMIN: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

#[test]
fn failures_are_limited_per_address_and_never_lock_the_admin_out() {
    let kiosk = kiosk(1, 3);
    let stranger: Vec<u16> = (0..5)
        .map(|_| kiosk.status_from(STRANGER, "guess"))
        .collect();
    assert_eq!(stranger, [401, 401, 401, 429, 429]);
    // Over its limit, an address learns nothing, not even with the right token.
    assert_eq!(kiosk.status_from(STRANGER, TOKEN), 429);
    // The admin, elsewhere, is served as often as needed.
    let admin: Vec<u16> = (0..10).map(|_| kiosk.status_from(ADMIN, TOKEN)).collect();
    assert_eq!(admin, [200; 10]);
    let (code, headers, _) = kiosk.request(
        reqwest::Method::GET,
        "/status",
        Some("guess"),
        reqwest::Body::from(""),
    );
    assert_eq!(code, 401, "the admin's address has its own allowance");
    assert!(!headers.contains_key("retry-after"));
    let stranger_again = reqwest::Client::builder()
        .local_address(STRANGER)
        .build()
        .unwrap();
    let headers = kiosk.runtime.block_on(async {
        stranger_again
            .get(kiosk.url("/status"))
            .send()
            .await
            .unwrap()
            .headers()
            .clone()
    });
    assert!(headers.contains_key("retry-after"), "says when to retry");
}

#[test]
fn a_strangers_connections_beyond_its_share_are_closed_and_the_admin_is_served() {
    use lobby_kiosk::kiosk::endpoint::MAX_CONNECTIONS_PER_ADDRESS;
    use tokio::io::AsyncReadExt;
    let kiosk = kiosk(600, 50);
    let address = kiosk.endpoint.local_addr();
    let closed = kiosk.runtime.block_on(async {
        let mut idle = Vec::new();
        for _ in 0..40 {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind((STRANGER, 0).into()).unwrap();
            idle.push(socket.connect(address).await.unwrap());
        }
        let mut closed = 0;
        for stream in &mut idle {
            let mut byte = [0u8; 1];
            if let Ok(Ok(0)) =
                tokio::time::timeout(Duration::from_millis(500), stream.read(&mut byte)).await
            {
                closed += 1;
            }
        }
        (closed, idle)
    });
    assert_eq!(
        closed.0,
        40 - MAX_CONNECTIONS_PER_ADDRESS,
        "idle connections beyond the stranger's share are closed at once"
    );
    assert_eq!(
        kiosk.status_from(ADMIN, TOKEN),
        200,
        "while the admin is served"
    );
}

#[test]
fn a_request_body_that_never_ends_gets_408() {
    let kiosk = kiosk(600, 50);
    let endless = futures::stream::unfold((), |()| async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        Some((Ok::<_, std::io::Error>(vec![b' '; 8]), ()))
    });
    let (code, _, body) = kiosk.runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(30), async {
            let response = kiosk
                .http
                .post(kiosk.url("/sync"))
                .bearer_auth(TOKEN)
                .body(reqwest::Body::wrap_stream(endless))
                .send()
                .await
                .expect("the endpoint answers");
            let status = response.status().as_u16();
            (status, (), response.bytes().await.unwrap_or_default())
        })
        .await
        .expect("no answer after 30 s: the endpoint waits for the body forever")
    });
    assert_eq!(code, 408, "{}", String::from_utf8_lossy(&body));
    assert_eq!(kiosk.syncs.count(), 0);
}

#[test]
fn sync_now_during_a_running_sync_says_so() {
    let kiosk = kiosk(600, 50);
    kiosk.syncs.set_running(true);
    let (code, _, body) = kiosk.request(
        reqwest::Method::POST,
        "/sync",
        Some(TOKEN),
        reqwest::Body::from(""),
    );
    assert_eq!(code, 202);
    let reply: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(reply["sync"], "queued");
    let message = reply["message"].as_str().unwrap();
    assert!(
        message.starts_with("a sync is already running (since ")
            && message.ends_with("); one more starts when it ends"),
        "{message}"
    );
    let (_, _, body) = kiosk.request(
        reqwest::Method::GET,
        "/status",
        Some(TOKEN),
        reqwest::Body::from(""),
    );
    let report: StatusReport = serde_json::from_slice(&body).unwrap();
    assert!(report.syncing_since.is_some(), "the status says so too");
}

#[test]
fn nothing_but_a_sync_request_reaches_the_kiosk() {
    let kiosk = kiosk(600, 50);
    let before = kiosk.status.get();
    let catalog = br#"{"notices":[{"id":"fake","title":"planted"}]}"#.to_vec();
    let attempts = [
        (reqwest::Method::PUT, "/status"),
        (reqwest::Method::POST, "/status"),
        (reqwest::Method::DELETE, "/sync"),
        (reqwest::Method::PUT, "/sync"),
        (reqwest::Method::POST, "/content"),
        (reqwest::Method::PUT, "/catalog.json"),
        (reqwest::Method::POST, "/metadata/timestamp.json"),
    ];
    for (method, path) in attempts {
        let answer = kiosk.send(method.clone(), path, Some(TOKEN), catalog.clone());
        assert!(
            answer == 404 || answer == 405,
            "{method} {path} answered {answer}"
        );
    }
    assert_eq!(kiosk.syncs.count(), 0);
    assert_eq!(kiosk.status.get(), before, "the status is untouched");
    // A body sent with POST /sync is ignored: it only wakes the verified sync.
    assert_eq!(
        kiosk.send(reqwest::Method::POST, "/sync", Some(TOKEN), catalog),
        202
    );
    assert_eq!(kiosk.syncs.count(), 1);
    assert_eq!(kiosk.status.get(), before);
}

#[test]
fn a_taken_port_is_reported_and_the_kiosk_runs_on_without_the_endpoint() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = lobby_kiosk::config::Config {
        admin_endpoint: Some(AdminEndpointConfig {
            bind: taken.local_addr().unwrap(),
            token_sha256: hash_secret(TOKEN),
            requests_per_minute: 60,
            burst: 5,
        }),
        ..lobby_kiosk::config::Config::demo()
    };
    let (services, problems) =
        lobby_kiosk::kiosk::services::start(&config, &StatusHandle::default(), None);
    assert!(services.endpoint.is_none());
    assert_eq!(problems.len(), 1, "{problems:?}");
    let message = problems[0].to_string();
    assert!(
        message.contains(&taken.local_addr().unwrap().to_string()),
        "the message names the address: {message}"
    );
}

/// Set in the child process of the open-file-limit test, which lowers its
/// own limit (the whole process's) and so must not share it with the others.
const FILE_LIMIT_CHILD: &str = "ADMIN_ENDPOINT_FILE_LIMIT_CHILD";

#[test]
fn at_the_open_file_limit_accept_errors_back_off_and_the_endpoint_recovers() {
    if std::env::var_os(FILE_LIMIT_CHILD).is_some() {
        return out_of_file_descriptors();
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "at_the_open_file_limit_accept_errors_back_off_and_the_endpoint_recovers",
            "--nocapture",
        ])
        .env(FILE_LIMIT_CHILD, "1")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    let logged = stderr.matches("accept failed").count();
    assert!(
        (1..=2).contains(&logged),
        "the accept error is logged, rate-limited: {logged} lines\n{}",
        stderr.chars().take(2000).collect::<String>()
    );
}

/// The child's part: connections wait in the backlog while the process is
/// at its open-file limit; the endpoint must pause between failed accepts
/// (not spin), and serve again once descriptors are free.
fn out_of_file_descriptors() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let kiosk = kiosk(600, 50);
    let address = kiosk.endpoint.local_addr();
    // The stranger's sockets are made first (a stranger's, so that the
    // admin's share is free afterwards), then the limit is lowered to what
    // is open, then they connect: the endpoint has no descriptor left to
    // accept them with.
    let sockets: Vec<_> = (0..8)
        .map(|_| {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind((STRANGER, 0).into()).unwrap();
            socket
        })
        .collect();
    // Less the descriptor that lists them.
    let open = std::fs::read_dir("/proc/self/fd").unwrap().count() as u64 - 1;
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain system calls on a valid struct.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        let lowered = libc::rlimit {
            rlim_cur: open,
            ..limit
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lowered), 0);
    }
    let _waiting = kiosk.runtime.block_on(async {
        let mut waiting = Vec::new();
        for socket in sockets {
            waiting.push(socket.connect(address).await.unwrap());
        }
        waiting
    });
    let cpu_before = cpu_time();
    std::thread::sleep(Duration::from_secs(3));
    let cpu = cpu_time() - cpu_before;
    // SAFETY: as above.
    unsafe {
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
    }
    assert!(
        cpu < Duration::from_millis(1500),
        "the accept loop spun: {cpu:?} of CPU in 3 s"
    );
    assert_eq!(
        kiosk.status_from(ADMIN, TOKEN),
        200,
        "served again once descriptors are free"
    );
}

/// CPU time this process has used, user and system.
fn cpu_time() -> Duration {
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, &mut usage), 0);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}
