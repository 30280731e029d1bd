//! The App Store Connect API credentials: from the environment (CI) or the keychain, resolved
//! the same way for the CLI, the app and the checks.

/// App Store Connect API credentials, from the environment (CI) or the app's keychain.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub key_id: Option<String>,
    pub issuer_id: Option<String>,
    /// The `.p8` key's PEM text.
    pub private_key: Option<String>,
    /// Or an Apple ID (`SHIPDECK_APPLE_ID`) for altool...
    pub apple_id: Option<String>,
    /// ...with its app-specific password given by reference (`SHIPDECK_APPLE_ID_PASSWORD_REF`:
    /// `@keychain:ITEM` or `@env:VAR`), so no password is ever on a command line.
    pub password_ref: Option<String>,
    /// Where the API key came from ("the environment", "the keychain"), for the user.
    pub key_source: Option<&'static str>,
    /// Why the key named in the environment could not be read.
    pub key_error: Option<String>,
}

impl Credentials {
    /// `APP_STORE_CONNECT_KEY_ID`, `APP_STORE_CONNECT_ISSUER_ID`, and
    /// `APP_STORE_CONNECT_PRIVATE_KEY` (the key) or `APP_STORE_CONNECT_PRIVATE_KEY_PATH`.
    pub fn from_env() -> Credentials {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let mut key_error = None;
        let private_key = var("APP_STORE_CONNECT_PRIVATE_KEY").or_else(|| {
            let path = var("APP_STORE_CONNECT_PRIVATE_KEY_PATH")?;
            std::fs::read_to_string(&path).map_err(|e| key_error = Some(format!("APP_STORE_CONNECT_PRIVATE_KEY_PATH names {path}, which cannot be read: {e}"))).ok()
        });
        let key_id = var("APP_STORE_CONNECT_KEY_ID");
        let key_source = (key_id.is_some() || private_key.is_some()).then_some("the environment");
        Credentials {
            key_source,
            key_error,
            key_id,
            issuer_id: var("APP_STORE_CONNECT_ISSUER_ID"),
            private_key,
            apple_id: var("SHIPDECK_APPLE_ID"),
            password_ref: var("SHIPDECK_APPLE_ID_PASSWORD_REF"),
        }
    }

    /// The App Store Connect API key stored in the keychain (`shipdeck secrets set asc-*`, or
    /// the app's Release screen). Items that are not stored stay `None`.
    pub fn from_keychain() -> Result<Credentials, crate::secrets::SecretError> {
        use crate::secrets::{get, ASC_ISSUER_ID, ASC_KEY_ID, ASC_PRIVATE_KEY};
        let nonblank = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        let mut c = Credentials { key_id: nonblank(get(ASC_KEY_ID)?), issuer_id: nonblank(get(ASC_ISSUER_ID)?), private_key: nonblank(get(ASC_PRIVATE_KEY)?), ..Default::default() };
        if c.key_id.is_some() || c.private_key.is_some() {
            c.key_source = Some("the keychain");
        }
        Ok(c)
    }

    /// Fills what `self` lacks from `other`, field by field. The API key's three parts are
    /// taken together from one source, so a key id is never paired with another key's .p8.
    pub fn or(self, other: Credentials) -> Credentials {
        let complete = |c: &Credentials| c.key_id.is_some() && c.issuer_id.is_some() && c.private_key.is_some();
        let any = |c: &Credentials| c.key_id.is_some() || c.issuer_id.is_some() || c.private_key.is_some();
        let (key_id, issuer_id, private_key, key_source, key_error) = if complete(&self) || (any(&self) && !complete(&other)) {
            (self.key_id, self.issuer_id, self.private_key, self.key_source, self.key_error.or(other.key_error))
        } else {
            (other.key_id, other.issuer_id, other.private_key, other.key_source, other.key_error.or(self.key_error))
        };
        Credentials { key_id, issuer_id, private_key, key_source, key_error, apple_id: self.apple_id.or(other.apple_id), password_ref: self.password_ref.or(other.password_ref) }
    }

    /// What a release and the checks use, for the CLI and the app alike: the environment first
    /// (CI sets it); the keychain is read only when the environment lacks a whole API key, so a
    /// run with its key in the environment never makes macOS ask for the keychain. The
    /// second value says why the keychain could not be read, when it was needed.
    pub fn resolve() -> (Credentials, Option<String>) {
        Credentials::resolve_with(Credentials::from_env(), || Ok(Credentials::from_keychain()?))
    }

    /// [`Credentials::resolve`] with its two sources given: `keychain` is called only when `env`
    /// lacks a whole API key.
    pub fn resolve_with(env: Credentials, keychain: impl FnOnce() -> crate::Result<Credentials>) -> (Credentials, Option<String>) {
        if env.key_id.is_some() && env.issuer_id.is_some() && env.private_key.is_some() {
            return (env, None);
        }
        match keychain() {
            Ok(k) => (env.or(k), None),
            Err(e) => (env, Some(e.to_string())),
        }
    }

    /// The CLI's credentials: [`Credentials::resolve`].
    pub fn for_cli() -> (Credentials, Option<String>) {
        Credentials::resolve()
    }

    /// The app's credentials: the same as the CLI's ([`Credentials::resolve`]).
    pub fn for_app() -> (Credentials, Option<String>) {
        Credentials::resolve()
    }

