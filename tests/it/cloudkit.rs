//! CloudKit: schema diffs, the container in every file, and the deploy through a fake cktool.

use crate::util::*;
use std::path::{Path, PathBuf};

const IOS_ENT: &str = "native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements";
const SCHEMA: &str = "native/CloudKit/schema.ckdb";

fn fakes() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes")
}

fn sd(ws: &TempWorkspace, args: &[&str]) -> (i32, String, String) {
    run(shipdeck(&ws.dir.path().join("data")).args(args).arg("--workspace").arg(&ws.root))
}

fn report(ws: &TempWorkspace) -> serde_json::Value {
    let (_, out, _) = sd(ws, &["check", "--json"]);
    json(&out)
}

fn with_id<'a>(r: &'a serde_json::Value, id: &str) -> Vec<&'a serde_json::Value> {
    r["findings"].as_array().unwrap().iter().filter(|f| f["id"] == id).collect()
}

#[test]
fn diff_is_safe_one_way_and_destructive_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.ckdb");
    let new = dir.path().join("new.ckdb");
    std::fs::write(&old, "DEFINE SCHEMA\n  RECORD TYPE Board (\n    title STRING,\n    GRANT READ TO \"_world\"\n  );\n").unwrap();
    std::fs::write(&new, "DEFINE SCHEMA\n  RECORD TYPE Board (\n    title STRING QUERYABLE,\n    size INT64,\n    GRANT READ TO \"_world\"\n  );\n  RECORD TYPE Tile (x DOUBLE);\n").unwrap();
    let data = dir.path().join("data");
    let (code, out, _) = run(shipdeck(&data).args(["cloudkit", "diff", "--json"]).arg(&old).arg(&new));
    assert_eq!(code, 0);
    let r = json(&out);
    assert_eq!(r["destructive"], 0);
    let kinds: Vec<&str> = r["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["index-added", "field-added", "record-type-added"]);
    let (code, out, _) = run(shipdeck(&data).args(["cloudkit", "diff"]).arg(&new).arg(&old));
    assert_eq!(code, 1);
    assert!(out.contains("! Board.size (INT64) removed") && out.contains("! record type Tile removed"), "{out}");
    std::fs::write(&new, "DEFINE SCHEMA\n RECORD TYPE Board (\n  title STRIN\n );").unwrap();
    let (code, _, err) = run(shipdeck(&data).args(["cloudkit", "diff"]).arg(&old).arg(&new));
    assert_eq!(code, 2);
    assert!(err.contains("new.ckdb:3:9: expected a field type"), "{err}");
}

#[test]
fn a_file_that_disagrees_is_caught_and_aligned() {
    let ws = TempWorkspace::sample();
    ws.edit(IOS_ENT, "<string>iCloud.com.mshaler.isometry</string>", "<string>iCloud.com.cardboard.isometry</string>");
    let r = report(&ws);
    let m = with_id(&r, "cloudkit.container.mismatch");
    assert_eq!(m.len(), 1, "{r:#}");
    assert_eq!(m[0]["severity"], "blocker");
    assert_eq!(m[0]["file"], IOS_ENT);
    let line = ws.read(IOS_ENT).lines().position(|l| l.contains("cardboard")).unwrap() as u64 + 1;
    assert_eq!(m[0]["line"], line);
    let msg = m[0]["message"].as_str().unwrap();
    assert!(msg.contains("iCloud.com.cardboard.isometry") && msg.contains("shipdeck.toml"), "{msg}");
    assert_eq!(m[0]["fix"]["action"], "cloudkit.align-container");
    assert_eq!(r["summary"]["blockers"], 1);

    let before = ws.snapshot();
    let (code, diff, _) = sd(&ws, &["cloudkit", "align", "--dry-run"]);
    assert_eq!(code, 0);
    assert!(diff.contains("-\t\t<string>iCloud.com.cardboard.isometry</string>\n+\t\t<string>iCloud.com.mshaler.isometry</string>"), "{diff}");
    assert_eq!(ws.snapshot(), before);
    let (code, _, err) = sd(&ws, &["cloudkit", "align"]);
    assert_eq!(code, 0, "{err}");
    let r = report(&ws);
    assert!(with_id(&r, "cloudkit.container.mismatch").is_empty());
    assert_eq!(r["summary"]["blockers"], 0);
}

