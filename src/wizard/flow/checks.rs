//! Answer checks built from the schema and the model's own parsing: no second copy of a rule.

use super::*;

pub(super) fn schema_check(pointer: &str) -> Check {
    let pointer = pointer.to_owned();
    Arc::new(move |s: &str| schema::check_value(&pointer, &Value::String(s.to_owned())))
}

pub(super) fn int_check(pointer: &str) -> Check {
    let pointer = pointer.to_owned();
    Arc::new(move |s: &str| {
        let n: i64 = s
            .trim()
            .parse()
            .map_err(|_| "enter a whole number".to_owned())?;
        schema::check_value(&pointer, &json!(n))
    })
}

pub(super) fn optional(check: Check) -> Check {
    Arc::new(move |s: &str| {
        if s.trim().is_empty() {
            Ok(())
        } else {
            check(s)
        }
    })
}

pub(super) fn all_of(checks: Vec<Check>) -> Check {
    Arc::new(move |s: &str| checks.iter().try_for_each(|c| c(s)))
}

/// Entries of a typed list: commas or spaces between them.
pub(super) fn split_list(s: &str) -> Vec<String> {
    s.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(super) fn join_list(v: Option<&Value>) -> String {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

pub(super) fn allowlist_check() -> Check {
    Arc::new(|s: &str| {
        split_list(s).iter().try_for_each(|e| {
            net::parse_net(e)
                .map(|_| ())
                .map_err(|(m, h)| format!("{m}; {h}"))
        })
    })
}

pub(super) fn storage_rules_check() -> Check {
    Arc::new(|s: &str| {
        split_list(s).iter().try_for_each(|e| {
            net::parse_storage_rule(e)
                .map(|_| ())
                .map_err(|(m, h)| format!("{m}; {h}"))
        })
    })
}

/// A model refusal as the prompt shows it: the message, then the fix.
pub(super) fn refused(check: Result<(), fields::Refusal>) -> Result<(), String> {
    check.map_err(|(message, hint)| format!("{message}; {hint}"))
}

pub(super) fn unique_check(taken: Vec<String>, what: &'static str) -> Check {
    Arc::new(move |s: &str| {
        if taken.iter().any(|t| fields::same_name(t, s)) {
            Err(format!("there is already a {what} named `{}`", s.trim()))
        } else {
            Ok(())
        }
    })
}

/// A subnet resource ID that the model can split into its parts (schema shape plus the model's
/// own parser), the same test `network.vnets` and Resource Manager private link both need.
pub(super) fn subnet_id_check(pointer: &str) -> Check {
    all_of(vec![
        schema_check(pointer),
        Arc::new(|s: &str| {
            net::ExistingSubnet::parse(s.trim(), None)
                .map(|_| ())
                .ok_or_else(|| "not a subnet resource ID".to_owned())
        }),
    ])
}
