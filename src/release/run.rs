//! Runs a plan: each command in its own process group, its output streamed line by line
//! with timestamps (to the run's log file and to the caller as events), a timeout per
//! step, cancellation that ends the whole process tree, and a lock so two releases of one
//! workspace never run at once. Memory stays bounded however long the log.

use super::diagnose::Cause;
use super::plan::{Effect, Plan};
use crate::appstore::Credentials;
use crate::error::{Error, Result};
pub use crate::step::StepState;
use crate::tools::redact;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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
    /// The file the step writes before its command (the ExportOptions plist), shown as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<WrittenFile>,
    /// An upload's Delivery UUID, App Store Connect's receipt for the package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_uuid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenFile {
    pub path: PathBuf,
    pub text: String,
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
    /// Still going (its process is alive).
    Running,
    /// Ended without finishing: its process stopped (a crash, a kill, a power cut). The steps
    /// recorded are those that had finished.
    Interrupted,
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
    /// The process of a run still going; none once it has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// What the run built: "iOS 2.5.0 (251)", one per platform (older records have none).
    #[serde(default)]
    pub builds: Vec<String>,
    /// Why it did not pass (`RunRecord::cause`), as saved with the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

impl RunRecord {
    /// Why the run did not pass, in a line: the first failed or blocked step and its first
    /// cause (or its note), for the list of past runs.
    pub fn cause(&self) -> Option<String> {
        let step = self.steps.iter().find(|s| s.state == StepState::Failed).or_else(|| self.steps.iter().find(|s| s.state == StepState::Blocked))?;
        let why = step.causes.iter().find(|c| !c.generic).or(step.causes.first()).map(|c| c.line.clone()).or_else(|| step.note.clone()).or_else(|| step.tail.last().cloned());
        Some(match why {
            Some(w) => format!("{}: {w}", step.title),
            None => step.title.clone(),
        })
    }
}

/// A plan's builds as the list of past runs says them: "iOS 2.5.0 (251)".
pub fn build_labels(plan: &Plan) -> Vec<String> {
    plan.builds.iter().map(|b| format!("{} {} ({})", b.platform.display(), b.version.as_deref().unwrap_or("?"), b.build.as_deref().unwrap_or("?"))).collect()
}

/// Writes a run's record whole (a reader never sees half of it), secrets redacted.
fn save_record(run_dir: &Path, record: &RunRecord, secrets: &[String]) {
    let mut record = record.clone();
    record.why = record.cause();
    let json = serde_json::to_string_pretty(&record).unwrap_or_default();
    let _ = crate::fsutil::atomic_write(&run_dir.join("run.json"), redact(&json, secrets).as_bytes());
}

/// What the runner tells its caller while it works.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    StepStarted {
        id: String,
        title: String,
        command: Option<String>,
    },
    Line {
        id: String,
        ms: u64,
        text: String,
    },
    /// What xcodebuild says it is doing ("CompileSwift", "CodeSign", "ARCHIVE SUCCEEDED"), at
    /// most five times a second, with the lines the step has printed so far.
    Progress {
        id: String,
        phase: String,
        lines: u64,
    },
    StepFinished {
        result: Box<StepResult>,
    },
}

const TAIL: usize = 200;

/// Ensures one release per workspace: a lock file holding the owner's pid.
pub struct Lock(PathBuf);

impl Lock {
    /// Takes the workspace's release lock. The lock file appears with its pid already in it
    /// (written to a file of its own, then hard-linked into place, which fails when a lock is
    /// there), so no other process can read it empty and take it for stale. A stale lock (its
    /// process gone) is moved aside under a name of this process and removed only if it is
    /// still the one that was found stale.
    pub fn take(ws: &Workspace) -> Result<Lock> {
        Lock::take_in(&crate::fsutil::data_dir().join("locks"), ws)
    }

    /// [`Lock::take`] with the locks kept in `dir`.
    pub fn take_in(dir: &Path, ws: &Workspace) -> Result<Lock> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
        let name = crate::change::fingerprint(ws.root.to_string_lossy().as_bytes());
        let path = dir.join(format!("release-{name}.lock"));
        let me = std::process::id();
        let mine = dir.join(format!("release-{name}.{me}.new"));
        std::fs::write(&mine, me.to_string()).map_err(|e| Error::io(&mine, &e))?;
        let result = (|| {
            for _ in 0..3 {
                match std::fs::hard_link(&mine, &path) {
                    Ok(()) => return Ok(Lock(path.clone())),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        let held = std::fs::read_to_string(&path).ok().and_then(|s| s.trim().parse::<i32>().ok());
                        if held.is_some_and(alive) {
                            return Err(Error::Busy { workspace: ws.root.clone(), pid: held.unwrap_or(0) });
                        }
                        // Stale: set it aside; remove it only if it is the lock that was read.
                        let aside = dir.join(format!("release-{name}.{me}.stale"));
                        if std::fs::rename(&path, &aside).is_ok() {
                            let moved = std::fs::read_to_string(&aside).ok().and_then(|s| s.trim().parse::<i32>().ok());
                            if moved == held {
                                let _ = std::fs::remove_file(&aside);
                            } else {
                                // Another process took the lock meanwhile: give it back.
                                let _ = std::fs::hard_link(&aside, &path);
                                let _ = std::fs::remove_file(&aside);
                            }
                        }
                    }
                    Err(e) => return Err(Error::io(&path, &e)),
                }
            }
            Err(Error::Other(format!("could not take the release lock {}", path.display())))
        })();
        let _ = std::fs::remove_file(&mine);
        result
    }
}

