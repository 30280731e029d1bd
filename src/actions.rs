//! Automatic fixes: what a finding's `Fix` would change, as file changes to preview and apply
//! (the changes themselves, and writing them, are `crate::change`).

use crate::change::{change, FileChange};
use crate::error::{Error, Result};
use crate::finding::Fix;
use crate::fsutil::ReadFile;
use crate::pbxproj::{self, scheme, AddConfiguration};
use crate::workspace::Workspace;
use std::path::Path;

/// The changes a fix would make, without writing anything.
pub fn preview_fix(ws: &Workspace, fix: &Fix) -> Result<Vec<FileChange>> {
    match fix.action.as_str() {
        "project.add-configuration" => {
            let param = |k: &str| fix.params.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let project = ws.inside(Path::new(&param("project").ok_or_else(|| Error::Usage("the fix names no project".into()))?))?;
            let name = param("name").unwrap_or_else(|| ws.configuration().to_string());
            let add = AddConfiguration { from: param("from").unwrap_or_else(|| "Release".into()), name: name.clone(), xcconfig: ws.config.production_xcconfig.as_ref().map(|p| ws.path(p)) };
            let file = project.join("project.pbxproj");
            let read = ReadFile::read(&file)?;
            let doc = pbxproj::Document::parse(read.text()?.to_string(), &file)?;
            let edit = pbxproj::add_configuration(&doc, &project, &add)?;
            let mut changes = vec![change(&read, edit.text, &ws.display_path(&file))?];
            if let Some(s) = param("scheme") {
                let path = scheme::scheme_path(&project, &s);
                if let Ok(read) = ReadFile::read(&path) {
                    if let Some(new) = scheme::set_archive_configuration(read.text()?, &name, &path)? {
                        changes.push(change(&read, new, &ws.display_path(&path))?);
                    }
                }
            }
            Ok(changes)
        }
        "cloudkit.align-container" => {
            let to = fix.params.get("to").and_then(|v| v.as_str()).map(str::to_string);
            let to = to.or_else(|| ws.config.cloudkit.as_ref().map(|c| c.container.clone())).ok_or_else(|| Error::Usage("no container id to align on".into()))?;
            crate::cloudkit::alignment::preview_align(ws, &to)
        }
        // What discovery read, written down as shipdeck.toml (what `shipdeck init` writes).
        "workspace.init" => {
            if let Some(existing) = &ws.config_path {
                return Err(Error::Usage(format!("{} already exists", ws.display_path(existing))));
            }
            let text = crate::workspace::config_text(&ws.config)?;
            Ok(vec![crate::change::new_file(&ws.root.join(crate::workspace::CONFIG_FILE), text, crate::workspace::CONFIG_FILE)?])
        }
        // Files the team's setup makes from committed templates (Mullvad's
        // `App.xcconfig.template`), made the same way: each a new file holding its template.
        "project.copy-templates" => {
            let pairs = fix.params.get("files").and_then(|v| v.as_array()).ok_or_else(|| Error::Usage("the fix names no files".into()))?;
            let mut changes = Vec::new();
            for pair in pairs {
                let (Some(template), Some(file)) = (pair.get(0).and_then(|v| v.as_str()), pair.get(1).and_then(|v| v.as_str())) else {
                    return Err(Error::Usage("each file is [template, file]".into()));
                };
                let template = ws.inside(Path::new(template))?;
                let file = ws.inside(Path::new(file))?;
                let text = std::fs::read_to_string(&template).map_err(|e| Error::io(&template, &e))?;
                changes.push(crate::change::new_file(&file, text, &ws.display_path(&file))?);
            }
            Ok(changes)
        }
        // Build settings set where they are (an xcconfig line, a project file's assignment):
        // `settings` is a list of {file, line, key, value}.
        "settings.set" => {
            let list = fix.params.get("settings").and_then(|v| v.as_array()).ok_or_else(|| Error::Usage("the fix names no settings".into()))?;
            let mut edits = Vec::new();
            for e in list {
                let text = |k: &str| e.get(k).and_then(|v| v.as_str()).map(str::to_string).ok_or_else(|| Error::Usage(format!("each setting needs its {k}")));
                let file = ws.inside(Path::new(&text("file")?))?;
                let line = e.get("line").and_then(|v| v.as_u64()).map(|l| l as usize);
                edits.push((file, line, text("key")?, text("value")?));
            }
            crate::change::settings_at(ws, &edits)
        }
        other => Err(Error::UnknownFix(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fix_the_findings_call_previewable_is_one_preview_fix_makes() {
        let ws = Workspace::open(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry"))).unwrap();
        for action in crate::finding::PREVIEWABLE_FIXES {
            let fix = Fix::new(action, "t", serde_json::json!({}));
            assert!(fix.preview);
            assert!(!matches!(preview_fix(&ws, &fix), Err(Error::UnknownFix(_))), "{action}");
        }
        let advice = Fix::new("project.open-in-xcode", "Open in Xcode", serde_json::Value::Null);
        assert!(!advice.preview);
        assert!(matches!(preview_fix(&ws, &advice), Err(Error::UnknownFix(a)) if a == "project.open-in-xcode"));
    }

    /// "Write shipdeck.toml" on a repository Shipdeck discovered: previewed as a new file,
    /// written only while absent, and undone by removing it.
    #[test]
    fn writing_the_discovered_configuration_makes_the_file_and_undo_removes_it() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        let ws = Workspace::open(root).unwrap();
        let fix = Fix::new("workspace.init", "Write shipdeck.toml", serde_json::Value::Null);
        assert!(fix.preview);
        let changes = preview_fix(&ws, &fix).unwrap();
        assert_eq!(changes.len(), 1);
        let c = &changes[0];
        assert!(c.create && c.diff.starts_with("--- a/shipdeck.toml"), "{}", c.diff);
        assert!(c.new.contains("scheme = \"App\""), "{}", c.new);
        // Written; then it opens as the configured workspace.
        let backups = tempfile::tempdir().unwrap();
        crate::change::apply_with_backups(backups.path(), &changes).unwrap();
        let toml = root.join("shipdeck.toml");
        assert_eq!(std::fs::read_to_string(&toml).unwrap(), c.new);
        let again = Workspace::open(root).unwrap();
        assert!(again.config_path.is_some());
        assert_eq!(again.config.targets, ws.config.targets);
        assert!(matches!(preview_fix(&again, &fix), Err(Error::Usage(_))));
        // Applying the same preview again is refused: the file is there now.
        assert!(crate::change::apply_with_backups(backups.path(), &changes).is_err());
        // Undo removes it while it holds what was written; an edit made since is kept.
        std::fs::write(&toml, format!("{}# mine\n", c.new)).unwrap();
        assert!(crate::change::undo_applied_in(backups.path(), std::slice::from_ref(&toml)).is_err());
        assert!(toml.exists());
        std::fs::write(&toml, &c.new).unwrap();
        crate::change::undo_applied_in(backups.path(), std::slice::from_ref(&toml)).unwrap();
        assert!(!toml.exists());
    }
}
