//! Shipdeck's engine: reads an Apple-platform workspace, checks that a release can ship,
//! and plans the release. No UI and no Tauri here; everything runs and is tested on Linux.

pub mod actions;
pub mod appstore;
pub mod change;
pub mod checks;
pub mod ci;
pub mod cloudkit;
pub mod discover;
pub mod error;
pub mod finding;
pub mod fsutil;
pub mod generate;
pub mod pbxproj;
pub mod plist_file;
pub mod release;
pub mod secrets;
pub mod settings;
pub mod signing;
pub mod step;
pub mod text;
pub mod tools;
pub mod tree;
pub mod view;
pub mod workspace;
pub mod xcconfig;

pub use error::{Error, Result};
pub use finding::{Finding, Fix, Report, Severity, Summary};
pub use workspace::Workspace;
