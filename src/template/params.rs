//! Template parameters: what a deployer may override per environment.

use super::*;

pub(crate) fn params(d: &Deployment) -> Vec<Param> {
    let mut out = Vec::new();
    let mut location = Param::new(P_LOCATION, ParamType::String, "Region of every resource except private endpoints in existing VNets elsewhere. Defaults to the resource group's region.");
    location.default = Some(Expr::ResourceGroupLocation);
    location.value = d.location.as_ref().map(|l| json!(l));
    out.push(location);

    out.push(derived_name_param(
        d,
        TargetResource::Media,
        name_param(
            P_MEDIA_NAME,
            "Media Services account name: 3-24 lowercase letters and digits, unique in the region.",
            24,
            &d.media.name,
        ),
    ));
    out.push(derived_name_param(
        d,
        TargetResource::Storage,
        name_param(
            P_STORAGE_NAME,
            "Storage account name: 3-24 lowercase letters and digits, globally unique.",
            24,
            &d.storage.name,
        ),
    ));

    let mut sku = Param::new(
        P_STORAGE_SKU,
        ParamType::String,
        "Storage replication (Standard only: Media Services needs blobs, queues and tables).",
    );
    // A read-access SKU gets endpoints for its secondary and a plain one none: the SKU may
    // change at deployment only to one of the same kind, or endpoints would be missing or fail.
    let read_access = private_link::read_access_secondary(&d.storage.sku);
    sku.allowed = storage_skus()
        .into_iter()
        .filter(|s| private_link::read_access_secondary(s) == read_access)
        .collect();
    sku.default = Some(Expr::str(d.storage.sku.as_str()));
    out.push(sku);

    // The optional services' own parameters, in the order the templates list them.
    out.extend(key_vault_params(d));
    out.extend(event_grid_params(d));
    match d.media.identity {
        IdentityKind::UserAssigned => out.push(name_param(
            P_IDENTITY_NAME,
            "Name of the user-assigned identity Media Services uses to reach its storage.",
            128,
            &identity_name(d),
        )),
        IdentityKind::SystemAssigned => {
            let mut auth = Param::new(P_STORAGE_AUTH, ParamType::String, "System (key-based) for the first deployment; ManagedIdentity for the second, once the role assignments exist (see DEPLOY.md).");
            auth.allowed = vec!["System".into(), "ManagedIdentity".into()];
            auth.default = Some(Expr::str("System"));
            // In both parameters files, so phase 2 is an edit of the file rather than a
            // command-line override (which a .bicepparam only takes from Azure CLI 2.54).
            auth.value = Some(json!("System"));
            out.push(auth);
        }
    }
    out
}

/// A resource name the deployer may override: at least 3 characters, at most `max_length`
/// (Azure's limit for that resource type), set to `value` in the parameters files.
pub(crate) fn name_param(name: &str, description: &str, max_length: usize, value: &str) -> Param {
    let mut param = Param::new(name, ParamType::String, description);
    param.min_length = Some(3);
    param.max_length = Some(max_length);
    param.value = Some(json!(value));
    param
}

/// `param` with its longest value cut to what keeps the names derived from it within Azure's
/// limits: the private endpoint names (64 characters) and their network interfaces' (80), in
/// every VNet. The template holds the resource's name as a parameter, so without this a
/// longer name given at deployment would break them (ARM has no pattern to check it by).
pub(crate) fn derived_name_param(
    d: &Deployment,
    resource: TargetResource,
    mut param: Param,
) -> Param {
    let own = param.max_length.unwrap_or(usize::MAX);
    let mut max = own;
    let targets: Vec<Target> = d
        .targets()
        .into_iter()
        .filter(|t| t.service.resource() == resource)
        .collect();
    for vnet in d.endpoint_vnets() {
        for target in &targets {
            let held = target.templated();
            for (text, limit) in [
                (held.endpoint_name(vnet.key()), MAX_ENDPOINT_NAME),
                (
                    held.nic_name(vnet.key(), vnet.nic_pattern(target)),
                    MAX_NIC_NAME,
                ),
            ] {
                let uses = text.matches("{0}").count();
                if uses > 0 {
                    let fixed = text.len() - uses * "{0}".len();
                    max = max.min(limit.saturating_sub(fixed) / uses);
                }
            }
        }
    }
    if max < own {
        param.max_length = Some(max);
        param.description = format!(
            "{} At most {max} characters here: the private endpoint and network interface names made from it must stay within Azure's limits.",
            param.description
        );
    }
    param
}

/// The storage SKUs the schema allows, read from the schema so there is one list.
pub(crate) fn storage_skus() -> Vec<String> {
    crate::schema::node_for_pointer("/storage/sku")
        .and_then(|n| n.get("enum"))
        .and_then(|e| e.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub fn identity_name(d: &Deployment) -> String {
    format!("id-{}", d.media.name)
}
