//! Safe writes: every file Shipdeck changes goes through here. A write shows its diff first,
//! refuses when the file changed on disk since it was read, keeps a backup, and replaces
//! the file atomically, so an error at any point leaves the old file as it was.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file as it was read, kept to detect changes made behind Shipdeck's back.
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl ReadFile {
    pub fn read(path: impl AsRef<Path>) -> Result<ReadFile> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        Ok(ReadFile { path: path.to_path_buf(), bytes })
    }
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.bytes).map_err(|e| {
            let valid = &self.bytes[..e.valid_up_to()];
            let (line, column) = crate::text::line_col(std::str::from_utf8(valid).unwrap_or(""), valid.len());
            Error::Parse { path: self.path.clone(), line, column, message: "not UTF-8 text".into() }
        })
    }
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Written {
    /// The new content equals the old: nothing was written.
    Unchanged,
    /// The file was replaced; the old content is in `backup`.
    Replaced { backup: PathBuf },
    /// The file was made; an undo removes it (`backup` is the record of that).
    Created { backup: PathBuf },
}

/// A unified diff of two texts, labelled with the file's name.
pub fn unified_diff(label: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new).unified_diff().context_radius(3).header(&format!("a/{label}"), &format!("b/{label}")).to_string()
}

/// Where Shipdeck keeps its own data (run records, backups). `SHIPDECK_DATA_DIR` overrides.
pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SHIPDECK_DATA_DIR") {
        return PathBuf::from(d);
    }
    if cfg!(target_os = "macos") {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join("Library/Application Support/Shipdeck");
        }
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(x).join("shipdeck");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".local/share/shipdeck"),
        None => std::env::temp_dir().join("shipdeck"),
    }
}

/// The folder holding the backups of one file, under `backups_root`.
pub fn backup_dir_for(backups_root: &Path, path: &Path) -> PathBuf {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let key: String = abs.to_string_lossy().chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' { c } else { '_' }).collect();
    backups_root.join(key.trim_start_matches('_'))
}

/// Where backups go by default: `data_dir()/backups`.
pub fn default_backups() -> PathBuf {
    data_dir().join("backups")
}

/// Replaces `read.path` with `new`, if the file still holds what was read; the backup goes
/// under `default_backups()`.
pub fn replace(read: &ReadFile, new: &[u8]) -> Result<Written> {
    replace_in(&default_backups(), read, new)
}

/// `replace` with the backups kept under `backups_root`.
pub fn replace_in(backups_root: &Path, read: &ReadFile, new: &[u8]) -> Result<Written> {
    if new == read.bytes.as_slice() {
        return Ok(Written::Unchanged);
    }
    let current = std::fs::read(&read.path).map_err(|e| Error::io(&read.path, &e))?;
    if current != read.bytes {
        return Err(Error::Io { path: read.path.clone(), message: "changed on disk since Shipdeck read it; nothing was written (reload and try again)".into() });
    }
    let backup = backup(backups_root, &read.path, &current)?;
    atomic_write(&read.path, new)?;
    // What this edit wrote: an undo puts the backup back only while the file still holds it.
    let _ = std::fs::write(written_mark(&backup), sha1_hex(new));
    Ok(Written::Replaced { backup })
}

/// Makes a file that must not exist yet, keeping a record under `backups_root` so that an undo
/// (`restore_last_in`) removes it again while it still holds what was written.
pub fn create_in(backups_root: &Path, path: &Path, bytes: &[u8]) -> Result<Written> {
    write_new(path, bytes)?;
    let backup = backup(backups_root, path, b"")?;
    let _ = std::fs::write(written_mark(&backup), sha1_hex(bytes));
    let _ = std::fs::write(created_mark(&backup), b"");
    Ok(Written::Created { backup })
}

/// The file beside a backup that says the edit made the file (an undo removes it).
fn created_mark(backup: &Path) -> PathBuf {
    beside(backup, ".created")
}

/// Writes a file that must not exist yet.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        return Err(Error::Io { path: path.to_path_buf(), message: "already exists; nothing was written".into() });
    }
    atomic_write(path, bytes)
}

