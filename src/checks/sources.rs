//! What a release builds from is here: the projects its workspace names, the projects and local
//! Swift packages its project builds from, the frameworks it links from the repository. What
//! lies in git submodules not checked out is one cause, said once.

use super::project::FLUTTER_GENERATED;
use crate::finding::Finding;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

pub(super) fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    // Delta's workspace and project name ten projects from its submodules: one blocker, not
    // eighteen.
    let repo = crate::ci::repo_root(ws);
    let submodules = crate::ci::git_submodules(&repo);
    let in_submodule = |missing: &Path| submodules.iter().find(|m| missing.starts_with(repo.join(m))).cloned();
    let mut from_submodules = Vec::new();
    workspace_projects_present(ws, &repo, &in_submodule, &mut from_submodules, out);
    // Each shipping project's file read once, for what it builds from and what its targets link.
    let mut projects: Vec<(PathBuf, std::sync::Arc<crate::pbxproj::Document>)> = Vec::new();
    for t in &ws.config.targets {
        let xcodeproj = ws.path(&t.project);
        if projects.iter().any(|(p, _)| *p == xcodeproj) {
            continue;
        }
        if let Ok(doc) = crate::pbxproj::Document::read_shared(&xcodeproj.join("project.pbxproj")) {
            projects.push((xcodeproj, doc));
        }
    }
    referenced_projects_present(ws, &projects, &in_submodule, &mut from_submodules, out);
    linked_frameworks_present(ws, &repo, &projects, &in_submodule, &mut from_submodules, out);
    submodules_not_checked_out(ws, &from_submodules, out);
}

/// A project the release builds from that lies in a git submodule not checked out here: the
/// submodule, the project, what names it (the workspace or project, and its file).
struct FromSubmodule {
    submodule: PathBuf,
    missing: PathBuf,
    named_by: PathBuf,
    file: PathBuf,
}

