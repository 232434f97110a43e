use std::collections::BTreeMap;
use std::path::Path;

use super::*;

/// Commits a generation of `(path, contents)` pairs.
fn commit(store: &mut Store, version: &str, files: &[(&str, &str)]) -> Generation {
    let mut builder = store.begin(version).unwrap();
    for (path, text) in files {
        builder.add(*path, text.as_bytes()).unwrap();
    }
    builder.commit().unwrap()
}

fn count(dir: &Path, folder: &str) -> usize {
    std::fs::read_dir(dir.join(folder)).unwrap().count()
}

/// Asserts that a fresh look at the store shows `version`, intact.
fn assert_active(dir: &Path, version: &str) -> Store {
    let store = Store::open(dir).unwrap();
    let active = store.active().expect("a generation is active");
    assert_eq!(active.version, version);
    store.verify(active).unwrap();
    store
}

#[test]
fn commit_switches_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    assert!(store.active().is_none());
    assert!(store.fallback_reason().is_none());
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let source = dir.path().join("download.bin");
    std::fs::write(&source, &big).unwrap();

    let mut builder = store.begin("7").unwrap();
    builder.add("catalog/site.json", b"site v1").unwrap();
    let streamed = builder.add_file("assets/map.png", &source).unwrap();
    assert_eq!(streamed, FileRef::of(&big));
    let committed = builder.commit().unwrap();
    assert_eq!(store.active(), Some(&committed));

    let reopened = assert_active(dir.path(), "7");
    let active = reopened.active().unwrap();
    assert_eq!(active, &committed);
    assert_eq!(reopened.read(&active.files["assets/map.png"]).unwrap(), big);
    assert_eq!(
        reopened.read(&active.files["catalog/site.json"]).unwrap(),
        b"site v1"
    );
    assert_eq!(count(dir.path(), "tmp"), 0, "no leftovers");
}

#[test]
fn the_layout_is_blobs_by_hash_manifests_and_one_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    commit(&mut store, "1", &[("a", "x")]);
    commit(&mut store, "2", &[("a", "y")]);
    let y = FileRef::of(b"y");
    assert_eq!(
        std::fs::read(dir.path().join("blobs").join(&y.sha256)).unwrap(),
        b"y"
    );
    let pointer: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("current.json")).unwrap()).unwrap();
    assert_eq!(pointer, serde_json::json!({"active": 2, "previous": 1}));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("generations/2.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["version"], "2");
    assert_eq!(manifest["files"]["a"]["sha256"], y.sha256.as_str());
    assert_eq!(manifest["files"]["a"]["size"], 1);
    assert!(manifest["created"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn previous_is_kept_and_older_generations_are_collected() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for version in 1..=3 {
        let site = format!("v{version}");
        commit(
            &mut store,
            &version.to_string(),
            &[("site", &site), ("shared", "same")],
        );
    }
    assert_eq!(count(dir.path(), "blobs"), 3, "v2, v3 and the shared blob");
    assert_eq!(count(dir.path(), "generations"), 2);
    assert_eq!(store.previous().unwrap().version, "2");
    let reopened = assert_active(dir.path(), "3");
    let previous = reopened.previous().unwrap();
    assert_eq!(previous.version, "2");
    reopened.verify(previous).unwrap();
}

#[test]
fn damaged_active_blob_falls_back_to_previous() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    commit(&mut store, "1", &[("site", "v1")]);
    let second = commit(&mut store, "2", &[("site", "v2")]);
    let blob = dir.path().join("blobs").join(&second.files["site"].sha256);
    std::fs::write(&blob, "v3").unwrap();

    let mut reopened = assert_active(dir.path(), "1");
    let reason = reopened.fallback_reason().unwrap().to_owned();
    assert!(
        reason.contains("generation 2 is damaged") && reason.contains("do not match"),
        "{reason}"
    );
    // The next commit keeps the generation shown as the previous one.
    commit(&mut reopened, "3", &[("site", "v3")]);
    assert!(reopened.fallback_reason().is_none());
    let after = assert_active(dir.path(), "3");
    assert_eq!(after.previous().unwrap().version, "1");
    assert_eq!(count(dir.path(), "generations"), 2);
}

#[test]
fn missing_manifest_falls_back_to_previous() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    commit(&mut store, "1", &[("site", "v1")]);
    commit(&mut store, "2", &[("site", "v2")]);
    std::fs::remove_file(dir.path().join("generations/2.json")).unwrap();
    let reopened = assert_active(dir.path(), "1");
    let reason = reopened.fallback_reason().unwrap();
    assert!(reason.contains("generations/2.json"), "{reason}");
}

