//! The cause of a failed step, lifted out of its log as it streams: xcodebuild's, codesign's,
//! ld's, CocoaPods', SwiftPM's, altool's and the Transporter's own lines, with the lines that
//! complete them (the undefined symbols after ld's header, the reason after "Could not
//! resolve package dependencies:", an NSError's recovery suggestion), each linked to the
//! finding that explains it and given a hint for the step it failed in.
//!
//! Rules, checked against real logs in `tests/fixtures/logs` (see tests/diagnose.rs):
//! - prefixes are stripped before matching: timestamps (ISO, altool's, fastlane's), process
//!   tags (`xcodebuild[pid:tid]`, `altool[pid:tid]`), loggers (`[MT]`, `[altool]:`,
//!   `[Transporter Error Output]:`), decorations (`▸`, `❌`);
//! - one cause per distinct message (an `error: exportArchive:` line and the NSError that
//!   repeats it are one);
//! - the root cause before its consequences (an account or team problem before the profile
//!   it could not make, a missing key before the profile that names its certificate);
//! - generic headers ("** ARCHIVE FAILED **", "linker command failed", "Command CodeSign
//!   failed", exit statuses) come last, and only when nothing specific was said: then the
//!   cause is marked `generic` and readers show the log's tail.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    /// The line as the tool printed it, its timestamps and logger tags taken off (secrets
    /// already redacted).
    pub line: String,
    /// The finding id that explains it, when Shipdeck knows one.
    pub finding: Option<String>,
    pub hint: Option<String>,
    /// The lines that complete it: the symbols ld could not find, the reason a package did not
    /// resolve, an NSError's recovery suggestion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detail: Vec<String>,
    /// Only a header that says something failed, not why: the log's tail says more.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generic: bool,
}

impl Cause {
    /// A cause Shipdeck states itself (a tool that could not start, a missing package).
    pub fn said(line: impl Into<String>, hint: Option<String>) -> Cause {
        Cause { line: line.into(), finding: None, hint, detail: vec![], generic: false }
    }
}

/// The step a log belongs to: some hints differ between archive and export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Archive,
    Export,
    Upload,
    Other,
}

impl Step {
    /// From a release step id (`ios.archive`, `macos.export`, `ios.upload`...).
    pub fn of_id(id: &str) -> Step {
        match id.rsplit('.').next() {
            Some("archive") => Step::Archive,
            Some("export") => Step::Export,
            Some("upload") => Step::Upload,
            _ => Step::Other,
        }
    }
}

/// A known failure: a piece of the line (matched without regard to case), how early it sits
/// in a chain of causes (lower: nearer the root), the finding that explains it, the hint.
struct Known {
    pattern: &'static str,
    rank: u8,
    finding: Option<&'static str>,
    hint: &'static str,
    /// The hint for the export step, when it differs.
    export_hint: Option<&'static str>,
}

const EXPORT_PROFILE_HINT: &str = "The export found no App Store profile for this bundle id: Shipdeck's ExportOptions name one per bundle id the archive embeds (provisioningProfiles, shown under the export step). Install that profile, or set the target's PROVISIONING_PROFILE_SPECIFIER to one that is installed.";

const fn k(pattern: &'static str, rank: u8, finding: Option<&'static str>, hint: &'static str) -> Known {
    Known { pattern, rank, finding, hint, export_hint: None }
}

const fn kx(pattern: &'static str, rank: u8, finding: Option<&'static str>, hint: &'static str, export_hint: &'static str) -> Known {
    Known { pattern, rank, finding, hint, export_hint: Some(export_hint) }
}

