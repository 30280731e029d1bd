//! `shipdeck release` and its dry-run against recording fakes of xcodebuild and altool.

use crate::util::*;
use std::path::Path;

const SENTINEL_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSENTINELSECRETKEYMATERIAL0123456789ab\n-----END PRIVATE KEY-----\n";
const SENTINEL: &str = "SENTINELSECRETKEYMATERIAL0123456789ab";

fn fakes_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes").display().to_string() + ":/usr/bin:/bin"
}

struct Run {
    code: i32,
    out: String,
    err: String,
    calls: String,
    record: serde_json::Value,
}

fn release(ws: &TempWorkspace, args: &[&str], env: &[(&str, &str)], path: &str) -> Run {
    let log = ws.dir.path().join("fake.log");
    let _ = std::fs::remove_file(&log);
    let data = ws.dir.path().join("data");
    let mut cmd = shipdeck(&data);
    cmd.arg("release").args(args).arg("--workspace").arg(&ws.root).env("PATH", path).env("SHIPDECK_FAKE_LOG", &log);
    for k in ["APP_STORE_CONNECT_KEY_ID", "APP_STORE_CONNECT_ISSUER_ID", "APP_STORE_CONNECT_PRIVATE_KEY", "APP_STORE_CONNECT_PRIVATE_KEY_PATH", "GITHUB_ACTIONS"] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let records = || -> Vec<std::path::PathBuf> { std::fs::read_dir(data.join("runs")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default() };
    let before = records();
    let (code, out, err) = run(&mut cmd);
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    // This run's record: the one that was not there before (two runs can start in one second).
    let newest = records().into_iter().find(|p| !before.contains(p)).map(|p| json(&std::fs::read_to_string(p.join("run.json")).unwrap())).unwrap_or(serde_json::Value::Null);
    Run { code, out, err, calls, record: newest }
}

fn step<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    r["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("no step {id}"))
}

const CREDS: &[(&str, &str)] = &[("APP_STORE_CONNECT_KEY_ID", "ABC123DEF4"), ("APP_STORE_CONNECT_ISSUER_ID", "69a6de70-03db-47e3-e053-5b8c7c11a4d1"), ("APP_STORE_CONNECT_PRIVATE_KEY", SENTINEL_KEY)];

#[test]
fn dry_run_without_any_tool_or_credential_completes() {
    let ws = TempWorkspace::sample();
    let empty = tempfile::tempdir().unwrap();
    let before = ws.snapshot();
    let r = release(&ws, &["--dry-run"], &[], empty.path().to_str().unwrap());
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert_eq!(r.record["outcome"], "dry-run-passed");
    let upload = step(&r.record, "ios.upload");
    assert_eq!(upload["state"], "would-run");
    // No altool answers here: the command is written for the current Xcode's, and the plan says so.
    assert!(upload["command"].as_str().unwrap().contains("xcrun altool --upload-package "), "{upload:#}");
    assert!(upload["note"].as_str().unwrap().contains("no altool or xcodebuild answered here"), "{upload:#}");
    let needs = upload["needs"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect::<Vec<_>>().join("; ");
    assert!(needs.contains("APP_STORE_CONNECT_KEY_ID") && needs.contains("`xcrun`"), "{needs}");
    assert_eq!(step(&r.record, "macos.archive")["state"], "would-run");
    assert_eq!(ws.snapshot(), before, "a dry-run changes no file of the workspace");
    // Each need is said once (it was said on every step that needs it: eight times for the key),
    // and the last line says a real run needs more than this machine has.
    assert_eq!(r.out.matches("a real run needs an App Store Connect API key id").count(), 1, "{}", r.out);
    assert!(r.out.contains("a real run needs what is said above"), "{}", r.out);
    let all: std::collections::BTreeSet<&str> = r.record["steps"].as_array().unwrap().iter().flat_map(|s| s["needs"].as_array().unwrap().iter().map(|n| n.as_str().unwrap())).collect();
    assert!(r.out.contains("Dry-run passed in ") && r.out.contains(&format!(" A real run needs {} things this machine lacks (said above).", all.len())), "{}", r.out);

    // The ExportOptions a real run would write are shown, and not written.
    let file = &step(&r.record, "ios.export")["file"];
    let path = std::path::PathBuf::from(file["path"].as_str().unwrap());
    assert!(path.ends_with("IsometryiOS-ExportOptions.plist"), "{path:?}");
    assert!(!path.exists(), "a dry-run writes no ExportOptions");
    let text = file["text"].as_str().unwrap();
    assert!(text.contains("<key>method</key>\n\t<string>app-store-connect</string>"), "{text}");
    assert!(r.out.contains("          IsometryiOS-ExportOptions.plist:\n"), "{}", r.out);
    assert!(r.out.contains("          |   <key>teamID</key>\n          |   <string>7XK2M9QPLA</string>\n"), "{}", r.out);
}

#[test]
fn dry_run_runs_only_what_reads() {
    let ws = TempWorkspace::sample();
    let before = ws.snapshot();
    let r = release(&ws, &["--dry-run"], CREDS, &fakes_path());
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("App Store Connect API key ABC123DEF4, from the environment"), "{}", r.out);
    let verbs: Vec<&str> = r.calls.lines().collect();
    assert_eq!(verbs.len(), 2, "{}", r.calls);
    assert!(verbs.iter().all(|l| l.starts_with("xcodebuild -showBuildSettings -json")), "{}", r.calls);
    assert_eq!(step(&r.record, "ios.build-settings")["state"], "done");
    assert_eq!(ws.snapshot(), before);

    // --archive archives into a temporary folder and stops there.
    let r = release(&ws, &["--dry-run", "--archive", "--platform", "ios"], CREDS, &fakes_path());
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.calls.lines().any(|l| l.starts_with("xcodebuild archive ")));
    assert!(!r.calls.contains("-exportArchive") && !r.calls.contains("altool"));
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn a_full_release_runs_every_command_and_keeps_the_key_secret() {
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--json"], CREDS, &fakes_path());
    assert_eq!(r.record["outcome"], "failed", "{}{}", r.out, r.err);
    for s in r.record["steps"].as_array().unwrap() {
        let expected = if s["id"].as_str().unwrap().ends_with(".processing") { "failed" } else { "done" };
        assert_eq!(s["state"], expected, "{s:#}");
    }
    assert!(step(&r.record, "ios.processing")["causes"][0]["line"].as_str().unwrap().contains("not an EC (.p8) key"));
    let lines: Vec<&str> = r.calls.lines().collect();
    let order: Vec<String> = lines.iter().map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(
        order,
        [
            "xcodebuild -showBuildSettings",
            "xcodebuild archive",
            "xcodebuild -exportArchive",
            "altool --upload-package",
            "altool key-file",
            "xcodebuild -showBuildSettings",
            "xcodebuild archive",
            "xcodebuild -exportArchive",
            "altool --upload-package",
            "altool key-file",
        ]
    );
    let archive = lines[1];
    assert!(archive.contains("-scheme IsometryiOS -configuration Production -destination generic/platform=iOS -archivePath "), "{archive}");
    assert!(!r.calls.contains("-allowProvisioningUpdates"), "manual signing fetches nothing");
    assert!(lines[3].contains("--platform ios --api-key ABC123DEF4 --api-issuer 69a6de70-03db-47e3-e053-5b8c7c11a4d1 --p8-file-path "), "{}", lines[3]);
    assert!(lines[3].ends_with("/private_keys/AuthKey_ABC123DEF4.p8"), "{}", lines[3]);
    assert_eq!(step(&r.record, "ios.upload")["delivery_uuid"], "0f6e8c2a-5d1b-4c9e-9a3f-7b2d4e6f8a10", "the receipt is kept");
    assert!(lines[3].contains("IsometryiOS.ipa") && lines[8].contains("IsometrymacOS.pkg"));
    let options = std::fs::read_to_string(ws.dir.path().join("fake.log.exportoptions")).unwrap();
    // No identity is installed here: Apple's selectors, which let Xcode pick the newest.
    assert_eq!(options.matches("<key>installerSigningCertificate</key>\n\t<string>Mac Installer Distribution</string>").count(), 1, "the macOS export only: {options}");
    assert_eq!(options.matches("<key>signingCertificate</key>\n\t<string>Apple Distribution</string>").count(), 2, "{options}");
    assert!(options.contains("<string>app-store-connect</string>") && options.contains("<key>teamID</key>\n\t<string>7XK2M9QPLA</string>"), "{options}");
    assert!(options.contains("<key>com.mshaler.isometry</key>\n\t\t<string>Isometry App Store Distribution</string>"), "{options}");
    // The secret is nowhere: not on a command line, not in any output, record or log.
    assert!(!r.calls.contains(SENTINEL));
    assert!(!r.out.contains(SENTINEL) && !r.err.contains(SENTINEL));
    let data = ws.dir.path().join("data");
    for entry in walk(&data) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
        assert!(!text.contains(SENTINEL), "secret in {}", entry.display());
    }
    // The sentinel is not a real EC key: the processing step cannot sign its App Store Connect
    // token and says so (tests/release_asc.rs follows a build through a stand-in).
}

