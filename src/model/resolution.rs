//! Name resolution: for every VNet and every private name, which zone answers and which
//! endpoint's address it returns. Private Link works only when, from each VNet, each name
//! resolves to exactly one endpoint that VNet can reach, so the designs that break this are
//! refused here rather than discovered after deployment.
//!
//! Azure behaviour relied on (shared/docs/azure-facts.md §3.2a): a zone holds one A record
//! per name, and a second zone group for the same target in the same zone replaces it
//! (private-endpoint-dns.md, the caution about the initial A record); a VNet can be linked to
//! only one zone of a name; two zones of one name cannot share a resource group.

use std::collections::BTreeMap;

use super::*;

/// What every VNet resolves.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub vnets: Vec<VnetResolution>,
}

#[derive(Debug, Clone)]
pub struct VnetResolution {
    pub vnet: String,
    pub names: Vec<NameResolution>,
}

#[derive(Debug, Clone)]
pub struct NameResolution {
    pub target: Target,
    /// Which zone answers, in words ("privatelink.blob.core.windows.net, created here").
    pub zone: String,
    pub answer: Answer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The address of this endpoint.
    Endpoint { vnet: String, endpoint: String },
    /// DNS mode none: no record is managed here; the public address unless the user's DNS
    /// answers.
    Unmanaged,
}

/// A design the model refuses, at a values-file pointer.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub pointer: String,
    pub message: String,
    pub hint: String,
}

/// One zone resource: where a record lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ZoneAt {
    Created(ZoneHome, Zone),
    Existing(String),
    /// Azure Policy registers in central zones this tool does not know.
    Policy(Zone),
}

fn zone_at(vnet: &Vnet, zone: Zone) -> Option<ZoneAt> {
    match &vnet.dns {
        Dns::Create(home) => Some(ZoneAt::Created(home.clone(), zone)),
        Dns::Existing(ids) => ids.get(&zone).map(|id| ZoneAt::Existing(id.to_lowercase())),
        Dns::Policy => Some(ZoneAt::Policy(zone)),
        Dns::None => None,
    }
}

/// Which zone resource a record lives in. Zones known by resource ID (existing ones, and those
/// created in a named resource group) compare by that ID, letter case ignored as Azure does,
/// so a zone created in a VNet's group and the same zone given as existing are one zone.
fn zone_key(at: &ZoneAt, cloud: Cloud) -> String {
    match at {
        ZoneAt::Created(home, z) => match home.zone_id(*z, cloud) {
            Some(id) => id.to_lowercase(),
            None => format!("here:{}", z.key()),
        },
        ZoneAt::Existing(id) => id.to_lowercase(),
        ZoneAt::Policy(z) => format!("policy:{}", z.key()),
    }
}

