//! The publisher's TUF role keys: Ed25519, PKCS#8 DER files readable only
//! by their owner.

use std::path::{Path, PathBuf};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::Ed25519KeyPair;
use tough::key_source::{KeySource, LocalKeySource};
use tough::schema::RoleType;

use super::RepoError;

/// The four top-level TUF roles, each with its own key.
pub const ROLES: [RoleType; 4] = [
    RoleType::Root,
    RoleType::Targets,
    RoleType::Snapshot,
    RoleType::Timestamp,
];

/// A folder holding one key file per role (`root.key`, `targets.key`, …).
#[derive(Debug, Clone)]
pub struct KeyDir {
    dir: PathBuf,
}

/// The file name of a role's key.
pub fn role_name(role: RoleType) -> &'static str {
    match role {
        RoleType::Root => "root",
        RoleType::Targets => "targets",
        RoleType::Snapshot => "snapshot",
        RoleType::Timestamp => "timestamp",
        _ => "other",
    }
}

impl KeyDir {
    /// Keys in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        KeyDir { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key file of a role.
    pub fn path(&self, role: RoleType) -> PathBuf {
        self.dir.join(format!("{}.key", role_name(role)))
    }

    /// Generates a new key for every role that has none; existing keys are kept.
    /// Files are created with mode 0600.
    pub fn generate_missing(&self) -> Result<Vec<PathBuf>, RepoError> {
        create_private_dir(&self.dir)?;
        let mut created = Vec::new();
        for role in ROLES {
            let path = self.path(role);
            if !path.exists() {
                self.generate(role)?;
                created.push(path);
            }
        }
        Ok(created)
    }

    /// Generates (or replaces) the key of one role.
    pub fn generate(&self, role: RoleType) -> Result<PathBuf, RepoError> {
        create_private_dir(&self.dir)?;
        let path = self.path(role);
        let document = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| RepoError::KeyGeneration)?;
        write_private(&path, document.as_ref())?;
        Ok(path)
    }

    /// The signing source of a role's key, checking that the file exists
    /// and that only its owner can read or change it (as ssh does).
    pub fn source(&self, role: RoleType) -> Result<Box<dyn KeySource>, RepoError> {
        let path = self.path(role);
        if !path.is_file() {
            return Err(RepoError::MissingKey {
                role: role_name(role),
                path,
            });
        }
        check_private(&path, 0o077)?;
        check_private(&self.dir, 0o022)?;
        Ok(Box::new(LocalKeySource { path }))
    }

    /// Signing sources for all four roles.
    pub fn all_sources(&self) -> Result<Vec<Box<dyn KeySource>>, RepoError> {
        ROLES.into_iter().map(|role| self.source(role)).collect()
    }
}

/// Refuses a key file (or its folder) whose permission bits include any
/// of `forbidden`: others could read the key, or swap it for their own.
fn check_private(path: &Path, forbidden: u32) -> Result<(), RepoError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|source| RepoError::io("check", path, source))?
            .permissions()
            .mode()
            & 0o777;
        if mode & forbidden != 0 {
            return Err(RepoError::KeyExposed {
                path: path.to_owned(),
                mode,
                fix: if path.is_dir() { 0o700 } else { 0o600 },
            });
        }
    }
    let _ = (path, forbidden);
    Ok(())
}

fn create_private_dir(dir: &Path) -> Result<(), RepoError> {
    std::fs::create_dir_all(dir).map_err(|source| RepoError::io("create", dir, source))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|source| RepoError::io("protect", dir, source))?;
    }
    Ok(())
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), RepoError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|source| RepoError::io("create", path, source))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|source| RepoError::io("write", path, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_created_private_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::new(dir.path().join("keys"));
        let created = keys.generate_missing().unwrap();
        assert_eq!(created.len(), 4);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&created[0]).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let before = std::fs::read(keys.path(RoleType::Root)).unwrap();
        assert!(keys.generate_missing().unwrap().is_empty());
        assert_eq!(std::fs::read(keys.path(RoleType::Root)).unwrap(), before);
        assert!(Ed25519KeyPair::from_pkcs8(&before).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn keys_others_can_read_or_a_folder_others_can_write_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyDir::new(dir.path().join("keys"));
        keys.generate_missing().unwrap();
        let path = keys.path(RoleType::Targets);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = keys.source(RoleType::Targets).err().unwrap().to_string();
        assert_eq!(
            error,
            format!(
                "key {} can be read or changed by others (mode 644): run `chmod 600 {}`, or use a key nobody else has seen",
                path.display(),
                path.display()
            )
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(keys.source(RoleType::Targets).is_ok());
        std::fs::set_permissions(keys.dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let error = keys.source(RoleType::Targets).err().unwrap().to_string();
        assert!(error.contains("(mode 777): run `chmod 700"), "{error}");
    }
}
