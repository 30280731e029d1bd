//! What the team's own scripts say about the release: the schemes their Fastfiles, workflows,
//! Makefiles and shell scripts name, what their names for them say (an App Store scheme, an
//! internal one), and whether a script ships at all or only builds and tests.

use std::path::{Path, PathBuf};

/// The folders fastlane reads a Fastfile from in `dir`: `fastlane/`, and the hidden `.fastlane/`
/// it also looks for (FastlaneCore's FastlaneFolder; Overamped keeps its lanes there).
pub const FASTLANE_FOLDERS: [&str; 2] = ["fastlane", ".fastlane"];

/// `dir`'s Fastfiles and the lane files beside them (`<folder>/lanes/*.rb`), those that exist.
pub fn fastlane_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for folder in FASTLANE_FOLDERS.iter().map(|f| dir.join(f)) {
        out.push(folder.join("Fastfile"));
        out.extend(crate::fsutil::files_with_extension(&folder.join("lanes"), &["rb"]));
    }
    out.retain(|f| f.is_file());
    out
}

/// Scheme names the team's scripts name: `scheme: "X"` (fastlane), `-scheme X` or
/// `-scheme "X Y"` (shell, quotes honoured), `SCHEME: X` (workflow env), `scheme = "X"` and
/// any name holding "scheme" set the same ways (`XCODE_SCHEME:`, `SCHEME_ENTERPRISE = '…'`). A
/// Ruby constant given as the value is read where the file sets it (Pocket Casts' Fastfile:
/// `SCHEME = 'pocketcasts'` at the top, `scheme: SCHEME` in its lanes).
pub fn scripted_schemes(text: &str) -> Vec<String> {
    let constants = constants(text);
    let mut out: Vec<String> = text.lines().flat_map(|line| schemes_in_line(line, &constants)).collect();
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert(s.clone()));
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `NAME = 'value'` / `NAME = "value"` with a capitalised name: a file's constants; and a
/// workflow's environment, `NAME: value` (OpenHaystack's jobs set `APP: OpenHaystack` and run
/// `xcodebuild archive -scheme ${APP}`). A name may have several values (one per job).
fn constants(text: &str) -> Vec<(String, String)> {
    let capitalised = |name: &str| name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().all(is_ident);
    text.lines()
        .filter_map(|l| {
            let t = l.trim();
            if let Some((name, value)) = t.split_once('=').filter(|(n, _)| !n.contains(':')) {
                let (name, value) = (name.trim(), value.trim());
                let quoted = value.len() >= 2 && (value.starts_with('"') && value.ends_with('"') || value.starts_with('\'') && value.ends_with('\''));
                return (capitalised(name) && quoted).then(|| (name.to_string(), value[1..value.len() - 1].to_string()));
            }
            let (name, value) = t.split_once(": ")?;
            let value = value.split(" #").next().unwrap_or("").trim().trim_matches(|c| c == '"' || c == '\'');
            let plain = !value.is_empty() && !value.contains('$') && !value.starts_with(['|', '>', '[', '{', '&', '*']);
            (capitalised(name) && name.chars().any(|c| c.is_ascii_uppercase()) && name.chars().all(|c| !c.is_ascii_lowercase()) && plain).then(|| (name.to_string(), value.to_string()))
        })
        .collect()
}

/// The values a shell word that is only a variable (`$APP`, `${APP}`, `${{ env.APP }}`) has
/// among `constants`; none when the word is not one.
fn variable_values<'a>(word: &str, constants: &'a [(String, String)]) -> Vec<&'a str> {
    let w = word.trim();
    let name = w
        .strip_prefix("${{")
        .and_then(|r| r.strip_suffix("}}"))
        .map(|r| r.trim().trim_start_matches("env.").trim())
        .or_else(|| w.strip_prefix("${").and_then(|r| r.strip_suffix('}')))
        .or_else(|| w.strip_prefix('$'));
    let Some(name) = name.filter(|n| !n.is_empty() && n.chars().all(is_ident)) else { return vec![] };
    constants.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
}

