//! The app's credentials in the keychain (through the engine's `secrets`, i.e. `keyring`):
//! the App Store Connect API key the release uses, and the passwords of `.p12` files in the
//! workspace's `dir:` identity sources. Values go in and are never sent back to the window:
//! the window only learns whether each item is stored.

use crate::error::{Code, IpcError};
use shipdeck::secrets::{self, ASC_ISSUER_ID, ASC_KEY_ID, ASC_PRIVATE_KEY};
use shipdeck::view::secrets::Inventory;
use std::path::{Path, PathBuf};

/// What is stored (never the values), for the open workspace's `.p12` files too: the
/// engine's inventory, the same `shipdeck secrets list` prints.
pub fn view(path: Option<&Path>) -> Inventory {
    let ws = path.and_then(|p| shipdeck::Workspace::open(p).ok());
    shipdeck::view::secrets::inventory(ws.as_ref())
}

#[tauri::command(async)]
pub fn credentials_view(path: Option<PathBuf>) -> Inventory {
    view(path.as_deref())
}

fn invalid(item: &str, why: String) -> IpcError {
    IpcError::new(Code::Invalid, format!("{item}: {why}; nothing stored"))
}

fn store_error(e: secrets::SecretError) -> IpcError {
    IpcError::new(Code::Keychain, e.to_string())
}

/// Stores the three parts of an App Store Connect API key, all or none: each is checked first,
/// and a failure part-way puts back what was there before.
pub fn store_api_key(key_id: &str, issuer_id: &str, private_key_path: &Path) -> Result<(), IpcError> {
    let key_id = key_id.trim();
    let issuer_id = issuer_id.trim();
    let pem = std::fs::read_to_string(private_key_path).map_err(|e| IpcError::new(Code::Io, format!("{}: {e}", private_key_path.display())))?;
    let pem = pem.trim();
    for (item, value) in [(ASC_KEY_ID, key_id), (ASC_ISSUER_ID, issuer_id), (ASC_PRIVATE_KEY, pem)] {
        if value.is_empty() {
            return Err(invalid(item, "empty".into()));
        }
        secrets::validate(item, value, None).map_err(|why| invalid(item, why.to_string()))?;
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
pub fn credentials_store_api_key(key_id: String, issuer_id: String, private_key_path: PathBuf, path: Option<PathBuf>) -> Result<Inventory, IpcError> {
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
pub fn credentials_store_p12(path: PathBuf, file: String, password: String) -> Result<Inventory, IpcError> {
    let ws = shipdeck::Workspace::open(&path)?;
    let item = secrets::p12_item(&file);
    if !secrets::p12_files(&ws).iter().any(|(n, _)| *n == file) {
        return Err(IpcError::new(Code::Invalid, format!("{file} is not a .p12 of this workspace's dir: identity sources")));
    }
    if password.is_empty() {
        return Err(invalid(&item, "empty".into()));
    }
    secrets::validate(&item, &password, Some(&ws)).map_err(|why| invalid(&item, why.to_string()))?;
    secrets::set(&item, &password).map_err(store_error)?;
    Ok(view(Some(&path)))
}

#[tauri::command(async)]
pub fn credentials_forget(item: String, path: Option<PathBuf>) -> Result<Inventory, IpcError> {
    // The API key is forgotten whole, like it is stored.
    let items: Vec<String> = if item == "asc" { vec![ASC_KEY_ID.into(), ASC_ISSUER_ID.into(), ASC_PRIVATE_KEY.into()] } else { vec![item] };
    for i in &items {
        if !secrets::is_known_item(i) {
            return Err(IpcError::new(Code::Invalid, format!("\"{i}\" is not an item Shipdeck stores")));
        }
        secrets::delete(i).map_err(store_error)?;
    }
    Ok(view(path.as_deref()))
}
