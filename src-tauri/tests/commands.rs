//! The app's commands through Tauri's mock runtime, over real IPC requests.

use serde_json::{json, Value};
use shipdeck_app::state::AppState;
use std::path::{Path, PathBuf};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

fn sample_copy(dir: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &target)
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }
    let root = dir.join("isometry");
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/isometry"), &root);
    let _ = std::fs::remove_dir_all(root.join(".shipdeck"));
    root
}

fn app(data: &Path, initial: Option<PathBuf>) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = shipdeck_app::with_commands(mock_builder(), AppState::new(initial, data.to_path_buf())).build(mock_context(noop_assets())).expect("mock app");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("mock window");
    (app, webview)
}

fn invoke(webview: &WebviewWindow<MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(webview, request).map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn check_returns_the_engines_report_and_remembers_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_copy(dir.path());
    let (_app, w) = app(&dir.path().join("data"), None);

    let report = invoke(&w, "check_workspace", json!({ "path": ws })).expect("check");
    assert_eq!(report["workspace"]["name"], "Isometry");
    let expected = shipdeck::checks::run(&shipdeck::Workspace::open(&ws).unwrap(), &shipdeck::checks::Context::resolve());
    assert_eq!(report["summary"], serde_json::to_value(expected.summary).unwrap());
    assert_eq!(report["findings"].as_array().unwrap().len(), expected.findings.len());

    let recent = invoke(&w, "recent_workspaces", json!({})).unwrap();
    assert_eq!(recent[0]["name"], "Isometry");
    assert_eq!(recent[0]["path"], json!(ws.canonicalize().unwrap()));
    // The newest recent workspace is the one to show at the next start.
    assert_eq!(invoke(&w, "initial_workspace", json!({})).unwrap(), json!(ws.canonicalize().unwrap()));

    let after = invoke(&w, "forget_workspace", json!({ "path": ws.canonicalize().unwrap() })).unwrap();
    assert_eq!(after, json!([]));
}

#[test]
fn a_broken_workspace_reports_blockers() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_copy(dir.path());
    std::fs::remove_dir_all(ws.join("native/IsometryiOS/IsometryiOS.xcodeproj")).unwrap();
    let (_app, w) = app(&dir.path().join("data"), None);
    let report = invoke(&w, "check_workspace", json!({ "path": ws })).unwrap();
    assert!(report["summary"]["blockers"].as_u64().unwrap() >= 1);
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["id"] == "workspace.project.missing"));
}

#[test]
fn errors_cross_ipc_as_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(&dir.path().join("data"), None);
    let missing = dir.path().join("nowhere");
    let err = invoke(&w, "check_workspace", json!({ "path": missing })).unwrap_err();
    assert_eq!(err["code"], "io");
    assert!(err["message"].as_str().unwrap().contains("nowhere"), "{err}");

    std::fs::create_dir_all(dir.path().join("bad")).unwrap();
    std::fs::write(dir.path().join("bad/shipdeck.toml"), "[app\nname = 1").unwrap();
    let err = invoke(&w, "check_workspace", json!({ "path": dir.path().join("bad") })).unwrap_err();
    assert_eq!(err["code"], "parse");
    assert!(err["message"].as_str().unwrap().contains("shipdeck.toml:1:"), "{err}");
}

#[test]
fn the_initial_workspace_comes_from_the_command_line_first() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = app(&dir.path().join("data"), Some(PathBuf::from("/given/on/the/command/line")));
    assert_eq!(invoke(&w, "initial_workspace", json!({})).unwrap(), json!("/given/on/the/command/line"));
}

/// A recent workspace moved or deleted since is not reopened at start (into an error): the
/// newest one still on disk is.
#[test]
fn the_initial_workspace_skips_a_recent_folder_that_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let (older, newer) = (dir.path().join("older"), dir.path().join("newer"));
    let (_app, w) = app(&dir.path().join("data"), None);
    for ws in [&older, &newer] {
        sample_copy(ws);
        invoke(&w, "check_workspace", json!({ "path": ws.join("isometry") })).unwrap();
    }
    assert_eq!(invoke(&w, "initial_workspace", json!({})).unwrap(), json!(newer.join("isometry").canonicalize().unwrap()));
    std::fs::remove_dir_all(&newer).unwrap();
    assert_eq!(invoke(&w, "initial_workspace", json!({})).unwrap(), json!(older.join("isometry").canonicalize().unwrap()));
    assert_eq!(invoke(&w, "recent_workspaces", json!({})).unwrap().as_array().unwrap().len(), 2, "still listed until forgotten");
}

