//! New VNets and the private DNS zones with their VNet links: in this resource group, or for
//! an isolated existing VNet, in its own.

use super::*;

pub(crate) fn vnet_symbol(syms: &Symbols, vnet: &Vnet) -> String {
    syms.get("vnet", vnet.key())
}

/// A new VNet with its subnets and their network security groups; empty for an existing one.
///
/// The subnets are child resources, not the VNet's `subnets` property: from network API
/// 2023-09-01 a VNet written without that property keeps the subnets it has, so a subnet
/// someone adds later (a test VM's) survives the next deployment, where an inline list would
/// delete it or fail on it (shared/docs/azure-facts.md §3.4a). They are made one after
/// another, since the network provider refuses a second change to a VNet in progress.
pub(crate) fn virtual_network(syms: &Symbols, d: &Deployment, vnet: &Vnet) -> Vec<Resource> {
    let VnetShape::New {
        name,
        address_prefixes,
        ..
    } = &vnet.shape
    else {
        return Vec::new();
    };
    let i = index_of(d, vnet);
    let mut properties = vec![(
        "addressSpace",
        Expr::object([(
            "addressPrefixes",
            Expr::strings(address_prefixes.iter().map(ToString::to_string)),
        )]),
    )];
    if !vnet.dns_servers.is_empty() {
        properties.push((
            "dhcpOptions",
            Expr::object([(
                "dnsServers",
                Expr::strings(vnet.dns_servers.iter().map(ToString::to_string)),
            )]),
        ));
    }
    let network = Resource::new(
        vnet_symbol(syms, vnet),
        "Microsoft.Network/virtualNetworks",
        api::NETWORK,
        Expr::str(name),
    )
    .with("location", Expr::param(P_LOCATION))
    .with("tags", Expr::var(V_TAGS))
    .with("properties", Expr::object(properties))
    .comment(vnet_comment(d, vnet));
    let (mut out, subnets) = subnets_of(syms, d, vnet, i);
    out.push(network);
    out.extend(subnets);
    out
}

/// The subnets the template creates in `vnet`, each after the one before, and the security
/// groups it creates for them.
fn subnets_of(
    syms: &Symbols,
    d: &Deployment,
    vnet: &Vnet,
    i: usize,
) -> (Vec<Resource>, Vec<Resource>) {
    let mut nsgs = Vec::new();
    let mut subnets: Vec<Resource> = Vec::new();
    for (role, s) in d.created_subnets(i) {
        let nsg = match &s.nsg {
            Some(id) => Expr::existing_id(id),
            None => {
                let symbol = syms.get("nsg", &format!("{}/{}", vnet.key(), s.name));
                let name = s.created_nsg_name(vnet.key());
                nsgs.push(security_group(&symbol, &name, &s.name));
                Expr::id(&symbol)
            }
        };
        let (what, extra) = match role {
            SubnetRole::Endpoints if vnet.endpoints => {
                ("The private endpoints' subnet", endpoint_subnet_policies(s))
            }
            SubnetRole::Endpoints => (
                "The subnet of the VNet's clients",
                endpoint_subnet_policies(s),
            ),
            SubnetRole::ResolverInbound | SubnetRole::ResolverOutbound => (
                "A DNS resolver endpoint's subnet, delegated to the resolver",
                vec![("delegations", resolver_delegation())],
            ),
        };
        let mut r = subnet(syms, vnet, s, nsg, extra).comment(format!(
            "{what}: a child resource, so subnets added to the VNet later survive a redeployment."
        ));
        if let Some(previous) = subnets.last() {
            r.depends_on.push(previous.symbol.clone());
        }
        subnets.push(r);
    }
    (nsgs, subnets)
}

/// The symbol of a subnet the template creates.
pub(crate) fn subnet_symbol(syms: &Symbols, vnet: &Vnet, subnet: &Subnet) -> String {
    syms.get("subnet", &format!("{}/{}", vnet.key(), subnet.name))
}

