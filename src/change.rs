//! Changes to the user's files, previewed before they are written. A preview names each
//! file with the fingerprint of what was read; applying refuses when any file no longer
//! has that fingerprint, so nothing the user did in the meantime is overwritten.

use crate::error::{Error, Result};
use crate::fsutil::{self, ReadFile, Written};
use crate::pbxproj;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A file's fingerprint: FNV-1a over its bytes, in hex.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in bytes {
        h = (h ^ *b as u64).wrapping_mul(0x1000_0000_01b3);
    }
    format!("{h:016x}")
}

/// One file's change: what a user reviews before it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileChange {
    pub path: PathBuf,
    /// Fingerprint of the file as read for the preview.
    pub fingerprint: String,
    pub diff: String,
    /// The file's new content.
    pub new: String,
    /// The change makes the file (it must still be absent when applied).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub create: bool,
}

pub(crate) fn change(read: &ReadFile, new: String, label: &str) -> Result<FileChange> {
    Ok(FileChange { path: read.path.clone(), fingerprint: fingerprint(&read.bytes), diff: fsutil::unified_diff(label, read.text()?, &new), new, create: false })
}

/// The change that makes a file that is not there yet (shown as a diff from nothing).
pub fn new_file(path: &Path, new: String, label: &str) -> Result<FileChange> {
    if path.exists() {
        return Err(Error::Io { path: path.to_path_buf(), message: "already exists; nothing was written".into() });
    }
    Ok(FileChange { path: path.to_path_buf(), fingerprint: String::new(), diff: fsutil::unified_diff(label, "", &new), new, create: true })
}

/// The change that sets `key` to `new` in every configuration of a project that has it at
/// `old`: the project's and each target's (as agvtool does for the build number, so an app
/// and its extensions keep one number). `None` when none has it.
pub fn pbxproj_replace_setting(xcodeproj: &Path, key: &str, old: &str, new: &str, label: &str) -> Result<Option<FileChange>> {
    let file = xcodeproj.join("project.pbxproj");
    let read = ReadFile::read(&file)?;
    let mut text = read.text()?.to_string();
    let places: Vec<(Option<String>, String)> = {
        let doc = pbxproj::Document::parse(text.clone(), &file)?;
        let p = pbxproj::Project::new(&doc, xcodeproj)?;
        let has = |c: &pbxproj::Configuration| c.setting(key).is_some_and(|s| s.value.joined().trim() == old);
        let mut places: Vec<(Option<String>, String)> = p.project_configurations().map(|l| l.configurations).unwrap_or_default().iter().filter(|c| has(c)).map(|c| (None, c.name.clone())).collect();
        for t in p.targets() {
            places.extend(t.configurations.configurations.iter().filter(|c| has(c)).map(|c| (Some(t.name.clone()), c.name.clone())));
        }
        places
    };
    let mut changed = false;
    for (target, config) in places {
        let doc = pbxproj::Document::parse(text.clone(), &file)?;
        if let Some(edit) = pbxproj::set_setting(&doc, xcodeproj, target.as_deref(), &config, key, new)? {
            text = edit.text;
            changed = true;
        }
    }
    if !changed {
        return Ok(None);
    }
    Ok(Some(change(&read, text, label)?))
}

/// The change that sets `key` in an xcconfig (with these conditions); `None` when it
/// already has that value.
pub fn xcconfig_set(file: &Path, key: &str, conditions: &[(String, String)], value: &str, label: &str) -> Result<Option<FileChange>> {
    let read = ReadFile::read(file)?;
    match xcconfig_text_set(file, &crate::xcconfig::Document::parse(read.text()?), key, conditions, value)? {
        Some(new) => Ok(Some(change(&read, new, label)?)),
        None => Ok(None),
    }
}

