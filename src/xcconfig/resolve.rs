//! Resolving an `.xcconfig`: includes, conditions, last-match-wins, `$(inherited)`,
//! nested references and operators. Each value knows the file and line it came from.

use super::parse::{Document, LineKind};
use super::values::{SettingValue, Settings};
use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The build context that `[sdk=…]`, `[config=…]`, `[arch=…]` and `[variant=…]` match against.
/// A condition whose context value is not given matches only the pattern `*`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    pub sdk: Option<String>,
    pub config: Option<String>,
    pub arch: Option<String>,
    pub variant: Option<String>,
    /// The project's folder (SRCROOT): where an `#include` not found beside its file, nor beside
    /// the files that include that one, is looked for last, as Xcode's build system does
    /// (swift-build's MacroConfigFileLoader searches the includer's folder, then each
    /// enclosing includer's, then the project's source root). Chime's
    /// `Configurations/Edit.xcconfig` includes `"Configurations/NonSwiftWorkaround.xcconfig"`.
    pub source_root: Option<PathBuf>,
}

impl Conditions {
    fn value(&self, name: &str) -> Option<&str> {
        match name {
            "sdk" => self.sdk.as_deref(),
            "config" => self.config.as_deref(),
            "arch" => self.arch.as_deref(),
            "variant" => self.variant.as_deref(),
            _ => None,
        }
    }

    fn matches(&self, conds: &[(String, String)]) -> bool {
        conds.iter().all(|(k, pattern)| match self.value(k) {
            Some(v) => glob(pattern, v),
            None => pattern == "*",
        })
    }
}

/// Shell-style glob: `*`, `?`, and `[abc]` classes. Linear in practice and never worse than
/// pattern × text: one backtrack point (the last `*`), no recursion, so a hostile condition
/// (`[sdk=****…z]`) cannot make it run for minutes.
pub fn glob(pattern: &str, text: &str) -> bool {
    enum Tok {
        Star,
        Any,
        Class(Vec<char>),
        Lit(char),
    }
    let pc: Vec<char> = pattern.chars().collect();
    let mut p = Vec::with_capacity(pc.len());
    let mut i = 0;
    while i < pc.len() {
        match pc[i] {
            // Runs of `*` are one star.
            '*' => {
                if !matches!(p.last(), Some(Tok::Star)) {
                    p.push(Tok::Star);
                }
            }
            '?' => p.push(Tok::Any),
            '[' => match pc[i..].iter().position(|&c| c == ']') {
                Some(close) if close > 1 => {
                    p.push(Tok::Class(pc[i + 1..i + close].to_vec()));
                    i += close;
                }
                _ => p.push(Tok::Lit('[')),
            },
            c => p.push(Tok::Lit(c)),
        }
        i += 1;
    }
    let t: Vec<char> = text.chars().collect();
    let one = |tok: &Tok, c: char| match tok {
        Tok::Any => true,
        Tok::Class(set) => set.contains(&c),
        Tok::Lit(l) => *l == c,
        Tok::Star => false,
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() {
            if matches!(p[pi], Tok::Star) {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            if one(&p[pi], t[ti]) {
                pi += 1;
                ti += 1;
                continue;
            }
        }
        match star {
            // The star takes one more character, and the rest is tried again from there.
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while pi < p.len() && matches!(p[pi], Tok::Star) {
        pi += 1;
    }
    pi == p.len()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticKind {
    /// A line that is not a comment, directive or assignment.
    Parse,
    /// An `#include` whose file does not exist.
    IncludeMissing,
    /// An `#include` that leads back to a file being read.
    IncludeCycle,
    /// An included file that could not be read.
    Unreadable,
    /// A value that expands past the length Shipdeck evaluates (a setting doubling itself).
    TooLong,
    /// An `#include` whose name matches its file only ignoring case (`Version.public` for
    /// `Version.Public.xcconfig`): read, as on a Mac's default disk, but it fails where names
    /// are case-sensitive.
    IncludeCase,
}

/// Something wrong found while resolving, with its place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// For a diagnostic about an `#include`: the file it names (where Shipdeck looked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include: Option<PathBuf>,
    /// For a missing `#include`: the committed template read in its place (Mullvad's
    /// `Base.xcconfig.template`, which its setup copies to `Base.xcconfig`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stand_in: Option<PathBuf>,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file.display(), self.line, self.column, self.message)
    }
}

/// One assignment in reading order, includes inlined where they stand.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    conditions: Vec<(String, String)>,
    value: String,
    file: PathBuf,
    line: usize,
}

/// The result of resolving a file.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub settings: Settings,
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read, the top one first.
    pub files: Vec<PathBuf>,
    /// `#include?` lines whose file is absent (allowed, so not a diagnostic): the xcconfig, its
    /// line, and the file it names. A file a build script writes (alt-tab-macos's CI writes
    /// `config/local.xcconfig`) may be where a setting the release needs comes from.
    pub absent_optional: Vec<(PathBuf, usize, PathBuf)>,
}

/// Resolves `path` for a build context. `base` holds the lower level's values (built-in
/// settings, project settings): what `$(inherited)` and undefined names fall back to.
/// Errors only when the top file cannot be read; problems inside are diagnostics.
pub fn resolve_file(path: &Path, cond: &Conditions) -> Result<Resolved> {
    resolve_file_with(path, cond, &Settings::default())
}

