//! CloudKit: the schema language, schema diffs, the container id everywhere (the deploy runs
//! with the releases, in `release::cloudkit`).

pub mod alignment;
pub mod code;
pub mod diff;
pub mod schema;

pub use diff::{diff, Change, ChangeKind};
pub use schema::{Field, FieldType, RecordType, Schema};
