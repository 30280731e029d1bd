//! The menu-bar icon: its picture is the worst severity of the last check, its menu says
//! what that is, opens the window, checks again and quits.

use crate::events::ToWindow;
use crate::state::AppState;
use shipdeck::{Report, Severity};
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

const TRAY_ID: &str = "main";

/// Whether the tray draws template images: on the Mac, the menu bar's convention (black and
/// clear, tinted by macOS for light, dark and highlighted bars; the state is in the shape).
/// Elsewhere a panel may be dark or light, so the coloured pictures are used.
pub const TEMPLATE: bool = cfg!(target_os = "macos");

/// The tray's picture for a state (`None`: nothing checked yet): 36x36 template images on the
/// Mac (18 pt at 2x, the size the menu bar draws), coloured 44x44 ones elsewhere.
pub fn icon(worst: Option<Severity>) -> Image<'static> {
    Image::from_bytes(icon_bytes(worst, TEMPLATE)).expect("the tray icons are valid PNGs compiled into the app")
}

pub fn icon_bytes(worst: Option<Severity>, template: bool) -> &'static [u8] {
    match (worst, template) {
        (None, true) => include_bytes!("../../icons/tray/idle-template.png"),
        (Some(Severity::Ok), true) => include_bytes!("../../icons/tray/ok-template.png"),
        (Some(Severity::Warning), true) => include_bytes!("../../icons/tray/warning-template.png"),
        (Some(Severity::Blocker), true) => include_bytes!("../../icons/tray/blocker-template.png"),
        (None, false) => include_bytes!("../../icons/tray/idle.png"),
        (Some(Severity::Ok), false) => include_bytes!("../../icons/tray/ok.png"),
        (Some(Severity::Warning), false) => include_bytes!("../../icons/tray/warning.png"),
        (Some(Severity::Blocker), false) => include_bytes!("../../icons/tray/blocker.png"),
    }
}

/// The one-line state shown in the tray menu and tooltip.
pub fn status_line(report: &Report) -> String {
    let s = &report.summary;
    let state = match s.worst() {
        Severity::Ok => "Ready to ship".to_string(),
        Severity::Warning => format!("{} warning{}", s.warnings, plural(s.warnings)),
        Severity::Blocker => format!("{} blocker{}", s.blockers, plural(s.blockers)),
    };
    format!("{}: {}", report.workspace.name, state)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The menu items that change: the state, the nearest expiry, and the dry-run item (which
/// shows the step of a run in progress).
struct StatusItem<R: Runtime>(MenuItem<R>, MenuItem<R>, MenuItem<R>);

/// The tray's line for a run in progress: "Dry-run 3/11: Archive IsometryiOS (Production)".
pub fn run_line(dry_run: bool, step: usize, total: usize, title: &str) -> String {
    format!("{} {step}/{total}: {title}", if dry_run { "Dry-run" } else { "Release" })
}

/// Shows a run in progress on the tray (`None`: no run): the dry-run item says which step is
/// running and cannot start another; the tooltip says the same.
pub fn show_run<R: Runtime>(app: &AppHandle<R>, line: Option<&str>) {
    if let Some(item) = app.try_state::<StatusItem<R>>() {
        let _ = item.2.set_text(line.unwrap_or("Release dry-run"));
        let _ = item.2.set_enabled(line.is_none());
    }
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let _ = tray.set_tooltip(Some(line.map(|l| format!("Shipdeck: {l}")).unwrap_or_else(|| "Shipdeck".into())));
    }
}

/// What the tray's "Release dry-run" item starts (given by the app, so the tray depends on the
/// state alone): the workspace's dry-run, or the error to show.
pub type StartDryRun<R> = fn(&AppHandle<R>, std::path::PathBuf) -> Result<(), crate::error::IpcError>;

pub fn create<R: Runtime>(app: &AppHandle<R>, start_dry_run: StartDryRun<R>) -> tauri::Result<()> {
    let status = MenuItem::with_id(app, "status", "No workspace checked yet", false, None::<&str>)?;
    let expiry = MenuItem::with_id(app, "expiry", "Signing: not checked yet", false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Shipdeck", true, None::<&str>)?;
    let again = MenuItem::with_id(app, "check", "Check again", true, None::<&str>)?;
    let dry_run = MenuItem::with_id(app, "dry-run", "Release dry-run", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Shipdeck", true, None::<&str>)?;
    let sep1 = PredefinedMenuItem::separator(app)?;
    let sep2 = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&status, &expiry, &sep1, &open, &again, &dry_run, &sep2, &quit])?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(None))
        .icon_as_template(TEMPLATE)
        .tooltip("Shipdeck")
        .menu(&menu)
        .on_menu_event(move |app, event| match event.id.as_ref() {
            "open" => show_window(app),
            // Menu events arrive on the main thread: the check and the plan (which asks the
            // installed tools) run on a thread of their own, so the menu and window stay live.
            "check" => {
                let app = app.clone();
                std::thread::spawn(move || recheck(&app, Recheck::Asked));
            }
            "dry-run" => {
                let path = app.state::<AppState>().current();
                if let Some(path) = path {
                    show_window(app);
                    app.state::<AppState>().tell_window(ToWindow::ShowScreen("release".into()));
                    let app = app.clone();
                    std::thread::spawn(move || {
                        if let Err(e) = start_dry_run(&app, path) {
                            app.state::<AppState>().tell_window(ToWindow::CheckError(e));
                        }
                    });
                }
            }
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    app.manage(StatusItem(status, expiry, dry_run));
    Ok(())
}

pub fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// The tray's expiry line: "Apple Distribution: 212 days".
pub fn expiry_line(nearest: Option<(String, i64)>) -> String {
    match nearest {
        Some((what, 1)) => format!("{what}: 1 day"),
        Some((what, days)) => format!("{what}: {days} days"),
        None => "Signing: nothing to expire".into(),
    }
}

/// Shows a report's state on the tray (icon, menu lines, tooltip).
pub fn show_report<R: Runtime>(app: &AppHandle<R>, report: &Report) {
    let line = status_line(report);
    crate::notify::after_check(app, report);
    if let Some(item) = app.try_state::<StatusItem<R>>() {
        if let Ok(ws) = shipdeck::Workspace::open(&report.workspace.root) {
            let _ = item.1.set_text(expiry_line(shipdeck::signing::nearest_expiry(&ws, shipdeck::signing::now())));
        }
    }
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let _ = tray.set_icon_with_as_template(Some(icon(Some(report.worst()))), TEMPLATE);
        let _ = tray.set_tooltip(Some(format!("Shipdeck: {line}")));
    }
    if let Some(item) = app.try_state::<StatusItem<R>>() {
        let _ = item.0.set_text(&line);
    }
}

/// Who asked for a check of the current workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recheck {
    /// The user (the tray's "Check now"): every check, App Store Connect included; the window
    /// shows the result.
    Asked,
    /// The timer: the files and the keychain only, never the network; the tray shows the
    /// result and the window keeps the user's last check.
    Periodic,
}