/// Failures people meet every week, in the order they are matched (the more specific first).
const KNOWN: &[Known] = &[
    // Accounts, teams and credentials: the root of most signing chains.
    k("cannot register bundle identifier", 10, None, "Automatic signing could not register the bundle id with Apple: it is taken by another team, or the account lacks the role. Register it in the Developer portal (or change PRODUCT_BUNDLE_IDENTIFIER), then archive again."),
    k("no account for team", 10, None, "Automatic signing needs an Apple ID signed in to Xcode: on a CI runner sign manually (CODE_SIGN_STYLE = Manual with the profile named), or give xcodebuild an App Store Connect key (-authenticationKeyPath, as Shipdeck does with -allowProvisioningUpdates)."),
    k("requires a development team", 10, None, "DEVELOPMENT_TEAM is not set for that target (Xcode 14 and later sign CocoaPods' and Swift packages' resource bundles too): set it, or CODE_SIGNING_ALLOWED = NO for resource bundles."),
    k("expected api key argument is missing", 10, None, "This altool (Xcode 26) takes --api-key/--api-issuer/--p8-file-path; older ones --apiKey/--apiIssuer. Shipdeck writes the spelling of the altool it finds (xcrun altool --version): run the release on the Mac whose Xcode will upload."),
    k("failed to determine the appleid from bundleid", 10, None, "Xcode 26's altool could not find the app by its bundle id: pass the app's numeric Apple ID (--apple-id, App Store Connect > App Information), or upload with the API key."),
    k("unable to authenticate", 10, None, "App Store Connect refused the credentials: check the API key id, issuer id and .p8 (or the Apple ID and its app-specific password)."),
    k("not_authorized", 10, None, "App Store Connect refused the credentials: check the API key id, issuer id and .p8 (or the Apple ID and its app-specific password)."),
    // Identities and the keychain.
    k("doesn't include any certificate for which the matching private key is installed", 20, Some("signing.identity.missing"), "The profile's certificates are here without their private key: import the .p12 of the distribution certificate (with its key) into the keychain."),
    k("errsecinternalcomponent", 20, None, "codesign could not use the key: unlock the keychain (security unlock-keychain) and allow codesign to use the key (security set-key-partition-list -S apple-tool:,apple:)."),
    k("user interaction is not allowed", 20, None, "The keychain asked for permission with nobody to answer (a CI runner, an SSH session): unlock the keychain and allow codesign to use the key (security set-key-partition-list -S apple-tool:,apple:)."),
    k("errsecinteractionnotallowed", 20, None, "The keychain asked for permission with nobody to answer: unlock the keychain and allow codesign to use the key (security set-key-partition-list -S apple-tool:,apple:)."),
    k("ambiguous (matches", 20, Some("signing.identity.ambiguous"), "Two identities have the same name: delete the older one from the keychain."),
    k("unable to build chain to self-signed root", 20, Some("signing.wwdr.missing"), "The Apple WWDR intermediate is missing or expired: install the current one."),
    k("invalid trust settings", 20, Some("signing.wwdr.missing"), "The certificate chain is not trusted: install the current Apple WWDR intermediate."),
    k("cssmerr_tp_not_trusted", 20, Some("signing.identity.untrusted"), "The certificate chain is not trusted: install the Apple WWDR intermediate that issued the certificate."),
    k("cssmerr_tp_cert_expired", 20, Some("signing.identity.expired"), "The signing certificate has expired: create a new one and import its .p12."),
    k("cssmerr_tp_cert_revoked", 20, Some("signing.identity.revoked"), "The signing certificate was revoked: create a new one in the Apple Developer portal and import its .p12."),
    k("no signing certificate", 20, Some("signing.identity.missing"), "No distribution identity with its private key: import the .p12."),
    // Profiles.
    k("doesn't include signing certificate", 30, Some("signing.profile.certificate-mismatch"), "The profile does not list the certificate that signs: regenerate the profile with the current distribution certificate."),
    k("doesn't match the entitlements file's value", 30, Some("signing.profile.entitlement-mismatch"), "The profile does not allow an entitlement the app asks for (often the iCloud container): enable it for the App ID, then regenerate the profile."),
    k("allowed the specified entitlements", 30, Some("signing.profile.entitlement-mismatch"), "No profile allows every entitlement the app asks for: enable the capabilities for the App ID, then regenerate the profile."),
    k("doesn't support the icloud capability", 30, Some("signing.profile.entitlement-mismatch"), "The App ID has no iCloud: enable iCloud (CloudKit) and the container for it, then regenerate the profile."),
    kx("no profiles for", 30, Some("signing.profile.missing"), "No provisioning profile matches this bundle id: install the App Store profile, set PROVISIONING_PROFILE_SPECIFIER, or let automatic signing fetch it (-allowProvisioningUpdates with an App Store Connect key).", EXPORT_PROFILE_HINT),
    kx("no matching provisioning profiles found", 30, Some("signing.profile.missing"), "No installed profile matches this bundle id with a signing identity that has its key: install the profile and the identity.", EXPORT_PROFILE_HINT),
    k("no profile for team", 30, Some("signing.profile.missing"), "The profile the target names is not installed: install it, or fix PROVISIONING_PROFILE_SPECIFIER."),
    k("no profile matching", 30, Some("signing.profile.missing"), "The profile the target names is not installed: install it, or fix PROVISIONING_PROFILE_SPECIFIER."),
    kx("requires a provisioning profile", 30, Some("signing.profile.missing"), "Select a provisioning profile for the target (PROVISIONING_PROFILE_SPECIFIER).", EXPORT_PROFILE_HINT),
    k("has expired", 30, Some("signing.identity.expired"), "A certificate or profile has expired: renew it."),
    // Upload: App Store Connect's word on the build.
    k("redundant binary upload", 40, Some("release.build-number.used"), "This build number was uploaded before: raise CURRENT_PROJECT_VERSION (shipdeck release --bump-build)."),
    k("itms-90189", 40, Some("release.build-number.used"), "This build number was uploaded before: raise CURRENT_PROJECT_VERSION (shipdeck release --bump-build)."),
    k("bundle version must be higher than the previously uploaded", 40, Some("release.build-number.used"), "The build number must be higher than the last one uploaded: raise CURRENT_PROJECT_VERSION (shipdeck release --bump-build)."),
    k("attribute with a value that has already been used", 40, Some("release.build-number.used"), "App Store Connect already has this version or build number: raise CURRENT_PROJECT_VERSION (shipdeck release --bump-build)."),
    k("itms-4238", 40, Some("release.build-number.used"), "The build number must be higher than the last one uploaded: raise CURRENT_PROJECT_VERSION."),
    k("itms-90186", 40, Some("release.build-number.used"), "The version is closed for new builds: raise MARKETING_VERSION."),
    k("itms-90035", 40, Some("signing.profile.certificate-mismatch"), "The package is not signed for the App Store: export with an App Store profile and a distribution certificate."),
    k("itms-90209", 40, None, "A binary in the app was built with an old toolchain (segment alignment): rebuild it, or the framework that holds it, with the current Xcode."),
    k("info.plist value mismatch", 40, None, "altool compared the package with the values it was given and they differ (CFBundleVersion / CFBundleShortVersionString): upload the package the export wrote, with the version and build it holds."),
    k("the network connection was lost", 45, None, "The connection to App Store Connect dropped: retry the upload; on a CI runner check the proxy and that contentdelivery.itunes.apple.com is reachable."),
    k("connection reset by peer", 45, None, "The connection to App Store Connect dropped: retry the upload."),
    k("unable to connect to", 45, None, "App Store Connect's upload servers could not be reached: check the network, proxy and firewall, then retry."),
    k("could not connect to the server", 45, None, "App Store Connect could not be reached: check the network and retry."),
    // Archive: dependencies and build phases.
    // The Gradle wrapper a Kotlin Multiplatform app's build phase runs (kmp-basic-sample#37;
    // the wrapper script's own two messages).
    k("java_home is set to an invalid directory", 40, None, "The build's Gradle step (a Kotlin Multiplatform framework) found no Java where JAVA_HOME points: install a JDK on the Mac that archives and set JAVA_HOME for the build (`export JAVA_HOME=$(/usr/libexec/java_home)` before Shipdeck's release step)."),
    k("java_home is not set and no 'java' command could be found", 40, None, "The build's Gradle step (a Kotlin Multiplatform framework) found no Java: install a JDK on the Mac that archives and set JAVA_HOME for the build (`export JAVA_HOME=$(/usr/libexec/java_home)` before Shipdeck's release step)."),
    k("the sandbox is not in sync with the podfile.lock", 40, None, "CocoaPods' Pods folder does not match Podfile.lock: run `pod install` before archiving (on CI, after the checkout)."),
    k("a resolved file is required when automatic dependency resolution is disabled", 40, None, "-disableAutomaticPackageResolution needs the Package.resolved committed where xcodebuild looks (the workspace's or project's xcshareddata/swiftpm/): commit it, or let xcodebuild resolve."),
    k("cannot be accessed (error domain=nscocoaerrordomain code=260", 40, None, "A local Swift package the project names is not at that path: check it out next to the project (on CI too), or fix the package reference."),
    k("bundle format unrecognized, invalid, or unsuitable", 40, None, "codesign found a bundle it cannot sign (often a folder or file copied into the app where a bundle is expected): check the Copy Files / Embed phases of that target."),
    k("resource fork, finder information, or similar detritus not allowed", 40, None, "A file in the app carries extended attributes: run `xattr -cr` on the sources and resources, then archive again."),
    kx("rsync failed", 40, None, "xcodebuild's copy failed.", "The export's copy (rsync) failed: an rsync earlier on PATH than /usr/bin (Homebrew, MacPorts) is a known cause; run the export with /usr/bin first on PATH. The export's .xcdistributionlogs say more."),
    kx("copy failed", 40, None, "xcodebuild's copy failed.", "The export's copy (rsync) failed: an rsync earlier on PATH than /usr/bin (Homebrew, MacPorts) is a known cause since Xcode 16.3 (macOS ships openrsync); run the export with /usr/bin first on PATH."),
];

