//! Runs one command of a plan: in its own process group, its output streamed line by line
//! with timestamps (to the run's log file and to the caller as events), a timeout, and
//! cancellation that ends the whole process tree. Memory stays bounded however long the log.
//! And the lock that keeps two releases of one workspace from running at once.

use super::diagnose::Cause;
use super::record::Event;
use crate::error::{Error, Result};
use crate::tools::redact;
use crate::workspace::Workspace;
use std::collections::VecDeque;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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
pub(super) struct KeyDir(pub(super) PathBuf);

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

pub(super) fn alive(pid: i32) -> bool {
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

pub(super) struct Ctx<'a> {
    pub(super) secrets: &'a [String],
    /// Buffered: flushed whenever the child has nothing more to say for a moment, and at the
    /// end of each step, so the file is current while a step waits.
    pub(super) log: std::io::BufWriter<std::fs::File>,
    pub(super) started: Instant,
    pub(super) cancel: &'a AtomicBool,
    /// Created on the first command; process steps run on it one at a time.
    pub(super) rt: Option<tokio::runtime::Runtime>,
    /// When set, the step's standard output is also kept here (the build settings' JSON).
    pub(super) capture: Option<Vec<String>>,
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
#[derive(Debug, Default)]
pub struct CommandOutcome {
    /// It exited with success (and was not stopped).
    pub ok: bool,
    /// Its last lines (up to `TAIL`).
    pub tail: Vec<String>,
    /// The causes the diagnoser lifted from its output.
    pub causes: Vec<Cause>,
    /// Stopped by the user's cancel.
    pub cancelled: bool,
    /// What to say of it besides its output (the time limit, a signal).
    pub note: Option<String>,
    /// The last thing xcodebuild said it was doing.
    pub progress: Option<String>,
}

impl CommandOutcome {
    /// A command that could not even start.
    fn not_started(msg: String) -> CommandOutcome {
        CommandOutcome { tail: vec![msg.clone()], causes: vec![Cause::said(msg, None)], ..Default::default() }
    }
}

/// Runs one command on the step runtime (tokio): in its own process group, stdout and stderr
/// read line by line as they come, each line timestamped into the log and passed on; the
/// time limit and the cancel flag end the whole group (SIGTERM, then SIGKILL after 3 s).
pub(super) fn run_command(cx: &mut Ctx, id: &str, inv: &crate::tools::Invocation, timeout: Duration, on_event: &mut dyn FnMut(&Event)) -> CommandOutcome {
    if cx.rt.is_none() {
        match tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build() {
            Ok(rt) => cx.rt = Some(rt),
            Err(e) => {
                let msg = format!("could not start the step runner: {e}");
                return CommandOutcome::not_started(msg);
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
            return CommandOutcome::not_started(msg);
        }
    };
    let pgid = child.id().unwrap_or(0);
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        kill_group(pgid, libc::SIGKILL);
        let msg = format!("`{}` started without its output pipes", inv.program);
        return CommandOutcome::not_started(msg);
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
    CommandOutcome { ok, tail: got.tail.into(), causes: lifted, cancelled, note, progress: got.progress }
}

/// A run of commands (a release, the CloudKit deploy): a folder of its own under the runs with
/// its log file and record, written whole from the start and after each step, each command
/// streamed, timed out and cancellable, and listed with the past runs.
pub struct Recorder<'a> {
    pub(super) cx: Ctx<'a>,
    run_dir: PathBuf,
    record: super::record::RunRecord,
}

impl<'a> Recorder<'a> {
    /// Starts the record: `builds` name the run in the list of past runs ("iOS 2.5.0 (251)",
    /// "CloudKit schema deploy of iCloud.com.example").
    pub fn start(ws: &Workspace, builds: Vec<String>, dry_run: bool, secrets: &'a [String], cancel: &'a AtomicBool) -> Result<Recorder<'a>> {
        use super::record::{new_run_dir, save_record, Outcome, RunRecord};
        let started_at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        let (id, run_dir) = new_run_dir(started_at)?;
        let log_path = run_dir.join("log.txt");
        let log = std::io::BufWriter::new(std::fs::File::create(&log_path).map_err(|e| Error::io(&log_path, &e))?);
        let record = RunRecord {
            id,
            workspace: ws.root.clone(),
            dry_run,
            started_at,
            duration_ms: 0,
            outcome: Outcome::Running,
            steps: vec![],
            log: log_path,
            pid: Some(std::process::id()),
            builds,
            why: None,
        };
        save_record(&run_dir, &record, secrets);
        Ok(Recorder { cx: Ctx { secrets, log, started: Instant::now(), cancel, rt: None, capture: None }, run_dir, record })
    }

    /// Runs one command as a release step's: into the log, line by line, with the time limit and
    /// the cancel flag.
    /// (The log is flushed when the step is recorded.)
    pub fn command(&mut self, id: &str, inv: &crate::tools::Invocation, timeout: Duration, on_event: &mut dyn FnMut(&Event)) -> CommandOutcome {
        run_command(&mut self.cx, id, inv, timeout, on_event)
    }

    /// Whether the user asked to stop.
    pub fn cancelled(&self) -> bool {
        self.cx.cancel.load(Ordering::SeqCst)
    }

    /// The steps recorded so far.
    pub fn steps(&self) -> &[super::record::StepResult] {
        &self.record.steps
    }

    /// Records a finished step (the record is written whole again).
    pub fn step(&mut self, result: super::record::StepResult) {
        let _ = self.cx.log.flush();
        self.record.steps.push(result);
        self.record.duration_ms = self.cx.started.elapsed().as_millis() as u64;
        super::record::save_record(&self.run_dir, &self.record, self.cx.secrets);
    }

    /// Ends the run with its outcome and returns its record.
    pub fn finish(mut self, outcome: super::record::Outcome) -> super::record::RunRecord {
        let _ = self.cx.log.flush();
        self.record.duration_ms = self.cx.started.elapsed().as_millis() as u64;
        self.record.outcome = outcome;
        self.record.pid = None;
        super::record::save_record(&self.run_dir, &self.record, self.cx.secrets);
        self.record
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::Invocation;

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
        let CommandOutcome { ok, tail, causes, cancelled, note, progress } = h.run(
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
        let CommandOutcome { ok, .. } = h.run("head -c 200000 /dev/zero | tr '\\0' x; printf '\\nbad \\377 byte\\n'", Duration::from_secs(30), &mut |e| {
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
        let CommandOutcome { ok, cancelled, note, .. } = h.run("sleep 30 & sleep 30; echo never", Duration::from_secs(1), &mut |_| {});
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
        let CommandOutcome { ok, cancelled, .. } = h.run("yes 'CompileSwift normal arm64 Flood.swift'", Duration::from_secs(120), &mut |e| {
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
