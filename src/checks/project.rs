//! The Xcode projects of the shipping targets: they parse, every target has the release
//! configuration, based on the workspace's Production xcconfig, and the shared scheme
//! archives with it.

use crate::finding::{Finding, Fix};
use crate::fsutil::same_file;
use crate::pbxproj::{scheme, Document, Project};
use crate::workspace::Workspace;
use crate::Error;
use std::path::{Path, PathBuf};

/// What `flutter build` writes beside a Flutter app's Xcode project, kept out of git: the iOS
/// and the macOS name.
const FLUTTER_GENERATED: [&str; 2] = ["Flutter/Generated.xcconfig", "Flutter/ephemeral/Flutter-Generated.xcconfig"];

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let release = ws.configuration();
    let production_xcconfig = ws.config.production_xcconfig.as_ref().map(|p| ws.path(p));
    // What lies in git submodules not checked out here is one cause, said once (Delta's
    // workspace and project name ten projects from its submodules: one blocker, not eighteen).
    let repo = crate::ci::repo_root(ws);
    let submodules = crate::ci::git_submodules(&repo);
    let in_submodule = |missing: &Path| submodules.iter().find(|m| missing.starts_with(repo.join(m))).cloned();
    let mut from_submodules = Vec::new();
    workspace_projects_present(ws, &in_submodule, &mut from_submodules, out);
    referenced_projects_present(ws, &in_submodule, &mut from_submodules, out);
    linked_frameworks_present(ws, &repo, &in_submodule, &mut from_submodules, out);
    submodules_not_checked_out(ws, &from_submodules, out);
    for t in &ws.config.targets {
        let xcodeproj = ws.path(&t.project);
        let file = xcodeproj.join("project.pbxproj");
        if !file.is_file() {
            continue; // reported by the workspace check
        }
        let subject = format!("{} target {}", t.platform.display(), t.target_name());
        let doc = match Document::read(&file) {
            Ok(d) => d,
            Err(Error::Parse { line, column, message, .. }) => {
                out.push(
                    Finding::blocker("project.parse", &subject, format!("Column {column}: {message}"))
                        .at(&file, Some(line))
                        .help("Xcode cannot open this file either: restore it from version control."),
                );
                continue;
            }
            Err(e) => {
                out.push(Finding::blocker("project.parse", &subject, e.to_string()).at(&file, None));
                continue;
            }
        };
        let Ok(p) = Project::new(&doc, &xcodeproj) else {
            out.push(Finding::blocker("project.parse", &subject, "The file has no objects dictionary.").at(&file, None));
            continue;
        };
        let Some(target) = p.target(t.target_name()) else {
            let names: Vec<String> = p.targets().into_iter().map(|t| t.name).collect();
            out.push(
                Finding::blocker("project.target.missing", &subject, format!("The project has no target {} (it has: {}).", t.target_name(), names.join(", ")))
                    .at(&file, None)
                    .help("Set `target` under [[targets]] in shipdeck.toml to the target's name."),
            );
            continue;
        };
        let fix = Fix::new(
            "project.add-configuration",
            format!("Add {release} configuration"),
            serde_json::json!({"project": ws.display_path(&xcodeproj), "from": "Release", "name": release, "scheme": t.scheme}),
        );
        let project_list = p.project_configurations();
        let mut missing = Vec::new();
        if let Some(list) = &project_list {
            if !list.configurations.iter().any(|c| c.name == release) {
                missing.push("the project");
            }
        }
        let target_config = target.configurations.configurations.iter().find(|c| c.name == release);
        if target_config.is_none() {
            missing.push("the target");
        }
        let project_config = project_list.as_ref().and_then(|l| l.configurations.iter().find(|c| c.name == release));
        base_xcconfigs_present(ws, t, [target_config, project_config], release, &file, production_xcconfig.as_deref(), out);
        if !missing.is_empty() {
            out.push(
                Finding::blocker(
                    "project.configuration.missing",
                    &subject,
                    format!(
                        "{} {} no {release} configuration: an archive with -configuration {release} would fail or fall back to another one.",
                        missing.join(" and "),
                        if missing.len() == 1 { "has" } else { "have" }
                    ),
                )
                .at(&file, Some(target.configurations.configurations.first().map(|c| c.line).unwrap_or(target.line)))
                .help(format!("Clone Release as {release} in every configuration list: `shipdeck project add-configuration {} --name {release}`.", ws.display_path(&xcodeproj)))
                .fix(fix),
            );
        } else if let (Some(cfg), Some(expected)) = (target_config, &production_xcconfig) {
            let project_cfg = project_list.as_ref().and_then(|l| l.configurations.iter().find(|c| c.name == release));
            let based = [cfg.base_xcconfig.as_deref(), project_cfg.and_then(|c| c.base_xcconfig.as_deref())].into_iter().flatten().any(|b| same_file(b, expected));
            if based {
                out.push(Finding::ok("project.configuration.production", &subject, format!("{release} is based on {}", ws.display_path(expected))).at(&file, Some(cfg.line)));
            } else {
                let actual = cfg.base_xcconfig.as_ref().map(|b| format!("is based on {}", ws.display_path(b))).unwrap_or_else(|| "is based on no xcconfig".into());
                out.push(
                    Finding::blocker("project.configuration.base-xcconfig", &subject, format!("{release} {actual}, not on {}: its settings do not apply.", ws.display_path(expected)))
                        .at(&file, Some(cfg.line))
                        .help(format!("In Xcode's project editor, Info tab, set the {release} configuration of {} to {}.", t.target_name(), ws.display_path(expected))),
                );
            }
        }

        // The shared scheme must archive with the release configuration.
        // Shared in the project, or in the workspace it is built in (CocoaPods puts them there).
        let in_workspace = t.workspace.as_ref().map(|w| ws.path(w).join("xcshareddata/xcschemes").join(format!("{}.xcscheme", t.scheme)));
        let scheme_file = match in_workspace.filter(|p| p.is_file()) {
            Some(p) => p,
            None => scheme::scheme_path(&xcodeproj, &t.scheme),
        };
        let shares_none = |container: &std::path::Path| {
            std::fs::read_dir(container.join("xcshareddata/xcschemes")).map(|d| !d.flatten().any(|e| e.path().extension().is_some_and(|x| x == "xcscheme"))).unwrap_or(true)
        };
        let autocreated = !scheme_file.is_file() && shares_none(&xcodeproj) && t.workspace.as_ref().is_none_or(|w| shares_none(&ws.path(w))) && t.scheme == t.target_name();
        match std::fs::read_to_string(&scheme_file) {
            // With no shared scheme at all, xcodebuild makes one per target, archiving with Release.
            Err(_) if autocreated => out.push(
                Finding::ok("project.scheme.autocreated", &subject, format!("No shared scheme: xcodebuild creates scheme {} from the target, archiving with Release", t.scheme)).at(&xcodeproj, None),
            ),
            Err(_) => out.push(
                Finding::warning("project.scheme.missing", &subject, format!("Scheme {} is not shared: CI and xcodebuild on another Mac will not find it.", t.scheme))
                    .at(&xcodeproj, None)
                    .help("In Xcode: Product > Scheme > Manage Schemes, tick Shared."),
            ),
            Ok(text) => match scheme::archive_configuration(&text) {
                Some(c) if c == release => out.push(Finding::ok("project.scheme.archive-configuration", &subject, format!("Scheme {} archives with {release}", t.scheme)).at(&scheme_file, None)),
                other => {
                    let line = text.find("<ArchiveAction").map(|i| text[..i].matches('\n').count() + 1);
                    out.push(
                        Finding::blocker("project.scheme.archive-configuration", &subject, format!("Scheme {} archives with {}, not {release}.", t.scheme, other.unwrap_or("no configuration")))
                            .at(&scheme_file, line.map(|l| l + 1))
                            .help(format!("`shipdeck project add-configuration` with --scheme {} sets it, or Edit Scheme > Archive in Xcode.", t.scheme)),
                    )
                }
            },
        }
    }
}