    /// An Apple ID with a password reference altool resolves itself.
    pub fn apple_id_login(&self) -> Option<(&str, &str)> {
        let r = self.password_ref.as_deref()?;
        (r.starts_with("@keychain:") || r.starts_with("@env:")).then_some(())?;
        Some((self.apple_id.as_deref()?, r))
    }

    /// What the upload lacks: an API key, or an Apple ID with a password reference.
    pub fn upload_missing(&self) -> Vec<String> {
        if self.missing().is_empty() || self.apple_id_login().is_some() {
            return vec![];
        }
        let mut v = self.missing();
        match &self.password_ref {
            Some(r) if !r.starts_with("@keychain:") && !r.starts_with("@env:") => {
                v.push("SHIPDECK_APPLE_ID_PASSWORD_REF as @keychain:ITEM or @env:VAR (a password is never put on the command line)".into())
            }
            _ => v.push("an Apple ID (SHIPDECK_APPLE_ID) with an app-specific password reference (SHIPDECK_APPLE_ID_PASSWORD_REF=@keychain:ITEM or @env:VAR), in place of the API key".into()),
        }
        v
    }

    pub fn missing(&self) -> Vec<String> {
        let mut v = Vec::new();
        if self.key_id.is_none() {
            v.push("an App Store Connect API key id (APP_STORE_CONNECT_KEY_ID)".to_string());
        }
        if self.issuer_id.is_none() {
            v.push("its issuer id (APP_STORE_CONNECT_ISSUER_ID)".to_string());
        }
        if let (None, Some(why)) = (&self.private_key, &self.key_error) {
            v.push(why.clone());
        } else if self.private_key.is_none() {
            v.push("the .p8 private key (APP_STORE_CONNECT_PRIVATE_KEY or APP_STORE_CONNECT_PRIVATE_KEY_PATH, or `shipdeck secrets set asc-private-key --from-file AuthKey_ID.p8`)".to_string());
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::Credentials;

    fn key(id: Option<&str>, issuer: Option<&str>, pem: Option<&str>) -> Credentials {
        Credentials { key_id: id.map(Into::into), issuer_id: issuer.map(Into::into), private_key: pem.map(Into::into), ..Default::default() }
    }

    #[test]
    fn the_api_key_comes_whole_from_one_source() {
        // A complete key in the first source wins.
        let c = key(Some("A"), Some("IA"), Some("PA")).or(key(Some("B"), Some("IB"), Some("PB")));
        assert_eq!((c.key_id.as_deref(), c.private_key.as_deref()), (Some("A"), Some("PA")));
        // A partial first source gives way to a complete second one instead of mixing them.
        let c = key(Some("A"), None, None).or(key(Some("B"), Some("IB"), Some("PB")));
        assert_eq!((c.key_id.as_deref(), c.issuer_id.as_deref(), c.private_key.as_deref()), (Some("B"), Some("IB"), Some("PB")));
        // Two partial sources: the first is kept, and what it lacks is reported as missing.
        let c = key(Some("A"), None, None).or(key(None, Some("IB"), None));
        assert_eq!((c.key_id.as_deref(), c.issuer_id.as_deref()), (Some("A"), None));
        assert_eq!(c.missing().len(), 2);
        // Nothing first: the second source is used.
        let mut second = key(Some("B"), Some("IB"), Some("PB"));
        second.key_source = Some("the keychain");
        let c = key(None, None, None).or(second);
        assert!(c.missing().is_empty());
        assert_eq!(c.key_source, Some("the keychain"), "the source goes with the key");
        // The Apple ID fields fill independently.
        let mut first = key(None, None, None);
        first.apple_id = Some("dev@example.com".into());
        let mut second = key(None, None, None);
        second.password_ref = Some("@keychain:ASP".into());
        let c = first.or(second);
        assert_eq!((c.apple_id.as_deref(), c.password_ref.as_deref()), (Some("dev@example.com"), Some("@keychain:ASP")));
    }

    #[test]
    fn the_keychain_is_read_only_when_the_environment_lacks_the_key() {
        let whole = key(Some("ABC123DEF4"), Some("69a6de70-03db-47e3-e053-5b8c7c11a4d1"), Some("-----BEGIN PRIVATE KEY-----"));
        let (c, note) = Credentials::resolve_with(whole, || panic!("the keychain was read although the environment has the whole key"));
        assert_eq!((c.key_id.as_deref(), note), (Some("ABC123DEF4"), None));
        let mut asked = 0;
        let (c, _) = Credentials::resolve_with(key(Some("ABC123DEF4"), None, None), || {
            asked += 1;
            Ok(key(Some("KEYCHAIN01"), Some("11111111-2222-3333-4444-555555555555"), Some("-----BEGIN PRIVATE KEY-----")))
        });
        assert_eq!(asked, 1);
        assert_eq!(c.key_id.as_deref(), Some("KEYCHAIN01"), "the key's parts come together from one source");
        let (c, note) = Credentials::resolve_with(Credentials::default(), || Err(crate::Error::Keychain("the keychain is locked".into())));
        assert_eq!((c.key_id, note.as_deref()), (None, Some("the keychain is locked")));
    }
}
