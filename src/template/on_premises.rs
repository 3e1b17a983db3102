//! The DNS Private Resolver created for on-premises networks and for VNets that resolve
//! through it: its inbound endpoint at a static address, and with an outbound subnet, a
//! forwarding ruleset whose rules send Microsoft's public forwarder zones to that endpoint,
//! linked to the VNets that ask for it.
//!
//! Azure facts (shared/docs/azure-facts.md §3.2c): the resolver lives in its VNet's region;
//! each endpoint takes a subnet of its own delegated to Microsoft.Network/dnsResolvers; the
//! inbound endpoint answers from the zones linked to that VNet; a ruleset must not be linked
//! to the inbound endpoint's own VNet (a loop; the rules refuse it).

use super::*;

const RESOLVER: &str = "Microsoft.Network/dnsResolvers";
const S_RESOLVER: &str = "dnsResolver";
const S_INBOUND: &str = "dnsResolverInbound";
const S_OUTBOUND: &str = "dnsResolverOutbound";
const S_RULESET: &str = "dnsForwardingRuleset";

fn subnet_id(syms: &Symbols, vnet: &Vnet, subnet: &Subnet) -> Expr {
    Expr::id(&subnet_symbol(syms, vnet, subnet))
}

/// The resolver, its endpoints and its ruleset, when the design creates them.
pub(crate) fn resolver_resources(syms: &Symbols, d: &Deployment) -> Vec<Resource> {
    let Some((resolver, new)) = d
        .resolver
        .as_ref()
        .and_then(|r| r.new.as_ref().map(|n| (r, n)))
    else {
        return Vec::new();
    };
    let vnet = &d.vnets[resolver.vnet];
    let vnet_symbol = vnet_symbol(syms, vnet);
    let mut resolver_resource = Resource::new(
        S_RESOLVER,
        RESOLVER,
        api::DNS_RESOLVER,
        Expr::str(format!("dnspr-{}", vnet.key())),
    )
    .with("location", Expr::param(P_LOCATION))
    .with("tags", Expr::var(V_TAGS))
    .with(
        "properties",
        Expr::object([(
            "virtualNetwork",
            Expr::object([("id", Expr::id(&vnet_symbol))]),
        )]),
    )
    .comment(format!(
        "DNS Private Resolver in {}: it answers from the private DNS zones linked to that VNet.",
        vnet.key()
    ));
    // Made once the VNet's subnets are, each a change to the VNet.
    if let Some((_, last)) = d.created_subnets(resolver.vnet).last() {
        resolver_resource
            .depends_on
            .push(subnet_symbol(syms, vnet, last));
    }
    let mut out = vec![resolver_resource];
    let mut inbound = Resource::new(S_INBOUND, "Microsoft.Network/dnsResolvers/inboundEndpoints", api::DNS_RESOLVER, Expr::str("inbound"))
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::var(V_TAGS))
        .with("properties", Expr::object([(
            "ipConfigurations",
            Expr::Array(vec![Expr::object([
                ("privateIpAllocationMethod", Expr::str("Static")),
                ("privateIpAddress", Expr::str(resolver.address.to_string())),
                ("subnet", Expr::object([("id", subnet_id(syms, vnet, &new.inbound_subnet))])),
            ])]),
        )]))
        .comment("The address on-premises DNS servers forward the private names to, and VNets may use as their DNS server; static, so forwarders and DNS settings never change.");
    inbound.parent = Some(S_RESOLVER.into());
    out.push(inbound);
    if let Some(subnet) = &new.outbound_subnet {
        out.extend(ruleset(syms, d, resolver, vnet, subnet));
    }
    out
}