/// Every project a release's `.xcworkspace` names is there: `xcodebuild -workspace` cannot
/// build what the workspace lacks. A fresh clone of a CocoaPods app has no `Pods/` until
/// `pod install` (Simplenote's `Simplenote.xcworkspace` names `Pods/Pods.xcodeproj`).
/// A project the release builds from that lies in a git submodule not checked out here: the
/// submodule, the project, what names it (the workspace or project, and its file).
struct FromSubmodule {
    submodule: PathBuf,
    missing: PathBuf,
    named_by: PathBuf,
    file: PathBuf,
}

fn workspace_projects_present(ws: &Workspace, in_submodule: &dyn Fn(&Path) -> Option<PathBuf>, from_submodules: &mut Vec<FromSubmodule>, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    for w in ws.config.targets.iter().filter_map(|t| t.workspace.as_ref()) {
        if seen.contains(w) {
            continue;
        }
        seen.push(w.clone());
        let xcworkspace = ws.path(w);
        let data = xcworkspace.join("contents.xcworkspacedata");
        for project in crate::discover::xcode::workspace_projects(&xcworkspace).into_iter().filter(|p| !p.exists()) {
            let shown = ws.display_path(&project);
            let pods = project.parent().and_then(|p| p.file_name()).is_some_and(|n| n == "Pods") && xcworkspace.parent().is_some_and(|d| d.join("Podfile").is_file());
            // A Flutter app not built here yet: the missing Generated.xcconfig says to run the
            // one command that also installs the pods (one cause, one blocker).
            let flutter_unbuilt = xcworkspace.parent().is_some_and(|d| d.join("Flutter").is_dir() && !FLUTTER_GENERATED.iter().any(|g| d.join(g).is_file()));
            if pods && flutter_unbuilt {
                continue;
            }
            if let Some(submodule) = in_submodule(&project) {
                from_submodules.push(FromSubmodule { submodule, missing: project, named_by: xcworkspace.clone(), file: data.clone() });
                continue;
            }
            let (message, help) = if pods {
                (
                    format!("{} names {shown}, which CocoaPods has not installed here: an archive of the workspace fails without it.", ws.display_path(&xcworkspace)),
                    pod_install_help(ws, xcworkspace.parent().unwrap_or(&ws.root)),
                )
            } else {
                (
                    format!("{} names {shown}, which does not exist: an archive of the workspace fails without it.", ws.display_path(&xcworkspace)),
                    format!("Restore {shown}, or remove it from the workspace in Xcode."),
                )
            };
            out.push(Finding::blocker("project.workspace.project-missing", &shown, message).help(help).at(&data, None));
        }
    }
}

