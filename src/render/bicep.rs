//! Bicep from the template IR: resource bodies are spelled here, the file layout (parameters
//! with their decorators, resources, modules, outputs) lives in the tera template, and every
//! literal goes through one escaping function, also registered as the `bicep_string` filter.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::ir::{Expr, Module, Param, ParamType, Resource, Template};
use crate::error::{Error, Result};

const INDENT: &str = "  ";

/// A Bicep single-quoted string literal. Escapes `\`, `'`, `${` and control characters, so
/// no user text can end the string or start an interpolation.
///
/// ```
/// use ams_private_link::render::bicep::string_literal;
/// assert_eq!(string_literal("it's ${x}"), r"'it\'s \${x}'");
/// ```
pub fn string_literal(s: &str) -> String {
    format!("'{}'", escape_body(s))
}

fn escape_body(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The tera filter: `{{ text | bicep_string }}`.
pub fn tera_filter(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    match value {
        tera::Value::String(s) => Ok(tera::Value::String(string_literal(s))),
        other => Err(tera::Error::msg(format!(
            "bicep_string expects text, got {other}"
        ))),
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn key(k: &Expr, level: usize) -> String {
    match k {
        Expr::Str(s) if is_identifier(s) => s.clone(),
        Expr::Str(s) => string_literal(s),
        other => format!("'${{{}}}'", expr(other, level)),
    }
}

/// Bicep expression text at nesting `level` (for multi-line arrays and objects).
pub fn expr(e: &Expr, level: usize) -> String {
    let pad = INDENT.repeat(level);
    let inner = INDENT.repeat(level + 1);
    match e {
        Expr::Str(s) => string_literal(s),
        Expr::Int(i) => i.to_string(),
        Expr::Bool(b) => b.to_string(),
        Expr::Array(items) if items.is_empty() => "[]".into(),
        Expr::Array(items) => {
            let lines: Vec<String> = items
                .iter()
                .map(|i| format!("{inner}{}", expr(i, level + 1)))
                .collect();
            format!("[\n{}\n{pad}]", lines.join("\n"))
        }
        Expr::Object(entries) if entries.is_empty() => "{}".into(),
        Expr::Object(entries) => {
            let lines: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{inner}{}: {}", key(k, level), expr(v, level + 1)))
                .collect();
            format!("{{\n{}\n{pad}}}", lines.join("\n"))
        }
        Expr::Param(name) => name.clone(),
        Expr::Format(f, args) => interpolate(f, args, level),
        Expr::Id(symbol) => format!("{symbol}.id"),
        Expr::Reference { symbol, path, full } => {
            let prefix = if *full { "" } else { "properties." };
            format!("{symbol}.{prefix}{}", path.join("."))
        }
        Expr::Environment(path) => format!("environment().{}", path.join(".")),
        Expr::Guid(args) => call("guid", None, args, level),
        Expr::SubscriptionResourceId(ty, args) => {
            call("subscriptionResourceId", Some(ty), args, level)
        }
        Expr::ResourceId(ty, args) => call("resourceId", Some(ty), args, level),
        Expr::ScopedResourceId {
            subscription_id,
            resource_group,
            rtype,
            names,
        } => call(
            "resourceId",
            None,
            &Expr::scoped_id_args(subscription_id, resource_group, rtype, names),
            level,
        ),
        Expr::ExtensionResourceId {
            scope,
            rtype,
            names,
        } => {
            let args = Expr::extension_id_args(scope, rtype, names);
            call("extensionResourceId", None, &args, level)
        }
        Expr::ResourceGroupLocation => "resourceGroup().location".into(),
        Expr::TenantId => "subscription().tenantId".into(),
    }
}

fn call(name: &str, ty: Option<&String>, args: &[Expr], level: usize) -> String {
    let mut parts: Vec<String> = ty.map(|t| string_literal(t)).into_iter().collect();
    parts.extend(args.iter().map(|a| expr(a, level)));
    format!("{name}({})", parts.join(", "))
}

/// `Format("pe-{0}-x", [p])` → `'pe-${p}-x'`; literal arguments are inlined.
fn interpolate(f: &str, args: &[Expr], level: usize) -> String {
    let mut out = String::from("'");
    let mut rest = f;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let index = rest[start + 1..start + len].parse::<usize>().ok();
        out.push_str(&escape_body(&rest[..start]));
        match index.and_then(|i| args.get(i)) {
            Some(Expr::Str(s)) => out.push_str(&escape_body(s)),
            Some(arg) => out.push_str(&format!("${{{}}}", expr(arg, level))),
            None => out.push_str(&escape_body(&rest[start..=start + len])),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(&escape_body(rest));
    out.push('\'');
    out
}

fn resource(r: &Resource) -> String {
    if let Some(place) = &r.existing {
        let mut lines = vec![
            format!(
                "resource {} '{}@{}' existing = {{",
                r.symbol, r.rtype, r.api_version
            ),
            format!("{INDENT}name: {}", expr(&r.name, 1)),
        ];
        if let Some(parent) = &r.parent {
            lines.push(format!("{INDENT}parent: {parent}"));
        }
        if let (Some(sub), Some(rg)) = (&place.subscription_id, &place.resource_group) {
            lines.push(format!(
                "{INDENT}scope: resourceGroup({}, {})",
                string_literal(sub),
                string_literal(rg)
            ));
        }
        lines.push("}".into());
        return lines.join("\n");
    }
    let mut lines = vec![format!(
        "resource {} '{}@{}' = {{",
        r.symbol, r.rtype, r.api_version
    )];
    if let Some(p) = &r.parent {
        lines.push(format!("{INDENT}parent: {p}"));
    }
    if let Some(s) = &r.scope {
        lines.push(format!("{INDENT}scope: {s}"));
    }
    lines.push(format!("{INDENT}name: {}", expr(&r.name, 1)));
    for (k, v) in &r.body {
        lines.push(format!("{INDENT}{k}: {}", expr(v, 1)));
    }
    // Bicep infers dependencies from references; only ordering it cannot see is spelled out.
    let implied = r.referenced();
    let explicit: Vec<&String> = r
        .depends_on
        .iter()
        .filter(|d| !implied.contains(d) && r.parent.as_ref() != Some(*d))
        .collect();
    if !explicit.is_empty() {
        lines.push(format!("{INDENT}dependsOn: ["));
        lines.extend(explicit.iter().map(|d| format!("{INDENT}{INDENT}{d}")));
        lines.push(format!("{INDENT}]"));
    }
    lines.push("}".into());
    lines.join("\n")
}

fn module_call(m: &Module) -> String {
    let params = Expr::Object(
        m.params
            .iter()
            .map(|(p, v)| (Expr::str(p.name.as_str()), v.clone()))
            .collect(),
    );
    [
        format!("module {} '{}' = {{", m.symbol, m.file),
        format!("{INDENT}name: {}", expr(&m.deployment_name, 1)),
        format!(
            "{INDENT}scope: resourceGroup({}, {})",
            string_literal(&m.subscription_id),
            string_literal(&m.resource_group)
        ),
        format!("{INDENT}params: {}", expr(&params, 1)),
        "}".into(),
    ]
    .join("\n")
}

#[derive(Serialize)]
struct ParamView {
    secure: bool,
    name: String,
    ty: &'static str,
    description: String,
    allowed: Vec<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    default: Option<String>,
}

#[derive(Serialize)]
struct BlockView {
    description: String,
    code: String,
}

#[derive(Serialize)]
struct OutputView {
    name: String,
    ty: &'static str,
    description: String,
    code: String,
}

fn type_name(ty: ParamType) -> &'static str {
    match ty {
        ParamType::String | ParamType::SecureString => "string",
        ParamType::Int => "int",
        ParamType::Object => "object",
    }
}

fn param_view(p: &Param) -> ParamView {
    ParamView {
        secure: p.ty == ParamType::SecureString,
        name: p.name.clone(),
        ty: type_name(p.ty),
        description: p.description.clone(),
        allowed: p.allowed.clone(),
        min_length: p.min_length,
        max_length: p.max_length,
        default: p.default.as_ref().map(|d| expr(d, 0)),
    }
}

/// Renders one Bicep file (main or module) through the layout template.
pub fn file(t: &Template) -> Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("description", &t.description);
    ctx.insert(
        "management_group",
        &(t.target_scope == super::ir::TargetScope::ManagementGroup),
    );
    ctx.insert(
        "params",
        &t.params.iter().map(param_view).collect::<Vec<_>>(),
    );
    let resources: Vec<BlockView> = t
        .resources
        .iter()
        .map(|r| BlockView {
            description: r.comment.replace(['\n', '\r'], " "),
            code: resource(r),
        })
        .collect();
    ctx.insert("resources", &resources);
    let modules: Vec<BlockView> = t
        .modules
        .iter()
        .map(|m| BlockView {
            description: m.description.clone(),
            code: module_call(m),
        })
        .collect();
    ctx.insert("modules", &modules);
    let outputs: Vec<OutputView> = t
        .outputs
        .iter()
        .map(|o| OutputView {
            name: o.name.clone(),
            ty: type_name(o.ty),
            description: o.description.clone(),
            code: expr(&o.value, 0),
        })
        .collect();
    ctx.insert("outputs", &outputs);
    super::templates::render("bicep/template.bicep.tera", &ctx)
}

/// The module file for resources deployed into another resource group.
pub fn module_file(m: &Module) -> Result<String> {
    file(&m.inner_template())
}

/// `main.bicepparam`.
pub fn parameters(t: &Template, main_file: &str) -> Result<String> {
    let mut out = format!("using '{main_file}'\n");
    for p in &t.params {
        if let Some(v) = &p.value {
            out.push_str(&format!("\nparam {} = {}\n", p.name, literal(v, 0)?));
        } else if let Some(var) = p.from_env {
            out.push_str(&format!(
                "\nparam {} = readEnvironmentVariable({})\n",
                p.name,
                string_literal(var)
            ));
        }
    }
    Ok(out)
}

/// A JSON value as a Bicep literal (for the parameters file).
fn literal(v: &Value, level: usize) -> Result<String> {
    Ok(match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_literal(s),
        Value::Array(items) => expr(
            &Expr::Array(items.iter().map(json_to_expr).collect::<Result<_>>()?),
            level,
        ),
        Value::Object(_) => expr(&json_to_expr(v)?, level),
    })
}

fn json_to_expr(v: &Value) -> Result<Expr> {
    Ok(match v {
        Value::Bool(b) => Expr::Bool(*b),
        Value::Number(n) => Expr::Int(
            n.as_i64()
                .ok_or_else(|| Error::Internal(format!("parameter value {n} is not an integer")))?,
        ),
        Value::String(s) => Expr::Str(s.clone()),
        Value::Array(items) => Expr::Array(items.iter().map(json_to_expr).collect::<Result<_>>()?),
        Value::Object(map) => Expr::Object(
            map.iter()
                .map(|(k, v)| Ok((Expr::Str(k.clone()), json_to_expr(v)?)))
                .collect::<Result<_>>()?,
        ),
        Value::Null => return Err(Error::Internal("null parameter value".into())),
    })
}
