//! The deployment as a picture, in one typed view that the Mermaid block of DEPLOY.md and
//! the SVG beside it both draw: the internet and each public door with its reach, the
//! services, each VNet with its subnet and endpoints, and the DNS zones with the VNets that
//! resolve through them. Long lists are cut to a few entries and a count, so the largest input
//! the schema allows still reads.

use crate::model::exposure::{self, Internet};

use crate::model::*;

/// How many entries of a list (an allowlist's addresses, a group's doors) are drawn; the rest
/// are counted.
const SHOWN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Closed,
    Allowlist,
    Everyone,
}

#[derive(Debug)]
pub struct DoorBox {
    pub lines: Vec<String>,
    pub reach: Reach,
    pub service: usize,
}

#[derive(Debug)]
pub struct ServiceBox {
    pub lines: Vec<String>,
    resource: TargetResource,
}

#[derive(Debug)]
pub struct EndpointBox {
    pub name: String,
    pub service: usize,
    /// The zone its record is written to (none with DNS mode none).
    pub zone: Option<usize>,
}

#[derive(Debug)]
pub struct VnetBox {
    pub key: String,
    pub lines: Vec<String>,
    pub endpoints: Vec<EndpointBox>,
}

#[derive(Debug)]
pub struct ZoneBox {
    /// What identifies it in the resolution model ("…, created here").
    key: String,
    pub lines: Vec<String>,
    /// The VNets that resolve through it.
    pub vnets: Vec<usize>,
}

#[derive(Debug)]
pub struct Topology {
    pub doors: Vec<DoorBox>,
    pub services: Vec<ServiceBox>,
    pub vnets: Vec<VnetBox>,
    pub zones: Vec<ZoneBox>,
}

fn reach_words(internet: &Internet) -> (Reach, String) {
    match internet {
        Internet::Closed => (Reach::Closed, "internet: closed".into()),
        Internet::Everyone => (Reach::Everyone, "internet: every address".into()),
        Internet::Allowlist { ranges } => {
            let mut shown = ranges[..ranges.len().min(SHOWN)].join(", ");
            if ranges.len() > SHOWN {
                shown.push_str(&format!(" (+{} more)", ranges.len() - SHOWN));
            }
            (Reach::Allowlist, format!("internet: {shown}"))
        }
    }
}

/// The member's own name in a door's name: `live1` in "live event 'live1' ingest".
fn instance(name: &str) -> &str {
    name.split('\'').nth(1).unwrap_or(name)
}

/// A box for every resource of the deployment, in the catalogue's order.
fn services(d: &Deployment) -> Vec<ServiceBox> {
    TargetResource::ALL
        .into_iter()
        .filter_map(|resource| {
            service_lines(d, resource).map(|lines| ServiceBox { lines, resource })
        })
        .collect()
}

/// What a resource's box says; none for a resource this deployment does not have.
fn service_lines(d: &Deployment, resource: TargetResource) -> Option<Vec<String>> {
    match resource {
        // Not deployed, it has no box: the picture shows what exists.
        TargetResource::Media => d.media.deploy.then(|| {
            vec![
                format!("Media Services {}", d.media.name),
                "only with deployMediaServices=true".into(),
            ]
        }),
        TargetResource::Storage => Some(vec![format!("storage account {}", d.storage.name)]),
        TargetResource::Vault => d.media.customer_key().map(|key| match &key.vault {
            KeyVault::New { name, .. } => vec![format!("key vault {name}")],
            KeyVault::Existing {
                name,
                resource_group,
                ..
            } => vec![
                format!("key vault {name}"),
                format!("existing, in {resource_group}"),
            ],
        }),
        TargetResource::Topic => d
            .event_grid
            .as_ref()
            .and_then(|e| e.custom_topic.as_ref())
            .map(|topic| vec![format!("Event Grid topic {topic}")]),
        TargetResource::ResourceManager => d.resource_manager.as_ref().map(|rm| {
            vec![
                format!("Resource Manager private link {}", rm.name),
                "tenant root management group".into(),
            ]
        }),
    }
}

