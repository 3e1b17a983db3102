//! What a landing zone asks of the subnets and endpoints, checked on what ARM deploys (every
//! example, evaluated by `../shared/tools/lib/armeval.py`): a security group on every subnet the
//! template creates, subnets that survive a redeployment, endpoints made one at a time per
//! subnet, the addresses, interface names and application security groups the values ask for,
//! secondary endpoints for read-access storage, and names that stay within Azure's limits
//! whatever a deployer passes within the parameters' own limits. Without `../shared` the tests
//! say so and pass, except under CI.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::common::{self, armeval};
use armeval::{id, of_type};

/// Every example's deployment, Media Services included, as ARM deploys it, with its values.
fn every_example() -> Vec<(String, Value, Vec<Value>)> {
    let Some(tool) = armeval::tool() else {
        return Vec::new();
    };
    common::examples()
        .iter()
        .map(|e| {
            let raw = ams_private_link::values::load(Some(e), &[]).unwrap().value;
            let resources = armeval::evaluated(&tool, &common::render_file(e), true, &[]);
            (e.display().to_string(), raw, resources)
        })
        .collect()
}

fn text<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter().fold(v, |v, k| &v[*k]).as_str().unwrap_or("")
}

#[test]
fn every_subnet_created_has_a_security_group_and_is_its_own_resource() {
    for (name, raw, resources) in every_example() {
        for vnet in of_type(&resources, "Microsoft.Network/virtualNetworks") {
            // Written without its subnet list, a VNet keeps the subnets others add (network
            // API 2023-09-01 and later).
            assert!(
                vnet["properties"].get("subnets").is_none(),
                "{name}: {} lists its subnets inline",
                vnet["name"]
            );
        }
        let nsgs: Vec<String> = of_type(&resources, "Microsoft.Network/networkSecurityGroups")
            .iter()
            .map(|n| {
                assert_eq!(n["properties"]["securityRules"], json!([]), "{name}");
                id(n)
            })
            .collect();
        let subnets = of_type(&resources, "Microsoft.Network/virtualNetworks/subnets");
        let new_vnets = raw["network"]["vnets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v.get("name").is_some())
            .count();
        assert!(
            subnets.len() >= new_vnets,
            "{name}: a new VNet has no subnet"
        );
        let given = subnets_in_values(&raw);
        for s in subnets {
            let props = &s["properties"];
            let wanted = &given[&s["name"].as_str().unwrap().to_lowercase()];
            let nsg = text(props, &["networkSecurityGroup", "id"]).to_lowercase();
            match wanted["networkSecurityGroupId"].as_str() {
                Some(own) => assert_eq!(nsg, own.to_lowercase(), "{name}: {}", s["name"]),
                None => assert!(
                    nsgs.contains(&nsg),
                    "{name}: {} has no security group created here ({nsg})",
                    s["name"]
                ),
            }
            let route_table = wanted["routeTableId"].as_str();
            assert_eq!(
                props["routeTable"]["id"].as_str().map(str::to_lowercase),
                route_table.map(str::to_lowercase),
                "{name}: {}",
                s["name"]
            );
            if props.get("delegations").is_none() {
                // Security rules apply to the endpoints; route tables too when one is attached.
                let policies = if route_table.is_some() {
                    "Enabled"
                } else {
                    "NetworkSecurityGroupEnabled"
                };
                assert_eq!(
                    props["privateEndpointNetworkPolicies"], policies,
                    "{name}: {}",
                    s["name"]
                );
            }
        }
    }
}

/// Each subnet the values ask the template to create, as `vnet/subnet` (lowercase), with its
/// values: the new VNets' subnets and a new resolver's.
fn subnets_in_values(raw: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for v in raw["network"]["vnets"].as_array().unwrap() {
        if let Some(vnet) = v["name"].as_str() {
            let s = &v["subnet"];
            out.insert(
                format!("{vnet}/{}", text(s, &["name"])).to_lowercase(),
                s.clone(),
            );
        }
    }
    let resolver = &raw["network"]["dnsResolver"];
    for key in ["inboundSubnet", "outboundSubnet"] {
        if let Some(s) = resolver.get(key).filter(|s| s.is_object()) {
            let vnet = text(resolver, &["vnet"]);
            out.insert(
                format!("{vnet}/{}", text(s, &["name"])).to_lowercase(),
                s.clone(),
            );
        }
    }
    out
}

/// The resources of `ty` grouped by the subnet they are in.
fn by_subnet<'a>(
    resources: &'a [Value],
    ty: &str,
    subnet_of: &dyn Fn(&Value) -> String,
) -> BTreeMap<String, Vec<&'a Value>> {
    let mut out: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for r in of_type(resources, ty) {
        out.entry(subnet_of(r)).or_default().push(r);
    }
    out
}

