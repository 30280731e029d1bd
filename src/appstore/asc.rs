//! App Store Connect: the API token (ES256 JWT signed with the `.p8` key) and the build an
//! upload created, found by app, version and build number (never "the newest build") and
//! followed until it is processed. `SHIPDECK_ASC_BASE_URL` points it at a stand-in.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// The uploaded build, as App Store Connect knows it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Processing {
    pub bundle_id: String,
    pub version: String,
    pub build: String,
    /// The build number is the one the bump step sets (not what xcodebuild read before it).
    #[serde(default)]
    pub bumped: bool,
    /// The version and build number are literals the Info.plist writes: what ships, whatever
    /// xcodebuild says MARKETING_VERSION / CURRENT_PROJECT_VERSION are (MonitorControl writes
    /// 7141 while its CURRENT_PROJECT_VERSION says 7100).
    #[serde(default)]
    pub version_in_plist: bool,
    #[serde(default)]
    pub build_in_plist: bool,
    /// The build settings whose values ship as the version and the build number, when not
    /// MARKETING_VERSION and CURRENT_PROJECT_VERSION (alt-tab-macos's Info.plist writes
    /// `$(CURRENT_PROJECT_VERSION)` for both): what is read from xcodebuild's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_setting: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_setting: Option<String>,
    /// App Store Connect's name for the platform (IOS, MAC_OS): one app can have builds of the
    /// same version and number on both.
    #[serde(default)]
    pub platform: Option<String>,
}

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
    token_for(key_id, issuer_id, private_key_pem, now, 15 * 60)
}

fn token_for(key_id: &str, issuer_id: &str, private_key_pem: &str, now: i64, lifetime_secs: i64) -> Result<String> {
    let key = jsonwebtoken::EncodingKey::from_ec_pem(private_key_pem.as_bytes()).map_err(|_| Error::Invalid("the App Store Connect private key is not an EC (.p8) key in PEM form".into()))?;
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    header.kid = Some(key_id.to_string());
    header.typ = Some("JWT".into());
    let claims = Claims { iss: issuer_id.to_string(), iat: now, exp: now + lifetime_secs, aud: "appstoreconnect-v1".into() };
    jsonwebtoken::encode(&header, &claims, &key).map_err(|e| Error::Other(format!("could not sign the App Store Connect token: {e}")))
}

/// Signs tokens with the `.p8` key: a new one when the last is two thirds through its life,
/// so a build followed for an hour never meets a 401 for an expired token.
struct Signer {
    key_id: String,
    issuer_id: String,
    key_pem: String,
    lifetime: Duration,
    current: std::sync::Mutex<Option<(String, Instant)>>,
}

impl Signer {
    fn token(&self) -> Result<String> {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((t, _)) = current.as_ref().filter(|(_, at)| at.elapsed() < self.lifetime * 2 / 3) {
            return Ok(t.clone());
        }
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        let t = token_for(&self.key_id, &self.issuer_id, &self.key_pem, now, self.lifetime.as_secs() as i64)?;
        *current = Some((t.clone(), Instant::now()));
        Ok(t)
    }
}

enum Auth {
    Fixed(String),
    Key(Signer),
}

pub struct Client {
    base: String,
    auth: Auth,
    http: reqwest::blocking::Client,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildStatus {
    pub id: String,
    /// PROCESSING, FAILED, INVALID or VALID.
    pub processing_state: String,
}

/// What went wrong with one request, and whether asking again may help.
struct Failure {
    error: Error,
    /// A network error, a 5xx or a 429: App Store Connect may answer the next time.
    transient: bool,
    /// How long Apple asked to wait (Retry-After), if it did.
    retry_after: Option<Duration>,
}

impl Client {
    fn http() -> Result<reqwest::blocking::Client> {
        reqwest::blocking::Client::builder().timeout(Duration::from_secs(60)).user_agent(concat!("shipdeck/", env!("CARGO_PKG_VERSION"))).build().map_err(|e| Error::Other(format!("HTTP client: {e}")))
    }

