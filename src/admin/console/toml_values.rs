//! Values of authoring TOML as a form shows them, and the edits that write
//! a form's values back with `toml_edit`: an edited value keeps the comment
//! and spacing around the one it replaces, a plain string stays plain while
//! it is zh-Hans only.

use serde::{Deserialize, Serialize};
use toml_edit::{Item, Table, Value};

use crate::content::text::Lang;

/// Text in the three languages; empty means not written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    /// Simplified Chinese.
    #[serde(rename = "zh-Hans", default)]
    pub zh_hans: String,
    /// Traditional Chinese.
    #[serde(rename = "zh-Hant", default)]
    pub zh_hant: String,
    /// English.
    #[serde(rename = "en", default)]
    pub en: String,
}

impl Texts {
    /// The text of one language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhHans => &self.zh_hans,
            Lang::ZhHant => &self.zh_hant,
            Lang::En => &self.en,
        }
    }

    /// The text of one language, to change it.
    pub fn slot(&mut self, lang: Lang) -> &mut String {
        match lang {
            Lang::ZhHans => &mut self.zh_hans,
            Lang::ZhHant => &mut self.zh_hant,
            Lang::En => &mut self.en,
        }
    }
}

/// `key` or `key.sub` at the start of a TOML line.
pub fn key_of_line(line: &str) -> Option<(&str, Option<&str>)> {
    let (left, _) = line.split_once('=')?;
    let left = left.trim();
    let mut parts = left.splitn(2, '.');
    let key = parts.next()?.trim();
    let sub = parts.next().map(|sub| sub.trim().trim_matches('"'));
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    is_key.then_some((key, sub))
}

/// A value as the form shows it (a string as it is, anything else as TOML
/// writes it).
pub fn item_text(item: &Item) -> String {
    match item.as_value() {
        Some(Value::String(text)) => text.value().clone(),
        Some(Value::Datetime(moment)) => moment.value().to_string(),
        Some(Value::Integer(number)) => number.value().to_string(),
        Some(other) => other.to_string().trim().to_owned(),
        None => item.to_string().trim().to_owned(),
    }
}

/// One language of a localized value: a plain string is zh-Hans.
pub fn localized(table: &Table, key: &str, lang: Lang) -> String {
    let Some(item) = table.get(key) else {
        return String::new();
    };
    if let Some(text) = item.as_str() {
        return if lang == Lang::ZhHans {
            text.to_owned()
        } else {
            String::new()
        };
    }
    item.as_table_like()
        .and_then(|table| table.get(lang.tag()))
        .and_then(Item::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A plain string value ("" when absent or not a string).
pub fn plain(table: &Table, key: &str) -> String {
    table
        .get(key)
        .and_then(Item::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// Whether a localized value is a table with this language.
pub fn has_inline(table: &Table, key: &str, lang: Lang) -> bool {
    table
        .get(key)
        .and_then(Item::as_table_like)
        .is_some_and(|languages| languages.contains_key(lang.tag()))
}

/// Replaces a value, keeping the comment and spacing around the old one.
pub fn replace_value(table: &mut Table, key: &str, mut value: Value) {
    if let Some(old) = table.get(key).and_then(Item::as_value) {
        *value.decor_mut() = old.decor().clone();
    }
    table.insert(key, Item::Value(value));
}

/// Writes a plain string value, or removes the key when it is empty.
pub fn set_plain(table: &mut Table, key: &str, text: &str) {
    if text.is_empty() {
        table.remove(key);
    } else {
        replace_value(table, key, Value::from(text));
    }
}

/// What a value edited as text is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A TOML date or date-time where the text reads as one.
    Date,
    /// A TOML integer where the text reads as one.
    Integer,
    /// A string.
    String,
}

/// Writes a value edited as text as `kind` says, or as a string when the
/// text does not read as one (the validator then says what is wrong with
/// it); empty removes the key.
pub fn set_text(table: &mut Table, key: &str, text: &str, kind: TextKind) {
    let text = text.trim();
    if text.is_empty() {
        table.remove(key);
        return;
    }
    let value = match kind {
        TextKind::Date => match text.replacen(' ', "T", 1).parse::<toml_edit::Datetime>() {
            Ok(moment) => Value::from(moment),
            Err(_) => Value::from(text),
        },
        TextKind::Integer => match text.parse::<i64>() {
            Ok(number) => Value::from(number),
            Err(_) => Value::from(text),
        },
        TextKind::String => Value::from(text),
    };
    replace_value(table, key, value);
}

/// Writes one language of a localized value: a plain string while it is
/// zh-Hans only, a `{ zh-Hans = …, en = … }` table otherwise; an empty text
/// removes that language.
pub fn set_localized(table: &mut Table, key: &str, lang: Lang, text: &str) {
    let current = table.get(key);
    let plain_text = current.and_then(Item::as_str).map(str::to_owned);
    let is_table = current.and_then(Item::as_table_like).is_some();
    if !is_table {
        match (lang, plain_text) {
            (Lang::ZhHans, _) => return set_plain(table, key, text),
            (_, _) if text.is_empty() => return,
            (_, simplified) => {
                let mut languages = toml_edit::InlineTable::new();
                if let Some(simplified) = simplified {
                    languages.insert(Lang::ZhHans.tag(), Value::from(simplified));
                }
                replace_value(table, key, Value::InlineTable(languages));
            }
        }
    }
    let Some(languages) = table.get_mut(key).and_then(Item::as_table_like_mut) else {
        return;
    };
    if text.is_empty() {
        languages.remove(lang.tag());
    } else {
        match languages.get_mut(lang.tag()).and_then(Item::as_value_mut) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = Value::from(text);
                *old.decor_mut() = decor;
            }
            None => {
                languages.insert(lang.tag(), Item::Value(Value::from(text)));
            }
        }
    }
    if languages.is_empty() {
        table.remove(key);
    }
}
