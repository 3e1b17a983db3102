//! One validated, typed deployment. Everything downstream (renderers, DEPLOY.md, the summary)
//! reads this and nothing else.

pub mod dns_policy;
pub mod exposure;
pub mod fields;
pub mod network;
pub mod private_link;
pub mod resolution;
pub mod resource_id;
mod rules;
pub mod values;

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::IpNet;

use crate::diagnostic::{Problem, Warning};
use crate::error::{Error, Result};
use crate::schema::{self, Kind};
use crate::values::RawValues;

pub use network::{display_net, AllowEntry, ExistingSubnet};
pub use private_link::{
    Service, Target, TargetResource, Zone, EVENT_GRID_ZONE, MAX_ENDPOINT_NAME, MAX_NIC_NAME,
    MEDIA_ZONE, RESOURCE_MANAGER_ZONE, VAULT_ZONE,
};
pub use resolution::{Answer, Path, Record, Resolution, Via, ON_PREMISES};
pub use resource_id::ResourceId;
pub use rules::{doors, Check, DeploymentScope, Verdict};
pub use values::*;

/// The streaming endpoint every Media Services account is created with.
pub const DEFAULT_STREAMING_ENDPOINT: &str = "default";

/// Whether a list of streaming endpoints leaves out `default` (Azure compares names without
/// letter case). The model and the wizard both ask here, so they cannot disagree.
pub fn lacks_default_streaming_endpoint<'a>(names: impl IntoIterator<Item = &'a str>) -> bool {
    !names
        .into_iter()
        .any(|n| n.eq_ignore_ascii_case(DEFAULT_STREAMING_ENDPOINT))
}

/// `default` as the tool adds it when the values leave it out: it exists on every account and
/// is open to all IPv4 unless restricted, so it is always rendered, closed (no allowlist, no
/// CDN, no scale units).
pub fn default_streaming_endpoint() -> StreamingEndpointValues {
    StreamingEndpointValues {
        name: DEFAULT_STREAMING_ENDPOINT.to_owned(),
        description: None,
        scale_units: 0,
        cdn_enabled: false,
        ip_allow_list: Vec::new(),
    }
}

#[derive(Debug, Clone)]
pub struct Deployment {
    /// The complete values (defaults filled in), as written to the answers file.
    pub values: Values,
    /// `None`: the resource group's region.
    pub location: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub cloud: Cloud,
    pub media: Media,
    pub storage: Storage,
    pub event_grid: Option<EventGrid>,
    pub resource_manager: Option<ResourceManagerLink>,
    pub vnets: Vec<Vnet>,
    /// The peerings between VNets of the list: each connected pair once.
    pub peerings: Vec<Peering>,
    /// The DNS Private Resolver that on-premises networks and some VNets resolve through.
    pub resolver: Option<DnsResolver>,
    pub on_premises: Option<OnPremises>,
    pub groups: Vec<GroupId>,
    /// `privateLink.dns`: the default of every VNet (each VNet carries its own, resolved).
    pub dns: Dns,
    /// What every VNet resolves each private name to. Without Media Services deployed, only
    /// the foundation's names: Media Services' resolve to nothing that exists.
    pub resolution: Resolution,
    /// What Media Services would lack if `deployMediaServices` were turned on later, in words:
    /// empty with Media Services, and for a foundation whose values hold every Media-only input
    /// and storage access it can use. Otherwise the template holds the switch to false.
    pub media_gaps: Vec<String>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone)]
pub struct Media {
    pub name: String,
    /// Whether the parameters files deploy the account and what needs it, or only the
    /// private foundation.
    pub deploy: bool,
    pub identity: IdentityKind,
    pub minimum_tls_version: TlsVersion,
    pub public_network_access: PublicNetworkAccess,
    pub encryption: Encryption,
    pub key_delivery_default: DefaultAction,
    pub key_delivery_allow: Vec<IpNet>,
    pub streaming_endpoints: Vec<StreamingEndpoint>,
    pub live_events: Vec<LiveEvent>,
}

