//! Every chrome string of the Slint UI (`@tr("…")` in `ui/`) has a
//! translation in each bundled language (`lang/<tag>/LC_MESSAGES/*.po`);
//! zh-Hans is the source language. A string added without its translations
//! fails here, naming the file, the string and the language.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const BUNDLED: [&str; 2] = ["zh-Hant", "en"];

fn slint_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("ui/ is readable");
    for entry in entries {
        let path = entry.expect("a ui/ entry").path();
        if path.is_dir() {
            slint_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "slint") {
            found.push(path);
        }
    }
}

/// Every `@tr("…")` source string, with the first file that uses it.
fn chrome_strings(root: &Path) -> BTreeMap<String, PathBuf> {
    let mut files = Vec::new();
    slint_files(&root.join("ui"), &mut files);
    files.sort();
    let tr = regex::Regex::new(r#"@tr\(\s*"((?:[^"\\]|\\.)*)""#).unwrap();
    let mut strings = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a .slint file is readable");
        for found in tr.captures_iter(&text) {
            strings
                .entry(found[1].replace("\\\"", "\""))
                .or_insert_with(|| file.clone());
        }
    }
    strings
}

/// The msgids of a .po file that have a non-empty msgstr.
fn translated(po: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(po).unwrap_or_else(|e| panic!("{}: {e}", po.display()));
    let quoted = |line: &str, key: &str| {
        line.strip_prefix(key)
            .map(|rest| rest.trim().trim_matches('"').replace("\\\"", "\""))
    };
    let mut done = BTreeSet::new();
    let mut msgid = None;
    for line in text.lines() {
        if let Some(id) = quoted(line, "msgid ") {
            msgid = Some(id);
        } else if let Some(translation) = quoted(line, "msgstr ")
            && let Some(id) = msgid.take()
            && !id.is_empty()
            && !translation.is_empty()
        {
            done.insert(id);
        }
    }
    done
}

#[test]
fn every_chrome_string_is_translated_into_every_bundled_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let strings = chrome_strings(root);
    assert!(
        strings.len() > 40,
        "found only {} @tr strings",
        strings.len()
    );
    let mut missing = Vec::new();
    for lang in BUNDLED {
        let po = root.join(format!("lang/{lang}/LC_MESSAGES/lobby-kiosk.po"));
        let done = translated(&po);
        for (string, file) in &strings {
            if !done.contains(string) {
                missing.push(format!(
                    "{}: \"{string}\" has no {lang} translation in {} (add it to scripts/update-translations.py and run it)",
                    file.strip_prefix(root).unwrap_or(file).display(),
                    po.strip_prefix(root).unwrap_or(&po).display()
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
