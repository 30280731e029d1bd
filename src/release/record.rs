//! What a run leaves: its record (steps, outcome, what it built, why it failed), written
//! whole after every step, the events it tells its caller, and the past runs read back.

use super::diagnose::Cause;
use super::plan::Plan;
use crate::error::{Error, Result};
pub use crate::step::StepState;
use crate::tools::redact;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

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

impl Outcome {
    /// The outcome in words, as the app's Release screen says it ("Dry-run passed",
    /// "Failed (dry-run)").
    pub fn words(self, dry_run: bool) -> String {
        let w = match self {
            Outcome::Succeeded => "Released",
            Outcome::DryRunPassed => return "Dry-run passed".into(),
            Outcome::Failed => "Failed",
            Outcome::Blocked => "Blocked",
            Outcome::Cancelled => "Cancelled",
            Outcome::Running => "Running",
            Outcome::Interrupted => "Interrupted",
        };
        if dry_run {
            format!("{w} (dry-run)")
        } else {
            w.to_string()
        }
    }
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

/// A plan's builds as the list of past runs says them: "iOS 2.5.0 (251)", "iOS build 251", or
/// the platform alone when the version and build number are known only at build time.
pub fn build_labels(plan: &Plan) -> Vec<String> {
    plan.builds
        .iter()
        .map(|b| {
            let p = b.platform.display();
            match (b.version.as_deref(), b.build.as_deref()) {
                (Some(v), Some(n)) => format!("{p} {v} ({n})"),
                (Some(v), None) => format!("{p} {v}"),
                (None, Some(n)) => format!("{p} build {n}"),
                (None, None) => p.to_string(),
            }
        })
        .collect()
}

/// Writes a run's record whole (a reader never sees half of it), secrets redacted.
pub(super) fn save_record(run_dir: &Path, record: &RunRecord, secrets: &[String]) {
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

/// A folder of its own for a run: named by the start in milliseconds and the process, with a
/// counter when two runs start in the same millisecond (the app can run one after another).
pub(super) fn new_run_dir(started_at: i64) -> Result<(String, PathBuf)> {
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

/// Past runs of the workspace at `root` (as `Workspace::open` names it), newest first: the
/// Release screen's list and `shipdeck runs --workspace`.
pub fn list_runs_of(root: &Path) -> Vec<RunRecord> {
    list_runs().into_iter().filter(|r| r.workspace == root).collect()
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
                    if r.outcome == Outcome::Running && !r.pid.is_some_and(|p| super::process::alive(p as i32)) {
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
}
