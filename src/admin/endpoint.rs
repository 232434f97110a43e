//! The kiosk's HTTP admin endpoint: `POST /sync` wakes the verified sync,
//! `GET /status` reports the status as JSON. Bearer-token auth against the
//! token's SHA-256 in `kiosk.toml` (compared in constant time), one rate
//! limit for all clients, small bodies only. It has no way to change
//! content: the only write is waking the sync, which verifies everything.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use subtle::ConstantTimeEq;
use tokio::sync::oneshot;

use super::status::{StatusHandle, StatusReport};
use crate::config::AdminEndpointConfig;
use crate::ui::session::hash_pin;

/// Largest request body accepted; larger ones are answered 413.
pub const MAX_BODY_BYTES: usize = 1024;

/// How long a client may take to send its request headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

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
    /// The server thread could not start.
    #[error("admin endpoint: cannot start its thread: {0}")]
    Thread(std::io::Error),
}

/// What the endpoint serves.
struct Service {
    kiosk_id: String,
    token_sha256: String,
    status: StatusHandle,
    sync_now: Arc<dyn Fn() + Send + Sync>,
    limiter: DefaultDirectRateLimiter,
}

/// A running endpoint; stops when dropped.
pub struct Endpoint {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Endpoint {
    /// Listens on `config.bind` in a thread of its own. `sync_now` is called
    /// for `POST /sync`; `GET /status` reads `status`.
    pub fn start(
        config: &AdminEndpointConfig,
        kiosk_id: &str,
        status: StatusHandle,
        sync_now: Arc<dyn Fn() + Send + Sync>,
    ) -> Result<Endpoint, EndpointError> {
        let bind_error = |source| EndpointError::Bind {
            bind: config.bind,
            source,
        };
        let listener = std::net::TcpListener::bind(config.bind).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let quota = Quota::per_minute(
            NonZeroU32::new(config.requests_per_minute).unwrap_or(NonZeroU32::MIN),
        )
        .allow_burst(NonZeroU32::new(config.burst).unwrap_or(NonZeroU32::MIN));
        let service = Arc::new(Service {
            kiosk_id: kiosk_id.to_owned(),
            token_sha256: config.token_sha256.to_ascii_lowercase(),
            status,
            sync_now,
            limiter: RateLimiter::direct(quota),
        });
        let (shutdown, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("admin-endpoint".into())
            .spawn(move || serve(listener, service, stopped))
            .map_err(EndpointError::Thread)?;
        tracing::info!("admin endpoint listening on {addr}");
        Ok(Endpoint {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The address it listens on (the real port when the config said 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    listener: std::net::TcpListener,
    service: Arc<Service>,
    mut stopped: oneshot::Receiver<()>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!("admin endpoint: cannot start its runtime: {error}");
            return;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::from_std(listener) {
            Ok(listener) => listener,
            Err(error) => {
                tracing::error!("admin endpoint: cannot listen: {error}");
                return;
            }
        };
        loop {
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        tracing::warn!("admin endpoint: accept failed: {error}");
                        continue;
                    }
                },
                _ = &mut stopped => return,
            };
            let service = service.clone();
            tokio::spawn(async move {
                let handler = hyper::service::service_fn(move |request| {
                    let service = service.clone();
                    async move { Ok::<_, std::convert::Infallible>(service.handle(request).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), handler)
                    .await;
            });
        }
    });
}

type Reply = Response<Full<Bytes>>;

fn reply(status: StatusCode, message: &str) -> Reply {
    let body = serde_json::json!({ "error": message }).to_string();
    json(status, body.into_bytes())
}

fn json(status: StatusCode, body: Vec<u8>) -> Reply {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

impl Service {
    async fn handle(&self, request: Request<Incoming>) -> Reply {
        if let Err(not_until) = self.limiter.check() {
            let wait = not_until.wait_time_from(self.limiter.clock().now());
            let mut response = reply(
                StatusCode::TOO_MANY_REQUESTS,
                "too many requests: wait and try again",
            );
            if let Ok(value) = HeaderValue::from_str(&(wait.as_secs() + 1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        if !self.authorized(&request) {
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
        if Limited::new(body, MAX_BODY_BYTES).collect().await.is_err() {
            return too_large();
        }
        match (parts.method, parts.uri.path()) {
            (Method::POST, "/sync") => {
                (self.sync_now)();
                json(StatusCode::ACCEPTED, br#"{"sync":"started"}"#.to_vec())
            }
            (Method::GET, "/status") => {
                let report =
                    StatusReport::running(&self.kiosk_id, &self.status.get(), chrono::Utc::now());
                json(StatusCode::OK, report.to_json())
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
        let hash = hash_pin(token.trim());
        hash.as_bytes().ct_eq(self.token_sha256.as_bytes()).into()
    }
}
