//! Signing health as both faces show it: one card per identity, intermediate and profile, with
//! its state (the same severity the signing checks give), a one-word label, days left and a
//! note; and the signing map: for each shipping target, the identity and the profile a release
//! would sign with. `shipdeck identities` / `profiles` (text and `--json`) and the app's Signing
//! screen print these and nothing else.

use crate::finding::Severity;
use crate::signing::{identity, Certificate, Identity, Profile, Scan};
use crate::workspace::{Platform, Workspace};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CardKind {
    Identity,
    Intermediate,
    Profile,
}

/// One identity, intermediate or profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub kind: CardKind,
    pub name: String,
    /// "Apple Distribution · team ABCDE12345 · SHA-1 0123456789ab", "App Store · com.x · iOS".
    pub detail: String,
    /// The colour: ok, warning or blocker, as the signing checks judge the same thing.
    pub state: Severity,
    /// One word for the state: ok, expiring, expired, no key, ambiguous, issuer, revoked,
    /// untrusted, unused.
    pub label: &'static str,
    pub days_left: i64,
    /// Why, in a few words ("2 valid identities share this name"); empty when ok.
    pub note: String,
    /// The certificate's SHA-1 (identities and intermediates): what tells twins apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha1: Option<String>,
    /// Where it was read: the identity source, or the profile's file.
    pub source: String,
}

/// What signs one shipping target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapRow {
    pub target: String,
    pub platform: Platform,
    /// The platform as the window says it ("Mac Catalyst").
    pub platform_label: &'static str,
    pub bundle_id: Option<String>,
    pub team: Option<String>,
    /// `automatic` or `manual` (CODE_SIGN_STYLE of the release configuration).
    pub style: &'static str,
    /// The identity a release signs with: the longest-lived usable one the profile includes.
    pub identity: Option<Signer>,
    /// The App Store profile a release uses.
    pub profile: Option<Signer>,
    /// The iCloud containers the target's entitlements ask for and whether the profile allows each.
    pub containers: Vec<(String, bool)>,
    /// The worst of the row: blocker when nothing would sign or the profile lacks a container.
    pub state: Severity,
    /// What is missing, when something is.
    /// The row's state in a word: signs, expiring, automatic (the profile made at export),
    /// blocked, or not read (the identities could not be read here).
    pub label: &'static str,
    /// No profile here, and none needed yet: automatic signing, no profile named; Xcode makes
    /// or downloads it when it exports.
    pub profile_by_xcode: bool,
    /// The profile the release configuration names (PROVISIONING_PROFILE_SPECIFIER for the
    /// target's SDK: BlueWallet's `match AppStore io.bluewallet.bluewallet`) when none here
    /// matches it: what to install, rather than "no profile".
    pub profile_named: Option<String>,
    pub note: String,
    /// Its own ExportOptions ship it outside the App Store (Developer ID): not signed by a
    /// Shipdeck release, so no identity or profile is looked for; the sentence says why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outside: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signer {
    pub name: String,
    pub days_left: i64,
    /// The identity's SHA-1, or the profile's UUID.
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SigningHealth {
    /// Identities then intermediates, worst first, then soonest to expire.
    pub identities: Vec<Card>,
    /// Profiles, worst first, then soonest to expire.
    pub profiles: Vec<Card>,
    pub map: Vec<MapRow>,
    /// Sources and files that could not be read.
    pub problems: Vec<String>,
    /// Whether any source was read at all (a Linux machine has no keychain).
    pub readable: bool,
    /// The folders profiles were looked for in (Xcode's two and shipdeck.toml's), `~` for the
    /// home folder: an empty list says where nothing was found.
    pub profile_folders: Vec<String>,
}

/// Cards worst first, then soonest to expire, then by name: the order both faces show.
pub fn order(cards: &mut [Card]) {
    cards.sort_by(|a, b| b.state.cmp(&a.state).then(a.days_left.cmp(&b.days_left)).then(a.name.cmp(&b.name)));
}

