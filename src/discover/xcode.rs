//! What Xcode itself reads to know a repository: `.xcworkspace` contents (the projects they
//! hold) and `.xcscheme` files (the archive action's configuration and the targets it builds).
//! Formats: Xcode's XML as written by Xcode 11 to 26 (`contents.xcworkspacedata`'s `FileRef`
//! `location = "group:…" | "container:…" | "absolute:…" | "self:"` inside nested `Group`s;
//! a scheme's `BuildActionEntry buildForArchiving` with its `BuildableReference`, and
//! `ArchiveAction buildConfiguration`). A scheme whose build action lists no entries at all
//! still archives: Xcode builds the product its Profile (or Run) action runs, the
//! `BuildableProductRunnable` (BlueWallet's `BlueWallet` scheme, which its fastlane archives;
//! bitrise-steplib/steps-xcode-archive#128 saw an archive of such a scheme succeed).

use quick_xml::events::{BytesStart, Event};
use std::path::{Path, PathBuf};

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Resolves an Xcode location (`group:`, `container:`, `absolute:`, `self:`) against `base`.
fn location(loc: &str, base: &Path) -> Option<PathBuf> {
    let (kind, path) = loc.split_once(':')?;
    match kind {
        "group" | "container" => Some(crate::pbxproj::normalize(&base.join(path))),
        "absolute" => Some(PathBuf::from(path)),
        _ => None,
    }
}

/// The `.xcodeproj` folders a workspace holds (`contents.xcworkspacedata`), resolved against
/// the folder holding the `.xcworkspace`, nested groups followed. Unreadable: none.
pub fn workspace_projects(xcworkspace: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(xcworkspace.join("contents.xcworkspacedata")) else { return vec![] };
    let base = xcworkspace.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut groups: Vec<PathBuf> = vec![base];
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "Group" => {
                let here = groups.last().cloned().unwrap_or_default();
                let next = attr(&e, "location").and_then(|l| location(&l, &here)).unwrap_or(here);
                groups.push(next);
            }
            Ok(Event::End(e)) if e.name().as_ref() == "Group" && groups.len() > 1 => {
                groups.pop();
            }
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.name().as_ref() == "FileRef" => {
                let here = groups.last().cloned().unwrap_or_default();
                if let Some(p) = attr(&e, "location").and_then(|l| location(&l, &here)) {
                    if p.extension().is_some_and(|x| x == "xcodeproj") {
                        out.push(p);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// A target a scheme builds for its archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRef {
    pub blueprint_id: String,
    pub blueprint_name: String,
    pub buildable_name: String,
    /// The `.xcodeproj` that holds it.
    pub container: PathBuf,
}

/// A scheme as `xcodebuild -list` would name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    pub name: String,
    /// The `.xcscheme` file, or `None` for a scheme xcodebuild creates itself (no shared ones).
    pub file: Option<PathBuf>,
    /// The archive action's configuration (`Release` when the scheme does not say).
    pub archive_configuration: String,
    /// The targets built for archiving, in the scheme's order.
    pub archived: Vec<BuildRef>,
}

/// Reads a scheme file; `base` is the folder the scheme's `container:` paths are relative to
/// (the one holding its `.xcodeproj` or `.xcworkspace`). `None` when it is not XML.
pub fn read_scheme(file: &Path, base: &Path) -> Option<Scheme> {
    let text = std::fs::read_to_string(file).ok()?;
    let name = file.file_stem()?.to_string_lossy().into_owned();
    let mut scheme = Scheme { name, file: Some(file.to_path_buf()), archive_configuration: "Release".into(), archived: vec![] };
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut stack: Vec<String> = Vec::new();
    let mut archiving = false;
    let mut seen_root = false;
    let mut any_entry = false;
    // The products the Profile and Run actions run, for a scheme without build entries.
    let (mut profiled, mut launched): (Option<BuildRef>, Option<BuildRef>) = (None, None);
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(_)) => {
                stack.pop();
                continue;
            }
            Ok(Event::Eof) => break,
            Err(_) => return None,
            _ => continue,
        };
        let tag = e.name().as_ref().to_string();
        match tag.as_str() {
            "Scheme" => seen_root = true,
            "BuildActionEntry" => {
                any_entry = true;
                archiving = attr(&e, "buildForArchiving").is_none_or(|v| v == "YES");
            }
            "ArchiveAction" => {
                if let Some(c) = attr(&e, "buildConfiguration").filter(|c| !c.is_empty()) {
                    scheme.archive_configuration = c;
                }
            }
            "BuildableReference" if archiving && stack.last().is_some_and(|p| p == "BuildActionEntry") => {
                scheme.archived.extend(build_ref(&e, base));
            }
            "BuildableReference" if stack.last().is_some_and(|p| p == "BuildableProductRunnable") => {
                let action = stack.len().checked_sub(2).and_then(|i| stack.get(i)).map(String::as_str);
                match action {
                    Some("ProfileAction") if profiled.is_none() => profiled = build_ref(&e, base),
                    Some("LaunchAction") if launched.is_none() => launched = build_ref(&e, base),
                    _ => {}
                }
            }
            _ => {}
        }
        if !empty {
            stack.push(tag);
        }
    }
    if !any_entry {
        scheme.archived.extend(profiled.or(launched));
    }
    seen_root.then_some(scheme)
}

