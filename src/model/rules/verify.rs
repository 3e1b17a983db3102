//! `verify --estate`, after the deployment: for every client of the resolution model and every
//! private name it should resolve, the zone that answers it holds the name's A record, the
//! record is the address of the intended endpoint's interface for that name (the interface's
//! `privateLinkConnectionProperties.fqdns`, which is how Azure names the records), and the zone
//! is linked to the VNet that asks; then public network access is as designed.

use serde_json::Value;

use crate::values::estate::{Estate, Resource};

use super::estate::{same, vnet_id, zone_id_of, zone_of, DeploymentScope, A_RECORDS, LINK, NIC};
use super::*;

/// One thing checked, and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The client (a VNet's key, on-premises networks), or the resource for a setting.
    pub client: String,
    /// What is checked: a name, a link, a setting.
    pub what: String,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok(String),
    Failed(String),
    /// Not this design's to check (a resource it does not own, DNS servers of the user's own).
    Outside(String),
}

/// Every check, and a problem for each one that failed.
pub fn verify(
    d: &Deployment,
    raw: &RawValues,
    estate: &Estate,
    scope: &DeploymentScope,
) -> (Vec<Check>, Vec<Problem>) {
    let mut found = Found {
        raw,
        checks: Vec::new(),
        problems: Vec::new(),
    };
    for client in &d.resolution.clients {
        let at = client_pointer(d, &client.client);
        for n in &client.names {
            let Answer::Endpoint { vnet, endpoint } = &n.answer else {
                found.checks.push(Check {
                    client: client.client.clone(),
                    what: n.target.describe(),
                    verdict: Verdict::Outside("DNS mode none: your own DNS answers".into()),
                });
                continue;
            };
            let Some(zone_id) = zone_id_of(d, scope, vnet, n.target.service) else {
                continue;
            };
            let pointer = owner_pointer(d, vnet);
            for (what, verdict) in record_checks(estate, &zone_id, endpoint, d.cloud) {
                found.add(
                    &client.client,
                    what,
                    verdict,
                    &pointer,
                    &rules::VERIFY_RECORD,
                );
            }
            let link = link_check(d, estate, scope, &zone_id, &client.client, &n.path);
            let servers = dns_servers_check(d, estate, scope, &client.client, &n.path);
            for (what, verdict) in link.into_iter().chain(servers) {
                found.add(&client.client, what, verdict, &at, &rules::VERIFY_LINK);
            }
        }
    }
    for (resource, what, verdict, pointer) in access_checks(d, estate, scope) {
        found.add(&resource, what, verdict, &pointer, &rules::VERIFY_ACCESS);
    }
    if let Some(KeyVault::Existing {
        name,
        private_endpoint: false,
        ..
    }) = d.media.customer_key().map(|k| &k.vault)
    {
        found.checks.push(Check {
            client: format!("key vault {name}"),
            what: "its name".into(),
            verdict: Verdict::Outside(
                "reached through its own endpoint, outside this design".into(),
            ),
        });
    }
    (found.checks, found.problems)
}

/// The checks made so far, with a problem at its values key for each that failed.
struct Found<'a> {
    raw: &'a RawValues,
    checks: Vec<Check>,
    problems: Vec<Problem>,
}

impl Found<'_> {
    fn add(
        &mut self,
        client: &str,
        what: String,
        verdict: Verdict,
        pointer: &str,
        rule: &'static Rule,
    ) {
        // The same link serves every name of its zone: checked once.
        if self
            .checks
            .iter()
            .any(|c| c.client == client && c.what == what)
        {
            return;
        }
        if let Verdict::Failed(why) = &verdict {
            let hint = if rule.id == rules::VERIFY_ACCESS.id {
                "deploy again to restore the setting, and find out who changed it"
            } else if rule.id == rules::VERIFY_LINK.id {
                "deploy again (the template writes the links it owns; an existing VNet's link is a prerequisite, see DEPLOY.md), then collect the estate again"
            } else {
                "deploy again, or wait for Azure Policy to write the record (wait-for-dns-policy.sh), then collect the estate again"
            };
            self.problems.push(
                self.raw
                    .problem(pointer, format!("{client}: {what}: {why}"))
                    .hint(hint)
                    .rule(rule),
            );
        }
        self.checks.push(Check {
            client: client.to_owned(),
            what,
            verdict,
        });
    }
}

fn owner_pointer(d: &Deployment, owner: &str) -> String {
    d.vnets.iter().position(|v| v.key() == owner).map_or_else(
        || "/resourceManagerPrivateLink".to_owned(),
        |i| super::dns::dns_pointer(d, i),
    )
}

fn client_pointer(d: &Deployment, client: &str) -> String {
    d.vnets.iter().position(|v| v.key() == client).map_or_else(
        || "/network/onPremises".to_owned(),
        |i| format!("/network/vnets/{i}"),
    )
}

