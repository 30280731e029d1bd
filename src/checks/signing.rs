//! Signing health: will the release sign? Identities (certificate + key), the WWDR
//! intermediate, and the provisioning profile each shipping target needs.

use crate::finding::Finding;
use crate::signing::{identity, profile, Identity, Profile, ProfileKind};
use crate::workspace::Workspace;
use std::collections::HashMap;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    check_at(ws, crate::signing::now(), out)
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// What to do about an identity source that could not be read, said for the source that failed:
/// a Mac's keychain off a Mac, or a folder not there.
pub fn source_help(item: &str) -> &'static str {
    if item.starts_with("dir:") {
        if item.contains("demo-signing") {
            "Make the folder, or fix its path under [signing] sources in shipdeck.toml; `shipdeck signing demo` makes the sample's demo folder."
        } else {
            "Make the folder, or fix its path under [signing] sources in shipdeck.toml."
        }
    } else {
        "Run Shipdeck on the Mac whose keychain holds the identities. On another machine or in CI, list a folder of .p12 and .cer files instead: `sources = [\"dir:certs\"]` under [signing] in shipdeck.toml."
    }
}

/// Where a target's empty team is written: the sentence that says it, its file and line.
type TeamOrigin = (String, std::path::PathBuf, usize);

/// No team for the release: the archive stops ("Signing for … requires a development team"),
/// for manual signing as for automatic ("… Select a development team in the build settings
/// editor that matches the selected profile", quoted in azure-pipelines-tasks#10312 and
/// tuist#5317). Said on any machine,
/// since it is the project's, not the keychain's. Loop leaves `LOOP_DEVELOPMENT_TEAM` empty
/// and takes a team's own value from an optional `#include?` that is not in the repository.
fn check_team(ws: &Workspace, out: &mut Vec<Finding>) {
    // Each target without a team, with where its empty value is written.
    let mut subjects: Vec<(String, Option<TeamOrigin>)> = Vec::new();
    let mut first: Option<&crate::workspace::TargetConfig> = None;
    for t in &ws.config.targets {
        let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
        let team = settings.team(ws).filter(|t| !t.trim().is_empty());
        // A team that is not one (a typo, a reference that does not resolve, Trio's
        // `##TEAM_ID##` placeholder its setup replaces): Xcode finds nothing for it.
        if let Some(bad) = team.as_deref().filter(|t| !is_team_id(t)) {
            let subject = format!("{} target {}", t.platform.display(), t.target_name());
            let reference = bad.contains("$(") || bad.contains("${");
            let placeholder = !reference && (bad.contains('#') || bad.contains('<') || bad.to_ascii_uppercase().contains("TEAM"));
            let why = match (reference, placeholder) {
                (true, _) => "a reference that does not resolve (a missing `)` or an unknown name)",
                (_, true) => "a placeholder, not a team id (a team's setup or its CI puts the real one in)",
                _ => "a team id is 10 capital letters and digits",
            };
            let sources = if placeholder { team_sources(ws, t) } else { String::new() };
            let mut f = Finding::blocker("signing.team.invalid", &subject, format!("DEVELOPMENT_TEAM is `{bad}`: {why}. Xcode cannot find an identity or profile for it.{sources}"))
                .help("Set DEVELOPMENT_TEAM to the team id shown in the Apple Developer portal (Membership details).");
            let (name, origin) = settings.origin("DEVELOPMENT_TEAM");
            if let Some(v) = origin.filter(|v| v.line > 0 && !v.value.is_empty()) {
                // Where the bad value is written: Trio's target says `DEVELOPER_TEAM =
                // "$(DEVELOPER_TEAM)"`, taking it from Config.xcconfig, where it is written.
                let below = (v.raw.trim() == format!("$({name})")).then(|| written_in_xcconfig(ws, &name, &v.value)).flatten();
                f = match below {
                    Some((file, line)) => f.at(file, Some(line)),
                    None => f.at(&v.file, Some(v.line)),
                };
            }
            out.push(f);
            continue;
        }
        if team.is_some() || settings.get("PRODUCT_BUNDLE_IDENTIFIER").is_none() {
            continue;
        }
        // Where the empty value is written: DEVELOPMENT_TEAM's assignment, or the setting it names.
        let origin = settings.get("DEVELOPMENT_TEAM").map(|v| {
            let named = crate::settings::references(&v.raw).into_iter().find_map(|n| settings.get(n).map(|s| (n.to_string(), s.clone())));
            let at = format!("{}:{}", ws.display_path(&v.file), v.line);
            match named {
                Some((name, s)) => (format!("DEVELOPMENT_TEAM is `{}`, and {name} is empty ({}:{})", v.raw, ws.display_path(&s.file), s.line), s.file.clone(), s.line),
                None if v.raw.contains('$') => (format!("DEVELOPMENT_TEAM is `{}` ({at}), which no setting of the build sets", v.raw), v.file.clone(), v.line),
                None => (format!("DEVELOPMENT_TEAM is empty ({at})"), v.file.clone(), v.line),
            }
        });
        subjects.push((format!("{} target {}", t.platform.display(), t.target_name()), origin));
        if first.is_none() {
            first = Some(t);
        }
    }
    let Some(t) = first else { return };
    let said = |o: &Option<TeamOrigin>| o.as_ref().map(|o| o.0.clone()).unwrap_or_else(|| "no DEVELOPMENT_TEAM is set".to_string());
    // Each target's cause when they differ (spacex-go: the iOS project's DEVELOPMENT_TEAM is
    // empty, the macOS project sets none), else the one cause once.
    let same = subjects.iter().all(|(_, o)| said(o) == said(&subjects[0].1));
    let cause = if same { said(&subjects[0].1) } else { subjects.iter().map(|(s, o)| format!("{s}: {}", said(o))).collect::<Vec<_>>().join("; ") };
    let origin = subjects.iter().find_map(|(_, o)| o.clone());
    let mut message = format!(
        "In the {} build{}{cause}; shipdeck.toml names no team either. Xcode has no team to sign for, so the archive stops (\"requires a development team\").",
        ws.configuration(),
        if same { " " } else { ", " },
    );
    message.push_str(&team_sources(ws, t));
    let names: Vec<&str> = subjects.iter().map(|(s, _)| s.as_str()).collect();
    let mut f = Finding::warning("signing.team.missing", names.join(", "), message)
        .help("Set the team under Signing & Capabilities in Xcode (DEVELOPMENT_TEAM), or `team_id` under [app] in shipdeck.toml, which Shipdeck's archive passes to xcodebuild (DEVELOPMENT_TEAM=…) when the project sets none; the team id is in the Apple Developer portal (Membership details).");
    if let Some((_, file, line)) = origin {
        f = f.at(file, Some(line));
    }
    out.push(f);
}

