//! Edits on a parsed `.xcconfig`: each changes only the bytes it must.

use super::parse::{Document, LineKind};

/// Conditions of an assignment, compared without regard to their order.
fn same_conditions(a: &[(String, String)], b: &[(String, String)]) -> bool {
    let mut a: Vec<_> = a.to_vec();
    let mut b: Vec<_> = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

/// A value as an xcconfig must hold it so that Xcode reads it back whole: `//` starts a
/// comment, so each `//` is written `/$()/` (an empty reference between the slashes, as Xcode
/// users write URLs); a line break would end the assignment and start another, so it is refused.
pub fn encode_value(value: &str) -> crate::Result<String> {
    if value.contains(['\n', '\r']) {
        return Err(crate::Error::Invalid("a value cannot hold a line break (it would end the setting and start another line)".into()));
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find("//") {
        out.push_str(&rest[..i]);
        out.push_str("/$()/");
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    // A value ending in `\` would continue onto the next line.
    if out.ends_with('\\') {
        return Err(crate::Error::Invalid("a value cannot end with a backslash (Xcode would join the next line to it)".into()));
    }
    Ok(out)
}

impl Document {
    /// Sets `name` (with exactly these conditions) to `value`. The last such assignment is
    /// changed in place, keeping its spacing, `;` and comment; a new key is appended.
    /// Returns the new text, or `None` when the value is already that.
    pub fn set(&self, name: &str, conditions: &[(String, String)], value: &str) -> Option<String> {
        let found = self.assignments().filter(|(_, a)| a.name == name && same_conditions(&a.conditions, conditions)).last();
        match found {
            Some((_, a)) if a.value == value => None,
            Some((line, a)) => {
                let mut out = String::with_capacity(self.text.len() + value.len());
                let span = a.value_span.clone();
                out.push_str(&self.text[..span.start]);
                // `KEY =` with nothing after it: keep one space between `=` and the value.
                if span.is_empty() && !self.text[line.span.start..span.start].ends_with([' ', '\t']) {
                    out.push(' ');
                }
                out.push_str(value);
                out.push_str(&self.text[span.end..]);
                Some(out)
            }
            None => {
                let eol = self.line_ending().to_string();
                let conds: String = conditions.iter().map(|(k, v)| format!("[{k}={v}]")).collect();
                let new_line = format!("{name}{conds} = {value}");
                let mut out = self.text.clone();
                if self.ends_in_continuation() {
                    // A blank line ends the `\` continuation, so the new key stands on its own.
                    if !out.ends_with('\n') {
                        out.push_str(&eol);
                    }
                    out.push_str(&eol);
                }
                if out.is_empty() || out.ends_with('\n') {
                    out.push_str(&new_line);
                    out.push_str(&eol);
                } else {
                    // The file has no final line break: keep it that way.
                    out.push_str(&eol);
                    out.push_str(&new_line);
                }
                Some(out)
            }
        }
    }

    /// Removes every assignment of `name` with exactly these conditions (whole lines, with
    /// their line endings). Returns the new text, or `None` when there is none.
    pub fn unset(&self, name: &str, conditions: &[(String, String)]) -> Option<String> {
        let doomed: Vec<_> = self.lines.iter().filter(|l| matches!(&l.kind, LineKind::Assign(a) if a.name == name && same_conditions(&a.conditions, conditions))).collect();
        if doomed.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(self.text.len());
        let mut pos = 0;
        for l in doomed {
            out.push_str(&self.text[pos..l.span.start]);
            pos = l.eol.end;
            // Removing the last line of a file without a final break: drop the break before it.
            if l.eol.is_empty() && out.ends_with('\n') {
                out.pop();
                if out.ends_with('\r') {
                    out.pop();
                }
            }
        }
        out.push_str(&self.text[pos..]);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_conds() -> Vec<(String, String)> {
        vec![]
    }

    #[test]
    fn set_in_place_keeps_everything_else() {
        let text = "// head\nA = 1 ; // keep me\r\nB\t=\t2\nA[sdk=iphoneos*] = 3\n";
        let d = Document::parse(text);
        assert_eq!(d.set("A", &no_conds(), "10").unwrap(), "// head\nA = 10 ; // keep me\r\nB\t=\t2\nA[sdk=iphoneos*] = 3\n");
        assert_eq!(d.set("B", &no_conds(), "x y").unwrap(), "// head\nA = 1 ; // keep me\r\nB\t=\tx y\nA[sdk=iphoneos*] = 3\n");
        let conds = vec![("sdk".to_string(), "iphoneos*".to_string())];
        assert_eq!(d.set("A", &conds, "4").unwrap(), "// head\nA = 1 ; // keep me\r\nB\t=\t2\nA[sdk=iphoneos*] = 4\n");
        assert_eq!(d.set("A", &no_conds(), "1"), None, "same value writes nothing");
    }

    #[test]
    fn set_changes_the_last_assignment_that_wins() {
        let d = Document::parse("A = 1\nA = 2\n");
        assert_eq!(d.set("A", &no_conds(), "3").unwrap(), "A = 1\nA = 3\n");
    }

    #[test]
    fn set_appends_a_new_key_in_the_files_style() {
        assert_eq!(Document::parse("A = 1\r\n").set("B", &no_conds(), "2").unwrap(), "A = 1\r\nB = 2\r\n");
        assert_eq!(Document::parse("A = 1").set("B", &no_conds(), "2").unwrap(), "A = 1\nB = 2");
        assert_eq!(Document::parse("").set("B", &no_conds(), "2").unwrap(), "B = 2\n");
        let conds = vec![("sdk".to_string(), "macosx*".to_string())];
        assert_eq!(Document::parse("A = 1\n").set("A", &conds, "2").unwrap(), "A = 1\nA[sdk=macosx*] = 2\n");
        assert_eq!(Document::parse("A =\n").set("A", &no_conds(), "2").unwrap(), "A = 2\n");
    }

    #[test]
    fn appending_after_a_continuation_keeps_the_new_key() {
        for text in ["R\\", "A = x \\\n", "A = x \\\r\n"] {
            let new = Document::parse(text).set("NEW", &no_conds(), "1").unwrap();
            let d = Document::parse(&new);
            assert!(d.assignments().any(|(_, a)| a.name == "NEW" && a.value == "1"), "{text:?} -> {new:?}");
        }
    }

    #[test]
    fn unset_removes_whole_lines_only() {
        let d = Document::parse("A = 1\nB = 2 // b\r\nA = 3\nC = 4");
        assert_eq!(d.unset("A", &no_conds()).unwrap(), "B = 2 // b\r\nC = 4");
        assert_eq!(d.unset("C", &no_conds()).unwrap(), "A = 1\nB = 2 // b\r\nA = 3");
        assert_eq!(d.unset("Z", &no_conds()), None);
    }

    #[test]
    fn urls_survive_and_line_breaks_are_refused() {
        let v = encode_value("https://errors.isometry.app/2").unwrap();
        assert_eq!(v, "https:/$()/errors.isometry.app/2");
        // Read back through the resolver, it is the URL again.
        let text = Document::parse("").set("DSN", &no_conds(), &v).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.xcconfig"), &text).unwrap();
        let r = crate::xcconfig::resolve_file(&dir.path().join("a.xcconfig"), &Default::default()).unwrap();
        assert_eq!(r.settings.value("DSN"), Some("https://errors.isometry.app/2"));
        assert!(encode_value("a\nB = 1").is_err());
        assert!(encode_value("x\\").is_err());
        assert_eq!(encode_value("plain value").unwrap(), "plain value");
    }
}
