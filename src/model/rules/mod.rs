//! Semantic rules: what the schema cannot say, checked all at once. One file per part of the
//! values (named as in the template and wizard layers) holds its checks, its doors and its
//! warnings; this one assembles the deployment and gathers them.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::IpNet;

use crate::diagnostic::{rules, Problem, Rule};
use crate::error::{Error, Result};
use crate::values::RawValues;

use super::exposure::*;
use super::network::{self, AllowEntry, ExistingSubnet};
use super::*;

mod dns;
mod encryption;
mod endpoints;
mod estate;
mod events;
mod landing_zone;
mod media;
mod on_premises;
mod resource_manager;
mod storage;
mod verify;
mod vnets;

use dns::*;
use encryption::*;
use endpoints::*;
use events::*;
use landing_zone::*;
use media::*;
use on_premises::*;
use resource_manager::*;
use storage::*;
use vnets::*;

pub use estate::{preflight, DeploymentScope};
pub use verify::{verify, Check, Verdict};

struct Checker<'a> {
    raw: &'a RawValues,
    problems: Vec<Problem>,
    /// Zones whose existing IDs the values may leave out: Media Services' when it is not
    /// deployed (the template then holds the switch off).
    optional_zones: Vec<Zone>,
}

impl Checker<'_> {
    fn fail(&mut self, pointer: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.problems.push(
            self.raw
                .problem(pointer, message)
                .hint(hint)
                .rule(area_rule(pointer)),
        );
    }

    fn allow_list(&mut self, pointer: &str, entries: &[String]) -> Vec<AllowEntry> {
        let mut out = Vec::new();
        for (i, text) in entries.iter().enumerate() {
            match network::parse_net(text) {
                Ok(net) => out.push(AllowEntry { net }),
                Err((message, hint)) => self.fail(&format!("{pointer}/{i}"), message, hint),
            }
        }
        out
    }

    fn nets(&mut self, pointer: &str, entries: &[String]) -> Vec<IpNet> {
        self.allow_list(pointer, entries)
            .into_iter()
            .map(|e| e.net)
            .collect()
    }

    fn unique_names<'n>(
        &mut self,
        pointer: &str,
        what: &str,
        names: impl Iterator<Item = &'n str>,
    ) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (i, name) in names.enumerate() {
            // Keyed as `fields::same_name` compares: without letter case.
            if let Some(first) = seen.insert(name.trim().to_lowercase(), i) {
                self.fail(
                    &format!("{pointer}/{i}/name"),
                    format!("{what} `{name}` is listed twice (also at index {first}); names are not case-sensitive in Azure"),
                    format!("give each {what} its own name"),
                );
            }
        }
    }
}

/// A rule's finding is filed under the part of the values it is about.
fn area_rule(pointer: &str) -> &'static Rule {
    let top = pointer.split('/').nth(1).unwrap_or_default();
    match top {
        "mediaServices" => &rules::MEDIA,
        "storage" => &rules::STORAGE,
        "network" => &rules::NETWORK,
        "privateLink" => &rules::PRIVATE_LINK,
        "eventGrid" => &rules::EVENTS,
        "resourceManagerPrivateLink" => &rules::RESOURCE_MANAGER,
        _ => &rules::DESIGN,
    }
}

