//! HTTP for the TUF client: reqwest over rustls with timeouts on every
//! request, conditional requests for metadata (ETag / Last-Modified, a 304
//! reuses the cached copy), and downloads that resume with `Range` after a
//! dropped connection or a restart instead of starting over.
//!
//! Every read stops at a limit whatever the server declares: metadata at
//! its role's limit ([`MetadataLimits`]) and within a deadline sized from
//! that length and a minimum rate ([`Pace`]), targets at the largest
//! target allowed (the TUF client cuts each one at its signed length, and
//! the engine gives each its own deadline).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
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

use crate::net::{BodyError, Pace, read_body};

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
    /// Largest metadata file accepted, per role.
    pub metadata_limits: MetadataLimits,
    /// Largest target accepted.
    pub max_target_bytes: u64,
    /// The slowest a metadata file may arrive.
    pub pace: Pace,
    /// The folder of the roles the kiosk trusts, as received
    /// (`snapshot.json`, `targets.json`): a versioned file it already holds
    /// is read from there instead of the network.
    pub trusted_dir: PathBuf,
}

/// Largest metadata file accepted, per TUF role. The transport stops
/// reading at the limit whatever the server declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetadataLimits {
    /// `N.root.json` (keys and roles: a few KiB).
    pub root: u64,
    /// `timestamp.json` (one entry: under 1 KiB).
    pub timestamp: u64,
    /// `N.snapshot.json` (one entry per targets role).
    pub snapshot: u64,
    /// `N.targets.json` (one entry per target: about 200 bytes each).
    pub targets: u64,
}

impl Default for MetadataLimits {
    fn default() -> Self {
        MetadataLimits {
            root: 1024 * 1024,
            timestamp: 64 * 1024,
            snapshot: 1024 * 1024,
            targets: 16 * 1024 * 1024,
        }
    }
}

impl MetadataLimits {
    /// The limit of a metadata file, by its name (`timestamp.json`,
    /// `7.root.json`, `7.snapshot.json`, `7.targets.json`).
    pub fn for_file(&self, name: &str) -> u64 {
        let role = name.trim_end_matches(".json").rsplit('.').next();
        match role {
            Some("root") => self.root,
            Some("timestamp") => self.timestamp,
            Some("snapshot") => self.snapshot,
            _ => self.targets,
        }
    }

    /// The largest of the limits.
    pub fn largest(&self) -> u64 {
        self.root
            .max(self.timestamp)
            .max(self.snapshot)
            .max(self.targets)
    }
}

/// Why the transport stopped reading a file: the cause inside the
/// [`TransportError`] it returns, for the engine to put in words.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct Refused {
    /// The file (its name in the repository).
    pub file: String,
    /// Too large or too slow.
    pub reason: BodyError,
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
    /// Metadata files read from the kiosk's trusted copies instead of the
    /// network.
    pub trusted_copies: AtomicU64,
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
    received: Arc<Mutex<HashMap<Url, Bytes>>>,
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
            received: Arc::default(),
            stats: Arc::default(),
        })
    }

    /// The transfer counters, shared with every clone.
    pub fn stats(&self) -> Arc<TransferStats> {
        self.stats.clone()
    }

    /// The metadata files handed to the TUF client since the last call, by
    /// URL, as the server sent them (a 304's body is the cached copy).
    pub fn take_received(&self) -> HashMap<Url, Bytes> {
        std::mem::take(&mut *locked(&self.received))
    }

    fn partial_path(&self, url: &Url) -> PathBuf {
        let name = format!("{:x}", Sha256::digest(url.as_str().as_bytes()));
        self.settings.partial_dir.join(name)
    }

    /// Whether the URL names a metadata file (small, cached, conditional).
    fn is_metadata(url: &Url) -> bool {
        url.path().ends_with(".json") && url.path().contains("/metadata/")
    }

    /// The trusted copy of `N.snapshot.json` or `N.targets.json` when the
    /// kiosk already holds version N: with consistent snapshots a versioned
    /// file never changes, so an unchanged repository costs one request
    /// (`timestamp.json`), also after a restart. The TUF client verifies
    /// the copy as it would the download.
    fn trusted_copy(&self, url: &Url) -> Option<Bytes> {
        let file = file_name(url);
        let (version, role) = versioned(&file)?;
        if !matches!(role, "snapshot" | "targets") {
            return None;
        }
        let path = self.settings.trusted_dir.join(format!("{role}.json"));
        let limit = self.settings.metadata_limits.for_file(&file);
        let copy = "read the trusted copy";
        if unless_missing(std::fs::metadata(&path), &path, copy)?.len() > limit {
            return None;
        }
        let bytes = unless_missing(std::fs::read(&path), &path, copy)?;
        (super::trusted::version_of(&bytes) == Some(version)).then(|| Bytes::from(bytes))
    }
}

