//! `shipdeck secrets`: the App Store Connect key and .p12 passwords in the keychain (keyutils
//! here, the macOS Keychain on a Mac, both through `keyring`), used by the release and the
//! identity scan; values never printed.

use crate::util::*;
use std::io::Write;
use std::process::Stdio;

struct Keys {
    service: String,
    data: std::path::PathBuf,
}

impl Drop for Keys {
    /// Items are also linked into the user's persistent keyring: leave nothing behind.
    fn drop(&mut self) {
        for item in ["asc-key-id", "asc-issuer-id", "asc-private-key", "p12", "p12:dist.p12"] {
            let _ = self.cmd().args(["secrets", "delete", item]).output();
        }
    }
}

impl Keys {
    fn new(test: &str, ws: &TempWorkspace) -> Keys {
        Keys { service: private_keyring(test), data: ws.dir.path().join("data") }
    }
    fn cmd(&self) -> std::process::Command {
        let mut c = shipdeck(&self.data);
        c.env("SHIPDECK_KEYRING_SERVICE", &self.service);
        for k in ["APP_STORE_CONNECT_KEY_ID", "APP_STORE_CONNECT_ISSUER_ID", "APP_STORE_CONNECT_PRIVATE_KEY", "APP_STORE_CONNECT_PRIVATE_KEY_PATH"] {
            c.env_remove(k);
        }
        c
    }
    /// `shipdeck secrets set ITEM` with the value on standard input.
    fn set_stdin(&self, item: &str, value: &str, extra: &[&str]) -> (i32, String, String) {
        let mut child = self.cmd().args(["secrets", "set", item]).args(extra).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // A value refused before it is read (an unknown item) closes the pipe first: not an error.
        match child.stdin.take().unwrap().write_all(value.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("writing the value: {e}"),
            _ => {}
        }
        let o = child.wait_with_output().unwrap();
        (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
    }
    fn states(&self, ws: &TempWorkspace) -> serde_json::Value {
        let (code, out, err) = run(self.cmd().args(["secrets", "list", "--json", "--workspace"]).arg(&ws.root));
        assert_eq!(code, 0, "{out}{err}");
        let v = json(&out);
        assert_eq!(v["service"], self.service.as_str());
        let mut m = serde_json::Map::new();
        // The engine's inventory: the API key's items, then the .p12 passwords.
        for i in v["api_key"].as_array().unwrap().iter().chain(v["p12"].as_array().unwrap()) {
            m.insert(i["item"].as_str().unwrap().to_string(), i["state"].clone());
        }
        serde_json::Value::Object(m)
    }
}

#[test]
fn the_api_key_stored_in_the_keychain_is_used_by_the_release_and_never_shown() {
    let ws = TempWorkspace::sample();
    let keys = Keys::new("asc", &ws);
    let pem = rcgen::KeyPair::generate().unwrap().serialize_pem();
    let key_line = pem.lines().nth(1).unwrap().to_string();
    let p8 = ws.dir.path().join("AuthKey_ABC123DEF4.p8");
    std::fs::write(&p8, &pem).unwrap();

    assert_eq!(keys.states(&ws)["asc-private-key"], "not stored");
    let (code, out, err) = keys.set_stdin("asc-key-id", "ABC123DEF4\n", &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(keys.set_stdin("asc-issuer-id", "69a6de70-03db-47e3-e053-5b8c7c11a4d1\n", &[]).0, 0);
    let (code, out, err) = run(keys.cmd().args(["secrets", "set", "asc-private-key", "--from-file"]).arg(&p8));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains(&key_line) && !err.contains(&key_line));
    let states = keys.states(&ws);
    for item in ["asc-key-id", "asc-issuer-id", "asc-private-key"] {
        assert_eq!(states[item], "stored", "{item}");
    }
    let (_, listed, _) = run(keys.cmd().args(["secrets", "list"]));
    assert!(listed.contains("asc-private-key") && !listed.contains(&key_line) && !listed.contains("ABC123DEF4"), "{listed}");

    // A dry-run with nothing in the environment takes the key from the keychain.
    let empty = tempfile::tempdir().unwrap();
    let (code, out, err) = run(keys.cmd().args(["release", "--dry-run", "--json", "--platform", "ios", "--workspace"]).arg(&ws.root).env("PATH", empty.path()));
    assert_eq!(code, 0, "{out}{err}");
    let record = json(&out);
    let upload = record["steps"].as_array().unwrap().iter().find(|s| s["id"] == "ios.upload").unwrap();
    assert!(upload["command"].as_str().unwrap().contains("--api-key ABC123DEF4 --api-issuer 69a6de70-03db-47e3-e053-5b8c7c11a4d1"), "{upload:#}");
    let needs = upload["needs"].to_string();
    assert!(!needs.contains("APP_STORE_CONNECT_KEY_ID") && !needs.contains(".p8"), "{needs}");
    assert!(!out.contains(&key_line) && !err.contains(&key_line));
    for f in walk(&keys.data) {
        assert!(!String::from_utf8_lossy(&std::fs::read(&f).unwrap()).contains(&key_line), "the key in {}", f.display());
    }

    // Removing one item makes the release ask for it again.
    let (code, out, _) = run(keys.cmd().args(["secrets", "delete", "asc-private-key"]));
    assert_eq!((code, out.trim()), (0, "removed asc-private-key"));
    let (_, out, _) = run(keys.cmd().args(["release", "--dry-run", "--json", "--platform", "ios", "--workspace"]).arg(&ws.root).env("PATH", empty.path()));
    assert!(out.contains("the .p8 private key"), "{out}");
}

#[test]
fn bad_values_are_refused_and_nothing_is_stored() {
    let ws = TempWorkspace::sample();
    let keys = Keys::new("bad", &ws);
    let (code, _, err) = keys.set_stdin("asc-issuer-id", "not-a-uuid\n", &[]);
    assert_eq!(code, 1);
    assert!(err.contains("asc-issuer-id") && err.contains("UUID") && err.contains("nothing stored"), "{err}");
    let (code, _, err) = keys.set_stdin("asc-private-key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", &[]);
    assert_eq!(code, 1);
    assert!(err.contains("not an App Store Connect .p8 key"), "{err}");
    let (code, _, err) = keys.set_stdin("password", "x\n", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("\"password\" is not an item"), "{err}");
    let (code, _, err) = keys.set_stdin("asc-key-id", "", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("no value given"), "{err}");
    let (code, _, err) = run(keys.cmd().args(["secrets", "set", "asc-private-key", "--from-file", "/nonexistent/AuthKey.p8"]));
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/AuthKey.p8"), "{err}");
    let states = keys.states(&ws);
    for item in ["asc-key-id", "asc-issuer-id", "asc-private-key", "p12"] {
        assert_eq!(states[item], "not stored", "{item}");
    }
}

#[test]
fn a_p12_password_from_the_keychain_opens_the_identity() {
    let ws = TempWorkspace::sample();
    let keys = Keys::new("p12", &ws);
    let (code, out, err) = run(keys.cmd().args(["signing", "demo", "--workspace"]).arg(&ws.root));
    assert_eq!(code, 0, "{out}{err}");
    // A .p12 of the healthy demo identity, protected by "right".
    let demo = ws.read(".shipdeck/demo-signing/apple-distribution.pem");
    let blocks = ::pem::parse_many(demo.as_bytes()).unwrap();
    let cert = p12_keystore::Certificate::from_der(blocks[0].contents()).unwrap();
    let key = p12_keystore::PrivateKey::from_der(blocks[1].contents()).unwrap();
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry("dist", p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(b"1".to_vec(), key, vec![cert])));
    std::fs::create_dir_all(ws.path("p12")).unwrap();
    std::fs::write(ws.path("p12/dist.p12"), store.writer("right").write().unwrap()).unwrap();
    let toml = ws.read("shipdeck.toml").replace("sources = [\"keychain\", \"dir:.shipdeck/demo-signing\"]", "sources = [\"dir:p12\"]");
    ws.write("shipdeck.toml", &toml);
    let identities = || {
        let (code, out, _) = run(keys.cmd().args(["identities", "--json", "--workspace"]).arg(&ws.root));
        (code, json(&out))
    };

