//! The Slint UI and the adapters between the content model and its globals.

pub mod admin_panel;
pub mod app;
pub mod banners;
pub mod clock;
pub mod explore;
pub mod fonts;
pub mod handwriting_pad;
pub mod image_cache;
pub mod images;
pub mod last_line;
pub mod long_text;
pub mod navigation;
pub mod pages;
pub mod present;
pub mod qr;
pub mod search_view;
pub mod session;
pub mod speech_mode;
pub mod spoken_page;
pub mod table_layout;
pub mod window;
pub mod words;

#[allow(missing_docs, clippy::all)]
mod generated {
    slint::include_modules!();
}

pub use generated::*;
