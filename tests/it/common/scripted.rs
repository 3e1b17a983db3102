//! A prompter that plays scripted answers, so the tests drive the wizard's real flow.

use std::collections::VecDeque;

use ams_private_link::error::{Error, Result};
use ams_private_link::wizard::prompter::{Check, Prompter, Question};

/// A scripted answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Accept the default.
    Default,
    Text(String),
    /// Pick the option with this label.
    Pick(String),
    /// Pick exactly these labels.
    Picks(Vec<String>),
    Yes,
    No,
    /// Press Esc: back one question.
    Back,
    /// Press Ctrl-C: quit.
    Cancel,
}

/// Plays answers by question key, each key's in the order it is asked, and records what was
/// asked, shown and rejected. Every other question takes its default, so adding a question
/// changes no script. A rejected text answer is followed by the key's next one, as a person at
/// the prompt would retype it.
#[derive(Debug, Default)]
pub struct Scripted {
    keyed: Vec<(String, VecDeque<Answer>)>,
    pub asked: Vec<String>,
    pub rejected: Vec<(String, String, String)>,
    pub shown: Vec<String>,
}

/// More questions than any path through the wizard asks: a script that loops fails instead.
const MAX_QUESTIONS: usize = 500;

impl Scripted {
    /// A key given twice answers the second time it is asked.
    pub fn by_key<'a>(answers: impl IntoIterator<Item = (&'a str, Answer)>) -> Self {
        let mut keyed: Vec<(String, VecDeque<Answer>)> = Vec::new();
        for (key, answer) in answers {
            match keyed.iter_mut().find(|(k, _)| k == key) {
                Some((_, queue)) => queue.push_back(answer),
                None => keyed.push((key.to_owned(), VecDeque::from([answer]))),
            }
        }
        Scripted {
            keyed,
            ..Scripted::default()
        }
    }

    /// Answers not used yet; a test that ends with some left asked other questions than it
    /// meant to answer.
    pub fn remaining(&self) -> usize {
        self.keyed.iter().map(|(_, q)| q.len()).sum()
    }

    fn next(&mut self, q: &Question) -> Result<Answer> {
        self.asked.push(q.key.to_owned());
        if self.asked.len() > MAX_QUESTIONS {
            return Err(Error::Internal(format!(
                "more than {MAX_QUESTIONS} questions: the script loops at {}",
                q.key
            )));
        }
        let answer = self
            .keyed
            .iter_mut()
            .find(|(k, _)| k == q.key)
            .and_then(|(_, queue)| queue.pop_front())
            .unwrap_or(Answer::Default);
        match answer {
            Answer::Cancel => Err(Error::Cancelled),
            Answer::Back => Err(Error::Back),
            a => Ok(a),
        }
    }
}

/// An option matches a scripted label exactly or by its first word ("new — created here").
fn is_label(option: &str, label: &str) -> bool {
    option == label || option.starts_with(&format!("{label} "))
}

fn unexpected(q: &Question, a: &Answer) -> Error {
    Error::Internal(format!(
        "script answered {a:?} to {} ({})",
        q.key, q.message
    ))
}

impl Prompter for Scripted {
    fn text(&mut self, q: &Question, default: Option<&str>, check: Check) -> Result<String> {
        loop {
            let answer = match self.next(q)? {
                Answer::Default => default.unwrap_or_default().to_owned(),
                Answer::Text(t) => t,
                other => return Err(unexpected(q, &other)),
            };
            match check(&answer) {
                Ok(()) => return Ok(answer),
                Err(message) => self.rejected.push((q.key.to_owned(), answer, message)),
            }
        }
    }

    fn select(&mut self, q: &Question, options: &[String], default: usize) -> Result<usize> {
        match self.next(q)? {
            Answer::Default => Ok(default),
            Answer::Pick(label) => {
                options
                    .iter()
                    .position(|o| is_label(o, &label))
                    .ok_or_else(|| {
                        Error::Internal(format!("{}: no option {label:?} in {options:?}", q.key))
                    })
            }
            other => Err(unexpected(q, &other)),
        }
    }

    fn multi_select(
        &mut self,
        q: &Question,
        options: &[String],
        defaults: &[usize],
    ) -> Result<Vec<usize>> {
        match self.next(q)? {
            Answer::Default => Ok(defaults.to_vec()),
            Answer::Picks(labels) => labels
                .iter()
                .map(|l| {
                    options
                        .iter()
                        .position(|o| is_label(o, l))
                        .ok_or_else(|| Error::Internal(format!("{}: no option {l:?}", q.key)))
                })
                .collect(),
            other => Err(unexpected(q, &other)),
        }
    }

    fn confirm(&mut self, q: &Question, default: bool) -> Result<bool> {
        match self.next(q)? {
            Answer::Default => Ok(default),
            Answer::Yes => Ok(true),
            Answer::No => Ok(false),
            other => Err(unexpected(q, &other)),
        }
    }

    fn say(&mut self, text: &str) {
        self.shown.push(text.to_owned());
    }
}
