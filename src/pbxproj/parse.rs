//! A lossless reader of OpenStep (ASCII) property lists, as Xcode writes `project.pbxproj`.
//! The tree keeps byte spans into the text, so an untouched document prints back as the
//! same bytes and an edit replaces only the bytes it changes.

use crate::error::{Error, Result};
use std::borrow::Cow;
use std::path::Path;

/// A byte range of the text (u32 keeps the tree small: files up to 4 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A quoted or unquoted string (the span includes the quotes).
    Str(Span),
    /// `<0fab 12>`
    Data(Span),
    Array(Array),
    Dict(Dict),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Array {
    /// From `(` to `)` inclusive.
    pub span: Span,
    pub items: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dict {
    /// From `{` to `}` inclusive.
    pub span: Span,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Span,
    pub value: Value,
    /// The `;` that ends the entry.
    pub semicolon: u32,
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Str(s) | Value::Data(s) => *s,
            Value::Array(a) => a.span,
            Value::Dict(d) => d.span,
        }
    }
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Value::Dict(d) => Some(d),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&Array> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
}

/// A parsed project file.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub root: Dict,
    line_starts: Vec<u32>,
}

const MAX_DEPTH: usize = 200;

impl Document {
    /// Parses a project file's text; `path` only names the file in errors.
    pub fn parse(text: String, path: &Path) -> Result<Document> {
        if text.len() >= u32::MAX as usize {
            return Err(Error::Parse { path: path.into(), line: 1, column: 1, message: "file too large (4 GiB or more)".into() });
        }
        let mut p = Parser { b: text.as_bytes(), pos: 0, depth: 0 };
        let parsed = p.skip_trivia().and_then(|_| match p.peek() {
            Some(b'{') => p.dict(),
            _ => Err(p.err("expected `{` at the start of the property list")),
        });
        let root = parsed.and_then(|root| {
            p.skip_trivia()?;
            if p.pos < p.b.len() {
                return Err(p.err("unexpected text after the closing `}`"));
            }
            Ok(root)
        });
        let line_starts = std::iter::once(0).chain(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i as u32 + 1)).collect();
        match root {
            Ok(root) => Ok(Document { text, root, line_starts }),
            Err((pos, message)) => {
                let (line, column) = crate::text::line_col(&text, pos);
                let message = conflict_message(&text, line).unwrap_or(message);
                Err(Error::Parse { path: path.into(), line, column, message })
            }
        }
    }

    pub fn read(path: &Path) -> Result<Document> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        Document::from_bytes(bytes, path)
    }

    /// [`Document::read`], shared: a project file read again with the same bytes is not parsed
    /// again (one check resolves each target's settings for each platform from the same
    /// project.pbxproj: Provenance's 950 KB one was parsed 60 times). The bytes are always read
    /// and compared, so a file changed on disk is parsed afresh; the last sixteen are kept.
    pub fn read_shared(path: &Path) -> Result<std::sync::Arc<Document>> {
        Document::shared_from_bytes(path, std::fs::read(path).map_err(|e| Error::io(path, &e))?)
    }

    /// [`Document::read_shared`] for bytes the caller has read from `path` already.
    pub fn shared_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<std::sync::Arc<Document>> {
        use std::sync::{Arc, Mutex};
        static CACHE: Mutex<Vec<(std::path::PathBuf, Arc<Document>)>> = Mutex::new(Vec::new());
        if let Ok(cache) = CACHE.lock() {
            if let Some((_, d)) = cache.iter().find(|(p, d)| p == path && d.text.as_bytes() == bytes.as_slice()) {
                return Ok(d.clone());
            }
        }
        let doc = Arc::new(Document::from_bytes(bytes, path)?);
        if let Ok(mut cache) = CACHE.lock() {
            cache.retain(|(p, _)| p != path);
            if cache.len() >= 16 {
                cache.remove(0);
            }
            cache.push((path.to_path_buf(), doc.clone()));
        }
        Ok(doc)
    }

    fn from_bytes(bytes: Vec<u8>, path: &Path) -> Result<Document> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, column) = crate::text::line_col(&text, valid);
            Error::Parse { path: path.into(), line, column, message: "not UTF-8 text".into() }
        })?;
        Document::parse(text, path)
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: u32) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// Byte offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: u32) -> u32 {
        self.line_starts[self.line_of(offset) - 1]
    }

    /// Byte offset just after the line break of the line holding `offset`.
    pub fn line_end(&self, offset: u32) -> u32 {
        self.line_starts.get(self.line_of(offset)).copied().unwrap_or(self.text.len() as u32)
    }

    pub fn raw(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// A string's value: quotes removed and escapes decoded.
    pub fn str(&self, span: Span) -> Cow<'_, str> {
        let raw = self.raw(span);
        match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(inner) if inner.contains('\\') => Cow::Owned(unescape(inner)),
            Some(inner) => Cow::Borrowed(inner),
            None => Cow::Borrowed(raw),
        }
    }

    /// The string value of `key` in a dictionary.
    pub fn get_str(&self, dict: &Dict, key: &str) -> Option<Cow<'_, str>> {
        match self.get(dict, key)? {
            Value::Str(s) => Some(self.str(*s)),
            _ => None,
        }
    }

    pub fn get<'a>(&self, dict: &'a Dict, key: &str) -> Option<&'a Value> {
        dict.entries.iter().find(|e| self.str(e.key) == key).map(|e| &e.value)
    }

    pub fn entry<'a>(&self, dict: &'a Dict, key: &str) -> Option<&'a Entry> {
        dict.entries.iter().find(|e| self.str(e.key) == key)
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some('U') => {
                let hex: String = (0..4).filter_map(|_| chars.next_if(|c| c.is_ascii_hexdigit())).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&hex),
                }
            }
            Some(d @ '0'..='7') => {
                let mut n = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.next_if(|c| ('0'..='7').contains(c)) {
                        Some(c) => n = n * 8 + c.to_digit(8).unwrap_or(0),
                        None => break,
                    }
                }
                out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Quotes a string the way Xcode writes it: bare when every character is safe.
