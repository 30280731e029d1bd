//! Checks: a workspace in, findings out. Every check runs; none stops the others.

use crate::finding::{Finding, Report};
use crate::workspace::Workspace;

pub mod appstore;
pub mod ci;
pub mod cloudkit;
pub mod project;
pub mod signing;
pub mod workspace;
pub mod xcconfig;

/// Runs every check on the workspace and gathers the report.
pub fn run(ws: &Workspace) -> Report {
    let mut findings: Vec<Finding> = Vec::new();
    workspace::check(ws, &mut findings);
    xcconfig::check(ws, &mut findings);
    project::check(ws, &mut findings);
    signing::check(ws, &mut findings);
    appstore::check(ws, &mut findings);
    cloudkit::check(ws, &mut findings);
    ci::check(ws, &mut findings);
    Report::with_acknowledgements(ws.info(), findings, &ws.config.acknowledgements)
}
