//! Signing health: identities and profiles from the demo set, through every source.

use crate::util::*;
use std::path::{Path, PathBuf};

const DEMO: &str = ".shipdeck/demo-signing";

fn with_demo() -> TempWorkspace {
    let ws = TempWorkspace::sample();
    let (code, _, err) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "demo", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    ws
}

fn check(ws: &TempWorkspace) -> serde_json::Value {
    let (_, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["check", "--json", "--workspace"]).arg(&ws.root));
    assert!(!out.is_empty(), "{err}");
    json(&out)
}

fn ids_of(r: &serde_json::Value, id: &str) -> Vec<serde_json::Value> {
    r["findings"].as_array().unwrap().iter().filter(|f| f["id"] == id).cloned().collect()
}

#[test]
fn the_demo_set_shows_every_state() {
    let ws = with_demo();
    let r = check(&ws);
    for (id, n) in [
        ("signing.identity.ambiguous", 1),
        ("signing.identity.no-private-key", 1),
        ("signing.identity.expired", 1),
        ("signing.identity.expiring", 1),
        ("signing.profile.expiring", 1),
        ("signing.profile.valid", 1),
    ] {
        assert_eq!(ids_of(&r, id).len(), n, "{id}: {:#}", r["findings"]);
    }
    let expiring = &ids_of(&r, "signing.identity.expiring")[0];
    assert_eq!(expiring["subject"], "iPhone Distribution: Michael Shaler (7XK2M9QPLA)");
    assert!(expiring["message"].as_str().unwrap().starts_with("Expires in 12 days"));
    assert!(ids_of(&r, "signing.identity.missing").is_empty());
}

#[test]
fn a_mac_release_needs_an_installer_identity() {
    let ws = with_demo();
    assert!(ids_of(&check(&ws), "signing.identity.missing").is_empty());
    std::fs::remove_file(ws.path(&format!("{DEMO}/mac-installer-distribution.pem"))).unwrap();
    let missing = ids_of(&check(&ws), "signing.identity.missing");
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0]["subject"], "macOS target IsometrymacOS");
    assert_eq!(missing[0]["severity"], "blocker");
    // Beside "No identity to sign with" (the same id) its heading says which one is missing.
    assert_eq!(missing[0]["title"], "No installer identity to sign the .pkg");
    assert!(
        missing[0]["message"].as_str().unwrap().starts_with("No valid Mac Installer Distribution identity (3rd Party Mac Developer Installer) with its private key for team 7XK2M9QPLA"),
        "{}",
        missing[0]
    );
}

