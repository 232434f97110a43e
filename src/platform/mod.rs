//! Integration with the board's operating system.

pub mod watchdog;
