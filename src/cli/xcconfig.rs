use super::{output::Style, EXIT_FAILED, EXIT_OK};
use anyhow::Context;
use shipdeck::fsutil::{self, ReadFile, Written};
use shipdeck::xcconfig::{resolve_file, Conditions, Document};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Effective settings with the file and line each comes from
    Show(ShowArgs),
    /// One effective setting (exit 1 when unset)
    Get(GetArgs),
    /// Set a value in place (or append the key); prints the diff first
    Set(SetArgs),
    /// Remove a key's assignments; prints the diff first
    Unset(UnsetArgs),
    /// Put back the file as it was before the last set or unset
    Undo(UndoArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct CondArgs {
    /// SDK to match [sdk=...] conditions against (iphoneos, macosx, ...)
    #[arg(long)]
    pub sdk: Option<String>,
    /// Configuration to match [config=...] against (Production, Release, ...)
    #[arg(long)]
    pub config: Option<String>,
    /// Architecture to match [arch=...] against (arm64, x86_64)
    #[arg(long)]
    pub arch: Option<String>,
}

impl CondArgs {
    /// The build context for `file`: the conditions given, and as the project's folder (where
    /// Xcode looks for an include last) the nearest folder above the file that holds an
    /// `.xcodeproj`.
    fn conditions(&self, file: &std::path::Path) -> Conditions {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let source_root = abs
            .ancestors()
            .skip(1)
            .find(|d| std::fs::read_dir(d).is_ok_and(|mut es| es.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".xcodeproj")))))
            .map(std::path::Path::to_path_buf);
        Conditions { sdk: self.sdk.clone(), config: self.config.clone(), arch: self.arch.clone(), variant: None, source_root }
    }
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    pub file: PathBuf,
    #[command(flatten)]
    pub cond: CondArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct GetArgs {
    pub file: PathBuf,
    pub key: String,
    #[command(flatten)]
    pub cond: CondArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct WriteArgs {
    /// Print the diff and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Only the assignment with this condition, e.g. --when sdk=iphoneos* (repeatable)
    #[arg(long = "when", value_name = "COND=PATTERN")]
    pub when: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct SetArgs {
    pub file: PathBuf,
    pub key: String,
    pub value: String,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(clap::Args, Debug)]
pub struct UnsetArgs {
    pub file: PathBuf,
    pub key: String,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(clap::Args, Debug)]
pub struct UndoArgs {
    pub file: PathBuf,
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Show(a) => show(a),
        Command::Get(a) => get(a),
        Command::Set(a) => {
            let key = valid_key(&a.key)?;
            let value = shipdeck::xcconfig::encode_value(&a.value).map_err(|m| anyhow::anyhow!(shipdeck::Error::Io { path: a.file.clone(), message: format!("{key}: {m}; nothing was written") }))?;
            edit(&a.file, &a.write, |doc, conds| doc.set(key, conds, &value))
        }
        Command::Unset(a) => {
            let key = valid_key(&a.key)?;
            edit(&a.file, &a.write, |doc, conds| doc.unset(key, conds))
        }
        Command::Undo(a) => {
            let backup = fsutil::restore_last(&a.file)?;
            eprintln!("{}: restored from {}", a.file.display(), backup.display());
            Ok(ExitCode::from(EXIT_OK))
        }
    }
}

fn valid_key(key: &str) -> anyhow::Result<&str> {
    let ok = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    anyhow::ensure!(ok, "`{key}` is not a build setting name ([A-Za-z_][A-Za-z0-9_]*)");
    Ok(key)
}

/// Reads and parses a file, refusing one with lines that are not xcconfig.
fn load(file: &Path) -> anyhow::Result<(ReadFile, Document)> {
    let read = ReadFile::read(file)?;
    let doc = Document::parse(read.text()?);
    if let Some((line, column, message)) = doc.invalid_lines().next() {
        anyhow::bail!("{}:{}:{}: {}", file.display(), line.number, column, message);
    }
    Ok((read, doc))
}

fn show(a: ShowArgs) -> anyhow::Result<ExitCode> {
    load(&a.file)?;
    let r = resolve_file(&a.file, &a.cond.conditions(&a.file))?;
    if a.json {
        say!("{}", serde_json::to_string_pretty(&serde_json::json!({"settings": r.settings.values, "diagnostics": r.diagnostics, "files": r.files}))?);
    } else {
        let st = Style::stdout();
        let width = r.settings.values.keys().map(|k| k.len()).max().unwrap_or(0);
        for (k, v) in &r.settings.values {
            say!("{k:width$} = {}  {}", v.value, st.dim(&format!("{}:{}", v.file.display(), v.line)));
        }
        for d in &r.diagnostics {
            eprintln!("{d}");
        }
    }
    let blocking = r.diagnostics.iter().any(|d| !matches!(d.kind, shipdeck::xcconfig::DiagnosticKind::IncludeCycle | shipdeck::xcconfig::DiagnosticKind::IncludeCase));
    Ok(ExitCode::from(if blocking { EXIT_FAILED } else { EXIT_OK }))
}

fn get(a: GetArgs) -> anyhow::Result<ExitCode> {
    load(&a.file)?;
    let r = resolve_file(&a.file, &a.cond.conditions(&a.file))?;
    let found = r.settings.get(&a.key);
    if a.json {
        say!("{}", serde_json::to_string_pretty(&serde_json::json!({"key": a.key, "setting": found}))?);
    } else if let Some(v) = found {
        say!("{}", v.value);
    } else {
        eprintln!("{} is not set in {}", a.key, a.file.display());
    }
    Ok(ExitCode::from(if found.is_some() { EXIT_OK } else { EXIT_FAILED }))
}

fn parse_when(when: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    when.iter()
        .map(|w| {
            let (k, v) = w.split_once('=').with_context(|| format!("--when {w}: write it as sdk=iphoneos*"))?;
            Ok((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

fn edit(file: &Path, w: &WriteArgs, change: impl FnOnce(&Document, &[(String, String)]) -> Option<String>) -> anyhow::Result<ExitCode> {
    let conds = parse_when(&w.when)?;
    let (read, doc) = load(file)?;
    let label = file.display().to_string();
    let Some(new) = change(&doc, &conds) else {
        if w.json {
            say!("{}", serde_json::json!({"file": file, "outcome": "unchanged", "diff": ""}));
        } else {
            eprintln!("{label}: unchanged (nothing written)");
        }
        return Ok(ExitCode::from(EXIT_OK));
    };
    let diff = fsutil::unified_diff(&label, doc.as_str(), &new);
    let outcome = if w.dry_run { None } else { Some(fsutil::replace(&read, new.as_bytes())?) };
    if w.json {
        let (state, backup) = match &outcome {
            None => ("dry-run", None),
            Some(Written::Unchanged) => ("unchanged", None),
            Some(Written::Replaced { backup } | Written::Created { backup }) => ("written", Some(backup)),
        };
        say!("{}", serde_json::json!({"file": file, "outcome": state, "diff": diff, "backup": backup}));
    } else {
        print!("{diff}");
        match outcome {
            None => eprintln!("dry run: {label} not written"),
            Some(Written::Replaced { backup } | Written::Created { backup }) => eprintln!("wrote {label} (backup: {}; `shipdeck xcconfig undo {label}` restores it)", backup.display()),
            Some(Written::Unchanged) => eprintln!("{label}: unchanged"),
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}
