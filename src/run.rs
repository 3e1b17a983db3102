//! Commands: from parsed arguments to an exit code.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command, GenerateArgs, InputArgs};
use crate::error::Result;
use crate::model::{self, Deployment};
use crate::{output, render, report, schema, values};

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report::error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

pub fn execute(command: Command) -> Result<()> {
    match command {
        Command::Generate(args) => generate(&args),
        Command::Validate(args) => {
            let d = load(&args)?;
            report::warnings(&d.warnings);
            println!(
                "{}: valid ({} warning(s))",
                args.values
                    .as_ref()
                    .map_or("values".into(), |p| p.display().to_string()),
                d.warnings.len()
            );
            Ok(())
        }
        Command::Schema => {
            print!("{}", schema::SCHEMA_TEXT);
            Ok(())
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "ams-private-link",
                &mut std::io::stdout(),
            );
            Ok(())
        }
    }
}

/// Values file + `--set` → validated deployment.
pub fn load(args: &InputArgs) -> Result<Deployment> {
    let raw = values::load(args.values.as_deref(), &args.set)?;
    model::build(raw)
}

fn generate(args: &GenerateArgs) -> Result<()> {
    let deployment = load(&args.input)?;
    report::warnings(&deployment.warnings);
    let files = render::render(&deployment, args.format)?;
    let planned = output::plan(&args.out, files)?;
    if args.dry_run {
        report::plan(&planned, true);
        return Ok(());
    }
    output::write(&planned, args.force)?;
    report::plan(&planned, false);
    Ok(())
}
