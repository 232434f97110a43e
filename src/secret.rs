//! Hashing of the kiosk's secrets (the admin panel's PIN, the admin
//! endpoint's bearer token): `kiosk.toml` keeps only their hex SHA-256.

use sha2::{Digest, Sha256};

/// The hex SHA-256 of a PIN or token, as stored in `kiosk.toml`.
pub fn hash_secret(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}
