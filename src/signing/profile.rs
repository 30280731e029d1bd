//! Provisioning profiles: CMS SignedData (DER or BER) around an XML property list.

use super::cert::sha1_hex;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileKind {
    AppStore,
    AdHoc,
    Development,
    Enterprise,
    DeveloperId,
}

impl ProfileKind {
    pub fn label(self) -> &'static str {
        match self {
            ProfileKind::AppStore => "App Store",
            ProfileKind::AdHoc => "Ad Hoc",
            ProfileKind::Development => "Development",
            ProfileKind::Enterprise => "Enterprise",
            ProfileKind::DeveloperId => "Developer ID",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub path: PathBuf,
    pub name: String,
    pub uuid: String,
    pub team_id: Option<String>,
    pub app_id_name: Option<String>,
    /// `TEAMID.com.example.app` (or with a `*` wildcard).
    pub app_id: Option<String>,
    /// The app id without its team prefix: `com.example.app`, `com.example.*`, `*`.
    pub bundle_id: Option<String>,
    /// `iOS`, `OSX`, `xrOS`...
    pub platforms: Vec<String>,
    pub kind: ProfileKind,
    /// Unix seconds.
    pub created: i64,
    pub expires: i64,
    pub entitlements: plist::Dictionary,
    /// SHA-1 of each certificate the profile lets sign.
    pub certificates: Vec<String>,
    pub devices: usize,
}

impl Profile {
    pub fn days_left(&self, now: i64) -> i64 {
        -(now - self.expires).div_euclid(86_400)
    }

    /// Whether the profile's app id covers a bundle id (exactly, or by its `*` wildcard).
    pub fn covers(&self, bundle_id: &str) -> bool {
        match self.bundle_id.as_deref() {
            Some("*") => true,
            Some(b) => match b.strip_suffix('*') {
                Some(prefix) => bundle_id.starts_with(prefix),
                None => b == bundle_id,
            },
            None => false,
        }
    }

    pub fn for_platform(&self, platform: crate::workspace::Platform) -> bool {
        let want = match platform {
            crate::workspace::Platform::Macos | crate::workspace::Platform::Catalyst => "OSX",
            crate::workspace::Platform::Tvos => "tvOS",
            crate::workspace::Platform::Visionos => "xrOS",
            crate::workspace::Platform::Ios => "iOS",
        };
        self.platforms.iter().any(|p| p == want)
    }

    /// The iCloud container ids the profile allows.
    pub fn containers(&self) -> Vec<String> {
        self.entitlements
            .get("com.apple.developer.icloud-container-identifiers")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_string().map(String::from)).collect())
            .unwrap_or_default()
    }
}

fn unix(d: plist::Date) -> i64 {
    let t: std::time::SystemTime = d.into();
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// The keys of a profile's property list that Shipdeck reads (the others are skipped
/// without being built).
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawProfile {
    name: Option<String>,
    #[serde(rename = "UUID")]
    uuid: Option<String>,
    #[serde(default)]
    team_identifier: Vec<String>,
    #[serde(rename = "AppIDName")]
    app_id_name: Option<String>,
    #[serde(default)]
    application_identifier_prefix: Vec<String>,
    #[serde(default)]
    platform: Vec<String>,
    entitlements: Option<plist::Dictionary>,
    #[serde(default)]
    developer_certificates: Vec<plist::Data>,
    provisioned_devices: Option<Vec<serde::de::IgnoredAny>>,
    provisions_all_devices: Option<bool>,
    creation_date: Option<plist::Date>,
    expiration_date: Option<plist::Date>,
}

/// Whether a certificate is a Developer ID Application one: it carries Apple's marker
/// extension 1.2.840.113635.100.6.1.13, or its subject name says so. Both are looked for in
/// the DER bytes: parsing every certificate of every profile costs more than the rest of the read.
fn is_developer_id(der: &[u8]) -> bool {
    const OID: &[u8] = &[0x06, 0x0A, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x63, 0x64, 0x06, 0x01, 0x0D];
    const NAME: &[u8] = b"Developer ID Application";
    memchr::memmem::find(der, OID).is_some() || memchr::memmem::find(der, NAME).is_some()
}

/// The signed content of a CMS SignedData (RFC 5652) in DER or BER: the profile's property
/// list. Walked with bcder (the ASN.1 layer the CMS crate is built on) down to the
/// encapsulated content only; the certificates and signer infos after it are skipped over
/// (their lengths still checked, so a truncated file is refused) rather than decoded, since
/// Shipdeck does not verify Apple's signature.
fn signed_content(bytes: &[u8]) -> crate::Result<bytes::Bytes> {
    use bcder::{decode::Constructed, Mode, OctetString, Oid, Tag};
    // id-signedData, 1.2.840.113549.1.7.2
    const SIGNED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];
    let content = Constructed::decode(bytes, Mode::Ber, |cons| {
        cons.take_sequence(|cons| {
            let kind = Oid::take_from(cons)?;
            if kind.as_ref() != SIGNED_DATA {
                return Err(cons.content_err("not SignedData"));
            }
            cons.take_constructed_if(Tag::CTX_0, |cons| {
                cons.take_sequence(|cons| {
                    cons.skip_one()?; // version
                    cons.skip_one()?; // digestAlgorithms
                    let content = cons.take_sequence(|cons| {
                        Oid::take_from(cons)?; // eContentType
                        cons.take_opt_constructed_if(Tag::CTX_0, OctetString::take_from)
                    })?;
                    // certificates, crls, signerInfos. (Not `skip_all`: bcder 0.7's stops with an
                    // error at the end of an indefinite-length value, which BER profiles have.)
                    while cons.skip_opt(|_, _, _| Ok(()))?.is_some() {}
                    Ok(content)
                })
            })
        })
    })
    .map_err(|e| crate::Error::Invalid(format!("not a CMS signed profile: {e}")))?;
    content.map(|c| c.to_bytes()).ok_or_else(|| crate::Error::Invalid("the profile carries no content".into()))
}

