//! Signing health: certificates, identities and provisioning profiles.

pub mod cert;
pub mod demo;
pub mod identity;
#[cfg(target_os = "macos")]
pub mod keychain;
pub mod profile;

pub use cert::{Certificate, Kind};
pub use identity::{Identity, Scan};
pub use profile::{Profile, ProfileKind};

/// Now, in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// The signing item that expires first: (what, days left). Distribution identities with
/// their key and App Store profiles, as the tray shows them ("Apple Distribution: 212 days").
pub fn nearest_expiry(ws: &crate::Workspace, now: i64) -> Option<(String, i64)> {
    let scan = identity::scan(ws, &ws.config.signing.sources);
    let ids = scan
        .identities
        .iter()
        .filter(|i| identity::is_distribution(i.certificate.kind) && i.has_private_key && i.certificate.valid_at(now))
        .map(|i| (i.certificate.common_name.split(':').next().unwrap_or("").to_string(), i.certificate.days_left(now)));
    let extra: Vec<std::path::PathBuf> = ws.config.signing.profile_dirs.iter().map(|d| ws.path(d)).collect();
    let (profiles, _) = profile::scan(&profile::folders(&extra));
    let profiles = profiles.into_iter().filter(|p| p.expires > now).map(|p| (p.name.clone(), p.days_left(now)));
    ids.chain(profiles).min_by_key(|(_, d)| *d)
}