#[test]
fn identities_json_through_the_dir_source() {
    let ws = with_demo();
    let (code, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["identities", "--json", "--source", &format!("dir:{DEMO}"), "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    let r = json(&out);
    let ids = r["scan"]["identities"].as_array().unwrap();
    assert_eq!(ids.len(), 7);
    let keyless: Vec<_> = ids.iter().filter(|i| i["has_private_key"] == false).collect();
    assert_eq!(keyless.len(), 1);
    assert_eq!(keyless[0]["certificate"]["kind"], "distribution");
    assert_eq!(r["scan"]["intermediates"][0]["kind"], "wwdr");

    // The table marks the pair that shares a name (the demo's two Mac App Distribution ones).
    let (code, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["identities", "--source", &format!("dir:{DEMO}"), "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    let ambiguous: Vec<&str> = out.lines().filter(|l| l.starts_with("ambiguous")).collect();
    assert_eq!(ambiguous.len(), 2, "{out}");
    assert!(ambiguous.iter().all(|l| l.contains("3rd Party Mac Developer Application")), "{out}");
}

/// PEM of every certificate in the demo folder, and the SHA-1s of those with a key.
fn keychain_fixture(ws: &TempWorkspace) -> (PathBuf, PathBuf) {
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["identities", "--json", "--source", &format!("dir:{DEMO}"), "--workspace"]).arg(&ws.root));
    let r = json(&out);
    let mut pem = String::new();
    for entry in std::fs::read_dir(ws.path(DEMO)).unwrap() {
        let p = entry.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        match p.extension().and_then(|e| e.to_str()) {
            Some("pem") => pem.push_str(String::from_utf8(bytes).unwrap().split("-----BEGIN PRIVATE KEY-----").next().unwrap()),
            Some("cer") => pem.push_str(&::pem::encode(&::pem::Pem::new("CERTIFICATE", bytes))),
            _ => {}
        }
    }
    // `security find-identity -p codesigning` leaves the installer identity out: it is listed
    // only with no policy (the fake reads it from its own file).
    let keyed: Vec<(String, bool)> = r["scan"]["identities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["has_private_key"] == true)
        .map(|i| (i["certificate"]["sha1"].as_str().unwrap().to_string(), i["certificate"]["common_name"].as_str().unwrap().starts_with("3rd Party Mac Developer Installer")))
        .collect();
    let pem_file = ws.dir.path().join("keychain.pem");
    let hash_file = ws.dir.path().join("hashes.txt");
    std::fs::write(&pem_file, pem).unwrap();
    let lines = |installer: bool| keyed.iter().filter(|(_, i)| *i == installer).map(|(h, _)| format!("{h}\n")).collect::<String>();
    assert!(!lines(true).is_empty(), "the demo has an installer identity");
    std::fs::write(&hash_file, lines(false)).unwrap();
    std::fs::write(ws.dir.path().join("installer-hashes.txt"), lines(true)).unwrap();
    (pem_file, hash_file)
}

fn fakes_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes").display().to_string() + ":/usr/bin:/bin"
}

#[test]
fn the_security_source_reads_what_the_command_prints() {
    let ws = with_demo();
    let (pem, hashes) = keychain_fixture(&ws);
    // A keychain holds more than signing certificates: a mail certificate and a root CA are
    // printed too, and left out.
    let mut others = String::new();
    for (cn, ca) in [("someone@example.com", false), ("Apple Root CA", true)] {
        let mut p = rcgen::CertificateParams::new(vec![]).unwrap();
        p.distinguished_name.push(rcgen::DnType::CommonName, cn);
        if ca {
            p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        }
        others.push_str(&p.self_signed(&rcgen::KeyPair::generate().unwrap()).unwrap().pem());
    }
    let all = std::fs::read_to_string(&pem).unwrap() + &others;
    std::fs::write(&pem, all).unwrap();
    let log = ws.dir.path().join("fake.log");
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data"))
        .args(["identities", "--json", "--source", "security", "--workspace"])
        .arg(&ws.root)
        .env("PATH", fakes_path())
        .env("FAKE_SECURITY_PEM", &pem)
        .env("FAKE_SECURITY_HASHES", &hashes)
        .env("FAKE_SECURITY_INSTALLER_HASHES", ws.dir.path().join("installer-hashes.txt"))
        .env("SHIPDECK_FAKE_LOG", &log));
    assert_eq!(code, 0, "{err}");
    let r = json(&out);
    let ids = r["scan"]["identities"].as_array().unwrap();
    assert_eq!(ids.len(), 7);
    assert_eq!(ids.iter().filter(|i| i["has_private_key"] == false).count(), 1);
    let installer = ids.iter().find(|i| i["certificate"]["common_name"].as_str().unwrap().starts_with("3rd Party Mac Developer Installer")).unwrap();
    assert_eq!(installer["has_private_key"], true, "the installer identity's key is known from the listing with no policy");
    assert_eq!(r["scan"]["intermediates"].as_array().unwrap().len(), 1);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "security find-identity -p codesigning\nsecurity find-identity\nsecurity find-certificate -a -p\n");

    // Output it does not understand after the certificates: that block is named (which one, on
    // which line), not a crash, and the certificates before it still count.
    let (code, out, _) = run(shipdeck(&ws.dir.path().join("data"))
        .args(["identities", "--json", "--source", "security", "--workspace"])
        .arg(&ws.root)
        .env("PATH", fakes_path())
        .env("FAKE_SECURITY_PEM", &pem)
        .env("FAKE_SECURITY_HASHES", &hashes)
        .env("FAKE_SECURITY_GARBLED", "1"));
    assert_eq!(code, 1);
    let r = json(&out);
    assert_eq!(r["scan"]["identities"].as_array().unwrap().len(), 7);
    let unreadable = r["scan"]["unreadable"].as_array().unwrap();
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    let item = unreadable[0]["item"].as_str().unwrap();
    let lines = std::fs::read_to_string(&pem).unwrap().lines().count();
    // find-identity saying something else than its list: named, the certificates still read.
    let (code, out, _) = run(shipdeck(&ws.dir.path().join("data"))
        .args(["identities", "--json", "--source", "security", "--workspace"])
        .arg(&ws.root)
        .env("PATH", fakes_path())
        .env("FAKE_SECURITY_PEM", &pem)
        .env("FAKE_SECURITY_IDENTITY_GARBLED", "1"));
    assert_eq!(code, 1);
    let r2 = json(&out);
    assert_eq!(r2["scan"]["identities"].as_array().unwrap().len(), 7);
    assert_eq!(r2["scan"]["unreadable"][0]["item"], "security find-identity -p codesigning");
    assert!(r2["scan"]["unreadable"][0]["message"].as_str().unwrap().starts_with("unexpected output (\"security: SecKeychainSearchCopyNext: The specified keychain could not be found.\")"));
    // After the 7 identities, the intermediate and the two others.
    assert_eq!(item, format!("security find-certificate -a -p (certificate 11, line {})", lines + 1));
}

#[test]
fn a_revoked_or_untrusted_identity_says_so_and_cannot_sign() {
    let ws = with_demo();
    let (pem, hashes) = keychain_fixture(&ws);
    // security's status after each name: the Apple Distribution identity revoked, the Mac one
    // not trusted.
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["identities", "--json", "--source", &format!("dir:{DEMO}"), "--workspace"]).arg(&ws.root));
    let r = json(&out);
    let sha = |prefix: &str| -> Vec<String> {
        r["scan"]["identities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["certificate"]["common_name"].as_str().unwrap().starts_with(prefix) && i["has_private_key"] == true)
            .map(|i| i["certificate"]["sha1"].as_str().unwrap().to_string())
            .collect()
    };
    let revoked = sha("Apple Distribution");
    let untrusted = sha("3rd Party Mac Developer Application");
    assert!(!revoked.is_empty() && !untrusted.is_empty());
    let text: String = std::fs::read_to_string(&hashes)
        .unwrap()
        .lines()
        .map(|h| {
            if revoked.iter().any(|r| r == h) {
                format!("{h} CSSMERR_TP_CERT_REVOKED\n")
            } else if untrusted.iter().any(|u| u == h) {
                format!("{h} CSSMERR_TP_NOT_TRUSTED\n")
            } else {
                format!("{h}\n")
            }
        })
        .collect();
    std::fs::write(&hashes, text).unwrap();
    let toml = ws.read("shipdeck.toml");
    assert!(toml.contains(&format!("sources = [\"keychain\", \"dir:{DEMO}\"]")), "{toml}");
    ws.write("shipdeck.toml", &toml.replace(&format!("sources = [\"keychain\", \"dir:{DEMO}\"]"), "sources = [\"security\"]"));
    let (_, out, err) = run(shipdeck(&ws.dir.path().join("data"))
        .args(["check", "--json", "--workspace"])
        .arg(&ws.root)
        .env("PATH", fakes_path())
        .env("FAKE_SECURITY_PEM", &pem)
        .env("FAKE_SECURITY_HASHES", &hashes)
        .env("FAKE_SECURITY_INSTALLER_HASHES", ws.dir.path().join("installer-hashes.txt")));
    let r = json(&out);
    let with = |id: &str| r["findings"].as_array().unwrap().iter().filter(|f| f["id"] == id).cloned().collect::<Vec<_>>();
    assert!(!with("signing.identity.revoked").is_empty(), "{err}{r:#}");
    assert!(with("signing.identity.revoked")[0]["message"].as_str().unwrap().contains("CSSMERR_TP_CERT_REVOKED"));
    assert!(!with("signing.identity.untrusted").is_empty(), "{r:#}");
    // Neither can sign: the identity that would sign the iOS app is now the older iPhone
    // Distribution one, not the revoked Apple Distribution one.
    let mismatch = with("signing.profile.certificate-mismatch");
    let ios = mismatch.iter().find(|f| f["subject"] == "iOS target IsometryiOS").unwrap_or_else(|| panic!("{r:#}"));
    assert!(ios["message"].as_str().unwrap().contains("would sign (iPhone Distribution:"), "{ios:#}");
    assert!(with("signing.identity.valid").iter().all(|f| !f["subject"].as_str().unwrap().starts_with("Apple Distribution")), "{r:#}");
}

