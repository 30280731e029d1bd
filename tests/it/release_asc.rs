//! The processing step against a local App Store Connect stand-in (wiremock) that checks the
//! token's signature and claims and walks the build through its processing states.

use crate::util::*;
use std::path::Path;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

struct ValidToken {
    key: jsonwebtoken::DecodingKey,
}

impl wiremock::Match for ValidToken {
    fn matches(&self, req: &Request) -> bool {
        let Some(auth) = req.headers.get("authorization").and_then(|v| v.to_str().ok()) else { return false };
        let Some(token) = auth.strip_prefix("Bearer ") else { return false };
        let Ok(header) = jsonwebtoken::decode_header(token) else { return false };
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
        v.set_audience(&["appstoreconnect-v1"]);
        v.set_issuer(&["69a6de70-03db-47e3-e053-5b8c7c11a4d1"]);
        let Ok(data) = jsonwebtoken::decode::<serde_json::Value>(token, &self.key, &v) else { return false };
        let exp = data.claims["exp"].as_i64().unwrap_or(0);
        let iat = data.claims["iat"].as_i64().unwrap_or(0);
        header.kid.as_deref() == Some("ABC123DEF4") && exp > iat && exp - iat <= 20 * 60
    }
}

fn build(number: &str, state: &str) -> serde_json::Value {
    serde_json::json!({"data": [{"type": "builds", "id": "b-42", "attributes": {"version": number, "processingState": state}}]})
}

/// A stand-in that lists no build at first, then PROCESSING, then `last`.
async fn stand_in(server_key: &rcgen::KeyPair, last: &str) -> MockServer {
    stand_in_for(server_key, ("com.mshaler.isometry", "2.5.0", "250"), last).await
}

/// The same, for one app, version and build number.
async fn stand_in_for(server_key: &rcgen::KeyPair, (bundle, version, number): (&str, &str, &str), last: &str) -> MockServer {
    let server = MockServer::start().await;
    let valid = || ValidToken { key: jsonwebtoken::DecodingKey::from_ec_pem(server_key.public_key_pem().as_bytes()).unwrap() };
    Mock::given(method("GET"))
        .and(path("/v1/apps"))
        .and(query_param("filter[bundleId]", bundle))
        .and(valid())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [{"type": "apps", "id": "1234567890"}]})))
        .mount(&server)
        .await;
    let builds = || {
        Mock::given(method("GET"))
            .and(path("/v1/builds"))
            .and(query_param("filter[app]", "1234567890"))
            .and(query_param("filter[version]", number))
            .and(query_param("filter[preReleaseVersion.version]", version))
            .and(query_param("filter[preReleaseVersion.platform]", "IOS"))
            .and(valid())
    };
    builds().respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": []}))).up_to_n_times(1).with_priority(1).mount(&server).await;
    builds().respond_with(ResponseTemplate::new(200).set_body_json(build(number, "PROCESSING"))).up_to_n_times(2).with_priority(2).mount(&server).await;
    builds().respond_with(ResponseTemplate::new(200).set_body_json(build(number, last))).with_priority(3).mount(&server).await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"errors": [{"status": "401", "code": "NOT_AUTHORIZED", "title": "Authentication credentials are missing or invalid."}]})),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

fn release(ws: &TempWorkspace, key_pem: &str, base: &str) -> (i32, serde_json::Value, String) {
    release_with(ws, key_pem, base, &[])
}

fn release_with(ws: &TempWorkspace, key_pem: &str, base: &str, env: &[(&str, &str)]) -> (i32, serde_json::Value, String) {
    let fakes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes").display().to_string() + ":/usr/bin:/bin";
    let data = ws.dir.path().join("data");
    let (code, out, err) = run(shipdeck(&data)
        .args(["release", "--json", "--platform", "ios", "--workspace"])
        .arg(&ws.root)
        .env("PATH", fakes)
        .env("APP_STORE_CONNECT_KEY_ID", "ABC123DEF4")
        .env("APP_STORE_CONNECT_ISSUER_ID", "69a6de70-03db-47e3-e053-5b8c7c11a4d1")
        .env("APP_STORE_CONNECT_PRIVATE_KEY", key_pem)
        .env("SHIPDECK_ASC_BASE_URL", base)
        .env("SHIPDECK_ASC_POLL_SECONDS", "0")
        .envs(env.iter().copied()));
    assert!(!out.is_empty(), "{err}");
    let record = json(&out);
    let log = std::fs::read_to_string(record["log"].as_str().unwrap()).unwrap_or_default();
    (code, record, log)
}

fn processing(record: &serde_json::Value) -> &serde_json::Value {
    record["steps"].as_array().unwrap().iter().find(|s| s["id"] == "ios.processing").unwrap()
}

