//! The CLI's output pinned as a whole: `--help`, `check` on the sample and `release --plan`
//! are compared with the files in tests/golden/, after the paths that differ per run are
//! replaced by placeholders. A change of wording is made on purpose: run the test with
//! `UPDATE_GOLDEN=1` and review the diff of tests/golden/.

use crate::util::*;

/// The output with this run's paths replaced: the workspace, the data folder, build folders.
fn normalize(text: &str, ws: &TempWorkspace, data: &std::path::Path) -> String {
    let mut t = text.replace(&ws.root.display().to_string(), "<WORKSPACE>").replace(&data.display().to_string(), "<DATA>");
    // A build folder is named after the workspace's path.
    let mut parts = t.split("builds/");
    let mut out = parts.next().unwrap_or_default().to_string();
    for part in parts {
        let id_len = part.chars().take_while(|c| c.is_ascii_hexdigit()).count();
        out.push_str("builds/");
        if id_len == 16 {
            out.push_str("<ID>");
            out.push_str(&part[16..]);
        } else {
            out.push_str(part);
        }
    }
    t = out;
    t
}

fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", path.display()));
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual).unified_diff().header("expected", "actual").to_string();
        panic!("{name} differs from tests/golden/{name} (UPDATE_GOLDEN=1 to accept):\n{diff}");
    }
}

fn cli(args: &[&str]) -> (TempWorkspace, std::path::PathBuf, String) {
    let ws = TempWorkspace::sample();
    let data = ws.dir.path().join("data");
    let empty = ws.dir.path().join("no-tools");
    std::fs::create_dir_all(&empty).unwrap();
    let (_, out, _) = run(shipdeck(&data).args(args).arg("--workspace").arg(&ws.root).env("PATH", &empty).env_remove("GITHUB_ACTIONS"));
    (ws, data, out)
}

#[test]
fn help_is_pinned() {
    let (_, out, _) = run(shipdeck(std::path::Path::new("/nonexistent")).arg("--help"));
    golden("help.txt", &out);
}

#[test]
fn check_on_the_sample_is_pinned() {
    let (ws, data, out) = cli(&["check"]);
    golden("check.txt", &normalize(&out, &ws, &data));
}

#[test]
fn release_plan_is_pinned() {
    let (ws, data, out) = cli(&["release", "--plan"]);
    golden("release-plan.txt", &normalize(&out, &ws, &data));
}
