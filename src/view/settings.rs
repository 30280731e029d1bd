//! The build settings of a shipping target as the editor shows them: each effective value with
//! the file and line it comes from, and whether Shipdeck can edit it there.

use crate::error::{Error, Result};
use crate::workspace::{TargetConfig, Workspace};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingView {
    pub name: String,
    pub value: String,
    pub raw: String,
    pub file: String,
    pub line: usize,
    /// Set in an xcconfig or the project file (edited here where it is set), not built in,
    /// generated or read from a template.
    pub editable: bool,
    /// Why it cannot be edited here, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not: Option<String>,
    /// The same in a word or two, for the table ("in project", "built in", "template").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked: Option<&'static str>,
    /// The other configurations based on the same xcconfig: changing the value here changes
    /// them too (Debug, say), unless the line has a `[config=...]` condition.
    pub shared_with: Vec<String>,
    /// One of the settings a release turns on (identity, version, signing, the files it
    /// reads, the platform): listed first, in [`RELEASE_SETTINGS`]' order.
    pub release: bool,
    /// The value is written as one reference (`$(FLUTTER_BUILD_NUMBER)`) to a setting set
    /// elsewhere: that setting and where it is set (a Flutter app's pubspec.yaml, an xcconfig).
    /// Saving a value here writes it in the reference's place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follows: Option<Follows>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Follows {
    pub name: String,
    pub file: String,
    pub line: usize,
}

/// The settings a release is made of, in the order a person reads them: what the app is, its
/// version and build, how it is signed, the files the build reads, where it runs.
pub const RELEASE_SETTINGS: &[&str] = &[
    "PRODUCT_BUNDLE_IDENTIFIER",
    "PRODUCT_NAME",
    "MARKETING_VERSION",
    "CURRENT_PROJECT_VERSION",
    "DEVELOPMENT_TEAM",
    "CODE_SIGN_STYLE",
    "CODE_SIGN_IDENTITY",
    "PROVISIONING_PROFILE_SPECIFIER",
    "CODE_SIGN_ENTITLEMENTS",
    "INFOPLIST_FILE",
    "GENERATE_INFOPLIST_FILE",
    "ASSETCATALOG_COMPILER_APPICON_NAME",
    "SDKROOT",
    "SUPPORTED_PLATFORMS",
    "TARGETED_DEVICE_FAMILY",
    "SUPPORTS_MACCATALYST",
    "IPHONEOS_DEPLOYMENT_TARGET",
    "MACOSX_DEPLOYMENT_TARGET",
    "TVOS_DEPLOYMENT_TARGET",
    "WATCHOS_DEPLOYMENT_TARGET",
    "XROS_DEPLOYMENT_TARGET",
];

/// What "Undo last save" would put back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UndoView {
    pub file: String,
    /// One line per setting the last save changed: `MARKETING_VERSION: 2.5.0 -> 2.5.1`.
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingsView {
    pub platform: String,
    pub target: String,
    /// The configuration the values are for.
    pub configuration: String,
    /// The Production xcconfig, where a new setting goes.
    pub file: Option<String>,
    /// Whether an xcconfig these settings come from (or the Production one) has a backup of
    /// its last change to put back: the newest of them is what "Undo last save" undoes.
    pub can_undo: bool,
    /// What undoing would put back, when it can.
    pub undo: Option<UndoView>,
    pub settings: Vec<SettingView>,
    /// What to say when a generator (XcodeGen, Tuist) makes the target's project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// The release configuration's base xcconfigs that are not here: none of their settings
    /// are among these (CocoaPods makes its own with `pod install`).
    pub missing_bases: Vec<String>,
}

/// The shipping target of a platform ("ios", "macos", ...).
pub fn target<'a>(ws: &'a Workspace, platform: &str) -> Result<&'a TargetConfig> {
    ws.config.targets.iter().find(|t| t.platform.as_str() == platform).ok_or_else(|| {
        let named = crate::workspace::Platform::ALL.iter().find(|p| p.as_str() == platform).map(|p| p.display()).unwrap_or(platform);
        Error::Usage(if ws.config.targets.is_empty() {
            format!("no {named} target in this workspace: {}", ws.no_targets_reason())
        } else {
            format!("no {named} target in this workspace (it has {})", ws.platform_names())
        })
    })
}

