//! The cause of a failed step, lifted out of its log: xcodebuild's `error:` lines, altool's
//! and cktool's errors, and the failures people meet every week, linked to the finding
//! that explains them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    /// The line as the tool printed it (secrets already redacted).
    pub line: String,
    /// The finding id that explains it, when Shipdeck knows one.
    pub finding: Option<String>,
    pub hint: Option<String>,
}

/// Failures people meet every week: a piece of the line, the finding that explains it (when
/// `shipdeck check` has one), and the fix.
const KNOWN: &[(&str, Option<&str>, &str)] = &[
    ("doesn't include signing certificate", Some("signing.profile.certificate-mismatch"), "The profile does not list the certificate that signs: regenerate the profile with the current distribution certificate."),
    ("ambiguous (matches", Some("signing.identity.ambiguous"), "Two identities have the same name: delete the older one from the keychain."),
    ("unable to build chain to self-signed root", Some("signing.wwdr.missing"), "The Apple WWDR intermediate is missing or expired: install the current one."),
    ("Invalid trust settings", Some("signing.wwdr.missing"), "The certificate chain is not trusted: install the current Apple WWDR intermediate."),
    ("CSSMERR_TP_NOT_TRUSTED", Some("signing.wwdr.missing"), "The certificate chain is not trusted: install the Apple WWDR intermediate that issued the certificate."),
    ("CSSMERR_TP_CERT_EXPIRED", Some("signing.identity.expired"), "The signing certificate has expired: create a new one and import its .p12."),
    ("CSSMERR_TP_CERT_REVOKED", None, "The signing certificate was revoked: create a new one in the Apple Developer portal and import its .p12."),
    ("errSecInternalComponent", None, "codesign could not use the key: unlock the keychain (security unlock-keychain) and allow codesign to use the key (security set-key-partition-list -S apple-tool:,apple:)."),
    ("User interaction is not allowed", None, "The keychain asked for permission with nobody to answer (a CI runner, an SSH session): unlock the keychain and allow codesign to use the key (security set-key-partition-list -S apple-tool:,apple:)."),
    ("errSecInteractionNotAllowed", None, "The keychain asked for permission with nobody to answer: unlock the keychain and allow codesign to use the key (security set-key-partition-list -S apple-tool:,apple:)."),
    ("No signing certificate", Some("signing.identity.missing"), "No distribution identity with its private key: import the .p12."),
    ("No Account for Team", None, "Automatic signing needs an Apple ID signed in to Xcode: on a CI runner sign manually (CODE_SIGN_STYLE = Manual with the profile named), or add an App Store Connect key."),
    ("No profiles for", Some("signing.profile.missing"), "No provisioning profile matches: download it or let Xcode manage signing."),
    ("requires a provisioning profile", Some("signing.profile.missing"), "Select a provisioning profile for the target."),
    ("doesn't match the entitlements file's value", Some("signing.profile.entitlement-mismatch"), "The profile does not allow an entitlement the app asks for (often the iCloud container): enable it for the App ID, then regenerate the profile."),
    ("doesn't support the iCloud capability", Some("signing.profile.entitlement-mismatch"), "The App ID has no iCloud: enable iCloud (CloudKit) and the container for it, then regenerate the profile."),
    ("has expired", Some("signing.identity.expired"), "A certificate or profile has expired: renew it."),
    ("ITMS-90189", Some("release.build-number.used"), "This build number was uploaded before: raise CURRENT_PROJECT_VERSION."),
    ("ITMS-4238", Some("release.build-number.used"), "The build number must be higher than the last one uploaded: raise CURRENT_PROJECT_VERSION."),
    ("ITMS-90186", Some("release.build-number.used"), "The version is closed for new builds: raise MARKETING_VERSION."),
    ("ITMS-90035", Some("signing.profile.certificate-mismatch"), "The package is not signed for the App Store: export with an App Store profile and a distribution certificate."),
    ("Unable to authenticate", None, "App Store Connect refused the credentials: check the API key id, issuer id and .p8 (or the Apple ID and its app-specific password)."),
    ("NOT_AUTHORIZED", None, "App Store Connect refused the credentials: check the API key id, issuer id and .p8 (or the Apple ID and its app-specific password)."),
];

