//! The VNets: new or existing, where the endpoints go, who reaches whom, and their DNS.

use super::*;

pub(super) fn check_vnets(
    c: &mut Checker,
    values: &Values,
    needed: &[Zone],
    default_dns: &Dns,
    resource_manager_vnet: Option<&str>,
) -> Vec<Vnet> {
    let mut vnets = Vec::new();
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut spaces: Vec<(usize, IpNet)> = Vec::new();
    for (i, v) in values.network.vnets.iter().enumerate() {
        let pointer = format!("/network/vnets/{i}");
        let new_keys = v.name.is_some() || v.address_prefixes.is_some() || v.subnet.is_some();
        let shape = match (&v.existing_subnet_id, new_keys) {
            (Some(_), true) => {
                c.fail(
                    &pointer,
                    "a VNet entry is either new (name, addressPrefixes, subnet) or existing (existingSubnetId), not both",
                    "split it into two entries, or keep only existingSubnetId to use a subnet that already exists",
                );
                continue;
            }
            (Some(id), false) => existing_shape(c, &pointer, id, v),
            (None, _) => new_shape(c, &pointer, v),
        };
        let Some(shape) = shape else { continue };
        if let VnetShape::New {
            address_prefixes, ..
        } = &shape
        {
            spaces.extend(address_prefixes.iter().map(|space| (i, *space)));
        }
        let dns = match &v.dns {
            None => default_dns.clone(),
            Some(own) => {
                // Zones created for one VNet live in its own resource group, so that each
                // isolated VNet can have a set (two zones of one name cannot share a group).
                let home = match &shape {
                    // Resource group names are not case-sensitive in Azure: one spelling per group.
                    VnetShape::Existing(e) => ZoneHome::Group {
                        subscription_id: e.subscription_id.clone(),
                        resource_group: e.resource_group.to_lowercase(),
                    },
                    VnetShape::New { .. } => ZoneHome::Here,
                };
                let base = format!("{pointer}/dns");
                let holds_rm = match (&shape, resource_manager_vnet) {
                    (VnetShape::Existing(e), Some(rm)) => e.vnet_id().eq_ignore_ascii_case(rm),
                    _ => false,
                };
                check_dns(c, &base, own, needed, values.cloud, home, holds_rm)
            }
        };
        let dns_servers = check_dns_servers(c, &pointer, &v.dns_servers);
        if v.peering.is_some() && v.connected_to.is_empty() {
            c.fail(
                &format!("{pointer}/peering"),
                "peering says how the VNets in connectedTo are reached, and this VNet lists none",
                "remove peering, or list the VNets it is connected to in connectedTo",
            );
        }
        let vnet = Vnet {
            shape,
            endpoints: v.private_endpoints.unwrap_or(true),
            connected_to: v.connected_to.iter().map(|k| k.to_lowercase()).collect(),
            dns,
            link_new_zones: v.link_new_zones,
            peering: v.peering.unwrap_or(PeeringMode::Create),
            dns_servers,
            forwarding_ruleset: v.forwarding_ruleset,
            endpoint_settings: endpoint_settings(c, &pointer, v.endpoint_settings.as_ref()),
        };
        if let Some(first) = keys.insert(vnet.key().to_lowercase(), i) {
            c.fail(
                &pointer,
                format!("VNet `{}` is listed twice (also at index {first}); derived endpoint names would collide", vnet.key()),
                "list each VNet once; one entry already covers every endpoint in that VNet",
            );
        }
        vnets.push(vnet);
    }
    // connectedTo names another entry of the list.
    if vnets.len() == values.network.vnets.len() {
        for (i, v) in values.network.vnets.iter().enumerate() {
            for (k, name) in v.connected_to.iter().enumerate() {
                let other = vnets
                    .iter()
                    .position(|o| o.key().eq_ignore_ascii_case(name));
                let problem = match other {
                    Some(j) if j == i => Some("a VNet always reaches itself".to_owned()),
                    Some(_) => None,
                    None => Some(format!("no VNet in network.vnets is named `{name}`")),
                };
                if let Some(message) = problem {
                    let names: Vec<&str> = vnets.iter().map(Vnet::key).collect();
                    c.fail(
                        &format!("/network/vnets/{i}/connectedTo/{k}"),
                        format!("connectedTo: {message}"),
                        format!("name another VNet of the list ({})", names.join(", ")),
                    );
                }
            }
        }
    }
    // Overlapping VNets cannot be peered to a hub; almost always a copy-paste slip.
    for (a, (i, x)) in spaces.iter().enumerate() {
        for (j, y) in &spaces[a + 1..] {
            if i == j {
                continue;
            }
            let earlier = [(*x, format!("network.vnets[{i}]"))];
            if let Err((message, hint)) = fields::apart_from_other_vnets(y, &earlier) {
                c.fail(
                    &format!("/network/vnets/{j}/addressPrefixes"),
                    message,
                    hint,
                );
            }
        }
    }
    vnets
}

