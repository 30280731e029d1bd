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
        let advice = Fix::new("workspace.init", "Write shipdeck.toml", serde_json::Value::Null);
        assert!(!advice.preview);
        assert!(matches!(preview_fix(&ws, &advice), Err(Error::UnknownFix(a)) if a == "workspace.init"));
    }
}
