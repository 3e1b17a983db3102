//! The Azure Resource Manager private link: its scope, its subnet and how its name resolves.

use super::*;

/// The private link's name, when the values leave it out, follows the account's.
pub(super) fn fill_resource_manager_defaults(values: &mut Values) {
    let account = &values.media_services.name;
    if let Some(rm) = values.resource_manager_private_link.as_mut() {
        rm.name.get_or_insert_with(|| format!("rmpl-{account}"));
    }
}

pub(super) fn check_resource_manager(
    c: &mut Checker,
    values: &Values,
) -> Option<ResourceManagerLink> {
    const BASE: &str = "/resourceManagerPrivateLink";
    let top_location = values.location.clone();
    let rm = values.resource_manager_private_link.as_ref()?;
    let mg = rm.management_group_id.clone();
    if let Err((message, hint)) = fields::root_management_group(&mg) {
        c.fail(&format!("{BASE}/managementGroupId"), message, hint);
    }
    // Always there: fill_resource_manager_defaults named it.
    let name = rm.name.clone().unwrap_or_default();
    let location = rm.location.clone().or(top_location);
    if location.is_none() {
        c.fail(
            &format!("{BASE}/location"),
            "the region of the endpoint's VNet is needed: this template runs at management-group scope, where there is no resource group location to default to",
            "set resourceManagerPrivateLink.location (or the top-level location)",
        );
    }
    let Some(subnet) = ExistingSubnet::parse(&rm.existing_subnet_id, location) else {
        c.fail(
            &format!("{BASE}/existingSubnetId"),
            format!("`{}` is not a subnet resource ID", rm.existing_subnet_id),
            "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
        );
        return None;
    };
    let endpoint = Target {
        service: Service::ResourceManager,
        resource: name.clone(),
    }
    .endpoint_name(&subnet.vnet_name);
    if endpoint.len() > MAX_ENDPOINT_NAME {
        c.fail(
            &format!("{BASE}/name"),
            format!("the private endpoint name `{endpoint}` would be {} characters; Azure allows {MAX_ENDPOINT_NAME}", endpoint.len()),
            match MAX_ENDPOINT_NAME.saturating_sub(endpoint.len() - name.len()) {
                0 => "the VNet name alone is too long: use a subnet in a VNet with a shorter name".to_owned(),
                room => format!("use a name of at most {room} characters"),
            },
        );
    }
    Some(ResourceManagerLink {
        management_group_id: mg,
        name,
        subnet,
        // Settled once the VNets are known (check_resource_manager_dns).
        dns: Dns::None,
        zone_id: None,
    })
}

/// The Resource Manager endpoint's DNS: its VNet's when that VNet is listed (the zone is linked
/// to it alone), else `privateLink.dns`; a zone created here needs the same opt-in as any link
/// into an existing VNet.
pub(super) fn check_resource_manager_dns(
    c: &mut Checker,
    values: &Values,
    vnets: &[Vnet],
    default_dns: &Dns,
    rm: &mut ResourceManagerLink,
) {
    const BASE: &str = "/resourceManagerPrivateLink";
    let opted_in = values
        .resource_manager_private_link
        .as_ref()
        .is_some_and(|v| v.link_new_zones);
    let listed = vnets.iter().enumerate().find(|(_, v)| {
        v.existing()
            .is_some_and(|e| e.vnet_id().eq_ignore_ascii_case(&rm.subnet.vnet_id()))
    });
    let (dns_values, base, dns, linked) = match listed {
        Some((i, v)) => (
            values.network.vnets[i]
                .dns
                .as_ref()
                .unwrap_or(&values.private_link.dns),
            match values.network.vnets[i].dns {
                Some(_) => format!("/network/vnets/{i}/dns"),
                None => "/privateLink/dns".to_owned(),
            },
            v.dns.clone(),
            v.link_new_zones,
        ),
        None => (
            &values.private_link.dns,
            "/privateLink/dns".to_owned(),
            default_dns.clone(),
            false,
        ),
    };
    if matches!(dns, Dns::Create(_)) && !(opted_in || linked) {
        c.fail(
            BASE,
            format!("the privatelink.azure.com zone created here would be linked to the existing VNet {}: if it already links a zone of that name the deployment fails, and otherwise the new zone takes over every privatelink.azure.com name resolved from it", rm.subnet.vnet_name),
            "if the hub resolves privatelink.azure.com through a zone of its own, use it (DNS mode existing with zoneIds.resourcemanager); if you know it links none, set resourceManagerPrivateLink.linkNewZones: true (the link then uses NxDomainRedirect)",
        );
    }
    if matches!(dns, Dns::Existing(_) | Dns::Policy(_)) {
        rm.zone_id = checked_zone_id(
            c,
            &base,
            dns_values,
            Zone::ResourceManager,
            values.cloud,
            ZoneIdWords {
                purpose: if matches!(dns, Dns::Policy(_)) {
                    super::dns::COMPANION_PURPOSE
                } else {
                    " for the Resource Manager private endpoint"
                },
                example: RESOURCE_MANAGER_ZONE,
                fix: "point this key at the privatelink.azure.com zone",
            },
        );
    }
    rm.dns = dns;
}

/// The private link covers the whole tenant.
pub(super) fn resource_manager_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(rm) = &d.resource_manager {
        out.push(warn(
            &rules::TENANT_WIDE,
            "/resourceManagerPrivateLink/managementGroupId",
            "Resource Manager private link",
            format!(
                "tenant-wide: the association at the root management group {} covers every subscription in the tenant; it needs Owner (or Contributor) there, and Azure Bastion stops working in VNets linked to the privatelink.azure.com zone",
                rm.management_group_id
            ),
        ));
        // The endpoint must be in its VNet's region; without its own location the
        // deployment's is assumed.
        let given = d
            .values
            .resource_manager_private_link
            .as_ref()
            .is_some_and(|v| v.location.is_some());
        if !given {
            out.push(warn(
                &rules::REGION_ASSUMED,
                "/resourceManagerPrivateLink/existingSubnetId",
                format!("existing VNet '{}'", rm.subnet.vnet_name),
                format!("no resourceManagerPrivateLink.location given, so the Resource Manager private link and its endpoint are created in the deployment's region, {}; an endpoint must be in its VNet's region: set location if that VNet is elsewhere", rm.subnet.location.as_deref().unwrap_or_default()),
            ));
        }
    }
    out
}

/// Its zone linked into a VNet this tool does not own.
pub(super) fn resource_manager_link_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(rm) = d
        .resource_manager
        .as_ref()
        .filter(|rm| matches!(rm.dns, Dns::Create(_)))
    {
        out.push(warn(
            &rules::LINK_EXISTING,
            "/resourceManagerPrivateLink/linkNewZones",
            format!("VNet '{}'", rm.subnet.vnet_name),
            "the privatelink.azure.com zone created with the Resource Manager private link is linked to this existing VNet, with NxDomainRedirect; if the VNet already links a zone of that name, the deployment fails",
        ));
    }
    out
}
