//! App Store requirements of the release build of each shipping target: versions, export
//! compliance, privacy manifest, app icon, push environment, and the monitoring settings.

use crate::finding::Finding;
use crate::plist_file::PlistFile;
use crate::settings::Settings;
use crate::workspace::{TargetConfig, Workspace};
use std::path::{Path, PathBuf};

pub fn check(ws: &Workspace, cx: &super::Context, out: &mut Vec<Finding>) {
    let mut monitoring = Vec::new();
    for t in &ws.config.targets {
        // A Developer ID app ships outside the App Store: none of its requirements apply, and
        // Shipdeck cannot release it (it uploads to App Store Connect only).
        if outside_app_store(ws, t, out) {
            continue;
        }
        // Unreadable settings are reported by the xcconfig checks; check with what resolves.
        let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
        // Read once: the version checks and the target's checks both look at it.
        let info = t.info_plist.as_ref().and_then(|p| PlistFile::read_defined(&ws.path(p), &crate::plist_file::preprocessor_definitions(&settings).unwrap_or_default()));
        // An Info.plist the build writes (Cog's, from a template): its template stands in for
        // the keys a script does not change; its version is the script's, not judged here.
        let (info, made_by_build) = match info {
            Some(i) => (Some(i), false),
            None => match missing_info_plist(ws, t, &settings, out) {
                Some(template) => (template, true),
                None => (None, false),
            },
        };
        if t.platform.is_mac() {
            maybe_outside_app_store(ws, t, &settings, info.as_ref(), out);
        }
        let mut shipped = match made_by_build {
            true => [None, None],
            false => crate::settings::shipped_versions(info.as_ref(), &settings),
        };
        // A Run Script phase that writes the version or build number into the built app's
        // Info.plist (Cryptomator's `git rev-list --count`): what the settings say does not ship.
        if !made_by_build {
            versions_set_by_build(ws, t, &mut shipped, out);
        }
        // Placeholders the team's scripts replace before they build are said as such, not judged.
        let rewritten = if made_by_build { vec![] } else { check_rewritten_by_scripts(ws, t, &settings, &shipped, out) };
        let well_formed = !made_by_build && check_version_format(ws, t, &settings, &shipped, &rewritten, out);
        check_target(ws, t, &settings, info.as_ref(), !made_by_build, out);
        if !made_by_build {
            check_extension_versions(ws, t, &shipped, out);
        }
        check_monitoring(ws, t, &settings, &mut monitoring);
        // A malformed version or build number is the cause; comparing it would only add noise.
        if let (Some(creds), true) = (&cx.app_store, well_formed) {
            check_build_number(ws, t, &settings, &shipped, creds, out);
        }
    }
    // Targets that share one xcconfig share its findings: each is reported once.
    let mut seen = std::collections::HashSet::new();
    out.extend(monitoring.into_iter().filter(|f| seen.insert((f.id.clone(), f.message.clone(), f.file.clone(), f.line))));
}

/// Whether the target's own ExportOptions export it for outside the App Store (Developer ID, or
/// the archived Mac app as it is). Said as a warning beside targets Shipdeck does release (Foqos's
/// iOS app: its readiness is the iOS app's, and a release of all leaves the Mac app out), as a
/// blocker when there is nothing else to release. A release asked for it by name stops at it
/// either way (the release's first step).
fn outside_app_store(ws: &Workspace, t: &TargetConfig, out: &mut Vec<Finding>) -> bool {
    let Some((file, method)) = ws.outside_app_store(t) else { return false };
    let line = PlistFile::read(&file).and_then(|p| p.key_line("method"));
    let severity = if ws.release_platforms(None).is_empty() { crate::finding::Severity::Blocker } else { crate::finding::Severity::Warning };
    out.push(
        Finding::new(
            "release.distribution.outside-app-store",
            severity,
            format!("{} target {}", t.platform.display(), t.target_name()),
            format!(
                "{} exports with method `{method}`: this app ships outside the App Store{}. Shipdeck releases through App Store Connect only, so it does not release this target, and the App Store's requirements are not checked for it.",
                ws.display_path(&file),
                if method == "developer-id" { ", signed with Developer ID and notarized" } else { " as the archive signed it" }
            ),
        )
        .at(&file, line)
        .help("Keep releasing it the way the repository does (`xcodebuild -exportArchive` with this file, then `xcrun notarytool submit --wait` and `xcrun stapler staple`). To ship it through the App Store instead, set its method to `app-store-connect`."),
    );
    true
}

/// A Mac app that shows it ships outside the App Store while no script uploads anything to App
/// Store Connect: the team's scripts notarize a build (a Developer ID release: Ghostty, CodeEdit,
/// Hammerspoon, AltTab), its release configuration signs with Developer ID (LuLu), or its
/// Info.plist names a Sparkle update feed (`SUFeedURL`: Whisky, Rectangle, Ice; an App Store app
/// is updated by the App Store, never by itself). It may ship
/// only outside the App Store. Said as a warning: an app can ship both ways (a Mac App Store
/// build without Sparkle), and the upload may be done by hand.
fn maybe_outside_app_store(ws: &Workspace, t: &TargetConfig, settings: &Settings, info: Option<&PlistFile>, out: &mut Vec<Finding>) {
    let scripts = super::sources::team_scripts(&crate::ci::repo_root(ws));
    // notarytool submit, altool's --notarize-app, create-dmg's --notarize, fastlane's notarize
    // action; else any use of notarytool (store-credentials, a usage line). Uploads: fastlane's
    // actions and altool's; not `app_store_connect_api_key`, which match, notarize and build
    // number look-ups use too (ProtonVPN's Mac lanes take the key for match only).
    const NOTARIZE: &[&str] = &["notarytool submit", "--notarize", "notarize(", "notarize_app", "notarize:"];
    const UPLOAD: &[&str] = &[
        "upload_to_testflight",
        "upload_to_app_store",
        "testflight(",
        "pilot(",
        "deliver(",
        "--upload-app",
        "--upload-package",
        "iTMSTransporter",
        "app-store-connect",
        "\"app-store\"",
        "'app-store'",
        "export_method: \"app-store",
    ];
    // Each script read once, asked three questions.
    let texts: Vec<(PathBuf, String)> = scripts.into_iter().filter_map(|f| std::fs::read_to_string(&f).ok().map(|t| (f, t))).collect();
    let first = |hit: &dyn Fn(&str) -> bool| texts.iter().find_map(|(f, t)| super::sources::first_line(f, t, hit));
    let notarizes = first(&|l| NOTARIZE.iter().any(|w| l.contains(w))).or_else(|| first(&|l| l.contains("notarytool")));
    let macos = t.platform == crate::workspace::Platform::Macos;
    // A Mac Catalyst build is its iOS app's, which the App Store ships: its Sparkle feed is for
    // a beta or direct copy beside it (Zavala), not a sign that the app never goes there.
    // Sparkle's feed, else its EdDSA public key (SUPublicEDKey: VirtualBuddy sets its feed in
    // code and carries only the key, with which the app checks the updates it downloads).
    let sparkle_key = |p: &PlistFile| ["SUFeedURL", "SUPublicEDKey"].into_iter().find(|k| p.dict.get(k).and_then(|v| v.as_string()).is_some_and(|u| !settings.expand(u).trim().is_empty()));
    let feed = info.filter(|_| macos).and_then(|p| sparkle_key(p).map(|k| (p, k)));
    // The release configuration signs the app with Developer ID (LuLu, InjectionIII, Whisky):
    // an archive made for distribution outside the App Store.
    let developer_id = settings.get("CODE_SIGN_IDENTITY").filter(|v| macos && v.value.trim_start().starts_with("Developer ID Application"));
    // The uploads in the team's scripts, each with the platform its script names (fastlane's
    // `platform :ios do` block, a lane named `ios_internal_beta`, `app_platform: "ios"`, altool's
    // `--platform ios`). One for another platform does not speak for a Mac app (ProtonVPN's
    // Fastfile uploads its iOS app). One that may be this app's outweighs a single sign (a
    // notarizing script may be another build's, an App Store export re-signs a Developer ID
    // setting, DuckDuckGo's App Store target keeps the shared SUFeedURL and leaves Sparkle out),
    // but not the target's own Developer ID setting and Sparkle key together.
    let is_upload = |l: &str| UPLOAD.iter().any(|w| l.contains(w));
    let uploads: Vec<(PathBuf, usize, Option<crate::workspace::Platform>)> = texts
        .iter()
        .flat_map(|(f, t)| {
            let lines: Vec<&str> = t.lines().collect();
            (0..lines.len())
                .filter(|&i| {
                    let l = lines[i].trim();
                    !l.starts_with('#') && is_upload(l)
                })
                .map(|i| (f.clone(), i + 1, upload_platform(&lines, i)))
                .collect::<Vec<_>>()
        })
        .collect();
    let mac_or_any = |p: &Option<crate::workspace::Platform>| p.is_none_or(|p| p == crate::workspace::Platform::Macos);
    let upload = uploads.iter().find(|u| mac_or_any(&u.2)).map(|(f, l, _)| (f.clone(), *l));
    let elsewhere = uploads.iter().find(|u| !mac_or_any(&u.2)).map(|(f, l, p)| (f.clone(), *l, p.map(|p| p.display()).unwrap_or_default()));
    if notarizes.is_none() && feed.is_none() && developer_id.is_none() || upload.is_some() && (feed.is_none() || developer_id.is_none()) {
        return;
    }
    let subject = format!("{} target {}", t.platform.display(), t.target_name());
    let at = |file: &Path, line: Option<usize>| format!("{}{}", ws.display_path(file), line.map(|l| format!(":{l}")).unwrap_or_default());
    // Every sign found, said once; the finding is named for, and placed at, the first.
    let mut signs: Vec<(&str, String, PathBuf, Option<usize>)> = Vec::new();
    if let Some((file, line)) = &notarizes {
        signs.push(("release.distribution.notarized", format!("the team's scripts notarize a build ({})", at(file, Some(*line))), file.clone(), Some(*line)));
    }
    if let Some(v) = developer_id {
        signs.push((
            "release.distribution.developer-id",
            format!("the release configuration signs it with {} (CODE_SIGN_IDENTITY, {})", v.value, at(&v.file, Some(v.line))),
            v.file.clone(),
            Some(v.line),
        ));
    }
    if let Some((p, key)) = feed {
        let said = if key == "SUFeedURL" {
            let url = p.dict.get("SUFeedURL").and_then(|v| v.as_string()).unwrap_or_default();
            format!("its Info.plist names a Sparkle update feed (SUFeedURL {url}, {})", at(&p.path, p.key_line(key)))
        } else {
            format!("its Info.plist carries Sparkle's update key (SUPublicEDKey, {})", at(&p.path, p.key_line(key)))
        };
        signs.push(("release.distribution.sparkle", format!("{said}: an app that updates itself is not a Mac App Store build"), p.path.clone(), p.key_line(key)));
    }
    let (id, _, file, line) = &signs[0];
    let said: Vec<String> = signs.iter().map(|s| s.1.clone()).collect();
    let uploads = match (&upload, &elsewhere) {
        (Some((f, l)), _) => format!("; the team's scripts upload to App Store Connect ({}), which is another app's build or one made another way", at(f, Some(*l))),
        (None, Some((f, l, p))) => format!(", and the team's scripts upload only the {p} app to App Store Connect ({})", at(f, Some(*l))),
        (None, None) => ", and no script uploads to App Store Connect".into(),
    };
    let message = sentence(format!("{}{uploads}: this Mac app may ship only outside the App Store, which Shipdeck does not release (it releases through App Store Connect only).", said.join("; ")));
    let finding = Finding::warning(id, subject, message);
    let finding = if upload.is_some() { finding.titled("Signed with Developer ID and updated by Sparkle") } else { finding };
    out.push(finding.at(file, *line).help(
        "If it ships only outside the App Store, the App Store findings for it do not apply; an ExportOptions file with method `developer-id` says so for sure. If it ships in the Mac App Store too, make sure that build signs with Apple Distribution and leaves any self-updater (Sparkle) out; nothing else is needed.",
    ));
}

