//! The template layer: the deployment model → the template IR. Every Azure fact about
//! resource shapes lives here (sources in shared/docs/azure-facts.md), with the API versions
//! (`api`) and the Resource Manager private link's separate template (`resource_manager`); the
//! renderers in `render` only spell it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

pub mod api;
pub mod dns_policy;
mod encryption;
mod endpoints;
mod events;
mod identity;
pub mod ir;
mod media;
mod media_module;
mod network;
mod on_premises;
mod params;
mod peering;
pub mod resource_manager;
mod storage;
mod symbols;

use crate::model::private_link::storage_suffix;
use crate::model::*;
use ir::{
    BuiltInRole, ExistingIn, Expr, Module, Output, Param, ParamType, Resource, Template, Variable,
};

use encryption::*;
use endpoints::*;
use events::*;
use identity::*;
use media::*;
use media_module::*;
pub use media_module::{P_DEPLOY_MEDIA, S_MEDIA_MODULE as MEDIA_MODULE};
use network::*;
use on_premises::*;
use params::*;
use peering::*;
use storage::*;

pub(crate) use endpoints::{private_endpoint, zone_group, EndpointSpec};
pub(crate) use network::{dns_zone, vnet_link, Fallback};
pub use params::identity_name;
pub(crate) use symbols::camel;
pub use symbols::Symbols;

/// Built-in roles: their names and definition IDs (tenant-independent).
pub const ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR: BuiltInRole = BuiltInRole {
    name: "Storage Blob Data Contributor",
    id: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
};
pub const ROLE_READER: BuiltInRole = BuiltInRole {
    name: "Reader",
    id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
};

/// The main template plus, for existing subnets, one module per VNet.
pub fn build(d: &Deployment) -> Template {
    let syms = Symbols::default();
    let mut t = Template {
        name: "Media Services behind Private Link".into(),
        description: format!(
            "Media Services account {} and storage account {} behind Private Link",
            d.media.name, d.storage.name
        ),
        ..Template::default()
    };
    t.params = params(d);
    let identity = identity_resources(d, &mut t);
    t.resources.push(storage_account(d));
    let roles = role_assignments(&identity);
    let mut role_symbols: Vec<String> = roles.iter().map(|r| r.symbol.clone()).collect();
    if let Some(key) = d.media.customer_key() {
        role_symbols.push(key_vault_resources(key, &identity, &mut t));
    }
    if d.media.identity == IdentityKind::UserAssigned {
        t.resources.extend(roles.iter().cloned());
    }
    t.resources.push(media_account(d, &role_symbols));
    if d.media.identity == IdentityKind::SystemAssigned {
        t.resources.extend(roles);
    }
    t.resources.extend(
        d.media
            .streaming_endpoints
            .iter()
            .map(|e| streaming_endpoint(&syms, e)),
    );
    t.resources
        .extend(d.media.live_events.iter().map(|e| live_event(&syms, e)));
    if let Some(eg) = &d.event_grid {
        event_grid_resources(eg, &mut t);
    }
    for vnet in &d.vnets {
        t.resources.extend(virtual_network(&syms, d, vnet));
    }
    let (mut peering_resources, mut peering_modules) = peerings(&syms, d);
    after_subnets(&syms, d, &mut peering_resources, &mut peering_modules);
    t.resources.extend(peering_resources);
    t.resources.extend(resolver_resources(&syms, d));
    t.resources.extend(local_zones(&syms, d));
    t.modules.extend(zone_modules(&syms, d));
    t.modules.extend(existing_zone_links(&syms, d));
    t.modules.extend(peering_modules);
    let outer = EndpointRefs {
        media_name: Expr::param(P_MEDIA_NAME),
        media_id: Expr::id(S_MEDIA),
        storage_name: Expr::param(P_STORAGE_NAME),
        storage_id: Expr::id(S_STORAGE),
        optional: optional_targets(d)
            .into_iter()
            .map(OptionalTarget::refs)
            .collect(),
        tags: Expr::var(V_TAGS),
    };
    for vnet in d.endpoint_vnets() {
        match &vnet.shape {
            VnetShape::New { subnet, .. } => {
                let subnet_id = Expr::id(&subnet_symbol(&syms, vnet, subnet));
                let zone_id = |z: Zone| zone_id_for(d, vnet, z);
                let mut resources = endpoints(
                    &syms,
                    d,
                    vnet,
                    &outer,
                    &subnet_id,
                    &zone_id,
                    &[Part::Foundation, Part::Media],
                );
                if let Some(first) = resources.iter_mut().find(|r| r.parent.is_none()) {
                    first
                        .depends_on
                        .extend(vnet_changes(&syms, d, vnet, &t.resources));
                }
                t.resources.extend(resources);
            }
            VnetShape::Existing(existing) => {
                let foundation = endpoint_module(&syms, d, vnet, existing, Part::Foundation);
                let mut media = endpoint_module(&syms, d, vnet, existing, Part::Media);
                // One subnet, one endpoint at a time: Media Services' after the foundation's.
                if let (Some(f), Some(m)) = (&foundation, &mut media) {
                    m.depends_on.push(f.symbol.clone());
                }
                t.modules.extend(foundation);
                t.modules.extend(media);
            }
        }
    }
    t.outputs = outputs(d);
    t.params.push(deploy_media_param(d));
    split_media(&mut t);
    apply_tags(&mut t, &d.tags);
    t
}

