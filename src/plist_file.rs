//! A property list read for checks: its dictionary, and its text to find lines in.

use std::path::{Path, PathBuf};

pub struct PlistFile {
    pub path: PathBuf,
    pub text: String,
    pub dict: plist::Dictionary,
}

impl PlistFile {
    /// The file's top-level dictionary; `None` when it is missing or not a dictionary plist
    /// (the workspace check reports those with their error). An Info.plist written for Xcode's
    /// preprocessor (`#ifdef INTUNE` lines, KeePassium's) is read as it is with nothing defined.
    pub fn read(path: &Path) -> Option<PlistFile> {
        Self::read_defined(path, &[])
    }

    /// [`PlistFile::read`] with these preprocessor names defined (a target's
    /// INFOPLIST_PREPROCESSOR_DEFINITIONS).
    pub fn read_defined(path: &Path, defined: &[(String, String)]) -> Option<PlistFile> {
        let bytes = std::fs::read(path).ok()?;
        // A binary property list (`bplist00`): its values, without lines to point at.
        if bytes.starts_with(b"bplist") {
            let dict = plist::Value::from_reader(std::io::Cursor::new(&bytes)).ok()?.into_dictionary()?;
            return Some(PlistFile { path: path.to_path_buf(), text: String::new(), dict });
        }
        let text = String::from_utf8(bytes).ok()?;
        let parse = |t: &str| plist::Value::from_reader(std::io::Cursor::new(t.as_bytes())).ok()?.into_dictionary();
        match parse(&text) {
            Some(dict) => Some(PlistFile { path: path.to_path_buf(), text, dict }),
            None => {
                let text = preprocess(&text, defined)?;
                let dict = parse(&text)?;
                Some(PlistFile { path: path.to_path_buf(), text, dict })
            }
        }
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

/// The names a target defines for its Info.plist's preprocessor, when Xcode runs it
/// (`INFOPLIST_PREPROCESS = YES`): INFOPLIST_PREPROCESSOR_DEFINITIONS, `NAME` or `NAME=VALUE`.
/// `None` when the preprocessor is off.
pub fn preprocessor_definitions(settings: &crate::xcconfig::Settings) -> Option<Vec<(String, String)>> {
    if settings.value("INFOPLIST_PREPROCESS") != Some("YES") {
        return None;
    }
    let defs = settings.value("INFOPLIST_PREPROCESSOR_DEFINITIONS").unwrap_or("");
    Some(
        defs.split_whitespace()
            .map(|d| match d.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => (d.to_string(), "1".to_string()),
            })
            .collect(),
    )
}

/// A C preprocessor directive line: its word (`ifdef`) and what follows it.
fn directive(line: &str) -> Option<(String, String)> {
    const DIRECTIVES: &[&str] = &["if", "ifdef", "ifndef", "elif", "else", "endif", "define", "undef", "include", "import", "pragma", "error", "warning"];
    let rest = line.trim_start().strip_prefix('#')?.trim_start();
    let word: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    DIRECTIVES.contains(&word.as_str()).then(|| (word.clone(), rest[word.len()..].trim().to_string()))
}

/// The first preprocessor directive of a text: its line (1-based) and the line as written.
pub fn first_directive(text: &str) -> Option<(usize, &str)> {
    text.lines().enumerate().find(|(_, l)| directive(l).is_some()).map(|(i, l)| (i + 1, l.trim()))
}

/// A property list's text as the C preprocessor Xcode runs on it would leave it, for the
/// conditionals (`#if`, `#ifdef`, `#ifndef`, `#elif`, `#else`, `#endif`, `#define`, `#undef`):
/// each directive and each line left out becomes an empty line, so line numbers still match
/// the file. Macros are not substituted in the text. `None` when the text has no directive.
pub fn preprocess(text: &str, defined: &[(String, String)]) -> Option<String> {
    first_directive(text)?;
    let mut names: Vec<(String, String)> = defined.to_vec();
    // Each open conditional: (its current branch is taken, a branch of it was taken).
    let mut open: Vec<(bool, bool)> = Vec::new();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let active = open.iter().all(|(on, _)| *on);
        match directive(line) {
            Some((word, arg)) => {
                match word.as_str() {
                    "ifdef" | "ifndef" => {
                        let is = names.iter().any(|(n, _)| *n == arg.split_whitespace().next().unwrap_or(""));
                        let on = is == (word == "ifdef");
                        open.push((on, on));
                    }
                    "if" => {
                        let on = condition(&arg, &names);
                        open.push((on, on));
                    }
                    "elif" => {
                        if let Some(last) = open.last_mut() {
                            let on = !last.1 && condition(&arg, &names);
                            *last = (on, last.1 || on);
                        }
                    }
                    "else" => {
                        if let Some(last) = open.last_mut() {
                            *last = (!last.1, true);
                        }
                    }
                    "endif" => {
                        open.pop();
                    }
                    "define" if active => {
                        let mut parts = arg.splitn(2, char::is_whitespace);
                        let name = parts.next().unwrap_or("").to_string();
                        names.retain(|(n, _)| *n != name);
                        names.push((name, parts.next().unwrap_or("1").trim().to_string()));
                    }
                    "undef" if active => names.retain(|(n, _)| *n != arg),
                    _ => {}
                }
                out.push('\n');
            }
            None if active => out.push_str(line),
            None => out.push('\n'),
        }
    }
    Some(out)
}

