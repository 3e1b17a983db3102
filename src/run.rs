//! Commands: from parsed arguments to an exit code.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use std::path::Path;

use crate::cli::{
    Cli, Command, GenerateArgs, InitArgs, InputArgs, ReportFormat, ScopeArgs, ValidateArgs,
    VerifyArgs, WriteArgs,
};
use crate::error::Error;
use crate::error::Result;
use crate::model::{self, Deployment};
use crate::render::Format;
use crate::{output, render, report, schema, values, wizard};

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Only commands that write files say that nothing was written.
    let writes = matches!(cli.command, Command::Init(_) | Command::Generate(_));
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report::error(&e, writes);
            ExitCode::from(e.exit_code())
        }
    }
}

pub fn execute(command: Command) -> Result<()> {
    match command {
        Command::Init(args) => init(&args),
        Command::Generate(args) => generate(&args),
        Command::Validate(args) => validate(&args),
        Command::EstateScript(args) => {
            let d = load(&args.input)?;
            let scope = render::estate_script::Scope {
                subscription: args.scope.subscription.as_deref(),
                resource_group: args.scope.resource_group.as_deref(),
            };
            report::stdout(&render::estate_script::script(&d, &scope))
        }
        Command::Verify(args) => verify(&args),
        Command::Explain(args) => {
            let d = load(&args)?;
            report::stdout(&render::explain::explain(&d, colour_on_stdout()))
        }
        Command::Schema => report::stdout(schema::SCHEMA_TEXT),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), BIN, &mut script);
            let mut script = String::from_utf8_lossy(&script).into_owned();
            if shell == clap_complete::Shell::Bash {
                script = bash_completion_fixed(&script);
            }
            report::stdout(&script)
        }
    }
}

const BIN: &str = "ams-private-link";

/// clap_complete's bash script sets `cmd` to `ams__private__link__subcmd__generate` but looks
/// for options under a name with every hyphen of the program mangled as well
/// (`ams__subcmd__private__subcmd__link__subcmd__generate`), so nothing after the subcommand
/// completes. One spelling for both.
fn bash_completion_fixed(script: &str) -> String {
    let mangled = format!("{}__subcmd__", BIN.replace('-', "__subcmd__"));
    let meant = format!("{}__subcmd__", BIN.replace('-', "__"));
    script.replace(&mangled, &meant)
}

/// Colour only for a person at a terminal.
fn colour_on_stdout() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && !report::no_color()
}

fn validate(args: &ValidateArgs) -> Result<()> {
    let file = args.input.values.as_ref().map(|p| p.display().to_string());
    sarif_needs_values(args.format, file.as_deref())?;
    let loaded = match &args.estate {
        Some(path) => load_with_estate(args, path),
        None => load(&args.input),
    };
    if args.format == ReportFormat::Text {
        let d = loaded?;
        report::warnings(&d.warnings);
        return report::stdout(&format!(
            "{}: valid ({} warning(s))\n",
            file.as_deref().unwrap_or("values"),
            d.warnings.len()
        ));
    }
    // The findings go to stdout in every outcome the values decide; the exit code is the
    // text format's. An unreadable file has no findings: only the error.
    let (problems, deployment) = match &loaded {
        Ok(d) => (&[][..], Some(d)),
        Err(Error::Invalid(p) | Error::MissingInput(p)) => (p.as_slice(), None),
        Err(_) => return loaded.map(drop),
    };
    let doc = match args.format {
        ReportFormat::Sarif => {
            render::sarif::report(problems, deployment, file.as_deref().unwrap_or_default())
        }
        _ => render::findings::report(problems, deployment, file.as_deref()),
    };
    let text = serde_json::to_string_pretty(&doc)
        .map_err(|e| Error::Internal(format!("serialising the findings: {e}")))?;
    report::stdout(&format!("{text}\n"))?;
    loaded.map(drop)
}

/// Every SARIF result points at a line of the values file: without one, SARIF is refused.
fn sarif_needs_values(format: ReportFormat, file: Option<&str>) -> Result<()> {
    if format == ReportFormat::Sarif && file.is_none() {
        return Err(Error::Usage(
            "--format sarif needs --values: every SARIF result points at a line of the values file"
                .into(),
        ));
    }
    Ok(())
}