/// Reads one profile file.
pub fn read(path: &Path) -> crate::Result<Profile> {
    let bytes = std::fs::read(path).map_err(|e| crate::Error::Invalid(e.to_string()))?;
    let content = signed_content(&bytes)?;
    let content: &[u8] = content.as_ref();
    let raw: RawProfile = plist::from_bytes(content).map_err(|e| crate::Error::Invalid(format!("the profile's property list does not parse: {}", crate::plist_file::error_text(&e))))?;
    let ents = raw.entitlements.unwrap_or_default();
    let app_id = ents.get("application-identifier").or_else(|| ents.get("com.apple.application-identifier")).and_then(|v| v.as_string()).map(String::from);
    let team_id = raw.team_identifier.into_iter().next();
    let prefix = raw.application_identifier_prefix.into_iter().next().or_else(|| team_id.clone());
    let bundle_id = app_id.as_ref().map(|a| match &prefix {
        Some(p) => a.strip_prefix(&format!("{p}.")).unwrap_or(a).to_string(),
        None => a.split_once('.').map(|(_, b)| b.to_string()).unwrap_or_else(|| a.clone()),
    });
    let certificates: Vec<&[u8]> = raw.developer_certificates.iter().map(|d| d.as_ref()).collect();
    let devices = raw.provisioned_devices.map(|d| d.len());
    let get_task_allow = ents.get("get-task-allow").and_then(|v| v.as_boolean()).unwrap_or(false);
    let kind = if raw.provisions_all_devices == Some(true) {
        ProfileKind::Enterprise
    } else if devices.is_some() {
        if get_task_allow {
            ProfileKind::Development
        } else {
            ProfileKind::AdHoc
        }
    } else if certificates.iter().any(|der| is_developer_id(der)) {
        ProfileKind::DeveloperId
    } else if get_task_allow {
        ProfileKind::Development
    } else {
        ProfileKind::AppStore
    };
    Ok(Profile {
        path: path.to_path_buf(),
        name: raw.name.unwrap_or_default(),
        uuid: raw.uuid.unwrap_or_default(),
        team_id,
        app_id_name: raw.app_id_name,
        app_id,
        bundle_id,
        platforms: raw.platform,
        kind,
        created: raw.creation_date.map(unix).unwrap_or(0),
        expires: raw.expiration_date.map(unix).ok_or_else(|| crate::Error::Invalid("the profile has no ExpirationDate".into()))?,
        certificates: certificates.into_iter().map(sha1_hex).collect(),
        entitlements: ents,
        devices: devices.unwrap_or(0),
    })
}