#[test]
fn a_failed_archive_shows_its_cause_first() {
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--json", "--platform", "ios"], &[CREDS, &[("FAKE_XCODEBUILD_FAIL", "archive")]].concat(), &fakes_path());
    assert_eq!(r.code, 1);
    assert_eq!(r.record["outcome"], "failed");
    let archive = step(&r.record, "ios.archive");
    assert_eq!(archive["state"], "failed");
    assert_eq!(archive["causes"][0]["finding"], "signing.profile.certificate-mismatch");
    assert!(archive["causes"][0]["line"].as_str().unwrap().contains("doesn't include signing certificate"));
    assert_eq!(step(&r.record, "ios.export")["state"], "blocked");
    assert_eq!(step(&r.record, "ios.upload")["state"], "blocked");
    assert!(!r.calls.contains("altool"));
    // The record says what it built and why it failed, and `shipdeck runs` lists both.
    assert_eq!(r.record["builds"], serde_json::json!(["iOS 2.5.0 (250)"]));
    let why = r.record["why"].as_str().unwrap();
    assert!(why.starts_with("Archive IsometryiOS (Production): error: Provisioning profile"), "{why}");
    let (code, out, _) = run(shipdeck(&ws.dir.path().join("data")).arg("runs"));
    assert_eq!(code, 0);
    assert!(out.contains("iOS 2.5.0 (250)") && out.contains(why), "{out}");

    // Text output: the cause, and GitHub annotations in Actions.
    let r = release(&ws, &["--platform", "ios"], &[CREDS, &[("FAKE_XCODEBUILD_FAIL", "archive"), ("GITHUB_ACTIONS", "true")]].concat(), &fakes_path());
    assert!(r.out.contains("! error: Provisioning profile"), "{}", r.out);
    assert!(r.out.lines().any(|l| l.starts_with("::error title=Archive IsometryiOS (Production)::error: Provisioning profile")), "{}", r.out);
    // With the fix Shipdeck knows, on the annotation's next line.
    assert!(r.out.contains("%0AThe profile does not list the certificate that signs"), "{}", r.out);

    // A compile error: annotated on its file (relative to the workspace) and line.
    let r = release(&ws, &["--platform", "ios"], &[CREDS, &[("FAKE_XCODEBUILD_FAIL", "compile"), ("GITHUB_ACTIONS", "true")]].concat(), &fakes_path());
    assert_eq!(r.code, 1);
    let notes: Vec<&str> = r.out.lines().filter(|l| l.starts_with("::error")).collect();
    assert_eq!(notes, ["::error file=native/IsometryiOS/IsometryiOS/ContentView.swift,line=12,col=9,title=Archive IsometryiOS (Production)::cannot find 'Foo' in scope"], "{}", r.out);
}

#[test]
fn a_refused_upload_and_a_missing_key_are_explained() {
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--json", "--platform", "ios"], &[CREDS, &[("FAKE_ALTOOL_FAIL", "1")]].concat(), &fakes_path());
    assert_eq!(r.code, 1);
    let upload = step(&r.record, "ios.upload");
    assert_eq!(upload["state"], "failed");
    assert_eq!(upload["causes"][0]["finding"], "release.build-number.used");

    // No credentials: a real run stops before it archives (not 20 minutes later at the upload),
    // and says what it needs.
    let r = release(&ws, &["--json", "--platform", "ios"], &[], &fakes_path());
    assert_eq!(r.code, 1);
    assert_eq!(r.record["outcome"], "blocked");
    let preflight = step(&r.record, "preflight");
    assert_eq!(preflight["state"], "blocked");
    assert!(preflight["causes"].to_string().contains("A real release needs, before it archives") && preflight["causes"].to_string().contains("APP_STORE_CONNECT_KEY_ID"), "{preflight:#}");
    assert_eq!(step(&r.record, "ios.archive")["state"], "blocked");
    assert!(!r.calls.contains("xcodebuild archive") && !r.calls.contains("altool"), "{}", r.calls);
}

#[test]
fn an_upload_error_counts_even_when_altool_exits_0() {
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--json", "--platform", "ios"], &[CREDS, &[("FAKE_ALTOOL_FAIL", "exit0")]].concat(), &fakes_path());
    assert_eq!(r.code, 1, "{}", r.out);
    let upload = step(&r.record, "ios.upload");
    assert_eq!(upload["state"], "failed");
    assert!(upload["note"].as_str().unwrap().ends_with("\naltool exited 0 but reported an error: the upload is taken as failed"), "{upload:#}");
    assert_eq!(upload["causes"][0]["finding"], "release.build-number.used");
    assert_eq!(step(&r.record, "ios.processing")["state"], "blocked");
}