/// Lines that only say something failed.
const GENERIC: &[&str] = &[
    "** archive failed **",
    "** export failed **",
    "** build failed **",
    "linker command failed with exit code",
    "ld: symbol(s) not found for architecture",
    "command phasescriptexecution failed with a nonzero exit code",
    "command codesign failed with a nonzero exit code",
    "command /usr/bin/codesign failed with exit code",
    "command swiftcompile failed with a nonzero exit code",
    "code signing is required for product type",
    "the following build commands failed",
    "exit status:",
    "exit status 65",
    "failed with return code",
    "locating signing assets failed",
    "(idedistributionerrordomain error 3.)",
    "error uploading ipa file",
    "error uploading '",
    "errors uploading '",
    "transporter transfer failed",
    "error packaging up the application",
    "an error has occurred during the upload",
    "received failed transfer notification",
    "will retry part",
];

/// Headers whose reason is on the lines after them.
const OPENERS: &[&str] = &["undefined symbols for architecture", "could not resolve package dependencies:"];

const MAX_ENTRIES: usize = 200;
const MAX_DETAIL: usize = 8;

#[derive(Debug, Clone)]
struct Entry {
    line: String,
    key: String,
    rank: u8,
    known: Option<usize>,
    generic: bool,
    detail: Vec<String>,
    order: usize,
}

