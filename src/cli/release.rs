use super::{output::Style, WorkspaceArg, EXIT_FAILED, EXIT_OK};
use shipdeck::appstore::Credentials;
use shipdeck::release::{self, Event, Options, Outcome, StepState};
use shipdeck::workspace::Platform;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformArg {
    Ios,
    Macos,
    Tvos,
    Visionos,
    Catalyst,
    All,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Run every check and read-only command, show every other command; change nothing
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value = "all")]
    pub platform: PlatformArg,
    /// With --dry-run: archive too, into a temporary folder, and stop there
    #[arg(long)]
    pub archive: bool,
    /// Raise CURRENT_PROJECT_VERSION by one before archiving (shown as a diff in a dry-run)
    #[arg(long)]
    pub bump_build: bool,
    /// Print the plan and run nothing
    #[arg(long)]
    pub plan: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct RunsArgs {
    /// Show one run (its steps and log)
    pub id: Option<String>,
    /// Only the runs of this workspace folder (default: every workspace's)
    #[arg(long, short = 'w', value_name = "DIR")]
    pub workspace: Option<std::path::PathBuf>,
    #[arg(long)]
    pub json: bool,
}

fn platforms(ws: &shipdeck::Workspace, p: PlatformArg) -> Vec<Platform> {
    ws.release_platforms(match p {
        PlatformArg::All => None,
        PlatformArg::Ios => Some(Platform::Ios),
        PlatformArg::Macos => Some(Platform::Macos),
        PlatformArg::Tvos => Some(Platform::Tvos),
        PlatformArg::Visionos => Some(Platform::Visionos),
        PlatformArg::Catalyst => Some(Platform::Catalyst),
    })
}

fn mark(st: &Style, s: StepState) -> String {
    match s {
        StepState::Done => st.paint("32", "done     "),
        StepState::Failed => st.paint("1;31", "FAILED   "),
        StepState::WouldRun => st.paint("36", "would run"),
        StepState::Missing => st.paint("33", "missing  "),
        StepState::Skipped => st.paint("2", "skipped  "),
        StepState::Blocked => st.paint("33", "blocked  "),
        StepState::Cancelled => st.paint("33", "cancelled"),
        StepState::Manual => st.paint("36", "your turn"),
    }
}

fn escape(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape(s).replace(':', "%3A").replace(',', "%2C")
}

/// A compiler-style line, `PATH:LINE[:COL]: error|warning: MESSAGE`, as (path, line, col,
/// message).
fn located(line: &str) -> Option<(&str, u32, Option<u32>, &str)> {
    let (head, message) = line.split_once(": error: ").or_else(|| line.split_once(": warning: "))?;
    let mut parts = head.rsplitn(3, ':');
    let (a, b) = (parts.next()?, parts.next()?);
    match parts.next() {
        Some("") => None,
        Some(path) => Some((path, b.parse().ok()?, Some(a.parse().ok()?), message)),
        None if !b.is_empty() => Some((b, a.parse().ok()?, None, message)),
        None => None,
    }
}

/// GitHub Actions annotations for a failed step: one per cause, on the file and line when the
/// tool named them (a compile error), else on the step; the fix Shipdeck knows, after it.
fn annotations(ws: &shipdeck::Workspace, r: &release::StepResult) -> Vec<String> {
    let title = escape_property(&r.title);
    if r.causes.is_empty() {
        return vec![format!("::error title={title}::{}", escape(&format!("{} failed", r.title)))];
    }
    r.causes
        .iter()
        .map(|c| {
            let detail: String = c.detail.iter().map(|d| format!("\n  {d}")).collect();
            let hint = c.hint.as_ref().map(|h| format!("\n{h}{}", c.finding.as_ref().map(|f| format!(" [{f}]")).unwrap_or_default())).unwrap_or_default();
            let hint = format!("{detail}{hint}");
            match located(&c.line) {
                Some((path, line, col, message)) => {
                    let p = std::path::Path::new(path);
                    let shown = p.strip_prefix(&ws.root).map(|r| r.display().to_string()).unwrap_or_else(|_| path.to_string());
                    let col = col.map(|c| format!(",col={c}")).unwrap_or_default();
                    format!("::error file={},line={line}{col},title={title}::{}", escape_property(&shown), escape(&format!("{message}{hint}")))
                }
                None => format!("::error title={title}::{}", escape(&format!("{}{hint}", c.line))),
            }
        })
        .collect()
}

/// Set by SIGINT or SIGTERM while a release (or a CloudKit deploy) runs.
pub(crate) static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn interrupted(_: libc::c_int) {
    // Only an atomic store: safe in a signal handler.
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
}

