//! The state of one step of a run, shared by a release and a CloudKit deploy, the CLI's
//! output and the window's step cards.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    Done,
    Failed,
    /// Changes something: shown exactly, not run (dry-run).
    WouldRun,
    /// Cannot run here; `needs` says what a real run needs.
    Missing,
    Skipped,
    /// Stopped by blockers or an earlier failure.
    Blocked,
    Cancelled,
    /// For the user to do, outside Shipdeck (CloudKit Console's deploy).
    Manual,
}