/// The page learns the workspace to show before it loads: a JavaScript assignment of the path as
/// a JSON string, whatever the path holds (quotes, a closing script tag, a line break).
#[test]
fn the_boot_script_carries_the_initial_workspace_as_json() {
    let odd = Path::new("/Users/a \"b\"/</script>/line\nbreak/Isometry");
    let script = shipdeck_app::boot_script(Some(odd));
    let value = script.strip_prefix("window.__SHIPDECK_INITIAL__ = ").and_then(|v| v.strip_suffix(';')).expect(&script);
    assert_eq!(serde_json::from_str::<PathBuf>(value).unwrap(), odd);
    assert!(!value.contains('\n'), "one line: {script}");
    assert_eq!(shipdeck_app::boot_script(None), "window.__SHIPDECK_INITIAL__ = null;");
}

/// Every command the app registers is declared in the app manifest and granted, and no more.
#[test]
fn commands_manifest_and_capability_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let build = std::fs::read_to_string(root.join("build.rs")).unwrap();
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let cap: Value = serde_json::from_str(&std::fs::read_to_string(root.join("capabilities/default.json")).unwrap()).unwrap();
    let declared: Vec<String> = build.lines().filter_map(|l| l.trim().strip_prefix('"').and_then(|l| l.strip_suffix("\","))).map(String::from).collect();
    let registered: Vec<String> = lib
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix("commands::").or_else(|| l.strip_prefix("credentials::")).and_then(|l| l.strip_suffix(','))
        })
        .map(String::from)
        .collect();
    let mut granted: Vec<String> = cap["permissions"].as_array().unwrap().iter().filter_map(|p| p.as_str()?.strip_prefix("allow-").map(|s| s.replace('-', "_"))).collect();
    assert!(!declared.is_empty());
    assert_eq!(declared, registered);
    granted.sort();
    let mut d = declared.clone();
    d.sort();
    assert_eq!(d, granted);
}

/// A private session keyring for this thread and a service name of this run's own; items are
/// removed again at the end (keyutils also links them into the user's persistent keyring).
#[cfg(target_os = "linux")]
fn private_keyring() {
    static SERVICE: std::sync::Once = std::sync::Once::new();
    SERVICE.call_once(|| std::env::set_var("SHIPDECK_KEYRING_SERVICE", format!("Shipdeck app test {}", std::process::id())));
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    let id = unsafe { libc::syscall(libc::SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, std::ptr::null::<libc::c_char>()) };
    assert!(id > 0, "no session keyring for the test: {}", std::io::Error::last_os_error());
}

