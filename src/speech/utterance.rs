//! Turning the text a screen shows into what is spoken.
//!
//! Shown text carries what a listener must not hear (markup, table rules,
//! pictographs, separators) and forms a speech engine reads badly. What
//! espeak-ng 1.51 does with the raw forms (`espeak-ng -v VOICE -q --ipa`)
//! decided each rule:
//!
//! | shown | raw reading | spoken |
//! | --- | --- | --- |
//! | `020-38928888` | "零二十 … 三千八百九十二万…" (cmn, yue), "zero twenty dash thirty-eight million…" (en) | `0 2 0，3 8 9 2 8 8 8 8` (digit by digit, a pause between groups) |
//! | `2026-11-20` | "二千 二十六 十一 二十" (cmn), "two thousand and twenty-six dash eleven…" (en) | `二〇二六年11月20日`, "20 November 2026" |
//! | `2019年` | "二千十九年" (sic) | `二〇一九年` (a year is read digit by digit) |
//! | `〔2019〕83號` | "二千十九 八十三 號" | `二〇一九年83號` (zh-Hant keeps 號), "number 83 of 2019" |
//! | `9:00-17:00` | "九 零零 十七 零零" | `9点至17点`, "9 a.m. to 5 p.m." |
//! | `《…》` | the brackets are silent | the inner text |
//! | `~`, `……`, `——` | "tilde", silence | a pause (or nothing) |
//!
//! Separators (`|`, `▏`, `›`, `»`, `•`, line breaks) become pauses: the
//! language's comma (`，` in Chinese). Pictographs (🔍 ● ○ ⚠ ★ ⌂ ← →, the
//! private-use icon glyphs) go. Whatever the input, an utterance holds no
//! `<`, `>`, `*`, `|` or control character.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::{Captures, Regex};

use crate::content::Lang;

/// What is spoken: plain text in one language, made from shown text by
/// [`Utterance::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    text: String,
    lang: Lang,
}

impl Utterance {
    /// The utterance of `shown`, text as the screen shows it in `lang`.
    pub fn new(shown: &str, lang: Lang) -> Utterance {
        Utterance {
            text: speakable(shown, lang),
            lang,
        }
    }

    /// The words to speak.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Their language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether there is nothing to speak (an empty utterance is never spoken).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

fn speakable(shown: &str, lang: Lang) -> String {
    let text = normalize_chars(shown);
    let text = strip_markup(&text);
    let text = document_numbers(&text, lang);
    let text = dates(&text, lang);
    let text = times(&text, lang);
    let text = phone_numbers(&text);
    let text = if lang == Lang::En { text } else { years(&text) };
    let text = symbols(&text);
    punctuation(&text, lang)
}

/// Full-width letters and digits as ASCII, ① to ⑳ as numbers, line breaks as
/// pauses, control and invisible formatting characters out.
fn normalize_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                out.extend(char::from_u32(u32::from(c) - 0xFEE0));
            }
            '①'..='⑳' => {
                out.push_str(&(u32::from(c) - 0x245F).to_string());
                out.push(' ');
            }
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(','),
            '\t' | '\u{3000}' | '\u{A0}' => out.push(' '),
            c if c.is_control() || is_invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

static TAG: LazyLock<Regex> = LazyLock::new(|| pattern(r"<[^<>]*>"));
static ENTITY: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));"));
static LINK: LazyLock<Regex> = LazyLock::new(|| pattern(r"!?\[([^\[\]]*)\]\([^()\s]*\)"));

fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("static pattern is valid")
}

/// HTML tags and entities, Markdown links (their text stays).
fn strip_markup(text: &str) -> String {
    let text = TAG.replace_all(text, " ");
    let text = ENTITY.replace_all(&text, |captures: &Captures<'_>| {
        let code = match (captures.get(1), captures.get(2), captures.get(3)) {
            (Some(decimal), _, _) => decimal.as_str().parse().ok(),
            (_, Some(hex), _) => u32::from_str_radix(hex.as_str(), 16).ok(),
            (_, _, Some(name)) => match name.as_str() {
                "amp" => Some(u32::from('&')),
                "quot" => Some(u32::from('"')),
                "apos" => Some(u32::from('\'')),
                "nbsp" => Some(u32::from(' ')),
                _ => None,
            },
            _ => None,
        };
        code.and_then(char::from_u32)
            .filter(|&c| !c.is_control() && !is_invisible(c))
            .map_or_else(String::new, String::from)
    });
    LINK.replace_all(&text, "$1").into_owned()
}

