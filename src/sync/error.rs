//! Why a sync failed, in words for the status strip and the admin panel.

use std::time::Duration;

use super::transport::Refused;
use crate::net::{Pace, bytes_in_words};
use crate::store::StoreError;

/// Why a sync failed; the message is what the status strip and admin panel show.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The repository could not be reached or answered badly.
    #[error("cannot reach the content server: {0}")]
    Network(String),
    /// The server answered 404 for a file the repository must have.
    #[error(
        "the content server has no {0} (404 Not Found): check repository.url in kiosk.toml and that the repository is published there"
    )]
    NotFound(String),
    /// A download or the whole sync took longer than its deadline.
    #[error(
        "the content server is too slow: {0}; the sync stopped and tries again later (the last verified content stays on screen)"
    )]
    TooSlow(String),
    /// The metadata is expired (kiosk offline too long, or a freeze attack).
    #[error(
        "the content server's signed metadata has expired; showing the last verified content until fresh metadata arrives ({0})"
    )]
    Expired(String),
    /// The kiosk's clock is behind the time of an earlier sync, so expiry
    /// dates cannot be checked (a clock set back, or a battery-less clock
    /// before time sync).
    #[error(
        "the kiosk's clock went back: it says {now}, an earlier sync ran at {earlier}; set the clock (time sync) and the sync works again (the last verified content stays on screen)"
    )]
    Clock {
        /// The clock's time now.
        now: String,
        /// When the earlier sync ran.
        earlier: String,
    },
    /// Metadata older than what the kiosk already trusts.
    #[error("rejected an older version of the content (rollback): {0}")]
    Rollback(String),
    /// Signatures do not verify.
    #[error("rejected content that the publisher's keys did not sign: {0}")]
    Signature(String),
    /// A file is not what the signed metadata says.
    #[error("rejected a download that does not match its signed hash or length: {0}")]
    Integrity(String),
    /// A file is larger than allowed.
    #[error("rejected an oversize file: {0}")]
    Oversize(String),
    /// The repository's contents are malformed.
    #[error("the repository is malformed: {0}")]
    Malformed(String),
    /// The store could not take the new content.
    #[error("cannot store the new content: {0}")]
    Store(#[from] StoreError),
}

impl SyncError {
    pub(crate) fn from_tough(error: tough::error::Error) -> Self {
        use tough::error::Error as E;
        let message = error.to_string();
        // Hash and size checks run while a target streams, and the
        // transport's own limits stop a read, so they arrive wrapped in a
        // transport error: classify by the innermost cause.
        if let E::Transport { url, .. } = &error {
            let mut cause: Option<&(dyn std::error::Error + 'static)> =
                std::error::Error::source(&error);
            while let Some(inner) = cause {
                if let Some(tough_error) = inner.downcast_ref::<tough::error::Error>() {
                    match tough_error {
                        E::HashMismatch { .. } => return SyncError::Integrity(message),
                        E::MaxSizeExceeded { .. } => return SyncError::Oversize(message),
                        _ => {}
                    }
                }
                if let Some(refused) = inner.downcast_ref::<Refused>() {
                    return match refused.reason {
                        crate::net::BodyError::TooSlow { .. } => {
                            SyncError::TooSlow(refused.to_string())
                        }
                        _ => SyncError::Oversize(refused.to_string()),
                    };
                }
                if let Some(transport) = inner.downcast_ref::<tough::TransportError>()
                    && transport.kind() == tough::TransportErrorKind::FileNotFound
                {
                    return SyncError::NotFound(url.to_string());
                }
                cause = inner.source();
            }
        }
        if let Some(words) = signature_in_words(&error) {
            return SyncError::Signature(words);
        }
        match error {
            E::SystemTimeSteppedBackward {
                sys_time,
                latest_known_time,
            } => SyncError::Clock {
                now: sys_time.to_string(),
                earlier: latest_known_time.to_string(),
            },
            E::ExpiredMetadata { .. } => SyncError::Expired(message),
            E::OlderMetadata { .. }
            | E::VersionMismatch { .. }
            | E::SnapshotRoleRollback { .. }
            | E::OlderSnapshotInTimestamp { .. } => SyncError::Rollback(message),
            E::VerifyMetadata { .. }
            | E::VerifyTrustedMetadata { .. }
            | E::VerifyRoleMetadata { .. } => SyncError::Signature(message),
            E::HashMismatch { .. } | E::TimestampMetaLength { .. } => SyncError::Integrity(message),
            E::MaxSizeExceeded { .. } | E::MaxUpdatesExceeded { .. } => {
                SyncError::Oversize(message)
            }
            E::Transport { .. } => SyncError::Network(message),
            _ => SyncError::Malformed(message),
        }
    }
}

/// Signature failures in words: tough prints some of them as Rust debug
/// structures (a duplicate signature's key id is `Decoded { bytes: [..] }`).
fn signature_in_words(error: &tough::error::Error) -> Option<String> {
    use tough::error::Error as E;
    use tough::schema::Error as S;
    let (role, source) = match error {
        E::VerifyMetadata { role, source, .. } => (role.to_string(), source),
        E::VerifyRoleMetadata { role, source, .. } => (role.clone(), source),
        E::VerifyTrustedMetadata { source, .. } => ("trusted root".to_owned(), source),
        _ => return None,
    };
    match source {
        S::DuplicateKeyId { keyid } => Some(format!(
            "the {role} metadata carries two signatures by the same key{}; each key may sign once (sign it again with kioskctl publish)",
            key_id_in_debug(keyid).map_or_else(String::new, |id| format!(" ({id})"))
        )),
        S::SignatureThreshold {
            threshold, valid, ..
        } => Some(format!(
            "the {role} metadata has {valid} valid signature(s) of the {threshold} its keys require"
        )),
        _ => None,
    }
}

/// The hex key id inside the debug form of tough's `Decoded<Hex>`
/// (`Decoded { bytes: [..], original: "ab12..", .. }`).
fn key_id_in_debug(debug: &str) -> Option<&str> {
    let start = debug.find("original: \"")? + "original: \"".len();
    let id = &debug[start..];
    let end = id.find('"')?;
    Some(&id[..end]).filter(|id| id.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The error of a download that missed its deadline.
pub(crate) fn too_slow(what: &str, size: u64, deadline: Duration, pace: Pace) -> SyncError {
    SyncError::TooSlow(format!(
        "{what} ({}) did not arrive within {} (slower than {} per second)",
        bytes_in_words(size),
        duration_in_words(deadline),
        bytes_in_words(pace.minimum_rate)
    ))
}

/// `45 s`, `12 min`, `2 h 5 min`.
pub(crate) fn duration_in_words(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        0..120 => format!("{seconds} s"),
        120..7200 => format!("{} min", seconds / 60),
        _ => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
    }
}
