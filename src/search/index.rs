//! The search index over every item the kiosk shows, and ranking.

use std::cmp::Reverse;
use std::ops::Range;

use chrono::NaiveDateTime;
use memchr::memmem::Finder;

use super::pinyin::{PinyinMatch, ReadingTable};
use super::query::{self, Term};
pub use crate::content::ItemKind;
use crate::content::blocks;
use crate::content::model::{Attachment, Body, Catalog, Category, within_window};
use crate::content::text::{Lang, Text};
use crate::content::time::{EndBound, LocalTime};

/// Where in an item a query matched; earlier variants rank higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldRank {
    /// Title, question or name.
    Title,
    /// Summary or description.
    Summary,
    /// Guide fields, venue details, attachments, categories.
    Details,
    /// Body text.
    Body,
}

/// How a query matched; earlier variants rank higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    /// Whole characters, words, numbers or syllables.
    Exact,
    /// A word, number or syllable still being typed.
    Prefix,
    /// Pinyin initials.
    Initials,
}

/// Where in its text a match of initials starts; earlier variants rank
/// higher (whole syllables and characters always count as a word start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchStart {
    /// At the start of the text or of a word (after a space, punctuation or
    /// a Latin letter): 临时占用… for `lszy`.
    WordStart,
    /// Inside a run of Chinese characters: 马拉松怎么 for `lszy` (拉 is in
    /// the middle of 马拉松) lines letters up with characters that belong
    /// to different words.
    Inside,
}

/// The order of results: not a title match, quality, field, where the
/// match starts, newest first.
type RankKey = (
    bool,
    MatchKind,
    FieldRank,
    MatchStart,
    Reverse<Option<NaiveDateTime>>,
);

/// How well a term matched one item: field, quality, start.
type TermMatch = (FieldRank, MatchKind, MatchStart);

/// What a search found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results<'a> {
    /// How many items matched.
    pub total: usize,
    /// The best of them, best first.
    pub hits: Vec<Hit<'a>>,
}

/// One search result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a> {
    /// The item's id.
    pub id: &'a str,
    /// The item's kind.
    pub kind: ItemKind,
    /// The best field every term matched in (the weakest over terms).
    pub field: FieldRank,
    /// How the terms matched (the weakest over terms).
    pub quality: MatchKind,
    /// Publication or answer date, for "newest first" among equals.
    pub date: Option<NaiveDateTime>,
}

/// One searchable text of an item, folded (simplified Chinese and English,
/// lower case).
#[derive(Debug)]
struct Field {
    rank: FieldRank,
    text: String,
    /// Reading ids per character of `text`.
    readings: Vec<u16>,
    /// Whether the text holds any ASCII letter or digit: most Chinese
    /// bodies hold none, and then words and numbers are not searched.
    latin: bool,
}

#[derive(Debug)]
struct Entry {
    id: String,
    kind: ItemKind,
    date: Option<NaiveDateTime>,
    /// Notices: shown only inside their validity window.
    window: Option<(Option<LocalTime>, Option<EndBound>)>,
    fields: Vec<Field>,
    /// The body, searched where it is in the catalog (bodies are most of
    /// a catalog's text; a folded copy would double it).
    body: Option<BodySource>,
}

impl Entry {
    /// Whether the item is shown at the site-local time `local` (notices
    /// only inside their validity window).
    fn visible(&self, local: NaiveDateTime) -> bool {
        self.window
            .is_none_or(|(from, until)| within_window(from, until, local))
    }
}

/// Where an item's body is in the catalog.
#[derive(Debug, Clone, Copy)]
struct BodySource {
    kind: ItemKind,
    /// Position in the catalog's list of that kind.
    position: usize,
    /// Whether the body holds any ASCII letter or digit (see [`Field::latin`]).
    latin: bool,
    /// Whether it holds upper-case ASCII letters (its texts are then folded
    /// when searched; most bodies are Chinese and are searched as they are).
    upper: bool,
}

