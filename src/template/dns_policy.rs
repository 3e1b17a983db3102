//! The companion template of DNS mode policy, deployed once at a management group: a
//! DeployIfNotExists policy for each group ID of the design that no current built-in covers,
//! its assignment with a managed identity, and the roles that identity needs.
//!
//! Why a management group: that is where a landing zone's platform team assigns its private
//! DNS policies (Azure Landing Zones assigns Deploy-Private-DNS-Zones at Corp), a definition
//! stored there can be assigned anywhere below it, and one assignment covers every
//! subscription whose VNets hold the endpoints (an existing subnet may be in another
//! subscription than the deployment).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::api;
use super::ir::{
    BuiltInRole, ExistingIn, Expr, Module, Output, Param, ParamType, Resource, TargetScope,
    Template, Variable,
};
use super::{camel, role};
use crate::model::dns_policy::CompanionPolicy;
use crate::model::{Deployment, ResourceId};

pub const FILE_STEM: &str = "dns-policy";

const DEFINITION_TYPE: &str = "Microsoft.Authorization/policyDefinitions";
const ASSIGNMENT_TYPE: &str = "Microsoft.Authorization/policyAssignments";
const ROLE_ASSIGNMENT_TYPE: &str = "Microsoft.Authorization/roleAssignments";
const ZONE_TYPE: &str = "Microsoft.Network/privateDnsZones";
/// Network Contributor's definition name (a GUID); its ID at management-group scope, where
/// there is no subscription to resolve it in, is a `tenantResourceId`.
const V_NETWORK_CONTRIBUTOR: &str = "networkContributorRole";

/// Writes the zone group on an endpoint anywhere below the management group: the role
/// Microsoft's own private DNS policies name.
pub const ROLE_NETWORK_CONTRIBUTOR: BuiltInRole = BuiltInRole {
    name: "Network Contributor",
    id: "4d97b98b-1d4f-4787-a291-c67834d212e7",
};
/// Joins the endpoint to the central zone, which usually lives in the connectivity
/// subscription, outside the assignment's management group.
pub const ROLE_PRIVATE_DNS_ZONE_CONTRIBUTOR: BuiltInRole = BuiltInRole {
    name: "Private DNS Zone Contributor",
    id: "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
};

/// The zone group's name, as Microsoft's built-in policies write it: a policy that comes later
/// for the same endpoint updates it rather than failing on a second group.
const ZONE_GROUP_NAME: &str = "deployedByPolicy";

/// Longest policy assignment name Azure accepts at management-group scope.
pub const MAX_ASSIGNMENT_NAME: usize = 24;

/// The definition's name: the tool's, and the group ID's label.
pub fn definition_name(p: &CompanionPolicy) -> String {
    format!("ams-private-link-dns-{}", p.service.label())
}

/// The assignment's name, one per group ID and management group: a second design that names
/// another zone for the same group ID re-points this one instead of fighting it.
pub fn assignment_name(p: &CompanionPolicy) -> String {
    format!("pl-dns-{}", p.service.label())
}

pub fn build(d: &Deployment, policies: &[CompanionPolicy]) -> Template {
    let mut location = Param::new(
        "location",
        ParamType::String,
        "Region of the policy assignments' managed identities.",
    );
    location.default = Some(Expr::DeploymentLocation);
    location.value = d.location.as_ref().map(|l| json!(l));
    let mut t = Template {
        name: "Private DNS zone groups by Azure Policy".into(),
        target_scope: TargetScope::ManagementGroup,
        description: format!(
            "DeployIfNotExists policies that give every private endpoint of {} a zone group in its central private DNS zone, with their assignments and roles",
            group_ids(policies)
        ),
        params: vec![location],
        variables: vec![Variable {
            name: V_NETWORK_CONTRIBUTOR.into(),
            description: "Network Contributor's definition, the same in every tenant.".into(),
            value: Expr::str(ROLE_NETWORK_CONTRIBUTOR.id),
        }],
        ..Template::default()
    };
    for p in policies {
        let (definition, assignment, role) = policy_resources(p);
        t.outputs.push(Output {
            name: format!("{}PrincipalId", assignment.symbol),
            ty: ParamType::String,
            description: format!(
                "Principal ID of the managed identity of assignment {}.",
                assignment_name(p)
            ),
            value: principal_of(&assignment.symbol),
        });
        t.resources.extend([definition, assignment, role]);
    }
    t.modules = zone_role_modules(policies);
    t
}

