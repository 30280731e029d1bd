//! What the workspace holds: projects, the Production xcconfig, entitlements and plists.

use crate::finding::{Finding, Fix};
use crate::workspace::{Workspace, CONFIG_FILE};
use std::path::{Path, PathBuf};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    // Nothing found to release: nothing to write down yet (the blocker below says why).
    if ws.config_path.is_none() && !ws.config.targets.is_empty() {
        out.push(
            Finding::warning("workspace.config.discovered", CONFIG_FILE, crate::text::sentences(&ws.guesses))
                .help("Check what Shipdeck guessed, then run `shipdeck init` to write it to shipdeck.toml.")
                .fix(Fix::new("workspace.init", "Write shipdeck.toml", serde_json::Value::Null)),
        );
    }

    // A .NET MAUI or Xamarin iOS app (bitwarden/mobile): `dotnet` builds it, not an Xcode
    // archive; the Xcode projects beside it are parts of it (its watch app).
    // Looked for only when discovery found one (a second walk of the repository otherwise).
    let dotnet = if ws.guesses.iter().any(|g| g.starts_with(crate::discover::DOTNET_GUESS)) { crate::discover::dotnet_ios_app(ws.tree()) } else { None };
    if let Some((csproj, framework)) = &dotnet {
        out.push(
            Finding::blocker(
                "workspace.dotnet-app",
                ws.display_path(csproj),
                format!("The iOS app is built with .NET ({framework}, `dotnet publish`), not archived by Xcode: Shipdeck releases what Xcode archives, so it does not release this app. The Xcode projects here are built into it."),
            )
            .at(csproj, None)
            .help(format!("Release it with `dotnet publish -f {framework} -c Release` and upload the .ipa with Transporter or `xcrun altool --upload-package`.")),
        );
    }
    if ws.config.targets.is_empty() && dotnet.is_none() {
        // A project XcodeGen or Tuist makes (kiwix-apple keeps only project.yml in git): what to
        // run, not which folder to open.
        let specs = crate::discover::ungenerated_projects(ws.tree());
        match specs.first().cloned() {
            Some(spec) => {
                let command = crate::discover::generate_command(&spec);
                // Cordova and NativeScript make the project in the app's platforms/ios.
                let maker = crate::discover::platform_maker(&spec);
                let in_platforms = maker.is_some();
                // Tuist generates the workspace's projects together, from its root (3dollars:
                // Workspace.swift and seventeen Project.swift files); XcodeGen one spec at a time.
                let (message, run_in) = match crate::discover::tuist_root(&spec) {
                    _ if let Some(maker) = maker => {
                        let dir = spec.parent().unwrap_or(&ws.root).to_path_buf();
                        let opened = match crate::discover::platform_app_not_made(ws.tree()).and_then(|c| c.opened) {
                            Some((workspace, project)) => format!(" {} opens {} from there; the projects here are what it is made from.", ws.display_path(&workspace), ws.display_path(&project)),
                            None => String::new(),
                        };
                        // e-mission-phone keeps config.cordovabuild.xml; its setup copies it to
                        // config.xml, which Cordova reads.
                        let variant = match spec.file_name() {
                            Some(n) if maker == "Cordova" && n != "config.xml" => {
                                format!(" Cordova reads {}, which is not here: the team's setup makes it from {}.", ws.display_path(&dir.join("config.xml")), n.to_string_lossy())
                            }
                            _ => String::new(),
                        };
                        let message = format!(
                            "No Xcode project yet: {} is a {maker} app's, and {maker} makes its Xcode project in {} (`{command}`); it is not kept in the repository.{opened}{variant}",
                            ws.display_path(&spec),
                            ws.display_path(&dir.join("platforms/ios"))
                        );
                        (message, dir)
                    }
                    Some(root) => {
                        let projects = specs.iter().filter(|s| s.file_name().is_some_and(|n| n == "Project.swift")).count();
                        let workspace = specs.iter().find(|s| s.file_name().is_some_and(|n| n == "Workspace.swift"));
                        let from = match workspace {
                            Some(w) if projects > 1 => format!("{} and its projects' Project.swift files", ws.display_path(w)),
                            _ => ws.display_path(&spec),
                        };
                        (format!("No Xcode project yet: Tuist generates it from {from} (`{command}`); it is not kept in the repository."), root)
                    }
                    None => {
                        let others: Vec<String> = specs[1..].iter().map(|s| ws.display_path(s)).collect();
                        let others = match others.len() {
                            0 => String::new(),
                            1 => format!(" Another spec is here: {}.", others[0]),
                            n if n <= 3 => format!(" {n} more specs are here: {}.", crate::text::and_list(&others.iter().map(String::as_str).collect::<Vec<_>>())),
                            n => format!(" {n} more specs are here: {}, {} and {} more.", others[0], others[1], n - 2),
                        };
                        let message = format!("No Xcode project yet: {} describes it, and it is generated (`{command}`), not kept in the repository.{others}", ws.display_path(&spec));
                        (message, spec.parent().map(Path::to_path_buf).unwrap_or_else(|| ws.root.clone()))
                    }
                };
                let folder = crate::generate::folder(ws, &run_in);
                let mut f = Finding::blocker("workspace.project.generated", ws.display_path(&spec), message).at(&spec, None);
                // XcodeGen and Tuist are run by Shipdeck when asked (`shipdeck generate`, the
                // app's button); Expo's prebuild and Cordova's prepare need the app's packages first.
                if !command.starts_with("npx ") {
                    f = f.fix(Fix::new(crate::generate::FIX, format!("Generate the project ({command})"), serde_json::json!({ "spec": ws.display_path(&spec) })));
                }
                // The app's own npm script that prepares it (Oss Weather's `prepare.ios`, which
                // its Fastfile runs), before a shell script.
                let npm_script = if in_platforms { spec.parent().and_then(|d| npm_script(d, &command)) } else { None };
                // An npm script of the repository's that runs XcodeGen on this spec (Tutanota's
                // `ios:generate-project`: `cd app-ios && xcodegen --spec mail-project.yml && …`).
                let xcodegen_script = command.starts_with("xcodegen").then(|| xcodegen_npm_script(&ws.root, &spec)).flatten();
                out.push(f.help(match setup_script(&ws.root, &command) {
                    _ if let Some(name) = &xcodegen_script => format!("Run `npm run {name}` (the repository's script that runs XcodeGen), or `{command}` in {folder}, then check again."),
                    _ if npm_script.is_some() => format!(
                        "Run `npm install`, then `npm run {}` (it runs {}), or `{command}` in {folder}, then check again.",
                        npm_script.as_deref().unwrap_or_default(),
                        command.trim_start_matches("npx ")
                    ),
                    // Expo's prebuild needs the app's packages, and runs pod install itself.
                    _ if command.starts_with("npx expo") => format!("Run `npm install`, then `{command}` in {folder} (it writes ios/ and installs its pods), then check again."),
                    // Cordova's prepare adds the platform package.json lists; teams with their own
                    // setup (Outline's `npm run action client/src/cordova/setup ios`) say so in
                    // their README.
                    Some(script) if in_platforms => format!("Run `npm install`, then `./{script}` (it runs {}), or `{command}` in {folder}, then check again.", runs(&command)),
                    _ if in_platforms => {
                        format!("Run `npm install`, then `{command}` in {folder} (it writes platforms/ios/ and installs its pods), or the repository's own setup command, then check again.")
                    }
                    // Xcode Cloud runs its ci_scripts from their own folder: named, not to run.
                    Some(script) if script.starts_with("ci_scripts/") => format!("Run `{command}` in {folder} (as Xcode Cloud's {script} does), then check again."),
                    // element-ios's setup_project.sh runs xcodegen, then pod install.
                    Some(script) => format!("Run `./{script}` (it runs {}), or `{command}` in {folder}, then check again.", command.split(' ').next().unwrap_or(&command)),
                    None => format!("Run `{command}` in {folder}, then check again."),
                }));
            }
            None => out.push(no_app_scheme(ws).unwrap_or_else(|| {
                // Named by the folder opened (its path shown from itself would be empty).
                Finding::blocker("workspace.project.none", ws.name(), format!("No Xcode project (.xcodeproj) in {} or the folders below it.", ws.root.display()))
                    .help("Open the folder that holds your .xcodeproj, or list it under [[targets]] in shipdeck.toml.")
            })),
        }
    }

    let mut plists_seen = std::collections::HashSet::new();
    for t in &ws.config.targets {
        let subject = format!("{} target {}", t.platform.display(), t.target_name());
        let project = ws.path(&t.project);
        if project.join("project.pbxproj").is_file() {
            out.push(Finding::ok("workspace.project.found", &subject, format!("Project {}", ws.display_path(&project))).at(project.join("project.pbxproj"), None));
        } else {
            out.push(missing(ws, &project, &format!("the {} project", t.platform.display()), "project"));
        }
        for (path, what) in [(&t.entitlements, "entitlements"), (&t.info_plist, "Info.plist"), (&t.export_options, "ExportOptions")] {
            let Some(rel) = path else { continue };
            let mut file = ws.root.join(rel);
            if !rel.is_absolute() && !file.exists() {
                // A Mac's default disk ignores letter case: Xcode finds `info.plist` for `Info.plist`.
                match crate::fsutil::find_ignoring_case(&ws.root, &rel.to_string_lossy()) {
                    Some(real) => {
                        out.push(
                            Finding::warning(
                                "workspace.name-case",
                                &subject,
                                format!(
                                    "The {what} is named {}, and on disk it is {}: a Mac's default (case-insensitive) disk finds it; a case-sensitive volume would not.",
                                    rel.display(),
                                    ws.display_path(&real)
                                ),
                            )
                            .at(&real, None)
                            .help("Write the name with the letter case it has on disk."),
                        );
                        file = real;
                    }
                    None => {
                        out.push(missing(ws, &file, &format!("the {what} of {subject}"), "file"));
                        continue;
                    }
                }
            }
            if plists_seen.insert(file.clone()) {
                // An Info.plist Xcode runs through the C preprocessor (INFOPLIST_PREPROCESS).
                let defined = (what == "Info.plist").then(|| crate::settings::target_settings(ws, t).ok()).flatten().and_then(|s| crate::plist_file::preprocessor_definitions(&s));
                check_plist(ws, &file, what, defined.as_deref(), out);
            }
        }
    }

    match &ws.config.production_xcconfig {
        // A project that releases with its own configuration (Release, App Store...) and no
        // Production.xcconfig does not need one.
        None if ws.configuration() != "Production" => {}
        // No project to release (said above): no xcconfig to look for either.
        None if ws.config.targets.is_empty() => {}
        // Discovered (no shipdeck.toml): discovery takes the xcconfig the release configuration
        // is based on when there is one; a Production configuration based on none (TICE's)
        // has nothing to name.
        None if ws.config_path.is_none() => {}
        None => out.push(
            Finding::warning("workspace.xcconfig.none", "Production.xcconfig", "No Production xcconfig is configured or found.")
                .help("Set production_xcconfig in shipdeck.toml to the xcconfig your Production configuration is based on."),
        ),
        Some(rel) => {
            let file = ws.path(rel);
            match std::fs::read(&file) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => out.push(missing(ws, &file, "the Production xcconfig", "file")),
                Err(e) => out.push(Finding::blocker("xcconfig.unreadable", ws.display_path(&file), format!("Cannot read the Production xcconfig: {e}")).at(&file, None)),
                Ok(bytes) => match String::from_utf8(bytes) {
                    Err(e) => {
                        let line = e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
                        out.push(Finding::blocker("xcconfig.unreadable", ws.display_path(&file), "The Production xcconfig is not UTF-8 text.").at(&file, Some(line)))
                    }
                    Ok(_) => out.push(Finding::ok("workspace.xcconfig.found", ws.display_path(&file), "Production xcconfig is readable").at(&file, None)),
                },
            }
        }
    }

    if let Some(ck) = &ws.config.cloudkit {
        if let Some(schema) = &ck.schema {
            let file = ws.path(schema);
            if !file.is_file() {
                out.push(missing(ws, &file, "the CloudKit schema", "file"));
            }
        }
    }
}

