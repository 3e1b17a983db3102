//! DEPLOY.md: how to deploy this output, what to do after, and how to check private DNS.

use super::Format;
use crate::error::Result;
use crate::model::*;
use crate::template::ir::Template;

pub fn render(d: &Deployment, t: &Template, format: Format, flowchart: &str) -> Result<String> {
    let summary = super::summary::summarise(d, t);
    let mut ctx = tera::Context::new();
    ctx.insert("flowchart", flowchart.trim_end());
    ctx.insert("topology_file", super::TOPOLOGY_FILE);
    ctx.insert("account", &d.media.name);
    ctx.insert("storage", &d.storage.name);
    ctx.insert("location", &d.location);
    ctx.insert("arm", &matches!(format, Format::Arm | Format::Both));
    ctx.insert("bicep", &matches!(format, Format::Bicep | Format::Both));
    ctx.insert("counts", &summary.counts);
    ctx.insert("media_counts", &summary.media_counts);
    ctx.insert("deploy_media", &d.media.deploy);
    let conditional: Vec<String> = t
        .modules
        .iter()
        .filter(|m| m.condition.is_some() && m.symbol != crate::template::MEDIA_MODULE)
        .map(|m| m.symbol.clone())
        .collect();
    ctx.insert("media_modules", &conditional);
    ctx.insert(
        "new_vault",
        &matches!(
            d.media.customer_key().map(|k| &k.vault),
            Some(KeyVault::New { .. })
        ),
    );
    ctx.insert(
        "existing_vault_id",
        &match d.media.customer_key().map(|k| &k.vault) {
            Some(KeyVault::Existing { id, .. }) => Some(id.clone()),
            _ => None,
        },
    );
    ctx.insert(
        "vault_name",
        &d.media.customer_key().map(|k| k.vault.name().to_owned()),
    );

    ctx.insert("vnets", &summary.vnets);
    ctx.insert("resolution", &summary.resolution);
    ctx.insert("connections", &summary.connections);
    ctx.insert("existing_links", &summary.existing_links);
    ctx.insert("linked_existing", &summary.linked_existing);
    ctx.insert("foreign_zones", &summary.foreign_zones);
    ctx.insert("permissions", &summary.permissions);
    ctx.insert("storage_suffix", private_link::storage_suffix(d.cloud));
    let vault_suffix = private_link::vault_suffix(d.cloud);
    let vault_zone = Zone::Vault.name(d.cloud).unwrap_or_default();
    ctx.insert("vault_suffix", vault_suffix);
    ctx.insert("vault_zone", &vault_zone);
    let existing_vault_endpoint = d.targets().iter().any(|t| t.service == Service::Vault)
        && matches!(
            d.media.customer_key().map(|k| &k.vault),
            Some(KeyVault::Existing { .. })
        );
    ctx.insert("existing_vault_endpoint", &existing_vault_endpoint);
    ctx.insert("zones", &summary.zones);
    ctx.insert("public", &d.is_public());
    ctx.insert(
        "system_identity",
        &(d.media.identity == IdentityKind::SystemAssigned),
    );
    ctx.insert("dns_mode", &summary.dns_mode);
    let eg = d.event_grid.as_ref();
    ctx.insert("events", &eg.is_some());
    ctx.insert(
        "events_types",
        &eg.map(|e| e.event_types.join(", ")).unwrap_or_default(),
    );
    ctx.insert(
        "events_kind",
        match eg.map(|e| &e.destination) {
            Some(Destination::StorageQueue { .. }) => "storageQueue",
            Some(Destination::EventHub { .. }) => "eventHub",
            Some(Destination::Webhook) => "webhook",
            None => "",
        },
    );
    ctx.insert(
        "events_queue",
        match eg.map(|e| &e.destination) {
            Some(Destination::StorageQueue { queue }) => queue.as_str(),
            _ => "",
        },
    );
    ctx.insert(
        "events_hub",
        &match eg.map(|e| &e.destination) {
            Some(Destination::EventHub { namespace, hub, .. }) => format!("{namespace}/{hub}"),
            _ => String::new(),
        },
    );
    ctx.insert(
        "events_topic",
        &eg.and_then(|e| e.custom_topic.as_deref())
            .unwrap_or_default(),
    );
    let rm = d.resource_manager.as_ref();
    ctx.insert("rmpl", &rm.is_some());
    if let Some(rm) = rm {
        ctx.insert("rmpl_stem", crate::template::resource_manager::FILE_STEM);
        ctx.insert(
            "rmpl_files",
            &format!(
                "{}.json / .bicep",
                crate::template::resource_manager::FILE_STEM
            ),
        );
        ctx.insert("rmpl_name", &rm.name);
        ctx.insert("rmpl_vnet", &rm.subnet.vnet_name);
        ctx.insert("rmpl_rg", &rm.subnet.resource_group);
        ctx.insert("rmpl_sub", &rm.subnet.subscription_id);
        ctx.insert("rmpl_mg", &rm.management_group_id);
        ctx.insert(
            "rmpl_location",
            &rm.subnet.location.as_deref().unwrap_or("<region>"),
        );
    }
    let key = d.media.customer_key();
    ctx.insert("cmk", &key.is_some());
    ctx.insert(
        "cmk_existing",
        &matches!(key.map(|k| &k.vault), Some(KeyVault::Existing { .. })),
    );
    ctx.insert(
        "cmk_vault",
        &key.map(|k| k.vault.name()).unwrap_or_default(),
    );
    ctx.insert(
        "cmk_key",
        &key.map(|k| k.key_name.as_str()).unwrap_or_default(),
    );
    ctx.insert(
        "streaming_endpoints",
        &d.media
            .streaming_endpoints
            .iter()
            .map(|e| e.name.clone())
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "live_events",
        &d.media
            .live_events
            .iter()
            .map(|e| e.name.clone())
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "warnings",
        &d.warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "storage_subresources",
        &d.storage
            .subresources
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
    );
    super::templates::render("DEPLOY.md.tera", &ctx)
}