#[test]
fn a_link_failure_names_the_symbol_and_annotates_once() {
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--platform", "ios"], &[CREDS, &[("FAKE_XCODEBUILD_FAIL", "link")]].concat(), &fakes_path());
    assert_eq!(r.code, 1);
    // The header, then the symbol that completes it; no "linker command failed" before it.
    let at = r.out.find("! Undefined symbols for architecture arm64:").unwrap_or_else(|| panic!("{}", r.out));
    assert!(r.out[at..].contains("\"loganInit(NSData*, NSData*, unsigned long long)\", referenced from:"), "{}", r.out);
    assert!(!r.out.contains("! clang: error: linker command failed"), "{}", r.out);
    // GitHub annotations: one per distinct cause, the symbol in it.
    let r = release(&ws, &["--platform", "ios"], &[CREDS, &[("FAKE_XCODEBUILD_FAIL", "link"), ("GITHUB_ACTIONS", "true")]].concat(), &fakes_path());
    let annotations: Vec<&str> = r.out.lines().filter(|l| l.starts_with("::error")).collect();
    assert_eq!(annotations.len(), 1, "{}", r.out);
    assert!(annotations[0].contains("Undefined symbols for architecture arm64:%0A  \"loganInit"), "{}", annotations[0]);
}

#[test]
fn an_upload_without_app_store_connects_receipt_is_not_taken_as_done() {
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--json", "--platform", "ios"], &[CREDS, &[("FAKE_ALTOOL_FAIL", "silent")]].concat(), &fakes_path());
    assert_eq!(r.code, 1, "{}", r.out);
    let upload = step(&r.record, "ios.upload");
    assert_eq!(upload["state"], "failed");
    assert!(upload["note"].as_str().unwrap().contains("\naltool exited 0 without saying the upload succeeded"), "{upload:#}");
    assert_eq!(step(&r.record, "ios.processing")["state"], "blocked", "no wait for a build never sent");
}

#[test]
fn an_xcode_16_altool_gets_its_own_spelling() {
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--json", "--platform", "ios"], &[CREDS, &[("FAKE_ALTOOL_VERSION", "legacy"), ("FAKE_XCODE_VERSION", "15.2")]].concat(), &fakes_path());
    // Xcode before 15.3 names the App Store export `app-store`.
    let options = std::fs::read_to_string(ws.dir.path().join("fake.log.exportoptions")).unwrap();
    assert!(options.contains("<key>method</key>\n\t<string>app-store</string>"), "{options}");
    let upload_call = r.calls.lines().find(|l| l.starts_with("altool --upload")).unwrap_or_else(|| panic!("{}", r.calls));
    assert!(upload_call.contains("--upload-app -f ") && upload_call.ends_with("-t ios --apiKey ABC123DEF4 --apiIssuer 69a6de70-03db-47e3-e053-5b8c7c11a4d1"), "{upload_call}");
    let upload = step(&r.record, "ios.upload");
    assert_eq!(upload["state"], "done", "{upload:#}");
    assert!(upload["note"].as_str().unwrap().contains("`xcrun altool --version` says 8.003.16003"), "{upload:#}");
    assert!(upload["delivery_uuid"].is_null(), "the legacy tool prints no receipt id");
}

#[test]
fn blockers_stop_a_real_run_before_any_command() {
    let ws = TempWorkspace::sample();
    ws.edit("native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements", "<string>production</string>", "<string>sandbox</string>");
    let r = release(&ws, &["--json"], CREDS, &fakes_path());
    assert_eq!(r.code, 1);
    assert_eq!(r.record["outcome"], "blocked");
    assert_eq!(step(&r.record, "preflight")["state"], "blocked");
    assert!(step(&r.record, "preflight")["causes"][0]["line"].as_str().unwrap().contains("aps-environment"));
    assert!(r.calls.is_empty(), "{}", r.calls);
    // The dry-run still goes through every step and reports the blocker.
    let r = release(&ws, &["--json", "--dry-run"], CREDS, &fakes_path());
    assert_eq!(r.code, 1);
    assert_eq!(step(&r.record, "ios.build-settings")["state"], "done");
}

#[test]
fn runs_are_recorded_and_listed() {
    let ws = TempWorkspace::sample();
    let empty = tempfile::tempdir().unwrap();
    release(&ws, &["--dry-run"], &[], empty.path().to_str().unwrap());
    let (code, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["runs", "--json"]));
    assert_eq!(code, 0);
    let runs = json(&out);
    assert_eq!(runs.as_array().unwrap().len(), 1);
    assert_eq!(runs[0]["dry_run"], true);
    let id = runs[0]["id"].as_str().unwrap();
    // Filtered to one workspace, as every other command takes it: this one's, and none of another.
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["runs", "--json", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out).as_array().unwrap().len(), 1, "{out}");
    let other = TempWorkspace::sample();
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["runs", "--json", "-w"]).arg(&other.root));
    assert_eq!(json(&out).as_array().unwrap().len(), 0, "{out}");
    let (code, log, _) = run(shipdeck(&ws.dir.path().join("data")).args(["runs", id]));
    assert_eq!(code, 0);
    assert!(log.is_empty(), "no tool was on PATH: no command ran, nothing logged: {log}");
    // A run that ran commands: its log, line by line with the step and the time.
    release(&ws, &["--dry-run", "--archive", "--platform", "ios"], CREDS, &fakes_path());
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["runs", "--json"]));
    let runs = json(&out);
    let newest = runs.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).find(|r| r != id).expect("the second run");
    let (code, log, _) = run(shipdeck(&ws.dir.path().join("data")).args(["runs", &newest]));
    assert_eq!(code, 0);
    assert!(log.lines().any(|l| l.trim_start().split(' ').next().is_some_and(|ms| ms.parse::<u64>().is_ok()) && l.ends_with(" ios.archive | ** ARCHIVE SUCCEEDED **")), "{log}");
    let (code, _, err) = run(shipdeck(&ws.dir.path().join("data")).args(["runs", "no-such-run"]));
    assert_eq!(code, 2);
    assert!(err.contains("no run no-such-run"));

    // A run whose process died mid-way reads as interrupted, with the steps it finished; a
    // damaged record is named and the others still listed.
    let runs_dir = ws.dir.path().join("data/runs");
    let mut died = json(&std::fs::read_to_string(runs_dir.join(id).join("run.json")).unwrap());
    died["id"] = "1-died".into();
    died["outcome"] = "running".into();
    died["pid"] = 999_999_999u32.into();
    died["started_at"] = 1.into();
    std::fs::create_dir_all(runs_dir.join("1-died")).unwrap();
    std::fs::write(runs_dir.join("1-died/run.json"), died.to_string()).unwrap();
    std::fs::create_dir_all(runs_dir.join("2-damaged")).unwrap();
    std::fs::write(runs_dir.join("2-damaged/run.json"), "{\"id\": ").unwrap();
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["runs", "--json"]));
    assert_eq!(code, 0, "{err}");
    let runs = json(&out);
    assert_eq!(runs.as_array().unwrap().len(), 3);
    let interrupted = runs.as_array().unwrap().iter().find(|r| r["id"] == "1-died").unwrap();
    assert_eq!(interrupted["outcome"], "interrupted");
    assert!(interrupted.get("pid").is_none());
    assert!(err.contains("2-damaged/run.json: not a run record"), "{err}");
}