/// The endpoints' subnet: network policies on for network security groups, so the subnet's
/// group filters traffic to the endpoints (with `Disabled` it would be attached and ignored);
/// for route tables too when the values attach one. Written out, so a redeployment finds
/// nothing to change.
fn endpoint_subnet_policies(s: &Subnet) -> Vec<(&'static str, Expr)> {
    let policies = if s.route_table.is_some() {
        "Enabled"
    } else {
        "NetworkSecurityGroupEnabled"
    };
    vec![
        ("privateEndpointNetworkPolicies", Expr::str(policies)),
        ("privateLinkServiceNetworkPolicies", Expr::str("Enabled")),
    ]
}

/// A network security group with Azure's default rules only: they let traffic from the
/// `VirtualNetwork` tag in (the VNet, its peers, networks behind its gateway) and refuse the
/// internet's; no endpoint needs more (shared/docs/azure-facts.md §3.4a); a landing zone's
/// Deny-Subnet-Without-Nsg policy refuses a subnet without one.
fn security_group(symbol: &str, name: &str, subnet: &str) -> Resource {
    Resource::new(
        symbol,
        "Microsoft.Network/networkSecurityGroups",
        api::NETWORK,
        Expr::str(name),
    )
    .with("location", Expr::param(P_LOCATION))
    .with("tags", Expr::var(V_TAGS))
    .with(
        "properties",
        Expr::object([("securityRules", Expr::EmptyList)]),
    )
    .comment(format!("Network security group of subnet {subnet}: Azure's default rules only (traffic from the VNet, its peers and connected on-premises networks in; none from the internet). The template owns its rules: give networkSecurityGroupId to manage them elsewhere."))
}

/// Why a new VNet resolves the way it does, for its comment.
fn vnet_comment(d: &Deployment, vnet: &Vnet) -> String {
    let dns = match d.lookup(index_of(d, vnet)) {
        Lookup::Linked => "It keeps Azure-provided DNS, which answers from the private DNS zones linked to it.",
        Lookup::Resolver => "Its DNS server is the DNS resolver's inbound endpoint, which answers from the zones linked to the resolver's VNet.",
        Lookup::Ruleset => "It keeps Azure-provided DNS; the resolver's forwarding ruleset, linked to it, sends the private names to the resolver's inbound endpoint.",
        Lookup::OwnServers => "Its DNS servers are your own: they must forward the private names to Azure DNS from a VNet linked to the zones.",
    };
    let what = if vnet.endpoints {
        "VNet for the private endpoints."
    } else {
        "VNet whose clients use the private endpoints of a connected VNet."
    };
    format!("{what} {dns}")
}

