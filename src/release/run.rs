//! Runs a plan: each command in its own process group, its output streamed line by line
//! with timestamps (to the run's log file and to the caller as events), a timeout per
//! step, cancellation that ends the whole process tree, and a lock so two releases of one
//! workspace never run at once. Memory stays bounded however long the log.

use super::diagnose::{causes, Cause};
use super::plan::{Credentials, Effect, Plan};
use crate::error::{Error, Result};
use crate::tools::redact;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    Done,
    Failed,
    /// Changes something: shown exactly, not run (dry-run).
    WouldRun,
    /// Cannot run here; `needs` says what a real run needs.
    Missing,
    Skipped,
    /// Stopped by blockers or an earlier failure.
    Blocked,
    Cancelled,
    /// For the user to do, outside Shipdeck (CloudKit Console's deploy).
    Manual,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepResult {
    pub id: String,
    pub title: String,
    pub state: StepState,
    pub command: Option<String>,
    pub duration_ms: u64,
    pub needs: Vec<String>,
    /// Why it failed, most telling first.
    pub causes: Vec<Cause>,
    /// The last lines of its output.
    pub tail: Vec<String>,
    pub note: Option<String>,
    pub progress: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Succeeded,
    /// A dry-run that went through: `needs` lists what a real run lacks.
    DryRunPassed,
    Failed,
    Blocked,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: String,
    pub workspace: PathBuf,
    pub dry_run: bool,
    pub started_at: i64,
    pub duration_ms: u64,
    pub outcome: Outcome,
    pub steps: Vec<StepResult>,
    pub log: PathBuf,
}

/// What the runner tells its caller while it works.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    StepStarted { id: String, title: String, command: Option<String> },
    Line { id: String, ms: u64, text: String },
    StepFinished { result: StepResult },
}

const TAIL: usize = 200;

/// Ensures one release per workspace: a lock file holding the owner's pid.
pub struct Lock(PathBuf);

impl Lock {
    pub fn take(ws: &Workspace) -> Result<Lock> {
        let dir = crate::fsutil::data_dir().join("locks");
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, &e))?;
        let name = crate::actions::fingerprint(ws.root.to_string_lossy().as_bytes());
        let path = dir.join(format!("release-{name}.lock"));
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(Lock(path));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid = std::fs::read_to_string(&path).ok().and_then(|s| s.trim().parse::<i32>().ok());
                    if pid.is_some_and(alive) {
                        return Err(Error::Other(format!("another release of {} is running (pid {}); wait for it or stop it", ws.root.display(), pid.unwrap_or(0))));
                    }
                    let _ = std::fs::remove_file(&path); // stale: its process is gone
                }
                Err(e) => return Err(Error::io(&path, &e)),
            }
        }
        Err(Error::Other(format!("could not take the release lock {}", path.display())))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn alive(pid: i32) -> bool {
    // Signal 0 checks that the process exists without touching it.
    unsafe { libc::kill(pid, 0) == 0 }
}

fn kill_group(pgid: u32, signal: i32) {
    unsafe {
        libc::kill(-(pgid as i32), signal);
    }
}

/// A line of xcodebuild that says where it is (for the progress display).
fn progress_of(line: &str) -> Option<String> {
    let l = line.trim();
    for marker in ["** ARCHIVE SUCCEEDED **", "** EXPORT SUCCEEDED **", "** ARCHIVE FAILED **", "** EXPORT FAILED **"] {
        if l == marker {
            return Some(marker.trim_matches('*').trim().to_string());
        }
    }
    ["CompileSwift", "CompileC", "Ld ", "CodeSign ", "ProcessInfoPlistFile", "CopySwiftLibs", "Touch ", "Validate "]
        .iter()
        .find(|p| l.starts_with(*p))
        .map(|p| p.trim().to_string())
}

struct Ctx<'a> {
    secrets: &'a [String],
    log: std::fs::File,
    started: Instant,
    cancel: &'a AtomicBool,
}

