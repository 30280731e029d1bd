//! Cancelling a release ends the whole process tree of the running step. (Its own test
//! binary: it sets PATH for the process.)

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[test]
fn cancel_during_archive_ends_the_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let fakes = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes");
    std::env::set_var("PATH", format!("{}:/usr/bin:/bin", fakes.display()));
    std::env::set_var("FAKE_XCODEBUILD_HANG", "1");
    std::env::set_var("FAKE_PIDS_FILE", &pids);
    std::env::set_var("SHIPDECK_DATA_DIR", dir.path().join("data"));
    let ws = shipdeck::Workspace::open(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry")).unwrap();
    let opts = shipdeck::release::Options { platforms: vec![shipdeck::workspace::Platform::Ios], dry_run: true, archive: true, build_dir: dir.path().join("build"), bump_build: false, altool: None };
    let mut plan = shipdeck::release::build(&ws, &opts, &Default::default());
    plan.steps.retain(|s| s.id != "preflight");
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let runs = dir.path().join("data/runs");
    let watcher = std::thread::spawn(move || {
        for _ in 0..200 {
            if std::fs::read_to_string(&pids).map(|s| !s.trim().is_empty()).unwrap_or(false) {
                // While the archive runs, the run is on record already: running, with the
                // steps that finished before it.
                let (listed, bad) = shipdeck::release::list_runs_in(&runs);
                assert!(bad.is_empty(), "{bad:?}");
                assert_eq!(listed.len(), 1);
                assert_eq!(listed[0].outcome, shipdeck::release::Outcome::Running);
                assert_eq!(listed[0].steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["ios.build-settings"]);
                flag.store(true, Ordering::SeqCst);
                return std::fs::read_to_string(&pids).unwrap();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the fake archive never started");
    });
    let started = std::time::Instant::now();
    let record = shipdeck::release::execute(&ws, &plan, &Default::default(), &cancel, &mut |_| {}).unwrap();
    let pids = watcher.join().unwrap();
    assert!(started.elapsed().as_secs() < 30, "the run ended soon after the cancel");
    assert_eq!(record.outcome, shipdeck::release::Outcome::Cancelled);
    let archive = record.steps.iter().find(|s| s.id == "ios.archive").unwrap();
    assert_eq!(archive.state, shipdeck::release::StepState::Cancelled);
    std::thread::sleep(std::time::Duration::from_millis(200));
    for pid in pids.split_whitespace() {
        let alive = std::path::Path::new(&format!("/proc/{pid}")).exists() && !std::fs::read_to_string(format!("/proc/{pid}/stat")).map(|s| s.contains(") Z ")).unwrap_or(true);
        assert!(!alive, "process {pid} of the archive is still running");
    }
    a_cancelled_cloudkit_deploy_imports_nothing_and_is_recorded_cancelled();
}

/// The CloudKit deploy runs on the same runner: cancelled, its running cktool is stopped and
/// nothing after it runs (no import); the record says cancelled. Called by the test above once
/// it is done (the process's environment, the fakes on PATH, is set once for both).
fn a_cancelled_cloudkit_deploy_imports_nothing_and_is_recorded_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let fakes = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes");
    std::env::set_var("PATH", format!("{}:/usr/bin:/bin", fakes.display()));
    let ws = shipdeck::Workspace::open(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isometry")).unwrap();
    // Cancelled from the first command on: the token check is stopped, the rest skipped.
    let cancel = AtomicBool::new(true);
    let d = shipdeck::release::cloudkit::run(&ws, false, false, &cancel, &mut |_| {}).unwrap();
    let state = |id: &str| d.steps.iter().find(|s| s.id == id).map(|s| s.state).unwrap();
    assert_eq!(state("token"), shipdeck::release::StepState::Cancelled, "{d:#?}");
    assert_eq!(state("import"), shipdeck::release::StepState::Skipped);
    assert!(d.failed(), "a cancelled deploy is not a success");
    let runs = shipdeck::release::list_runs_in(d.log.parent().unwrap().parent().unwrap()).0;
    let record = runs.iter().find(|r| r.id == d.run).unwrap();
    assert_eq!(record.outcome, shipdeck::release::Outcome::Cancelled);
    drop(dir);
}
