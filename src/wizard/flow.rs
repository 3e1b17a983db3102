//! The wizard's questions, section by section. Answers go into the same values document a
//! YAML file would produce; every check comes from the schema or the model's own rules.

use std::collections::BTreeSet;
use std::sync::Arc;

use ipnet::IpNet;
use serde_json::{json, Map, Value};

use super::prompter::{picked, Check, Prompter, Question};
use crate::error::Result;
use crate::model::{network as net, Zone};
use crate::render::Format;
use crate::schema;

/// The answers so far, plus which keys came from `--values`/`--set` (not asked again on the
/// first pass).
pub struct State {
    pub values: Value,
    given: BTreeSet<String>,
    pub out: Option<String>,
    pub format: Option<Format>,
}

impl State {
    /// `given` is the input as loaded, before schema defaults; `values` has the defaults.
    pub fn new(given: &Value, values: Value, out: Option<String>, format: Option<Format>) -> Self {
        let mut pointers = BTreeSet::new();
        collect_pointers(given, String::new(), &mut pointers);
        State {
            values,
            given: pointers,
            out,
            format,
        }
    }

    fn is_given(&self, pointer: &str) -> bool {
        self.given.contains(pointer)
    }

    fn get(&self, pointer: &str) -> Option<&Value> {
        self.values.pointer(pointer)
    }

    fn get_str(&self, pointer: &str) -> Option<String> {
        self.get(pointer).and_then(Value::as_str).map(str::to_owned)
    }

    /// Sets a value; objects created on the way get their schema defaults, like a file would.
    fn put(&mut self, pointer: &str, value: Value) {
        self.put_raw(pointer, value);
        schema::apply_defaults(&mut self.values);
    }

    fn put_raw(&mut self, pointer: &str, value: Value) {
        let mut current = &mut self.values;
        for segment in pointer.split('/').skip(1) {
            if !current.is_object() && !current.is_array() {
                *current = Value::Object(Map::new());
            }
            current = match current {
                Value::Array(items) => match segment.parse::<usize>() {
                    Ok(i) if i < items.len() => &mut items[i],
                    _ => {
                        items.push(Value::Null);
                        let last = items.len() - 1;
                        &mut items[last]
                    }
                },
                Value::Object(map) => map.entry(segment.to_owned()).or_insert(Value::Null),
                _ => return,
            };
        }
        *current = value;
    }

    fn remove(&mut self, pointer: &str) {
        if let Some((parent, key)) = pointer.rsplit_once('/') {
            if let Some(Value::Object(map)) = self.values.pointer_mut(parent) {
                map.remove(key);
            }
        }
    }

    fn list(&self, pointer: &str) -> Vec<Value> {
        self.get(pointer)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }

    fn is_public(&self) -> bool {
        self.get_str("/mediaServices/publicNetworkAccess")
            .as_deref()
            == Some("Enabled")
    }
}

fn collect_pointers(v: &Value, pointer: String, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{pointer}/{k}");
                out.insert(p.clone());
                collect_pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{pointer}/{i}");
                out.insert(p.clone());
                collect_pointers(child, p, out);
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Account,
    Access,
    Encryption,
    StreamingEndpoints,
    LiveEvents,
    Storage,
    Events,
    Network,
    ResourceManager,
    PrivateLink,
    Output,
}

pub const SECTIONS: &[(Section, &str)] = &[
    (
        Section::Account,
        "Account: location, tags, name, identity, TLS",
    ),
    (
        Section::Access,
        "Access model: public network access, key delivery",
    ),
    (
        Section::Encryption,
        "Encryption: Microsoft-managed or customer-managed key",
    ),
    (Section::StreamingEndpoints, "Streaming endpoints"),
    (Section::LiveEvents, "Live events"),
    (Section::Storage, "Storage account"),
    (Section::Events, "Media Services events (Event Grid)"),
    (Section::Network, "VNets"),
    (
        Section::ResourceManager,
        "Azure Resource Manager private link",
    ),
    (Section::PrivateLink, "Private endpoints and DNS"),
    (Section::Output, "Output folder and format"),
];

/// Asks every section; with `change`, asks everything in it again (current answers as
/// defaults), otherwise skips what was given up front.
pub fn ask(p: &mut dyn Prompter, st: &mut State, section: Section, change: bool) -> Result<()> {
    match section {
        Section::Account => account(p, st, change),
        Section::Access => access(p, st, change),
        Section::Encryption => encryption(p, st, change),
        Section::StreamingEndpoints => streaming_endpoints(p, st, change),
        Section::LiveEvents => live_events(p, st, change),
        Section::Storage => storage(p, st, change),
        Section::Events => events(p, st, change),
        Section::Network => network(p, st, change),
        Section::ResourceManager => resource_manager(p, st, change),
        Section::PrivateLink => private_link(p, st, change),
        Section::Output => output(p, st, change),
    }
}

// ---------------------------------------------------------------------------------------
// Checks: the schema node of the key, or the model's own parsing. No second copy of a rule.

fn schema_check(pointer: &str) -> Check {
    let pointer = pointer.to_owned();
    Arc::new(move |s: &str| schema::check_value(&pointer, &Value::String(s.to_owned())))
}

fn int_check(pointer: &str) -> Check {
    let pointer = pointer.to_owned();
    Arc::new(move |s: &str| {
        let n: i64 = s
            .trim()
            .parse()
            .map_err(|_| "enter a whole number".to_owned())?;
        schema::check_value(&pointer, &json!(n))
    })
}

fn optional(check: Check) -> Check {
    Arc::new(move |s: &str| {
        if s.trim().is_empty() {
            Ok(())
        } else {
            check(s)
        }
    })
}

fn all_of(checks: Vec<Check>) -> Check {
    Arc::new(move |s: &str| checks.iter().try_for_each(|c| c(s)))
}

