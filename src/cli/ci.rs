use super::{WorkspaceArg, EXIT_OK};
use anyhow::Context;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Preview, then write, a GitHub Actions workflow that checks and releases on a macOS runner
    Init(InitArgs),
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Print the workflow (or the diff against the existing one) and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Replace an existing workflow (a backup is kept)
    #[arg(long)]
    pub force: bool,
    /// Print what was done as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Init(args) => init(args),
    }
}

fn init(args: InitArgs) -> anyhow::Result<ExitCode> {
    let ws = args.ws.open()?;
    let path = shipdeck::ci::repo_root(&ws).join(shipdeck::ci::WORKFLOW_PATH);
    let text = shipdeck::ci::workflow(&ws);
    let existing = match path.exists() {
        true => Some(shipdeck::fsutil::ReadFile::read(&path)?),
        false => None,
    };
    let label = shipdeck::ci::WORKFLOW_PATH;
    let preview = match &existing {
        Some(old) => shipdeck::fsutil::unified_diff(label, old.text()?, &text),
        None => text.clone(),
    };
    let outcome = if args.dry_run {
        "dry-run"
    } else {
        match &existing {
            Some(old) if old.bytes == text.as_bytes() => "unchanged",
            Some(_) if !args.force => {
                anyhow::bail!("{} exists and differs; review with --dry-run, then replace it with --force", path.display())
            }
            Some(old) => {
                shipdeck::fsutil::replace(old, text.as_bytes())?;
                "replaced"
            }
            None => {
                let dir = path.parent().context("workflow path has no folder")?;
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                shipdeck::fsutil::write_new(&path, text.as_bytes())?;
                "written"
            }
        }
    };
    if args.json {
        say!("{}", serde_json::json!({"path": path, "outcome": outcome, "preview": preview}));
    } else {
        print!("{preview}");
        eprintln!("{}: {}", path.display(), outcome);
    }
    Ok(ExitCode::from(EXIT_OK))
}