/// Where Xcode keeps profiles (both the Xcode 16 folder and the older one), plus extras.
pub fn folders(extra: &[PathBuf]) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        v.push(home.join("Library/Developer/Xcode/UserData/Provisioning Profiles"));
        v.push(home.join("Library/MobileDevice/Provisioning Profiles"));
    }
    v.extend(extra.iter().cloned());
    v
}

/// The profiles that could sign `bundle` for `platform`: of the team (when known) and, when
/// the settings name one (PROVISIONING_PROFILE_SPECIFIER), that one by name or UUID.
pub fn candidates<'a>(profiles: &'a [Profile], platform: crate::workspace::Platform, bundle: &str, team: Option<&str>, specifier: Option<&str>) -> Vec<&'a Profile> {
    profiles
        .iter()
        .filter(|p| p.for_platform(platform) && p.covers(bundle) && (team.is_none() || p.team_id.as_deref() == team))
        .filter(|p| specifier.is_none_or(|s| p.name == s || p.uuid == s))
        .collect()
}

/// The kind of profile a profile's name says it is, when that is not App Store: the names Xcode
/// and fastlane match give (`match AdHoc <id>`, `match Development <id>`, `match Developer ID
/// <id>`) and the words teams use (`… Developer ID PP`, `… Ad Hoc`, TLS Inspector's
/// `TLS Inspector (Development)`). `None` for any other name.
pub fn kind_in_name(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    let has = |w: &str| n.contains(w);
    if has("developer id") || has("developerid") || has("dev id") || has("devid") {
        Some("a Developer ID")
    } else if has("ad hoc") || has("adhoc") || has("ad-hoc") {
        Some("an Ad Hoc")
    } else if n.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "development") || n.starts_with("ios team provisioning profile") || n.starts_with("mac team provisioning profile") {
        Some("a development")
    } else {
        None
    }
}

/// The one an App Store export takes among `candidates`: the newest unexpired App Store profile.
pub fn newest_app_store<'a>(candidates: &[&'a Profile], now: i64) -> Option<&'a Profile> {
    candidates.iter().copied().filter(|p| p.kind == ProfileKind::AppStore && p.expires > now).max_by_key(|p| p.created)
}

/// Every profile in the folders; each file that cannot be read is listed with its reason.
pub fn scan(folders: &[PathBuf]) -> (Vec<Profile>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    for f in folders {
        if let Ok(entries) = std::fs::read_dir(f) {
            files.extend(entries.flatten().map(|e| e.path()).filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("mobileprovision" | "provisionprofile"))));
        }
    }
    // By the bytes of the path: as good an order as by components, and cheaper.
    files.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    files.dedup();
    // Each profile is read on its own: the cores take the next file as they finish one (so a
    // core busy with something else, like the identity scan, just takes fewer), then the
    // results are put back in the files' order.
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    let mut read_back = vec![false; files.len()];
    for (i, r) in crate::fsutil::par_map(&files, |f| read(f)).into_iter().enumerate() {
        let Some(r) = r else { continue };
        read_back[i] = true;
        match r {
            Ok(p) => ok.push(p),
            Err(e) => bad.push((files[i].clone(), e.to_string())),
        }
    }
    // A reader that stopped (a panic in a parser) leaves its files unread: say so for each.
    bad.extend(read_back.iter().zip(&files).filter(|(done, _)| !**done).map(|(_, f)| (f.clone(), "could not be read (the reader stopped unexpectedly)".to_string())));
    (ok, bad)
}

/// Profiles a clean-up would move aside: expired ones, and older ones superseded by a newer
/// unexpired profile of the same name, team, platform and kind. With the reason for each.
pub fn stale(profiles: &[Profile], now: i64) -> Vec<(&Profile, String)> {
    let mut out = Vec::new();
    for p in profiles {
        if p.expires <= now {
            out.push((p, format!("expired {} days ago", -p.days_left(now))));
            continue;
        }
        let newer = profiles.iter().find(|q| {
            q.uuid != p.uuid && q.name == p.name && q.team_id == p.team_id && q.platforms == p.platforms && q.kind == p.kind && q.expires > now && (q.created, &q.uuid) > (p.created, &p.uuid)
        });
        if let Some(q) = newer {
            let file = q.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            out.push((p, format!("superseded by {} ({file}, {} days left)", q.uuid, q.days_left(now))));
        }
    }
    out
}

/// Where clean-ups put profiles under a data folder: one folder per clean-up, named by its
/// time, so the CLI and the app restore each other's.
pub fn cleanup_root(data_dir: &Path) -> PathBuf {
    data_dir.join("removed-profiles")
}

