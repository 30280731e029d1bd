//! Every place that names the CloudKit container for the release, with its file and line,
//! and the fix that aligns the editable ones on one id.

use crate::change::{fingerprint, FileChange};
use crate::error::{Error, Result};
use crate::fsutil::{self, ReadFile};
use crate::settings::Settings;
use crate::workspace::Workspace;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fix that aligns every editable place on `container`.
pub fn align_fix(container: &str) -> crate::finding::Fix {
    crate::finding::Fix::new("cloudkit.align-container", format!("Align on {container}"), serde_json::json!({ "to": container }))
}

/// How a place can be rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PlaceEdit {
    /// The value of `key` (with these conditions) in an xcconfig.
    Xcconfig { key: String, conditions: Vec<(String, String)> },
    /// A `<string>` of a property list, written literally.
    PlistString { raw: String },
    /// `container = "..."` in shipdeck.toml.
    Toml { raw: String },
    /// A string literal `"raw"` in the app's code.
    Code { raw: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// What this place is, in the user's words.
    pub source: String,
    /// The container id it names (build setting references expanded).
    pub value: String,
    pub file: PathBuf,
    pub line: Option<usize>,
    /// `None`: it follows another place (a `$(SETTING)` reference), or it cannot be edited.
    pub edit: Option<PlaceEdit>,
    /// Another container the app uses besides the release's, listed beside it in the same
    /// entitlements array (a legacy container kept while data moves): not a second name for it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub also: bool,
}

impl Place {
    /// A literal in the app's code, not a file that configures the build.
    pub fn in_code(&self) -> bool {
        matches!(self.edit, Some(PlaceEdit::Code { .. }))
    }
}

/// Strings of a plist under `key` (a string or an array of strings).
fn plist_strings(dict: &plist::Dictionary, key: &str) -> Vec<String> {
    match dict.get(key) {
        Some(plist::Value::String(s)) => vec![s.clone()],
        Some(plist::Value::Array(a)) => a.iter().filter_map(|v| v.as_string().map(String::from)).collect(),
        _ => vec![],
    }
}

fn plist_places(source: &str, path: &Path, keys: &[&str], any_icloud: bool, settings: &Settings, out: &mut Vec<Place>) {
    let Some(file) = crate::plist_file::PlistFile::read(path) else { return };
    let dict = &file.dict;
    let mut raws: Vec<String> = keys.iter().flat_map(|k| plist_strings(dict, k)).collect();
    if any_icloud {
        for (_, v) in dict.iter() {
            if let Some(s) = v.as_string() {
                if s.starts_with("iCloud.") || s.contains("CLOUDKIT_CONTAINER") {
                    raws.push(s.to_string());
                }
            }
        }
    }
    for raw in raws {
        // As Xcode signs it: `iCloud.$(CFBundleIdentifier)` (WWDC's) is the bundle id's container.
        let value = crate::discover::resolve_value(&raw, settings);
        if !value.starts_with("iCloud.") && !raw.starts_with("iCloud.") {
            continue;
        }
        let literal = !raw.contains('$');
        out.push(Place {
            also: false,
            source: source.to_string(),
            value,
            file: path.to_path_buf(),
            line: file.line_of(&format!("<string>{raw}</string>")),
            edit: literal.then(|| PlaceEdit::PlistString { raw: raw.clone() }),
        });
    }
}