fn subnet(
    syms: &Symbols,
    vnet: &Vnet,
    s: &Subnet,
    nsg: Expr,
    extra: Vec<(&'static str, Expr)>,
) -> Resource {
    let mut properties = vec![
        ("addressPrefix", Expr::str(s.prefix.to_string())),
        ("networkSecurityGroup", Expr::object([("id", nsg)])),
    ];
    if let Some(id) = &s.route_table {
        properties.push(("routeTable", Expr::object([("id", Expr::existing_id(id))])));
    }
    properties.extend(extra);
    let mut r = Resource::new(
        subnet_symbol(syms, vnet, s),
        "Microsoft.Network/virtualNetworks/subnets",
        api::NETWORK,
        Expr::str(&s.name),
    )
    .with("properties", Expr::object(properties));
    r.parent = Some(vnet_symbol(syms, vnet));
    r
}

/// A subnet that holds only a DNS Private Resolver endpoint is delegated to the resolver.
fn resolver_delegation() -> Expr {
    Expr::Array(vec![Expr::object([
        ("name", Expr::str("Microsoft.Network.dnsResolvers")),
        (
            "properties",
            Expr::object([("serviceName", Expr::str("Microsoft.Network/dnsResolvers"))]),
        ),
    ])])
}

/// The parameter a module receives a new VNet's resource ID by: `vnetMediaId` for `vnet-media`.
pub(crate) fn id_param(vnet: &Vnet) -> String {
    let mut name = camel(vnet.key());
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    format!("{name}Id")
}

pub(crate) fn zone_symbol(zone: Zone) -> String {
    format!("privateDnsZone{}", camel(zone.key()))
}

/// The zone's name in the template: storage through `environment()`, so no cloud host name
/// is written; the others from the catalogue for the chosen cloud (the rules have refused a
/// cloud without one).
pub(crate) fn zone_name(zone: Zone, cloud: Cloud) -> Expr {
    match zone {
        Zone::Storage(s) => Expr::format(
            format!("privatelink.{}.{{0}}", s.as_str()),
            vec![Expr::Environment(vec!["suffixes".into(), "storage".into()])],
        ),
        other => Expr::str(other.name(cloud).unwrap_or_default()),
    }
}

pub(crate) fn dns_zone(zone: Zone, cloud: Cloud) -> Resource {
    Resource::new(
        zone_symbol(zone),
        "Microsoft.Network/privateDnsZones",
        api::PRIVATE_DNS,
        zone_name(zone, cloud),
    )
    .with("location", Expr::str("global"))
    .with("tags", Expr::var(V_TAGS))
    .with("properties", Expr::Object(Vec::new()))
    .comment(match zone {
        // The one zone whose name the template derives rather than spells.
        Zone::Storage(_) => format!(
            "Private zone for {}; the suffix follows the cloud via environment().",
            zone.serves()
        ),
        _ => format!("Private zone for {}.", zone.serves()),
    })
}

/// A link of the zone `zone_symbol` to a VNet. With `fallback` it uses NxDomainRedirect:
/// names missing from the zone resolve publicly instead of failing (privateDns 2024-06-01;
/// learn.microsoft.com/azure/dns/private-dns-fallback). That is for a VNet this tool does not
/// own, whose other names must keep resolving, and for the resolver's VNet, whose links answer
/// every name on-premises DNS forwards under the public zones.
pub(crate) fn vnet_link(
    symbol: String,
    zone_symbol: &str,
    name: Expr,
    vnet_id: Expr,
    fallback: Fallback,
) -> Resource {
    let policy = match fallback {
        Fallback::None => "Default",
        Fallback::NotOurs | Fallback::Resolver => "NxDomainRedirect",
    };
    let mut r = Resource::new(
        symbol,
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        api::PRIVATE_DNS,
        name,
    )
    .with("location", Expr::str("global"))
    .with("tags", Expr::var(V_TAGS))
    .with(
        "properties",
        Expr::object([
            ("registrationEnabled", Expr::Bool(false)),
            ("resolutionPolicy", Expr::str(policy)),
            ("virtualNetwork", Expr::object([("id", vnet_id)])),
        ]),
    )
    .comment(match fallback {
        Fallback::None => "Makes the zone answer for clients in this VNet.",
        Fallback::NotOurs => "Makes the zone answer for clients in this existing VNet; names it does not hold fall back to public resolution.",
        Fallback::Resolver => "Makes the zone answer for the DNS resolver in this VNet; names it does not hold fall back to public resolution, since forwarders send it every name under the public zone.",
    });
    r.parent = Some(zone_symbol.to_owned());
    r
}

/// Whether a zone link falls back to public resolution for names the zone lacks, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fallback {
    /// A VNet created here: the zone's answer is the only one.
    None,
    /// A VNet this tool does not own.
    NotOurs,
    /// The VNet that holds the DNS resolver.
    Resolver,
}

fn fallback_of(d: &Deployment, i: usize) -> Fallback {
    if d.holds_resolver(i) {
        Fallback::Resolver
    } else if d.vnets[i].existing().is_some() {
        Fallback::NotOurs
    } else {
        Fallback::None
    }
}

pub(crate) fn dns_link(syms: &Symbols, d: &Deployment, zone: Zone, vnet: &Vnet) -> Resource {
    let vnet_id = match &vnet.shape {
        VnetShape::New { .. } => Expr::id(&vnet_symbol(syms, vnet)),
        VnetShape::Existing(e) => Expr::existing_id(&e.vnet_id()),
    };
    vnet_link(
        syms.get(&format!("{}Link", zone_symbol(zone)), vnet.key()),
        &zone_symbol(zone),
        Expr::str(format!("link-{}", vnet.key())),
        vnet_id,
        fallback_of(d, index_of(d, vnet)),
    )
}