/// How to install a workspace's pods: `pod install` in the Podfile's folder; a React Native app's
/// pods come from its node_modules (Mattermost), so its packages are installed first.
fn pod_install_help(ws: &Workspace, podfile_dir: &Path) -> String {
    let folder = match ws.display_path(podfile_dir) {
        f if f.is_empty() => "the workspace folder".to_string(),
        f => format!("{f}/"),
    };
    let package = |needle: &str| podfile_dir.ancestors().take(3).find(|d| std::fs::read_to_string(d.join("package.json")).is_ok_and(|t| t.contains(needle))).map(Path::to_path_buf);
    let podfile_uses_node_modules = std::fs::read_to_string(podfile_dir.join("Podfile")).is_ok_and(|t| t.contains("node_modules/"));
    if let Some(app) = package("\"@capacitor/ios\"") {
        // Ionic's Capacitor: `cap sync` copies the built web app into ios/App/App/public (which
        // git ignores and the app bundles) and runs `pod install` on pods from node_modules.
        format!(
            "Run `npm install`, build the web app (`npm run build`), then `npx cap sync ios` beside {}: Capacitor copies the web assets into the iOS app and installs its pods from node_modules (CI: before Shipdeck's release step).",
            ws.display_path(&app.join("package.json"))
        )
    } else if package("\"react-native\"").is_some() {
        format!("Run `npm install` (or yarn) in the app's folder, then `pod install` in {folder}: React Native's pods come from node_modules (CI: before Shipdeck's release step).")
    } else if podfile_uses_node_modules {
        format!("Run `npm install` (or yarn) in the app's folder, then `pod install` in {folder}: the Podfile takes pods from node_modules (CI: before Shipdeck's release step).")
    } else {
        format!("Run `pod install` in {folder} (CI: before Shipdeck's release step).")
    }
}

/// The projects and local Swift packages a release project builds from (`projectReferences`,
/// `XCLocalSwiftPackageReference`) are there. A framework project from a git submodule
/// (ownCloud's ios-sdk) is absent until the submodule is checked out, and the archive fails
/// without it.
fn referenced_projects_present(ws: &Workspace, in_submodule: &dyn Fn(&Path) -> Option<PathBuf>, from_submodules: &mut Vec<FromSubmodule>, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    for t in &ws.config.targets {
        let xcodeproj = ws.path(&t.project);
        if seen.contains(&xcodeproj) {
            continue;
        }
        seen.push(xcodeproj.clone());
        let pbxproj = xcodeproj.join("project.pbxproj");
        let Ok(doc) = crate::pbxproj::Document::read(&pbxproj) else { continue };
        let Ok(p) = crate::pbxproj::Project::new(&doc, &xcodeproj) else { continue };
        for missing in p.project_references().into_iter().chain(p.local_packages()).filter(|r| !r.exists()) {
            if let Some(submodule) = in_submodule(&missing) {
                from_submodules.push(FromSubmodule { submodule, missing, named_by: xcodeproj.clone(), file: pbxproj.clone() });
                continue;
            }
            let shown = ws.display_path(&missing);
            // Flutter's Swift Package Manager plugins (lichess's
            // `ios/Flutter/ephemeral/Packages/FlutterGeneratedPluginSwiftPackage`): written by
            // `flutter build … --config-only` with Generated.xcconfig; when that file is missing
            // too, its blocker says the command (one cause, one blocker).
            let project_dir = xcodeproj.parent().unwrap_or(&ws.root);
            if missing.components().any(|c| c.as_os_str() == "ephemeral") && missing.starts_with(project_dir.join("Flutter")) {
                if !FLUTTER_GENERATED.iter().any(|g| project_dir.join(g).is_file()) {
                    continue;
                }
                let os = if project_dir.file_name().is_some_and(|n| n == "macos") { "macos" } else { "ios" };
                out.push(
                    Finding::blocker(
                        "project.reference.missing",
                        &shown,
                        format!("{} builds from {shown}, which Flutter writes and git does not hold: the archive fails without it.", ws.display_path(&xcodeproj)),
                    )
                    .help(format!("Run `flutter build {os} --config-only --release` in the Flutter app's folder before the release: it writes the plugins' package without compiling."))
                    .at(&pbxproj, None),
                );
                continue;
            }
            out.push(
                Finding::blocker("project.reference.missing", &shown, format!("{} builds from {shown}, which is not here: the archive fails without it.", ws.display_path(&xcodeproj)))
                    .help(format!("Restore {shown}, or remove the reference from the project in Xcode."))
                    .at(&pbxproj, None),
            );
        }
    }
}

/// The frameworks a shipping target links from the repository are there. One a build step
/// makes and git ignores (Ghostty's `GhosttyKit.xcframework`, from `zig build`), or Carthage
/// builds (`Carthage/Build/…`), is absent from a fresh clone, and the archive fails to link.
fn linked_frameworks_present(ws: &Workspace, repo: &Path, in_submodule: &dyn Fn(&Path) -> Option<PathBuf>, from_submodules: &mut Vec<FromSubmodule>, out: &mut Vec<Finding>) {
    let mut seen: Vec<PathBuf> = Vec::new();
    for t in &ws.config.targets {
        let xcodeproj = ws.path(&t.project);
        let pbxproj = xcodeproj.join("project.pbxproj");
        let Ok(doc) = crate::pbxproj::Document::read(&pbxproj) else { continue };
        let Ok(p) = crate::pbxproj::Project::new(&doc, &xcodeproj) else { continue };
        // Only the repository's own files: the system's frameworks (`/System/Library/…`, which a
        // Mac has) and paths made of build settings (UTM's `$(SYSROOT_DIR)/Frameworks`) are not
        // checked here.
        let own = |f: &PathBuf| f.starts_with(repo) && !f.to_string_lossy().contains('$');
        for missing in p.linked_frameworks(t.target_name()).into_iter().filter(|f| own(f) && !f.exists()) {
            if seen.contains(&missing) {
                continue;
            }
            seen.push(missing.clone());
            if let Some(submodule) = in_submodule(&missing) {
                from_submodules.push(FromSubmodule { submodule, missing, named_by: xcodeproj.clone(), file: pbxproj.clone() });
                continue;
            }
            let shown = ws.display_path(&missing);
            let name = missing.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let stem = name.split('.').next().unwrap_or(&name).to_string();
            let rel = missing.strip_prefix(repo).map(|r| r.to_string_lossy().into_owned()).unwrap_or_else(|_| shown.clone());
            let help = if rel.contains("Carthage/Build/") {
                "Carthage builds it: run `carthage bootstrap` (with `--use-xcframeworks` for an .xcframework) before the archive (CI: before Shipdeck's release step).".to_string()
            } else if crate::ci::git_ignored(repo, &missing) {
                match made_by(ws, repo, &stem) {
                    Some(place) => format!("Git ignores it: the team's build makes it before the archive ({place} names it). Run that step first (CI: before Shipdeck's release step)."),
                    None => "Git ignores it: the team's build makes it. Run that step before the archive (CI: before Shipdeck's release step).".to_string(),
                }
            } else {
                format!("Restore {shown}, or remove it from the target's Frameworks phase in Xcode.")
            };
            out.push(
                Finding::blocker(
                    "project.framework.missing",
                    &shown,
                    format!("{} target {} links {shown}, which is not here: the archive fails to link without it.", t.platform.display(), t.target_name()),
                )
                .help(help)
                .at(&pbxproj, None),
            );
        }
    }
}

