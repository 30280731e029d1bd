//! Runs a plan, step by step: each step's kind decides what it does (the checks, the build
//! number, a command, App Store Connect's processing); the record is written after each.

use super::diagnose::Cause;
use super::plan::{Effect, Plan, Step, StepKind};
use super::process::{CommandOutcome, Ctx, KeyDir, Lock, Recorder};
use super::record::{build_labels, Event, Outcome, RunRecord, StepResult, WrittenFile};
use crate::appstore::Credentials;
use crate::error::{Error, Result};
pub use crate::step::StepState;
use crate::tools::{redact, Invocation};
use crate::workspace::{Platform, Workspace};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Executes a plan. In a dry-run (`plan.dry_run`) only the read-only steps run (and the
/// archive, into the temporary build folder, when `plan.archive`); every other step is
/// reported with its exact command and what a real run needs.
pub fn execute(ws: &Workspace, plan: &Plan, creds: &Credentials, cancel: &AtomicBool, on_event: &mut dyn FnMut(&Event)) -> Result<RunRecord> {
    let _lock = Lock::take(ws)?;
    std::fs::create_dir_all(&plan.build_dir).map_err(|e| Error::io(&plan.build_dir, &e))?;
    // The key file is removed however the run ends (an error, a panic unwinding, a cancel).
    let _key_dir = KeyDir(plan.build_dir.join("private_keys"));
    if !plan.dry_run {
        super::plan::install_key(&plan.build_dir.join("private_keys"), creds).map_err(|e| Error::io(&plan.build_dir, &e))?;
    }
    // Recorded from the start and after each step: a run that dies leaves what it did.
    let rec = Recorder::start(ws, build_labels(plan), plan.dry_run, &plan.secrets, cancel)?;
    let mut run = Run { ws, plan, creds, rec, observed: HashMap::new(), archived: HashMap::new() };
    let mut stop: Option<(StepState, String)> = None;
    let mut failed_platforms: Vec<Option<Platform>> = Vec::new();
    for step in &plan.steps {
        let t0 = Instant::now();
        let blocked = stop.is_some() || (step.platform.is_some() && failed_platforms.contains(&step.platform));
        let (command, package_error) = resolve_command(plan, step, blocked);
        let shown = command.as_ref().map(|c| redact(&c.display(), &plan.secrets));
        let title = run.title(step);
        on_event(&Event::StepStarted { id: step.id.clone(), title: title.clone(), command: shown.clone() });
        let mut r = StepResult {
            id: step.id.clone(),
            title,
            state: StepState::Skipped,
            command: shown,
            duration_ms: 0,
            needs: step.needs.clone(),
            causes: vec![],
            tail: vec![],
            note: None,
            progress: None,
            file: step.writes_file.as_ref().map(|(path, text)| WrittenFile { path: path.clone(), text: redact(text, &plan.secrets) }),
            delivery_uuid: None,
        };
        let after = if let Some((state, why)) = &stop {
            r.state = *state;
            r.note = Some(why.clone());
            After::Next
        } else if step.platform.is_some() && failed_platforms.contains(&step.platform) {
            r.state = StepState::Blocked;
            r.note = Some("an earlier step of this platform failed".into());
            After::Next
        } else {
            match step.kind {
                StepKind::Preflight => run.preflight(&mut r),
                StepKind::Bump => run.bump(step, &mut r),
                _ if plan.dry_run && only_shown_in_dry_run(plan, step) => run.would_run(step, &mut r),
                StepKind::Processing => run.processing(step, &mut r, on_event),
                StepKind::BuildSettings | StepKind::Archive | StepKind::Export | StepKind::Upload => run.command(step, command, package_error, &mut r, on_event),
            }
        };
        match after {
            After::Next => {}
            After::PlatformFailed => failed_platforms.push(step.platform),
            After::Stop(state, why) => stop = Some((state, why)),
        }
        if let Some(n) = &step.note {
            note_first(&mut r.note, n);
        }
        r.duration_ms = t0.elapsed().as_millis() as u64;
        on_event(&Event::StepFinished { result: Box::new(r.clone()) });
        run.rec.step(r);
    }
    let any = |s: StepState| run.rec.steps().iter().any(|r| r.state == s);
    let outcome = if any(StepState::Cancelled) {
        Outcome::Cancelled
    } else if any(StepState::Failed) {
        Outcome::Failed
    } else if any(StepState::Blocked) || (!plan.dry_run && any(StepState::Missing)) {
        Outcome::Blocked
    } else if plan.dry_run {
        Outcome::DryRunPassed
    } else {
        Outcome::Succeeded
    };
    let record = run.rec.finish(outcome);
    // The key file is not left behind.
    let _ = std::fs::remove_dir_all(plan.build_dir.join("private_keys"));
    Ok(record)
}

/// What the run does after a step: go on, skip the rest of the step's platform, or stop.
enum After {
    Next,
    PlatformFailed,
    Stop(StepState, String),
}

/// In a dry-run, the steps that are shown and not run: what changes something outside this
/// machine, and what writes on it (but the archive, when the dry-run archives).
fn only_shown_in_dry_run(plan: &Plan, step: &Step) -> bool {
    step.effect == Effect::Remote || (step.effect == Effect::Local && !(plan.archive && step.kind == StepKind::Archive))
}

/// The command a step runs: the upload's takes the package the export actually wrote (its
/// name comes from the product, which the plan can only guess before the export has run); when
/// it cannot be found, the planned command and why.
fn resolve_command(plan: &Plan, step: &Step, blocked: bool) -> (Option<Invocation>, Option<String>) {
    match &step.command {
        Some(inv) if !plan.dry_run && !blocked && step.kind == StepKind::Upload => match locate_package(inv) {
            Ok(found) => (Some(found), None),
            Err(why) => (Some(inv.clone()), Some(why.to_string())),
        },
        other => (other.clone(), None),
    }
}

fn xcode_tools_needed(program: &str) -> String {
    format!("`{program}` (Xcode's command-line tools, on a Mac)")
}

/// A run in progress: what every step function needs.
struct Run<'a> {
    ws: &'a Workspace,
    plan: &'a Plan,
    creds: &'a Credentials,
    /// The run's log, record and command runner.
    rec: Recorder<'a>,
    /// What xcodebuild itself says of each platform's Production build (its -showBuildSettings).
    observed: HashMap<Option<Platform>, BuildSettings>,
    /// What each platform's archive holds, once it is made: what ships.
    archived: HashMap<Option<Platform>, super::archive::Archived>,
}

