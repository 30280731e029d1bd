//! App Store Connect: its API (builds, processing) and the credentials to reach it. Below the
//! checks and the release, which both receive what they need from here.

pub mod asc;
pub mod credentials;

pub use credentials::Credentials;
