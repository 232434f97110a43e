//! Handwriting: the search pad's recognizer (issue 20), apart from the
//! screen.
//!
//! - [`ink`]: what the visitor wrote ([`Ink`]: strokes of points in the
//!   pad's coordinates).
//! - [`zinnia`]: [`Zinnia`], Debian's `libzinnia` loaded at run time,
//!   [`Recognizer`] (the library with a model open) and [`probe`]; why the
//!   pad may be unavailable ([`Unavailable`]).
//! - [`candidates`]: [`Candidate`]s in the visitor's script (the model is
//!   simplified Chinese; zh-Hant visitors get the converter's traditional
//!   form).
//! - `recorded` (the `emulator` feature): recorded stroke sequences for
//!   the tests and the bench.
//!
//! The module imports only `crate::content` (for `Lang` and the
//! simplified↔traditional converter); it knows nothing of the UI.

pub mod candidates;
pub mod ink;
#[cfg(feature = "emulator")]
pub mod recorded;
pub mod zinnia;

pub use candidates::{Candidate, in_script};
pub use ink::{Ink, Point};
pub use zinnia::{
    DEFAULT_MODEL, LIBRARY, RecognitionError, Recognizer, Unavailable, Zinnia, probe,
};
