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
    /// Why the system does not trust it, as `security find-identity` says after its name
    /// (`CSSMERR_TP_CERT_REVOKED`, `CSSMERR_TP_NOT_TRUSTED`, ...) or the keychain's trust
    /// evaluation; `None` when it is trusted or nothing evaluated it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<String>,
}

impl Identity {
    /// Revoked or not trusted: it cannot sign, whatever its dates say. (An expired one is
    /// told by its dates.)
    pub fn distrusted(&self) -> bool {
        self.trust.as_deref().is_some_and(|t| t != "CSSMERR_TP_CERT_EXPIRED")
    }
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
            None => self.identities.push(Identity { certificate: cert, has_private_key: has_key, source: source.to_string(), trust: None }),
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

/// One DER element: its tag, its content, and what follows it.
fn der_next(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        (rest[..n].iter().fold(0usize, |a, b| (a << 8) | *b as usize), &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

fn der_len(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
    std::iter::once(0x80 | bytes.len() as u8).chain(bytes).collect()
}

/// The public key of a PEM private key, in the form a certificate carries it, for the
/// formats keys come in: PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`, what older
/// OpenSSL and LibreSSL write) and SEC1 (`EC PRIVATE KEY`).
fn public_key_of_pem(tag: &str, der: &[u8]) -> crate::Result<Vec<u8>> {
    let unreadable = || crate::Error::Invalid(format!("a {tag} Shipdeck cannot read"));
    match tag {
        "PRIVATE KEY" => public_key_of(der).ok_or_else(unreadable),
        "RSA PRIVATE KEY" => {
            // PKCS#8 around the PKCS#1 key: version 0, rsaEncryption with NULL parameters.
            let mut info = vec![0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x04];
            info.extend(der_len(der.len()));
            info.extend_from_slice(der);
            let mut pkcs8 = vec![0x30];
            pkcs8.extend(der_len(info.len()));
            pkcs8.extend(info);
            public_key_of(&pkcs8).ok_or_else(unreadable)
        }
        "EC PRIVATE KEY" => {
            // ECPrivateKey: version, key, [0] curve, [1] public key (a BIT STRING).
            let (0x30, mut fields, _) = der_next(der).ok_or_else(unreadable)? else { return Err(unreadable()) };
            while let Some((tag, content, rest)) = der_next(fields) {
                if tag == 0xa1 {
                    let (0x03, bits, _) = der_next(content).ok_or_else(unreadable)? else { return Err(unreadable()) };
                    return bits.split_first().map(|(_, point)| point.to_vec()).ok_or_else(unreadable);
                }
                fields = rest;
            }
            Err(crate::Error::Invalid("an EC PRIVATE KEY without its public key: convert it with `openssl pkcs8 -topk8 -nocrypt`".into()))
        }
        "ENCRYPTED PRIVATE KEY" => Err(crate::Error::Invalid("an encrypted private key: put it in a .p12 with its certificate, or decrypt it (`openssl pkcs8 -in KEY -out KEY.pem`)".into())),
        other => Err(crate::Error::Invalid(format!("unexpected PEM block {other}"))),
    }
}

/// A folder of .p12/.pfx (password from the configured environment variable), .pem/.crt
/// (certificates and keys), .cer/.der (DER certificates) and .key (PEM keys).
pub fn scan_dir(dir: &Path, p12_password: Option<&str>, scan: &mut Scan) {
    scan_dir_with(dir, &|_| Ok(p12_password.map(|p| (p.to_string(), "the password given".to_string()))), scan)
}

/// The password of one `.p12` of a `dir:` source: the environment variable named in
/// `signing.p12_password_env`, else the keychain item `p12:FILE`, else the item `p12`; with
/// where it came from, for the message when it does not open the file.
pub fn p12_password(env_var: Option<&str>, file_name: &str) -> crate::Result<Option<(String, String)>> {
    if let Some(var) = env_var {
        if let Some(v) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
            return Ok(Some((v, format!("the password from ${var}"))));
        }
    }
    for item in [crate::secrets::p12_item(file_name), crate::secrets::P12_DEFAULT.to_string()] {
        if let Some(v) = crate::secrets::get(&item)? {
            return Ok(Some((v, format!("the password in the keychain item {item}"))));
        }
    }
    Ok(None)
}

/// A `.p12` file's password and where it came from (for messages), by file name.
pub type P12Password<'a> = &'a dyn Fn(&str) -> crate::Result<Option<(String, String)>>;

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
                Err(e) => scan.unreadable.push(bad(e.to_string())),
            },
            "pem" | "crt" | "key" => match pem::parse_many(&bytes) {
                Ok(blocks) if !blocks.is_empty() => {
                    for b in blocks {
                        match b.tag() {
                            "CERTIFICATE" => match Certificate::from_der(b.contents()) {
                                Ok(c) => certs.push((c, shown.clone())),
                                Err(e) => scan.unreadable.push(bad(e.to_string())),
                            },
                            tag => match public_key_of_pem(tag, b.contents()) {
                                Ok(k) => keys.push(k),
                                Err(e) => scan.unreadable.push(bad(e.to_string())),
                            },
                        }
                    }
                }
                _ => scan.unreadable.push(bad("not a PEM file".into())),
            },
            "p12" | "pfx" => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let open = |password: &str| p12_keystore::KeyStore::from_pkcs12(&bytes, password, p12_keystore::Pkcs12ImportPolicy::Relaxed);
                let opened = match p12_password(&name) {
                    Ok(Some((password, from))) => open(&password).map_err(|_| format!("wrong password ({from}), or not a PKCS#12 file")),
                    // Exported without a password: it opens with the empty one.
                    Ok(None) => open("").map_err(|_| {
                        format!("a .p12 needs its password: store it in the keychain with `shipdeck secrets set p12:{name}` (or `p12` for every .p12), or name an environment variable in signing.p12_password_env")
                    }),
                    Err(e) => Err(format!("its password could not be read: {e}")),
                };
                match opened {
                    Err(message) => scan.unreadable.push(bad(message)),
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
                                            Err(e) => scan.unreadable.push(bad(e.to_string())),
                                        }
                                    }
                                }
                                p12_keystore::KeyStoreEntry::Certificate(c) => match Certificate::from_der(c.as_der()) {
                                    Ok(cert) => certs.push((cert, shown.clone())),
                                    Err(e) => scan.unreadable.push(bad(e.to_string())),
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

/// `security find-identity -p codesigning` (code-signing identities with their keys, valid or
/// not, each with its trust status), `security find-identity` with no policy (every identity: the
/// installer ones too, which are not code-signing certificates and which the first leaves out,
/// as fastlane's checks know) and `security find-certificate -a -p` (every certificate, the WWDR
/// intermediates included). With no keychain named, `security` reads every keychain of the
/// user's search list, a temporary one a CI job added with `security list-keychains -s` too.
pub fn scan_security(scan: &mut Scan) {
    let ids = Invocation::new("security", &["find-identity", "-p", "codesigning"]);
    let basic = Invocation::new("security", &["find-identity"]);
    let certs = Invocation::new("security", &["find-certificate", "-a", "-p"]);
    let run = |inv: &Invocation| match tools::capture(inv, TIMEOUT) {
        Ok(c) if c.success() => Ok(c.stdout),
        Ok(c) => Err(format!("`{}` failed: {}", inv.display(), c.stderr.trim())),
        // Off a Mac there is no `security`: said as what it is, not as a PATH problem.
        Err(crate::Error::Tool { problem: crate::error::ToolProblem::NotFound, .. }) if !cfg!(target_os = "macos") => Err("macOS's `security` tool is not on this machine".to_string()),
        Err(e) => Err(e.to_string()),
    };
    // Its output ends with "N identities found" (or "N valid identities found"): anything else
    // is named, and the certificates are still read (none counted as having its key).
    let listed = |inv: &Invocation, out: String, scan: &mut Scan| -> Vec<Listed> {
        if out.lines().any(|l| l.trim_end().ends_with("identities found")) {
            return parse_identities(&out);
        }
        let first = out.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("nothing");
        scan.unreadable.push(Unreadable {
            item: inv.display(),
            path: None,
            message: format!("unexpected output (\"{}\"): which certificates have their private key is unknown", first.chars().take(120).collect::<String>()),
        });
        Vec::new()
    };
    let mut with_keys = match run(&ids) {
        Ok(out) => listed(&ids, out, scan),
        Err(e) => {
            scan.unavailable.push(Unreadable { item: "security".into(), path: None, message: e });
            return;
        }
    };
    // The installer identities: their keys only (their trust under the code-signing policy
    // means nothing).
    match run(&basic) {
        Ok(out) => {
            for l in listed(&basic, out, scan) {
                if !with_keys.iter().any(|w| w.sha1 == l.sha1) {
                    with_keys.push(Listed { status: None, ..l });
                }
            }
        }
        Err(e) => scan.unreadable.push(Unreadable { item: basic.display(), path: None, message: format!("{e}: installer identities are not known to have their keys") }),
    }
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
                        Ok(c) if is_signing_related(&c) => {
                            let listed = with_keys.iter().find(|l| l.sha1 == c.sha1);
                            let (has_key, trust) = (listed.is_some(), listed.and_then(|l| l.status.clone()));
                            let sha1 = c.sha1.clone();
                            scan.add_cert(c, has_key, "security");
                            if let Some(i) = scan.identities.iter_mut().find(|i| i.certificate.sha1 == sha1) {
                                i.trust = i.trust.take().or(trust);
                            }
                        }
                        Ok(_) => {}
                        Err(e) => scan.unreadable.push(Unreadable { item, path: None, message: e.to_string() }),
                    },
                }
            }
        }
    }
}