pub(crate) fn on_interrupt() {
    let handler = interrupted as extern "C" fn(libc::c_int) as libc::sighandler_t;
    unsafe {
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let ws = a.ws.open()?;
    let platforms = platforms(&ws, a.platform);
    if platforms.is_empty() {
        let outside: Vec<String> =
            ws.config.targets.iter().filter_map(|t| ws.outside_app_store(t).map(|(file, method)| format!("{} exports with method {method} ({})", t.target_name(), ws.display_path(&file)))).collect();
        anyhow::bail!(if ws.config.targets.is_empty() {
            format!("nothing to release: {}: {} (`shipdeck check` says more)", ws.root.display(), ws.no_targets_reason())
        } else if matches!(a.platform, PlatformArg::All) && !outside.is_empty() {
            format!("nothing to release through App Store Connect: {}; Shipdeck releases through App Store Connect only", outside.join(", "))
        } else {
            format!("nothing to release for --platform {}: {} has {} only", format!("{:?}", a.platform).to_lowercase(), ws.root.display(), ws.platform_names())
        });
    }
    let (creds, keychain_note) = Credentials::for_cli();
    if let Some(note) = keychain_note {
        eprintln!("warning: {note}; only the environment is used for App Store Connect credentials");
    }
    let build_dir = release::plan::build_dir(&ws, a.dry_run)?;
    let opts = Options { platforms, dry_run: a.dry_run, archive: a.archive, build_dir: build_dir.clone(), bump_build: a.bump_build, altool: None };
    let plan = release::build(&ws, &opts, &creds);
    if a.plan {
        // A plan runs nothing: a dry-run's private build folder goes at once.
        if a.dry_run {
            let _ = std::fs::remove_dir_all(&build_dir);
        }
        if a.json {
            say!("{}", shipdeck::tools::redact(&serde_json::to_string_pretty(&plan)?, &plan.secrets));
        } else {
            for (i, s) in plan.steps.iter().enumerate() {
                say!("{:>2}. {}  [{}]", i + 1, s.title, serde_json::to_value(s.effect)?.as_str().unwrap_or(""));
                if let Some(c) = &s.command {
                    say!("      $ {}", c.display());
                }
                if let Some(n) = &s.note {
                    say!("      note: {n}");
                }
                if let Some((path, text)) = &s.writes_file {
                    say!("      writes {}:", path.display());
                    for l in text.lines().filter(|l| !l.starts_with("<?xml") && !l.starts_with("<!DOCTYPE")) {
                        say!("      | {}", l.replace('\t', "  "));
                    }
                }
                for n in &s.needs {
                    say!("      needs {n}");
                }
            }
        }
        return Ok(ExitCode::from(EXIT_OK));
    }
    let st = Style::stdout();
    // Ctrl-C or a SIGTERM (a CI job cancelled) cancels the run: the running step's process
    // group is ended, the key file removed, and the record says cancelled.
    let cancel: &'static AtomicBool = &INTERRUPTED;
    on_interrupt();
    let json = a.json;
    if !json {
        if let (Some(source), Some(id)) = (creds.key_source, &creds.key_id) {
            say!("{}", st.dim(&format!("App Store Connect API key {id}, from {source}")));
        }
        // A real run says what it is about to do first (the app asks the same before it starts).
        if !a.dry_run {
            let c = release::confirmation(&ws.name(), &plan, &creds);
            say!("{}", c.question);
            say!("{}", st.dim(&format!("Uploads to {}", c.destination)));
        }
    }
    // On a terminal, a live line shows the running step; elsewhere (CI logs) plain lines only.
    let live = !json && std::io::stderr().is_terminal();
    let mut running = String::new();
    let mut phase = String::new();
    let mut lines = 0u64;
    let mut last_draw = std::time::Instant::now();
    // Each thing a real run needs is said once, at the first step that needs it.
    let mut said_needs: std::collections::BTreeSet<String> = Default::default();
    let mut on_event = |e: &Event| {
        if json {
            return;
        }
        match e {
            Event::StepStarted { title, .. } => {
                running.clone_from(title);
                phase.clear();
                lines = 0;
                if live {
                    eprint!("\r\x1b[2K  … {running}");
                }
            }
            Event::Line { text, .. } => {
                lines += 1;
                if live && last_draw.elapsed() > std::time::Duration::from_millis(150) {
                    last_draw = std::time::Instant::now();
                    let tail: String = text.chars().take(60).collect();
                    let phase = if phase.is_empty() { String::new() } else { format!(" — {phase}") };
                    eprint!("\r\x1b[2K  … {running}{phase}: {lines} lines  {}", st.dim(&tail));
                }
            }
            Event::Progress { phase: p, .. } => phase.clone_from(p),
            Event::StepFinished { result: r } => {
                if live {
                    eprint!("\r\x1b[2K");
                }
                say!("{} {}  {}", mark(&st, r.state), r.title, st.dim(&format!("{:.1}s", r.duration_ms as f64 / 1000.0)));
                if let Some(c) = &r.command {
                    if matches!(r.state, StepState::WouldRun | StepState::Failed | StepState::Missing) {
                        say!("          $ {c}");
                    }
                }
                if let Some(n) = &r.note {
                    for l in n.lines() {
                        say!("          {}", st.dim(l));
                    }
                }
                // What a real run would write (the ExportOptions), without the plist preamble.
                if let (Some(f), StepState::WouldRun) = (&r.file, r.state) {
                    say!("          {}:", f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
                    for l in f.text.lines().filter(|l| !l.starts_with("<?xml") && !l.starts_with("<!DOCTYPE")) {
                        say!("          | {}", l.replace('\t', "  "));
                    }
                }
                for c in &r.causes {
                    say!("          {} {}", st.paint("31", "!"), c.line);
                    for d in &c.detail {
                        say!("              {d}");
                    }
                    if let Some(h) = &c.hint {
                        say!("            -> {h}{}", c.finding.as_ref().map(|f| format!(" [{f}]")).unwrap_or_default());
                    }
                }
                let new: Vec<&String> = r.needs.iter().filter(|n| !said_needs.contains(*n)).collect();
                for n in &new {
                    say!("          a real run needs {n}");
                }
                if new.len() < r.needs.len() {
                    say!("          {}", st.dim(if new.is_empty() { "a real run needs what is said above" } else { "and what is said above" }));
                }
                said_needs.extend(r.needs.iter().cloned());
                // No cause, or only headers that say something failed: the log's own last lines.
                if r.state == StepState::Failed && r.causes.iter().all(|c| c.generic) {
                    for l in r.tail.iter().rev().take(15).collect::<Vec<_>>().into_iter().rev() {
                        say!("          | {l}");
                    }
                }
            }
        }
    };
    let record = release::execute(&ws, &plan, &creds, cancel, &mut on_event)?;
    if a.dry_run {
        let _ = std::fs::remove_dir_all(&build_dir);
    }
    if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        for r in record.steps.iter().filter(|r| r.state == StepState::Failed) {
            for a in annotations(&ws, r) {
                say!("{a}");
            }
        }
    }
    if a.json {
        say!("{}", serde_json::to_string_pretty(&record)?);
    } else {
        // A dry-run passes without a real run's tools or key: said beside "passed".
        let needs: std::collections::BTreeSet<&String> = record.steps.iter().flat_map(|r| &r.needs).collect();
        let lacking = match (record.outcome, needs.len()) {
            (Outcome::DryRunPassed, 1) => " A real run needs one thing this machine lacks (said above).".to_string(),
            (Outcome::DryRunPassed, n) if n > 1 => format!(" A real run needs {n} things this machine lacks (said above)."),
            _ => String::new(),
        };
        say!("\n{} in {:.1} s.{lacking} Log: {}", record.outcome.words(record.dry_run), record.duration_ms as f64 / 1000.0, record.log.display());
    }
    Ok(ExitCode::from(match record.outcome {
        Outcome::Succeeded | Outcome::DryRunPassed => EXIT_OK,
        _ => EXIT_FAILED,
    }))
}

pub fn runs(a: RunsArgs) -> anyhow::Result<ExitCode> {
    let (mut all, bad) = release::list_runs_in(&release::record::runs_dir());
    for (file, why) in &bad {
        eprintln!("{}: {why}", file.display());
    }
    if let Some(dir) = &a.workspace {
        let root = shipdeck::Workspace::open(dir)?.root;
        all.retain(|r| r.workspace == root);
    }
    match a.id {
        None => {
            if a.json {
                say!("{}", serde_json::to_string_pretty(&all)?);
            } else {
                for r in &all {
                    let kind = if r.dry_run { "dry-run" } else { "release" };
                    say!(
                        "{}  {:<16} {:<8} {:>7.1}s  {}  {}",
                        r.id,
                        serde_json::to_value(r.outcome)?.as_str().unwrap_or(""),
                        kind,
                        r.duration_ms as f64 / 1000.0,
                        r.builds.join(", "),
                        r.workspace.display()
                    );
                    if let Some(why) = &r.why {
                        say!("    {why}");
                    }
                }
            }
        }
        Some(id) => {
            let r = all.iter().find(|r| r.id == id).ok_or_else(|| anyhow::anyhow!("no run {id} (see `shipdeck runs`)"))?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(r)?);
            } else {
                // Streamed: a log can be hundreds of megabytes. A closed pipe (`| head`) ends it quietly.
                let mut file = std::fs::File::open(&r.log).map_err(|e| anyhow::anyhow!("{}: {e}", r.log.display()))?;
                if let Err(e) = std::io::copy(&mut file, &mut std::io::stdout().lock()) {
                    if e.kind() != std::io::ErrorKind::BrokenPipe {
                        return Err(anyhow::anyhow!("{}: {e}", r.log.display()));
                    }
                }
            }
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

#[cfg(test)]
mod tests {
    #[test]
    fn compiler_lines_are_located() {
        assert_eq!(super::located("/a/b/C.swift:12:9: error: cannot find 'Foo' in scope"), Some(("/a/b/C.swift", 12, Some(9), "cannot find 'Foo' in scope")));
        assert_eq!(super::located("/a/b/C.m:7: warning: unused"), Some(("/a/b/C.m", 7, None, "unused")));
        assert_eq!(super::located("error: Provisioning profile \"X\" doesn't include signing certificate"), None);
        assert_eq!(super::located("xcodebuild: error: The project named \"A\" does not contain a scheme"), None);
        assert_eq!(super::located(":1:2: error: x"), None);
    }
}
