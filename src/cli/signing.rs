use super::{output::Style, WorkspaceArg, EXIT_FAILED, EXIT_OK};
use shipdeck::signing::{demo, identity, profile};
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
    /// Write a demo signing set (identities and profiles dated from today) for the sample workspace
    Demo(DemoArgs),
}

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// Where to write it (default: WORKSPACE/.shipdeck/demo-signing)
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn state(st: &Style, days: i64, warn: i64, usable: bool) -> String {
    let (color, label) = if days < 0 {
        ("1;31", "expired")
    } else if !usable {
        ("1;31", "no key")
    } else if days <= warn {
        ("33", "expiring")
    } else {
        ("32", "ok")
    };
    st.paint(color, &format!("{label:<9}"))
}

pub fn identities(a: IdentitiesArgs) -> anyhow::Result<ExitCode> {
    let ws = a.ws.open()?;
    let sources = if a.sources.is_empty() { ws.config.signing.sources.clone() } else { a.sources };
    let scan = identity::scan(&ws, &sources);
    let now = shipdeck::signing::now();
    if a.json {
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({"sources": sources, "now": now, "scan": scan}))?);
    } else {
        let st = Style::stdout();
        for i in &scan.identities {
            let c = &i.certificate;
            let left = c.days_left(now);
            // Two valid identities with one name: codesign refuses the name as ambiguous.
            let shown = if scan.same_name_count(i, now) > 0 { st.paint("1;31", &format!("{:<9}", "ambiguous")) } else { state(&st, left, ws.config.signing.expiring_days, i.has_private_key) };
            let issuer = if identity::is_distribution(c.kind) { scan.issuer_problem(c, now).map(|p| format!("  ({p})")).unwrap_or_default() } else { String::new() };
            println!("{shown} {:<64} {:>5} days  {}  {}{}", c.common_name, left, c.sha1, st.dim(&i.source), st.paint("33", &issuer));
        }
        for c in &scan.intermediates {
            let generation = c.generation().map(|g| format!(" ({g})")).unwrap_or_default();
            let unused = if !c.valid_at(now) && !scan.issues_any(c) { " · issues none of these identities" } else { "" };
            println!("{} {:<64} {:>5} days  {}  {}", state(&st, c.days_left(now), 0, true), c.common_name, c.days_left(now), c.sha1, st.dim(&format!("intermediate{generation}{unused}")));
        }
        for u in scan.unavailable.iter().chain(&scan.unreadable) {
            eprintln!("{}: {}", u.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| u.item.clone()), u.message);
        }
        println!("{} identities, {} intermediates", scan.identities.len(), scan.intermediates.len());
    }
    let broken = !scan.unreadable.is_empty() || (scan.identities.is_empty() && !scan.unavailable.is_empty());
    Ok(ExitCode::from(if broken { EXIT_FAILED } else { EXIT_OK }))
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
                println!("{}  {}  ({why})", p.name, p.path.display());
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
                println!("{}", p.display());
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
    if a.json {
        let bad: Vec<_> = bad.iter().map(|(p, m)| serde_json::json!({"path": p, "message": m})).collect();
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({"folders": folders, "profiles": profiles, "unreadable": bad}))?);
    } else {
        let st = Style::stdout();
        for p in &profiles {
            let left = p.days_left(now);
            println!(
                "{} {:<40} {:<12} {:<34} {:>5} days  {}",
                state(&st, left, ws.config.signing.profile_expiring_days.unwrap_or(ws.config.signing.expiring_days), true),
                p.name,
                p.kind.label(),
                p.bundle_id.as_deref().unwrap_or("-"),
                left,
                st.dim(&p.path.display().to_string())
            );
        }
        for (path, m) in &bad {
            eprintln!("{}: {m}", path.display());
        }
        println!("{} profiles", profiles.len());
    }
    Ok(ExitCode::from(if bad.is_empty() { EXIT_OK } else { EXIT_FAILED }))
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Demo(a) => {
            let ws = a.ws.open()?;
            let out = a.out.unwrap_or_else(|| ws.root.join(".shipdeck/demo-signing"));
            let files = demo::generate(&out, &demo::Demo::default(), time::OffsetDateTime::now_utc())?;
            for f in &files {
                println!("{}", f.display());
            }
            eprintln!("wrote {} demo files to {}", files.len(), out.display());
            Ok(ExitCode::from(EXIT_OK))
        }
    }
}
