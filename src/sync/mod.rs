//! Verified sync from the department's repository into the store.

pub mod content;
pub mod engine;
pub mod runner;
pub mod schedule;
pub mod transport;

pub use engine::{SyncEngine, SyncError, SyncOutcome, SyncSettings};