/// How the account's data is encrypted.
#[derive(Debug, Clone)]
pub enum Encryption {
    SystemKey,
    CustomerKey(CustomerKey),
}

#[derive(Debug, Clone)]
pub struct CustomerKey {
    pub key_name: String,
    pub vault: KeyVault,
}

#[derive(Debug, Clone)]
pub enum KeyVault {
    /// Created here, with an RSA key.
    New {
        name: String,
        hsm: bool,
        key_size: u32,
    },
    /// Already exists; the identity is granted the key role on it.
    Existing {
        id: String,
        subscription_id: String,
        resource_group: String,
        name: String,
        /// The user asked for an endpoint to it in each VNet with endpoints.
        private_endpoint: bool,
    },
}

impl KeyVault {
    pub fn name(&self) -> &str {
        match self {
            KeyVault::New { name, .. } | KeyVault::Existing { name, .. } => name,
        }
    }
}

impl Media {
    pub fn customer_key(&self) -> Option<&CustomerKey> {
        match &self.encryption {
            Encryption::CustomerKey(k) => Some(k),
            Encryption::SystemKey => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct StreamingEndpoint {
    pub name: String,
    pub description: Option<String>,
    pub scale_units: u32,
    pub cdn_enabled: bool,
    /// Empty: no public address may stream (rendered as the documented deny-all entry).
    pub allow: Vec<AllowEntry>,
    /// Its index in the values file's list; `None` for the `default` the file leaves out.
    pub file_index: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct LiveEvent {
    pub name: String,
    pub description: Option<String>,
    pub streaming_protocol: StreamingProtocol,
    pub encoding_type: EncodingType,
    pub ingest_allow: Vec<AllowEntry>,
    pub preview_allow: Vec<AllowEntry>,
}

#[derive(Debug, Clone)]
pub struct Storage {
    pub name: String,
    pub sku: String,
    pub subresources: Vec<StorageSubresource>,
    /// Normalised firewall rules: a single address, or a CIDR of /30 or wider.
    pub ip_rules: Vec<String>,
    /// Disabled: no public endpoint at all (the firewall and its exceptions do not apply).
    pub public_network_access: PublicNetworkAccess,
    /// Account keys and SAS made from them authorise requests.
    pub shared_key: bool,
}

/// Media Services events through an Event Grid system topic.
#[derive(Debug, Clone)]
pub struct EventGrid {
    pub destination: Destination,
    /// Empty: every Media Services event type.
    pub event_types: Vec<String>,
    /// A private custom topic for the user's own forwarding.
    pub custom_topic: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Destination {
    StorageQueue {
        queue: String,
    },
    EventHub {
        id: String,
        subscription_id: String,
        resource_group: String,
        namespace: String,
        hub: String,
    },
    /// The URL is a secure deployment parameter, never part of the values.
    Webhook,
}

/// Azure Resource Manager private link: a separate, management-group-scoped deployment.
#[derive(Debug, Clone)]
pub struct ResourceManagerLink {
    pub management_group_id: String,
    pub name: String,
    /// Where the private link resource and its endpoint go; `location` is always known here.
    pub subnet: ExistingSubnet,
    /// How its name resolves: the DNS of the endpoint's VNet when that VNet is also in
    /// `network.vnets`, otherwise `privateLink.dns`.
    pub dns: Dns,
    /// The zone for `privatelink.azure.com` when that DNS is `existing`.
    pub zone_id: Option<String>,
}

pub const DEFAULT_QUEUE: &str = "media-events";

/// One VNet of the values file, with its role in name resolution.
#[derive(Debug, Clone)]
pub struct Vnet {
    pub shape: VnetShape,
    /// Whether the private endpoints go in this VNet.
    pub endpoints: bool,
    /// Keys (lowercase) of the VNets this one can reach, as declared (either side).
    pub connected_to: Vec<String>,
    /// The zones this VNet resolves through.
    pub dns: Dns,
    /// An existing VNet may be linked to zones created here.
    pub link_new_zones: bool,
    /// How its connections (`connected_to`) come about.
    pub peering: PeeringMode,
    /// The DNS servers its clients ask; empty: Azure-provided DNS.
    pub dns_servers: Vec<Ipv4Addr>,
    /// Linked to the resolver's forwarding ruleset.
    pub forwarding_ruleset: bool,
    /// What the network team set for the endpoints here.
    pub endpoint_settings: EndpointSettings,
}

/// The private endpoints of one VNet as a network team wants them (checked).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointSettings {
    /// Pattern of the network interface names; `None`: `{endpoint}-nic`.
    pub nic_name: Option<String>,
    pub application_security_groups: Vec<String>,
    /// By group ID.
    pub overrides: BTreeMap<String, EndpointOverride>,
}

/// One endpoint's own settings (checked).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointOverride {
    pub ip_address: Option<Ipv4Addr>,
    pub nic_name: Option<String>,
    /// `None`: the VNet's.
    pub application_security_groups: Option<Vec<String>>,
}

/// How one private endpoint is made, its settings applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointPlan {
    /// The network interface's name, as [`Target::nic_name`] gives it.
    pub nic_name: String,
    /// A static address, with the member name it is for (from the catalogue).
    pub static_ip: Option<(Ipv4Addr, &'static str)>,
    pub application_security_groups: Vec<String>,
}

impl Vnet {
    /// The network interface name pattern of `target`'s endpoint here: its own, or the VNet's;
    /// `None`: the default.
    pub fn nic_pattern(&self, target: &Target) -> Option<&str> {
        let s = &self.endpoint_settings;
        s.overrides
            .get(target.service.group_id())
            .and_then(|o| o.nic_name.as_deref())
            .or(s.nic_name.as_deref())
    }

    /// The plan of `target`'s endpoint in this VNet. A static address is only planned for a
    /// target whose member name the catalogue knows (the rules refuse the others).
    pub fn endpoint_plan(&self, target: &Target) -> EndpointPlan {
        let s = &self.endpoint_settings;
        let own = s.overrides.get(target.service.group_id());
        EndpointPlan {
            nic_name: target.nic_name(self.key(), self.nic_pattern(target)),
            static_ip: own
                .and_then(|o| o.ip_address)
                .zip(target.service.member_name()),
            application_security_groups: own
                .and_then(|o| o.application_security_groups.clone())
                .unwrap_or_else(|| s.application_security_groups.clone()),
        }
    }
}

/// Two VNets of the list connected to each other (indexes into `Deployment::vnets`, `a < b`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peering {
    pub a: usize,
    pub b: usize,
    pub mode: PeeringMode,
    /// The entry whose `connectedTo` declares the pair (the first one, when both do).
    pub declared_by: usize,
    /// The side whose ExpressRoute or VPN gateway the other uses (gateway transit), when
    /// on-premises networks must reach the other side through it.
    pub gateway: Option<usize>,
}

impl Peering {
    /// The other side of the pair.
    pub fn other(&self, i: usize) -> usize {
        if i == self.a {
            self.b
        } else {
            self.a
        }
    }
}

/// A subnet the template creates beside the endpoints' one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    pub name: String,
    pub prefix: IpNet,
    /// An existing network security group; `None`: the template creates one.
    pub nsg: Option<String>,
    /// An existing route table attached to it (the network team's, e.g. to a hub firewall).
    pub route_table: Option<String>,
}

/// What a subnet the template creates is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubnetRole {
    /// The private endpoints (or, in a VNet without endpoints, its clients).
    Endpoints,
    ResolverInbound,
    ResolverOutbound,
}

