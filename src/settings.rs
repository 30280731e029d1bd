//! Effective build settings of one shipping target in the release configuration, each with
//! the file and line it came from. Checks read settings through this type only.

use std::path::{Path, PathBuf};

pub use crate::xcconfig::{references, single_reference, SettingValue, Settings};

impl Settings {
    /// The team a target signs for: its DEVELOPMENT_TEAM, else shipdeck.toml's `[app] team_id`.
    pub fn team(&self, ws: &crate::Workspace) -> Option<String> {
        self.value("DEVELOPMENT_TEAM").map(String::from).or_else(|| ws.config.app.team_id.clone())
    }
}

/// The effective settings of a shipping target in the release configuration, level by level
/// as Xcode stacks them: built-ins (`CONFIGURATION`, `TARGET_NAME`, `PRODUCT_NAME`,
/// `PLATFORM_NAME`, `SDK_NAME`, `EFFECTIVE_PLATFORM_NAME`, `SRCROOT`, `PROJECT_DIR`,
/// `PROJECT_NAME`; they
/// carry the project's path and line 0) < the project's xcconfig < the project's settings <
/// the target's xcconfig < the target's settings, for the target's SDK. When the project
/// does not base the target on an xcconfig, the workspace's Production xcconfig stands in
/// for it (it is the file the release is meant to use). When the project file cannot be
/// read, the Production xcconfig alone is used (the project checks report the file).
pub fn target_settings(ws: &crate::Workspace, target: &crate::workspace::TargetConfig) -> crate::Result<Settings> {
    settings_for_sdk(ws, target, target.platform.sdk())
}

/// The `#include?` lines of a target's xcconfigs whose file is absent (xcconfig, line, the file
/// it names): where a setting nothing here sets may come from at build time.
pub fn absent_optional_includes(ws: &crate::Workspace, target: &crate::workspace::TargetConfig) -> Vec<(PathBuf, usize, PathBuf)> {
    resolved_for_sdk(ws, target, target.platform.sdk()).map(|r| r.absent_optional).unwrap_or_default()
}

/// [`target_settings`] for an SDK other than the platform's (a watch app inside an iOS app
/// builds with `watchos`).
fn settings_for_sdk(ws: &crate::Workspace, target: &crate::workspace::TargetConfig, sdk: &str) -> crate::Result<Settings> {
    resolved_for_sdk(ws, target, sdk).map(|r| r.settings)
}

fn resolved_for_sdk(ws: &crate::Workspace, target: &crate::workspace::TargetConfig, sdk: &str) -> crate::Result<crate::xcconfig::Resolved> {
    use crate::xcconfig::{resolve_levels, Conditions, Level, LevelEntry};
    let xcodeproj = ws.path(&target.project);
    let pbxproj = xcodeproj.join("project.pbxproj");
    let project_dir = xcodeproj.parent().unwrap_or(&ws.root).to_path_buf();
    let name = target.target_name();
    let builtins = [
        ("CONFIGURATION", ws.configuration().to_string()),
        ("TARGET_NAME", name.to_string()),
        ("PRODUCT_NAME", name.to_string()),
        ("PLATFORM_NAME", sdk.to_string()),
        ("SDK_NAME", sdk.to_string()),
        ("EFFECTIVE_PLATFORM_NAME", if sdk == "macosx" { String::new() } else { format!("-{sdk}") }),
        ("SRCROOT", project_dir.display().to_string()),
        ("PROJECT_DIR", project_dir.display().to_string()),
        // The .xcodeproj's name (Provenance's `$(PROJECT_NAME:lower)` in its bundle ids).
        ("PROJECT_NAME", xcodeproj.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()),
    ];
    let mut settings = Settings { values: builtins.into_iter().map(|(k, v)| (k.to_string(), SettingValue { raw: v.clone(), value: v, file: pbxproj.clone(), line: 0 })).collect() };
    settings.values.extend(flutter_version(&project_dir));
    let cond = Conditions { sdk: Some(sdk.to_string()), config: Some(ws.configuration().to_string()), source_root: Some(project_dir.clone()), ..Default::default() };
    let production = ws.config.production_xcconfig.as_ref().map(|p| ws.path(p));
    let level_of = |c: &crate::pbxproj::Configuration| -> Vec<LevelEntry> {
        c.settings.iter().map(|s| LevelEntry { key: s.name.clone(), value: s.value.joined(), file: pbxproj.clone(), line: s.line }).collect()
    };

    let doc = crate::pbxproj::Document::read_shared(&pbxproj).ok();
    let project = doc.as_ref().and_then(|d| crate::pbxproj::Project::new(d, &xcodeproj).ok());
    // Only the release configuration is read, at each level.
    let (project_cfg, target_cfg) = match &project {
        Some(p) => (p.project_configuration(ws.configuration()), p.target_configuration(name, ws.configuration())),
        None => (None, None),
    };
    // The levels, lowest first, evaluated together as Xcode does (a reference sees the
    // name's final value, whichever level sets it).
    let project_level = project_cfg.as_ref().map(level_of).unwrap_or_default();
    let target_level = target_cfg.as_ref().map(level_of).unwrap_or_default();
    // A base xcconfig the team's setup makes from a committed template (Mullvad's
    // `App.xcconfig.template`) is read from the template until it is made.
    let present = |x: PathBuf| if x.is_file() { Some(x) } else { crate::fsutil::template_of(&x) };
    let project_xcconfig = project_cfg.as_ref().and_then(|c| c.base_xcconfig.clone()).and_then(present);
    let used_production = project_xcconfig.as_ref().is_some_and(|x| production.as_ref().is_some_and(|p| crate::fsutil::same_file(p, x)));
    let target_xcconfig = target_cfg.as_ref().and_then(|c| c.base_xcconfig.clone()).and_then(present);
    let target_xcconfig = match (target_xcconfig, &production) {
        (Some(x), _) => Some(x),
        (None, Some(p)) if !used_production => Some(p.clone()),
        _ => None,
    };
    let mut levels = Vec::new();
    if let Some(x) = &project_xcconfig {
        levels.push(Level::File(x));
    }
    levels.push(Level::Entries(&project_level));
    if let Some(x) = &target_xcconfig {
        levels.push(Level::File(x));
    }
    levels.push(Level::Entries(&target_level));
    resolve_levels(&levels, &cond, &settings)
}