/// The effective settings of a platform's shipping target, each with where it comes from.
pub fn settings(ws: &Workspace, platform: &str) -> Result<SettingsView> {
    let t = target(ws, platform)?;
    let resolved = crate::settings::target_settings(ws, t)?;
    let file = ws.config.production_xcconfig.as_ref().map(|p| ws.path(p));
    // Which configurations use each xcconfig, to say when an edit reaches past this one.
    let (bases, missing_bases) = xcconfig_users(ws, t);
    let release = ws.configuration().to_string();
    let spec = crate::discover::generator_beside(&ws.path(&t.project));
    // Every xcconfig or project file a value comes from can be edited here, so any of them may
    // hold the last save.
    let edited_files: std::collections::BTreeSet<PathBuf> = resolved
        .values
        .values()
        .filter(|v| v.file.extension().is_some_and(|e| e == "xcconfig") || (spec.is_none() && v.file.file_name().is_some_and(|n| n == "project.pbxproj")))
        .map(|v| v.file.clone())
        .chain(file.clone())
        .collect();
    // Each project file read once, for the lines of the project's own settings.
    let mut project_lines: BTreeMap<PathBuf, std::collections::BTreeSet<(usize, String)>> = BTreeMap::new();
    let follows_of = |name: &str| -> Option<Follows> {
        let (last, v) = resolved.origin(name);
        v.filter(|v| last != name && v.line > 0).map(|v| Follows { name: last.clone(), file: ws.display_path(&v.file), line: v.line })
    };
    let follows: BTreeMap<String, Follows> = resolved.values.keys().filter_map(|k| follows_of(k).map(|f| (k.clone(), f))).collect();
    let mut settings: Vec<SettingView> = resolved
        .values
        .into_iter()
        .map(|(name, v)| {
            let is_xcconfig = v.file.extension().is_some_and(|e| e == "xcconfig");
            let (locked, why_not) = if v.line == 0 {
                (Some("built in"), Some("built in: Xcode sets it".to_string()))
            } else if let (true, Some(spec)) = (v.file.extension().is_some_and(|e| e == "pbxproj"), &spec) {
                (Some("generated"), Some(format!("set in the project file, which is made from {}: change it there", ws.display_path(spec))))
            } else if v.file.extension().is_some_and(|e| e == "pbxproj") {
                (None, None)
            } else if crate::fsutil::is_template(&v.file) {
                (Some("template"), Some(format!("read from {}, a template the team's setup copies: the build reads the copy, not here yet", ws.display_path(&v.file))))
            } else if !is_xcconfig {
                (Some("elsewhere"), Some("not from an xcconfig".to_string()))
            } else {
                (None, None)
            };
            // A project-level assignment reaches every target that does not set the key itself.
            let project_level = why_not.is_none()
                && !is_xcconfig
                && project_lines
                    .entry(v.file.clone())
                    .or_insert_with(|| crate::pbxproj::Document::read(&v.file).map(|d| crate::pbxproj::project_level_lines(&d, v.file.parent().unwrap_or(&v.file))).unwrap_or_default())
                    .contains(&(v.line, name.clone()));
            SettingView {
                editable: why_not.is_none(),
                shared_with: if is_xcconfig {
                    bases.get(&v.file).map(|names| names.iter().filter(|n| **n != release).cloned().collect()).unwrap_or_default()
                } else if project_level {
                    vec![format!("every target of the project that does not set it itself, in {release}")]
                } else {
                    vec![]
                },
                why_not,
                locked,
                file: ws.display_path(&v.file),
                line: v.line,
                value: v.value,
                raw: v.raw,
                release: RELEASE_SETTINGS.contains(&name.as_str()),
                follows: follows.get(&name).cloned(),
                name,
            }
        })
        .collect();
    // The release's settings first, in their order; the others by name, as resolved.
    settings.sort_by_key(|s| RELEASE_SETTINGS.iter().position(|r| *r == s.name).unwrap_or(RELEASE_SETTINGS.len()));
    // Backups are named by the time they were made, so the greatest name is the newest.
    let backups = crate::fsutil::default_backups();
    let backup = edited_files.iter().filter_map(|f| crate::fsutil::last_backup(&backups, f).map(|b| (f.clone(), b))).max_by(|(_, a), (_, b)| a.file_name().cmp(&b.file_name()));
    let undo = backup.as_ref().map(|(f, b)| UndoView { file: ws.display_path(f), changes: changed_settings(b, f) });
    Ok(SettingsView {
        undo,
        platform: platform.to_string(),
        target: t.target_name().to_string(),
        configuration: ws.configuration().to_string(),
        can_undo: backup.is_some(),
        file: file.as_ref().map(|f| ws.display_path(f)),
        settings,
        generated: spec.map(|s| crate::discover::generated_note(&s, &ws.display_path(&s))),
        missing_bases: missing_bases.iter().map(|b| ws.display_path(b)).collect(),
    })
}

