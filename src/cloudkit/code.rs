//! Where the app's own code names a CloudKit container: `CKContainer(identifier:
//! "iCloud.…")`, a `containerIdentifier` constant, `url(forUbiquityContainerIdentifier:)`.
//! Real apps name it there as well as in their entitlements (Bleat, Reolens, Lightward,
//! HardPhaseTracker), and a container the code asks for but the entitlements do not grant fails
//! at run time, not at build time.

use std::path::{Path, PathBuf};

/// Source files that can name a container: Swift and Objective-C.
const EXTENSIONS: &[&str] = &["swift", "m", "mm", "h"];
/// Folders that are not the app's code: dependencies, build output, tools' caches.
const SKIP_DIRS: &[&str] = &["build", "DerivedData", "node_modules", "Pods", "Carthage", "target", "SourcePackages", "vendor", "Vendor", "checkouts", "fastlane"];
const MAX_DEPTH: usize = 8;
/// Bounds on the walk, so a huge repository costs a known amount: files looked at, and bytes
/// of one file read (generated sources above it are not where a container is named).
const MAX_FILES: usize = 20_000;
const MAX_FILE_BYTES: u64 = 1 << 20;

/// One container id written as a string literal in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    /// The id, without its quotes.
    pub id: String,
}

/// A test folder: its containers are the tests' (`iCloud.co.pointfree.Testing`), not the app's.
fn is_test_dir(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with("tests") || ["test", "testsupport", "testing", "testhelpers", "fixtures", "mocks"].contains(&lower.as_str())
}