/// Runs one command; returns (exit success, tail, causes, cancelled, note).
fn run_command(cx: &mut Ctx, id: &str, inv: &crate::tools::Invocation, timeout: Duration, on_event: &mut dyn FnMut(&Event)) -> (bool, Vec<String>, Vec<Cause>, bool, Option<String>, Option<String>) {
    use std::os::unix::process::CommandExt;
    let mut cmd = inv.command();
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("could not start `{}`: {e}", inv.program);
            return (false, vec![msg.clone()], vec![Cause { line: msg, finding: None, hint: None }], false, None, None);
        }
    };
    let pgid = child.id();
    // Bounded: a child that prints faster than the log is written waits on its pipe, so
    // memory stays the same however long the log.
    let (tx, rx) = mpsc::sync_channel::<String>(1024);
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        let tx = tx.clone();
        readers.push(std::thread::spawn(move || BufReader::new(out).lines().map_while(|l| l.ok()).for_each(|l| drop(tx.send(l)))));
    }
    if let Some(err) = child.stderr.take() {
        let tx = tx.clone();
        readers.push(std::thread::spawn(move || BufReader::new(err).lines().map_while(|l| l.ok()).for_each(|l| drop(tx.send(l)))));
    }
    drop(tx);
    let start = Instant::now();
    let mut tail: VecDeque<String> = VecDeque::with_capacity(TAIL);
    let mut errors: Vec<String> = Vec::new();
    let mut progress = None;
    let mut cancelled = false;
    let mut note = None;
    let mut stopping: Option<Instant> = None;
    let status = loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(line) => {
                let line = redact(&line, cx.secrets);
                let ms = cx.started.elapsed().as_millis() as u64;
                let _ = writeln!(cx.log, "{ms:>9} {id} | {line}");
                if let Some(p) = progress_of(&line) {
                    progress = Some(p);
                }
                if causes([line.as_str()], 1).len() == 1 && errors.len() < 200 {
                    errors.push(line.clone());
                }
                on_event(&Event::Line { id: id.to_string(), ms, text: line.clone() });
                if tail.len() == TAIL {
                    tail.pop_front();
                }
                tail.push_back(line);
                continue;
            }
            Err(mpsc::RecvTimeoutError::Timeout) | Err(mpsc::RecvTimeoutError::Disconnected) => {}
        }
        if let Ok(Some(status)) = child.try_wait() {
            // End what the step left running in its group, then read the pipes to their end.
            kill_group(pgid, libc::SIGKILL);
            for line in rx.iter() {
                let line = redact(&line, cx.secrets);
                let _ = writeln!(cx.log, "{:>9} {id} | {line}", cx.started.elapsed().as_millis());
                if causes([line.as_str()], 1).len() == 1 && errors.len() < 200 {
                    errors.push(line.clone());
                }
                if tail.len() == TAIL {
                    tail.pop_front();
                }
                tail.push_back(line);
            }
            break Some(status);
        }
        let over = start.elapsed() > timeout;
        if (cx.cancel.load(Ordering::SeqCst) || over) && stopping.is_none() {
            cancelled = cx.cancel.load(Ordering::SeqCst);
            if over {
                note = Some(format!("stopped after {}s (the step's time limit)", timeout.as_secs()));
            }
            kill_group(pgid, libc::SIGTERM);
            stopping = Some(Instant::now());
        }
        if stopping.is_some_and(|s| s.elapsed() > Duration::from_secs(3)) {
            kill_group(pgid, libc::SIGKILL);
            let _ = child.wait();
            break None;
        }
    };
    // The group may hold children that outlived the main process: end them too.
    kill_group(pgid, libc::SIGKILL);
    drop(rx);
    let ok = status.is_some_and(|s| s.success()) && !cancelled && note.is_none();
    let lifted = causes(errors.iter().map(String::as_str), 8);
    (ok, tail.into(), lifted, cancelled, note, progress)
}

