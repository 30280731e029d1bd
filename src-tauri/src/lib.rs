//! Shipdeck's app: a thin Tauri shell over the engine. Commands forward to the engine, the
//! tray shows the worst state, and the web UI in `../ui` shows the findings.

pub mod cloudkit;
pub mod commands;
pub mod credentials;
pub mod error;
pub mod events;
pub mod notify;
pub mod recent;
pub mod release;
pub mod state;
pub mod tray;

use state::AppState;
use std::path::PathBuf;
use tauri::{Builder, Manager, Runtime};

/// The script every page of the window runs before its own: the workspace to show at start, so
/// the page's first frame can already say "Checking <folder>…" without a round trip to the
/// backend (`ui/boot.js` reads it). JSON is valid JavaScript, whatever the path holds.
pub fn boot_script(initial: Option<&std::path::Path>) -> String {
    let value = serde_json::to_string(&initial).unwrap_or_else(|_| "null".into());
    format!("window.__SHIPDECK_INITIAL__ = {value};")
}

/// The commands and their state on a builder (shared by the app and the mock-runtime tests).
pub fn with_commands<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    let boot = tauri::plugin::Builder::<R, ()>::new("shipdeck-boot").js_init_script(boot_script(state.initial_workspace().as_deref())).build();
    builder.plugin(boot).manage(state).invoke_handler(tauri::generate_handler![
        commands::initial_workspace,
        commands::check_workspace,
        commands::recent_workspaces,
        commands::forget_workspace,
        commands::pick_folder,
        commands::first_paint,
        commands::project_view,
        commands::preview_fix,
        commands::apply_changes,
        commands::undo_changes,
        commands::generate_plan,
        commands::generate_project,
        commands::generate_undo,
        commands::open_location,
        commands::xcconfig_view,
        commands::xcconfig_preview,
        commands::xcconfig_undo,
        commands::cloudkit_view,
        commands::cloudkit_deploy,
        commands::cloudkit_confirm,
        commands::cloudkit_decline,
        commands::cloudkit_cancel,
        commands::signing_view,
        commands::release_start,
        commands::release_confirm,
        commands::release_decline,
        commands::release_cancel,
        commands::release_runs,
        commands::release_log,
        commands::subscribe,
        credentials::credentials_view,
        credentials::credentials_store_api_key,
        credentials::credentials_store_p12,
        credentials::credentials_forget,
        commands::profiles_cleanup_preview,
        commands::profiles_cleanup,
        commands::profiles_restore,
    ])
}

/// How often the tray re-checks the open workspace (`SHIPDECK_RECHECK_MINUTES`, default 15).
fn recheck_interval() -> std::time::Duration {
    let minutes = std::env::var("SHIPDECK_RECHECK_MINUTES").ok().and_then(|m| m.parse::<u64>().ok()).filter(|m| *m > 0).unwrap_or(15);
    std::time::Duration::from_secs(minutes * 60)
}

pub fn run() {
    let initial = std::env::args_os().nth(1).map(PathBuf::from).or_else(|| std::env::var_os("SHIPDECK_WORKSPACE").map(PathBuf::from));
    let state = AppState::new(initial, shipdeck::fsutil::data_dir());
    let builder = with_commands(Builder::default().plugin(tauri_plugin_dialog::init()).plugin(tauri_plugin_notification::init()), state)
        .setup(|app| {
            #[cfg(target_os = "macos")]
            app.set_activation_policy(tauri::ActivationPolicy::Accessory);
            app.manage(notify::Announced::default());
            let dry_run: tray::StartDryRun<_> = |app, path| release::start(app, path, release::Ask { dry_run: true, ..Default::default() }, None);
            if let Err(e) = tray::create(app.handle(), dry_run) {
                // A desktop without a status area still gets the window.
                eprintln!("shipdeck-app: no tray icon: {e}");
            }
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                loop {
                    tokio::time::sleep(recheck_interval()).await;
                    // The check reads the disk and runs `security`: a blocking thread, not the runtime's.
                    let h = handle.clone();
                    let _ = tauri::async_runtime::spawn_blocking(move || tray::recheck(&h, tray::Recheck::Periodic)).await;
                }
            });
            Ok(())
        })
        .on_window_event(|window, event| match event {
            // A menu-bar app on the Mac: closing the window hides it; the tray brings it back.
            tauri::WindowEvent::CloseRequested { api, .. } if cfg!(target_os = "macos") && window.app_handle().tray_by_id("main").is_some() => {
                let _ = window.hide();
                api.prevent_close();
            }
            // A folder dropped on the window opens, told through the window's one channel.
            tauri::WindowEvent::DragDrop(drop) => {
                if let Some(message) = events::dropped(drop) {
                    window.state::<AppState>().tell_window(message);
                }
            }
            _ => {}
        });
    match builder.build(tauri::generate_context!()) {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("shipdeck-app: could not start: {e}");
            std::process::exit(1);
        }
    }
}