/// The platform an upload in a team's script is for, when the script says: the call's own
/// arguments (fastlane's `app_platform:` / `platform:`, altool's `--platform` / `-t`), else the
/// fastlane `platform :NAME do` block around it, else the name of the lane around it
/// (`ios_internal_beta`, `mac_release`). `None` when nothing says (it may be any app's).
fn upload_platform(lines: &[&str], at: usize) -> Option<crate::workspace::Platform> {
    use crate::workspace::Platform;
    let word = |w: &str| match w.trim_matches(|c: char| !c.is_ascii_alphanumeric()).to_ascii_lowercase().as_str() {
        "ios" | "iphone" | "iphoneos" => Some(Platform::Ios),
        "mac" | "macos" | "osx" | "macosx" => Some(Platform::Macos),
        "tvos" | "appletvos" => Some(Platform::Tvos),
        _ => None,
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    // The call's arguments: its line and the ones after it up to the closing parenthesis.
    let mut depth = 0i32;
    for l in lines.iter().skip(at).take(12) {
        for key in ["app_platform:", "platform:", "--platform ", "--platform=", "-t ", "--type "] {
            if let Some(i) = l.find(key) {
                let value = l[i + key.len()..].split(|c: char| c == ',' || c == ')' || c.is_whitespace()).find(|v| !v.is_empty()).unwrap_or_default();
                if let Some(p) = word(value) {
                    return Some(p);
                }
            }
        }
        depth += l.matches('(').count() as i32 - l.matches(')').count() as i32;
        if depth <= 0 {
            break;
        }
    }
    // The blocks around it: the nearest line above, indented less, that opens a lane or a
    // platform block.
    let own = indent(lines[at]);
    let mut lane: Option<Platform> = None;
    let mut bound = own;
    for l in lines[..at].iter().rev() {
        let t = l.trim_start();
        if t.is_empty() || indent(l) >= bound {
            continue;
        }
        bound = indent(l);
        if let Some(rest) = t.strip_prefix("platform :") {
            return rest.split_whitespace().next().and_then(word);
        }
        if lane.is_none() {
            if let Some(rest) = t.strip_prefix("lane :").or_else(|| t.strip_prefix("private_lane :")) {
                let name = rest.split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or_default();
                let said: Vec<Platform> = name.split('_').filter_map(word).collect();
                lane = said.first().copied().filter(|p| said.iter().all(|q| q == p));
            }
        }
        if bound == 0 {
            break;
        }
    }
    lane
}

/// An app extension or a watch app must ship the version and the build number of the app that
/// embeds it: App Store Connect warns on every upload otherwise (ITMS-90473, "CFBundleVersion
/// Mismatch", "CFBundleShortVersionString Mismatch"), and Xcode at build. One warning per app
/// naming every extension that differs, at the first one's value, with one fix for all of them.
/// Values not known here (a setting nothing sets) are not compared.
fn check_extension_versions(ws: &Workspace, t: &TargetConfig, app: &[Option<crate::settings::Shipped>; 2], out: &mut Vec<Finding>) {
    let known = |s: &Option<crate::settings::Shipped>| s.as_ref().map(|s| s.value.trim().to_string()).filter(|v| !v.is_empty() && !v.contains('$'));
    if known(&app[0]).is_none() && known(&app[1]).is_none() {
        return;
    }
    let project_dir = project_folder(ws, t);
    // Each extension that differs: its name and kind, what differs, where its first value is
    // set, and the edits that give it the app's values (`None` when one is a literal in its
    // Info.plist, left to the user).
    struct Odd {
        name: String,
        kind: &'static str,
        said: Vec<String>,
        keys: Vec<&'static str>,
        place: (PathBuf, Option<usize>),
        edits: Option<Vec<serde_json::Value>>,
    }
    let mut odd: Vec<Odd> = Vec::new();
    for (name, product_type, settings) in crate::settings::embedded_settings_typed(ws, t) {
        let kind = match product_type.as_deref() {
            Some(p) if p.contains("app-extension") || p.contains("extensionkit-extension") => "app extension",
            Some(p) if p.contains("watchkit") || p.contains("watchapp") => "watch app",
            _ => continue,
        };
        let info = settings
            .value("INFOPLIST_FILE")
            .map(|p| crate::fsutil::in_folder(&project_dir, p))
            .and_then(|p| PlistFile::read_defined(&p, &crate::plist_file::preprocessor_definitions(&settings).unwrap_or_default()));
        let ext = crate::settings::shipped_versions(info.as_ref(), &settings);
        let (mut said, mut keys, mut place, mut edits) = (Vec::new(), Vec::new(), None, Some(Vec::new()));
        for (i, key) in ["CFBundleShortVersionString", "CFBundleVersion"].into_iter().enumerate() {
            let (Some(a), Some(e)) = (known(&app[i]), known(&ext[i])) else { continue };
            if a == e {
                continue;
            }
            said.push(format!("{key} {e} where the app has {a}"));
            keys.push(key);
            place = place.or_else(|| ext[i].as_ref().map(|s| (s.file.clone(), s.line)));
            match ext[i].as_ref().and_then(|s| Some((s.setting.clone()?, s.line?, s.file.clone()))) {
                Some((setting, line, file)) if file.extension().is_some_and(|x| x == "pbxproj" || x == "xcconfig") => {
                    if let Some(e) = edits.as_mut() {
                        e.push(serde_json::json!({ "file": ws.display_path(&file), "line": line, "key": setting, "value": a }));
                    }
                }
                _ => edits = None,
            }
        }
        if let Some(place) = place {
            odd.push(Odd { name, kind, said, keys, place, edits });
        }
    }
    let Some(first) = odd.first() else { return };
    let mut keys: Vec<&str> = odd.iter().flat_map(|o| o.keys.iter().copied()).collect();
    keys.sort_unstable();
    keys.dedup();
    let said: Vec<String> = odd.iter().map(|o| format!("the {} {} ships {}", o.kind, o.name, o.said.join(", and "))).collect();
    // One cause, one finding: every extension of the app that differs, each said.
    let message = sentence(format!("{}: App Store Connect warns on every upload (ITMS-90473, \"{} Mismatch\"), and Xcode at build.", said.join("; "), keys.join(" / ")));
    let names: Vec<&str> = odd.iter().map(|o| o.name.as_str()).collect();
    let (file, line) = &first.place;
    let mut f = Finding::warning("appstore.version.extension-mismatch", format!("{} target {}", t.platform.display(), t.target_name()), message).help(format!(
        "Set the version and build number of {} to the app's in the release configuration (this finding's fix does it where each value is set: its button in the app, `shipdeck fix` in a terminal), or have the app and its extensions read one xcconfig, so a raised build number raises them together.",
        names.join(", ")
    ));
    if line.is_some() || file.is_file() {
        f = f.at(file, *line);
    }
    let edits: Option<Vec<serde_json::Value>> = odd.iter().map(|o| o.edits.clone()).collect::<Option<Vec<_>>>().map(|v| v.concat());
    if let Some(edits) = edits.filter(|e| !e.is_empty() && crate::discover::generator_beside(&ws.path(&t.project)).is_none()) {
        let title = if names.len() == 1 { format!("Give {} the app's version", names[0]) } else { format!("Give the {} extensions the app's version", names.len()) };
        f = f.fix(crate::finding::Fix::new("settings.set", title, serde_json::json!({ "settings": edits })));
    }
    out.push(f);
}

/// A message made of clauses, begun with a capital.
fn sentence(mut s: String) -> String {
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    s
}

fn project_folder(ws: &Workspace, t: &TargetConfig) -> PathBuf {
    let project = ws.path(&t.project);
    project.parent().map(Path::to_path_buf).unwrap_or(project)
}

/// `versions`: false when the Info.plist read is a template a build script fills in (its version keys are not what ships).
fn check_target(ws: &Workspace, t: &TargetConfig, settings: &Settings, info: Option<&PlistFile>, versions: bool, out: &mut Vec<Finding>) {
    let subject = format!("{} target {}", t.platform.display(), t.target_name());

    // Xcode generates the Info.plist (or adds to the file) when GENERATE_INFOPLIST_FILE is on:
    // INFOPLIST_KEY_<key> settings become keys, and the version keys come from
    // MARKETING_VERSION and CURRENT_PROJECT_VERSION.
    let generated = settings.value("GENERATE_INFOPLIST_FILE") == Some("YES");
    let encryption_setting = generated.then(|| settings.value("INFOPLIST_KEY_ITSAppUsesNonExemptEncryption")).flatten();
    if info.is_none() && generated {
        match settings.value("MARKETING_VERSION") {
            Some(mv) => out.push(Finding::ok("appstore.version.consistent", &subject, format!("Version {mv} (Info.plist generated by Xcode from MARKETING_VERSION)"))),
            None => out.push(
                Finding::blocker("appstore.version.missing", &subject, "Xcode generates the Info.plist, and MARKETING_VERSION is not set: the app would have no version.")
                    .help("Set MARKETING_VERSION in the target's build settings."),
            ),
        }
        match encryption_setting {
            Some(v) => out.push(Finding::ok("appstore.encryption.declared", &subject, format!("Export compliance is declared (INFOPLIST_KEY_ITSAppUsesNonExemptEncryption = {v})"))),
            None => out.push(
                Finding::warning(
                    "appstore.encryption.undeclared",
                    &subject,
                    "ITSAppUsesNonExemptEncryption is not set: App Store Connect will hold each build until export compliance is answered by hand.",
                )
                .help("Set INFOPLIST_KEY_ITSAppUsesNonExemptEncryption = NO (or YES with the documentation) in the target's build settings."),
            ),
        }
    }

    // Versions: the Info.plist's CFBundleShortVersionString must be MARKETING_VERSION.
    if let Some(info) = &info {
        let marketing = settings.value("MARKETING_VERSION");
        match (info.dict.get("CFBundleShortVersionString").and_then(|v| v.as_string()), marketing) {
            _ if !versions => {}
            (None, Some(mv)) if generated => out.push(Finding::ok("appstore.version.consistent", &subject, format!("Version {mv} (Xcode adds it from MARKETING_VERSION)")).at(&info.path, None)),
            // Written empty (Wolf3D's `<string></string>`): no version at all.
            (Some(raw), _) if raw.trim().is_empty() => out.push(
                Finding::blocker("appstore.version.missing", &subject, "The Info.plist's CFBundleShortVersionString is empty: App Store Connect refuses an upload without a version.")
                    .at(&info.path, info.key_line("CFBundleShortVersionString"))
                    .help("Write the version (2.5.0), or `$(MARKETING_VERSION)` with MARKETING_VERSION set in the build settings."),
            ),
            // A setting nothing sets: said once, by check_version_references.
            (Some(raw), Some(_)) if !crate::settings::references(&settings.expand(raw)).is_empty() => {}
            (Some(raw), Some(mv)) => {
                let shown = settings.expand(raw);
                let named = crate::settings::references(raw);
                if shown != mv && !named.is_empty() && !named.contains(&"MARKETING_VERSION") {
                    // The Info.plist takes the version from a setting of the team's own
                    // (Secretive's `$(CI_VERSION)`): MARKETING_VERSION is not used. A value that
                    // is no version is the format check's, or the scripts' placeholder.
                    if is_version_number(&shown) {
                        out.push(
                            Finding::ok("appstore.version.consistent", &subject, format!("Version {shown} (from {}; MARKETING_VERSION is not used)", named.join(", ")))
                                .at(&info.path, info.key_line("CFBundleShortVersionString")),
                        );
                    }
                } else if shown != mv && !raw.contains('$') && !is_version_number(mv) {
                    // The Info.plist writes the version, and MARKETING_VERSION is a note, not a
                    // version (CodeEdit's reads `Change in Info.plist`): nothing disagrees.
                    out.push(
                        Finding::ok("appstore.version.consistent", &subject, format!("Version {shown} (written in the Info.plist; MARKETING_VERSION is not used)"))
                            .at(&info.path, info.key_line("CFBundleShortVersionString")),
                    );
                } else if shown != mv {
                    out.push(
                        Finding::blocker(
                            "appstore.version.mismatch",
                            &subject,
                            format!("Info.plist says version {shown}, but MARKETING_VERSION is {mv}: the build ships {shown}, the Info.plist's, while Xcode's General tab shows and edits {mv}."),
                        )
                        .at(&info.path, info.key_line("CFBundleShortVersionString"))
                        .help("Set CFBundleShortVersionString to $(MARKETING_VERSION) so the two cannot disagree."),
                    );
                } else {
                    out.push(Finding::ok("appstore.version.consistent", &subject, format!("Version {mv} everywhere")).at(&info.path, None));
                }
            }
            (None, _) => out.push(Finding::blocker("appstore.version.missing", &subject, "Info.plist has no CFBundleShortVersionString.").at(&info.path, None)),
            // A literal in the Info.plist and no MARKETING_VERSION (Ionic's Capacitor template),
            // or a setting of the team's own that is set (Simplenote for Mac's `$VERSION_SHORT`).
            (Some(raw), None) if crate::settings::references(&settings.expand(raw)).is_empty() && crate::settings::preprocessed_from(settings, raw).is_none() => {
                let shown = settings.expand(raw);
                let how = if raw.contains('$') { format!("the Info.plist's `{raw}`") } else { "written in the Info.plist".to_string() };
                out.push(Finding::ok("appstore.version.consistent", &subject, format!("Version {shown} ({how})")).at(&info.path, info.key_line("CFBundleShortVersionString")))
            }
            (Some(_), None) => {}
        }

        if versions {
            check_version_references(ws, t, settings, info, &subject, out);
        }

        // Export compliance: without the key, every upload waits for a manual answer.
        match info.dict.get("ITSAppUsesNonExemptEncryption") {
            None if encryption_setting.is_some() => out.push(Finding::ok("appstore.encryption.declared", &subject, "Export compliance is declared (INFOPLIST_KEY_ITSAppUsesNonExemptEncryption)")),
            Some(plist::Value::Boolean(_)) => out.push(
                Finding::ok("appstore.encryption.declared", &subject, "Export compliance is declared (ITSAppUsesNonExemptEncryption)").at(&info.path, info.key_line("ITSAppUsesNonExemptEncryption")),
            ),
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

    // Privacy manifest and app icon: among the target's resources as the project lists them
    // (Copy Bundle Resources, synchronized folders); for a project Shipdeck cannot read that
    // way, in the target's folder, then the project's.
    let icon = settings.value("ASSETCATALOG_COMPILER_APPICON_NAME").filter(|v| !v.trim().is_empty()).unwrap_or("AppIcon").to_string();
    let set = format!("{icon}.appiconset");
    // Xcode 26's Icon Composer files (NAME.icon) stand for an icon set of the same name.
    let composer = format!("{icon}.icon");
    // A Mac app may carry its icon as an .icns file its Info.plist names (CFBundleIconFile,
    // with or without the extension: alt-tab-macos's `app.icns`), which App Store Connect takes
    // when it holds the 512pt @2x image (ITMS-90236).
    let icns = info
        .filter(|_| t.platform.is_mac())
        .and_then(|i| i.dict.get("CFBundleIconFile").and_then(|v| v.as_string()))
        .map(|n| settings.expand(n).trim().to_string())
        .filter(|n| !n.is_empty() && !n.contains('$'))
        .map(|n| if n.ends_with(".icns") { n } else { format!("{n}.icns") });
    // tvOS's app icon is a brand asset (`App Icon & Top Shelf Image.brandassets`: Swiftfin,
    // Moonlight), visionOS's a solid image stack (`AppIcon.solidimagestack`).
    let brand = format!("{icon}.brandassets");
    let stack = format!("{icon}.solidimagestack");
    let is_icon = |name: &str| name == set || name == composer || name == brand || name == stack || icns.as_deref() == Some(name);
    let resources = target_resources(ws, t).filter(|r| !r.files.is_empty() || !r.folders.is_empty());
    let (privacy, app_icon, place) = match &resources {
        Some(r) => {
            let privacy = r
                .files
                .iter()
                .filter(|f| f.file_name().is_some_and(|n| n == "PrivacyInfo.xcprivacy"))
                .find_map(|f| crate::fsutil::on_disk(f).filter(|f| f.is_file()))
                .or_else(|| r.folders.iter().find_map(|d| find_file(d, &|n| n == "PrivacyInfo.xcprivacy", 6)));
            let app_icon = r
                .files
                .iter()
                .find_map(|f| {
                    let name = f.file_name()?.to_string_lossy().into_owned();
                    if is_icon(&name) {
                        crate::fsutil::on_disk(f)
                    } else if name.ends_with(".car") && compiled_catalog_holds(f, &icon) {
                        // A catalog compiled elsewhere and kept compiled (Cryptomator's
                        // SharedResources/Assets.car, copied in by its fastlane per edition).
                        Some(f.clone())
                    } else if name.ends_with(".xcassets") {
                        find_file(f, &|n| is_icon(n), 3)
                    } else {
                        None
                    }
                })
                .or_else(|| r.folders.iter().find_map(|d| find_file(d, &|n| is_icon(n), 6)));
            (privacy, app_icon, "among the target's resources (its Copy Bundle Resources phase and synchronized folders)".to_string())
        }
        None => {
            let own = info.as_ref().and_then(|i| i.path.parent().map(Path::to_path_buf)).unwrap_or_else(|| project_folder(ws, t));
            let project_dir = project_folder(ws, t);
            let find = |want: &dyn Fn(&str) -> bool, depth: usize| find_file(&own, want, depth).or_else(|| find_file(&project_dir, want, depth + 2));
            // The project at the workspace's top (NowPlayingPlus): "in the workspace folder", not "under .".
            let place = match ws.display_path(&project_dir).as_str() {
                "" | "." => "in the workspace folder".to_string(),
                dir => format!("under {dir}"),
            };
            (find(&|name| name == "PrivacyInfo.xcprivacy", 4), find(&|n| is_icon(n), 5), place)
        }
    };
    match privacy {
        Some(p) => out.push(Finding::ok("appstore.privacy-manifest.present", &subject, "Privacy manifest present").at(p, None)),
        None => out.push(
            Finding::warning("appstore.privacy-manifest.missing", &subject, format!("No PrivacyInfo.xcprivacy {place}."))
                .help("Add a privacy manifest (File > New > App Privacy) declaring the required-reason APIs the app uses."),
        ),
    }
    // Loop: the target's catalog is empty in git; a Run Script phase fills it when the app builds.
    let made = match (&app_icon, &resources) {
        (None, Some(r)) => icon_made_by_build(ws, t, r, &is_icon),
        _ => None,
    };
    if let Some(m) = made {
        let catalog = ws.display_path(&m.catalog);
        let by = format!("the Run Script phase “{}”{}", m.phase, m.script.as_ref().map(|f| format!(" ({})", ws.display_path(f))).unwrap_or_default());
        match m.icon {
            Some(icon_path) => out.push(
                Finding::ok(
                    "appstore.app-icon.present",
                    &subject,
                    format!("App icon set {icon} in {}, which {by} copies into {catalog} when the app builds", ws.display_path(icon_path.parent().unwrap_or(&icon_path))),
                )
                .at(icon_path, None),
            ),
            None => out.push(
                Finding::warning(
                    "appstore.app-icon.built",
                    &subject,
                    format!("No {set} in the checkout: {by} fills {catalog} when the app builds, so whether the archive has an icon is known only after it is made."),
                )
                .at(&m.catalog, None)
                .help("Check the archive's app for its icon (Xcode's Organizer shows it), or keep the icon set in the repository."),
            ),
        }
    } else {
        match app_icon {
            Some(p) if p.extension().is_some_and(|e| e == "icns") => {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                out.push(Finding::ok("appstore.app-icon.present", &subject, format!("App icon {name} (the Info.plist's CFBundleIconFile)")).at(p, None))
            }
            Some(p) if p.extension().is_some_and(|e| e == "car") => {
                out.push(Finding::ok("appstore.app-icon.present", &subject, format!("App icon {icon} in the compiled asset catalog {}", ws.display_path(&p))).at(p, None))
            }
            Some(p) => out.push(Finding::ok("appstore.app-icon.present", &subject, format!("App icon set {icon}")).at(p, None)),
            None => {
                // Icons kept as loose files the Info.plist names (Mumble's `icon.png`,
                // `icon@2x.png`...): how apps carried them before asset catalogs; App Store Connect
                // takes them from an asset catalog now (ITMS-90713).
                let loose = info.filter(|_| !t.platform.is_mac()).and_then(|i| {
                    let top = i.dict.get("CFBundleIconFiles");
                    let primary =
                        i.dict.get("CFBundleIcons").and_then(|v| v.as_dictionary()).and_then(|d| d.get("CFBundlePrimaryIcon")).and_then(|v| v.as_dictionary()).and_then(|d| d.get("CFBundleIconFiles"));
                    let names: Vec<&str> = [top, primary].into_iter().flatten().filter_map(|v| v.as_array()).flatten().filter_map(|v| v.as_string()).collect();
                    let mut unique: Vec<&str> = Vec::new();
                    for n in names {
                        if !unique.contains(&n) {
                            unique.push(n);
                        }
                    }
                    (!unique.is_empty()).then_some((i, unique))
                });
                let said = loose.as_ref().map(|(_, names)| {
                    let shown: Vec<&str> = names.iter().take(3).copied().collect();
                    format!(
                        " The Info.plist names icon files ({}{}): icons kept that way are not taken any more; they come from an asset catalog's icon set",
                        shown.join(", "),
                        if names.len() > 3 { format!(" and {} more", names.len() - 3) } else { String::new() }
                    )
                });
                let mut f = Finding::blocker(
                    "appstore.app-icon.missing",
                    &subject,
                    format!(
                        "No {} {place}: App Store Connect rejects an app without an icon.{}",
                        match t.platform {
                            crate::workspace::Platform::Tvos => format!("{brand} (or {set})"),
                            crate::workspace::Platform::Visionos => format!("{stack} (or {set}, {composer})"),
                            _ => format!("{set} (or {composer})"),
                        },
                        said.map(|s| format!("{s} (ITMS-90713).")).unwrap_or_default()
                    ),
                )
                .help("Add an app icon set to the target's asset catalog, or fix ASSETCATALOG_COMPILER_APPICON_NAME.");
                if let Some((i, _)) = &loose {
                    f = f.at(&i.path, i.key_line("CFBundleIconFiles").or_else(|| i.key_line("CFBundleIcons")));
                }
                out.push(f)
            }
        }
    }

    // The bundle id: one App Store Connect has an app record for, not a template's placeholder
    // (BookPlayer's Release.xcconfig says `com.replace.me` until its CI fills it in; Apple's
    // samples `com.example.apple-samplecode.…`): the upload finds no app for it.
    if let Some(raw) = settings.get("PRODUCT_BUNDLE_IDENTIFIER") {
        let id = raw.value.trim();
        if crate::text::is_placeholder_bundle_id(id) {
            // Where the placeholder is written: the setting the id is made of that holds it
            // (VLC's `BUNDLE_IDENTIFIER_PREFIX=com.example` in SharedConfig.xcconfig), else the id.
            let from = crate::settings::references(&raw.raw)
                .into_iter()
                .filter_map(|n| settings.get(n).map(|v| (n, v)))
                .find(|(_, v)| crate::text::is_placeholder_bundle_id(&format!("{}.x", v.value.trim())));
            let (at, said) = match from {
                Some((name, v)) => (v, format!(" (from {name} = {})", v.value.trim())),
                None => (raw, String::new()),
            };
            let mut f = Finding::blocker(
                "appstore.bundle-id.placeholder",
                &subject,
                format!("PRODUCT_BUNDLE_IDENTIFIER is `{id}`{said}, a placeholder: App Store Connect has no app with this bundle id, and no App Store profile can be made for it."),
            )
            .help("Set the bundle id of the app's record in App Store Connect (Apps > App Information), where the setting is written, before the archive.");
            if at.line > 0 {
                f = f.at(&at.file, Some(at.line));
            }
            out.push(f);
        }
    }

    // Push: a release build must talk to the production APNs environment.
    if let Some(ent) = t.entitlements.as_ref().and_then(|p| PlistFile::read(&ws.path(p))) {
        let key = match t.platform {
            p if p.is_mac() => "com.apple.developer.aps-environment",
            _ => "aps-environment",
        };
        if let Some(raw) = ent.dict.get(key).and_then(|v| v.as_string()) {
            let value = settings.expand(raw);
            if value.eq_ignore_ascii_case("production") {
                out.push(Finding::ok("appstore.push-environment", &subject, "Push notifications use the production environment").at(&ent.path, ent.key_line(key)));
            } else if value.eq_ignore_ascii_case("development") {
                // Xcode writes `development` here and signs an App Store export with the
                // distribution profile's value, `production`.
                out.push(
                    Finding::ok("appstore.push-environment", &subject, format!("{key} is `development` in the file; the App Store export takes `production` from the distribution profile"))
                        .at(&ent.path, ent.key_line(key)),
                );
            } else {
                out.push(Finding::blocker("appstore.push-environment", &subject, format!("{key} is `{value}`; an App Store build needs `production`.")).at(&ent.path, ent.key_line(key)));
            }
        }
    }
}

/// One to three period-separated non-negative integers: what App Store Connect accepts for
/// the version (CFBundleShortVersionString, from MARKETING_VERSION), per Apple's Information
/// Property List reference (ITMS-90060); the build number's rule is [`is_build_number`].
pub fn is_version_number(v: &str) -> bool {
    integers(v).is_some_and(|n| n <= 3)
}

/// How many period-separated non-negative integers `v` is, if it is only that.
fn integers(v: &str) -> Option<usize> {
    let parts: Vec<&str> = v.split('.').collect();
    parts.iter().all(|p| !p.is_empty() && p.len() <= 18 && p.bytes().all(|b| b.is_ascii_digit())).then_some(parts.len())
}

/// A build number (CFBundleVersion) App Store Connect takes for this platform. A Mac app's
/// (and a Mac Catalyst build's, uploaded as a Mac package) is refused past three integers
/// (ITMS-90257, "at most three non-negative integers", in a Mac App Store upload reported in
/// electron-builder#4572); other platforms' uploads take more and the system ignores the rest
/// (Xcode's help on the build string), as iOS apps that ship `4.54.0.1` (Simplenote) show.
pub fn is_build_number(v: &str, platform: crate::workspace::Platform) -> bool {
    use crate::workspace::Platform;
    integers(v).is_some_and(|n| n <= 3 || !matches!(platform, Platform::Macos | Platform::Catalyst))
}

/// The Info.plist's version keys name a build setting that nothing the repository holds sets
/// (alt-tab-macos writes `$(CURRENT_PROJECT_VERSION)` for both, set only in a `local.xcconfig`
/// its CI writes): Xcode expands an unset setting to nothing, so the archive Shipdeck runs would
/// have an empty version. A warning, not a blocker: a build phase may still write the value.
fn check_version_references(ws: &Workspace, t: &TargetConfig, settings: &Settings, info: &PlistFile, subject: &str, out: &mut Vec<Finding>) {
    // Keys written alike (`$(CURRENT_PROJECT_VERSION)` for both) are one finding: one cause.
    // (as written, the names nothing sets, the keys and what each is)
    type Keys<'k> = Vec<(&'k str, &'k str)>;
    let mut groups: Vec<(&str, Vec<String>, Keys)> = Vec::new();
    for (key, what) in [("CFBundleShortVersionString", "version"), ("CFBundleVersion", "build number")] {
        let Some(raw) = info.dict.get(key).and_then(|v| v.as_string()) else { continue };
        // What expanding leaves as written: the references nothing sets.
        let names: Vec<String> = crate::settings::references(&settings.expand(raw)).into_iter().map(String::from).collect();
        if names.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|g| g.0 == raw) {
            Some(g) => g.2.push((key, what)),
            None => groups.push((raw, names, vec![(key, what)])),
        }
    }
    let absent = if groups.is_empty() { vec![] } else { crate::settings::absent_optional_includes(ws, t) };
    for (raw, names, keys) in groups {
        let listed = crate::text::and_list(&names.iter().map(String::as_str).collect::<Vec<_>>());
        let key_names: Vec<&str> = keys.iter().map(|k| k.0).collect();
        let whats = crate::text::and_list(&keys.iter().map(|k| k.1).collect::<Vec<_>>());
        let verb = if keys.len() > 1 { "are both" } else { "is" };
        let mut message = format!(
            "The Info.plist's {} {verb} `{raw}`, and no build setting of the {} configuration sets {listed}: Xcode would write an empty {whats}, which App Store Connect refuses.",
            crate::text::and_list(&key_names),
            ws.configuration()
        );
        if let Some((xcconfig, line, named)) = absent.first() {
            message.push_str(&format!(
                " It may be set in {}, which {}:{line} includes if present (`#include?`) and which is not here (a file a build script writes, or one kept out of git).",
                ws.display_path(named),
                ws.display_path(xcconfig)
            ));
        } else if let Some((script, line, text)) = names.iter().find_map(|n| script_setting(&crate::ci::repo_root(ws), n)) {
            // ShadowsocksX-NG's Makefile runs `agvtool new-marketing-version $(VERSION)`.
            message.push_str(&format!(" A script sets it before it builds ({}:{line}: `{text}`); Shipdeck's release does not run it.", ws.display_path(&script)));
        }
        out.push(
            Finding::warning("appstore.version.unset", subject, message)
                .at(&info.path, info.key_line(keys[0].0))
                .help(format!("Set {listed} in the target's build settings or in an xcconfig the repository holds, so the archive has a {whats}.")),
        );
    }
}

/// The files where a team's release steps are written: the workflows, the Fastfile, a Makefile
/// and the shell scripts of `scripts/` (or `Scripts/`).
pub(crate) fn release_scripts(repo: &Path) -> Vec<PathBuf> {
    let list = |d: &Path| std::fs::read_dir(d).map(|d| d.flatten().map(|e| e.path()).collect::<Vec<_>>()).unwrap_or_default();
    let mut scripts = list(&repo.join(".github/workflows"));
    scripts.extend(crate::discover::scripts::FASTLANE_FOLDERS.iter().map(|f| repo.join(f).join("Fastfile")).chain([repo.join("Makefile")]));
    for dir in ["scripts", "Scripts"] {
        scripts.extend(list(&repo.join(dir)).into_iter().filter(|p| p.extension().is_some_and(|e| e == "sh")));
    }
    scripts.retain(|p| p.is_file());
    scripts.sort();
    scripts.dedup();
    scripts
}

/// A line of the team's scripts that sets build setting `name` for the build (agvtool, a
/// `NAME=value` argument of xcodebuild, Trapeze's `trapeze run <file>.yaml` whose `ios:` part
/// names a `version:` or `buildNumber:`, which it writes as MARKETING_VERSION and
/// CURRENT_PROJECT_VERSION: Voyager's release workflow): the script and the line.
fn script_setting(repo: &Path, name: &str) -> Option<(PathBuf, usize, String)> {
    let (agvtool, trapeze_key) = match name {
        "MARKETING_VERSION" => (Some("agvtool new-marketing-version"), Some("version:")),
        "CURRENT_PROJECT_VERSION" => (Some("agvtool new-version"), Some("buildNumber:")),
        _ => (None, None),
    };
    // Trapeze's file, as the command names it (relative to the repository, where CI runs it).
    let trapeze_sets = |l: &str| {
        let Some(key) = trapeze_key else { return false };
        let Some(file) = l.split_once("trapeze run ").and_then(|(_, rest)| rest.split_whitespace().next()) else { return false };
        let indent = |y: &str| y.len() - y.trim_start().len();
        std::fs::read_to_string(repo.join(file)).is_ok_and(|yaml| {
            let mut lines = yaml.lines().skip_while(|y| y.trim() != "ios:");
            let Some(ios) = lines.next() else { return false };
            lines.take_while(|y| y.trim().is_empty() || indent(y) > indent(ios)).any(|y| y.trim_start().starts_with(key))
        })
    };
    release_scripts(repo).into_iter().find_map(|script| {
        let text = std::fs::read_to_string(&script).ok()?;
        text.lines().enumerate().find_map(|(n, line)| {
            let l = line.trim();
            let sets = agvtool.is_some_and(|a| l.contains(a)) || (l.contains("xcodebuild") && l.contains(&format!("{name}="))) || trapeze_sets(l);
            (sets && !l.starts_with('#')).then(|| (script.clone(), n + 1, l.to_string()))
        })
    })
}

/// The version or build number is a placeholder the team's CI rewrites before it builds
/// (Loop's `BUILD_NUMBER = 0` in Config.xcconfig, set by `sed` in its workflow; agvtool,
/// PlistBuddy; Secretive's `CI_VERSION = GITHUB_CI_VERSION`, a word its release workflow's `sed`
/// replaces with the tag): a release from this checkout would ship what the file says. Said
/// once, naming each script and line that rewrites it. Returns the values rewritten (0 the
/// version, 1 the build number), which the format check leaves to this finding.
fn check_rewritten_by_scripts(ws: &Workspace, t: &TargetConfig, settings: &Settings, shipped: &[Option<crate::settings::Shipped>; 2], out: &mut Vec<Finding>) -> Vec<usize> {
    let subject = format!("{} target {}", t.platform.display(), t.target_name());
    // (what it is, the name written, its value, the file, the line)
    let mut written: Vec<(&str, String, String, PathBuf, Option<usize>)> = Vec::new();
    for (s, what) in shipped.iter().zip(["version", "build number"]) {
        let Some(s) = s else { continue };
        match &s.setting {
            Some(name) => {
                if let (origin, Some(v)) = settings.origin(name) {
                    written.push((what, origin, v.value.trim().to_string(), v.file.clone(), Some(v.line).filter(|l| *l > 0)));
                }
            }
            None => {
                let key = if what == "version" { "CFBundleShortVersionString" } else { "CFBundleVersion" };
                written.push((what, key.to_string(), s.value.clone(), s.file.clone(), s.line));
            }
        }
    }
    // Only placeholders (`0`, `0.0.0`, or a word that is no number): a real number a release
    // script raises (SwiftFormat's prepare_release.sh) is what ships until it is run, as it should be.
    let placeholder_word = |v: &str| v.len() >= 4 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && v.bytes().any(|b| b.is_ascii_alphabetic());
    written.retain(|(_, _, value, _, _)| !value.is_empty() && (value.split('.').all(|p| p == "0") || placeholder_word(value)));
    if written.is_empty() {
        return vec![];
    }
    let mut by_script: Vec<(PathBuf, Vec<(usize, usize)>)> = Vec::new();
    let repo = crate::ci::repo_root(ws);
    let scripts = release_scripts(&repo);
    let is_word = |line: &str, w: &str| {
        line.match_indices(w).any(|(i, _)| {
            let before = line[..i].chars().next_back();
            let after = line[i + w.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    for script in scripts {
        let Ok(text) = std::fs::read_to_string(&script) else { continue };
        // Which of `written` this script rewrites, and the first line doing each.
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.starts_with('#') {
                continue;
            }
            for (i, (_, name, value, file, _)) in written.iter().enumerate() {
                let file_name = file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                // PlistBuddy's Set/Add write; its Print only reads (Stats' Makefile).
                let plistbuddy_writes = l.contains("PlistBuddy") && (l.contains("Set ") || l.contains("Add "));
                let names_it = is_word(l, name) || (placeholder_word(value) && is_word(l, value));
                let edits_file = (l.contains("sed ") || plistbuddy_writes || l.contains("plutil -replace") || l.contains("perl -pi")) && l.contains(&file_name) && names_it;
                let agvtool = (name == "CURRENT_PROJECT_VERSION" && l.contains("agvtool new-version")) || (name == "MARKETING_VERSION" && l.contains("agvtool new-marketing-version"));
                if (edits_file || agvtool) && !hits.iter().any(|(j, _)| *j == i) {
                    hits.push((i, n + 1));
                }
            }
        }
        if !hits.is_empty() {
            by_script.push((script, hits));
        }
    }
    if by_script.is_empty() {
        // A version of zeros no script here rewrites (Open Food Facts' pubspec.yaml says
        // `0.0.0+734`; a workflow input reaches fastlane's bump step): what a release from this
        // checkout ships, said, not refused (the format is valid).
        if let Some((_, name, value, file, line)) = written.iter().find(|(what, _, value, _, _)| *what == "version" && value.split('.').all(|p| p == "0")) {
            let place = match line {
                Some(l) => format!("{}:{l}", ws.display_path(file)),
                None => ws.display_path(file),
            };
            out.push(
                Finding::warning(
                    "appstore.version.zero",
                    &subject,
                    format!("The version is {value} ({name}, {place}), a placeholder no script of the repository was seen to replace: a release from this checkout ships {value}."),
                )
                .at(file, *line)
                .help(format!("Write the release's version in {} before the release, or run the team's step that sets it first.", ws.display_path(file))),
            );
        }
        return vec![];
    }
    // The release workflow first (Secretive's release.yml before its nightly and one-off ones).
    by_script.sort_by_key(|(script, _)| !script.file_name().is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().contains("release")));
    // One finding for the cause, naming each script that rewrites (Secretive's nightly, one-off
    // and release workflows all do): the values in the order they are written.
    let mut all: Vec<usize> = by_script.iter().flat_map(|(_, hits)| hits.iter().map(|(i, _)| *i)).collect();
    all.sort();
    all.dedup();
    let whats: Vec<&str> = all.iter().map(|i| written[*i].0).collect();
    let sources: Vec<String> = all
        .iter()
        .map(|i| {
            let (_, name, value, file, at) = &written[*i];
            let place = match at {
                Some(l) => format!("{}:{l}", ws.display_path(file)),
                None => ws.display_path(file),
            };
            format!("{name} = {value} ({place})")
        })
        .collect();
    let lines_of = |hits: &[(usize, usize)]| {
        let lines: Vec<String> = hits.iter().map(|(_, n)| n.to_string()).collect();
        match lines.len() {
            1 => format!("line {}", lines[0]),
            _ => format!("lines {}", crate::text::and_list(&lines.iter().map(String::as_str).collect::<Vec<_>>())),
        }
    };
    let by = match by_script.as_slice() {
        [(script, hits)] => format!("which {} rewrites before it builds ({})", ws.display_path(script), lines_of(hits)),
        many => format!(
            "which {} rewrite before they build",
            crate::text::and_list(&many.iter().map(|(script, hits)| format!("{} ({})", ws.display_path(script), lines_of(hits))).collect::<Vec<_>>().iter().map(String::as_str).collect::<Vec<_>>())
        ),
    };
    let (verb, them) = if all.len() == 1 { ("comes", "it") } else { ("come", "them") };
    // A word where a number goes is refused at the upload, after the archive.
    let refused = all.iter().any(|i| placeholder_word(&written[*i].2));
    let message = format!(
        "The {} {verb} from {}, {by}: a release from this checkout ships {them} as written{}.",
        crate::text::and_list(&whats),
        crate::text::and_list(&sources.iter().map(String::as_str).collect::<Vec<_>>()),
        if refused { ", which App Store Connect refuses (a version or build number is one to three integers separated by periods)" } else { "" }
    );
    let (script, hits) = &by_script[0];
    let finding = if refused { Finding::blocker("appstore.version.scripted", &subject, message) } else { Finding::warning("appstore.version.scripted", &subject, message) };
    let names = all.iter().map(|i| written[*i].1.as_str()).collect::<Vec<_>>().join(" and ");
    let file = ws.display_path(&written[all[0]].3);
    // `--bump-build` raises a number; a word in its place is written by hand.
    let help = if refused {
        format!("Write the release's numbers for {names} in {file} before a release from this checkout (what the workflow's step does), or release from that workflow.")
    } else {
        format!("Set {names} in {file} before the release (`--bump-build` raises the build number), or run that step first.")
    };
    out.push(finding.at(script, Some(hits[0].1)).help(help));
    all.iter().map(|i| usize::from(written[*i].0 != "version")).collect()
}

/// The version and the build number the app ships with are numbers App Store Connect accepts (a
/// typed letter O for a zero is refused at upload, after the archive). True when both are
/// numbers, or unknown (their absence is reported by the version checks).
fn check_version_format(ws: &Workspace, t: &TargetConfig, settings: &Settings, shipped: &[Option<crate::settings::Shipped>; 2], rewritten: &[usize], out: &mut Vec<Finding>) -> bool {
    let subject = format!("{} target {}", t.platform.display(), t.target_name());
    let mut ok = true;
    let mac = matches!(t.platform, crate::workspace::Platform::Macos | crate::workspace::Platform::Catalyst);
    let mut preprocessed: Vec<(&crate::settings::Shipped, String)> = Vec::new();
    for (i, (s, (what, example))) in shipped.iter().zip([("version", "2.5.0"), ("build number", "250 or 2.5.1")]).enumerate() {
        let Some(s) = s else { continue };
        // Unresolved references are left to Xcode (some are filled in only at build time).
        let accepted = if i == 0 { is_version_number(&s.value) } else { is_build_number(&s.value, t.platform) };
        if s.value.is_empty() || s.value.contains("$(") || s.value.contains("${") || accepted {
            continue;
        }
        ok = false;
        // A placeholder the team's scripts replace: said by check_rewritten_by_scripts.
        if rewritten.contains(&i) {
            continue;
        }
        // Filled by Xcode's Info.plist preprocessor at build time: said once, below.
        if let Some(from) = crate::settings::preprocessed_from(settings, &s.value) {
            preprocessed.push((s, from));
            continue;
        }
        // KeyCastr's Info.plist writes `$(MARKETING_VERSION)` for both keys: one value, one
        // finding (the version's, which says it is the build number too).
        if i == 1 && shipped[0].as_ref().is_some_and(|v| v.name == s.name && v.value == s.value && !is_version_number(&v.value)) {
            if let Some(f) = out.iter_mut().rev().find(|f| f.id == "appstore.version.invalid" && f.subject == subject) {
                f.message = f.message.replacen(" is `", " is the version and the build number, `", 1);
            }
            continue;
        }
        let rule = if i == 1 && !mac { "integers separated by periods" } else { "one to three integers separated by periods" };
        let of_mac = if i == 1 && mac && integers(&s.value).is_some() { " for a Mac app" } else { "" };
        let mut f = Finding::blocker(
            "appstore.version.invalid",
            &subject,
            format!("{} is `{}`: App Store Connect takes a {what} of {rule}{of_mac} ({example}), and refuses the upload otherwise.", s.name, s.value),
        )
        .help(match generated_setting(&s.file, &s.name) {
            // AeroSpace: `MARKETING_VERSION: ${XCODEGEN_AEROSPACE_VERSION}` in xcode/project.yml,
            // given by its release script when it generates the project; the committed
            // project holds the script's default, 0.0.0-SNAPSHOT.
            Some((spec, line, text)) if text.contains("${") => format!(
                "The project is generated from {}, which takes {} from the environment (line {line}: `{text}`): generate it with the release's {what} before the archive (`{}`), or write one there.",
                ws.display_path(&spec),
                s.name,
                crate::discover::generate_command(&spec)
            ),
            Some((spec, line, _)) => format!(
                "Write it with digits and periods only in {} (line {line}), where the generated project takes it from, and run `{}`.",
                ws.display_path(&spec),
                crate::discover::generate_command(&spec)
            ),
            None => "Write it with digits and periods only.".to_string(),
        });
        if !s.file.as_os_str().is_empty() {
            f = f.at(&s.file, s.line);
        }
        out.push(f);
    }
    if let Some((first, from)) = preprocessed.first() {
        let names: Vec<String> = preprocessed.iter().map(|(s, _)| format!("{} is `{}`", s.name, s.value)).collect();
        let them = if preprocessed.len() == 1 { "it" } else { "them" };
        let mut f = Finding::warning(
            "appstore.version.preprocessed",
            &subject,
            format!(
                "{}: Xcode's Info.plist preprocessor fills {them} from {from} when it builds, so what ships is known only after the archive and is not checked here.",
                crate::text::and_list(&names.iter().map(String::as_str).collect::<Vec<_>>())
            ),
        )
        .help("Check the archive's Info.plist (or the step that writes the header) gives one to three integers separated by periods before uploading.");
        if !first.file.as_os_str().is_empty() {
            f = f.at(&first.file, first.line);
        }
        out.push(f);
    }
    ok
}

/// Where a generated project's setting comes from: the spec beside the `.xcodeproj` whose
/// project.pbxproj holds it (XcodeGen's project.yml, Tuist's Project.swift), the spec's line
/// setting `name`, and that line.
fn generated_setting(file: &Path, name: &str) -> Option<(PathBuf, usize, String)> {
    let xcodeproj = file.parent().filter(|_| file.file_name().is_some_and(|n| n == "project.pbxproj"))?;
    let spec = crate::discover::generator_beside(xcodeproj)?;
    let text = std::fs::read_to_string(&spec).ok()?;
    let (n, line) = text.lines().enumerate().find(|(_, l)| {
        let l = l.trim_start().trim_start_matches('.').trim_start_matches('"');
        l.strip_prefix(name).is_some_and(|rest| rest.trim_start_matches('"').trim_start().starts_with(':'))
    })?;
    Some((spec, n + 1, line.trim().to_string()))
}

/// The build number must be higher than the last one uploaded for this version: asked of
/// App Store Connect with the credentials the caller gave.
/// The edit that sets the shipped build number to the one after `last`, where the release
/// configuration writes it (an xcconfig line, the project file's configuration): the setting's
/// name, the new number and the edit as `settings.set` takes it. `None` when it is written
/// elsewhere (an Info.plist literal, a pubspec.yaml, a value made of other settings) or the
/// project is generated (the next generation would put it back).
fn raise_above(ws: &Workspace, t: &TargetConfig, settings: &Settings, shipped: Option<&crate::settings::Shipped>, last: &str) -> Option<(String, String, serde_json::Value)> {
    let start = shipped?.setting.clone()?;
    let (name, Some(v)) = settings.origin(&start) else { return None };
    let editable = v.file.extension().is_some_and(|e| e == "xcconfig" || e == "pbxproj");
    if !editable || v.line == 0 || v.raw.contains("$(") || v.raw.contains("${") || crate::discover::generator_beside(&ws.path(&t.project)).is_some() {
        return None;
    }
    let next = crate::appstore::asc::next_build_number(&name, last).ok()?;
    let edit = serde_json::json!({ "file": ws.display_path(&v.file), "line": v.line, "key": name, "value": next });
    Some((name, next, edit))
}

fn check_build_number(ws: &Workspace, t: &TargetConfig, settings: &Settings, shipped: &[Option<crate::settings::Shipped>; 2], creds: &crate::appstore::Credentials, out: &mut Vec<Finding>) {
    use crate::appstore::asc;
    let subject = format!("{} target {}", t.platform.display(), t.target_name());
    // What ships: the Info.plist's literal when it writes one, else the build settings.
    let [Some(version), Some(build)] = shipped else { return };
    let (version, build) = (version.value.as_str(), build.value.as_str());
    let Some(bundle) = settings.value("PRODUCT_BUNDLE_IDENTIFIER") else { return };
    // Unknown here (a setting nothing sets): said by the version checks, nothing to compare.
    if [version, build].iter().any(|v| v.is_empty() || v.contains("$(") || v.contains("${")) {
        return;
    }
    let at = |f: Finding| match &shipped[1] {
        Some(b) if !b.file.as_os_str().is_empty() => f.at(&b.file, b.line),
        _ => f,
    };
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
        Ok(Some(last)) if asc::compare_build_numbers(build, &last) != std::cmp::Ordering::Greater => {
            let mut f = at(Finding::blocker(
                "release.build-number.used",
                &subject,
                format!("Build number {build} is not higher than {last}, already uploaded for version {version}: App Store Connect will refuse the upload."),
            ));
            // The number above the last upload (fastlane's `latest_testflight_build_number + 1`),
            // set where the release configuration writes it, as a fix with its preview and undo.
            match raise_above(ws, t, settings, shipped[1].as_ref(), &last) {
                Some((name, next, edit)) => {
                    f = f
                        .help(format!(
                            "Raise {name} above {last}: this finding's fix sets it to {next} where the release configuration writes it (its button in the app, `shipdeck fix` in a terminal)."
                        ))
                        .fix(crate::finding::Fix::new("settings.set", format!("Raise the build number to {next}"), serde_json::json!({ "settings": [edit] })));
                }
                None => f = f.help(format!("Raise the build number above {last} where the release configuration sets it (CURRENT_PROJECT_VERSION, or the Info.plist's CFBundleVersion).")),
            }
            out.push(f)
        }
        Ok(last) => out.push(at(Finding::ok("release.build-number", &subject, format!("Build {build} is new for {version}{}", last.map(|l| format!(" (last uploaded: {l})")).unwrap_or_default())))),
    }
}

/// Monitoring and analytics settings named in shipdeck.toml hold real values.
fn check_monitoring(ws: &Workspace, t: &TargetConfig, settings: &Settings, out: &mut Vec<Finding>) {
    for name in &ws.config.monitoring.settings {
        match settings.get(name) {
            None => out.push(
                Finding::blocker("monitoring.setting.missing", name, format!("{name} is not set for {} ({}).", ws.configuration(), t.platform.display())).help("Set it in the Production xcconfig."),
            ),
            Some(v) if is_cut_url(&v.value) => out.push(
                Finding::blocker("monitoring.setting.placeholder", name, format!("{name} reads `{}`: the `//` of the URL starts a comment in an xcconfig.", v.value))
                    .at(&v.file, Some(v.line))
                    .help("Write the URL as https:/$()/host/... so the slashes survive."),
            ),
            Some(v) if is_placeholder(&v.value) => out.push(Finding::blocker("monitoring.setting.placeholder", name, format!("{name} is a placeholder: `{}`.", v.value)).at(&v.file, Some(v.line))),
            Some(v) => out.push(Finding::ok("monitoring.setting.set", name, format!("{name} is set for {}", ws.configuration())).at(&v.file, Some(v.line))),
        }
    }
}

/// `https:` and friends: a URL whose `//` an xcconfig took for a comment.
fn is_cut_url(value: &str) -> bool {
    value.strip_suffix(':').is_some_and(|scheme| !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphabetic()))
}

pub use crate::text::is_placeholder;

/// The resources the project lists for the release target (see [`crate::pbxproj::Project::target_resources`]).
fn target_resources(ws: &Workspace, t: &TargetConfig) -> Option<crate::pbxproj::Resources> {
    let xcodeproj = ws.path(&t.project);
    let doc = crate::pbxproj::Document::read_shared(&xcodeproj.join("project.pbxproj")).ok()?;
    let project = crate::pbxproj::Project::new(&doc, &xcodeproj).ok()?;
    project.target_resources(t.target_name())
}

/// The target's INFOPLIST_FILE when it is not in the checkout (and Xcode does not generate the
/// Info.plist). Made by a Run Script phase that declares it as an output (Cog's "Run version
/// generator script" writes it from Info.plist.template with the version from git): a warning,
/// and `Some` with the template to read in its place (`Some(None)` when there is none).
/// Made by nothing: a blocker, and `None`.
fn missing_info_plist(ws: &Workspace, t: &TargetConfig, settings: &Settings, out: &mut Vec<Finding>) -> Option<Option<PlistFile>> {
    if t.info_plist.is_some() || settings.value("GENERATE_INFOPLIST_FILE") == Some("YES") {
        return None;
    }
    let dir = project_folder(ws, t);
    let in_project = |raw: &str| -> PathBuf {
        let raw = raw.trim();
        let rest = PROJECT_DIR_VARS.iter().find_map(|v| raw.strip_prefix(v)).unwrap_or(raw);
        crate::fsutil::in_folder(&dir, rest)
    };
    let raw = settings.value("INFOPLIST_FILE")?;
    let path = in_project(raw);
    if path.exists() || raw.contains('$') && path.to_string_lossy().contains('$') {
        return None;
    }
    let subject = format!("{} target {}", t.platform.display(), t.target_name());
    let xcodeproj = ws.path(&t.project);
    let doc = crate::pbxproj::Document::read_shared(&xcodeproj.join("project.pbxproj")).ok();
    let project = doc.as_ref().and_then(|d| crate::pbxproj::Project::new(d, &xcodeproj).ok());
    let phase = project.and_then(|p| p.run_scripts(t.target_name()).into_iter().find(|r| r.outputs.iter().any(|o| in_project(o) == path)));
    let shown = ws.display_path(&path);
    match phase {
        Some(phase) => {
            // The template: an input of the phase named like one, else the file beside it.
            let template = phase
                .inputs
                .iter()
                .map(|i| in_project(i))
                .find(|i| i.is_file() && i.file_name().is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().contains("template")))
                .or_else(|| crate::fsutil::template_of(&path));
            let script = phase.inputs.iter().map(|i| in_project(i)).find(|i| i.is_file() && i.extension().is_some_and(|e| e == "sh" || e == "py" || e == "rb"));
            let from = match (&template, &script) {
                (Some(tpl), Some(sc)) => format!(" from {} ({})", ws.display_path(tpl), ws.display_path(sc)),
                (Some(tpl), None) => format!(" from {}", ws.display_path(tpl)),
                (None, Some(sc)) => format!(" ({})", ws.display_path(sc)),
                (None, None) => String::new(),
            };
            out.push(
                Finding::warning(
                    "appstore.info-plist.built",
                    &subject,
                    format!(
                        "{shown} is written when the app builds: the Run Script phase “{}” makes it{from}. Its version and build number are set then, so they are known only after the archive; the other keys were read from {}.",
                        phase.name.as_deref().unwrap_or("Run Script"),
                        template.as_ref().map(|t| ws.display_path(t)).unwrap_or_else(|| "nothing (there is no template)".to_string())
                    ),
                )
                .at(template.clone().unwrap_or_else(|| xcodeproj.join("project.pbxproj")), None)
                .help("Check the version and build number in the archive (Xcode's Organizer shows them) before the upload."),
            );
            Some(template.and_then(|t| PlistFile::read(&t)))
        }
        None => {
            let template = crate::fsutil::template_of(&path);
            let mut f = Finding::blocker(
                "appstore.info-plist.missing",
                &subject,
                format!(
                    "INFOPLIST_FILE is {shown}, which is not here{}, and no build phase makes it: the build stops when it reads the Info.plist.",
                    template.as_ref().map(|tpl| format!(" (its template {} is)", ws.display_path(tpl))).unwrap_or_default()
                ),
            );
            f = match &template {
                Some(tpl) => f.help(format!(
                    "Make it from its template as the team's setup does (`cp {} {}`), before the archive.",
                    crate::tools::shell_quote(&ws.display_path(tpl)),
                    crate::tools::shell_quote(&shown)
                )),
                None => f.help("Restore the file, or fix INFOPLIST_FILE in the target's build settings."),
            };
            out.push(f);
            None
        }
    }
}

/// A resource catalog of the target that one of its Run Script phases fills when the app
/// builds, and the icon set the checkout has for it.
struct MadeByBuild {
    catalog: PathBuf,
    phase: String,
    /// The script file the phase runs, when it runs one of the repository's.
    script: Option<PathBuf>,
    /// The icon set in another catalog beside it (Loop's DerivedAssetsBase.xcassets), if any.
    icon: Option<PathBuf>,
}

/// Loop's "Build Derived Assets" phase runs `"${SRCROOT}/Scripts/build-derived-assets.sh"
/// "${SRCROOT}/Loop"`, which copies `DerivedAssetsBase.xcassets` (with the icon) into
/// `DerivedAssets.xcassets`, the catalog the target lists and git keeps empty. A phase names
/// the catalog in its own script or in the script file it runs.
fn icon_made_by_build(ws: &Workspace, t: &TargetConfig, r: &crate::pbxproj::Resources, is_icon: &dyn Fn(&str) -> bool) -> Option<MadeByBuild> {
    let xcodeproj = ws.path(&t.project);
    let doc = crate::pbxproj::Document::read_shared(&xcodeproj.join("project.pbxproj")).ok()?;
    let project = crate::pbxproj::Project::new(&doc, &xcodeproj).ok()?;
    let scripts = project.run_scripts(t.target_name());
    if scripts.is_empty() {
        return None;
    }
    let dir = project_folder(ws, t);
    let catalogs: Vec<&PathBuf> = r.files.iter().filter(|f| f.extension().is_some_and(|e| e == "xcassets")).collect();
    for crate::pbxproj::RunScript { name, script, .. } in scripts {
        let file = script_file(&script, &dir);
        let file_text = file.as_deref().map(script_text).unwrap_or_default();
        for catalog in &catalogs {
            let Some(cat_name) = catalog.file_name().map(|n| n.to_string_lossy().into_owned()) else { continue };
            if !(script.contains(&cat_name) || file_text.contains(&cat_name)) {
                continue;
            }
            let icon = catalog.parent().and_then(|p| find_file(p, is_icon, 2));
            let phase = name.clone().unwrap_or_else(|| "Run Script".to_string());
            return Some(MadeByBuild { catalog: (*catalog).clone(), phase, script: file.clone(), icon });
        }
    }
    None
}

/// The version or build number a Run Script phase of the target writes into the Info.plist
/// of the app it builds (`PlistBuddy -c "Set :CFBundleVersion $n" "${TARGET_BUILD_DIR}/${INFOPLIST_PATH}"`:
/// Cryptomator's build number from `git rev-list --count`, over `CURRENT_PROJECT_VERSION =
/// AUTOMATIC`): said once, and taken out of `shipped` so the settings' value is not judged as
/// what ships.
fn versions_set_by_build(ws: &Workspace, t: &TargetConfig, shipped: &mut [Option<crate::settings::Shipped>; 2], out: &mut Vec<Finding>) {
    let Some(by) = build_phase_versions(ws, t) else { return };
    let subject = format!("{} target {}", t.platform.display(), t.target_name());
    let keys: Vec<usize> = (0..2).filter(|i| by.writes[*i]).collect();
    let whats: Vec<&str> = keys.iter().map(|i| ["version", "build number"][*i]).collect();
    let said: Vec<String> = keys.iter().filter_map(|i| shipped[*i].as_ref()).map(|s| format!("{} (`{}`)", s.name, s.value)).collect();
    let at = keys.iter().find_map(|i| shipped[*i].as_ref().filter(|s| !s.file.as_os_str().is_empty()).map(|s| (s.file.clone(), s.line)));
    for i in &keys {
        shipped[*i] = None;
    }
    let from = by.script.as_ref().map(|f| format!(" ({})", ws.display_path(f))).unwrap_or_default();
    let mut f = Finding::warning(
        "appstore.version.build-phase",
        &subject,
        format!(
            "The {} {} written into the app's Info.plist when it builds, by the Run Script phase “{}”{from}: {}, so what ships is known only after the archive.",
            crate::text::and_list(&whats),
            if whats.len() == 1 { "is" } else { "are" },
            by.phase,
            match said.len() {
                0 => "not by a build setting".to_string(),
                1 => format!("{} is not what ships", said[0]),
                _ => format!("{} are not what ships", crate::text::and_list(&said.iter().map(String::as_str).collect::<Vec<_>>())),
            }
        ),
    )
    .help("Check the archive's version and build number (Xcode's Organizer shows them) before the upload: the build number must be above the last one uploaded for the version.");
    if let Some((file, line)) = at {
        f = f.at(file, line);
    }
    out.push(f);
}

/// A Run Script phase of a target that writes the version or build number into the built app.
pub(crate) struct BuildPhaseVersions {
    pub phase: String,
    /// The repository's script file the phase runs, when it runs one.
    pub script: Option<PathBuf>,
    /// Whether it writes [CFBundleShortVersionString, CFBundleVersion].
    pub writes: [bool; 2],
}

/// The first Run Script phase of the target that writes CFBundleShortVersionString or
/// CFBundleVersion into the Info.plist of the app it builds, in its own script or the script
/// file it runs.
pub(crate) fn build_phase_versions(ws: &Workspace, t: &TargetConfig) -> Option<BuildPhaseVersions> {
    let xcodeproj = ws.path(&t.project);
    let doc = crate::pbxproj::Document::read_shared(&xcodeproj.join("project.pbxproj")).ok()?;
    let project = crate::pbxproj::Project::new(&doc, &xcodeproj).ok()?;
    let dir = project_folder(ws, t);
    project.run_scripts(t.target_name()).into_iter().find_map(|crate::pbxproj::RunScript { name, script, .. }| {
        let file = script_file(&script, &dir);
        let file_text = file.as_deref().map(script_text).unwrap_or_default();
        let writes = ["CFBundleShortVersionString", "CFBundleVersion"].map(|key| [&script, &file_text].iter().any(|text| writes_built_info_plist(text, key)));
        (writes[0] || writes[1]).then(|| BuildPhaseVersions { phase: name.unwrap_or_else(|| "Run Script".to_string()), script: file, writes })
    })
}

/// Whether a script writes `key` into the Info.plist of the product being built: a line that
/// sets the key (PlistBuddy's Set/Add, `plutil -replace`/`-insert`, `defaults write`) in a
/// script that names the built Info.plist (`$INFOPLIST_PATH` in the build folder).
fn writes_built_info_plist(text: &str, key: &str) -> bool {
    let names_built = text.contains("INFOPLIST_PATH") && ["TARGET_BUILD_DIR", "BUILT_PRODUCTS_DIR", "CODESIGNING_FOLDER_PATH"].iter().any(|d| text.contains(d));
    names_built
        && text.lines().map(str::trim).filter(|l| !l.starts_with('#')).any(|l| {
            let writes = (l.contains("PlistBuddy") && (l.contains("Set :") || l.contains("Add :"))) || l.contains("plutil -replace") || l.contains("plutil -insert") || l.contains("defaults write");
            writes && l.match_indices(key).any(|(i, _)| !l[i + key.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
}

/// Whether a compiled asset catalog (`Assets.car`, a BOM store) holds an asset named `name`:
/// its facet names are kept as plain text in the file. Large files are not read.
fn compiled_catalog_holds(car: &Path, name: &str) -> bool {
    const MAX: u64 = 64 << 20;
    let Ok(bytes) = std::fs::metadata(car).and_then(|m| if m.len() <= MAX { std::fs::read(car) } else { Ok(Vec::new()) }) else { return false };
    bytes.starts_with(b"BOMStore") && memchr::memmem::find_iter(&bytes, name.as_bytes()).any(|i| !bytes.get(i + name.len()).is_some_and(|c| c.is_ascii_alphanumeric()))
}

/// How a build phase writes a path in the project's folder: `${SRCROOT}/…` and its spellings.
const PROJECT_DIR_VARS: &[&str] = &["${SRCROOT}/", "$(SRCROOT)/", "$SRCROOT/", "${PROJECT_DIR}/", "$(PROJECT_DIR)/", "$PROJECT_DIR/"];

/// The repository's script file a Run Script phase runs: the first `${SRCROOT}/…` path (or
/// another of [`PROJECT_DIR_VARS`]) in it that is a file.
fn script_file(script: &str, project_dir: &Path) -> Option<PathBuf> {
    for var in PROJECT_DIR_VARS {
        for (at, _) in script.match_indices(var) {
            let rest = &script[at + var.len()..];
            let end = rest.find(['"', '\'', ' ', '\n', ';', ')']).unwrap_or(rest.len());
            let path = project_dir.join(&rest[..end]);
            if path.is_file() {
                return Some(path);
            }
        }
    }
    None
}

/// The text of a script file a build phase runs (up to 1 MiB; empty when larger or unreadable).
fn script_text(file: &Path) -> String {
    std::fs::metadata(file).ok().filter(|m| m.len() <= 1 << 20).and_then(|_| std::fs::read_to_string(file).ok()).unwrap_or_default()
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
        // Dependencies, build output and test bundles are not the app's resources.
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            !(n.starts_with('.')
                || ["Pods", "Carthage", "node_modules", "build", "DerivedData", "SourcePackages"].contains(&n.as_str())
                || n.ends_with("Tests")
                || n.ends_with(".xcodeproj")
                || n.ends_with(".xcworkspace"))
        })
        .find_map(|e| find_file(&e.path(), pred, depth - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ShadowsocksX-NG: `$(MARKETING_VERSION)` set nowhere in the project; its Makefile runs
    /// `agvtool new-marketing-version` before it builds.
    #[test]
    fn a_version_a_script_sets_names_the_script() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("App")).unwrap();
        std::fs::write(
            root.join("App/Info.plist"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>$(MARKETING_VERSION)</string>\n</dict>\n</plist>\n",
        )
        .unwrap();
        std::fs::write(root.join("Makefile"), "VERSION ?= 0.0.0\n\nrelease:\n\tagvtool new-marketing-version $(VERSION)\n\txcodebuild archive\n").unwrap();
        project(root, "App", &[("SDKROOT", "macosx")], &[T("App", APP, &[("INFOPLIST_FILE", "App/Info.plist")])]);
        let ws = Workspace::open(root).unwrap();
        let mut out = Vec::new();
        check(&ws, &super::super::Context::default(), &mut out);
        let f = out.iter().find(|f| f.id == "appstore.version.unset").expect("the unset version");
        assert!(f.message.ends_with("A script sets it before it builds (Makefile:4: `agvtool new-marketing-version $(VERSION)`); Shipdeck's release does not run it."), "{}", f.message);
        // Voyager (Capacitor): its release workflow runs Trapeze, whose file's `ios:` part names the
        // version it writes into the project.
        std::fs::remove_file(root.join("Makefile")).unwrap();
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        std::fs::write(root.join(".github/workflows/release.yml"), "jobs:\n  b:\n    steps:\n      - name: Run trapeze\n        run: pnpm trapeze run trapeze.yaml -y\n").unwrap();
        let message = || {
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().find(|f| f.id == "appstore.version.unset").expect("the unset version").message
        };
        std::fs::write(root.join("trapeze.yaml"), "vars:\n  APP_VERSION:\nplatforms:\n  ios:\n    buildNumber: $APP_BUILD\n  android:\n    version: $APP_VERSION\n").unwrap();
        assert!(!message().contains("A script sets it"), "only the Android version: {}", message());
        std::fs::write(root.join("trapeze.yaml"), "vars:\n  APP_VERSION:\nplatforms:\n  android:\n    versionName: $APP_VERSION\n  ios:\n    version: $APP_VERSION\n").unwrap();
        assert!(
            message().ends_with("A script sets it before it builds (.github/workflows/release.yml:5: `run: pnpm trapeze run trapeze.yaml -y`); Shipdeck's release does not run it."),
            "{}",
            message()
        );
    }

    /// Loop's layout: VERSION = 0.0.0 and BUILD_NUMBER = 0 in Config.xcconfig, rewritten by
    /// `sed` in its workflow before it builds.
    /// AeroSpace: XcodeGen's xcode/project.yml sets `MARKETING_VERSION: ${XCODEGEN_AEROSPACE_VERSION}`,
    /// filled by its release script when it generates the project; the committed project holds
    /// the script's default, `0.0.0-SNAPSHOT`.
    #[test]
    fn a_generated_projects_bad_version_points_at_its_spec() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("xcode");
        std::fs::create_dir_all(&root).unwrap();
        project(&root, "AeroSpace", &[("SDKROOT", "macosx")], &[T("AeroSpace", APP, &[("MARKETING_VERSION", "0.0.0-SNAPSHOT"), ("CURRENT_PROJECT_VERSION", "1"), ("GENERATE_INFOPLIST_FILE", "YES")])]);
        let spec = "targets:\n  AeroSpace:\n    settings:\n      base:\n        MARKETING_VERSION: ${XCODEGEN_AEROSPACE_VERSION}\n";
        std::fs::write(root.join("project.yml"), spec).unwrap();
        let help = || {
            let ws = Workspace::open(dir.path()).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().find(|f| f.id == "appstore.version.invalid").and_then(|f| f.help).unwrap_or_default()
        };
        assert_eq!(
            help(),
            "The project is generated from xcode/project.yml, which takes MARKETING_VERSION from the environment (line 5: `MARKETING_VERSION: ${XCODEGEN_AEROSPACE_VERSION}`): generate it with the release's version before the archive (`xcodegen generate`), or write one there."
        );
        std::fs::write(root.join("project.yml"), spec.replace("${XCODEGEN_AEROSPACE_VERSION}", "\"0.0.0-SNAPSHOT\"")).unwrap();
        assert!(help().starts_with("Write it with digits and periods only in xcode/project.yml (line 5)"), "{}", help());
        std::fs::remove_file(root.join("project.yml")).unwrap();
        assert_eq!(help(), "Write it with digits and periods only.");
    }

    /// Ionic's Capacitor template writes `1.0` in the Info.plist and sets no MARKETING_VERSION:
    /// the version is the Info.plist's, and is said.
    #[test]
    fn a_literal_version_without_marketing_version_is_the_version() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("App")).unwrap();
        let plist = |v: &str| {
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>{v}</string>\n\t<key>CFBundleVersion</key>\n\t<string>$(CURRENT_PROJECT_VERSION)</string>\n</dict>\n</plist>\n")
        };
        std::fs::write(root.join("App/Info.plist"), plist("1.0")).unwrap();
        project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[("INFOPLIST_FILE", "App/Info.plist"), ("CURRENT_PROJECT_VERSION", "2")])]);
        let version = || {
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().filter(|f| f.id.starts_with("appstore.version")).map(|f| (f.id, f.message, f.line)).collect::<Vec<_>>()
        };
        assert_eq!(version(), [("appstore.version.consistent".to_string(), "Version 1.0 (written in the Info.plist)".to_string(), Some(4))]);
        // A setting of the team's own, in the old `$NAME` form Xcode still reads (Simplenote).
        std::fs::write(root.join("App/Info.plist"), plist("$VERSION_SHORT")).unwrap();
        std::fs::write(root.join("App/Version.xcconfig"), "VERSION_SHORT=2.20\n").unwrap();
        crate::discover::fixture::base_xcconfig(&root.join("App.xcodeproj"), 3, "App/Version.xcconfig");
        assert_eq!(version(), [("appstore.version.consistent".to_string(), "Version 2.20 (the Info.plist's `$VERSION_SHORT`)".to_string(), Some(4))]);
        // A reference nothing sets is the unset-version warning's, not a version.
        std::fs::write(root.join("App/Info.plist"), plist("$(APP_VERSION)")).unwrap();
        assert!(!version().iter().any(|(id, _, _)| id == "appstore.version.consistent"), "{:?}", version());
    }

    /// Wolf3D's Info.plist writes CFBundleShortVersionString as an empty string: no version, with
    /// or without a MARKETING_VERSION it does not read.
    #[test]
    fn an_empty_version_in_the_info_plist_is_missing() {
        use crate::discover::fixture::{project, APP, T};
        for settings in [vec![("INFOPLIST_FILE", "App/Info.plist")], vec![("INFOPLIST_FILE", "App/Info.plist"), ("MARKETING_VERSION", "1.0")]] {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            std::fs::create_dir_all(root.join("App")).unwrap();
            std::fs::write(root.join("App/Info.plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string></string>\n\t<key>CFBundleVersion</key>\n\t<string>2.1</string>\n</dict>\n</plist>\n").unwrap();
            project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &settings)]);
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            let v: Vec<(String, String)> = out.into_iter().filter(|f| f.id.starts_with("appstore.version")).map(|f| (f.id, f.message)).collect();
            assert_eq!(v.len(), 1, "{v:#?}");
            assert_eq!(v[0].0, "appstore.version.missing", "{v:#?}");
            assert!(v[0].1.contains("CFBundleShortVersionString is empty"), "{v:#?}");
        }
    }

    /// KeyCastr: CFBundleShortVersionString and CFBundleVersion are both `$(MARKETING_VERSION)`,
    /// `0.10.5-pre`: one finding, not the same value twice.
    #[test]
    fn one_bad_value_used_for_version_and_build_is_one_finding() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("App")).unwrap();
        std::fs::write(root.join("App/Info.plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>$(MARKETING_VERSION)</string>\n\t<key>CFBundleVersion</key>\n\t<string>$(MARKETING_VERSION)</string>\n</dict>\n</plist>\n").unwrap();
        project(root, "App", &[("SDKROOT", "macosx")], &[T("App", APP, &[("INFOPLIST_FILE", "App/Info.plist"), ("MARKETING_VERSION", "0.10.5-pre")])]);
        let ws = Workspace::open(root).unwrap();
        let mut out = Vec::new();
        check(&ws, &super::super::Context::default(), &mut out);
        let f: Vec<_> = out.iter().filter(|f| f.id == "appstore.version.invalid").collect();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.starts_with("MARKETING_VERSION is the version and the build number, `0.10.5-pre`: App Store Connect takes a version"), "{}", f[0].message);
    }

    /// Vienna: its Info.plist writes `VCS_TAG :VCS_SHORT_HASH:` and `VCS_NUM`, macros Xcode's
    /// Info.plist preprocessor fills from a header its build writes.
    #[test]
    fn a_version_the_info_plist_preprocessor_fills_is_not_judged_here() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("App")).unwrap();
        std::fs::write(root.join("App/Info.plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>VCS_TAG :VCS_SHORT_HASH:</string>\n\t<key>CFBundleVersion</key>\n\t<string>VCS_NUM</string>\n</dict>\n</plist>\n").unwrap();
        let found = |pre: bool| {
            let d = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(d.path().join("App")).unwrap();
            std::fs::copy(root.join("App/Info.plist"), d.path().join("App/Info.plist")).unwrap();
            let mut settings = vec![("INFOPLIST_FILE", "App/Info.plist")];
            if pre {
                settings.extend([("INFOPLIST_PREPROCESS", "YES"), ("INFOPLIST_PREFIX_HEADER", "$(PROJECT_DERIVED_FILE_DIR)/autorevision.plist.h")]);
            }
            project(d.path(), "App", &[("SDKROOT", "macosx")], &[T("App", APP, &settings)]);
            let ws = Workspace::open(d.path()).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().filter(|f| f.id.starts_with("appstore.version")).map(|f| (f.id, f.message)).collect::<Vec<_>>()
        };
        let pre = found(true);
        assert_eq!(pre.len(), 1, "{pre:#?}");
        assert_eq!(pre[0].0, "appstore.version.preprocessed");
        assert!(pre[0].1.starts_with("CFBundleShortVersionString in the Info.plist is `VCS_TAG :VCS_SHORT_HASH:` and CFBundleVersion in the Info.plist is `VCS_NUM`: Xcode's Info.plist preprocessor fills them from the header `$(PROJECT_DERIVED_FILE_DIR)/autorevision.plist.h` when it builds"), "{}", pre[0].1);
        // Without the preprocessor they are what ships: refused.
        let plain = found(false);
        assert_eq!(plain.iter().filter(|(id, _)| id == "appstore.version.invalid").count(), 2, "{plain:#?}");
        // A macro need not be upper case (Onion Browser's `OBBundleShortVersionString`, which its
        // Run Script defines in a git-ignored header); a version is no macro.
        let settings = crate::settings::Settings::from_pairs("OnionBrowser.xcodeproj/project.pbxproj", &[("INFOPLIST_PREPROCESS", "YES"), ("INFOPLIST_PREFIX_HEADER", "OnionBrowser/version.h")]);
        assert_eq!(crate::settings::preprocessed_from(&settings, "OBBundleShortVersionString").as_deref(), Some("the header `OnionBrowser/version.h`"));
        assert_eq!(crate::settings::preprocessed_from(&settings, "3.1.1"), None);
    }

    /// Secretive: Config.xcconfig writes `CI_VERSION = GITHUB_CI_VERSION` and `CI_BUILD_NUMBER =
    /// GITHUB_BUILD_NUMBER`, words its release workflow's `sed` replaces with the tag and the run's
    /// number; the Info.plist reads `$(CI_VERSION)`, and MARKETING_VERSION (1) is not used.
    #[test]
    fn a_word_ci_replaces_is_one_placeholder_finding_not_three() {
        use crate::discover::fixture::{base_xcconfig, project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("Config")).unwrap();
        std::fs::create_dir_all(root.join("App")).unwrap();
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        std::fs::write(root.join("Config/Config.xcconfig"), "CI_VERSION = GITHUB_CI_VERSION\nCI_BUILD_NUMBER = GITHUB_BUILD_NUMBER\n").unwrap();
        std::fs::write(root.join("App/Info.plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>$(CI_VERSION)</string>\n\t<key>CFBundleVersion</key>\n\t<string>$(CI_BUILD_NUMBER)</string>\n</dict>\n</plist>\n").unwrap();
        let xp = project(root, "App", &[("SDKROOT", "macosx")], &[T("App", APP, &[("INFOPLIST_FILE", "App/Info.plist"), ("MARKETING_VERSION", "1")])]);
        base_xcconfig(&xp, 3, "Config/Config.xcconfig");
        let workflow = "jobs:\n  b:\n    steps:\n      - run: |\n          sed -i '' -e \"s/GITHUB_CI_VERSION/$CLEAN_TAG/g\" Config/Config.xcconfig\n          sed -i '' -e \"s/GITHUB_BUILD_NUMBER/1.$RUN_ID/g\" Config/Config.xcconfig\n";
        std::fs::write(root.join(".github/workflows/release.yml"), workflow).unwrap();
        let found = || {
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().filter(|f| f.id.starts_with("appstore.version")).map(|f| (f.id, f.severity, f.message)).collect::<Vec<_>>()
        };
        let found_help = || {
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().find(|f| f.id == "appstore.version.scripted").and_then(|f| f.help).unwrap_or_default()
        };
        let f = found();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].0, "appstore.version.scripted");
        assert_eq!(f[0].1, crate::finding::Severity::Blocker, "a word is refused at the upload");
        assert_eq!(
            f[0].2,
            "The version and build number come from CI_VERSION = GITHUB_CI_VERSION (Config/Config.xcconfig:1) and CI_BUILD_NUMBER = GITHUB_BUILD_NUMBER (Config/Config.xcconfig:2), which .github/workflows/release.yml rewrites before it builds (lines 5 and 6): a release from this checkout ships them as written, which App Store Connect refuses (a version or build number is one to three integers separated by periods)."
        );
        assert_eq!(
            found_help(),
            "Write the release's numbers for CI_VERSION and CI_BUILD_NUMBER in Config/Config.xcconfig before a release from this checkout (what the workflow's step does), or release from that workflow."
        );
        // Two workflows that both rewrite them: still one finding, naming both, the release's first.
        std::fs::write(root.join(".github/workflows/nightly.yml"), workflow.replace("$CLEAN_TAG", "0.0.0")).unwrap();
        let f = found();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].2.contains(", which .github/workflows/release.yml (lines 5 and 6) and .github/workflows/nightly.yml (lines 5 and 6) rewrite before they build: "), "{}", f[0].2);
        std::fs::remove_file(root.join(".github/workflows/nightly.yml")).unwrap();
        // Without the workflow, the words are what ships: each refused, and MARKETING_VERSION,
        // which the Info.plist does not read, is no mismatch.
        std::fs::remove_file(root.join(".github/workflows/release.yml")).unwrap();
        let ids: Vec<String> = found().into_iter().map(|f| f.0).collect();
        assert_eq!(ids, ["appstore.version.invalid", "appstore.version.invalid"]);
        // Once written: the version is CI_VERSION's, said as consistent.
        std::fs::write(root.join("Config/Config.xcconfig"), "CI_VERSION = 2.3.0\nCI_BUILD_NUMBER = 7\n").unwrap();
        let f = found();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].2, "Version 2.3.0 (from CI_VERSION; MARKETING_VERSION is not used)");
    }

    #[test]
    fn a_version_placeholder_ci_rewrites_is_said() {
        use crate::discover::fixture::{base_xcconfig, project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("Loop")).unwrap();
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        std::fs::write(root.join("Loop/Config.xcconfig"), "// Config\nVERSION = 0.0.0\nBUILD_NUMBER = 0\n").unwrap();
        let xp = project(
            root,
            "Loop",
            &[("SDKROOT", "macosx")],
            &[T("Loop", APP, &[("MARKETING_VERSION", "$(VERSION)"), ("CURRENT_PROJECT_VERSION", "$(BUILD_NUMBER)"), ("GENERATE_INFOPLIST_FILE", "YES")])],
        );
        base_xcconfig(&xp, 3, "Loop/Config.xcconfig");
        let workflow = "jobs:\n  b:\n    steps:\n      - run: |\n          # Set VERSION\n          sed -i -e \"/VERSION =/ s/= .*/= $V/\" Loop/Config.xcconfig\n          sed -i -e \"/BUILD_NUMBER =/ s/= .*/= $N/\" Loop/Config.xcconfig\n      - run: xcodebuild archive -scheme Loop\n";
        std::fs::write(root.join(".github/workflows/dev-build.yml"), workflow).unwrap();
        let found = || {
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().filter(|f| f.id == "appstore.version.scripted").collect::<Vec<_>>()
        };
        let f = found();
        assert_eq!(f.len(), 1, "one finding for the script: {f:#?}");
        assert_eq!(
            f[0].message,
            "The version and build number come from VERSION = 0.0.0 (Loop/Config.xcconfig:2) and BUILD_NUMBER = 0 (Loop/Config.xcconfig:3), which .github/workflows/dev-build.yml rewrites before it builds (lines 6 and 7): a release from this checkout ships them as written."
        );
        assert_eq!(f[0].line, Some(6));
        // A real number a release script raises is not a placeholder: nothing to say.
        std::fs::write(root.join("Loop/Config.xcconfig"), "// Config\nVERSION = 1.4.2\nBUILD_NUMBER = 142\n").unwrap();
        assert!(found().is_empty());
        std::fs::write(root.join("Loop/Config.xcconfig"), "// Config\nVERSION = 0.0.0\nBUILD_NUMBER = 0\n").unwrap();
        assert_eq!(found().len(), 1);
        // A workflow that only reads the file says nothing.
        std::fs::write(root.join(".github/workflows/dev-build.yml"), "jobs:\n  b:\n    steps:\n      - run: cat Loop/Config.xcconfig | grep BUILD_NUMBER\n").unwrap();
        assert!(found().is_empty());
        // But a version of zeros nothing here replaces is what ships: said once, at its line
        // (Open Food Facts' pubspec.yaml `0.0.0+734`, set by a workflow input elsewhere).
        let ws = Workspace::open(root).unwrap();
        let mut out = Vec::new();
        check(&ws, &super::super::Context::default(), &mut out);
        let zero: Vec<&Finding> = out.iter().filter(|f| f.id == "appstore.version.zero").collect();
        assert_eq!(zero.len(), 1, "{out:#?}");
        assert_eq!(zero[0].severity, crate::Severity::Warning);
        assert_eq!(zero[0].message, "The version is 0.0.0 (VERSION, Loop/Config.xcconfig:2), a placeholder no script of the repository was seen to replace: a release from this checkout ships 0.0.0.");
        assert_eq!(zero[0].line, Some(2));
    }

    /// Loop: the target's DerivedAssets.xcassets is empty in git; its "Build Derived Assets"
    /// Run Script runs a script file that copies DerivedAssetsBase.xcassets (with the icon) into
    /// it. The icon is found where the checkout keeps it; without it, a warning, not a blocker.
    #[test]
    fn an_icon_a_run_script_copies_into_the_catalog_is_found_where_it_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let pbx = "// !$*UTF8*$!\n{\n\tobjects = {\n\t\tF1 = {isa = PBXFileReference; path = DerivedAssets.xcassets; sourceTree = \"<group>\"; };\n\t\tF2 = {isa = PBXFileReference; path = Shop.app; sourceTree = BUILT_PRODUCTS_DIR; };\n\t\tB1 = {isa = PBXBuildFile; fileRef = F1; };\n\t\tR1 = {isa = PBXResourcesBuildPhase; files = (B1, ); };\n\t\tS1 = {isa = PBXShellScriptBuildPhase; name = \"Build Derived Assets\"; shellPath = /bin/sh; shellScript = \"\\\"${SRCROOT}/Scripts/derive.sh\\\" \\\"${SRCROOT}/Shop\\\"\\n\"; };\n\t\tG1 = {isa = PBXGroup; children = (F1, ); path = Shop; sourceTree = \"<group>\"; };\n\t\tG0 = {isa = PBXGroup; children = (G1, ); sourceTree = \"<group>\"; };\n\t\tC1 = {isa = XCBuildConfiguration; buildSettings = {SDKROOT = iphoneos; }; name = Release; };\n\t\tC2 = {isa = XCBuildConfiguration; buildSettings = {INFOPLIST_FILE = Shop/Info.plist; PRODUCT_BUNDLE_IDENTIFIER = com.example.shop; }; name = Release; };\n\t\tL1 = {isa = XCConfigurationList; buildConfigurations = (C1, ); defaultConfigurationName = Release; };\n\t\tL2 = {isa = XCConfigurationList; buildConfigurations = (C2, ); defaultConfigurationName = Release; };\n\t\tT1 = {isa = PBXNativeTarget; buildConfigurationList = L2; buildPhases = (S1, R1, ); name = Shop; productName = Shop; productReference = F2; productType = \"com.apple.product-type.application\"; };\n\t\tP1 = {isa = PBXProject; buildConfigurationList = L1; mainGroup = G0; targets = (T1, ); };\n\t};\n\trootObject = P1;\n}\n";
        std::fs::create_dir_all(root.join("Shop.xcodeproj")).unwrap();
        std::fs::write(root.join("Shop.xcodeproj/project.pbxproj"), pbx).unwrap();
        std::fs::create_dir_all(root.join("Shop/DerivedAssets.xcassets")).unwrap();
        std::fs::create_dir_all(root.join("Shop/DerivedAssetsBase.xcassets/AppIcon.appiconset")).unwrap();
        std::fs::write(root.join("Shop/Info.plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict/>\n</plist>\n").unwrap();
        std::fs::create_dir_all(root.join("Scripts")).unwrap();
        std::fs::write(root.join("Scripts/derive.sh"), "#!/bin/sh\nrm -rf \"$1/DerivedAssets.xcassets\"\ncp -a \"$1/DerivedAssetsBase.xcassets\" \"$1/DerivedAssets.xcassets\"\n").unwrap();
        let icon = || {
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().find(|f| f.id.starts_with("appstore.app-icon")).unwrap()
        };
        let found = icon();
        assert_eq!(found.id, "appstore.app-icon.present", "{found:#?}");
        assert_eq!(
            found.message,
            "App icon set AppIcon in Shop/DerivedAssetsBase.xcassets, which the Run Script phase “Build Derived Assets” (Scripts/derive.sh) copies into Shop/DerivedAssets.xcassets when the app builds"
        );
        std::fs::remove_dir_all(root.join("Shop/DerivedAssetsBase.xcassets/AppIcon.appiconset")).unwrap();
        let built = icon();
        assert_eq!((built.id.as_str(), built.severity), ("appstore.app-icon.built", crate::finding::Severity::Warning), "{built:#?}");
        // A script that does not touch the catalog: the icon is missing.
        std::fs::write(root.join("Scripts/derive.sh"), "#!/bin/sh\necho hello\n").unwrap();
        assert_eq!(icon().id, "appstore.app-icon.missing");
    }

    /// BookPlayer's Release.xcconfig holds `com.replace.me` until its CI fills it in.
    #[test]
    fn a_placeholder_bundle_id_is_a_blocker_at_its_line() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        project(root, "Player", &[("SDKROOT", "iphoneos")], &[T("Player", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.replace.me")])]);
        let findings = || {
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().filter(|f| f.id == "appstore.bundle-id.placeholder").collect::<Vec<_>>()
        };
        let f = findings();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, crate::finding::Severity::Blocker);
        assert!(f[0].message.starts_with("PRODUCT_BUNDLE_IDENTIFIER is `com.replace.me`, a placeholder"), "{}", f[0].message);
        assert!(f[0].file.as_ref().is_some_and(|p| p.ends_with("project.pbxproj")) && f[0].line.is_some(), "{:?}", f[0]);
        let pbx = root.join("Player.xcodeproj/project.pbxproj");
        std::fs::write(&pbx, std::fs::read_to_string(&pbx).unwrap().replace("com.replace.me", "fm.bookplayer.app")).unwrap();
        assert!(findings().is_empty());
    }

    /// Cryptomator: the icon is in a compiled catalog kept in git (SharedResources/Assets.car),
    /// and the build number is written into the built Info.plist by a Run Script phase from
    /// `git rev-list --count`, over `CURRENT_PROJECT_VERSION = AUTOMATIC`.
    #[test]
    fn a_compiled_catalogs_icon_and_a_build_number_a_build_phase_writes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let script = "n=`git rev-list --count HEAD`\\n/usr/libexec/PlistBuddy -c \\\"Set :CFBundleVersion $n\\\" \\\"${TARGET_BUILD_DIR}/${INFOPLIST_PATH}\\\"\\n";
        let pbx = |script: &str| {
            format!("// !$*UTF8*$!\n{{\n\tobjects = {{\n\t\tF1 = {{isa = PBXFileReference; path = Assets.car; sourceTree = \"<group>\"; }};\n\t\tF2 = {{isa = PBXFileReference; path = Vault.app; sourceTree = BUILT_PRODUCTS_DIR; }};\n\t\tB1 = {{isa = PBXBuildFile; fileRef = F1; }};\n\t\tR1 = {{isa = PBXResourcesBuildPhase; files = (B1, ); }};\n\t\tS1 = {{isa = PBXShellScriptBuildPhase; name = \"Set Build Number\"; shellPath = /bin/sh; shellScript = \"{script}\"; }};\n\t\tG1 = {{isa = PBXGroup; children = (F1, ); path = Shared; sourceTree = \"<group>\"; }};\n\t\tG0 = {{isa = PBXGroup; children = (G1, ); sourceTree = \"<group>\"; }};\n\t\tC1 = {{isa = XCBuildConfiguration; buildSettings = {{SDKROOT = iphoneos; }}; name = Release; }};\n\t\tC2 = {{isa = XCBuildConfiguration; buildSettings = {{CURRENT_PROJECT_VERSION = AUTOMATIC; MARKETING_VERSION = 3.1.2; INFOPLIST_FILE = Vault/Info.plist; PRODUCT_BUNDLE_IDENTIFIER = com.example.vault; }}; name = Release; }};\n\t\tL1 = {{isa = XCConfigurationList; buildConfigurations = (C1, ); defaultConfigurationName = Release; }};\n\t\tL2 = {{isa = XCConfigurationList; buildConfigurations = (C2, ); defaultConfigurationName = Release; }};\n\t\tT1 = {{isa = PBXNativeTarget; buildConfigurationList = L2; buildPhases = (R1, S1, ); name = Vault; productName = Vault; productReference = F2; productType = \"com.apple.product-type.application\"; }};\n\t\tP1 = {{isa = PBXProject; buildConfigurationList = L1; mainGroup = G0; targets = (T1, ); }};\n\t}};\n\trootObject = P1;\n}}\n")
        };
        std::fs::create_dir_all(root.join("Vault.xcodeproj")).unwrap();
        std::fs::write(root.join("Vault.xcodeproj/project.pbxproj"), pbx(script)).unwrap();
        std::fs::create_dir_all(root.join("Vault")).unwrap();
        std::fs::create_dir_all(root.join("Shared")).unwrap();
        // A BOM store naming its facets in plain text.
        std::fs::write(root.join("Shared/Assets.car"), b"BOMStore\0\0\0\x01FACETKEYS\0AppIcon\0\x02AppIcon_Assets\0").unwrap();
        std::fs::write(
            root.join("Vault/Info.plist"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>$(MARKETING_VERSION)</string>\n\t<key>CFBundleVersion</key>\n\t<string>$(CURRENT_PROJECT_VERSION)</string>\n</dict>\n</plist>\n",
        )
        .unwrap();
        let findings = || {
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out
        };
        let out = findings();
        let icon = out.iter().find(|f| f.id.starts_with("appstore.app-icon")).unwrap();
        assert_eq!((icon.id.as_str(), icon.message.as_str()), ("appstore.app-icon.present", "App icon AppIcon in the compiled asset catalog Shared/Assets.car"));
        let phase: Vec<&Finding> = out.iter().filter(|f| f.id == "appstore.version.build-phase").collect();
        assert_eq!(phase.len(), 1, "{out:#?}");
        assert_eq!(
            phase[0].message,
            "The build number is written into the app's Info.plist when it builds, by the Run Script phase “Set Build Number”: CURRENT_PROJECT_VERSION (`AUTOMATIC`) is not what ships, so what ships is known only after the archive."
        );
        assert!(!out.iter().any(|f| f.id == "appstore.version.invalid"), "AUTOMATIC is not what ships: {out:#?}");
        // The release neither names nor raises it; its confirmation says who sets it.
        let ws = Workspace::open(root).unwrap();
        let creds = crate::appstore::Credentials::default();
        let opts = |bump_build| crate::release::Options { platforms: vec![crate::workspace::Platform::Ios], dry_run: false, archive: false, build_dir: root.join("build"), bump_build, altool: None };
        let plan = crate::release::build(&ws, &opts(false), &creds);
        assert_eq!((plan.builds[0].build.as_deref(), plan.builds[0].build_set_by.as_deref()), (None, Some("Set Build Number")));
        let c = crate::release::confirmation("Vault", &plan, &creds);
        assert!(c.question.starts_with("Archive, export and upload Vault 3.1.2 (the build number its build sets) for iOS"), "{}", c.question);
        let plan = crate::release::build(&ws, &opts(true), &creds);
        let bump = plan.steps.iter().find(|s| s.id == "bump").unwrap();
        assert!(bump.needs[0].contains("the Run Script phase “Set Build Number” writes the build number when the app builds"), "{:?}", bump.needs);
        // A catalog without the icon's name is no icon; a script that only reads the Info.plist
        // leaves AUTOMATIC the build number, which App Store Connect refuses.
        std::fs::write(root.join("Shared/Assets.car"), b"BOMStore\0\0\0\x01FACETKEYS\0AppIcons\0").unwrap();
        std::fs::write(root.join("Vault.xcodeproj/project.pbxproj"), pbx("/usr/libexec/PlistBuddy -c \\\"Print :CFBundleVersion\\\" \\\"${TARGET_BUILD_DIR}/${INFOPLIST_PATH}\\\"\\n")).unwrap();
        let out = findings();
        assert_eq!(out.iter().find(|f| f.id.starts_with("appstore.app-icon")).unwrap().id, "appstore.app-icon.missing");
        assert!(!out.iter().any(|f| f.id == "appstore.version.build-phase"), "{out:#?}");
        assert!(out.iter().any(|f| f.id == "appstore.version.invalid" && f.message.contains("`AUTOMATIC`")), "{out:#?}");
    }

    /// Cog: the Info.plist is not in git; the "Run version generator script" phase writes it
    /// from Info.plist.template (outputPaths `$(SRCROOT)/Info.plist`) with the version from git.
    /// The template stands in for the other keys; the version is not judged. With no phase
    /// making it, a blocker that names the template.
    #[test]
    fn an_info_plist_a_run_script_writes_is_read_from_its_template_without_its_version() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let pbx = |outputs: &str| {
            format!("// !$*UTF8*$!\n{{\n\tobjects = {{\n\t\tF2 = {{isa = PBXFileReference; path = Shop.app; sourceTree = BUILT_PRODUCTS_DIR; }};\n\t\tS1 = {{isa = PBXShellScriptBuildPhase; inputPaths = (\"$(SRCROOT)/Scripts/genversion.sh\", \"$(SRCROOT)/Info.plist.template\", ); name = \"Run version generator script\"; outputPaths = ({outputs}); shellPath = /bin/sh; shellScript = \"$SCRIPT_INPUT_FILE_0 $SCRIPT_INPUT_FILE_1 $SCRIPT_OUTPUT_FILE_0\\n\"; }};\n\t\tG0 = {{isa = PBXGroup; children = (); sourceTree = \"<group>\"; }};\n\t\tC1 = {{isa = XCBuildConfiguration; buildSettings = {{SDKROOT = macosx; }}; name = Release; }};\n\t\tC2 = {{isa = XCBuildConfiguration; buildSettings = {{INFOPLIST_FILE = Info.plist; PRODUCT_BUNDLE_IDENTIFIER = com.example.shop; }}; name = Release; }};\n\t\tL1 = {{isa = XCConfigurationList; buildConfigurations = (C1, ); defaultConfigurationName = Release; }};\n\t\tL2 = {{isa = XCConfigurationList; buildConfigurations = (C2, ); defaultConfigurationName = Release; }};\n\t\tT1 = {{isa = PBXNativeTarget; buildConfigurationList = L2; buildPhases = (S1, ); name = Shop; productName = Shop; productReference = F2; productType = \"com.apple.product-type.application\"; }};\n\t\tP1 = {{isa = PBXProject; buildConfigurationList = L1; mainGroup = G0; targets = (T1, ); }};\n\t}};\n\trootObject = P1;\n}}\n")
        };
        std::fs::create_dir_all(root.join("Shop.xcodeproj")).unwrap();
        std::fs::create_dir_all(root.join("Scripts")).unwrap();
        std::fs::write(root.join("Scripts/genversion.sh"), "#!/bin/sh\ncp \"$1\" \"$2\"\n").unwrap();
        std::fs::write(root.join("Info.plist.template"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>0.08</string>\n\t<key>CFBundleVersion</key>\n\t<string>r516</string>\n\t<key>ITSAppUsesNonExemptEncryption</key>\n\t<false/>\n</dict>\n</plist>\n").unwrap();
        let findings = |outputs: &str| {
            std::fs::write(root.join("Shop.xcodeproj/project.pbxproj"), pbx(outputs)).unwrap();
            let ws = Workspace::open(root).unwrap();
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out
        };
        let out = findings("\"$(SRCROOT)/Info.plist\", ");
        let built: Vec<&Finding> = out.iter().filter(|f| f.id == "appstore.info-plist.built").collect();
        assert_eq!(built.len(), 1, "{out:#?}");
        assert!(
            built[0].message.starts_with("Info.plist is written when the app builds: the Run Script phase “Run version generator script” makes it from Info.plist.template (Scripts/genversion.sh)."),
            "{}",
            built[0].message
        );
        assert!(!out.iter().any(|f| f.id.starts_with("appstore.version")), "the template's r516 is not what ships: {out:#?}");
        assert!(out.iter().any(|f| f.id == "appstore.encryption.declared" && f.file.as_deref() == Some(root.join("Info.plist.template").as_path())), "{out:#?}");

        let out = findings("");
        let missing: Vec<&Finding> = out.iter().filter(|f| f.id == "appstore.info-plist.missing").collect();
        assert_eq!(missing.len(), 1, "{out:#?}");
        assert_eq!(missing[0].severity, crate::finding::Severity::Blocker);
        assert!(missing[0].message.contains("which is not here (its template Info.plist.template is)"), "{}", missing[0].message);
        assert_eq!(missing[0].help.as_deref(), Some("Make it from its template as the team's setup does (`cp Info.plist.template Info.plist`), before the archive."));
    }

    /// xDrip: `INFOPLIST_FILE = "xdrip/Supporting Files/Info.plist"` where the folder is `xDrip`.
    /// A Mac's default disk ignores letter case, so Xcode reads it: not a missing Info.plist.
    #[test]
    fn an_info_plist_named_in_other_letter_case_is_found() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("xDrip/Supporting Files")).unwrap();
        std::fs::write(
            root.join("xDrip/Supporting Files/Info.plist"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>ITSAppUsesNonExemptEncryption</key>\n\t<false/>\n</dict>\n</plist>\n",
        )
        .unwrap();
        project(root, "xdrip", &[("SDKROOT", "iphoneos")], &[T("xdrip", APP, &[("INFOPLIST_FILE", "xdrip/Supporting Files/Info.plist"), ("PRODUCT_BUNDLE_IDENTIFIER", "net.example.xdrip")])]);
        let ws = Workspace::open(root).unwrap();
        assert_eq!(ws.config.targets[0].info_plist.as_deref(), Some(Path::new("xDrip/Supporting Files/Info.plist")));
        let mut out = Vec::new();
        check(&ws, &super::super::Context::default(), &mut out);
        assert!(!out.iter().any(|f| f.id == "appstore.info-plist.missing"), "{out:#?}");
        assert!(out.iter().any(|f| f.id == "appstore.encryption.declared" && f.file.as_deref() == Some(root.join("xDrip/Supporting Files/Info.plist").as_path())), "{out:#?}");
    }

    /// tvOS's icon is a brand asset (Swiftfin, Moonlight: `App Icon & Top Shelf Image`).
    #[test]
    fn a_tv_apps_icon_is_its_brand_assets() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let catalog = root.join("TV/Assets.xcassets");
        std::fs::create_dir_all(catalog.join("App Icon & Top Shelf Image.brandassets/App Icon.imagestack")).unwrap();
        std::fs::write(root.join("TV/Info.plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict/>\n</plist>\n").unwrap();
        project(root, "TV", &[("SDKROOT", "appletvos")], &[T("TV", APP, &[("INFOPLIST_FILE", "TV/Info.plist"), ("ASSETCATALOG_COMPILER_APPICON_NAME", "App Icon & Top Shelf Image")])]);
        let icon = || {
            let ws = Workspace::open(root).unwrap();
            assert_eq!(ws.config.targets[0].platform, crate::workspace::Platform::Tvos);
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out.into_iter().find(|f| f.id.starts_with("appstore.app-icon")).unwrap()
        };
        assert_eq!(icon().id, "appstore.app-icon.present");
        std::fs::remove_dir_all(catalog.join("App Icon & Top Shelf Image.brandassets")).unwrap();
        let missing = icon();
        assert_eq!(missing.id, "appstore.app-icon.missing");
        assert!(missing.message.starts_with("No App Icon & Top Shelf Image.brandassets (or App Icon & Top Shelf Image.appiconset) "), "{}", missing.message);
    }

    /// Which app an upload in a team's script is for, as the script says it (ProtonVPN's
    /// `lane :ios_internal_beta`, DuckDuckGo's `platform :mac do`), or nothing when it does not.
    #[test]
    fn an_upload_is_attributed_to_the_platform_its_script_names() {
        use crate::workspace::Platform::{Ios, Macos};
        let at = |text: &str, needle: &str| {
            let lines: Vec<&str> = text.lines().collect();
            let i = lines.iter().position(|l| l.contains(needle)).unwrap();
            super::upload_platform(&lines, i)
        };
        let fastfile = "default_platform(:ios)\n\nlane :ios_internal_beta do |options|\n  build_app(scheme: \"App\")\n  upload_to_testflight(\n    skip_waiting_for_build_processing: true\n  )\nend\n\nplatform :mac do\n  lane :release_testflight do\n    upload_to_testflight(api_key: key)\n  end\nend\n\nlane :beta do\n  pilot(app_platform: \"osx\")\n  deliver(\n    force: true,\n    platform: \"ios\"\n  )\n  upload_to_app_store\nend\n\nlane :mac_ios_both do\n  testflight(\n  )\nend\n";
        let lines: Vec<&str> = fastfile.lines().collect();
        let find = |needle: &str, nth: usize| lines.iter().enumerate().filter(|(_, l)| l.contains(needle)).nth(nth).map(|(i, _)| i).unwrap();
        assert_eq!(super::upload_platform(&lines, find("upload_to_testflight", 0)), Some(Ios), "the lane's name");
        assert_eq!(super::upload_platform(&lines, find("upload_to_testflight", 1)), Some(Macos), "the platform block");
        assert_eq!(super::upload_platform(&lines, find("pilot(", 0)), Some(Macos), "the call's app_platform");
        assert_eq!(super::upload_platform(&lines, find("deliver(", 0)), Some(Ios), "an argument on a later line of the call");
        assert_eq!(super::upload_platform(&lines, find("upload_to_app_store", 0)), None, "nothing says");
        assert_eq!(super::upload_platform(&lines, find("testflight(", 2)), None, "a lane named for two platforms says neither");
        let script = "#!/bin/sh\nxcrun altool --upload-app -f App.pkg -t osx --apiKey K\nxcrun altool --upload-package App.ipa --platform ios\n";
        assert_eq!(at(script, "-t osx"), Some(Macos));
        assert_eq!(at(script, "--platform ios"), Some(Ios));
    }

    /// Mumble keeps its iOS icons as loose PNGs its Info.plist names (CFBundleIconFiles, and again
    /// under CFBundleIcons): still a blocker, which says those files are not taken and where they
    /// are named.
    #[test]
    fn loose_icon_files_are_said_beside_the_missing_icon_set() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("App")).unwrap();
        let plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleIconFiles</key>\n\t<array>\n\t\t<string>icon.png</string>\n\t\t<string>icon@2x.png</string>\n\t</array>\n\t<key>CFBundleIcons</key>\n\t<dict>\n\t\t<key>CFBundlePrimaryIcon</key>\n\t\t<dict>\n\t\t\t<key>CFBundleIconFiles</key>\n\t\t\t<array>\n\t\t\t\t<string>icon</string>\n\t\t\t\t<string>icon.png</string>\n\t\t\t\t<string>iconpad.png</string>\n\t\t\t\t<string>iconpad@2x.png</string>\n\t\t\t</array>\n\t\t</dict>\n\t</dict>\n</dict>\n</plist>\n";
        std::fs::write(root.join("App/Info.plist"), plist).unwrap();
        project(root, "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[("INFOPLIST_FILE", "App/Info.plist")])]);
        let ws = Workspace::open(root).unwrap();
        let mut out = Vec::new();
        check(&ws, &super::super::Context::default(), &mut out);
        let missing = out.into_iter().find(|f| f.id.starts_with("appstore.app-icon")).unwrap();
        assert_eq!(missing.id, "appstore.app-icon.missing");
        assert!(
            missing.message.ends_with(
                "The Info.plist names icon files (icon.png, icon@2x.png, icon and 2 more): icons kept that way are not taken any more; they come from an asset catalog's icon set (ITMS-90713)."
            ),
            "each name once: {}",
            missing.message
        );
        assert_eq!((missing.file.as_ref().and_then(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()), missing.line), (Some("Info.plist".into()), Some(4)));
        // Without them, the message is as before.
        std::fs::write(root.join("App/Info.plist"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict/>\n</plist>\n").unwrap();
        let mut out = Vec::new();
        check(&Workspace::open(root).unwrap(), &super::super::Context::default(), &mut out);
        let missing = out.into_iter().find(|f| f.id == "appstore.app-icon.missing").unwrap();
        assert!(missing.message.ends_with("App Store Connect rejects an app without an icon."), "{}", missing.message);
    }

    /// A Mac app laid out as alt-tab-macos is: SDKROOT set nowhere, an .icns named by the
    /// Info.plist, both version keys `$(CURRENT_PROJECT_VERSION)`, set only in a file an
    /// `#include?` of the release xcconfig names.
    #[test]
    fn a_mac_app_with_an_icns_and_a_version_its_ci_writes() {
        use crate::discover::fixture::{base_xcconfig, project, scheme, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let xp = project(root, "Tab", &[], &[T("Tab", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "com.example.tab")])]);
        base_xcconfig(&xp, 3, "config/release.xcconfig");
        scheme(&xp, "Tab", "Release", "Tab.xcodeproj", &["Tab"]);
        std::fs::create_dir_all(root.join("config")).unwrap();
        std::fs::create_dir_all(root.join("resources/icons")).unwrap();
        std::fs::write(root.join("config/release.xcconfig"), "MACOSX_DEPLOYMENT_TARGET = 10.13\nINFOPLIST_FILE = Info.plist\n\n#include? \"local.xcconfig\"\n").unwrap();
        std::fs::write(root.join("resources/icons/app.icns"), b"icns").unwrap();
        let plist = |version: &str| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleIconFile</key>\n\t<string>app.icns</string>\n\t<key>CFBundleShortVersionString</key>\n\t<string>{version}</string>\n\t<key>CFBundleVersion</key>\n\t<string>$(CURRENT_PROJECT_VERSION)</string>\n</dict>\n</plist>\n"
            )
        };
        std::fs::write(root.join("Info.plist"), plist("$(CURRENT_PROJECT_VERSION)")).unwrap();
        let findings = || {
            let ws = Workspace::open(root).unwrap();
            assert_eq!(ws.config.targets.iter().map(|t| t.platform).collect::<Vec<_>>(), [crate::workspace::Platform::Macos]);
            let mut out = Vec::new();
            check(&ws, &super::super::Context::default(), &mut out);
            out
        };
        let out = findings();
        let icon = out.iter().find(|f| f.id.starts_with("appstore.app-icon")).unwrap();
        assert_eq!((icon.id.as_str(), icon.message.as_str()), ("appstore.app-icon.present", "App icon app.icns (the Info.plist's CFBundleIconFile)"));
        // One cause, one finding: both keys name the same unset setting.
        let unset: Vec<&Finding> = out.iter().filter(|f| f.id == "appstore.version.unset").collect();
        assert_eq!(unset.len(), 1, "{out:#?}");
        assert!(
            unset[0].message.starts_with(
                "The Info.plist's CFBundleShortVersionString and CFBundleVersion are both `$(CURRENT_PROJECT_VERSION)`, and no build setting of the Release configuration sets CURRENT_PROJECT_VERSION"
            ),
            "{}",
            unset[0].message
        );
        assert!(unset[0].message.contains("It may be set in config/local.xcconfig, which config/release.xcconfig:4 includes if present"), "{}", unset[0].message);
        assert_eq!(unset[0].line, Some(6), "the line of the CFBundleShortVersionString key");
        // Written differently: each key is its own finding.
        std::fs::write(root.join("Info.plist"), plist("$(MARKETING_VERSION)")).unwrap();
        assert_eq!(findings().iter().filter(|f| f.id == "appstore.version.unset").count(), 2);
        // The file the CI writes, here: nothing to say.
        std::fs::write(root.join("config/local.xcconfig"), "CURRENT_PROJECT_VERSION = 9.1.0\nMARKETING_VERSION = 9.1.0\n").unwrap();
        assert!(!findings().iter().any(|f| f.id == "appstore.version.unset"));
        // An icns the Info.plist does not name is not the icon.
        std::fs::remove_file(root.join("resources/icons/app.icns")).unwrap();
        assert!(findings().iter().any(|f| f.id == "appstore.app-icon.missing"));
    }

    #[test]
    fn build_numbers_by_platform() {
        use crate::workspace::Platform;
        for p in [Platform::Ios, Platform::Tvos, Platform::Visionos] {
            assert!(is_build_number("4.54.0.1", p) && is_build_number("250", p), "{p:?}");
        }
        for p in [Platform::Macos, Platform::Catalyst] {
            assert!(!is_build_number("4.54.0.1", p) && is_build_number("4.54.1", p), "{p:?}");
        }
        assert!(!is_build_number("25O", Platform::Ios) && !is_build_number("2..5", Platform::Ios) && !is_build_number("", Platform::Ios));
        assert!(!is_version_number("1.0.0.1") && is_version_number("1.0"));
    }

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