/// The folder of the App Store Connect key file, removed when the run ends.
struct KeyDir(PathBuf);

impl Drop for KeyDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
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
    ["CompileSwift", "CompileC", "Ld ", "CodeSign ", "ProcessInfoPlistFile", "CopySwiftLibs", "Touch ", "Validate "].iter().find(|p| l.starts_with(*p)).map(|p| p.trim().to_string())
}

struct Ctx<'a> {
    secrets: &'a [String],
    /// Buffered: flushed whenever the child has nothing more to say for a moment, and at the
    /// end of each step, so the file is current while a step waits.
    log: std::io::BufWriter<std::fs::File>,
    started: Instant,
    cancel: &'a AtomicBool,
    /// Created on the first command; process steps run on it one at a time.
    rt: Option<tokio::runtime::Runtime>,
    /// When set, the step's standard output is also kept here (the build settings' JSON).
    capture: Option<Vec<String>>,
}

/// A line longer than this is cut into pieces, so one endless line cannot fill memory.
const MAX_LINE: usize = 64 * 1024;

/// One read from a child's pipe: moves what is there into `buf`, up to and including a
/// newline. `Ok(true)`: `buf` holds a whole line (or a piece of `MAX_LINE`); `Ok(false)`:
/// more is to come. A single await, so it is safe to cancel in `select!`: nothing read is lost.
async fn read_piece<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R, buf: &mut Vec<u8>, eof: &mut bool) -> std::io::Result<bool> {
    use tokio::io::AsyncBufReadExt;
    let avail = r.fill_buf().await?;
    if avail.is_empty() {
        *eof = true;
        return Ok(!buf.is_empty());
    }
    let room = MAX_LINE.saturating_sub(buf.len()).max(1);
    let (n, whole) = match avail.iter().take(room).position(|&b| b == b'\n') {
        Some(i) => (i + 1, true),
        None => {
            let n = avail.len().min(room);
            (n, buf.len() + n >= MAX_LINE)
        }
    };
    buf.extend_from_slice(&avail[..n]);
    r.consume(n);
    Ok(whole)
}

/// The text of a line read by `read_piece`, without its line ending (invalid UTF-8 replaced).
fn take_line(buf: &mut Vec<u8>) -> String {
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    let line = String::from_utf8_lossy(buf).into_owned();
    buf.clear();
    line
}

/// What one command left: exit success, tail, causes, cancelled, note, progress.
type CommandOutcome = (bool, Vec<String>, Vec<Cause>, bool, Option<String>, Option<String>);

/// Runs one command on the step runtime (tokio): in its own process group, stdout and stderr
/// read line by line as they come, each line timestamped into the log and passed on; the
/// time limit and the cancel flag end the whole group (SIGTERM, then SIGKILL after 3 s).
fn run_command(cx: &mut Ctx, id: &str, inv: &crate::tools::Invocation, timeout: Duration, on_event: &mut dyn FnMut(&Event)) -> CommandOutcome {
    if cx.rt.is_none() {
        match tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build() {
            Ok(rt) => cx.rt = Some(rt),
            Err(e) => {
                let msg = format!("could not start the step runner: {e}");
                return (false, vec![msg.clone()], vec![Cause::said(msg, None)], false, None, None);
            }
        }
    }
    let rt = cx.rt.take().expect("created above");
    let out = rt.block_on(run_command_async(cx, id, inv, timeout, on_event));
    cx.rt = Some(rt);
    out
}

struct Collected {
    tail: VecDeque<String>,
    diag: super::diagnose::Diagnoser,
    progress: Option<String>,
    lines: u64,
    /// The phase last told and when.
    told: Option<(String, Instant)>,
}

impl Collected {
    fn line(&mut self, cx: &mut Ctx, id: &str, raw: String, on_event: &mut dyn FnMut(&Event)) {
        let line = redact(&raw, cx.secrets);
        let ms = cx.started.elapsed().as_millis() as u64;
        let _ = writeln!(cx.log, "{ms:>9} {id} | {line}");
        self.lines += 1;
        if let Some(p) = progress_of(&line) {
            let done = p.ends_with("SUCCEEDED") || p.ends_with("FAILED");
            let due = match &self.told {
                Some((last, at)) => *last != p && (done || at.elapsed() >= Duration::from_millis(200)),
                None => true,
            };
            if due {
                on_event(&Event::Progress { id: id.to_string(), phase: p.clone(), lines: self.lines });
                self.told = Some((p.clone(), Instant::now()));
            }
            self.progress = Some(p);
        }
        self.diag.push(&line);
        on_event(&Event::Line { id: id.to_string(), ms, text: line.clone() });
        if self.tail.len() == TAIL {
            self.tail.pop_front();
        }
        self.tail.push_back(line);
    }
}