/// Every container literal in the code under `root`, in path order, outside the folders in
/// `skip` (the repository's git submodules: other projects' code, as Provenance's emulator
/// cores are).
pub fn literals(tree: &crate::tree::Tree, skip: &[PathBuf]) -> Vec<Literal> {
    let mut files = Vec::new();
    walk(tree, tree.root(), 0, skip, &mut files);
    files.sort();
    // Read on every core (Provenance: 12,000 sources, most of the time the kernel's reads), in
    // runs of the sorted list, so the literals come out in the files' order.
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4);
    let run = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files.chunks(run).map(|chunk| scope.spawn(move || chunk.iter().flat_map(|f| literals_in(f)).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

/// The literals of one file; none when it cannot be read or is over `MAX_FILE_BYTES`.
fn literals_in(f: &Path) -> Vec<Literal> {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(f) else { return vec![] };
    let mut bytes = Vec::new();
    if file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).is_err() || bytes.len() as u64 > MAX_FILE_BYTES {
        return vec![];
    }
    // Cheap test first: most files name no container.
    if memchr::memmem::find(&bytes, b"\"iCloud.").is_none() {
        return vec![];
    }
    let text = String::from_utf8_lossy(&bytes);
    text.lines().enumerate().flat_map(|(i, line)| in_line(line).into_iter().map(move |id| Literal { file: f.to_path_buf(), line: i + 1, id })).collect()
}

fn walk(tree: &crate::tree::Tree, dir: &Path, depth: usize, skip: &[PathBuf], files: &mut Vec<PathBuf>) {
    use crate::tree::Kind;
    if depth > MAX_DEPTH || files.len() >= MAX_FILES {
        return;
    }
    let Some(entries) = tree.list(dir) else { return };
    // A header is read where Objective-C or Swift code lives beside it: Provenance's 10,000
    // headers are mostly its emulator cores' C and C++, which name no container.
    let from = files.len();
    let mut objc_here = false;
    for entry in entries.iter() {
        let name = entry.name();
        match entry.kind {
            Kind::Dir => {
                let skip_name =
                    name.starts_with('.') || SKIP_DIRS.contains(&name.as_ref()) || is_test_dir(&name) || name.ends_with(".xcodeproj") || name.ends_with(".xcworkspace") || name.ends_with(".xcassets");
                let path = dir.join(&entry.name);
                if !(skip_name || skip.contains(&path)) {
                    walk(tree, &path, depth + 1, skip, files);
                }
            }
            Kind::File if files.len() < MAX_FILES => {
                let path = dir.join(&entry.name);
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                if EXTENSIONS.contains(&ext) {
                    objc_here |= ext != "h";
                    files.push(path);
                }
            }
            _ => {}
        }
    }
    if !objc_here {
        // This folder's own headers are among the files after `from` (its subfolders' too).
        let tail = files.split_off(from);
        files.extend(tail.into_iter().filter(|f| !(f.parent() == Some(dir) && f.extension().is_some_and(|e| e == "h"))));
    }
}

/// The container ids a line of code writes as literals: `"iCloud.` then letters, digits, dots
/// and hyphens up to the closing quote. Comments are skipped; an id built at run time
/// (`"iCloud.\(bundleID)"`) is not a literal and is left out.
pub fn in_line(line: &str) -> Vec<String> {
    let trimmed = line.trim_start();
    if trimmed.starts_with("//") || trimmed.starts_with("/*") || trimmed.starts_with('*') {
        return vec![];
    }
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("\"iCloud.") {
        let after = &rest[at + 1..];
        let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')).unwrap_or(after.len());
        let id = &after[..len];
        let closed = after[len..].starts_with('"');
        let tail = id.strip_prefix("iCloud.").unwrap_or("");
        if closed && !tail.is_empty() && !tail.starts_with('.') && !tail.ends_with('.') {
            out.push(id.to_string());
        }
        rest = &after[len..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_in_swift_and_objective_c() {
        assert_eq!(in_line(r#"    static let containerIdentifier = "iCloud.com.lightward""#), ["iCloud.com.lightward"]);
        assert_eq!(in_line(r#"let c = CKContainer(identifier: "iCloud.com.example.app-2")"#), ["iCloud.com.example.app-2"]);
        assert_eq!(in_line(r#"#define CONTAINER @"iCloud.org.example.Notes""#), ["iCloud.org.example.Notes"]);
        assert_eq!(in_line(r#"f("iCloud.a.b", "iCloud.c.d")"#), ["iCloud.a.b", "iCloud.c.d"]);
        // Built at run time, a comment, a prefix only: not container literals.
        assert!(in_line(r#"let id = "iCloud.\(Bundle.main.bundleIdentifier!)""#).is_empty());
        assert!(in_line(r#"    // CKContainer(identifier: "iCloud.com.old.app")"#).is_empty());
        assert!(in_line(r#" * "iCloud.com.doc.example""#).is_empty());
        assert!(in_line(r#"if id.hasPrefix("iCloud.") {"#).is_empty());
    }

    #[test]
    fn the_app_code_is_read_and_tests_and_dependencies_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("App/Sync.swift", "import CloudKit\n\nlet container = CKContainer(\n    identifier: \"iCloud.com.example.App\"\n)\n");
        w("Sources/Core/Store.m", "NSString *const kContainer = @\"iCloud.com.example.App\";\n");
        w("AppTests/SyncTests.swift", "let c = \"iCloud.com.example.Testing\"\n");
        w("Pods/Kit/Kit.swift", "let c = \"iCloud.com.kit.Demo\"\n");
        w(".build/checkouts/x.swift", "let c = \"iCloud.com.other\"\n");
        w("App/Readme.md", "\"iCloud.com.example.Doc\"\n");
        let found = literals(&crate::tree::Tree::read(dir.path()), &[]);
        let got: Vec<(String, usize, &str)> = found.iter().map(|l| (l.file.strip_prefix(dir.path()).unwrap().display().to_string(), l.line, l.id.as_str())).collect();
        assert_eq!(got, [("App/Sync.swift".to_string(), 4, "iCloud.com.example.App"), ("Sources/Core/Store.m".to_string(), 1, "iCloud.com.example.App")]);
        // A git submodule's code is another project's (Provenance's emulator cores).
        w("Cores/Emu/Cloud.m", "NSString *const k = @\"iCloud.org.emu.core\";\n");
        assert!(literals(&crate::tree::Tree::read(dir.path()), &[]).iter().any(|l| l.id == "iCloud.org.emu.core"));
        assert!(!literals(&crate::tree::Tree::read(dir.path()), &[dir.path().join("Cores/Emu")]).iter().any(|l| l.id == "iCloud.org.emu.core"));
        // A header beside Objective-C or Swift code is read; a folder of C headers is not.
        w("Sources/Core/Store.h", "#define kCloud @\"iCloud.com.example.Header\"\n");
        w("Cores/Snes/include/snes.h", "#define X \"iCloud.com.c.header\"\n");
        w("Cores/Snes/include/snes.c", "int x;\n");
        let ids: Vec<String> = literals(&crate::tree::Tree::read(dir.path()), &[]).into_iter().map(|l| l.id).collect();
        assert!(ids.contains(&"iCloud.com.example.Header".to_string()) && !ids.contains(&"iCloud.com.c.header".to_string()), "{ids:?}");
    }
}
