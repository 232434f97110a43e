//! Localized values: every visible text exists in zh-Hans, zh-Hant and
//! (optionally) English, with one defined fallback order.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A display language of the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    /// Simplified Chinese, the primary authoring language.
    #[default]
    #[serde(rename = "zh-Hans")]
    ZhHans,
    /// Traditional Chinese.
    #[serde(rename = "zh-Hant")]
    ZhHant,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// All languages in the order the language switch shows them.
    pub const ALL: [Lang; 3] = [Lang::ZhHans, Lang::ZhHant, Lang::En];

    /// The tags of [`Lang::ALL`], in its order (the serde names say the same;
    /// a test checks them).
    pub const TAGS: [&'static str; 3] = ["zh-Hans", "zh-Hant", "en"];

    /// The BCP 47 tag used in file names and translations (`zh-Hans`, `zh-Hant`, `en`).
    pub fn tag(self) -> &'static str {
        Lang::TAGS[self.index()]
    }

    /// Its place in [`Lang::ALL`]: the index the UI's language switch uses.
    pub fn index(self) -> usize {
        match self {
            Lang::ZhHans => 0,
            Lang::ZhHant => 1,
            Lang::En => 2,
        }
    }

    /// The language at `index` in [`Lang::ALL`] (None past its end).
    pub fn from_index(index: usize) -> Option<Lang> {
        Lang::ALL.get(index).copied()
    }

    /// Parses a tag as written in file names and configs.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.tag() == tag)
    }

    /// The order in which variants are tried when this language is missing.
    ///
    /// Chinese falls back to the other Chinese script, then English; English
    /// falls back to simplified, then traditional Chinese (the chrome stays English).
    pub fn fallback_order(self) -> [Lang; 3] {
        match self {
            Lang::ZhHans => [Lang::ZhHans, Lang::ZhHant, Lang::En],
            Lang::ZhHant => [Lang::ZhHant, Lang::ZhHans, Lang::En],
            Lang::En => [Lang::En, Lang::ZhHans, Lang::ZhHant],
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A value in up to three languages.
///
/// Authored as a plain value (taken as zh-Hans) or as a table
/// `{ zh-Hans = …, zh-Hant = …, en = … }`. After compilation both Chinese
/// variants are present; `machine` names the one produced by conversion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Localized<T> {
    /// Simplified Chinese.
    #[serde(rename = "zh-Hans", skip_serializing_if = "Option::is_none")]
    pub zh_hans: Option<T>,
    /// Traditional Chinese.
    #[serde(rename = "zh-Hant", skip_serializing_if = "Option::is_none")]
    pub zh_hant: Option<T>,
    /// English.
    #[serde(rename = "en", skip_serializing_if = "Option::is_none")]
    pub en: Option<T>,
    /// The variant that was machine-converted from the other script, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<Lang>,
}

/// A localized string.
pub type Text = Localized<String>;

impl<T> Localized<T> {
    /// A value authored in one language only.
    pub fn only(lang: Lang, value: T) -> Self {
        let mut localized = Localized {
            zh_hans: None,
            zh_hant: None,
            en: None,
            machine: None,
        };
        *localized.slot_mut(lang) = Some(value);
        localized
    }

    /// The variant for exactly this language, without fallback.
    pub fn exact(&self, lang: Lang) -> Option<&T> {
        match lang {
            Lang::ZhHans => self.zh_hans.as_ref(),
            Lang::ZhHant => self.zh_hant.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    /// Mutable access to the slot of one language.
    pub fn slot_mut(&mut self, lang: Lang) -> &mut Option<T> {
        match lang {
            Lang::ZhHans => &mut self.zh_hans,
            Lang::ZhHant => &mut self.zh_hant,
            Lang::En => &mut self.en,
        }
    }

    /// The best variant for `lang` following [`Lang::fallback_order`].
    pub fn get(&self, lang: Lang) -> Option<&T> {
        self.get_with_lang(lang).map(|(_, value)| value)
    }

    /// Like [`Localized::get`], with the language of the variant found.
    pub fn get_with_lang(&self, lang: Lang) -> Option<(Lang, &T)> {
        lang.fallback_order()
            .into_iter()
            .find_map(|candidate| Some((candidate, self.exact(candidate)?)))
    }

    /// Whether the variant for `lang` exists and was written by a person.
    pub fn is_authored(&self, lang: Lang) -> bool {
        self.exact(lang).is_some() && self.machine != Some(lang)
    }

    /// Whether no language has a value.
    pub fn is_empty(&self) -> bool {
        Lang::ALL.iter().all(|lang| self.exact(*lang).is_none())
    }

    /// Applies `f` to every present variant.
    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> Localized<U> {
        Localized {
            zh_hans: self.zh_hans.as_ref().map(&mut f),
            zh_hant: self.zh_hant.as_ref().map(&mut f),
            en: self.en.as_ref().map(&mut f),
            machine: self.machine,
        }
    }
}

impl Text {
    /// The display string for `lang`, or `""` when nothing is present.
    pub fn text(&self, lang: Lang) -> &str {
        self.get(lang).map(String::as_str).unwrap_or("")
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        Text::only(Lang::ZhHans, value.to_owned())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Localized<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LocalizedVisitor(std::marker::PhantomData))
    }
}

struct LocalizedVisitor<T>(std::marker::PhantomData<T>);

impl<T> LocalizedVisitor<T> {
    fn plain<'de, E: de::Error>(value: impl de::IntoDeserializer<'de, E>) -> Result<Localized<T>, E>
    where
        T: Deserialize<'de>,
    {
        T::deserialize(value.into_deserializer()).map(|value| Localized::only(Lang::ZhHans, value))
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for LocalizedVisitor<T> {
    type Value = Localized<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value (taken as zh-Hans) or a table with keys zh-Hans, zh-Hant, en")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Self::plain(value.to_owned())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Self::plain(value)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::SeqAccessDeserializer::new(seq))
            .map(|value| Localized::only(Lang::ZhHans, value))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut localized = Localized {
            zh_hans: None,
            zh_hant: None,
            en: None,
            machine: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            if key == "machine" {
                localized.machine = Some(map.next_value()?);
                continue;
            }
            let lang =
                Lang::from_tag(&key).ok_or_else(|| de::Error::unknown_field(&key, &Lang::TAGS))?;
            let slot = localized.slot_mut(lang);
            if slot.is_some() {
                return Err(de::Error::custom(format!("duplicate language `{key}`")));
            }
            *slot = Some(map.next_value()?);
        }
        if localized.is_empty() {
            return Err(de::Error::custom(
                "a localized value needs at least one of zh-Hans, zh-Hant, en",
            ));
        }
        Ok(localized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_the_place_in_all() {
        for (index, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang.index(), index);
            assert_eq!(Lang::from_index(index), Some(lang));
        }
        assert_eq!(Lang::from_index(Lang::ALL.len()), None);
    }

    #[test]
    fn tag_is_the_serde_name() {
        for lang in Lang::ALL {
            assert_eq!(
                serde_json::to_string(&lang).unwrap(),
                format!("\"{}\"", lang.tag())
            );
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn plain_string_is_simplified_chinese() {
        let text: Text = serde_json::from_str(r#""办事指南""#).unwrap();
        assert_eq!(
            text.exact(Lang::ZhHans).map(String::as_str),
            Some("办事指南")
        );
        assert_eq!(text.exact(Lang::ZhHant), None);
    }

    #[test]
    fn fallback_prefers_other_chinese_script_then_english() {
        let text: Text = serde_json::from_str(r#"{"zh-Hant":"辦事指南","en":"Guides"}"#).unwrap();
        assert_eq!(text.text(Lang::ZhHans), "辦事指南");
        assert_eq!(text.text(Lang::En), "Guides");
        let chinese_only = Text::from("办事指南");
        assert_eq!(chinese_only.text(Lang::En), "办事指南");
    }

    #[test]
    fn unknown_language_key_is_rejected() {
        let error = serde_json::from_str::<Text>(r#"{"fr":"Guides"}"#).unwrap_err();
        assert!(error.to_string().contains("unknown field `fr`"), "{error}");
    }

    #[test]
    fn machine_converted_variant_is_not_authored() {
        let mut text = Text::from("场馆");
        text.zh_hant = Some("場館".into());
        text.machine = Some(Lang::ZhHant);
        assert!(text.is_authored(Lang::ZhHans));
        assert!(!text.is_authored(Lang::ZhHant));
    }

    #[test]
    fn round_trips_through_json() {
        let mut text = Text::from("场馆");
        text.en = Some("Venues".into());
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), text);
    }
}
