//! `kiosk emulate` looks at content headless: an authoring folder without
//! publishing (`--content`), and the first `kiosk` run on a machine without
//! a display says what to do instead.

mod support;

use std::path::Path;
use std::process::Command;

use support::repo_fixture::copy_dir;

fn kiosk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kiosk"))
}

#[test]
fn without_a_display_the_kiosk_says_what_to_do() {
    let output = kiosk()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("kiosk runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let hint = stderr
        .lines()
        .find(|line| line.starts_with("hint:"))
        .unwrap_or_else(|| panic!("no hint in: {stderr}"));
    assert!(
        hint.contains("xvfb-run") && hint.contains("kiosk emulate"),
        "{hint}"
    );
}

/// A small authoring folder: the demo's site, one notice, one guide, the
/// answers, venues and channels, and a notice added by the admin.
fn small_folder(dir: &Path) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo");
    copy_dir(&demo, dir);
    let keep = ["tianhe-gym-closure", "temporary-facility-occupation"];
    for kind in ["notices", "guides", "documents"] {
        for entry in std::fs::read_dir(dir.join(kind)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !keep.iter().any(|k| name.starts_with(k)) {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    std::fs::write(
        dir.join("notices/own-notice.md"),
        "+++\ntitle = \"本单位自己的通知：周末开放时间调整\"\ncategory = \"tzgg\"\n\
         published = 2026-11-20\n+++\n\n周末开放时间调整为上午九时至下午五时。\n",
    )
    .unwrap();
}

#[test]
fn emulate_content_shows_an_authoring_folder_without_publishing() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    small_folder(&content);
    let out = dir.path().join("shots");
    let output = kiosk()
        .args(["emulate", "--content"])
        .arg(&content)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("kiosk runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(" 0 layout problem(s)"),
        "{stdout}\n{stderr}"
    );
    for shot in [
        "home.png",
        "notices.png",
        "own-notice.png",
        "temporary-facility-occupation.png",
        "temporary-facility-occupation.end.png",
    ] {
        assert!(out.join(shot).is_file(), "{shot} written: {stdout}");
    }
    // Nothing was published: the folder holds what it held.
    assert!(!content.join("metadata").exists() && !content.join("targets").exists());
}

#[test]
fn emulate_content_names_the_errors_of_a_broken_folder() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    small_folder(&content);
    std::fs::write(content.join("notices/broken.md"), "no front matter\n").unwrap();
    let output = kiosk()
        .args(["emulate", "--content"])
        .arg(&content)
        .arg("--out")
        .arg(dir.path().join("shots"))
        .output()
        .expect("kiosk runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.md"), "{stderr}");
    assert!(stderr.contains("nothing to show"), "{stderr}");
}