/// The scheme names one line of a script gives (see [`scripted_schemes`]), `constants` read
/// for a value written as a constant's name.
fn schemes_in_line(line: &str, constants: &[(String, String)]) -> Vec<String> {
    let l = line.trim();
    let mut out = Vec::new();
    if l.starts_with('#') {
        return out;
    }
    if l.contains("-scheme") {
        let words = shlex::split(l).unwrap_or_else(|| l.split_whitespace().map(String::from).collect());
        for (i, w) in words.iter().enumerate() {
            if w == "-scheme" {
                if let Some(v) = words.get(i + 1) {
                    // `${{ env.APP }}` is three words to the shell's split.
                    let v = match words[i + 1..].iter().position(|w| w.ends_with("}}")) {
                        Some(end) if v == "${{" => words[i + 1..=i + 1 + end].join(" "),
                        _ => v.clone(),
                    };
                    let v = &v;
                    match variable_values(v, constants).as_slice() {
                        [] => out.push(v.clone()),
                        values => out.extend(values.iter().map(|v| v.to_string())),
                    }
                }
            } else if let Some(v) = w.strip_prefix("-scheme=") {
                out.push(v.to_string());
            }
        }
    }
    // Every name holding "scheme" followed by `:`, `=` or `=>` (not `==`, not the end of a
    // hyphenated word such as CSS's `prefers-color-scheme:`).
    let lower = l.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("scheme").map(|i| i + from) {
        from = at + "scheme".len();
        let start = l[..at].rfind(|c: char| !is_ident(c)).map(|i| i + 1).unwrap_or(0);
        let end = l[at..].find(|c: char| !is_ident(c)).map(|i| i + at).unwrap_or(l.len());
        if l[..start].ends_with('-') {
            continue;
        }
        let rest = l[end..].trim_start();
        let rest = match rest.strip_prefix("=>").or_else(|| rest.strip_prefix(':')).or_else(|| rest.strip_prefix('=').filter(|r| !r.starts_with('='))) {
            Some(r) => r.trim().trim_end_matches(',').trim(),
            None => continue,
        };
        let values: Vec<String> = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => vec![rest[1..].split(q).next().unwrap_or("").to_string()],
            // A workflow matrix's list (`scheme: [App, "App Dev"]`).
            Some('[') => rest[1..].split(']').next().unwrap_or("").split(',').map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string()).collect(),
            _ => {
                let word: String = rest.chars().take_while(|c| is_ident(*c)).collect();
                match constants.iter().find(|(n, _)| *n == word) {
                    Some((_, v)) => vec![v.clone()],
                    // A YAML value is a string without quotes (`SCHEME: Isometry iOS`).
                    None => vec![rest.to_string()],
                }
            }
        };
        for value in values {
            let v = value.trim();
            if !v.is_empty() && !v.contains("${") && !v.contains("$(") && !v.starts_with('$') && v.len() < 80 {
                out.push(v.to_string());
            }
        }
    }
    out.retain(|s| !s.is_empty() && !s.starts_with('$'));
    out
}

/// Words that make a name say App Store or release, for a variable holding a scheme and for a
/// Fastfile lane.
const RELEASE_WORDS: &[&str] = &["appstore", "store", "release", "production", "prod", "distribution", "official"];
/// Words that make a variable's name say internal, beta, dev, staging or enterprise.
const VARIABLE_INTERNAL: &[&str] =
    &["internal", "beta", "dev", "development", "staging", "enterprise", "debug", "test", "tests", "alpha", "nightly", "prototype", "qa", "experimental", "fork", "simulator"];
/// The same for a lane: a `beta` lane is fastlane's TestFlight upload, an App Store Connect
/// release like any, so neutral.
const LANE_INTERNAL: &[&str] = &["experimental", "fork", "simulator", "test", "tests", "debug", "dev", "development", "staging", "enterprise", "adhoc", "prototype", "qa"];

/// What a name says of a release: one of `RELEASE_WORDS` (+40), one of `internal` (-40), or
/// nothing.
fn role_of(name: &str, internal: &[&str]) -> i64 {
    let lower = name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let has = |w: &[&str]| parts.iter().any(|p| w.contains(p));
    if has(RELEASE_WORDS) || lower.contains("app_store") {
        40
    } else if has(internal) {
        -40
    } else {
        0
    }
}