pub fn resolve_file_with(path: &Path, cond: &Conditions, base: &Settings) -> Result<Resolved> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
    let mut out = Resolved::default();
    let mut entries = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    collect(path, &text, &mut stack, &mut entries, &mut out, &cond.source_root.iter().cloned().collect::<Vec<_>>());
    let matching: Vec<Entry> = entries.into_iter().filter(|e| cond.matches(&e.conditions)).collect();
    let (settings, cut) = evaluate(&matching, base);
    out.settings = settings;
    out.diagnostics.extend(cut);
    Ok(out)
}

/// One assignment of a settings level that is not an xcconfig (a project file's
/// `buildSettings`): `NAME` or `NAME[cond=pattern]...`, its value, and where it is written.
#[derive(Debug, Clone)]
pub struct LevelEntry {
    pub key: String,
    pub value: String,
    pub file: PathBuf,
    pub line: usize,
}

/// Evaluates one settings level over `base` (the levels below it): conditions filtered,
/// references and `$(inherited)` expanded, each value keeping its origin.
pub fn layer(base: &Settings, cond: &Conditions, level: &[LevelEntry]) -> Settings {
    let entries: Vec<Entry> = level
        .iter()
        .filter_map(|e| {
            let (name, conditions) = split_key(&e.key)?;
            Some(Entry { name, conditions, value: e.value.clone(), file: e.file.clone(), line: e.line })
        })
        .filter(|e| cond.matches(&e.conditions))
        .collect();
    evaluate(&entries, base).0
}

/// One level of a target's settings, lowest first: an xcconfig file (includes inlined) or
/// a project file's `buildSettings`.
pub enum Level<'a> {
    File(&'a Path),
    Entries(&'a [LevelEntry]),
}

/// Resolves a stack of levels the way Xcode does: every assignment of every level in order,
/// conditions filtered, and then each value evaluated once against the whole stack, so a
/// reference sees the name's final value (a project xcconfig's
/// `PRODUCT_BUNDLE_IDENTIFIER = app$(SUFFIX)` takes the `SUFFIX` a target sets above it) and
/// `$(inherited)` the definition just below. `base` holds the built-in settings.
/// Errors when a level's xcconfig cannot be read; problems inside are diagnostics.
pub fn resolve_levels(levels: &[Level], cond: &Conditions, base: &Settings) -> Result<Resolved> {
    let mut out = Resolved::default();
    let mut entries = Vec::new();
    for level in levels {
        match level {
            Level::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
                let mut stack = vec![path.to_path_buf()];
                collect(path, &text, &mut stack, &mut entries, &mut out, &cond.source_root.iter().cloned().collect::<Vec<_>>());
            }
            Level::Entries(level) => entries.extend(level.iter().filter_map(|e| {
                let (name, conditions) = split_key(&e.key)?;
                Some(Entry { name, conditions, value: e.value.clone(), file: e.file.clone(), line: e.line })
            })),
        }
    }
    let matching: Vec<Entry> = entries.into_iter().filter(|e| cond.matches(&e.conditions)).collect();
    let (settings, cut) = evaluate(&matching, base);
    out.settings = settings;
    out.diagnostics.extend(cut);
    Ok(out)
}

/// `CODE_SIGN_IDENTITY[sdk=iphoneos*]` into the name and its conditions.
fn split_key(key: &str) -> Option<(String, Vec<(String, String)>)> {
    let (name, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    let mut conditions = Vec::new();
    while let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']')?;
        let (k, v) = inner[..close].split_once('=')?;
        conditions.push((k.trim().to_string(), v.trim().to_string()));
        rest = &inner[close + 1..];
    }
    (!name.is_empty() && rest.is_empty()).then(|| (name.to_string(), conditions))
}