#[test]
fn broken_files_are_named_and_the_rest_still_read() {
    let ws = with_demo();
    std::fs::write(ws.path(&format!("{DEMO}/corrupt.cer")), b"\x30\x82\x01\x00garbage").unwrap();
    let profile = ws.path(&format!("{DEMO}/Isometry_App_Store_Distribution.mobileprovision"));
    let bytes = std::fs::read(&profile).unwrap();
    std::fs::write(ws.path(&format!("{DEMO}/truncated.mobileprovision")), &bytes[..bytes.len() / 2]).unwrap();
    let r = check(&ws);
    let unreadable: Vec<String> = ids_of(&r, "signing.unreadable").iter().map(|f| f["subject"].as_str().unwrap().to_string()).collect();
    assert!(unreadable.contains(&"corrupt.cer".to_string()), "{unreadable:?}");
    assert!(unreadable.contains(&"truncated.mobileprovision".to_string()), "{unreadable:?}");
    assert_eq!(ids_of(&r, "signing.profile.valid").len(), 1, "the good profile is still read");
    assert_eq!(ids_of(&r, "signing.identity.expiring").len(), 1);
}

#[test]
fn a_wrong_p12_password_is_a_finding() {
    let ws = with_demo();
    // A .p12 of the healthy identity, protected by "right".
    let pem_text = ws.read(&format!("{DEMO}/apple-distribution.pem"));
    let blocks = ::pem::parse_many(pem_text.as_bytes()).unwrap();
    let cert = p12_keystore::Certificate::from_der(blocks[0].contents()).unwrap();
    let key = p12_keystore::PrivateKey::from_der(blocks[1].contents()).unwrap();
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry("dist", p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(b"1".to_vec(), key, vec![cert])));
    let p12 = store.writer("right").write().unwrap();
    let dir = ws.path("p12");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("dist.p12"), p12).unwrap();
    let toml = ws.read("shipdeck.toml").replace("sources = [\"keychain\", \"dir:.shipdeck/demo-signing\"]", "sources = [\"dir:p12\"]\np12_password_env = \"TEST_P12_PASSWORD\"");
    ws.write("shipdeck.toml", &toml);
    let data = ws.dir.path().join("data");
    let (code, out, _) = run(shipdeck(&data).args(["identities", "--json", "--workspace"]).arg(&ws.root).env("TEST_P12_PASSWORD", "right"));
    assert_eq!(code, 0);
    let r = json(&out);
    assert_eq!(r["scan"]["identities"][0]["has_private_key"], true);
    assert_eq!(r["scan"]["identities"][0]["certificate"]["common_name"], "Apple Distribution: Michael Shaler (7XK2M9QPLA)");
    let (code, out, _) = run(shipdeck(&data).args(["identities", "--json", "--workspace"]).arg(&ws.root).env("TEST_P12_PASSWORD", "wrong"));
    assert_eq!(code, 1);
    let r = json(&out);
    assert_eq!(r["scan"]["unreadable"][0]["item"], "dist.p12");
    assert!(r["scan"]["unreadable"][0]["message"].as_str().unwrap().contains("wrong password (the password from $TEST_P12_PASSWORD)"));
}

