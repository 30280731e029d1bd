use super::{output, WorkspaceArg, EXIT_FAILED, EXIT_OK};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ws = args.ws.open()?;
    let report = shipdeck::checks::run(&ws);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        output::print_report(&report);
    }
    Ok(ExitCode::from(if report.summary.blockers > 0 { EXIT_FAILED } else { EXIT_OK }))
}