#[test]
fn the_build_number_bump_is_previewed_then_applied() {
    let ws = TempWorkspace::sample();
    let before = ws.snapshot();
    let r = release(&ws, &["--json", "--dry-run", "--bump-build", "--platform", "ios"], CREDS, &fakes_path());
    assert_eq!(r.code, 0, "{}", r.out);
    let bump = step(&r.record, "bump");
    assert_eq!(bump["state"], "would-run");
    assert_eq!(bump["title"], "Raise the build number to 251");
    assert!(bump["note"].as_str().unwrap().contains("-CURRENT_PROJECT_VERSION = 250\n+CURRENT_PROJECT_VERSION = 251"));
    assert_eq!(ws.snapshot(), before);

    // The fake xcodebuild does not read the project: told the number the bump wrote, as the real
    // one would build it (the processing step names the build the archive holds).
    let r = release(&ws, &["--json", "--bump-build", "--platform", "ios"], &[CREDS, &[("FAKE_BUILD_NUMBER", "251")]].concat(), &fakes_path());
    assert_eq!(step(&r.record, "bump")["state"], "done", "{}", r.out);
    assert!(ws.read("native/Configurations/Production.xcconfig").contains("\nCURRENT_PROJECT_VERSION = 251\n"));
    assert_eq!(step(&r.record, "ios.processing")["title"], "Build 2.5.0 (251) processed by App Store Connect");
}

#[test]
fn a_build_number_set_in_the_project_is_raised_there() {
    // The number in the project, not the xcconfig: Production and Release of the iOS target
    // at 250, Debug at 7.
    let ws = TempWorkspace::sample();
    let pbx = "native/IsometryiOS/IsometryiOS.xcodeproj/project.pbxproj";
    ws.edit("native/Configurations/Production.xcconfig", "CURRENT_PROJECT_VERSION = 250\n", "");
    let open = |id: &str, name: &str, base: &str| format!("{id} /* {name} */ = {{\n\t\t\tisa = XCBuildConfiguration;\n{base}\t\t\tbuildSettings = {{\n");
    let production_base = "\t\t\tbaseConfigurationReference = A1B2C3D4E5F6000000000221 /* Production.xcconfig */;\n";
    for (id, name, base, n) in [("A1B2C3D4E5F6000000000910", "Debug", "", 7), ("A1B2C3D4E5F6000000000911", "Release", "", 250), ("A1B2C3D4E5F6000000000912", "Production", production_base, 250)] {
        let at = open(id, name, base);
        ws.edit(pbx, &at, &format!("{at}\t\t\t\tCURRENT_PROJECT_VERSION = {n};\n"));
    }
    let before_text = ws.read(pbx);
    let before = ws.snapshot();

    let r = release(&ws, &["--json", "--dry-run", "--bump-build", "--platform", "ios"], CREDS, &fakes_path());
    assert_eq!(r.code, 0, "{}", r.out);
    let bump = step(&r.record, "bump");
    assert_eq!(bump["state"], "would-run", "{bump:#}");
    assert_eq!(bump["title"], "Raise the build number to 251");
    let diff = bump["note"].as_str().unwrap();
    assert_eq!(diff.matches("-\t\t\t\tCURRENT_PROJECT_VERSION = 250;").count(), 2, "{diff}");
    assert_eq!(diff.matches("+\t\t\t\tCURRENT_PROJECT_VERSION = 251;").count(), 2, "{diff}");
    assert_eq!(ws.snapshot(), before, "a dry-run writes nothing");

    let r = release(&ws, &["--json", "--bump-build", "--platform", "ios"], &[CREDS, &[("FAKE_BUILD_NUMBER", "251")]].concat(), &fakes_path());
    assert_eq!(step(&r.record, "bump")["state"], "done", "{}", r.out);
    let after = ws.read(pbx);
    // Only the two lines at 250 changed; Debug's 7 and every other byte are as they were.
    assert_eq!(after, before_text.replace("CURRENT_PROJECT_VERSION = 250;", "CURRENT_PROJECT_VERSION = 251;"));
    assert!(after.contains("CURRENT_PROJECT_VERSION = 7;"));
    assert_eq!(step(&r.record, "ios.processing")["title"], "Build 2.5.0 (251) processed by App Store Connect");
}

#[test]
fn an_unreadable_export_options_file_is_said_and_the_release_still_has_its_own() {
    let ws = TempWorkspace::sample();
    ws.write("native/ExportOptions.plist", "<?xml version=\"1.0\"?><plist><dict><key>method</key>");
    let r = release(&ws, &["--json", "--dry-run", "--platform", "ios"], &[], &fakes_path());
    let export = step(&r.record, "ios.export");
    let note = export["note"].as_str().unwrap();
    assert!(note.starts_with("ExportOptions: native/ExportOptions.plist could not be read ("), "{note}");
    assert!(note.contains("the ExportOptions are made from the workspace alone"), "{note}");
    assert!(export["file"]["text"].as_str().unwrap().contains("<string>app-store-connect</string>"));
}

#[test]
fn automatic_signing_fetches_with_the_key_and_a_dry_run_never_does() {
    let ws = TempWorkspace::sample();
    ws.edit("native/Configurations/Production.xcconfig", "CODE_SIGN_STYLE = Manual", "CODE_SIGN_STYLE = Automatic");
    let r = release(&ws, &["--json", "--platform", "ios"], CREDS, &fakes_path());
    assert_eq!(step(&r.record, "ios.export")["state"], "done", "{}", r.out);
    let archive = r.calls.lines().find(|l| l.starts_with("xcodebuild archive")).unwrap();
    let export = r.calls.lines().find(|l| l.starts_with("xcodebuild -exportArchive")).unwrap();
    for call in [archive, export] {
        assert!(call.contains(" -allowProvisioningUpdates -authenticationKeyPath "), "{call}");
        assert!(call.contains("/private_keys/AuthKey_ABC123DEF4.p8 -authenticationKeyID ABC123DEF4 -authenticationKeyIssuerID 69a6de70-03db-47e3-e053-5b8c7c11a4d1"), "{call}");
    }
    assert!(!r.calls.contains(SENTINEL), "the key's path is on the command line, never the key");

    // A dry-run that archives does not let xcodebuild change anything on Apple's side.
    let r = release(&ws, &["--json", "--dry-run", "--archive", "--platform", "ios"], CREDS, &fakes_path());
    let archive = r.calls.lines().find(|l| l.starts_with("xcodebuild archive")).unwrap();
    assert!(!archive.contains("-allowProvisioningUpdates") && !archive.contains("-authentication"), "{archive}");
    let step_archive = step(&r.record, "ios.archive");
    assert_eq!(step_archive["state"], "done");
    assert!(step_archive["note"].as_str().unwrap().starts_with("dry-run: archived without -allowProvisioningUpdates"), "{step_archive}");
    assert_eq!(step(&r.record, "ios.processing")["note"], "asks App Store Connect for this build until it is processed");

    // An archive holding another build number (a Run Script phase wrote it): the dry-run says
    // the build a real run would ask App Store Connect for, as the real run does.
    let r = release(&ws, &["--json", "--dry-run", "--archive", "--platform", "ios"], &[CREDS, &[("FAKE_ARCHIVE_BUILD_NUMBER", "1717")]].concat(), &fakes_path());
    assert_eq!(step(&r.record, "ios.processing")["note"], "asks App Store Connect for build 2.5.0 (1717), as it was built, until it is processed");
    // Its title names the same build (it named the workspace's before).
    let processing = step(&r.record, "ios.processing");
    let title = processing["title"].as_str().unwrap();
    assert!(title.starts_with("Build 2.5.0 (1717) ") && title.ends_with("processed by App Store Connect"), "{title}");
}

