//! The Xcode projects of the shipping targets: they parse, every target has the release
//! configuration, based on the workspace's Production xcconfig, and the shared scheme
//! archives with it.

use crate::finding::{Finding, Fix};
use crate::fsutil::same_file;
use crate::pbxproj::{scheme, Document, Project};
use crate::workspace::Workspace;
use crate::Error;
use std::path::Path;

/// The project's folder (SRCROOT) of its project.pbxproj: where Xcode looks for an include last.
fn source_root(pbxproj: &Path) -> std::path::PathBuf {
    pbxproj.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default()
}

/// A project.pbxproj that does not parse, at its line, with what to do about it.
pub(super) fn parse_blocker(subject: &str, file: &Path, line: usize, column: usize, message: &str) -> Finding {
    let help = if message.contains("merge conflict") {
        "Resolve the conflict: keep one side of each `<<<<<<<` … `>>>>>>>` block (or `git checkout --ours`/`--theirs` the file), check the project opens in Xcode, and commit it."
    } else {
        "Xcode cannot open this file either: restore it from version control."
    };
    Finding::blocker("project.parse", subject, format!("Column {column}: {message}")).at(file, Some(line)).help(help)
}

/// The configuration of a target's list that a missing `name` is best cloned from: Release when
/// the list has it; else one named like a release, for the target's platform when several are
/// (ChatSecure's `iOS_Release` and `macOS_Release`); else none (the list has only Debug-like
/// ones, or nothing to tell).
pub(crate) fn clone_source(names: &[&str], name: &str, platform: crate::workspace::Platform) -> Option<String> {
    if names.contains(&"Release") && name != "Release" {
        return Some("Release".into());
    }
    let release_like: Vec<&str> = names.iter().copied().filter(|n| *n != name && n.to_ascii_lowercase().contains("release")).collect();
    let platform_word = platform.display().to_ascii_lowercase().replace(' ', "");
    let for_platform: Vec<&str> = release_like.iter().copied().filter(|n| n.to_ascii_lowercase().replace([' ', '_', '-'], "").contains(&platform_word)).collect();
    match (for_platform.as_slice(), release_like.as_slice()) {
        ([one], _) => Some(one.to_string()),
        (_, [one]) => Some(one.to_string()),
        _ => None,
    }
}

/// What `flutter build` writes beside a Flutter app's Xcode project, kept out of git: the iOS
/// and the macOS name.
pub(super) const FLUTTER_GENERATED: [&str; 2] = ["Flutter/Generated.xcconfig", "Flutter/ephemeral/Flutter-Generated.xcconfig"];

/// Which of [`FLUTTER_GENERATED`] an included path is (0 iOS, 1 macOS), if either.
pub(super) fn flutter_generated(include: &Path) -> Option<usize> {
    FLUTTER_GENERATED.iter().position(|g| include.ends_with(g))
}