/// A typo in shipdeck.toml alone: the fix aligns on the id every other place names, and does
/// not spread the typo to five files.
#[test]
fn a_typo_in_the_config_alone_is_fixed_in_the_config() {
    let ws = TempWorkspace::sample();
    ws.edit("shipdeck.toml", "iCloud.com.mshaler.isometry", "iCloud.com.mshaler.isometyr");
    let r = report(&ws);
    let m = with_id(&r, "cloudkit.container.mismatch");
    assert_eq!(m.len(), 1, "{r:#}");
    assert_eq!(m[0]["fix"]["params"]["to"], "iCloud.com.mshaler.isometry", "{}", m[0]);
    let help = m[0]["help"].as_str().unwrap();
    assert!(help.starts_with("Align every file on iCloud.com.mshaler.isometry: 5 of 6 places name it, shipdeck.toml's `iCloud.com.mshaler.isometyr` only 1"), "{help}");
    assert_eq!(m[0]["file"], "shipdeck.toml", "{}", m[0]);
    // The window's CloudKit screen marks the rows that differ from that id: shipdeck.toml's.
    let (code, view, err) = sd(&ws, &["show", "cloudkit"]);
    assert_eq!(code, 0, "{err}");
    let view = json(&view);
    assert_eq!(view["align_to"], "iCloud.com.mshaler.isometry", "{view:#}");
    assert_eq!(view["fix"]["params"]["to"], "iCloud.com.mshaler.isometry", "{view:#}");
    // The CLI's default is the same id: only shipdeck.toml changes.
    let (code, _, err) = sd(&ws, &["cloudkit", "align"]);
    assert_eq!(code, 0, "{err}");
    assert!(ws.read("shipdeck.toml").contains("container = \"iCloud.com.mshaler.isometry\""));
    assert!(with_id(&report(&ws), "cloudkit.container.mismatch").is_empty());
}

