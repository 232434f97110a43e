//! The search page's handwriting pad: the ink the visitor writes, the
//! recognizer, and the candidates in the visitor's script.
//!
//! The recognizer (and with it the model's 26 MB, mapped by zinnia) is
//! open only while the visitor has chosen handwriting and the search page
//! shows; leaving the page or choosing the keyboard closes it
//! (`benches/handwriting.rs` measures both). The library is probed once,
//! on the first opening, and a missing library or model is shown on the
//! pad as [`Unavailable`]'s words.

use std::path::PathBuf;
use std::sync::Arc;

use slint::{ModelRc, SharedString, VecModel};

use super::SearchState;
use crate::content::Lang;
use crate::handwriting::{
    Candidate, DEFAULT_MODEL, Ink, Point, Recognizer, Unavailable, Zinnia, in_script, probe,
};

/// Candidates the pad offers (two rows of five).
pub const CANDIDATES: usize = 10;

/// The pad's state.
pub struct HandwritingPad {
    model: PathBuf,
    /// The visitor chose handwriting over the keyboard.
    chosen: bool,
    /// The library as probed on the first opening.
    zinnia: Option<Result<Arc<Zinnia>, Unavailable>>,
    recognizer: Option<Recognizer>,
    /// Why the last opening failed.
    unavailable: Option<Unavailable>,
    ink: Ink,
    /// As recognized (simplified); shown through [`in_script`].
    candidates: Vec<Candidate>,
}

impl Default for HandwritingPad {
    fn default() -> Self {
        HandwritingPad::new(PathBuf::from(DEFAULT_MODEL))
    }
}

impl HandwritingPad {
    /// A pad recognizing with the zinnia model at `model`, keyboard chosen.
    pub fn new(model: PathBuf) -> Self {
        HandwritingPad {
            model,
            chosen: false,
            zinnia: None,
            recognizer: None,
            unavailable: None,
            ink: Ink::default(),
            candidates: Vec::new(),
        }
    }

    /// Chooses handwriting (`true`) or the keyboard, on the search page
    /// (`on_search`) or not.
    pub fn choose(&mut self, handwriting: bool, on_search: bool) {
        self.chosen = handwriting;
        self.follow(on_search);
    }

    /// Whether the visitor chose handwriting.
    pub fn is_chosen(&self) -> bool {
        self.chosen
    }

    /// Whether the model is open.
    pub fn is_loaded(&self) -> bool {
        self.recognizer.is_some()
    }

    /// Opens the recognizer when handwriting is chosen and the search page
    /// shows, closes it (and wipes the ink) otherwise; whether that changed
    /// anything the pad shows.
    pub fn follow(&mut self, on_search: bool) -> bool {
        if !(self.chosen && on_search) {
            let changed = self.recognizer.is_some() || !self.ink.is_empty();
            self.recognizer = None;
            self.clear();
            return changed;
        }
        if self.recognizer.is_some() {
            return false;
        }
        let model = self.model.clone();
        let zinnia = self.zinnia.get_or_insert_with(|| probe(&model)).clone();
        match zinnia.and_then(|zinnia| Recognizer::open(zinnia, &model)) {
            Ok(recognizer) => {
                self.recognizer = Some(recognizer);
                self.unavailable = None;
            }
            Err(why) => {
                tracing::warn!("handwriting unavailable: {why}");
                self.unavailable = Some(why);
            }
        }
        true
    }

    /// A finger down at (`x`, `y`) on a pad `side` pixels square.
    pub fn begin(&mut self, x: f32, y: f32, side: f32) {
        if self.ink.width() != side || self.ink.height() != side {
            self.ink = Ink::new(side, side);
        }
        self.ink.begin(Point { x, y });
    }

    /// The finger moved to (`x`, `y`).
    pub fn extend(&mut self, x: f32, y: f32) {
        self.ink.extend(Point { x, y });
    }

    /// The finger lifted: the ink so far is classified.
    pub fn end(&mut self) {
        let Some(recognizer) = self.recognizer.as_mut() else {
            return;
        };
        self.candidates = recognizer
            .classify(&self.ink, CANDIDATES)
            .unwrap_or_else(|error| {
                tracing::warn!("handwriting: {error}");
                Vec::new()
            });
    }

    /// Wipes the ink and the candidates.
    pub fn clear(&mut self) {
        self.ink.clear();
        self.candidates.clear();
    }

    /// The candidates as a visitor of `lang` reads them.
    pub fn candidates(&self, lang: Lang) -> Vec<String> {
        in_script(self.candidates.clone(), lang)
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    /// Shows the pad in the search page's global.
    pub fn show(&self, search: &SearchState, lang: Lang) {
        search.set_handwriting(self.chosen);
        let unavailable = self
            .unavailable
            .as_ref()
            .map_or_else(String::new, ToString::to_string);
        search.set_handwriting_unavailable(unavailable.into());
        search.set_ink(self.ink.path_commands().into());
        let candidates: Vec<SharedString> = self
            .candidates(lang)
            .into_iter()
            .map(SharedString::from)
            .collect();
        search.set_candidates(ModelRc::new(VecModel::from(candidates)));
    }

    /// Shows only the ink (while a finger moves).
    pub fn show_ink(&self, search: &SearchState) {
        search.set_ink(self.ink.path_commands().into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_is_open_only_while_chosen_on_the_search_page() {
        let mut pad = HandwritingPad::default();
        pad.choose(true, false);
        assert!(!pad.is_loaded());
        pad.choose(true, true);
        if pad.unavailable.is_some() {
            eprintln!("skipped: {:?}", pad.unavailable);
            return;
        }
        assert!(pad.is_loaded());
        pad.begin(50.0, 250.0, 500.0);
        pad.extend(450.0, 250.0);
        pad.end();
        assert_eq!(
            pad.candidates(Lang::ZhHans).first().map(String::as_str),
            Some("一")
        );
        pad.follow(false);
        assert!(!pad.is_loaded());
        assert!(
            pad.candidates(Lang::ZhHans).is_empty(),
            "leaving wipes the pad"
        );
        pad.follow(true);
        assert!(pad.is_loaded(), "coming back opens it again");
        pad.choose(false, true);
        assert!(!pad.is_loaded());
    }

    #[test]
    fn a_missing_model_is_said_on_the_pad() {
        let mut pad = HandwritingPad::new(PathBuf::from("/nonexistent/zh.model"));
        pad.choose(true, true);
        assert!(!pad.is_loaded());
        assert!(pad.unavailable.is_some());
    }
}