fn group_ids(policies: &[CompanionPolicy]) -> String {
    policies
        .iter()
        .map(|p| p.service.group_id())
        .collect::<Vec<_>>()
        .join(", ")
}

fn symbol_of(prefix: &str, p: &CompanionPolicy) -> String {
    format!("{prefix}{}", camel(p.service.label()))
}

fn principal_of(assignment: &str) -> Expr {
    Expr::Reference {
        symbol: assignment.into(),
        path: vec!["identity".into(), "principalId".into()],
        full: true,
    }
}

/// The definition, its assignment, and Network Contributor for the assignment's identity at
/// the management group.
fn policy_resources(p: &CompanionPolicy) -> (Resource, Resource, Resource) {
    let what = format!(
        "private endpoint of {} with group ID {}",
        p.service.resource_type(),
        p.service.group_id()
    );
    let definition = Resource::new(
        symbol_of("policyDefinition", p),
        DEFINITION_TYPE,
        api::POLICY,
        Expr::str(definition_name(p)),
    )
    .with("properties", literal(&definition_properties(p, &what)))
    .comment(format!("Adds the private DNS zone group to every {what}, whichever way its connection is made: no current built-in policy does."));
    let assignment = assignment(p, &what, &definition.symbol);
    let network = network_contributor(p, &assignment.symbol);
    (definition, assignment, network)
}

/// The definition assigned at the management group, with a managed identity, pointing at the
/// central zone.
fn assignment(p: &CompanionPolicy, what: &str, definition: &str) -> Resource {
    let zone = ResourceId::name_in(&p.zone_id);
    let message = Expr::object([(
        "message",
        Expr::str(format!("Every {what} needs a zone group in {zone}.")),
    )]);
    Resource::new(
        symbol_of("policyAssignment", p),
        ASSIGNMENT_TYPE,
        api::POLICY,
        Expr::str(assignment_name(p)),
    )
    .with("location", Expr::param("location"))
    .with(
        "identity",
        Expr::object([("type", Expr::str("SystemAssigned"))]),
    )
    .with(
        "properties",
        Expr::object([
            (
                "displayName",
                Expr::str(format!("Private DNS zone group for every {what}")),
            ),
            (
                "description",
                Expr::str(format!(
                    "Points every {what} below this management group at the central zone {zone}."
                )),
            ),
            ("policyDefinitionId", Expr::id(definition)),
            (
                "parameters",
                Expr::object([(
                    "privateDnsZoneId",
                    Expr::object([("value", zone_id(&p.zone_id))]),
                )]),
            ),
            ("nonComplianceMessages", Expr::Array(vec![message])),
        ]),
    )
    .comment("One per group ID in a management group; its identity writes the zone groups.")
}

/// Network Contributor for the assignment's identity at the management group.
fn network_contributor(p: &CompanionPolicy, assignment: &str) -> Resource {
    let role_id = Expr::Call(
        "tenantResourceId",
        vec![
            Expr::str(BuiltInRole::DEFINITION_TYPE),
            Expr::var(V_NETWORK_CONTRIBUTOR),
        ],
    );
    Resource::new(
        symbol_of("networkContributor", p),
        ROLE_ASSIGNMENT_TYPE,
        api::ROLE_ASSIGNMENT,
        Expr::Guid(vec![Expr::id(assignment), Expr::var(V_NETWORK_CONTRIBUTOR)]),
    )
    .with(
        "properties",
        Expr::object([
            ("roleDefinitionId", role_id),
            ("principalId", principal_of(assignment)),
            ("principalType", Expr::str("ServicePrincipal")),
            ("description", Expr::str(format!("Lets assignment {} write zone groups on the endpoints below this management group.", assignment_name(p)))),
        ]),
    )
    .comment("Network Contributor at this management group: the endpoints' scope.")
}

