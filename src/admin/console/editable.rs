//! The kinds of item the console has an edit form for, behind one
//! interface the routes use: open the item's files, show them as a form,
//! turn a form into file changes, save, and tell which field a finding
//! belongs to.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::guide_form::{GuideFile, GuideForm};
use super::markdown_form::{FileChange, FormError, ItemFiles, MarkdownForm, MarkdownKind};
use super::paths::{ContentRoot, ItemId};
use crate::content::authoring::Diagnostic;

/// An item kind with an edit form, as its routes name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditKind {
    /// `/api/notices/{id}`.
    Notice,
    /// `/api/documents/{id}`.
    Document,
    /// `/api/guides/{id}`.
    Guide,
}

impl EditKind {
    /// The kind a route's folder segment names.
    pub fn from_folder(folder: &str) -> Option<Self> {
        match folder {
            "notices" => Some(EditKind::Notice),
            "documents" => Some(EditKind::Document),
            "guides" => Some(EditKind::Guide),
            _ => None,
        }
    }
}

/// An item's files, editable through a form.
pub trait Editable: Sized + Send + 'static {
    /// What the form shows and sends back.
    type Form: Serialize + DeserializeOwned + Send + 'static;

    /// Reads the item's files.
    fn open(root: &ContentRoot, kind: EditKind, id: ItemId) -> Result<Self, FormError>;

    /// The form as the files are now.
    fn form(&self) -> Result<Self::Form, FormError>;

    /// The file changes that turn the files into `form` (none: unchanged).
    fn changes(&self, form: &Self::Form) -> Result<Vec<FileChange>, FormError>;

    /// Writes `form` unless the files changed since it was loaded.
    fn save(&self, root: &ContentRoot, form: &Self::Form) -> Result<Vec<FileChange>, FormError>;

    /// Whether a file (relative to the content folder) is one of the item's.
    fn owns(&self, file: &str) -> bool;

    /// The form field a finding belongs to, where its position tells.
    fn field_of(&self, diagnostic: &Diagnostic, changes: &[FileChange]) -> Option<String>;
}

fn wrong_kind(kind: EditKind) -> FormError {
    FormError::Invalid(format!("no such form for a {kind:?}"))
}

impl Editable for ItemFiles {
    type Form = MarkdownForm;

    fn open(root: &ContentRoot, kind: EditKind, id: ItemId) -> Result<Self, FormError> {
        let kind = match kind {
            EditKind::Notice => MarkdownKind::Notice,
            EditKind::Document => MarkdownKind::Document,
            EditKind::Guide => return Err(wrong_kind(kind)),
        };
        ItemFiles::read(root, kind, id)
    }

    fn form(&self) -> Result<MarkdownForm, FormError> {
        ItemFiles::form(self)
    }

    fn changes(&self, form: &MarkdownForm) -> Result<Vec<FileChange>, FormError> {
        ItemFiles::changes(self, form)
    }

    fn save(&self, root: &ContentRoot, form: &MarkdownForm) -> Result<Vec<FileChange>, FormError> {
        ItemFiles::save(self, root, form)
    }

    fn owns(&self, file: &str) -> bool {
        self.files().any(|own| own == file)
    }

    fn field_of(&self, diagnostic: &Diagnostic, changes: &[FileChange]) -> Option<String> {
        ItemFiles::field_of(self, diagnostic, changes)
    }
}

impl Editable for GuideFile {
    type Form = GuideForm;

    fn open(root: &ContentRoot, kind: EditKind, id: ItemId) -> Result<Self, FormError> {
        match kind {
            EditKind::Guide => GuideFile::read(root, id),
            other => Err(wrong_kind(other)),
        }
    }

    fn form(&self) -> Result<GuideForm, FormError> {
        GuideFile::form(self)
    }

    fn changes(&self, form: &GuideForm) -> Result<Vec<FileChange>, FormError> {
        GuideFile::changes(self, form)
    }

    fn save(&self, root: &ContentRoot, form: &GuideForm) -> Result<Vec<FileChange>, FormError> {
        GuideFile::save(self, root, form)
    }

    fn owns(&self, file: &str) -> bool {
        file == self.file()
    }

    fn field_of(&self, diagnostic: &Diagnostic, changes: &[FileChange]) -> Option<String> {
        GuideFile::field_of(self, diagnostic, changes)
    }
}
