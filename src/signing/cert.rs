//! A signing certificate, read from DER: what it is for, whose it is, and how long it lasts.

use serde::Serialize;
use sha1::{Digest, Sha1};
use x509_parser::prelude::*;

/// What a certificate signs, from its subject name and Apple's extension OIDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// App Store / ad hoc distribution: `Apple Distribution` and the older `iPhone Distribution`.
    Distribution,
    /// `Apple Development`, `iPhone Developer`, `Mac Developer`.
    Development,
    /// `3rd Party Mac Developer Application` / Mac App Distribution.
    MacAppDistribution,
    /// `3rd Party Mac Developer Installer` / Mac Installer Distribution.
    MacInstallerDistribution,
    DeveloperIdApplication,
    DeveloperIdInstaller,
    /// Apple Worldwide Developer Relations: the intermediate that issues the others.
    Wwdr,
    Other,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Distribution => "Distribution",
            Kind::Development => "Development",
            Kind::MacAppDistribution => "Mac App Distribution",
            Kind::MacInstallerDistribution => "Mac Installer Distribution",
            Kind::DeveloperIdApplication => "Developer ID Application",
            Kind::DeveloperIdInstaller => "Developer ID Installer",
            Kind::Wwdr => "WWDR intermediate",
            Kind::Other => "Other",
        }
    }

    /// Can sign an App Store build for this platform.
    pub fn ships(self, platform: crate::workspace::Platform) -> bool {
        match platform {
            p if !p.is_mac() => self == Kind::Distribution,
            _ => matches!(self, Kind::Distribution | Kind::MacAppDistribution),
        }
    }
}

/// Apple's marker extensions, under 1.2.840.113635.100.6.1.
const OID_PREFIX: &str = "1.2.840.113635.100.6.1.";