/// The version or build number an app ships with, and where it is written.
pub struct Shipped {
    pub value: String,
    /// What it is called there: the build setting, or "CFBundleVersion in the Info.plist".
    pub name: String,
    /// The build setting it comes from, when it is one (what `--bump-build` raises); `None`
    /// for a literal the Info.plist writes.
    pub setting: Option<String>,
    pub file: PathBuf,
    pub line: Option<usize>,
}

/// What Xcode's Info.plist preprocessor fills `value` from, when the target preprocesses its
/// Info.plist (`INFOPLIST_PREPROCESS = YES`) and `value` names a macro (a C identifier):
/// Vienna's `VCS_TAG :VCS_SHORT_HASH:` and `VCS_NUM`, defined in a header its build writes
/// (`INFOPLIST_PREFIX_HEADER = $(PROJECT_DERIVED_FILE_DIR)/autorevision.plist.h`); Onion
/// Browser's `OBBundleShortVersionString`, which its Run Script writes into the git-ignored
/// `OnionBrowser/version.h`.
pub fn preprocessed_from(settings: &Settings, value: &str) -> Option<String> {
    if settings.value("INFOPLIST_PREPROCESS") != Some("YES") {
        return None;
    }
    let is_macro = |w: &str| w.len() > 1 && w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !value.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(is_macro) {
        return None;
    }
    Some(match settings.get("INFOPLIST_PREFIX_HEADER") {
        Some(h) => format!("the header `{}`", h.raw),
        None => "INFOPLIST_PREPROCESSOR_DEFINITIONS".to_string(),
    })
}

