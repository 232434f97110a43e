//! Who may use the console: the admin password, login sessions and CSRF
//! tokens.
//!
//! On a loopback address without a password the console is open to the
//! machine's own user; with a password (required on any other address)
//! every page but the login asks for a session cookie (HttpOnly,
//! SameSite=Strict). Either way every state-changing request carries the
//! page's CSRF token in `X-CSRF-Token`, which another site's page cannot
//! read, and an open console answers only requests addressed to a
//! loopback host name (a DNS-rebinding page names its own).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_lc_rs::rand::SecureRandom;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use subtle::ConstantTimeEq;

use crate::secret::hash_secret;

/// The cookie that names a login session.
pub const SESSION_COOKIE: &str = "console_session";

/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How long a login lasts.
const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// Login attempts accepted per minute, from anyone: guessing the password
/// takes that long.
const LOGIN_ATTEMPTS_PER_MINUTE: std::num::NonZeroU32 = std::num::NonZeroU32::MIN.saturating_add(9);

/// The password file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// It cannot be read.
    #[error("cannot read the password file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// It holds something other than a hash.
    #[error(
        "the password file {0} must hold one line: the hex SHA-256 of the password, as `kiosk hash-pin PASSWORD` prints it"
    )]
    NotAHash(String),
}

/// The admin password, kept as its hex SHA-256 (the `secret` module's
/// hash, as `kiosk hash-pin` prints it): the password itself is never
/// stored.
#[derive(Clone)]
pub struct AdminPassword {
    sha256: String,
}

impl std::fmt::Debug for AdminPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminPassword(…)")
    }
}

impl AdminPassword {
    /// A password from its hex SHA-256.
    pub fn from_hash(hash: &str) -> Option<Self> {
        let hash = hash.trim().to_ascii_lowercase();
        (hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()))
            .then_some(AdminPassword { sha256: hash })
    }

    /// Reads the hash from a file (one line).
    pub fn from_file(path: &Path) -> Result<Self, PasswordError> {
        let text = std::fs::read_to_string(path).map_err(|source| PasswordError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_hash(&text).ok_or_else(|| PasswordError::NotAHash(path.display().to_string()))
    }

    /// Whether `password` is the admin password (in constant time).
    pub fn verify(&self, password: &str) -> bool {
        hash_secret(password)
            .as_bytes()
            .ct_eq(self.sha256.as_bytes())
            .into()
    }
}

/// 32 random bytes in hex: session ids, CSRF tokens, temporary names.
pub fn random_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| std::io::Error::other("the system's random source failed"))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Whether two tokens are equal, in constant time.
pub fn tokens_match(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

/// How the console lets people in.
pub enum Access {
    /// Loopback without a password: one CSRF token for the process.
    Open {
        /// The token the page carries.
        csrf: String,
    },
    /// Behind a login.
    Login {
        /// The admin password.
        password: AdminPassword,
        /// Sessions by id.
        sessions: Sessions,
        /// Login attempts left this minute.
        attempts: LoginAttempts,
    },
}

/// The limit on login attempts.
pub struct LoginAttempts(DefaultDirectRateLimiter);

impl Default for LoginAttempts {
    fn default() -> Self {
        LoginAttempts(RateLimiter::direct(Quota::per_minute(
            LOGIN_ATTEMPTS_PER_MINUTE,
        )))
    }
}

impl LoginAttempts {
    /// Whether one more attempt may be made now.
    pub fn allow(&self) -> bool {
        self.0.check().is_ok()
    }
}

/// Login sessions in memory (a restart logs everyone out).
#[derive(Default)]
pub struct Sessions {
    by_id: Mutex<HashMap<String, Session>>,
}

/// One login.
#[derive(Clone)]
struct Session {
    csrf: String,
    expires: Instant,
}

/// A new session: the cookie's value and the page's CSRF token.
pub struct NewSession {
    /// The session id (the cookie's value).
    pub id: String,
    /// Its CSRF token.
    pub csrf: String,
}

impl Sessions {
    /// Starts a session.
    pub fn start(&self) -> std::io::Result<NewSession> {
        let session = NewSession {
            id: random_token()?,
            csrf: random_token()?,
        };
        let now = Instant::now();
        let mut sessions = self.lock();
        sessions.retain(|_, session| session.expires > now);
        sessions.insert(
            session.id.clone(),
            Session {
                csrf: session.csrf.clone(),
                expires: now + SESSION_LIFETIME,
            },
        );
        Ok(session)
    }

    /// The CSRF token of a live session.
    pub fn csrf(&self, id: &str) -> Option<String> {
        let sessions = self.lock();
        let session = sessions.get(id)?;
        (session.expires > Instant::now()).then(|| session.csrf.clone())
    }

    /// Ends a session.
    pub fn end(&self, id: &str) {
        self.lock().remove(id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A panic elsewhere while holding the lock leaves the map usable.
        self.by_id
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The value of one cookie in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(id: &str) -> String {
    format!(
        "{SESSION_COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        SESSION_LIFETIME.as_secs()
    )
}

/// The `Set-Cookie` value that ends a session.
pub fn expired_cookie() -> String {
    format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
}

/// Whether a `Host` header names this machine (`127.0.0.1`, `[::1]`,
/// `localhost`, with any port).
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name == "localhost"
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_checked_against_its_hash() {
        let password = AdminPassword::from_hash(&hash_secret("s3cret")).expect("a hash");
        assert!(password.verify("s3cret"));
        assert!(!password.verify("s3cret "));
        assert!(AdminPassword::from_hash("s3cret").is_none());
    }

    #[test]
    fn cookies_and_hosts_are_read() {
        assert_eq!(
            cookie("a=1; console_session=xy", SESSION_COOKIE),
            Some("xy")
        );
        assert_eq!(cookie("a=1", SESSION_COOKIE), None);
        assert!(is_loopback_host("127.0.0.1:8080"));
        assert!(is_loopback_host("localhost:8080"));
        assert!(is_loopback_host("[::1]:8080"));
        assert!(!is_loopback_host("evil.example:8080"));
        assert!(!is_loopback_host("localhost.evil.example"));
    }
}
