//! `shipdeck fix`: what the app's fix buttons do, from a terminal. Without an id, the findings
//! that have a fix Shipdeck can make; with one, that finding's change as a diff, then written
//! (each file's backup kept), or only shown with `--dry-run`.

use super::{WorkspaceArg, EXIT_OK};
use shipdeck::finding::Finding;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// The finding's id (`appstore.version.extension-mismatch`); without one, the findings that
    /// have a fix are listed
    pub id: Option<String>,
    /// Only the findings of that id whose subject or message contains TEXT
    #[arg(long = "match", value_name = "TEXT")]
    pub matching: Option<String>,
    /// Every finding of that id, one after the other (else the id must name one finding)
    #[arg(long)]
    pub all: bool,
    /// Print the diff, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Put back every file the last `shipdeck fix` in this workspace wrote; again for the one
    /// before it, and so on
    #[arg(long, conflicts_with_all = ["id", "all", "dry_run", "matching"])]
    pub undo: bool,
}

/// The files one fix wrote; one `shipdeck fix` makes one or more fixes (`--all`).
type Run = Vec<Vec<std::path::PathBuf>>;

/// Where the fixes of a workspace are recorded (each `shipdeck fix`: the files each of its fixes
/// wrote, in order), beside the backups, never in the workspace.
fn journal(ws: &shipdeck::Workspace) -> std::path::PathBuf {
    shipdeck::fsutil::backup_dir_for(&shipdeck::fsutil::default_backups(), &ws.root).join("last-fix.json")
}

/// Every `shipdeck fix` recorded, oldest first. The record of one run alone (before undo
/// reached further back) is read as one run.
fn read_runs(path: &std::path::Path) -> anyhow::Result<Vec<Run>> {
    let Ok(text) = std::fs::read(path) else { return Ok(vec![]) };
    if let Ok(runs) = serde_json::from_slice::<Vec<Run>>(&text) {
        return Ok(runs);
    }
    let one: Run = serde_json::from_slice(&text).map_err(|e| anyhow::anyhow!("{}: unreadable record of the fixes: {e}", path.display()))?;
    Ok(vec![one])
}