/// Every place naming the container, in a stable order.
pub fn places(ws: &Workspace) -> Vec<Place> {
    let mut out = Vec::new();
    let Some(ck) = &ws.config.cloudkit else { return out };
    if let Some(cfg) = &ws.config_path {
        let text = std::fs::read_to_string(cfg).unwrap_or_default();
        let needle = format!("\"{}\"", ck.container);
        out.push(Place {
            also: false,
            source: "shipdeck.toml [cloudkit] container (used by the deploy)".into(),
            value: ck.container.clone(),
            file: cfg.clone(),
            line: text.lines().position(|l| l.contains(&needle)).map(|i| i + 1),
            edit: Some(PlaceEdit::Toml { raw: ck.container.clone() }),
        });
    }
    for t in &ws.config.targets {
        let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
        let platform = t.platform.display();
        if let Some(setting) = &ck.setting {
            if let Some(v) = settings.get(setting) {
                let conditions = conditions_at(&v.file, v.line, setting);
                let editable = v.file.extension().is_some_and(|e| e == "xcconfig");
                out.push(Place {
                    also: false,
                    source: format!("{setting} in the {} build ({platform})", ws.configuration()),
                    value: v.value.clone(),
                    file: v.file.clone(),
                    line: Some(v.line),
                    edit: editable.then(|| PlaceEdit::Xcconfig { key: setting.clone(), conditions }),
                });
            }
        }
        if let Some(e) = &t.entitlements {
            plist_places(
                &format!("{platform} entitlements"),
                &ws.path(e),
                &["com.apple.developer.icloud-container-identifiers", "com.apple.developer.icloud-container-development-container-identifiers"],
                false,
                &settings,
                &mut out,
            );
        }
        if let Some(i) = &t.info_plist {
            plist_places(&format!("{platform} Info.plist"), &ws.path(i), &[], true, &settings, &mut out);
        }
        if let Some(x) = &t.export_options {
            plist_places("ExportOptions", &ws.path(x), &[], true, &settings, &mut out);
        }
    }
    // A generated project that is not here yet: the repository's entitlements files and the
    // spec name the container (Dispatch's project.yml and App/Dispatch.entitlements).
    if ws.config.targets.is_empty() {
        let (entitlements, spec_ids) = crate::discover::ungenerated_container_sources(ws.tree());
        let none = Settings::default();
        for e in entitlements {
            let label = format!("entitlements ({})", e.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            plist_places(&label, &e, &["com.apple.developer.icloud-container-identifiers", "com.apple.developer.icloud-container-development-container-identifiers"], false, &none, &mut out);
        }
        for (id, spec, line) in spec_ids {
            let label = format!("{} (the project generator's spec)", spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            out.push(Place { also: false, source: label, value: id, file: spec, line: Some(line), edit: None });
        }
    }
    // The provisioning profile that will sign each target allows these containers.
    let extra = ws.profile_dirs();
    let (profiles, _) = crate::signing::profile::scan(&crate::signing::profile::folders(&extra));
    let now = crate::signing::now();
    for t in &ws.config.targets {
        let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
        let Some(bundle) = settings.value("PRODUCT_BUNDLE_IDENTIFIER") else { continue };
        let specifier = settings.value("PROVISIONING_PROFILE_SPECIFIER");
        let best = profiles
            .iter()
            .filter(|p| p.for_platform(t.platform) && p.covers(bundle) && p.expires > now && p.kind == crate::signing::ProfileKind::AppStore)
            .filter(|p| specifier.is_none_or(|s| p.name == s || p.uuid == s))
            .max_by_key(|p| p.created);
        if let Some(p) = best {
            for c in p.containers() {
                out.push(Place { also: false, source: format!("profile `{}` ({})", p.name, t.platform.display()), value: c, file: p.path.clone(), line: None, edit: None });
            }
        }
    }
    // The app's code: a container it asks for by name must be one its entitlements grant.
    // A sample or demo app's code names its own container (`iCloud.com.example.…`): not the
    // release's, unless the release is that sample (sqlite-data's apps live in Examples/).
    let sample_dir = |file: &Path| -> Option<PathBuf> {
        let rel = file.strip_prefix(&ws.root).ok()?;
        let mut acc = PathBuf::new();
        for c in rel.components() {
            acc.push(c);
            let n = c.as_os_str().to_string_lossy().to_ascii_lowercase();
            if ["example", "examples", "sample", "samples", "demo", "demos"].contains(&n.as_str()) {
                return Some(acc);
            }
        }
        None
    };
    let in_release = |dir: &Path| ws.config.targets.iter().any(|t| t.project.starts_with(dir));
    let repo = crate::ci::repo_root(ws);
    let submodules: Vec<PathBuf> = crate::ci::git_submodules(&repo).into_iter().map(|m| repo.join(m)).collect();
    for l in crate::cloudkit::code::literals(ws.tree(), &submodules).into_iter().filter(|l| sample_dir(&l.file).is_none_or(|d| in_release(&d))) {
        let language = if l.file.extension().is_some_and(|e| e == "swift") { "Swift" } else { "Objective-C" };
        out.push(Place { also: false, source: format!("{language} code"), value: l.id.clone(), file: l.file, line: Some(l.line), edit: Some(PlaceEdit::Code { raw: l.id }) });
    }
    // An entitlements array that lists the release's container with others: the others are
    // containers the app also uses, not other names for the release's.
    let files_naming_it: Vec<(PathBuf, Option<usize>)> = out.iter().filter(|p| p.value == ck.container && p.source.contains("entitlements")).map(|p| (p.file.clone(), p.line)).collect();
    for p in out.iter_mut().filter(|p| p.value != ck.container && p.source.contains("entitlements")) {
        // The same array: the same file, within a few lines of the release's id.
        p.also = files_naming_it.iter().any(|(f, l)| *f == p.file && l.zip(p.line).is_some_and(|(a, b)| a.abs_diff(b) <= 4));
    }
    // A file shared by targets names the container once, said for each platform that reads it
    // (Yattee's iOS and tvOS apps share one entitlements file: "tvOS and iOS entitlements").
    let mut merged: Vec<(Place, Vec<String>, String)> = Vec::new();
    for p in out {
        let (platform, rest) = split_platform(&p.source);
        match merged.iter_mut().find(|(m, _, _)| m.file == p.file && m.line == p.line && m.value == p.value) {
            Some((_, platforms, what)) if platform.is_some() && *what == rest => {
                let platform = platform.unwrap_or_default();
                if !platforms.contains(&platform) {
                    platforms.push(platform);
                }
            }
            Some(_) => {}
            None => merged.push((p, platform.into_iter().collect(), rest)),
        }
    }
    merged
        .into_iter()
        .map(|(mut p, platforms, rest)| {
            if platforms.len() > 1 {
                p.source = format!("{} {rest}", crate::text::and_list(&platforms.iter().map(String::as_str).collect::<Vec<_>>()));
            }
            p
        })
        .collect()
}

/// "tvOS entitlements" into its platform and the rest ("entitlements"); no platform for other
/// sources.
fn split_platform(source: &str) -> (Option<String>, String) {
    for p in crate::workspace::Platform::ALL {
        if let Some(rest) = source.strip_prefix(p.display()).and_then(|r| r.strip_prefix(' ')) {
            return (Some(p.display().to_string()), rest.to_string());
        }
    }
    (None, source.to_string())
}

fn conditions_at(file: &Path, line: usize, key: &str) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(file) else { return vec![] };
    let doc = crate::xcconfig::Document::parse(&text);
    let found = doc.assignments().find(|(l, a)| l.number == line && a.name == key).map(|(_, a)| a.conditions.clone());
    found.unwrap_or_default()
}

/// The places as the checks and the CloudKit screen judge them.
pub struct Judged<'a> {
    /// The build's own places for the release's container (entitlements, settings,
    /// shipdeck.toml, profiles; not another container an entitlements array lists beside it):
    /// they must name one id.
    pub release: Vec<Place>,
    /// The distinct ids of `release`.
    pub release_ids: Vec<String>,
    /// The code's literals naming a container nothing grants (not the build, not another app of
    /// the repository in its own entitlements): CloudKit refuses them when the app runs.
    pub stray: Vec<&'a Place>,
}

