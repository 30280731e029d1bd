//! Generating a project XcodeGen or Tuist makes (kiwix-apple, Karabiner-Elements and the Tuist
//! workspaces keep only the spec in git): the command the `workspace.project.generated` finding
//! names, run where the team runs it, and undone by moving what it made aside.
//!
//! Only what the run made is touched: the folder's entries are listed before and after, and the
//! new ones are recorded; undo moves those (never anything that was there before) into the
//! backups folder, from where they can be put back by hand.

use crate::error::{Error, Result};
use crate::tools::{Captured, Invocation};
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The action of the `workspace.project.generated` finding's fix: run by `shipdeck generate`
/// and the app's Generate button, never previewed as file changes.
pub const FIX: &str = "project.generate";

/// How long one step may take: `tuist install` fetches every package the workspace depends on.
const STEP_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// What generating the workspace's project runs, and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The spec the project is made from (project.yml, Project.swift, Workspace.swift).
    pub spec: PathBuf,
    /// The folder the commands run in.
    pub dir: PathBuf,
    /// `XcodeGen` or `Tuist`.
    pub tool: String,
    /// Each command, in order (`tuist install`, then `tuist generate --no-open`).
    pub steps: Vec<Invocation>,
    /// The folders whose new entries are the run's: the one it runs in, and for Tuist each
    /// folder holding a Project.swift (Tuist writes each project beside its manifest).
    pub watch: Vec<PathBuf>,
}

impl Plan {
    /// The commands as one line a person could type (`tuist install && tuist generate`).
    pub fn command(&self) -> String {
        self.steps.iter().map(Invocation::display).collect::<Vec<_>>().join(" && ")
    }
}

/// What a run made: the new entries of the folder it ran in, and what the tool printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generated {
    pub dir: PathBuf,
    pub created: Vec<PathBuf>,
    /// The projects among them (`Kiwix.xcodeproj`).
    pub projects: Vec<PathBuf>,
    #[serde(default)]
    pub output: String,
}

/// The generation the workspace needs: none when it has an Xcode project, or when its project
/// is made some other way (Expo's prebuild needs the app's packages first: said, not run).
pub fn plan(ws: &Workspace) -> Result<Plan> {
    if !ws.config.targets.is_empty() {
        return Err(Error::Usage(format!("{} already has an Xcode project: nothing to generate", ws.name())));
    }
    let spec = crate::discover::ungenerated_project(ws.tree()).ok_or_else(|| Error::Usage(format!("{}: no project.yml or Project.swift to generate a project from", ws.name())))?;
    let command = crate::discover::generate_command(&spec);
    let (tool, dir) = match crate::discover::tuist_root(&spec) {
        Some(root) => ("Tuist", root),
        None if command.starts_with("xcodegen") => ("XcodeGen", spec.parent().unwrap_or(&ws.root).to_path_buf()),
        None => return Err(Error::Usage(format!("{}: Shipdeck does not run `{command}`; run it in a terminal", ws.display_path(&spec)))),
    };
    let steps = command
        .split(" && ")
        .map(|c| {
            let mut words: Vec<&str> = c.split(' ').collect();
            // Tuist 4 opens the generated workspace in Xcode unless told not to; Shipdeck checks
            // it in its own window.
            if words == ["tuist", "generate"] {
                words.push("--no-open");
            }
            Invocation::new(words[0], &words[1..]).cwd(&dir)
        })
        .collect();
    let mut watch = vec![dir.clone()];
    if tool == "Tuist" {
        for d in crate::discover::ungenerated_projects(ws.tree()).iter().filter(|s| s.file_name().is_some_and(|n| n == "Project.swift")).filter_map(|s| s.parent()) {
            if !watch.iter().any(|w| w == d) {
                watch.push(d.to_path_buf());
            }
        }
    }
    Ok(Plan { spec, dir, tool: tool.to_string(), steps, watch })
}

/// A folder as the messages name it: its path in the workspace, or "the workspace folder".
pub fn folder(ws: &Workspace, dir: &Path) -> String {
    if dir == ws.root {
        "the workspace folder".to_string()
    } else {
        ws.display_path(dir)
    }
}

