//! What `kioskctl validate` and `publish` read from a content folder: never
//! a file through a symbolic link that leaves the folder, never a FIFO or
//! other special file (which would hang or feed them forever), and no
//! asset that nothing uses unless the admin asks for it.

mod support;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::kioskctl::kioskctl;
use support::repo_fixture::Fixture;

macro_rules! args {
    ($($a:expr),*) => { &[$(std::ffi::OsStr::new($a)),*] };
}

/// Every file under `dir`, read.
fn all_bytes(dir: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(std::fs::read(path).unwrap());
            }
        }
    }
    out
}

#[tokio::test]
async fn symbolic_links_out_of_the_folder_are_refused_at_file_level_and_never_published() {
    let fixture = Fixture::new().await;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("shadow");
    std::fs::write(&secret, b"root:$6$very-secret-hash:19000:0:99999:7:::\n").unwrap();
    let notice = outside.path().join("planted.md");
    std::fs::write(
        &notice,
        "+++\ntitle = \"planted\"\ncategory = \"notice\"\ndate = 2025-06-01\n+++\nbody\n",
    )
    .unwrap();
    let content = &fixture.content;
    symlink(&secret, content.join("assets/secret")).unwrap();
    symlink("/etc", content.join("assets/etc")).unwrap();
    symlink(&notice, content.join("notices/planted.md")).unwrap();
    // A link that stays inside is fine.
    symlink(
        "tianhe-sports-centre.png",
        content.join("assets/maps/alias.png"),
    )
    .unwrap();

    let (code, out, err) = kioskctl(args!("validate", content.as_os_str()));
    assert_eq!(code, 3, "{out}{err}");
    let canonical_secret = std::fs::canonicalize(&secret).unwrap();
    for (file, target) in [
        ("assets/secret", canonical_secret.display().to_string()),
        ("assets/etc", "/etc".to_owned()),
        (
            "notices/planted.md",
            std::fs::canonicalize(&notice)
                .unwrap()
                .display()
                .to_string(),
        ),
    ] {
        assert!(
            err.contains(&format!(
                "{file}:1:1: symbolic link to {target}, outside the content folder"
            )),
            "{file}: {err}"
        );
    }
    let errors: Vec<&str> = err
        .lines()
        .filter(|line| line.contains(":1:") && !line.contains("warning:"))
        .collect();
    assert_eq!(
        errors.len(),
        3,
        "the link to /etc is one error, not a walk through /etc; the link inside is fine: {err}"
    );

    let repo = fixture.repo.root().as_os_str();
    let keys = fixture.keys.path(tough::schema::RoleType::Root);
    let keys = keys.parent().unwrap().as_os_str();
    let (code, _, err) = kioskctl(args!(
        "publish",
        content.as_os_str(),
        "--repo",
        repo,
        "--keys",
        keys
    ));
    assert_eq!(code, 3, "{err}");
    let secret_bytes = std::fs::read(&secret).unwrap();
    assert!(
        !all_bytes(&fixture.repo.root().join("targets"))
            .iter()
            .any(|bytes| bytes == &secret_bytes),
        "the secret is not in the public repository"
    );
}

#[tokio::test]
async fn a_fifo_in_assets_is_an_error_not_a_hang() {
    let fixture = Fixture::new().await;
    let fifo = fixture.content.join("assets/pipe.png");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .arg("validate")
        .arg(&fixture.content)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("kioskctl validate still runs after 60 s: it hangs on the FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{err}");
    assert!(
        err.contains("assets/pipe.png:1:1: a named pipe (FIFO), not a regular file"),
        "{err}"
    );
}

#[tokio::test]
async fn unused_assets_are_published_only_when_asked() {
    let fixture = Fixture::new().await;
    let stray = b"a draft nobody should see yet".to_vec();
    std::fs::write(fixture.content.join("assets/draft.pdf"), &stray).unwrap();
    let content = fixture.content.as_os_str();
    let repo = fixture.repo.root().as_os_str();
    let keys = fixture.keys.path(tough::schema::RoleType::Root);
    let keys = keys.parent().unwrap().as_os_str();
    let targets = fixture.repo.root().join("targets");

    let (code, out, err) = kioskctl(args!("publish", content, "--repo", repo, "--keys", keys));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("assets/draft.pdf:1:1: warning: not published: no item uses it"),
        "{err}"
    );
    assert!(!all_bytes(&targets).contains(&stray), "left out by default");

    let (code, out, err) = kioskctl(args!(
        "publish",
        content,
        "--repo",
        repo,
        "--keys",
        keys,
        "--include-unused-assets"
    ));
    assert_eq!(code, 0, "{out}{err}");
    assert!(all_bytes(&targets).contains(&stray), "published when asked");
}

#[test]
fn validating_a_folder_that_does_not_exist_says_so() {
    let (code, _, err) = kioskctl(&["validate", "/nonexistent/content"]);
    assert_eq!(code, 3);
    assert!(
        err.contains("the content folder /nonexistent/content does not exist"),
        "{err}"
    );
    assert!(!err.contains("site.toml"), "{err}");
}