/// `search`: the folders an include not beside `path` is looked for in, nearest first (the
/// enclosing includers' folders, then the project's source root).
fn collect(path: &Path, text: &str, stack: &mut Vec<PathBuf>, entries: &mut Vec<Entry>, out: &mut Resolved, search: &[PathBuf]) {
    out.files.push(path.to_path_buf());
    let doc = Document::parse(text);
    for line in &doc.lines {
        match &line.kind {
            // A template's placeholders (WireGuard's `DEVELOPMENT_TEAM = <team_id>`) are for the
            // developer to fill in: unset until then, not values.
            LineKind::Assign(a) if crate::fsutil::is_template(path) && crate::text::is_placeholder(&a.value) => {}
            LineKind::Assign(a) => entries.push(Entry { name: a.name.clone(), conditions: a.conditions.clone(), value: a.value.clone(), file: path.to_path_buf(), line: line.number }),
            LineKind::Invalid { column, message } => {
                out.diagnostics.push(Diagnostic { kind: DiagnosticKind::Parse, file: path.to_path_buf(), line: line.number, column: *column, message: message.clone(), include: None, stand_in: None })
            }
            LineKind::Include { path: inc, optional } => {
                let target = include_path(path, inc);
                let diag =
                    |kind, message: String, include: &Path| Diagnostic { kind, file: path.to_path_buf(), line: line.number, column: 1, message, include: Some(include.to_path_buf()), stand_in: None };
                // A Mac's disk ignores case by default, and Xcode reads `Version.public` as
                // `Version.Public.xcconfig`: so does Shipdeck, and says so.
                // Not beside this file: beside the files that include it, then in the project's
                // folder (the first that has it).
                let target = match target.exists() || case_insensitive_match(&target).is_some() {
                    true => target,
                    false => {
                        let elsewhere: Vec<PathBuf> = search.iter().map(|dir| include_path(&dir.join("_"), inc)).collect();
                        // Nowhere yet: where its committed template is, the file the team's setup
                        // makes (Chime's `User.xcconfig.template` beside the project).
                        let templated = || std::iter::once(&target).chain(&elsewhere).find(|p| crate::fsutil::template_of(p).is_some()).cloned();
                        elsewhere.iter().find(|p| p.exists()).cloned().or_else(templated).unwrap_or(target)
                    }
                };
                let target = match (!target.exists()).then(|| case_insensitive_match(&target)).flatten() {
                    Some(found) => {
                        let name = found.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                        out.diagnostics.push(diag(
                            DiagnosticKind::IncludeCase,
                            format!("#include \"{inc}\" names {name} with other capitals: read as on a Mac's default disk, but not found where names are case-sensitive"),
                            &found,
                        ));
                        found
                    }
                    None => target,
                };
                let canonical = target.canonicalize().unwrap_or_else(|_| target.clone());
                if stack.iter().any(|s| s.canonicalize().unwrap_or_else(|_| s.clone()) == canonical) {
                    out.diagnostics.push(diag(DiagnosticKind::IncludeCycle, format!("#include \"{inc}\" leads back to a file already being read; skipped"), &target));
                    continue;
                }
                match std::fs::read_to_string(&target) {
                    Ok(t) => {
                        stack.push(target.clone());
                        collect(&target, &t, stack, entries, out, &enclosing(path, search));
                        stack.pop();
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        // A file the team's setup makes from a committed template: the template
                        // is read in its place (what the copy will hold), and the include is
                        // still said to be missing.
                        // Not for `#include?`: the build goes on without the file, and its
                        // sample holds a developer's own values (Provenance's
                        // CodeSigning.xcconfig.sample: `ORG_IDENTIFIER = com.myuniquename`).
                        let template = if *optional { None } else { crate::fsutil::template_of(&target) };
                        if let Some((template, text)) = template.as_ref().and_then(|t| std::fs::read_to_string(t).ok().map(|x| (t, x))) {
                            let shown = template.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                            let mut d = diag(DiagnosticKind::IncludeMissing, format!("#include \"{inc}\": {} does not exist; its template {shown} was read in its place", target.display()), &target);
                            d.stand_in = Some(template.clone());
                            out.diagnostics.push(d);
                            stack.push(template.clone());
                            collect(template, &text, stack, entries, out, &enclosing(path, search));
                            stack.pop();
                            continue;
                        }
                        if *optional {
                            out.absent_optional.push((path.to_path_buf(), line.number, target.clone()));
                        } else {
                            out.diagnostics.push(diag(DiagnosticKind::IncludeMissing, format!("#include \"{inc}\": {} does not exist", target.display()), &target));
                        }
                    }
                    Err(e) => out.diagnostics.push(diag(DiagnosticKind::Unreadable, format!("#include \"{inc}\": {e}"), &target)),
                }
            }
            LineKind::Blank | LineKind::Comment => {}
        }
    }
}

/// The search folders for the files `path` includes: `path`'s own folder, then `search`.
fn enclosing(path: &Path, search: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = path.parent().map(Path::to_path_buf).into_iter().collect();
    out.extend(search.iter().filter(|s| !out.contains(s)).cloned().collect::<Vec<_>>());
    out
}

/// The one file in `path`'s folder whose name is `path`'s ignoring ASCII case, when `path`
/// itself is absent (none when two match: which one a case-insensitive disk holds is unclear).
fn case_insensitive_match(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let dir = path.parent()?;
    let mut found = std::fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir })
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().to_ascii_lowercase() == name)
        .map(|e| dir.join(e.file_name()));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// An include's file: relative to the including file's folder; `.xcconfig` added when the
/// name has no extension; `./` and `dir/..` folded away (`#include "./Common.xcconfig"` is
/// shown as the file it names, not `xcconfig/./Common.xcconfig`).
pub fn include_path(from: &Path, inc: &str) -> PathBuf {
    let mut p = PathBuf::from(inc);
    if p.extension().is_none() {
        p.set_extension("xcconfig");
    }
    if p.is_absolute() {
        p
    } else {
        crate::fsutil::normalize(&from.parent().unwrap_or(Path::new(".")).join(p))
    }
}

const MAX_DEPTH: usize = 64;

/// The longest value Shipdeck expands (256 KiB): Xcode's own values are a few KB at most, and a
/// file of settings that each double the one before would otherwise fill the memory.
pub const MAX_VALUE: usize = 1 << 18;

struct Evaluator<'a> {
    entries: &'a [Entry],
    base: &'a Settings,
    /// For each name, the indexes of its entries in order.
    by_name: HashMap<&'a str, Vec<usize>>,
    cache: HashMap<usize, String>,
    active: Vec<usize>,
    /// Entries whose value was cut at MAX_VALUE.
    cut: Vec<usize>,
}

