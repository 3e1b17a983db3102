//! On-premises networks and the DNS Private Resolver: which VNet's gateway on-premises networks
//! come in through, where the resolver lives (new, or an existing one's address), and which
//! VNets resolve through it (as their DNS server, or through its forwarding ruleset).

use std::net::Ipv4Addr;

use super::*;

const BASE: &str = "/network/onPremises";
const RESOLVER: &str = "/network/dnsResolver";

/// The keys of the VNets answered so far, and whether each is new.
fn vnet_keys(st: &State) -> Vec<(String, bool)> {
    st.list("/network/vnets")
        .iter()
        .filter_map(vnet_key)
        .collect()
}

pub(super) fn on_premises(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    if !change && (st.is_given(BASE) || st.is_given(RESOLVER)) {
        return Ok(());
    }
    let keys = vnet_keys(st);
    let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
    let wanted = p.confirm(
        &Question {
            key: "network.onPremises",
            message: "Do on-premises networks (ExpressRoute or VPN) use these private endpoints?",
            help: "Their DNS servers then forward the Azure names to a DNS resolver in Azure; DEPLOY.md lists the conditional forwarders",
        },
        st.get(BASE).is_some_and(Value::is_object),
    )?;
    if wanted {
        let current = st.get_str(&format!("{BASE}/gatewayVnet"));
        let at = current
            .and_then(|c| names.iter().position(|n| fields::same_name(n, &c)))
            .unwrap_or(0);
        let gateway = p.select(
            &Question {
                key: "network.onPremises.gatewayVnet",
                message: "Which VNet's ExpressRoute or VPN gateway do they come in through?",
                help: "Endpoints in another VNet are reached through a peering with it that uses its gateway",
            },
            &names,
            at,
        )?;
        st.put(
            &format!("{BASE}/gatewayVnet"),
            json!(picked(&names, gateway)?),
        );
        list(
            p,
            st,
            &format!("{BASE}/addressPrefixes"),
            Ask {
                message: "On-premises address ranges (optional, commas between)",
                help: "Checked against the VNets they reach: overlapping ranges cannot be routed",
            },
            Arc::new(|s: &str| {
                for e in split_list(s) {
                    net::parse_net(&e).map_err(|(m, h)| format!("{m}; {h}"))?;
                }
                Ok(())
            }),
            true,
        )?;
        if st.list(&format!("{BASE}/addressPrefixes")).is_empty() {
            st.remove(&format!("{BASE}/addressPrefixes"));
        }
    } else {
        st.put(BASE, Value::Null);
    }
    resolver(p, st, &keys, wanted)
}

/// Where the resolver lives; `needed` when on-premises networks forward to it.
fn resolver(
    p: &mut dyn Prompter,
    st: &mut State,
    keys: &[(String, bool)],
    needed: bool,
) -> Result<()> {
    #[derive(PartialEq)]
    enum Kind {
        New,
        Existing,
        None,
    }
    let mut kinds: Vec<(Kind, &str)> = Vec::new();
    if keys.iter().any(|(_, new)| *new) {
        kinds.push((
            Kind::New,
            "new — created here, in a VNet created here, with a static inbound address",
        ));
    }
    // A VNet created here has no resolver yet: an existing one lives in an existing VNet.
    if keys.iter().any(|(_, new)| !*new) {
        kinds.push((
            Kind::Existing,
            "existing — a resolver (or forwarder to Azure DNS) in an existing VNet: its inbound address",
        ));
    }
    if !needed || kinds.is_empty() {
        kinds.push((
            Kind::None,
            "none — each VNet asks Azure DNS through the zones linked to it",
        ));
    }
    let current = match st.get(RESOLVER) {
        Some(r) if r.get("inboundSubnet").is_some_and(Value::is_object) => Kind::New,
        Some(r) if r.is_object() => Kind::Existing,
        _ if needed => Kind::New,
        _ => Kind::None,
    };
    let labels: Vec<String> = kinds.iter().map(|(_, l)| (*l).to_owned()).collect();
    let at = kinds.iter().position(|(k, _)| *k == current).unwrap_or(0);
    let i = p.select(
        &Question {
            key: "network.dnsResolver",
            message: "Azure DNS Private Resolver",
            help: "Its inbound endpoint answers from the zones linked to its VNet: on-premises DNS and other VNets can resolve through it",
        },
        &labels,
        at,
    )?;
    match picked(&kinds, i)?.0 {
        Kind::New => new_resolver(p, st, keys),
        Kind::Existing => existing_resolver(p, st, keys),
        Kind::None => {
            st.put(RESOLVER, Value::Null);
            Ok(())
        }
    }
}

