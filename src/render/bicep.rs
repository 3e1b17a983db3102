//! Bicep from the template IR, written in Rust like the ARM: the file layout (parameters with
//! their decorators, variables, resources, modules, outputs) and every body, with every literal
//! through one escaping function.

use std::fmt::Write as _;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::template::ir::{BuiltInRole, ExistingIn, Expr, Module, ParamType, Resource, Template};

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
            // A backslash last before the closing quote (or an interpolation) is written as
            // its code point: checkov's Bicep parser reads `\\'` as an escaped quote and
            // skips the whole file; the Bicep CLI reads both forms alike.
            '\\' if chars.peek().is_none() => out.push_str("\\u{5C}"),
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

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn key(k: &Expr) -> String {
    match k {
        Expr::Str(s) if is_identifier(s) => s.clone(),
        Expr::Str(s) => string_literal(s),
        other => format!("'${{{}}}'", flat(other)),
    }
}

/// `bicep format` breaks a function call whose line would pass this many columns.
const MAX_WIDTH: usize = 120;

/// Columns as `bicep format` counts them (UTF-16 code units).
fn width(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Bicep expression text at nesting `level` (for multi-line arrays and objects), starting at
/// column `col` of its line. Calls are laid out as `bicep format` lays them out, so the
/// output is a fixed point of the formatter.
pub fn expr(e: &Expr, level: usize, col: usize) -> String {
    render(e, level, Some(col))
}

/// On one line whatever its length: inside string interpolation, which the formatter never
/// breaks.
fn flat(e: &Expr) -> String {
    render(e, 0, None)
}

fn render(e: &Expr, level: usize, col: Option<usize>) -> String {
    let pad = INDENT.repeat(level);
    let inner = INDENT.repeat(level + 1);
    match e {
        Expr::Str(s) => string_literal(s),
        Expr::Int(i) => i.to_string(),
        Expr::Bool(b) => b.to_string(),
        Expr::Array(items) if items.is_empty() => "[]".into(),
        Expr::EmptyList => "[]".into(),
        Expr::Array(items) => {
            let lines: Vec<String> = items
                .iter()
                .map(|i| format!("{inner}{}", expr(i, level + 1, width(&inner))))
                .collect();
            format!("[\n{}\n{pad}]", lines.join("\n"))
        }
        Expr::Object(entries) if entries.is_empty() => "{}".into(),
        Expr::Object(entries) => {
            let lines: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    let head = format!("{inner}{}: ", key(k));
                    let value = expr(v, level + 1, width(&head));
                    format!("{head}{value}")
                })
                .collect();
            format!("{{\n{}\n{pad}}}", lines.join("\n"))
        }
        Expr::Param(name) | Expr::Var(name) => name.clone(),
        Expr::Format(f, args) => interpolate(f, args),
        Expr::Id(symbol) => format!("{symbol}.id"),
        Expr::Reference { symbol, path, full } => {
            let prefix = if *full { "" } else { "properties." };
            format!("{symbol}.{prefix}{}", path.join("."))
        }
        Expr::Environment(path) => format!("environment().{}", path.join(".")),
        Expr::Guid(args) => call("guid", None, args, level, col),
        Expr::UniqueString(args) => call("uniqueString", None, args, level, col),
        Expr::Call(name, args) => call(name, None, args, level, col),
        Expr::DeploymentName => "deployment().name".into(),
        Expr::DeploymentLocation => "deployment().location".into(),
        Expr::If(c, a, b) => format!("{} ? {} : {}", flat(c), flat(a), flat(b)),
        Expr::RoleDefinition(role) => {
            let args = [Expr::str(role.id)];
            let ty = BuiltInRole::DEFINITION_TYPE.to_owned();
            call("subscriptionResourceId", Some(&ty), &args, level, col)
        }
        Expr::ResourceId(ty, args) => call("resourceId", Some(ty), args, level, col),
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
            col,
        ),
        Expr::ExtensionResourceId {
            scope,
            rtype,
            names,
        } => {
            let args = Expr::extension_id_args(scope, rtype, names);
            call("extensionResourceId", None, &args, level, col)
        }
        Expr::ResourceGroupLocation => "resourceGroup().location".into(),
        Expr::TenantId => "subscription().tenantId".into(),
    }
}

/// A call on one line if it fits from `col` (a trailing comma does not count, as in
/// `bicep format`), else one argument per line, each laid out again on its own line.
fn call(
    name: &str,
    ty: Option<&String>,
    args: &[Expr],
    level: usize,
    col: Option<usize>,
) -> String {
    let mut all: Vec<Expr> = ty.map(|t| Expr::str(t.as_str())).into_iter().collect();
    all.extend(args.iter().cloned());
    let one_line = format!(
        "{name}({})",
        all.iter().map(flat).collect::<Vec<_>>().join(", ")
    );
    match col {
        Some(col) if col + width(&one_line) > MAX_WIDTH => {
            let inner = INDENT.repeat(level + 1);
            let lines: Vec<String> = all
                .iter()
                .map(|a| format!("{inner}{}", expr(a, level + 1, width(&inner))))
                .collect();
            format!("{name}(\n{}\n{})", lines.join(",\n"), INDENT.repeat(level))
        }
        _ => one_line,
    }
}