/// The text of `doc` (the xcconfig `file`) with `key` set under these conditions; refused while
/// a line of it does not parse, or for a value an xcconfig cannot hold.
fn xcconfig_text_set(file: &Path, doc: &crate::xcconfig::Document, key: &str, conditions: &[(String, String)], value: &str) -> Result<Option<String>> {
    if let Some((line, column, message)) = doc.invalid_lines().next() {
        return Err(Error::Parse { path: file.to_path_buf(), line: line.number, column, message: message.to_string() });
    }
    let value = crate::xcconfig::encode_value(value).map_err(|message| Error::Io { path: file.to_path_buf(), message: format!("{key}: {message}; nothing was written") })?;
    Ok(doc.set(key, conditions, &value))
}

/// The change that sets `key` where its value comes from, as the Build settings screen edits
/// it: the assignment at `line` of `file`, an xcconfig (its conditions kept) or a project file
/// (the one configuration that assigns it); without a line, a new assignment in `file` (an
/// xcconfig). A project made by XcodeGen or Tuist is not edited: its generator would undo it.
pub fn setting_at(ws: &Workspace, file: &Path, line: Option<usize>, key: &str, value: &str) -> Result<Option<FileChange>> {
    Ok(settings_at(ws, &[(file.to_path_buf(), line, key.to_string(), value.to_string())])?.pop())
}

/// [`setting_at`] for several settings at once, one change per file, each file's edits made in
/// turn on its text (an extension's version and build number, two lines of one project file).
pub fn settings_at(ws: &Workspace, edits: &[(PathBuf, Option<usize>, String, String)]) -> Result<Vec<FileChange>> {
    let mut files: Vec<&Path> = Vec::new();
    for (f, ..) in edits {
        if !files.contains(&f.as_path()) {
            files.push(f);
        }
    }
    let mut out = Vec::new();
    for file in files {
        let label = ws.display_path(file);
        if file.file_name().is_some_and(|n| n == "project.pbxproj") {
            if let Some(spec) = crate::discover::generator_beside(file.parent().unwrap_or(file)) {
                return Err(Error::Usage(format!("{label} is made from {}: change it there (the next generation would undo an edit here)", ws.display_path(&spec))));
            }
        }
        let read = ReadFile::read(file)?;
        let mut text = read.text()?.to_string();
        let mut changed = false;
        for (_, line, key, value) in edits.iter().filter(|(f, ..)| f == file) {
            if let Some(new) = setting_in_text(file, &text, *line, key, value)? {
                text = new;
                changed = true;
            }
        }
        if changed {
            out.push(change(&read, text, &label)?);
        }
    }
    Ok(out)
}

/// `key` set to `value` in `text`, the content of `file` (a project file or an xcconfig), at the
/// assignment on `line` (see [`setting_at`]); `None` when it already has that value.
fn setting_in_text(file: &Path, text: &str, line: Option<usize>, key: &str, value: &str) -> Result<Option<String>> {
    if file.file_name().is_some_and(|n| n == "project.pbxproj") {
        let line = line.ok_or_else(|| Error::Usage(format!("{key}: a project file's setting is changed where it is set (its line); nothing was written")))?;
        let doc = pbxproj::Document::parse(text.to_string(), file)?;
        return Ok(pbxproj::set_setting_at_line(&doc, file.parent().unwrap_or(file), line, key, value)?.map(|e| e.text));
    }
    let doc = crate::xcconfig::Document::parse(text);
    // Keep the conditions of the assignment being edited ([sdk=iphoneos*] stays).
    let conditions = line.and_then(|n| doc.assignments().find(|(l, a)| l.number == n && a.name == key).map(|(_, a)| a.conditions.clone())).unwrap_or_default();
    xcconfig_text_set(file, &doc, key, &conditions, value)
}