#[cfg(target_os = "linux")]
#[test]
fn credentials_go_to_the_keychain_and_never_come_back_to_the_window() {
    private_keyring();
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_copy(dir.path());
    let (_app, w) = app(&dir.path().join("data"), None);
    let view = invoke(&w, "credentials_view", json!({ "path": ws })).unwrap();
    assert!(view["api_key"].as_array().unwrap().iter().all(|i| i["state"] == "not stored"), "{view:#}");

    let pem = rcgen::KeyPair::generate().unwrap().serialize_pem();
    let key_line = pem.lines().nth(1).unwrap().to_string();
    let p8 = dir.path().join("AuthKey_ABC123DEF4.p8");
    std::fs::write(&p8, &pem).unwrap();

    // A bad issuer id: refused, nothing stored.
    let err = invoke(&w, "credentials_store_api_key", json!({ "keyId": "ABC123DEF4", "issuerId": "nope", "privateKeyPath": p8, "path": ws })).unwrap_err();
    assert_eq!(err["code"], "invalid");
    assert!(err["message"].as_str().unwrap().contains("asc-issuer-id"), "{err}");
    assert_eq!(shipdeck::secrets::is_stored("asc-key-id"), Ok(false));
    // A missing key file is named.
    let err = invoke(&w, "credentials_store_api_key", json!({ "keyId": "ABC123DEF4", "issuerId": "69a6de70-03db-47e3-e053-5b8c7c11a4d1", "privateKeyPath": dir.path().join("gone.p8") })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("gone.p8"), "{err}");

    let view = invoke(&w, "credentials_store_api_key", json!({ "keyId": "ABC123DEF4", "issuerId": "69a6de70-03db-47e3-e053-5b8c7c11a4d1", "privateKeyPath": p8, "path": ws })).unwrap();
    assert!(view["api_key"].as_array().unwrap().iter().all(|i| i["state"] == "stored"), "{view:#}");
    assert_eq!(view["source"], "Releases use the API key stored in the keychain.");
    let text = view.to_string();
    assert!(!text.contains(&key_line) && !text.contains("ABC123DEF4"), "the view carries no value: {text}");
    // What the release will use.
    let (creds, note) = shipdeck::appstore::Credentials::for_app();
    assert_eq!(note, None);
    assert_eq!(creds.key_id.as_deref(), Some("ABC123DEF4"));
    assert_eq!(creds.private_key.as_deref(), Some(pem.trim()));

    let view = invoke(&w, "credentials_forget", json!({ "item": "asc", "path": ws })).unwrap();
    assert!(view["api_key"].as_array().unwrap().iter().all(|i| i["state"] == "not stored"), "{view:#}");
    let err = invoke(&w, "credentials_forget", json!({ "item": "password" })).unwrap_err();
    assert_eq!(err["code"], "invalid");
}

#[test]
fn profile_clean_up_moves_only_what_is_stale_and_puts_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_copy(dir.path());
    let profiles = ws.join(".shipdeck/demo-signing");
    let now = time_now();
    shipdeck::signing::demo::generate(&profiles, &Default::default(), now).unwrap();
    let old = shipdeck::signing::demo::Demo { apps: vec![("iOS", "com.mshaler.isometry", "Isometry Old Distribution", -5)], ..Default::default() };
    let extra = dir.path().join("extra");
    shipdeck::signing::demo::generate(&extra, &old, now).unwrap();
    let expired = profiles.join("Isometry_Old_Distribution.mobileprovision");
    std::fs::rename(extra.join("Isometry_Old_Distribution.mobileprovision"), &expired).unwrap();
    let valid = profiles.join("Isometry_App_Store_Distribution.mobileprovision");
    let (_app, w) = app(&dir.path().join("data"), None);

    let preview = invoke(&w, "profiles_cleanup_preview", json!({ "path": ws })).expect("preview");
    let stale = preview["stale"].as_array().unwrap();
    assert_eq!(stale.len(), 1, "{preview:#}");
    assert_eq!(stale[0]["name"], "Isometry Old Distribution");
    assert_eq!(stale[0]["why"], "expired 5 days ago");
    assert!(preview["last"].is_null());
    assert!(expired.exists(), "a preview moves nothing");

    // The window asks for the stale one and a valid one: only the stale one moves.
    let done = invoke(&w, "profiles_cleanup", json!({ "path": ws, "files": [expired, valid] })).expect("clean-up");
    assert_eq!(done["moved"], 1);
    assert_eq!(done["left"], json!([valid]));
    assert!(!expired.exists() && valid.exists());
    let folder = PathBuf::from(done["folder"].as_str().unwrap());
    assert!(folder.starts_with(dir.path().join("data/removed-profiles")), "{folder:?}");

    let again = invoke(&w, "profiles_cleanup_preview", json!({ "path": ws })).expect("preview");
    assert_eq!(again["stale"], json!([]));
    assert_eq!(again["last"], json!(folder));
    let refused = invoke(&w, "profiles_cleanup", json!({ "path": ws, "files": [valid] })).unwrap_err();
    assert_eq!(refused["code"], "nothing-to-do");

    let back = invoke(&w, "profiles_restore", json!({})).expect("restore");
    assert_eq!(back, json!([expired]));
    assert!(expired.exists());
    assert_eq!(invoke(&w, "profiles_restore", json!({})).unwrap_err()["code"], "nothing-to-do");
}

fn time_now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

