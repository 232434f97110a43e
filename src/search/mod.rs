//! Search with the kiosk's own keyboard: an index over every item the kiosk
//! shows, matched by Chinese characters (simplified and traditional alike),
//! full pinyin, pinyin initials, English words and prefixes, and digits;
//! ranked and highlighted. Nothing here depends on the UI.

pub mod index;
pub mod pinyin;
pub mod query;

pub use index::{FieldRank, Hit, ItemKind, MatchKind, Results, SearchIndex, Typing};
