//! Identities (certificate + private key) from the places a Mac or a CI runner keeps them:
//! a folder of .p12/.pem/.cer/.key files, the `security` command, or the keychain.

use super::cert::{Certificate, Kind};
use crate::tools::{self, Invocation};
use crate::workspace::Workspace;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub certificate: Certificate,
    pub has_private_key: bool,
    /// Where it was found: a file, `security`, `keychain`.
    pub source: String,
}

/// Something that could not be read, with where it is.
#[derive(Debug, Clone, Serialize)]
pub struct Unreadable {
    pub item: String,
    pub path: Option<PathBuf>,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Scan {
    pub identities: Vec<Identity>,
    /// CA certificates seen (the WWDR intermediates).
    pub intermediates: Vec<Certificate>,
    pub unreadable: Vec<Unreadable>,
    /// Sources that could not be used at all (no such folder, not on a Mac...).
    pub unavailable: Vec<Unreadable>,
}

impl Scan {
    pub(crate) fn add_cert(&mut self, cert: Certificate, has_key: bool, source: &str) {
        if cert.is_ca || cert.kind == super::Kind::Wwdr {
            if !self.intermediates.iter().any(|c| c.sha1 == cert.sha1) {
                self.intermediates.push(cert);
            }
            return;
        }
        match self.identities.iter_mut().find(|i| i.certificate.sha1 == cert.sha1) {
            Some(i) => i.has_private_key |= has_key,
            None => self.identities.push(Identity { certificate: cert, has_private_key: has_key, source: source.to_string() }),
        }
    }
}

/// Reads every source named (`keychain`, `security`, `dir:PATH`).
pub fn scan(ws: &Workspace, sources: &[String]) -> Scan {
    let mut scan = Scan::default();
    for s in sources {
        if let Some(dir) = s.strip_prefix("dir:") {
            let path = ws.path(Path::new(dir));
            let env = ws.config.signing.p12_password_env.clone();
            scan_dir_with(&path, &|file| p12_password(env.as_deref(), file), &mut scan);
        } else if s == "security" {
            scan_security(&mut scan);
        } else if s == "keychain" {
            scan_keychain(&mut scan);
        } else {
            scan.unavailable.push(Unreadable { item: s.clone(), path: None, message: "unknown identity source (use keychain, security or dir:PATH)".into() });
        }
    }
    scan
}

/// The keychain: on a Mac through security-framework; elsewhere there is none.
fn scan_keychain(scan: &mut Scan) {
    #[cfg(target_os = "macos")]
    super::keychain::scan_keychain(scan);
    #[cfg(not(target_os = "macos"))]
    scan.unavailable.push(Unreadable { item: "keychain".into(), path: None, message: "the keychain source needs macOS; on Linux and in CI use dir:PATH".into() });
}

fn public_key_of(pkcs8: &[u8]) -> Option<Vec<u8>> {
    let kp = rcgen::KeyPair::try_from(pkcs8).ok()?;
    Some(kp.public_key_raw().to_vec())
}

/// A folder of .p12/.pfx (password from the configured environment variable), .pem/.crt
/// (certificates and keys), .cer/.der (DER certificates) and .key (PEM keys).
pub fn scan_dir(dir: &Path, p12_password: Option<&str>, scan: &mut Scan) {
    scan_dir_with(dir, &|_| Ok(p12_password.map(|p| (p.to_string(), "the password given".to_string()))), scan)
}

/// The password of one `.p12` of a `dir:` source: the environment variable named in
/// `signing.p12_password_env`, else the keychain item `p12:FILE`, else the item `p12`; with
/// where it came from, for the message when it does not open the file.
pub fn p12_password(env_var: Option<&str>, file_name: &str) -> Result<Option<(String, String)>, String> {
    if let Some(var) = env_var {
        if let Some(v) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
            return Ok(Some((v, format!("the password from ${var}"))));
        }
    }
    for item in [crate::secrets::p12_item(file_name), crate::secrets::P12_DEFAULT.to_string()] {
        if let Some(v) = crate::secrets::get(&item).map_err(|e| e.to_string())? {
            return Ok(Some((v, format!("the password in the keychain item {item}"))));
        }
    }
    Ok(None)
}

/// A `.p12` file's password and where it came from (for messages), by file name.
pub type P12Password<'a> = &'a dyn Fn(&str) -> Result<Option<(String, String)>, String>;