/// The outbound endpoint, the ruleset with one rule per forwarder zone, and its links.
fn ruleset(
    syms: &Symbols,
    d: &Deployment,
    resolver: &DnsResolver,
    vnet: &Vnet,
    subnet: &Subnet,
) -> Vec<Resource> {
    let mut outbound = Resource::new(
        S_OUTBOUND,
        "Microsoft.Network/dnsResolvers/outboundEndpoints",
        api::DNS_RESOLVER,
        Expr::str("outbound"),
    )
    .with("location", Expr::param(P_LOCATION))
    .with("tags", Expr::var(V_TAGS))
    .with(
        "properties",
        Expr::object([(
            "subnet",
            Expr::object([("id", subnet_id(syms, vnet, subnet))]),
        )]),
    )
    .comment("The outbound endpoint the forwarding ruleset sends its queries from.");
    outbound.parent = Some(S_RESOLVER.into());
    let mut out = vec![
        outbound,
        Resource::new(S_RULESET, "Microsoft.Network/dnsForwardingRulesets", api::DNS_RESOLVER, Expr::str(format!("dnsrs-{}", vnet.key())))
            .with("location", Expr::param(P_LOCATION))
            .with("tags", Expr::var(V_TAGS))
            .with("properties", Expr::object([(
                "dnsResolverOutboundEndpoints",
                Expr::Array(vec![Expr::object([("id", Expr::id(S_OUTBOUND))])]),
            )]))
            .comment("Forwards the private names of this design to the resolver's inbound endpoint, for the VNets linked to it."),
    ];
    for (zone, label, domain) in forwarder_rules(d) {
        let mut rule = Resource::new(syms.get("forwardingRule", &label), "Microsoft.Network/dnsForwardingRulesets/forwardingRules", api::DNS_RESOLVER, Expr::str(&label))
            .with("properties", Expr::object([
                ("domainName", domain),
                ("targetDnsServers", Expr::Array(vec![Expr::object([
                    ("ipAddress", Expr::str(resolver.address.to_string())),
                    ("port", Expr::Int(53)),
                ])])),
                ("forwardingRuleState", Expr::str("Enabled")),
            ]))
            .comment("Sends every name under this public zone to the inbound endpoint, which answers from the zones linked to its VNet and publicly for names they lack.");
        rule.parent = Some(S_RULESET.into());
        if zone == Zone::Media {
            // Only with the account: waiting for it puts the rule in the Media Services module.
            rule.depends_on.push(S_MEDIA.into());
        }
        out.push(rule);
    }
    for linked in d.vnets.iter().filter(|v| v.forwarding_ruleset) {
        let mut link = Resource::new(
            syms.get("rulesetLink", linked.key()),
            "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
            api::DNS_RESOLVER,
            Expr::str(format!("link-{}", linked.key())),
        )
        .with(
            "properties",
            Expr::object([(
                "virtualNetwork",
                Expr::object([("id", Expr::id(&vnet_symbol(syms, linked)))]),
            )]),
        )
        .comment(format!(
            "Makes {} use the ruleset for the names it forwards.",
            linked.key()
        ));
        link.parent = Some(S_RULESET.into());
        out.push(link);
    }
    out
}

/// One rule per public forwarder zone of the design (Microsoft's list, per cloud), named after
/// the zone's first label. The two hosts Microsoft's checks take for cloud host names (the
/// storage suffix, and Key Vault's DNS suffix) are written through `environment()`; the others
/// (`vaultcore.`, `eventgrid.`, `media.`) are the catalogue's names for the chosen cloud.
fn forwarder_rules(d: &Deployment) -> Vec<(Zone, String, Expr)> {
    let storage = private_link::storage_suffix(d.cloud);
    let vault = private_link::vault_suffix(d.cloud);
    let mut out: Vec<(Zone, String, Expr)> = Vec::new();
    for zone in d.zones() {
        for domain in zone.forwarders(d.cloud) {
            let label = domain.split('.').next().unwrap_or_default().to_owned();
            let expr = if let Some(sub) = domain.strip_suffix(&format!(".{storage}")) {
                Expr::format(
                    format!("{sub}.{{0}}."),
                    vec![Expr::Environment(vec!["suffixes".into(), "storage".into()])],
                )
            } else if domain == vault {
                Expr::format(
                    "{0}.",
                    vec![Expr::Call(
                        "substring",
                        vec![
                            Expr::Environment(vec!["suffixes".into(), "keyvaultDns".into()]),
                            Expr::Int(1),
                        ],
                    )],
                )
            } else {
                Expr::str(format!("{domain}."))
            };
            if !out.iter().any(|(_, l, _)| *l == label) {
                out.push((zone, label, expr));
            }
        }
    }
    out
}