impl Run<'_> {
    /// Every check (App Store Connect asked with the run's credentials), and in a real run
    /// what it needs to finish: missing, it stops here, before a 20-minute archive.
    fn preflight(&mut self, r: &mut StepResult) -> After {
        let dry_run = self.plan.dry_run;
        let report = crate::checks::run(self.ws, &crate::checks::Context::with_app_store(self.creds.clone()));
        // A blocker about targets of other platforms only does not stop this release (Foqos's
        // Developer ID Mac app when its iOS app is released).
        // One cause said of several targets (one per platform) is one line naming them all, as
        // on the dashboard.
        let mut blocking: Vec<Cause> = Vec::new();
        let mut elsewhere = 0;
        for group in &report.groups {
            let f = &report.findings[group[0]];
            // A target that ships outside the App Store is a warning beside others Shipdeck
            // releases (one the team may acknowledge); a release asked for it by name stops at
            // it all the same.
            let outside = f.id == "release.distribution.outside-app-store";
            if !outside && (f.severity != crate::Severity::Blocker || f.acknowledged.is_some()) {
                continue;
            }
            let here: Vec<usize> = group.iter().copied().filter(|&i| !only_other_platforms(&report.findings[i].subject, &self.plan.platforms)).collect();
            if here.is_empty() {
                elsewhere += usize::from(f.severity == crate::Severity::Blocker);
                continue;
            }
            blocking.push(Cause { line: format!("{}: {}", report.subjects(&here), f.message), finding: Some(f.id.clone()), hint: f.help.clone(), detail: vec![], generic: false });
        }
        r.note = Some(match elsewhere {
            0 => report.summary.to_string(),
            n => format!("{}; {n} of them about a platform this release does not build, set aside", report.summary),
        });
        let blocking_none = blocking.is_empty();
        r.causes = blocking;
        // Following the build's processing is optional (an Apple ID upload skips it).
        let missing = if dry_run { Vec::new() } else { self.plan.needs_before_archive() };
        if !missing.is_empty() {
            r.causes.push(Cause::said(
                format!("A real release needs, before it archives: {}", missing.join("; ")),
                Some("Store the App Store Connect API key (`shipdeck secrets set`, or the Release screen's key form) or set APP_STORE_CONNECT_KEY_ID, APP_STORE_CONNECT_ISSUER_ID and APP_STORE_CONNECT_PRIVATE_KEY(_PATH); a dry-run runs without them.".into()),
            ));
        }
        if blocking_none && missing.is_empty() {
            r.state = StepState::Done;
            return After::Next;
        }
        if dry_run {
            r.state = StepState::Failed;
            return After::Next;
        }
        r.state = StepState::Blocked;
        let why = if !blocking_none { "not run: the checks found blockers" } else { "not run: what a real release needs is missing (see the first step)" };
        After::Stop(StepState::Blocked, why.into())
    }

    /// Raises the build number (shown as its diff in a dry-run).
    fn bump(&mut self, step: &Step, r: &mut StepResult) -> After {
        let diffs = || step.bump.iter().map(|c| c.diff.trim_end().to_string()).collect::<Vec<_>>().join("\n");
        match &step.bump[..] {
            [] => {
                r.state = if self.plan.dry_run { StepState::Missing } else { StepState::Failed };
                After::Next
            }
            _ if self.plan.dry_run => {
                r.state = StepState::WouldRun;
                r.note = Some(diffs());
                After::Next
            }
            // Every file is checked before any is written (crate::change::apply).
            changes => match crate::change::apply(changes) {
                Ok(_) => {
                    r.state = StepState::Done;
                    r.note = Some(diffs());
                    After::Next
                }
                Err(e) => {
                    r.state = StepState::Failed;
                    r.causes = vec![Cause::said(e.to_string(), None)];
                    After::Stop(StepState::Blocked, "not run: the build number could not be raised".into())
                }
            },
        }
    }

    /// A dry-run's step that is shown, not run.
    fn would_run(&mut self, step: &Step, r: &mut StepResult) -> After {
        r.state = StepState::WouldRun;
        if let Some(p) = step.command.as_ref().map(|c| c.program.clone()).filter(|p| crate::tools::which(p).is_none()) {
            r.needs.push(xcode_tools_needed(&p));
        }
        After::Next
    }

    /// The build to look for as it was built: as xcodebuild read its settings (the bump's number
    /// wins), and as the archive holds it, whatever wrote it.
    fn as_built(&self, step: &Step, planned: &super::plan::Processing) -> super::plan::Processing {
        let mut p = planned.clone();
        if let Some(seen) = self.observed.get(&step.platform) {
            p.bundle_id = seen.bundle_id.clone().unwrap_or(p.bundle_id);
            if !p.version_in_plist {
                p.version = seen.version(&p).unwrap_or(p.version);
            }
            if !p.bumped && !p.build_in_plist {
                p.build = seen.build(&p).unwrap_or(p.build);
            }
        }
        if let Some(a) = self.archived.get(&step.platform) {
            p.version = a.version.clone().unwrap_or(p.version);
            p.build = a.build.clone().unwrap_or(p.build);
            p.bundle_id = a.bundle_id.clone().unwrap_or(p.bundle_id);
        }
        p
    }

    /// A step's title as it runs: the processing step names the build the upload carries, as it
    /// was built, when that is not what the plan read from the workspace (an xcconfig xcodebuild
    /// resolves otherwise, a build number a Run Script phase wrote), so the title and the build
    /// the step asks for say the same.
    fn title(&self, step: &Step) -> String {
        let Some(planned) = step.processing.as_ref().filter(|_| step.kind == StepKind::Processing) else { return step.title.clone() };
        let built = self.as_built(step, planned);
        let said = format!("Build {} ({})", planned.version, planned.build);
        if (&built.version, &built.build) == (&planned.version, &planned.build) || !is_known(&built.version) || !is_known(&built.build) || !step.title.starts_with(&said) {
            return step.title.clone();
        }
        format!("Build {} ({}){}", built.version, built.build, &step.title[said.len()..])
    }

    /// Follows the uploaded build on App Store Connect until it is processed.
    fn processing(&mut self, step: &Step, r: &mut StepResult, on_event: &mut dyn FnMut(&Event)) -> After {
        if self.plan.dry_run {
            r.state = StepState::WouldRun;
            // A dry-run that archived knows what the upload would carry: the build it would ask for.
            let built = step.processing.as_ref().map(|p| (p, self.as_built(step, p)));
            r.note = Some(match built {
                Some((p, e)) if (&p.version, &p.build) != (&e.version, &e.build) && is_known(&e.version) && is_known(&e.build) => {
                    format!("asks App Store Connect for build {} ({}), as it was built, until it is processed", e.version, e.build)
                }
                _ => "asks App Store Connect for this build until it is processed".into(),
            });
        } else if !step.needs.is_empty() {
            // Uploaded with an Apple ID: App Store Connect's API needs a key to follow it.
            r.state = StepState::Skipped;
            r.note = Some(format!("not followed: it needs {}", step.needs.join("; ")));
        } else if let Some(p) = &step.processing {
            let p = self.as_built(step, p);
            // A version written as a setting nothing set, and xcodebuild did not say it either:
            // there is no build to look for.
            if !is_known(&p.version) || !is_known(&p.build) {
                r.state = StepState::Skipped;
                r.note = Some(format!(
                    "not followed: the uploaded build's version and build number are not known here (the workspace says {} ({})); see it in App Store Connect > TestFlight",
                    p.version, p.build
                ));
                return After::Next;
            }
            let (state, note, cause) = follow_processing(&mut self.rec.cx, &step.id, &p, self.creds, Duration::from_secs(step.timeout_secs), on_event);
            r.state = state;
            r.note = note;
            r.causes = cause.into_iter().collect();
        } else {
            r.state = StepState::Skipped;
            r.note = Some("the target has no PRODUCT_BUNDLE_IDENTIFIER to find its build by".into());
        }
        After::Next
    }

    /// A step that runs a command: the build settings, the archive, the export, the upload.
    fn command(&mut self, step: &Step, command: Option<Invocation>, package_error: Option<String>, r: &mut StepResult, on_event: &mut dyn FnMut(&Event)) -> After {
        let (dry_run, plan) = (self.plan.dry_run, self.plan);
        let Some(mut inv) = command else {
            r.state = StepState::Skipped;
            return After::Next;
        };
        // A dry-run that archives must not let xcodebuild create certificates or profiles on
        // Apple's side: it archives without -allowProvisioningUpdates and the key.
        let mut dry_note = None;
        if dry_run && inv.args.iter().any(|a| a == "-allowProvisioningUpdates") {
            dry_note = Some("dry-run: archived without -allowProvisioningUpdates (it can create certificates and profiles on Apple's side)".to_string());
            inv = without_provisioning_updates(inv);
        }
        if crate::tools::which(&inv.program).is_none() {
            r.state = StepState::Missing;
            r.needs.push(xcode_tools_needed(&inv.program));
            return if dry_run { After::Next } else { After::PlatformFailed };
        }
        if !dry_run && !step.needs.is_empty() {
            r.state = StepState::Missing;
            return After::PlatformFailed;
        }
        if let Some(why) = package_error {
            r.state = StepState::Failed;
            r.causes = vec![Cause::said(why, Some("Look at the export step's log: xcodebuild -exportArchive says what it wrote.".into()))];
            return After::PlatformFailed;
        }
        let fail = |r: &mut StepResult, why: String, dry_note: &Option<String>| {
            r.state = StepState::Failed;
            r.causes = vec![Cause::said(why, None)];
            if let Some(n) = dry_note {
                note_first(&mut r.note, n);
            }
            After::PlatformFailed
        };
        if let Some((path, text)) = &step.writes_file {
            if let Err(e) = std::fs::write(path, text) {
                return fail(r, Error::io(path, &e).to_string(), &dry_note);
            }
        }
        // A package left by an earlier run must not be taken for this one's: the export
        // folder (Shipdeck's own, under the build folder) starts empty.
        if step.kind == StepKind::Export {
            if let Some(dir) = inv.value_index("-exportPath").map(|i| PathBuf::from(&inv.args[i])) {
                if dir.starts_with(&plan.build_dir) && dir.exists() {
                    if let Err(e) = std::fs::remove_dir_all(&dir) {
                        return fail(r, format!("the last export in {} could not be cleared: {e}", dir.display()), &dry_note);
                    }
                }
            }
        }
        let settings_step = step.kind == StepKind::BuildSettings;
        self.rec.cx.capture = settings_step.then(Vec::new);
        let CommandOutcome { mut ok, tail, causes: lifted, cancelled, mut note, progress } = self.rec.command(&step.id, &inv, Duration::from_secs(step.timeout_secs), on_event);
        // An upload is done only with App Store Connect's word for it (a Delivery UUID or
        // altool's success line) and no error printed: altool has been seen to exit 0 after an
        // error, and a release must not wait an hour for a build never sent.
        let altool = inv.program == "xcrun" && inv.args.first().is_some_and(|a| a == "altool");
        if ok && altool && !cancelled {
            let report = super::altool::UploadReport::read(tail.iter().map(String::as_str).chain(lifted.iter().map(|c| c.line.as_str())));
            r.delivery_uuid = report.delivery_uuid.clone();
            if !report.uploaded() {
                ok = false;
                note = Some(match &report.error {
                    Some(_) => "altool exited 0 but reported an error: the upload is taken as failed".into(),
                    None => "altool exited 0 without saying the upload succeeded (no Delivery UUID, no UPLOAD SUCCEEDED): the upload is taken as failed".into(),
                });
            }
        }
        if let (true, Some(lines)) = (ok && settings_step, self.rec.cx.capture.take()) {
            match BuildSettings::from_json(&lines.join("\n")) {
                Ok(seen) => {
                    let planned = plan.steps.iter().find(|s| s.platform == step.platform && s.processing.is_some()).and_then(|s| s.processing.as_ref());
                    note = seen.differences(planned).or(note);
                    self.observed.insert(step.platform, seen);
                }
                Err(why) => note = Some(format!("xcodebuild's answer could not be read ({why}); the workspace's own settings are used")),
            }
        }
        if ok && step.kind == StepKind::Archive {
            if let Some(a) = inv.value_index("-archivePath").and_then(|i| super::archive::read(Path::new(&inv.args[i]))) {
                note = archive_note(&a, plan, step).or(note);
                self.archived.insert(step.platform, a);
            }
        }
        r.tail = tail;
        r.causes = lifted;
        r.note = note;
        r.progress = progress;
        if let Some(n) = &dry_note {
            note_first(&mut r.note, n);
        }
        if cancelled {
            r.state = StepState::Cancelled;
            return After::Stop(StepState::Cancelled, "not run: the release was cancelled".into());
        }
        r.state = if ok { StepState::Done } else { StepState::Failed };
        if ok {
            After::Next
        } else {
            After::PlatformFailed
        }
    }
}

