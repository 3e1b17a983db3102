//! Everything written for one deployment, rendered in memory from the model.

pub mod api;
pub mod arm;
pub mod bicep;
mod bicep_existing;
pub mod build;
mod deploy_md;
pub mod explain;
pub mod findings;
pub mod ir;
pub mod mermaid;
pub(crate) mod rmpl;
pub mod sarif;
pub mod summary;
pub mod svg;
mod templates;
pub mod topology;

use crate::error::{Error, Result};
use crate::model::Deployment;

pub const ANSWERS_FILE: &str = ".ams-private-link-answers.yaml";
/// The topology picture, beside DEPLOY.md.
pub const TOPOLOGY_FILE: &str = "topology.svg";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Arm,
    Bicep,
    Both,
}

/// One output file: path relative to the output folder, and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub content: String,
}

/// Renders every file. Nothing is written here; the caller decides.
pub fn render(d: &Deployment, format: Format) -> Result<Vec<File>> {
    let template = build::template(d);
    let mut files = Vec::new();
    if matches!(format, Format::Arm | Format::Both) {
        files.push(json_file(
            "arm/azuredeploy.json",
            &arm::template(&template),
        )?);
        files.push(json_file(
            "arm/azuredeploy.parameters.json",
            &arm::parameters(&template),
        )?);
    }
    if matches!(format, Format::Bicep | Format::Both) {
        files.push(File {
            path: "bicep/main.bicep".into(),
            content: bicep::file(&template)?,
        });
        files.push(File {
            path: "bicep/main.bicepparam".into(),
            content: bicep::parameters(&template, "main.bicep")?,
        });
        for (path, content) in bicep::module_files(&template.modules)? {
            files.push(File {
                path: format!("bicep/{path}"),
                content,
            });
        }
    }
    if let Some(rm) = &d.resource_manager {
        let t = rmpl::template(d, rm);
        let stem = rmpl::FILE_STEM;
        if matches!(format, Format::Arm | Format::Both) {
            files.push(json_file(&format!("arm/{stem}.json"), &arm::template(&t))?);
            files.push(json_file(
                &format!("arm/{stem}.parameters.json"),
                &arm::parameters(&t),
            )?);
        }
        if matches!(format, Format::Bicep | Format::Both) {
            files.push(File {
                path: format!("bicep/{stem}.bicep"),
                content: bicep::file(&t)?,
            });
            files.push(File {
                path: format!("bicep/{stem}.bicepparam"),
                content: bicep::parameters(&t, &format!("{stem}.bicep"))?,
            });
            for (path, content) in bicep::module_files(&t.modules)? {
                files.push(File {
                    path: format!("bicep/{path}"),
                    content,
                });
            }
        }
    }
    let picture = topology::topology(d);
    files.push(File {
        path: "DEPLOY.md".into(),
        content: deploy_md::render(d, &template, format, &mermaid::flowchart(&picture))?,
    });
    files.push(File {
        path: TOPOLOGY_FILE.into(),
        content: svg::render(&picture),
    });
    files.push(File {
        path: ANSWERS_FILE.into(),
        content: answers(d)?,
    });
    for f in &mut files {
        normalise(&mut f.content);
    }
    Ok(files)
}

fn json_file(path: &str, value: &serde_json::Value) -> Result<File> {
    let content = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Internal(format!("serialising {path}: {e}")))?;
    // Parse it back: the file on disk must be exactly what Azure will read.
    serde_json::from_str::<serde_json::Value>(&content)
        .map_err(|e| Error::Internal(format!("{path} does not parse back: {e}")))?;
    Ok(File {
        path: path.into(),
        content,
    })
}

/// The values with every default filled in; `generate --values` on it reproduces the output.
pub fn answers(d: &Deployment) -> Result<String> {
    let body = serde_saphyr::to_string(&d.values)
        .map_err(|e| Error::Internal(format!("serialising the answers: {e}")))?;
    Ok(format!(
        "# ams-private-link answers: every value of this deployment, defaults included.\n\
         # Replay: ams-private-link generate --values {ANSWERS_FILE} --out out\n{body}"
    ))
}

/// `\n` line endings and exactly one trailing newline, whatever the template did.
fn normalise(content: &mut String) {
    if content.contains('\r') {
        *content = content.replace("\r\n", "\n");
    }
    let trimmed = content.trim_end_matches('\n').len();
    content.truncate(trimmed);
    content.push('\n');
}
