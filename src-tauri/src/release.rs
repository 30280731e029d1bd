//! Runs a release (or its dry-run) in the background and streams it to the window's channel:
//! `release-event` (the plan, step started / finished, batches of log lines) and
//! `release-done` (the run record). The tray starts the same run.

use crate::error::{Code, IpcError};
pub use crate::events::{ToWindow, UiEvent};
use crate::state::AppState;
use shipdeck::appstore::Credentials;
use shipdeck::release::{self, Event, Options};
use shipdeck::workspace::Platform;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager, Runtime};

/// How often lines go to the window, and the most one batch carries: the window shows the
/// end of the log, so a flood of output costs it at most this many lines ten times a second.
const BATCH_EVERY: Duration = Duration::from_millis(100);
const BATCH_MAX: usize = 2000;

/// Collects a step's lines between two batches, keeping only the newest `BATCH_MAX`.
#[derive(Default)]
pub struct LogBatcher {
    id: String,
    lines: std::collections::VecDeque<String>,
    skipped: u64,
    since: Option<Instant>,
}

impl LogBatcher {
    /// Adds a line; returns the batches due now (the previous step's first when the step changes).
    fn push(&mut self, id: &str, line: &str, now: Instant) -> Vec<UiEvent> {
        let mut out = Vec::new();
        if id != self.id {
            out.extend(self.take());
            self.id = id.to_string();
        }
        if self.lines.len() == BATCH_MAX {
            self.lines.pop_front();
            self.skipped += 1;
        }
        self.lines.push_back(line.to_string());
        let since = *self.since.get_or_insert(now);
        if now.duration_since(since) >= BATCH_EVERY {
            out.extend(self.take());
        }
        out
    }

    /// The batch, once its first line has waited `BATCH_EVERY`: a tool that prints a few lines
    /// and then goes quiet (a long link, code signing, an upload) has them shown all the same.
    fn due(&mut self, now: Instant) -> Option<UiEvent> {
        match self.since {
            Some(since) if now.duration_since(since) >= BATCH_EVERY => self.take(),
            _ => None,
        }
    }

    fn take(&mut self) -> Option<UiEvent> {
        self.since = None;
        if self.lines.is_empty() {
            return None;
        }
        let lines: Vec<String> = self.lines.drain(..).collect();
        Some(UiEvent::Lines { id: self.id.clone(), lines, skipped: std::mem::take(&mut self.skipped) })
    }
}

/// What the Release screen (or the tray) asks for.
#[derive(Debug, Clone, Default)]
pub struct Ask {
    pub dry_run: bool,
    /// ios, macos or all (None: all).
    pub platform: Option<String>,
    /// In a dry-run, archive too (into a temporary folder).
    pub archive: bool,
    /// Raise CURRENT_PROJECT_VERSION first (previewed in a dry-run).
    pub bump_build: bool,
}

/// What the window shows before a real release, and the token that lets that release start.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConfirmView {
    pub token: String,
    #[serde(flatten)]
    pub confirmation: release::Confirmation,
}

/// Builds the real release's plan (nothing runs) and keeps what was shown; `start` of a real
/// run needs the token it returns, once, for the same workspace and options.
pub fn confirm<R: Runtime>(app: &AppHandle<R>, path: PathBuf, ask: Ask) -> Result<ConfirmView, IpcError> {
    let ask = Ask { dry_run: false, archive: false, ..ask };
    let (ws, plan, creds) = prepare(&path, &ask)?;
    let confirmation = release::confirmation(&ws.name(), &plan, &creds);
    let token = crate::state::one_time_token(&ws.root);
    let pending = crate::state::PendingRelease { token: token.clone(), workspace: ws.root.clone(), platform: ask.platform.clone(), bump_build: ask.bump_build };
    if let Ok(mut p) = app.state::<AppState>().pending_release.lock() {
        *p = Some(pending);
    }
    Ok(ConfirmView { token, confirmation })
}

/// Drops the confirmation shown (the user said Cancel): its token can no longer start a run.
pub fn decline<R: Runtime>(app: &AppHandle<R>) {
    if let Ok(mut p) = app.state::<AppState>().pending_release.lock() {
        *p = None;
    }
}