#[test]
fn mismatches_between_identity_profile_and_entitlements() {
    // The profile allows only the healthy certificate: without it, the one left cannot sign.
    let ws = with_demo();
    std::fs::remove_file(ws.path(&format!("{DEMO}/apple-distribution.pem"))).unwrap();
    let r = check(&ws);
    let m = ids_of(&r, "signing.profile.certificate-mismatch");
    // Both profiles list only that certificate; what is left (iPhone Distribution for iOS,
    // the Mac App Distribution pair for macOS) is not in them.
    let subjects: Vec<&str> = m.iter().map(|f| f["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, ["iOS target IsometryiOS", "macOS target IsometrymacOS"], "{:#}", r["findings"]);

    // An entitlement the profile does not allow.
    let ws = with_demo();
    ws.edit(
        "native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements",
        "<string>iCloud.com.mshaler.isometry</string>",
        "<string>iCloud.com.mshaler.isometry</string>\n\t\t<string>iCloud.com.mshaler.shared</string>",
    );
    let r = check(&ws);
    let e = ids_of(&r, "signing.profile.entitlement-mismatch");
    assert_eq!(e.len(), 1);
    assert!(e[0]["message"].as_str().unwrap().contains("iCloud.com.mshaler.shared"));

    // Another team in the Production settings.
    let ws = with_demo();
    ws.edit("native/Configurations/Base.xcconfig", "APPLE_DEVELOPER_TEAM_ID = 7XK2M9QPLA", "APPLE_DEVELOPER_TEAM_ID = Z9Z9Z9Z9Z9");
    let r = check(&ws);
    let m = ids_of(&r, "signing.identity.team-mismatch");
    assert_eq!(m.len(), 2);
    // Said once, where the team is set, with the one fix that follows from it; the profile and
    // installer checks do not add "create a profile / a certificate" for the same cause.
    assert!(m[0]["message"].as_str().unwrap().contains("belong to team 7XK2M9QPLA, not Z9Z9Z9Z9Z9"), "{}", m[0]);
    assert!(m[0]["file"].as_str().unwrap().ends_with("Production.xcconfig"), "{}", m[0]);
    assert!(m[0]["help"].as_str().unwrap().starts_with("If 7XK2M9QPLA is your team, set DEVELOPMENT_TEAM to it"), "{}", m[0]);
    assert!(ids_of(&r, "signing.profile.missing").is_empty(), "{:#}", r["findings"]);
    assert!(ids_of(&r, "signing.identity.missing").is_empty(), "{:#}", r["findings"]);
}

const IOS_INFO: &str = "native/IsometryiOS/IsometryiOS/Info.plist";

/// The blockers of a report, by id.
fn blockers(r: &serde_json::Value) -> std::collections::BTreeSet<String> {
    r["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "blocker").map(|f| f["id"].as_str().unwrap().to_string()).collect()
}

/// One typo is one cause: each of these, made in the demo workspace, adds exactly one kind of
/// blocker, naming the file and line of the typo, with advice that fixes it (not advice that
/// follows from it, like "create a profile" for a mistyped team).
#[test]
fn one_typo_is_one_blocker_at_its_line() {
    let baseline = blockers(&check(&with_demo()));
    let production = "native/Configurations/Production.xcconfig";
    let cases: &[(&str, &str, &str, &str, usize, &str)] = &[
        // file, from, to, the blocker, its line, words of its message or help
        (production, "DEVELOPMENT_TEAM = $(APPLE_DEVELOPER_TEAM_ID)", "DEVELOPMENT_TEAM = $(APPLE_DEVELOPER_TEAM_ID", "signing.team.invalid", 12, "a reference that does not resolve"),
        (production, "DEVELOPMENT_TEAM = $(APPLE_DEVELOPER_TEAM_ID)", "DEVELOPMENT_TEAM = 7XK2M9QPL", "signing.team.invalid", 12, "10 capital letters and digits"),
        (
            production,
            "CODE_SIGN_IDENTITY[sdk=iphoneos*] = Apple Distribution",
            "CODE_SIGN_IDENTITY[sdk=iphoneos*] = Apple Distributon",
            "signing.identity.unknown-name",
            15,
            "Did you mean `Apple Distribution`?",
        ),
        (production, "MARKETING_VERSION = 2.5.0", "MARKETING_VERSION = 2.5.O", "appstore.version.invalid", 41, "MARKETING_VERSION is `2.5.O`"),
        (production, "CURRENT_PROJECT_VERSION = 250", "CURRENT_PROJECT_VERSION = 25O", "appstore.version.invalid", 42, "CURRENT_PROJECT_VERSION is `25O`"),
        // A literal in the Info.plist is what ships (the setting is then unused): judged there.
        (IOS_INFO, "<string>$(CURRENT_PROJECT_VERSION)</string>", "<string>250 beta</string>", "appstore.version.invalid", 21, "CFBundleVersion in the Info.plist is `250 beta`"),
    ];
    // A setting the Info.plist does not use is not judged (CodeEdit's MARKETING_VERSION reads
    // `Change in Info.plist`, its Info.plist holds the version).
    let ws = with_demo();
    ws.edit(IOS_INFO, "<string>$(MARKETING_VERSION)</string>", "<string>2.5.0</string>");
    ws.edit(production, "MARKETING_VERSION = 2.5.0", "MARKETING_VERSION = Change in Info.plist");
    ws.edit("native/IsometrymacOS/IsometrymacOS/Info.plist", "<string>$(MARKETING_VERSION)</string>", "<string>2.5.0</string>");
    let r = check(&ws);
    assert!(ids_of(&r, "appstore.version.invalid").is_empty(), "{:#}", r["findings"]);
    assert!(ids_of(&r, "appstore.version.mismatch").is_empty(), "{:#}", r["findings"]);
    assert_eq!(blockers(&r), baseline, "{:#}", r["findings"]);
    for (file, from, to, id, line, words) in cases {
        let ws = with_demo();
        ws.edit(file, from, to);
        let r = check(&ws);
        let added: Vec<String> = blockers(&r).difference(&baseline).cloned().collect();
        assert_eq!(added, [id.to_string()], "{to}: {:#}", r["findings"]);
        for f in ids_of(&r, id) {
            assert!(f["file"].as_str().unwrap().ends_with(file), "{to}: {f}");
            assert_eq!(f["line"], *line, "{to}: {f}");
            assert!(format!("{} {}", f["message"], f["help"]).contains(words), "{to}: {f}");
        }
    }
    // A build number of four integers: an iOS upload takes it (Simplenote ships 4.54.0.1), a
    // Mac upload refuses it: one blocker, for the macOS target only.
    let ws = with_demo();
    ws.edit(production, "CURRENT_PROJECT_VERSION = 250", "CURRENT_PROJECT_VERSION = 2.5.0.1");
    let r = check(&ws);
    let found = ids_of(&r, "appstore.version.invalid");
    assert_eq!(found.len(), 1, "{:#}", r["findings"]);
    assert!(found[0]["subject"].as_str().unwrap().starts_with("macOS target"), "{}", found[0]);
    assert!(found[0]["message"].as_str().unwrap().contains("one to three integers separated by periods for a Mac app"), "{}", found[0]);
}

#[test]
fn clean_moves_expired_and_superseded_profiles_and_restore_puts_them_back() {
    let ws = with_demo();
    let demo_dir = ws.path(DEMO);
    // A second demo run: the same profile names again (one of each pair is superseded), and
    // an expired profile.
    let extra = ws.dir.path().join("extra");
    let expired = shipdeck::signing::demo::Demo { apps: vec![("iOS", "com.mshaler.isometry", "Isometry Old Distribution", -5)], ..Default::default() };
    shipdeck::signing::demo::generate(&extra.join("a"), &Default::default(), time::OffsetDateTime::now_utc()).unwrap();
    shipdeck::signing::demo::generate(&extra.join("b"), &expired, time::OffsetDateTime::now_utc()).unwrap();
    for (sub, name) in [("a", "Isometry_App_Store_Distribution.mobileprovision"), ("b", "Isometry_Old_Distribution.mobileprovision")] {
        std::fs::rename(extra.join(sub).join(name), demo_dir.join(format!("{sub}-{name}"))).unwrap();
    }
    let data = ws.dir.path().join("data");
    let before = std::fs::read_dir(&demo_dir).unwrap().count();
    let (code, out, _) = run(shipdeck(&data).args(["profiles", "clean", "--dry-run", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0);
    let listed: Vec<&str> = out.lines().collect();
    assert_eq!(listed.len(), 2, "{out}");
    assert!(listed.iter().any(|l| l.starts_with("Isometry Old Distribution") && l.contains("expired 5 days ago")), "{out}");
    assert!(listed.iter().any(|l| l.starts_with("Isometry App Store Distribution") && l.contains("superseded by")), "{out}");
    assert_eq!(std::fs::read_dir(&demo_dir).unwrap().count(), before, "a dry-run moves nothing");

    let (code, _, err) = run(shipdeck(&data).args(["profiles", "clean", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_dir(&demo_dir).unwrap().count(), before - 2);
    let (code, _, err) = run(shipdeck(&data).args(["profiles", "restore"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_dir(&demo_dir).unwrap().count(), before);
}

/// Profiles are CMS in BER too (indefinite lengths, as some tools write them): one made by
/// `openssl cms -stream` around the demo profile's plist reads like the DER one.
#[test]
fn a_ber_encoded_profile_is_read() {
    let ws = with_demo();
    let demo = ws.path(DEMO);
    let plist = ws.dir.path().join("profile.plist");
    let ber_dir = ws.dir.path().join("ber");
    std::fs::create_dir_all(&ber_dir).unwrap();
    let ber = ber_dir.join("ber.mobileprovision");
    let openssl = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new("openssl").args(args).output().expect("openssl (scripts/install-deps.sh --test installs it)");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let der = demo.join("Isometry_App_Store_Distribution.mobileprovision");
    let key = demo.join("apple-distribution.pem");
    openssl(&["cms".as_ref(), "-verify".as_ref(), "-noverify".as_ref(), "-inform".as_ref(), "DER".as_ref(), "-in".as_ref(), der.as_os_str(), "-out".as_ref(), plist.as_os_str()]);
    openssl(&[
        "cms".as_ref(),
        "-sign".as_ref(),
        "-in".as_ref(),
        plist.as_os_str(),
        "-signer".as_ref(),
        key.as_os_str(),
        "-inkey".as_ref(),
        key.as_os_str(),
        "-outform".as_ref(),
        "DER".as_ref(),
        "-nodetach".as_ref(),
        "-stream".as_ref(),
        "-binary".as_ref(),
        "-out".as_ref(),
        ber.as_os_str(),
    ]);
    let bytes = std::fs::read(&ber).unwrap();
    assert_eq!(&bytes[..2], &[0x30, 0x80], "indefinite length: BER, not DER");
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["profiles", "--json", "--dir"]).arg(&ber_dir).arg("--workspace").arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    let r = json(&out);
    let read: Vec<_> = r["profiles"].as_array().unwrap().iter().filter(|p| p["path"].as_str().unwrap().ends_with("ber.mobileprovision")).collect();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0]["name"], "Isometry App Store Distribution");
    assert_eq!(read[0]["bundle_id"], "com.mshaler.isometry");
}

/// A WWDR-like intermediate of one generation (`ou`), valid from `from` to `to` days from now.
fn wwdr(ou: &str, from: i64, to: i64, key_ids: bool) -> (rcgen::Certificate, rcgen::Issuer<'static, rcgen::KeyPair>) {
    use rcgen::*;
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "Apple Worldwide Developer Relations Certification Authority");
    dn.push(DnType::OrganizationalUnitName, ou);
    dn.push(DnType::OrganizationName, "Apple Inc.");
    dn.push(DnType::CountryName, "US");
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    let now = time::OffsetDateTime::now_utc();
    p.not_before = now + time::Duration::days(from);
    p.not_after = now + time::Duration::days(to);
    if !key_ids {
        p.key_identifier_method = KeyIdMethod::PreSpecified(vec![]);
    }
    let cert = p.self_signed(&key).unwrap();
    (cert, Issuer::new(p, key))
}

/// An Apple Distribution leaf with its key, as PEM, issued by `issuer`.
fn distribution_leaf(cn: &str, issuer: &rcgen::Issuer<'static, rcgen::KeyPair>, key_ids: bool) -> String {
    use rcgen::*;
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn.push(DnType::OrganizationalUnitName, "7XK2M9QPLA");
    dn.push(DnType::OrganizationName, "Michael Shaler");
    dn.push(DnType::CountryName, "US");
    p.distinguished_name = dn;
    let now = time::OffsetDateTime::now_utc();
    p.not_before = now - time::Duration::days(10);
    p.not_after = now + time::Duration::days(300);
    p.use_authority_key_identifier_extension = key_ids;
    // Apple's "iPhone Distribution" marker extension, 1.2.840.113635.100.6.1.4, NULL.
    p.custom_extensions = vec![CustomExtension::from_oid_content(&[1, 2, 840, 113635, 100, 6, 1, 4], vec![5, 0])];
    let cert = p.signed_by(&key, issuer).unwrap();
    format!("{}{}", cert.pem(), key.serialize_pem())
}

#[test]
fn the_wwdr_generation_that_issued_a_certificate_is_the_one_judged() {
    for key_ids in [true, false] {
        let ws = TempWorkspace::sample();
        let (g1, g1_issuer) = wwdr("Apple Worldwide Developer Relations", -4000, -900, key_ids);
        let (g3, g3_issuer) = wwdr("G3", -1000, 2000, key_ids);
        let (_g4, g4_issuer) = wwdr("G4", -300, 3000, key_ids);
        std::fs::create_dir_all(ws.path("ids")).unwrap();
        std::fs::write(ws.path("ids/AppleWWDRCA.cer"), g1.der()).unwrap();
        std::fs::write(ws.path("ids/AppleWWDRCAG3.cer"), g3.der()).unwrap();
        ws.write("ids/by-g3.pem", &distribution_leaf("Apple Distribution: Michael Shaler (7XK2M9QPLA)", &g3_issuer, key_ids));
        ws.write("ids/by-g1.pem", &distribution_leaf("iPhone Distribution: Michael Shaler (7XK2M9QPLA)", &g1_issuer, key_ids));
        ws.write("ids/by-g4.pem", &distribution_leaf("Apple Distribution: Michael Shaler Two (7XK2M9QPLA)", &g4_issuer, key_ids));
        let toml = ws.read("shipdeck.toml").replace("sources = [\"keychain\", \"dir:.shipdeck/demo-signing\"]", "sources = [\"dir:ids\"]");
        ws.write("shipdeck.toml", &toml);
        let r = check(&ws);
        let about = |id: &str, subject: &str| ids_of(&r, id).into_iter().filter(|f| f["subject"] == subject).collect::<Vec<_>>();
        // Issued by G3, which is here and valid: the expired G1 beside it does not matter.
        let g3_leaf = "Apple Distribution: Michael Shaler (7XK2M9QPLA)";
        assert!(about("signing.wwdr.expired", g3_leaf).is_empty() && about("signing.wwdr.missing", g3_leaf).is_empty(), "key ids {key_ids}: {:#}", r["findings"]);
        // Issued by the expired G1.
        let g1_leaf = about("signing.wwdr.expired", "iPhone Distribution: Michael Shaler (7XK2M9QPLA)");
        assert_eq!(g1_leaf.len(), 1, "key ids {key_ids}: {:#}", r["findings"]);
        assert!(g1_leaf[0]["message"].as_str().unwrap().contains("expired 900 days ago"), "{}", g1_leaf[0]);
        // Issued by G4, which is not installed: named with its generation.
        let g4_leaf = about("signing.wwdr.missing", "Apple Distribution: Michael Shaler Two (7XK2M9QPLA)");
        assert_eq!(g4_leaf.len(), 1, "key ids {key_ids}: {:#}", r["findings"]);
        assert!(g4_leaf[0]["message"].as_str().unwrap().contains("Certification Authority (G4)"), "{}", g4_leaf[0]);
    }
}

/// The signing cards (`shipdeck signing status`, the app's Signing screen) colour each
/// identity as the checks judge it: every card that is not ok has a finding about it with
/// the same severity, and the map names what signs each target.
#[test]
fn signing_cards_agree_with_the_checks_and_the_map_names_what_signs() {
    let ws = with_demo();
    let report = check(&ws);
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "status", "--json", "--workspace"]).arg(&ws.root));
    let v = json(&out);
    let cards = v["identities"].as_array().unwrap();
    let labels: Vec<&str> = cards.iter().map(|c| c["label"].as_str().unwrap()).collect();
    for l in ["ambiguous", "expired", "no key", "expiring", "ok"] {
        assert!(labels.contains(&l), "{l} in {labels:?}");
    }
    for c in cards.iter().filter(|c| c["kind"] == "identity" && c["state"] != "ok") {
        let found = report["findings"].as_array().unwrap().iter().any(|f| f["subject"] == c["name"] && f["severity"] == c["state"] && f["id"].as_str().unwrap().starts_with("signing."));
        assert!(found, "no {} finding about {} ({})", c["state"], c["name"], c["label"]);
    }
    // Worst first: no card is worse than the one before it.
    let rank = |s: &serde_json::Value| ["ok", "warning", "blocker"].iter().position(|x| s == *x).unwrap();
    let identities: Vec<usize> = cards.iter().filter(|c| c["kind"] == "identity").map(|c| rank(&c["state"])).collect();
    assert!(identities.windows(2).all(|w| w[0] >= w[1]), "{identities:?}");
    // Twins are told apart by their SHA-1.
    let twins: Vec<&serde_json::Value> = cards.iter().filter(|c| c["label"] == "ambiguous").collect();
    assert_eq!(twins.len(), 2);
    assert_ne!(twins[0]["sha1"], twins[1]["sha1"]);
    // The map: the iOS target signs with the valid Apple Distribution identity and the App
    // Store profile that allows its container; the Mac profile expires soon (a warning, exit 0).
    let ios = v["map"].as_array().unwrap().iter().find(|r| r["platform"] == "ios").unwrap();
    assert_eq!(ios["state"], "ok", "{ios}");
    // The window shows the platform as the engine names it (it had its own table, which
    // lacked Mac Catalyst and showed "catalyst").
    assert_eq!(ios["platform_label"], "iOS", "{ios}");
    assert!(ios["identity"]["name"].as_str().unwrap().starts_with("Apple Distribution"), "{ios}");
    assert_eq!(ios["profile"]["name"], "Isometry App Store Distribution");
    assert_eq!(ios["containers"], serde_json::json!([["iCloud.com.mshaler.isometry", true]]));
    assert_eq!(code, 0, "{err}");
    let (_, text, _) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "status", "--workspace"]).arg(&ws.root));
    assert!(text.contains("IsometryiOS (iOS) -> Apple Distribution"), "{text}");
    // Xcode's default container, `iCloud.$(CFBundleIdentifier)` (BookPlayer's, WWDC's), is the
    // bundle id's: the same container, allowed by the same profile.
    let ent = "native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements";
    let text_of = ws.read(ent);
    ws.write(ent, &text_of.replace("<string>iCloud.com.mshaler.isometry</string>", "<string>iCloud.$(CFBundleIdentifier)</string>"));
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "status", "--json", "--workspace"]).arg(&ws.root));
    let ios = json(&out)["map"].as_array().unwrap().iter().find(|r| r["platform"] == "ios").cloned().unwrap();
    assert_eq!(ios["containers"], serde_json::json!([["iCloud.com.mshaler.isometry", true]]), "{ios}");
    ws.write(ent, &text_of);

    // With the profile gone the row is a blocker, and the command exits 1.
    for f in std::fs::read_dir(ws.root.join(".shipdeck/demo-signing")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "mobileprovision") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let (code, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "status", "--json", "--workspace"]).arg(&ws.root));
    let ios = json(&out)["map"].as_array().unwrap().iter().find(|r| r["platform"] == "ios").cloned().unwrap();
    assert_eq!((ios["state"].as_str(), ios["profile"].is_null()), (Some("blocker"), true), "{ios}");
    assert_eq!(ios["profile_by_xcode"], false, "manual signing names its profile: {ios}");
    // The profile the project names is said, so the user knows what to install.
    assert_eq!(ios["profile_named"], "Isometry App Store Distribution", "{ios}");
    assert!(ios["note"].as_str().unwrap().contains("the profile the project names, \"Isometry App Store Distribution\", is not installed here"), "{ios}");
    assert_eq!(code, 1);
    let (_, text, _) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "status", "--workspace"]).arg(&ws.root));
    assert!(text.contains("-> profile \"Isometry App Store Distribution\" (not installed here)"), "{text}");
    assert_eq!(ids_of(&check(&ws), "signing.profile.missing").len(), 1);
    // A profile fastlane match installs is said to be match's, with its command.
    let xcconfig = "native/Configurations/Production.xcconfig";
    let before = ws.read(xcconfig);
    ws.write(xcconfig, &before.replace("= Isometry App Store Distribution", "= match AppStore com.mshaler.isometry"));
    let r = check(&ws);
    let missing = ids_of(&r, "signing.profile.missing");
    assert!(missing[0]["message"].as_str().unwrap().contains("no profile named `match AppStore com.mshaler.isometry`"), "{}", missing[0]);
    assert!(missing[0]["help"].as_str().unwrap().starts_with("The name is fastlane match's: `fastlane match appstore --readonly` installs it"), "{}", missing[0]);
    // A name that says another kind (ProtonVPN's Mac target: `ProtonVPN Application Developer ID
    // PP`): said, at the setting's line, with advice to name an App Store one.
    ws.write(xcconfig, &before.replace("= Isometry App Store Distribution", "= Isometry Developer ID PP"));
    let r = check(&ws);
    let missing = ids_of(&r, "signing.profile.missing");
    let m = missing[0]["message"].as_str().unwrap();
    assert!(m.contains("no profile named `Isometry Developer ID PP` covers com.mshaler.isometry for iOS, and its name says it is a Developer ID profile"), "{m}");
    assert!(missing[0]["help"].as_str().unwrap().starts_with("Name an App Store profile in PROVISIONING_PROFILE_SPECIFIER"), "{}", missing[0]);
    assert!(missing[0]["file"].as_str().unwrap().ends_with("Production.xcconfig") && missing[0]["line"].as_u64().is_some(), "{}", missing[0]);
    // The signing map's row says the same.
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "status", "--json", "--workspace"]).arg(&ws.root));
    let ios = json(&out)["map"].as_array().unwrap().iter().find(|r| r["platform"] == "ios").cloned().unwrap();
    assert!(ios["note"].as_str().unwrap().contains("\"Isometry Developer ID PP\", is not installed here, and its name says it is a Developer ID profile"), "{ios}");
    // The setting may hold the profile's UUID instead of its name (aidictation).
    ws.write(xcconfig, &before.replace("= Isometry App Store Distribution", "= 73DE4D13-37e6-49ca-a9f0-35378e49c33d"));
    let m = ids_of(&check(&ws), "signing.profile.missing")[0]["message"].as_str().unwrap().to_string();
    assert!(m.contains("no profile with the UUID `73DE4D13-37e6-49ca-a9f0-35378e49c33d` covers com.mshaler.isometry for iOS."), "{m}");
    ws.write(xcconfig, &before.replace("= Isometry App Store Distribution", "= match AdHoc com.mshaler.isometry"));
    let m = ids_of(&check(&ws), "signing.profile.missing")[0]["message"].as_str().unwrap().to_string();
    assert!(m.contains("its name says it is an Ad Hoc profile"), "{m}");
    ws.write(xcconfig, &before);

    // Automatic signing (no profile named): Xcode makes or downloads the profile when it
    // exports, so none here yet is a warning that says so, in the map and in the check.
    let xcconfig = "native/Configurations/Production.xcconfig";
    let manual = ws.read(xcconfig);
    let automatic: String =
        manual.replace("CODE_SIGN_STYLE = Manual", "CODE_SIGN_STYLE = Automatic").lines().filter(|l| !l.starts_with("PROVISIONING_PROFILE_SPECIFIER")).map(|l| format!("{l}\n")).collect();
    ws.write(xcconfig, &automatic);
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["signing", "status", "--json", "--workspace"]).arg(&ws.root));
    let ios = json(&out)["map"].as_array().unwrap().iter().find(|r| r["platform"] == "ios").cloned().unwrap();
    assert_eq!((ios["state"].as_str(), ios["style"].as_str()), (Some("warning"), Some("automatic")), "{ios}");
    assert_eq!(ios["note"], "no App Store profile here yet: Xcode makes or downloads it when it exports (automatic signing), allowing iCloud.com.mshaler.isometry");
    assert_eq!(ios["containers"], serde_json::json!([]), "no profile to allow them: {ios}");
    assert_eq!((ios["profile_by_xcode"].as_bool(), ios["label"].as_str()), (Some(true), Some("automatic")), "{ios}");
    let r = check(&ws);
    assert!(ids_of(&r, "signing.profile.missing").is_empty(), "{:#}", r["findings"]);
    let auto = ids_of(&r, "signing.profile.automatic");
    assert_eq!(auto.len(), 1, "{:#}", r["findings"]);
    assert_eq!((auto[0]["severity"].as_str(), auto[0]["subject"].as_str()), (Some("warning"), Some("iOS target IsometryiOS")));
    assert!(auto[0]["message"].as_str().unwrap().starts_with("No App Store profile for com.mshaler.isometry on this Mac yet: with automatic signing"), "{}", auto[0]);
}

