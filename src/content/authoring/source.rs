//! A source file of the authoring folder: its text, positions, and
//! span-preserving TOML deserialization.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diagnostics::{Diagnostic, Diagnostics, Severity};

/// 1-based line and column of a byte offset in `text`, the column counted
/// in characters (not bytes): the one way positions are given in the
/// config file and in the authoring folder. An offset past the end is the
/// end; one inside a character is column 1 of its line.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line_start = before
        .iter()
        .rposition(|byte| *byte == b'\n')
        .map_or(0, |index| index + 1);
    let line = 1 + before.iter().filter(|byte| **byte == b'\n').count();
    let column = text
        .get(line_start..offset)
        .map_or(1, |prefix| prefix.chars().count() + 1);
    (line, column)
}

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

    /// 1-based line and column (in characters) of a byte offset, as
    /// [`line_column`] counts them; the line index finds the line at once.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|start| *start <= offset);
        let start = self.line_starts[line - 1];
        let (_, column) = line_column(&self.text[start..], offset - start);
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

/// Deserializations tried on one value: after an error, the value at fault
/// gets a stand-in and the rest is read again, so that one run reports
/// every error of the value (serde stops at the first).
const MAX_ATTEMPTS: usize = 64;

/// Deserializes one TOML value (a whole file, a front matter, or one
/// `[[entry]]`) into `T`, reporting every type error, missing field and
/// unknown key with its position, in words an admin acts on. `base` is the
/// byte offset of the TOML text in the file. `None` when anything was wrong.
pub fn deserialize<T: DeserializeOwned>(
    source: &SourceFile,
    base: usize,
    value: &Spanned<DeValue<'_>>,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    let mut patched = value.clone();
    let mut unknown: Vec<Vec<Segment>> = Vec::new();
    let mut parsed = None;
    let mut failed = false;
    for _ in 0..MAX_ATTEMPTS {
        let (result, ignored) = attempt::<T>(&patched);
        for path in ignored {
            if !unknown.contains(&path) {
                unknown.push(path);
            }
        }
        match result {
            Ok(value) => {
                parsed = Some(value);
                break;
            }
            Err(error) => {
                failed = true;
                let (offset, message) = explain(value, &error);
                source.error(diagnostics, base + offset, message);
                if !stand_in::<T>(&mut patched, &error) {
                    break;
                }
            }
        }
    }
    for segments in unknown {
        let offset = key_offset(value, &segments).unwrap_or(value.span().start);
        let name = segments.last().map(Segment::to_string).unwrap_or_default();
        source.error(diagnostics, base + offset, format!("unknown key `{name}`"));
    }
    parsed.filter(|_| !failed)
}

/// One deserialization: the result and the paths of the keys it ignored.
fn attempt<T: DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
) -> (Result<T, toml::de::Error>, Vec<Vec<Segment>>) {
    let mut ignored = Vec::new();
    let result = serde_ignored::deserialize(ValueDeserializer::from(value.clone()), |path| {
        ignored.push(path_segments(&path));
    });
    (result, ignored)
}

/// Where an error is and what to write instead.
fn explain(value: &Spanned<DeValue<'_>>, error: &toml::de::Error) -> (usize, String) {
    let message = error.message();
    let Some(span) = error.span() else {
        return (value.span().start, message.to_owned());
    };
    let path = path_to(value, &span).unwrap_or_default();
    if let Some(field) = backticked(message, "missing field `") {
        let place = match path.as_slice() {
            [] => " among the top-level keys".to_owned(),
            [.., Segment::Key(table), Segment::Index(_)] => {
                format!(" in this [[{table}]] entry")
            }
            [.., Segment::Key(table)] => format!(" in the `{table}` table"),
            _ => " in this table".to_owned(),
        };
        return (
            span.start,
            format!("missing field `{field}`{place}: add `{field} = …`"),
        );
    }
    let key = path.iter().rev().find_map(|segment| match segment {
        Segment::Key(key) => Some(key.as_str()),
        Segment::Index(_) => None,
    });
    (span.start, friendly(message, key))
}

/// serde's wording turned into what to write.
fn friendly(message: &str, key: Option<&str>) -> String {
    let name = key.unwrap_or("the value");
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let (what, example) = expected_value(expected);
        return format!(
            "{name} must be {what}, e.g. {example} (found {})",
            found_value(found)
        );
    }
    if let Some(variant) = backticked(message, "unknown variant `")
        && let Some((_, choices)) = message.split_once("expected ")
    {
        let choices = choices.trim_start_matches("one of ").replace(" or ", ", ");
        return format!("`{variant}` is not a possible {name}: write one of {choices}");
    }
    message.to_owned()
}

/// What an `expected …` of serde asks for, and an example.
fn expected_value(expected: &str) -> (&'static str, &'static str) {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize"
        | "an integer" => ("a number", "1"),
        "f32" | "f64" | "a float" => ("a number", "1.5"),
        "a string" => ("text in double quotes", "\"…\""),
        "a boolean" => ("true or false", "true"),
        "a sequence" => ("a list in square brackets", "[\"…\", \"…\"]"),
        text if text.starts_with("a value (taken as zh-Hans)") => (
            "text, or a table of languages",
            "\"…\" or { zh-Hans = \"…\", en = \"…\" }",
        ),
        _ => ("a table", "{ … } or a [section]"),
    }
}

