//! A release is a plan: ordered steps, each with the exact command it runs, what it reads
//! and writes, and whether it changes anything outside this machine. The CLI, the app and
//! the tray all run the same plan; a dry-run runs only the steps that read.

use super::altool;
pub use crate::appstore::asc::Processing;
use crate::appstore::Credentials;
use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::tools::Invocation;
use crate::workspace::{Platform, Workspace};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What a step changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Reads only: runs in a dry-run too.
    Read,
    /// Writes files on this machine (archives, exports), outside the workspace.
    Local,
    /// Changes something outside this machine (an upload).
    Remote,
}

/// What a step does; the runner has one function per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// Every check, and what a real run needs, before anything is built.
    Preflight,
    /// Raises the build number in the file that sets it.
    Bump,
    /// `xcodebuild -showBuildSettings`: what the archive will really carry.
    BuildSettings,
    Archive,
    Export,
    Upload,
    /// Follows the uploaded build on App Store Connect until it is processed.
    Processing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub kind: StepKind,
    pub id: String,
    pub title: String,
    pub platform: Option<Platform>,
    /// The exact command line (secrets redacted when shown).
    pub command: Option<Invocation>,
    /// A file the step writes before its command runs (the ExportOptions plist).
    pub writes_file: Option<(PathBuf, String)>,
    pub reads: Vec<String>,
    pub writes: Vec<String>,
    pub effect: Effect,
    /// What a real run needs that is missing here.
    pub needs: Vec<String>,
    pub timeout_secs: u64,
    /// For the bump step: the changes that raise the build number, one per file (two platforms
    /// whose numbers are written in two Info.plists are two changes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bump: Vec<crate::change::FileChange>,
    /// For the processing step: the build to follow on App Store Connect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing: Option<Processing>,
    /// Something the user should know about this step before it runs (shown with the plan and
    /// kept on the step's result).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Step {
    /// One more file the bump step writes.
    fn add_change(&mut self, c: crate::change::FileChange) {
        self.reads.push(c.path.display().to_string());
        self.writes.push(c.path.display().to_string());
        self.bump.push(c);
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub workspace: PathBuf,
    pub platforms: Vec<Platform>,
    /// Runs only what reads; shows every other command exactly.
    pub dry_run: bool,
    /// A dry-run that archives too (into its temporary build folder) and stops there.
    pub archive: bool,
    /// Where archives, exports and the run's files go.
    pub build_dir: PathBuf,
    pub steps: Vec<Step>,
    /// What each platform's archive will be: scheme, version, build number, bundle id.
    pub builds: Vec<PlannedBuild>,
    /// Values to redact from every line, record and error (never serialized).
    #[serde(skip)]
    pub secrets: Vec<String>,
}

impl Plan {
    /// What a real run lacks that stops it at its first step, before it archives: every step's
    /// needs but those of following the build's processing (an Apple ID upload skips that).
    pub fn needs_before_archive(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in self.steps.iter().filter(|s| s.kind != StepKind::Processing).flat_map(|s| &s.needs) {
            if !out.contains(n) {
                out.push(n.clone());
            }
        }
        out
    }
}

/// One platform's build as the plan will make it (for the confirmation before a real run).
#[derive(Debug, Clone, Serialize)]
pub struct PlannedBuild {
    pub platform: Platform,
    pub scheme: String,
    pub configuration: String,
    /// `MARKETING_VERSION` in the release settings, when set.
    pub version: Option<String>,
    /// The build number the archive gets (the raised one when the plan raises it).
    pub build: Option<String>,
    /// The number before the raise, when the plan raises it.
    pub raised_from: Option<String>,
    pub bundle_id: Option<String>,
    /// The Run Script phase that writes the build number while the app builds (Cryptomator's
    /// "Set Build Number"): the number is the archive's, not known before it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_set_by: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub platforms: Vec<Platform>,
    pub dry_run: bool,
    /// In a dry-run: archive too (into the temporary build folder) and stop there.
    pub archive: bool,
    pub build_dir: PathBuf,
    /// Raise CURRENT_PROJECT_VERSION by one before archiving (in the xcconfig that sets it).
    pub bump_build: bool,
    /// The altool to write the upload for; `None`: ask the installed tools.
    pub altool: Option<altool::Installed>,
}