/// An empty profile list says where it looked: Xcode's two folders, under the home folder
/// shown as `~`, and the ones shipdeck.toml adds.
#[test]
fn the_signing_view_names_the_folders_it_looked_in() {
    let ws = with_demo();
    let home = ws.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).env("HOME", &home).args(["show", "signing", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{err}");
    let view = json(&out);
    let folders: Vec<&str> = view["profile_folders"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(folders[..2], ["~/Library/Developer/Xcode/UserData/Provisioning Profiles", "~/Library/MobileDevice/Provisioning Profiles"], "{folders:?}");
    assert!(folders[2..].iter().any(|f| f.ends_with(DEMO)), "shipdeck.toml's folder: {folders:?}");
}

/// The terminal's signing status says the same when no profile is found anywhere.
#[test]
fn signing_status_says_where_no_profile_was_found() {
    let ws = with_demo();
    let home = ws.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    for f in std::fs::read_dir(ws.root.join(DEMO)).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "mobileprovision" || e == "provisionprofile") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let (code, text, _) = run(shipdeck(&ws.dir.path().join("data")).env("HOME", &home).args(["signing", "status", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 1, "a target without a profile is a blocker: {text}");
    let line = text.lines().find(|l| l.starts_with("No provisioning profiles in ")).unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("~/Library/MobileDevice/Provisioning Profiles") && line.contains(DEMO), "{line}");
}

/// A real repository opened off a Mac (NetNewsWire: no shipdeck.toml, so the keychain through
/// `security`): the Signing screen said "security: `security` was not found on PATH" and
/// nothing else. It says what is missing and what to do, as the finding does.
#[test]
fn the_keychain_off_a_mac_says_what_to_do() {
    let ws = TempWorkspace::sample();
    let toml = ws.read("shipdeck.toml");
    let sources = toml.lines().find(|l| l.starts_with("sources = ")).expect("sources").to_string();
    ws.write("shipdeck.toml", &toml.replace(&sources, "sources = [\"security\"]"));
    let empty = tempfile::tempdir().unwrap();
    let (code, out, err) = run(shipdeck(&ws.dir.path().join("data")).args(["show", "signing", "--workspace"]).arg(&ws.root).env("PATH", empty.path()));
    assert_eq!(code, 0, "{err}");
    let problems = json(&out)["problems"].clone();
    let first = problems[0].as_str().unwrap_or_default();
    assert!(first.starts_with("Keychain: macOS's `security` tool is not on this machine. "), "{problems}");
    assert!(first.contains("`sources = [\"dir:certs\"]`"), "{problems}");
    // What signs each target: the project's side is still said (team, style, bundle id), the
    // identity as not read, not "blocked".
    let v = json(&out);
    assert_eq!(v["readable"], false);
    let map = v["map"].as_array().unwrap();
    assert_eq!(map.len(), 2, "{v:#}");
    let ios = map.iter().find(|r| r["target"] == "IsometryiOS").unwrap();
    assert_eq!((ios["team"].as_str(), ios["bundle_id"].as_str(), ios["state"].as_str()), (Some("7XK2M9QPLA"), Some("com.mshaler.isometry"), Some("warning")), "{ios:#}");
    assert!(["automatic", "manual"].contains(&ios["style"].as_str().unwrap()), "{ios:#}");
    assert_eq!(ios["note"], "The distribution identities could not be read here, so what would sign is not known.");
    assert_eq!(ios["label"], "not read", "{ios:#}");
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).args(["check", "--json", "--workspace"]).arg(&ws.root).env("PATH", empty.path()));
    let r = json(&out);
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["id"] == "signing.source.unavailable").cloned().unwrap_or_default();
    assert_eq!(f["message"], "Identities could not be read: macOS's `security` tool is not on this machine.", "{r:#}");
}