/// An existing subnet, by its ID, with its range when the values give it.
fn existing_shape(c: &mut Checker, pointer: &str, id: &str, v: &VnetValues) -> Option<VnetShape> {
    let Some(mut e) = ExistingSubnet::parse(id, v.location.clone()) else {
        c.fail(
            &format!("{pointer}/existingSubnetId"),
            format!("`{id}` is not a subnet resource ID"),
            "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
        );
        return None;
    };
    e.prefix = v
        .existing_subnet_prefix
        .as_deref()
        .and_then(|text| existing_subnet_prefix(c, pointer, text));
    Some(VnetShape::Existing(e))
}

/// A new VNet: its keys all there, its ranges apart, its subnet inside them.
fn new_shape(c: &mut Checker, pointer: &str, v: &VnetValues) -> Option<VnetShape> {
    for (key, given, why) in [
        ("existingSubnetPrefix", v.existing_subnet_prefix.is_some(), "existingSubnetPrefix is the range of an existing subnet; a new VNet's subnet has subnet.addressPrefix"),
        ("location", v.location.is_some(), "location is only for existing subnets; a new VNet is created in the deployment's location"),
    ] {
        if given {
            c.fail(
                &format!("{pointer}/{key}"),
                why,
                format!("remove {key} from this entry{}", if key == "location" { ", or set the top-level location" } else { "" }),
            );
        }
    }
    let (Some(name), Some(prefixes), Some(subnet)) = (&v.name, &v.address_prefixes, &v.subnet)
    else {
        let missing: Vec<&str> = [
            ("name", v.name.is_none()),
            ("addressPrefixes", v.address_prefixes.is_none()),
            ("subnet", v.subnet.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        c.fail(
            pointer,
            format!("a new VNet needs name, addressPrefixes and subnet; missing: {}", missing.join(", ")),
            "add the missing keys, or use existingSubnetId to point at a subnet that already exists",
        );
        return None;
    };
    let address_prefixes = c.nets(&format!("{pointer}/addressPrefixes"), prefixes);
    for (a, x) in address_prefixes.iter().enumerate() {
        for y in &address_prefixes[a + 1..] {
            if network::overlaps(x, y) {
                c.fail(
                    &format!("{pointer}/addressPrefixes"),
                    format!("address ranges {x} and {y} overlap"),
                    "list each range of the VNet once, without overlaps",
                );
            }
        }
    }
    let at = format!("{pointer}/subnet/addressPrefix");
    let prefix = match network::parse_net(&subnet.address_prefix) {
        Ok(p) => p,
        Err((message, hint)) => {
            c.fail(&at, message, hint);
            return None;
        }
    };
    for (message, hint) in network::subnet_problems(&address_prefixes, &prefix) {
        c.fail(&at, message, hint);
    }
    Some(VnetShape::New {
        name: name.clone(),
        address_prefixes,
        subnet: Subnet {
            name: subnet.name.clone(),
            prefix,
            nsg: subnet.network_security_group_id.clone(),
            route_table: subnet.route_table_id.clone(),
        },
    })
}

/// A VNet's DNS servers: IPv4 addresses, and not Azure's own (leaving the list out is how a
/// VNet asks Azure-provided DNS).
fn check_dns_servers(c: &mut Checker, pointer: &str, servers: &[String]) -> Vec<Ipv4Addr> {
    let mut out = Vec::new();
    for (k, text) in servers.iter().enumerate() {
        let at = format!("{pointer}/dnsServers/{k}");
        match text.trim().parse::<Ipv4Addr>() {
            Ok(AZURE_DNS) => c.fail(
                &at,
                format!("{AZURE_DNS} is Azure-provided DNS, which a VNet uses when it lists no DNS servers"),
                "remove dnsServers from this VNet: without them its clients ask Azure DNS, through the zones linked to it",
            ),
            Ok(address) => out.push(address),
            Err(_) => c.fail(
                &at,
                format!("`{text}` is not an IPv4 address"),
                "write the address of a DNS server the VNet's clients can reach, e.g. the DNS resolver's inbound address 10.30.2.4 (Azure takes IPv4 DNS servers only)",
            ),
        }
    }
    out
}

/// Azure-provided DNS, the virtual public address every VNet can ask.
const AZURE_DNS: Ipv4Addr = Ipv4Addr::new(168, 63, 129, 16);

/// Links into existing VNets, once it is known which VNets are linked at all: zones created
/// here are linked into an existing VNet only with linkNewZones, and linkNewZones means
/// nothing where no such link is made.
pub(super) fn check_links(c: &mut Checker, d: &Deployment) {
    for (i, vnet) in d.vnets.iter().enumerate() {
        let pointer = format!("/network/vnets/{i}");
        check_existing_zone_link_name(c, d, i);
        let created = matches!(vnet.dns, Dns::Create(_));
        let linked = created && vnet.existing().is_some() && d.needs_links(i);
        if vnet.link_new_zones && !linked {
            c.fail(
                &format!("{pointer}/linkNewZones"),
                "linkNewZones only applies to an existing VNet whose zones are created here (DNS mode create) and whose clients ask Azure DNS (no dnsServers)",
                "remove linkNewZones from this entry",
            );
        }
        if linked && !vnet.link_new_zones {
            c.fail(
                &pointer,
                "private DNS zones created here would be linked to this existing VNet: if it already links a zone of the same name the deployment fails (overlapping namespaces), and otherwise the new zone takes over that name space for the whole VNet, so other teams' privatelink names (their storage accounts, vaults) stop resolving",
                "if the VNet resolves these names through hub zones, use them: dns: {mode: existing, zoneIds: ...}; if you know it links no zone of these names, set linkNewZones: true on this VNet (the link then uses resolutionPolicy NxDomainRedirect, so names missing from the new zone still resolve publicly)",
            );
        }
    }
}

/// Longest name Azure accepts for a private DNS zone's VNet link.
const MAX_LINK_NAME: usize = 80;

/// A link into an existing zone is named `link-<vnet>-<hash of its ID>` (13 characters), so
/// that it never takes over another team's link there; Azure allows 80 characters.
fn check_existing_zone_link_name(c: &mut Checker, d: &Deployment, i: usize) {
    let vnet = &d.vnets[i];
    let into_existing =
        matches!(&vnet.dns, Dns::Existing(ids) | Dns::Policy(ids) if !ids.is_empty());
    let length = "link-".len() + vnet.key().len() + 1 + 13;
    if vnet.existing().is_none() && d.needs_links(i) && into_existing && length > MAX_LINK_NAME {
        c.fail(
            &format!("/network/vnets/{i}/name"),
            format!("the links into existing zones would be named link-{}-<hash>, {length} characters; Azure allows {MAX_LINK_NAME}", vnet.key()),
            format!("use a VNet name of at most {} characters", MAX_LINK_NAME - "link-".len() - 14),
        );
    }
}

/// Endpoints in an existing VNet whose region the values do not give.
pub(super) fn region_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    // A private endpoint must be in its VNet's region; without a location the tool can only
    // assume the deployment's.
    for (i, vnet) in d.vnets.iter().enumerate().filter(|(_, v)| v.endpoints) {
        let Some(e) = vnet.existing() else { continue };
        if e.location.is_none() {
            let region = d.location.as_deref().map_or_else(
                || "the deployment's region (the resource group's)".to_owned(),
                |l| format!("the deployment's region, {l}"),
            );
            out.push(warn(
                &rules::REGION_ASSUMED,
                format!("/network/vnets/{i}/existingSubnetId"),
                format!("existing VNet '{}'", e.vnet_name),
                format!("no location given, so its private endpoints are created in {region}; an endpoint must be in its VNet's region: set location on this VNet if it is elsewhere"),
            ));
        }
    }
    out
}
