//! The `keychain` identity source on a Mac, through security-framework: every code-signing
//! certificate in the keychain search list, and which of them have their private key (an
//! identity), each identity's trust evaluated (SecTrust, basic X.509 policy). Written from the
//! crate's documentation; it builds only on macOS, so the tests
//! here exercise the same model through the `security` command's fake instead.

use super::cert::Certificate;
use super::identity::{Scan, Unreadable};
use security_framework::certificate::SecCertificate;
use security_framework::item::{ItemClass, ItemSearchOptions, Limit, Reference, SearchResult};
use security_framework::policy::SecPolicy;
use security_framework::trust::SecTrust;

/// Whether the system trusts the certificate (basic X.509 policy, the keychains' intermediates
/// and the system's anchors), in `security find-identity`'s words; `None` when it does.
fn evaluate(c: &SecCertificate) -> Option<String> {
    let trust = match SecTrust::create_with_certificates(std::slice::from_ref(c), &[SecPolicy::create_x509()]) {
        Ok(t) => t,
        Err(e) => return super::identity::trust_status(e.code() as i64, &e.to_string()),
    };
    match trust.evaluate_with_error() {
        Ok(()) => None,
        Err(e) => super::identity::trust_status(e.code() as i64, &e.description().to_string()),
    }
}

/// errSecItemNotFound: the search found nothing, which is an answer, not a failure.
const ERR_SEC_ITEM_NOT_FOUND: i32 = -25300;

fn search(class: ItemClass) -> crate::Result<Vec<SearchResult>> {
    match ItemSearchOptions::new().class(class).load_refs(true).limit(Limit::All).search() {
        Ok(found) => Ok(found),
        Err(e) if e.code() == ERR_SEC_ITEM_NOT_FOUND => Ok(Vec::new()),
        Err(e) => Err(crate::Error::Keychain(e.to_string())),
    }
}

pub fn scan_keychain(scan: &mut Scan) {
    let mut with_keys: Vec<String> = Vec::new();
    match search(ItemClass::identity()) {
        Ok(results) => {
            for r in results {
                if let SearchResult::Ref(Reference::Identity(id)) = r {
                    if let Ok(cert) = id.certificate() {
                        with_keys.push(super::cert::sha1_hex(&cert.to_der()));
                    }
                }
            }
        }
        Err(e) => {
            scan.unavailable.push(Unreadable { item: "keychain".into(), path: None, message: format!("the keychain could not be searched: {e}") });
            return;
        }
    }
    match search(ItemClass::certificate()) {
        Ok(results) => {
            for r in results {
                if let SearchResult::Ref(Reference::Certificate(c)) = r {
                    let der = c.to_der();
                    match Certificate::from_der(&der) {
                        // Only Apple's signing certificates and their intermediates: a keychain
                        // holds many others (mail, web, roots).
                        Ok(cert) if super::identity::is_signing_related(&cert) => {
                            let has_key = with_keys.contains(&cert.sha1);
                            // Only an identity (a leaf with its key) is worth a trust evaluation.
                            let trust = (has_key && !cert.is_ca).then(|| evaluate(&c)).flatten();
                            let sha1 = cert.sha1.clone();
                            scan.add_cert(cert, has_key, "keychain");
                            if let Some(i) = scan.identities.iter_mut().find(|i| i.certificate.sha1 == sha1) {
                                i.trust = i.trust.take().or(trust);
                            }
                        }
                        Ok(_) => {}
                        Err(e) => scan.unreadable.push(Unreadable { item: "keychain certificate".into(), path: None, message: e.to_string() }),
                    }
                }
            }
        }
        Err(e) => scan.unavailable.push(Unreadable { item: "keychain".into(), path: None, message: format!("the keychain could not be searched: {e}") }),
    }
}