/// Replaces the matches of `regex` by what `render` makes of them (a match
/// it returns `None` for stays), but for a match that is part of a longer
/// number: one whose first or last digit has another digit beside it.
fn replace_unglued(
    regex: &Regex,
    text: &str,
    render: impl Fn(&Captures<'_>) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for captures in regex.captures_iter(text) {
        let Some(whole) = captures.get(0) else {
            continue;
        };
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let matched = whole.as_str();
        let glued_before =
            digit(matched.chars().next()) && digit(text[..whole.start()].chars().next_back());
        let glued_after =
            digit(matched.chars().next_back()) && digit(text[whole.end()..].chars().next());
        if glued_before || glued_after {
            continue;
        }
        if let Some(spoken) = render(&captures) {
            out.push_str(&text[copied..whole.start()]);
            out.push_str(&spoken);
            copied = whole.end();
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn number(captures: &Captures<'_>, group: usize) -> Option<u32> {
    captures.get(group)?.as_str().parse().ok()
}

static DOCUMENT_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"[〔\[［【(（]\s*([0-9]{4})\s*[〕\]］】)）]\s*第?\s*([0-9]{1,5})\s*[号號]")
});

/// `〔2019〕83号` (a document's year and number) as `2019年83号`.
fn document_numbers(text: &str, lang: Lang) -> String {
    replace_unglued(&DOCUMENT_NUMBER, text, |captures| {
        let year = number(captures, 1)?;
        let serial = number(captures, 2)?;
        Some(match lang {
            Lang::ZhHans => format!("{year}年{serial}号"),
            Lang::ZhHant => format!("{year}年{serial}號"),
            Lang::En => format!("number {serial} of {year}"),
        })
    })
}

static DATE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"([0-9]{4})([-/.])([0-9]{1,2})([-/.])([0-9]{1,2})"));

/// `2026-11-20` (also with `/` or `.`) as `2026年11月20日` or "20 November 2026".
fn dates(text: &str, lang: Lang) -> String {
    replace_unglued(&DATE, text, |captures| {
        if captures.get(2)?.as_str() != captures.get(4)?.as_str() {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(
            i32::try_from(number(captures, 1)?).ok()?,
            number(captures, 3)?,
            number(captures, 5)?,
        )?;
        Some(match lang {
            Lang::En => date.format("%-d %B %Y").to_string(),
            Lang::ZhHans | Lang::ZhHant => {
                format!("{}年{}月{}日", date.year(), date.month(), date.day())
            }
        })
    })
}

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"([0-9]{1,2})[:：]([0-9]{2})(?:\s*[-–—~～至到]\s*([0-9]{1,2})[:：]([0-9]{2}))?")
});

/// `9:00-17:00` as `9点至17点` or "9 a.m. to 5 p.m.".
fn times(text: &str, lang: Lang) -> String {
    replace_unglued(&TIME, text, |captures| {
        let from = time(number(captures, 1)?, captures.get(2)?.as_str(), lang)?;
        if captures.get(3).is_none() {
            return Some(from);
        }
        let to = time(number(captures, 3)?, captures.get(4)?.as_str(), lang)?;
        Some(match lang {
            Lang::En => format!("{from} to {to}"),
            Lang::ZhHans | Lang::ZhHant => format!("{from}至{to}"),
        })
    })
}

fn time(hour: u32, minutes: &str, lang: Lang) -> Option<String> {
    let minute: u32 = minutes.parse().ok()?;
    if hour > 24 || minute > 59 || (hour == 24 && minute > 0) {
        return None;
    }
    let point = match lang {
        Lang::ZhHans => "点",
        Lang::ZhHant => "點",
        Lang::En => return Some(english_time(hour, minute, minutes)),
    };
    Some(if minute == 0 {
        format!("{hour}{point}")
    } else {
        format!("{hour}{point}{minutes}分")
    })
}

