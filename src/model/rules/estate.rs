//! The design against what already exists (`validate --estate`): what would fail or change
//! what other teams resolve is a problem; policies that would refuse or rewrite parts of the
//! design are warnings. Azure facts: a VNet links one zone of a name (private-endpoint-dns.md);
//! a zone holds one A record set per name, which a second endpoint's zone group replaces
//! (shared/docs/azure-facts.md §3.2a); a VNet is linked to a zone once.

use serde_json::Value;

use crate::values::estate::{Estate, Resource};

use super::*;

pub(super) const LINK: &str = "Microsoft.Network/privateDnsZones/virtualNetworkLinks";
pub(super) const A_RECORDS: &str = "Microsoft.Network/privateDnsZones/A";
pub(super) const NIC: &str = "Microsoft.Network/networkInterfaces";
const ASSIGNMENT: &str = "Microsoft.Authorization/policyAssignments";
/// Microsoft's deprecated Media Services DNS policy, which landing zones may still assign.
const MEDIA_DNS_POLICY: &str = "b4a7f6c1-585e-4177-ad5b-c2c93f4bb991";

/// Where the main template is deployed: the resources it creates are named from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentScope {
    pub subscription_id: String,
    pub resource_group: String,
}

impl DeploymentScope {
    pub(super) fn group_id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}",
            self.subscription_id, self.resource_group
        )
    }
}

/// What the estate says about the design: problems, then warnings.
pub fn preflight(
    d: &Deployment,
    raw: &RawValues,
    estate: &Estate,
    scope: &DeploymentScope,
) -> (Vec<Problem>, Vec<Warning>) {
    let mut problems = Vec::new();
    let mut fail = |pointer: String, rule: &'static Rule, message: String, hint: &str| {
        problems.push(raw.problem(&pointer, message).hint(hint).rule(rule));
    };
    zone_names_linked(d, estate, scope, &mut fail);
    records_taken(d, estate, scope, &mut fail);
    links_existing(d, estate, scope, &mut fail);
    let mut warnings = deny_zones(d, estate, scope);
    warnings.extend(policy_writers(d, estate, scope));
    for w in &mut warnings {
        w.origin = raw.spans.value_origin(&w.pointer).cloned();
    }
    (problems, warnings)
}

type Fail<'a> = dyn FnMut(String, &'static Rule, String, &str) + 'a;

pub(super) fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The zone a child resource (a link, a record set) belongs to, by its ID: everything up to
/// the segment after `.../providers/Microsoft.Network/privateDnsZones/`.
pub(super) fn zone_of(child_id: &str) -> &str {
    const ZONES: &str = "/providers/microsoft.network/privatednszones/";
    let Some(at) = child_id.to_ascii_lowercase().find(ZONES) else {
        return child_id;
    };
    let name_start = at + ZONES.len();
    let name_end = child_id[name_start..]
        .find('/')
        .map_or(child_id.len(), |i| name_start + i);
    &child_id[..name_end]
}

fn zone_name(zone_id: &str) -> &str {
    zone_id.rsplit('/').next().unwrap_or(zone_id)
}

/// The ID of a zone this design creates.
pub(super) fn created_zone_id(home: &ZoneHome, scope: &DeploymentScope, name: &str) -> String {
    let group = match home {
        ZoneHome::Here => scope.group_id(),
        ZoneHome::Group {
            subscription_id,
            resource_group,
        } => format!("/subscriptions/{subscription_id}/resourceGroups/{resource_group}"),
    };
    format!("{group}/providers/Microsoft.Network/privateDnsZones/{name}")
}

pub(super) fn vnet_id(d: &Deployment, i: usize, scope: &DeploymentScope) -> String {
    match d.vnets[i].existing() {
        Some(e) => e.vnet_id(),
        None => format!(
            "{}/providers/Microsoft.Network/virtualNetworks/{}",
            scope.group_id(),
            d.vnets[i].key()
        ),
    }
}

/// The links of the estate into a zone of this name (any zone) from the VNet `vnet`.
fn links_from<'a>(estate: &'a Estate, vnet: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
    estate
        .of_type(LINK)
        .filter(move |l| l.text("/virtualNetwork/id").is_some_and(|v| same(v, vnet)))
}

