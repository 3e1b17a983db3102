//! Problems and warnings as the user sees them: what is wrong, where, and how to fix it.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

pub mod rules;

pub use rules::Rule;

/// Where a value came from, so a message can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A position in a values file (1-based line and column, byte span for the snippet).
    File {
        line: u64,
        column: u64,
        offset: usize,
        len: usize,
    },
    /// The n-th `--set` argument (1-based) on the command line.
    SetArg { index: usize, arg: String },
}

/// The text of the values file, shared by every problem that points into it.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: Arc<NamedSource<String>>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: String) -> Self {
        let name = name.into();
        Source {
            text: Arc::new(NamedSource::new(name.clone(), text)),
            name,
        }
    }

    pub fn as_str(&self) -> &str {
        self.text.inner()
    }
}

/// One thing wrong with the input. Every problem of a run is collected before any is reported.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Dotted key path, e.g. `mediaServices.liveEvents[1].name`; empty for the whole file.
    pub key: String,
    pub origin: Option<Origin>,
    pub message: String,
    pub hint: Option<String>,
    pub source: Option<Source>,
    /// What kind of problem it is (SARIF's rule).
    pub rule: &'static Rule,
}

impl Problem {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            key: key.into(),
            origin: None,
            message: message.into(),
            hint: None,
            source: None,
            rule: &rules::SCHEMA,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn rule(mut self, rule: &'static Rule) -> Self {
        self.rule = rule;
        self
    }

    /// File order first, then `--set` order, then problems with no position.
    pub fn sort_key(&self) -> (u8, u64, u64, String) {
        match &self.origin {
            Some(Origin::File { line, column, .. }) => (0, *line, *column, self.key.clone()),
            Some(Origin::SetArg { index, .. }) => (1, *index as u64, 0, self.key.clone()),
            None => (2, 0, 0, self.key.clone()),
        }
    }

    /// `file:line:column` or `--set #n`, when known.
    pub fn location(&self) -> Option<String> {
        match &self.origin {
            Some(Origin::File { line, column, .. }) => {
                let file = self.source.as_ref().map_or("<values>", |s| s.name.as_str());
                Some(format!("{file}:{line}:{column}"))
            }
            Some(Origin::SetArg { index, arg }) => Some(format!("--set #{index} ({arg})")),
            None => self.source.as_ref().map(|s| s.name.clone()),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = self.location() {
            write!(f, "{location}: ")?;
        }
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.hint
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match (&self.origin, &self.source) {
            (Some(Origin::File { .. }), Some(source)) => Some(&*source.text as &dyn SourceCode),
            _ => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match (&self.origin, &self.source) {
            (Some(Origin::File { offset, len, .. }), Some(_)) => Some(Box::new(std::iter::once(
                LabeledSpan::new_with_span(Some("here".into()), (*offset, (*len).max(1))),
            ))),
            _ => None,
        }
    }
}

/// Something legal that the user should know before deploying: mostly internet exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What it is about, e.g. `streaming endpoint 'default'`.
    pub subject: String,
    pub message: String,
    pub rule: &'static Rule,
    /// The values key (JSON pointer) whose setting causes it.
    pub pointer: String,
    /// Where that setting is written, when it is: the file position, or the `--set`.
    pub origin: Option<Origin>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}
