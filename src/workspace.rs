//! The workspace: a folder holding an Xcode project, described by `shipdeck.toml` or, when
//! that file is absent, discovered from the files it holds.

use crate::error::{Error, Result};
pub use crate::finding::Acknowledgement;
use crate::finding::WorkspaceInfo;
use crate::text::line_col;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "shipdeck.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Ios,
    Macos,
    Tvos,
    Visionos,
    /// An iOS target built for the Mac (`SUPPORTS_MACCATALYST`).
    Catalyst,
}

impl Platform {
    pub const ALL: [Platform; 5] = [Platform::Ios, Platform::Macos, Platform::Tvos, Platform::Visionos, Platform::Catalyst];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Ios => "ios",
            Platform::Macos => "macos",
            Platform::Tvos => "tvos",
            Platform::Visionos => "visionos",
            Platform::Catalyst => "catalyst",
        }
    }
    /// The SDK Xcode builds a device release with (for `[sdk=...]` conditions). Mac Catalyst
    /// builds against the macOS SDK.
    pub fn sdk(self) -> &'static str {
        match self {
            Platform::Ios => "iphoneos",
            Platform::Macos | Platform::Catalyst => "macosx",
            Platform::Tvos => "appletvos",
            Platform::Visionos => "xros",
        }
    }
    pub fn display(self) -> &'static str {
        match self {
            Platform::Ios => "iOS",
            Platform::Macos => "macOS",
            Platform::Tvos => "tvOS",
            Platform::Visionos => "visionOS",
            Platform::Catalyst => "Mac Catalyst",
        }
    }
    /// The platform of an SDK name as `SDKROOT` and `SUPPORTED_PLATFORMS` write it.
    pub fn from_sdk(sdk: &str) -> Option<Platform> {
        match sdk.trim().trim_end_matches(|c: char| c.is_ascii_digit() || c == '.') {
            "iphoneos" => Some(Platform::Ios),
            "macosx" => Some(Platform::Macos),
            "appletvos" => Some(Platform::Tvos),
            "xros" => Some(Platform::Visionos),
            _ => None,
        }
    }
    /// Ships a Mac package (.pkg) rather than an .ipa.
    pub fn is_mac(self) -> bool {
        matches!(self, Platform::Macos | Platform::Catalyst)
    }
    /// `xcrun altool --type` (`-t`).
    pub fn altool_type(self) -> &'static str {
        match self {
            Platform::Ios => "ios",
            Platform::Macos | Platform::Catalyst => "macos",
            Platform::Tvos => "appletvos",
            Platform::Visionos => "visionos",
        }
    }
    /// App Store Connect's platform name for builds.
    pub fn asc(self) -> &'static str {
        match self {
            Platform::Ios => "IOS",
            Platform::Macos | Platform::Catalyst => "MAC_OS",
            Platform::Tvos => "TV_OS",
            Platform::Visionos => "VISION_OS",
        }
    }
    /// `xcodebuild -destination` for a generic device archive.
    pub fn destination(self) -> &'static str {
        match self {
            Platform::Ios => "generic/platform=iOS",
            Platform::Macos => "generic/platform=macOS",
            Platform::Tvos => "generic/platform=tvOS",
            Platform::Visionos => "generic/platform=visionOS",
            Platform::Catalyst => "generic/platform=macOS,variant=Mac Catalyst",
        }
    }
}

/// `shipdeck.toml`. Paths are relative to the folder holding it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default, skip_serializing_if = "AppConfig::is_empty")]
    pub app: AppConfig,
    /// The xcconfig file the Production configuration is based on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_xcconfig: Option<PathBuf>,
    /// The name of the release configuration (default `Production`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloudkit: Option<CloudKitConfig>,
    #[serde(default, rename = "targets")]
    pub targets: Vec<TargetConfig>,
    #[serde(default)]
    pub signing: SigningConfig,
    #[serde(default, skip_serializing_if = "MonitoringConfig::is_empty")]
    pub monitoring: MonitoringConfig,
    /// Findings the team has looked at and accepted, with the reason.
    #[serde(default, rename = "acknowledge", skip_serializing_if = "Vec::is_empty")]
    pub acknowledgements: Vec<Acknowledgement>,
}

/// `[monitoring]`: build settings that must hold real values in the release configuration
/// (a crash-reporting DSN, an analytics key...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringConfig {
    #[serde(default)]
    pub settings: Vec<String>,
}