/// Where a team's own id may come from at build time, as sentences to add: the `#include?`
/// files that are not here (Loop's, Trio's ConfigOverride.xcconfig) and a script that passes one.
fn team_sources(ws: &Workspace, t: &crate::workspace::TargetConfig) -> String {
    let mut out = String::new();
    let mut absent = crate::settings::absent_optional_includes(ws, t);
    // Once each file; one named for the team (Cog's DEVELOPMENT_TEAM.xcconfig) is the one to name.
    let mut seen = std::collections::HashSet::new();
    absent.retain(|(_, _, named)| seen.insert(named.clone()));
    let for_team = |p: &std::path::Path| p.file_name().is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().contains("team"));
    if absent.iter().any(|(_, _, n)| for_team(n)) {
        absent.retain(|(_, _, n)| for_team(n));
    }
    if !absent.is_empty() {
        // Loop's `#include? "../LoopConfigOverride.xcconfig"` is beside the repository (LoopWorkspace keeps it there).
        // Trio's `#include? "../../ConfigOverride.xcconfig"` two folders up.
        let beside = |p: &std::path::Path| {
            if p.starts_with(&ws.root) {
                return ws.display_path(p);
            }
            let up = ws.root.ancestors().skip(1).enumerate().find_map(|(n, a)| p.strip_prefix(a).ok().map(|rest| format!("{}{}, outside the repository", "../".repeat(n + 1), rest.display())));
            up.unwrap_or_else(|| ws.display_path(p))
        };
        let listed: Vec<String> = absent.iter().take(3).map(|(xcconfig, line, named)| format!("{} ({}:{line})", beside(named), ws.display_path(xcconfig))).collect();
        let more = if absent.len() > 3 { format!(" and {} more", absent.len() - 3) } else { String::new() };
        out.push_str(&format!(" A team's own value may go in a file the build includes if present (`#include?`), none of which is here: {}{more}.", listed.join(", ")));
    }
    if let Some((script, line, text)) = team_script(&crate::ci::repo_root(ws)) {
        out.push_str(&format!(" A script of the repository gives one ({}:{line}: `{text}`); Shipdeck's release does not run it.", ws.display_path(&script)));
    }
    out
}

