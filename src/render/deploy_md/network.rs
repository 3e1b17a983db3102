//! DEPLOY.md: how the VNets reach each other and the zones, beyond the resources the template
//! creates: the peerings it makes, the links it writes into zones of other resource groups,
//! and the prerequisites (connections and links that must be in place), each with the command
//! that checks it.

use serde::Serialize;

use crate::model::*;

#[derive(Serialize)]
pub(super) struct PrerequisiteView {
    what: String,
    check: String,
}

#[derive(Serialize)]
pub(super) struct NetworkView {
    /// The peerings this deployment creates, in words.
    peerings_created: Vec<String>,
    /// The links this deployment writes into existing zones, in words.
    existing_zone_links: Vec<String>,
    /// What the design relies on without creating it.
    prerequisites: Vec<PrerequisiteView>,
    /// Commands that remove the peering halves left in existing VNets after the resource
    /// group is deleted.
    peering_teardown: Vec<String>,
}

/// `--subscription S --resource-group G` for an existing VNet, `--resource-group "$RG"` for
/// a new one.
fn group_args(vnet: &Vnet) -> String {
    match vnet.existing() {
        Some(e) => format!(
            "--subscription {} --resource-group {}",
            e.subscription_id, e.resource_group
        ),
        None => "--resource-group \"$RG\"".into(),
    }
}

fn peering_words(d: &Deployment, p: &Peering) -> String {
    let (a, b) = (&d.vnets[p.a], &d.vnets[p.b]);
    let mut words = format!("`{}` ↔ `{}`", a.key(), b.key());
    let remote: Vec<String> = [a, b]
        .iter()
        .filter_map(|v| v.existing())
        .map(|e| {
            format!(
                "the half in `{}` by a nested deployment in `{}`",
                e.vnet_name, e.resource_group
            )
        })
        .collect();
    if !remote.is_empty() {
        words.push_str(&format!(" ({})", remote.join(", ")));
    }
    if let Some(g) = p.gateway {
        words.push_str(&format!(
            ", using the gateway of `{}` (gateway transit), so on-premises networks reach `{}`",
            d.vnets[g].key(),
            d.vnets[p.other(g)].key()
        ));
    }
    words
}

fn existing_peering(d: &Deployment, p: &Peering) -> PrerequisiteView {
    let (a, b) = (&d.vnets[p.a], &d.vnets[p.b]);
    let (from, to) = if a.existing().is_some() {
        (a, b)
    } else {
        (b, a)
    };
    let new_side = a.existing().is_none() || b.existing().is_none();
    let mut what = format!(
        "`{}` and `{}` reach each other (peering: existing): peered, or routed through a hub",
        a.key(),
        b.key()
    );
    if new_side {
        what.push_str("; a VNet created here is connected only after the deployment, by your network team or Azure Virtual Network Manager, so check it then");
    }
    if let Some(g) = p.gateway {
        what.push_str(&format!(
            "; on-premises networks need the peering to use the gateway of `{}`: allowGatewayTransit on its side, useRemoteGateways on `{}`'s",
            d.vnets[g].key(),
            d.vnets[p.other(g)].key()
        ));
    }
    PrerequisiteView {
        what,
        check: format!(
            "az network vnet peering list {} --vnet-name {} --query \"[].{{name: name, remote: remoteVirtualNetwork.id, state: peeringState, gatewayTransit: allowGatewayTransit, remoteGateways: useRemoteGateways}}\" -o table   # expect {} Connected",
            group_args(from),
            from.key(),
            to.key()
        ),
    }
}

/// An existing VNet whose clients ask Azure DNS must already be linked to the existing (or
/// central) zones it resolves through.
fn existing_links(d: &Deployment) -> Vec<PrerequisiteView> {
    let mut out = Vec::new();
    for (i, vnet) in d.vnets.iter().enumerate() {
        let Some(e) = vnet.existing() else { continue };
        if !d.needs_links(i) {
            continue;
        }
        let ids = match &vnet.dns {
            Dns::Existing(ids) | Dns::Policy(ids) => ids,
            _ => continue,
        };
        for id in ids.values() {
            let Some(zone) = ResourceId::parse(id) else {
                continue;
            };
            out.push(PrerequisiteView {
                what: format!("the existing VNet `{}` resolves through the zone `{}` in `{}`: it is linked to it (this deployment does not link it), or its DNS servers forward to a resolver that is, and then say so on it (`dnsServers`)", vnet.key(), zone.name(), zone.resource_group),
                check: format!(
                    "az network private-dns link vnet list --subscription {} --resource-group {} --zone-name {} --query \"[?ends_with(virtualNetwork.id, '/{}')].name\" -o tsv   # expect one link",
                    zone.subscription_id, zone.resource_group, zone.name(), e.vnet_id().rsplit_once("/providers/").map_or("", |(_, rest)| rest)
                ),
            });
        }
        if matches!(vnet.dns, Dns::Policy(ref ids) if ids.is_empty()) {
            out.push(PrerequisiteView {
                what: format!("the existing VNet `{}` resolves through Azure Policy's central zones (linked to it, or its DNS servers forward to a resolver that is)", vnet.key()),
                check: format!("az network vnet show {} --name {} --query dhcpOptions.dnsServers", group_args(vnet), vnet.key()),
            });
        }
    }
    out
}

