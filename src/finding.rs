//! Findings: what a check found, with a stable id, a severity and where it is.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `[[acknowledge]]`: a finding accepted on purpose. It stays in the report, marked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The finding id (`signing.identity.expiring`).
    pub id: String,
    /// Only the finding about this subject; every finding with the id when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Why it is fine: shown next to the finding.
    pub reason: String,
}

impl Acknowledgement {
    pub fn matches(&self, f: &Finding) -> bool {
        self.id == f.id && self.subject.as_ref().is_none_or(|s| *s == f.subject)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Warning,
    Blocker,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Warning => "warning",
            Severity::Blocker => "blocker",
        }
    }
}

/// An action that mends a finding. The engine previews it before it writes anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// Which action: `project.add-configuration`, `cloudkit.align-container`, ...
    pub action: String,
    /// What a button would say.
    pub title: String,
    /// The action's arguments.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub params: serde_json::Value,
    /// Whether Shipdeck can preview and apply it (`actions::preview_fix`); otherwise it is advice
    /// for the user to follow (`shipdeck init`, a step in Xcode).
    #[serde(default)]
    pub preview: bool,
}

/// The fixes `actions::preview_fix` previews and applies.
pub const PREVIEWABLE_FIXES: [&str; 5] = ["project.add-configuration", "cloudkit.align-container", "workspace.init", "project.copy-templates", "settings.set"];

impl Fix {
    pub fn new(action: &str, title: impl Into<String>, params: serde_json::Value) -> Fix {
        Fix { action: action.to_string(), title: title.into(), params, preview: PREVIEWABLE_FIXES.contains(&action) }
    }

    /// Whether `other` makes the same change: one fix said of several targets (one file to make
    /// from its template for four targets) is one fix.
    pub fn makes_same(&self, other: &Fix) -> bool {
        self.action == other.action && self.params == other.params
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id, `area.thing.problem`: CI users filter on it.
    pub id: String,
    /// The problem (or what passed) in a few words, for a row's heading: `title_of(id)`.
    #[serde(default)]
    pub title: String,
    pub severity: Severity,
    /// What the finding is about, in the user's words: a file, a target, an identity.
    pub subject: String,
    /// A sentence a person understands.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What to do about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// The reason given in shipdeck.toml when the team accepted this finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<String>,
}

impl Finding {
    pub fn new(id: &str, severity: Severity, subject: impl Into<String>, message: impl Into<String>) -> Self {
        let title = if severity == Severity::Ok { ok_title_of(id) } else { title_of(id) };
        Finding { id: id.to_string(), title, severity, subject: subject.into(), message: message.into(), file: None, line: None, help: None, fix: None, acknowledged: None }
    }
    pub fn ok(id: &str, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(id, Severity::Ok, subject, message)
    }
    pub fn warning(id: &str, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(id, Severity::Warning, subject, message)
    }
    pub fn blocker(id: &str, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(id, Severity::Blocker, subject, message)
    }
    pub fn at(mut self, file: impl Into<PathBuf>, line: Option<usize>) -> Self {
        self.file = Some(file.into());
        self.line = line;
        self
    }
    /// A heading of its own where one id covers two problems a reader tells apart.
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    /// The area is the first part of the id: `signing`, `xcconfig`, `cloudkit`...
    pub fn area(&self) -> &str {
        self.id.split('.').next().unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub ok: usize,
    pub warnings: usize,
    pub blockers: usize,
    /// Warnings and blockers accepted in shipdeck.toml: shown, not counted above.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub acknowledged: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Counts causes, as the window and the CLI show them: findings that say one thing of
    /// several subjects (one per platform) are one row, and one in the count.
    pub fn of(findings: &[Finding]) -> Self {
        let mut s = Summary::default();
        for f in group(findings).iter().map(|g| &findings[g[0]]) {
            if f.acknowledged.is_some() && f.severity != Severity::Ok {
                s.acknowledged += 1;
                continue;
            }
            match f.severity {
                Severity::Ok => s.ok += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Blocker => s.blockers += 1,
            }
        }
        s
    }
    pub fn worst(&self) -> Severity {
        if self.blockers > 0 {
            Severity::Blocker
        } else if self.warnings > 0 {
            Severity::Warning
        } else {
            Severity::Ok
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |count: usize, one: &str| if count == 1 { format!("1 {one}") } else { format!("{count} {one}s") };
        write!(f, "{} passed, {}, {}", self.ok, n(self.warnings, "warning"), n(self.blockers, "blocker"))?;
        if self.acknowledged > 0 {
            write!(f, " ({} acknowledged)", self.acknowledged)?;
        }
        Ok(())
    }
}

/// What the workspace is, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceInfo {
    pub root: PathBuf,
    pub name: String,
    /// The shipdeck.toml that was read, or null when Shipdeck discovered the workspace.
    pub config: Option<PathBuf>,
    /// What Shipdeck guessed when there was no shipdeck.toml.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guesses: Vec<String>,
    /// The platforms the workspace ships, in the order of its targets: what a release can be
    /// limited to (`--platform`, the Release screen's choice).
    #[serde(default)]
    pub platforms: Vec<PlatformChoice>,
}

/// A platform a release can be limited to: its `--platform` value and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformChoice {
    pub id: String,
    pub label: String,
    /// Whether a release of every platform builds it: not when its own ExportOptions export it
    /// outside the App Store (a Developer ID Mac app), which only a release of it by name plans.
    #[serde(default = "yes")]
    pub in_all: bool,
}

fn yes() -> bool {
    true
}

/// The result of `shipdeck check`: the JSON shape every check keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub workspace: WorkspaceInfo,
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Findings that say the same thing of different subjects (one warning per platform, say),
    /// as indices into `findings` in report order: each group is one row in the window and in
    /// the CLI's text, naming every subject. Every finding is in exactly one group.
    #[serde(default)]
    pub groups: Vec<Vec<usize>>,
}

