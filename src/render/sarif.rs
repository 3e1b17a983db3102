//! `validate --format sarif`: SARIF 2.1.0 (OASIS), one result per problem (level error) and
//! per warning (level warning), each at the values-file line and column it comes from, so
//! code scanning shows an open door on the line that opened it. Rules come from the catalogue
//! in `diagnostic::rules`, with stable IDs.

use serde_json::{json, Value};

use crate::diagnostic::{Origin, Problem, Rule, Warning};
use crate::model::Deployment;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The values file as an artifact URI: forward slashes, relative paths kept relative (code
/// scanning resolves them against the checkout), absolute ones as `file://` URIs.
fn artifact_uri(file: &str) -> String {
    let slashed = file.replace('\\', "/");
    let encoded: String = slashed
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_owned(),
            '#' => "%23".to_owned(),
            '?' => "%3F".to_owned(),
            '%' => "%25".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let drive = slashed.as_bytes().get(1) == Some(&b':');
    if slashed.starts_with('/') {
        format!("file://{encoded}")
    } else if drive {
        format!("file:///{encoded}")
    } else {
        encoded
    }
}

/// Code scanning refuses a whole upload when one result has no location, so every result
/// names the values file: at the value's line and column, or at line 1 when it is about the
/// whole file or comes from a `--set` argument (whose text is then in the message).
fn locations(origin: Option<&Origin>, file: &str) -> Value {
    let (line, column) = match origin {
        Some(Origin::File { line, column, .. }) => (*line, *column),
        _ => (1, 1),
    };
    json!([{
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(file)},
            "region": {"startLine": line, "startColumn": column},
        }
    }])
}

struct Results {
    /// Each rule used, with the level of its results.
    rules: Vec<(&'static Rule, &'static str)>,
    results: Vec<Value>,
}

impl Results {
    fn push(&mut self, rule: &'static Rule, level: &'static str, text: String, locations: Value) {
        // By ID: a `const` has no one address to compare.
        let index = match self.rules.iter().position(|(r, _)| r.id == rule.id) {
            Some(i) => i,
            None => {
                self.rules.push((rule, level));
                self.rules.len() - 1
            }
        };
        self.results.push(json!({
            "ruleId": rule.id,
            "ruleIndex": index,
            "level": level,
            "message": {"text": text},
            "locations": locations,
        }));
    }
}

fn problem_text(p: &Problem) -> String {
    let mut text = if p.key.is_empty() {
        p.message.clone()
    } else {
        format!("{}: {}", p.key, p.message)
    };
    if let Some(Origin::SetArg { index, arg }) = &p.origin {
        text.push_str(&format!(" (--set #{index}: {arg})"));
    }
    if let Some(h) = &p.hint {
        text.push_str(&format!(". Fix: {h}"));
    }
    text
}

fn warning_text(w: &Warning) -> String {
    format!("{}: {}", w.subject, w.message)
}

/// `file` is the values file every result points into (`validate` refuses SARIF without one).
pub fn report(problems: &[Problem], deployment: Option<&Deployment>, file: &str) -> Value {
    let mut out = Results {
        rules: Vec::new(),
        results: Vec::new(),
    };
    for p in problems {
        let file = p.source.as_ref().map_or(file, |s| s.name.as_str());
        out.push(
            p.rule,
            "error",
            problem_text(p),
            locations(p.origin.as_ref(), file),
        );
    }
    for w in deployment
        .map(|d| d.warnings.as_slice())
        .unwrap_or_default()
    {
        out.push(
            w.rule,
            "warning",
            warning_text(w),
            locations(w.origin.as_ref(), file),
        );
    }
    let rules: Vec<Value> = out
        .rules
        .iter()
        .map(|(r, level)| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.summary},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": level},
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ams-private-link",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": out.results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::artifact_uri;

    #[test]
    fn values_paths_become_uris_code_scanning_resolves() {
        assert_eq!(artifact_uri("env/prod.yaml"), "env/prod.yaml");
        assert_eq!(artifact_uri("env\\my values.yaml"), "env/my%20values.yaml");
        assert_eq!(artifact_uri("/work/a#b.yaml"), "file:///work/a%23b.yaml");
        assert_eq!(artifact_uri("C:\\repo\\v.yaml"), "file:///C:/repo/v.yaml");
    }
}
