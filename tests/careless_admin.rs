//! What a careless admin can get wrong, refused with a message that names
//! the file and says what to do: key files others can read, metadata that
//! expires at once, a trust anchor that is not JSON, zero timeouts, kiosk
//! ids that break MQTT topics; and OS errors said once.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use support::kioskctl::kioskctl;
use support::repo_fixture::Fixture;

macro_rules! args {
    ($($a:expr),*) => { &[$(std::ffi::OsStr::new($a)),*] };
}

/// Runs the built `kiosk` with a config text; its exit code and standard error.
fn kiosk_with_config(config: &str, args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, config).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("--config")
        .arg(&path)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).replace(&path.display().to_string(), "kiosk.toml"),
    )
}

#[tokio::test]
async fn a_key_others_can_read_is_refused_and_timestamp_days_0_too() {
    let fixture = Fixture::new().await;
    let key = fixture.keys.path(tough::schema::RoleType::Targets);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let content = fixture.content.as_os_str();
    let repo = fixture.repo.root().as_os_str();
    let keys = key.parent().unwrap().as_os_str();
    let (code, out, err) = kioskctl(args!("publish", content, "--repo", repo, "--keys", keys));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains(&format!(
            "key {} can be read or changed by others (mode 644): run `chmod 600 {}`",
            key.display(),
            key.display()
        )),
        "{err}"
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, _, err) = kioskctl(args!(
        "publish",
        content,
        "--repo",
        repo,
        "--keys",
        keys,
        "--timestamp-days",
        "0"
    ));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("invalid value '0' for '--timestamp-days <TIMESTAMP_DAYS>'"),
        "{err}"
    );
}

#[test]
fn a_trust_anchor_that_is_not_json_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root.json");
    std::fs::write(&root, "<html>not found</html>").unwrap();
    let (code, err) = kiosk_with_config(
        &format!(
            "[repository]\nurl = \"http://127.0.0.1:9/\"\nroot = \"{}\"\nstore = \"{}\"\n",
            root.display(),
            dir.path().join("store").display()
        ),
        &["sync"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "the trust anchor {} is not a TUF root.json: expected value at line 1 column 1",
            root.display()
        )),
        "{err}"
    );
}

#[test]
fn os_errors_are_said_once() {
    let (code, err) = kiosk_with_config(
        "[repository]\nurl = \"http://127.0.0.1:9/\"\nroot = \"/nonexistent/root.json\"\n",
        &["sync"],
    );
    assert_eq!(code, 1);
    assert_eq!(err.matches("(os error 2)").count(), 1, "{err}");
    assert!(
        err.contains("cannot read the trust anchor /nonexistent/root.json"),
        "{err}"
    );
}

#[test]
fn zero_timeouts_and_topic_breaking_kiosk_ids_are_config_errors() {
    let (code, err) = kiosk_with_config("[idle]\ntimeout_seconds = 0\n", &["hash-pin", "1"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("invalid config kiosk.toml:2:1: idle.timeout_seconds must be at least 1"),
        "{err}"
    );
    let (code, err) = kiosk_with_config("kiosk_id = \"hall/1\"\n", &["hash-pin", "1"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("invalid config kiosk.toml:1:1: kiosk_id `hall/1` cannot name a kiosk"),
        "{err}"
    );
}