impl SubnetRole {
    /// Where the subnet is in the values, for VNet `i`.
    pub fn pointer(self, i: usize) -> String {
        match self {
            SubnetRole::Endpoints => format!("/network/vnets/{i}/subnet"),
            SubnetRole::ResolverInbound => "/network/dnsResolver/inboundSubnet".into(),
            SubnetRole::ResolverOutbound => "/network/dnsResolver/outboundSubnet".into(),
        }
    }
}

impl Subnet {
    /// The name of the network security group the template creates for it when the values
    /// name none (`nsg`).
    pub fn created_nsg_name(&self, vnet_key: &str) -> String {
        format!("nsg-{vnet_key}-{}", self.name)
    }
}

/// Longest name Azure accepts for a network security group.
pub(crate) const MAX_NSG_NAME: usize = 80;

/// An Azure DNS Private Resolver in one VNet of the list.
#[derive(Debug, Clone)]
pub struct DnsResolver {
    /// Index into `Deployment::vnets`.
    pub vnet: usize,
    /// The inbound endpoint's address: what DNS servers and forwarders point at.
    pub address: Ipv4Addr,
    /// Created here (in a new VNet); `None`: it exists already.
    pub new: Option<NewResolver>,
}

#[derive(Debug, Clone)]
pub struct NewResolver {
    pub inbound_subnet: Subnet,
    /// An outbound endpoint and a forwarding ruleset, for VNets linked to the ruleset.
    pub outbound_subnet: Option<Subnet>,
}

