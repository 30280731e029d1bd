//! The app's credentials in the keychain (through the engine's `secrets`, i.e. `keyring`):
//! the App Store Connect API key the release uses, and the passwords of `.p12` files in the
//! workspace's `dir:` identity sources. Values go in and are never sent back to the window:
//! the window only learns whether each item is stored.

use crate::error::IpcError;
use serde::Serialize;
use shipdeck::secrets::{self, ASC_ISSUER_ID, ASC_KEY_ID, ASC_PRIVATE_KEY};
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize)]
pub struct Item {
    pub item: String,
    pub what: String,
    /// `stored`, `not stored` or `unreadable`.
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CredentialsView {
    pub service: String,
    pub api_key: Vec<Item>,
    pub p12: Vec<Item>,
    /// Where a release takes its API key from, in a sentence.
    pub source: String,
}

fn item(item: &str, what: String) -> Item {
    match secrets::is_stored(item) {
        Ok(stored) => Item { item: item.into(), what, state: if stored { "stored" } else { "not stored" }.into(), message: None },
        Err(e) => Item { item: item.into(), what, state: "unreadable".into(), message: Some(e.to_string()) },
    }
}

/// What is stored, for the open workspace's `.p12` files too.
pub fn view(path: Option<&Path>) -> CredentialsView {
    let api_key = vec![item(ASC_KEY_ID, "API key id".into()), item(ASC_ISSUER_ID, "Issuer id".into()), item(ASC_PRIVATE_KEY, "Private key (.p8)".into())];
    let ws = path.and_then(|p| shipdeck::Workspace::open(p).ok());
    let p12 = ws.as_ref().map(secrets::p12_files).unwrap_or_default().into_iter().map(|(name, p)| item(&secrets::p12_item(&name), p.display().to_string())).collect();
    let stored = api_key.iter().all(|i| i.state == "stored");
    let env = std::env::var_os("APP_STORE_CONNECT_KEY_ID").is_some();
    let source = match (stored, env) {
        (true, _) => "Releases use the API key stored in the keychain.".to_string(),
        (false, true) => "Releases use the API key from the environment (APP_STORE_CONNECT_*).".to_string(),
        (false, false) => "No API key yet: a dry-run lists it as what a real run needs.".to_string(),
    };
    CredentialsView { service: secrets::service(), api_key, p12, source }
}

#[tauri::command(async)]
pub fn credentials_view(path: Option<PathBuf>) -> CredentialsView {
    view(path.as_deref())
}

fn invalid(item: &str, why: String) -> IpcError {
    IpcError::new("invalid", format!("{item}: {why}; nothing stored"))
}

fn store_error(e: secrets::SecretError) -> IpcError {
    IpcError::new("keychain", e.to_string())
}

/// Stores the three parts of an App Store Connect API key, all or none: each is checked first,
/// and a failure part-way puts back what was there before.
pub fn store_api_key(key_id: &str, issuer_id: &str, private_key_path: &Path) -> Result<(), IpcError> {
    let key_id = key_id.trim();
    let issuer_id = issuer_id.trim();
    let pem = std::fs::read_to_string(private_key_path).map_err(|e| IpcError::new("io", format!("{}: {e}", private_key_path.display())))?;
    let pem = pem.trim();
    for (item, value) in [(ASC_KEY_ID, key_id), (ASC_ISSUER_ID, issuer_id), (ASC_PRIVATE_KEY, pem)] {
        if value.is_empty() {
            return Err(invalid(item, "empty".into()));
        }
        secrets::validate(item, value, None).map_err(|why| invalid(item, why))?;
    }
    let before: Vec<(&str, Option<String>)> = [ASC_KEY_ID, ASC_ISSUER_ID, ASC_PRIVATE_KEY].into_iter().map(|i| (i, secrets::get(i).ok().flatten())).collect();
    for (item, value) in [(ASC_KEY_ID, key_id), (ASC_ISSUER_ID, issuer_id), (ASC_PRIVATE_KEY, pem)] {
        if let Err(e) = secrets::set(item, value) {
            for (i, old) in &before {
                let _ = match old {
                    Some(v) => secrets::set(i, v),
                    None => secrets::delete(i).map(|_| ()),
                };
            }
            return Err(store_error(e));
        }
    }
    Ok(())
}

#[tauri::command(async)]
pub fn credentials_store_api_key(key_id: String, issuer_id: String, private_key_path: PathBuf, path: Option<PathBuf>) -> Result<CredentialsView, IpcError> {
    // A path typed as ~/Downloads/AuthKey_….p8 means the home folder, as in a shell.
    let private_key_path = match (private_key_path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => private_key_path,
    };
    store_api_key(&key_id, &issuer_id, &private_key_path)?;
    Ok(view(path.as_deref()))
}

/// Stores a `.p12` file's password after checking that it opens the file.
#[tauri::command(async)]
pub fn credentials_store_p12(path: PathBuf, file: String, password: String) -> Result<CredentialsView, IpcError> {
    let ws = shipdeck::Workspace::open(&path)?;
    let item = secrets::p12_item(&file);
    if !secrets::p12_files(&ws).iter().any(|(n, _)| *n == file) {
        return Err(IpcError::new("invalid", format!("{file} is not a .p12 of this workspace's dir: identity sources")));
    }
    if password.is_empty() {
        return Err(invalid(&item, "empty".into()));
    }
    secrets::validate(&item, &password, Some(&ws)).map_err(|why| invalid(&item, why))?;
    secrets::set(&item, &password).map_err(store_error)?;
    Ok(view(Some(&path)))
}

#[tauri::command(async)]
pub fn credentials_forget(item: String, path: Option<PathBuf>) -> Result<CredentialsView, IpcError> {
    // The API key is forgotten whole, like it is stored.
    let items: Vec<String> = if item == "asc" { vec![ASC_KEY_ID.into(), ASC_ISSUER_ID.into(), ASC_PRIVATE_KEY.into()] } else { vec![item] };
    for i in &items {
        if !secrets::is_known_item(i) {
            return Err(IpcError::new("invalid", format!("\"{i}\" is not an item Shipdeck stores")));
        }
        secrets::delete(i).map_err(store_error)?;
    }
    Ok(view(path.as_deref()))
}