/// The policy rule: a private endpoint with a connection, automatic or manual, to this
/// service's group ID, whose zone group does not point at the central zone yet.
fn definition_properties(p: &CompanionPolicy, what: &str) -> Value {
    let connection = |list: &str| {
        let field = format!("Microsoft.Network/privateEndpoints/{list}[*]");
        json!({"count": {
            "field": field,
            "where": {"allOf": [
                {"field": format!("{field}.privateLinkServiceId"), "contains": format!("/providers/{}/", p.service.resource_type())},
                {"field": format!("{field}.groupIds[*]"), "equals": p.service.group_id()}
            ]}
        }, "greaterOrEquals": 1})
    };
    let configs =
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups/privateDnsZoneConfigs[*]";
    let role_ids = [ROLE_NETWORK_CONTRIBUTOR, ROLE_PRIVATE_DNS_ZONE_CONTRIBUTOR]
        .map(|r| format!("/providers/{}/{}", BuiltInRole::DEFINITION_TYPE, r.id));
    json!({
        "policyType": "Custom",
        "mode": "Indexed",
        "displayName": format!("Configure a private DNS zone group for every {what}"),
        "description": format!("Gives every {what} a private DNS zone group in the central zone the assignment names, whether its connection was made automatically or by manual approval. Written by ams-private-link."),
        "metadata": {"category": "Network", "version": "1.0.0"},
        "parameters": {
            "privateDnsZoneId": {"type": "String", "metadata": {
                "displayName": "Private DNS zone ID",
                "description": "The central private DNS zone the zone groups point at.",
                "strongType": ZONE_TYPE,
                "assignPermissions": true
            }},
            "effect": {"type": "String", "metadata": {"displayName": "Effect", "description": "DeployIfNotExists adds missing zone groups; Disabled turns the policy off."},
                "allowedValues": ["DeployIfNotExists", "Disabled"], "defaultValue": "DeployIfNotExists"}
        },
        "policyRule": {
            "if": {"allOf": [
                {"field": "type", "equals": "Microsoft.Network/privateEndpoints"},
                {"anyOf": [connection("privateLinkServiceConnections"), connection("manualPrivateLinkServiceConnections")]}
            ]},
            "then": {"effect": "[parameters('effect')]", "details": {
                "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
                // Only once the endpoint has finished provisioning: its zone group cannot be
                // written before.
                "evaluationDelay": "AfterProvisioningSuccess",
                "roleDefinitionIds": role_ids,
                "existenceCondition": {"count": {"field": configs, "where": {
                    "field": format!("{configs}.privateDnsZoneId"), "equals": "[parameters('privateDnsZoneId')]"
                }}, "greaterOrEquals": 1},
                "deployment": {"properties": {
                    "mode": "incremental",
                    "template": zone_group_template(p.service.zone().key()),
                    "parameters": {
                        "privateDnsZoneId": {"value": "[parameters('privateDnsZoneId')]"},
                        "privateEndpointName": {"value": "[field('name')]"},
                        "location": {"value": "[field('location')]"}
                    }
                }}
            }}
        }
    })
}

/// What the policy deploys in the endpoint's resource group: its zone group.
/// The zone group's only zone config is named after the zone's kind, as the main template
/// names its own (`media`, `blob`...).
fn zone_group_template(config: &str) -> Value {
    json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "privateDnsZoneId": {"type": "string"},
            "privateEndpointName": {"type": "string"},
            "location": {"type": "string"}
        },
        "resources": [{
            "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
            "apiVersion": api::NETWORK,
            "name": format!("[format('{{0}}/{ZONE_GROUP_NAME}', parameters('privateEndpointName'))]"),
            "location": "[parameters('location')]",
            "properties": {"privateDnsZoneConfigs": [{
                "name": config,
                "properties": {"privateDnsZoneId": "[parameters('privateDnsZoneId')]"}
            }]}
        }]
    })
}

/// A central zone's ID at management-group scope: `resourceId()` takes a subscription and a
/// resource group only at resource-group scope, so the ID is an extension of its resource
/// group, as Bicep spells `.id` there.
fn zone_id(id: &str) -> Expr {
    match ResourceId::parse(id) {
        Some(r) => Expr::ExtensionResourceId {
            scope: format!(
                "/subscriptions/{}/resourceGroups/{}",
                r.subscription_id, r.resource_group
            ),
            rtype: r.rtype,
            names: r.names.into_iter().map(str::to_owned).collect(),
        },
        None => Expr::str(id),
    }
}