#[test]
fn a_real_release_starts_only_with_the_token_of_its_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_copy(dir.path());
    let (_app, w) = app(&dir.path().join("data"), None);
    let start = |token: Value, platform: &str| invoke(&w, "release_start", json!({ "path": ws, "dryRun": false, "platform": platform, "archive": false, "token": token }));

    // No confirmation at all: refused, by code.
    let err = start(Value::Null, "ios").unwrap_err();
    assert_eq!(err["code"], "unconfirmed", "{err}");

    // The confirmation names what would happen.
    let c = invoke(&w, "release_confirm", json!({ "path": ws, "platform": "ios" })).unwrap();
    assert_eq!(c["question"], "Archive, export and upload Isometry 2.5.0 (250) for iOS to App Store Connect?");
    assert_eq!(c["builds"][0]["scheme"], "IsometryiOS");
    assert_eq!(c["builds"][0]["bundle_id"], "com.mshaler.isometry");
    assert!(c["commands"].as_array().unwrap().iter().any(|x| x.as_str().unwrap().starts_with("xcodebuild archive ")), "{c}");
    let token = c["token"].clone();
    assert!(token.as_str().is_some_and(|t| t.len() >= 16));
    // Without credentials the run would stop at its first step: said apart from the rest.
    if std::env::var_os("APP_STORE_CONNECT_KEY_ID").is_none() && std::env::var_os("SHIPDECK_APPLE_ID").is_none() {
        assert!(c["blocking"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("APP_STORE_CONNECT_KEY_ID")), "{c}");
        assert!(c["destination"].as_str().unwrap().contains("would stop before it archives"), "{c}");
    }

    // A token does not stretch to other options, a wrong one is refused, and either attempt uses it up.
    assert_eq!(start(token.clone(), "macos").unwrap_err()["code"], "unconfirmed");
    assert_eq!(start(token.clone(), "ios").unwrap_err()["code"], "unconfirmed", "used up by the refused attempt");

    // Declined: the token is dropped.
    let c = invoke(&w, "release_confirm", json!({ "path": ws, "platform": "ios" })).unwrap();
    invoke(&w, "release_decline", json!({})).unwrap();
    assert_eq!(start(c["token"].clone(), "ios").unwrap_err()["code"], "unconfirmed");
    let c = invoke(&w, "release_confirm", json!({ "path": ws, "platform": "ios" })).unwrap();
    assert_eq!(start(json!("not-the-token"), "ios").unwrap_err()["code"], "unconfirmed");
    assert_eq!(start(c["token"].clone(), "ios").unwrap_err()["code"], "unconfirmed", "a wrong guess ends the confirmation");
}

