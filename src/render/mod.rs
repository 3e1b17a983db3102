//! Everything written for one deployment, rendered in memory from the model.

pub mod arm;
pub mod bicep;
mod bicep_existing;
mod deploy_md;
pub mod estate_script;
pub mod explain;
pub mod findings;
pub mod mermaid;
pub mod sarif;
pub mod summary;
pub mod svg;
mod templates;
pub mod topology;
pub mod verify;

use crate::error::{Error, Result};
use crate::model::Deployment;
use crate::template;

pub const ANSWERS_FILE: &str = ".ams-private-link-answers.yaml";
/// The topology picture, beside DEPLOY.md.
pub const TOPOLOGY_FILE: &str = "topology.svg";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    let template = template::build(d);
    // The main template, then the Resource Manager private link's own (another scope).
    let mut templates = vec![("azuredeploy", "main", &template)];
    let resource_manager = d
        .resource_manager
        .as_ref()
        .map(|rm| template::resource_manager::build(d, rm));
    if let Some(t) = &resource_manager {
        let stem = template::resource_manager::FILE_STEM;
        templates.push((stem, stem, t));
    }
    // DNS mode policy for a group ID no built-in policy covers: the companion policy,
    // deployed once at a management group.
    let policies = d.companion_policies();
    let dns_policy = (!policies.is_empty()).then(|| template::dns_policy::build(d, &policies));
    if let Some(t) = &dns_policy {
        let stem = template::dns_policy::FILE_STEM;
        templates.push((stem, stem, t));
    }
    let mut files = Vec::new();
    for (arm_stem, bicep_stem, t) in &templates {
        if matches!(format, Format::Arm | Format::Both) {
            files.push(json_file(
                &format!("arm/{arm_stem}.json"),
                &arm::template(t),
            )?);
            files.push(json_file(
                &format!("arm/{arm_stem}.parameters.json"),
                &arm::parameters(t),
            )?);
        }
        if matches!(format, Format::Bicep | Format::Both) {
            files.push(File {
                path: format!("bicep/{bicep_stem}.bicep"),
                content: bicep::file(t)?,
            });
            files.push(File {
                path: format!("bicep/{bicep_stem}.bicepparam"),
                content: bicep::parameters(t, &format!("{bicep_stem}.bicep"))?,
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
    if let Some(script) = deploy_md::wait_script(d)? {
        files.push(File {
            path: deploy_md::WAIT_SCRIPT.into(),
            content: script,
        });
    }
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
