//! Recently opened workspaces, newest first, kept in `recent.json` in Shipdeck's data folder.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const MAX: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recent {
    pub path: PathBuf,
    pub name: String,
}

pub struct RecentStore {
    file: PathBuf,
}

impl RecentStore {
    pub fn new(data_dir: &Path) -> Self {
        RecentStore { file: data_dir.join("recent.json") }
    }

    /// The list; an unreadable or malformed file reads as empty (it is only a convenience).
    pub fn list(&self) -> Vec<Recent> {
        std::fs::read(&self.file).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub fn add(&self, path: &Path, name: &str) -> std::io::Result<Vec<Recent>> {
        let mut list = self.list();
        list.retain(|r| r.path != path);
        list.insert(0, Recent { path: path.to_path_buf(), name: name.to_string() });
        list.truncate(MAX);
        self.save(&list)?;
        Ok(list)
    }

    pub fn forget(&self, path: &Path) -> std::io::Result<Vec<Recent>> {
        let mut list = self.list();
        list.retain(|r| r.path != path);
        self.save(&list)?;
        Ok(list)
    }

    fn save(&self, list: &[Recent]) -> std::io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = self.file.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(list).map_err(std::io::Error::other)?)?;
        std::fs::rename(tmp, &self.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_no_duplicates_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecentStore::new(dir.path());
        for i in 0..12 {
            store.add(Path::new(&format!("/w{i}")), "w").unwrap();
        }
        store.add(Path::new("/w5"), "five").unwrap();
        let list = store.list();
        assert_eq!(list.len(), MAX);
        assert_eq!(list[0], Recent { path: "/w5".into(), name: "five".into() });
        assert_eq!(list.iter().filter(|r| r.path == Path::new("/w5")).count(), 1);
        store.forget(Path::new("/w5")).unwrap();
        assert_eq!(store.list()[0].path, Path::new("/w11"));
    }

    #[test]
    fn malformed_file_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("recent.json"), "{not json").unwrap();
        assert!(RecentStore::new(dir.path()).list().is_empty());
    }
}
