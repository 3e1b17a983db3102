//! How the wizard asks. The flow talks to a `Prompter`; the terminal implementation uses
//! inquire, and a scripted one (in the tests, `tests/it/common/scripted.rs`) drives the same
//! flow.

use std::sync::Arc;

use crate::error::{Error, Result};

/// Checks an answer; `Err` carries what to tell the user before asking again.
pub type Check = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// The option a prompter picked; an index out of range is a prompter bug, reported not panicked.
pub fn picked<T>(items: &[T], index: usize) -> Result<&T> {
    items.get(index).ok_or_else(|| {
        Error::Internal(format!("prompt returned option {index} of {}", items.len()))
    })
}

pub fn no_check() -> Check {
    Arc::new(|_| Ok(()))
}

/// One question: the dotted values key it fills (for scripts and messages), the prompt, and a
/// help line saying why it matters.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    pub key: &'a str,
    pub message: &'a str,
    pub help: &'a str,
}

pub trait Prompter {
    fn text(&mut self, q: &Question, default: Option<&str>, check: Check) -> Result<String>;
    fn select(&mut self, q: &Question, options: &[String], default: usize) -> Result<usize>;
    fn multi_select(
        &mut self,
        q: &Question,
        options: &[String],
        defaults: &[usize],
    ) -> Result<Vec<usize>>;
    fn confirm(&mut self, q: &Question, default: bool) -> Result<bool>;
    /// Shows text (the summary, problems) without asking anything.
    fn say(&mut self, text: &str);
}

/// The terminal: inquire prompts. Esc steps back one question, Ctrl-C quits the wizard.
pub struct Terminal;

/// Said on every prompt, since the keys are not the ones of a shell.
const KEYS: &str = "Esc back, Ctrl+C quit";

fn cancelled(e: inquire::InquireError) -> Error {
    match e {
        inquire::InquireError::OperationCanceled => Error::Back,
        inquire::InquireError::OperationInterrupted => Error::Cancelled,
        inquire::InquireError::IO(source) => Error::io("terminal", source),
        other => Error::Internal(format!("prompt failed: {other}")),
    }
}

impl Prompter for Terminal {
    fn text(&mut self, q: &Question, default: Option<&str>, check: Check) -> Result<String> {
        let validator = move |input: &str| {
            Ok(match check(input) {
                Ok(()) => inquire::validator::Validation::Valid,
                Err(message) => inquire::validator::Validation::Invalid(message.into()),
            })
        };
        // inquire writes Ctrl+U/W/A as plain letters; say which editing keys work, early in
        // the line so a narrow terminal still shows it.
        let help = format!(
            "{KEYS}; edit with Home/End, Ctrl+arrows (not Ctrl+U/W/A) - {}",
            q.help
        );
        let mut prompt = inquire::Text::new(q.message)
            .with_help_message(&help)
            .with_validator(validator);
        if let Some(d) = default {
            prompt = prompt.with_default(d);
        }
        prompt.prompt().map_err(cancelled)
    }

    fn select(&mut self, q: &Question, options: &[String], default: usize) -> Result<usize> {
        inquire::Select::new(q.message, options.to_vec())
            .with_help_message(&format!("{KEYS} - {}", q.help))
            .with_starting_cursor(default)
            .raw_prompt()
            .map(|o| o.index)
            .map_err(cancelled)
    }

    fn multi_select(
        &mut self,
        q: &Question,
        options: &[String],
        defaults: &[usize],
    ) -> Result<Vec<usize>> {
        let help = format!("Space toggles, Right all, Left none; {KEYS} - {}", q.help);
        inquire::MultiSelect::new(q.message, options.to_vec())
            .with_help_message(&help)
            .with_default(defaults)
            .raw_prompt()
            .map(|chosen| chosen.into_iter().map(|o| o.index).collect())
            .map_err(cancelled)
    }

    fn confirm(&mut self, q: &Question, default: bool) -> Result<bool> {
        inquire::Confirm::new(q.message)
            .with_help_message(&format!("{KEYS} - {}", q.help))
            .with_default(default)
            .prompt()
            .map_err(cancelled)
    }

    fn say(&mut self, text: &str) {
        println!("{text}");
    }
}
