//! Text output shared by the commands: colour on a terminal, plain otherwise.

use shipdeck::{Finding, Report, Severity};
use std::io::IsTerminal;

pub struct Style {
    color: bool,
}

impl Style {
    pub fn stdout() -> Self {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Style { color }
    }
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    pub fn severity(&self, s: Severity) -> String {
        match s {
            Severity::Ok => self.paint("32", "ok     "),
            Severity::Warning => self.paint("33", "warning"),
            Severity::Blocker => self.paint("1;31", "blocker"),
        }
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

pub fn location(f: &Finding) -> Option<String> {
    let file = f.file.as_ref()?;
    Some(match f.line {
        Some(l) => format!("{}:{}", file.display(), l),
        None => file.display().to_string(),
    })
}

/// The report as text, grouped by area, the summary always last.
pub fn print_report(report: &Report) {
    let st = Style::stdout();
    say!("{} {}", st.bold(&report.workspace.name), st.dim(&report.workspace.root.display().to_string()));
    let mut areas: Vec<&str> = report.findings.iter().map(|f| f.area()).collect();
    areas.sort();
    areas.dedup();
    for area in areas {
        say!("\n{}", st.bold(area));
        // One cause said of several subjects (each platform) is one entry naming them all.
        for group in report.groups.iter().filter(|g| report.findings[g[0]].area() == area) {
            let f = &report.findings[group[0]];
            let subjects = report.subjects(group);
            say!("  {} {}  {}", st.severity(f.severity), st.bold(&f.title), st.dim(&format!("[{}]", f.id)));
            say!("          {subjects}: {}", f.message);
            // Each place once (a target built for two platforms is one file and line).
            let mut seen = std::collections::HashSet::new();
            let places: Vec<String> = group.iter().filter_map(|&i| location(&report.findings[i])).filter(|l| *l != subjects && seen.insert(l.clone())).collect();
            if !places.is_empty() {
                say!("          {}", st.dim(&places.join(", ")));
            }
            if let Some(help) = &f.help {
                if f.severity != Severity::Ok {
                    say!("          {} {}", st.dim("->"), help);
                }
            }
            // What the app's fix button makes, said as the command that makes it here.
            if let Some(fix) = f.fix.as_ref().filter(|x| x.action == shipdeck::generate::FIX && f.acknowledged.is_none()) {
                say!("          {} {}: `shipdeck generate`", st.dim("fix"), fix.title);
            } else if let Some(fix) = f.fix.as_ref().filter(|x| x.preview && f.severity != Severity::Ok && f.acknowledged.is_none()) {
                say!("          {} {}: `shipdeck fix {}{}`", st.dim("fix"), fix.title, f.id, fix_pick(report, f, fix));
            }
        }
    }
    say!("\n{}", report.summary);
}

/// GitHub Actions workflow commands: one annotation per warning or blocker (acknowledged
/// ones as notices), paths relative to the repository root, then the summary line.
pub fn github_annotations(report: &Report) -> String {
    let mut out = String::new();
    // Annotations want paths from the repository root; the workspace may sit below it.
    let prefix = repo_prefix(&report.workspace.root);
    for f in &report.findings {
        let level = match (f.severity, f.acknowledged.is_some()) {
            (Severity::Ok, _) => continue,
            (_, true) => "notice",
            (Severity::Warning, false) => "warning",
            (Severity::Blocker, false) => "error",
        };
        let mut props = Vec::new();
        if let Some(file) = &f.file {
            props.push(format!("file={}", escape_property(&prefix.join(file).to_string_lossy())));
            if let Some(line) = f.line {
                props.push(format!("line={line}"));
            }
        }
        props.push(format!("title={}", escape_property(&format!("{} ({})", f.subject, f.id))));
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push('\n');
            message.push_str(help);
        }
        if let Some(reason) = &f.acknowledged {
            message.push_str(&format!("\nAcknowledged: {reason}"));
        }
        out.push_str(&format!("::{level} {}::{}\n", props.join(","), escape_data(&message)));
    }
    out.push_str(&format!("{}\n", report.summary));
    out
}

/// The workspace's path inside its git repository (empty when it is the top or not in one).
fn repo_prefix(root: &std::path::Path) -> std::path::PathBuf {
    let mut dir = Some(root);
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return root.strip_prefix(d).map(|p| p.to_path_buf()).unwrap_or_default();
        }
        dir = d.parent();
    }
    std::path::PathBuf::new()
}

/// What picks `f`'s fix among the findings of its id: nothing when it is the only fix (the same
/// fix said of other targets is one: Chime's four targets, one User.xcconfig to make); else a
/// word of this fix's title that the others' lack and `--match` finds in its subject or message.
fn fix_pick(report: &Report, f: &shipdeck::Finding, fix: &shipdeck::Fix) -> String {
    let others: Vec<&str> =
        report.findings.iter().filter(|o| o.id == f.id && !std::ptr::eq(*o, f)).filter_map(|o| o.fix.as_ref().filter(|x| x.preview && !x.makes_same(fix)).map(|x| x.title.as_str())).collect();
    let word = fix.title.split_whitespace().find(|w| w.len() > 2 && !others.iter().any(|t| t.contains(w)) && (f.subject.contains(w) || f.message.contains(w)));
    match (others.len(), word) {
        (0, _) => String::new(),
        (_, Some(w)) => format!(" --match {w}"),
        (n, None) => format!(" --match TEXT` (one of {}) or `--all", n + 1),
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipdeck::finding::{Finding, WorkspaceInfo};

    #[test]
    fn github_annotations_escape_and_locate() {
        let ws = WorkspaceInfo { root: "/nonexistent/ws".into(), name: "w".into(), config: None, guesses: vec![], platforms: vec![] };
        let r = Report::new(
            ws,
            vec![Finding::blocker("xcconfig.parse", "a, b: c", "100% broken\nreally").at("/nonexistent/ws/x.xcconfig", Some(7)), Finding::warning("w.x", "s", "m"), Finding::ok("o.k", "s", "fine")],
        );
        let text = github_annotations(&r);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "::error file=x.xcconfig,line=7,title=a%2C b%3A c (xcconfig.parse)::100%25 broken%0Areally");
        assert_eq!(lines[1], "::warning title=s (w.x)::m");
        assert_eq!(lines[2], "1 passed, 1 warning, 1 blocker");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn one_fix_said_of_several_targets_needs_no_match() {
        let ws = WorkspaceInfo { root: "/nonexistent/ws".into(), name: "w".into(), config: None, guesses: vec![], platforms: vec![] };
        let make = |subject: &str, file: &str| {
            Finding::warning("project.configuration.include-templated", subject, "m").fix(shipdeck::Fix::new(
                "project.copy-templates",
                format!("Make {file} from its template"),
                serde_json::json!({ "files": [file] }),
            ))
        };
        let r = Report::new(ws, vec![make("macOS target Edit", "User.xcconfig"), make("iOS target App", "User.xcconfig"), make("tvOS target TV", "Other.xcconfig")]);
        let pick = |i: usize| fix_pick(&r, &r.findings[i], r.findings[i].fix.as_ref().unwrap());
        // The same file for two targets: one fix; a third fix of the id is told apart by a word.
        assert_eq!(pick(0), " --match TEXT` (one of 2) or `--all");
        let r2 = Report::new(r.workspace.clone(), r.findings[..2].to_vec());
        assert_eq!(fix_pick(&r2, &r2.findings[0], r2.findings[0].fix.as_ref().unwrap()), "");
    }
}
