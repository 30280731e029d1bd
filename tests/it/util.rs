//! Shared helpers of the CLI tests: run the built binary on temporary copies of the sample.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/isometry")
}

/// Copies a folder tree (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the sample workspace; the folder lives as long as the guard.
pub struct TempWorkspace {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl TempWorkspace {
    pub fn sample() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("isometry");
        copy_tree(&sample(), &root);
        // A generated demo folder in the source tree is not part of the sample.
        let _ = std::fs::remove_dir_all(root.join(".shipdeck"));
        TempWorkspace { dir, root }
    }
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }
    /// Every file's bytes, by relative path: to prove a command changed nothing.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        collect(&self.root, &self.root, &mut out);
        out.sort();
        out
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let p = entry.path();
        if entry.file_type().unwrap().is_dir() {
            collect(root, &p, out);
        } else {
            out.push((p.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&p).unwrap()));
        }
    }
}

/// The `shipdeck` binary with a private data folder and no inherited workspace.
pub fn shipdeck(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shipdeck"));
    cmd.env("SHIPDECK_DATA_DIR", data_dir).env_remove("SHIPDECK_WORKSPACE").env("NO_COLOR", "1");
    cmd
}

pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output { status, stdout, stderr } = cmd.output().expect("run shipdeck");
    (status.code().unwrap_or(-1), String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

pub fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// Ids of the findings of a `check --json` report with the given severity.
pub fn ids(report: &serde_json::Value, severity: &str) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == severity).map(|f| f["id"].as_str().unwrap().to_string()).collect()
}

/// Gives the calling test thread (and the commands it starts) a new, empty session keyring of
/// its own, so tests that store secrets through `keyring` (keyutils on Linux) never touch the
/// user's keyring or each other's. Returns the service name to use for Shipdeck's items.
#[allow(dead_code)]
pub fn private_keyring(test: &str) -> String {
    // keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL): an anonymous keyring for this thread's credentials.
    // (On a Mac the items go to the login Keychain under a service name of the test's own.)
    #[cfg(target_os = "linux")]
    {
        const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
        let id = unsafe { libc::syscall(libc::SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, std::ptr::null::<libc::c_char>()) };
        assert!(id > 0, "could not create a session keyring for the test: {}", std::io::Error::last_os_error());
    }
    format!("Shipdeck test {test} {}", std::process::id())
}

/// Every file below `dir` (none when it does not exist).
#[allow(dead_code)]
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                v.extend(walk(&p));
            } else {
                v.push(p);
            }
        }
    }
    v
}
