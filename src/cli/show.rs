//! `shipdeck show SCREEN`: what a screen of the app shows, as the JSON the window receives
//! (the engine's views), for scripts and for comparing the two faces.

use super::{WorkspaceArg, EXIT_OK, EXIT_USAGE};
use shipdeck::view;
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Screen {
    /// Identities, profiles and what signs each target
    Signing,
    /// Which keychain items are stored (never their values)
    Credentials,
    /// Each shipping project's configuration lists
    Project,
    /// A shipping target's effective build settings (--platform)
    Settings,
    /// The container everywhere it is named, and the schema diff
    Cloudkit,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    pub screen: Screen,
    #[command(flatten)]
    pub ws: WorkspaceArg,
    /// The target's platform for `settings` (ios, macos, ...); default: the first shipping target's
    #[arg(long)]
    pub platform: Option<String>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let ws = a.ws.open()?;
    let json = match a.screen {
        Screen::Signing => serde_json::to_value(view::signing::health(&ws, shipdeck::signing::now()))?,
        Screen::Credentials => serde_json::to_value(view::secrets::inventory(Some(&ws)))?,
        Screen::Project => serde_json::to_value(view::project::projects(&ws)?)?,
        Screen::Settings => {
            let Some(platform) = a.platform.clone().or_else(|| ws.config.targets.first().map(|t| t.platform.as_str().to_string())) else {
                eprintln!("shipdeck: error: {} has no shipping target", ws.root.display());
                return Ok(ExitCode::from(EXIT_USAGE));
            };
            serde_json::to_value(view::settings::settings(&ws, &platform)?)?
        }
        Screen::Cloudkit => serde_json::to_value(view::cloudkit::cloudkit(&ws)?)?,
    };
    say!("{}", serde_json::to_string_pretty(&json)?);
    Ok(ExitCode::from(EXIT_OK))
}
