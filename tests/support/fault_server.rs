//! The project's own HTTP server for sync tests: serves a repository folder
//! like an ordinary web server (ETag/304, Range/206) and injects faults on
//! chosen paths: error statuses, resets, truncated or stalled bodies,
//! replaced bytes, and hostile answers: endless bodies (chunked, or under a
//! huge declared length) and bodies that trickle in a byte at a time.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Bytes, Frame};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;

/// What to do instead of serving a file normally.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this status and no body.
    Status(u16),
    /// Close the connection without answering.
    Reset,
    /// Announce the full length, send only this many bytes, close.
    Truncate(usize),
    /// Send this many bytes, then nothing, forever.
    Stall(usize),
    /// Serve these bytes instead of the file.
    Replace(Vec<u8>),
    /// A chunked body that never ends (as fast as the client reads).
    Endless,
    /// Declare this `Content-Length`, then send an endless body.
    HugeLength(u64),
    /// Send the file one byte per this interval.
    Trickle(Duration),
}

/// An endless body stops here anyway, so a client without limits fails its
/// test instead of exhausting the machine.
pub const ENDLESS_CAP: u64 = 256 * 1024 * 1024;

/// What the server may get out of one endless body beyond the client's
/// limit before the client stops reading: loopback socket buffers.
pub const SOCKET_SLACK: u64 = 16 * 1024 * 1024;

/// `ENDLESS_CAP` bytes of spaces in 64 KiB chunks, as fast as they are
/// read, counted in `sent`.
fn endless(sent: Arc<AtomicU64>) -> Body {
    let chunk = Bytes::from(vec![b' '; 64 * 1024]);
    let count = ENDLESS_CAP / chunk.len() as u64;
    let stream = futures::stream::iter(0..count).map(move |_| {
        sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        Ok(Frame::data(chunk.clone()))
    });
    BodyExt::boxed(StreamBody::new(stream))
}

#[derive(Debug, Clone)]
struct Rule {
    path_contains: String,
    fault: Fault,
    remaining: Option<usize>,
}

/// A running server; dropped with the test's runtime.
#[derive(Clone)]
pub struct FaultServer {
    /// Where it listens.
    pub addr: SocketAddr,
    rules: Arc<Mutex<Vec<Rule>>>,
    log: Arc<Mutex<Vec<(String, u16)>>>,
    endless_sent: Arc<AtomicU64>,
}

type Body = BoxBody<Bytes, std::io::Error>;

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never: Infallible| match never {})
        .boxed()
}

