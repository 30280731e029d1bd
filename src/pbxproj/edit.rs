//! Edits that change only the lines they must, written the way Xcode writes them.

use super::model::Project;
use super::parse::{quote, Dict, Document, Entry, Value};
use crate::error::{Error, Result};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The new text of an edited project, and what changed, in sentences.
#[derive(Debug, Clone)]
pub struct Edit {
    pub text: String,
    pub changes: Vec<String>,
}

fn splice(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + edits.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut pos = 0;
    for (r, s) in edits {
        out.push_str(&text[pos..r.start]);
        out.push_str(&s);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

fn other(path: &Path, m: String) -> Error {
    Error::Other(format!("{}: {m}", path.display()))
}

/// Re-reads an edited text: an edit must never leave a file Xcode cannot open.
fn verified(text: String, path: &Path) -> Result<String> {
    Document::parse(text.clone(), path).map_err(|e| Error::Other(format!("the edit would break the file ({e}); nothing written")))?;
    Ok(text)
}

/// The configuration named `config` of `target` (or of the project when `None`): its id.
fn config_id(p: &Project, target: Option<&str>, config: &str, path: &Path) -> Result<String> {
    let list = match target {
        Some(t) => p.target(t).map(|t| t.configurations).ok_or_else(|| {
            let names: Vec<String> = p.target_names();
            other(path, format!("no target `{t}` (targets: {})", names.join(", ")))
        })?,
        None => p.project_configurations().ok_or_else(|| other(path, "the project has no configuration list".into()))?,
    };
    list.configurations.iter().find(|c| c.name == config).map(|c| c.id.clone()).ok_or_else(|| {
        let names: Vec<&str> = list.configurations.iter().map(|c| c.name.as_str()).collect();
        other(path, format!("{} has no configuration `{config}` (it has: {})", list.owner, names.join(", ")))
    })
}

fn build_settings<'d>(doc: &Document, cfg: &'d Dict, path: &Path) -> Result<&'d Dict> {
    doc.get(cfg, "buildSettings").and_then(Value::as_dict).ok_or_else(|| other(path, "the configuration has no buildSettings".into()))
}

/// The whitespace that starts the line holding `offset`, if only whitespace precedes it.
fn indent_before(doc: &Document, offset: u32) -> Option<&str> {
    let start = doc.line_start(offset) as usize;
    let lead = &doc.text[start..offset as usize];
    lead.chars().all(|c| c == ' ' || c == '\t').then_some(lead)
}

/// Sets a build setting in one configuration; `None` when it already has that value.
pub fn set_setting(doc: &Document, xcodeproj: &Path, target: Option<&str>, config: &str, key: &str, value: &str) -> Result<Option<Edit>> {
    let path = xcodeproj.join("project.pbxproj");
    let p = Project::new(doc, xcodeproj)?;
    let id = config_id(&p, target, config, &path)?;
    let cfg = p.object(&id).ok_or_else(|| other(&path, format!("configuration {id} is missing")))?;
    let bs = build_settings(doc, cfg, &path)?;
    let owner = target.unwrap_or("the project");
    let change = vec![format!("{key} = {value} in {config} of {owner}")];
    if let Some(e) = doc.entry(bs, key) {
        if let Value::Str(s) = &e.value {
            if doc.str(*s) == value {
                return Ok(None);
            }
        }
        let text = splice(&doc.text, vec![(e.value.span().range(), quote(value))]);
        return Ok(Some(Edit { text: verified(text, &path)?, changes: change }));
    }
    // A new key goes where Xcode keeps it: in alphabetical order.
    let line = format!("{} = {};", quote(key), quote(value));
    let after = bs.entries.iter().find(|e| *doc.str(e.key) > *key);
    let insert = match after {
        Some(e) => match indent_before(doc, e.key.start) {
            Some(indent) => (doc.line_start(e.key.start) as usize, format!("{indent}{line}\n")),
            None => (e.key.start as usize, format!("{line} ")),
        },
        None => {
            let close = bs.span.end - 1;
            match indent_before(doc, close) {
                Some(indent) => (doc.line_start(close) as usize, format!("{indent}\t{line}\n")),
                None => (close as usize, format!("{line} ")),
            }
        }
    };
    let text = splice(&doc.text, vec![(insert.0..insert.0, insert.1)]);
    Ok(Some(Edit { text: verified(text, &path)?, changes: change }))
}

/// Where the assignment of `key` at `line` of the project file is (a settings view shows it as
/// where the value comes from): the configuration list's owner (`project` or the target), the
/// configuration's name, and the entry. A conditional assignment (`KEY[sdk=macosx*]`) counts.
fn entry_at_line<'d>(doc: &'d Document, p: &Project<'d>, line: usize, key: &str) -> Option<(String, String, &'d Entry)> {
    for list in p.all_lists() {
        for c in &list.configurations {
            let Some(bs) = p.object(&c.id).and_then(|cfg| doc.get(cfg, "buildSettings")).and_then(Value::as_dict) else { continue };
            for e in &bs.entries {
                let name = doc.str(e.key);
                let same = name == key || name.strip_prefix(key).is_some_and(|rest| rest.starts_with('['));
                if same && doc.line_of(e.key.start) == line {
                    return Some((list.owner.clone(), c.name.clone(), e));
                }
            }
        }
    }
    None
}