/// The SHA-1s of the identities `security find-identity` lists (`  1) 0123…ABCD "Name"`).
/// Whether a certificate from a whole keychain matters here: Apple's signing kinds and the
/// intermediates that issue them (a keychain also holds mail, web and root certificates).
pub fn is_signing_related(c: &Certificate) -> bool {
    c.kind != Kind::Other
}

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
    let mut v: Vec<String> = parse_identities(out).into_iter().map(|l| l.sha1).collect();
    v.sort();
    v.dedup();
    v
}

/// One identity `security find-identity` lists:
/// `  2) 0123…ABCD "iPhone Distribution: Name (TEAM)" (CSSMERR_TP_CERT_EXPIRED)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub sha1: String,
    pub name: String,
    /// The status in parentheses after the name, when there is one.
    pub status: Option<String>,
}

/// Every identity listed, once each (the "Valid identities only" section repeats some, without
/// their status: the first listing wins).
pub fn parse_identities(out: &str) -> Vec<Listed> {
    let mut v: Vec<Listed> = Vec::new();
    for l in out.lines() {
        let l = l.trim_start();
        let Some((num, rest)) = l.split_once(") ") else { continue };
        if num.parse::<u32>().is_err() {
            continue;
        }
        let Some(hash) = rest.split_whitespace().next().filter(|h| h.len() == 40 && h.chars().all(|c| c.is_ascii_hexdigit())) else { continue };
        let after = rest[hash.len()..].trim();
        // The name is quoted; a status, if any, follows in parentheses.
        let (name, tail) = match after.strip_prefix('"').and_then(|a| a.rfind('"').map(|i| (&a[..i], &a[i + 1..]))) {
            Some((n, t)) => (n.to_string(), t.trim()),
            None => (after.to_string(), ""),
        };
        let status = tail.strip_prefix('(').and_then(|t| t.strip_suffix(')')).map(str::to_string).filter(|s| !s.is_empty());
        let sha1 = hash.to_ascii_uppercase();
        if !v.iter().any(|x| x.sha1 == sha1) {
            v.push(Listed { sha1, name, status });
        }
    }
    v
}

