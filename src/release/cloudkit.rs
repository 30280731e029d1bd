//! The schema deploy, step by step through `xcrun cktool`. Development takes the schema by
//! import; production only through CloudKit Console's "Deploy Schema Changes", so Shipdeck
//! prepares, shows the pending changes, sends the user to the console, and then confirms.
//! The commands run on the release runner (`release::process::Recorder`): each into the run's
//! log, cancellable, and the deploy is recorded with the past runs.

use super::process::Recorder;
use super::{Event, Outcome, StepResult};
use crate::cloudkit::{diff, Change, Schema};
pub use crate::step::StepState;
use crate::tools::{self, Invocation};
use crate::workspace::Workspace;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn env_token() -> bool {
    std::env::var_os("CLOUDKIT_MANAGEMENT_TOKEN").is_some_and(|v| !v.is_empty())
}

/// Which management token cktool will use (never its value).
fn token_source() -> &'static str {
    if env_token() {
        "cktool uses the management token in CLOUDKIT_MANAGEMENT_TOKEN (the environment), before any saved one"
    } else {
        "cktool uses the management token saved with `xcrun cktool save-token` (the keychain)"
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub id: &'static str,
    pub title: String,
    /// The exact command, as a user could paste it.
    pub command: Option<String>,
    pub mutates: bool,
    pub state: StepState,
    pub output: String,
    pub needs: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deploy {
    pub dry_run: bool,
    pub container: String,
    pub team_id: Option<String>,
    pub steps: Vec<Step>,
    /// The run's id among the past runs, and its log (every line cktool printed).
    pub run: String,
    pub log: PathBuf,
}

impl Deploy {
    /// A real run that did not finish, or a dry-run that found something broken.
    pub fn failed(&self) -> bool {
        self.steps.iter().any(|s| matches!(s.state, StepState::Failed | StepState::Cancelled)) || (!self.dry_run && self.steps.iter().any(|s| s.state == StepState::Missing))
    }
}

/// CloudKit Console, where the development schema is deployed to production.
pub const CONSOLE_URL: &str = "https://icloud.developer.apple.com/dashboard/";
const TIMEOUT: Duration = Duration::from_secs(300);

fn cktool(verb: &str, team: &str, container: &str, rest: &[&str]) -> Invocation {
    Invocation::new("xcrun", &["cktool", verb, "--team-id", team, "--container-id", container]).args(rest.iter().copied())
}

/// The workspace's team id: shipdeck.toml, else the release build's DEVELOPMENT_TEAM.
pub(crate) fn team_id(ws: &Workspace) -> Option<String> {
    ws.config.app.team_id.clone().or_else(|| ws.config.targets.iter().find_map(|t| crate::settings::target_settings(ws, t).ok()?.value("DEVELOPMENT_TEAM").map(String::from)))
}

/// A deploy step as the record of the run keeps it.
fn recorded(s: &Step) -> StepResult {
    StepResult {
        id: s.id.to_string(),
        title: s.title.clone(),
        state: s.state,
        command: s.command.clone(),
        duration_ms: 0,
        needs: s.needs.iter().cloned().collect(),
        causes: vec![],
        tail: vec![],
        note: (!s.output.is_empty()).then(|| s.output.clone()),
        progress: None,
        file: None,
        delivery_uuid: None,
    }
}

/// Runs one cktool command on the recorder: its output (the last lines) and whether it
/// succeeded; a cancel or a time limit is said in the output.
fn exec(rec: &mut Recorder, id: &str, inv: &Invocation, on_event: &mut dyn FnMut(&Event)) -> (StepState, String) {
    let out = rec.command(id, inv, TIMEOUT, on_event);
    let mut text = out.tail.join("\n");
    if let Some(n) = &out.note {
        text = format!("{text}\n{n}").trim().to_string();
    }
    let state = if out.cancelled {
        StepState::Cancelled
    } else if out.ok {
        StepState::Done
    } else {
        StepState::Failed
    };
    (state, text)
}

/// What a real deploy changes, for the window to confirm first: the development schema of the
/// container, by the one command that writes (`import-schema`). Production changes only in
/// CloudKit Console, by the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeployConfirmation {
    pub container: String,
    pub team_id: Option<String>,
    /// The schema file, as the workspace shows it.
    pub schema: String,
    /// The command that imports it, as it will run.
    pub command: String,
    /// What the deploy's first step would find missing (a team, a container, a readable schema,
    /// cktool): a real deploy would stop there, before it imports anything. Empty when none is.
    pub blocking: Vec<String>,
}

