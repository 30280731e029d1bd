//! The keychain inventory: which of the items Shipdeck stores are there (never their values),
//! for `shipdeck secrets list` and the app's credentials panels.

use crate::secrets::{self, ASC_ISSUER_ID, ASC_KEY_ID, ASC_PRIVATE_KEY, P12_DEFAULT};
use crate::workspace::Workspace;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// The keychain item's name: asc-key-id, p12, p12:dist.p12.
    pub item: String,
    pub what: String,
    /// `stored`, `not stored` or `unreadable`.
    pub state: &'static str,
    /// Why it could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The `.p12` file a password is for (`None`: the API key's parts, or the default password).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inventory {
    /// The keychain service the items are stored under.
    pub service: String,
    pub api_key: Vec<Item>,
    /// The default `.p12` password, then one item per `.p12` of the workspace's `dir:` sources.
    pub p12: Vec<Item>,
    /// Where a release takes its API key from, in a sentence.
    pub source: String,
}

impl Inventory {
    /// Every item, the API key's first.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.api_key.iter().chain(&self.p12)
    }

    /// Whether some item could not be read (the CLI exits 1).
    pub fn unreadable(&self) -> bool {
        self.items().any(|i| i.state == "unreadable")
    }
}

fn item(name: &str, what: String, file: Option<String>, is_stored: &dyn Fn(&str) -> Result<bool, secrets::SecretError>) -> Item {
    match is_stored(name) {
        Ok(stored) => Item { item: name.into(), what, state: if stored { "stored" } else { "not stored" }, message: None, file },
        Err(e) => Item { item: name.into(), what, state: "unreadable", message: Some(e.message), file },
    }
}

/// What is stored, asking the keychain through `is_stored` (tests hand in their own).
pub fn inventory_with(ws: Option<&Workspace>, env_key: bool, is_stored: &dyn Fn(&str) -> Result<bool, secrets::SecretError>) -> Inventory {
    let api_key = vec![
        item(ASC_KEY_ID, "App Store Connect API key id".into(), None, is_stored),
        item(ASC_ISSUER_ID, "App Store Connect issuer id".into(), None, is_stored),
        item(ASC_PRIVATE_KEY, "App Store Connect .p8 private key".into(), None, is_stored),
    ];
    let mut p12 = vec![item(P12_DEFAULT, "password tried for every .p12 without its own".into(), None, is_stored)];
    for (name, path) in ws.map(secrets::p12_files).unwrap_or_default() {
        let shown = ws.map(|w| w.display_path(&path)).unwrap_or_else(|| path.display().to_string());
        p12.push(item(&secrets::p12_item(&name), format!("password of {shown}"), Some(name), is_stored));
    }
    let stored = api_key.iter().all(|i| i.state == "stored");
    let source = match (env_key, stored) {
        (true, _) => "Releases use the API key from the environment (APP_STORE_CONNECT_*).",
        (false, true) => "Releases use the API key stored in the keychain.",
        (false, false) => "No API key yet: a dry-run lists it as what a real run needs.",
    };
    Inventory { service: secrets::service(), api_key, p12, source: source.to_string() }
}

/// What is stored in the system's keychain, with the workspace's `.p12` files when one is open.
pub fn inventory(ws: Option<&Workspace>) -> Inventory {
    // The environment wins when it holds a whole key (`Credentials::resolve`).
    let env = crate::appstore::Credentials::from_env();
    let env_key = env.key_id.is_some() && env.issuer_id.is_some() && env.private_key.is_some();
    inventory_with(ws, env_key, &secrets::is_stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inventory_names_every_item_and_says_where_the_key_comes_from() {
        let stored = |i: &str| -> Result<bool, secrets::SecretError> {
            match i {
                "asc-key-id" | "asc-issuer-id" | "asc-private-key" => Ok(true),
                "p12" => Err(secrets::SecretError { item: i.into(), message: "the keychain is locked".into() }),
                _ => Ok(false),
            }
        };
        let v = inventory_with(None, false, &stored);
        assert_eq!(v.api_key.iter().map(|i| i.state).collect::<Vec<_>>(), ["stored"; 3]);
        assert_eq!(v.source, "Releases use the API key stored in the keychain.");
        assert_eq!((v.p12[0].item.as_str(), v.p12[0].state, v.p12[0].message.as_deref()), ("p12", "unreadable", Some("the keychain is locked")));
        assert!(v.unreadable());
        let v = inventory_with(None, true, &|_| Ok(false));
        assert_eq!(v.source, "Releases use the API key from the environment (APP_STORE_CONNECT_*).");
        assert!(!v.unreadable());
        assert_eq!(v.items().count(), 4);
    }
}