/// The version and the build number the app ships with, each where it comes from: the
/// Info.plist's CFBundleShortVersionString / CFBundleVersion when the file writes one (a literal
/// there wins over the build setting, which is then unused), else MARKETING_VERSION /
/// CURRENT_PROJECT_VERSION.
pub fn shipped_versions(info: Option<&crate::plist_file::PlistFile>, settings: &Settings) -> [Option<Shipped>; 2] {
    [("CFBundleShortVersionString", "MARKETING_VERSION"), ("CFBundleVersion", "CURRENT_PROJECT_VERSION")].map(|(plist_key, setting)| {
        let from_setting = || {
            settings.get(setting).map(|v| Shipped {
                value: v.value.trim().to_string(),
                name: setting.to_string(),
                setting: Some(setting.to_string()),
                file: v.file.clone(),
                line: Some(v.line).filter(|l| *l > 0),
            })
        };
        let written = info.and_then(|i| i.dict.get(plist_key).and_then(|v| v.as_string()).map(|raw| (i, raw.to_string())));
        // A value that is one reference (`$(VERSION_LONG)`, `${FLUTTER_BUILD_NUMBER}`) is changed
        // where that setting is set (an xcconfig, a Flutter app's pubspec.yaml), not in the plist.
        let referenced = written.as_ref().and_then(|(_, raw)| single_reference(raw)).and_then(|n| settings.get(n).filter(|v| v.line > 0).map(|v| (n.to_string(), v)));
        match written {
            // A reference to a setting nothing here sets (alt-tab-macos's CI writes it into a
            // file git does not hold): what xcodebuild says that setting is ships; unknown here.
            Some((i, raw)) if single_reference(&raw).is_some_and(|n| settings.get(n).is_none()) => {
                let n = single_reference(&raw).unwrap_or_default().to_string();
                Some(Shipped { value: raw.trim().to_string(), name: n.clone(), setting: Some(n), file: i.path.clone(), line: i.key_line(plist_key) })
            }
            // The Info.plist names the setting: the setting is the value, at its own line.
            Some((_, raw)) if raw.contains(&format!("$({setting})")) || raw.contains(&format!("${{{setting}}}")) => {
                from_setting().map(|s| Shipped { value: settings.expand(&raw).trim().to_string(), ..s })
            }
            Some(_) if referenced.is_some() => {
                referenced.map(|(name, v)| Shipped { value: v.value.trim().to_string(), name: name.clone(), setting: Some(name), file: v.file.clone(), line: Some(v.line) })
            }
            Some((i, raw)) => {
                Some(Shipped { value: settings.expand(&raw).trim().to_string(), name: format!("{plist_key} in the Info.plist"), setting: None, file: i.path.clone(), line: i.key_line(plist_key) })
            }
            None => from_setting(),
        }
    })
}

/// A Flutter app's version and build number, from the `version: 1.18.2+64` of the pubspec.yaml
/// beside its `ios/` (or `macos/`) folder: what `flutter build` writes into
/// `Flutter/Generated.xcconfig` as FLUTTER_BUILD_NAME and FLUTTER_BUILD_NUMBER. That file is
/// generated and kept out of git, so a fresh clone has only the pubspec; when the file exists its
/// values win (these are the lowest level). Only for Flutter's layout (a `Flutter` folder beside
/// the project).
fn flutter_version(project_dir: &Path) -> Vec<(String, SettingValue)> {
    if !project_dir.join("Flutter").is_dir() {
        return vec![];
    }
    let Some(pubspec) = project_dir.parent().map(|d| d.join("pubspec.yaml")) else { return vec![] };
    let Ok(text) = std::fs::read_to_string(&pubspec) else { return vec![] };
    let Some((line, value)) = text.lines().enumerate().find_map(|(i, l)| l.strip_prefix("version:").map(|v| (i + 1, v))) else { return vec![] };
    let value = value.split(" #").next().unwrap_or("").trim().trim_matches(|c| c == '"' || c == '\'');
    let (name, number) = match value.split_once('+') {
        Some((n, b)) => (n, Some(b)),
        None => (value, None),
    };
    let at = |v: &str| SettingValue { raw: v.to_string(), value: v.to_string(), file: pubspec.clone(), line };
    let mut out = Vec::new();
    if !name.is_empty() {
        out.push(("FLUTTER_BUILD_NAME".to_string(), at(name)));
    }
    // Without `+N` flutter_tools takes the build name as the build number (its
    // xcode_build_settings.dart: `parsedBuildNumber` drops back to the build name, which for iOS
    // may be up to three numbers joined by dots): `version: 0.0.1` builds 0.0.1 (0.0.1).
    let dotted = |v: &str| !v.is_empty() && v.split('.').count() <= 3 && v.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    match number.filter(|b| !b.is_empty()) {
        Some(b) => out.push(("FLUTTER_BUILD_NUMBER".to_string(), at(b))),
        None if number.is_none() && dotted(name) => out.push(("FLUTTER_BUILD_NUMBER".to_string(), at(name))),
        None => {}
    }
    out
}

