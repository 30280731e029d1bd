//! App Store requirements of the release build of each shipping target: versions, export
//! compliance, privacy manifest, app icon, push environment, and the monitoring settings.

use crate::finding::Finding;
use crate::plist_file::PlistFile;
use crate::settings::Settings;
use crate::workspace::{Platform, TargetConfig, Workspace};
use std::path::{Path, PathBuf};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let mut monitoring = Vec::new();
    for t in &ws.config.targets {
        // Unreadable settings are reported by the xcconfig checks; check with what resolves.
        let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
        check_target(ws, t, &settings, out);
        check_monitoring(ws, t, &settings, &mut monitoring);
        check_build_number(t, &settings, out);
    }
    // Targets that share one xcconfig share its findings: each is reported once.
    let mut seen = std::collections::HashSet::new();
    out.extend(monitoring.into_iter().filter(|f| seen.insert((f.id.clone(), f.message.clone(), f.file.clone(), f.line))));
}


fn project_folder(ws: &Workspace, t: &TargetConfig) -> PathBuf {
    let project = ws.path(&t.project);
    project.parent().map(Path::to_path_buf).unwrap_or(project)
}

pub fn check_target(ws: &Workspace, t: &TargetConfig, settings: &Settings, out: &mut Vec<Finding>) {
    let subject = format!("{} target {}", t.platform.display(), t.target_name());
    let info = t.info_plist.as_ref().and_then(|p| PlistFile::read(&ws.path(p)));

    // Versions: the Info.plist's CFBundleShortVersionString must be MARKETING_VERSION.
    if let Some(info) = &info {
        let marketing = settings.value("MARKETING_VERSION");
        match (info.dict.get("CFBundleShortVersionString").and_then(|v| v.as_string()), marketing) {
            (Some(raw), Some(mv)) => {
                let shown = settings.expand(raw);
                if shown != mv {
                    out.push(
                        Finding::blocker(
                            "appstore.version.mismatch",
                            &subject,
                            format!("Info.plist says version {shown}, but MARKETING_VERSION is {mv}."),
                        )
                        .at(&info.path, info.key_line("CFBundleShortVersionString"))
                        .help("Set CFBundleShortVersionString to $(MARKETING_VERSION) so the two cannot disagree."),
                    );
                } else {
                    out.push(Finding::ok("appstore.version.consistent", &subject, format!("Version {mv} everywhere")).at(&info.path, None));
                }
            }
            (None, _) => out.push(
                Finding::blocker("appstore.version.missing", &subject, "Info.plist has no CFBundleShortVersionString.").at(&info.path, None),
            ),
            (Some(_), None) => {}
        }

        // Export compliance: without the key, every upload waits for a manual answer.
        match info.dict.get("ITSAppUsesNonExemptEncryption") {
            Some(plist::Value::Boolean(_)) => {
                out.push(Finding::ok("appstore.encryption.declared", &subject, "Export compliance is declared (ITSAppUsesNonExemptEncryption)").at(&info.path, info.key_line("ITSAppUsesNonExemptEncryption")))
            }
            _ => out.push(
                Finding::warning(
                    "appstore.encryption.undeclared",
                    &subject,
                    "ITSAppUsesNonExemptEncryption is not set: App Store Connect will hold each build until export compliance is answered by hand.",
                )
                .at(&info.path, None)
                .help("Add <key>ITSAppUsesNonExemptEncryption</key><false/> (or <true/> with the documentation) to Info.plist."),
            ),
        }
    }

    // Privacy manifest and app icon: looked for in the target's folder.
    let folder = info.as_ref().and_then(|i| i.path.parent().map(Path::to_path_buf)).unwrap_or_else(|| project_folder(ws, t));
    match find_file(&folder, &|name| name == "PrivacyInfo.xcprivacy", 4) {
        Some(p) => out.push(Finding::ok("appstore.privacy-manifest.present", &subject, "Privacy manifest present").at(p, None)),
        None => out.push(
            Finding::warning("appstore.privacy-manifest.missing", &subject, format!("No PrivacyInfo.xcprivacy under {}.", ws.display_path(&folder)))
                .help("Add a privacy manifest (File > New > App Privacy) declaring the required-reason APIs the app uses."),
        ),
    }
    let icon = settings.value("ASSETCATALOG_COMPILER_APPICON_NAME").unwrap_or("AppIcon").to_string();
    let set = format!("{icon}.appiconset");
    match find_file(&folder, &|name| name == set, 5) {
        Some(p) => out.push(Finding::ok("appstore.app-icon.present", &subject, format!("App icon set {icon}")).at(p, None)),
        None => out.push(
            Finding::blocker("appstore.app-icon.missing", &subject, format!("No {set} in an asset catalog under {}: App Store Connect rejects an app without an icon.", ws.display_path(&folder)))
                .help("Add an app icon set to the target's asset catalog, or fix ASSETCATALOG_COMPILER_APPICON_NAME."),
        ),
    }

    // Push: a release build must talk to the production APNs environment.
    if let Some(ent) = t.entitlements.as_ref().and_then(|p| PlistFile::read(&ws.path(p))) {
        let key = match t.platform {
            Platform::Ios => "aps-environment",
            Platform::Macos => "com.apple.developer.aps-environment",
        };
        if let Some(raw) = ent.dict.get(key).and_then(|v| v.as_string()) {
            let value = settings.expand(raw);
            if value == "production" {
                out.push(Finding::ok("appstore.push-environment", &subject, "Push notifications use the production environment").at(&ent.path, ent.key_line(key)));
            } else {
                out.push(
                    Finding::blocker("appstore.push-environment", &subject, format!("{key} is `{value}`; an App Store build needs `production`."))
                        .at(&ent.path, ent.key_line(key)),
                );
            }
        }
    }

}

