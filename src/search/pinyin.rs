//! Pinyin for the index: every reading of every Chinese character (heteronyms
//! such as 行 xing/hang included), and the matcher that lines typed letters
//! up with a run of characters by full syllables, syllable prefixes and
//! initials.

use std::collections::HashMap;

use pinyin::ToPinyinMulti;

use super::query::is_han;

/// How well typed letters matched a run of characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PinyinMatch {
    /// Every character by its full syllable ("changguan").
    Full,
    /// Full syllables, the last one still being typed ("changgu").
    Prefix,
    /// At least one character by its initial only ("cg", "bszn").
    Initials,
}

/// A character's readings, shared by every occurrence of the character.
#[derive(Debug)]
struct Readings {
    /// Plain syllables without tone, `ü` written `v`.
    syllables: Vec<String>,
    /// Bit `n` set: some syllable starts with letter `a + n`.
    first_letters: u32,
}

/// Interned readings: text fields store a `u16` per character.
#[derive(Debug, Default)]
pub struct ReadingTable {
    ids: HashMap<char, u16>,
    readings: Vec<Readings>,
}

/// Marks a character without readings (not Chinese, or unknown).
pub const NO_READING: u16 = u16::MAX;

fn letter_bit(letter: u8) -> u32 {
    1u32.checked_shl(u32::from(letter.wrapping_sub(b'a')))
        .unwrap_or(0)
}

impl ReadingTable {
    /// The reading ids of a text's characters, in order.
    pub fn encode(&mut self, text: &str) -> Vec<u16> {
        text.chars().map(|c| self.id(c)).collect()
    }

    /// The reading ids of a text's characters, for characters already
    /// interned (others get [`NO_READING`]); for query-time highlighting.
    pub fn lookup(&self, text: &str) -> Vec<u16> {
        text.chars()
            .map(|c| self.ids.get(&c).copied().unwrap_or(NO_READING))
            .collect()
    }

    fn id(&mut self, c: char) -> u16 {
        if !is_han(c) {
            return NO_READING;
        }
        if let Some(id) = self.ids.get(&c) {
            return *id;
        }
        let Some(multi) = c.to_pinyin_multi() else {
            return NO_READING;
        };
        let mut syllables: Vec<String> = multi
            .into_iter()
            .map(|p| p.plain().replace('ü', "v"))
            .collect();
        syllables.dedup();
        let first_letters = syllables
            .iter()
            .filter_map(|s| s.bytes().next())
            .fold(0, |mask, letter| mask | letter_bit(letter));
        let Ok(id) = u16::try_from(self.readings.len()) else {
            return NO_READING;
        };
        if id == NO_READING {
            return NO_READING;
        }
        self.readings.push(Readings {
            syllables,
            first_letters,
        });
        self.ids.insert(c, id);
        id
    }

    /// The best match of `letters` (lower-case ASCII) starting at some
    /// character of `chars`, with the matched character range.
    pub fn find(&self, chars: &[u16], letters: &[u8]) -> Option<(PinyinMatch, usize, usize)> {
        let first = *letters.first()?;
        let bit = letter_bit(first);
        let mut best: Option<(PinyinMatch, usize, usize)> = None;
        for start in 0..chars.len() {
            let Some(readings) = self.readings.get(usize::from(chars[start])) else {
                continue;
            };
            if readings.first_letters & bit == 0 {
                continue;
            }
            if let Some((quality, end)) = self.match_at(chars, start, letters) {
                if best.is_none_or(|(b, _, _)| quality < b) {
                    best = Some((quality, start, end));
                }
                if quality == PinyinMatch::Full {
                    break;
                }
            }
        }
        best
    }

    /// Matches all of `letters` against the characters from `pos` on; the
    /// best quality reachable and the end of the matched characters.
    fn match_at(&self, chars: &[u16], pos: usize, letters: &[u8]) -> Option<(PinyinMatch, usize)> {
        if letters.is_empty() {
            return Some((PinyinMatch::Full, pos));
        }
        let readings = self.readings.get(usize::from(*chars.get(pos)?))?;
        let mut best: Option<(PinyinMatch, usize)> = None;
        let consider = |best: &mut Option<(PinyinMatch, usize)>,
                        candidate: Option<(PinyinMatch, usize)>,
                        floor: PinyinMatch| {
            if let Some((quality, end)) = candidate {
                let quality = quality.max(floor);
                if best.is_none_or(|(b, _)| quality < b) {
                    *best = Some((quality, end));
                }
            }
        };
        for syllable in &readings.syllables {
            let syllable = syllable.as_bytes();
            if letters.starts_with(syllable) {
                consider(
                    &mut best,
                    self.match_at(chars, pos + 1, &letters[syllable.len()..]),
                    PinyinMatch::Full,
                );
            } else if syllable.starts_with(letters) {
                // The visitor is still typing this syllable.
                let quality = if letters.len() == 1 {
                    PinyinMatch::Initials
                } else {
                    PinyinMatch::Prefix
                };
                consider(&mut best, Some((quality, pos + 1)), quality);
            }
            // Initials: one letter, or zh/ch/sh.
            let initial = match syllable {
                [b'z' | b'c' | b's', b'h', ..] if letters.starts_with(&syllable[..2]) => 2,
                [first, ..] if letters.first() == Some(first) => 1,
                _ => 0,
            };
            if initial > 0 && initial < letters.len() {
                consider(
                    &mut best,
                    self.match_at(chars, pos + 1, &letters[initial..]),
                    PinyinMatch::Initials,
                );
            }
            if best.is_some_and(|(b, _)| b == PinyinMatch::Full) {
                break;
            }
        }
        best
    }

    /// Bytes held by the table (estimate: lengths of its allocations).
    pub fn heap_bytes(&self) -> usize {
        self.ids.capacity() * (size_of::<char>() + size_of::<u16>() + 1)
            + self.readings.capacity() * size_of::<Readings>()
            + self
                .readings
                .iter()
                .map(|r| {
                    r.syllables.capacity() * size_of::<String>()
                        + r.syllables.iter().map(String::capacity).sum::<usize>()
                })
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, letters: &str) -> Option<(PinyinMatch, usize, usize)> {
        let mut table = ReadingTable::default();
        let chars = table.encode(text);
        table.find(&chars, letters.as_bytes())
    }

    #[test]
    fn full_syllables_prefixes_and_initials() {
        assert_eq!(
            find("体育场馆开放", "changguan"),
            Some((PinyinMatch::Full, 2, 4))
        );
        assert_eq!(
            find("体育场馆开放", "changgu"),
            Some((PinyinMatch::Prefix, 2, 4))
        );
        assert_eq!(
            find("体育场馆开放", "cg"),
            Some((PinyinMatch::Initials, 2, 4))
        );
        assert_eq!(
            find("办事指南", "bszn"),
            Some((PinyinMatch::Initials, 0, 4))
        );
        assert_eq!(find("办事指南", "zhinan"), Some((PinyinMatch::Full, 2, 4)));
        assert_eq!(find("办事指南", "xyz"), None);
    }

    #[test]
    fn every_reading_of_a_heteronym_matches() {
        // 行: xing (行政) and hang (银行).
        assert_eq!(find("银行", "yinhang"), Some((PinyinMatch::Full, 0, 2)));
        assert_eq!(
            find("行政许可", "xingzheng"),
            Some((PinyinMatch::Full, 0, 2))
        );
    }

    #[test]
    fn a_match_does_not_cross_other_characters() {
        assert_eq!(find("场，馆", "changguan"), None);
        assert_eq!(find("场a馆", "cg"), None);
    }
}