/// The version and role of a versioned metadata file name (`7.targets.json`).
fn versioned(name: &str) -> Option<(u64, &str)> {
    let (version, rest) = name.split_once('.')?;
    let role = rest.strip_suffix(".json")?;
    Some((version.parse().ok()?, role))
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
            // The deadline covers the request and the answer's headers too:
            // a server may trickle those as well.
            let limit = self.settings.metadata_limits.for_file(&file_name(&url));
            let deadline = self.settings.pace.deadline(limit);
            // Errors travel in the stream, where the TUF client reports
            // them (an error from `fetch` itself would make it skip a root
            // update as if the file did not exist).
            let transport = self.clone();
            return Ok(Box::pin(futures::stream::once(async move {
                tokio::time::timeout(deadline, transport.fetch_metadata(&url))
                    .await
                    .unwrap_or_else(|_| {
                        Err(TransportError::new_with_cause(
                            TransportErrorKind::Other,
                            url.as_str(),
                            Refused {
                                file: file_name(&url),
                                reason: BodyError::TooSlow {
                                    deadline,
                                    minimum_rate: transport.settings.pace.minimum_rate,
                                },
                            },
                        ))
                    })
            })));
        }
        let (sender, receiver) = mpsc::channel(8);
        let transport = self.clone();
        tokio::spawn(async move { transport.download(url, sender).await });
        Ok(Box::pin(receiver))
    }
}