/// The CloudKit screen's real deploy imports the schema into the container's development
/// environment: like a release, it runs only with the token of the confirmation shown, once.
/// A dry-run and the read-only check after the console deploy need none.
#[test]
fn a_real_cloudkit_deploy_runs_only_with_the_token_of_its_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_copy(dir.path());
    let (_app, w) = app(&dir.path().join("data"), None);
    let deploy = |token: Value| invoke(&w, "cloudkit_deploy", json!({ "path": ws, "dryRun": false, "confirm": false, "token": token }));

    assert_eq!(deploy(Value::Null).unwrap_err()["code"], "unconfirmed");
    let dry = invoke(&w, "cloudkit_deploy", json!({ "path": ws, "dryRun": true, "confirm": false, "token": null })).unwrap();
    assert_eq!(dry["dry_run"], true);

    // The confirmation says what it imports, where, with the command that will run.
    let c = invoke(&w, "cloudkit_confirm", json!({ "path": ws })).unwrap();
    assert_eq!(c["container"], "iCloud.com.mshaler.isometry");
    assert!(c["command"].as_str().unwrap().starts_with("xcrun cktool import-schema --team-id 7XK2M9QPLA --container-id iCloud.com.mshaler.isometry --environment development --file "), "{c}");
    assert!(c["schema"].as_str().unwrap().ends_with(".ckdb"), "{c}");
    // What would stop a real deploy at its first step is said before it is confirmed: off a Mac,
    // cktool; a schema cktool could not read, with its file and line.
    let blocking = |c: &Value| c["blocking"].as_array().unwrap().iter().map(|b| b.as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(blocking(&c).iter().any(|b| b.contains("xcrun cktool")), shipdeck::tools::which("xcrun").is_none(), "{c}");
    let schema = ws.join("native/CloudKit/schema.ckdb");
    let good = std::fs::read_to_string(&schema).unwrap();
    std::fs::write(&schema, "DEFINE SCHEMA\n  RECORD TYPE Card (\n").unwrap();
    let broken = invoke(&w, "cloudkit_confirm", json!({ "path": ws })).unwrap();
    assert!(blocking(&broken).iter().any(|b| b.starts_with("a schema file cktool can read: ") && b.contains("schema.ckdb")), "{broken}");
    std::fs::write(&schema, good).unwrap();
    let c = invoke(&w, "cloudkit_confirm", json!({ "path": ws })).unwrap();
    assert!(!blocking(&c).iter().any(|b| b.contains("schema")), "{c}");

    // Declined, or a wrong token: refused, and the confirmation is used up.
    invoke(&w, "cloudkit_decline", json!({})).unwrap();
    assert_eq!(deploy(c["token"].clone()).unwrap_err()["code"], "unconfirmed");
    let c = invoke(&w, "cloudkit_confirm", json!({ "path": ws })).unwrap();
    assert_eq!(deploy(json!("not-the-token")).unwrap_err()["code"], "unconfirmed");
    assert_eq!(deploy(c["token"].clone()).unwrap_err()["code"], "unconfirmed", "a wrong guess ends the confirmation");

    // Confirmed: it runs (here without cktool, so its steps say what a real run needs), once.
    let c = invoke(&w, "cloudkit_confirm", json!({ "path": ws })).unwrap();
    let d = deploy(c["token"].clone()).unwrap();
    assert_eq!((d["dry_run"].as_bool(), d["container"].as_str()), (Some(false), Some("iCloud.com.mshaler.isometry")), "{d}");
    assert_eq!(deploy(c["token"].clone()).unwrap_err()["code"], "unconfirmed", "a token deploys once");
}

/// Generating a project runs only with the token of the plan the window was shown; a wrong
/// token ends that plan. (No xcodegen on this PATH: the confirmed run says so and makes nothing.)
#[test]
fn a_project_is_generated_only_with_the_token_of_its_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("Lantern");
    std::fs::create_dir_all(ws.join("src/apps/Settings")).unwrap();
    std::fs::write(ws.join("src/apps/Settings/project.yml"), "name: Lantern\ntargets:\n  Lantern:\n    type: application\n").unwrap();
    let (_app, w) = app(&dir.path().join("data"), None);
    let generate = |token: Value| invoke(&w, "generate_project", json!({ "path": ws, "token": token }));

    assert_eq!(generate(json!("made-up")).unwrap_err()["code"], "unconfirmed");
    let plan = invoke(&w, "generate_plan", json!({ "path": ws })).unwrap();
    assert_eq!((plan["tool"].as_str(), plan["command"].as_str(), plan["folder"].as_str()), (Some("XcodeGen"), Some("xcodegen generate"), Some("src/apps/Settings")), "{plan}");
    assert_eq!(generate(json!("not-the-token")).unwrap_err()["code"], "unconfirmed");
    assert_eq!(generate(plan["token"].clone()).unwrap_err()["code"], "unconfirmed", "a wrong guess ends the plan");
    let plan = invoke(&w, "generate_plan", json!({ "path": ws })).unwrap();
    if shipdeck::tools::which("xcodegen").is_none() {
        let e = generate(plan["token"].clone()).unwrap_err();
        assert_eq!(e["code"], "tool-not-found", "{e}");
        assert!(!ws.join("src/apps/Settings/Lantern.xcodeproj").exists());
    }
    assert_eq!(generate(plan["token"].clone()).unwrap_err()["code"], "unconfirmed", "a token runs once");
    assert_eq!(invoke(&w, "generate_undo", json!({ "path": ws })).unwrap_err()["code"], "usage", "nothing generated, nothing to undo");
}