/// The ExportOptions plist for an App Store Connect export of one target. It starts from the
/// target's own ExportOptions file when the workspace names one (every key the user set is
/// kept), and fills in what it leaves out from the release settings and the signing checks:
/// method, team, signing style, under manual signing a provisioning profile for every bundle
/// the archive holds (the app's and each embedded target's: its settings' specifier, else the
/// profile the checks would choose), the signing certificate, the iCloud environment
/// when the entitlements use iCloud, symbols. The destination is always `export`: Shipdeck
/// uploads with altool itself, so xcodebuild must not upload too.
/// Returns the plist and, for each key of the user's file it had to change, what and why.
///
/// (With automatic signing the archive and export also get `-allowProvisioningUpdates` and
/// the App Store Connect key, see [`build`].)
#[allow(clippy::too_many_arguments)]
pub fn export_options(
    ws: &Workspace,
    t: &crate::workspace::TargetConfig,
    settings: &Settings,
    embedded: &[(String, Settings)],
    profiles: &[crate::signing::Profile],
    identities: &crate::signing::identity::Scan,
    xcode: Option<(u32, u32)>,
) -> (String, Vec<String>) {
    use plist::{Dictionary, Value};
    let mut unread = None;
    let mut d = match &t.export_options {
        Some(f) => match plist::Value::from_file(ws.path(f)) {
            Ok(plist::Value::Dictionary(d)) => d,
            Ok(_) => {
                unread = Some(format!("{} is not a dictionary; the ExportOptions are made from the workspace alone", ws.display_path(&ws.path(f))));
                Dictionary::new()
            }
            Err(e) => {
                unread = Some(format!("{} could not be read ({}); the ExportOptions are made from the workspace alone", ws.display_path(&ws.path(f)), crate::plist_file::error_text(&e)));
                Dictionary::new()
            }
        },
        None => Dictionary::new(),
    };
    let fill = |d: &mut Dictionary, k: &str, v: Value| {
        if !d.contains_key(k) {
            d.insert(k.into(), v);
        }
    };
    let mut overridden: Vec<String> = unread.into_iter().collect();
    let mut force = |d: &mut Dictionary, k: &str, v: Value, why: &str| {
        let shown = |v: &Value| v.as_string().map(String::from).or_else(|| v.as_boolean().map(|b| b.to_string())).unwrap_or_else(|| "…".into());
        if let Some(old) = d.get(k).filter(|old| **old != v) {
            overridden.push(format!("{k} {} → {} ({why})", shown(old), shown(&v)));
        }
        d.insert(k.into(), v);
    };
    // `app-store-connect` since Xcode 15.3; `app-store` is the name Xcode used before for the
    // same export (and later ones still take it).
    let method = match xcode {
        Some((major, minor)) if (major, minor) < (15, 3) => "app-store",
        _ => "app-store-connect",
    };
    match d.get("method").and_then(Value::as_string) {
        Some("app-store-connect") if method == "app-store" => force(&mut d, "method", Value::String(method.into()), "the installed Xcode is older than 15.3"),
        Some("app-store-connect" | "app-store") => {}
        _ => force(&mut d, "method", Value::String(method.into()), "this is an App Store release"),
    }
    let team = settings.team(ws);
    if let Some(team) = &team {
        fill(&mut d, "teamID", Value::String(team.clone()));
    }
    let manual = match d.get("signingStyle").and_then(Value::as_string) {
        Some(style) => style == "manual",
        None => settings.value("CODE_SIGN_STYLE") == Some("Manual"),
    };
    fill(&mut d, "signingStyle", Value::String(if manual { "manual" } else { "automatic" }.into()));
    let mut missing_profiles = Vec::new();
    if manual {
        // Every bundle the archive holds needs its profile named: the app's and each embedded
        // target's (extensions, watch app, App Clip), from its own resolved specifier, else
        // the installed App Store profile the signing checks would choose for its bundle id.
        let mut bundles: Vec<(String, &Settings)> = vec![(t.target_name().to_string(), settings)];
        bundles.extend(embedded.iter().map(|(name, s)| (name.clone(), s)));
        for (target_name, s) in bundles {
            let Some(bundle) = s.value("PRODUCT_BUNDLE_IDENTIFIER").filter(|b| !b.trim().is_empty()) else { continue };
            let specifier = s.value("PROVISIONING_PROFILE_SPECIFIER").filter(|s| !s.trim().is_empty());
            let chosen = specifier.map(String::from).or_else(|| {
                let candidates = crate::signing::profile::candidates(profiles, t.platform, bundle, team.as_deref(), None);
                crate::signing::profile::newest_app_store(&candidates, crate::signing::now()).map(|p| p.name.clone())
            });
            if !matches!(d.get("provisioningProfiles"), Some(Value::Dictionary(_))) {
                d.insert("provisioningProfiles".into(), Value::Dictionary(Dictionary::new()));
            }
            let Some(Value::Dictionary(p)) = d.get_mut("provisioningProfiles") else { continue };
            if p.contains_key(bundle) {
                continue;
            }
            match chosen {
                Some(profile) => {
                    p.insert(bundle.into(), Value::String(profile));
                }
                None => missing_profiles.push(format!(
                    "no provisioning profile for {bundle} (target {target_name}): it sets no PROVISIONING_PROFILE_SPECIFIER and no installed App Store profile matches, so the export will fail"
                )),
            }
        }
        // The certificate: the SHA-1 of the identity the signing checks would sign with (valid,
        // with its key, trusted, of the team, in the app's profile), else Apple's selector for
        // the kind (xcodebuild -help: "Apple Distribution", "iOS Distribution", "Mac App
        // Distribution"...). Never CODE_SIGN_IDENTITY: that is the build's (often "Apple
        // Development" or "-"), not the export's.
        let now = crate::signing::now();
        let app_profile = d
            .get("provisioningProfiles")
            .and_then(Value::as_dictionary)
            .and_then(|p| settings.value("PRODUCT_BUNDLE_IDENTIFIER").and_then(|b| p.get(b)))
            .and_then(Value::as_string)
            .and_then(|name| profiles.iter().find(|p| p.name == name || p.uuid == name));
        let mut usable = crate::signing::identity::usable(identities, t.platform, team.as_deref(), now);
        if let Some(p) = app_profile {
            usable.retain(|i| p.certificates.contains(&i.certificate.sha1));
        }
        usable.sort_by_key(|i| std::cmp::Reverse(i.certificate.not_after));
        let certificate = match usable.first() {
            Some(i) => i.certificate.sha1.clone(),
            None => signing_selector(t.platform).into(),
        };
        fill(&mut d, "signingCertificate", Value::String(certificate));
        // The Mac App Store .pkg is signed with the installer identity: its SHA-1, else the selector.
        if t.platform.is_mac() {
            let mut installers = crate::signing::identity::usable_installer(identities, team.as_deref(), now);
            installers.sort_by_key(|i| std::cmp::Reverse(i.certificate.not_after));
            let installer = installers.first().map(|i| i.certificate.sha1.clone()).unwrap_or_else(|| "Mac Installer Distribution".into());
            fill(&mut d, "installerSigningCertificate", Value::String(installer));
        }
    }
    let uses_icloud = t
        .entitlements
        .as_ref()
        .and_then(|e| plist::Value::from_file(ws.path(e)).ok())
        .and_then(|v| v.into_dictionary())
        .is_some_and(|e| e.contains_key("com.apple.developer.icloud-container-identifiers") || e.contains_key("com.apple.developer.icloud-services"));
    if uses_icloud {
        fill(&mut d, "iCloudContainerEnvironment", Value::String("Production".into()));
    }
    fill(&mut d, "uploadSymbols", Value::Boolean(true));
    // The build is followed on App Store Connect by the number Shipdeck knows: Xcode must not
    // renumber it during the export.
    force(&mut d, "manageAppVersionAndBuildNumber", Value::Boolean(false), "Shipdeck follows the build by its number; raise it with --bump-build");
    force(&mut d, "destination", Value::String("export".into()), "Shipdeck uploads with altool itself");
    let mut out = Vec::new();
    // Writing a dictionary read from a plist or made of strings and booleans cannot fail.
    let _ = Value::Dictionary(d).to_writer_xml(&mut out);
    overridden.extend(missing_profiles);
    (String::from_utf8_lossy(&out).into_owned(), overridden)
}

/// Apple's automatic selector for the distribution certificate of a platform (xcodebuild -help,
/// `signingCertificate`): Xcode picks the newest installed one of that type.
fn signing_selector(_platform: Platform) -> &'static str {
    // Apple Distribution certificates sign for every platform since Xcode 11.
    "Apple Distribution"
}

/// The folder a run builds in, for the CLI and the app alike: for a real run the workspace's
/// own folder under the data folder (kept: the archive and the export are the release's);
/// for a dry-run a new folder with an unpredictable name, readable by this user only (0700),
/// removed when the dry-run ends.
pub fn build_dir(ws: &Workspace, dry_run: bool) -> crate::Result<PathBuf> {
    if dry_run {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::Builder::new().prefix("shipdeck-dry-run-").permissions(std::fs::Permissions::from_mode(0o700)).tempdir().map_err(|e| crate::Error::io(std::env::temp_dir(), &e))?;
        return Ok(dir.keep());
    }
    Ok(crate::fsutil::data_dir().join("builds").join(crate::change::fingerprint(ws.root.to_string_lossy().as_bytes())))
}

