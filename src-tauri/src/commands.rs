//! The app's commands: one-line forwards to the engine. Every command is declared in
//! build.rs (the app manifest) and granted in capabilities/default.json. Every command that
//! touches the disk, the keychain, the network or a process is `#[tauri::command(async)]`:
//! Tauri runs plain commands on the main thread, and the window would freeze while it waits.

use crate::error::{Code, IpcError};
use crate::recent::Recent;
use crate::state::AppState;
use shipdeck::{Report, Workspace};
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};

/// The workspace to show at start: the command line, `SHIPDECK_WORKSPACE`, or the newest recent one.
#[tauri::command(async)]
pub fn initial_workspace(state: State<'_, AppState>) -> Option<PathBuf> {
    state.initial_workspace()
}

/// Opens a workspace folder, runs every check, remembers it, and updates the tray.
#[tauri::command(async)]
pub fn check_workspace<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: PathBuf) -> Result<Report, IpcError> {
    let report = check(&state, &path)?;
    crate::tray::show_report(&app, &report);
    Ok(report)
}

/// The engine part of `check_workspace`, without the UI side effects.
pub fn check(state: &AppState, path: &std::path::Path) -> Result<Report, IpcError> {
    state.check(path, &shipdeck::checks::Context::resolve())
}

#[tauri::command(async)]
pub fn recent_workspaces(state: State<'_, AppState>) -> Vec<Recent> {
    state.recent.list()
}

#[tauri::command(async)]
pub fn forget_workspace(state: State<'_, AppState>, path: PathBuf) -> Result<Vec<Recent>, IpcError> {
    state.recent.forget(&path).map_err(|e| IpcError::new(Code::Io, format!("{}: {e}", state.recent_file().display())))
}

/// Asks for a folder with the system's folder picker; `None` when cancelled.
#[tauri::command]
pub async fn pick_folder<R: Runtime>(app: AppHandle<R>) -> Result<Option<PathBuf>, IpcError> {
    use tauri_plugin_dialog::DialogExt;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title("Open a workspace folder").pick_folder(move |folder| {
        let _ = tx.send(folder);
    });
    let folder = rx.await.map_err(|_| IpcError::new(Code::Dialog, "the folder picker closed without an answer"))?;
    match folder {
        None => Ok(None),
        Some(f) => f.into_path().map(Some).map_err(|e| IpcError::new(Code::Dialog, e.to_string())),
    }
}

/// Called by the UI once its first render is on screen: logged for the start-up benchmark,
/// with how long the page itself took (`page_ms`: since the page's navigation began).
#[tauri::command]
pub fn first_paint(state: State<'_, AppState>, page_ms: Option<f64>) {
    eprintln!("shipdeck-app: first paint {} ms after start (page {:.0} ms)", state.started.elapsed().as_millis(), page_ms.unwrap_or(-1.0));
}

/// Every shipping project: targets x configurations, with the xcconfig each is based on.
#[tauri::command(async)]
pub fn project_view(path: PathBuf) -> Result<Vec<shipdeck::view::project::ProjectView>, IpcError> {
    Ok(shipdeck::view::project::projects(&Workspace::open(&path)?)?)
}

/// Shows a file of the workspace in the user's editor (Xcode at the line, on a Mac): the
/// finding's or the setting's `file:line`.
#[tauri::command(async)]
pub fn open_location(path: PathBuf, file: String, line: Option<usize>) -> Result<(), IpcError> {
    let ws = Workspace::open(&path)?;
    let target = ws.inside(std::path::Path::new(&file))?;
    Ok(shipdeck::tools::spawn_detached(&shipdeck::tools::open_in_editor(&target, line))?)
}

/// The files a fix would change, with their diffs; nothing is written.
#[tauri::command(async)]
pub fn preview_fix(state: State<'_, AppState>, path: PathBuf, fix: shipdeck::Fix) -> Result<Preview, IpcError> {
    let ws = Workspace::open(&path)?;
    let changes = shipdeck::actions::preview_fix(&ws, &fix)?;
    Ok(Preview { token: state.keep_preview(ws.root.clone(), changes.clone()), changes })
}

/// A change set shown to the user, and the token that applies exactly it.
#[derive(serde::Serialize)]
pub struct Preview {
    pub token: String,
    pub changes: Vec<shipdeck::change::FileChange>,
}