/// Where the project's own build settings are (every target that does not set a key itself
/// reads them), as opposed to a target's: each assignment's line and key (its `[sdk=…]`
/// condition left off), read once for a whole settings view.
pub fn project_level_lines(doc: &Document, xcodeproj: &Path) -> std::collections::BTreeSet<(usize, String)> {
    let Ok(p) = Project::new(doc, xcodeproj) else { return Default::default() };
    p.project_configurations()
        .into_iter()
        .flat_map(|l| l.configurations)
        .filter_map(|c| p.object(&c.id).and_then(|cfg| doc.get(cfg, "buildSettings")).and_then(Value::as_dict))
        .flat_map(|bs| bs.entries.iter().map(|e| (doc.line_of(e.key.start), doc.str(e.key).split('[').next().unwrap_or_default().to_string())))
        .collect()
}

/// Sets the value of the assignment of `key` at `line` of the project file, conditions and
/// all (`KEY[sdk=macosx*]` stays), changing nothing else; `None` when it already has that value.
pub fn set_setting_at_line(doc: &Document, xcodeproj: &Path, line: usize, key: &str, value: &str) -> Result<Option<Edit>> {
    let path = xcodeproj.join("project.pbxproj");
    let p = Project::new(doc, xcodeproj)?;
    let (owner, config, e) = entry_at_line(doc, &p, line, key).ok_or_else(|| other(&path, format!("no {key} is set at line {line} (the project changed since it was read?); nothing was written")))?;
    if let Value::Str(s) = &e.value {
        if doc.str(*s) == value {
            return Ok(None);
        }
    }
    let owner = if owner == "project" { "the project".to_string() } else { format!("target {owner}") };
    let text = splice(&doc.text, vec![(e.value.span().range(), quote(value))]);
    Ok(Some(Edit { text: verified(text, &path)?, changes: vec![format!("{} = {value} in {config} of {owner}", doc.str(e.key))] }))
}

/// The bytes an entry takes: its whole line when it stands alone on it.
fn entry_extent(doc: &Document, e: &Entry) -> Range<usize> {
    let alone_before = indent_before(doc, e.key.start).is_some();
    let end_line = doc.line_end(e.semicolon) as usize;
    let rest = &doc.text[e.semicolon as usize + 1..end_line];
    if alone_before && rest.trim().is_empty() {
        doc.line_start(e.key.start) as usize..end_line
    } else {
        let mut end = e.semicolon as usize + 1;
        while doc.text.as_bytes().get(end) == Some(&b' ') {
            end += 1;
        }
        e.key.start as usize..end
    }
}

/// Removes a build setting from one configuration; `None` when it is not set there.
pub fn remove_setting(doc: &Document, xcodeproj: &Path, target: Option<&str>, config: &str, key: &str) -> Result<Option<Edit>> {
    let path = xcodeproj.join("project.pbxproj");
    let p = Project::new(doc, xcodeproj)?;
    let id = config_id(&p, target, config, &path)?;
    let cfg = p.object(&id).ok_or_else(|| other(&path, format!("configuration {id} is missing")))?;
    let bs = build_settings(doc, cfg, &path)?;
    let Some(e) = doc.entry(bs, key) else { return Ok(None) };
    let text = splice(&doc.text, vec![(entry_extent(doc, e), String::new())]);
    Ok(Some(Edit { text: verified(text, &path)?, changes: vec![format!("removed {key} from {config} of {}", target.unwrap_or("the project"))] }))
}

/// What `add_configuration` does.
#[derive(Debug, Clone)]
pub struct AddConfiguration {
    /// The configuration to clone (`Release`).
    pub from: String,
    /// The new configuration's name (`Production`).
    pub name: String,
    /// An xcconfig file the new configurations are based on (it must exist).
    pub xcconfig: Option<PathBuf>,
}

/// Fresh object ids: 24 upper-case hex digits, unique in the file.
struct Ids<'a> {
    taken: &'a Project<'a>,
    made: Vec<String>,
    state: u64,
}