/// Entries of a typed list: commas or spaces between them.
fn split_list(s: &str) -> Vec<String> {
    s.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn join_list(v: Option<&Value>) -> String {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn allowlist_check() -> Check {
    Arc::new(|s: &str| {
        split_list(s).iter().try_for_each(|e| {
            net::parse_net(e)
                .map(|_| ())
                .map_err(|(m, h)| format!("{m}; {h}"))
        })
    })
}

fn storage_rules_check() -> Check {
    Arc::new(|s: &str| {
        split_list(s).iter().try_for_each(|e| {
            net::parse_storage_rule(e)
                .map(|_| ())
                .map_err(|(m, h)| format!("{m}; {h}"))
        })
    })
}

fn unique_check(taken: Vec<String>, what: &'static str) -> Check {
    Arc::new(move |s: &str| {
        if taken.iter().any(|t| t.eq_ignore_ascii_case(s.trim())) {
            Err(format!("there is already a {what} named `{}`", s.trim()))
        } else {
            Ok(())
        }
    })
}

// ---------------------------------------------------------------------------------------
// Small helpers around the prompter.

fn text(
    p: &mut dyn Prompter,
    st: &mut State,
    pointer: &str,
    q: Question,
    default: Option<String>,
    check: Check,
    change: bool,
) -> Result<()> {
    if !change && st.is_given(pointer) {
        return Ok(());
    }
    let default = st.get_str(pointer).or(default);
    let answer = p.text(&q, default.as_deref(), check)?;
    let answer = answer.trim();
    if answer.is_empty() {
        st.remove(pointer);
    } else {
        st.put(pointer, json!(answer));
    }
    Ok(())
}

fn choice(
    p: &mut dyn Prompter,
    st: &mut State,
    pointer: &str,
    q: Question,
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
    let i = p.select(&q, &labels, default)?;
    st.put(pointer, json!(picked(options, i)?.0));
    Ok(())
}

fn list(
    p: &mut dyn Prompter,
    st: &mut State,
    pointer: &str,
    q: Question,
    check: Check,
    change: bool,
) -> Result<()> {
    if !change && st.is_given(pointer) {
        return Ok(());
    }
    let default = join_list(st.get(pointer));
    let answer = p.text(&q, Some(&default), check)?;
    st.put(pointer, json!(split_list(&answer)));
    Ok(())
}

/// A multi-select over `options` with `current` ticked; returns the chosen labels.
fn pick_many(
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

fn enum_options(pointer: &str) -> Vec<String> {
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

// ---------------------------------------------------------------------------------------
// Sections.

fn account(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    text(
        p,
        st,
        "/location",
        Question {
            key: "location",
            message: "Azure region (empty: the resource group's region)",
            help: "Every resource is created here, except private endpoints in existing VNets, which follow their VNet",
        },
        None,
        optional(schema_check("/location")),
        change,
    )?;
    if change || !st.is_given("/tags") {
        let current: Vec<String> = st
            .get("/tags")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        let check: Check = Arc::new(|s: &str| parse_tags(s).map(|_| ()));
        let answer = p.text(
            &Question {
                key: "tags",
                message: "Tags (name=value; name=value)",
                help: "Put on every resource; policies and cost reports usually rely on them",
            },
            Some(&current.join("; ")),
            check,
        )?;
        st.put(
            "/tags",
            Value::Object(parse_tags(&answer).unwrap_or_default()),
        );
    }
    text(
        p,
        st,
        "/mediaServices/name",
        Question {
            key: "mediaServices.name",
            message: "Media Services account name",
            help: "3-24 lowercase letters and digits, unique in the region; endpoint names are derived from it",
        },
        None,
        schema_check("/mediaServices/name"),
        change,
    )?;
    choice(
        p,
        st,
        "/mediaServices/identity",
        Question {
            key: "mediaServices.identity",
            message: "Identity the account uses to reach its storage",
            help: "With the storage firewall on, Media Services gets in only as a trusted service with a managed identity",
        },
        &[
            ("userAssigned", "created and granted its roles first: one deployment (recommended)"),
            ("systemAssigned", "exists only after the account: needs a second deployment"),
        ],
        change,
    )?;
    choice(
        p,
        st,
        "/mediaServices/minimumTlsVersion",
        Question {
            key: "mediaServices.minimumTlsVersion",
            message: "Minimum TLS version",
            help:
                "Older clients that cannot do TLS 1.2 should not be talking to your media endpoints",
        },
        &[("Tls12", ""), ("Tls13", "")],
        change,
    )
}

fn parse_tags(s: &str) -> std::result::Result<Map<String, Value>, String> {
    let mut tags = Map::new();
    for pair in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}` has no `=`; write name=value"))?;
        tags.insert(k.trim().to_owned(), json!(v.trim()));
    }
    schema::check_value("/tags", &Value::Object(tags.clone()))?;
    Ok(tags)
}

fn access(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    choice(
        p,
        st,
        "/mediaServices/publicNetworkAccess",
        Question {
            key: "mediaServices.publicNetworkAccess",
            message: "Public network access to the account",
            help: "A private endpoint does not turn off internet access; this setting (or the allowlists) does",
        },
        &[
            ("Disabled", "private endpoints only (recommended)"),
            ("Enabled", "public, restricted per resource by IP allowlists"),
        ],
        change,
    )?;
    if !st.is_public() {
        return Ok(());
    }
    choice(
        p,
        st,
        "/mediaServices/keyDelivery/defaultAction",
        Question {
            key: "mediaServices.keyDelivery.defaultAction",
            message: "Key delivery from the internet",
            help:
                "Key delivery hands out content keys; Allow lets any internet address ask for them",
        },
        &[
            ("Deny", "only the addresses you list"),
            ("Allow", "any address"),
        ],
        change,
    )?;
    if st
        .get_str("/mediaServices/keyDelivery/defaultAction")
        .as_deref()
        == Some("Deny")
    {
        list(
            p,
            st,
            "/mediaServices/keyDelivery/ipAllowList",
            Question {
                key: "mediaServices.keyDelivery.ipAllowList",
                message: "Addresses allowed to reach key delivery (empty: none)",
                help: "Public IPv4/IPv6 addresses or CIDR ranges, e.g. your licence front door; separate with commas",
            },
            allowlist_check(),
            change,
        )?;
    }
    Ok(())
}

fn encryption(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const BASE: &str = "/mediaServices/encryption";
    if !change && st.is_given(&format!("{BASE}/type")) {
        return Ok(());
    }
    let current = st.get_str(&format!("{BASE}/type")).as_deref() == Some("customerKey");
    let wanted = p.confirm(
        &Question {
            key: "mediaServices.encryption.type",
            message: "Encrypt the account with your own key (customer-managed, in Key Vault)?",
            help: "Your RSA key wraps the account key; if the key or access to it is lost, the account becomes read-only",
        },
        current,
    )?;
    if !wanted {
        st.put(BASE, json!({"type": "systemKey"}));
        return Ok(());
    }
    if st.get_str("/mediaServices/identity").as_deref() != Some("userAssigned") {
        let switch = p.confirm(
            &Question {
                key: "mediaServices.identity.switch",
                message: "A customer-managed key needs a user-assigned identity. Switch to userAssigned?",
                help: "The identity must hold the key role before the account exists; a system-assigned identity cannot",
            },
            true,
        )?;
        if !switch {
            st.put(BASE, json!({"type": "systemKey"}));
            return Ok(());
        }
        st.put("/mediaServices/identity", json!("userAssigned"));
    }
    let existing_now = st.get(&format!("{BASE}/existingKey")).is_some();
    let kind = p.select(
        &Question {
            key: "mediaServices.encryption.vault",
            message: "Where is the key?",
            help: "A new vault is created with purge protection, RBAC and no public access, plus a private endpoint",
        },
        &[
            "new — a Key Vault created here, with the key".to_owned(),
            "existing — a key in a vault that already exists".to_owned(),
        ],
        usize::from(existing_now),
    )?;
    let account = st.get_str("/mediaServices/name").unwrap_or_default();
    let rsa_options = [
        ("RSA-HSM", "kept in an HSM (premium vault)"),
        ("RSA", "software-protected"),
    ];
    if kind == 0 {
        let mut default_name = format!("kv-{account}");
        default_name.truncate(24);
        let vault = st
            .get(&format!("{BASE}/keyVault"))
            .cloned()
            .unwrap_or_else(|| json!({}));
        let name_ptr = format!("{BASE}/keyVault/name");
        let name = p.text(
            &Question {
                key: "mediaServices.encryption.keyVault.name",
                message: "Key Vault name",
                help: "3-24 letters, digits and hyphens, globally unique; starts with a letter",
            },
            Some(
                vault
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(&default_name),
            ),
            all_of(vec![
                schema_check(&name_ptr),
                Arc::new(|s: &str| {
                    if s.contains("--") {
                        Err("Key Vault names cannot contain two hyphens in a row".into())
                    } else {
                        Ok(())
                    }
                }),
            ]),
        )?;
        st.put(
            BASE,
            json!({"type": "customerKey", "keyVault": {"name": name.trim()}}),
        );
        text(
            p,
            st,
            &format!("{BASE}/keyVault/keyName"),
            Question {
                key: "mediaServices.encryption.keyVault.keyName",
                message: "Key name",
                help: "The RSA key created in the vault",
            },
            None,
            schema_check(&format!("{BASE}/keyVault/keyName")),
            true,
        )?;
        choice(
            p,
            st,
            &format!("{BASE}/keyVault/keyType"),
            Question {
                key: "mediaServices.encryption.keyVault.keyType",
                message: "Key protection",
                help: "Media Services accepts RSA keys only",
            },
            &rsa_options,
            true,
        )?;
        let sizes = ["3072", "2048", "4096"];
        let size = p.select(
            &Question {
                key: "mediaServices.encryption.keyVault.keySize",
                message: "Key size (bits)",
                help: "3072 is the current recommendation for RSA",
            },
            &sizes.map(str::to_owned),
            0,
        )?;
        st.put(
            &format!("{BASE}/keyVault/keySize"),
            json!(picked(&sizes, size)?.parse::<u32>().unwrap_or(3072)),
        );
    } else {
        let id_ptr = format!("{BASE}/existingKey/vaultId");
        let current = st.get_str(&id_ptr);
        let id = p.text(
            &Question {
                key: "mediaServices.encryption.existingKey.vaultId",
                message: "Key Vault resource ID",
                help: "az keyvault show -n <vault> --query id -o tsv; it must use RBAC authorization and purge protection",
            },
            current.as_deref(),
            schema_check(&id_ptr),
        )?;
        let key_ptr = format!("{BASE}/existingKey/keyName");
        let key = p.text(
            &Question {
                key: "mediaServices.encryption.existingKey.keyName",
                message: "Key name",
                help: "An RSA key in that vault; its newest version is used",
            },
            st.get_str(&key_ptr).as_deref(),
            schema_check(&key_ptr),
        )?;
        st.put(BASE, json!({"type": "customerKey", "existingKey": {"vaultId": id.trim(), "keyName": key.trim()}}));
        choice(
            p,
            st,
            &format!("{BASE}/existingKey/keyType"),
            Question {
                key: "mediaServices.encryption.existingKey.keyType",
                message: "Key protection",
                help: "Media Services accepts RSA keys only",
            },
            &rsa_options,
            true,
        )?;
        let account_location = st.get_str("/location");
        let loc_ptr = format!("{BASE}/existingKey/location");
        let region_check: Check = Arc::new(move |s: &str| match (&account_location, s.trim()) {
            (Some(a), v) if !v.is_empty() && a != v => Err(format!(
                "the account is in {a}; Media Services needs its key vault in its own region"
            )),
            _ => Ok(()),
        });
        text(
            p,
            st,
            &loc_ptr,
            Question {
                key: "mediaServices.encryption.existingKey.location",
                message: "Region of that vault (empty: not checked)",
                help: "It must be the account's region",
            },
            st.get_str("/location"),
            all_of(vec![optional(schema_check(&loc_ptr)), region_check]),
            true,
        )?;
    }
    Ok(())
}

/// Lets the user keep a subset of a list in change mode.
fn keep_entries(
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
    let names: Vec<String> = entries
        .iter()
        .map(|e| {
            e.get("name")
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

fn streaming_endpoints(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const LIST: &str = "/mediaServices/streamingEndpoints";
    if !change && st.is_given(LIST) {
        return Ok(());
    }
    if change {
        keep_entries(
            p,
            st,
            LIST,
            "mediaServices.streamingEndpoints",
            "streaming endpoints",
        )?;
    }
    let has_default = st
        .list(LIST)
        .iter()
        .any(|e| e.get("name").and_then(Value::as_str) == Some("default"));
    if !has_default {
        let mut entries = st.list(LIST);
        entries.insert(
            0,
            json!({"name": "default", "scaleUnits": 0, "cdnEnabled": false, "ipAllowList": []}),
        );
        st.put(LIST, Value::Array(entries));
    }
    for i in 0..st.list(LIST).len() {
        streaming_endpoint_details(p, st, i)?;
    }
    while p.confirm(
        &Question {
            key: "mediaServices.streamingEndpoints.add",
            message: "Add another streaming endpoint?",
            help: "Accounts allow 2 by default; a Premium endpoint (scale units) gives dedicated bandwidth",
        },
        false,
    )? {
        let i = st.list(LIST).len();
        let taken: Vec<String> = st
            .list(LIST)
            .iter()
            .filter_map(|e| e.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let name_ptr = format!("{LIST}/{i}/name");
        let name = p.text(
            &Question {
                key: "mediaServices.streamingEndpoints[].name",
                message: "Streaming endpoint name",
                help: "1-24 letters, digits and inner hyphens; part of its host name",
            },
            None,
            all_of(vec![schema_check(&name_ptr), unique_check(taken, "streaming endpoint")]),
        )?;
        st.put(
            &format!("{LIST}/{i}"),
            json!({"name": name.trim(), "scaleUnits": 0, "cdnEnabled": false, "ipAllowList": []}),
        );
        streaming_endpoint_details(p, st, i)?;
    }
    Ok(())
}

/// The optional free-text description of a list entry.
fn description(
    p: &mut dyn Prompter,
    st: &mut State,
    base: &str,
    key: &str,
    name: &str,
) -> Result<()> {
    let pointer = format!("{base}/description");
    let message = format!("Description of `{name}` (optional)");
    text(
        p,
        st,
        &pointer,
        Question {
            key,
            message: &message,
            help: "Shown in the portal next to the name; up to 256 characters",
        },
        None,
        optional(schema_check(&pointer)),
        true,
    )
}

fn streaming_endpoint_details(p: &mut dyn Prompter, st: &mut State, i: usize) -> Result<()> {
    let base = format!("/mediaServices/streamingEndpoints/{i}");
    let name = st.get_str(&format!("{base}/name")).unwrap_or_default();
    description(
        p,
        st,
        &base,
        "mediaServices.streamingEndpoints[].description",
        &name,
    )?;
    let units_ptr = format!("{base}/scaleUnits");
    let current = st
        .get(&units_ptr)
        .and_then(Value::as_i64)
        .unwrap_or(0)
        .to_string();
    let message = format!("Scale units for `{name}` (0 = Standard)");
    let units = p.text(
        &Question {
            key: "mediaServices.streamingEndpoints[].scaleUnits",
            message: &message,
            help: "0 shares bandwidth (Standard); each unit adds 200 Mbps of dedicated egress (Premium)",
        },
        Some(&current),
        int_check(&units_ptr),
    )?;
    st.put(&units_ptr, json!(units.trim().parse::<i64>().unwrap_or(0)));
    let cdn_ptr = format!("{base}/cdnEnabled");
    let message = format!("Serve `{name}` through Azure CDN?");
    let cdn = p.confirm(
        &Question {
            key: "mediaServices.streamingEndpoints[].cdnEnabled",
            message: &message,
            help: "A CDN endpoint cannot be reached through private link and ignores IP allowlists",
        },
        st.get(&cdn_ptr).and_then(Value::as_bool).unwrap_or(false),
    )?;
    st.put(&cdn_ptr, json!(cdn));
    let allow_ptr = format!("{base}/ipAllowList");
    if st.is_public() && !cdn {
        let message = format!("Addresses allowed to stream from `{name}` (empty: none)");
        let default = join_list(st.get(&allow_ptr));
        let answer = p.text(
            &Question {
                key: "mediaServices.streamingEndpoints[].ipAllowList",
                message: &message,
                help: "Without a list a streaming endpoint is open to every IPv4 address; empty here closes it",
            },
            Some(&default),
            allowlist_check(),
        )?;
        st.put(&allow_ptr, json!(split_list(&answer)));
    } else {
        st.put(&allow_ptr, json!([]));
    }
    Ok(())
}

fn live_events(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const LIST: &str = "/mediaServices/liveEvents";
    if !change && st.is_given(LIST) {
        return Ok(());
    }
    if change {
        keep_entries(p, st, LIST, "mediaServices.liveEvents", "live events")?;
        for i in 0..st.list(LIST).len() {
            live_event_details(p, st, i)?;
        }
    }
    while p.confirm(
        &Question {
            key: "mediaServices.liveEvents.add",
            message: "Add a live event?",
            help: "An ingest point for a live stream; accounts allow 5 by default",
        },
        false,
    )? {
        let i = st.list(LIST).len();
        let taken: Vec<String> = st
            .list(LIST)
            .iter()
            .filter_map(|e| e.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let name_ptr = format!("{LIST}/{i}/name");
        let name = p.text(
            &Question {
                key: "mediaServices.liveEvents[].name",
                message: "Live event name",
                help: "1-32 letters, digits and inner hyphens",
            },
            Some(&format!("live{}", i + 1)),
            all_of(vec![
                schema_check(&name_ptr),
                unique_check(taken, "live event"),
            ]),
        )?;
        st.put(
            &format!("{LIST}/{i}"),
            json!({"name": name.trim(), "streamingProtocol": "RTMP", "encodingType": "PassthroughStandard", "ingestAllowList": [], "previewAllowList": []}),
        );
        live_event_details(p, st, i)?;
    }
    Ok(())
}

fn live_event_details(p: &mut dyn Prompter, st: &mut State, i: usize) -> Result<()> {
    let base = format!("/mediaServices/liveEvents/{i}");
    let name = st.get_str(&format!("{base}/name")).unwrap_or_default();
    description(
        p,
        st,
        &base,
        "mediaServices.liveEvents[].description",
        &name,
    )?;
    let protocols: Vec<String> = enum_options(&format!("{base}/streamingProtocol"));
    let options: Vec<(&str, &str)> = protocols.iter().map(|o| (o.as_str(), "")).collect();
    choice(
        p,
        st,
        &format!("{base}/streamingProtocol"),
        Question {
            key: "mediaServices.liveEvents[].streamingProtocol",
            message: "Ingest protocol",
            help: "Fixed at creation: RTMP for most encoders, FragmentedMP4 for Smooth ingest",
        },
        &options,
        true,
    )?;
    let encodings: Vec<String> = enum_options(&format!("{base}/encodingType"));
    let options: Vec<(&str, &str)> = encodings.iter().map(|o| (o.as_str(), "")).collect();
    choice(
        p,
        st,
        &format!("{base}/encodingType"),
        Question {
            key: "mediaServices.liveEvents[].encodingType",
            message: "Encoding",
            help: "Passthrough keeps your encoder's ladder; Standard/Premium1080p transcode in the cloud (billed per hour)",
        },
        &options,
        true,
    )?;
    for (field, key, message, help) in [
        (
            "ingestAllowList",
            "mediaServices.liveEvents[].ingestAllowList",
            "Encoder addresses allowed to push from the internet (empty: none)",
            "Empty means only encoders reaching it through the liveevent private endpoint",
        ),
        (
            "previewAllowList",
            "mediaServices.liveEvents[].previewAllowList",
            "Addresses allowed to watch the preview (empty: none)",
            "The preview is for checking the feed before it goes out; keep it to the production team",
        ),
    ] {
        let pointer = format!("{base}/{field}");
        if st.is_public() {
            let default = join_list(st.get(&pointer));
            let answer = p.text(&Question { key, message, help }, Some(&default), allowlist_check())?;
            st.put(&pointer, json!(split_list(&answer)));
        } else {
            st.put(&pointer, json!([]));
        }
    }
    Ok(())
}

/// `contosomedia` → `contosomediastore`, kept within the storage name limits.
fn derived_storage_name(account: &str) -> String {
    let mut name: String = format!("{account}store")
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .collect();
    name.truncate(24);
    name
}

fn storage(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    let account = st.get_str("/mediaServices/name").unwrap_or_default();
    text(
        p,
        st,
        "/storage/name",
        Question {
            key: "storage.name",
            message: "Storage account name",
            help: "3-24 lowercase letters and digits, unique across Azure; holds the media assets",
        },
        Some(derived_storage_name(&account)),
        schema_check("/storage/name"),
        change,
    )?;
    let skus = enum_options("/storage/sku");
    let options: Vec<(&str, &str)> = skus.iter().map(|o| (o.as_str(), "")).collect();
    choice(
        p,
        st,
        "/storage/sku",
        Question {
            key: "storage.sku",
            message: "Storage replication",
            help: "Geo-redundant SKUs keep a copy in the paired region",
        },
        &options,
        change,
    )?;
    if change || !st.is_given("/storage/privateEndpoints") {
        let options = enum_options("/storage/privateEndpoints");
        let current: Vec<String> = st
            .list("/storage/privateEndpoints")
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let chosen = pick_many(
            p,
            &Question {
                key: "storage.privateEndpoints",
                message: "Storage sub-resources that get a private endpoint",
                help: "Media Services itself reaches storage as a trusted service; these are for your clients (uploads, tools)",
            },
            &options,
            &current,
        )?;
        st.put("/storage/privateEndpoints", json!(chosen));
    }
    list(
        p,
        st,
        "/storage/ipRules",
        Question {
            key: "storage.ipRules",
            message: "Public IPv4 addresses let through the storage firewall (empty: none)",
            help: "The firewall denies everything else; clients inside your VNets use the private endpoints",
        },
        storage_rules_check(),
        change,
    )
}

fn events(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const BASE: &str = "/eventGrid";
    if !change && st.is_given(BASE) {
        return Ok(());
    }
    let wanted = p.confirm(
        &Question {
            key: "eventGrid",
            message: "Send Media Services events (jobs, live events) to Event Grid?",
            help: "A system topic on the account delivers them; storage queue and event hub deliveries use its managed identity",
        },
        st.get(BASE).is_some(),
    )?;
    if !wanted {
        st.remove(BASE);
        return Ok(());
    }
    let current = st.get_str(&format!("{BASE}/destination/type"));
    let kinds = ["storageQueue", "eventHub", "webhook"];
    let kind = p.select(
        &Question {
            key: "eventGrid.destination.type",
            message: "Where do the events go?",
            help: "A queue on the media storage account stays private behind its firewall",
        },
        &[
            "storageQueue — a queue on the media storage account".to_owned(),
            "eventHub — an existing event hub, any subscription".to_owned(),
            "webhook — an HTTPS endpoint (its URL is supplied at deployment, never stored)"
                .to_owned(),
        ],
        kinds
            .iter()
            .position(|k| Some(*k) == current.as_deref())
            .unwrap_or(0),
    )?;
    let kind = *picked(&kinds, kind)?;
    let mut destination = json!({"type": kind});
    match kind {
        "storageQueue" => {
            let ptr = format!("{BASE}/destination/queueName");
            let queue = p.text(
                &Question {
                    key: "eventGrid.destination.queueName",
                    message: "Queue name",
                    help: "3-63 lowercase letters, digits and single hyphens",
                },
                Some(
                    st.get_str(&ptr)
                        .as_deref()
                        .unwrap_or(crate::model::DEFAULT_QUEUE),
                ),
                schema_check(&ptr),
            )?;
            destination["queueName"] = json!(queue.trim());
        }
        "eventHub" => {
            let ptr = format!("{BASE}/destination/eventHubId");
            let id = p.text(
                &Question {
                    key: "eventGrid.destination.eventHubId",
                    message: "Event hub resource ID",
                    help: "az eventhubs eventhub show -g <rg> --namespace-name <ns> -n <hub> --query id -o tsv",
                },
                st.get_str(&ptr).as_deref(),
                schema_check(&ptr),
            )?;
            destination["eventHubId"] = json!(id.trim());
        }
        _ => {}
    }
    let types_check: Check = Arc::new(|s: &str| {
        split_list(s)
            .iter()
            .try_for_each(|t| schema::check_value("/eventGrid/eventTypes/0", &json!(t)))
    });
    let types = p.text(
        &Question {
            key: "eventGrid.eventTypes",
            message: "Event types to deliver (empty: all)",
            help: "e.g. Microsoft.Media.JobFinished, Microsoft.Media.LiveEventEncoderDisconnected",
        },
        Some(&join_list(st.get(&format!("{BASE}/eventTypes")))),
        types_check,
    )?;
    let had_topic = st.get_str(&format!("{BASE}/customTopic/name"));
    let mut eg = json!({"destination": destination, "eventTypes": split_list(&types)});
    let topic = p.confirm(
        &Question {
            key: "eventGrid.customTopic",
            message: "Also create a private custom topic for your own forwarding?",
            help: "No public access and Entra ID only; your code inside the VNet publishes to it through its private endpoint",
        },
        had_topic.is_some(),
    )?;
    if topic {
        let account = st.get_str("/mediaServices/name").unwrap_or_default();
        let ptr = format!("{BASE}/customTopic/name");
        let name = p.text(
            &Question {
                key: "eventGrid.customTopic.name",
                message: "Custom topic name",
                help: "3-50 letters, digits and hyphens",
            },
            Some(had_topic.as_deref().unwrap_or(&format!("egt-{account}"))),
            schema_check(&ptr),
        )?;
        eg["customTopic"] = json!({"name": name.trim()});
    }
    st.put(BASE, eg);
    Ok(())
}

/// The first /16 in 10.10.0.0/8 onwards that overlaps none of the taken ranges.
fn next_free_space(taken: &[IpNet]) -> String {
    (10u8..=250)
        .map(|b| format!("10.{b}.0.0/16"))
        .find(|c| {
            c.parse::<IpNet>()
                .map(|n| !taken.iter().any(|t| net::overlaps(t, &n)))
                .unwrap_or(false)
        })
        .unwrap_or_else(|| "10.10.0.0/16".into())
}

/// The first /24 of a range (or the range itself when it is smaller).
fn first_subnet(space: &str) -> String {
    match space.parse::<IpNet>() {
        Ok(IpNet::V4(n)) if n.prefix_len() < 24 => n
            .subnets(24)
            .ok()
            .and_then(|mut s| s.next())
            .map_or(space.to_owned(), |s| s.to_string()),
        _ => space.to_owned(),
    }
}

fn network(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const LIST: &str = "/network/vnets";
    if !change && st.is_given(LIST) {
        return Ok(());
    }
    if change {
        let entries = st.list(LIST);
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
        let kept = p.multi_select(
            &Question {
                key: "network.vnets",
                message: "Keep which VNets?",
                help: "Unselect to remove; you can add new ones next",
            },
            &names,
            &all,
        )?;
        let kept: Vec<Value> = kept
            .into_iter()
            .filter_map(|i| entries.get(i).cloned())
            .collect();
        st.put(LIST, Value::Array(kept));
    } else {
        st.put(LIST, json!([]));
    }
    let account = st.get_str("/mediaServices/name").unwrap_or_default();
    loop {
        let i = st.list(LIST).len();
        if i > 0
            && !p.confirm(
                &Question {
                    key: "network.vnets.add",
                    message: "Add another VNet?",
                    help: "Every VNet gets its own private endpoints; the DNS zones are linked to all of them",
                },
                false,
            )?
        {
            return Ok(());
        }
        let kinds = ["new".to_owned(), "existing".to_owned()];
        let labels = vec![
            "new — created here, with a subnet for the endpoints".to_owned(),
            "existing — a subnet that already exists, in any resource group or subscription"
                .to_owned(),
        ];
        let kind = p.select(
            &Question {
                key: "network.vnets[].kind",
                message: "Where do the private endpoints go?",
                help: "Endpoints in an existing subnet are deployed into that subnet's resource group",
            },
            &labels,
            0,
        )?;
        let base = format!("{LIST}/{i}");
        if picked(&kinds, kind)? == "new" {
            let taken_spaces: Vec<IpNet> = st
                .list(LIST)
                .iter()
                .filter_map(|v| v.get("addressPrefixes").and_then(Value::as_array).cloned())
                .flatten()
                .filter_map(|s| s.as_str().and_then(|s| s.parse().ok()))
                .collect();
            let taken_names: Vec<String> = st
                .list(LIST)
                .iter()
                .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect();
            let default_name = if i == 0 {
                format!("vnet-{account}")
            } else {
                format!("vnet-{account}-{}", i + 1)
            };
            let name = p.text(
                &Question {
                    key: "network.vnets[].name",
                    message: "VNet name",
                    help: "2-64 letters, digits, _ . -; endpoint names are derived from it",
                },
                Some(&default_name),
                all_of(vec![
                    schema_check(&format!("{base}/name")),
                    unique_check(taken_names, "VNet"),
                ]),
            )?;
            let spaces_taken = taken_spaces.clone();
            let space_check: Check = Arc::new(move |s: &str| {
                let entries = split_list(s);
                if entries.is_empty() {
                    return Err("enter at least one range, e.g. 10.10.0.0/16".into());
                }
                for e in &entries {
                    let n = net::parse_net(e).map_err(|(m, h)| format!("{m}; {h}"))?;
                    if let Some(t) = spaces_taken.iter().find(|t| net::overlaps(t, &n)) {
                        return Err(format!(
                            "{n} overlaps {t} of another VNet; give each VNet its own range"
                        ));
                    }
                }
                Ok(())
            });
            let spaces = p.text(
                &Question {
                    key: "network.vnets[].addressPrefixes",
                    message: "Address space",
                    help: "Must not overlap the other VNets you will peer with; commas between ranges",
                },
                Some(&next_free_space(&taken_spaces)),
                space_check,
            )?;
            let spaces = split_list(&spaces);
            let nets: Vec<IpNet> = spaces
                .iter()
                .filter_map(|s| net::parse_net(s).ok())
                .collect();
            let subnet_name = p.text(
                &Question {
                    key: "network.vnets[].subnet.name",
                    message: "Subnet for the private endpoints",
                    help: "A dedicated subnet keeps endpoint NICs apart from workloads",
                },
                Some("snet-private-endpoints"),
                schema_check(&format!("{base}/subnet/name")),
            )?;
            let fit: Check = Arc::new(move |s: &str| {
                let subnet = net::parse_net(s).map_err(|(m, h)| format!("{m}; {h}"))?;
                match net::subnet_problems(&nets, &subnet).into_iter().next() {
                    Some((m, h)) => Err(format!("{m}; {h}")),
                    None => Ok(()),
                }
            });
            let prefix = p.text(
                &Question {
                    key: "network.vnets[].subnet.addressPrefix",
                    message: "Subnet range",
                    help:
                        "Inside the address space; /28 or larger (each endpoint takes an address)",
                },
                Some(&first_subnet(spaces.first().map_or("", String::as_str))),
                fit,
            )?;
            st.put(
                &base,
                json!({"name": name.trim(), "addressPrefixes": spaces, "subnet": {"name": subnet_name.trim(), "addressPrefix": prefix.trim()}}),
            );
        } else {
            let id_ptr = format!("{base}/existingSubnetId");
            let id_check: Check = all_of(vec![
                schema_check(&id_ptr),
                Arc::new(|s: &str| {
                    net::ExistingSubnet::parse(s.trim(), None)
                        .map(|_| ())
                        .ok_or_else(|| "not a subnet resource ID".to_owned())
                }),
            ]);
            let id = p.text(
                &Question {
                    key: "network.vnets[].existingSubnetId",
                    message: "Subnet resource ID",
                    help: "az network vnet subnet show -g <rg> --vnet-name <vnet> -n <subnet> --query id -o tsv",
                },
                None,
                id_check,
            )?;
            let location = p.text(
                &Question {
                    key: "network.vnets[].location",
                    message: "Region of that VNet (empty: the deployment's region)",
                    help: "A private endpoint must be in its VNet's region",
                },
                Some(""),
                optional(schema_check(&format!("{base}/location"))),
            )?;
            let mut entry = json!({"existingSubnetId": id.trim()});
            if !location.trim().is_empty() {
                entry["location"] = json!(location.trim());
            }
            st.put(&base, entry);
        }
    }
}

fn resource_manager(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const BASE: &str = "/resourceManagerPrivateLink";
    if !change && st.is_given(BASE) {
        return Ok(());
    }
    let wanted = p.confirm(
        &Question {
            key: "resourceManagerPrivateLink",
            message: "Also generate Azure Resource Manager private link (a separate, tenant-wide template)?",
            help: "It associates a private link at the tenant root management group; needs Owner there and affects every subscription",
        },
        st.get(BASE).is_some_and(|v| !v.is_null()),
    )?;
    if !wanted {
        st.put(BASE, Value::Null);
        return Ok(());
    }
    let current = st
        .get(BASE)
        .cloned()
        .filter(|v| v.is_object())
        .unwrap_or_else(|| json!({}));
    let mg_ptr = format!("{BASE}/managementGroupId");
    let mg = p.text(
        &Question {
            key: "resourceManagerPrivateLink.managementGroupId",
            message: "Tenant root management group ID (the tenant ID)",
            help: "az account show --query tenantId -o tsv",
        },
        current.get("managementGroupId").and_then(Value::as_str),
        all_of(vec![
            schema_check(&mg_ptr),
            Arc::new(|s: &str| {
                if crate::model::is_root_management_group_id(s.trim()) {
                    Ok(())
                } else {
                    Err("the association is only supported at the tenant root, whose ID is the tenant ID (a GUID)".into())
                }
            }),
        ]),
    )?;
    let subnet_ptr = format!("{BASE}/existingSubnetId");
    let subnet = p.text(
        &Question {
            key: "resourceManagerPrivateLink.existingSubnetId",
            message: "Subnet for the Resource Manager private endpoint (resource ID)",
            help: "Usually the hub's private-endpoint subnet; the private link resource goes in its resource group",
        },
        current.get("existingSubnetId").and_then(Value::as_str),
        all_of(vec![
            schema_check(&subnet_ptr),
            Arc::new(|s: &str| {
                net::ExistingSubnet::parse(s.trim(), None)
                    .map(|_| ())
                    .ok_or_else(|| "not a subnet resource ID".to_owned())
            }),
        ]),
    )?;
    let account = st.get_str("/mediaServices/name").unwrap_or_default();
    let name_ptr = format!("{BASE}/name");
    let name = p.text(
        &Question {
            key: "resourceManagerPrivateLink.name",
            message: "Name of the private link resource",
            help: "2-64 letters, digits, _ . -",
        },
        Some(
            current
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&format!("rmpl-{account}")),
        ),
        schema_check(&name_ptr),
    )?;
    let top = st.get_str("/location");
    let needs_location = top.is_none();
    let location = p.text(
        &Question {
            key: "resourceManagerPrivateLink.location",
            message: "Region of that subnet's VNet",
            help: "The template runs at management-group scope, which has no resource group region to default to",
        },
        current.get("location").and_then(Value::as_str).or(top.as_deref()),
        Arc::new(move |s: &str| {
            if s.trim().is_empty() && needs_location {
                return Err("enter the region, e.g. westeurope".into());
            }
            if s.trim().is_empty() {
                return Ok(());
            }
            schema::check_value("/resourceManagerPrivateLink/location", &json!(s.trim()))
        }),
    )?;
    let mut entry = json!({"managementGroupId": mg.trim(), "existingSubnetId": subnet.trim(), "name": name.trim()});
    if !location.trim().is_empty() {
        entry["location"] = json!(location.trim());
    }
    st.put(BASE, entry);
    Ok(())
}

fn private_link(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    let has_live = !st.list("/mediaServices/liveEvents").is_empty();
    if change || !st.is_given("/privateLink/groups") {
        let mut options = vec!["keydelivery".to_owned(), "streamingendpoint".to_owned()];
        if has_live {
            options.push("liveevent".to_owned());
        }
        let current: Vec<String> = if change || st.is_given("/privateLink/groups") {
            st.list("/privateLink/groups")
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        } else {
            options.clone()
        };
        let chosen = pick_many(
            p,
            &Question {
                key: "privateLink.groups",
                message: "Media Services group IDs that get a private endpoint in every VNet",
                help: "One endpoint per group ID (Azure allows one group per endpoint); liveevent needs live events",
            },
            &options,
            &current,
        )?;
        st.put("/privateLink/groups", json!(chosen));
    }
    choice(
        p,
        st,
        "/privateLink/dns/mode",
        Question {
            key: "privateLink.dns.mode",
            message: "Private DNS",
            help: "Clients keep using the public names; private zones make those names resolve to the endpoints",
        },
        &[
            ("create", "create the privatelink zones here and link them to every VNet"),
            ("existing", "use zones that already exist (e.g. in a hub), by resource ID"),
            ("policy", "leave zone groups to Azure Policy (DeployIfNotExists)"),
            ("none", "no DNS records (your own DNS answers)"),
        ],
        change,
    )?;
    if st.get_str("/privateLink/dns/mode").as_deref() != Some("existing") {
        st.remove("/privateLink/dns/zoneIds");
        return Ok(());
    }
    let mut zones = Vec::new();
    if !st.list("/privateLink/groups").is_empty() {
        zones.push(Zone::Media);
    }
    let subs: Vec<crate::model::StorageSubresource> =
        serde_json::from_value(json!(st.list("/storage/privateEndpoints"))).unwrap_or_default();
    zones.extend(subs.into_iter().map(Zone::Storage));
    if st.get_str("/mediaServices/encryption/type").as_deref() == Some("customerKey") {
        zones.push(Zone::Vault);
    }
    if st.get("/eventGrid/customTopic").is_some() {
        zones.push(Zone::EventGrid);
    }
    if st
        .get("/resourceManagerPrivateLink")
        .is_some_and(|v| v.is_object())
    {
        zones.push(Zone::ResourceManager);
    }
    for zone in zones {
        let pointer = format!("/privateLink/dns/zoneIds/{}", zone.key());
        let key = format!("privateLink.dns.zoneIds.{}", zone.key());
        let message = format!("Resource ID of the {} zone", zone.example_name());
        let check = all_of(vec![
            schema_check(&pointer),
            Arc::new(move |s: &str| zone.check_id(s.trim())),
        ]);
        if !change && st.is_given(&pointer) {
            continue;
        }
        let default = st.get_str(&pointer);
        let id = p.text(
            &Question {
                key: &key,
                message: &message,
                help: "az network private-dns zone show -g <rg> -n <zone> --query id -o tsv",
            },
            default.as_deref(),
            check,
        )?;
        st.put(&pointer, json!(id.trim()));
    }
    Ok(())
}

fn output(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    if change || st.out.is_none() {
        let out = p.text(
            &Question {
                key: "out",
                message: "Output folder",
                help: "Templates, DEPLOY.md and the answers file go here; existing files with other content are not replaced",
            },
            Some(st.out.as_deref().unwrap_or("out")),
            Arc::new(|s: &str| if s.trim().is_empty() { Err("enter a folder".into()) } else { Ok(()) }),
        )?;
        st.out = Some(out.trim().to_owned());
    }
    if change || st.format.is_none() {
        let options = vec![
            "both — ARM and Bicep".to_owned(),
            "arm — ARM JSON only".to_owned(),
            "bicep — Bicep only".to_owned(),
        ];
        let current = match st.format {
            Some(Format::Arm) => 1,
            Some(Format::Bicep) => 2,
            _ => 0,
        };
        let i = p.select(
            &Question {
                key: "format",
                message: "Templates to write",
                help: "Both describe the same resources; pick what your pipeline deploys",
            },
            &options,
            current,
        )?;
        st.format = Some(*picked(&[Format::Both, Format::Arm, Format::Bicep], i)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_defaults_stay_within_the_rules() {
        assert_eq!(derived_storage_name("contosomedia"), "contosomediastore");
        assert_eq!(
            derived_storage_name("abcdefghijklmnopqrstuvwx"),
            "abcdefghijklmnopqrstuvwx"
        );
        assert_eq!(next_free_space(&[]), "10.10.0.0/16");
        assert_eq!(
            next_free_space(&["10.10.0.0/16".parse().unwrap()]),
            "10.11.0.0/16"
        );
        assert_eq!(first_subnet("10.10.0.0/16"), "10.10.0.0/24");
        assert_eq!(first_subnet("10.10.0.0/26"), "10.10.0.0/26");
    }

    #[test]
    fn tags_parse_and_follow_the_schema() {
        let tags = parse_tags("env=prod; owner = media team").unwrap();
        assert_eq!(tags["owner"], "media team");
        assert!(parse_tags("novalue").is_err());
        assert!(parse_tags("bad/name=x").is_err());
    }
}