/// Values file + `--set` → validated deployment, checked against the estate file too. Clap
/// makes `--estate` require the subscription and resource group.
fn load_with_estate(args: &ValidateArgs, path: &Path) -> Result<Deployment> {
    let raw = values::load(args.input.values.as_deref(), &args.input.set)?;
    let estate = values::estate::load(path)?;
    model::build_with_estate(raw, &estate, &scope_of(&args.scope)?)
}

/// Where the main template went: both parts are needed to name what it created.
fn scope_of(args: &ScopeArgs) -> Result<model::DeploymentScope> {
    match (&args.subscription, &args.resource_group) {
        (Some(s), Some(g)) => Ok(model::DeploymentScope {
            subscription_id: s.clone(),
            resource_group: g.clone(),
        }),
        _ => Err(Error::Usage(
            "the estate is read for the resources the main template created: give --subscription and --resource-group, where it was deployed".into(),
        )),
    }
}

/// `verify`: every check as a table (text), or the failures as findings (json, sarif); exit 3
/// when something does not resolve as designed.
fn verify(args: &VerifyArgs) -> Result<()> {
    let file = args.input.values.as_ref().map(|p| p.display().to_string());
    sarif_needs_values(args.format, file.as_deref())?;
    let raw = values::load(args.input.values.as_deref(), &args.input.set)?;
    let estate = values::estate::load(&args.estate)?;
    let (d, checks, problems) = model::verify_with_estate(raw, &estate, &scope_of(&args.scope)?)?;
    let text = match args.format {
        ReportFormat::Text => render::verify::table(&checks),
        ReportFormat::Json => json_text(&render::verify::report(
            &checks,
            &problems,
            &d,
            file.as_deref(),
        ))?,
        ReportFormat::Sarif => json_text(&render::sarif::report(
            &problems,
            Some(&d),
            file.as_deref().unwrap_or_default(),
        ))?,
    };
    report::stdout(&text)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

fn json_text(doc: &serde_json::Value) -> Result<String> {
    serde_json::to_string_pretty(doc)
        .map(|t| format!("{t}\n"))
        .map_err(|e| Error::Internal(format!("serialising the report: {e}")))
}

/// Values file + `--set` → validated deployment.
pub fn load(args: &InputArgs) -> Result<Deployment> {
    let raw = values::load(args.values.as_deref(), &args.set)?;
    model::build(raw)
}

fn generate(args: &GenerateArgs) -> Result<()> {
    let deployment = load(&args.input)?;
    report::warnings(&deployment.warnings);
    write(&deployment, &args.out, args.format.into(), args.writing)
}

fn init(args: &InitArgs) -> Result<()> {
    let raw = values::load(args.input.values.as_deref(), &args.input.set)?;
    if !wizard::interactive(args.no_prompt) {
        let deployment = model::build(raw).inspect_err(|e| {
            if matches!(e, Error::MissingInput(_)) {
                eprintln!(
                    "note: init asks no questions here (no terminal, --no-prompt, or CI set); \
                     supply the values below with --values or --set"
                );
            }
        })?;
        report::warnings(&deployment.warnings);
        let out = args.out.clone().unwrap_or_else(|| "out".into());
        return write(
            &deployment,
            &out,
            args.format.map_or(Format::Both, Into::into),
            args.writing,
        );
    }
    let outcome = wizard::run(
        &mut wizard::prompter::Terminal,
        raw,
        args.out.clone(),
        args.format.map(Into::into),
    )?;
    write(
        &outcome.deployment,
        &outcome.out,
        outcome.format,
        args.writing,
    )
}

/// Renders, plans and (unless a dry run) writes; the same path for every command.
fn write(deployment: &Deployment, out: &Path, format: Format, how: WriteArgs) -> Result<()> {
    let files = render::render(deployment, format)?;
    let plan = output::plan(out, files, how.prune)?;
    if how.dry_run {
        report::plan(&plan, true, how.force);
        return Ok(());
    }
    output::write(&plan, how.force)?;
    report::plan(&plan, false, how.force);
    Ok(())
}
