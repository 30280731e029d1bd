//! What an `.xcarchive` holds: the version, build number and bundle id of the app inside it,
//! as they ship. A Run Script phase may have written them while the app built (Cryptomator's
//! build number from `git rev-list --count`), so after the archive they are read from it, not
//! from the project.

use std::path::{Path, PathBuf};

/// The app's identity as the archive holds it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Archived {
    pub version: Option<String>,
    pub build: Option<String>,
    pub bundle_id: Option<String>,
}

/// Reads the app in `archive`: its own Info.plist in `Products/Applications/*.app` (iOS) or
/// `*.app/Contents` (macOS), which the build phases have finished with; else the archive's
/// Info.plist, whose `ApplicationProperties` Xcode writes from it. `None` when neither says.
pub fn read(archive: &Path) -> Option<Archived> {
    let from_dict = |d: &plist::Dictionary| {
        let s = |k: &str| d.get(k).and_then(|v| v.as_string()).map(str::trim).filter(|v| !v.is_empty()).map(String::from);
        let a = Archived { version: s("CFBundleShortVersionString"), build: s("CFBundleVersion"), bundle_id: s("CFBundleIdentifier") };
        (a.version.is_some() || a.build.is_some()).then_some(a)
    };
    let app = app_in(archive);
    let own = app.iter().flat_map(|a| [a.join("Info.plist"), a.join("Contents/Info.plist")]).find_map(|p| plist::Value::from_file(p).ok()).and_then(|v| v.into_dictionary());
    if let Some(a) = own.as_ref().and_then(from_dict) {
        return Some(a);
    }
    let info = plist::Value::from_file(archive.join("Info.plist")).ok()?.into_dictionary()?;
    info.get("ApplicationProperties").and_then(|v| v.as_dictionary()).and_then(from_dict)
}

/// The one `.app` in the archive's Products/Applications.
fn app_in(archive: &Path) -> Option<PathBuf> {
    let mut apps: Vec<PathBuf> = std::fs::read_dir(archive.join("Products/Applications")).ok()?.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "app")).collect();
    apps.sort();
    apps.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLIST: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n";

    #[test]
    fn the_apps_own_info_plist_wins_then_the_archives_application_properties() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("Vault.xcarchive");
        assert_eq!(read(&archive), None, "no archive");
        std::fs::create_dir_all(archive.join("Products/Applications/Vault.app")).unwrap();
        std::fs::write(
            archive.join("Info.plist"),
            format!("{PLIST}\t<key>ApplicationProperties</key>\n\t<dict>\n\t\t<key>ApplicationPath</key>\n\t\t<string>Applications/Vault.app</string>\n\t\t<key>CFBundleIdentifier</key>\n\t\t<string>org.example.vault</string>\n\t\t<key>CFBundleShortVersionString</key>\n\t\t<string>3.1.2</string>\n\t\t<key>CFBundleVersion</key>\n\t\t<string>1717</string>\n\t</dict>\n\t<key>ArchiveVersion</key>\n\t<integer>2</integer>\n</dict>\n</plist>\n"),
        )
        .unwrap();
        let want = |b: &str| Some(Archived { version: Some("3.1.2".into()), build: Some(b.into()), bundle_id: Some("org.example.vault".into()) });
        assert_eq!(read(&archive), want("1717"));
        // The app's own Info.plist (a binary one, as Xcode writes for iOS).
        let mut d = plist::Dictionary::new();
        d.insert("CFBundleShortVersionString".into(), "3.1.2".into());
        d.insert("CFBundleVersion".into(), "1718".into());
        d.insert("CFBundleIdentifier".into(), "org.example.vault".into());
        plist::Value::Dictionary(d).to_file_binary(archive.join("Products/Applications/Vault.app/Info.plist")).unwrap();
        assert_eq!(read(&archive), want("1718"));
        // Unreadable everywhere: nothing, not a guess.
        std::fs::write(archive.join("Products/Applications/Vault.app/Info.plist"), "not a plist").unwrap();
        std::fs::write(archive.join("Info.plist"), "<plist").unwrap();
        assert_eq!(read(&archive), None);
    }
}
