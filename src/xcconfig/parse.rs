//! A lossless reader of `.xcconfig` files: every byte is kept, so printing an untouched
//! document gives back the same bytes, and edits splice only the bytes they change.

use std::ops::Range;

/// One logical line: a physical line, or several joined by a trailing `\`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based number of the first physical line.
    pub number: usize,
    /// Bytes of the line's content, without its line ending.
    pub span: Range<usize>,
    /// Bytes of the line ending (`\n`, `\r\n`, or empty at the end of the file).
    pub eol: Range<usize>,
    pub kind: LineKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    Comment,
    Include {
        path: String,
        optional: bool,
    },
    Assign(Assignment),
    /// A line that is none of the above: kept as written, reported with its column.
    Invalid {
        column: usize,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    /// `[sdk=iphoneos*]` and friends, in the order written.
    pub conditions: Vec<(String, String)>,
    /// The value as written: trimmed, without a trailing `;` or comment, continuation
    /// lines joined with one space.
    pub value: String,
    /// Bytes of the value in the file (for in-place edits).
    pub value_span: Range<usize>,
}

/// A parsed `.xcconfig` document.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub lines: Vec<Line>,
}

impl Document {
    pub fn parse(text: &str) -> Document {
        let mut lines = Vec::new();
        let mut pos = 0;
        let mut number = 1;
        while pos < text.len() {
            let start = pos;
            let start_number = number;
            // Gather physical lines while the code part ends with a backslash.
            let (mut end, mut eol) = physical(text, pos);
            let mut last = start;
            number += 1;
            // Continue while the last physical line (not the joined text) ends with `\`.
            while continues(&text[last..end]) && eol.end < text.len() {
                last = eol.end;
                let (e, l) = physical(text, eol.end);
                end = e;
                eol = l;
                number += 1;
            }
            let kind = classify(text, start..end);
            lines.push(Line { number: start_number, span: start..end, eol: eol.clone(), kind });
            pos = eol.end;
        }
        Document { text: text.to_string(), lines }
    }

    /// The document as text: the same bytes it was parsed from, edits included.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn assignments(&self) -> impl Iterator<Item = (&Line, &Assignment)> {
        self.lines.iter().filter_map(|l| match &l.kind {
            LineKind::Assign(a) => Some((l, a)),
            _ => None,
        })
    }

    pub fn invalid_lines(&self) -> impl Iterator<Item = (&Line, usize, &str)> {
        self.lines.iter().filter_map(|l| match &l.kind {
            LineKind::Invalid { column, message } => Some((l, *column, message.as_str())),
            _ => None,
        })
    }

    /// Whether the file's last physical line ends with a `\` that would swallow a line
    /// appended after it.
    pub fn ends_in_continuation(&self) -> bool {
        let last_line = self.text.trim_end_matches(['\n', '\r']).rsplit('\n').next().unwrap_or("");
        !self.text.is_empty() && continues(last_line) && !self.text.ends_with("\n\n")
    }

    /// The line ending the file uses (its first one), `\n` when it has none.
    pub fn line_ending(&self) -> &str {
        self.lines.iter().map(|l| &self.text[l.eol.clone()]).find(|e| !e.is_empty()).unwrap_or("\n")
    }
}

/// The end of the physical line at `pos` and the range of its line ending.
fn physical(text: &str, pos: usize) -> (usize, Range<usize>) {
    match text[pos..].find('\n') {
        Some(i) => {
            let nl = pos + i;
            if nl > pos && text.as_bytes()[nl - 1] == b'\r' {
                (nl - 1, nl - 1..nl + 1)
            } else {
                (nl, nl..nl + 1)
            }
        }
        None => (text.len(), text.len()..text.len()),
    }
}

/// Whether a physical line continues on the next one (its code ends with `\`).
fn continues(line: &str) -> bool {
    code_of(line).trim_end().ends_with('\\')
}