#[test]
fn nothing_intact_means_no_active_generation_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    commit(&mut store, "1", &[("site", "v1")]);
    std::fs::remove_file(dir.path().join("generations/1.json")).unwrap();
    let reopened = Store::open(dir.path()).unwrap();
    assert!(reopened.active().is_none());
    assert!(
        reopened
            .fallback_reason()
            .unwrap()
            .contains("no previous one")
    );

    std::fs::write(dir.path().join("current.json"), "{\"act").unwrap();
    let reopened = Store::open(dir.path()).unwrap();
    assert!(reopened.active().is_none());
    let reason = reopened.fallback_reason().unwrap();
    assert!(reason.contains("current.json is damaged"), "{reason}");
}

/// Fails every write from the `after`-th on, for every `after` until the
/// commit gets through: each failure keeps the old generation and says
/// clearly what could not be written.
fn fail_every_step_of_a_commit(os_error: i32, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    commit(&mut store, "1", &[("site", "v1"), ("shared", "same")]);
    let big = vec![7u8; 200_000];
    let source = dir.path().join("download.bin");
    std::fs::write(&source, &big).unwrap();

    let mut failures = 0;
    for after in 0.. {
        assert!(after < 100, "the commit never got through");
        let plan = FaultPlan { after, os_error };
        let mut failing = Store::open_with_faults(dir.path(), plan).unwrap();
        let result = failing.begin("2").and_then(|mut builder| {
            builder.add("site", format!("v2 attempt {after}").as_bytes())?;
            builder.add("shared", b"same")?;
            builder.add_file("asset", &source)?;
            builder.commit()
        });
        match result {
            Ok(generation) => {
                assert_eq!(generation.version, "2");
                break;
            }
            Err(error) => {
                failures += 1;
                let text = error.to_string();
                assert!(text.starts_with("cannot "), "{text}");
                assert!(text.contains(&dir.path().display().to_string()), "{text}");
                assert!(text.ends_with(message), "{text}");
                let reopened = assert_active(dir.path(), "1");
                assert!(reopened.fallback_reason().is_none());
            }
        }
    }
    assert!(failures > 10, "only {failures} steps");
    let store = assert_active(dir.path(), "2");
    assert_eq!(
        store.read(&store.active().unwrap().files["asset"]).unwrap(),
        big
    );
}

#[test]
fn disk_full_at_any_step_of_a_commit_keeps_the_old_generation() {
    fail_every_step_of_a_commit(28, "No space left on device (os error 28)");
}

#[test]
fn read_only_disk_at_any_step_of_a_commit_keeps_the_old_generation() {
    fail_every_step_of_a_commit(30, "Read-only file system (os error 30)");
}

#[test]
fn io_error_at_any_step_of_a_commit_keeps_the_old_generation() {
    fail_every_step_of_a_commit(5, "Input/output error (os error 5)");
}

#[test]
fn disk_full_error_names_the_blob() {
    let dir = tempfile::tempdir().unwrap();
    let plan = FaultPlan {
        after: 1, // the lock succeeds
        os_error: 28,
    };
    let mut store = Store::open_with_faults(dir.path(), plan).unwrap();
    let mut builder = store.begin("1").unwrap();
    let error = builder.add("site", b"v1").unwrap_err().to_string();
    let blob = dir.path().join("blobs").join(FileRef::of(b"v1").sha256);
    assert_eq!(
        error,
        format!(
            "cannot write {}: No space left on device (os error 28)",
            blob.display()
        )
    );
}

#[test]
fn gc_never_deletes_what_active_or_previous_reference() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = commit(&mut store, "1", &[("site", "v1"), ("asset", "big")]);
    let stray = store.put_blob(b"never committed").unwrap();
    std::fs::write(dir.path().join("tmp/123-4"), "interrupted write").unwrap();
    std::fs::write(dir.path().join("blobs/README"), "not a blob").unwrap();
    let second = commit(&mut store, "2", &[("site", "v2")]);
    assert!(!store.has_blob(&stray.sha256));
    assert_eq!(count(dir.path(), "tmp"), 0);
    assert!(dir.path().join("blobs/README").exists(), "only blobs go");
    for generation in [&first, &second] {
        store.verify(generation).unwrap();
    }
    assert_eq!(store.gc().unwrap(), 0);
}

