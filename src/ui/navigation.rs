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
    /// A long document opened at one of its sections: the document id and
    /// the index of the section's heading among its blocks.
    Section(String, usize),
    /// Search.
    Search,
    /// The admin panel.
    Admin,
    /// Nothing to show yet (first start, no content).
    Unavailable,
}

/// The screen stack: Back pops, Home clears. Each screen keeps how far the
/// visitor had scrolled it, so Back returns to the place they left.
#[derive(Debug, Clone)]
pub struct Navigator {
    stack: Vec<Visit>,
}

/// A screen on the stack and how far it was scrolled (px, Slint's
/// `content-y`: 0 at the top, negative further down).
#[derive(Debug, Clone, PartialEq)]
struct Visit {
    screen: Screen,
    scroll: f32,
}

impl Visit {
    fn new(screen: Screen) -> Self {
        Visit {
            screen,
            scroll: 0.0,
        }
    }
}

impl Default for Navigator {
    fn default() -> Self {
        Navigator {
            stack: vec![Visit::new(Screen::Home)],
        }
    }
}

impl Navigator {
    /// The screen on top.
    pub fn current(&self) -> &Screen {
        self.stack
            .last()
            .map_or(&Screen::Home, |visit| &visit.screen)
    }

    /// How far the screen on top was scrolled when the visitor left it (0
    /// for a screen just opened).
    pub fn scroll(&self) -> f32 {
        self.stack.last().map_or(0.0, |visit| visit.scroll)
    }

    /// Notes how far the visitor has scrolled the screen on top.
    pub fn scrolled(&mut self, scroll: f32) {
        if let Some(visit) = self.stack.last_mut() {
            visit.scroll = scroll;
        }
    }

    /// Opens a screen on top of the current one.
    pub fn push(&mut self, screen: Screen) {
        if self.current() != &screen {
            self.stack.push(Visit::new(screen));
        }
    }

    /// Replaces the current screen (a category tab change is not a step back).
    pub fn replace(&mut self, screen: Screen) {
        self.stack.pop();
        self.stack.push(Visit::new(screen));
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
        self.stack.push(Visit::new(Screen::Home));
    }

    /// Whether `screen` is on the stack (shown now or reachable by Back).
    pub fn contains(&self, screen: &Screen) -> bool {
        self.stack.iter().any(|visit| &visit.screen == screen)
    }

    /// Whether Back leads anywhere.
    pub fn can_go_back(&self) -> bool {
        self.stack.len() > 1
    }

    /// After a content update: drops screens whose item no longer exists,
    /// so the visitor stays where they are whenever possible.
    pub fn retain_existing(&mut self, catalog: &Catalog) {
        self.stack.retain(|visit| match &visit.screen {
            Screen::Detail(id)
            | Screen::Guide(id)
            | Screen::Table(id, _)
            | Screen::Section(id, _) => item_exists(catalog, id),
            _ => true,
        });
        if self.stack.is_empty() {
            self.stack.push(Visit::new(Screen::Home));
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
    fn back_returns_to_where_the_screen_was_scrolled_and_a_new_one_starts_at_its_top() {
        let mut navigator = Navigator::default();
        navigator.push(Screen::Detail("report".into()));
        navigator.scrolled(-2400.0);
        navigator.push(Screen::Table("report".into(), 1));
        assert_eq!(navigator.scroll(), 0.0);
        navigator.back();
        assert_eq!(navigator.scroll(), -2400.0);
        navigator.home();
        navigator.push(Screen::Detail("report".into()));
        assert_eq!(navigator.scroll(), 0.0, "a later visit starts at the top");
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