/// Executes a plan. In a dry-run only the read-only steps run (and the archive, into the
/// temporary build folder, when `archive`); every other step is reported with its exact
/// command and what a real run needs.
pub fn execute(ws: &Workspace, plan: &Plan, dry_run: bool, archive: bool, creds: &Credentials, cancel: &AtomicBool, on_event: &mut dyn FnMut(&Event)) -> Result<RunRecord> {
    let _lock = Lock::take(ws)?;
    let started_at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let id = format!("{started_at}-{}", std::process::id());
    let run_dir = runs_dir().join(&id);
    std::fs::create_dir_all(&run_dir).map_err(|e| Error::io(&run_dir, &e))?;
    std::fs::create_dir_all(&plan.build_dir).map_err(|e| Error::io(&plan.build_dir, &e))?;
    let log_path = run_dir.join("log.txt");
    let log = std::fs::File::create(&log_path).map_err(|e| Error::io(&log_path, &e))?;
    let mut cx = Ctx { secrets: &plan.secrets, log, started: Instant::now(), cancel };
    if !dry_run {
        super::plan::install_key(&plan.build_dir.join("private_keys"), creds).map_err(|e| Error::io(&plan.build_dir, &e))?;
    }
    let mut results: Vec<StepResult> = Vec::new();
    let mut stop: Option<(StepState, String)> = None;
    let mut failed_platforms: Vec<Option<crate::workspace::Platform>> = Vec::new();
    for step in &plan.steps {
        let t0 = Instant::now();
        let shown = step.command.as_ref().map(|c| redact(&c.display(), &plan.secrets));
        on_event(&Event::StepStarted { id: step.id.clone(), title: step.title.clone(), command: shown.clone() });
        let mut r = StepResult { id: step.id.clone(), title: step.title.clone(), state: StepState::Skipped, command: shown, duration_ms: 0, needs: step.needs.clone(), causes: vec![], tail: vec![], note: None, progress: None };
        let tool_missing = step.command.as_ref().filter(|c| crate::tools::which(&c.program).is_none()).map(|c| c.program.clone());
        if let Some((state, why)) = &stop {
            r.state = *state;
            r.note = Some(why.clone());
        } else if step.platform.is_some() && failed_platforms.contains(&step.platform) {
            r.state = StepState::Blocked;
            r.note = Some("an earlier step of this platform failed".into());
        } else if step.id == "preflight" {
            let report = crate::checks::run(ws);
            r.note = Some(report.summary.to_string());
            r.causes = report
                .findings
                .iter()
                .filter(|f| f.severity == crate::Severity::Blocker && f.acknowledged.is_none())
                .map(|f| Cause { line: format!("{}: {}", f.subject, f.message), finding: Some(f.id.clone()), hint: f.help.clone() })
                .collect();
            if report.summary.blockers > 0 {
                r.state = if dry_run { StepState::Failed } else { StepState::Blocked };
                if !dry_run {
                    stop = Some((StepState::Blocked, "not run: the checks found blockers".into()));
                }
            } else {
                r.state = StepState::Done;
            }
        } else if step.id == "bump" {
            match &step.bump {
                None => r.state = if dry_run { StepState::Missing } else { StepState::Failed },
                Some(change) if dry_run => {
                    r.state = StepState::WouldRun;
                    r.note = Some(change.diff.clone());
                }
                Some(change) => match crate::actions::apply(std::slice::from_ref(change)) {
                    Ok(_) => {
                        r.state = StepState::Done;
                        r.note = Some(change.diff.clone());
                    }
                    Err(e) => {
                        r.state = StepState::Failed;
                        r.causes = vec![Cause { line: e.to_string(), finding: None, hint: None }];
                        stop = Some((StepState::Blocked, "not run: the build number could not be raised".into()));
                    }
                },
            }
        } else if dry_run && step.effect == Effect::Remote || (dry_run && step.effect == Effect::Local && !(archive && step.id.ends_with(".archive"))) {
            r.state = StepState::WouldRun;
            if let Some(p) = &tool_missing {
                r.needs.push(format!("`{p}` (Xcode's command-line tools, on a Mac)"));
            }
        } else if step.command.is_none() {
            // The processing step: App Store Connect is asked in a real run only.
            if dry_run {
                r.state = StepState::WouldRun;
                r.note = Some("asks App Store Connect for this build until it is processed".into());
            } else if !step.needs.is_empty() {
                // Uploaded with an Apple ID: App Store Connect's API needs a key to follow it.
                r.state = StepState::Skipped;
                r.note = Some(format!("not followed: it needs {}", step.needs.join("; ")));
            } else if let Some(p) = &step.processing {
                let (state, note, cause) = follow_processing(&mut cx, &step.id, p, creds, Duration::from_secs(step.timeout_secs), on_event);
                r.state = state;
                r.note = note;
                r.causes = cause.into_iter().collect();
            } else {
                r.state = StepState::Skipped;
                r.note = Some("the target has no PRODUCT_BUNDLE_IDENTIFIER to find its build by".into());
            }
        } else if let Some(p) = tool_missing {
            r.state = StepState::Missing;
            r.needs.push(format!("`{p}` (Xcode's command-line tools, on a Mac)"));
            if !dry_run {
                failed_platforms.push(step.platform);
            }
        } else if !dry_run && !step.needs.is_empty() {
            r.state = StepState::Missing;
            failed_platforms.push(step.platform);
        } else {
            if let Some((path, text)) = &step.writes_file {
                if let Err(e) = std::fs::write(path, text) {
                    r.state = StepState::Failed;
                    r.causes = vec![Cause { line: Error::io(path, &e).to_string(), finding: None, hint: None }];
                }
            }
            if r.state != StepState::Failed {
                let (ok, tail, lifted, cancelled, note, progress) = match &step.command {
                    Some(inv) => run_command(&mut cx, &step.id, inv, Duration::from_secs(step.timeout_secs), on_event),
                    None => (true, vec![], vec![], false, None, None),
                };
                r.tail = tail;
                r.causes = lifted;
                r.note = note;
                r.progress = progress;
                r.state = if cancelled { StepState::Cancelled } else if ok { StepState::Done } else { StepState::Failed };
                if cancelled {
                    stop = Some((StepState::Cancelled, "not run: the release was cancelled".into()));
                } else if !ok {
                    failed_platforms.push(step.platform);
                }
            }
        }
        r.duration_ms = t0.elapsed().as_millis() as u64;
        on_event(&Event::StepFinished { result: r.clone() });
        results.push(r);
    }
    let any = |s: StepState| results.iter().any(|r| r.state == s);
    let outcome = if any(StepState::Cancelled) {
        Outcome::Cancelled
    } else if any(StepState::Failed) {
        Outcome::Failed
    } else if any(StepState::Blocked) || (!dry_run && any(StepState::Missing)) {
        Outcome::Blocked
    } else if dry_run {
        Outcome::DryRunPassed
    } else {
        Outcome::Succeeded
    };
    let record = RunRecord { id, workspace: ws.root.clone(), dry_run, started_at, duration_ms: cx.started.elapsed().as_millis() as u64, outcome, steps: results, log: log_path };
    let json = serde_json::to_string_pretty(&record).unwrap_or_default();
    let _ = std::fs::write(run_dir.join("run.json"), redact(&json, &plan.secrets));
    // The key file is not left behind.
    let _ = std::fs::remove_dir_all(plan.build_dir.join("private_keys"));
    Ok(record)
}

