//! The urgent banner on Home and the attract loop's slides: computed from
//! the notices shown now, and again only when the content or the language
//! changed or a notice started or stopped being shown.

use std::cell::Cell;

use chrono::{DateTime, Utc};
use slint::{ComponentHandle, Model, ModelRc, VecModel};

use super::last_line::keep_last_two_together;
use super::pages::Freshness;
use super::{AppState, ItemLink, KioskWindow};
use crate::content::Lang;
use crate::content::model::{Catalog, Notice};

/// Shows the banners, remembering what they were computed from.
#[derive(Default)]
pub struct BannerAdapter {
    shown: Cell<Option<Freshness>>,
}

impl BannerAdapter {
    /// Shows the urgent notices and the attract slides of `catalog` at
    /// `now` in `lang`, unless what is shown still holds.
    pub fn show(
        &self,
        window: &KioskWindow,
        catalog: &Catalog,
        generation: u64,
        lang: Lang,
        now: DateTime<Utc>,
    ) {
        let local = catalog.local_time(now);
        if self
            .shown
            .get()
            .is_some_and(|shown| shown.holds(generation, lang, local))
        {
            return;
        }
        self.shown.set(Some(Freshness {
            generation,
            lang,
            at: local,
            next_change: catalog.next_notice_change(local),
        }));
        let link = |n: &Notice| ItemLink {
            id: n.id.as_str().into(),
            title: keep_last_two_together(n.meta.title.text(lang)).into(),
        };
        let app_state = window.global::<AppState>();
        let urgent: Vec<ItemLink> = catalog.urgent_notices(now).into_iter().map(link).collect();
        set_if_changed(&app_state.get_urgent(), urgent, |model| {
            app_state.set_urgent(model)
        });
        let slides: Vec<ItemLink> = catalog.attract_notices(now).into_iter().map(link).collect();
        set_if_changed(&app_state.get_attract_slides(), slides, |model| {
            app_state.set_attract_slides(model)
        });
    }
}

/// Sets a new model only when `rows` differ from what `shown` holds, so
/// an unchanged banner is neither rebuilt nor repainted.
fn set_if_changed<T: Clone + PartialEq + 'static>(
    shown: &ModelRc<T>,
    rows: Vec<T>,
    set: impl FnOnce(ModelRc<T>),
) {
    if !shown.iter().eq(rows.iter().cloned()) {
        set(ModelRc::new(VecModel::from(rows)));
    }
}