impl BodySource {
    fn new(kind: ItemKind, position: usize, body: &Body) -> BodySource {
        let (mut latin, mut upper) = (false, false);
        for_each_body_text(body, &mut |text| {
            latin |= text.bytes().any(|b| b.is_ascii_alphanumeric());
            upper |= text.bytes().any(|b| b.is_ascii_uppercase());
        });
        BodySource {
            kind,
            position,
            latin,
            upper,
        }
    }

    fn body<'c>(&self, catalog: &'c Catalog) -> Option<&'c Body> {
        match self.kind {
            ItemKind::Notice => catalog.notices.get(self.position).map(|n| &n.body),
            ItemKind::Document => catalog.documents.get(self.position).map(|d| &d.body),
            ItemKind::Faq => catalog.faqs.get(self.position).map(|f| &f.answer),
            ItemKind::Guide | ItemKind::Venue | ItemKind::Channel => None,
        }
    }
}

/// The body texts that are searched: simplified Chinese (authored or
/// converted) and English.
fn for_each_body_text<'b>(body: &'b Body, f: &mut impl FnMut(&'b str)) {
    for lang in [Lang::ZhHans, Lang::En] {
        if let Some(blocks) = body.exact(lang) {
            blocks::each_text(blocks, f);
        }
    }
}

/// An in-memory index over a catalog's items. Build it again when the
/// content changes; notice validity is checked at query time, so the same
/// index stays right as notices start and expire.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Tells this index from every other one built in this process (0: the
    /// empty default), so a [`Typing`] made over another is not trusted.
    id: u64,
    entries: Vec<Entry>,
    readings: ReadingTable,
    /// Every start and end of a validity window, sorted: the times at
    /// which what a query finds can change without the query changing.
    window_edges: Vec<NaiveDateTime>,
}

/// A query typed key by key on the kiosk's keyboard (see
/// [`SearchIndex::search_typed`]): the items the last query matched. A key
/// that extends the query can only narrow what matches, so the next search
/// looks at those items alone instead of the whole catalog.
#[derive(Debug, Default)]
pub struct Typing {
    index: u64,
    query: String,
    /// The site-local time of that search.
    local: NaiveDateTime,
    /// Positions of the entries `query` found then.
    matched: Vec<usize>,
}

/// The source of [`SearchIndex::id`]s.
static NEXT_INDEX_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Folded texts of one item, collected by rank.
struct EntryBuilder<'a> {
    readings: &'a mut ReadingTable,
    fields: Vec<Field>,
    body: Option<BodySource>,
}

impl EntryBuilder<'_> {
    fn texts<'t>(&mut self, rank: FieldRank, texts: impl IntoIterator<Item = &'t Text>) {
        let mut folded = String::new();
        for text in texts {
            for lang in [Lang::ZhHans, Lang::En] {
                if let Some(variant) = text.exact(lang) {
                    folded.push_str(&variant.to_lowercase());
                    folded.push('\n');
                }
            }
        }
        self.push(rank, folded);
    }

    fn plain(&mut self, rank: FieldRank, texts: impl IntoIterator<Item = impl AsRef<str>>) {
        let folded = texts
            .into_iter()
            .map(|t| t.as_ref().to_lowercase())
            .collect::<Vec<_>>()
            .join("\n");
        self.push(rank, folded);
    }

    /// A notice's or document's title, summary, attachment titles and category.
    fn published(
        &mut self,
        title: &Text,
        summary: Option<&Text>,
        attachments: &[Attachment],
        category: Option<&Category>,
    ) {
        self.texts(FieldRank::Title, [title]);
        self.texts(FieldRank::Summary, summary);
        self.texts(
            FieldRank::Details,
            attachments
                .iter()
                .map(|a| &a.title)
                .chain(category.map(|c| &c.name)),
        );
    }

    fn body(&mut self, kind: ItemKind, position: usize, body: &Body) {
        self.body = Some(BodySource::new(kind, position, body));
    }

    fn push(&mut self, rank: FieldRank, text: String) {
        if text.trim().is_empty() {
            return;
        }
        let readings = self.readings.encode(&text);
        let latin = text.bytes().any(|b| b.is_ascii_alphanumeric());
        self.fields.push(Field {
            rank,
            text,
            readings,
            latin,
        });
    }
}