/// The xcconfig line of the workspace that assigns `value` to `name` as written.
fn written_in_xcconfig(ws: &Workspace, name: &str, value: &str) -> Option<(std::path::PathBuf, usize)> {
    ws.scan().xcconfigs.into_iter().find_map(|x| {
        let text = std::fs::read_to_string(&x).ok()?;
        let line = text.lines().position(|l| l.split_once('=').is_some_and(|(k, v)| k.trim() == name && v.trim().trim_end_matches(';').trim() == value))?;
        Some((x, line + 1))
    })
}

/// A line of the team's scripts that gives the build a team (`DEVELOPMENT_TEAM=…` passed to
/// xcodebuild, or written into an xcconfig): Bleat's archive-beta.sh passes
/// `DEVELOPMENT_TEAM=${BLEAT_DEVELOPMENT_TEAM}`, WWDC's teamid.sh writes TeamID.xcconfig.
fn team_script(repo: &std::path::Path) -> Option<(std::path::PathBuf, usize, String)> {
    let mut scripts = super::appstore::release_scripts(repo);
    if let Ok(entries) = std::fs::read_dir(repo) {
        let mut root: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "sh") && p.is_file()).collect();
        root.sort();
        scripts.extend(root);
    }
    scripts.into_iter().find_map(|script| {
        let text = std::fs::read_to_string(&script).ok()?;
        text.lines().enumerate().find_map(|(n, line)| {
            let l = line.trim();
            let value = l.split_once("DEVELOPMENT_TEAM=").map(|(_, v)| v.trim_start_matches(['"', '\''])).unwrap_or("");
            let gives = !l.starts_with('#') && !value.is_empty() && !value.starts_with(['"', '\'', ' ']);
            gives.then(|| (script.clone(), n + 1, l.chars().take(120).collect()))
        })
    })
}

