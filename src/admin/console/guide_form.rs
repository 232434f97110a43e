//! The edit form of a service guide (`guides/<id>.toml`): its fields, the
//! localized lists (legal basis, eligibility) and the materials and steps
//! as rows. Like [`super::markdown_form`], saving changes only what the
//! form changed: a guide saved unchanged keeps its bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use super::editable::{EditKind, Editable, FileChange, FormError, same_item};
use super::paths::{ContentRoot, ItemId};
use super::toml_entry::{
    Entry, Field, Location, TomlFile, field_name, locate, read_entry, read_lists, write_entry,
    write_lists,
};
use super::toml_values::{TextKind, Texts};
use crate::content::authoring::Diagnostic;

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

/// What the guide's edit form shows and sends back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideForm {
    /// The guide's id (its file name).
    pub id: String,
    /// The hash of the file as loaded (a save against a changed file is refused).
    pub hash: String,
    /// The guide's own fields.
    pub entry: Entry,
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
    source: TomlFile,
}

impl Editable for GuideFile {
    type Form = GuideForm;

    fn open(root: &ContentRoot, kind: EditKind, id: ItemId) -> Result<Self, FormError> {
        match kind {
            EditKind::Guide => Ok(GuideFile {
                source: TomlFile::read(
                    root,
                    format!("guides/{}.toml", id.as_str()),
                    "guides",
                    &id,
                )?,
                id,
            }),
            other => Err(FormError::Invalid(format!("a {other:?} is no guide"))),
        }
    }

    fn id(&self) -> &ItemId {
        &self.id
    }

    fn hash(&self) -> &str {
        self.source.hash()
    }

    fn form_hash(form: &GuideForm) -> &str {
        &form.hash
    }

    fn owns(&self, diagnostic: &Diagnostic, _: &[FileChange]) -> bool {
        diagnostic.file == self.source.file
    }

    fn form(&self) -> Result<GuideForm, FormError> {
        let document = self.source.document()?;
        let lists = read_lists(&document, &LIST_KEYS);
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
            hash: self.source.hash().to_owned(),
            entry: read_entry(&document, GUIDE_FIELDS),
            lists,
            rows,
        })
    }

    fn changes(&self, form: &GuideForm) -> Result<Vec<FileChange>, FormError> {
        same_item(&form.id, &self.id)?;
        let loaded = self.form()?;
        let mut document = self.source.document()?;
        let mut changed = write_entry(&mut document, GUIDE_FIELDS, &form.entry, &loaded.entry)?;
        changed |= write_lists(&mut document, &LIST_KEYS, &form.lists, &loaded.lists)?;
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
        Ok(self.source.change(&document, changed))
    }

    /// The form field a diagnostic belongs to: `title.zh-Hans`, `visits`,
    /// `legal_basis`, `materials.2.copies`, `steps.0.detail.en`…
    fn field_of(&self, diagnostic: &Diagnostic, changes: &[FileChange]) -> Option<String> {
        if diagnostic.file != self.source.file {
            return None;
        }
        let text = self.source.text_after(changes)?;
        let Location { table, key, sub } = locate(text, diagnostic.line);
        let Some(key) = key else {
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
        let field = field_name(&fields, &LIST_KEYS, key, sub)?;
        Some(format!("{}{field}", prefix.unwrap_or_default()))
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