fn evaluate(entries: &[Entry], base: &Settings) -> (Settings, Vec<Diagnostic>) {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_name.entry(e.name.as_str()).or_default().push(i);
    }
    let mut ev = Evaluator { entries, base, by_name, cache: HashMap::new(), active: vec![], cut: vec![] };
    let mut values: BTreeMap<String, SettingValue> = base.values.clone();
    let winners: Vec<usize> = ev.by_name.values().filter_map(|v| v.last().copied()).collect();
    for i in winners {
        let value = ev.entry_value(i, 0);
        let e = &entries[i];
        values.insert(e.name.clone(), SettingValue { value, raw: e.value.clone(), file: e.file.clone(), line: e.line });
    }
    let mut cut: Vec<usize> = ev.cut;
    cut.sort_unstable();
    cut.dedup();
    let diagnostics = cut
        .into_iter()
        .map(|i| {
            let e = &entries[i];
            Diagnostic {
                kind: DiagnosticKind::TooLong,
                file: e.file.clone(),
                line: e.line,
                column: 1,
                message: format!("{} expands past {} bytes; it was cut there (a setting that refers to itself over and over?)", e.name, MAX_VALUE),
                include: None,
                stand_in: None,
            }
        })
        .collect();
    (Settings { values }, diagnostics)
}

impl<'a> Evaluator<'a> {
    /// The expanded value of entry `i`.
    fn entry_value(&mut self, i: usize, depth: usize) -> String {
        if let Some(v) = self.cache.get(&i) {
            return v.clone();
        }
        if self.active.contains(&i) || depth > MAX_DEPTH {
            // A value that refers to itself sees what came before it.
            return self.inherited(i, depth);
        }
        self.active.push(i);
        let raw = self.entries[i].value.clone();
        let v = self.expand(&raw, Some(i), depth + 1);
        self.active.pop();
        self.cache.insert(i, v.clone());
        v
    }

    /// What `$(inherited)` means in entry `i`: the previous entry of the same name, else the base.
    fn inherited(&mut self, i: usize, depth: usize) -> String {
        let name = self.entries[i].name.as_str();
        let prev = self.by_name.get(name).and_then(|v| v.iter().rev().find(|&&j| j < i).copied());
        match prev {
            Some(j) if !self.active.contains(&j) => self.entry_value(j, depth + 1),
            _ => self.base.get(name).map(|v| v.value.clone()).unwrap_or_default(),
        }
    }

    /// The value of a name as a reference sees it: its winning entry, else the base.
    fn lookup(&mut self, name: &str, depth: usize) -> String {
        let last = self.by_name.get(name).and_then(|v| v.last().copied());
        match last {
            Some(i) => self.entry_value(i, depth + 1),
            None => self.base.get(name).map(|v| v.value.clone()).unwrap_or_default(),
        }
    }

    fn expand(&mut self, text: &str, current: Option<usize>, depth: usize) -> String {
        if depth > MAX_DEPTH {
            return String::new();
        }
        let mut out = String::with_capacity(text.len().min(MAX_VALUE));
        let mut rest = text;
        while let Some(pos) = rest.find('$') {
            if out.len() > MAX_VALUE {
                break;
            }
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 1..];
            let mut chars = after.chars();
            match chars.next() {
                Some('$') => {
                    out.push('$');
                    rest = &after[1..];
                }
                Some(open @ ('(' | '{' | '[')) => {
                    let close = match open {
                        '(' => ')',
                        '{' => '}',
                        _ => ']',
                    };
                    match matching_close(after, open, close) {
                        Some(end) => {
                            let inner = self.expand(&after[1..end], current, depth + 1);
                            out.push_str(&self.reference(&inner, current, depth));
                            rest = &after[end + 1..];
                        }
                        None => {
                            // Unbalanced: kept as written.
                            out.push('$');
                            rest = after;
                        }
                    }
                }
                Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                    let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                    out.push_str(&self.reference(&after[..len], current, depth));
                    rest = &after[len..];
                }
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        if out.len() > MAX_VALUE {
            let mut end = MAX_VALUE;
            while !out.is_char_boundary(end) {
                end -= 1;
            }
            out.truncate(end);
            if let Some(i) = current {
                self.cut.push(i);
            }
        }
        out
    }

    /// `NAME`, `NAME:op`, `NAME:op=value:op`... after nested references were expanded.
    fn reference(&mut self, inner: &str, current: Option<usize>, depth: usize) -> String {
        let (name, ops) = split_operators(inner);
        let mut value = if name == "inherited" {
            match current {
                Some(i) => self.inherited(i, depth),
                None => String::new(),
            }
        } else {
            self.lookup(name, depth)
        };
        for (op, arg) in ops {
            value = apply(op, arg, &value);
        }
        value
    }
}

/// The index of the `close` that balances the `open` at the start of `s`.
fn matching_close(s: &str, open: char, close: char) -> Option<usize> {
    let mut level = 0usize;
    for (i, c) in s.char_indices() {
        if c == open {
            level += 1;
        } else if c == close {
            level = level.checked_sub(1)?;
            if level == 0 {
                return Some(i);
            }
        }
    }
    None
}

