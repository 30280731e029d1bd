//! The CloudKit schema language (`.ckdb`, as `cktool export-schema` writes it).
//!
//! ```text
//! DEFINE SCHEMA
//!     CREATE ROLE Editor;
//!     RECORD TYPE Board (
//!         "___recordID" REFERENCE QUERYABLE,
//!         title         STRING QUERYABLE SEARCHABLE SORTABLE,
//!         tags          LIST<STRING>,
//!         GRANT WRITE TO "_creator",
//!         GRANT READ, CREATE TO "_icloud"
//!     );
//! ```
//! Field types follow Apple's grammar ("Integrating a Text-Based Schema into Your Workflow"):
//! `ASSET`, `BYTES`, `DOUBLE`, `INT64`, `LOCATION`, `REFERENCE`, `STRING`, `TIMESTAMP`,
//! `NUMBER [PREFERRED AS INT64|DOUBLE]`, `ENCRYPTED BYTES|STRING|DOUBLE|INT64|LOCATION|TIMESTAMP`,
//! and `LIST<...>` of any of them but a list.
//! Keywords are case-insensitive; identifiers may be quoted; `//` and `--` start comments.

use crate::error::{Error, Result};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "lowercase")]
pub enum FieldType {
    Asset,
    Bytes,
    Double,
    Int64,
    Location,
    Reference,
    String,
    Timestamp,
    /// `NUMBER [PREFERRED AS INT64 | DOUBLE]`: the preference, when the schema states one.
    Number(Option<Box<FieldType>>),
    /// `ENCRYPTED BYTES | STRING | DOUBLE | INT64 | LOCATION | TIMESTAMP`.
    Encrypted(Box<FieldType>),
    List(Box<FieldType>),
}

impl std::fmt::Display for FieldType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldType::Asset => write!(f, "ASSET"),
            FieldType::Bytes => write!(f, "BYTES"),
            FieldType::Double => write!(f, "DOUBLE"),
            FieldType::Int64 => write!(f, "INT64"),
            FieldType::Location => write!(f, "LOCATION"),
            FieldType::Reference => write!(f, "REFERENCE"),
            FieldType::String => write!(f, "STRING"),
            FieldType::Timestamp => write!(f, "TIMESTAMP"),
            FieldType::Number(None) => write!(f, "NUMBER"),
            FieldType::Number(Some(t)) => write!(f, "NUMBER PREFERRED AS {t}"),
            FieldType::Encrypted(t) => write!(f, "ENCRYPTED {t}"),
            FieldType::List(t) => write!(f, "LIST<{t}>"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: String,
    pub ty: FieldType,
    pub queryable: bool,
    pub sortable: bool,
    pub searchable: bool,
    pub line: usize,
}