/// Bleat, Reolens, Lightward: the app's code names its container too (`CKContainer(identifier:
/// "iCloud.…")`). One the entitlements do not grant builds and uploads, and fails when the app
/// runs: a warning at the line, whose fix changes that literal and nothing else.
#[test]
fn a_container_the_code_asks_for_is_held_to_the_entitlements() {
    let ws = TempWorkspace::sample();
    let sync = "native/IsometryiOS/IsometryiOS/Sync.swift";
    ws.write(sync, "import CloudKit\n\nlet container = CKContainer(identifier: \"iCloud.com.mshaler.isometri\")\n// was \"iCloud.com.mshaler.old\"\n");
    // A demo app's code names its own container, and the tests' theirs.
    std::fs::create_dir_all(ws.path("Examples/Demo")).unwrap();
    ws.write("Examples/Demo/Demo.swift", "let c = CKContainer(identifier: \"iCloud.com.example.demo\")\n");
    // The tests' own containers are theirs.
    std::fs::create_dir_all(ws.path("native/IsometryiOS/IsometryiOSTests")).unwrap();
    ws.write("native/IsometryiOS/IsometryiOSTests/SyncTests.swift", "let c = CKContainer(identifier: \"iCloud.com.mshaler.testing\")\n");
    let r = report(&ws);
    assert!(with_id(&r, "cloudkit.container.mismatch").is_empty(), "{r:#}");
    let w = with_id(&r, "cloudkit.container.code");
    assert_eq!(w.len(), 1, "{r:#}");
    assert_eq!(w[0]["severity"], "warning");
    assert_eq!((w[0]["file"].as_str(), w[0]["line"].as_u64()), (Some(sync), Some(3)));
    let msg = w[0]["message"].as_str().unwrap();
    assert!(msg.starts_with(&format!("The code asks for iCloud.com.mshaler.isometri ({sync}:3), but the release is set up for iCloud.com.mshaler.isometry")), "{msg}");
    assert!(!msg.contains("testing") && !msg.contains("example.demo"), "{msg}");
    assert_eq!(w[0]["fix"]["params"]["to"], "iCloud.com.mshaler.isometry");

    // The CloudKit screen: a warning, on the build's id.
    let (_, view, _) = sd(&ws, &["show", "cloudkit"]);
    let view = json(&view);
    assert_eq!((view["only_code_differs"].as_bool(), view["align_to"].as_str()), (Some(true), Some("iCloud.com.mshaler.isometry")), "{view:#}");

    let before = ws.snapshot();
    let (code, diff, _) = sd(&ws, &["cloudkit", "align", "--dry-run"]);
    assert_eq!(code, 0);
    assert!(diff.contains("-let container = CKContainer(identifier: \"iCloud.com.mshaler.isometri\")\n+let container = CKContainer(identifier: \"iCloud.com.mshaler.isometry\")"), "{diff}");
    assert_eq!(diff.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).count(), 1, "one line changes: {diff}");
    assert_eq!(ws.snapshot(), before);
    let (code, _, err) = sd(&ws, &["cloudkit", "align"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(ws.read(sync), "import CloudKit\n\nlet container = CKContainer(identifier: \"iCloud.com.mshaler.isometry\")\n// was \"iCloud.com.mshaler.old\"\n");
    let r = report(&ws);
    assert!(with_id(&r, "cloudkit.container.code").is_empty(), "{r:#}");
    let (_, view, _) = sd(&ws, &["show", "cloudkit"]);
    assert_eq!(json(&view)["only_code_differs"], false);
    let ok = with_id(&r, "cloudkit.container.aligned");
    assert!(ok[0]["message"].as_str().unwrap().ends_with("places name the same container (1 in the code)"), "{}", ok[0]);
    // The CLI lists it with the other places.
    let (_, out, _) = sd(&ws, &["cloudkit", "check"]);
    assert!(out.lines().any(|l| l.contains("Swift code") && l.contains(&format!("{sync}:3"))), "{out}");
}

#[test]
fn aligning_on_another_id_rewrites_the_xcconfig_and_the_config() {
    let ws = TempWorkspace::sample();
    let (code, _, err) = sd(&ws, &["cloudkit", "align", "--to", "iCloud.com.mshaler.isometry2"]);
    assert_eq!(code, 0, "{err}");
    assert!(ws.read("native/Configurations/Production.xcconfig").contains("CLOUDKIT_CONTAINER_IDENTIFIER = iCloud.com.mshaler.isometry2\n"));
    assert!(ws.read("shipdeck.toml").contains("container = \"iCloud.com.mshaler.isometry2\""));
    let r = report(&ws);
    assert!(with_id(&r, "cloudkit.container.mismatch").is_empty(), "{r:#}");
    let (code, _, err) = sd(&ws, &["cloudkit", "align", "--to", "not a container"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a CloudKit container id"));
}

#[test]
fn environment_entitlement_and_schema_findings() {
    let ws = TempWorkspace::sample();
    ws.edit("native/Configurations/Production.xcconfig", "CLOUDKIT_ENVIRONMENT = Production", "CLOUDKIT_ENVIRONMENT = Development");
    let r = report(&ws);
    let env = with_id(&r, "cloudkit.environment");
    assert_eq!(env.len(), 2, "one per target: {r:#}");
    assert!(env[0]["message"].as_str().unwrap().contains("`Development` (from $(CLOUDKIT_ENVIRONMENT))"));

    let ws = TempWorkspace::sample();
    ws.edit(IOS_ENT, "<string>CloudKit</string>", "<string>CloudDocuments</string>");
    let r = report(&ws);
    assert_eq!(with_id(&r, "cloudkit.entitlement.missing")[0]["file"], IOS_ENT);

    // A target whose entitlements name no iCloud key at all does not use CloudKit: said, not a
    // blocker (Aidoku's Mac app beside its syncing iOS app).
    let ws = TempWorkspace::sample();
    let mac = "native/IsometrymacOS/IsometrymacOS/IsometrymacOS.entitlements";
    let text = ws.read(mac);
    let start = text.find("\t<key>com.apple.developer.icloud-container-identifiers</key>").unwrap();
    let end = text.find("</dict>").unwrap();
    ws.edit(mac, &text[start..end], "");
    let r = report(&ws);
    assert!(with_id(&r, "cloudkit.entitlement.missing").is_empty(), "{r:#}");
    let none = with_id(&r, "cloudkit.entitlement.none");
    assert_eq!((none.len(), none[0]["severity"].as_str(), none[0]["file"].as_str()), (1, Some("warning"), Some(mac)));

    let ws = TempWorkspace::sample();
    ws.edit(SCHEMA, "gridSize        INT64,", "gridSize        INT46,");
    let r = report(&ws);
    let f = with_id(&r, "cloudkit.schema.parse");
    assert_eq!(f[0]["line"], ws.read(SCHEMA).lines().position(|l| l.contains("INT46")).unwrap() as u64 + 1);

    let ws = TempWorkspace::sample();
    std::fs::create_dir_all(ws.path(".shipdeck/cloudkit")).unwrap();
    let prod = ws.read(SCHEMA).replace("        color           STRING,\n", "        color           STRING,\n        legacyColor     STRING,\n");
    ws.write(".shipdeck/cloudkit/production.ckdb", &prod);
    let r = report(&ws);
    let d = with_id(&r, "cloudkit.schema.destructive");
    assert_eq!(d.len(), 1, "{r:#}");
    assert!(d[0]["message"].as_str().unwrap().contains("Tile.legacyColor (STRING) removed"));
}

fn deploy(ws: &TempWorkspace, path: &str, env: &[(&str, &str)], args: &[&str]) -> (i32, serde_json::Value, String) {
    let log = ws.dir.path().join("fake.log");
    let mut cmd = shipdeck(&ws.dir.path().join("data"));
    cmd.args(["cloudkit", "deploy", "--json"]).args(args).arg("--workspace").arg(&ws.root).env("PATH", path).env("SHIPDECK_FAKE_LOG", &log);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (code, out, err) = run(&mut cmd);
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!out.is_empty(), "{err}");
    (code, json(&out), calls)
}

fn state<'a>(d: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    &d["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()["state"]
}

#[test]
fn dry_run_without_any_tools_completes_and_says_what_is_needed() {
    let ws = TempWorkspace::sample();
    let empty = tempfile::tempdir().unwrap();
    let before = ws.snapshot();
    let (code, d, _) = deploy(&ws, empty.path().to_str().unwrap(), &[], &["--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(state(&d, "prerequisites"), "missing");
    assert!(d["steps"][0]["needs"].as_str().unwrap().contains("xcrun cktool"));
    assert_eq!(state(&d, "import"), "would-run");
    let import = d["steps"].as_array().unwrap().iter().find(|s| s["id"] == "import").unwrap();
    assert!(import["command"].as_str().unwrap().starts_with("xcrun cktool import-schema --team-id 7XK2M9QPLA --container-id iCloud.com.mshaler.isometry --environment development --file "));
    assert_eq!(ws.snapshot(), before);

    // No schema file named (NetNewsWire): the import is not shown as a command that would run.
    let toml = ws.root.join("shipdeck.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.lines().filter(|l| !l.starts_with("schema = ")).map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let (_, d, _) = deploy(&ws, empty.path().to_str().unwrap(), &[], &["--dry-run"]);
    assert!(d["steps"][0]["needs"].as_str().unwrap().contains("the schema file ([cloudkit] schema)"), "{d:#}");
    assert_eq!(state(&d, "import"), "missing", "{d:#}");
}

#[test]
fn dry_run_reads_but_never_imports() {
    let ws = TempWorkspace::sample();
    let path = fakes().display().to_string() + ":/usr/bin:/bin";
    let before = ws.snapshot();
    let (code, d, calls) = deploy(&ws, &path, &[], &["--dry-run"]);
    assert_eq!(code, 0, "{d:#}");
    let verbs: Vec<&str> = calls.lines().map(|l| l.split(' ').nth(1).unwrap()).collect();
    assert_eq!(verbs, ["get-teams", "validate-schema", "export-schema"]);
    assert_eq!(state(&d, "pending"), "done");
    let pending = d["steps"].as_array().unwrap().iter().find(|s| s["id"] == "pending").unwrap();
    assert_eq!(pending["changes"].as_array().unwrap().len(), 3, "three record types to deploy");
    assert_eq!(ws.snapshot(), before, "a dry-run writes nothing in the workspace");

    let (code, d, _) = deploy(&ws, &path, &[("FAKE_CKTOOL_NO_TOKEN", "1")], &["--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(state(&d, "token"), "missing");
    assert!(d["steps"][1]["needs"].as_str().unwrap().contains("save-token --type management"));

    // CI's token in the environment comes first: said, never shown.
    let (code, d, _) = deploy(&ws, &path, &[("FAKE_CKTOOL_NO_TOKEN", "1"), ("CLOUDKIT_MANAGEMENT_TOKEN", "ck-secret-4f1c2e9a")], &["--dry-run"]);
    assert_eq!(code, 0, "{d:#}");
    assert_eq!(state(&d, "token"), "done");
    assert!(d["steps"][1]["output"].as_str().unwrap().contains("CLOUDKIT_MANAGEMENT_TOKEN (the environment)"), "{d:#}");
    assert!(!d.to_string().contains("ck-secret-4f1c2e9a"));

    // Each deploy ran on the release runner: its log holds what cktool printed, and it is
    // listed with the past runs, steps and all.
    let log = std::fs::read_to_string(d["log"].as_str().unwrap()).unwrap();
    assert!(!log.is_empty() && !log.contains("ck-secret-4f1c2e9a"), "{log}");
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["runs", "--json"]));
    let runs = json(&out);
    let this = runs.as_array().unwrap().iter().find(|r| r["id"] == d["run"]).unwrap_or_else(|| panic!("{} not in {runs:#}", d["run"]));
    assert_eq!(this["builds"], serde_json::json!(["CloudKit schema deploy of iCloud.com.mshaler.isometry"]));
    assert_eq!(this["outcome"], "dry-run-passed");
    let ids: Vec<&str> = this["steps"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["prerequisites", "token", "validate", "import", "export-production", "pending", "console"]);
}

#[test]
fn a_real_deploy_imports_then_confirms_after_the_console() {
    let ws = TempWorkspace::sample();
    let path = fakes().display().to_string() + ":/usr/bin:/bin";
    let (code, d, calls) = deploy(&ws, &path, &[], &[]);
    assert_eq!(code, 0, "{d:#}");
    assert!(calls.contains("cktool import-schema --team-id 7XK2M9QPLA --container-id iCloud.com.mshaler.isometry --environment development --file "));
    assert_eq!(state(&d, "console"), "manual");
    assert!(ws.path(".shipdeck/cloudkit/production.ckdb").is_file());

    // Production still lacks the changes: --confirm says so.
    let (code, d, _) = deploy(&ws, &path, &[], &["--confirm"]);
    assert_eq!(code, 1);
    assert_eq!(state(&d, "confirm"), "failed");
    // After the console deploy, production matches.
    let schema = ws.path(SCHEMA);
    let (code, d, _) = deploy(&ws, &path, &[("FAKE_CKTOOL_PRODUCTION", schema.to_str().unwrap())], &["--confirm"]);
    assert_eq!(code, 0, "{d:#}");
    assert_eq!(state(&d, "confirm"), "done");

    // A destructive change stops before the console.
    let prod = ws.dir.path().join("prod.ckdb");
    std::fs::write(&prod, ws.read(SCHEMA).replace("RECORD TYPE Users (", "RECORD TYPE Legacy (x STRING);\n    RECORD TYPE Users (")).unwrap();
    let (code, d, _) = deploy(&ws, &path, &[("FAKE_CKTOOL_PRODUCTION", prod.to_str().unwrap())], &[]);
    assert_eq!(code, 1);
    assert_eq!(state(&d, "pending"), "failed");
    assert_eq!(state(&d, "console"), "skipped");
}

#[test]
fn the_profile_that_signs_is_one_of_the_places() {
    let ws = TempWorkspace::sample();
    let data = ws.dir.path().join("data");
    let (code, _, _) = run(shipdeck(&data).args(["signing", "demo", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    let (_, out, _) = run(shipdeck(&data).args(["cloudkit", "check", "--json", "--workspace"]).arg(&ws.root));
    let r = json(&out);
    let profiles: Vec<_> = r["places"].as_array().unwrap().iter().filter(|p| p["source"].as_str().unwrap().starts_with("profile")).collect();
    assert_eq!(profiles.len(), 2, "{r:#}");
    assert!(profiles.iter().all(|p| p["value"] == "iCloud.com.mshaler.isometry" && p["edit"].is_null()));
}

/// Dispatch (XcodeGen, the project not committed): the CloudKit screen and deploy need no Xcode
/// project. The container comes from the entitlements files and the spec, the team from the
/// spec, and the deploy's dry-run names them.
#[test]
fn a_generated_project_not_here_yet_is_deployed_from_its_entitlements_and_spec() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("dispatch");
    std::fs::create_dir_all(root.join("App")).unwrap();
    std::fs::create_dir_all(root.join("CloudKit")).unwrap();
    std::fs::write(root.join("project.yml"), "name: Dispatch\ntargets:\n  Dispatch:\n    type: application\n    settings:\n      base:\n        DEVELOPMENT_TEAM: UTQFCBPQRF\n").unwrap();
    std::fs::write(root.join("CloudKit/schema.ckdb"), "DEFINE SCHEMA\n  RECORD TYPE Task (\n    title STRING\n  );\n").unwrap();
    let ent = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>com.apple.developer.icloud-container-identifiers</key>\n\t<array>\n\t\t<string>iCloud.io.example.Dispatch</string>\n\t</array>\n\t<key>com.apple.developer.icloud-services</key>\n\t<array>\n\t\t<string>CloudKit</string>\n\t</array>\n</dict>\n</plist>\n";
    std::fs::write(root.join("App/Dispatch.entitlements"), ent).unwrap();
    let data = dir.path().join("data");
    let (code, out, err) = run(shipdeck(&data).args(["cloudkit", "check", "--workspace"]).arg(&root));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.lines().any(|l| l.contains("iCloud.io.example.Dispatch") && l.contains("App/Dispatch.entitlements:6")), "{out}");
    assert!(out.contains("Container aligned") && out.contains("Schema valid"), "{out}");
    let (_, out, err) = run(shipdeck(&data).args(["cloudkit", "deploy", "--dry-run", "--workspace"]).arg(&root).env("PATH", "/usr/bin:/bin"));
    assert!(out.contains("xcrun cktool import-schema --team-id UTQFCBPQRF --container-id iCloud.io.example.Dispatch --environment development --file"), "{out}{err}");
    // A release says why there is nothing to archive yet.
    let (code, _, err) = run(shipdeck(&data).args(["release", "--plan", "--workspace"]).arg(&root));
    assert_eq!(code, 2);
    assert!(err.contains("its Xcode project is made from project.yml and is not here yet (`xcodegen generate`)"), "{err}");
    // `init` writes no shipdeck.toml that would list no targets after the project is generated.
    let (code, _, err) = run(shipdeck(&data).args(["init", "--workspace"]).arg(&root));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("shipdeck.toml not written: its Xcode project is made from project.yml"), "{err}");
    // Nothing written in the repository.
    assert!(!root.join("shipdeck.toml").exists());
}

/// An app moving its data keeps its old container beside the new one in the same entitlements
/// array (and names it in its code): that is another container it uses, not a second name for
/// the release's. No mismatch, no warning, and aligning on another id leaves it alone.
#[test]
fn another_container_listed_beside_the_releases_is_not_a_mismatch() {
    let ws = TempWorkspace::sample();
    ws.edit(IOS_ENT, "<string>iCloud.com.mshaler.isometry</string>", "<string>iCloud.com.mshaler.isometry</string>\n\t\t<string>iCloud.com.mshaler.legacy</string>");
    ws.write("native/IsometryiOS/IsometryiOS/Migration.swift", "let old = CKContainer(identifier: \"iCloud.com.mshaler.legacy\")\n");
    let r = report(&ws);
    assert!(with_id(&r, "cloudkit.container.mismatch").is_empty(), "{r:#}");
    assert!(with_id(&r, "cloudkit.container.code").is_empty(), "{r:#}");
    let (_, view, _) = sd(&ws, &["show", "cloudkit"]);
    let view = json(&view);
    assert_eq!(view["distinct"], serde_json::json!(["iCloud.com.mshaler.isometry"]), "{view:#}");
    let legacy: Vec<&serde_json::Value> = view["places"].as_array().unwrap().iter().filter(|p| p["value"] == "iCloud.com.mshaler.legacy").collect();
    assert_eq!(legacy.len(), 2, "{view:#}");
    assert!(legacy.iter().any(|p| p["also"] == true), "{view:#}");
    let (code, _, err) = sd(&ws, &["cloudkit", "align", "--to", "iCloud.com.mshaler.isometry2"]);
    assert_eq!(code, 0, "{err}");
    let ent = ws.read(IOS_ENT);
    assert!(ent.contains("<string>iCloud.com.mshaler.isometry2</string>") && ent.contains("<string>iCloud.com.mshaler.legacy</string>"), "{ent}");
    assert!(ws.read("native/IsometryiOS/IsometryiOS/Migration.swift").contains("iCloud.com.mshaler.legacy"));
}

/// A repository of two apps: the other app's code names its own container, which its own
/// entitlements grant. That is not the release's container misspelt: no warning, no fix.
#[test]
fn another_apps_container_in_its_own_code_is_left_alone() {
    let ws = TempWorkspace::sample();
    std::fs::create_dir_all(ws.path("native/Admin")).unwrap();
    let ent = ws.read(IOS_ENT).replace("iCloud.com.mshaler.isometry", "iCloud.com.mshaler.admin");
    ws.write("native/Admin/Admin.entitlements", &ent);
    ws.write("native/Admin/AdminSync.swift", "let c = CKContainer(identifier: \"iCloud.com.mshaler.admin\")\n");
    let r = report(&ws);
    assert!(with_id(&r, "cloudkit.container.code").is_empty(), "{r:#}");
    assert!(with_id(&r, "cloudkit.container.mismatch").is_empty(), "{r:#}");
    let (_, view, _) = sd(&ws, &["show", "cloudkit"]);
    assert!(json(&view)["fix"].is_null(), "{view}");
    let (code, _, err) = sd(&ws, &["cloudkit", "align", "--to", "iCloud.com.mshaler.isometry2"]);
    assert_eq!(code, 0, "{err}");
    assert!(ws.read("native/Admin/AdminSync.swift").contains("iCloud.com.mshaler.admin"));
    // The same literal misspelt, with no app granting it: still the release's typo.
    ws.write("native/Admin/AdminSync.swift", "let c = CKContainer(identifier: \"iCloud.com.mshaler.admn\")\n");
    assert_eq!(with_id(&report(&ws), "cloudkit.container.code").len(), 1);
}
