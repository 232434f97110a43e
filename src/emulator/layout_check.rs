//! The layout check: what a visitor trips on, found from the element tree
//! of the real UI, one screen at a time.
//!
//! On every screen it scrolls the page from top to end and asks:
//! - do two boxes (texts, cards, images, layouts) overlap without one
//!   containing the other? (A card drawn under the next heading.)
//! - can the last element be scrolled fully above the navigation bar?
//! - does anything lie beside the screen or its scroller with no button
//!   that scrolls there? (Reachable only by a sideways drag.)
//! - does every control come inside the reach zone, the part of the panel
//!   a visitor can touch as it is mounted? ([`reach`])
//! - in landscape, do the lines of a page being read stay short enough to
//!   read (at most [`READING_MEASURE`] body characters)?
//!
//! [`check_link`] then activates every item link of the screen (list
//! rows, search hits, related items, the urgent banner, attract slides:
//! the elements with `accessible-id: "open:<id>"`) and checks that it
//! opens that very item. [`super::tour`] runs both over every screen.
//!
//! Element geometry comes from Slint's testing API (`ElementHandle`), which
//! needs the compiler's debug info (`with_debug_info(true)` in build.rs).

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
use slint::ComponentHandle;

use super::Emulator;
use crate::content::Catalog;
use reach::ReachWatch;

mod reach;
use crate::ui::explore::find_type;
use crate::ui::navigation::Screen;
use crate::ui::{AppState, Content, Page, Theme};

/// Overlaps and overhangs smaller than this (anti-aliasing, rounding) are ignored.
const TOLERANCE: f32 = 1.0;
/// At most this many scroll steps per screen (a 5 MB paragraph is long).
const MAX_SCROLL_STEPS: usize = 400;
/// Time given to a scroll to settle (no frame is drawn: geometry only).
const SETTLE: Duration = Duration::from_millis(50);
/// The `accessible-id` prefix of an element that opens an item.
pub const OPEN_PREFIX: &str = "open:";
/// The `accessible-id` of buttons that scroll a wide view sideways.
pub const SCROLL_HINT_IDS: [&str; 2] = ["scroll-left", "scroll-right"];
/// The `accessible-description` of scrollers that move sideways (a table
/// grid, whose sticky header and label column cover cells by design: its
/// cells are checked for overlaps only before it is scrolled).
pub const SCROLL_X: &str = "scroll-x";

/// The longest line, in body-text characters, of a page being read in
/// landscape (the UI guide asks ~24 on portrait, where the panel is narrow;
/// the review found 56 too long to follow back to the next line).
pub const READING_MEASURE: f32 = 36.0;
/// The body text's size at 100 % (Theme.font-body).
const BODY_PX: f32 = 32.0;

/// One thing wrong with a screen.
#[derive(Debug, Clone, PartialEq)]
pub enum LayoutProblem {
    /// Two boxes overlap and neither contains the other.
    Overlap {
        /// The screen.
        screen: String,
        /// One box.
        first: String,
        /// The other.
        second: String,
    },
    /// The end of the page stays below the navigation bar.
    EndHidden {
        /// The screen.
        screen: String,
        /// The lowest element when scrolled to the end.
        last: String,
        /// Where the page's visible area ends (the navigation bar's top).
        limit: f32,
    },
    /// Content lies beside the screen or its scroller, and no button scrolls there.
    SidewaysOnly {
        /// The screen.
        screen: String,
        /// The element.
        element: String,
    },
    /// A control never comes inside the reach zone, scrolled anywhere.
    OutOfReach {
        /// The screen.
        screen: String,
        /// The control.
        control: String,
        /// Where the reach zone starts (y from the top).
        zone_top: f32,
    },
    /// A text of a page being read runs longer than [`READING_MEASURE`].
    LinesTooLong {
        /// The screen.
        screen: String,
        /// The text.
        text: String,
        /// How many body characters its lines hold.
        characters: f32,
    },
    /// An item link opened something else than its item.
    WrongTarget {
        /// The screen the link is on.
        screen: String,
        /// The link.
        link: String,
        /// What opened instead.
        opened: String,
    },
}

