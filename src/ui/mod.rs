//! The Slint UI and the adapters between the content model and its globals.

#[allow(missing_docs, clippy::all)]
mod generated {
    slint::include_modules!();
}

pub use generated::*;
