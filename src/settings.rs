//! Effective build settings of one shipping target in the release configuration, each with
//! the file and line it came from. Checks read settings through this type only.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One resolved build setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingValue {
    /// The value after every reference and operator was expanded.
    pub value: String,
    /// The value as written at its origin.
    pub raw: String,
    /// Where the winning assignment is: an xcconfig or a project.pbxproj.
    pub file: PathBuf,
    /// 1-based line of the winning assignment.
    pub line: usize,
}

/// The effective settings of a target (name -> value), for one platform and configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub values: BTreeMap<String, SettingValue>,
}

impl Settings {
    pub fn get(&self, key: &str) -> Option<&SettingValue> {
        self.values.get(key)
    }
    /// The expanded value, or `None` when unset or empty.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|v| v.value.as_str()).filter(|v| !v.is_empty())
    }
    /// Settings for tests and fixtures: every value comes from `file` at line 1, 2, 3...
    pub fn from_pairs(file: impl Into<PathBuf>, pairs: &[(&str, &str)]) -> Settings {
        let file = file.into();
        let values = pairs
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                (k.to_string(), SettingValue { value: v.to_string(), raw: v.to_string(), file: file.clone(), line: i + 1 })
            })
            .collect();
        Settings { values }
    }
    /// Expands `$(NAME)` / `${NAME}` references in a plist string against these settings,
    /// leaving unknown names as written (Xcode fills some in only when signing).
    pub fn expand(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('$') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let close = match after.chars().next() {
                Some('(') => ')',
                Some('{') => '}',
                _ => {
                    out.push('$');
                    rest = after;
                    continue;
                }
            };
            match after.find(close) {
                Some(end) => {
                    let name = &after[1..end];
                    let name = name.split(':').next().unwrap_or(name);
                    match self.values.get(name) {
                        Some(v) => out.push_str(&v.value),
                        None => out.push_str(&rest[start..start + 1 + end + 1]),
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_known_and_keep_unknown() {
        let s = Settings::from_pairs("P.xcconfig", &[("ENV", "Production"), ("ID", "com.x")]);
        assert_eq!(s.expand("$(ENV)-${ID}-$(TeamIdentifierPrefix)x"), "Production-com.x-$(TeamIdentifierPrefix)x");
        assert_eq!(s.expand("cost $5 $(ENV"), "cost $5 $(ENV");
        assert_eq!(s.get("ID").unwrap().line, 2);
    }
}

/// The effective settings of a shipping target in the release configuration: the
/// workspace's Production xcconfig resolved for the target's SDK and configuration, over
/// the built-in settings a check needs (`CONFIGURATION`, `TARGET_NAME`, `PRODUCT_NAME`,
/// `PLATFORM_NAME`, `SDK_NAME`, `EFFECTIVE_PLATFORM_NAME`, `SRCROOT`, `PROJECT_DIR`).
/// Built-ins carry the project's path and line 0.
///
/// Not layered in yet: the build settings written in the project file itself (the
/// lossless project.pbxproj reader is not part of the engine yet), so a setting that only
/// the project defines reads as unset here.
pub fn target_settings(ws: &crate::Workspace, target: &crate::workspace::TargetConfig) -> crate::Result<Settings> {
    let project = ws.path(&target.project);
    let project_dir = project.parent().unwrap_or(&ws.root).to_path_buf();
    let sdk = target.platform.sdk();
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
    ];
    let base = Settings {
        values: builtins
            .into_iter()
            .map(|(k, v)| (k.to_string(), SettingValue { raw: v.clone(), value: v, file: project.clone(), line: 0 }))
            .collect(),
    };
    let Some(rel) = &ws.config.production_xcconfig else { return Ok(base) };
    let cond = crate::xcconfig::Conditions { sdk: Some(sdk.to_string()), config: Some(ws.configuration().to_string()), ..Default::default() };
    Ok(crate::xcconfig::resolve_file_with(&ws.path(rel), &cond, &base)?.settings)
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
    }
}
