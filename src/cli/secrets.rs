//! `shipdeck secrets`: the App Store Connect API key and .p12 passwords in the keychain.
//! Values are read from a file or from standard input (a prompt without echo on a terminal),
//! never from the command line, and are never printed.

use super::{output::Style, WorkspaceArg, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use shipdeck::secrets;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// What is stored (never the values): the API key's items and the .p12 passwords
    List {
        #[command(flatten)]
        ws: WorkspaceArg,
        #[arg(long)]
        json: bool,
    },
    /// Store an item: asc-key-id, asc-issuer-id, asc-private-key, p12 or p12:FILE.
    /// The value is read from --from-file or standard input, never from the command line.
    Set {
        item: String,
        /// Read the value from this file (e.g. AuthKey_ABC123DEFG.p8)
        #[arg(long, value_name = "PATH")]
        from_file: Option<PathBuf>,
        /// Checks a p12:FILE password against that file in the workspace's dir: sources
        #[command(flatten)]
        ws: WorkspaceArg,
    },
    /// Remove an item
    Delete { item: String },
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::List { ws, json } => list(&ws, json),
        Command::Set { item, from_file, ws } => set(&item, from_file.as_deref(), &ws),
        Command::Delete { item } => {
            if !secrets::is_known_item(&item) {
                return usage(&item);
            }
            let removed = secrets::delete(&item)?;
            say!("{}", if removed { format!("removed {item}") } else { format!("{item} was not stored") });
            Ok(ExitCode::from(EXIT_OK))
        }
    }
}

fn usage(item: &str) -> anyhow::Result<ExitCode> {
    eprintln!("shipdeck: error: \"{item}\" is not an item Shipdeck stores: use asc-key-id, asc-issuer-id, asc-private-key, p12 or p12:FILE");
    Ok(ExitCode::from(EXIT_USAGE))
}

fn list(ws: &WorkspaceArg, json: bool) -> anyhow::Result<ExitCode> {
    // The engine's inventory: the same items, states and words as the app's credentials panels.
    let ws = ws.open().ok();
    let v = shipdeck::view::secrets::inventory(ws.as_ref());
    if json {
        say!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        let st = Style::stdout();
        say!("keychain service \"{}\"", v.service);
        for i in v.items() {
            let padded = format!("{:<10}", i.state);
            let mark = match i.state {
                "stored" => st.paint("32", &padded),
                "unreadable" => st.paint("31", &padded),
                _ => st.dim(&padded),
            };
            let why = i.message.as_ref().map(|m| format!(" ({m})")).unwrap_or_default();
            say!("  {:<24} {mark}  {}{why}", i.item, i.what);
        }
        say!("{}", v.source);
    }
    Ok(ExitCode::from(if v.unreadable() { EXIT_FAILED } else { EXIT_OK }))
}

fn read_value(item: &str, from_file: Option<&Path>) -> anyhow::Result<String> {
    if let Some(p) = from_file {
        let text = std::fs::read_to_string(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
        return Ok(text.trim().to_string());
    }
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(format!("{item}: "))?.trim_end_matches(['\r', '\n']).to_string());
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    // A password is the first line as typed; a key keeps all its lines.
    Ok(if item == secrets::ASC_PRIVATE_KEY { text.trim().to_string() } else { text.lines().next().unwrap_or("").to_string() })
}

fn set(item: &str, from_file: Option<&Path>, ws: &WorkspaceArg) -> anyhow::Result<ExitCode> {
    if !secrets::is_known_item(item) {
        return usage(item);
    }
    let value = read_value(item, from_file)?;
    if value.is_empty() {
        eprintln!("shipdeck: error: {item}: no value given (pipe it in, or use --from-file); nothing stored");
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    if let Err(why) = secrets::validate(item, &value, ws.open().ok().as_ref()) {
        eprintln!("shipdeck: error: {item}: {why}; nothing stored");
        return Ok(ExitCode::from(EXIT_FAILED));
    }
    secrets::set(item, &value)?;
    say!("stored {item} in the keychain (service \"{}\")", secrets::service());
    Ok(ExitCode::from(EXIT_OK))
}
