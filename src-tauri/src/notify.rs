//! System notifications: a certificate or profile that crosses a threshold (seen at any
//! check, the periodic one included), and a release that ends.

use shipdeck::{Report, Severity};
use std::collections::BTreeSet;
use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime};

/// The signing findings already announced, so each is announced once.
#[derive(Default)]
pub struct Announced(Mutex<BTreeSet<(String, String)>>);

const WATCHED: &[&str] = &["signing.identity.expiring", "signing.identity.expired", "signing.profile.expiring", "signing.profile.expired", "signing.wwdr.expired"];

/// The signing findings of a report that were not there at the last check.
pub fn new_expiries(seen: &mut BTreeSet<(String, String)>, report: &Report) -> Vec<(String, String)> {
    let now: BTreeSet<(String, String)> =
        report.findings.iter().filter(|f| WATCHED.contains(&f.id.as_str()) && f.severity != Severity::Ok && f.acknowledged.is_none()).map(|f| (f.subject.clone(), f.message.clone())).collect();
    let fresh: Vec<_> = now.iter().filter(|k| !seen.iter().any(|s| s.0 == k.0)).cloned().collect();
    *seen = now;
    fresh
}

pub fn show<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    use tauri_plugin_notification::NotificationExt;
    // A desktop without a notification service still works; the window shows the same.
    let _ = app.notification().builder().title(title).body(body).show();
}

/// Announces certificates and profiles that newly crossed a threshold.
pub fn after_check<R: Runtime>(app: &AppHandle<R>, report: &Report) {
    let Some(state) = app.try_state::<Announced>() else { return };
    let fresh = match state.0.lock() {
        Ok(mut seen) => new_expiries(&mut seen, report),
        Err(_) => return,
    };
    for (subject, message) in fresh {
        show(app, &subject, &message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipdeck::finding::{Finding, WorkspaceInfo};

    #[test]
    fn each_expiry_is_announced_once() {
        let ws = || WorkspaceInfo { root: "/w".into(), name: "w".into(), config: None, guesses: vec![], platforms: vec![] };
        let mut seen = BTreeSet::new();
        let r1 = Report::new(ws(), vec![Finding::warning("signing.identity.expiring", "Apple Distribution: A (T)", "Expires in 12 days"), Finding::ok("signing.identity.valid", "B", "fine")]);
        assert_eq!(new_expiries(&mut seen, &r1).len(), 1);
        let r2 = Report::new(ws(), vec![Finding::warning("signing.identity.expiring", "Apple Distribution: A (T)", "Expires in 11 days")]);
        assert!(new_expiries(&mut seen, &r2).is_empty(), "the same item a day later");
        let r3 = Report::new(
            ws(),
            vec![
                Finding::warning("signing.identity.expiring", "Apple Distribution: A (T)", "Expires in 10 days"),
                Finding::warning("signing.profile.expiring", "macOS target", "Profile expires in 3 days"),
            ],
        );
        assert_eq!(new_expiries(&mut seen, &r3), vec![("macOS target".to_string(), "Profile expires in 3 days".to_string())]);
    }
}