    /// A client with one token (a short task: `check`'s question).
    pub fn new(token: String) -> Result<Client> {
        Ok(Client { base: base_url(), auth: Auth::Fixed(token), http: Self::http()? })
    }

    /// A client that signs its own tokens with the key, renewing them before they expire.
    pub fn with_key(key_id: &str, issuer_id: &str, key_pem: &str, lifetime: Duration) -> Result<Client> {
        let signer = Signer {
            key_id: key_id.into(),
            issuer_id: issuer_id.into(),
            key_pem: key_pem.into(),
            lifetime: lifetime.clamp(Duration::from_secs(2), Duration::from_secs(20 * 60)),
            current: Default::default(),
        };
        signer.token()?;
        Ok(Client { base: base_url(), auth: Auth::Key(signer), http: Self::http()? })
    }

    fn try_get(&self, path: &str, query: &[(&str, &str)]) -> std::result::Result<serde_json::Value, Failure> {
        let url = format!("{}{path}", self.base.trim_end_matches('/'));
        let token = match &self.auth {
            Auth::Fixed(t) => t.clone(),
            Auth::Key(s) => s.token().map_err(|error| Failure { error, transient: false, retry_after: None })?,
        };
        let res = self.http.get(&url).bearer_auth(token).query(query).send().map_err(|e| Failure {
            error: Error::AppStore { status: 0, path: path.to_string(), detail: format!("App Store Connect did not answer ({url}): {e}") },
            transient: true,
            retry_after: None,
        })?;
        let status = res.status();
        let retry_after = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok()).map(Duration::from_secs);
        let body: serde_json::Value = res.json().unwrap_or_default();
        if status.as_u16() == 401 {
            return Err(Failure {
                error: Error::AppStore {
                    status: 401,
                    path: path.to_string(),
                    detail: "App Store Connect refused the API key (401): check APP_STORE_CONNECT_KEY_ID, APP_STORE_CONNECT_ISSUER_ID and the .p8 key".into(),
                },
                transient: false,
                retry_after: None,
            });
        }
        if !status.is_success() {
            let detail = body["errors"][0]["detail"].as_str().or(body["errors"][0]["title"].as_str()).unwrap_or("no detail");
            return Err(Failure {
                error: Error::AppStore { status: status.as_u16(), path: path.to_string(), detail: format!("App Store Connect answered {status} for {path}: {detail}") },
                transient: status.is_server_error() || status.as_u16() == 429,
                retry_after,
            });
        }
        Ok(body)
    }

    fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<serde_json::Value> {
        self.try_get(path, query).map_err(|f| f.error)
    }

    fn try_app_id(&self, bundle_id: &str) -> std::result::Result<String, Failure> {
        let body = self.try_get("/v1/apps", &[("filter[bundleId]", bundle_id), ("limit", "1")])?;
        body["data"][0]["id"].as_str().map(String::from).ok_or_else(|| Failure {
            error: Error::AppStore { status: 200, path: "/v1/apps".into(), detail: format!("App Store Connect has no app with bundle id {bundle_id}") },
            transient: false,
            retry_after: None,
        })
    }

    /// The app's App Store Connect id, by bundle id.
    pub fn app_id(&self, bundle_id: &str) -> Result<String> {
        self.try_app_id(bundle_id).map_err(|f| f.error)
    }

