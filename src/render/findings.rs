//! `validate --format json`: problems, warnings, exposure and resolution in one documented
//! shape (README, "Machine-readable findings"). `version` changes only when a field changes
//! meaning or goes away; new fields may appear.

use serde_json::{json, Value};

use super::summary::resolution_views;
use crate::diagnostic::{Origin, Problem, Warning};
use crate::model::{self, Deployment};

pub const VERSION: u32 = 1;

/// Where a finding comes from: a file position, a `--set` argument, or nowhere in particular.
pub fn location(origin: Option<&Origin>, file: Option<&str>) -> Value {
    match (origin, file) {
        (Some(Origin::File { line, column, .. }), Some(file)) => {
            json!({"file": file, "line": line, "column": column})
        }
        (Some(Origin::SetArg { index, arg }), _) => json!({"setArgument": index, "argument": arg}),
        (_, Some(file)) => json!({"file": file}),
        (_, None) => Value::Null,
    }
}

fn problem(p: &Problem) -> Value {
    json!({
        "rule": p.rule.id,
        "key": p.key,
        "message": p.message,
        "hint": p.hint,
        "location": location(p.origin.as_ref(), p.source.as_ref().map(|s| s.name.as_str())),
    })
}

fn warning(w: &Warning, file: Option<&str>) -> Value {
    json!({
        "rule": w.rule.id,
        "subject": w.subject,
        "message": w.message,
        "key": crate::values::display_path(&w.pointer),
        "location": location(w.origin.as_ref(), file),
    })
}

/// The whole report. Without a deployment (the values are invalid) exposure and resolution
/// are `null`: they are only known for values that pass every check.
pub fn report(problems: &[Problem], deployment: Option<&Deployment>, file: Option<&str>) -> Value {
    let warnings: Vec<Value> = deployment
        .map(|d| d.warnings.iter().map(|w| warning(w, file)).collect())
        .unwrap_or_default();
    json!({
        "version": VERSION,
        "valid": deployment.is_some(),
        "file": file,
        "problems": problems.iter().map(problem).collect::<Vec<_>>(),
        "warnings": warnings,
        // false: the foundation alone; exposure and resolution then leave Media Services out.
        "mediaServicesDeployed": deployment.map(|d| d.media.deploy),
        "exposure": deployment.map(model::doors),
        "resolution": deployment.map(|d| resolution_views(d)
            .into_iter()
            .map(|v| json!({
                "vnet": v.client,
                "client": if v.on_premises { "onPremises" } else { "vnet" },
                "names": v.names.iter().map(|n| json!({
                    "target": n.target.replace('`', ""),
                    "zone": n.zone,
                    "through": n.through,
                    "answer": n.answer,
                })).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>()),
    })
}
