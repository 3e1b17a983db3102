//! `--set dotted.path=value`: overrides applied on top of the values file.

use serde_json::{Map, Value};

use crate::diagnostic::{rules, Origin, Problem};

use super::{yaml, SpanIndex};

/// One parsed `--set` argument.
#[derive(Debug, Clone)]
pub struct Override {
    pub index: usize,
    pub raw: String,
    pub path: Vec<Segment>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Parses `path=value`. The value is read as YAML, so `--set privateLink.groups=[keydelivery]`
/// and `--set storage.ipRules=[]` work; quote it to force a string.
pub fn parse(index: usize, raw: &str) -> Result<Override, Box<Problem>> {
    let origin = Origin::SetArg {
        index,
        arg: raw.to_owned(),
    };
    let problem = |message: String, hint: &str| {
        let mut p = Problem::new("", message).hint(hint).rule(&rules::SET);
        p.origin = Some(origin.clone());
        Box::new(p)
    };
    let Some((path, value)) = raw.split_once('=') else {
        return Err(problem(
            format!("`{raw}` has no `=`"),
            "write --set dotted.path=value, e.g. --set mediaServices.name=contosomedia",
        ));
    };
    let mut segments = Vec::new();
    for part in path.split('.') {
        if part.is_empty() {
            return Err(problem(
                format!("`{path}` has an empty path segment"),
                "separate keys with single dots and index lists with numbers, e.g. mediaServices.liveEvents.0.name",
            ));
        }
        // `liveEvents[0]`, as error messages print paths, means `liveEvents.0`.
        let (key, indexes) = split_indexes(part);
        if !key.is_empty() {
            segments.push(match key.parse::<usize>() {
                Ok(i) => Segment::Index(i),
                Err(_) => Segment::Key(key.to_owned()),
            });
        }
        segments.extend(indexes.into_iter().map(Segment::Index));
    }
    let value = if value.is_empty() {
        Value::String(String::new())
    } else {
        yaml::parse(value, Some(&origin))
            .map_err(|e| {
                problem(
                    format!("the value `{value}` is not valid YAML: {}", e.message),
                    "quote the value if it is meant as text, e.g. --set 'tags.owner=\"media team\"'",
                )
            })?
            .0
    };
    Ok(Override {
        index,
        raw: raw.to_owned(),
        path: segments,
        value,
    })
}

/// `name[1][2]` → (`name`, [1, 2]); a part without trailing `[<number>]` comes back whole.
fn split_indexes(part: &str) -> (&str, Vec<usize>) {
    let mut key = part;
    let mut indexes = Vec::new();
    while let Some(open) = key.strip_suffix(']').and_then(|k| k.rfind('[')) {
        match key[open + 1..key.len() - 1].parse::<usize>() {
            Ok(i) => {
                indexes.insert(0, i);
                key = &key[..open];
            }
            Err(_) => break,
        }
    }
    (key, indexes)
}

/// Applies one override; creates missing objects on the way, appends when the index is the
/// list length.
pub fn apply(root: &mut Value, spans: &mut SpanIndex, o: &Override) -> Result<(), Box<Problem>> {
    let origin = Origin::SetArg {
        index: o.index,
        arg: o.raw.clone(),
    };
    let fail = |message: String| {
        let mut p = Problem::new(dotted(&o.path), message)
            .hint("objects take key names and lists take 0-based indexes (the list length appends)")
            .rule(&rules::SET);
        p.origin = Some(origin.clone());
        Box::new(p)
    };
    let mut current = root;
    let mut pointer = String::new();
    // The outermost key this override creates: problems about anything below it (an unknown
    // key, say) are this argument's, not the values file's.
    let mut created: Option<String> = None;
    for (depth, segment) in o.path.iter().enumerate() {
        let last = depth + 1 == o.path.len();
        if current.is_null() {
            *current = match segment {
                Segment::Key(_) => Value::Object(Map::new()),
                Segment::Index(_) => Value::Array(Vec::new()),
            };
        }
        current = match (segment, current) {
            (Segment::Key(k), Value::Object(map)) => {
                pointer = format!("{pointer}/{}", yaml::escape_pointer(k));
                if !map.contains_key(k) && created.is_none() {
                    created = Some(pointer.clone());
                }
                map.entry(k.clone()).or_insert(Value::Null)
            }
            (Segment::Index(i), Value::Array(items)) => {
                if *i > items.len() {
                    return Err(fail(format!(
                        "index {i} is past the end of a list of {} item(s)",
                        items.len()
                    )));
                }
                pointer = format!("{pointer}/{i}");
                if *i == items.len() {
                    items.push(Value::Null);
                    created.get_or_insert_with(|| pointer.clone());
                }
                &mut items[*i]
            }
            (Segment::Index(i), Value::Object(map)) => {
                // A numeric key of an object, e.g. a tag named "2024".
                let k = i.to_string();
                pointer = format!("{pointer}/{k}");
                if !map.contains_key(&k) && created.is_none() {
                    created = Some(pointer.clone());
                }
                map.entry(k).or_insert(Value::Null)
            }
            (segment, other) => {
                // An object takes a key and a numeric key alike (the arms above), so only a
                // list or a single value ends up here.
                let kind = match other {
                    Value::Array(_) => "a list",
                    _ => "a single value",
                };
                let what = match segment {
                    Segment::Key(k) => format!("key `{k}`"),
                    Segment::Index(i) => format!("index {i}"),
                };
                return Err(fail(format!(
                    "cannot take {what} of {} because it is {kind}",
                    dotted(&o.path[..depth])
                )));
            }
        };
        if last {
            *current = o.value.clone();
            spans.replace_under(created.as_deref().unwrap_or(&pointer), origin.clone());
        }
    }
    Ok(())
}

/// The JSON pointer of a path: `/network/vnets/2/name`.
pub fn pointer_of(path: &[Segment]) -> String {
    path.iter()
        .map(|s| match s {
            Segment::Key(k) => format!("/{}", yaml::escape_pointer(k)),
            Segment::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// The path as messages write keys: `network.vnets[2].name`.
fn dotted(path: &[Segment]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(start: Value, arg: &str) -> Result<Value, Box<Problem>> {
        let mut root = start;
        let mut spans = SpanIndex::default();
        apply(&mut root, &mut spans, &parse(1, arg)?)?;
        Ok(root)
    }

    /// The positions after `arg` is applied to the values text `file`.
    fn origins_after(file: &str, arg: &str) -> SpanIndex {
        let (mut root, mut spans) = yaml::parse(file, None).unwrap();
        apply(&mut root, &mut spans, &parse(1, arg).unwrap()).unwrap();
        spans
    }

    fn line_of(spans: &SpanIndex, pointer: &str) -> Option<u64> {
        match spans.value_origin(pointer) {
            Some(Origin::File { line, .. }) => Some(*line),
            _ => None,
        }
    }

    fn from_the_argument(spans: &SpanIndex, pointer: &str) -> bool {
        matches!(
            spans.value_origin(pointer),
            Some(Origin::SetArg { index: 1, .. })
        )
    }

    /// A problem with a value is shown where that value came from: an override takes over the
    /// positions of what it replaces or creates, and leaves every other value's line alone.
    #[test]
    fn an_override_takes_over_the_positions_below_it_and_no_others() {
        let file = "storage:\n  name: a\n  sku: b\n";
        let s = origins_after(file, "storage.name=c");
        assert!(from_the_argument(&s, "/storage/name"));
        assert_eq!(line_of(&s, "/storage/sku"), Some(3));
        let s = origins_after(file, "storage.kind=d");
        assert!(from_the_argument(&s, "/storage/kind"));
        assert!(from_the_argument(&s, "/storage/kind/deeper"));
        assert_eq!(line_of(&s, "/storage/name"), Some(2));
        // An object replaced by another: nothing below it keeps a line of the file.
        let s = origins_after(file, "storage={name: e}");
        assert!(from_the_argument(&s, "/storage/name"));
        assert!(from_the_argument(&s, "/storage/sku"));
        // A list replaced by another, and one item of a list.
        let file = "groups: [keydelivery, liveevent]\nother: 1\n";
        let s = origins_after(file, "groups=[keydelivery]");
        assert!(from_the_argument(&s, "/groups/1"));
        assert_eq!(line_of(&s, "/other"), Some(2));
        let s = origins_after(file, "groups[1]=streamingendpoint");
        assert!(from_the_argument(&s, "/groups/1"));
        assert_eq!(line_of(&s, "/groups/0"), Some(1));
        // A numeric key of an object, on the way to the value set: its siblings keep theirs.
        let s = origins_after("m:\n  5:\n    a: 1\n    b: 2\n", "m.5.a=3");
        assert!(from_the_argument(&s, "/m/5/a"));
        assert_eq!(line_of(&s, "/m/5/b"), Some(4));
        let s = origins_after("m:\n  5:\n    a: 1\n", "m.6.a=3");
        assert!(from_the_argument(&s, "/m/6"));
        assert_eq!(line_of(&s, "/m/5/a"), Some(3));
    }

    /// A path that goes through a list by key, or through a single value, says which.
    #[test]
    fn a_path_through_a_list_or_a_single_value_says_what_is_in_the_way() {
        let e = run(json!({"l": [1]}), "l.k=1").unwrap_err();
        assert_eq!(e.message, "cannot take key `k` of l because it is a list");
        let e = run(json!({"s": "x"}), "s.k=1").unwrap_err();
        assert_eq!(
            e.message,
            "cannot take key `k` of s because it is a single value"
        );
        let e = run(json!({"s": 2}), "s[0]=1").unwrap_err();
        assert_eq!(
            e.message,
            "cannot take index 0 of s because it is a single value"
        );
        // An object takes a numeric key instead of refusing it.
        assert_eq!(
            run(json!({"o": {}}), "o.7=1").unwrap(),
            json!({"o": {"7": 1}})
        );
    }

    #[test]
    fn values_are_read_as_yaml() {
        assert_eq!(run(json!({}), "a.b=3").unwrap(), json!({"a": {"b": 3}}));
        assert_eq!(
            run(json!({}), "a=[x, y]").unwrap(),
            json!({"a": ["x", "y"]})
        );
        assert_eq!(run(json!({}), "a='007'").unwrap(), json!({"a": "007"}));
        assert_eq!(run(json!({}), "a=").unwrap(), json!({"a": ""}));
    }

    /// Paths as error messages print them (`l[0].n`) work as well as the dotted form.
    #[test]
    fn bracket_indexes_mean_the_same_as_dotted_ones() {
        let start = json!({"l": [{"n": "a", "m": [[1, 2]]}]});
        assert_eq!(
            run(start.clone(), "l[0].n=b").unwrap(),
            run(start.clone(), "l.0.n=b").unwrap()
        );
        assert_eq!(
            run(start.clone(), "l[0].m[0][1]=9").unwrap(),
            json!({"l": [{"n": "a", "m": [[1, 9]]}]})
        );
        assert_eq!(split_indexes("tags[x]"), ("tags[x]", vec![]));
    }

    #[test]
    fn indexes_address_lists_and_the_length_appends() {
        let start = json!({"l": [{"n": "a"}]});
        assert_eq!(
            run(start.clone(), "l.0.n=b").unwrap(),
            json!({"l": [{"n": "b"}]})
        );
        assert_eq!(
            run(start.clone(), "l.1.n=c").unwrap(),
            json!({"l": [{"n": "a"}, {"n": "c"}]})
        );
        assert!(run(start, "l.5.n=c")
            .unwrap_err()
            .message
            .contains("past the end"));
    }

    #[test]
    fn malformed_arguments_are_explained() {
        assert!(parse(1, "novalue")
            .unwrap_err()
            .message
            .contains("has no `=`"));
        assert!(parse(1, "a..b=1")
            .unwrap_err()
            .message
            .contains("empty path segment"));
        let e = run(json!({"a": "text"}), "a.b=1").unwrap_err();
        assert!(
            e.message.contains("because it is a single value"),
            "{}",
            e.message
        );
    }
}
