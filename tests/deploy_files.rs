//! The demo trust anchor shipped in kiosk-config/ is one a kiosk accepts.

use std::path::Path;

use tough::schema::{Root, Signed};

fn config_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("kiosk-config")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn demo_root_json_is_a_self_signed_tuf_root_that_has_not_expired() {
    let root: Signed<Root> =
        serde_json::from_str(&config_file("root.json")).expect("root.json is TUF root metadata");
    root.signed
        .verify_role(&root)
        .expect("root.json is signed by its own root key");
    assert_eq!(root.signed.version.get(), 1);
    assert_eq!(
        root.signed.roles.len(),
        4,
        "root, targets, snapshot, timestamp"
    );
    assert!(
        root.signed.expires > jiff::Timestamp::now(),
        "the demo root.json expired on {}: publish a new one",
        root.signed.expires
    );
}