impl<'a> Ids<'a> {
    fn new(p: &'a Project<'a>, seed: &str) -> Self {
        // Seeded by the file's content: the same edit of the same file gives the same ids.
        let mut state = 0xcbf2_9ce4_8422_2325u64;
        for b in p.doc.text.bytes().take(1 << 20).chain(seed.bytes()) {
            state = (state ^ b as u64).wrapping_mul(0x1000_0000_01b3);
        }
        Ids { taken: p, made: vec![], state: state | 1 }
    }
    fn next(&mut self) -> String {
        loop {
            // xorshift64*
            self.state ^= self.state >> 12;
            self.state ^= self.state << 25;
            self.state ^= self.state >> 27;
            let a = self.state.wrapping_mul(0x2545_f491_4f6c_dd1d);
            let id = format!("{:016X}{:08X}", a, (a >> 17) as u32);
            if !self.taken.contains_id(&id) && !self.made.contains(&id) {
                self.made.push(id.clone());
                return id;
            }
        }
    }
}

/// The objects of one isa, in file order: (id, entry).
fn objects_of<'d>(p: &Project<'d>, isa: &str) -> Vec<&'d Entry> {
    p.objects().entries.iter().filter(|e| matches!(&e.value, Value::Dict(d) if p.doc.get_str(d, "isa").as_deref() == Some(isa))).collect()
}

/// Where a new object of `isa` with `id` goes: before the first of its kind with a greater id
/// (Xcode keeps each section sorted), else after the last of its kind.
fn object_insert_at(p: &Project, isa: &str, id: &str) -> Option<usize> {
    let same = objects_of(p, isa);
    let doc = p.doc;
    match same.iter().find(|e| *doc.str(e.key) > *id) {
        Some(e) => Some(doc.line_start(e.key.start) as usize),
        None => same.last().map(|e| doc.line_end(e.semicolon) as usize),
    }
}

fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c);
    }
    Some(out)
}

/// The lines that make a configuration's base xcconfig `file` (canonical), adding what the
/// project needs to name it: nothing when a file reference to it exists; in a folder Xcode 16
/// synchronizes, the anchor and the path inside it; else a new file reference in the deepest
/// group whose folder holds the file, its path relative to that group (never absolute).
fn base_reference(p: &Project, file: &Path, ids: &mut Ids, edits: &mut Vec<(Range<usize>, String)>, changes: &mut Vec<String>, path: &Path) -> Result<Vec<String>> {
    let doc = p.doc;
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let existing = objects_of(p, "PBXFileReference").into_iter().find_map(|e| {
        let id = doc.str(e.key).into_owned();
        let resolved = p.file_path(&id)?.canonicalize().ok()?;
        (resolved == file).then_some(id)
    });
    if let Some(id) = existing {
        return Ok(vec![format!("baseConfigurationReference = {id} /* {file_name} */;")]);
    }
    // The deepest group (or synchronized folder) whose folder holds the file.
    let mut best: Option<(usize, String, String, PathBuf)> = None;
    for isa in ["PBXGroup", "PBXFileSystemSynchronizedRootGroup"] {
        for e in objects_of(p, isa) {
            let id = doc.str(e.key).into_owned();
            let Some(dir) = p.file_path(&id).and_then(|d| d.canonicalize().ok()) else { continue };
            if let Ok(rel) = file.strip_prefix(&dir) {
                let depth = dir.components().count();
                if best.as_ref().is_none_or(|b| depth > b.0) {
                    best = Some((depth, id, isa.to_string(), rel.to_path_buf()));
                }
            }
        }
    }
    if let Some((_, group, isa, rel)) = &best {
        if isa == "PBXFileSystemSynchronizedRootGroup" {
            let folder = p.file_path(group).and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())).unwrap_or_default();
            changes.push(format!("based on {} in the synchronized folder {folder}", rel.display()));
            return Ok(vec![format!("baseConfigurationReferenceAnchor = {group} /* {folder} */;"), format!("baseConfigurationReferenceRelativePath = {};", quote(&rel.to_string_lossy()))]);
        }
    }
    let id = ids.next();
    let (group, tree, shown) = match best {
        Some((_, group, _, rel)) => (Some(group), "\"<group>\"", rel.to_string_lossy().into_owned()),
        None => {
            // Outside every group's folder: relative to the project's folder.
            let dir = p.dir.canonicalize().unwrap_or_else(|_| p.dir.clone());
            let rel = relative(&dir, file).ok_or_else(|| other(path, format!("{} has no path relative to the project", file.display())))?;
            (p.root().and_then(|(_, r)| doc.get_str(r, "mainGroup")).map(|g| g.into_owned()), "SOURCE_ROOT", rel.to_string_lossy().into_owned())
        }
    };
    let named = if shown == file_name { String::new() } else { format!("name = {}; ", quote(&file_name)) };
    let line = format!("\t\t{id} /* {file_name} */ = {{isa = PBXFileReference; lastKnownFileType = text.xcconfig; {named}path = {}; sourceTree = {tree}; }};\n", quote(&shown));
    let at = object_insert_at(p, "PBXFileReference", &id).ok_or_else(|| other(path, "no PBXFileReference section to add the xcconfig to".into()))?;
    edits.push((at..at, line));
    let group_name = group.as_deref().and_then(|g| p.object(g)).and_then(|g| doc.get_str(g, "name").or_else(|| doc.get_str(g, "path"))).map(|n| n.into_owned());
    if let Some(Value::Array(children)) = group.as_deref().and_then(|g| p.object(g)).and_then(|g| doc.get(g, "children")) {
        edits.push(array_append(doc, children, &format!("{id} /* {file_name} */")));
    }
    changes.push(match group_name {
        Some(g) => format!("added a file reference to {shown} in the group {g}"),
        None => format!("added a file reference to {shown}"),
    });
    Ok(vec![format!("baseConfigurationReference = {id} /* {file_name} */;")])
}