/// Builds the plan for the chosen platforms.
pub fn build(ws: &Workspace, opts: &Options, creds: &Credentials) -> Plan {
    let configuration = ws.configuration().to_string();
    let mut steps = vec![Step {
        kind: StepKind::Preflight,
        id: "preflight".into(),
        title: "Ready to ship? (every check)".into(),
        platform: None,
        command: None,
        writes_file: None,
        reads: vec!["the workspace".into()],
        writes: vec![],
        effect: Effect::Read,
        needs: vec![],
        timeout_secs: 120,
        processing: None,
        bump: vec![],
        note: None,
    }];
    // Targets left out because their own ExportOptions export them outside the App Store: said
    // on the first step, so the plan shows why a platform is not in it.
    let left_out: Vec<String> = ws
        .config
        .targets
        .iter()
        .filter(|t| !opts.platforms.contains(&t.platform))
        .filter_map(|t| {
            ws.outside_app_store(t)
                .map(|(file, method)| format!("{} ({}) is not released here: {} exports it with method {method}, outside the App Store", t.target_name(), t.platform.display(), ws.display_path(&file)))
        })
        .collect();
    if !left_out.is_empty() {
        steps[0].note = Some(format!("{}.", left_out.join("; ")));
    }
    let mut secrets = Vec::new();
    if let Some(k) = &creds.private_key {
        secrets.push(k.trim().to_string());
        secrets.extend(k.lines().filter(|l| l.len() >= 16 && !l.starts_with("-----")).map(|l| l.trim().to_string()));
    }
    let keys_dir = opts.build_dir.join("private_keys");
    // Which altool is installed decides the upload command's spelling.
    let altool = opts.altool.clone().unwrap_or_else(altool::detect);
    // The identities the signing checks read, for the ExportOptions' certificate.
    let identities = crate::signing::identity::scan(ws, &ws.config.signing.sources);
    // The profiles the signing checks read, for the ExportOptions' profile choice.
    let (profiles, _) = crate::signing::profile::scan(&crate::signing::profile::folders(&ws.profile_dirs()));
    let mut bumped: Option<(String, crate::change::FileChange)> = None;
    // Each platform's raised number, in the order raised (the bump step's title names them).
    let mut raised: Vec<(Platform, String)> = Vec::new();
    let mut builds = Vec::new();
    for platform in &opts.platforms {
        let Some(t) = ws.config.targets.iter().find(|t| t.platform == *platform) else { continue };
        let p = Some(*platform);
        let project = ws.path(&t.project);
        let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
        // The version and build number that ship: a literal the Info.plist writes wins over
        // the build settings (MonitorControl's 7141 while CURRENT_PROJECT_VERSION says 7100).
        let info = t.info_plist.as_ref().and_then(|p| crate::plist_file::PlistFile::read_defined(&ws.path(p), &crate::plist_file::preprocessor_definitions(&settings).unwrap_or_default()));
        let [mut shipped_version, mut shipped_build] = crate::settings::shipped_versions(info.as_ref(), &settings);
        // Written into the built app by a Run Script phase (Cryptomator's build number): known
        // only from the archive.
        let mut build_written_by = None;
        if let Some(by) = crate::checks::appstore::build_phase_versions(ws, t) {
            if by.writes[0] {
                shipped_version = None;
            }
            if by.writes[1] {
                shipped_build = None;
                build_written_by = Some(by.phase);
            }
        }
        // A multiplatform scheme archives once per platform: each archive gets its own name.
        let shared_scheme = ws.config.targets.iter().filter(|o| o.scheme == t.scheme && opts.platforms.contains(&o.platform)).count() > 1;
        let tag = if shared_scheme { format!("{}-{}", t.scheme, platform.as_str()) } else { t.scheme.clone() };
        // The steps' names: a scheme archived for several platforms says which one.
        let name = step_name(&t.scheme, t.target_name());
        let named = if shared_scheme { format!("{} {name}", platform.display()) } else { name.to_string() };
        let archive = opts.build_dir.join(format!("{tag}.xcarchive"));
        let export_dir = opts.build_dir.join(format!("{tag}-export"));
        let options_path = opts.build_dir.join(format!("{tag}-ExportOptions.plist"));
        // A CocoaPods (or any) workspace is what Xcode builds the scheme in: -workspace, else -project.
        let container = match &t.workspace {
            Some(w) => ["-workspace".to_string(), ws.path(w).display().to_string()],
            None => ["-project".to_string(), project.display().to_string()],
        };
        let base = |verb: &[&str]| Invocation::new("xcodebuild", verb).args(container.clone()).args(["-scheme".to_string(), t.scheme.clone()]);
        let pname = platform.as_str();
        steps.push(Step {
            kind: StepKind::BuildSettings,
            id: format!("{pname}.build-settings"),
            title: format!("{} build settings ({configuration})", platform.display()),
            platform: p,
            command: Some(base(&["-showBuildSettings", "-json"]).args(["-configuration", configuration.as_str(), "-destination", platform.destination()])),
            writes_file: None,
            reads: vec![ws.display_path(&project)],
            writes: vec![],
            effect: Effect::Read,
            needs: vec![],
            timeout_secs: 300,
            processing: None,
            bump: vec![],
            note: None,
        });
        if opts.bump_build && bumped.is_none() {
            let change = match &build_written_by {
                Some(phase) => Err(Error::Other(format!("the Run Script phase “{phase}” writes the build number when the app builds: a number raised in the project would not be the one that ships"))),
                None => bump_change(ws, &settings, shipped_build.as_ref()),
            };
            match change {
                Ok((next, change)) => {
                    // A generated project's number goes back at the next generation.
                    let note = change
                        .path
                        .parent()
                        .filter(|_| change.path.file_name().is_some_and(|n| n == "project.pbxproj"))
                        .and_then(crate::discover::generator_beside)
                        .map(|spec| crate::discover::generated_note(&spec, &ws.display_path(&spec)));
                    steps.push(Step {
                        kind: StepKind::Bump,
                        id: "bump".into(),
                        title: format!("Raise the build number to {next}"),
                        platform: None,
                        command: None,
                        writes_file: None,
                        reads: vec![change.path.display().to_string()],
                        writes: vec![change.path.display().to_string()],
                        effect: Effect::Local,
                        needs: vec![],
                        timeout_secs: 10,
                        processing: None,
                        bump: vec![change.clone()],
                        note,
                    });
                    // The app's extensions writing the same number in their own Info.plists are
                    // raised with it (Mattermost's share and notification extensions).
                    let extra = extension_plist_bumps(ws, t, shipped_build.as_ref(), &next);
                    if let Some(step) = steps.last_mut().filter(|_| !extra.is_empty()) {
                        for c in extra {
                            step.add_change(c);
                        }
                        step.title = format!("{} in {} files", step.title, step.bump.len());
                    }
                    raised.push((*platform, next.clone()));
                    bumped = Some((next, change));
                }
                Err(why) => steps.push(Step {
                    kind: StepKind::Bump,
                    id: "bump".into(),
                    title: "Raise the build number".into(),
                    platform: None,
                    command: None,
                    writes_file: None,
                    reads: vec![],
                    writes: vec![],
                    effect: Effect::Local,
                    needs: vec![format!("a build number it can raise ({why})")],
                    timeout_secs: 10,
                    processing: None,
                    bump: vec![],
                    note: None,
                }),
            }
        }
        // Another platform whose build number is written elsewhere (its own Info.plist) is
        // raised there too, by the same step; when it cannot be, the step says so instead of
        // claiming a number that would not ship.
        let elsewhere = bumped.as_ref().is_some_and(|(_, change)| written_elsewhere(&settings, shipped_build.as_ref(), &change.path));
        let mut own_bump = None;
        if elsewhere {
            // Raised where this platform writes it too, in the same step (one edit of each file).
            let own = bump_change(ws, &settings, shipped_build.as_ref());
            if let Some(step) = steps.iter_mut().find(|s| s.id == "bump") {
                match own {
                    Ok((next, change)) => {
                        let first = bumped.as_ref().map(|(n, _)| n.clone()).unwrap_or_default();
                        raised.push((*platform, next.clone()));
                        if raised.iter().any(|(_, n)| *n != first) {
                            let each: Vec<String> = raised.iter().map(|(p, n)| format!("{} to {n}", p.display())).collect();
                            step.title = format!("Raise the build numbers: {}", each.join(", "));
                        }
                        step.add_change(change.clone());
                        own_bump = Some((next, change));
                    }
                    Err(why) => step.needs.push(format!("the {} build number raised too ({why})", platform.display())),
                }
            }
        }
        let bump = if elsewhere { &own_bump } else { &bumped };
        // Automatic signing on a machine without an Xcode account (a CI runner) fetches its
        // certificates and profiles with the App Store Connect key, as xcodebuild allows.
        let automatic = settings.value("CODE_SIGN_STYLE") != Some("Manual");
        let signing_auth = |inv: Invocation| match (&creds.key_id, &creds.issuer_id, &creds.private_key, automatic) {
            (Some(id), Some(issuer), Some(_), true) => inv.args([
                "-allowProvisioningUpdates".to_string(),
                "-authenticationKeyPath".into(),
                keys_dir.join(format!("AuthKey_{id}.p8")).display().to_string(),
                "-authenticationKeyID".into(),
                id.clone(),
                "-authenticationKeyIssuerID".into(),
                issuer.clone(),
            ]),
            _ => inv,
        };
        // A project that leaves the team to each developer (Loop's empty LOOP_DEVELOPMENT_TEAM):
        // shipdeck.toml's team is given to the archive, as fastlane's `xcargs` would.
        let project_team = settings.value("DEVELOPMENT_TEAM").filter(|t| !t.trim().is_empty());
        let given_team = ws.config.app.team_id.as_deref().filter(|t| project_team.is_none() && crate::checks::signing::is_team_id(t));
        let mut archive_cmd =
            signing_auth(base(&["archive"]).args(["-configuration", configuration.as_str(), "-destination", platform.destination(), "-archivePath"]).arg(archive.display().to_string()));
        if let Some(team) = given_team {
            archive_cmd = archive_cmd.arg(format!("DEVELOPMENT_TEAM={team}"));
        }
        steps.push(Step {
            kind: StepKind::Archive,
            id: format!("{pname}.archive"),
            title: format!("Archive {named} ({configuration})"),
            platform: p,
            command: Some(archive_cmd),
            writes_file: None,
            reads: vec![ws.display_path(&project)],
            writes: vec![archive.display().to_string()],
            effect: Effect::Local,
            needs: vec![],
            timeout_secs: 3600,
            processing: None,
            bump: vec![],
            note: given_team.map(|t| format!("DEVELOPMENT_TEAM={t} is shipdeck.toml's team ([app] team_id): the project sets none.")),
        });
        let embedded = crate::settings::embedded_settings(ws, t);
        let (options, overridden) = export_options(ws, t, &settings, &embedded, &profiles, &identities, altool.xcode);
        steps.push(Step {
            kind: StepKind::Export,
            id: format!("{pname}.export"),
            title: format!("Export {named} for App Store Connect"),
            platform: p,
            command: Some(signing_auth(Invocation::new("xcodebuild", &["-exportArchive", "-archivePath"]).arg(archive.display().to_string()).args([
                "-exportPath".to_string(),
                export_dir.display().to_string(),
                "-exportOptionsPlist".into(),
                options_path.display().to_string(),
            ]))),
            writes_file: Some((options_path.clone(), options)),
            reads: vec![archive.display().to_string()],
            writes: vec![export_dir.display().to_string(), options_path.display().to_string()],
            effect: Effect::Local,
            needs: vec![],
            timeout_secs: 1800,
            processing: None,
            bump: vec![],
            note: (!overridden.is_empty()).then(|| format!("ExportOptions: {}", overridden.join("; "))),
        });
        // xcodebuild names the package after the product; the runner takes the file the
        // export really wrote when this guess is not it.
        let product = settings.value("PRODUCT_NAME").filter(|v| !v.trim().is_empty() && !v.contains("$(")).unwrap_or(&t.scheme);
        let package = export_dir.join(if platform.is_mac() { format!("{product}.pkg") } else { format!("{product}.ipa") });
        let key_id = creds.key_id.clone().unwrap_or_else(|| "KEY_ID".into());
        let issuer = creds.issuer_id.clone().unwrap_or_else(|| "ISSUER_ID".into());
        // The key is a file Shipdeck writes for the step (AuthKey_<id>.p8): never on the command
        // line. Each altool takes its own spelling (see release::altool).
        let key_file = keys_dir.join(format!("AuthKey_{key_id}.p8"));
        let apple_id_login = if creds.missing().is_empty() { None } else { creds.apple_id_login() };
        let upload = match altool.syntax {
            altool::Syntax::Xcode26 => {
                let upload = Invocation::new("xcrun", &["altool", "--upload-package"]).arg(package.display().to_string()).args(["--platform", platform.altool_type()]);
                match apple_id_login {
                    Some((apple_id, password_ref)) => upload.args(["--username", apple_id, "--password", password_ref]),
                    None => upload.arg("--api-key").arg(key_id.clone()).args(["--api-issuer".to_string(), issuer]).args(["--p8-file-path".to_string(), key_file.display().to_string()]),
                }
            }
            altool::Syntax::Legacy => {
                let upload = Invocation::new("xcrun", &["altool", "--upload-app", "-f"]).arg(package.display().to_string()).args(["-t", platform.altool_type()]);
                match apple_id_login {
                    Some((apple_id, password_ref)) => upload.args(["-u", apple_id, "-p", password_ref]),
                    // altool finds AuthKey_<id>.p8 in API_PRIVATE_KEYS_DIR.
                    None => upload.arg("--apiKey").arg(key_id.clone()).args(["--apiIssuer".to_string(), issuer]).env("API_PRIVATE_KEYS_DIR", &keys_dir.display().to_string()),
                }
            }
        };
        steps.push(Step {
            kind: StepKind::Upload,
            id: format!("{pname}.upload"),
            title: format!("Upload {named} to App Store Connect"),
            platform: p,
            command: Some(upload),
            writes_file: None,
            reads: vec![package.display().to_string()],
            writes: vec!["App Store Connect: a new build".into()],
            effect: Effect::Remote,
            needs: creds.upload_missing(),
            timeout_secs: 3600,
            processing: None,
            bump: vec![],
            note: Some(altool.describe(apple_id_login.is_some())),
        });
        // A value still naming a setting (set nowhere here) is not known until xcodebuild says it.
        // Nor one Xcode's Info.plist preprocessor fills from a header the build writes (Vienna).
        let known = |v: &String| !v.is_empty() && !v.contains("$(") && !v.contains("${") && crate::settings::preprocessed_from(&settings, v).is_none();
        let set_version = shipped_version.as_ref().map(|v| v.value.clone()).filter(known);
        let set_build = shipped_build.as_ref().map(|v| v.value.clone()).filter(known);
        let next_build = bump.as_ref().map(|(n, _)| n.clone());
        builds.push(PlannedBuild {
            platform: *platform,
            scheme: t.scheme.clone(),
            configuration: configuration.clone(),
            version: set_version.clone(),
            build: next_build.clone().or_else(|| set_build.clone()),
            raised_from: next_build.as_ref().and(set_build.clone()),
            bundle_id: settings.value("PRODUCT_BUNDLE_IDENTIFIER").map(String::from),
            build_set_by: build_written_by.clone(),
        });
        let for_platform = if shared_scheme { format!(" for {}", platform.display()) } else { String::new() };
        let title = match (&set_version, next_build.as_ref().or(set_build.as_ref())) {
            (Some(v), Some(b)) => format!("Build {v} ({b}){for_platform} processed by App Store Connect"),
            _ => format!("The uploaded build{for_platform} processed by App Store Connect"),
        };
        let version = set_version.unwrap_or_else(|| "?".into());
        let build = set_build.unwrap_or_else(|| "?".into());
        let setting_of = |s: &Option<crate::settings::Shipped>, usual: &str| s.as_ref().and_then(|s| s.setting.clone()).filter(|n| n != usual);
        steps.push(Step {
            kind: StepKind::Processing,
            id: format!("{pname}.processing"),
            title,
            platform: p,
            command: None,
            writes_file: None,
            reads: vec![format!("App Store Connect /v1/builds?filter[version]={build}&filter[preReleaseVersion.version]={version}")],
            writes: vec![],
            effect: Effect::Read,
            needs: creds.missing(),
            timeout_secs: 3600,
            processing: settings.value("PRODUCT_BUNDLE_IDENTIFIER").map(|b| Processing {
                bundle_id: b.to_string(),
                version: version.clone(),
                build: next_build.clone().unwrap_or_else(|| build.clone()),
                bumped: next_build.is_some(),
                version_in_plist: shipped_version.as_ref().is_some_and(|v| v.setting.is_none()),
                build_in_plist: shipped_build.as_ref().is_some_and(|v| v.setting.is_none()),
                version_setting: setting_of(&shipped_version, "MARKETING_VERSION"),
                build_setting: setting_of(&shipped_build, "CURRENT_PROJECT_VERSION"),
                platform: Some(platform.asc().into()),
            }),
            bump: vec![],
            note: None,
        });
    }
    Plan { workspace: ws.root.clone(), platforms: opts.platforms.clone(), dry_run: opts.dry_run, archive: opts.dry_run && opts.archive, build_dir: opts.build_dir.clone(), steps, builds, secrets }
}

