//! Clients beyond a VNet's own links: the DNS Private Resolver (its inbound endpoint, and the
//! forwarding ruleset VNets may be linked to), on-premises networks behind a gateway, and the
//! peerings that let each client reach the endpoints it resolves to.
//!
//! Azure facts (shared/docs/azure-facts.md §3.2c): a resolver's endpoints each need a subnet of
//! their own, /28 to /24, delegated to Microsoft.Network/dnsResolvers; the inbound endpoint
//! answers from the zones linked to its VNet; a forwarding ruleset linked to that same VNet
//! with a rule to its inbound endpoint is a DNS resolution loop (private-resolver-
//! architecture.md); a peering that uses the remote VNet's gateway fails when that VNet has
//! none (virtualNetworkPeerings, useRemoteGateways).

use super::*;

/// The VNet of the list named `name` (letter case ignored, as Azure does), or a problem at
/// `pointer` that lists the names there are.
fn vnet_named(c: &mut Checker, vnets: &[Vnet], name: &str, pointer: &str) -> Option<usize> {
    let found = vnets
        .iter()
        .position(|v| v.key().eq_ignore_ascii_case(name));
    if found.is_none() {
        let names: Vec<&str> = vnets.iter().map(Vnet::key).collect();
        c.fail(
            pointer,
            format!("no VNet in network.vnets is named `{name}`"),
            format!("name a VNet of the list ({})", names.join(", ")),
        );
    }
    found
}

/// A resolver subnet of a new VNet: inside its address space, apart from the subnets before it.
fn resolver_subnet(
    c: &mut Checker,
    pointer: &str,
    values: &SubnetValues,
    space: &[IpNet],
    taken: &[(String, IpNet)],
) -> Option<Subnet> {
    let prefix = match network::parse_net(&values.address_prefix) {
        Ok(p) => p,
        Err((message, hint)) => {
            c.fail(&format!("{pointer}/addressPrefix"), message, hint);
            return None;
        }
    };
    let mut fits = true;
    for (message, hint) in fields::resolver_subnet(&prefix, space, taken) {
        c.fail(&format!("{pointer}/addressPrefix"), message, hint);
        fits = false;
    }
    if let Some((name, _)) = taken
        .iter()
        .find(|(n, _)| fields::same_name(n, &values.name))
    {
        c.fail(
            &format!("{pointer}/name"),
            format!("the VNet already has a subnet named `{name}`"),
            "give the resolver's subnet a name of its own, e.g. snet-dns-inbound",
        );
        fits = false;
    }
    fits.then(|| Subnet {
        name: values.name.clone(),
        prefix,
        nsg: values.network_security_group_id.clone(),
        route_table: values.route_table_id.clone(),
    })
}

/// The inbound endpoint's static address: absent, the first address Azure gives out.
fn inbound_address(c: &mut Checker, text: Option<&str>, subnet: &Subnet) -> Option<Ipv4Addr> {
    let Some(text) = text else {
        return fields::first_usable(&subnet.prefix);
    };
    let pointer = "/network/dnsResolver/inboundAddress";
    let checked = text
        .trim()
        .parse::<Ipv4Addr>()
        .map_err(|_| {
            (
                format!("`{text}` is not an IPv4 address"),
                format!("write an address of {}", subnet.prefix),
            )
        })
        .and_then(|a| fields::static_address(a, &subnet.prefix).map(|()| a));
    match checked {
        Ok(a) => Some(a),
        Err((message, hint)) => {
            c.fail(pointer, message, hint);
            None
        }
    }
}

/// The resolver, the on-premises networks and the peerings, with the VNets' DNS servers and
/// ruleset links checked against the resolver they rely on.
pub(super) fn check_clients(
    c: &mut Checker,
    values: &Values,
    vnets: &[Vnet],
) -> (Option<DnsResolver>, Option<OnPremises>, Vec<Peering>) {
    let resolver = check_resolver(c, values, vnets);
    let on_premises = check_on_premises(c, values, vnets, resolver.as_ref());
    // A resolver the values give but that failed its own checks is reported there already.
    if resolver.is_some() || values.network.dns_resolver.is_none() {
        check_lookups(c, vnets, resolver.as_ref());
    }
    let peerings = check_peerings(c, values, vnets, on_premises.as_ref(), resolver.as_ref());
    (resolver, on_premises, peerings)
}

