//! What the user reads on the terminal: problems with their source snippet, warnings, and
//! the list of files written.

use std::io::{IsTerminal, Write};

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::diagnostic::{Problem, Warning};
use crate::error::Error;
use crate::output::Planned;

fn handler() -> GraphicalReportHandler {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_wrap_lines(false)
}

/// A problem as the terminal shows it (snippet included).
pub fn problem_text(p: &Problem) -> String {
    let mut out = String::new();
    match handler().render_report(&mut out, p) {
        Ok(()) => out,
        Err(_) => format!("  × {p}\n"),
    }
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
            for p in problems {
                let _ = write!(err, "{}", problem_text(p));
                let _ = writeln!(err);
            }
            Ok(())
        }
        Error::WouldOverwrite(paths) => {
            let _ = writeln!(
                err,
                "error: these files exist with different content; nothing was written:"
            );
            for p in paths {
                let _ = writeln!(err, "  {}", p.display());
            }
            writeln!(err, "  help: pass --force to replace them, --dry-run to see the plan, or choose another --out")
        }
        other => writeln!(err, "error: {other}"),
    };
}

pub fn warnings(warnings: &[Warning]) {
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "warning: {w}");
    }
}

pub fn plan(planned: &[Planned], dry_run: bool) {
    let mut out = std::io::stdout().lock();
    for p in planned {
        let _ = writeln!(out, "{:<9} {}", p.action.label(), p.target.display());
    }
    if dry_run {
        let _ = writeln!(out, "dry run: nothing was written");
    }
}
