//! What a real release will do, said before it starts: the builds it makes (version, build
//! number, platforms), where it uploads them, with which credentials, and every command that
//! changes something. The app asks the user with this before anything runs; the CLI prints it.

use super::plan::{Effect, Plan, PlannedBuild};
use crate::appstore::Credentials;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Confirmation {
    /// One sentence: what happens if the user says yes.
    pub question: String,
    pub builds: Vec<PlannedBuild>,
    /// Where the builds go and as whom ("App Store Connect, API key ABC123 from the keychain").
    pub destination: String,
    /// What a real run lacks (it would stop at the step that needs it).
    pub missing: Vec<String>,
    /// Of those, what stops the run before it archives (its first step checks them): all but
    /// what following the build's processing needs. While any is missing there is nothing to
    /// confirm: the app offers no "Release" then.
    pub blocking: Vec<String>,
    /// Each command that writes or uploads, in the order it runs, secrets redacted.
    pub commands: Vec<String>,
    /// Files in the workspace the run changes before it archives (the raised build number).
    pub edits: Vec<String>,
}

fn list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The confirmation for a real run of `plan`. `app` names the app ("Isometry").
pub fn confirmation(app: &str, plan: &Plan, creds: &Credentials) -> Confirmation {
    let versions: Vec<String> = {
        let mut v: Vec<String> = plan
            .builds
            .iter()
            .map(|b| match (&b.version, &b.build) {
                (Some(v), Some(n)) => format!("{v} ({n})"),
                (Some(v), None) if b.build_set_by.is_some() => format!("{v} (the build number its build sets)"),
                (Some(v), None) => format!("{v} (build number not set)"),
                (None, Some(n)) => format!("build {n} (version not set)"),
                (None, None) => "an unversioned build".to_string(),
            })
            .collect();
        v.dedup();
        v
    };
    let platforms: Vec<String> = plan.builds.iter().map(|b| b.platform.display().to_string()).collect();
    let uploads = plan.steps.iter().any(|s| s.effect == Effect::Remote);
    let question = if plan.builds.is_empty() {
        format!("Nothing to release for {app}: no platform is configured")
    } else {
        format!("Archive, export{} {app} {} for {}{}?", if uploads { " and upload" } else { "" }, list(&versions), list(&platforms), if uploads { " to App Store Connect" } else { "" })
    };
    let destination = match (creds.key_id.as_deref(), creds.key_source) {
        (Some(id), Some(from)) if creds.missing().is_empty() => format!("App Store Connect, signed in with API key {id} from {from}"),
        _ => match creds.upload_missing().is_empty() {
            true => format!("App Store Connect, signed in as {}", creds.apple_id.as_deref().unwrap_or("the Apple ID")),
            false => "App Store Connect (no credentials: the release would stop before it archives)".to_string(),
        },
    };
    let mut missing: Vec<String> = Vec::new();
    for s in &plan.steps {
        for n in &s.needs {
            if !missing.contains(n) {
                missing.push(n.clone());
            }
        }
    }
    let blocking = plan.needs_before_archive();
    let commands = plan.steps.iter().filter(|s| s.effect != Effect::Read).filter_map(|s| s.command.as_ref().map(|c| crate::tools::redact(&c.display(), &plan.secrets))).collect();
    let edits = plan.steps.iter().flat_map(|s| &s.bump).map(|c| c.path.strip_prefix(&plan.workspace).unwrap_or(&c.path).display().to_string()).collect();
    Confirmation { question, builds: plan.builds.clone(), destination, missing, blocking, commands, edits }
}
