use std::collections::BTreeMap;

use super::*;

fn generation(store: &Store, files: &[(&str, &str)]) -> BTreeMap<String, FileRef> {
    files
        .iter()
        .map(|(path, text)| (path.to_string(), store.put_blob(text.as_bytes()).unwrap()))
        .collect()
}

#[test]
fn commit_switches_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    assert!(store.active().is_none());
    let files = generation(&store, &[("catalog/site.json", "site v1"), ("a", "x")]);
    store.commit("1", files).unwrap();
    let reopened = Store::open(dir.path()).unwrap();
    let active = reopened.active().unwrap();
    assert_eq!(active.version, "1");
    assert_eq!(reopened.read(&active.files["a"]).unwrap(), b"x");
}

#[test]
fn previous_is_kept_and_older_generations_are_collected() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for version in 1..=3 {
        let files = generation(
            &store,
            &[("site", &format!("v{version}")), ("shared", "same")],
        );
        store.commit(&version.to_string(), files).unwrap();
    }
    let blobs = std::fs::read_dir(dir.path().join("blobs")).unwrap().count();
    assert_eq!(blobs, 3, "v2, v3 and the shared blob");
    let manifests = std::fs::read_dir(dir.path().join("generations"))
        .unwrap()
        .count();
    assert_eq!(manifests, 2);
}

#[test]
fn damaged_active_generation_falls_back_to_previous() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = generation(&store, &[("site", "v1")]);
    store.commit("1", first).unwrap();
    let second = generation(&store, &[("site", "v2")]);
    let blob = store.dir().join("blobs").join(&second["site"].sha256);
    store.commit("2", second).unwrap();
    std::fs::write(&blob, "tampered").unwrap();
    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.active().unwrap().version, "1");
    assert!(
        reopened
            .fallback_reason()
            .unwrap()
            .contains("generation 2 is damaged"),
        "{:?}",
        reopened.fallback_reason()
    );
}

#[test]
fn missing_manifest_falls_back_and_nothing_at_all_means_no_content() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = generation(&store, &[("site", "v1")]);
    store.commit("1", first).unwrap();
    std::fs::remove_file(dir.path().join("generations/1.json")).unwrap();
    let reopened = Store::open(dir.path()).unwrap();
    assert!(reopened.active().is_none());
    assert!(reopened.fallback_reason().is_some());
}

#[test]
fn disk_full_during_commit_keeps_the_old_generation_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = generation(&store, &[("site", "v1")]);
    store.commit("1", first).unwrap();
    for after in 0..3 {
        let mut failing = Store::open_with(
            dir.path(),
            Files::with_faults(FaultPlan {
                after,
                os_error: 28,
            }),
        )
        .unwrap();
        let content = format!("v2 attempt {after}");
        let result = failing.put_blob(content.as_bytes()).and_then(|file| {
            failing
                .commit("2", BTreeMap::from([("site".to_string(), file)]))
                .map(|g| g.version.clone())
        });
        let error = result.unwrap_err().to_string();
        assert!(error.contains("No space left on device"), "{error}");
        assert!(error.starts_with("cannot write "), "{error}");
        let reopened = Store::open(dir.path()).unwrap();
        assert_eq!(
            reopened.active().unwrap().version,
            "1",
            "after {after} good writes"
        );
    }
}

#[test]
fn gc_never_deletes_what_active_or_previous_reference() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = generation(&store, &[("site", "v1"), ("asset", "big")]);
    store.commit("1", first.clone()).unwrap();
    let stray = store.put_blob(b"never committed").unwrap();
    let second = generation(&store, &[("site", "v2")]);
    store.commit("2", second.clone()).unwrap();
    store.gc().unwrap();
    for file in first.values().chain(second.values()) {
        assert!(store.has_blob(&file.sha256));
    }
    assert!(!store.has_blob(&stray.sha256));
}

#[test]
fn commit_refuses_missing_blobs() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let files = BTreeMap::from([("site".to_string(), FileRef::of(b"not stored"))]);
    assert!(matches!(
        store.commit("1", files),
        Err(StoreError::MissingBlob(_))
    ));
}