/// The index of a VNet of the deployment, by identity.
pub(crate) fn index_of(d: &Deployment, vnet: &Vnet) -> usize {
    d.vnets
        .iter()
        .position(|v| std::ptr::eq(v, vnet))
        .unwrap_or_default()
}

/// The zone a VNet's endpoints register in, as the outer template refers to it; `None` when
/// no zone group is written (policy, none).
pub(crate) fn zone_id_for(d: &Deployment, vnet: &Vnet, zone: Zone) -> Option<Expr> {
    match &vnet.dns {
        Dns::Create(home) => Some(match home.zone_id(zone, d.cloud) {
            Some(id) => existing_zone_id(zone, &id, d.cloud),
            None => Expr::id(&zone_symbol(zone)),
        }),
        Dns::Existing(ids) => ids.get(&zone).map(|id| existing_zone_id(zone, id, d.cloud)),
        Dns::Policy(_) | Dns::None => None,
    }
}

/// Every zone the endpoints need (of one part), each linked to the VNets given.
fn zones_linked_to(syms: &Symbols, d: &Deployment, linked: &[&Vnet], part: Part) -> Vec<Resource> {
    let mut out = Vec::new();
    for zone in d.zones().into_iter().filter(|z| part_of_zone(*z) == part) {
        out.push(dns_zone(zone, d.cloud));
        out.extend(linked.iter().map(|v| dns_link(syms, d, zone, v)));
    }
    out
}

/// The zones created in this resource group and their links. The Media Services zone is among
/// them; the Media Services module takes it, so the foundation deploys none of it.
pub(crate) fn local_zones(syms: &Symbols, d: &Deployment) -> Vec<Resource> {
    if d.vnets_at(&ZoneHome::Here).is_empty() {
        return Vec::new();
    }
    let linked = d.linked_at(&ZoneHome::Here);
    [Part::Foundation, Part::Media]
        .into_iter()
        .flat_map(|part| zones_linked_to(syms, d, &linked, part))
        .collect()
}

/// The module creating the zones `vnet` resolves through (of one part), when they live in its
/// own resource group; it is named after the first VNet using them.
pub(crate) fn zone_module_symbol(
    syms: &Symbols,
    d: &Deployment,
    vnet: &Vnet,
    part: Part,
) -> Option<String> {
    let home = vnet.zone_home().filter(|h| **h != ZoneHome::Here)?;
    let first = d.vnets_at(home).into_iter().next()?;
    let prefix = match part {
        Part::Foundation => "privateDnsZones",
        Part::Media => "mediaPrivateDnsZones",
    };
    Some(syms.get(prefix, first.key()))
}

/// Zones created for existing VNets in their own resource groups: per group, one module for
/// the foundation's zones and one, deployed only with Media Services, for its zone.
pub(crate) fn zone_modules(syms: &Symbols, d: &Deployment) -> Vec<Module> {
    let mut out = Vec::new();
    for home in d.zone_homes() {
        let Some((subscription_id, resource_group)) = home.group() else {
            continue;
        };
        let at = d.vnets_at(home);
        let Some(first) = at.first() else { continue };
        let linked = d.linked_at(home);
        let names: Vec<&str> = linked.iter().map(|v| v.key()).collect();
        for part in [Part::Foundation, Part::Media] {
            let resources = zones_linked_to(syms, d, &linked, part);
            let Some(symbol) = zone_module_symbol(syms, d, first, part) else {
                continue;
            };
            if resources.is_empty() {
                continue;
            }
            let (file, what) = match part {
                Part::Foundation => ("private-dns-zones", "Private DNS zones"),
                Part::Media => (
                    "media-private-dns-zone",
                    "The Media Services private DNS zone, deployed only with Media Services,",
                ),
            };
            // Another team's resource group: a zone of the same name there keeps its tags
            // (the template does not tag what it may not own).
            let mut resources = resources;
            for r in &mut resources {
                r.body.retain(|(k, _)| *k != "tags");
            }
            out.push(Module {
                resources,
                condition: (part == Part::Media).then(|| Expr::param(P_DEPLOY_MEDIA)),
                ..Module::in_group(
                    symbol,
                    format!("modules/{file}-{}.bicep", first.key()),
                    subscription_id,
                    resource_group,
                    format!(
                        "{what} of their own for {} in resource group {resource_group} (subscription {subscription_id}), linked to that VNet only.",
                        names.join(", ")
                    ),
                )
            });
        }
    }
    out
}