/// The endpoint's interface, by the endpoint's name.
fn nic_of<'a>(estate: &'a Estate, endpoint: &str) -> Option<&'a Resource> {
    estate.of_type(NIC).find(|nic| {
        nic.text("/privateEndpoint/id")
            .is_some_and(|pe| same(pe.rsplit('/').next().unwrap_or_default(), endpoint))
    })
}

/// For each name the endpoint's interface answers in this zone: its record holds the
/// interface's address for it.
fn record_checks(
    estate: &Estate,
    zone_id: &str,
    endpoint: &str,
    cloud: Cloud,
) -> Vec<(String, Verdict)> {
    let zone = zone_id.rsplit('/').next().unwrap_or_default();
    // The public names under the zone: `privatelink.blob...` holds `<x>.blob...`'s records;
    // Key Vault's zone is `privatelink.vaultcore...` while its names are `<x>.vault...`.
    let mut suffixes = vec![zone
        .strip_prefix("privatelink.")
        .unwrap_or(zone)
        .to_ascii_lowercase()];
    if Zone::Vault.name(cloud).is_ok_and(|v| same(&v, zone)) {
        suffixes.push(crate::model::private_link::vault_suffix(cloud).to_owned());
    }
    let Some(nic) = nic_of(estate, endpoint) else {
        return vec![(
            format!("endpoint {endpoint}"),
            Verdict::Failed(
                "no network interface of it in the estate: not deployed, or not collected".into(),
            ),
        )];
    };
    let mut out = Vec::new();
    for config in nic.properties["ipConfigurations"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let Some(ip) = config
            .pointer("/properties/privateIPAddress")
            .and_then(Value::as_str)
        else {
            continue;
        };
        let fqdns = config
            .pointer("/properties/privateLinkConnectionProperties/fqdns")
            .and_then(Value::as_array);
        for fqdn in fqdns.into_iter().flatten().filter_map(Value::as_str) {
            let lower = fqdn.trim_end_matches('.').to_ascii_lowercase();
            let Some(record) = suffixes
                .iter()
                .find_map(|s| lower.strip_suffix(&format!(".{s}")))
            else {
                continue;
            };
            out.push((
                format!("{fqdn} in {zone}"),
                record_verdict(estate, zone_id, record, ip, endpoint),
            ));
        }
    }
    if out.is_empty() {
        out.push((
            format!("endpoint {endpoint}"),
            Verdict::Failed(format!("its network interface names no name under {zone} (privateLinkConnectionProperties.fqdns): collect the estate with the estate script")),
        ));
    }
    out
}

fn record_verdict(
    estate: &Estate,
    zone_id: &str,
    record: &str,
    ip: &str,
    endpoint: &str,
) -> Verdict {
    let set = estate
        .of_type(A_RECORDS)
        .find(|r| same(zone_of(&r.id), zone_id) && same(&r.name, record));
    let Some(set) = set else {
        return Verdict::Failed(format!(
            "no A record `{record}` in the zone (expected {ip}, the address of {endpoint})"
        ));
    };
    let found = set.a_record_addresses();
    if found == [ip] {
        Verdict::Ok(format!("{record} -> {ip} ({endpoint})"))
    } else {
        Verdict::Failed(format!(
            "`{record}` -> {} where {endpoint} has {ip}",
            if found.is_empty() {
                "nothing".to_owned()
            } else {
                found.join(", ")
            }
        ))
    }
}

/// The zone is linked to the VNet whose clients ask it: the client's own, or the resolver's.
fn link_check(
    d: &Deployment,
    estate: &Estate,
    scope: &DeploymentScope,
    zone_id: &str,
    client: &str,
    path: &Path,
) -> Option<(String, Verdict)> {
    let vnet = match path {
        Path::Link { .. } => client.to_owned(),
        Path::Resolver { vnet, .. } => vnet.clone(),
        Path::OwnServers { .. } => {
            return Some((
                "its DNS servers".into(),
                Verdict::Outside(
                    "DNS servers of your own: what they forward is not in the estate".into(),
                ),
            ))
        }
        Path::Unmanaged => {
            return Some((
                "its DNS".into(),
                Verdict::Outside(
                    "DNS mode none: your own DNS answers, which the estate does not show".into(),
                ),
            ))
        }
    };
    let id = client_vnet_id(d, scope, &vnet)?;
    let zone = zone_id.rsplit('/').next().unwrap_or_default();
    let linked = estate.of_type(LINK).any(|l| {
        same(zone_of(&l.id), zone_id) && l.text("/virtualNetwork/id").is_some_and(|v| same(v, &id))
    });
    Some((
        format!("{zone} linked to {vnet}"),
        if linked {
            Verdict::Ok("linked".into())
        } else {
            Verdict::Failed(format!("no link from `{zone_id}` to `{id}` in the estate"))
        },
    ))
}

