//! The embedded JSON Schema of the values file: defaults, validation, and messages that say
//! where the problem is and how to fix it.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{Map, Value};

use crate::diagnostic::{rules, Origin, Problem, Rule};
use crate::values::{self, RawValues};

pub const SCHEMA_TEXT: &str = include_str!("../schemas/values.schema.json");

pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    // The schema is a compile-time constant covered by tests; failing to parse it is a build
    // defect, not a runtime condition.
    #[allow(clippy::expect_used)]
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).expect("embedded schema is valid JSON"))
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    #[allow(clippy::expect_used)]
    VALIDATOR.get_or_init(|| {
        jsonschema::draft202012::new(schema()).expect("embedded schema compiles (tested)")
    })
}

/// Fills in every `default` the schema declares for keys the input left out, so the model,
/// the answers file and the schema agree on one set of defaults.
pub fn apply_defaults(value: &mut Value) {
    fill(value, schema());
}

fn fill(value: &mut Value, node: &Value) {
    let node = resolve(node);
    if let (Value::Object(map), Some(Value::Object(props))) = (&mut *value, node.get("properties"))
    {
        for (key, sub) in props {
            if !map.contains_key(key) {
                if let Some(default) = default_of(sub) {
                    map.insert(key.clone(), default.clone());
                }
            }
            if let Some(child) = map.get_mut(key) {
                fill(child, sub);
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (&mut *value, node.get("items")) {
        for item in items {
            fill(item, item_schema);
        }
    }
}

fn default_of(node: &Value) -> Option<&Value> {
    node.get("default").or_else(|| resolve(node).get("default"))
}

/// Follows a local `$ref` (`#/$defs/x`) to its target.
fn resolve(node: &Value) -> &Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| schema().pointer(p))
            .unwrap_or(node),
        None => node,
    }
}