/// Checks the current workspace again and updates the tray (and, when the user asked, the window).
pub fn recheck<R: Runtime>(app: &AppHandle<R>, why: Recheck) {
    let state = app.state::<AppState>();
    let Some(path) = state.current() else { return };
    let cx = match why {
        Recheck::Asked => shipdeck::checks::Context::resolve(),
        Recheck::Periodic => shipdeck::checks::Context::offline(),
    };
    match state.check(&path, &cx) {
        Ok(report) => {
            show_report(app, &report);
            if why == Recheck::Asked {
                state.tell_window(ToWindow::Report(Box::new(report)));
            }
        }
        Err(err) => {
            if why == Recheck::Asked {
                state.tell_window(ToWindow::CheckError(err));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_in_progress_names_its_step() {
        assert_eq!(run_line(true, 3, 11, "Archive IsometryiOS (Production)"), "Dry-run 3/11: Archive IsometryiOS (Production)");
        assert_eq!(run_line(false, 1, 11, "Ready to ship?"), "Release 1/11: Ready to ship?");
    }
    use shipdeck::finding::{Finding, WorkspaceInfo};

    fn report(findings: Vec<Finding>) -> Report {
        Report::new(WorkspaceInfo { root: "/w".into(), name: "Isometry".into(), config: None, guesses: vec![], platforms: vec![] }, findings)
    }

    #[test]
    fn status_line_names_the_worst() {
        assert_eq!(status_line(&report(vec![Finding::ok("a", "s", "m")])), "Isometry: Ready to ship");
        assert_eq!(status_line(&report(vec![Finding::warning("a", "s", "m")])), "Isometry: 1 warning");
        let r = report(vec![Finding::warning("a", "s", "m"), Finding::blocker("b", "s", "m"), Finding::blocker("c", "s", "m")]);
        assert_eq!(status_line(&r), "Isometry: 2 blockers");
    }

    #[test]
    fn expiry_line_reads_like_a_sentence() {
        assert_eq!(expiry_line(Some(("Apple Distribution".into(), 212))), "Apple Distribution: 212 days");
        assert_eq!(expiry_line(Some(("Isometry Mac App Store Distribution".into(), 1))), "Isometry Mac App Store Distribution: 1 day");
        assert_eq!(expiry_line(None), "Signing: nothing to expire");
    }

    #[test]
    fn every_state_has_a_distinct_icon() {
        let states = [None, Some(Severity::Ok), Some(Severity::Warning), Some(Severity::Blocker)];
        let pixels: Vec<Vec<u8>> = states.iter().map(|s| icon(*s).rgba().to_vec()).collect();
        for (i, a) in pixels.iter().enumerate() {
            assert!(!a.is_empty());
            for b in &pixels[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn the_mac_icons_are_18pt_templates_black_and_clear() {
        for state in [None, Some(Severity::Ok), Some(Severity::Warning), Some(Severity::Blocker)] {
            let img = Image::from_bytes(icon_bytes(state, true)).unwrap();
            assert_eq!((img.width(), img.height()), (36, 36), "18 pt at 2x");
            let rgba = img.rgba();
            assert!(rgba.chunks(4).all(|p| p[0] == 0 && p[1] == 0 && p[2] == 0), "only black, with alpha: {state:?}");
            assert!(rgba.chunks(4).any(|p| p[3] > 200) && rgba.chunks(4).any(|p| p[3] == 0), "a shape on a clear ground: {state:?}");
        }
        // Distinct shapes for distinct states.
        let shapes: Vec<Vec<u8>> =
            [None, Some(Severity::Ok), Some(Severity::Warning), Some(Severity::Blocker)].iter().map(|s| Image::from_bytes(icon_bytes(*s, true)).unwrap().rgba().to_vec()).collect();
        for (i, a) in shapes.iter().enumerate() {
            for b in &shapes[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
