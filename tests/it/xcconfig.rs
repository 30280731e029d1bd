//! `shipdeck xcconfig` on copies of the sample's Production.xcconfig.

use crate::util::*;

const PROD: &str = "native/Configurations/Production.xcconfig";

fn xc(ws: &TempWorkspace, args: &[&str]) -> (i32, String, String) {
    let file = ws.path(PROD);
    let mut cmd = shipdeck(&ws.dir.path().join("data"));
    cmd.arg("xcconfig").arg(args[0]).arg(&file).args(&args[1..]);
    run(&mut cmd)
}

#[test]
fn show_and_get_resolve_through_includes_with_origins() {
    let ws = TempWorkspace::sample();
    let (code, out, _) = xc(&ws, &["show", "--sdk", "macosx", "--config", "Production", "--json"]);
    assert_eq!(code, 0);
    let r = json(&out);
    let id = &r["settings"]["PRODUCT_BUNDLE_IDENTIFIER"];
    assert_eq!(id["value"], "com.mshaler.isometry.macos");
    assert!(id["file"].as_str().unwrap().ends_with("Base.xcconfig"));
    assert_eq!(id["line"], 12);
    let (code, out, _) = xc(&ws, &["get", "DEVELOPMENT_TEAM"]);
    assert_eq!((code, out.as_str()), (0, "7XK2M9QPLA\n"));
    let (code, _, err) = xc(&ws, &["get", "NOT_A_SETTING"]);
    assert_eq!(code, 1);
    assert!(err.contains("NOT_A_SETTING is not set"));
}

