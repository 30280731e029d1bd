use super::{WorkspaceArg, EXIT_OK, EXIT_USAGE};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Print the file that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ws = args.ws.open()?;
    if let Some(existing) = &ws.config_path {
        eprintln!("shipdeck: {} already exists; edit it, or remove it to discover again", existing.display());
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    for g in &ws.guesses {
        eprintln!("guess: {g}");
    }
    let text = shipdeck::workspace::config_text(&ws.config)?;
    let path = ws.root.join(shipdeck::workspace::CONFIG_FILE);
    // A project not generated yet has no targets to write: a shipdeck.toml now would keep saying
    // so after `xcodegen generate`, since a written file is not discovered again.
    let ungenerated = ws.config.targets.is_empty().then(|| shipdeck::discover::ungenerated_project(ws.tree())).flatten();
    if let (Some(spec), false) = (&ungenerated, args.dry_run) {
        eprintln!("shipdeck: {} not written: {}, so it would list no targets. Run `{}`, then `shipdeck init`.", path.display(), ws.no_targets_reason(), shipdeck::discover::generate_command(spec));
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    if args.dry_run {
        print!("{text}");
        eprintln!("dry run: {} not written", path.display());
    } else {
        shipdeck::fsutil::write_new(&path, text.as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::from(EXIT_OK))
}