/// A real run starts only with the token of the confirmation the user answered, for the same
/// workspace and options; the token is used up either way.
fn take_confirmation<R: Runtime>(app: &AppHandle<R>, path: &std::path::Path, ask: &Ask, token: Option<&str>) -> Result<(), IpcError> {
    let pending = app.state::<AppState>().pending_release.lock().ok().and_then(|mut p| p.take());
    let unconfirmed = || IpcError::new(Code::Unconfirmed, "a real release starts only after its confirmation: press Release… and confirm what it will do");
    let (Some(p), Some(token)) = (pending, token) else { return Err(unconfirmed()) };
    // The confirmation kept the workspace's canonical root; no need to read the workspace again.
    let root = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if p.token != token || p.workspace != root || p.platform != ask.platform || p.bump_build != ask.bump_build {
        return Err(unconfirmed());
    }
    Ok(())
}

/// Starts a run unless one is going; returns at once. A real run needs the token of its
/// confirmation (`confirm`).
pub fn start<R: Runtime>(app: &AppHandle<R>, path: PathBuf, ask: Ask, token: Option<&str>) -> Result<(), IpcError> {
    if !ask.dry_run {
        take_confirmation(app, &path, &ask, token)?;
    }
    let state = app.state::<AppState>();
    if state.release_running.swap(true, Ordering::SeqCst) {
        return Err(IpcError::new(Code::Busy, "a release is already running"));
    }
    state.release_cancel.store(false, Ordering::SeqCst);
    let app = app.clone();
    std::thread::spawn(move || {
        let result = run(&app, &path, &ask);
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
                    release::Outcome::Running | release::Outcome::Interrupted => "stopped",
                };
                crate::notify::show(&app, &format!("{what} {how}"), &format!("{} steps in {:.0} s", record.steps.len(), record.duration_ms as f64 / 1000.0));
                app.state::<AppState>().tell_window(ToWindow::ReleaseDone(Box::new(record)));
            }
            Err(e) => {
                app.state::<AppState>().tell_window(ToWindow::ReleaseError(e));
            }
        }
        crate::tray::show_run(&app, None);
    });
    Ok(())
}

/// The workspace, the plan and the credentials of a run as the window asks for it.
fn prepare(path: &std::path::Path, ask: &Ask) -> Result<(shipdeck::Workspace, release::Plan, Credentials), IpcError> {
    let (dry_run, platform, archive) = (ask.dry_run, ask.platform.as_deref(), ask.archive);
    let ws = shipdeck::Workspace::open(path)?;
    let platforms: Vec<Platform> = match platform.filter(|p| *p != "all") {
        None => ws.release_platforms(None),
        // A platform of no name Shipdeck knows: nothing.
        Some(p) => Platform::ALL.into_iter().find(|k| k.as_str() == p).map(|k| ws.release_platforms(Some(k))).unwrap_or_default(),
    };
    // The environment first, then the keychain (stored from the Release screen), as the CLI.
    let (creds, keychain_note) = Credentials::for_app();
    if let Some(note) = &keychain_note {
        eprintln!("shipdeck: {note}; only the environment is used for App Store Connect credentials");
    }
    let build_dir = release::plan::build_dir(&ws, dry_run)?;
    let plan = release::build(&ws, &Options { platforms, dry_run, archive, build_dir, bump_build: ask.bump_build, altool: None }, &creds);
    Ok((ws, plan, creds))
}