/// Which half of the deployment a zone belongs to: the Media Services zone only exists with
/// the account.
fn part_of_zone(zone: Zone) -> Part {
    if zone == Zone::Media {
        Part::Media
    } else {
        Part::Foundation
    }
}

/// Where links into existing zones are written: subscription, resource group (letter case
/// folded, as Azure compares them), and whether they are the Media Services zone's (deployed
/// only with Media Services).
type LinkGroup = (String, String, bool);
/// One link: the zone, its resource ID, and the index of the VNet it links.
type ZoneLink = (Zone, String, usize);

/// Links from existing zones (a hub's, or Azure Policy's central ones) to the new VNets that
/// ask Azure DNS: one module per zone resource group and part, deployed there. Each link is
/// named after its VNet and a hash of the VNet's ID, so it cannot take over another team's link
/// of the same name in a shared zone.
pub(crate) fn existing_zone_links(syms: &Symbols, d: &Deployment) -> Vec<Module> {
    let mut groups: BTreeMap<LinkGroup, Vec<ZoneLink>> = BTreeMap::new();
    for (i, zone, id) in d.links_into_existing_zones() {
        let Some(r) = ResourceId::parse(id) else {
            continue;
        };
        let key = (
            r.subscription_id.to_lowercase(),
            r.resource_group.to_lowercase(),
            zone == Zone::Media,
        );
        groups
            .entry(key)
            .or_default()
            .push((zone, id.to_owned(), i));
    }
    let keys: Vec<LinkGroup> = groups.keys().cloned().collect();
    groups
        .into_iter()
        .map(|(group, links)| {
            // Named after the resource group, and after its subscription too when another
            // subscription has a group of that name.
            let (subscription_id, resource_group, media) = &group;
            let shared = keys
                .iter()
                .any(|(s, rg, _)| rg == resource_group && s != subscription_id);
            let label = if shared {
                format!("{resource_group}-{}", &subscription_id[..8])
            } else {
                resource_group.clone()
            };
            let mut module = links_module(&label, &group, *media);
            (module.params, module.resources) = zone_links(syms, d, &links);
            module
        })
        .collect()
}

/// The empty module for the links of one group.
fn links_module(
    label: &str,
    (subscription_id, resource_group, _): &LinkGroup,
    media: bool,
) -> Module {
    let (prefix, file, what) = if media {
        (
            "mediaZoneLinks",
            "media-private-dns-links",
            "Links, deployed only with Media Services, from the existing Media Services zone",
        )
    } else {
        (
            "zoneLinks",
            "private-dns-links",
            "Links from the existing private DNS zones",
        )
    };
    Module {
        condition: media.then(|| Expr::param(P_DEPLOY_MEDIA)),
        ..Module::in_group(
            format!("{prefix}{}", camel(label)),
            format!("modules/{file}-{label}.bicep"),
            subscription_id,
            resource_group,
            format!("{what} in resource group {resource_group} (subscription {subscription_id}) to the VNets created here, whose clients ask Azure DNS."),
        )
    }
}

