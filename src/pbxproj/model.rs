//! What a project file says: the project, its targets, configuration lists and build
//! configurations, with the line each is written on.

use super::parse::{Dict, Document, Value};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A build setting's value: a string or a list of strings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum SettingValue {
    Str(String),
    List(Vec<String>),
}

impl SettingValue {
    /// The value as one string (a list joined with spaces, as Xcode expands it).
    pub fn joined(&self) -> String {
        match self {
            SettingValue::Str(s) => s.clone(),
            SettingValue::List(v) => v.join(" "),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Setting {
    pub name: String,
    pub value: SettingValue,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Configuration {
    pub id: String,
    pub name: String,
    pub line: usize,
    /// The xcconfig this configuration is based on, resolved against the project folder.
    pub base_xcconfig: Option<PathBuf>,
    pub settings: Vec<Setting>,
}

impl Configuration {
    pub fn setting(&self, name: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfigurationList {
    pub id: String,
    /// `project` or the target's name.
    pub owner: String,
    pub default_configuration: Option<String>,
    pub configurations: Vec<Configuration>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Target {
    pub id: String,
    pub name: String,
    pub isa: String,
    pub product_type: Option<String>,
    /// From the target's (else the project's) SDKROOT: `ios`, `macos`, or the raw value.
    pub platform: Option<String>,
    pub line: usize,
    pub configurations: ConfigurationList,
}

/// A target as a list of targets names it: no configurations read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetHead {
    pub id: String,
    pub name: String,
    pub product_type: Option<String>,
}

/// A target embedded in an app, and the platforms it is limited to (empty: every platform).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embedded {
    pub target: Target,
    pub platforms: Vec<String>,
}

/// A target's resources: files of its Copy Bundle Resources phase and synchronized folders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resources {
    pub files: Vec<PathBuf>,
    pub folders: Vec<PathBuf>,
}

/// A Run Script phase: its name (when it has one), its script (unescaped), and the input and
/// output paths it declares, as written (`$(SRCROOT)/Info.plist`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunScript {
    pub name: Option<String>,
    pub script: String,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
}

/// The project's model, read from a parsed document.
pub struct Project<'d> {
    pub doc: &'d Document,
    /// The folder that holds the `.xcodeproj`.
    pub dir: PathBuf,
    objects: &'d Dict,
    /// Objects by id, sorted for binary search (smaller than a hash map on 50 MB files).
    index: Vec<(&'d str, &'d Dict)>,
    /// Group children -> their group, built on the first path lookup.
    parents: std::cell::OnceCell<HashMap<&'d str, &'d str>>,
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s)
}

impl<'d> Project<'d> {
    /// `xcodeproj` is the `.xcodeproj` folder (paths resolve against its parent).
    pub fn new(doc: &'d Document, xcodeproj: &Path) -> Result<Project<'d>> {
        let objects = doc.get(&doc.root, "objects").and_then(Value::as_dict).ok_or_else(|| Error::Parse {
            path: xcodeproj.join("project.pbxproj"),
            line: 1,
            column: 1,
            message: "no `objects` dictionary".into(),
        })?;
        let mut index: Vec<(&str, &Dict)> = objects
            .entries
            .iter()
            .filter_map(|e| match &e.value {
                Value::Dict(d) => Some((unquote(doc.raw(e.key)), d)),
                _ => None,
            })
            .collect();
        index.sort_unstable_by_key(|(id, _)| *id);
        let dir = xcodeproj.parent().unwrap_or(Path::new(".")).to_path_buf();
        Ok(Project { doc, dir, objects, index, parents: std::cell::OnceCell::new() })
    }

    fn parents(&self) -> &HashMap<&'d str, &'d str> {
        self.parents.get_or_init(|| {
            let mut parents = HashMap::new();
            for (id, d) in &self.index {
                if let Some(Value::Array(children)) = self.doc.get(d, "children") {
                    for c in &children.items {
                        if let Value::Str(s) = c {
                            parents.insert(unquote(self.doc.raw(*s)), *id);
                        }
                    }
                }
            }
            parents
        })
    }

    pub fn objects(&self) -> &'d Dict {
        self.objects
    }

    pub fn object(&self, id: &str) -> Option<&'d Dict> {
        self.index.binary_search_by_key(&id, |(k, _)| *k).ok().map(|i| self.index[i].1)
    }