/// Adds configuration `name`, cloned from `from`, to every configuration list of the project.
pub fn add_configuration(doc: &Document, xcodeproj: &Path, add: &AddConfiguration) -> Result<Edit> {
    let path = xcodeproj.join("project.pbxproj");
    let p = Project::new(doc, xcodeproj)?;
    let lists = p.all_lists();
    let mut ids = Ids::new(&p, &add.name);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut changes = Vec::new();

    // The lists that get the new file as their base: those whose source configuration has no
    // base xcconfig of its own (a target's own base, CocoaPods' for one, is kept).
    let file = match &add.xcconfig {
        Some(f) => Some(f.canonicalize().map_err(|e| Error::io(f, &e))?),
        None => None,
    };
    let source_of = |l: &super::ConfigurationList| l.configurations.iter().find(|c| c.name == add.from).cloned();
    let needs_base = |l: &super::ConfigurationList| !l.configurations.iter().any(|c| c.name == add.name) && source_of(l).is_some_and(|c| c.base_xcconfig.is_none());
    // How a configuration names the file: an existing file reference, a new one in the group
    // where the file lives (path relative to it), or Xcode 16's anchor in a synchronized folder.
    let base_text = match &file {
        Some(file) if lists.iter().any(needs_base) => Some(base_reference(&p, file, &mut ids, &mut edits, &mut changes, &path)?),
        _ => None,
    };

    let mut added = 0;
    for list in &lists {
        if list.configurations.iter().any(|c| c.name == add.name) {
            changes.push(format!("{}: already has {}", list.owner, add.name));
            continue;
        }
        let Some(source) = list.configurations.iter().find(|c| c.name == add.from) else {
            return Err(other(&path, format!("{} has no configuration `{}` to clone", list.owner, add.from)));
        };
        let entry = p.objects().entries.iter().find(|e| doc.str(e.key) == source.id).ok_or_else(|| other(&path, format!("object {} is missing", source.id)))?;
        let Value::Dict(cfg) = &entry.value else { return Err(other(&path, format!("object {} is not a dictionary", source.id))) };
        let new_id = ids.next();

        // The clone: the source object's lines with a new id, name and (maybe) xcconfig.
        let start = doc.line_start(entry.key.start) as usize;
        let end = doc.line_end(entry.semicolon) as usize;
        let mut inner: Vec<(Range<usize>, String)> = vec![(entry.key.range_usize(), new_id.clone())];
        let between = &doc.text[entry.key.end as usize..cfg.span.start as usize];
        let comment = format!("/* {} */", add.from);
        if let Some(i) = between.find(&comment) {
            let at = entry.key.end as usize + i;
            inner.push((at..at + comment.len(), format!("/* {} */", add.name)));
        }
        let name_entry = doc.entry(cfg, "name").ok_or_else(|| other(&path, format!("configuration {} has no name", source.id)))?;
        inner.push((name_entry.value.span().range(), quote(&add.name)));
        match (&file, &source.base_xcconfig) {
            (Some(file), Some(own)) if own.canonicalize().ok().as_ref() != Some(file) => {
                let shown = relative(&p.dir.canonicalize().unwrap_or_else(|_| p.dir.clone()), &own.canonicalize().unwrap_or_else(|_| own.clone())).unwrap_or_else(|| own.clone());
                let new_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                changes.push(format!(
                    "{}: {} keeps its own base xcconfig {} (as {} did); {new_name} is not its base: the project's {} layers under it, and a setting both define takes {}'s value. To have {new_name} win, #include it at the end of {}",
                    list.owner,
                    add.name,
                    shown.display(),
                    add.from,
                    add.name,
                    shown.display(),
                    shown.display()
                ));
            }
            (Some(_), None) => {
                if let Some(lines) = &base_text {
                    let isa = doc.entry(cfg, "isa").ok_or_else(|| other(&path, "configuration without isa".into()))?;
                    let at = doc.line_end(isa.semicolon) as usize;
                    let indent = indent_before(doc, isa.key.start).unwrap_or("\t\t\t");
                    let text: String = lines.iter().map(|l| format!("{indent}{l}\n")).collect();
                    inner.push((at..at, text));
                }
            }
            _ => {}
        }
        // Rebase the inner edits onto the clone's text.
        let clone_edits = inner.into_iter().map(|(r, s)| (r.start - start..r.end - start, s)).collect();
        let clone = splice(&doc.text[start..end], clone_edits);
        let at = object_insert_at(&p, "XCBuildConfiguration", &new_id).unwrap_or(end);
        edits.push((at..at, clone));

        let list_dict = p.object(&list.id).ok_or_else(|| other(&path, format!("list {} is missing", list.id)))?;
        let Some(Value::Array(configs)) = doc.get(list_dict, "buildConfigurations") else {
            return Err(other(&path, format!("list {} has no buildConfigurations", list.id)));
        };
        edits.push(array_append(doc, configs, &format!("{new_id} /* {} */", add.name)));
        changes.push(format!("{}: {} cloned from {}", list.owner, add.name, add.from));
        added += 1;
    }
    if added == 0 {
        return Err(other(&path, format!("every configuration list already has `{}`; nothing to add", add.name)));
    }
    let text = verified(splice(&doc.text, edits), &path)?;
    Ok(Edit { text, changes })
}

