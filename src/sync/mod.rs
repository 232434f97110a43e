//! Verified sync from the department's repository into the store.

pub mod client;
pub mod content;
pub mod engine;
pub mod error;
pub mod runner;
pub mod schedule;
pub mod transport;
mod trusted;

pub use client::{SyncSettings, TufClient};
pub use engine::{SyncEngine, SyncOutcome};
pub use error::SyncError;
