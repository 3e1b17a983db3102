//! The one error type of the tool; each kind maps to one exit code.

use std::path::PathBuf;

use crate::diagnostic::Problem;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line itself is wrong (bad flag combination, unreadable `--set`).
    #[error("{0}")]
    Usage(String),

    /// The values are wrong: every problem found, not just the first.
    #[error("{} problem(s) in the input", .0.len())]
    Invalid(Vec<Problem>),

    /// Required values are missing and there is no terminal to ask for them.
    #[error("{} required value(s) missing", .0.len())]
    MissingInput(Vec<Problem>),

    /// Writing would replace files whose content differs; `--force` allows it. Each path says
    /// whether it is exactly what the tool last wrote there (no edit would be lost).
    #[error("refusing to overwrite {} file(s) whose content differs", .0.len())]
    WouldOverwrite(Vec<(PathBuf, bool)>),

    /// The user stopped the wizard.
    #[error("cancelled")]
    Cancelled,

    /// Esc in the wizard: step back one question. The wizard handles it; it only escapes as a
    /// bug, and then counts as cancelled.
    #[error("cancelled (went back past the first question)")]
    Back,

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    /// A bug: the tool produced something it should not have.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Io { .. } | Error::Internal(_) => 1,
            Error::Usage(_) => 2,
            Error::Invalid(_) => 3,
            Error::MissingInput(_) => 4,
            Error::WouldOverwrite(_) => 5,
            Error::Cancelled | Error::Back => 130,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
