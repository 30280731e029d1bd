//! A property list read for checks: its dictionary, and its text to find lines in.

use std::path::{Path, PathBuf};

pub struct PlistFile {
    pub path: PathBuf,
    pub text: String,
    pub dict: plist::Dictionary,
}

impl PlistFile {
    /// The file's top-level dictionary; `None` when it is missing or not a dictionary plist
    /// (the workspace check reports those with their error).
    pub fn read(path: &Path) -> Option<PlistFile> {
        let text = std::fs::read_to_string(path).ok()?;
        let dict = plist::Value::from_reader(std::io::Cursor::new(text.as_bytes())).ok()?.into_dictionary()?;
        Some(PlistFile { path: path.to_path_buf(), text, dict })
    }

    /// The line (1-based) of `<key>KEY</key>`.
    pub fn key_line(&self, key: &str) -> Option<usize> {
        let needle = format!("<key>{key}</key>");
        self.text.lines().position(|l| l.contains(&needle)).map(|i| i + 1)
    }

    /// The line (1-based) holding a text.
    pub fn line_of(&self, needle: &str) -> Option<usize> {
        self.text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.plist");
        std::fs::write(&p, "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>A</key>\n\t<string>x</string>\n</dict>\n</plist>\n").unwrap();
        let f = PlistFile::read(&p).unwrap();
        assert_eq!(f.key_line("A"), Some(4));
        assert_eq!(f.key_line("B"), None);
        assert_eq!(f.line_of("<string>x</string>"), Some(5));
        std::fs::write(&p, "not a plist").unwrap();
        assert!(PlistFile::read(&p).is_none());
    }
}

/// Where a property list stopped reading, for a message: the line and column (1-based) of the
/// byte offset the plist crate reports, and its words without the offset.
pub fn error_place(bytes: &[u8], e: &plist::Error) -> (Option<(usize, usize)>, String) {
    let shown = e.to_string();
    let (words, offset) = match shown.rfind(" (offset ") {
        Some(i) => (shown[..i].to_string(), shown[i + " (offset ".len()..].trim_end_matches(')').parse::<usize>().ok()),
        None => (shown.clone(), None),
    };
    let place = offset.map(|o| {
        let upto = &bytes[..o.min(bytes.len())];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        (line, column)
    });
    (place, words)
}

#[cfg(test)]
mod place_tests {
    #[test]
    fn a_broken_plist_is_placed_at_its_line_and_column() {
        let text = b"<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n  <key>A</key>\n  <strin>x</string>\n</dict>\n</plist>\n";
        let e = plist::Value::from_reader_xml(&text[..]).unwrap_err();
        let (place, words) = super::error_place(text, &e);
        let (line, _) = place.expect("the crate gives an offset");
        assert!((4..=5).contains(&line), "{line} {words}");
    }
}
