//! Reading HTTP bodies with a size limit and a minimum pace, whatever the
//! server declares: a body that is larger than its limit (declared in
//! `Content-Length` or not) is refused once the limit is passed, and one
//! that trickles in is cut at its deadline. Every read from the network
//! (sync metadata, kioskctl's `/status`, the mirror's pages) goes through
//! here, so an endless or one-byte-a-second server costs neither memory
//! nor a stuck command.

use std::time::Duration;

use futures::StreamExt;

/// The slowest a transfer may be before it is given up, and the time every
/// transfer gets on top (connection, first byte, server think time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// Bytes per second a transfer must average.
    pub minimum_rate: u64,
    /// Time allowed on top of `bytes / minimum_rate`.
    pub grace: Duration,
}

impl Pace {
    /// How long a transfer of `bytes` may take.
    pub fn deadline(&self, bytes: u64) -> Duration {
        let rate = self.minimum_rate.max(1);
        self.grace
            .saturating_add(Duration::from_secs(bytes / rate))
            .saturating_add(Duration::from_millis((bytes % rate) * 1000 / rate))
    }
}

/// A body that could not be read within its limits.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// The body is larger than allowed.
    #[error("{}", too_large(*.limit, *.declared))]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
        /// What the server declared in `Content-Length`, if it did.
        declared: Option<u64>,
    },
    /// The body did not arrive in time.
    #[error(
        "it did not arrive within {} s (slower than {} per second)",
        .deadline.as_secs(),
        bytes_in_words(*.minimum_rate)
    )]
    TooSlow {
        /// The deadline.
        deadline: Duration,
        /// The minimum rate it was sized from.
        minimum_rate: u64,
    },
    /// The connection failed.
    #[error(transparent)]
    Network(#[from] reqwest::Error),
}

fn too_large(limit: u64, declared: Option<u64>) -> String {
    match declared {
        Some(declared) => format!(
            "it is {} and the limit is {}",
            bytes_in_words(declared),
            bytes_in_words(limit)
        ),
        None => format!("it is over the limit of {}", bytes_in_words(limit)),
    }
}

/// A byte count as people read it: `512 bytes`, `64 KiB`, `16.0 MiB`.
pub fn bytes_in_words(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes < KIB {
        format!("{bytes} bytes")
    } else if bytes < MIB {
        format!("{} KiB", bytes.div_ceil(KIB))
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// Reads a response's body, refusing more than `limit` bytes (before reading
/// anything when `Content-Length` already says so) and giving up after
/// `pace`'s deadline for the expected length (the declared one, or `limit`).
pub async fn read_body(
    response: reqwest::Response,
    limit: u64,
    pace: Pace,
) -> Result<Vec<u8>, BodyError> {
    let declared = response.content_length();
    if let Some(length) = declared.filter(|length| *length > limit) {
        return Err(BodyError::TooLarge {
            limit,
            declared: Some(length),
        });
    }
    let expected = declared.unwrap_or(limit);
    let deadline = pace.deadline(expected);
    let read = async {
        // Never trust the declared length for the allocation.
        let mut body = Vec::with_capacity(expected.min(64 * 1024) as usize);
        let mut chunks = response.bytes_stream();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk?;
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(BodyError::TooLarge {
                    limit,
                    declared: None,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    };
    tokio::time::timeout(deadline, read)
        .await
        .unwrap_or(Err(BodyError::TooSlow {
            deadline,
            minimum_rate: pace.minimum_rate,
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_grow_with_the_expected_length() {
        let pace = Pace {
            minimum_rate: 1000,
            grace: Duration::from_secs(5),
        };
        assert_eq!(pace.deadline(0), Duration::from_secs(5));
        assert_eq!(pace.deadline(2500), Duration::from_millis(7500));
        assert_eq!(
            Pace {
                minimum_rate: 0,
                grace: Duration::ZERO
            }
            .deadline(u64::MAX),
            Duration::from_secs(u64::MAX)
        );
    }

    #[test]
    fn sizes_in_words() {
        assert_eq!(bytes_in_words(512), "512 bytes");
        assert_eq!(bytes_in_words(64 * 1024), "64 KiB");
        assert_eq!(bytes_in_words(16 * 1024 * 1024), "16.0 MiB");
        assert_eq!(
            BodyError::TooLarge {
                limit: 1024,
                declared: Some(1 << 40)
            }
            .to_string(),
            "it is 1048576.0 MiB and the limit is 1 KiB"
        );
    }
}
