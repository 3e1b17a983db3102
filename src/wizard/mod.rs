//! `init`: the interactive wizard. It fills the same values document a YAML file would, then
//! goes through the same validation, rendering and writing as `generate`.

pub mod flow;
mod journal;
pub mod prompter;

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::model::{self, Deployment};
use crate::render::{self, Format};
use crate::values::RawValues;
use crate::{schema, values};

use flow::{Section, State, SECTIONS};
use journal::AtFirst;
use prompter::{Prompter, Question};

/// Prompts only with a terminal on both ends, no `--no-prompt`, and no `CI` variable.
pub fn interactive(no_prompt: bool) -> bool {
    !no_prompt
        && std::env::var_os("CI").is_none()
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
}

/// What the wizard settled on.
pub struct Outcome {
    pub deployment: Deployment,
    pub out: PathBuf,
    pub format: Format,
}

/// Runs the questions, the summary and the confirmation. Nothing is written here.
pub fn run(
    p: &mut dyn Prompter,
    raw: RawValues,
    out: Option<PathBuf>,
    format: Option<Format>,
) -> Result<Outcome> {
    // A --set value typed as digits for a text key is that text, as for generate.
    let mut raw = raw;
    schema::set_values_as_text(&mut raw);
    let given = raw.value.clone();
    let mut with_defaults = raw.value.clone();
    schema::apply_defaults(&mut with_defaults);
    let mut st = State::new(
        &given,
        with_defaults,
        out.map(|o| o.display().to_string()),
        format,
    );
    journal::with_back(p, &mut st, AtFirst::Stay, |p, st| {
        SECTIONS
            .iter()
            .try_for_each(|(section, _)| flow::ask(p, st, *section, false))
    })?;
    loop {
        let checked = model::build(RawValues {
            value: st.values.clone(),
            spans: values::SpanIndex::default(),
            source: None,
        });
        let deployment = match checked {
            Ok(d) => Some(d),
            Err(Error::Invalid(problems)) | Err(Error::MissingInput(problems)) => {
                let mut text = String::from("These answers do not fit together yet:\n");
                for problem in &problems {
                    text.push_str(&format!("  - {problem}\n"));
                    if let Some(h) = &problem.hint {
                        text.push_str(&format!("    help: {h}\n"));
                    }
                }
                p.say(&text);
                None
            }
            Err(other) => return Err(other),
        };
        let format = st.format.unwrap_or(Format::Both);
        let mut options = Vec::new();
        if let Some(d) = &deployment {
            let template = crate::template::build(d);
            p.say(&render::summary::summarise(d, &template).text(&d.warnings));
            options.push("Write the files".to_owned());
        }
        options.push("Change an answer".to_owned());
        options.push("Quit without writing".to_owned());
        let choice = match p.select(
            &Question {
                key: "summary",
                message: "What next?",
                help: "Nothing is written until you choose to write",
            },
            &options,
            0,
        ) {
            // Back from the summary leads to the parts to change.
            Err(Error::Back) => options.len() - 2,
            other => other?,
        };
        match prompter::picked(&options, choice)?.as_str() {
            "Write the files" => {
                if let Some(deployment) = deployment {
                    return Ok(Outcome {
                        deployment,
                        out: PathBuf::from(st.out.clone().unwrap_or_else(|| "out".into())),
                        format,
                    });
                }
            }
            "Change an answer" => change_a_part(p, &mut st)?,
            _ => return Err(Error::Cancelled),
        }
    }
}

/// Asks one part again, chosen from those that apply (without Media Services its own parts
/// are not offered); Esc at the choice, or at the part's first question, changes nothing.
fn change_a_part(p: &mut dyn Prompter, st: &mut State) -> Result<()> {
    let offered: Vec<(Section, &str)> = SECTIONS
        .iter()
        .filter(|(s, _)| st.media() || !flow::MEDIA_SECTIONS.contains(s))
        .copied()
        .collect();
    let labels: Vec<String> = offered.iter().map(|(_, l)| (*l).to_owned()).collect();
    let i = match p.select(
        &Question {
            key: "summary.section",
            message: "Which part?",
            help: "You are asked that part again, with your answers as defaults",
        },
        &labels,
        0,
    ) {
        Err(Error::Back) => return Ok(()),
        other => other?,
    };
    let section: Section = prompter::picked(&offered, i)?.0;
    let media_before = st.media();
    match journal::with_back(p, st, AtFirst::Leave, |p, st| {
        flow::ask(p, st, section, true)
    }) {
        Err(Error::Back) => return Ok(()),
        other => other?,
    }
    // Media Services turned on: its parts, never asked so far, are asked now.
    if st.media() && !media_before {
        journal::with_back(p, st, AtFirst::Stay, |p, st| {
            flow::MEDIA_SECTIONS
                .iter()
                .try_for_each(|s| flow::ask(p, st, *s, false))
        })?;
    }
    Ok(())
}
