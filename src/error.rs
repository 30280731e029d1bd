use std::path::PathBuf;

/// Errors of the engine. Each one names the file (and where it can, the line) it is about.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },

    #[error("{path}:{line}:{column}: {message}")]
    Parse { path: PathBuf, line: usize, column: usize, message: String },

    #[error("{path}: not a workspace folder: {message}")]
    Workspace { path: PathBuf, message: String },

    /// A path that leads outside the workspace (absolute, `..`, or through a symlink).
    #[error("{path}: outside the workspace {root}; refused")]
    Outside { path: PathBuf, root: PathBuf },

    /// Another release of the workspace is running (its pid).
    #[error("another release of {workspace} is running (pid {pid}); wait for it or stop it")]
    Busy { workspace: PathBuf, pid: i32 },

    /// The request does not fit the workspace (no such target, no Production xcconfig...).
    #[error("{0}")]
    Usage(String),

    /// A value refused before anything was stored or written (a container id, a key, a password).
    #[error("{0}")]
    Invalid(String),

    /// A finding's fix Shipdeck cannot make.
    #[error("Shipdeck has no automatic fix `{0}` yet")]
    UnknownFix(String),

    /// An external program (`xcodebuild`, `xcrun`, `security`) could not do its part.
    #[error("{message}")]
    Tool { program: String, problem: ToolProblem, message: String },

    /// App Store Connect answered with an error, or not at all (`status` 0).
    #[error("{detail}")]
    AppStore { status: u16, path: String, detail: String },

    /// The keychain (or Linux's credential store) refused or could not be reached.
    #[error("{0}")]
    Keychain(String),

    /// What is left: an error of a library, worded for the user.
    #[error("{0}")]
    Other(String),
}

/// What went wrong with an external program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolProblem {
    NotFound,
    Start,
    Timeout,
}

/// The stable code of an error, as it crosses to the window (`{code, message}`) and as the UI
/// tells errors apart. Codes of the app's own (`Dialog`, `Unconfirmed`...) are here too, so
/// the window has one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    Io,
    Parse,
    Workspace,
    Outside,
    Busy,
    Usage,
    Invalid,
    UnknownFix,
    ToolNotFound,
    ToolStart,
    ToolTimeout,
    AppStore,
    /// The keychain refused or could not be reached.
    Keychain,
    /// Something the window asked for is gone (a preview, a run).
    NotFound,
    /// Nothing to undo, nothing to apply.
    NothingToDo,
    /// A real release without the confirmation the user accepted.
    Unconfirmed,
    /// The folder picker failed.
    Dialog,
    /// A bug: a task that did not finish.
    Internal,
    Error,
}

impl Code {
    pub const ALL: [Code; 19] = [
        Code::Io,
        Code::Parse,
        Code::Workspace,
        Code::Outside,
        Code::Busy,
        Code::Usage,
        Code::Invalid,
        Code::UnknownFix,
        Code::ToolNotFound,
        Code::ToolStart,
        Code::ToolTimeout,
        Code::AppStore,
        Code::Keychain,
        Code::NotFound,
        Code::NothingToDo,
        Code::Unconfirmed,
        Code::Dialog,
        Code::Internal,
        Code::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "io",
            Code::Parse => "parse",
            Code::Workspace => "workspace",
            Code::Outside => "outside",
            Code::Busy => "busy",
            Code::Usage => "usage",
            Code::Invalid => "invalid",
            Code::UnknownFix => "unknown-fix",
            Code::ToolNotFound => "tool-not-found",
            Code::ToolStart => "tool-start",
            Code::ToolTimeout => "tool-timeout",
            Code::AppStore => "app-store",
            Code::Keychain => "keychain",
            Code::NotFound => "not-found",
            Code::NothingToDo => "nothing-to-do",
            Code::Unconfirmed => "unconfirmed",
            Code::Dialog => "dialog",
            Code::Internal => "internal",
            Code::Error => "error",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, err: &std::io::Error) -> Self {
        let message = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => err.to_string(),
        };
        Error::Io { path: path.into(), message }
    }

    /// The stable code the window and scripts tell errors apart by.
    pub fn code(&self) -> Code {
        match self {
            Error::Io { .. } => Code::Io,
            Error::Parse { .. } => Code::Parse,
            Error::Workspace { .. } => Code::Workspace,
            Error::Outside { .. } => Code::Outside,
            Error::Busy { .. } => Code::Busy,
            Error::Usage(_) => Code::Usage,
            Error::Invalid(_) => Code::Invalid,
            Error::UnknownFix(_) => Code::UnknownFix,
            Error::Tool { problem: ToolProblem::NotFound, .. } => Code::ToolNotFound,
            Error::Tool { problem: ToolProblem::Start, .. } => Code::ToolStart,
            Error::Tool { problem: ToolProblem::Timeout, .. } => Code::ToolTimeout,
            Error::AppStore { .. } => Code::AppStore,
            Error::Keychain(_) => Code::Keychain,
            Error::Other(_) => Code::Error,
        }
    }

    pub(crate) fn tool(program: &str, problem: ToolProblem, message: String) -> Self {
        Error::Tool { program: program.to_string(), problem, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_the_same_in_rust_and_across_ipc() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::Value::String(c.as_str().into()));
            assert_eq!(serde_json::from_value::<Code>(serde_json::Value::String(c.as_str().into())).unwrap(), c);
            assert!(seen.insert(c.as_str()), "{c:?} twice");
        }
        let e = Error::tool("xcodebuild", ToolProblem::Timeout, "`xcodebuild archive` did not finish within 60s and was stopped".into());
        assert_eq!((e.code(), e.to_string().as_str()), (Code::ToolTimeout, "`xcodebuild archive` did not finish within 60s and was stopped"));
        assert_eq!(Error::UnknownFix("x.y".into()).code().as_str(), "unknown-fix");
    }
}