/// Every two of `members` are ordered: one waits for the other.
fn assert_one_at_a_time(
    name: &str,
    what: &str,
    members: &[&Value],
    waits: &BTreeMap<String, std::collections::BTreeSet<String>>,
) {
    for (k, a) in members.iter().enumerate() {
        for b in &members[k + 1..] {
            let (a_id, b_id) = (id(a), id(b));
            assert!(
                waits[&a_id].contains(&b_id) || waits[&b_id].contains(&a_id),
                "{name}: {what} {} and {} may be made at the same time",
                a["name"],
                b["name"]
            );
        }
    }
}

#[test]
fn endpoints_and_subnets_are_made_one_at_a_time() {
    for (name, _, resources) in every_example() {
        let waits = armeval::waits_for(&resources);
        let endpoints = by_subnet(&resources, "Microsoft.Network/privateEndpoints", &|r| {
            text(r, &["properties", "subnet", "id"]).to_lowercase()
        });
        for members in endpoints.values() {
            assert_one_at_a_time(&name, "endpoints", members, &waits);
        }
        let subnets = by_subnet(
            &resources,
            "Microsoft.Network/virtualNetworks/subnets",
            &|r| id(r).split("/subnets/").next().unwrap().to_owned(),
        );
        for members in subnets.values() {
            assert_one_at_a_time(&name, "subnets", members, &waits);
        }
        // A peering changes its VNet: it waits for that VNet's subnets.
        for peering in of_type(
            &resources,
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        ) {
            let vnet = id(peering)
                .split("/virtualnetworkpeerings/")
                .next()
                .unwrap()
                .to_owned();
            for s in subnets.get(&vnet).into_iter().flatten() {
                assert!(
                    waits[&id(peering)].contains(&id(s)),
                    "{name}: {} does not wait for {}",
                    peering["name"],
                    s["name"]
                );
            }
            // Nor is an endpoint made in a VNet while a peering changes it.
            let vnet_endpoints = endpoints
                .iter()
                .filter(|(subnet, _)| subnet.starts_with(&format!("{vnet}/subnets/")))
                .flat_map(|(_, members)| members);
            for pe in vnet_endpoints {
                assert!(
                    waits[&id(pe)].contains(&id(peering)),
                    "{name}: {} may be made while {} changes its VNet",
                    pe["name"],
                    peering["name"]
                );
            }
        }
        // An endpoint in a VNet created here waits for every subnet of that VNet.
        for (subnet, members) in &endpoints {
            let vnet = subnet.split("/subnets/").next().unwrap();
            for s in subnets.get(vnet).into_iter().flatten() {
                for pe in members {
                    assert!(
                        waits[&id(pe)].contains(&id(s)),
                        "{name}: {} may be made while {} is",
                        pe["name"],
                        s["name"]
                    );
                }
            }
        }
    }
}

