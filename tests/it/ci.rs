//! GitHub workflows: `shipdeck ci init`, the workflow checks, and `--format github`.

use crate::util::*;

const DEPLOY: &str = ".github/workflows/app-store-deployment.yml";
const GENERATED: &str = ".github/workflows/shipdeck-release.yml";

fn check_json(ws: &TempWorkspace) -> (i32, serde_json::Value) {
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["check", "--json", "--workspace"]).arg(&ws.root));
    assert!(code == 0 || code == 1, "{err}");
    (code, json(&out))
}

fn line_of(ws: &TempWorkspace, rel: &str, needle: &str) -> u64 {
    ws.read(rel).lines().position(|l| l.contains(needle)).expect("needle") as u64 + 1
}

#[test]
fn sample_workflows_are_consistent() {
    let ws = TempWorkspace::sample();
    let (code, r) = check_json(&ws);
    assert_eq!(code, 0);
    let ok: Vec<_> = r["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "ci.workflow.consistent").collect();
    assert_eq!(ok.len(), 2);
}

#[test]
fn a_renamed_scheme_configuration_or_file_is_caught_at_its_line() {
    for (from, to, id) in [
        ("-scheme IsometryiOS", "-scheme IsometryPhone", "ci.workflow.scheme-missing"),
        ("-configuration Production", "-configuration AppStore", "ci.workflow.configuration-missing"),
        ("native/ExportOptions.plist", "native/Export.plist", "ci.workflow.file-missing"),
        ("-project native/IsometryiOS/IsometryiOS.xcodeproj", "-project native/iOS/Isometry.xcodeproj", "ci.workflow.file-missing"),
    ] {
        let ws = TempWorkspace::sample();
        ws.edit(DEPLOY, from, to);
        let (code, r) = check_json(&ws);
        assert_eq!(code, 1, "{id}");
        let f = r["findings"].as_array().unwrap().iter().find(|f| f["id"] == id).unwrap_or_else(|| panic!("{id} not found"));
        assert_eq!(f["file"], DEPLOY);
        assert_eq!(f["line"], line_of(&ws, DEPLOY, to), "{id}");
        assert_eq!(r["summary"]["blockers"], 1, "{id}: exactly one thing is broken");
    }
}

#[test]
fn github_format_annotates_file_and_line_and_prints_the_summary() {
    let ws = TempWorkspace::sample();
    ws.edit(DEPLOY, "-scheme IsometryiOS", "-scheme Nope");
    let (code, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["check", "--format", "github", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 1);
    let line = line_of(&ws, DEPLOY, "-scheme Nope");
    let expected = format!("::error file={DEPLOY},line={line},title=app-store-deployment.yml (ci.workflow.scheme-missing)::");
    assert!(out.lines().any(|l| l.starts_with(&expected)), "{out}");
    assert!(out.trim_end().lines().last().unwrap().ends_with("1 blocker"), "{out}");
}

#[test]
fn init_previews_refuses_to_clobber_and_drift_is_reported() {
    let ws = TempWorkspace::sample();
    let data = ws.dir.path().join("data");
    std::fs::remove_file(ws.path(GENERATED)).unwrap();
    let (code, preview, _) = run(shipdeck(&data).args(["ci", "init", "--dry-run", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    assert!(!ws.path(GENERATED).exists());
    let (code, _, _) = run(shipdeck(&data).args(["ci", "init", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    assert_eq!(ws.read(GENERATED), preview);

    // The workspace changes (macOS no longer ships): the generated workflow drifts.
    let toml = ws.read("shipdeck.toml");
    let cut = toml.rfind("[[targets]]").unwrap();
    let rest = &toml[cut..];
    let end = rest.find("\n\n").map(|i| cut + i + 2).unwrap_or(toml.len());
    ws.write("shipdeck.toml", &format!("{}{}", &toml[..cut], &toml[end..]));
    let (_, r) = check_json(&ws);
    let drift = r["findings"].as_array().unwrap().iter().find(|f| f["id"] == "ci.workflow.drift").expect("drift");
    assert_eq!(drift["file"], GENERATED);

    let before = ws.read(GENERATED);
    let (code, _, err) = run(shipdeck(&data).args(["ci", "init", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--force"));
    assert_eq!(ws.read(GENERATED), before);
    let (code, _, _) = run(shipdeck(&data).args(["ci", "init", "--force", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    assert!(ws.read(GENERATED).contains("--platform ios\n"));
    let (_, r) = check_json(&ws);
    assert!(!r["findings"].as_array().unwrap().iter().any(|f| f["id"] == "ci.workflow.drift"));
}