#[test]
fn the_uploaded_build_is_followed_until_processed() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let server = rt.block_on(stand_in(&key, "VALID"));
    let ws = TempWorkspace::sample();
    let (code, record, log) = release(&ws, &key.serialize_pem(), &server.uri());
    assert_eq!(code, 0, "{record:#}");
    assert_eq!(processing(&record)["state"], "done");
    assert!(log.contains("Apple has not listed build 2.5.0 (250) yet"), "{log}");
    assert!(log.contains("build 2.5.0 (250): PROCESSING") && log.contains("build 2.5.0 (250): VALID"), "{log}");
    assert!(!log.contains(key.serialize_pem().lines().nth(1).unwrap()));
}

#[test]
fn the_build_is_looked_for_as_xcodebuild_reports_it() {
    // The files say 2.5.0 (250) for com.mshaler.isometry; xcodebuild, which builds the archive,
    // says otherwise (a setting overridden where the workspace reader cannot see). The
    // processing step follows what was built, and the build-settings step says so.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let server = rt.block_on(stand_in_for(&key, ("com.mshaler.isometry.ios", "2.5.1", "251"), "VALID"));
    let ws = TempWorkspace::sample();
    let env = [("FAKE_BUNDLE_ID", "com.mshaler.isometry.ios"), ("FAKE_MARKETING_VERSION", "2.5.1"), ("FAKE_BUILD_NUMBER", "251")];
    let (code, record, log) = release_with(&ws, &key.serialize_pem(), &server.uri(), &env);
    assert_eq!(code, 0, "{record:#}");
    let p = processing(&record);
    assert_eq!(p["state"], "done");
    assert_eq!(p["note"], "build 2.5.1 (251) is processed");
    assert!(log.contains("build 2.5.1 (251): VALID"), "{log}");
    let settings = record["steps"].as_array().unwrap().iter().find(|s| s["id"] == "ios.build-settings").unwrap();
    assert_eq!(
        settings["note"],
        "xcodebuild says bundle id com.mshaler.isometry.ios (the workspace files say com.mshaler.isometry), version 2.5.1 (the workspace files say 2.5.0), build 251 (the workspace files say 250); the release follows xcodebuild"
    );
}

#[test]
fn the_build_is_looked_for_as_the_archive_holds_it() {
    // Cryptomator's shape: a Run Script phase writes the build number into the app while it
    // builds; the project and xcodebuild's settings say 250, the archive holds 1717. App Store
    // Connect is asked for what was archived (and so uploaded).
    let rt = tokio::runtime::Runtime::new().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let server = rt.block_on(stand_in_for(&key, ("com.mshaler.isometry", "2.5.0", "1717"), "VALID"));
    let ws = TempWorkspace::sample();
    let (code, record, log) = release_with(&ws, &key.serialize_pem(), &server.uri(), &[("FAKE_ARCHIVE_BUILD_NUMBER", "1717")]);
    assert_eq!(code, 0, "{record:#}");
    let p = processing(&record);
    assert_eq!((p["state"].as_str(), p["note"].as_str()), (Some("done"), Some("build 2.5.0 (1717) is processed")), "{p:#}");
    assert!(log.contains("build 2.5.0 (1717): VALID"), "{log}");
    let archive = record["steps"].as_array().unwrap().iter().find(|s| s["id"] == "ios.archive").unwrap();
    assert_eq!(archive["note"], "the archive holds 2.5.0 (1717), where the project says 2.5.0 (250): the release follows the archive");
}

#[test]
fn a_version_nobody_can_tell_is_not_looked_for() {
    // The Info.plist's version names a setting nothing sets and xcodebuild does not report
    // (alt-tab-macos's CI writes it into a file git does not hold): there is no build to ask
    // App Store Connect about, and the step says so instead of polling for version `?`.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let server = rt.block_on(stand_in(&key, "VALID"));
    let ws = TempWorkspace::sample();
    let plist = ws.path("native/IsometryiOS/IsometryiOS/Info.plist");
    let text = std::fs::read_to_string(&plist).unwrap().replace("<string>$(MARKETING_VERSION)</string>", "<string>$(VERSION_FROM_CI)</string>");
    std::fs::write(&plist, text).unwrap();
    // The archived app's version is empty, as Xcode expands a setting nothing sets.
    let (code, record, log) = release_with(&ws, &key.serialize_pem(), &server.uri(), &[("FAKE_ARCHIVE_VERSION", "")]);
    assert_eq!(code, 0, "{record:#}");
    let p = processing(&record);
    assert_eq!(p["title"], "The uploaded build processed by App Store Connect", "{p:#}");
    assert_eq!(record["builds"], serde_json::json!(["iOS build 250"]), "past runs name what is known");
    assert_eq!(p["state"], "skipped", "{p:#}");
    assert!(p["note"].as_str().unwrap().starts_with("not followed: the uploaded build's version and build number are not known here"), "{p:#}");
    assert!(!log.contains("has not listed build"), "{log}");
}

