//! Explore by touch: the screen as speech mode walks it, read from the
//! window's accessibility tree (each element's `accessible-role` and
//! `accessible-label`, the same tree a screen reader sees).
//!
//! [`read`] turns the tree into [`Explorable`]s: what a visitor can hear,
//! in reading order, each with the part of it that shows. [`Screen::at`]
//! finds what is under a finger, [`Screen::next`] the element after or
//! before one. Both are plain data, tested without a UI backend.
//!
//! Slint's element API (`ElementHandle`, from its testing crate, which
//! works on any backend) is what reads the tree: Slint offers no other
//! public way to hit-test its elements or press one from Rust.

use std::collections::HashSet;

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
use slint::ComponentHandle;

use super::KioskWindow;
use super::last_line::WORD_JOINER;

/// A rectangle in window coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// Whether (x, y) lies inside.
    pub fn contains(&self, x: f32, y: f32) -> bool {
        x >= self.x && x < self.x + self.width && y >= self.y && y < self.y + self.height
    }

    /// The part of `self` inside `clip` (empty: zero width or height).
    pub fn clipped(&self, clip: &Rect) -> Rect {
        let left = self.x.max(clip.x);
        let top = self.y.max(clip.y);
        let right = (self.x + self.width).min(clip.x + clip.width);
        let bottom = (self.y + self.height).min(clip.y + clip.height);
        Rect {
            x: left,
            y: top,
            width: (right - left).max(0.0),
            height: (bottom - top).max(0.0),
        }
    }

    /// Whether nothing of it shows.
    pub fn is_empty(&self) -> bool {
        self.width <= 0.0 || self.height <= 0.0
    }

    fn area(&self) -> f32 {
        self.width * self.height
    }
}

/// What an element is, as speech names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Something to press.
    Button,
    /// Text to read.
    Text,
}

/// One element speech mode can speak.
#[derive(Debug, Clone, PartialEq)]
pub struct Explorable {
    /// Its accessible label, as a visitor reads it.
    pub label: String,
    /// Its accessible description (a tile's hint), or empty.
    pub description: String,
    /// Button or text.
    pub kind: Kind,
    /// Whether a button is the selected one of its kind (a language).
    pub checked: bool,
    /// Whether a button can be pressed now.
    pub enabled: bool,
    /// Whether it is part of the page (it scrolls with it), not the chrome
    /// around it.
    pub on_page: bool,
    /// Where it is laid out.
    pub frame: Rect,
    /// The part of it that shows (empty when scrolled away).
    pub shown: Rect,
}

/// The screen as speech mode sees it: its explorable elements in reading
/// order, and where each is in the window's element tree.
#[derive(Default)]
pub struct Screen {
    /// The elements, in reading order.
    pub elements: Vec<Explorable>,
    /// Where the page shows (between the header and the bars), if a page does.
    pub page: Option<Rect>,
    handles: Vec<ElementHandle>,
}

impl Screen {
    /// The element under (x, y): the innermost button there, else the
    /// smallest text.
    pub fn at(&self, x: f32, y: f32) -> Option<usize> {
        let under = |kind: Kind| {
            self.elements
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == kind && e.shown.contains(x, y))
                .min_by(|(_, a), (_, b)| a.shown.area().total_cmp(&b.shown.area()))
                .map(|(index, _)| index)
        };
        under(Kind::Button).or_else(|| under(Kind::Text))
    }

    /// The element `by` steps after `from` (before it when negative) that a
    /// visitor can reach: one that shows, or one of the page scrolled away.
    /// Without `from`, the first (or last) such element. None past either end.
    pub fn next(&self, from: Option<usize>, by: i32) -> Option<usize> {
        let reachable = |e: &Explorable| e.on_page || !e.shown.is_empty();
        let forward = by >= 0;
        let mut index = match (from, forward) {
            (Some(index), _) => index as isize,
            (None, true) => -1,
            (None, false) => self.elements.len() as isize,
        };
        loop {
            index += if forward { 1 } else { -1 };
            let element = usize::try_from(index)
                .ok()
                .and_then(|i| self.elements.get(i))?;
            if reachable(element) {
                return usize::try_from(index).ok();
            }
        }
    }

    /// The element at `index` of [`Screen::elements`] pressed, as a double
    /// tap does (its accessible default action).
    pub fn press(&self, index: usize) {
        if let Some(handle) = self.handles.get(index) {
            handle.invoke_accessible_default_action();
        }
    }

    /// Where an element like `wanted` (same label and kind) is now: the one
    /// nearest its old frame.
    pub fn find(&self, wanted: &Explorable) -> Option<usize> {
        self.elements
            .iter()
            .enumerate()
            .filter(|(_, e)| e.label == wanted.label && e.kind == wanted.kind)
            .min_by(|(_, a), (_, b)| {
                let distance = |e: &Explorable| {
                    (e.frame.x - wanted.frame.x).abs() + (e.frame.y - wanted.frame.y).abs()
                };
                distance(a).total_cmp(&distance(b))
            })
            .map(|(index, _)| index)
    }
}

