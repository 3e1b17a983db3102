//! What the user reads on the terminal: problems with their source snippet, warnings, and
//! the list of files written.

use std::io::{IsTerminal, Write};

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::diagnostic::{Origin, Problem, Warning};
use crate::error::Error;
use crate::output::{Fate, Plan};

/// `NO_COLOR` set to anything but the empty string (https://no-color.org).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn handler() -> GraphicalReportHandler {
    let color = std::io::stderr().is_terminal() && !no_color();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_wrap_lines(false)
}

/// A problem as the terminal shows it (snippet included; a very long line clipped around
/// the column).
pub fn problem_text(p: &Problem) -> String {
    let clipped = clip_long_lines(p);
    let p = clipped.as_ref().unwrap_or(p);
    let mut out = String::new();
    match handler().render_report(&mut out, p) {
        Ok(()) => out,
        Err(_) => format!("  × {p}\n"),
    }
}

/// Longest snippet line shown whole; longer lines show this many characters either side of
/// the column.
const LONG_LINE: usize = 200;
const AROUND: usize = 60;

/// The problem with a source whose long lines are cut down, and its span moved to match;
/// `None` when no line needs it. Line breaks are kept, so line numbers stay right.
fn clip_long_lines(p: &Problem) -> Option<Problem> {
    let (Some(Origin::File { offset, len, .. }), Some(source)) = (&p.origin, &p.source) else {
        return None;
    };
    let text = source.as_str();
    if !text.lines().any(|l| l.chars().count() > LONG_LINE) {
        return None;
    }
    let (mut out, mut new_offset, mut new_len) = (String::new(), *offset, *len);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let body = line.trim_end_matches('\n');
        if body.chars().count() <= LONG_LINE {
            out.push_str(line);
        } else {
            // Character boundaries of the kept window.
            let chars: Vec<(usize, char)> = body.char_indices().collect();
            let at = if (start..end).contains(offset) {
                chars
                    .iter()
                    .position(|(i, _)| start + i >= *offset)
                    .unwrap_or(0)
            } else {
                0
            };
            let from = at.saturating_sub(AROUND);
            let to = (at + AROUND).min(chars.len());
            let byte = |k: usize| chars.get(k).map_or(body.len(), |(i, _)| *i);
            let kept = &body[byte(from)..byte(to)];
            let lead = if from > 0 { "…" } else { "" };
            if (start..end).contains(offset) {
                new_offset = out.len() + lead.len() + (offset - start - byte(from));
                new_len = (*len).min(kept.len() - (offset - start - byte(from)));
            }
            out.push_str(lead);
            out.push_str(kept);
            if to < chars.len() {
                out.push('…');
            }
            if line.ends_with('\n') {
                out.push('\n');
            }
        }
        start = end;
    }
    let mut clipped = p.clone();
    clipped.source = Some(crate::diagnostic::Source::new(source.name.clone(), out));
    if let Some(Origin::File { offset, len, .. }) = &mut clipped.origin {
        *offset = new_offset;
        *len = new_len;
    }
    Some(clipped)
}

/// Problems shown in full; the rest are summarised by where they are.
const SHOWN_IN_FULL: usize = 20;

/// `storage.ipRules[17]` → `storage.ipRules[*]`: problems of one kind share this.
fn kind_of(p: &Problem) -> String {
    let mut out = String::new();
    let mut in_index = false;
    for c in p.key.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[*");
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// Prints an error to stderr in full; `writes`: the command would have written files.
pub fn error(e: &Error, writes: bool) {
    let mut err = std::io::stderr().lock();
    let _ = match e {
        Error::Invalid(problems) | Error::MissingInput(problems) => {
            let what = if matches!(e, Error::MissingInput(_)) {
                "required value(s) missing"
            } else {
                "problem(s) in the input"
            };
            let written = if writes { "; nothing was written" } else { "" };
            let _ = writeln!(err, "error: {} {what}{written}\n", problems.len());
            for p in problems.iter().take(SHOWN_IN_FULL) {
                let _ = write!(err, "{}", problem_text(p));
                let _ = writeln!(err);
            }
            let rest = problems.get(SHOWN_IN_FULL..).unwrap_or_default();
            if !rest.is_empty() {
                let mut kinds: Vec<(String, usize, &Problem)> = Vec::new();
                for p in rest {
                    let kind = kind_of(p);
                    match kinds.iter_mut().find(|(k, _, _)| *k == kind) {
                        Some(entry) => entry.1 += 1,
                        None => kinds.push((kind, 1, p)),
                    }
                }
                kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let _ = writeln!(
                    err,
                    "... and {} more problem(s), {} shown in full above; by key (first of each):",
                    rest.len(),
                    SHOWN_IN_FULL
                );
                for (kind, n, first) in kinds {
                    let at = first.location().unwrap_or_default();
                    let _ = writeln!(err, "  {n:>5} × {kind} (first at {at}): {}", first.message);
                }
            }
            Ok(())
        }
        Error::WouldOverwrite(paths) => {
            let _ = writeln!(
                err,
                "error: these files exist with different content; nothing was written:"
            );
            for (p, as_written) in paths {
                let _ = writeln!(err, "  {} ({})", p.display(), why_forced(*as_written));
            }
            writeln!(err, "  help: pass --force to replace them, --dry-run to see the plan, or choose another --out")
        }
        other => writeln!(err, "error: {other}"),
    };
}

/// What a command prints for the reader. A reader that stops early (`| head`) wants no more, so
/// a closed pipe ends the output quietly and the exit code stays the command's own; any other
/// failure (a full disk behind `>`) is an error, since the output is then incomplete.
pub fn stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to standard output", e))
        }
        _ => Ok(()),
    }
}