/// The subschema an error's schema path leads to, following `$ref`s on the way.
fn node_at(schema_path: &str) -> Option<&'static Value> {
    let mut node = schema();
    for segment in schema_path.split('/').skip(1) {
        if segment == "$ref" {
            node = resolve(node);
            continue;
        }
        let segment = segment.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Object(m) => m.get(&segment)?,
            Value::Array(a) => a.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The schema node describing the value at an instance pointer (properties/items only).
/// For a resource-ID pattern (`^/subscriptions/...`), the first path segment of `got` that
/// differs from the pattern's literal one: its byte index, its text and the expected text.
fn wrong_segment(pattern: &str, got: &str) -> Option<(usize, String, String)> {
    let literal = pattern.strip_prefix("^/subscriptions/")?;
    let expected: Vec<&str> = literal.trim_end_matches('$').split('/').collect();
    let actual = got.strip_prefix('/')?;
    let mut at = 1;
    for (i, part) in actual.split('/').enumerate() {
        let want = if i == 0 {
            Some("subscriptions")
        } else {
            expected.get(i - 1).copied()
        };
        if let Some(want) = want {
            let plain = want.replace("\\.", ".");
            let is_literal = plain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
            if is_literal && part != plain {
                return Some((at, part.to_owned(), plain));
            }
        }
        at += part.len() + 1;
    }
    None
}

/// Moves a problem's span onto bytes `at..at + len` of its value (a quoted value starts one
/// byte later). Only for values on one line, where columns are bytes.
fn point_into_value(problem: &mut Problem, at: usize, len: usize) {
    let quoted = match (&problem.origin, &problem.source) {
        (Some(Origin::File { offset, .. }), Some(source)) => source
            .as_str()
            .get(*offset..)
            .is_some_and(|rest| rest.starts_with(['"', '\''])),
        _ => return,
    };
    if let Some(Origin::File {
        column,
        offset,
        len: span,
        ..
    }) = &mut problem.origin
    {
        let shift = at + usize::from(quoted);
        *offset += shift;
        *column += shift as u64;
        *span = len.max(1);
    }
}

/// An example value for the key, written as YAML would: the schema's first example, or for
/// a list of allowed words, the first of them.
fn example_of(pointer: &str) -> Option<String> {
    let node = node_for_pointer(pointer)?;
    let example = node
        .get("examples")
        .and_then(|e| e.get(0))
        .cloned()
        .or_else(|| {
            let first = resolve(node.get("items")?).get("enum")?.get(0)?.clone();
            Some(Value::Array(vec![first]))
        })?;
    fn flow(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Array(items) => format!(
                "[{}]",
                items.iter().map(flow).collect::<Vec<_>>().join(", ")
            ),
            Value::Object(map) => format!(
                "{{{}}}",
                map.iter()
                    .map(|(k, v)| format!("{k}: {}", flow(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            other => other.to_string(),
        }
    }
    Some(flow(&example))
}

/// The value as it was most likely meant, when that form is valid: names and regions are
/// lowercase without spaces (`TailspinMediaStore` → `tailspinmediastore`, `West Europe` →
/// `westeurope`).
fn repaired_text(pointer: &str, got: &str) -> Option<String> {
    let fixed: String = got
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    if fixed == got || fixed.is_empty() {
        return None;
    }
    let node = node_for_pointer(pointer)?;
    let validator = jsonschema::draft202012::new(node).ok()?;
    validator
        .is_valid(&Value::String(fixed.clone()))
        .then_some(fixed)
}

pub fn node_for_pointer(pointer: &str) -> Option<&'static Value> {
    let mut node = schema();
    for segment in pointer.split('/').skip(1) {
        node = resolve(node);
        node = match (node.get("properties"), node.get("items")) {
            (Some(props), _) if props.get(segment).is_some() => props.get(segment)?,
            (_, Some(items)) if segment.parse::<usize>().is_ok() => items,
            // Free-form maps (tags): every value follows `additionalProperties`.
            _ => match node.get("additionalProperties") {
                Some(extra) if extra.is_object() => extra,
                _ => return None,
            },
        };
    }
    Some(resolve(node))
}

/// What a problem is about: wrong or missing. Missing values get their own exit code when
/// there is no terminal to ask for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invalid,
    Missing,
}

/// One schema violation, and how to set it aside so the semantic rules can still look at
/// the rest of the input (all problems are reported in one run).
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: Kind,
    pub pointer: String,
    pub problem: Problem,
    pub repair: Repair,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// Drop the key at this pointer (an unknown key).
    Remove,
    /// Put the schema default in place of the bad value.
    Default,
    /// Put the schema's first example in place of the bad value (fields with no default).
    Example,
    /// Nothing sensible; the rules are skipped.
    None,
}

/// Applies every finding's repair to a copy of the input; `None` if any cannot be repaired.
pub fn repaired(value: &Value, findings: &[Finding]) -> Option<Value> {
    let mut out = value.clone();
    for f in findings {
        let (parent, key) = f.pointer.rsplit_once('/')?;
        let key = key.replace("~1", "/").replace("~0", "~");
        match f.repair {
            Repair::Remove => {
                out.pointer_mut(parent)?.as_object_mut()?.remove(&key);
            }
            Repair::Default | Repair::Example => {
                let node = node_for_pointer(&f.pointer)?;
                let stand_in = match f.repair {
                    Repair::Default => node.get("default")?,
                    _ => node.get("examples")?.get(0)?,
                };
                *out.pointer_mut(&f.pointer)? = stand_in.clone();
            }
            Repair::None => return None,
        }
    }
    Some(out)
}

fn finding(kind: Kind, pointer: &str, problem: Problem) -> Finding {
    let node = node_for_pointer(pointer);
    let has = |key: &str| node.is_some_and(|n| n.get(key).is_some());
    let repair = match kind {
        Kind::Invalid if has("default") => Repair::Default,
        Kind::Invalid if has("examples") => Repair::Example,
        _ => Repair::None,
    };
    Finding {
        kind,
        pointer: pointer.to_owned(),
        problem,
        repair,
    }
}

/// A `--set` value is read as YAML, so `--set storage.name=123456` arrives as a number (and
/// `=true` as a boolean); where the schema wants text it is the text that was typed.
pub fn set_values_as_text(raw: &mut RawValues) {
    let mut scalars = Vec::new();
    non_text_scalars(&raw.value, String::new(), &mut scalars);
    for pointer in scalars {
        let Some(Origin::SetArg { index, arg }) = raw.spans.value_origin(&pointer).cloned() else {
            continue;
        };
        let wants_text = node_for_pointer(&pointer)
            .and_then(|n| n.get("type"))
            .is_some_and(|t| t == "string");
        if !wants_text {
            continue;
        }
        // The argument's own text when it sets this very key, else the value as written.
        let own = crate::values::set::parse(index, &arg)
            .ok()
            .filter(|o| crate::values::set::pointer_of(&o.path) == pointer)
            .and_then(|_| arg.split_once('=').map(|(_, v)| v.trim().to_owned()));
        if let Some(v) = raw.value.pointer_mut(&pointer) {
            let text = own.unwrap_or_else(|| v.to_string());
            *v = Value::String(text);
        }
    }
}

/// Pointers of the numbers and booleans in `v`.
fn non_text_scalars(v: &Value, pointer: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                non_text_scalars(child, format!("{pointer}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                non_text_scalars(child, format!("{pointer}/{i}"), out);
            }
        }
        Value::Number(_) | Value::Bool(_) => out.push(pointer),
        Value::String(_) | Value::Null => {}
    }
}