/// Whether a platform's build number is written somewhere else than the file the bump changes
/// (following a setting to where it is set, as the bump does).
fn written_elsewhere(settings: &Settings, shipped: Option<&crate::settings::Shipped>, changed: &Path) -> bool {
    let Some(b) = shipped else { return false };
    if b.setting.is_none() {
        return !crate::fsutil::same_file(&b.file, changed);
    }
    // A setting: the bump follows it to its origin; the same origin is the same number.
    b.setting.as_deref().and_then(|n| settings.origin(n).1).is_some_and(|v| !crate::fsutil::same_file(&v.file, changed))
}

/// When the app's Info.plist writes its build number as a literal: the same change for each
/// extension (and other embedded target) whose own Info.plist writes the same number, as App
/// Store Connect wants an extension's CFBundleVersion to match its app's (ITMS-90473).
fn extension_plist_bumps(ws: &Workspace, t: &crate::workspace::TargetConfig, shipped: Option<&crate::settings::Shipped>, next: &str) -> Vec<crate::change::FileChange> {
    let Some(app) = shipped.filter(|s| s.setting.is_none()) else { return vec![] };
    let xcodeproj = ws.path(&t.project);
    let Ok(doc) = crate::pbxproj::Document::read(&xcodeproj.join("project.pbxproj")) else { return vec![] };
    let Ok(model) = crate::pbxproj::Project::new(&doc, &xcodeproj) else { return vec![] };
    let project_dir = xcodeproj.parent().unwrap_or(&ws.root).to_path_buf();
    let mut out: Vec<crate::change::FileChange> = Vec::new();
    for e in model.embedded_targets(t.target_name()) {
        let ext = crate::workspace::TargetConfig { target: Some(e.target.name.clone()), ..t.clone() };
        let Ok(settings) = crate::settings::target_settings(ws, &ext) else { continue };
        let Some(plist) = settings.value("INFOPLIST_FILE").map(|p| crate::fsutil::in_folder(&project_dir, p)) else { continue };
        if crate::fsutil::same_file(&plist, &app.file) || out.iter().any(|c| c.path == plist) {
            continue;
        }
        let Some(info) = crate::plist_file::PlistFile::read(&plist) else { continue };
        if info.dict.get("CFBundleVersion").and_then(|v| v.as_string()).map(str::trim) != Some(app.value.trim()) {
            continue;
        }
        if let Ok(c) = crate::change::plist_string_for_key(&plist, "CFBundleVersion", app.value.trim(), next, &ws.display_path(&plist)) {
            out.push(c);
        }
    }
    out
}

