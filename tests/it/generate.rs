//! `shipdeck generate`: a project kept only as an XcodeGen spec, made by the tool (the fake on
//! PATH prints what XcodeGen prints and writes a project), checked, and moved aside by --undo.

use crate::util::*;
use std::path::Path;

fn fakes_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes").display().to_string() + ":/usr/bin:/bin"
}

fn spec_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // Karabiner-Elements' shape: one spec per app, three folders down.
    std::fs::create_dir_all(dir.path().join("src/apps/Settings")).unwrap();
    std::fs::write(dir.path().join("src/apps/Settings/project.yml"), "name: Lantern\ntargets:\n  Lantern:\n    type: application\n    platform: iOS\n").unwrap();
    std::fs::write(dir.path().join("src/apps/Settings/Makefile"), "all:\n\txcodegen generate\n").unwrap();
    dir
}

#[test]
fn a_spec_is_generated_checked_and_undone() {
    let repo = spec_repo();
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join("calls.log");
    let sd = |args: &[&str], extra: &[(&str, &str)]| {
        let mut c = shipdeck(data.path());
        c.args(args).arg("--workspace").arg(repo.path()).env("PATH", fakes_path()).env("SHIPDECK_FAKE_LOG", &log);
        for (k, v) in extra {
            c.env(k, v);
        }
        run(&mut c)
    };
    // The finding names the command, and its fix is `shipdeck generate`.
    let (code, out, _) = sd(&["check"], &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("fix Generate the project (xcodegen generate): `shipdeck generate`"), "{out}");

    // --dry-run says what would run and where, and runs nothing.
    let (code, out, err) = sd(&["generate", "--dry-run"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("XcodeGen makes the project from src/apps/Settings/project.yml:") && out.contains("xcodegen generate    (in src/apps/Settings)"), "{out}");
    let xcodegen_calls = || std::fs::read_to_string(&log).unwrap_or_default().lines().filter(|l| l.starts_with("xcodegen ")).map(str::to_string).collect::<Vec<_>>();
    assert!(xcodegen_calls().is_empty(), "nothing ran");

    // A spec XcodeGen cannot decode: its own words, exit 1, nothing made.
    let before = std::fs::read_dir(repo.path().join("src/apps/Settings")).unwrap().count();
    let (code, _, err) = sd(&["generate"], &[("FAKE_XCODEGEN_FAIL", "1")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`xcodegen generate` in src/apps/Settings failed (exit 1); nothing was made:\nParsing project spec failed: Decoding failed at \"path\": Nothing found"), "{err}");
    assert_eq!(std::fs::read_dir(repo.path().join("src/apps/Settings")).unwrap().count(), before);

    // Generated: run in the spec's folder, the project made, and the checks read it.
    let (code, out, err) = sd(&["generate"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("💾  Saved project to") && out.ends_with("made src/apps/Settings/Lantern.xcodeproj\n"), "{out}");
    let calls = xcodegen_calls();
    assert_eq!(calls.len(), 2, "the failed run and this one: {calls:?}");
    assert!(calls[1].ends_with(&format!("xcodegen generate (in {})", repo.path().join("src/apps/Settings").canonicalize().unwrap().display())), "{calls:?}");
    let (_, out, _) = sd(&["check", "--json"], &[]);
    let report = json(&out);
    assert!(!ids(&report, "blocker").contains(&"workspace.project.generated".to_string()), "{out}");
    assert!(ids(&report, "ok").contains(&"workspace.project.found".to_string()), "{out}");
    let (code, _, err) = sd(&["generate"], &[]);
    assert_eq!(code, 2, "nothing to generate once the project is here: {err}");

    // --undo moves what the run made (and only that) aside; the spec and the Makefile stay.
    let (code, out, err) = sd(&["generate", "--undo"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("moved src/apps/Settings/Lantern.xcodeproj to "), "{out}");
    assert!(!repo.path().join("src/apps/Settings/Lantern.xcodeproj").exists());
    assert!(repo.path().join("src/apps/Settings/project.yml").is_file() && repo.path().join("src/apps/Settings/Makefile").is_file());
    let moved = out.trim_end().rsplit(" to ").next().unwrap();
    assert!(Path::new(moved).join("project.pbxproj").is_file(), "kept in the backups folder: {moved}");
    let (code, _, err) = sd(&["generate", "--undo"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no generated project of"), "{err}");
}

/// No XcodeGen on the Mac: said, with how to install it; nothing run.
#[test]
fn a_missing_generator_is_named() {
    let repo = spec_repo();
    let data = tempfile::tempdir().unwrap();
    let (code, _, err) = run(shipdeck(data.path()).args(["generate", "--workspace"]).arg(repo.path()).env("PATH", "/usr/bin:/bin"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`xcodegen` is not installed on this Mac (install it with `brew install xcodegen`)"), "{err}");
    assert!(!repo.path().join("src/apps/Settings/Lantern.xcodeproj").exists());
}

/// A Cordova app (Outline's shape: the config in client/, a workspace opening the project
/// Cordova makes in platforms/ios): one blocker with Cordova's command, no button to run it, and
/// `generate` says it is the user's to run.
#[test]
fn a_cordova_apps_project_is_said_not_run() {
    let repo = tempfile::tempdir().unwrap();
    let client = repo.path().join("client");
    std::fs::create_dir_all(client.join("apple/client.xcworkspace")).unwrap();
    std::fs::write(client.join("config.xml"), "<?xml version='1.0' encoding='utf-8'?>\n<widget id=\"org.example.lantern\" version=\"1.0.0\" xmlns=\"http://www.w3.org/ns/widgets\" xmlns:cdv=\"http://cordova.apache.org/ns/1.0\"><name>Lantern</name></widget>\n").unwrap();
    std::fs::write(
        client.join("apple/client.xcworkspace/contents.xcworkspacedata"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n   <FileRef location = \"container:../platforms/ios/Lantern.xcodeproj\"></FileRef>\n</Workspace>\n",
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let (code, out, _) = run(shipdeck(data.path()).args(["check", "--json", "--workspace"]).arg(repo.path()).env("PATH", "/usr/bin:/bin"));
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    let finding = report["findings"].as_array().unwrap().iter().find(|f| f["id"] == "workspace.project.generated").expect("the blocker");
    assert_eq!(finding["severity"], "blocker");
    assert_eq!(
        finding["message"],
        "No Xcode project yet: client/config.xml is a Cordova app's, and Cordova makes its Xcode project in client/platforms/ios (`npx cordova prepare ios`); it is not kept in the repository. client/apple/client.xcworkspace opens client/platforms/ios/Lantern.xcodeproj from there; the projects here are what it is made from."
    );
    assert!(finding["help"].as_str().unwrap().starts_with("Run `npm install`, then `npx cordova prepare ios` in client"), "{finding}");
    assert!(finding.get("fix").is_none_or(|f| f.is_null()), "Shipdeck does not run it: {finding}");
    let (code, _, err) = run(shipdeck(data.path()).args(["generate", "--workspace"]).arg(repo.path()).env("PATH", "/usr/bin:/bin"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("client/config.xml: Shipdeck does not run `npx cordova prepare ios`; run it in a terminal"), "{err}");
    assert!(!client.join("platforms").exists());

    // e-mission-phone's shape: config.cordovabuild.xml, which its setup script copies to
    // config.xml before it runs `npx cordova prepare`: the script is named.
    let variant = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(variant.path().join("setup")).unwrap();
    std::fs::write(variant.path().join("config.cordovabuild.xml"), "<widget id=\"a.b\" version=\"1.0.0\" xmlns=\"http://www.w3.org/ns/widgets\"><name>B</name></widget>\n").unwrap();
    std::fs::write(variant.path().join("package.json"), "{\"dependencies\": {\"cordova-ios\": \"7.1.0\"}}").unwrap();
    std::fs::write(variant.path().join("setup/setup_native.sh"), "cp config.cordovabuild.xml config.xml\nnpx cordova prepare$PLATFORMS\n").unwrap();
    let (_, out, _) = run(shipdeck(data.path()).args(["check", "--json", "--workspace"]).arg(variant.path()).env("PATH", "/usr/bin:/bin"));
    let report = json(&out);
    let finding = report["findings"].as_array().unwrap().iter().find(|f| f["id"] == "workspace.project.generated").expect("the blocker");
    assert!(finding["message"].as_str().unwrap().ends_with("Cordova reads config.xml, which is not here: the team's setup makes it from config.cordovabuild.xml."), "{finding}");
    assert_eq!(finding["help"], "Run `npm install`, then `./setup/setup_native.sh` (it runs cordova prepare), or `npx cordova prepare ios` in the workspace folder, then check again.");

    // A NativeScript app (Oss Weather's shape): nativescript.config.js, platforms/ out of git,
    // and the app's own npm script that prepares iOS, which its Fastfile runs.
    let ns = tempfile::tempdir().unwrap();
    std::fs::write(ns.path().join("nativescript.config.js"), "module.exports = { appPath: 'app', appResourcesPath: 'App_Resources', buildPath: 'platforms' };\n").unwrap();
    std::fs::write(
        ns.path().join("package.json"),
        "{\"scripts\": {\"prepare.ios.sentry\": \"NS_SENTRY=1 ns prepare ios --release\", \"prepare.ios\": \"PLAY_STORE_BUILD=1 ns prepare ios --release --env.adhoc\"}}",
    )
    .unwrap();
    let (code, out, _) = run(shipdeck(data.path()).args(["check", "--json", "--workspace"]).arg(ns.path()).env("PATH", "/usr/bin:/bin"));
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    let finding = report["findings"].as_array().unwrap().iter().find(|f| f["id"] == "workspace.project.generated").expect("the blocker");
    assert_eq!(
        finding["message"],
        "No Xcode project yet: nativescript.config.js is a NativeScript app's, and NativeScript makes its Xcode project in platforms/ios (`npx ns prepare ios`); it is not kept in the repository."
    );
    assert_eq!(finding["help"], "Run `npm install`, then `npm run prepare.ios` (it runs ns prepare ios), or `npx ns prepare ios` in the workspace folder, then check again.");
    assert!(finding.get("fix").is_none_or(|f| f.is_null()), "{finding}");
}

/// A Tuist workspace (3dollars' shape: Workspace.swift at the root, a Project.swift per
/// project, dependencies in Tuist/Package.swift): `tuist install`, then `tuist generate
/// --no-open` (Tuist 4 would open Xcode), from the root; the projects Tuist writes beside
/// their manifests are the run's, and --undo moves them aside with the workspace.
#[test]
fn a_tuist_workspace_is_generated_from_its_root_and_undone() {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    std::fs::create_dir_all(root.join("Tuist")).unwrap();
    std::fs::write(root.join("Tuist/Package.swift"), "// swift-tools-version: 5.9\nimport PackageDescription\n").unwrap();
    std::fs::write(root.join("Workspace.swift"), "import ProjectDescription\nlet workspace = Workspace(name: \"Lantern\", projects: [\"Projects/**\"])\n").unwrap();
    for (folder, name) in [("Projects/App", "Lantern"), ("Projects/Kit", "LanternKit")] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
        std::fs::write(root.join(folder).join("Project.swift"), format!("import ProjectDescription\nlet project = Project(name: \"{name}\", targets: [])\n")).unwrap();
    }
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join("calls.log");
    let sd = |args: &[&str]| run(shipdeck(data.path()).args(args).arg("--workspace").arg(root).env("PATH", fakes_path()).env("SHIPDECK_FAKE_LOG", &log));
    let (code, out, err) = sd(&["generate"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Generating workspace Lantern.xcworkspace"), "{out}");
    assert!(out.ends_with("made Lantern.xcworkspace, Projects/App/Lantern.xcodeproj, Projects/Kit/LanternKit.xcodeproj\n"), "{out}");
    let calls: Vec<String> = std::fs::read_to_string(&log).unwrap().lines().filter(|l| l.starts_with("tuist ")).map(str::to_string).collect();
    let here = root.canonicalize().unwrap();
    assert_eq!(calls, [format!("tuist install (in {})", here.display()), format!("tuist generate --no-open (in {})", here.display())]);
    // The checks read the workspace Tuist made.
    let (_, out, _) = sd(&["check", "--json"]);
    let report = json(&out);
    assert!(!ids(&report, "blocker").contains(&"workspace.project.generated".to_string()), "{out}");
    // Undo moves all three aside, each at its path, and leaves the manifests.
    let (code, out, err) = sd(&["generate", "--undo"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 3, "{out}");
    for made in ["Lantern.xcworkspace", "Projects/App/Lantern.xcodeproj", "Projects/Kit/LanternKit.xcodeproj"] {
        assert!(!root.join(made).exists(), "{made} moved");
        let line = out.lines().find(|l| l.starts_with(&format!("moved {made} to "))).unwrap_or_else(|| panic!("{made}: {out}"));
        assert!(line.ends_with(made), "kept at its path: {line}");
    }
    assert!(root.join("Projects/App/Project.swift").is_file() && root.join("Workspace.swift").is_file());
}