/// The status the keychain source gives an identity from a failed trust evaluation
/// (`SecTrustEvaluateWithError`'s error code and text), in `security find-identity`'s words so
/// both sources say the same. An expired certificate is told by its dates, not here.
pub fn trust_status(code: i64, description: &str) -> Option<String> {
    // Security framework's OSStatus values (SecBase.h).
    const CERT_EXPIRED: i64 = -67818;
    const CERT_NOT_VALID_YET: i64 = -67819;
    const CERT_REVOKED: i64 = -67820;
    match code {
        0 | CERT_EXPIRED => None,
        CERT_REVOKED => Some("CSSMERR_TP_CERT_REVOKED".into()),
        CERT_NOT_VALID_YET => Some("CSSMERR_TP_CERT_NOT_VALID_YET".into()),
        _ => Some(format!("CSSMERR_TP_NOT_TRUSTED: {} ({code})", description.trim())),
    }
}

/// The identities that could sign a release for a platform and team at `now`.
pub fn usable<'a>(scan: &'a Scan, platform: crate::workspace::Platform, team: Option<&str>, now: i64) -> Vec<&'a Identity> {
    scan.identities
        .iter()
        .filter(|i| i.certificate.kind.ships(platform) && i.has_private_key && i.certificate.valid_at(now) && !i.distrusted())
        .filter(|i| team.is_none() || i.certificate.team_id.as_deref() == team)
        .collect()
}

