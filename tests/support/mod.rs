//! Test support shared by the integration tests.
#![allow(dead_code)]

pub mod browser;
pub mod fault_server;
pub mod kioskctl;
pub mod mosquitto;
pub mod nginx;
pub mod process;
pub mod repo_fixture;
pub mod simulated_kiosk;
pub mod sync_counter;
pub mod wait;