/// What a script's own names say of the schemes it holds: a constant or variable holding a
/// scheme whose name says App Store or release (+), or internal, beta, dev, staging,
/// enterprise (-): Simplenote for Mac's Fastfile sets `INTERNAL_SCHEME = 'Simplenote'` and
/// `APP_STORE_SCHEME = 'Simplenote-AppStore'`; and the Fastfile lanes a scheme is built in
/// (Rocket.Chat builds `RocketChat` in `build_official`, `RocketChatRN` only in
/// `build_experimental`, `build_fork` and `build_experimental_simulator`). (scheme, weight, the
/// reason, in words)
pub fn scheme_roles(text: &str) -> Vec<(String, i64, String)> {
    let mut out: Vec<(String, i64, String)> = Vec::new();
    for line in text.lines() {
        let Some((name, value)) = line.trim().split_once('=') else { continue };
        let name = name.trim().trim_start_matches("export ").trim();
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        if name.is_empty() || !name.chars().all(is_ident) || !name.to_ascii_lowercase().contains("scheme") || value.is_empty() || value.contains('$') {
            continue;
        }
        let weight = role_of(name, VARIABLE_INTERNAL);
        if weight != 0 {
            out.push((value.to_string(), weight, format!("the scripts call it {name}")));
        }
    }
    // Lanes: each scheme a lane names, weighed by the lane's name; a scheme some lane calls a
    // release is a release whatever its other lanes are.
    let constants = constants(text);
    let mut lane: Option<String> = None;
    let mut by_lane: Vec<(String, i64, String)> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("lane :").or_else(|| t.strip_prefix("private_lane :")) {
            lane = Some(rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("").to_string());
            continue;
        }
        let Some(lane) = &lane else { continue };
        let weight = role_of(lane, LANE_INTERNAL);
        for scheme in schemes_in_line(t, &constants) {
            match by_lane.iter_mut().find(|(s, _, _)| *s == scheme) {
                Some(entry) if weight > entry.1 => *entry = (scheme, weight, format!("the Fastfile builds it in lane {lane}")),
                Some(_) => {}
                None => by_lane.push((scheme, weight, format!("the Fastfile builds it in lane {lane}"))),
            }
        }
    }
    for entry in by_lane.into_iter().filter(|(_, w, _)| *w != 0) {
        if !out.iter().any(|(s, _, _)| *s == entry.0) {
            out.push(entry);
        }
    }
    out
}

/// The schemes a release workflow archives, as roles: a workflow whose file or `name:` says
/// release (OpenHaystack's release.yml, "Create release", archives `OpenHaystack`; another
/// workflow archives its proof-of-concept apps on every push).
pub fn release_workflow_roles(file: &Path, text: &str) -> Vec<(String, i64, String)> {
    let in_workflows = file.components().any(|c| c.as_os_str() == ".github") && file.extension().is_some_and(|e| e == "yml" || e == "yaml");
    if !in_workflows || !ships(text) {
        return vec![];
    }
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let title = text.lines().find_map(|l| l.strip_prefix("name:")).map(|n| n.trim().trim_matches(|c| c == '"' || c == '\'').to_string()).unwrap_or_default();
    if role_of(&stem, VARIABLE_INTERNAL) <= 0 && role_of(&title, VARIABLE_INTERNAL) <= 0 {
        return vec![];
    }
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    scripted_schemes(text).into_iter().map(|s| (s, 40, format!("the release workflow {name} archives it"))).collect()
}

/// Whether a script archives or ships an app (`xcodebuild archive`, `-exportArchive`, fastlane's
/// gym / build_app / upload lanes, altool, notarytool), not only builds or tests one.
pub(super) fn ships(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    // Whole words: Bleat's deep-link test script speaks of "delivery", which is not `deliver`.
    let word = |w: &str| {
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        lower.match_indices(w).any(|(at, _)| {
            let before = lower[..at].chars().next_back().is_none_or(|c| !is_word(c));
            let after = w.ends_with('_') || lower[at + w.len()..].chars().next().is_none_or(|c| !is_word(c));
            before && after
        })
    };
    ["archive", "gym", "build_app", "build_ios_app", "build_mac_app", "upload_to_", "pilot", "deliver", "altool", "notarytool", "testflight"].iter().any(|w| word(w))
}

