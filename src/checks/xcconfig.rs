//! The Production xcconfig: it parses, its includes resolve, and it does not loop.

use crate::finding::Finding;
use crate::workspace::Workspace;
use crate::xcconfig::{resolve_file, Conditions, DiagnosticKind};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let Some(rel) = &ws.config.production_xcconfig else { return };
    let file = ws.path(rel);
    // A missing or non-UTF-8 file is reported by the workspace check.
    let Ok(resolved) = resolve_file(&file, &Conditions { config: Some(ws.configuration().into()), ..Default::default() }) else { return };
    let subject = ws.display_path(&file);
    let mut problems = 0;
    for d in &resolved.diagnostics {
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
