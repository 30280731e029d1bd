//! GitHub workflows: they must name projects, schemes, configurations and files that exist,
//! and the workflow `shipdeck ci init` wrote must still match the workspace.

use crate::ci::{self, MARKER, WORKFLOW_PATH};
use crate::finding::{Finding, Fix};
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let repo = ci::repo_root(ws);
    let dir = repo.join(".github/workflows");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml"))).collect();
    files.sort();
    let known = Known::collect(ws);
    for file in files {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                out.push(Finding::warning("ci.workflow.unreadable", file_name(&file), format!("Cannot read the workflow: {e}")).at(&file, None));
                continue;
            }
        };
        // A workflow that builds nothing for Apple's platforms (an Android end-to-end run) is
        // not the release's business.
        if !builds_for_apple(&text) && !text.starts_with(MARKER) {
            continue;
        }
        let before = out.len();
        check_workflow(ws, &repo, &file, &text, &known, out);
        if text.starts_with(MARKER) && file.ends_with(WORKFLOW_PATH) && text != ci::workflow(ws) {
            out.push(
                Finding::warning("ci.workflow.drift", file_name(&file), "The workflow written by `shipdeck ci init` no longer matches the workspace.")
                    .at(&file, None)
                    .help("Run `shipdeck ci init --dry-run` to see the difference, then `shipdeck ci init --force` to rewrite it.")
                    .fix(Fix::new("ci.init", "Rewrite the workflow", serde_json::Value::Null)),
            );
        }
        if out.len() == before {
            let what = if known.generated {
                "Names only files that exist (its schemes and configurations are checked once the project is generated)"
            } else {
                "Names only projects, schemes, configurations and files that exist"
            };
            out.push(Finding::ok("ci.workflow.consistent", file_name(&file), what).at(&file, None));
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Schemes and configurations the workspace's projects define.
struct Known {
    schemes: Vec<String>,
    configurations: Vec<String>,
    /// The project is generated (XcodeGen, Tuist) and not here yet: its schemes,
    /// configurations and the .xcodeproj a workflow names are not knowable.
    generated: bool,
    /// The repository's git submodules (absent until checked out).
    submodules: Vec<PathBuf>,
}

impl Known {
    fn collect(ws: &Workspace) -> Known {
        let mut schemes = Vec::new();
        let mut configurations = Vec::new();
        let found = ws.scan();
        // xcodebuild run in a Swift package's folder (element-x-ios's compound-ios) builds the
        // package, whose schemes are its products and `<package>-Package`: every `name:` the
        // manifest writes is taken as a scheme (more than xcodebuild makes, never fewer).
        for manifest in &found.packages {
            if let Ok(text) = std::fs::read_to_string(manifest) {
                let names = manifest_names(&text);
                if let Some(package) = names.first() {
                    schemes.push(format!("{package}-Package"));
                }
                schemes.extend(names);
            }
        }
        // A workspace's own shared schemes (OsmAnd's `OsmAnd Maps Release`).
        for w in &found.workspaces {
            collect_schemes(&w.join("xcshareddata/xcschemes"), &mut schemes);
        }
        // Only a folder without a real project is walked again for a generator's spec.
        let has_project = found.projects.iter().any(|p| p.join("project.pbxproj").is_file());
        // Each project's schemes and configuration names, on every core (Provenance: 140
        // project files, 25 MB of text), in the projects' order.
        let per_project = crate::fsutil::par_map(&found.projects, |project| {
            let mut schemes = Vec::new();
            let mut configurations = Vec::new();
            collect_schemes(&project.join("xcshareddata/xcschemes"), &mut schemes);
            let shared = !schemes.is_empty();
            collect_schemes(&project.join("xcuserdata"), &mut schemes);
            if let Ok(text) = std::fs::read_to_string(project.join("project.pbxproj")) {
                configurations.extend(configuration_names(&text));
                // With no shared scheme, xcodebuild makes one per target, named after it. Read
                // from the text as Xcode lays it out (Provenance: 140 projects, most without
                // shared schemes); parsed when it is laid out otherwise.
                if !shared {
                    match target_names(&text) {
                        Some(names) => schemes.extend(names),
                        None => {
                            if let Ok(doc) = crate::pbxproj::Document::parse(text, &project.join("project.pbxproj")) {
                                if let Ok(p) = crate::pbxproj::Project::new(&doc, project) {
                                    schemes.extend(p.target_names());
                                }
                            }
                        }
                    }
                }
            }
            (schemes, configurations)
        });
        for (s, c) in per_project.into_iter().flatten() {
            schemes.extend(s);
            configurations.extend(c);
        }
        let generated = !has_project && crate::discover::ungenerated_project(ws.tree()).is_some();
        Known { schemes, configurations, generated, submodules: ci::git_submodules(&ci::repo_root(ws)) }
    }
}

/// The string literals a Package.swift passes as `name:` (the package's, its products' and
/// targets'), the package's first.
fn manifest_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("name:") {
        rest = &rest[i + 5..];
        let Some(literal) = rest.trim_start().strip_prefix('"') else { continue };
        if let Some(end) = literal.find('"') {
            let name = &literal[..end];
            if !name.is_empty() && !name.contains('\\') && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

fn collect_schemes(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_schemes(&p, out);
        } else if p.extension().is_some_and(|x| x == "xcscheme") {
            if let Some(stem) = p.file_stem() {
                out.push(stem.to_string_lossy().into_owned());
            }
        }
    }
}

/// Names of the XCBuildConfiguration objects of a project.pbxproj (text scan).
fn configuration_names(pbxproj: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_config = false;
    for line in pbxproj.lines() {
        let t = line.trim();
        if t.starts_with("isa = XCBuildConfiguration;") {
            in_config = true;
        } else if in_config && t.starts_with("name = ") {
            names.push(t.trim_start_matches("name = ").trim_end_matches(';').trim_matches('"').to_string());
            in_config = false;
        }
    }
    names
}

/// A workflow's name for a scheme or configuration the project spells with other letter case.
fn name_case(subject: &str, what: &str, written: &str, real: &str, why: &str) -> Finding {
    Finding::warning("ci.workflow.name-case", subject, format!("The workflow builds {what} `{written}`; the project's {what} is `{real}`. {why}"))
        .help(format!("Write `{real}` to match the project exactly."))
}

/// Names of the targets of a project.pbxproj laid out as Xcode writes it (each object's `isa`
/// and `name` on lines of their own); `None` when the text is laid out otherwise, to be parsed.
fn target_names(pbxproj: &str) -> Option<Vec<String>> {
    const TARGETS: [&str; 3] = ["isa = PBXNativeTarget;", "isa = PBXAggregateTarget;", "isa = PBXLegacyTarget;"];
    let mut names = Vec::new();
    let mut in_target = false;
    let mut isa_lines = 0;
    for line in pbxproj.lines() {
        let t = line.trim();
        if t.starts_with("isa = ") {
            isa_lines += 1;
            in_target = TARGETS.contains(&t);
        } else if TARGETS.iter().any(|isa| t.contains(isa)) {
            // A target written on one line with other keys: not Xcode's layout.
            return None;
        } else if in_target && t.starts_with("name = ") {
            names.push(t.trim_start_matches("name = ").trim_end_matches(';').trim_matches('"').to_string());
            in_target = false;
        }
    }
    (isa_lines > 0).then_some(names)
}

const FILE_ENDINGS: &[&str] = &[".xcodeproj", ".xcworkspace", ".xcconfig", ".plist", ".ckdb", ".entitlements", ".sh"];

/// A line's words as the shell reads them (quotes kept together, `"My App"` one word); a line
/// the shell would not accept alone (a quote continued on the next line) is split on spaces.
fn shell_words(line: &str) -> Vec<String> {
    // A line continued on the next (`-scheme "OsmAnd Maps" \`): the backslash ends it.
    let l = line.trim().trim_start_matches("- ").trim_start_matches("run:").trim().trim_end_matches('\\').trim_end();
    let l = &one_word_expressions(l);
    shlex::split(l).unwrap_or_else(|| l.split_whitespace().map(|w| w.trim_matches(|c| c == '"' || c == '\'' || c == '\\').to_string()).collect())
}

/// GitHub's `${{ env.DIR }}` as one word (`${{env.DIR}}`): a path built from it
/// (`./${{ env._IOS_FOLDER_PATH }}/Info.plist`, Bitwarden's) stays one word with its `$`, known
/// only when the workflow runs, not `}}/Info.plist`.
fn one_word_expressions(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("${{") {
        let Some(end) = rest[i..].find("}}").map(|e| i + e + 2) else { break };
        out.push_str(&rest[..i]);
        out.extend(rest[i..end].chars().filter(|c| !c.is_whitespace()));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Files the workflow writes itself before using them: redirections (`cat > X << EOF`,
/// `echo ... >> X`, `base64 --decode > X`), `tee`, `touch`, `cp`/`mv` targets, `-o`/`--output`;
/// and what generators make: `xcodegen`/`tuist generate` a project, `pod install` a workspace.
struct Created {
    files: Vec<String>,
    generates_projects: bool,
    installs_pods: bool,
    /// The checkout brings the submodules (`submodules: true`, `git submodule update`).
    checks_out_submodules: bool,
}

fn created_by(text: &str) -> Created {
    let mut files = Vec::new();
    let (mut generates_projects, mut installs_pods) = (false, false);
    // Values the workflow names once and uses by name (`EXPORT_OPTIONS_PLIST: "exportOptions.plist"`
    // in an env block, then `plutil ... -o "$EXPORT_OPTIONS_PLIST"`: Rectangle's build.yml).
    let vars = variables(text);
    let expand = |w: &str| -> String {
        let mut w = w.to_string();
        for (name, value) in &vars {
            w = w.replace(&format!("${{{name}}}"), value);
            // `$NAME` only where the name ends (not `$NAME_2`).
            let bare = format!("${name}");
            let mut from = 0;
            while let Some(i) = w[from..].find(&bare).map(|i| from + i) {
                let end = i + bare.len();
                if w[end..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                    from = end;
                } else {
                    w.replace_range(i..end, value);
                    from = i + value.len();
                }
            }
        }
        w
    };
    // A command continued over lines (`\` at a line's end) is read as one line.
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    for line in joined.lines() {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        generates_projects |= t.contains("xcodegen") || t.contains("tuist generate") || t.contains("tuist install");
        installs_pods |= t.contains("pod install") || t.contains("pod update");
        let words = shell_words(t);
        // Where a command's arguments end: the next command, or a redirection.
        let command_end = |from: usize| words[from..].iter().position(|a| matches!(a.as_str(), "&&" | "||" | ";" | "|") || a.starts_with('>') || a.starts_with('<')).map_or(words.len(), |p| from + p);
        // PlistBuddy writes (and creates) its file for the commands that change it.
        let changes_plist = |from: usize| words[from..command_end(from)].windows(2).any(|p| p[0] == "-c" && ["Add", "Set", "Merge", "Import", "Copy", "Clear"].iter().any(|c| p[1].starts_with(c)));
        for (i, w) in words.iter().enumerate() {
            let next = words.get(i + 1).cloned();
            match w.as_str() {
                ">" | ">>" | "-o" | "--output" | "--out" | "-O" | "--output-document" | "touch" => files.extend(next),
                // A download's destination (Bitwarden's `az storage blob download … --file
                // Authenticator/Application/Support/$FILE`); elsewhere `--file` is often an input.
                "--file" | "--destination" if words.iter().any(|a| a == "download") => files.extend(next),
                "tee" => files.extend(words[i + 1..].iter().filter(|a| !a.starts_with('-')).cloned()),
                "cp" | "mv" | "ln" => files.extend(words[i + 1..command_end(i + 1)].iter().rev().find(|a| !a.starts_with('-')).cloned()),
                // `plutil -create xml1 FILE` makes an empty property list (kiwix-apple's cd.yml).
                "-create" if i > 0 && words[..i].iter().any(|a| a == "plutil") => files.extend(words.get(i + 2).cloned()),
                // PlistBuddy creates the file it is given when it is absent.
                _ if w.ends_with("PlistBuddy") && changes_plist(i + 1) => files.extend(words[i + 1..command_end(i + 1)].last().cloned()),
                _ => {
                    // `>file` and `>>file` written without a space.
                    if let Some(f) = w.strip_prefix(">>").or_else(|| w.strip_prefix('>')).filter(|f| !f.is_empty() && !f.starts_with('&')) {
                        files.push(f.to_string());
                    }
                }
            }
        }
    }
    let mut files: Vec<String> = files.iter().map(|f| expand(f)).collect();
    // Another repository checked out into a folder (`uses: actions/checkout` with `path:`:
    // Hammerspoon's ci-secrets): every file under it comes with the checkout.
    let mut in_checkout = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("- ") || t.starts_with("uses:") {
            in_checkout = t.contains("actions/checkout");
        } else if let Some(p) = t.strip_prefix("path:").filter(|_| in_checkout) {
            let p = p.trim().trim_matches(|c| c == '"' || c == '\'').trim_start_matches("./").trim_end_matches('/');
            if !p.is_empty() && !p.contains('$') {
                files.push(format!("{p}/"));
            }
        }
    }
    let checks_out_submodules = text.lines().any(|l| {
        let t = l.trim();
        (t.starts_with("submodules:") && !t.ends_with("false")) || t.contains("git submodule update") || t.contains("--recurse-submodules")
    });
    Created { files, generates_projects, installs_pods, checks_out_submodules }
}

/// `NAME: value` (a workflow's env blocks) and `NAME=value` (shell, `export`), as written.
fn variables(text: &str) -> Vec<(String, String)> {
    let is_name = |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !n.starts_with(|c: char| c.is_ascii_digit());
    let unquote = |v: &str| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string();
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim().trim_start_matches("- ").trim_start_matches("export ").trim();
        let pair = match (t.split_once(':'), t.split_once('=')) {
            (Some((n, v)), _) if is_name(n) && n.chars().any(|c| c.is_ascii_uppercase()) && n == n.to_ascii_uppercase() && !v.trim().is_empty() => Some((n, v)),
            (_, Some((n, v))) if is_name(n) && !v.contains(char::is_whitespace) => Some((n, v)),
            _ => None,
        };
        if let Some((n, v)) = pair {
            let v = unquote(v);
            if !v.is_empty() && !v.contains('$') {
                out.push((n.to_string(), v));
            }
        }
    }
    out
}

/// `${{env.NAME}}` (one word, see [`one_word_expressions`]) replaced by the value the
/// workflow gives NAME in an env block; anything else left as it is.
fn env_expression(word: &str, vars: &[(String, String)]) -> String {
    let mut w = word.to_string();
    for (name, value) in vars {
        w = w.replace(&format!("${{{{env.{name}}}}}"), value);
    }
    w
}

/// Whether `word` (a path as the workflow writes it) names what the workflow created.
fn is_created(created: &Created, word: &str) -> bool {
    let norm = |p: &str| p.trim_start_matches("./").to_string();
    let w = norm(word);
    created.files.iter().any(|f| {
        let f = norm(f);
        // A folder the workflow fills (ends with `/`): everything under it.
        f == w || f.ends_with(&format!("/{w}")) || w.ends_with(&format!("/{f}")) || (f.ends_with('/') && w.starts_with(&f))
    }) || (created.generates_projects && (w.ends_with(".xcodeproj") || w.ends_with(".xcworkspace")))
        || (created.installs_pods && (w.ends_with(".xcworkspace") || w.starts_with("Pods/")))
}

/// Whether a workflow runs any of Apple's build tools (or what drives them).
fn builds_for_apple(text: &str) -> bool {
    [
        "xcodebuild",
        "xcrun",
        "fastlane",
        "gym",
        "pod install",
        "xcodegen",
        "tuist",
        "swift build",
        "swift test",
        "flutter build ios",
        "flutter build macos",
        "flutter build ipa",
        "agvtool",
        "altool",
        "notarytool",
        "codesign",
        "macos-",
        "runs-on: macos",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// A submodule's folder with nothing checked out in it.
fn submodule_absent(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

/// Whether git ignores `rel` (a path from the repository's top): see [`crate::ci::git_ignored`].
fn git_ignores(repo: &Path, rel: &str) -> bool {
    crate::ci::git_ignored(repo, &repo.join(rel.trim_start_matches("./")))
}

fn check_workflow(ws: &Workspace, repo: &Path, file: &Path, text: &str, known: &Known, out: &mut Vec<Finding>) {
    // Folders a path in the workflow may be relative to: the steps' working directories and
    // the folders their scripts `cd` into.
    let mut bases = vec![repo.to_path_buf(), ws.root.clone()];
    let vars = variables(text);
    // The folder a step's `cd`s lead to, one after the other (`cd pir-fake-broker` then `cd
    // scripts`, DuckDuckGo for Mac): each `cd` from the one before it, within a step.
    let mut cd_from: Option<PathBuf> = None;
    for line in text.lines() {
        if line.trim_start().starts_with("- ") {
            cd_from = None;
        }
        let t = line.trim().trim_start_matches("- ");
        // An action's folder input (`directory: Monal` beside `workspace: Monal.xcworkspace` in
        // Monal's workflow) is a folder its other inputs are read from, as a step's
        // working-directory is.
        let folder_input = t.split_once(':').filter(|(k, _)| {
            let k = k.trim().to_ascii_lowercase().replace('_', "-");
            !k.contains(' ') && (k.ends_with("directory") || k == "dir" || k == "project-dir" || k == "workdir")
        });
        let (dir, is_cd): (Option<String>, bool) = match folder_input.map(|(_, v)| v) {
            // `working-directory: ${{ env.APPLE_ROOT }}` with `APPLE_ROOT: app-apple` in the
            // workflow's env (Passepartout's release.yml): the folder it names.
            Some(d) => (Some(env_expression(&one_word_expressions(d.trim()), &vars)), false),
            None => {
                let words = shell_words(t);
                (words.iter().position(|w| w == "cd").and_then(|i| words.get(i + 1)).cloned(), true)
            }
        };
        if let Some(d) = dir {
            let d = d.trim_matches(|c| c == '"' || c == '\'');
            if !d.contains('$') && !d.starts_with('/') && !d.starts_with('~') && !d.is_empty() {
                let mut new = vec![repo.join(d)];
                match cd_from.as_ref().filter(|_| is_cd) {
                    Some(from) => new.push(crate::fsutil::normalize(&from.join(d))),
                    // A step's first `cd` starts in its working directory (aliasvault's
                    // `defaults: run: working-directory: apps/mobile-app`, then `cd ../../core`).
                    None if is_cd && d.starts_with("..") => {
                        new.extend(bases.iter().map(|b| crate::fsutil::normalize(&b.join(d))).filter(|b| b.starts_with(repo)));
                    }
                    None => {}
                }
                if is_cd {
                    cd_from = new.last().cloned();
                }
                for b in new {
                    if !bases.contains(&b) {
                        bases.push(b);
                    }
                }
            }
        }
    }
    let created = created_by(text);
    let subject = file_name(file);
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start().trim_start_matches("- ");
        // Comments, and a step's name or description: words for people, not commands.
        if t.starts_with('#') || ["name:", "description:", "title:"].iter().any(|k| t.starts_with(k)) {
            continue;
        }
        // `PLIST="App/Info.plist"`: the shell assigns the path; the value is what is named.
        let words: Vec<String> = shell_words(line)
            .into_iter()
            .map(|w| match w.split_once('=') {
                Some((name, value)) if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !name.starts_with('-') => value.to_string(),
                _ => w,
            })
            .collect();
        for (i, word) in words.iter().enumerate() {
            let value = words.get(i + 1).filter(|v| !v.contains('$') && !v.is_empty());
            let at = |f: Finding| f.at(file, Some(n + 1));
            let fold = |names: &[String], v: &str| names.iter().find(|k| k.to_lowercase() == v.to_lowercase()).cloned();
            match (word.as_str(), value) {
                ("-scheme" | "-configuration", _) if known.generated => {}
                // A workflow that checks out submodules may build a scheme of a submodule's
                // project not checked out here (OpenEmu's XADMaster): not knowable.
                ("-scheme" | "-configuration", _) if created.checks_out_submodules && known.submodules.iter().any(|m| submodule_absent(&repo.join(m))) => {}
                ("-scheme", Some(v)) if !known.schemes.contains(v) => match fold(&known.schemes, v) {
                    Some(real) => out.push(at(name_case(&subject, "scheme", v, &real, "A Mac's default (case-insensitive) disk finds it; a case-sensitive volume would not."))),
                    None => {
                        out.push(at(Finding::blocker("ci.workflow.scheme-missing", &subject, format!("The workflow builds scheme `{v}`, which no shared scheme of the workspace's projects defines."))
                            .help("Share the scheme in Xcode (Manage Schemes > Shared) or fix its name in the workflow.")))
                    }
                },
                ("-configuration", Some(v)) if !known.configurations.contains(v) => match fold(&known.configurations, v) {
                    // OpenHaystack's workflows archive with `-configuration release`, and its
                    // releases are built by them.
                    Some(real) => out.push(at(name_case(
                        &subject,
                        "configuration",
                        v,
                        &real,
                        "The names differ only in letter case; a script or tool that compares names exactly (a path to the build folder, an ExportOptions per configuration) does not find it.",
                    ))),
                    None => {
                        out.push(at(Finding::blocker("ci.workflow.configuration-missing", &subject, format!("The workflow builds configuration `{v}`, which no project of the workspace defines."))))
                    }
                },
                _ => {}
            }
            let is_path = FILE_ENDINGS.iter().any(|e| word.ends_with(e)) && (word.contains('/') || !word.ends_with(".sh"));
            // A file of the runner's home or system (Runestone's UI tests edit
            // `~/Library/Preferences/com.apple.iphonesimulator.plist`): not the repository's.
            let outside = word.starts_with('~') || (word.starts_with('/') && !Path::new(word.as_str()).starts_with(repo));
            if is_path && !outside && !word.contains('$') && !word.contains('*') && !word.contains("://") && !word.starts_with('-') && !word.contains(char::is_whitespace) {
                let generated = known.generated && (word.ends_with(".xcodeproj") || word.ends_with(".xcworkspace"));
                // In a submodule the workflow's checkout brings (ownCloud's ios-sdk).
                let submodule = created.checks_out_submodules
                    && bases.iter().any(|b| {
                        let p = crate::fsutil::normalize(&b.join(word));
                        known.submodules.iter().any(|m| p.starts_with(crate::fsutil::normalize(&repo.join(m))))
                    });
                // A name `find -name` looks for, not a path; a file git ignores (a setup step
                // writes it: Mattermost's `.maestro-test-env.sh`).
                let pattern = i > 0 && matches!(words[i - 1].as_str(), "-name" | "-iname" | "-path" | "-ipath");
                let ignored = bases.iter().any(|b| b.join(word).strip_prefix(repo).ok().is_some_and(|rel| git_ignores(repo, &rel.to_string_lossy())));
                // Made from a committed template by a setup step (Mullvad's local setup action
                // copies each `*.xcconfig.template` to its name).
                let templated = bases.iter().any(|b| crate::fsutil::template_of(&b.join(word)).is_some());
                // `../scripts/…` in a value used from a folder the workflow's scripts `cd` into
                // (Monal's `EXPORT_OPTIONS_IOS: "../scripts/exportOptions/…"`, used in Monal/):
                // the path from a folder one level down is the repository's.
                let from_a_folder_down = word.strip_prefix("../").is_some_and(|rest| !rest.starts_with("../") && repo.join(rest).exists());
                // In a folder the workflow checks out from another repository, reached by `cd`.
                let checked_out = bases.iter().any(|b| b.strip_prefix(repo).is_ok_and(|rel| !rel.as_os_str().is_empty() && is_created(&created, &rel.join(word).to_string_lossy())));
                if generated || submodule || pattern || ignored || templated || from_a_folder_down || checked_out || bases.iter().any(|b| b.join(word).exists()) || is_created(&created, word) {
                    continue;
                }
                match bases.iter().find_map(|b| crate::fsutil::find_ignoring_case(b, word).map(|m| (b, m))) {
                    Some((base, real)) => {
                        let real = real.strip_prefix(base).unwrap_or(&real).display().to_string();
                        out.push(at(Finding::warning(
                            "ci.workflow.name-case",
                            &subject,
                            format!("The workflow names `{word}`; on disk it is `{real}`. A Mac's default (case-insensitive) disk finds it; a case-sensitive volume would not."),
                        )
                        .help(format!("Write `{real}` to match the file exactly."))))
                    }
                    None => out.push(at(Finding::blocker(
                        "ci.workflow.file-missing",
                        &subject,
                        format!("The workflow names `{word}`, which does not exist in the repository and which the workflow does not create."),
                    ))),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_names_from_pbxproj_text() {
        let text = "\t\tA /* Debug */ = {\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = {\n\t\t\t};\n\t\t\tname = Debug;\n\t\t};\n\t\tB = {\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tname = \"App Store\";\n\t\t};\n";
        assert_eq!(configuration_names(text), ["Debug", "App Store"]);
    }

    #[test]
    fn target_names_from_pbxproj_text_and_a_layout_to_parse() {
        let text = "\t\tT1 /* App */ = {\n\t\t\tisa = PBXNativeTarget;\n\t\t\tbuildConfigurationList = L1;\n\t\t\tbuildPhases = (\n\t\t\t);\n\t\t\tname = App;\n\t\t\tproductName = App;\n\t\t};\n\t\tT2 = {\n\t\t\tisa = PBXAggregateTarget;\n\t\t\tname = \"Run Script\";\n\t\t};\n\t\tF1 = {\n\t\t\tisa = PBXFileReference;\n\t\t\tname = Other.swift;\n\t\t};\n";
        assert_eq!(target_names(text), Some(vec!["App".to_string(), "Run Script".to_string()]));
        // One object per line (a generator's layout): not read here, parsed instead.
        assert_eq!(target_names("objects = { T1 = {isa = PBXNativeTarget; name = App; }; };"), None);
    }

    #[test]
    fn files_a_workflow_writes_are_not_missing() {
        let text = "      - run: |\n          cat > Config/Secrets.xcconfig << EOF\n          API_KEY = $API_KEY\n          EOF\n          echo \"$PROFILE\" | base64 --decode > build/App.mobileprovision\n          echo $OPTS >>ci/ExportOptions.plist\n          cp ci/Template.entitlements \"App/My App.entitlements\"\n      - run: xcodegen generate\n";
        let c = created_by(text);
        for f in ["Config/Secrets.xcconfig", "./Config/Secrets.xcconfig", "ci/ExportOptions.plist", "App/My App.entitlements", "App.xcodeproj"] {
            assert!(is_created(&c, f), "{f}: {:?}", c.files);
        }
        assert!(!is_created(&c, "Config/Other.xcconfig"));
        // Made through a name the env block gives (Rectangle), by `plutil -create` (kiwix-apple)
        // and by PlistBuddy, which creates the file it edits.
        let text = "env:\n  EXPORT_OPTIONS_PLIST: \"exportOptions.plist\"\n  BUILD_DIR: build\njobs:\n  b:\n    steps:\n      - run: |\n          plutil -convert xml1 - -o \"$EXPORT_OPTIONS_PLIST\" << EOF\n          EOF\n          plutil -create xml1 ./export.plist\n          /usr/libexec/PlistBuddy -c \"Add :method string app-store\" ci/Options.plist\n          /usr/libexec/PlistBuddy -c \"Print\" ci/Read.plist > ${BUILD_DIR}/out.txt\n";
        let c = created_by(text);
        for f in ["exportOptions.plist", "export.plist", "ci/Options.plist", "build/out.txt"] {
            assert!(is_created(&c, f), "{f}: {:?}", c.files);
        }
        assert!(!is_created(&c, "ci/Read.plist"), "{:?}", c.files);
        // Another repository checked out into a folder brings its files.
        let text = "    steps:\n      - name: Checkout Secrets\n        uses: actions/checkout@v4\n        with:\n          repository: Org/ci-secrets\n          path: ./ci-secrets\n      - run: ./ci-secrets/crypto.sh decrypt\n      - name: Other\n        with:\n          path: cache\n";
        let c = created_by(text);
        assert!(is_created(&c, "./ci-secrets/crypto.sh"), "{:?}", c.files);
        assert!(!is_created(&c, "cache/x.sh"), "a path: of another action is not a checkout: {:?}", c.files);
        // A download's destination named through a step's env (Bitwarden's secrets); an
        // upload's `--file` is read, not made.
        let text = "      - name: Retrieve Google Services secret\n        env:\n          FILE: GoogleService-Info.plist\n        run: |\n          az storage blob download --account-name x --name $FILE \\\n            --file App/Support/$FILE --output none\n      - run: xcrun altool --upload-app --file build/App.ipa\n";
        let c = created_by(text);
        assert!(is_created(&c, "GoogleService-Info.plist") && is_created(&c, "App/Support/GoogleService-Info.plist"), "{:?}", c.files);
        assert!(!is_created(&c, "build/App.ipa"), "{:?}", c.files);
        assert_eq!(shell_words("- run: xcodebuild -scheme \"My App\" archive"), ["xcodebuild", "-scheme", "My App", "archive"]);
        // A continued line (OsmAnd's workflow): the quoted name stays whole.
        assert_eq!(shell_words("          -scheme \"OsmAnd Maps\" \\"), ["-scheme", "OsmAnd Maps"]);
        // GitHub's expressions stay one word with their `$` (Bitwarden's `./${{ env._IOS_FOLDER_PATH }}/Info.plist`
        // was read as `}}/Info.plist`, a file the repository lacked).
        assert_eq!(
            shell_words("perl -pi -e 's/a/b/' ./${{ env._IOS_FOLDER_PATH }}/Info.plist ${{ secrets.X }}"),
            ["perl", "-pi", "-e", "s/a/b/", "./${{env._IOS_FOLDER_PATH}}/Info.plist", "${{secrets.X}}"]
        );
        assert_eq!(one_word_expressions("a ${{ b"), "a ${{ b", "an expression never closed is left as it is");
    }

    #[test]
    fn a_name_in_other_case_is_found_as_a_mac_would() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("Config")).unwrap();
        std::fs::write(dir.path().join("Config/Release.xcconfig"), "").unwrap();
        assert_eq!(crate::fsutil::find_ignoring_case(dir.path(), "config/release.XCCONFIG"), Some(dir.path().join("Config/Release.xcconfig")));
        assert_eq!(crate::fsutil::find_ignoring_case(dir.path(), "Config/Debug.xcconfig"), None);
    }

    /// DuckDuckGo for Mac: a step checks out another repository into `pir-fake-broker`, the next
    /// `cd`s into it, then into its `scripts`, and runs two of its scripts: not this
    /// repository's files. Without that checkout the same lines name two missing files.
    #[test]
    fn scripts_of_another_repository_reached_by_cd_are_not_missing() {
        let dir = tempfile::tempdir().unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let known = Known::collect(&ws);
        let checkout = "    - name: Check out the broker\n      uses: actions/checkout@v4\n      with:\n        repository: Org/fake-broker\n        path: fake-broker\n";
        let start = "    - name: Start it\n      run: |\n        cd fake-broker\n        cd scripts\n        ./install-prerequisites.sh\n        ./setup-ci.sh\n        xcodebuild test\n";
        let missing = |workflow: String| {
            let mut out = Vec::new();
            check_workflow(&ws, dir.path(), &dir.path().join(".github/workflows/e2e.yml"), &workflow, &known, &mut out);
            out.into_iter().filter(|f| f.id == "ci.workflow.file-missing").map(|f| f.message).collect::<Vec<_>>()
        };
        assert_eq!(missing(format!("jobs:\n  e2e:\n    steps:\n{checkout}{start}")), Vec::<String>::new());
        let without = missing(format!("jobs:\n  e2e:\n    steps:\n{start}"));
        assert_eq!(without.len(), 2, "{without:#?}");
        assert!(without[0].contains("`./install-prerequisites.sh`"), "{without:#?}");
    }

    /// aliasvault: the job's `defaults: run: working-directory: apps/mobile-app`, then a step that
    /// `cd ../../core` and runs `./build-and-distribute.sh`, which is `core/build-and-distribute.sh`.
    #[test]
    fn a_cd_up_from_the_working_directory_reaches_the_script() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("core")).unwrap();
        std::fs::create_dir_all(dir.path().join("apps/mobile-app")).unwrap();
        std::fs::write(dir.path().join("core/build-and-distribute.sh"), "#!/bin/sh\n").unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let known = Known::collect(&ws);
        let missing = |workflow: &str| {
            let mut out = Vec::new();
            check_workflow(&ws, dir.path(), &dir.path().join(".github/workflows/build.yml"), workflow, &known, &mut out);
            out.into_iter().filter(|f| f.id == "ci.workflow.file-missing").map(|f| f.message).collect::<Vec<_>>()
        };
        let job = |wd: &str| {
            format!("jobs:\n  setup:\n    defaults:\n      run:\n        working-directory: {wd}\n    steps:\n      - name: Build the core\n        run: |\n          cd ../../core\n          chmod +x build-and-distribute.sh\n          ./build-and-distribute.sh --android\n      - run: xcodebuild -version\n")
        };
        assert_eq!(missing(&job("apps/mobile-app")), Vec::<String>::new());
        // From another folder the same lines name a file that is not there.
        let elsewhere = missing(&job("apps"));
        assert!(elsewhere.iter().any(|m| m.contains("`./build-and-distribute.sh`")), "{elsewhere:#?}");
    }

    /// Runestone's UI tests edit the simulator's preferences in the runner's home
    /// (`find ~/Library/Preferences/com.apple.iphonesimulator.plist\` on a folded line), and a
    /// step may read a file of Xcode's own: neither is the repository's to hold.
    #[test]
    fn files_of_the_runners_home_or_system_are_not_missing() {
        let dir = tempfile::tempdir().unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let known = Known::collect(&ws);
        let missing = |run: &str| {
            let workflow = format!("jobs:\n  ui:\n    steps:\n      - name: Keyboard\n        run: >\n{run}\n");
            let mut out = Vec::new();
            check_workflow(&ws, dir.path(), &dir.path().join(".github/workflows/ui_tests.yml"), &workflow, &known, &mut out);
            out.into_iter().filter(|f| f.id == "ci.workflow.file-missing").map(|f| f.message).collect::<Vec<_>>()
        };
        assert!(missing("          find ~/Library/Preferences/com.apple.iphonesimulator.plist\\\n            -exec /usr/libexec/PlistBuddy -c \"Add :DevicePreferences dict\" {} \\;").is_empty());
        assert!(missing("          plutil -p /Applications/Xcode.app/Contents/Info.plist").is_empty());
        // The repository's own file, missing: still said.
        assert_eq!(missing("          plutil -p App/Settings.plist").len(), 1);
    }

    /// OpenHaystack archives with `-configuration release` where its project says `Release`: not
    /// a missing configuration, a name to write as the project does.
    #[test]
    fn a_configuration_in_other_letter_case_is_a_warning_not_missing() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        project(dir.path(), "App", &[("SDKROOT", "macosx")], &[T("App", APP, &[])]);
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let known = Known::collect(&ws);
        let workflow = "jobs:\n  a:\n    steps:\n      - run: xcodebuild archive -scheme App -configuration release\n      - run: xcodebuild archive -scheme App -configuration Staging\n";
        let mut out = Vec::new();
        check_workflow(&ws, dir.path(), &dir.path().join(".github/workflows/build.yml"), workflow, &known, &mut out);
        let case: Vec<&Finding> = out.iter().filter(|f| f.id == "ci.workflow.name-case").collect();
        assert_eq!(case.len(), 1, "{out:#?}");
        assert!(case[0].message.contains("`release`; the project's configuration is `Release`"), "{}", case[0].message);
        assert_eq!(case[0].line, Some(4));
        let missing: Vec<&Finding> = out.iter().filter(|f| f.id == "ci.workflow.configuration-missing").collect();
        assert_eq!(missing.len(), 1, "{out:#?}");
        assert!(missing[0].message.contains("`Staging`"), "{}", missing[0].message);
    }

    #[test]
    fn step_names_and_shell_assignments_are_read_as_the_shell_reads_them() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("App/Resources")).unwrap();
        std::fs::write(dir.path().join("App/Resources/Info.plist"), "<plist version=\"1.0\"><dict/></plist>").unwrap();
        project(dir.path(), "App", &[("SDKROOT", "macosx")], &[T("App", APP, &[("INFOPLIST_FILE", "App/Resources/Info.plist")])]);
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let known = Known::collect(&ws);
        assert!(known.schemes.contains(&"App".to_string()), "xcodebuild's own scheme for the target: {:?}", known.schemes);
        let workflow = "      - name: Update Info.plist version\n        run: |\n          PLIST=\"App/Resources/Info.plist\"\n          /usr/libexec/PlistBuddy -c \"Set :CFBundleVersion 2\" \"$PLIST\"\n          xcodebuild -scheme App archive\n          cp Missing/Other.plist /tmp/x\n";
        let mut out = Vec::new();
        check_workflow(&ws, dir.path(), &dir.path().join(".github/workflows/release.yml"), workflow, &known, &mut out);
        let missing: Vec<&str> = out.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(missing.len(), 1, "{missing:#?}");
        assert!(missing[0].contains("`Missing/Other.plist`"), "{missing:#?}");
    }

    #[test]
    fn a_swift_packages_products_are_schemes_xcodebuild_makes() {
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        project(dir.path(), "App", &[("SDKROOT", "iphoneos")], &[T("App", APP, &[])]);
        // A design-system package beside the app, tested in its own folder (element-x-ios's
        // compound-ios, `xcodebuild test -scheme 'Compound'`).
        std::fs::create_dir_all(dir.path().join("kit")).unwrap();
        std::fs::write(
            dir.path().join("kit/Package.swift"),
            "// swift-tools-version: 5.9\nlet package = Package(\n    name: \"compound-kit\",\n    products: [\n        .library(name: \"Compound\", targets: [\"Compound\"]),\n    ],\n    targets: [\n        .target(name: \"Compound\"),\n        .testTarget(name: \"CompoundTests\", dependencies: [\"Compound\"]),\n    ]\n)\n",
        )
        .unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let known = Known::collect(&ws);
        let workflow = "      - name: Run tests\n        working-directory: kit\n        run: xcodebuild test -scheme 'Compound' -sdk iphonesimulator\n      - run: xcodebuild test -scheme compound-kit-Package\n      - run: xcodebuild test -scheme Compund\n";
        let mut out = Vec::new();
        check_workflow(&ws, dir.path(), &dir.path().join(".github/workflows/kit.yml"), workflow, &known, &mut out);
        let missing: Vec<(&str, &str)> = out.iter().map(|f| (f.id.as_str(), f.message.as_str())).collect();
        assert_eq!(missing.len(), 1, "{missing:#?}");
        assert_eq!(missing[0].0, "ci.workflow.scheme-missing");
        assert!(missing[0].1.contains("`Compund`"), "{missing:#?}");
    }

    #[test]
    fn a_working_directory_named_by_the_workflows_env_is_a_folder_its_paths_are_read_from() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("app-apple/ci")).unwrap();
        std::fs::write(dir.path().join("app-apple/ci/archive.sh"), "#!/bin/sh\n").unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let known = Known::collect(&ws);
        // Passepartout's release.yml: the folder in the workflow's env, the steps in it.
        let workflow = "env:\n  APPLE_ROOT: app-apple\njobs:\n  a:\n    steps:\n      - working-directory: ${{ env.APPLE_ROOT }}\n        run: |\n          ci/archive.sh\n          ci/export.sh\n";
        let mut out = Vec::new();
        check_workflow(&ws, dir.path(), &dir.path().join(".github/workflows/release.yml"), workflow, &known, &mut out);
        let missing: Vec<&str> = out.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(missing.len(), 1, "{missing:#?}");
        assert!(missing[0].contains("`ci/export.sh`"), "{missing:#?}");
        assert_eq!(env_expression("${{env.APPLE_ROOT}}/x", &[("APPLE_ROOT".into(), "app-apple".into())]), "app-apple/x");
        assert_eq!(env_expression("${{env.OTHER}}", &[("APPLE_ROOT".into(), "app-apple".into())]), "${{env.OTHER}}", "a name the workflow does not give stays");
    }

    #[test]
    fn an_actions_folder_input_and_a_path_from_a_folder_down_are_read_where_they_are() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("Monal/Monal.xcworkspace")).unwrap();
        std::fs::create_dir_all(dir.path().join("scripts/exportOptions")).unwrap();
        std::fs::write(dir.path().join("scripts/exportOptions/Stable.plist"), "").unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let known = Known::collect(&ws);
        // Monal's workflows: an action given `directory:` and `workspace:`; an ExportOptions path
        // written from the Monal/ folder its build script works in.
        let workflow = "jobs:\n  a:\n    env:\n      EXPORT_OPTIONS_IOS: \"../scripts/exportOptions/Stable.plist\"\n      OTHER: \"../scripts/exportOptions/Gone.plist\"\n    steps:\n      - uses: monal-im/action-xcodeproj-spm-update@main\n        with:\n          directory: Monal\n          workspace: Monal.xcworkspace\n          other: Elsewhere.xcworkspace\n";
        let mut out = Vec::new();
        check_workflow(&ws, dir.path(), &dir.path().join(".github/workflows/stable.yml"), workflow, &known, &mut out);
        let missing: Vec<&str> = out.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(missing.len(), 2, "{missing:#?}");
        assert!(missing[0].contains("`../scripts/exportOptions/Gone.plist`") && missing[1].contains("`Elsewhere.xcworkspace`"), "{missing:#?}");
    }

    #[test]
    fn a_generated_project_is_not_checked_before_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("project.yml"), "name: Reader\n").unwrap();
        let ws = crate::Workspace::open(dir.path()).unwrap();
        let known = Known::collect(&ws);
        assert!(known.generated);
        let workflow = "      - run: xcodegen generate\n      - run: xcodebuild test -scheme Reader -configuration Debug -project Reader.xcodeproj\n      - run: cp Missing/Other.plist /tmp/x\n";
        let mut out = Vec::new();
        check_workflow(&ws, dir.path(), &dir.path().join(".github/workflows/ci.yml"), workflow, &known, &mut out);
        let ids: Vec<(&str, &str)> = out.iter().map(|f| (f.id.as_str(), f.message.as_str())).collect();
        assert_eq!(ids.len(), 1, "only the missing file: {ids:#?}");
        assert!(ids[0].1.contains("`Missing/Other.plist`"), "{ids:#?}");
        // The workspace says what to run.
        let mut out = Vec::new();
        crate::checks::workspace::check(&ws, &mut out);
        let f = out.iter().find(|f| f.id == "workspace.project.generated").expect("the generated-project blocker");
        assert_eq!(f.help.as_deref(), Some("Run `xcodegen generate` in the workspace folder, then check again."));
        // A setup script that runs it is named first (element-ios's setup_project.sh).
        std::fs::write(dir.path().join("setup_project.sh"), "#!/bin/bash\n# Use xcodegen\nrm -r App.xcodeproj\nxcodegen\npod install\n").unwrap();
        let mut out = Vec::new();
        crate::checks::workspace::check(&ws, &mut out);
        let f = out.iter().find(|f| f.id == "workspace.project.generated").unwrap();
        assert_eq!(f.help.as_deref(), Some("Run `./setup_project.sh` (it runs xcodegen), or `xcodegen generate` in the workspace folder, then check again."));
        assert!(!out.iter().any(|f| f.id == "workspace.project.none" || f.id == "workspace.xcconfig.none"), "{out:#?}");
        // Nothing to write into a shipdeck.toml yet: the blocker says it all.
        assert!(!out.iter().any(|f| f.id == "workspace.config.discovered"), "{out:#?}");
    }

    /// An Expo app keeping no ios/ folder in git (continuous native generation): its app.json
    /// is what `npx expo prebuild` makes the project from.
    #[test]
    fn an_expo_app_without_ios_is_generated_by_prebuild() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("apps/mobile")).unwrap();
        std::fs::write(root.join("apps/mobile/app.json"), "{\"expo\": {\"name\": \"Intuition\"}}\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let found = |ws: &crate::Workspace| {
            let mut out = Vec::new();
            crate::checks::workspace::check(ws, &mut out);
            out.into_iter().filter(|f| f.id.starts_with("workspace.project.")).collect::<Vec<_>>()
        };
        assert_eq!(found(&ws)[0].id, "workspace.project.none", "without expo in package.json, app.json is not Expo's");
        std::fs::write(root.join("apps/mobile/package.json"), "{\"dependencies\": {\"expo\": \"~54.0.8\"}}\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let f = &found(&ws)[0];
        assert_eq!(f.id, "workspace.project.generated");
        assert_eq!(f.subject, "apps/mobile/app.json");
        assert_eq!(f.help.as_deref(), Some("Run `npm install`, then `npx expo prebuild --platform ios` in apps/mobile (it writes ios/ and installs its pods), then check again."));
    }

    /// Infomaniak Mail: Tuist's Project.swift with dependencies in Tuist/Package.swift, which
    /// `tuist install` fetches before `tuist generate`; Xcode Cloud's ci_post_clone.sh runs both.
    #[test]
    fn a_tuist_project_with_dependencies_installs_them_first() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("Project.swift"), "import ProjectDescription\nlet project = Project(name: \"Mail\")\n").unwrap();
        std::fs::create_dir_all(root.join("Tuist")).unwrap();
        let help = || {
            let ws = crate::Workspace::open(root).unwrap();
            let mut out = Vec::new();
            crate::checks::workspace::check(&ws, &mut out);
            out.into_iter().find(|f| f.id == "workspace.project.generated").and_then(|f| f.help).unwrap_or_default()
        };
        assert_eq!(help(), "Run `tuist generate` in the workspace folder, then check again.");
        std::fs::write(root.join("Tuist/Package.swift"), "// swift-tools-version: 5.9\n").unwrap();
        assert_eq!(help(), "Run `tuist install && tuist generate` in the workspace folder, then check again.");
        std::fs::create_dir_all(root.join("ci_scripts")).unwrap();
        std::fs::write(root.join("ci_scripts/ci_post_clone.sh"), "#!/bin/sh\ncd ..\ntuist install\ntuist generate --no-open\n").unwrap();
        assert_eq!(help(), "Run `tuist install && tuist generate` in the workspace folder (as Xcode Cloud's ci_scripts/ci_post_clone.sh does), then check again.");
    }

    /// OsmAnd: the release scheme is a shared scheme of the .xcworkspace, not of a project.
    #[test]
    fn a_workspaces_own_shared_scheme_is_known() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::discover::fixture::project(root, "OsmAnd", &[("SDKROOT", "iphoneos")], &[crate::discover::fixture::T("OsmAnd Maps", crate::discover::fixture::APP, &[])]);
        std::fs::create_dir_all(root.join("OsmAnd.xcworkspace/xcshareddata/xcschemes")).unwrap();
        std::fs::write(
            root.join("OsmAnd.xcworkspace/contents.xcworkspacedata"),
            "<?xml version=\"1.0\"?>\n<Workspace version = \"1.0\">\n<FileRef location = \"group:OsmAnd.xcodeproj\"></FileRef>\n</Workspace>\n",
        )
        .unwrap();
        std::fs::write(root.join("OsmAnd.xcworkspace/xcshareddata/xcschemes/OsmAnd Maps Release.xcscheme"), "<Scheme></Scheme>\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let known = Known::collect(&ws);
        assert!(known.schemes.iter().any(|s| s == "OsmAnd Maps Release"), "{:?}", known.schemes);
        let mut out = Vec::new();
        check_workflow(&ws, root, &root.join(".github/workflows/b.yml"), "      - run: xcodebuild -workspace OsmAnd.xcworkspace -scheme \"OsmAnd Maps Release\" archive\n", &known, &mut out);
        assert!(out.is_empty(), "{out:#?}");
    }

    /// OpenEmu: a workflow checks out the submodules and builds the XADMaster scheme of a
    /// submodule's project, absent here until checked out.
    #[test]
    fn a_scheme_of_a_submodule_the_workflow_checks_out_is_not_missing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::discover::fixture::project(root, "App", &[("SDKROOT", "macosx")], &[crate::discover::fixture::T("App", crate::discover::fixture::APP, &[])]);
        std::fs::write(root.join(".gitmodules"), "[submodule \"XADMaster\"]\n\tpath = Vendor/XADMaster\n\turl = https://example.com/x.git\n").unwrap();
        std::fs::create_dir_all(root.join("Vendor/XADMaster")).unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let known = Known::collect(&ws);
        let run = |workflow: &str| {
            let mut out = Vec::new();
            check_workflow(&ws, root, &root.join(".github/workflows/x.yml"), workflow, &known, &mut out);
            out.into_iter().map(|f| f.id).collect::<Vec<_>>()
        };
        let build = "      - run: xcodebuild -project Vendor/XADMaster/XADMaster.xcodeproj -scheme XADMaster -configuration Release\n";
        assert!(run(&format!("      - uses: actions/checkout@v4\n        with:\n          submodules: recursive\n{build}")).is_empty());
        assert_eq!(run(build), ["ci.workflow.file-missing", "ci.workflow.scheme-missing"], "without the submodules the project and its scheme are nowhere");
    }

    /// Bitwarden Authenticator: the spec is `project-bwa.yml`, generated by
    /// `Scripts-bwa/bootstrap.sh` with `xcodegen --spec`.
    #[test]
    fn a_spec_of_another_name_and_its_script_in_a_scripts_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("project-bwa.yml"), "name: Authenticator\ntargets:\n  Authenticator:\n    type: application\n").unwrap();
        // A YAML file named project-something that is not a spec is not one.
        std::fs::write(root.join("project-notes.yml"), "owners: []\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        assert!(Known::collect(&ws).generated);
        let help = || {
            let mut out = Vec::new();
            crate::checks::workspace::check(&ws, &mut out);
            out.into_iter().find(|f| f.id == "workspace.project.generated").and_then(|f| f.help).unwrap_or_default()
        };
        assert_eq!(help(), "Run `xcodegen generate --spec project-bwa.yml` in the workspace folder, then check again.");
        std::fs::create_dir_all(root.join("Scripts-bwa")).unwrap();
        std::fs::write(root.join("Scripts-bwa/bootstrap.sh"), "#!/bin/bash\nmint run xcodegen --spec \"$repo_root/project-bwa.yml\"\n").unwrap();
        assert_eq!(help(), "Run `./Scripts-bwa/bootstrap.sh` (it runs xcodegen), or `xcodegen generate --spec project-bwa.yml` in the workspace folder, then check again.");
        std::fs::remove_file(root.join("project-bwa.yml")).unwrap();
        assert!(!Known::collect(&crate::Workspace::open(root).unwrap()).generated, "project-notes.yml is not a spec");
    }

    #[test]
    fn cd_find_patterns_ignored_files_and_other_platforms_workflows() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::discover::fixture::project(root, "App", &[("SDKROOT", "iphoneos")], &[crate::discover::fixture::T("App", crate::discover::fixture::APP, &[])]);
        std::fs::create_dir_all(root.join("detox/maestro")).unwrap();
        std::fs::write(root.join("detox/create_emulator.sh"), "").unwrap();
        std::fs::write(root.join(".gitignore"), "# local env\ndetox/maestro/.maestro-test-env*.sh\n*.log\nbuild/\n").unwrap();
        let ws = crate::Workspace::open(root).unwrap();
        let known = Known::collect(&ws);
        // Mattermost's: a script that `cd`s first, a file `find -name` looks for, a file git
        // ignores because a setup step writes it.
        let workflow = "jobs:\n  e2e:\n    runs-on: macos-15\n    steps:\n      - run: |\n          cd detox\n          ./create_emulator.sh\n          find . -name \".metadata.plist\"\n          source detox/maestro/.maestro-test-env.sh\n          cat build/out.plist\n          cat Missing/Other.plist\n";
        let mut out = Vec::new();
        check_workflow(&ws, root, &root.join(".github/workflows/e2e.yml"), workflow, &known, &mut out);
        let missing: Vec<&str> = out.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(missing.len(), 1, "{missing:#?}");
        assert!(missing[0].contains("`Missing/Other.plist`"), "{missing:#?}");
        assert!(git_ignores(root, "./detox/maestro/.maestro-test-env.sh") && git_ignores(root, "a/b.log") && git_ignores(root, "build/x/y.plist"));
        assert!(!git_ignores(root, "detox/create_emulator.sh"));
        // A workflow that builds nothing for Apple's platforms is left alone.
        assert!(!builds_for_apple("jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./gradlew assemble\n"));
        assert!(builds_for_apple(workflow));
    }
}
