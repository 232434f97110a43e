//! Which espeak-ng voice speaks each language.
//!
//! Simplified Chinese is Mandarin, Traditional Chinese Cantonese (the first
//! kiosk is in Guangzhou; a site elsewhere sets `zh_hant = "cmn-latn-pinyin"`
//! for Mandarin), English English.
//!
//! Mandarin's default is espeak-ng's `cmn-latn-pinyin`, not `cmn`: in
//! espeak-ng 1.51 (Debian bookworm, the board's system) `cmn` looks a
//! character up as tone-numbered pinyin and then reads that pinyin as
//! English (`espeak-ng -v cmn -q --ipa 公告栏` gives
//! `(en)ɡɒ5ŋwˈɒ5n ɡˌeɪ5ə5fˈɔːɔː…`, "gong one gao four"; upstream issue
//! 1236, rules rewritten after 1.51), while `cmn-latn-pinyin` reads
//! `kˈonɡ5 kˈɑu5 lˈaɜn`. That voice reads Latin letters as pinyin
//! (`Wi-Fi` as "da bu liu i fi"), so [`Voices::parts`] gives the Latin words
//! of a Chinese utterance to the English voice.

use serde::Deserialize;

use super::Utterance;
use crate::content::Lang;

/// The espeak-ng voice (a name `espeak-ng --voices` lists) of each language.
///
/// Deserializable as a `kiosk.toml` section (`zh_hans`, `zh_hant`, `en`,
/// each optional).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Voices {
    /// Simplified Chinese: Mandarin, `cmn-latn-pinyin` (see the module doc).
    pub zh_hans: String,
    /// Traditional Chinese: Cantonese, `yue`.
    pub zh_hant: String,
    /// English, `en`; also the Latin words inside Chinese text.
    pub en: String,
}

impl Default for Voices {
    fn default() -> Self {
        Voices {
            zh_hans: "cmn-latn-pinyin".to_owned(),
            zh_hant: "yue".to_owned(),
            en: "en".to_owned(),
        }
    }
}

/// A stretch of an utterance and the voice that speaks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part<'a> {
    /// The espeak-ng voice.
    pub voice: &'a str,
    /// The text it speaks.
    pub text: &'a str,
}

impl Voices {
    /// The voice that speaks `lang`.
    pub fn voice(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhHans => &self.zh_hans,
            Lang::ZhHant => &self.zh_hant,
            Lang::En => &self.en,
        }
    }

    /// Each language with its voice, in [`Lang::ALL`]'s order.
    pub fn each(&self) -> impl Iterator<Item = (Lang, &str)> {
        Lang::ALL.into_iter().map(|lang| (lang, self.voice(lang)))
    }

    /// The utterance cut into the stretches each voice speaks: an English
    /// utterance whole; a Chinese one in its language's voice but for its
    /// runs of Latin words (`Wi-Fi`, `PDF`, `Guangzhou Service Centre`),
    /// which go to the English voice. Blank stretches are left out.
    pub fn parts<'a>(&'a self, utterance: &'a Utterance) -> Vec<Part<'a>> {
        let text = utterance.text();
        let own = self.voice(utterance.lang());
        if utterance.lang() == Lang::En {
            return blank_free(vec![Part { voice: own, text }]);
        }
        let mut parts = Vec::new();
        let mut rest = 0;
        for (start, end) in latin_runs(text) {
            parts.push(Part {
                voice: own,
                text: &text[rest..start],
            });
            parts.push(Part {
                voice: &self.en,
                text: &text[start..end],
            });
            rest = end;
        }
        parts.push(Part {
            voice: own,
            text: &text[rest..],
        });
        blank_free(parts)
    }
}

fn blank_free(parts: Vec<Part<'_>>) -> Vec<Part<'_>> {
    parts
        .into_iter()
        .filter(|part| !part.text.trim().is_empty())
        .collect()
}

/// A letter of the Latin script (ASCII and the Latin-1 and Extended-A/B blocks).
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || (matches!(c, '\u{C0}'..='\u{24F}') && c.is_alphabetic())
}