async fn run_command_async(cx: &mut Ctx<'_>, id: &str, inv: &crate::tools::Invocation, timeout: Duration, on_event: &mut dyn FnMut(&Event)) -> CommandOutcome {
    let mut cmd = tokio::process::Command::from(inv.command());
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("could not start `{}`: {e}", inv.program);
            return (false, vec![msg.clone()], vec![Cause::said(msg, None)], false, None, None);
        }
    };
    let pgid = child.id().unwrap_or(0);
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        kill_group(pgid, libc::SIGKILL);
        let msg = format!("`{}` started without its output pipes", inv.program);
        return (false, vec![msg.clone()], vec![Cause::said(msg, None)], false, None, None);
    };
    let mut out = tokio::io::BufReader::with_capacity(64 * 1024, stdout);
    let mut err = tokio::io::BufReader::with_capacity(64 * 1024, stderr);
    let (mut out_buf, mut err_buf) = (Vec::new(), Vec::new());
    let (mut out_eof, mut err_eof) = (false, false);
    let mut got = Collected { tail: VecDeque::with_capacity(TAIL), diag: super::diagnose::Diagnoser::new(), progress: None, lines: 0, told: None };
    let start = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut status: Option<std::process::ExitStatus> = None;
    let mut exited_at: Option<Instant> = None;
    let mut stopping: Option<Instant> = None;
    let (mut cancelled, mut note) = (false, None);
    // Reading the pipes paces the child: it waits on a full pipe while a line is handled, so
    // memory stays the same however long the log.
    loop {
        if out_eof && err_eof && status.is_some() {
            break;
        }
        // Unbiased: the branches take turns, so the cancel and time-limit tick is seen even
        // while output floods in.
        tokio::select! {
            r = read_piece(&mut out, &mut out_buf, &mut out_eof), if !out_eof => match r {
                Ok(true) => {
                    let l = take_line(&mut out_buf);
                    if let Some(c) = cx.capture.as_mut().filter(|c| c.len() < 200_000) {
                        c.push(l.clone());
                    }
                    got.line(cx, id, l, on_event)
                }
                Ok(false) => {}
                Err(_) => out_eof = true,
            },
            r = read_piece(&mut err, &mut err_buf, &mut err_eof), if !err_eof => match r {
                Ok(true) => { let l = take_line(&mut err_buf); got.line(cx, id, l, on_event) }
                Ok(false) => {}
                Err(_) => err_eof = true,
            },
            s = child.wait(), if status.is_none() => {
                status = Some(s.unwrap_or_else(|_| std::process::ExitStatus::from_raw(1 << 8)));
                // End what the step left running in its group; the pipes then reach their end.
                kill_group(pgid, libc::SIGKILL);
                exited_at = Some(Instant::now());
            }
            _ = tick.tick() => {
                let _ = cx.log.flush();
                let over = start.elapsed() > timeout;
                if status.is_none() && stopping.is_none() && (cx.cancel.load(Ordering::SeqCst) || over) {
                    cancelled = cx.cancel.load(Ordering::SeqCst);
                    if over && !cancelled {
                        note = Some(format!("stopped after {}s (the step's time limit)", timeout.as_secs()));
                    }
                    kill_group(pgid, libc::SIGTERM);
                    stopping = Some(Instant::now());
                }
                if status.is_none() && stopping.is_some_and(|s| s.elapsed() > Duration::from_secs(3)) {
                    kill_group(pgid, libc::SIGKILL);
                }
                // A process outside the group may hold a pipe open: stop reading after 5 s.
                if exited_at.is_some_and(|t| t.elapsed() > Duration::from_secs(5)) {
                    break;
                }
            }
        }
    }
    kill_group(pgid, libc::SIGKILL);
    let _ = cx.log.flush();
    let ok = status.is_some_and(|s| s.success()) && !cancelled && note.is_none();
    let lifted = got.diag.causes(super::diagnose::Step::of_id(id), 8);
    (ok, got.tail.into(), lifted, cancelled, note, got.progress)
}