/// The newest clean-up under `root` that can still be restored (it has its index).
pub fn last_cleanup(root: &Path) -> Option<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(root).ok()?.flatten().map(|e| e.path()).filter(|p| p.join("moved.json").is_file()).collect();
    // Named `<unix time>-<unique>` (or, before, the time alone): newest last; the same second
    // ordered by when the folder was made.
    let key = |p: &PathBuf| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let mut parts = name.split('-');
        let stamp = parts.next().and_then(|n| n.parse::<i64>().ok()).unwrap_or(0);
        let nanos = parts.next().and_then(|n| n.parse::<u32>().ok()).unwrap_or(0);
        (stamp, nanos)
    };
    all.sort_by_key(key);
    all.pop()
}

/// Moves profiles into `into` (a new folder), recording where each came from in
/// `moved.json` so `restore` can put them back.
pub fn move_aside(paths: &[PathBuf], into: &Path) -> crate::Result<Vec<(PathBuf, PathBuf)>> {
    // A folder of its own: a second clean-up in the same second never writes into this one.
    if into.join("moved.json").exists() {
        return Err(crate::Error::Io { path: into.to_path_buf(), message: "holds an earlier clean-up already; nothing was moved".into() });
    }
    std::fs::create_dir_all(into).map_err(|e| crate::Error::io(into, &e))?;
    let into = into.canonicalize().map_err(|e| crate::Error::io(into, &e))?;
    // Absolute paths, so a restore puts each profile back where it was from any folder.
    let plan: Vec<(PathBuf, PathBuf)> = paths
        .iter()
        .enumerate()
        .map(|(i, from)| {
            let from = from.canonicalize().unwrap_or_else(|_| from.clone());
            let name = from.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| format!("profile-{i}"));
            let to = into.join(format!("{i:04}-{name}"));
            (from, to)
        })
        .collect();
    // The index is written before anything moves: an interrupted clean-up can be restored.
    let index = into.join("moved.json");
    crate::fsutil::atomic_write(&index, &serde_json::to_vec_pretty(&plan).unwrap_or_default())?;
    let mut moved = Vec::new();
    for (from, to) in &plan {
        if std::fs::rename(from, to).is_err() {
            std::fs::copy(from, to).map_err(|e| crate::Error::io(from, &e))?;
            std::fs::remove_file(from).map_err(|e| crate::Error::io(from, &e))?;
        }
        moved.push((from.clone(), to.clone()));
    }
    Ok(moved)
}

/// A new folder for one clean-up under `root`: named by the time (seconds, then nanoseconds),
/// with a unique suffix.
pub fn cleanup_folder(root: &Path) -> crate::Result<PathBuf> {
    std::fs::create_dir_all(root).map_err(|e| crate::Error::io(root, &e))?;
    // The time to the nanosecond orders two clean-ups of one second; the suffix keeps them apart.
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let dir = tempfile::Builder::new().prefix(&format!("{}-{nanos:09}-", crate::signing::now())).rand_bytes(6).tempdir_in(root).map_err(|e| crate::Error::io(root, &e))?;
    Ok(dir.keep())
}

