//! Name resolution: for every client (each VNet, and on-premises networks) and every private
//! name, which zone answers, how the client gets to it, and which endpoint's address it
//! returns. Private Link works only when, from each client, each name resolves to exactly one
//! endpoint that client can reach, so the designs that break this are refused here rather than
//! discovered after deployment.
//!
//! Azure behaviour relied on (shared/docs/azure-facts.md §3.2a and §3.2c): a zone holds one A
//! record per name, and a second zone group for the same target in the same zone replaces it
//! (private-endpoint-dns.md, the caution about the initial A record); a VNet can be linked to
//! only one zone of a name; two zones of one name cannot share a resource group; Azure DNS
//! answers a VNet's clients from the zones linked to that VNet, and a DNS Private Resolver's
//! inbound endpoint answers from the zones linked to its own VNet (private-resolver-endpoints-
//! rulesets.md); a VNet on DNS servers of its own asks them instead.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::private_link::{Service, Target};
use super::{Deployment, Dns, Lookup, ResourceId, Vnet, Zone, ZoneHome, RESOURCE_MANAGER_ZONE};
use crate::model::values::Cloud;

/// What every client resolves.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub clients: Vec<ClientResolution>,
}

/// The client name of on-premises networks in the resolution: with a space, which no VNet name
/// has, so it never merges with a VNet's.
pub const ON_PREMISES: &str = "on-premises networks";

#[derive(Debug, Clone)]
pub struct ClientResolution {
    /// The VNet's key, or [`ON_PREMISES`].
    pub client: String,
    pub on_premises: bool,
    pub names: Vec<NameResolution>,
}

#[derive(Debug, Clone)]
pub struct NameResolution {
    pub target: Target,
    /// Which zone answers, in words ("privatelink.blob.core.windows.net, created here").
    pub zone: String,
    /// How the client's question gets to that zone.
    pub path: Path,
    pub answer: Answer,
    /// Who writes the record the zone answers with.
    pub record: Record,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The address of this endpoint.
    Endpoint { vnet: String, endpoint: String },
    /// DNS mode none: no record is managed here; the user's DNS decides.
    Unmanaged,
}

/// How a client's question reaches the zone that answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Path {
    /// Azure-provided DNS, through the zone linked to the client VNet. `by_template`: this
    /// deployment creates the link; otherwise it must be in place already (a prerequisite).
    Link { by_template: bool },
    /// Through the DNS Private Resolver's inbound endpoint at `address`, which answers from the
    /// zones linked to its VNet `vnet` (`by_template` as for a link).
    Resolver {
        via: Via,
        address: Ipv4Addr,
        vnet: String,
        by_template: bool,
    },
    /// The client VNet's own DNS servers: private only if they forward the name to Azure DNS
    /// from a VNet linked to the zone, which nothing here can check.
    OwnServers { servers: Vec<Ipv4Addr> },
    /// DNS mode none: the user's DNS.
    Unmanaged,
}

/// How a client reaches the resolver's inbound endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The VNet's DNS servers are the inbound endpoint.
    DnsServers,
    /// The resolver's forwarding ruleset, linked to the VNet, forwards the names to it.
    Ruleset,
    /// On-premises DNS servers forward the names to it (conditional forwarders).
    Forwarders,
}

/// Who writes a name's A record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// The endpoint's zone group, written by this deployment.
    ZoneGroup,
    /// Azure Policy adds the zone group (DNS mode policy).
    Policy,
    /// DNS mode policy for a target no current built-in policy covers (Microsoft's for Media
    /// Services is deprecated, Resource Manager's group has none): the companion policy this
    /// tool writes adds the zone group.
    CompanionPolicy,
}

impl Path {
    /// Whether the answer is private by what this deployment and its declared prerequisites
    /// make true (not by DNS servers the tool knows nothing about, nor the user's own DNS).
    pub fn is_known(&self) -> bool {
        matches!(self, Path::Link { .. } | Path::Resolver { .. })
    }
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
    /// Azure Policy registers in central zones: the one the values name, if they do.
    Policy(Zone, Option<String>),
}

fn zone_at(vnet: &Vnet, zone: Zone) -> Option<ZoneAt> {
    match &vnet.dns {
        Dns::Create(home) => Some(ZoneAt::Created(home.clone(), zone)),
        Dns::Existing(ids) => ids.get(&zone).map(|id| ZoneAt::Existing(id.to_lowercase())),
        Dns::Policy(ids) => Some(ZoneAt::Policy(
            zone,
            ids.get(&zone).map(|id| id.to_lowercase()),
        )),
        Dns::None => None,
    }
}