#[test]
fn set_dry_run_previews_and_writes_nothing() {
    let ws = TempWorkspace::sample();
    let before = ws.snapshot();
    let (code, out, err) = xc(&ws, &["set", "CURRENT_PROJECT_VERSION", "251", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("-CURRENT_PROJECT_VERSION = 250\n+CURRENT_PROJECT_VERSION = 251\n"), "{out}");
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn set_changes_one_line_keeps_a_backup_and_undo_restores() {
    let ws = TempWorkspace::sample();
    let original = ws.read(PROD);
    let (code, _, err) = xc(&ws, &["set", "CURRENT_PROJECT_VERSION", "251"]);
    assert_eq!(code, 0, "{err}");
    let edited = ws.read(PROD);
    let changed: Vec<(&str, &str)> = original.lines().zip(edited.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed, vec![("CURRENT_PROJECT_VERSION = 250", "CURRENT_PROJECT_VERSION = 251")]);
    assert_eq!(original.len(), edited.len());
    assert!(err.contains("backup"), "{err}");

    let (code, _, _) = xc(&ws, &["undo"]);
    assert_eq!(code, 0);
    assert_eq!(ws.read(PROD), original);
}

#[test]
fn same_value_writes_nothing_and_new_keys_append() {
    let ws = TempWorkspace::sample();
    let original = ws.read(PROD);
    let (code, _, err) = xc(&ws, &["set", "MARKETING_VERSION", "2.5.0"]);
    assert_eq!(code, 0);
    assert!(err.contains("unchanged"));
    assert_eq!(ws.read(PROD), original);
    let (code, _, _) = xc(&ws, &["set", "NEW_FLAG", "YES", "--when", "sdk=iphoneos*"]);
    assert_eq!(code, 0);
    assert_eq!(ws.read(PROD), format!("{original}NEW_FLAG[sdk=iphoneos*] = YES\n"));
    let (code, _, _) = xc(&ws, &["unset", "NEW_FLAG", "--when", "sdk=iphoneos*"]);
    assert_eq!(code, 0);
    assert_eq!(ws.read(PROD), original);
}

#[test]
fn a_malformed_file_is_refused_with_file_line_column() {
    let ws = TempWorkspace::sample();
    ws.edit(PROD, "ENABLE_TESTABILITY = NO", "ENABLE_TESTABILITY NO");
    let before = ws.snapshot();
    let line = ws.read(PROD).lines().position(|l| l == "ENABLE_TESTABILITY NO").unwrap() + 1;
    let (code, _, err) = xc(&ws, &["set", "A", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("Production.xcconfig:{line}:20: expected `=`")), "{err}");
    assert_eq!(ws.snapshot(), before);
    let (code, _, _) = xc(&ws, &["set", "not a key", "1"]);
    assert_eq!(code, 2);
}

#[test]
fn a_url_is_written_so_xcode_reads_it_whole_and_a_line_break_is_refused() {
    let ws = TempWorkspace::sample();
    let (code, _, err) = xc(&ws, &["set", "SUPPORT_URL", "https://help.isometry.app/start"]);
    assert_eq!(code, 0, "{err}");
    assert!(ws.read(PROD).contains("SUPPORT_URL = https:/$()/help.isometry.app/start"), "{}", ws.read(PROD));
    let (code, out, _) = xc(&ws, &["get", "SUPPORT_URL"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "https://help.isometry.app/start");
    // A value with a line break would add a setting: refused, nothing written.
    let before = ws.read(PROD);
    let (code, _, err) = xc(&ws, &["set", "NOTE", "one\nEVIL = 1"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line break") && err.contains("NOTE"), "{err}");
    assert_eq!(ws.read(PROD), before);
}

/// The Build settings view lists what a release is made of first, in a fixed order (identity,
/// version, signing, files, platform), marked `release`; every other setting after, by name.
#[test]
fn the_settings_view_lists_the_release_settings_first() {
    let ws = TempWorkspace::sample();
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["show", "settings", "--platform", "ios", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let rows: Vec<(&str, bool)> = v["settings"].as_array().unwrap().iter().map(|s| (s["name"].as_str().unwrap(), s["release"].as_bool().unwrap())).collect();
    assert_eq!(rows[..4], [("PRODUCT_BUNDLE_IDENTIFIER", true), ("PRODUCT_NAME", true), ("MARKETING_VERSION", true), ("CURRENT_PROJECT_VERSION", true)], "{rows:?}");
    let first_other = rows.iter().position(|(_, r)| !r).expect("other settings");
    assert!(rows[first_other..].iter().all(|(_, r)| !r), "the release's together at the top: {rows:?}");
    let others: Vec<&str> = rows[first_other..].iter().map(|(n, _)| *n).collect();
    let mut sorted = others.clone();
    sorted.sort();
    assert_eq!(others, sorted, "the rest by name");
}

/// The Build settings screen edits a value in whichever xcconfig sets it (NetNewsWire keeps its
/// build number in `xcconfig/common/NetNewsWire_version.xcconfig`): its undo is of the newest
/// save among those files, not only of the Production xcconfig (it said "Nothing saved from
/// here to undo" after a save to another file).
#[test]
fn the_settings_view_undoes_the_last_save_to_any_xcconfig_it_shows() {
    let ws = TempWorkspace::sample();
    let data = ws.dir.path().join("data");
    let view = || {
        let (code, out, err) = run(shipdeck(&data).args(["show", "settings", "--platform", "ios", "--workspace"]).arg(&ws.root));
        assert_eq!(code, 0, "{err}");
        json(&out)
    };
    assert_eq!(view()["can_undo"], false);
    let base = "native/Configurations/Base.xcconfig";
    let (code, _, err) = run(shipdeck(&data).args(["xcconfig", "set"]).arg(ws.path(base)).args(["SWIFT_VERSION", "6.0"]));
    assert_eq!(code, 0, "{err}");
    let v = view();
    assert_eq!(v["can_undo"], true, "{v}");
    assert_eq!(v["undo"]["file"], base);
    assert_eq!(v["undo"]["changes"][0], "SWIFT_VERSION: 6.0 -> 5.9");
    // A later save to the Production xcconfig is the newer one.
    std::thread::sleep(std::time::Duration::from_millis(5));
    let (code, _, err) = xc(&ws, &["set", "CURRENT_PROJECT_VERSION", "251"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(view()["undo"]["file"], PROD);
}

/// An include written from the project's folder (Chime's `Configurations/Edit.xcconfig` includes
/// `"Configurations/NonSwiftWorkaround.xcconfig"`): found as Xcode finds it, from the folder of
/// the nearest .xcodeproj above the file; without a project there, it is missing (exit 1).
#[test]
fn an_include_written_from_the_projects_folder_is_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("Configurations")).unwrap();
    std::fs::write(dir.path().join("Configurations/Edit.xcconfig"), "#include \"Configurations/Workaround.xcconfig\"\nEDIT = 1\n").unwrap();
    std::fs::write(dir.path().join("Configurations/Workaround.xcconfig"), "WORKAROUND = yes\n").unwrap();
    let get = || run(shipdeck(&dir.path().join("data")).arg("xcconfig").arg("get").arg(dir.path().join("Configurations/Edit.xcconfig")).arg("WORKAROUND"));
    let (code, _, err) = get();
    assert_eq!(code, 1, "{err}");
    std::fs::create_dir_all(dir.path().join("Edit.xcodeproj")).unwrap();
    let (code, out, err) = get();
    assert_eq!((code, out.as_str()), (0, "yes\n"), "{err}");
}
