//! Discovery: a repository read the way Xcode reads it, for a workspace without
//! `shipdeck.toml`. Containers (`.xcworkspace`, else `.xcodeproj`), their shared schemes (or
//! the one-per-target schemes xcodebuild creates when none are shared), each scheme's archive
//! action (configuration, the application target it builds), and that target's effective
//! settings in that configuration: Info.plist, entitlements, platform(s), bundle id. Files are
//! found through these settings, never by walking folders for names; every choice carries
//! its reason.

#[cfg(test)]
pub(crate) mod fixture;
pub mod scripts;
pub mod xcode;

use crate::workspace::{CloudKitConfig, Config, Platform, TargetConfig, Workspace, CONFIG_FILE};
use scripts::ships;
pub use scripts::{scheme_roles, scripted_schemes};
use std::path::{Path, PathBuf};
use xcode::Scheme;

/// Folders Xcode never archives from: dependencies, build output, tools' caches.
const SKIP_DIRS: &[&str] = &[".git", "build", "DerivedData", "node_modules", "Pods", "Carthage", "target", ".build", ".swiftpm", "xcuserdata", "SourcePackages", "vendor", "checkouts", "fastlane"];
const MAX_DEPTH: usize = 6;

/// What the walk found: containers, and the files Xcode does not point at (schemas, workflows).
#[derive(Debug, Default)]
struct Found {
    workspaces: Vec<PathBuf>,
    projects: Vec<PathBuf>,
    schemas: Vec<PathBuf>,
    export_options: Vec<PathBuf>,
    /// Fastfiles and CI workflows: they name the scheme a team releases.
    scripts: Vec<PathBuf>,
    /// XcodeGen's project.yml or Tuist's Project.swift.
    generators: Vec<PathBuf>,
    production_xcconfigs: Vec<PathBuf>,
    /// .NET projects (`*.csproj`): a .NET MAUI or Xamarin iOS app is built by `dotnet`, not Xcode.
    csprojs: Vec<PathBuf>,
    /// Cordova apps' config.xml and NativeScript apps' nativescript.config.ts|js: Cordova and
    /// NativeScript make their Xcode project in platforms/ios.
    platform_apps: Vec<PathBuf>,
}

/// The team's ExportOptions file for a release of `platform`: one that exports for App Store
/// Connect first, then one that names no method (Shipdeck fills it in); for a Mac app, a
/// Developer ID or plain Mac app export when that is all there is (the app ships outside the
/// App Store, which the checks say). Files for ad-hoc, enterprise or development exports are
/// other distributions'.
fn release_export_options(files: &[PathBuf], platform: Platform) -> Option<&PathBuf> {
    // A file named for an alpha, beta or other internal build is not the release's (DuckDuckGo
    // iOS keeps only `alphaExportOptions.plist`: Shipdeck writes the release's own). Among
    // several, the one whose name says this platform (Monal: Stable_iOS_ and Stable_Catalyst_),
    // then the shortest name.
    let mut files: Vec<&PathBuf> = files.iter().filter(|f| !looks_internal(&f.file_name().map(|n| n.to_string_lossy().replace(['_', '-'], " ")).unwrap_or_default())).collect();
    files.sort_by_cached_key(|f| {
        let name = f.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let words: Vec<&str> = name.trim_end_matches(".plist").split(|c: char| !c.is_ascii_alphanumeric()).collect();
        let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
        let mine: &[&str] = match platform {
            Platform::Ios => &["ios", "iphone"],
            Platform::Catalyst => &["catalyst", "maccatalyst"],
            Platform::Macos => &["mac", "macos", "osx"],
            Platform::Tvos => &["tvos", "tv"],
            Platform::Visionos => &["visionos", "vision"],
        };
        let others: &[&str] = &["ios", "iphone", "catalyst", "maccatalyst", "mac", "macos", "osx", "tvos", "visionos"];
        let other_platform = !has(mine) && has(others);
        (other_platform, !has(mine), name.len())
    });
    let methods: Vec<(&PathBuf, Option<String>)> = files.into_iter().map(|f| (f, crate::workspace::export_method(f))).collect();
    let first = |ok: &dyn Fn(Option<&str>) -> bool| methods.iter().find(|(_, m)| ok(m.as_deref())).map(|(f, _)| *f);
    first(&|m| m.is_some_and(crate::workspace::is_app_store_method)).or_else(|| first(&|m| m.is_none())).or_else(|| {
        if platform.is_mac() {
            first(&|m| m.is_some_and(crate::workspace::is_outside_app_store_method))
        } else {
            None
        }
    })
}

/// The scripts that name a scheme, those that ship first, three at most: Bleat names its
/// scheme in nine scripts, which made the workspace's summary a paragraph.
fn named_in(files: &[(&str, bool)]) -> String {
    let mut sorted: Vec<&(&str, bool)> = files.iter().collect();
    sorted.sort_by_key(|(_, ships)| !ships);
    let names: Vec<&str> = sorted.iter().map(|(f, _)| *f).collect();
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{} and {} more", names[..2].join(", "), n - 2),
    }
}

/// What the repository holds, walked in order through its listing.
fn walk_all(tree: &crate::tree::Tree) -> Found {
    let mut found = Found::default();
    walk(tree, tree.root(), 0, &mut found);
    found
}

fn walk(tree: &crate::tree::Tree, dir: &Path, depth: usize, found: &mut Found) {
    let root = tree.root();
    if depth > MAX_DEPTH {
        return;
    }
    let Some(entries) = tree.list(dir) else { return };
    // A CMake build folder (CMakeCache.txt) holds the Xcode projects CMake wrote for a library's
    // own tools (Provenance keeps PPSSPP's, with zstd's `datagen` and `fuzzer` as apps): output
    // of another build, not an app of this repository.
    if dir != root && entries.iter().any(|e| e.name == "CMakeCache.txt") {
        return;
    }
    for entry in entries.iter() {
        let path = dir.join(&entry.name);
        let name = entry.name().into_owned();
        let ft = entry.kind;
        if ft == crate::tree::Kind::Dir {
            // A project or workspace folder with only its shared schemes in git (element-ios
            // keeps Riot.xcodeproj/xcshareddata; XcodeGen and CocoaPods make the rest) is not
            // one yet.
            if name.ends_with(".xcodeproj") {
                if path.join("project.pbxproj").is_file() {
                    found.projects.push(path.clone());
                }
            } else if name.ends_with(".xcworkspace") {
                if path.join("contents.xcworkspacedata").is_file() {
                    found.workspaces.push(path.clone());
                }
            } else if name == ".github" || name == ".circleci" || !(SKIP_DIRS.contains(&name.as_str()) || name.starts_with('.')) {
                walk(tree, &path, depth + 1, found);
            }
            if scripts::FASTLANE_FOLDERS.contains(&name.as_str()) {
                found.scripts.extend(["Fastfile", "Appfile"].iter().map(|f| path.join(f)).filter(|p| p.is_file()));
            }
        } else if ft == crate::tree::Kind::File {
            let lower = name.to_ascii_lowercase();
            let in_ci = path.strip_prefix(root).is_ok_and(|r| r.starts_with(".github") || r.starts_with(".circleci"));
            if lower.ends_with(".ckdb") {
                found.schemas.push(path);
            } else if lower.ends_with(".csproj") {
                found.csprojs.push(path);
            } else if crate::workspace::is_export_options_name(&name) {
                found.export_options.push(path);
            } else if (in_ci && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
                || ["fastfile", "makefile", "bitrise.yml", ".gitlab-ci.yml", "codemagic.yaml"].contains(&lower.as_str())
                || lower.ends_with(".sh") && depth <= 2
            {
                found.scripts.push(path);
            } else if (depth <= 1 && is_xcodegen_spec(&path))
                // Karabiner-Elements keeps one project.yml per app (`src/apps/<App>/project.yml`).
                || (depth <= 3 && (name == "project.yml" || name == "project.yaml"))
                // Tuist: a Project.swift per project (`Projects/App/Project.swift`), a
                // Workspace.swift at the top.
                || (depth <= 3 && name == "Project.swift")
                || (depth == 0 && name == "Workspace.swift")
                // Expo: the app's config, from which `expo prebuild` makes ios/ (an app that
                // keeps no ios/ folder in git, as Expo's continuous native generation does).
                || (depth <= 2 && is_expo_config(&path))
            {
                found.generators.push(path);
            } else if depth <= 2 && platform_maker(&path).is_some_and(|maker| maker != "Cordova" || is_cordova_config(&path)) {
                found.platform_apps.push(path);
            } else if lower == "production.xcconfig" {
                found.production_xcconfigs.push(path);
            }
        }
    }
}

/// The file a project generator makes the Xcode project from (XcodeGen's project.yml, Tuist's
/// Project.swift), at the top of `root` or one folder down, when no .xcodeproj is there yet:
/// the project's schemes and configurations are not knowable until it is generated.
/// How discovery's guess about a .NET iOS app begins: the check looks for the app only then.
pub const DOTNET_GUESS: &str = "The iOS app is built with .NET";

/// A .NET MAUI or Xamarin iOS app of the repository (bitwarden/mobile's `src/App/App.csproj`,
/// `net8.0-ios`): a project whose output is an executable for iOS or Mac Catalyst. Its file and
/// the target framework named.
pub fn dotnet_ios_app(tree: &crate::tree::Tree) -> Option<(PathBuf, String)> {
    let found = walk_all(tree);
    dotnet_app_of(&found.csprojs)
}

fn dotnet_app_of(csprojs: &[PathBuf]) -> Option<(PathBuf, String)> {
    csprojs.iter().find_map(|p| {
        let text = std::fs::read_to_string(p).ok()?;
        let lower = text.to_ascii_lowercase();
        if !lower.contains("<outputtype>exe</outputtype>") {
            return None;
        }
        let framework = ["<targetframeworks>", "<targetframework>"].iter().find_map(|tag| {
            let start = lower.find(tag)? + tag.len();
            let end = start + lower[start..].find('<')?;
            text[start..end].split(';').map(str::trim).find(|f| f.ends_with("-ios") || f.ends_with("-maccatalyst")).map(String::from)
        });
        framework.or_else(|| lower.contains("xamarin.ios").then(|| "Xamarin.iOS".to_string())).map(|f| (p.clone(), f))
    })
}

/// Where a generated project not here yet names CloudKit containers: the repository's
/// entitlements files (not tests'), and the spec's own `iCloud.…` ids, each with its file and
/// line (1-based; none for a plist's id, which the caller finds).
pub fn ungenerated_container_sources(tree: &crate::tree::Tree) -> (Vec<PathBuf>, Vec<(String, PathBuf, usize)>) {
    let found = walk_all(tree);
    if !(found.projects.is_empty() && found.workspaces.is_empty()) {
        return (vec![], vec![]);
    }
    let entitlements = non_test_entitlements(tree);
    let mut ids = Vec::new();
    for g in &found.generators {
        let Ok(text) = std::fs::read_to_string(g) else { continue };
        for (n, line) in release_lines_of_spec(&text) {
            let (found_ids, _) = spec_line_facts(line);
            ids.extend(found_ids.into_iter().map(|id| (id, g.clone(), n)));
        }
    }
    (entitlements, ids)
}

/// The repository's entitlements files, not those of its test bundles.
fn non_test_entitlements(tree: &crate::tree::Tree) -> Vec<PathBuf> {
    let is_test = |p: &Path| p.components().any(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase().ends_with("tests"));
    crate::workspace::scan_in(tree).entitlements.into_iter().filter(|e| !is_test(e)).collect()
}

/// The lines of a spec that are not under a debug, test or development configuration's key
/// (moolah's project.yml names `iCloud.….test` under `configs: Debug:` and `Debug-Tests:`, its
/// release container under `Release:`), by YAML indentation: (1-based number, line).
fn release_lines_of_spec(text: &str) -> Vec<(usize, &str)> {
    let mut stack: Vec<(usize, &str)> = Vec::new();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        // By words: `com.apple.developer.…` is not a development configuration.
        let internal = stack.iter().any(|(_, k)| {
            let k = k.to_ascii_lowercase();
            k.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w.starts_with("debug") || ["test", "tests", "testing", "dev", "development", "staging"].contains(&w))
        });
        if !internal {
            out.push((n + 1, line));
        }
        if let Some((key, _)) = trimmed.trim_start_matches("- ").split_once(':') {
            stack.push((indent, key.trim().trim_matches('"')));
        }
    }
    out
}

pub fn ungenerated_project(tree: &crate::tree::Tree) -> Option<PathBuf> {
    ungenerated_projects(tree).into_iter().next()
}

/// Every spec a generator makes an Xcode project from, when no .xcodeproj is here yet: those
/// that describe an application first, then the shallower (Karabiner-Elements: nine apps'
/// `src/apps/<App>/project.yml` and a helper's `appendix/…/project.yml`).
pub fn ungenerated_projects(tree: &crate::tree::Tree) -> Vec<PathBuf> {
    let root = tree.root();
    let mut found = walk_all(tree);
    if let Some(app) = unmade_platform_app(&found) {
        return vec![app.config];
    }
    if !nothing_to_open(&found) {
        return vec![];
    }
    order_generators(root, &mut found.generators);
    found.generators
}

/// No Xcode project here, and no workspace that opens one: a committed workspace that opens only
/// projects not generated yet does not count (Tutanota's `app-ios/tuta.xcworkspace` opens the
/// three projects its specs make).
fn nothing_to_open(found: &Found) -> bool {
    found.projects.is_empty() && found.workspaces.iter().all(|w| xcode::workspace_projects(w).iter().all(|p| !p.exists()))
}

fn order_generators(root: &Path, specs: &mut [PathBuf]) {
    let folder = root.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    specs.sort_by_cached_key(|p| {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        let describes_app = describes_app(&text);
        // Its project named as the repository is (SettingsWindow/project.yml's `name:
        // Karabiner-Elements`).
        // A YAML comment after the value is not the name (Tutanota's `name: tutanota # Also known…`).
        let name = text.lines().find_map(|l| l.strip_prefix("name:")).map(|n| n.split(" #").next().unwrap_or(n).trim().trim_matches(['"', '\'']).to_ascii_lowercase());
        let named_like_repo = name.is_some_and(|n| !n.is_empty() && folder == n);
        let rel = p.strip_prefix(root).unwrap_or(p);
        (!describes_app, in_sample_folder(rel).is_some(), !named_like_repo, rel.components().count(), p.clone())
    });
}

/// An XcodeGen spec: `project.yml`, or another YAML file named for a project and holding targets
/// (Bitwarden's `project-bwa.yml`; Tutanota's `app-ios/mail-project.yml`, `calendar-project.yml`
/// and `drive-project.yml`, which its npm script gives to `xcodegen --spec`).
fn is_xcodegen_spec(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    if name == "project.yml" || name == "project.yaml" {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    lower.contains("project") && (lower.ends_with(".yml") || lower.ends_with(".yaml")) && std::fs::read_to_string(path).is_ok_and(|t| t.lines().any(|l| l.starts_with("targets:")))
}

/// Whether a spec's text describes an application target (XcodeGen's `type: application`,
/// quoted or not; Tuist's `.app`).
fn describes_app(text: &str) -> bool {
    text.lines().any(|l| l.trim().strip_prefix("type:").is_some_and(|v| v.trim().trim_matches(['"', '\'']) == "application")) || text.contains(".app(") || text.contains("product: .app")
}

/// An Expo app's config (`app.json`, `app.config.js|ts`) beside a package.json that depends on
/// `expo`.
fn is_expo_config(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    ["app.json", "app.config.js", "app.config.ts"].contains(&name) && path.parent().is_some_and(|d| std::fs::read_to_string(d.join("package.json")).is_ok_and(|t| t.contains("\"expo\":")))
}

/// A Cordova config's name: `config.xml`, or a variant the team's setup copies to it
/// (e-mission-phone's `config.cordovabuild.xml`).
pub fn is_cordova_name(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("config") && n.ends_with(".xml"))
}

/// The framework that makes an app's Xcode project in its `platforms/ios` folder from this
/// config: Cordova (`config.xml`), NativeScript (`nativescript.config.ts|js`).
pub fn platform_maker(spec: &Path) -> Option<&'static str> {
    let name = spec.file_name()?.to_str()?;
    if name.starts_with("nativescript.config.") {
        Some("NativeScript")
    } else if is_cordova_name(spec) {
        Some("Cordova")
    } else {
        None
    }
}

/// A Cordova app's `config.xml`: a `<widget>` in Cordova's namespace, or beside a package.json
/// that depends on cordova-ios (Cordova makes the Xcode project from it, in platforms/ios).
fn is_cordova_config(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else { return false };
    text.contains("<widget") && (text.contains("cordova.apache.org") || path.parent().is_some_and(|d| std::fs::read_to_string(d.join("package.json")).is_ok_and(|t| t.contains("\"cordova-ios\""))))
}

/// A Cordova or NativeScript app whose Xcode project is not made here yet.
pub struct UnmadePlatformApp {
    /// Its config (config.xml, nativescript.config.ts|js).
    pub config: PathBuf,
    /// A workspace of the repository that opens the project the app's framework makes, and that project
    /// (Outline keeps `client.xcworkspace` naming `platforms/ios/Outline.xcodeproj`, and a
    /// template project its setup copies there).
    pub opened: Option<(PathBuf, PathBuf)>,
}

/// The Cordova or NativeScript app of the repository, when its platforms/ios holds no Xcode
/// project yet and the repository has no other (no .xcodeproj at all, or a workspace that names
/// one in platforms/: the projects here are templates or plugins of the one Cordova makes).
fn unmade_platform_app(found: &Found) -> Option<UnmadePlatformApp> {
    // config.xml before a variant of it.
    let mut configs: Vec<&PathBuf> = found.platform_apps.iter().collect();
    configs.sort_by_key(|c| (c.components().count(), c.file_name().is_none_or(|n| n != "config.xml")));
    for config in configs {
        let Some(dir) = config.parent() else { continue };
        let platforms = dir.join("platforms");
        let made = std::fs::read_dir(platforms.join("ios")).is_ok_and(|entries| entries.flatten().any(|e| e.path().join("project.pbxproj").is_file()));
        if made {
            continue;
        }
        if found.projects.is_empty() && found.workspaces.is_empty() {
            return Some(UnmadePlatformApp { config: config.clone(), opened: None });
        }
        for w in &found.workspaces {
            let opened = xcode::workspace_projects(w).into_iter().map(|p| crate::fsutil::normalize(&p)).find(|p| p.starts_with(&platforms) && !p.exists());
            if let Some(p) = opened {
                return Some(UnmadePlatformApp { config: config.clone(), opened: Some((w.clone(), p)) });
            }
        }
    }
    None
}

/// The Cordova or NativeScript app of the repository at `root` whose Xcode project is not made
/// yet.
pub fn platform_app_not_made(tree: &crate::tree::Tree) -> Option<UnmadePlatformApp> {
    let found = walk_all(tree);
    unmade_platform_app(&found)
}

/// The spec a generator makes this .xcodeproj from (XcodeGen's project.yml, Tuist's
/// Project.swift) when one sits beside it: element-x-ios keeps both in git, and a change to the
/// project.pbxproj is undone by the next generation.
pub fn generator_beside(xcodeproj: &Path) -> Option<PathBuf> {
    let dir = xcodeproj.parent()?;
    if let Some(p) = ["project.yml", "project.yaml", "Project.swift"].iter().map(|n| dir.join(n)).find(|p| p.is_file()) {
        return Some(p);
    }
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path()).filter(|p| is_xcodegen_spec(p)).collect();
    specs.sort();
    specs.into_iter().next()
}