impl Report {
    pub fn new(workspace: WorkspaceInfo, findings: Vec<Finding>) -> Self {
        Self::with_acknowledgements(workspace, findings, &[])
    }

    /// Builds the report, marking the findings the team acknowledged in shipdeck.toml.
    pub fn with_acknowledgements(workspace: WorkspaceInfo, mut findings: Vec<Finding>, acks: &[Acknowledgement]) -> Self {
        for f in &mut findings {
            if f.severity != Severity::Ok {
                if let Some(a) = acks.iter().find(|a| a.matches(f)) {
                    f.acknowledged = Some(a.reason.clone());
                }
            }
        }
        // Worst first, then by area and id, so the report reads top-down; stable for equal keys.
        findings.sort_by(|a, b| (b.severity, b.acknowledged.is_none()).cmp(&(a.severity, a.acknowledged.is_none())).then_with(|| a.area().cmp(b.area())));
        // Files inside the workspace are shown relative to it (as CI annotations want them).
        for f in &mut findings {
            if let Some(file) = &f.file {
                if let Ok(rel) = file.strip_prefix(&workspace.root) {
                    f.file = Some(rel.to_path_buf());
                }
            }
        }
        let summary = Summary::of(&findings);
        let groups = group(&findings);
        Report { workspace, findings, summary, groups }
    }

    /// The subjects of a group, as one line: "iOS target IsometryiOS, macOS target IsometrymacOS".
    pub fn subjects(&self, group: &[usize]) -> String {
        let mut out: Vec<&str> = Vec::new();
        for &i in group {
            if let Some(f) = self.findings.get(i) {
                if !out.contains(&f.subject.as_str()) {
                    out.push(&f.subject);
                }
            }
        }
        out.join(", ")
    }
    pub fn worst(&self) -> Severity {
        self.summary.worst()
    }
}