/// Writes a change set this session previewed (by its token; refused when a file changed
/// since the preview or leads outside the workspace), then checks again.
#[tauri::command(async)]
pub fn apply_changes<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: PathBuf, token: String) -> Result<Report, IpcError> {
    let ws = Workspace::open(&path)?;
    let (root, changes) = state.take_preview(&token).ok_or_else(|| IpcError::new(Code::Invalid, "no such preview: preview the change again"))?;
    if root != ws.root {
        return Err(IpcError::new(Code::Invalid, "that preview was made for another workspace"));
    }
    shipdeck::change::apply_in(&ws, &changes)?;
    if let Ok(mut last) = state.last_applied.lock() {
        *last = Some((ws.root.clone(), changes.iter().map(|c| c.path.clone()).collect()));
    }
    check_workspace(app, state, path)
}

/// Undoes the change set applied last (every file it wrote, or none when one changed since),
/// then checks again.
#[tauri::command(async)]
pub fn undo_changes<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: PathBuf) -> Result<Report, IpcError> {
    let ws = Workspace::open(&path)?;
    let (root, files) = state.last_applied.lock().ok().and_then(|mut l| l.take()).ok_or_else(|| IpcError::new(Code::NothingToDo, "nothing to undo"))?;
    if root != ws.root {
        return Err(IpcError::new(Code::Invalid, "the last change was made in another workspace"));
    }
    if let Err(e) = shipdeck::change::undo_applied(&files) {
        // Still undoable later (after the newer change is dealt with).
        if let Ok(mut last) = state.last_applied.lock() {
            *last = Some((root, files));
        }
        return Err(e.into());
    }
    check_workspace(app, state, path)
}

/// What generating the workspace's project would run (XcodeGen, Tuist) and where, with the
/// token that lets exactly this run start; nothing is run.
#[tauri::command(async)]
pub fn generate_plan(state: State<'_, AppState>, path: PathBuf) -> Result<GeneratePlan, IpcError> {
    let ws = Workspace::open(&path)?;
    let plan = shipdeck::generate::plan(&ws)?;
    let token = crate::state::one_time_token(&ws.root);
    if let Ok(mut p) = state.pending_generate.lock() {
        *p = Some((token.clone(), ws.root.clone()));
    }
    Ok(GeneratePlan { tool: plan.tool.clone(), command: plan.command(), folder: shipdeck::generate::folder(&ws, &plan.dir), spec: ws.display_path(&plan.spec), token })
}

/// A generation shown to the user before it runs.
#[derive(serde::Serialize)]
pub struct GeneratePlan {
    pub tool: String,
    pub command: String,
    pub folder: String,
    pub spec: String,
    pub token: String,
}

/// Runs the generation the user confirmed (by its token), then checks again.
#[tauri::command(async)]
pub fn generate_project<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: PathBuf, token: String) -> Result<Report, IpcError> {
    let ws = Workspace::open(&path)?;
    let pending = state.pending_generate.lock().ok().and_then(|mut p| p.take());
    if pending.as_ref() != Some(&(token, ws.root.clone())) {
        return Err(IpcError::new(Code::Unconfirmed, "this generation was not confirmed: press Generate again"));
    }
    shipdeck::generate::run(&ws, &shipdeck::generate::plan(&ws)?, &shipdeck::fsutil::default_backups())?;
    check_workspace(app, state, path)
}

/// Moves what the last generation made aside (into Shipdeck's backups), then checks again.
#[tauri::command(async)]
pub fn generate_undo<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, path: PathBuf) -> Result<Report, IpcError> {
    shipdeck::generate::undo(&Workspace::open(&path)?, &shipdeck::fsutil::default_backups())?;
    check_workspace(app, state, path)
}

/// The effective settings of a platform's target, each with where it comes from.
#[tauri::command(async)]
pub fn xcconfig_view(path: PathBuf, platform: String) -> Result<shipdeck::view::settings::SettingsView, IpcError> {
    Ok(shipdeck::view::settings::settings(&Workspace::open(&path)?, &platform)?)
}

/// The change that sets `key` where its value comes from (`file`, `line`: an xcconfig or the
/// project file), or in the Production xcconfig for a new key; nothing is written.
#[tauri::command(async)]
pub fn xcconfig_preview(state: State<'_, AppState>, path: PathBuf, key: String, value: String, file: Option<String>, line: Option<usize>) -> Result<Option<Preview>, IpcError> {
    let ws = Workspace::open(&path)?;
    let target = match &file {
        // The window names a file of this workspace, nothing else.
        Some(f) => ws.inside(std::path::Path::new(f))?,
        None => ws.config.production_xcconfig.as_ref().map(|p| ws.path(p)).ok_or_else(|| IpcError::new(Code::Usage, "the workspace names no Production xcconfig"))?,
    };
    let change = shipdeck::change::setting_at(&ws, &target, line, &key, &value)?;
    Ok(change.map(|c| Preview { token: state.keep_preview(ws.root.clone(), vec![c.clone()]), changes: vec![c] }))
}

