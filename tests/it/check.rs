//! `shipdeck check` on the sample workspace and on copies broken one way at a time.

use crate::util::*;

fn check(ws: &TempWorkspace, extra: &[&str]) -> (i32, String, String) {
    let data = ws.dir.path().join("data");
    run(shipdeck(&data).arg("check").arg("--workspace").arg(&ws.root).args(extra))
}

#[test]
fn sample_has_no_blockers_and_keeps_the_json_shape() {
    let ws = TempWorkspace::sample();
    let (code, out, err) = check(&ws, &["--json"]);
    assert_eq!(code, 0, "stderr: {err}\n{out}");
    let r = json(&out);
    assert_eq!(r["workspace"]["name"], "Isometry");
    assert!(r["workspace"]["config"].as_str().unwrap().ends_with("shipdeck.toml"));
    let findings = r["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in ["id", "severity", "subject", "message"] {
            assert!(f[key].is_string(), "finding without {key}: {f}");
        }
        assert!(["ok", "warning", "blocker"].contains(&f["severity"].as_str().unwrap()));
    }
    // Counted by cause: one row, one count, however many targets it names.
    let s = &r["summary"];
    let groups = r["groups"].as_array().unwrap();
    let count = |sev: &str| groups.iter().filter(|g| findings[g[0].as_u64().unwrap() as usize]["severity"] == sev).count() as u64;
    assert_eq!(s["ok"], count("ok"));
    assert_eq!(s["warnings"], count("warning"));
    assert_eq!(s["blockers"], 0);
    assert!(ids(&r, "ok").contains(&"workspace.project.found".to_string()));
}

#[test]
fn text_report_ends_with_the_summary() {
    let ws = TempWorkspace::sample();
    let (code, out, _) = check(&ws, &[]);
    assert_eq!(code, 0);
    let last = out.trim_end().lines().last().unwrap();
    assert!((last.ends_with(" blockers") || last.ends_with(" 1 blocker")) && last.contains(" passed, "), "{last}");
    assert!(out.contains("Isometry"));
}

#[test]
fn missing_project_is_a_blocker_naming_the_config_line_file() {
    let ws = TempWorkspace::sample();
    std::fs::remove_dir_all(ws.path("native/IsometrymacOS/IsometrymacOS.xcodeproj")).unwrap();
    let (code, out, _) = check(&ws, &["--json"]);
    assert_eq!(code, 1, "{out}");
    let r = json(&out);
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["id"] == "workspace.project.missing").expect("finding");
    assert_eq!(f["severity"], "blocker");
    assert_eq!(f["file"], "native/IsometrymacOS/IsometrymacOS.xcodeproj");
    assert!(f["message"].as_str().unwrap().contains("does not exist"));
    assert!(r["summary"]["blockers"].as_u64().unwrap() >= 1);
}

#[test]
fn missing_xcconfig_and_entitlements_are_blockers() {
    let ws = TempWorkspace::sample();
    std::fs::remove_file(ws.path("native/Configurations/Production.xcconfig")).unwrap();
    std::fs::remove_file(ws.path("native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements")).unwrap();
    let (code, out, _) = check(&ws, &["--json"]);
    assert_eq!(code, 1);
    let r = json(&out);
    let blocked: Vec<String> = r["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "workspace.file.missing").map(|f| f["file"].as_str().unwrap().to_string()).collect();
    assert!(blocked.contains(&"native/Configurations/Production.xcconfig".to_string()), "{blocked:?}");
    assert!(blocked.contains(&"native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements".to_string()), "{blocked:?}");
}

#[test]
fn malformed_plist_is_reported_with_its_file() {
    let ws = TempWorkspace::sample();
    ws.write("native/ExportOptions.plist", "<?xml version=\"1.0\"?><plist><dict><key>method</key>");
    let (code, out, _) = check(&ws, &["--json"]);
    assert_eq!(code, 1);
    let r = json(&out);
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["id"] == "plist.parse").expect("plist.parse");
    assert_eq!(f["file"], "native/ExportOptions.plist");
}

