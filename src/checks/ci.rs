//! GitHub workflows: they must name projects, schemes, configurations and files that exist,
//! and the workflow `shipdeck ci init` wrote must still match the workspace.

use crate::ci::{self, MARKER, WORKFLOW_PATH};
use crate::finding::{Finding, Fix};
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let repo = ci::repo_root(ws);
    let dir = repo.join(".github/workflows");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml")))
        .collect();
    files.sort();
    let known = Known::collect(ws);
    for file in files {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                out.push(Finding::warning("ci.workflow.unreadable", file_name(&file), format!("Cannot read the workflow: {e}")).at(&file, None));
                continue;
            }
        };
        let before = out.len();
        check_workflow(ws, &repo, &file, &text, &known, out);
        if text.starts_with(MARKER) && file.ends_with(WORKFLOW_PATH) && text != ci::workflow(ws) {
            out.push(
                Finding::warning("ci.workflow.drift", file_name(&file), "The workflow written by `shipdeck ci init` no longer matches the workspace.")
                    .at(&file, None)
                    .help("Run `shipdeck ci init --dry-run` to see the difference, then `shipdeck ci init --force` to rewrite it.")
                    .fix(Fix { action: "ci.init".into(), title: "Rewrite the workflow".into(), params: serde_json::Value::Null }),
            );
        }
        if out.len() == before {
            out.push(Finding::ok("ci.workflow.consistent", file_name(&file), "Names only projects, schemes, configurations and files that exist").at(&file, None));
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Schemes and configurations the workspace's projects define.
struct Known {
    schemes: Vec<String>,
    configurations: Vec<String>,
}

impl Known {
    fn collect(ws: &Workspace) -> Known {
        let mut schemes = Vec::new();
        let mut configurations = Vec::new();
        for project in crate::workspace::scan(&ws.root).projects {
            for sub in ["xcshareddata/xcschemes", "xcuserdata"] {
                collect_schemes(&project.join(sub), &mut schemes);
            }
            if let Ok(text) = std::fs::read_to_string(project.join("project.pbxproj")) {
                configurations.extend(configuration_names(&text));
            }
        }
        Known { schemes, configurations }
    }
}

fn collect_schemes(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_schemes(&p, out);
        } else if p.extension().is_some_and(|x| x == "xcscheme") {
            if let Some(stem) = p.file_stem() {
                out.push(stem.to_string_lossy().into_owned());
            }
        }
    }
}

/// Names of the XCBuildConfiguration objects of a project.pbxproj (text scan).
fn configuration_names(pbxproj: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_config = false;
    for line in pbxproj.lines() {
        let t = line.trim();
        if t.starts_with("isa = XCBuildConfiguration;") {
            in_config = true;
        } else if in_config && t.starts_with("name = ") {
            names.push(t.trim_start_matches("name = ").trim_end_matches(';').trim_matches('"').to_string());
            in_config = false;
        }
    }
    names
}

const FILE_ENDINGS: &[&str] = &[".xcodeproj", ".xcworkspace", ".xcconfig", ".plist", ".ckdb", ".entitlements", ".sh"];

fn check_workflow(ws: &Workspace, repo: &Path, file: &Path, text: &str, known: &Known, out: &mut Vec<Finding>) {
    // Folders a path in the workflow may be relative to.
    let mut bases = vec![repo.to_path_buf(), ws.root.clone()];
    for line in text.lines() {
        if let Some(rest) = line.trim().strip_prefix("working-directory:") {
            let d = rest.trim().trim_matches(|c| c == '"' || c == '\'');
            if !d.contains('$') {
                bases.push(repo.join(d));
            }
        }
    }
    let subject = file_name(file);
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(|w| w.trim_matches(|c| c == '"' || c == '\'' || c == '\\').to_string()).collect();
        for (i, word) in words.iter().enumerate() {
            let value = words.get(i + 1).filter(|v| !v.contains('$') && !v.is_empty());
            let at = |f: Finding| f.at(file, Some(n + 1));
            match (word.as_str(), value) {
                ("-scheme", Some(v)) if !known.schemes.contains(v) => out.push(at(Finding::blocker(
                    "ci.workflow.scheme-missing",
                    &subject,
                    format!("The workflow builds scheme `{v}`, which no shared scheme of the workspace's projects defines."),
                )
                .help("Share the scheme in Xcode (Manage Schemes > Shared) or fix its name in the workflow."))),
                ("-configuration", Some(v)) if !known.configurations.contains(v) => out.push(at(Finding::blocker(
                    "ci.workflow.configuration-missing",
                    &subject,
                    format!("The workflow builds configuration `{v}`, which no project of the workspace defines."),
                ))),
                _ => {}
            }
            let is_path = FILE_ENDINGS.iter().any(|e| word.ends_with(e)) && (word.contains('/') || !word.ends_with(".sh"));
            if is_path && !word.contains('$') && !word.contains('*') && !word.contains("://") && !word.starts_with('-') {
                let exists = bases.iter().any(|b| b.join(word).exists());
                if !exists {
                    out.push(at(Finding::blocker(
                        "ci.workflow.file-missing",
                        &subject,
                        format!("The workflow names `{word}`, which does not exist in the repository."),
                    )));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_names_from_pbxproj_text() {
        let text = "\t\tA /* Debug */ = {\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = {\n\t\t\t};\n\t\t\tname = Debug;\n\t\t};\n\t\tB = {\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tname = \"App Store\";\n\t\t};\n";
        assert_eq!(configuration_names(text), ["Debug", "App Store"]);
    }
}