/// On-premises networks, which come in through one VNet's gateway.
#[derive(Debug, Clone)]
pub struct OnPremises {
    /// Index into `Deployment::vnets`.
    pub gateway_vnet: usize,
    pub address_prefixes: Vec<IpNet>,
}

/// How a VNet's clients reach the private DNS zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Azure-provided DNS: the zones linked to the VNet answer.
    Linked,
    /// DNS servers set to the resolver's inbound endpoint: the zones linked to its VNet answer.
    Resolver,
    /// The resolver's forwarding ruleset sends the names to its inbound endpoint.
    Ruleset,
    /// DNS servers of the user's own: what they forward to is not known here.
    OwnServers,
}

#[derive(Debug, Clone)]
pub enum VnetShape {
    New {
        name: String,
        address_prefixes: Vec<IpNet>,
        /// The endpoints' subnet.
        subnet: Subnet,
    },
    Existing(ExistingSubnet),
}

impl Vnet {
    /// Short label used in derived resource names (endpoints, links, nested deployments).
    pub fn key(&self) -> &str {
        match &self.shape {
            VnetShape::New { name, .. } => name,
            VnetShape::Existing(e) => &e.vnet_name,
        }
    }

    pub fn existing(&self) -> Option<&ExistingSubnet> {
        match &self.shape {
            VnetShape::Existing(e) => Some(e),
            VnetShape::New { .. } => None,
        }
    }

    /// Whether this VNet can reach endpoints in `other`: itself, or declared connected on
    /// either side (peering is symmetric; transit through a third VNet is not assumed).
    pub fn reaches(&self, other: &Vnet) -> bool {
        let (a, b) = (self.key().to_lowercase(), other.key().to_lowercase());
        a == b || self.connected_to.contains(&b) || other.connected_to.contains(&a)
    }

    /// Where the zones this VNet is linked to were created, when they are created here.
    pub fn zone_home(&self) -> Option<&ZoneHome> {
        match &self.dns {
            Dns::Create(home) => Some(home),
            _ => None,
        }
    }
}

/// Where zones created by this tool live.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ZoneHome {
    /// The deployment's resource group.
    Here,
    /// An existing VNet's own resource group (that VNet's `dns: {mode: create}`).
    Group {
        subscription_id: String,
        resource_group: String,
    },
}

impl ZoneHome {
    /// The subscription and resource group of a home in another resource group.
    pub fn group(&self) -> Option<(&str, &str)> {
        match self {
            ZoneHome::Here => None,
            ZoneHome::Group {
                subscription_id,
                resource_group,
            } => Some((subscription_id, resource_group)),
        }
    }