/// Reads a log line by line (bounded memory: at most 200 causes of 8 lines each) and says
/// what went wrong.
#[derive(Debug, Default)]
pub struct Diagnoser {
    entries: Vec<Entry>,
    /// The entry whose completing lines are being read, and how many more it may take.
    open: Option<(usize, usize)>,
    seen: usize,
}

impl Diagnoser {
    pub fn new() -> Diagnoser {
        Diagnoser::default()
    }

    /// Reads one line of output.
    pub fn push(&mut self, raw: &str) {
        self.seen += 1;
        let unescaped = if raw.contains("\\\"") { std::borrow::Cow::Owned(raw.replace("\\\"", "\"")) } else { std::borrow::Cow::Borrowed(raw) };
        let (clean, indented) = strip_decorations(&unescaped);
        if clean.is_empty() {
            self.open = None;
            return;
        }
        let class = classify(clean);
        if class.is_none() && self.open.is_none() {
            return;
        }
        let lower = clean.to_lowercase();
        // A line that completes the cause above it (ld's symbols, the package's reason).
        if let Some((at, left)) = self.open {
            let nserror = lower.trim_start().starts_with("error domain=");
            let continues = class.is_none() || nserror || (indented && !matches!(class, Some(Class::Known(_))));
            if continues && left > 0 && !lower.starts_with("ld: ") {
                // An NSError completes with its own words (and its recovery suggestion).
                let (message, more) = if nserror { nserror_parts(clean) } else { (clean.to_string(), vec![]) };
                if let Some(e) = self.entries.get_mut(at) {
                    for d in std::iter::once(message).chain(more) {
                        if !e.detail.contains(&d) {
                            e.detail.push(d);
                        }
                    }
                }
                self.open = Some((at, left - 1));
                return;
            }
            self.open = None;
        }
        let Some(class) = class else { return };
        let (rank, known, generic) = match class {
            Class::Known(i) => (KNOWN[i].rank, Some(i), false),
            Class::Error => (50, None, false),
            Class::Script => (55, None, false),
            Class::Generic => (90, None, true),
        };
        let (message, nserror_detail) = nserror_parts(clean);
        let key = key_of(&message);
        // One cause per distinct message: the NSError that repeats an `error:` line adds its
        // recovery suggestion to it.
        if let Some(i) = self.entries.iter().position(|e| e.key == key) {
            let e = &mut self.entries[i];
            for d in nserror_detail {
                if !e.detail.contains(&d) && e.detail.len() < MAX_DETAIL {
                    e.detail.push(d);
                }
            }
            if rank < e.rank {
                e.rank = rank;
                e.known = known;
                e.generic = generic;
            }
            return;
        }
        if self.entries.len() >= MAX_ENTRIES {
            return;
        }
        // A bare NSError dump is shown by its description; a line that only quotes one keeps its words.
        let bare = lower.trim_start().trim_start_matches('"').starts_with("error domain=");
        let shown = if bare && message != clean { message.clone() } else { clean.to_string() };
        self.entries.push(Entry { line: shown, key, rank, known, generic, detail: nserror_detail, order: self.seen });
        if OPENERS.iter().any(|o| lower.contains(o)) {
            self.open = Some((self.entries.len() - 1, MAX_DETAIL));
        }
    }

