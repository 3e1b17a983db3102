//! DEPLOY.md: the Resource Manager private link section
//! (`templates/deploy/resource-manager.md.tera`).

use serde::Serialize;

use crate::model::*;
use crate::template::resource_manager::FILE_STEM as RMPL_STEM;

/// What the Resource Manager section reads.
#[derive(Serialize)]
pub(super) struct ResourceManagerView<'a> {
    rmpl_stem: &'static str,
    rmpl_files: String,
    rmpl_name: &'a str,
    rmpl_vnet: &'a str,
    rmpl_rg: &'a str,
    rmpl_sub: &'a str,
    rmpl_mg: &'a str,
    rmpl_location: &'a str,
    /// Its own DNS creates the `privatelink.azure.com` zone (its VNet's setting, or the
    /// default one), which is then linked to that VNet only.
    rmpl_zone_created: bool,
    /// Its zone group is left to Azure Policy: the wait script checks it on its own.
    rmpl_policy: bool,
    rmpl_endpoint: String,
    /// The API version of the association, for the `az rest` teardown.
    rmpl_api: &'static str,
}

pub(super) fn resource_manager_view(rm: &ResourceManagerLink) -> ResourceManagerView<'_> {
    ResourceManagerView {
        rmpl_stem: RMPL_STEM,
        rmpl_files: format!("{RMPL_STEM}.json / .bicep"),
        rmpl_name: &rm.name,
        rmpl_vnet: &rm.subnet.vnet_name,
        rmpl_rg: &rm.subnet.resource_group,
        rmpl_sub: &rm.subnet.subscription_id,
        rmpl_mg: &rm.management_group_id,
        rmpl_location: rm.subnet.location.as_deref().unwrap_or("<region>"),
        rmpl_zone_created: matches!(rm.dns, Dns::Create(_)),
        rmpl_policy: matches!(rm.dns, Dns::Policy(_)),
        rmpl_endpoint: Target {
            service: Service::ResourceManager,
            resource: rm.name.clone(),
        }
        .endpoint_name(&rm.subnet.vnet_name),
        rmpl_api: crate::template::api::RESOURCE_MANAGEMENT_PRIVATE_LINK,
    }
}