/// Whether an included path is an xcconfig CocoaPods writes at `pod install`
/// (`Pods/Target Support Files/…`).
pub(super) fn is_pods_xcconfig(include: &Path) -> bool {
    let parts: Vec<_> = include.components().map(|c| c.as_os_str()).collect();
    parts.windows(2).any(|w| w[0] == "Pods" && w[1] == "Target Support Files")
}

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let release = ws.configuration();
    let production_xcconfig = ws.config.production_xcconfig.as_ref().map(|p| ws.path(p));
    super::sources::check(ws, out);
    // A target its own ExportOptions ship outside the App Store is not archived by Shipdeck, so
    // what an archive of it needs is not asked (mhabit's Developer ID Mac app and its Flutter
    // includes; the App Store check says why once).
    for t in ws.app_store_targets() {
        let xcodeproj = ws.path(&t.project);
        let file = xcodeproj.join("project.pbxproj");
        if !file.is_file() {
            continue; // reported by the workspace check
        }
        let subject = format!("{} target {}", t.platform.display(), t.target_name());
        let doc = match Document::read_shared(&file) {
            Ok(d) => d,
            Err(Error::Parse { line, column, message, .. }) => {
                out.push(parse_blocker(&subject, &file, line, column, &message));
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
            let names: Vec<String> = p.target_names();
            out.push(
                Finding::blocker("project.target.missing", &subject, format!("The project has no target {} (it has: {}).", t.target_name(), names.join(", ")))
                    .at(&file, None)
                    .help("Set `target` under [[targets]] in shipdeck.toml to the target's name."),
            );
            continue;
        };
        // A watch-only app: its iOS container is checked like any app, but how xcodebuild
        // archives and exports one was not confirmed here, so a release stops before the archive.
        if crate::discover::is_watch_container(target.product_type.as_deref()) {
            out.push(
                Finding::blocker(
                    "project.watch-only",
                    &subject,
                    format!("{} is a watch-only app (the iOS container of a watchOS app): Shipdeck checks it, but does not archive or upload watch-only apps yet.", t.target_name()),
                )
                .at(&file, Some(target.line))
                .help(format!("Archive it in Xcode (scheme {}, Product > Archive with Any watchOS Device) and distribute it from the Organizer.", t.scheme)),
            );
        }
        let names: Vec<&str> = target.configurations.configurations.iter().map(|c| c.name.as_str()).collect();
        let from = clone_source(&names, release, t.platform);
        let fix = from.as_ref().map(|from| {
            Fix::new(
                "project.add-configuration",
                format!("Add {release} configuration"),
                serde_json::json!({"project": ws.display_path(&xcodeproj), "from": from, "name": release, "scheme": t.scheme}),
            )
        });
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
            let project_rel = ws.display_path(&xcodeproj);
            let scheme = &t.scheme;
            // A scheme left archiving a configuration the project renamed (ChatSecure's UI-test
            // scheme archives Release; the project has iOS_Release and macOS_Release): choosing
            // the configuration in the scheme is as likely the fix as adding one.
            let help = match &from {
                Some(from) if from == "Release" => format!("Clone Release as {release} in every configuration list: `shipdeck project add-configuration {project_rel} --name {release}`."),
                Some(from) => format!(
                    "The target has {}. If the release is built with {from}, set {scheme}'s Archive configuration to it (Product > Scheme > Edit Scheme > Archive in Xcode, or `configuration` in shipdeck.toml); or clone {from} as {release}: `shipdeck project add-configuration {project_rel} --from {from} --name {release}`.",
                    crate::text::and_list(&names)
                ),
                None => format!(
                    "The target has {}: set {scheme}'s Archive configuration to the one the release is built with (Product > Scheme > Edit Scheme > Archive in Xcode, or `configuration` in shipdeck.toml).",
                    crate::text::and_list(&names)
                ),
            };
            let mut finding = Finding::blocker(
                "project.configuration.missing",
                &subject,
                format!(
                    "{} {} no {release} configuration: an archive with -configuration {release} would fail or fall back to another one.",
                    missing.join(" and "),
                    if missing.len() == 1 { "has" } else { "have" }
                ),
            )
            .at(&file, Some(target.configurations.configurations.first().map(|c| c.line).unwrap_or(target.line)))
            .help(help);
            if let Some(fix) = fix {
                finding = finding.fix(fix);
            }
            out.push(finding);
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
                // Without a shipdeck.toml the release configuration differs only where the
                // team's scripts name another (discovery says so): Shipdeck's archive passes it.
                Some(c) if ws.config_path.is_none() => {
                    let line = text.find("<ArchiveAction").map(|i| text[..i].matches('\n').count() + 1);
                    out.push(
                        Finding::warning(
                            "project.scheme.archive-configuration",
                            &subject,
                            format!("Scheme {} archives with {c}; the release archives with {release} (`-configuration {release}`), as the team's scripts do: Xcode's Product > Archive would build {c}.", t.scheme),
                        )
                        .at(&scheme_file, line.map(|l| l + 1))
                        .help(format!("If {release} is the release's configuration, set it in Edit Scheme > Archive (or `shipdeck project add-configuration` with --scheme {}); if {c} is, write `configuration = \"{c}\"` in shipdeck.toml.", t.scheme)),
                    )
                }
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
            included_files_present(ws, &subject, base, release, &source_root(file), true, out);
            continue;
        }
        if let Some(template) = crate::fsutil::template_of(base) {
            templated_base(ws, &subject, base, &template, release, cfg.line, file, out);
            continue;
        }
        // CocoaPods' own file, with `Pods/` here in part (Gasoline commits Pods.xcodeproj and
        // Manifest.lock, not the pods or their xcconfigs): without its settings the app does not
        // find its pods' modules, so the build fails. `pod install` writes it.
        if is_pods_xcconfig(base) {
            let podfile_dir = base.ancestors().find(|a| a.file_name().is_some_and(|n| n == "Pods")).and_then(Path::parent).unwrap_or(&ws.root).to_path_buf();
            out.push(
                Finding::blocker(
                    "project.configuration.base-missing",
                    &subject,
                    format!(
                        "{release} is based on {}, which CocoaPods writes at `pod install` and is not here (the Pods folder holds only part of what it installs): without its settings the app does not find its pods.",
                        ws.display_path(base)
                    ),
                )
                .at(file, Some(cfg.line))
                .help(super::sources::pod_install_help(ws, &podfile_dir)),
            );
            continue;
        }
        // Rainbow's ios/release.xcconfig is written by its npm postinstall script.
        let repo = crate::ci::repo_root(ws);
        let name = base.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let help = match super::sources::made_by(ws, &repo, &name) {
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
    let resolved = resolve_file(template, &Conditions { config: Some(release.into()), source_root: Some(source_root(file)), ..Default::default() }).ok();
    if let Some(resolved) = &resolved {
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
    if resolved.is_some_and(|r| r.diagnostics.iter().any(|d| d.kind == DiagnosticKind::IncludeMissing && d.stand_in.is_none())) {
        included_files_present(ws, subject, template, release, &source_root(file), true, out);
    }
}

/// The files a release configuration's xcconfig `#include`s are there. Flutter's
/// `Generated.xcconfig` (`ephemeral/Flutter-Generated.xcconfig` on macOS) is written by `flutter`
/// and kept out of git: without it the archive's Flutter build script has no FLUTTER_ROOT and
/// fails; `flutter build ios|macos --config-only` writes it and runs `pod install` without
/// compiling (flutter/flutter#64848, #84018). Another missing include: Xcode builds without its
/// settings.
///
/// `plain`: whether an include missing for no cause known here (not Flutter's, CocoaPods' or a
/// template's file) is said too; the Production xcconfig's own check says those itself.
pub(super) fn included_files_present(ws: &Workspace, subject: &str, base: &Path, release: &str, source_root: &Path, plain: bool, out: &mut Vec<Finding>) {
    use crate::xcconfig::{resolve_file, Conditions, DiagnosticKind};
    let Ok(resolved) = resolve_file(base, &Conditions { config: Some(release.into()), source_root: Some(source_root.to_path_buf()), ..Default::default() }) else { return };
    // An include in other capitals in any xcconfig the release reads (the Production xcconfig's
    // own check may have said it already).
    for d in resolved.diagnostics.iter().filter(|d| d.kind == DiagnosticKind::IncludeCase) {
        if !out.iter().any(|f| f.id == "xcconfig.include.case" && f.file.as_deref() == Some(d.file.as_path()) && f.line == Some(d.line)) {
            out.push(super::xcconfig::include_case(ws, d));
        }
    }
    // Flutter's generated xcconfig missing: `flutter build … --config-only` also installs the
    // pods, so a missing Pods xcconfig is the same cause, said once (webf's macOS Runner includes
    // its Pods xcconfig without `?`).
    let flutter_unbuilt = resolved.diagnostics.iter().any(|d| d.kind == DiagnosticKind::IncludeMissing && d.include.as_deref().and_then(flutter_generated).is_some());
    for d in resolved.diagnostics.iter().filter(|d| d.kind == DiagnosticKind::IncludeMissing) {
        let Some(include) = &d.include else { continue };
        if flutter_unbuilt && include.components().any(|c| c.as_os_str() == "Pods") {
            continue;
        }
        if let Some(template) = &d.stand_in {
            // Said with the base it stands in for.
            if base.file_name().is_some_and(|n| crate::fsutil::is_template(Path::new(n))) {
                continue;
            }
            let t = ws.display_path(template);
            let missing = ws.display_path(include);
            // Already said as a configuration's base to make from the same template
            // (Basic-Car-Maintenance's Project.xcconfig includes the file its targets are based
            // on): one cause, one finding.
            let made_already = |f: &Finding| {
                f.id == "project.configuration.base-templated" && f.fix.as_ref().is_some_and(|x| x.params["files"].as_array().is_some_and(|fs| fs.iter().any(|p| p[1] == missing.as_str())))
            };
            if out.iter().any(made_already) {
                continue;
            }
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
        // An xcconfig CocoaPods writes at `pod install` (`Pods/Target Support Files/…`, which Xcode
        // finds in the project's folder when it is not beside the includer: Tivi's
        // `xcconfig/Tivi-Prod-Release.xcconfig`). When the workspace's Pods project is said to be
        // missing, that finding's `pod install` is the cause: one finding, not two.
        if is_pods_xcconfig(include) {
            if super::sources::pods_project_said(out) {
                continue;
            }
            let rest: std::path::PathBuf = include.components().skip_while(|c| c.as_os_str() != "Pods").collect();
            let beside: std::path::PathBuf = include.components().take_while(|c| c.as_os_str() != "Pods").collect();
            let podfile_dir = [source_root, beside.as_path()].into_iter().find(|d| d.join("Podfile").is_file()).unwrap_or(source_root).to_path_buf();
            out.push(
                Finding::blocker(
                    "project.configuration.include-missing",
                    subject,
                    format!(
                        "{release} includes {}, which CocoaPods writes at `pod install` and which is not here: Xcode would build without the pods' settings, and the archive fails to link them.",
                        ws.display_path(&podfile_dir.join(rest))
                    ),
                )
                .help(super::sources::pod_install_help(ws, &podfile_dir))
                .at(&d.file, Some(d.line)),
            );
            continue;
        }
        let missing = ws.display_path(include);
        let flutter = flutter_generated(include);
        if flutter.is_none() && !plain {
            continue;
        }
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

    /// NowPlayingPlus: discovery says a watch-only app and makes no release of it; a
    /// shipdeck.toml that lists its iOS container is checked, and a blocker says Shipdeck does
    /// not archive watch-only apps, so no release starts.
    #[test]
    fn a_watch_only_apps_container_listed_in_the_configuration_is_not_released() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let container = "com.apple.product-type.application.watchapp2-container";
        project(root, "Now", &[], &[T("Now", container, &[("SDKROOT", "iphoneos")]), T("Now Watch App", APP, &[("SDKROOT", "watchos")])]);
        std::fs::write(root.join("shipdeck.toml"), "[[targets]]\nplatform = \"ios\"\nproject = \"Now.xcodeproj\"\nscheme = \"Now Watch App\"\ntarget = \"Now\"\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let f = out.iter().find(|f| f.id == "project.watch-only").expect("the blocker");
        assert_eq!(f.severity, crate::finding::Severity::Blocker);
        assert_eq!(f.message, "Now is a watch-only app (the iOS container of a watchOS app): Shipdeck checks it, but does not archive or upload watch-only apps yet.");
        assert!(f.help.as_deref().unwrap().contains("scheme Now Watch App"));
    }

    /// ChatSecure: the project's configurations are iOS_Debug, iOS_Release, macOS_Debug and
    /// macOS_Release; a scheme archiving `Release` is missing it, and the advice names the
    /// configuration the target does have, not "clone Release as Release".
    #[test]
    fn a_missing_configuration_is_cloned_from_the_release_the_target_has() {
        use crate::workspace::Platform;
        assert_eq!(super::clone_source(&["Debug", "Release"], "Production", Platform::Ios).as_deref(), Some("Release"));
        let chat = ["iOS_Debug", "iOS_Release", "macOS_Debug", "macOS_Release"];
        assert_eq!(super::clone_source(&chat, "Release", Platform::Ios).as_deref(), Some("iOS_Release"));
        assert_eq!(super::clone_source(&chat, "Release", Platform::Macos).as_deref(), Some("macOS_Release"));
        assert_eq!(super::clone_source(&chat, "Release", Platform::Tvos), None, "two, neither for tvOS");
        assert_eq!(super::clone_source(&["Debug", "Staging"], "Release", Platform::Ios), None);

        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "Chat", &[("SDKROOT", "iphoneos")], &[T("Chat", APP, &[])]);
        let pbx = xp.join("project.pbxproj");
        let text = std::fs::read_to_string(&pbx).unwrap().replace("name = Release;", "name = iOS_Release;").replace("name = Debug;", "name = iOS_Debug;");
        std::fs::write(&pbx, text).unwrap();
        crate::discover::fixture::scheme(&xp, "Chat", "Release", "Chat.xcodeproj", &["Chat"]);
        let ws = crate::Workspace::open(root).unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let missing = out.iter().find(|f| f.id == "project.configuration.missing").expect("the missing Release");
        let help = missing.help.as_deref().unwrap();
        assert!(help.contains("The target has iOS_Debug, iOS_Release and AppStore."), "{help}");
        assert!(help.contains("set Chat's Archive configuration to it"), "{help}");
        assert!(help.contains("--from iOS_Release --name Release`"), "{help}");
        assert_eq!(missing.fix.as_ref().unwrap().params["from"], "iOS_Release");
    }

    /// Basic-Car-Maintenance: the target's Release is based on `Secrets.xcconfig` (made from its
    /// committed template), and the project's `Configurations/Project.xcconfig` includes
    /// `"Secrets.xcconfig"`, which Xcode finds in the project's folder: one file to make, said once.
    #[test]
    fn a_file_to_make_that_a_base_and_an_include_both_name_is_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "Car", &[("SDKROOT", "iphoneos")], &[T("Car", APP, &[])]);
        crate::discover::fixture::base_xcconfig(&xp, 3, "Secrets.xcconfig");
        crate::discover::fixture::base_xcconfig(&xp, 7, "Configurations/Project.xcconfig");
        std::fs::create_dir_all(root.join("Configurations")).unwrap();
        std::fs::write(root.join("Configurations/Project.xcconfig"), "#include \"Secrets.xcconfig\"\n").unwrap();
        std::fs::write(root.join("Secrets.xcconfig.template"), "API_KEY = x\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let ids: Vec<&str> = out.iter().filter(|f| f.id.starts_with("project.configuration")).map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["project.configuration.base-templated"], "{out:#?}");
    }

    /// Gasoline commits `Pods/Pods.xcodeproj` and `Pods/Manifest.lock` but not what else
    /// `pod install` writes: the Release based on CocoaPods' xcconfig is a blocker that says to
    /// run it (the build does not find the pods without it), not "Xcode only warns".
    #[test]
    fn a_pods_base_xcconfig_missing_from_a_partial_pods_folder_is_a_blocker() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "Car", &[("SDKROOT", "iphoneos")], &[T("Car", APP, &[])]);
        crate::discover::fixture::base_xcconfig(&xp, 3, "\"Pods/Target Support Files/Pods-Car/Pods-Car.release.xcconfig\"");
        std::fs::write(root.join("Podfile"), "target 'Car' do\nend\n").unwrap();
        let base = |root: &std::path::Path| {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().filter(|f| f.id == "project.configuration.base-missing").collect::<Vec<_>>()
        };
        assert!(base(root).is_empty(), "no Pods folder at all: the workspace's Pods finding says it");
        std::fs::create_dir_all(root.join("Pods/Pods.xcodeproj")).unwrap();
        std::fs::write(root.join("Pods/Manifest.lock"), "PODFILE CHECKSUM: x\n").unwrap();
        let found = base(root);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].severity, crate::finding::Severity::Blocker);
        assert!(found[0].message.contains("which CocoaPods writes at `pod install` and is not here"), "{}", found[0].message);
        assert!(found[0].help.as_deref().unwrap_or_default().contains("pod install"), "{:?}", found[0].help);
    }

    /// Tivi's layout: the target's Release is based on `xcconfig/App-Release.xcconfig`, which
    /// includes `"Pods/Target Support Files/Pods-App/Pods-App.release.xcconfig"`: not beside it,
    /// so Xcode looks in the project's folder, where `pod install` writes it.
    #[test]
    fn a_pods_xcconfig_not_installed_is_the_pods_cause_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        crate::discover::fixture::base_xcconfig(&xp, 3, "xcconfig/App-Release.xcconfig");
        std::fs::create_dir_all(root.join("xcconfig")).unwrap();
        std::fs::write(root.join("xcconfig/App-Release.xcconfig"), "#include \"Pods/Target Support Files/Pods-App/Pods-App.release.xcconfig\"\nSWIFT_VERSION = 5.0\n").unwrap();
        std::fs::write(root.join("Podfile"), "target 'App' do\n  pod 'Alamofire'\nend\n").unwrap();
        let found = || {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().filter(|f| f.severity != crate::finding::Severity::Ok).collect::<Vec<_>>()
        };
        // No workspace yet: the include is the one finding, named where CocoaPods writes it.
        let f = found();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].id, "project.configuration.include-missing");
        assert_eq!(f[0].severity, crate::finding::Severity::Blocker);
        assert!(f[0].message.starts_with("Release includes Pods/Target Support Files/Pods-App/Pods-App.release.xcconfig, which CocoaPods writes at `pod install`"), "{}", f[0].message);
        assert_eq!(f[0].line, Some(1));
        assert!(f[0].help.as_deref().unwrap().contains("`pod install`"), "{:?}", f[0].help);
        // With the workspace that names the Pods project: its blocker says `pod install`, once.
        std::fs::create_dir_all(root.join("App.xcworkspace")).unwrap();
        std::fs::write(root.join("App.xcworkspace/contents.xcworkspacedata"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n   <FileRef location = \"group:App.xcodeproj\"></FileRef>\n   <FileRef location = \"group:Pods/Pods.xcodeproj\"></FileRef>\n</Workspace>\n").unwrap();
        let ids: Vec<String> = found().into_iter().map(|f| f.id).collect();
        assert_eq!(ids, ["project.workspace.project-missing"]);
        // Installed: nothing to say.
        std::fs::create_dir_all(root.join("Pods/Target Support Files/Pods-App")).unwrap();
        std::fs::create_dir_all(root.join("Pods/Pods.xcodeproj")).unwrap();
        std::fs::write(root.join("Pods/Target Support Files/Pods-App/Pods-App.release.xcconfig"), "OTHER_LDFLAGS = -framework Alamofire\n").unwrap();
        assert!(found().is_empty(), "{:#?}", found());
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
}