/// Which zone resource a record lives in. Zones known by resource ID (existing ones, central
/// ones the values name, and those created in a named resource group) compare by that ID,
/// letter case ignored as Azure does, so a zone created in a VNet's group and the same zone
/// given as existing are one zone.
fn zone_key(at: &ZoneAt, cloud: Cloud) -> String {
    match at {
        ZoneAt::Created(home, z) => match home.zone_id(*z, cloud) {
            Some(id) => id.to_lowercase(),
            None => format!("here:{}", z.key()),
        },
        ZoneAt::Existing(id) | ZoneAt::Policy(_, Some(id)) => id.to_lowercase(),
        ZoneAt::Policy(z, None) => format!("policy:{}", z.key()),
    }
}

fn describe_zone(at: &ZoneAt, cloud: Cloud) -> String {
    let name = |z: &Zone| z.name(cloud).unwrap_or_default();
    let existing = |id: &str, what: &str| match ResourceId::parse(id) {
        Some(zone) => format!("{}, {what} in {}", zone.name(), zone.resource_group),
        None => format!("{id}, {what}"),
    };
    match at {
        ZoneAt::Created(ZoneHome::Here, z) => format!("{}, created here", name(z)),
        ZoneAt::Created(ZoneHome::Group { resource_group, .. }, z) => {
            format!("{}, created in {resource_group}", name(z))
        }
        ZoneAt::Existing(id) => existing(id, "existing"),
        ZoneAt::Policy(_, Some(id)) => existing(id, "central zone of Azure Policy"),
        ZoneAt::Policy(z, None) => format!("{}, central zone of Azure Policy", name(z)),
    }
}

/// Whether the template links `vnet` to `at`: `Some(true)` it does, `Some(false)` the link
/// must be in place already (an existing VNet: this deployment does not touch its links),
/// `None` nothing links it (a new VNet and central zones the values do not name).
fn linked_by_template(vnet: &Vnet, at: &ZoneAt) -> Option<bool> {
    let new = vnet.existing().is_none();
    match at {
        // Zones created here are linked to every VNet of their home that asks Azure DNS (an
        // existing VNet only with linkNewZones; the rules refuse it otherwise).
        ZoneAt::Created(..) => Some(true),
        ZoneAt::Existing(_) | ZoneAt::Policy(_, Some(_)) => Some(new),
        ZoneAt::Policy(_, None) => (!new).then_some(false),
    }
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// Who writes each record: (zone, target) → the zone and the VNets whose endpoint registers
/// there.
type Writers = BTreeMap<(String, Service), (ZoneAt, Vec<usize>)>;

fn writers(d: &Deployment, targets: &[Target]) -> Writers {
    let mut writers = Writers::new();
    for (j, vnet) in d.vnets.iter().enumerate().filter(|(_, v)| v.endpoints) {
        for t in targets {
            if let Some(at) = zone_at(vnet, t.service.zone()) {
                writers
                    .entry((zone_key(&at, d.cloud), t.service))
                    .or_insert_with(|| (at, Vec::new()))
                    .1
                    .push(j);
            }
        }
    }
    writers
}

fn pointer(i: usize) -> String {
    format!("/network/vnets/{i}")
}

/// Two writers for one record: one refusal per pair of VNets and zone kind.
fn double_writers(d: &Deployment, targets: &[Target], writers: &Writers) -> Vec<Refusal> {
    let mut doubles: BTreeMap<(usize, usize), (ZoneAt, Vec<Service>)> = BTreeMap::new();
    for ((_, service), (at, js)) in writers {
        for pair in js.windows(2) {
            let entry = doubles
                .entry((pair[0], pair[1]))
                .or_insert_with(|| (at.clone(), Vec::new()));
            entry.1.push(*service);
        }
    }
    doubles
        .into_iter()
        .map(|((i, j), (at, mut services))| {
            // In catalogue order, as everywhere else.
            services.sort_by_key(|s| targets.iter().position(|t| t.service == *s));
            let what: Vec<String> = services.iter().map(|s| s.label().to_owned()).collect();
            double_writer_refusal(d.vnets[i].key(), d.vnets[j].key(), j, &at, &what)
        })
        .collect()
}

fn double_writer_refusal(a: &str, b: &str, j: usize, at: &ZoneAt, what: &[String]) -> Refusal {
    let hub = format!("resolve `{b}` through `{a}`'s endpoints (hub style: on `{b}` set privateEndpoints: false and connectedTo: [{a}])");
    let (hint, zones) = match at {
        ZoneAt::Created(ZoneHome::Here, _) => (
            format!("{hub}, or keep them isolated with zones of their own: on `{b}` set dns: {{mode: existing, zoneIds: ...}}, or for an existing VNet in another resource group dns: {{mode: create}} with linkNewZones: true (its zones are then created there; two zones of one name cannot share a resource group)"),
            "the same zones, created in this resource group".to_owned(),
        ),
        ZoneAt::Created(ZoneHome::Group { resource_group, .. }, _) => (
            format!("both VNets' zones would be created in {resource_group}, and two zones of one name cannot share a resource group: {hub}, or give `{b}` existing zones of its own (dns: {{mode: existing, zoneIds: ...}})"),
            format!("the same zones, created in {resource_group}"),
        ),
        ZoneAt::Existing(_) => (
            format!("{hub}, or point `{b}` at zones of its own (dns: {{mode: existing, zoneIds: ...}} on that VNet)"),
            "the same existing zones".to_owned(),
        ),
        ZoneAt::Policy(..) => (
            format!("Azure Policy registers every endpoint in the same central zone: {hub}"),
            "Azure Policy's central zones".to_owned(),
        ),
    };
    Refusal {
        pointer: pointer(j),
        message: format!(
            "VNets `{a}` and `{b}` would both register their private endpoints ({}) in {zones}: a zone holds one A record per name, so the second replaces the first (one VNet then resolves to an address in the other), and deleting either endpoint removes the record for both",
            list(what)
        ),
        hint,
    }
}

/// A VNet that asks Azure DNS must be linked to each zone that answers it; a new VNet in
/// policy mode whose central zones the values do not name is linked to nothing.
fn unlinked(d: &Deployment, targets: &[Target]) -> Vec<Refusal> {
    let mut out = Vec::new();
    for (i, vnet) in d.vnets.iter().enumerate() {
        if !d.needs_links(i) {
            continue;
        }
        let names: Vec<String> = targets
            .iter()
            .filter(|t| {
                zone_at(vnet, t.service.zone())
                    .is_some_and(|at| linked_by_template(vnet, &at).is_none())
            })
            .map(Target::describe)
            .collect();
        if names.is_empty() {
            continue;
        }
        let key = vnet.key();
        let holds = if d.holds_resolver(i) {
            " (it holds the DNS resolver, which answers from its links)"
        } else {
            ""
        };
        out.push(Refusal {
            pointer: pointer(i),
            message: format!(
                "VNet `{key}` is created here and its clients ask Azure-provided DNS{holds}, but nothing links it to Azure Policy's central zones, so from it {} would resolve to public addresses, where the firewalls refuse them",
                list(&names)
            ),
            hint: "name the central zones in privateLink.dns.zoneIds (or this VNet's dns.zoneIds; Azure Policy still writes the records, and the template links the zones to this VNet), or give this VNet DNS servers that resolve them (dnsServers: [<your hub's resolver or DNS proxy address>]), or let it resolve through a DNS resolver of this design that is linked to them (network.dnsResolver)".into(),
        });
    }
    out
}

/// Who asks: a VNet of the list (its index), or on-premises networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    Vnet(usize),
    OnPremises,
}