impl SearchIndex {
    /// Indexes every item of the catalog.
    pub fn build(catalog: &Catalog) -> SearchIndex {
        let mut index = SearchIndex {
            id: NEXT_INDEX_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..SearchIndex::default()
        };
        for (position, notice) in catalog.notices.iter().enumerate() {
            let meta = &notice.meta;
            index.add(&notice.id, ItemKind::Notice, Some(meta.published), |e| {
                e.published(
                    &meta.title,
                    meta.summary.as_ref(),
                    &meta.attachments,
                    catalog.notice_category(&meta.category),
                );
                e.body(ItemKind::Notice, position, &notice.body);
            });
            if let Some(entry) = index.entries.last_mut() {
                entry.window = Some((meta.valid_from, meta.valid_until));
            }
        }
        for guide in &catalog.guides {
            let meta = &guide.meta;
            index.add(&guide.id, ItemKind::Guide, None, |e| {
                e.texts(FieldRank::Title, [&meta.title]);
                e.texts(
                    FieldRank::Details,
                    [
                        &meta.department,
                        &meta.window,
                        &meta.fees,
                        &meta.location,
                        &meta.hours,
                        &meta.complaint,
                    ]
                    .into_iter()
                    .chain(&meta.legal_basis)
                    .chain(&meta.eligibility)
                    .chain(meta.materials.iter().map(|m| &m.name))
                    .chain(meta.steps.iter().flat_map(|s| [&s.title, &s.detail]))
                    .chain(catalog.guide_category(&meta.category).map(|c| &c.name)),
                );
                e.plain(FieldRank::Details, [&meta.phone]);
            });
        }
        for (position, document) in catalog.documents.iter().enumerate() {
            let meta = &document.meta;
            index.add(
                &document.id,
                ItemKind::Document,
                Some(meta.published),
                |e| {
                    e.published(
                        &meta.title,
                        meta.summary.as_ref(),
                        &meta.attachments,
                        catalog.document_category(&meta.category),
                    );
                    e.body(ItemKind::Document, position, &document.body);
                },
            );
        }
        for (position, faq) in catalog.faqs.iter().enumerate() {
            index.add(&faq.id, ItemKind::Faq, Some(faq.date), |e| {
                e.texts(FieldRank::Title, [&faq.question]);
                e.texts(FieldRank::Details, [&faq.category]);
                e.body(ItemKind::Faq, position, &faq.answer);
            });
        }
        for venue in &catalog.venues {
            index.add(&venue.id, ItemKind::Venue, None, |e| {
                e.texts(FieldRank::Title, [&venue.name]);
                e.texts(
                    FieldRank::Details,
                    [&venue.address, &venue.hours]
                        .into_iter()
                        .chain(&venue.free_periods)
                        .chain(&venue.facilities),
                );
                e.plain(FieldRank::Details, [&venue.booking_phone]);
            });
        }
        for channel in &catalog.channels {
            index.add(&channel.id, ItemKind::Channel, None, |e| {
                e.texts(FieldRank::Title, [&channel.name]);
                e.texts(FieldRank::Summary, [&channel.description]);
                e.plain(FieldRank::Details, channel.phone.iter());
            });
        }
        index.window_edges = index
            .entries
            .iter()
            .filter_map(|entry| entry.window)
            .flat_map(|(from, until)| [from.map(|f| f.0), until.map(|u| u.0)])
            .flatten()
            .collect();
        index.window_edges.sort_unstable();
        index
    }