fn write_runs(path: &std::path::Path, runs: &[Run]) -> anyhow::Result<()> {
    if runs.is_empty() {
        let _ = std::fs::remove_file(path);
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    shipdeck::fsutil::atomic_write(path, &serde_json::to_vec(runs)?)?;
    Ok(())
}

/// Undoes the last `shipdeck fix`: each of its fixes, newest first, every file it wrote or made
/// put back (none, when one changed since: its newer content would be lost). The one before it
/// is then the last, for the next `--undo`.
fn undo(ws: &shipdeck::Workspace) -> anyhow::Result<ExitCode> {
    let path = journal(ws);
    let mut runs = read_runs(&path)?;
    let Some(fixes) = runs.pop() else { anyhow::bail!("no `shipdeck fix` to undo in {}", ws.root.display()) };
    for files in fixes.iter().rev() {
        for f in shipdeck::change::undo_applied(files)? {
            eprintln!("{}: put back", ws.display_path(&f));
        }
    }
    write_runs(&path, &runs)?;
    if !runs.is_empty() {
        eprintln!("{} earlier `shipdeck fix` can be undone too: `shipdeck fix --undo` again.", runs.len());
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// The findings whose fix Shipdeck can preview and apply.
fn fixable(ws: &shipdeck::Workspace) -> Vec<Finding> {
    let report = shipdeck::checks::run(ws, &shipdeck::checks::Context::resolve());
    report.findings.into_iter().filter(|f| f.fix.as_ref().is_some_and(|x| x.preview) && f.acknowledged.is_none()).collect()
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let ws = a.ws.open()?;
    if a.undo {
        return undo(&ws);
    }
    let found = fixable(&ws);
    let Some(id) = a.id.as_deref() else {
        if found.is_empty() {
            say!("No finding here has a fix Shipdeck can make.");
        }
        for f in &found {
            say!("{}  {}: {}", f.id, f.subject, f.fix.as_ref().map(|x| x.title.as_str()).unwrap_or_default());
        }
        if !found.is_empty() {
            say!("\nshipdeck fix ID [--match TEXT] [--dry-run] shows the change and makes it.");
        }
        return Ok(ExitCode::from(EXIT_OK));
    };
    let wanted = |f: &Finding| f.id == id && a.matching.as_deref().is_none_or(|m| f.subject.contains(m) || f.message.contains(m));
    let chosen = distinct_fixes(found.iter().filter(|f| wanted(f)));
    match chosen.len() {
        0 => {
            let ids: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
            anyhow::bail!(
                "no finding {id}{} has a fix Shipdeck can make here{}",
                a.matching.as_deref().map(|m| format!(" matching `{m}`")).unwrap_or_default(),
                if ids.is_empty() { String::new() } else { format!(" (those that do: {})", dedup(ids).join(", ")) }
            )
        }
        n if n > 1 && !a.all => {
            let subjects: Vec<String> = chosen.iter().map(|f| format!("  {}: {}", f.subject, f.fix.as_ref().map(|x| x.title.as_str()).unwrap_or_default())).collect();
            anyhow::bail!("{n} findings {id} have a fix; say which with --match TEXT, or --all:\n{}", subjects.join("\n"))
        }
        _ => {}
    }
    // One fix after the other, each previewed on the files as the one before left them.
    let record = journal(&ws);
    let earlier = if a.dry_run { vec![] } else { read_runs(&record)? };
    let mut made: Run = Vec::new();
    let titles: Vec<String> = chosen.iter().filter_map(|f| f.fix.as_ref().map(|x| x.title.clone())).collect();
    for (i, title) in titles.iter().enumerate() {
        let now = if i == 0 { chosen.iter().map(|f| (*f).clone()).collect::<Vec<_>>() } else { fixable(&ws).into_iter().filter(|f| wanted(f)).collect() };
        let Some(f) = now.iter().find(|f| f.fix.as_ref().is_some_and(|x| &x.title == title)) else {
            eprintln!("{title}: nothing left to change");
            continue;
        };
        let fix = f.fix.as_ref().expect("chosen for its fix");
        let changes = shipdeck::actions::preview_fix(&ws, fix)?;
        eprintln!("{}: {}", f.subject, fix.title);
        for c in &changes {
            print!("{}", c.diff);
        }
        if a.dry_run {
            for c in &changes {
                eprintln!("{}: dry-run, not written", ws.display_path(&c.path));
            }
            continue;
        }
        let written = shipdeck::change::apply_in(&ws, &changes)?;
        // Only what was written: an unchanged file's last backup is another edit's.
        made.push(changes.iter().zip(&written).filter(|(_, w)| !matches!(w, shipdeck::fsutil::Written::Unchanged)).map(|(c, _)| c.path.clone()).collect());
        // Recorded after each fix, so `--undo` also reaches the fixes made before one that failed.
        let mut runs = earlier.clone();
        runs.push(made.clone());
        write_runs(&record, &runs)?;
        for (c, w) in changes.iter().zip(written) {
            let said = match w {
                shipdeck::fsutil::Written::Unchanged => "unchanged".to_string(),
                shipdeck::fsutil::Written::Replaced { backup } => format!("written (backup: {})", backup.display()),
                shipdeck::fsutil::Written::Created { .. } => "made".to_string(),
            };
            eprintln!("{}: {said}", ws.display_path(&c.path));
        }
    }
    if !a.dry_run && !made.is_empty() {
        eprintln!("`shipdeck fix --undo` puts it back.");
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn dedup(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v.dedup();
    v
}

/// The findings with distinct fixes, in order: one fix said of several targets (Chime's four
/// targets including one User.xcconfig to make from its template) is made once.
fn distinct_fixes<'a>(found: impl Iterator<Item = &'a Finding>) -> Vec<&'a Finding> {
    let mut chosen: Vec<&Finding> = Vec::new();
    for f in found {
        let same = |o: &&Finding| match (&o.fix, &f.fix) {
            (Some(a), Some(b)) => a.makes_same(b),
            (a, b) => a.is_none() && b.is_none(),
        };
        if !chosen.iter().any(same) {
            chosen.push(f);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_fix_of_several_targets_is_made_once() {
        use shipdeck::{Finding, Fix};
        let make = |subject: &str, file: &str| Finding::warning("x.y", subject, "m").fix(Fix::new("project.copy-templates", "Make it", serde_json::json!({ "files": [file] })));
        let found = [make("macOS target Edit", "User.xcconfig"), make("iOS target App", "User.xcconfig"), make("tvOS target TV", "Other.xcconfig")];
        let chosen: Vec<&str> = super::distinct_fixes(found.iter()).iter().map(|f| f.subject.as_str()).collect();
        assert_eq!(chosen, ["macOS target Edit", "tvOS target TV"]);
    }
}