impl Client {
    fn name(self, d: &Deployment) -> String {
        match self {
            Client::Vnet(i) => format!("VNet `{}`", d.vnets[i].key()),
            Client::OnPremises => "on-premises networks".into(),
        }
    }

    fn pointer(self) -> String {
        match self {
            Client::Vnet(i) => pointer(i),
            Client::OnPremises => "/network/onPremises".into(),
        }
    }

    /// Whether the client reaches endpoints in VNet `j`.
    fn reaches(self, d: &Deployment, j: usize) -> bool {
        match self {
            Client::Vnet(i) => d.vnets[i].reaches(&d.vnets[j]),
            Client::OnPremises => on_premises_reach(d, j),
        }
    }

    /// The VNet whose zone links answer the client, and how its question gets there. Without
    /// a resolver (a design the rules refuse) a VNet is taken to ask its own links.
    fn asks(self, d: &Deployment) -> (usize, Option<Via>) {
        match (self, &d.resolver) {
            (Client::OnPremises, Some(r)) => (r.vnet, Some(Via::Forwarders)),
            (Client::Vnet(i), Some(r)) => match d.lookup(i) {
                Lookup::Linked | Lookup::OwnServers => (i, None),
                Lookup::Resolver => (r.vnet, Some(Via::DnsServers)),
                Lookup::Ruleset => (r.vnet, Some(Via::Ruleset)),
            },
            (Client::Vnet(i), None) => (i, None),
            (Client::OnPremises, None) => (0, None),
        }
    }

    fn path(self, d: &Deployment, by_template: bool) -> Path {
        let (answering, via) = self.asks(d);
        match (self, via, &d.resolver) {
            (_, Some(via), Some(r)) => Path::Resolver {
                via,
                address: r.address,
                vnet: d.vnets[answering].key().to_owned(),
                by_template,
            },
            (Client::Vnet(i), _, _) if d.lookup(i) == Lookup::OwnServers => Path::OwnServers {
                servers: d.vnets[i].dns_servers.clone(),
            },
            _ => Path::Link { by_template },
        }
    }
}