impl FaultServer {
    /// Serves `root` on a free loopback port.
    pub async fn start(root: PathBuf) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let server = FaultServer {
            addr: listener.local_addr().expect("local address"),
            rules: Arc::default(),
            log: Arc::default(),
            endless_sent: Arc::default(),
        };
        let state = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = state.clone();
                let root = root.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let state = state.clone();
                        let root = root.clone();
                        async move { state.handle(request, &root).await }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        server
    }

    /// The base URL (`http://127.0.0.1:port/`).
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}/", self.addr)).expect("valid URL")
    }

    /// Injects `fault` on paths containing `path_contains`, `times` times (None: always).
    pub fn inject(&self, path_contains: &str, fault: Fault, times: Option<usize>) {
        if let Ok(mut rules) = self.rules.lock() {
            rules.push(Rule {
                path_contains: path_contains.to_owned(),
                fault,
                remaining: times,
            });
        }
    }

    /// Removes every fault.
    pub fn clear(&self) {
        if let Ok(mut rules) = self.rules.lock() {
            rules.clear();
        }
    }

    /// Bytes of endless bodies the clients took so far (what the server
    /// sent is at most the socket buffers ahead of what a client read).
    pub fn endless_bytes_sent(&self) -> u64 {
        self.endless_sent.load(Ordering::Relaxed)
    }

    /// Requests served so far: (path, status).
    pub fn log(&self) -> Vec<(String, u16)> {
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }

    fn take_fault(&self, path: &str) -> Option<Fault> {
        let mut rules = self.rules.lock().ok()?;
        let rule = rules
            .iter_mut()
            .find(|r| path.contains(&r.path_contains) && r.remaining != Some(0))?;
        if let Some(left) = rule.remaining.as_mut() {
            *left -= 1;
        }
        Some(rule.fault.clone())
    }

    fn record(&self, path: &str, status: u16) {
        if let Ok(mut log) = self.log.lock() {
            log.push((path.to_owned(), status));
        }
    }

    async fn handle(
        &self,
        request: Request<hyper::body::Incoming>,
        root: &std::path::Path,
    ) -> Result<Response<Body>, std::io::Error> {
        let path = request.uri().path().to_owned();
        let decoded = percent_decode(&path);
        let file = root.join(decoded.trim_start_matches('/'));
        let fault = self.take_fault(&path);
        if let Some(Fault::Status(code)) = fault {
            self.record(&path, code);
            return Ok(Response::builder()
                .status(code)
                .body(full(Bytes::new()))
                .unwrap_or_default());
        }
        if let Some(Fault::Reset) = fault {
            self.record(&path, 0);
            return Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "injected reset",
            ));
        }
        match fault {
            Some(Fault::Endless) => {
                self.record(&path, 200);
                return Ok(Response::new(endless(self.endless_sent.clone())));
            }
            Some(Fault::HugeLength(length)) => {
                self.record(&path, 200);
                return Ok(Response::builder()
                    .header("content-length", length)
                    .body(endless(self.endless_sent.clone()))
                    .unwrap_or_default());
            }
            _ => {}
        }
        let bytes = match (&fault, tokio::fs::read(&file).await) {
            (Some(Fault::Replace(bytes)), _) => bytes.clone(),
            (_, Ok(bytes)) => bytes,
            (_, Err(_)) => {
                self.record(&path, 404);
                return Ok(Response::builder()
                    .status(StatusCode::NOT_FOUND)
                    .body(full("not found"))
                    .unwrap_or_default());
            }
        };
        let etag = format!("\"{:x}\"", Sha256::digest(&bytes));
        if request
            .headers()
            .get("if-none-match")
            .and_then(|v| v.to_str().ok())
            == Some(etag.as_str())
        {
            self.record(&path, 304);
            return Ok(Response::builder()
                .status(StatusCode::NOT_MODIFIED)
                .header("etag", etag)
                .body(full(Bytes::new()))
                .unwrap_or_default());
        }
        let start = request
            .headers()
            .get("range")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("bytes="))
            .and_then(|v| v.strip_suffix('-'))
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|start| *start < bytes.len());
        let (status, body) = match start {
            Some(start) => (StatusCode::PARTIAL_CONTENT, bytes[start..].to_vec()),
            None => (StatusCode::OK, bytes.clone()),
        };
        let mut response = Response::builder()
            .status(status)
            .header("etag", etag)
            .header("content-length", body.len())
            .header("accept-ranges", "bytes");
        if let Some(start) = start {
            response = response.header(
                "content-range",
                format!("bytes {start}-{}/{}", bytes.len() - 1, bytes.len()),
            );
        }
        self.record(&path, status.as_u16());
        let body = match fault {
            Some(Fault::Truncate(keep)) => {
                let head = Bytes::from(body[..keep.min(body.len())].to_vec());
                let stream = futures::stream::iter([
                    Ok(Frame::data(head)),
                    Err(std::io::Error::other("injected truncation")),
                ]);
                BodyExt::boxed(StreamBody::new(stream))
            }
            Some(Fault::Stall(keep)) => {
                let head = Bytes::from(body[..keep.min(body.len())].to_vec());
                let stream = futures::stream::once(async move { Ok(Frame::data(head)) }).chain(
                    futures::stream::once(async {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        Err(std::io::Error::other("stalled"))
                    }),
                );
                BodyExt::boxed(StreamBody::new(stream))
            }
            Some(Fault::Trickle(interval)) => {
                let stream = futures::stream::iter(body).then(move |byte| async move {
                    tokio::time::sleep(interval).await;
                    Ok(Frame::data(Bytes::from(vec![byte])))
                });
                BodyExt::boxed(StreamBody::new(stream))
            }
            _ => full(body),
        };
        Ok(response.body(body).unwrap_or_default())
    }
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| path.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        if let Some(value) = escaped {
            out.push(value);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