/// Zones created here and linked into an existing VNet that links another zone of the same
/// name already: the deployment fails ("overlapping namespaces").
fn zone_names_linked(d: &Deployment, estate: &Estate, scope: &DeploymentScope, fail: &mut Fail) {
    let names: Vec<String> = d
        .zones()
        .into_iter()
        .filter(|z| d.media.deploy || *z != Zone::Media)
        .filter_map(|z| z.name(d.cloud).ok())
        .collect();
    let mut linked: Vec<(String, String, String)> = Vec::new();
    for (i, vnet) in d.vnets.iter().enumerate() {
        if let (Some(_), Dns::Create(home)) = (vnet.existing(), &vnet.dns) {
            if d.needs_links(i) {
                for name in &names {
                    let ours = created_zone_id(home, scope, name);
                    linked.push((
                        vnet_id(d, i, scope),
                        ours,
                        format!("/network/vnets/{i}/linkNewZones"),
                    ));
                }
            }
        }
    }
    if let Some(rm) = d
        .resource_manager
        .as_ref()
        .filter(|rm| matches!(rm.dns, Dns::Create(_)))
    {
        let home = ZoneHome::Group {
            subscription_id: rm.subnet.subscription_id.clone(),
            resource_group: rm.subnet.resource_group.clone(),
        };
        let name = Zone::ResourceManager.name(d.cloud).unwrap_or_default();
        let ours = created_zone_id(&home, scope, &name);
        linked.push((
            rm.subnet.vnet_id(),
            ours,
            "/resourceManagerPrivateLink/linkNewZones".into(),
        ));
    }
    for (vnet, ours, pointer) in linked {
        for l in links_from(estate, &vnet) {
            let theirs = zone_of(&l.id);
            if same(zone_name(theirs), zone_name(&ours)) && !same(theirs, &ours) {
                fail(
                    pointer.clone(),
                    &rules::ESTATE_ZONE_NAME_LINKED,
                    format!("the existing VNet `{}` already links the zone `{theirs}` (link `{}`); the zone `{}` created here cannot be linked to it as well, and the deployment would fail", zone_name(&vnet), l.name, zone_name(&ours)),
                    "use the zone it is linked to (dns: {mode: existing, zoneIds: ...}), or delete its other link first if nothing resolves through it",
                );
            }
        }
    }
}

/// The addresses of this design's endpoints, read off their network interfaces.
fn owned_addresses(d: &Deployment, estate: &Estate) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for vnet in d.endpoint_vnets() {
        names.extend(
            d.deployed_targets()
                .iter()
                .map(|t| t.endpoint_name(vnet.key())),
        );
    }
    if let Some(rm) = d.resource_manager_target().zip(d.resource_manager.as_ref()) {
        names.push(rm.0.endpoint_name(&rm.1.subnet.vnet_name));
    }
    let mut out = Vec::new();
    for nic in estate.of_type(NIC) {
        let Some(pe) = nic.text("/privateEndpoint/id") else {
            continue;
        };
        if !names.iter().any(|n| same(zone_name(pe), n)) {
            continue;
        }
        for c in nic.properties["ipConfigurations"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let Some(ip) = c
                .pointer("/properties/privateIPAddress")
                .and_then(Value::as_str)
            {
                out.push(ip.to_owned());
            }
        }
    }
    out
}

/// Whether a record set of a zone is the one `target`'s endpoint writes: storage and Key
/// Vault records are the account's or vault's name (`-secondary` for a secondary); Media
/// Services' and Event Grid's carry the region after the name (`acct-euwe.streaming`,
/// `acct.keydelivery.westeurope`, `topic.westeurope-1`), so theirs start with it.
fn names_target(record: &str, target: &Target) -> bool {
    let (r, n) = (
        record.to_ascii_lowercase(),
        target.resource.to_ascii_lowercase(),
    );
    match target.service {
        Service::Storage(_) | Service::Vault => r == n,
        Service::StorageSecondary(_) => r == format!("{n}-secondary"),
        Service::Media(_) => r
            .strip_prefix(&n)
            .is_some_and(|rest| rest.starts_with(['.', '-'])),
        Service::Topic | Service::ResourceManager => {
            r.strip_prefix(&n).is_some_and(|rest| rest.starts_with('.'))
        }
    }
}

/// The zone an endpoint of VNet `owner` registers `service`'s records in.
pub(super) fn zone_id_of(
    d: &Deployment,
    scope: &DeploymentScope,
    owner: &str,
    service: Service,
) -> Option<String> {
    let zone = service.zone();
    let name = zone.name(d.cloud).ok()?;
    if service == Service::ResourceManager {
        let rm = d.resource_manager.as_ref()?;
        return match &rm.dns {
            Dns::Create(_) => Some(format!(
                "{}/providers/Microsoft.Network/privateDnsZones/{name}",
                rm.subnet.group_id()
            )),
            _ => rm.zone_id.clone(),
        };
    }
    let vnet = d.vnets.iter().find(|v| v.key() == owner)?;
    match &vnet.dns {
        Dns::Create(home) => Some(created_zone_id(home, scope, &name)),
        Dns::Existing(ids) | Dns::Policy(ids) => ids.get(&zone).cloned(),
        Dns::None => None,
    }
}

