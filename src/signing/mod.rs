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

/// Reads the identity sources and the profile folders at the same time (the identity scan
/// on a thread of its own beside the profile readers): what `shipdeck check` and the tray do.
pub fn scan_all(ws: &crate::Workspace, sources: &[String], profile_folders: &[std::path::PathBuf]) -> (Scan, Vec<Profile>, Vec<(std::path::PathBuf, String)>) {
    scan_beside_profiles(|| identity::scan(ws, sources), profile_folders)
}

/// Runs `identities` on its own thread while the profiles of `profile_folders` are read.
pub fn scan_beside_profiles(identities: impl FnOnce() -> Scan + Send, profile_folders: &[std::path::PathBuf]) -> (Scan, Vec<Profile>, Vec<(std::path::PathBuf, String)>) {
    std::thread::scope(|s| {
        let ids = s.spawn(identities);
        let (profiles, bad) = profile::scan(profile_folders);
        let scan = ids.join().unwrap_or_else(|_| {
            let mut scan = Scan::default();
            scan.unavailable.push(identity::Unreadable { item: "identities".into(), path: None, message: "the identity scan stopped unexpectedly".into() });
            scan
        });
        (scan, profiles, bad)
    })
}

/// The signing item that expires first: (what, days left). Distribution identities with
/// their key and App Store profiles, as the tray shows them ("Apple Distribution: 212 days").
pub fn nearest_expiry(ws: &crate::Workspace, now: i64) -> Option<(String, i64)> {
    let extra = ws.profile_dirs();
    let (scan, profiles, _) = scan_all(ws, &ws.config.signing.sources, &profile::folders(&extra));
    let ids = scan
        .identities
        .iter()
        .filter(|i| identity::is_distribution(i.certificate.kind) && i.has_private_key && i.certificate.valid_at(now))
        .map(|i| (i.certificate.common_name.split(':').next().unwrap_or("").to_string(), i.certificate.days_left(now)));
    let profiles = profiles.into_iter().filter(|p| p.expires > now).map(|p| (p.name.clone(), p.days_left(now)));
    ids.chain(profiles).min_by_key(|(_, d)| *d)
}
