//! `shipdeck generate`: makes the Xcode project a workspace keeps only as a spec (XcodeGen's
//! project.yml, Tuist's Project.swift), as the `workspace.project.generated` finding says and
//! its button in the app does; `--undo` moves what the last run made aside.

use super::{WorkspaceArg, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Print the commands and the folder they run in, and run nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Move what the last `shipdeck generate` made into Shipdeck's backups folder
    #[arg(long, conflicts_with = "dry_run")]
    pub undo: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ws = args.ws.open()?;
    let backups = shipdeck::fsutil::default_backups();
    if args.undo {
        return Ok(match shipdeck::generate::undo(&ws, &backups) {
            Ok(moved) => {
                for (from, to) in &moved {
                    println!("moved {} to {}", ws.display_path(from), to.display());
                }
                if moved.is_empty() {
                    println!("nothing the last generation made is still here");
                }
                ExitCode::from(EXIT_OK)
            }
            Err(e) => {
                eprintln!("shipdeck: {e}");
                ExitCode::from(EXIT_USAGE)
            }
        });
    }
    let plan = match shipdeck::generate::plan(&ws) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("shipdeck: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let folder = shipdeck::generate::folder(&ws, &plan.dir);
    if args.dry_run {
        println!("{} makes the project from {}:", plan.tool, ws.display_path(&plan.spec));
        for step in &plan.steps {
            println!("  {}    (in {folder})", step.display());
        }
        eprintln!("dry run: nothing run");
        return Ok(ExitCode::from(EXIT_OK));
    }
    eprintln!("running `{}` in {folder}", plan.command());
    match shipdeck::generate::run(&ws, &plan, &backups) {
        Ok(g) => {
            print!("{}", g.output);
            let made: Vec<String> = g.created.iter().map(|p| ws.display_path(p)).collect();
            println!("made {}", if made.is_empty() { "nothing new".to_string() } else { made.join(", ") });
            eprintln!("undo: shipdeck generate --undo");
            Ok(ExitCode::from(EXIT_OK))
        }
        Err(e) => {
            eprintln!("shipdeck: {e}");
            Ok(ExitCode::from(EXIT_FAILED))
        }
    }
}
