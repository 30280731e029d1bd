//! Secrets kept in the system's credential store through `keyring`: the macOS Keychain on a
//! Mac (service "Shipdeck"), the kernel's key retention service (keyutils) on Linux. Values
//! are read when a scan or a release needs them and are never printed, logged or put on a
//! command line; only whether an item is stored is ever shown.
//!
//! Items (accounts under the service):
//! - `asc-key-id`, `asc-issuer-id`, `asc-private-key`: the App Store Connect API key (the
//!   `.p8` file's text);
//! - `p12:FILE`: the password of one `.p12` file of a `dir:` identity source (by file name),
//!   and `p12`: the password tried for every `.p12` that has none of its own.
//!
//! `SHIPDECK_KEYRING_SERVICE` changes the service name (tests use their own).

use std::fmt;
use std::path::{Path, PathBuf};

pub const ASC_KEY_ID: &str = "asc-key-id";
pub const ASC_ISSUER_ID: &str = "asc-issuer-id";
pub const ASC_PRIVATE_KEY: &str = "asc-private-key";
pub const P12_DEFAULT: &str = "p12";

/// The items the CLI and the app know how to store.
pub fn is_known_item(item: &str) -> bool {
    matches!(item, ASC_KEY_ID | ASC_ISSUER_ID | ASC_PRIVATE_KEY | P12_DEFAULT) || item.strip_prefix("p12:").is_some_and(|f| !f.is_empty() && !f.contains('/'))
}

/// The keychain item holding one `.p12` file's password.
pub fn p12_item(file_name: &str) -> String {
    format!("p12:{file_name}")
}

pub fn service() -> String {
    std::env::var("SHIPDECK_KEYRING_SERVICE").ok().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "Shipdeck".to_string())
}

/// Why the credential store could not be used; the message names the item and never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretError {
    pub item: String,
    pub message: String,
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "keychain item \"{}\" (service \"{}\"): {}", self.item, service(), self.message)
    }
}

impl std::error::Error for SecretError {}

impl From<SecretError> for crate::Error {
    fn from(e: SecretError) -> Self {
        crate::Error::Keychain(e.to_string())
    }
}

fn entry(item: &str) -> Result<keyring::Entry, SecretError> {
    if !is_known_item(item) {
        return Err(SecretError { item: item.into(), message: "not an item Shipdeck stores (asc-key-id, asc-issuer-id, asc-private-key, p12 or p12:FILE)".into() });
    }
    keyring::Entry::new(&service(), item).map_err(|e| err(item, e))
}

fn err(item: &str, e: keyring::Error) -> SecretError {
    let message = match e {
        keyring::Error::NoStorageAccess(inner) => format!("the credential store refused access ({inner})"),
        keyring::Error::PlatformFailure(inner) => format!("the credential store failed ({inner})"),
        keyring::Error::BadEncoding(_) => "the stored value is not UTF-8 text".to_string(),
        keyring::Error::TooLong(what, max) => format!("the {what} is longer than the store allows ({max})"),
        keyring::Error::Invalid(what, why) => format!("invalid {what}: {why}"),
        keyring::Error::Ambiguous(_) => "more than one credential matches".to_string(),
        other => other.to_string(),
    };
    SecretError { item: item.into(), message }
}

/// The stored value, `None` when nothing is stored under the item.
pub fn get(item: &str) -> Result<Option<String>, SecretError> {
    match entry(item)?.get_password() {
        Ok(v) => Ok(Some(v)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(err(item, e)),
    }
}

/// Whether a value is stored, without returning it.
pub fn is_stored(item: &str) -> Result<bool, SecretError> {
    get(item).map(|v| v.is_some())
}

/// Stores (or replaces) the value. Empty values are refused rather than stored.
pub fn set(item: &str, value: &str) -> Result<(), SecretError> {
    if value.is_empty() {
        return Err(SecretError { item: item.into(), message: "an empty value is not stored".into() });
    }
    let e = entry(item)?;
    match e.set_password(value) {
        Ok(()) => Ok(()),
        // keyutils answers a refused write (e.g. a session keyring owned by someone else) as NoEntry.
        Err(keyring::Error::NoEntry) => Err(SecretError { item: item.into(), message: "the credential store refused to store it (no writable keyring in this session)".into() }),
        Err(e) => Err(err(item, e)),
    }
}

/// Removes the item; `false` when nothing was stored.
pub fn delete(item: &str) -> Result<bool, SecretError> {
    match entry(item)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(err(item, e)),
    }
}

/// The .p12 files of the workspace's `dir:` sources, by file name, with their paths.
pub fn p12_files(ws: &crate::Workspace) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for s in &ws.config.signing.sources {
        let Some(dir) = s.strip_prefix("dir:") else { continue };
        let Ok(entries) = std::fs::read_dir(ws.path(Path::new(dir))) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("").to_ascii_lowercase();
            if ext == "p12" || ext == "pfx" {
                out.push((e.file_name().to_string_lossy().into_owned(), p));
            }
        }
    }
    out.sort();
    out
}

/// Checks a value before it is stored, so a typo is caught now rather than mid-release.
pub fn validate(item: &str, value: &str, ws: Option<&crate::Workspace>) -> crate::Result<()> {
    let invalid = |why: String| crate::Error::Invalid(why);
    match item {
        ASC_KEY_ID if !value.chars().all(|c| c.is_ascii_alphanumeric()) => Err(invalid("an API key id is letters and digits (e.g. ABC123DEFG)".into())),
        ASC_ISSUER_ID if !crate::text::is_uuid(value) => Err(invalid("an issuer id is a UUID (App Store Connect, Users and Access, Integrations)".into())),
        ASC_PRIVATE_KEY => jsonwebtoken::EncodingKey::from_ec_pem(value.as_bytes()).map(|_| ()).map_err(|_| invalid("not an App Store Connect .p8 key (a PEM \"PRIVATE KEY\" for ES256)".into())),
        _ => {
            let Some(file) = item.strip_prefix("p12:") else { return Ok(()) };
            let Some(w) = ws else { return Ok(()) };
            let Some((_, path)) = p12_files(w).into_iter().find(|(n, _)| n == file) else { return Ok(()) };
            let bytes = std::fs::read(&path).map_err(|e| crate::Error::io(&path, &e))?;
            p12_keystore::KeyStore::from_pkcs12(&bytes, value, p12_keystore::Pkcs12ImportPolicy::Relaxed)
                .map(|_| ())
                .map_err(|_| invalid(format!("{} does not open with this password", path.display())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_items_are_accepted() {
        for ok in [ASC_KEY_ID, ASC_ISSUER_ID, ASC_PRIVATE_KEY, P12_DEFAULT, "p12:dist.p12"] {
            assert!(is_known_item(ok), "{ok}");
        }
        for bad in ["", "p12:", "p12:../x.p12", "password", "asc"] {
            assert!(!is_known_item(bad), "{bad}");
        }
        let e = get("password").unwrap_err();
        assert!(e.to_string().contains("\"password\"") && e.to_string().contains("not an item"), "{e}");
    }

    #[test]
    fn empty_values_are_refused_before_the_store_is_touched() {
        let e = set(P12_DEFAULT, "").unwrap_err();
        assert_eq!(e.message, "an empty value is not stored");
    }
}