/// One identity's card, judged as `checks::signing` judges it.
pub fn identity_card(scan: &Scan, i: &Identity, now: i64, warn_days: i64) -> Card {
    let c = &i.certificate;
    let days = c.days_left(now);
    let (state, label, note) = if !c.valid_at(now) && now >= c.not_after {
        (Severity::Warning, "expired", "expired: remove it so tools do not pick it up".to_string())
    } else if i.distrusted() {
        let status = i.trust.clone().unwrap_or_default();
        let label = if status.contains("REVOKED") { "revoked" } else { "untrusted" };
        (Severity::Warning, label, format!("{label} ({status}): it cannot sign"))
    } else if !i.has_private_key {
        (Severity::Warning, "no key", "no private key: it cannot sign".to_string())
    } else if let twins @ 1.. = scan.same_name_count(i, now) {
        (Severity::Blocker, "ambiguous", format!("ambiguous: {} valid identities share this name", twins + 1))
    } else if let Some(problem) = identity::is_distribution(c.kind).then(|| scan.issuer_problem(c, now)).flatten() {
        (Severity::Blocker, "issuer", problem)
    } else if days <= warn_days {
        (Severity::Warning, "expiring", format!("expires in {days} days"))
    } else {
        (Severity::Ok, "ok", String::new())
    };
    Card {
        kind: CardKind::Identity,
        name: c.common_name.clone(),
        detail: format!("{} · team {} · SHA-1 {}", c.kind.label(), c.team_id.as_deref().unwrap_or("?"), &c.sha1[..12.min(c.sha1.len())]),
        state,
        label,
        days_left: days,
        note,
        sha1: Some(c.sha1.clone()),
        source: i.source.clone(),
    }
}

/// An intermediate's card: expired and issuing one of these identities is a blocker (the
/// check's `signing.wwdr.expired`); expired and issuing none of them is harmless.
pub fn intermediate_card(scan: &Scan, c: &Certificate, now: i64) -> Card {
    let days = c.days_left(now);
    let (state, label, note) = if c.valid_at(now) {
        (Severity::Ok, "ok", String::new())
    } else if !scan.issues_any(c) {
        (Severity::Ok, "unused", "expired · issues none of these identities".to_string())
    } else if now < c.not_before {
        (Severity::Blocker, "issuer", "not valid yet".to_string())
    } else {
        (Severity::Blocker, "expired", "expired · issued identities here".to_string())
    };
    let generation = c.generation().map(|g| format!(" · {g}")).unwrap_or_default();
    Card {
        kind: CardKind::Intermediate,
        name: c.common_name.clone(),
        detail: format!("WWDR intermediate{generation}"),
        state,
        label,
        days_left: days,
        note,
        sha1: Some(c.sha1.clone()),
        source: String::new(),
    }
}

/// A profile's card. An expired profile is a warning here (the clean-up moves it aside); it
/// is a blocker only as the profile a target needs, which the map and the checks say.
pub fn profile_card(ws: &Workspace, p: &Profile, now: i64, warn_days: i64) -> Card {
    let days = p.days_left(now);
    let (state, label, note) = if days < 0 {
        (Severity::Warning, "expired", "expired: the clean-up moves it aside".to_string())
    } else if days <= warn_days {
        (Severity::Warning, "expiring", format!("expires in {days} days"))
    } else {
        (Severity::Ok, "ok", String::new())
    };
    Card {
        kind: CardKind::Profile,
        name: p.name.clone(),
        detail: format!("{} · {} · {}", p.kind.label(), p.bundle_id.as_deref().unwrap_or("?"), p.platforms.join(", ")),
        state,
        label,
        days_left: days,
        note,
        sha1: None,
        source: ws.display_path(&p.path),
    }
}

/// The identity and profile a release of this bundle would sign with, as the release plan
/// chooses them: the newest App Store profile that covers the bundle (or the one the
/// specifier names), and the longest-lived usable identity of the team that profile includes.
pub fn choose<'a>(scan: &'a Scan, profiles: &'a [Profile], platform: Platform, bundle: &str, team: Option<&str>, specifier: Option<&str>, now: i64) -> (Option<&'a Identity>, Option<&'a Profile>) {
    let candidates = crate::signing::profile::candidates(profiles, platform, bundle, team, specifier);
    let profile = crate::signing::profile::newest_app_store(&candidates, now);
    let mut usable = identity::usable(scan, platform, team, now);
    if let Some(p) = profile {
        usable.retain(|i| p.certificates.contains(&i.certificate.sha1));
    }
    usable.sort_by_key(|i| std::cmp::Reverse(i.certificate.not_after));
    (usable.first().copied(), profile)
}