fn describe_zone(at: &ZoneAt, cloud: Cloud) -> String {
    let name = |z: &Zone| z.name(cloud).unwrap_or_default();
    match at {
        ZoneAt::Created(ZoneHome::Here, z) => format!("{}, created here", name(z)),
        ZoneAt::Created(ZoneHome::Group { resource_group, .. }, z) => {
            format!("{}, created in {resource_group}", name(z))
        }
        ZoneAt::Existing(id) => match ResourceId::parse(id) {
            Some(zone) => format!("{}, existing in {}", zone.name(), zone.resource_group),
            None => format!("{id}, existing"),
        },
        ZoneAt::Policy(z) => format!("{}, central zone of Azure Policy", name(z)),
    }
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// Works out what each VNet resolves and every design that would break it.
pub fn resolve(d: &Deployment) -> (Resolution, Vec<Refusal>) {
    let mut refusals = Vec::new();
    let targets = d.targets();
    let pointer = |i: usize| format!("/network/vnets/{i}");

    // Who writes each record: (zone, target) → the VNets whose endpoint registers there.
    let mut writers: BTreeMap<(String, Service), (ZoneAt, Vec<usize>)> = BTreeMap::new();
    for (j, vnet) in d.vnets.iter().enumerate().filter(|(_, v)| v.endpoints) {
        for t in &targets {
            if let Some(at) = zone_at(vnet, t.service.zone()) {
                writers
                    .entry((zone_key(&at, d.cloud), t.service))
                    .or_insert_with(|| (at, Vec::new()))
                    .1
                    .push(j);
            }
        }
    }

    // Two writers for one record: one refusal per pair of VNets and zone kind.
    let mut doubles: BTreeMap<(usize, usize), (ZoneAt, Vec<Service>)> = BTreeMap::new();
    for ((_, service), (at, js)) in &writers {
        for pair in js.windows(2) {
            let entry = doubles
                .entry((pair[0], pair[1]))
                .or_insert_with(|| (at.clone(), Vec::new()));
            entry.1.push(*service);
        }
    }
    for ((i, j), (at, mut services)) in doubles {
        // In catalogue order, as everywhere else.
        services.sort_by_key(|s| targets.iter().position(|t| t.service == *s));
        let what: Vec<String> = services.iter().map(|s| s.label().to_owned()).collect();
        let (a, b) = (d.vnets[i].key(), d.vnets[j].key());
        let hub = format!("resolve `{b}` through `{a}`'s endpoints (hub style: on `{b}` set privateEndpoints: false and connectedTo: [{a}])");
        let hint = match &at {
            ZoneAt::Created(ZoneHome::Here, _) => format!(
                "{hub}, or keep them isolated with zones of their own: on `{b}` set dns: {{mode: existing, zoneIds: ...}}, or for an existing VNet in another resource group dns: {{mode: create}} with linkNewZones: true (its zones are then created there; two zones of one name cannot share a resource group)"
            ),
            ZoneAt::Created(ZoneHome::Group { resource_group, .. }, _) => format!(
                "both VNets' zones would be created in {resource_group}, and two zones of one name cannot share a resource group: {hub}, or give `{b}` existing zones of its own (dns: {{mode: existing, zoneIds: ...}})"
            ),
            ZoneAt::Existing(_) => format!(
                "{hub}, or point `{b}` at zones of its own (dns: {{mode: existing, zoneIds: ...}} on that VNet)"
            ),
            ZoneAt::Policy(_) => format!(
                "Azure Policy registers every endpoint in the same central zone: {hub}"
            ),
        };
        refusals.push(Refusal {
            pointer: pointer(j),
            message: format!(
                "VNets `{a}` and `{b}` would both register their private endpoints ({}) in {}: a zone holds one A record per name, so the second replaces the first (one VNet then resolves to an address in the other), and deleting either endpoint removes the record for both",
                list(&what),
                match &at {
                    ZoneAt::Created(ZoneHome::Here, _) => "the same zones, created in this resource group".to_owned(),
                    ZoneAt::Created(ZoneHome::Group { resource_group, .. }, _) => format!("the same zones, created in {resource_group}"),
                    ZoneAt::Existing(_) => "the same existing zones".to_owned(),
                    ZoneAt::Policy(_) => "Azure Policy's central zones".to_owned(),
                }
            ),
            hint,
        });
    }

    if !targets.is_empty() && !d.vnets.iter().any(|v| v.endpoints) {
        refusals.push(Refusal {
            pointer: "/network/vnets".into(),
            message: "no VNet holds the private endpoints: every entry has privateEndpoints: false".into(),
            hint: "let one VNet hold them (remove privateEndpoints: false from it); the others resolve to it through connectedTo".into(),
        });
    }

    let mut resolution = Resolution::default();
    for (i, vnet) in d.vnets.iter().enumerate() {
        let mut names = Vec::new();
        let mut missing: Vec<String> = Vec::new();
        let mut unreachable: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for t in &targets {
            let Some(at) = zone_at(vnet, t.service.zone()) else {
                names.push(NameResolution {
                    target: t.clone(),
                    zone: "none (DNS mode none)".into(),
                    answer: Answer::Unmanaged,
                });
                continue;
            };
            let zone = describe_zone(&at, d.cloud);
            let key = (zone_key(&at, d.cloud), t.service);
            match writers.get(&key).map(|(_, js)| js.as_slice()) {
                None | Some([]) => missing.push(t.describe()),
                Some([j]) => {
                    let owner = &d.vnets[*j];
                    if vnet.reaches(owner) {
                        names.push(NameResolution {
                            target: t.clone(),
                            zone,
                            answer: Answer::Endpoint {
                                vnet: owner.key().to_owned(),
                                endpoint: t.endpoint_name(owner.key()),
                            },
                        });
                    } else {
                        unreachable.entry(*j).or_default().push(t.describe());
                    }
                }
                // Already refused above, once for the pair.
                Some(_) => {}
            }
        }
        let key = vnet.key();
        if !missing.is_empty() {
            refusals.push(Refusal {
                pointer: pointer(i),
                message: format!(
                    "VNet `{key}` resolves {} through zones no private endpoint registers in, so those names would not resolve at all (NXDOMAIN)",
                    list(&missing)
                ),
                hint: "resolve through the zones the endpoints register in (give this VNet the same dns as the VNet with the endpoints), or give it endpoints of its own (privateEndpoints: true)".into(),
            });
        }
        for (j, what) in unreachable {
            let owner = d.vnets[j].key();
            refusals.push(Refusal {
                pointer: pointer(i),
                message: format!(
                    "VNet `{key}` would resolve {} to the private endpoints in VNet `{owner}`, which it is not declared connected to",
                    list(&what)
                ),
                hint: format!("if `{key}` is peered with `{owner}` (or routed to it through a hub), add connectedTo: [{owner}] to it; otherwise give `{key}` endpoints and zones of its own (privateEndpoints: true, and its own dns)"),
            });
        }
        resolution.vnets.push(VnetResolution {
            vnet: key.to_owned(),
            names,
        });
    }

    if let (Some(rm), Some(t)) = (&d.resource_manager, d.resource_manager_target()) {
        let vnet = &rm.subnet.vnet_name;
        let row = NameResolution {
            zone: match (&rm.dns, &rm.zone_id) {
                (Dns::None, _) => "none (DNS mode none)".into(),
                (Dns::Policy, _) => describe_zone(&ZoneAt::Policy(Zone::ResourceManager), d.cloud),
                (_, Some(id)) => describe_zone(&ZoneAt::Existing(id.clone()), d.cloud),
                _ => format!(
                    "{RESOURCE_MANAGER_ZONE}, created with the Resource Manager private link"
                ),
            },
            answer: if rm.dns == Dns::None {
                Answer::Unmanaged
            } else {
                Answer::Endpoint {
                    vnet: vnet.clone(),
                    endpoint: t.endpoint_name(vnet),
                }
            },
            target: t,
        };
        // The same VNet when it is also in the values file's list (same resource ID).
        let same = d.vnets.iter().position(|v| {
            v.existing()
                .is_some_and(|e| e.vnet_id().eq_ignore_ascii_case(&rm.subnet.vnet_id()))
        });
        match same.and_then(|i| resolution.vnets.get_mut(i)) {
            Some(v) => v.names.push(row),
            None => resolution.vnets.push(VnetResolution {
                vnet: vnet.clone(),
                names: vec![row],
            }),
        }
    }
    (resolution, refusals)
}