/// The part of a line before a `//` comment (a comment starts anywhere, even in quotes).
fn code_of(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}
fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn classify(text: &str, span: Range<usize>) -> LineKind {
    let line = &text[span.clone()];
    let code = code_of(line);
    let trimmed = code.trim();
    if trimmed.is_empty() {
        return if code.len() < line.len() { LineKind::Comment } else { LineKind::Blank };
    }
    let lead = code.len() - code.trim_start().len();
    let invalid = |offset: usize, message: &str| LineKind::Invalid { column: line[..offset.min(line.len())].chars().count() + 1, message: message.to_string() };
    if let Some(rest) = trimmed.strip_prefix('#') {
        let (optional, rest) = match rest.strip_prefix("include?") {
            Some(r) => (true, r),
            None => match rest.strip_prefix("include") {
                Some(r) => (false, r),
                None => return invalid(lead, "unknown directive (only #include and #include? exist)"),
            },
        };
        let rest = rest.trim();
        return match rest.strip_prefix('"').and_then(|r| r.split_once('"')) {
            Some((path, after)) if after.trim().is_empty() && !path.is_empty() => LineKind::Include { path: path.to_string(), optional },
            _ => invalid(lead, "#include needs a path in double quotes"),
        };
    }
    // NAME[cond=pattern]... = value
    let bytes = code.as_bytes();
    let mut i = lead;
    if !is_name_start(bytes[i]) {
        return invalid(i, "expected a setting name or an #include");
    }
    while i < bytes.len() && is_name_char(bytes[i]) {
        i += 1;
    }
    let name = code[lead..i].to_string();
    let mut conditions = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'[' {
            let Some(close) = code[i..].find(']') else { return invalid(i, "a condition is missing its `]`") };
            let inner = &code[i + 1..i + close];
            let Some((k, v)) = inner.split_once('=') else { return invalid(i + 1, "a condition reads [name=pattern]") };
            let (k, v) = (k.trim(), v.trim());
            if k.is_empty() || !k.bytes().all(is_name_char) {
                return invalid(i + 1, "a condition reads [name=pattern]");
            }
            conditions.push((k.to_string(), v.to_string()));
            i += close + 1;
        } else {
            break;
        }
    }
    if i >= bytes.len() || bytes[i] != b'=' {
        return invalid(i, "expected `=` after the setting name");
    }
    i += 1;
    // The value: from the first non-blank after `=` to the end of the code, without a trailing `;`.
    let mut vstart = i;
    while vstart < bytes.len() && (bytes[vstart] == b' ' || bytes[vstart] == b'\t') {
        vstart += 1;
    }
    let mut vend = code.trim_end().len().max(vstart);
    if vend > vstart && bytes[vend - 1] == b';' {
        vend -= 1;
        while vend > vstart && (bytes[vend - 1] == b' ' || bytes[vend - 1] == b'\t') {
            vend -= 1;
        }
    }
    let raw = &code[vstart..vend];
    let value = if raw.contains('\n') {
        // Continuation lines: drop each `\` + line break + indentation, join with one space.
        raw.split('\n').map(|part| part.trim_end_matches('\r').trim_end().trim_end_matches('\\').trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
    } else {
        raw.to_string()
    };
    LineKind::Assign(Assignment { name, conditions, value, value_span: span.start + vstart..span.start + vend })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<LineKind> {
        Document::parse(text).lines.into_iter().map(|l| l.kind).collect()
    }

    #[test]
    fn round_trips_every_byte() {
        for text in [
            "",
            "A = 1",
            "A = 1\n",
            "A = 1\r\nB = 2\r\n",
            "\n\n// c \"quoted\"\n\t\tA[sdk=iphoneos*][arch=*] =\t$(inherited) x ; // trailing\n",
            "#include \"Base.xcconfig\"\n#include? \"Local\"\nX = a \\\n    b\nY=\n",
            "garbage line\n  = nothing\nA[sdk= = 1\n",
            "\u{feff}A = é ✓\n",
        ] {
            assert_eq!(Document::parse(text).as_str(), text);
            let joined: String = Document::parse(text).lines.iter().map(|l| &text[l.span.start..l.eol.end]).collect();
            assert_eq!(joined, text, "lines cover the file");
        }
    }

    #[test]
    fn classifies_lines() {
        let k = kinds("// hi\n\n#include? \"Local.xcconfig\"\nA[sdk=iphoneos*] = x y ; // c\nB = https://example.com\n");
        assert_eq!(k[0], LineKind::Comment);
        assert_eq!(k[1], LineKind::Blank);
        assert_eq!(k[2], LineKind::Include { path: "Local.xcconfig".into(), optional: true });
        let LineKind::Assign(a) = &k[3] else { panic!() };
        assert_eq!((a.name.as_str(), a.value.as_str()), ("A", "x y"));
        assert_eq!(a.conditions, vec![("sdk".to_string(), "iphoneos*".to_string())]);
        // `//` starts a comment even in a URL: Xcode reads `https:`.
        let LineKind::Assign(b) = &k[4] else { panic!() };
        assert_eq!(b.value, "https:");
    }

    #[test]
    fn continuation_lines_join_with_one_space() {
        let d = Document::parse("FLAGS = -a \\\n    -b \\\n\t-c\nNEXT = 1\n");
        assert_eq!(d.lines.len(), 2);
        let LineKind::Assign(a) = &d.lines[0].kind else { panic!() };
        assert_eq!(a.value, "-a -b -c");
        assert_eq!(d.lines[1].number, 4);
    }

    #[test]
    fn a_blank_line_ends_a_continuation() {
        let d = Document::parse("A = x \\\n\nB = 1\n");
        assert_eq!(d.lines.len(), 2);
        let LineKind::Assign(b) = &d.lines[1].kind else { panic!("{:?}", d.lines) };
        assert_eq!((b.name.as_str(), d.lines[1].number), ("B", 3));
    }

    #[test]
    fn invalid_lines_name_their_column() {
        let k = kinds("A = 1\n   oops\nB[sdk=x = 2\n#import \"x\"\n");
        assert_eq!(k[1], LineKind::Invalid { column: 8, message: "expected `=` after the setting name".into() });
        assert!(matches!(&k[2], LineKind::Invalid { column: 2, .. }));
        assert!(matches!(&k[3], LineKind::Invalid { column: 1, .. }));
    }

    #[test]
    fn value_span_points_at_the_value() {
        let text = "A = one ;\nB=two\n";
        let d = Document::parse(text);
        let spans: Vec<&str> = d.assignments().map(|(_, a)| &text[a.value_span.clone()]).collect();
        assert_eq!(spans, ["one", "two"]);
    }
}