/// Appends an item to an array the way Xcode lays it out (one item per line).
fn array_append(doc: &Document, array: &super::parse::Array, item: &str) -> (Range<usize>, String) {
    match array.items.last() {
        Some(last) => {
            let at = doc.line_end(last.span().start) as usize;
            let indent = indent_before(doc, last.span().start).unwrap_or("\t\t\t\t");
            (at..at, format!("{indent}{item},\n"))
        }
        None => {
            let close = array.span.end - 1;
            match indent_before(doc, close) {
                Some(indent) => {
                    let at = doc.line_start(close) as usize;
                    (at..at, format!("{indent}\t{item},\n"))
                }
                None => (close as usize..close as usize, format!("{item}, ")),
            }
        }
    }
}

impl super::parse::Span {
    fn range_usize(self) -> Range<usize> {
        self.range()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (PathBuf, Document) {
        let proj = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry/native/IsometrymacOS/IsometrymacOS.xcodeproj"));
        let doc = Document::read(&proj.join("project.pbxproj")).unwrap();
        (proj, doc)
    }

    /// Lines removed and added by an edit.
    fn diff(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
        let d = similar::TextDiff::from_lines(a, b);
        let mut removed = vec![];
        let mut added = vec![];
        for c in d.iter_all_changes() {
            match c.tag() {
                similar::ChangeTag::Delete => removed.push(c.value().to_string()),
                similar::ChangeTag::Insert => added.push(c.value().to_string()),
                similar::ChangeTag::Equal => {}
            }
        }
        (removed, added)
    }

    #[test]
    fn set_existing_new_and_same() {
        let (proj, doc) = sample();
        let e = set_setting(&doc, &proj, Some("IsometrymacOS"), "Production", "INFOPLIST_FILE", "Mac/Info.plist").unwrap().unwrap();
        assert_eq!(diff(&doc.text, &e.text), (vec!["\t\t\t\tINFOPLIST_FILE = IsometrymacOS/Info.plist;\n".into()], vec!["\t\t\t\tINFOPLIST_FILE = Mac/Info.plist;\n".into()]));
        let e = set_setting(&doc, &proj, Some("IsometrymacOS"), "Production", "CURRENT_PROJECT_VERSION", "251").unwrap().unwrap();
        let (removed, added) = diff(&doc.text, &e.text);
        assert!(removed.is_empty());
        assert_eq!(added, vec!["\t\t\t\tCURRENT_PROJECT_VERSION = 251;\n"]);
        // Alphabetical: after COMBINE_HIDPI_IMAGES, before ENABLE_HARDENED_RUNTIME.
        let at = e.text.find("CURRENT_PROJECT_VERSION = 251").unwrap();
        assert!(e.text[..at].ends_with("COMBINE_HIDPI_IMAGES = YES;\n\t\t\t\t"));
        assert!(set_setting(&doc, &proj, Some("IsometrymacOS"), "Production", "INFOPLIST_FILE", "IsometrymacOS/Info.plist").unwrap().is_none());
        let e = set_setting(&doc, &proj, None, "Release", "ZZ_LAST", "a b").unwrap().unwrap();
        assert_eq!(diff(&doc.text, &e.text).1, vec!["\t\t\t\tZZ_LAST = \"a b\";\n"]);
    }

    /// The Build settings screen edits a value where it is set: the assignment at its line,
    /// a conditional one too, in that configuration only.
    #[test]
    fn set_at_line_changes_that_assignment_only() {
        let text = "// !$*UTF8*$!\n{\n\tobjects = {\n\t\tP = {isa = PBXProject; buildConfigurationList = PL; targets = (T); };\n\t\tPL = {isa = XCConfigurationList; buildConfigurations = (PR, PD); };\n\t\tPR = {isa = XCBuildConfiguration; buildSettings = {\n\t\t\t\tSDKROOT = macosx;\n\t\t\t}; name = Release; };\n\t\tPD = {isa = XCBuildConfiguration; buildSettings = {\n\t\t\t\tSDKROOT = macosx;\n\t\t\t}; name = Debug; };\n\t\tT = {isa = PBXNativeTarget; buildConfigurationList = TL; name = App; productType = \"com.apple.product-type.application\"; };\n\t\tTL = {isa = XCConfigurationList; buildConfigurations = (TR); };\n\t\tTR = {isa = XCBuildConfiguration; buildSettings = {\n\t\t\t\t\"CODE_SIGN_IDENTITY[sdk=macosx*]\" = \"Developer ID Application\";\n\t\t\t\tPRODUCT_NAME = \"$(TARGET_NAME)\";\n\t\t\t}; name = Release; };\n\t};\n\trootObject = P;\n}\n";
        let proj = PathBuf::from("/x/App.xcodeproj");
        let doc = Document::parse(text.to_string(), &proj.join("project.pbxproj")).unwrap();
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        // The conditional assignment keeps its condition.
        let e = set_setting_at_line(&doc, &proj, line_of("CODE_SIGN_IDENTITY"), "CODE_SIGN_IDENTITY", "Apple Distribution").unwrap().unwrap();
        assert_eq!(diff(&doc.text, &e.text).1, vec!["\t\t\t\t\"CODE_SIGN_IDENTITY[sdk=macosx*]\" = \"Apple Distribution\";\n"]);
        assert_eq!(e.changes, vec!["CODE_SIGN_IDENTITY[sdk=macosx*] = Apple Distribution in Release of target App"]);
        // The project's Release only, not its Debug with the same text on another line.
        let at = line_of("SDKROOT");
        let e = set_setting_at_line(&doc, &proj, at, "SDKROOT", "iphoneos").unwrap().unwrap();
        let (removed, added) = diff(&doc.text, &e.text);
        assert_eq!((removed.len(), added), (1, vec!["\t\t\t\tSDKROOT = iphoneos;\n".to_string()]));
        assert_eq!(e.text.lines().nth(at - 1).unwrap().trim(), "SDKROOT = iphoneos;");
        assert!(e.text.contains("SDKROOT = macosx;"), "Debug keeps its own");
        let own = project_level_lines(&doc, &proj);
        assert!(own.contains(&(at, "SDKROOT".to_string())));
        assert!(!own.contains(&(line_of("PRODUCT_NAME"), "PRODUCT_NAME".to_string())));
        // The same value: nothing to do. A line that holds no such assignment: an error, nothing written.
        assert!(set_setting_at_line(&doc, &proj, at, "SDKROOT", "macosx").unwrap().is_none());
        let err = set_setting_at_line(&doc, &proj, at, "PRODUCT_NAME", "X").unwrap_err().to_string();
        assert!(err.contains("no PRODUCT_NAME is set at line") && err.contains("nothing was written"), "{err}");
    }

    #[test]
    fn remove_takes_the_whole_line() {
        let (proj, doc) = sample();
        let e = remove_setting(&doc, &proj, Some("IsometrymacOS"), "Production", "COMBINE_HIDPI_IMAGES").unwrap().unwrap();
        assert_eq!(diff(&doc.text, &e.text), (vec!["\t\t\t\tCOMBINE_HIDPI_IMAGES = YES;\n".into()], vec![]));
        assert!(remove_setting(&doc, &proj, Some("IsometrymacOS"), "Production", "NOPE").unwrap().is_none());
        let err = remove_setting(&doc, &proj, Some("Nope"), "Production", "A").unwrap_err().to_string();
        assert!(err.contains("no target `Nope` (targets: IsometrymacOS)"), "{err}");
    }

    #[test]
    fn add_configuration_everywhere_with_fresh_ids() {
        let (proj, doc) = sample();
        let add = AddConfiguration { from: "Release".into(), name: "Staging".into(), xcconfig: None };
        let e = add_configuration(&doc, &proj, &add).unwrap();
        let (removed, added) = diff(&doc.text, &e.text);
        assert!(removed.is_empty(), "{removed:?}");
        let new = Document::parse(e.text.clone(), Path::new("x")).unwrap();
        let p = Project::new(&new, &proj).unwrap();
        for list in p.all_lists() {
            let names: Vec<&str> = list.configurations.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["Debug", "Release", "Production", "Staging"], "{}", list.owner);
            let release = &list.configurations[1];
            let staging = &list.configurations[3];
            let values = |c: &super::super::Configuration| c.settings.iter().map(|s| (s.name.clone(), s.value.clone())).collect::<Vec<_>>();
            assert_eq!(values(release), values(staging));
            assert_eq!(release.base_xcconfig, staging.base_xcconfig);
            assert_ne!(release.id, staging.id);
            assert_eq!(staging.id.len(), 24);
        }
        assert!(e.text.contains("/* Staging */ = {\n\t\t\tisa = XCBuildConfiguration;"));
        // Two lists: two objects and two list items, nothing else.
        assert_eq!(added.iter().filter(|l| l.contains("/* Staging */,")).count(), 2);
        let err = add_configuration(&doc, &proj, &AddConfiguration { from: "Release".into(), name: "Production".into(), xcconfig: None }).unwrap_err();
        assert!(err.to_string().contains("already has `Production`"), "{err}");
    }