    fn add(
        &mut self,
        id: &str,
        kind: ItemKind,
        date: Option<LocalTime>,
        fill: impl FnOnce(&mut EntryBuilder),
    ) {
        let mut builder = EntryBuilder {
            readings: &mut self.readings,
            fields: Vec::new(),
            body: None,
        };
        fill(&mut builder);
        builder.plain(FieldRank::Details, section_names(kind));
        let body = builder.body;
        let mut fields = builder.fields;
        fields.sort_by_key(|f| f.rank);
        self.entries.push(Entry {
            id: id.to_owned(),
            kind,
            date: date.map(|d| d.0),
            window: None,
            fields,
            body,
        });
    }

    /// Number of indexed items.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Items matching every term of `query` and visible at the site-local
    /// time `local`: how many, and the best `limit` of them, best first:
    /// title matches, then exact over prefix over initials, then summary
    /// over details over body, then newest (ties keep the catalog's order).
    ///
    /// `catalog` must be the catalog the index was built from: bodies are
    /// searched there.
    pub fn search(
        &self,
        catalog: &Catalog,
        query: &str,
        local: NaiveDateTime,
        limit: usize,
    ) -> Results<'_> {
        self.search_typed(&mut Typing::default(), catalog, query, local, limit)
    }

    /// [`SearchIndex::search`] for a query typed on the kiosk's keyboard,
    /// with the same results: when `query` extends the query `typing` last
    /// saw (a key added: letters, digits and spaces only match fewer items
    /// as they grow) and no notice started or ended being shown since,
    /// only the items found then are searched. Anything else (a deleted
    /// key, Chinese text, whose simplified form can change with the
    /// characters around it, another index) searches everything. `typing`
    /// then remembers this search.
    pub fn search_typed(
        &self,
        typing: &mut Typing,
        catalog: &Catalog,
        query: &str,
        local: NaiveDateTime,
        limit: usize,
    ) -> Results<'_> {
        let terms = query::parse(query);
        if terms.is_empty() {
            *typing = Typing::default();
            return Results::default();
        }
        let narrows = typing.index == self.id
            && !typing.query.is_empty()
            && query.is_ascii()
            && query.starts_with(&typing.query)
            && !self.window_edge_between(typing.local, local);
        let finders: Vec<Finder<'_>> = terms.iter().map(|t| Finder::new(t.text())).collect();
        let rank = |position: usize| {
            let entry = self.entries.get(position)?;
            let key = self.rank(catalog, entry, &terms, &finders)?;
            Some((key, position))
        };
        let ranked: Vec<(RankKey, usize)> = if narrows {
            typing.matched.iter().filter_map(|&p| rank(p)).collect()
        } else {
            (0..self.entries.len())
                .filter(|&p| self.entries[p].visible(local))
                .filter_map(rank)
                .collect()
        };
        *typing = Typing {
            index: self.id,
            query: query.to_owned(),
            local,
            matched: ranked.iter().map(|&(_, position)| position).collect(),
        };
        self.best(ranked, limit)
    }

    /// Whether some notice's validity window starts or ends between
    /// `then` and `now` (both included; any step back in time counts).
    fn window_edge_between(&self, then: NaiveDateTime, now: NaiveDateTime) -> bool {
        if now == then {
            return false;
        }
        if now < then {
            return true;
        }
        let first_after = self.window_edges.partition_point(|edge| *edge < then);
        self.window_edges
            .get(first_after)
            .is_some_and(|edge| *edge <= now)
    }

    /// Where every term matched `entry` (the weakest over terms) as its
    /// rank among results; None when one did not match.
    fn rank(
        &self,
        catalog: &Catalog,
        entry: &Entry,
        terms: &[Term],
        finders: &[Finder<'_>],
    ) -> Option<RankKey> {
        let (field, quality, start) = terms
            .iter()
            .zip(finders)
            .map(|(term, finder)| self.best_field(catalog, entry, term, finder))
            .try_fold(
                (FieldRank::Title, MatchKind::Exact, MatchStart::WordStart),
                |worst, best| best.map(|best| worst.max(best)),
            )?;
        Some((
            field != FieldRank::Title,
            quality,
            field,
            start,
            Reverse(entry.date),
        ))
    }

    /// How many matched, and the best `limit` of them, best first.
    fn best(&self, mut ranked: Vec<(RankKey, usize)>, limit: usize) -> Results<'_> {
        let total = ranked.len();
        if limit < total {
            ranked.select_nth_unstable(limit);
            ranked.truncate(limit);
        }
        ranked.sort_unstable();
        let hits = ranked
            .into_iter()
            .map(|((_, quality, field, _, _), position)| {
                let entry = &self.entries[position];
                Hit {
                    id: &entry.id,
                    kind: entry.kind,
                    field,
                    quality,
                    date: entry.date,
                }
            })
            .collect();
        Results { total, hits }
    }

    fn best_field(
        &self,
        catalog: &Catalog,
        entry: &Entry,
        term: &Term,
        finder: &Finder<'_>,
    ) -> Option<TermMatch> {
        let mut best: Option<TermMatch> = None;
        for field in &entry.fields {
            if best.is_some_and(|b| b.0 < field.rank) {
                break;
            }
            if let Some((quality, range)) = self.find(field, term) {
                // Only initials are ambiguous enough to need the start:
                // whole syllables or characters are what the visitor meant.
                let start = if quality == MatchKind::Initials {
                    match_start(&field.text, &range)
                } else {
                    MatchStart::WordStart
                };
                let candidate = (field.rank, quality, start);
                if best.is_none_or(|b| candidate < b) {
                    best = Some(candidate);
                }
            }
        }
        best.or_else(|| {
            let source = entry.body?;
            self.find_in_body(source.body(catalog)?, &source, term, finder)
                .map(|quality| (FieldRank::Body, quality, MatchStart::WordStart))
        })
    }

    /// The best match of a term in a body, by characters, words and numbers
    /// (not pinyin: initials over whole bodies would match almost anything).
    fn find_in_body(
        &self,
        body: &Body,
        source: &BodySource,
        term: &Term,
        finder: &Finder<'_>,
    ) -> Option<MatchKind> {
        if !source.latin && !matches!(term, Term::Han(_)) {
            return None;
        }
        let mut best: Option<MatchKind> = None;
        for_each_body_text(body, &mut |text| {
            if best == Some(MatchKind::Exact) {
                return;
            }
            let folded: std::borrow::Cow<'_, str> = if source.upper {
                text.to_lowercase().into()
            } else {
                text.into()
            };
            // The fast search rules most texts out; find_in then tells the quality.
            if finder.find(folded.as_bytes()).is_none() {
                return;
            }
            if let Some((quality, _)) = self.find_in(&folded, &[], source.latin, term)
                && best.is_none_or(|b| quality < b)
            {
                best = Some(quality);
            }
        });
        best
    }

    fn find(&self, field: &Field, term: &Term) -> Option<(MatchKind, Range<usize>)> {
        self.find_in(&field.text, &field.readings, field.latin, term)
    }

    /// The best match of a term in a folded text (with its reading ids, or
    /// none for no pinyin; `latin`: whether words and numbers can occur in
    /// it), as a character range.
    fn find_in(
        &self,
        text: &str,
        readings: &[u16],
        latin: bool,
        term: &Term,
    ) -> Option<(MatchKind, Range<usize>)> {
        match term {
            Term::Han(han) => text
                .find(han.as_str())
                .map(|at| (MatchKind::Exact, char_range(text, at..at + han.len()))),
            Term::Digits(digits) => latin
                .then(|| find_token(text, digits, |c| c.is_ascii_digit()))
                .flatten(),
            Term::Letters(letters) => {
                let word = latin
                    .then(|| find_token(text, letters, |c| c.is_ascii_alphanumeric()))
                    .flatten();
                if word.as_ref().is_some_and(|w| w.0 == MatchKind::Exact) {
                    return word;
                }
                let pinyin = self.readings.find(readings, letters.as_bytes()).map(
                    |(quality, start, end)| {
                        let kind = match quality {
                            PinyinMatch::Full => MatchKind::Exact,
                            PinyinMatch::Prefix => MatchKind::Prefix,
                            PinyinMatch::Initials => MatchKind::Initials,
                        };
                        (kind, start..end)
                    },
                );
                match (word, pinyin) {
                    (Some(w), Some(p)) => Some(if p.0 < w.0 { p } else { w }),
                    (w, p) => w.or(p),
                }
            }
        }
    }

    /// Character ranges of `title` (a title shown in `lang`) to highlight
    /// for `query`, sorted and not overlapping.
    pub fn highlights(&self, title: &Text, lang: Lang, query: &str) -> Vec<Range<usize>> {
        let shown = title.text(lang);
        // Traditional titles are located through their simplified twin when
        // the two line up character by character.
        let located = match title.exact(Lang::ZhHans) {
            Some(simplified)
                if lang == Lang::ZhHant && simplified.chars().count() == shown.chars().count() =>
            {
                simplified.to_lowercase()
            }
            _ => shown.to_lowercase(),
        };
        let readings = self.readings.lookup(&located);
        let mut ranges: Vec<Range<usize>> = query::parse(query)
            .iter()
            .filter_map(|term| self.find_in(&located, &readings, true, term))
            .map(|(_, range)| range)
            .collect();
        ranges.sort_by_key(|r| r.start);
        ranges.dedup_by(|next, kept| {
            let overlaps = next.start < kept.end;
            if overlaps {
                kept.end = kept.end.max(next.end);
            }
            overlaps
        });
        ranges
    }

    /// Bytes the index holds on the heap (estimate: the capacities of its
    /// strings, vectors and tables).
    pub fn heap_bytes(&self) -> usize {
        let entries = self.entries.capacity() * size_of::<Entry>()
            + self
                .entries
                .iter()
                .map(|e| {
                    e.id.capacity()
                        + e.fields.capacity() * size_of::<Field>()
                        + e.fields
                            .iter()
                            .map(|f| f.text.capacity() + f.readings.capacity() * size_of::<u16>())
                            .sum::<usize>()
                })
                .sum::<usize>();
        entries + self.readings.heap_bytes()
    }
}

