//! A demo signing set for the sample workspace, generated at run time with dates relative to
//! today, so it never goes stale: a WWDR-like intermediate and the identities it issued
//! (healthy, expiring, expired, key-less, an ambiguous pair), and matching profiles.

use crate::error::{Error, Result};
use rcgen::{BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use std::path::{Path, PathBuf};
use time::{Duration, OffsetDateTime};

/// The team and ids of the demo (Isometry's).
pub struct Demo<'a> {
    pub team_id: &'a str,
    pub team_name: &'a str,
    /// (platform as in profiles: iOS / OSX, bundle id, profile name, days until it expires)
    pub apps: Vec<(&'a str, &'a str, &'a str, i64)>,
    pub container: &'a str,
}

impl Default for Demo<'_> {
    fn default() -> Self {
        Demo {
            team_id: "7XK2M9QPLA",
            team_name: "Michael Shaler",
            apps: vec![("iOS", "com.mshaler.isometry", "Isometry App Store Distribution", 300), ("OSX", "com.mshaler.isometry.macos", "Isometry Mac App Store Distribution", 20)],
            container: "iCloud.com.mshaler.isometry",
        }
    }
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::Other(format!("generating the demo signing set: {e}"))
}

/// Apple's marker extension for a certificate kind (its content is an ASN.1 NULL).
fn apple_oid(last: u64) -> CustomExtension {
    CustomExtension::from_oid_content(&[1, 2, 840, 113635, 100, 6, 1, last], vec![0x05, 0x00])
}

struct Leaf {
    file: &'static str,
    prefix: &'static str,
    oid: u64,
    /// Days relative to today.
    from: i64,
    to: i64,
    with_key: bool,
}

/// Writes the demo set into `out` (created; existing demo files are replaced). Returns the
/// files written.
pub fn generate(out: &Path, demo: &Demo, now: OffsetDateTime) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, &e))?;
    let mut written = Vec::new();
    let mut write = |name: &str, bytes: &[u8]| -> Result<PathBuf> {
        let p = out.join(name);
        std::fs::write(&p, bytes).map_err(|e| Error::io(&p, &e))?;
        written.push(p.clone());
        Ok(p)
    };

    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "Apple Worldwide Developer Relations Certification Authority");
    dn.push(DnType::OrganizationalUnitName, "G3");
    dn.push(DnType::OrganizationName, "Apple Inc. (Shipdeck demo)");
    dn.push(DnType::CountryName, "US");
    ca.distinguished_name = dn;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
    ca.not_before = now - Duration::days(400);
    ca.not_after = now + Duration::days(3000);
    let ca_cert = ca.self_signed(&ca_key).map_err(err)?;
    write("AppleWWDRCA-demo.cer", ca_cert.der())?;
    let issuer = Issuer::new(ca, &ca_key);

    let leaves = [
        Leaf { file: "apple-distribution", prefix: "Apple Distribution", oid: 7, from: -30, to: 212, with_key: true },
        Leaf { file: "iphone-distribution-expiring", prefix: "iPhone Distribution", oid: 4, from: -353, to: 12, with_key: true },
        Leaf { file: "iphone-distribution-expired", prefix: "iPhone Distribution", oid: 4, from: -405, to: -40, with_key: true },
        Leaf { file: "apple-distribution-no-key", prefix: "Apple Distribution", oid: 7, from: -10, to: 355, with_key: false },
        Leaf { file: "mac-app-distribution-1", prefix: "3rd Party Mac Developer Application", oid: 7, from: -100, to: 265, with_key: true },
        Leaf { file: "mac-app-distribution-2", prefix: "3rd Party Mac Developer Application", oid: 7, from: -5, to: 360, with_key: true },
        Leaf { file: "mac-installer-distribution", prefix: "3rd Party Mac Developer Installer", oid: 8, from: -100, to: 265, with_key: true },
    ];
    let mut distribution_der = Vec::new();
    for leaf in leaves {
        let key = KeyPair::generate().map_err(err)?;
        let mut p = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, format!("{}: {} ({})", leaf.prefix, demo.team_name, demo.team_id));
        dn.push(DnType::OrganizationalUnitName, demo.team_id);
        dn.push(DnType::OrganizationName, demo.team_name);
        dn.push(DnType::CountryName, "US");
        p.distinguished_name = dn;
        p.not_before = now + Duration::days(leaf.from);
        p.not_after = now + Duration::days(leaf.to);
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.custom_extensions = vec![apple_oid(leaf.oid)];
        let cert = p.signed_by(&key, &issuer).map_err(err)?;
        if leaf.file == "apple-distribution" {
            distribution_der = cert.der().to_vec();
        }
        if leaf.with_key {
            write(&format!("{}.pem", leaf.file), format!("{}{}", cert.pem(), key.serialize_pem()).as_bytes())?;
        } else {
            write(&format!("{}.cer", leaf.file), cert.der())?;
        }
    }

    // Profiles, signed (CMS SignedData) with the intermediate's key.
    let signing_key = x509_certificate::InMemorySigningKeyPair::from_pkcs8_der(ca_key.serialize_der()).map_err(err)?;
    let signing_cert = x509_certificate::CapturedX509Certificate::from_der(ca_cert.der().to_vec()).map_err(err)?;
    for (platform, bundle, name, days) in &demo.apps {
        let plist = profile_plist(demo, platform, bundle, name, now, *days, &distribution_der)?;
        // The encapsulated content is `id-data` (1.2.840.113549.1.7.1), as in Apple's profiles.
        let id_data = cryptographic_message_syntax::Oid(cryptographic_message_syntax::Bytes::copy_from_slice(&[42, 134, 72, 134, 247, 13, 1, 7, 1]));
        let signed = cryptographic_message_syntax::SignedDataBuilder::default()
            .content_type(id_data)
            .content_inline(plist)
            .signer(cryptographic_message_syntax::SignerBuilder::new(&signing_key, signing_cert.clone()))
            .build_der()
            .map_err(err)?;
        let ext = if *platform == "OSX" { "provisionprofile" } else { "mobileprovision" };
        write(&format!("{}.{ext}", name.replace(' ', "_")), &signed)?;
    }
    Ok(written)
}