    /// The causes, the root first, at most `max`; only generic ones when nothing specific was
    /// said.
    pub fn causes(&self, step: Step, max: usize) -> Vec<Cause> {
        let mut entries: Vec<&Entry> = self.entries.iter().collect();
        let specific = entries.iter().any(|e| !e.generic);
        if specific {
            entries.retain(|e| !e.generic);
        }
        entries.sort_by_key(|e| (e.rank, e.order));
        entries
            .into_iter()
            .take(max)
            .map(|e| {
                let known = e.known.map(|i| &KNOWN[i]);
                let hint = known.map(|k| match (step, k.export_hint) {
                    (Step::Export, Some(h)) => h,
                    _ => k.hint,
                });
                Cause { line: e.line.clone(), finding: known.and_then(|k| k.finding).map(String::from), hint: hint.map(String::from), detail: e.detail.clone(), generic: e.generic }
            })
            .collect()
    }
}

/// The lines of a log that say why a step failed, most telling first, at most `max`.
pub fn causes<'a>(lines: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<Cause> {
    causes_for(Step::Other, lines, max)
}

/// [`causes`] for a step (its hints).
pub fn causes_for<'a>(step: Step, lines: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<Cause> {
    let mut d = Diagnoser::new();
    for l in lines {
        d.push(l);
    }
    d.causes(step, max)
}

enum Class {
    Known(usize),
    Error,
    Script,
    Generic,
}

/// Markers of an error line that are not at its start.
const MARKERS: &[&str] = &[": error:", "error itms-"];

