//! The app's commands: one-line forwards to the engine. Every command is declared in
//! build.rs (the app manifest) and granted in capabilities/default.json.

use crate::error::IpcError;
use crate::recent::Recent;
use crate::state::AppState;
use shipdeck::{Report, Workspace};
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};

/// The workspace to show at start: the command line, `SHIPDECK_WORKSPACE`, or the newest recent one.
#[tauri::command]
pub fn initial_workspace(state: State<'_, AppState>) -> Option<PathBuf> {
    state.initial.clone().or_else(|| state.recent.list().into_iter().next().map(|r| r.path))
}

/// Opens a workspace folder, runs every check, remembers it, and updates the tray.
#[tauri::command]
pub fn check_workspace<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: PathBuf) -> Result<Report, IpcError> {
    let report = check(&state, &path)?;
    crate::tray::show_report(&app, &report);
    Ok(report)
}

/// The engine part of `check_workspace`, without the UI side effects.
pub fn check(state: &AppState, path: &std::path::Path) -> Result<Report, IpcError> {
    let ws = Workspace::open(path)?;
    let report = shipdeck::checks::run(&ws);
    // Remembering is a convenience: a read-only data folder must not fail the check.
    let _ = state.recent.add(&ws.root, &ws.name());
    state.set_current(ws.root.clone());
    Ok(report)
}

#[tauri::command]
pub fn recent_workspaces(state: State<'_, AppState>) -> Vec<Recent> {
    state.recent.list()
}

#[tauri::command]
pub fn forget_workspace(state: State<'_, AppState>, path: PathBuf) -> Result<Vec<Recent>, IpcError> {
    state.recent.forget(&path).map_err(|e| IpcError::new("io", format!("{}: {e}", state.recent_file().display())))
}

/// Asks for a folder with the system's folder picker; `None` when cancelled.
#[tauri::command]
pub async fn pick_folder<R: Runtime>(app: AppHandle<R>) -> Result<Option<PathBuf>, IpcError> {
    use tauri_plugin_dialog::DialogExt;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title("Open a workspace folder").pick_folder(move |folder| {
        let _ = tx.send(folder);
    });
    let folder = rx.await.map_err(|_| IpcError::new("dialog", "the folder picker closed without an answer"))?;
    match folder {
        None => Ok(None),
        Some(f) => f.into_path().map(Some).map_err(|e| IpcError::new("dialog", e.to_string())),
    }
}

/// Called by the UI once its first render is on screen: logged for the start-up benchmark.
#[tauri::command]
pub fn first_paint(state: State<'_, AppState>) {
    eprintln!("shipdeck-app: first paint {} ms after start", state.started.elapsed().as_millis());
}