impl MonitoringConfig {
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The Apple Developer team id (10 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

impl AppConfig {
    /// Nothing set: shipdeck.toml leaves the `[app]` table out rather than write it empty.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.team_id.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudKitConfig {
    /// `iCloud.com.example.app`
    pub container: String,
    /// The build setting that names the container in the Production xcconfig.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
    /// The schema file (`.ckdb`) of the workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<PathBuf>,
}

/// One shipping target: what gets archived and uploaded for one platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    pub platform: Platform,
    /// The `.xcodeproj` folder.
    pub project: PathBuf,
    /// The `.xcworkspace` the scheme is built in (CocoaPods and other workspaces): the
    /// release passes `-workspace` instead of `-project`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<PathBuf>,
    pub scheme: String,
    /// The target's name in the project (defaults to the scheme's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entitlements: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info_plist: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_options: Option<PathBuf>,
}

impl TargetConfig {
    pub fn target_name(&self) -> &str {
        self.target.as_deref().unwrap_or(&self.scheme)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningConfig {
    /// Where identities come from: `keychain`, `security`, `dir:PATH`.
    #[serde(default = "default_sources")]
    pub sources: Vec<String>,
    /// Extra folders of provisioning profiles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile_dirs: Vec<PathBuf>,
    /// Days before expiry at which a certificate or profile is a warning.
    #[serde(default = "default_expiring_days")]
    pub expiring_days: i64,
    /// Days before expiry at which a profile is a warning (default: expiring_days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_expiring_days: Option<i64>,
    /// Environment variable holding the password of `.p12` files in `dir:` sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p12_password_env: Option<String>,
}

fn default_sources() -> Vec<String> {
    vec![if cfg!(target_os = "macos") { "keychain".into() } else { "security".into() }]
}
fn default_expiring_days() -> i64 {
    30
}

impl Default for SigningConfig {
    fn default() -> Self {
        SigningConfig { sources: default_sources(), profile_dirs: vec![], expiring_days: default_expiring_days(), profile_expiring_days: None, p12_password_env: None }
    }
}

/// An opened workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Absolute path of the workspace folder.
    pub root: PathBuf,
    pub config: Config,
    /// The `shipdeck.toml` read, or `None` when the workspace was discovered.
    pub config_path: Option<PathBuf>,
    /// What discovery guessed, in sentences.
    pub guesses: Vec<String>,
    /// The repository's folders, listed at the first walk (discovery's, or a check's) and kept
    /// for this workspace's life (see [`crate::tree`]).
    pub(crate) listing: crate::tree::Shared,
}

impl Workspace {
    /// Opens a workspace folder: reads its `shipdeck.toml`, or discovers what it holds.
    pub fn open(dir: impl AsRef<Path>) -> Result<Workspace> {
        let dir = folder_of(dir.as_ref());
        let dir = dir.as_path();
        let meta = std::fs::metadata(dir).map_err(|e| Error::io(dir, &e))?;
        if !meta.is_dir() {
            return Err(Error::Workspace { path: dir.to_path_buf(), message: "is a file; give the folder that holds the Xcode project".into() });
        }
        let root = dir.canonicalize().map_err(|e| Error::io(dir, &e))?;
        let config_path = root.join(CONFIG_FILE);
        if config_path.is_file() {
            let text = std::fs::read_to_string(&config_path).map_err(|e| Error::io(&config_path, &e))?;
            let mut config = parse_config(&text, &config_path)?;
            // Unless shipdeck.toml names one, the release configuration is the one the first
            // target's scheme archives with, as `xcodebuild archive` would use.
            if config.configuration.is_none() {
                if let Some(t) = config.targets.first() {
                    config.configuration = Some(crate::discover::archive_configuration(&root, t));
                }
            }
            Ok(Workspace { root, config, config_path: Some(config_path), guesses: vec![], listing: Default::default() })
        } else {
            let tree = crate::tree::Tree::read(&root);
            let (config, guesses) = crate::discover::discover_in(&tree);
            Ok(Workspace { root, config, config_path: None, guesses, listing: crate::tree::Shared::with(tree) })
        }
    }

    /// The repository's folders, listed once (see [`crate::tree`]).
    pub fn tree(&self) -> &crate::tree::Tree {
        self.listing.get(&self.root)
    }

    /// What the workspace holds ([`scan_in`]), from its listing.
    pub fn scan(&self) -> Found {
        scan_in(self.tree())
    }