/// The new VNets' address spaces and subnets, by key.
fn new_vnet(st: &State, key: &str) -> (Vec<IpNet>, Vec<(String, IpNet)>) {
    let entry = st
        .list("/network/vnets")
        .into_iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(key))
        .unwrap_or_default();
    let space = entry
        .get("addressPrefixes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().and_then(|s| net::parse_net(s).ok()))
        .collect();
    let subnet = entry.get("subnet").and_then(|s| {
        Some((
            s.get("name")?.as_str()?.to_owned(),
            net::parse_net(s.get("addressPrefix")?.as_str()?).ok()?,
        ))
    });
    (space, subnet.into_iter().collect())
}

fn new_resolver(p: &mut dyn Prompter, st: &mut State, keys: &[(String, bool)]) -> Result<()> {
    let new: Vec<String> = keys
        .iter()
        .filter(|(_, n)| *n)
        .map(|(k, _)| k.clone())
        .collect();
    let vnet = picked(&new, p.select(
        &Question {
            key: "network.dnsResolver.vnet",
            message: "VNet for the resolver",
            help: "It is linked to every zone it answers from; on-premises networks must reach it",
        },
        &new,
        0,
    )?)?
    .clone();
    st.put(&format!("{RESOLVER}/vnet"), json!(vnet));
    let (space, mut taken) = new_vnet(st, &vnet);
    let inbound = resolver_subnet(p, st, "inboundSubnet", "snet-dns-inbound", &space, &taken)?;
    taken.push(("inbound".into(), inbound));
    let first = fields::first_usable(&inbound).map(|a| a.to_string());
    let subnet = inbound;
    text(
        p,
        st,
        &format!("{RESOLVER}/inboundAddress"),
        Ask {
            message: "Static address of the inbound endpoint",
            help: "On-premises forwarders and VNets' DNS settings point here; the first four addresses and the last of the subnet are Azure's",
        },
        first,
        Arc::new(move |s: &str| {
            let a: Ipv4Addr = s.trim().parse().map_err(|_| format!("`{s}` is not an IPv4 address"))?;
            refused(fields::static_address(a, &subnet))
        }),
        true,
    )?;
    users(p, st, keys, &vnet, &space, &taken)
}

/// Asks for a resolver subnet's name and range; returns the range.
fn resolver_subnet(
    p: &mut dyn Prompter,
    st: &mut State,
    which: &str,
    name: &str,
    space: &[IpNet],
    taken: &[(String, IpNet)],
) -> Result<IpNet> {
    let base = format!("{RESOLVER}/{which}");
    let taken_nets: Vec<IpNet> = taken.iter().map(|(_, n)| *n).collect();
    let suggested = fields::free_slash28(space, &taken_nets).map(|n| n.to_string());
    text(
        p,
        st,
        &format!("{base}/name"),
        Ask {
            message: "Subnet name (delegated to the resolver)",
            help: "It holds nothing but the resolver's endpoint",
        },
        Some(name.to_owned()),
        schema_check(&format!("{base}/name")),
        true,
    )?;
    let (space, taken) = (space.to_vec(), taken.to_vec());
    text(
        p,
        st,
        &format!("{base}/addressPrefix"),
        Ask {
            message: "Subnet range (/28 to /24, inside the VNet)",
            help: "Apart from the VNet's other subnets",
        },
        suggested,
        Arc::new(move |s: &str| {
            let n = net::parse_net(s).map_err(|(m, h)| format!("{m}; {h}"))?;
            match fields::resolver_subnet(&n, &space, &taken)
                .into_iter()
                .next()
            {
                Some((m, h)) => Err(format!("{m}; {h}")),
                None => Ok(()),
            }
        }),
        true,
    )?;
    st.get_str(&format!("{base}/addressPrefix"))
        .and_then(|s| net::parse_net(&s).ok())
        .ok_or_else(|| crate::error::Error::Internal("the subnet range was not kept".into()))
}