/// One automaton for every pattern (case-insensitive): a build line that matches none of them
/// costs one pass over its bytes, so a million lines of compiler output stream at full speed.
fn automaton() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        let patterns: Vec<&str> = KNOWN.iter().map(|k| k.pattern).chain(GENERIC.iter().copied()).chain(OPENERS.iter().copied()).chain(MARKERS.iter().copied()).collect();
        aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(patterns).expect("the patterns are plain text")
    })
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn classify(clean: &str) -> Option<Class> {
    let (generic_at, opener_at, marker_at) = (KNOWN.len(), KNOWN.len() + GENERIC.len(), KNOWN.len() + GENERIC.len() + OPENERS.len());
    let mut known: Option<usize> = None;
    let (mut generic, mut opener, mut marker) = (false, false, false);
    let ac = automaton();
    // Most lines match nothing: one fast scan says so before the overlapping one.
    let matches = if ac.is_match(clean) { ac.find_overlapping_iter(clean).collect::<Vec<_>>() } else { Vec::new() };
    for m in matches {
        let id = m.pattern().as_usize();
        if id < generic_at {
            known = Some(known.map_or(id, |k| k.min(id)));
        } else if id < opener_at {
            generic = true;
        } else if id < marker_at {
            opener = true;
        } else {
            marker = true;
        }
    }
    if let Some(i) = known {
        return Some(Class::Known(i));
    }
    if generic {
        return Some(Class::Generic);
    }
    if opener {
        return Some(Class::Error);
    }
    let l = clean.trim_start();
    let error = marker
        || ["error:", "*** error:", "error ", "fatal error:", "code signing error:", "code sign error:", "xcodebuild: error:", "validation failed"].iter().any(|p| starts_with_ci(l, p))
        || l.starts_with("[!]")
        || (l.starts_with("ld: ") && !l.starts_with("ld: warning:"))
        || (starts_with_ci(l, "error domain=") && !l.contains("Code=0 "));
    if error {
        return Some(Class::Error);
    }
    // A Run Script phase's own complaint (the shell's words).
    let script = [": No such file or directory", ": command not found", ": Permission denied", ": is a directory"].iter().any(|s| l.ends_with(s)) && !l.starts_with("diff: ");
    script.then_some(Class::Script)
}

/// Takes timestamps, process tags, loggers and decorations off the front of a line. Also says
/// whether the tool's own text was indented (a completing line).
fn strip_decorations(line: &str) -> (&str, bool) {
    let mut s = line.trim_end();
    loop {
        let t = s.trim_start_matches([' ', '\t']);
        let before = t;
        let t = t.strip_prefix('▸').or_else(|| t.strip_prefix('❌')).or_else(|| t.strip_prefix("⚠️")).map(|r| r.trim_start_matches([' ', '\u{fe0f}'])).unwrap_or(t);
        let t = strip_iso_stamp(t).or_else(|| strip_date_time(t)).or_else(|| strip_level_bracket(t)).or_else(|| strip_bracket(t)).or_else(|| strip_process_tag(t)).unwrap_or(t);
        if t.len() == before.len() {
            // Indentation that belongs to the tool's text (after the decorations).
            let indented = s.len() != t.len() && t.len() != s.trim_start().len() || s.starts_with([' ', '\t']) && s.trim_start().len() == t.len();
            return (t, indented && !t.is_empty());
        }
        s = t;
    }
}

/// `2026-03-04T13:32:23.7341730Z `
fn strip_iso_stamp(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    if b.len() > 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[..4].iter().all(u8::is_ascii_digit) {
        let end = t.find(' ')?;
        return t[..end].ends_with('Z').then(|| &t[end + 1..]);
    }
    None
}

/// `2025-09-20 19:32:06.686 ` (and a ` +0000` zone).
fn strip_date_time(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    if b.len() > 19 && b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':' && b[..4].iter().all(u8::is_ascii_digit) {
        let rest = &t[11..];
        let end = rest.find(' ')?;
        let mut rest = &rest[end + 1..];
        if rest.starts_with('+') || rest.starts_with('-') {
            if let Some(sp) = rest.find(' ') {
                if rest[1..sp].chars().all(|c| c.is_ascii_digit()) {
                    rest = &rest[sp + 1..];
                }
            }
        }
        return Some(rest);
    }
    None
}

