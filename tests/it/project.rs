//! `shipdeck project` and the project checks, on copies of the sample workspace.

use crate::util::*;

const MAC: &str = "native/IsometrymacOS/IsometrymacOS.xcodeproj";
const MAC_PBX: &str = "native/IsometrymacOS/IsometrymacOS.xcodeproj/project.pbxproj";
const MAC_SCHEME: &str = "native/IsometrymacOS/IsometrymacOS.xcodeproj/xcshareddata/xcschemes/IsometrymacOS.xcscheme";

/// The sample with the macOS project's Production configurations taken out (as Isometry's
/// project was before its release), and its scheme archiving with Release.
fn without_production() -> TempWorkspace {
    let ws = TempWorkspace::sample();
    let text = ws.read(MAC_PBX);
    let mut out = String::new();
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("\t\t") && line.contains(" /* Production */ = {") {
            skipping = true;
        }
        if !skipping && !line.contains("/* Production */,") {
            out.push_str(line);
        }
        if skipping && line == "\t\t};\n" {
            skipping = false;
        }
    }
    assert_eq!(out.matches("name = Production;").count(), 0);
    ws.write(MAC_PBX, &out);
    ws.edit(MAC_SCHEME, "buildConfiguration = \"Production\"\n      revealArchiveInOrganizer", "buildConfiguration = \"Release\"\n      revealArchiveInOrganizer");
    ws
}

fn sd(ws: &TempWorkspace, args: &[&str]) -> (i32, String, String) {
    run(shipdeck(&ws.dir.path().join("data")).args(args))
}

fn check(ws: &TempWorkspace) -> serde_json::Value {
    let (_, out, _) = sd(ws, &["check", "--json", "--workspace", ws.root.to_str().unwrap()]);
    json(&out)
}

fn with_id<'a>(r: &'a serde_json::Value, id: &str) -> Vec<&'a serde_json::Value> {
    r["findings"].as_array().unwrap().iter().filter(|f| f["id"] == id).collect()
}