/// The change that raises CURRENT_PROJECT_VERSION by one where the release settings take it
/// from (an xcconfig), with the new number; or why it cannot be done.
fn bump_change(ws: &Workspace, settings: &Settings, shipped: Option<&crate::settings::Shipped>) -> Result<(String, crate::change::FileChange)> {
    // The build number the Info.plist writes as a literal is the one that ships: raised there.
    if let Some(s) = shipped.filter(|s| s.setting.is_none()) {
        let next = crate::appstore::asc::next_build_number(&s.name, &s.value)?;
        let change = crate::change::plist_string_for_key(&s.file, "CFBundleVersion", s.value.trim(), &next, &ws.display_path(&s.file))?;
        return Ok((next, change));
    }
    // Else the setting it comes from, followed to where the number is written:
    // `CURRENT_PROJECT_VERSION = $(FLUTTER_BUILD_NUMBER)` is raised in the Flutter app's
    // pubspec.yaml, never overwritten with a number (that would cut the project loose from
    // what sets it).
    let start = shipped.and_then(|s| s.setting.clone()).unwrap_or_else(|| "CURRENT_PROJECT_VERSION".to_string());
    let (name, v) = match settings.origin(&start) {
        (name, Some(v)) => (name, v),
        (last, None) => {
            return Err(Error::Other(match settings.get(&last) {
                Some(v) => format!("{last} is `{}`, which nothing here sets: raise it where it is set", v.raw.trim()),
                None => format!("{last} is not set in the release settings"),
            }))
        }
    };
    // `X = $(X)` at the target, the number itself at the project (XcodeGen's way): the number is
    // raised where the project file writes it.
    let inherited = crate::settings::single_reference(&v.raw) == Some(name.as_str());
    if inherited && v.file.file_name().is_some_and(|f| f == "project.pbxproj") {
        let next = crate::appstore::asc::next_build_number(&name, &v.value)?;
        let xcodeproj = v.file.parent().ok_or_else(|| Error::Other("the project file has no folder".into()))?;
        let change = crate::change::pbxproj_replace_setting(xcodeproj, &name, v.value.trim(), &next, &ws.display_path(&v.file))?
            .ok_or_else(|| Error::Other(format!("{name} is inherited from a level the project file does not write: raise it where it is set")))?;
        return Ok((next, change));
    }
    if v.raw.contains("$(") || v.raw.contains("${") {
        return Err(Error::Other(format!("{name} is `{}`, made of other settings: raise the build number where they are set", v.raw.trim())));
    }
    let next = crate::appstore::asc::next_build_number(&name, &v.value)?;
    if v.file.file_name().is_some_and(|f| f == "pubspec.yaml") {
        let change = crate::change::pubspec_build_number(&v.file, &next, &ws.display_path(&v.file))?
            .ok_or_else(|| Error::Other(format!("{} has no build number after its version (`+N`)", ws.display_path(&v.file))))?;
        return Ok((next, change));
    }
    let name = name.as_str();
    // Set in the project: raised in every configuration that has the same number.
    if v.file.file_name().is_some_and(|f| f == "project.pbxproj") {
        let xcodeproj = v.file.parent().ok_or_else(|| Error::Other("the project file has no folder".into()))?;
        let change = crate::change::pbxproj_replace_setting(xcodeproj, name, v.raw.trim(), &next, &ws.display_path(&v.file))?.ok_or_else(|| Error::Other(format!("{name} already has that value")))?;
        return Ok((next, change));
    }
    if v.file.extension().is_none_or(|e| e != "xcconfig") {
        return Err(Error::Other(format!("{name} comes from {}, which Shipdeck does not edit: raise it in Xcode", ws.display_path(&v.file))));
    }
    let text = std::fs::read_to_string(&v.file).map_err(|e| Error::io(&v.file, &e))?;
    let doc = crate::xcconfig::Document::parse(&text);
    let conditions = doc.assignments().find(|(l, a)| l.number == v.line && a.name == name).map(|(_, a)| a.conditions.clone()).unwrap_or_default();
    let change = crate::change::xcconfig_set(&v.file, name, &conditions, &next, &ws.display_path(&v.file))?.ok_or_else(|| Error::Other(format!("{name} already has that value")))?;
    Ok((next, change))
}

/// The `.p8` key written where altool looks for it (`API_PRIVATE_KEYS_DIR/AuthKey_<id>.p8`),
/// readable by its owner only.
pub fn install_key(dir: &Path, creds: &Credentials) -> std::io::Result<Option<PathBuf>> {
    let (Some(id), Some(key)) = (&creds.key_id, &creds.private_key) else { return Ok(None) };
    // A key left by a run that died goes first; the folder and the file are the user's alone
    // from the moment they exist (0700 / 0600), never readable by others even for an instant.
    let _ = std::fs::remove_dir_all(dir);
    let path = dir.join(format!("AuthKey_{id}.p8"));
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path)?;
        f.write_all(key.as_bytes())?;
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)?;
        std::fs::write(&path, key)?;
    }
    Ok(Some(path))
}