#[test]
fn an_apple_id_upload_passes_the_password_by_reference() {
    let ws = TempWorkspace::sample();
    let env = [("SHIPDECK_APPLE_ID", "dev@mshaler.com"), ("SHIPDECK_APPLE_ID_PASSWORD_REF", "@env:ALTOOL_APP_PASSWORD"), ("ALTOOL_APP_PASSWORD", "abcd-efgh-ijkl-mnop")];
    let r = release(&ws, &["--json", "--platform", "ios"], &env, &fakes_path());
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let upload_call = r.calls.lines().find(|l| l.starts_with("altool --upload-package")).unwrap();
    assert!(upload_call.ends_with("--platform ios --username dev@mshaler.com --password @env:ALTOOL_APP_PASSWORD"), "{upload_call}");
    // The step's note names the options the command uses, not the API key's.
    let note = step(&r.record, "ios.upload")["note"].as_str().unwrap_or_default().to_string();
    assert!(note.starts_with("Written in Xcode 26's altool options (--upload-package, --username, --password with an app-specific password)"), "{note}");
    assert!(r.calls.contains("altool password-from-env"));
    assert!(!r.calls.contains("abcd-efgh-ijkl-mnop") && !r.out.contains("abcd-efgh-ijkl-mnop"));
    assert_eq!(step(&r.record, "ios.processing")["state"], "skipped");

    // A password in clear is refused before anything runs.
    let r = release(&ws, &["--json", "--platform", "ios"], &[("SHIPDECK_APPLE_ID", "dev@mshaler.com"), ("SHIPDECK_APPLE_ID_PASSWORD_REF", "hunter2")], &fakes_path());
    assert_eq!(r.code, 1);
    let upload = step(&r.record, "ios.upload");
    assert_eq!(upload["state"], "blocked", "stopped at the first step, before the archive");
    assert!(upload["needs"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("never put on the command line")));
    assert!(step(&r.record, "preflight")["causes"].to_string().contains("never put on the command line"));
    assert!(!r.calls.contains("hunter2") && !r.calls.contains("xcodebuild archive"));
}

#[test]
fn a_failed_export_blocks_the_upload() {
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--json", "--platform", "ios"], &[CREDS, &[("FAKE_XCODEBUILD_FAIL", "export")]].concat(), &fakes_path());
    assert_eq!(r.code, 1);
    let export = step(&r.record, "ios.export");
    assert_eq!(export["state"], "failed");
    assert!(export["causes"][0]["line"].as_str().unwrap().contains("No signing certificate \"iOS Distribution\" found"));
    assert_eq!(export["causes"][0]["finding"], "signing.identity.missing");
    assert_eq!(step(&r.record, "ios.upload")["state"], "blocked");
    assert!(!r.calls.contains("altool"));
}

#[test]
fn the_upload_takes_the_package_the_export_wrote() {
    // Xcode names the .ipa after the product, which need not be the scheme's name.
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--json", "--platform", "ios"], &[CREDS, &[("FAKE_PRODUCT_NAME", "Isometry")]].concat(), &fakes_path());
    let upload = step(&r.record, "ios.upload");
    assert_eq!(upload["state"], "done", "{}\n{}", r.err, r.calls);
    let altool = r.calls.lines().find(|l| l.contains("altool")).expect("altool was called");
    assert!(altool.contains("IsometryiOS-export/Isometry.ipa"), "{altool}");
    assert!(upload["command"].as_str().unwrap().contains("IsometryiOS-export/Isometry.ipa"), "{upload}");

    // An export that says it succeeded but wrote nothing: the upload fails saying so, and
    // altool is not called with a file that is not there.
    let r = release(&ws, &["--json", "--platform", "ios"], &[CREDS, &[("FAKE_XCODEBUILD_FAIL", "empty-export")]].concat(), &fakes_path());
    assert_eq!(r.code, 1);
    let upload = step(&r.record, "ios.upload");
    assert_eq!(upload["state"], "failed");
    let cause = upload["causes"][0]["line"].as_str().unwrap();
    assert!(cause.starts_with("the export wrote no .ipa into ") && cause.ends_with("IsometryiOS-export"), "{cause}");
    assert_eq!(step(&r.record, "ios.processing")["state"], "blocked");
    assert!(!r.calls.contains("altool"), "{}", r.calls);
}