pub fn judge<'a>(ws: &Workspace, places: &'a [Place]) -> Judged<'a> {
    let granted = distinct(&places.iter().filter(|p| !p.in_code()).cloned().collect::<Vec<_>>());
    let release: Vec<Place> = places.iter().filter(|p| !p.in_code() && !p.also).cloned().collect();
    let release_ids = distinct(&release);
    let ungranted: Vec<&Place> = places.iter().filter(|p| p.in_code() && !granted.contains(&p.value)).collect();
    // Read only when the code names something the build does not.
    let others = if ungranted.is_empty() { Default::default() } else { other_apps_containers(ws) };
    let stray = ungranted.into_iter().filter(|p| !others.contains(&p.value)).collect();
    Judged { release, release_ids, stray }
}

/// The containers the entitlements files of the repository's other apps name (not the release
/// targets' files): a literal in the code naming one of them is that app's, not a typo of the
/// release's, and is neither warned of nor aligned.
pub fn other_apps_containers(ws: &Workspace) -> std::collections::BTreeSet<String> {
    let keys = ["com.apple.developer.icloud-container-identifiers", "com.apple.developer.icloud-container-development-container-identifiers"];
    let release: Vec<PathBuf> = ws.config.targets.iter().filter_map(|t| t.entitlements.as_ref().map(|e| ws.path(e))).collect();
    ws.scan()
        .entitlements
        .iter()
        .filter(|e| !release.iter().any(|r| crate::fsutil::same_file(r, e)))
        .filter_map(|e| crate::plist_file::PlistFile::read(e))
        .flat_map(|f| keys.iter().flat_map(|k| plist_strings(&f.dict, k)).collect::<Vec<_>>())
        .collect()
}