impl fmt::Display for LayoutProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutProblem::Overlap {
                screen,
                first,
                second,
            } => write!(f, "{screen}: {first} overlaps {second}"),
            LayoutProblem::EndHidden {
                screen,
                last,
                limit,
            } => write!(
                f,
                "{screen}: scrolled to the end, {last} is still below the navigation bar (y {limit:.0})"
            ),
            LayoutProblem::SidewaysOnly { screen, element } => write!(
                f,
                "{screen}: {element} is beside the visible area and no button scrolls to it"
            ),
            LayoutProblem::OutOfReach {
                screen,
                control,
                zone_top,
            } => write!(
                f,
                "{screen}: {control} never comes inside the reach zone (y ≥ {zone_top:.0}, from [mounting] in kiosk.toml)"
            ),
            LayoutProblem::LinesTooLong {
                screen,
                text,
                characters,
            } => write!(
                f,
                "{screen}: {text} has lines of {characters:.0} body characters (at most {READING_MEASURE:.0})"
            ),
            LayoutProblem::WrongTarget {
                screen,
                link,
                opened,
            } => write!(f, "{screen}: the link {link} opened {opened}"),
        }
    }
}

/// A box of the element tree, in window coordinates.
#[derive(Debug, Clone)]
struct Boxed {
    /// Type name (`Text`, `Rectangle`, `QrCard`, …) and what it shows.
    name: String,
    x: f32,
    y: f32,
    width: f32,
    height: f32,
    /// Index of the innermost scroller holding it (`None`: not scrolled).
    scroller: Option<usize>,
    /// A layout (its box is the union of its cells).
    layout: bool,
}

/// Identity of a box across look-ups: its description and geometry.
type BoxKey = (String, i64, i64, i64, i64);

impl Boxed {
    fn right(&self) -> f32 {
        self.x + self.width
    }

    fn bottom(&self) -> f32 {
        self.y + self.height
    }

    fn contains(&self, other: &Boxed) -> bool {
        other.x >= self.x - TOLERANCE
            && other.y >= self.y - TOLERANCE
            && other.right() <= self.right() + TOLERANCE
            && other.bottom() <= self.bottom() + TOLERANCE
    }

    fn overlaps(&self, other: &Boxed) -> bool {
        let width = self.right().min(other.right()) - self.x.max(other.x);
        let height = self.bottom().min(other.bottom()) - self.y.max(other.y);
        width > TOLERANCE && height > TOLERANCE
    }

    fn key(&self) -> BoxKey {
        let round = |v: f32| (v * 4.0).round() as i64;
        (
            self.name.clone(),
            round(self.x),
            round(self.y),
            round(self.width),
            round(self.height),
        )
    }
}

impl fmt::Display for Boxed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{:.0},{:.0} {:.0}×{:.0}]",
            self.name, self.x, self.y, self.width, self.height
        )
    }
}

fn describe(handle: &ElementHandle) -> String {
    let kind = handle.type_name().unwrap_or_default().to_string();
    let label: String = handle
        .accessible_label()
        .map(|l| l.to_string())
        .unwrap_or_default();
    if label.is_empty() {
        kind
    } else {
        let short: String = label.chars().take(32).collect();
        let ellipsis = if short.len() < label.len() { "…" } else { "" };
        format!("{kind} `{}{ellipsis}`", short.replace('\n', " "))
    }
}

fn boxed(handle: &ElementHandle) -> Boxed {
    let position = handle.absolute_position();
    let size = handle.size();
    Boxed {
        name: describe(handle),
        x: position.x,
        y: position.y,
        width: size.width,
        height: size.height,
        scroller: None,
        layout: handle.layout_kind().is_some(),
    }
}

fn descendants(handle: &ElementHandle) -> Vec<ElementHandle> {
    let mut found = Vec::new();
    handle.visit_descendants(|child: ElementHandle| {
        found.push(child);
        std::ops::ControlFlow::<()>::Continue(())
    });
    found
}