/// Records the design would write that exist already for addresses none of its endpoints
/// has: its zone group would take the name over for every client of that zone.
fn records_taken(d: &Deployment, estate: &Estate, scope: &DeploymentScope, fail: &mut Fail) {
    let owned = owned_addresses(d, estate);
    let mut seen: Vec<String> = Vec::new();
    for (i, vnet) in d.vnets.iter().enumerate().filter(|(_, v)| v.endpoints) {
        for t in d.deployed_targets() {
            let zone = t.service.zone();
            let Some(zone_id) = zone_id_of(d, scope, vnet.key(), t.service) else {
                continue;
            };
            let pointer = match &vnet.dns {
                Dns::Create(_) => dns_pointer(d, i),
                _ => format!("{}/zoneIds/{}", dns_pointer(d, i), zone.key()),
            };
            for r in estate
                .of_type(A_RECORDS)
                .filter(|r| same(zone_of(&r.id), &zone_id))
            {
                if !names_target(&r.name, &t) || seen.contains(&r.id.to_ascii_lowercase()) {
                    continue;
                }
                let mut foreign = r.a_record_addresses();
                foreign.retain(|ip| !owned.iter().any(|o| o == ip));
                if foreign.is_empty() {
                    continue;
                }
                seen.push(r.id.to_ascii_lowercase());
                fail(
                    pointer.clone(),
                    &rules::ESTATE_RECORD_TAKEN,
                    format!("the zone `{zone_id}` already holds `{}` -> {}, an address no endpoint of this design has: the zone group of `{}` would replace it, and every client of that zone would reach this design's endpoint instead", r.name, foreign.join(", "), t.endpoint_name(vnet.key())),
                    "reach the existing endpoint of that resource instead of adding one (privateEndpoints: false and connectedTo), or register in zones of this design's own (dns mode create, with its own resource group)",
                );
            }
        }
    }
}

/// Links this design writes into existing zones from the VNets it creates, where the VNet is
/// linked to that zone already under another name: a VNet is linked to a zone once.
fn links_existing(d: &Deployment, estate: &Estate, scope: &DeploymentScope, fail: &mut Fail) {
    for (i, zone, zone_id) in d.links_into_existing_zones() {
        let vnet = vnet_id(d, i, scope);
        let ours = format!("link-{}-", d.vnets[i].key());
        for l in links_from(estate, &vnet) {
            if same(zone_of(&l.id), zone_id)
                && !l
                    .name
                    .to_ascii_lowercase()
                    .starts_with(&ours.to_ascii_lowercase())
            {
                fail(
                    format!("{}/zoneIds/{}", dns_pointer(d, i), zone.key()),
                    &rules::ESTATE_LINK_EXISTS,
                    format!("VNet `{}` is already linked to the zone `{zone_id}` (link `{}`): the link this design adds would fail", d.vnets[i].key(), l.name),
                    "agree with the zone's owner which link stays: if the existing one is this VNet's from an earlier deployment under another name, it can go; otherwise give the VNet dnsServers that resolve through the zone, and this design writes no link",
                );
            }
        }
    }
}

/// The policy assignments in force (not `DoNotEnforce`) over the resource group `group`: those
/// of a management group (collected for a resource group below it), of its subscription, or of
/// the group itself; an assignment collected for another group is not this one's.
fn enforced<'a>(estate: &'a Estate, group: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
    estate.of_type(ASSIGNMENT).filter(move |a| {
        let scope = a.text("/scope").unwrap_or_default().to_ascii_lowercase();
        let covers = scope.is_empty()
            || scope.starts_with("/providers/microsoft.management/managementgroups/")
            || group.to_ascii_lowercase().starts_with(&scope);
        covers
            && !a
                .text("/enforcementMode")
                .is_some_and(|m| same(m, "DoNotEnforce"))
    })
}

fn definition_of(a: &Resource) -> &str {
    a.text("/policyDefinitionId").unwrap_or_default()
}