/// The links of one group: each zone declared `existing`, a link per VNet, and the VNets' IDs
/// as parameters.
fn zone_links(
    syms: &Symbols,
    d: &Deployment,
    links: &[ZoneLink],
) -> (Vec<(Param, Expr)>, Vec<Resource>) {
    let mut params: Vec<(Param, Expr)> = Vec::new();
    let mut resources: Vec<Resource> = Vec::new();
    for (zone, id, i) in links {
        let vnet = &d.vnets[*i];
        let zone_sym = zone_symbol(*zone);
        if !resources.iter().any(|r| r.symbol == zone_sym) {
            let name = match existing_zone_id(*zone, id, d.cloud) {
                Expr::ScopedResourceId { names, .. } => names[0].clone(),
                other => other,
            };
            resources.push(
                Resource::new(
                    zone_sym.clone(),
                    "Microsoft.Network/privateDnsZones",
                    api::PRIVATE_DNS,
                    name,
                )
                .existing_in(ExistingIn::Here),
            );
        }
        let param = id_param(vnet);
        if !params.iter().any(|(p, _)| p.name == param) {
            let about = format!(
                "Resource ID of the VNet {} created by the parent deployment.",
                vnet.key()
            );
            params.push((
                Param::new(&param, ParamType::String, about),
                Expr::id(&vnet_symbol(syms, vnet)),
            ));
        }
        let name = Expr::format(
            format!("link-{}-{{0}}", vnet.key()),
            vec![Expr::UniqueString(vec![Expr::param(&param)])],
        );
        resources.push(vnet_link(
            syms.get(&format!("{zone_sym}Link"), vnet.key()),
            &zone_sym,
            name,
            Expr::param(&param),
            fallback_of(d, *i),
        ));
    }
    (params, resources)
}

/// An existing zone's ID. A storage zone with the standard public-cloud name is referred to
/// through `environment()`, like the zones this tool creates: no cloud host name is written
/// into the template (Bicep's `no-hardcoded-env-urls`, arm-ttk's hardcoded-URI test). In
/// public Azure the ID is the one the user gave; in another cloud it names that cloud's zone,
/// the only one its storage names resolve through.
fn existing_zone_id(zone: Zone, id: &str, cloud: Cloud) -> Expr {
    let mut e = Expr::existing_id(id);
    if let (Zone::Storage(s), Expr::ScopedResourceId { rtype, names, .. }) = (zone, &mut e) {
        let standard = format!("privatelink.{}.{}", s.as_str(), storage_suffix(cloud));
        if rtype.eq_ignore_ascii_case("Microsoft.Network/privateDnsZones")
            && names.len() == 1
            && matches!(&names[0], Expr::Str(n) if n.eq_ignore_ascii_case(&standard))
        {
            names[0] = zone_name(zone, cloud);
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    const HUB: &str = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/";

    fn zone_name_of(e: &Expr) -> Expr {
        match e {
            Expr::ScopedResourceId { names, .. } => names[0].clone(),
            other => panic!("not a scoped ID: {other:?}"),
        }
    }

    #[test]
    fn standard_storage_zone_ids_use_the_cloud_suffix() {
        let blob = Zone::Storage(StorageSubresource::Blob);
        for name in [
            "privatelink.blob.core.windows.net",
            "Privatelink.Blob.Core.Windows.Net",
        ] {
            let id = existing_zone_id(blob, &format!("{HUB}{name}"), Cloud::AzureCloud);
            assert_eq!(
                zone_name_of(&id),
                zone_name(blob, Cloud::AzureCloud),
                "{name}"
            );
        }
    }

    #[test]
    fn other_zone_ids_stay_as_given() {
        let blob = Zone::Storage(StorageSubresource::Blob);
        // A custom zone name, and another cloud's, are the user's to choose.
        for name in [
            "privatelink.blob.core.usgovcloudapi.net",
            "blob.contoso.internal",
        ] {
            let id = existing_zone_id(blob, &format!("{HUB}{name}"), Cloud::AzureCloud);
            assert_eq!(zone_name_of(&id), Expr::str(name));
        }
        let media = existing_zone_id(
            Zone::Media,
            &format!("{HUB}privatelink.media.azure.net"),
            Cloud::AzureCloud,
        );
        assert_eq!(
            zone_name_of(&media),
            Expr::str("privatelink.media.azure.net")
        );
    }
}