#[test]
fn interrupted_gc_leaves_active_and_previous_intact() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for version in 1..=3 {
        commit(&mut store, &version.to_string(), &[("site", "same")]);
    }
    // Garbage: old manifests, unreferenced blobs, leftovers.
    for n in 10..20 {
        std::fs::write(dir.path().join(format!("generations/{n}.json")), "{}").unwrap();
        store.put_blob(format!("stray {n}").as_bytes()).unwrap();
        std::fs::write(dir.path().join(format!("tmp/1-{n}")), "").unwrap();
    }
    for after in 0.. {
        assert!(after < 100, "gc never got through");
        let plan = FaultPlan { after, os_error: 5 };
        let mut failing = Store::open_with_faults(dir.path(), plan).unwrap();
        let result = failing.gc();
        let store = assert_active(dir.path(), "3");
        store.verify(store.previous().unwrap()).unwrap();
        if result.is_ok() {
            break;
        }
    }
    assert_eq!(count(dir.path(), "generations"), 2);
    assert_eq!(count(dir.path(), "blobs"), 1);
    assert_eq!(count(dir.path(), "tmp"), 0);
}

#[test]
fn commit_refuses_missing_blobs() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    for sha256 in [FileRef::of(b"not stored").sha256, "../current.json".into()] {
        let files = BTreeMap::from([("site".to_string(), FileRef { sha256, size: 3 })]);
        assert!(matches!(
            store.commit("1", files),
            Err(StoreError::MissingBlob(_))
        ));
    }
    assert!(store.active().is_none());
}

#[test]
fn a_damaged_blob_is_not_committed_and_is_stored_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let file = store.put_blob(b"asset").unwrap();
    let blob = dir.path().join("blobs").join(&file.sha256);
    std::fs::write(&blob, "assey").unwrap();

    // A new process reuses the blob it finds (as a sync skipping a download).
    let mut store = Store::open(dir.path()).unwrap();
    assert!(store.has_blob(&file.sha256));
    let files = BTreeMap::from([("asset".to_string(), file.clone())]);
    let error = store.commit("1", files.clone()).unwrap_err();
    assert!(matches!(error, StoreError::Damaged { .. }), "{error}");
    assert!(store.active().is_none());
    assert!(
        !store.has_blob(&file.sha256),
        "removed so it is fetched again"
    );

    store.put_blob(b"asset").unwrap();
    store.commit("1", files).unwrap();
    assert_active(dir.path(), "1");
}

#[test]
fn reading_checks_size_and_hash_and_stays_in_the_blob_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let generation = commit(&mut store, "1", &[("site", "v1")]);
    let mut wrong = generation.files["site"].clone();
    wrong.size = 3;
    let error = store.read(&wrong).unwrap_err().to_string();
    assert!(
        error.ends_with("is damaged: 2 bytes instead of 3"),
        "{error}"
    );
    let escape = FileRef {
        sha256: "../current.json".into(),
        size: 27,
    };
    assert!(matches!(
        store.read(&escape),
        Err(StoreError::Damaged { .. })
    ));
    assert!(!store.has_blob("../current.json"));
}

#[test]
fn a_second_writer_is_told_the_store_is_busy_then_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Store::open(dir.path()).unwrap();
    let mut second = Store::open(dir.path()).unwrap();
    let mut builder = first.begin("1").unwrap();
    builder.add("site", b"v1").unwrap();
    let busy = second.begin("2").unwrap_err();
    assert!(matches!(busy, StoreError::Busy(_)), "{busy}");
    assert!(busy.to_string().contains("another process"), "{busy}");
    assert!(matches!(second.gc(), Err(StoreError::Busy(_))));
    builder.commit().unwrap();
    commit(&mut second, "2", &[("site", "v2")]);
    let store = assert_active(dir.path(), "2");
    assert_eq!(store.previous().unwrap().version, "1");
}