/// `Format("pe-{0}-x", [p])` → `'pe-${p}-x'`; literal arguments are inlined.
fn interpolate(f: &str, args: &[Expr]) -> String {
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
            Some(arg) => out.push_str(&format!("${{{}}}", flat(arg))),
            None => out.push_str(&escape_body(&rest[start..=start + len])),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(&escape_body(rest));
    out.push('\'');
    out
}

/// `scope: resourceGroup(subscription, group)`, laid out like any other call.
fn resource_group_scope(subscription_id: &str, resource_group: &str) -> String {
    let head = format!("{INDENT}scope: ");
    let args = [Expr::str(subscription_id), Expr::str(resource_group)];
    format!(
        "{head}{}",
        call("resourceGroup", None, &args, 1, Some(width(&head)))
    )
}

/// `KEY: value` at the top of a resource or module body.
fn property(key: &str, value: &Expr) -> String {
    let head = format!("{INDENT}{key}: ");
    format!("{head}{}", expr(value, 1, width(&head)))
}

fn resource(r: &Resource) -> String {
    if let Some(place) = &r.existing {
        let mut lines = vec![
            format!(
                "resource {} '{}@{}' existing = {{",
                r.symbol, r.rtype, r.api_version
            ),
            property("name", &r.name),
        ];
        if let Some(parent) = &r.parent {
            lines.push(format!("{INDENT}parent: {parent}"));
        }
        match place {
            ExistingIn::ResourceGroup {
                subscription_id,
                resource_group,
            } => lines.push(resource_group_scope(subscription_id, resource_group)),
            ExistingIn::Subscription => lines.push(format!("{INDENT}scope: subscription()")),
            ExistingIn::Here => {}
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
    lines.push(property("name", &r.name));
    for (k, v) in &r.body {
        lines.push(property(k, v));
    }
    let mut implied = r.referenced();
    implied.extend(r.parent.iter().cloned());
    depends_on(&r.depends_on, &implied, &mut lines);
    lines.push("}".into());
    lines.join("\n")
}

/// `dependsOn` for the ordering Bicep cannot see: it infers dependencies from references.
fn depends_on(symbols: &[String], implied: &[String], lines: &mut Vec<String>) {
    let explicit: Vec<&String> = symbols.iter().filter(|d| !implied.contains(d)).collect();
    if !explicit.is_empty() {
        lines.push(format!("{INDENT}dependsOn: ["));
        lines.extend(explicit.iter().map(|d| format!("{INDENT}{INDENT}{d}")));
        lines.push(format!("{INDENT}]"));
    }
}

/// A module declaration in a file in folder `dir` (`""` for main, `"modules/"` for a module).
fn module_call(m: &Module, dir: &str) -> String {
    let params = Expr::Object(
        m.params
            .iter()
            .map(|(p, v)| (Expr::str(p.name.as_str()), v.clone()))
            .collect(),
    );
    let condition = m
        .condition
        .as_ref()
        .map_or_else(String::new, |c| format!("if ({}) ", flat(c)));
    // No `name`: Bicep names the deployment itself, uniquely per parent deployment
    // (`Module::deployment_name`, which the ARM output spells out).
    let path = m.file.strip_prefix(dir).unwrap_or(&m.file);
    let mut lines = vec![format!("module {} '{path}' = {condition}{{", m.symbol)];
    if let Some(g) = &m.group {
        lines.push(resource_group_scope(&g.subscription_id, &g.resource_group));
    }
    lines.push(property("params", &params));
    let mut implied = Vec::new();
    for (_, v) in &m.params {
        v.symbols(&mut implied);
    }
    depends_on(&m.depends_on, &implied, &mut lines);
    lines.push("}".into());
    lines.join("\n")
}

fn type_name(ty: ParamType) -> &'static str {
    match ty {
        ParamType::String | ParamType::SecureString => "string",
        ParamType::Int => "int",
        ParamType::Bool => "bool",
    }
}

/// Renders a main Bicep file through the layout template.
pub fn file(t: &Template) -> Result<String> {
    file_in(t, "")
}

/// Every module file, each followed by the files of the modules it deploys, with its path
/// below the Bicep folder.
pub fn module_files(modules: &[Module]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for m in modules {
        let dir = m.file.rfind('/').map_or("", |i| &m.file[..=i]);
        out.push((m.file.clone(), file_in(&m.inner_template(), dir)?));
        out.extend(module_files(&m.modules)?);
    }
    Ok(out)
}

/// One Bicep file that sits in folder `dir` of the output: the header, the parameters with
/// their decorators, then variables, resources, modules and outputs, each block after a blank
/// line.
fn file_in(t: &Template, dir: &str) -> Result<String> {
    let t = &super::bicep_existing::declare_outside_resources(t);
    let mut out = String::from(
        "// Generated by ams-private-link. Edit the values file and regenerate rather than editing here.\n",
    );
    if t.target_scope == crate::template::ir::TargetScope::ManagementGroup {
        out.push_str("targetScope = 'managementGroup'\n\n");
    }
    let _ = writeln!(out, "metadata name = {}", string_literal(&t.name));
    let _ = writeln!(
        out,
        "metadata description = {}",
        string_literal(&t.description)
    );
    for p in &t.params {
        let _ = write!(out, "\n@description({})", string_literal(&p.described()));
        if p.ty == ParamType::SecureString {
            out.push_str("\n@secure()");
        }
        if !p.allowed.is_empty() {
            out.push_str("\n@allowed([");
            for a in &p.allowed {
                let literal = match (p.ty, a.as_str()) {
                    (ParamType::Bool, "true" | "false") => a.clone(),
                    _ => string_literal(a),
                };
                let _ = write!(out, "\n  {literal}");
            }
            out.push_str("\n])");
        }
        if let Some(n) = p.min_length {
            let _ = write!(out, "\n@minLength({n})");
        }
        if let Some(n) = p.max_length {
            let _ = write!(out, "\n@maxLength({n})");
        }
        let head = format!("param {} {}", p.name, type_name(p.ty));
        match &p.default {
            Some(d) => {
                let head = format!("{head} = ");
                let _ = writeln!(out, "\n{head}{}", expr(d, 0, width(&head)));
            }
            None => {
                let _ = writeln!(out, "\n{head}");
            }
        }
    }
    for v in &t.variables {
        let head = format!("var {} = ", v.name);
        let _ = writeln!(
            out,
            "\n@description({})\n{head}{}",
            string_literal(&v.description),
            expr(&v.value, 0, width(&head))
        );
    }
    for r in &t.resources {
        if !r.comment.is_empty() {
            let _ = write!(out, "\n// {}", r.comment.replace(['\n', '\r'], " "));
        }
        let _ = writeln!(out, "\n{}", resource(r));
    }
    for m in &t.modules {
        let _ = writeln!(out, "\n// {}\n{}", m.description, module_call(m, dir));
    }
    for o in &t.outputs {
        let head = format!("output {} {} = ", o.name, type_name(o.ty));
        let _ = writeln!(
            out,
            "\n@description({})\n{head}{}",
            string_literal(&o.description),
            expr(&o.value, 0, width(&head))
        );
    }
    Ok(out)
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
            0,
        ),
        Value::Object(_) => expr(&json_to_expr(v)?, level, 0),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn guid_of(a: &str) -> Expr {
        Expr::Guid(vec![Expr::str(a), Expr::str("b")])
    }

    /// The boundaries measured with `bicep format` 0.49.2: a call that ends at column 120
    /// stays on one line, one that ends at 121 is broken, one argument per line.
    #[test]
    fn calls_break_past_column_120_as_bicep_format_does() {
        // `var v = guid('…', 'b')`: 8 columns of head, 13 of call around the first argument.
        let fits = guid_of(&"a".repeat(120 - 8 - 13));
        assert_eq!(expr(&fits, 0, 8).lines().count(), 1);
        let too_long = guid_of(&"a".repeat(121 - 8 - 13));
        assert_eq!(
            expr(&too_long, 0, 8),
            format!("guid(\n  '{}',\n  'b'\n)", "a".repeat(100))
        );
    }

    #[test]
    fn columns_are_counted_in_utf16_units() {
        // 49 emoji are 98 UTF-16 units: 8 + 13 + 98 = 119 fits; 50 (121) do not.
        assert_eq!(expr(&guid_of(&"😀".repeat(49)), 0, 8).lines().count(), 1);
        assert_eq!(expr(&guid_of(&"😀".repeat(50)), 0, 8).lines().count(), 4);
        assert_eq!(expr(&guid_of(&"é".repeat(98)), 0, 8).lines().count(), 1);
    }

    #[test]
    fn a_broken_call_lays_out_each_argument_again_and_ignores_its_comma() {
        // The inner call is 120 columns wide on its own line with the comma after it.
        let inner = Expr::ResourceId("t".into(), vec![Expr::str("x".repeat(120 - 2 - 19))]);
        let outer = Expr::Guid(vec![inner, Expr::str("y".repeat(60))]);
        let text = expr(&outer, 0, 10);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!(width(lines[1]), 121, "{text}");
        assert!(lines[1].ends_with("),"));
    }

    #[test]
    fn interpolation_is_never_broken() {
        let long = Expr::format("a-{0}", vec![guid_of(&"a".repeat(200))]);
        assert_eq!(expr(&long, 0, 8).lines().count(), 1);
    }
}