/// What [`run`] would change, without running anything; `None` without a schema file (there is
/// nothing to import).
pub fn deploy_confirmation(ws: &Workspace) -> Option<DeployConfirmation> {
    let ck = ws.config.cloudkit.clone().unwrap_or_default();
    let schema = ws.path(ck.schema.as_ref()?);
    let team = team_id(ws);
    let container = if ck.container.is_empty() { "iCloud.CONTAINER".to_string() } else { ck.container.clone() };
    let import = import_invocation(team.as_deref().unwrap_or("TEAM_ID"), &container, &schema.display().to_string());
    let mut blocking = prerequisites(team.as_deref(), &ck.container, Some(&schema));
    if let Err(e) = Schema::read(&schema) {
        blocking.push(format!("a schema file cktool can read: {e}"));
    }
    Some(DeployConfirmation { container, team_id: team, schema: ws.display_path(&schema), command: import.display(), blocking })
}

/// What the first step of a deploy checks before anything runs: the team, the container, the
/// schema file named, and cktool on this machine. Each thing missing, said as what it needs.
fn prerequisites(team: Option<&str>, container: &str, schema: Option<&Path>) -> Vec<String> {
    let mut needs = Vec::new();
    if team.is_none() {
        needs.push("the team id ([app] team_id in shipdeck.toml, or DEVELOPMENT_TEAM)".to_string());
    }
    if container.is_empty() {
        needs.push("the container id ([cloudkit] container)".into());
    }
    if schema.is_none() {
        needs.push("the schema file ([cloudkit] schema)".into());
    }
    if tools::which("xcrun").is_none() {
        needs.push("Xcode's command-line tools (xcrun cktool), on a Mac".into());
    }
    needs
}

/// Where a workspace without a schema file keeps the one it exports, and the command that
/// writes it there from the container's development environment (read only).
pub const SUGGESTED_SCHEMA: &str = "CloudKit/schema.ckdb";
pub fn export_development(team: &str, container: &str) -> Invocation {
    cktool("export-schema", team, container, &["--environment", "development", "--output-file", SUGGESTED_SCHEMA])
}

/// The import of the workspace's schema into the container's development environment.
fn import_invocation(team: &str, container: &str, file: &str) -> Invocation {
    cktool("import-schema", team, container, &["--environment", "development", "--file", file])
}