#[test]
fn a_build_apple_rejects_fails_the_step() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let server = rt.block_on(stand_in(&key, "FAILED"));
    let ws = TempWorkspace::sample();
    let (code, record, _) = release(&ws, &key.serialize_pem(), &server.uri());
    assert_eq!(code, 1);
    let p = processing(&record);
    assert_eq!(p["state"], "failed");
    assert_eq!(p["causes"][0]["line"], "App Store Connect marked build 2.5.0 (250) FAILED");
}

#[test]
fn a_wrong_key_is_refused_with_a_clear_message() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server_key = rcgen::KeyPair::generate().unwrap();
    let other_key = rcgen::KeyPair::generate().unwrap();
    let server = rt.block_on(stand_in(&server_key, "VALID"));
    let ws = TempWorkspace::sample();
    let (code, record, _) = release(&ws, &other_key.serialize_pem(), &server.uri());
    assert_eq!(code, 1);
    let p = processing(&record);
    assert_eq!(p["state"], "failed");
    assert!(p["causes"][0]["line"].as_str().unwrap().contains("refused the API key (401)"), "{p:#}");
}

#[test]
fn check_compares_the_build_number_with_the_uploaded_ones() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        let valid = || ValidToken { key: jsonwebtoken::DecodingKey::from_ec_pem(key.public_key_pem().as_bytes()).unwrap() };
        Mock::given(method("GET"))
            .and(path("/v1/apps"))
            .and(valid())
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [{"type": "apps", "id": "1234567890"}]})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/builds"))
            .and(query_param("filter[preReleaseVersion.version]", "2.5.0"))
            .and(valid())
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [
                {"type": "builds", "id": "1", "attributes": {"version": "99"}},
                {"type": "builds", "id": "2", "attributes": {"version": "250"}},
                {"type": "builds", "id": "3", "attributes": {"version": "248"}}
            ]})))
            .mount(&server)
            .await;
        server
    });
    let ws = TempWorkspace::sample();
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data"))
        .args(["check", "--json", "--workspace"])
        .arg(&ws.root)
        .env("APP_STORE_CONNECT_KEY_ID", "ABC123DEF4")
        .env("APP_STORE_CONNECT_ISSUER_ID", "69a6de70-03db-47e3-e053-5b8c7c11a4d1")
        .env("APP_STORE_CONNECT_PRIVATE_KEY", key.serialize_pem())
        .env("SHIPDECK_ASC_BASE_URL", server.uri()));
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    let used: Vec<_> = r["findings"].as_array().unwrap().iter().filter(|f| f["id"] == "release.build-number.used").collect();
    assert_eq!(used.len(), 2, "one per target: {r:#}");
    assert!(used[0]["message"].as_str().unwrap().contains("250 is not higher than 250"));
    assert_eq!(used[0]["file"], "native/Configurations/Production.xcconfig");
    // Its fix sets the number above the last upload where the xcconfig writes it, as
    // fastlane's `latest_testflight_build_number + 1` does; one fix for both targets.
    assert_eq!(used[0]["fix"]["title"], "Raise the build number to 251", "{:#}", used[0]);
    assert_eq!(used[0]["fix"], used[1]["fix"]);
    let with_key = |c: &mut std::process::Command| {
        c.env("APP_STORE_CONNECT_KEY_ID", "ABC123DEF4")
            .env("APP_STORE_CONNECT_ISSUER_ID", "69a6de70-03db-47e3-e053-5b8c7c11a4d1")
            .env("APP_STORE_CONNECT_PRIVATE_KEY", key.serialize_pem())
            .env("SHIPDECK_ASC_BASE_URL", server.uri());
    };
    let mut fix = shipdeck(&ws.dir.path().join("data"));
    fix.args(["fix", "release.build-number.used", "--all", "--workspace"]).arg(&ws.root);
    with_key(&mut fix);
    let (code, out, err) = run(&mut fix);
    assert_eq!(code, 0, "{out}{err}");
    let xcconfig = ws.read("native/Configurations/Production.xcconfig");
    assert!(xcconfig.lines().any(|l| l == "CURRENT_PROJECT_VERSION = 251"), "{xcconfig}");
    assert!(!xcconfig.contains("= 250"), "{xcconfig}");
}