/// Validates against the schema and returns every violation, in file order.
pub fn validate(raw: &RawValues) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    for error in validator().iter_errors(&raw.value) {
        let pointer = error.instance_path().as_str().to_owned();
        let schema_path = error.schema_path().as_str().to_owned();
        let keyword_parent = schema_path
            .rsplit_once('/')
            .map(|(p, _)| p.to_owned())
            .unwrap_or_default();
        let node = node_at(&keyword_parent);
        let hint = node
            .and_then(|n| n.get("x-hint").or_else(|| resolve(n).get("x-hint")))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let instance = error.instance().clone().into_owned();
        let before = found.len();
        let rule = rule_of(error.kind());
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed: Vec<String> = node
                    .and_then(|n| n.get("properties"))
                    .and_then(Value::as_object)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                for key in unexpected {
                    let child = format!("{pointer}/{}", values::yaml::escape_pointer(key));
                    let mut hint = match did_you_mean(key, &allowed) {
                        Some(s) => format!("did you mean `{s}`? "),
                        None => String::new(),
                    };
                    hint.push_str(&format!("keys allowed here: {}", allowed.join(", ")));
                    found.push(Finding {
                        kind: Kind::Invalid,
                        problem: raw
                            .key_problem(&child, format!("unknown key `{key}`"))
                            .hint(hint),
                        pointer: child,
                        repair: Repair::Remove,
                    });
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let child = format!("{pointer}/{}", values::yaml::escape_pointer(name));
                // A missing object is reported as the values inside it that are required,
                // so one message names every key to supply.
                for leaf in required_leaves(&child) {
                    found.push(finding(Kind::Missing, &leaf, missing_problem(raw, &leaf)));
                }
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => article(&t.to_string()),
                    TypeKind::Multiple(ts) => ts
                        .into_iter()
                        .map(|t| article(&t.to_string()))
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                let yaml_bool = matches!(instance.as_str(), Some(s) if is_yaml11_bool(s));
                let hint = if yaml_bool {
                    "YAML 1.2 booleans are only true and false; yes/no/on/off are text".to_owned()
                } else {
                    hint.unwrap_or_else(|| match example_of(&pointer) {
                        Some(e) => format!("write {expected} here, e.g. {e}"),
                        None => format!("write {expected} here"),
                    })
                };
                found.push(finding(
                    Kind::Invalid,
                    &pointer,
                    raw.problem(
                        &pointer,
                        format!("expected {expected}, found {}", found_text(&instance)),
                    )
                    .hint(hint),
                ));
            }
            ValidationErrorKind::Enum { options } => {
                let choices: Vec<String> = options
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|v| v.as_str().map_or(v.to_string(), str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                let got = instance
                    .as_str()
                    .map_or(instance.to_string(), str::to_owned);
                let mut hint = match did_you_mean(&got, &choices) {
                    Some(s) => format!("did you mean `{s}`? "),
                    None => String::new(),
                };
                hint.push_str(&format!("use one of: {}", choices.join(", ")));
                found.push(finding(
                    Kind::Invalid,
                    &pointer,
                    raw.problem(&pointer, format!("`{got}` is not an allowed value"))
                        .hint(hint),
                ));
            }
            ValidationErrorKind::Pattern { .. } => {
                let got = instance.as_str().unwrap_or_default();
                let hint = hint.unwrap_or_else(|| {
                    "see `ams-private-link schema` for the expected format".into()
                });
                let hint = match repaired_text(&pointer, got) {
                    Some(fixed) => format!("did you mean `{fixed}`? {hint}"),
                    None => hint,
                };
                let mut problem = raw
                    .problem(&pointer, format!("`{got}` is not a valid value here"))
                    .hint(hint);
                // A resource ID with one wrong segment: say which, and point at it.
                let pattern = node_for_pointer(&pointer)
                    .and_then(|n| n.get("pattern"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if let Some((at, actual, expected)) = wrong_segment(pattern, got) {
                    problem.message = format!(
                        "`{got}` is not a valid value here: `{actual}` should be `{expected}`"
                    );
                    point_into_value(&mut problem, at, actual.len());
                }
                found.push(finding(Kind::Invalid, &pointer, problem));
            }
            ValidationErrorKind::UniqueItems => found.push(finding(
                Kind::Invalid,
                &pointer,
                raw.problem(&pointer, "the list has the same entry twice")
                    .hint("remove the repeated entry"),
            )),
            ValidationErrorKind::PropertyNames { error: inner } => {
                // Points at the offending key itself; the hint lists what is allowed.
                let key = inner.instance().as_str().unwrap_or_default().to_owned();
                let child = format!("{pointer}/{}", values::yaml::escape_pointer(&key));
                let mut p = raw.key_problem(&child, format!("`{key}` is not an allowed name here"));
                p.key = values::display_path(&pointer);
                p.hint = node_for_pointer(&pointer)
                    .and_then(|n| n.get("x-hint"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                found.push(Finding {
                    kind: Kind::Invalid,
                    pointer: child,
                    problem: p,
                    repair: Repair::Remove,
                });
            }
            kind @ (ValidationErrorKind::MaxItems { .. }
            | ValidationErrorKind::MinItems { .. }
            | ValidationErrorKind::MaxLength { .. }
            | ValidationErrorKind::MinLength { .. }
            | ValidationErrorKind::Maximum { .. }
            | ValidationErrorKind::Minimum { .. }
            | ValidationErrorKind::MaxProperties { .. }) => {
                let message = match kind {
                    ValidationErrorKind::MaxItems { limit } => format!(
                        "has {} items; at most {limit} are allowed",
                        instance.as_array().map_or(0, Vec::len)
                    ),
                    ValidationErrorKind::MinItems { limit } => {
                        format!("needs at least {limit} item(s)")
                    }
                    ValidationErrorKind::MaxLength { limit } => format!(
                        "is {} characters long; at most {limit} are allowed",
                        instance.as_str().map_or(0, |s| s.chars().count())
                    ),
                    ValidationErrorKind::MinLength { limit } => {
                        format!("needs at least {limit} character(s)")
                    }
                    ValidationErrorKind::Maximum { limit } => {
                        format!("{instance} is above the maximum of {limit}")
                    }
                    ValidationErrorKind::Minimum { limit } => {
                        format!("{instance} is below the minimum of {limit}")
                    }
                    ValidationErrorKind::MaxProperties { limit } => format!(
                        "has {} entries; at most {limit} are allowed",
                        instance.as_object().map_or(0, Map::len)
                    ),
                    _ => error.to_string(),
                };
                let mut p = raw.problem(&pointer, message);
                p.hint = hint.or_else(|| {
                    node.and_then(|n| n.get("description"))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                });
                found.push(finding(Kind::Invalid, &pointer, p));
            }
            _ => {
                let mut p = raw.problem(&pointer, error.to_string());
                let limits = hint.or_else(|| {
                    node.and_then(|n| n.get("description"))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                });
                p.hint = limits;
                found.push(finding(Kind::Invalid, &pointer, p));
            }
        }
        for f in &mut found[before..] {
            f.problem.rule = rule;
        }
    }
    found.sort_by_key(|f| f.problem.sort_key());
    found
}

/// The kind of schema violation, as a finding's rule.
fn rule_of(kind: &ValidationErrorKind) -> &'static Rule {
    match kind {
        ValidationErrorKind::AdditionalProperties { .. } => &rules::UNKNOWN_KEY,
        ValidationErrorKind::Required { .. } => &rules::REQUIRED,
        ValidationErrorKind::Type { .. } => &rules::TYPE,
        ValidationErrorKind::Enum { .. } => &rules::ALLOWED,
        ValidationErrorKind::Pattern { .. } | ValidationErrorKind::PropertyNames { .. } => {
            &rules::PATTERN
        }
        ValidationErrorKind::UniqueItems => &rules::DUPLICATE,
        ValidationErrorKind::MaxItems { .. }
        | ValidationErrorKind::MinItems { .. }
        | ValidationErrorKind::MaxLength { .. }
        | ValidationErrorKind::MinLength { .. }
        | ValidationErrorKind::Maximum { .. }
        | ValidationErrorKind::Minimum { .. }
        | ValidationErrorKind::MaxProperties { .. } => &rules::RANGE,
        _ => &rules::SCHEMA,
    }
}

/// The required values under `pointer`, down to the first non-object.
fn required_leaves(pointer: &str) -> Vec<String> {
    let Some(node) = node_for_pointer(pointer) else {
        return vec![pointer.to_owned()];
    };
    match node.get("required").and_then(Value::as_array) {
        Some(required) if node.get("type").and_then(Value::as_str) == Some("object") => required
            .iter()
            .filter_map(Value::as_str)
            .flat_map(|r| {
                required_leaves(&format!("{pointer}/{}", values::yaml::escape_pointer(r)))
            })
            .collect(),
        _ => vec![pointer.to_owned()],
    }
}

fn missing_problem(raw: &RawValues, pointer: &str) -> Problem {
    let node = node_for_pointer(pointer);
    let about = node
        .and_then(|n| n.get("description"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let expected = node.map(constraints).unwrap_or_default();
    let dotted = values::display_path(pointer);
    let example = node
        .and_then(|n| n.get("examples"))
        .and_then(|e| e.get(0))
        .map(|e| match e {
            Value::String(s) => s.clone(),
            other => format!("'{other}'"),
        })
        .unwrap_or_else(|| "<value>".into());
    let message = format!("required value missing: {expected}. {about}")
        .trim_end()
        .to_owned();
    let mut problem = match next_present_sibling(raw, pointer) {
        // Where the key belongs: before the next key that is there, in the schema's order.
        Some(sibling) => {
            let mut p = raw.key_problem(&sibling, message);
            p.key = dotted.clone();
            p
        }
        None => raw.problem(pointer, message),
    };
    problem.hint = Some(format!(
        "add `{dotted}` to the values file, or pass --set {dotted}={example}"
    ));
    problem
}

/// For a missing key, the first key after it (in the schema's order) that the file has in the
/// same object as its nearest present ancestor: the missing key goes just before it.
fn next_present_sibling(raw: &RawValues, pointer: &str) -> Option<String> {
    let mut missing = pointer;
    let (parent, child) = loop {
        let (parent, child) = missing.rsplit_once('/')?;
        if raw.value.pointer(parent).is_some() {
            break (parent, child);
        }
        missing = parent;
    };
    let present = raw.value.pointer(parent)?.as_object()?;
    let properties = node_for_pointer(parent)?.get("properties")?.as_object()?;
    properties
        .keys()
        .skip_while(|k| k.as_str() != child)
        .skip(1)
        .find(|k| present.contains_key(k.as_str()))
        .map(|k| format!("{parent}/{}", values::yaml::escape_pointer(k)))
}

/// Type and limits of a schema node, in words.
pub fn constraints(node: &Value) -> String {
    let mut parts = Vec::new();
    match node.get("type").and_then(Value::as_str) {
        Some("array") => {
            let min = node.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            parts.push(if min > 0 {
                format!("a list of at least {min} item(s)")
            } else {
                "a list".into()
            });
        }
        Some(t) => parts.push(article(t)),
        None if node.get("enum").is_some() => {}
        None => parts.push("a value".into()),
    }
    if let Some(options) = node.get("enum").and_then(Value::as_array) {
        let names: Vec<String> = options
            .iter()
            .map(|o| o.as_str().map_or(o.to_string(), str::to_owned))
            .collect();
        parts.push(format!("one of {}", names.join(", ")));
    }
    if let Some(p) = node.get("pattern").and_then(Value::as_str) {
        parts.push(format!("matching {p}"));
    }
    if let (Some(lo), Some(hi)) = (node.get("minimum"), node.get("maximum")) {
        parts.push(format!("from {lo} to {hi}"));
    }
    if let Some(n) = node.get("maxLength") {
        parts.push(format!("at most {n} characters"));
    }
    parts.join(", ")
}

/// What was found, with the value when it is short enough to quote.
fn found_text(v: &Value) -> String {
    match v {
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::String(s) if s.chars().count() <= 40 => format!("the text `{s}`"),
        other => values::kind_of(other).to_owned(),
    }
}

fn article(t: &str) -> String {
    match t {
        "object" => "a mapping".into(),
        "array" => "a list".into(),
        "integer" => "a whole number".into(),
        "null" => "nothing".into(),
        other => format!("a {other}"),
    }
}

fn is_yaml11_bool(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

/// The closest candidate, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(input: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&input.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.as_str())
}

/// Checks one answer against the schema node for `pointer` (e.g. a wizard prompt), with the
/// same words the file validation uses. Only leaf nodes are checked this way.
pub fn check_value(pointer: &str, value: &Value) -> Result<(), String> {
    let Some(node) = node_for_pointer(pointer) else {
        return Ok(());
    };
    let Ok(validator) = jsonschema::draft202012::new(node) else {
        return Ok(());
    };
    let Some(error) = validator.iter_errors(value).next() else {
        return Ok(());
    };
    let hint = node.get("x-hint").and_then(Value::as_str);
    Err(match (error.kind(), hint) {
        (ValidationErrorKind::Pattern { .. }, Some(h)) => h.to_owned(),
        (ValidationErrorKind::Enum { options }, _) => format!(
            "use one of: {}",
            options
                .as_array()
                .map(|a| a
                    .iter()
                    .map(|o| o.as_str().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default()
        ),
        _ => match hint {
            Some(h) => format!("{error}; {h}"),
            None => format!("{error}; expected {}", constraints(node)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schema path is a JSON pointer into the schema, through lists as well as objects.
    #[test]
    fn a_schema_path_leads_through_objects_and_lists() {
        let sku = node_at("/properties/storage/properties/sku").expect("sku");
        assert!(sku.get("enum").is_some());
        assert_eq!(
            node_at("/properties/storage/properties/sku/enum/1"),
            Some(&Value::from("Standard_ZRS"))
        );
        assert_eq!(node_at("/properties/storage/properties/sku/enum/99"), None);
        assert_eq!(node_at("/properties/storage/properties/nothing"), None);
    }

    /// Backs the `expect`s above: the embedded schema parses and compiles.
    #[test]
    fn embedded_schema_compiles_and_its_defaults_and_examples_are_valid() {
        let _ = validator();
        let mut checked = 0;
        let mut stack = vec![(String::new(), schema())];
        while let Some((path, node)) = stack.pop() {
            if let Value::Object(map) = node {
                if map.contains_key("type") || map.contains_key("enum") {
                    let v = jsonschema::draft202012::new(node);
                    if let Ok(v) = v {
                        for sample in map.get("default").into_iter().chain(
                            map.get("examples")
                                .and_then(Value::as_array)
                                .into_iter()
                                .flatten(),
                        ) {
                            assert!(
                                v.is_valid(sample),
                                "{path}: {sample} does not satisfy its own schema"
                            );
                            checked += 1;
                        }
                    }
                }
                for (k, child) in map {
                    stack.push((format!("{path}/{k}"), child));
                }
            }
        }
        assert!(checked > 20, "only {checked} defaults/examples checked");
    }
}
