//! `shipdeck`: the command-line face of the engine, for terminals and CI.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cli;

#[derive(Parser)]
#[command(name = "shipdeck", version, about = "The release desk for Apple-platform apps", propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check that the workspace can ship: every finding, worst first
    Check(cli::check::Args),
    /// Write the discovered workspace configuration to shipdeck.toml
    Init(cli::init::Args),
    /// Make a finding's fix (as the app's fix button does): the diff, then the files written
    Fix(cli::fix::Args),
    /// Make the Xcode project a spec describes (XcodeGen, Tuist); --undo moves it aside again
    Generate(cli::generate::Args),
    /// Read and edit .xcconfig files without losing a byte
    #[command(subcommand)]
    Xcconfig(cli::xcconfig::Command),
    /// Read and edit an Xcode project's configurations without losing a byte
    #[command(subcommand)]
    Project(cli::project::Command),
    /// CloudKit: container alignment, schema diff, deploy
    #[command(subcommand)]
    Cloudkit(cli::cloudkit::Command),
    /// Code-signing identities (certificate + private key) and their health
    Identities(cli::signing::IdentitiesArgs),
    /// Provisioning profiles in Xcode's folders and the workspace's
    Profiles(cli::signing::ProfilesArgs),
    /// What signs each target (status), and a demo signing set for the sample workspace
    #[command(subcommand)]
    Signing(cli::signing::Command),
    /// Archive, export and upload; --dry-run checks the whole path and changes nothing
    Release(cli::release::Args),
    /// The App Store Connect API key and .p12 passwords, kept in the keychain
    #[command(subcommand)]
    Secrets(cli::secrets::Command),
    /// Past releases and dry-runs
    Runs(cli::release::RunsArgs),
    /// What a screen of the app shows, as JSON (signing, credentials, project, settings, cloudkit)
    Show(cli::show::Args),
    /// Continuous integration: generate the GitHub Actions workflow
    #[command(subcommand)]
    Ci(cli::ci::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `shipdeck check | head` closed the pipe and the next line panicked ("failed printing to
    // stdout"). A command that only reads ends quietly instead, as Unix tools do. Not a release
    // or a CloudKit deploy: those must finish what they started (their tools in their own
    // process groups), so they keep Rust's default and drop what cannot be printed (`say!`).
    #[cfg(unix)]
    if !matches!(cli.command, Command::Release(_) | Command::Cloudkit(_) | Command::Secrets(_)) {
        // SAFETY: setting a signal's disposition to the default at start, before any thread.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let result = match cli.command {
        Command::Check(args) => cli::check::run(args),
        Command::Init(args) => cli::init::run(args),
        Command::Fix(args) => cli::fix::run(args),
        Command::Generate(args) => cli::generate::run(args),
        Command::Ci(cmd) => cli::ci::run(cmd),
        Command::Xcconfig(cmd) => cli::xcconfig::run(cmd),
        Command::Project(cmd) => cli::project::run(cmd),
        Command::Cloudkit(cmd) => cli::cloudkit::run(cmd),
        Command::Identities(a) => cli::signing::identities(a),
        Command::Release(a) => cli::release::run(a),
        Command::Runs(a) => cli::release::runs(a),
        Command::Secrets(cmd) => cli::secrets::run(cmd),
        Command::Profiles(a) => cli::signing::profiles(a),
        Command::Signing(cmd) => cli::signing::run(cmd),
        Command::Show(a) => cli::show::run(a),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("shipdeck: error: {err:#}");
            ExitCode::from(cli::EXIT_USAGE)
        }
    }
}