const RESOLVER: &str = "/network/dnsResolver";

/// An existing resolver: its VNet and inbound address, nothing to create. It lives in a VNet
/// that exists: a VNet created here has no resolver until this template makes one.
fn existing_resolver(
    c: &mut Checker,
    r: &DnsResolverValues,
    vnets: &[Vnet],
    vnet: usize,
) -> Option<DnsResolver> {
    if vnets[vnet].existing().is_none() {
        c.fail(
            &format!("{RESOLVER}/vnet"),
            format!("`{}` is created here, so no resolver exists in it yet", vnets[vnet].key()),
            "create the resolver here (inboundSubnet: {name: snet-dns-inbound, addressPrefix: <a free /28>}), or name the existing VNet that holds yours",
        );
        return None;
    }
    if r.outbound_subnet.is_some() {
        c.fail(
            &format!("{RESOLVER}/outboundSubnet"),
            "an outbound endpoint is only created with a new resolver (inboundSubnet)",
            "add inboundSubnet to create the resolver here, or remove outboundSubnet",
        );
    }
    let Some(text) = &r.inbound_address else {
        c.fail(
            RESOLVER,
            "an existing resolver needs its inbound address (or give inboundSubnet to create one)",
            "add inboundAddress: the inbound endpoint's IP (az dns-resolver inbound-endpoint list), or inboundSubnet: {name, addressPrefix} in a new VNet",
        );
        return None;
    };
    let Ok(address) = text.trim().parse::<Ipv4Addr>() else {
        c.fail(
            &format!("{RESOLVER}/inboundAddress"),
            format!("`{text}` is not an IPv4 address"),
            "write the inbound endpoint's private address, e.g. 10.0.0.4",
        );
        return None;
    };
    Some(DnsResolver {
        vnet,
        address,
        new: None,
    })
}

/// `network.dnsResolver`: created in a new VNet, or an existing one's address.
fn check_resolver(c: &mut Checker, values: &Values, vnets: &[Vnet]) -> Option<DnsResolver> {
    let r = values.network.dns_resolver.as_ref()?;
    let i = vnet_named(c, vnets, &r.vnet, &format!("{RESOLVER}/vnet"))?;
    let Some(inbound) = &r.inbound_subnet else {
        return existing_resolver(c, r, vnets, i);
    };
    let VnetShape::New {
        address_prefixes,
        subnet,
        ..
    } = &vnets[i].shape
    else {
        c.fail(
            &format!("{RESOLVER}/inboundSubnet"),
            format!("`{}` is an existing VNet: the tool creates a resolver only in a VNet it creates (adding subnets to a VNet it does not own would fight that VNet's own template)", vnets[i].key()),
            "give the address of the resolver that VNet already has (inboundAddress alone), or put the resolver in a VNet created here",
        );
        return None;
    };
    let mut taken = vec![(subnet.name.clone(), subnet.prefix)];
    let inbound = resolver_subnet(
        c,
        &format!("{RESOLVER}/inboundSubnet"),
        inbound,
        address_prefixes,
        &taken,
    )?;
    taken.push((inbound.name.clone(), inbound.prefix));
    let outbound = match &r.outbound_subnet {
        Some(o) => Some(resolver_subnet(
            c,
            &format!("{RESOLVER}/outboundSubnet"),
            o,
            address_prefixes,
            &taken,
        )?),
        None => None,
    };
    let address = inbound_address(c, r.inbound_address.as_deref(), &inbound)?;
    Some(DnsResolver {
        vnet: i,
        address,
        new: Some(NewResolver {
            inbound_subnet: inbound,
            outbound_subnet: outbound,
        }),
    })
}

