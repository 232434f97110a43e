//! Every chrome string of the Slint UI (`@tr("…")` in `ui/`) has a
//! translation in each bundled language (`lang/<tag>/LC_MESSAGES/*.po`);
//! zh-Hans is the source language. A string added without its translations
//! fails here, naming the file, the string and the language.
//!
//! The words Rust joins with content (`ui::words`) are in every language, and
//! a word that is also a Slint string reads the same in both places.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lobby_kiosk::content::Lang;
use lobby_kiosk::ui::words::Word;

/// The languages bundled as .po files (all but the source language).
const BUNDLED: [Lang; 2] = [Lang::ZhHant, Lang::En];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn po_file(lang: Lang) -> PathBuf {
    root().join(format!("lang/{lang}/LC_MESSAGES/lobby-kiosk.po"))
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

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

/// The msgids of a .po file that have a non-empty msgstr, with that msgstr.
fn translated(po: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(po).unwrap_or_else(|e| panic!("{}: {e}", po.display()));
    let quoted = |line: &str, key: &str| {
        line.strip_prefix(key)
            .map(|rest| rest.trim().trim_matches('"').replace("\\\"", "\""))
    };
    let mut done = BTreeMap::new();
    let mut msgid = None;
    for line in text.lines() {
        if let Some(id) = quoted(line, "msgid ") {
            msgid = Some(id);
        } else if let Some(translation) = quoted(line, "msgstr ")
            && let Some(id) = msgid.take()
            && !id.is_empty()
            && !translation.is_empty()
        {
            done.insert(id, translation);
        }
    }
    done
}

#[test]
fn every_chrome_string_is_translated_into_every_bundled_language() {
    let root = root();
    let strings = chrome_strings(root);
    assert!(
        strings.len() > 40,
        "found only {} @tr strings",
        strings.len()
    );
    let mut missing = Vec::new();
    for lang in BUNDLED {
        let po = po_file(lang);
        let done = translated(&po);
        for (string, file) in &strings {
            if !done.contains_key(string) {
                missing.push(format!(
                    "{}: \"{string}\" has no {lang} translation in {} (add it to scripts/update-translations.py and run it)",
                    shown(file),
                    shown(&po)
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_rust_word_is_in_every_language() {
    let empty: Vec<String> = Word::ALL
        .iter()
        .flat_map(|&word| {
            Lang::ALL
                .into_iter()
                .zip(word.options())
                .filter(|(_, said)| said.trim().is_empty())
                .map(move |(lang, _)| format!("Word::{word:?} has no {lang} word"))
        })
        .collect();
    assert!(empty.is_empty(), "src/ui/words.rs: {}", empty.join("\n"));
}

#[test]
fn a_word_in_rust_and_in_slint_reads_the_same() {
    let mut shared = 0;
    let mut drifted = Vec::new();
    for lang in BUNDLED {
        let po = po_file(lang);
        let done = translated(&po);
        for &word in Word::ALL {
            let options = word.options();
            let source = options[Lang::ZhHans.index()];
            let Some(in_po) = done.get(source) else {
                continue;
            };
            shared += 1;
            let in_rust = options[lang.index()];
            if in_po != in_rust {
                drifted.push(format!(
                    "\"{source}\" in {lang}: src/ui/words.rs Word::{word:?} says \"{in_rust}\", {} says \"{in_po}\"",
                    shown(&po)
                ));
            }
        }
    }
    // Section names are in both (Home tiles, list titles): a parser that
    // found nothing would pass without checking anything.
    assert!(shared >= 2 * 5, "only {shared} words found in both places");
    assert!(
        drifted.is_empty(),
        "words differ between Rust and the Slint translations (pick one and use it in both):\n{}",
        drifted.join("\n")
    );
}
