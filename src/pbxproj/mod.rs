//! `project.pbxproj`: a lossless parser, the project model, and edits that touch only the
//! lines they must, in Xcode's own layout.

mod edit;
mod model;
mod parse;
pub mod scheme;

pub use edit::{add_configuration, project_level_lines, remove_setting, set_setting, set_setting_at_line, AddConfiguration, Edit};
pub use model::{normalize, Configuration, ConfigurationList, Embedded, Project, Resources, RunScript, Setting, SettingValue, Target, TargetHead};
pub use parse::{quote, Array, Dict, Document, Entry, Span, Value};
