//! What the app keeps between commands.

use crate::events::ToWindow;
use crate::recent::RecentStore;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Instant;

pub struct AppState {
    /// The workspace given on the command line or in `SHIPDECK_WORKSPACE`.
    pub initial: Option<PathBuf>,
    pub recent: RecentStore,
    pub started: Instant,
    /// Set to stop the running release.
    pub release_cancel: AtomicBool,
    pub release_running: AtomicBool,
    /// Set to stop the running CloudKit deploy.
    pub cloudkit_cancel: AtomicBool,
    /// The window's channel for what the app tells it unasked (`tell_window`): large messages
    /// are fetched by the page instead of being evaluated as script.
    window: Mutex<Option<tauri::ipc::Channel<ToWindow>>>,
    /// The real release the user was last asked to confirm: only that one may start.
    pub pending_release: Mutex<Option<PendingRelease>>,
    /// The CloudKit import the user was last asked to confirm (its token, its workspace).
    pub pending_cloudkit: Mutex<Option<(String, PathBuf)>>,
    /// Change sets this session previewed, by token: the window can apply only these, never a
    /// path and content of its own.
    pub previews: Mutex<std::collections::HashMap<String, (PathBuf, Vec<shipdeck::change::FileChange>)>>,
    /// The change set applied last (its workspace and files), for the window's Undo.
    pub last_applied: Mutex<Option<(PathBuf, Vec<PathBuf>)>>,
    /// The project generation the user was last shown (its token, its workspace): only that one
    /// may run.
    pub pending_generate: Mutex<Option<(String, PathBuf)>>,
    current: Mutex<Option<PathBuf>>,
    data_dir: PathBuf,
}

/// A real release shown to the user for confirmation: the token the window must send back,
/// and what was shown (a start that asks for anything else is refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRelease {
    pub token: String,
    pub workspace: PathBuf,
    pub platform: Option<String>,
    pub bump_build: bool,
}

/// A token for one confirmation: unguessable by the page, never the same twice.
pub fn one_time_token(root: &std::path::Path) -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seed = format!("{:?} {} {} {}", std::time::SystemTime::now(), std::process::id(), COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst), root.display());
    shipdeck::change::fingerprint(seed.as_bytes())
}

impl AppState {
    pub fn new(initial: Option<PathBuf>, data_dir: PathBuf) -> Self {
        AppState {
            initial,
            recent: RecentStore::new(&data_dir),
            started: Instant::now(),
            release_cancel: AtomicBool::new(false),
            cloudkit_cancel: AtomicBool::new(false),
            release_running: AtomicBool::new(false),
            window: Mutex::new(None),
            pending_release: Mutex::new(None),
            pending_cloudkit: Mutex::new(None),
            previews: Mutex::new(std::collections::HashMap::new()),
            last_applied: Mutex::new(None),
            pending_generate: Mutex::new(None),
            current: Mutex::new(None),
            data_dir,
        }
    }

    /// The workspace to show at start: the command line, `SHIPDECK_WORKSPACE`, or the newest
    /// recent one still on disk (a folder moved or deleted since is skipped, not reopened into
    /// an error; it stays in the Recent menu until forgotten).
    pub fn initial_workspace(&self) -> Option<PathBuf> {
        self.initial.clone().or_else(|| self.recent.list().into_iter().map(|r| r.path).find(|p| p.is_dir()))
    }

    /// The window's channel (opened once by each page it loads; replaces an earlier one).
    pub fn subscribe(&self, channel: tauri::ipc::Channel<ToWindow>) {
        if let Ok(mut c) = self.window.lock() {
            *c = Some(channel);
        }
    }

    /// Tells the window; dropped when no page has subscribed yet (it asks when it loads).
    pub fn tell_window(&self, message: ToWindow) {
        let channel = self.window.lock().ok().and_then(|c| c.clone());
        if let Some(c) = channel {
            let _ = c.send(message);
        }
    }

    /// Keeps a previewed change set and returns the token that applies it.
    pub fn keep_preview(&self, workspace: PathBuf, changes: Vec<shipdeck::change::FileChange>) -> String {
        let token = random_token();
        if let Ok(mut p) = self.previews.lock() {
            // A session previews a handful: the oldest go first past 32.
            if p.len() >= 32 {
                p.clear();
            }
            p.insert(token.clone(), (workspace, changes));
        }
        token
    }

    /// The change set of a token, once.
    pub fn take_preview(&self, token: &str) -> Option<(PathBuf, Vec<shipdeck::change::FileChange>)> {
        self.previews.lock().ok()?.remove(token)
    }

    /// Opens a workspace, runs every check with what `cx` allows (App Store Connect or not),
    /// remembers it and makes it the current one.
    pub fn check(&self, path: &std::path::Path, cx: &shipdeck::checks::Context) -> Result<shipdeck::Report, crate::error::IpcError> {
        let ws = shipdeck::Workspace::open(path)?;
        let report = shipdeck::checks::run(&ws, cx);
        // Remembering is a convenience: a read-only data folder must not fail the check.
        let _ = self.recent.add(&ws.root, &ws.name());
        self.set_current(ws.root.clone());
        Ok(report)
    }

    /// The workspace the window shows now (re-checked by the tray and the timer).
    pub fn current(&self) -> Option<PathBuf> {
        self.current.lock().map(|c| c.clone()).unwrap_or(None)
    }

    pub fn set_current(&self, path: PathBuf) {
        if let Ok(mut c) = self.current.lock() {
            *c = Some(path);
        }
    }

    pub fn recent_file(&self) -> PathBuf {
        self.data_dir.join("recent.json")
    }

    /// Where profile clean-ups go (the CLI's `shipdeck profiles restore` finds them too).
    pub fn cleanup_root(&self) -> PathBuf {
        shipdeck::signing::profile::cleanup_root(&self.data_dir)
    }
}

/// 128 random bits, hex: from the system's random source.
pub fn random_token() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).is_ok();
    if !ok {
        // No /dev/urandom: the clock and the pid, hashed (still unique per session).
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        return shipdeck::change::fingerprint(seed.as_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