/// What one client resolves, and why some of it is refused.
fn resolve_client(
    d: &Deployment,
    targets: &[Target],
    writers: &Writers,
    client: Client,
) -> (Vec<NameResolution>, Vec<Refusal>) {
    let answering = &d.vnets[client.asks(d).0];
    let mut names = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut unreachable: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for t in targets {
        let Some(at) = zone_at(answering, t.service.zone()) else {
            names.push(NameResolution {
                target: t.clone(),
                zone: "none (DNS mode none)".into(),
                path: Path::Unmanaged,
                answer: Answer::Unmanaged,
                record: Record::ZoneGroup,
            });
            continue;
        };
        let key = (zone_key(&at, d.cloud), t.service);
        match writers.get(&key).map(|(_, js)| js.as_slice()) {
            None | Some([]) => missing.push(t.describe()),
            Some([j]) if client.reaches(d, *j) => {
                let owner = &d.vnets[*j];
                let by_template = linked_by_template(answering, &at).unwrap_or(false);
                names.push(NameResolution {
                    target: t.clone(),
                    zone: describe_zone(&at, d.cloud),
                    path: client.path(d, by_template),
                    answer: Answer::Endpoint {
                        vnet: owner.key().to_owned(),
                        endpoint: t.endpoint_name(owner.key()),
                    },
                    record: record_of(owner, t.service),
                });
            }
            Some([j]) => unreachable.entry(*j).or_default().push(t.describe()),
            // Already refused, once for the pair.
            Some(_) => {}
        }
    }
    let mut refusals = Vec::new();
    if !missing.is_empty() {
        refusals.push(Refusal {
            pointer: client.pointer(),
            message: format!(
                "{} resolves {} through zones no private endpoint registers in, so those names would not resolve at all (NXDOMAIN)",
                client.name(d),
                list(&missing)
            ),
            hint: "resolve through the zones the endpoints register in (give this VNet the same dns as the VNet with the endpoints), or give it endpoints of its own (privateEndpoints: true)".into(),
        });
    }
    for (j, what) in unreachable {
        refusals.push(unreachable_refusal(d, client, j, &what));
    }
    (names, refusals)
}

fn unreachable_refusal(d: &Deployment, client: Client, j: usize, what: &[String]) -> Refusal {
    let owner = d.vnets[j].key();
    let (connect, hint) = match (client, &d.on_premises) {
        (Client::OnPremises, Some(op)) => {
            let gateway = d.vnets[op.gateway_vnet].key();
            (
                format!("which on-premises networks do not reach: they come in through `{gateway}`, and `{owner}` is not peered with it"),
                format!("connect `{owner}` with `{gateway}` (connectedTo: [{gateway}] on `{owner}`; the peering then uses `{gateway}`'s gateway), or put the endpoints in `{gateway}`"),
            )
        }
        (Client::Vnet(i), _) => {
            let key = d.vnets[i].key();
            (
                "which it is not declared connected to".to_owned(),
                format!("if `{key}` is peered with `{owner}` (or routed to it through a hub), add connectedTo: [{owner}] to it; otherwise give `{key}` endpoints and zones of its own (privateEndpoints: true, and its own dns)"),
            )
        }
        (Client::OnPremises, None) => (String::new(), String::new()),
    };
    Refusal {
        pointer: client.pointer(),
        message: format!(
            "{} would resolve {} to the private endpoints in VNet `{owner}`, {connect}",
            client.name(d),
            list(what)
        ),
        hint,
    }
}

/// Who writes the record of `service` for endpoints in `owner`.
fn record_of(owner: &Vnet, service: Service) -> Record {
    match (&owner.dns, service) {
        (Dns::Policy(_), s) if s.built_in_dns_policy().is_none() => Record::CompanionPolicy,
        (Dns::Policy(_), _) => Record::Policy,
        _ => Record::ZoneGroup,
    }
}

/// Whether on-premises networks reach endpoints in VNet `j`: the gateway's VNet itself, or a
/// VNet peered with it that uses its gateway.
pub(crate) fn on_premises_reach(d: &Deployment, j: usize) -> bool {
    let Some(op) = &d.on_premises else {
        return false;
    };
    j == op.gateway_vnet
        || d.peerings.iter().any(|p| {
            (p.a == j || p.b == j)
                && p.gateway == Some(op.gateway_vnet)
                && p.other(j) == op.gateway_vnet
        })
}