/// The distinct container ids the places name.
pub fn distinct(places: &[Place]) -> Vec<String> {
    let mut v: Vec<String> = places.iter().map(|p| p.value.clone()).collect();
    v.sort();
    v.dedup();
    v
}

/// The id to align the places on, and why. shipdeck.toml's container, unless more places
/// agree on another id: then shipdeck.toml is in the minority (likely the typo), and spreading
/// its id to every file would be the wrong fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggested {
    pub to: String,
    /// How many places name `to`, of how many.
    pub named_by: usize,
    pub of: usize,
    /// True when `to` is not shipdeck.toml's container.
    pub against_config: bool,
}

pub fn suggested(config: &str, places: &[Place]) -> Suggested {
    let count = |id: &str| places.iter().filter(|p| p.value == id).count();
    let ids = distinct(places);
    let majority = ids.iter().max_by_key(|id| (count(id), *id == config)).filter(|id| count(id) > count(config));
    let to = majority.cloned().unwrap_or_else(|| config.to_string());
    Suggested { named_by: count(&to), of: places.len(), against_config: to != config, to }
}

/// The changes that make every editable place name `to`; nothing is written.
pub fn preview_align(ws: &Workspace, to: &str) -> Result<Vec<FileChange>> {
    // A container id is `iCloud.` and a bundle-like id: letters, digits, `.` and `-` only, so
    // it can stand in an XML string, a TOML string and an xcconfig value as it is.
    let rest = to.strip_prefix("iCloud.").unwrap_or("");
    let bundle_like = !rest.is_empty() && !rest.starts_with('.') && !rest.ends_with('.') && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !bundle_like {
        return Err(Error::Invalid(format!("`{to}` is not a CloudKit container id (iCloud. then letters, digits, dots and hyphens); nothing was changed")));
    }
    let mut by_file: BTreeMap<PathBuf, Vec<Place>> = BTreeMap::new();
    let all = places(ws);
    // Another container the app uses is left as it is, where it is listed and where the code
    // names it; so is another app's, in that app's code.
    let mut others: Vec<String> = all.iter().filter(|p| p.also).map(|p| p.value.clone()).collect();
    others.extend(other_apps_containers(ws));
    for p in all {
        if p.value != to && p.edit.is_some() && !p.also && !(p.in_code() && others.contains(&p.value)) {
            by_file.entry(p.file.clone()).or_default().push(p);
        }
    }
    let mut changes = Vec::new();
    for (file, places) in by_file {
        let read = ReadFile::read(&file)?;
        let mut text = read.text()?.to_string();
        for p in places {
            text = match p.edit {
                Some(PlaceEdit::Xcconfig { key, conditions }) => crate::xcconfig::Document::parse(&text).set(&key, &conditions, to).unwrap_or(text),
                Some(PlaceEdit::PlistString { raw }) => replace_on_line(&text, p.line, &format!("<string>{raw}</string>"), &format!("<string>{to}</string>")),
                Some(PlaceEdit::Toml { raw } | PlaceEdit::Code { raw }) => replace_on_line(&text, p.line, &format!("\"{raw}\""), &format!("\"{to}\"")),
                None => text,
            };
        }
        // Each file must still read as its format, with the new id in it: checked, not assumed.
        let reads_back = match file.extension().and_then(|e| e.to_str()) {
            Some("plist" | "entitlements") => plist::Value::from_reader_xml(text.as_bytes()).map(|_| ()).map_err(|e| crate::plist_file::error_text(&e)),
            Some("toml") => toml::from_str::<toml::Value>(&text).map(|_| ()).map_err(|e| e.to_string()),
            _ => Ok(()),
        };
        if let Err(e) = reads_back {
            return Err(Error::Io { path: file.clone(), message: format!("would no longer read after the change ({e}); nothing was changed") });
        }
        let label = ws.display_path(&file);
        changes.push(FileChange { diff: fsutil::unified_diff(&label, read.text()?, &text), path: file, fingerprint: fingerprint(&read.bytes), new: text, create: false });
    }
    changes.retain(|c| !c.diff.is_empty());
    Ok(changes)
}