    /// The build with this version and build number (on this platform: IOS, MAC_OS), if Apple
    /// lists it yet.
    fn try_build(&self, app_id: &str, version: &str, build: &str, platform: Option<&str>) -> std::result::Result<Option<BuildStatus>, Failure> {
        let mut query = vec![("filter[app]", app_id), ("filter[preReleaseVersion.version]", version), ("filter[version]", build), ("limit", "1")];
        if let Some(p) = platform {
            query.push(("filter[preReleaseVersion.platform]", p));
        }
        let body = self.try_get("/v1/builds", &query)?;
        Ok(body["data"][0]["id"].as_str().map(|id| BuildStatus { id: id.to_string(), processing_state: body["data"][0]["attributes"]["processingState"].as_str().unwrap_or("UNKNOWN").to_string() }))
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
    /// A network error, a 5xx or a 429 is said and asked again (waiting as long as Apple asks,
    /// up to a minute); five in a row end the wait.
    pub fn wait_processed(&self, target: &Processing, every: Duration, timeout: Duration, say: &mut dyn FnMut(String)) -> Result<BuildStatus> {
        let (bundle_id, version, build, platform) = (target.bundle_id.as_str(), target.version.as_str(), target.build.as_str(), target.platform.as_deref());
        const TRIES: u32 = 5;
        let start = Instant::now();
        let mut failures = 0;
        let mut app: Option<String> = None;
        let mut last = String::new();
        loop {
            // First the app's id, then the build, each asked again on a passing failure.
            enum Answer {
                App(String),
                Build(Option<BuildStatus>),
            }
            let answer = match &app {
                None => self.try_app_id(bundle_id).map(Answer::App),
                Some(id) => self.try_build(id, version, build, platform).map(Answer::Build),
            };
            let mut wait = every;
            match answer {
                Err(f) if f.transient && failures + 1 < TRIES && start.elapsed() <= timeout => {
                    failures += 1;
                    say(format!("{}; asking again ({failures} of {})", f.error, TRIES - 1));
                    wait = f.retry_after.unwrap_or(every).clamp(every.min(Duration::from_secs(1)), Duration::from_secs(60));
                }
                Err(f) => return Err(f.error),
                Ok(Answer::App(id)) => {
                    failures = 0;
                    app = Some(id);
                    continue;
                }
                Ok(Answer::Build(found)) => {
                    failures = 0;
                    let now = match found {
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
                }
            }
            if start.elapsed() > timeout {
                return Err(Error::Other(format!("still not processed after {} minutes ({last})", timeout.as_secs() / 60)));
            }
            std::thread::sleep(wait);
        }
    }
}

/// The build number after `value`: its last integer raised (`250` -> `251`; Simplenote's
/// `4.54.0.1` -> `4.54.0.2`), as App Store Connect compares them part by part.
pub fn next_build_number(name: &str, value: &str) -> Result<String> {
    let v = value.trim();
    let parts: Vec<&str> = v.split('.').collect();
    let not = || Error::Other(format!("{name} is `{value}`, not a build number (integers separated by periods)"));
    if parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(not());
    }
    let (last, init) = parts.split_last().ok_or_else(not)?;
    let n: u64 = last.parse().map_err(|_| not())?;
    let next = n.checked_add(1).ok_or_else(not)?;
    Ok(init.iter().map(|p| format!("{p}.")).collect::<String>() + &next.to_string())
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
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    /// Accepts only a token signed by `key` that has not expired (no leeway), and counts
    /// the distinct tokens it saw.
    struct Fresh {
        key: jsonwebtoken::DecodingKey,
        seen: std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>,
    }

    impl wiremock::Match for Fresh {
        fn matches(&self, req: &Request) -> bool {
            let Some(t) = req.headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) else { return false };
            let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
            v.set_audience(&["appstoreconnect-v1"]);
            v.leeway = 0;
            let ok = jsonwebtoken::decode::<Claims>(t, &self.key, &v).is_ok();
            if ok {
                self.seen.lock().unwrap().insert(t.to_string());
            }
            ok
        }
    }

