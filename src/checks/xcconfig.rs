//! The Production xcconfig: it parses, its includes resolve, and it does not loop.

use crate::finding::Finding;
use crate::workspace::Workspace;
use crate::xcconfig::{resolve_file, Conditions, DiagnosticKind};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let Some(rel) = &ws.config.production_xcconfig else { return };
    let file = ws.path(rel);
    // Xcode looks for an include beside the file that names it, then in the project's folder
    // (the first release target's).
    let source_root = ws.config.targets.first().and_then(|t| ws.path(&t.project).parent().map(std::path::Path::to_path_buf));
    // A missing or non-UTF-8 file is reported by the workspace check.
    let Ok(resolved) = resolve_file(&file, &Conditions { config: Some(ws.configuration().into()), source_root: source_root.clone(), ..Default::default() }) else { return };
    let subject = ws.display_path(&file);
    let mut problems = 0;
    // An include whose cause is known (a template to copy, CocoaPods' or Flutter's file not made
    // yet) is said as the project check says it for any release configuration: one finding for
    // one cause (Stopp Corona's Production.xcconfig includes Secrets.xcconfig, made from its
    // template, and a Pods xcconfig before `pod install`).
    let known_cause =
        |d: &crate::xcconfig::Diagnostic| d.stand_in.is_some() || d.include.as_deref().is_some_and(|i| super::project::is_pods_xcconfig(i) || super::project::flutter_generated(i).is_some());
    let mut deferred = false;
    for d in &resolved.diagnostics {
        if d.kind == DiagnosticKind::IncludeMissing && known_cause(d) {
            deferred = true;
            problems += 1;
            continue;
        }
        let shown = ws.display_path(&d.file);
        let finding = match d.kind {
            DiagnosticKind::Parse => Finding::blocker("xcconfig.parse", &shown, format!("Column {}: {}", d.column, d.message)).help("Xcode ignores or rejects this line; fix or remove it."),
            DiagnosticKind::IncludeMissing => {
                Finding::blocker("xcconfig.include.missing", &shown, d.message.clone()).help("Restore the file, fix the path, or use #include? for a file that may be absent.")
            }
            DiagnosticKind::IncludeCycle => Finding::warning("xcconfig.include.cycle", &shown, d.message.clone()),
            DiagnosticKind::Unreadable => Finding::blocker("xcconfig.unreadable", &shown, d.message.clone()),
            DiagnosticKind::TooLong => Finding::blocker("xcconfig.value.too-long", &shown, d.message.clone()),
            DiagnosticKind::IncludeCase => include_case(ws, d),
        };
        problems += 1;
        let finding = finding.at(&d.file, Some(d.line));
        // The project check reads the same files for each release configuration.
        if !out.iter().any(|f| f.id == finding.id && f.file == finding.file && f.line == finding.line) {
            out.push(finding);
        }
    }
    if deferred {
        let target_subject = ws.config.targets.first().map(|t| format!("{} target {}", t.platform.display(), t.target_name())).unwrap_or_else(|| subject.clone());
        let root = source_root.unwrap_or_else(|| ws.root.clone());
        super::project::included_files_present(ws, &target_subject, &file, ws.configuration(), &root, false, out);
    }
    if problems == 0 {
        out.push(
            Finding::ok(
                "xcconfig.resolved",
                &subject,
                format!("Resolves through {} file{} to {} settings", resolved.files.len(), if resolved.files.len() == 1 { "" } else { "s" }, resolved.settings.values.len()),
            )
            .at(&file, None),
        );
    }
}

/// An `#include` whose file has other capitals: read as a Mac reads it, said where it is.
pub fn include_case(ws: &Workspace, d: &crate::xcconfig::Diagnostic) -> Finding {
    Finding::warning("xcconfig.include.case", ws.display_path(&d.file), d.message.clone())
        .help("Spell the #include as the file is named, so a case-sensitive disk (some CI machines) reads it too.")
        .at(&d.file, Some(d.line))
}

#[cfg(test)]
mod tests {
    use crate::discover::fixture::{base_xcconfig, project, APP, T};

    /// Stopp Corona: the release is based on Production.xcconfig, which includes Base.xcconfig;
    /// that includes Secrets.xcconfig (made from its committed template), and Production includes
    /// a Pods xcconfig before `pod install`. Each cause once: the template to copy (a warning)
    /// and the Pods project not installed, no "include missing" blocker beside them.
    #[test]
    fn the_production_xcconfigs_includes_with_a_known_cause_are_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        base_xcconfig(&xp, 3, "Configuration/Production.xcconfig");
        std::fs::create_dir_all(root.join("Configuration")).unwrap();
        std::fs::write(root.join("Configuration/Production.xcconfig"), "#include \"Base.xcconfig\"\n#include \"Pods/Target Support Files/Pods-App/Pods-App.release.xcconfig\"\n").unwrap();
        std::fs::write(root.join("Configuration/Base.xcconfig"), "#include \"Secrets.xcconfig\"\nSWIFT_VERSION = 5.0\n").unwrap();
        std::fs::write(root.join("Configuration/Secrets.template.xcconfig"), "API_KEY = x\n").unwrap();
        std::fs::write(root.join("Podfile"), "target 'App' do\n  pod 'Alamofire'\nend\n").unwrap();
        std::fs::create_dir_all(root.join("App.xcworkspace")).unwrap();
        std::fs::write(root.join("App.xcworkspace/contents.xcworkspacedata"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n   <FileRef location = \"group:App.xcodeproj\"></FileRef>\n   <FileRef location = \"group:Pods/Pods.xcodeproj\"></FileRef>\n</Workspace>\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        assert_eq!(ws.config.production_xcconfig.as_deref(), Some(std::path::Path::new("Configuration/Production.xcconfig")), "{:#?}", ws.guesses);
        let report = crate::checks::run(&ws, &crate::checks::Context::offline());
        let ids: Vec<&str> =
            report.findings.iter().filter(|f| f.id.starts_with("project.") || f.id.starts_with("xcconfig.")).filter(|f| f.severity != crate::Severity::Ok).map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["project.workspace.project-missing", "project.configuration.include-templated"], "{:#?}", report.findings);
        // A plain typo in an include is still the Production xcconfig's blocker.
        std::fs::write(root.join("Configuration/Production.xcconfig"), "#include \"Basis.xcconfig\"\n").unwrap();
        let report = crate::checks::run(&crate::Workspace::open(root).unwrap(), &crate::checks::Context::offline());
        assert!(report.findings.iter().any(|f| f.id == "xcconfig.include.missing" && f.severity == crate::Severity::Blocker), "{:#?}", report.findings);
    }
}
