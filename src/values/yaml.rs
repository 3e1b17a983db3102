//! YAML text → JSON value plus the position of every key and value in the file.
//!
//! serde-saphyr reports positions through `Spanned<T>`; a small recursive node type collects
//! them while the document is read once, so later phases can point at `file:line:column`.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::{Location, Spanned};

use crate::diagnostic::Origin;

use super::SpanIndex;

/// Largest values file we read. Real ones are a few KiB; this keeps hostile input cheap.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Key>, Spanned<Node>)>),
}

/// A mapping key. YAML allows any node as a key; a values file only uses scalars, which we
/// compare as text (so `1:` and `"1":` are the same key, as in JSON).
#[derive(Debug)]
struct Key(String);

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    // Never shown: every node the parser produces (null, bool, the number kinds, string,
    // sequence, mapping; tagged nodes and integers past i64 arrive as one of them) has its
    // visit_ method here, so serde never asks this visitor what it expected. A mutant of this
    // text is equivalent; the keys' visitor, which refuses lists and mappings, is tested
    // (a_key_that_is_not_plain_is_named_as_such).
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::UInt(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Key>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a plain key such as `name`")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Key, E> {
                Ok(Key("null".to_owned()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // `yes`/`no`/`on`/`off` stay strings, so the schema reports them instead of silently
    // turning `cdnEnabled: no` into false.
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    // Merge keys hide where a value came from; a values file has no use for them.
    options.merge_keys = serde_saphyr::MergeKeyPolicy::Error;
    // A real values file has a few hundred nodes; alias bombs are refused long before they
    // cost anything.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 20_000;
    budget.max_aliases = 1_000;
    budget.max_depth = 64;
    options.budget = Some(budget);
    options
}

/// The parser's message in the user's terms, with a fix.
fn explain(raw: &str) -> (String, String) {
    // Positions are reported separately; drop the parser's own "at line…" tail.
    let message = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(',').next().unwrap_or(key).trim();
        return (
            format!("the key `{key}` appears twice in the same mapping"),
            "keys must be unique; keep the one you mean and delete the other".into(),
        );
    }
    if message.contains("merge keys") {
        return (
            "YAML merge keys (`<<`) are not supported in a values file".into(),
            "write the keys out in full, so every value has one place".into(),
        );
    }
    if message.contains("budget breached") {
        return (
            "the document expands to far more values than a values file has (anchors and aliases); it was not expanded".into(),
            "write the values out without anchors (&) and aliases (*)".into(),
        );
    }
    if message.contains("multiple YAML documents") {
        return (
            "the file holds more than one YAML document (a second `---`)".into(),
            "keep one document per values file".into(),
        );
    }
    (
        message.to_owned(),
        "fix the YAML syntax at this position; `ams-private-link schema` shows the expected shape"
            .into(),
    )
}

/// A YAML syntax problem: message, fix and position.
#[derive(Debug)]
pub struct SyntaxError {
    pub message: String,
    pub hint: String,
    pub origin: Option<Origin>,
}

pub fn origin_of(location: &Location) -> Option<Origin> {
    if *location == Location::UNKNOWN {
        return None;
    }
    let span = location.span();
    Some(Origin::File {
        line: location.line(),
        column: location.column(),
        offset: span.byte_offset().unwrap_or(0) as usize,
        len: span.byte_len().unwrap_or(0) as usize,
    })
}

/// Parses one YAML document. `origin` overrides the position of every node (used for `--set`).
pub fn parse(text: &str, origin: Option<&Origin>) -> Result<(Value, SpanIndex), SyntaxError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(SyntaxError {
            message: format!(
                "the input is {} bytes; a values file may be at most {MAX_INPUT_BYTES} bytes",
                text.len()
            ),
            hint: "a values file describes one deployment and is a few KiB".into(),
            origin: None,
        });
    }
    let root: Spanned<Node> =
        serde_saphyr::from_str_with_options(text, options()).map_err(|e| {
            let (message, hint) = explain(&first_line(&e.without_snippet().to_string()));
            let origin = e
                .location()
                .as_ref()
                .and_then(origin_of)
                .map(|o| with_offset(o, text));
            let tab = match &origin {
                Some(o) if message.contains("tab") => tab_after(o, text),
                _ => None,
            };
            match tab {
                // The parser reports where the token it was reading began, often the line
                // above: point at the tab itself.
                Some(tab) => SyntaxError {
                    message: "a tab in the indentation: YAML indents with spaces only".into(),
                    hint: "indent with spaces, not tabs (set your editor to insert spaces for YAML files)".into(),
                    origin: Some(tab),
                },
                None => SyntaxError {
                    message,
                    hint,
                    origin,
                },
            }
        })?;
    let mut spans = SpanIndex::default();
    let value = convert(root, String::new(), origin, &mut spans)?;
    Ok((value, spans))
}