/// serde's `found` part in an admin's words.
fn found_value(found: &str) -> String {
    if let Some(text) = found.strip_prefix("string ") {
        format!("the text {text}")
    } else if let Some(number) = found
        .strip_prefix("integer `")
        .or_else(|| found.strip_prefix("floating point `"))
    {
        format!("the number {}", number.trim_end_matches('`'))
    } else if let Some(boolean) = found.strip_prefix("boolean `") {
        boolean.trim_end_matches('`').to_owned()
    } else if found == "sequence" {
        "a list".to_owned()
    } else if found == "map" {
        "a table".to_owned()
    } else {
        found.to_owned()
    }
}

/// The text between `prefix` and the next backtick.
fn backticked<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(inside, _)| inside)
}

/// Gives the value at fault a stand-in that gets past this error: the first
/// possible variant of an enum, else the first of an empty string, 0,
/// false, an empty list, an empty table and a date that does; a missing
/// field is added the same way. False when nothing gets past.
fn stand_in<T: DeserializeOwned>(
    value: &mut Spanned<DeValue<'_>>,
    error: &toml::de::Error,
) -> bool {
    let Some(span) = error.span() else {
        return false;
    };
    let Some(path) = path_to(value, &span) else {
        return false;
    };
    let message = error.message();
    let missing = backticked(message, "missing field `").map(str::to_owned);
    let mut candidates: std::collections::VecDeque<DeValue<'static>> =
        ["\"\"", "0", "false", "[]", "{}", "2000-01-01"]
            .into_iter()
            .filter_map(|literal| DeValue::parse(literal).ok())
            .map(Spanned::into_inner)
            .collect();
    if let Some(choice) = first_choice(message) {
        candidates.push_front(choice);
    }
    let mut tried_choice = false;
    while let Some(candidate) = candidates.pop_front() {
        let mut trial = value.clone();
        let Some(node) = node_at(&mut trial, &path) else {
            return false;
        };
        match (&missing, node.get_mut()) {
            (Some(field), DeValue::Table(table)) => {
                table.insert(
                    Spanned::new(span.clone(), field.clone().into()),
                    Spanned::new(span.clone(), candidate),
                );
            }
            (Some(_), _) => return false,
            (None, slot) => *slot = candidate,
        }
        let (result, _) = attempt::<T>(&trial);
        let past = match &result {
            Ok(_) => true,
            Err(next) if next.span() != Some(span.clone()) => true,
            Err(next) => {
                // An enum stand-in that was refused names the possible values.
                if !tried_choice && let Some(choice) = first_choice(next.message()) {
                    tried_choice = true;
                    candidates.push_front(choice);
                }
                // Same table: another missing field is progress, a wrong stand-in is not.
                backticked(next.message(), "missing field `")
                    .is_some_and(|field| missing.as_deref().is_some_and(|this| this != field))
            }
        };
        if past {
            *value = trial;
            return true;
        }
    }
    false
}

/// The first possible value an `expected one of `a`, `b`` message names.
fn first_choice(message: &str) -> Option<DeValue<'static>> {
    let (_, choices) = message.split_once("expected ")?;
    let first = backticked(choices.trim_start_matches("one of "), "`")?;
    Some(DeValue::String(first.to_owned().into()))
}

/// The path to the innermost value whose span is `span`. (Spans do not
/// nest: a document's table has an empty span, and an array of tables
/// spans its first `[[header]]`.)
fn path_to(value: &Spanned<DeValue<'_>>, span: &Range<usize>) -> Option<Vec<Segment>> {
    let here = value.span();
    let children: Vec<(Segment, &Spanned<DeValue<'_>>)> = match value.get_ref() {
        DeValue::Table(table) => table
            .iter()
            .map(|(key, child)| (Segment::Key(key.get_ref().to_string()), child))
            .collect(),
        DeValue::Array(array) => array
            .iter()
            .enumerate()
            .map(|(index, child)| (Segment::Index(index), child))
            .collect(),
        _ => Vec::new(),
    };
    for (segment, child) in children {
        if let Some(mut rest) = path_to(child, span) {
            rest.insert(0, segment);
            return Some(rest);
        }
    }
    (here == *span).then(Vec::new)
}

/// The value at the end of `path`.
fn node_at<'v, 'i>(
    value: &'v mut Spanned<DeValue<'i>>,
    path: &[Segment],
) -> Option<&'v mut Spanned<DeValue<'i>>> {
    let Some((first, rest)) = path.split_first() else {
        return Some(value);
    };
    let child = match (first, value.get_mut()) {
        (Segment::Key(name), DeValue::Table(table)) => table
            .iter_mut()
            .find(|(key, _)| key.get_ref() == name)
            .map(|(_, child)| child)?,
        (Segment::Index(index), DeValue::Array(array)) => array.get_mut(*index)?,
        _ => return None,
    };
    node_at(child, rest)
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
        for offset in [0, 1, 3, 7, 8, offset, offset + 1, 99] {
            assert_eq!(
                source.position(offset),
                line_column(&source.text, offset),
                "offset {offset}"
            );
        }
        assert_eq!(line_column(&source.text, 1), (1, 1), "inside 名");
        assert_eq!(line_column(&source.text, 99), (2, 7), "past the end");
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
        assert_eq!(
            lines[1],
            "x.toml:3:9: count must be a number, e.g. 1 (found the text \"three\")"
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