#[test]
fn the_window_reaches_only_the_workspace_and_applies_only_what_it_previewed() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_copy(dir.path());
    let (_app, w) = app(&dir.path().join("data"), None);
    // A file outside the workspace, and a symlink inside it that leads there.
    let outside = dir.path().join("outside.xcconfig");
    std::fs::write(&outside, "SECRET = 1\n").unwrap();
    std::os::unix::fs::symlink(&outside, ws.join("native/Configurations/Link.xcconfig")).unwrap();
    for file in [outside.display().to_string(), "../outside.xcconfig".to_string(), "native/Configurations/Link.xcconfig".to_string(), "native/../../outside.xcconfig".to_string()] {
        let err = invoke(&w, "xcconfig_preview", json!({ "path": ws, "key": "SECRET", "value": "2", "file": file })).unwrap_err();
        assert_eq!(err["code"], "outside", "{file}: {err}");
    }
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "SECRET = 1\n");
    // A fix that names a project outside the workspace.
    let fix = json!({ "action": "project.add-configuration", "title": "Add Production", "params": { "project": dir.path().join("Elsewhere.xcodeproj"), "from": "Release" } });
    let err = invoke(&w, "preview_fix", json!({ "path": ws, "fix": fix })).unwrap_err();
    assert_eq!(err["code"], "outside", "{err}");
    // A settings fix that names a file outside the workspace, or one through the symlink.
    for file in [outside.display().to_string(), "native/Configurations/Link.xcconfig".to_string()] {
        let fix = json!({ "action": "settings.set", "title": "Set", "params": { "settings": [{ "file": file, "line": 1, "key": "SECRET", "value": "2" }] } });
        let err = invoke(&w, "preview_fix", json!({ "path": ws, "fix": fix })).unwrap_err();
        assert_eq!(err["code"], "outside", "{file}: {err}");
    }
    // apply_changes takes a token of this session's previews, never paths and contents.
    let err = invoke(&w, "apply_changes", json!({ "path": ws, "changes": [{ "path": outside, "fingerprint": "x", "diff": "", "new": "PWNED" }] })).unwrap_err();
    assert!(err.to_string().contains("token"), "{err}");
    let err = invoke(&w, "apply_changes", json!({ "path": ws, "token": "0123456789abcdef" })).unwrap_err();
    assert_eq!(err["code"], "invalid", "{err}");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "SECRET = 1\n");
    // A real preview applies, once.
    let p = invoke(&w, "xcconfig_preview", json!({ "path": ws, "key": "CURRENT_PROJECT_VERSION", "value": "251" })).unwrap();
    let token = p["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 32);
    invoke(&w, "apply_changes", json!({ "path": ws, "token": token })).unwrap();
    assert!(std::fs::read_to_string(ws.join("native/Configurations/Production.xcconfig")).unwrap().contains("CURRENT_PROJECT_VERSION = 251"));
    assert!(invoke(&w, "apply_changes", json!({ "path": ws, "token": token })).is_err(), "a token is used once");
}

/// "Undo last save" of the Build settings screen puts back the file it names (an xcconfig of
/// the workspace other than the Production one), and only a file of the workspace.
#[test]
fn the_settings_undo_puts_back_the_xcconfig_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_copy(dir.path());
    let (_app, w) = app(&dir.path().join("data"), None);
    let base = ws.join("native/Configurations/Base.xcconfig");
    let before = std::fs::read_to_string(&base).unwrap();
    let p = invoke(&w, "xcconfig_preview", json!({ "path": ws, "key": "SWIFT_VERSION", "value": "6.0", "file": "native/Configurations/Base.xcconfig", "line": 14 })).unwrap();
    invoke(&w, "apply_changes", json!({ "path": ws, "token": p["token"] })).unwrap();
    assert!(std::fs::read_to_string(&base).unwrap().contains("SWIFT_VERSION = 6.0"));
    let err = invoke(&w, "xcconfig_undo", json!({ "path": ws, "file": "../outside.xcconfig" })).unwrap_err();
    assert_eq!(err["code"], "outside", "{err}");
    let view = invoke(&w, "xcconfig_view", json!({ "path": ws, "platform": "ios" })).unwrap();
    assert_eq!(view["undo"]["file"], "native/Configurations/Base.xcconfig", "{view}");
    invoke(&w, "xcconfig_undo", json!({ "path": ws, "file": view["undo"]["file"] })).unwrap();
    assert_eq!(std::fs::read_to_string(&base).unwrap(), before);
}

