//! A publisher with keys, a repository built from a copy of the demo
//! content, and a kiosk store: the parts every sync test needs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lobby_kiosk::repo::keys::KeyDir;
use lobby_kiosk::repo::publish::{
    ChangeReport, PublishOptions, RepoPaths, init_repository, publish_folder,
};

/// The simplified-Chinese title of notice `id` in the store's active content.
pub fn shown_notice_title(store: &lobby_kiosk::store::Store, id: &str) -> String {
    let active = lobby_kiosk::sync::content::active_content(store)
        .unwrap()
        .expect("content is active");
    let notice = active
        .content
        .catalog
        .notices
        .iter()
        .find(|n| n.id == id)
        .unwrap();
    notice
        .meta
        .title
        .text(lobby_kiosk::content::Lang::ZhHans)
        .to_owned()
}

/// Temporary publisher and kiosk folders.
pub struct Fixture {
    _dir: tempfile::TempDir,
    /// The authoring folder (a copy of the demo content).
    pub content: PathBuf,
    /// The repository.
    pub repo: RepoPaths,
    /// The publisher's keys.
    pub keys: KeyDir,
    /// The kiosk's store folder.
    pub store: PathBuf,
    /// The kiosk's sync work folder.
    pub work: PathBuf,
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Fixture {
    /// Keys, an initialized repository and the demo content, not yet published.
    pub async fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo"),
            &content,
        );
        let repo = RepoPaths::new(dir.path().join("repo"));
        let keys = KeyDir::new(dir.path().join("keys"));
        init_repository(&repo, &keys, Duration::from_secs(365 * 24 * 3600))
            .await
            .unwrap();
        Fixture {
            store: dir.path().join("store"),
            work: dir.path().join("work"),
            content,
            repo,
            keys,
            _dir: dir,
        }
    }

    /// Publishes the content folder as it is now.
    pub async fn publish(&self) -> ChangeReport {
        self.publish_with(PublishOptions::default()).await
    }

    /// Publishes with explicit options (e.g. a clock in the past).
    pub async fn publish_with(&self, options: PublishOptions) -> ChangeReport {
        match publish_folder(&self.content, &self.repo, &self.keys, options).await {
            Ok((report, _)) => report,
            Err(error) => panic!("publish failed: {error}"),
        }
    }

    /// Changes the title of a notice in the authoring folder.
    pub fn edit_notice_title(&self, id: &str, title: &str) {
        let path = self.content.join(format!("notices/{id}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let edited: Vec<String> = text
            .lines()
            .map(|line| {
                if line.starts_with("title = ") {
                    format!("title = \"{title}\"")
                } else {
                    line.to_owned()
                }
            })
            .collect();
        std::fs::write(&path, edited.join("\n") + "\n").unwrap();
    }

    /// The trust anchor a kiosk is configured with.
    pub fn trusted_root(&self) -> Vec<u8> {
        std::fs::read(self.repo.trust_anchor()).unwrap()
    }
}