/// What a change to a generated project's file should say: where to make it instead.
pub fn generated_note(spec: &Path, shown: &str) -> String {
    let tool = if spec.extension().is_some_and(|e| e == "swift") {
        "Tuist"
    } else if is_expo_config(spec) {
        "Expo"
    } else {
        "XcodeGen"
    };
    format!("The project is made by {tool} from {shown}: a change to its project.pbxproj is undone by the next `{}`; make it in {shown} too.", generate_command(spec))
}

/// The command that generates a project from its spec (`--spec` for an XcodeGen spec not
/// named project.yml).
pub fn generate_command(spec: &Path) -> String {
    let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if is_expo_config(spec) {
        "npx expo prebuild --platform ios".into()
    } else if platform_maker(spec) == Some("NativeScript") {
        // `ns prepare ios` writes platforms/ios (NativeScript's CLI; `tns` before 7.0). Oss
        // Weather's Fastfile runs it through `npm run prepare.ios`.
        "npx ns prepare ios".into()
    } else if is_cordova_name(spec) {
        // `prepare` restores the platforms package.json lists, then copies the app in (Cordova's
        // "Version Management" page). Ionic apps too: their scripts run Cordova's own
        // (e-mission-phone's setup_native.sh); `ionic cordova prepare` would build the web app
        // first.
        "npx cordova prepare ios".into()
    } else if spec.extension().is_some_and(|e| e == "swift") {
        // Tuist 4 fetches the dependencies Tuist/Package.swift declares before it generates
        // (Infomaniak Mail's Xcode Cloud script runs both).
        match tuist_root(spec) {
            Some(r) if r.join("Tuist/Package.swift").is_file() => "tuist install && tuist generate".into(),
            _ => "tuist generate".into(),
        }
    } else if name == "project.yml" {
        "xcodegen generate".into()
    } else {
        format!("xcodegen generate --spec {name}")
    }
}

/// The folder Tuist runs in for a Tuist spec (`Project.swift`, `Workspace.swift`): the nearest
/// folder above it with Tuist's own configuration (`Tuist.swift`, a `Tuist/` folder), else one
/// with a Workspace.swift, else the spec's own; `None` for another generator's spec.
pub fn tuist_root(spec: &Path) -> Option<PathBuf> {
    if spec.extension().is_none_or(|e| e != "swift") {
        return None;
    }
    let dir = spec.parent()?;
    dir.ancestors()
        .find(|d| d.join("Tuist").is_dir() || d.join("Tuist.swift").is_file())
        .or_else(|| dir.ancestors().find(|d| d.join("Workspace.swift").is_file()))
        .map(Path::to_path_buf)
        .or_else(|| Some(dir.to_path_buf()))
}

/// A scheme whose app is found, before its settings are resolved: what judging it needs.
struct Pending {
    scheme: Scheme,
    workspace: Option<PathBuf>,
    shared: bool,
    project: PathBuf,
    target: String,
    model_platform: Option<String>,
    leads_with_extension: bool,
    /// The name of what the scheme builds first.
    first_built: Option<String>,
    project_rel: PathBuf,
    first_guess: Option<Platform>,
    /// Where in the notes a note about it goes.
    notes_at: usize,
}

/// A scheme that archives an application, with what Xcode says about it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub scheme: Scheme,
    /// The `.xcworkspace` the scheme is built in, if any.
    pub workspace: Option<PathBuf>,
    pub project: PathBuf,
    /// The application target it archives.
    pub target: String,
    pub platforms: Vec<Platform>,
    pub score: i64,
    pub reasons: Vec<String>,
    /// Its name or folder says test, debug, demo or sample.
    pub internal: bool,
}

const APP_TYPES: &[&str] = &["com.apple.product-type.application", "com.apple.product-type.application.watchapp2-container", "com.apple.product-type.application.messages"];

/// What is said of a watch-only app, which Shipdeck does not release.
pub const WATCH_ONLY: &str = "Shipdeck does not check or release watch-only apps yet";

/// Whether a target's product type is a watch-only app's iOS container (`watchapp2-container`).
pub fn is_watch_container(product_type: Option<&str>) -> bool {
    product_type.is_some_and(|pt| pt.trim_matches('"') == "com.apple.product-type.application.watchapp2-container")
}

/// A project holding a watch-only app: its `watchapp2-container` target (NowPlayingPlus: the
/// iOS container App Store Connect receives, with the watchOS app inside). The project and the
/// container's name.
pub fn watch_only_app(projects: &[PathBuf]) -> Option<(PathBuf, String)> {
    projects.iter().find_map(|p| {
        let doc = crate::pbxproj::Document::read_shared(&p.join("project.pbxproj")).ok()?;
        let model = crate::pbxproj::Project::new(&doc, p).ok()?;
        let container = model.targets().into_iter().find(|t| is_watch_container(t.product_type.as_deref()))?;
        Some((p.clone(), container.name))
    })
}

/// The folder below `root` holding a Package.swift that `project` lies in (the repository's own
/// root does not count: an app beside its root manifest is the repository's app).
fn package_of(root: &Path, project: &Path) -> Option<PathBuf> {
    project.parent()?.ancestors().take_while(|d| *d != root && d.starts_with(root)).find(|d| d.join("Package.swift").is_file()).map(Path::to_path_buf)
}

/// Names that mark a scheme as not the one a team ships.
fn looks_internal(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // Anywhere in the name (AppTests, AppDebug); short words only as a word of their own
    // (Dev, Beta: not Devices, Alphabet), words of a CamelCase name counting
    // (ProtonVPN's BugReportSampleMacOSApp).
    ["test", "debug", "staging", "demo", "example", "preview", "snapshot", "screenshot", "mock", "nightly", "prototype", "enterprise", "adhoc", "inhouse"].iter().any(|w| lower.contains(w))
        // RadarCOVID's `RadarCovid Pre` (pre-production) beside `RadarCovid Pro`; Stopp Corona's
        // `CoronaContact (Development)` and `(Stage)` beside `(Production)`; SwissCovid's
        // `Release-Abnahme` (German: acceptance), `-Calibration` and `Release-Prod-Logging`.
        || ["dev", "development", "develop", "abnahme", "acceptance", "calibration", "logging", "beta", "alpha", "sample", "samples", "internal", "qa", "canary", "dogfood", "pre", "preprod", "uat", "stage"].iter().any(|w| words(name).iter().any(|part| part == w))
}

/// A name's words, lowercased: split at anything not a letter or digit and where a capital
/// follows a lowercase letter (`BugReportSampleMacOSApp`: bug, report, sample, mac, osapp).
fn words(name: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            out.push(String::new());
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            out.push(String::new());
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if let Some(w) = out.last_mut() {
            w.push(c.to_ascii_lowercase());
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

/// A folder of the project's path that holds samples or examples (`sampleapps/`, `Examples/`,
/// `Demo/`): its apps show a library, they are not the repository's release.
fn in_sample_folder(project: &Path) -> Option<String> {
    project
        .parent()?
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .find(|c| {
            let l = c.to_ascii_lowercase();
            // And test hosts: webf keeps a Flutter app in integration_tests/ to run its tests in.
            [
                "sample",
                "samples",
                "sampleapps",
                "sample-apps",
                "example",
                "examples",
                "demo",
                "demos",
                "playground",
                "playgrounds",
                "integration_tests",
                "integration-tests",
                "integrationtests",
                "testapps",
                "test-apps",
                // Runestone (a Swift package) keeps the app its UI tests run in, in UITests/Host.
                "test",
                "tests",
                "uitests",
                "testhost",
                "testhosts",
            ]
            .contains(&l.as_str())
                || l.ends_with("uitests")
        })
        .map(String::from)
}

/// A minimal workspace to resolve one target's settings with, before the real one exists.
fn probe(root: &Path, project: &Path, scheme: &str, target: &str, platform: Platform, configuration: &str) -> crate::settings::Settings {
    let t = TargetConfig {
        platform,
        project: project.to_path_buf(),
        workspace: None,
        scheme: scheme.to_string(),
        target: Some(target.to_string()),
        entitlements: None,
        info_plist: None,
        export_options: None,
    };
    let ws = Workspace {
        root: root.to_path_buf(),
        config: Config { configuration: Some(configuration.to_string()), targets: vec![t.clone()], ..Default::default() },
        config_path: None,
        guesses: vec![],
        listing: Default::default(),
    };
    crate::settings::target_settings(&ws, &t).unwrap_or_default()
}

/// The platforms a target ships on, from its resolved SDKROOT / SUPPORTED_PLATFORMS /
/// SUPPORTS_MACCATALYST. A project that sets SDKROOT nowhere builds for macOS: Xcode's own
/// default ("macOS Default" in the Build Settings tab; alt-tab-macos sets only
/// MACOSX_DEPLOYMENT_TARGET in its xcconfig).
fn platforms_of(settings: &crate::settings::Settings, model_guess: Option<&str>) -> Vec<Platform> {
    let sdkroot = settings.value("SDKROOT").or(model_guess).or_else(|| sdk_from_other_settings(settings)).unwrap_or("macosx");
    let mut out: Vec<Platform> = Vec::new();
    if sdkroot == "auto" || sdkroot.is_empty() {
        for p in settings.value("SUPPORTED_PLATFORMS").unwrap_or("iphoneos").split_whitespace().filter_map(Platform::from_sdk) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    } else if let Some(p) = Platform::from_sdk(sdkroot).or(match sdkroot {
        "ios" => Some(Platform::Ios),
        "macos" => Some(Platform::Macos),
        _ => None,
    }) {
        out.push(p);
    }
    if out.contains(&Platform::Ios) && !out.contains(&Platform::Macos) && settings.value("SUPPORTS_MACCATALYST") == Some("YES") {
        out.push(Platform::Catalyst);
    }
    out
}

/// The SDK a target builds for when nothing sets SDKROOT, from the settings that only one
/// platform uses. Xcode's default is macOS, but a target whose SDKROOT comes from an xcconfig
/// that is not here (mattrubin/Authenticator's `iOS-Application.xcconfig`, in a submodule) still
/// says TARGETED_DEVICE_FAMILY = 1 and IPHONEOS_DEPLOYMENT_TARGET.
fn sdk_from_other_settings(settings: &crate::settings::Settings) -> Option<&'static str> {
    let family = settings.value("TARGETED_DEVICE_FAMILY").map(|f| f.split(',').map(str::trim).collect::<Vec<_>>()).unwrap_or_default();
    if family.iter().any(|f| *f == "1" || *f == "2") || settings.value("IPHONEOS_DEPLOYMENT_TARGET").is_some() && settings.value("MACOSX_DEPLOYMENT_TARGET").is_none() {
        Some("iphoneos")
    } else if family.contains(&"3") || settings.value("TVOS_DEPLOYMENT_TARGET").is_some() {
        Some("appletvos")
    } else if family.contains(&"7") || settings.value("XROS_DEPLOYMENT_TARGET").is_some() {
        Some("xros")
    } else {
        None
    }
}

/// A project file read for discovery, and its targets, listed on first use.
/// A project file with no application product type in its text is not parsed: discovery looks
/// for apps, and Provenance's 130 emulator cores hold none (most of its 25 MB of project files).
struct ReadProject {
    doc: Option<std::sync::Arc<crate::pbxproj::Document>>,
    targets: std::cell::OnceCell<Vec<crate::pbxproj::TargetHead>>,
}

impl ReadProject {
    /// `None` when the file cannot be read or parsed.
    fn read(container: &Path) -> Option<ReadProject> {
        let file = container.join("project.pbxproj");
        let bytes = std::fs::read(&file).ok()?;
        // A project file (not a conflict or garbage) that names no app type holds no app.
        let no_apps = memchr::memmem::find(&bytes, b"com.apple.product-type.application").is_none() && bytes.starts_with(b"// !$*UTF8*$!") && memchr::memmem::find(&bytes, b"<<<<<<<").is_none();
        let doc = match no_apps {
            true => None,
            false => Some(crate::pbxproj::Document::shared_from_bytes(&file, bytes).ok()?),
        };
        Some(ReadProject { doc, targets: std::cell::OnceCell::new() })
    }

    fn model<'a>(&'a self, container: &Path) -> Option<crate::pbxproj::Project<'a>> {
        crate::pbxproj::Project::new(self.doc.as_deref()?, container).ok()
    }

    /// Its targets, or none when it holds no app (they are never what a release archives).
    fn targets(&self, container: &Path) -> &[crate::pbxproj::TargetHead] {
        self.targets.get_or_init(|| self.model(container).map(|m| m.target_heads()).unwrap_or_default())
    }

    /// The configuration an archive with xcodebuild's own scheme of a target uses: `Release`, or
    /// the project's configuration of that name in another case (a Tauri app's generated
    /// project has `debug` and `release`, and `tauri ios build` archives with `release`).
    fn release_configuration(&self, container: &Path) -> String {
        let names: Vec<String> = self.model(container).map(|m| m.project_configurations().into_iter().flat_map(|l| l.configurations.into_iter().map(|c| c.name)).collect()).unwrap_or_default();
        if names.iter().any(|n| n == "Release") {
            return "Release".into();
        }
        names.into_iter().find(|n| n.eq_ignore_ascii_case("release")).unwrap_or_else(|| "Release".into())
    }

    /// The platform the target's (else the project's) SDKROOT says: its configurations read.
    fn platform(&self, container: &Path, target: &str) -> Option<String> {
        self.model(container)?.target(target)?.platform
    }
}

/// Whether a script speaks for a project: a Fastfile in `<dir>/fastlane/` for the projects
/// under `<dir>/` (a Flutter app's `ios/fastlane` names `Runner`, the iOS app's scheme, not the
/// macOS app's `Runner` in `macos/`: Open Food Facts); any other script for all.
fn script_applies(script: &Path, project: &Path) -> bool {
    let parts: Vec<_> = script.components().collect();
    match parts.iter().position(|c| c.as_os_str().to_str().is_some_and(|c| scripts::FASTLANE_FOLDERS.contains(&c))) {
        Some(i) => {
            let dir: PathBuf = parts[..i].iter().collect();
            dir.as_os_str().is_empty() || project.starts_with(&dir)
        }
        None => true,
    }
}

/// Every scheme of the repository that archives an application, scored.
/// The team's scripts (`Found::scripts`), each read once for all of discovery.
type Scripts<'a> = [(&'a PathBuf, String)];

