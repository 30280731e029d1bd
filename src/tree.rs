//! The repository's folders, listed once for every walk of a check.
//!
//! Discovery, the workspace scan, the workflow check and the CloudKit code scan each walk the
//! repository with rules of their own (what to skip, how deep). On Provenance (28,940 files,
//! 3,300 folders) that was three walks of the disk in one `check`. A [`Tree`] reads each folder
//! the walks can reach once, on every core, and each walk then goes through the listing in
//! memory with its own rules. A folder the listing does not hold (below one it skips) is read
//! from the disk when asked for, so a walk sees what it saw before.
//!
//! The listing is what was on disk when it was read: names and kinds, not contents. A
//! workspace (`Workspace`) reads it at its first walk and keeps it for its life; a command that adds
//! files and then needs to see them opens the workspace again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Folders no walk goes into: version control and other tools' hidden folders (but CI's
/// `.github` and `.circleci`, which discovery reads), build output and installed dependencies.
const SKIPPED: &[&str] = &["build", "DerivedData", "node_modules", "Pods", "Carthage", "target"];
/// The deepest folder any walk reads (the CloudKit code scan's).
const MAX_DEPTH: usize = 8;

/// What a folder entry is, as `DirEntry::file_type` says (a symbolic link is not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
    Other,
}

/// One entry of a folder.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: OsString,
    pub kind: Kind,
}

impl Entry {
    /// The name as text (lossy for a name that is not UTF-8).
    pub fn name(&self) -> Cow<'_, str> {
        self.name.to_string_lossy()
    }
}

/// The folders of a repository and their entries, sorted by name.
pub struct Tree {
    root: PathBuf,
    dirs: HashMap<PathBuf, Vec<Entry>>,
}

impl std::fmt::Debug for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tree({}, {} folders)", self.root.display(), self.dirs.len())
    }
}

/// Whether a walk of the repository can go into a folder of this name: a `.xcodeproj` or
/// `.xcworkspace` is a document, not a folder of the repository's.
fn walked(name: &str) -> bool {
    let hidden = name.starts_with('.') && name != ".github" && name != ".circleci";
    !(hidden || SKIPPED.contains(&name) || name.ends_with(".xcodeproj") || name.ends_with(".xcworkspace"))
}

/// A folder's entries from the disk, sorted by name; none when it cannot be read.
fn read(dir: &Path) -> Option<Vec<Entry>> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut out: Vec<Entry> = entries
        .flatten()
        .filter_map(|e| {
            let ft = e.file_type().ok()?;
            let kind = if ft.is_dir() {
                Kind::Dir
            } else if ft.is_file() {
                Kind::File
            } else {
                Kind::Other
            };
            Some(Entry { name: e.file_name(), kind })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Some(out)
}

impl Tree {
    /// Reads the folders under `root` that a walk can reach, a level at a time, each level's
    /// folders on every core.
    pub fn read(root: &Path) -> Tree {
        let mut dirs = HashMap::new();
        let mut level = vec![root.to_path_buf()];
        for depth in 0..=MAX_DEPTH {
            if level.is_empty() {
                break;
            }
            let listed = crate::fsutil::par_map(&level, |d| read(d));
            let mut next = Vec::new();
            for (dir, entries) in level.into_iter().zip(listed) {
                // A worker that stopped: read here.
                let Some(entries) = entries.unwrap_or_else(|| read(&dir)) else { continue };
                if depth < MAX_DEPTH {
                    next.extend(entries.iter().filter(|e| e.kind == Kind::Dir && walked(&e.name())).map(|e| dir.join(&e.name)));
                }
                dirs.insert(dir, entries);
            }
            level = next;
        }
        Tree { root: root.to_path_buf(), dirs }
    }

    /// The folder the listing was read from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A folder's entries, sorted by name: from the listing, or from the disk for a folder it
    /// does not hold; none when the folder cannot be read.
    pub fn list(&self, dir: &Path) -> Option<Cow<'_, [Entry]>> {
        match self.dirs.get(dir) {
            Some(entries) => Some(Cow::Borrowed(entries)),
            None => read(dir).map(Cow::Owned),
        }
    }
}

/// A listing read at its first use and shared by the clones of a workspace.
#[derive(Clone, Default)]
pub struct Shared(Arc<OnceLock<Tree>>);

impl Shared {
    /// The listing of `root`, read now if it was not yet.
    pub fn get(&self, root: &Path) -> &Tree {
        self.0.get_or_init(|| Tree::read(root))
    }

    /// A listing already read.
    pub fn with(tree: Tree) -> Shared {
        let cell = OnceLock::new();
        let _ = cell.set(tree);
        Shared(Arc::new(cell))
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.get() {
            Some(t) => t.fmt(f),
            None => f.write_str("Tree(not read)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_holds_what_walks_reach_and_reads_the_rest_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["App/Sources", "node_modules/pkg", ".github/workflows", ".git/objects", "App.xcodeproj", "a/b/c/d/e/f/g/h/i/j"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("App/Sources/b.swift"), "").unwrap();
        std::fs::write(root.join("App/Sources/a.swift"), "").unwrap();
        std::fs::write(root.join("node_modules/pkg/index.js"), "").unwrap();
        let tree = Tree::read(root);
        let names = |d: &str| -> Vec<String> { tree.list(&root.join(d)).unwrap().iter().map(|e| e.name().into_owned()).collect() };
        assert_eq!(names("App/Sources"), ["a.swift", "b.swift"], "sorted");
        assert!(tree.dirs.contains_key(&root.join(".github/workflows")));
        for skipped in ["node_modules", ".git", "App.xcodeproj", "a/b/c/d/e/f/g/h/i"] {
            assert!(!tree.dirs.contains_key(&root.join(skipped)), "{skipped} is not listed");
        }
        assert!(tree.dirs.contains_key(&root.join("a/b/c/d/e/f/g/h")), "eight levels down");
        // Not listed, still read when asked.
        assert_eq!(names("node_modules/pkg"), ["index.js"]);
        assert!(tree.list(&root.join("missing")).is_none());
        let kinds: Vec<Kind> = tree.list(root).unwrap().iter().map(|e| e.kind).collect();
        assert!(kinds.iter().all(|k| *k == Kind::Dir), "{kinds:?}");
    }
}
