//! altool as the installed Xcode ships it: which command-line spelling it takes, and what
//! counts as proof that an upload reached App Store Connect.
//!
//! Facts (man altool, Xcode 26, and `man 7 altool` for the legacy tool; logs pasted in public
//! issues, e.g. microsoft/asconnect#68 and fastlane/fastlane#30061):
//! - Xcode 26's altool (`xcrun altool --version` prints `26.40.1 (174001)` after a
//!   "Running altool at path ..." line) takes `--upload-package`, `--platform`, `--api-key`,
//!   `--api-issuer`, `--p8-file-path`; given the legacy `--apiKey` it answers
//!   `ERROR: [altool.…] Expected api key argument is missing, --api-key. (21)`.
//! - Older altools (Xcode 11 to 16: versions 4.x to 8.x, `Version 8.003.16003` in `--help`) take
//!   `--upload-app -f`, `-t`, `--apiKey`, `--apiIssuer` and find `AuthKey_<id>.p8` in
//!   `API_PRIVATE_KEYS_DIR`; Xcode 16.4's rejects the new spelling.
//! - A finished upload prints `UPLOAD SUCCEEDED with no errors` and `Delivery UUID: <uuid>`
//!   (older tools: `No errors uploading '<file>'`). Errors are `*** Error: …` lines (legacy) or
//!   `<date> <time> ERROR: [altool.<id>] … (<code>)` lines (Xcode 26), and altool has been seen
//!   to exit 0 after printing one.

use crate::tools::{self, Invocation};
use std::time::Duration;

/// The spelling of altool's options that the installed tool takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Syntax {
    /// Xcode 26 and later: `--upload-package`, `--api-key`, `--api-issuer`, `--p8-file-path`.
    Xcode26,
    /// Xcode 11 to 16: `--upload-app -f`, `--apiKey`, `--apiIssuer`, key in `API_PRIVATE_KEYS_DIR`.
    Legacy,
}

/// Which altool is installed, and how that was found out (said in the plan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub syntax: Syntax,
    /// Xcode's version (major, minor), when `xcodebuild -version` answered.
    pub xcode: Option<(u32, u32)>,
    /// altool's own version (`26.40.1 (174001)`), or Xcode's (`Xcode 16.4`).
    pub version: Option<String>,
    pub why: String,
}

/// The version altool prints for `--version` (or in `--help`'s copyright line): the first
/// token that starts with a digit and has a dot, with a build number in parentheses after it.
pub fn parse_altool_version(text: &str) -> Option<(String, u32)> {
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with("Running altool at path") {
            continue;
        }
        let from = l.find("Version ").map(|i| &l[i + "Version ".len()..]).unwrap_or(l);
        let mut words = from.split_whitespace();
        if let Some(v) = words.next().filter(|w| w.starts_with(|c: char| c.is_ascii_digit()) && w.contains('.')) {
            let major = v.split('.').next()?.parse().ok()?;
            let build = words.next().filter(|w| w.starts_with('('));
            let shown = match build {
                Some(b) => format!("{v} {b}"),
                None => v.to_string(),
            };
            return Some((shown, major));
        }
    }
    None
}

/// Xcode's version from `xcodebuild -version` (`Xcode 16.4` / `Build version 16F6`): the text
/// shown, and (major, minor).
pub fn parse_xcode_version(text: &str) -> Option<(String, (u32, u32))> {
    let line = text.lines().find(|l| l.trim_start().starts_with("Xcode "))?;
    let v = line.trim().strip_prefix("Xcode ")?.trim();
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((format!("Xcode {v}"), (major, minor)))
}

/// Asks the installed tools which altool this is: `xcrun altool --version`, else
/// `xcodebuild -version`. With neither, the current Xcode's spelling is written, and said.
pub fn detect() -> Installed {
    let run = |inv: Invocation| tools::capture(&inv, Duration::from_secs(20)).ok().map(|o| format!("{}\n{}", o.stdout, o.stderr));
    let xcode = run(Invocation::new("xcodebuild", &["-version"])).as_deref().and_then(parse_xcode_version);
    if let Some((version, major)) = run(Invocation::new("xcrun", &["altool", "--version"])).as_deref().and_then(parse_altool_version) {
        // altool's own numbering follows Xcode's from 26 on; before it was 1.x to 8.x.
        let syntax = if major >= 26 { Syntax::Xcode26 } else { Syntax::Legacy };
        return Installed { syntax, xcode: xcode.map(|x| x.1), why: format!("`xcrun altool --version` says {version}"), version: Some(version) };
    }
    if let Some((version, (major, minor))) = xcode {
        let syntax = if major >= 26 { Syntax::Xcode26 } else { Syntax::Legacy };
        return Installed { syntax, xcode: Some((major, minor)), why: format!("`xcodebuild -version` says {version}"), version: Some(version) };
    }
    Installed { syntax: Syntax::Xcode26, xcode: None, version: None, why: "no altool or xcodebuild answered here".into() }
}