/// The few build settings a release needs, as `xcodebuild -showBuildSettings -json` reports
/// them: what the archive will really carry.
#[derive(Debug, Clone, Default, PartialEq)]
struct BuildSettings {
    bundle_id: Option<String>,
    /// The app target's settings that have a value.
    values: std::collections::BTreeMap<String, String>,
}

impl BuildSettings {
    /// xcodebuild prints an array with one entry per target the scheme builds (extensions and
    /// frameworks too): the app's is the one whose product is an `.app`, else the first that
    /// names a bundle identifier.
    fn from_json(text: &str) -> Result<BuildSettings> {
        let v = json_array_in(text)?;
        let entries = v.as_array().ok_or_else(|| Error::Other("not a list of targets".into()))?;
        let pick = |e: &serde_json::Value, k: &str| e["buildSettings"][k].as_str().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let entry = entries
            .iter()
            .find(|e| pick(e, "WRAPPER_EXTENSION").as_deref() == Some("app"))
            .or_else(|| entries.iter().find(|e| pick(e, "PRODUCT_BUNDLE_IDENTIFIER").is_some()))
            .or_else(|| entries.first())
            .ok_or_else(|| Error::Other("no targets in it".into()))?;
        if !entry["buildSettings"].is_object() {
            return Err(Error::Other("no buildSettings in it".into()));
        }
        let values = entry["buildSettings"]
            .as_object()
            .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(str::trim).filter(|v| !v.is_empty()).map(|v| (k.clone(), v.to_string()))).collect())
            .unwrap_or_default();
        Ok(BuildSettings { bundle_id: pick(entry, "PRODUCT_BUNDLE_IDENTIFIER"), values })
    }

    /// The version that ships, as xcodebuild reads the setting that carries it.
    fn version(&self, p: &super::plan::Processing) -> Option<String> {
        self.values.get(p.version_setting.as_deref().unwrap_or("MARKETING_VERSION")).cloned()
    }

    /// The build number that ships, likewise.
    fn build(&self, p: &super::plan::Processing) -> Option<String> {
        self.values.get(p.build_setting.as_deref().unwrap_or("CURRENT_PROJECT_VERSION")).cloned()
    }

    /// A note when xcodebuild disagrees with the workspace's own reading of the settings.
    fn differences(&self, planned: Option<&super::plan::Processing>) -> Option<String> {
        let planned = planned?;
        let mut d = Vec::new();
        let mut cmp = |what: &str, seen: &Option<String>, ours: &str| {
            if let Some(seen) = seen.as_deref().filter(|s| *s != ours) {
                d.push(format!("{what} {seen} (the workspace files say {ours})"));
            }
        };
        cmp("bundle id", &self.bundle_id, &planned.bundle_id);
        // A literal in the Info.plist ships whatever the build settings say: not a difference.
        if !planned.version_in_plist {
            cmp("version", &self.version(planned), &planned.version);
        }
        if !planned.bumped && !planned.build_in_plist {
            cmp("build", &self.build(planned), &planned.build);
        }
        (!d.is_empty()).then(|| format!("xcodebuild says {}; the release follows xcodebuild", d.join(", ")))
    }
}

