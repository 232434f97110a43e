//! A tour of every screen of a catalog: Home, every list, the page of
//! every item and every table, search for every item, and the attract
//! loop's slides. At each stop the layout check runs (see
//! [`super::layout_check`]) and, when asked, screenshots of the top and the
//! end of the screen are written.

use std::path::{Path, PathBuf};
use std::time::Duration;

use slint::{ComponentHandle, Model};

use super::layout_check::{self, LayoutProblem, LinkScope};
use super::{Emulator, EmulatorError};
use crate::content::{Catalog, Lang};
use crate::ui::{AppState, Content, Page, SearchState};

/// What a tour found.
#[derive(Debug, Default)]
pub struct TourReport {
    /// Screens visited.
    pub screens: usize,
    /// Item links followed.
    pub links: usize,
    /// Everything the layout check found.
    pub problems: Vec<LayoutProblem>,
    /// Screenshots written.
    pub shots: Vec<PathBuf>,
}

/// Where screenshots go, if anywhere.
struct Shots<'a> {
    dir: Option<&'a Path>,
    written: Vec<PathBuf>,
}

impl Shots<'_> {
    fn take(&mut self, emulator: &mut Emulator, name: &str) -> Result<(), EmulatorError> {
        if let Some(dir) = self.dir {
            let path = dir.join(format!("{}.png", file_name(name)));
            emulator.screenshot(&path)?;
            self.written.push(path);
        }
        Ok(())
    }
}

/// A screen name as a file name: letters, digits, `-`, `_` and `.` kept.
fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn state(emulator: &Emulator) -> AppState<'_> {
    emulator.ui().global::<AppState>()
}

fn back(emulator: &mut Emulator) {
    state(emulator).invoke_back();
}

/// Checks the screen on display and its item links; shoots its top and end.
fn stop(
    emulator: &mut Emulator,
    catalog: &Catalog,
    name: &str,
    report: &mut TourReport,
    shots: &mut Shots,
) -> Result<(), EmulatorError> {
    shots.take(emulator, name)?;
    report
        .problems
        .extend(layout_check::check_screen(emulator, name));
    shots.take(emulator, &format!("{name}.end"))?;
    let links = layout_check::links(emulator, LinkScope::Page);
    report.links += links.len();
    for (id, _) in links {
        report.problems.extend(layout_check::check_link(
            emulator,
            catalog,
            (name, LinkScope::Page),
            &id,
            &mut back,
        ));
    }
    report.screens += 1;
    Ok(())
}

/// Every item id the kiosk can open now, in list order.
fn item_ids(catalog: &Catalog, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    let notices = catalog.visible_notices(now).into_iter().map(|n| &n.id);
    notices
        .chain(catalog.guides.iter().map(|g| &g.id))
        .chain(catalog.documents.iter().map(|d| &d.id))
        .chain(catalog.faqs.iter().map(|f| &f.id))
        .chain(catalog.venues.iter().map(|v| &v.id))
        .chain(catalog.channels.iter().map(|c| &c.id))
        .cloned()
        .collect()
}