/// Puts back an xcconfig of this workspace as it was before its last save: the file the Build
/// settings screen's undo names, or the Production xcconfig.
#[tauri::command(async)]
pub fn xcconfig_undo(path: PathBuf, file: Option<String>) -> Result<String, IpcError> {
    let ws = Workspace::open(&path)?;
    let file = match &file {
        Some(f) => ws.inside(std::path::Path::new(f))?,
        None => ws.config.production_xcconfig.as_ref().map(|p| ws.path(p)).ok_or_else(|| IpcError::new(Code::Usage, "the workspace names no Production xcconfig"))?,
    };
    shipdeck::fsutil::restore_last(&file)?;
    Ok(ws.display_path(&file))
}

/// The CloudKit screen: every place naming the container, and the schema diff.
#[tauri::command(async)]
pub fn cloudkit_view(path: PathBuf) -> Result<shipdeck::view::cloudkit::CloudKitView, IpcError> {
    Ok(shipdeck::view::cloudkit::cloudkit(&Workspace::open(&path)?)?)
}

/// Runs the CloudKit deploy steps (a dry-run runs only what reads) on the release runner:
/// logged, cancellable (`cloudkit_cancel`), recorded with the past runs.
#[tauri::command]
pub async fn cloudkit_deploy<R: Runtime>(app: AppHandle<R>, path: PathBuf, dry_run: bool, confirm: bool, token: Option<String>) -> Result<shipdeck::release::cloudkit::Deploy, IpcError> {
    tauri::async_runtime::spawn_blocking(move || crate::cloudkit::deploy(&app, path, dry_run, confirm, token.as_deref())).await.map_err(|e| IpcError::new(Code::Internal, e.to_string()))?
}

/// What a real deploy would import, and the token that lets it run (nothing runs).
#[tauri::command(async)]
pub fn cloudkit_confirm<R: Runtime>(app: AppHandle<R>, path: PathBuf) -> Result<crate::cloudkit::ConfirmView, IpcError> {
    crate::cloudkit::confirm(&app, &path)
}

/// The user cancelled the deploy's confirmation.
#[tauri::command]
pub fn cloudkit_decline<R: Runtime>(app: AppHandle<R>) {
    crate::cloudkit::decline(&app)
}

