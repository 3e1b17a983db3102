//! Stepping back. The sections are plain code whose next question depends on earlier answers,
//! so "back one question" is done by replay: the answers given so far are recorded, and Esc
//! starts the pass again from its first state, feeding the recorded answers silently up to the
//! one before the last. That question is then asked live. Any number of steps back work the
//! same way, across sections; going forward again, each question the user stepped back over
//! offers its earlier answer as the default, until the path turns another way.

use std::collections::VecDeque;

use super::flow::State;
use super::prompter::{Check, Prompter, Question};
use crate::error::{Error, Result};

/// One answer as the prompter returned it.
#[derive(Debug, Clone, PartialEq)]
enum Given {
    Text(String),
    Select(usize),
    MultiSelect(Vec<usize>),
    Confirm(bool),
}

/// An answer and the question (its key) it answered.
type Recorded = (String, Given);

/// Wraps the real prompter for one attempt at a pass.
struct Journal<'a> {
    live: &'a mut dyn Prompter,
    replay: VecDeque<Recorded>,
    /// Answers stepped back over, the next question's last.
    redo: Vec<Recorded>,
    record: Vec<Recorded>,
}

impl Journal<'_> {
    /// The next recorded answer while replaying; the flow is deterministic in its answers, so
    /// one recorded for another question is a bug.
    fn replayed(&mut self, q: &Question) -> Result<Option<Given>> {
        let Some((key, given)) = self.replay.pop_front() else {
            return Ok(None);
        };
        if key != q.key {
            return Err(Error::Internal(format!(
                "replay lost its place: {key} recorded, {} asked",
                q.key
            )));
        }
        self.record.push((key, given.clone()));
        Ok(Some(given))
    }

    /// The earlier answer to this question, if the user stepped back over it. It stays on
    /// the stack until answered, in case the user steps back from here too.
    fn earlier(&mut self, q: &Question) -> Option<Given> {
        match self.redo.last() {
            Some((key, given)) if key == q.key => Some(given.clone()),
            _ => {
                self.redo.clear(); // the path turned another way
                None
            }
        }
    }

    fn asked(&mut self, q: &Question, given: Given) {
        if self.redo.last().is_some_and(|(key, _)| key == q.key) {
            self.redo.pop();
        }
        self.record.push((q.key.to_owned(), given));
    }
}

fn mismatch(q: &Question, got: &Given) -> Error {
    Error::Internal(format!("replay answered {got:?} to {}", q.key))
}

impl Prompter for Journal<'_> {
    fn text(&mut self, q: &Question, default: Option<&str>, check: Check) -> Result<String> {
        match self.replayed(q)? {
            Some(Given::Text(t)) => return Ok(t),
            Some(other) => return Err(mismatch(q, &other)),
            None => {}
        }
        let earlier = match self.earlier(q) {
            Some(Given::Text(t)) => Some(t),
            _ => None,
        };
        let answer = self.live.text(q, earlier.as_deref().or(default), check)?;
        self.asked(q, Given::Text(answer.clone()));
        Ok(answer)
    }

    fn select(&mut self, q: &Question, options: &[String], default: usize) -> Result<usize> {
        match self.replayed(q)? {
            Some(Given::Select(i)) => return Ok(i),
            Some(other) => return Err(mismatch(q, &other)),
            None => {}
        }
        let default = match self.earlier(q) {
            Some(Given::Select(i)) if i < options.len() => i,
            _ => default,
        };
        let answer = self.live.select(q, options, default)?;
        self.asked(q, Given::Select(answer));
        Ok(answer)
    }

    fn multi_select(
        &mut self,
        q: &Question,
        options: &[String],
        defaults: &[usize],
    ) -> Result<Vec<usize>> {
        match self.replayed(q)? {
            Some(Given::MultiSelect(v)) => return Ok(v),
            Some(other) => return Err(mismatch(q, &other)),
            None => {}
        }
        let defaults = match self.earlier(q) {
            Some(Given::MultiSelect(v)) if v.iter().all(|i| *i < options.len()) => v,
            _ => defaults.to_vec(),
        };
        let answer = self.live.multi_select(q, options, &defaults)?;
        self.asked(q, Given::MultiSelect(answer.clone()));
        Ok(answer)
    }

    fn confirm(&mut self, q: &Question, default: bool) -> Result<bool> {
        match self.replayed(q)? {
            Some(Given::Confirm(b)) => return Ok(b),
            Some(other) => return Err(mismatch(q, &other)),
            None => {}
        }
        let default = match self.earlier(q) {
            Some(Given::Confirm(b)) => b,
            _ => default,
        };
        let answer = self.live.confirm(q, default)?;
        self.asked(q, Given::Confirm(answer));
        Ok(answer)
    }

    /// What was shown on the way is not shown again while replaying.
    fn say(&mut self, text: &str) {
        if self.replay.is_empty() {
            self.live.say(text);
        }
    }
}