    /// The resource ID of `zone` when created here; `None` for the deployment's own resource
    /// group, whose name only the deployment knows.
    pub fn zone_id(&self, zone: Zone, cloud: Cloud) -> Option<String> {
        match self {
            ZoneHome::Here => None,
            ZoneHome::Group {
                subscription_id,
                resource_group,
            } => Some(format!(
                "/subscriptions/{subscription_id}/resourceGroups/{resource_group}/providers/Microsoft.Network/privateDnsZones/{}",
                zone.name(cloud).unwrap_or_default()
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dns {
    /// Zones created by this tool, linked to the VNets that use them.
    Create(ZoneHome),
    Existing(BTreeMap<Zone, String>),
    /// Azure Policy writes the records, into central zones: those the values name.
    Policy(BTreeMap<Zone, String>),
    None,
}

impl Deployment {
    /// How the clients of VNet `i` reach the zones.
    pub fn lookup(&self, i: usize) -> Lookup {
        let vnet = &self.vnets[i];
        let resolver = self.resolver.as_ref().map(|r| r.address);
        if vnet.forwarding_ruleset {
            Lookup::Ruleset
        } else if vnet.dns_servers.is_empty() {
            Lookup::Linked
        } else if vnet.dns_servers.iter().all(|s| Some(*s) == resolver) {
            Lookup::Resolver
        } else {
            Lookup::OwnServers
        }
    }

    /// Whether VNet `i` must be linked to the zones it resolves through: it asks Azure DNS,
    /// or it holds the resolver, whose inbound endpoint answers from its VNet's links whatever
    /// DNS servers that VNet's own clients use.
    pub fn needs_links(&self, i: usize) -> bool {
        self.lookup(i) == Lookup::Linked || self.resolver.as_ref().is_some_and(|r| r.vnet == i)
    }

    /// The links the template writes into existing zones (a hub's, or Azure Policy's central
    /// ones named in the values): for each VNet created here whose clients ask Azure DNS, or
    /// that holds the resolver, every zone it resolves through, with the zone's resource ID.
    pub fn links_into_existing_zones(&self) -> Vec<(usize, Zone, &str)> {
        let mut out = Vec::new();
        for (i, vnet) in self.vnets.iter().enumerate() {
            if vnet.existing().is_some() || !self.needs_links(i) {
                continue;
            }
            if let Dns::Existing(ids) | Dns::Policy(ids) = &vnet.dns {
                out.extend(ids.iter().map(|(zone, id)| (i, *zone, id.as_str())));
            }
        }
        out
    }

    /// Whether VNet `i` holds the resolver that on-premises networks forward to; its links
    /// then answer for names far beyond this design.
    pub fn holds_resolver(&self, i: usize) -> bool {
        self.resolver.as_ref().is_some_and(|r| r.vnet == i)
    }

    /// The subnets the template creates in VNet `i`, in the order it creates them: the
    /// endpoints' one, then the resolver's inbound and outbound ones. Empty for an existing VNet.
    pub fn created_subnets(&self, i: usize) -> Vec<(SubnetRole, &Subnet)> {
        let VnetShape::New { subnet, .. } = &self.vnets[i].shape else {
            return Vec::new();
        };
        let mut out = vec![(SubnetRole::Endpoints, subnet)];
        if let Some(new) = self
            .resolver
            .as_ref()
            .filter(|r| r.vnet == i)
            .and_then(|r| r.new.as_ref())
        {
            out.push((SubnetRole::ResolverInbound, &new.inbound_subnet));
            out.extend(
                new.outbound_subnet
                    .iter()
                    .map(|s| (SubnetRole::ResolverOutbound, s)),
            );
        }
        out
    }

    /// Existing VNets whose endpoints join application security groups: the NSG rules naming
    /// those groups apply to the endpoints only if the subnet's network policies are on, which
    /// the tool can neither see nor set on a subnet it does not own.
    pub fn groups_in_existing_subnets(&self) -> Vec<usize> {
        let targets = self.targets();
        (0..self.vnets.len())
            .filter(|i| {
                let v = &self.vnets[*i];
                v.endpoints
                    && v.existing().is_some()
                    && targets
                        .iter()
                        .any(|t| !v.endpoint_plan(t).application_security_groups.is_empty())
            })
            .collect()
    }

    /// The VNets the private endpoints go in.
    pub fn endpoint_vnets(&self) -> impl Iterator<Item = &Vnet> {
        self.vnets.iter().filter(|v| v.endpoints)
    }

    /// Where zones are created, each place once, in the order the VNets first use it.
    pub fn zone_homes(&self) -> Vec<&ZoneHome> {
        let mut homes: Vec<&ZoneHome> = Vec::new();
        for home in self.vnets.iter().filter_map(Vnet::zone_home) {
            if !homes.contains(&home) {
                homes.push(home);
            }
        }
        homes
    }

    /// The VNets whose zones are created in `home`.
    pub fn vnets_at(&self, home: &ZoneHome) -> Vec<&Vnet> {
        self.vnets
            .iter()
            .filter(|v| v.zone_home() == Some(home))
            .collect()
    }

    /// The VNets linked to the zones created in `home`: those of [`Deployment::vnets_at`]
    /// whose clients ask Azure DNS, and the resolver's.
    pub fn linked_at(&self, home: &ZoneHome) -> Vec<&Vnet> {
        self.vnets
            .iter()
            .enumerate()
            .filter(|(i, v)| v.zone_home() == Some(home) && self.needs_links(*i))
            .map(|(_, v)| v)
            .collect()
    }

    /// Whether turning `deployMediaServices` on gives a working deployment.
    pub fn media_ready(&self) -> bool {
        self.media_gaps.is_empty()
    }

    pub fn is_public(&self) -> bool {
        self.media.public_network_access == PublicNetworkAccess::Enabled
    }
}

/// Validates raw input (schema, then semantic rules) and builds the deployment. All problems
/// are reported together.
/// [`build`], then the design held against what already exists: what would fail or harm
/// others is a problem, what a policy would refuse or rewrite a warning.
pub fn build_with_estate(
    raw: RawValues,
    estate: &crate::values::estate::Estate,
    scope: &DeploymentScope,
) -> Result<Deployment> {
    let mut d = build(raw.clone())?;
    let (mut problems, warnings) = rules::preflight(&d, &raw, estate, scope);
    if !problems.is_empty() {
        problems.sort_by_key(Problem::sort_key);
        return Err(Error::Invalid(problems));
    }
    d.warnings.extend(warnings);
    Ok(d)
}

/// After the deployment: every check of [`rules::verify`], with a problem for each that failed.
pub fn verify_with_estate(
    raw: RawValues,
    estate: &crate::values::estate::Estate,
    scope: &DeploymentScope,
) -> Result<(Deployment, Vec<Check>, Vec<Problem>)> {
    let d = build(raw.clone())?;
    let (checks, problems) = rules::verify(&d, &raw, estate, scope);
    Ok((d, checks, problems))
}

/// Raw values → the checked deployment: the schema, then the rules; every problem at once.
pub fn build(mut raw: RawValues) -> Result<Deployment> {
    schema::set_values_as_text(&mut raw);
    schema::apply_defaults(&mut raw.value);
    let found = schema::validate(&raw);
    if found.is_empty() {
        let values: Values = serde_json::from_value(raw.value.clone()).map_err(|e| {
            Error::Internal(format!("schema-valid values did not fit the model: {e}"))
        })?;
        let mut result = rules::check(values, &raw);
        if let Err(Error::Invalid(problems)) = &mut result {
            problems.sort_by_key(Problem::sort_key);
        }
        return result;
    }
    let all_missing = found.iter().all(|f| f.kind == Kind::Missing);
    let (mut problems, folded) = rule_problems_despite(&raw, &found);
    problems.extend(found.into_iter().zip(folded).map(|(f, n)| {
        let mut p = f.problem;
        if n > 0 {
            let note = format!("{n} further finding(s) near this key rest on the value that stood in for it: run again after fixing this to see any that remain");
            p.hint = Some(match p.hint.take() {
                Some(h) => format!("{h} ({note})"),
                None => note,
            });
        }
        p
    }));
    problems.sort_by_key(Problem::sort_key);
    Err(if all_missing {
        Error::MissingInput(problems)
    } else {
        Error::Invalid(problems)
    })
}

/// With schema problems that can be set aside (unknown keys dropped, bad values back at their
/// defaults), the semantic rules still run, so one run reports everything. Rule problems about
/// a value the schema already rejected are not repeated, and those beside or above a value
/// that a stand-in replaced are folded into that value's finding: advice built on the stand-in
/// (a default, an example) would send the user the wrong way. Returns the rule problems, and
/// per schema finding how many were folded into it.
fn rule_problems_despite(raw: &RawValues, found: &[schema::Finding]) -> (Vec<Problem>, Vec<usize>) {
    let mut folded = vec![0; found.len()];
    let Some(value) = schema::repaired(&raw.value, found) else {
        return (Vec::new(), folded);
    };
    let repaired = RawValues {
        value,
        ..raw.clone()
    };
    if !schema::validate(&repaired).is_empty() {
        return (Vec::new(), folded);
    }
    let Ok(values) = serde_json::from_value::<Values>(repaired.value.clone()) else {
        return (Vec::new(), folded);
    };
    let already: Vec<String> = found.iter().map(|f| f.problem.key.clone()).collect();
    // A stand-in example (e.g. 10.10.0.0/16 for a bad address space) is not the user's: a
    // rule problem that quotes one is about the stand-in, not about the file.
    let mut stand_ins: Vec<String> = Vec::new();
    for f in found.iter().filter(|f| f.repair == schema::Repair::Example) {
        if let Some(example) = schema::node_for_pointer(&f.pointer)
            .and_then(|n| n.get("examples"))
            .and_then(|e| e.get(0))
        {
            crate::values::strings_in(example, &mut stand_ins);
        }
    }
    let Err(Error::Invalid(problems)) = rules::check(values, &repaired) else {
        return (Vec::new(), folded);
    };
    let kept = problems
        .into_iter()
        .filter(|p| !already.iter().any(|k| is_within(&p.key, k)))
        .filter(|p| !stand_ins.iter().any(|s| p.message.contains(s.as_str())))
        .filter(|p| {
            let resting = found.iter().position(|f| {
                let parent = parent_key(&f.problem.key);
                // Beside it in a small setting (a DNS setting), not anywhere in a whole
                // section such as mediaServices or a list entry such as a VNet, whose other
                // keys stand on their own.
                let nested = parent.contains(['.', '[']) && !parent.ends_with(']');
                f.repair != schema::Repair::Remove
                    && (is_within(&f.problem.key, &p.key) || nested && is_within(&p.key, parent))
            });
            if let Some(i) = resting {
                folded[i] += 1;
            }
            resting.is_none()
        })
        .collect();
    (kept, folded)
}

/// `network.vnets[0].dns.mode` → `network.vnets[0].dns`; `tags` → `` (the whole file).
fn parent_key(key: &str) -> &str {
    key.rfind(['.', '[']).map_or("", |i| &key[..i])
}

/// Whether `key` is `rejected` itself or a key inside it (`storage.ipRules[0]` is inside
/// `storage.ipRules`, `storage.name` is not inside `storage.n`).
fn is_within(key: &str, rejected: &str) -> bool {
    key.strip_prefix(rejected)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

#[cfg(test)]
mod default_endpoint_tests {
    use super::*;

    /// Azure compares names without case: `Default` is the account's default endpoint, and
    /// adding another would be refused as a duplicate.
    #[test]
    fn default_in_any_letter_case_is_there_already() {
        assert!(!lacks_default_streaming_endpoint(["premium", "Default"]));
        assert!(!lacks_default_streaming_endpoint(["DEFAULT"]));
        assert!(lacks_default_streaming_endpoint(["premium"]));
        assert!(lacks_default_streaming_endpoint([]));
    }
}

#[cfg(test)]
mod repeated_problem_tests {
    use super::is_within;

    /// A rule problem is not repeated for a key the schema already rejected, nor for a key
    /// inside it; a key that only starts with the same letters is another key.
    #[test]
    fn a_key_is_within_itself_and_its_parent_only() {
        assert!(is_within("storage.ipRules", "storage.ipRules"));
        assert!(is_within("storage.ipRules[0]", "storage.ipRules"));
        assert!(is_within("network.vnets[0].subnet", "network.vnets[0]"));
        assert!(!is_within("storage.name", "storage.n"));
        assert!(!is_within("storage.ipRulesX", "storage.ipRules"));
        assert!(!is_within("storage", "storage.ipRules"));
    }
}