fn english_time(hour: u32, minute: u32, minutes: &str) -> String {
    match (hour, minute) {
        (0 | 24, 0) => "midnight".to_owned(),
        (12, 0) => "noon".to_owned(),
        _ => {
            let half = if (12..24).contains(&hour) {
                "p.m."
            } else {
                "a.m."
            };
            let clock = match hour % 12 {
                0 => 12,
                clock => clock,
            };
            if minute == 0 {
                format!("{clock} {half}")
            } else {
                format!("{clock}:{minutes} {half}")
            }
        }
    }
}

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(concat!(
        r"\+86[ -]?[0-9][0-9 -]{8,13}[0-9]",
        r"|\(0[0-9]{2,3}\)[ -]?[0-9]{3,4}[ -]?[0-9]{4}",
        r"|0[0-9]{2,3}[ -][0-9]{3,4}[ -]?[0-9]{4}",
        r"|0[0-9]{10,11}",
        r"|1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}",
        r"|[48]00[ -]?[0-9]{3}[ -]?[0-9]{4}",
    ))
});

/// A short number after a word that says it is one: `热线12345`, `Tel: 12366`.
static CALLED_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(电话|電話|热线|熱線|专线|專線|拨打|撥打|致电|致電|(?i:\b(?:tel|phone|hotline|call)\b))(\.?\s*[:：]?\s*)([0-9]{5,})",
    )
});

/// Phone numbers digit by digit, their groups apart: `020-38928888` as
/// `0 2 0, 3 8 9 2 8 8 8 8`.
fn phone_numbers(text: &str) -> String {
    let text = replace_unglued(&PHONE, text, |captures| {
        Some(digit_groups(captures.get(0)?.as_str()))
    });
    replace_unglued(&CALLED_NUMBER, &text, |captures| {
        Some(format!(
            "{}{}{}",
            captures.get(1)?.as_str(),
            captures.get(2)?.as_str(),
            digit_groups(captures.get(3)?.as_str())
        ))
    })
}