    /// The workspace's own profile folders (`[signing] profile_dirs`), as absolute paths.
    pub fn profile_dirs(&self) -> Vec<PathBuf> {
        self.config.signing.profile_dirs.iter().map(|d| self.path(d)).collect()
    }

    /// A path of the configuration made absolute against the workspace.
    /// A workspace path on disk. Like a Mac's default (case-insensitive) disk, a name whose
    /// letter case differs from the file's still finds it (the checks say so).
    pub fn path(&self, rel: &Path) -> PathBuf {
        if rel.is_absolute() {
            return rel.to_path_buf();
        }
        let exact = self.root.join(rel);
        if exact.exists() {
            return exact;
        }
        crate::fsutil::find_ignoring_case(&self.root, &rel.to_string_lossy()).unwrap_or(exact)
    }

    /// A path the window (or any caller that must stay in the workspace) names, resolved under
    /// the workspace root: relative paths are joined to it, symlinks are followed, and the
    /// result must still be inside the root, else [`crate::Error::Outside`]. A file that does
    /// not exist yet is judged by its folder.
    pub fn inside(&self, p: &Path) -> crate::Result<PathBuf> {
        let root = self.root.canonicalize().map_err(|e| crate::Error::io(&self.root, &e))?;
        let joined = if p.is_absolute() { p.to_path_buf() } else { self.root.join(p) };
        let outside = || crate::Error::Outside { path: p.to_path_buf(), root: self.root.clone() };
        let real = match joined.canonicalize() {
            Ok(r) => r,
            Err(_) => {
                let (Some(parent), Some(name)) = (joined.parent(), joined.file_name()) else { return Err(outside()) };
                if name == ".." {
                    return Err(outside());
                }
                parent.canonicalize().map_err(|_| outside())?.join(name)
            }
        };
        if real.starts_with(&root) {
            Ok(real)
        } else {
            Err(outside())
        }
    }

    /// A path shown to the user: relative to the workspace when inside it.
    pub fn display_path(&self, p: &Path) -> String {
        p.strip_prefix(&self.root).unwrap_or(p).display().to_string()
    }

    /// The name the window, the tray and the confirmation use: shipdeck.toml's `[app] name`, else
    /// the folder's, unless the folder is named for its platform or role the way app
    /// repositories often are (lightward/ios, nextcloud/ios: "ios"); then the app target's,
    /// unless that is a template's ("App" of Capacitor, "Runner" of Flutter).
    pub fn name(&self) -> String {
        if let Some(n) = &self.config.app.name {
            return n.clone();
        }
        let folder = self.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "workspace".into());
        const GENERIC_FOLDERS: &[&str] = &["ios", "macos", "mac", "iphone", "apple", "mobile", "app", "client", "src", "xcode", "native"];
        const TEMPLATE_TARGETS: &[&str] = &["App", "Runner"];
        if GENERIC_FOLDERS.contains(&folder.to_ascii_lowercase().as_str()) {
            if let Some(t) = self.config.targets.iter().map(|t| t.target_name()).find(|n| !TEMPLATE_TARGETS.contains(n)) {
                return t.to_string();
            }
            // A template's target (Flutter's Runner): the name on the home screen, when the
            // Info.plist writes it out (lichess/mobile: "Lichess").
            let shown = self.config.targets.iter().filter_map(|t| t.info_plist.as_ref()).find_map(|p| {
                let dict = plist::Value::from_file(self.path(p)).ok()?.into_dictionary()?;
                let name = dict.get("CFBundleDisplayName").or_else(|| dict.get("CFBundleName"))?.as_string()?.trim().to_string();
                (!name.is_empty() && !name.contains("$(")).then_some(name)
            });
            if let Some(name) = shown {
                return name;
            }
        }
        // A folder named for the app and its platform, as repositories often are
        // (mastodon-ios, element-x-ios, kiwix-apple): the app target's own spelling ("Mastodon").
        let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
        let stem = key(&folder.split(['-', '_', '.', ' ']).filter(|w| !GENERIC_FOLDERS.contains(&w.to_ascii_lowercase().as_str())).collect::<String>());
        if let Some(t) = self.config.targets.iter().map(|t| t.target_name()).find(|n| !stem.is_empty() && key(n) == stem) {
            return t.to_string();
        }
        folder
    }

    /// The release configuration's name, `Production` unless the config says otherwise.
    pub fn configuration(&self) -> &str {
        self.config.configuration.as_deref().unwrap_or("Production")
    }