/// The targets `target` embeds that carry a provisioning profile of their own (see
/// [`crate::pbxproj::Project::embedded_targets`]), each with its resolved settings in the
/// release configuration. Empty when the project cannot be read.
pub fn embedded_settings(ws: &crate::Workspace, target: &crate::workspace::TargetConfig) -> Vec<(String, Settings)> {
    embedded_settings_typed(ws, target).into_iter().map(|(name, _, settings)| (name, settings)).collect()
}

/// [`embedded_settings`] with each target's product type (`com.apple.product-type.app-extension`...).
pub fn embedded_settings_typed(ws: &crate::Workspace, target: &crate::workspace::TargetConfig) -> Vec<(String, Option<String>, Settings)> {
    let xcodeproj = ws.path(&target.project);
    let Ok(doc) = crate::pbxproj::Document::read_shared(&xcodeproj.join("project.pbxproj")) else { return vec![] };
    let Ok(project) = crate::pbxproj::Project::new(&doc, &xcodeproj) else { return vec![] };
    // Xcode's platform filter names: `ios`, `maccatalyst`, `macos`, `tvos`, `xros`.
    let filter = match target.platform {
        crate::workspace::Platform::Catalyst => "maccatalyst",
        crate::workspace::Platform::Macos => "macos",
        crate::workspace::Platform::Tvos => "tvos",
        crate::workspace::Platform::Visionos => "xros",
        _ => "ios",
    };
    project
        .embedded_targets(target.target_name())
        .into_iter()
        .filter(|e| e.platforms.is_empty() || e.platforms.iter().any(|p| p == filter))
        .map(|e| e.target)
        .filter_map(|t| {
            let config = crate::workspace::TargetConfig { target: Some(t.name.clone()), ..target.clone() };
            // Its own SDK when it names one (`watchos`, `iphoneos`...), else the app's.
            let sdk = match t.platform.as_deref() {
                Some("ios") => "iphoneos".to_string(),
                Some("macos") => "macosx".to_string(),
                Some(other) if !other.is_empty() && other != "auto" => other.to_string(),
                _ => target.platform.sdk().to_string(),
            };
            let sdk = if target.platform == crate::workspace::Platform::Catalyst { target.platform.sdk().to_string() } else { sdk };
            Some((t.name, t.product_type, settings_for_sdk(ws, &config, &sdk).ok()?))
        })
        .collect()
}

#[cfg(test)]
mod target_tests {
    use super::*;

    #[test]
    fn sample_targets_resolve_per_platform() {
        let ws = crate::Workspace::open(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry")).unwrap();
        let ios = target_settings(&ws, &ws.config.targets[0]).unwrap();
        let mac = target_settings(&ws, &ws.config.targets[1]).unwrap();
        assert_eq!(ios.value("PRODUCT_BUNDLE_IDENTIFIER"), Some("com.mshaler.isometry"));
        assert_eq!(mac.value("PRODUCT_BUNDLE_IDENTIFIER"), Some("com.mshaler.isometry.macos"));
        assert_eq!(ios.value("DEVELOPMENT_TEAM"), Some("7XK2M9QPLA"));
        assert_eq!(ios.value("CLOUDKIT_CONTAINER_IDENTIFIER"), Some("iCloud.com.mshaler.isometry"));
        assert_eq!(ios.value("ISOMETRY_CRASH_REPORTING_DSN"), Some("https://4f1c2e9ab7d34e0c@errors.isometry.app/2"));
        assert_eq!(ios.value("CONFIGURATION"), Some("Production"));
        let team = ios.get("DEVELOPMENT_TEAM").unwrap();
        assert!(team.file.ends_with("Production.xcconfig"), "{team:?}");
        // Project-file settings stack on top: the target's own Production settings.
        let ent = mac.get("CODE_SIGN_ENTITLEMENTS").unwrap();
        assert_eq!(ent.value, "IsometrymacOS/IsometrymacOS.entitlements");
        assert!(ent.file.ends_with("project.pbxproj") && ent.line > 0, "{ent:?}");
        assert_eq!(mac.value("SDKROOT"), Some("macosx"));
        assert_eq!(ios.value("TARGETED_DEVICE_FAMILY"), Some("1,2"));
        // Xcode's own: the project's name (Provenance writes `$(PROJECT_NAME:lower)`).
        assert_eq!(ios.value("PROJECT_NAME"), Some("IsometryiOS"));
        assert_eq!(ios.expand("iCloud.org.example.$(PROJECT_NAME:lower)"), "iCloud.org.example.isometryios");
    }
}
