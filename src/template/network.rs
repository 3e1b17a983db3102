//! New VNets and the private DNS zones with their VNet links: in this resource group, or for
//! an isolated existing VNet, in its own.

use super::*;

pub(crate) fn vnet_symbol(syms: &Symbols, vnet: &Vnet) -> String {
    syms.get("vnet", vnet.key())
}

/// The VNet resource for a new VNet; `None` for an existing subnet.
pub(crate) fn virtual_network(syms: &Symbols, vnet: &Vnet) -> Option<Resource> {
    let VnetShape::New {
        name,
        address_prefixes,
        subnet_name,
        subnet_prefix,
    } = &vnet.shape
    else {
        return None;
    };
    Some(Resource::new(vnet_symbol(syms, vnet), "Microsoft.Network/virtualNetworks", api::NETWORK, Expr::str(name))
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::var(V_TAGS))
        .with(
            "properties",
            Expr::object([
                (
                    "addressSpace",
                    Expr::object([(
                        "addressPrefixes",
                        Expr::strings(address_prefixes.iter().map(ToString::to_string)),
                    )]),
                ),
                (
                    "subnets",
                    Expr::Array(vec![Expr::object([
                        ("name", Expr::str(subnet_name)),
                        (
                            "properties",
                            Expr::object([
                                ("addressPrefix", Expr::str(subnet_prefix.to_string())),
                                ("privateEndpointNetworkPolicies", Expr::str("Disabled")),
                            ]),
                        ),
                    ])]),
                ),
            ]),
        )
        .comment("VNet for the private endpoints. It keeps Azure-provided DNS, which is what resolves the linked private DNS zones."))
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

/// A link of the zone `zone_symbol` to a VNet. Into a VNet this tool does not own it uses
/// NxDomainRedirect: names missing from the new zone still resolve publicly instead of
/// failing (privateDns 2024-06-01; learn.microsoft.com/azure/dns/private-dns-fallback).
pub(crate) fn vnet_link(
    symbol: String,
    zone_symbol: &str,
    vnet_key: &str,
    vnet_id: Expr,
    owned: bool,
) -> Resource {
    let policy = if owned { "Default" } else { "NxDomainRedirect" };
    let mut r = Resource::new(
        symbol,
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        api::PRIVATE_DNS,
        Expr::str(format!("link-{vnet_key}")),
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
    .comment(if owned {
        "Makes the zone answer for clients in this VNet."
    } else {
        "Makes the zone answer for clients in this existing VNet; names it does not hold fall back to public resolution."
    });
    r.parent = Some(zone_symbol.to_owned());
    r
}

pub(crate) fn dns_link(syms: &Symbols, zone: Zone, vnet: &Vnet) -> Resource {
    let (vnet_id, owned) = match &vnet.shape {
        VnetShape::New { .. } => (Expr::id(&vnet_symbol(syms, vnet)), true),
        VnetShape::Existing(e) => (Expr::existing_id(&e.vnet_id()), false),
    };
    vnet_link(
        syms.get(&format!("{}Link", zone_symbol(zone)), vnet.key()),
        &zone_symbol(zone),
        vnet.key(),
        vnet_id,
        owned,
    )
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
        Dns::Policy | Dns::None => None,
    }
}

/// Every zone the endpoints need, each linked to the VNets given.
fn zones_linked_to(syms: &Symbols, d: &Deployment, linked: &[&Vnet]) -> Vec<Resource> {
    let mut out = Vec::new();
    for zone in d.zones() {
        out.push(dns_zone(zone, d.cloud));
        out.extend(linked.iter().map(|v| dns_link(syms, zone, v)));
    }
    out
}

/// The zones created in this resource group and their links.
pub(crate) fn local_zones(syms: &Symbols, d: &Deployment) -> Vec<Resource> {
    let linked = d.vnets_at(&ZoneHome::Here);
    if linked.is_empty() {
        return Vec::new();
    }
    zones_linked_to(syms, d, &linked)
}

/// The module creating the zones `vnet` resolves through, when they live in its own
/// resource group; it is named after the first VNet using them.
pub(crate) fn zone_module_symbol(syms: &Symbols, d: &Deployment, vnet: &Vnet) -> Option<String> {
    let home = vnet.zone_home().filter(|h| **h != ZoneHome::Here)?;
    let first = d.vnets_at(home).into_iter().next()?;
    Some(syms.get("privateDnsZones", first.key()))
}

/// Zones created for existing VNets in their own resource groups: one module per group.
pub(crate) fn zone_modules(syms: &Symbols, d: &Deployment) -> Vec<Module> {
    d.zone_homes()
        .into_iter()
        .filter_map(|home| {
            let ZoneHome::Group {
                subscription_id,
                resource_group,
            } = home
            else {
                return None;
            };
            let linked = d.vnets_at(home);
            let first = linked.first()?;
            let names: Vec<&str> = linked.iter().map(|v| v.key()).collect();
            Some(Module {
                resources: zones_linked_to(syms, d, &linked),
                ..Module::in_group(
                    zone_module_symbol(syms, d, first)?,
                    format!("modules/private-dns-zones-{}.bicep", first.key()),
                    subscription_id,
                    resource_group,
                    format!(
                        "Private DNS zones of their own for {} in resource group {resource_group} (subscription {subscription_id}), linked to that VNet only.",
                        names.join(", ")
                    ),
                )
            })
        })
        .collect()
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