impl Field {
    /// `___createTime` and the other fields CloudKit keeps itself.
    pub fn is_system(&self) -> bool {
        self.name.starts_with("___")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// READ, CREATE, WRITE (upper case).
    pub permissions: Vec<String>,
    pub role: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordType {
    pub name: String,
    pub line: usize,
    pub fields: Vec<Field>,
    pub grants: Vec<Grant>,
}

impl RecordType {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Schema {
    pub roles: Vec<String>,
    pub record_types: Vec<RecordType>,
}

impl Schema {
    pub fn record_type(&self, name: &str) -> Option<&RecordType> {
        self.record_types.iter().find(|r| r.name == name)
    }

    pub fn read(path: &Path) -> Result<Schema> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        Schema::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Schema> {
        let tokens = tokenize(text).map_err(|(pos, m)| err(text, path, pos, m))?;
        let mut p = Parser { t: &tokens, i: 0 };
        p.schema().map_err(|(pos, m)| err(text, path, pos.unwrap_or(text.len()), m))
    }
}

fn err(text: &str, path: &Path, pos: usize, message: String) -> Error {
    let (line, column) = crate::text::line_col(text, pos);
    Error::Parse { path: path.to_path_buf(), line, column, message }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Punct(char),
}

struct Token {
    tok: Tok,
    pos: usize,
    line: usize,
}

fn tokenize(text: &str) -> std::result::Result<Vec<Token>, (usize, String)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => i = text[i..].find('\n').map(|n| i + n).unwrap_or(b.len()),
            b'-' if b.get(i + 1) == Some(&b'-') => i = text[i..].find('\n').map(|n| i + n).unwrap_or(b.len()),
            b'"' => {
                let end = text[i + 1..].find('"').ok_or((i, "this quoted name is never closed".to_string()))?;
                let name = &text[i + 1..i + 1 + end];
                if name.contains('\n') {
                    return Err((i, "a quoted name cannot span lines".into()));
                }
                out.push(Token { tok: Tok::Quoted(name.to_string()), pos: i, line });
                i += end + 2;
            }
            b'(' | b')' | b',' | b';' | b'<' | b'>' => {
                out.push(Token { tok: Tok::Punct(c as char), pos: i, line });
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                out.push(Token { tok: Tok::Word(text[start..i].to_string()), pos: start, line });
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err((i, format!("unexpected `{ch}`")));
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    t: &'a [Token],
    i: usize,
}

type PResult<T> = std::result::Result<T, (Option<usize>, String)>;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.t.get(self.i)
    }
    fn here(&self) -> Option<usize> {
        self.peek().map(|t| t.pos)
    }
    fn fail<T>(&self, m: &str) -> PResult<T> {
        let found = match self.peek().map(|t| &t.tok) {
            Some(Tok::Word(w)) => format!("`{w}`"),
            Some(Tok::Quoted(q)) => format!("\"{q}\""),
            Some(Tok::Punct(c)) => format!("`{c}`"),
            None => "the end of the file".into(),
        };
        Err((self.here(), format!("expected {m}, found {found}")))
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek().map(|t| &t.tok), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
    }
    fn kw(&mut self, kw: &str) -> PResult<()> {
        if self.is_kw(kw) {
            self.i += 1;
            Ok(())
        } else {
            self.fail(kw)
        }
    }
    fn punct(&mut self, c: char) -> PResult<()> {
        if matches!(self.peek().map(|t| &t.tok), Some(Tok::Punct(p)) if *p == c) {
            self.i += 1;
            Ok(())
        } else {
            self.fail(&format!("`{c}`"))
        }
    }
    fn is_punct(&self, c: char) -> bool {
        matches!(self.peek().map(|t| &t.tok), Some(Tok::Punct(p)) if *p == c)
    }
    fn ident(&mut self, what: &str) -> PResult<(String, usize)> {
        match self.peek() {
            Some(Token { tok: Tok::Word(w), line, .. }) | Some(Token { tok: Tok::Quoted(w), line, .. }) => {
                self.i += 1;
                Ok((w.clone(), *line))
            }
            _ => self.fail(what),
        }
    }

    fn schema(&mut self) -> PResult<Schema> {
        self.kw("DEFINE")?;
        self.kw("SCHEMA")?;
        let mut schema = Schema::default();
        while self.peek().is_some() {
            if self.is_kw("CREATE") {
                self.i += 1;
                self.kw("ROLE")?;
                let (role, _) = self.ident("a role name")?;
                self.punct(';')?;
                schema.roles.push(role);
            } else if self.is_kw("RECORD") {
                let rt = self.record_type()?;
                if schema.record_type(&rt.name).is_some() {
                    return Err((None, format!("record type {} is defined twice", rt.name)));
                }
                schema.record_types.push(rt);
            } else {
                return self.fail("RECORD TYPE or CREATE ROLE");
            }
        }
        Ok(schema)
    }

    fn record_type(&mut self) -> PResult<RecordType> {
        self.kw("RECORD")?;
        self.kw("TYPE")?;
        let (name, line) = self.ident("a record type name")?;
        self.punct('(')?;
        let mut rt = RecordType { name, line, fields: vec![], grants: vec![] };
        loop {
            if self.is_kw("GRANT") {
                let line = self.peek().map(|t| t.line).unwrap_or(0);
                self.i += 1;
                let mut permissions = Vec::new();
                loop {
                    let (p, _) = self.ident("READ, CREATE or WRITE")?;
                    let p = p.to_ascii_uppercase();
                    if !["READ", "CREATE", "WRITE"].contains(&p.as_str()) {
                        self.i -= 1;
                        return self.fail("READ, CREATE or WRITE");
                    }
                    permissions.push(p);
                    if self.is_punct(',') && !matches!(self.t.get(self.i + 1).map(|t| &t.tok), Some(Tok::Word(w)) if !["READ", "CREATE", "WRITE"].contains(&w.to_ascii_uppercase().as_str())) {
                        self.i += 1;
                        continue;
                    }
                    break;
                }
                self.kw("TO")?;
                let (role, _) = self.ident("a role")?;
                rt.grants.push(Grant { permissions, role, line });
            } else {
                let (fname, line) = self.ident("a field name or GRANT")?;
                if rt.field(&fname).is_some() {
                    return Err((self.here(), format!("field {fname} is defined twice in {}", rt.name)));
                }
                let ty = self.field_type()?;
                let mut f = Field { name: fname, ty, queryable: false, sortable: false, searchable: false, line };
                loop {
                    if self.is_kw("QUERYABLE") {
                        f.queryable = true;
                    } else if self.is_kw("SORTABLE") {
                        f.sortable = true;
                    } else if self.is_kw("SEARCHABLE") {
                        f.searchable = true;
                    } else {
                        break;
                    }
                    self.i += 1;
                }
                rt.fields.push(f);
            }
            if self.is_punct(',') {
                self.i += 1;
                continue;
            }
            self.punct(')')?;
            self.punct(';')?;
            return Ok(rt);
        }
    }

    fn field_type(&mut self) -> PResult<FieldType> {
        let (w, _) = match self.peek() {
            Some(Token { tok: Tok::Word(w), line, .. }) => (w.to_ascii_uppercase(), *line),
            _ => return self.fail("a field type"),
        };
        let ty = match w.as_str() {
            "ASSET" => FieldType::Asset,
            "BYTES" => FieldType::Bytes,
            "DOUBLE" => FieldType::Double,
            "INT64" => FieldType::Int64,
            "LOCATION" => FieldType::Location,
            "REFERENCE" => FieldType::Reference,
            "STRING" => FieldType::String,
            "TIMESTAMP" => FieldType::Timestamp,
            // Apple's grammar: `NUMBER [ PREFERRED AS { INT64 | DOUBLE } ]`.
            "NUMBER" => {
                self.i += 1;
                if !self.is_kw("PREFERRED") {
                    return Ok(FieldType::Number(None));
                }
                self.i += 1;
                self.kw("AS")?;
                let preferred = match self.peek() {
                    Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case("INT64") => FieldType::Int64,
                    Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case("DOUBLE") => FieldType::Double,
                    _ => return self.fail("INT64 or DOUBLE after NUMBER PREFERRED AS"),
                };
                self.i += 1;
                return Ok(FieldType::Number(Some(Box::new(preferred))));
            }
            // `[ ENCRYPTED ] { BYTES | STRING | DOUBLE | INT64 | LOCATION | TIMESTAMP }`.
            "ENCRYPTED" => {
                self.i += 1;
                if matches!(self.peek(), Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case("ENCRYPTED") || w.eq_ignore_ascii_case("LIST")) {
                    return Err((self.here(), "ENCRYPTED applies to BYTES, STRING, DOUBLE, INT64, LOCATION or TIMESTAMP".into()));
                }
                let inner = self.field_type()?;
                if !matches!(inner, FieldType::Bytes | FieldType::String | FieldType::Double | FieldType::Int64 | FieldType::Location | FieldType::Timestamp) {
                    return Err((self.here(), format!("ENCRYPTED applies to BYTES, STRING, DOUBLE, INT64, LOCATION or TIMESTAMP, not {inner}")));
                }
                return Ok(FieldType::Encrypted(Box::new(inner)));
            }
            "LIST" => {
                self.i += 1;
                self.punct('<')?;
                // A list of lists is refused before reading it: a file nesting LIST< thousands
                // deep must not recurse that deep.
                if matches!(self.peek(), Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case("LIST")) {
                    return Err((self.here(), "a LIST cannot hold a LIST".into()));
                }
                let inner = self.field_type()?;
                if matches!(inner, FieldType::List(_)) {
                    return Err((self.here(), "a LIST cannot hold a LIST".into()));
                }
                self.punct('>')?;
                return Ok(FieldType::List(Box::new(inner)));
            }
            _ => return self.fail("a field type (STRING, INT64, DOUBLE, NUMBER, TIMESTAMP, REFERENCE, ASSET, LOCATION, BYTES, ENCRYPTED ..., LIST<...>)"),
        };
        self.i += 1;
        Ok(ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "DEFINE SCHEMA\n  // roles\n  CREATE ROLE Editor;\n  record type Board (\n    \"___recordID\" REFERENCE QUERYABLE,\n    title STRING QUERYABLE SEARCHABLE SORTABLE, -- the name\n    tags LIST<STRING>,\n    \"size\" INT64,\n    GRANT WRITE TO \"_creator\",\n    GRANT READ, CREATE TO \"_icloud\"\n  );\n  RECORD TYPE Users (roles LIST<INT64>, GRANT READ TO \"_world\");\n";

    #[test]
    fn parses_the_grammar() {
        let s = Schema::parse(SAMPLE, Path::new("s.ckdb")).unwrap();
        assert_eq!(s.roles, ["Editor"]);
        let b = s.record_type("Board").unwrap();
        assert_eq!(b.line, 4);
        let title = b.field("title").unwrap();
        assert!(title.queryable && title.sortable && title.searchable && !title.is_system());
        assert_eq!(b.field("tags").unwrap().ty, FieldType::List(Box::new(FieldType::String)));
        assert!(b.field("___recordID").unwrap().is_system());
        assert_eq!(b.field("size").unwrap().ty.to_string(), "INT64");
        assert_eq!(b.grants[1].permissions, ["READ", "CREATE"]);
        assert_eq!(b.grants[1].role, "_icloud");
        assert_eq!(s.record_type("Users").unwrap().grants[0].line, 12);
    }

    #[test]
    fn errors_point_at_line_and_column() {
        for (text, at, msg) in [
            ("DEFINE SCHEMA\nRECORD TYPE A (\n  x STRNG\n);", "s.ckdb:3:5:", "expected a field type"),
            ("DEFINE SCHEMA\nRECORD TYPE A (x STRING", "s.ckdb:2:", "expected `)`"),
            ("SCHEMA", "s.ckdb:1:1:", "expected DEFINE"),
            ("DEFINE SCHEMA RECORD TYPE A (x LIST<LIST<INT64>>);", "s.ckdb:1:", "cannot hold a LIST"),
            ("DEFINE SCHEMA RECORD TYPE A (x INT64, x STRING);", "s.ckdb:1:", "defined twice"),
            ("DEFINE SCHEMA RECORD TYPE A (GRANT DELETE TO \"_world\");", "s.ckdb:1:", "READ, CREATE or WRITE"),
            ("DEFINE SCHEMA RECORD TYPE \"A (x INT64);", "s.ckdb:1:27:", "never closed"),
            ("DEFINE SCHEMA RECORD TYPE A (x INT64) ; %", "s.ckdb:1:41:", "unexpected `%`"),
        ] {
            let e = Schema::parse(text, Path::new("s.ckdb")).unwrap_err().to_string();
            assert!(e.starts_with(at) && e.contains(msg), "{text:?}: {e}");
        }
    }

    #[test]
    fn encrypted_and_number_types_as_apples_grammar_has_them() {
        let text = "DEFINE SCHEMA\n  RECORD TYPE Note (\n    \"___createTime\" TIMESTAMP SORTABLE,\n    body ENCRYPTED STRING,\n    spot encrypted LOCATION,\n    score NUMBER PREFERRED AS DOUBLE QUERYABLE,\n    count NUMBER,\n    secrets LIST<ENCRYPTED BYTES>,\n    GRANT READ TO \"_world\"\n  );\n";
        let s = Schema::parse(text, Path::new("s.ckdb")).unwrap();
        let t = &s.record_types[0];
        let ty = |n: &str| t.field(n).unwrap().ty.to_string();
        assert_eq!(ty("body"), "ENCRYPTED STRING");
        assert_eq!(ty("spot"), "ENCRYPTED LOCATION");
        assert_eq!(ty("score"), "NUMBER PREFERRED AS DOUBLE");
        assert!(t.field("score").unwrap().queryable);
        assert_eq!(ty("count"), "NUMBER");
        assert_eq!(ty("secrets"), "LIST<ENCRYPTED BYTES>");
        let bad = Schema::parse("DEFINE SCHEMA RECORD TYPE A (x ENCRYPTED ASSET);", Path::new("s.ckdb")).unwrap_err().to_string();
        assert!(bad.contains("ENCRYPTED applies to"), "{bad}");
        let bad = Schema::parse("DEFINE SCHEMA RECORD TYPE A (x NUMBER PREFERRED AS STRING);", Path::new("s.ckdb")).unwrap_err().to_string();
        assert!(bad.contains("INT64 or DOUBLE"), "{bad}");
    }

    #[test]
    fn deep_nesting_is_refused_without_deep_recursion() {
        let deep = format!("DEFINE SCHEMA RECORD TYPE A (x {}STRING{});", "LIST<".repeat(20_000), ">".repeat(20_000));
        let err = Schema::parse(&deep, Path::new("s.ckdb")).unwrap_err().to_string();
        assert!(err.contains("cannot hold a LIST"), "{err}");
        let deep = format!("DEFINE SCHEMA RECORD TYPE A (x {}STRING);", "ENCRYPTED ".repeat(20_000));
        assert!(Schema::parse(&deep, Path::new("s.ckdb")).is_err());
    }
}
