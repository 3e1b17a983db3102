//! Azure Resource Manager private link: its own template, deployed at the root management
//! group. The private link resource and its endpoint live in the chosen subnet's resource
//! group (a nested deployment / scoped module); the association is made at management-group
//! scope, which a resource-group deployment cannot reach.

use serde_json::json;

use super::api;
use super::ir::{Expr, Module, Output, Param, ParamType, Resource, TargetScope, Template};
use super::{private_endpoint, vnet_link, zone_group, EndpointSpec, Fallback};
use crate::model::{Deployment, Dns, ResourceManagerLink, Service, Target, Zone};

const API: &str = api::RESOURCE_MANAGEMENT_PRIVATE_LINK;
const TYPE: &str = "Microsoft.Authorization/resourceManagementPrivateLinks";
const S_LINK: &str = "resourceManagementPrivateLink";
const S_MODULE: &str = "resourceManagementEndpoint";
pub const FILE_STEM: &str = "resource-management-private-link";

pub fn build(d: &Deployment, rm: &ResourceManagerLink) -> Template {
    let subnet = &rm.subnet;
    let mut location = Param::new(
        "location",
        ParamType::String,
        "Region of the VNet that holds the Resource Manager private endpoint.",
    );
    location.value = subnet.location.as_ref().map(|l| json!(l));

    let mut inner = vec![Resource::new(S_LINK, TYPE, API, Expr::str(&rm.name))
        .with("location", Expr::param("location"))
        .comment("The private link resource for Azure Resource Manager; the endpoint below connects to it.")];
    let pe_symbol = "peResourceManagement";
    let target = Target {
        service: Service::ResourceManager,
        resource: rm.name.clone(),
    };
    let pe_name = target.endpoint_name(&subnet.vnet_name);
    inner.push(private_endpoint(&EndpointSpec {
        symbol: pe_symbol,
        name: Expr::str(&pe_name),
        nic: Expr::str(target.nic_name(&subnet.vnet_name, None)),
        location: Expr::param("location"),
        tags: Expr::var("tags"),
        subnet_id: Expr::existing_id(&subnet.id),
        service_id: Expr::id(S_LINK),
        group: Service::ResourceManager.group_id(),
        static_ip: None,
        application_security_groups: &[],
        comment: format!(
            "Private endpoint for Azure Resource Manager in {}.",
            subnet.vnet_name
        ),
    }));
    match &rm.dns {
        Dns::Create(_) => {
            // In the hub's resource group, another team's: a zone of that name there keeps
            // its own tags.
            let mut zone = super::dns_zone(Zone::ResourceManager, d.cloud);
            zone.body.retain(|(k, _)| *k != "tags");
            // Linked to this existing VNet only, with NxDomainRedirect like every link into a
            // VNet this tool does not own.
            let link = vnet_link(
                "privateDnsZoneResourceManagerLink".into(),
                &zone.symbol,
                Expr::str(format!("link-{}", subnet.vnet_name)),
                Expr::existing_id(&subnet.vnet_id()),
                Fallback::NotOurs,
            );
            let zone_symbol = zone.symbol.clone();
            inner.push(zone);
            inner.push(link);
            inner.push(zone_group(
                pe_symbol,
                Zone::ResourceManager,
                Expr::id(&zone_symbol),
            ));
        }
        Dns::Existing(_) => {
            if let Some(id) = &rm.zone_id {
                inner.push(zone_group(
                    pe_symbol,
                    Zone::ResourceManager,
                    Expr::existing_id(id),
                ));
            }
        }
        Dns::Policy(_) | Dns::None => {}
    }
    let module = Module {
        params: vec![
            (Param::new("location", ParamType::String, "Region of the VNet that holds the endpoint."), Expr::param("location")),
        ],
        resources: inner,
        ..Module::in_group(
            S_MODULE,
            format!("modules/{FILE_STEM}-endpoint.bicep"),
            &subnet.subscription_id,
            &subnet.resource_group,
            format!(
                "The private link resource, its endpoint in {} and DNS, in resource group {} (subscription {}).",
                subnet.vnet_name, subnet.resource_group, subnet.subscription_id
            ),
        )
    };
    let link_id = Expr::ExtensionResourceId {
        scope: format!(
            "/subscriptions/{}/resourceGroups/{}",
            subnet.subscription_id, subnet.resource_group
        ),
        rtype: TYPE.into(),
        names: vec![rm.name.clone()],
    };
    let mut association = Resource::new(
        "privateLinkAssociation",
        "Microsoft.Authorization/privateLinkAssociations",
        API,
        // The name must be a GUID; derived from the link so redeploying updates, not duplicates.
        Expr::Guid(vec![Expr::str(&subnet.subscription_id), Expr::str(&subnet.resource_group), Expr::str(&rm.name)]),
    )
    .with(
        "properties",
        Expr::object([
            ("privateLink", link_id.clone()),
            ("publicNetworkAccess", Expr::str("Enabled")),
        ]),
    )
    .comment("Associates the private link with this management group (the tenant root), which makes it effective tenant-wide.");
    association.depends_on.push(S_MODULE.into());
    let mut t = Template {
        name: "Resource Manager private link".into(),
        target_scope: TargetScope::ManagementGroup,
        description: format!(
            "Azure Resource Manager private link {} with its endpoint in {}, associated at management group {}",
            rm.name, subnet.vnet_name, rm.management_group_id
        ),
        params: vec![location],
        variables: Vec::new(),
        resources: vec![association],
        modules: vec![module],
        outputs: vec![Output {
            name: "resourceManagementPrivateLinkId".into(),
            ty: ParamType::String,
            description: "Resource ID of the Resource Manager private link.".into(),
            value: link_id,
        }],
    };
    super::apply_tags(&mut t, &d.tags);
    t
}