/// On-premises networks: their forwarders send the names to the resolver, which answers from
/// the zones linked to its VNet.
fn on_premises(
    d: &Deployment,
    targets: &[Target],
    writers: &Writers,
) -> Option<(ClientResolution, Vec<Refusal>)> {
    d.on_premises.as_ref()?;
    let resolver = d.resolver.as_ref()?;
    let (names, mut refusals) = resolve_client(d, targets, writers, Client::OnPremises);
    let holder = d.vnets[resolver.vnet].key();
    if !names.is_empty() && names.iter().all(|n| n.answer == Answer::Unmanaged) {
        refusals.push(Refusal {
            pointer: "/network/dnsResolver/vnet".into(),
            message: format!(
                "on-premises networks resolve through the DNS resolver in `{holder}`, whose DNS mode is none: no zone answers there"
            ),
            hint: "give the resolver's VNet the zones the endpoints register in (its dns, or privateLink.dns), or put the resolver in a VNet that has them".into(),
        });
    }
    if !on_premises_reach(d, resolver.vnet) {
        refusals.push(Refusal {
            pointer: "/network/dnsResolver/vnet".into(),
            message: format!(
                "on-premises DNS servers could not reach the resolver's inbound endpoint {}: its VNet `{holder}` is neither the gateway's VNet nor peered with it",
                resolver.address
            ),
            hint: "put the resolver in the gateway's VNet (network.onPremises.gatewayVnet), or connect its VNet to that one (connectedTo)".into(),
        });
    }
    Some((
        ClientResolution {
            client: ON_PREMISES.to_owned(),
            on_premises: true,
            names,
        },
        refusals,
    ))
}

/// Works out what each client resolves and every design that would break it.
pub fn resolve(d: &Deployment) -> (Resolution, Vec<Refusal>) {
    resolve_for(d, &d.targets())
}

/// The same, for `targets` alone.
pub fn resolve_for(d: &Deployment, targets: &[Target]) -> (Resolution, Vec<Refusal>) {
    let writers = writers(d, targets);
    let mut refusals = double_writers(d, targets, &writers);
    if !targets.is_empty() && !d.vnets.iter().any(|v| v.endpoints) {
        refusals.push(Refusal {
            pointer: "/network/vnets".into(),
            message: "no VNet holds the private endpoints: every entry has privateEndpoints: false".into(),
            hint: "let one VNet hold them (remove privateEndpoints: false from it); the others resolve to it through connectedTo".into(),
        });
    }
    refusals.extend(unlinked(d, targets));
    let mut resolution = Resolution::default();
    for i in 0..d.vnets.len() {
        let (names, found) = resolve_client(d, targets, &writers, Client::Vnet(i));
        refusals.extend(found);
        resolution.clients.push(ClientResolution {
            client: d.vnets[i].key().to_owned(),
            on_premises: false,
            names,
        });
    }
    if let Some((client, found)) = on_premises(d, targets, &writers) {
        refusals.extend(found);
        resolution.clients.push(client);
    }
    add_resource_manager(d, &mut resolution);
    (resolution, refusals)
}

