//! Every client resolves what the model says it resolves, checked on the deployment itself:
//! each example's ARM template is evaluated by `../shared/tools/lib/armeval.py` (an independent
//! static evaluator of ARM, nested deployments into other resource groups included), and
//! every VNet it creates must be linked to each zone that answers it, or set to the DNS
//! servers the values give, or linked to the resolver's ruleset; each connection the values
//! ask for must be a peering with both halves. Without `../shared` the test says so and
//! passes, except under CI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ams_private_link::model::{Deployment, Dns, Lookup, VnetShape};
use serde_json::Value;

use crate::common::{self, armeval};
use armeval::{id, of_type};

fn armeval() -> Option<PathBuf> {
    armeval::tool()
}

fn evaluated(tool: &Path, files: &[ams_private_link::render::File], media: bool) -> Vec<Value> {
    armeval::evaluated(tool, files, media, &[])
}

/// Zone resource ID (lowercase) → the VNet IDs linked to it.
fn links(resources: &[Value]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for link in of_type(
        resources,
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    ) {
        let link_id = id(link);
        let zone = link_id
            .split("/virtualnetworklinks/")
            .next()
            .unwrap()
            .to_owned();
        let vnet = link["properties"]["virtualNetwork"]["id"]
            .as_str()
            .unwrap()
            .to_lowercase();
        out.entry(zone).or_default().push(vnet);
    }
    out
}

/// The zone IDs a VNet created here must be linked to: for a VNet that asks Azure DNS or
/// holds the resolver, the zones the values name (existing, or Azure Policy's central ones),
/// or for zones created here, the zone of that name in the deployment's resource group.
fn expected_zones(d: &Deployment, i: usize, rg_id: &str) -> Vec<String> {
    if !d.needs_links(i) {
        return Vec::new();
    }
    let vnet = &d.vnets[i];
    d.zones()
        .into_iter()
        .filter_map(|z| match &vnet.dns {
            Dns::Create(_) => Some(format!(
                "{rg_id}/providers/microsoft.network/privatednszones/{}",
                z.name(d.cloud).unwrap()
            )),
            Dns::Existing(ids) | Dns::Policy(ids) => ids.get(&z).map(|id| id.to_lowercase()),
            Dns::None => None,
        })
        .collect()
}

const RG_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-armeval";