/// Microsoft's `requiredMembers` per group ID, as the REST API examples list them
/// (shared/docs/azure-facts.md §3.1a); kept here apart from the catalogue so the two are
/// compared, not copied.
fn member_of(group: &str) -> Option<&'static str> {
    Some(match group {
        "keydelivery" => "keydelivery",
        "blob" => "blob",
        "blob_secondary" => "blob_secondary",
        "table" => "table",
        "table_secondary" => "table_secondary",
        "vault" => "default",
        "topic" => "topic",
        _ => return None,
    })
}

/// The network interface name the values ask for, worked out here from the pattern.
fn nic_name(pattern: &str, pe: &Value, group: &str, vnet: &str) -> String {
    let endpoint = pe["name"].as_str().unwrap();
    let target_id = pe["properties"]["privateLinkServiceConnections"][0]["properties"]
        ["privateLinkServiceId"]
        .as_str()
        .unwrap();
    pattern
        .replace("{endpoint}", endpoint)
        .replace("{resource}", target_id.rsplit('/').next().unwrap())
        .replace("{group}", group)
        .replace("{vnet}", vnet)
}

#[test]
fn endpoints_get_the_addresses_names_and_groups_the_values_ask_for() {
    let mut checked = 0;
    for (name, raw, resources) in every_example() {
        for v in raw["network"]["vnets"].as_array().unwrap() {
            let Some(settings) = v.get("endpointSettings") else {
                continue;
            };
            let (vnet, subnet_end) = match v["existingSubnetId"].as_str() {
                Some(id) => (id.split('/').nth(8).unwrap().to_owned(), id.to_lowercase()),
                None => (
                    v["name"].as_str().unwrap().to_owned(),
                    format!(
                        "/virtualnetworks/{}/subnets/{}",
                        v["name"].as_str().unwrap(),
                        text(v, &["subnet", "name"])
                    )
                    .to_lowercase(),
                ),
            };
            let overrides = settings["overrides"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for pe in of_type(&resources, "Microsoft.Network/privateEndpoints") {
                if !text(pe, &["properties", "subnet", "id"])
                    .to_lowercase()
                    .ends_with(&subnet_end)
                {
                    continue;
                }
                let group = pe["properties"]["privateLinkServiceConnections"][0]["properties"]
                    ["groupIds"][0]
                    .as_str()
                    .unwrap();
                let own = overrides.get(group);
                let pattern = own
                    .and_then(|o| o["nicName"].as_str())
                    .or(settings["nicName"].as_str())
                    .unwrap_or("{endpoint}-nic");
                assert_eq!(
                    pe["properties"]["customNetworkInterfaceName"]
                        .as_str()
                        .unwrap(),
                    nic_name(pattern, pe, group, &vnet),
                    "{name}: {}",
                    pe["name"]
                );
                let groups = own
                    .and_then(|o| o.get("applicationSecurityGroupIds"))
                    .or(settings.get("applicationSecurityGroupIds"))
                    .cloned()
                    .unwrap_or(json!([]));
                let joined: Vec<Value> = pe["properties"]["applicationSecurityGroups"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|g| json!(g["id"].as_str().unwrap().to_lowercase()))
                    .collect();
                let wanted: Vec<Value> = groups
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|g| json!(g.as_str().unwrap().to_lowercase()))
                    .collect();
                assert_eq!(joined, wanted, "{name}: {}", pe["name"]);
                match own.and_then(|o| o["ipAddress"].as_str()) {
                    Some(address) => {
                        let config = &pe["properties"]["ipConfigurations"];
                        assert_eq!(
                            config.as_array().map(Vec::len),
                            Some(1),
                            "{name}: {}",
                            pe["name"]
                        );
                        let p = &config[0]["properties"];
                        assert_eq!(p["groupId"], group, "{name}");
                        assert_eq!(
                            p["memberName"].as_str(),
                            member_of(group),
                            "{name}: {group}"
                        );
                        assert_eq!(p["privateIPAddress"], address, "{name}: {group}");
                        checked += 1;
                    }
                    None => assert!(pe["properties"].get("ipConfigurations").is_none(), "{name}"),
                }
            }
        }
    }
    if armeval::tool().is_some() {
        assert!(
            checked >= 5,
            "only {checked} static addresses in the examples"
        );
    }
}