/// The Resource Manager private link's name, resolved from its endpoint's VNet.
fn add_resource_manager(d: &Deployment, resolution: &mut Resolution) {
    let (Some(rm), Some(t)) = (&d.resource_manager, d.resource_manager_target()) else {
        return;
    };
    let vnet = &rm.subnet.vnet_name;
    let row = NameResolution {
        zone: match (&rm.dns, &rm.zone_id) {
            (Dns::None, _) => "none (DNS mode none)".into(),
            (Dns::Policy(_), id) => {
                describe_zone(&ZoneAt::Policy(Zone::ResourceManager, id.clone()), d.cloud)
            }
            (_, Some(id)) => describe_zone(&ZoneAt::Existing(id.clone()), d.cloud),
            _ => format!("{RESOURCE_MANAGER_ZONE}, created with the Resource Manager private link"),
        },
        path: match (&rm.dns, &rm.zone_id) {
            (Dns::None, _) => Path::Unmanaged,
            // The link template links a zone it creates; others must be linked already.
            (Dns::Create(_), _) => Path::Link { by_template: true },
            _ => Path::Link { by_template: false },
        },
        answer: if rm.dns == Dns::None {
            Answer::Unmanaged
        } else {
            Answer::Endpoint {
                vnet: vnet.clone(),
                endpoint: t.endpoint_name(vnet),
            }
        },
        record: if matches!(rm.dns, Dns::Policy(_)) {
            Record::CompanionPolicy
        } else {
            Record::ZoneGroup
        },
        target: t,
    };
    // The same VNet when it is also in the values file's list (same resource ID).
    let same = d.vnets.iter().position(|v| {
        v.existing()
            .is_some_and(|e| e.vnet_id().eq_ignore_ascii_case(&rm.subnet.vnet_id()))
    });
    match same.and_then(|i| resolution.clients.get_mut(i)) {
        Some(v) => v.names.push(row),
        None => resolution.clients.push(ClientResolution {
            client: vnet.clone(),
            on_premises: false,
            names: vec![row],
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::model::{Peering, PeeringMode};

    const HUB_ZONES: &str = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones";
    const HUB_SUBNET: &str = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-shared";

    fn build(yaml: &str) -> Result<Deployment, Vec<String>> {
        let head = "location: westeurope\nmediaServices: {name: contosomedia}\nstorage: {name: contosostore}\n";
        let groups = if yaml.contains("privateLink:") {
            ""
        } else {
            "privateLink: {groups: [keydelivery]}\n"
        };
        let raw = crate::values::load_str("values.yaml", &format!("{head}{groups}{yaml}"), &[])
            .expect("parses");
        crate::model::build(raw).map_err(|e| match e {
            Error::Invalid(problems) => problems.into_iter().map(|p| p.message).collect(),
            other => vec![other.to_string()],
        })
    }

    /// The client's rows; never empty, so a loop over them asserts something.
    fn client<'a>(d: &'a Deployment, name: &str) -> &'a ClientResolution {
        let found = d
            .resolution
            .clients
            .iter()
            .find(|c| c.client == name)
            .unwrap_or_else(|| panic!("no client {name}"));
        assert!(!found.names.is_empty(), "{name} resolves nothing");
        found
    }

    fn refused(yaml: &str, fragment: &str) {
        let problems = build(yaml).expect_err("refused");
        assert!(
            problems.iter().any(|p| p.contains(fragment)),
            "no problem with {fragment:?}: {problems:#?}"
        );
    }

    const MEDIA_VNET: &str = "    - {name: vnet-media, addressPrefixes: [10.60.0.0/16], subnet: {name: snet-pe, addressPrefix: 10.60.1.0/24}}\n";

    /// A VNet that asks Azure DNS resolves through the zones linked to it: by this deployment
    /// for a VNet created here, already in place for an existing one.
    #[test]
    fn a_linked_vnet_resolves_through_its_own_links() {
        let d = build(&format!("network:\n  vnets:\n{MEDIA_VNET}")).expect("valid");
        for n in &client(&d, "vnet-media").names {
            assert_eq!(n.path, Path::Link { by_template: true });
            assert_eq!(n.record, Record::ZoneGroup);
            assert!(matches!(&n.answer, Answer::Endpoint { vnet, .. } if vnet == "vnet-media"));
        }
        let zones = format!("media: {HUB_ZONES}/privatelink.media.azure.net, blob: {HUB_ZONES}/privatelink.blob.core.windows.net");
        let d = build(&format!("network:\n  vnets:\n    - {{existingSubnetId: {HUB_SUBNET}, location: westeurope}}\nprivateLink: {{groups: [keydelivery], dns: {{mode: existing, zoneIds: {{{zones}}}}}}}\n")).expect("valid");
        for n in &client(&d, "vnet-hub").names {
            assert_eq!(
                n.path,
                Path::Link { by_template: false },
                "an existing VNet's links are a prerequisite"
            );
        }
    }

    /// A new VNet in policy mode is linked to the central zones only when the values name them.
    #[test]
    fn a_new_vnet_in_policy_mode_needs_the_central_zones_named() {
        refused(
            &format!("network:\n  vnets:\n{MEDIA_VNET}privateLink: {{groups: [keydelivery], dns: {{mode: policy}}}}\n"),
            "nothing links it to Azure Policy's central zones",
        );
        let zones = format!("media: {HUB_ZONES}/privatelink.media.azure.net, blob: {HUB_ZONES}/privatelink.blob.core.windows.net");
        let d = build(&format!("network:\n  vnets:\n{MEDIA_VNET}privateLink: {{groups: [keydelivery], dns: {{mode: policy, zoneIds: {{{zones}}}}}}}\n")).expect("valid");
        let names = &client(&d, "vnet-media").names;
        assert!(names
            .iter()
            .all(|n| n.path == Path::Link { by_template: true }));
        // The companion policy writes the Media Services record; a built-in writes blob's.
        let record = |label: &str| {
            names
                .iter()
                .find(|n| n.target.service.label() == label)
                .map(|n| n.record)
        };
        assert_eq!(record("keydelivery"), Some(Record::CompanionPolicy));
        assert_eq!(record("blob"), Some(Record::Policy));
    }

    const RESOLVER: &str = "  dnsResolver: {vnet: vnet-media, inboundSubnet: {name: snet-dns-in, addressPrefix: 10.60.2.0/28}, outboundSubnet: {name: snet-dns-out, addressPrefix: 10.60.2.16/28}}\n";

    /// A VNet whose DNS server is the resolver resolves what the resolver's VNet resolves, and
    /// must reach it.
    #[test]
    fn a_vnet_on_the_resolver_resolves_through_its_vnet() {
        let app = "    - {name: vnet-app, addressPrefixes: [10.61.0.0/16], subnet: {name: snet, addressPrefix: 10.61.1.0/24}, privateEndpoints: false, connectedTo: [vnet-media], dnsServers: [10.60.2.4]}\n";
        let d = build(&format!("network:\n  vnets:\n{MEDIA_VNET}{app}{RESOLVER}")).expect("valid");
        assert_eq!(
            d.resolver
                .as_ref()
                .map(|r| r.address.to_string())
                .as_deref(),
            Some("10.60.2.4"),
            "the first address Azure gives out"
        );
        for n in &client(&d, "vnet-app").names {
            assert_eq!(
                n.path,
                Path::Resolver {
                    via: Via::DnsServers,
                    address: Ipv4Addr::new(10, 60, 2, 4),
                    vnet: "vnet-media".into(),
                    by_template: true
                }
            );
            assert!(matches!(&n.answer, Answer::Endpoint { vnet, .. } if vnet == "vnet-media"));
        }
        assert!(
            !d.needs_links(1),
            "a VNet on the resolver is linked to nothing"
        );
        assert!(
            d.needs_links(0),
            "the resolver's VNet is linked to every zone"
        );
        refused(
            &format!(
                "network:\n  vnets:\n{MEDIA_VNET}{}{RESOLVER}",
                app.replace("connectedTo: [vnet-media], ", "")
            ),
            "would send its DNS queries to the resolver 10.60.2.4 in VNet `vnet-media`, which it is not declared connected to",
        );
    }

    /// DNS servers the tool does not know give no private path it can vouch for.
    #[test]
    fn a_vnet_on_servers_of_its_own_is_not_counted_as_private() {
        let d = build(&format!(
            "network:\n  vnets:\n{}",
            MEDIA_VNET.replace("}}", "}, dnsServers: [10.0.0.53]}")
        ))
        .expect("valid");
        let names = &client(&d, "vnet-media").names;
        assert!(names.iter().all(|n| n.path
            == Path::OwnServers {
                servers: vec![Ipv4Addr::new(10, 0, 0, 53)]
            }
            && !n.path.is_known()));
        assert!(crate::model::doors(&d)
            .iter()
            .all(|door| door.private_from.is_empty()));
        assert!(d.warnings.iter().any(|w| w.rule.id == "dns/own-servers"));
    }

    /// The forwarding ruleset resolves through the resolver too, and is never linked to the
    /// resolver's own VNet (Microsoft's documented loop).
    #[test]
    fn the_ruleset_resolves_through_the_resolver_and_never_loops() {
        let build_vnet = "    - {name: vnet-build, addressPrefixes: [10.62.0.0/16], subnet: {name: snet, addressPrefix: 10.62.1.0/24}, privateEndpoints: false, connectedTo: [vnet-media], forwardingRuleset: true}\n";
        let d = build(&format!(
            "network:\n  vnets:\n{MEDIA_VNET}{build_vnet}{RESOLVER}"
        ))
        .expect("valid");
        assert!(client(&d, "vnet-build").names.iter().all(|n| matches!(
            n.path,
            Path::Resolver {
                via: Via::Ruleset,
                ..
            }
        )));
        refused(
            &format!(
                "network:\n  vnets:\n{}{RESOLVER}",
                MEDIA_VNET.replace("}}", "}, forwardingRuleset: true}")
            ),
            "DNS resolution loop",
        );
    }

    /// A peered VNet without endpoints resolves to the hub's; without the connection it is
    /// refused, and the peering is created unless declared in place.
    #[test]
    fn a_peered_vnet_reaches_the_endpoints_it_resolves_to() {
        let spoke = "    - {name: vnet-spoke, addressPrefixes: [10.61.0.0/16], subnet: {name: snet, addressPrefix: 10.61.1.0/24}, privateEndpoints: false, connectedTo: [vnet-media]}\n";
        let d = build(&format!("network:\n  vnets:\n{MEDIA_VNET}{spoke}")).expect("valid");
        assert!(client(&d, "vnet-spoke")
            .names
            .iter()
            .all(|n| matches!(&n.answer, Answer::Endpoint { vnet, .. } if vnet == "vnet-media")));
        assert_eq!(
            d.peerings,
            [Peering {
                a: 0,
                b: 1,
                mode: PeeringMode::Create,
                declared_by: 1,
                gateway: None
            }]
        );
        let existing = build(&format!(
            "network:\n  vnets:\n{MEDIA_VNET}{}",
            spoke.replace("connectedTo", "peering: existing, connectedTo")
        ))
        .expect("valid");
        assert_eq!(existing.peerings[0].mode, PeeringMode::Existing);
        refused(
            &format!(
                "network:\n  vnets:\n{MEDIA_VNET}{}",
                spoke.replace("connectedTo: [vnet-media]", "connectedTo: []")
            ),
            "which it is not declared connected to",
        );
    }

    const HUB: &str = "    - {existingSubnetId: /subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-shared, location: westeurope, privateEndpoints: false, dns: {mode: none}}\n";
    const ON_PREMISES: &str =
        "  onPremises: {gatewayVnet: vnet-hub, addressPrefixes: [192.168.0.0/16]}\n";

    /// On-premises networks resolve through the resolver's VNet and reach endpoints through
    /// the gateway's VNet; the peering the template creates uses that gateway.
    #[test]
    fn on_premises_networks_resolve_through_forwarders_and_reach_through_the_gateway() {
        let media = MEDIA_VNET.replace("}}", "}, connectedTo: [vnet-hub]}");
        let d = build(&format!(
            "network:\n  vnets:\n{media}{HUB}{RESOLVER}{ON_PREMISES}"
        ))
        .expect("valid");
        let onprem = client(&d, super::ON_PREMISES);
        assert!(onprem.on_premises);
        for n in &onprem.names {
            assert!(
                matches!(&n.path, Path::Resolver { via: Via::Forwarders, vnet, .. } if vnet == "vnet-media")
            );
            assert!(matches!(&n.answer, Answer::Endpoint { vnet, .. } if vnet == "vnet-media"));
        }
        assert_eq!(
            d.peerings[0].gateway,
            Some(1),
            "vnet-media uses vnet-hub's gateway"
        );
        let doors = crate::model::doors(&d);
        for name in ["key delivery", "storage account contosostore"] {
            let door = doors.iter().find(|door| door.name == name).expect("door");
            assert!(
                door.private_from.contains(&super::ON_PREMISES.to_owned()),
                "{name}"
            );
        }
        // Not peered with the gateway's VNet: on-premises networks reach neither the
        // endpoints nor the resolver.
        refused(
            &format!("network:\n  vnets:\n{MEDIA_VNET}{HUB}{RESOLVER}{ON_PREMISES}"),
            "which on-premises networks do not reach",
        );
        // Without a resolver, on-premises DNS has nothing to forward to.
        refused(
            &format!("network:\n  vnets:\n{media}{HUB}{ON_PREMISES}"),
            "to a DNS resolver in Azure, and the design has none",
        );
        // Overlapping ranges cannot be routed.
        refused(
            &format!(
                "network:\n  vnets:\n{media}{HUB}{RESOLVER}{}",
                ON_PREMISES.replace("192.168.0.0/16", "10.60.128.0/17")
            ),
            "overlaps 10.60.0.0/16 of VNet `vnet-media`",
        );
    }

    /// This tool creates no gateway, so on-premises networks come in through an existing VNet:
    /// a gateway added later to a VNet created here would lose its GatewaySubnet on the next
    /// deployment.
    #[test]
    fn on_premises_networks_come_in_through_an_existing_vnet() {
        let hub = "    - {name: vnet-hub, addressPrefixes: [10.50.0.0/16], subnet: {name: snet, addressPrefix: 10.50.1.0/24}, privateEndpoints: false}\n";
        let media = MEDIA_VNET.replace("}}", "}, connectedTo: [vnet-hub]}");
        for connected in [
            media.clone(),
            media.replace("connectedTo", "peering: existing, connectedTo"),
        ] {
            refused(
                &format!("network:\n  vnets:\n{connected}{hub}{RESOLVER}{ON_PREMISES}"),
                "is created here, and this tool creates no gateway",
            );
        }
    }

    /// Two existing VNets are usually connected already, or through a firewall: the values
    /// must say whether the template peers them.
    #[test]
    fn two_existing_vnets_say_how_they_are_connected() {
        let zones = format!("media: {HUB_ZONES}/privatelink.media.azure.net, blob: {HUB_ZONES}/privatelink.blob.core.windows.net");
        let spoke = "    - {existingSubnetId: /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe, location: westeurope}\n";
        let hub = format!("    - {{existingSubnetId: {HUB_SUBNET}, location: westeurope, privateEndpoints: false, connectedTo: [vnet-spoke]%s}}\n");
        let values = |mode: &str| {
            format!("network:\n  vnets:\n{spoke}{}privateLink: {{groups: [keydelivery], dns: {{mode: existing, zoneIds: {{{zones}}}}}}}\n", hub.replace("%s", mode))
        };
        refused(&values(""), "both exist: they are usually peered already");
        let d = build(&values(", peering: existing")).expect("valid");
        assert_eq!(d.peerings[0].mode, PeeringMode::Existing);
        assert_eq!(d.peerings[0].declared_by, 1, "the hub's entry declares it");
        let d = build(&values(", peering: create")).expect("valid");
        assert_eq!(d.peerings[0].mode, PeeringMode::Create);
    }
}