/// One Apple Distribution certificate signs every platform: a team without one is one row
/// naming the iOS and the macOS target, not a blocker per platform with the same advice.
#[test]
fn a_missing_distribution_identity_is_one_cause_for_every_platform() {
    let ws = with_demo();
    for f in ["apple-distribution.pem", "iphone-distribution-expiring.pem", "mac-app-distribution-1.pem", "mac-app-distribution-2.pem"] {
        std::fs::remove_file(ws.path(&format!("{DEMO}/{f}"))).unwrap();
    }
    let r = check(&ws);
    let missing = ids_of(&r, "signing.identity.missing");
    assert_eq!(missing.len(), 2, "{missing:?}");
    let subjects: Vec<&str> = missing.iter().map(|f| f["subject"].as_str().unwrap()).collect();
    assert!(subjects.contains(&"iOS target IsometryiOS") && subjects.contains(&"macOS target IsometrymacOS"), "{subjects:?}");
    assert_eq!(missing[0]["message"], missing[1]["message"]);
    assert_eq!(missing[0]["message"], "No valid Apple Distribution identity with its private key for team 7XK2M9QPLA.");
    // The report groups them: one row, one blocker in the count.
    let group = r["groups"].as_array().unwrap().iter().find(|g| g.as_array().unwrap().len() == 2 && r["findings"][g[0].as_u64().unwrap() as usize]["id"] == "signing.identity.missing");
    assert!(group.is_some(), "{:#}", r["groups"]);
}