/// Whether every line of a script that names `scheme` is a test or screenshot step (fastlane's
/// `capture_screenshots` / `snapshot` / `scan` / `run_tests`, `xcodebuild test`): ChatSecure's
/// Fastfile names `ChatSecureUITests` only in `capture_screenshots(…)`, and uploads in another
/// lane, so that scheme is not the one its release archives. A call spread over lines is read
/// from the line that opens it.
pub(super) fn only_tested(text: &str, scheme: &str) -> bool {
    const TEST_STEPS: &[&str] = &["capture_screenshots", "capture_ios_screenshots", "capture_mac_screenshots", "snapshot", "scan", "run_tests", "test", "test-without-building", "build-for-testing"];
    let constants = constants(text);
    let lines: Vec<&str> = text.lines().collect();
    let is_test_line = |l: &str| l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).any(|w| TEST_STEPS.contains(&w));
    let mut naming = lines.iter().enumerate().filter(|(_, l)| schemes_in_line(l, &constants).iter().any(|s| s == scheme)).peekable();
    naming.peek().is_some()
        && naming.all(|(i, l)| {
            if is_test_line(l) {
                return true;
            }
            // The call this line is an argument of: going up, the line whose `(` is still open.
            let mut depth = 0i64;
            for above in lines[..i].iter().rev().take(12) {
                depth += above.matches(')').count() as i64 - above.matches('(').count() as i64;
                if depth < 0 {
                    return is_test_line(above);
                }
            }
            false
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastfiles_are_read_from_the_fastlane_folder_and_the_hidden_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(fastlane_files(root).is_empty());
        for f in [".fastlane/Fastfile", ".fastlane/lanes/beta.rb", "fastlane/Fastfile", "fastlane/lanes/notes.txt"] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), "lane :beta do\nend\n").unwrap();
        }
        let found: Vec<String> = fastlane_files(root).iter().map(|p| p.strip_prefix(root).unwrap().display().to_string()).collect();
        assert_eq!(found, ["fastlane/Fastfile", ".fastlane/Fastfile", ".fastlane/lanes/beta.rb"]);
    }

    /// OpenHaystack: each job's env names the app, its step archives `-scheme ${APP}`.
    #[test]
    fn a_scheme_given_by_the_workflows_env_is_read_from_it() {
        let cve = "jobs:\n  a:\n    env:\n      APP: OFReadKeys\n    steps:\n      - run: xcodebuild archive -scheme ${APP} -configuration release\n  b:\n    env:\n      APP: OFFetchReports # the other\n    steps:\n      - run: xcodebuild archive -scheme $APP\n";
        assert_eq!(scripted_schemes(cve), ["OFReadKeys", "OFFetchReports"]);
        let env = "env:\n  SCHEME_NAME: \"My App\"\njobs:\n  a:\n    steps:\n      - run: xcodebuild archive -scheme ${{ env.SCHEME_NAME }}\n";
        assert!(scripted_schemes(env).contains(&"My App".to_string()), "{:?}", scripted_schemes(env));
        // An unknown variable gives no scheme, and a lower-case YAML key is not a constant.
        assert!(scripted_schemes("jobs:\n  a:\n    app: Other\n    steps:\n      - run: xcodebuild -scheme ${OTHER}\n").is_empty());
        let release = "name: \"Create release\"\non:\n  push:\n    tags: ['v*']\njobs:\n  r:\n    env:\n      APP: OpenHaystack\n    steps:\n      - run: xcodebuild archive -scheme ${APP}\n";
        let roles = release_workflow_roles(Path::new("/r/.github/workflows/release.yml"), release);
        assert_eq!(roles, [("OpenHaystack".to_string(), 40, "the release workflow release.yml archives it".to_string())]);
        assert!(release_workflow_roles(Path::new("/r/.github/workflows/build-cve.yaml"), cve).is_empty(), "not a release workflow");
        assert!(release_workflow_roles(Path::new("/r/scripts/release.yml"), release).is_empty(), "not a workflow");
    }

    /// ChatSecure: the UI-test scheme is named only by the screenshot step; the app's scheme by
    /// nothing, while another lane uploads.
    #[test]
    fn a_scheme_named_only_by_test_or_screenshot_steps_is_only_tested() {
        let fastfile =
            "lane :screenshots do\n  capture_screenshots(workspace: \"App.xcworkspace\", scheme: \"AppUITests\")\nend\nlane :beta do\n  gym(\n    scheme: \"App\"\n  )\n  upload_to_testflight\nend\n";
        assert!(only_tested(fastfile, "AppUITests"));
        assert!(!only_tested(fastfile, "App"), "gym's argument on its own line");
        let spread = "lane :shots do\n  snapshot(\n    workspace: \"App.xcworkspace\",\n    scheme: \"Shots\"\n  )\nend\n";
        assert!(only_tested(spread, "Shots"));
        assert!(only_tested("xcodebuild test -scheme Unit -destination x", "Unit"));
        assert!(!only_tested("xcodebuild archive -scheme App\nxcodebuild test -scheme App", "App"), "archived in one line");
        assert!(!only_tested("xcodebuild archive -scheme App", "Other"), "a scheme not named is not said to be tested");
        // A call closed above is not the one a later line belongs to.
        let closed = "snapshot(\n  scheme: \"Shots\"\n)\nSCHEME = \"App\"\n";
        assert!(!only_tested(closed, "App"));
    }

    #[test]
    fn a_script_ships_when_it_says_a_release_word_not_a_word_containing_one() {
        assert!(ships("xcodebuild archive -scheme App"));
        assert!(ships("lane :beta do\n  upload_to_testflight\nend"));
        assert!(ships("  deliver(force: true)"));
        assert!(ships("xcrun notarytool submit App.zip"));
        // Bleat's scripts/test-deep-links.sh: "routes exercise delivery".
        assert!(!ships("# routes exercise delivery while the scene is running\nxcodebuild test -scheme Bleat"));
        assert!(!ships("NSKeyedUnarchiver; gymnasium; autopilots"));
    }

    #[test]
    fn scripts_name_schemes_with_their_quotes() {
        let fastfile = "lane :release do\n  build_app(scheme: \"NetNews Wire\", export_method: \"app-store\")\nend\n";
        assert_eq!(scripted_schemes(fastfile), vec!["NetNews Wire"]);
        let workflow = "      - run: xcodebuild archive -project App.xcodeproj -scheme \"My App (Store)\" -configuration Release\n      - run: xcodebuild -scheme $SCHEME test\n";
        assert_eq!(scripted_schemes(workflow), vec!["My App (Store)"]);
        assert_eq!(scripted_schemes("env:\n  SCHEME: Isometry iOS\n"), vec!["Isometry iOS"]);
        // Pocket Casts' Fastfile: constants set once, named in the lanes; a stylesheet's
        // `prefers-color-scheme:` in an HTML report is not a scheme.
        let fastfile = "SCHEME = 'pocketcasts'\nSCHEME_ENTERPRISE = 'Pocket Casts Prototype Build'\nlane :beta do\n  gym(scheme: SCHEME)\nend\nlane :ent do\n  gym(scheme: SCHEME_ENTERPRISE, export_method: 'enterprise')\nend\nhtml = '@media (prefers-color-scheme: dark) {'\n";
        assert_eq!(scripted_schemes(fastfile), vec!["pocketcasts", "Pocket Casts Prototype Build"]);
        assert_eq!(scheme_roles(fastfile), vec![("Pocket Casts Prototype Build".to_string(), -40, "the scripts call it SCHEME_ENTERPRISE".to_string())]);
        // Simplenote for Mac's Fastfile names which scheme is which.
        let roles = scheme_roles("INTERNAL_SCHEME = 'Simplenote'\nAPP_STORE_SCHEME = 'Simplenote-AppStore'\nexport RELEASE_SCHEME=\"App\"\nOTHER = 'x'\n");
        assert_eq!(roles.iter().map(|(s, w, _)| (s.as_str(), *w)).collect::<Vec<_>>(), [("Simplenote", -40), ("Simplenote-AppStore", 40), ("App", 40)]);
        // Rocket.Chat's lanes: the official app's scheme in build_official, the experimental
        // one only in experimental, fork and simulator lanes; a `beta` lane (TestFlight) says
        // nothing.
        let fastfile = "platform :ios do\n  lane :build_experimental do\n    build_ios_app(\n      scheme: \"RocketChatRN\",\n    )\n  end\n  lane :build_official do\n    build_ios_app(\n      scheme: \"RocketChat\",\n    )\n  end\n  lane :build_fork do\n    gym(scheme: \"RocketChatRN\", skip_archive: true)\n  end\n  lane :beta do\n    gym(scheme: \"Other\")\n  end\nend\n";
        assert_eq!(
            scheme_roles(fastfile),
            vec![
                ("RocketChatRN".to_string(), -40, "the Fastfile builds it in lane build_experimental".to_string()),
                ("RocketChat".to_string(), 40, "the Fastfile builds it in lane build_official".to_string())
            ]
        );
        assert_eq!(scripted_schemes("    strategy:\n      matrix:\n        scheme: [EduGo-Dev, \"EduGo Beta\"]\n"), vec!["EduGo-Dev", "EduGo Beta"]);
        assert_eq!(scripted_schemes("lane :release do\n  scheme = \"VPN-iOS\"\n  build(:scheme => 'Old Style', xcode_scheme: \"X\")\nend\nif scheme == \"Y\"\n"), vec!["VPN-iOS", "Old Style", "X"]);
    }
}
