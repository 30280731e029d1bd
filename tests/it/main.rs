//! The engine's and the CLI's integration tests, one binary (one link) for all of them. Each
//! module is one area; `util` holds what they share (the sample workspace, running the CLI).
//! `tests/release_cancel.rs` stays a binary of its own: it sets the process's environment
//! (PATH with the fakes), which would leak into the tests here that run beside it.

mod util;

mod check;
mod ci;
mod cloudkit;
mod diagnose;
mod fix;
mod generate;
mod golden;
mod layers;
mod project;
mod release;
mod release_asc;
mod secrets;
mod signing;
mod xcconfig;
