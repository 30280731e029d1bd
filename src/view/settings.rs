//! The build settings of a shipping target as the editor shows them: each effective value with
//! the file and line it comes from, and whether Shipdeck can edit it there.

use crate::error::{Error, Result};
use crate::workspace::{TargetConfig, Workspace};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingView {
    pub name: String,
    pub value: String,
    pub raw: String,
    pub file: String,
    pub line: usize,
    /// Set in an xcconfig (editable here), not in the project file or built in.
    pub editable: bool,
    /// Why it cannot be edited here, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_not: Option<String>,
    /// Set without a `[config=...]` condition in an xcconfig other configurations share:
    /// changing it changes them too.
    pub shared: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingsView {
    pub platform: String,
    pub target: String,
    /// The configuration the values are for.
    pub configuration: String,
    /// The Production xcconfig, where a new setting goes.
    pub file: Option<String>,
    /// Whether the Production xcconfig has a backup of its last change to put back.
    pub can_undo: bool,
    pub settings: Vec<SettingView>,
}

/// The shipping target of a platform ("ios", "macos", ...).
pub fn target<'a>(ws: &'a Workspace, platform: &str) -> Result<&'a TargetConfig> {
    ws.config.targets.iter().find(|t| t.platform.as_str() == platform).ok_or_else(|| Error::Usage(format!("no {platform} target in this workspace")))
}

/// The effective settings of a platform's shipping target, each with where it comes from.
pub fn settings(ws: &Workspace, platform: &str) -> Result<SettingsView> {
    let t = target(ws, platform)?;
    let resolved = crate::settings::target_settings(ws, t)?;
    let file = ws.config.production_xcconfig.as_ref().map(|p| ws.path(p));
    // Which configurations use each xcconfig, to say when an edit reaches past this one.
    let shared_files = shared_xcconfigs(ws, t);
    let settings = resolved
        .values
        .into_iter()
        .map(|(name, v)| {
            let is_xcconfig = v.file.extension().is_some_and(|e| e == "xcconfig");
            let why_not = if v.line == 0 {
                Some("built in or not set: add it to the Production xcconfig".to_string())
            } else if v.file.extension().is_some_and(|e| e == "pbxproj") {
                Some("set in the project file: change it with `shipdeck project set` or Xcode".to_string())
            } else if !is_xcconfig {
                Some("not from an xcconfig".to_string())
            } else {
                None
            };
            SettingView {
                editable: why_not.is_none(),
                shared: is_xcconfig && shared_files.contains(&v.file) && !v.raw.is_empty(),
                why_not,
                file: ws.display_path(&v.file),
                line: v.line,
                value: v.value,
                raw: v.raw,
                name,
            }
        })
        .collect();
    Ok(SettingsView {
        platform: platform.to_string(),
        target: t.target_name().to_string(),
        configuration: ws.configuration().to_string(),
        can_undo: file.as_ref().is_some_and(|f| crate::fsutil::last_backup(&crate::fsutil::default_backups(), f).is_some()),
        file: file.as_ref().map(|f| ws.display_path(f)),
        settings,
    })
}

/// The xcconfig files that more than one configuration of the target's project is based on.
fn shared_xcconfigs(ws: &Workspace, t: &TargetConfig) -> Vec<std::path::PathBuf> {
    let xcodeproj = ws.path(&t.project);
    let Ok(doc) = crate::pbxproj::Document::read(&xcodeproj.join("project.pbxproj")) else { return vec![] };
    let Ok(p) = crate::pbxproj::Project::new(&doc, &xcodeproj) else { return vec![] };
    let mut count: std::collections::HashMap<std::path::PathBuf, std::collections::HashSet<String>> = Default::default();
    for l in p.all_lists() {
        for c in &l.configurations {
            if let Some(b) = &c.base_xcconfig {
                count.entry(b.clone()).or_default().insert(c.name.clone());
            }
        }
    }
    count.into_iter().filter(|(_, names)| names.len() > 1).map(|(f, _)| f).collect()
}