/// Every project a release's `.xcworkspace` names is there: `xcodebuild -workspace` cannot
/// build what the workspace lacks. A fresh clone of a CocoaPods app has no `Pods/` until
/// `pod install` (Simplenote's `Simplenote.xcworkspace` names `Pods/Pods.xcodeproj`).
fn workspace_projects_present(ws: &Workspace, repo: &Path, in_submodule: &dyn Fn(&Path) -> Option<PathBuf>, from_submodules: &mut Vec<FromSubmodule>, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    for w in ws.config.targets.iter().filter_map(|t| t.workspace.as_ref()) {
        if seen.contains(w) {
            continue;
        }
        seen.push(w.clone());
        let xcworkspace = ws.path(w);
        let data = xcworkspace.join("contents.xcworkspacedata");
        let mut plain: Vec<PathBuf> = Vec::new();
        for project in crate::discover::xcode::workspace_projects(&xcworkspace).into_iter().filter(|p| !p.exists()) {
            let project = crate::fsutil::normalize(&project);
            // Beside the repository (OsmAnd's workspace names `../baked/…/OsmAnd_projects.xcodeproj`,
            // which its build writes next to the checkout): shown from the repository's folder.
            let outside = !project.starts_with(repo);
            let shown = match (outside, repo.parent().and_then(|up| project.strip_prefix(up).ok())) {
                (true, Some(rest)) => format!("../{}", rest.display()),
                _ => ws.display_path(&project),
            };
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
            } else if outside {
                (
                    format!("{} names {shown}, outside this repository, which is not there: an archive of the workspace fails without it.", ws.display_path(&xcworkspace)),
                    "It comes from beside this repository (another checkout, or a build step that writes there): set that up as the project's README says, then check again.".to_string(),
                )
            } else {
                plain.push(project);
                continue;
            };
            out.push(Finding::blocker("project.workspace.project-missing", &shown, message).help(help).at(&data, None));
        }
        // Missing for no reason Shipdeck knows: one blocker for all of them (Provenance's
        // workspace names four cores' projects the repository no longer holds).
        let names: Vec<String> = plain.iter().map(|p| ws.display_path(p)).collect();
        let f = match names.as_slice() {
            [] => continue,
            [one] => Finding::blocker(
                "project.workspace.project-missing",
                one,
                format!("{} names {one}, which does not exist: an archive of the workspace fails without it.", ws.display_path(&xcworkspace)),
            )
            .help(format!("Restore {one}, or remove it from the workspace in Xcode.")),
            many => Finding::blocker(
                "project.workspace.project-missing",
                format!("{} projects", many.len()),
                format!(
                    "{} names {} projects that do not exist ({}): an archive of the workspace fails without them.",
                    ws.display_path(&xcworkspace),
                    many.len(),
                    crate::text::and_list(&many.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            )
            .help("Restore them, or remove them from the workspace in Xcode."),
        };
        out.push(f.at(&data, None));
    }
}

/// Whether the workspace's missing CocoaPods project has been said (its `pod install` is the cause
/// of the other things `Pods/` should hold, said once).
pub(super) fn pods_project_said(out: &[Finding]) -> bool {
    out.iter().any(|f| f.id == "project.workspace.project-missing" && Path::new(&f.subject).ends_with("Pods/Pods.xcodeproj"))
}

/// A folder as a command's advice names it: `ios/`, or "the workspace folder" for its root.
fn folder_phrase(ws: &Workspace, dir: &Path) -> String {
    match ws.display_path(dir) {
        f if f.is_empty() => "the workspace folder".to_string(),
        f => format!("{f}/"),
    }
}

/// How to install a workspace's pods: `pod install` in the Podfile's folder; a React Native app's
/// pods come from its node_modules (Mattermost), so its packages are installed first.
pub(super) fn pod_install_help(ws: &Workspace, podfile_dir: &Path) -> String {
    let folder = folder_phrase(ws, podfile_dir);
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

/// The command that installs a JavaScript app's packages as its lockfile says: `yarn install`,
/// `pnpm install`, `bun install`, else `npm ci` with a package-lock.json, else `npm install`.
fn js_install(app: &Path) -> &'static str {
    match () {
        _ if app.join("yarn.lock").is_file() => "yarn install",
        _ if app.join("pnpm-lock.yaml").is_file() => "pnpm install",
        _ if app.join("bun.lockb").is_file() || app.join("bun.lock").is_file() => "bun install",
        _ if app.join("package-lock.json").is_file() => "npm ci",
        _ => "npm install",
    }
}

/// The projects and local Swift packages a release project builds from (`projectReferences`,
/// `XCLocalSwiftPackageReference`) are there. A framework project from a git submodule
/// (ownCloud's ios-sdk) is absent until the submodule is checked out, and the archive fails
/// without it.
fn referenced_projects_present(
    ws: &Workspace,
    projects: &[(PathBuf, std::sync::Arc<crate::pbxproj::Document>)],
    in_submodule: &dyn Fn(&Path) -> Option<PathBuf>,
    from_submodules: &mut Vec<FromSubmodule>,
    out: &mut Vec<Finding>,
) {
    for (xcodeproj, doc) in projects {
        let xcodeproj = xcodeproj.clone();
        let pbxproj = xcodeproj.join("project.pbxproj");
        let Ok(p) = crate::pbxproj::Project::new(doc, &xcodeproj) else { continue };
        let references = p.project_reference_uses();
        let mut unused: Vec<PathBuf> = Vec::new();
        let mut from_packages: Vec<PathBuf> = Vec::new();
        for missing in references.iter().map(|(r, _)| r.clone()).chain(p.local_packages()).filter(|r| crate::fsutil::on_disk(r).is_none()) {
            let shown = ws.display_path(&missing);
            // Listed and used by nothing (no target depends on it, nothing linked or copied from
            // it): Xcode shows it in red and builds without it.
            if references.iter().any(|(r, used)| *r == missing && !used) {
                unused.push(missing);
                continue;
            }
            if let Some(submodule) = in_submodule(&missing) {
                from_submodules.push(FromSubmodule { submodule, missing, named_by: xcodeproj.clone(), file: pbxproj.clone() });
                continue;
            }
            // The workspace's check said it already (CocoaPods' `Pods/Pods.xcodeproj`, which the
            // project also lists: Stop COVID-19 Croatia): one cause, one blocker.
            if out.iter().any(|f| f.id == "project.workspace.project-missing" && f.subject == shown) {
                continue;
            }
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
            // A React Native app's older projects link its native modules' own projects from
            // node_modules (podverse's RNCSlider.xcodeproj), which the package manager installs:
            // one blocker for all of them, with its command.
            if missing.components().any(|c| c.as_os_str() == "node_modules") {
                from_packages.push(missing);
                continue;
            }
            out.push(
                Finding::blocker("project.reference.missing", &shown, format!("{} builds from {shown}, which is not here: the archive fails without it.", ws.display_path(&xcodeproj)))
                    .help(format!("Restore {shown}, or remove the reference from the project in Xcode."))
                    .at(&pbxproj, None),
            );
        }
        if let Some(first) = from_packages.first() {
            let app: PathBuf = first.components().take_while(|c| c.as_os_str() != "node_modules").collect();
            let names: Vec<String> = from_packages.iter().map(|m| ws.display_path(m)).collect();
            let listed = match names.len() {
                1 => names[0].clone(),
                n => format!("{} and {} more", names[0], n - 1),
            };
            out.push(
                Finding::blocker(
                    "project.reference.missing",
                    names.join(", "),
                    format!(
                        "{} builds from {listed}, in node_modules, which the JavaScript packages are installed into and git does not hold: the archive fails without {}.",
                        ws.display_path(&xcodeproj),
                        if names.len() == 1 { "it" } else { "them" }
                    ),
                )
                .help(format!("Run `{}` in {} before the release (CI: before Shipdeck's release step).", js_install(&app), folder_phrase(ws, &app)))
                .at(&pbxproj, None),
            );
            from_packages.clear();
        }
        // One warning for all the references nothing uses (Provenance lists five).
        let names: Vec<String> = unused.iter().map(|m| m.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()).collect();
        let (subject, listed, them, is) = match unused.as_slice() {
            [] => continue,
            [one] => (ws.display_path(one), ws.display_path(one), "it", "is"),
            many => (format!("{} projects", many.len()), format!("{} projects ({})", many.len(), crate::text::and_list(&names.iter().map(String::as_str).collect::<Vec<_>>())), "them", "are"),
        };
        out.push(
            Finding::warning(
                "project.reference.unused",
                subject,
                format!(
                    "{} lists {listed}, which {is} not here; no target depends on {them} or takes a product from {them}, so the archive does not need {them} (Xcode shows {them} in red).",
                    ws.display_path(&xcodeproj)
                ),
            )
            .help(format!(
                "Remove the {} in Xcode (select {} in the project navigator, Delete, Remove Reference), or restore {them}.",
                if unused.len() == 1 { "reference" } else { "references" },
                crate::text::and_list(&names.iter().map(String::as_str).collect::<Vec<_>>())
            ))
            .at(&pbxproj, None),
        );
    }
}

/// The frameworks a shipping target links from the repository are there. One a build step
/// makes and git ignores (Ghostty's `GhosttyKit.xcframework`, from `zig build`), or Carthage
/// builds (`Carthage/Build/…`), is absent from a fresh clone, and the archive fails to link.
fn linked_frameworks_present(
    ws: &Workspace,
    repo: &Path,
    projects: &[(PathBuf, std::sync::Arc<crate::pbxproj::Document>)],
    in_submodule: &dyn Fn(&Path) -> Option<PathBuf>,
    from_submodules: &mut Vec<FromSubmodule>,
    out: &mut Vec<Finding>,
) {
    let mut seen: Vec<PathBuf> = Vec::new();
    // (the target, the help, what it links that is missing, its project file), by cause.
    let mut groups: Vec<(String, String, Vec<PathBuf>, PathBuf)> = Vec::new();
    for t in &ws.config.targets {
        let xcodeproj = ws.path(&t.project);
        let pbxproj = xcodeproj.join("project.pbxproj");
        let Some((_, doc)) = projects.iter().find(|(p, _)| *p == xcodeproj) else { continue };
        let Ok(p) = crate::pbxproj::Project::new(doc, &xcodeproj) else { continue };
        // Only the repository's own files: the system's frameworks (`/System/Library/…`, which a
        // Mac has) and paths made of build settings (UTM's `$(SYSROOT_DIR)/Frameworks`) are not
        // checked here.
        let own = |f: &PathBuf| f.starts_with(repo) && !f.to_string_lossy().contains('$');
        for missing in p.linked_frameworks(t.target_name()).into_iter().filter(|f| own(f) && crate::fsutil::on_disk(f).is_none()) {
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
            // Flutter's build phase (`xcode_backend.sh build`) puts Flutter.framework and
            // App.framework in ios/Flutter as the archive builds (CineReel, an app of Flutter's
            // older layout): not missing from the archive; Flutter's own xcconfig is the cause
            // to say when it is not made.
            let flutter_folder = missing.parent().is_some_and(|d| d.file_name().is_some_and(|n| n == "Flutter") && d.join("AppFrameworkInfo.plist").is_file());
            if flutter_folder && (name == "Flutter.framework" || name == "App.framework") {
                continue;
            }
            // A framework CocoaPods downloads into `Pods/` (kartaview's Crashlytics and Fabric):
            // when the workspace's Pods project is said to be missing, its `pod install` is the
            // cause, said once.
            if pods_project_said(out) && missing.strip_prefix(repo).is_ok_and(|r| r.components().any(|c| c.as_os_str() == "Pods")) {
                continue;
            }
            let stem = name.split('.').next().unwrap_or(&name).to_string();
            let rel = missing.strip_prefix(repo).map(|r| r.to_string_lossy().into_owned()).unwrap_or_else(|_| shown.clone());
            // A Swift package's downloaded binary (a-Shell links
            // `xcfs/.build/artifacts/xcfs/ios_system/ios_system.xcframework`; its
            // downloadFrameworks.sh runs `swift run --package-path xcfs`).
            let package = rel.split_once("/.build/artifacts/").map(|(dir, _)| repo.join(dir)).filter(|d| d.join("Package.swift").is_file());
            let help = if let Some(package) = package {
                let dir = ws.display_path(&package);
                let script = made_by(ws, repo, &format!("--package-path {}", package.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()));
                match script {
                    Some(place) => format!("Swift Package Manager downloads it for the package in {dir}/: run that step before the archive ({place} does it), or `swift package resolve` in {dir}/ (CI: before Shipdeck's release step)."),
                    None => format!("Swift Package Manager downloads it for the package in {dir}/: run `swift package resolve` there before the archive (CI: before Shipdeck's release step)."),
                }
            } else if rel.contains("Carthage/Build/") {
                "Carthage builds it: run `carthage bootstrap` (with `--use-xcframeworks` for an .xcframework) before the archive (CI: before Shipdeck's release step).".to_string()
            } else if crate::ci::git_ignored(repo, &missing) {
                match made_by(ws, repo, &stem) {
                    Some(place) => format!("Git ignores it: the team's build makes it before the archive ({place} names it). Run that step first (CI: before Shipdeck's release step)."),
                    None => "Git ignores it: the team's build makes it. Run that step before the archive (CI: before Shipdeck's release step).".to_string(),
                }
            } else {
                format!("Restore {shown}, or remove it from the target's Frameworks phase in Xcode.")
            };
            let who = format!("{} target {}", t.platform.display(), t.target_name());
            match groups.iter_mut().find(|g| g.0 == who && g.1 == help) {
                Some(g) => g.2.push(missing),
                None => groups.push((who, help, vec![missing], pbxproj.clone())),
            }
        }
    }
    // One cause, one blocker: Blink links fifteen frameworks of one package's downloads.
    for (who, help, missing, pbxproj) in groups {
        let f = match missing.as_slice() {
            [one] => {
                let shown = ws.display_path(one);
                Finding::blocker("project.framework.missing", &shown, format!("{who} links {shown}, which is not here: the archive fails to link without it."))
            }
            many => {
                let mut common = many[0].parent().map(Path::to_path_buf).unwrap_or_default();
                while !many.iter().all(|m| m.starts_with(&common)) && common.pop() {}
                let names: Vec<String> = many.iter().map(|m| m.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()).collect();
                let listed = match names.len() {
                    n if n > 6 => format!("{} and {} more", names[..5].join(", "), n - 5),
                    _ => crate::text::and_list(&names.iter().map(String::as_str).collect::<Vec<_>>()),
                };
                let place = if common.starts_with(repo) && common != repo { format!(" in {}", ws.display_path(&common)) } else { String::new() };
                Finding::blocker(
                    "project.framework.missing",
                    format!("{} frameworks{place}", many.len()),
                    format!("{who} links {} frameworks{place} that are not here ({listed}): the archive fails to link without them.", many.len()),
                )
            }
        };
        out.push(f.help(help.replace(" downloads it ", if missing.len() > 1 { " downloads them " } else { " downloads it " })).at(&pbxproj, None));
    }
}

/// The first place a workflow, Makefile or top-level script names `word` outside a comment
/// (`.github/workflows/release-tag.yml:173`, the step "Build GhosttyKit").
pub(super) fn made_by(ws: &Workspace, repo: &Path, word: &str) -> Option<String> {
    // Not a cache's key and path (Zotero's `key: onnxruntime-…` above the step that runs
    // scripts/fetch_onnxruntime.sh): they name it, they do not make it. A step's name may say
    // what the step builds (Ghostty's "Build GhosttyKit").
    let says_only = |l: &str| ["key:", "path:", "restore-keys:"].iter().any(|k| l.trim_start_matches("- ").starts_with(k));
    script_line(&team_scripts(repo), |l| l.contains(word) && !says_only(l)).map(|(f, n)| format!("{}:{n}", ws.display_path(&f)))
}

/// The team's build and release scripts: CI workflows, Makefile and justfile, shell scripts at
/// the top and in a scripts folder (Rainbow's `scripts/postinstall.sh`), fastlane's Fastfile and
/// its lane files.
pub(super) fn team_scripts(repo: &Path) -> Vec<PathBuf> {
    use crate::fsutil::files_with_extension as listed;
    let mut files = listed(&repo.join(".github/workflows"), &["yml", "yaml"]);
    files.extend(["Makefile", "justfile"].iter().map(|f| repo.join(f)));
    files.extend(crate::discover::scripts::fastlane_files(repo));
    files.extend(listed(repo, &["sh"]));
    for folder in ["scripts", "Scripts", "bin", "tools"] {
        files.extend(listed(&repo.join(folder), &["sh"]));
    }
    files.retain(|f| f.is_file());
    files
}

/// The first line of `files`, not a comment, that `hit` takes: the file and its line number.
pub(super) fn script_line(files: &[PathBuf], hit: impl Fn(&str) -> bool) -> Option<(PathBuf, usize)> {
    files.iter().find_map(|f| first_line(f, &std::fs::read_to_string(f).ok()?, &hit))
}

/// [`script_line`] over texts already read (a check that asks several questions of them).
pub(super) fn first_line(file: &Path, text: &str, hit: &dyn Fn(&str) -> bool) -> Option<(PathBuf, usize)> {
    let n = text.lines().position(|l| {
        let l = l.trim();
        !l.starts_with('#') && hit(l)
    })?;
    Some((file.to_path_buf(), n + 1))
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
            format!(
                "{} {} from {} projects in git submodules not checked out here ({}): the archive fails without them.",
                list(&named_by),
                if named_by.len() == 1 { "builds" } else { "build" },
                projects.len(),
                list(&submodules)
            ),
        )
    };
    out.push(f.help(help).at(&first.file, None));
}