const OPERATORS: &[&str] = &["quote", "upper", "lower", "identifier", "rfc1034identifier", "c99extidentifier", "dir", "file", "base", "suffix", "standardizepath", "not", "default"];

/// Splits `NAME:op:op=arg` into the name and its operators. A `:` that does not start a
/// known operator belongs to the argument before it (`default=http://x`).
fn split_operators(inner: &str) -> (&str, Vec<(&str, Option<&str>)>) {
    let mut parts = inner.split(':');
    let name = parts.next().unwrap_or("");
    let mut ops: Vec<(usize, usize)> = Vec::new(); // byte ranges of each op segment
    let mut offset = name.len() + 1;
    for part in parts {
        let op_name = part.split('=').next().unwrap_or("");
        let start = offset;
        let end = offset + part.len();
        if OPERATORS.contains(&op_name) || ops.is_empty() {
            ops.push((start, end));
        } else if let Some(last) = ops.last_mut() {
            last.1 = end;
        }
        offset = end + 1;
    }
    let ops = ops
        .into_iter()
        .map(|(s, e)| {
            let seg = &inner[s.min(inner.len())..e.min(inner.len())];
            match seg.split_once('=') {
                Some((op, arg)) => (op, Some(arg)),
                None => (seg, None),
            }
        })
        .collect();
    (name, ops)
}

fn split_dir_file(v: &str) -> (&str, &str) {
    match v.rfind('/') {
        Some(i) => (&v[..i + 1], &v[i + 1..]),
        None => ("", v),
    }
}

fn split_base_suffix(file: &str) -> (&str, &str) {
    match file.rfind('.') {
        Some(i) if i > 0 => (&file[..i], &file[i..]),
        _ => (file, ""),
    }
}

fn is_true(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "yes" | "true" | "1")
}

fn identifier(v: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out: String = v.chars().map(|c| if keep(c) { c } else { '_' }).collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.replace_range(0..1, "_");
    }
    out
}

