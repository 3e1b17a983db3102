//! Loading the raw input: the values file, `--set` overrides, and where each value came from.

pub mod estate;
pub mod set;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{rules, Origin, Problem, Source};
use crate::error::{Error, Result};

/// Positions of keys and values, by JSON pointer (`/mediaServices/liveEvents/0/name`).
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    values: BTreeMap<String, Origin>,
    keys: BTreeMap<String, Origin>,
}

impl SpanIndex {
    /// The value's position, else the closest enclosing value's (a missing key points at the
    /// object that should hold it).
    pub fn value_origin(&self, pointer: &str) -> Option<&Origin> {
        let mut p = pointer;
        loop {
            if let Some(o) = self.values.get(p) {
                return Some(o);
            }
            let (parent, _) = p.rsplit_once('/')?;
            p = parent;
        }
    }

    /// The position of the key itself (for unknown keys), else of its value.
    pub fn key_origin(&self, pointer: &str) -> Option<&Origin> {
        self.keys
            .get(pointer)
            .or_else(|| self.value_origin(pointer))
    }

    pub(crate) fn replace_under(&mut self, pointer: &str, origin: Origin) {
        let prefix = format!("{pointer}/");
        for map in [&mut self.values, &mut self.keys] {
            map.retain(|k, _| k != pointer && !k.starts_with(&prefix));
            map.insert(pointer.to_owned(), origin.clone());
        }
    }
}

/// Every string inside a value, depth first.
pub fn strings_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings_in(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings_in(i, out)),
        _ => {}
    }
}

/// The merged raw input, before validation.
#[derive(Debug, Clone)]
pub struct RawValues {
    pub value: Value,
    pub spans: SpanIndex,
    pub source: Option<Source>,
}

impl RawValues {
    /// A problem about the value at `pointer`, located and attributed.
    pub fn problem(&self, pointer: &str, message: impl Into<String>) -> Problem {
        self.located(pointer, self.spans.value_origin(pointer), message)
    }

    /// A problem about the key at `pointer` (e.g. an unknown key).
    pub fn key_problem(&self, pointer: &str, message: impl Into<String>) -> Problem {
        self.located(pointer, self.spans.key_origin(pointer), message)
    }

    fn located(
        &self,
        pointer: &str,
        origin: Option<&Origin>,
        message: impl Into<String>,
    ) -> Problem {
        let mut p = Problem::new(display_path(pointer), message);
        p.origin = origin.cloned();
        p.source = self.source.clone();
        p
    }
}

/// Reads the values file (if any) and applies every `--set`, collecting all problems.
pub fn load(file: Option<&Path>, sets: &[String]) -> Result<RawValues> {
    let mut raw = match file {
        Some(path) => read_file(path)?,
        None => RawValues {
            value: Value::Object(Default::default()),
            spans: SpanIndex::default(),
            source: None,
        },
    };
    apply_sets(&mut raw, sets)?;
    Ok(raw)
}

