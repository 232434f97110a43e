//! `kioskctl`'s HTTP client for kiosks' admin endpoints.

use std::time::Duration;

use crate::kiosk::status::StatusReport;
use crate::net::{BodyError, Pace, read_body};

/// Longest wait for one kiosk.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Largest reply read from a kiosk (a status is about 500 bytes).
const MAX_REPLY_BYTES: u64 = 64 * 1024;

/// The slowest a reply may arrive.
const REPLY_PACE: Pace = Pace {
    minimum_rate: 1024,
    grace: TIMEOUT,
};

/// A request to a kiosk failed; every variant says what to do.
#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    /// The kiosk address is not usable.
    #[error("`{0}` is not a kiosk address: give http://host:port or host:port")]
    Address(String),
    /// No answer.
    #[error(
        "cannot reach kiosk {kiosk}: {message} (is it running with [admin_endpoint] in its kiosk.toml, and is the address right?)"
    )]
    Unreachable {
        /// The kiosk's address.
        kiosk: String,
        /// Why.
        message: String,
    },
    /// 401.
    #[error(
        "kiosk {0} refused the token: pass the token whose SHA-256 is admin_endpoint.token_sha256 in its kiosk.toml (--token or KIOSKCTL_TOKEN)"
    )]
    Unauthorized(String),
    /// 429.
    #[error("kiosk {0} is rate limiting requests: wait a minute and try again")]
    RateLimited(String),
    /// Any other answer.
    #[error("kiosk {kiosk} answered {status}: {body}")]
    Refused {
        /// The kiosk's address.
        kiosk: String,
        /// HTTP status.
        status: u16,
        /// What it said.
        body: String,
    },
}

/// Talks to kiosks' admin endpoints with one bearer token.
pub struct KioskClient {
    http: reqwest::Client,
    token: String,
}

impl KioskClient {
    /// A client sending `token`.
    pub fn new(token: &str) -> Self {
        KioskClient {
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .build()
                .unwrap_or_default(),
            token: token.to_owned(),
        }
    }

    /// Wakes a kiosk's sync (`POST /sync`); returns what the kiosk did, in
    /// words ("sync started", or that one is already running).
    pub async fn push(&self, kiosk: &str) -> Result<String, KioskError> {
        let url = endpoint_url(kiosk, "sync")?;
        let body = self.send(kiosk, self.http.post(url)).await?;
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|reply| reply["message"].as_str().map(str::to_owned));
        Ok(message.unwrap_or_else(|| "sync started".into()))
    }

    /// A kiosk's status (`GET /status`).
    pub async fn status(&self, kiosk: &str) -> Result<StatusReport, KioskError> {
        let url = endpoint_url(kiosk, "status")?;
        let body = self.send(kiosk, self.http.get(url)).await?;
        serde_json::from_slice(&body).map_err(|error| KioskError::Refused {
            kiosk: kiosk.to_owned(),
            status: 200,
            body: format!("not a kiosk status ({error}): is this a kiosk's admin endpoint?"),
        })
    }

    async fn send(
        &self,
        kiosk: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, KioskError> {
        let unreachable = |error: reqwest::Error| KioskError::Unreachable {
            kiosk: kiosk.to_owned(),
            message: error.to_string(),
        };
        let response = request
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        let body = read_body(response, MAX_REPLY_BYTES, REPLY_PACE)
            .await
            .map_err(|error| match error {
                BodyError::Network(error) => unreachable(error),
                refused => KioskError::Unreachable {
                    kiosk: kiosk.to_owned(),
                    message: format!("its reply was refused: {refused}"),
                },
            })?;
        match status.as_u16() {
            200..=299 => Ok(body),
            401 => Err(KioskError::Unauthorized(kiosk.to_owned())),
            429 => Err(KioskError::RateLimited(kiosk.to_owned())),
            code => Err(KioskError::Refused {
                kiosk: kiosk.to_owned(),
                status: code,
                body: String::from_utf8_lossy(&body).into_owned(),
            }),
        }
    }
}

/// `http://host:port/<path>` of a kiosk given as a URL or `host:port`.
pub fn endpoint_url(kiosk: &str, path: &str) -> Result<url::Url, KioskError> {
    let base = if kiosk.contains("://") {
        kiosk.to_owned()
    } else {
        format!("http://{kiosk}")
    };
    let mut url = url::Url::parse(&base).map_err(|_| KioskError::Address(kiosk.to_owned()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(KioskError::Address(kiosk.to_owned()));
    }
    url.set_path(&format!("/{path}"));
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kiosk_addresses() {
        assert_eq!(
            endpoint_url("10.0.0.5:8470", "sync").unwrap().as_str(),
            "http://10.0.0.5:8470/sync"
        );
        assert_eq!(
            endpoint_url("https://k1.example/", "status")
                .unwrap()
                .as_str(),
            "https://k1.example/status"
        );
        assert!(matches!(
            endpoint_url("ftp://x", "sync"),
            Err(KioskError::Address(_))
        ));
    }
}
