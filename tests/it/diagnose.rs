//! Failure logs developers pasted into public issues (tests/fixtures/logs, each with its source
//! on the first line), and the cause an expert reading them names first. Each log must give
//! that cause first, linked to its finding, and never a generic header before it.

use shipdeck::release::diagnose::{causes_for, Step};
use std::path::Path;

/// (log file, step, a piece of the first cause's line, the finding it links to)
const TABLE: &[(&str, Step, &str, Option<&str>)] = &[
    ("archive-link-undefined-logan.log", Step::Archive, "Undefined symbols for architecture arm64", None),
    ("archive-link-undefined-fircli.log", Step::Archive, "Undefined symbols for architecture arm64", None),
    ("archive-link-undefined-pongo.log", Step::Archive, "Undefined symbols for architecture arm64", None),
    ("archive-link-undefined-gt-warnings.log", Step::Archive, "Undefined symbols for architecture arm64", None),
    ("archive-link-xcpretty-bitrise.log", Step::Archive, "Undefined symbols for architecture x86_64", None),
    ("export-no-profiles-watch-adhoc.log", Step::Export, "No profiles for 'com.widex.app' were found", Some("signing.profile.missing")),
    ("export-no-profiles-share-extension.log", Step::Export, "No profiles for 'my_app_bundle_identifier.shareextension' were found", Some("signing.profile.missing")),
    ("export-no-signing-certificate.log", Step::Export, "No signing certificate \"iOS Distribution\" found", Some("signing.identity.missing")),
    ("export-distribution-error-3-adhoc.log", Step::Export, "No matching provisioning profiles found", Some("signing.profile.missing")),
    ("export-no-matching-profiles-extension.log", Step::Export, "No matching provisioning profiles found", Some("signing.profile.missing")),
    ("export-squirrelpay-two-bundles.log", Step::Export, "No profiles for 'com.91fuqian.SquirrelPay' were found", Some("signing.profile.missing")),
    ("upload-itms-90189-transporter-fastlane.log", Step::Upload, "ITMS-90189", Some("release.build-number.used")),
    ("upload-itms-90189-transporter-2021.log", Step::Upload, "ITMS-90189", Some("release.build-number.used")),
    ("upload-altool-itms-90189-package-summary.log", Step::Upload, "ITMS-90189", Some("release.build-number.used")),
    ("archive-no-profiles-apple-actions.log", Step::Archive, "No profiles for 'com.Example' were found", Some("signing.profile.missing")),
    ("archive-no-profiles-codesigndoc.log", Step::Archive, "No profiles for 'com.myproject.abc' were found", Some("signing.profile.missing")),
    ("archive-no-profile-for-team-bitrise.log", Step::Archive, "No profile for team 'XXXXXXXXXX' matching 'ABC' found", Some("signing.profile.missing")),
    ("archive-no-profiles-gym-xcpretty.log", Step::Archive, "No profiles for 'com.example.myapptarget1.main' were found", Some("signing.profile.missing")),
    ("upload-altool26-missing-api-key.log", Step::Upload, "Expected api key argument is missing, --api-key", None),
    ("upload-altool26-appleid-from-bundle.log", Step::Upload, "Failed to determine the appleID from bundleID", None),
    ("archive-codesign-errsecinternal-mac.log", Step::Archive, "errSecInternalComponent", None),
    ("archive-codesign-errsecinternal-jenkins.log", Step::Archive, "errSecInternalComponent", None),
    ("archive-codesign-errsecinternal-rn.log", Step::Archive, "errSecInternalComponent", None),
    ("archive-script-phase-codesign-flutter.log", Step::Archive, "errSecInternalComponent", None),
    ("archive-codesign-bundle-format.log", Step::Archive, "bundle format unrecognized, invalid, or unsuitable", None),
    ("archive-spm-resolved-file-required.log", Step::Archive, "a resolved file is required when automatic dependency resolution is disabled", None),
    ("archive-spm-folder-missing-gym.log", Step::Archive, "Could not resolve package dependencies", None),
    ("archive-spm-package-cannot-be-accessed.log", Step::Archive, "the package at '/Users/runner/work/spark-ios-component-switch/spark-ios-common' cannot be accessed", None),
    ("archive-check-dependencies-only-header.log", Step::Archive, "** ARCHIVE FAILED **", None),
    ("upload-altool-19232-bundle-version.log", Step::Upload, "The bundle version must be higher than the previously uploaded version: ‘15’", Some("release.build-number.used")),
    ("upload-contentdelivery-19232-fastlane.log", Step::Upload, "The bundle version must be higher than the previously uploaded version: ‘2’", Some("release.build-number.used")),
    ("upload-validation-409-bundle-version.log", Step::Upload, "Info.plist value mismatch. CFBundleVersion value of 7073", None),
    ("upload-itms-90209-segment-alignment.log", Step::Upload, "ITMS-90209", None),
    ("archive-cocoapods-sandbox-bitrise.log", Step::Archive, "The sandbox is not in sync with the Podfile.lock", None),
    ("archive-cocoapods-sandbox-fastlane-step.log", Step::Archive, "The sandbox is not in sync with the Podfile.lock", None),
    ("archive-profile-no-private-key-fastlane.log", Step::Archive, "doesn't include any certificate for which the matching private key is installed", Some("signing.identity.missing")),
    ("archive-entitlements-not-allowed-match.log", Step::Archive, "None of the valid provisioning profiles allowed the specified entitlements", Some("signing.profile.entitlement-mismatch")),
    ("archive-script-phase-license-plist.log", Step::Archive, "line 3: /Users/XXX/Desktop/Xcode: No such file or directory", None),
    ("archive-script-phase-credits-py.log", Step::Archive, "line 2: ./credits.py: No such file or directory", None),
    ("archive-script-phase-is-a-directory.log", Step::Archive, "line 2: /Users/ljh-mac/Downloads/riot-ios-develop: is a directory", None),
    ("archive-script-phase-monkeydev.log", Step::Archive, "/opt/MonkeyDev/bin/md: No such file or directory", None),
    ("archive-requires-development-team-azure.log", Step::Archive, "Signing for \"Responder\" requires a development team", None),
    ("archive-requires-development-team-pods-bundles.log", Step::Archive, "Signing for \"EXConstants-EXConstants\" requires a development team", None),
    ("archive-requires-development-team-spm.log", Step::Archive, "Signing for \"LaunchAtLogin_LaunchAtLogin\" requires a development team", None),
    ("archive-requires-development-team-code-signing-error.log", Step::Archive, "requires a development team", None),
    ("archive-swift-module-header-not-found.log", Step::Archive, "header 'Realm-Swift.h' not found", None),
    ("archive-swift-could-not-build-module.log", Step::Archive, "could not build Objective-C module 'C4'", None),
    ("archive-no-account-for-team-signtools.log", Step::Archive, "No account for team \"YPYU65FUH5\"", None),
    ("export-rsync-failed-openradar.log", Step::Export, "Rsync failed", None),
    ("export-copy-failed-openrsync.log", Step::Export, "exportArchive Copy failed", None),
    ("export-rsync-failed-gym.log", Step::Export, "Rsync failed", None),
    ("upload-network-connection-lost-retry.log", Step::Upload, "The network connection was lost", None),
    ("upload-transporter-connection-reset.log", Step::Upload, "Connection reset by peer", None),
    ("upload-transporter-cannot-connect.log", Step::Upload, "Unable to connect to sgr602.apple.com:44001", None),
    ("archive-kmp-gradle-java-home.log", Step::Archive, "JAVA_HOME is set to an invalid directory: /Applications/Android", None),
];

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logs")
}

