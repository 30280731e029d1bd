//! The release: archive, export, upload, as one plan the CLI, the app and the tray run.

pub mod altool;
pub mod archive;
pub mod cloudkit;
pub mod confirm;
pub mod diagnose;
pub mod plan;
pub mod process;
pub mod record;
pub mod run;

pub use confirm::{confirmation, Confirmation};
pub use plan::{build, Effect, Options, Plan, PlannedBuild, Step};
pub use record::{list_runs, list_runs_in, list_runs_of, Event, Outcome, RunRecord, StepResult, StepState};
pub use run::execute;
