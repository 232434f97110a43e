//! A source file of the authoring folder: its text, positions, and
//! span-preserving TOML deserialization.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diagnostics::{Diagnostic, Diagnostics, Severity};

/// One file's text with its line index.
pub struct SourceFile {
    /// Path relative to the content folder.
    pub path: String,
    /// The whole text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Indexes a file's text.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|start| *start <= offset);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        (line, column)
    }

    /// A diagnostic at a byte offset.
    pub fn diagnostic(
        &self,
        offset: usize,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(offset);
        Diagnostic {
            file: self.path.clone(),
            line,
            column,
            message: message.into(),
            severity,
        }
    }

    /// Records an error at a byte offset.
    pub fn error(&self, diagnostics: &mut Diagnostics, offset: usize, message: impl Into<String>) {
        diagnostics.push(self.diagnostic(offset, Severity::Error, message));
    }

    /// Records a warning at a byte offset.
    pub fn warning(
        &self,
        diagnostics: &mut Diagnostics,
        offset: usize,
        message: impl Into<String>,
    ) {
        diagnostics.push(self.diagnostic(offset, Severity::Warning, message));
    }

    /// Parses `self.text[range]` as a TOML document, reporting every syntax
    /// error; spans in the result are relative to the start of `range`.
    pub fn parse_toml(
        &self,
        range: Range<usize>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Spanned<DeTable<'_>>> {
        let base = range.start;
        let (table, errors) = DeTable::parse_recoverable(&self.text[range]);
        for error in &errors {
            let offset = base + error.span().map_or(0, |span| span.start);
            self.error(
                diagnostics,
                offset,
                format!("TOML syntax: {}", error.message()),
            );
        }
        errors.is_empty().then_some(table)
    }
}

/// Deserializes one TOML value (a whole file, a front matter, or one
/// `[[entry]]`) into `T`, reporting type errors and every unknown key with
/// its position. `base` is the byte offset of the TOML text in the file.
pub fn deserialize<T: DeserializeOwned>(
    source: &SourceFile,
    base: usize,
    value: &Spanned<DeValue<'_>>,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    let mut unknown = Vec::new();
    let result: Result<T, _> =
        serde_ignored::deserialize(ValueDeserializer::from(value.clone()), |path| {
            unknown.push(path_segments(&path));
        });
    for segments in unknown {
        let offset = key_offset(value, &segments).unwrap_or(value.span().start);
        let name = segments.last().map(Segment::to_string).unwrap_or_default();
        source.error(diagnostics, base + offset, format!("unknown key `{name}`"));
    }
    match result {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            let offset = error.span().map_or(value.span().start, |span| span.start);
            source.error(diagnostics, base + offset, error.message().to_owned());
            None
        }
    }
}

/// Wraps a parsed table as a value so it can be deserialized.
pub fn table_value<'i>(table: Spanned<DeTable<'i>>) -> Spanned<DeValue<'i>> {
    let span = table.span();
    Spanned::new(span, DeValue::Table(table.into_inner()))
}

/// One step of a key path inside a TOML value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Segment::Key(key) => f.write_str(key),
            Segment::Index(index) => write!(f, "{index}"),
        }
    }
}

fn path_segments(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
    use serde_ignored::Path;
    match path {
        Path::Root => Vec::new(),
        Path::Seq { parent, index } => {
            let mut segments = path_segments(parent);
            segments.push(Segment::Index(*index));
            segments
        }
        Path::Map { parent, key } => {
            let mut segments = path_segments(parent);
            segments.push(Segment::Key(key.clone()));
            segments
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => path_segments(parent),
    }
}

/// Byte offset of the key (or element) the path ends at.
fn key_offset(value: &Spanned<DeValue<'_>>, segments: &[Segment]) -> Option<usize> {
    let (first, rest) = segments.split_first()?;
    let (offset, child) = match (first, value.get_ref()) {
        (Segment::Key(name), DeValue::Table(table)) => {
            let (key, child) = table
                .iter()
                .find(|(key, _)| &**key.get_ref() == name.as_str())?;
            (key.span().start, child)
        }
        (Segment::Index(index), DeValue::Array(array)) => {
            let child = array.get(*index)?;
            (child.span().start, child)
        }
        _ => return None,
    };
    if rest.is_empty() {
        Some(offset)
    } else {
        key_offset(child, rest).or(Some(offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        count: u32,
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let source = SourceFile::new("a.toml", "名 = 1\n場館 = x");
        let offset = source.text.find('x').unwrap();
        assert_eq!(source.position(offset), (2, 6));
        assert_eq!(source.position(0), (1, 1));
    }

    #[test]
    fn reports_every_unknown_key_and_the_type_error() {
        let source = SourceFile::new(
            "x.toml",
            "name = \"a\"\ncolour = 1\ncount = \"three\"\napple = 2\n",
        );
        let mut diagnostics = Diagnostics::default();
        let table = source
            .parse_toml(0..source.text.len(), &mut diagnostics)
            .unwrap();
        let parsed: Option<Sample> = deserialize(&source, 0, &table_value(table), &mut diagnostics);
        assert!(parsed.is_none());
        let lines: Vec<String> = diagnostics.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0], "x.toml:2:1: unknown key `colour`");
        assert!(
            lines[1].starts_with("x.toml:3:9: invalid type: string \"three\""),
            "{}",
            lines[1]
        );
        assert_eq!(lines[2], "x.toml:4:1: unknown key `apple`");
    }

    #[test]
    fn reports_syntax_errors_with_offset() {
        let source = SourceFile::new("n.md", "+++\ntitle = \n+++\n");
        let mut diagnostics = Diagnostics::default();
        assert!(source.parse_toml(4..12, &mut diagnostics).is_none());
        let first = diagnostics.sorted()[0].to_string();
        assert!(first.starts_with("n.md:2:"), "{first}");
    }
}
