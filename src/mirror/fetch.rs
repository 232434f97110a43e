//! Polite, patient HTTP for the mirror: a bounded number of requests at
//! once, a pause between requests, a timeout on each, retries with
//! exponential backoff on network errors and 5xx answers, and conditional
//! requests (ETag / Last-Modified) against a page cache kept between runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use backon::{ExponentialBuilder, Retryable};
use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use super::config::FetchSettings;
use crate::net::{BodyError, Pace, bytes_in_words, read_body};
use crate::sync::transport::describe;

/// A page or file that could not be fetched.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error status.
    #[error("{url}: the server answered {status}")]
    Status {
        /// The URL.
        url: Url,
        /// The HTTP status.
        status: u16,
    },
    /// The body is over `max_bytes`: not retried, since it would be again.
    #[error("{url}: refused: {reason}")]
    TooLarge {
        /// The URL.
        url: Url,
        /// How large, against which limit.
        reason: String,
    },
    /// No answer: connection refused or reset, timeout, broken body.
    #[error("{url}: {message}")]
    Network {
        /// The URL.
        url: Url,
        /// What happened.
        message: String,
    },
}

impl FetchError {
    /// Whether trying again may help (network trouble, 5xx, 429).
    fn is_transient(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => *status >= 500 || *status == 429,
            FetchError::Network { .. } => true,
            FetchError::TooLarge { .. } => false,
        }
    }
}

/// A fetched body.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The bytes.
    pub body: Vec<u8>,
    /// The server said 304: the body is the cached copy.
    pub not_modified: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheIndex {
    pages: BTreeMap<String, CacheEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    etag: Option<String>,
    last_modified: Option<String>,
}

/// The mirror's HTTP client.
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    gate: Semaphore,
    next_start: tokio::sync::Mutex<Instant>,
    cache: Mutex<CacheIndex>,
    cache_dir: PathBuf,
}

const INDEX: &str = "index.json";

impl Fetcher {
    /// A client with these settings whose page cache lives in `cache_dir`
    /// (created when missing; a damaged index is ignored).
    pub fn new(settings: FetchSettings, cache_dir: &Path) -> Result<Fetcher, std::io::Error> {
        std::fs::create_dir_all(cache_dir)?;
        let cache = std::fs::read(cache_dir.join(INDEX))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let client = reqwest::Client::builder()
            .timeout(settings.timeout())
            .connect_timeout(settings.timeout())
            .user_agent(concat!("lobby-kiosk-mirror/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(std::io::Error::other)?;
        Ok(Fetcher {
            client,
            gate: Semaphore::new(settings.concurrency.max(1)),
            settings,
            next_start: tokio::sync::Mutex::new(Instant::now()),
            cache: Mutex::new(cache),
            cache_dir: cache_dir.to_owned(),
        })
    }

    /// Fetches `url`, retrying transient failures with backoff.
    pub async fn get(&self, url: &Url) -> Result<Fetched, FetchError> {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(
                self.settings
                    .delay()
                    .max(std::time::Duration::from_millis(100)),
            )
            .with_max_times(self.settings.retries);
        (|| self.get_once(url))
            .retry(backoff)
            .when(FetchError::is_transient)
            .notify(|error, wait| tracing::info!("{error}; retrying in {wait:?}"))
            .await
    }

    /// Writes the cache index, so the next run can ask conditionally.
    pub fn save(&self) -> std::io::Result<()> {
        let json = match self.cache.lock() {
            Ok(cache) => serde_json::to_vec_pretty(&*cache).map_err(std::io::Error::other)?,
            Err(_) => return Ok(()),
        };
        std::fs::write(self.cache_dir.join(INDEX), json)
    }

    fn body_path(&self, url: &Url) -> PathBuf {
        self.cache_dir
            .join(format!("{:x}", Sha256::digest(url.as_str().as_bytes())))
    }

    /// Waits until this request may start: one start per `delay`.
    async fn wait_turn(&self) {
        let mut next = self.next_start.lock().await;
        tokio::time::sleep_until(*next).await;
        *next = Instant::now() + self.settings.delay();
    }

    async fn get_once(&self, url: &Url) -> Result<Fetched, FetchError> {
        let network = |error: reqwest::Error| FetchError::Network {
            url: url.clone(),
            message: describe(&error),
        };
        let _permit = self.gate.acquire().await.map_err(|_| FetchError::Network {
            url: url.clone(),
            message: "the fetcher is shutting down".into(),
        })?;
        self.wait_turn().await;
        let body_path = self.body_path(url);
        let cached = self
            .cache
            .lock()
            .ok()
            .and_then(|cache| cache.pages.get(url.as_str()).cloned())
            .filter(|_| body_path.is_file());
        let mut request = self.client.get(url.clone());
        if let Some(entry) = &cached {
            if let Some(etag) = &entry.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &entry.last_modified {
                request = request.header(IF_MODIFIED_SINCE, modified);
            }
        }
        let response = request.send().await.map_err(network)?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED && cached.is_some() {
            // A copy cached under a larger limit obeys today's.
            let size = std::fs::metadata(&body_path).map_or(0, |m| m.len());
            if size > self.settings.max_bytes {
                return Err(FetchError::TooLarge {
                    url: url.clone(),
                    reason: format!(
                        "the cached copy is {} and the limit is {}",
                        bytes_in_words(size),
                        bytes_in_words(self.settings.max_bytes)
                    ),
                });
            }
            let body = std::fs::read(&body_path).map_err(|error| FetchError::Network {
                url: url.clone(),
                message: format!("cached copy {} unreadable: {error}", body_path.display()),
            })?;
            return Ok(Fetched {
                body,
                not_modified: true,
            });
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.clone(),
                status: status.as_u16(),
            });
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let entry = CacheEntry {
            etag: header(ETAG),
            last_modified: header(LAST_MODIFIED),
        };
        // The client's timeout already bounds the whole request; the pace
        // only has to stay out of its way.
        let pace = Pace {
            minimum_rate: 1,
            grace: self.settings.timeout(),
        };
        let body = read_body(response, self.settings.max_bytes, pace)
            .await
            .map_err(|error| match error {
                BodyError::Network(error) => network(error),
                too_slow @ BodyError::TooSlow { .. } => FetchError::Network {
                    url: url.clone(),
                    message: too_slow.to_string(),
                },
                too_large @ BodyError::TooLarge { .. } => FetchError::TooLarge {
                    url: url.clone(),
                    reason: too_large.to_string(),
                },
            })?;
        if (entry.etag.is_some() || entry.last_modified.is_some())
            && std::fs::write(&body_path, &body).is_ok()
            && let Ok(mut cache) = self.cache.lock()
        {
            cache.pages.insert(url.as_str().to_owned(), entry);
        }
        Ok(Fetched {
            body,
            not_modified: false,
        })
    }
}