    pub fn contains_id(&self, id: &str) -> bool {
        self.object(id).is_some()
    }

    fn str(&self, d: &Dict, key: &str) -> Option<String> {
        self.doc.get_str(d, key).map(|s| s.into_owned())
    }

    fn ids(&self, d: &Dict, key: &str) -> Vec<String> {
        match self.doc.get(d, key) {
            Some(Value::Array(a)) => a
                .items
                .iter()
                .filter_map(|v| match v {
                    Value::Str(s) => Some(self.doc.str(*s).into_owned()),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        }
    }

    /// The PBXProject object: (id, dict).
    pub fn root(&self) -> Option<(String, &'d Dict)> {
        let id = self.str(&self.doc.root, "rootObject")?;
        let d = self.object(&id)?;
        Some((id, d))
    }

    fn line(&self, d: &Dict) -> usize {
        self.doc.line_of(d.span.start)
    }

    pub fn configuration_list(&self, id: &str, owner: &str) -> Option<ConfigurationList> {
        let list = self.object(id)?;
        let configurations = self.ids(list, "buildConfigurations").iter().filter_map(|c| self.configuration(c)).collect();
        Some(ConfigurationList { id: id.into(), owner: owner.into(), default_configuration: self.str(list, "defaultConfigurationName"), configurations })
    }

    pub fn configuration(&self, id: &str) -> Option<Configuration> {
        let d = self.object(id)?;
        let mut settings = Vec::new();
        if let Some(Value::Dict(bs)) = self.doc.get(d, "buildSettings") {
            for e in &bs.entries {
                let value = match &e.value {
                    Value::Str(s) => SettingValue::Str(self.doc.str(*s).into_owned()),
                    Value::Array(a) => SettingValue::List(a.items.iter().filter_map(|v| if let Value::Str(s) = v { Some(self.doc.str(*s).into_owned()) } else { None }).collect()),
                    _ => continue,
                };
                settings.push(Setting { name: self.doc.str(e.key).into_owned(), value, line: self.doc.line_of(e.key.start) });
            }
        }
        let base_xcconfig = match self.str(d, "baseConfigurationReference") {
            Some(r) => self.file_path(&r),
            None => {
                // Xcode 16: a folder-synchronized group plus a path inside it.
                let anchor = self.str(d, "baseConfigurationReferenceAnchor");
                let rel = self.str(d, "baseConfigurationReferenceRelativePath");
                match (anchor, rel) {
                    (Some(a), Some(r)) => self.file_path(&a).map(|dir| dir.join(r)),
                    _ => None,
                }
            }
        };
        Some(Configuration { id: id.into(), name: self.str(d, "name").unwrap_or_default(), line: self.line(d), base_xcconfig, settings })
    }

    /// The configuration of that name in a configuration list, the others' settings not read
    /// (settings resolve one configuration; Provenance's lists hold several each).
    fn configuration_in(&self, list_id: &str, name: &str) -> Option<Configuration> {
        let list = self.object(list_id)?;
        let id = self.ids(list, "buildConfigurations").into_iter().find(|c| self.object(c).and_then(|d| self.str(d, "name")).is_some_and(|n| n == name))?;
        self.configuration(&id)
    }

    /// The project-level configuration of that name.
    pub fn project_configuration(&self, name: &str) -> Option<Configuration> {
        let (_, root) = self.root()?;
        self.configuration_in(&self.str(root, "buildConfigurationList")?, name)
    }

    /// The configuration of that name of the target of that name.
    pub fn target_configuration(&self, target: &str, name: &str) -> Option<Configuration> {
        let (_, root) = self.root()?;
        let d = self.ids(root, "targets").into_iter().filter_map(|id| self.object(&id)).find(|d| self.str(d, "name").is_some_and(|n| n == target))?;
        self.configuration_in(&self.str(d, "buildConfigurationList")?, name)
    }

    /// The project-level configuration list.
    pub fn project_configurations(&self) -> Option<ConfigurationList> {
        let (_, root) = self.root()?;
        let list = self.str(root, "buildConfigurationList")?;
        self.configuration_list(&list, "project")
    }

    pub fn targets(&self) -> Vec<Target> {
        let Some((_, root)) = self.root() else { return vec![] };
        let project_sdk = std::cell::OnceCell::new();
        self.ids(root, "targets").into_iter().filter_map(|id| self.target_of(id, &project_sdk)).collect()
    }

    /// One target, with its configurations (the project's SDK read once, for targets that set
    /// none, through `project_sdk`).
    fn target_of(&self, id: String, project_sdk: &std::cell::OnceCell<Option<String>>) -> Option<Target> {
        let d = self.object(&id)?;
        let name = self.str(d, "name").unwrap_or_default();
        let list = self.str(d, "buildConfigurationList").and_then(|l| self.configuration_list(&l, &name))?;
        let platform = sdk_of(&list).or_else(|| project_sdk.get_or_init(|| self.project_configurations().and_then(|l| sdk_of(&l))).clone()).map(|sdk| match sdk.as_str() {
            "iphoneos" => "ios".to_string(),
            "macosx" => "macos".to_string(),
            other => other.to_string(),
        });
        Some(Target { isa: self.str(d, "isa").unwrap_or_default(), product_type: self.str(d, "productType"), platform, line: self.line(d), id, name, configurations: list })
    }

    /// The targets' names, in the project's order, without reading their configurations.
    pub fn target_names(&self) -> Vec<String> {
        self.target_heads().into_iter().map(|t| t.name).collect()
    }

    /// Each target's id, name and product type, in the project's order, without reading its
    /// configurations (discovery looks through every target of every project for the apps).
    pub fn target_heads(&self) -> Vec<TargetHead> {
        let Some((_, root)) = self.root() else { return vec![] };
        self.ids(root, "targets")
            .into_iter()
            .filter_map(|id| {
                let d = self.object(&id).filter(|d| self.str(d, "buildConfigurationList").is_some())?;
                Some(TargetHead { name: self.str(d, "name").unwrap_or_default(), product_type: self.str(d, "productType"), id })
            })
            .collect()
    }

    /// The target of that name; only its own configurations are read.
    pub fn target(&self, name: &str) -> Option<Target> {
        let (_, root) = self.root()?;
        let id = self.ids(root, "targets").into_iter().find(|id| self.object(id).and_then(|d| self.str(d, "name")).is_some_and(|n| n == name))?;
        self.target_of(id, &std::cell::OnceCell::new())
    }

    /// The targets an application embeds that are signed with their own provisioning profile
    /// (app extensions, ExtensionKit extensions, a watch app and its extension, an App Clip,
    /// a helper or launcher app, XPC services, system and driver extensions): those its Copy
    /// Files phases embed (matched by product reference) and those it depends on, followed
    /// depth-first (a watch app's extension), each once, with the platforms Xcode limits
    /// each to (`platformFilter(s)`: `ios`, `maccatalyst`...). Frameworks, bundles and test
    /// targets are left out: they carry no profile of their own. Targets of other projects
    /// are not followed.
    pub fn embedded_targets(&self, name: &str) -> Vec<Embedded> {
        // Heads only: the configurations are read for the targets embedded (Provenance's
        // projects hold dozens of targets each).
        let all = self.target_heads();
        let Some(app) = all.iter().find(|t| t.name == name) else { return vec![] };
        let project_sdk = std::cell::OnceCell::new();
        let root_id = self.root().map(|(id, _)| id);
        let by_product: HashMap<String, &TargetHead> = all.iter().filter_map(|t| Some((self.object(&t.id).and_then(|d| self.str(d, "productReference"))?, t))).collect();
        let filters = |d: &Dict| -> Vec<String> {
            let mut f = self.ids(d, "platformFilters");
            f.extend(self.str(d, "platformFilter"));
            f
        };
        let mut out: Vec<Embedded> = Vec::new();
        let mut seen = vec![app.id.clone()];
        let mut stack = vec![(app.id.clone(), Vec::<String>::new())];
        while let Some((id, inherited)) = stack.pop() {
            let Some(d) = self.object(&id) else { continue };
            let mut found: Vec<(String, Vec<String>)> = Vec::new();
            for phase in self.ids(d, "buildPhases") {
                let Some(pd) = self.object(&phase) else { continue };
                if self.str(pd, "isa").as_deref() != Some("PBXCopyFilesBuildPhase") {
                    continue;
                }
                for bf in self.ids(pd, "files") {
                    let Some(b) = self.object(&bf) else { continue };
                    if let Some(t) = self.str(b, "fileRef").and_then(|r| by_product.get(&r).copied()) {
                        found.push((t.id.clone(), filters(b)));
                    }
                }
            }
            for dep in self.ids(d, "dependencies") {
                let Some(dd) = self.object(&dep) else { continue };
                let target_id = self.str(dd, "target").or_else(|| {
                    let proxy = self.object(&self.str(dd, "targetProxy")?)?;
                    // Only a proxy into this project names one of its targets.
                    (self.str(proxy, "containerPortal") == root_id).then(|| self.str(proxy, "remoteGlobalIDString")).flatten()
                });
                found.extend(target_id.map(|t| (t, filters(dd))));
            }
            for (tid, mut platforms) in found {
                if seen.contains(&tid) {
                    continue;
                }
                let Some(t) = all.iter().find(|t| t.id == tid) else { continue };
                if !t.product_type.as_deref().is_some_and(signed_with_own_profile) {
                    continue;
                }
                seen.push(tid.clone());
                if platforms.is_empty() {
                    platforms = inherited.clone();
                }
                let Some(target) = self.target_of(t.id.clone(), &project_sdk) else { continue };
                out.push(Embedded { target, platforms: platforms.clone() });
                stack.push((tid, platforms));
            }
        }
        out
    }

    /// Apps of other projects that target `name` copies into its bundle (a Copy Files phase
    /// holding a reference proxy to another project's product: ShadowsocksX-NG's LaunchHelper
    /// from LaunchHelper.xcodeproj): that project's path and the target's name.
    pub fn embedded_from_other_projects(&self, name: &str) -> Vec<(PathBuf, String)> {
        let Some(app) = self.target_heads().into_iter().find(|t| t.name == name) else { return vec![] };
        let Some(d) = self.object(&app.id) else { return vec![] };
        let mut out = Vec::new();
        for phase in self.ids(d, "buildPhases") {
            let Some(pd) = self.object(&phase).filter(|pd| self.str(pd, "isa").as_deref() == Some("PBXCopyFilesBuildPhase")) else { continue };
            for bf in self.ids(pd, "files") {
                let Some(proxy_ref) = self.object(&bf).and_then(|b| self.str(b, "fileRef")).and_then(|r| self.object(&r)) else { continue };
                if self.str(proxy_ref, "isa").as_deref() != Some("PBXReferenceProxy") || self.str(proxy_ref, "fileType").as_deref() != Some("wrapper.application") {
                    continue;
                }
                let Some(item) = self.str(proxy_ref, "remoteRef").and_then(|r| self.object(&r)) else { continue };
                let (Some(portal), Some(target)) = (self.str(item, "containerPortal"), self.str(item, "remoteInfo")) else { continue };
                if let Some(project) = self.file_path(&portal) {
                    out.push((project, target));
                }
            }
        }
        out
    }

    /// What target `name` copies into its bundle, as Xcode finds it: the files of its
    /// Copy Bundle Resources phase (asset catalogs, privacy manifests, `.icon` files), and the
    /// folders Xcode 16 synchronizes into it (`fileSystemSynchronizedGroups`), whose files are
    /// all members. `None` when the project has no such target.
    pub fn target_resources(&self, name: &str) -> Option<Resources> {
        let t = self.targets().into_iter().find(|t| t.name == name)?;
        let d = self.object(&t.id)?;
        let mut files = Vec::new();
        for phase in self.ids(d, "buildPhases") {
            let Some(pd) = self.object(&phase) else { continue };
            if self.str(pd, "isa").as_deref() != Some("PBXResourcesBuildPhase") {
                continue;
            }
            for bf in self.ids(pd, "files") {
                if let Some(path) = self.object(&bf).and_then(|b| self.str(b, "fileRef")).and_then(|r| self.file_path(&r)) {
                    files.push(path);
                }
            }
        }
        let own = self.ids(d, "fileSystemSynchronizedGroups");
        let folders = own.iter().filter_map(|g| self.file_path(g)).collect();
        // A synchronized folder of another target lends it files through an exception set naming
        // this target: its `membershipExceptions` are members here (WWDC's Resources folder gives
        // the app its Assets.xcassets this way). In the target's own folders the same list takes
        // files out; those are left in (a resource wrongly counted is safer than a false alarm).
        for (gid, g) in &self.index {
            if self.str(g, "isa").as_deref() != Some("PBXFileSystemSynchronizedRootGroup") || own.iter().any(|o| o == gid) {
                continue;
            }
            let Some(folder) = self.file_path(gid) else { continue };
            for set in self.ids(g, "exceptions") {
                let Some(sd) = self.object(&set).filter(|sd| self.str(sd, "target").as_deref() == Some(t.id.as_str())) else { continue };
                files.extend(self.ids(sd, "membershipExceptions").iter().map(|m| folder.join(m.trim_start_matches('/'))));
            }
        }
        Some(Resources { files, folders })
    }

    /// Target `name`'s Run Script phases, in build order.
    pub fn run_scripts(&self, name: &str) -> Vec<RunScript> {
        let Some(t) = self.targets().into_iter().find(|t| t.name == name) else { return vec![] };
        let Some(d) = self.object(&t.id) else { return vec![] };
        self.ids(d, "buildPhases")
            .iter()
            .filter_map(|phase| self.object(phase).filter(|pd| self.str(pd, "isa").as_deref() == Some("PBXShellScriptBuildPhase")))
            .map(|pd| RunScript { name: self.str(pd, "name"), script: self.str(pd, "shellScript").unwrap_or_default(), inputs: self.ids(pd, "inputPaths"), outputs: self.ids(pd, "outputPaths") })
            .collect()
    }

    /// The frameworks target `name` links that are files of the repository: its Frameworks
    /// phase's `.framework` / `.xcframework` references placed relative to the project or a
    /// group (not the SDK's, nor products the build makes), as paths on disk. Ghostty's app
    /// links `GhosttyKit.xcframework`, which `zig build` makes and git ignores.
    pub fn linked_frameworks(&self, name: &str) -> Vec<PathBuf> {
        let Some(t) = self.targets().into_iter().find(|t| t.name == name) else { return vec![] };
        let Some(d) = self.object(&t.id) else { return vec![] };
        let mut out = Vec::new();
        for phase in self.ids(d, "buildPhases") {
            let Some(pd) = self.object(&phase).filter(|pd| self.str(pd, "isa").as_deref() == Some("PBXFrameworksBuildPhase")) else { continue };
            for bf in self.ids(pd, "files") {
                let Some(file_ref) = self.object(&bf).and_then(|b| self.str(b, "fileRef")) else { continue };
                let Some(fd) = self.object(&file_ref).filter(|fd| self.str(fd, "isa").as_deref() == Some("PBXFileReference")) else { continue };
                let is_framework = self.str(fd, "path").is_some_and(|p| p.ends_with(".framework") || p.ends_with(".xcframework"));
                if let Some(path) = self.file_path(&file_ref).filter(|_| is_framework) {
                    out.push(path);
                }
            }
        }
        out
    }

    /// The other projects this one builds from (`projectReferences`: a framework's project
    /// added to the app's, often from a git submodule), as paths on disk.
    pub fn project_references(&self) -> Vec<PathBuf> {
        self.project_reference_uses().into_iter().map(|(p, _)| p).collect()
    }

    /// [`Self::project_references`], each with whether anything of this project comes from it:
    /// a dependency on one of its targets or a product linked or copied from it (every such use
    /// goes through a `PBXContainerItemProxy` whose `containerPortal` is the reference).
    /// Passepartout's project still lists a `Demo.xcodeproj` it no longer holds, and nothing
    /// uses it.
    pub fn project_reference_uses(&self) -> Vec<(PathBuf, bool)> {
        let Some((_, root)) = self.root() else { return vec![] };
        let Some(Value::Array(refs)) = self.doc.get(root, "projectReferences") else { return vec![] };
        let portals: std::collections::HashSet<String> =
            self.index.iter().filter(|(_, d)| self.str(d, "isa").as_deref() == Some("PBXContainerItemProxy")).filter_map(|(_, d)| self.str(d, "containerPortal")).collect();
        // Each path once, used when any of its references is (Provenance's project lists
        // Cube.xcodeproj 68 times, an Xcode duplication).
        let mut out: Vec<(PathBuf, bool)> = Vec::new();
        for (path, used) in refs
            .items
            .iter()
            .filter_map(|v| match v {
                Value::Dict(d) => self.str(d, "ProjectRef"),
                _ => None,
            })
            .filter_map(|id| self.file_path(&id).map(|p| (p, portals.contains(&id))))
        {
            match out.iter_mut().find(|(p, _)| *p == path) {
                Some((_, u)) => *u |= used,
                None => out.push((path, used)),
            }
        }
        out
    }

    /// The local Swift packages the project uses (`XCLocalSwiftPackageReference`'s
    /// `relativePath`, from the project's folder), as paths on disk.
    pub fn local_packages(&self) -> Vec<PathBuf> {
        self.index
            .iter()
            .filter(|(_, d)| self.str(d, "isa").as_deref() == Some("XCLocalSwiftPackageReference"))
            .filter_map(|(_, d)| self.str(d, "relativePath"))
            .map(|r| normalize(&self.dir.join(r)))
            .collect()
    }

    /// Every configuration list: the project's, then each target's.
    pub fn all_lists(&self) -> Vec<ConfigurationList> {
        self.project_configurations().into_iter().chain(self.targets().into_iter().map(|t| t.configurations)).collect()
    }

    /// A file reference's or group's path on disk, following the group chain.
    /// `..` and `.` are folded away lexically, so the path reads as a user would write it.
    pub fn file_path(&self, id: &str) -> Option<PathBuf> {
        self.path_of(id, 0).map(|p| normalize(&p))
    }

    fn path_of(&self, id: &str, depth: usize) -> Option<PathBuf> {
        if depth > 64 {
            return None;
        }
        let d = self.object(id)?;
        let path = self.str(d, "path");
        let tree = self.str(d, "sourceTree").unwrap_or_else(|| "<group>".into());
        let own = |base: PathBuf| match &path {
            Some(p) => base.join(p),
            None => base,
        };
        match tree.as_str() {
            "<absolute>" => path.map(PathBuf::from),
            "SOURCE_ROOT" => Some(own(self.dir.clone())),
            "<group>" => {
                let base = match self.parents().get(id) {
                    Some(parent) => self.path_of(parent, depth + 1)?,
                    None => self.dir.clone(),
                };
                Some(own(base))
            }
            _ => None,
        }
    }
}

/// Product types that are embedded in an app and signed with a provisioning profile of their
/// own (`com.apple.product-type.` names, as Xcode writes them in `productType`).
pub fn signed_with_own_profile(product_type: &str) -> bool {
    let t = product_type.trim_matches('"');
    let Some(kind) = t.strip_prefix("com.apple.product-type.") else { return false };
    kind.starts_with("app-extension")
        || kind.starts_with("extensionkit-extension")
        || kind.starts_with("watchkit2-extension")
        || kind.starts_with("watchkit-extension")
        || kind.starts_with("tv-app-extension")
        || kind.starts_with("application")
        || kind == "xpc-service"
        || kind == "system-extension"
        || kind == "driver-extension"
}

pub use crate::fsutil::normalize;

/// The SDKROOT a configuration list builds with (its Release-like first, else any).
fn sdk_of(list: &ConfigurationList) -> Option<String> {
    list.configurations.iter().find_map(|c| c.setting("SDKROOT").map(|s| s.value.joined()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_project_model() {
        let proj = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry/native/IsometrymacOS/IsometrymacOS.xcodeproj"));
        let doc = Document::read(&proj.join("project.pbxproj")).unwrap();
        let p = Project::new(&doc, proj).unwrap();
        let targets = p.targets();
        assert_eq!(targets.len(), 1);
        let t = &targets[0];
        assert_eq!((t.name.as_str(), t.platform.as_deref()), ("IsometrymacOS", Some("macos")));
        assert_eq!(t.product_type.as_deref(), Some("com.apple.product-type.application"));
        let names: Vec<&str> = t.configurations.configurations.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Debug", "Release", "Production"]);
        let prod = &t.configurations.configurations[2];
        let expected = proj.parent().unwrap().parent().unwrap().join("Configurations/Production.xcconfig");
        assert_eq!(prod.base_xcconfig.as_deref(), Some(expected.as_path()));
        assert_eq!(normalize(Path::new("/a/b/../c/./d")), Path::new("/a/c/d"));
        assert_eq!(normalize(Path::new("../x")), Path::new("../x"));
        assert_eq!(prod.setting("CODE_SIGN_ENTITLEMENTS").unwrap().value.joined(), "IsometrymacOS/IsometrymacOS.entitlements");
        let lines = doc.text.lines().nth(prod.line - 1).unwrap();
        assert!(lines.contains("/* Production */ = {"), "{lines}");
        let project_list = p.project_configurations().unwrap();
        assert_eq!(project_list.default_configuration.as_deref(), Some("Release"));
        assert_eq!(p.all_lists().len(), 2);
        // One configuration by name, at each level: the same as the whole list's.
        assert_eq!(p.target_configuration("IsometrymacOS", "Production").as_ref(), Some(prod));
        assert_eq!(p.project_configuration("Release"), project_list.configurations.into_iter().find(|c| c.name == "Release"));
        assert_eq!(p.target_configuration("IsometrymacOS", "Staging"), None);
        assert_eq!(p.target_configuration("Other", "Production"), None);
    }

    #[test]
    fn resources_and_embedded_targets_as_xcode_lists_them() {
        let text = "// !$*UTF8*$!\n{\n\tobjects = {\n\t\tF1 = {isa = PBXFileReference; path = Assets.xcassets; sourceTree = \"<group>\"; };\n\t\tF2 = {isa = PBXFileReference; path = Helper.app; sourceTree = BUILT_PRODUCTS_DIR; };\n\t\tB1 = {isa = PBXBuildFile; fileRef = F1; };\n\t\tB2 = {isa = PBXBuildFile; fileRef = F2; platformFilter = maccatalyst; };\n\t\tR1 = {isa = PBXResourcesBuildPhase; files = (B1, ); };\n\t\tC1 = {isa = PBXCopyFilesBuildPhase; dstSubfolderSpec = 1; files = (B2, ); };\n\t\tS1 = {isa = PBXFileSystemSynchronizedRootGroup; path = Shared; sourceTree = \"<group>\"; };\n\t\tS2 = {isa = PBXFileSystemSynchronizedRootGroup; exceptions = (X1, X2, ); path = Resources; sourceTree = \"<group>\"; };\n\t\tX1 = {isa = PBXFileSystemSynchronizedBuildFileExceptionSet; membershipExceptions = (Media.xcassets, /Localized/Main.storyboard, ); target = T1; };\n\t\tX2 = {isa = PBXFileSystemSynchronizedBuildFileExceptionSet; membershipExceptions = (Other.xcassets, ); target = T2; };\n\t\tG1 = {isa = PBXGroup; children = (F1, S1, S2, ); path = App; sourceTree = \"<group>\"; };\n\t\tG0 = {isa = PBXGroup; children = (G1, ); sourceTree = \"<group>\"; };\n\t\tL1 = {isa = XCConfigurationList; buildConfigurations = (); };\n\t\tL2 = {isa = XCConfigurationList; buildConfigurations = (); };\n\t\tL3 = {isa = XCConfigurationList; buildConfigurations = (); };\n\t\tT1 = {isa = PBXNativeTarget; buildConfigurationList = L1; buildPhases = (R1, C1, ); fileSystemSynchronizedGroups = (S1, ); name = App; productType = \"com.apple.product-type.application\"; };\n\t\tT2 = {isa = PBXNativeTarget; buildConfigurationList = L2; name = Helper; productReference = F2; productType = \"com.apple.product-type.application\"; };\n\t\tP1 = {isa = PBXProject; buildConfigurationList = L3; mainGroup = G0; targets = (T1, T2, ); };\n\t};\n\trootObject = P1;\n}\n";
        let doc = Document::parse(text.to_string(), Path::new("x")).unwrap();
        let p = Project::new(&doc, Path::new("/r/App.xcodeproj")).unwrap();
        let r = p.target_resources("App").unwrap();
        // The phase's file, then what another synchronized folder lends this target (its
        // exception set naming App), not what it lends Helper.
        assert_eq!(r.files, ["/r/App/Assets.xcassets", "/r/App/Resources/Media.xcassets", "/r/App/Resources/Localized/Main.storyboard"].map(PathBuf::from));
        assert_eq!(r.folders, vec![PathBuf::from("/r/App/Shared")]);
        let e = p.embedded_targets("App");
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].target.name.as_str(), e[0].platforms.clone()), ("Helper", vec!["maccatalyst".to_string()]));
        assert!(p.embedded_targets("Helper").is_empty());
    }
}
