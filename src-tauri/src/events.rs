//! What the app tells the window unasked (a tray re-check's report, a release's progress): a
//! leaf module that the state (which holds the window's channel), the tray and the release
//! runner use.

use crate::error::IpcError;
use shipdeck::release::{Event, RunRecord};
use shipdeck::Report;

/// One message on the window's channel, `{event, payload}`, in the order things happened. The
/// page opens the channel once at start (the `subscribe` command). One channel instead of
/// Tauri's event listeners: each `listen` made the app's process run script of its own (6 MB
/// more resident, measured in docs/benchmarks.md), and a channel keeps a release's steps and
/// its log lines in one order.
#[derive(Clone, serde::Serialize)]
#[serde(tag = "event", content = "payload", rename_all = "kebab-case")]
pub enum ToWindow {
    /// Show this screen (the tray's "Dry-run" shows the release screen).
    ShowScreen(String),
    /// The report of a re-check the user asked for from the tray.
    Report(Box<Report>),
    CheckError(IpcError),
    ReleaseEvent(UiEvent),
    ReleaseDone(Box<RunRecord>),
    ReleaseError(IpcError),
    /// A folder (or an Xcode project, a shipdeck.toml...) dropped on the window: open it, as a
    /// Mac app opens what is dropped on it.
    Open(std::path::PathBuf),
}

/// What the window is told when something is dropped on it: the first path of a drop (the
/// engine finds the workspace folder of a project or file, `Workspace::open`).
pub fn dropped(event: &tauri::DragDropEvent) -> Option<ToWindow> {
    match event {
        tauri::DragDropEvent::Drop { paths, .. } => paths.first().cloned().map(ToWindow::Open),
        _ => None,
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The page (ui/api.js) dispatches on `event` and hands `payload` to the listener; the
    /// release screen dispatches its payload on its own `event` again.
    #[test]
    fn messages_reach_the_page_as_event_and_payload() {
        let shown = serde_json::to_value(ToWindow::ShowScreen("release".into())).unwrap();
        assert_eq!(shown, json!({ "event": "show-screen", "payload": "release" }));
        let plan = ToWindow::ReleaseEvent(UiEvent::Plan { steps: vec![PlannedStep { id: "archive-ios".into(), title: "Archive".into() }], dry_run: true });
        assert_eq!(serde_json::to_value(plan).unwrap(), json!({ "event": "release-event", "payload": { "event": "plan", "steps": [{ "id": "archive-ios", "title": "Archive" }], "dry_run": true } }));
        let err = serde_json::to_value(ToWindow::CheckError(IpcError::new(crate::error::Code::Io, "gone"))).unwrap();
        assert_eq!(err["event"], "check-error");
        assert_eq!(err["payload"]["message"], "gone");
    }

    #[test]
    fn a_drop_opens_its_first_path_and_hovering_does_nothing() {
        let at = tauri::PhysicalPosition::new(10.0, 10.0);
        let drop = tauri::DragDropEvent::Drop { paths: vec!["/Users/dev/Isometry".into(), "/tmp/other".into()], position: at };
        assert_eq!(serde_json::to_value(dropped(&drop)).unwrap(), json!({ "event": "open", "payload": "/Users/dev/Isometry" }));
        assert!(dropped(&tauri::DragDropEvent::Over { position: at }).is_none());
        assert!(dropped(&tauri::DragDropEvent::Drop { paths: vec![], position: at }).is_none());
    }
}
