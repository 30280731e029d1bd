#![no_main]
//! Any text: the parser returns a tree or an error with a place, never panics; the model's
//! queries and the add-configuration edit never panic, and an edit always re-parses.

use libfuzzer_sys::fuzz_target;
use shipdeck::pbxproj::{add_configuration, AddConfiguration, Document, Project};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = Document::parse(text.to_string(), Path::new("fuzz.pbxproj")) else { return };
    assert_eq!(doc.text, text);
    let Ok(p) = Project::new(&doc, Path::new("/fuzz/P.xcodeproj")) else { return };
    for list in p.all_lists() {
        for c in &list.configurations {
            let _ = c.base_xcconfig.as_ref();
        }
    }
    let add = AddConfiguration { from: "Release".into(), name: "Production".into(), xcconfig: None };
    if let Ok(edit) = add_configuration(&doc, Path::new("/fuzz/P.xcodeproj"), &add) {
        assert!(Document::parse(edit.text, Path::new("fuzz.pbxproj")).is_ok());
    }
});
