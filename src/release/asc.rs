//! App Store Connect: the API token (ES256 JWT signed with the `.p8` key) and the build an
//! upload created, found by app, version and build number (never "the newest build") and
//! followed until it is processed. `SHIPDECK_ASC_BASE_URL` points it at a stand-in.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

pub const DEFAULT_BASE_URL: &str = "https://api.appstoreconnect.apple.com";

pub fn base_url() -> String {
    std::env::var("SHIPDECK_ASC_BASE_URL").ok().filter(|s| !s.is_empty()).unwrap_or_else(|| DEFAULT_BASE_URL.to_string())
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
    pub aud: String,
}

/// A token for the App Store Connect API: header `kid`, claims `iss`, `iat`, `aud`, and an
/// expiry well inside Apple's 20-minute limit.
pub fn token(key_id: &str, issuer_id: &str, private_key_pem: &str, now: i64) -> Result<String> {
    let key = jsonwebtoken::EncodingKey::from_ec_pem(private_key_pem.as_bytes())
        .map_err(|_| Error::Other("the App Store Connect private key is not an EC (.p8) key in PEM form".into()))?;
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    header.kid = Some(key_id.to_string());
    header.typ = Some("JWT".into());
    let claims = Claims { iss: issuer_id.to_string(), iat: now, exp: now + 15 * 60, aud: "appstoreconnect-v1".into() };
    jsonwebtoken::encode(&header, &claims, &key).map_err(|e| Error::Other(format!("could not sign the App Store Connect token: {e}")))
}

pub struct Client {
    base: String,
    token: String,
    http: reqwest::blocking::Client,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildStatus {
    pub id: String,
    /// PROCESSING, FAILED, INVALID or VALID.
    pub processing_state: String,
}

impl Client {
    pub fn new(token: String) -> Result<Client> {
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("shipdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Other(format!("HTTP client: {e}")))?;
        Ok(Client { base: base_url(), token, http })
    }

    fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<serde_json::Value> {
        let url = format!("{}{path}", self.base.trim_end_matches('/'));
        let res = self.http.get(&url).bearer_auth(&self.token).query(query).send().map_err(|e| Error::Other(format!("App Store Connect did not answer ({url}): {e}")))?;
        let status = res.status();
        let body: serde_json::Value = res.json().unwrap_or_default();
        if status.as_u16() == 401 {
            return Err(Error::Other("App Store Connect refused the API key (401): check APP_STORE_CONNECT_KEY_ID, APP_STORE_CONNECT_ISSUER_ID and the .p8 key".into()));
        }
        if !status.is_success() {
            let detail = body["errors"][0]["detail"].as_str().or(body["errors"][0]["title"].as_str()).unwrap_or("no detail");
            return Err(Error::Other(format!("App Store Connect answered {status} for {path}: {detail}")));
        }
        Ok(body)
    }

    /// The app's App Store Connect id, by bundle id.
    pub fn app_id(&self, bundle_id: &str) -> Result<String> {
        let body = self.get("/v1/apps", &[("filter[bundleId]", bundle_id), ("limit", "1")])?;
        body["data"][0]["id"].as_str().map(String::from).ok_or_else(|| Error::Other(format!("App Store Connect has no app with bundle id {bundle_id}")))
    }

    /// The build with this version and build number, if Apple lists it yet.
    pub fn build(&self, app_id: &str, version: &str, build: &str) -> Result<Option<BuildStatus>> {
        let body = self.get("/v1/builds", &[("filter[app]", app_id), ("filter[preReleaseVersion.version]", version), ("filter[version]", build), ("limit", "1")])?;
        Ok(body["data"][0]["id"].as_str().map(|id| BuildStatus {
            id: id.to_string(),
            processing_state: body["data"][0]["attributes"]["processingState"].as_str().unwrap_or("UNKNOWN").to_string(),
        }))
    }

    /// The highest build number uploaded for this version (`None` when there is none).
    pub fn highest_build(&self, bundle_id: &str, version: &str) -> Result<Option<String>> {
        let app = self.app_id(bundle_id)?;
        let body = self.get("/v1/builds", &[("filter[app]", app.as_str()), ("filter[preReleaseVersion.version]", version), ("limit", "200")])?;
        let mut numbers: Vec<String> = body["data"].as_array().map(|a| a.iter().filter_map(|b| b["attributes"]["version"].as_str().map(String::from)).collect()).unwrap_or_default();
        numbers.sort_by(|a, b| compare_build_numbers(a, b));
        Ok(numbers.pop())
    }

    /// Polls until the build is processed (VALID) or failed; `say` gets each change of state.
    pub fn wait_processed(&self, bundle_id: &str, version: &str, build: &str, every: Duration, timeout: Duration, say: &mut dyn FnMut(String)) -> Result<BuildStatus> {
        let app = self.app_id(bundle_id)?;
        let start = Instant::now();
        let mut last = String::new();
        loop {
            let now = match self.build(&app, version, build)? {
                None => format!("Apple has not listed build {version} ({build}) yet"),
                Some(b) if matches!(b.processing_state.as_str(), "VALID" | "FAILED" | "INVALID") => {
                    say(format!("build {version} ({build}): {}", b.processing_state));
                    return Ok(b);
                }
                Some(b) => format!("build {version} ({build}): {}", b.processing_state),
            };
            if now != last {
                say(now.clone());
                last = now;
            }
            if start.elapsed() > timeout {
                return Err(Error::Other(format!("still not processed after {} minutes ({last})", timeout.as_secs() / 60)));
            }
            std::thread::sleep(every);
        }
    }
}

/// Compares build numbers the way App Store Connect orders them: dot-separated integers.
pub fn compare_build_numbers(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| s.split('.').map(|p| p.trim().parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    parts(a).cmp(&parts(b))
}

#[cfg(test)]
mod tests {
    #[test]
    fn build_numbers_compare_as_numbers() {
        use std::cmp::Ordering::*;
        assert_eq!(super::compare_build_numbers("250", "99"), Greater);
        assert_eq!(super::compare_build_numbers("2.10", "2.9"), Greater);
        assert_eq!(super::compare_build_numbers("250", "250"), Equal);
    }

    use super::*;

    #[test]
    fn the_token_carries_kid_iss_aud_and_a_short_expiry() {
        let key = rcgen::KeyPair::generate().unwrap();
        let t = token("ABC123DEF4", "issuer-1", &key.serialize_pem(), 1_700_000_000).unwrap();
        let header = jsonwebtoken::decode_header(&t).unwrap();
        assert_eq!(header.alg, jsonwebtoken::Algorithm::ES256);
        assert_eq!(header.kid.as_deref(), Some("ABC123DEF4"));
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
        v.set_audience(&["appstoreconnect-v1"]);
        v.validate_exp = false;
        let decoded = jsonwebtoken::decode::<Claims>(&t, &jsonwebtoken::DecodingKey::from_ec_pem(key.public_key_pem().as_bytes()).unwrap(), &v).unwrap();
        assert_eq!(decoded.claims.iss, "issuer-1");
        assert!(decoded.claims.exp - decoded.claims.iat <= 20 * 60);
        assert!(token("K", "I", "not a key", 0).unwrap_err().to_string().contains("not an EC (.p8) key"));
    }
}
