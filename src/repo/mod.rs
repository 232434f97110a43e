//! The content repository: the catalog as TUF targets, built and signed by
//! the publisher and verified by the kiosk.

pub mod layout;