/// Runs the deploy (or its dry-run). `confirm`: the user deployed in the console; export
/// production again and check that it now matches the workspace's schema. The run is recorded
/// with the past runs; `cancel` stops the command running and skips the rest.
pub fn run(ws: &Workspace, dry_run: bool, confirm: bool, cancel: &AtomicBool, on_event: &mut dyn FnMut(&Event)) -> crate::Result<Deploy> {
    let ck = ws.config.cloudkit.clone().unwrap_or_default();
    let team = team_id(ws);
    let t = team.clone().unwrap_or_else(|| "TEAM_ID".into());
    let c = if ck.container.is_empty() { "iCloud.CONTAINER".to_string() } else { ck.container.clone() };
    let schema_path = ck.schema.as_ref().map(|s| ws.path(s));
    let shown_schema = schema_path.as_ref().map(|p| ws.display_path(p)).unwrap_or_else(|| "schema.ckdb".into());
    // CI's management token is redacted from the log, should cktool ever print it.
    let secrets: Vec<String> = std::env::var("CLOUDKIT_MANAGEMENT_TOKEN").ok().filter(|v| !v.is_empty()).into_iter().collect();
    let mut rec = Recorder::start(ws, vec![format!("CloudKit schema {} of {c}", if confirm { "check" } else { "deploy" })], dry_run, &secrets, cancel)?;
    let mut steps = Vec::new();
    let step = |id, title: &str, command: Option<&Invocation>, mutates| Step {
        id,
        title: title.to_string(),
        command: command.map(Invocation::display),
        mutates,
        state: StepState::Skipped,
        output: String::new(),
        needs: None,
        changes: vec![],
    };

    // What every later step needs.
    let mut ready = true;
    let mut s = step("prerequisites", "Team, container, schema and cktool", None, false);
    let needs = prerequisites(team.as_deref(), &ck.container, schema_path.as_deref());
    let local = match &schema_path {
        None => None,
        Some(p) => match Schema::read(p) {
            Ok(s) => Some(s),
            Err(e) => {
                s.state = StepState::Failed;
                s.output = e.to_string();
                None
            }
        },
    };
    if s.state != StepState::Failed {
        s.state = if needs.is_empty() { StepState::Done } else { StepState::Missing };
    }
    if !needs.is_empty() {
        s.needs = Some(needs.join("; "));
        ready = false;
    }
    let can_read = ready && s.state == StepState::Done;
    rec.step(recorded(&s));
    steps.push(s);

    // The management token: cktool takes CLOUDKIT_MANAGEMENT_TOKEN first, else the one it saved
    // in the keychain; `get-teams` only reads. Which one is said, never its value.
    let inv = Invocation::new("xcrun", &["cktool", "get-teams"]);
    let mut s = step("token", "CloudKit management token", Some(&inv), false);
    let mut authed = false;
    if can_read {
        match exec(&mut rec, "token", &inv, on_event) {
            (StepState::Done, _) => {
                s.state = StepState::Done;
                s.output = token_source().to_string();
                authed = true;
            }
            (StepState::Failed, out) => {
                s.state = StepState::Missing;
                s.output = format!("{out}\n{}", token_source()).trim().to_string();
                s.needs = Some(if env_token() {
                    "a valid CloudKit management token in CLOUDKIT_MANAGEMENT_TOKEN (cktool uses it before a saved one): create one in CloudKit Console (Settings > Tokens)".into()
                } else {
                    "a CloudKit management token: create one in CloudKit Console (Settings > Tokens), then run `xcrun cktool save-token --type management`, or set CLOUDKIT_MANAGEMENT_TOKEN (CI)"
                        .into()
                });
            }
            (state, out) => {
                s.state = state;
                s.output = out;
            }
        }
    } else {
        s.state = StepState::Missing;
        s.needs = Some("the prerequisites above, then a CloudKit management token (`xcrun cktool save-token --type management`)".into());
    }
    rec.step(recorded(&s));
    steps.push(s);

    let run_read = |rec: &mut Recorder, s: &mut Step, inv: &Invocation, on_event: &mut dyn FnMut(&Event)| -> bool {
        if rec.cancelled() {
            s.state = StepState::Skipped;
            s.output = "not run: the deploy was cancelled".into();
            return false;
        }
        if !authed {
            s.state = StepState::Missing;
            s.needs = Some("a management token (see above)".into());
            return false;
        }
        let (state, out) = exec(rec, s.id, inv, on_event);
        s.state = state;
        s.output = out;
        state == StepState::Done
    };

    let file_arg = schema_path.as_ref().map(|p| p.display().to_string()).unwrap_or(shown_schema.clone());
    // Production's schema: exported to a temporary file in a dry-run, into .shipdeck/ otherwise.
    let export_dir = if dry_run { std::env::temp_dir().join(format!("shipdeck-ck-{}", std::process::id())) } else { ws.root.join(".shipdeck/cloudkit") };
    let export_path: PathBuf = export_dir.join("production.ckdb");
    let export = cktool("export-schema", &t, &c, &["--environment", "production", "--output-file", &export_path.display().to_string()]);

    if !confirm {
        let validate = cktool("validate-schema", &t, &c, &["--environment", "development", "--file", &file_arg]);
        let mut s = step("validate", "Validate the workspace schema", Some(&validate), false);
        let valid = run_read(&mut rec, &mut s, &validate, on_event);
        rec.step(recorded(&s));
        steps.push(s);

        let import = import_invocation(&t, &c, &file_arg);
        let mut s = step("import", "Import it into the development environment", Some(&import), true);
        if local.is_none() {
            // No schema file to import (none named, or one that does not read): said, not shown
            // as a command that would run.
            s.state = StepState::Missing;
            s.needs = Some("a schema file that reads (see the first step)".into());
        } else if dry_run {
            s.state = StepState::WouldRun;
        } else if valid {
            run_read(&mut rec, &mut s, &import, on_event);
        } else {
            s.state = StepState::Skipped;
            s.output = "not run: the schema did not validate".into();
        }
        let imported = s.state == StepState::Done || s.state == StepState::WouldRun;
        rec.step(recorded(&s));
        steps.push(s);

        let mut s = step("export-production", "Export the production schema", Some(&export), false);
        let _ = std::fs::create_dir_all(&export_dir);
        let exported = imported && run_read(&mut rec, &mut s, &export, on_event);
        rec.step(recorded(&s));
        steps.push(s);

        let mut s = step("pending", "Changes waiting to be deployed to production", None, false);
        match (exported.then(|| Schema::read(&export_path)), &local) {
            (Some(Ok(prod)), Some(local)) => {
                s.changes = diff(&prod, local);
                let destructive = s.changes.iter().filter(|c| c.destructive).count();
                s.output = format!("{} change(s), {destructive} that production cannot take", s.changes.len());
                s.state = if destructive > 0 { StepState::Failed } else { StepState::Done };
            }
            (Some(Err(e)), _) => {
                s.state = StepState::Failed;
                s.output = format!("the exported production schema does not parse: {e}");
            }
            _ => {
                s.state = StepState::Missing;
                s.needs = Some("the production export above".into());
            }
        }
        let deployable = s.state == StepState::Done;
        rec.step(recorded(&s));
        steps.push(s);

        let mut s = step("console", "Deploy Schema Changes in CloudKit Console", None, true);
        s.state = if deployable && !dry_run {
            StepState::Manual
        } else if dry_run {
            StepState::WouldRun
        } else {
            StepState::Skipped
        };
        s.output = format!("Open {CONSOLE_URL}, choose {c}, then Schema > Deploy Schema Changes. Afterwards confirm that production matches: `shipdeck cloudkit deploy --confirm`, or \"Confirm production\" in the app.");
        rec.step(recorded(&s));
        steps.push(s);
    } else {
        let mut s = step("confirm", "Production now matches the workspace schema", Some(&export), false);
        let _ = std::fs::create_dir_all(&export_dir);
        if run_read(&mut rec, &mut s, &export, on_event) {
            match (Schema::read(&export_path), &local) {
                (Ok(prod), Some(local)) => {
                    s.changes = diff(&prod, local);
                    s.state = if s.changes.is_empty() { StepState::Done } else { StepState::Failed };
                    s.output = if s.changes.is_empty() { "production matches the workspace schema".into() } else { format!("{} change(s) still not in production", s.changes.len()) };
                }
                (Err(e), _) => {
                    s.state = StepState::Failed;
                    s.output = e.to_string();
                }
                _ => {}
            }
        }
        rec.step(recorded(&s));
        steps.push(s);
    }
    if dry_run {
        let _ = std::fs::remove_dir_all(&export_dir);
    }
    let cancelled = steps.iter().any(|s| s.state == StepState::Cancelled);
    let mut d = Deploy { dry_run, container: c, team_id: team, steps, run: String::new(), log: PathBuf::new() };
    let outcome = if cancelled {
        Outcome::Cancelled
    } else if d.failed() {
        Outcome::Failed
    } else if dry_run {
        Outcome::DryRunPassed
    } else {
        Outcome::Succeeded
    };
    let record = rec.finish(outcome);
    d.run = record.id;
    d.log = record.log;
    Ok(d)
}