/// Executes a plan. In a dry-run only the read-only steps run (and the archive, into the
/// temporary build folder, when `archive`); every other step is reported with its exact
/// command and what a real run needs.
pub fn execute(ws: &Workspace, plan: &Plan, dry_run: bool, archive: bool, creds: &Credentials, cancel: &AtomicBool, on_event: &mut dyn FnMut(&Event)) -> Result<RunRecord> {
    let _lock = Lock::take(ws)?;
    let started_at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let (id, run_dir) = new_run_dir(started_at)?;
    std::fs::create_dir_all(&plan.build_dir).map_err(|e| Error::io(&plan.build_dir, &e))?;
    let log_path = run_dir.join("log.txt");
    let log = std::io::BufWriter::new(std::fs::File::create(&log_path).map_err(|e| Error::io(&log_path, &e))?);
    let mut cx = Ctx { secrets: &plan.secrets, log, started: Instant::now(), cancel, rt: None, capture: None };
    // What xcodebuild itself says of each platform's Production build (its -showBuildSettings).
    let mut observed: std::collections::HashMap<Option<crate::workspace::Platform>, BuildSettings> = std::collections::HashMap::new();
    // The key file is removed however the run ends (an error, a panic unwinding, a cancel).
    let _key_dir = KeyDir(plan.build_dir.join("private_keys"));
    if !dry_run {
        super::plan::install_key(&plan.build_dir.join("private_keys"), creds).map_err(|e| Error::io(&plan.build_dir, &e))?;
    }
    // Recorded from the start and after each step: a run that dies leaves what it did.
    let mut record = RunRecord {
        id,
        workspace: ws.root.clone(),
        dry_run,
        started_at,
        duration_ms: 0,
        outcome: Outcome::Running,
        steps: vec![],
        log: log_path,
        pid: Some(std::process::id()),
        builds: build_labels(plan),
        why: None,
    };
    save_record(&run_dir, &record, &plan.secrets);
    let mut stop: Option<(StepState, String)> = None;
    let mut failed_platforms: Vec<Option<crate::workspace::Platform>> = Vec::new();
    for step in &plan.steps {
        let t0 = Instant::now();
        // The upload takes the package the export actually wrote (its name comes from the
        // product, which the plan can only guess before the export has run).
        let mut package_error = None;
        let command = match &step.command {
            Some(inv) if !dry_run && stop.is_none() && step.id.ends_with(".upload") && !failed_platforms.contains(&step.platform) => match locate_package(inv) {
                Ok(found) => Some(found),
                Err(why) => {
                    package_error = Some(why);
                    Some(inv.clone())
                }
            },
            other => other.clone(),
        };
        let shown = command.as_ref().map(|c| redact(&c.display(), &plan.secrets));
        // A dry-run that archives must not let xcodebuild create certificates or profiles on
        // Apple's side: it archives without -allowProvisioningUpdates and the key.
        let mut dry_note = None;
        let command = match command {
            Some(inv) if dry_run && inv.args.iter().any(|a| a == "-allowProvisioningUpdates") => {
                dry_note = Some("dry-run: archived without -allowProvisioningUpdates (it can create certificates and profiles on Apple's side)".to_string());
                Some(without_provisioning_updates(inv))
            }
            other => other,
        };
        on_event(&Event::StepStarted { id: step.id.clone(), title: step.title.clone(), command: shown.clone() });
        let mut r = StepResult {
            id: step.id.clone(),
            title: step.title.clone(),
            state: StepState::Skipped,
            command: shown,
            duration_ms: 0,
            needs: step.needs.clone(),
            causes: vec![],
            tail: vec![],
            note: None,
            progress: None,
            file: None,
            delivery_uuid: None,
        };
        r.file = step.writes_file.as_ref().map(|(path, text)| WrittenFile { path: path.clone(), text: redact(text, &plan.secrets) });
        let tool_missing = command.as_ref().filter(|c| crate::tools::which(&c.program).is_none()).map(|c| c.program.clone());
        if let Some((state, why)) = &stop {
            r.state = *state;
            r.note = Some(why.clone());
        } else if step.platform.is_some() && failed_platforms.contains(&step.platform) {
            r.state = StepState::Blocked;
            r.note = Some("an earlier step of this platform failed".into());
        } else if step.id == "preflight" {
            let report = crate::checks::run(ws, &crate::checks::Context::with_app_store(creds.clone()));
            r.note = Some(report.summary.to_string());
            r.causes = report
                .findings
                .iter()
                .filter(|f| f.severity == crate::Severity::Blocker && f.acknowledged.is_none())
                .map(|f| Cause { line: format!("{}: {}", f.subject, f.message), finding: Some(f.id.clone()), hint: f.help.clone(), detail: vec![], generic: false })
                .collect();
            // A real run that could not finish (no App Store Connect credentials for the upload,
            // no altool...) stops here, before a 20-minute archive, not at the upload.
            let mut missing: Vec<String> = Vec::new();
            if !dry_run {
                // Following the build's processing is optional (an Apple ID upload skips it).
                for s in plan.steps.iter().filter(|s| !s.needs.is_empty() && s.processing.is_none()) {
                    for n in &s.needs {
                        if !missing.contains(n) {
                            missing.push(n.clone());
                        }
                    }
                }
            }
            if !missing.is_empty() {
                r.causes.push(Cause::said(
                    format!("A real release needs, before it archives: {}", missing.join("; ")),
                    Some("Store the App Store Connect API key (`shipdeck secrets set`, or the Release screen's key form) or set APP_STORE_CONNECT_KEY_ID, APP_STORE_CONNECT_ISSUER_ID and APP_STORE_CONNECT_PRIVATE_KEY(_PATH); a dry-run runs without them.".into()),
                ));
            }
            if report.summary.blockers > 0 || !missing.is_empty() {
                r.state = if dry_run { StepState::Failed } else { StepState::Blocked };
                if !dry_run {
                    let why = if report.summary.blockers > 0 { "not run: the checks found blockers" } else { "not run: what a real release needs is missing (see the first step)" };
                    stop = Some((StepState::Blocked, why.into()));
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
                Some(change) => match crate::change::apply(std::slice::from_ref(change)) {
                    Ok(_) => {
                        r.state = StepState::Done;
                        r.note = Some(change.diff.clone());
                    }
                    Err(e) => {
                        r.state = StepState::Failed;
                        r.causes = vec![Cause::said(e.to_string(), None)];
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
                // Looked for as xcodebuild built it, where it said (the bump's number wins).
                let mut p = p.clone();
                if let Some(seen) = observed.get(&step.platform) {
                    p.bundle_id = seen.bundle_id.clone().unwrap_or(p.bundle_id);
                    p.version = seen.version.clone().unwrap_or(p.version);
                    if !p.bumped {
                        p.build = seen.build.clone().unwrap_or(p.build);
                    }
                }
                let (state, note, cause) = follow_processing(&mut cx, &step.id, &p, creds, Duration::from_secs(step.timeout_secs), on_event);
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
        } else if let Some(why) = package_error {
            r.state = StepState::Failed;
            r.causes = vec![Cause::said(why, Some("Look at the export step's log: xcodebuild -exportArchive says what it wrote.".into()))];
            failed_platforms.push(step.platform);
        } else {
            if let Some((path, text)) = &step.writes_file {
                if let Err(e) = std::fs::write(path, text) {
                    r.state = StepState::Failed;
                    r.causes = vec![Cause::said(Error::io(path, &e).to_string(), None)];
                    failed_platforms.push(step.platform);
                }
            }
            // A package left by an earlier run must not be taken for this one's: the export
            // folder (Shipdeck's own, under the build folder) starts empty.
            if let (Some(inv), true) = (&command, step.id.ends_with(".export")) {
                if let Some(dir) = inv.value_index("-exportPath").map(|i| PathBuf::from(&inv.args[i])) {
                    if dir.starts_with(&plan.build_dir) && dir.exists() {
                        if let Err(e) = std::fs::remove_dir_all(&dir) {
                            r.state = StepState::Failed;
                            r.causes = vec![Cause::said(format!("the last export in {} could not be cleared: {e}", dir.display()), None)];
                            failed_platforms.push(step.platform);
                        }
                    }
                }
            }
            if r.state != StepState::Failed {
                let settings_step = step.id.ends_with(".build-settings");
                cx.capture = settings_step.then(Vec::new);
                let (mut ok, tail, lifted, cancelled, mut note, progress) = match &command {
                    Some(inv) => run_command(&mut cx, &step.id, inv, Duration::from_secs(step.timeout_secs), on_event),
                    None => (true, vec![], vec![], false, None, None),
                };
                // An upload is done only with App Store Connect's word for it (a Delivery UUID or
                // altool's success line) and no error printed: altool has been seen to exit 0
                // after an error, and a release must not wait an hour for a build never sent.
                let altool = command.as_ref().is_some_and(|c| c.program == "xcrun" && c.args.first().is_some_and(|a| a == "altool"));
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
                if let (true, Some(lines)) = (ok && settings_step, cx.capture.take()) {
                    match BuildSettings::from_json(&lines.join("\n")) {
                        Ok(seen) => {
                            let planned = plan.steps.iter().find(|s| s.platform == step.platform && s.processing.is_some()).and_then(|s| s.processing.as_ref());
                            note = seen.differences(planned).or(note);
                            observed.insert(step.platform, seen);
                        }
                        Err(why) => note = Some(format!("xcodebuild's answer could not be read ({why}); the workspace's own settings are used")),
                    }
                }
                r.tail = tail;
                r.causes = lifted;
                r.note = note;
                r.progress = progress;
                r.state = if cancelled {
                    StepState::Cancelled
                } else if ok {
                    StepState::Done
                } else {
                    StepState::Failed
                };
                if cancelled {
                    stop = Some((StepState::Cancelled, "not run: the release was cancelled".into()));
                } else if !ok {
                    failed_platforms.push(step.platform);
                }
            }
        }
        if let (Some(n), StepState::Done | StepState::Failed | StepState::Cancelled) = (&dry_note, r.state) {
            note_first(&mut r.note, n);
        }
        if let Some(n) = &step.note {
            note_first(&mut r.note, n);
        }
        r.duration_ms = t0.elapsed().as_millis() as u64;
        on_event(&Event::StepFinished { result: Box::new(r.clone()) });
        record.steps.push(r);
        let _ = cx.log.flush();
        record.duration_ms = cx.started.elapsed().as_millis() as u64;
        save_record(&run_dir, &record, &plan.secrets);
    }
    let any = |s: StepState| record.steps.iter().any(|r| r.state == s);
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
    let _ = cx.log.flush();
    record.duration_ms = cx.started.elapsed().as_millis() as u64;
    record.outcome = outcome;
    record.pid = None;
    save_record(&run_dir, &record, &plan.secrets);
    // The key file is not left behind.
    let _ = std::fs::remove_dir_all(plan.build_dir.join("private_keys"));
    Ok(record)
}

/// The few build settings a release needs, as `xcodebuild -showBuildSettings -json` reports
/// them: what the archive will really carry.
#[derive(Debug, Clone, Default, PartialEq)]
struct BuildSettings {
    bundle_id: Option<String>,
    version: Option<String>,
    build: Option<String>,
}

impl BuildSettings {
    /// xcodebuild prints an array with one entry per target the scheme builds (extensions and
    /// frameworks too): the app's is the one whose product is an `.app`, else the first that
    /// names a bundle identifier.
    fn from_json(text: &str) -> std::result::Result<BuildSettings, String> {
        let v = json_array_in(text)?;
        let entries = v.as_array().ok_or("not a list of targets")?;
        let pick = |e: &serde_json::Value, k: &str| e["buildSettings"][k].as_str().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let entry = entries
            .iter()
            .find(|e| pick(e, "WRAPPER_EXTENSION").as_deref() == Some("app"))
            .or_else(|| entries.iter().find(|e| pick(e, "PRODUCT_BUNDLE_IDENTIFIER").is_some()))
            .or_else(|| entries.first())
            .ok_or("no targets in it")?;
        if !entry["buildSettings"].is_object() {
            return Err("no buildSettings in it".into());
        }
        Ok(BuildSettings { bundle_id: pick(entry, "PRODUCT_BUNDLE_IDENTIFIER"), version: pick(entry, "MARKETING_VERSION"), build: pick(entry, "CURRENT_PROJECT_VERSION") })
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
        cmp("version", &self.version, &planned.version);
        if !planned.bumped {
            cmp("build", &self.build, &planned.build);
        }
        (!d.is_empty()).then(|| format!("xcodebuild says {}; the release follows xcodebuild", d.join(", ")))
    }
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
fn json_array_in(text: &str) -> std::result::Result<serde_json::Value, String> {
    let mut first_error = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            let from = offset + (line.len() - line.trim_start().len());
            let mut stream = serde_json::Deserializer::from_str(&text[from..]).into_iter::<serde_json::Value>();
            match stream.next() {
                Some(Ok(v)) if v.is_array() => return Ok(v),
                Some(Err(e)) => {
                    first_error.get_or_insert_with(|| format!("not JSON: {e}"));
                }
                _ => {}
            }
        }
        offset += line.len();
    }
    Err(first_error.unwrap_or_else(|| "no JSON list of targets in it".into()))
}

/// The upload command with the package the export wrote: the planned file when it is there,
/// else the one file of that kind (.ipa / .pkg) in the export folder.
fn locate_package(inv: &crate::tools::Invocation) -> std::result::Result<crate::tools::Invocation, String> {
    // Xcode 26's altool takes the file after --upload-package; older ones after -f.
    let Some(at) = inv.value_index("--upload-package").or_else(|| inv.value_index("-f")) else {
        return Ok(inv.clone());
    };
    let planned = PathBuf::from(&inv.args[at]);
    if planned.is_file() {
        return Ok(inv.clone());
    }
    let (Some(dir), Some(ext)) = (planned.parent(), planned.extension()) else {
        return Err(format!("{} is not there", planned.display()));
    };
    let ext = ext.to_string_lossy().to_string();
    let mut found: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case(&ext))).collect(),
        Err(e) => return Err(format!("the export folder {} cannot be read: {e}", dir.display())),
    };
    found.sort();
    match found.as_slice() {
        [one] => {
            let mut inv = inv.clone();
            inv.args[at] = one.display().to_string();
            Ok(inv)
        }
        [] => Err(format!("the export wrote no .{ext} into {}", dir.display())),
        many => Err(format!(
            "the export wrote {} .{ext} files into {} ({}); Shipdeck uploads one, and will not guess which",
            many.len(),
            dir.display(),
            many.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect::<Vec<_>>().join(", ")
        )),
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

/// A folder of its own for a run: named by the start in milliseconds and the process, with a
/// counter when two runs start in the same millisecond (the app can run one after another).
fn new_run_dir(started_at: i64) -> Result<(String, PathBuf)> {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_millis()).unwrap_or(0);
    let runs = runs_dir();
    std::fs::create_dir_all(&runs).map_err(|e| Error::io(&runs, &e))?;
    for n in 0..1000 {
        let id = if n == 0 { format!("{started_at}{ms:03}-{}", std::process::id()) } else { format!("{started_at}{ms:03}-{}-{n}", std::process::id()) };
        let dir = runs.join(&id);
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok((id, dir)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&dir, &e)),
        }
    }
    Err(Error::Other(format!("could not make a folder for the run under {}", runs.display())))
}