pub fn check(mut values: Values, raw: &RawValues) -> Result<Deployment> {
    let mut c = Checker {
        raw,
        problems: Vec::new(),
        optional_zones: if values.media_services.deploy {
            Vec::new()
        } else {
            vec![Zone::Media]
        },
    };
    // The defaults that follow from other values, filled in once before any check, so the
    // checks read one complete document and the answers file states them.
    let default_added = fill_media_defaults(&mut values);
    fill_event_grid_defaults(&mut values);
    fill_resource_manager_defaults(&mut values);

    let (key_delivery_allow, streaming_endpoints, live_events) =
        check_media(&mut c, &values, default_added);
    let ip_rules = check_storage_firewall(&mut c, &values);
    let encryption = check_encryption(&mut c, &values);
    let event_grid = check_event_grid(&mut c, &values);
    let resource_manager = check_resource_manager(&mut c, &values);

    let ms = &values.media_services;
    let media = Media {
        name: ms.name.clone(),
        deploy: ms.deploy,
        identity: ms.identity,
        minimum_tls_version: ms.minimum_tls_version,
        public_network_access: ms.public_network_access,
        encryption,
        key_delivery_default: ms.key_delivery.default_action,
        key_delivery_allow,
        streaming_endpoints,
        live_events,
    };
    let (public_network_access, shared_key) = check_storage_access(&mut c, &values);
    let storage = Storage {
        name: values.storage.name.clone(),
        sku: values.storage.sku.clone(),
        subresources: values.storage.private_endpoints.clone(),
        ip_rules,
        public_network_access,
        shared_key,
    };
    let groups = values.private_link.groups.clone();
    let targets = private_link::targets_of(&media, &groups, &storage, event_grid.as_ref());
    let needed = private_link::zones_of(&targets);

    let cloud = values.cloud;
    let rm_zone = resource_manager.as_ref().map(|_| Zone::ResourceManager);
    check_zone_names(&mut c, needed.iter().copied().chain(rm_zone), cloud);

    // DNS, then the networks that use it.
    // The Resource Manager zone ID is read from here unless the endpoint's VNet has its own.
    let dns = check_dns(
        &mut c,
        "/privateLink/dns",
        &values.private_link.dns,
        &needed,
        cloud,
        ZoneHome::Here,
        resource_manager.is_some(),
    );
    let rm_vnet = resource_manager.as_ref().map(|rm| rm.subnet.vnet_id());
    let vnets = check_vnets(&mut c, &values, &needed, &dns, rm_vnet.as_deref());
    // Clients beyond the VNets' own links; only on a complete list (indexes match the file).
    let complete = vnets.len() == values.network.vnets.len();
    let (resolver, on_premises, peerings) = if complete {
        check_clients(&mut c, &values, &vnets)
    } else {
        (None, None, Vec::new())
    };
    let mut resource_manager = resource_manager;
    if let Some(rm) = resource_manager.as_mut() {
        check_resource_manager_dns(&mut c, &values, &vnets, &dns, rm);
    }

    if complete {
        check_endpoints(&mut c, &vnets, &targets);
    }

    let mut deployment = Deployment {
        location: values.location.clone(),
        tags: values.tags.clone(),
        cloud,
        media,
        storage,
        event_grid,
        resource_manager,
        vnets,
        peerings,
        resolver,
        on_premises,
        groups,
        dns,
        resolution: Resolution::default(),
        media_gaps: Vec::new(),
        warnings: Vec::new(),
        values,
    };
    // What each client resolves; only on a complete network list (indexes must match the file).
    if complete {
        check_links(&mut c, &deployment);
        check_companion_zones(&mut c, &deployment);
        check_nsg_names(&mut c, &deployment);
        check_on_premises_ranges(&mut c, &deployment);
        (deployment.resolution, deployment.media_gaps) = resolve(&mut c, &deployment);
    }
    if !c.problems.is_empty() {
        return Err(Error::Invalid(c.problems));
    }
    deployment.warnings = warnings(&deployment);
    for w in &mut deployment.warnings {
        w.origin = raw.spans.value_origin(&w.pointer).cloned();
    }
    Ok(deployment)
}

/// Every zone the design needs has a name in the chosen cloud: where Microsoft documents none,
/// the tool refuses rather than guesses.
fn check_zone_names(c: &mut Checker, zones: impl Iterator<Item = Zone>, cloud: Cloud) {
    for zone in zones {
        if let Err(why) = zone.name(cloud) {
            let (pointer, fix) = match zone {
                Zone::Media => ("/privateLink/groups", "remove the Media Services group IDs (privateLink.groups: []), or deploy to AzureCloud"),
                Zone::ResourceManager => ("/resourceManagerPrivateLink", "remove resourceManagerPrivateLink, or deploy to AzureCloud"),
                Zone::EventGrid => ("/eventGrid/customTopic", "remove eventGrid.customTopic (the system topic and its delivery need no endpoint), or deploy to AzureCloud"),
                _ => ("/cloud", "deploy to AzureCloud"),
            };
            c.fail(
                pointer,
                format!("{why}; the tool does not guess a zone name"),
                fix,
            );
        }
    }
}