/// The `shipdeck` CLI built beside this test (`cargo test --workspace` builds it).
fn cli_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(Path::parent).unwrap().join(format!("shipdeck{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.is_file(), "{} is not built: run the tests with `cargo test --workspace`", bin.display());
    bin
}

/// Where two JSON values differ, as paths (`identities[2].state: "warning" != "blocker"`).
fn differences(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                differences(&format!("{path}.{k}"), x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(&format!("{path}[{i}]"), p, q, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} != {b}")),
        _ => {}
    }
}

#[test]
fn the_cli_and_the_window_show_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_copy(dir.path());
    shipdeck::signing::demo::generate(&ws.join(".shipdeck/demo-signing"), &Default::default(), time::OffsetDateTime::now_utc()).unwrap();
    let data = dir.path().join("data");
    let (_app, w) = app(&data, None);
    let path = ws.to_string_lossy().into_owned();
    let screens: [(&str, &str, Value); 5] = [
        ("signing", "signing_view", json!({ "path": path })),
        ("credentials", "credentials_view", json!({ "path": path })),
        ("project", "project_view", json!({ "path": path })),
        ("settings", "xcconfig_view", json!({ "path": path, "platform": "ios" })),
        ("cloudkit", "cloudkit_view", json!({ "path": path })),
    ];
    for (screen, command, body) in screens {
        let out = std::process::Command::new(cli_binary()).args(["show", screen, "--platform", "ios", "--workspace"]).arg(&ws).env("SHIPDECK_DATA_DIR", &data).output().unwrap();
        assert!(out.status.success(), "shipdeck show {screen}: {}", String::from_utf8_lossy(&out.stderr));
        let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
        let window = invoke(&w, command, body).unwrap_or_else(|e| panic!("{command}: {e}"));
        let mut diff = Vec::new();
        differences(screen, &cli, &window, &mut diff);
        assert!(diff.is_empty(), "the CLI and the window disagree on {screen}:\n{}", diff.join("\n"));
    }
    // Not an empty agreement: the signing screen has cards of every state the demo makes, and a
    // row per shipping target.
    let signing = invoke(&w, "signing_view", json!({ "path": path })).unwrap();
    let states: std::collections::BTreeSet<&str> = signing["identities"].as_array().unwrap().iter().map(|c| c["state"].as_str().unwrap()).collect();
    assert!(states.len() >= 2, "{signing}");
    assert_eq!(signing["map"].as_array().unwrap().len(), 2, "{}", signing["map"]);
    assert!(signing["map"][0]["identity"]["name"].is_string(), "{}", signing["map"]);

    let mut diff = Vec::new();
    differences("x", &json!({"a": [1, {"b": "ok"}]}), &json!({"a": [1, {"b": "blocker"}]}), &mut diff);
    assert_eq!(diff, ["x.a[1].b: \"ok\" != \"blocker\""]);
}

/// What the app tells the window unasked reaches the channel the page subscribed, as
/// `{event, payload}` in order; before any page subscribed it is dropped, not queued.
#[test]
fn the_window_is_told_through_its_channel_in_order() {
    use shipdeck_app::events::{ToWindow, UiEvent};
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(None, dir.path().to_path_buf());
    state.tell_window(ToWindow::ShowScreen("dashboard".into()));
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = got.clone();
    state.subscribe(tauri::ipc::Channel::new(move |body| {
        if let tauri::ipc::InvokeResponseBody::Json(j) = body {
            sink.lock().unwrap().push(serde_json::from_str(&j).unwrap());
        }
        Ok(())
    }));
    state.tell_window(ToWindow::ShowScreen("release".into()));
    state.tell_window(ToWindow::ReleaseEvent(UiEvent::Lines { id: "ios.archive".into(), lines: vec!["** ARCHIVE SUCCEEDED **".into()], skipped: 0 }));
    let got = got.lock().unwrap();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0], json!({ "event": "show-screen", "payload": "release" }));
    assert_eq!(got[1]["event"], "release-event");
    assert_eq!(got[1]["payload"]["event"], "lines");
    assert_eq!(got[1]["payload"]["lines"][0], "** ARCHIVE SUCCEEDED **");
}