    /// The platforms the workspace ships, each once, in the order of its targets.
    pub fn platforms(&self) -> Vec<Platform> {
        let mut out: Vec<Platform> = Vec::new();
        for t in &self.config.targets {
            if !out.contains(&t.platform) {
                out.push(t.platform);
            }
        }
        out
    }

    /// [`Workspace::platforms`] by name, for a sentence: "iOS and macOS".
    /// Why there is no target to release, as a clause: the project is generated and not here
    /// yet (Dispatch's project.yml), or no scheme archives an app.
    pub fn no_targets_reason(&self) -> String {
        match crate::discover::ungenerated_project(self.tree()) {
            Some(spec) => format!("its Xcode project is made from {} and is not here yet (`{}`)", self.display_path(&spec), crate::discover::generate_command(&spec)),
            None => "it has no app target to archive".to_string(),
        }
    }

    pub fn platform_names(&self) -> String {
        self.platforms().iter().map(|p| p.display()).collect::<Vec<_>>().join(" and ")
    }

    /// The method of the target's own ExportOptions file when it exports for outside the App
    /// Store (`developer-id`, `mac-application`: Foqos's Mac app), with that file.
    pub fn outside_app_store(&self, t: &TargetConfig) -> Option<(PathBuf, String)> {
        let file = self.path(t.export_options.as_ref()?);
        let method = export_method(&file)?;
        is_outside_app_store_method(&method).then_some((file, method))
    }

    /// The platforms a release builds: the one asked for, or with none asked, every target's but
    /// those its own ExportOptions export outside the App Store (a Developer ID Mac app beside
    /// an iOS app is not uploaded to App Store Connect; asked for by name, the check says why
    /// it cannot be).
    pub fn release_platforms(&self, want: Option<Platform>) -> Vec<Platform> {
        match want {
            None => self.app_store_targets().map(|t| t.platform).collect(),
            Some(w) => self.config.targets.iter().filter(|t| t.platform == w).map(|t| t.platform).collect(),
        }
    }

    /// The targets a release through App Store Connect covers: all but those their own
    /// ExportOptions export outside the App Store (Foqos's Developer ID Mac app), of which no
    /// App Store signing or archive requirement is asked.
    pub fn app_store_targets(&self) -> impl Iterator<Item = &TargetConfig> {
        self.config.targets.iter().filter(|t| self.outside_app_store(t).is_none())
    }