fn standardize(v: &str) -> String {
    let absolute = v.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for p in v.split('/') {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            _ => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `value` through the operators of a reference's inside (`NAME:lower:rfc1034identifier`), as
/// Xcode applies them; without operators, `value` itself.
pub fn with_operators(inner: &str, value: &str) -> String {
    let (_, ops) = split_operators(inner);
    ops.into_iter().fold(value.to_string(), |v, (op, arg)| apply(op, arg, &v))
}

/// One operator on a value. Unknown operators leave the value as it is.
fn apply(op: &str, arg: Option<&str>, v: &str) -> String {
    let (dir, file) = split_dir_file(v);
    let (base, suffix) = split_base_suffix(file);
    match (op, arg) {
        ("default", Some(d)) => {
            if v.is_empty() {
                d.to_string()
            } else {
                v.to_string()
            }
        }
        // Every other operator leaves an empty value empty.
        (_, _) if v.is_empty() => String::new(),
        ("quote", None) => {
            let mut out = String::with_capacity(v.len());
            for c in v.chars() {
                if c.is_whitespace() || "\\\"'".contains(c) {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
        ("upper", None) => v.to_uppercase(),
        ("lower", None) => v.to_lowercase(),
        ("identifier", None) => identifier(v, |c| c.is_ascii_alphanumeric() || c == '_'),
        ("c99extidentifier", None) => identifier(v, |c| c.is_alphanumeric() || c == '_'),
        ("rfc1034identifier", None) => v.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect(),
        // `dir` of `/a/b/c` is `/a/b`; of `/c` it is `/`; of `c` it is empty.
        ("dir", None) => match dir.trim_end_matches('/') {
            "" if dir.starts_with('/') => "/".into(),
            d => d.into(),
        },
        ("file", None) => file.to_string(),
        ("base", None) => base.to_string(),
        ("suffix", None) => suffix.to_string(),
        ("standardizepath", None) => standardize(v),
        ("not", None) => {
            if is_true(v) {
                "NO".into()
            } else {
                "YES".into()
            }
        }
        ("dir", Some(d)) => format!("{}{}{file}", d.trim_end_matches('/'), if d.is_empty() { "" } else { "/" }),
        ("file", Some(f)) => format!("{dir}{f}"),
        ("base", Some(b)) => format!("{dir}{b}{suffix}"),
        ("suffix", Some(s)) => format!("{dir}{base}{s}"),
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_text(files: &[(&str, &str)], cond: &Conditions) -> (tempfile::TempDir, Resolved) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let r = resolve_file(&dir.path().join(files[0].0), cond).unwrap();
        (dir, r)
    }

    fn v(r: &Resolved, k: &str) -> String {
        r.settings.get(k).map(|s| s.value.clone()).unwrap_or_default()
    }

    fn ios() -> Conditions {
        Conditions { sdk: Some("iphoneos17.0".into()), config: Some("Production".into()), ..Default::default() }
    }

    #[test]
    fn last_match_wins_with_conditions_and_origins() {
        let (_d, r) = resolve_text(&[("P.xcconfig", "A = 1\nA[sdk=iphoneos*] = 2\nA[sdk=macosx*] = 3\nB[config=Debug] = d\nB[config=Prod*][sdk=iphone*] = p\n")], &ios());
        assert_eq!(v(&r, "A"), "2");
        assert_eq!(r.settings.get("A").unwrap().line, 2);
        assert_eq!(v(&r, "B"), "p");
        let (_d, r) = resolve_text(&[("P.xcconfig", "A = 1\nA[sdk=iphoneos*] = 2\n")], &Conditions::default());
        assert_eq!(v(&r, "A"), "1", "no sdk given: conditional lines do not match");
    }

    #[test]
    fn includes_count_where_they_stand() {
        let (_d, r) = resolve_text(&[("sub/Top.xcconfig", "A = top\n#include \"../Base\"\nC = $(B)-c\n#include? \"Missing.xcconfig\"\n"), ("Base.xcconfig", "A = base\nB = b\n")], &ios());
        assert_eq!(v(&r, "A"), "base", "the include comes after A = top");
        assert_eq!(v(&r, "C"), "b-c");
        assert!(r.settings.get("B").unwrap().file.ends_with("Base.xcconfig"));
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.files.len(), 2);
    }

    #[test]
    fn a_missing_include_is_read_from_its_template_an_optional_one_is_not() {
        // Mullvad: `#include "Base.xcconfig"`, made by its setup from Base.xcconfig.template.
        let (_d, r) = resolve_text(&[("App.xcconfig", "#include \"Base.xcconfig\"\n"), ("Base.xcconfig.template", "TEAM = T\n")], &ios());
        assert_eq!(v(&r, "TEAM"), "T");
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].stand_in.as_ref().is_some_and(|t| t.ends_with("Base.xcconfig.template")));
        // Provenance: `#include? "CodeSigning.xcconfig"` over a developer's own values; its sample
        // (`ORG_IDENTIFIER = com.myuniquename`) is not what the build reads.
        let (_d, r) = resolve_text(
            &[
                ("Build.xcconfig", "ORG_IDENTIFIER = org.provenance-emu\n#include? \"CodeSigning.xcconfig\"\nID = $(ORG_IDENTIFIER)\n"),
                ("CodeSigning.xcconfig.sample", "ORG_IDENTIFIER = com.myuniquename\n"),
            ],
            &ios(),
        );
        assert_eq!(v(&r, "ID"), "org.provenance-emu");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.absent_optional.len(), 1);
    }

    #[test]
    fn an_include_not_beside_its_file_is_looked_for_beside_its_includers_then_in_the_project() {
        // Chime: Configurations/Edit.xcconfig includes "Configurations/NonSwiftWorkaround.xcconfig",
        // found from the project's folder (swift-build searches the includer's folder, each
        // enclosing includer's, then the source root).
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("Configurations/App.xcconfig", "#include \"Configurations/Edit.xcconfig\"\n");
        w("Configurations/Edit.xcconfig", "#include \"Configurations/Workaround\"\n#include \"Shared/Inner.xcconfig\"\nEDIT = 1\n");
        w("Configurations/Workaround.xcconfig", "WORKAROUND = yes\n");
        w("Configurations/Shared/Inner.xcconfig", "#include \"Deep.xcconfig\"\n");
        w("Configurations/Deep.xcconfig", "DEEP = found beside an enclosing includer\n");
        w("User.xcconfig.template", "TEAM = T\n");
        w("Configurations/Project.xcconfig", "#include \"User.xcconfig\"\n");
        let cond = Conditions { source_root: Some(dir.path().to_path_buf()), ..ios() };
        let r = resolve_file(&dir.path().join("Configurations/App.xcconfig"), &cond).unwrap();
        assert_eq!((v(&r, "EDIT"), v(&r, "WORKAROUND"), v(&r, "DEEP").as_str()), ("1".into(), "yes".into(), "found beside an enclosing includer"));
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        // Without the project's folder (a file read alone), the same includes are missing.
        let r = resolve_file(&dir.path().join("Configurations/App.xcconfig"), &ios()).unwrap();
        assert_eq!(r.diagnostics.iter().filter(|d| d.kind == DiagnosticKind::IncludeMissing).count(), 1, "{:?}", r.diagnostics);
        // Made from a template beside the project: that is the file the include names.
        let r = resolve_file(&dir.path().join("Configurations/Project.xcconfig"), &cond).unwrap();
        assert_eq!(v(&r, "TEAM"), "T");
        assert_eq!(r.diagnostics[0].include.as_deref(), Some(dir.path().join("User.xcconfig").as_path()));
    }

    #[test]
    fn an_include_in_other_capitals_is_read_as_on_a_mac() {
        // `#include "Version.public.xcconfig"` beside `Version.Public.xcconfig` (a real project's):
        // a Mac's disk ignores case, so Xcode reads it; a case-sensitive one does not.
        let (_d, r) = resolve_text(&[("config/App.xcconfig", "#include \"Version.public.xcconfig\"\nB = $(VERSION_SHORT)\n"), ("config/Version.Public.xcconfig", "VERSION_SHORT = 4.54\n")], &ios());
        assert_eq!(v(&r, "B"), "4.54");
        assert!(r.settings.get("VERSION_SHORT").unwrap().file.ends_with("config/Version.Public.xcconfig"));
        assert_eq!(r.diagnostics.iter().map(|d| d.kind).collect::<Vec<_>>(), vec![DiagnosticKind::IncludeCase], "{:?}", r.diagnostics);
        assert_eq!(r.diagnostics[0].line, 1);
        // Truly absent: still missing.
        let (_d, r) = resolve_text(&[("A.xcconfig", "#include \"Nowhere.xcconfig\"\n")], &ios());
        assert_eq!(r.diagnostics.iter().map(|d| d.kind).collect::<Vec<_>>(), vec![DiagnosticKind::IncludeMissing]);
    }

    #[test]
    fn an_include_through_dot_names_the_file_itself() {
        // `#include "./Common.xcconfig"` (as real projects write it) is the file, not `dir/./Common`.
        let (_d, r) = resolve_text(
            &[
                ("xcconfig/Top.xcconfig", "#include \"./Common.xcconfig\"\n#include \"sub/../Other\"\n"),
                ("xcconfig/Common.xcconfig", "A = 1\n"),
                ("xcconfig/Other.xcconfig", "B = 2\n"),
                ("xcconfig/sub/Keep.xcconfig", ""),
            ],
            &ios(),
        );
        let a = &r.settings.get("A").unwrap().file;
        assert!(a.ends_with("xcconfig/Common.xcconfig"), "{}", a.display());
        assert!(!a.to_string_lossy().contains("/./"), "{}", a.display());
        let b = &r.settings.get("B").unwrap().file;
        assert!(b.ends_with("xcconfig/Other.xcconfig") && !b.to_string_lossy().contains(".."), "{}", b.display());
    }

    #[test]
    fn missing_include_and_cycles_are_diagnostics() {
        let (_d, r) = resolve_text(&[("A.xcconfig", "X = 1\n#include \"Nope.xcconfig\"\n#include \"B.xcconfig\"\n"), ("B.xcconfig", "#include \"A.xcconfig\"\nY = 2\n")], &ios());
        assert_eq!(v(&r, "Y"), "2");
        let kinds: Vec<_> = r.diagnostics.iter().map(|d| (d.kind, d.line)).collect();
        assert_eq!(kinds, vec![(DiagnosticKind::IncludeMissing, 2), (DiagnosticKind::IncludeCycle, 1)]);
        assert!(r.diagnostics[1].file.ends_with("B.xcconfig"));
    }

    #[test]
    fn inherited_nesting_and_reference_forms() {
        let (_d, r) = resolve_text(
            &[(
                "P.xcconfig",
                "FLAGS = -a\nFLAGS = $(inherited) -b\nFLAGS[sdk=iphoneos*] = $(inherited) -c\nKIND = RELEASE\nID_RELEASE = rel\nPICK = $(ID_$(KIND))\nALT = ${KIND}/$KIND/$[KIND]\nCOST = $$5 and $(UNDEFINED)x\nSELF = $(SELF) more\n",
            )],
            &ios(),
        );
        assert_eq!(v(&r, "FLAGS"), "-a -b -c");
        assert_eq!(v(&r, "PICK"), "rel");
        assert_eq!(v(&r, "ALT"), "RELEASE/RELEASE/RELEASE");
        assert_eq!(v(&r, "COST"), "$5 and x");
        assert_eq!(v(&r, "SELF"), " more");
    }

    #[test]
    fn inherited_falls_back_to_the_base_level() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("P.xcconfig");
        std::fs::write(&p, "OTHER_LDFLAGS = $(inherited) -ObjC\nNAME = $(PRODUCT_NAME:lower)\n").unwrap();
        let base = Settings::from_pairs("project", &[("OTHER_LDFLAGS", "-lz"), ("PRODUCT_NAME", "Isometry")]);
        let r = resolve_file_with(&p, &ios(), &base).unwrap();
        assert_eq!(v(&r, "OTHER_LDFLAGS"), "-lz -ObjC");
        assert_eq!(v(&r, "NAME"), "isometry");
    }

    #[test]
    fn operators() {
        let cases = [
            ("$(N:upper)", "MY APP.V2"),
            ("$(N:lower)", "my app.v2"),
            ("$(N:identifier)", "My_App_v2"),
            ("$(N:rfc1034identifier)", "My-App-v2"),
            ("$(N:c99extidentifier)", "My_App_v2"),
            ("$(N:quote)", "My\\ App.v2"),
            ("$(D:identifier)", "_bc"),
            ("$(P:dir)", "/a/b"),
            ("$(P:file)", "c.txt"),
            ("$(P:base)", "c"),
            ("$(P:suffix)", ".txt"),
            ("$(P:base=d)", "/a/b/d.txt"),
            ("$(P:suffix=.md)", "/a/b/c.md"),
            ("$(P:file=e.png)", "/a/b/e.png"),
            ("$(P:dir=/x)", "/x/c.txt"),
            ("$(Q:standardizepath)", "/a/c"),
            ("$(E:default=fallback)", "fallback"),
            ("$(N:default=fallback)", "My App.v2"),
            ("$(E:default=a:b:upper)", "A:B"),
            ("$(E:upper)", ""),
            ("$(Y:not)", "NO"),
            ("$(NO:not)", "YES"),
            ("$(N:lower:rfc1034identifier)", "my-app-v2"),
        ];
        let mut text = String::from("N = My App.v2\nD = 9bc\nP = /a/b/c.txt\nQ = /a/./b/../c\nE =\nY = YES\nNO = NO\n");
        for (i, (expr, _)) in cases.iter().enumerate() {
            text.push_str(&format!("R{i} = {expr}\n"));
        }
        let (_d, r) = resolve_text(&[("P.xcconfig", &text)], &ios());
        for (i, (expr, want)) in cases.iter().enumerate() {
            assert_eq!(v(&r, &format!("R{i}")), *want, "{expr}");
        }
    }

    #[test]
    fn a_project_level_over_an_xcconfig() {
        let base = Settings::from_pairs("P.xcconfig", &[("FLAGS", "-a"), ("ID", "com.x")]);
        let level = vec![
            LevelEntry { key: "FLAGS".into(), value: "$(inherited) -b".into(), file: "project.pbxproj".into(), line: 10 },
            LevelEntry { key: "ID[sdk=macosx*]".into(), value: "$(ID).mac".into(), file: "project.pbxproj".into(), line: 11 },
            LevelEntry { key: "BROKEN[sdk".into(), value: "x".into(), file: "project.pbxproj".into(), line: 12 },
        ];
        let mac = Conditions { sdk: Some("macosx".into()), ..Default::default() };
        let s = layer(&base, &mac, &level);
        assert_eq!(s.value("FLAGS"), Some("-a -b"));
        assert_eq!(s.get("FLAGS").unwrap().line, 10);
        assert_eq!(s.value("ID"), Some("com.x.mac"));
        assert!(s.get("BROKEN").is_none());
        assert_eq!(layer(&base, &ios(), &level).value("ID"), Some("com.x"));
    }

    #[test]
    fn globs() {
        assert!(glob("iphoneos*", "iphoneos17.2"));
        assert!(!glob("iphoneos*", "iphonesimulator17.2"));
        assert!(glob("x86_64", "x86_64"));
        assert!(glob("arm64?", "arm64e"));
        assert!(glob("[ab]rm64", "arm64"));
        assert!(glob("*", ""));
    }

    #[test]
    fn deep_self_reference_does_not_overflow() {
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(&format!("V{i} = $(V{})\n", i + 1));
        }
        text.push_str("V200 = $(V0)\n");
        let (_d, r) = resolve_text(&[("P.xcconfig", &text)], &ios());
        assert!(r.settings.get("V0").is_some());
    }

    #[test]
    fn a_reference_sees_the_final_value_of_a_higher_level() {
        let (dir, _) = resolve_text(&[("Base.xcconfig", "PREFIX = io.example\nPRODUCT_BUNDLE_IDENTIFIER = $(PREFIX).app$(SUFFIX)\nFLAGS = -a\n")], &ios());
        let target = [
            LevelEntry { key: "SUFFIX".into(), value: ".share".into(), file: "project.pbxproj".into(), line: 9 },
            LevelEntry { key: "FLAGS".into(), value: "$(inherited) -b".into(), file: "project.pbxproj".into(), line: 10 },
        ];
        let r = resolve_levels(&[Level::File(&dir.path().join("Base.xcconfig")), Level::Entries(&target)], &ios(), &Settings::default()).unwrap();
        assert_eq!(v(&r, "PRODUCT_BUNDLE_IDENTIFIER"), "io.example.app.share");
        assert_eq!(v(&r, "FLAGS"), "-a -b");
        // Evaluated level by level, the suffix would be missed.
        let eager = layer(&resolve_file(&dir.path().join("Base.xcconfig"), &ios()).unwrap().settings, &ios(), &target);
        assert_eq!(eager.value("PRODUCT_BUNDLE_IDENTIFIER"), Some("io.example.app"));
    }

    #[test]
    fn hostile_conditions_and_doubling_values_end_quickly() {
        // A condition that made the recursive glob backtrack exponentially.
        let t0 = std::time::Instant::now();
        let pattern = format!("{}z", "*".repeat(40));
        assert!(!glob(&pattern, &"a".repeat(60)));
        let pattern = format!("{}z", "*a".repeat(30));
        assert!(!glob(&pattern, &"a".repeat(200)));
        assert!(t0.elapsed() < std::time::Duration::from_secs(2), "{:?}", t0.elapsed());
        // The glob still means what it meant.
        assert!(glob("iphone*", "iphoneos") && glob("*os", "iphoneos") && glob("i?hone[os]s", "iphoneos") && !glob("mac*", "iphoneos"));
        assert!(glob("[", "[") && glob("a*b*c", "aXXbYYc") && !glob("a*b*c", "aXXbYY"));

        // Settings that each hold the one before eight times (8^8 = 16 million times the first):
        // cut at MAX_VALUE and said, not out of memory.
        let mut text = String::from("V0 = xy\n");
        for i in 1..9 {
            text.push_str(&format!("V{i} = {}\n", format!("$(V{})", i - 1).repeat(8)));
        }
        let (_dir, r) = resolve_text(&[("Eight.xcconfig", &text)], &ios());
        let v8 = r.settings.value("V8").unwrap_or_default();
        assert!(v8.len() <= MAX_VALUE && v8.len() > MAX_VALUE / 2, "{}", v8.len());
        assert!(r.diagnostics.iter().any(|d| d.kind == DiagnosticKind::TooLong), "{:?}", r.diagnostics);
    }
}