/// Puts back what `move_aside` moved into `from` (refusing to overwrite a file).
pub fn restore(from: &Path) -> crate::Result<Vec<PathBuf>> {
    let index = from.join("moved.json");
    let text = std::fs::read(&index).map_err(|e| crate::Error::io(&index, &e))?;
    let moved: Vec<(PathBuf, PathBuf)> = serde_json::from_slice(&text).map_err(|e| crate::Error::Other(format!("{}: {e}", index.display())))?;
    // An interrupted clean-up wrote its index first: what never moved is still in its place.
    let moved: Vec<(PathBuf, PathBuf)> = moved.into_iter().filter(|(_, kept)| kept.exists()).collect();
    // Nothing moves unless everything can: a profile back in its place already stops it all.
    if let Some((original, _)) = moved.iter().find(|(original, _)| original.exists()) {
        return Err(crate::Error::Io { path: original.clone(), message: "exists already; nothing was restored (move it away or delete it, then restore again)".into() });
    }
    let mut back = Vec::new();
    for (i, (original, kept)) in moved.iter().enumerate() {
        let put_back = (|| {
            if let Some(dir) = original.parent() {
                std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, &e))?;
            }
            if std::fs::rename(kept, original).is_err() {
                std::fs::copy(kept, original).map_err(|e| crate::Error::io(kept, &e))?;
                std::fs::remove_file(kept).map_err(|e| crate::Error::io(kept, &e))?;
            }
            Ok::<(), crate::Error>(())
        })();
        if let Err(e) = put_back {
            // Keep the index true to what is still here, so a later restore finishes the job.
            let _ = std::fs::write(&index, serde_json::to_vec_pretty(&moved[i..]).unwrap_or_default());
            return Err(e);
        }
        back.push(original.clone());
    }
    let _ = std::fs::remove_file(&index);
    let _ = std::fs::remove_dir(from);
    Ok(back)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Profile names as real projects write them: the kind is read only from words that say it.
    #[test]
    fn a_profile_name_says_its_kind_only_in_plain_words() {
        let kinds: Vec<Option<&str>> = [
            "ProtonVPN Application Developer ID PP",
            "Mac Dev ID - App",
            "RadarCovidAdHocExposure",
            "Protego Safe Stage Ad-Hoc",
            "match Development com.example.app",
            "TLS Inspector (Development)",
            "iOS Team Provisioning Profile: com.example.app",
            "match AppStore com.example.app",
            "MAS Distribution",
            "Isometry App Store Distribution",
            "DevelopmentTeamApp Store",
            "Devices",
        ]
        .iter()
        .map(|n| super::kind_in_name(n))
        .collect();
        assert_eq!(
            kinds,
            [Some("a Developer ID"), Some("a Developer ID"), Some("an Ad Hoc"), Some("an Ad Hoc"), Some("a development"), Some("a development"), Some("a development"), None, None, None, None, None]
        );
    }

    /// Every truncation of a real-layout profile is refused with a message, and damaged bytes
    /// anywhere never panic the reader.
    #[test]
    fn damaged_profiles_are_refused_without_panicking() {
        let dir = tempfile::tempdir().unwrap();
        let files = crate::signing::demo::generate(dir.path(), &Default::default(), time::OffsetDateTime::now_utc()).unwrap();
        let good = files.iter().find(|f| f.extension().is_some_and(|e| e == "mobileprovision")).unwrap();
        let bytes = std::fs::read(good).unwrap();
        assert!(read(good).is_ok());
        let bad = dir.path().join("bad.mobileprovision");
        for cut in (0..bytes.len()).step_by(13) {
            std::fs::write(&bad, &bytes[..cut]).unwrap();
            let e = read(&bad).expect_err("a truncated profile is refused");
            assert!(!e.to_string().is_empty());
        }
        for at in (0..bytes.len()).step_by(29) {
            let mut b = bytes.clone();
            b[at] ^= 0xA5;
            std::fs::write(&bad, &b).unwrap();
            let _ = read(&bad); // any answer but a panic
        }
    }

    #[test]
    fn two_clean_ups_in_one_second_keep_every_profile() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = dir.path().join("Profiles");
        std::fs::create_dir_all(&profiles).unwrap();
        for n in ["a", "b"] {
            std::fs::write(profiles.join(format!("{n}.mobileprovision")), n).unwrap();
        }
        let root = dir.path().join("removed");
        let first = cleanup_folder(&root).unwrap();
        let second = cleanup_folder(&root).unwrap();
        assert_ne!(first, second);
        move_aside(&[profiles.join("a.mobileprovision")], &first).unwrap();
        move_aside(&[profiles.join("b.mobileprovision")], &second).unwrap();
        // A folder that holds a clean-up is never written into again.
        std::fs::write(profiles.join("c.mobileprovision"), "c").unwrap();
        assert!(move_aside(&[profiles.join("c.mobileprovision")], &first).is_err());
        assert!(profiles.join("c.mobileprovision").exists());
        // The index holds absolute paths; both restore, from anywhere.
        let index = std::fs::read_to_string(first.join("moved.json")).unwrap();
        assert!(index.contains(&profiles.canonicalize().unwrap().display().to_string()), "{index}");
        let back_b = restore(&last_cleanup(&root).unwrap()).unwrap();
        assert_eq!(back_b.len(), 1);
        restore(&first).unwrap();
        assert_eq!(std::fs::read_to_string(profiles.join("a.mobileprovision")).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(profiles.join("b.mobileprovision")).unwrap(), "b");
    }
}