/// The names of the section an item is listed in, so that typing a
/// section's name ("bszn" for 办事指南) finds its items.
fn section_names(kind: ItemKind) -> [&'static str; 2] {
    match kind {
        ItemKind::Notice => ["公告栏", "notices"],
        ItemKind::Guide => ["办事指南", "service guides"],
        ItemKind::Document => ["信息公开", "public records information disclosure"],
        ItemKind::Faq => ["互动交流", "contact us questions"],
        ItemKind::Venue => ["场馆开放", "venues"],
        ItemKind::Channel => ["互动交流", "contact us questions"],
    }
}

/// Where a match (a character range of `text`) starts.
fn match_start(text: &str, range: &Range<usize>) -> MatchStart {
    let before = range
        .start
        .checked_sub(1)
        .and_then(|at| text.chars().nth(at));
    if before.is_some_and(super::query::is_han) {
        MatchStart::Inside
    } else {
        MatchStart::WordStart
    }
}

/// Converts a byte range of `text` to a character range.
fn char_range(text: &str, bytes: Range<usize>) -> Range<usize> {
    let start = text[..bytes.start].chars().count();
    start..start + text[bytes].chars().count()
}

/// Finds `token` where it starts a word (the character before it is not
/// part of one): exact when the word ends with it, prefix otherwise.
fn find_token(
    text: &str,
    token: &str,
    in_word: impl Fn(char) -> bool,
) -> Option<(MatchKind, Range<usize>)> {
    let mut best = None;
    for (at, _) in text.match_indices(token) {
        if text[..at].chars().next_back().is_some_and(&in_word) {
            continue;
        }
        let end = at + token.len();
        let kind = if text[end..].chars().next().is_some_and(&in_word) {
            MatchKind::Prefix
        } else {
            MatchKind::Exact
        };
        if kind == MatchKind::Exact {
            return Some((kind, char_range(text, at..end)));
        }
        best.get_or_insert((kind, char_range(text, at..end)));
    }
    best
}