/// The ID of a client's VNet: one of the design's, or the Resource Manager endpoint's.
fn client_vnet_id(d: &Deployment, scope: &DeploymentScope, vnet: &str) -> Option<String> {
    match d.vnets.iter().position(|v| v.key() == vnet) {
        Some(i) => Some(vnet_id(d, i, scope)),
        None => d
            .resource_manager
            .as_ref()
            .filter(|rm| rm.subnet.vnet_name == vnet)
            .map(|rm| rm.subnet.vnet_id()),
    }
}

/// A client that asks Azure DNS (or the resolver) must not have other DNS servers set on its
/// VNet in the estate: they would answer instead of the zones.
fn dns_servers_check(
    d: &Deployment,
    estate: &Estate,
    scope: &DeploymentScope,
    client: &str,
    path: &Path,
) -> Option<(String, Verdict)> {
    let want: Vec<String> = match path {
        Path::Link { .. } => Vec::new(),
        Path::Resolver {
            via: Via::DnsServers,
            address,
            ..
        } => vec![address.to_string()],
        _ => return None,
    };
    let id = client_vnet_id(d, scope, client)?;
    let vnet = estate.resources.iter().find(|r| same(&r.id, &id))?;
    let found: Vec<String> = vnet.properties["dhcpOptions"]["dnsServers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    let words = |list: &[String]| {
        if list.is_empty() {
            "Azure-provided DNS".to_owned()
        } else {
            list.join(", ")
        }
    };
    Some((
        format!("{client}'s DNS servers"),
        if found == want {
            Verdict::Ok(words(&found))
        } else {
            Verdict::Failed(format!("{}, designed {}", words(&found), words(&want)))
        },
    ))
}

/// One setting a resource of the design must have: who, its ID, what (words, property
/// pointer), the designed value, and the values key that decides it.
struct Setting {
    name: String,
    id: String,
    what: &'static str,
    property: &'static str,
    want: &'static str,
    pointer: &'static str,
}

fn access_word(access: PublicNetworkAccess) -> &'static str {
    match access {
        PublicNetworkAccess::Enabled => "Enabled",
        PublicNetworkAccess::Disabled => "Disabled",
    }
}

/// The settings that decide who reaches the design's resources from outside: public network
/// access of the storage account, the account (when deployed), a new vault and the custom
/// topic (always Disabled), and the storage firewall's default action (always Deny).
fn settings(d: &Deployment, scope: &DeploymentScope) -> Vec<Setting> {
    let here = scope.group_id();
    let storage = format!(
        "{here}/providers/Microsoft.Storage/storageAccounts/{}",
        d.storage.name
    );
    let access = |name: String, id: String, want, pointer| Setting {
        name,
        id,
        what: "public network access",
        property: "/publicNetworkAccess",
        want,
        pointer,
    };
    let mut out = vec![
        access(
            format!("storage account {}", d.storage.name),
            storage.clone(),
            access_word(d.storage.public_network_access),
            "/storage/publicNetworkAccess",
        ),
        Setting {
            name: format!("storage account {}", d.storage.name),
            id: storage,
            what: "firewall default action",
            property: "/networkAcls/defaultAction",
            want: "Deny",
            pointer: "/storage",
        },
    ];
    if d.media.deploy {
        out.push(access(
            format!("Media Services account {}", d.media.name),
            format!(
                "{here}/providers/Microsoft.Media/mediaservices/{}",
                d.media.name
            ),
            access_word(d.media.public_network_access),
            "/mediaServices/publicNetworkAccess",
        ));
    }
    if let Some(KeyVault::New { name, .. }) = d.media.customer_key().map(|k| &k.vault) {
        out.push(access(
            format!("key vault {name}"),
            format!("{here}/providers/Microsoft.KeyVault/vaults/{name}"),
            "Disabled",
            "/mediaServices/encryption/keyVault",
        ));
    }
    if let Some(topic) = d.event_grid.as_ref().and_then(|e| e.custom_topic.as_ref()) {
        out.push(access(
            format!("custom topic {topic}"),
            format!("{here}/providers/Microsoft.EventGrid/topics/{topic}"),
            "Disabled",
            "/eventGrid/customTopic",
        ));
    }
    out
}

/// Each setting as designed, read off the estate.
fn access_checks(
    d: &Deployment,
    estate: &Estate,
    scope: &DeploymentScope,
) -> Vec<(String, String, Verdict, String)> {
    settings(d, scope)
        .into_iter()
        .map(|s| {
            let found = estate.resources.iter().find(|r| same(&r.id, &s.id));
            let verdict = match found.and_then(|r| r.text(s.property)) {
                Some(v) if same(v, s.want) => Verdict::Ok(s.want.to_owned()),
                Some(v) => Verdict::Failed(format!("{v}, designed {}", s.want)),
                None => Verdict::Failed(format!("not in the estate (designed {})", s.want)),
            };
            (s.name, s.what.to_owned(), verdict, s.pointer.to_owned())
        })
        .collect()
}