pub fn warnings(warnings: &[Warning]) {
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "warning: {w}");
    }
}

/// Why a replaced file needs `--force`, and what it would cost.
fn why_forced(as_written: bool) -> &'static str {
    if as_written {
        "as this tool last wrote it, so no edit is lost"
    } else {
        "edited since this tool wrote it, or not written by it"
    }
}

pub fn plan(plan: &Plan, dry_run: bool, force: bool) {
    let mut out = std::io::stdout().lock();
    for p in &plan.files {
        if dry_run && p.needs_force() && !force {
            let why = why_forced(p.as_written);
            let _ = writeln!(
                out,
                "{:<9} {} (needs --force: {why})",
                p.action.label(),
                p.target.display()
            );
        } else {
            let _ = writeln!(out, "{:<9} {}", p.action.label(), p.target.display());
        }
    }
    for l in &plan.leftovers {
        let (label, why) = match l.fate {
            Fate::Keep => ("stale", "an earlier run wrote it, this one does not; --prune removes it"),
            Fate::Remove => ("remove", "an earlier run wrote it, this one does not"),
            Fate::Edited => (
                "stale",
                "an earlier run wrote it and it was edited since; never removed by the tool, delete it yourself if unwanted",
            ),
        };
        let _ = writeln!(out, "{label:<9} {} ({why})", l.target.display());
    }
    if dry_run {
        let _ = writeln!(out, "dry run: nothing was written");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Source;

    /// A problem at `at` (bytes) for `len` bytes of `text`.
    fn at(text: &str, at: usize, len: usize) -> Problem {
        let mut p = Problem::new("k", "m");
        p.origin = Some(Origin::File {
            line: 2,
            column: 1,
            offset: at,
            len,
        });
        p.source = Some(Source::new("f.yaml", text.to_owned()));
        p
    }

    /// The clipped text and the span in it.
    fn clipped(p: &Problem) -> (String, usize, usize) {
        let c = clip_long_lines(p).expect("clipped");
        let Some(Origin::File { offset, len, .. }) = c.origin else {
            panic!("no span")
        };
        (c.source.expect("source").as_str().to_owned(), offset, len)
    }

    /// A long line keeps AROUND characters either side of the span's start, marked with `…`
    /// where it was cut; the span moves with its text, and the short lines stay as they are.
    #[test]
    fn a_long_line_is_cut_around_the_span_and_the_span_follows() {
        let long = format!("{}BAD{}", "x".repeat(300), "y".repeat(300));
        let text = format!("short: 1\n{long}\nlast: 2\n");
        let start = "short: 1\n".len() + 300;
        let (out, offset, len) = clipped(&at(&text, start, 3));
        let expected_line = format!("…{}BAD{}…", "x".repeat(AROUND), "y".repeat(AROUND - 3));
        assert_eq!(out, format!("short: 1\n{expected_line}\nlast: 2\n"));
        assert_eq!(&out[offset..offset + len], "BAD");

        // Near the start: nothing cut before it. Near the end: nothing cut after it.
        let (out, offset, _) = clipped(&at(&text, "short: 1\n".len() + 10, 3));
        assert!(out.starts_with(&format!("short: 1\n{}", "x".repeat(AROUND + 10))));
        assert_eq!(offset, "short: 1\n".len() + 10);
        let near_end = "short: 1\n".len() + long.len() - 10;
        let (out, offset, len) = clipped(&at(&text, near_end, 10));
        assert!(
            out.contains(&format!("{}\nlast: 2\n", "y".repeat(10))),
            "{out}"
        );
        assert!(!out.contains("y\u{2026}"), "{out}");
        assert_eq!(&out[offset..offset + len], "y".repeat(10));

        // A span longer than what is kept ends where the kept text does.
        let (out, offset, len) = clipped(&at(&text, start, 200));
        assert_eq!(offset + len, out.find("…\nlast").expect("cut"));
        // A document whose lines are all short is left alone; long means over LONG_LINE.
        assert!(clip_long_lines(&at("a: 1\nb: 2\n", 0, 1)).is_none());
        assert!(clip_long_lines(&at(&"x".repeat(LONG_LINE), 0, 1)).is_none());
        assert!(clip_long_lines(&at(&"x".repeat(LONG_LINE + 1), 0, 1)).is_some());
    }
}