pub fn check_at(ws: &Workspace, now: i64, out: &mut Vec<Finding>) {
    check_team(ws, out);
    let cfg = &ws.config.signing;
    let warn_days = cfg.expiring_days;
    let profile_warn_days = cfg.profile_expiring_days.unwrap_or(warn_days);
    let folders = profile::folders(&ws.profile_dirs());
    let (scan, profiles, bad) = crate::signing::scan_all(ws, &cfg.sources, &folders);
    for u in &scan.unavailable {
        let mut f = Finding::warning("signing.source.unavailable", &u.item, format!("Identities could not be read: {}.", u.message));
        if let Some(p) = &u.path {
            f = f.at(p, None);
        }
        let help = source_help(&u.item);
        out.push(f.help(help));
    }
    for u in &scan.unreadable {
        let mut f = Finding::warning("signing.unreadable", &u.item, u.message.clone());
        if let Some(p) = &u.path {
            f = f.at(p, None);
        }
        out.push(f);
    }

    // Each distribution identity on its own.
    let dist: Vec<&Identity> = scan.identities.iter().filter(|i| identity::is_distribution(i.certificate.kind)).collect();
    let mut by_name: HashMap<&str, Vec<&Identity>> = HashMap::new();
    for i in &dist {
        let c = &i.certificate;
        let subject = c.common_name.as_str();
        let left = c.days_left(now);
        if !c.valid_at(now) && now >= c.not_after {
            out.push(Finding::warning("signing.identity.expired", subject, format!("Expired {} ago (SHA-1 {}).", days(-left), c.sha1)).help("Remove it from the keychain so tools do not pick it up."));
            continue;
        }
        // `security` says the system does not trust it: revoked, or its chain does not verify.
        if i.distrusted() {
            let status = i.trust.clone().unwrap_or_default();
            let (id, what, help) = if status.contains("REVOKED") {
                ("signing.identity.revoked", "Revoked by Apple", "Delete it from the keychain and create a new certificate (Xcode > Settings > Accounts > Manage Certificates).")
            } else {
                (
                    "signing.identity.untrusted",
                    "Not trusted by this Mac",
                    "Install the Apple WWDR intermediate that issued it (developer.apple.com/certificationauthority), and remove any custom trust setting on it in Keychain Access.",
                )
            };
            out.push(Finding::warning(id, subject, format!("{what} ({status}): it cannot sign (SHA-1 {}).", c.sha1)).help(help));
            continue;
        }
        if !i.has_private_key {
            out.push(
                Finding::warning("signing.identity.no-private-key", subject, format!("The certificate is here but its private key is not: it cannot sign (SHA-1 {}).", c.sha1))
                    .help("Import the .p12 exported from the Mac that created the certificate, or create a new certificate."),
            );
            continue;
        }
        by_name.entry(subject).or_default().push(i);
        if left <= warn_days {
            out.push(Finding::warning("signing.identity.expiring", subject, format!("Expires in {} (SHA-1 {}).", days(left), c.sha1)).help("Renew it in the Apple Developer portal before it lapses."));
        } else {
            out.push(Finding::ok("signing.identity.valid", subject, format!("{}: {} left", c.kind.label(), days(left))));
        }
        // The intermediate that issued it must be there and valid. Every WWDR generation
        // has the same common name: an expired G1 beside a valid G3 is not a problem.
        match c.issuer_among(&scan.intermediates, now) {
            None => out.push(
                Finding::blocker("signing.wwdr.missing", subject, format!("Its issuer `{}` is not installed: codesign reports an untrusted certificate.", c.issuer_label()))
                    .help("Install the Apple WWDR intermediate certificate of that generation from Apple's certificate authority page."),
            ),
            Some(ca) if !ca.valid_at(now) => {
                let when = if now < ca.not_before { "is not valid yet".to_string() } else { format!("expired {} ago", days(-ca.days_left(now))) };
                out.push(
                    Finding::blocker("signing.wwdr.expired", subject, format!("Its issuer `{}` {when} (SHA-1 {}).", c.issuer_label(), ca.sha1))
                        .help("Install the current Apple WWDR intermediate certificate of that generation."),
                )
            }
            Some(_) => {}
        }
    }
    let mut names: Vec<_> = by_name.into_iter().filter(|(_, v)| v.len() > 1).collect();
    names.sort_by_key(|(n, _)| *n);
    for (name, ids) in names {
        let hashes: Vec<&str> = ids.iter().map(|i| i.certificate.sha1.as_str()).collect();
        out.push(
            Finding::blocker("signing.identity.ambiguous", name, format!("{} valid identities share this name ({}): codesign fails with \"ambiguous\".", ids.len(), hashes.join(", ")))
                .help("Delete the older one from the keychain, or set CODE_SIGN_IDENTITY to the SHA-1 of the one to use."),
        );
    }

    // What each shipping target needs. Without any readable source there is nothing to judge.
    if scan.identities.is_empty() && !scan.unavailable.is_empty() {
        return;
    }
    for (path, message) in bad {
        out.push(Finding::warning("signing.unreadable", path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), message).at(path, None));
    }
    // A target its own ExportOptions ship outside the App Store is left out: what an App Store
    // export signs with is not asked of it (the App Store check says why once).
    for t in ws.app_store_targets() {
        let subject = format!("{} target {}", t.platform.display(), t.target_name());
        let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
        let mut team = settings.team(ws);
        // Where the team comes from, for the findings that name it.
        let team_at = |f: Finding| match settings.get("DEVELOPMENT_TEAM") {
            Some(v) if v.line > 0 && !v.value.is_empty() => f.at(&v.file, Some(v.line)),
            _ => f,
        };
        // One typo in the team is one finding (check_team's): the checks below then look at
        // every team, so they do not add blockers (and advice) that only follow from it.
        if team.as_deref().is_some_and(|t| !is_team_id(t)) {
            team = None;
        }
        let mut usable = identity::usable(&scan, t.platform, team.as_deref(), now);
        if usable.is_empty() {
            let other_team = identity::usable(&scan, t.platform, None, now);
            if let (false, Some(wanted)) = (other_team.is_empty(), &team) {
                let teams: std::collections::BTreeSet<String> = other_team.iter().filter_map(|i| i.certificate.team_id.clone()).collect();
                let teams: Vec<String> = teams.into_iter().collect();
                out.push(
                    team_at(Finding::blocker(
                        "signing.identity.team-mismatch",
                        &subject,
                        format!("The distribution identities here belong to team {}, not {wanted} (DEVELOPMENT_TEAM).", teams.join(", ")),
                    ))
                    .help(format!("If {} is your team, set DEVELOPMENT_TEAM to it; otherwise import the distribution identity of team {wanted}.", teams.join(" or "))),
                );
                // The installer identity and the profile are then judged for any team: one
                // cause, one finding.
                team = None;
                usable = other_team;
            } else {
                // Said without the platform: one Apple Distribution certificate signs every
                // platform, so the iOS and macOS targets of a team lacking it are one row.
                out.push(
                    Finding::blocker(
                        "signing.identity.missing",
                        &subject,
                        format!("No valid Apple Distribution identity with its private key{}.", team.as_ref().map(|t| format!(" for team {t}")).unwrap_or_default()),
                    )
                    .help("Create an Apple Distribution certificate (Xcode > Settings > Accounts > Manage Certificates; one signs every platform) or import its .p12."),
                );
            }
        }
        // A Mac App Store export also signs its .pkg, with an installer identity.
        if t.platform.is_mac() && identity::usable_installer(&scan, team.as_deref(), now).is_empty() {
            out.push(
                Finding::blocker(
                    "signing.identity.missing",
                    &subject,
                    format!(
                        "No valid Mac Installer Distribution identity (3rd Party Mac Developer Installer) with its private key{}: the App Store .pkg cannot be signed.",
                        team.as_ref().map(|t| format!(" for team {t}")).unwrap_or_default()
                    ),
                )
                .titled("No installer identity to sign the .pkg")
                .help("Create a Mac Installer Distribution certificate (Xcode > Settings > Accounts > Manage Certificates) or import its .p12."),
            );
        }
        // Without a usable identity that is the finding; a name is judged once one is here.
        if !usable.is_empty() {
            check_identity_name(&scan.identities, &settings, &subject, out);
        }
        check_profile(ws, t, &settings, team.as_deref(), &usable, &profiles, now, profile_warn_days, &subject, out);
    }
}

