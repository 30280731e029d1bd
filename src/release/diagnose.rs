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

const KNOWN: &[(&str, &str, &str)] = &[
    ("doesn't include signing certificate", "signing.profile.certificate-mismatch", "The profile does not list the certificate that signs: regenerate the profile with the current distribution certificate."),
    ("ambiguous (matches", "signing.identity.ambiguous", "Two identities have the same name: delete the older one from the keychain."),
    ("unable to build chain to self-signed root", "signing.wwdr.missing", "The Apple WWDR intermediate is missing or expired: install the current one."),
    ("Invalid trust settings", "signing.wwdr.missing", "The certificate chain is not trusted: install the current Apple WWDR intermediate."),
    ("errSecInternalComponent", "signing.keychain.locked", "codesign could not use the key: unlock the keychain (security unlock-keychain) and allow codesign to access the key."),
    ("No signing certificate", "signing.identity.missing", "No distribution identity with its private key: import the .p12."),
    ("No profiles for", "signing.profile.missing", "No provisioning profile matches: download it or let Xcode manage signing."),
    ("requires a provisioning profile", "signing.profile.missing", "Select a provisioning profile for the target."),
    ("has expired", "signing.identity.expired", "A certificate or profile has expired: renew it."),
    ("ITMS-90189", "release.build-number.used", "This build number was uploaded before: raise CURRENT_PROJECT_VERSION."),
    ("ITMS-90186", "release.build-number.used", "The version is closed for new builds: raise MARKETING_VERSION."),
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
            let c = Cause { line: line.trim().to_string(), finding: Some(finding.to_string()), hint: Some(hint.to_string()) };
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
}