#[test]
fn missing_production_is_a_blocker_with_a_fix_and_add_configuration_fixes_it() {
    let ws = without_production();
    let r = check(&ws);
    let missing = with_id(&r, "project.configuration.missing");
    assert_eq!(missing.len(), 1, "{r:#}");
    assert_eq!(missing[0]["severity"], "blocker");
    assert_eq!(missing[0]["subject"], "macOS target IsometrymacOS");
    assert_eq!(missing[0]["file"], MAC_PBX);
    assert_eq!(missing[0]["fix"]["action"], "project.add-configuration");
    assert_eq!(with_id(&r, "project.scheme.archive-configuration").iter().filter(|f| f["severity"] == "blocker").count(), 1);

    // Dry-run: the diff, and not a byte written.
    let before = ws.snapshot();
    let proj = ws.path(MAC);
    let xcconfig = ws.path("native/Configurations/Production.xcconfig");
    let args = ["project", "add-configuration", proj.to_str().unwrap(), "--from", "Release", "--name", "Production", "--xcconfig", xcconfig.to_str().unwrap(), "--scheme", "IsometrymacOS"];
    let (code, diff, err) = sd(&ws, &[&args[..], &["--dry-run"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(diff.contains("+\t\t\tname = Production;"), "{diff}");
    assert!(diff.contains("-      buildConfiguration = \"Release\"\n+      buildConfiguration = \"Production\""), "{diff}");
    assert_eq!(ws.snapshot(), before);

    let original = ws.read(MAC_PBX);
    let original_scheme = ws.read(MAC_SCHEME);
    let (code, _, err) = sd(&ws, &args);
    assert_eq!(code, 0, "{err}");
    // The reference to the xcconfig is relative to its group, never the absolute path given.
    assert!(!ws.read(MAC_PBX).contains(ws.root.to_str().unwrap()), "an absolute path was written");
    // Only additions: every original line is still there, in order.
    let edited = ws.read(MAC_PBX);
    let diff = similar::TextDiff::from_lines(&original, &edited);
    assert!(diff.iter_all_changes().all(|c| c.tag() != similar::ChangeTag::Delete));
    assert_eq!(edited.matches("name = Production;").count(), 2);

    let r = check(&ws);
    assert!(with_id(&r, "project.configuration.missing").is_empty());
    let ok = with_id(&r, "project.configuration.production");
    assert_eq!(ok.iter().filter(|f| f["subject"] == "macOS target IsometrymacOS").count(), 1, "{r:#}");
    assert_eq!(r["summary"]["blockers"], 0, "{r:#}");

    // A second run refuses: Production exists everywhere now.
    let (code, _, err) = sd(&ws, &args);
    assert_eq!(code, 2);
    assert!(err.contains("already has `Production`"), "{err}");
    // Undo refuses while a file of the edit has changed since (it would lose that change)...
    let edited_scheme = ws.read(MAC_SCHEME);
    ws.write(MAC_SCHEME, &format!("{edited_scheme}\n"));
    let (code, _, err) = sd(&ws, &["project", "undo", proj.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("IsometrymacOS.xcscheme") && err.contains("changed since the edit"), "{err}");
    assert_eq!(ws.read(MAC_PBX), edited, "nothing was undone");
    // ...and then puts back every file the edit changed: the project and the scheme.
    ws.write(MAC_SCHEME, &edited_scheme);
    let (code, _, err) = sd(&ws, &["project", "undo", proj.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(ws.read(MAC_PBX), original);
    assert_eq!(ws.read(MAC_SCHEME), original_scheme);
}

#[test]
fn set_touches_one_line_and_show_lists_configurations() {
    let ws = TempWorkspace::sample();
    let proj = ws.path(MAC);
    let original = ws.read(MAC_PBX);
    let (code, _, err) = sd(&ws, &["project", "set", proj.to_str().unwrap(), "--target", "IsometrymacOS", "--config", "Production", "MACOSX_DEPLOYMENT_TARGET", "14.2"]);
    assert_eq!(code, 0, "{err}");
    let edited = ws.read(MAC_PBX);
    let added: Vec<&str> = edited.lines().filter(|l| !original.lines().any(|o| o == *l)).collect();
    assert_eq!(added, ["\t\t\t\tMACOSX_DEPLOYMENT_TARGET = 14.2;"]);
    assert_eq!(edited.lines().count(), original.lines().count() + 1);

    let (code, out, _) = sd(&ws, &["project", "show", proj.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    let r = json(&out);
    let configs = &r["targets"][0]["configurations"]["configurations"];
    assert_eq!(configs.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect::<Vec<_>>(), ["Debug", "Release", "Production"]);
    let prod = &configs[2];
    assert!(prod["settings"].as_array().unwrap().iter().any(|s| s["name"] == "MACOSX_DEPLOYMENT_TARGET" && s["value"] == "14.2"));
}

#[test]
fn a_malformed_project_is_reported_at_its_line_and_refused() {
    let ws = TempWorkspace::sample();
    ws.edit(MAC_PBX, "\t\t\tisa = PBXProject;\n", "\t\t\tisa = PBXProject\n");
    let line = ws.read(MAC_PBX).lines().position(|l| l == "\t\t\tisa = PBXProject").unwrap() as u64 + 2;
    let r = check(&ws);
    let f = with_id(&r, "project.parse");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["line"], line);
    let before = ws.snapshot();
    let proj = ws.path(MAC);
    let (code, _, err) = sd(&ws, &["project", "add-configuration", proj.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("project.pbxproj:{line}:")), "{err}");
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn a_target_based_on_another_xcconfig_is_caught() {
    let ws = TempWorkspace::sample();
    let text = ws.read(MAC_PBX);
    // The target's Production configuration points at Base.xcconfig instead.
    let target_prod = text.find("B1C2D3E4F5A6000000000912 /* Production */ = {").unwrap();
    let rest = &text[target_prod..];
    let from = "baseConfigurationReference = B1C2D3E4F5A6000000000221 /* Production.xcconfig */;";
    let at = target_prod + rest.find(from).unwrap();
    let edited = format!("{}baseConfigurationReference = B1C2D3E4F5A6000000000220 /* Base.xcconfig */;{}", &text[..at], &text[at + from.len()..]);
    // ...and so does the project's.
    let edited = edited.replacen(from, "baseConfigurationReference = B1C2D3E4F5A6000000000220 /* Base.xcconfig */;", 1);
    ws.write(MAC_PBX, &edited);
    let r = check(&ws);
    let f = with_id(&r, "project.configuration.base-xcconfig");
    assert_eq!(f.len(), 1, "{r:#}");
    assert!(f[0]["message"].as_str().unwrap().contains("Base.xcconfig"));
}

/// The Project screen marks a base xcconfig the project names that is not on disk (CocoaPods'
/// before `pod install`, a file kept out of git), and only that one.
#[test]
fn the_project_view_marks_a_base_xcconfig_that_is_not_here() {
    let ws = TempWorkspace::sample();
    std::fs::remove_file(ws.path("native/Configurations/Base.xcconfig")).unwrap();
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["show", "project", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let mut marked = std::collections::BTreeMap::new();
    for p in v.as_array().unwrap() {
        for l in p["lists"].as_array().unwrap() {
            for c in l["configurations"].as_array().unwrap() {
                *marked.entry((c["base_xcconfig"].as_str().unwrap_or("-").to_string(), c["base_missing"].as_bool().unwrap())).or_insert(0) += 1;
            }
        }
    }
    assert!(marked.keys().any(|(f, gone)| f == "native/Configurations/Base.xcconfig" && *gone), "{marked:?}");
    assert!(marked.keys().all(|(f, gone)| *gone == (f == "native/Configurations/Base.xcconfig")), "only the removed file: {marked:?}");
}

/// A shipping target's configuration list is labelled with the platforms it ships on (MAME4iOS's
/// ArcadeMania ships on iOS and Mac Catalyst; its SDKROOT alone says iOS), a target that does not
/// ship by its SDKROOT.
#[test]
fn the_project_view_labels_a_shipping_target_with_its_platforms() {
    let ws = TempWorkspace::sample();
    let label = |ws: &TempWorkspace, owner: &str| -> String {
        let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["show", "project", "--workspace"]).arg(&ws.root));
        assert_eq!(code, 0, "{err}");
        let v = json(&out);
        let list = v.as_array().unwrap().iter().flat_map(|p| p["lists"].as_array().unwrap().iter()).find(|l| l["owner"] == owner).cloned().unwrap();
        list["platform"].as_str().unwrap_or("-").to_string()
    };
    assert_eq!(label(&ws, "IsometryiOS"), "iOS");
    let toml = ws.read("shipdeck.toml");
    let catalyst = "\n[[targets]]\nplatform = \"catalyst\"\nproject = \"native/IsometryiOS/IsometryiOS.xcodeproj\"\nscheme = \"IsometryiOS\"\nentitlements = \"native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements\"\ninfo_plist = \"native/IsometryiOS/IsometryiOS/Info.plist\"\n";
    let at = toml.find("\n[signing]").unwrap();
    std::fs::write(ws.path("shipdeck.toml"), format!("{}{catalyst}{}", &toml[..at], &toml[at..])).unwrap();
    assert_eq!(label(&ws, "IsometryiOS"), "iOS, Mac Catalyst");
    assert_eq!(label(&ws, "IsometrymacOS"), "macOS");
}
