//! One TOML table as a form edits it: values edited as text, values in
//! the three languages, and lists of localized lines; and where in a file
//! a finding's line is. The guide form and the FAQ, venue and channel
//! forms share these.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml_edit::{DocumentMut, Item, Table, Value};

use super::editable::{FileChange, FormError};
use super::paths::{ContentRoot, ItemId};
use super::toml_values::{
    TextKind, Texts, item_text, key_of_line, localized, set_localized, set_text,
};
use crate::content::text::Lang;

/// How a form edits one key of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A value edited as text.
    Text(&'static str, TextKind),
    /// A value in the three languages.
    Localized(&'static str),
}

/// The values of one table as the form edits them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Values edited as text, by key.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Values in the three languages, by key.
    #[serde(default)]
    pub texts: BTreeMap<String, Texts>,
}

/// Where a line of a TOML file is: in which `[[name]]` table (and which
/// of them, from 0; None: the top level), at which key.
#[derive(Debug, PartialEq, Eq)]
pub struct Location<'a> {
    /// The array table and its index, when the line is in one.
    pub table: Option<(String, usize)>,
    /// The key of the value the line is part of (None: a table's header).
    pub key: Option<&'a str>,
    /// The part after a dot (`answer.en` → `en`).
    pub sub: Option<&'a str>,
}

/// The table and key a 1-based line belongs to: the nearest key line at or
/// above it (a multi-line value belongs to its key), in the nearest
/// `[[name]]` table above.
pub fn locate(text: &str, line: usize) -> Location<'_> {
    let mut location = Location {
        table: None,
        key: None,
        sub: None,
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines().take(line) {
        if let Some(name) = line
            .trim()
            .strip_prefix("[[")
            .and_then(|rest| rest.strip_suffix("]]"))
        {
            let count = counts.entry(name.to_owned()).or_insert(0);
            location = Location {
                table: Some((name.to_owned(), *count)),
                key: None,
                sub: None,
            };
            *count += 1;
        } else if let Some((key, sub)) = key_of_line(line) {
            location.key = Some(key);
            location.sub = sub;
        }
    }
    location
}

/// The form's name of a field at `key` (`question.en`, `copies`,
/// `facilities`), when `fields` or `lists` has it.
pub fn field_name(
    fields: &[Field],
    lists: &[&str],
    key: &str,
    sub: Option<&str>,
) -> Option<String> {
    match fields.iter().find(|field| field_key(**field) == key) {
        Some(Field::Localized(_)) => {
            let lang = sub.and_then(Lang::from_tag).unwrap_or(Lang::ZhHans);
            Some(format!("{key}.{}", lang.tag()))
        }
        Some(Field::Text(..)) => Some(key.to_owned()),
        None if lists.contains(&key) => Some(key.to_owned()),
        None => None,
    }
}

/// The key a field edits.
fn field_key(field: Field) -> &'static str {
    match field {
        Field::Text(key, _) | Field::Localized(key) => key,
    }
}

/// The values of `fields` in a table.
pub fn read_entry(table: &Table, fields: &[Field]) -> Entry {
    let mut entry = Entry::default();
    for field in fields {
        match *field {
            Field::Text(key, _) => {
                let text = table.get(key).map(item_text).unwrap_or_default();
                entry.fields.insert(key.to_owned(), text);
            }
            Field::Localized(key) => {
                let mut texts = Texts::default();
                for lang in Lang::ALL {
                    *texts.slot(lang) = localized(table, key, lang);
                }
                entry.texts.insert(key.to_owned(), texts);
            }
        }
    }
    entry
}

/// Writes the values of `wanted` that differ from `before`, in the order
/// of `fields`; whether anything was written.
pub fn write_entry(
    table: &mut Table,
    fields: &[Field],
    wanted: &Entry,
    before: &Entry,
) -> Result<bool, FormError> {
    let known = |key: &String| fields.iter().any(|field| field_key(*field) == key);
    if let Some(key) = wanted
        .fields
        .keys()
        .chain(wanted.texts.keys())
        .find(|key| !known(key))
    {
        return Err(FormError::Invalid(format!("unknown field `{key}`")));
    }
    let mut changed = false;
    for field in fields {
        match *field {
            Field::Text(key, kind) => {
                if let Some(text) = wanted.fields.get(key)
                    && before
                        .fields
                        .get(key)
                        .map_or(!text.is_empty(), |old| old != text)
                {
                    set_text(table, key, text, kind);
                    changed = true;
                }
            }
            Field::Localized(key) => {
                let Some(texts) = wanted.texts.get(key) else {
                    continue;
                };
                let old = before.texts.get(key).cloned().unwrap_or_default();
                for lang in Lang::ALL {
                    if texts.get(lang) != old.get(lang) {
                        set_localized(table, key, lang, texts.get(lang));
                        changed = true;
                    }
                }
            }
        }
    }
    Ok(changed)
}

