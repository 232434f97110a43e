//! The edit form of a service guide (`guides/<id>.toml`): its fields, the
//! localized lists (legal basis, eligibility) and the materials and steps
//! as rows. Like [`super::markdown_form`], saving changes only what the
//! form changed: a guide saved unchanged keeps its bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use super::editable::{EditKind, Editable, FileChange, FormError, same_item};
use super::paths::{ContentRoot, ItemId};
use super::toml_values::{
    TextKind, Texts, item_text, key_of_line, localized, set_localized, set_text,
};
use crate::content::authoring::Diagnostic;
use crate::content::text::Lang;

/// How a form edits one key of a table.
#[derive(Clone, Copy)]
enum Field {
    /// A value edited as text.
    Text(&'static str, TextKind),
    /// A value in the three languages.
    Localized(&'static str),
}

/// The guide's own keys (docs/authoring.md §9), in the file's usual order.
const GUIDE_FIELDS: &[Field] = &[
    Field::Localized("title"),
    Field::Text("category", TextKind::String),
    Field::Localized("department"),
    Field::Localized("window"),
    Field::Text("statutory_days", TextKind::Integer),
    Field::Text("promised_days", TextKind::Integer),
    Field::Text("visits", TextKind::Integer),
    Field::Localized("fees"),
    Field::Localized("location"),
    Field::Localized("hours"),
    Field::Text("phone", TextKind::String),
    Field::Localized("complaint"),
    Field::Text("online_url", TextKind::String),
    Field::Text("source_url", TextKind::String),
    Field::Text("revision", TextKind::Integer),
];

/// One `[[materials]]` row.
const MATERIAL_FIELDS: &[Field] = &[
    Field::Localized("name"),
    Field::Text("copies", TextKind::Integer),
    Field::Text("form", TextKind::String),
    Field::Text("format", TextKind::String),
    Field::Localized("source"),
    Field::Text("sample_form", TextKind::String),
    Field::Localized("notes"),
];

/// One `[[steps]]` row.
const STEP_FIELDS: &[Field] = &[Field::Localized("title"), Field::Localized("detail")];

/// The lists of localized lines.
const LIST_KEYS: [&str; 2] = ["legal_basis", "eligibility"];

/// The tables of rows, with the fields of a row.
const ROW_TABLES: [(&str, &[Field]); 2] = [("materials", MATERIAL_FIELDS), ("steps", STEP_FIELDS)];

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

/// What the guide's edit form shows and sends back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideForm {
    /// The guide's id (its file name).
    pub id: String,
    /// The hash of the file as loaded (a save against a changed file is refused).
    pub hash: String,
    /// The guide's own fields.
    pub guide: Entry,
    /// `legal_basis` and `eligibility`: one line each, in three languages.
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<Texts>>,
    /// `materials` and `steps`: one row each.
    #[serde(default)]
    pub rows: BTreeMap<String, Vec<Entry>>,
}

/// A guide's file as it is on disk.
pub struct GuideFile {
    id: ItemId,
    file: String,
    text: String,
    hash: String,
}

impl GuideFile {
    /// Reads `guides/<id>.toml`.
    pub fn read(root: &ContentRoot, id: ItemId) -> Result<Self, FormError> {
        let file = format!("guides/{}.toml", id.as_str());
        let text = root.read(&file)?.ok_or_else(|| FormError::NotFound {
            kind: "guides",
            id: id.as_str().to_owned(),
        })?;
        let hash = format!("{:x}", Sha256::digest(text.as_bytes()));
        Ok(GuideFile {
            id,
            file,
            text,
            hash,
        })
    }

    fn document(&self) -> Result<DocumentMut, FormError> {
        self.text
            .parse()
            .map_err(|error: toml_edit::TomlError| FormError::Unreadable {
                file: self.file.clone(),
                message: error.message().to_owned(),
            })
    }
}

impl Editable for GuideFile {
    type Form = GuideForm;

    fn open(root: &ContentRoot, kind: EditKind, id: ItemId) -> Result<Self, FormError> {
        match kind {
            EditKind::Guide => GuideFile::read(root, id),
            other => Err(FormError::Invalid(format!("a {other:?} is no guide"))),
        }
    }

    fn id(&self) -> &ItemId {
        &self.id
    }

    fn hash(&self) -> &str {
        &self.hash
    }

    fn form_hash(form: &GuideForm) -> &str {
        &form.hash
    }

    fn owns(&self, file: &str) -> bool {
        file == self.file
    }

    fn form(&self) -> Result<GuideForm, FormError> {
        let document = self.document()?;
        let lists = LIST_KEYS
            .into_iter()
            .map(|key| (key.to_owned(), read_list(&document, key)))
            .collect();
        let rows = ROW_TABLES
            .into_iter()
            .map(|(key, fields)| {
                let rows = document
                    .get(key)
                    .and_then(Item::as_array_of_tables)
                    .map(|tables| tables.iter().map(|row| read_entry(row, fields)).collect())
                    .unwrap_or_default();
                (key.to_owned(), rows)
            })
            .collect();
        Ok(GuideForm {
            id: self.id.as_str().to_owned(),
            hash: self.hash.clone(),
            guide: read_entry(&document, GUIDE_FIELDS),
            lists,
            rows,
        })
    }