fn missing(ws: &Workspace, path: &Path, what: &str, kind: &str) -> Finding {
    let shown = ws.display_path(path);
    let where_ = match &ws.config_path {
        Some(_) => format!("{CONFIG_FILE} names {shown}"),
        None => format!("Shipdeck expected {shown}"),
    };
    Finding::blocker(&format!("workspace.{kind}.missing"), &shown, format!("{where_} as {what}, but it does not exist.")).at(path, None).help("Fix the path in shipdeck.toml or restore the file.")
}

fn check_plist(ws: &Workspace, file: &Path, what: &str, preprocessed: Option<&[(String, String)]>, out: &mut Vec<Finding>) {
    let read = plist::Value::from_file(file);
    let read = match (read, preprocessed) {
        (Err(e), Some(defined)) => {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            match crate::plist_file::preprocess(&text, defined) {
                Some(t) => plist::Value::from_reader(std::io::Cursor::new(t.into_bytes())),
                None => Err(e),
            }
        }
        (r, _) => r,
    };
    // Preprocessor lines in an Info.plist Xcode does not preprocess.
    let directive = (read.is_err() && preprocessed.is_none() && what == "Info.plist").then(|| directive_in(file)).flatten();
    match read {
        Ok(plist::Value::Dictionary(_)) => out.push(Finding::ok("plist.readable", ws.display_path(file), format!("{what} is a valid property list")).at(file, None)),
        Ok(_) => out.push(Finding::blocker("plist.parse", ws.display_path(file), format!("The {what} file is a property list but not a dictionary.")).at(file, None)),
        Err(_) if directive.is_some() => {
            let (line, text) = directive.unwrap_or_default();
            out.push(
                Finding::blocker(
                    "plist.parse",
                    ws.display_path(file),
                    format!("The Info.plist has C preprocessor lines (`{text}` at line {line}), and the target does not set INFOPLIST_PREPROCESS = YES: Xcode cannot read it."),
                )
                .at(file, Some(line))
                .help("Set INFOPLIST_PREPROCESS = YES for the target (and INFOPLIST_PREPROCESSOR_DEFINITIONS for the names it tests), or remove the # lines."),
            )
        }
        Err(e) => {
            let bytes = std::fs::read(file).unwrap_or_default();
            let (place, words) = crate::plist_file::error_place(&bytes, &e);
            let at = place.map(|(l, c)| format!(" at line {l}, column {c}")).unwrap_or_default();
            out.push(Finding::blocker("plist.parse", ws.display_path(file), format!("The {what} file is not a valid property list{at}: {words}")).at(file, place.map(|(l, _)| l)).help(match place {
                Some((l, _)) => format!("Open it in Xcode (or run plutil -lint on it) and fix line {l}."),
                None => "Open it in Xcode, or run plutil -lint on it to find the line, and fix it.".to_string(),
            }))
        }
    }
}