/// A version or build number the plan knows: not "?" (unknown) and not still naming a setting.
fn is_known(v: &str) -> bool {
    !(v.is_empty() || v == "?" || v.contains("$(") || v.contains("${"))
}

/// What the archive holds, said when it is not what the plan read from the project (a build
/// number a Run Script phase wrote while the app built).
fn archive_note(a: &super::archive::Archived, plan: &Plan, step: &Step) -> Option<String> {
    let planned = plan.steps.iter().find(|s| s.platform == step.platform && s.processing.is_some()).and_then(|s| s.processing.as_ref())?;
    let (version, build) = (a.version.as_deref()?, a.build.as_deref()?);
    if planned.version == version && planned.build == build {
        return None;
    }
    Some(if is_known(&planned.version) && is_known(&planned.build) {
        format!("the archive holds {version} ({build}), where the project says {} ({}): the release follows the archive", planned.version, planned.build)
    } else {
        format!("the archive holds {version} ({build}): the release follows it")
    })
}

/// Puts `first` before the step's own note (once).
fn note_first(note: &mut Option<String>, first: &str) {
    *note = Some(match note.take() {
        Some(own) if own != first => format!("{first}\n{own}"),
        _ => first.to_string(),
    });
}

/// An xcodebuild command without the flags that let it change anything on Apple's side.
fn without_provisioning_updates(mut inv: crate::tools::Invocation) -> crate::tools::Invocation {
    let mut args = Vec::with_capacity(inv.args.len());
    let mut it = std::mem::take(&mut inv.args).into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-allowProvisioningUpdates" => {}
            "-authenticationKeyPath" | "-authenticationKeyID" | "-authenticationKeyIssuerID" => {
                it.next();
            }
            _ => args.push(a),
        }
    }
    inv.args = args;
    inv
}