/// The change that raises the build number of a Flutter app's pubspec.yaml (`version: 1.18.2+64`
/// -> `+65`), byte for byte otherwise; `None` when its version line has no build number.
pub fn pubspec_build_number(file: &Path, next: &str, label: &str) -> Result<Option<FileChange>> {
    let read = ReadFile::read(file)?;
    let text = read.text()?;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("version:") {
            let Some(plus) = rest.find('+') else { return Ok(None) };
            let start = offset + "version:".len() + plus + 1;
            let digits = text[start..].bytes().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return Ok(None);
            }
            let new = format!("{}{next}{}", &text[..start], &text[start + digits..]);
            return Ok(Some(change(&read, new, label)?));
        }
        offset += line.len();
    }
    Ok(None)
}

/// The change that sets the `<string>` after `<key>KEY</key>` of an XML property list from
/// `old` to `new`, byte for byte otherwise (an Info.plist's literal CFBundleVersion); checked to
/// read back as a property list with the new value.
pub fn plist_string_for_key(file: &Path, key: &str, old: &str, new: &str, label: &str) -> Result<FileChange> {
    let read = ReadFile::read(file)?;
    let text = read.text()?;
    let unexpected = |what: &str| Error::Io { path: file.to_path_buf(), message: format!("{what}; nothing was written") };
    let at = text.find(&format!("<key>{key}</key>")).ok_or_else(|| unexpected(&format!("no <key>{key}</key> in the XML property list")))?;
    let open = at + text[at..].find("<string>").ok_or_else(|| unexpected(&format!("{key} has no <string> value")))? + "<string>".len();
    let close = open + text[open..].find("</string>").ok_or_else(|| unexpected(&format!("{key}'s <string> is not closed")))?;
    if text[open..close].trim() != old {
        return Err(unexpected(&format!("{key} is `{}` in the file, not `{old}`", &text[open..close])));
    }
    let new_text = format!("{}{new}{}", &text[..open], &text[close..]);
    let reread = plist::Value::from_reader(std::io::Cursor::new(new_text.as_bytes())).ok().and_then(|v| v.into_dictionary());
    if reread.as_ref().and_then(|d| d.get(key)).and_then(|v| v.as_string()) != Some(new) {
        return Err(unexpected(&format!("{key} would not read back as `{new}`")));
    }
    change(&read, new_text, label)
}

/// [`apply`] for changes that must stay inside a workspace: any path outside it (absolute,
/// `..`, through a symlink) refuses the whole set before anything is written.
pub fn apply_in(ws: &Workspace, changes: &[FileChange]) -> Result<Vec<Written>> {
    for c in changes {
        ws.inside(&c.path)?;
    }
    apply(changes)
}

/// Undoes a change set written by [`apply`]: every file it replaced gets its backup back, or,
/// when any of them changed since (its newer content would be lost), none does. Returns the
/// files restored.
pub fn undo_applied(files: &[PathBuf]) -> Result<Vec<PathBuf>> {
    undo_applied_in(&fsutil::default_backups(), files)
}

/// [`undo_applied`] with the backups under `backups`.
pub fn undo_applied_in(backups: &Path, files: &[PathBuf]) -> Result<Vec<PathBuf>> {
    // Checked for all first, so an undo never stops half-way for a file edited since.
    for f in files {
        fsutil::check_undoable(backups, f)?;
    }
    let mut done = Vec::new();
    for f in files {
        fsutil::restore_last_in(backups, f)?;
        done.push(f.clone());
    }
    Ok(done)
}

/// Writes previewed changes: all, or none when any file changed since its preview.
pub fn apply(changes: &[FileChange]) -> Result<Vec<Written>> {
    apply_with_backups(&fsutil::default_backups(), changes)
}

