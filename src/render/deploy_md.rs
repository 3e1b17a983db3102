//! DEPLOY.md: how to deploy this output, what to do after, and how to check private DNS. The
//! template reads one typed view, so every name it uses is a field here.

use serde::Serialize;

use super::summary::Summary;
use super::Format;
use crate::error::Result;
use crate::model::*;
use crate::template::ir::Template;
use crate::template::resource_manager::FILE_STEM as RMPL_STEM;

#[derive(Serialize)]
struct DeployView<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    flowchart: &'a str,
    topology_file: &'static str,
    account: &'a str,
    storage: &'a str,
    location: &'a Option<String>,
    /// Which command blocks to write.
    arm: bool,
    bicep: bool,
    /// What the parameters files set `deployMediaServices` to.
    deploy_media: bool,
    /// Nested deployments other than Media Services' own that also wait for the switch.
    media_modules: Vec<&'a str>,
    public: bool,
    system_identity: bool,
    warnings: Vec<String>,
    storage_subresources: Vec<&'static str>,
    storage_suffix: &'static str,
    streaming_endpoints: Vec<&'a str>,
    live_events: Vec<&'a str>,
    #[serde(flatten)]
    vault: VaultView<'a>,
    #[serde(flatten)]
    events: EventsView<'a>,
    /// The Resource Manager private link's section, and its names when there is one.
    rmpl: bool,
    #[serde(flatten)]
    resource_manager: Option<ResourceManagerView<'a>>,
}

/// The customer-managed key and its vault, created here or existing.
#[derive(Serialize)]
struct VaultView<'a> {
    cmk: bool,
    cmk_existing: bool,
    cmk_vault: &'a str,
    cmk_key: &'a str,
    new_vault: bool,
    existing_vault_id: Option<&'a str>,
    vault_name: Option<&'a str>,
    /// An existing vault that gets an endpoint here (its approval permission is named).
    existing_vault_endpoint: bool,
    vault_suffix: &'static str,
    vault_zone: String,
}

#[derive(Serialize)]
struct EventsView<'a> {
    events: bool,
    events_types: String,
    events_kind: &'static str,
    events_queue: &'a str,
    events_hub: String,
    events_topic: &'a str,
}

#[derive(Serialize)]
struct ResourceManagerView<'a> {
    rmpl_stem: &'static str,
    rmpl_files: String,
    rmpl_name: &'a str,
    rmpl_vnet: &'a str,
    rmpl_rg: &'a str,
    rmpl_sub: &'a str,
    rmpl_mg: &'a str,
    rmpl_location: &'a str,
}

fn vault_view(d: &Deployment) -> VaultView<'_> {
    let key = d.media.customer_key();
    let vault = key.map(|k| &k.vault);
    let existing = matches!(vault, Some(KeyVault::Existing { .. }));
    VaultView {
        cmk: key.is_some(),
        cmk_existing: existing,
        cmk_vault: vault.map(KeyVault::name).unwrap_or_default(),
        cmk_key: key.map(|k| k.key_name.as_str()).unwrap_or_default(),
        new_vault: matches!(vault, Some(KeyVault::New { .. })),
        existing_vault_id: match vault {
            Some(KeyVault::Existing { id, .. }) => Some(id),
            _ => None,
        },
        vault_name: vault.map(KeyVault::name),
        existing_vault_endpoint: existing
            && d.targets().iter().any(|t| t.service == Service::Vault),
        vault_suffix: private_link::vault_suffix(d.cloud),
        vault_zone: Zone::Vault.name(d.cloud).unwrap_or_default(),
    }
}

fn events_view(d: &Deployment) -> EventsView<'_> {
    let eg = d.event_grid.as_ref();
    let destination = eg.map(|e| &e.destination);
    EventsView {
        events: eg.is_some(),
        events_types: eg.map(|e| e.event_types.join(", ")).unwrap_or_default(),
        events_kind: match destination {
            Some(Destination::StorageQueue { .. }) => "storageQueue",
            Some(Destination::EventHub { .. }) => "eventHub",
            Some(Destination::Webhook) => "webhook",
            None => "",
        },
        events_queue: match destination {
            Some(Destination::StorageQueue { queue }) => queue,
            _ => "",
        },
        events_hub: match destination {
            Some(Destination::EventHub { namespace, hub, .. }) => format!("{namespace}/{hub}"),
            _ => String::new(),
        },
        events_topic: eg
            .and_then(|e| e.custom_topic.as_deref())
            .unwrap_or_default(),
    }
}

fn resource_manager_view(rm: &ResourceManagerLink) -> ResourceManagerView<'_> {
    ResourceManagerView {
        rmpl_stem: RMPL_STEM,
        rmpl_files: format!("{RMPL_STEM}.json / .bicep"),
        rmpl_name: &rm.name,
        rmpl_vnet: &rm.subnet.vnet_name,
        rmpl_rg: &rm.subnet.resource_group,
        rmpl_sub: &rm.subnet.subscription_id,
        rmpl_mg: &rm.management_group_id,
        rmpl_location: rm.subnet.location.as_deref().unwrap_or("<region>"),
    }
}

pub fn render(d: &Deployment, t: &Template, format: Format, flowchart: &str) -> Result<String> {
    let summary = super::summary::summarise(d, t);
    let view = DeployView {
        summary: &summary,
        flowchart: flowchart.trim_end(),
        topology_file: super::TOPOLOGY_FILE,
        account: &d.media.name,
        storage: &d.storage.name,
        location: &d.location,
        arm: matches!(format, Format::Arm | Format::Both),
        bicep: matches!(format, Format::Bicep | Format::Both),
        deploy_media: d.media.deploy,
        media_modules: t
            .modules
            .iter()
            .filter(|m| m.condition.is_some() && m.symbol != crate::template::MEDIA_MODULE)
            .map(|m| m.symbol.as_str())
            .collect(),
        public: d.is_public(),
        system_identity: d.media.identity == IdentityKind::SystemAssigned,
        warnings: d.warnings.iter().map(ToString::to_string).collect(),
        storage_subresources: d.storage.subresources.iter().map(|s| s.as_str()).collect(),
        storage_suffix: private_link::storage_suffix(d.cloud),
        streaming_endpoints: d
            .media
            .streaming_endpoints
            .iter()
            .map(|e| e.name.as_str())
            .collect(),
        live_events: d
            .media
            .live_events
            .iter()
            .map(|e| e.name.as_str())
            .collect(),
        vault: vault_view(d),
        events: events_view(d),
        rmpl: d.resource_manager.is_some(),
        resource_manager: d.resource_manager.as_ref().map(resource_manager_view),
    };
    let ctx = tera::Context::from_serialize(&view).map_err(|e| {
        crate::error::Error::Internal(format!("the DEPLOY.md view does not serialise: {e}"))
    })?;
    super::templates::render("DEPLOY.md.tera", &ctx)
}