    #[test]
    fn add_configuration_based_on_an_xcconfig() {
        let (proj, doc) = sample();
        let existing = proj.parent().unwrap().join("../Configurations/Base.xcconfig");
        let add = AddConfiguration { from: "Release".into(), name: "Beta".into(), xcconfig: Some(existing.clone()) };
        let e = add_configuration(&doc, &proj, &add).unwrap();
        let new = Document::parse(e.text.clone(), Path::new("x")).unwrap();
        let p = Project::new(&new, &proj).unwrap();
        for list in p.all_lists() {
            let beta = list.configurations.iter().find(|c| c.name == "Beta").unwrap();
            assert_eq!(beta.base_xcconfig.as_ref().unwrap().canonicalize().unwrap(), existing.canonicalize().unwrap());
        }
        // The existing file reference is reused: no new PBXFileReference.
        assert_eq!(new.text.matches("isa = PBXFileReference").count(), doc.text.matches("isa = PBXFileReference").count());
    }

    /// A project whose app target is based on CocoaPods' xcconfig, with a `Config` group and
    /// (Xcode 16) a synchronized `App` folder. `Config/Production.xcconfig` and
    /// `App/Store.xcconfig` exist on disk with no file reference.
    fn pods_project(dir: &Path) -> PathBuf {
        for (f, t) in [("Config/Production.xcconfig", "SWIFT_VERSION = 6.0\n"), ("App/Store.xcconfig", "X = 1\n"), ("Pods/Pods-App.release.xcconfig", "OTHER_LDFLAGS = -ObjC\n")] {
            std::fs::create_dir_all(dir.join(f).parent().unwrap()).unwrap();
            std::fs::write(dir.join(f), t).unwrap();
        }
        let proj = dir.join("App.xcodeproj");
        std::fs::create_dir_all(&proj).unwrap();
        let text = "// !$*UTF8*$!\n{\n\tarchiveVersion = 1;\n\tclasses = {\n\t};\n\tobjectVersion = 77;\n\tobjects = {\n\n/* Begin PBXFileReference section */\n\t\tAA0000000000000000000010 /* Pods-App.release.xcconfig */ = {isa = PBXFileReference; lastKnownFileType = text.xcconfig; path = \"Pods-App.release.xcconfig\"; sourceTree = \"<group>\"; };\n/* End PBXFileReference section */\n\n/* Begin PBXFileSystemSynchronizedRootGroup section */\n\t\tAA0000000000000000000020 /* App */ = {isa = PBXFileSystemSynchronizedRootGroup; path = App; sourceTree = \"<group>\"; };\n/* End PBXFileSystemSynchronizedRootGroup section */\n\n/* Begin PBXGroup section */\n\t\tAA0000000000000000000001 = {\n\t\t\tisa = PBXGroup;\n\t\t\tchildren = (\n\t\t\t\tAA0000000000000000000020 /* App */,\n\t\t\t\tAA0000000000000000000002 /* Config */,\n\t\t\t\tAA0000000000000000000003 /* Pods */,\n\t\t\t);\n\t\t\tsourceTree = \"<group>\";\n\t\t};\n\t\tAA0000000000000000000002 /* Config */ = {\n\t\t\tisa = PBXGroup;\n\t\t\tchildren = (\n\t\t\t);\n\t\t\tpath = Config;\n\t\t\tsourceTree = \"<group>\";\n\t\t};\n\t\tAA0000000000000000000003 /* Pods */ = {\n\t\t\tisa = PBXGroup;\n\t\t\tchildren = (\n\t\t\t\tAA0000000000000000000010 /* Pods-App.release.xcconfig */,\n\t\t\t);\n\t\t\tpath = Pods;\n\t\t\tsourceTree = \"<group>\";\n\t\t};\n/* End PBXGroup section */\n\n/* Begin PBXNativeTarget section */\n\t\tAA0000000000000000000030 /* App */ = {\n\t\t\tisa = PBXNativeTarget;\n\t\t\tbuildConfigurationList = AA0000000000000000000041;\n\t\t\tname = App;\n\t\t\tproductType = \"com.apple.product-type.application\";\n\t\t};\n/* End PBXNativeTarget section */\n\n/* Begin PBXProject section */\n\t\tAA0000000000000000000099 /* Project object */ = {\n\t\t\tisa = PBXProject;\n\t\t\tbuildConfigurationList = AA0000000000000000000040;\n\t\t\tmainGroup = AA0000000000000000000001;\n\t\t\ttargets = (\n\t\t\t\tAA0000000000000000000030 /* App */,\n\t\t\t);\n\t\t};\n/* End PBXProject section */\n\n/* Begin XCBuildConfiguration section */\n\t\tAA0000000000000000000050 /* Release */ = {\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = {\n\t\t\t\tSDKROOT = iphoneos;\n\t\t\t};\n\t\t\tname = Release;\n\t\t};\n\t\tAA0000000000000000000051 /* Release */ = {\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbaseConfigurationReference = AA0000000000000000000010 /* Pods-App.release.xcconfig */;\n\t\t\tbuildSettings = {\n\t\t\t\tPRODUCT_BUNDLE_IDENTIFIER = com.example.app;\n\t\t\t};\n\t\t\tname = Release;\n\t\t};\n/* End XCBuildConfiguration section */\n\n/* Begin XCConfigurationList section */\n\t\tAA0000000000000000000040 /* Build configuration list for PBXProject \"App\" */ = {\n\t\t\tisa = XCConfigurationList;\n\t\t\tbuildConfigurations = (\n\t\t\t\tAA0000000000000000000050 /* Release */,\n\t\t\t);\n\t\t\tdefaultConfigurationName = Release;\n\t\t};\n\t\tAA0000000000000000000041 /* Build configuration list for PBXNativeTarget \"App\" */ = {\n\t\t\tisa = XCConfigurationList;\n\t\t\tbuildConfigurations = (\n\t\t\t\tAA0000000000000000000051 /* Release */,\n\t\t\t);\n\t\t\tdefaultConfigurationName = Release;\n\t\t};\n/* End XCConfigurationList section */\n\t};\n\trootObject = AA0000000000000000000099 /* Project object */;\n}\n";
        std::fs::write(proj.join("project.pbxproj"), text).unwrap();
        proj
    }

