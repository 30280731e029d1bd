use super::{output::Style, WorkspaceArg, EXIT_FAILED, EXIT_OK};
use shipdeck::signing::{demo, identity, profile};
use shipdeck::view::signing::{self as view, Card};
use shipdeck::Severity;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct IdentitiesArgs {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// keychain, security, or dir:PATH (repeatable; default: shipdeck.toml's [signing] sources)
    #[arg(long = "source")]
    pub sources: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ProfilesArgs {
    #[command(subcommand)]
    pub action: Option<ProfilesAction>,
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Another folder of profiles (repeatable), besides Xcode's and shipdeck.toml's
    #[arg(long = "dir")]
    pub dirs: Vec<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum ProfilesAction {
    /// Move expired and superseded profiles to a folder they can be restored from
    Clean {
        #[command(flatten)]
        ws: WorkspaceArg,
        /// Another folder of profiles (repeatable)
        #[arg(long = "dir")]
        dirs: Vec<PathBuf>,
        /// List what would move, and move nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Put back the profiles of the last clean-up (or of FOLDER)
    Restore { folder: Option<PathBuf> },
}

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// What signs each shipping target, and every identity and profile (the app's Signing screen)
    Status(StatusArgs),
    /// Write a demo signing set (identities and profiles dated from today) for the sample workspace
    Demo(DemoArgs),
}

#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Where to write it (default: WORKSPACE/.shipdeck/demo-signing)
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// A card's label, padded and coloured by its state.
fn label(st: &Style, c: &Card) -> String {
    let color = match c.state {
        Severity::Ok => "32",
        Severity::Warning => "33",
        Severity::Blocker => "1;31",
    };
    st.paint(color, &format!("{:<9}", c.label))
}

fn print_card(st: &Style, c: &Card, width: usize) {
    let note = if c.note.is_empty() { String::new() } else { format!("  ({})", c.note) };
    let id = c.sha1.as_deref().unwrap_or("");
    say!("{} {:<width$} {:>5} days  {}  {}{}", label(st, c), c.name, c.days_left, if id.is_empty() { &c.detail } else { id }, st.dim(&c.source), note);
}

pub fn identities(a: IdentitiesArgs) -> anyhow::Result<ExitCode> {
    let ws = a.ws.open()?;
    let sources = if a.sources.is_empty() { ws.config.signing.sources.clone() } else { a.sources };
    let now = shipdeck::signing::now();
    let scan = identity::scan(&ws, &sources);
    // The cards are the Signing screen's (the engine's view), without its profiles.
    let health = view::health_of(&ws, &scan, &[], &[], now);
    if a.json {
        say!("{}", serde_json::to_string_pretty(&serde_json::json!({"sources": sources, "now": now, "cards": health.identities, "problems": health.problems, "scan": scan}))?);
    } else {
        let st = Style::stdout();
        for c in &health.identities {
            print_card(&st, c, 64);
        }
        for p in &health.problems {
            eprintln!("{p}");
        }
        say!("{} identities, {} intermediates", scan.identities.len(), scan.intermediates.len());
    }
    let broken = !scan.unreadable.is_empty() || !health.readable;
    Ok(ExitCode::from(if broken { EXIT_FAILED } else { EXIT_OK }))
}

/// The Signing screen in the terminal: identities, profiles, and what signs each target.
fn status(a: StatusArgs) -> anyhow::Result<ExitCode> {
    let ws = a.ws.open()?;
    let health = view::health(&ws, shipdeck::signing::now());
    if a.json {
        say!("{}", serde_json::to_string_pretty(&health)?);
    } else {
        let st = Style::stdout();
        for row in &health.map {
            let who = |s: &Option<view::Signer>| s.as_ref().map(|s| format!("{} ({} days)", s.name, s.days_left)).unwrap_or_else(|| "none".into());
            let containers: Vec<String> = row.containers.iter().map(|(c, ok)| format!("{c}{}", if *ok { "" } else { " NOT ALLOWED" })).collect();
            let label = format!("{:<9}", if row.state == Severity::Blocker { "blocker" } else { row.label });
            if let Some(why) = &row.outside {
                say!("{} {} ({}): {why}", st.paint("2", &label), row.target, row.platform.display());
                continue;
            }
            let state = match row.state {
                Severity::Ok => st.paint("32", &label),
                Severity::Warning => st.paint("33", &label),
                Severity::Blocker => st.paint("1;31", &label),
            };
            say!(
                "{state} {} ({}) -> {} -> profile {}{}",
                row.target,
                row.platform.display(),
                who(&row.identity),
                match (&row.profile, &row.profile_named) {
                    (None, Some(named)) => format!("\"{named}\" (not installed here)"),
                    _ => who(&row.profile),
                },
                if containers.is_empty() { String::new() } else { format!(" -> {}", containers.join(", ")) }
            );
            if !row.note.is_empty() {
                say!("          {}", st.paint("33", &row.note));
            }
        }
        say!();
        for c in health.identities.iter().chain(&health.profiles) {
            print_card(&st, c, 48);
        }
        if health.profiles.is_empty() {
            say!("No provisioning profiles in {}.", health.profile_folders.join(", "));
        }
        for p in &health.problems {
            eprintln!("{p}");
        }
    }
    let blocked = health.map.iter().any(|r| r.state == Severity::Blocker) || !health.readable;
    Ok(ExitCode::from(if blocked { EXIT_FAILED } else { EXIT_OK }))
}

fn removed_dir() -> PathBuf {
    profile::cleanup_root(&shipdeck::fsutil::data_dir())
}

fn clean_or_restore(action: ProfilesAction) -> anyhow::Result<ExitCode> {
    match action {
        ProfilesAction::Clean { ws, dirs, dry_run } => {
            let ws = ws.open()?;
            let mut extra = ws.profile_dirs();
            extra.extend(dirs);
            let (profiles, _) = profile::scan(&profile::folders(&extra));
            let stale = profile::stale(&profiles, shipdeck::signing::now());
            for (p, why) in &stale {
                say!("{}  {}  ({why})", p.name, p.path.display());
            }
            if stale.is_empty() {
                eprintln!("no expired or superseded profiles");
            } else if dry_run {
                eprintln!("dry run: {} profile(s) would move to {}", stale.len(), removed_dir().display());
            } else {
                let into = profile::cleanup_folder(&removed_dir())?;
                let paths: Vec<PathBuf> = stale.iter().map(|(p, _)| p.path.clone()).collect();
                let moved = profile::move_aside(&paths, &into)?;
                eprintln!("moved {} profile(s) to {}; `shipdeck profiles restore` puts them back", moved.len(), into.display());
            }
            Ok(ExitCode::from(EXIT_OK))
        }
        ProfilesAction::Restore { folder } => {
            let folder = match folder {
                Some(f) => f,
                None => profile::last_cleanup(&removed_dir()).ok_or_else(|| anyhow::anyhow!("no clean-up to restore in {}", removed_dir().display()))?,
            };
            let back = profile::restore(&folder)?;
            for p in &back {
                say!("{}", p.display());
            }
            eprintln!("restored {} profile(s)", back.len());
            Ok(ExitCode::from(EXIT_OK))
        }
    }
}

pub fn profiles(a: ProfilesArgs) -> anyhow::Result<ExitCode> {
    if let Some(action) = a.action {
        return clean_or_restore(action);
    }
    let ws = a.ws.open()?;
    let mut extra = ws.profile_dirs();
    extra.extend(a.dirs);
    let folders = profile::folders(&extra);
    let (profiles, bad) = profile::scan(&folders);
    let now = shipdeck::signing::now();
    let pwarn = ws.config.signing.profile_expiring_days.unwrap_or(ws.config.signing.expiring_days);
    let mut cards: Vec<Card> = profiles.iter().map(|p| view::profile_card(&ws, p, now, pwarn)).collect();
    view::order(&mut cards);
    if a.json {
        let bad: Vec<_> = bad.iter().map(|(p, m)| serde_json::json!({"path": p, "message": m})).collect();
        say!("{}", serde_json::to_string_pretty(&serde_json::json!({"folders": folders, "cards": cards, "profiles": profiles, "unreadable": bad}))?);
    } else {
        let st = Style::stdout();
        for c in &cards {
            print_card(&st, c, 40);
        }
        for (path, m) in &bad {
            eprintln!("{}: {m}", path.display());
        }
        say!("{} profiles", profiles.len());
    }
    Ok(ExitCode::from(if bad.is_empty() { EXIT_OK } else { EXIT_FAILED }))
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Status(a) => status(a),
        Command::Demo(a) => {
            let ws = a.ws.open()?;
            let out = a.out.unwrap_or_else(|| ws.root.join(".shipdeck/demo-signing"));
            let files = demo::generate(&out, &demo::Demo::default(), time::OffsetDateTime::now_utc())?;
            for f in &files {
                say!("{}", f.display());
            }
            eprintln!("wrote {} demo files to {}", files.len(), out.display());
            Ok(ExitCode::from(EXIT_OK))
        }
    }
}