#[test]
fn non_utf8_xcconfig_is_unreadable_with_its_line() {
    let ws = TempWorkspace::sample();
    let mut bytes = ws.read("native/Configurations/Production.xcconfig").into_bytes();
    bytes.extend_from_slice(b"BAD = \xff\xfe\n");
    std::fs::write(ws.path("native/Configurations/Production.xcconfig"), &bytes).unwrap();
    let (code, out, _) = check(&ws, &["--json"]);
    assert_eq!(code, 1);
    let r = json(&out);
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["id"] == "xcconfig.unreadable").expect("xcconfig.unreadable");
    assert_eq!(f["line"].as_u64().unwrap() as usize, bytes.iter().filter(|&&b| b == b'\n').count());
}

#[test]
fn malformed_config_exits_2_with_file_line_column() {
    let ws = TempWorkspace::sample();
    ws.edit("shipdeck.toml", "[app]\n", "[app]\ncolour = \"blue\"\n");
    let (code, out, err) = check(&ws, &["--json"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty());
    assert!(err.contains("shipdeck.toml:") && err.contains("colour"), "{err}");
    let line = ws.read("shipdeck.toml").lines().position(|l| l.starts_with("colour")).unwrap() + 1;
    assert!(err.contains(&format!("shipdeck.toml:{line}:1:")), "{err}");
}

#[test]
fn unreadable_workspace_and_bad_usage_exit_2() {
    let ws = TempWorkspace::sample();
    let data = ws.dir.path().join("data");
    let (code, _, err) = run(shipdeck(&data).args(["check", "--workspace"]).arg(ws.path("nope")));
    assert_eq!(code, 2);
    assert!(err.contains("nope") && err.contains("no such file"), "{err}");
    let (code, _, _) = run(shipdeck(&data).args(["check", "--bogus-flag"]));
    assert_eq!(code, 2);
}

#[test]
fn no_config_discovers_and_says_what_it_guessed() {
    let ws = TempWorkspace::sample();
    std::fs::remove_file(ws.path("shipdeck.toml")).unwrap();
    let (code, out, _) = check(&ws, &["--json"]);
    assert_eq!(code, 0, "{out}");
    let r = json(&out);
    assert!(r["workspace"]["config"].is_null());
    let guesses = r["workspace"]["guesses"].as_array().unwrap();
    let text: Vec<&str> = guesses.iter().map(|g| g.as_str().unwrap()).collect();
    assert!(text.iter().any(|g| g.contains("native/Configurations/Production.xcconfig")), "{text:?}");
    assert!(text.iter().any(|g| g.starts_with("macOS release: scheme \"IsometrymacOS\"") && g.contains("archive configuration Production") && g.contains("IsometrymacOS.xcodeproj")), "{text:?}");
    assert!(text.iter().any(|g| g.starts_with("iOS release: scheme \"IsometryiOS\"") && g.contains("IsometryiOS.xcodeproj")), "{text:?}");
    assert!(text.iter().any(|g| g == &"CloudKit container iCloud.com.mshaler.isometry, from native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements"), "{text:?}");
    assert!(ids(&r, "warning").contains(&"workspace.config.discovered".to_string()));
}

#[test]
fn empty_folder_has_no_project_blocker() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(shipdeck(&dir.path().join("data")).args(["check", "--json", "--workspace"]).arg(dir.path()));
    assert_eq!(code, 1);
    assert!(ids(&json(&out), "blocker").contains(&"workspace.project.none".to_string()));
    // Said of the folder by its name (it read ": No Xcode project…" with an empty subject).
    let r = json(&out);
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["id"] == "workspace.project.none").unwrap();
    let name = dir.path().file_name().unwrap().to_string_lossy();
    assert_eq!((f["subject"].as_str(), f["title"].as_str()), (Some(name.as_ref()), Some("No Xcode project")), "{f}");
}

