//! Small text helpers: where a byte offset is, as a person counts it; a list read as English;
//! whether a value is a UUID.

/// Whether `s` is a UUID as Apple writes them (8-4-4-4-12 hex digits, either case): an App
/// Store Connect issuer id, a provisioning profile's UUID.
pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map(|i| i + 1).unwrap_or(0);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// Lines joined as sentences: each ends with a full stop unless it already ends with one (or
/// with `!` or `?`), so notes written as list items read as a paragraph.
pub fn sentences(lines: &[String]) -> String {
    lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).map(|l| if l.ends_with(['.', '!', '?']) { l.to_string() } else { format!("{l}.") }).collect::<Vec<_>>().join(" ")
}

/// Values people leave in a config until someone fills them in.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches('"').to_ascii_lowercase();
    v.is_empty() || ["todo", "tbd", "fixme", "changeme", "change_me", "replace_me", "placeholder", "your_", "your-", "<", "xxx", "example.com", "dummy"].iter().any(|p| v.contains(p))
}

/// A bundle id a template leaves for someone to replace: a label such as `example`,
/// `replace`/`replaceme`, `yourcompany`, `mycompany`, `organizationname` (`com.example.app`,
/// `com.replace.me`, `com.yourcompany.App`), or `<…>`. A value still naming a setting (`$(…)`)
/// is not judged.
pub fn is_placeholder_bundle_id(id: &str) -> bool {
    const WORDS: &[&str] =
        &["example", "replace", "replaceme", "yourcompany", "yourdomain", "yourname", "yourorganization", "mycompany", "myorganization", "organizationname", "myuniquename", "changeme"];
    let id = id.trim();
    if id.is_empty() || id.contains('$') {
        return false;
    }
    // Whole labels only: `org.joinmastodon.app` holds "todo" in a word.
    id.contains(['<', '>']) || id.split('.').any(|l| WORDS.contains(&l.to_ascii_lowercase().replace(['-', '_'], "").as_str()))
}

/// "iOS", "iOS and macOS", "iOS, visionOS and Mac Catalyst".
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_bundle_ids() {
        for id in ["com.replace.me", "com.example.apple-samplecode.BackyardBirds", "com.yourcompany.App", "org.my-company.app", "com.your_domain.app", "<bundle id>", "com.myuniquename.provenance"] {
            assert!(is_placeholder_bundle_id(id), "{id}");
        }
        for id in ["com.mshaler.isometry", "org.cryptomator.ios", "io.robbie.HomeAssistant", "com.examples-r-us.app", "org.joinmastodon.app", "$(PRODUCT_BUNDLE_IDENTIFIER)", ""] {
            assert!(!is_placeholder_bundle_id(id), "{id}");
        }
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
        // Columns count characters, not bytes.
        assert_eq!(line_col("é=x", 3), (1, 3));
    }

    #[test]
    fn notes_read_as_sentences() {
        let notes = ["No shipdeck.toml: read as Xcode does.", "Scheme A archives A", "  ", "Really?"].map(String::from);
        assert_eq!(sentences(&notes), "No shipdeck.toml: read as Xcode does. Scheme A archives A. Really?");
    }

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list(&[]), "");
        assert_eq!(and_list(&["iOS"]), "iOS");
        assert_eq!(and_list(&["iOS", "macOS"]), "iOS and macOS");
        assert_eq!(and_list(&["iOS", "visionOS", "Mac Catalyst"]), "iOS, visionOS and Mac Catalyst");
    }
}
