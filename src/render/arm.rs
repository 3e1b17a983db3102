//! ARM JSON from the template IR. Built as serde values, so the output is always valid JSON
//! and every user string is escaped by construction.

use serde_json::{json, Map, Value};

use crate::template::api;
use crate::template::ir::{
    BuiltInRole, ExistingIn, Expr, Module, ParamType, Resource, TargetScope, Template,
};

pub const TEMPLATE_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
pub const MANAGEMENT_GROUP_TEMPLATE_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#";
pub const PARAMETERS_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";

/// The deployment template.
pub fn template(t: &Template) -> Value {
    let mut root = Map::new();
    let schema = match t.target_scope {
        TargetScope::ResourceGroup => TEMPLATE_SCHEMA,
        TargetScope::ManagementGroup => MANAGEMENT_GROUP_TEMPLATE_SCHEMA,
    };
    root.insert("$schema".into(), json!(schema));
    root.insert("contentVersion".into(), json!("1.0.0.0"));
    root.insert(
        "metadata".into(),
        json!({
            "_generator": {"name": "ams-private-link", "version": env!("CARGO_PKG_VERSION")},
            "name": t.name,
            "description": t.description,
        }),
    );
    let mut params = Map::new();
    for p in &t.params {
        let mut def = Map::new();
        def.insert("type".into(), json!(type_name(p.ty)));
        if let Some(default) = &p.default {
            def.insert("defaultValue".into(), value(default, t));
        }
        if !p.allowed.is_empty() {
            let allowed: Vec<Value> = p
                .allowed
                .iter()
                .map(|a| match (p.ty, a.as_str()) {
                    (ParamType::Bool, "true") => json!(true),
                    (ParamType::Bool, "false") => json!(false),
                    _ => json!(a),
                })
                .collect();
            def.insert("allowedValues".into(), Value::Array(allowed));
        }
        if let Some(n) = p.min_length {
            def.insert("minLength".into(), json!(n));
        }
        if let Some(n) = p.max_length {
            def.insert("maxLength".into(), json!(n));
        }
        def.insert("metadata".into(), json!({"description": p.described()}));
        params.insert(p.name.clone(), Value::Object(def));
    }
    root.insert("parameters".into(), Value::Object(params));
    if !t.variables.is_empty() {
        let vars: Map<String, Value> = t
            .variables
            .iter()
            .map(|v| (v.name.clone(), value(&v.value, t)))
            .collect();
        root.insert("variables".into(), Value::Object(vars));
    }
    let mut resources: Vec<Value> = t
        .resources
        .iter()
        .filter(|r| r.existing.is_none())
        .map(|r| resource(r, t))
        .collect();
    resources.extend(t.modules.iter().map(|m| module(m, t)));
    root.insert("resources".into(), Value::Array(resources));
    if !t.outputs.is_empty() {
        let mut outputs = Map::new();
        for o in &t.outputs {
            outputs.insert(
                o.name.clone(),
                json!({"type": type_name(o.ty), "value": value(&o.value, t), "metadata": {"description": o.description}}),
            );
        }
        root.insert("outputs".into(), Value::Object(outputs));
    }
    Value::Object(root)
}

/// The parameters file: every parameter that has a value to set.
pub fn parameters(t: &Template) -> Value {
    let mut params = Map::new();
    for p in &t.params {
        if let Some(v) = &p.value {
            params.insert(p.name.clone(), json!({ "value": v }));
        }
    }
    json!({
        "$schema": PARAMETERS_SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": params,
    })
}

fn type_name(ty: ParamType) -> &'static str {
    match ty {
        ParamType::String => "string",
        ParamType::SecureString => "securestring",
        ParamType::Int => "int",
        ParamType::Bool => "bool",
    }
}

fn resource(r: &Resource, t: &Template) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(r.rtype));
    out.insert("apiVersion".into(), json!(r.api_version));
    out.insert("name".into(), full_name(r, t));
    if let Some(scope) = &r.scope {
        out.insert("scope".into(), value(&Expr::id(scope), t));
    }
    for (key, v) in &r.body {
        out.insert((*key).into(), value(v, t));
    }
    if !r.comment.is_empty() {
        out.insert("comments".into(), json!(r.comment));
    }
    // A child depends on its nearest declared ancestor (an existing parent is not in the
    // template, but its own parent may be).
    let mut deps: Vec<String> = Vec::new();
    let mut ancestor = r.parent.as_ref().and_then(|p| t.resource(p));
    while let Some(a) = ancestor {
        if a.existing.is_none() {
            deps.push(a.symbol.clone());
            break;
        }
        ancestor = a.parent.as_ref().and_then(|p| t.resource(p));
    }
    deps.extend(r.depends_on.iter().cloned());
    deps.extend(r.referenced());
    let ids = dependencies(&deps, t);
    if !ids.is_empty() {
        out.insert("dependsOn".into(), Value::Array(ids));
    }
    Value::Object(out)
}

