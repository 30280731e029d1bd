#![no_main]
//! Any text: parsing keeps every byte, edits never panic, and the resolver never panics.

use libfuzzer_sys::fuzz_target;
use shipdeck::xcconfig::{layer, Conditions, Document, LevelEntry};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = Document::parse(text);
    assert_eq!(doc.as_str(), text);
    let covered: String = doc.lines.iter().map(|l| &text[l.span.start..l.eol.end]).collect();
    assert_eq!(covered, text);
    if let Some(new) = doc.set("FUZZ_KEY", &[], "value") {
        let again = Document::parse(&new);
        assert!(again.assignments().any(|(_, a)| a.name == "FUZZ_KEY" && a.value == "value"));
    }
    let _ = doc.unset("A", &[]);
    // The evaluator on the file's assignments as one level.
    let level: Vec<LevelEntry> = doc
        .assignments()
        .map(|(l, a)| LevelEntry { key: a.name.clone(), value: a.value.clone(), file: "fuzz".into(), line: l.number })
        .collect();
    let cond = Conditions { sdk: Some("iphoneos".into()), ..Default::default() };
    let _ = layer(&Default::default(), &cond, &level);
});
