//! Query normalisation: what the visitor typed, folded to the form the index
//! stores, split into terms that must all match.

use crate::content::convert::to_simplified;

/// The longest term the matcher looks at; longer input is cut (the
/// on-screen keyboard makes longer queries unlikely, and it bounds the
/// pinyin matcher's work).
pub const MAX_TERM_CHARS: usize = 32;

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Chinese characters, folded to simplified.
    Han(String),
    /// Latin letters, lower case: an English word or prefix, or pinyin.
    Letters(String),
    /// A run of digits.
    Digits(String),
}

impl Term {
    /// The term's text.
    pub fn text(&self) -> &str {
        match self {
            Term::Han(text) | Term::Letters(text) | Term::Digits(text) => text,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Han,
    Letter,
    Digit,
}

pub use crate::content::clean::is_han;

fn script(c: char) -> Option<Script> {
    if is_han(c) {
        Some(Script::Han)
    } else if c.is_ascii_alphabetic() {
        Some(Script::Letter)
    } else if c.is_ascii_digit() {
        Some(Script::Digit)
    } else {
        None
    }
}

/// Folds text the way the index stores it: simplified Chinese, lower-case
/// ASCII, full-width letters and digits made half-width.
pub fn fold(text: &str) -> String {
    let narrow: String = text
        .chars()
        .map(|c| match c {
            // Full-width ASCII (Ａ, ０, …) as typed by Chinese input methods.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)
                .unwrap_or(c)
                .to_ascii_lowercase(),
            _ => c.to_ascii_lowercase(),
        })
        .collect();
    if narrow.chars().any(is_han) {
        to_simplified(&narrow)
    } else {
        narrow
    }
}

/// Splits a query into terms: runs of Chinese characters, of letters and of
/// digits; anything else separates terms.
pub fn parse(query: &str) -> Vec<Term> {
    let folded = fold(query);
    let mut terms = Vec::new();
    let mut current: Option<(Script, String)> = None;
    for c in folded.chars() {
        let next = script(c);
        match (&mut current, next) {
            (Some((kind, run)), Some(s)) if *kind == s => run.push(c),
            _ => {
                terms.extend(current.take().map(into_term));
                current = next.map(|s| (s, c.to_string()));
            }
        }
    }
    terms.extend(current.map(into_term));
    terms
}

fn into_term((script, run): (Script, String)) -> Term {
    let run: String = run.chars().take(MAX_TERM_CHARS).collect();
    match script {
        Script::Han => Term::Han(run),
        Script::Letter => Term::Letters(run),
        Script::Digit => Term::Digits(run),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_scripts_and_folds_traditional() {
        assert_eq!(
            parse("場館 Gym2019"),
            vec![
                Term::Han("场馆".into()),
                Term::Letters("gym".into()),
                Term::Digits("2019".into())
            ]
        );
    }

    #[test]
    fn full_width_is_narrowed_and_punctuation_separates() {
        assert_eq!(
            parse("〔２０１９〕８３號"),
            vec![
                Term::Digits("2019".into()),
                Term::Digits("83".into()),
                Term::Han("号".into())
            ]
        );
        assert!(parse("  ，。 ").is_empty());
    }
}