fn candidates(root: &Path, found: &Found, texts: &Scripts) -> (Vec<Candidate>, Vec<String>) {
    let mut notes = Vec::new();
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    // (scheme, the script that names it, whether that script archives or ships: a scheme only
    // built or tested by scripts is a weaker word than one a release lane archives)
    let scripted: Vec<(String, String, bool)> = texts
        .iter()
        .flat_map(|(f, t)| {
            let ships = ships(t);
            scripted_schemes(t).into_iter().map(move |s| {
                let shipped = ships && !scripts::only_tested(t, &s);
                (s, rel(f), shipped)
            })
        })
        .collect();
    let roles: Vec<(String, i64, String)> = texts.iter().flat_map(|(_, t)| scheme_roles(t)).chain(texts.iter().flat_map(|(f, t)| scripts::release_workflow_roles(f, t))).collect();
    // Workspaces that hold projects (not the one inside every .xcodeproj).
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let mut in_workspace: Vec<(PathBuf, PathBuf)> = Vec::new();
    for w in &found.workspaces {
        for p in xcode::workspace_projects(w) {
            in_workspace.push((canon(&p), w.clone()));
        }
    }
    let workspace_of = |project: &Path| -> Option<PathBuf> {
        let project = canon(project);
        in_workspace.iter().find(|(p, _)| *p == project).map(|(_, w)| w.clone())
    };
    // Each project file is read once, for the schemes xcodebuild would create and for the
    // targets every scheme archives.
    // Its targets are listed once too (Provenance: a scheme each for 140 projects' targets,
    // every listing resolving every configuration).
    let mut models: std::collections::HashMap<PathBuf, Option<ReadProject>> = std::collections::HashMap::new();
    let read = |container: &Path| ReadProject::read(container);
    // Every project is read below (its schemes' apps, the apps it embeds): read on every core
    // first (Provenance: 140 project files, 25 MB).
    for (p, project) in found.projects.iter().zip(crate::fsutil::par_map(&found.projects, |p| read(p))) {
        if let Some(project) = project {
            models.insert(p.clone(), project);
        }
    }

    let mut schemes: Vec<(Scheme, Option<PathBuf>, bool)> = Vec::new();
    for w in &found.workspaces {
        for s in xcode::shared_schemes(w) {
            schemes.push((s, Some(w.clone()), true));
        }
    }
    for p in &found.projects {
        let shared = xcode::shared_schemes(p);
        if shared.is_empty() {
            // As xcodebuild does: one scheme per target, archiving with Release.
            let Some(project) = models.entry(p.clone()).or_insert_with(|| read(p)).as_ref() else {
                notes.push(format!("{}: the project file could not be read, so what its schemes archive is not known", rel(p)));
                continue;
            };
            let release = project.release_configuration(p);
            for t in project.targets(p) {
                schemes.push((
                    Scheme {
                        name: t.name.clone(),
                        file: None,
                        archive_configuration: release.clone(),
                        archived: vec![xcode::BuildRef { blueprint_id: t.id.clone(), blueprint_name: t.name.clone(), buildable_name: String::new(), container: p.clone() }],
                    },
                    workspace_of(p),
                    false,
                ));
            }
        } else {
            for s in shared {
                schemes.push((s, workspace_of(p), true));
            }
        }
    }

    let mut out = Vec::new();
    // Apps another project's app copies into its bundle: (that project, target) -> the host.
    let mut embedded_elsewhere: Vec<((PathBuf, String), String)> = Vec::new();
    for p in &found.projects {
        let Some(project) = models.entry(p.clone()).or_insert_with(|| read(p)).as_ref() else { continue };
        let Some(model) = project.model(p) else { continue };
        for host in project.targets(p).iter().filter(|t| t.product_type.as_deref().is_some_and(|pt| APP_TYPES.contains(&pt))) {
            for (project, target) in model.embedded_from_other_projects(&host.name) {
                embedded_elsewhere.push(((canon(&project), target), host.name.clone()));
            }
        }
    }
    let mut embedded_apps: std::collections::HashMap<PathBuf, Vec<(String, String)>> = std::collections::HashMap::new();
    // (the embedded app, the app that embeds it, the schemes that archive it)
    let mut embedded_notes: Vec<(String, String, Vec<String>)> = Vec::new();
    let mut absent: Vec<PathBuf> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    for (scheme, workspace, shared) in schemes {
        // The application target among what the archive builds.
        let mut app = None;
        for r in &scheme.archived {
            let doc = models.entry(r.container.clone()).or_insert_with(|| read(&r.container));
            let Some(doc) = doc.as_ref() else {
                // Projects of git submodules not checked out (iAPS's workspace schemes build
                // twelve): named together, once.
                if !r.container.exists() {
                    // CocoaPods' and npm's projects are made by their installs, said by the
                    // checks that need them.
                    let installed = r.container.components().any(|c| c.as_os_str() == "Pods" || c.as_os_str() == "node_modules");
                    if !installed && !absent.contains(&r.container) {
                        absent.push(r.container.clone());
                    }
                    continue;
                }
                // A scheme of a local Swift package (Food Truck's `container:FoodTruckKit`, a
                // folder with its Package.swift) builds the package's products, not an app.
                if r.container.join("Package.swift").is_file() {
                    continue;
                }
                // Raivo's project.pbxproj holds a merge conflict: its schemes' apps are unknown.
                let note = format!("{}: the project file could not be read, so what its schemes archive is not known", rel(&r.container));
                if !notes.contains(&note) {
                    notes.push(note);
                }
                continue;
            };
            let target = doc.targets(&r.container).iter().find(|t| t.id == r.blueprint_id || (t.name == r.blueprint_name && !r.blueprint_name.is_empty()));
            if let Some(t) = target.filter(|t| t.product_type.as_deref().is_some_and(|pt| APP_TYPES.contains(&pt))) {
                app = Some((r.container.clone(), t.name.clone(), doc.platform(&r.container, &t.name)));
                break;
            }
        }
        let Some((project, target, model_platform)) = app else { continue };
        // A helper or launcher app another app embeds ships inside it, not on its own.
        let hosts = embedded_apps.entry(project.clone()).or_insert_with(|| {
            let Some(read) = models.get(&project).and_then(|d| d.as_ref()) else { return vec![] };
            let Some(model) = read.model(&project) else { return vec![] };
            read.targets(&project)
                .iter()
                .filter(|t| t.product_type.as_deref().is_some_and(|pt| APP_TYPES.contains(&pt)))
                .flat_map(|host| model.embedded_targets(&host.name).into_iter().map(move |e| (e.target.name, host.name.clone())))
                .collect()
        });
        let from_elsewhere = embedded_elsewhere.iter().find(|((p, t), _)| *t == target && *p == canon(&project)).map(|(_, host)| (target.clone(), host.clone()));
        if let Some((_, host)) = hosts.iter().find(|(embedded, _)| *embedded == target).cloned().or(from_elsewhere) {
            // Several schemes of one embedded app (a watch app's complication, notification and
            // widget schemes) are said once.
            match embedded_notes.iter_mut().find(|(t, h, _)| *t == target && *h == host) {
                Some((_, _, schemes)) => schemes.push(scheme.name.clone()),
                None => embedded_notes.push((target.clone(), host.clone(), vec![scheme.name.clone()])),
            }
            continue;
        }
        // An extension's scheme archives its host app too, but it is not the app's scheme.
        // CocoaPods' aggregate target listed first (Amethyst's `Pods-Amethyst`) is not a host.
        // Nor is a framework the scheme lists before the app (OpenEmu's OpenEmuBase): only an
        // extension first makes it the extension's scheme.
        let product_type = |r: &xcode::BuildRef| -> Option<String> {
            let read = models.get(&r.container)?.as_ref()?;
            read.targets(&r.container).iter().find(|t| t.id == r.blueprint_id || (t.name == r.blueprint_name && !r.blueprint_name.is_empty()))?.product_type.clone()
        };
        let first_built = scheme.archived.iter().find(|r| !r.blueprint_name.starts_with("Pods-") && !r.blueprint_name.starts_with("Pods_"));
        let leads_with_extension =
            first_built.is_some_and(|r| r.blueprint_name != target && product_type(r).is_some_and(|pt| pt.contains("extension") || pt.contains("watchkit") || pt.contains("watchapp")));
        let project_rel = project.strip_prefix(root).unwrap_or(&project).to_path_buf();
        let first_guess = model_platform.as_deref().and_then(|p| match p {
            "ios" => Some(Platform::Ios),
            "macos" => Some(Platform::Macos),
            other => Platform::from_sdk(other),
        });
        let first_built = first_built.map(|r| r.blueprint_name.clone());
        pending.push(Pending { scheme, workspace, shared, project, target, model_platform, leads_with_extension, first_built, project_rel, first_guess, notes_at: notes.len() });
    }
    // Each candidate's settings, resolved on every core (Provenance: a scheme for each of many
    // apps), then judged in the schemes' order; a note goes where the loop above was.
    let probed = crate::fsutil::par_map(&pending, |p| probe(root, &p.project_rel, &p.scheme.name, &p.target, p.first_guess.unwrap_or(Platform::Ios), &p.scheme.archive_configuration));
    let mut inserted = 0;
    for (p, settings) in pending.into_iter().zip(probed) {
        let Pending { scheme, workspace, shared, project, target, model_platform, leads_with_extension, first_built, project_rel, first_guess, notes_at } = p;
        let settings = settings.unwrap_or_else(|| probe(root, &project_rel, &scheme.name, &target, first_guess.unwrap_or(Platform::Ios), &scheme.archive_configuration));
        let platforms = platforms_of(&settings, model_platform.as_deref());
        if platforms.is_empty() {
            notes.insert(notes_at + inserted, format!("Scheme {} archives {target}, for a platform Shipdeck does not ship ({})", scheme.name, settings.value("SDKROOT").unwrap_or("?")));
            inserted += 1;
            continue;
        }
        let mut score = 0i64;
        let mut reasons = Vec::new();
        let mut named_by: Vec<(&str, bool)> = Vec::new();
        let mut shipped_by_script = false;
        for (_, f, ships) in scripted.iter().filter(|(s, f, _)| *s == scheme.name && script_applies(Path::new(f), &project_rel)) {
            shipped_by_script |= *ships;
            match named_by.iter_mut().find(|(g, _)| *g == f.as_str()) {
                Some((_, s)) => *s |= *ships,
                None => named_by.push((f, *ships)),
            }
        }
        if !named_by.is_empty() {
            // EduGo's scripts build and test `EduGo-Dev` only; its `EduGo` scheme is the release.
            score += if shipped_by_script { 100 } else { 40 };
            reasons.push(format!("named in {}", named_in(&named_by)));
        }
        if let Some((_, weight, why)) = roles.iter().find(|(s, _, _)| *s == scheme.name) {
            score += weight;
            reasons.push(why.clone());
        }
        let mut internal = false;
        if looks_internal(&scheme.name) {
            score -= 50;
            internal = true;
            reasons.push("its name suggests a test, debug or demo scheme".to_string());
        }
        if let Some(folder) = in_sample_folder(&project_rel) {
            score -= 50;
            internal = true;
            reasons.push(format!("its project lies in {folder}/, a folder of samples or test apps"));
        }
        if leads_with_extension {
            score -= 30;
            reasons.push(format!("it builds {} first, and the app {target} only as its host", first_built.as_deref().unwrap_or("?")));
        }
        // Among a team's schemes of one app, the one its name calls production (SwissCovid's
        // workflow archives Release-Dev, Release-Abnahme and Release-Prod alike).
        if !internal && words(&scheme.name).iter().any(|w| ["prod", "production", "appstore"].contains(&w.as_str())) {
            score += 15;
            reasons.push("its name says production".to_string());
        }
        if scheme.name == target {
            score += 10;
            reasons.push(format!("it is named after the app target {target}"));
        } else {
            reasons.push(format!("it archives the app target {target}"));
        }
        if project.file_stem().is_some_and(|s| s.to_string_lossy() == scheme.name) {
            score += 5;
        }
        if shared {
            score += 3;
        } else {
            reasons.push("no shared scheme: xcodebuild creates this one from the target".to_string());
        }
        if scheme.archive_configuration.to_ascii_lowercase().contains("debug") {
            score -= 20;
        }
        out.push(Candidate { workspace: workspace.map(|w| w.strip_prefix(root).unwrap_or(&w).to_path_buf()), project: project_rel, target, platforms, score, reasons, scheme, internal });
    }
    match absent.as_slice() {
        [] => {}
        [one] => notes.push(format!("{} is not here, so what its schemes archive is not known", rel(one))),
        many => {
            let names: Vec<String> = many.iter().map(|p| p.file_stem().unwrap_or_default().to_string_lossy().into_owned()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            notes.push(format!("{} projects the schemes build are not here ({}), so what their schemes archive is not known", many.len(), crate::text::and_list(&names)));
        }
    }
    for (target, host, mut schemes) in embedded_notes {
        schemes.sort();
        let names: Vec<&str> = schemes.iter().map(String::as_str).collect();
        notes.push(match names.as_slice() {
            [one] => format!("Scheme {one} archives {target}, which the app {host} embeds: it ships inside {host}"),
            _ => format!("Schemes {} archive {target}, which the app {host} embeds: it ships inside {host}", crate::text::and_list(&names)),
        });
    }
    // An app whose project lies in a Swift package's folder is the package's own demo or
    // inspector (element-x-ios's compound-ios/Inspector), not the repository's release, when the
    // repository has an app outside any package.
    for (target, pkg) in set_aside(&mut out, |c| package_of(root, &root.join(&c.project)).map(|pkg| (c.target.clone(), pkg))) {
        notes.push(format!("The app {target} lies in the Swift package {}: taken as the package's own app, not a release", rel(&pkg)));
    }
    // A Cordova app's project made in platforms/ios is the release; a project of the same name
    // elsewhere is the template its setup copies there (Outline's src/cordova/apple/xcode).
    let made: Vec<PathBuf> = found
        .platform_apps
        .iter()
        .filter_map(|c| c.parent())
        .flat_map(|d| found.projects.iter().filter(move |p| p.parent() == Some(&d.join("platforms/ios"))))
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
        .collect();
    let template_of = |c: &Candidate| made.iter().find(|m| **m != c.project && m.file_name() == c.project.file_name()).map(|m| (c.project.clone(), m.clone()));
    for (template, made) in set_aside(&mut out, template_of) {
        notes.push(format!("{} is the template of {}, which Cordova made: not a release of its own", template.display(), made.display()));
    }
    // Best first; ties by name so the choice is stable.
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.scheme.name.cmp(&b.scheme.name)));
    (out, notes)
}

/// Removes the candidates `reason` sets aside (an app of a Swift package, a Cordova template),
/// when one is left that it does not (the repository's own app stays whatever it is): what was
/// set aside, each key once.
fn set_aside<K: PartialEq, V>(out: &mut Vec<Candidate>, reason: impl Fn(&Candidate) -> Option<(K, V)>) -> Vec<(K, V)> {
    if !out.iter().any(|c| reason(c).is_none()) {
        return vec![];
    }
    let mut aside: Vec<(K, V)> = Vec::new();
    out.retain(|c| match reason(c) {
        Some((key, value)) => {
            if !aside.iter().any(|(k, _)| *k == key) {
                aside.push((key, value));
            }
            false
        }
        None => true,
    });
    aside
}

/// `$(CFBundleIdentifier)`, `$(PRODUCT_BUNDLE_IDENTIFIER)`, `$(TeamIdentifierPrefix)` and other
/// settings in an entitlements or Info.plist value, as Xcode resolves them for the target.
pub fn resolve_value(value: &str, settings: &crate::settings::Settings) -> String {
    let team = settings.value("DEVELOPMENT_TEAM").map(|t| format!("{t}.")).unwrap_or_default();
    let bundle = settings.value("PRODUCT_BUNDLE_IDENTIFIER").unwrap_or("").to_string();
    let v = value.replace("$(TeamIdentifierPrefix)", &team).replace("$(AppIdentifierPrefix)", &team).replace("$(CFBundleIdentifier)", &bundle);
    settings.expand(&v)
}

/// The CloudKit containers an entitlements file names, resolved with the target's settings.
pub fn cloudkit_containers(entitlements: &Path, settings: &crate::settings::Settings) -> Vec<String> {
    let Ok(v) = plist::Value::from_file(entitlements) else { return vec![] };
    let Some(d) = v.as_dictionary() else { return vec![] };
    let uses_cloudkit = d.get("com.apple.developer.icloud-services").and_then(|s| s.as_array()).is_some_and(|a| a.iter().any(|s| s.as_string() == Some("CloudKit")))
        || d.get("com.apple.developer.icloud-services").and_then(|s| s.as_string()) == Some("*");
    if !uses_cloudkit {
        return vec![];
    }
    d.get("com.apple.developer.icloud-container-identifiers")
        .and_then(|a| a.as_array())
        .map(|a| a.iter().filter_map(|s| s.as_string()).map(|s| resolve_value(s, settings)).collect())
        .unwrap_or_default()
}

/// The schema a deploy imports: not a saved baseline or backup (moolah keeps
/// `schema-prod-baseline.ckdb` beside `schema.ckdb`), the shallowest first.
fn pick_schema(schemas: &[PathBuf]) -> Option<&PathBuf> {
    let aside = |p: &PathBuf| {
        let n = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        ["baseline", "backup", "prod", "old", "snapshot"].iter().any(|w| n.contains(w))
    };
    schemas.iter().min_by_key(|p| (aside(p), p.components().count()))
}