/// The JSON array in xcodebuild's answer, wherever it starts: `-showBuildSettings -json` may
/// print warnings first on the same stream (`--- xcodebuild: WARNING: Using the first of
/// multiple matching destinations:` and its `{ platform:macOS, ... }` lines, as pasted in many
/// public logs). The first line that opens an array and reads as one wins; text after it is
/// ignored.
fn json_array_in(text: &str) -> Result<serde_json::Value> {
    let mut first_error = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            let from = offset + (line.len() - line.trim_start().len());
            let mut stream = serde_json::Deserializer::from_str(&text[from..]).into_iter::<serde_json::Value>();
            match stream.next() {
                Some(Ok(v)) if v.is_array() => return Ok(v),
                Some(Err(e)) => {
                    first_error.get_or_insert_with(|| Error::Other(format!("not JSON: {e}")));
                }
                _ => {}
            }
        }
        offset += line.len();
    }
    Err(first_error.unwrap_or_else(|| Error::Other("no JSON list of targets in it".into())))
}

/// The upload command with the package the export wrote: the planned file when it is there,
/// else the one file of that kind (.ipa / .pkg) in the export folder.
fn locate_package(inv: &crate::tools::Invocation) -> Result<crate::tools::Invocation> {
    // Xcode 26's altool takes the file after --upload-package; older ones after -f.
    let Some(at) = inv.value_index("--upload-package").or_else(|| inv.value_index("-f")) else {
        return Ok(inv.clone());
    };
    let planned = PathBuf::from(&inv.args[at]);
    if planned.is_file() {
        return Ok(inv.clone());
    }
    let (Some(dir), Some(ext)) = (planned.parent(), planned.extension()) else {
        return Err(Error::Other(format!("{} is not there", planned.display())));
    };
    let ext = ext.to_string_lossy().to_string();
    let mut found: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case(&ext))).collect(),
        Err(e) => return Err(Error::Other(format!("the export folder {} cannot be read: {e}", dir.display()))),
    };
    found.sort();
    match found.as_slice() {
        [one] => {
            let mut inv = inv.clone();
            inv.args[at] = one.display().to_string();
            Ok(inv)
        }
        [] => Err(Error::Other(format!("the export wrote no .{ext} into {}", dir.display()))),
        many => Err(Error::Other(format!(
            "the export wrote {} .{ext} files into {} ({}); Shipdeck uploads one, and will not guess which",
            many.len(),
            dir.display(),
            many.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// Follows the uploaded build on App Store Connect until it is processed or failed.
fn follow_processing(cx: &mut Ctx, id: &str, p: &super::plan::Processing, creds: &Credentials, timeout: Duration, on_event: &mut dyn FnMut(&Event)) -> (StepState, Option<String>, Option<Cause>) {
    let (Some(key_id), Some(issuer), Some(key)) = (&creds.key_id, &creds.issuer_id, &creds.private_key) else {
        return (StepState::Missing, None, None);
    };
    let every = Duration::from_secs(std::env::var("SHIPDECK_ASC_POLL_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(30));
    let fail = |cx: &Ctx, e: Error| (StepState::Failed, None, Some(Cause::said(redact(&e.to_string(), cx.secrets), None)));
    // Tokens are renewed while the build is followed (processing can outlast one token).
    let client = match crate::appstore::asc::Client::with_key(key_id, issuer, key, Duration::from_secs(15 * 60)) {
        Ok(c) => c,
        Err(e) => return fail(cx, e),
    };
    let secrets = cx.secrets.to_vec();
    let started = cx.started;
    let log = &mut cx.log;
    let mut say = |text: String| {
        let text = redact(&text, &secrets);
        let ms = started.elapsed().as_millis() as u64;
        let _ = writeln!(log, "{ms:>9} {id} | {text}");
        let _ = log.flush();
        on_event(&Event::Line { id: id.to_string(), ms, text });
    };
    match client.wait_processed(p, every, timeout, &mut say) {
        Ok(b) if b.processing_state == "VALID" => (StepState::Done, Some(format!("build {} ({}) is processed", p.version, p.build)), None),
        Ok(b) => (
            StepState::Failed,
            None,
            Some(Cause::said(
                format!("App Store Connect marked build {} ({}) {}", p.version, p.build, b.processing_state),
                Some("See the build in App Store Connect > TestFlight, and the email Apple sends about it.".into()),
            )),
        ),
        Err(e) => fail(cx, e),
    }
}

/// Whether a finding's subject names only targets of platforms other than `platforms`
/// ("macOS target Foqos Mac", or several such joined by ", "); any other subject (a file, a
/// container, the workspace) concerns every release.
fn only_other_platforms(subject: &str, platforms: &[crate::workspace::Platform]) -> bool {
    use crate::workspace::Platform;
    subject.split(", ").all(|part| Platform::ALL.iter().any(|p| part.starts_with(&format!("{} target ", p.display())) && !platforms.contains(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blocker_about_other_platforms_only_is_set_aside() {
        let ios = [Platform::Ios];
        assert!(only_other_platforms("macOS target Foqos Mac", &ios));
        assert!(only_other_platforms("macOS target A, tvOS target B", &ios));
        assert!(!only_other_platforms("iOS target App, Mac Catalyst target App", &ios));
        assert!(!only_other_platforms("macOS target A, iOS target B", &ios));
        // A file, the workspace or a container concerns every release.
        assert!(!only_other_platforms("native/Production.xcconfig", &ios));
        assert!(!only_other_platforms("iCloud.com.mshaler.isometry", &ios));
        assert!(!only_other_platforms("macOS target A", &[Platform::Macos]));
    }

    #[test]
    fn the_apps_build_settings_are_taken_from_xcodebuilds_answer() {
        let answer = r#"[
          {"action": "build", "target": "IsometryWidget", "buildSettings": {"WRAPPER_EXTENSION": "appex", "PRODUCT_BUNDLE_IDENTIFIER": "com.mshaler.isometry.widget", "MARKETING_VERSION": "2.5.0", "CURRENT_PROJECT_VERSION": "250"}},
          {"action": "build", "target": "IsometryiOS", "buildSettings": {"WRAPPER_EXTENSION": "app", "PRODUCT_BUNDLE_IDENTIFIER": "com.mshaler.isometry", "MARKETING_VERSION": "2.5.0", "CURRENT_PROJECT_VERSION": "251"}}
        ]"#;
        let seen = BuildSettings::from_json(answer).unwrap();
        assert_eq!(seen.bundle_id.as_deref(), Some("com.mshaler.isometry"));
        let planned = super::super::plan::Processing { bundle_id: "com.mshaler.isometry".into(), version: "2.5.0".into(), build: "250".into(), ..Default::default() };
        assert_eq!((seen.version(&planned).as_deref(), seen.build(&planned).as_deref()), (Some("2.5.0"), Some("251")));
        // An Info.plist that ships CURRENT_PROJECT_VERSION as its version: read from that setting.
        let by_build = super::super::plan::Processing { version_setting: Some("CURRENT_PROJECT_VERSION".into()), ..planned.clone() };
        assert_eq!(seen.version(&by_build).as_deref(), Some("251"));
        assert_eq!(seen.differences(Some(&planned)).as_deref(), Some("xcodebuild says build 251 (the workspace files say 250); the release follows xcodebuild"));
        // After a bump the planned number is the one that will be built.
        assert_eq!(seen.differences(Some(&super::super::plan::Processing { bumped: true, ..planned.clone() })), None);
        // The Info.plist writes the build number: xcodebuild's CURRENT_PROJECT_VERSION is not what ships.
        assert_eq!(seen.differences(Some(&super::super::plan::Processing { build_in_plist: true, ..planned })), None);
        // Without an app target: the first that names a bundle id.
        let only_framework = r#"[{"target": "Kit", "buildSettings": {"WRAPPER_EXTENSION": "framework", "PRODUCT_BUNDLE_IDENTIFIER": "com.x.kit"}}]"#;
        assert_eq!(BuildSettings::from_json(only_framework).unwrap().bundle_id.as_deref(), Some("com.x.kit"));
        for bad in ["", "Build settings for action build and target IsometryiOS:", "{}", "[]", "[1]"] {
            assert!(BuildSettings::from_json(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn build_settings_json_is_found_after_xcodebuilds_warnings() {
        let text = "--- xcodebuild: WARNING: Using the first of multiple matching destinations:\n{ platform:macOS, arch:arm64, id:00006040-001011C92228801C, name:My Mac }\n{ platform:macOS, arch:x86_64, id:00006040-001011C92228801C, name:My Mac }\n[\n  {\n    \"action\" : \"build\",\n    \"buildSettings\" : {\n      \"MARKETING_VERSION\" : \"2.5.0\",\n      \"WRAPPER_EXTENSION\" : \"app\"\n    },\n    \"target\" : \"App\"\n  }\n]\n";
        let s = super::BuildSettings::from_json(text).unwrap();
        assert_eq!(s.values.get("MARKETING_VERSION").map(String::as_str), Some("2.5.0"));
        assert!(super::BuildSettings::from_json("xcodebuild: error: no scheme\n").unwrap_err().to_string().contains("no JSON list"));
    }
}
