//! Parses a project.pbxproj and lists every build configuration, for the benchmark in
//! benches/pbxproj (run with `cargo run --release --example pbxproj_bench -- FILE [query]`).

use shipdeck::pbxproj::{Document, Project};
use std::path::Path;

fn main() {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: pbxproj_bench FILE [query]");
        std::process::exit(2);
    };
    let query = std::env::args().nth(2).as_deref() == Some("query");
    let path = Path::new(&file);
    let doc = match Document::read(path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if query {
        let xcodeproj = path.parent().unwrap_or(Path::new("."));
        let project = Project::new(&doc, xcodeproj).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
        let lists = project.all_lists();
        let configs: usize = lists.iter().map(|l| l.configurations.len()).sum();
        println!("{} lists, {configs} configurations", lists.len());
    } else {
        println!("{} top-level entries", doc.root.entries.len());
    }
}