/// A scroller of the page, to scroll.
struct Scroller {
    handle: ElementHandle,
    frame: Frame,
}

/// The visible area of a scroller.
#[derive(Debug, Clone)]
struct Frame {
    frame: Boxed,
    /// Moves sideways (its cells are checked before it scrolls only).
    sideways: bool,
}

/// What the page shows at one scroll position.
#[derive(Debug, Default)]
struct Snapshot {
    boxes: Vec<Boxed>,
    /// The page's scrollers; [`Boxed::scroller`] indexes them.
    frames: Vec<Frame>,
    /// Scroll-hint buttons on screen.
    hints: usize,
}

/// The page component on screen (`HomePage`, `GuidePage`, …).
pub(super) fn page_root(emulator: &Emulator) -> Option<ElementHandle> {
    find_element(emulator, |name| name.ends_with("Page"))
}

/// The first element whose type name satisfies `wanted`.
fn find_element(emulator: &Emulator, wanted: impl Fn(&str) -> bool) -> Option<ElementHandle> {
    find_type(&emulator.ui().root_element(), wanted)
}

/// Where the page's visible area ends: the top of what covers its foot
/// (the "more below" strip while there is more, else the settings or
/// navigation bar below the page).
pub fn visible_bottom(emulator: &Emulator) -> f32 {
    let page_bottom = emulator.page_area().1;
    find_element(emulator, |name| name == "ScrollCue").map_or(page_bottom, |cue| {
        cue.absolute_position().y.min(page_bottom)
    })
}

fn is_scroller(handle: &ElementHandle) -> bool {
    handle.type_name().as_deref() == Some("Flickable")
}

fn frame(handle: &ElementHandle) -> Frame {
    Frame {
        frame: boxed(handle),
        sideways: handle.accessible_description().as_deref() == Some(SCROLL_X),
    }
}

/// The page's main scroller: the tallest one.
fn main_scroller_of(page: &ElementHandle) -> Option<Scroller> {
    descendants(page)
        .into_iter()
        .filter(is_scroller)
        .map(|handle| Scroller {
            frame: frame(&handle),
            handle,
        })
        .max_by(|a, b| a.frame.frame.height.total_cmp(&b.frame.frame.height))
}

fn snapshot(page: &ElementHandle, window_width: f32, window_height: f32) -> Snapshot {
    let all = descendants(page);
    let mut scrollers: Vec<(Frame, Vec<BoxKey>)> = Vec::new();
    for handle in all.iter().filter(|h| is_scroller(h)) {
        let inside: Vec<_> = descendants(handle).iter().map(|h| boxed(h).key()).collect();
        scrollers.push((frame(handle), inside));
    }
    // The innermost scroller of a box is the one with the fewest descendants.
    let mut innermost: HashMap<BoxKey, (usize, usize)> = HashMap::new();
    for (index, (_, inside)) in scrollers.iter().enumerate() {
        for key in inside {
            let entry = innermost
                .entry(key.clone())
                .or_insert((index, inside.len()));
            if inside.len() < entry.1 {
                *entry = (index, inside.len());
            }
        }
    }
    let on_screen = |b: &Boxed| {
        b.x < window_width && b.right() > 0.0 && b.y < window_height && b.bottom() > 0.0
    };
    let mut hints = 0;
    let mut boxes = Vec::new();
    for handle in &all {
        let kind = handle.type_name().unwrap_or_default();
        // Anonymous items (a scroller's viewport) are not boxes a visitor sees.
        if kind.is_empty() {
            continue;
        }
        let mut b = boxed(handle);
        if b.width <= 0.0 || b.height <= 0.0 {
            continue;
        }
        if handle.accessible_role() == Some(AccessibleRole::Button)
            && handle
                .accessible_id()
                .is_some_and(|id| SCROLL_HINT_IDS.contains(&id.as_str()))
            && on_screen(&b)
        {
            hints += 1;
        }
        b.scroller = innermost.get(&b.key()).map(|(index, _)| *index);
        boxes.push(b);
    }
    Snapshot {
        boxes,
        frames: scrollers.into_iter().map(|(frame, _)| frame).collect(),
        hints,
    }
}

