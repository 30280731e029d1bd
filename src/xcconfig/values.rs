//! Resolved build settings: each setting's value with the file and line it came from, and the
//! `$(NAME)` references in a value. What the resolver makes; the settings module builds a
//! target's from them and re-exports them.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One resolved build setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingValue {
    /// The value after every reference and operator was expanded.
    pub value: String,
    /// The value as written at its origin.
    pub raw: String,
    /// Where the winning assignment is: an xcconfig or a project.pbxproj.
    pub file: PathBuf,
    /// 1-based line of the winning assignment.
    pub line: usize,
}

/// The effective settings of a target (name -> value), for one platform and configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub values: BTreeMap<String, SettingValue>,
}

/// The setting a value is exactly one reference to (`$(VERSION_LONG)`, `${FLUTTER_BUILD_NUMBER}`,
/// the old `$BUILD_NUMBER`).
pub fn single_reference(raw: &str) -> Option<&str> {
    let r = raw.trim();
    r.strip_prefix("$(")
        .and_then(|x| x.strip_suffix(')'))
        .or_else(|| r.strip_prefix("${").and_then(|x| x.strip_suffix('}')))
        .or_else(|| r.strip_prefix('$').filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

impl Settings {
    pub fn get(&self, key: &str) -> Option<&SettingValue> {
        self.values.get(key)
    }

    /// Where `key`'s value is written: followed through values that are one reference
    /// (`CURRENT_PROJECT_VERSION = $(FLUTTER_BUILD_NUMBER)` is written in a pubspec.yaml). The
    /// last name and its value; the value is `None` when `key` is unset, or when the last name's
    /// own value refers to a setting nothing sets.
    pub fn origin(&self, key: &str) -> (String, Option<&SettingValue>) {
        let mut name = key.to_string();
        let Some(mut v) = self.get(key) else { return (name, None) };
        for _ in 0..8 {
            // `X = $(X)` (XcodeGen writes it for every target) takes X from the level below:
            // the value is written there, not at another name.
            let Some(next) = single_reference(&v.raw).filter(|n| *n != name) else { break };
            match self.get(next) {
                Some(n) => {
                    v = n;
                    name = next.to_string();
                }
                None => return (name, None),
            }
        }
        (name, Some(v))
    }

    /// The expanded value, or `None` when unset or empty.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|v| v.value.as_str()).filter(|v| !v.is_empty())
    }
    /// Settings for tests and fixtures: every value comes from `file` at line 1, 2, 3...
    pub fn from_pairs(file: impl Into<PathBuf>, pairs: &[(&str, &str)]) -> Settings {
        let file = file.into();
        let values = pairs.iter().enumerate().map(|(i, (k, v))| (k.to_string(), SettingValue { value: v.to_string(), raw: v.to_string(), file: file.clone(), line: i + 1 })).collect();
        Settings { values }
    }
    /// Expands `$(NAME)` / `${NAME}` references in a plist string against these settings,
    /// leaving unknown names as written (Xcode fills some in only when signing).
    pub fn expand(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((start, end, name)) = next_reference(rest) {
            out.push_str(&rest[..start]);
            match self.values.get(name) {
                // `$(PRODUCT_NAME:rfc1034identifier)`, `$(PROJECT_NAME:lower)`: with its operators.
                Some(v) => match rest[start..end].trim_start_matches('$').strip_prefix(['(', '{']).and_then(|i| i.strip_suffix([')', '}'])) {
                    Some(inner) if inner.contains(':') => out.push_str(&super::with_operators(inner, &v.value)),
                    _ => out.push_str(&v.value),
                },
                None => out.push_str(&rest[start..end]),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

/// The first complete `$(NAME)` / `${NAME}` / `$NAME` of `text`: where its `$` is, where it
/// ends, and the name (without a `:modifier`). Xcode's build system still reads the old form
/// without parentheses (swift-build's MacroExpressionParser: a letter or `_`, then letters,
/// digits and `_`; Simplenote for Mac's Info.plist writes `$VERSION_SHORT`); `$$` is a `$`. A
/// `$` opening none is passed over.
fn next_reference(text: &str) -> Option<(usize, usize, &str)> {
    let mut from = 0;
    while let Some(start) = text[from..].find('$').map(|i| from + i) {
        let after = &text[start + 1..];
        let close = match after.chars().next() {
            Some('(') => ')',
            Some('{') => '}',
            Some('$') => {
                from = start + 2;
                continue;
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                return Some((start, start + 1 + len, &after[..len]));
            }
            _ => {
                from = start + 1;
                continue;
            }
        };
        let end = after.find(close)?;
        let name = &after[1..end];
        return Some((start, start + 1 + end + 1, name.split(':').next().unwrap_or(name)));
    }
    None
}

/// The names `text` refers to with `$(NAME)` / `${NAME}`, each once, in order.
pub fn references(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some((_, end, name)) = next_reference(rest) {
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_known_and_keep_unknown() {
        let s = Settings::from_pairs("P.xcconfig", &[("ENV", "Production"), ("ID", "com.x")]);
        assert_eq!(s.expand("$(ENV)-${ID}-$(TeamIdentifierPrefix)x"), "Production-com.x-$(TeamIdentifierPrefix)x");
        assert_eq!(s.expand("cost $5 $(ENV"), "cost $5 $(ENV");
        // The old form without parentheses, as Xcode still reads it; `$$` is a dollar.
        assert_eq!(s.expand("$ENV-$ID.x $$ENV $UNKNOWN"), "Production-com.x.x $$ENV $UNKNOWN");
        assert_eq!(references("$VERSION_SHORT ($BUILD_NUMBER) $$X"), ["VERSION_SHORT", "BUILD_NUMBER"]);
        assert_eq!(
            [single_reference("$BUILD_NUMBER"), single_reference("$(A)"), single_reference("${B}"), single_reference("$5"), single_reference("$A-1")],
            [Some("BUILD_NUMBER"), Some("A"), Some("B"), None, None]
        );
        assert_eq!(s.get("ID").unwrap().line, 2);
    }
}
