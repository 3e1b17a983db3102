//! The estate file: what already exists in Azure, as the read-only script `estate-script`
//! writes collected it. The file is a JSON document of ARM resource objects (`id`, `type`,
//! `name`, `properties`) as a GET or Resource Graph returns them, found anywhere in it: a bare
//! array, an ARM list response `{"value": [...]}`, `az graph query` output `{"data": [...]}`,
//! or an array of any of these. Types the tool does not read are kept and ignored.

use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{rules, Origin, Problem, Source};
use crate::error::{Error, Result};

/// Largest estate file read: a big estate's answer to the script is a few MiB.
pub const MAX_ESTATE_BYTES: u64 = 64 * 1024 * 1024;

/// One ARM resource object of the estate.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub id: String,
    /// As the object spells it; compare without letter case.
    pub rtype: String,
    pub name: String,
    /// `properties`, or null when the object has none.
    pub properties: Value,
}

impl Resource {
    /// Whether the resource is of type `rtype` (letter case ignored).
    pub fn is(&self, rtype: &str) -> bool {
        self.rtype.eq_ignore_ascii_case(rtype)
    }

    /// The string at `pointer` under `properties`.
    pub fn text(&self, pointer: &str) -> Option<&str> {
        self.properties.pointer(pointer).and_then(Value::as_str)
    }

    /// An A record set's addresses, in its order.
    pub fn a_record_addresses(&self) -> Vec<&str> {
        self.properties["aRecords"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["ipv4Address"].as_str())
            .collect()
    }
}

/// Every resource object of an estate file, in the order the file holds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Estate {
    pub resources: Vec<Resource>,
}

impl Estate {
    /// The resources of one type.
    pub fn of_type<'a>(&'a self, rtype: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.is(rtype))
    }
}

/// Reads an estate file; a file that is not JSON, or holds no resource object, is a problem
/// located in it (exit 3).
pub fn load(path: &Path) -> Result<Estate> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {name}"), e))?;
    if meta.len() > MAX_ESTATE_BYTES {
        return Err(problem(
            &name,
            String::new(),
            None,
            format!(
                "is {} bytes; an estate file may be at most {MAX_ESTATE_BYTES} bytes",
                meta.len()
            ),
            "collect the estate with the script `ams-private-link estate-script` writes: it reads only what the design depends on",
        ));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::io(format!("cannot read {name}"), e))?;
    parse(&name, &text)
}

/// Parses estate text; `name` is what problems call it.
pub fn parse(name: &str, text: &str) -> Result<Estate> {
    let document: Value = serde_json::from_str(text).map_err(|e| {
        let origin = Origin::File {
            line: e.line() as u64,
            column: e.column() as u64,
            offset: offset_of(text, e.line(), e.column()),
            len: 1,
        };
        problem(
            name,
            text.to_owned(),
            Some(origin),
            format!("is not valid JSON: {e}"),
            "pass the file the estate script wrote, unchanged",
        )
    })?;
    let mut estate = Estate::default();
    collect(&document, &mut estate.resources);
    // Nothing collected is a fair answer (nothing exists yet); a document of no accepted
    // shape is not.
    if !accepted_shape(&document) {
        return Err(problem(
            name,
            text.to_owned(),
            Some(Origin::File {
                line: 1,
                column: 1,
                offset: 0,
                len: 0,
            }),
            "holds something other than ARM resource objects (objects with a string `id`) and lists of them".into(),
            "pass the file the estate script wrote: ARM resource objects, alone, in a list, or in {\"value\": [...]} or {\"data\": [...]}",
        ));
    }
    Ok(estate)
}