fn map_row(ws: &Workspace, t: &crate::workspace::TargetConfig, scan: &Scan, profiles: &[Profile], now: i64) -> MapRow {
    let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
    let team = settings.team(ws);
    let bundle = settings.value("PRODUCT_BUNDLE_IDENTIFIER").map(String::from);
    let specifier = settings.value("PROVISIONING_PROFILE_SPECIFIER").filter(|s| !s.trim().is_empty());
    let (identity, profile) = match &bundle {
        Some(b) => choose(scan, profiles, t.platform, b, team.as_deref(), specifier, now),
        None => (None, None),
    };
    let needed: Vec<String> = t
        .entitlements
        .as_ref()
        .and_then(|e| plist::Value::from_file(ws.path(e)).ok())
        .and_then(|v| v.into_dictionary())
        .and_then(|d| {
            d.get("com.apple.developer.icloud-container-identifiers")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_string()).map(|s| crate::discover::resolve_value(s, &settings)).collect())
        })
        .unwrap_or_default();
    let allowed = profile.map(|p| p.containers()).unwrap_or_default();
    // Without a profile there is nothing to allow them or not: the containers are the profile's
    // to allow, said with the profile.
    let containers: Vec<(String, bool)> = if profile.is_some() { needed.iter().map(|c| (c.clone(), allowed.contains(c))).collect() } else { vec![] };
    let mut missing = Vec::new();
    if bundle.is_none() {
        missing.push("no bundle id in the release configuration".to_string());
    }
    if let Some(bad) = team.as_deref().filter(|t| !crate::checks::signing::is_team_id(t)) {
        missing.push(format!("DEVELOPMENT_TEAM `{bad}` is not a team id"));
    } else if identity.is_none() {
        let any = identity::usable(scan, t.platform, team.as_deref(), now);
        match (profile, any.first()) {
            (Some(p), Some(i)) => missing.push(format!("profile {} does not include the certificate of {} (Xcode: \"doesn't include signing certificate\")", p.name, i.certificate.common_name)),
            _ => missing.push(format!("no usable {} distribution identity{}", t.platform.display(), team.as_ref().map(|t| format!(" of team {t}")).unwrap_or_default())),
        }
    }
    let automatic = settings.value("CODE_SIGN_STYLE") != Some("Manual");
    // Automatic signing: Xcode makes or downloads the profile when it exports.
    let profile_by_xcode = profile.is_none() && bundle.is_some() && automatic && specifier.is_none();
    if profile.is_none() && bundle.is_some() && !profile_by_xcode {
        missing.push(match specifier {
            Some(named) => match crate::signing::profile::kind_in_name(named) {
                Some(kind) => format!("the profile the project names, \"{named}\", is not installed here, and its name says it is {kind} profile: an App Store export signs with an App Store one"),
                None => format!("the profile the project names, \"{named}\", is not installed here"),
            },
            None => "no App Store profile covers the bundle id".to_string(),
        });
    }
    let by_xcode_note = profile_by_xcode.then(|| {
        let with = match needed.as_slice() {
            [] => String::new(),
            names => format!(", allowing {}", crate::text::and_list(&names.iter().map(String::as_str).collect::<Vec<_>>())),
        };
        format!("no App Store profile here yet: Xcode makes or downloads it when it exports (automatic signing){with}")
    });
    if profile.is_some() {
        missing.extend(containers.iter().filter(|(_, ok)| !ok).map(|(c, _)| format!("the profile does not allow {c}")));
    }
    let days = [identity.map(|i| i.certificate.days_left(now)), profile.map(|p| p.days_left(now))];
    let warn = ws.config.signing.expiring_days.min(ws.config.signing.profile_expiring_days.unwrap_or(ws.config.signing.expiring_days));
    let expiring = days.iter().flatten().any(|d| *d <= warn);
    let (state, label) = if !missing.is_empty() {
        (Severity::Blocker, "blocked")
    } else if expiring {
        (Severity::Warning, "expiring")
    } else if profile_by_xcode {
        (Severity::Warning, "automatic")
    } else {
        (Severity::Ok, "signs")
    };
    MapRow {
        target: t.target_name().to_string(),
        platform: t.platform,
        platform_label: t.platform.display(),
        bundle_id: bundle,
        style: if automatic { "automatic" } else { "manual" },
        team,
        identity: identity.map(|i| Signer { name: i.certificate.common_name.clone(), days_left: i.certificate.days_left(now), id: i.certificate.sha1.clone() }),
        profile: profile.map(|p| Signer { name: p.name.clone(), days_left: p.days_left(now), id: p.uuid.clone() }),
        containers,
        state,
        profile_by_xcode,
        profile_named: specifier.filter(|_| profile.is_none()).map(String::from),
        label,
        note: missing.into_iter().chain(by_xcode_note).collect::<Vec<_>>().join("; "),
        outside: None,
    }
}