/// The package.json script beside the app's config that runs `command` (`npx` left out, and
/// the platform's prepare may carry more flags: Oss Weather's `"prepare.ios": "… ns prepare ios
/// --release --env.adhoc"`): the first, by name, of those that do.
fn npm_script(dir: &Path, command: &str) -> Option<String> {
    let wanted = command.trim_start_matches("npx ");
    npm_script_where(dir, |v| v.contains(wanted))
}

/// The shortest-named script of `dir`'s package.json whose command `runs_it`.
fn npm_script_where(dir: &Path, runs_it: impl Fn(&str) -> bool) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let mut names: Vec<&String> = json.get("scripts")?.as_object()?.iter().filter(|(_, v)| v.as_str().is_some_and(&runs_it)).map(|(k, _)| k).collect();
    names.sort_by_key(|n| (n.len(), n.to_string()));
    names.first().map(|n| n.to_string())
}

/// The npm script of the repository's package.json (at its top) that runs XcodeGen on `spec`:
/// one naming the spec's file, or for a `project.yml`, any that runs xcodegen.
fn xcodegen_npm_script(root: &Path, spec: &Path) -> Option<String> {
    let name = spec.file_name()?.to_string_lossy().into_owned();
    npm_script_where(root, |v| v.contains("xcodegen") && (v.contains(&name) || (name == "project.yml" && !v.contains("--spec"))))
}