    fn stand_in(rt: &tokio::runtime::Runtime, key: &rcgen::KeyPair, builds: Vec<ResponseTemplate>) -> (MockServer, std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>) {
        let seen: std::sync::Arc<std::sync::Mutex<std::collections::BTreeSet<String>>> = Default::default();
        let server = rt.block_on(async {
            let server = MockServer::start().await;
            let fresh = || Fresh { key: jsonwebtoken::DecodingKey::from_ec_pem(key.public_key_pem().as_bytes()).unwrap(), seen: seen.clone() };
            Mock::given(method("GET"))
                .and(path("/v1/apps"))
                .and(fresh())
                .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [{"type": "apps", "id": "1"}]})))
                .mount(&server)
                .await;
            let n = builds.len() as u64;
            for (i, r) in builds.into_iter().enumerate() {
                let last = i as u64 + 1 == n;
                let m = Mock::given(method("GET")).and(path("/v1/builds")).and(fresh()).respond_with(r).with_priority(i as u8 + 1);
                if last {
                    m.mount(&server).await
                } else {
                    m.up_to_n_times(1).mount(&server).await
                }
            }
            Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(401)).with_priority(100).mount(&server).await;
            server
        });
        (server, seen)
    }

    fn build(state: &str) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [{"type": "builds", "id": "b", "attributes": {"version": "250", "processingState": state}}]}))
    }

    fn target(platform: Option<&str>) -> super::Processing {
        super::Processing { bundle_id: "com.x".into(), version: "2.5.0".into(), build: "250".into(), platform: platform.map(String::from), ..Default::default() }
    }

    fn client(server: &MockServer, key: &rcgen::KeyPair, lifetime: Duration) -> Client {
        let mut c = Client::with_key("ABC123DEF4", "issuer", &key.serialize_pem(), lifetime).unwrap();
        c.base = server.uri();
        c
    }

    #[test]
    fn server_errors_and_throttling_are_asked_again_then_given_up() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let unavailable = || ResponseTemplate::new(503).set_body_json(serde_json::json!({"errors": [{"status": "503", "title": "Service Unavailable"}]}));
        let (server, _) = stand_in(&rt, &key, vec![unavailable(), ResponseTemplate::new(429).insert_header("retry-after", "1"), build("PROCESSING"), build("VALID")]);
        let mut said = Vec::new();
        let b = client(&server, &key, Duration::from_secs(600)).wait_processed(&target(Some("IOS")), Duration::from_millis(10), Duration::from_secs(30), &mut |l| said.push(l)).unwrap();
        assert_eq!(b.processing_state, "VALID");
        assert_eq!(said[0], "App Store Connect answered 503 Service Unavailable for /v1/builds: Service Unavailable; asking again (1 of 4)");
        assert!(said[1].starts_with("App Store Connect answered 429 Too Many Requests for /v1/builds") && said[1].ends_with("asking again (2 of 4)"), "{said:?}");
        assert_eq!(&said[2..], ["build 2.5.0 (250): PROCESSING", "build 2.5.0 (250): VALID"]);

        // An outage that does not end: five answers, then the step fails naming the last.
        let (server, _) = stand_in(&rt, &key, vec![unavailable()]);
        let mut said = Vec::new();
        let e = client(&server, &key, Duration::from_secs(600)).wait_processed(&target(None), Duration::from_millis(10), Duration::from_secs(30), &mut |l| said.push(l)).unwrap_err();
        assert_eq!(e.to_string(), "App Store Connect answered 503 Service Unavailable for /v1/builds: Service Unavailable");
        assert_eq!(said.len(), 4, "{said:?}");
        // A refused key is not asked again.
        let other = rcgen::KeyPair::generate().unwrap();
        let mut said = Vec::new();
        let e = client(&server, &other, Duration::from_secs(600)).wait_processed(&target(None), Duration::from_millis(10), Duration::from_secs(30), &mut |l| said.push(l)).unwrap_err();
        assert!(e.to_string().contains("refused the API key (401)"), "{e}");
        assert!(said.is_empty());
    }

    #[test]
    fn a_long_wait_renews_its_token_before_it_expires() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let mut builds: Vec<ResponseTemplate> = (0..8).map(|_| build("PROCESSING")).collect();
        builds.push(build("VALID"));
        let (server, seen) = stand_in(&rt, &key, builds);
        // Tokens that live 3 s, polled every 0.5 s for about 4.5 s: the first token expires
        // during the wait, and the stand-in refuses an expired one.
        let b = client(&server, &key, Duration::from_secs(3)).wait_processed(&target(None), Duration::from_millis(500), Duration::from_secs(30), &mut |_| {}).unwrap();
        assert_eq!(b.processing_state, "VALID");
        assert!(seen.lock().unwrap().len() >= 2, "a new token was signed during the wait");
    }

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
