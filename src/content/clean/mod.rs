//! Cleaning of text as it comes from the department's site.
//!
//! Real site text carries the debris of broken simplified→traditional
//! conversions — pinyin left in brackets after a character (`關(guān)`), or
//! before the place of a character an encoding lost (`?xiàng)目`) — plus
//! non-breaking, full-width and zero-width spaces and spaces where a
//! typesetter never puts one. The cleaner removes exactly that, puts back
//! the lost characters that can be told, and leaves legitimate brackets
//! and separating spaces alone: `（一）`, `(試行)`, `〔2019〕83號`,
//! `(see attachment)`, `廣州市體育局 廣州市教育局`.

mod debris;
mod lost;
mod spaces;

pub use debris::{Debris, find as find_debris};

/// Removes conversion debris, normalizes spaces and trims the text.
///
/// Line breaks are kept (they separate paragraphs in plain-text fields).
pub fn clean_text(text: &str) -> String {
    clean(text, false)
}

/// [`clean_text`] for text written into the authoring folder (the mirror):
/// a lost character that cannot be told stays as its debris, so that
/// `kioskctl validate` points at it and the build still leaves it out.
pub fn clean_source_text(text: &str) -> String {
    clean(text, true)
}

fn clean(text: &str, keep_unknown: bool) -> String {
    debris::remove(text, keep_unknown)
        .split('\n')
        .map(spaces::clean_line)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// Whether text still contains conversion debris.
pub fn has_pinyin_debris(text: &str) -> bool {
    !find_debris(text).is_empty()
}

/// Whether a character is a Chinese ideograph (CJK unified, extensions,
/// compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
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
    fn restores_lost_characters_and_drops_the_unknowable() {
        assert_eq!(
            clean_text("重大建設(shè)?xiàng)目的l(fā)展情況"),
            "重大建設項目的發展情況"
        );
        assert_eq!(clean_text("辦理?xiàng)l件"), "辦理項條件");
        assert_eq!(clean_text("我?guó)家M(jìn)行"), "我國家進行");
        assert_eq!(clean_text("其他事宜?lì)。"), "其他事宜。");
        assert_eq!(
            clean_source_text("有關(guān)?xiàng)目，其他事宜?lì)。"),
            "有關項目，其他事宜?lì)。"
        );
        let found = find_debris("其他事宜?lì)。");
        assert_eq!(found.len(), 1);
        assert!(found[0].lost && found[0].replacement.is_none());
        assert_eq!(&"其他事宜?lì)。"[found[0].range.clone()], "?lì)");
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
        assert_eq!(clean_text("體育\u{00A0}局"), "體育 局");
        assert_eq!(clean_text("Sports\u{00A0}\u{00A0}Bureau"), "Sports Bureau");
        assert_eq!(clean_text("a\u{200B}b"), "ab");
        assert_eq!(clean_text("體育  局"), "體育 局");
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
        let sample = include_str!("../../../../shared/samples/2019-annual-report.zh-Hant.txt");
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