/// For each xcconfig a configuration of the target's project reads (its base and what that
/// includes), the names of those configurations (the project's and every target's).
/// Also the base xcconfigs of the release configuration (the project's and the target's) that
/// are not on disk and have no template to read instead (CocoaPods' before `pod install`).
fn xcconfig_users(ws: &Workspace, t: &TargetConfig) -> (BTreeMap<PathBuf, Vec<String>>, Vec<PathBuf>) {
    let mut out: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let xcodeproj = ws.path(&t.project);
    let Ok(doc) = crate::pbxproj::Document::read(&xcodeproj.join("project.pbxproj")) else { return (out, vec![]) };
    let Ok(p) = crate::pbxproj::Project::new(&doc, &xcodeproj) else { return (out, vec![]) };
    let release = ws.configuration();
    let mut missing: Vec<PathBuf> = [p.project_configurations(), p.target(t.target_name()).map(|t| t.configurations)]
        .into_iter()
        .flatten()
        .flat_map(|l| l.configurations)
        .filter(|c| c.name == release)
        .filter_map(|c| c.base_xcconfig)
        .filter(|b| !b.is_file() && crate::fsutil::template_of(b).is_none())
        .collect();
    missing.dedup();
    for l in p.all_lists() {
        for c in &l.configurations {
            if let Some(b) = &c.base_xcconfig {
                for file in with_includes(b) {
                    let names = out.entry(file).or_default();
                    if !names.contains(&c.name) {
                        names.push(c.name.clone());
                    }
                }
            }
        }
    }
    (out, missing)
}

/// An xcconfig and every file it includes, however deep (each once).
fn with_includes(base: &Path) -> Vec<PathBuf> {
    let mut out = vec![base.to_path_buf()];
    let mut i = 0;
    while i < out.len() && out.len() < 64 {
        if let Ok(text) = std::fs::read_to_string(&out[i]) {
            for line in crate::xcconfig::Document::parse(&text).lines {
                if let crate::xcconfig::LineKind::Include { path, .. } = line.kind {
                    let inc = crate::xcconfig::include_path(&out[i], &path);
                    if !out.contains(&inc) {
                        out.push(inc);
                    }
                }
            }
        }
        i += 1;
    }
    out
}

/// The settings whose value differs between a backup and the file now, in the file's order.
fn changed_settings(backup: &Path, now: &Path) -> Vec<String> {
    if now.file_name().is_some_and(|n| n == "project.pbxproj") {
        return changed_project_settings(backup, now);
    }
    let read = |p: &Path| std::fs::read_to_string(p).map(|t| crate::xcconfig::Document::parse(&t)).ok();
    let (Some(before), Some(after)) = (read(backup), read(now)) else { return vec!["the whole file (it could not be read as an xcconfig)".into()] };
    let values = |d: &crate::xcconfig::Document| -> Vec<(String, String)> {
        d.assignments().map(|(_, a)| (a.conditions.iter().fold(a.name.clone(), |k, (c, v)| format!("{k}[{c}={v}]")), a.value.clone())).collect()
    };
    changes_between(&values(&before), &values(&after))
}

/// What an undo would do, one line per named value that differs between `before` (the backup)
/// and `after` (the file now), in the file's order; the last of a name counts (as in an xcconfig).
fn changes_between(before: &[(String, String)], after: &[(String, String)]) -> Vec<String> {
    let find = |list: &[(String, String)], k: &str| list.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let mut keys: Vec<&String> = after.iter().map(|(k, _)| k).chain(before.iter().map(|(k, _)| k)).collect();
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.as_str()));
    keys.into_iter()
        .filter_map(|k| match (find(before, k), find(after, k)) {
            (Some(a), Some(b)) if a != b => Some(format!("{k}: {b} -> {a}")),
            (None, Some(b)) => Some(format!("{k} = {b} (removed by the undo)")),
            (Some(a), None) => Some(format!("{k} = {a} (put back)")),
            _ => None,
        })
        .collect()
}

/// [`changed_settings`] of a project file: each build setting of each configuration that
/// differs, named with its configuration and owner (`MARKETING_VERSION (Release of target App)`).
fn changed_project_settings(backup: &Path, now: &Path) -> Vec<String> {
    let xcodeproj = now.parent().unwrap_or(now);
    let values = |p: &Path| -> Option<Vec<(String, String)>> {
        let doc = crate::pbxproj::Document::read(p).ok()?;
        let project = crate::pbxproj::Project::new(&doc, xcodeproj).ok()?;
        let mut out = Vec::new();
        for list in project.all_lists() {
            let owner = if list.owner == "project" { "the project".to_string() } else { format!("target {}", list.owner) };
            for c in &list.configurations {
                out.extend(c.settings.iter().map(|s| (format!("{} ({} of {owner})", s.name, c.name), s.value.joined())));
            }
        }
        Some(out)
    };
    let (Some(before), Some(after)) = (values(backup), values(now)) else { return vec!["the whole file (it could not be read as a project)".into()] };
    changes_between(&before, &after)
}

#[cfg(test)]
mod tests {
    use crate::discover::fixture::{base_xcconfig, project, scheme, APP, T};

