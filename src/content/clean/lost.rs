//! Which character a broken encoding lost.
//!
//! Debris like `?xiàng)目` or `l(fā)展` comes from two faults in a row: a
//! converter wrote traditional characters with their pinyin in brackets
//! (`項(xiàng)`), then the text went through a GB2312 decoder, which has no
//! traditional characters. In GBK a lost character is two bytes. The
//! decoder dropped the lead byte; a trail byte in the ASCII range shows as
//! a letter (發 is B0 6C: `l(fā)`), a non-ASCII one became `?` and took
//! the `(` with it (項 is ED 97: `?xiàng)`).
//!
//! So the lost character is a traditional character that
//! - is the standard traditional form of a simplified character (the
//!   converter's output: zhconv's table), and not itself in GB2312;
//! - has the placeholder as its GBK trail byte (a letter), or a non-ASCII
//!   trail byte (`?`);
//! - has the bracketed syllable as its first reading (the `pinyin` crate's
//!   data, read backwards). Every one of the 145 annotations in the real
//!   2019 report is the character's first reading.
//!
//! That makes 2,255 characters a decoder can lose, and for 1,500 of the
//! 1,757 (placeholder, syllable) pairs it leaves one character. Otherwise
//! the neighbours decide: the candidate that forms a word with them in
//! jieba's dictionary (about 350,000 words with frequencies; loaded only
//! then, in half a second), when that word is at least ten times as
//! frequent as any other candidate's. A letter without a syllable (the `l` of `?xiàng)l件`) is
//! only taken as a lost character right after other debris, and always
//! needs a word.

use std::sync::LazyLock;

use jieba_rs::Jieba;
use pinyin::ToPinyin;
use zhconv::{Variant, zhconv};

/// What stands where the character was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `?`: the trail byte was not ASCII.
    Unknown,
    /// A letter: the trail byte itself.
    Trail(u8),
}

/// A traditional character a GB2312 decoder loses.
struct Losable {
    traditional: char,
    simplified: char,
    trail: u8,
    reading: &'static str,
}

/// Every character a GB2312 decoder loses from converted traditional text.
static LOSABLE: LazyLock<Vec<Losable>> = LazyLock::new(|| {
    ('\u{4E00}'..='\u{9FA5}')
        .filter(|simplified| in_gb2312(*simplified))
        .filter_map(|simplified| {
            let converted = zhconv(simplified.encode_utf8(&mut [0; 4]), Variant::ZhHant);
            let mut chars = converted.chars();
            let traditional = chars.next()?;
            let single = chars.next().is_none();
            if !single || traditional == simplified || in_gb2312(traditional) {
                return None;
            }
            let [_, trail] = gbk(traditional)?;
            Some(Losable {
                traditional,
                simplified,
                trail,
                reading: traditional.to_pinyin()?.with_tone(),
            })
        })
        .collect()
});

/// jieba's dictionary, loaded the first time neighbours must decide.
static WORDS: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// How many times more frequent the winning word must be than the next.
const CLEAR_LEAD: usize = 10;

/// Characters of context on either side that can form a word.
const CONTEXT: usize = 3;

/// The lost character, when its placeholder, its syllable and the Han
/// characters around it (`before` ends where it was lost, `after` starts
/// there) tell it.
pub fn restore(
    placeholder: Placeholder,
    syllable: Option<&str>,
    before: &str,
    after: &str,
) -> Option<char> {
    let candidates: Vec<&Losable> = LOSABLE
        .iter()
        .filter(|losable| match placeholder {
            Placeholder::Unknown => losable.trail >= 0x80,
            Placeholder::Trail(byte) => losable.trail == byte,
        })
        .filter(|losable| syllable.is_none_or(|syllable| losable.reading == syllable))
        .collect();
    match candidates.as_slice() {
        [] => None,
        [only] if syllable.is_some() => Some(only.traditional),
        _ => by_words(&candidates, before, after),
    }
}