/// Like [`scan_dir`], asking `p12_password` for each `.p12` file's password by file name.
pub fn scan_dir_with(dir: &Path, p12_password: P12Password, scan: &mut Scan) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            scan.unavailable.push(Unreadable { item: format!("dir:{}", dir.display()), path: Some(dir.to_path_buf()), message: crate::Error::io(dir, &e).to_string() });
            return;
        }
    };
    // The entry's own type (no extra stat), following a symlink only when there is one.
    let mut files: Vec<PathBuf> = entries.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_file() || (t.is_symlink() && e.path().is_file()))).map(|e| e.path()).collect();
    files.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    let mut certs: Vec<(Certificate, String)> = Vec::new();
    let mut keys: Vec<Vec<u8>> = Vec::new(); // public keys of the private keys found
    let mut keyed: Vec<String> = Vec::new(); // sha1 of certificates that came with their key (p12)
    for path in files {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let shown = path.display().to_string();
        let bad = |message: String| Unreadable { item: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), path: Some(path.clone()), message };
        let Ok(bytes) = std::fs::read(&path) else {
            scan.unreadable.push(bad("cannot be read".into()));
            continue;
        };
        match ext.as_str() {
            "cer" | "der" => match Certificate::from_der(&bytes) {
                Ok(c) => certs.push((c, shown)),
                Err(e) => scan.unreadable.push(bad(e)),
            },
            "pem" | "crt" | "key" => match pem::parse_many(&bytes) {
                Ok(blocks) if !blocks.is_empty() => {
                    for b in blocks {
                        match b.tag() {
                            "CERTIFICATE" => match Certificate::from_der(b.contents()) {
                                Ok(c) => certs.push((c, shown.clone())),
                                Err(e) => scan.unreadable.push(bad(e)),
                            },
                            "PRIVATE KEY" => match public_key_of(b.contents()) {
                                Some(k) => keys.push(k),
                                None => scan.unreadable.push(bad("a private key Shipdeck cannot read (PKCS#8 RSA or EC expected)".into())),
                            },
                            other => scan.unreadable.push(bad(format!("unexpected PEM block {other}"))),
                        }
                    }
                }
                _ => scan.unreadable.push(bad("not a PEM file".into())),
            },
            "p12" | "pfx" => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let (password, from) = match p12_password(&name) {
                    Ok(Some(p)) => p,
                    Ok(None) => {
                        scan.unreadable.push(bad(format!("a .p12 needs its password: store it in the keychain with `shipdeck secrets set p12:{name}` (or `p12` for every .p12), or name an environment variable in signing.p12_password_env")));
                        continue;
                    }
                    Err(e) => {
                        scan.unreadable.push(bad(format!("its password could not be read: {e}")));
                        continue;
                    }
                };
                match p12_keystore::KeyStore::from_pkcs12(&bytes, &password, p12_keystore::Pkcs12ImportPolicy::Relaxed) {
                    Err(_) => scan.unreadable.push(bad(format!("wrong password ({from}), or not a PKCS#12 file"))),
                    Ok(store) => {
                        for (_, entry) in store.entries() {
                            match entry {
                                p12_keystore::KeyStoreEntry::PrivateKeyChain(chain) => {
                                    for (i, c) in chain.certs().iter().enumerate() {
                                        match Certificate::from_der(c.as_der()) {
                                            Ok(cert) => {
                                                if i == 0 {
                                                    keyed.push(cert.sha1.clone());
                                                }
                                                certs.push((cert, shown.clone()));
                                            }
                                            Err(e) => scan.unreadable.push(bad(e)),
                                        }
                                    }
                                }
                                p12_keystore::KeyStoreEntry::Certificate(c) => match Certificate::from_der(c.as_der()) {
                                    Ok(cert) => certs.push((cert, shown.clone())),
                                    Err(e) => scan.unreadable.push(bad(e)),
                                },
                                p12_keystore::KeyStoreEntry::Secret(_) => {}
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (cert, source) in certs {
        let has_key = keyed.contains(&cert.sha1) || keys.contains(&cert.public_key);
        scan.add_cert(cert, has_key, &source);
    }
}

const TIMEOUT: Duration = Duration::from_secs(60);

/// `security find-identity -p codesigning` (identities with their keys, valid or not) and
/// `security find-certificate -a -p` (every certificate, the WWDR intermediates included).
pub fn scan_security(scan: &mut Scan) {
    let ids = Invocation::new("security", &["find-identity", "-p", "codesigning"]);
    let certs = Invocation::new("security", &["find-certificate", "-a", "-p"]);
    let run = |inv: &Invocation| match tools::capture(inv, TIMEOUT) {
        Ok(c) if c.success() => Ok(c.stdout),
        Ok(c) => Err(format!("`{}` failed: {}", inv.display(), c.stderr.trim())),
        Err(e) => Err(e.to_string()),
    };
    let with_keys = match run(&ids) {
        Ok(out) => parse_find_identity(&out),
        Err(e) => {
            scan.unavailable.push(Unreadable { item: "security".into(), path: None, message: e });
            return;
        }
    };
    match run(&certs) {
        Err(e) => scan.unavailable.push(Unreadable { item: "security".into(), path: None, message: e }),
        // Each certificate on its own: one that cannot be read is named, the others still count.
        Ok(out) => {
            let blocks = pem_blocks(&out);
            if blocks.is_empty() && !out.trim().is_empty() {
                scan.unreadable.push(Unreadable { item: certs.display(), path: None, message: "unexpected output: no PEM certificates in it".into() });
            }
            for (n, (line, block)) in blocks.into_iter().enumerate() {
                let item = format!("{} (certificate {}, line {line})", certs.display(), n + 1);
                match pem::parse(block) {
                    Err(e) => scan.unreadable.push(Unreadable { item, path: None, message: format!("unexpected output: {e}") }),
                    Ok(b) if b.tag() != "CERTIFICATE" => {}
                    Ok(b) => match Certificate::from_der(b.contents()) {
                        Ok(c) => {
                            let has_key = with_keys.contains(&c.sha1);
                            scan.add_cert(c, has_key, "security");
                        }
                        Err(e) => scan.unreadable.push(Unreadable { item, path: None, message: e }),
                    },
                }
            }
        }
    }
}

/// The SHA-1s of the identities `security find-identity` lists (`  1) 0123…ABCD "Name"`).
/// The PEM blocks of a text, each with the line it starts on (1-based).
fn pem_blocks(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find("-----BEGIN ") {
        let line = text[..offset + start].matches('\n').count() + 1;
        // A block cut short is still a block: reading it fails and it is named.
        let Some(end_marker) = rest[start..].find("-----END ") else {
            out.push((line, &rest[start..]));
            break;
        };
        let end = rest[start + end_marker..].find('\n').map(|i| start + end_marker + i).unwrap_or(rest.len());
        out.push((line, &rest[start..end]));
        offset += end;
        rest = &rest[end..];
    }
    out
}

pub fn parse_find_identity(out: &str) -> Vec<String> {
    let mut v: Vec<String> = out
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let (num, rest) = l.split_once(") ")?;
            num.parse::<u32>().ok()?;
            let hash = rest.split_whitespace().next()?;
            (hash.len() == 40 && hash.chars().all(|c| c.is_ascii_hexdigit())).then(|| hash.to_ascii_uppercase())
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The identities that could sign a release for a platform and team at `now`.
pub fn usable<'a>(scan: &'a Scan, platform: crate::workspace::Platform, team: Option<&str>, now: i64) -> Vec<&'a Identity> {
    scan.identities
        .iter()
        .filter(|i| i.certificate.kind.ships(platform) && i.has_private_key && i.certificate.valid_at(now))
        .filter(|i| team.is_none() || i.certificate.team_id.as_deref() == team)
        .collect()
}

/// What is wrong with one identity beyond its own dates and key, as a list or a card says it.
impl Scan {
    /// Other valid identities with a private key and the same name: codesign refuses the
    /// name as ambiguous. 0 when this one is not usable itself.
    pub fn same_name_count(&self, i: &Identity, now: i64) -> usize {
        let usable = |x: &Identity| x.has_private_key && x.certificate.valid_at(now);
        if !usable(i) {
            return 0;
        }
        self.identities.iter().filter(|x| usable(x) && x.certificate.common_name == i.certificate.common_name && x.certificate.sha1 != i.certificate.sha1).count()
    }

    /// A short note when the intermediate that issued `c` is absent or not valid now.
    pub fn issuer_problem(&self, c: &Certificate, now: i64) -> Option<String> {
        match c.issuer_among(&self.intermediates, now) {
            None => Some(format!("issuer not installed: {}", c.issuer_label())),
            Some(ca) if !ca.valid_at(now) => Some(format!("issuer {}: {}", if now < ca.not_before { "not valid yet" } else { "expired" }, c.issuer_label())),
            Some(_) => None,
        }
    }

    /// Whether an intermediate issued any identity seen here.
    pub fn issues_any(&self, ca: &Certificate) -> bool {
        self.identities.iter().any(|i| i.certificate.issued_by(ca))
    }
}

pub fn is_distribution(k: Kind) -> bool {
    matches!(k, Kind::Distribution | Kind::MacAppDistribution | Kind::DeveloperIdApplication)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_found_with_their_lines_and_a_cut_block_is_kept() {
        let text = "noise\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nkeychain: \"x\"\n-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nCC";
        let blocks = pem_blocks(text);
        let lines: Vec<usize> = blocks.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 6, 9]);
        assert!(blocks[1].1.contains("BBBB") && blocks[1].1.ends_with("-----END CERTIFICATE-----"));
        assert_eq!(blocks[2].1, "-----BEGIN CERTIFICATE-----\nCC");
        assert!(pem::parse(blocks[2].1).is_err());
        assert!(pem_blocks("nothing here").is_empty());
    }

    #[test]
    fn find_identity_output() {
        let out = "\nPolicy: Code Signing\n  Matching identities\n  1) 4A3B2C1D0E9F8A7B6C5D4E3F2A1B0C9D8E7F6A5B \"Apple Distribution: Michael Shaler (7XK2M9QPLA)\"\n  2) 0000000000000000000000000000000000000001 \"iPhone Distribution: Michael Shaler (7XK2M9QPLA)\" (CSSMERR_TP_CERT_EXPIRED)\n     2 identities found\n\n  Valid identities only\n  1) 4A3B2C1D0E9F8A7B6C5D4E3F2A1B0C9D8E7F6A5B \"Apple Distribution: Michael Shaler (7XK2M9QPLA)\"\n     1 valid identities found\n";
        assert_eq!(parse_find_identity(out), ["0000000000000000000000000000000000000001", "4A3B2C1D0E9F8A7B6C5D4E3F2A1B0C9D8E7F6A5B"]);
        assert!(parse_find_identity("garbage\n  1) short \"x\"\n").is_empty());
    }
}
