//! What the window is sent while a release runs: a leaf module that the state (which holds the
//! window's log channel) and the release runner both use.

use shipdeck::release::Event;

#[derive(Clone, serde::Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum UiEvent {
    /// The run's steps before the first starts, so the window can show them all and how far
    /// along it is.
    Plan {
        steps: Vec<PlannedStep>,
        dry_run: bool,
    },
    Step {
        inner: Event,
    },
    /// The newest lines of a step since the last batch; `skipped` older ones were not sent
    /// (they are in the run's log file).
    Lines {
        id: String,
        lines: Vec<String>,
        skipped: u64,
    },
}

/// A step as the window lists it before it runs.
#[derive(Clone, serde::Serialize)]
pub struct PlannedStep {
    pub id: String,
    pub title: String,
}