/// Overlapping boxes of one snapshot, each pair once (by its description).
fn overlaps(snapshot: &Snapshot, first_step: bool, found: &mut Vec<(String, String)>) {
    let comparable: Vec<&Boxed> = snapshot
        .boxes
        .iter()
        .filter(|b| {
            b.scroller
                .is_none_or(|s| first_step || !snapshot.frames.get(s).is_some_and(|f| f.sideways))
        })
        .collect();
    let mut sorted = comparable;
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y));
    for (index, a) in sorted.iter().enumerate() {
        for b in &sorted[index + 1..] {
            if b.y >= a.bottom() {
                break;
            }
            // A scroller is a window onto its content, which moves under
            // it: boxes are compared with the boxes of the same content.
            if a.scroller != b.scroller {
                continue;
            }
            if a.overlaps(b) && !a.contains(b) && !b.contains(a) {
                let pair = (a.to_string(), b.to_string());
                if !found.contains(&pair) {
                    found.push(pair);
                }
            }
        }
    }
}

/// Boxes beside the window or their scroller with no scroll button shown.
fn overhangs(snapshot: &Snapshot, window_width: f32, found: &mut Vec<String>) {
    if snapshot.hints > 0 {
        return;
    }
    for b in &snapshot.boxes {
        let (left, right) = match b.scroller.and_then(|s| snapshot.frames.get(s)) {
            Some(frame) => (frame.frame.x, frame.frame.right()),
            None => (0.0, window_width),
        };
        let beside = b.x < left - TOLERANCE || b.right() > right + TOLERANCE;
        let described = b.to_string();
        if beside && !b.layout && !found.contains(&described) {
            found.push(described);
        }
    }
}

/// Scrolls the main scroller down by most of its height; whether it moved.
fn scroll_down(scroller: &Scroller) -> bool {
    let before = first_child_y(&scroller.handle);
    scroller
        .handle
        .scroll(0.0, -(scroller.frame.frame.height * 0.8).max(100.0));
    super::platform::advance(SETTLE);
    let after = first_child_y(&scroller.handle);
    (after - before).abs() > 0.5
}

fn first_child_y(handle: &ElementHandle) -> f32 {
    let mut y = 0.0;
    handle.visit_descendants(|child: ElementHandle| {
        y = child.absolute_position().y;
        std::ops::ControlFlow::Break(())
    });
    y
}

/// Scrolls the current screen back to its top.
pub fn scroll_to_top(emulator: &mut Emulator) {
    let Some(page) = page_root(emulator) else {
        return;
    };
    if let Some(scroller) = main_scroller_of(&page) {
        for _ in 0..MAX_SCROLL_STEPS {
            let before = first_child_y(&scroller.handle);
            scroller
                .handle
                .scroll(0.0, scroller.frame.frame.height * 10.0);
            super::platform::advance(SETTLE);
            if (first_child_y(&scroller.handle) - before).abs() <= 0.5 {
                break;
            }
        }
    }
}