/// Byte ranges of the runs of Latin words: letters, joined by spaces,
/// hyphens, apostrophes, dots and `&` when a letter follows.
fn latin_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_latin(c) {
            continue;
        }
        // A run ends at its last letter: joiners after it belong to what follows.
        let mut end = start + c.len_utf8();
        while let Some(&(at, next)) = chars.peek() {
            if is_latin(next) {
                end = at + next.len_utf8();
            } else if !matches!(next, ' ' | '-' | '\'' | '’' | '.' | '&') {
                break;
            }
            chars.next();
        }
        runs.push((start, end));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str, lang: Lang) -> Vec<(String, String)> {
        let voices = Voices::default();
        let utterance = Utterance::new(text, lang);
        voices
            .parts(&utterance)
            .into_iter()
            .map(|part| (part.voice.to_owned(), part.text.to_owned()))
            .collect()
    }

    fn owned(parts: &[(&str, &str)]) -> Vec<(String, String)> {
        parts
            .iter()
            .map(|(voice, text)| ((*voice).to_owned(), (*text).to_owned()))
            .collect()
    }

    #[test]
    fn each_language_has_its_voice() {
        let voices = Voices::default();
        assert_eq!(voices.voice(Lang::ZhHans), "cmn-latn-pinyin");
        assert_eq!(voices.voice(Lang::ZhHant), "yue");
        assert_eq!(voices.voice(Lang::En), "en");
        assert_eq!(
            voices.each().collect::<Vec<_>>(),
            [
                (Lang::ZhHans, "cmn-latn-pinyin"),
                (Lang::ZhHant, "yue"),
                (Lang::En, "en")
            ]
        );
    }

    #[test]
    fn the_zh_hant_voice_is_configurable_and_the_rest_keep_their_defaults() {
        let voices: Voices = toml::from_str("zh_hant = \"cmn-latn-pinyin\"").unwrap();
        assert_eq!(voices.voice(Lang::ZhHant), "cmn-latn-pinyin");
        assert_eq!(voices.voice(Lang::En), "en");
        assert_eq!(toml::from_str::<Voices>("").unwrap(), Voices::default());
        assert!(toml::from_str::<Voices>("zh_hant_voice = \"yue\"").is_err());
    }

    #[test]
    fn latin_words_in_chinese_go_to_the_english_voice() {
        assert_eq!(
            parts("请连接 Wi-Fi 网络", Lang::ZhHans),
            owned(&[
                ("cmn-latn-pinyin", "请连接 "),
                ("en", "Wi-Fi"),
                ("cmn-latn-pinyin", " 网络")
            ])
        );
        assert_eq!(
            parts("下載PDF文件", Lang::ZhHant),
            owned(&[("yue", "下載"), ("en", "PDF"), ("yue", "文件")])
        );
        assert_eq!(
            parts("Guangzhou Service Centre, A座", Lang::ZhHans),
            owned(&[
                ("en", "Guangzhou Service Centre"),
                ("cmn-latn-pinyin", "，"),
                ("en", "A"),
                ("cmn-latn-pinyin", "座")
            ])
        );
    }

    #[test]
    fn digits_stay_with_the_chinese_voice_and_english_stays_whole() {
        assert_eq!(
            parts("公告栏 共 5 条", Lang::ZhHans),
            owned(&[("cmn-latn-pinyin", "公告栏 共 5 条")])
        );
        assert_eq!(
            parts("A4纸", Lang::ZhHans),
            owned(&[("en", "A"), ("cmn-latn-pinyin", "4纸")])
        );
        assert_eq!(
            parts("Notices, 5 items", Lang::En),
            owned(&[("en", "Notices, 5 items")])
        );
        assert!(parts("", Lang::En).is_empty());
        assert!(parts("", Lang::ZhHans).is_empty());
    }
}