/// The VNets' DNS servers and ruleset links, against the resolver they rely on.
fn check_lookups(c: &mut Checker, vnets: &[Vnet], resolver: Option<&DnsResolver>) {
    for (i, v) in vnets.iter().enumerate() {
        let pointer = format!("/network/vnets/{i}");
        if v.forwarding_ruleset {
            check_ruleset_link(c, &pointer, vnets, i, resolver);
        }
        let Some(r) = resolver.filter(|r| v.dns_servers.contains(&r.address)) else {
            continue;
        };
        if r.vnet != i && !v.reaches(&vnets[r.vnet]) {
            let holder = vnets[r.vnet].key();
            c.fail(
                &format!("{pointer}/dnsServers"),
                format!("VNet `{}` would send its DNS queries to the resolver {} in VNet `{holder}`, which it is not declared connected to", v.key(), r.address),
                format!("add connectedTo: [{holder}] to it (its clients must reach the inbound endpoint), or use the forwarding ruleset (forwardingRuleset: true) instead"),
            );
        }
    }
}

fn check_ruleset_link(
    c: &mut Checker,
    pointer: &str,
    vnets: &[Vnet],
    i: usize,
    resolver: Option<&DnsResolver>,
) {
    let at = format!("{pointer}/forwardingRuleset");
    let v = &vnets[i];
    if !v.dns_servers.is_empty() {
        c.fail(
            &at,
            "a forwarding ruleset applies to the queries a VNet sends to Azure DNS, and this VNet sends them to its own DNS servers",
            "keep one: dnsServers, or forwardingRuleset: true",
        );
    }
    if v.existing().is_some() {
        c.fail(
            &at,
            format!("linking the ruleset to the existing VNet `{}` would change how every client there resolves these zones, other teams' names included", v.key()),
            "link the ruleset only to VNets created here; an existing VNet keeps the DNS it has (declare it with dnsServers if it uses the resolver)",
        );
    }
    match resolver {
        Some(r) if r.vnet == i => c.fail(
            &at,
            format!("VNet `{}` holds the resolver: a ruleset linked to it that forwards to its own inbound endpoint is a DNS resolution loop (Microsoft, Private resolver architecture)", v.key()),
            "remove forwardingRuleset from this VNet: the resolver's VNet resolves through the zones linked to it",
        ),
        Some(r) if r.new.as_ref().is_some_and(|n| n.outbound_subnet.is_some()) => {}
        _ => c.fail(
            &at,
            "the forwarding ruleset needs a resolver created here with an outbound endpoint",
            "add network.dnsResolver with inboundSubnet and outboundSubnet, in a VNet created here",
        ),
    }
}

/// `network.onPremises`: the gateway's VNet, the resolver its DNS forwards to, and its ranges.
fn check_on_premises(
    c: &mut Checker,
    values: &Values,
    vnets: &[Vnet],
    resolver: Option<&DnsResolver>,
) -> Option<OnPremises> {
    let op = values.network.on_premises.as_ref()?;
    let base = "/network/onPremises";
    let gateway = vnet_named(c, vnets, &op.gateway_vnet, &format!("{base}/gatewayVnet"))?;
    if vnets[gateway].existing().is_none() {
        c.fail(
            &format!("{base}/gatewayVnet"),
            format!("`{}` is created here, and this tool creates no gateway: on-premises networks cannot come in through it, and a gateway added later needs a GatewaySubnet that this template's next deployment would remove", vnets[gateway].key()),
            "deploy the ExpressRoute or VPN gateway first, in a VNet you list as existing (existingSubnetId), and name that VNet here",
        );
    }
    if resolver.is_none() && values.network.dns_resolver.is_none() {
        c.fail(
            base,
            "on-premises networks resolve the private names through conditional forwarders to a DNS resolver in Azure, and the design has none",
            "add network.dnsResolver: {vnet: <a VNet linked to the zones>, inboundSubnet: {name: snet-dns-inbound, addressPrefix: <a free /28>}}, or the inboundAddress of one you have",
        );
    }
    let address_prefixes = c.nets(&format!("{base}/addressPrefixes"), &op.address_prefixes);
    Some(OnPremises {
        gateway_vnet: gateway,
        address_prefixes,
    })
}

/// Longest name Azure accepts for a peering.
const MAX_PEERING_NAME: usize = 80;
/// `uniqueString()` always returns 13 characters.
const HASH: usize = 13;

