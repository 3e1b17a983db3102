//! The wizard's questions, section by section. Answers go into the same values document a
//! YAML file would produce; every check comes from the schema or the model's own rules.

use std::collections::BTreeSet;
use std::sync::Arc;

use ipnet::IpNet;
use serde_json::{json, Map, Value};

mod account;
mod checks;
mod encryption;
mod endpoints;
mod events;
mod media;
mod network;
mod on_premises;
mod private_link;
mod prompts;
mod resource_manager;
mod storage;

use super::prompter::{picked, Check, Prompter, Question};
use crate::error::Result;
use crate::model::{fields, network as net, Zone};
use crate::render::Format;
use crate::schema;

use account::*;
use checks::*;
use encryption::*;
use endpoints::*;
use events::*;
use media::*;
use network::*;
use on_premises::*;
use private_link::*;
use prompts::*;
use resource_manager::*;
use storage::*;

/// The answers so far, plus which keys came from `--values`/`--set` (not asked again on the
/// first pass).
#[derive(Clone)]
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

    /// Whether Media Services is deployed: without it, none of its questions is asked.
    pub fn media(&self) -> bool {
        self.get("/mediaServices/deploy")
            .and_then(Value::as_bool)
            .unwrap_or(true)
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
    OnPremises,
    ResourceManager,
    PrivateLink,
    Endpoints,
    Output,
}

pub const SECTIONS: &[(Section, &str)] = &[
    (
        Section::Account,
        "Account: Media Services or the foundation alone, location, tags, name, identity, TLS",
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
    (Section::OnPremises, "On-premises networks and DNS resolver"),
    (
        Section::ResourceManager,
        "Azure Resource Manager private link",
    ),
    (Section::PrivateLink, "Private endpoints and DNS"),
    (
        Section::Endpoints,
        "Endpoint addresses, interface names, security groups",
    ),
    (Section::Output, "Output folder and format"),
];

/// Asks every section; with `change`, asks everything in it again (current answers as
/// defaults), otherwise skips what was given up front.
/// The parts only Media Services has: not asked, nor offered for change, without it.
pub const MEDIA_SECTIONS: [Section; 5] = [
    Section::Access,
    Section::Encryption,
    Section::StreamingEndpoints,
    Section::LiveEvents,
    Section::Events,
];

pub fn ask(p: &mut dyn Prompter, st: &mut State, section: Section, change: bool) -> Result<()> {
    if MEDIA_SECTIONS.contains(&section) && !st.media() {
        return Ok(());
    }
    match section {
        Section::Account => account(p, st, change),
        Section::Access => access(p, st, change),
        Section::Encryption => encryption(p, st, change),
        Section::StreamingEndpoints => streaming_endpoints(p, st, change),
        Section::LiveEvents => live_events(p, st, change),
        Section::Storage => storage(p, st, change),
        Section::Events => events(p, st, change),
        Section::Network => network(p, st, change),
        Section::OnPremises => on_premises(p, st, change),
        Section::ResourceManager => resource_manager(p, st, change),
        Section::PrivateLink => private_link(p, st, change),
        Section::Endpoints => endpoint_settings(p, st, change),
        Section::Output => output(p, st, change),
    }
}
