//! Checks: a workspace in, findings out. Every check runs; none stops the others.

use crate::appstore::Credentials;
use crate::finding::{Finding, Report};
use crate::workspace::Workspace;

pub mod appstore;
pub mod ci;
pub mod cloudkit;
pub mod project;
pub mod signing;
mod sources;
pub mod workspace;
pub mod xcconfig;

/// What the checks may reach beyond the workspace's files, given by the caller: no check
/// makes a network call it was not handed the means for.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// App Store Connect, asked for the builds already uploaded (the build number check);
    /// `None`: not asked, and that check says nothing.
    pub app_store: Option<Credentials>,
}

impl Context {
    /// Only the files (and the keychain's identities): the app's periodic check.
    pub fn offline() -> Context {
        Context::default()
    }

    /// App Store Connect with these credentials; parts they lack are reported by the check.
    pub fn with_app_store(creds: Credentials) -> Context {
        Context { app_store: Some(creds) }
    }

    /// What `shipdeck check` and the window's check use: the credentials a release would use
    /// (the environment first, the keychain when it lacks the key).
    pub fn resolve() -> Context {
        Context::with_app_store(Credentials::resolve().0)
    }
}

/// Runs every check on the workspace and gathers the report.
///
/// The checks read files only (and ask `security` and App Store Connect), none another's
/// findings: the workflow check and the CloudKit check (each a walk of the repository, and
/// every project file's text for the first) run beside the others, and the findings keep the
/// order below.
pub fn run(ws: &Workspace, cx: &Context) -> Report {
    let alone = |check: fn(&Workspace, &mut Vec<Finding>)| {
        move || {
            let mut out = Vec::new();
            check(ws, &mut out);
            out
        }
    };
    let findings = std::thread::scope(|s| {
        let cloudkit = s.spawn(alone(cloudkit::check));
        let ci = s.spawn(alone(ci::check));
        let mut findings: Vec<Finding> = Vec::new();
        workspace::check(ws, &mut findings);
        // The project check first: the Production xcconfig's includes with a known cause
        // (CocoaPods' not installed) are said once, beside that cause's finding.
        project::check(ws, &mut findings);
        xcconfig::check(ws, &mut findings);
        signing::check(ws, &mut findings);
        appstore::check(ws, cx, &mut findings);
        for handle in [cloudkit, ci] {
            match handle.join() {
                Ok(more) => findings.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        findings
    });
    Report::with_acknowledgements(ws.info(), findings, &ws.config.acknowledgements)
}
