//! Spaces on one line of text: separators stay, debris goes.
//!
//! A single space between two words is kept, Chinese words too: it is how
//! titles separate co-issuing bodies (`廣州市體育局 廣州市教育局`) and how
//! tables flattened into text separate their cells (`申請 0.1工作日 無`).
//! Debris is what a typesetter never means: runs of spaces (one is kept),
//! spaces at either end, before a colon, and next to full-width
//! punctuation (`一、 總體情況`, `春秋冬季 :上午`).

use super::is_han;

/// Normalizes spaces on one line: invisible characters go, stray spaces
/// (no-break, ideographic, typographic, tabs) become plain ones, and only
/// the spaces that separate something are kept.
pub fn clean_line(line: &str) -> String {
    let chars: Vec<char> = line
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if is_stray_space(c) { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(line.len());
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        index += 1;
        if c != ' ' {
            out.push(c);
            continue;
        }
        while chars.get(index) == Some(&' ') {
            index += 1;
        }
        if separates(out.chars().next_back(), chars.get(index).copied()) {
            out.push(' ');
        }
    }
    out
}

/// Whether a space between `before` and `after` separates two things.
fn separates(before: Option<char>, after: Option<char>) -> bool {
    let (Some(before), Some(after)) = (before, after) else {
        return false;
    };
    !(matches!(after, ':' | '：')
        || is_full_width_punctuation(before, after)
        || is_full_width_punctuation(after, before))
}

/// Punctuation of Chinese text, which carries its own spacing; `other` is
/// the character on the far side of the space (curly quotes, dashes and
/// ellipses are shared with English and count only next to Han).
fn is_full_width_punctuation(c: char, other: char) -> bool {
    match c {
        '\u{3001}'..='\u{303F}'   // 、。〈〉《》「」『』【】〔〕…
        | '\u{FE10}'..='\u{FE1F}' // vertical forms
        | '\u{FE30}'..='\u{FE4F}' // compatibility forms
        | '\u{FF01}'..='\u{FF0F}' // ！＂＃…／
        | '\u{FF1A}'..='\u{FF20}' // ：；＜＝＞？＠
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}' => true,
        '“' | '”' | '‘' | '’' | '…' | '—' | '·' => is_han(other),
        _ => false,
    }
}

fn is_stray_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{00A0}' | '\u{3000}' | '\u{2002}'..='\u{200A}' | '\u{202F}'
    )
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_stay() {
        for line in [
            "《廣州市體育局 廣州市教育局關於開展評估的通知》",
            "(1)申請 0.1工作日 無",
            "廣州馬拉松 Guangzhou Marathon",
            "Time: 9:00",
        ] {
            assert_eq!(clean_line(line), line);
        }
    }

    #[test]
    fn debris_spaces_go() {
        assert_eq!(clean_line("春秋冬季 :上午"), "春秋冬季:上午");
        assert_eq!(clean_line("一、 總體情況"), "一、總體情況");
        assert_eq!(clean_line("如下 ， 見附件 。"), "如下，見附件。");
        assert_eq!(clean_line("（一） 強化"), "（一）強化");
        assert_eq!(clean_line("稱為 “群體通” 小程序"), "稱為“群體通”小程序");
        assert_eq!(clean_line("體育  局"), "體育 局");
        assert_eq!(
            clean_line("\u{3000}\u{3000}2019年，廣州市 "),
            "2019年，廣州市"
        );
        assert_eq!(clean_line("體育\u{00A0}\u{3000}局"), "體育 局");
        assert_eq!(clean_line("Sports\u{00A0}\u{00A0}Bureau"), "Sports Bureau");
        assert_eq!(clean_line("a\u{200B}b"), "ab");
        assert_eq!(clean_line("He said “yes”"), "He said “yes”");
    }
}