    pub fn info(&self) -> WorkspaceInfo {
        let in_all = self.release_platforms(None);
        let platforms = self.platforms().into_iter().map(|p| crate::finding::PlatformChoice { id: p.as_str().into(), label: p.display().into(), in_all: in_all.contains(&p) }).collect();
        WorkspaceInfo { root: self.root.clone(), name: self.name(), config: self.config_path.clone(), guesses: self.guesses.clone(), platforms }
    }
}

/// Parses `shipdeck.toml`, reporting errors as file:line:column.
/// An Apple team id: 10 capital letters and digits (the Membership page of the Apple Developer
/// portal; the OU of every certificate Apple issues to the team).
pub fn is_team_id(s: &str) -> bool {
    s.len() == 10 && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

pub fn parse_config(text: &str, path: &Path) -> Result<Config> {
    toml::from_str::<Config>(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        Error::Parse { path: path.to_path_buf(), line, column, message: e.message().to_string() }
    })
}

const SKIP_DIRS: &[&str] = &[".git", "build", "DerivedData", "node_modules", "Pods", "Carthage", "target", ".build", ".swiftpm", "xcuserdata"];
const MAX_DEPTH: usize = 6;

/// Files of interest found under a folder.
#[derive(Debug, Default)]
pub struct Found {
    pub projects: Vec<PathBuf>,
    pub xcconfigs: Vec<PathBuf>,
    pub entitlements: Vec<PathBuf>,
    pub schemas: Vec<PathBuf>,
    pub export_options: Vec<PathBuf>,
    pub info_plists: Vec<PathBuf>,
    /// Swift packages' manifests (`Package.swift`): xcodebuild run in their folder builds the
    /// package, with a scheme per product.
    pub packages: Vec<PathBuf>,
    /// `.xcworkspace` folders (not the one inside every .xcodeproj): they hold shared schemes of
    /// their own (OsmAnd's `OsmAnd.xcworkspace/xcshareddata/xcschemes`).
    pub workspaces: Vec<PathBuf>,
}

/// A configuration as shipdeck.toml writes it (`shipdeck init`, the app's "Write shipdeck.toml").
pub fn config_text(config: &Config) -> crate::Result<String> {
    toml::to_string_pretty(config).map_err(|e| crate::Error::Other(format!("the configuration could not be written as TOML: {e}")))
}

/// What a listing of the repository holds (not in build folders, dependencies or inside
/// `.xcodeproj`): [`Workspace::scan`] for a workspace's own.
pub fn scan_in(tree: &crate::tree::Tree) -> Found {
    let mut found = Found::default();
    walk(tree, tree.root(), 0, &mut found);
    for v in [&mut found.projects, &mut found.xcconfigs, &mut found.entitlements, &mut found.schemas, &mut found.export_options, &mut found.info_plists, &mut found.packages, &mut found.workspaces] {
        v.sort();
    }
    found
}

fn walk(tree: &crate::tree::Tree, dir: &Path, depth: usize, found: &mut Found) {
    use crate::tree::Kind;
    if depth > MAX_DEPTH {
        return;
    }
    let Some(entries) = tree.list(dir) else { return };
    for entry in entries.iter() {
        let path = dir.join(&entry.name);
        let name = entry.name();
        match entry.kind {
            Kind::Dir => {
                if name.ends_with(".xcodeproj") {
                    found.projects.push(path);
                } else if name.ends_with(".xcworkspace") {
                    found.workspaces.push(path);
                } else if !SKIP_DIRS.contains(&name.as_ref()) && !name.starts_with('.') {
                    walk(tree, &path, depth + 1, found);
                }
            }
            Kind::File => {
                let lower = name.to_ascii_lowercase();
                if lower.ends_with(".xcconfig") {
                    found.xcconfigs.push(path);
                } else if lower.ends_with(".entitlements") {
                    found.entitlements.push(path);
                } else if lower.ends_with(".ckdb") {
                    found.schemas.push(path);
                } else if is_export_options_name(&name) {
                    found.export_options.push(path);
                } else if lower == "info.plist" {
                    found.info_plists.push(path);
                } else if name == "Package.swift" {
                    found.packages.push(path);
                }
            }
            Kind::Other => {}
        }
    }
}

/// Builds a configuration from what the folder's Xcode projects and schemes say, and says
/// what it chose and why (see `crate::discover`).
pub fn discover(root: &Path) -> (Config, Vec<String>) {
    crate::discover::discover(root)
}

/// Whether a file's name says it is an ExportOptions property list: ExportOptions.plist,
/// ExportOptions-AppStore.plist, export_options.plist (Xcodes), AppStoreExportOptions.plist
/// (DuckDuckGo for Mac, beside its Developer ID ExportOptions.plist).
pub fn is_export_options_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".plist") && lower.replace(['_', '-', ' '], "").contains("exportoptions")
}

/// The `method` an ExportOptions plist names (xcodebuild -help: app-store-connect, release-testing,
/// enterprise, debugging, developer-id, mac-application, validation, and the older app-store,
/// ad-hoc, development, package).
pub fn export_method(plist: &Path) -> Option<String> {
    match plist::Value::from_file(plist).ok()? {
        plist::Value::Dictionary(d) => d.get("method").and_then(|m| m.as_string()).map(String::from),
        _ => None,
    }
}

/// Whether an export method is App Store Connect's (`app-store` before Xcode 15.3).
pub fn is_app_store_method(method: &str) -> bool {
    matches!(method, "app-store-connect" | "app-store")
}

/// Whether an export method ships a Mac app outside the App Store: `developer-id` (signed with
/// Developer ID, then notarized) or `mac-application` (the archived app as it was signed).
pub fn is_outside_app_store_method(method: &str) -> bool {
    matches!(method, "developer-id" | "mac-application")
}