/// Sets its flag when dropped.
struct Finished<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn run<R: Runtime>(app: &AppHandle<R>, path: &std::path::Path, ask: &Ask) -> Result<release::RunRecord, IpcError> {
    let dry_run = ask.dry_run;
    let (ws, plan, creds) = prepare(path, ask)?;
    let build_dir = plan.build_dir.clone();
    let total = plan.steps.len();
    let mut step_no = 0;
    crate::tray::show_run(app, Some(&crate::tray::run_line(dry_run, 0, total, "starting")));
    let state = app.state::<AppState>();
    let state: &AppState = state.inner();
    // Lines go to the window in batches, so a build log of a million lines stays smooth; a
    // batch waits at most `BATCH_EVERY`, quiet tool or not (a second thread sends what is due).
    // The lock is held while sending, so lines and steps reach the window in order.
    let batcher = std::sync::Mutex::new(LogBatcher::default());
    let finished = std::sync::atomic::AtomicBool::new(false);
    let send = |b: UiEvent| state.tell_window(ToWindow::ReleaseEvent(b));
    send(UiEvent::Plan { steps: plan.steps.iter().map(|s| crate::events::PlannedStep { id: s.id.clone(), title: s.title.clone() }).collect(), dry_run });
    let record = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !finished.load(Ordering::SeqCst) {
                std::thread::sleep(BATCH_EVERY / 2);
                let mut b = batcher.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if let Some(due) = b.due(Instant::now()) {
                    send(due);
                }
            }
        });
        // The sender stops when the run ends, however it ends (a panic too: the scope would
        // otherwise wait for it forever).
        let _stop = Finished(&finished);
        release::execute(&ws, &plan, &creds, &state.release_cancel, &mut |e| {
            let mut b = batcher.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match e {
                Event::Line { id, text, .. } => {
                    for batch in b.push(id, text, Instant::now()) {
                        send(batch);
                    }
                }
                other => {
                    if let Some(batch) = b.take() {
                        send(batch);
                    }
                    if let Event::StepStarted { title, .. } = other {
                        step_no += 1;
                        crate::tray::show_run(app, Some(&crate::tray::run_line(dry_run, step_no, total, title)));
                    }
                    send(UiEvent::Step { inner: other.clone() });
                }
            }
        })
    })?;
    if dry_run {
        let _ = std::fs::remove_dir_all(&build_dir);
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(e: &UiEvent) -> (&str, &[String], u64) {
        match e {
            UiEvent::Lines { id, lines, skipped } => (id, lines, *skipped),
            _ => panic!("not a batch"),
        }
    }

    #[test]
    fn a_flood_sends_only_the_newest_lines_ten_times_a_second() {
        let mut b = LogBatcher::default();
        let t0 = Instant::now();
        let mut sent = Vec::new();
        // 10,000 lines within one interval: nothing is due until 100 ms have passed.
        for i in 0..10_000 {
            sent.extend(b.push("ios.archive", &format!("line {i}"), t0 + Duration::from_micros(i)));
        }
        assert!(sent.is_empty());
        sent.extend(b.push("ios.archive", "line 10000", t0 + BATCH_EVERY));
        assert_eq!(sent.len(), 1);
        let (id, lines, skipped) = lines_of(&sent[0]);
        assert_eq!((id, lines.len(), skipped), ("ios.archive", BATCH_MAX, 10_001 - BATCH_MAX as u64));
        assert_eq!(lines.first().map(String::as_str), Some("line 8001"));
        assert_eq!(lines.last().map(String::as_str), Some("line 10000"));
        assert!(b.take().is_none(), "nothing left after a batch");
    }

    #[test]
    fn lines_followed_by_silence_are_sent_when_due() {
        let mut b = LogBatcher::default();
        let t0 = Instant::now();
        assert!(b.push("ios.archive", "Ld IsometryiOS", t0).is_empty());
        assert!(b.due(t0 + BATCH_EVERY / 2).is_none(), "not yet");
        let batch = b.due(t0 + BATCH_EVERY).expect("due after BATCH_EVERY with no line after it");
        assert_eq!(lines_of(&batch), ("ios.archive", &["Ld IsometryiOS".to_string()][..], 0));
        assert!(b.due(t0 + BATCH_EVERY * 5).is_none(), "nothing twice");
    }

    #[test]
    fn a_new_step_sends_what_the_last_one_left_first() {
        let mut b = LogBatcher::default();
        let t0 = Instant::now();
        assert!(b.push("ios.archive", "last of archive", t0).is_empty());
        let out = b.push("ios.export", "first of export", t0 + Duration::from_millis(1));
        assert_eq!(out.len(), 1);
        assert_eq!(lines_of(&out[0]), ("ios.archive", &["last of archive".to_string()][..], 0));
        let rest = b.take().unwrap();
        assert_eq!(lines_of(&rest).0, "ios.export");
    }
}