fn kind_of(cn: &str, oids: &[String], is_ca: bool) -> Kind {
    let by_name = [
        ("Apple Distribution", Kind::Distribution),
        ("iPhone Distribution", Kind::Distribution),
        ("Apple Development", Kind::Development),
        ("iPhone Developer", Kind::Development),
        ("Mac Developer", Kind::Development),
        ("3rd Party Mac Developer Application", Kind::MacAppDistribution),
        ("Mac App Distribution", Kind::MacAppDistribution),
        ("3rd Party Mac Developer Installer", Kind::MacInstallerDistribution),
        ("Mac Installer Distribution", Kind::MacInstallerDistribution),
        ("Developer ID Application", Kind::DeveloperIdApplication),
        ("Developer ID Installer", Kind::DeveloperIdInstaller),
    ];
    // Apple's issuing intermediates: WWDR (every generation) and, for Developer ID, its own.
    if (cn.contains("Worldwide Developer Relations") || cn.starts_with("Developer ID Certification Authority")) && (is_ca || cn.contains("Certification Authority")) {
        return Kind::Wwdr;
    }
    if let Some((_, k)) = by_name.iter().find(|(p, _)| cn.starts_with(p)) {
        return *k;
    }
    let has = |n: &str| oids.iter().any(|o| o.strip_prefix(OID_PREFIX) == Some(n));
    if has("13") {
        Kind::DeveloperIdApplication
    } else if has("14") {
        Kind::DeveloperIdInstaller
    } else if has("4") {
        Kind::Distribution
    } else if has("7") {
        Kind::MacAppDistribution
    } else if has("8") {
        Kind::MacInstallerDistribution
    } else if has("2") || has("12") {
        Kind::Development
    } else {
        Kind::Other
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    pub common_name: String,
    /// The subject's OU: the 10-character team id.
    pub team_id: Option<String>,
    pub organization: Option<String>,
    pub kind: Kind,
    /// Upper-case hex, as `security find-identity` prints it.
    pub sha1: String,
    pub serial: String,
    /// Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    /// The issuer's common name.
    pub issuer: String,
    /// The whole issuer and subject names (RFC 4514 text): the WWDR intermediates of every
    /// generation share one common name and differ in their OU (G3, G4...).
    pub issuer_dn: String,
    pub subject_dn: String,
    /// The issuer's OU: for an Apple intermediate, its generation (G3, G4...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_ou: Option<String>,
    /// Key identifiers (hex): the issuer's key named in this certificate, and this
    /// certificate's own key, which is how keychains build a chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority_key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_key_id: Option<String>,
    pub is_ca: bool,
    #[serde(skip)]
    pub der: Vec<u8>,
    /// The SubjectPublicKeyInfo, to pair the certificate with its private key.
    #[serde(skip)]
    pub public_key: Vec<u8>,
}

fn attr(name: &X509Name, oid: &x509_parser::der_parser::oid::Oid) -> Option<String> {
    name.iter_by_oid(oid).next().and_then(|a| a.as_str().ok()).map(String::from)
}

pub fn sha1_hex(der: &[u8]) -> String {
    hex(&Sha1::digest(der))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

impl Certificate {
    pub fn from_der(der: &[u8]) -> crate::Result<Certificate> {
        let (rest, cert) = X509Certificate::from_der(der).map_err(|e| crate::Error::Invalid(format!("not an X.509 certificate: {e}")))?;
        if !rest.is_empty() {
            return Err(crate::Error::Invalid("trailing bytes after the certificate".into()));
        }
        let subject = cert.subject();
        let common_name = attr(subject, &x509_parser::oid_registry::OID_X509_COMMON_NAME).unwrap_or_default();
        let oids: Vec<String> = cert.extensions().iter().map(|e| e.oid.to_id_string()).collect();
        let is_ca = cert.basic_constraints().ok().flatten().map(|b| b.value.ca).unwrap_or(false);
        let mut authority_key_id = None;
        let mut subject_key_id = None;
        for e in cert.extensions() {
            match e.parsed_extension() {
                ParsedExtension::AuthorityKeyIdentifier(a) => authority_key_id = a.key_identifier.as_ref().map(|k| hex(k.0)),
                ParsedExtension::SubjectKeyIdentifier(k) => subject_key_id = Some(hex(k.0)),
                _ => {}
            }
        }
        Ok(Certificate {
            kind: kind_of(&common_name, &oids, is_ca),
            team_id: attr(subject, &x509_parser::oid_registry::OID_X509_ORGANIZATIONAL_UNIT),
            organization: attr(subject, &x509_parser::oid_registry::OID_X509_ORGANIZATION_NAME),
            common_name,
            sha1: sha1_hex(der),
            serial: cert.raw_serial_as_string().replace(':', "").to_uppercase(),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            issuer: attr(cert.issuer(), &x509_parser::oid_registry::OID_X509_COMMON_NAME).unwrap_or_default(),
            issuer_ou: attr(cert.issuer(), &x509_parser::oid_registry::OID_X509_ORGANIZATIONAL_UNIT),
            issuer_dn: cert.issuer().to_string(),
            subject_dn: subject.to_string(),
            authority_key_id,
            subject_key_id,
            is_ca,
            public_key: cert.public_key().subject_public_key.data.to_vec(),
            der: der.to_vec(),
        })
    }

    /// Days until expiry, a part-day counting as a day (negative once expired).
    pub fn days_left(&self, now: i64) -> i64 {
        -(now - self.not_after).div_euclid(86_400)
    }

    pub fn valid_at(&self, now: i64) -> bool {
        self.not_before <= now && now < self.not_after
    }

    /// Whether `ca` is the certificate that issued this one: by key identifier where both
    /// carry one (as a keychain builds the chain), else by the whole issuer name.
    pub fn issued_by(&self, ca: &Certificate) -> bool {
        match (&self.authority_key_id, &ca.subject_key_id) {
            (Some(a), Some(s)) => a == s,
            _ => self.issuer_dn == ca.subject_dn,
        }
    }

    /// The intermediate that issued this certificate: a valid one if any is present, else
    /// the one that lasted longest (expired, or not yet valid).
    pub fn issuer_among<'a>(&self, cas: &'a [Certificate], now: i64) -> Option<&'a Certificate> {
        let mut found: Vec<&Certificate> = cas.iter().filter(|ca| self.issued_by(ca)).collect();
        found.sort_by_key(|ca| (ca.valid_at(now), ca.not_after));
        found.pop()
    }

    /// The issuer named as a person reads it: the common name, with the generation (OU) when
    /// it has one, e.g. "Apple Worldwide Developer Relations Certification Authority (G3)".
    pub fn issuer_label(&self) -> String {
        match self.issuer_ou.as_deref().filter(|ou| !ou.is_empty()) {
            Some(ou) => format!("{} ({ou})", self.issuer),
            None => self.issuer.clone(),
        }
    }

    /// An intermediate's generation (G3, G4...): its subject's OU, which for a signing
    /// certificate is the team id.
    pub fn generation(&self) -> Option<&str> {
        self.team_id.as_deref().filter(|ou| self.kind == Kind::Wwdr && !ou.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names_and_oids() {
        assert_eq!(kind_of("iPhone Distribution: A (T)", &[], false), Kind::Distribution);
        assert_eq!(kind_of("Apple Distribution: A (T)", &[], false), Kind::Distribution);
        assert_eq!(kind_of("3rd Party Mac Developer Application: A (T)", &[], false), Kind::MacAppDistribution);
        assert_eq!(kind_of("Developer ID Installer: A (T)", &[], false), Kind::DeveloperIdInstaller);
        assert_eq!(kind_of("Someone", &["1.2.840.113635.100.6.1.13".into()], false), Kind::DeveloperIdApplication);
        assert_eq!(kind_of("Apple Worldwide Developer Relations Certification Authority", &[], true), Kind::Wwdr);
        assert_eq!(kind_of("Developer ID Certification Authority", &[], true), Kind::Wwdr);
        assert_eq!(kind_of("Apple Root CA", &[], true), Kind::Other);
        assert!(Kind::Distribution.ships(crate::workspace::Platform::Ios));
        assert!(!Kind::MacAppDistribution.ships(crate::workspace::Platform::Ios));
        assert!(Kind::MacAppDistribution.ships(crate::workspace::Platform::Macos));
    }

    #[test]
    fn a_part_day_counts_as_a_day() {
        let c = |not_after: i64| Certificate {
            common_name: String::new(),
            team_id: None,
            organization: None,
            kind: Kind::Other,
            sha1: String::new(),
            serial: String::new(),
            not_before: 0,
            not_after,
            issuer: String::new(),
            issuer_dn: String::new(),
            subject_dn: String::new(),
            issuer_ou: None,
            authority_key_id: None,
            subject_key_id: None,
            is_ca: false,
            der: vec![],
            public_key: vec![],
        };
        assert_eq!(c(12 * 86_400).days_left(1), 12);
        assert_eq!(c(12 * 86_400).days_left(0), 12);
        assert_eq!(c(0).days_left(1), 0);
        assert_eq!(c(0).days_left(86_401), -1);
    }
}