/// The workspace folder a user means by what they gave (typed in the path bar, dropped, or on
/// the command line): `~` is their home folder; an Xcode project or workspace bundle, or a
/// project file Shipdeck reads (shipdeck.toml, Package.swift, XcodeGen's project.yml, Tuist's
/// Project.swift), means its folder, or the nearest folder above it that holds shipdeck.toml
/// (within the same repository). Anything else is taken as given.
pub fn folder_of(given: &Path) -> PathBuf {
    let given = match given.to_str() {
        Some("~") => std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| given.to_path_buf()),
        Some(s) if s.starts_with("~/") => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(&s[2..])).unwrap_or_else(|| given.to_path_buf()),
        _ => given.to_path_buf(),
    };
    let ext = given.extension().and_then(|e| e.to_str()).unwrap_or_default();
    let name = given.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let bundle = matches!(ext, "xcodeproj" | "xcworkspace") && given.is_dir();
    let project_file = matches!(name, CONFIG_FILE | "Package.swift" | "project.yml" | "Project.swift") && given.is_file();
    if !bundle && !project_file {
        return given;
    }
    // A project's own project.xcworkspace stands for the project.
    let mut folder = given.parent().map(Path::to_path_buf).unwrap_or_default();
    if folder.extension().is_some_and(|e| e == "xcodeproj") {
        folder = folder.parent().map(Path::to_path_buf).unwrap_or_default();
    }
    let mut up = Some(folder.as_path());
    while let Some(d) = up {
        if d.join(CONFIG_FILE).is_file() {
            return d.to_path_buf();
        }
        if d.join(".git").exists() {
            break;
        }
        up = d.parent();
    }
    if folder.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        folder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_error_names_line_and_column() {
        let err = parse_config("[app]\nname = \"x\"\nbogus = 1\n", Path::new("shipdeck.toml")).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("shipdeck.toml:3:1:"), "{text}");
        assert!(text.contains("bogus"), "{text}");
    }

    #[test]
    fn a_folder_named_for_its_platform_takes_the_app_targets_name() {
        let ws = |folder: &str, target: &str| Workspace {
            root: PathBuf::from("/src").join(folder),
            config: parse_config(&format!("[[targets]]\nplatform = \"ios\"\nproject = \"A.xcodeproj\"\nscheme = \"{target}\"\n"), Path::new("s.toml")).unwrap(),
            config_path: None,
            guesses: vec![],
            listing: Default::default(),
        };
        assert_eq!(ws("ios", "Lightward").name(), "Lightward");
        assert_eq!(ws("NetNewsWire", "NetNewsWire-iOS").name(), "NetNewsWire");
        assert_eq!(ws("mobile", "Runner").name(), "mobile", "a template's target says less than the folder");
        assert_eq!(ws("ionic-conference-app", "App").name(), "ionic-conference-app");
        // The app's name and its platform, as repositories are named: the target's spelling.
        assert_eq!(ws("mastodon-ios", "Mastodon").name(), "Mastodon");
        assert_eq!(ws("element-x-ios", "ElementX").name(), "ElementX");
        assert_eq!(ws("kiwix-apple", "Kiwix").name(), "Kiwix");
        assert_eq!(ws("netnewswire", "NetNewsWire").name(), "NetNewsWire");
        assert_eq!(ws("mastodon-ios", "Toot").name(), "mastodon-ios", "another app's name: the folder's");
    }

    #[test]
    fn an_app_table_with_nothing_in_it_is_not_written() {
        let text = config_text(&Config::default()).unwrap();
        assert!(!text.contains("[app]"), "{text}");
        let named = Config { app: AppConfig { name: Some("Mastodon".into()), team_id: None }, ..Config::default() };
        assert!(config_text(&named).unwrap().contains("[app]\nname = \"Mastodon\"\n"), "{}", config_text(&named).unwrap());
    }

    #[test]
    fn a_template_target_in_a_generic_folder_takes_the_info_plists_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("mobile");
        std::fs::create_dir_all(root.join("ios/Runner")).unwrap();
        let plist = |name: &str| format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>CFBundleDisplayName</key><string>{name}</string></dict></plist>\n");
        std::fs::write(root.join("ios/Runner/Info.plist"), plist("Lichess")).unwrap();
        let toml = "[[targets]]\nplatform = \"ios\"\nproject = \"ios/Runner.xcodeproj\"\nscheme = \"Runner\"\ninfo_plist = \"ios/Runner/Info.plist\"\n";
        let ws = Workspace { root: root.clone(), config: parse_config(toml, Path::new("s.toml")).unwrap(), config_path: None, guesses: vec![], listing: Default::default() };
        assert_eq!(ws.name(), "Lichess");
        // A build setting, not a name: the folder's.
        std::fs::write(root.join("ios/Runner/Info.plist"), plist("$(PRODUCT_NAME)")).unwrap();
        assert_eq!(ws.name(), "mobile");
    }

    #[test]
    fn config_reads_targets() {
        let c = parse_config("[[targets]]\nplatform = \"macos\"\nproject = \"A.xcodeproj\"\nscheme = \"A\"\n", Path::new("s.toml")).unwrap();
        assert_eq!(c.targets[0].platform, Platform::Macos);
        assert_eq!(c.targets[0].target_name(), "A");
        assert_eq!(c.signing.expiring_days, 30);
    }
}