/// Is this line one that explains a failure?
fn is_error(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("error:")
        || l.contains(": error:")
        || l.starts_with("*** Error:")
        || l.contains("ERROR ITMS-")
        || l.starts_with("Error:")
        || l.starts_with("xcodebuild: error:")
}

/// The lines of a log that say why a step failed, most telling first, at most `max`.
pub fn causes<'a>(lines: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<Cause> {
    let mut known = Vec::new();
    let mut other = Vec::new();
    for line in lines {
        if let Some((_, finding, hint)) = KNOWN.iter().find(|(pat, _, _)| line.contains(pat)) {
            let c = Cause { line: line.trim().to_string(), finding: finding.map(String::from), hint: Some(hint.to_string()) };
            if !known.contains(&c) {
                known.push(c);
            }
        } else if is_error(line) {
            let c = Cause { line: line.trim().to_string(), finding: None, hint: None };
            if !other.contains(&c) {
                other.push(c);
            }
        }
    }
    known.extend(other);
    known.truncate(max);
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifts_known_failures_first() {
        let log = [
            "CompileSwift normal arm64 /x/App.swift",
            "/x/App.swift:3:5: error: cannot find 'foo' in scope",
            "error: Provisioning profile \"Isometry App Store Distribution\" doesn't include signing certificate \"Apple Distribution: Michael Shaler (7XK2M9QPLA)\". (in target 'IsometryiOS' from project 'IsometryiOS')",
            "** ARCHIVE FAILED **",
        ];
        let c = causes(log, 10);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].finding.as_deref(), Some("signing.profile.certificate-mismatch"));
        assert!(c[1].line.ends_with("cannot find 'foo' in scope"));
        assert!(causes(["all good", "** ARCHIVE SUCCEEDED **"], 10).is_empty());
        let altool = causes(["*** Error: Error uploading 'IsometryiOS.ipa'.", "*** Error: ERROR ITMS-90189: \"Redundant Binary Upload.\""], 10);
        assert_eq!(altool[0].finding.as_deref(), Some("release.build-number.used"));
    }

    #[test]
    fn the_weekly_failures_are_recognised() {
        // Lines as xcodebuild, codesign and altool print them.
        let cases = [
            ("/Users/dev/Isometry/IsometryiOS.app: errSecInternalComponent", None, "unlock the keychain"),
            ("Warning: unable to build chain to self-signed root for signer \"Apple Distribution: Michael Shaler (7XK2M9QPLA)\"", Some("signing.wwdr.missing"), "WWDR"),
            ("error: Provisioning profile \"Isometry App Store Distribution\" doesn't match the entitlements file's value for the com.apple.developer.icloud-container-identifiers entitlement. (in target 'IsometryiOS' from project 'IsometryiOS')", Some("signing.profile.entitlement-mismatch"), "iCloud container"),
            ("error: No Account for Team \"7XK2M9QPLA\". Add a new account in Accounts settings or verify that your accounts have valid credentials. (in target 'IsometryiOS' from project 'IsometryiOS')", None, "sign manually"),
            ("error: Apple Distribution: Michael Shaler (7XK2M9QPLA): ambiguous (matches \"Apple Distribution: Michael Shaler (7XK2M9QPLA)\" in /Users/dev/Library/Keychains/login.keychain-db)", Some("signing.identity.ambiguous"), "delete the older one"),
            ("*** Error: Unable to upload archive. Unable to authenticate. (-19209)", None, "refused the credentials"),
            ("*** Error: ERROR ITMS-90035: \"Invalid Signature.\"", Some("signing.profile.certificate-mismatch"), "App Store profile"),
        ];
        for (line, finding, hint) in cases {
            let c = causes([line], 5);
            assert_eq!(c.len(), 1, "{line}");
            assert_eq!(c[0].finding.as_deref(), finding, "{line}");
            assert!(c[0].hint.as_deref().unwrap().contains(hint), "{line}: {:?}", c[0].hint);
        }
        // Every finding a cause links to is one `shipdeck check` can report.
        let known_ids = ["signing.profile.certificate-mismatch", "signing.identity.ambiguous", "signing.wwdr.missing", "signing.identity.expired", "signing.identity.missing", "signing.profile.missing", "signing.profile.entitlement-mismatch", "release.build-number.used"];
        for (_, finding, _) in KNOWN {
            assert!(finding.is_none_or(|f| known_ids.contains(&f)), "{finding:?}");
        }
    }
}