/// Follows the uploaded build on App Store Connect until it is processed or failed.
fn follow_processing(cx: &mut Ctx, id: &str, p: &super::plan::Processing, creds: &Credentials, timeout: Duration, on_event: &mut dyn FnMut(&Event)) -> (StepState, Option<String>, Option<Cause>) {
    let (Some(key_id), Some(issuer), Some(key)) = (&creds.key_id, &creds.issuer_id, &creds.private_key) else {
        return (StepState::Missing, None, None);
    };
    let every = Duration::from_secs(std::env::var("SHIPDECK_ASC_POLL_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(30));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let fail = |cx: &Ctx, e: Error| (StepState::Failed, None, Some(Cause { line: redact(&e.to_string(), cx.secrets), finding: None, hint: None }));
    let client = match super::asc::token(key_id, issuer, key, now).and_then(super::asc::Client::new) {
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
        on_event(&Event::Line { id: id.to_string(), ms, text });
    };
    match client.wait_processed(&p.bundle_id, &p.version, &p.build, every, timeout, &mut say) {
        Ok(b) if b.processing_state == "VALID" => (StepState::Done, Some(format!("build {} ({}) is processed", p.version, p.build)), None),
        Ok(b) => (
            StepState::Failed,
            None,
            Some(Cause { line: format!("App Store Connect marked build {} ({}) {}", p.version, p.build, b.processing_state), finding: None, hint: Some("See the build in App Store Connect > TestFlight, and the email Apple sends about it.".into()) }),
        ),
        Err(e) => fail(cx, e),
    }
}

pub fn runs_dir() -> PathBuf {
    crate::fsutil::data_dir().join("runs")
}

/// Past runs, newest first (unreadable records are skipped).
pub fn list_runs() -> Vec<RunRecord> {
    let mut v: Vec<RunRecord> = std::fs::read_dir(runs_dir())
        .map(|d| d.flatten().filter_map(|e| std::fs::read(e.path().join("run.json")).ok()).filter_map(|b| serde_json::from_slice(&b).ok()).collect())
        .unwrap_or_default();
    v.sort_by(|a: &RunRecord, b| b.started_at.cmp(&a.started_at).then(b.id.cmp(&a.id)));
    v
}

pub fn read_log(record: &RunRecord) -> Option<String> {
    std::fs::read_to_string(Path::new(&record.log)).ok()
}