/// How Esc at a pass's first question is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtFirst {
    /// Nothing to go back to: say so and ask again (the wizard's first question).
    Stay,
    /// Leave the pass with `Error::Back`, the state as it was (a part asked again from the
    /// summary goes back to the summary unchanged).
    Leave,
}

/// Runs `pass` on `st`, stepping back one answer on each Esc. `st` changes only when the
/// pass completes.
pub fn with_back(
    p: &mut dyn Prompter,
    st: &mut State,
    at_first: AtFirst,
    pass: impl Fn(&mut dyn Prompter, &mut State) -> Result<()>,
) -> Result<()> {
    let start = st.clone();
    let mut replay = Vec::new();
    let mut redo = Vec::new();
    loop {
        let mut attempt = start.clone();
        let mut journal = Journal {
            live: &mut *p,
            replay: replay.into(),
            redo,
            record: Vec::new(),
        };
        match pass(&mut journal, &mut attempt) {
            Ok(()) => {
                *st = attempt;
                return Ok(());
            }
            Err(Error::Back) => {
                let mut record = journal.record;
                redo = journal.redo;
                match record.pop() {
                    Some(last) => redo.push(last),
                    None if at_first == AtFirst::Leave => return Err(Error::Back),
                    None => p.say("This is the first question; Ctrl+C quits without writing."),
                }
                replay = record;
            }
            Err(other) => return Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use serde_json::json;

    use super::*;

    /// Picks by index, takes the default, or presses Esc; records each default it was offered.
    enum Press {
        Pick(usize),
        Default,
        Esc,
    }

    struct Fake {
        presses: VecDeque<Press>,
        offered: Vec<(String, Vec<usize>)>,
    }

    impl Fake {
        fn press(&mut self, q: &Question, default: Vec<usize>) -> Result<Vec<usize>> {
            self.offered.push((q.key.to_owned(), default.clone()));
            match self.presses.pop_front() {
                Some(Press::Pick(i)) => Ok(vec![i]),
                Some(Press::Default) => Ok(default),
                Some(Press::Esc) => Err(Error::Back),
                None => Err(Error::Internal(format!("no press left at {}", q.key))),
            }
        }
    }

    impl Prompter for Fake {
        fn text(&mut self, _: &Question, _: Option<&str>, _: Check) -> Result<String> {
            Err(Error::Internal("no text here".into()))
        }
        fn select(&mut self, q: &Question, _: &[String], default: usize) -> Result<usize> {
            Ok(self.press(q, vec![default])?[0])
        }
        fn multi_select(&mut self, q: &Question, _: &[String], d: &[usize]) -> Result<Vec<usize>> {
            self.press(q, d.to_vec())
        }
        fn confirm(&mut self, _: &Question, _: bool) -> Result<bool> {
            Err(Error::Internal("no confirm here".into()))
        }
        fn say(&mut self, _: &str) {}
    }

    fn q(key: &str) -> Question<'_> {
        Question {
            key,
            message: key,
            help: "",
        }
    }

    /// The second question offers as many options as the first answer's index plus one, so
    /// changing the first answer shrinks it; then its earlier answer no longer fits and the
    /// question's own default is offered instead.
    #[test]
    fn an_earlier_answer_that_no_longer_fits_its_question_is_not_offered() {
        for multi in [false, true] {
            let options = |n: usize| -> Vec<String> { (0..n).map(|i| i.to_string()).collect() };
            let pass = |p: &mut dyn Prompter, _: &mut State| -> Result<()> {
                let first = p.select(&q("first"), &options(3), 0)?;
                let second = options(first + 1);
                if multi {
                    p.multi_select(&q("second"), &second, &[0])?;
                } else {
                    p.select(&q("second"), &second, 0)?;
                }
                p.select(&q("third"), &options(1), 0)?;
                Ok(())
            };
            let mut fake = Fake {
                presses: VecDeque::from([
                    Press::Pick(2), // first: three options for the second
                    // second: the option just past what it will offer later (1 of 0..1), which
                    // a `<=` bound would still let through
                    Press::Pick(1),
                    Press::Esc,     // third: back to the second
                    Press::Esc,     // second: back to the first
                    Press::Pick(0), // first: now one option for the second
                    Press::Default, // second
                    Press::Default, // third
                ]),
                offered: Vec::new(),
            };
            let mut st = State::new(&json!({}), json!({}), None, None);
            with_back(&mut fake, &mut st, AtFirst::Stay, pass).unwrap();
            let last_second = fake
                .offered
                .iter()
                .rev()
                .find(|(k, _)| k == "second")
                .unwrap();
            assert_eq!(last_second.1, [0], "multi: {multi}: {:?}", fake.offered);
            // Stepping back to the first question offered its earlier answer.
            let first_again = &fake.offered.iter().filter(|(k, _)| k == "first").nth(1);
            assert_eq!(first_again.unwrap().1, [2]);
        }
    }
}