/// A finding's heading: the problem in a few words, where the subject says what it is about
/// (a target, an identity, a file). Curated for the findings people meet most; otherwise the
/// id's words after its area (`project.scheme.missing`: "Scheme missing").
pub fn title_of(id: &str) -> String {
    const TITLES: &[(&str, &str)] = &[
        ("release.build-number.unverified", "Build number not compared with App Store Connect"),
        ("release.distribution.outside-app-store", "Ships outside the App Store"),
        ("release.distribution.notarized", "Notarized, never uploaded to App Store Connect"),
        ("release.distribution.sparkle", "Updated by Sparkle, never uploaded to App Store Connect"),
        ("appstore.version.extension-mismatch", "Extension's version differs from its app's"),
        ("release.distribution.developer-id", "Signed with Developer ID, never uploaded to App Store Connect"),
        ("workspace.dotnet-app", "iOS app built with .NET"),
        ("workspace.project.none", "No Xcode project"),
        ("release.build-number.used", "Build number already uploaded"),
        ("signing.identity.ambiguous", "Two valid identities share one name"),
        ("signing.identity.no-private-key", "Certificate without its private key"),
        ("signing.identity.missing", "No identity to sign with"),
        ("signing.identity.team-mismatch", "Identities of another team"),
        ("signing.identity.unknown-name", "CODE_SIGN_IDENTITY names no identity"),
        ("signing.team.invalid", "DEVELOPMENT_TEAM is not a team id"),
        ("signing.team.missing", "No team to sign for"),
        ("appstore.version.invalid", "Version or build number App Store Connect refuses"),
        ("appstore.version.unset", "Version from a setting nothing sets"),
        ("appstore.version.scripted", "Version rewritten by CI before it builds"),
        ("appstore.version.zero", "Version is zeros"),
        ("project.watch-only", "Watch-only app not released by Shipdeck"),
        ("appstore.version.build-phase", "Version set when the app builds"),
        ("appstore.version.preprocessed", "Version filled in when the app builds"),
        ("xcconfig.include.case", "#include in other capitals"),
        ("cloudkit.entitlement.none", "Target without iCloud"),
        ("project.parse", "Project file does not parse"),
        ("project.reference.missing", "Project it builds from missing"),
        ("project.reference.unused", "Missing project nothing uses"),
        ("project.framework.missing", "Framework it links missing"),
        ("signing.identity.valid", "Identity valid"),
        ("signing.source.unavailable", "Identities could not be read"),
        ("signing.unreadable", "A signing file could not be read"),
        ("signing.wwdr.missing", "Issuing certificate not installed"),
        ("signing.wwdr.expired", "Issuing certificate not valid"),
        ("signing.profile.certificate-mismatch", "Profile lacks the signing certificate"),
        ("signing.profile.entitlement-mismatch", "Profile does not allow the iCloud container"),
        ("signing.profile.missing", "No App Store profile"),
        ("signing.profile.automatic", "Profile made by Xcode at export"),
        ("cloudkit.container.mismatch", "Container named more than one way"),
        ("cloudkit.container.code", "Code names another container"),
        ("appstore.app-icon.built", "App icon made when the app builds"),
        ("appstore.info-plist.built", "Info.plist made when the app builds"),
        ("appstore.info-plist.missing", "Info.plist missing"),
        ("cloudkit.schema.destructive", "Schema change production cannot take"),
        ("project.configuration.missing", "Release configuration missing"),
        ("project.configuration.base-xcconfig", "Configuration based on another xcconfig"),
        ("project.configuration.base-templated", "Configuration xcconfig still to make from its template"),
        ("project.configuration.include-templated", "Included xcconfig still to make from its template"),
        ("project.scheme.archive-configuration", "Scheme archives another configuration"),
        ("workspace.config.discovered", "Workspace discovered, not configured"),
        ("workspace.project.found", "Project found"),
        ("workspace.project.generated", "Project not generated yet"),
        ("workspace.scheme.none", "No scheme archives an app"),
        ("monitoring.setting.placeholder", "Placeholder in a monitoring setting"),
        ("appstore.encryption.undeclared", "Export compliance not declared"),
        ("appstore.bundle-id.placeholder", "Bundle id is a placeholder"),
        ("ci.workflow.drift", "Workflow differs from the project"),
    ];
    if let Some((_, t)) = TITLES.iter().find(|(i, _)| *i == id) {
        return t.to_string();
    }
    let words = id.split('.').skip(1).flat_map(|p| p.split('-')).collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => id.to_string(),
    }
}

/// A passed check's heading: what is right, in a few words. An id a check also uses for the
/// problem ("Scheme archives another configuration") is named for what passed here.
pub fn ok_title_of(id: &str) -> String {
    const OK_TITLES: &[(&str, &str)] = &[
        ("project.scheme.archive-configuration", "Scheme archives the release configuration"),
        ("project.configuration.production", "Release configuration based on the xcconfig"),
        ("project.scheme.autocreated", "Scheme made by xcodebuild"),
        ("appstore.encryption.declared", "Export compliance declared"),
        ("appstore.push-environment", "Push environment"),
        ("cloudkit.entitlement", "CloudKit in the entitlements"),
        ("plist.readable", "Property list readable"),
        ("release.build-number", "Build number is new"),
        ("monitoring.setting.set", "Monitoring setting set"),
        ("workspace.xcconfig.found", "Production xcconfig found"),
    ];
    match OK_TITLES.iter().find(|(i, _)| *i == id) {
        Some((_, t)) => t.to_string(),
        None => title_of(id),
    }
}

