use super::{output, WorkspaceArg, EXIT_FAILED, EXIT_OK};
use std::process::ExitCode;

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Grouped by area, coloured on a terminal
    Text,
    /// The report as JSON
    Json,
    /// GitHub Actions workflow commands (annotations with file and line)
    Github,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Print the report as JSON (same as --format json)
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ws = args.ws.open()?;
    let report = shipdeck::checks::run(&ws, &shipdeck::checks::Context::resolve());
    let format = if args.json { Format::Json } else { args.format };
    match format {
        Format::Json => say!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => output::print_report(&report),
        Format::Github => print!("{}", output::github_annotations(&report)),
    }
    Ok(ExitCode::from(if report.summary.blockers > 0 { EXIT_FAILED } else { EXIT_OK }))
}