/// The candidate that forms a clearly more frequent word with its neighbours.
fn by_words(candidates: &[&Losable], before: &str, after: &str) -> Option<char> {
    let simplify = |text: &str| -> Vec<char> { zhconv(text, Variant::ZhHans).chars().collect() };
    let before = simplify(before);
    let before = &before[before.len().saturating_sub(CONTEXT)..];
    let after = simplify(after);
    let after = &after[..after.len().min(CONTEXT)];
    let mut scored: Vec<(usize, char)> = candidates
        .iter()
        .map(|candidate| {
            (
                word_frequency(before, candidate.simplified, after),
                candidate.traditional,
            )
        })
        .collect();
    scored.sort_unstable_by_key(|(score, _)| std::cmp::Reverse(*score));
    let (best, character) = scored[0];
    let runner_up = scored.get(1).map_or(0, |(score, _)| *score);
    (best > 0 && best >= runner_up.saturating_mul(CLEAR_LEAD)).then_some(character)
}

/// The frequency of the most frequent dictionary word of two to four
/// characters that `middle` forms with its neighbours; 0 when none.
fn word_frequency(before: &[char], middle: char, after: &[char]) -> usize {
    let mut best = 0;
    for start in 0..=before.len() {
        for end in 0..=after.len() {
            let length = before.len() - start + 1 + end;
            if !(2..=4).contains(&length) {
                continue;
            }
            let word: String = before[start..]
                .iter()
                .chain(std::iter::once(&middle))
                .chain(&after[..end])
                .collect();
            if WORDS.has_word(&word) {
                best = best.max(WORDS.suggest_freq(&word));
            }
        }
    }
    best
}

/// The two GBK bytes of a character, if it has two.
fn gbk(c: char) -> Option<[u8; 2]> {
    let mut buffer = [0; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buffer));
    match *bytes {
        [lead, trail] if !unmappable => Some([lead, trail]),
        _ => None,
    }
}

/// Whether GB2312 (the simplified character set) has the character.
fn in_gb2312(c: char) -> bool {
    gbk(c).is_some_and(|[lead, trail]| (0xA1..=0xF7).contains(&lead) && trail >= 0xA1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoding_facts_hold() {
        assert_eq!(gbk('項'), Some([0xED, 0x97]));
        assert_eq!(gbk('發'), Some([0xB0, 0x6C]));
        assert!(in_gb2312('项') && !in_gb2312('項'));
    }

    #[test]
    fn one_candidate_is_restored_from_its_syllable() {
        assert_eq!(
            restore(Placeholder::Unknown, Some("xiàng"), "", "目"),
            Some('項')
        );
        assert_eq!(
            restore(Placeholder::Trail(b'l'), Some("fā"), "的", "展"),
            Some('發')
        );
        assert_eq!(
            restore(Placeholder::Trail(b'M'), Some("jìn"), "", "行"),
            Some('進')
        );
    }

    #[test]
    fn neighbours_decide_between_candidates() {
        // 國 or 幗 (both guó, both lose a non-ASCII trail byte): 国家 is a word.
        assert_eq!(
            restore(Placeholder::Unknown, Some("guó"), "", "家"),
            Some('國')
        );
        assert_eq!(
            restore(Placeholder::Unknown, Some("guó"), "巾", ""),
            Some('幗')
        );
        // 勵, 麗, 厲 …: 鼓励 is a word.
        assert_eq!(
            restore(Placeholder::Unknown, Some("lì"), "鼓", "。"),
            Some('勵')
        );
        // A letter without a syllable: 條件.
        assert_eq!(
            restore(Placeholder::Trail(b'l'), None, "辦理項", "件"),
            Some('條')
        );
    }

    #[test]
    fn without_a_word_nothing_is_guessed() {
        assert_eq!(restore(Placeholder::Unknown, Some("lì"), "", ""), None);
        assert_eq!(restore(Placeholder::Trail(b'l'), None, "", ""), None);
        assert_eq!(restore(Placeholder::Unknown, Some("xyz"), "", ""), None);
    }
}