/// A `#if` / `#elif` condition: `defined(X)`, `defined X`, `X` (defined and not 0), a number,
/// `!`, `&&` and `||` (no parentheses around sub-expressions).
fn condition(expr: &str, names: &[(String, String)]) -> bool {
    let expr = expr.split("//").next().unwrap_or("").trim();
    if expr.contains("||") {
        return expr.split("||").any(|e| condition(e, names));
    }
    if expr.contains("&&") {
        return expr.split("&&").all(|e| condition(e, names));
    }
    if let Some(rest) = expr.strip_prefix('!') {
        return !condition(rest, names);
    }
    if let Some(rest) = expr.strip_prefix("defined") {
        let name = rest.trim().trim_start_matches('(').trim_end_matches(')').trim();
        return names.iter().any(|(n, _)| n == name);
    }
    if let Ok(n) = expr.parse::<i64>() {
        return n != 0;
    }
    names.iter().find(|(n, _)| n == expr).is_some_and(|(_, v)| v.trim() != "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_info_plist_for_the_preprocessor_is_read_as_xcode_reads_it() {
        // KeePassium's: a URL scheme only for the Intune build.
        let text = "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>Schemes</key>\n\t<array>\n\t\t<string>kp</string>\n#ifdef INTUNE\n\t\t<string>kp-intunemam</string>\n#else\n\t\t<string>kp-plain</string>\n#endif\n\t</array>\n#if defined(PRO) || BETA\n\t<key>Pro</key>\n\t<true/>\n#elif 1\n\t<key>Free</key>\n\t<true/>\n#endif\n\t<key>Last</key>\n\t<string>x</string>\n</dict>\n</plist>\n";
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Info.plist");
        std::fs::write(&p, text).unwrap();
        assert!(plist::Value::from_file(&p).is_err(), "not a property list as written");
        let plain = PlistFile::read(&p).unwrap();
        let schemes = |f: &PlistFile| f.dict.get("Schemes").unwrap().as_array().unwrap().iter().map(|v| v.as_string().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(schemes(&plain), ["kp", "kp-plain"]);
        assert!(plain.dict.contains_key("Free") && !plain.dict.contains_key("Pro"));
        // Lines keep their numbers.
        assert_eq!(plain.key_line("Last"), Some(20));
        let intune = PlistFile::read_defined(&p, &[("INTUNE".into(), "1".into()), ("BETA".into(), "1".into())]).unwrap();
        assert_eq!(schemes(&intune), ["kp", "kp-intunemam"]);
        assert!(intune.dict.contains_key("Pro") && !intune.dict.contains_key("Free"));
        let beta_off = PlistFile::read_defined(&p, &[("BETA".into(), "0".into())]).unwrap();
        assert!(beta_off.dict.contains_key("Free"));
        // A plain property list is not touched.
        assert_eq!(preprocess("<plist/>\n", &[]), None);
        // A binary one is read too (no lines to name).
        let mut dict = plist::Dictionary::new();
        dict.insert("CFBundleVersion".into(), plist::Value::String("7".into()));
        let bin = dir.path().join("Binary.plist");
        plist::Value::Dictionary(dict).to_file_binary(&bin).unwrap();
        let b = PlistFile::read(&bin).unwrap();
        assert_eq!((b.dict.get("CFBundleVersion").and_then(|v| v.as_string()), b.key_line("CFBundleVersion")), (Some("7"), None));
    }

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
/// byte offset the plist crate reports, and what is wrong in words (see [`error_words`]).
pub fn error_place(bytes: &[u8], e: &plist::Error) -> (Option<(usize, usize)>, String) {
    let shown = e.to_string();
    let (words, offset) = match shown.rfind(" (offset ") {
        Some(i) => (error_words(&shown[..i]), shown[i + " (offset ".len()..].trim_end_matches(')').parse::<usize>().ok()),
        None => (error_words(&shown), None),
    };
    // No offset from the crate (a value where a <dict> wants a <key>: RainVu's entitlements hold
    // an <array> straight in the <dict>): found by reading the tags.
    let place = offset.or_else(|| dict_order_offset(bytes)).map(|o| {
        let upto = &bytes[..o.min(bytes.len())];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        (line, column)
    });
    (place, words)
}

/// The byte offset of the first tag of an XML property list that breaks a `<dict>`'s order (a
/// value where a `<key>` is due, a `<key>` where its value is due, a `</dict>` after a key
/// without its value); none when the tags are in order.
fn dict_order_offset(bytes: &[u8]) -> Option<usize> {
    // Each open element: whether it is a <dict>, and for one, whether a key is due next.
    let mut stack: Vec<(bool, bool)> = Vec::new();
    let mut i = 0;
    while let Some(rel) = bytes[i..].iter().position(|&b| b == b'<') {
        let at = i + rel;
        let end = at + bytes[at..].iter().position(|&b| b == b'>')?;
        let tag = &bytes[at + 1..end];
        i = end + 1;
        if tag.starts_with(b"?") || tag.starts_with(b"!") {
            continue;
        }
        let closing = tag.starts_with(b"/");
        let empty = tag.ends_with(b"/");
        let name: Vec<u8> = tag.iter().skip(usize::from(closing)).take_while(|b| b.is_ascii_alphanumeric()).copied().collect();
        if name == b"plist" {
            continue;
        }
        if closing {
            let (is_dict, key_due) = stack.pop()?;
            if is_dict && !key_due {
                return Some(at);
            }
            // The element just closed was a key or a value of the <dict> around it.
            if let Some((true, due)) = stack.last_mut() {
                *due = name != b"key";
            }
            continue;
        }
        if let Some((true, key_due)) = stack.last() {
            if *key_due != (name == b"key") {
                return Some(at);
            }
        }
        if empty {
            if let Some((true, due)) = stack.last_mut() {
                *due = true;
            }
        } else {
            stack.push((name == b"dict", true));
        }
    }
    None
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

    /// RainVu's entitlements: an <array> straight in the <dict>, no <key> before it. The crate
    /// gives no offset; the tags are read for the line.
    #[test]
    fn a_value_where_a_key_is_due_is_placed() {
        let text = b"<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n    <array>\n      <string>Default</string>\n    </array>\n</dict>\n</plist>\n";
        let e = plist::Value::from_reader_xml(&text[..]).unwrap_err();
        assert_eq!(super::error_place(text, &e).0, Some((4, 5)));
        // In order: nothing to place.
        assert_eq!(super::dict_order_offset(b"<plist><dict><key>a</key><array><string>x</string></array><key>b</key><true/></dict></plist>"), None);
        // A key without its value before </dict>.
        let cut = b"<plist><dict><key>a</key></dict></plist>";
        assert_eq!(super::dict_order_offset(cut), Some(25));
    }
}

/// [`error_words`] of an error, without the byte offset (for where no line can be shown).
pub fn error_text(e: &plist::Error) -> String {
    let shown = e.to_string();
    error_words(shown.rsplit_once(" (offset ").map(|(w, _)| w).unwrap_or(&shown))
}

/// What the plist crate's error says, in words: it prints the name of its error kind
/// (`UnexpectedEndOfEventStream`, `UnexpectedEventType { expected: String, found: StartDictionary }`),
/// which tells a user nothing. Kinds not known here keep their name, after a sentence.
pub fn error_words(shown: &str) -> String {
    let event = |name: &str| match name.trim() {
        "StartArray" => "an <array>",
        "StartDictionary" => "a <dict>",
        "EndCollection" => "the end of an <array> or <dict>",
        "Boolean" => "<true/> or <false/>",
        "Data" => "<data>",
        "Date" => "<date>",
        "Integer" => "<integer>",
        "Real" => "<real>",
        "String" => "a <string> or <key>",
        "Uid" => "a UID",
        "ValueOrStartCollection" => "a value",
        "DictionaryKeyOrEndCollection" => "a <key> or the end of the <dict>",
        _ => "something else",
    };
    let field = |name: &str| shown.split(&format!("{name}: ")).nth(1).map(|r| r.split([',', '}']).next().unwrap_or(""));
    let kind = shown.split([' ', '(', '{']).next().unwrap_or(shown);
    match kind {
        "UnexpectedEof" | "UnexpectedEndOfEventStream" => "the file ends before everything opened in it is closed (is it cut short?)".to_string(),
        "UnexpectedEventType" => format!("expected {} but found {}", event(field("expected").unwrap_or("")), event(field("found").unwrap_or(""))),
        "ExpectedEndOfEventStream" => format!("{} after the end of the property list", event(field("found").unwrap_or(""))),
        "UnclosedXmlElement" => "an element is not closed".into(),
        "UnexpectedXmlCharactersExpectedElement" => "text where an element was expected".into(),
        "UnexpectedXmlOpeningTag" => "an element where none can be".into(),
        "UnknownXmlElement" => "an element that is not part of a property list".into(),
        "InvalidXmlSyntax" => "the XML is not well-formed".into(),
        "InvalidXmlUtf8" | "InvalidUtf8AsciiStream" => "the text is not UTF-8".into(),
        "InvalidDataString" => "a <data> value that is not base64".into(),
        "InvalidDateString" => "a <date> that is not a date like 2026-01-31T12:00:00Z".into(),
        "InvalidIntegerString" => "an <integer> that is not a whole number".into(),
        "InvalidRealString" => "a <real> that is not a number".into(),
        "UnclosedString" => "a quoted string is not closed".into(),
        "IncompleteComment" => "a comment is not closed".into(),
        "InvalidMagic" => "it is neither an XML, a binary nor a text property list".into(),
        // Too short to tell its format (the crate reads 8 bytes first): "Io(... UnexpectedEof ...)".
        "Io" if shown.contains("UnexpectedEof") => "it is too short to be a property list".into(),
        "Io" => "it could not be read".into(),
        _ => format!("it cannot be read as one ({shown})"),
    }
}

#[cfg(test)]
mod words_tests {
    use super::error_words;

    fn words(text: &str) -> String {
        super::error_text(&plist::Value::from_reader(std::io::Cursor::new(text.as_bytes())).unwrap_err())
    }

    #[test]
    fn the_crate_s_error_names_are_said_in_words() {
        assert_eq!(words("<plist><dict><key>x</key>"), "the file ends before everything opened in it is closed (is it cut short?)");
        let w = words("<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict><key>a</key><key>b</key><string>x</string></dict></plist>");
        assert!(w.starts_with("expected ") && !w.contains("something else") && !w.contains('{'), "{w}");
        assert_eq!(words("<plist><dict><key>d</key><date>yesterday</date></dict></plist>"), "a <date> that is not a date like 2026-01-31T12:00:00Z");
        assert_eq!(words("<plist><dict><key>n</key><integer>twelve</integer></dict></plist>"), "an <integer> that is not a whole number");
        assert!(!words("<plist><dict><key>a</ke></dict></plist>").contains("Xml"));
        let short = plist::Value::from_reader(std::io::Cursor::new(b"hello")).unwrap_err().to_string();
        assert_eq!(error_words(&short), "it is too short to be a property list", "{short}");
        // A kind not known here keeps its name, after a sentence.
        assert_eq!(error_words("SomethingNew"), "it cannot be read as one (SomethingNew)");
    }
}
