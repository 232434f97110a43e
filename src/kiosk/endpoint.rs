//! The kiosk's HTTP admin endpoint: `POST /sync` wakes the verified sync,
//! `GET /status` reports the status as JSON. Bearer-token auth against the
//! token's SHA-256 in `kiosk.toml` (compared in constant time), small bodies
//! only. It has no way to change content: the only write is waking the
//! sync, which verifies everything.
//!
//! Against strangers on the network: failed requests are rate-limited per
//! client address (an address over its limit is refused before its token
//! is looked at; the admin's own requests never count), connections are
//! capped in total and per address, every connection and request body has
//! a deadline, and accept errors (the open-file limit) back off instead of
//! spinning, with their log line rate-limited.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use subtle::ConstantTimeEq;
use tokio::sync::{Semaphore, oneshot};

use super::status::{StatusHandle, StatusReport};
use crate::config::AdminEndpointConfig;
use crate::log_limit::{LogLimit, left_out};
use crate::secret::hash_secret;
use crate::service_thread::ServiceThread;
use crate::sync::runner::{SyncControl, SyncRequest};

/// Largest request body accepted; larger ones are answered 413.
pub const MAX_BODY_BYTES: usize = 1024;

/// How long a client may take to send its request headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client may take to send a request body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one connection may stay open, keep-alive included.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections open at once; more wait in the kernel's backlog.
pub const MAX_CONNECTIONS: usize = 32;

/// Connections open at once from one address; more are closed at once.
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 4;

/// The longest pause after repeated accept errors.
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(2);