fn build_ref(e: &BytesStart, base: &Path) -> Option<BuildRef> {
    let container = attr(e, "ReferencedContainer").and_then(|c| location(&c, base))?;
    Some(BuildRef {
        blueprint_id: attr(e, "BlueprintIdentifier")?,
        blueprint_name: attr(e, "BlueprintName").unwrap_or_default(),
        buildable_name: attr(e, "BuildableName").unwrap_or_default(),
        container,
    })
}

/// The shared schemes of a container (`.xcodeproj` or `.xcworkspace`), sorted by name.
pub fn shared_schemes(container: &Path) -> Vec<Scheme> {
    let dir = container.join("xcshareddata/xcschemes");
    let base = container.parent().unwrap_or(Path::new(".")).to_path_buf();
    let Ok(entries) = std::fs::read_dir(&dir) else { return vec![] };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "xcscheme")).collect();
    files.sort();
    files.iter().filter_map(|f| read_scheme(f, &base)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_archives_the_targets_its_build_action_archives_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("App Store.xcscheme");
        std::fs::write(
            &file,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Scheme LastUpgradeVersion = "1600" version = "1.7">
   <BuildAction parallelizeBuildables = "YES">
      <PreActions><ExecutionAction><ActionContent title = "Run Script"><EnvironmentBuildable>
         <BuildableReference BuildableIdentifier = "primary" BlueprintIdentifier = "AAA" BuildableName = "Other.app" BlueprintName = "Other" ReferencedContainer = "container:App.xcodeproj"/>
      </EnvironmentBuildable></ActionContent></ExecutionAction></PreActions>
      <BuildActionEntries>
         <BuildActionEntry buildForTesting = "YES" buildForArchiving = "YES">
            <BuildableReference BuildableIdentifier = "primary" BlueprintIdentifier = "111" BuildableName = "My App.app" BlueprintName = "My App" ReferencedContainer = "container:ios/App.xcodeproj">
            </BuildableReference>
         </BuildActionEntry>
         <BuildActionEntry buildForTesting = "YES" buildForArchiving = "NO">
            <BuildableReference BuildableIdentifier = "primary" BlueprintIdentifier = "222" BuildableName = "AppTests.xctest" BlueprintName = "AppTests" ReferencedContainer = "container:ios/App.xcodeproj"/>
         </BuildActionEntry>
      </BuildActionEntries>
   </BuildAction>
   <ArchiveAction buildConfiguration = "AppStore" revealArchiveInOrganizer = "YES"/>
</Scheme>"#,
        )
        .unwrap();
        let s = read_scheme(&file, Path::new("/repo")).unwrap();
        assert_eq!(s.name, "App Store");
        assert_eq!(s.archive_configuration, "AppStore");
        assert_eq!(s.archived.len(), 1, "{s:?}");
        assert_eq!(s.archived[0].blueprint_name, "My App");
        assert_eq!(s.archived[0].container, PathBuf::from("/repo/ios/App.xcodeproj"));
        std::fs::write(&file, "not xml at all <").unwrap();
        assert_eq!(read_scheme(&file, Path::new("/repo")), None);
    }

    #[test]
    fn a_scheme_without_build_entries_archives_what_its_profile_or_run_action_runs() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("App.xcscheme");
        let runnable = |action: &str, id: &str, name: &str| {
            format!(
                r#"<{action} buildConfiguration = "Release"><BuildableProductRunnable runnableDebuggingMode = "0">
      <BuildableReference BuildableIdentifier = "primary" BlueprintIdentifier = "{id}" BuildableName = "{name}.app" BlueprintName = "{name}" ReferencedContainer = "container:App.xcodeproj">
      </BuildableReference></BuildableProductRunnable></{action}>"#
            )
        };
        let tests = r#"<TestAction buildConfiguration = "Debug"><Testables><TestableReference skipped = "NO">
      <BuildableReference BuildableIdentifier = "primary" BlueprintIdentifier = "333" BuildableName = "UITests.xctest" BlueprintName = "UITests" ReferencedContainer = "container:App.xcodeproj"/>
      </TestableReference></Testables></TestAction>"#;
        let write = |body: String| {
            std::fs::write(
                &file,
                format!("<Scheme version = \"1.3\">\n<BuildAction parallelizeBuildables = \"YES\">\n</BuildAction>\n{body}\n<ArchiveAction buildConfiguration = \"Release\"/>\n</Scheme>"),
            )
            .unwrap()
        };
        // Run and Profile both: the Profile action's (the one built with the archive's configuration).
        write(format!("{tests}{}{}", runnable("LaunchAction", "111", "App"), runnable("ProfileAction", "222", "Profiled")));
        let s = read_scheme(&file, Path::new("/repo")).unwrap();
        assert_eq!(s.archived.iter().map(|r| r.blueprint_name.as_str()).collect::<Vec<_>>(), ["Profiled"], "{s:?}");
        assert_eq!(s.archived[0].container, PathBuf::from("/repo/App.xcodeproj"));
        // Run only: its product.
        write(format!("{tests}{}", runnable("LaunchAction", "111", "App")));
        assert_eq!(read_scheme(&file, Path::new("/repo")).unwrap().archived.iter().map(|r| r.blueprint_id.as_str()).collect::<Vec<_>>(), ["111"]);
        // Entries that all leave archiving out: nothing is archived, whatever the Run action runs.
        let entry = r#"<BuildActionEntries><BuildActionEntry buildForArchiving = "NO"><BuildableReference BuildableIdentifier = "primary" BlueprintIdentifier = "111" BuildableName = "App.app" BlueprintName = "App" ReferencedContainer = "container:App.xcodeproj"/></BuildActionEntry></BuildActionEntries>"#;
        std::fs::write(&file, format!("<Scheme><BuildAction>{entry}</BuildAction>{}</Scheme>", runnable("LaunchAction", "111", "App"))).unwrap();
        assert!(read_scheme(&file, Path::new("/repo")).unwrap().archived.is_empty());
    }

    #[test]
    fn a_workspace_lists_its_projects_through_nested_groups() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("App.xcworkspace");
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::write(
            ws.join("contents.xcworkspacedata"),
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Workspace version = "1.0">
   <FileRef location = "group:App.xcodeproj"></FileRef>
   <Group location = "container:Modules" name = "Modules">
      <FileRef location = "group:Kit/Kit.xcodeproj"/>
   </Group>
   <FileRef location = "group:Pods/Pods.xcodeproj"></FileRef>
   <FileRef location = "group:README.md"></FileRef>
</Workspace>"#,
        )
        .unwrap();
        let p = workspace_projects(&ws);
        assert_eq!(p, vec![dir.path().join("App.xcodeproj"), dir.path().join("Modules/Kit/Kit.xcodeproj"), dir.path().join("Pods/Pods.xcodeproj")]);
    }
}
