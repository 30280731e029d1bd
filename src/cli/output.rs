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
    println!("{} {}", st.bold(&report.workspace.name), st.dim(&report.workspace.root.display().to_string()));
    let mut areas: Vec<&str> = report.findings.iter().map(|f| f.area()).collect();
    areas.sort();
    areas.dedup();
    for area in areas {
        println!("\n{}", st.bold(area));
        for f in report.findings.iter().filter(|f| f.area() == area) {
            println!("  {} {}  {}", st.severity(f.severity), f.subject, st.dim(&format!("[{}]", f.id)));
            println!("          {}", f.message);
            if let Some(loc) = location(f) {
                println!("          {}", st.dim(&loc));
            }
            if let Some(help) = &f.help {
                if f.severity != Severity::Ok {
                    println!("          {} {}", st.dim("->"), help);
                }
            }
        }
    }
    println!("\n{}", report.summary);
}