/// What is wrong with one identity beyond its own dates and key, as a list or a card says it.
impl Scan {
    /// Other valid identities with a private key and the same name: codesign refuses the
    /// name as ambiguous. 0 when this one is not usable itself.
    pub fn same_name_count(&self, i: &Identity, now: i64) -> usize {
        let usable = |x: &Identity| x.has_private_key && x.certificate.valid_at(now) && !x.distrusted();
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
    matches!(k, Kind::Distribution | Kind::MacAppDistribution | Kind::MacInstallerDistribution | Kind::DeveloperIdApplication)
}

/// Valid Mac Installer Distribution identities with their key (of `team` when given): what
/// signs the `.pkg` a Mac App Store export makes.
pub fn usable_installer<'a>(scan: &'a Scan, team: Option<&str>, now: i64) -> Vec<&'a Identity> {
    scan.identities
        .iter()
        .filter(|i| i.certificate.kind == Kind::MacInstallerDistribution && i.has_private_key && i.certificate.valid_at(now) && !i.distrusted())
        .filter(|i| team.is_none() || i.certificate.team_id.as_deref() == team)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test key (made for this test with `openssl genrsa -traditional 2048`; it guards nothing).
    const RSA_PKCS1: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEAuLmf8jFROR7qO3eKsbHF8qfukfPOUEjDTKPBblqbUPTv+fst\nqQAfqrNNmNeOnmrXPHNaW6a+L0PLKR2HkW61+uNJei4kH3LYT1XzNpklzaG8Y4VX\naIPhKEEJ17tuyWENUiFryLnQkb8gd5qpB0/KlRtGsFvV22ENf5FHAiSoqbpfAO4x\njOaIR8pYnEae05rG4g0m9EwK8mScWkOeuxQYf1v0q33+h7vZOPw5hcLpeoi5zr1h\nKuRi1fAfX2kHXFdOuL2oZr7T/ZdjQ12BD0qsRS9dSFopBDbR/jpoxYrQfHLHqmpw\nkEkC/JDFauSHEMgb8LgKT/cn7GcipjpMebIeuwIDAQABAoIBAAoEdvoJVqBEXutu\npiTQwS1Rkgx0LkIIUB792mWDoFyZi9IAnw9FJHJ7Wr/pIKDSpm1uy/2gYzvo70GB\ninKGkHPUk41+pxLVhYl33cKeN4CZPsAe4QiX7kPikwgR8AYXr0M+8Ltn6DmfJcGW\nr4fn+dJwMjsqH8TP1I2QcUtadZMOorWAG70RGF6+/S97bsbm6HXUK45kVsUCSwOU\nNSAhq+Q5Kt5DeU3pVJaZauu+iQpVXJYulkBGiJOBSBVwFjMZjTUrvzxUuZRdjgko\nrPeXxEMkIbWUAG97x9g5l4kR3/0BYj50iFNs6RVvkPsVSKwVWlRGrWsPExE5FcMF\nMXyRNKECgYEA3RL9XgkB4CitxljaOXcGlt0W81pX/H+b8z6uMl2viMvvpYMGnvNf\nW1DpRyFQDTVzua9AJBerGahoavoVcpUnlJu6JsQRdsxV02WScuCqdkuSAs3sD4Hp\nSOb5MKwiX4k6hEuXTNNcrxS66uUFST3udiPhhF86qCXDK0WMfiAguKkCgYEA1eiN\nMH7KelIn9Q6B/JqMdECO8+KRk+XQS1T6EpbRCgSZLaHjBQIXcxtcKlllHjAp96f5\n90lVv70r0nQCNi/wLE2jYxammXntHLVnf684o9RrA6EPTiELdX9z8lM4P3kZfNz3\n0cTm0RJJgZbaN4fKoqhRSXPxN5Q1HGTumRBVhsMCgYEAsNLWixdDQ8rlq4c4DMyS\nHar7B2xUgeaDkxyociqTEySjKsxRSGO6+qwN2lHf2KDPTk7JS9UOirgzxJUBAKQi\ng2/Hheg/W7j2UN6mM3JVhcbOI6YXURQExsXPvMmBuM5nWpenjdBlCrjXBLhn8Pwz\nNpVedOVCYmnJ4FuBkwQZh/kCgYEAvsllLKzZwVIHi32+GGRsA8AVAJfDSkt+hcIs\nLWpQ1gOV7+plBnGAIs1zXd5P3yYMOHSc8Z96GMMME/AejOAi8hDpOpbYTyk9gA6Y\nWn0ZIp5yOFFtyjyU8N6Vtrvc/lfvkLuxWWqqiC0sXKYEyeSWqo8/uSjtK6pH2KR5\nXxH/hmsCgYEAlLlsJ+8ZtESJgbVKzaLLERDm0kj7qOe3FmbZuh/PZI06Zw0GDWn2\n2CserGwpzHfeqXTbPexkBXmx4PgO1du/wmh8TWOBoqIoB1oyV/Db9JnALsToxtGy\nskN8EB+ZIuQLrbyAnaZc2upBYw2xMw0CjufSEfsFasGf/WYLoF9d9sk=\n-----END RSA PRIVATE KEY-----\n";

    /// A self-signed Apple Distribution certificate for `key`, as DER.
    fn distribution_cert(key: &rcgen::KeyPair, cn: &str) -> Vec<u8> {
        let mut p = rcgen::CertificateParams::default();
        p.distinguished_name.push(rcgen::DnType::CommonName, cn);
        p.distinguished_name.push(rcgen::DnType::OrganizationalUnitName, "7XK2M9QPLA");
        p.self_signed(key).unwrap().der().to_vec()
    }

    fn scan_of(dir: &Path, password: Option<&str>) -> Scan {
        let mut scan = Scan::default();
        scan_dir(dir, password, &mut scan);
        scan
    }

    #[test]
    fn keys_in_pkcs1_sec1_and_pkcs8_pair_with_their_certificates() {
        let dir = tempfile::tempdir().unwrap();
        // RSA in PKCS#1 ("RSA PRIVATE KEY", as older OpenSSL and LibreSSL write it).
        let pkcs1 = pem::parse(RSA_PKCS1).unwrap();
        assert_eq!(pkcs1.tag(), "RSA PRIVATE KEY");
        let mut pkcs8 = vec![0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x04];
        pkcs8.extend(der_len(pkcs1.contents().len()));
        pkcs8.extend_from_slice(pkcs1.contents());
        let mut wrapped = vec![0x30];
        wrapped.extend(der_len(pkcs8.len()));
        wrapped.extend(pkcs8);
        let rsa = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&wrapped.as_slice().into(), &rcgen::PKCS_RSA_SHA256).unwrap();
        std::fs::write(dir.path().join("rsa.cer"), distribution_cert(&rsa, "Apple Distribution: RSA (7XK2M9QPLA)")).unwrap();
        std::fs::write(dir.path().join("rsa.key"), RSA_PKCS1).unwrap();
        // EC in SEC1 ("EC PRIVATE KEY"): the inner key of a PKCS#8 one.
        let ec = rcgen::KeyPair::generate().unwrap();
        let der = ec.serialize_der();
        let (_, info, _) = der_next(&der).unwrap();
        let (_, _, rest) = der_next(info).unwrap();
        let (_, _, rest) = der_next(rest).unwrap();
        let (tag, sec1, _) = der_next(rest).unwrap();
        assert_eq!(tag, 0x04);
        std::fs::write(dir.path().join("ec.cer"), distribution_cert(&ec, "Apple Distribution: EC (7XK2M9QPLA)")).unwrap();
        std::fs::write(dir.path().join("ec.key"), pem::encode(&pem::Pem::new("EC PRIVATE KEY", sec1.to_vec()))).unwrap();
        // PKCS#8, and a key that is encrypted.
        let p8 = rcgen::KeyPair::generate().unwrap();
        std::fs::write(dir.path().join("p8.pem"), format!("{}{}", pem::encode(&pem::Pem::new("CERTIFICATE", distribution_cert(&p8, "Apple Distribution: P8 (7XK2M9QPLA)"))), p8.serialize_pem()))
            .unwrap();
        std::fs::write(dir.path().join("locked.key"), pem::encode(&pem::Pem::new("ENCRYPTED PRIVATE KEY", vec![0x30, 0x00]))).unwrap();

        let scan = scan_of(dir.path(), None);
        let keyed: Vec<&str> = scan.identities.iter().filter(|i| i.has_private_key).map(|i| i.certificate.common_name.as_str()).collect();
        assert_eq!(keyed.len(), 3, "{:?} {:?}", scan.identities, scan.unreadable);
        for name in ["RSA", "EC", "P8"] {
            assert!(keyed.contains(&format!("Apple Distribution: {name} (7XK2M9QPLA)").as_str()), "{name}: {keyed:?}");
        }
        assert_eq!(scan.unreadable.len(), 1);
        assert_eq!(scan.unreadable[0].item, "locked.key");
        assert!(scan.unreadable[0].message.starts_with("an encrypted private key"), "{}", scan.unreadable[0].message);
        // A key of none of these forms is named, not taken for another.
        assert!(public_key_of_pem("RSA PRIVATE KEY", &[0x30, 0x03, 0x02, 0x01, 0x00]).unwrap_err().to_string().contains("cannot read"));
        assert!(public_key_of_pem("EC PRIVATE KEY", &[0x30, 0x03, 0x02, 0x01, 0x01]).unwrap_err().to_string().contains("without its public key"));
        assert!(public_key_of_pem("EC PRIVATE KEY", &[0x30, 0x09]).is_err());
    }

    #[test]
    fn damaged_keys_and_pem_text_are_refused_without_a_panic() {
        // Deterministic noise, and a real SEC1 key cut and flipped at every byte.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..5000 {
            let len = (next() % 64) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            for tag in ["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"] {
                let _ = public_key_of_pem(tag, &bytes);
            }
            let text: String = bytes.iter().map(|b| ['-', 'B', 'E', 'G', 'I', 'N', ' ', '\n', 'A', 'D'][(*b % 10) as usize]).collect();
            let whole = format!("-----BEGIN {text}-----END {text}");
            let blocks = pem_blocks(&whole);
            assert!(!blocks.is_empty(), "{text:?}");
            assert!(blocks.windows(2).all(|w| w[0].0 <= w[1].0), "lines in order: {text:?}");
        }
        let ec = rcgen::KeyPair::generate().unwrap();
        let der = ec.serialize_der();
        for cut in 0..der.len() {
            // A PKCS#8 key read as SEC1, whole or cut short, has no public key to give.
            assert!(public_key_of_pem("EC PRIVATE KEY", &der[..cut]).is_err());
            let mut flipped = der.clone();
            flipped[cut] ^= 0xff;
            let _ = public_key_of_pem("EC PRIVATE KEY", &flipped);
            let _ = public_key_of_pem("RSA PRIVATE KEY", &flipped);
        }
    }

    #[test]
    fn a_p12_exported_without_a_password_opens() {
        let dir = tempfile::tempdir().unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = p12_keystore::Certificate::from_der(&distribution_cert(&key, "Apple Distribution: Open (7XK2M9QPLA)")).unwrap();
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry(
            "d",
            p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(b"1".to_vec(), p12_keystore::PrivateKey::from_der(&key.serialize_der()).unwrap(), vec![cert])),
        );
        std::fs::write(dir.path().join("open.p12"), store.writer("").write().unwrap()).unwrap();
        std::fs::write(dir.path().join("locked.p12"), store.writer("secret").write().unwrap()).unwrap();
        let scan = scan_of(dir.path(), None);
        assert_eq!(scan.identities.len(), 1, "{:?}", scan.unreadable);
        assert!(scan.identities[0].has_private_key);
        assert_eq!(scan.unreadable.len(), 1);
        assert_eq!(scan.unreadable[0].item, "locked.p12");
        assert!(scan.unreadable[0].message.starts_with("a .p12 needs its password"));
    }

    #[test]
    fn pem_blocks_are_found_with_their_lines_and_a_cut_block_is_kept() {
        let text =
            "noise\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nkeychain: \"x\"\n-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nCC";
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

    #[test]
    fn find_identity_statuses_as_security_prints_them() {
        // electron-userland/electron-builder#1987 (names shortened), and an expired one.
        let out = "  1) A2409F7A150754323A3A209D6F59725BDA92F510 \"com.apple.idms.appleid.prd.4553\"\n  2) ED7BDA6187055A1AC51450D99700AC462E5BFE19 \"Developer ID Application: Ministry Centered Technologies (9JVJNE92L6)\"\n  3) A8B79ECB4AB9F958B801180AC207966CA4C05222 \"com.apple.kerberos.kdc\" (CSSMERR_TP_NOT_TRUSTED)\n  4) 0000000000000000000000000000000000000001 \"iPhone Distribution: A (B) (C)\" (CSSMERR_TP_CERT_REVOKED)\n     4 identities found\n\n  Valid identities only\n  1) ED7BDA6187055A1AC51450D99700AC462E5BFE19 \"Developer ID Application: Ministry Centered Technologies (9JVJNE92L6)\"\n     1 valid identities found\n";
        let l = parse_identities(out);
        assert_eq!(l.len(), 4);
        assert_eq!(l[1].status, None);
        assert_eq!(l[1].name, "Developer ID Application: Ministry Centered Technologies (9JVJNE92L6)");
        assert_eq!(l[2].status.as_deref(), Some("CSSMERR_TP_NOT_TRUSTED"));
        assert_eq!((l[3].name.as_str(), l[3].status.as_deref()), ("iPhone Distribution: A (B) (C)", Some("CSSMERR_TP_CERT_REVOKED")));
    }

    #[test]
    fn trust_errors_read_as_security_says_them() {
        assert_eq!(trust_status(-67820, "revoked").as_deref(), Some("CSSMERR_TP_CERT_REVOKED"));
        assert_eq!(trust_status(-67818, "expired"), None, "the dates tell it");
        let other = trust_status(-67843, "The certificate was not trusted.").unwrap();
        assert!(other.starts_with("CSSMERR_TP_NOT_TRUSTED: The certificate was not trusted."), "{other}");
    }
}