#[test]
fn init_previews_then_writes_the_discovered_config_once() {
    let ws = TempWorkspace::sample();
    std::fs::remove_file(ws.path("shipdeck.toml")).unwrap();
    let data = ws.dir.path().join("data");
    let (code, out, _) = run(shipdeck(&data).args(["init", "--dry-run", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    assert!(out.contains("production_xcconfig = \"native/Configurations/Production.xcconfig\""), "{out}");
    assert!(!ws.path("shipdeck.toml").exists());
    let (code, _, _) = run(shipdeck(&data).args(["init", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    assert_eq!(ws.read("shipdeck.toml"), out);
    // The written file is read back as a configured workspace.
    let (code, out, _) = run(shipdeck(&data).args(["check", "--json", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    assert!(json(&out)["workspace"]["config"].is_string());
    let (code, _, err) = run(shipdeck(&data).args(["init", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 2, "{err}");
}

fn finding<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    r["findings"].as_array().unwrap().iter().find(|f| f["id"] == id).unwrap_or_else(|| panic!("no {id} in {r:#}"))
}

fn line_of(ws: &TempWorkspace, rel: &str, needle: &str) -> u64 {
    ws.read(rel).lines().position(|l| l.contains(needle)).expect("needle") as u64 + 1
}

const PROD: &str = "native/Configurations/Production.xcconfig";
const IOS_INFO: &str = "native/IsometryiOS/IsometryiOS/Info.plist";
const IOS_ENT: &str = "native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements";

/// Breaks the sample in one place and expects exactly one blocker or warning with that id at that line.
fn broken_once(file: &str, from: &str, to: &str, id: &str, severity: &str, line_needle: Option<&str>) {
    let ws = TempWorkspace::sample();
    ws.edit(file, from, to);
    let (_, out, err) = check(&ws, &["--json"]);
    let r = json(&out);
    let f = finding(&r, id);
    assert_eq!(f["severity"], severity, "{id}: {err}");
    if let Some(needle) = line_needle {
        assert_eq!(f["file"], file, "{id}");
        assert_eq!(f["line"], line_of(&ws, file, needle), "{id}");
    }
    // The copy has no signing identities here (no keychain on Linux, no demo folder) and no
    // App Store Connect key: those warnings are the same before the break; everything else
    // must be the one finding.
    let problems: Vec<&serde_json::Value> =
        r["findings"].as_array().unwrap().iter().filter(|f| f["severity"] != "ok" && f["id"] != "signing.source.unavailable" && f["id"] != "release.build-number.unverified").collect();
    assert_eq!(problems.len(), 1, "{id}: one break, one finding: {problems:#?}");
}

#[test]
fn each_break_is_caught_with_its_id_file_and_line() {
    broken_once(PROD, "#include \"Base.xcconfig\"", "#include \"Basis.xcconfig\"", "xcconfig.include.missing", "blocker", Some("Basis.xcconfig"));
    broken_once(PROD, "SWIFT_COMPILATION_MODE = wholemodule", "SWIFT_COMPILATION_MODE wholemodule", "xcconfig.parse", "blocker", Some("SWIFT_COMPILATION_MODE wholemodule"));
    broken_once(IOS_INFO, "<string>$(MARKETING_VERSION)</string>", "<string>2.4.0</string>", "appstore.version.mismatch", "blocker", Some("CFBundleShortVersionString"));
    broken_once(IOS_INFO, "<key>ITSAppUsesNonExemptEncryption</key>\n\t<false/>\n", "", "appstore.encryption.undeclared", "warning", None);
    // `development` is what Xcode writes (the export takes `production` from the profile); a
    // value APNs does not know is the break.
    broken_once(
        IOS_ENT,
        "<key>aps-environment</key>\n\t<string>production</string>",
        "<key>aps-environment</key>\n\t<string>sandbox</string>",
        "appstore.push-environment",
        "blocker",
        Some("aps-environment"),
    );
    broken_once(
        PROD,
        "ISOMETRY_CRASH_REPORTING_DSN = https:/$()/4f1c2e9ab7d34e0c@errors.isometry.app/2",
        "ISOMETRY_CRASH_REPORTING_DSN = YOUR_DSN_HERE",
        "monitoring.setting.placeholder",
        "blocker",
        Some("YOUR_DSN_HERE"),
    );
}

#[test]
fn a_url_without_the_slash_escape_is_cut_at_its_comment() {
    // `//` starts a comment: Xcode reads `https:` and so does Shipdeck.
    broken_once(
        PROD,
        "ISOMETRY_CRASH_REPORTING_DSN = https:/$()/4f1c2e9ab7d34e0c@errors.isometry.app/2",
        "ISOMETRY_CRASH_REPORTING_DSN = https://4f1c2e9ab7d34e0c@errors.isometry.app/2",
        "monitoring.setting.placeholder",
        "blocker",
        Some("ISOMETRY_CRASH_REPORTING_DSN"),
    );
}

#[test]
fn missing_privacy_manifest_and_icon() {
    let ws = TempWorkspace::sample();
    std::fs::remove_file(ws.path("native/IsometrymacOS/IsometrymacOS/PrivacyInfo.xcprivacy")).unwrap();
    std::fs::remove_dir_all(ws.path("native/IsometryiOS/IsometryiOS/Assets.xcassets/AppIcon.appiconset")).unwrap();
    let (code, out, _) = check(&ws, &["--json"]);
    assert_eq!(code, 1);
    let r = json(&out);
    assert_eq!(finding(&r, "appstore.privacy-manifest.missing")["subject"], "macOS target IsometrymacOS");
    assert_eq!(finding(&r, "appstore.app-icon.missing")["subject"], "iOS target IsometryiOS");
}

#[test]
fn an_acknowledged_finding_shows_but_does_not_block() {
    let ws = TempWorkspace::sample();
    ws.edit(IOS_ENT, "<string>production</string>", "<string>sandbox</string>");
    let toml = ws.read("shipdeck.toml");
    ws.write("shipdeck.toml", &format!("{toml}\n[[acknowledge]]\nid = \"appstore.push-environment\"\nreason = \"push is off in 2.5\"\n"));
    let (code, out, _) = check(&ws, &["--json"]);
    assert_eq!(code, 0, "{out}");
    let r = json(&out);
    assert_eq!(finding(&r, "appstore.push-environment")["acknowledged"], "push is off in 2.5");
    assert_eq!(r["summary"]["acknowledged"], 1);
    assert_eq!(r["summary"]["blockers"], 0);
    let (_, text, _) = check(&ws, &[]);
    assert!(text.trim_end().ends_with("0 blockers (1 acknowledged)"), "{text}");
}

#[test]
fn a_file_named_in_other_letter_case_is_found_as_a_mac_finds_it() {
    let ws = TempWorkspace::sample();
    let lower = IOS_INFO.replace("Info.plist", "info.plist");
    std::fs::rename(ws.path(IOS_INFO), ws.path(&lower)).unwrap();
    let (code, out, _) = check(&ws, &["--json"]);
    let r = json(&out);
    assert_eq!(code, 0, "not a blocker: {r:#}");
    let f = finding(&r, "workspace.name-case");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["file"], lower);
    // Every Info.plist check still reads the file.
    assert_eq!(finding(&r, "appstore.encryption.declared")["subject"], "iOS target IsometryiOS");
}

/// What a user gives for the workspace is the folder they mean: an .xcodeproj (dropped, or
/// pasted in the path bar) opened as a one-project workspace named "IsometryiOS.xcodeproj"
/// with a blocker; now it is the folder above that holds shipdeck.toml, as is the
/// shipdeck.toml file itself; `~` is the home folder (a path bar does not expand it).
#[test]
fn a_project_bundle_or_file_opens_its_workspace_folder() {
    let ws = TempWorkspace::sample();
    let data = ws.dir.path().join("data");
    let root = ws.root.canonicalize().unwrap();
    for given in ["native/IsometryiOS/IsometryiOS.xcodeproj", "native/IsometrymacOS/IsometrymacOS.xcodeproj", "shipdeck.toml"] {
        let (code, out, err) = run(shipdeck(&data).args(["check", "--json", "--workspace"]).arg(ws.path(given)));
        assert!(code == 0 || code == 1, "{given}: {err}");
        let r = json(&out);
        assert_eq!(r["workspace"]["name"], "Isometry", "{given}");
        assert_eq!(r["workspace"]["root"].as_str(), root.to_str(), "{given}");
    }
    // Another file is still refused, named.
    let (code, _, err) = run(shipdeck(&data).args(["check", "--workspace"]).arg(ws.path("native/Configurations/Production.xcconfig")));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Production.xcconfig: not a workspace folder: is a file"), "{err}");
    // `~/…` against HOME.
    let home = ws.root.parent().unwrap();
    let name = ws.root.file_name().unwrap().to_str().unwrap();
    let (code, out, err) = run(shipdeck(&data).args(["check", "--json", "--workspace", &format!("~/{name}")]).env("HOME", home));
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(json(&out)["workspace"]["root"].as_str(), root.to_str());
}

/// The window says every error code in words (ui/session.js): a code added to the engine and
/// not there would show as its bare code, as "io:" did.
#[test]
fn every_error_code_has_words_in_the_window() {
    let ui = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/session.js")).unwrap();
    let table = ui.split("const ERROR_TITLES = {").nth(1).and_then(|t| t.split("};").next()).expect("ERROR_TITLES in ui/session.js");
    for c in shipdeck::error::Code::ALL {
        let key = c.as_str();
        let quoted = format!("\"{key}\":");
        let bare = format!("\n  {key}:");
        assert!(table.contains(&quoted) || table.contains(&bare), "no words for the error code {key} in ui/session.js");
    }
}

/// `shipdeck check | head -1`: the reader closes the pipe; the next line panicked ("failed
/// printing to stdout" and a backtrace). A read-only command ends quietly, as Unix tools do.
#[test]
fn a_closed_output_pipe_ends_a_read_only_command_quietly() {
    let ws = TempWorkspace::sample();
    let mut child = shipdeck(&ws.dir.path().join("data")).args(["check", "--workspace"]).arg(&ws.root).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take()); // the reader is gone before the first line
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.status.success(), "it did not print its report, so it did not succeed");
}

/// `shipdeck cloudkit check | head -2` panicked in the report's printing: the CloudKit commands
/// keep Rust's handling of a closed pipe (a deploy finishes what it started), so every line they
/// print must be one that drops what cannot be written.
#[test]
fn a_closed_output_pipe_does_not_panic_a_cloudkit_command() {
    let ws = TempWorkspace::sample();
    let mut child =
        shipdeck(&ws.dir.path().join("data")).args(["cloudkit", "check", "--workspace"]).arg(&ws.root).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "the container is aligned: {err}");
}

/// TICE releases with a configuration named Production based on no xcconfig: discovered, there
/// is no Production xcconfig to name, and none is asked for. A shipdeck.toml that releases with
/// Production and names none is still told to.
#[test]
fn a_production_configuration_without_an_xcconfig_asks_for_none_until_configured() {
    let ws = TempWorkspace::sample();
    for p in ["native/IsometryiOS/IsometryiOS.xcodeproj/project.pbxproj", "native/IsometrymacOS/IsometrymacOS.xcodeproj/project.pbxproj"] {
        let text: String = ws.read(p).lines().filter(|l| !l.contains("baseConfigurationReference")).map(|l| format!("{l}\n")).collect();
        ws.write(p, &text);
    }
    std::fs::remove_file(ws.path("shipdeck.toml")).unwrap();
    std::fs::remove_file(ws.path("native/Configurations/Production.xcconfig")).unwrap();
    let ids = |out: &str| -> Vec<String> { json(out)["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect() };
    let (_, out, err) = check(&ws, &["--json"]);
    assert!(!out.is_empty(), "{err}");
    assert!(json(&out)["workspace"]["guesses"].to_string().contains("archive configuration Production"), "{out}");
    assert!(!ids(&out).contains(&"workspace.xcconfig.none".to_string()), "{out}");
    let (code, _, err) = run(shipdeck(&ws.dir.path().join("data")).args(["init", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    let toml: String = ws.read("shipdeck.toml").lines().filter(|l| !l.starts_with("production_xcconfig")).map(|l| format!("{l}\n")).collect();
    assert!(toml.contains("configuration = \"Production\""), "{toml}");
    ws.write("shipdeck.toml", &toml);
    let (_, out, _) = check(&ws, &["--json"]);
    assert!(ids(&out).contains(&"workspace.xcconfig.none".to_string()), "{out}");
}

/// A version written in the Info.plist beside another MARKETING_VERSION (breadwallet's 4.9 and
/// 3.17.2): the blocker says which one the build ships.
#[test]
fn a_version_mismatch_says_which_version_ships() {
    let ws = TempWorkspace::sample();
    ws.edit(IOS_INFO, "<string>$(MARKETING_VERSION)</string>", "<string>2.4.0</string>");
    let (_, out, _) = check(&ws, &["--json"]);
    let r = json(&out);
    let f = finding(&r, "appstore.version.mismatch");
    assert_eq!(f["message"], "Info.plist says version 2.4.0, but MARKETING_VERSION is 2.5.0: the build ships 2.4.0, the Info.plist's, while Xcode's General tab shows and edits 2.5.0.");
}
