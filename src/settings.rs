//! Effective build settings of one shipping target in the release configuration, each with
//! the file and line it came from. Checks read settings through this type only.

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

impl Settings {
    pub fn get(&self, key: &str) -> Option<&SettingValue> {
        self.values.get(key)
    }
    /// The expanded value, or `None` when unset or empty.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|v| v.value.as_str()).filter(|v| !v.is_empty())
    }
    /// Settings for tests and fixtures: every value comes from `file` at line 1, 2, 3...
    pub fn from_pairs(file: impl Into<PathBuf>, pairs: &[(&str, &str)]) -> Settings {
        let file = file.into();
        let values = pairs
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                (k.to_string(), SettingValue { value: v.to_string(), raw: v.to_string(), file: file.clone(), line: i + 1 })
            })
            .collect();
        Settings { values }
    }
    /// Expands `$(NAME)` / `${NAME}` references in a plist string against these settings,
    /// leaving unknown names as written (Xcode fills some in only when signing).
    pub fn expand(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('$') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let close = match after.chars().next() {
                Some('(') => ')',
                Some('{') => '}',
                _ => {
                    out.push('$');
                    rest = after;
                    continue;
                }
            };
            match after.find(close) {
                Some(end) => {
                    let name = &after[1..end];
                    let name = name.split(':').next().unwrap_or(name);
                    match self.values.get(name) {
                        Some(v) => out.push_str(&v.value),
                        None => out.push_str(&rest[start..start + 1 + end + 1]),
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_known_and_keep_unknown() {
        let s = Settings::from_pairs("P.xcconfig", &[("ENV", "Production"), ("ID", "com.x")]);
        assert_eq!(s.expand("$(ENV)-${ID}-$(TeamIdentifierPrefix)x"), "Production-com.x-$(TeamIdentifierPrefix)x");
        assert_eq!(s.expand("cost $5 $(ENV"), "cost $5 $(ENV");
        assert_eq!(s.get("ID").unwrap().line, 2);
    }
}