fn backup(backups_root: &Path, path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let dir = backup_dir_for(backups_root, path);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, &e))?;
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
    let target = dir.join(format!("{stamp:024}-{name}"));
    std::fs::write(&target, bytes).map_err(|e| Error::io(&target, &e))?;
    Ok(target)
}

/// The file beside a backup that holds the SHA-1 of what the edit wrote.
fn written_mark(backup: &Path) -> PathBuf {
    beside(backup, ".written")
}

/// `path` with `suffix` added to its name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The newest backup of a file under `backups_root`, if any.
pub fn last_backup(backups_root: &Path, path: &Path) -> Option<PathBuf> {
    let dir = backup_dir_for(backups_root, path);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_none_or(|x| x != "written" && x != "created") && p.file_name().is_some_and(|n| n != "last-edit.json"))
        .collect();
    entries.sort();
    entries.pop()
}

/// Puts back the newest backup of `path` (undo the last save); the backup is then removed.
pub fn restore_last(path: &Path) -> Result<PathBuf> {
    restore_last_in(&default_backups(), path)
}

/// Whether `restore_last_in` would put the last backup of `path` back: there is one, and the
/// file still holds what that edit wrote.
pub fn check_undoable(backups_root: &Path, path: &Path) -> Result<()> {
    let backup = last_backup(backups_root, path).ok_or_else(|| Error::Io { path: path.to_path_buf(), message: "no backup to restore".into() })?;
    if let Ok(written) = std::fs::read_to_string(written_mark(&backup)) {
        let now = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        if sha1_hex(&now) != written.trim() {
            return Err(Error::Io { path: path.to_path_buf(), message: "changed since the edit; nothing was undone (undoing would lose the newer change)".into() });
        }
    }
    Ok(())
}

/// `restore_last` with the backups kept under `backups_root`.
pub fn restore_last_in(backups_root: &Path, path: &Path) -> Result<PathBuf> {
    let backup = last_backup(backups_root, path).ok_or_else(|| Error::Io { path: path.to_path_buf(), message: "no backup to restore".into() })?;
    let bytes = std::fs::read(&backup).map_err(|e| Error::io(&backup, &e))?;
    // The file must still hold what the edit wrote: a later change would be lost.
    if let Ok(written) = std::fs::read_to_string(written_mark(&backup)) {
        let now = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        if sha1_hex(&now) != written.trim() {
            return Err(Error::Io { path: path.to_path_buf(), message: "changed since the edit; nothing was undone (undoing would lose the newer change)".into() });
        }
    }
    if created_mark(&backup).exists() {
        // The edit made the file: undoing it removes it.
        std::fs::remove_file(path).map_err(|e| Error::io(path, &e))?;
        let _ = std::fs::remove_file(created_mark(&backup));
    } else {
        atomic_write(path, &bytes)?;
    }
    let _ = std::fs::remove_file(&backup);
    let _ = std::fs::remove_file(written_mark(&backup));
    Ok(backup)
}

/// One file of an edit that wrote several at once (a project and its schemes): where it is,
/// the backup of what it held, and the SHA-1 of what the edit wrote.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EditedFile {
    pub path: PathBuf,
    pub backup: PathBuf,
    pub written_sha1: String,
}

fn sha1_hex(bytes: &[u8]) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn journal_path(backups_root: &Path, key: &Path) -> PathBuf {
    backup_dir_for(backups_root, key).join("last-edit.json")
}

/// Records that one edit, named by `key` (the project file), wrote `files`: `undo_edit` then
/// puts every one of them back together.
pub fn record_edit(backups_root: &Path, key: &Path, files: &[(PathBuf, PathBuf, &[u8])]) -> Result<()> {
    let entries: Vec<EditedFile> = files.iter().map(|(path, backup, written)| EditedFile { path: path.clone(), backup: backup.clone(), written_sha1: sha1_hex(written) }).collect();
    let journal = journal_path(backups_root, key);
    if let Some(dir) = journal.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
    }
    let text = serde_json::to_vec_pretty(&entries).map_err(|e| Error::Io { path: journal.clone(), message: e.to_string() })?;
    atomic_write(&journal, &text)
}

