//! What an Azure landing zone commonly denies, named before deploying: private DNS zones
//! created outside the hub, and PaaS public network access in the Corp management group.
//! The policies are Azure Landing Zones' own (shared/docs/azure-facts.md §3.2d).

use super::*;

pub(super) fn landing_zone_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(w) = created_zones_warning(d) {
        out.push(w);
    }
    if d.storage.public_network_access == PublicNetworkAccess::Enabled {
        out.push(warn(
            &rules::LZ_PUBLIC_NETWORK_ACCESS,
            "/storage/publicNetworkAccess",
            format!("storage account '{}'", d.storage.name),
            "public network access stays Enabled (Media Services reaches its storage as a trusted service, through the firewall); in an Azure landing zone's Corp management group, the Deny-Public-Endpoints assignment (Deny-PublicPaaSEndpoints) refuses it: deploy into a landing zone outside Corp, or have the platform team exempt this storage account",
        ));
    }
    out
}

/// Zones created here, where a landing zone would have them in the hub.
fn created_zones_warning(d: &Deployment) -> Option<Warning> {
    let first = d
        .vnets
        .iter()
        .position(|v| v.endpoints && matches!(v.dns, Dns::Create(_)));
    let rm_creates = d
        .resource_manager
        .as_ref()
        .is_some_and(|rm| matches!(rm.dns, Dns::Create(_)));
    let pointer = match first {
        Some(i) => dns_pointer(d, i),
        None if rm_creates => "/resourceManagerPrivateLink".to_owned(),
        None => return None,
    };
    Some(warn(
        &rules::LZ_PRIVATE_DNS_ZONES,
        pointer,
        "private DNS zones",
        "the design creates private DNS zones (DNS mode create); a landing zone that assigns Deny-Private-DNS-Zones refuses them (Azure Landing Zones ships that policy, and platform teams that keep the central zones in the hub often assign it at Corp): there, use dns mode existing with the hub's zones, or policy",
    ))
}