impl KioskTransport {
    async fn fetch_metadata(&self, url: &Url) -> Result<Bytes, TransportError> {
        if let Some(body) = self.trusted_copy(url) {
            self.stats.trusted_copies.fetch_add(1, Ordering::Relaxed);
            self.record(url, &body);
            return Ok(body);
        }
        let cached = locked(&self.cache).get(url).cloned();
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
                let body = cached.map(|c| c.body).ok_or_else(|| {
                    error(
                        TransportErrorKind::Other,
                        url,
                        "304 Not Modified without a cached copy",
                    )
                })?;
                self.record(url, &body);
                Ok(body)
            }
            StatusCode::NOT_FOUND => Err(TransportError::new(
                TransportErrorKind::FileNotFound,
                url.as_str(),
            )),
            status if status.is_success() => {
                let etag = response.headers().get(ETAG).cloned();
                let last_modified = response.headers().get(LAST_MODIFIED).cloned();
                let file = file_name(url);
                let limit = self.settings.metadata_limits.for_file(&file);
                let body = match read_body(response, limit, self.settings.pace).await {
                    Ok(body) => Bytes::from(body),
                    Err(BodyError::Network(e)) => {
                        return Err(error(TransportErrorKind::Other, url, describe(&e)));
                    }
                    Err(reason) => {
                        return Err(TransportError::new_with_cause(
                            TransportErrorKind::Other,
                            url.as_str(),
                            Refused { file, reason },
                        ));
                    }
                };
                self.stats
                    .bytes
                    .fetch_add(body.len() as u64, Ordering::Relaxed);
                // Versioned files are kept as trusted copies instead; the
                // cache holds the few fixed names (`timestamp.json`).
                if versioned(&file).is_none() {
                    locked(&self.cache).insert(
                        url.clone(),
                        CachedResponse {
                            etag,
                            last_modified,
                            body: body.clone(),
                        },
                    );
                }
                self.record(url, &body);
                Ok(body)
            }
            status => Err(error(
                TransportErrorKind::Other,
                url,
                format!("server answered {status}"),
            )),
        }
    }

    /// Asks for a target from byte `have` on, at the TUF specification's
    /// consistent-snapshot location first, then at the one tough asked for
    /// (see [`specification_location`]).
    async fn get_target(&self, url: &Url, have: u64) -> reqwest::Result<reqwest::Response> {
        if let Some(location) = specification_location(url) {
            let response = self.get(location, have).await?;
            if response.status() != StatusCode::NOT_FOUND {
                return Ok(response);
            }
        }
        self.get(url.clone(), have).await
    }

    /// One GET, from byte `have` on.
    async fn get(&self, url: Url, have: u64) -> reqwest::Result<reqwest::Response> {
        let mut request = self.client.get(url);
        if have > 0 {
            request = request.header(RANGE, format!("bytes={have}-"));
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        request.send().await
    }

    /// Streams a target into `sender`, keeping what arrived in a partial
    /// file and resuming with `Range` after a failure.
    async fn download(self, url: Url, mut sender: mpsc::Sender<Result<Bytes, TransportError>>) {
        use futures::SinkExt;
        use tokio::io::AsyncWriteExt;

        let partial = self.partial_path(&url);
        if let Err(error) = tokio::fs::create_dir_all(&self.settings.partial_dir).await {
            partial_not_kept(&partial, "create the folder of", &error);
        }
        let kept = unless_missing(
            tokio::fs::read(&partial).await,
            &partial,
            "read the partial download",
        )
        .unwrap_or_default();
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
            let response = match self.get_target(&url, have).await {
                Ok(response) => response,
                Err(e) => {
                    last_error = describe(&e);
                    continue;
                }
            };
            match response.status() {
                StatusCode::NOT_FOUND => {
                    report(
                        &mut sender,
                        TransportError::new(TransportErrorKind::FileNotFound, url.as_str()),
                    )
                    .await;
                    return;
                }
                StatusCode::PARTIAL_CONTENT if response.headers().contains_key(CONTENT_RANGE) => {
                    self.stats.resumed.fetch_add(1, Ordering::Relaxed);
                }
                StatusCode::RANGE_NOT_SATISFIABLE => {
                    // The partial copy is complete or stale: let the hash check decide, then start over if needed.
                    remove_partial(&partial).await;
                    return;
                }
                status if status.is_success() => {
                    if have > 0 {
                        // The server ignored the Range: what we sent is wrong now. Fail this
                        // fetch; the next one starts from zero.
                        remove_partial(&partial).await;
                        let message = "server does not support resuming; retrying from the start";
                        report(&mut sender, error(TransportErrorKind::Other, &url, message)).await;
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
            let limit = self.settings.max_target_bytes;
            let declared = response.content_length().map(|length| length + have);
            if let Some(length) = declared.filter(|length| *length > limit) {
                let refused = self.refused(&url, limit, Some(length));
                report(&mut sender, refused).await;
                return;
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
                    .inspect_err(|error| partial_not_kept(&partial, "open", error))
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
                        if let Some(writer) = file.as_mut()
                            && let Err(error) = writer.write_all(&chunk).await
                        {
                            // The copy now misses bytes the verifier has: a
                            // resume from it would be wrong. Stop keeping one.
                            partial_not_kept(&partial, "write", &error);
                            file = None;
                            keep_partial = false;
                            remove_partial(&partial).await;
                        }
                        have += chunk.len() as u64;
                        if have > limit {
                            let refused = self.refused(&url, limit, None);
                            report(&mut sender, refused).await;
                            remove_partial(&partial).await;
                            return;
                        }
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
                remove_partial(&partial).await;
                return;
            }
            if let Some(writer) = file.as_mut()
                && let Err(error) = writer.flush().await
            {
                partial_not_kept(&partial, "write", &error);
                keep_partial = false;
                remove_partial(&partial).await;
            }
        }
        report(
            &mut sender,
            error(TransportErrorKind::Other, &url, last_error),
        )
        .await;
    }
}

impl KioskTransport {
    /// Keeps a metadata body for [`KioskTransport::take_received`].
    fn record(&self, url: &Url, body: &Bytes) {
        locked(&self.received).insert(url.clone(), body.clone());
    }

    /// The error of a target larger than any target may be.
    fn refused(&self, url: &Url, limit: u64, declared: Option<u64>) -> TransportError {
        TransportError::new_with_cause(
            TransportErrorKind::Other,
            url.as_str(),
            Refused {
                file: file_name(url),
                reason: BodyError::TooLarge { limit, declared },
            },
        )
    }
}

/// A map of the transport, locked. Each holds whole entries, inserted or
/// taken in one call (a panic elsewhere cannot leave one half-written), so a
/// poisoned lock is used as it is rather than dropping what it holds.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The last part of a URL's path: the file's name in the repository.
fn file_name(url: &Url) -> String {
    url.path_segments()
        .and_then(|mut segments| segments.next_back().map(str::to_owned))
        .unwrap_or_else(|| url.to_string())
}

/// Where the TUF specification stores a consistent-snapshot target whose
/// name has folders, when that differs from the URL tough asks for.
///
/// The specification names the file `HASH.FILENAME.EXT`; for the target
/// `catalog/site.json` its reference implementation (python-tuf) and
/// go-tuf store `catalog/HASH.site.json`, while tough asks for
/// `HASH.catalog/site.json`. Trying the first, then tough's, lets the kiosk
/// read repositories written by either (our publisher writes both).
fn specification_location(url: &Url) -> Option<Url> {
    let segments: Vec<&str> = url.path_segments()?.collect();
    let hashed = segments.iter().position(|segment| {
        segment.len() > 65
            && segment.as_bytes()[64] == b'.'
            && segment.as_bytes()[..64].iter().all(u8::is_ascii_hexdigit)
    })?;
    let (file, folders) = segments[hashed + 1..].split_last()?;
    let (hash, first_folder) = (&segments[hashed][..64], &segments[hashed][65..]);
    let mut location = url.clone();
    location
        .path_segments_mut()
        .ok()?
        .clear()
        .extend(&segments[..hashed])
        .push(first_folder)
        .extend(folders)
        .push(&format!("{hash}.{file}"));
    Some(location)
}

/// A partial copy of a download could not be kept: the download goes on
/// (the verifier has every byte), but a restart fetches it from the start.
fn partial_not_kept(partial: &Path, action: &str, error: &std::io::Error) {
    tracing::warn!(
        "cannot {action} the partial download {}: {error}; a restart fetches it again from the start",
        partial.display()
    );
}

/// Hands a download's error to the TUF client. A failed send means the
/// client dropped the stream (it stopped reading): nobody is left to tell.
async fn report(sender: &mut mpsc::Sender<Result<Bytes, TransportError>>, error: TransportError) {
    use futures::SinkExt;
    let _ = sender.send(Err(error)).await;
}

/// Removes a partial download. Its absence is the normal case (a small
/// download keeps none); any other failure leaves a log line, since a
/// stale copy left behind is what the next attempt resumes from.
async fn remove_partial(partial: &Path) {
    unless_missing(
        tokio::fs::remove_file(partial).await,
        partial,
        "remove the partial download",
    );
}

/// The value of a file operation whose file may be missing: `None` when
/// it is (the normal case, no log), `None` with a log line naming the file
/// and the error when it fails otherwise.
fn unless_missing<T>(result: std::io::Result<T>, path: &Path, action: &str) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            tracing::warn!("cannot {action} {}: {error}", path.display());
            None
        }
    }
}

