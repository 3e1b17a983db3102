//! Small helpers around the prompter that read defaults from and write answers to the state.
//! A question about one value is addressed once, by its JSON pointer; its key for scripts and
//! messages is derived from it.

use super::*;

/// What a question about the value at a pointer says.
pub(super) struct Ask<'a> {
    pub message: &'a str,
    pub help: &'a str,
}

/// `/mediaServices/liveEvents/0/encodingType` → `mediaServices.liveEvents[].encodingType`: the
/// key of the question, the same for every entry of a list.
pub(super) fn key_of(pointer: &str) -> String {
    let mut key = String::new();
    for segment in pointer.split('/').skip(1) {
        if segment.parse::<usize>().is_ok() {
            key.push_str("[]");
        } else {
            if !key.is_empty() {
                key.push('.');
            }
            key.push_str(segment);
        }
    }
    key
}

fn question<'a>(key: &'a str, ask: &Ask<'a>) -> Question<'a> {
    Question {
        key,
        message: ask.message,
        help: ask.help,
    }
}

pub(super) fn text(
    p: &mut dyn Prompter,
    st: &mut State,
    pointer: &str,
    ask: Ask,
    default: Option<String>,
    check: Check,
    change: bool,
) -> Result<()> {
    if !change && st.is_given(pointer) {
        return Ok(());
    }
    let default = st.get_str(pointer).or(default);
    let key = key_of(pointer);
    let answer = p.text(&question(&key, &ask), default.as_deref(), check)?;
    let answer = answer.trim();
    if answer.is_empty() {
        st.remove(pointer);
    } else {
        st.put(pointer, json!(answer));
    }
    Ok(())
}

pub(super) fn choice(
    p: &mut dyn Prompter,
    st: &mut State,
    pointer: &str,
    ask: Ask,
    options: &[(&str, &str)],
    change: bool,
) -> Result<()> {
    if !change && st.is_given(pointer) {
        return Ok(());
    }
    let current = st.get_str(pointer);
    let default = options
        .iter()
        .position(|(v, _)| Some(*v) == current.as_deref())
        .unwrap_or(0);
    let labels: Vec<String> = options
        .iter()
        .map(|(v, about)| {
            if about.is_empty() {
                (*v).to_owned()
            } else {
                format!("{v} — {about}")
            }
        })
        .collect();
    let key = key_of(pointer);
    let i = p.select(&question(&key, &ask), &labels, default)?;
    st.put(pointer, json!(picked(options, i)?.0));
    Ok(())
}

pub(super) fn list(
    p: &mut dyn Prompter,
    st: &mut State,
    pointer: &str,
    ask: Ask,
    check: Check,
    change: bool,
) -> Result<()> {
    if !change && st.is_given(pointer) {
        return Ok(());
    }
    let default = join_list(st.get(pointer));
    let key = key_of(pointer);
    let answer = p.text(&question(&key, &ask), Some(&default), check)?;
    st.put(pointer, json!(split_list(&answer)));
    Ok(())
}

/// A multi-select over `options` with `current` ticked; returns the chosen labels.
pub(super) fn pick_many(
    p: &mut dyn Prompter,
    q: &Question,
    options: &[String],
    current: &[String],
) -> Result<Vec<String>> {
    let defaults: Vec<usize> = options
        .iter()
        .enumerate()
        .filter(|(_, o)| current.contains(o))
        .map(|(i, _)| i)
        .collect();
    let chosen = p.multi_select(q, options, &defaults)?;
    Ok(chosen
        .iter()
        .filter_map(|i| options.get(*i).cloned())
        .collect())
}

pub(super) fn enum_options(pointer: &str) -> Vec<String> {
    schema::node_for_pointer(pointer)
        .and_then(|n| {
            n.get("enum")
                .or_else(|| n.get("items").and_then(|i| i.get("enum")))
        })
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The names already used in a list (for uniqueness checks on a new entry).
/// The key of a `network.vnets` entry as names are derived from it: a new VNet's name or an
/// existing subnet's VNet; with whether the VNet is new.
pub(super) fn vnet_key(entry: &Value) -> Option<(String, bool)> {
    match entry.get("name").and_then(Value::as_str) {
        Some(name) => Some((name.to_owned(), true)),
        None => entry
            .get("existingSubnetId")
            .and_then(Value::as_str)
            .and_then(|id| net::ExistingSubnet::parse(id, None))
            .map(|e| (e.vnet_name, false)),
    }
}

pub(super) fn names_in(st: &State, pointer: &str) -> Vec<String> {
    st.list(pointer)
        .iter()
        .filter_map(|e| e.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// Lets the user keep a subset of a list in change mode.
pub(super) fn keep_entries(
    p: &mut dyn Prompter,
    st: &mut State,
    pointer: &str,
    key: &str,
    what: &str,
) -> Result<()> {
    let entries = st.list(pointer);
    if entries.is_empty() {
        return Ok(());
    }
    // Existing subnets have no name of their own; their resource ID identifies them.
    let names: Vec<String> = entries
        .iter()
        .map(|e| {
            e.get("name")
                .or_else(|| e.get("existingSubnetId"))
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned()
        })
        .collect();
    let all: Vec<usize> = (0..names.len()).collect();
    let message = format!("Keep which {what}?");
    let kept = p.multi_select(
        &Question {
            key,
            message: &message,
            help: "Unselect to remove; you can add new ones next",
        },
        &names,
        &all,
    )?;
    let kept: Vec<Value> = kept
        .into_iter()
        .filter_map(|i| entries.get(i).cloned())
        .collect();
    st.put(pointer, Value::Array(kept));
    Ok(())
}

/// The optional free-text description of a list entry.
pub(super) fn description(
    p: &mut dyn Prompter,
    st: &mut State,
    base: &str,
    name: &str,
) -> Result<()> {
    let pointer = format!("{base}/description");
    // Say what `name` is: `default` alone does not tell that it is a streaming endpoint.
    let what = if base.contains("liveEvents") {
        "live event"
    } else {
        "streaming endpoint"
    };
    let message = format!("Description of {what} `{name}` (optional)");
    text(
        p,
        st,
        &pointer,
        Ask {
            message: &message,
            help: "Shown in the portal next to the name; up to 256 characters",
        },
        None,
        optional(schema_check(&pointer)),
        true,
    )
}

#[cfg(test)]
mod tests {
    use super::key_of;

    #[test]
    fn a_questions_key_is_its_pointer_with_list_indexes_folded() {
        assert_eq!(key_of("/location"), "location");
        assert_eq!(
            key_of("/mediaServices/liveEvents/3/encodingType"),
            "mediaServices.liveEvents[].encodingType"
        );
        assert_eq!(key_of("/network/vnets/0"), "network.vnets[]");
    }
}
