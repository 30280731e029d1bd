//! Shared schemes (`xcshareddata/xcschemes/*.xcscheme`): the configuration they archive with.

use crate::error::{Error, Result};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The shared scheme file of `scheme` in a project.
pub fn scheme_path(xcodeproj: &Path, scheme: &str) -> PathBuf {
    xcodeproj.join("xcshareddata/xcschemes").join(format!("{scheme}.xcscheme"))
}

/// The bytes of the `buildConfiguration` value of the `<ArchiveAction` element.
fn archive_value(text: &str) -> Option<Range<usize>> {
    let start = text.find("<ArchiveAction")?;
    let tag_end = start + text[start..].find('>')?;
    let tag = &text[start..tag_end];
    let attr = tag.find("buildConfiguration")?;
    let rest = &tag[attr + "buildConfiguration".len()..];
    let open = rest.find('"')?;
    if !rest[..open].trim().trim_start_matches('=').trim().is_empty() {
        return None;
    }
    let value_start = start + attr + "buildConfiguration".len() + open + 1;
    let len = text[value_start..tag_end].find('"')?;
    Some(value_start..value_start + len)
}

/// The configuration a scheme archives with.
pub fn archive_configuration(text: &str) -> Option<&str> {
    archive_value(text).map(|r| &text[r])
}

/// The scheme's text with the archive configuration set; `None` when already set.
pub fn set_archive_configuration(text: &str, config: &str, path: &Path) -> Result<Option<String>> {
    let r = archive_value(text).ok_or_else(|| Error::Other(format!("{}: no <ArchiveAction buildConfiguration = \"...\"> in the scheme", path.display())))?;
    if &text[r.clone()] == config {
        return Ok(None);
    }
    let escaped = config.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    Ok(Some(format!("{}{}{}", &text[..r.start], escaped, &text[r.end..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_sets_only_the_archive_attribute() {
        let text = "<Scheme>\n   <LaunchAction\n      buildConfiguration = \"Debug\">\n   </LaunchAction>\n   <ArchiveAction\n      buildConfiguration = \"Release\"\n      revealArchiveInOrganizer = \"YES\">\n   </ArchiveAction>\n</Scheme>\n";
        assert_eq!(archive_configuration(text), Some("Release"));
        let new = set_archive_configuration(text, "Production", Path::new("s")).unwrap().unwrap();
        assert_eq!(new, text.replace("\"Release\"", "\"Production\""));
        assert!(set_archive_configuration(&new, "Production", Path::new("s")).unwrap().is_none());
        assert!(set_archive_configuration("<Scheme/>", "P", Path::new("s")).is_err());
    }
}
