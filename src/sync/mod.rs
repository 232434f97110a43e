//! Verified sync from the department's repository into the store.

pub mod transport;
