//! `verify`: what each check found, as a table (text) or beside the findings (json).

use serde_json::{json, Value};

use crate::diagnostic::Problem;
use crate::model::{Check, Deployment, Verdict};

fn verdict(v: &Verdict) -> (&'static str, &str) {
    match v {
        Verdict::Ok(s) => ("ok", s),
        Verdict::Failed(s) => ("FAILED", s),
        Verdict::Outside(s) => ("outside the design", s),
    }
}

/// One line per check: client, what was checked, the verdict and what was found.
pub fn table(checks: &[Check]) -> String {
    let width = |f: &dyn Fn(&Check) -> usize| checks.iter().map(f).max().unwrap_or(0);
    let (a, b) = (
        width(&|c| c.client.chars().count()).max("client".len()),
        width(&|c| c.what.chars().count()).max("checked".len()),
    );
    let mut out = format!("{:a$}  {:b$}  verdict\n", "client", "checked");
    for c in checks {
        let (word, detail) = verdict(&c.verdict);
        out.push_str(&format!(
            "{:a$}  {:b$}  {word}: {detail}\n",
            c.client, c.what
        ));
    }
    let failed = checks
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Failed(_)))
        .count();
    out.push_str(&format!("\n{} check(s), {failed} failed\n", checks.len()));
    out
}

/// The findings report with every check beside it.
pub fn report(checks: &[Check], problems: &[Problem], d: &Deployment, file: Option<&str>) -> Value {
    let mut doc = super::findings::report(problems, Some(d), file);
    doc["valid"] = json!(problems.is_empty());
    doc["verification"] = checks
        .iter()
        .map(|c| {
            let (word, detail) = verdict(&c.verdict);
            json!({"client": c.client, "checked": c.what, "verdict": word, "found": detail})
        })
        .collect();
    doc
}