/// A JSON value as a template literal (ARM keeps its strings literal, escaping a leading `[`).
/// The definitions hold strings, integers, booleans, lists and objects only.
fn literal(v: &Value) -> Expr {
    match v {
        Value::String(s) => Expr::str(s),
        Value::Bool(b) => Expr::Bool(*b),
        Value::Number(n) => Expr::Int(n.as_i64().unwrap_or_default()),
        Value::Array(items) => Expr::Array(items.iter().map(literal).collect()),
        Value::Object(map) => Expr::object(map.iter().map(|(k, v)| (k.clone(), literal(v)))),
        Value::Null => Expr::str(""),
    }
}

/// Private DNS Zone Contributor on each central zone for the identities that write into it,
/// one module per resource group of zones (another team's, often another subscription).
fn zone_role_modules(policies: &[CompanionPolicy]) -> Vec<Module> {
    let mut by_group: BTreeMap<(String, String), Vec<&CompanionPolicy>> = BTreeMap::new();
    for p in policies {
        if let Some(id) = ResourceId::parse(&p.zone_id) {
            by_group
                .entry((id.subscription_id.to_owned(), id.resource_group.to_owned()))
                .or_default()
                .push(p);
        }
    }
    by_group
        .into_iter()
        .map(|((subscription, group), policies)| zone_role_module(&subscription, &group, &policies))
        .collect()
}

fn zone_role_module(subscription: &str, group: &str, policies: &[&CompanionPolicy]) -> Module {
    let mut m = Module::in_group(
        format!("zoneRoles{}", camel(group)),
        format!("modules/{FILE_STEM}-zone-roles-{group}.bicep"),
        subscription,
        group,
        format!("Private DNS Zone Contributor on the central zones in resource group {group} (subscription {subscription}) for the policy assignments that write into them."),
    );
    let mut zones: Vec<String> = Vec::new();
    for p in policies {
        let zone = ResourceId::name_in(&p.zone_id).to_owned();
        let zone_symbol = format!("zone{}", camel(p.service.zone().key()));
        if !zones.contains(&zone) {
            zones.push(zone.clone());
            m.resources.push(
                Resource::new(
                    zone_symbol.clone(),
                    ZONE_TYPE,
                    api::PRIVATE_DNS,
                    Expr::str(&zone),
                )
                .existing_in(ExistingIn::Here),
            );
        }
        // The assignment's ID names the role assignment (known before deploying, so what-if
        // can predict it); its identity's principal is known only once it exists.
        let assignment = symbol_of("policyAssignment", p);
        let label = symbol_of("", p);
        let label = format!("{}{}", label[..1].to_lowercase(), &label[1..]);
        let (id_param, principal_param) = (
            format!("{label}AssignmentId"),
            format!("{label}PrincipalId"),
        );
        m.params.push((
            Param::new(
                &id_param,
                ParamType::String,
                format!("Resource ID of assignment {}.", assignment_name(p)),
            ),
            Expr::id(&assignment),
        ));
        m.params.push((
            Param::new(
                &principal_param,
                ParamType::String,
                format!(
                    "Principal ID of the identity of assignment {}.",
                    assignment_name(p)
                ),
            ),
            principal_of(&assignment),
        ));
        m.resources.push(role(
            &symbol_of("zoneContributor", p),
            &zone_symbol,
            ROLE_PRIVATE_DNS_ZONE_CONTRIBUTOR,
            Expr::param(&principal_param),
            Expr::param(&id_param),
            &format!(
                "Lets assignment {} join {} endpoints to {zone}.",
                assignment_name(p),
                p.service.group_id()
            ),
        ));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::private_link::Service;
    use crate::model::{GroupId, StorageSubresource};

    /// Azure takes at most 24 characters for an assignment's name at management-group scope:
    /// every group ID's assignment fits, the longest exactly.
    #[test]
    fn every_assignment_name_fits_the_management_group_limit() {
        let services = [
            Service::Media(GroupId::Keydelivery),
            Service::Media(GroupId::Streamingendpoint),
            Service::Media(GroupId::Liveevent),
            Service::ResourceManager,
            Service::Vault,
            Service::Topic,
            Service::Storage(StorageSubresource::Blob),
            Service::StorageSecondary(StorageSubresource::Table),
        ];
        let longest = services
            .into_iter()
            .map(|service| {
                assignment_name(&CompanionPolicy {
                    service,
                    zone_id: String::new(),
                })
                .len()
            })
            .max();
        assert_eq!(longest, Some(MAX_ASSIGNMENT_NAME));
    }
}