/// A localized value: a plain string while it is zh-Hans only.
fn localized_value(texts: &Texts) -> Value {
    if texts.zh_hant.is_empty() && texts.en.is_empty() {
        return Value::from(texts.zh_hans.as_str());
    }
    let mut table = toml_edit::InlineTable::new();
    for lang in Lang::ALL {
        if !texts.get(lang).is_empty() {
            table.insert(lang.tag(), Value::from(texts.get(lang)));
        }
    }
    Value::InlineTable(table)
}

/// A localized value as the form shows it (a plain string is zh-Hans).
fn texts_of(value: &Value) -> Texts {
    let mut texts = Texts::default();
    match value {
        Value::String(text) => texts.zh_hans = text.value().clone(),
        Value::InlineTable(table) => {
            for lang in Lang::ALL {
                if let Some(text) = table.get(lang.tag()).and_then(Value::as_str) {
                    *texts.slot(lang) = text.to_owned();
                }
            }
        }
        _ => {}
    }
    texts
}

/// A list of localized values.
pub fn read_list(table: &Table, key: &str) -> Vec<Texts> {
    table
        .get(key)
        .and_then(Item::as_array)
        .map(|array| array.iter().map(texts_of).collect())
        .unwrap_or_default()
}

/// Rewrites the lines of a list that changed, keeping the layout of the
/// others; new lines are laid out like the last one.
pub fn write_list(table: &mut Table, key: &str, lines: &[Texts], before: &[Texts]) {
    if table.get(key).and_then(Item::as_array).is_none() {
        table.insert(key, Item::Value(Value::Array(toml_edit::Array::new())));
    }
    let Some(array) = table.get_mut(key).and_then(Item::as_array_mut) else {
        return;
    };
    let multiline = array.iter().next().is_some_and(|first| {
        first
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .is_some_and(|p| p.contains('\n'))
    });
    for (index, line) in lines.iter().enumerate() {
        if index < array.len() {
            if before.get(index) != Some(line) {
                array.replace(index, localized_value(line));
            }
        } else {
            let mut value = localized_value(line);
            if multiline {
                value.decor_mut().set_prefix("\n  ");
            }
            array.push_formatted(value);
        }
    }
    while array.len() > lines.len() {
        array.remove(array.len() - 1);
    }
    if multiline {
        array.set_trailing_comma(true);
        array.set_trailing("\n");
    }
}

/// The lists of `keys` in a table.
pub fn read_lists(table: &Table, keys: &[&str]) -> BTreeMap<String, Vec<Texts>> {
    keys.iter()
        .map(|key| ((*key).to_owned(), read_list(table, key)))
        .collect()
}

/// Writes the lists of `wanted` that differ from `before`; whether any did.
pub fn write_lists(
    table: &mut Table,
    keys: &[&str],
    wanted: &BTreeMap<String, Vec<Texts>>,
    before: &BTreeMap<String, Vec<Texts>>,
) -> Result<bool, FormError> {
    let mut changed = false;
    for (key, lines) in wanted {
        if !keys.contains(&key.as_str()) {
            return Err(FormError::Invalid(format!("unknown list `{key}`")));
        }
        let old = before.get(key).map(Vec::as_slice).unwrap_or_default();
        if lines.as_slice() != old {
            write_list(table, key, lines, old);
            changed = true;
        }
    }
    Ok(changed)
}

/// One TOML file of the content folder as a form reads it.
pub struct TomlFile {
    /// Relative to the content folder.
    pub file: String,
    text: String,
    hash: String,
}

impl TomlFile {
    /// Reads `file`; `NotFound` for the item `id` of `kind` when it is missing.
    pub fn read(
        root: &ContentRoot,
        file: String,
        kind: &'static str,
        id: &ItemId,
    ) -> Result<Self, FormError> {
        let text = root.read(&file)?.ok_or_else(|| FormError::NotFound {
            kind,
            id: id.as_str().to_owned(),
        })?;
        let hash = format!("{:x}", Sha256::digest(text.as_bytes()));
        Ok(TomlFile { file, text, hash })
    }

    /// The hash of its text, for conflict detection.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// Its text, parsed for editing.
    pub fn document(&self) -> Result<DocumentMut, FormError> {
        self.text
            .parse()
            .map_err(|error: toml_edit::TomlError| FormError::Unreadable {
                file: self.file.clone(),
                message: error.message().to_owned(),
            })
    }

    /// Its text after `changes` (as validated), or as read.
    pub fn text_after<'a>(&'a self, changes: &'a [FileChange]) -> Option<&'a str> {
        match changes.iter().find(|change| change.file == self.file) {
            Some(change) => change.text.as_deref(),
            None => Some(&self.text),
        }
    }

    /// The change that writes `document`, when anything `changed`.
    pub fn change(&self, document: &DocumentMut, changed: bool) -> Vec<FileChange> {
        if changed {
            vec![FileChange {
                file: self.file.clone(),
                text: Some(document.to_string()),
            }]
        } else {
            Vec::new()
        }
    }
}
