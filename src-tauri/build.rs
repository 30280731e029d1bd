// The app manifest declares every command, so each must be granted in capabilities/.
const COMMANDS: &[&str] = &[
    "initial_workspace",
    "check_workspace",
    "recent_workspaces",
    "forget_workspace",
    "pick_folder",
    "first_paint",
    "project_view",
    "preview_fix",
    "apply_changes",
    "undo_changes",
    "open_location",
    "xcconfig_view",
    "xcconfig_preview",
    "xcconfig_undo",
    "cloudkit_view",
    "cloudkit_deploy",
    "cloudkit_cancel",
    "signing_view",
    "release_start",
    "release_confirm",
    "release_decline",
    "release_cancel",
    "release_runs",
    "release_log",
    "subscribe",
    "credentials_view",
    "credentials_store_api_key",
    "credentials_store_p12",
    "credentials_forget",
    "profiles_cleanup_preview",
    "profiles_cleanup",
    "profiles_restore",
];

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS))).expect("tauri-build failed");
}
