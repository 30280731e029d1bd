//! The CloudKit screen: every place naming the container, and the schema against the last
//! production export (when there is one).

use crate::cloudkit::alignment::{self, Place};
use crate::cloudkit::{diff, Change, Schema};
use crate::error::Result;
use crate::workspace::Workspace;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CloudKitView {
    pub container: Option<String>,
    pub places: Vec<Place>,
    /// The distinct container ids the places name.
    pub distinct: Vec<String>,
    pub schema: Option<String>,
    /// Compared with `.shipdeck/cloudkit/production.ckdb`, the last production export.
    pub production_snapshot: bool,
    pub changes: Vec<Change>,
    /// The id the places should all name when they disagree: shipdeck.toml's, unless more
    /// places name another (alignment::suggested); the rows naming anything else are the odd ones.
    pub align_to: Option<String>,
    /// Aligns every place on `align_to`, when they disagree.
    pub fix: Option<crate::finding::Fix>,
    /// The build's own places (entitlements, settings, shipdeck.toml, profiles) agree and only
    /// the code names another id: a warning, not two ways of naming the release's container.
    pub only_code_differs: bool,
    /// Without a schema file: the command that exports the container's development schema to
    /// a file for the workspace (`CloudKit/schema.ckdb`), with the team and container filled in.
    pub export_command: Option<String>,
}

pub fn cloudkit(ws: &Workspace) -> Result<CloudKitView> {
    let places: Vec<Place> = alignment::places(ws)
        .into_iter()
        .map(|mut p| {
            p.file = ws.display_path(&p.file).into();
            p
        })
        .collect();
    let schema = ws.config.cloudkit.as_ref().and_then(|c| c.schema.as_ref()).map(|s| ws.path(s));
    let snapshot = ws.root.join(crate::checks::cloudkit::PRODUCTION_SNAPSHOT);
    let changes = match (&schema, snapshot.is_file()) {
        (Some(s), true) => diff(&Schema::read(&snapshot)?, &Schema::read(s)?),
        _ => vec![],
    };
    let judged = alignment::judge(ws, &places);
    // Only the code differs: the build names one container and the code asks for another.
    let only_code_differs = judged.release_ids.len() == 1 && !judged.stray.is_empty();
    // The ids the screen marks: the build's when they agree and the code asks for nothing
    // ungranted (another container the app or another app uses is not a difference), else every
    // id its own places name.
    let own: Vec<Place> = places.iter().filter(|p| !p.also).cloned().collect();
    let distinct = if judged.release_ids.len() == 1 && judged.stray.is_empty() { judged.release_ids.clone() } else { alignment::distinct(&own) };
    // When only the code differs, the build's id is the one to keep, however often the code names another.
    let align_to = match only_code_differs {
        true => judged.release_ids.first().cloned(),
        false => ws.config.cloudkit.as_ref().filter(|_| distinct.len() > 1).map(|c| alignment::suggested(&c.container, &own).to),
    };
    let fix = align_to.as_deref().map(alignment::align_fix);
    let container = ws.config.cloudkit.as_ref().map(|c| c.container.clone()).filter(|c| !c.is_empty());
    let export_command = match (&schema, &container) {
        (None, Some(c)) => Some(crate::release::cloudkit::export_development(crate::release::cloudkit::team_id(ws).as_deref().unwrap_or("TEAM_ID"), c).display()),
        _ => None,
    };
    Ok(CloudKitView {
        only_code_differs,
        export_command,
        align_to,
        fix,
        container: ws.config.cloudkit.as_ref().map(|c| c.container.clone()),
        distinct,
        places,
        schema: schema.as_ref().map(|s| ws.display_path(s)),
        production_snapshot: snapshot.is_file(),
        changes,
    })
}
