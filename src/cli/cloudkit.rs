use super::{output, WorkspaceArg, EXIT_FAILED, EXIT_OK};
use shipdeck::cloudkit::{alignment, diff, Schema};
use shipdeck::release::cloudkit as deploy;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// The CloudKit findings: container alignment, environment, entitlement, schema
    Check(CheckArgs),
    /// What changes from OLD to NEW; exit 1 when production cannot take it
    Diff(DiffArgs),
    /// Make every editable file name the same container (diff first)
    Align(AlignArgs),
    /// Validate, import to development, show what production is missing, confirm after the console
    Deploy(DeployArgs),
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    pub old: PathBuf,
    pub new: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct AlignArgs {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// The container id to align on (default: shipdeck.toml's, unless more places name another)
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Run only what reads; show what would change
    #[arg(long)]
    pub dry_run: bool,
    /// After deploying in CloudKit Console: check production now matches
    #[arg(long)]
    pub confirm: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Check(a) => {
            let ws = a.ws.open()?;
            let mut findings = Vec::new();
            shipdeck::checks::cloudkit::check(&ws, &mut findings);
            let report = shipdeck::Report::with_acknowledgements(ws.info(), findings, &ws.config.acknowledgements);
            let places = alignment::places(&ws);
            if a.json {
                say!("{}", serde_json::to_string_pretty(&serde_json::json!({"places": places, "report": report}))?);
            } else {
                say!("Container ids, where they are named:");
                let (id_width, source_width) = places.iter().fold((0, 0), |(i, s), p| (i.max(p.value.chars().count()), s.max(p.source.chars().count())));
                for p in &places {
                    let at = format!("{}{}", ws.display_path(&p.file), p.line.map(|l| format!(":{l}")).unwrap_or_default());
                    say!("  {:<id_width$}  {:<source_width$}  {}", p.value, p.source, at);
                }
                say!();
                output::print_report(&report);
            }
            Ok(ExitCode::from(if report.summary.blockers > 0 { EXIT_FAILED } else { EXIT_OK }))
        }
        Command::Diff(a) => {
            let old = Schema::read(&a.old)?;
            let new = Schema::read(&a.new)?;
            let changes = diff(&old, &new);
            let destructive = changes.iter().filter(|c| c.destructive).count();
            if a.json {
                say!("{}", serde_json::to_string_pretty(&serde_json::json!({"changes": changes, "destructive": destructive}))?);
            } else {
                let st = output::Style::stdout();
                for c in &changes {
                    let mark = if c.destructive {
                        st.paint("1;31", "! ")
                    } else if c.detail.contains("removed") {
                        st.paint("33", "- ")
                    } else {
                        st.paint("32", "+ ")
                    };
                    say!("{mark}{}", c.detail);
                }
                say!("{} change(s), {destructive} that production cannot take", changes.len());
            }
            Ok(ExitCode::from(if destructive > 0 { EXIT_FAILED } else { EXIT_OK }))
        }
        Command::Align(a) => {
            let ws = a.ws.open()?;
            // By default the id the check suggests: shipdeck.toml's, unless most places agree on another.
            let to = match a.to.or_else(|| ws.config.cloudkit.as_ref().map(|c| alignment::suggested(&c.container, &alignment::places(&ws)).to)) {
                Some(t) => t,
                None => anyhow::bail!("no [cloudkit] container in shipdeck.toml; give --to iCloud.your.id"),
            };
            let changes = alignment::preview_align(&ws, &to)?;
            if !a.json {
                for c in &changes {
                    {
                        use std::io::Write as _;
                        let _ = write!(std::io::stdout(), "{}", c.diff);
                    }
                }
            }
            let written = if a.dry_run || changes.is_empty() { vec![] } else { shipdeck::change::apply(&changes)? };
            if a.json {
                say!("{}", serde_json::json!({"to": to, "files": changes.iter().map(|c| serde_json::json!({"file": c.path, "diff": c.diff})).collect::<Vec<_>>(), "written": written.len()}));
            } else if changes.is_empty() {
                eprintln!("every editable place already names {to}");
            } else if a.dry_run {
                eprintln!("dry run: {} file(s) not written", changes.len());
            } else {
                eprintln!("aligned {} file(s) on {to} (backups kept)", written.len());
            }
            Ok(ExitCode::from(EXIT_OK))
        }
        Command::Deploy(a) => {
            let ws = a.ws.open()?;
            // Ctrl-C or SIGTERM stops the running cktool and skips the rest, as for a release.
            super::release::on_interrupt();
            let d = deploy::run(&ws, a.dry_run, a.confirm, &super::release::INTERRUPTED, &mut |_| {})?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                say!("CloudKit deploy of {}{}", d.container, if d.dry_run { " (dry-run: only what reads is run)" } else { "" });
                for s in &d.steps {
                    let state = serde_json::to_value(s.state)?.as_str().unwrap_or("").to_string();
                    say!("\n[{state}] {}", s.title);
                    if let Some(c) = &s.command {
                        say!("  $ {c}");
                    }
                    if !s.output.is_empty() {
                        for l in s.output.lines() {
                            say!("  {l}");
                        }
                    }
                    for c in &s.changes {
                        say!("  {} {}", if c.destructive { "!" } else { "+" }, c.detail);
                    }
                    if let Some(n) = &s.needs {
                        say!("  a real run needs: {n}");
                    }
                }
                say!("\nLog: {}", d.log.display());
            }
            Ok(ExitCode::from(if d.failed() { EXIT_FAILED } else { EXIT_OK }))
        }
    }
}