/// Every connected pair once, with how it comes about and whether it carries on-premises
/// traffic through the gateway's VNet.
fn check_peerings(
    c: &mut Checker,
    values: &Values,
    vnets: &[Vnet],
    on_premises: Option<&OnPremises>,
    resolver: Option<&DnsResolver>,
) -> Vec<Peering> {
    declared_pairs(c, values, vnets)
        .into_iter()
        .map(|((a, b), (mode, declared_by))| {
            let mut p = Peering {
                a,
                b,
                mode: mode.unwrap_or(PeeringMode::Create),
                declared_by,
                gateway: None,
            };
            if mode.is_none() && vnets[a].existing().is_some() && vnets[b].existing().is_some() {
                c.fail(
                    &format!("/network/vnets/{declared_by}/connectedTo"),
                    format!("`{}` and `{}` both exist: they are usually peered already or routed through a hub firewall, and a direct peering would bypass the firewall or clash with the peering there is", vnets[a].key(), vnets[b].key()),
                    "say which on the entry: peering: existing (connected already; DEPLOY.md lists the check), or peering: create (the template peers them in both resource groups)",
                );
            }
            if p.mode == PeeringMode::Create {
                check_peering_names(c, vnets, &p);
            }
            p.gateway = gateway_side(&p, vnets, on_premises, resolver);
            p
        })
        .collect()
}

/// The connected pairs as the entries declare them: each pair, the mode said for it, and the
/// first entry that declares it.
fn declared_pairs(
    c: &mut Checker,
    values: &Values,
    vnets: &[Vnet],
) -> BTreeMap<(usize, usize), (Option<PeeringMode>, usize)> {
    let mut pairs: BTreeMap<(usize, usize), (Option<PeeringMode>, usize)> = BTreeMap::new();
    let mut said_by: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (i, v) in values.network.vnets.iter().enumerate() {
        for name in &v.connected_to {
            let Some(j) = vnets
                .iter()
                .position(|o| o.key().eq_ignore_ascii_case(name))
            else {
                continue;
            };
            if i == j {
                continue;
            }
            let key = (i.min(j), i.max(j));
            let entry = pairs.entry(key).or_insert((None, i));
            match (entry.0, v.peering) {
                (Some(a), Some(b)) if a != b => {
                    let other = said_by.get(&key).copied().unwrap_or(entry.1);
                    c.fail(
                        &format!("/network/vnets/{i}/peering"),
                        format!("`{}` and `{}` say different things about their connection (peering: {} on one, {} on the other)", vnets[other].key(), vnets[i].key(), a.as_str(), b.as_str()),
                        "say it once, on one of the two entries, or the same on both",
                    );
                }
                (None, Some(b)) => {
                    entry.0 = Some(b);
                    said_by.insert(key, i);
                }
                _ => {}
            }
        }
    }
    pairs
}

/// Each half of a peering the template creates is named after its VNet and the other one; a
/// half in an existing VNet also carries a hash. Azure allows 80 characters.
fn check_peering_names(c: &mut Checker, vnets: &[Vnet], p: &Peering) {
    for (local, remote) in [(p.a, p.b), (p.b, p.a)] {
        let (l, r) = (vnets[local].key(), vnets[remote].key());
        let hash = if vnets[local].existing().is_some() {
            1 + HASH
        } else {
            0
        };
        let length = l.len() + "-to-".len() + r.len() + hash;
        if length > MAX_PEERING_NAME {
            c.fail(
                &format!("/network/vnets/{}", p.declared_by),
                format!("the peering half in `{l}` towards `{r}` would be named with {length} characters ({l}-to-{r}{}); Azure allows {MAX_PEERING_NAME}", if hash > 0 { "-<hash>" } else { "" }),
                "use shorter VNet names",
            );
        }
    }
}

/// The side whose gateway on-premises traffic comes through, when the other side holds what
/// on-premises networks must reach (endpoints, or the resolver).
fn gateway_side(
    p: &Peering,
    vnets: &[Vnet],
    on_premises: Option<&OnPremises>,
    resolver: Option<&DnsResolver>,
) -> Option<usize> {
    let g = on_premises?.gateway_vnet;
    if p.a != g && p.b != g {
        return None;
    }
    let other = p.other(g);
    let needed = vnets[other].endpoints || resolver.is_some_and(|r| r.vnet == other);
    needed.then_some(g)
}