/// What each client resolves, with every design that would resolve wrongly as a problem, and
/// what Media Services would lack if it were turned on later. Without Media Services deployed
/// only the foundation's names are resolved and refused: Media Services' resolve to nothing
/// that exists, and a design that would break them only holds the switch off (`media_gaps`).
fn resolve(c: &mut Checker, d: &Deployment) -> (Resolution, Vec<String>) {
    let (resolution, refusals) = super::resolution::resolve_for(d, &d.deployed_targets());
    let media_gaps = if d.media.deploy {
        Vec::new()
    } else {
        media_gaps(d, &d.targets())
    };
    for r in refusals {
        c.problems.push(
            c.raw
                .problem(&r.pointer, r.message)
                .hint(r.hint)
                .rule(&rules::RESOLUTION),
        );
    }
    (resolution, media_gaps)
}

/// What a foundation design leaves out that Media Services needs, in words: the Media Services
/// zone where zones exist already, storage access it can use, names it can resolve.
fn media_gaps(d: &Deployment, all: &[Target]) -> Vec<String> {
    let mut gaps = Vec::new();
    let zone_missing = !d.groups.is_empty()
        && d.endpoint_vnets()
            .any(|v| matches!(&v.dns, Dns::Existing(ids) if !ids.contains_key(&Zone::Media)));
    if zone_missing {
        gaps.push("the existing Media Services zone's ID (zoneIds.media)".to_owned());
    }
    if d.storage.public_network_access == PublicNetworkAccess::Disabled {
        gaps.push("storage public network access, through which it reaches its storage as a trusted service (storage.publicNetworkAccess: Enabled)".to_owned());
    }
    if !d.storage.shared_key {
        gaps.push("storage shared keys (storage.allowSharedKeyAccess: true)".to_owned());
    }
    if !zone_missing && !super::resolution::resolve_for(d, all).1.is_empty() {
        gaps.push("a design in which its names resolve (generate with mediaServices.deploy: true to see what is refused)".to_owned());
    }
    gaps
}

/// Every warning, in the order the report reads: each service's own, then what the deployment
/// does to what it does not own (the VNets' DNS, an existing vault, the regions it assumes).
fn warnings(d: &Deployment) -> Vec<Warning> {
    let all = [
        media_warnings(d),
        storage_warnings(d),
        encryption_warnings(d),
        event_grid_warnings(d),
        resource_manager_warnings(d),
        dns_warnings(d),
        client_warnings(d),
        resource_manager_link_warnings(d),
        vault_endpoint_warnings(d),
        static_address_warnings(d),
        security_warnings(d),
        region_warnings(d),
        landing_zone_warnings(d),
    ]
    .concat();
    // Without Media Services deployed, what is said of its doors, its identity's second pass,
    // its key's hold on the account and its events is about nothing that exists.
    let media_only = [
        &rules::PUBLIC_ACCESS,
        &rules::OPEN_TO_ALL,
        &rules::ALLOWLIST,
        &rules::CDN,
        &rules::UNREACHABLE,
        &rules::TWO_PHASE,
        &rules::KEY_AVAILABILITY,
        &rules::WEBHOOK,
    ];
    all.into_iter()
        .filter(|w| d.media.deploy || !media_only.contains(&w.rule))
        .collect()
}

/// Every door, Media Services' first (when it is deployed: otherwise it has none), then
/// storage, the vault and the topic.
pub fn doors(d: &Deployment) -> Vec<Door> {
    let media = if d.media.deploy {
        media_doors(d)
    } else {
        Vec::new()
    };
    [media, storage_doors(d), vault_doors(d), topic_doors(d)].concat()
}