impl Installed {
    /// How the plan says which command it wrote: the options it uses, signed in with the API
    /// key or (`apple_id`) with the Apple ID and an app-specific password.
    pub fn describe(&self, apple_id: bool) -> String {
        let options = match (self.syntax, apple_id) {
            (Syntax::Xcode26, false) => "Xcode 26's altool options (--upload-package, --api-key, --api-issuer, --p8-file-path)",
            (Syntax::Xcode26, true) => "Xcode 26's altool options (--upload-package, --username, --password with an app-specific password)",
            (Syntax::Legacy, false) => "the altool options of Xcode 16 and before (--upload-app -f, --apiKey, --apiIssuer)",
            (Syntax::Legacy, true) => "the altool options of Xcode 16 and before (--upload-app -f, -u, -p with an app-specific password)",
        };
        format!("Written in {options}: {}.", self.why)
    }
}

/// What altool's output says about an upload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadReport {
    /// `Delivery UUID: …`: App Store Connect took the package.
    pub delivery_uuid: Option<String>,
    /// `UPLOAD SUCCEEDED` or the legacy `No errors uploading`.
    pub succeeded: bool,
    /// The first error line altool printed, if any.
    pub error: Option<String>,
}

impl UploadReport {
    pub fn read<'a>(lines: impl IntoIterator<Item = &'a str>) -> UploadReport {
        let mut r = UploadReport::default();
        for line in lines {
            let l = line.trim();
            if let Some(i) = l.find("Delivery UUID:") {
                let id = l[i + "Delivery UUID:".len()..].trim().trim_matches(|c| c == '`' || c == '"' || c == '\'');
                if !id.is_empty() {
                    r.delivery_uuid = Some(id.split_whitespace().next().unwrap_or(id).to_string());
                }
            }
            if l.contains("UPLOAD SUCCEEDED") || l.starts_with("No errors uploading") {
                r.succeeded = true;
            }
            let is_error = l.contains("*** Error") || l.contains("ERROR ITMS-") || l.contains("UPLOAD FAILED") || is_altool26_error(l);
            if is_error && r.error.is_none() {
                r.error = Some(l.to_string());
            }
        }
        r
    }

    /// An upload is done only with App Store Connect's word for it and no error printed.
    pub fn uploaded(&self) -> bool {
        self.error.is_none() && (self.delivery_uuid.is_some() || self.succeeded)
    }
}

/// `2025-09-20 19:32:06.686 ERROR: [altool.6000006884C0] …` or `ERROR: [altool.…] …`.
fn is_altool26_error(line: &str) -> bool {
    line.find("ERROR:").is_some_and(|i| line[i + "ERROR:".len()..].trim_start().starts_with("[altool"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_as_the_tools_print_them() {
        // fastlane/fastlane#30061: Xcode 26.6.
        let xcode26 = "Running altool at path '/Applications/Xcode-26.6.0.app/Contents/SharedFrameworks/ContentDelivery.framework/Resources/altool'...\n\n26.40.1 (174001)\n";
        assert_eq!(parse_altool_version(xcode26), Some(("26.40.1 (174001)".into(), 26)));
        // Apple-Actions/upload-testflight-build#53: the legacy tool's --help.
        let legacy = "Running altool at path '/Applications/Xcode.app/Contents/SharedFrameworks/ContentDeliveryServices.framework/Frameworks/AppStoreService.framework/Support/altool'...\nCopyright (c) 2009-2023, Apple Inc. Version 8.003.16003\n";
        assert_eq!(parse_altool_version(legacy), Some(("8.003.16003".into(), 8)));
        assert_eq!(parse_altool_version("xcrun: error: unable to find utility \"altool\", not a developer tool or in PATH"), None);
        assert_eq!(parse_xcode_version("Xcode 16.4\nBuild version 16F6\n"), Some(("Xcode 16.4".into(), (16, 4))));
        assert_eq!(parse_xcode_version("Xcode 15.2\nBuild version 15C500b\n"), Some(("Xcode 15.2".into(), (15, 2))));
    }

    #[test]
    fn an_upload_is_done_only_with_app_store_connects_word() {
        let ok = UploadReport::read(["UPLOAD SUCCEEDED with no errors", "Delivery UUID: d59a0d3d-5aeb-455d-ba9a-cfb193b9a84c"]);
        assert!(ok.uploaded());
        assert_eq!(ok.delivery_uuid.as_deref(), Some("d59a0d3d-5aeb-455d-ba9a-cfb193b9a84c"));
        assert!(UploadReport::read(["No errors uploading 'build/App.ipa'."]).uploaded());
        // microsoft/asconnect#68 and square/in-app-payments-ios#76: Xcode 26's error lines.
        let bad = UploadReport::read(["2025-09-20 19:32:06.686 ERROR: [altool.6000006884C0] Expected api key argument is missing, --api-key. (21)"]);
        assert!(!bad.uploaded());
        assert!(bad.error.as_deref().is_some_and(|e| e.contains("--api-key")));
        assert!(!UploadReport::read(["ERROR: [altool.6000012A8480] Failed to determine the appleID from bundleID com.example with platform IOS. (-19237) (12)"]).uploaded());
        // Silence is not an upload.
        assert!(!UploadReport::read(["Running altool at path '/Applications/Xcode.app/…/altool'..."]).uploaded());
    }
}