/// `iCloud.…` ids written in a project generator's spec (XcodeGen's entitlements properties,
/// Tuist's Project.swift), and the team it sets (`DEVELOPMENT_TEAM: UTQFCBPQRF`).
fn spec_facts(spec: &Path) -> (Vec<String>, Option<String>) {
    let Ok(text) = std::fs::read_to_string(spec) else { return (vec![], None) };
    let mut ids: Vec<String> = Vec::new();
    let mut team = None;
    for (_, line) in release_lines_of_spec(&text) {
        let (found, t) = spec_line_facts(line);
        for id in found {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        team = team.or(t);
    }
    (ids, team)
}

/// One line of a spec: its `iCloud.…` ids and the team it sets, comments skipped.
fn spec_line_facts(line: &str) -> (Vec<String>, Option<String>) {
    let l = line.trim_start();
    if l.starts_with('#') || l.starts_with("//") {
        return (vec![], None);
    }
    let mut ids = Vec::new();
    for (at, _) in line.match_indices("iCloud.") {
        if line[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let rest = &line[at..];
        let id = rest[..rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')).unwrap_or(rest.len())].trim_end_matches('.');
        if id.len() > "iCloud.".len() {
            ids.push(id.to_string());
        }
    }
    let team = line.split_once("DEVELOPMENT_TEAM").and_then(|(_, after)| after.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| crate::workspace::is_team_id(w)).map(String::from));
    (ids, team)
}

/// For a project that is generated and not here yet: the CloudKit container its entitlements
/// files (or its spec) name, the schema, and the spec's team. Dispatch (XcodeGen) names
/// `iCloud.…` in App/Dispatch.entitlements and keeps CloudKit/schema.ckdb.
fn generated_cloudkit(tree: &crate::tree::Tree, found: &Found) -> Option<(CloudKitConfig, Option<String>, String)> {
    let root = tree.root();
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let no_settings = crate::settings::Settings::default();
    let mut named: Vec<(String, PathBuf)> = Vec::new();
    for e in non_test_entitlements(tree) {
        for c in cloudkit_containers(&e, &no_settings).into_iter().filter(|c| !c.contains('$')) {
            named.push((c, e.clone()));
        }
    }
    let mut team = None;
    for g in &found.generators {
        let (ids, t) = spec_facts(g);
        team = team.or(t);
        named.extend(ids.into_iter().map(|id| (id, g.clone())));
    }
    // The id named most often; the first file that names it says where it came from.
    let count = |id: &str| named.iter().filter(|(c, _)| c == id).count();
    let (container, from) = named.iter().min_by_key(|(c, _)| std::cmp::Reverse(count(c))).cloned()?;
    let schema = pick_schema(&found.schemas).map(|s| rel(s));
    let why = format!(
        "CloudKit container {container}, from {}{}; the CloudKit checks and deploy need no Xcode project{}.",
        rel(&from).display(),
        schema.as_ref().map(|s| format!(", schema {}", s.display())).unwrap_or_default(),
        team.as_ref().map(|t| format!(" (team {t}, from the spec)")).unwrap_or_default()
    );
    Some((CloudKitConfig { container, setting: None, schema }, team, why))
}

/// A configuration built from what Xcode would read, and the reasons for each choice.
pub fn discover(root: &Path) -> (Config, Vec<String>) {
    discover_in(&crate::tree::Tree::read(root))
}

/// [`discover`] through a listing of the repository (the one the workspace keeps).
pub fn discover_in(tree: &crate::tree::Tree) -> (Config, Vec<String>) {
    let root = tree.root();
    let mut guesses = vec![format!("No {CONFIG_FILE}: Shipdeck read the Xcode projects and schemes the way Xcode does.")];
    // (the line without its platforms, where it is in `guesses`, the platforms it is for)
    let mut release_lines: Vec<(String, usize, Vec<&str>)> = Vec::new();
    let mut config = Config::default();
    let mut found = walk_all(tree);
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();

    // A Cordova app's projects here are not the release until Cordova makes its own (Outline's
    // template project names CordovaLib beside it, which Cordova puts in platforms/ios).
    if let Some(app) = unmade_platform_app(&found) {
        let dir = app.config.parent().map(|d| rel(d).join("platforms/ios")).unwrap_or_default();
        let maker = platform_maker(&app.config).unwrap_or("Cordova");
        guesses.push(format!(
            "{maker} app: {} describes it, and {maker} makes its Xcode project in {} ({}), not here yet. Make it first, then check again.",
            rel(&app.config).display(),
            dir.display(),
            generate_command(&app.config)
        ));
        if let Some((workspace, project)) = &app.opened {
            guesses.push(format!("{} opens {}, which {maker} makes: the projects here are what it is made from, not the release", rel(workspace).display(), rel(project).display()));
        }
        return (config, guesses);
    }

    if nothing_to_open(&found) {
        order_generators(root, &mut found.generators);
        match found.generators.first() {
            Some(g) => {
                guesses.push(format!("Generated project: {} describes it, and no .xcodeproj is here yet. Generate it first ({}), then check again.", rel(g).display(), generate_command(g)));
                // A CloudKit deploy needs no Xcode project: the container, the team and the schema.
                if let Some((cloudkit, team, why)) = generated_cloudkit(tree, &found) {
                    guesses.push(why);
                    config.cloudkit = Some(cloudkit);
                    config.app.team_id = team;
                }
            }
            None => guesses.push("No Xcode project or workspace in this folder.".into()),
        }
        return (config, guesses);
    }

    let scripts: Vec<(&PathBuf, String)> = found.scripts.iter().filter_map(|f| std::fs::read_to_string(f).ok().map(|t| (f, t))).collect();
    let (candidates, notes) = candidates(root, &found, &scripts);
    guesses.extend(notes);
    let mut taken: Vec<Platform> = Vec::new();
    let mut configurations: Vec<String> = Vec::new();
    // A platform only a test, demo or sample app builds for is not a release when the
    // repository has a real app (Rainbow's charts library keeps a tvOS example app).
    let has_real_app = candidates.iter().any(|c| !c.internal);
    let mut samples_only: Vec<(Platform, String)> = Vec::new();
    // Each release target's bundle id, as `config.targets` is filled.
    let mut bundle_ids: Vec<Option<String>> = Vec::new();
    for c in &candidates {
        for &platform in &c.platforms {
            if taken.contains(&platform) {
                continue;
            }
            // Only where no real app builds for the platform: among a platform's own
            // candidates the ranking decides (a dev scheme a release lane archives may win).
            let real_here = candidates.iter().any(|o| !o.internal && o.platforms.contains(&platform));
            if c.internal && has_real_app && !real_here {
                if !samples_only.iter().any(|(p, _)| *p == platform) {
                    samples_only.push((platform, c.target.clone()));
                }
                continue;
            }
            taken.push(platform);
            let (archive_configuration, configuration_note) = release_configuration(root, &scripts, c);
            guesses.extend(configuration_note);
            let settings = probe(root, &c.project, &c.scheme.name, &c.target, platform, &archive_configuration);
            let project_dir = root.join(&c.project).parent().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
            let file_setting = |key: &str| -> Option<PathBuf> {
                let abs = crate::fsutil::in_folder(&project_dir, settings.value(key)?);
                abs.is_file().then(|| rel(&abs))
            };
            let entitlements = file_setting("CODE_SIGN_ENTITLEMENTS");
            let info_plist = file_setting("INFOPLIST_FILE");
            let generated_plist = settings.value("GENERATE_INFOPLIST_FILE") == Some("YES");
            // Other apps the repository archives for this platform; test, demo and sample apps
            // only counted (ProtonVPN has nine sample apps).
            let rivals: Vec<&Candidate> = candidates.iter().filter(|o| o.platforms.contains(&platform) && o.target != c.target).collect();
            let mut others: Vec<String> = rivals.iter().filter(|o| !o.internal).map(|o| o.scheme.name.clone()).collect();
            others.dedup();
            let mut samples: Vec<&str> = rivals.iter().filter(|o| o.internal).map(|o| o.target.as_str()).collect();
            samples.dedup();
            let samples = match samples.len() {
                0 => String::new(),
                1 => "1 test, demo or sample app".to_string(),
                n => format!("{n} test, demo or sample apps"),
            };
            // Five at most, then how many more (Provenance's iOS app has eleven rival schemes).
            let others = match others.len() {
                n if n > 6 => format!("{} and {} more", others[..5].join(", "), n - 5),
                _ => others.join(", "),
            };
            let rest = format!(
                "scheme \"{}\" ({}), archive configuration {}, target {}, {}{}{}",
                c.scheme.name,
                c.reasons.join("; "),
                archive_configuration,
                c.target,
                match &c.workspace {
                    Some(w) => format!("built in workspace {}", w.display()),
                    None => format!("project {}", c.project.display()),
                },
                match (&info_plist, generated_plist) {
                    (Some(p), _) => format!(", Info.plist {}", p.display()),
                    (None, true) => ", Info.plist generated by Xcode (GENERATE_INFOPLIST_FILE)".to_string(),
                    (None, false) => String::new(),
                },
                match (others.is_empty(), samples.is_empty()) {
                    (true, true) => String::new(),
                    (false, true) => format!("; also archives an app: {others}"),
                    (true, false) => format!("; the repository also has {samples}"),
                    (false, false) => format!("; also archives an app: {others} (and {samples})"),
                },
            );
            // One scheme archived for several platforms is one line naming them all.
            match release_lines.iter_mut().find(|(r, _, _)| *r == rest) {
                Some((_, at, platforms)) => {
                    platforms.push(platform.display());
                    guesses[*at] = format!("{} release: {rest}", crate::text::and_list(platforms));
                }
                None => {
                    release_lines.push((rest.clone(), guesses.len(), vec![platform.display()]));
                    guesses.push(format!("{} release: {rest}", platform.display()));
                }
            }
            if config.cloudkit.is_none() {
                if let Some(e) = &entitlements {
                    if let Some(container) = cloudkit_containers(&root.join(e), &settings).into_iter().next() {
                        guesses.push(format!("CloudKit container {container}, from {}", e.display()));
                        config.cloudkit = Some(CloudKitConfig { container, setting: None, schema: pick_schema(&found.schemas).map(|s| rel(s)) });
                    }
                }
            }
            if !configurations.contains(&archive_configuration) {
                configurations.push(archive_configuration);
            }
            bundle_ids.push(settings.value("PRODUCT_BUNDLE_IDENTIFIER").map(str::to_string));
            config.targets.push(TargetConfig {
                platform,
                project: c.project.clone(),
                workspace: c.workspace.clone(),
                scheme: c.scheme.name.clone(),
                target: (c.target != c.scheme.name).then(|| c.target.clone()),
                entitlements,
                info_plist,
                export_options: None,
            });
        }
    }
    // A target still carrying its template's bundle id beside an app with its own (React
    // Native's template made an `app-tvOS` target, `org.reactjs.native.example.app-tvOS`, that
    // skolplattformen never shipped): the template's leftover, not a release.
    let placeholder = |id: &Option<String>| id.as_deref().is_some_and(crate::text::is_placeholder_bundle_id);
    if bundle_ids.iter().any(placeholder) && bundle_ids.iter().any(|id| id.is_some() && !placeholder(id)) {
        let mut kept = Vec::new();
        let mut dropped: Vec<(TargetConfig, String)> = Vec::new();
        for (t, id) in std::mem::take(&mut config.targets).into_iter().zip(&bundle_ids) {
            match id.as_deref().filter(|id| crate::text::is_placeholder_bundle_id(id)) {
                Some(id) => dropped.push((t, id.to_string())),
                None => kept.push(t),
            }
        }
        config.targets = kept;
        for (t, id) in &dropped {
            if !config.targets.iter().any(|k| k.scheme == t.scheme) {
                guesses.retain(|g| !(g.contains(" release: scheme ") && g.contains(&format!("scheme \"{}\"", t.scheme))));
            }
            guesses.push(format!(
                "{} target {} keeps a template's bundle id, {id}: taken as the template's leftover, not a release (name it in {CONFIG_FILE} to release it)",
                t.platform.display(),
                t.target_name()
            ));
        }
    }
    // Each release's ExportOptions, among the files nearest its own project (ente's monorepo:
    // an app's scripts folder is not another app's).
    let projects: Vec<PathBuf> = config.targets.iter().map(|t| root.join(&t.project)).collect();
    let shared = |f: &Path, project: &Path| f.components().zip(project.parent().unwrap_or(project).components()).take_while(|(a, b)| a == b).count();
    for (i, t) in config.targets.iter_mut().enumerate() {
        let mine: Vec<PathBuf> = found.export_options.iter().filter(|f| projects.iter().all(|p| shared(f, p) <= shared(f, &projects[i]))).cloned().collect();
        t.export_options = release_export_options(&mine, t.platform).map(|e| rel(e));
    }
    // A library's repository (Pulse): its only apps are its demos.
    if !has_real_app && !config.targets.is_empty() {
        guesses.push("Every app here looks like a test, demo or sample app (a library's repository?): the releases above are among them; check them before a real release".into());
    }
    for (platform, target) in samples_only.iter().filter(|(p, _)| !taken.contains(p)) {
        guesses.push(format!("The only {} app, {target}, is a test, demo or sample app: not a release", platform.display()));
    }
    // A .NET iOS app: what Xcode archives here is built into it (bitwarden/mobile's watch app).
    if let Some((csproj, framework)) = dotnet_app_of(&found.csprojs) {
        let dropped: Vec<String> = config.targets.iter().filter(|t| matches!(t.platform, Platform::Ios | Platform::Catalyst)).map(|t| t.scheme.clone()).collect();
        config.targets.retain(|t| !matches!(t.platform, Platform::Ios | Platform::Catalyst));
        // Nor said as a release.
        guesses.retain(|g| !(g.contains(" release: scheme ") && dropped.iter().any(|d| g.contains(&format!("scheme \"{d}\"")))));
        guesses.push(format!(
            "{DOTNET_GUESS} ({}, {framework}), not archived by Xcode{}",
            rel(&csproj).display(),
            if dropped.is_empty() { String::new() } else { format!(": scheme {} builds part of it, not a release", dropped.join(", ")) }
        ));
    } else if config.targets.is_empty() && !guesses.iter().any(|g| g.contains("the project file could not be read")) {
        guesses.push(match watch_only_app(&found.projects) {
            Some((project, container)) => format!("{} holds a watch-only app ({container}, the iOS container of a watchOS app): {WATCH_ONLY}", rel(&project).display()),
            None => "No scheme archives an application (only frameworks, tests or tools).".into(),
        });
    }
    if let Some(first) = configurations.first() {
        config.configuration = Some(first.clone());
        if configurations.len() > 1 {
            guesses.push(format!("The schemes archive with different configurations ({}); {first} is checked", configurations.join(", ")));
        }
    }
    // A Production.xcconfig is the release's when the release configuration is named Production,
    // or when the release configuration is based on it (EduGo's Release is based on
    // Configs/Production.xcconfig).
    let release_base = |p: &Path| {
        let Some(release) = config.configuration.as_deref() else { return false };
        config.targets.iter().any(|t| {
            let xcodeproj = root.join(&t.project);
            let Ok(doc) = crate::pbxproj::Document::read_shared(&xcodeproj.join("project.pbxproj")) else { return false };
            let Ok(model) = crate::pbxproj::Project::new(&doc, &xcodeproj) else { return false };
            let lists = [model.project_configurations(), model.target(t.target_name()).map(|t| t.configurations)];
            lists.into_iter().flatten().flat_map(|l| l.configurations).any(|c| c.name == release && c.base_xcconfig.as_deref().is_some_and(|b| crate::fsutil::same_file(b, p)))
        })
    };
    let production = if config.configuration.as_deref() == Some("Production") { found.production_xcconfigs.first() } else { found.production_xcconfigs.iter().find(|p| release_base(p)) };
    if let Some(p) = production {
        guesses.push(format!("Production xcconfig: {}", rel(p).display()));
        config.production_xcconfig = Some(rel(p));
    }
    if config.cloudkit.is_none() {
        if let Some(schema) = pick_schema(&found.schemas) {
            guesses.push(format!("CloudKit schema {} (no container named in the app's entitlements)", rel(schema).display()));
        }
    }
    (config, guesses)
}

/// The configuration a release of candidate `c` archives with: its scheme's, unless that one
/// looks like a test or nightly build's and the team's scripts name another configuration of the
/// project that does not (anytype-swift: the scheme archives `Release-Nightly`; its App Store
/// lane passes `Release-Anytype`, set in `fastlane/.env`). With the note that says so.
fn release_configuration(root: &Path, scripts: &Scripts, c: &Candidate) -> (String, Option<String>) {
    let archive = &c.scheme.archive_configuration;
    if !looks_internal(archive) {
        return (archive.clone(), None);
    }
    let xcodeproj = root.join(&c.project);
    let Ok(doc) = crate::pbxproj::Document::read(&xcodeproj.join("project.pbxproj")) else { return (archive.clone(), None) };
    let Ok(model) = crate::pbxproj::Project::new(&doc, &xcodeproj) else { return (archive.clone(), None) };
    let names: Vec<String> = model.project_configurations().map(|l| l.configurations.into_iter().map(|c| c.name).collect()).unwrap_or_default();
    // The scripts (already read), and fastlane's .env files beside a Fastfile (where lanes keep
    // such names).
    let mut env: Vec<PathBuf> = Vec::new();
    for dir in scripts.iter().filter(|(p, _)| p.file_name().is_some_and(|n| n == "Fastfile")).filter_map(|(p, _)| p.parent()) {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".env"))).collect();
            files.sort();
            env.extend(files);
        }
    }
    let env_texts: Vec<(PathBuf, String)> = env.into_iter().filter_map(|f| std::fs::read_to_string(&f).ok().map(|t| (f, t))).collect();
    let texts: Vec<(&Path, &str)> = scripts.iter().map(|(f, t)| (f.as_path(), t.as_str())).chain(env_texts.iter().map(|(f, t)| (f.as_path(), t.as_str()))).collect();
    // The name as a word of its own: quoted, after `=` or `-configuration `, not inside another.
    let named_in = |name: &str| {
        texts.iter().find(|(_, t)| {
            t.match_indices(name).any(|(i, _)| {
                let before = t[..i].chars().next_back();
                let after = t[i + name.len()..].chars().next();
                let edge = |ch: Option<char>| ch.is_none_or(|ch| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'));
                edge(before) && edge(after)
            })
        })
    };
    for name in names.iter().filter(|n| *n != archive && !looks_internal(n)) {
        if let Some((file, _)) = named_in(name) {
            let file = file.strip_prefix(root).unwrap_or(file).display().to_string();
            return (name.clone(), Some(format!("Scheme {} archives with {archive}, a test or nightly build's configuration; {name}, named in {file}, is taken for the release", c.scheme.name)));
        }
    }
    (archive.clone(), None)
}