/// The resource objects in `v`, depth first: an object with a string `id` and a `type` is one
/// (its inline children stay in its properties), and so is one with an ARM `id`, a `name` or
/// `properties`, and no `type` (Microsoft's example of a zone group GET has none): its type is
/// read off the ID. Lists and the `value` / `data` of list and Resource Graph responses are
/// looked into.
fn collect(v: &Value, out: &mut Vec<Resource>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Object(map) => {
            let id = map.get("id").and_then(Value::as_str);
            let rtype = match (id, map.get("type")) {
                (Some(_), Some(Value::String(t))) => Some(t.clone()),
                (Some(id), None) if map.contains_key("name") || map.contains_key("properties") => {
                    type_of(id)
                }
                _ => None,
            };
            if let (Some(id), Some(rtype)) = (id, rtype) {
                out.push(Resource {
                    id: id.to_owned(),
                    rtype,
                    name: map
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_else(|| id.rsplit('/').next().unwrap_or_default())
                        .to_owned(),
                    properties: map.get("properties").cloned().unwrap_or(Value::Null),
                });
            } else {
                for key in ["value", "data"] {
                    if let Some(inner) = map.get(key) {
                        collect(inner, out);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Resources (objects with a string `id`), and lists of them: bare, a list response
/// (`value`) or a Resource Graph answer (`data`), nested as deep as they come.
fn accepted_shape(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().all(accepted_shape),
        Value::Object(map) if map.get("id").is_some_and(Value::is_string) => true,
        Value::Object(map) => ["value", "data"].iter().filter_map(|k| map.get(*k)).fold(
            map.contains_key("value") || map.contains_key("data"),
            |ok, inner| ok && accepted_shape(inner),
        ),
        _ => false,
    }
}

/// The type an ARM resource ID names: `.../providers/Microsoft.Network/privateEndpoints/pe/
/// privateDnsZoneGroups/default` is `Microsoft.Network/privateEndpoints/privateDnsZoneGroups`.
fn type_of(id: &str) -> Option<String> {
    let (_, path) = id.rsplit_once("/providers/")?;
    let segments: Vec<&str> = path.split('/').collect();
    let (namespace, rest) = segments.split_first()?;
    if rest.is_empty() || rest.len() % 2 != 0 {
        return None;
    }
    let types: Vec<&str> = rest.iter().step_by(2).copied().collect();
    Some(format!("{namespace}/{}", types.join("/")))
}

/// The byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

fn problem(name: &str, text: String, origin: Option<Origin>, message: String, hint: &str) -> Error {
    let mut p = Problem::new("", message)
        .hint(hint)
        .rule(&rules::ESTATE_FILE);
    p.origin = origin;
    p.source = Some(Source::new(name.to_owned(), text));
    Error::Invalid(vec![p])
}

#[cfg(test)]
mod tests {
    use super::*;

    const VNET: &str = r#"{"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v", "type": "Microsoft.Network/virtualNetworks", "name": "v", "properties": {"subnets": []}}"#;

    /// Every shape the file may take, alone or nested in a list.
    #[test]
    fn resources_are_found_in_every_accepted_shape() {
        for text in [
            VNET.to_owned(),
            format!("[{VNET}]"),
            format!(r#"{{"value": [{VNET}], "nextLink": null}}"#),
            format!(r#"{{"count": 1, "data": [{VNET}], "skip_token": null}}"#),
            format!(r#"[{{"value": [{VNET}]}}, {{"data": []}}]"#),
        ] {
            let e = parse("estate.json", &text).unwrap();
            assert_eq!(e.resources.len(), 1, "{text}");
            assert!(e.resources[0].is("microsoft.network/virtualnetworks"));
            assert_eq!(e.resources[0].name, "v");
            assert_eq!(e.of_type("Microsoft.Network/virtualNetworks").count(), 1);
        }
    }

    /// Each type is found by its own name, letter case aside, and only it.
    #[test]
    fn resources_are_told_apart_by_type() {
        let zone = r#"{"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateDnsZones/z", "type": "Microsoft.Network/privateDnsZones", "name": "z"}"#;
        let e = parse("estate.json", &format!("[{VNET}, {zone}]")).unwrap();
        let names = |t: &str| e.of_type(t).map(|r| r.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("microsoft.network/PRIVATEDNSZONES"), ["z"]);
        assert_eq!(names("Microsoft.Network/virtualNetworks"), ["v"]);
        assert!(names("Microsoft.Network/networkInterfaces").is_empty());
    }

    /// The size limit holds to the byte, by the file's size alone (a sparse file here): one
    /// byte more is refused unread; the limit itself is read (and then refused as not JSON).
    #[test]
    fn the_estate_size_limit_holds_to_the_byte() {
        let dir = tempfile::tempdir().unwrap();
        let sized = |len: u64| {
            let path = dir.path().join(format!("estate-{len}.json"));
            std::fs::File::create(&path).unwrap().set_len(len).unwrap();
            path
        };
        let Err(Error::Invalid(p)) = load(&sized(MAX_ESTATE_BYTES + 1)) else {
            panic!("refused");
        };
        assert_eq!(
            p[0].message,
            format!(
                "is {} bytes; an estate file may be at most 67108864 bytes",
                MAX_ESTATE_BYTES + 1
            )
        );
        let Err(Error::Invalid(p)) = load(&sized(MAX_ESTATE_BYTES)) else {
            panic!("refused");
        };
        assert!(
            p[0].message.starts_with("is not valid JSON"),
            "{}",
            p[0].message
        );
    }

    /// Microsoft's example of a zone group GET has no `type`: it is read off the ID. A bare
    /// reference (`{"id": ...}`) is not a resource.
    #[test]
    fn a_resource_without_its_type_is_typed_by_its_id() {
        let e = parse(
            "estate.json",
            r#"[{"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/pe/privateDnsZoneGroups/default", "properties": {}}, {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkInterfaces/nic", "name": "nic"}, {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v"}, {"id": "/subscriptions/s/providers/Microsoft.Network/x", "name": "x"}]"#,
        )
        .unwrap();
        let types: Vec<&str> = e.resources.iter().map(|r| r.rtype.as_str()).collect();
        assert_eq!(
            types,
            [
                "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
                "Microsoft.Network/networkInterfaces"
            ]
        );
        assert_eq!(
            e.resources[0].name, "default",
            "the name is the ID's last segment"
        );
    }

    /// Not JSON: the position of the first mistake; JSON without a resource: said so.
    #[test]
    fn a_malformed_file_is_a_located_problem() {
        let Err(Error::Invalid(p)) = parse("estate.json", "[\n  {\"id\": 1,}\n]") else {
            panic!("refused");
        };
        assert_eq!(
            p[0].origin,
            Some(Origin::File {
                line: 2,
                column: 12,
                offset: 13,
                len: 1
            })
        );
        assert!(
            p[0].message.starts_with("is not valid JSON: "),
            "{}",
            p[0].message
        );
        let Err(Error::Invalid(p)) = parse("estate.json", r#"{"value": [{"id": 5, "type": "x"}]}"#)
        else {
            panic!("refused");
        };
        assert!(
            p[0].message
                .starts_with("holds something other than ARM resource objects"),
            "{}",
            p[0].message
        );
        // Nothing there yet is an answer, not a mistake.
        for empty in [
            "[]",
            r#"{"value": []}"#,
            r#"[{"value": []}, {"count": 0, "data": []}]"#,
        ] {
            assert_eq!(
                parse("estate.json", empty).unwrap(),
                Estate::default(),
                "{empty}"
            );
        }
    }
}
