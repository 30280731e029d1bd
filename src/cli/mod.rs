//! One module per command. Each exposes `Args` (clap) and `run(Args) -> Result<ExitCode>`.

/// `println!` for the commands that must finish what they started (a release, a CloudKit
/// deploy): a reader that went away (`| head`) is not a reason to stop half-way, so a closed
/// output pipe is ignored instead of panicking in the middle of the run. The read-only commands
/// end quietly on it instead (main.rs).
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

pub mod check;
pub mod ci;
pub mod cloudkit;
pub mod fix;
pub mod generate;
pub mod init;
pub mod output;
pub mod project;
pub mod release;
pub mod secrets;
pub mod show;
pub mod signing;
pub mod xcconfig;

use std::path::PathBuf;

/// 0 ok, 1 blockers found or a step failed, 2 bad usage or unreadable input.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// `--workspace DIR`, shared by every command that works on a workspace.
#[derive(clap::Args, Debug, Clone)]
pub struct WorkspaceArg {
    /// The workspace folder (default: the current folder)
    #[arg(long, short = 'w', value_name = "DIR", env = "SHIPDECK_WORKSPACE")]
    pub workspace: Option<PathBuf>,
}

impl WorkspaceArg {
    pub fn open(&self) -> anyhow::Result<shipdeck::Workspace> {
        let dir = self.workspace.clone().unwrap_or_else(|| PathBuf::from("."));
        Ok(shipdeck::Workspace::open(&dir)?)
    }
}