/// The ID of a module's nested deployment, for `dependsOn` (valid at every template scope).
fn module_id(symbol: &str, t: &Template) -> Option<Value> {
    let m = t.modules.iter().find(|m| m.symbol == symbol)?;
    let name = expr(&m.deployment_name(), t);
    Some(Value::String(match &m.group {
        Some(g) => format!(
            "[extensionResourceId({}, 'Microsoft.Resources/deployments', {name})]",
            quote(&format!(
                "/subscriptions/{}/resourceGroups/{}",
                g.subscription_id, g.resource_group
            )),
        ),
        None => format!("[resourceId('Microsoft.Resources/deployments', {name})]"),
    }))
}

/// `dependsOn` entries for symbols of the template: its declared resources and its modules.
fn dependencies(symbols: &[String], t: &Template) -> Vec<Value> {
    let mut out = Vec::new();
    for s in symbols {
        let id = match (t.resource(s), module_id(s, t)) {
            (Some(r), _) if r.existing.is_none() => value(&Expr::id(s), t),
            (_, Some(id)) => id,
            _ => continue,
        };
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

fn module(m: &Module, outer: &Template) -> Value {
    let inner = m.inner_template();
    let mut passed = Map::new();
    let mut deps = Vec::new();
    for (p, v) in &m.params {
        passed.insert(p.name.clone(), json!({ "value": value(v, outer) }));
        v.symbols(&mut deps);
    }
    let mut inner_json = template(&inner);
    if let Value::Object(o) = &mut inner_json {
        // A nested template carries no generator metadata of its own.
        o.remove("metadata");
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("Microsoft.Resources/deployments"));
    out.insert("apiVersion".into(), json!(api::DEPLOYMENTS));
    if let Some(c) = &m.condition {
        out.insert("condition".into(), value(c, outer));
    }
    out.insert("name".into(), value(&m.deployment_name(), outer));
    if let Some(g) = &m.group {
        out.insert("subscriptionId".into(), json!(g.subscription_id));
        out.insert("resourceGroup".into(), json!(g.resource_group));
    }
    out.insert(
        "properties".into(),
        json!({
            "expressionEvaluationOptions": {"scope": "inner"},
            "mode": "Incremental",
            "parameters": passed,
            "template": inner_json,
        }),
    );
    deps.extend(m.depends_on.iter().cloned());
    let ids = dependencies(&deps, outer);
    if !ids.is_empty() {
        out.insert("dependsOn".into(), Value::Array(ids));
    }
    Value::Object(out)
}

/// Name segments from the top-level ancestor down to `r`.
fn name_chain<'a>(r: &'a Resource, t: &'a Template) -> Vec<&'a Expr> {
    let mut chain = vec![&r.name];
    let mut current = r;
    while let Some(parent) = current.parent.as_ref().and_then(|p| t.resource(p)) {
        chain.insert(0, &parent.name);
        current = parent;
    }
    chain
}

fn full_name(r: &Resource, t: &Template) -> Value {
    let chain = name_chain(r, t);
    if chain.len() == 1 {
        return value(chain[0], t);
    }
    let placeholders: Vec<String> = (0..chain.len()).map(|i| format!("{{{i}}}")).collect();
    value(
        &Expr::format(placeholders.join("/"), chain.into_iter().cloned().collect()),
        t,
    )
}

/// A JSON value: literals stay literals, anything evaluated becomes a `[...]` expression.
pub fn value(e: &Expr, t: &Template) -> Value {
    match e {
        Expr::Str(s) => Value::String(escape_literal(s)),
        Expr::Int(i) => json!(i),
        Expr::Bool(b) => json!(b),
        Expr::Array(items) => Value::Array(items.iter().map(|i| value(i, t)).collect()),
        Expr::Object(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                let key = match value(k, t) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                map.insert(key, value(v, t));
            }
            Value::Object(map)
        }
        Expr::Format(f, args) if args.is_empty() => Value::String(escape_literal(f)),
        other => Value::String(format!("[{}]", expr(other, t))),
    }
}

/// ARM reads a string that starts with `[` and ends with `]` as an expression; doubling the
/// opening bracket keeps user text literal.
fn escape_literal(s: &str) -> String {
    if s.starts_with('[') && s.ends_with(']') {
        format!("[{s}")
    } else {
        s.to_owned()
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn call(name: &str, args: &[Expr], t: &Template) -> String {
    let args: Vec<String> = args.iter().map(|a| expr(a, t)).collect();
    format!("{name}({})", args.join(", "))
}

/// The ID of a resource declared in `t`.
fn id_of(symbol: &str, t: &Template) -> String {
    let Some(r) = t.resource(symbol) else {
        // Only module outputs would land here; the IR builder never references them.
        return format!("resourceId('unknown', {})", quote(symbol));
    };
    if let Some(scope) = &r.scope {
        return format!(
            "extensionResourceId({}, {}, {})",
            id_of(scope, t),
            quote(r.rtype),
            expr(&r.name, t)
        );
    }
    let mut args = Vec::new();
    let mut function = "resourceId";
    match &r.existing {
        Some(ExistingIn::ResourceGroup {
            subscription_id,
            resource_group,
        }) => {
            args.push(quote(subscription_id));
            args.push(quote(resource_group));
        }
        Some(ExistingIn::Subscription) => function = "subscriptionResourceId",
        // At management-group scope a resource of the template is an extension of the
        // management group, which is how Bicep spells its ID there too.
        Some(ExistingIn::Here) | None if t.target_scope == TargetScope::ManagementGroup => {
            function = "extensionResourceId";
            args.push("managementGroup().id".to_owned());
        }
        Some(ExistingIn::Here) | None => {}
    }
    args.push(quote(r.rtype));
    args.extend(name_chain(r, t).into_iter().map(|n| expr(n, t)));
    format!("{function}({})", args.join(", "))
}

/// Expression text (without the surrounding brackets).
pub fn expr(e: &Expr, t: &Template) -> String {
    match e {
        Expr::Str(s) => quote(s),
        Expr::Int(i) => i.to_string(),
        Expr::Bool(true) => "true()".into(),
        Expr::Bool(false) => "false()".into(),
        Expr::Array(items) => call("createArray", items, t),
        Expr::Object(entries) => {
            let flat: Vec<Expr> = entries
                .iter()
                .flat_map(|(k, v)| [k.clone(), v.clone()])
                .collect();
            call("createObject", &flat, t)
        }
        Expr::Param(name) => format!("parameters({})", quote(name)),
        Expr::Format(f, args) if args.is_empty() => quote(f),
        Expr::Format(f, args) => {
            let mut all = vec![Expr::Str(f.clone())];
            all.extend(args.iter().cloned());
            call("format", &all, t)
        }
        Expr::Id(symbol) => id_of(symbol, t),
        Expr::Reference { symbol, path, full } => {
            let api = t.resource(symbol).map_or("", |r| r.api_version);
            let mut out = if *full {
                format!("reference({}, {}, 'full')", id_of(symbol, t), quote(api))
            } else {
                format!("reference({}, {})", id_of(symbol, t), quote(api))
            };
            for p in path {
                out.push('.');
                out.push_str(p);
            }
            out
        }
        Expr::Environment(path) => format!("environment().{}", path.join(".")),
        Expr::Guid(args) => call("guid", args, t),
        Expr::RoleDefinition(role) => call(
            "subscriptionResourceId",
            &[Expr::str(BuiltInRole::DEFINITION_TYPE), Expr::str(role.id)],
            t,
        ),
        Expr::ResourceId(ty, args) => {
            let mut all = vec![Expr::str(ty.as_str())];
            all.extend(args.iter().cloned());
            call("resourceId", &all, t)
        }
        Expr::ScopedResourceId {
            subscription_id,
            resource_group,
            rtype,
            names,
        } => call(
            "resourceId",
            &Expr::scoped_id_args(subscription_id, resource_group, rtype, names),
            t,
        ),
        Expr::ExtensionResourceId {
            scope,
            rtype,
            names,
        } => {
            let args = Expr::extension_id_args(scope, rtype, names);
            call("extensionResourceId", &args, t)
        }
        Expr::ResourceGroupLocation => "resourceGroup().location".into(),
        Expr::TenantId => "subscription().tenantId".into(),
        Expr::EmptyList => "createArray()".into(),
        Expr::Var(name) => format!("variables({})", quote(name)),
        Expr::UniqueString(args) => call("uniqueString", args, t),
        Expr::DeploymentName => "deployment().name".into(),
        Expr::DeploymentLocation => "deployment().location".into(),
        Expr::If(c, a, b) => format!("if({}, {}, {})", expr(c, t), expr(a, t), expr(b, t)),
        Expr::Call(name, args) => call(name, args, t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_that_looks_like_an_expression_stays_literal() {
        let t = Template::default();
        assert_eq!(
            value(&Expr::str("[concat('a')]"), &t),
            json!("[[concat('a')]")
        );
        assert_eq!(value(&Expr::str("[partial"), &t), json!("[partial"));
        assert_eq!(expr(&Expr::str("it's"), &t), "'it''s'");
    }

    #[test]
    fn formats_with_only_literals_stay_literals() {
        let t = Template::default();
        assert_eq!(value(&Expr::format("plain", vec![]), &t), json!("plain"));
        assert_eq!(
            value(&Expr::format("pe-{0}", vec![Expr::param("n")]), &t),
            json!("[format('pe-{0}', parameters('n'))]")
        );
    }
}