fn digit_groups(number: &str) -> String {
    number
        .split(|c: char| !c.is_ascii_digit())
        .filter(|group| !group.is_empty())
        .flat_map(split_run)
        .map(|group| {
            let digits: Vec<String> = group.chars().map(String::from).collect();
            digits.join(" ")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A number written without separators, in the groups it is said in: a
/// mobile 3-4-4, a landline its area code (3 digits for 010 and 02x, else
/// 4) and the rest, 400 and 800 numbers 3-3-4.
fn split_run(run: &str) -> Vec<&str> {
    let cuts: &[usize] = match (run.len(), run.as_bytes().first(), run.get(..2)) {
        (11, Some(b'1'), _) => &[3, 7],
        (11 | 12, Some(b'0'), Some("01" | "02")) => &[3],
        (11 | 12, Some(b'0'), _) => &[4],
        (10, Some(b'4' | b'8'), _) => &[3, 6],
        _ => &[],
    };
    let mut groups = Vec::new();
    let mut from = 0;
    for &cut in cuts {
        groups.push(&run[from..cut]);
        from = cut;
    }
    groups.push(&run[from..]);
    groups
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| pattern(r"([0-9]{4})年"));

/// In Chinese, a year digit by digit: `2026年` as `二〇二六年`.
fn years(text: &str) -> String {
    replace_unglued(&YEAR, text, |captures| {
        let digits = captures.get(1)?.as_str();
        let mut spoken: String = digits
            .chars()
            .filter_map(|digit| digit.to_digit(10))
            .filter_map(|digit| "〇一二三四五六七八九".chars().nth(digit as usize))
            .collect();
        spoken.push('年');
        Some(spoken)
    })
}

/// Separators as pauses; markup characters, title brackets and pictographs out.
fn symbols(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '¦' | '│' | '┃' | '▏' | '▎' | '▕' | '›' | '»' | '‹' | '«' | '<' | '>' | '•'
            | '‣' => out.push(','),
            '《' | '》' | '〈' | '〉' | '*' | '#' | '`' | '\u{20E3}' | '\u{FE00}'..='\u{FE0F}' =>
                {}
            '_' | '~' | '～' => out.push(' '),
            c if is_pictograph(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Arrows, technical symbols, enclosed signs, box drawing, blocks, shapes,
/// miscellaneous symbols, dingbats, emoji, icon fonts' private-use glyphs, ※.
fn is_pictograph(c: char) -> bool {
    matches!(c,
        '\u{2190}'..='\u{21FF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{2460}'..='\u{24FF}'
        | '\u{2500}'..='\u{27BF}'
        | '\u{2900}'..='\u{297F}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{E000}'..='\u{F8FF}'
        | '\u{1F000}'..='\u{1FAFF}'
        | '\u{203B}')
}

/// Marks that end a sentence.
const STOPS: &[char] = &['。', '！', '？', '.', '!', '?'];
/// Marks that pause inside one.
const PAUSES: &[char] = &[',', '，', '、', ';', '；', ':', '：'];

/// Repeated marks once, ellipses and dashes as pauses, each run of marks and
/// spaces as one mark in the language's own punctuation, none at the start
/// and no pause at the end.
fn punctuation(text: &str, lang: Lang) -> String {
    let chars = squeeze_marks(text);
    let chinese = lang != Lang::En;
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        if !is_mark(&chars, at) && !c.is_whitespace() {
            if !c.is_control() && !matches!(c, '<' | '>' | '*' | '|') {
                out.push(c);
            }
            at += 1;
            continue;
        }
        let start = at;
        while at < chars.len() && (is_mark(&chars, at) || chars[at].is_whitespace()) {
            at += 1;
        }
        let run = &chars[start..at];
        let mark = run
            .iter()
            .find(|c| STOPS.contains(c))
            .or_else(|| run.iter().find(|c| PAUSES.contains(c)))
            .copied();
        let at_end = at == chars.len();
        match mark {
            _ if start == 0 => {}
            None if at_end => {}
            None => out.push(' '),
            Some(mark) if at_end && PAUSES.contains(&mark) => {}
            Some(mark) if chinese => out.push(chinese_mark(mark)),
            Some(mark) => {
                out.push(mark);
                if !at_end {
                    out.push(' ');
                }
            }
        }
    }
    out
}

/// The text's characters with repeated marks squeezed: `！！！` as `！`,
/// `……`, `...`, `——`, `--` and a lone dash between words as a pause.
fn squeeze_marks(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    for (at, &c) in chars.iter().enumerate() {
        let before = at.checked_sub(1).map(|before| chars[before]);
        let after = chars.get(at + 1).copied();
        let joins_words = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let pause = match c {
            '…' | '⋯' | '—' | '―' | '–' => true,
            '-' => {
                after == Some('-')
                    || before == Some('-')
                    || !(joins_words(before) && joins_words(after))
            }
            '.' => after == Some('.') || before == Some('.'),
            _ => false,
        };
        let c = if pause { ',' } else { c };
        let repeated = out.last() == Some(&c) && (STOPS.contains(&c) || PAUSES.contains(&c));
        if !repeated {
            out.push(c);
        }
    }
    out
}

/// Whether the character at `at` is punctuation to normalize: a stop or a
/// pause mark, but not a dot or comma inside a number or a word (`3.5`,
/// `a.m.`, `1,000`).
fn is_mark(chars: &[char], at: usize) -> bool {
    let c = chars[at];
    if !STOPS.contains(&c) && !PAUSES.contains(&c) {
        return false;
    }
    if matches!(c, '.' | ',' | ':') {
        let inside = |c: Option<&char>| c.is_some_and(char::is_ascii_alphanumeric);
        let before = at.checked_sub(1).and_then(|before| chars.get(before));
        return !(inside(before) && inside(chars.get(at + 1)));
    }
    true
}

fn chinese_mark(mark: char) -> char {
    match mark {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '.' => '。',
        '!' => '！',
        '?' => '？',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arbtest::arbitrary::Unstructured;

    fn zh(shown: &str) -> String {
        Utterance::new(shown, Lang::ZhHans).text().to_owned()
    }

    fn hant(shown: &str) -> String {
        Utterance::new(shown, Lang::ZhHant).text().to_owned()
    }

    fn en(shown: &str) -> String {
        Utterance::new(shown, Lang::En).text().to_owned()
    }

    #[test]
    fn plain_text_stays_as_it_is() {
        assert_eq!(zh("公告栏 共 5 条"), "公告栏 共 5 条");
        assert_eq!(hant("公告欄 共 5 條"), "公告欄 共 5 條");
        assert_eq!(en("Notices, 5 items"), "Notices, 5 items");
        assert_eq!(
            en("It costs 3.5 yuan, open 1,000 days."),
            "It costs 3.5 yuan, open 1,000 days."
        );
        let utterance = Utterance::new("按钮 公告栏", Lang::ZhHans);
        assert_eq!(utterance.lang(), Lang::ZhHans);
        assert!(!utterance.is_empty());
    }

    #[test]
    fn markup_goes() {
        assert_eq!(zh("**重要** 通知"), "重要 通知");
        assert_eq!(zh("## 办事指南"), "办事指南");
        assert_eq!(hant("<b>辦事</b>指南<br/>"), "辦事 指南");
        assert_eq!(en("<p>Opening <em>hours</em></p>"), "Opening hours");
        assert_eq!(en("Q&amp;A&nbsp;page"), "Q&A page");
        assert_eq!(zh("见[办事指南](guide/42)"), "见办事指南");
        assert_eq!(en("`code` and __bold__"), "code and bold");
    }

    #[test]
    fn table_rules_and_separators_are_pauses() {
        assert_eq!(zh("| 事项 | 时限 |"), "事项，时限");
        assert_eq!(hant("首頁 › 公告欄"), "首頁，公告欄");
        assert_eq!(en("Home › Notices"), "Home, Notices");
        assert_eq!(zh("首页 ▏ 公告"), "首页，公告");
        assert_eq!(en("Home > Notices"), "Home, Notices");
        assert_eq!(zh("第一行\n第二行"), "第一行，第二行");
        assert_eq!(en("Line one.\nLine two"), "Line one. Line two");
    }

    #[test]
    fn pictographs_go() {
        assert_eq!(zh("🔍 搜索"), "搜索");
        assert_eq!(zh("● 已开放 ○ 未开放"), "已开放 未开放");
        assert_eq!(hant("⚠ 緊急通知"), "緊急通知");
        assert_eq!(
            en("★ Featured ⌂ Home ← Back → Next"),
            "Featured Home Back Next"
        );
        assert_eq!(en("👍🏽 Thanks ✔️"), "Thanks");
        assert_eq!(zh("※注意"), "注意");
    }

    #[test]
    fn repeated_punctuation_is_said_once() {
        assert_eq!(zh("注意！！！请排队。。。"), "注意！请排队。");
        assert_eq!(zh("等待……办理——结束"), "等待，办理，结束");
        assert_eq!(hant("辦理 ~ 結束"), "辦理 結束");
        assert_eq!(en("Wait... really?!"), "Wait, really?");
        assert_eq!(en("Notices -- all"), "Notices, all");
        assert_eq!(en(", , Notices ,"), "Notices");
        assert_eq!(en("Wi-Fi and e-mail"), "Wi-Fi and e-mail");
    }

    #[test]
    fn titles_keep_their_text() {
        assert_eq!(
            zh("根据《广州市政务服务条例》规定"),
            "根据广州市政务服务条例规定"
        );
        assert_eq!(hant("《廣州市政務服務條例》"), "廣州市政務服務條例");
        assert_eq!(en("the 《Regulations》"), "the Regulations");
    }

    #[test]
    fn dates_are_read_as_dates() {
        assert_eq!(zh("2026-11-20"), "二〇二六年11月20日");
        assert_eq!(hant("截止 2026/1/5"), "截止 二〇二六年1月5日");
        assert_eq!(en("Until 2026-11-20."), "Until 20 November 2026.");
        assert_eq!(en("2026.01.05"), "5 January 2026");
        assert_eq!(zh("2026年11月20日"), "二〇二六年11月20日");
        // Not dates: left as they are.
        assert_eq!(en("2026-13-20"), "2026-13-20");
        assert_eq!(en("2026-11/20"), "2026-11/20");
    }

    #[test]
    fn document_numbers_are_year_and_number() {
        assert_eq!(zh("穗府办〔2019〕83号"), "穗府办二〇一九年83号");
        assert_eq!(hant("穗府辦〔2019〕83號"), "穗府辦二〇一九年83號");
        assert_eq!(en("Circular 〔2019〕83号"), "Circular number 83 of 2019");
    }

    #[test]
    fn times_are_read_as_times() {
        assert_eq!(zh("办公时间 9:00-17:00"), "办公时间 9点至17点");
        assert_eq!(hant("9:30～17:05"), "9點30分至17點05分");
        assert_eq!(en("Open 9:00-17:30"), "Open 9 a.m. to 5:30 p.m.");
        assert_eq!(en("12:00 to 0:00"), "noon to midnight");
        assert_eq!(en("25:00"), "25:00");
    }

    #[test]
    fn phone_numbers_are_read_digit_by_digit() {
        assert_eq!(zh("电话：020-38928888"), "电话：0 2 0，3 8 9 2 8 8 8 8");
        assert_eq!(hant("電話 (020) 3892 8888"), "電話 0 2 0，3 8 9 2，8 8 8 8");
        assert_eq!(en("Call 020-38928888."), "Call 0 2 0, 3 8 9 2 8 8 8 8.");
        assert_eq!(zh("手机13812345678"), "手机1 3 8，1 2 3 4，5 6 7 8");
        assert_eq!(en("400-830-1234"), "4 0 0, 8 3 0, 1 2 3 4");
        assert_eq!(zh("02038928888"), "0 2 0，3 8 9 2 8 8 8 8");
        assert_eq!(zh("07582345678"), "0 7 5 8，2 3 4 5 6 7 8");
        assert_eq!(en("+86 20 3892 8888"), "8 6, 2 0, 3 8 9 2, 8 8 8 8");
    }

    #[test]
    fn service_hotlines_are_read_digit_by_digit_after_a_phone_word() {
        assert_eq!(zh("请拨打12345政务服务热线"), "请拨打1 2 3 4 5政务服务热线");
        assert_eq!(hant("熱線：12345"), "熱線：1 2 3 4 5");
        assert_eq!(en("Hotline 12345"), "Hotline 1 2 3 4 5");
        // Without such a word it is a number, and "hotel" is no "tel".
        assert_eq!(zh("共12345人"), "共12345人");
        assert_eq!(en("Hotel 12345"), "Hotel 12345");
    }

    #[test]
    fn numbered_markers_and_full_width_digits_are_read() {
        assert_eq!(zh("①申请②受理"), "1 申请2 受理");
        assert_eq!(zh("共５条"), "共5条");
    }

    #[test]
    fn control_and_invisible_characters_go() {
        assert_eq!(zh("公告\u{0}栏\u{200B}\u{FEFF}"), "公告栏");
        assert_eq!(en("\u{7}\tNotices\u{202E}"), "Notices");
    }

    #[test]
    fn nothing_to_say_is_empty() {
        for lang in Lang::ALL {
            assert!(Utterance::new("", lang).is_empty());
            assert!(Utterance::new("  🔍 ● | ** <br> ……\n", lang).is_empty());
        }
    }

    /// Fragments the rules care about, mixed into random text.
    const TOKENS: &[&str] = &[
        "<",
        ">",
        "<b>",
        "</p>",
        "**",
        "*",
        "|",
        "#",
        "&amp;",
        "&lt;",
        "&#60;",
        "&#x3e;",
        "&#0;",
        "[a](b)",
        "\u{0}",
        "\u{1b}",
        "\n",
        "\u{200B}",
        "🔍",
        "●",
        "›",
        "▏",
        "……",
        "——",
        "-",
        "2026-11-20",
        "〔2019〕83号",
        "020-38928888",
        "9:00-17:00",
        "《",
        "》",
        "，",
        "。",
        " ",
        "公告",
        "Wi-Fi",
        "1",
        "0",
        ":",
        "热线",
    ];

    #[test]
    fn no_utterance_holds_markup_or_control_characters() {
        arbtest::arbtest(|u: &mut Unstructured<'_>| {
            let mut shown = String::new();
            for _ in 0..u.int_in_range(0..=24)? {
                if u.ratio(1, 3)? {
                    shown.push(u.arbitrary()?);
                } else {
                    shown.push_str(u.choose(TOKENS)?);
                }
            }
            let lang = *u.choose(&Lang::ALL)?;
            let spoken = Utterance::new(&shown, lang);
            let text = spoken.text();
            assert!(
                !text.contains(['<', '>', '|', '*']) && !text.chars().any(char::is_control),
                "{shown:?} ({lang}) spoken as {text:?}"
            );
            assert_eq!(text, text.trim(), "{shown:?} ({lang}) spoken as {text:?}");
            Ok(())
        });
    }
}