/// The archive configuration of a target's scheme (shared in its workspace or project), as
/// `xcodebuild archive` would use it without `-configuration`: `Release` when it cannot tell.
pub fn archive_configuration(root: &Path, t: &TargetConfig) -> String {
    let mut containers: Vec<PathBuf> = t.workspace.iter().map(|w| root.join(w)).collect();
    containers.push(root.join(&t.project));
    for c in containers {
        let base = c.parent().unwrap_or(root).to_path_buf();
        if let Some(s) = xcode::read_scheme(&c.join("xcshareddata/xcschemes").join(format!("{}.xcscheme", t.scheme)), &base) {
            return s.archive_configuration;
        }
    }
    "Release".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ChatSecure: its Fastfile names `ChatSecureUITests` only in `capture_screenshots`, and
    /// uploads in another lane; the app's own scheme `ChatSecure` is the release, not the UI-test
    /// scheme that archives the app too.
    #[test]
    fn a_scheme_a_fastfile_only_screenshots_is_not_its_release() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "Chat", &[("SDKROOT", "iphoneos")], &[T("Chat", APP, &[])]);
        scheme(&xp, "Chat", "Release", "Chat.xcodeproj", &["Chat"]);
        scheme(&xp, "ChatUITests", "Release", "Chat.xcodeproj", &["Chat"]);
        std::fs::create_dir_all(root.join("fastlane")).unwrap();
        std::fs::write(
            root.join("fastlane/Fastfile"),
            "lane :screenshots do\n  capture_screenshots(workspace: \"Chat.xcworkspace\", scheme: \"ChatUITests\")\nend\nlane :beta do\n  upload_to_testflight\nend\n",
        )
        .unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.targets[0].scheme, "Chat", "{guesses:#?}");
    }

    /// skolplattformen (React Native): the template's `app-tvOS` target keeps
    /// `org.reactjs.native.example.app-tvOS` beside the iOS app's own id: not a release. Alone,
    /// such a target is still the release (its check says the id is a placeholder).
    #[test]
    fn a_target_with_its_templates_bundle_id_beside_a_real_app_is_not_a_release() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        project(
            root,
            "app",
            &[],
            &[
                T("app", APP, &[("SDKROOT", "iphoneos"), ("PRODUCT_BUNDLE_IDENTIFIER", "se.kolplattformen.app")]),
                T("app-tvOS", APP, &[("SDKROOT", "appletvos"), ("PRODUCT_BUNDLE_IDENTIFIER", "org.reactjs.native.example.app-tvOS")]),
            ],
        );
        let (config, guesses) = discover(root);
        let platforms: Vec<Platform> = config.targets.iter().map(|t| t.platform).collect();
        assert_eq!(platforms, [Platform::Ios], "{guesses:#?}");
        assert!(
            guesses.iter().any(|g| g
                == "tvOS target app-tvOS keeps a template's bundle id, org.reactjs.native.example.app-tvOS: taken as the template's leftover, not a release (name it in shipdeck.toml to release it)"),
            "{guesses:#?}"
        );
        assert!(!guesses.iter().any(|g| g.starts_with("tvOS release")), "{guesses:#?}");

        let alone = tempfile::tempdir().unwrap();
        project(alone.path(), "tv", &[], &[T("tv", APP, &[("SDKROOT", "appletvos"), ("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tv")])]);
        let (config, _) = discover(alone.path());
        assert_eq!(config.targets.len(), 1);
    }

    /// SwissCovid: its App Store workflow archives Release-Dev, Release-Abnahme (German:
    /// acceptance) and Release-Prod alike; the production one is the release.
    #[test]
    fn among_schemes_a_workflow_archives_alike_the_production_one_is_the_release() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        for name in ["Release-Dev", "Release-Abnahme", "Release-Prod"] {
            scheme(&xp, name, "Release", "App.xcodeproj", &["App"]);
        }
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        let jobs: String = ["Release-Dev", "Release-Abnahme", "Release-Prod"].iter().map(|s| format!("      - run: xcodebuild archive -scheme {s}\n")).collect();
        std::fs::write(root.join(".github/workflows/distribute.yml"), format!("name: appstore\njobs:\n  build:\n    steps:\n{jobs}")).unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.targets[0].scheme, "Release-Prod", "{guesses:#?}");
        assert!(guesses.iter().any(|g| g.contains("its name says production")), "{guesses:#?}");
    }

    #[test]
    fn a_scheme_named_in_many_scripts_names_three_those_that_ship_first() {
        assert_eq!(named_in(&[("a.sh", false), ("b.sh", false)]), "a.sh, b.sh");
        let many = [("build.sh", false), ("test.sh", false), ("archive-beta.sh", true), ("launch.sh", false), ("xctest.sh", false)];
        assert_eq!(named_in(&many), "archive-beta.sh, build.sh and 3 more");
    }

    #[test]
    fn internal_names() {
        for n in ["AppTests", "App-Dev", "App Debug", "Demo", "App (Staging)", "Snapshot Tests", "Pocket Casts Prototype Build", "App Enterprise", "App-AdHoc", "RadarCovid Pre", "App-UAT"] {
            assert!(looks_internal(n), "{n}");
        }
        for n in ["NetNewsWire", "Ice Cubes", "Stats", "Devices", "Food Truck", "Developer Tools", "ProtonVPN-macOS", "Sampler", "RadarCovid Pro", "Prelude", "Stagehand"] {
            assert!(!looks_internal(n), "{n}");
        }
        assert!(looks_internal("BugReportSampleMacOSApp"));
        assert!(looks_internal("CoronaContact (Development)") && looks_internal("CoronaContact (Stage)") && !looks_internal("CoronaContact (Production)"));
        assert!(!looks_internal("DeveloperTools"));
        assert!(script_applies(Path::new("ios/fastlane/Fastfile"), Path::new("ios/Runner.xcodeproj")));
        assert!(!script_applies(Path::new("packages/app/ios/fastlane/Fastfile"), Path::new("packages/app/macos/Runner.xcodeproj")));
        assert!(script_applies(Path::new("fastlane/Fastfile"), Path::new("macos/Runner.xcodeproj")));
        // fastlane's hidden folder (Overamped's `.fastlane/Fastfile`) speaks the same way.
        assert!(script_applies(Path::new("ios/.fastlane/Fastfile"), Path::new("ios/Runner.xcodeproj")));
        assert!(!script_applies(Path::new("ios/.fastlane/Fastfile"), Path::new("macos/Runner.xcodeproj")));
        assert!(script_applies(Path::new(".github/workflows/release.yml"), Path::new("macos/Runner.xcodeproj")));
        for n in ["Release-Abnahme", "Release-Prod-Calibration", "Release-Prod-Logging"] {
            assert!(looks_internal(n), "{n}");
        }
        assert!(!looks_internal("Release-Prod"));
        assert_eq!(words("BugReportSampleMacOSApp"), ["bug", "report", "sample", "mac", "osapp"]);
        assert_eq!(in_sample_folder(Path::new("sampleapps/Bug/Bug.xcodeproj")).as_deref(), Some("sampleapps"));
        assert_eq!(in_sample_folder(Path::new("apps/macos/ProtonVPN.xcodeproj")), None);
        assert_eq!(in_sample_folder(Path::new("Examples.xcodeproj")), None);
        assert_eq!(in_sample_folder(Path::new("integration_tests/macos/Runner.xcodeproj")).as_deref(), Some("integration_tests"));
        assert_eq!(in_sample_folder(Path::new("UITests/UITests.xcodeproj")).as_deref(), Some("UITests"));
        assert_eq!(in_sample_folder(Path::new("Sources/AppUITests/Host.xcodeproj")).as_deref(), Some("AppUITests"));
        assert_eq!(in_sample_folder(Path::new("Testing/App.xcodeproj")), None);
    }

    use crate::discover::fixture::{project, project_with, scheme, T};

    use crate::discover::fixture::{APP, EXT, FRAMEWORK, TESTS};

    /// Provenance keeps PPSSPP's CMake build folder, whose Xcode projects CMake wrote (zstd's
    /// `datagen` and `fuzzer` as macOS apps): not apps of the repository, and not the macOS
    /// release the iOS app's repository was given.
    #[test]
    fn the_projects_of_a_cmake_build_folder_are_not_the_repositorys() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        project(root, "Emu", &[("SDKROOT", "iphoneos")], &[T("Emu", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "org.example.emu")])]);
        let build = root.join("Cores/Core/cmake");
        std::fs::create_dir_all(&build).unwrap();
        std::fs::write(build.join("CMakeCache.txt"), "# This is the CMakeCache file.\n").unwrap();
        project(&build.join("ext/zstd"), "tests", &[("SDKROOT", "macosx")], &[T("datagen", APP, &[])]);
        let (config, guesses) = discover(root);
        let platforms: Vec<Platform> = config.targets.iter().map(|t| t.platform).collect();
        assert_eq!(platforms, [Platform::Ios], "{guesses:#?}");
        assert!(!guesses.iter().any(|g| g.contains("datagen")), "{guesses:#?}");
        // Opened itself, the build folder is read.
        let (config, _) = discover(&build.join("ext/zstd"));
        assert_eq!(config.targets.len(), 1);
    }

    #[test]
    fn a_cocoapods_workspace_with_extensions_archives_the_app_scheme_in_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("Shop")).unwrap();
        std::fs::write(root.join("Shop/Shop.entitlements"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>com.apple.developer.icloud-services</key><array><string>CloudKit</string></array><key>com.apple.developer.icloud-container-identifiers</key><array><string>iCloud.$(CFBundleIdentifier)</string></array></dict></plist>\n").unwrap();
        std::fs::write(root.join("Shop/Info.plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict/></plist>\n").unwrap();
        std::fs::create_dir_all(root.join("ShopTests")).unwrap();
        std::fs::write(root.join("ShopTests/Info.plist"), "<plist version=\"1.0\"><dict/></plist>").unwrap();
        let p = project(
            root,
            "Shop",
            &[("SDKROOT", "iphoneos")],
            &[
                T("Shop", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.shop"), ("INFOPLIST_FILE", "Shop/Info.plist"), ("CODE_SIGN_ENTITLEMENTS", "Shop/Shop.entitlements")]),
                T("ShopWidget", EXT, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.shop.widget")]),
                T("ShopTests", TESTS, &[("INFOPLIST_FILE", "ShopTests/Info.plist")]),
            ],
        );
        scheme(&p, "Shop Dev", "Debug", "Shop.xcodeproj", &["Shop"]);
        scheme(&p, "ShopWidget", "Release", "Shop.xcodeproj", &["ShopWidget", "Shop"]);
        // CocoaPods' aggregate target first, as Amethyst's scheme lists it.
        scheme(&p, "Shop App Store", "AppStore", "Shop.xcodeproj", &["Pods-Shop", "Shop"]);
        std::fs::create_dir_all(root.join("Shop.xcworkspace")).unwrap();
        std::fs::write(root.join("Shop.xcworkspace/contents.xcworkspacedata"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n<FileRef location = \"group:Shop.xcodeproj\"></FileRef>\n<FileRef location = \"group:Pods/Pods.xcodeproj\"></FileRef>\n</Workspace>\n").unwrap();
        project(&root.join("Pods"), "Pods", &[("SDKROOT", "iphoneos")], &[T("Pods-Shop", "com.apple.product-type.framework", &[])]);

        let (config, guesses) = discover(root);
        assert_eq!(config.targets.len(), 1, "{guesses:#?}");
        let t = &config.targets[0];
        assert_eq!(t.scheme, "Shop App Store", "{guesses:#?}");
        assert!(guesses.iter().any(|g| g.contains("scheme \"Shop App Store\" (it archives the app target Shop)")), "the pods are not a host: {guesses:#?}");
        assert_eq!(t.platform, Platform::Ios);
        assert_eq!(t.workspace.as_deref(), Some(Path::new("Shop.xcworkspace")));
        assert_eq!(t.target.as_deref(), Some("Shop"));
        assert_eq!(t.info_plist.as_deref(), Some(Path::new("Shop/Info.plist")), "the app's plist, not the tests': {guesses:#?}");
        assert_eq!(config.configuration.as_deref(), Some("AppStore"));
        assert_eq!(config.production_xcconfig, None);
        assert_eq!(config.cloudkit.as_ref().map(|c| c.container.as_str()), Some("iCloud.com.example.shop"), "$(CFBundleIdentifier) resolved");

        // A Fastfile's word beats the name's.
        std::fs::create_dir_all(root.join("fastlane")).unwrap();
        std::fs::write(root.join("fastlane/Fastfile"), "lane :beta do\n  gym(scheme: \"Shop Dev\")\nend\n").unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.targets[0].scheme, "Shop Dev");
        assert_eq!(config.configuration.as_deref(), Some("Debug"));
        // The guess says which file named it, so a person can check.
        assert!(guesses.iter().any(|g| g.contains("scheme \"Shop Dev\" (named in fastlane/Fastfile")), "{guesses:#?}");

        // The workspace's Pods project, there: nothing to say; a fresh clone without it (a
        // Podfile, no `pod install` yet): the archive would fail, said before it starts.
        let missing = |root: &Path| {
            let ws = crate::Workspace::open(root).unwrap();
            let mut findings = Vec::new();
            crate::checks::project::check(&ws, &mut findings);
            findings.into_iter().filter(|f| f.id == "project.workspace.project-missing").collect::<Vec<_>>()
        };
        assert!(missing(root).is_empty());
        std::fs::remove_dir_all(root.join("Pods")).unwrap();
        std::fs::write(root.join("Podfile"), "target 'Shop' do\nend\n").unwrap();
        let found = missing(root);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].severity, crate::finding::Severity::Blocker);
        assert!(found[0].message.contains("Pods/Pods.xcodeproj") && found[0].help.as_deref().unwrap_or("").contains("pod install"), "{:?}", found[0]);
        assert!(found[0].file.as_ref().is_some_and(|f| f.ends_with("Shop.xcworkspace/contents.xcworkspacedata")), "{:?}", found[0]);
        assert_eq!(found[0].help.as_deref(), Some("Run `pod install` in the workspace folder (CI: before Shipdeck's release step)."));
        // A React Native app's pods come from its node_modules: installed first (Mattermost).
        std::fs::write(root.join("package.json"), "{\"dependencies\": {\"react-native\": \"0.76.0\"}}\n").unwrap();
        assert!(missing(root)[0].help.as_deref().unwrap().starts_with("Run `npm install` (or yarn) in the app's folder, then `pod install` in the workspace folder"));
        // Ionic's Capacitor: `cap sync` copies the web app in and installs the pods.
        std::fs::write(root.join("package.json"), "{\"dependencies\": {\"@capacitor/ios\": \"7.0.0\"}}\n").unwrap();
        assert!(missing(root)[0].help.as_deref().unwrap().starts_with("Run `npm install`, build the web app (`npm run build`), then `npx cap sync ios` beside package.json:"));
        // Any Podfile taking pods from node_modules: the packages first.
        std::fs::remove_file(root.join("package.json")).unwrap();
        std::fs::write(root.join("Podfile"), "target 'Shop' do\n  pod 'Kit', :path => '../node_modules/kit'\nend\n").unwrap();
        assert!(missing(root)[0].help.as_deref().unwrap().contains("the Podfile takes pods from node_modules"));
    }

    /// A Tauri app's generated iOS project names its configurations `debug` and `release`, with no
    /// shared scheme (readest): the release archives with `release`, not a `Release` it lacks.
    #[test]
    fn an_unshared_scheme_archives_with_the_project_s_release_in_its_own_case() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App_iOS", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app")])]);
        let file = p.join("project.pbxproj");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            text.replace("name = Debug;", "name = debug;").replace("name = Release;", "name = release;").replace("defaultConfigurationName = Release;", "defaultConfigurationName = release;"),
        )
        .unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.configuration.as_deref(), Some("release"), "{guesses:#?}");
        let ws = crate::Workspace::open(root).unwrap();
        let mut findings = Vec::new();
        crate::checks::project::check(&ws, &mut findings);
        assert!(!findings.iter().any(|f| f.id == "project.configuration.missing"), "{findings:#?}");
        // With both, `Release` as xcodebuild's own scheme names it.
        std::fs::write(&file, text).unwrap();
        assert_eq!(discover(root).0.configuration.as_deref(), Some("Release"));
    }

    #[test]
    fn multiplatform_mac_only_and_unshared_targets_are_read_from_their_settings() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // One SwiftUI target for iPhone, Mac and Vision Pro; its Info.plist generated.
        let p = project(
            root,
            "Trail",
            &[],
            &[T("Trail", APP, &[("SDKROOT", "auto"), ("SUPPORTED_PLATFORMS", "iphoneos iphonesimulator macosx xros xrsimulator"), ("GENERATE_INFOPLIST_FILE", "YES"), ("MARKETING_VERSION", "1.2")])],
        );
        scheme(&p, "Trail", "Release", "Trail.xcodeproj", &["Trail"]);
        let (config, guesses) = discover(root);
        let platforms: Vec<Platform> = config.targets.iter().map(|t| t.platform).collect();
        assert_eq!(platforms, vec![Platform::Ios, Platform::Macos, Platform::Visionos], "{guesses:#?}");
        assert!(config.targets.iter().all(|t| t.info_plist.is_none() && t.scheme == "Trail"));
        assert!(guesses.iter().any(|g| g.contains("generated by Xcode")), "{guesses:#?}");

        // A Mac app with no shared scheme: xcodebuild's own scheme, named after the target.
        let dir = tempfile::tempdir().unwrap();
        project(dir.path(), "Menu", &[("SDKROOT", "macosx")], &[T("MenuBar Helper", APP, &[]), T("MenuBarTests", TESTS, &[])]);
        let (config, guesses) = discover(dir.path());
        assert_eq!(config.targets.len(), 1, "{guesses:#?}");
        assert_eq!((config.targets[0].platform, config.targets[0].scheme.as_str()), (Platform::Macos, "MenuBar Helper"));
        assert_eq!(config.configuration.as_deref(), Some("Release"));
        assert!(guesses.iter().any(|g| g.contains("no shared scheme")), "{guesses:#?}");
        // xcodebuild makes that scheme itself: not a finding against the project.
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let mut findings = Vec::new();
        crate::checks::project::check(&ws, &mut findings);
        assert!(findings.iter().any(|f| f.id == "project.scheme.autocreated"), "{findings:#?}");
        assert!(!findings.iter().any(|f| f.id == "project.scheme.missing"), "{findings:#?}");

        // SDKROOT set nowhere (an xcconfig sets only the deployment target): Xcode builds for macOS.
        let dir = tempfile::tempdir().unwrap();
        project(dir.path(), "Tab", &[], &[T("Tab", APP, &[("MACOSX_DEPLOYMENT_TARGET", "10.13")])]);
        let (config, guesses) = discover(dir.path());
        assert_eq!(config.targets.iter().map(|t| t.platform).collect::<Vec<_>>(), vec![Platform::Macos], "{guesses:#?}");

        // A design-system package's inspector app beside the iOS app (element-x-ios): not a
        // Mac Catalyst release of the repository; alone, it is the release.
        let dir = tempfile::tempdir().unwrap();
        project(dir.path(), "Chat", &[("SDKROOT", "iphoneos")], &[T("Chat", APP, &[])]);
        let kit = dir.path().join("kit-ios");
        std::fs::create_dir_all(kit.join("Inspector")).unwrap();
        std::fs::write(kit.join("Package.swift"), "let package = Package(name: \"Kit\")\n").unwrap();
        project(&kit.join("Inspector"), "Inspector", &[("SDKROOT", "iphoneos")], &[T("Kit Inspector", APP, &[("SUPPORTS_MACCATALYST", "YES")])]);
        let (config, guesses) = discover(dir.path());
        assert_eq!(config.targets.iter().map(|t| (t.platform, t.scheme.as_str())).collect::<Vec<_>>(), [(Platform::Ios, "Chat")], "{guesses:#?}");
        assert!(guesses.iter().any(|g| g == "The app Kit Inspector lies in the Swift package kit-ios: taken as the package's own app, not a release"), "{guesses:#?}");
        std::fs::remove_dir_all(dir.path().join("Chat.xcodeproj")).unwrap();
        let (config, guesses) = discover(dir.path());
        assert_eq!(config.targets.iter().map(|t| t.scheme.as_str()).collect::<Vec<_>>(), ["Kit Inspector", "Kit Inspector"], "{guesses:#?}");

        // An iPad app that also runs on the Mac (Catalyst).
        let dir = tempfile::tempdir().unwrap();
        project(dir.path(), "Pad", &[("SDKROOT", "iphoneos")], &[T("Pad", APP, &[("SUPPORTS_MACCATALYST", "YES")])]);
        let (config, _) = discover(dir.path());
        assert_eq!(config.targets.iter().map(|t| t.platform).collect::<Vec<_>>(), vec![Platform::Ios, Platform::Catalyst]);
        // What a release can be limited to (the Release screen's choice), named for people.
        let info = crate::Workspace::open(dir.path()).unwrap().info();
        let platforms: Vec<(&str, &str)> = info.platforms.iter().map(|p| (p.id.as_str(), p.label.as_str())).collect();
        assert_eq!(platforms, [("ios", "iOS"), ("catalyst", "Mac Catalyst")]);
        // One scheme for two platforms is one line of what Shipdeck read, naming both.
        let (_, guesses) = discover(dir.path());
        let lines: Vec<&String> = guesses.iter().filter(|g| g.contains(" release: scheme \"Pad\"")).collect();
        assert_eq!(lines.len(), 1, "{guesses:#?}");
        assert!(lines[0].starts_with("iOS and Mac Catalyst release: "), "{guesses:#?}");
    }

    #[test]
    fn a_base_xcconfig_kept_out_of_git_is_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let xp = project(dir.path(), "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        // The target's Release configuration based on a Secrets.xcconfig that git does not hold.
        crate::discover::fixture::base_xcconfig(&xp, 3, "Secrets.xcconfig");
        let findings = |root: &Path| {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            crate::checks::project::check(&ws, &mut out);
            out.into_iter().filter(|f| f.id == "project.configuration.base-missing").collect::<Vec<_>>()
        };
        let found = findings(dir.path());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.starts_with("Release is based on Secrets.xcconfig, which is not here"), "{:?}", found[0]);
        assert_eq!(found[0].severity, crate::finding::Severity::Warning);
        assert!(found[0].help.as_deref().unwrap().starts_with("Create it"), "{:?}", found[0].help);
        // A script that writes it is named (Rainbow's scripts/postinstall.sh).
        std::fs::create_dir_all(dir.path().join("scripts")).unwrap();
        std::fs::write(dir.path().join("scripts/postinstall.sh"), "#!/bin/sh\n# make the secrets\necho \"$KEY\" >> ./Secrets.xcconfig\n").unwrap();
        let found = findings(dir.path());
        assert!(found[0].help.as_deref().unwrap().starts_with("scripts/postinstall.sh:3 names it: run that step before the archive"), "{:?}", found[0].help);
        // Made by the team's setup: nothing to say.
        std::fs::write(dir.path().join("Secrets.xcconfig"), "API_KEY = x\n").unwrap();
        assert!(findings(dir.path()).is_empty());
    }

    #[test]
    fn a_flutter_apps_version_is_its_pubspecs() {
        // Flutter's layout: app/pubspec.yaml, app/ios/Runner.xcodeproj, app/ios/Flutter/ (whose
        // Generated.xcconfig, with FLUTTER_BUILD_NAME/NUMBER, is generated and not in git).
        let dir = tempfile::tempdir().unwrap();
        let ios = dir.path().join("app/ios");
        std::fs::create_dir_all(ios.join("Flutter")).unwrap();
        std::fs::create_dir_all(ios.join("Runner")).unwrap();
        std::fs::write(dir.path().join("app/pubspec.yaml"), "name: demo\ndescription: x\n\nversion: 1.18.2+64 # raised by the release script\n").unwrap();
        project(
            &ios,
            "Runner",
            &[("SDKROOT", "iphoneos")],
            &[T("Runner", APP, &[("INFOPLIST_FILE", "Runner/Info.plist"), ("PRODUCT_BUNDLE_IDENTIFIER", "com.example.demo"), ("CURRENT_PROJECT_VERSION", "$(FLUTTER_BUILD_NUMBER)")])],
        );
        std::fs::write(
            ios.join("Runner/Info.plist"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>$(FLUTTER_BUILD_NAME)</string>\n\t<key>CFBundleVersion</key>\n\t<string>$(FLUTTER_BUILD_NUMBER)</string>\n</dict>\n</plist>\n",
        )
        .unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        // App Store Connect handed, without a key: the check says which build it could not compare.
        let r = crate::checks::run(&ws, &crate::checks::Context::with_app_store(Default::default()));
        let f = r.findings.iter().find(|f| f.id == "release.build-number.unverified").unwrap_or_else(|| panic!("{:#?}", r.findings.iter().map(|f| (&f.id, &f.message)).collect::<Vec<_>>()));
        assert!(f.message.contains("Build 1.18.2 (64)"), "{}", f.message);
        // Changed in the pubspec, so that is where it points.
        assert!(f.file.as_ref().is_some_and(|p| p.ends_with("app/pubspec.yaml")) && f.line == Some(4), "{f:?}");
        assert!(!r.findings.iter().any(|f| f.id == "appstore.version.invalid"), "{:#?}", r.findings);

        // `version: 0.0.1` with no `+N` (BeeCount): flutter_tools takes the name as the build
        // number, so the build number is set, not "a setting nothing sets".
        std::fs::write(dir.path().join("app/pubspec.yaml"), "name: demo\nversion: 0.0.1\n").unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let r = crate::checks::run(&ws, &crate::checks::Context::with_app_store(Default::default()));
        assert!(!r.findings.iter().any(|f| f.id == "appstore.version.unset"), "{:#?}", r.findings.iter().map(|f| (&f.id, &f.message)).collect::<Vec<_>>());
        let f = r.findings.iter().find(|f| f.id == "release.build-number.unverified").unwrap();
        assert!(f.message.contains("Build 0.0.1 (0.0.1)"), "{}", f.message);
    }

    #[test]
    fn a_flutter_app_not_set_up_here_is_one_blocker_with_the_command() {
        // A fresh clone of a Flutter app: Flutter/Release.xcconfig includes Generated.xcconfig
        // (written by flutter, not in git) and the workspace names Pods/Pods.xcodeproj.
        let dir = tempfile::tempdir().unwrap();
        let ios = dir.path().join("app/ios");
        std::fs::create_dir_all(ios.join("Flutter")).unwrap();
        std::fs::write(dir.path().join("app/pubspec.yaml"), "name: demo\nversion: 1.0.0+1\n").unwrap();
        std::fs::write(ios.join("Flutter/Release.xcconfig"), "#include? \"Pods/Target Support Files/Pods-Runner/Pods-Runner.release.xcconfig\"\n#include \"Generated.xcconfig\"\n").unwrap();
        std::fs::write(ios.join("Podfile"), "platform :ios, '13.0'\n").unwrap();
        let xp = project(&ios, "Runner", &[("SDKROOT", "iphoneos")], &[T("Runner", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.demo")])]);
        crate::discover::fixture::base_xcconfig(&xp, 3, "Flutter/Release.xcconfig");
        std::fs::create_dir_all(ios.join("Runner.xcworkspace")).unwrap();
        std::fs::write(ios.join("Runner.xcworkspace/contents.xcworkspacedata"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n<FileRef location = \"group:Runner.xcodeproj\"></FileRef>\n<FileRef location = \"group:Pods/Pods.xcodeproj\"></FileRef>\n</Workspace>\n").unwrap();
        // Flutter's Swift Package Manager plugins, a local package Flutter writes (lichess).
        let pbx = xp.join("project.pbxproj");
        let text = std::fs::read_to_string(&pbx).unwrap().replace(
            "\tobjects = {\n",
            "\tobjects = {\n\t\tEE0000000000000000000003 /* XCLocalSwiftPackageReference */ = {\n\t\t\tisa = XCLocalSwiftPackageReference;\n\t\t\trelativePath = Flutter/ephemeral/Packages/FlutterGeneratedPluginSwiftPackage;\n\t\t};\n",
        );
        std::fs::write(&pbx, text).unwrap();
        let blockers = |root: &Path| {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            crate::checks::project::check(&ws, &mut out);
            out.into_iter().filter(|f| f.severity == crate::finding::Severity::Blocker).collect::<Vec<_>>()
        };
        let found = blockers(dir.path());
        assert_eq!(found.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["project.configuration.include-missing"], "{found:#?}");
        assert!(found[0].message.contains("app/ios/Flutter/Generated.xcconfig"), "{}", found[0].message);
        // The Pods xcconfig included without `?` (webf's) is the same cause: `flutter build`
        // installs the pods. Nothing more is said of it.
        std::fs::write(ios.join("Flutter/Release.xcconfig"), "#include \"Pods/Target Support Files/Pods-Runner/Pods-Runner.release.xcconfig\"\n#include \"Generated.xcconfig\"\n").unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let mut all = Vec::new();
        crate::checks::project::check(&ws, &mut all);
        let includes: Vec<&str> = all.iter().filter(|f| f.id.starts_with("project.configuration.include")).map(|f| f.message.as_str()).collect();
        assert_eq!(includes.len(), 1, "{includes:#?}");
        assert!(includes[0].contains("Generated.xcconfig"), "{includes:#?}");
        assert!(found[0].help.as_deref().unwrap().contains("flutter build ios --config-only --release"));
        assert_eq!((found[0].file.as_ref().map(|f| f.ends_with("Flutter/Release.xcconfig")), found[0].line), (Some(true), Some(2)));
        // Flutter has written its file, but the pods are not installed: that is said instead.
        std::fs::write(ios.join("Flutter/Generated.xcconfig"), "FLUTTER_ROOT=/opt/flutter\nFLUTTER_BUILD_NAME=1.0.0\nFLUTTER_BUILD_NUMBER=1\n").unwrap();
        let found = blockers(dir.path());
        assert_eq!(found.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["project.workspace.project-missing", "project.reference.missing"], "{found:#?}");
        assert!(found[1].help.as_deref().unwrap().starts_with("Run `flutter build ios --config-only --release`"), "{:?}", found[1].help);
        // Its package written too: only the pods.
        std::fs::create_dir_all(ios.join("Flutter/ephemeral/Packages/FlutterGeneratedPluginSwiftPackage")).unwrap();
        let found = blockers(dir.path());
        assert_eq!(found.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["project.workspace.project-missing"], "{found:#?}");
    }

    #[test]
    fn an_include_in_other_capitals_is_said_for_any_xcconfig_the_release_reads() {
        // Simplenote: config/Simplenote.release.xcconfig includes "Version.public.xcconfig" for
        // Version.Public.xcconfig, and its release configuration is not called Production.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("config")).unwrap();
        std::fs::write(root.join("config/App.release.xcconfig"), "#include \"Version.public.xcconfig\"\n").unwrap();
        std::fs::write(root.join("config/Version.Public.xcconfig"), "VERSION_LONG = 4.54.0.1\n").unwrap();
        let xp = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app")])]);
        crate::discover::fixture::base_xcconfig(&xp, 3, "config/App.release.xcconfig");
        let ws = crate::Workspace::open(root).unwrap();
        let r = crate::checks::run(&ws, &crate::checks::Context::offline());
        let found: Vec<&crate::finding::Finding> = r.findings.iter().filter(|f| f.id == "xcconfig.include.case").collect();
        assert_eq!(found.len(), 1, "once: {:#?}", r.findings);
        assert_eq!((found[0].subject.as_str(), found[0].line), ("config/App.release.xcconfig", Some(1)));
        assert_eq!(found[0].title, "#include in other capitals");
    }

    fn export_options_file(path: &Path, method: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>method</key>\n\t<string>{method}</string>\n</dict>\n</plist>\n")).unwrap();
    }

    /// XcodesApp: a Mac app released with Developer ID (Scripts/export_options.plist, method
    /// developer-id, and a notarize script). Its export options are found under that name; the
    /// check says it ships outside the App Store, once, at the method line, and checks none of
    /// the App Store's requirements for it.
    #[test]
    fn a_developer_id_mac_app_is_said_to_ship_outside_the_app_store() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p =
            project(root, "Tool", &[("SDKROOT", "macosx")], &[T("Tool", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tool"), ("MARKETING_VERSION", "1.0"), ("CURRENT_PROJECT_VERSION", "3")])]);
        scheme(&p, "Tool", "Release", "Tool.xcodeproj", &["Tool"]);
        export_options_file(&root.join("Scripts/export_options.plist"), "developer-id");
        let (config, guesses) = discover(root);
        assert_eq!(config.targets[0].export_options.as_deref(), Some(Path::new("Scripts/export_options.plist")), "{guesses:#?}");
        let ws = crate::Workspace::open(root).unwrap();
        let r = crate::checks::run(&ws, &crate::checks::Context::offline());
        let outside: Vec<_> = r.findings.iter().filter(|f| f.id == "release.distribution.outside-app-store").collect();
        assert_eq!(outside.len(), 1, "{:#?}", r.findings);
        // Nothing else to release here: a blocker (beside an App Store target, a warning).
        assert_eq!((outside[0].severity, outside[0].line, outside[0].subject.as_str()), (crate::finding::Severity::Blocker, Some(4), "macOS target Tool"));
        assert!(outside[0].message.starts_with("Scripts/export_options.plist exports with method `developer-id`"), "{}", outside[0].message);
        assert!(!r.findings.iter().any(|f| f.id.starts_with("appstore.")), "no App Store requirement for it: {:#?}", r.findings);

        // The same app with an App Store export beside it ships through the App Store; its
        // name may put the store first (DuckDuckGo for Mac's AppStoreExportOptions.plist).
        export_options_file(&root.join("Scripts/AppStoreExportOptions.plist"), "app-store");
        let (config, _) = discover(root);
        assert_eq!(config.targets[0].export_options.as_deref(), Some(Path::new("Scripts/AppStoreExportOptions.plist")));
        std::fs::remove_file(root.join("Scripts/AppStoreExportOptions.plist")).unwrap();
        export_options_file(&root.join("ExportOptions-AppStore.plist"), "app-store-connect");
        let (config, _) = discover(root);
        assert_eq!(config.targets[0].export_options.as_deref(), Some(Path::new("ExportOptions-AppStore.plist")));
        let r = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
        assert!(!r.findings.iter().any(|f| f.id == "release.distribution.outside-app-store"), "{:#?}", r.findings);
        assert!(r.findings.iter().any(|f| f.id.starts_with("appstore.")), "{:#?}", r.findings);
    }

    /// Pearcleaner: `method` mac-application (the archived app as it was signed) is a Mac app
    /// released outside the App Store too.
    #[test]
    fn a_mac_application_export_ships_outside_the_app_store_too() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "Tool", &[("SDKROOT", "macosx")], &[T("Tool", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tool")])]);
        scheme(&p, "Tool", "Release", "Tool.xcodeproj", &["Tool"]);
        export_options_file(&root.join("Builds/ExportOptions.plist"), "mac-application");
        let r = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
        let outside: Vec<_> = r.findings.iter().filter(|f| f.id == "release.distribution.outside-app-store").collect();
        assert_eq!(outside.len(), 1, "{:#?}", r.findings);
        assert!(outside[0].message.contains("method `mac-application`: this app ships outside the App Store as the archive signed it"), "{}", outside[0].message);
    }

    /// anytype-swift: the scheme archives `Release-Nightly`; the App Store lane builds with
    /// `ENV["APP_CONF_RELEASE_ANYTYPE"]`, which fastlane/.env sets to `Release-Anytype`. The
    /// release archives with the configuration the scripts name, and the check says the scheme
    /// differs as a warning (Shipdeck passes `-configuration`), not a blocker.
    #[test]
    fn a_nightly_archive_configuration_gives_way_to_the_one_the_release_lane_names() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app")])]);
        let pbx = p.join("project.pbxproj");
        let text = std::fs::read_to_string(&pbx).unwrap().replace("name = Release;", "name = Release-Nightly;").replace("name = AppStore;", "name = Release-App;");
        std::fs::write(&pbx, text).unwrap();
        scheme(&p, "App", "Release-Nightly", "App.xcodeproj", &["App"]);
        std::fs::create_dir_all(root.join("fastlane")).unwrap();
        std::fs::write(
            root.join("fastlane/Fastfile"),
            "lane :release_app do\n  deploy(config: ENV[\"APP_CONF_RELEASE_APP\"])\nend\nprivate_lane :deploy do |options|\n  build_app(scheme: \"App\", configuration: options[:config])\nend\n",
        )
        .unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.configuration.as_deref(), Some("Release-Nightly"), "nothing names another: {guesses:#?}");
        std::fs::write(root.join("fastlane/.env"), "APP_TARGET = \"App\"\nAPP_CONF_DEVELOP = \"Release-Nightly\"\nAPP_CONF_RELEASE_APP = \"Release-App\"\n").unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.configuration.as_deref(), Some("Release-App"), "{guesses:#?}");
        assert!(
            guesses.iter().any(|g| g == "Scheme App archives with Release-Nightly, a test or nightly build's configuration; Release-App, named in fastlane/.env, is taken for the release"),
            "{guesses:#?}"
        );
        assert!(guesses.iter().any(|g| g.contains("archive configuration Release-App")), "{guesses:#?}");
        let r = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
        let f: Vec<_> = r.findings.iter().filter(|f| f.id == "project.scheme.archive-configuration").collect();
        assert_eq!(f.len(), 1, "{:#?}", r.findings);
        assert_eq!(f[0].severity, crate::finding::Severity::Warning, "{:#?}", f[0]);
        assert!(f[0].message.starts_with("Scheme App archives with Release-Nightly; the release archives with Release-App (`-configuration Release-App`)"), "{}", f[0].message);
    }

    /// Ghostty, AltTab, Hammerspoon: a Mac app the team's scripts notarize, with nothing that
    /// uploads to App Store Connect, may ship only outside the App Store: a warning naming the
    /// script's line. Not with an upload anywhere, and never for an iOS app.
    #[test]
    fn a_mac_app_only_notarized_may_ship_outside_the_app_store() {
        let notarized = |sdk: &str, upload: bool| {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            let p = project(root, "Tool", &[("SDKROOT", sdk)], &[T("Tool", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tool")])]);
            scheme(&p, "Tool", "Release", "Tool.xcodeproj", &["Tool"]);
            std::fs::create_dir_all(root.join("scripts")).unwrap();
            std::fs::write(
                root.join("scripts/release.sh"),
                "#!/bin/sh\n# xcrun notarytool in a comment does not count\nditto -c -k --keepParent Tool.app Tool.zip\nxcrun notarytool submit Tool.zip --keychain-profile AC --wait\n",
            )
            .unwrap();
            if upload {
                std::fs::create_dir_all(root.join("fastlane")).unwrap();
                std::fs::write(root.join("fastlane/Fastfile"), "lane :mas do\n  build_mac_app(scheme: \"Tool\")\n  upload_to_app_store\nend\n").unwrap();
            }
            let r = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
            r.findings.into_iter().filter(|f| f.id == "release.distribution.notarized").collect::<Vec<_>>()
        };
        let found = notarized("macosx", false);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].severity, found[0].subject.as_str()), (crate::finding::Severity::Warning, "macOS target Tool"));
        assert!(found[0].message.starts_with("The team's scripts notarize a build"), "{}", found[0].message);
        assert_eq!((found[0].file.as_ref().and_then(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()), found[0].line), (Some("release.sh".into()), Some(4)), "openable at the line");
        assert!(notarized("macosx", true).is_empty(), "a Mac App Store upload is there");
        assert!(notarized("iphoneos", false).is_empty(), "not an iOS app's");

        // An upload the Fastfile shows is the iOS app's (its lane's platform block) does not
        // speak for the Mac app: still said, naming that upload.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "Tool", &[("SDKROOT", "macosx")], &[T("Tool", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tool")])]);
        scheme(&p, "Tool", "Release", "Tool.xcodeproj", &["Tool"]);
        std::fs::create_dir_all(root.join("scripts")).unwrap();
        std::fs::write(root.join("scripts/release.sh"), "#!/bin/sh\nxcrun notarytool submit Tool.zip --keychain-profile AC --wait\n").unwrap();
        std::fs::create_dir_all(root.join("fastlane")).unwrap();
        std::fs::write(root.join("fastlane/Fastfile"), "platform :ios do\n  lane :beta do\n    app_store_connect_api_key(key_id: \"K\")\n    upload_to_testflight\n  end\nend\n").unwrap();
        let found: Vec<_> =
            crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline()).findings.into_iter().filter(|f| f.id == "release.distribution.notarized").collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("and the team's scripts upload only the iOS app to App Store Connect (fastlane/Fastfile:4)"), "{}", found[0].message);
    }

    /// Whisky, Rectangle, Ice: a Mac app whose Info.plist names a Sparkle feed (it updates
    /// itself, which an App Store app does not), with nothing that uploads to App Store Connect,
    /// may ship only outside the App Store: a warning at the key's line. Not with an upload
    /// (DuckDuckGo's App Store target keeps the feed and leaves Sparkle out), unless the release
    /// configuration also signs with Developer ID (ProtonVPN: the upload is its iOS app's).
    #[test]
    fn a_mac_app_updated_by_sparkle_may_ship_outside_the_app_store() {
        let signed = |feed: &str, upload: bool, identity: &str| {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            let p = project(
                root,
                "Tool",
                &[("SDKROOT", "macosx")],
                &[T("Tool", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tool"), ("INFOPLIST_FILE", "Tool/Info.plist"), ("CODE_SIGN_IDENTITY", identity)])],
            );
            scheme(&p, "Tool", "Release", "Tool.xcodeproj", &["Tool"]);
            std::fs::create_dir_all(root.join("Tool")).unwrap();
            std::fs::write(
                root.join("Tool/Info.plist"),
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>1.0</string>\n\t<key>SUFeedURL</key>\n\t<string>{feed}</string>\n</dict>\n</plist>\n"),
            )
            .unwrap();
            if upload {
                std::fs::create_dir_all(root.join("fastlane")).unwrap();
                std::fs::write(root.join("fastlane/Fastfile"), "lane :mas do\n  upload_to_app_store\nend\n").unwrap();
            }
            let r = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
            r.findings.into_iter().filter(|f| f.id.starts_with("release.distribution.")).collect::<Vec<_>>()
        };
        let sparkle = |feed: &str, upload: bool| signed(feed, upload, "Apple Distribution");
        let found = sparkle("https://example.com/appcast.xml", false);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].id.as_str(), found[0].severity, found[0].subject.as_str()), ("release.distribution.sparkle", crate::finding::Severity::Warning, "macOS target Tool"));
        assert!(found[0].message.starts_with("Its Info.plist names a Sparkle update feed (SUFeedURL https://example.com/appcast.xml, Tool/Info.plist:6)"), "{}", found[0].message);
        assert!(found[0].message.contains(", and no script uploads to App Store Connect: "), "{}", found[0].message);
        assert_eq!((found[0].file.as_ref().and_then(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()), found[0].line), (Some("Info.plist".into()), Some(6)), "openable at the key");
        assert!(sparkle("https://example.com/appcast.xml", true).is_empty(), "a Mac App Store upload is there");
        assert!(sparkle("", false).is_empty(), "an empty feed names nothing");
        // Developer ID and a feed, beside an upload: still said, the upload named, its own title.
        let both = signed("https://example.com/appcast.xml", true, "Developer ID Application");
        assert_eq!(both.len(), 1, "{both:#?}");
        assert_eq!((both[0].id.as_str(), both[0].title.as_str()), ("release.distribution.developer-id", "Signed with Developer ID and updated by Sparkle"));
        assert!(both[0].message.contains("Tool/Info.plist:6"), "{}", both[0].message);
        assert!(both[0].message.contains("the team's scripts upload to App Store Connect (fastlane/Fastfile:2)"), "{}", both[0].message);
        assert!(signed("", true, "Developer ID Application").is_empty(), "Developer ID alone beside an upload: an App Store export re-signs it");
    }

    /// VirtualBuddy sets its Sparkle feed in code and carries only Sparkle's EdDSA key in its
    /// Info.plist (`SUPublicEDKey`, `$(VB_SPARKLE_PUBLIC_ED_KEY)` from an xcconfig): that is a
    /// Sparkle app too. A key that expands to nothing is not.
    #[test]
    fn a_mac_app_with_only_sparkle_s_key_may_ship_outside_the_app_store() {
        let with_key = |key: &str| {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            let p =
                project(root, "Tool", &[("SDKROOT", "macosx")], &[T("Tool", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tool"), ("INFOPLIST_FILE", "Tool/Info.plist"), ("TOOL_ED_KEY", key)])]);
            scheme(&p, "Tool", "Release", "Tool.xcodeproj", &["Tool"]);
            std::fs::create_dir_all(root.join("Tool")).unwrap();
            std::fs::write(
                root.join("Tool/Info.plist"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>1.0</string>\n\t<key>SUPublicEDKey</key>\n\t<string>$(TOOL_ED_KEY)</string>\n</dict>\n</plist>\n",
            )
            .unwrap();
            let r = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
            r.findings.into_iter().filter(|f| f.id.starts_with("release.distribution.")).collect::<Vec<_>>()
        };
        let found = with_key("dj8ljUPnwoLj/dLs6HyJg5Ayw+t8zWtgjQUfQsH56ww=");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].id, "release.distribution.sparkle");
        assert!(found[0].message.starts_with("Its Info.plist carries Sparkle's update key (SUPublicEDKey, Tool/Info.plist:6)"), "{}", found[0].message);
        assert!(with_key("").is_empty(), "a key that expands to nothing");
    }

    /// ivpn/ios-app: its tunnel extensions say MARKETING_VERSION 2.7.0 while the app says 2.13.1:
    /// App Store Connect warns on every upload (ITMS-90473). One warning per extension, at its
    /// own value; none when they match, or for a framework.
    #[test]
    fn an_extension_whose_version_is_not_its_app_s_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let mismatch = |ext_version: &str| {
            let root = &dir.path().join(ext_version);
            let p = project_with(
                root,
                "App",
                &[("SDKROOT", "iphoneos")],
                &[
                    T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app"), ("MARKETING_VERSION", "2.0"), ("CURRENT_PROJECT_VERSION", "7"), ("GENERATE_INFOPLIST_FILE", "YES")]),
                    T(
                        "Widget",
                        EXT,
                        &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app.widget"), ("MARKETING_VERSION", ext_version), ("CURRENT_PROJECT_VERSION", "7"), ("GENERATE_INFOPLIST_FILE", "YES")],
                    ),
                    T("Kit", FRAMEWORK, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.kit"), ("MARKETING_VERSION", "9.9"), ("GENERATE_INFOPLIST_FILE", "YES")]),
                ],
                &[("App", "Widget"), ("App", "Kit")],
            );
            scheme(&p, "App", "Release", "App.xcodeproj", &["App"]);
            let r = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
            r.findings.into_iter().filter(|f| f.id == "appstore.version.extension-mismatch").collect::<Vec<_>>()
        };
        let found = mismatch("1.0");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].severity, crate::finding::Severity::Warning);
        assert!(
            found[0].message.starts_with("The app extension Widget ships CFBundleShortVersionString 1.0 where the app has 2.0: App Store Connect warns on every upload (ITMS-90473"),
            "{}",
            found[0].message
        );
        assert!(found[0].file.as_ref().is_some_and(|f| f.ends_with("project.pbxproj")) && found[0].line.is_some(), "at the extension's own value: {:?}", found[0]);
        assert!(mismatch("2.0").is_empty(), "the same version");
        // Its fix sets the extension's value where it is set, the app's untouched; then the
        // check finds nothing.
        let root = dir.path().join("1.0");
        let ws = crate::Workspace::open(&root).unwrap();
        let fix = found[0].fix.clone().expect("a fix");
        assert!(fix.preview && fix.title == "Give Widget the app's version", "{fix:?}");
        let changes = crate::actions::preview_fix(&ws, &fix).unwrap();
        assert_eq!(changes.len(), 1);
        let removed: Vec<&str> = changes[0].diff.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).collect();
        let added: Vec<&str> = changes[0].diff.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).collect();
        assert_eq!((removed.len(), added.len()), (1, 1), "{}", changes[0].diff);
        let bare = |l: &str| l[1..].trim().replace('"', "");
        assert!(bare(removed[0]) == "MARKETING_VERSION = 1.0;" && bare(added[0]) == "MARKETING_VERSION = 2.0;", "{}", changes[0].diff);
        crate::change::apply_with_backups(&dir.path().join("backups"), &changes).unwrap();
        let r = crate::checks::run(&crate::Workspace::open(&root).unwrap(), &crate::checks::Context::offline());
        assert!(!r.findings.iter().any(|f| f.id == "appstore.version.extension-mismatch"), "{:#?}", r.findings);

        // Two extensions that differ: one cause, one finding naming both, one fix for both.
        let root = dir.path().join("two");
        let p = project_with(
            &root,
            "App",
            &[("SDKROOT", "iphoneos")],
            &[
                T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app"), ("MARKETING_VERSION", "2.0"), ("CURRENT_PROJECT_VERSION", "7"), ("GENERATE_INFOPLIST_FILE", "YES")]),
                T("Widget", EXT, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app.widget"), ("MARKETING_VERSION", "1.0"), ("CURRENT_PROJECT_VERSION", "7"), ("GENERATE_INFOPLIST_FILE", "YES")]),
                T("Share", EXT, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app.share"), ("MARKETING_VERSION", "2.0"), ("CURRENT_PROJECT_VERSION", "1"), ("GENERATE_INFOPLIST_FILE", "YES")]),
            ],
            &[("App", "Widget"), ("App", "Share")],
        );
        scheme(&p, "App", "Release", "App.xcodeproj", &["App"]);
        let ws = crate::Workspace::open(&root).unwrap();
        let r = crate::checks::run(&ws, &crate::checks::Context::offline());
        let found: Vec<_> = r.findings.iter().filter(|f| f.id == "appstore.version.extension-mismatch").collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("Widget ships CFBundleShortVersionString 1.0") && found[0].message.contains("Share ships CFBundleVersion 1 where the app has 7"), "{}", found[0].message);
        let fix = found[0].fix.clone().expect("one fix for both");
        assert_eq!(fix.title, "Give the 2 extensions the app's version");
        let changes = crate::actions::preview_fix(&ws, &fix).unwrap();
        assert_eq!(changes.len(), 1, "one file");
        assert_eq!(changes[0].diff.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).count(), 2, "{}", changes[0].diff);
    }

    /// LuLu, InjectionIII: the release configuration signs the Mac app with Developer ID, and
    /// nothing uploads to App Store Connect: it may ship only outside the App Store.
    #[test]
    fn a_mac_app_signed_with_developer_id_may_ship_outside_the_app_store() {
        let signed = |identity: &str, sdk: &str| {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            let p = project(root, "Tool", &[("SDKROOT", sdk)], &[T("Tool", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tool"), ("CODE_SIGN_IDENTITY", identity)])]);
            scheme(&p, "Tool", "Release", "Tool.xcodeproj", &["Tool"]);
            let r = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
            r.findings.into_iter().filter(|f| f.id.starts_with("release.distribution.")).collect::<Vec<_>>()
        };
        let found = signed("Developer ID Application", "macosx");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].id, "release.distribution.developer-id");
        assert!(found[0].message.starts_with("The release configuration signs it with Developer ID Application (CODE_SIGN_IDENTITY, Tool.xcodeproj/project.pbxproj:"), "{}", found[0].message);
        assert!(found[0].line.is_some() && found[0].file.as_ref().is_some_and(|f| f.ends_with("project.pbxproj")), "openable at the setting: {:?}", found[0]);
        assert!(signed("Apple Distribution", "macosx").is_empty());
        assert!(signed("Developer ID Application", "iphoneos").is_empty(), "not an iOS app's");
    }

    /// bitwarden/mobile: the iOS app is .NET MAUI (`src/App/App.csproj`, `net8.0-ios`); the only
    /// Xcode project is its watch app's, whose iOS host target Xcode would archive. No Xcode
    /// release is chosen; the check says the app is built with .NET, once. A .NET library beside
    /// an Xcode app changes nothing.
    #[test]
    fn a_dotnet_ios_app_is_said_and_its_watch_project_is_not_a_release() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src/App")).unwrap();
        std::fs::write(root.join("src/App/App.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFrameworks>net8.0-android;net8.0-ios</TargetFrameworks>\n    <OutputType>Exe</OutputType>\n  </PropertyGroup>\n</Project>\n").unwrap();
        let watch = root.join("src/watchOS/bitwarden");
        std::fs::create_dir_all(&watch).unwrap();
        let p = project(&watch, "bitwarden", &[("SDKROOT", "iphoneos")], &[T("bitwarden", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app")])]);
        scheme(&p, "bitwarden WatchKit App", "Release", "bitwarden.xcodeproj", &["bitwarden"]);
        let (config, guesses) = discover(root);
        assert!(config.targets.is_empty(), "{:#?}", config.targets);
        assert!(
            guesses.iter().any(|g| g == "The iOS app is built with .NET (src/App/App.csproj, net8.0-ios), not archived by Xcode: scheme bitwarden WatchKit App builds part of it, not a release"),
            "{guesses:#?}"
        );
        assert!(!guesses.iter().any(|g| g.contains(" release: scheme ")), "not said as a release: {guesses:#?}");
        let r = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
        let blockers: Vec<&str> = r.findings.iter().filter(|f| f.severity == crate::finding::Severity::Blocker).map(|f| f.id.as_str()).collect();
        assert_eq!(blockers, ["workspace.dotnet-app"], "{:#?}", r.findings);

        // A library's csproj (no executable) is not an app: the Xcode app is the release.
        std::fs::write(root.join("src/App/App.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0-ios</TargetFramework>\n  </PropertyGroup>\n</Project>\n")
            .unwrap();
        assert_eq!(discover(root).0.targets.len(), 1);
        assert_eq!(dotnet_app_of(&[root.join("src/App/App.csproj")]), None);
    }

    /// A repository's ad-hoc or enterprise ExportOptions are another distribution's: an iOS
    /// release takes the App Store one wherever it sorts, and none when only those are there.
    #[test]
    fn an_ios_release_takes_the_app_store_export_options_not_the_ad_hoc_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app")])]);
        scheme(&p, "App", "Release", "App.xcodeproj", &["App"]);
        export_options_file(&root.join("ExportOptions-AdHoc.plist"), "ad-hoc");
        export_options_file(&root.join("ExportOptions-Enterprise.plist"), "enterprise");
        let (config, _) = discover(root);
        assert_eq!(config.targets[0].export_options, None);
        export_options_file(&root.join("z/ExportOptions.plist"), "app-store");
        let (config, _) = discover(root);
        assert_eq!(config.targets[0].export_options.as_deref(), Some(Path::new("z/ExportOptions.plist")));
        // A Developer ID file is not an iOS release's either.
        std::fs::remove_file(root.join("z/ExportOptions.plist")).unwrap();
        export_options_file(&root.join("export_options.plist"), "developer-id");
        assert_eq!(discover(root).0.targets[0].export_options, None);
        // Monal: several App Store files, one per channel and platform; the release's is the one
        // that names iOS and no beta, and the shortest of those.
        for (name, method) in [("Alpha_iOS", "ad-hoc"), ("Beta_iOS", "app-store"), ("Quicksy_Stable_iOS", "app-store"), ("Stable_Catalyst", "app-store"), ("Stable_iOS", "app-store")] {
            export_options_file(&root.join(format!("scripts/exportOptions/{name}_ExportOptions.plist")), method);
        }
        assert_eq!(discover(root).0.targets[0].export_options.as_deref(), Some(Path::new("scripts/exportOptions/Stable_iOS_ExportOptions.plist")));
    }

    /// DuckDuckGo iOS: `alphaExportOptions.plist` is an internal build's, `appStoreExportOptions`
    /// the release's; ente's monorepo: an app's own scripts folder is not another app's.
    #[test]
    fn export_options_are_the_release_s_and_the_app_s_own() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app")])]);
        scheme(&p, "App", "Release", "App.xcodeproj", &["App"]);
        export_options_file(&root.join("alphaExportOptions.plist"), "app-store");
        assert_eq!(discover(root).0.targets[0].export_options, None, "an alpha's file is not the release's");
        export_options_file(&root.join("appStoreExportOptions.plist"), "app-store");
        assert_eq!(discover(root).0.targets[0].export_options.as_deref(), Some(Path::new("appStoreExportOptions.plist")));

        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let ensu = root.join("apps/ensu");
        let cast = root.join("apps/cast");
        std::fs::create_dir_all(&ensu).unwrap();
        std::fs::create_dir_all(&cast).unwrap();
        let p = project(&ensu, "Ensu", &[("SDKROOT", "iphoneos")], &[T("Ensu", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "io.ente.ensu")])]);
        scheme(&p, "Ensu", "Release", "Ensu.xcodeproj", &["Ensu"]);
        let p = project(&cast, "Cast", &[("SDKROOT", "appletvos")], &[T("Cast", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "io.ente.cast")])]);
        scheme(&p, "Cast", "Release", "Cast.xcodeproj", &["Cast"]);
        export_options_file(&ensu.join("scripts/ExportOptions-AppStore.plist"), "app-store-connect");
        let (config, guesses) = discover(root);
        let by_scheme = |s: &str| config.targets.iter().find(|t| t.scheme == s).unwrap_or_else(|| panic!("{s}: {guesses:#?}")).export_options.clone();
        assert_eq!(by_scheme("Ensu").as_deref(), Some(Path::new("apps/ensu/scripts/ExportOptions-AppStore.plist")));
        assert_eq!(by_scheme("Cast"), None, "another app's file");
    }

    /// EduGo: its workflows and scripts build and test the `EduGo-Dev` scheme and archive nothing;
    /// `EduGo` archives the same app for release. A dev scheme only built by scripts does not
    /// outrank the release one; named by a script that archives, it would.
    #[test]
    fn a_dev_scheme_scripts_only_build_does_not_outrank_the_release_scheme() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "apple-app", &[("SDKROOT", "iphoneos")], &[T("apple-app", APP, &[])]);
        for name in ["EduGo", "EduGo-Dev", "EduGo-Staging"] {
            scheme(&p, name, "Release", "apple-app.xcodeproj", &["apple-app"]);
        }
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        std::fs::write(root.join(".github/workflows/tests.yml"), "jobs:\n  t:\n    steps:\n      - run: xcodebuild test -scheme EduGo-Dev -destination 'platform=iOS Simulator'\n").unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.targets[0].scheme, "EduGo", "{guesses:#?}");
        std::fs::write(root.join(".github/workflows/release.yml"), "jobs:\n  r:\n    steps:\n      - run: xcodebuild archive -scheme EduGo-Dev -archivePath out.xcarchive\n").unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.targets[0].scheme, "EduGo-Dev", "{guesses:#?}");
    }

    /// Simplenote for Mac: targets Simplenote (beta builds) and Simplenote-AppStore, each with
    /// its scheme; the Fastfile's constants say which is which, and both are named in lanes.
    #[test]
    fn the_scripts_names_for_their_schemes_choose_the_app_store_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "Simplenote", &[("SDKROOT", "macosx")], &[T("Simplenote", APP, &[]), T("Simplenote-AppStore", APP, &[])]);
        scheme(&p, "Simplenote", "Release", "Simplenote.xcodeproj", &["Simplenote"]);
        scheme(&p, "Simplenote-AppStore", "Release", "Simplenote.xcodeproj", &["Simplenote-AppStore"]);
        std::fs::create_dir_all(root.join("fastlane")).unwrap();
        let fastfile =
            "INTERNAL_SCHEME = 'Simplenote'\nAPP_STORE_SCHEME = 'Simplenote-AppStore'\nlane :store do\n  gym(scheme: APP_STORE_SCHEME)\nend\nlane :beta do\n  gym(scheme: INTERNAL_SCHEME)\nend\n";
        std::fs::write(root.join("fastlane/Fastfile"), fastfile).unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.targets[0].scheme, "Simplenote-AppStore", "{guesses:#?}");
        assert!(guesses.iter().any(|g| g.contains("the scripts call it APP_STORE_SCHEME")), "{guesses:#?}");
    }

    /// OpenEmu's scheme builds its OpenEmuBase framework before the app: still the app's
    /// scheme; a scheme that builds an extension first is the extension's.
    #[test]
    fn a_framework_listed_before_the_app_is_not_a_host_relation() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "OpenEmu", &[("SDKROOT", "macosx")], &[T("OpenEmuBase", crate::discover::fixture::FRAMEWORK, &[]), T("OpenEmu", APP, &[]), T("Widget", EXT, &[])]);
        scheme(&p, "OpenEmu", "Release", "OpenEmu.xcodeproj", &["OpenEmuBase", "OpenEmu"]);
        let (_, guesses) = discover(root);
        assert!(guesses.iter().any(|g| g.contains("scheme \"OpenEmu\" (it is named after the app target OpenEmu)")), "{guesses:#?}");
        scheme(&p, "OpenEmu", "Release", "OpenEmu.xcodeproj", &["Widget", "OpenEmu"]);
        let (_, guesses) = discover(root);
        assert!(guesses.iter().any(|g| g.contains("it builds Widget first, and the app OpenEmu only as its host")), "{guesses:#?}");
    }

    /// EduGo's Release configuration is based on Configs/Production.xcconfig: it is the release's
    /// xcconfig (the file Build settings and the bump edit), though the configuration is not
    /// named Production; a Production.xcconfig nothing bases the release on is not.
    #[test]
    fn a_production_xcconfig_the_release_is_based_on_is_the_workspaces() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        std::fs::create_dir_all(root.join("Configs")).unwrap();
        std::fs::write(root.join("Configs/Production.xcconfig"), "MARKETING_VERSION = 1.2\n").unwrap();
        assert_eq!(discover(root).0.production_xcconfig, None);
        crate::discover::fixture::base_xcconfig(&p, 3, "Configs/Production.xcconfig");
        let (config, guesses) = discover(root);
        assert_eq!(config.production_xcconfig.as_deref(), Some(Path::new("Configs/Production.xcconfig")), "{guesses:#?}");
    }

    #[test]
    fn sample_apps_rank_below_the_app_and_are_only_counted() {
        // ProtonVPN's layout: the app, and sample apps in sampleapps/ that a Fastfile's test lane
        // names too.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let app = project(&root.join("apps/ios"), "VPN", &[("SDKROOT", "iphoneos")], &[T("VPN", APP, &[])]);
        scheme(&app, "VPN-iOS", "Release", "VPN.xcodeproj", &["VPN"]);
        let sample = project(&root.join("sampleapps/BugReportSampleiOSApp"), "BugReportSampleiOSApp", &[("SDKROOT", "iphoneos")], &[T("BugReportSampleiOSApp", APP, &[])]);
        scheme(&sample, "BugReportSampleiOSApp", "Release", "BugReportSampleiOSApp.xcodeproj", &["BugReportSampleiOSApp"]);
        std::fs::create_dir_all(root.join("fastlane")).unwrap();
        std::fs::write(root.join("fastlane/Fastfile"), "lane :release do\n  scheme = \"VPN-iOS\"\nend\nlane :test_bug do\n  scan(scheme: \"BugReportSampleiOSApp\")\nend\n").unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.targets.iter().map(|t| t.scheme.as_str()).collect::<Vec<_>>(), ["VPN-iOS"], "{guesses:#?}");
        let line = guesses.iter().find(|g| g.starts_with("iOS release:")).unwrap();
        assert!(line.ends_with("; the repository also has 1 test, demo or sample app"), "{line}");
        // Rainbow's shape: a library's example app is the only one for tvOS: not a release.
        let example = project(&root.join("src/charts/Example/ios"), "Example", &[("SDKROOT", "appletvos")], &[T("Example-tvOS", APP, &[])]);
        scheme(&example, "Example-tvOS", "Release", "Example.xcodeproj", &["Example-tvOS"]);
        let (config, guesses) = discover(root);
        assert_eq!(config.targets.iter().map(|t| (t.scheme.as_str(), t.platform)).collect::<Vec<_>>(), [("VPN-iOS", Platform::Ios)], "{guesses:#?}");
        assert!(guesses.iter().any(|g| g == "The only tvOS app, Example-tvOS, is a test, demo or sample app: not a release"), "{guesses:#?}");
        assert!(!guesses.iter().any(|g| g.starts_with("Every app here looks like")), "{guesses:#?}");
        // Only demo apps (Pulse, a library): released as found, and said.
        let lib = tempfile::tempdir().unwrap();
        let demo = project(&lib.path().join("Demo"), "Pulse", &[("SDKROOT", "iphoneos")], &[T("Pulse Demo iOS", APP, &[])]);
        scheme(&demo, "Pulse Demo iOS", "Release", "Pulse.xcodeproj", &["Pulse Demo iOS"]);
        let (config, guesses) = discover(lib.path());
        assert_eq!(config.targets.len(), 1, "{guesses:#?}");
        assert!(guesses.iter().any(|g| g.starts_with("Every app here looks like a test, demo or sample app")), "{guesses:#?}");
    }

    #[test]
    fn an_app_another_projects_app_copies_in_ships_inside_it() {
        // ShadowsocksX-NG: its app copies LaunchHelper.app, the product of
        // LaunchHelper/LaunchHelper.xcodeproj, into its bundle (a reference proxy).
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let main = project(root, "Main", &[("SDKROOT", "macosx")], &[T("Main", APP, &[])]);
        let helper = project(&root.join("Helper"), "Helper", &[("SDKROOT", "macosx")], &[T("Helper", APP, &[])]);
        scheme(&helper, "Helper", "Release", "Helper.xcodeproj", &["Helper"]);
        let pbx = main.join("project.pbxproj");
        let objects = "\t\tFF0000000000000000000001 = {isa = PBXFileReference; path = Helper/Helper.xcodeproj; sourceTree = \"<group>\"; };\n\t\tFF0000000000000000000002 = {isa = PBXContainerItemProxy; containerPortal = FF0000000000000000000001; proxyType = 2; remoteInfo = Helper; };\n\t\tFF0000000000000000000003 = {isa = PBXReferenceProxy; fileType = wrapper.application; path = Helper.app; remoteRef = FF0000000000000000000002; sourceTree = BUILT_PRODUCTS_DIR; };\n\t\tFF0000000000000000000004 = {isa = PBXBuildFile; fileRef = FF0000000000000000000003; };\n\t\tFF0000000000000000000005 = {isa = PBXCopyFilesBuildPhase; dstSubfolderSpec = 1; files = (FF0000000000000000000004, ); };\n";
        let text = std::fs::read_to_string(&pbx)
            .unwrap()
            .replace("\tobjects = {\n", &format!("\tobjects = {{\n{objects}"))
            .replace("isa = PBXNativeTarget;\n", "isa = PBXNativeTarget;\n\t\t\tbuildPhases = (\n\t\t\t\tFF0000000000000000000005,\n\t\t\t);\n");
        std::fs::write(&pbx, text).unwrap();
        let (config, guesses) = discover(root);
        assert_eq!(config.targets.iter().map(|t| t.scheme.as_str()).collect::<Vec<_>>(), ["Main"], "{guesses:#?}");
        assert!(guesses.iter().any(|g| g == "Scheme Helper archives Helper, which the app Main embeds: it ships inside Main"), "{guesses:#?}");
    }

    /// iAPS: its workspace's shared schemes build twelve projects of git submodules that are not
    /// checked out; discovery names them in one note, not one note each.
    #[test]
    fn projects_of_submodules_not_here_are_named_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app")])]);
        std::fs::create_dir_all(root.join("App.xcworkspace")).unwrap();
        std::fs::write(root.join("App.xcworkspace/contents.xcworkspacedata"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n<FileRef location = \"group:App.xcodeproj\"></FileRef>\n<FileRef location = \"group:LoopKit/LoopKit.xcodeproj\"></FileRef>\n<FileRef location = \"group:CGMBLEKit/CGMBLEKit.xcodeproj\"></FileRef>\n</Workspace>\n").unwrap();
        let ws = root.join("App.xcworkspace");
        fixture::scheme(&ws, "App", "Release", "App.xcodeproj", &["App"]);
        fixture::scheme(&ws, "LoopKit", "Release", "LoopKit/LoopKit.xcodeproj", &["LoopKit"]);
        fixture::scheme(&ws, "CGMBLEKit", "Release", "CGMBLEKit/CGMBLEKit.xcodeproj", &["CGMBLEKit"]);
        let (config, guesses) = discover(root);
        assert_eq!(config.targets.iter().map(|t| t.scheme.as_str()).collect::<Vec<_>>(), ["App"], "{guesses:#?}");
        // Food Truck: a scheme of the local package FoodTruckKit is no project to read.
        std::fs::create_dir_all(root.join("FoodTruckKit")).unwrap();
        std::fs::write(root.join("FoodTruckKit/Package.swift"), "// swift-tools-version:5.9\n").unwrap();
        fixture::scheme(&root.join("App.xcodeproj"), "FoodTruckKit", "Release", "FoodTruckKit", &["FoodTruckKit"]);
        let (config, guesses) = discover(root);
        assert_eq!(config.targets.iter().map(|t| t.scheme.as_str()).collect::<Vec<_>>(), ["App"], "{guesses:#?}");
        let absent: Vec<&String> = guesses.iter().filter(|g| g.contains("not here")).collect();
        assert_eq!(absent.len(), 1, "{guesses:#?}");
        assert!(absent[0].starts_with("2 projects the schemes build are not here (") && absent[0].contains("LoopKit") && absent[0].contains("CGMBLEKit"), "{absent:?}");
        assert!(!guesses.iter().any(|g| g.contains("could not be read")), "{guesses:#?}");
    }

    /// The walk on every core finds what one walk in order finds, in the same order.
    #[test]
    fn the_walk_finds_projects_in_order_and_not_in_build_or_cmake_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (i, folder) in ["a", "a/b", "a/b/c", "a/b/c/d", "a/x", "b/y/z", "c", "c/build/k", "c/m/n/o/p", "d/.github/workflows"].iter().enumerate() {
            std::fs::create_dir_all(root.join(folder)).unwrap();
            std::fs::write(root.join(folder).join(format!("ExportOptions{i}.plist")), "").unwrap();
            std::fs::write(root.join(folder).join("s.ckdb"), "").unwrap();
            std::fs::create_dir_all(root.join(folder).join(format!("P{i}.xcodeproj"))).unwrap();
            std::fs::write(root.join(folder).join(format!("P{i}.xcodeproj/project.pbxproj")), "").unwrap();
        }
        std::fs::write(root.join("b/y/CMakeCache.txt"), "").unwrap();
        std::fs::write(root.join("a/b/release.sh"), "").unwrap();
        std::fs::write(root.join("Fastfile"), "").unwrap();
        let found = walk_all(&crate::tree::Tree::read(root));
        let names: Vec<String> = found.projects.iter().map(|p| p.strip_prefix(root).unwrap().display().to_string()).collect();
        assert_eq!(
            names,
            ["a/P0.xcodeproj", "a/b/P1.xcodeproj", "a/b/c/P2.xcodeproj", "a/b/c/d/P3.xcodeproj", "a/x/P4.xcodeproj", "c/P6.xcodeproj", "c/m/n/o/p/P8.xcodeproj", "d/.github/workflows/P9.xcodeproj"],
            "in order; build/ and the CMake folder left out"
        );
        assert_eq!(found.scripts.len(), 2, "the Fastfile and release.sh: {:?}", found.scripts);
    }

    /// Outline's layout: a Cordova app in client/, a template project its setup copies into
    /// client/platforms/ios, and a workspace that opens the copy. Before Cordova runs, the
    /// template is not the release (it names CordovaLib beside itself, which is not there).
    #[test]
    fn a_cordova_apps_project_is_made_by_cordova_not_read_from_its_template() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let client = root.join("client");
        std::fs::create_dir_all(&client).unwrap();
        std::fs::write(client.join("config.xml"), "<?xml version='1.0' encoding='utf-8'?>\n<widget id=\"org.example.app\" version=\"1.2.0\" xmlns=\"http://www.w3.org/ns/widgets\" xmlns:cdv=\"http://cordova.apache.org/ns/1.0\">\n<name>App</name>\n</widget>\n").unwrap();
        let apple = client.join("src/apple");
        let template = project(&apple.join("xcode"), "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        scheme(&template, "App", "Release", "App.xcodeproj", &["App"]);
        std::fs::create_dir_all(apple.join("client.xcworkspace")).unwrap();
        std::fs::write(
            apple.join("client.xcworkspace/contents.xcworkspacedata"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n<FileRef location = \"container:../../platforms/ios/App.xcodeproj\"></FileRef>\n</Workspace>\n",
        )
        .unwrap();
        let (config, guesses) = discover(root);
        assert!(config.targets.is_empty(), "{config:?}");
        assert!(
            guesses.iter().any(|g| g.starts_with("Cordova app: client/config.xml describes it, and Cordova makes its Xcode project in client/platforms/ios (npx cordova prepare ios)")),
            "{guesses:#?}"
        );
        assert!(
            guesses
                .iter()
                .any(|g| g == "client/src/apple/client.xcworkspace opens client/platforms/ios/App.xcodeproj, which Cordova makes: the projects here are what it is made from, not the release"),
            "{guesses:#?}"
        );
        assert_eq!(ungenerated_projects(&crate::tree::Tree::read(root)), [client.join("config.xml")]);
        // Made: the workspace's project is the release.
        project(&client.join("platforms/ios"), "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        let (config, guesses) = discover(root);
        assert_eq!(
            config.targets.iter().map(|t| (t.project.as_path(), t.workspace.as_deref())).collect::<Vec<_>>(),
            [(Path::new("client/platforms/ios/App.xcodeproj"), Some(Path::new("client/src/apple/client.xcworkspace")))],
            "{guesses:#?}"
        );
        assert!(
            guesses.iter().any(|g| g == "client/src/apple/xcode/App.xcodeproj is the template of client/platforms/ios/App.xcodeproj, which Cordova made: not a release of its own"),
            "{guesses:#?}"
        );
        assert!(ungenerated_projects(&crate::tree::Tree::read(root)).is_empty());
        // A Cordova app with no Xcode project in git at all, its config a variant the team's
        // setup copies to config.xml (e-mission-phone's config.cordovabuild.xml).
        let plain = tempfile::tempdir().unwrap();
        let variant = plain.path().join("config.cordovabuild.xml");
        std::fs::write(&variant, "<widget id=\"a.b\" version=\"1.0.0\" xmlns=\"http://www.w3.org/ns/widgets\"><name>B</name></widget>\n").unwrap();
        assert!(ungenerated_projects(&crate::tree::Tree::read(plain.path())).is_empty(), "a widget without Cordova is not Cordova's");
        std::fs::write(plain.path().join("package.json"), "{\"devDependencies\": {\"cordova-ios\": \"^7.0.0\"}}").unwrap();
        assert_eq!(ungenerated_projects(&crate::tree::Tree::read(plain.path())), std::slice::from_ref(&variant));
        assert_eq!(generate_command(&variant), "npx cordova prepare ios");
        // config.xml, once the setup made it, before the variant.
        std::fs::copy(&variant, plain.path().join("config.xml")).unwrap();
        assert_eq!(ungenerated_projects(&crate::tree::Tree::read(plain.path())), [plain.path().join("config.xml")]);
    }

    #[test]
    fn a_generated_project_is_named_not_guessed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("project.yml"), "name: App\ntargets:\n  App:\n    type: application\n    platform: iOS\n").unwrap();
        let (config, guesses) = discover(dir.path());
        assert!(config.targets.is_empty());
        assert!(guesses.iter().any(|g| g.contains("Generated project: project.yml") && g.contains("xcodegen generate")), "{guesses:#?}");
        // element-ios: the project folder holds only its shared schemes until XcodeGen runs.
        let dir2 = tempfile::tempdir().unwrap();
        std::fs::write(dir2.path().join("project.yml"), "name: Riot\n").unwrap();
        std::fs::create_dir_all(dir2.path().join("Riot.xcodeproj/xcshareddata/xcschemes")).unwrap();
        std::fs::write(dir2.path().join("Riot.xcodeproj/xcshareddata/xcschemes/Riot.xcscheme"), "<Scheme/>\n").unwrap();
        std::fs::create_dir_all(dir2.path().join("Riot.xcworkspace/xcshareddata")).unwrap();
        assert_eq!(ungenerated_project(&crate::tree::Tree::read(dir2.path())).map(|p| p.ends_with("project.yml")), Some(true));
        // Tuist's layout: Projects/App/Project.swift and a Workspace.swift at the top.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("Projects/App")).unwrap();
        std::fs::write(dir.path().join("Projects/App/Project.swift"), "import ProjectDescription\n").unwrap();
        std::fs::write(dir.path().join("Workspace.swift"), "import ProjectDescription\n").unwrap();
        assert_eq!(ungenerated_project(&crate::tree::Tree::read(dir.path())).as_deref().map(generate_command).as_deref(), Some("tuist generate"));
        let (_, guesses) = discover(dir.path());
        assert!(guesses.iter().any(|g| g.contains("tuist generate")), "{guesses:#?}");
        // Tuist generates every project of the workspace at once, from its root (3dollars: an
        // App project and sixteen modules): run there, not in the app's folder.
        std::fs::create_dir_all(dir.path().join("Projects/Kit")).unwrap();
        std::fs::write(dir.path().join("Projects/Kit/Project.swift"), "import ProjectDescription\n").unwrap();
        std::fs::write(dir.path().join("Projects/App/Project.swift"), "import ProjectDescription\nlet project = Project(targets: [.target(name: \"App\", destinations: .iOS, product: .app)])\n")
            .unwrap();
        assert_eq!(tuist_root(&dir.path().join("Projects/App/Project.swift")).as_deref(), Some(dir.path()));
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let mut out = Vec::new();
        crate::checks::workspace::check(&ws, &mut out);
        let f = out.iter().find(|f| f.id == "workspace.project.generated").expect("the generated project");
        assert_eq!(f.file.as_deref(), Some(dir.path().join("Projects/App/Project.swift").as_path()), "the app's spec first");
        assert_eq!(f.message, "No Xcode project yet: Tuist generates it from Workspace.swift and its projects' Project.swift files (`tuist generate`); it is not kept in the repository.");
        assert_eq!(f.help.as_deref(), Some("Run `tuist generate` in the workspace folder, then check again."));
        // Karabiner-Elements: one spec per app three folders down; a helper tool's spec sorts
        // first by name but describes no application.
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("Karabiner-Elements");
        for (folder, name, kind) in [
            ("appendix/Dump", "Dump", "tool"),
            ("appendix/PadViewer", "PadViewer", "application"),
            ("src/apps/Settings", "Karabiner-Elements", "application"),
            ("src/apps/Agent", "Agent", "application"),
        ] {
            std::fs::create_dir_all(repo.join(folder)).unwrap();
            std::fs::write(repo.join(folder).join("project.yml"), format!("name: {name}\ntargets:\n  X:\n    type: {kind}\n    platform: macOS\n")).unwrap();
        }
        let specs: Vec<PathBuf> = ungenerated_projects(&crate::tree::Tree::read(&repo)).iter().map(|p| p.strip_prefix(&repo).unwrap().to_path_buf()).collect();
        let want = ["src/apps/Settings/project.yml", "appendix/PadViewer/project.yml", "src/apps/Agent/project.yml", "appendix/Dump/project.yml"];
        assert_eq!(specs, want.map(PathBuf::from), "the app named as the repository, then apps shallower first, then the rest");
        let ws = crate::Workspace::open(&repo).unwrap();
        let mut out = Vec::new();
        crate::checks::workspace::check(&ws, &mut out);
        let f = out.iter().find(|f| f.id == "workspace.project.generated").expect("the generated project");
        assert!(f.message.ends_with("3 more specs are here: appendix/PadViewer/project.yml, src/apps/Agent/project.yml and appendix/Dump/project.yml."), "{}", f.message);
        assert_eq!(f.help.as_deref(), Some("Run `xcodegen generate` in src/apps/Settings, then check again."));
    }

    /// mattrubin/Authenticator: SDKROOT is set in an xcconfig of a submodule that is not checked
    /// out; its TARGETED_DEVICE_FAMILY and IPHONEOS_DEPLOYMENT_TARGET say iOS, not Xcode's macOS default.
    #[test]
    fn a_target_whose_sdkroot_is_not_here_is_placed_by_its_other_settings() {
        use crate::settings::Settings;
        let on = |pairs: &[(&str, &str)]| platforms_of(&Settings::from_pairs("x.pbxproj", pairs), None);
        assert_eq!(on(&[("TARGETED_DEVICE_FAMILY", "1")]), [Platform::Ios]);
        assert_eq!(on(&[("IPHONEOS_DEPLOYMENT_TARGET", "13.0")]), [Platform::Ios]);
        assert_eq!(on(&[("TARGETED_DEVICE_FAMILY", "3")]), [Platform::Tvos]);
        assert_eq!(on(&[("XROS_DEPLOYMENT_TARGET", "1.0")]), [Platform::Visionos]);
        // Nothing but macOS's own settings, or nothing at all: Xcode's default.
        assert_eq!(on(&[("MACOSX_DEPLOYMENT_TARGET", "13.0")]), [Platform::Macos]);
        assert_eq!(on(&[]), [Platform::Macos]);
        // SDKROOT, where it is set, decides.
        assert_eq!(on(&[("SDKROOT", "macosx"), ("TARGETED_DEVICE_FAMILY", "1,2")]), [Platform::Macos]);
    }

    /// Dispatch, moolah, Reolens: an XcodeGen project not generated here still has its CloudKit
    /// container (entitlements files, the spec's release configuration), its schema and the
    /// spec's team: enough for the CloudKit checks and deploy, which need no Xcode project.
    #[test]
    fn a_generated_projects_cloudkit_is_read_without_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let spec = "name: Ledger\nsettings:\n  base:\n    DEVELOPMENT_TEAM: UTQFCBPQRF\ntargets:\n  Ledger:\n    type: application\n    settings:\n      configs:\n        Debug:\n          CLOUDKIT_CONTAINER_ID: iCloud.com.example.ledger.test\n        Debug-Tests:\n          CLOUDKIT_CONTAINER_ID: iCloud.com.example.ledger.test\n        Release:\n          CLOUDKIT_CONTAINER_ID: iCloud.com.example.ledger\n    entitlements:\n      properties:\n        com.apple.developer.icloud-container-identifiers:\n          - \"iCloud.com.example.ledger\"\n";
        std::fs::write(root.join("project.yml"), spec).unwrap();
        std::fs::create_dir_all(root.join("CloudKit")).unwrap();
        std::fs::write(root.join("CloudKit/schema.ckdb"), "DEFINE SCHEMA\n").unwrap();
        std::fs::write(root.join("CloudKit/schema-prod-baseline.ckdb"), "DEFINE SCHEMA\n").unwrap();
        std::fs::create_dir_all(root.join("App")).unwrap();
        let ent = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>com.apple.developer.icloud-container-identifiers</key>\n\t<array>\n\t\t<string>iCloud.com.example.ledger</string>\n\t</array>\n\t<key>com.apple.developer.icloud-services</key>\n\t<array>\n\t\t<string>CloudKit</string>\n\t</array>\n</dict>\n</plist>\n";
        std::fs::write(root.join("App/Ledger.entitlements"), ent).unwrap();
        let (config, guesses) = discover(root);
        assert!(config.targets.is_empty());
        let ck = config.cloudkit.as_ref().expect("the container");
        assert_eq!((ck.container.as_str(), ck.schema.as_deref()), ("iCloud.com.example.ledger", Some(Path::new("CloudKit/schema.ckdb"))), "{guesses:#?}");
        assert_eq!(config.app.team_id.as_deref(), Some("UTQFCBPQRF"));
        assert!(guesses.iter().any(|g| g.starts_with("CloudKit container iCloud.com.example.ledger, from App/Ledger.entitlements, schema CloudKit/schema.ckdb")), "{guesses:#?}");
        // Where it is named: the entitlements file and the spec's release lines, not Debug's.
        let (entitlements, ids) = ungenerated_container_sources(&crate::tree::Tree::read(root));
        assert_eq!(entitlements, [root.join("App/Ledger.entitlements")]);
        let lines: Vec<(&str, usize)> = ids.iter().map(|(id, _, line)| (id.as_str(), *line)).collect();
        assert_eq!(lines, [("iCloud.com.example.ledger", 15), ("iCloud.com.example.ledger", 19)]);
        // `com.apple.developer.…` is not a development configuration's key.
        assert_eq!(release_lines_of_spec("a:\n  com.apple.developer.x:\n    - iCloud.a.b\n  Dev:\n    - iCloud.c.d\n").iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[test]
    fn a_helper_app_the_main_app_embeds_is_not_a_release() {
        let dir = tempfile::tempdir().unwrap();
        let p = project_with(
            dir.path(),
            "Home",
            &[("SDKROOT", "iphoneos"), ("SUPPORTS_MACCATALYST", "YES")],
            &[T("App", APP, &[]), T("Launcher", APP, &[("SDKROOT", "macosx")]), T("Widgets", EXT, &[])],
            &[("App", "Launcher"), ("App", "Widgets")],
        );
        scheme(&p, "App-Release", "Release", "Home.xcodeproj", &["App"]);
        scheme(&p, "Launcher", "Release", "Home.xcodeproj", &["Launcher"]);
        // Two schemes archive the same embedded app (a watch app's several schemes): said once.
        scheme(&p, "Launcher (Login)", "Release", "Home.xcodeproj", &["Launcher"]);
        let (config, guesses) = discover(dir.path());
        assert!(config.targets.iter().all(|t| t.scheme == "App-Release"), "{guesses:#?}");
        let about: Vec<&String> = guesses.iter().filter(|g| g.contains("archive") && g.contains("which the app App embeds")).collect();
        assert_eq!(about.len(), 1, "{guesses:#?}");
        assert!(about[0].starts_with("Schemes Launcher and Launcher (Login) archive Launcher, which the app App embeds"), "{guesses:#?}");
        // In the finding, the notes read as sentences, not one run-on line.
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let mut findings = Vec::new();
        crate::checks::workspace::check(&ws, &mut findings);
        let f = findings.iter().find(|f| f.id == "workspace.config.discovered").unwrap();
        assert!(f.message.contains("it ships inside App. "), "{}", f.message);
    }
}