/// The endpoint could not start.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    /// The address cannot be listened on.
    #[error(
        "admin endpoint: cannot listen on {bind}: {source} (change admin_endpoint.bind in kiosk.toml)"
    )]
    Bind {
        /// The configured address.
        bind: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A rate limit of 0 (`Config::parse` refuses it too; this guards a
    /// config built in code).
    #[error("admin endpoint: {0} must be at least 1")]
    ZeroLimit(&'static str),
    /// The server thread could not start.
    #[error("admin endpoint: cannot start its thread: {0}")]
    Thread(std::io::Error),
}

/// What the endpoint serves.
struct Service {
    kiosk_id: String,
    token_sha256: String,
    status: StatusHandle,
    sync: Arc<dyn SyncControl>,
    failures: FailureLimit,
}

/// Failed requests per client address: over the quota, the address is
/// refused until it has earned a new attempt.
struct FailureLimit {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    locked_until: Mutex<HashMap<IpAddr, Instant>>,
}

impl FailureLimit {
    fn new(quota: Quota) -> Self {
        FailureLimit {
            limiter: RateLimiter::keyed(quota),
            locked_until: Mutex::default(),
        }
    }

    /// How long `address` must still wait (None: it may try).
    fn locked(&self, address: IpAddr) -> Option<Duration> {
        let now = Instant::now();
        let mut locked = self.locked_until.lock().ok()?;
        match locked.get(&address) {
            Some(until) if *until > now => Some(*until - now),
            Some(_) => {
                locked.remove(&address);
                None
            }
            None => None,
        }
    }

    /// Counts a failure of `address`; returns how long it must now wait
    /// when that was one failure too many.
    fn failed(&self, address: IpAddr) -> Option<Duration> {
        let not_until = self.limiter.check_key(&address).err()?;
        let wait = not_until.wait_time_from(self.limiter.clock().now());
        if let Ok(mut locked) = self.locked_until.lock() {
            let now = Instant::now();
            locked.retain(|_, until| *until > now);
            locked.insert(address, now + wait);
        }
        self.limiter.retain_recent();
        Some(wait)
    }
}

/// Open connections per client address.
#[derive(Default)]
struct OpenConnections(Mutex<HashMap<IpAddr, usize>>);

impl OpenConnections {
    /// Counts a new connection from `address`, or refuses it when that
    /// address already has its share open.
    fn open(self: &Arc<Self>, address: IpAddr) -> Option<ConnectionSlot> {
        let mut open = self.0.lock().ok()?;
        let count = open.entry(address).or_default();
        if *count >= MAX_CONNECTIONS_PER_ADDRESS {
            return None;
        }
        *count += 1;
        Some(ConnectionSlot {
            connections: self.clone(),
            address,
        })
    }
}

/// One open connection; frees its place when dropped.
struct ConnectionSlot {
    connections: Arc<OpenConnections>,
    address: IpAddr,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.connections.0.lock()
            && let Some(count) = open.get_mut(&self.address)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// A running endpoint; stops when dropped.
pub struct Endpoint {
    addr: SocketAddr,
    _thread: ServiceThread,
}

impl Endpoint {
    /// Listens on `config.bind` in a thread of its own. `POST /sync` asks
    /// `sync` for a sync; `GET /status` reads `status`.
    pub fn start(
        config: &AdminEndpointConfig,
        kiosk_id: &str,
        status: StatusHandle,
        sync: Arc<dyn SyncControl>,
    ) -> Result<Endpoint, EndpointError> {
        let at_least_one = |key: &'static str, value: u32| {
            NonZeroU32::new(value).ok_or(EndpointError::ZeroLimit(key))
        };
        let quota = Quota::per_minute(at_least_one(
            "admin_endpoint.requests_per_minute",
            config.requests_per_minute,
        )?)
        .allow_burst(at_least_one("admin_endpoint.burst", config.burst)?);
        let bind_error = |source| EndpointError::Bind {
            bind: config.bind,
            source,
        };
        let listener = std::net::TcpListener::bind(config.bind).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let service = Arc::new(Service {
            kiosk_id: kiosk_id.to_owned(),
            token_sha256: config.token_sha256.to_ascii_lowercase(),
            status,
            sync,
            failures: FailureLimit::new(quota),
        });
        let thread = ServiceThread::spawn("admin endpoint", move |stopped| {
            serve(listener, service, stopped)
        })
        .map_err(EndpointError::Thread)?;
        tracing::info!("admin endpoint listening on {addr}");
        Ok(Endpoint {
            addr,
            _thread: thread,
        })
    }

    /// The address it listens on (the real port when the config said 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

async fn serve(
    listener: std::net::TcpListener,
    service: Arc<Service>,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!("admin endpoint: cannot listen: {error}");
            return;
        }
    };
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let open = Arc::new(OpenConnections::default());
    let accept_errors = LogLimit::new(Duration::from_secs(10));
    let mut backoff = Duration::ZERO;
    loop {
        // Take a place first: beyond the cap, connections wait in the backlog.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => return,
            },
            _ = &mut stopped => return,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => {
                    backoff = Duration::ZERO;
                    accepted
                }
                Err(error) => {
                    // Out of file descriptors, most likely: wait instead of spinning.
                    backoff = (backoff * 2).clamp(Duration::from_millis(50), MAX_ACCEPT_BACKOFF);
                    if let Some(count) = accept_errors.allow() {
                        tracing::warn!(
                            "admin endpoint: accept failed: {error}; pausing {} ms{}",
                            backoff.as_millis(),
                            left_out(count)
                        );
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => continue,
                        _ = &mut stopped => return,
                    }
                }
            },
            _ = &mut stopped => return,
        };
        let Some(per_address) = open.open(peer.ip()) else {
            drop(stream);
            continue;
        };
        let service = service.clone();
        tokio::spawn(async move {
            let _slots = (slot, per_address);
            let handler = hyper::service::service_fn(move |request| {
                let service = service.clone();
                async move {
                    Ok::<_, std::convert::Infallible>(service.handle(request, peer.ip()).await)
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), handler);
            let _ = tokio::time::timeout(CONNECTION_TIMEOUT, connection).await;
        });
    }
}

type Reply = Response<Full<Bytes>>;

fn reply(status: StatusCode, message: &str) -> Reply {
    json(status, serde_json::json!({ "error": message }))
}

fn json(status: StatusCode, value: serde_json::Value) -> Reply {
    json_bytes(status, value.to_string().into_bytes())
}

