//! Every client resolves what the model says it resolves, checked on the deployment itself:
//! each example's ARM template is evaluated by `../shared/tools/lib/armeval.py` (an independent
//! static evaluator of ARM, nested deployments into other resource groups included), and
//! every VNet it creates must be linked to each zone that answers it, or set to the DNS
//! servers the values give, or linked to the resolver's ruleset; each connection the values
//! ask for must be a peering with both halves. Without `../shared` the test says so and
//! passes, except under CI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ams_private_link::model::{Deployment, Dns, Lookup, PeeringMode, VnetShape};
use serde_json::Value;

use crate::common;

fn armeval() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/lib/armeval.py");
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing on CI",
        p.display()
    );
    eprintln!("skipped: {} not found", p.display());
    None
}

/// What ARM deploys for `files`, with Media Services on or off: every resource, those of
/// nested deployments included, as armeval resolves them.
fn evaluated(tool: &Path, files: &[ams_private_link::render::File], media: bool) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    for name in ["arm/azuredeploy.json", "arm/azuredeploy.parameters.json"] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, common::file(files, name)).unwrap();
    }
    let out = Command::new("python3")
        .arg(tool)
        .arg(dir.path().join("arm/azuredeploy.json"))
        .arg("--parameters")
        .arg(dir.path().join("arm/azuredeploy.parameters.json"))
        .args(["--param", &format!("deployMediaServices={media}"), "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    result["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["deployed"] == true && r["existing"] != true)
        .cloned()
        .collect()
}

fn of_type<'a>(resources: &'a [Value], ty: &str) -> Vec<&'a Value> {
    resources
        .iter()
        .filter(|r| {
            r["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case(ty))
        })
        .collect()
}

fn id(r: &Value) -> String {
    r["id"].as_str().unwrap().to_lowercase()
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

/// The zone IDs a VNet created here must be linked to, by zone name: the zones the values
/// name (existing, or Azure Policy's central ones), or for zones created here, the zone of
/// that name in the deployment's resource group.
fn expected_zones(d: &Deployment, i: usize, rg_id: &str) -> Vec<String> {
    let answering = match d.lookup(i) {
        Lookup::Linked => i,
        _ => return Vec::new(),
    };
    let vnet = &d.vnets[answering];
    d.zones()
        .into_iter()
        .filter(|z| d.media.deploy || *z != ams_private_link::model::Zone::Media)
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
        let resources = evaluated(&tool, &files, d.media.deploy);
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

#[test]
fn every_connection_the_template_makes_is_a_peering_with_both_halves() {
    let Some(tool) = armeval() else { return };
    for example in common::examples() {
        let text = std::fs::read_to_string(&example).unwrap();
        let d = common::deployment(&text);
        let resources = evaluated(&tool, &common::render_file(&example), d.media.deploy);
        let peerings = of_type(
            &resources,
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        );
        let vnet_id = |i: usize| match &d.vnets[i].shape {
            VnetShape::New { name, .. } => format!(
                "{RG_ID}/providers/microsoft.network/virtualnetworks/{}",
                name.to_lowercase()
            ),
            VnetShape::Existing(e) => e.vnet_id().to_lowercase(),
        };
        let name = example.display();
        let created: Vec<_> = d
            .peerings
            .iter()
            .filter(|p| p.mode == PeeringMode::Create)
            .collect();
        assert_eq!(
            peerings.len(),
            2 * created.len(),
            "{name}: two halves per peering and no other"
        );
        for p in created {
            for (local, remote) in [(p.a, p.b), (p.b, p.a)] {
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
                    .unwrap_or_else(|| {
                        panic!(
                            "{name}: no half in {} towards {}",
                            vnet_id(local),
                            vnet_id(remote)
                        )
                    });
                let props = &half["properties"];
                assert_eq!(
                    props["allowGatewayTransit"],
                    p.gateway == Some(local),
                    "{name}"
                );
                assert_eq!(
                    props["useRemoteGateways"],
                    p.gateway == Some(remote),
                    "{name}"
                );
            }
        }
    }
}
