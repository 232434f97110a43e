//! Titles that never end on a line of one character ("…新" / "闻").
//!
//! Chinese text may break between any two characters, so a title one
//! character longer than a line leaves that character alone below it. A
//! WORD JOINER (U+2060, no width, no glyph) between the last two characters
//! forbids the break there (UAX #14, class WJ): the pair moves down
//! together. The emulator reads labels without it
//! ([`crate::emulator::Element`]), as a visitor sees them.

/// The word joiner: forbids a line break on either side, draws nothing.
pub const WORD_JOINER: char = '\u{2060}';

/// `title` with its last two characters kept on one line, when both are
/// Chinese (a break between Latin letters happens at spaces anyway).
pub fn keep_last_two_together(title: &str) -> String {
    let mut chars = title.char_indices().rev();
    let (Some((last, c2)), Some((_, c1))) = (chars.next(), chars.next()) else {
        return title.to_owned();
    };
    if !(is_han(c1) && is_han(c2)) {
        return title.to_owned();
    }
    let mut kept = String::with_capacity(title.len() + WORD_JOINER.len_utf8());
    kept.push_str(&title[..last]);
    kept.push(WORD_JOINER);
    kept.push(c2);
    kept
}

/// A Han ideograph (the CJK blocks a title uses).
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_two_chinese_characters_are_joined() {
        assert_eq!(keep_last_two_together("新闻"), "新\u{2060}闻");
        assert_eq!(
            keep_last_two_together("体育赛事活动备案"),
            "体育赛事活动备\u{2060}案"
        );
    }

    #[test]
    fn other_endings_are_left_alone() {
        for title in ["", "新", "2026年公告。", "Notice 2026", "公告A"] {
            assert_eq!(keep_last_two_together(title), title);
        }
    }
}