pub fn runs_dir() -> PathBuf {
    crate::fsutil::data_dir().join("runs")
}

/// Past runs, newest first (unreadable records are skipped).
pub fn list_runs() -> Vec<RunRecord> {
    list_runs_in(&runs_dir()).0
}

/// The runs recorded under `dir`, newest first, and the records that could not be read (with
/// why). A run whose process is gone before it finished reads as interrupted.
pub fn list_runs_in(dir: &Path) -> (Vec<RunRecord>, Vec<(PathBuf, String)>) {
    let mut runs = Vec::new();
    let mut bad = Vec::new();
    for e in std::fs::read_dir(dir).map(|d| d.flatten().collect::<Vec<_>>()).unwrap_or_default() {
        let file = e.path().join("run.json");
        match std::fs::read(&file) {
            // A folder without a record yet: a run in its first moment, or not a run.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => bad.push((file, e.to_string())),
            Ok(bytes) => match serde_json::from_slice::<RunRecord>(&bytes) {
                Ok(mut r) => {
                    if r.outcome == Outcome::Running && !r.pid.is_some_and(|p| alive(p as i32)) {
                        r.outcome = Outcome::Interrupted;
                        r.pid = None;
                    }
                    runs.push(r)
                }
                Err(e) => bad.push((file, format!("not a run record: {e}"))),
            },
        }
    }
    runs.sort_by(|a: &RunRecord, b| b.started_at.cmp(&a.started_at).then(b.id.cmp(&a.id)));
    bad.sort();
    (runs, bad)
}