/// The entries of each folder, sorted.
fn entries(dirs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for dir in dirs {
        out.extend(std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?.flatten().map(|e| e.path()));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn journal(backups_root: &Path, ws: &Workspace) -> PathBuf {
    crate::fsutil::backup_dir_for(backups_root, &ws.root).join("last-generate.json")
}

/// The last lines of what a failed command printed, for the message that says it failed.
fn tail(c: &Captured) -> String {
    let text = if c.stderr.trim().is_empty() { &c.stdout } else { &c.stderr };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(6)..].join("\n")
}

/// Runs the plan's commands one after the other, stopping at the first that fails (its own
/// words in the error), and records what the run made for [`undo`].
pub fn run(ws: &Workspace, plan: &Plan, backups_root: &Path) -> Result<Generated> {
    for step in &plan.steps {
        if crate::tools::which(&step.program).is_none() {
            let install = if plan.tool == "Tuist" { "`brew install tuist` or mise" } else { "`brew install xcodegen`" };
            return Err(Error::tool(
                &step.program,
                crate::error::ToolProblem::NotFound,
                format!("`{}` is not installed on this Mac (install it with {install}), so the project cannot be generated", step.program),
            ));
        }
    }
    let before = entries(&plan.watch)?;
    let mut output = String::new();
    for step in &plan.steps {
        let c = crate::tools::capture(step, STEP_TIMEOUT)?;
        output.push_str(&format!("$ {}\n{}{}", step.display(), c.stdout, c.stderr));
        if !c.success() {
            let made: Vec<PathBuf> = entries(&plan.watch)?.into_iter().filter(|p| !before.contains(p)).collect();
            let left = match made.len() {
                0 => "nothing was made".to_string(),
                _ => format!("it left {}", made.iter().map(|p| ws.display_path(p)).collect::<Vec<_>>().join(", ")),
            };
            return Err(Error::Invalid(format!(
                "`{}` in {} failed (exit {}); {left}:\n{}",
                step.display(),
                folder(ws, &plan.dir),
                c.status.map(|s| s.to_string()).unwrap_or_else(|| "signal".into()),
                tail(&c)
            )));
        }
    }
    let created: Vec<PathBuf> = entries(&plan.watch)?.into_iter().filter(|p| !before.contains(p)).collect();
    let projects: Vec<PathBuf> = created.iter().filter(|p| p.extension().is_some_and(|e| e == "xcodeproj" || e == "xcworkspace")).cloned().collect();
    let generated = Generated { dir: plan.dir.clone(), created, projects, output };
    if !generated.created.is_empty() {
        let path = journal(backups_root, ws);
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, &e))?;
        }
        crate::fsutil::atomic_write(&path, &serde_json::to_vec(&generated).map_err(|e| Error::Other(e.to_string()))?)?;
    }
    // Read again: the generator has just written (or not) the project.
    if generated.projects.is_empty() && crate::discover::ungenerated_project(&crate::tree::Tree::read(&ws.root)).is_some() {
        return Err(Error::Invalid(format!("`{}` finished, but no Xcode project is here yet:\n{}", plan.command(), generated.output.trim_end())));
    }
    Ok(generated)
}

/// Moves what the last generation made (and only that) into the backups folder; returns where
/// each went. Nothing to undo is an error that says so.
pub fn undo(ws: &Workspace, backups_root: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
    let path = journal(backups_root, ws);
    let text = std::fs::read(&path).map_err(|_| Error::Usage(format!("no generated project of {} to undo", ws.name())))?;
    let generated: Generated = serde_json::from_slice(&text).map_err(|e| Error::Invalid(format!("{}: unreadable record of the last generation: {e}", path.display())))?;
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let aside = path.with_file_name(format!("generated-{stamp}"));
    let mut moved = Vec::new();
    for p in generated.created.iter().filter(|p| p.exists() && p.starts_with(&ws.root)) {
        // Kept at its path in the workspace: Tuist makes a Derived/ folder beside each project.
        let to = aside.join(p.strip_prefix(&ws.root).unwrap_or(p));
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        std::fs::rename(p, &to).map_err(|e| Error::io(p, &e))?;
        moved.push((p.clone(), to));
    }
    let _ = std::fs::remove_file(&path);
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xcodegen_spec_runs_beside_itself_and_a_tuist_workspace_from_its_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/apps/Settings")).unwrap();
        std::fs::write(dir.path().join("src/apps/Settings/project.yml"), "name: Settings\ntargets:\n  Settings:\n    type: application\n").unwrap();
        let ws = Workspace::open(dir.path()).unwrap();
        let p = plan(&ws).unwrap();
        assert_eq!((p.tool.as_str(), p.dir.as_path(), p.command().as_str()), ("XcodeGen", dir.path().join("src/apps/Settings").as_path(), "xcodegen generate"));

        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("Tuist")).unwrap();
        std::fs::write(dir.path().join("Tuist/Package.swift"), "// swift-tools-version: 5.9\n").unwrap();
        std::fs::create_dir_all(dir.path().join("Projects/App")).unwrap();
        std::fs::write(dir.path().join("Projects/App/Project.swift"), "import ProjectDescription\n").unwrap();
        let ws = Workspace::open(dir.path()).unwrap();
        let p = plan(&ws).unwrap();
        assert_eq!((p.tool.as_str(), p.dir.as_path(), p.command().as_str()), ("Tuist", dir.path(), "tuist install && tuist generate --no-open"));
        assert_eq!(p.watch, [dir.path().to_path_buf(), dir.path().join("Projects/App")]);

        // Expo's prebuild is said, not run; a workspace with a project has nothing to generate.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("package.json"), "{\"dependencies\": {\"expo\": \"52\"}}").unwrap();
        std::fs::write(dir.path().join("app.json"), "{}").unwrap();
        assert!(matches!(plan(&Workspace::open(dir.path()).unwrap()), Err(Error::Usage(m)) if m.contains("npx expo prebuild")));
        let dir = tempfile::tempdir().unwrap();
        crate::discover::fixture::project(dir.path(), "App", &[], &[crate::discover::fixture::T("App", crate::discover::fixture::APP, &[])]);
        assert!(matches!(plan(&Workspace::open(dir.path()).unwrap()), Err(Error::Usage(m)) if m.contains("nothing to generate")));
    }
}
