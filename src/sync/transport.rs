//! HTTP for the TUF client: reqwest over rustls with timeouts on every
//! request, conditional requests for metadata (ETag / Last-Modified, a 304
//! reuses the cached copy), and downloads that resume with `Range` after a
//! dropped connection or a restart instead of starting over.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use futures::channel::mpsc;
use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_RANGE, ETAG, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RANGE,
};
use sha2::{Digest, Sha256};
use tough::Bytes;
use tough::{Transport, TransportError, TransportErrorKind, TransportStream};
use url::Url;

/// Downloads at least this large keep a partial copy on disk while they run.
const RESUMABLE_BYTES: u64 = 16 * 1024 * 1024;

/// Network settings of the transport.
#[derive(Debug, Clone)]
pub struct TransportSettings {
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Longest silence while reading a response (a stalled server).
    pub read_timeout: Duration,
    /// Attempts per file, resuming where the last one stopped.
    pub attempts: u32,
    /// Where partial downloads are kept between attempts and restarts.
    pub partial_dir: PathBuf,
}

/// Counters of what went over the network.
#[derive(Debug, Default)]
pub struct TransferStats {
    /// Body bytes received.
    pub bytes: AtomicU64,
    /// Requests sent.
    pub requests: AtomicU64,
    /// Requests answered 304 Not Modified.
    pub not_modified: AtomicU64,
    /// Requests that resumed with a Range.
    pub resumed: AtomicU64,
}

#[derive(Debug, Clone)]
struct CachedResponse {
    etag: Option<HeaderValue>,
    last_modified: Option<HeaderValue>,
    body: Bytes,
}

/// The kiosk's TUF transport.
#[derive(Debug, Clone)]
pub struct KioskTransport {
    client: reqwest::Client,
    settings: Arc<TransportSettings>,
    cache: Arc<Mutex<HashMap<Url, CachedResponse>>>,
    stats: Arc<TransferStats>,
}

impl KioskTransport {
    /// A transport with the given settings.
    pub fn new(settings: TransportSettings) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .read_timeout(settings.read_timeout)
            .user_agent(concat!("lobby-kiosk/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(KioskTransport {
            client,
            settings: Arc::new(settings),
            cache: Arc::default(),
            stats: Arc::default(),
        })
    }

    /// The transfer counters, shared with every clone.
    pub fn stats(&self) -> Arc<TransferStats> {
        self.stats.clone()
    }

    fn partial_path(&self, url: &Url) -> PathBuf {
        let name = format!("{:x}", Sha256::digest(url.as_str().as_bytes()));
        self.settings.partial_dir.join(name)
    }

    /// Whether the URL names a metadata file (small, cached, conditional).
    fn is_metadata(url: &Url) -> bool {
        url.path().ends_with(".json") && url.path().contains("/metadata/")
    }
}

fn error(kind: TransportErrorKind, url: &Url, message: impl Into<String>) -> TransportError {
    TransportError::new_with_cause(kind, url.as_str(), message.into())
}

#[tough::async_trait]
impl Transport for KioskTransport {
    async fn fetch(&self, url: Url) -> Result<TransportStream, TransportError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(TransportError::new(
                TransportErrorKind::UnsupportedUrlScheme,
                url.as_str(),
            ));
        }
        if KioskTransport::is_metadata(&url) {
            let body = self.fetch_metadata(&url).await?;
            return Ok(Box::pin(futures::stream::once(async move { Ok(body) })));
        }
        let (sender, receiver) = mpsc::channel(8);
        let transport = self.clone();
        tokio::spawn(async move { transport.download(url, sender).await });
        Ok(Box::pin(receiver))
    }
}

