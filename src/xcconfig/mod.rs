//! `.xcconfig` files: a lossless parser and editor, and a resolver.

mod edit;
mod parse;
mod resolve;
mod values;

pub use edit::encode_value;
pub use parse::{Assignment, Document, Line, LineKind};
pub use resolve::{glob, include_path, layer, resolve_file, resolve_file_with, resolve_levels, with_operators, Conditions, Diagnostic, DiagnosticKind, Level, LevelEntry, Resolved};
pub use values::{references, single_reference, SettingValue, Settings};