/// Applies every `--set` in order; all problems are reported together.
fn apply_sets(raw: &mut RawValues, sets: &[String]) -> Result<()> {
    let mut problems = Vec::new();
    for (i, arg) in sets.iter().enumerate() {
        let applied =
            set::parse(i + 1, arg).and_then(|o| set::apply(&mut raw.value, &mut raw.spans, &o));
        if let Err(p) = applied {
            problems.push(*p);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

fn read_file(path: &Path) -> Result<RawValues> {
    let name = path.display().to_string();
    let whole_file = |message: String, hint: &str| {
        let mut p = Problem::new("", message).hint(hint).rule(&rules::FILE);
        p.source = Some(Source::new(name.clone(), String::new()));
        Error::Invalid(vec![p])
    };
    let meta = std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {name}"), e))?;
    // Unreadable as a values file, like a missing one: exit 1 (README, exit codes).
    if meta.is_dir() {
        return Err(Error::io(
            format!("cannot read {name}"),
            std::io::Error::other(
                "it is a directory, not a values file; pass the YAML file itself, e.g. --values examples/fully-private.yaml",
            ),
        ));
    }
    if meta.len() > yaml::MAX_INPUT_BYTES as u64 {
        return Err(whole_file(
            format!(
                "is {} bytes; a values file may be at most {} bytes",
                meta.len(),
                yaml::MAX_INPUT_BYTES
            ),
            "a values file describes one deployment and is a few KiB; check that this is the right file",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(format!("cannot read {name}"), e))?;
    let text = String::from_utf8(bytes).map_err(|e| not_utf8(&name, e.as_bytes()))?;
    parse_text(&name, text)
}

/// A file that is not UTF-8: where the first byte that is not, by line and column, shown in
/// the text as far as it can be read; UTF-16 named by its byte-order mark.
fn not_utf8(name: &str, bytes: &[u8]) -> Error {
    let valid = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let (message, hint) = match bytes {
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => (
            "is UTF-16 text (it starts with a UTF-16 byte-order mark); a values file is UTF-8".to_owned(),
            "save the file as UTF-8 (in PowerShell: Get-Content in.yaml | Set-Content -Encoding utf8 out.yaml; in an editor: Save with Encoding, UTF-8)",
        ),
        _ => (
            format!(
                "is not UTF-8 text: byte 0x{:02X} cannot start or continue a UTF-8 character",
                bytes.get(valid).copied().unwrap_or_default()
            ),
            "save the file as UTF-8 (a Latin-1 or Windows-1252 file has such bytes where it has accented letters)",
        ),
    };
    let before = String::from_utf8_lossy(&bytes[..valid]);
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    let mut p = Problem::new("", message).hint(hint).rule(&rules::FILE);
    p.origin = Some(Origin::File {
        line,
        column,
        offset: valid,
        // The shown text has U+FFFD (three bytes) where the byte was.
        len: '\u{FFFD}'.len_utf8(),
    });
    p.source = Some(Source::new(
        name,
        String::from_utf8_lossy(bytes).into_owned(),
    ));
    Error::Invalid(vec![p])
}

/// Parses values text that did not come from a file (tests, fuzzing, editors).
pub fn load_str(name: &str, text: &str, sets: &[String]) -> Result<RawValues> {
    let mut raw = parse_text(name, text.to_owned())?;
    apply_sets(&mut raw, sets)?;
    Ok(raw)
}

fn parse_text(name: &str, text: String) -> Result<RawValues> {
    let source = Source::new(name, text.clone());
    let (value, spans) = yaml::parse(&text, None).map_err(|e| {
        let mut p = Problem::new("", format!("not valid YAML: {}", e.message))
            .hint(e.hint)
            .rule(&rules::YAML);
        p.origin = e.origin;
        p.source = Some(source.clone());
        Error::Invalid(vec![p])
    })?;
    let raw = RawValues {
        value,
        spans,
        source: Some(source),
    };
    match &raw.value {
        Value::Object(_) => Ok(raw),
        Value::Null => Err(Error::Invalid(vec![raw
            .problem("", "the file is empty")
            .hint("start from one of the files in examples/, or run `ams-private-link init`")
            .rule(&rules::FILE)])),
        other => Err(Error::Invalid(vec![raw
            .problem(
                "",
                format!("the file holds {}, not a mapping of keys", kind_of(other)),
            )
            .hint("the top level must be keys such as `mediaServices:`, `storage:` and `network:`")
            .rule(&rules::FILE)])),
    }
}

pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// `/mediaServices/liveEvents/0/name` → `mediaServices.liveEvents[0].name`.
pub fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every string, however deep, in lists and mappings alike, and nothing else.
    #[test]
    fn every_string_inside_a_value_is_found() {
        let mut out = Vec::new();
        strings_in(
            &json!({"a": ["x", {"b": "y", "n": 1}], "c": {"d": "z"}, "e": true, "f": null}),
            &mut out,
        );
        assert_eq!(out, ["x", "y", "z"]);
    }
}