/// What a script that runs `command` writes: its tool, and for one of npm's run through npx its
/// subcommand too (e-mission-phone's setup/setup_native.sh: `npx cordova prepare$PLATFORMS`).
fn runs(command: &str) -> &str {
    let (rest, words) = match command.strip_prefix("npx ") {
        Some(rest) => (rest, 2),
        None => (command, 1),
    };
    match rest.match_indices(' ').nth(words - 1) {
        Some((i, _)) => &rest[..i],
        None => rest,
    }
}

/// A shell script at the top of the repository that runs the generator (`setup_project.sh`).
fn setup_script(root: &Path, command: &str) -> Option<String> {
    let tool = runs(command);
    let shell_scripts = |dir: &Path| crate::fsutil::files_with_extension(dir, &["sh"]);
    // At the top, then in a scripts folder (Bitwarden's `Scripts-bwa/bootstrap.sh`, Xcode
    // Cloud's `ci_scripts/ci_post_clone.sh`).
    let mut scripts = shell_scripts(root);
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy().to_ascii_lowercase();
                    n.contains("script") || n == "setup"
                })
        })
        .collect();
    folders.sort();
    for f in folders {
        scripts.extend(shell_scripts(&f));
    }
    // Only a script made to set up or build is offered: Dispatch's screenshots.sh, smoke-tests.sh
    // and upload-testflight.sh run xcodegen too, and running one to get a project would take
    // screenshots, run tests or upload a build. A setup script first, then a build script.
    let rank = |p: &PathBuf| {
        let n = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        if ["release", "upload", "archive", "testflight", "deploy", "publish", "screenshot", "test", "notar"].iter().any(|w| n.contains(w)) {
            None
        } else if ["setup", "bootstrap", "generate", "project", "post_clone", "configure", "install"].iter().any(|w| n.contains(w)) {
            Some(0)
        } else if n.contains("build") {
            Some(1)
        } else {
            None
        }
    };
    // Ranked by name first: only those offered are read.
    let mut running: Vec<(u8, PathBuf)> = scripts
        .into_iter()
        .filter_map(|p| rank(&p).map(|r| (r, p)))
        .filter(|(_, p)| std::fs::read_to_string(p).is_ok_and(|t| t.lines().any(|l| !l.trim_start().starts_with('#') && l.contains(tool))))
        .collect();
    running.sort_by_key(|(r, _)| *r);
    running.into_iter().next().and_then(|(_, p)| p.strip_prefix(root).ok().map(|r| r.to_string_lossy().into_owned()))
}