    #[test]
    fn a_new_xcconfig_is_referenced_in_its_group_and_a_targets_own_base_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let proj = pods_project(dir.path());
        let doc = Document::read(&proj.join("project.pbxproj")).unwrap();
        let add = AddConfiguration { from: "Release".into(), name: "Production".into(), xcconfig: Some(dir.path().join("Config/Production.xcconfig")) };
        let e = add_configuration(&doc, &proj, &add).unwrap();
        assert!(!e.text.contains(&dir.path().display().to_string()), "no absolute path is written:\n{}", e.text);
        assert!(e.text.contains("lastKnownFileType = text.xcconfig; path = Production.xcconfig; sourceTree = \"<group>\"; };"), "{}", e.text);
        let new = Document::parse(e.text.clone(), Path::new("x")).unwrap();
        let p = Project::new(&new, &proj).unwrap();
        let base = |list: crate::pbxproj::ConfigurationList| list.configurations.iter().find(|c| c.name == "Production").and_then(|c| c.base_xcconfig.clone()).map(|b| b.canonicalize().unwrap());
        assert_eq!(
            base(p.project_configurations().unwrap()),
            Some(dir.path().join("Config/Production.xcconfig").canonicalize().unwrap()),
            "the project is based on the new file, found in the Config group"
        );
        assert_eq!(base(p.target("App").unwrap().configurations), Some(dir.path().join("Pods/Pods-App.release.xcconfig").canonicalize().unwrap()), "the target keeps CocoaPods' base");
        assert!(e.changes.iter().any(|c| c.contains("App: Production keeps its own base xcconfig Pods/Pods-App.release.xcconfig")), "{:#?}", e.changes);
        assert!(e.changes.iter().any(|c| c.contains("in the group Config")), "{:#?}", e.changes);
        // The Config group lists the new reference.
        let config = p.object("AA0000000000000000000002").unwrap();
        assert!(matches!(new.get(config, "children"), Some(Value::Array(a)) if a.items.len() == 1));

        // A file in a synchronized folder is named the way Xcode 16 does: anchor + path.
        let add = AddConfiguration { from: "Release".into(), name: "Store".into(), xcconfig: Some(dir.path().join("App/Store.xcconfig")) };
        let e = add_configuration(&doc, &proj, &add).unwrap();
        assert!(e.text.contains("baseConfigurationReferenceAnchor = AA0000000000000000000020 /* App */;"), "{}", e.text);
        assert!(e.text.contains("baseConfigurationReferenceRelativePath = Store.xcconfig;"), "{}", e.text);
        let new = Document::parse(e.text.clone(), Path::new("x")).unwrap();
        let p = Project::new(&new, &proj).unwrap();
        let store = p.project_configurations().unwrap().configurations.into_iter().find(|c| c.name == "Store").unwrap();
        assert_eq!(store.base_xcconfig.unwrap().canonicalize().unwrap(), dir.path().join("App/Store.xcconfig").canonicalize().unwrap());
        assert_eq!(new.text.matches("isa = PBXFileReference").count(), 1, "no file reference is added for it");
    }
}
