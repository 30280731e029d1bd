//! Every shipping project: its configuration lists (the project's and each target's), each
//! configuration with the xcconfig it is based on.

use crate::error::Result;
use crate::pbxproj::{Document, Project};
use crate::workspace::{Platform, Workspace};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigView {
    pub name: String,
    pub base_xcconfig: Option<String>,
    /// The base xcconfig is named but not on disk (CocoaPods' before `pod install`, a file kept
    /// out of git): Xcode builds without its settings.
    pub base_missing: bool,
    pub line: usize,
}

/// One configuration list: the project's own or a target's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListView {
    pub owner: String,
    pub platform: Option<String>,
    pub configurations: Vec<ConfigView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectView {
    pub project: String,
    /// The configuration a release archives.
    pub release: String,
    pub lists: Vec<ListView>,
    /// The platforms of the workspace's shipping targets in this project.
    pub ships: Vec<Platform>,
    /// What to say when a generator (XcodeGen, Tuist) makes this project from a spec beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
}

/// The shipping projects of a workspace, each once, in the order of its targets.
pub fn projects(ws: &Workspace) -> Result<Vec<ProjectView>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for t in &ws.config.targets {
        let xcodeproj = ws.path(&t.project);
        if !seen.insert(xcodeproj.clone()) {
            continue;
        }
        let doc = Document::read(&xcodeproj.join("project.pbxproj"))?;
        let p = Project::new(&doc, &xcodeproj)?;
        // A shipping target is labelled with the platforms it ships on (ArcadeMania: "iOS, Mac
        // Catalyst", which its SDKROOT alone says as iOS); any other by its SDKROOT.
        let shipping = |name: &str| -> Option<String> {
            let on: Vec<&str> = ws.config.targets.iter().filter(|o| ws.path(&o.project) == xcodeproj && o.target_name() == name).map(|o| o.platform.display()).collect();
            (!on.is_empty()).then(|| on.join(", "))
        };
        let platforms: HashMap<String, Option<String>> =
            p.targets().into_iter().map(|t| (t.configurations.id.clone(), shipping(&t.name).or_else(|| t.platform.as_deref().map(platform_label)))).collect();
        let lists = p
            .all_lists()
            .into_iter()
            .map(|l| ListView {
                platform: platforms.get(&l.id).cloned().flatten(),
                configurations: l
                    .configurations
                    .iter()
                    .map(|c| ConfigView {
                        name: c.name.clone(),
                        base_xcconfig: c.base_xcconfig.as_ref().map(|b| ws.display_path(b)),
                        base_missing: c.base_xcconfig.as_ref().is_some_and(|b| !b.is_file()),
                        line: c.line,
                    })
                    .collect(),
                owner: l.owner,
            })
            .collect();
        let ships = ws.config.targets.iter().filter(|o| ws.path(&o.project) == xcodeproj).map(|o| o.platform).collect();
        let generated = crate::discover::generator_beside(&xcodeproj).map(|spec| crate::discover::generated_note(&spec, &ws.display_path(&spec)));
        out.push(ProjectView { project: ws.display_path(&xcodeproj), release: ws.configuration().to_string(), lists, ships, generated });
    }
    Ok(out)
}

/// A target's platform as the window says it: `ios` -> iOS, SDKROOT's `auto` (a target built for
/// every platform its SUPPORTED_PLATFORMS lists, IceCubes') -> multiplatform, `appletvos` -> tvOS.
fn platform_label(raw: &str) -> String {
    use crate::workspace::Platform;
    match raw {
        "auto" => "multiplatform".into(),
        w if w.starts_with("watchos") => "watchOS".into(),
        _ => Platform::ALL.into_iter().find(|p| p.as_str() == raw).or_else(|| Platform::from_sdk(raw)).map(|p| p.display().to_string()).unwrap_or_else(|| raw.to_string()),
    }
}

#[cfg(test)]
mod label_tests {
    #[test]
    fn platforms_read_as_people_name_them() {
        let labels: Vec<String> = ["ios", "macos", "auto", "appletvos", "xros", "watchos", "driverkit"].iter().map(|r| super::platform_label(r)).collect();
        assert_eq!(labels, ["iOS", "macOS", "multiplatform", "tvOS", "visionOS", "watchOS", "driverkit"]);
    }
}
