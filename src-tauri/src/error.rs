//! Errors as they cross IPC: `{code, message}`, shown by the UI. The code is the engine's
//! `Code` (one list for the engine's errors and the app's own), serialized kebab-case.

use serde::Serialize;
pub use shipdeck::error::Code;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    pub code: Code,
    pub message: String,
}

impl IpcError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        IpcError { code, message: message.into() }
    }
}

impl From<shipdeck::Error> for IpcError {
    fn from(e: shipdeck::Error) -> Self {
        IpcError { code: e.code(), message: e.to_string() }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}