/// Replaces `from` with `to` on one line (1-based) of a text, keeping every other byte.
fn replace_on_line(text: &str, line: Option<usize>, from: &str, to: &str) -> String {
    let Some(n) = line else { return text.to_string() };
    let mut out = String::with_capacity(text.len() + to.len());
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == n {
            out.push_str(&l.replacen(from, to, 1));
        } else {
            out.push_str(l);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_on_one_line_only() {
        let t = "a <string>x</string>\nb <string>x</string>\n";
        assert_eq!(replace_on_line(t, Some(2), "<string>x</string>", "<string>y</string>"), "a <string>x</string>\nb <string>y</string>\n");
    }

    #[test]
    fn the_sample_names_one_container_everywhere() {
        let ws = Workspace::open(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry")).unwrap();
        let p = places(&ws);
        assert_eq!(distinct(&p), ["iCloud.com.mshaler.isometry"]);
        let sources: Vec<&str> = p.iter().map(|p| p.source.as_str()).collect();
        assert!(sources.iter().any(|s| s.starts_with("shipdeck.toml")));
        assert!(sources.iter().any(|s| s.starts_with("CLOUDKIT_CONTAINER_IDENTIFIER")));
        assert!(sources.contains(&"iOS entitlements") && sources.contains(&"macOS entitlements"));
        assert!(p.iter().filter(|p| !p.source.starts_with("profile")).all(|p| p.line.is_some()), "{p:#?}");
    }

    /// Yattee: one scheme ships iOS and tvOS from one target and one entitlements file; the file
    /// is one place, said for both platforms.
    #[test]
    fn a_file_two_platforms_share_is_one_place_named_for_both() {
        let ws = Workspace::open(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry")).unwrap();
        let mut ws2 = ws.clone();
        // The macOS target reads the iOS target's entitlements too.
        let ios = ws2.config.targets.iter().find(|t| t.platform == crate::workspace::Platform::Ios).unwrap().entitlements.clone();
        for t in ws2.config.targets.iter_mut() {
            t.entitlements = ios.clone();
        }
        let p = places(&ws2);
        let sources: Vec<&str> = p.iter().map(|p| p.source.as_str()).collect();
        assert!(sources.contains(&"iOS and macOS entitlements"), "{sources:?}");
        assert!(!sources.contains(&"macOS entitlements"), "{sources:?}");
        assert_eq!(split_platform("Mac Catalyst Info.plist"), (Some("Mac Catalyst".to_string()), "Info.plist".to_string()));
        assert_eq!(split_platform("ExportOptions"), (None, "ExportOptions".to_string()));
    }

    #[test]
    fn a_container_named_after_the_bundle_id_is_read_as_xcode_signs_it() {
        // WWDC's entitlements: `iCloud.$(CFBundleIdentifier)`.
        use crate::discover::fixture::{project, APP, T};
        let dir = tempfile::tempdir().unwrap();
        let ent = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>com.apple.developer.icloud-container-identifiers</key>\n\t<array>\n\t\t<string>iCloud.$(CFBundleIdentifier)</string>\n\t</array>\n\t<key>com.apple.developer.icloud-services</key>\n\t<array>\n\t\t<string>CloudKit</string>\n\t</array>\n</dict>\n</plist>\n";
        std::fs::write(dir.path().join("App.entitlements"), ent).unwrap();
        project(dir.path(), "App", &[("SDKROOT", "macosx")], &[T("App", APP, &[("PRODUCT_BUNDLE_IDENTIFIER", "io.example.app"), ("CODE_SIGN_ENTITLEMENTS", "App.entitlements")])]);
        let ws = Workspace::open(dir.path()).unwrap();
        let p = places(&ws);
        assert_eq!(distinct(&p), ["iCloud.io.example.app"], "{p:#?}");
        assert_eq!(p[0].line, Some(6));
        assert!(p[0].edit.is_none(), "a reference is not rewritten by the align fix");
    }

    #[test]
    fn an_id_that_would_break_a_file_is_refused() {
        let ws = crate::Workspace::open(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry")).unwrap();
        for bad in ["iCloud.com.x</string><key>evil</key><string>", "iCloud.com.x\"\nevil = 1", "iCloud.", "iCloud.a b", "com.example.app"] {
            let err = preview_align(&ws, bad).unwrap_err().to_string();
            assert!(err.contains("is not a CloudKit container id"), "{bad}: {err}");
        }
        // A good id: every change still parses as its format.
        let changes = preview_align(&ws, "iCloud.com.mshaler.isometry-2").unwrap();
        assert!(!changes.is_empty());
        for c in &changes {
            if c.path.extension().is_some_and(|e| e == "entitlements" || e == "plist") {
                plist::Value::from_reader_xml(c.new.as_bytes()).unwrap();
            }
        }
    }
}