#[cfg(test)]
mod tests {
    use crate::discover::fixture::{project, APP, T};

    /// Stop COVID-19 Croatia: the workspace names Pods/Pods.xcodeproj and the app project lists it
    /// too (a target takes a product from it); before `pod install` that is one blocker, the
    /// workspace's, not a second one for the project's reference.
    #[test]
    fn the_pods_project_a_workspace_and_its_project_both_name_is_one_blocker() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        let pbx = xp.join("project.pbxproj");
        let text = std::fs::read_to_string(&pbx)
            .unwrap()
            .replace(
                "\t\t\tisa = PBXProject;\n",
                "\t\t\tisa = PBXProject;\n\t\t\tprojectReferences = (\n\t\t\t\t{\n\t\t\t\t\tProjectRef = EE0000000000000000000001 /* Pods.xcodeproj */;\n\t\t\t\t},\n\t\t\t);\n",
            )
            .replace(
                "\tobjects = {\n",
                "\tobjects = {\n\t\tEE0000000000000000000001 /* Pods.xcodeproj */ = {isa = PBXFileReference; path = Pods/Pods.xcodeproj; sourceTree = \"<group>\"; };\n\t\tEE0000000000000000000002 /* PBXContainerItemProxy */ = {isa = PBXContainerItemProxy; containerPortal = EE0000000000000000000001 /* Pods.xcodeproj */; proxyType = 1; remoteGlobalIDString = EE0000000000000000000003; remoteInfo = Pods; };\n",
            );
        std::fs::write(&pbx, text).unwrap();
        let count = |root: &std::path::Path| {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().filter(|f| f.id == "project.reference.missing" || f.id == "project.workspace.project-missing").map(|f| f.id).collect::<Vec<_>>()
        };
        // The project alone: its reference is the cause.
        assert_eq!(count(root), ["project.reference.missing"]);
        std::fs::create_dir_all(root.join("App.xcworkspace")).unwrap();
        std::fs::write(root.join("App.xcworkspace/contents.xcworkspacedata"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n<FileRef location = \"group:App.xcodeproj\"></FileRef>\n<FileRef location = \"group:Pods/Pods.xcodeproj\"></FileRef>\n</Workspace>\n").unwrap();
        assert_eq!(count(root), ["project.workspace.project-missing"]);
    }

