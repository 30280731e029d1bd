//! `shipdeck fix`: a finding's fix from a terminal, as the app's fix button makes it.

use crate::util::*;

const IOS_ENT: &str = "native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements";

fn fix(ws: &TempWorkspace, args: &[&str]) -> (i32, String, String) {
    run(shipdeck(&ws.dir.path().join("data")).arg("fix").args(args).arg("--workspace").arg(&ws.root).env("PATH", "/usr/bin:/bin"))
}

/// A container spelled otherwise in one entitlements file: listed, shown with --dry-run (nothing
/// written), then made; the finding is gone and every other byte of the file is kept.
#[test]
fn a_finding_s_fix_is_listed_previewed_and_made() {
    let ws = TempWorkspace::sample();
    let good = ws.read(IOS_ENT);
    ws.write(IOS_ENT, &good.replace("<string>iCloud.com.mshaler.isometry</string>", "<string>iCloud.com.cardboard.isometry</string>"));
    let typo = ws.read(IOS_ENT);

    let (code, out, err) = fix(&ws, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().any(|l| l.starts_with("cloudkit.container.mismatch  ")), "{out}");
    // `check` says the command under the finding.
    let (_, out, _) = run(shipdeck(&ws.dir.path().join("data")).arg("check").arg("--workspace").arg(&ws.root).env("PATH", "/usr/bin:/bin"));
    assert!(out.lines().any(|l| l.trim_start().starts_with("fix ") && l.ends_with(": `shipdeck fix cloudkit.container.mismatch`")), "{out}");

    let (code, out, err) = fix(&ws, &["cloudkit.container.mismatch", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("-\t\t<string>iCloud.com.cardboard.isometry</string>") && out.contains("+\t\t<string>iCloud.com.mshaler.isometry</string>"), "{out}");
    assert!(err.contains("dry-run, not written"), "{err}");
    assert_eq!(ws.read(IOS_ENT), typo, "a dry-run writes nothing");

    let (code, _, err) = fix(&ws, &["cloudkit.container.mismatch"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("{IOS_ENT}: written (backup: ")), "{err}");
    assert_eq!(ws.read(IOS_ENT), good, "the file is as it was before the typo, byte for byte");
    let (_, out, _) = fix(&ws, &[]);
    assert!(!out.contains("cloudkit.container.mismatch"), "{out}");

    // --undo puts the file back as the fix found it; a second --undo has nothing to do.
    let (code, _, err) = fix(&ws, &["--undo"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("{IOS_ENT}: put back")), "{err}");
    assert_eq!(ws.read(IOS_ENT), typo);
    let (code, _, err) = fix(&ws, &["--undo"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no `shipdeck fix` to undo"), "{err}");
    // Nothing of it was written in the workspace.
    assert!(!ws.root.join(".shipdeck").exists());
}

/// An id with no fix here: said, exit 2, nothing written.
#[test]
fn a_finding_without_a_fix_here_is_refused() {
    let ws = TempWorkspace::sample();
    let before = ws.snapshot();
    let (code, _, err) = fix(&ws, &["signing.identity.expired"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no finding signing.identity.expired has a fix Shipdeck can make here"), "{err}");
    assert_eq!(ws.snapshot(), before);
}

/// Two `shipdeck fix` runs, then `--undo` twice: the newest first, then the one before it; a
/// third has nothing left to do.
#[test]
fn each_undo_reaches_one_fix_further_back() {
    let ws = TempWorkspace::sample();
    let good = ws.read(IOS_ENT);
    ws.write(IOS_ENT, &good.replace("<string>iCloud.com.mshaler.isometry</string>", "<string>iCloud.com.cardboard.isometry</string>"));
    let typo = ws.read(IOS_ENT);
    let (code, _, err) = fix(&ws, &["cloudkit.container.mismatch"]);
    assert_eq!(code, 0, "{err}");
    let swift = "native/IsometryiOS/IsometryiOS/Sync.swift";
    let wrong = "let c = CKContainer(identifier: \"iCloud.com.mshaler.isometri\")\n";
    ws.write(swift, wrong);
    let (code, _, err) = fix(&ws, &["cloudkit.container.code"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!((ws.read(IOS_ENT), ws.read(swift)), (good.clone(), wrong.replace("isometri\"", "isometry\"")));

    let (code, _, err) = fix(&ws, &["--undo"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("{swift}: put back")) && err.contains("1 earlier `shipdeck fix` can be undone too"), "{err}");
    assert_eq!((ws.read(IOS_ENT), ws.read(swift)), (good, wrong.to_string()));
    let (code, _, err) = fix(&ws, &["--undo"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("{IOS_ENT}: put back")) && !err.contains("earlier"), "{err}");
    assert_eq!(ws.read(IOS_ENT), typo);
    let (code, _, err) = fix(&ws, &["--undo"]);
    assert_eq!(code, 2);
    assert!(err.contains("no `shipdeck fix` to undo"), "{err}");
}