#[test]
fn every_new_vnet_is_linked_to_the_zones_that_answer_it_or_set_to_its_dns_servers() {
    let Some(tool) = armeval() else { return };
    for example in common::examples() {
        let text = std::fs::read_to_string(&example).unwrap();
        let d = common::deployment(&text);
        let files = common::render_file(&example);
        // Everything, Media Services included: its zone's links must be there too.
        let resources = evaluated(&tool, &files, true);
        let links = links(&resources);
        let vnets = of_type(&resources, "Microsoft.Network/virtualNetworks");
        let name = example.display();
        for (i, vnet) in d.vnets.iter().enumerate() {
            let VnetShape::New {
                name: vnet_name, ..
            } = &vnet.shape
            else {
                continue;
            };
            let created = vnets
                .iter()
                .find(|r| r["name"] == vnet_name.as_str())
                .unwrap_or_else(|| panic!("{name}: {vnet_name} is not deployed"));
            let vnet_id = id(created);
            let servers: Vec<String> = created["properties"]["dhcpOptions"]["dnsServers"]
                .as_array()
                .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default();
            let declared: Vec<String> = vnet.dns_servers.iter().map(ToString::to_string).collect();
            assert_eq!(servers, declared, "{name}: {vnet_name}'s DNS servers");
            for zone in expected_zones(&d, i, RG_ID) {
                assert!(
                    links.get(&zone).is_some_and(|l| l.contains(&vnet_id)),
                    "{name}: {vnet_name} asks Azure DNS but is not linked to {zone}"
                );
            }
            if d.lookup(i) != Lookup::Linked && !d.holds_resolver(i) {
                assert!(
                    !links.values().flatten().any(|l| *l == vnet_id),
                    "{name}: {vnet_name} resolves through other servers but is linked to a zone"
                );
            }
            let ruleset_links: Vec<String> = of_type(
                &resources,
                "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
            )
            .iter()
            .map(|l| {
                l["properties"]["virtualNetwork"]["id"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
            })
            .collect();
            if d.holds_resolver(i) {
                assert!(
                    !ruleset_links.contains(&vnet_id),
                    "{name}: the ruleset is linked to the resolver's own VNet (a loop)"
                );
            }
            if vnet.forwarding_ruleset {
                assert!(
                    of_type(
                        &resources,
                        "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks"
                    )
                    .iter()
                    .any(|l| l["properties"]["virtualNetwork"]["id"]
                        .as_str()
                        .unwrap()
                        .to_lowercase()
                        == vnet_id),
                    "{name}: {vnet_name} is not linked to the forwarding ruleset"
                );
            }
        }
    }
}

/// The connections the values file asks the template to make: every `connectedTo` pair, read
/// off the file itself, that no entry declares `peering: existing`.
fn connections_to_make(raw: &Value) -> Vec<(String, String)> {
    let vnets = raw["network"]["vnets"].as_array().unwrap();
    let key = |v: &Value| -> String {
        v["name"].as_str().map_or_else(
            || {
                let id = v["existingSubnetId"].as_str().unwrap();
                id.split('/').nth(8).unwrap().to_lowercase()
            },
            str::to_lowercase,
        )
    };
    let mut pairs: BTreeMap<(String, String), bool> = BTreeMap::new();
    for v in vnets {
        let existing = v["peering"] == "existing";
        for other in v["connectedTo"].as_array().into_iter().flatten() {
            let (a, b) = (key(v), other.as_str().unwrap().to_lowercase());
            let pair = if a < b { (a, b) } else { (b, a) };
            *pairs.entry(pair).or_insert(false) |= existing;
        }
    }
    pairs
        .into_iter()
        .filter(|(_, e)| !e)
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn every_connection_the_template_makes_is_a_peering_with_both_halves() {
    let Some(tool) = armeval() else { return };
    for example in common::examples() {
        let text = std::fs::read_to_string(&example).unwrap();
        let raw = ams_private_link::values::load(Some(&example), &[])
            .unwrap()
            .value;
        let d = common::deployment(&text);
        let resources = evaluated(&tool, &common::render_file(&example), true);
        let peerings = of_type(
            &resources,
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        );
        let vnet_id = |key: &str| {
            let vnet = d
                .vnets
                .iter()
                .find(|v| v.key().eq_ignore_ascii_case(key))
                .unwrap();
            match &vnet.shape {
                VnetShape::New { name, .. } => format!(
                    "{RG_ID}/providers/microsoft.network/virtualnetworks/{}",
                    name.to_lowercase()
                ),
                VnetShape::Existing(e) => e.vnet_id().to_lowercase(),
            }
        };
        let name = example.display();
        let wanted = connections_to_make(&raw);
        assert_eq!(
            peerings.len(),
            2 * wanted.len(),
            "{name}: two halves per peering and no other"
        );
        let gateway = raw["network"]["onPremises"]["gatewayVnet"]
            .as_str()
            .map(str::to_lowercase);
        for (a, b) in &wanted {
            for (local, remote) in [(a, b), (b, a)] {
                let half = peerings
                    .iter()
                    .find(|h| {
                        id(h).starts_with(&format!("{}/virtualnetworkpeerings/", vnet_id(local)))
                            && h["properties"]["remoteVirtualNetwork"]["id"]
                                .as_str()
                                .unwrap()
                                .to_lowercase()
                                == vnet_id(remote)
                    })
                    .unwrap_or_else(|| panic!("{name}: no half in {local} towards {remote}"));
                let props = &half["properties"];
                // With on-premises networks, the half in the gateway's VNet lets the other use
                // its gateway, and the other half uses it after that half exists.
                let via_gateway = gateway.as_deref() == Some(local.as_str());
                let uses_gateway = gateway.as_deref() == Some(remote.as_str());
                assert_eq!(props["allowGatewayTransit"], via_gateway, "{name}: {local}");
                assert_eq!(props["useRemoteGateways"], uses_gateway, "{name}: {local}");
                if uses_gateway {
                    // The gateway side is a half in that VNet, or the nested deployment that
                    // makes it when the VNet exists.
                    let gateway_side = format!("{}/virtualnetworkpeerings/", vnet_id(remote));
                    let waits = half["dependsOn"].as_array().unwrap().iter().any(|w| {
                        let w = w.as_str().unwrap().to_lowercase();
                        w.starts_with(&gateway_side)
                            || w.contains("/providers/microsoft.resources/deployments/peerings")
                    });
                    assert!(
                        waits,
                        "{name}: {local}'s half does not wait for the gateway side: {}",
                        half["dependsOn"]
                    );
                }
            }
        }
    }
}
