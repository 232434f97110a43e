//! Where the visitor is: the current screen and the way back.

use crate::content::{Catalog, ItemKind};

/// A section reached from a Home tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// 公告欄.
    Notices,
    /// 辦事指南.
    Guides,
    /// 信息公開.
    Disclosure,
    /// 互動交流.
    Interaction,
    /// 場館開放.
    Venues,
}

impl Section {
    /// The section an item of this kind is listed in.
    pub fn of(kind: ItemKind) -> Section {
        match kind {
            ItemKind::Notice => Section::Notices,
            ItemKind::Guide => Section::Guides,
            ItemKind::Document => Section::Disclosure,
            ItemKind::Faq | ItemKind::Channel => Section::Interaction,
            ItemKind::Venue => Section::Venues,
        }
    }
}

/// One screen of the kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Home tiles.
    Home,
    /// A section's list, with the selected category tab.
    List {
        /// Which list.
        section: Section,
        /// Selected category id ("" for all).
        category: String,
    },
    /// A notice, document, FAQ entry, venue or channel by id.
    Detail(String),
    /// A service guide by id.
    Guide(String),
    /// A table of a document: the document id and the table's index.
    Table(String, usize),
    /// Search.
    Search,
    /// The admin panel.
    Admin,
    /// Nothing to show yet (first start, no content).
    Unavailable,
}

/// The screen stack: Back pops, Home clears.
#[derive(Debug, Clone)]
pub struct Navigator {
    stack: Vec<Screen>,
}

impl Default for Navigator {
    fn default() -> Self {
        Navigator {
            stack: vec![Screen::Home],
        }
    }
}

impl Navigator {
    /// The screen on top.
    pub fn current(&self) -> &Screen {
        self.stack.last().unwrap_or(&Screen::Home)
    }

    /// Opens a screen on top of the current one.
    pub fn push(&mut self, screen: Screen) {
        if self.current() != &screen {
            self.stack.push(screen);
        }
    }

    /// Replaces the current screen (a category tab change is not a step back).
    pub fn replace(&mut self, screen: Screen) {
        self.stack.pop();
        self.stack.push(screen);
    }

    /// Goes one screen back; Home stays Home.
    pub fn back(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// Back to Home, forgetting the way.
    pub fn home(&mut self) {
        self.stack.clear();
        self.stack.push(Screen::Home);
    }

    /// Whether `screen` is on the stack (shown now or reachable by Back).
    pub fn contains(&self, screen: &Screen) -> bool {
        self.stack.contains(screen)
    }

    /// Whether Back leads anywhere.
    pub fn can_go_back(&self) -> bool {
        self.stack.len() > 1
    }

    /// After a content update: drops screens whose item no longer exists,
    /// so the visitor stays where they are whenever possible.
    pub fn retain_existing(&mut self, catalog: &Catalog) {
        self.stack.retain(|screen| match screen {
            Screen::Detail(id) | Screen::Guide(id) | Screen::Table(id, _) => {
                item_exists(catalog, id)
            }
            _ => true,
        });
        if self.stack.is_empty() {
            self.stack.push(Screen::Home);
        }
    }
}

/// Whether any item of the catalog has this id.
pub fn item_exists(catalog: &Catalog, id: &str) -> bool {
    catalog.item(id).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_and_home() {
        let mut navigator = Navigator::default();
        assert!(!navigator.can_go_back());
        navigator.push(Screen::List {
            section: Section::Notices,
            category: String::new(),
        });
        navigator.push(Screen::Detail("a".into()));
        navigator.back();
        assert!(matches!(
            navigator.current(),
            Screen::List {
                section: Section::Notices,
                ..
            }
        ));
        navigator.push(Screen::Detail("a".into()));
        navigator.home();
        assert_eq!(navigator.current(), &Screen::Home);
        navigator.back();
        assert_eq!(navigator.current(), &Screen::Home);
    }

    #[test]
    fn pushing_the_same_screen_twice_needs_one_back() {
        let mut navigator = Navigator::default();
        navigator.push(Screen::Search);
        navigator.push(Screen::Search);
        navigator.back();
        assert_eq!(navigator.current(), &Screen::Home);
    }
}