fn service_of(services: &[ServiceBox], service: Service) -> usize {
    let resource = service.resource();
    services
        .iter()
        .position(|s| s.resource == resource)
        .unwrap_or(0)
}

fn vnet_lines(d: &Deployment, i: usize) -> Vec<String> {
    let vnet = &d.vnets[i];
    let mut lines = shape_lines(vnet);
    let resolver = d.resolver.as_ref();
    match d.lookup(i) {
        Lookup::Linked => {}
        Lookup::Resolver | Lookup::Ruleset => {
            let (how, address, holder) = match (d.lookup(i), resolver) {
                (Lookup::Resolver, Some(r)) => ("DNS server", r.address, d.vnets[r.vnet].key()),
                (_, Some(r)) => ("forwarding ruleset", r.address, d.vnets[r.vnet].key()),
                _ => ("", std::net::Ipv4Addr::UNSPECIFIED, ""),
            };
            lines.push(format!("DNS: {how} -> resolver {address} in {holder}"));
        }
        Lookup::OwnServers => {
            let servers: Vec<String> = vnet.dns_servers.iter().map(ToString::to_string).collect();
            lines.push(format!("DNS: your servers {}", servers.join(", ")));
        }
    }
    if resolver.is_some_and(|r| r.vnet == i) {
        lines.push(format!(
            "DNS resolver {}",
            resolver.map_or(String::new(), |r| r.address.to_string())
        ));
    }
    lines
}

/// The on-premises networks' box: how they come in and where their DNS goes.
fn on_premises_box(d: &Deployment) -> Option<VnetBox> {
    let op = d.on_premises.as_ref()?;
    let mut lines = vec![
        "on-premises networks".to_owned(),
        format!("ExpressRoute/VPN via {}", d.vnets[op.gateway_vnet].key()),
    ];
    if let Some(r) = &d.resolver {
        lines.push(format!("DNS: forwarders -> resolver {}", r.address));
    }
    Some(VnetBox {
        key: ON_PREMISES.to_owned(),
        lines,
        endpoints: Vec::new(),
    })
}

fn shape_lines(vnet: &Vnet) -> Vec<String> {
    match &vnet.shape {
        VnetShape::New { name, subnet, .. } => vec![
            format!("VNet {name} (new)"),
            format!("subnet {} {}", subnet.name, subnet.prefix),
        ],
        VnetShape::Existing(e) => vec![
            format!("VNet {} (existing)", e.vnet_name),
            format!("rg {}, sub {}", e.resource_group, e.subscription_id),
            format!("subnet {}", e.subnet_name),
        ],
    }
}

/// Records that the zone described as `zone` answers VNet box `at`; the zone's box is made the
/// first time.
fn resolved_from(zones: &mut Vec<ZoneBox>, zone: &str, at: usize) {
    let z = match zones.iter().position(|z| z.key == zone) {
        Some(z) => z,
        None => {
            let mut lines: Vec<String> = zone.splitn(2, ", ").map(str::to_owned).collect();
            lines.retain(|l| !l.is_empty());
            zones.push(ZoneBox {
                key: zone.to_owned(),
                lines,
                vnets: Vec::new(),
            });
            zones.len() - 1
        }
    };
    if !zones[z].vnets.contains(&at) {
        zones[z].vnets.push(at);
    }
}