#[test]
fn every_log_in_the_corpus_is_in_the_table_with_its_source() {
    let mut files: Vec<String> = std::fs::read_dir(dir()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert!(files.len() >= 50, "{} logs", files.len());
    for f in &files {
        assert!(TABLE.iter().any(|(name, ..)| name == f), "{f} has no row in the table");
        let text = std::fs::read_to_string(dir().join(f)).unwrap();
        assert!(text.starts_with("# source: https://"), "{f}: the first line names its source");
    }
}

#[test]
fn the_experts_cause_comes_first_on_real_logs() {
    let mut wrong = Vec::new();
    for (name, step, first, finding) in TABLE {
        let text = std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let c = causes_for(*step, text.lines().skip(1), 8);
        let ok = c.first().is_some_and(|c| c.line.contains(first) && c.finding.as_deref() == *finding);
        if !ok {
            wrong.push(format!("{name}: expected {first:?} ({finding:?}) first, got {:#?}", c.iter().map(|c| (&c.line, &c.finding)).collect::<Vec<_>>()));
        }
        // One cause per distinct message.
        for (i, a) in c.iter().enumerate() {
            assert!(!c[i + 1..].iter().any(|b| b.line == a.line), "{name}: {:?} twice", a.line);
        }
    }
    assert!(wrong.is_empty(), "{} of {} logs:\n{}", wrong.len(), TABLE.len(), wrong.join("\n"));
}

#[test]
fn completing_lines_and_generic_headers_on_real_logs() {
    let read = |name: &str, step: Step| causes_for(step, std::fs::read_to_string(dir().join(name)).unwrap().lines().skip(1), 8);
    // ld's symbols come with its header.
    let c = read("archive-link-undefined-fircli.log", Step::Archive);
    assert!(c[0].detail.iter().any(|d| d.contains("_OBJC_CLASS_$_MTActivityMonthModel")), "{c:#?}");
    // The reason a package did not resolve comes with the header.
    let c = read("archive-spm-folder-missing-gym.log", Step::Archive);
    assert!(c[0].detail.iter().any(|d| d.contains("The folder “RxSwift” doesn’t exist.")), "{c:#?}");
    // An NSError's recovery suggestion completes the line it repeats.
    let c = read("export-no-profiles-share-extension.log", Step::Export);
    assert!(c[0].detail.iter().any(|d| d.contains("Automatic signing is disabled")), "{c:#?}");
    assert!(c[0].hint.as_deref().unwrap().contains("ExportOptions"), "the export's own hint: {c:#?}");
    // A Kotlin Multiplatform app's Gradle step without Java: the JDK and JAVA_HOME are named.
    let c = read("archive-kmp-gradle-java-home.log", Step::Archive);
    assert!(c[0].hint.as_deref().unwrap().contains("install a JDK") && !c[0].generic, "{c:#?}");
    let c = causes_for(Step::Archive, ["ERROR: JAVA_HOME is not set and no 'java' command could be found in your PATH.", "** ARCHIVE FAILED **"], 8);
    assert!(c[0].hint.as_deref().unwrap().contains("JAVA_HOME"), "{c:#?}");
    // Only a header: said as generic, so the tail is shown.
    let c = read("archive-check-dependencies-only-header.log", Step::Archive);
    assert!(c.iter().all(|c| c.generic), "{c:#?}");
    // Headers never come before the specific line.
    let c = read("archive-link-undefined-logan.log", Step::Archive);
    assert!(c.iter().all(|c| !c.line.contains("linker command failed")), "{c:#?}");
}