/// Checks the layout of the screen on display, scrolling it from top to
/// end (where it stays: see [`scroll_to_top`]).
pub fn check_screen(emulator: &mut Emulator, screen: &str) -> Vec<LayoutProblem> {
    // A list comes back where the visitor left it: start from its top.
    scroll_to_top(emulator);
    let Some(page) = page_root(emulator) else {
        return Vec::new();
    };
    let (width, height) = emulator.size();
    let (width, height) = (width as f32, height as f32);
    let main = main_scroller_of(&page);
    let mut pairs = Vec::new();
    let mut beside = Vec::new();
    let mut shown = Snapshot::default();
    let mut reach = ReachWatch::default();
    let mut long_lines = Vec::new();
    for step in 0..MAX_SCROLL_STEPS {
        shown = snapshot(&page, width, height);
        reach.look(emulator);
        if width > height && is_read(&page) {
            lines_too_long(emulator, &shown, &mut long_lines);
        }
        overlaps(&shown, step == 0, &mut pairs);
        overhangs(&shown, width, &mut beside);
        if !main.as_ref().is_some_and(scroll_down) {
            break;
        }
    }
    let mut problems: Vec<LayoutProblem> = pairs
        .into_iter()
        .map(|(first, second)| LayoutProblem::Overlap {
            screen: screen.to_owned(),
            first,
            second,
        })
        .collect();
    // One report per screen: the first box beside the view and how many follow.
    if let Some(first) = beside.first() {
        let more = match beside.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        problems.push(LayoutProblem::SidewaysOnly {
            screen: screen.to_owned(),
            element: format!("{first}{more}"),
        });
    }
    problems.extend(
        long_lines
            .into_iter()
            .map(|(text, characters)| LayoutProblem::LinesTooLong {
                screen: screen.to_owned(),
                text,
                characters,
            }),
    );
    let zone_top = emulator.reach_zone().0;
    problems.extend(
        reach
            .out_of_reach()
            .into_iter()
            .map(|control| LayoutProblem::OutOfReach {
                screen: screen.to_owned(),
                control,
                zone_top,
            }),
    );
    if let Some(main) = &main
        && let Some(last) = hidden_end(&shown, &main.frame, visible_bottom(emulator))
    {
        problems.push(LayoutProblem::EndHidden {
            screen: screen.to_owned(),
            last: last.0,
            limit: last.1,
        });
    }
    problems
}

/// A page a visitor reads line by line (a notice or document, a guide).
fn is_read(page: &ElementHandle) -> bool {
    matches!(
        page.type_name().as_deref(),
        Some("DetailPage" | "GuidePage")
    )
}

/// The texts of `shown` wider than [`READING_MEASURE`] body characters at
/// the visitor's text size, each once, with how many characters fit.
fn lines_too_long(emulator: &Emulator, shown: &Snapshot, found: &mut Vec<(String, f32)>) {
    let scale = emulator.ui().global::<Theme>().get_text_scale();
    let body = BODY_PX * scale;
    for b in shown.boxes.iter().filter(|b| b.name.starts_with("Text")) {
        let characters = b.width / body;
        if characters > READING_MEASURE + 0.5 && !found.iter().any(|(text, _)| *text == b.name) {
            found.push((b.name.clone(), characters));
        }
    }
}

/// Scrolled to the end: the lowest box of the main scroller's content when
/// it ends below the visible area (above the navigation bar at `nav_top`),
/// with where that area ends.
fn hidden_end(shown: &Snapshot, main: &Frame, nav_top: f32) -> Option<(String, f32)> {
    let index = shown
        .frames
        .iter()
        .position(|f| f.frame.key() == main.frame.key())?;
    let bottom = nav_top.min(main.frame.bottom());
    // The content's own column ends where the scroller lets it; what
    // matters is whether its children end there too.
    let last = shown
        .boxes
        .iter()
        .filter(|b| b.scroller == Some(index))
        .filter(|b| !(b.layout && b.width >= main.frame.width - TOLERANCE))
        .max_by(|a, b| a.bottom().total_cmp(&b.bottom()))?;
    (last.bottom() > bottom + TOLERANCE).then(|| (last.to_string(), bottom))
}

/// What the UI shows now, in words, for a report.
fn shown(emulator: &Emulator) -> String {
    let ui = emulator.ui();
    let page = ui.global::<AppState>().get_page();
    let content = ui.global::<Content>();
    match page {
        Page::Detail => format!("the detail page of `{}`", content.get_detail().id),
        Page::Guide => format!("the guide page of `{}`", content.get_guide().id),
        other => format!("{other:?}"),
    }
}

/// Whether the UI shows exactly the page of the item `id`.
fn shows_item(emulator: &Emulator, catalog: &Catalog, id: &str) -> bool {
    let ui = emulator.ui();
    let content = ui.global::<Content>();
    let is_guide = catalog.guides.iter().any(|g| g.id == id);
    let (page, screen, shown_id) = if is_guide {
        (
            Page::Guide,
            Screen::Guide(id.to_owned()),
            content.get_guide().id,
        )
    } else {
        (
            Page::Detail,
            Screen::Detail(id.to_owned()),
            content.get_detail().id,
        )
    };
    ui.global::<AppState>().get_page() == page
        && emulator.app().screen() == screen
        && shown_id.as_str() == id
}