/// On-premises ranges cannot overlap a VNet they reach.
pub(super) fn check_on_premises_ranges(c: &mut Checker, d: &Deployment) {
    let Some(op) = &d.on_premises else {
        return;
    };
    for (i, vnet) in d.vnets.iter().enumerate() {
        let VnetShape::New {
            address_prefixes, ..
        } = &vnet.shape
        else {
            continue;
        };
        if !crate::model::resolution::on_premises_reach(d, i) {
            continue;
        }
        for ours in address_prefixes {
            if let Some(theirs) = op
                .address_prefixes
                .iter()
                .find(|o| network::overlaps(ours, o))
            {
                c.fail(
                    "/network/onPremises/addressPrefixes",
                    format!("on-premises range {theirs} overlaps {ours} of VNet `{}`, which on-premises networks reach: the gateway cannot route both", vnet.key()),
                    format!("give `{}` an address space apart from the on-premises ranges", vnet.key()),
                );
            }
        }
    }
}

/// What the clients beyond the VNets' own links leave to others: on-premises forwarders,
/// DNS servers of the user's own, peerings into VNets this tool does not own, links into
/// zones of other resource groups, and connections declared in place already.
pub(super) fn client_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    if let (Some(_), Some(r)) = (&d.on_premises, &d.resolver) {
        out.push(warn(
            &rules::ON_PREMISES,
            "/network/onPremises",
            "on-premises networks",
            format!("their DNS servers must forward the zones DEPLOY.md lists to the resolver's inbound endpoint {} (conditional forwarders); until they do, on-premises clients resolve the public addresses, which the firewalls refuse", r.address),
        ));
    }
    for (i, vnet) in d.vnets.iter().enumerate() {
        let subject = || format!("VNet '{}'", vnet.key());
        if d.lookup(i) == Lookup::OwnServers {
            let servers: Vec<String> = vnet.dns_servers.iter().map(ToString::to_string).collect();
            out.push(warn(
                &rules::OWN_DNS_SERVERS,
                format!("/network/vnets/{i}/dnsServers"),
                subject(),
                format!("its clients ask {}: the names resolve privately only if those servers forward them to Azure DNS from a VNet linked to the zones (this tool cannot check it)", servers.join(", ")),
            ));
        }
        if vnet.existing().is_none()
            && d.needs_links(i)
            && matches!(&vnet.dns, Dns::Existing(ids) | Dns::Policy(ids) if !ids.is_empty())
        {
            out.push(warn(
                &rules::EXISTING_ZONE_LINK,
                format!("/network/vnets/{i}"),
                subject(),
                "the existing zones it resolves through are linked to it by nested deployments in their resource groups: links in zones another team owns, named after this VNet and a hash of its ID",
            ));
        }
    }
    for p in &d.peerings {
        out.extend(peering_warnings(d, p));
    }
    out
}

fn peering_warnings(d: &Deployment, p: &Peering) -> Vec<Warning> {
    let (a, b) = (&d.vnets[p.a], &d.vnets[p.b]);
    match p.mode {
        PeeringMode::Existing => vec![warn(
            &rules::PREREQUISITE,
            format!("/network/vnets/{}/connectedTo", p.declared_by),
            format!("VNets '{}' and '{}'", a.key(), b.key()),
            "declared connected already (peering: existing): nothing here creates the connection; check it as DEPLOY.md says under Prerequisites",
        )],
        PeeringMode::Create => [(p.a, b), (p.b, a)]
            .into_iter()
            .filter(|(i, _)| d.vnets[*i].existing().is_some())
            .map(|(i, other)| warn(
                &rules::PEERING_EXISTING_VNET,
                format!("/network/vnets/{i}"),
                format!("VNet '{}'", d.vnets[i].key()),
                format!("its half of the peering with '{}' is created there by a nested deployment: a change to a VNet this tool does not own, which outlives this deployment's resource group (DEPLOY.md says how to remove it)", other.key()),
            ))
            .collect(),
    }
}