pub fn quote(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_$./".contains(&b)) && !s.contains("//") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What a parse error on a git conflict marker is: a merge left unresolved (Raivo's
/// project.pbxproj was committed with `<<<<<<< HEAD` at line 6). `None` for any other line.
fn conflict_message(text: &str, line: usize) -> Option<String> {
    let at = text.lines().nth(line.saturating_sub(1))?;
    if !["<<<<<<<", "=======", ">>>>>>>", "|||||||"].iter().any(|m| at.starts_with(m)) {
        return None;
    }
    let conflicts = text.lines().filter(|l| l.starts_with("<<<<<<<")).count();
    Some(format!(
        "an unresolved git merge conflict (`{}`{}): the file holds both sides of a merge, and Xcode cannot open it until each is resolved",
        at.trim_end(),
        match conflicts {
            0 | 1 => String::new(),
            n => format!(", one of {n} in the file"),
        }
    ))
}

struct Parser<'a> {
    b: &'a [u8],
    pos: usize,
    depth: usize,
}

type PResult<T> = std::result::Result<T, (usize, String)>;

fn bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_$/:.-+~@".contains(&b) || b >= 0x80
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn err(&self, m: &str) -> (usize, String) {
        (self.pos, m.to_string())
    }

    fn skip_trivia(&mut self) -> PResult<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.b.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    match find(self.b, self.pos + 2, b"*/") {
                        Some(end) => self.pos = end + 2,
                        None => return Err((start, "a /* comment is never closed".into())),
                    }
                }
                Some(b'/') if self.b.get(self.pos + 1) == Some(&b'/') => {
                    self.pos = find(self.b, self.pos, b"\n").map(|i| i + 1).unwrap_or(self.b.len());
                }
                _ => return Ok(()),
            }
        }
    }

    fn span(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }

    fn value(&mut self) -> PResult<Value> {
        match self.peek() {
            Some(b'{') => self.dict().map(Value::Dict),
            Some(b'(') => self.array().map(Value::Array),
            Some(b'<') => self.data(),
            Some(b'"') => self.quoted().map(Value::Str),
            Some(b) if bare(b) => Ok(Value::Str(self.unquoted())),
            Some(_) => Err(self.err("expected a value: a string, `{`, `(` or `<`")),
            None => Err(self.err("the file ends where a value should be")),
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        Ok(())
    }

    fn dict(&mut self) -> PResult<Dict> {
        self.enter()?;
        let start = self.pos;
        self.pos += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Dict { span: Self::span(start, self.pos), entries });
                }
                None => return Err((start, "this `{` is never closed".into())),
                Some(b'"') => {}
                Some(b) if bare(b) => {}
                Some(_) => return Err(self.err("expected a key or `}`")),
            }
            let key = if self.peek() == Some(b'"') { self.quoted()? } else { self.unquoted() };
            self.skip_trivia()?;
            if self.peek() != Some(b'=') {
                return Err(self.err("expected `=` after the key"));
            }
            self.pos += 1;
            self.skip_trivia()?;
            let value = self.value()?;
            self.skip_trivia()?;
            if self.peek() != Some(b';') {
                return Err(self.err("expected `;` after the value"));
            }
            entries.push(Entry { key, value, semicolon: self.pos as u32 });
            self.pos += 1;
        }
    }

    fn array(&mut self) -> PResult<Array> {
        self.enter()?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b')') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Array { span: Self::span(start, self.pos), items });
                }
                None => return Err((start, "this `(` is never closed".into())),
                _ => {}
            }
            items.push(self.value()?);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {}
                _ => return Err(self.err("expected `,` or `)` in the array")),
            }
        }
    }

    fn data(&mut self) -> PResult<Value> {
        let start = self.pos;
        match find(self.b, self.pos, b">") {
            Some(end) => {
                let inner = &self.b[start + 1..end];
                if !inner.iter().all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace()) {
                    return Err((start, "data <...> holds only hex digits".into()));
                }
                self.pos = end + 1;
                Ok(Value::Data(Self::span(start, self.pos)))
            }
            None => Err((start, "this `<` is never closed".into())),
        }
    }

    fn quoted(&mut self) -> PResult<Span> {
        let start = self.pos;
        let mut i = self.pos + 1;
        while i < self.b.len() {
            match self.b[i] {
                b'\\' => i += 2,
                b'"' => {
                    self.pos = i + 1;
                    return Ok(Self::span(start, self.pos));
                }
                _ => i += 1,
            }
        }
        Err((start, "this string's `\"` is never closed".into()))
    }

    fn unquoted(&mut self) -> Span {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if !bare(b) || (b == b'/' && matches!(self.b.get(self.pos + 1), Some(b'/' | b'*'))) {
                break;
            }
            self.pos += 1;
        }
        Self::span(start, self.pos)
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRICKY: &str = "// !$*UTF8*$!\n{\n\tarchiveVersion = 1;\n\tclasses = {\n\t};\n\tobjects = {\n\n/* Begin PBXBuildFile section */\n\t\tAAAA /* a.swift in Sources */ = {isa = PBXBuildFile; fileRef = BBBB /* a.swift */; };\n/* End PBXBuildFile section */\n\t\tCCCC = {\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = {\n\t\t\t\tA = \"$(inherited)\";\n\t\t\t\tB = (\n\t\t\t\t\t\"-DX\",\n\t\t\t\t\tsimple,\n\t\t\t\t);\n\t\t\t\tC = \"quote \\\" back\\\\slash \\n \\U00e9 \\101\";\n\t\t\t\tD = <0fab 12>;\n\t\t\t\t\"E F\" = -Onone;\n\t\t\t\tG = \"\";\n\t\t\t};\n\t\t\tname = Release; // trailing\n\t\t};\n\t};\n\trootObject = CCCC /* Project object */;\n}\n";

    fn doc(text: &str) -> Document {
        Document::parse(text.to_string(), Path::new("p.pbxproj")).unwrap()
    }

    #[test]
    fn parses_the_grammar_and_decodes_strings() {
        let d = doc(TRICKY);
        let objects = d.get(&d.root, "objects").unwrap().as_dict().unwrap();
        let cfg = d.get(objects, "CCCC").unwrap().as_dict().unwrap();
        let bs = d.get(cfg, "buildSettings").unwrap().as_dict().unwrap();
        assert_eq!(d.get_str(bs, "A").unwrap(), "$(inherited)");
        assert_eq!(d.get(bs, "B").unwrap().as_array().unwrap().items.len(), 2);
        assert_eq!(d.get_str(bs, "C").unwrap(), "quote \" back\\slash \n é A");
        assert!(matches!(d.get(bs, "D"), Some(Value::Data(_))));
        assert_eq!(d.get_str(bs, "E F").unwrap(), "-Onone");
        assert_eq!(d.get_str(bs, "G").unwrap(), "");
        assert_eq!(d.get_str(cfg, "name").unwrap(), "Release");
        assert_eq!(d.line_of(d.entry(cfg, "name").unwrap().key.start), 24);
    }

    #[test]
    fn a_shared_read_parses_again_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("project.pbxproj");
        std::fs::write(&f, "{ a = 1; }").unwrap();
        let one = Document::read_shared(&f).unwrap();
        let again = Document::read_shared(&f).unwrap();
        assert!(std::sync::Arc::ptr_eq(&one, &again), "the same bytes are not parsed twice");
        // Changed on disk, even to the same length: parsed afresh.
        std::fs::write(&f, "{ a = 2; }").unwrap();
        let changed = Document::read_shared(&f).unwrap();
        assert!(!std::sync::Arc::ptr_eq(&one, &changed));
        assert_eq!(changed.text, "{ a = 2; }");
        std::fs::write(&f, "{ a = ").unwrap();
        assert!(Document::read_shared(&f).is_err(), "a file that does not parse is an error, not the last good one");
    }

    #[test]
    fn errors_name_line_and_column() {
        for (text, line, col, msg) in [
            ("{\n\ta = 1\n}", 3, 1, "expected `;`"),
            ("{\n\ta = (1, 2;\n}", 2, 11, "expected `,` or `)`"),
            ("{ a = \"open; }", 1, 7, "never closed"),
            ("{ a = 1; } extra", 1, 12, "unexpected text"),
            ("", 1, 1, "expected `{`"),
            ("{ a = /* never", 1, 7, "comment is never closed"),
            ("{ a = <zz>; }", 1, 7, "hex digits"),
            // A merge committed unresolved (Raivo's): said as what it is.
            ("{\n<<<<<<< HEAD\n\ta = 54;\n=======\n\ta = 53;\n>>>>>>> 75832ce (x)\n}\n", 2, 1, "an unresolved git merge conflict (`<<<<<<< HEAD`)"),
            ("{\n\tb = 1;\n<<<<<<< HEAD\n\ta = 1;\n=======\n>>>>>>> x\n<<<<<<< HEAD\n>>>>>>> y\n}", 3, 1, "(`<<<<<<< HEAD`, one of 2 in the file)"),
        ] {
            let e = Document::parse(text.into(), Path::new("p.pbxproj")).unwrap_err().to_string();
            assert!(e.starts_with(&format!("p.pbxproj:{line}:{col}: ")) && e.contains(msg), "{text:?}: {e}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{{ a = {}1{}; }}", "(".repeat(10_000), ")".repeat(10_000));
        let e = Document::parse(text, Path::new("p")).unwrap_err().to_string();
        assert!(e.contains("nested too deeply"));
    }

    #[test]
    fn quoting_follows_xcode() {
        assert_eq!(quote("com.example.App"), "com.example.App");
        assert_eq!(quote("../Configurations/Base.xcconfig"), "../Configurations/Base.xcconfig");
        assert_eq!(quote("$(inherited)"), "\"$(inherited)\"");
        assert_eq!(quote("dwarf-with-dsym"), "\"dwarf-with-dsym\"");
        assert_eq!(quote("Apple Distribution"), "\"Apple Distribution\"");
        assert_eq!(quote(""), "\"\"");
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
