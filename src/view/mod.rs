//! What the two faces show, computed once: each view is a function of the workspace (and the
//! keychain or the clock) returning plain data. The CLI prints it (text or `--json`), the app's
//! commands send it to the window unchanged, so both say the same thing in the same words.

pub mod cloudkit;
pub mod project;
pub mod secrets;
pub mod settings;
pub mod signing;