#[test]
fn read_access_storage_gets_secondary_endpoints_in_the_primary_zone() {
    let mut seen = 0;
    for (name, raw, resources) in every_example() {
        let sku = text(&raw, &["storage", "sku"]);
        let read_access = sku.starts_with("Standard_RA");
        // The schema's default when the file leaves the list out.
        let groups: Vec<&str> = raw["storage"]["privateEndpoints"]
            .as_array()
            .map_or(vec!["blob"], |a| {
                a.iter().map(|g| g.as_str().unwrap()).collect()
            });
        let endpoints = of_type(&resources, "Microsoft.Network/privateEndpoints");
        let zone_groups = of_type(
            &resources,
            "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        );
        let zone_of = |pe: &Value| -> Option<String> {
            zone_groups
                .iter()
                .find(|z| id(z).starts_with(&format!("{}/", id(pe))))
                .map(|z| {
                    text(
                        z,
                        &[
                            "properties",
                            "privateDnsZoneConfigs",
                            "0",
                            "properties",
                            "privateDnsZoneId",
                        ],
                    )
                    .to_lowercase()
                })
        };
        for primary in endpoints.iter().filter(|pe| {
            let g =
                &pe["properties"]["privateLinkServiceConnections"][0]["properties"]["groupIds"][0];
            groups.iter().any(|s| g == *s)
        }) {
            let group = primary["properties"]["privateLinkServiceConnections"][0]["properties"]
                ["groupIds"][0]
                .as_str()
                .unwrap();
            let subnet = text(primary, &["properties", "subnet", "id"]);
            let secondary = endpoints.iter().find(|pe| {
                text(pe, &["properties", "subnet", "id"]) == subnet
                    && pe["properties"]["privateLinkServiceConnections"][0]["properties"]
                        ["groupIds"][0]
                        == format!("{group}_secondary")
            });
            match (read_access && group != "file", secondary) {
                (true, Some(s)) => {
                    assert_eq!(
                        zone_of(s),
                        zone_of(primary),
                        "{name}: {group}_secondary's zone"
                    );
                    seen += 1;
                }
                (true, None) => panic!(
                    "{name}: {sku} but no {group}_secondary endpoint beside {}",
                    primary["name"]
                ),
                (false, Some(s)) => {
                    panic!("{name}: {sku} has no readable secondary, yet {}", s["name"])
                }
                (false, None) => {}
            }
        }
    }
    if armeval::tool().is_some() {
        assert!(seen >= 2, "the examples hold {seen} secondary endpoints");
    }
}

/// Azure's longest name per resource type the templates name from parameters.
const NAME_LIMITS: [(&str, usize); 4] = [
    ("Microsoft.Network/privateEndpoints", 64),
    ("Microsoft.Storage/storageAccounts", 24),
    ("Microsoft.KeyVault/vaults", 24),
    ("Microsoft.Media/mediaservices", 24),
];

#[test]
fn every_name_parameter_at_its_longest_keeps_every_derived_name_within_limits() {
    let Some(tool) = armeval::tool() else { return };
    let mut cut = 0;
    for example in common::examples() {
        let files = common::render_file(&example);
        let arm: Value =
            serde_json::from_str(common::file(&files, "arm/azuredeploy.json")).unwrap();
        let longest: Vec<(String, Value)> = arm["parameters"]
            .as_object()
            .unwrap()
            .iter()
            .filter_map(|(p, spec)| {
                let max = spec["maxLength"].as_u64()?;
                cut += usize::from(max < 24 && p != "managedIdentityName");
                Some((p.clone(), json!("a".repeat(usize::try_from(max).unwrap()))))
            })
            .collect();
        let name = example.display();
        let resources = armeval::evaluated(&tool, &files, true, &longest);
        for (ty, limit) in NAME_LIMITS {
            for r in of_type(&resources, ty) {
                let n = r["name"].as_str().unwrap();
                assert!(
                    n.len() <= limit,
                    "{name}: {ty} `{n}` is {} characters",
                    n.len()
                );
            }
        }
        for pe in of_type(&resources, "Microsoft.Network/privateEndpoints") {
            let nic = text(pe, &["properties", "customNetworkInterfaceName"]);
            assert!(
                nic.len() <= 80,
                "{name}: interface `{nic}` is {} characters",
                nic.len()
            );
        }
    }
    assert!(
        cut > 0,
        "no example has a name parameter cut below its resource's own limit"
    );
}

#[test]
fn templates_make_the_same_deployment_every_time() {
    // Nothing that differs from one deployment to the next: a second deployment of the
    // same output finds every property as the first left it.
    for (name, files) in common::every_output() {
        for f in files
            .iter()
            .filter(|f| f.path.ends_with(".json") || f.path.ends_with(".bicep"))
        {
            for volatile in ["utcNow(", "newGuid("] {
                assert!(
                    !f.content.contains(volatile),
                    "{name}: {} uses {volatile}",
                    f.path
                );
            }
        }
    }
}

/// The warnings about security rules the tool cannot check: a group created here with its
/// default rules when a client comes through a connection declared in place already, and an
/// existing subnet whose endpoints join application security groups; neither once the values
/// name a group of their own, or join none.
#[test]
fn security_rules_left_to_the_user_are_said() {
    let yaml = |nsg: &str, asg: &str| {
        format!(
            "mediaServices: {{name: contosomedia}}
storage: {{name: contosostore}}
network:
  vnets:
    - name: vnet-media
      addressPrefixes: [10.30.0.0/16]
      subnet: {{name: snet-pe, addressPrefix: 10.30.1.0/24{nsg}}}
    - existingSubnetId: /subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg-ops/providers/Microsoft.Network/virtualNetworks/vnet-ops/subnets/snet-pe
      privateEndpoints: false
      connectedTo: [vnet-media]
      peering: existing
      linkNewZones: true
    - existingSubnetId: /subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg-ops/providers/Microsoft.Network/virtualNetworks/vnet-tools/subnets/snet-pe
      dns: {{mode: existing, zoneIds: {{media: /subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.media.azure.net, blob: /subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net}}}}
      endpointSettings: {{applicationSecurityGroupIds: [{asg}]}}
"
        )
    };
    let asg = "/subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg-ops/providers/Microsoft.Network/applicationSecurityGroups/asg-pe";
    let rules = |text: &str| -> Vec<&'static str> {
        common::deployment(text)
            .warnings
            .iter()
            .map(|w| w.rule.id)
            .filter(|id| {
                [
                    "deploy/nsg-default-rules",
                    "deploy/existing-subnet-policies",
                ]
                .contains(id)
            })
            .collect()
    };
    assert_eq!(
        rules(&yaml("", asg)),
        [
            "deploy/existing-subnet-policies",
            "deploy/nsg-default-rules"
        ]
    );
    let own = ", networkSecurityGroupId: /subscriptions/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/resourceGroups/rg-ops/providers/Microsoft.Network/networkSecurityGroups/nsg-pe";
    assert!(rules(&yaml(own, "")).is_empty());
    // The prerequisite that checks the existing subnet's setting is in DEPLOY.md.
    let files = common::render_yaml(&yaml("", asg));
    assert!(common::file(&files, "DEPLOY.md").contains(
        "--query privateEndpointNetworkPolicies -o tsv   # expect Enabled or NetworkSecurityGroupEnabled"
    ));
}