/// Where item links are looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkScope {
    /// The page on display.
    Page,
    /// The attract loop over it.
    Attract,
}

fn scope_root(emulator: &Emulator, scope: LinkScope) -> Option<ElementHandle> {
    match scope {
        LinkScope::Page => page_root(emulator),
        LinkScope::Attract => find_element(emulator, |name| name == "AttractLoop"),
    }
}

/// The item links in `scope` visible now: (item id, handle).
fn visible_links(emulator: &Emulator, scope: LinkScope) -> Vec<(String, ElementHandle)> {
    let Some(root) = scope_root(emulator, scope) else {
        return Vec::new();
    };
    descendants(&root)
        .into_iter()
        .filter_map(|handle| {
            let id = handle.accessible_id()?;
            let item = id.strip_prefix(OPEN_PREFIX)?.to_owned();
            Some((item, handle))
        })
        .collect()
}

/// Scrolls the screen from its top until `visit` breaks or the end is
/// reached (the attract loop does not scroll).
fn scroll_through<R>(
    emulator: &mut Emulator,
    scope: LinkScope,
    mut visit: impl FnMut(&Emulator) -> std::ops::ControlFlow<R>,
) -> Option<R> {
    if scope == LinkScope::Page {
        scroll_to_top(emulator);
    }
    for _ in 0..MAX_SCROLL_STEPS {
        if let std::ops::ControlFlow::Break(found) = visit(emulator) {
            return Some(found);
        }
        let page = page_root(emulator).filter(|_| scope == LinkScope::Page)?;
        let scroller = main_scroller_of(&page)?;
        if !scroll_down(&scroller) {
            return None;
        }
    }
    None
}

