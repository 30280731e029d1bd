//! The app's commands: one-line forwards to the engine. Every command is declared in
//! build.rs (the app manifest) and granted in capabilities/default.json. Every command that
//! touches the disk, the keychain, the network or a process is `#[tauri::command(async)]`:
//! Tauri runs plain commands on the main thread, and the window would freeze while it waits.

use crate::error::IpcError;
use crate::recent::Recent;
use crate::state::AppState;
use shipdeck::{Report, Workspace};
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};

/// The workspace to show at start: the command line, `SHIPDECK_WORKSPACE`, or the newest recent one.
#[tauri::command(async)]
pub fn initial_workspace(state: State<'_, AppState>) -> Option<PathBuf> {
    state.initial.clone().or_else(|| state.recent.list().into_iter().next().map(|r| r.path))
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

/// One configuration list of a project, as the Project screen shows it.
#[derive(serde::Serialize)]
pub struct ListView {
    pub owner: String,
    pub platform: Option<String>,
    pub configurations: Vec<ConfigView>,
}

#[derive(serde::Serialize)]
pub struct ConfigView {
    pub name: String,
    pub base_xcconfig: Option<String>,
    pub line: usize,
}

#[derive(serde::Serialize)]
pub struct ProjectView {
    pub project: String,
    pub release: String,
    pub lists: Vec<ListView>,
}

/// Every shipping project: targets x configurations, with the xcconfig each is based on.
#[tauri::command(async)]
pub fn project_view(path: PathBuf) -> Result<Vec<ProjectView>, IpcError> {
    let ws = Workspace::open(&path)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for t in &ws.config.targets {
        let xcodeproj = ws.path(&t.project);
        if !seen.insert(xcodeproj.clone()) {
            continue;
        }
        let doc = shipdeck::pbxproj::Document::read(&xcodeproj.join("project.pbxproj"))?;
        let p = shipdeck::pbxproj::Project::new(&doc, &xcodeproj)?;
        let platforms: std::collections::HashMap<String, Option<String>> = p.targets().into_iter().map(|t| (t.configurations.id.clone(), t.platform)).collect();
        let lists = p
            .all_lists()
            .into_iter()
            .map(|l| ListView {
                platform: platforms.get(&l.id).cloned().flatten(),
                configurations: l.configurations.iter().map(|c| ConfigView { name: c.name.clone(), base_xcconfig: c.base_xcconfig.as_ref().map(|b| ws.display_path(b)), line: c.line }).collect(),
                owner: l.owner,
            })
            .collect();
        out.push(ProjectView { project: ws.display_path(&xcodeproj), release: ws.configuration().to_string(), lists });
    }
    Ok(out)
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
    let (root, changes) = state.take_preview(&token).ok_or_else(|| IpcError::new("invalid", "no such preview: preview the change again"))?;
    if root != ws.root {
        return Err(IpcError::new("invalid", "that preview was made for another workspace"));
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
    let (root, files) = state.last_applied.lock().ok().and_then(|mut l| l.take()).ok_or_else(|| IpcError::new("nothing-to-do", "nothing to undo"))?;
    if root != ws.root {
        return Err(IpcError::new("invalid", "the last change was made in another workspace"));
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

/// One effective build setting of a shipping target, for the build settings editor.
#[derive(serde::Serialize)]
pub struct SettingView {
    pub name: String,
    pub value: String,
    pub raw: String,
    pub file: String,
    pub line: usize,
    /// Set in an xcconfig (editable here), not in the project file or built in.
    pub editable: bool,
}

#[derive(serde::Serialize)]
pub struct XcconfigView {
    pub platform: String,
    pub file: Option<String>,
    pub can_undo: bool,
    pub settings: Vec<SettingView>,
}

fn target_for<'a>(ws: &'a Workspace, platform: &str) -> Result<&'a shipdeck::workspace::TargetConfig, IpcError> {
    ws.config.targets.iter().find(|t| t.platform.as_str() == platform).ok_or_else(|| IpcError::new("usage", format!("no {platform} target in this workspace")))
}

/// The effective settings of a platform's target, each with where it comes from.
#[tauri::command(async)]
pub fn xcconfig_view(path: PathBuf, platform: String) -> Result<XcconfigView, IpcError> {
    let ws = Workspace::open(&path)?;
    let t = target_for(&ws, &platform)?;
    let settings = shipdeck::settings::target_settings(&ws, t)?;
    let file = ws.config.production_xcconfig.as_ref().map(|p| ws.path(p));
    Ok(XcconfigView {
        platform,
        can_undo: file.as_ref().is_some_and(|f| shipdeck::fsutil::last_backup(&shipdeck::fsutil::default_backups(), f).is_some()),
        file: file.as_ref().map(|f| ws.display_path(f)),
        settings: settings
            .values
            .into_iter()
            .map(|(name, v)| SettingView {
                editable: v.line > 0 && v.file.extension().is_some_and(|e| e == "xcconfig"),
                file: ws.display_path(&v.file),
                line: v.line,
                value: v.value,
                raw: v.raw,
                name,
            })
            .collect(),
    })
}

/// The change that sets `key` where its value comes from (`file`, `line`), or in the
/// Production xcconfig for a new key; nothing is written.
#[tauri::command(async)]
pub fn xcconfig_preview(state: State<'_, AppState>, path: PathBuf, key: String, value: String, file: Option<String>, line: Option<usize>) -> Result<Option<Preview>, IpcError> {
    let ws = Workspace::open(&path)?;
    let target = match &file {
        // The window names a file of this workspace, nothing else.
        Some(f) => ws.inside(std::path::Path::new(f))?,
        None => ws.config.production_xcconfig.as_ref().map(|p| ws.path(p)).ok_or_else(|| IpcError::new("usage", "the workspace names no Production xcconfig"))?,
    };
    // Keep the conditions of the assignment being edited ([sdk=iphoneos*] stays).
    let conditions = match line {
        Some(n) => {
            let text = std::fs::read_to_string(&target).map_err(|e| IpcError::from(shipdeck::Error::io(&target, &e)))?;
            let doc = shipdeck::xcconfig::Document::parse(&text);
            let found = doc.assignments().find(|(l, a)| l.number == n && a.name == key).map(|(_, a)| a.conditions.clone());
            found.unwrap_or_default()
        }
        None => vec![],
    };
    let change = shipdeck::change::xcconfig_set(&target, &key, &conditions, &value, &ws.display_path(&target))?;
    Ok(change.map(|c| Preview { token: state.keep_preview(ws.root.clone(), vec![c.clone()]), changes: vec![c] }))
}

/// Puts back the Production xcconfig as it was before the last save.
#[tauri::command(async)]
pub fn xcconfig_undo(path: PathBuf) -> Result<String, IpcError> {
    let ws = Workspace::open(&path)?;
    let file = ws.config.production_xcconfig.as_ref().map(|p| ws.path(p)).ok_or_else(|| IpcError::new("usage", "the workspace names no Production xcconfig"))?;
    shipdeck::fsutil::restore_last(&file)?;
    Ok(ws.display_path(&file))
}

/// The CloudKit screen: every place naming the container, and the schema against the last
/// production export (when there is one).
#[derive(serde::Serialize)]
pub struct CloudKitView {
    pub container: Option<String>,
    pub places: Vec<shipdeck::cloudkit::alignment::Place>,
    pub distinct: Vec<String>,
    pub schema: Option<String>,
    /// Compared with `.shipdeck/cloudkit/production.ckdb`, the last production export.
    pub production_snapshot: bool,
    pub changes: Vec<shipdeck::cloudkit::Change>,
}

#[tauri::command(async)]
pub fn cloudkit_view(path: PathBuf) -> Result<CloudKitView, IpcError> {
    let ws = Workspace::open(&path)?;
    let places: Vec<_> = shipdeck::cloudkit::alignment::places(&ws)
        .into_iter()
        .map(|mut p| {
            p.file = PathBuf::from(ws.display_path(&p.file));
            p
        })
        .collect();
    let schema = ws.config.cloudkit.as_ref().and_then(|c| c.schema.as_ref()).map(|s| ws.path(s));
    let snapshot = ws.root.join(shipdeck::checks::cloudkit::PRODUCTION_SNAPSHOT);
    let changes = match (&schema, snapshot.is_file()) {
        (Some(s), true) => {
            let local = shipdeck::cloudkit::Schema::read(s)?;
            let prod = shipdeck::cloudkit::Schema::read(&snapshot)?;
            shipdeck::cloudkit::diff(&prod, &local)
        }
        _ => vec![],
    };
    Ok(CloudKitView {
        container: ws.config.cloudkit.as_ref().map(|c| c.container.clone()),
        distinct: shipdeck::cloudkit::alignment::distinct(&places),
        places,
        schema: schema.as_ref().map(|s| ws.display_path(s)),
        production_snapshot: snapshot.is_file(),
        changes,
    })
}

/// Runs the CloudKit deploy steps (a dry-run runs only what reads).
#[tauri::command]
pub async fn cloudkit_deploy(path: PathBuf, dry_run: bool, confirm: bool) -> Result<shipdeck::cloudkit::deploy::Deploy, IpcError> {
    tauri::async_runtime::spawn_blocking(move || {
        let ws = Workspace::open(&path)?;
        Ok(shipdeck::cloudkit::deploy::run(&ws, dry_run, confirm))
    })
    .await
    .map_err(|e| IpcError::new("internal", e.to_string()))?
}

/// One card of the Signing screen.
#[derive(serde::Serialize)]
pub struct SigningCard {
    pub name: String,
    pub detail: String,
    /// ok, warning or blocker.
    pub state: &'static str,
    pub days_left: i64,
    pub note: String,
}

#[derive(serde::Serialize)]
pub struct SigningView {
    pub identities: Vec<SigningCard>,
    pub profiles: Vec<SigningCard>,
    pub problems: Vec<String>,
}

/// Identities and profiles with a green / amber / red state and days left.
#[tauri::command(async)]
pub fn signing_view(path: PathBuf) -> Result<SigningView, IpcError> {
    use shipdeck::signing::{identity, profile};
    let ws = Workspace::open(&path)?;
    let now = shipdeck::signing::now();
    let warn = ws.config.signing.expiring_days;
    let scan = identity::scan(&ws, &ws.config.signing.sources);
    let state = |days: i64, usable: bool, warn: i64| {
        if days < 0 || !usable {
            "blocker"
        } else if days <= warn {
            "warning"
        } else {
            "ok"
        }
    };
    let mut identities: Vec<SigningCard> = scan
        .identities
        .iter()
        .map(|i| {
            let c = &i.certificate;
            let days = c.days_left(now);
            let twins = scan.same_name_count(i, now);
            let issuer = if identity::is_distribution(c.kind) && days >= 0 { scan.issuer_problem(c, now) } else { None };
            let mut card = SigningCard {
                name: c.common_name.clone(),
                detail: format!("{} · team {} · SHA-1 {}", c.kind.label(), c.team_id.as_deref().unwrap_or("?"), &c.sha1[..12.min(c.sha1.len())]),
                state: state(days, i.has_private_key, warn),
                days_left: days,
                note: if days < 0 {
                    "expired".into()
                } else if !i.has_private_key {
                    "no private key".into()
                } else {
                    String::new()
                },
            };
            if twins > 0 {
                card.state = "blocker";
                card.note = format!("ambiguous: {} valid identities share this name", twins + 1);
            } else if let Some(problem) = issuer {
                card.state = "blocker";
                card.note = problem;
            }
            card
        })
        .chain(scan.intermediates.iter().map(|c| {
            let generation = c.generation().map(|g| format!(" · {g}")).unwrap_or_default();
            let days = c.days_left(now);
            // An expired intermediate that issued none of these identities is harmless.
            let harmless = !c.valid_at(now) && !scan.issues_any(c);
            SigningCard {
                name: c.common_name.clone(),
                detail: format!("WWDR intermediate{generation}"),
                state: if harmless { "warning" } else { state(days, true, 0) },
                days_left: days,
                note: if harmless {
                    "expired · issues none of these identities".into()
                } else if days < 0 {
                    "expired".into()
                } else {
                    String::new()
                },
            }
        }))
        .collect();
    identities.sort_by_key(|c| c.days_left);
    let extra = ws.profile_dirs();
    let (profiles, bad) = profile::scan(&profile::folders(&extra));
    let pwarn = ws.config.signing.profile_expiring_days.unwrap_or(warn);
    let mut profiles: Vec<SigningCard> = profiles
        .iter()
        .map(|p| {
            let days = p.days_left(now);
            SigningCard {
                name: p.name.clone(),
                detail: format!("{} · {} · {}", p.kind.label(), p.bundle_id.as_deref().unwrap_or("?"), p.platforms.join(", ")),
                state: state(days, true, pwarn),
                days_left: days,
                note: if days < 0 { "expired".into() } else { String::new() },
            }
        })
        .collect();
    profiles.sort_by_key(|c| c.days_left);
    let problems = scan.unavailable.iter().chain(&scan.unreadable).map(|u| format!("{}: {}", u.item, u.message)).chain(bad.iter().map(|(p, m)| format!("{}: {m}", ws.display_path(p)))).collect();
    Ok(SigningView { identities, profiles, problems })
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

/// The window's channel for release log lines (set once at start; replaces an earlier one).
#[tauri::command]
pub fn release_log_channel(state: State<'_, AppState>, channel: tauri::ipc::Channel<crate::events::UiEvent>) {
    if let Ok(mut c) = state.log_channel.lock() {
        *c = Some(channel);
    }
}

/// Cancels the running release: its step's whole process tree ends.
#[tauri::command]
pub fn release_cancel(state: State<'_, AppState>) {
    state.release_cancel.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Past runs of this workspace, newest first.
#[tauri::command(async)]
pub fn release_runs(path: PathBuf) -> Result<Vec<shipdeck::release::RunRecord>, IpcError> {
    let root = Workspace::open(&path)?.root;
    Ok(shipdeck::release::list_runs().into_iter().filter(|r| r.workspace == root).take(20).collect())
}

/// The end of a past run's log, or its last lines containing `filter` (searched in the whole file).
#[tauri::command(async)]
pub fn release_log(id: String, filter: Option<String>) -> Result<LogView, IpcError> {
    let run = shipdeck::release::list_runs().into_iter().find(|r| r.id == id).ok_or_else(|| IpcError::new("not-found", format!("no run {id}")))?;
    let (lines, total) = shipdeck::release::run::log_tail(&run, filter.as_deref(), LOG_VIEW_LINES).map_err(|e| IpcError::new("io", format!("{}: {e}", run.log.display())))?;
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
        return Err(IpcError::new("nothing-to-do", "none of these profiles is expired or superseded now; nothing was moved"));
    }
    let folder = shipdeck::signing::profile::cleanup_folder(&state.cleanup_root())?;
    let moved = shipdeck::signing::profile::move_aside(&go, &folder)?;
    Ok(CleanupDone { moved: moved.len(), folder, left })
}

/// Puts the last clean-up back.
#[tauri::command(async)]
pub fn profiles_restore(state: State<'_, AppState>) -> Result<Vec<PathBuf>, IpcError> {
    let root = state.cleanup_root();
    let last = shipdeck::signing::profile::last_cleanup(&root).ok_or_else(|| IpcError::new("nothing-to-do", format!("no clean-up to restore in {}", root.display())))?;
    Ok(shipdeck::signing::profile::restore(&last)?)
}
