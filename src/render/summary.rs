//! What a deployment creates, in a reader's terms: shared by DEPLOY.md and the wizard's
//! summary before writing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::resolution::NameResolution;
use crate::model::*;
use crate::template::ir::{GroupRef, Module, Resource, Template};

#[derive(Debug, Serialize)]
pub struct EndpointView {
    pub name: String,
    /// The group ID.
    pub target: String,
    pub dns: String,
    /// Deployed only with Media Services.
    pub needs_media: bool,
    /// What the network team set, in words ("interface `nic-x`, address 10.0.1.10"); empty
    /// for the defaults.
    pub settings: String,
}

#[derive(Debug, Serialize)]
pub struct VnetView {
    pub key: String,
    /// No endpoints of its own: it resolves to a connected VNet's.
    pub resolves_elsewhere: bool,
    /// The zones this VNet resolves through, in words.
    pub dns: String,
    pub placement: String,
    pub resource_group: Option<String>,
    pub subscription: Option<String>,
    pub endpoints: Vec<EndpointView>,
}

#[derive(Debug, Serialize)]
pub struct ResolutionView {
    /// The VNet, or "on-premises".
    pub client: String,
    pub on_premises: bool,
    pub names: Vec<NameView>,
    /// Commands that check the names from a machine of this client: each endpoint's names,
    /// looked up (they must answer with the endpoint's private address).
    pub checks: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct NameView {
    /// The target, as the catalogue describes it.
    pub target: String,
    pub zone: String,
    /// How the client's question gets to that zone.
    pub through: String,
    /// The endpoint (and its VNet) the name resolves to, or what happens instead.
    pub answer: String,
}

/// Where an endpoint of `vnet_key` lives: its subnet, and the `az` arguments naming its
/// resource group.
fn endpoint_place(d: &Deployment, vnet_key: &str) -> (String, String) {
    let existing = |e: &ExistingSubnet| {
        (
            e.subnet_name.clone(),
            format!(
                "--subscription {} --resource-group {}",
                e.subscription_id, e.resource_group
            ),
        )
    };
    match d
        .vnets
        .iter()
        .find(|v| v.key() == vnet_key)
        .map(|v| &v.shape)
    {
        Some(VnetShape::New { subnet, .. }) => {
            (subnet.name.clone(), "--resource-group \"$RG\"".to_owned())
        }
        Some(VnetShape::Existing(e)) => existing(e),
        None => d
            .resource_manager
            .as_ref()
            .map(|rm| existing(&rm.subnet))
            .unwrap_or_default(),
    }
}

/// How a client's question reaches the zone that answers it, in words.
pub(crate) fn path_words(path: &Path) -> String {
    let already = |by_template: bool| {
        if by_template {
            ""
        } else {
            " (in place already: a prerequisite)"
        }
    };
    match path {
        Path::Link { by_template } => {
            format!("the zone's link to this VNet{}", already(*by_template))
        }
        Path::Resolver {
            via,
            address,
            vnet,
            by_template,
        } => {
            let how = match via {
                Via::DnsServers => "its DNS server",
                Via::Ruleset => "the forwarding ruleset",
                Via::Forwarders => "conditional forwarders",
            };
            format!(
                "{how} → the DNS resolver {address} in {vnet}, through {vnet}'s link{}",
                already(*by_template)
            )
        }
        Path::OwnServers { servers } => {
            let list: Vec<String> = servers.iter().map(ToString::to_string).collect();
            format!("your DNS servers {}: private only if they forward the name to Azure DNS from a VNet linked to the zone", list.join(", "))
        }
        Path::Unmanaged => "your DNS".into(),
    }
}

/// What a name resolves to, in words, with who writes the record when it is not this
/// deployment.
fn answer_words(d: &Deployment, client: &ClientView, n: &NameResolution) -> String {
    let Answer::Endpoint { vnet, endpoint } = &n.answer else {
        return "your DNS decides: nothing here writes or links a record".into();
    };
    let (subnet, _) = endpoint_place(d, vnet);
    let place = if client.on_premises {
        format!("in {vnet}, subnet {subnet}; through the gateway")
    } else if *vnet == client.name {
        format!("this VNet, subnet {subnet}")
    } else {
        format!("in {vnet}, subnet {subnet}; connected")
    };
    let record = match n.record {
        Record::ZoneGroup => "",
        Record::Policy => ", once Azure Policy writes its record",
        Record::CompanionPolicy => {
            ", once the companion policy (the dns-policy template) writes its record"
        }
    };
    format!("{endpoint} ({place}){record}")
}

struct ClientView {
    name: String,
    on_premises: bool,
}

pub(crate) fn resolution_views(d: &Deployment) -> Vec<ResolutionView> {
    d.resolution
        .clients
        .iter()
        .map(|v| {
            let client = ClientView {
                name: v.client.clone(),
                on_premises: v.on_premises,
            };
            let mut checks = Vec::new();
            let names = v
                .names
                .iter()
                .map(|n| {
                    if let Answer::Endpoint { vnet, endpoint } = &n.answer {
                        let (_, group) = endpoint_place(d, vnet);
                        // The zone group's record sets hold the privatelink names; the public name
                        // is the same without `privatelink.`, and must resolve through it.
                        let check = format!("for name in $(az network private-endpoint dns-zone-group list {group} --endpoint-name {endpoint} --query \"[].privateDnsZoneConfigs[].recordSets[].fqdn\" -o tsv); do nslookup \"${{name/privatelink./}}\"; done");
                        if !checks.contains(&check) {
                            checks.push(check);
                        }
                    }
                    NameView {
                        target: n.target.describe(),
                        zone: n.zone.clone(),
                        through: path_words(&n.path),
                        answer: answer_words(d, &client, n),
                    }
                })
                .collect();
            ResolutionView {
                client: v.client.clone(),
                on_premises: v.on_premises,
                names,
                checks,
            }
        })
        .collect()
}

/// What one resource group receives: the resource types created there, the roles granted.
#[derive(Default)]
struct Writes {
    types: Vec<&'static str>,
    roles: Vec<&'static str>,
    role_assignments: usize,
}

fn collect(
    resources: &[Resource],
    modules: &[Module],
    group: Option<&GroupRef>,
    out: &mut Vec<(Option<GroupRef>, Writes)>,
) {
    let at = match out.iter().position(|(g, _)| g.as_ref() == group) {
        Some(i) => i,
        None => {
            out.push((group.cloned(), Writes::default()));
            out.len() - 1
        }
    };
    for r in resources.iter().filter(|r| r.existing.is_none()) {
        let w = &mut out[at].1;
        if r.rtype == "Microsoft.Authorization/roleAssignments" {
            w.role_assignments += 1;
            r.body.iter().for_each(|(_, e)| e.roles(&mut w.roles));
        } else if !w.types.contains(&r.rtype) {
            w.types.push(r.rtype);
        }
    }
    for m in modules {
        collect(&m.resources, &m.modules, m.group.as_ref().or(group), out);
    }
}

/// The permission list, read off the templates: every resource group written to, what is
/// created there and which roles are granted.
fn permissions(t: &Template) -> Vec<String> {
    let mut writes = Vec::new();
    collect(&t.resources, &t.modules, None, &mut writes);
    writes
        .into_iter()
        .filter(|(_, w)| !w.types.is_empty() || w.role_assignments > 0)
        .map(|(group, w)| {
            let grants = match w.role_assignments {
                0 => String::new(),
                n => format!(
                    ", plus Role Based Access Control Administrator (or User Access Administrator / Owner) for the {n} role assignment{} ({})",
                    if n == 1 { "" } else { "s" },
                    w.roles.join(", ")
                ),
            };
            let endpoints = if w.types.contains(&"Microsoft.Network/privateEndpoints") {
                "; `Microsoft.Network/virtualNetworks/subnets/join/action` on the subnet for the private endpoints"
            } else {
                ""
            };
            match group {
                None => format!("On the target resource group: Contributor{grants}{endpoints}."),
                Some(g) => {
                    let types: Vec<String> = w.types.iter().map(|t| format!("`{t}`")).collect();
                    let creates = if types.is_empty() {
                        String::new()
                    } else {
                        format!(" and the rights to create {}", types.join(", "))
                    };
                    format!(
                        "In resource group `{}` (subscription `{}`): `Microsoft.Resources/deployments/write` (a nested deployment runs there){creates}{grants}{endpoints}.",
                        g.resource_group, g.subscription_id
                    )
                }
            }
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct ForeignZoneView {
    pub subscription: String,
    pub resource_group: String,
    pub zone: String,
    /// Names of the VNet links in the zone.
    pub links: Vec<String>,
}

fn foreign_zones(d: &Deployment) -> Vec<ForeignZoneView> {
    let mut out = Vec::new();
    for home in d.zone_homes() {
        let Some((subscription_id, resource_group)) = home.group() else {
            continue;
        };
        let links: Vec<String> = d
            .linked_at(home)
            .iter()
            .map(|v| format!("link-{}", v.key()))
            .collect();
        out.extend(d.zones().into_iter().map(|zone| ForeignZoneView {
            subscription: subscription_id.to_owned(),
            resource_group: resource_group.to_owned(),
            zone: zone.name(d.cloud).unwrap_or_default(),
            links: links.clone(),
        }));
    }
    out
}

/// Existing VNets linked to zones created here.
fn linked_existing(d: &Deployment) -> Vec<String> {
    d.vnets
        .iter()
        .enumerate()
        .filter(|(i, v)| v.existing().is_some() && v.zone_home().is_some() && d.needs_links(*i))
        .map(|(_, v)| v.key().to_owned())
        .collect()
}

#[derive(Debug, Serialize)]
pub struct Summary {
    /// The choices a reader checks first: region, tags, storage SKU, cloud, existing zone IDs.
    pub overview: Vec<String>,
    /// Resource type → how many, in the private foundation (deployed in either mode).
    pub counts: BTreeMap<&'static str, usize>,
    /// Resource type → how many, deployed only with Media Services.
    pub media_counts: BTreeMap<&'static str, usize>,
    pub vnets: Vec<VnetView>,
    /// Private DNS zones created by this deployment, with where they live.
    pub zones: Vec<String>,
    /// Per VNet: each private name, the zone answering, and what it resolves to.
    pub resolution: Vec<ResolutionView>,
    /// Zone groups write records into existing zones.
    pub existing_zone_records: bool,
    /// What the deploying principal needs, per resource group the deployment writes to.
    pub permissions: Vec<String>,
    /// Existing VNets linked to zones created here.
    pub linked_existing: Vec<String>,
    /// Zones created in another resource group (an isolated existing VNet's own).
    pub foreign_zones: Vec<ForeignZoneView>,
    pub dns_mode: String,
}

fn overview(d: &Deployment) -> Vec<String> {
    let tags: Vec<String> = d.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut out = vec![
        format!(
            "Location: {}",
            d.location
                .as_deref()
                .unwrap_or("the resource group's region")
        ),
        format!(
            "Tags: {}",
            if tags.is_empty() {
                "none".to_owned()
            } else {
                tags.join(", ")
            }
        ),
        format!("Storage: {} ({})", d.storage.name, d.storage.sku),
    ];
    if d.cloud != Cloud::AzureCloud {
        out.push(format!("Cloud: {:?}", d.cloud));
    }
    let mut ids: Vec<(Zone, &String)> = Vec::new();
    for v in &d.vnets {
        if let Dns::Existing(zones) = &v.dns {
            for (zone, id) in zones {
                if !ids.iter().any(|(_, i)| *i == id) {
                    ids.push((*zone, id));
                }
            }
        }
    }
    out.extend(
        ids.into_iter()
            .map(|(zone, id)| format!("Existing zone {}: {id}", zone.key())),
    );
    out
}

/// How a VNet resolves, in words: through the resolver or servers of its own, else its zones.
fn lookup_words(d: &Deployment, i: usize) -> String {
    let address = d
        .resolver
        .as_ref()
        .map_or(String::new(), |r| r.address.to_string());
    match d.lookup(i) {
        Lookup::Resolver => format!("through the DNS resolver {address} (its DNS server)"),
        Lookup::Ruleset => format!("through the DNS resolver {address} (the forwarding ruleset)"),
        Lookup::OwnServers => "through DNS servers of your own".into(),
        Lookup::Linked => dns_words(&d.vnets[i].dns),
    }
}

fn dns_words(dns: &Dns) -> String {
    match dns {
        Dns::Create(ZoneHome::Here) => "zones created in this resource group".into(),
        Dns::Create(ZoneHome::Group { resource_group, .. }) => {
            format!("zones of its own, created in resource group {resource_group}")
        }
        Dns::Existing(_) => "existing zones".into(),
        Dns::Policy(ids) if ids.is_empty() => "zone groups left to Azure Policy".into(),
        Dns::Policy(_) => "zone groups left to Azure Policy, in the central zones named".into(),
        Dns::None => "none (your own DNS)".into(),
    }
}

fn endpoint_views(d: &Deployment, vnet: &Vnet) -> Vec<EndpointView> {
    if !vnet.endpoints {
        return Vec::new();
    }
    let dns = match vnet.dns {
        Dns::Create(_) | Dns::Existing(_) => "zone group",
        Dns::Policy(_) => "zone group left to Azure Policy",
        Dns::None => "no DNS",
    };
    d.targets()
        .iter()
        .map(|t| EndpointView {
            name: t.endpoint_name(vnet.key()),
            target: t.service.group_id().to_owned(),
            dns: dns.to_owned(),
            needs_media: t.service.needs_media(),
            settings: endpoint_settings(vnet, t),
        })
        .collect()
}

/// What differs from an endpoint's defaults: its interface's name, a static address, the
/// application security groups it joins.
fn endpoint_settings(vnet: &Vnet, target: &Target) -> String {
    let plan = vnet.endpoint_plan(target);
    let mut parts = Vec::new();
    if vnet.nic_pattern(target).is_some() {
        parts.push(format!("interface `{}`", plan.nic_name));
    }
    if let Some((address, member)) = plan.static_ip {
        parts.push(format!("static address {address} (member `{member}`)"));
    }
    if !plan.application_security_groups.is_empty() {
        let names: Vec<String> = plan
            .application_security_groups
            .iter()
            .map(|id| format!("`{}`", ResourceId::name_in(id)))
            .collect();
        parts.push(format!("application security groups {}", names.join(", ")));
    }
    parts.join(", ")
}

/// Counts what `resources` and `modules` create, into the foundation or the Media Services
/// half (a module's condition puts it and everything below it in the second).
fn count(
    resources: &[Resource],
    modules: &[Module],
    needs_media: bool,
    counts: &mut [BTreeMap<&'static str, usize>; 2],
) {
    // Declared only to be referred to; nothing is created.
    for r in resources.iter().filter(|r| r.existing.is_none()) {
        *counts[usize::from(needs_media)].entry(r.rtype).or_default() += 1;
    }
    for m in modules {
        let needs_media = needs_media || m.condition.is_some();
        count(&m.resources, &m.modules, needs_media, counts);
    }
}

/// Where a VNet of the values is, how it resolves, and its endpoints.
fn vnet_view(d: &Deployment, i: usize, vnet: &Vnet) -> VnetView {
    let (placement, resource_group, subscription) = match &vnet.shape {
        VnetShape::New { name, subnet, .. } => (
            format!(
                "new VNet `{name}`, subnet `{}` ({}), in this resource group",
                subnet.name, subnet.prefix
            ),
            None,
            None,
        ),
        VnetShape::Existing(e) => (
            format!(
                "existing subnet `{}` of VNet `{}` (resource group `{}`, subscription `{}`){}",
                e.subnet_name,
                e.vnet_name,
                e.resource_group,
                e.subscription_id,
                if vnet.endpoints {
                    "; endpoints deployed there by a nested deployment"
                } else {
                    ""
                }
            ),
            Some(e.resource_group.clone()),
            Some(e.subscription_id.clone()),
        ),
    };
    VnetView {
        key: vnet.key().to_owned(),
        placement,
        resource_group,
        subscription,
        resolves_elsewhere: !vnet.endpoints && vnet.dns != Dns::None,
        dns: lookup_words(d, i),
        endpoints: endpoint_views(d, vnet),
    }
}

pub fn summarise(d: &Deployment, t: &Template) -> Summary {
    let mut both = [BTreeMap::new(), BTreeMap::new()];
    count(&t.resources, &t.modules, false, &mut both);
    let [counts, media_counts] = both;
    let vnets = d
        .vnets
        .iter()
        .enumerate()
        .map(|(i, vnet)| vnet_view(d, i, vnet))
        .collect();
    // Where created zones live, each home once.
    let zones = d
        .zone_homes()
        .into_iter()
        .flat_map(|home| {
            let place = match home {
                ZoneHome::Here => "this resource group".to_owned(),
                ZoneHome::Group { resource_group, .. } => {
                    format!("resource group {resource_group}")
                }
            };
            d.zones().into_iter().map(move |z| (z, place.clone()))
        })
        .map(|(z, place)| {
            let only = if z == Zone::Media {
                ", only with Media Services"
            } else {
                ""
            };
            format!("{} (in {place}{only})", z.name(d.cloud).unwrap_or_default())
        })
        .collect();
    Summary {
        overview: overview(d),
        counts,
        media_counts,
        vnets,
        zones,
        resolution: resolution_views(d),
        existing_zone_records: d
            .endpoint_vnets()
            .any(|v| matches!(v.dns, Dns::Existing(_))),
        linked_existing: linked_existing(d),
        foreign_zones: foreign_zones(d),
        permissions: permissions(t),
        dns_mode: format!("{:?}", d.values.private_link.dns.mode).to_lowercase(),
    }
}

impl Summary {
    /// Plain text for the terminal.
    pub fn text(&self, warnings: &[crate::diagnostic::Warning]) -> String {
        let mut out = String::new();
        for line in &self.overview {
            let _ = writeln!(out, "{line}");
        }
        out.push_str("\nResources to create, the private foundation (deploys today):\n");
        for (ty, n) in &self.counts {
            let _ = writeln!(out, "  {n:>3}  {ty}");
        }
        out.push_str("\nOnly with Media Services (template parameter deployMediaServices):\n");
        for (ty, n) in &self.media_counts {
            let _ = writeln!(out, "  {n:>3}  {ty}");
        }
        out.push_str("\nPrivate endpoints per VNet:\n");
        for v in &self.vnets {
            let _ = writeln!(out, "  {}", v.placement.replace('`', ""));
            if v.resolves_elsewhere {
                let _ = writeln!(out, "    no endpoints here: resolves to a connected VNet's");
            }
            for e in &v.endpoints {
                let media = if e.needs_media {
                    ", needs Media Services"
                } else {
                    ""
                };
                let _ = writeln!(out, "    {} -> {} ({}{media})", e.name, e.target, e.dns);
            }
        }
        let _ = writeln!(out, "\nPrivate DNS: {}", self.dns_mode);
        for z in &self.zones {
            let _ = writeln!(out, "  zone {z}");
        }
        out.push_str("\nName resolution per client:\n");
        for v in &self.resolution {
            let _ = writeln!(out, "  {}", v.client);
            for n in &v.names {
                let target = n.target.replace('`', "");
                let _ = writeln!(out, "    {target} -> {} (through {})", n.answer, n.through);
            }
        }
        if !warnings.is_empty() {
            out.push_str("\nInternet exposure and other warnings:\n");
            for w in warnings {
                let _ = writeln!(out, "  ! {w}");
            }
        }
        out
    }
}