/// The end of a run's log as a window shows it: the last `max` lines (containing `filter`,
/// case-insensitive, when given), read through once without holding the whole file, and how
/// many lines the log has in all.
pub fn log_tail(record: &RunRecord, filter: Option<&str>, max: usize) -> std::io::Result<(Vec<String>, u64)> {
    use std::io::BufRead;
    let file = std::fs::File::open(Path::new(&record.log))?;
    let needle = filter.map(str::to_lowercase).filter(|f| !f.is_empty());
    let mut tail: VecDeque<String> = VecDeque::with_capacity(max.min(10_000));
    let mut total = 0u64;
    let mut reader = std::io::BufReader::new(file);
    let mut buf = Vec::new();
    while reader.read_until(b'\n', &mut buf)? > 0 {
        total += 1;
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end_matches(['\n', '\r']);
        if needle.as_ref().is_none_or(|n| line.to_lowercase().contains(n.as_str())) {
            if tail.len() == max {
                tail.pop_front();
            }
            if max > 0 {
                tail.push_back(line.to_string());
            }
        }
        buf.clear();
    }
    Ok((tail.into(), total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::Invocation;

    #[test]
    fn the_apps_build_settings_are_taken_from_xcodebuilds_answer() {
        let answer = r#"[
          {"action": "build", "target": "IsometryWidget", "buildSettings": {"WRAPPER_EXTENSION": "appex", "PRODUCT_BUNDLE_IDENTIFIER": "com.mshaler.isometry.widget", "MARKETING_VERSION": "2.5.0", "CURRENT_PROJECT_VERSION": "250"}},
          {"action": "build", "target": "IsometryiOS", "buildSettings": {"WRAPPER_EXTENSION": "app", "PRODUCT_BUNDLE_IDENTIFIER": "com.mshaler.isometry", "MARKETING_VERSION": "2.5.0", "CURRENT_PROJECT_VERSION": "251"}}
        ]"#;
        let seen = BuildSettings::from_json(answer).unwrap();
        assert_eq!(seen, BuildSettings { bundle_id: Some("com.mshaler.isometry".into()), version: Some("2.5.0".into()), build: Some("251".into()) });
        let planned = super::super::plan::Processing { bundle_id: "com.mshaler.isometry".into(), version: "2.5.0".into(), build: "250".into(), bumped: false, platform: None };
        assert_eq!(seen.differences(Some(&planned)).as_deref(), Some("xcodebuild says build 251 (the workspace files say 250); the release follows xcodebuild"));
        // After a bump the planned number is the one that will be built.
        assert_eq!(seen.differences(Some(&super::super::plan::Processing { bumped: true, ..planned })), None);
        // Without an app target: the first that names a bundle id.
        let only_framework = r#"[{"target": "Kit", "buildSettings": {"WRAPPER_EXTENSION": "framework", "PRODUCT_BUNDLE_IDENTIFIER": "com.x.kit"}}]"#;
        assert_eq!(BuildSettings::from_json(only_framework).unwrap().bundle_id.as_deref(), Some("com.x.kit"));
        for bad in ["", "Build settings for action build and target IsometryiOS:", "{}", "[]", "[1]"] {
            assert!(BuildSettings::from_json(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_end_of_a_long_log_is_read_without_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.txt");
        let mut text = String::new();
        for i in 0..10_000 {
            text.push_str(&format!("{i:>9} ios.archive | CompileSwift Generated{i}.swift\n"));
        }
        text.push_str("    10000 ios.archive | error: No profile matches\n");
        std::fs::write(&log, text).unwrap();
        let record = RunRecord {
            id: "r".into(),
            workspace: dir.path().into(),
            dry_run: true,
            started_at: 0,
            duration_ms: 0,
            outcome: Outcome::Failed,
            steps: vec![],
            log,
            pid: None,
            builds: vec![],
            why: None,
        };
        let (lines, total) = log_tail(&record, None, 100).unwrap();
        assert_eq!((lines.len(), total), (100, 10_001));
        assert!(lines[0].ends_with("Generated9901.swift") && lines[99].ends_with("error: No profile matches"), "{:?}", &lines[..2]);
        let (lines, _) = log_tail(&record, Some("ERROR:"), 100).unwrap();
        assert_eq!(lines, ["    10000 ios.archive | error: No profile matches"]);
        let (lines, total) = log_tail(&record, Some("Generated12"), 3).unwrap();
        assert_eq!(total, 10_001);
        assert!(lines.len() == 3 && lines[2].ends_with("Generated1299.swift"), "{lines:?}");
    }

    struct Harness {
        _dir: tempfile::TempDir,
        log_path: PathBuf,
        secrets: Vec<String>,
        cancel: AtomicBool,
    }

    impl Harness {
        fn new() -> Harness {
            let dir = tempfile::tempdir().unwrap();
            let log_path = dir.path().join("log.txt");
            Harness { _dir: dir, log_path, secrets: vec!["s3cr3t-value-0123456789".into()], cancel: AtomicBool::new(false) }
        }
        fn run(&self, script: &str, timeout: Duration, on_event: &mut dyn FnMut(&Event)) -> CommandOutcome {
            let log = std::io::BufWriter::new(std::fs::File::create(&self.log_path).unwrap());
            let mut cx = Ctx { secrets: &self.secrets, log, started: Instant::now(), cancel: &self.cancel, rt: None, capture: None };
            run_command(&mut cx, "step", &Invocation::new("sh", &["-c", script]), timeout, on_event)
        }
        fn log(&self) -> String {
            std::fs::read_to_string(&self.log_path).unwrap()
        }
    }

    #[test]
    fn both_pipes_are_read_line_by_line_with_secrets_redacted() {
        let h = Harness::new();
        let mut lines = Vec::new();
        let (ok, tail, causes, cancelled, note, progress) = h.run(
            "echo 'CompileSwift normal arm64 A.swift'; echo 'error: No profile for team s3cr3t-value-0123456789' >&2; printf 'no newline at the end'; exit 3",
            Duration::from_secs(30),
            &mut |e| {
                if let Event::Line { text, .. } = e {
                    lines.push(text.clone())
                }
            },
        );
        assert!(!ok && !cancelled && note.is_none());
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines.contains(&"no newline at the end".to_string()));
        assert!(lines.iter().all(|l| !l.contains("s3cr3t")), "{lines:?}");
        assert_eq!(tail.len(), 3);
        assert_eq!(causes.len(), 1);
        assert!(causes[0].line.starts_with("error: No profile for team "), "{:?}", causes[0]);
        assert_eq!(progress.as_deref(), Some("CompileSwift"));
        let mut phases = Vec::new();
        h.run("echo 'CompileSwift normal arm64 A.swift'; echo 'CompileSwift normal arm64 B.swift'; echo 'CodeSign /x/App.app'; echo '** ARCHIVE SUCCEEDED **'", Duration::from_secs(30), &mut |e| {
            if let Event::Progress { phase, lines, .. } = e {
                phases.push((phase.clone(), *lines))
            }
        });
        // The first phase at once, a change within 200 ms only when it is the end.
        assert_eq!(phases, [("CompileSwift".to_string(), 1), ("ARCHIVE SUCCEEDED".to_string(), 4)]);
        let log = h.log();
        assert!(log.contains(" step | CompileSwift normal arm64 A.swift") && !log.contains("s3cr3t"), "{log}");
    }

    #[test]
    fn invalid_utf8_and_endless_lines_are_kept_in_bounds() {
        let h = Harness::new();
        let mut lines = Vec::new();
        // 200,000 bytes with no newline, then a line with a byte that is not UTF-8.
        let (ok, ..) = h.run("head -c 200000 /dev/zero | tr '\\0' x; printf '\\nbad \\377 byte\\n'", Duration::from_secs(30), &mut |e| {
            if let Event::Line { text, .. } = e {
                lines.push(text.clone())
            }
        });
        assert!(ok);
        assert_eq!(lines.iter().map(String::len).max(), Some(MAX_LINE), "long lines are cut at MAX_LINE");
        assert_eq!(lines.iter().filter(|l| l.starts_with('x')).map(String::len).sum::<usize>(), 200_000, "nothing is lost");
        assert_eq!(lines.last().map(String::as_str), Some("bad \u{FFFD} byte"));
    }

    #[test]
    fn slow_output_is_streamed_as_it_comes() {
        let h = Harness::new();
        let mut seen: Vec<(u64, String, Instant)> = Vec::new();
        h.run("echo first; sleep 0.6; echo second", Duration::from_secs(30), &mut |e| {
            if let Event::Line { ms, text, .. } = e {
                seen.push((*ms, text.clone(), Instant::now()))
            }
        });
        assert_eq!(seen.iter().map(|s| s.1.as_str()).collect::<Vec<_>>(), ["first", "second"]);
        // The first line was passed on before the command ended, with its own time.
        assert!(seen[1].2.duration_since(seen[0].2) >= Duration::from_millis(400), "{:?}", seen[1].2.duration_since(seen[0].2));
        assert!(seen[1].0 >= seen[0].0 + 400, "timestamps {} and {}", seen[0].0, seen[1].0);
    }

    #[test]
    fn the_time_limit_ends_the_step_and_says_so() {
        let h = Harness::new();
        let t = Instant::now();
        let (ok, _, _, cancelled, note, _) = h.run("sleep 30 & sleep 30; echo never", Duration::from_secs(1), &mut |_| {});
        assert!(!ok && !cancelled);
        assert_eq!(note.as_deref(), Some("stopped after 1s (the step's time limit)"));
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    }

    #[test]
    fn cancel_is_seen_while_output_floods_in() {
        let h = Harness::new();
        let t = Instant::now();
        let mut n = 0u64;
        let cancel = &h.cancel;
        let (ok, _, _, cancelled, _, _) = h.run("yes 'CompileSwift normal arm64 Flood.swift'", Duration::from_secs(120), &mut |e| {
            if matches!(e, Event::Line { .. }) {
                n += 1;
                if n == 50_000 {
                    cancel.store(true, Ordering::SeqCst);
                }
            }
        });
        assert!(!ok && cancelled);
        assert!(n >= 50_000);
        assert!(t.elapsed() < Duration::from_secs(20), "cancelled after {:?}", t.elapsed());
    }

    #[test]
    fn build_settings_json_is_found_after_xcodebuilds_warnings() {
        let text = "--- xcodebuild: WARNING: Using the first of multiple matching destinations:\n{ platform:macOS, arch:arm64, id:00006040-001011C92228801C, name:My Mac }\n{ platform:macOS, arch:x86_64, id:00006040-001011C92228801C, name:My Mac }\n[\n  {\n    \"action\" : \"build\",\n    \"buildSettings\" : {\n      \"MARKETING_VERSION\" : \"2.5.0\",\n      \"WRAPPER_EXTENSION\" : \"app\"\n    },\n    \"target\" : \"App\"\n  }\n]\n";
        let s = super::BuildSettings::from_json(text).unwrap();
        assert_eq!(s.version.as_deref(), Some("2.5.0"));
        assert!(super::BuildSettings::from_json("xcodebuild: error: no scheme\n").unwrap_err().contains("no JSON list"));
    }

    #[test]
    fn a_second_release_of_a_workspace_is_refused_as_busy_and_a_stale_lock_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let locks = dir.path().join("locks");
        let ws = crate::Workspace::open(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry")).unwrap();
        let held = super::Lock::take_in(&locks, &ws).unwrap();
        let err = super::Lock::take_in(&locks, &ws).err().expect("a second lock is refused");
        assert_eq!(err.code(), crate::error::Code::Busy, "{err}");
        assert!(err.to_string().contains(&format!("pid {}", std::process::id())), "{err}");
        drop(held);
        // A lock whose process is gone is taken over.
        let lock = dir.path().join("locks").read_dir().map(|d| d.count()).unwrap_or(0);
        assert_eq!(lock, 0, "the lock went with its holder");
        let name = crate::change::fingerprint(ws.root.to_string_lossy().as_bytes());
        std::fs::create_dir_all(dir.path().join("locks")).unwrap();
        std::fs::write(dir.path().join("locks").join(format!("release-{name}.lock")), "999999999").unwrap();
        let taken = super::Lock::take_in(&locks, &ws).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("locks").join(format!("release-{name}.lock"))).unwrap(), std::process::id().to_string());
        drop(taken);
    }
}