/// Projects are here, but no scheme archives an application (Aerial's shared scheme archives its
/// screen saver bundle; its AerialApp target has no shared scheme, so xcodebuild has none for
/// it): said as that, naming the app targets without a shared scheme, not as "no project".
fn no_app_scheme(ws: &Workspace) -> Option<Finding> {
    let projects = ws.scan().projects;
    let first = projects.first()?;
    let mut unshared: Vec<String> = Vec::new();
    // What the shared schemes archive, as people name it (Aerial's a bundle, ZenTuner's a watch
    // app), each kind once.
    let mut archived: Vec<&'static str> = Vec::new();
    for p in &projects {
        let doc = match crate::pbxproj::Document::read_shared(&p.join("project.pbxproj")) {
            Ok(doc) => doc,
            // A project that does not parse (a merge conflict committed: Raivo's) may hold the
            // app: that is the cause to say, not "no scheme archives an application".
            Err(crate::Error::Parse { line, column, message, .. }) => {
                return Some(super::project::parse_blocker(&ws.display_path(p), &p.join("project.pbxproj"), line, column, &message));
            }
            Err(_) => continue,
        };
        let Ok(model) = crate::pbxproj::Project::new(&doc, p) else { continue };
        let schemes = crate::discover::xcode::shared_schemes(p);
        let targets = model.targets();
        for r in schemes.iter().flat_map(|s| s.archived.iter()) {
            let kind = targets.iter().find(|t| t.id == r.blueprint_id || t.name == r.blueprint_name).and_then(|t| t.product_type.as_deref()).map(|pt| product_kind(pt.trim_matches('"')));
            if let Some(kind) = kind.filter(|k| !archived.contains(k)) {
                archived.push(kind);
            }
        }
        for t in model.targets().into_iter().filter(|t| t.product_type.as_deref().is_some_and(|pt| pt.trim_matches('"') == "com.apple.product-type.application")) {
            let has_scheme = schemes.iter().any(|s| s.archived.iter().any(|r| r.blueprint_name == t.name || r.blueprint_id == t.id));
            if !has_scheme && !schemes.is_empty() {
                unshared.push(t.name.clone());
            }
        }
    }
    if let Some((project, container)) = crate::discover::watch_only_app(&projects) {
        return Some(
            Finding::blocker(
                "workspace.scheme.none",
                ws.display_path(&project),
                format!("{} holds a watch-only app ({container}, the iOS container of a watchOS app): {}.", ws.display_path(&project), crate::discover::WATCH_ONLY),
            )
            .at(&project, None)
            .help("Archive it in Xcode (its watch app's scheme, Product > Archive with Any watchOS Device) and distribute it from the Organizer."),
        );
    }
    let list: Vec<String> = projects.iter().map(|p| ws.display_path(p)).collect();
    let f = Finding::blocker(
        "workspace.scheme.none",
        ws.display_path(first),
        format!(
            "No shared scheme of {} archives an application ({}): there is nothing for App Store Connect.",
            crate::text::and_list(&list.iter().map(String::as_str).collect::<Vec<_>>()),
            if archived.is_empty() { "only frameworks, bundles, tests or tools".to_string() } else { format!("they archive {}", crate::text::and_list(&archived)) }
        ),
    )
    .at(first, None);
    Some(match unshared.as_slice() {
        [] => f.help("Open the folder of the app's own project, or list it under [[targets]] in shipdeck.toml."),
        names => f.help(format!(
            "The app target {} has no shared scheme, so xcodebuild cannot archive it: in Xcode, Product > Scheme > Manage Schemes, add one for it and tick Shared.",
            crate::text::and_list(&names.iter().map(String::as_str).collect::<Vec<_>>())
        )),
    })
}

