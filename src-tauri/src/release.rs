//! Runs a release (or its dry-run) in the background and streams it to the window as
//! events: `release-event` (step started / finished, batches of log lines) and
//! `release-done` (the run record). The tray starts the same run.

use crate::error::IpcError;
use crate::state::AppState;
use shipdeck::release::{self, Credentials, Event, Options};
use shipdeck::workspace::Platform;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime};

#[derive(Clone, serde::Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
enum UiEvent {
    Step { inner: Event },
    Lines { id: String, lines: Vec<String> },
}

/// Starts a run unless one is going; returns at once.
pub fn start<R: Runtime>(app: &AppHandle<R>, path: PathBuf, dry_run: bool, platform: Option<String>, archive: bool) -> Result<(), IpcError> {
    let state = app.state::<AppState>();
    if state.release_running.swap(true, Ordering::SeqCst) {
        return Err(IpcError::new("busy", "a release is already running"));
    }
    state.release_cancel.store(false, Ordering::SeqCst);
    let app = app.clone();
    std::thread::spawn(move || {
        let result = run(&app, &path, dry_run, platform.as_deref(), archive);
        let state = app.state::<AppState>();
        state.release_running.store(false, Ordering::SeqCst);
        match result {
            Ok(record) => {
                let what = if record.dry_run { "Dry-run" } else { "Release" };
                let how = match record.outcome {
                    release::Outcome::Succeeded => "finished: uploaded",
                    release::Outcome::DryRunPassed => "passed",
                    release::Outcome::Failed => "failed",
                    release::Outcome::Blocked => "blocked",
                    release::Outcome::Cancelled => "cancelled",
                };
                crate::notify::show(&app, &format!("{what} {how}"), &format!("{} steps in {:.0} s", record.steps.len(), record.duration_ms as f64 / 1000.0));
                let _ = app.emit("release-done", &record);
            }
            Err(e) => {
                let _ = app.emit("release-error", &e);
            }
        }
        if let Some(tray) = app.tray_by_id("main") {
            let _ = tray.set_tooltip(Some("Shipdeck"));
        }
    });
    Ok(())
}

fn run<R: Runtime>(app: &AppHandle<R>, path: &std::path::Path, dry_run: bool, platform: Option<&str>, archive: bool) -> Result<release::RunRecord, IpcError> {
    let ws = shipdeck::Workspace::open(path)?;
    let platforms: Vec<Platform> = ws.config.targets.iter().map(|t| t.platform).filter(|p| platform.is_none_or(|want| want == "all" || p.as_str() == want)).collect();
    // The app's credentials come from the keychain (stored from the Release screen), then the environment.
    let (creds, keychain_note) = Credentials::for_app();
    if let Some(note) = &keychain_note {
        eprintln!("shipdeck: {note}; only the environment is used for App Store Connect credentials");
    }
    let build_dir = if dry_run {
        std::env::temp_dir().join(format!("shipdeck-app-dry-run-{}", std::process::id()))
    } else {
        shipdeck::fsutil::data_dir().join("builds").join(shipdeck::actions::fingerprint(ws.root.to_string_lossy().as_bytes()))
    };
    let plan = release::build(&ws, &Options { platforms, dry_run, archive, build_dir: build_dir.clone(), bump_build: false }, &creds);
    if let Some(tray) = app.tray_by_id("main") {
        let _ = tray.set_tooltip(Some(if dry_run { "Shipdeck: dry-run running" } else { "Shipdeck: release running" }));
    }
    let state = app.state::<AppState>();
    // Lines go to the window in batches, so a build log of a million lines stays smooth.
    let mut batch: Vec<String> = Vec::new();
    let mut batch_id = String::new();
    let mut last = Instant::now();
    let flush = |app: &AppHandle<R>, batch: &mut Vec<String>, id: &str| {
        if !batch.is_empty() {
            let _ = app.emit("release-event", UiEvent::Lines { id: id.to_string(), lines: std::mem::take(batch) });
        }
    };
    let record = release::execute(&ws, &plan, dry_run, archive, &creds, &state.release_cancel, &mut |e| match e {
        Event::Line { id, text, .. } => {
            batch_id.clone_from(id);
            batch.push(text.clone());
            if batch.len() >= 500 || last.elapsed() > Duration::from_millis(100) {
                flush(app, &mut batch, &batch_id);
                last = Instant::now();
            }
        }
        other => {
            flush(app, &mut batch, &batch_id);
            let _ = app.emit("release-event", UiEvent::Step { inner: other.clone() });
        }
    })?;
    if dry_run {
        let _ = std::fs::remove_dir_all(&build_dir);
    }
    Ok(record)
}