/// Stops the running CloudKit deploy (its command's process group ends; the rest is skipped).
#[tauri::command]
pub fn cloudkit_cancel(state: State<'_, AppState>) {
    state.cloudkit_cancel.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Identities, intermediates and profiles as cards, and what signs each shipping target.
#[tauri::command(async)]
pub fn signing_view(path: PathBuf) -> Result<shipdeck::view::signing::SigningHealth, IpcError> {
    Ok(shipdeck::view::signing::health(&Workspace::open(&path)?, shipdeck::signing::now()))
}

/// Starts a release or its dry-run; progress arrives as `release-event`, the end as `release-done`.
/// A real release starts only with the token of the confirmation the user accepted.
#[tauri::command(async)]
pub fn release_start<R: Runtime>(app: AppHandle<R>, path: PathBuf, dry_run: bool, platform: Option<String>, archive: bool, bump_build: Option<bool>, token: Option<String>) -> Result<(), IpcError> {
    crate::release::start(&app, path, crate::release::Ask { dry_run, platform, archive, bump_build: bump_build.unwrap_or(false) }, token.as_deref())
}

/// What a real release will do (versions, platforms, destination, commands), and its token.
#[tauri::command]
pub async fn release_confirm<R: Runtime>(app: AppHandle<R>, path: PathBuf, platform: Option<String>, bump_build: Option<bool>) -> Result<crate::release::ConfirmView, IpcError> {
    crate::release::confirm(&app, path, crate::release::Ask { platform, bump_build: bump_build.unwrap_or(false), ..Default::default() })
}

/// The user declined the confirmation: its token can no longer start a run.
#[tauri::command]
pub fn release_decline<R: Runtime>(app: AppHandle<R>) {
    crate::release::decline(&app)
}

/// The window's channel for what the app tells it unasked (a tray re-check, a release's progress).
#[tauri::command]
pub fn subscribe(state: State<'_, AppState>, channel: tauri::ipc::Channel<crate::events::ToWindow>) {
    state.subscribe(channel)
}

/// Cancels the running release: its step's whole process tree ends.
#[tauri::command]
pub fn release_cancel(state: State<'_, AppState>) {
    state.release_cancel.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Past runs of this workspace, newest first.
#[tauri::command(async)]
pub fn release_runs(path: PathBuf) -> Result<Vec<shipdeck::release::RunRecord>, IpcError> {
    Ok(shipdeck::release::list_runs_of(&Workspace::open(&path)?.root).into_iter().take(20).collect())
}

/// The end of a past run's log, or its last lines containing `filter` (searched in the whole file).
#[tauri::command(async)]
pub fn release_log(id: String, filter: Option<String>) -> Result<LogView, IpcError> {
    let run = shipdeck::release::list_runs().into_iter().find(|r| r.id == id).ok_or_else(|| IpcError::new(Code::NotFound, format!("no run {id}")))?;
    let (lines, total) = shipdeck::release::record::log_tail(&run, filter.as_deref(), LOG_VIEW_LINES).map_err(|e| IpcError::new(Code::Io, format!("{}: {e}", run.log.display())))?;
    Ok(LogView { lines, total, path: run.log })
}

/// The most lines of a past run's log the window gets: its end (a log can be millions of lines).
const LOG_VIEW_LINES: usize = 5000;

#[derive(serde::Serialize)]
pub struct LogView {
    /// The last lines (those containing the filter, when one is given).
    pub lines: Vec<String>,
    /// How many lines the whole log has.
    pub total: u64,
    pub path: PathBuf,
}

#[derive(serde::Serialize)]
pub struct StaleProfile {
    pub name: String,
    pub path: PathBuf,
    pub why: String,
}

#[derive(serde::Serialize)]
pub struct CleanupView {
    /// What a clean-up would move aside now, and why.
    pub stale: Vec<StaleProfile>,
    /// Where it would go.
    pub into: PathBuf,
    /// The last clean-up that can be put back, if any.
    pub last: Option<PathBuf>,
}

fn stale_profiles(ws: &Workspace) -> Vec<StaleProfile> {
    use shipdeck::signing::profile;
    let dirs = ws.profile_dirs();
    let (profiles, _) = profile::scan(&profile::folders(&dirs));
    profile::stale(&profiles, shipdeck::signing::now()).into_iter().map(|(p, why)| StaleProfile { name: p.name.clone(), path: p.path.clone(), why }).collect()
}

/// The clean-up's preview: expired and superseded profiles, and where they would go.
#[tauri::command(async)]
pub fn profiles_cleanup_preview(state: State<'_, AppState>, path: PathBuf) -> Result<CleanupView, IpcError> {
    let ws = Workspace::open(&path)?;
    let root = state.cleanup_root();
    Ok(CleanupView { stale: stale_profiles(&ws), into: root.clone(), last: shipdeck::signing::profile::last_cleanup(&root) })
}

#[derive(serde::Serialize)]
pub struct CleanupDone {
    pub moved: usize,
    pub folder: PathBuf,
    /// Files of the preview that are no longer stale (or no longer there): left in place.
    pub left: Vec<PathBuf>,
}

/// Moves the previewed profiles aside. Only files that are still stale now are moved: the
/// window names what it saw, the engine decides again.
#[tauri::command(async)]
pub fn profiles_cleanup(state: State<'_, AppState>, path: PathBuf, files: Vec<PathBuf>) -> Result<CleanupDone, IpcError> {
    let ws = Workspace::open(&path)?;
    let stale: Vec<PathBuf> = stale_profiles(&ws).into_iter().map(|p| p.path).collect();
    let (go, left): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|f| stale.contains(f));
    if go.is_empty() {
        return Err(IpcError::new(Code::NothingToDo, "none of these profiles is expired or superseded now; nothing was moved"));
    }
    let folder = shipdeck::signing::profile::cleanup_folder(&state.cleanup_root())?;
    let moved = shipdeck::signing::profile::move_aside(&go, &folder)?;
    Ok(CleanupDone { moved: moved.len(), folder, left })
}

/// Puts the last clean-up back.
#[tauri::command(async)]
pub fn profiles_restore(state: State<'_, AppState>) -> Result<Vec<PathBuf>, IpcError> {
    let root = state.cleanup_root();
    let last = shipdeck::signing::profile::last_cleanup(&root).ok_or_else(|| IpcError::new(Code::NothingToDo, format!("no clean-up to restore in {}", root.display())))?;
    Ok(shipdeck::signing::profile::restore(&last)?)
}