fn profile_plist(demo: &Demo, platform: &str, bundle: &str, name: &str, now: OffsetDateTime, days: i64, cert: &[u8]) -> Result<Vec<u8>> {
    use plist::{Dictionary, Value};
    // Whole seconds, as Apple writes them (`2027-09-20T21:01:09Z`).
    let date = |t: OffsetDateTime| Value::Date(std::time::SystemTime::from(t.replace_nanosecond(0).unwrap_or(t)).into());
    let mut ents = Dictionary::new();
    let app_id = format!("{}.{bundle}", demo.team_id);
    if platform == "OSX" {
        ents.insert("com.apple.application-identifier".into(), Value::String(app_id));
        ents.insert("com.apple.developer.aps-environment".into(), Value::String("production".into()));
    } else {
        ents.insert("application-identifier".into(), Value::String(app_id));
        ents.insert("aps-environment".into(), Value::String("production".into()));
    }
    ents.insert("com.apple.developer.team-identifier".into(), Value::String(demo.team_id.into()));
    ents.insert("com.apple.developer.icloud-container-identifiers".into(), Value::Array(vec![Value::String(demo.container.into())]));
    ents.insert("com.apple.developer.icloud-services".into(), Value::Array(vec![Value::String("CloudKit".into())]));
    ents.insert("get-task-allow".into(), Value::Boolean(false));
    let mut d = Dictionary::new();
    d.insert("AppIDName".into(), Value::String("Isometry".into()));
    d.insert("ApplicationIdentifierPrefix".into(), Value::Array(vec![Value::String(demo.team_id.into())]));
    d.insert("CreationDate".into(), date(now - Duration::days(60)));
    d.insert("ExpirationDate".into(), date(now + Duration::days(days)));
    d.insert("DeveloperCertificates".into(), Value::Array(vec![Value::Data(cert.to_vec())]));
    d.insert("Entitlements".into(), Value::Dictionary(ents));
    d.insert("Name".into(), Value::String(name.into()));
    d.insert("Platform".into(), Value::Array(vec![Value::String(platform.into())]));
    d.insert("TeamIdentifier".into(), Value::Array(vec![Value::String(demo.team_id.into())]));
    d.insert("TeamName".into(), Value::String(demo.team_name.into()));
    d.insert("TimeToLive".into(), Value::Integer(days.into()));
    // A UUID of its own, from the certificate (fresh keys every run) and the bundle id.
    let h = crate::signing::cert::sha1_hex(&[cert, bundle.as_bytes()].concat());
    d.insert("UUID".into(), Value::String(format!("{}-{}-4{}-8{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])));
    d.insert("Version".into(), Value::Integer(1.into()));
    let mut out = Vec::new();
    Value::Dictionary(d).to_writer_xml(&mut out).map_err(err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::{identity, profile, Kind, ProfileKind};

    #[test]
    fn demo_set_reads_back_through_the_dir_source_and_the_profile_reader() {
        let dir = tempfile::tempdir().unwrap();
        let now = OffsetDateTime::now_utc();
        let files = generate(dir.path(), &Demo::default(), now).unwrap();
        assert_eq!(files.len(), 10);
        let mut scan = identity::Scan::default();
        identity::scan_dir(dir.path(), None, &mut scan);
        assert!(scan.unreadable.is_empty(), "{:?}", scan.unreadable);
        assert_eq!(scan.intermediates.len(), 1);
        assert_eq!(scan.identities.len(), 7);
        let t = now.unix_timestamp();
        let by = |file: &str| scan.identities.iter().find(|i| i.source.ends_with(file)).unwrap();
        let healthy = by("apple-distribution.pem");
        assert_eq!(healthy.certificate.kind, Kind::Distribution);
        assert_eq!(healthy.certificate.team_id.as_deref(), Some("7XK2M9QPLA"));
        assert!(healthy.has_private_key);
        assert_eq!(healthy.certificate.days_left(t), 212);
        assert_eq!(by("iphone-distribution-expiring.pem").certificate.days_left(t), 12);
        assert!(!by("iphone-distribution-expired.pem").certificate.valid_at(t));
        assert!(!by("apple-distribution-no-key.cer").has_private_key);
        assert_eq!(by("mac-installer-distribution.pem").certificate.kind, Kind::MacInstallerDistribution);
        assert_eq!(healthy.certificate.issuer, scan.intermediates[0].common_name);

        let (profiles, bad) = profile::scan(&[dir.path().to_path_buf()]);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(profiles.len(), 2);
        let ios = profiles.iter().find(|p| p.platforms == ["iOS"]).unwrap();
        assert_eq!(ios.name, "Isometry App Store Distribution");
        assert_eq!(ios.kind, ProfileKind::AppStore);
        assert_eq!(ios.bundle_id.as_deref(), Some("com.mshaler.isometry"));
        assert!(ios.covers("com.mshaler.isometry") && !ios.covers("com.mshaler.isometry.macos"));
        assert_eq!(ios.certificates, std::slice::from_ref(&healthy.certificate.sha1));
        assert_eq!(ios.containers(), ["iCloud.com.mshaler.isometry"]);
        assert_eq!(ios.days_left(t), 300);
    }
}