/// Visits every screen of `catalog` in the language and text size the
/// emulator is set to; writes screenshots into `shots` when given.
pub fn run(
    emulator: &mut Emulator,
    catalog: &Catalog,
    now: chrono::DateTime<chrono::Utc>,
    shots: Option<&Path>,
) -> Result<TourReport, EmulatorError> {
    let mut report = TourReport::default();
    let mut shots = Shots {
        dir: shots,
        written: Vec::new(),
    };
    let ui = emulator.ui().clone_strong();
    let app_state = ui.global::<AppState>();
    app_state.invoke_home();
    stop(emulator, catalog, "home", &mut report, &mut shots)?;
    for (page, name) in [
        (Page::Notices, "notices"),
        (Page::Guides, "guides"),
        (Page::Disclosure, "disclosure"),
        (Page::Interaction, "interaction"),
        (Page::Venues, "venues"),
    ] {
        app_state.invoke_home();
        app_state.invoke_navigate(page);
        stop(emulator, catalog, name, &mut report, &mut shots)?;
    }
    for id in item_ids(catalog, now) {
        app_state.invoke_home();
        app_state.invoke_open_item(id.as_str().into());
        stop(emulator, catalog, &id, &mut report, &mut shots)?;
        let tables = ui.global::<Content>().get_tables().row_count();
        if app_state.get_page() == Page::Detail {
            for table in 0..tables {
                ui.global::<Content>().invoke_open_table_view(table as i32);
                let name = format!("{id}.table-{}", table + 1);
                stop(emulator, catalog, &name, &mut report, &mut shots)?;
                back(emulator);
            }
        }
    }
    search_every_item(emulator, catalog, now, &mut report, &mut shots)?;
    attract_slides(emulator, catalog, &mut report)?;
    app_state.invoke_home();
    emulator.render();
    report.shots = shots.written;
    Ok(report)
}

/// Types every item's title into search and follows its hit.
fn search_every_item(
    emulator: &mut Emulator,
    catalog: &Catalog,
    now: chrono::DateTime<chrono::Utc>,
    report: &mut TourReport,
    shots: &mut Shots,
) -> Result<(), EmulatorError> {
    let ui = emulator.ui().clone_strong();
    let search = ui.global::<SearchState>();
    // The kiosk's keyboard types letters, not characters: English titles
    // are typed as shown, Chinese ones as their simplified form (the form
    // the index keeps; pinyin for them is tested in tests/search.rs).
    let lang = match emulator.app().settings().lang {
        Lang::En => Lang::En,
        _ => Lang::ZhHans,
    };
    ui.global::<AppState>().invoke_home();
    ui.global::<AppState>().invoke_navigate(Page::Search);
    let mut first = true;
    for id in item_ids(catalog, now) {
        let Some(title) = catalog.item_title(&id).map(|t| t.text(lang).to_owned()) else {
            continue;
        };
        search.invoke_clear();
        search.invoke_type_text(title.as_str().into());
        emulator.render();
        if first {
            stop(emulator, catalog, "search", report, shots)?;
            first = false;
        }
        report.links += 1;
        let screen = format!("search `{title}`");
        let found = search
            .get_results()
            .iter()
            .any(|result| result.item.id.as_str() == id);
        let problem = if found {
            layout_check::check_link(
                emulator,
                catalog,
                (&screen, LinkScope::Page),
                &id,
                &mut back,
            )
        } else {
            Some(LayoutProblem::WrongTarget {
                screen: screen.clone(),
                link: format!("the hit for `{id}`"),
                opened: "nothing: the item is not among the hits".into(),
            })
        };
        report.problems.extend(problem);
    }
    search.invoke_clear();
    Ok(())
}

/// Starts the attract loop and taps each slide.
fn attract_slides(
    emulator: &mut Emulator,
    catalog: &Catalog,
    report: &mut TourReport,
) -> Result<(), EmulatorError> {
    let ui = emulator.ui().clone_strong();
    let app_state = ui.global::<AppState>();
    let slides = app_state.get_attract_slides().row_count();
    for slide in 0..slides {
        app_state.invoke_home();
        app_state.set_attract_active(true);
        emulator.advance(Duration::from_secs(1));
        // Slides change every 9 s: wait for slide `slide` (and keep the
        // idle countdown away: it would end the loop).
        for _ in 0..slide {
            emulator.advance(Duration::from_secs(9));
            app_state.set_idle_seconds(0);
        }
        let shown = layout_check::links(emulator, LinkScope::Attract);
        for (id, _) in shown {
            report.links += 1;
            let problem = layout_check::check_link(
                emulator,
                catalog,
                (&format!("attract slide {}", slide + 1), LinkScope::Attract),
                &id,
                &mut |_| {},
            );
            report.problems.extend(problem);
        }
        app_state.set_attract_active(false);
    }
    Ok(())
}