fn json_bytes(status: StatusCode, body: Vec<u8>) -> Reply {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn too_many(wait: Duration) -> Reply {
    let mut response = reply(
        StatusCode::TOO_MANY_REQUESTS,
        "too many failed requests from this address: wait and try again",
    );
    if let Ok(value) = HeaderValue::from_str(&(wait.as_secs() + 1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

impl Service {
    async fn handle(&self, request: Request<Incoming>, client: IpAddr) -> Reply {
        // An address over its failure limit learns nothing, not even
        // whether its token is right.
        if let Some(wait) = self.failures.locked(client) {
            return too_many(wait);
        }
        if !self.authorized(&request) {
            if let Some(wait) = self.failures.failed(client) {
                return too_many(wait);
            }
            let mut response = reply(
                StatusCode::UNAUTHORIZED,
                "missing or wrong bearer token: send the token whose SHA-256 is admin_endpoint.token_sha256",
            );
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return response;
        }
        let (parts, body) = request.into_parts();
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let too_large = || {
            reply(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("request body over {MAX_BODY_BYTES} bytes"),
            )
        };
        if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
            return too_large();
        }
        match tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, MAX_BODY_BYTES).collect()).await
        {
            Ok(Ok(_)) => {}
            Ok(Err(_)) => return too_large(),
            Err(_) => {
                return reply(
                    StatusCode::REQUEST_TIMEOUT,
                    &format!(
                        "the request body did not arrive within {} s",
                        BODY_TIMEOUT.as_secs()
                    ),
                );
            }
        }
        match (parts.method, parts.uri.path()) {
            (Method::POST, "/sync") => {
                let request = self.sync.sync_now();
                let message = request.to_string();
                match request {
                    SyncRequest::Started => json(
                        StatusCode::ACCEPTED,
                        serde_json::json!({ "sync": "started", "message": message }),
                    ),
                    SyncRequest::Queued { .. } => json(
                        StatusCode::ACCEPTED,
                        serde_json::json!({ "sync": "queued", "message": message }),
                    ),
                    SyncRequest::NoRepository => reply(StatusCode::CONFLICT, &message),
                }
            }
            (Method::GET, "/status") => {
                let report = StatusReport::running(
                    &self.kiosk_id,
                    &self.status,
                    self.sync.running_since(),
                    chrono::Utc::now(),
                );
                json_bytes(StatusCode::OK, report.to_json())
            }
            (_, "/sync" | "/status") => reply(
                StatusCode::METHOD_NOT_ALLOWED,
                "use POST /sync or GET /status",
            ),
            _ => reply(
                StatusCode::NOT_FOUND,
                "the endpoint has only POST /sync and GET /status",
            ),
        }
    }

    fn authorized(&self, request: &Request<Incoming>) -> bool {
        let Some(token) = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        else {
            return false;
        };
        let hash = hash_secret(token.trim());
        hash.as_bytes().ct_eq(self.token_sha256.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoSync;

    impl SyncControl for NoSync {
        fn sync_now(&self) -> SyncRequest {
            SyncRequest::NoRepository
        }

        fn running_since(&self) -> Option<chrono::DateTime<chrono::Utc>> {
            None
        }
    }

    #[test]
    fn a_rate_limit_of_zero_is_refused_not_made_one() {
        for (requests_per_minute, burst, key) in [
            (0, 5, "admin_endpoint.requests_per_minute"),
            (30, 0, "admin_endpoint.burst"),
        ] {
            let config = AdminEndpointConfig {
                bind: "127.0.0.1:0".parse().unwrap(),
                token_sha256: hash_secret("token"),
                requests_per_minute,
                burst,
            };
            let started =
                Endpoint::start(&config, "hall-1", StatusHandle::default(), Arc::new(NoSync));
            match started {
                Err(error) => assert_eq!(
                    error.to_string(),
                    format!("admin endpoint: {key} must be at least 1")
                ),
                Ok(_) => panic!("{key} = 0 was accepted"),
            }
        }
    }
}
