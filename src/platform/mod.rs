//! Integration with the board's operating system.

pub mod display;
pub mod watchdog;