pub fn topology(d: &Deployment) -> Topology {
    let services = services(d);
    // Doors of one kind with the same reach are one box (twenty closed live events read as
    // one line), named by their first few members and a count.
    let mut groups: Vec<(exposure::Door, Vec<String>)> = Vec::new();
    for door in doors(d) {
        match groups
            .iter_mut()
            .find(|(g, _)| g.family == door.family && g.internet == door.internet)
        {
            Some((_, members)) => members.push(door.name),
            None => {
                let name = door.name.clone();
                groups.push((door, vec![name]));
            }
        }
    }
    let doors = groups
        .into_iter()
        .map(|(door, members)| {
            let (reach, words) = reach_words(&door.internet);
            let title = if members.len() == 1 {
                door.name.clone()
            } else {
                let shown: Vec<&str> = members.iter().take(SHOWN).map(|m| instance(m)).collect();
                let more = members.len().saturating_sub(SHOWN);
                let more = if more > 0 {
                    format!(" (+{more} more)")
                } else {
                    String::new()
                };
                format!(
                    "{} x{}: {}{more}",
                    door.family,
                    members.len(),
                    shown.join(", ")
                )
            };
            DoorBox {
                lines: vec![title, words],
                reach,
                service: services
                    .iter()
                    .position(|s| s.resource == door.service)
                    .unwrap_or(0),
            }
        })
        .collect();

    // Zones, in the order the VNets first resolve through them.
    let mut zones: Vec<ZoneBox> = Vec::new();
    let mut vnets: Vec<VnetBox> = (0..d.vnets.len())
        .map(|i| VnetBox {
            key: d.vnets[i].key().to_owned(),
            lines: vnet_lines(d, i),
            endpoints: Vec::new(),
        })
        .collect();
    vnets.extend(on_premises_box(d));
    let mut keys: Vec<String> = vnets.iter().map(|v| v.key.to_lowercase()).collect();
    for r in &d.resolution.clients {
        let client = match keys.iter().position(|k| *k == r.client.to_lowercase()) {
            Some(i) => i,
            None => {
                // The Resource Manager endpoint's VNet, when it is not one of network.vnets.
                vnets.push(VnetBox {
                    key: r.client.clone(),
                    lines: vec![format!("VNet {} (existing)", r.client)],
                    endpoints: Vec::new(),
                });
                keys.push(r.client.to_lowercase());
                vnets.len() - 1
            }
        };
        for n in &r.names {
            // A zone is drawn resolving for the VNet whose link answers: the client's own, or
            // the resolver's VNet; DNS servers the tool does not know are drawn as text only.
            let at = match &n.path {
                Path::Link { .. } => Some(client),
                Path::Resolver { vnet, .. } => keys.iter().position(|k| *k == vnet.to_lowercase()),
                Path::OwnServers { .. } | Path::Unmanaged => None,
            };
            if let Some(at) = at {
                resolved_from(&mut zones, &n.zone, at);
            }
        }
    }
    // Each endpoint, in the VNet that holds it, registered where that VNet resolves its name.
    for r in &d.resolution.clients {
        for n in &r.names {
            let Answer::Endpoint { vnet, endpoint } = &n.answer else {
                continue;
            };
            if !vnet.eq_ignore_ascii_case(&r.client) {
                continue; // resolved through a connected VNet's endpoint, drawn there
            }
            let Some(at) = keys.iter().position(|k| *k == vnet.to_lowercase()) else {
                continue;
            };
            vnets[at].endpoints.push(EndpointBox {
                name: endpoint.clone(),
                service: service_of(&services, n.target.service),
                zone: zones.iter().position(|z| z.key == n.zone),
            });
        }
    }
    // With DNS mode none there is no resolution row with an endpoint: draw the endpoints still.
    for (i, v) in d.vnets.iter().enumerate() {
        if v.endpoints && vnets[i].endpoints.is_empty() {
            for t in d.deployed_targets() {
                vnets[i].endpoints.push(EndpointBox {
                    name: t.endpoint_name(v.key()),
                    service: service_of(&services, t.service),
                    zone: None,
                });
            }
        }
    }
    for z in &mut zones {
        let from: Vec<&str> = z.vnets.iter().map(|i| vnets[*i].key.as_str()).collect();
        z.lines.push(format!("resolved from {}", from.join(", ")));
    }
    Topology {
        doors,
        services,
        vnets,
        zones,
    }
}