/// Undoes the last edit recorded under `key`: every file it wrote gets its backup back. It
/// refuses, writing nothing, when any of them changed since the edit (their newer content
/// would be lost). `Ok(None)` when no edit is recorded.
pub fn undo_edit(backups_root: &Path, key: &Path) -> Result<Option<Vec<EditedFile>>> {
    let journal = journal_path(backups_root, key);
    let Ok(text) = std::fs::read(&journal) else { return Ok(None) };
    let entries: Vec<EditedFile> = serde_json::from_slice(&text).map_err(|e| Error::Io { path: journal.clone(), message: format!("unreadable record of the last edit: {e}") })?;
    let mut restores = Vec::new();
    for f in &entries {
        let now = std::fs::read(&f.path).map_err(|e| Error::io(&f.path, &e))?;
        if sha1_hex(&now) != f.written_sha1 {
            return Err(Error::Io { path: f.path.clone(), message: "changed since the edit; nothing was undone (undoing would lose the newer change)".into() });
        }
        let old = std::fs::read(&f.backup).map_err(|e| Error::io(&f.backup, &e))?;
        restores.push((f, old));
    }
    for (f, old) in restores {
        atomic_write(&f.path, &old)?;
        let _ = std::fs::remove_file(&f.backup);
        let _ = std::fs::remove_file(written_mark(&f.backup));
    }
    let _ = std::fs::remove_file(&journal);
    Ok(Some(entries))
}

/// The path as it is on disk when it exists there with other letter case (`base.join(word)`
/// matched one component at a time, ignoring case), as a Mac's default disk would find it.
pub fn find_ignoring_case(base: &Path, word: &str) -> Option<PathBuf> {
    let mut at = base.to_path_buf();
    for part in Path::new(word).components() {
        use std::path::Component;
        match part {
            Component::Normal(name) => {
                let exact = at.join(name);
                if exact.exists() {
                    at = exact;
                    continue;
                }
                let wanted = name.to_string_lossy().to_lowercase();
                let found = std::fs::read_dir(&at).ok()?.flatten().find(|e| e.file_name().to_string_lossy().to_lowercase() == wanted)?;
                at = found.path();
            }
            Component::CurDir => {}
            Component::ParentDir => at = at.parent()?.to_path_buf(),
            _ => return None,
        }
    }
    Some(at)
}

/// The file or folder at `path` as a Mac's default (case-insensitive) disk finds it: the path
/// itself when it exists, else the same path with other letter case in its names below the
/// deepest folder that exists (xDrip's `INFOPLIST_FILE = xdrip/Supporting Files/Info.plist`
/// is `xDrip/Supporting Files/Info.plist` in its checkout), else `None`.
pub fn on_disk(path: &Path) -> Option<PathBuf> {
    if path.exists() {
        return Some(path.to_path_buf());
    }
    let base = path.ancestors().skip(1).find(|a| a.as_os_str().is_empty() || a.is_dir())?;
    let rest = path.strip_prefix(base).ok()?;
    let from = if base.as_os_str().is_empty() { Path::new(".") } else { base };
    let found = find_ignoring_case(from, &rest.to_string_lossy())?;
    Some(if base.as_os_str().is_empty() { found.strip_prefix(".").map(Path::to_path_buf).unwrap_or(found) } else { found })
}

/// A path a build setting gives from a project's folder (`INFOPLIST_FILE`,
/// `CODE_SIGN_ENTITLEMENTS`): joined, `..` folded, and as it is on disk when only its letter
/// case differs ([`on_disk`]); the joined path when nothing is there.
pub fn in_folder(dir: &Path, value: &str) -> PathBuf {
    let p = Path::new(value);
    let joined = normalize(&if p.is_absolute() { p.to_path_buf() } else { dir.join(p) });
    on_disk(&joined).unwrap_or(joined)
}