/// A tab in the indentation of the line of `at` or of the next line that is not blank (the
/// parser reports where the token it was reading began), as a position of its own.
fn tab_after(at: &Origin, text: &str) -> Option<Origin> {
    let Origin::File { offset, .. } = at else {
        return None;
    };
    let mut start = text[..(*offset).min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let near = text[start..]
        .split_inclusive('\n')
        .enumerate()
        .filter(|(i, line)| *i == 0 || !line.trim().is_empty())
        .take(2)
        .map(|(i, _)| i)
        .last()
        .unwrap_or(0);
    for line in text[start..].split_inclusive('\n').take(near + 1) {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(column) = line[..indent].find('\t') {
            return Some(Origin::File {
                line: text[..start].matches('\n').count() as u64 + 1,
                column: column as u64 + 1,
                offset: start + column,
                len: 1,
            });
        }
        start += line.len();
    }
    None
}

/// Parser errors carry line and column but not always a byte offset; derive it so the
/// snippet underlines the right place.
fn with_offset(origin: Origin, text: &str) -> Origin {
    match origin {
        // At line 1, column 1 the offset is 0 either way: no guard for it.
        Origin::File {
            line,
            column,
            offset: 0,
            len,
        } => {
            let line_start: usize = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1) as usize)
                .map(str::len)
                .sum();
            let within: usize = text[line_start.min(text.len())..]
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            Origin::File {
                line,
                column,
                offset: (line_start + within).min(text.len()),
                len,
            }
        }
        other => other,
    }
}

fn first_line(message: &str) -> String {
    message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid YAML")
        .trim()
        .to_owned()
}

fn convert(
    node: Spanned<Node>,
    pointer: String,
    forced: Option<&Origin>,
    spans: &mut SpanIndex,
) -> Result<Value, SyntaxError> {
    let here = forced.cloned().or_else(|| origin_of(&node.referenced));
    if let Some(origin) = &here {
        spans.values.insert(pointer.clone(), origin.clone());
    }
    Ok(match node.value {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(b),
        Node::Int(i) => Value::from(i),
        Node::UInt(u) => Value::from(u),
        Node::Float(f) => match Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None => {
                return Err(SyntaxError {
                    message: format!("{f} is not a usable number"),
                    hint: "write a finite number".into(),
                    origin: here,
                })
            }
        },
        Node::Str(s) => Value::String(s),
        Node::Seq(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| convert(item, format!("{pointer}/{i}"), forced, spans))
                .collect::<Result<_, _>>()?,
        ),
        Node::Map(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let child = format!("{pointer}/{}", escape_pointer(&key.value.0));
                let key_origin = forced.cloned().or_else(|| origin_of(&key.referenced));
                if let Some(origin) = key_origin {
                    spans.keys.insert(child.clone(), origin);
                }
                let value = convert(value, child, forced, spans)?;
                map.insert(key.value.0, value);
            }
            Value::Object(map)
        }
    })
}

pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_col(spans: &SpanIndex, pointer: &str) -> (u64, u64) {
        match spans.value_origin(pointer) {
            Some(Origin::File { line, column, .. }) => (*line, *column),
            other => panic!("no file position for {pointer}: {other:?}"),
        }
    }

    /// Text of exactly `len` bytes: one key, then a comment filling the rest.
    fn text_of(len: usize) -> String {
        let mut text = String::from("a: 1\n#");
        text.push_str(&"x".repeat(len - text.len()));
        text
    }

    /// The limit is the largest input read, to the byte.
    #[test]
    fn the_size_limit_holds_to_the_byte() {
        assert!(parse(&text_of(MAX_INPUT_BYTES), None).is_ok());
        let e = parse(&text_of(MAX_INPUT_BYTES + 1), None).unwrap_err();
        assert_eq!(
            e.message,
            format!(
                "the input is {} bytes; a values file may be at most {MAX_INPUT_BYTES} bytes",
                MAX_INPUT_BYTES + 1
            )
        );
    }

    /// Another mistake next to a line indented with a tab is reported as itself, not as the
    /// tab (the tab is named only when the parser's own message is about one).
    #[test]
    fn a_tab_is_blamed_only_for_what_it_causes() {
        let e = parse("a: \"x\n\ty\n", None).unwrap_err();
        assert!(e.message.contains("unclosed quote"), "{}", e.message);
        let e = parse("a:\n\tb: 1\n", None).unwrap_err();
        assert_eq!(
            e.message,
            "a tab in the indentation: YAML indents with spaces only"
        );
    }

    /// The position of the first character of 1-based `line`, as the parser reports one.
    fn at_line(text: &str, line: usize) -> Origin {
        let offset: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        Origin::File {
            line: line as u64,
            column: 1,
            offset,
            len: 0,
        }
    }

    /// The tab is looked for in the indentation of the reported line and of the next line
    /// that is not blank, wherever in the indentation it stands, and no further.
    #[test]
    fn a_tab_is_looked_for_on_the_reported_line_and_the_next_that_is_not_blank() {
        let tab = |line, column, offset| {
            Some(Origin::File {
                line,
                column,
                offset,
                len: 1,
            })
        };
        let text = "a:\n  \tb: 1\n";
        assert_eq!(tab_after(&at_line(text, 2), text), tab(2, 3, 5));
        let text = "a:\n\n\n\tb: 1\n";
        assert_eq!(tab_after(&at_line(text, 2), text), tab(4, 1, 5));
        // Past the next line that is not blank, a tab is some other line's business.
        let text = "a:\n\n  b: 1\n\tc: 2\n";
        assert_eq!(tab_after(&at_line(text, 2), text), None);
    }

    /// A key that is a list or a mapping says what a key must be.
    #[test]
    fn a_key_that_is_not_plain_is_named_as_such() {
        for text in ["? [a, b]\n: 1\n", "? {a: b}\n: 1\n"] {
            let e = parse(text, None).unwrap_err();
            assert!(
                e.message.ends_with("expected a plain key such as `name`"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn every_value_and_key_has_its_position() {
        let (value, spans) = parse("a:\n  b: [x, 'y']\n  c: {d: 1}\n", None).unwrap();
        assert_eq!(value["a"]["b"][1], "y");
        assert_eq!(line_col(&spans, "/a/b/1"), (2, 10));
        assert_eq!(line_col(&spans, "/a/c/d"), (3, 10));
        // A missing key points at the closest value that exists.
        assert_eq!(line_col(&spans, "/a/c/missing"), (3, 6));
        assert!(matches!(
            spans.key_origin("/a/c"),
            Some(Origin::File {
                line: 3,
                column: 3,
                ..
            })
        ));
    }

    #[test]
    fn yaml_1_1_booleans_stay_text() {
        let (value, _) = parse("a: yes\nb: true\n", None).unwrap();
        assert_eq!(value["a"], "yes");
        assert_eq!(value["b"], true);
    }

    #[test]
    fn syntax_errors_point_at_their_byte_offset() {
        let text = "a: 1\nb: \"x\u{7f}\"\n";
        let e = parse(text, None).unwrap_err();
        let Some(Origin::File { line, offset, .. }) = e.origin else {
            panic!("no position: {e:?}")
        };
        assert_eq!(line, 2);
        assert!(
            offset >= 5 && offset < text.len(),
            "offset {offset} is not on line 2"
        );
    }

    #[test]
    fn syntax_problems_are_explained() {
        assert!(parse("a: 1\na: 2\n", None)
            .unwrap_err()
            .message
            .contains("appears twice"));
        assert!(parse("a: [1\n", None).is_err());
    }
}
