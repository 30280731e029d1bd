use super::{output::Style, EXIT_OK};
use shipdeck::fsutil::{self, ReadFile, Written};
use shipdeck::pbxproj::{self, scheme, AddConfiguration, Document, Project};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Targets x configurations, with the xcconfig each is based on
    Show(ShowArgs),
    /// Set a build setting in one configuration of a target (or of the project)
    Set(SetArgs),
    /// Remove a build setting from one configuration
    Unset(UnsetArgs),
    /// Add a configuration to every configuration list, cloned from another
    AddConfiguration(AddArgs),
    /// Put back project.pbxproj as it was before the last change
    Undo(UndoArgs),
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The .xcodeproj folder
    pub project: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct Common {
    /// Print the diff and write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct SetArgs {
    pub project: PathBuf,
    /// The target (default: the project's own settings)
    #[arg(long)]
    pub target: Option<String>,
    #[arg(long)]
    pub config: String,
    pub key: String,
    pub value: String,
    #[command(flatten)]
    pub common: Common,
}

#[derive(clap::Args, Debug)]
pub struct UnsetArgs {
    pub project: PathBuf,
    #[arg(long)]
    pub target: Option<String>,
    #[arg(long)]
    pub config: String,
    pub key: String,
    #[command(flatten)]
    pub common: Common,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    pub project: PathBuf,
    /// The configuration to clone
    #[arg(long, default_value = "Release")]
    pub from: String,
    /// The new configuration's name
    #[arg(long, default_value = "Production")]
    pub name: String,
    /// Base the new configurations on this xcconfig (referenced, or added to the project)
    #[arg(long)]
    pub xcconfig: Option<PathBuf>,
    /// Also make this shared scheme archive with the new configuration (repeatable)
    #[arg(long)]
    pub scheme: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(clap::Args, Debug)]
pub struct UndoArgs {
    pub project: PathBuf,
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Show(a) => show(a),
        Command::Set(a) => {
            let (read, doc) = load(&a.project)?;
            let edit = pbxproj::set_setting(&doc, &a.project, a.target.as_deref(), &a.config, &a.key, &a.value)?;
            write(&a.common, vec![(read, edit.map(|e| e.text))])
        }
        Command::Unset(a) => {
            let (read, doc) = load(&a.project)?;
            let edit = pbxproj::remove_setting(&doc, &a.project, a.target.as_deref(), &a.config, &a.key)?;
            write(&a.common, vec![(read, edit.map(|e| e.text))])
        }
        Command::AddConfiguration(a) => add(a),
        Command::Undo(a) => {
            let file = a.project.join("project.pbxproj");
            // The last edit may have written schemes too: all of them go back together.
            if let Some(files) = fsutil::undo_edit(&fsutil::default_backups(), &file)? {
                for f in files {
                    eprintln!("{}: restored from {}", f.path.display(), f.backup.display());
                }
                return Ok(ExitCode::from(EXIT_OK));
            }
            let backup = fsutil::restore_last(&file)?;
            eprintln!("{}: restored from {}", file.display(), backup.display());
            Ok(ExitCode::from(EXIT_OK))
        }
    }
}

fn load(project: &Path) -> anyhow::Result<(ReadFile, Document)> {
    let file = project.join("project.pbxproj");
    let read = ReadFile::read(&file)?;
    let doc = Document::parse(read.text()?.to_string(), &file)?;
    Ok((read, doc))
}

fn show(a: ShowArgs) -> anyhow::Result<ExitCode> {
    let (_, doc) = load(&a.project)?;
    let p = Project::new(&doc, &a.project)?;
    let lists = p.all_lists();
    let targets = p.targets();
    if a.json {
        say!("{}", serde_json::to_string_pretty(&serde_json::json!({"project": p.project_configurations(), "targets": targets}))?);
        return Ok(ExitCode::from(EXIT_OK));
    }
    let st = Style::stdout();
    let rel = |path: &Option<PathBuf>| path.as_ref().map(|x| x.strip_prefix(&p.dir).unwrap_or(x).display().to_string()).unwrap_or_else(|| "-".into());
    for list in &lists {
        let t = targets.iter().find(|t| t.configurations.id == list.id);
        let title = match t {
            Some(t) => format!(
                "target {} ({}{})",
                t.name,
                t.platform.as_deref().unwrap_or("?"),
                t.product_type.as_deref().map(|p| format!(", {}", p.trim_start_matches("com.apple.product-type."))).unwrap_or_default()
            ),
            None => "project".into(),
        };
        say!("{}", st.bold(&title));
        for c in &list.configurations {
            let default = if list.default_configuration.as_deref() == Some(&c.name) { " (default)" } else { "" };
            say!("  {:<14} {}{}  {}", c.name, rel(&c.base_xcconfig), default, st.dim(&format!("line {}, {} settings", c.line, c.settings.len())));
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn add(a: AddArgs) -> anyhow::Result<ExitCode> {
    let (read, doc) = load(&a.project)?;
    let edit = pbxproj::add_configuration(&doc, &a.project, &AddConfiguration { from: a.from, name: a.name.clone(), xcconfig: a.xcconfig })?;
    for c in &edit.changes {
        eprintln!("{c}");
    }
    let mut files = vec![(read, Some(edit.text))];
    for s in &a.scheme {
        let path = scheme::scheme_path(&a.project, s);
        let read = ReadFile::read(&path)?;
        let new = scheme::set_archive_configuration(read.text()?, &a.name, &path)?;
        files.push((read, new));
    }
    write(&a.common, files)
}

/// Shows every file's diff, then writes them all (or none, with --dry-run).
fn write(c: &Common, files: Vec<(ReadFile, Option<String>)>) -> anyhow::Result<ExitCode> {
    let mut report = Vec::new();
    for (read, new) in &files {
        let label = read.path.display().to_string();
        let diff = match new {
            Some(n) => fsutil::unified_diff(&label, read.text()?, n),
            None => String::new(),
        };
        if !c.json {
            print!("{diff}");
        }
        report.push(serde_json::json!({"file": read.path, "diff": diff}));
    }
    let mut outcomes = Vec::new();
    let mut written = Vec::new();
    for (read, new) in &files {
        let outcome = match (new, c.dry_run) {
            (None, _) => "unchanged".to_string(),
            (Some(_), true) => "dry-run".to_string(),
            (Some(n), false) => match fsutil::replace(read, n.as_bytes())? {
                Written::Unchanged => "unchanged".to_string(),
                // `replace` rewrites a file it read: it never makes one.
                Written::Replaced { backup } | Written::Created { backup } => {
                    let shown = format!("written (backup: {})", backup.display());
                    written.push((read.path.clone(), backup, n.as_bytes()));
                    shown
                }
            },
        };
        if !c.json {
            eprintln!("{}: {outcome}", read.path.display());
        }
        outcomes.push(outcome);
    }
    // `project undo` puts back every file of this edit (the project file names it).
    if let Some((first, _)) = files.first() {
        if !written.is_empty() {
            fsutil::record_edit(&fsutil::default_backups(), &first.path, &written)?;
        }
    }
    if c.json {
        for (r, o) in report.iter_mut().zip(outcomes) {
            r["outcome"] = serde_json::Value::String(o);
        }
        say!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(ExitCode::from(EXIT_OK))
}