/// The first place a workflow, Makefile or top-level script names `word` outside a comment
/// (`.github/workflows/release-tag.yml:173`, the step "Build GhosttyKit").
fn made_by(ws: &Workspace, repo: &Path, word: &str) -> Option<String> {
    let listed = |dir: &Path, ext: &[&str]| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| ext.iter().any(|x| e == *x))).collect();
        v.sort();
        v
    };
    let mut files = listed(&repo.join(".github/workflows"), &["yml", "yaml"]);
    files.extend(["Makefile", "justfile"].iter().map(|f| repo.join(f)));
    // Shell scripts at the top and in a scripts folder (Rainbow's `scripts/postinstall.sh`).
    files.extend(listed(repo, &["sh"]));
    for folder in ["scripts", "Scripts", "bin", "tools"] {
        files.extend(listed(&repo.join(folder), &["sh"]));
    }
    files.into_iter().filter(|f| f.is_file()).find_map(|f| {
        let text = std::fs::read_to_string(&f).ok()?;
        let n = text.lines().position(|l| {
            let l = l.trim();
            !l.starts_with('#') && l.contains(word)
        })?;
        Some(format!("{}:{}", ws.display_path(&f), n + 1))
    })
}

/// One blocker for every project the release builds from that lies in a git submodule not
/// checked out here (ownCloud's ios-sdk; Delta's ten cores and libraries).
fn submodules_not_checked_out(ws: &Workspace, found: &[FromSubmodule], out: &mut Vec<Finding>) {
    let Some(first) = found.first() else { return };
    let help = "Run `git submodule update --init --recursive` (CI: check out with submodules).";
    let mut projects: Vec<String> = Vec::new();
    let mut submodules: Vec<String> = Vec::new();
    let mut named_by: Vec<String> = Vec::new();
    for f in found {
        for (list, item) in [(&mut projects, ws.display_path(&f.missing)), (&mut submodules, f.submodule.display().to_string()), (&mut named_by, ws.display_path(&f.named_by))] {
            if !list.contains(&item) {
                list.push(item);
            }
        }
    }
    let f = if projects.len() == 1 {
        Finding::blocker(
            "project.reference.missing",
            &projects[0],
            format!("{} builds from {}, which is not here: the archive fails without it. It lies in the git submodule {}.", named_by.join(" and "), projects[0], submodules[0]),
        )
    } else {
        let list = |v: &[String]| crate::text::and_list(&v.iter().map(String::as_str).collect::<Vec<_>>());
        Finding::blocker(
            "project.reference.missing",
            if submodules.len() > 2 { format!("{} git submodules", submodules.len()) } else { list(&submodules) },
            format!("{} build from {} projects in git submodules not checked out here ({}): the archive fails without them.", list(&named_by), projects.len(), list(&submodules)),
        )
    };
    out.push(f.help(help).at(&first.file, None));
}

/// The xcconfig the release configuration is based on (the target's and the project's) is
/// there. A file kept out of git (a `Secrets.xcconfig`) is absent from a fresh clone: Xcode only
/// warns ("Unable to open base configuration reference file") and builds without its settings.
/// Not said again for the Production xcconfig (the workspace check says it) or for CocoaPods'
/// files before `pod install` (the workspace's missing Pods project says it).
fn base_xcconfigs_present(
    ws: &Workspace,
    t: &crate::workspace::TargetConfig,
    configs: [Option<&crate::pbxproj::Configuration>; 2],
    release: &str,
    file: &Path,
    production: Option<&Path>,
    out: &mut Vec<Finding>,
) {
    let subject = format!("{} target {}", t.platform.display(), t.target_name());
    for cfg in configs.into_iter().flatten() {
        let Some(base) = &cfg.base_xcconfig else { continue };
        let pods_not_installed = base.ancestors().any(|a| a.file_name().is_some_and(|n| n == "Pods") && !a.exists());
        if production.is_some_and(|p| same_file(base, p)) || pods_not_installed {
            continue;
        }
        if base.exists() {
            included_files_present(ws, &subject, base, release, out);
            continue;
        }
        if let Some(template) = crate::fsutil::template_of(base) {
            templated_base(ws, &subject, base, &template, release, cfg.line, file, out);
            continue;
        }
        // Rainbow's ios/release.xcconfig is written by its npm postinstall script.
        let repo = crate::ci::repo_root(ws);
        let name = base.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let help = match made_by(ws, &repo, &name) {
            Some(place) => format!("{place} names it: run that step before the archive (CI: before Shipdeck's release step), or remove the reference in Xcode's project editor, Info tab."),
            None => "Create it (a file kept out of git, such as one holding secrets, is made by the team's setup script), or remove the reference in Xcode's project editor, Info tab.".to_string(),
        };
        out.push(
            Finding::warning(
                "project.configuration.base-missing",
                &subject,
                format!("{release} is based on {}, which is not here: Xcode only warns and builds without its settings.", ws.display_path(base)),
            )
            .at(file, Some(cfg.line))
            .help(help),
        );
    }
}