/// What the steps call a release: its scheme's name, unless that name only says a role
/// (Mos's `Profile`, `Pearcleaner Release`, `Release - ControlRoom`): then the app target's.
fn step_name<'a>(scheme: &'a str, target: &'a str) -> &'a str {
    const ROLE: &[&str] = &["release", "profile", "debug", "production", "prod", "appstore", "distribution", "archive", "app"];
    let words: Vec<String> = scheme.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let rest: Vec<&String> = words.iter().filter(|w| !ROLE.contains(&w.as_str())).collect();
    let plain = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    let target_only = rest.iter().map(|w| w.as_str()).collect::<String>() == plain(target);
    if !target.is_empty() && (rest.is_empty() || target_only) {
        target
    } else {
        scheme
    }
}

#[cfg(test)]
mod tests {
    use crate::appstore::Credentials;

    #[test]
    fn steps_are_named_by_the_scheme_unless_it_only_says_a_role() {
        use super::step_name;
        assert_eq!(step_name("Profile", "Mos"), "Mos");
        assert_eq!(step_name("Pearcleaner Release", "Pearcleaner"), "Pearcleaner");
        assert_eq!(step_name("Release - ControlRoom", "ControlRoom"), "ControlRoom");
        assert_eq!(step_name("Sequel Ace Release", "Sequel Ace"), "Sequel Ace");
        assert_eq!(step_name("IsometryiOS", "IsometryiOS"), "IsometryiOS");
        assert_eq!(step_name("pocketcasts", "podcasts"), "pocketcasts");
        assert_eq!(step_name("KotlinConfAppScheme", "iosApp"), "KotlinConfAppScheme");
        assert_eq!(step_name("App-Release", ""), "App-Release");
        assert_eq!(step_name("App - Release", "Mac Mouse Fix"), "Mac Mouse Fix");
        assert_eq!(step_name("App", "App"), "App");
    }

    fn key(id: Option<&str>, issuer: Option<&str>, pem: Option<&str>) -> Credentials {
        Credentials { key_id: id.map(Into::into), issuer_id: issuer.map(Into::into), private_key: pem.map(Into::into), ..Default::default() }
    }