#[test]
fn export_options_keep_the_users_file_and_fill_in_the_profile_the_checks_choose() {
    let ws = TempWorkspace::sample();
    let (code, _, err) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "demo", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    // One of the demo's ambiguous pair goes, so the checks let the release run.
    std::fs::remove_file(ws.path(".shipdeck/demo-signing/mac-app-distribution-2.pem")).unwrap();
    // No profile named in the settings: the export takes the one the signing checks choose.
    ws.edit("native/Configurations/Production.xcconfig", "PROVISIONING_PROFILE_SPECIFIER[sdk=iphoneos*] = Isometry App Store Distribution\n", "");
    // The user's own file: an ad hoc method, an upload destination and a key of their own.
    ws.write(
        "native/ExportOptions.plist",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>method</key><string>ad-hoc</string>
	<key>destination</key><string>upload</string>
	<key>stripSwiftSymbols</key><false/>
	<key>teamID</key><string>7XK2M9QPLA</string>
</dict>
</plist>
"#,
    );
    let r = release(&ws, &["--json", "--platform", "ios"], CREDS, &fakes_path());
    let options = std::fs::read_to_string(ws.dir.path().join("fake.log.exportoptions")).unwrap_or_else(|_| panic!("no export: {:#}", r.record["steps"]));
    let d = plist::Value::from_reader_xml(options.as_bytes()).unwrap().into_dictionary().unwrap();
    let s = |k: &str| d.get(k).and_then(|v| v.as_string()).map(String::from);
    assert_eq!(s("method").as_deref(), Some("app-store-connect"), "{options}");
    assert_eq!(s("destination").as_deref(), Some("export"), "Shipdeck uploads with altool: {options}");
    assert_eq!(d.get("stripSwiftSymbols").and_then(|v| v.as_boolean()), Some(false), "the user's own key is kept");
    assert_eq!(s("signingStyle").as_deref(), Some("manual"));
    // The identity the signing checks would sign with, by SHA-1: valid, with its key, in the profile.
    let (_, ids, _) = run(shipdeck(&ws.dir.path().join("data")).args(["identities", "--json", "--workspace"]).arg(&ws.root));
    let ids = serde_json::from_str::<serde_json::Value>(&ids).unwrap();
    let sha = s("signingCertificate").unwrap();
    let chosen = ids["scan"]["identities"].as_array().unwrap().iter().find(|i| i["certificate"]["sha1"] == sha.as_str()).unwrap_or_else(|| panic!("{sha} is not an identity: {options}"));
    assert_eq!(chosen["has_private_key"], true);
    assert!(chosen["certificate"]["common_name"].as_str().unwrap().starts_with("Apple Distribution"), "{chosen:#}");
    assert_eq!(s("iCloudContainerEnvironment").as_deref(), Some("Production"), "the entitlements use iCloud");
    let profiles = d.get("provisioningProfiles").and_then(|v| v.as_dictionary()).expect("provisioningProfiles");
    assert_eq!(profiles.get("com.mshaler.isometry").and_then(|v| v.as_string()), Some("Isometry App Store Distribution"), "{options}");
    let export = step(&r.record, "ios.export");
    assert_eq!(export["state"], "done");
    // What was changed in the user's file is said, with why.
    assert_eq!(export["note"], "ExportOptions: method ad-hoc → app-store-connect (this is an App Store release); destination upload → export (Shipdeck uploads with altool itself)");
}

#[test]
fn an_unreadable_key_file_is_named() {
    let ws = TempWorkspace::sample();
    let empty = tempfile::tempdir().unwrap();
    let env = [
        ("APP_STORE_CONNECT_KEY_ID", "ABC123DEF4"),
        ("APP_STORE_CONNECT_ISSUER_ID", "69a6de70-03db-47e3-e053-5b8c7c11a4d1"),
        ("APP_STORE_CONNECT_PRIVATE_KEY_PATH", "/nonexistent/AuthKey_ABC123DEF4.p8"),
    ];
    let r = release(&ws, &["--dry-run", "--platform", "ios"], &env, empty.path().to_str().unwrap());
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let needs = step(&r.record, "ios.upload")["needs"].to_string();
    assert!(needs.contains("APP_STORE_CONNECT_PRIVATE_KEY_PATH names /nonexistent/AuthKey_ABC123DEF4.p8, which cannot be read"), "{needs}");
}

#[test]
fn a_failing_build_settings_step_and_a_silent_archive_failure_are_explained() {
    let ws = TempWorkspace::sample();
    // xcodebuild's own error line is lifted; the platform's later steps do not run.
    let r = release(&ws, &["--json", "--platform", "ios"], &[CREDS, &[("FAKE_XCODEBUILD_FAIL", "settings")]].concat(), &fakes_path());
    assert_eq!(r.code, 1);
    let settings = step(&r.record, "ios.build-settings");
    assert_eq!(settings["state"], "failed");
    assert!(settings["causes"][0]["line"].as_str().unwrap().starts_with("xcodebuild: error: The project named \"IsometryiOS\" does not contain a scheme"), "{settings:#}");
    assert_eq!(step(&r.record, "ios.archive")["state"], "blocked");
    assert!(!r.calls.contains("xcodebuild archive"), "{}", r.calls);

    // A failure that says nothing why: the end of its output is shown instead.
    let r = release(&ws, &["--platform", "ios"], &[CREDS, &[("FAKE_XCODEBUILD_FAIL", "silent")]].concat(), &fakes_path());
    assert_eq!(r.code, 1);
    assert_eq!(step(&r.record, "ios.archive")["state"], "failed");
    assert!(step(&r.record, "ios.archive")["causes"].as_array().unwrap().is_empty());
    assert!(r.out.lines().any(|l| l.trim_start().starts_with("| Ld /Users/dev/Library/Developer/Xcode/DerivedData/IsometryiOS")), "{}", r.out);
}

#[test]
fn ctrl_c_cancels_a_real_release_ends_the_archive_and_removes_the_key() {
    let ws = TempWorkspace::sample();
    let data = ws.dir.path().join("data");
    let pids = ws.dir.path().join("pids");
    let mut cmd = shipdeck(&data);
    cmd.args(["release", "--json", "--platform", "ios", "--workspace"]).arg(&ws.root).env("PATH", fakes_path()).env("FAKE_XCODEBUILD_HANG", "1").env("FAKE_PIDS_FILE", &pids);
    for (k, v) in CREDS {
        cmd.env(k, v);
    }
    let child = cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    // The archive is running (it hangs): the key file is installed for the upload to come.
    let mut waited = 0;
    while !std::fs::read_to_string(&pids).map(|s| !s.trim().is_empty()).unwrap_or(false) {
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += 1;
        assert!(waited < 600, "the fake archive never started");
    }
    let keys: Vec<std::path::PathBuf> = crate::util::walk(&data).into_iter().filter(|p| p.to_string_lossy().contains("private_keys")).collect();
    assert!(!keys.is_empty(), "the key file is there while the run goes on");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    let record = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(record["outcome"], "cancelled", "{record:#}");
    assert_eq!(step(&record, "ios.archive")["state"], "cancelled");
    assert!(crate::util::walk(&data).into_iter().all(|p| !p.to_string_lossy().contains("AuthKey_")), "the key file is gone");
    std::thread::sleep(std::time::Duration::from_millis(200));
    for pid in std::fs::read_to_string(&pids).unwrap().split_whitespace() {
        let alive = std::path::Path::new(&format!("/proc/{pid}")).exists() && !std::fs::read_to_string(format!("/proc/{pid}/stat")).map(|s| s.contains(") Z ")).unwrap_or(true);
        assert!(!alive, "process {pid} of the archive is still running");
    }
}

