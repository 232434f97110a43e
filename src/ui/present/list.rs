//! The section lists: notices, guides, public records, contact channels
//! and FAQ entries, venues; their category tabs and rows.

use chrono::{DateTime, Utc};

use super::super::navigation::Section;
use super::super::words::{self, Word};
use super::super::{ChannelCard, Chip, ListItem};
use super::Presenter;
use crate::content::model::{ChannelKind, FaqKind, Notice};
use crate::content::text::Text;

/// A list screen's content.
pub struct ListContent {
    /// Page title.
    pub title: String,
    /// Category tabs (empty: no tabs).
    pub chips: Vec<Chip>,
    /// Rows.
    pub items: Vec<ListItem>,
    /// QR cards of interaction channels.
    pub channels: Vec<ChannelCard>,
}

impl Presenter<'_> {
    fn all_chip(&self) -> Chip {
        Chip {
            id: "".into(),
            label: self.w(Word::All).into(),
        }
    }

    /// The list of a section, filtered to a category id ("" for all).
    pub fn list(&self, section: Section, category: &str, now: DateTime<Utc>) -> ListContent {
        let site = &self.catalog.site;
        match section {
            Section::Notices => {
                let visible = self.catalog.visible_notices(now);
                let chips = self.chips(
                    site.notice_categories
                        .iter()
                        .filter(|c| visible.iter().any(|n| n.meta.category == c.id))
                        .map(|c| (c.id.as_str(), &c.name)),
                );
                let items = visible
                    .into_iter()
                    .filter(|n| category.is_empty() || n.meta.category == category)
                    .map(|n| self.notice_item(n))
                    .collect();
                ListContent {
                    title: self.section_title(section),
                    chips,
                    items,
                    channels: Vec::new(),
                }
            }
            Section::Guides => {
                let chips = self.chips(
                    site.guide_categories
                        .iter()
                        .filter(|c| self.catalog.guides.iter().any(|g| g.meta.category == c.id))
                        .map(|c| (c.id.as_str(), &c.name)),
                );
                let items = self
                    .catalog
                    .guides
                    .iter()
                    .filter(|g| category.is_empty() || g.meta.category == category)
                    .map(|g| ListItem {
                        id: g.id.as_str().into(),
                        title: self.title(&g.meta.title).into(),
                        chinese_only: self.chinese_only(&g.meta.title),
                        meta: format!(
                            "{} · {} {}",
                            self.t(&g.meta.department),
                            g.meta.promised_days,
                            self.w(Word::WorkingDays)
                        )
                        .into(),
                        category: self
                            .catalog
                            .guide_category(&g.meta.category)
                            .map(|c| self.t(&c.name))
                            .unwrap_or_default()
                            .into(),
                        summary: "".into(),
                        pinned: false,
                        urgent: false,
                    })
                    .collect();
                ListContent {
                    title: self.section_title(section),
                    chips,
                    items,
                    channels: Vec::new(),
                }
            }
            Section::Disclosure => {
                let chips = self.chips(
                    site.document_categories
                        .iter()
                        .filter(|c| {
                            self.catalog
                                .documents
                                .iter()
                                .any(|d| d.meta.category == c.id)
                        })
                        .map(|c| (c.id.as_str(), &c.name)),
                );
                let items = self
                    .catalog
                    .documents
                    .iter()
                    .filter(|d| category.is_empty() || d.meta.category == category)
                    .map(|d| {
                        let category = self.catalog.document_category(&d.meta.category);
                        self.row(
                            &d.id,
                            &d.meta.title,
                            d.meta.published,
                            category,
                            d.meta.summary.as_ref(),
                        )
                    })
                    .collect();
                let channels = self.channels(|kind| kind == ChannelKind::DisclosureApplication);
                ListContent {
                    title: self.section_title(section),
                    chips,
                    items,
                    channels,
                }
            }
            Section::Interaction => {
                let chips = [FaqKind::Faq, FaqKind::HotTopic]
                    .into_iter()
                    .filter(|kind| self.catalog.faqs.iter().any(|f| f.kind == *kind))
                    .map(|kind| Chip {
                        id: faq_kind_id(kind).into(),
                        label: words::faq_kind(self.lang, kind).into(),
                    });
                let chips = std::iter::once(self.all_chip()).chain(chips).collect();
                let items = self
                    .catalog
                    .faqs
                    .iter()
                    .filter(|f| category.is_empty() || faq_kind_id(f.kind) == category)
                    .map(|f| ListItem {
                        id: f.id.as_str().into(),
                        title: self.title(&f.question).into(),
                        chinese_only: self.chinese_only(&f.question),
                        meta: f.date.date().to_string().into(),
                        category: format!(
                            "{} · {}",
                            words::faq_kind(self.lang, f.kind),
                            self.t(&f.category)
                        )
                        .into(),
                        summary: "".into(),
                        pinned: false,
                        urgent: false,
                    })
                    .collect();
                let channels = self.channels(|kind| kind != ChannelKind::DisclosureApplication);
                ListContent {
                    title: self.section_title(section),
                    chips,
                    items,
                    channels,
                }
            }
            Section::Venues => {
                let items = self
                    .catalog
                    .venues
                    .iter()
                    .map(|v| ListItem {
                        id: v.id.as_str().into(),
                        title: self.title(&v.name).into(),
                        chinese_only: self.chinese_only(&v.name),
                        meta: self.t(&v.hours).into(),
                        category: "".into(),
                        summary: words::joined(
                            &v.free_periods.iter().map(|p| self.t(p)).collect::<Vec<_>>(),
                        )
                        .into(),
                        pinned: false,
                        urgent: false,
                    })
                    .collect();
                ListContent {
                    title: self.section_title(section),
                    chips: Vec::new(),
                    items,
                    channels: Vec::new(),
                }
            }
        }
    }

    fn chips<'b>(&self, categories: impl Iterator<Item = (&'b str, &'b Text)>) -> Vec<Chip> {
        let mut chips = vec![self.all_chip()];
        chips.extend(categories.map(|(id, name)| Chip {
            id: id.into(),
            label: self.t(name).into(),
        }));
        if chips.len() <= 2 { Vec::new() } else { chips }
    }

    fn channels(&self, wanted: impl Fn(ChannelKind) -> bool) -> Vec<ChannelCard> {
        self.catalog
            .channels
            .iter()
            .filter(|c| wanted(c.kind))
            .map(|c| ChannelCard {
                id: c.id.as_str().into(),
                name: self.t(&c.name).into(),
                description: self.t(&c.description).into(),
                url: c.url.clone().unwrap_or_default().into(),
                qr: c
                    .url
                    .as_deref()
                    .map(|url| self.images.qr_code(url))
                    .unwrap_or_default(),
                phone: c.phone.clone().unwrap_or_default().into(),
            })
            .collect()
    }

    /// A notice as a list row.
    pub fn notice_item(&self, notice: &Notice) -> ListItem {
        let meta = &notice.meta;
        let category = self.catalog.notice_category(&meta.category);
        ListItem {
            pinned: meta.pinned,
            urgent: meta.urgent,
            ..self.row(
                &notice.id,
                &meta.title,
                meta.published,
                category,
                meta.summary.as_ref(),
            )
        }
    }

    /// A dated list row with its category chip and summary.
    fn row(
        &self,
        id: &str,
        title: &Text,
        published: crate::content::time::LocalTime,
        category: Option<&crate::content::model::Category>,
        summary: Option<&Text>,
    ) -> ListItem {
        ListItem {
            id: id.into(),
            title: self.title(title).into(),
            chinese_only: self.chinese_only(title),
            meta: published.date().to_string().into(),
            category: category.map(|c| self.t(&c.name)).unwrap_or_default().into(),
            summary: summary.map(|s| self.t(s)).unwrap_or_default().into(),
            pinned: false,
            urgent: false,
        }
    }
}

fn faq_kind_id(kind: FaqKind) -> &'static str {
    match kind {
        FaqKind::Faq => "faq",
        FaqKind::HotTopic => "hot-topic",
    }
}