/// The build number must be higher than the last one uploaded for this version: asked of
/// App Store Connect when API credentials are in the environment.
fn check_build_number(t: &TargetConfig, settings: &Settings, out: &mut Vec<Finding>) {
    use crate::release::asc;
    let subject = format!("{} target {}", t.platform.display(), t.target_name());
    let (Some(version), Some(build), Some(bundle)) = (settings.value("MARKETING_VERSION"), settings.value("CURRENT_PROJECT_VERSION"), settings.value("PRODUCT_BUNDLE_IDENTIFIER")) else { return };
    let at = |f: Finding| match settings.get("CURRENT_PROJECT_VERSION") {
        Some(v) if v.line > 0 => f.at(&v.file, Some(v.line)),
        _ => f,
    };
    let (creds, _) = crate::release::Credentials::for_cli();
    let (Some(key_id), Some(issuer), Some(key)) = (&creds.key_id, &creds.issuer_id, &creds.private_key) else {
        let why = creds.key_error.clone().unwrap_or_else(|| "no App Store Connect API key in the environment or the keychain".into());
        out.push(at(Finding::warning("release.build-number.unverified", &subject, format!("Build {version} ({build}) was not compared with the builds already uploaded: {why}."))
            .help("Set APP_STORE_CONNECT_KEY_ID, APP_STORE_CONNECT_ISSUER_ID and APP_STORE_CONNECT_PRIVATE_KEY(_PATH), or store the key with `shipdeck secrets set asc-key-id` / `asc-issuer-id` / `asc-private-key --from-file AuthKey_ID.p8` (the app's Release screen does the same).")));
        return;
    };
    let now = crate::signing::now();
    let highest = asc::token(key_id, issuer, key, now).and_then(asc::Client::new).and_then(|c| c.highest_build(bundle, version));
    match highest {
        Err(e) => out.push(at(Finding::warning("release.build-number.unverified", &subject, format!("Could not ask App Store Connect for the builds of {version}: {e}")))),
        Ok(Some(last)) if asc::compare_build_numbers(build, &last) != std::cmp::Ordering::Greater => out.push(at(
            Finding::blocker("release.build-number.used", &subject, format!("Build number {build} is not higher than {last}, already uploaded for version {version}: App Store Connect will refuse the upload."))
                .help("Raise CURRENT_PROJECT_VERSION in the Production xcconfig."),
        )),
        Ok(last) => out.push(at(Finding::ok("release.build-number", &subject, format!("Build {build} is new for {version}{}", last.map(|l| format!(" (last uploaded: {l})")).unwrap_or_default())))),
    }
}

/// Monitoring and analytics settings named in shipdeck.toml hold real values.
fn check_monitoring(ws: &Workspace, t: &TargetConfig, settings: &Settings, out: &mut Vec<Finding>) {
    for name in &ws.config.monitoring.settings {
        match settings.get(name) {
            None => out.push(
                Finding::blocker("monitoring.setting.missing", name, format!("{name} is not set for {} ({}).", ws.configuration(), t.platform.display()))
                    .help("Set it in the Production xcconfig."),
            ),
            Some(v) if is_cut_url(&v.value) => out.push(
                Finding::blocker("monitoring.setting.placeholder", name, format!("{name} reads `{}`: the `//` of the URL starts a comment in an xcconfig.", v.value))
                    .at(&v.file, Some(v.line))
                    .help("Write the URL as https:/$()/host/... so the slashes survive."),
            ),
            Some(v) if is_placeholder(&v.value) => out.push(
                Finding::blocker("monitoring.setting.placeholder", name, format!("{name} is a placeholder: `{}`.", v.value)).at(&v.file, Some(v.line)),
            ),
            Some(v) => out.push(Finding::ok("monitoring.setting.set", name, format!("{name} is set for {}", ws.configuration())).at(&v.file, Some(v.line))),
        }
    }
}

/// `https:` and friends: a URL whose `//` an xcconfig took for a comment.
fn is_cut_url(value: &str) -> bool {
    value.strip_suffix(':').is_some_and(|scheme| !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Values people leave in a config until someone fills them in.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches('"').to_ascii_lowercase();
    v.is_empty()
        || ["todo", "tbd", "fixme", "changeme", "change_me", "replace_me", "placeholder", "your_", "your-", "<", "xxx", "example.com", "dummy"]
            .iter()
            .any(|p| v.contains(p))
}

/// The first file or folder under `dir` (depth-limited) whose name passes `pred`.
fn find_file(dir: &Path, pred: &dyn Fn(&str) -> bool, depth: usize) -> Option<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).ok()?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in &entries {
        if pred(&e.file_name().to_string_lossy()) {
            return Some(e.path());
        }
    }
    if depth == 0 {
        return None;
    }
    entries
        .iter()
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .find_map(|e| find_file(&e.path(), pred, depth - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in ["", "TODO", "<your dsn>", "YOUR_API_KEY", "https://key@example.com/1", "\"changeme\""] {
            assert!(is_placeholder(p), "{p}");
        }
        assert!(!is_placeholder("https://4f1c@errors.isometry.app/2"));
        assert!(is_cut_url("https:"));
        assert!(!is_cut_url("https://x") && !is_cut_url(":"));
    }

}
