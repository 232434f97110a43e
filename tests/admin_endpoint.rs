//! The kiosk's HTTP admin endpoint over real HTTP: bearer-token auth (401),
//! body limit (413), rate limit (429), and no way to change content other
//! than waking the verified sync.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use lobby_kiosk::admin::endpoint::{Endpoint, MAX_BODY_BYTES};
use lobby_kiosk::admin::status::{StatusHandle, StatusReport};
use lobby_kiosk::config::AdminEndpointConfig;
use lobby_kiosk::ui::app::ContentStatus;
use lobby_kiosk::ui::session::hash_pin;

const TOKEN: &str = "correct horse battery staple";

struct Kiosk {
    endpoint: Endpoint,
    syncs: Arc<AtomicUsize>,
    status: StatusHandle,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

fn kiosk(requests_per_minute: u32, burst: u32) -> Kiosk {
    let config = AdminEndpointConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        token_sha256: hash_pin(TOKEN),
        requests_per_minute,
        burst,
    };
    let syncs = Arc::new(AtomicUsize::new(0));
    let counter = syncs.clone();
    let status = StatusHandle::default();
    status.set(ContentStatus {
        online: true,
        version: "v4".into(),
        source: "http://repo.example/".into(),
        ..ContentStatus::default()
    });
    let endpoint = Endpoint::start(
        &config,
        "hall-2",
        status.clone(),
        Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        }),
    )
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
            kiosk.send(method, path, Some(&hash_pin(TOKEN)), Vec::new()),
            401
        );
    }
    assert_eq!(
        kiosk.syncs.load(Ordering::SeqCst),
        0,
        "no sync without the token"
    );

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
    assert_eq!(kiosk.syncs.load(Ordering::SeqCst), 1);
}

#[test]
fn bodies_over_the_limit_are_refused_with_413() {
    let kiosk = kiosk(600, 50);
    let big = vec![b'x'; MAX_BODY_BYTES + 1];
    assert_eq!(
        kiosk.send(reqwest::Method::POST, "/sync", Some(TOKEN), big),
        413
    );
    assert_eq!(
        kiosk.syncs.load(Ordering::SeqCst),
        0,
        "a refused request does nothing"
    );
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
    assert_eq!(kiosk.syncs.load(Ordering::SeqCst), 0);
}

#[test]
fn requests_over_the_rate_are_refused_with_429() {
    let kiosk = kiosk(1, 3);
    let answers: Vec<u16> = (0..5)
        .map(|_| kiosk.send(reqwest::Method::GET, "/status", Some(TOKEN), Vec::new()))
        .collect();
    assert_eq!(answers, [200, 200, 200, 429, 429]);
    // Unauthenticated guessing is limited too.
    assert_eq!(
        kiosk.send(reqwest::Method::GET, "/status", Some("guess"), Vec::new()),
        429
    );
    let (code, headers, _) = kiosk.request(
        reqwest::Method::GET,
        "/status",
        Some(TOKEN),
        reqwest::Body::from(""),
    );
    assert_eq!(code, 429);
    assert!(headers.contains_key("retry-after"), "says when to retry");
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
    assert_eq!(kiosk.syncs.load(Ordering::SeqCst), 0);
    assert_eq!(kiosk.status.get(), before, "the status is untouched");
    // A body sent with POST /sync is ignored: it only wakes the verified sync.
    assert_eq!(
        kiosk.send(reqwest::Method::POST, "/sync", Some(TOKEN), catalog),
        202
    );
    assert_eq!(kiosk.syncs.load(Ordering::SeqCst), 1);
    assert_eq!(kiosk.status.get(), before);
}

#[test]
fn a_taken_port_is_reported_and_the_kiosk_runs_on_without_the_endpoint() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = lobby_kiosk::config::Config {
        admin_endpoint: Some(AdminEndpointConfig {
            bind: taken.local_addr().unwrap(),
            token_sha256: hash_pin(TOKEN),
            requests_per_minute: 60,
            burst: 5,
        }),
        ..lobby_kiosk::config::Config::demo()
    };
    let (services, problems) =
        lobby_kiosk::admin::services::start(&config, &StatusHandle::default(), None);
    assert!(services.endpoint.is_none());
    assert_eq!(problems.len(), 1, "{problems:?}");
    let message = problems[0].to_string();
    assert!(
        message.contains(&taken.local_addr().unwrap().to_string()),
        "the message names the address: {message}"
    );
}