/// DNS servers declared on existing VNets, a gateway the design relies on, and an existing
/// resolver.
fn declared(d: &Deployment) -> Vec<PrerequisiteView> {
    let mut out = Vec::new();
    for vnet in d
        .vnets
        .iter()
        .filter(|v| v.existing().is_some() && !v.dns_servers.is_empty())
    {
        let servers: Vec<String> = vnet.dns_servers.iter().map(ToString::to_string).collect();
        out.push(PrerequisiteView {
            what: format!("the existing VNet `{}` uses the DNS servers {} (declared; this deployment does not set them)", vnet.key(), servers.join(", ")),
            check: format!("az network vnet show {} --name {} --query dhcpOptions.dnsServers -o tsv", group_args(vnet), vnet.key()),
        });
    }
    if let Some(op) = &d.on_premises {
        let g = &d.vnets[op.gateway_vnet];
        let later = if g.existing().is_none() {
            " (it is created here: deploy the gateway into it afterwards)"
        } else {
            ""
        };
        out.push(PrerequisiteView {
            what: format!("`{}` has the ExpressRoute or VPN gateway on-premises networks come in through{later}", g.key()),
            check: format!("az network vnet subnet show {} --vnet-name {} --name GatewaySubnet --query \"ipConfigurations[].id\" -o tsv   # expect the gateway's configuration", group_args(g), g.key()),
        });
    }
    if let Some(r) = d.resolver.as_ref().filter(|r| r.new.is_none()) {
        let holder = &d.vnets[r.vnet];
        out.push(PrerequisiteView {
            what: format!("a DNS resolver (or a forwarder to Azure DNS) answers at {} in `{}`, which is linked to every zone", r.address, holder.key()),
            check: format!(
                "nslookup {}.blob.{} {}   # from a machine that reaches {}, once the endpoints exist: a CNAME into privatelink. and a private address",
                d.storage.name,
                private_link::storage_suffix(d.cloud),
                r.address,
                holder.key()
            ),
        });
    }
    out
}

fn existing_zone_links(d: &Deployment) -> Vec<String> {
    let mut out = Vec::new();
    for (i, zone, id) in d.links_into_existing_zones() {
        let Some(r) = ResourceId::parse(id) else {
            continue;
        };
        let media = if zone == Zone::Media {
            " (only with Media Services)"
        } else {
            ""
        };
        out.push(format!(
            "`{}` in `{}` (subscription `{}`) → `{}`{media}",
            r.name(),
            r.resource_group,
            r.subscription_id,
            d.vnets[i].key()
        ));
    }
    out
}

fn peering_teardown(d: &Deployment) -> Vec<String> {
    let mut out = Vec::new();
    for p in d.peerings.iter().filter(|p| p.mode == PeeringMode::Create) {
        let (a, b) = (&d.vnets[p.a], &d.vnets[p.b]);
        for (local, remote) in [(a, b), (b, a)] {
            // Only a half in an existing VNet towards a VNet created here outlives the group.
            if local.existing().is_none() || remote.existing().is_some() {
                continue;
            }
            out.push(format!(
                "for p in $(az network vnet peering list {args} --vnet-name {l} --query \"[?starts_with(name, '{l}-to-{r}-') && peeringState=='Disconnected'].name\" -o tsv); do az network vnet peering delete {args} --vnet-name {l} --name \"$p\"; done",
                args = group_args(local),
                l = local.key(),
                r = remote.key(),
            ));
        }
    }
    out
}

pub(super) fn network_view(d: &Deployment) -> NetworkView {
    let mut prerequisites: Vec<PrerequisiteView> = d
        .peerings
        .iter()
        .filter(|p| p.mode == PeeringMode::Existing)
        .map(|p| existing_peering(d, p))
        .collect();
    prerequisites.extend(existing_links(d));
    prerequisites.extend(declared(d));
    prerequisites.extend(d.groups_in_existing_subnets().into_iter().filter_map(|i| {
        let e = d.vnets[i].existing()?;
        Some(PrerequisiteView {
            what: format!("the existing subnet `{}` of `{}` applies security rules to private endpoints (privateEndpointNetworkPolicies Enabled or NetworkSecurityGroupEnabled), so NSG rules naming the endpoints' application security groups take effect", e.subnet_name, e.vnet_name),
            check: format!("az network vnet subnet show --ids {} --query privateEndpointNetworkPolicies -o tsv   # expect Enabled or NetworkSecurityGroupEnabled", e.id),
        })
    }));
    NetworkView {
        peerings_created: d
            .peerings
            .iter()
            .filter(|p| p.mode == PeeringMode::Create)
            .map(|p| peering_words(d, p))
            .collect(),
        existing_zone_links: existing_zone_links(d),
        prerequisites,
        peering_teardown: peering_teardown(d),
    }
}