/// A base xcconfig absent here whose committed template is (Mullvad's setup copies each
/// `*.xcconfig.template` in `ios/Configurations` to its name): one finding for the file and the
/// templated files it includes, which Shipdeck read in their places. Other missing includes of
/// the template are said as for any base.
#[allow(clippy::too_many_arguments)]
fn templated_base(ws: &Workspace, subject: &str, base: &Path, template: &Path, release: &str, line: usize, file: &Path, out: &mut Vec<Finding>) {
    use crate::xcconfig::{resolve_file, Conditions, DiagnosticKind};
    let mut pairs = vec![(base.to_path_buf(), template.to_path_buf())];
    if let Ok(resolved) = resolve_file(template, &Conditions { config: Some(release.into()), ..Default::default() }) {
        for d in resolved.diagnostics.iter().filter(|d| d.kind == DiagnosticKind::IncludeMissing) {
            if let (Some(inc), Some(t)) = (&d.include, &d.stand_in) {
                if !pairs.iter().any(|(p, _)| p == inc) {
                    pairs.push((inc.clone(), t.clone()));
                }
            }
        }
    }
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let more: Vec<String> = pairs[1..].iter().map(|(p, _)| name(p)).collect();
    let message = if more.is_empty() {
        format!("{release} is based on {}, which is not here; its template {} is, and Shipdeck read the template in its place. Xcode reads neither: until the file is made, it only warns and builds without its settings.", ws.display_path(base), name(template))
    } else {
        format!(
            "{release} is based on {}, which is not here, nor {} it includes; their templates are, and Shipdeck read them in their places. Xcode reads no template: until the files are made, it only warns and builds without their settings.",
            ws.display_path(base),
            crate::text::and_list(&more.iter().map(String::as_str).collect::<Vec<_>>())
        )
    };
    let copies: Vec<String> = pairs.iter().map(|(p, t)| format!("`cp {} {}`", crate::tools::shell_quote(&ws.display_path(t)), crate::tools::shell_quote(&ws.display_path(p)))).collect();
    let files: Vec<serde_json::Value> = pairs.iter().map(|(p, t)| serde_json::json!([ws.display_path(t), ws.display_path(p)])).collect();
    let title = if pairs.len() == 1 { format!("Make {} from its template", name(base)) } else { format!("Make the {} files from their templates", pairs.len()) };
    let fix = crate::finding::Fix::new("project.copy-templates", title, serde_json::json!({ "files": files }));
    out.push(Finding::warning("project.configuration.base-templated", subject, message).at(file, Some(line)).fix(fix).help(format!(
        "Make {} from {} as the team's setup does ({}), before the archive (CI: before Shipdeck's release step).",
        if copies.len() == 1 { "it" } else { "them" },
        if copies.len() == 1 { "its template" } else { "their templates" },
        copies.join(", ")
    )));
    // What else the template includes and nothing stands in for.
    if let Ok(resolved) = resolve_file(template, &Conditions { config: Some(release.into()), ..Default::default() }) {
        if resolved.diagnostics.iter().any(|d| d.kind == DiagnosticKind::IncludeMissing && d.stand_in.is_none()) {
            included_files_present(ws, subject, template, release, out);
        }
    }
}

/// The files a release configuration's xcconfig `#include`s are there. Flutter's
/// `Generated.xcconfig` (`ephemeral/Flutter-Generated.xcconfig` on macOS) is written by `flutter`
/// and kept out of git: without it the archive's Flutter build script has no FLUTTER_ROOT and
/// fails; `flutter build ios|macos --config-only` writes it and runs `pod install` without
/// compiling (flutter/flutter#64848, #84018). Another missing include: Xcode builds without its
/// settings.
fn included_files_present(ws: &Workspace, subject: &str, base: &Path, release: &str, out: &mut Vec<Finding>) {
    use crate::xcconfig::{resolve_file, Conditions, DiagnosticKind};
    let Ok(resolved) = resolve_file(base, &Conditions { config: Some(release.into()), ..Default::default() }) else { return };
    // An include in other capitals in any xcconfig the release reads (the Production xcconfig's
    // own check may have said it already).
    for d in resolved.diagnostics.iter().filter(|d| d.kind == DiagnosticKind::IncludeCase) {
        if !out.iter().any(|f| f.id == "xcconfig.include.case" && f.file.as_deref() == Some(d.file.as_path()) && f.line == Some(d.line)) {
            out.push(super::xcconfig::include_case(ws, d));
        }
    }
    for d in resolved.diagnostics.iter().filter(|d| d.kind == DiagnosticKind::IncludeMissing) {
        let Some(include) = &d.include else { continue };
        if let Some(template) = &d.stand_in {
            // Said with the base it stands in for.
            if base.file_name().is_some_and(|n| crate::fsutil::is_template(Path::new(n))) {
                continue;
            }
            let t = ws.display_path(template);
            let missing = ws.display_path(include);
            out.push(
                Finding::warning(
                    "project.configuration.include-templated",
                    subject,
                    format!("{release} includes {missing}, which is not here; its template {t} is, and Shipdeck read the template in its place. Xcode does not: until the file is made, it builds without its settings."),
                )
                .help(format!("Make it from the template as the team's setup does (`cp {} {}`), before the archive.", crate::tools::shell_quote(&t), crate::tools::shell_quote(&missing)))
                .fix(crate::finding::Fix::new(
                    "project.copy-templates",
                    format!("Make {} from its template", include.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()),
                    serde_json::json!({ "files": [[t, missing]] }),
                ))
                .at(&d.file, Some(d.line)),
            );
            continue;
        }
        let missing = ws.display_path(include);
        let flutter = FLUTTER_GENERATED.iter().position(|g| include.ends_with(g));
        let f = match flutter {
            Some(which) => {
                let os = ["ios", "macos"][which];
                Finding::blocker(
                    "project.configuration.include-missing",
                    subject,
                    format!("{release} includes {missing}, which Flutter writes and git does not hold: the archive's Flutter build step fails without it."),
                )
                .help(format!("Run `flutter build {os} --config-only --release` in the Flutter app's folder before the release: it writes this file and installs the pods without compiling."))
            }
            _ => Finding::warning("project.configuration.include-missing", subject, format!("{release} includes {missing}, which is not here: Xcode builds without its settings."))
                .help("Create the file (or have the team's setup script make it), or write the line as `#include?` if it may be absent."),
        };
        out.push(f.at(&d.file, Some(d.line)));
    }
}