/// The files directly in `dir` whose extension is one of `extensions`, sorted (none when `dir`
/// cannot be read).
pub fn files_with_extension(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| extensions.iter().any(|x| e == *x))).collect();
    v.sort();
    v
}

/// Words a committed stand-in for a file kept out of git carries beside the real name
/// (`App.xcconfig.template`, `Secrets.example.xcconfig`, `Config-sample.xcconfig`).
const TEMPLATE_WORDS: &[&str] = &["template", "example", "sample", "dist", "tmpl", "default"];

/// The committed template a team copies to make `path` when `path` itself is absent (its
/// setup copies `App.xcconfig.template` to `App.xcconfig`, as Mullvad's does): the name with
/// `.template`, `.example`, `.sample`, `.dist`, `.tmpl` or `.default` after it, or before its
/// extension (`.example.xcconfig`, `-example.xcconfig`). None when `path` exists.
pub fn template_of(path: &Path) -> Option<PathBuf> {
    if path.exists() {
        return None;
    }
    let name = path.file_name()?.to_str()?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, Some(e)),
        _ => (name, None),
    };
    TEMPLATE_WORDS
        .iter()
        .flat_map(|w| {
            let mut names = vec![format!("{name}.{w}")];
            if let Some(ext) = ext {
                names.push(format!("{stem}.{w}.{ext}"));
                names.push(format!("{stem}-{w}.{ext}"));
                names.push(format!("{stem}_{w}.{ext}"));
            }
            names
        })
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// Whether `path` is named as a template of another file ([`template_of`]'s names).
pub fn is_template(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    let lower = name.to_ascii_lowercase();
    TEMPLATE_WORDS.iter().any(|w| lower.ends_with(&format!(".{w}")) || [".", "-", "_"].iter().any(|sep| lower.contains(&format!("{sep}{w}."))))
}

/// Writes a file whole or not at all (a reader never sees half of it).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    // Through a symlink, the file it points to is written (the link and the target's mode stay).
    let real = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => path.canonicalize().map_err(|e| Error::io(path, &e))?,
        _ => path.to_path_buf(),
    };
    let path = real.as_path();
    let mut file = atomic_write_file::AtomicWriteFile::options().open(path).map_err(|e| Error::io(path, &e))?;
    file.write_all(bytes).map_err(|e| Error::io(path, &e))?;
    file.commit().map_err(|e| Error::io(path, &e))?;
    Ok(())
}

/// The same file on disk (through symlinks and `..`), or the same path when either is absent.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `f` of each item, on every core (at most eight): each core takes the next item as it finishes
/// one, and the results come back in the items' order. An item whose worker stopped (a panic)
/// is `None`.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8).min(items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    for (i, r) in done {
        results[i] = Some(r);
    }
    results
}