    /// talk-ios before `pod install`: the release configuration's base is CocoaPods' xcconfig,
    /// not on disk; the view names it, so the screen can say its settings are not shown.
    #[test]
    fn a_release_base_xcconfig_not_here_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app")])]);
        scheme(&p, "App", "Release", "App.xcodeproj", &["App"]);
        base_xcconfig(&p, 3, "\"Pods/Target Support Files/Pods-App/Pods-App.release.xcconfig\"");
        let ws = crate::Workspace::open(root).unwrap();
        let v = super::settings(&ws, "ios").unwrap_or_else(|e| panic!("{e}: {:#?} {:#?}", ws.guesses, ws.config.targets));
        assert_eq!(v.missing_bases, ["Pods/Target Support Files/Pods-App/Pods-App.release.xcconfig"]);
        // Made (as pod install would), it is read and no longer named.
        std::fs::create_dir_all(root.join("Pods/Target Support Files/Pods-App")).unwrap();
        std::fs::write(root.join("Pods/Target Support Files/Pods-App/Pods-App.release.xcconfig"), "OTHER_LDFLAGS = -ObjC\n").unwrap();
        let v = super::settings(&ws, "ios").unwrap();
        assert!(v.missing_bases.is_empty(), "{:?}", v.missing_bases);
        assert!(v.settings.iter().any(|s| s.name == "OTHER_LDFLAGS" && s.editable), "its settings are read");
    }

    /// A value written as one reference to a setting set elsewhere says which and where (the
    /// sample's bundle id follows ISOMETRY_BUNDLE_ID_BASE); a built-in one ($(TARGET_NAME)) does not.
    #[test]
    fn a_value_written_as_a_reference_says_where_that_setting_is_set() {
        let ws = crate::Workspace::open(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry"))).unwrap();
        let v = super::settings(&ws, "ios").unwrap();
        let get = |n: &str| v.settings.iter().find(|s| s.name == n).unwrap();
        let f = get("PRODUCT_BUNDLE_IDENTIFIER").follows.clone().expect("follows");
        assert_eq!((f.name.as_str(), f.file.as_str(), f.line), ("ISOMETRY_BUNDLE_ID_BASE", "native/Configurations/Base.xcconfig", 9));
        assert!(get("PRODUCT_NAME").follows.is_none(), "TARGET_NAME is Xcode's own");
        assert!(get("MARKETING_VERSION").follows.is_none(), "a value, not a reference");
    }

    /// A project with no xcconfig (most apps): its settings are edited where the project file
    /// sets them; the project's own ones say they reach every target; a project XcodeGen makes
    /// is not edited (its generator would undo it), and says why.
    #[test]
    fn project_file_settings_are_editable_unless_generated() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app")])]);
        scheme(&p, "App", "Release", "App.xcodeproj", &["App"]);
        let ws = crate::Workspace::open(root).unwrap();
        let v = super::settings(&ws, "ios").unwrap();
        let get = |v: &super::SettingsView, n: &str| v.settings.iter().find(|s| s.name == n).cloned().unwrap_or_else(|| panic!("{n}: {:#?}", v.settings));
        let id = get(&v, "PRODUCT_BUNDLE_IDENTIFIER");
        assert!(id.editable && id.file.ends_with("project.pbxproj") && id.line > 0, "{id:?}");
        assert!(id.shared_with.is_empty(), "the target's own: {id:?}");
        let sdk = get(&v, "SDKROOT");
        assert!(sdk.editable, "{sdk:?}");
        assert_eq!(sdk.shared_with, ["every target of the project that does not set it itself, in Release"]);
        // Edited through the engine: that line, then undone with the file's backup.
        let pbx = root.join("App.xcodeproj/project.pbxproj");
        let change = crate::change::setting_at(&ws, &pbx, Some(id.line), "PRODUCT_BUNDLE_IDENTIFIER", "com.example.other").unwrap().unwrap();
        assert!(change.diff.contains("+\t\t\t\tPRODUCT_BUNDLE_IDENTIFIER = com.example.other;"), "{}", change.diff);
        assert!(crate::change::setting_at(&ws, &pbx, None, "PRODUCT_BUNDLE_IDENTIFIER", "x").is_err(), "a project file's setting needs its line");
        // Made by XcodeGen: shown, not editable, and refused by the engine too.
        std::fs::write(root.join("project.yml"), "name: App\n").unwrap();
        let v = super::settings(&ws, "ios").unwrap();
        let id = get(&v, "PRODUCT_BUNDLE_IDENTIFIER");
        assert!(!id.editable && id.locked == Some("generated"), "{id:?}");
        let err = crate::change::setting_at(&ws, &pbx, Some(id.line), "PRODUCT_BUNDLE_IDENTIFIER", "x").unwrap_err().to_string();
        assert!(err.contains("is made from project.yml"), "{err}");
    }
}