/// One multiplatform scheme archived for two platforms: each archive has its own name, and
/// each step says which platform it is for (the Release screen lists them one under another).
#[test]
fn a_scheme_shared_by_two_platforms_names_each_step_and_archive() {
    let ws = TempWorkspace::sample();
    ws.edit(
        "shipdeck.toml",
        "project = \"native/IsometrymacOS/IsometrymacOS.xcodeproj\"\nscheme = \"IsometrymacOS\"",
        "project = \"native/IsometryiOS/IsometryiOS.xcodeproj\"\nscheme = \"IsometryiOS\"",
    );
    let r = release(&ws, &["--dry-run", "--plan"], &[], &fakes_path());
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    for (platform, id) in [("iOS", "ios"), ("macOS", "macos")] {
        for title in [
            format!("Archive {platform} IsometryiOS (Production)"),
            format!("Export {platform} IsometryiOS for App Store Connect"),
            format!("Upload {platform} IsometryiOS to App Store Connect"),
            format!("for {platform} processed by App Store Connect"),
        ] {
            assert!(r.out.contains(&title), "{title}:\n{}", r.out);
        }
        assert!(r.out.contains(&format!("IsometryiOS-{id}.xcarchive")), "{}", r.out);
    }
}

/// Loop leaves the team to each developer (an empty DEVELOPMENT_TEAM): shipdeck.toml's team is
/// given to the archive (`DEVELOPMENT_TEAM=…`, as fastlane's xcargs would), and without one the
/// check says the archive would stop.
#[test]
fn a_project_without_a_team_archives_with_shipdeck_tomls_team() {
    let ws = TempWorkspace::sample();
    for f in ["native/Configurations/Base.xcconfig", "native/Configurations/Production.xcconfig"] {
        ws.edit(f, "DEVELOPMENT_TEAM = $(APPLE_DEVELOPER_TEAM_ID)", "DEVELOPMENT_TEAM =");
    }
    let r = release(&ws, &["--dry-run", "--plan"], &[], &fakes_path());
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let archives: Vec<&str> = r.out.lines().filter(|l| l.contains("$ xcodebuild archive")).collect();
    assert_eq!(archives.len(), 2, "{}", r.out);
    assert!(archives.iter().all(|l| l.ends_with(" DEVELOPMENT_TEAM=7XK2M9QPLA")), "{archives:#?}");
    assert!(r.out.contains("DEVELOPMENT_TEAM=7XK2M9QPLA is shipdeck.toml's team ([app] team_id): the project sets none."), "{}", r.out);
    let data = ws.dir.path().join("data");
    let check = |ws: &TempWorkspace| json(&run(shipdeck(&data).args(["check", "--json", "--workspace"]).arg(&ws.root)).1);
    let ids = |r: &serde_json::Value| r["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert!(!ids(&check(&ws)).contains(&"signing.team.missing".to_string()));

    // No team anywhere: nothing is given, and the check says so.
    ws.edit("shipdeck.toml", "team_id = \"7XK2M9QPLA\"\n", "");
    let r = release(&ws, &["--dry-run", "--plan"], &[], &fakes_path());
    assert!(!r.out.contains("DEVELOPMENT_TEAM="), "{}", r.out);
    let report = check(&ws);
    let missing: Vec<&serde_json::Value> = report["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "signing.team.missing").collect();
    assert_eq!(missing.len(), 1, "{report:#}");
    assert_eq!(missing[0]["subject"], "iOS target IsometryiOS, macOS target IsometrymacOS");
    assert!(missing[0]["message"].as_str().unwrap().starts_with("In the Production build DEVELOPMENT_TEAM is empty (native/Configurations/Production.xcconfig:12)"), "{}", missing[0]);

    // The project's own team is left alone.
    let ws = TempWorkspace::sample();
    let r = release(&ws, &["--dry-run", "--plan"], &[], &fakes_path());
    assert!(!r.out.contains("DEVELOPMENT_TEAM="), "{}", r.out);
}

/// `shipdeck release … | head`: a reader that goes away does not stop a release half-way (it
/// panicked at the next line); the run goes on to its end and is recorded.
#[test]
fn a_closed_output_pipe_does_not_stop_a_run() {
    let ws = TempWorkspace::sample();
    let data = ws.dir.path().join("data");
    let mut child = shipdeck(&data)
        .args(["release", "--dry-run", "--workspace"])
        .arg(&ws.root)
        .env("PATH", fakes_path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    let runs: Vec<_> = std::fs::read_dir(data.join("runs")).unwrap().flatten().collect();
    assert_eq!(runs.len(), 1, "the run was recorded");
}

/// A folder with no app target (an Expo app before prebuild, a Windows app), or a platform the
/// workspace does not have: said in words, exit 2, nothing recorded (it said "no All target").
#[test]
fn nothing_to_release_is_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, _, err) = run(shipdeck(&data).args(["release", "--plan", "--workspace"]).arg(&empty));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing to release: ") && err.contains("has no app target to archive"), "{err}");
    assert!(!err.contains("All"), "{err}");
    let ws = TempWorkspace::sample();
    let (code, _, err) = run(shipdeck(&data).args(["release", "--dry-run", "--platform", "tvos", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing to release for --platform tvos: ") && err.ends_with("has iOS and macOS only\n"), "{err}");
    assert!(!data.join("runs").exists(), "nothing recorded");
}

/// Foqos: an iOS app beside a Mac app whose own ExportOptions say `developer-id` (it ships
/// outside the App Store, notarized). Its plan exported the Mac app "for App Store Connect"
/// with a method forced to app-store-connect and Developer ID profiles. A release of every
/// platform leaves it out and says why; asked for by name it is planned, and the check blocks it.
#[test]
fn a_target_exported_outside_the_app_store_is_left_out_of_a_release_of_all() {
    let ws = TempWorkspace::sample();
    let options = ws.read("native/ExportOptions.plist");
    ws.write(
        "native/DeveloperID.plist",
        &options.replace("<string>app-store-connect</string>", "<string>developer-id</string>").replace("<string>app-store</string>", "<string>developer-id</string>"),
    );
    assert!(ws.read("native/DeveloperID.plist").contains("developer-id"), "the sample's method was replaced");
    let toml = ws.read("shipdeck.toml");
    let mac = toml.find("platform = \"macos\"").unwrap();
    let (head, tail) = toml.split_at(mac);
    ws.write("shipdeck.toml", &format!("{head}{}", tail.replacen("export_options = \"native/ExportOptions.plist\"", "export_options = \"native/DeveloperID.plist\"", 1)));
    let plan = |args: &[&str]| {
        let r = release(&ws, args, &[], &fakes_path());
        assert_eq!(r.code, 0, "{}{}", r.out, r.err);
        json(&r.out)
    };
    let all = plan(&["--plan", "--json"]);
    let platforms: Vec<&str> = all["steps"].as_array().unwrap().iter().filter_map(|s| s["platform"].as_str()).collect();
    assert!(platforms.iter().all(|p| *p == "ios"), "{platforms:?}");
    assert_eq!(all["steps"][0]["note"], "IsometrymacOS (macOS) is not released here: native/DeveloperID.plist exports it with method developer-id, outside the App Store.");
    // Its dry-run passes: the Mac app's blocker is about a platform this release does not build.
    let r = release(&ws, &["--dry-run"], &[], &fakes_path());
    assert_eq!((r.code, r.record["outcome"].as_str()), (0, Some("dry-run-passed")), "{}{}", r.out, r.err);
    let pre = step(&r.record, "preflight");
    assert!(!pre["causes"].to_string().contains("outside-app-store"), "{pre:#}");
    // Asked for by name: planned, and the check's blocker says why it cannot ship that way.
    let mac = plan(&["--plan", "--json", "--platform", "macos"]);
    assert!(mac["steps"].as_array().unwrap().iter().any(|s| s["platform"] == "macos"), "{mac:#}");
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["check", "--json", "--workspace"]).arg(&ws.root));
    let outside: Vec<serde_json::Value> = json(&out)["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "release.distribution.outside-app-store").cloned().collect();
    assert_eq!(outside.len(), 1, "{out}");
    // Beside the iOS app it is a warning: the workspace's readiness is the iOS release's.
    assert_eq!(outside[0]["severity"], "warning", "{out}");
    // What an App Store export signs with is not asked of it: without a Mac installer identity
    // (and with none of its own profiles) no signing finding names it, and the signing map
    // says why it has no identity or profile.
    let data = ws.dir.path().join("data");
    assert_eq!(run(shipdeck(&data).args(["signing", "demo", "--workspace"]).arg(&ws.root)).0, 0);
    std::fs::remove_file(ws.path(".shipdeck/demo-signing/mac-installer-distribution.pem")).unwrap();
    let (_, out, _) = run(shipdeck(&data).args(["check", "--json", "--workspace"]).arg(&ws.root));
    let findings = json(&out)["findings"].clone();
    let about_mac: Vec<&serde_json::Value> =
        findings.as_array().unwrap().iter().filter(|f| f["id"].as_str().unwrap().starts_with("signing.") && f["subject"].as_str().unwrap().contains("IsometrymacOS")).collect();
    assert!(about_mac.is_empty(), "{about_mac:#?}");
    // Nor what an archive of it needs: its project without the release configuration says nothing.
    let mac_pbxproj = "native/IsometrymacOS/IsometrymacOS.xcodeproj/project.pbxproj";
    let pbx = ws.read(mac_pbxproj);
    ws.write(mac_pbxproj, &pbx.replace("name = Production;", "name = Staging;"));
    let (_, out, _) = run(shipdeck(&data).args(["check", "--json", "--workspace"]).arg(&ws.root));
    let findings = json(&out)["findings"].clone();
    let project_mac: Vec<&serde_json::Value> =
        findings.as_array().unwrap().iter().filter(|f| f["id"].as_str().unwrap().starts_with("project.") && f["subject"].as_str().unwrap().contains("IsometrymacOS")).collect();
    assert!(project_mac.is_empty(), "{project_mac:#?}");
    ws.write(mac_pbxproj, &pbx);
    let (_, out, _) = run(shipdeck(&data).args(["signing", "status", "--json", "--workspace"]).arg(&ws.root));
    let map = json(&out)["map"].clone();
    let mac_row = map.as_array().unwrap().iter().find(|r| r["platform"] == "macos").unwrap();
    assert_eq!(mac_row["label"], "outside", "{mac_row:#}");
    assert!(mac_row["outside"].as_str().unwrap().starts_with("Ships outside the App Store: native/DeveloperID.plist exports it with method developer-id"), "{mac_row:#}");
    assert!(map.as_array().unwrap().iter().find(|r| r["platform"] == "ios").unwrap()["outside"].is_null());
    let r = release(&ws, &["--dry-run", "--platform", "macos"], &[], &fakes_path());
    assert_eq!(r.record["outcome"], "failed", "{}", r.out);
    assert!(step(&r.record, "preflight")["causes"].to_string().contains("release.distribution.outside-app-store"), "{}", r.out);
    // Acknowledged (the team knows), it leaves the dashboard's count; asked for by name, the
    // release still stops at it.
    let toml = ws.read("shipdeck.toml");
    ws.write("shipdeck.toml", &format!("{toml}\n[[acknowledge]]\nid = \"release.distribution.outside-app-store\"\nreason = \"notarized, shipped from our site\"\n"));
    let r = release(&ws, &["--dry-run", "--platform", "macos"], &[], &fakes_path());
    assert_eq!(r.record["outcome"], "failed", "{}", r.out);
    assert!(step(&r.record, "preflight")["causes"].to_string().contains("release.distribution.outside-app-store"), "{}", r.out);
    ws.write("shipdeck.toml", &toml);
    // Both outside: nothing to release, said, exit non-zero.
    ws.write("shipdeck.toml", &ws.read("shipdeck.toml").replace("export_options = \"native/ExportOptions.plist\"", "export_options = \"native/DeveloperID.plist\""));
    let r = release(&ws, &["--plan"], &[], &fakes_path());
    assert_ne!(r.code, 0);
    assert!(
        r.err.contains("nothing to release through App Store Connect: IsometryiOS exports with method developer-id (native/DeveloperID.plist), IsometrymacOS exports with method developer-id"),
        "{}",
        r.err
    );
    // With nothing else to release, the check says it as a blocker (not ready for the App Store).
    let (code, out, _) = run(shipdeck(&data).args(["check", "--json", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 1, "{out}");
    let severities: Vec<String> =
        json(&out)["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "release.distribution.outside-app-store").map(|f| f["severity"].as_str().unwrap().to_string()).collect();
    assert_eq!(severities, ["blocker", "blocker"], "{out}");
}

/// The first step lists each cause once, as the dashboard does: a team without an Apple
/// Distribution identity is one line naming the targets this release builds.
#[test]
fn the_first_step_says_a_cause_once_for_every_target_it_stops() {
    let ws = TempWorkspace::sample();
    let (code, _, err) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "demo", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    for f in ["apple-distribution.pem", "iphone-distribution-expiring.pem", "mac-app-distribution-1.pem", "mac-app-distribution-2.pem"] {
        std::fs::remove_file(ws.path(&format!(".shipdeck/demo-signing/{f}"))).unwrap();
    }
    let lines = |r: &Run| -> Vec<String> { step(&r.record, "preflight")["causes"].as_array().unwrap().iter().map(|c| c["line"].as_str().unwrap().to_string()).collect() };
    let r = release(&ws, &["--json", "--dry-run"], CREDS, &fakes_path());
    assert_eq!(lines(&r), ["iOS target IsometryiOS, macOS target IsometrymacOS: No valid Apple Distribution identity with its private key for team 7XK2M9QPLA."], "{:#}", r.record);
    assert!(step(&r.record, "preflight")["note"].as_str().unwrap().ends_with(", 1 blocker"), "{:#}", r.record);
    // A release of one platform names only its target.
    let r = release(&ws, &["--json", "--dry-run", "--platform", "ios"], CREDS, &fakes_path());
    assert_eq!(lines(&r), ["iOS target IsometryiOS: No valid Apple Distribution identity with its private key for team 7XK2M9QPLA."], "{:#}", r.record);
}