/// A reqwest error in words a status line can show.
pub(crate) fn describe(error: &reqwest::Error) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "8500bf0dc4a5a6b2382de2078a78c6f5158fde9d5b4b976dc8d905b565944fe0";

    fn location(url: &str) -> Option<String> {
        specification_location(&Url::parse(url).unwrap()).map(String::from)
    }

    #[test]
    fn nested_target_names_move_the_hash_to_the_file_name() {
        assert_eq!(
            location(&format!(
                "https://site/kiosk/targets/{HASH}.assets/maps/x.png"
            )),
            Some(format!(
                "https://site/kiosk/targets/assets/maps/{HASH}.x.png"
            ))
        );
        assert_eq!(
            location(&format!(
                "http://127.0.0.1:8080/targets/{HASH}.catalog/site.json"
            )),
            Some(format!(
                "http://127.0.0.1:8080/targets/catalog/{HASH}.site.json"
            ))
        );
    }

    /// What the code under test logged while `run` ran.
    fn logged(run: impl FnOnce()) -> String {
        #[derive(Clone, Default)]
        struct Log(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Log {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                locked(&self.0).extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, run);
        String::from_utf8_lossy(&locked(&log.0)).into_owned()
    }

    #[test]
    fn a_failed_removal_of_a_partial_download_is_logged_unless_it_was_missing() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("missing");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let quiet = logged(|| runtime.block_on(remove_partial(&missing)));
        assert_eq!(quiet, "");
        // A folder where the partial file should be: removing it fails
        // otherwise than "not found".
        let log = logged(|| runtime.block_on(remove_partial(folder.path())));
        assert!(
            log.contains("WARN")
                && log.contains(&format!(
                    "cannot remove the partial download {}",
                    folder.path().display()
                )),
            "{log}"
        );
    }

    #[test]
    fn flat_names_and_other_urls_have_no_second_location() {
        assert_eq!(
            location(&format!("https://site/targets/{HASH}.site.json")),
            None
        );
        assert_eq!(location("https://site/targets/abc.catalog/site.json"), None);
        assert_eq!(location("https://site/metadata/1.root.json"), None);
    }
}