/// The namespaces DEPLOY.md has registered, by subscription (`None`: the one deployed into).
fn providers_in_deploy_md(deploy: &str) -> BTreeMap<Option<String>, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut at: Option<Option<String>> = None;
    for line in deploy.lines() {
        if line == "# the subscription you deploy into" {
            at = Some(None);
        } else if let Some(id) = line.strip_prefix("# subscription ") {
            at = Some(Some(id.to_lowercase()));
        } else if let (Some(list), Some(sub)) = (
            line.strip_prefix("for ns in ")
                .and_then(|l| l.strip_suffix("; do")),
            at.take(),
        ) {
            out.insert(sub, list.split(' ').map(str::to_owned).collect());
        }
    }
    out
}

/// "Read before deploying" registers every namespace of what ARM creates, in the subscription
/// that receives it, and in the subscription deployed into nothing more.
#[test]
fn deploy_md_registers_every_namespace_in_each_subscription() {
    let Some(tool) = armeval::tool() else {
        return;
    };
    for e in common::examples() {
        let files = common::render_file(&e);
        let d = common::deployment(&std::fs::read_to_string(&e).unwrap());
        let resources = armeval::evaluated(&tool, &files, d.media.deploy, &[]);
        let home = id(of_type(&resources, "Microsoft.Storage/storageAccounts")[0])
            .split('/')
            .nth(2)
            .unwrap()
            .to_owned();
        let listed = providers_in_deploy_md(common::file(&files, "DEPLOY.md"));
        let mut created: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
        for r in &resources {
            let ty = r["type"].as_str().unwrap();
            let namespace = ty.split('/').next().unwrap();
            let Some(sub) = id(r)
                .strip_prefix("/subscriptions/")
                .and_then(|s| s.split('/').next())
                .map(str::to_owned)
            else {
                continue;
            };
            if ["Microsoft.Resources", "Microsoft.Authorization"].contains(&namespace) {
                continue;
            }
            let key = (sub != home).then_some(sub);
            let names = created.entry(key).or_default();
            if !names.iter().any(|n| n.eq_ignore_ascii_case(namespace)) {
                names.push(namespace.to_owned());
            }
        }
        for (sub, namespaces) in &created {
            let registered = listed
                .get(sub)
                .unwrap_or_else(|| panic!("{}: no providers for {sub:?}: {listed:?}", e.display()));
            for n in namespaces {
                assert!(
                    registered.iter().any(|r| r.eq_ignore_ascii_case(n)),
                    "{}: {n} in {sub:?}: {registered:?}",
                    e.display()
                );
            }
        }
        let mut own = created.get(&None).cloned().unwrap_or_default();
        own.sort_by_key(|n| n.to_lowercase());
        let mut said = listed.get(&None).cloned().unwrap_or_default();
        said.sort_by_key(|n| n.to_lowercase());
        assert_eq!(said, own, "{}", e.display());
    }
}

/// `validate` names what a Corp landing zone would deny: zones created here, and storage that
/// keeps public network access; neither where the design does not do it.
#[test]
fn landing_zone_denials_are_warned_with_their_rule_ids() {
    let rules = |name: &str| -> Vec<&'static str> {
        let d = common::deployment(&std::fs::read_to_string(common::example(name)).unwrap());
        d.warnings
            .iter()
            .map(|w| w.rule.id)
            .filter(|id| id.starts_with("landing-zone/"))
            .collect()
    };
    assert_eq!(
        rules("fully-private.yaml"),
        [
            "landing-zone/private-dns-zones",
            "landing-zone/public-network-access"
        ]
    );
    // The hub's zones: nothing created; storage still public for Media Services.
    assert_eq!(
        rules("hub-spoke-existing-dns.yaml"),
        ["landing-zone/public-network-access"]
    );
    // A foundation keeps its storage private by default.
    assert!(!rules("foundation-only.yaml").contains(&"landing-zone/public-network-access"));
    assert!(!rules("dns-by-policy.yaml").contains(&"landing-zone/private-dns-zones"));
}