/// Every item link in `scope`, from the top of the screen to its end:
/// (item id, label).
pub fn links(emulator: &mut Emulator, scope: LinkScope) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    scroll_through(emulator, scope, |emulator| {
        for (id, handle) in visible_links(emulator, scope) {
            let label = handle
                .accessible_label()
                .map(|l| l.to_string())
                .unwrap_or_default();
            if !found.iter().any(|(known, _)| *known == id) {
                found.push((id, label));
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    if scope == LinkScope::Page {
        scroll_to_top(emulator);
    }
    found
}

/// Whether a tap at `point` lands on `link`: inside the window, above the
/// navigation bar and inside the visible part of the link's scroller.
fn tappable(emulator: &Emulator, link: &Boxed, (x, y): (f32, f32)) -> bool {
    let (width, height) = emulator.size();
    let inside =
        |frame: &Boxed| x > frame.x && x < frame.right() && y > frame.y && y < frame.bottom();
    let window = Boxed {
        name: String::new(),
        x: 0.0,
        y: 0.0,
        width: width as f32,
        height: visible_bottom(emulator).min(height as f32),
        scroller: None,
        layout: false,
    };
    if !inside(&window) {
        return false;
    }
    let Some(root) = find_element(emulator, |name| {
        name.ends_with("Page") || name == "AttractLoop"
    }) else {
        return false;
    };
    let shown = snapshot(&root, width as f32, height as f32);
    let key = link.key();
    shown
        .boxes
        .iter()
        .find(|b| b.key() == key)
        .and_then(|b| b.scroller)
        .and_then(|index| shown.frames.get(index))
        .is_none_or(|frame| inside(&frame.frame))
}

/// Activates the link to `id` in `scope` (a tap on its centre when it is
/// on screen, else its accessible action) and checks that it opened that
/// item; `back` then returns to the screen.
pub fn check_link(
    emulator: &mut Emulator,
    catalog: &Catalog,
    (screen, scope): (&str, LinkScope),
    id: &str,
    back: &mut dyn FnMut(&mut Emulator),
) -> Option<LayoutProblem> {
    // Scrolled to where the link is, as a visitor would.
    let handle = scroll_through(emulator, scope, |emulator| {
        match visible_links(emulator, scope)
            .into_iter()
            .find(|(item, _)| item == id)
        {
            Some((_, handle)) => std::ops::ControlFlow::Break(handle),
            None => std::ops::ControlFlow::Continue(()),
        }
    })?;
    let link = describe(&handle);
    let b = boxed(&handle);
    let (cx, cy) = (b.x + b.width / 2.0, b.y + b.height / 2.0);
    // A tap without drawing frames: only what it opens is looked at.
    if tappable(emulator, &b, (cx, cy)) {
        emulator.press(cx, cy);
        super::platform::advance(Duration::from_millis(80));
        emulator.release(cx, cy);
    } else {
        handle.invoke_accessible_default_action();
    }
    super::platform::advance(Duration::from_millis(20));
    let problem = (!shows_item(emulator, catalog, id)).then(|| LayoutProblem::WrongTarget {
        screen: screen.to_owned(),
        link: format!("{link} to `{id}`"),
        opened: shown(emulator),
    });
    back(emulator);
    problem
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(
        name: &str,
        (x, y, width, height): (f32, f32, f32, f32),
        scroller: Option<usize>,
    ) -> Boxed {
        Boxed {
            name: name.to_owned(),
            x,
            y,
            width,
            height,
            scroller,
            layout: false,
        }
    }

    fn page(boxes: Vec<Boxed>) -> Snapshot {
        Snapshot {
            boxes,
            frames: vec![Frame {
                frame: b("Flickable", (0.0, 160.0, 1080.0, 1584.0), None),
                sideways: false,
            }],
            hints: 0,
        }
    }

    fn overlapping(shown: &Snapshot) -> Vec<(String, String)> {
        let mut found = Vec::new();
        overlaps(shown, true, &mut found);
        found
    }

    #[test]
    fn a_card_drawn_under_the_next_heading_is_an_overlap() {
        let shown = page(vec![
            b("card", (48.0, 931.0, 984.0, 140.0), Some(0)),
            b("Text `办理流程`", (48.0, 1055.0, 984.0, 64.0), Some(0)),
        ]);
        let found = overlapping(&shown);
        assert_eq!(found.len(), 1);
        assert!(found[0].1.contains("办理流程"), "{found:?}");
    }

    #[test]
    fn nested_boxes_neighbours_and_other_scrollers_are_not() {
        let shown = page(vec![
            b("card", (48.0, 900.0, 984.0, 140.0), Some(0)),
            b("text in the card", (72.0, 924.0, 900.0, 60.0), Some(0)),
            b("next card", (48.0, 1064.0, 984.0, 140.0), Some(0)),
            // A box outside the page's content (the frame itself) is never
            // compared with the content moving under it.
            b("title bar", (0.0, 1000.0, 1080.0, 100.0), None),
        ]);
        assert!(overlapping(&shown).is_empty());
    }

    #[test]
    fn the_end_under_the_navigation_bar_is_found() {
        let main = page(Vec::new()).frames[0].clone();
        let ends_under = page(vec![b("Section", (48.0, 1647.0, 984.0, 251.0), Some(0))]);
        let (last, limit) = hidden_end(&ends_under, &main, 1744.0).expect("hidden");
        assert!(last.starts_with("Section"));
        assert_eq!(limit, 1744.0);
        let ends_above = page(vec![b("Section", (48.0, 1400.0, 984.0, 300.0), Some(0))]);
        assert_eq!(hidden_end(&ends_above, &main, 1744.0), None);
    }

    #[test]
    fn content_beside_its_scroller_needs_a_scroll_button() {
        let mut shown = page(vec![b("Text `0`", (992.0, 602.0, 192.0, 72.0), Some(0))]);
        let mut found = Vec::new();
        overhangs(&shown, 1080.0, &mut found);
        assert_eq!(found.len(), 1);
        shown.hints = 1;
        found.clear();
        overhangs(&shown, 1080.0, &mut found);
        assert!(found.is_empty());
    }
}