pub use crate::workspace::is_team_id;

/// The names Xcode offers for CODE_SIGN_IDENTITY (each matches the identities of its kind).
const GENERIC_IDENTITIES: &[&str] = &[
    "Apple Distribution",
    "Apple Development",
    "iPhone Distribution",
    "iPhone Developer",
    "iOS Distribution",
    "iOS Developer",
    "Mac Developer",
    "Mac Distribution",
    "3rd Party Mac Developer Application",
    "Developer ID Application",
    "Sign to Run Locally",
    "-",
];

/// A CODE_SIGN_IDENTITY that names no identity here and none of Xcode's generic names: a typo
/// that xcodebuild reports only when it signs ("No signing certificate ... found"). codesign
/// takes a 40-digit SHA-1 or a name contained in the certificate's common name (codesign(1),
/// the -s option), so that is the match made here.
fn check_identity_name(identities: &[Identity], settings: &crate::settings::Settings, subject: &str, out: &mut Vec<Finding>) {
    let Some(v) = settings.get("CODE_SIGN_IDENTITY") else { return };
    let name = v.value.trim();
    let sha1 = name.len() == 40 && name.bytes().all(|b| b.is_ascii_hexdigit());
    if name.is_empty() || name.contains("$(") || GENERIC_IDENTITIES.iter().any(|g| g.eq_ignore_ascii_case(name)) {
        return;
    }
    let found = if sha1 { identities.iter().any(|i| i.certificate.sha1.eq_ignore_ascii_case(name)) } else { identities.iter().any(|i| i.certificate.common_name.contains(name)) };
    if found {
        return;
    }
    // The nearest name a person could have meant: a generic one, or an identity's full name.
    let candidates = GENERIC_IDENTITIES.iter().map(|g| g.to_string()).chain(identities.iter().map(|i| i.certificate.common_name.clone()));
    let nearest = candidates.map(|c| (strsim::levenshtein(&c.to_lowercase(), &name.to_lowercase()), c)).filter(|(d, c)| *d <= 3.max(c.len() / 5)).min_by_key(|(d, _)| *d);
    let mut message =
        if sha1 { format!("CODE_SIGN_IDENTITY is the SHA-1 {name}, and no identity here has it") } else { format!("CODE_SIGN_IDENTITY is `{name}`, and no identity here has a name that contains it") };
    message.push_str(&format!(": xcodebuild stops with No signing certificate \"{name}\" found."));
    if let Some((_, c)) = &nearest {
        message.push_str(&format!(" Did you mean `{c}`?"));
    }
    let mut f = Finding::blocker("signing.identity.unknown-name", subject, message)
        .help("Set CODE_SIGN_IDENTITY to `Apple Distribution` (any distribution identity of the team), or to an identity's exact name or SHA-1 (`shipdeck identities` lists them).");
    if v.line > 0 {
        f = f.at(&v.file, Some(v.line));
    }
    out.push(f);
}

