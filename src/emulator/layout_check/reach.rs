//! The reach rule: every control of a screen comes inside the reach zone
//! ([`crate::reach`]) at some scroll position, so a visitor in front of the
//! panel can touch it: wholly, or (a tall card) a finger's height of it.

use std::collections::{BTreeMap, BTreeSet};

use super::super::{Element, Emulator};

/// A finger's height: the smallest touch target of the UI guide.
const FINGER_PX: f32 = 88.0;

/// A control across scroll steps: its label, left edge and width (its
/// height above the floor changes as the page scrolls; these do not).
type ControlKey = (String, i64, i64);

/// The controls of one screen seen while it is scrolled, and those that
/// came inside the reach zone.
#[derive(Debug, Default)]
pub(super) struct ReachWatch {
    seen: BTreeMap<ControlKey, String>,
    reached: BTreeSet<ControlKey>,
}

impl ReachWatch {
    /// Notes the controls on screen now.
    pub(super) fn look(&mut self, emulator: &Emulator) {
        let (top, bottom) = emulator.reach_zone();
        let (width, height) = emulator.size();
        let page_bottom = emulator.page_area().1;
        for control in emulator.elements().into_iter().filter(|e| {
            e.is_clickable()
                && e.width > 0.0
                && e.height > 0.0
                && e.x < width as f32
                && e.x + e.width > 0.0
                && e.y < height as f32
                && e.y + e.height > 0.0
        }) {
            let key = key(&control);
            // A control of the page is hidden below the page's bottom (under
            // the bars); one of the bars is not.
            let shown_to = if control.y < page_bottom {
                page_bottom
            } else {
                height as f32
            };
            let inside =
                (control.y + control.height).min(bottom).min(shown_to) - control.y.max(top);
            if inside >= control.height.min(FINGER_PX) - super::TOLERANCE {
                self.reached.insert(key.clone());
            }
            self.seen.entry(key).or_insert_with(|| describe(&control));
        }
    }

    /// The controls that never came inside the zone.
    pub(super) fn out_of_reach(self) -> Vec<String> {
        let ReachWatch { seen, reached } = self;
        seen.into_iter()
            .filter(|(key, _)| !reached.contains(key))
            .map(|(_, name)| name)
            .collect()
    }
}

fn key(control: &Element) -> ControlKey {
    let round = |v: f32| (v * 4.0).round() as i64;
    (
        control.label.clone(),
        round(control.x),
        round(control.width),
    )
}

fn describe(control: &Element) -> String {
    format!(
        "button `{}` [{:.0},{:.0} {:.0}×{:.0}]",
        control.label, control.x, control.y, control.width, control.height
    )
}
