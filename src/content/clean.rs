//! Cleaning of text as it comes from the department's site.
//!
//! Real site text carries the debris of broken simplified→traditional
//! conversions — pinyin left in brackets after a character (`關(guān)`) —
//! plus non-breaking, full-width and zero-width spaces. The cleaner removes
//! exactly that and leaves legitimate brackets alone: `（一）`, `(試行)`,
//! `〔2019〕83號`, `(see attachment)`.

use std::sync::LazyLock;

use regex::Regex;

/// Vowels carrying a pinyin tone mark; debris always has one, English words never do.
const TONE_MARKED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";

/// A Han character followed by a bracketed, tone-marked pinyin syllable.
static PINYIN_DEBRIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han})[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7})[)）]")
        .expect("static pattern is valid")
});

/// Removes pinyin debris, normalizes stray spaces and trims the text.
///
/// Line breaks are kept (they separate paragraphs in plain-text fields).
pub fn clean_text(text: &str) -> String {
    let without_pinyin = remove_pinyin_debris(text);
    without_pinyin
        .split('\n')
        .map(clean_line)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// Removes `(pinyin)` after Han characters when the brackets hold one
/// tone-marked syllable.
pub fn remove_pinyin_debris(text: &str) -> String {
    PINYIN_DEBRIS
        .replace_all(text, |captures: &regex::Captures<'_>| {
            let syllable = &captures[2];
            if syllable.chars().any(|c| TONE_MARKED.contains(c)) {
                captures[1].to_owned()
            } else {
                captures[0].to_owned()
            }
        })
        .into_owned()
}

/// Whether text still contains pinyin debris.
pub fn has_pinyin_debris(text: &str) -> bool {
    remove_pinyin_debris(text) != text
}

fn is_stray_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{3000}' | '\u{2002}'..='\u{200A}' | '\u{202F}'
    )
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK punctuation
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}' // full-width forms
        | '\u{20000}'..='\u{2FFFF}')
}

/// Normalizes spaces on one line: invisible characters go, stray spaces
/// become plain spaces, spaces between two CJK characters go, runs collapse.
fn clean_line(line: &str) -> String {
    let chars: Vec<char> = line
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| {
            if is_stray_space(c) || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = String::with_capacity(line.len());
    for (index, &c) in chars.iter().enumerate() {
        if c != ' ' {
            out.push(c);
            continue;
        }
        let previous = out.chars().next_back();
        let next = chars[index + 1..].iter().copied().find(|c| *c != ' ');
        let between_cjk = previous.is_some_and(is_cjk) && next.is_some_and(is_cjk);
        if previous.is_none() || previous == Some(' ') || next.is_none() || between_cjk {
            continue;
        }
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_pinyin_after_han_characters() {
        assert_eq!(clean_text("有關(guān)規(guī)定"), "有關規定");
        assert_eq!(clean_text("網(wǎng)站"), "網站");
        assert_eq!(clean_text("回應（yīng）公眾"), "回應公眾");
    }

    #[test]
    fn keeps_legitimate_brackets() {
        for text in [
            "（一）強化機制建設",
            "(二)突出公開重點",
            "管理辦法(試行)",
            "(穗府辦函〔2019〕83號)",
            "詳見附件(see attachment)",
            "電話(020)83866000",
            "API(ab)",
            "請聯繫我們(Email)",
        ] {
            assert_eq!(clean_text(text), text, "{text}");
        }
    }

    #[test]
    fn pinyin_not_after_han_is_kept() {
        assert_eq!(clean_text("Beijing (běi) style"), "Beijing (běi) style");
    }

    #[test]
    fn normalizes_stray_spaces() {
        assert_eq!(
            clean_text("\u{3000}\u{3000}2019年，廣州市"),
            "2019年，廣州市"
        );
        assert_eq!(clean_text("體育\u{00A0}局"), "體育局");
        assert_eq!(clean_text("Sports\u{00A0}\u{00A0}Bureau"), "Sports Bureau");
        assert_eq!(clean_text("a\u{200B}b"), "ab");
        assert_eq!(clean_text("體育 局"), "體育局");
        assert_eq!(
            clean_text("廣州馬拉松 Guangzhou Marathon"),
            "廣州馬拉松 Guangzhou Marathon"
        );
        assert_eq!(
            clean_text("line one\n\u{3000}line two"),
            "line one\nline two"
        );
    }

    #[test]
    fn cleans_the_whole_real_sample() {
        let sample = include_str!("../../../shared/samples/2019-annual-report.zh-Hant.txt");
        assert!(has_pinyin_debris(sample), "the sample is known to be dirty");
        let cleaned = clean_text(sample);
        assert!(!has_pinyin_debris(&cleaned));
        for leftover in ["(guān)", "(wǎng)", "(shè)", "(yīng)"] {
            assert!(!cleaned.contains(leftover), "{leftover} left in the sample");
        }
        for kept in [
            "有關政府信息公開工作的相關規定",
            "(穗府辦函〔2019〕83號)",
            "(一)強化機制建設",
            "官方網站",
            "在20個工作日內進行答復",
        ] {
            assert!(cleaned.contains(kept), "{kept} missing after cleaning");
        }
        let removed = sample.chars().count() - cleaned.chars().count();
        let debris_count = sample.matches('(').count() - cleaned.matches('(').count();
        assert!(debris_count > 80, "{debris_count} debris brackets removed");
        assert!(
            removed > debris_count * 4,
            "only brackets and syllables removed"
        );
    }
}
