//! Command-line types (clap). No behaviour here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::render::Format;

#[derive(Debug, Parser)]
#[command(
    name = "ams-private-link",
    version,
    about = "ARM and Bicep templates for Azure Media Services and its Storage account behind Private Link",
    long_about = "Renders ready-to-deploy ARM and Bicep templates for an Azure Media Services account and its \
Storage account with account-level private endpoints, private DNS zones and access restrictions.\n\n\
Exit codes: 0 ok, 1 unexpected or I/O error, 2 usage, 3 invalid input, 4 required input missing, \
5 would overwrite a file, 130 cancelled."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ask for the values interactively, show a summary, then render the templates.
    #[command(after_help = "Examples:\n  \
ams-private-link init\n  \
ams-private-link init --values env/base.yaml --set mediaServices.name=contosoprod\n\n\
Without a terminal (or with --no-prompt, or CI set) nothing is asked: the values must be\n\
complete, and every missing one is listed with the key that supplies it (exit 4).")]
    Init(InitArgs),

    /// Render the templates from a values file, without prompting.
    #[command(after_help = "Examples:\n  \
ams-private-link generate --values examples/foundation-only.yaml --out out/\n  \
ams-private-link generate --values examples/landing-zone.yaml --out out/\n  \
ams-private-link generate --values env/prod.yaml --set mediaServices.name=prod1 --format arm\n  \
ams-private-link generate --values env/prod.yaml --format arm --force --prune\n  \
ams-private-link generate --values out/.ams-private-link-answers.yaml --out out/ --dry-run")]
    Generate(GenerateArgs),

    /// Check a values file and print every problem and warning; writes nothing.
    #[command(after_help = "Examples:\n  \
ams-private-link validate --values env/prod.yaml\n  \
ams-private-link validate --values env/prod.yaml --format sarif > findings.sarif\n\n\
The exit code is the same in every format (0 valid, 3 invalid, 4 values missing).")]
    Validate(ValidateArgs),

    /// Print a read-only bash script that collects what the design depends on in Azure into
    /// one JSON file, for `validate --estate`.
    #[command(after_help = "Examples:\n  \
ams-private-link estate-script --values env/prod.yaml --subscription 11111111-2222-3333-4444-555555555555 --resource-group rg-media > collect.sh\n  \
bash collect.sh estate.json   # after az login; it only reads\n  \
ams-private-link validate --values env/prod.yaml --estate estate.json --subscription 11111111-2222-3333-4444-555555555555 --resource-group rg-media")]
    EstateScript(EstateScriptArgs),

    /// After the deployment: check in the estate file that every client resolves each private
    /// name to its endpoint, through a linked zone, and that public network access is as designed.
    #[command(after_help = "Example:\n  \
bash collect.sh estate.json\n  \
ams-private-link verify --values env/prod.yaml --estate estate.json --subscription 11111111-2222-3333-4444-555555555555 --resource-group rg-media\n\n\
Exit 0: everything resolves as designed; 3: something does not (each one is named).")]
    Verify(VerifyArgs),

    /// Print who can reach each door (internet addresses, VNets) and what each VNet resolves.
    #[command(
        after_help = "Examples:\n  ams-private-link explain --values examples/foundation-only.yaml\n  \
ams-private-link explain --values examples/two-vnets.yaml"
    )]
    Explain(InputArgs),

    /// Print the JSON Schema of the values file (for editor completion).
    #[command(
        after_help = "Example:\n  ams-private-link schema > values.schema.json\n  \
then start the values file with: # yaml-language-server: $schema=values.schema.json"
    )]
    Schema,

    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  ams-private-link completions bash > /etc/bash_completion.d/ams-private-link"
    )]
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// YAML values file (same shape as the answers file).
    #[arg(long, value_name = "FILE")]
    pub values: Option<PathBuf>,

    /// Override one value: dotted.path=value (repeatable; wins over the file).
    /// Lists take indexes: --set mediaServices.liveEvents.0.name=live1 or
    /// --set 'mediaServices.liveEvents[0].name=live1'.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// text: messages on stderr; json: problems, warnings, exposure and resolution on stdout;
    /// sarif: SARIF 2.1.0 on stdout, for code scanning.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// The estate file the estate script wrote: the design is also checked against what
    /// exists (links, records, policies).
    #[arg(long, value_name = "FILE", requires_all = ["subscription", "resource_group"])]
    pub estate: Option<PathBuf>,

    #[command(flatten)]
    pub scope: ScopeArgs,
}

/// Where the main template is deployed: the resources it creates are named from it.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// The subscription the main template is deployed into.
    #[arg(long, value_name = "ID")]
    pub subscription: Option<String>,

    /// The resource group the main template is deployed into.
    #[arg(long, value_name = "NAME")]
    pub resource_group: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// The estate file the estate script wrote after the deployment.
    #[arg(long, value_name = "FILE")]
    pub estate: PathBuf,

    #[command(flatten)]
    pub scope: ScopeArgs,

    /// text: a table on stdout, failures on stderr; json or sarif on stdout.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct EstateScriptArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub scope: ScopeArgs,
}

/// Which templates to write: the command line's spelling of `render::Format`, so that the
/// renderer knows nothing of clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Templates {
    Arm,
    Bicep,
    Both,
}

impl From<Templates> for Format {
    fn from(t: Templates) -> Format {
        match t {
            Templates::Arm => Format::Arm,
            Templates::Bicep => Format::Bicep,
            Templates::Both => Format::Both,
        }
    }
}

/// How `validate` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder to write into (asked when not given).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Which templates to write (asked when not given).
    #[arg(long, value_enum)]
    pub format: Option<Templates>,

    /// Never prompt; fail listing every missing value instead.
    #[arg(long)]
    pub no_prompt: bool,

    #[command(flatten)]
    pub writing: WriteArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder to write into.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// Which templates to write.
    #[arg(long, value_enum, default_value_t = Templates::Both)]
    pub format: Templates,

    #[command(flatten)]
    pub writing: WriteArgs,
}

/// How the files are written; the same for `init` and `generate`.
#[derive(Debug, Args, Clone, Copy)]
pub struct WriteArgs {
    /// List what would be created, overwritten, left unchanged or pruned; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Replace files whose content differs.
    #[arg(long)]
    pub force: bool,

    /// Remove files an earlier run wrote into the output folder that this run no longer
    /// writes (only those unchanged since; the tool never removes a file it did not write).
    #[arg(long)]
    pub prune: bool,
}