impl KioskTransport {
    async fn fetch_metadata(&self, url: &Url) -> Result<Bytes, TransportError> {
        let cached = self
            .cache
            .lock()
            .ok()
            .and_then(|cache| cache.get(url).cloned());
        let mut request = self.client.get(url.clone());
        if let Some(cached) = &cached {
            if let Some(etag) = &cached.etag {
                request = request.header(IF_NONE_MATCH, etag.clone());
            }
            if let Some(modified) = &cached.last_modified {
                request = request.header(IF_MODIFIED_SINCE, modified.clone());
            }
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let response = request
            .send()
            .await
            .map_err(|e| error(TransportErrorKind::Other, url, describe(&e)))?;
        match response.status() {
            StatusCode::NOT_MODIFIED => {
                self.stats.not_modified.fetch_add(1, Ordering::Relaxed);
                cached.map(|c| c.body).ok_or_else(|| {
                    error(
                        TransportErrorKind::Other,
                        url,
                        "304 Not Modified without a cached copy",
                    )
                })
            }
            StatusCode::NOT_FOUND => Err(TransportError::new(
                TransportErrorKind::FileNotFound,
                url.as_str(),
            )),
            status if status.is_success() => {
                let etag = response.headers().get(ETAG).cloned();
                let last_modified = response.headers().get(LAST_MODIFIED).cloned();
                let body = response
                    .bytes()
                    .await
                    .map_err(|e| error(TransportErrorKind::Other, url, describe(&e)))?;
                self.stats
                    .bytes
                    .fetch_add(body.len() as u64, Ordering::Relaxed);
                if let Ok(mut cache) = self.cache.lock() {
                    cache.insert(
                        url.clone(),
                        CachedResponse {
                            etag,
                            last_modified,
                            body: body.clone(),
                        },
                    );
                }
                Ok(body)
            }
            status => Err(error(
                TransportErrorKind::Other,
                url,
                format!("server answered {status}"),
            )),
        }
    }

    /// Streams a target into `sender`, keeping what arrived in a partial
    /// file and resuming with `Range` after a failure.
    async fn download(self, url: Url, mut sender: mpsc::Sender<Result<Bytes, TransportError>>) {
        use futures::SinkExt;
        use tokio::io::AsyncWriteExt;

        let partial = self.partial_path(&url);
        let _ = tokio::fs::create_dir_all(&self.settings.partial_dir).await;
        let kept = tokio::fs::read(&partial).await.unwrap_or_default();
        // Bytes already handed to the verifier; a retry asks for the rest only.
        let mut have = kept.len() as u64;
        // Whether this download keeps a partial copy; decided by the first answer.
        let mut keep_partial = have > 0;
        if have > 0 && sender.send(Ok(Bytes::from(kept))).await.is_err() {
            return;
        }
        let mut last_error = String::new();
        for attempt in 0..self.settings.attempts.max(1) {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
            }
            let mut request = self.client.get(url.clone());
            if have > 0 {
                request = request.header(RANGE, format!("bytes={have}-"));
            }
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let response = match request.send().await {
                Ok(response) => response,
                Err(e) => {
                    last_error = describe(&e);
                    continue;
                }
            };
            match response.status() {
                StatusCode::NOT_FOUND => {
                    let _ = sender
                        .send(Err(TransportError::new(
                            TransportErrorKind::FileNotFound,
                            url.as_str(),
                        )))
                        .await;
                    return;
                }
                StatusCode::PARTIAL_CONTENT if response.headers().contains_key(CONTENT_RANGE) => {
                    self.stats.resumed.fetch_add(1, Ordering::Relaxed);
                }
                StatusCode::RANGE_NOT_SATISFIABLE => {
                    // The partial copy is complete or stale: let the hash check decide, then start over if needed.
                    let _ = tokio::fs::remove_file(&partial).await;
                    return;
                }
                status if status.is_success() => {
                    if have > 0 {
                        // The server ignored the Range: what we sent is wrong now. Fail this
                        // fetch; the next one starts from zero.
                        let _ = tokio::fs::remove_file(&partial).await;
                        let message = "server does not support resuming; retrying from the start";
                        let _ = sender
                            .send(Err(error(TransportErrorKind::Other, &url, message)))
                            .await;
                        return;
                    }
                }
                status => {
                    last_error = format!("server answered {status}");
                    if status.is_client_error() {
                        break;
                    }
                    continue;
                }
            }
            // Large downloads keep a partial copy so a restart continues them
            // (best effort, buffered); small ones are cheaper to fetch again
            // than to write twice.
            if have == 0 {
                keep_partial = response
                    .content_length()
                    .is_none_or(|length| length >= RESUMABLE_BYTES);
            }
            let mut file = if keep_partial {
                tokio::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&partial)
                    .await
                    .ok()
                    .map(|file| tokio::io::BufWriter::with_capacity(4 * 1024 * 1024, file))
            } else {
                None
            };
            let mut body = response.bytes_stream();
            let mut failed = false;
            while let Some(chunk) = body.next().await {
                match chunk {
                    Ok(chunk) => {
                        self.stats
                            .bytes
                            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        if let Some(file) = file.as_mut() {
                            let _ = file.write_all(&chunk).await;
                        }
                        have += chunk.len() as u64;
                        if sender.send(Ok(chunk)).await.is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        last_error = describe(&e);
                        failed = true;
                        break;
                    }
                }
            }
            if !failed {
                drop(file);
                let _ = tokio::fs::remove_file(&partial).await;
                return;
            }
            if let Some(file) = file.as_mut() {
                let _ = file.flush().await;
            }
        }
        let _ = sender
            .send(Err(error(TransportErrorKind::Other, &url, last_error)))
            .await;
    }
}

/// A reqwest error in words a status line can show.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timed out (the server stopped answering)".into()
    } else if error.is_connect() {
        "cannot connect to the server".into()
    } else if error.is_body() || error.is_decode() || error.is_request() {
        "the connection broke during the download".into()
    } else {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            message = format!("{message}: {inner}");
            source = inner.source();
        }
        message
    }
}
