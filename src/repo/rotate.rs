//! Key rotation: a new key for one role, announced by `root.json` version
//! N+1. As TUF requires, the new root is signed by the current root key and,
//! when the root key itself changes, by the new one too, so kiosks trusting
//! version N accept N+1 (they fetch `metadata/<N+1>.root.json`).

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::path::PathBuf;
use std::time::Duration;

use aws_lc_rs::rand::SystemRandom;
use tough::editor::signed::SignedRole;
use tough::key_source::{KeySource, LocalKeySource};
use tough::schema::{KeyHolder, RoleKeys, RoleType};

use super::RepoError;
use super::keys::{KeyDir, role_name};
use super::publish::{RepoPaths, expiry, read_root};

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// Version of the new `root.json`.
    pub root_version: u64,
    /// Where the replaced key was kept (owner-only, for audit; destroy it
    /// once every kiosk has synced).
    pub retired_key: PathBuf,
}

/// Replaces `role`'s key with a new one and writes `root.json` version N+1.
/// Publish afterwards so targets, snapshot and timestamp are signed by the
/// new keys.
pub async fn rotate_key(
    repo: &RepoPaths,
    keys: &KeyDir,
    role: RoleType,
    root_lifetime: Duration,
) -> Result<Rotation, RepoError> {
    let anchor = repo.existing_trust_anchor()?;
    let current = read_root(&anchor)?;
    let old_root_key = signer_id(keys, RoleType::Root, &keys.path(RoleType::Root)).await?;
    if !current
        .signed
        .roles
        .get(&RoleType::Root)
        .is_some_and(|r| r.keyids.contains(&old_root_key))
    {
        return Err(RepoError::Key {
            path: keys.path(RoleType::Root),
            message: format!(
                "it is not the root key trusted by {} (wrong --keys folder?)",
                anchor.display()
            ),
        });
    }
    let version = current.signed.version.get().saturating_add(1);

    let path = keys.path(role);
    let retired = path.with_extension(format!("key.retired-v{}", current.signed.version));
    std::fs::rename(&path, &retired).map_err(|source| RepoError::io("retire", &path, source))?;
    keys.generate(role)?;
    let new_key = signer_key(keys, role, &path).await?;
    let new_id = new_key.key_id().map_err(RepoError::tuf)?;

    let mut root = current.signed.clone();
    root.version = NonZeroU64::new(version).unwrap_or(NonZeroU64::MIN);
    root.expires = expiry(jiff::Timestamp::now(), root_lifetime)?;
    root.keys.insert(new_id.clone(), new_key);
    root.roles.insert(
        role,
        RoleKeys {
            keyids: vec![new_id],
            threshold: NonZeroU64::MIN,
            _extra: HashMap::new(),
        },
    );
    let in_use: Vec<_> = root.roles.values().flat_map(|r| r.keyids.clone()).collect();
    root.keys.retain(|id, _| in_use.contains(id));

    // Sign with every root key of both versions: the holder lists them all.
    let mut holder = root.clone();
    if role == RoleType::Root
        && let Some(old) = current.signed.keys.get(&old_root_key)
    {
        holder.keys.insert(old_root_key.clone(), old.clone());
        if let Some(root_role) = holder.roles.get_mut(&RoleType::Root) {
            root_role.keyids.push(old_root_key);
        }
    }
    let root_key_file = if role == RoleType::Root {
        &retired
    } else {
        &keys.path(RoleType::Root)
    };
    let mut sources: Vec<Box<dyn KeySource>> = vec![Box::new(LocalKeySource {
        path: root_key_file.clone(),
    })];
    if role == RoleType::Root {
        sources.push(keys.source(RoleType::Root)?);
    }
    let signed = SignedRole::new(
        root,
        &KeyHolder::Root(holder),
        &sources,
        &SystemRandom::new(),
    )
    .await
    .map_err(RepoError::tuf)?;
    signed
        .write(repo.metadata(), true)
        .await
        .map_err(RepoError::tuf)?;
    std::fs::write(&anchor, signed.buffer())
        .map_err(|source| RepoError::io("write", &anchor, source))?;
    tracing::info!(
        "rotated the {} key; root.json is now version {version}",
        role_name(role)
    );
    Ok(Rotation {
        root_version: version,
        retired_key: retired,
    })
}

async fn signer_key(
    keys: &KeyDir,
    role: RoleType,
    path: &std::path::Path,
) -> Result<tough::schema::key::Key, RepoError> {
    let signer = keys
        .source(role)?
        .as_sign()
        .await
        .map_err(|source| RepoError::Key {
            path: path.to_owned(),
            message: source.to_string(),
        })?;
    Ok(signer.tuf_key())
}

async fn signer_id(
    keys: &KeyDir,
    role: RoleType,
    path: &std::path::Path,
) -> Result<tough::schema::decoded::Decoded<tough::schema::decoded::Hex>, RepoError> {
    signer_key(keys, role, path)
        .await?
        .key_id()
        .map_err(RepoError::tuf)
}