/// A target its own ExportOptions ship outside the App Store: what the project says (team,
/// style, bundle id) and why nothing more is looked for.
fn outside_row(ws: &Workspace, t: &crate::workspace::TargetConfig, file: &Path, method: &str) -> MapRow {
    let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
    MapRow {
        target: t.target_name().to_string(),
        platform: t.platform,
        platform_label: t.platform.display(),
        bundle_id: settings.value("PRODUCT_BUNDLE_IDENTIFIER").map(String::from),
        team: settings.team(ws),
        style: if settings.value("CODE_SIGN_STYLE") != Some("Manual") { "automatic" } else { "manual" },
        identity: None,
        profile: None,
        containers: vec![],
        state: Severity::Ok,
        label: "outside",
        profile_by_xcode: false,
        profile_named: None,
        note: String::new(),
        outside: Some(format!(
            "Ships outside the App Store: {} exports it with method {method}{}. A Shipdeck release leaves it out, so no App Store identity or profile is looked for.",
            ws.display_path(file),
            if method == "developer-id" { " (Developer ID, notarized)" } else { "" }
        )),
    }
}

/// Signing health of a workspace from these identity sources and profile folders.
pub fn health_from(ws: &Workspace, sources: &[String], profile_folders: &[PathBuf], now: i64) -> SigningHealth {
    let (scan, profiles, bad) = crate::signing::scan_all(ws, sources, profile_folders);
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let shown = |f: &PathBuf| match home.as_ref().and_then(|h| f.strip_prefix(h).ok()) {
        Some(rest) => format!("~/{}", rest.display()),
        None => f.display().to_string(),
    };
    SigningHealth { profile_folders: profile_folders.iter().map(shown).collect(), ..health_of(ws, &scan, &profiles, &bad, now) }
}

/// Signing health from what was already read (identities, profiles, unreadable profile files).
pub fn health_of(ws: &Workspace, scan: &Scan, profiles: &[Profile], bad: &[(PathBuf, String)], now: i64) -> SigningHealth {
    let warn = ws.config.signing.expiring_days;
    let pwarn = ws.config.signing.profile_expiring_days.unwrap_or(warn);
    let mut identities: Vec<Card> = scan.identities.iter().map(|i| identity_card(scan, i, now, warn)).collect();
    order(&mut identities);
    let mut intermediates: Vec<Card> = scan.intermediates.iter().map(|c| intermediate_card(scan, c, now)).collect();
    order(&mut intermediates);
    identities.extend(intermediates);
    let mut profile_cards: Vec<Card> = profiles.iter().map(|p| profile_card(ws, p, now, pwarn)).collect();
    order(&mut profile_cards);
    let readable = !scan.identities.is_empty() || scan.unavailable.is_empty();
    // Without the identities, the project's side of each target is still known (team, signing
    // style, bundle id, the profiles found): the rows stay, their identity said to be unread.
    let map = ws
        .config
        .targets
        .iter()
        .map(|t| {
            if let Some((file, method)) = ws.outside_app_store(t) {
                return outside_row(ws, t, &file, &method);
            }
            let mut row = map_row(ws, t, scan, profiles, now);
            if !readable {
                row.state = Severity::Warning;
                row.label = "not read";
                row.note = "The distribution identities could not be read here, so what would sign is not known.".to_string();
            }
            row
        })
        .collect();
    // A source that could not be read says what to do about it, as its finding does.
    let problems = scan
        .unavailable
        .iter()
        .map(|u| {
            let what = match (&u.path, u.item.as_str()) {
                (Some(p), _) => ws.display_path(p),
                (None, "security" | "keychain") => "Keychain".to_string(),
                (None, item) => item.to_string(),
            };
            format!("{what}: {}. {}", u.message, crate::checks::signing::source_help(&u.item))
        })
        .chain(scan.unreadable.iter().map(|u| format!("{}: {}", u.path.as_ref().map(|p| ws.display_path(p)).unwrap_or_else(|| u.item.clone()), u.message)))
        .chain(bad.iter().map(|(p, m)| format!("{}: {m}", ws.display_path(p))))
        .collect();
    SigningHealth { identities, profiles: profile_cards, map, problems, readable, profile_folders: Vec::new() }
}

/// Signing health with the workspace's own sources and profile folders (Xcode's and shipdeck.toml's).
pub fn health(ws: &Workspace, now: i64) -> SigningHealth {
    health_from(ws, &ws.config.signing.sources, &crate::signing::profile::folders(&ws.profile_dirs()), now)
}