/// Components that cover the screen and take every touch while they show:
/// only what is inside them can be explored.
const MODAL: [&str; 3] = ["IdleOverlay", "PinPad", "AttractLoop"];

/// The screen of `window` as speech mode sees it.
///
/// Inside a modal layer (the idle countdown, the PIN pad, the attract
/// loop) only that layer; else everything, with the page's elements
/// clipped to the page (they scroll under the header and bars) and the
/// rest to the window. A text inside a button is part of the button.
pub fn read(window: &KioskWindow) -> Screen {
    let size = window
        .window()
        .size()
        .to_logical(window.window().scale_factor());
    let whole = Rect {
        x: 0.0,
        y: 0.0,
        width: size.width,
        height: size.height,
    };
    let root = window.root_element();
    let scope = find_type(&root, |name| MODAL.contains(&name)).unwrap_or(root);
    let page = find_type(&scope, |name| name.ends_with("Page"));
    let page_rect = page.as_ref().map(frame_of);
    // The page's own elements, known by what they are and where: Slint's
    // handles have no identity to compare.
    let mut on_page = HashSet::new();
    if let Some(page) = &page {
        page.visit_descendants(|handle: ElementHandle| {
            if let Some(element) = explorable(&handle) {
                on_page.insert(key(&element));
            }
            std::ops::ControlFlow::<()>::Continue(())
        });
    }
    let mut found: Vec<(Explorable, ElementHandle, bool)> = Vec::new();
    scope.visit_descendants(|handle: ElementHandle| {
        if let Some(element) = explorable(&handle) {
            let inside = on_page.contains(&key(&element));
            found.push((element, handle, inside));
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    let mut screen = Screen {
        page: page_rect,
        ..Screen::default()
    };
    let buttons: Vec<Rect> = found
        .iter()
        .filter(|(e, _, _)| e.kind == Kind::Button)
        .map(|(e, _, _)| e.frame)
        .collect();
    for (mut element, handle, on_page) in found {
        if element.kind == Kind::Text && buttons.iter().any(|b| holds(b, &element.frame)) {
            continue;
        }
        let clip = match (on_page, page_rect) {
            (true, Some(page)) => page,
            _ => whole,
        };
        element.shown = element.frame.clipped(&clip).clipped(&whole);
        element.on_page = on_page;
        screen.elements.push(element);
        screen.handles.push(handle);
    }
    screen
}

/// Whether `outer` holds the centre of `inner`.
fn holds(outer: &Rect, inner: &Rect) -> bool {
    outer.contains(inner.x + inner.width / 2.0, inner.y + inner.height / 2.0)
}

/// What tells an element apart from the others on screen.
fn key(element: &Explorable) -> (String, bool, [u32; 4]) {
    let frame = element.frame;
    (
        element.label.clone(),
        element.kind == Kind::Button,
        [frame.x, frame.y, frame.width, frame.height].map(f32::to_bits),
    )
}

fn explorable(handle: &ElementHandle) -> Option<Explorable> {
    let kind = match handle.accessible_role()? {
        AccessibleRole::Button => Kind::Button,
        AccessibleRole::Text => Kind::Text,
        _ => return None,
    };
    let label = handle
        .accessible_label()
        .map(|l| l.replace(WORD_JOINER, "").trim().to_owned())
        .unwrap_or_default();
    if label.is_empty() {
        return None;
    }
    let frame = frame_of(handle);
    if frame.is_empty() || handle.computed_opacity() <= 0.0 {
        return None;
    }
    Some(Explorable {
        label,
        description: handle
            .accessible_description()
            .map(|d| d.to_string())
            .unwrap_or_default(),
        kind,
        checked: handle.accessible_checked().unwrap_or(false),
        enabled: handle.accessible_enabled().unwrap_or(true),
        on_page: false,
        shown: frame,
        frame,
    })
}

fn frame_of(handle: &ElementHandle) -> Rect {
    let position = handle.absolute_position();
    let size = handle.size();
    Rect {
        x: position.x,
        y: position.y,
        width: size.width,
        height: size.height,
    }
}

/// The first element under `scope` whose type name satisfies `wanted`
/// (type names are in the build: `build.rs` keeps Slint's debug info).
pub fn find_type(scope: &ElementHandle, wanted: impl Fn(&str) -> bool) -> Option<ElementHandle> {
    let mut found = None;
    scope.visit_descendants(|handle: ElementHandle| {
        if handle.type_name().is_some_and(|name| wanted(&name)) {
            found = Some(handle);
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(label: &str, kind: Kind, frame: Rect, shown: Rect, on_page: bool) -> Explorable {
        Explorable {
            label: label.to_owned(),
            description: String::new(),
            kind,
            checked: false,
            enabled: true,
            on_page,
            frame,
            shown,
        }
    }

    fn rect(x: f32, y: f32, width: f32, height: f32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    fn screen(elements: Vec<Explorable>) -> Screen {
        Screen {
            elements,
            page: None,
            handles: Vec::new(),
        }
    }

    #[test]
    fn a_finger_finds_the_button_before_the_text_and_the_smallest_text() {
        let page = rect(0.0, 0.0, 1000.0, 1000.0);
        let small = rect(100.0, 100.0, 200.0, 50.0);
        let tile = rect(0.0, 500.0, 500.0, 300.0);
        let screen = screen(vec![
            element("页", Kind::Text, page, page, true),
            element("标题", Kind::Text, small, small, true),
            element("公告栏", Kind::Button, tile, tile, true),
        ]);
        assert_eq!(screen.at(150.0, 120.0), Some(1));
        assert_eq!(screen.at(600.0, 600.0), Some(0));
        assert_eq!(screen.at(100.0, 600.0), Some(2));
        assert_eq!(screen.at(2000.0, 600.0), None);
    }

    #[test]
    fn what_is_scrolled_away_is_not_under_the_finger() {
        let header_area = rect(0.0, 0.0, 1000.0, 200.0);
        let gone = Rect::default();
        let screen = screen(vec![
            element("站名", Kind::Text, header_area, header_area, false),
            element("滚走的行", Kind::Button, header_area, gone, true),
        ]);
        assert_eq!(screen.at(500.0, 100.0), Some(0));
    }

    #[test]
    fn swipes_walk_the_page_including_what_is_scrolled_away_but_not_hidden_chrome() {
        let shown = rect(0.0, 0.0, 100.0, 100.0);
        let gone = Rect::default();
        let screen = screen(vec![
            element("a", Kind::Text, shown, shown, false),
            element("hidden chrome", Kind::Text, shown, gone, false),
            element("b", Kind::Button, shown, gone, true),
            element("c", Kind::Text, shown, shown, true),
        ]);
        assert_eq!(screen.next(None, 1), Some(0));
        assert_eq!(screen.next(Some(0), 1), Some(2));
        assert_eq!(screen.next(Some(2), 1), Some(3));
        assert_eq!(screen.next(Some(3), 1), None);
        assert_eq!(screen.next(Some(2), -1), Some(0));
        assert_eq!(screen.next(Some(0), -1), None);
        assert_eq!(screen.next(None, -1), Some(3));
    }

    #[test]
    fn clipping_keeps_the_part_that_shows() {
        let frame = rect(0.0, 150.0, 100.0, 100.0);
        let page = rect(0.0, 200.0, 1000.0, 1000.0);
        assert_eq!(frame.clipped(&page), rect(0.0, 200.0, 100.0, 50.0));
        assert!(rect(0.0, 0.0, 10.0, 10.0).clipped(&page).is_empty());
    }
}