/// [`apply`] with the backups under `backups`.
pub fn apply_with_backups(backups: &Path, changes: &[FileChange]) -> Result<Vec<Written>> {
    let mut reads = Vec::with_capacity(changes.len());
    for c in changes {
        if c.create {
            if c.path.exists() {
                return Err(Error::Io { path: c.path.clone(), message: "exists now, though the preview made it; nothing was written (review it again)".into() });
            }
            reads.push(None);
            continue;
        }
        let read = ReadFile::read(&c.path)?;
        if fingerprint(&read.bytes) != c.fingerprint {
            return Err(Error::Io { path: c.path.clone(), message: "changed on disk since the preview; nothing was written (review it again)".into() });
        }
        reads.push(Some(read));
    }
    // All or nothing: when one write fails, the files already written get their old bytes back
    // (a file made is removed).
    let pairs: Vec<(&Option<ReadFile>, &FileChange)> = reads.iter().zip(changes).collect();
    all_or_nothing(
        &pairs,
        |(read, c)| match read {
            Some(read) => fsutil::replace_in(backups, read, c.new.as_bytes()),
            None => fsutil::create_in(backups, &c.path, c.new.as_bytes()),
        },
        |(read, c)| match read {
            Some(read) => {
                let _ = fsutil::atomic_write(&read.path, &read.bytes);
            }
            None => {
                let _ = std::fs::remove_file(&c.path);
            }
        },
    )
}

/// Writes every item, or, when one fails, undoes the ones written before it and returns that
/// error.
fn all_or_nothing<T, W>(items: &[T], mut write: impl FnMut(&T) -> Result<W>, mut undo: impl FnMut(&T)) -> Result<Vec<W>> {
    let mut done = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match write(item) {
            Ok(w) => done.push(w),
            Err(e) => {
                for earlier in items[..i].iter().rev() {
                    undo(earlier);
                }
                return Err(e);
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plist_string_is_changed_alone_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Info.plist");
        let text = "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n  <key>CFBundleVersion</key>   <string>833</string>\n  <key>X</key><string>833</string>\n</dict>\n</plist>\n";
        std::fs::write(&p, text).unwrap();
        let c = plist_string_for_key(&p, "CFBundleVersion", "833", "834", "Info.plist").unwrap();
        assert_eq!(c.new, text.replacen("<string>833</string>", "<string>834</string>", 1));
        // The file says something else than the plan read: refused, nothing written.
        let err = plist_string_for_key(&p, "CFBundleVersion", "900", "901", "Info.plist").unwrap_err().to_string();
        assert!(err.contains("`833`") && err.contains("nothing was written"), "{err}");
        assert!(plist_string_for_key(&p, "CFBundleShortVersionString", "1", "2", "Info.plist").is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), text);
    }

    #[test]
    fn apply_refuses_a_file_changed_after_its_preview() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("P.xcconfig");
        std::fs::write(&f, "A = 1\n").unwrap();
        let c = xcconfig_set(&f, "A", &[], "2", "P.xcconfig").unwrap().unwrap();
        assert!(c.diff.contains("-A = 1\n+A = 2"));
        assert!(xcconfig_set(&f, "A", &[], "1", "P.xcconfig").unwrap().is_none());
        std::fs::write(&f, "A = 9\n").unwrap();
        let err = apply(&[c]).unwrap_err().to_string();
        assert!(err.contains("changed on disk since the preview"), "{err}");
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "A = 9\n");
    }

    #[test]
    fn fingerprints_differ() {
        assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
        assert_eq!(fingerprint(b""), "cbf29ce484222325");
    }

    #[test]
    fn a_set_of_changes_is_written_whole_or_not_at_all() {
        let files = std::cell::RefCell::new(vec!["a0".to_string(), "b0".to_string(), "c0".to_string()]);
        let write = |i: &usize| -> Result<usize> {
            if *i == 2 {
                return Err(Error::Other("disk full".into()));
            }
            files.borrow_mut()[*i] = format!("{}1", &files.borrow()[*i][..1]);
            Ok(*i)
        };
        let undo = |i: &usize| files.borrow_mut()[*i] = format!("{}0", &files.borrow()[*i][..1]);
        let err = all_or_nothing(&[0usize, 1, 2], write, undo).unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(*files.borrow(), ["a0", "b0", "c0"], "the first two were put back");
        let ok = all_or_nothing(&[0usize, 1], |i| Ok(*i), |_| panic!("nothing to undo")).unwrap();
        assert_eq!(ok, [0, 1]);
    }
}