/// Folds `.` and `name/..` out of a path without touching the disk.
pub fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_the_items_order() {
        let items: Vec<u32> = (0..500).collect();
        let out = par_map(&items, |x| x * 2);
        assert_eq!(out, items.iter().map(|x| Some(x * 2)).collect::<Vec<_>>());
        assert!(par_map(&[] as &[u32], |x| *x).is_empty());
    }

    #[test]
    fn a_path_with_other_letter_case_is_found_as_a_mac_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("xDrip/Supporting Files")).unwrap();
        std::fs::write(d.join("xDrip/Supporting Files/Info.plist"), "").unwrap();
        assert_eq!(on_disk(&d.join("xdrip/Supporting Files/Info.plist")), Some(d.join("xDrip/Supporting Files/Info.plist")));
        assert_eq!(on_disk(&d.join("xDrip/Supporting Files/Info.plist")), Some(d.join("xDrip/Supporting Files/Info.plist")));
        assert_eq!(on_disk(&d.join("xdrip/Supporting Files/Other.plist")), None);
        assert_eq!(on_disk(&d.join("Elsewhere/Info.plist")), None);
    }

    #[test]
    fn a_missing_file_is_made_from_its_template() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("App.xcconfig.template"), "A = 1\n").unwrap();
        std::fs::write(d.join("Secrets.example.xcconfig"), "B = 2\n").unwrap();
        std::fs::write(d.join("Keys-sample.plist"), "").unwrap();
        assert_eq!(template_of(&d.join("App.xcconfig")), Some(d.join("App.xcconfig.template")));
        assert_eq!(template_of(&d.join("Secrets.xcconfig")), Some(d.join("Secrets.example.xcconfig")));
        assert_eq!(template_of(&d.join("Keys.plist")), Some(d.join("Keys-sample.plist")));
        assert_eq!(template_of(&d.join("Other.xcconfig")), None);
        // A file that is there needs no stand-in.
        std::fs::write(d.join("App.xcconfig"), "A = 3\n").unwrap();
        assert_eq!(template_of(&d.join("App.xcconfig")), None);
        assert!(is_template(Path::new("a/App.xcconfig.template")) && is_template(Path::new("Secrets.example.xcconfig")));
        assert!(!is_template(Path::new("Examples.xcconfig")) && !is_template(Path::new("App.xcconfig")) && !is_template(Path::new("Default.xcconfig")));
    }

    fn with_data_dir<T>(f: impl FnOnce(&Path) -> T) -> T {
        let dir = tempfile::tempdir().unwrap();
        f(dir.path())
    }

    #[test]
    fn replace_keeps_backup_and_undo_restores() {
        with_data_dir(|dir| {
            let p = dir.join("a.xcconfig");
            std::fs::write(&p, "A = 1\n").unwrap();
            let r = ReadFile::read(&p).unwrap();
            let backups = dir.join("backups");
            assert_eq!(replace_in(&backups, &r, b"A = 1\n").unwrap(), Written::Unchanged);
            assert!(last_backup(&backups, &p).is_none());
            let w = replace_in(&backups, &r, b"A = 2\n").unwrap();
            assert!(matches!(w, Written::Replaced { .. }));
            assert_eq!(std::fs::read_to_string(&p).unwrap(), "A = 2\n");
            restore_last_in(&backups, &p).unwrap();
            assert_eq!(std::fs::read_to_string(&p).unwrap(), "A = 1\n");
        })
    }

    #[test]
    fn replace_refuses_a_file_changed_behind_our_back() {
        with_data_dir(|dir| {
            let p = dir.join("b.xcconfig");
            std::fs::write(&p, "A = 1\n").unwrap();
            let r = ReadFile::read(&p).unwrap();
            std::fs::write(&p, "A = 9\n").unwrap();
            let err = replace_in(&dir.join("backups"), &r, b"A = 2\n").unwrap_err().to_string();
            assert!(err.contains("changed on disk"), "{err}");
            assert_eq!(std::fs::read_to_string(&p).unwrap(), "A = 9\n");
        })
    }

    #[test]
    fn diff_is_unified() {
        let d = unified_diff("x.xcconfig", "A = 1\nB = 2\n", "A = 1\nB = 3\n");
        assert!(d.contains("--- a/x.xcconfig"));
        assert!(d.contains("-B = 2\n+B = 3"));
    }

    #[test]
    fn undo_refuses_over_a_newer_change_and_edits_through_a_link_keep_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let backups = dir.path().join("backups");
        let real = dir.path().join("real.xcconfig");
        std::fs::write(&real, "A = 1\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.xcconfig");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let read = ReadFile::read(&link).unwrap();
        replace_in(&backups, &read, b"A = 2\n").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "A = 2\n");
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640, "the target keeps its mode");
        // Someone changes the file after the edit: undo refuses and keeps their change.
        std::fs::write(&real, "A = 3\n").unwrap();
        let err = restore_last_in(&backups, &link).unwrap_err().to_string();
        assert!(err.contains("changed since the edit"), "{err}");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "A = 3\n");
        // Back to what the edit wrote: undo works, through the link, keyed by the real path.
        std::fs::write(&real, "A = 2\n").unwrap();
        restore_last_in(&backups, &real).unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "A = 1\n");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    }
}