    fn changes(&self, form: &GuideForm) -> Result<Vec<FileChange>, FormError> {
        same_item(&form.id, &self.id)?;
        let loaded = self.form()?;
        let mut document = self.document()?;
        let mut changed = write_entry(&mut document, GUIDE_FIELDS, &form.guide, &loaded.guide)?;
        for (key, lines) in &form.lists {
            if !LIST_KEYS.contains(&key.as_str()) {
                return Err(FormError::Invalid(format!("unknown list `{key}`")));
            }
            let before = loaded.lists.get(key).map(Vec::as_slice).unwrap_or_default();
            if lines.as_slice() != before {
                write_list(&mut document, key, lines, before);
                changed = true;
            }
        }
        for (key, rows) in &form.rows {
            let Some((key, fields)) = ROW_TABLES.into_iter().find(|(name, _)| name == key) else {
                return Err(FormError::Invalid(format!("unknown rows `{key}`")));
            };
            let before = loaded.rows.get(key).map(Vec::as_slice).unwrap_or_default();
            if rows.as_slice() != before {
                write_rows(&mut document, key, fields, rows, before)?;
                changed = true;
            }
        }
        Ok(if changed {
            vec![FileChange {
                file: self.file.clone(),
                text: Some(document.to_string()),
            }]
        } else {
            Vec::new()
        })
    }

    /// The form field a diagnostic belongs to: `title.zh-Hans`, `visits`,
    /// `legal_basis`, `materials.2.copies`, `steps.0.detail.en`…
    fn field_of(&self, diagnostic: &Diagnostic, changes: &[FileChange]) -> Option<String> {
        if diagnostic.file != self.file {
            return None;
        }
        let text = match changes.iter().find(|change| change.file == self.file) {
            Some(change) => change.text.as_deref()?,
            None => &self.text,
        };
        let lines: Vec<&str> = text.lines().take(diagnostic.line).collect();
        // The table the line is in: the guide, or the n-th row of materials or steps.
        let mut table: Option<(String, usize)> = None;
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut key_line = None;
        for line in &lines {
            if let Some(name) = line
                .trim()
                .strip_prefix("[[")
                .and_then(|rest| rest.strip_suffix("]]"))
            {
                let count = counts.entry(name.to_owned()).or_insert(0);
                table = Some((name.to_owned(), *count));
                *count += 1;
                key_line = None;
            } else if let Some((key, sub)) = key_of_line(line) {
                key_line = Some((key, sub));
            }
        }
        let Some((key, sub)) = key_line else {
            // A row's header: a finding about the whole row.
            return table.map(|(name, index)| format!("{name}.{index}"));
        };
        let prefix = table.map(|(name, index)| format!("{name}.{index}."));
        let fields = if prefix.is_some() {
            ROW_TABLES
                .iter()
                .flat_map(|(_, fields)| fields.iter())
                .copied()
                .collect::<Vec<_>>()
        } else {
            GUIDE_FIELDS.to_vec()
        };
        let field = match fields.iter().find(|field| field_key(**field) == key) {
            Some(Field::Localized(_)) => {
                let lang = sub.and_then(Lang::from_tag).unwrap_or(Lang::ZhHans);
                format!("{key}.{}", lang.tag())
            }
            Some(Field::Text(..)) => key.to_owned(),
            None if LIST_KEYS.contains(&key) => key.to_owned(),
            None => return None,
        };
        Some(format!("{}{field}", prefix.unwrap_or_default()))
    }
}

fn field_key(field: Field) -> &'static str {
    match field {
        Field::Text(key, _) | Field::Localized(key) => key,
    }
}

fn read_entry(table: &Table, fields: &[Field]) -> Entry {
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
fn write_entry(
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

fn read_list(table: &Table, key: &str) -> Vec<Texts> {
    table
        .get(key)
        .and_then(Item::as_array)
        .map(|array| array.iter().map(texts_of).collect())
        .unwrap_or_default()
}

/// Rewrites the lines of a list that changed, keeping the layout of the
/// others; new lines are laid out like the last one.
fn write_list(table: &mut Table, key: &str, lines: &[Texts], before: &[Texts]) {
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

/// Rewrites the rows that changed, adds new ones after the last, removes
/// those past the form's last row.
fn write_rows(
    document: &mut DocumentMut,
    key: &str,
    fields: &[Field],
    rows: &[Entry],
    before: &[Entry],
) -> Result<(), FormError> {
    if document.get(key).is_none() {
        document.insert(key, Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let tables = document
        .get_mut(key)
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| {
            FormError::Invalid(format!(
                "`{key}` is not written as [[{key}]] tables: fix it by hand"
            ))
        })?;
    let empty = Entry::default();
    for (index, row) in rows.iter().enumerate() {
        let old = before.get(index).unwrap_or(&empty);
        match tables.get_mut(index) {
            Some(table) => {
                if old != row {
                    write_entry(table, fields, row, old)?;
                }
            }
            None => {
                let mut table = Table::new();
                let last = tables
                    .len()
                    .checked_sub(1)
                    .and_then(|last| tables.get(last));
                table.set_position(last.and_then(Table::position));
                write_entry(&mut table, fields, row, &empty)?;
                tables.push(table);
            }
        }
    }
    while tables.len() > rows.len() {
        tables.remove(tables.len() - 1);
    }
    Ok(())
}
