//! Signing health: certificates, identities and provisioning profiles.

pub mod cert;
pub mod demo;
pub mod identity;
pub mod profile;

pub use cert::{Certificate, Kind};
pub use identity::{Identity, Scan};
pub use profile::{Profile, ProfileKind};

/// Now, in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}
