//! The CloudKit screen's deploy: a dry-run runs at once; a real deploy (it imports the schema
//! into the container's development environment) runs only with the token of the confirmation
//! the user accepted, as a real release does.

use crate::error::{Code, IpcError};
use crate::state::AppState;
use shipdeck::release::cloudkit::{self, Deploy, DeployConfirmation};
use shipdeck::Workspace;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, Runtime};

/// What the window shows before a real deploy, and the token that lets it run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConfirmView {
    pub token: String,
    #[serde(flatten)]
    pub confirmation: DeployConfirmation,
}

/// What a real deploy would change (nothing runs); its token is kept for [`deploy`].
pub fn confirm<R: Runtime>(app: &AppHandle<R>, path: &Path) -> Result<ConfirmView, IpcError> {
    let ws = Workspace::open(path)?;
    let confirmation = cloudkit::deploy_confirmation(&ws).ok_or_else(|| IpcError::new(Code::Usage, "no CloudKit schema file in this workspace: there is nothing to deploy"))?;
    let token = crate::state::one_time_token(&ws.root);
    if let Ok(mut p) = app.state::<AppState>().pending_cloudkit.lock() {
        *p = Some((token.clone(), ws.root.clone()));
    }
    Ok(ConfirmView { token, confirmation })
}

/// The user said Cancel: the token shown can no longer deploy.
pub fn decline<R: Runtime>(app: &AppHandle<R>) {
    if let Ok(mut p) = app.state::<AppState>().pending_cloudkit.lock() {
        *p = None;
    }
}

/// Runs the deploy, its dry-run, or the check after the console deploy (`after_console`, read
/// only). A real deploy needs the token of its confirmation, for the same workspace; the token
/// is used up either way.
pub fn deploy<R: Runtime>(app: &AppHandle<R>, path: PathBuf, dry_run: bool, after_console: bool, token: Option<&str>) -> Result<Deploy, IpcError> {
    let state = app.state::<AppState>();
    if !dry_run && !after_console {
        let pending = state.pending_cloudkit.lock().ok().and_then(|mut p| p.take());
        let root = path.canonicalize().unwrap_or_else(|_| path.clone());
        if !matches!((pending, token), (Some((t, w)), Some(given)) if t == given && w == root) {
            return Err(IpcError::new(Code::Unconfirmed, "a real CloudKit deploy runs only after its confirmation: press Deploy to development… and confirm what it will import"));
        }
    }
    state.cloudkit_cancel.store(false, std::sync::atomic::Ordering::SeqCst);
    let ws = Workspace::open(&path)?;
    Ok(cloudkit::run(&ws, dry_run, after_console, &state.cloudkit_cancel, &mut |_| {})?)
}