    #[test]
    fn a_build_number_the_info_plist_writes_is_the_one_raised_and_waited_for() {
        // MonitorControl's shape: CFBundleVersion 7141 written in the Info.plist, an unused
        // CURRENT_PROJECT_VERSION = 7100 in the project.
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("App")).unwrap();
        let plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>$(MARKETING_VERSION)</string>\n\t<key>CFBundleVersion</key>\n\t<string>7141</string>\n</dict>\n</plist>\n";
        std::fs::write(root.join("App/Info.plist"), plist).unwrap();
        let xp = project(
            root,
            "App",
            &[("SDKROOT", "macosx")],
            &[T("App", APP, &[("INFOPLIST_FILE", "App/Info.plist"), ("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app"), ("MARKETING_VERSION", "4.3.4"), ("CURRENT_PROJECT_VERSION", "7100")])],
        );
        let pbx = std::fs::read_to_string(xp.join("project.pbxproj")).unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let opts = super::Options { platforms: vec![crate::workspace::Platform::Macos], dry_run: true, archive: false, build_dir: root.join("build"), bump_build: true, altool: None };
        let plan = super::build(&ws, &opts, &Credentials::default());
        let bump = plan.steps.iter().find(|s| s.id == "bump").expect("a bump step");
        let change = bump.bump.first().expect("a change");
        assert_eq!(change.path, root.join("App/Info.plist"));
        assert_eq!(change.new, plist.replace("<string>7141</string>", "<string>7142</string>"));
        assert_eq!(bump.title, "Raise the build number to 7142");
        // What the plan waits for App Store Connect to process is what ships.
        assert_eq!(plan.builds[0].build.as_deref(), Some("7142"));
        assert_eq!(plan.builds[0].version.as_deref(), Some("4.3.4"));
        assert!(plan.steps.iter().any(|s| s.title.starts_with("Build 4.3.4 (7142) ")), "{:?}", plan.steps.iter().map(|s| &s.title).collect::<Vec<_>>());
        assert_eq!(std::fs::read_to_string(xp.join("project.pbxproj")).unwrap(), pbx, "the unused setting is left alone");
        // Without the bump the plan names the number the Info.plist writes, not the setting's.
        let plan = super::build(&ws, &super::Options { bump_build: false, ..opts }, &Credentials::default());
        assert_eq!(plan.builds[0].build.as_deref(), Some("7141"));
    }

    #[test]
    fn a_version_set_only_at_build_time_is_waited_for_as_xcodebuild_says_it() {
        // alt-tab-macos's shape: both version keys `$(CURRENT_PROJECT_VERSION)`, which only a
        // file its CI writes sets.
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>$(CURRENT_PROJECT_VERSION)</string>\n\t<key>CFBundleVersion</key>\n\t<string>$(CURRENT_PROJECT_VERSION)</string>\n</dict>\n</plist>\n";
        std::fs::write(root.join("Info.plist"), plist).unwrap();
        project(root, "Tab", &[], &[T("Tab", APP, &[("INFOPLIST_FILE", "Info.plist"), ("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tab")])]);
        let ws = crate::Workspace::open(root).unwrap();
        let opts = super::Options { platforms: vec![crate::workspace::Platform::Macos], dry_run: true, archive: false, build_dir: root.join("build"), bump_build: false, altool: None };
        let plan = super::build(&ws, &opts, &Credentials::default());
        let wait = plan.steps.iter().find(|s| s.kind == super::StepKind::Processing).expect("the processing step");
        assert_eq!(wait.title, "The uploaded build processed by App Store Connect", "not `Build $(CURRENT_PROJECT_VERSION) (?)`");
        let p = wait.processing.as_ref().unwrap();
        // Read from xcodebuild's CURRENT_PROJECT_VERSION for both, not MARKETING_VERSION.
        assert_eq!((p.version_setting.as_deref(), p.build_setting.as_deref()), (Some("CURRENT_PROJECT_VERSION"), None));
        assert!(!p.version_in_plist && !p.build_in_plist);
        assert_eq!((plan.builds[0].version.as_deref(), plan.builds[0].build.as_deref()), (None, None));
        // Vienna: macros the Info.plist preprocessor fills from a header the build writes.
        let plist = plist
            .replace("$(CURRENT_PROJECT_VERSION)</string>\n\t<key>CFBundleVersion", "VCS_TAG</string>\n\t<key>CFBundleVersion")
            .replace("$(CURRENT_PROJECT_VERSION)</string>\n</dict>", "VCS_NUM</string>\n</dict>");
        std::fs::write(root.join("Info.plist"), plist).unwrap();
        project(root, "Tab", &[], &[T("Tab", APP, &[("INFOPLIST_FILE", "Info.plist"), ("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tab"), ("INFOPLIST_PREPROCESS", "YES")])]);
        let ws = crate::Workspace::open(root).unwrap();
        let plan = super::build(&ws, &opts, &Credentials::default());
        let wait = plan.steps.iter().find(|s| s.kind == super::StepKind::Processing).unwrap();
        assert_eq!(wait.title, "The uploaded build processed by App Store Connect", "not `Build VCS_TAG (VCS_NUM)`");
    }

    #[test]
    fn the_next_build_number_raises_its_last_part() {
        assert_eq!(crate::appstore::asc::next_build_number("B", "250").unwrap(), "251");
        assert_eq!(crate::appstore::asc::next_build_number("B", " 4.54.0.1 ").unwrap(), "4.54.0.2");
        assert_eq!(crate::appstore::asc::next_build_number("B", "2.5.09").unwrap(), "2.5.10");
        for bad in ["", "1.", "1..2", "abc", "1.2b", "18446744073709551615", "-1"] {
            let e = crate::appstore::asc::next_build_number("VERSION_LONG", bad).unwrap_err().to_string();
            assert!(e.contains("not a build number"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn a_project_xcodegen_makes_says_where_a_change_belongs() {
        // element-x-ios keeps project.yml and the ElementX.xcodeproj it generates side by side.
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // As XcodeGen writes it: the number at the project, `X = $(X)` at the target.
        project(
            root,
            "App",
            &[("SDKROOT", "iphoneos"), ("CURRENT_PROJECT_VERSION", "7")],
            &[T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app"), ("MARKETING_VERSION", "1.0"), ("CURRENT_PROJECT_VERSION", "$(CURRENT_PROJECT_VERSION)")])],
        );
        std::fs::write(root.join("project.yml"), "name: App\nsettings:\n  CURRENT_PROJECT_VERSION: 7\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let opts = super::Options { platforms: vec![crate::workspace::Platform::Ios], dry_run: true, archive: false, build_dir: root.join("build"), bump_build: true, altool: None };
        let plan = super::build(&ws, &opts, &Credentials::default());
        let bump = plan.steps.iter().find(|s| s.id == "bump").expect("a bump step");
        assert_eq!(bump.title, "Raise the build number to 8");
        // Raised where the number is written; the target's reference is left as it is.
        let change = bump.bump.first().unwrap();
        assert_eq!(change.new.matches("CURRENT_PROJECT_VERSION = \"8\";").count() + change.new.matches("CURRENT_PROJECT_VERSION = 8;").count(), 3, "{}", change.diff);
        assert_eq!(change.new.matches("CURRENT_PROJECT_VERSION = \"$(CURRENT_PROJECT_VERSION)\";").count(), 3);
        let said = "The project is made by XcodeGen from project.yml: a change to its project.pbxproj is undone by the next `xcodegen generate`; make it in project.yml too.";
        assert_eq!(bump.note.as_deref(), Some(said));
        // The Project and Build settings screens say it too.
        assert_eq!(crate::view::project::projects(&ws).unwrap()[0].generated.as_deref(), Some(said));
        let view = crate::view::settings::settings(&ws, "ios").unwrap();
        assert_eq!(view.generated.as_deref(), Some(said));
        let build = view.settings.iter().find(|s| s.name == "CURRENT_PROJECT_VERSION").unwrap();
        assert_eq!(build.why_not.as_deref(), Some("set in the project file, which is made from project.yml: change it there"));
        // Without the spec: nothing said.
        std::fs::remove_file(root.join("project.yml")).unwrap();
        let plan = super::build(&ws, &opts, &Credentials::default());
        assert_eq!(plan.steps.iter().find(|s| s.id == "bump").unwrap().note, None);
    }

    #[test]
    fn two_platforms_numbers_written_in_two_info_plists_are_both_raised() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let plist = |n: &str| {
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>$(MARKETING_VERSION)</string>\n\t<key>CFBundleVersion</key>\n\t<string>{n}</string>\n</dict>\n</plist>\n")
        };
        for (d, n) in [("Phone", "41"), ("Mac", "7141")] {
            std::fs::create_dir_all(root.join(d)).unwrap();
            std::fs::write(root.join(format!("{d}/Info.plist")), plist(n)).unwrap();
        }
        let common = [("MARKETING_VERSION", "2.0"), ("CURRENT_PROJECT_VERSION", "1")];
        let phone = [&common[..], &[("SDKROOT", "iphoneos"), ("INFOPLIST_FILE", "Phone/Info.plist"), ("PRODUCT_BUNDLE_IDENTIFIER", "com.example.phone")]].concat();
        let mac = [&common[..], &[("SDKROOT", "macosx"), ("INFOPLIST_FILE", "Mac/Info.plist"), ("PRODUCT_BUNDLE_IDENTIFIER", "com.example.mac")]].concat();
        project(root, "Both", &[], &[T("Phone", APP, &phone), T("Mac", APP, &mac)]);
        let ws = crate::Workspace::open(root).unwrap();
        use crate::workspace::Platform;
        let opts = super::Options { platforms: vec![Platform::Ios, Platform::Macos], dry_run: true, archive: false, build_dir: root.join("build"), bump_build: true, altool: None };
        let plan = super::build(&ws, &opts, &Credentials::default());
        let bump = plan.steps.iter().find(|s| s.id == "bump").expect("a bump step");
        assert_eq!(bump.title, "Raise the build numbers: iOS to 42, macOS to 7142");
        assert!(bump.needs.is_empty(), "{:?}", bump.needs);
        let files: Vec<std::path::PathBuf> = bump.bump.iter().map(|c| c.path.clone()).collect();
        assert_eq!(files, [root.join("Phone/Info.plist"), root.join("Mac/Info.plist")]);
        assert!(bump.bump[1].new.contains("<string>7142</string>"));
        // Each platform's processing step waits for its own number.
        let builds: Vec<Option<&str>> = plan.builds.iter().map(|b| b.build.as_deref()).collect();
        assert_eq!(builds, [Some("42"), Some("7142")]);
    }

    #[test]
    fn extensions_writing_the_apps_number_are_raised_with_it() {
        // Mattermost: the app's, the share extension's and the notification service's
        // Info.plists all write CFBundleVersion 799; a test bundle's 282 is left alone.
        use crate::discover::fixture::{project_with, APP, EXT, T, TESTS};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let plist = |n: &str| format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleVersion</key>\n\t<string>{n}</string>\n</dict>\n</plist>\n");
        for (d, n) in [("App", "799"), ("Share", "799"), ("Tests", "799")] {
            std::fs::create_dir_all(root.join(d)).unwrap();
            std::fs::write(root.join(format!("{d}/Info.plist")), plist(n)).unwrap();
        }
        project_with(
            root,
            "App",
            &[("SDKROOT", "iphoneos")],
            &[
                T("App", APP, &[("INFOPLIST_FILE", "App/Info.plist"), ("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app"), ("MARKETING_VERSION", "2.4")]),
                T("Share", EXT, &[("INFOPLIST_FILE", "Share/Info.plist")]),
                T("Tests", TESTS, &[("INFOPLIST_FILE", "Tests/Info.plist")]),
            ],
            &[("App", "Share")],
        );
        let ws = crate::Workspace::open(root).unwrap();
        let opts = super::Options { platforms: vec![crate::workspace::Platform::Ios], dry_run: true, archive: false, build_dir: root.join("build"), bump_build: true, altool: None };
        let plan = super::build(&ws, &opts, &Credentials::default());
        let bump = plan.steps.iter().find(|s| s.id == "bump").expect("a bump step");
        assert_eq!(bump.title, "Raise the build number to 800 in 2 files");
        let files: Vec<std::path::PathBuf> = bump.bump.iter().map(|c| c.path.clone()).collect();
        assert_eq!(files, [root.join("App/Info.plist"), root.join("Share/Info.plist")], "the test bundle is not embedded");
        assert!(bump.bump[1].new.contains("<string>800</string>"));
    }

    #[test]
    fn a_second_platforms_number_written_elsewhere_is_not_claimed_raised() {
        use crate::settings::{SettingValue, Settings, Shipped};
        use std::path::PathBuf;
        let at = |f: &str| PathBuf::from(f);
        let literal = |f: &str| Shipped { value: "7".into(), name: "CFBundleVersion in the Info.plist".into(), setting: None, file: at(f), line: Some(3) };
        let settings = Settings {
            values: [
                ("CURRENT_PROJECT_VERSION".to_string(), SettingValue { value: "7".into(), raw: "$(BUILD)".into(), file: at("App.xcodeproj/project.pbxproj"), line: 9 }),
                ("BUILD".to_string(), SettingValue { value: "7".into(), raw: "7".into(), file: at("Version.xcconfig"), line: 1 }),
            ]
            .into_iter()
            .collect(),
        };
        // Each Info.plist writes its own number: the macOS one is not the iOS one the bump raised.
        assert!(super::written_elsewhere(&settings, Some(&literal("Mac/Info.plist")), &at("iOS/Info.plist")));
        assert!(!super::written_elsewhere(&settings, Some(&literal("iOS/Info.plist")), &at("iOS/Info.plist")));
        // A setting followed to where it is set: the same xcconfig is the same number.
        let via = Shipped { setting: Some("CURRENT_PROJECT_VERSION".into()), file: at("App.xcodeproj/project.pbxproj"), ..literal("x") };
        assert!(!super::written_elsewhere(&settings, Some(&via), &at("Version.xcconfig")));
        assert!(super::written_elsewhere(&settings, Some(&via), &at("Other.xcconfig")));
    }

    #[test]
    fn a_flutter_apps_build_number_is_raised_in_its_pubspec_not_overwritten_in_the_project() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let ios = dir.path().join("app/ios");
        std::fs::create_dir_all(ios.join("Flutter")).unwrap();
        let pubspec = dir.path().join("app/pubspec.yaml");
        std::fs::write(&pubspec, "name: demo\nversion: 1.18.2+64\n# the rest\n").unwrap();
        let xp = project(&ios, "Runner", &[("SDKROOT", "iphoneos")], &[T("Runner", APP, &[("CURRENT_PROJECT_VERSION", "$(FLUTTER_BUILD_NUMBER)")])]);
        let pbx_before = std::fs::read_to_string(xp.join("project.pbxproj")).unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let t = &ws.config.targets[0];
        let settings = crate::settings::target_settings(&ws, t).unwrap();
        let (next, change) = super::bump_change(&ws, &settings, None).unwrap();
        assert_eq!(next, "65");
        assert_eq!(change.path, pubspec);
        assert_eq!(change.new, "name: demo\nversion: 1.18.2+65\n# the rest\n");
        assert_eq!(std::fs::read_to_string(xp.join("project.pbxproj")).unwrap(), pbx_before, "a plan writes nothing");
        // A reference nothing here sets is refused, not replaced by a number.
        std::fs::remove_file(&pubspec).unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let settings = crate::settings::target_settings(&ws, &ws.config.targets[0]).unwrap();
        let err = super::bump_change(&ws, &settings, None).unwrap_err().to_string();
        assert!(err.contains("$(FLUTTER_BUILD_NUMBER)"), "{err}");
    }

    #[test]
    fn manual_export_options_name_a_profile_for_every_bundle_the_archive_embeds() {
        use crate::discover::fixture::{project_with, scheme, APP, EXT, FRAMEWORK, T, TESTS, WATCH, WATCH_EXT};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let manual = |bundle: &'static str, profile: &'static str| -> Vec<(&'static str, &'static str)> {
            let mut v = vec![("PRODUCT_BUNDLE_IDENTIFIER", bundle), ("CODE_SIGN_STYLE", "Manual"), ("DEVELOPMENT_TEAM", "7XK2M9QPLA")];
            if !profile.is_empty() {
                v.push(("PROVISIONING_PROFILE_SPECIFIER", profile));
            }
            v
        };
        let (app, widget, share, watch, watch_ext, kit, tests) = (
            manual("com.example.shop", "Shop Store"),
            manual("com.example.shop.widget", "Shop Widget Store"),
            manual("com.example.shop.share", ""),
            manual("com.example.shop.watchkitapp", "Shop Watch Store"),
            manual("com.example.shop.watchkitapp.extension", "Shop Watch Ext Store"),
            manual("com.example.ShopKit", ""),
            manual("com.example.shop.tests", ""),
        );
        let p = project_with(
            root,
            "Shop",
            &[("SDKROOT", "iphoneos")],
            &[
                T("Shop", APP, &app),
                T("ShopWidget", EXT, &widget),
                T("ShopShare", EXT, &share),
                T("ShopWatch", WATCH, &watch),
                T("ShopWatch Extension", WATCH_EXT, &watch_ext),
                T("ShopKit", FRAMEWORK, &kit),
                T("ShopTests", TESTS, &tests),
            ],
            &[("Shop", "ShopKit"), ("Shop", "ShopWidget"), ("Shop", "ShopShare"), ("Shop", "ShopWatch"), ("ShopWatch", "ShopWatch Extension"), ("ShopWidget", "ShopKit"), ("ShopTests", "Shop")],
        );
        scheme(&p, "Shop", "Release", "Shop.xcodeproj", &["Shop"]);
        let ws = crate::Workspace::open(root).unwrap();
        let t = &ws.config.targets[0];
        assert_eq!(t.target_name(), "Shop");
        let settings = crate::settings::target_settings(&ws, t).unwrap();
        let embedded = crate::settings::embedded_settings(&ws, t);
        let names: Vec<&str> = embedded.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["ShopWidget", "ShopShare", "ShopWatch", "ShopWatch Extension"], "frameworks and tests carry no profile of their own");

        let (plist, notes) = super::export_options(&ws, t, &settings, &embedded, &[], &Default::default(), None);
        let d = plist::Value::from_reader_xml(plist.as_bytes()).unwrap().into_dictionary().unwrap();
        let profiles = d.get("provisioningProfiles").and_then(|v| v.as_dictionary()).expect(&plist);
        let got: Vec<(String, String)> = profiles.iter().map(|(k, v)| (k.clone(), v.as_string().unwrap_or_default().to_string())).collect();
        assert_eq!(
            got,
            vec![
                ("com.example.shop".to_string(), "Shop Store".to_string()),
                ("com.example.shop.widget".into(), "Shop Widget Store".into()),
                ("com.example.shop.watchkitapp".into(), "Shop Watch Store".into()),
                ("com.example.shop.watchkitapp.extension".into(), "Shop Watch Ext Store".into()),
            ]
        );
        // The share extension names no profile and none is installed: said, not skipped in silence.
        assert!(notes.iter().any(|n| n.contains("com.example.shop.share (target ShopShare)") && n.contains("export will fail")), "{notes:?}");
    }

    #[test]
    fn the_key_file_is_the_users_alone_and_replaces_a_leftover() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("private_keys");
        std::fs::create_dir_all(&keys).unwrap();
        std::fs::write(keys.join("AuthKey_OLD.p8"), "left by a run that died").unwrap();
        let path = super::install_key(&keys, &key(Some("ABC"), Some("I"), Some("KEY"))).unwrap().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "KEY");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(&keys).unwrap().permissions().mode() & 0o777, 0o700);
        assert!(!keys.join("AuthKey_OLD.p8").exists());
    }

    #[test]
    fn a_dry_run_builds_in_a_private_folder_of_its_own() {
        use std::os::unix::fs::PermissionsExt;
        let ws = crate::Workspace::open(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry")).unwrap();
        let a = super::build_dir(&ws, true).unwrap();
        let b = super::build_dir(&ws, true).unwrap();
        assert_ne!(a, b, "each dry-run its own folder");
        assert_eq!(std::fs::metadata(&a).unwrap().permissions().mode() & 0o777, 0o700);
        assert!(!a.file_name().unwrap().to_string_lossy().contains(&std::process::id().to_string()), "not named after the pid");
        let _ = std::fs::remove_dir_all(&a);
        let _ = std::fs::remove_dir_all(&b);
    }
}
