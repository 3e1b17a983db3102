//! New VNets and the private DNS zones with their VNet links.

use super::*;

pub(crate) fn vnet_symbol(syms: &Symbols, vnet: &Vnet) -> String {
    syms.get("vnet", vnet.key())
}

/// The VNet resource for a new VNet; `None` for an existing subnet.
pub(crate) fn virtual_network(syms: &Symbols, vnet: &Vnet) -> Option<Resource> {
    let Vnet::New {
        name,
        address_prefixes,
        subnet_name,
        subnet_prefix,
    } = vnet
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

pub(crate) fn zone_name(zone: Zone) -> Expr {
    match zone {
        // environment() has no suffix for these two; the names are the documented ones.
        Zone::Media => Expr::str(MEDIA_ZONE),
        Zone::Vault => Expr::str(VAULT_ZONE),
        Zone::EventGrid => Expr::str(EVENT_GRID_ZONE),
        Zone::ResourceManager => Expr::str(RESOURCE_MANAGER_ZONE),
        Zone::Storage(s) => Expr::format(
            format!("privatelink.{}.{{0}}", s.as_str()),
            vec![Expr::Environment(vec!["suffixes".into(), "storage".into()])],
        ),
    }
}

pub(crate) fn dns_zone(zone: Zone) -> Resource {
    Resource::new(zone_symbol(zone), "Microsoft.Network/privateDnsZones", api::PRIVATE_DNS, zone_name(zone))
        .with("location", Expr::str("global"))
        .with("tags", Expr::var(V_TAGS))
        .with("properties", Expr::Object(Vec::new()))
        .comment(match zone {
            Zone::Media => "Private zone for key delivery, streaming endpoint and live event names (one zone for all three group IDs).",
            Zone::Storage(_) => "Private zone for the storage sub-resource; the suffix follows the cloud via environment().",
            Zone::Vault => "Private zone for the key vault holding the customer-managed key.",
            Zone::EventGrid => "Private zone for the custom Event Grid topic.",
            Zone::ResourceManager => "Private zone for Azure Resource Manager; link it only where Bastion is not used.",
        })
}

pub(crate) fn dns_link(syms: &Symbols, zone: Zone, vnet: &Vnet) -> Resource {
    let vnet_id = match vnet {
        Vnet::New { .. } => Expr::id(&vnet_symbol(syms, vnet)),
        Vnet::Existing(e) => Expr::existing_id(&e.vnet_id()),
    };
    let mut r = Resource::new(
        syms.get(&format!("{}Link", zone_symbol(zone)), vnet.key()),
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        api::PRIVATE_DNS,
        Expr::str(format!("link-{}", vnet.key())),
    )
    .with("location", Expr::str("global"))
    .with("tags", Expr::var(V_TAGS))
    .with(
        "properties",
        Expr::object([
            ("registrationEnabled", Expr::Bool(false)),
            ("resolutionPolicy", Expr::str("Default")),
            ("virtualNetwork", Expr::object([("id", vnet_id)])),
        ]),
    )
    .comment("Makes the zone answer for clients in this VNet.");
    r.parent = Some(zone_symbol(zone));
    r
}

pub(crate) fn outer_zone_id(d: &Deployment, zone: Zone) -> Option<Expr> {
    match &d.dns {
        Dns::Create => Some(Expr::id(&zone_symbol(zone))),
        Dns::Existing(ids) => ids.get(&zone).map(|id| existing_zone_id(zone, id)),
        Dns::Policy | Dns::None => None,
    }
}

/// Public Azure's storage suffix, as `environment().suffixes.storage` returns it there.
const PUBLIC_STORAGE_SUFFIX: &str = "core.windows.net";

/// An existing zone's ID. A storage zone with the standard public-cloud name is referred to
/// through `environment()`, like the zones this tool creates: no cloud host name is written
/// into the template (Bicep's `no-hardcoded-env-urls`, arm-ttk's hardcoded-URI test). In
/// public Azure the ID is the one the user gave; in another cloud it names that cloud's zone,
/// the only one its storage names resolve through.
fn existing_zone_id(zone: Zone, id: &str) -> Expr {
    let mut e = Expr::existing_id(id);
    if let (Zone::Storage(s), Expr::ScopedResourceId { rtype, names, .. }) = (zone, &mut e) {
        let standard = format!("privatelink.{}.{PUBLIC_STORAGE_SUFFIX}", s.as_str());
        if rtype.eq_ignore_ascii_case("Microsoft.Network/privateDnsZones")
            && names.len() == 1
            && matches!(&names[0], Expr::Str(n) if n.eq_ignore_ascii_case(&standard))
        {
            names[0] = zone_name(zone);
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
            let id = existing_zone_id(blob, &format!("{HUB}{name}"));
            assert_eq!(zone_name_of(&id), zone_name(blob), "{name}");
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
            let id = existing_zone_id(blob, &format!("{HUB}{name}"));
            assert_eq!(zone_name_of(&id), Expr::str(name));
        }
        let media = existing_zone_id(Zone::Media, &format!("{HUB}privatelink.media.azure.net"));
        assert_eq!(
            zone_name_of(&media),
            Expr::str("privatelink.media.azure.net")
        );
    }
}