/// What changes a new VNet: its last subnet (each waits for the one before) and the peering
/// halves made in it. Its first endpoint waits for them all: an endpoint made while its subnet
/// or VNet is being changed fails (`ReferencedResourceNotProvisioned`).
fn vnet_changes(syms: &Symbols, d: &Deployment, vnet: &Vnet, made: &[Resource]) -> Vec<String> {
    let symbol = vnet_symbol(syms, vnet);
    let last_subnet = d
        .created_subnets(index_of(d, vnet))
        .last()
        .map(|(_, s)| subnet_symbol(syms, vnet, s));
    let halves = made
        .iter()
        .filter(|r| {
            r.parent.as_deref() == Some(symbol.as_str())
                && r.rtype.ends_with("/virtualNetworkPeerings")
        })
        .map(|r| r.symbol.clone());
    last_subnet.into_iter().chain(halves).collect()
}

/// Peerings change both their VNets, so they wait for the subnets of each new VNet they pass
/// (the network provider refuses a second change to a VNet in progress).
fn after_subnets(
    syms: &Symbols,
    d: &Deployment,
    resources: &mut [Resource],
    modules: &mut [Module],
) {
    let last_subnets: Vec<(String, String)> = d
        .vnets
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let last = d
                .created_subnets(i)
                .last()
                .map(|(_, s)| subnet_symbol(syms, v, s))?;
            Some((vnet_symbol(syms, v), last))
        })
        .collect();
    let wait = |used: &[String], depends_on: &mut Vec<String>| {
        for (vnet, last) in &last_subnets {
            if used.contains(vnet) && !depends_on.contains(last) {
                depends_on.push(last.clone());
            }
        }
    };
    for r in resources {
        let mut used = r.referenced();
        used.extend(r.parent.iter().cloned());
        wait(&used, &mut r.depends_on);
    }
    for m in modules {
        let mut used = Vec::new();
        m.params.iter().for_each(|(_, v)| v.symbols(&mut used));
        wait(&used, &mut m.depends_on);
    }
}

/// The optional services whose resources get private endpoints, each described by its own
/// builder. A module receives their parameters in this order.
fn optional_targets(d: &Deployment) -> Vec<OptionalTarget> {
    [topic_target(d), key_vault_target(d)]
        .into_iter()
        .flatten()
        .collect()
}

/// Declares the tags variable in the template and in each module whose resources carry
/// tags, or, with no tags, drops the `tags` property everywhere (arm-ttk refuses blank
/// values; Bicep's linter refuses unused variables).
pub(crate) fn apply_tags(t: &mut Template, tags: &BTreeMap<String, String>) {
    let variable = Variable {
        name: V_TAGS.into(),
        description: "Tags put on every resource; fixed when the template was generated (change them in the values file).".into(),
        value: Expr::object(tags.iter().map(|(k, v)| (k.clone(), Expr::str(v)))),
    };
    let apply = |variables: &mut Vec<Variable>, resources: &mut Vec<Resource>| {
        if tags.is_empty() {
            resources
                .iter_mut()
                .for_each(|r| r.body.retain(|(k, _)| *k != "tags"));
        } else if resources
            .iter()
            .any(|r| r.body.iter().any(|(k, _)| *k == "tags"))
        {
            variables.push(variable.clone());
        }
    };
    apply(&mut t.variables, &mut t.resources);
    fn each_module(modules: &mut [Module], f: &dyn Fn(&mut Vec<Variable>, &mut Vec<Resource>)) {
        for m in modules {
            f(&mut m.variables, &mut m.resources);
            each_module(&mut m.modules, f);
        }
    }
    each_module(&mut t.modules, &apply);
}

// Parameter names.
const P_LOCATION: &str = "location";
/// The tags: fixed at generation (a variable, not a parameter, since Bicep's linter wants
/// typed objects and checkov's Bicep parser cannot read a typed object parameter).
const V_TAGS: &str = "tags";
const P_MEDIA_NAME: &str = "mediaServicesAccountName";
const P_STORAGE_NAME: &str = "storageAccountName";
const P_STORAGE_SKU: &str = "storageSkuName";
const P_IDENTITY_NAME: &str = "managedIdentityName";
const P_STORAGE_AUTH: &str = "storageAuthentication";
const P_MEDIA_ID: &str = "mediaServicesAccountId";
const P_STORAGE_ID: &str = "storageAccountId";
const P_PRINCIPAL_OWNER_ID: &str = "principalResourceId";

// Symbols.
const S_IDENTITY: &str = "managedIdentity";
const S_STORAGE: &str = "storageAccount";
const S_MEDIA: &str = "mediaServices";