/// The other new VNets that resolve through the resolver: as their DNS server, or through its
/// forwarding ruleset (which needs an outbound endpoint).
fn users(
    p: &mut dyn Prompter,
    st: &mut State,
    keys: &[(String, bool)],
    holder: &str,
    space: &[IpNet],
    taken: &[(String, IpNet)],
) -> Result<()> {
    let others: Vec<String> = keys
        .iter()
        .filter(|(k, n)| *n && k != holder)
        .map(|(k, _)| k.clone())
        .collect();
    if others.is_empty() {
        st.remove(&format!("{RESOLVER}/outboundSubnet"));
        return Ok(());
    }
    let address = st
        .get_str(&format!("{RESOLVER}/inboundAddress"))
        .unwrap_or_default();
    let servers = pick_many(
        p,
        &Question {
            key: "network.vnets[].dnsServers",
            message: "VNets whose DNS server is the resolver (the others keep Azure DNS and their links)",
            help: "Their clients ask the inbound endpoint; each must be connected to the resolver's VNet",
        },
        &others,
        &[],
    )?;
    let rest: Vec<String> = others
        .iter()
        .filter(|o| !servers.contains(o))
        .cloned()
        .collect();
    let ruleset = if rest.is_empty() {
        Vec::new()
    } else {
        pick_many(
            p,
            &Question {
                key: "network.vnets[].forwardingRuleset",
                message: "VNets that use the resolver through a forwarding ruleset instead",
                help: "They keep Azure DNS; the ruleset's rules send the private names to the inbound endpoint (an outbound endpoint in a subnet of its own)",
            },
            &rest,
            &[],
        )?
    };
    for (i, v) in st.list("/network/vnets").iter().enumerate() {
        let Some(name) = v.get("name").and_then(Value::as_str) else {
            continue;
        };
        // Asked again, a VNet no longer picked loses what an earlier answer gave it.
        let servers_at = format!("/network/vnets/{i}/dnsServers");
        if servers.iter().any(|s| s == name) {
            st.put(&servers_at, json!([address]));
        } else if others.iter().any(|o| o == name) {
            st.remove(&servers_at);
        }
        let ruleset_at = format!("/network/vnets/{i}/forwardingRuleset");
        if ruleset.iter().any(|s| s == name) {
            st.put(&ruleset_at, json!(true));
        } else {
            st.remove(&ruleset_at);
        }
    }
    if ruleset.is_empty() {
        st.remove(&format!("{RESOLVER}/outboundSubnet"));
    } else {
        resolver_subnet(p, st, "outboundSubnet", "snet-dns-outbound", space, taken)?;
    }
    Ok(())
}

fn existing_resolver(p: &mut dyn Prompter, st: &mut State, keys: &[(String, bool)]) -> Result<()> {
    // A VNet created here has no resolver yet.
    let names: Vec<String> = keys
        .iter()
        .filter(|(_, new)| !new)
        .map(|(k, _)| k.clone())
        .collect();
    let vnet = picked(
        &names,
        p.select(
            &Question {
                key: "network.dnsResolver.vnet",
                message: "VNet the existing resolver lives in",
                help: "It must be linked to every zone the names resolve through",
            },
            &names,
            0,
        )?,
    )?
    .clone();
    st.put(&format!("{RESOLVER}/vnet"), json!(vnet));
    st.remove(&format!("{RESOLVER}/inboundSubnet"));
    st.remove(&format!("{RESOLVER}/outboundSubnet"));
    text(
        p,
        st,
        &format!("{RESOLVER}/inboundAddress"),
        Ask {
            message: "Its inbound address",
            help: "az dns-resolver inbound-endpoint list --dns-resolver-name <name> -g <rg> --query \"[].ipConfigurations[].privateIpAddress\"",
        },
        None,
        Arc::new(|s: &str| {
            s.trim()
                .parse::<Ipv4Addr>()
                .map(|_| ())
                .map_err(|_| format!("`{s}` is not an IPv4 address"))
        }),
        true,
    )
}
