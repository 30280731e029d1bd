//! The layers import no circle, in the engine (`src/`, one node per top-level module) and in
//! the app's shell (`src-tauri/src/`, one node per file). An edge is a `crate::x` path, or a
//! name in `crate::{...}`; the crate root's re-exports (`Error`, `Workspace`, ...) count as
//! the module that defines them. Test modules are left out: they may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The root's re-exports, as the module each comes from.
const REEXPORTS: &[(&str, &str)] =
    &[("Error", "error"), ("Result", "error"), ("Workspace", "workspace"), ("Finding", "finding"), ("Fix", "finding"), ("Report", "finding"), ("Severity", "finding"), ("Summary", "finding")];

/// The modules a file's code (before its tests) names.
fn uses(text: &str) -> BTreeSet<String> {
    // Test-only code is left out: a test module, to its closing brace (rustfmt puts a top-level
    // module's at the start of a line; code after it is kept: settings.rs once held its tests
    // in the middle, and the code after them was hidden from this check), and any other item
    // under `#[cfg(test)]` (one line: discover's `mod fixture;` near its top).
    let mut kept = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            match lines.next() {
                Some(next) if next.starts_with("mod ") && next.trim_end().ends_with('{') => {
                    for inside in lines.by_ref() {
                        if inside == "}" {
                            break;
                        }
                    }
                    continue;
                }
                _ => continue,
            }
        }
        kept.push(line);
    }
    let code = kept.join("\n");
    let code = code.as_str();
    let ident = |s: &str| -> String { s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect() };
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|p| ident(p.trim())).filter(|m| !m.is_empty()));
        } else {
            out.insert(ident(rest));
        }
    }
    out.into_iter().filter(|m| !m.is_empty()).map(|m| REEXPORTS.iter().find(|(n, _)| *n == m).map_or(m, |(_, module)| module.to_string())).collect()
}

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn files(dir: &Path, top: Option<&str>, out: &mut Vec<(String, std::path::PathBuf)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        let owner = top.map(str::to_string).unwrap_or_else(|| name.clone());
        if p.is_dir() {
            files(&p, Some(&owner), out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push((owner, p));
        }
    }
}

/// Modules that are one layer, named by the first: a folder read as Xcode reads it.
/// `Workspace::open` discovers a workspace without shipdeck.toml, discovery resolves each
/// candidate's build settings, and the settings are resolved for a workspace's targets
/// (docs/architecture.md). The circle among the three is allowed; no other is.
const ONE_LAYER: &[&[&str]] = &[&["workspace", "discover", "settings"]];

fn layer(m: &str) -> String {
    ONE_LAYER.iter().find(|l| l.contains(&m)).map_or(m, |l| l[0]).to_string()
}

/// The graph with each layer of [`ONE_LAYER`] as one node.
fn layered(g: &Graph) -> Graph {
    let mut out = Graph::new();
    for (m, edges) in g {
        let m = layer(m);
        let edges: Vec<String> = edges.iter().map(|e| layer(e)).filter(|e| *e != m).collect();
        out.entry(m).or_default().extend(edges);
    }
    out
}

fn graph(dir: &str, outside: &[&str]) -> Graph {
    let mut list = Vec::new();
    files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), None, &mut list);
    let mut g = Graph::new();
    for (module, path) in list {
        if outside.contains(&module.as_str()) {
            continue;
        }
        let edges = uses(&std::fs::read_to_string(&path).unwrap());
        g.entry(module.clone()).or_default().extend(edges.into_iter().filter(|m| *m != module));
    }
    g
}

fn cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(n: &str, g: &Graph, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys().find_map(|n| visit(n, g, &mut Vec::new(), &mut done))
}

#[test]
fn the_engine_imports_no_circle() {
    // The CLI and the binary sit on top of the engine; they are not part of it.
    let g = graph("src", &["lib", "main", "cli"]);
    assert!(g.contains_key("checks") && g.contains_key("release") && g.contains_key("text"), "{g:?}");
    assert_eq!(cycle(&layered(&g)), None, "{g:#?}");
    // The checks are handed App Store Connect; they never reach into a release.
    assert!(!g["checks"].contains("release"), "{:?}", g["checks"]);
    // The parsers know text, files and errors, not the workspace built on them.
    for parser in ["pbxproj", "xcconfig", "plist_file", "fsutil", "text", "finding"] {
        let edges = g.get(parser).cloned().unwrap_or_default();
        assert!(!edges.contains("workspace") && !edges.contains("checks"), "{parser} -> {edges:?}");
    }
}

#[test]
fn the_app_shell_imports_no_circle() {
    let g = graph("src-tauri/src", &["lib", "main"]);
    assert!(g.contains_key("commands") && g.contains_key("tray"), "{g:?}");
    assert_eq!(cycle(&g), None, "{g:#?}");
    // The tray knows the state (and the notifications), nothing that knows the tray.
    let tray = &g["tray"];
    assert!(!tray.contains("commands") && !tray.contains("release"), "{tray:?}");
}

#[test]
fn the_cycle_finder_finds_one_and_reads_groups() {
    let mut g = Graph::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert!(cycle(&g).is_some());
    let u = uses("use crate::{error::Error, Workspace};\nfn f() { crate::text::line_col(\"\", 0); }\n#[cfg(test)]\nuse crate::release;");
    assert_eq!(u, BTreeSet::from(["error".to_string(), "workspace".to_string(), "text".to_string()]));
}

#[test]
fn the_engine_returns_typed_errors_not_strings() {
    // `Result<_, String>` hides what went wrong from the window (no code, no item): the engine's
    // functions return `crate::Result` (an `Error` with a `Code`).
    let mut list = Vec::new();
    files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), None, &mut list);
    let stringly: Vec<String> = list
        .iter()
        .filter(|(module, _)| module != "cli" && module != "main")
        .flat_map(|(_, path)| {
            let text = std::fs::read_to_string(path).unwrap();
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.contains("Result<") && l.replace(' ', "").contains(",String>"))
                .map(|(n, l)| format!("{}:{}: {}", path.display(), n + 1, l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(stringly.is_empty(), "{}", stringly.join("\n"));
}
