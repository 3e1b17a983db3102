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
    if slashed.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

fn locations(origin: Option<&Origin>, file: Option<&str>) -> Value {
    match (origin, file) {
        (Some(Origin::File { line, column, .. }), Some(file)) => json!([{
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(file)},
                "region": {"startLine": line, "startColumn": column},
            }
        }]),
        // A --set argument has no file position; its text is in the message.
        (Some(Origin::SetArg { .. }), _) | (_, None) => json!([]),
        (_, Some(file)) => json!([{
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(file)}}
        }]),
    }
}

struct Results {
    rules: Vec<&'static Rule>,
    levels: Vec<&'static str>,
    results: Vec<Value>,
}

impl Results {
    fn push(&mut self, rule: &'static Rule, level: &'static str, text: String, locations: Value) {
        let index = match self.rules.iter().position(|r| std::ptr::eq(*r, rule)) {
            Some(i) => i,
            None => {
                self.rules.push(rule);
                self.levels.push(level);
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

pub fn report(problems: &[Problem], deployment: Option<&Deployment>, file: Option<&str>) -> Value {
    let mut out = Results {
        rules: Vec::new(),
        levels: Vec::new(),
        results: Vec::new(),
    };
    for p in problems {
        let file = p.source.as_ref().map(|s| s.name.as_str()).or(file);
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
        .zip(&out.levels)
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
