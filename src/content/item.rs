//! The catalog's items as one idea: what kind an item is, a reference to
//! one, and the lookup by id (ids are unique across kinds) that search,
//! navigation and the presenter share, built once per catalog.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::model::{Catalog, Channel, Document, Faq, Notice, ServiceGuide, Venue};
use super::text::Text;

/// What kind of item an id names (decides which screen opens it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// 公告.
    Notice,
    /// 辦事指南.
    Guide,
    /// A long document.
    Document,
    /// FAQ or hot-topic answer.
    Faq,
    /// A venue.
    Venue,
    /// An interaction channel.
    Channel,
}

/// One item of a catalog, of any kind.
#[derive(Debug, Clone, Copy)]
pub enum ItemRef<'c> {
    /// A notice.
    Notice(&'c Notice),
    /// A service guide.
    Guide(&'c ServiceGuide),
    /// A document.
    Document(&'c Document),
    /// An FAQ or hot-topic entry.
    Faq(&'c Faq),
    /// A venue.
    Venue(&'c Venue),
    /// An interaction channel.
    Channel(&'c Channel),
}

impl<'c> ItemRef<'c> {
    /// Its kind.
    pub fn kind(self) -> ItemKind {
        match self {
            ItemRef::Notice(_) => ItemKind::Notice,
            ItemRef::Guide(_) => ItemKind::Guide,
            ItemRef::Document(_) => ItemKind::Document,
            ItemRef::Faq(_) => ItemKind::Faq,
            ItemRef::Venue(_) => ItemKind::Venue,
            ItemRef::Channel(_) => ItemKind::Channel,
        }
    }

    /// Its title (the question of an FAQ entry, the name of a venue or channel).
    pub fn title(self) -> &'c Text {
        match self {
            ItemRef::Notice(notice) => &notice.meta.title,
            ItemRef::Guide(guide) => &guide.meta.title,
            ItemRef::Document(document) => &document.meta.title,
            ItemRef::Faq(faq) => &faq.question,
            ItemRef::Venue(venue) => &venue.name,
            ItemRef::Channel(channel) => &channel.name,
        }
    }
}

/// Where each item of a catalog sits, by id; built on the first lookup.
/// A catalog is not changed once shown; [`Catalog::sort`] starts it over,
/// and a clone builds its own.
#[derive(Default)]
pub struct ItemIndex(OnceLock<HashMap<String, (ItemKind, usize)>>);

impl ItemIndex {
    /// Forgets the positions (the items moved).
    pub(crate) fn reset(&mut self) {
        self.0 = OnceLock::new();
    }

    fn positions(&self, catalog: &Catalog) -> &HashMap<String, (ItemKind, usize)> {
        self.0.get_or_init(|| {
            let mut positions = HashMap::new();
            let mut add = |kind, ids: &mut dyn Iterator<Item = &String>| {
                for (index, id) in ids.enumerate() {
                    // The first of a repeated id wins (the authoring check refuses repeats).
                    positions.entry(id.clone()).or_insert((kind, index));
                }
            };
            add(ItemKind::Notice, &mut catalog.notices.iter().map(|n| &n.id));
            add(ItemKind::Guide, &mut catalog.guides.iter().map(|g| &g.id));
            add(
                ItemKind::Document,
                &mut catalog.documents.iter().map(|d| &d.id),
            );
            add(ItemKind::Faq, &mut catalog.faqs.iter().map(|f| &f.id));
            add(ItemKind::Venue, &mut catalog.venues.iter().map(|v| &v.id));
            add(
                ItemKind::Channel,
                &mut catalog.channels.iter().map(|c| &c.id),
            );
            positions
        })
    }
}

impl Clone for ItemIndex {
    fn clone(&self) -> Self {
        ItemIndex::default()
    }
}

impl PartialEq for ItemIndex {
    /// Derived from the items, which the catalogs compare already.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for ItemIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ItemIndex")
    }
}

impl Catalog {
    /// The item with this id, of any kind.
    pub fn item(&self, id: &str) -> Option<ItemRef<'_>> {
        let (kind, index) = *self.items.positions(self).get(id)?;
        Some(match kind {
            ItemKind::Notice => ItemRef::Notice(self.notices.get(index)?),
            ItemKind::Guide => ItemRef::Guide(self.guides.get(index)?),
            ItemKind::Document => ItemRef::Document(self.documents.get(index)?),
            ItemKind::Faq => ItemRef::Faq(self.faqs.get(index)?),
            ItemKind::Venue => ItemRef::Venue(self.venues.get(index)?),
            ItemKind::Channel => ItemRef::Channel(self.channels.get(index)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_of_the_demo_is_found_by_its_id_with_its_kind() {
        let catalog = super::super::demo::catalog();
        for notice in &catalog.notices {
            let item = catalog.item(&notice.id).expect("the notice is found");
            assert_eq!(item.kind(), ItemKind::Notice);
            assert_eq!(item.title(), &notice.meta.title);
        }
        for venue in &catalog.venues {
            assert_eq!(
                catalog.item(&venue.id).map(ItemRef::kind),
                Some(ItemKind::Venue)
            );
        }
        for channel in &catalog.channels {
            assert_eq!(
                catalog.item(&channel.id).map(ItemRef::kind),
                Some(ItemKind::Channel)
            );
        }
        assert!(catalog.item("no-such-item").is_none());
    }

    #[test]
    fn a_sorted_catalog_finds_items_where_they_moved() {
        let mut catalog = super::super::demo::catalog();
        let last = catalog
            .notices
            .last()
            .expect("the demo has notices")
            .id
            .clone();
        assert!(catalog.item(&last).is_some());
        catalog.notices.reverse();
        catalog.sort();
        let Some(ItemRef::Notice(notice)) = catalog.item(&last) else {
            panic!("the notice is found after sorting");
        };
        assert_eq!(notice.id, last);
    }
}
