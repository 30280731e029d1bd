//! The one door to Apple's programs (`xcodebuild`, `xcrun`, `security`). Every external
//! command is an `Invocation`: data that can be shown exactly (dry-run, plans, logs) with its
//! secrets redacted, and run with a timeout. Tests put recording fakes on PATH.

use crate::error::{Error, Result, ToolProblem};
use std::ffi::OsString;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A command to run: program, arguments, extra environment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Invocation {
    pub program: String,
    pub args: Vec<String>,
    /// Extra environment. Values listed in `secret_env` are never shown.
    #[serde(default)]
    pub env: Vec<(String, String)>,
    /// Names of `env` entries that hold secrets.
    #[serde(default)]
    pub secret_env: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<PathBuf>,
}

impl Invocation {
    pub fn new(program: &str, args: &[&str]) -> Self {
        Invocation { program: program.into(), args: args.iter().map(|s| s.to_string()).collect(), env: vec![], secret_env: vec![], cwd: None }
    }
    pub fn arg(mut self, a: impl Into<String>) -> Self {
        self.args.push(a.into());
        self
    }
    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, a: I) -> Self {
        self.args.extend(a.into_iter().map(Into::into));
        self
    }
    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }
    pub fn secret_env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self.secret_env.push(k.into());
        self
    }
    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cwd = Some(dir.into());
        self
    }

    /// The command line as a user could paste it in a shell. Secret env values are
    /// shown as `<redacted>`; other env entries come first as `NAME=value`.
    /// Where the value of a flag is in `args` (the argument after it), if the flag is there.
    pub fn value_index(&self, flag: &str) -> Option<usize> {
        self.args.iter().position(|a| a == flag).map(|i| i + 1).filter(|i| *i < self.args.len())
    }

    pub fn display(&self) -> String {
        let mut parts: Vec<String> = self
            .env
            .iter()
            .map(|(k, v)| {
                let v = if self.secret_env.contains(k) { "<redacted>".to_string() } else { shell_quote(v) };
                format!("{k}={v}")
            })
            .collect();
        parts.push(shell_quote(&self.program));
        parts.extend(self.args.iter().map(|a| shell_quote(a)));
        parts.join(" ")
    }

    /// The secret values this invocation carries, for redaction of its output.
    pub fn secrets(&self) -> Vec<String> {
        self.env.iter().filter(|(k, _)| self.secret_env.contains(k)).map(|(_, v)| v.clone()).filter(|v| !v.is_empty()).collect()
    }

    /// A `std::process::Command` for this invocation (stdin closed).
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args).stdin(Stdio::null());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        if let Some(dir) = &self.cwd {
            cmd.current_dir(dir);
        }
        cmd
    }
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%^".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The command that shows a file to the user at a line: Xcode through `xed -l LINE FILE` on a
/// Mac (`man xed`: "-l lineno: go to the specified line number"), the desktop's default
/// application through `xdg-open FILE` elsewhere (which takes no line).
pub fn open_in_editor(file: &std::path::Path, line: Option<usize>) -> Invocation {
    let file = file.display().to_string();
    if cfg!(target_os = "macos") {
        match line {
            Some(l) => Invocation::new("xed", &["-l", &l.to_string(), &file]),
            None => Invocation::new("xed", &[&file]),
        }
    } else {
        Invocation::new("xdg-open", &[&file])
    }
}

/// Starts a program without waiting for it (an editor stays open after Shipdeck asks it to
/// show a file); its output is not kept. The child is reaped on a thread of its own.
pub fn spawn_detached(inv: &Invocation) -> Result<()> {
    if which(&inv.program).is_none() {
        return Err(Error::tool(&inv.program, ToolProblem::NotFound, format!("`{}` was not found on PATH", inv.program)));
    }
    let mut child = inv
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::tool(&inv.program, ToolProblem::Start, format!("could not start `{}`: {e}", inv.program)))?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Finds a program on PATH, as the shell would.
pub fn which(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = PathBuf::from(program);
        return p.is_file().then_some(p);
    }
    let path: OsString = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| is_executable(p))
}

fn is_executable(p: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata().map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// What a finished command printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Captured {
    pub fn success(&self) -> bool {
        self.status == Some(0)
    }
}

/// Runs a short command to completion and captures its output (secrets redacted).
/// A missing program is an error that names it; a command that outlives `timeout` is killed.
pub fn capture(inv: &Invocation, timeout: Duration) -> Result<Captured> {
    if which(&inv.program).is_none() {
        return Err(Error::tool(&inv.program, ToolProblem::NotFound, format!("`{}` was not found on PATH", inv.program)));
    }
    let mut child =
        inv.command().stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(|e| Error::tool(&inv.program, ToolProblem::Start, format!("could not start `{}`: {e}", inv.program)))?;
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::tool(&inv.program, ToolProblem::Timeout, format!("`{}` did not finish within {}s and was stopped", inv.display(), timeout.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(Error::tool(&inv.program, ToolProblem::Start, format!("waiting for `{}`: {e}", inv.program))),
        }
    };
    let secrets = inv.secrets();
    let stdout = redact(&String::from_utf8_lossy(&t_out.join().unwrap_or_default()), &secrets);
    let stderr = redact(&String::from_utf8_lossy(&t_err.join().unwrap_or_default()), &secrets);
    Ok(Captured { status: status.code(), stdout, stderr })
}

/// Replaces every occurrence of each secret with `<redacted>`.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(s.as_str(), "<redacted>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_and_redacts() {
        let inv = Invocation::new("xcodebuild", &["-scheme", "My App"]).secret_env("TOKEN", "s3cr3t-value").env("A", "b c");
        let d = inv.display();
        assert_eq!(d, "TOKEN=<redacted> A='b c' xcodebuild -scheme 'My App'");
        assert!(!d.contains("s3cr3t"));
    }

    #[test]
    fn capture_runs_and_redacts_output() {
        let inv = Invocation::new("sh", &["-c", "echo out $TOKEN; echo err >&2; exit 3"]).secret_env("TOKEN", "s3cr3t-value");
        let c = capture(&inv, Duration::from_secs(10)).unwrap();
        assert_eq!(c.status, Some(3));
        assert_eq!(c.stdout, "out <redacted>\n");
        assert_eq!(c.stderr, "err\n");
    }

    #[test]
    fn missing_program_and_timeout_are_errors() {
        let e = capture(&Invocation::new("no-such-tool-xyz", &[]), Duration::from_secs(1)).unwrap_err();
        assert!(e.to_string().contains("no-such-tool-xyz` was not found"));
        let e = capture(&Invocation::new("sleep", &["5"]), Duration::from_millis(200)).unwrap_err();
        assert!(e.to_string().contains("did not finish"));
    }
}