#[cfg(test)]
mod tests {
    use crate::discover::fixture::{project, APP, T};

    /// ownCloud's app project builds from ios-sdk/ownCloudSDK.xcodeproj, a git submodule that a
    /// fresh clone without `--recursive` lacks; its workflow checks out with submodules.
    #[test]
    fn a_referenced_project_from_a_submodule_not_checked_out_is_a_blocker() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        let pbx = xp.join("project.pbxproj");
        let text = std::fs::read_to_string(&pbx).unwrap();
        let text = text
            .replace(
                "\t\t\tisa = PBXProject;\n",
                "\t\t\tisa = PBXProject;\n\t\t\tprojectReferences = (\n\t\t\t\t{\n\t\t\t\t\tProjectRef = EE0000000000000000000001 /* SDK.xcodeproj */;\n\t\t\t\t},\n\t\t\t);\n",
            )
            .replace("\tobjects = {\n", "\tobjects = {\n\t\tEE0000000000000000000001 /* SDK.xcodeproj */ = {isa = PBXFileReference; path = sdk/SDK.xcodeproj; sourceTree = \"<group>\"; };\n");
        std::fs::write(&pbx, text).unwrap();
        std::fs::write(root.join(".gitmodules"), "[submodule \"sdk\"]\n\tpath = sdk\n\turl = https://example.com/sdk.git\n").unwrap();
        std::fs::create_dir_all(root.join("sdk")).unwrap();
        let found = |root: &std::path::Path| {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().filter(|f| f.id == "project.reference.missing").collect::<Vec<_>>()
        };
        let f = found(root);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].message, "App.xcodeproj builds from sdk/SDK.xcodeproj, which is not here: the archive fails without it. It lies in the git submodule sdk.");
        assert!(f[0].help.as_deref().unwrap().contains("git submodule update --init --recursive"), "{:?}", f[0].help);
        // Delta's shape: a workspace naming the same project and another from a second
        // submodule; one blocker for all, naming both submodules.
        std::fs::write(
            root.join(".gitmodules"),
            "[submodule \"sdk\"]\n\tpath = sdk\n\turl = https://example.com/sdk.git\n[submodule \"External/Kit\"]\n\tpath = External/Kit\n\turl = https://example.com/kit.git\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("App.xcworkspace")).unwrap();
        std::fs::write(root.join("App.xcworkspace/contents.xcworkspacedata"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n<FileRef location = \"group:App.xcodeproj\"></FileRef>\n<FileRef location = \"group:sdk/SDK.xcodeproj\"></FileRef>\n<FileRef location = \"group:External/Kit/Kit.xcodeproj\"></FileRef>\n</Workspace>\n").unwrap();
        let toml = "configuration = \"Release\"\n[[targets]]\nplatform = \"ios\"\nproject = \"App.xcodeproj\"\nworkspace = \"App.xcworkspace\"\nscheme = \"App\"\ntarget = \"App\"\n";
        std::fs::write(root.join("shipdeck.toml"), toml).unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let mut all = Vec::new();
        super::check(&ws, &mut all);
        let missing: Vec<_> = all.iter().filter(|f| f.id == "project.reference.missing" || f.id == "project.workspace.project-missing").collect();
        assert_eq!(missing.len(), 1, "{missing:#?}");
        assert_eq!(missing[0].subject, "sdk and External/Kit");
        assert_eq!(missing[0].message, "App.xcworkspace and App.xcodeproj build from 2 projects in git submodules not checked out here (sdk and External/Kit): the archive fails without them.");
        std::fs::remove_file(root.join("shipdeck.toml")).unwrap();
        std::fs::remove_dir_all(root.join("App.xcworkspace")).unwrap();
        std::fs::write(root.join(".gitmodules"), "[submodule \"sdk\"]\n\tpath = sdk\n\turl = https://example.com/sdk.git\n").unwrap();
        // The workflow that checks out the submodules names a file in it: not missing.
        let ws = crate::Workspace::open(root).unwrap();
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        let workflow = "jobs:\n  b:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          submodules: true\n      - run: xcodebuild -resolvePackageDependencies -project SDK.xcodeproj\n        working-directory: ./sdk/\n";
        std::fs::write(root.join(".github/workflows/sbom.yml"), workflow).unwrap();
        let mut out = Vec::new();
        crate::checks::ci::check(&ws, &mut out);
        assert!(!out.iter().any(|f| f.id == "ci.workflow.file-missing"), "{out:#?}");
        std::fs::write(root.join(".github/workflows/sbom.yml"), workflow.replace("          submodules: true\n", "")).unwrap();
        let mut out = Vec::new();
        crate::checks::ci::check(&ws, &mut out);
        assert!(out.iter().any(|f| f.id == "ci.workflow.file-missing"), "without the submodules it is missing: {out:#?}");
        // Checked out: nothing to say.
        std::fs::create_dir_all(root.join("sdk/SDK.xcodeproj")).unwrap();
        assert!(found(root).is_empty());
        // A local Swift package the project uses, absent.
        let text = std::fs::read_to_string(&pbx).unwrap().replace(
            "\tobjects = {\n",
            "\tobjects = {\n\t\tEE0000000000000000000002 /* XCLocalSwiftPackageReference \"Packages/Kit\" */ = {\n\t\t\tisa = XCLocalSwiftPackageReference;\n\t\t\trelativePath = Packages/Kit;\n\t\t};\n",
        );
        std::fs::write(&pbx, text).unwrap();
        let f = found(root);
        assert_eq!(f.iter().map(|f| f.subject.as_str()).collect::<Vec<_>>(), ["Packages/Kit"]);
        std::fs::create_dir_all(root.join("Packages/Kit")).unwrap();
        assert!(found(root).is_empty());
    }

    /// Mullvad's layout: the target's Release is based on `Configurations/App.xcconfig`, which git
    /// does not hold; `App.xcconfig.template` is committed and includes `Base.xcconfig` (also a
    /// template), which includes the committed `Version.xcconfig`. Its setup action copies each
    /// template to its name, and a screenshot workflow edits `UITests.xcconfig` after that.
    #[test]
    fn xcconfigs_made_from_templates_are_read_from_them_and_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        crate::discover::fixture::base_xcconfig(&xp, 3, "Configurations/App.xcconfig");
        let cfg = root.join("Configurations");
        std::fs::create_dir_all(&cfg).unwrap();
        std::fs::write(cfg.join("App.xcconfig.template"), "#include \"Base.xcconfig\"\nPROVISIONING_PROFILE_SPECIFIER = App Release\n").unwrap();
        std::fs::write(cfg.join("Base.xcconfig.template"), "#include \"Version.xcconfig\"\n#include \"Keys.xcconfig\"\nDEVELOPMENT_TEAM = ABCDE12345\nAPP_ID = <app_id>\n").unwrap();
        std::fs::write(cfg.join("Version.xcconfig"), "MARKETING_VERSION = 2026.5\nCURRENT_PROJECT_VERSION = 7\n").unwrap();
        std::fs::write(cfg.join("UITests.xcconfig.template"), "ACCOUNT =\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        // The settings are read through the templates, each value from where it is written.
        let t = ws.config.targets[0].clone();
        let settings = crate::settings::target_settings(&ws, &t).unwrap();
        assert_eq!(settings.value("MARKETING_VERSION"), Some("2026.5"));
        assert_eq!(settings.get("CURRENT_PROJECT_VERSION").map(|v| v.file.clone()), Some(cfg.join("Version.xcconfig")));
        assert_eq!(settings.get("DEVELOPMENT_TEAM").map(|v| v.file.clone()), Some(cfg.join("Base.xcconfig.template")));
        // A placeholder for the developer to fill in is not a value (WireGuard's `<team_id>`).
        assert_eq!(settings.value("APP_ID"), None);
        // Build settings: a template's value is not edited here, and says why.
        let view = crate::view::settings::settings(&ws, "ios").unwrap();
        let team = view.settings.iter().find(|s| s.name == "DEVELOPMENT_TEAM").unwrap();
        assert_eq!((team.editable, team.locked), (false, Some("template")));
        assert!(team.why_not.as_deref().unwrap().starts_with("read from Configurations/Base.xcconfig.template, a template the team's setup copies"), "{team:?}");
        let version = view.settings.iter().find(|s| s.name == "MARKETING_VERSION").unwrap();
        assert!(version.editable && version.locked.is_none(), "{version:?}");
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let ids: Vec<&str> = out.iter().filter(|f| f.severity != crate::finding::Severity::Ok).map(|f| f.id.as_str()).collect();
        // One finding for the two templated files; the include nothing stands in for, its own.
        assert_eq!(ids, ["project.configuration.base-templated", "project.configuration.include-missing"], "{out:#?}");
        let f = &out.iter().find(|f| f.id == "project.configuration.base-templated").unwrap();
        assert!(f.message.starts_with("Release is based on Configurations/App.xcconfig, which is not here, nor Base.xcconfig it includes"), "{}", f.message);
        let help = f.help.as_deref().unwrap();
        assert!(help.contains("`cp Configurations/App.xcconfig.template Configurations/App.xcconfig`, `cp Configurations/Base.xcconfig.template Configurations/Base.xcconfig`"), "{help}");
        let missing = out.iter().find(|f| f.id == "project.configuration.include-missing").unwrap();
        assert!(missing.message.contains("Configurations/Keys.xcconfig"), "{}", missing.message);
        // A workflow editing a file its setup makes from a template: not missing.
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        std::fs::write(root.join(".github/workflows/shots.yml"), "jobs:\n  s:\n    steps:\n      - run: sed -i '' 's/x/y/' UITests.xcconfig\n        working-directory: Configurations\n      - run: cat Other.xcconfig\n        working-directory: Configurations\n      - run: xcodebuild -scheme App archive\n").unwrap();
        let mut out = Vec::new();
        crate::checks::ci::check(&ws, &mut out);
        let missing: Vec<&str> = out.iter().filter(|f| f.id == "ci.workflow.file-missing").map(|f| f.message.as_str()).collect();
        assert_eq!(missing.len(), 1, "{out:#?}");
        assert!(missing[0].contains("`Other.xcconfig`"), "{missing:?}");
        // The finding's fix makes both files from their templates, previewed as new files.
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let fix = out.iter().find(|f| f.id == "project.configuration.base-templated").and_then(|f| f.fix.clone()).unwrap();
        assert_eq!((fix.title.as_str(), fix.preview), ("Make the 2 files from their templates", true));
        let changes = crate::actions::preview_fix(&ws, &fix).unwrap();
        assert_eq!(changes.iter().map(|c| (c.path.clone(), c.create)).collect::<Vec<_>>(), [(cfg.join("App.xcconfig"), true), (cfg.join("Base.xcconfig"), true)]);
        assert_eq!(changes[1].new, std::fs::read_to_string(cfg.join("Base.xcconfig.template")).unwrap());
        let backups = tempfile::tempdir().unwrap();
        crate::change::apply_with_backups(backups.path(), &changes).unwrap();
        // A fix naming a file outside the workspace is refused.
        let outside = crate::finding::Fix::new("project.copy-templates", "t", serde_json::json!({ "files": [["Configurations/UITests.xcconfig.template", "../elsewhere.xcconfig"]] }));
        assert!(crate::actions::preview_fix(&ws, &outside).is_err());
        // Made: nothing about templates.
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        assert!(!out.iter().any(|f| f.id.contains("templated")), "{out:#?}");
        // WireGuard's shape: a file that is there includes one still to make from its template.
        std::fs::write(cfg.join("Developer.xcconfig.template"), "DEVELOPMENT_TEAM = <team_id>\n").unwrap();
        std::fs::write(cfg.join("App.xcconfig"), "#include \"Base.xcconfig\"\n#include \"Developer.xcconfig\"\n").unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let f = out.iter().find(|f| f.id == "project.configuration.include-templated").expect("the include said");
        assert_eq!(f.line, Some(2));
        let fix = f.fix.clone().unwrap();
        assert_eq!(fix.title, "Make Developer.xcconfig from its template");
        assert_eq!(fix.params, serde_json::json!({ "files": [["Configurations/Developer.xcconfig.template", "Configurations/Developer.xcconfig"]] }));
    }

    /// Ghostty: the app links `macos/GhosttyKit.xcframework`, which `zig build` makes and
    /// `macos/.gitignore` ignores (`/*.xcframework`); a workflow step builds it. A Carthage
    /// framework is made by `carthage bootstrap`; another absent framework is to restore.
    #[test]
    fn a_framework_the_app_links_that_a_build_step_makes_is_a_blocker_saying_so() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("macos")).unwrap();
        let xp = project(&root.join("macos"), "Ghostty", &[("SDKROOT", "macosx")], &[T("Ghostty", APP, &[])]);
        crate::discover::fixture::link_framework(&xp, "Ghostty", "GhosttyKit.xcframework");
        std::fs::write(root.join("macos/.gitignore"), "/*.xcframework\nbuild/\n").unwrap();
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        std::fs::write(root.join(".github/workflows/release.yml"), "jobs:\n  b:\n    steps:\n      # GhosttyKit is built from Zig\n      - name: Build GhosttyKit\n        run: zig build\n").unwrap();
        let found = || {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().filter(|f| f.id == "project.framework.missing").collect::<Vec<_>>()
        };
        let f = found();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].message, "macOS target Ghostty links macos/GhosttyKit.xcframework, which is not here: the archive fails to link without it.");
        assert!(f[0].help.as_deref().unwrap().starts_with("Git ignores it: the team's build makes it before the archive (.github/workflows/release.yml:5 names it)"), "{:?}", f[0].help);
        // Not ignored: restore it.
        std::fs::remove_file(root.join("macos/.gitignore")).unwrap();
        assert!(found()[0].help.as_deref().unwrap().starts_with("Restore macos/GhosttyKit.xcframework"));
        // Built: nothing to say.
        std::fs::create_dir_all(root.join("macos/GhosttyKit.xcframework")).unwrap();
        assert!(found().is_empty());
        // Carthage's.
        let xp = project(&root.join("macos"), "Ghostty", &[("SDKROOT", "macosx")], &[T("Ghostty", APP, &[])]);
        crate::discover::fixture::link_framework(&xp, "Ghostty", "Carthage/Build/Kit.xcframework");
        assert!(found()[0].help.as_deref().unwrap().starts_with("Carthage builds it: run `carthage bootstrap`"));
        assert!(!crate::ci::git_ignored(root, &root.join("macos/build/x.o")), "the .gitignore is gone");
        // The system's frameworks and paths made of settings are not the repository's to have.
        let xp = project(&root.join("macos"), "Ghostty", &[("SDKROOT", "macosx")], &[T("Ghostty", APP, &[])]);
        crate::discover::fixture::link_framework(&xp, "Ghostty", "/System/Library/PrivateFrameworks/SkyLight.framework");
        assert!(found().is_empty());
        let xp = project(&root.join("macos"), "Ghostty", &[("SDKROOT", "macosx")], &[T("Ghostty", APP, &[])]);
        crate::discover::fixture::link_framework(&xp, "Ghostty", "$(SYSROOT_DIR)/Frameworks/zstd.1.framework");
        assert!(found().is_empty());
    }

    #[test]
    fn gitignore_files_are_read_from_each_folder_up() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("macos/sub")).unwrap();
        std::fs::write(root.join(".gitignore"), "*.log\nPods/\n/top-only\n").unwrap();
        std::fs::write(root.join("macos/.gitignore"), "/*.xcframework\nDerivedData/\n").unwrap();
        let ignored = |p: &str| crate::ci::git_ignored(root, &root.join(p));
        assert!(ignored("macos/GhosttyKit.xcframework") && ignored("macos/DerivedData/x") && ignored("a/b/c.log") && ignored("ios/Pods/Pods.xcodeproj") && ignored("top-only"));
        assert!(!ignored("GhosttyKit.xcframework"), "macos/.gitignore does not reach up");
        assert!(!ignored("macos/sub/Kit.xcframework"), "an anchored pattern is for its own folder");
        assert!(!ignored("macos/top-only") && !ignored("macos/App.swift"));
    }
}
