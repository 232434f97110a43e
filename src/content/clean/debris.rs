//! Finding the debris of broken conversions in a text.
//!
//! - Pinyin after its character: `關(guān)` (the bracket goes).
//! - A lost character before its pinyin: `?xiàng)目`, `l(fā)展` (see
//!   [`super::lost`]), and a lone letter glued after such debris
//!   (`?xiàng)l件`).
//!
//! Brackets count as debris only when they hold one tone-marked syllable:
//! English words never carry tone marks, so `(試行)`, `(see attachment)`
//! and `API(ab)` stay.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::is_han;
use super::lost::{self, Placeholder};

/// Vowels carrying a pinyin tone mark; debris always has one, English words never do.
const TONE_MARKED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";

/// The three shapes of debris; `syllable` is the bracketed pinyin.
static DEBRIS: LazyLock<Regex> = LazyLock::new(|| {
    let syllable = "[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}";
    Regex::new(&format!(
        r"(?P<han>\p{{Han}})[(（](?P<after_han>{syllable})[)）]|[?？\x{{FFFD}}][(（]?(?P<after_mark>{syllable})[)）]|(?P<letter>[A-Za-z])[(（](?P<after_letter>{syllable})[)）]"
    ))
    .expect("static pattern is valid")
});

/// Debris found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debris {
    /// Byte range of the debris.
    pub range: Range<usize>,
    /// What replaces it: nothing for pinyin after its character; for a
    /// lost character, the character when it can be told.
    pub replacement: Option<char>,
    /// Whether a character was lost here.
    pub lost: bool,
}

/// Every piece of debris in `text`, in order.
pub fn find(text: &str) -> Vec<Debris> {
    let mut found: Vec<Debris> = Vec::new();
    // The text as cleaned up to `copied`: the left context of a lost character.
    let mut cleaned = String::new();
    let mut copied = 0;
    for captures in DEBRIS.captures_iter(text) {
        let Some(whole) = captures.get(0) else {
            continue;
        };
        if whole.start() < copied {
            continue;
        }
        let before = left_context(&cleaned, &text[copied..whole.start()]);
        let Some(debris) = classify(text, &captures, &before) else {
            continue;
        };
        cleaned.push_str(&text[copied..debris.range.start]);
        cleaned.extend(debris.replacement);
        copied = debris.range.end;
        let glued = debris.lost.then(|| glued_letter(text, copied)).flatten();
        found.push(debris);
        if let Some(letter) = glued {
            let restored = lost::restore(
                Placeholder::Trail(letter),
                None,
                &han_before(&cleaned),
                han_after(&text[copied + 1..]),
            );
            cleaned.extend(restored);
            found.push(Debris {
                range: copied..copied + 1,
                replacement: restored,
                lost: true,
            });
            copied += 1;
        }
    }
    found
}

/// The text with its debris removed and the lost characters that can be
/// told put back; lost characters that cannot be told are left out, or with
/// `keep_unknown` left as they are (for a person to fix).
pub fn remove(text: &str, keep_unknown: bool) -> String {
    let mut found = find(text);
    if keep_unknown {
        found.retain(|debris| !debris.lost || debris.replacement.is_some());
    }
    if found.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for debris in found {
        out.push_str(&text[copied..debris.range.start]);
        out.extend(debris.replacement);
        copied = debris.range.end;
    }
    out.push_str(&text[copied..]);
    out
}

fn classify(text: &str, captures: &Captures<'_>, before: &str) -> Option<Debris> {
    let whole = captures.get(0)?;
    if let Some(han) = captures.name("han") {
        let syllable = captures.name("after_han")?.as_str();
        return is_tone_marked(syllable).then(|| Debris {
            range: han.end()..whole.end(),
            replacement: None,
            lost: false,
        });
    }
    let (placeholder, syllable) = match captures.name("letter") {
        Some(letter) => {
            let previous = text[..letter.start()].chars().next_back();
            if previous.is_some_and(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            (
                Placeholder::Trail(letter.as_str().as_bytes()[0]),
                captures.name("after_letter")?.as_str(),
            )
        }
        None => (Placeholder::Unknown, captures.name("after_mark")?.as_str()),
    };
    if !is_tone_marked(syllable) {
        return None;
    }
    let replacement = lost::restore(
        placeholder,
        Some(syllable),
        before,
        han_after(&text[whole.end()..]),
    );
    Some(Debris {
        range: whole.range(),
        replacement,
        lost: true,
    })
}

/// The Han characters just before a match: those ending `gap` (the text
/// since the last debris), continued into `cleaned` when all of `gap` is Han.
fn left_context(cleaned: &str, gap: &str) -> String {
    let tail = han_before(gap);
    if tail.len() == gap.len() {
        han_before(&format!("{}{gap}", han_before(cleaned)))
    } else {
        tail
    }
}

fn is_tone_marked(syllable: &str) -> bool {
    syllable.chars().any(|c| TONE_MARKED.contains(c))
}

/// A lone ASCII letter at `at`, followed by a Han character.
fn glued_letter(text: &str, at: usize) -> Option<u8> {
    let mut rest = text[at..].chars();
    let letter = rest.next().filter(char::is_ascii_alphabetic)?;
    rest.next().filter(|c| is_han(*c)).map(|_| letter as u8)
}

/// The Han characters that end `text`.
fn han_before(text: &str) -> String {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_han(*c))
        .last()
        .map_or(text.len(), |(index, _)| index);
    text[start..].to_owned()
}

/// The Han characters that start `text`.
fn han_after(text: &str) -> &str {
    let end = text
        .char_indices()
        .find(|(_, c)| !is_han(*c))
        .map_or(text.len(), |(index, _)| index);
    &text[..end]
}