    /// podverse (React Native) builds from `node_modules/@react-native-community/slider/ios/
    /// RNCSlider.xcodeproj`, and a second module's project: not there before the packages are
    /// installed. One blocker for both, with the lockfile's install command.
    #[test]
    fn projects_from_node_modules_are_one_blocker_with_the_install_command() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let ios = root.join("ios");
        let xp = project(&ios, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        let pbx = xp.join("project.pbxproj");
        let mut objects = String::new();
        let mut refs = String::new();
        for (i, path) in ["../node_modules/@rnc/slider/ios/RNCSlider.xcodeproj", "../node_modules/rn-video/ios/Video.xcodeproj"].iter().enumerate() {
            objects.push_str(&format!("\t\tEE00000000000000000000{i}1 = {{isa = PBXFileReference; path = \"{path}\"; sourceTree = \"<group>\"; }};\n\t\tEE00000000000000000000{i}2 = {{isa = PBXContainerItemProxy; containerPortal = EE00000000000000000000{i}1; proxyType = 2; remoteGlobalIDString = EE00000000000000000000{i}3; remoteInfo = M{i}; }};\n"));
            refs.push_str(&format!("\t\t\t\t{{\n\t\t\t\t\tProjectRef = EE00000000000000000000{i}1;\n\t\t\t\t}},\n"));
        }
        let text = std::fs::read_to_string(&pbx)
            .unwrap()
            .replace("\t\t\tisa = PBXProject;\n", &format!("\t\t\tisa = PBXProject;\n\t\t\tprojectReferences = (\n{refs}\t\t\t);\n"))
            .replace("\tobjects = {\n", &format!("\tobjects = {{\n{objects}"));
        std::fs::write(&pbx, text).unwrap();
        std::fs::write(root.join("package.json"), "{\"dependencies\": {\"react-native\": \"0.63.4\"}}\n").unwrap();
        std::fs::write(root.join("yarn.lock"), "# yarn lockfile v1\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let found: Vec<_> = out.into_iter().filter(|f| f.id == "project.reference.missing").collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.starts_with("ios/App.xcodeproj builds from node_modules/@rnc/slider/ios/RNCSlider.xcodeproj and 1 more, in node_modules"), "{}", found[0].message);
        assert_eq!(found[0].help.as_deref(), Some("Run `yarn install` in the workspace folder before the release (CI: before Shipdeck's release step)."));
        assert_eq!(super::js_install(root), "yarn install");
        std::fs::remove_file(root.join("yarn.lock")).unwrap();
        std::fs::write(root.join("package-lock.json"), "{}").unwrap();
        assert_eq!(super::js_install(root), "npm ci");
    }

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
        // Listed and used by nothing: not needed by the archive, a warning (Passepartout's
        // Demo.xcodeproj).
        std::fs::write(&pbx, &text).unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let ids: Vec<(&str, &str)> = out.iter().filter(|f| f.id.starts_with("project.reference")).map(|f| (f.id.as_str(), f.message.as_str())).collect();
        assert_eq!(
            ids,
            [(
                "project.reference.unused",
                "App.xcodeproj lists sdk/SDK.xcodeproj, which is not here; no target depends on it or takes a product from it, so the archive does not need it (Xcode shows it in red)."
            )]
        );
        // A target of it the app depends on (through a container proxy): needed.
        let text = text.replace(
            "\tobjects = {\n",
            "\tobjects = {\n\t\tEE0000000000000000000002 /* PBXContainerItemProxy */ = {isa = PBXContainerItemProxy; containerPortal = EE0000000000000000000001 /* SDK.xcodeproj */; proxyType = 1; remoteGlobalIDString = EE0000000000000000000003; remoteInfo = SDK; };\n",
        );
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

    /// CineReel (Flutter's older layout): the app links ios/Flutter/Flutter.framework and
    /// App.framework, which Flutter's build phase puts there as the archive builds: not said
    /// missing. Another framework missing from that folder still is.
    #[test]
    fn the_frameworks_flutters_build_phase_makes_are_not_missing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("ios/Flutter")).unwrap();
        std::fs::write(root.join("ios/Flutter/AppFrameworkInfo.plist"), "<plist><dict/></plist>\n").unwrap();
        let xp = project(&root.join("ios"), "Runner", &[("SDKROOT", "iphoneos")], &[T("Runner", APP, &[])]);
        crate::discover::fixture::link_framework(&xp, "Runner", "Flutter/Flutter.framework");
        let found = || {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().filter(|f| f.id == "project.framework.missing").collect::<Vec<_>>()
        };
        assert!(found().is_empty(), "{:#?}", found());
        // Without Flutter's folder of its own (no AppFrameworkInfo.plist), it is missing.
        std::fs::remove_file(root.join("ios/Flutter/AppFrameworkInfo.plist")).unwrap();
        assert_eq!(found().len(), 1);
    }

    /// kartaview: the app links `Pods/Crashlytics/iOS/Crashlytics.framework` and Fabric's, which
    /// CocoaPods downloads; before `pod install` the workspace's missing Pods project says it,
    /// once, not three blockers.
    #[test]
    fn frameworks_in_pods_are_the_pods_cause_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        crate::discover::fixture::link_framework(&xp, "App", "Pods/Crashlytics/iOS/Crashlytics.framework");
        std::fs::write(root.join("Podfile"), "target 'App' do\n  pod 'Crashlytics'\nend\n").unwrap();
        let ids = |root: &std::path::Path| {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().filter(|f| f.id.starts_with("project.")).map(|f| f.id).collect::<Vec<_>>()
        };
        // No workspace: nothing else says it, so the framework does.
        assert_eq!(ids(root), ["project.framework.missing"]);
        std::fs::create_dir_all(root.join("App.xcworkspace")).unwrap();
        std::fs::write(root.join("App.xcworkspace/contents.xcworkspacedata"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n<FileRef location = \"group:App.xcodeproj\"></FileRef>\n<FileRef location = \"group:Pods/Pods.xcodeproj\"></FileRef>\n</Workspace>\n").unwrap();
        assert_eq!(ids(root), ["project.workspace.project-missing"]);
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
        // A cache's key naming it first (Zotero's): not the step that makes it.
        std::fs::write(
            root.join(".github/workflows/release.yml"),
            "jobs:\n  b:\n    steps:\n      # GhosttyKit is built from Zig\n      - uses: actions/cache@v4\n        with:\n          key: GhosttyKit-${{ runner.os }}\n      - name: Build GhosttyKit\n        run: zig build\n",
        )
        .unwrap();
        let found = || {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().filter(|f| f.id == "project.framework.missing").collect::<Vec<_>>()
        };
        let f = found();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].message, "macOS target Ghostty links macos/GhosttyKit.xcframework, which is not here: the archive fails to link without it.");
        assert!(f[0].help.as_deref().unwrap().starts_with("Git ignores it: the team's build makes it before the archive (.github/workflows/release.yml:8 names it)"), "{:?}", f[0].help);
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
        // A Swift package's downloaded binary artifact (a-Shell's xcfs), and the script that
        // downloads it.
        let xp = project(&root.join("macos"), "Ghostty", &[("SDKROOT", "macosx")], &[T("Ghostty", APP, &[])]);
        crate::discover::fixture::link_framework(&xp, "Ghostty", "../xcfs/.build/artifacts/xcfs/ios_system/ios_system.xcframework");
        std::fs::create_dir_all(root.join("xcfs")).unwrap();
        std::fs::write(root.join("xcfs/Package.swift"), "// swift-tools-version:5.7\n").unwrap();
        assert!(found()[0].help.as_deref().unwrap().starts_with("Swift Package Manager downloads it for the package in xcfs/: run `swift package resolve` there"), "{:?}", found()[0].help);
        std::fs::write(root.join("downloadFrameworks.sh"), "#!/bin/sh\n# the frameworks\nswift run --package-path xcfs\n").unwrap();
        assert!(found()[0].help.as_deref().unwrap().contains("(downloadFrameworks.sh:3 does it)"), "{:?}", found()[0].help);
        // The system's frameworks and paths made of settings are not the repository's to have.
        let xp = project(&root.join("macos"), "Ghostty", &[("SDKROOT", "macosx")], &[T("Ghostty", APP, &[])]);
        crate::discover::fixture::link_framework(&xp, "Ghostty", "/System/Library/PrivateFrameworks/SkyLight.framework");
        assert!(found().is_empty());
        let xp = project(&root.join("macos"), "Ghostty", &[("SDKROOT", "macosx")], &[T("Ghostty", APP, &[])]);
        crate::discover::fixture::link_framework(&xp, "Ghostty", "$(SYSROOT_DIR)/Frameworks/zstd.1.framework");
        assert!(found().is_empty());
    }

    /// OsmAnd's workspace names a project its build writes beside the checkout.
    #[test]
    fn a_workspace_project_beside_the_repository_is_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("OsmAnd-iOS");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        project(&root, "OsmAnd", &[("SDKROOT", "iphoneos")], &[T("OsmAnd Maps", APP, &[])]);
        std::fs::create_dir_all(root.join("OsmAnd.xcworkspace")).unwrap();
        std::fs::write(root.join("OsmAnd.xcworkspace/contents.xcworkspacedata"), "<?xml version=\"1.0\"?>\n<Workspace version = \"1.0\">\n<FileRef location = \"group:OsmAnd.xcodeproj\"></FileRef>\n<FileRef location = \"group:../baked/fat-ios-clang.xcode/OsmAnd_projects.xcodeproj\"></FileRef>\n</Workspace>\n").unwrap();
        let ws = crate::Workspace::open(&root).unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let f = out.iter().find(|f| f.id == "project.workspace.project-missing").expect("the missing project");
        assert_eq!(
            f.message,
            "OsmAnd.xcworkspace names ../baked/fat-ios-clang.xcode/OsmAnd_projects.xcodeproj, outside this repository, which is not there: an archive of the workspace fails without it."
        );
        assert!(f.help.as_deref().unwrap().starts_with("It comes from beside this repository"), "{:?}", f.help);
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