    // No password anywhere: the file is named and the way to give one is said.
    let (code, r) = identities();
    assert_eq!(code, 1);
    assert_eq!(r["scan"]["unreadable"][0]["item"], "dist.p12");
    assert!(r["scan"]["unreadable"][0]["message"].as_str().unwrap().contains("shipdeck secrets set p12:dist.p12"), "{r:#}");
    assert_eq!(keys.states(&ws)["p12:dist.p12"], "not stored");

    // A wrong password is refused before it is stored.
    let (code, _, err) = keys.set_stdin("p12:dist.p12", "wrong\n", &["--workspace", ws.root.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("dist.p12 does not open with this password; nothing stored"), "{err}");
    assert_eq!(keys.states(&ws)["p12:dist.p12"], "not stored");

    let (code, out, err) = keys.set_stdin("p12:dist.p12", "right\n", &["--workspace", ws.root.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(keys.states(&ws)["p12:dist.p12"], "stored");
    let (_, r) = identities();
    assert!(r["scan"]["unreadable"].as_array().unwrap().is_empty(), "{r:#}");
    assert_eq!(r["scan"]["identities"][0]["has_private_key"], true);

    // The general `p12` item is tried when the file has none of its own; a wrong one is a finding.
    assert_eq!(run(keys.cmd().args(["secrets", "delete", "p12:dist.p12"])).0, 0);
    assert_eq!(keys.set_stdin("p12", "wrong\n", &[]).0, 0);
    let (code, r) = identities();
    assert_eq!(code, 1);
    assert!(r["scan"]["unreadable"][0]["message"].as_str().unwrap().contains("wrong password (the password in the keychain item p12)"), "{r:#}");
}
