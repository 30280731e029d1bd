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

    #[error("{0}")]
    Other(String),
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

    /// A short stable code for the UI (`{code, message}`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Parse { .. } => "parse",
            Error::Workspace { .. } => "workspace",
            Error::Outside { .. } => "outside",
            Error::Busy { .. } => "busy",
            Error::Other(_) => "error",
        }
    }
}