/// Groups findings with one cause: the same id, severity, acceptance, message, help and fix.
fn group(findings: &[Finding]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let same = |g: &Vec<usize>| {
            let o = &findings[g[0]];
            o.id == f.id && o.severity == f.severity && o.acknowledged == f.acknowledged && o.message == f.message && o.help == f.help && o.fix == f.fix
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
}

#[cfg(test)]
mod ack_tests {
    use super::*;

    #[test]
    fn acknowledged_findings_stay_but_do_not_count() {
        let ws = WorkspaceInfo { root: "/w".into(), name: "w".into(), config: None, guesses: vec![], platforms: vec![] };
        let acks = vec![Acknowledgement { id: "a.warn".into(), subject: Some("one".into()), reason: "known".into() }];
        let r = Report::with_acknowledgements(ws, vec![Finding::warning("a.warn", "one", "m"), Finding::warning("a.warn", "two", "m"), Finding::ok("a.warn", "one", "m")], &acks);
        assert_eq!(r.findings.len(), 3);
        assert_eq!((r.summary.ok, r.summary.warnings, r.summary.acknowledged), (1, 1, 1));
        let acked: Vec<_> = r.findings.iter().filter(|f| f.acknowledged.is_some()).map(|f| f.subject.as_str()).collect();
        assert_eq!(acked, ["one"]);
        assert_eq!(r.summary.to_string(), "1 passed, 1 warning, 0 blockers (1 acknowledged)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_and_worst() {
        let f = vec![Finding::ok("a.b", "x", "fine"), Finding::warning("a.c", "x", "hmm"), Finding::warning("a.d", "x", "hmm")];
        let s = Summary::of(&f);
        assert_eq!((s.ok, s.warnings, s.blockers), (1, 2, 0));
        assert_eq!(s.worst(), Severity::Warning);
        assert_eq!(s.to_string(), "1 passed, 2 warnings, 0 blockers");
        let one = Summary { warnings: 1, blockers: 1, ..s };
        assert_eq!(one.to_string(), "1 passed, 1 warning, 1 blocker");
    }

    #[test]
    fn report_sorts_worst_first_and_serializes_lowercase() {
        let ws = WorkspaceInfo { root: "/w".into(), name: "w".into(), config: None, guesses: vec![], platforms: vec![] };
        let r = Report::new(ws, vec![Finding::ok("z.ok", "s", "m"), Finding::blocker("a.bad", "s", "m")]);
        assert_eq!(r.findings[0].id, "a.bad");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["findings"][0]["severity"], "blocker");
        assert_eq!(json["summary"]["blockers"], 1);
        assert!(json["findings"][0].get("file").is_none());
    }

    #[test]
    fn one_cause_said_of_two_subjects_is_one_group() {
        let ws = WorkspaceInfo { root: "/w".into(), name: "w".into(), config: None, guesses: vec![], platforms: vec![] };
        let m = "Build 2.5.0 (250) was not compared with the builds already uploaded.";
        let r = Report::new(
            ws,
            vec![
                Finding::warning("release.build-number.unverified", "iOS target A", m),
                Finding::ok("signing.identity.valid", "X", "ok"),
                Finding::warning("release.build-number.unverified", "macOS target B", m),
                Finding::warning("release.build-number.unverified", "tvOS target C", "another cause"),
            ],
        );
        let sizes: Vec<usize> = r.groups.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 1, 1], "{:?}", r.groups);
        assert_eq!(r.subjects(&r.groups[0]), "iOS target A, macOS target B");
        let mut all: Vec<usize> = r.groups.concat();
        all.sort();
        assert_eq!(all, (0..r.findings.len()).collect::<Vec<_>>(), "every finding once");
        assert_eq!(r.summary.warnings, 2, "the summary counts causes, as the rows show them");
    }

    #[test]
    fn a_finding_is_titled_by_its_problem() {
        assert_eq!(Finding::warning("release.build-number.unverified", "iOS target A", "m").title, "Build number not compared with App Store Connect");
        assert_eq!(title_of("project.scheme.missing"), "Scheme missing");
        assert_eq!(title_of("appstore.privacy-manifest.present"), "Privacy manifest present");
        assert_eq!(title_of("odd"), "odd");
        // Passed, an id also used for the problem is named for what passed.
        assert_eq!(Finding::ok("project.scheme.archive-configuration", "s", "m").title, "Scheme archives the release configuration");
        assert_eq!(Finding::blocker("project.scheme.archive-configuration", "s", "m").title, "Scheme archives another configuration");
    }
}