/// A product type as people name what it makes: `application.watchapp2` -> "a watch app".
fn product_kind(product_type: &str) -> &'static str {
    match product_type.trim_start_matches("com.apple.product-type.") {
        "application" => "an app",
        t if t.starts_with("application.watchapp") => "a watch app",
        t if t.starts_with("watchkit") => "a watch extension",
        t if t.contains("app-extension") || t.contains("extensionkit") => "an app extension",
        t if t.starts_with("bundle.unit-test") || t.starts_with("bundle.ui-testing") => "tests",
        t if t.starts_with("bundle") => "a bundle",
        t if t.starts_with("framework") => "a framework",
        t if t.starts_with("library") => "a library",
        "tool" => "a command-line tool",
        _ => "another kind of product",
    }
}

/// The first C preprocessor directive of a file (line, text), if any.
fn directive_in(file: &Path) -> Option<(usize, String)> {
    let text = std::fs::read_to_string(file).ok()?;
    crate::plist_file::first_directive(&text).map(|(line, l)| (line, l.to_string()))
}

#[cfg(test)]
mod tests {

    /// Raivo's project.pbxproj was committed with a merge left unresolved: the app's scheme is
    /// there, its project does not parse; the blocker says that, not "no scheme".
    #[test]
    fn a_project_that_does_not_parse_is_the_cause_not_a_missing_scheme() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("Vault.xcodeproj")).unwrap();
        std::fs::write(
            dir.path().join("Vault.xcodeproj/project.pbxproj"),
            "// !$*UTF8*$!\n{\n\tarchiveVersion = 1;\n<<<<<<< HEAD\n\tobjectVersion = 54;\n=======\n\tobjectVersion = 53;\n>>>>>>> 75832ce (Build on simulators)\n}\n",
        )
        .unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let f = out.iter().find(|f| f.severity == crate::finding::Severity::Blocker).expect("a blocker");
        assert_eq!(f.id, "project.parse", "{out:#?}");
        assert_eq!(f.line, Some(4));
        assert!(f.message.contains("an unresolved git merge conflict (`<<<<<<< HEAD`)"), "{}", f.message);
        assert!(f.help.as_deref().unwrap().starts_with("Resolve the conflict"), "{:?}", f.help);
        assert!(!out.iter().any(|f| f.id == "workspace.scheme.none"), "{out:#?}");
        // Discovery says the same, not "no scheme archives an application".
        crate::discover::fixture::scheme(&dir.path().join("Vault.xcodeproj"), "Vault", "Release", "Vault.xcodeproj", &["Vault"]);
        let (_, guesses) = crate::discover::discover(dir.path());
        assert!(guesses.iter().any(|g| g == "Vault.xcodeproj: the project file could not be read, so what its schemes archive is not known"), "{guesses:#?}");
        assert!(!guesses.iter().any(|g| g.starts_with("No scheme archives")), "{guesses:#?}");
    }

    use crate::discover::fixture::{project, APP, T};

    /// KeePassium's Info.plist has `#ifdef INTUNE` lines, and its targets set
    /// INFOPLIST_PREPROCESS: readable as Xcode reads it; without the setting it is not.
    #[test]
    fn an_info_plist_the_preprocessor_reads_is_readable_only_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("App")).unwrap();
        std::fs::write(
            root.join("App/Info.plist"),
            "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>CFBundleShortVersionString</key>\n\t<string>1.0</string>\n#ifdef INTUNE\n\t<key>Intune</key>\n\t<true/>\n#endif\n</dict>\n</plist>\n",
        )
        .unwrap();
        let findings = |preprocess: &str| {
            project(
                root,
                "App",
                &[("SDKROOT", "iphoneos")],
                &[T("App", APP, &[("INFOPLIST_FILE", "App/Info.plist"), ("INFOPLIST_PREPROCESS", preprocess), ("INFOPLIST_PREPROCESSOR_DEFINITIONS", "INTUNE")])],
            );
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().filter(|f| f.id.starts_with("plist.")).map(|f| (f.id, f.line)).collect::<Vec<_>>()
        };
        assert_eq!(findings("YES"), [("plist.readable".to_string(), None)]);
        assert_eq!(findings("NO"), [("plist.parse".to_string(), Some(6))], "at the #ifdef line");
    }

    /// NowPlayingPlus: a watch-only app, its scheme archiving the watch app and the iOS container
    /// (`watchapp2-container`): said as that, not as "only frameworks, bundles, tests or tools".
    #[test]
    fn a_watch_only_app_is_said_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "Now", &[], &[T("Now", "com.apple.product-type.application.watchapp2-container", &[("SDKROOT", "iphoneos")]), T("Now Watch App", APP, &[("SDKROOT", "watchos")])]);
        crate::discover::fixture::scheme(&p, "Now Watch App", "Release", "Now.xcodeproj", &["Now Watch App", "Now"]);
        let ws = crate::Workspace::open(root).unwrap();
        assert!(
            ws.guesses.iter().any(|g| g == "Now.xcodeproj holds a watch-only app (Now, the iOS container of a watchOS app): Shipdeck does not check or release watch-only apps yet"),
            "{:#?}",
            ws.guesses
        );
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let f = out.iter().find(|f| f.id == "workspace.scheme.none").expect("the blocker");
        assert_eq!(f.message, "Now.xcodeproj holds a watch-only app (Now, the iOS container of a watchOS app): Shipdeck does not check or release watch-only apps yet.");
        assert!(f.help.as_deref().unwrap().contains("Any watchOS Device"));
    }

    /// Aerial: its shared scheme archives the screen saver bundle; the AerialApp target has no
    /// shared scheme. Not "no project": no scheme for an app, and which target lacks one.
    #[test]
    fn projects_whose_schemes_archive_no_app_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let p = project(root, "Aerial", &[("SDKROOT", "macosx")], &[T("Aerial", "com.apple.product-type.bundle", &[]), T("AerialApp", APP, &[])]);
        crate::discover::fixture::scheme(&p, "Aerial", "Release", "Aerial.xcodeproj", &["Aerial"]);
        let ws = crate::Workspace::open(root).unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        let f = out.iter().find(|f| f.id.starts_with("workspace.") && f.severity == crate::finding::Severity::Blocker).expect("a blocker");
        assert_eq!(f.id, "workspace.scheme.none");
        assert_eq!(f.message, "No shared scheme of Aerial.xcodeproj archives an application (they archive a bundle): there is nothing for App Store Connect.");
        assert!(f.help.as_deref().unwrap().starts_with("The app target AerialApp has no shared scheme"), "{:?}", f.help);
        // ZenTuner shares only its watch app's scheme: said as that, not "only frameworks…".
        let zen = tempfile::tempdir().unwrap();
        let p =
            project(zen.path(), "ZenTuner", &[("SDKROOT", "iphoneos")], &[T("Zen Tuner", APP, &[]), T("Zen Tuner watchOS", "com.apple.product-type.application.watchapp2", &[("SDKROOT", "watchos")])]);
        crate::discover::fixture::scheme(&p, "ZenTuner_watchOS", "Release", "ZenTuner.xcodeproj", &["Zen Tuner watchOS"]);
        let mut out = Vec::new();
        super::check(&crate::Workspace::open(zen.path()).unwrap(), &mut out);
        let f = out.iter().find(|f| f.id == "workspace.scheme.none").expect("a blocker");
        assert_eq!(f.message, "No shared scheme of ZenTuner.xcodeproj archives an application (they archive a watch app): there is nothing for App Store Connect.");
        assert!(f.help.as_deref().unwrap().starts_with("The app target Zen Tuner has no shared scheme"), "{:?}", f.help);
        // An empty folder is still "no project".
        let empty = tempfile::tempdir().unwrap();
        let ws = crate::Workspace::open(empty.path()).unwrap();
        let mut out = Vec::new();
        super::check(&ws, &mut out);
        assert!(out.iter().any(|f| f.id == "workspace.project.none"), "{out:#?}");
    }

    /// Dispatch: screenshots.sh, smoke-tests.sh and upload-testflight.sh run xcodegen; none is
    /// offered as the way to get a project (one uploads a build). A setup script is.
    #[test]
    fn only_a_setup_or_build_script_is_offered_to_generate_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("scripts")).unwrap();
        for name in ["screenshots.sh", "smoke-tests.sh", "upload-testflight.sh"] {
            std::fs::write(root.join("scripts").join(name), "#!/bin/sh\nxcodegen generate\n").unwrap();
        }
        assert_eq!(super::setup_script(root, "xcodegen generate"), None);
        std::fs::write(root.join("scripts/build-ios.sh"), "#!/bin/sh\nxcodegen generate\nxcodebuild build\n").unwrap();
        assert_eq!(super::setup_script(root, "xcodegen generate").as_deref(), Some("scripts/build-ios.sh"));
        std::fs::write(root.join("scripts/bootstrap.sh"), "#!/bin/sh\n# xcodegen in a comment\nmint run xcodegen\n").unwrap();
        assert_eq!(super::setup_script(root, "xcodegen generate").as_deref(), Some("scripts/bootstrap.sh"));
    }

    /// Tutanota: `app-ios/mail-project.yml`, `calendar-project.yml` and `drive-project.yml`
    /// (XcodeGen specs under other names, the app's target `type: "application"`), a committed
    /// `app-ios/tuta.xcworkspace` that opens the projects they make, and the npm script
    /// `ios:generate-project` that runs `xcodegen --spec` on each. It was "No Xcode project".
    #[test]
    fn specs_named_for_their_project_behind_a_workspace_are_the_project_to_generate() {
        let dir = tempfile::tempdir().unwrap();
        // Two apps: the one its project is named as the repository is (the mail app) comes first.
        let root = &dir.path().join("tutanota");
        let ios = root.join("app-ios");
        std::fs::create_dir_all(ios.join("tuta.xcworkspace")).unwrap();
        std::fs::write(
            ios.join("tuta.xcworkspace/contents.xcworkspacedata"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version = \"1.0\">\n   <FileRef location = \"container:tutanota.xcodeproj\"></FileRef>\n   <FileRef location = \"container:calendar.xcodeproj\"></FileRef>\n</Workspace>\n",
        )
        .unwrap();
        let spec = |name: &str, kind: &str| {
            format!(
                "# XCodeGen configuration file\nname: {name} # Also known as tutanooota\noptions:\n  useBaseInternationalization: true\ntargets:\n  {name}:\n    type: \"{kind}\"\n    platform: iOS\n"
            )
        };
        std::fs::write(ios.join("calendar-project.yml"), spec("calendar", "application")).unwrap();
        std::fs::write(ios.join("mail-project.yml"), spec("tutanota", "application")).unwrap();
        std::fs::write(ios.join("common.yml"), "settingGroups:\n  codeSigning:\n    base:\n      CODE_SIGN_IDENTITY: x\n").unwrap();
        let found = || {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            super::check(&ws, &mut out);
            out.into_iter().find(|f| f.id.starts_with("workspace.project")).unwrap()
        };
        let f = found();
        assert_eq!(f.id, "workspace.project.generated", "{f:#?}");
        let guesses = crate::Workspace::open(root).unwrap().guesses;
        assert!(guesses.iter().any(|g| g.starts_with("Generated project: app-ios/mail-project.yml describes it")), "{guesses:#?}");
        assert_eq!(f.file.as_deref(), Some(ios.join("mail-project.yml").as_path()), "the app's spec first");
        assert!(f.message.starts_with("No Xcode project yet: app-ios/mail-project.yml describes it, and it is generated (`xcodegen generate --spec mail-project.yml`)"), "{}", f.message);
        assert!(f.message.ends_with("Another spec is here: app-ios/calendar-project.yml."), "{}", f.message);
        assert_eq!(f.help.as_deref(), Some("Run `xcodegen generate --spec mail-project.yml` in app-ios, then check again."));
        // The repository's npm script that runs it is named first.
        std::fs::write(root.join("package.json"), r#"{"scripts": {"ios:generate-project": "cd app-ios && xcodegen --spec mail-project.yml && xcodegen --spec calendar-project.yml", "test": "jest"}}"#)
            .unwrap();
        assert_eq!(
            found().help.as_deref(),
            Some("Run `npm run ios:generate-project` (the repository's script that runs XcodeGen), or `xcodegen generate --spec mail-project.yml` in app-ios, then check again.")
        );
        // Once a project the workspace opens is there, it is no longer "not generated".
        crate::discover::fixture::project(&ios, "tutanota", &[("SDKROOT", "iphoneos")], &[crate::discover::fixture::T("tutanota", crate::discover::fixture::APP, &[])]);
        assert_eq!(found().id, "workspace.project.found");
    }
}