/// fastlane's `INFO [2018-02-18 09:48:28.97]: `, `ERROR [...]: `.
fn strip_level_bracket(t: &str) -> Option<&str> {
    for level in ["INFO ", "ERROR ", "DEBUG ", "WARN ", "FATAL "] {
        if let Some(r) = t.strip_prefix(level) {
            if r.starts_with('[') {
                let close = r.find("]: ")?;
                return Some(&r[close + 3..]);
            }
        }
    }
    None
}

/// A leading `[...]` that is a timestamp or a logger: `[18:00:45]: `, `[MT] `, `[altool]: `,
/// `[Transporter Error Output]: `, `[2025-09-20 19:32:06.642] `. CocoaPods' `[!]` and tags that
/// name what failed (`[altool.6000…]`) stay.
fn strip_bracket(t: &str) -> Option<&str> {
    let inner_end = t.strip_prefix('[')?.find(']')? + 1;
    let inner = &t[1..inner_end];
    let logger = inner.starts_with(|c: char| c.is_ascii_digit())
        || ["MT", "altool", "Transporter", "iTMSTransporter", "INFO", "ERROR", "DEBUG", "WARN", "CLI", "OPTIONAL"].contains(&inner)
        || inner.ends_with(" Output")
        || inner.starts_with("testflight.");
    if !logger {
        return None;
    }
    let rest = &t[inner_end + 1..];
    Some(rest.strip_prefix(':').unwrap_or(rest).strip_prefix(' ').unwrap_or(rest.strip_prefix(':').unwrap_or(rest)))
}

/// `xcodebuild[38555:11360324] `, `altool[81280:5948713] `, the Transporter's `<main> `.
fn strip_process_tag(t: &str) -> Option<&str> {
    if let Some(r) = t.strip_prefix("<main> ") {
        return Some(r);
    }
    let open = t.find('[')?;
    let name = &t[..open];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let close = t[open..].find("] ")? + open;
    let inner = &t[open + 1..close];
    inner.split(':').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())).then(|| &t[close + 2..])
}

/// An NSError dump's own description (`Error Domain=X Code=1 "No profiles for 'a' were found"
/// UserInfo={...}`), and what completes it: the recovery suggestion and failure reason.
fn nserror_parts(line: &str) -> (String, Vec<String>) {
    let Some(at) = line.find("Error Domain=") else { return (line.to_string(), vec![]) };
    let after = &line[at..];
    let desc = after.find(" \"").and_then(|q| {
        let rest = &after[q + 2..];
        rest.find('"').map(|e| rest[..e].to_string())
    });
    let mut detail = Vec::new();
    for key in ["NSLocalizedRecoverySuggestion=", "NSLocalizedFailureReason="] {
        if let Some(i) = after.find(key) {
            let rest = &after[i + key.len()..];
            let end = rest.find(", NS").or_else(|| rest.find(", IDE")).or_else(|| rest.find('}')).unwrap_or(rest.len());
            let v = rest[..end].trim();
            if !v.is_empty() {
                detail.push(v.to_string());
            }
        }
    }
    match desc.filter(|d| d != "(null)" && !d.is_empty()) {
        Some(d) => (d, detail),
        None => (line.to_string(), detail),
    }
}