#[allow(clippy::too_many_arguments)]
fn check_profile(
    ws: &Workspace,
    t: &crate::workspace::TargetConfig,
    settings: &crate::settings::Settings,
    team: Option<&str>,
    usable: &[&Identity],
    profiles: &[Profile],
    now: i64,
    warn_days: i64,
    subject: &str,
    out: &mut Vec<Finding>,
) {
    let Some(bundle) = settings.value("PRODUCT_BUNDLE_IDENTIFIER") else { return };
    let specifier = settings.value("PROVISIONING_PROFILE_SPECIFIER");
    let candidates = profile::candidates(profiles, t.platform, bundle, team, specifier);
    let store: Vec<&Profile> = candidates.iter().copied().filter(|p| p.kind == ProfileKind::AppStore).collect();
    let Some(best) = profile::newest_app_store(&candidates, now) else {
        let why = if let Some(expired) = store.iter().max_by_key(|p| p.expires) {
            out.push(
                Finding::blocker("signing.profile.expired", subject, format!("Profile `{}` expired {} ago.", expired.name, days(-expired.days_left(now))))
                    .at(&expired.path, None)
                    .help("Regenerate it in the Apple Developer portal and download it (Xcode > Settings > Accounts > Download Manual Profiles)."),
            );
            return;
        } else if !candidates.is_empty() {
            let kinds: Vec<&str> = candidates.iter().map(|p| p.kind.label()).collect();
            format!("the profiles for {bundle} are {} ones, none App Store", kinds.join(", "))
        } else if let Some(s) = specifier {
            // The setting takes a profile's name or its UUID (aidictation writes the UUID).
            format!("no profile {} `{s}` covers {bundle} for {}", if crate::text::is_uuid(s) { "with the UUID" } else { "named" }, t.platform.display())
        } else if settings.value("CODE_SIGN_STYLE") != Some("Manual") {
            // Automatic signing: Xcode makes or downloads the App Store profile when it exports
            // (Shipdeck's archive and export pass -allowProvisioningUpdates with the App Store
            // Connect key); none here yet is what a fresh Mac or a CI runner has.
            out.push(
                Finding::warning(
                    "signing.profile.automatic",
                    subject,
                    format!("No App Store profile for {bundle} on this Mac yet: with automatic signing, Xcode makes or downloads it when it exports the archive (-allowProvisioningUpdates)."),
                )
                .help("A release needs the App Store Connect API key for that (the Release screen, or `shipdeck secrets set`), or the team signed in under Xcode > Settings > Accounts. To see the profile before the release, download it there (Download Manual Profiles)."),
            );
            return;
        } else {
            format!("no profile covers {bundle} for {}", t.platform.display())
        };
        // A name that says another kind (ProtonVPN's Mac target names `ProtonVPN Application
        // Developer ID PP`): installing it would not help, the release configuration names the
        // wrong kind for an App Store export.
        let other_kind = specifier.and_then(crate::signing::profile::kind_in_name);
        let why = match other_kind {
            Some(kind) => format!("{why}, and its name says it is {kind} profile, where an App Store export signs with an App Store one"),
            None => why,
        };
        // fastlane match names the profiles it installs `match AppStore <bundle id>` (BlueWallet,
        // Voyager): it installs them from the team's certificates repository.
        let help = match specifier {
            _ if other_kind.is_some() => "Name an App Store profile in PROVISIONING_PROFILE_SPECIFIER for the release configuration (or sign it automatically), or, if this app ships outside the App Store, leave it out of the release.",
            Some(s) if s.starts_with("match AppStore ") => {
                "The name is fastlane match's: `fastlane match appstore --readonly` installs it from the team's certificates repository (the match passphrase and the repository's access are needed), or download it from the Apple Developer portal."
            }
            _ => "Create an App Store profile for this bundle id in the Apple Developer portal and download it.",
        };
        let mut f = Finding::blocker("signing.profile.missing", subject, format!("No App Store provisioning profile: {why}.")).help(help);
        if let (Some(_), Some(v)) = (other_kind, settings.get("PROVISIONING_PROFILE_SPECIFIER")) {
            f = f.at(&v.file, Some(v.line));
        }
        out.push(f);
        return;
    };
    let left = best.days_left(now);
    if left <= warn_days {
        out.push(Finding::warning("signing.profile.expiring", subject, format!("Profile `{}` expires in {}.", best.name, days(left))).at(&best.path, None));
    } else {
        out.push(Finding::ok("signing.profile.valid", subject, format!("Profile `{}`: {} left", best.name, days(left))).at(&best.path, None));
    }
    if !usable.is_empty() && !usable.iter().any(|i| best.certificates.contains(&i.certificate.sha1)) {
        let names: Vec<&str> = usable.iter().map(|i| i.certificate.common_name.as_str()).collect();
        out.push(
            Finding::blocker(
                "signing.profile.certificate-mismatch",
                subject,
                format!("Profile `{}` does not include the certificate that would sign ({}): Xcode reports \"doesn't include signing certificate\".", best.name, names.join(", ")),
            )
            .at(&best.path, None)
            .help("Edit the profile in the Apple Developer portal to include the current distribution certificate, then download it again."),
        );
    }
    // The entitlements the target needs must be allowed by the profile.
    if let Some(e) = &t.entitlements {
        let path = ws.path(e);
        if let Ok(plist::Value::Dictionary(d)) = plist::Value::from_file(&path) {
            let needed: Vec<String> = d
                .get("com.apple.developer.icloud-container-identifiers")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_string()).map(|s| settings.expand(s)).collect())
                .unwrap_or_default();
            let allowed = best.containers();
            let missing: Vec<&String> = needed.iter().filter(|c| !allowed.contains(c)).collect();
            if !missing.is_empty() {
                out.push(
                    Finding::blocker(
                        "signing.profile.entitlement-mismatch",
                        subject,
                        format!(
                            "Profile `{}` does not allow the iCloud container{} {} that the entitlements ask for.",
                            best.name,
                            if missing.len() > 1 { "s" } else { "" },
                            missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .at(&path, None)
                    .help("Enable the container for the App ID in the Apple Developer portal, then regenerate the profile."),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team_findings(root: &std::path::Path) -> Vec<Finding> {
        let ws = Workspace::open(root).unwrap();
        let mut out = Vec::new();
        check_team(&ws, &mut out);
        out
    }

    /// spacex-go (Flutter, iOS and macOS): the iOS project's DEVELOPMENT_TEAM is empty, the macOS
    /// project sets none. One warning names both targets and each one's cause.
    #[test]
    fn targets_without_a_team_for_different_causes_each_say_theirs() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        project(&root.join("ios"), "Runner", &[], &[T("Runner", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app"), ("SDKROOT", "iphoneos"), ("DEVELOPMENT_TEAM", "")])]);
        project(&root.join("macos"), "Runner", &[], &[T("Runner", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app"), ("SDKROOT", "macosx")])]);
        let found = team_findings(root);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].subject, "iOS target Runner, macOS target Runner");
        assert!(
            found[0].message.starts_with("In the Release build, iOS target Runner: DEVELOPMENT_TEAM is empty (ios/Runner.xcodeproj/project.pbxproj:")
                && found[0].message.contains("; macOS target Runner: no DEVELOPMENT_TEAM is set; shipdeck.toml names no team either."),
            "{}",
            found[0].message
        );
        assert!(found[0].file.as_ref().is_some_and(|f| f.ends_with("ios/Runner.xcodeproj/project.pbxproj")), "{:?}", found[0].file);
    }

    /// Loop: DEVELOPMENT_TEAM is `$(LOOP_DEVELOPMENT_TEAM)`, empty in Loop.xcconfig, whose
    /// `#include?` of a team's own file is not in the repository.
    #[test]
    fn a_release_without_a_team_is_said_where_the_team_is_empty() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |settings: &[(&str, &str)]| {
            let mut s = vec![("PRODUCT_BUNDLE_IDENTIFIER", "com.example.app"), ("SDKROOT", "iphoneos")];
            s.extend_from_slice(settings);
            project(root, "App", &[], &[T("App", APP, &s)]);
        };
        write(&[("DEVELOPMENT_TEAM", "$(APP_TEAM)"), ("APP_TEAM", ""), ("CODE_SIGN_STYLE", "Automatic")]);
        let found = team_findings(root);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].id.as_str(), found[0].severity), ("signing.team.missing", crate::finding::Severity::Warning));
        assert!(found[0].message.starts_with("In the Release build DEVELOPMENT_TEAM is `$(APP_TEAM)`, and APP_TEAM is empty (App.xcodeproj/project.pbxproj:"), "{}", found[0].message);
        assert_eq!(found[0].subject, "iOS target App");
        write(&[("DEVELOPMENT_TEAM", "$(APP_TEAM)")]);
        assert!(team_findings(root)[0].message.starts_with("In the Release build DEVELOPMENT_TEAM is `$(APP_TEAM)` (App.xcodeproj/project.pbxproj:"), "{:?}", team_findings(root));

        // Bleat's archive script passes the team to xcodebuild: said, as Shipdeck does not run it.
        std::fs::create_dir_all(root.join("scripts")).unwrap();
        std::fs::write(root.join("scripts/archive.sh"), "# DEVELOPMENT_TEAM=XXXXXXXXXX in the comment\nargs=(\"DEVELOPMENT_TEAM=${APP_TEAM_ID}\")\nxcodebuild archive \"${args[@]}\"\n").unwrap();
        assert!(
            team_findings(root)[0].message.ends_with(" A script of the repository gives one (scripts/archive.sh:2: `args=(\"DEVELOPMENT_TEAM=${APP_TEAM_ID}\")`); Shipdeck's release does not run it."),
            "{:?}",
            team_findings(root)
        );
        std::fs::remove_dir_all(root.join("scripts")).unwrap();
        // Trio's `DEVELOPER_TEAM = ##TEAM_ID##`, which its setup replaces: not a team, said on any machine.
        write(&[("DEVELOPMENT_TEAM", "##TEAM_ID##")]);
        let placeholder = team_findings(root);
        assert_eq!((placeholder[0].id.as_str(), placeholder[0].severity), ("signing.team.invalid", crate::finding::Severity::Blocker), "{placeholder:#?}");
        assert!(placeholder[0].message.contains("`##TEAM_ID##`: a placeholder, not a team id"), "{}", placeholder[0].message);
        // A team, or shipdeck.toml's team: nothing to say.
        write(&[("DEVELOPMENT_TEAM", "7XK2M9QPLA")]);
        assert!(team_findings(root).is_empty());
        // Manual signing needs one too ("… requires a development team … that matches the selected profile").
        write(&[("CODE_SIGN_STYLE", "Manual"), ("PROVISIONING_PROFILE_SPECIFIER", "App Store")]);
        assert_eq!(team_findings(root).len(), 1);
        write(&[]);
        assert_eq!(
            team_findings(root)[0].message,
            "In the Release build no DEVELOPMENT_TEAM is set; shipdeck.toml names no team either. Xcode has no team to sign for, so the archive stops (\"requires a development team\")."
        );
        let ws = Workspace::open(root).unwrap();
        let mut config = ws.config.clone();
        config.app.team_id = Some("7XK2M9QPLA".into());
        std::fs::write(root.join("shipdeck.toml"), crate::workspace::config_text(&config).unwrap()).unwrap();
        assert!(team_findings(root).is_empty());
    }
}
