//! Content: the model, the authoring format, cleaning and conversion, and
//! the embedded demo content. Nothing here depends on the UI.

pub mod authoring;
pub mod blocks;
pub mod clean;
pub mod convert;
pub mod demo;
pub mod model;
pub mod text;
pub mod time;

pub use model::Catalog;
pub use text::{Lang, Text};