/// What makes two lines the same message: the text after the tool's own prefixes, without
/// Xcode's "(in target ...)" suffix, case and quotes folded.
fn key_of(message: &str) -> String {
    let mut m = message.trim();
    loop {
        let lower = m.to_lowercase();
        let mut cut = None;
        for p in ["error: exportarchive:", "error: exportarchive", "xcodebuild: error:", "error:", "*** error:", "code signing error:", "code sign error:", "error ", "\""] {
            if lower.starts_with(p) {
                cut = Some(p.len());
                break;
            }
        }
        match cut {
            Some(n) => m = m[n..].trim_start(),
            None => break,
        }
    }
    let m = m.split(" (in target '").next().unwrap_or(m);
    m.to_lowercase().replace(['"', '\'', '“', '”', '‘', '’'], "").trim().trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_come_off_before_matching() {
        assert_eq!(strip_decorations("2025-09-20 19:32:06.686 ERROR: [altool.6000006884C0] Expected").0, "ERROR: [altool.6000006884C0] Expected");
        assert_eq!(strip_decorations("[2025-09-20 19:32:06.686] [testflight.asconnect] [INFO] 2025-09-20 19:32:06.686 ERROR: x").0, "ERROR: x");
        assert_eq!(strip_decorations("2020-08-26 14:34:04.659 altool[81280:5948713] *** Error: Errors uploading").0, "*** Error: Errors uploading");
        assert_eq!(strip_decorations("[09:13:52]: ▸ xcodebuild: error: Could not resolve").0, "xcodebuild: error: Could not resolve");
        assert_eq!(strip_decorations("INFO [2018-02-18 09:48:28.97]: ▸ Code Signing Error: x").0, "Code Signing Error: x");
        assert_eq!(strip_decorations("2026-03-04T13:32:23.7341730Z INFO [2026-03-04 14:32:23.73]: Creating").0, "Creating");
        assert_eq!(strip_decorations("❌  error: The sandbox").0, "error: The sandbox");
        assert_eq!(strip_decorations("[!] Error uploading ipa file:").0, "[!] Error uploading ipa file:");
        assert_eq!(strip_decorations("2018-08-16 03:13:35 +0000 [MT] IDEDistributionItem init").0, "IDEDistributionItem init");
        let (line, indented) = strip_decorations("  \"_foo\", referenced from:");
        assert_eq!((line, indented), ("\"_foo\", referenced from:", true));
    }

    #[test]
    fn an_nserror_and_the_line_it_repeats_are_one_cause() {
        let c = causes_for(
            Step::Export,
            [
                "error: exportArchive: No profiles for 'a.b.share' were found",
                "",
                "Error Domain=IDEProfileLocatorErrorDomain Code=1 \"No profiles for 'a.b.share' were found\" UserInfo={NSLocalizedDescription=No profiles for 'a.b.share' were found, NSLocalizedRecoverySuggestion=Xcode couldn't find any iOS App Store provisioning profiles matching 'a.b.share'.}",
                "** EXPORT FAILED **",
            ],
            8,
        );
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].finding.as_deref(), Some("signing.profile.missing"));
        assert_eq!(c[0].detail, ["Xcode couldn't find any iOS App Store provisioning profiles matching 'a.b.share'."]);
        assert!(c[0].hint.as_deref().unwrap().contains("ExportOptions"), "the export's hint: {:?}", c[0].hint);
    }

    #[test]
    fn the_root_comes_before_its_consequence_and_headers_only_alone() {
        let c = causes(
            [
                "error: No profiles for 'a.b' were found: Xcode couldn't find any iOS App Store provisioning profiles matching 'a.b'. (in target 'A' from project 'A')",
                "error: Automatic signing cannot register bundle identifier \"a.b\". (in target 'A' from project 'A')",
                "** ARCHIVE FAILED **",
            ],
            8,
        );
        assert!(c[0].line.contains("cannot register bundle identifier"), "{c:#?}");
        assert_eq!(c.len(), 2);
        let only = causes(["** ARCHIVE FAILED **", "The following build commands failed:"], 8);
        assert!(only.iter().all(|c| c.generic) && !only.is_empty());
        assert!(causes(["all good", "** ARCHIVE SUCCEEDED **"], 10).is_empty());
    }

    #[test]
    fn completing_lines_stay_with_their_header() {
        let c = causes(
            [
                "Undefined symbols for architecture arm64:",
                "  \"_OBJC_CLASS_$_Foo\", referenced from:",
                "      objc-class-ref in Bar.o",
                "ld: symbol(s) not found for architecture arm64",
                "clang: error: linker command failed with exit code 1 (use -v to see invocation)",
            ],
            8,
        );
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].line, "Undefined symbols for architecture arm64:");
        assert_eq!(c[0].detail, ["\"_OBJC_CLASS_$_Foo\", referenced from:", "objc-class-ref in Bar.o"]);
    }
}
