//! Simplified ↔ traditional conversion with a phrase-level converter
//! (`zhconv`, built on MediaWiki's conversion tables), and the step that
//! fills every missing Chinese variant and marks it machine-converted.

use zhconv::converters::{ZH_TO_HANS_CONVERTER, ZH_TO_HANT_CONVERTER};
use zhconv::{Variant, zhconv};

use super::blocks::{self, Block};
use super::clean::clean_text;
use super::text::{Lang, Localized};

/// Converts simplified Chinese text to traditional.
pub fn to_traditional(text: &str) -> String {
    zhconv(text, Variant::ZhHant)
}

/// Converts traditional Chinese text to simplified.
pub fn to_simplified(text: &str) -> String {
    zhconv(text, Variant::ZhHans)
}

/// Fewer converted characters than this say nothing about a text's script
/// (a name, a quoted title).
const SCRIPT_EVIDENCE: usize = 5;

/// Whether Chinese text is written in traditional characters: clearly more
/// of it changes when converted to simplified than to traditional
/// (zhconv's tables), and enough of it to tell.
pub fn looks_traditional(text: &str) -> bool {
    let to_simplified = ZH_TO_HANS_CONVERTER.count_replaced(text);
    let to_traditional = ZH_TO_HANT_CONVERTER.count_replaced(text);
    to_simplified >= SCRIPT_EVIDENCE && to_simplified >= 4 * to_traditional
}

/// Content whose human-readable text can be rewritten piece by piece.
pub trait TextContent: Sized {
    /// A copy with `f` applied to every piece of text.
    fn map_text(&self, f: &mut dyn FnMut(&str) -> String) -> Self;
}

impl TextContent for String {
    fn map_text(&self, f: &mut dyn FnMut(&str) -> String) -> Self {
        f(self)
    }
}

impl TextContent for Vec<Block> {
    fn map_text(&self, f: &mut dyn FnMut(&str) -> String) -> Self {
        let mapped = blocks::map_text(self, &mut |text| f(text));
        mapped
            .into_iter()
            .filter(|block| !is_empty_block(block))
            .collect()
    }
}

/// Empty paragraphs, list items and headings left over after cleaning.
fn is_empty_block(block: &Block) -> bool {
    match block {
        Block::Paragraph { spans } => blocks::plain_text(spans).trim().is_empty(),
        Block::Heading { text, .. } => text.trim().is_empty(),
        Block::List { items, .. } => items.is_empty(),
        _ => false,
    }
}

/// Cleans every variant, then produces whichever Chinese variant is missing
/// from the other one and marks it machine-converted.
pub fn clean_and_complete<T: TextContent>(value: &mut Localized<T>) {
    for lang in Lang::ALL {
        if let Some(variant) = value.slot_mut(lang).as_mut() {
            *variant = variant.map_text(&mut |text| clean_text(text));
        }
    }
    match (&value.zh_hans, &value.zh_hant) {
        (Some(simplified), None) => {
            value.zh_hant = Some(simplified.map_text(&mut |text| to_traditional(text)));
            value.machine = Some(Lang::ZhHant);
        }
        (None, Some(traditional)) => {
            value.zh_hans = Some(traditional.map_text(&mut |text| to_simplified(text)));
            value.machine = Some(Lang::ZhHans);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::text::Text;

    #[test]
    fn converts_phrases_both_ways() {
        assert_eq!(to_traditional("体育场馆惠民开放"), "體育場館惠民開放");
        assert_eq!(to_simplified("辦事指南"), "办事指南");
        // One character, two traditional forms: the phrase decides.
        assert_eq!(to_traditional("头发"), "頭髮");
        assert_eq!(to_traditional("发展"), "發展");
    }

    #[test]
    fn tells_traditional_text_from_simplified() {
        assert!(looks_traditional("廣州市體育局關於體育場館惠民開放的通知"));
        assert!(!looks_traditional("广州市体育局关于体育场馆惠民开放的通知"));
        assert!(!looks_traditional("《廣州》"), "too little to tell");
        assert!(!looks_traditional("Guangzhou Marathon"));
    }

    #[test]
    fn fills_traditional_and_marks_it() {
        let mut text = Text::from("场馆开放");
        clean_and_complete(&mut text);
        assert_eq!(
            text.exact(Lang::ZhHant).map(String::as_str),
            Some("場館開放")
        );
        assert_eq!(text.machine, Some(Lang::ZhHant));
        assert!(!text.is_authored(Lang::ZhHant));
    }

    #[test]
    fn fills_simplified_from_authored_traditional_after_cleaning() {
        let mut text = Text::only(Lang::ZhHant, "有關(guān)規(guī)定".to_owned());
        clean_and_complete(&mut text);
        assert_eq!(text.text(Lang::ZhHant), "有關規定");
        assert_eq!(text.text(Lang::ZhHans), "有关规定");
        assert_eq!(text.machine, Some(Lang::ZhHans));
    }

    #[test]
    fn authored_variants_are_kept() {
        let mut text: Text =
            serde_json::from_str(r#"{"zh-Hans":"公告","zh-Hant":"公佈欄","en":"Notices"}"#)
                .unwrap();
        clean_and_complete(&mut text);
        assert_eq!(text.text(Lang::ZhHant), "公佈欄");
        assert_eq!(text.machine, None);
    }

    #[test]
    fn empty_paragraphs_are_dropped() {
        let blocks = vec![
            Block::Paragraph {
                spans: vec![blocks::Span::plain("\u{3000}\u{3000}")],
            },
            Block::Paragraph {
                spans: vec![blocks::Span::plain("正文")],
            },
        ];
        let mut body = Localized::only(Lang::ZhHans, blocks);
        clean_and_complete(&mut body);
        assert_eq!(body.zh_hans.as_ref().map(Vec::len), Some(1));
        assert_eq!(body.zh_hant.as_ref().map(Vec::len), Some(1));
    }
}