/// A deny on private DNS zones where the design creates zones.
fn deny_zones(d: &Deployment, estate: &Estate, scope: &DeploymentScope) -> Vec<Warning> {
    let Some((i, home)) = d.vnets.iter().enumerate().find_map(|(i, v)| match &v.dns {
        Dns::Create(home) if v.endpoints => Some((i, home)),
        _ => None,
    }) else {
        return Vec::new();
    };
    // Where the zones are created: a zone's ID less its provider part.
    let zone = created_zone_id(home, scope, "z");
    let group = zone
        .split("/providers/")
        .next()
        .unwrap_or_default()
        .to_owned();
    enforced(estate, &group)
        .collect::<Vec<_>>()
        .into_iter()
        .filter(|a| same(&a.name, "Deny-Private-DNS-Zones") || definition_of(a).to_ascii_lowercase().ends_with("/deny-private-dns-zones"))
        .map(|a| warn(
            &rules::ESTATE_DENY_ZONES,
            dns_pointer(d, i),
            "private DNS zones",
            format!("the policy assignment `{}` ({}) denies creating private DNS zones, and this design creates them: the deployment would be refused", a.name, a.id),
        ))
        .collect()
}

/// Whether an assignment of `definition` writes the zone groups of `service`'s endpoints.
fn writes_zone_groups(definition: &str, service: Service) -> bool {
    let id = definition.to_ascii_lowercase();
    let guid = service
        .built_in_dns_policy()
        .or(service.needs_media().then_some(MEDIA_DNS_POLICY));
    guid.is_some_and(|g| id.ends_with(&format!("/{g}")))
        || (id.ends_with("/deploy-private-dns-zones") && guid.is_some())
}

/// DeployIfNotExists assignments that write zone groups for endpoints this design gives zone
/// groups of its own (DNS mode create or existing): two writers of one name.
fn policy_writers(d: &Deployment, estate: &Estate, scope: &DeploymentScope) -> Vec<Warning> {
    let mut out = Vec::new();
    for (i, vnet) in d.vnets.iter().enumerate() {
        if !vnet.endpoints || !matches!(vnet.dns, Dns::Create(_) | Dns::Existing(_)) {
            continue;
        }
        // The endpoints' resource group: the existing subnet's, or the deployment's.
        let group = vnet
            .existing()
            .map_or_else(|| scope.group_id(), ExistingSubnet::group_id);
        for a in enforced(estate, &group) {
            let groups: Vec<&str> = d
                .deployed_targets()
                .iter()
                .filter(|t| writes_zone_groups(definition_of(a), t.service))
                .map(|t| t.service.group_id())
                .collect();
            if !groups.is_empty() {
                out.push(warn(
                    &rules::ESTATE_POLICY_WRITER,
                    dns_pointer(d, i),
                    format!("VNet '{}'", vnet.key()),
                    format!("the policy assignment `{}` ({}) adds zone groups to {} endpoints, and this design writes their zone groups itself: whichever comes last decides where the names resolve (an endpoint holds one zone group)", a.name, definition_of(a), groups.join(", ")),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The zone is read off the ID's own segments: a resource group named `a` is not an A
    /// record set.
    #[test]
    fn a_child_knows_its_zone() {
        let zone = "/subscriptions/s/resourceGroups/a/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net";
        assert_eq!(zone_of(&format!("{zone}/A/acct")), zone);
        assert_eq!(zone_of(&format!("{zone}/virtualNetworkLinks/l")), zone);
        assert_eq!(zone_of(zone), zone);
    }

    /// A record is a target's only by its exact name where Azure's is known; names that only
    /// start alike belong to other resources.
    #[test]
    fn a_record_is_the_targets_by_its_name() {
        let target = |service, resource: &str| Target {
            service,
            resource: resource.into(),
        };
        let vault = target(Service::Vault, "kv-media");
        assert!(names_target("kv-media", &vault));
        assert!(!names_target("kv-media-dev", &vault));
        let blob = target(Service::Storage(StorageSubresource::Blob), "acct");
        assert!(!names_target("acct-secondary", &blob));
        let secondary = target(Service::StorageSecondary(StorageSubresource::Blob), "acct");
        assert!(names_target("acct-secondary", &secondary));
        let media = target(Service::Media(GroupId::Streamingendpoint), "acct");
        assert!(names_target("acct-euwe.streaming", &media));
        assert!(!names_target("acct2-euwe.streaming", &media));
        let topic = target(Service::Topic, "events");
        assert!(names_target("events.westeurope-1", &topic));
        assert!(!names_target("events-dev.westeurope-1", &topic));
    }
}
