//! Internet exposure: every endpoint the chosen settings leave reachable from outside is named.

use crate::diagnostic::Warning;

use super::*;

fn warn(subject: impl Into<String>, message: impl Into<String>) -> Warning {
    Warning {
        subject: subject.into(),
        message: message.into(),
    }
}

fn describe(allow: &[AllowEntry]) -> String {
    let list: Vec<String> = allow.iter().map(|a| display_net(&a.net)).collect();
    list.join(", ")
}

/// What an allowlist on a public endpoint leaves open; nothing for an empty list.
fn allowlist(subject: String, entries: &[AllowEntry]) -> Option<Warning> {
    if entries.iter().any(AllowEntry::is_everything) {
        Some(warn(
            subject,
            format!(
                "the allowlist covers the whole internet ({})",
                describe(entries)
            ),
        ))
    } else if !entries.is_empty() {
        Some(warn(
            subject,
            format!("reachable from the internet at {}", describe(entries)),
        ))
    } else {
        None
    }
}

pub fn warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    let media = &d.media;
    let public = d.is_public();

    if public {
        out.push(warn(
            "Media Services account",
            "publicNetworkAccess is Enabled: the private endpoints add a private path but do not close the public one; only the IP allowlists below restrict internet access",
        ));
        if media.key_delivery_default == DefaultAction::Allow {
            out.push(warn(
                "key delivery",
                "defaultAction is Allow: any internet address can request content keys",
            ));
        } else {
            let entries: Vec<AllowEntry> = media
                .key_delivery_allow
                .iter()
                .map(|n| AllowEntry { net: *n })
                .collect();
            out.extend(allowlist("key delivery".into(), &entries));
        }
        for e in &media.streaming_endpoints {
            let subject = format!("streaming endpoint '{}'", e.name);
            if e.cdn_enabled {
                out.push(warn(subject, "CDN is enabled: content is served publicly through the CDN and no IP allowlist applies"));
            } else {
                out.extend(allowlist(subject, &e.allow));
            }
        }
        for e in &media.live_events {
            for (what, allow) in [("ingest", &e.ingest_allow), ("preview", &e.preview_allow)] {
                out.extend(allowlist(format!("live event '{}' {what}", e.name), allow));
            }
        }
    } else {
        let has_live = !media.live_events.is_empty();
        if has_live && !d.groups.contains(&GroupId::Liveevent) {
            out.push(warn(
                "live events",
                "publicNetworkAccess is Disabled and there is no liveevent private endpoint: no encoder can reach the live events",
            ));
        }
        if !d.groups.contains(&GroupId::Streamingendpoint) {
            out.push(warn(
                "streaming endpoints",
                "publicNetworkAccess is Disabled and there is no streamingendpoint private endpoint: no player can reach the streaming endpoints",
            ));
        }
    }
    if !d.storage.ip_rules.is_empty() {
        out.push(warn(
            "storage account",
            format!(
                "the firewall lets these public addresses in: {}",
                d.storage.ip_rules.join(", ")
            ),
        ));
    }
    if media.identity == IdentityKind::SystemAssigned {
        out.push(warn(
            "managed identity",
            "systemAssigned needs a second deployment: the account starts with key-based storage access and switches to its identity only after the role assignments exist (DEPLOY.md, phase 2)",
        ));
    }
    if let Some(key) = media.customer_key() {
        out.push(warn(
            "customer-managed key",
            "if the key is deleted or disabled, or the identity loses its role on the vault, the account becomes read-only until access returns",
        ));
        if let KeyVault::Existing { name, .. } = &key.vault {
            out.push(warn(
                format!("key vault '{name}'"),
                "it is not created here: it must use RBAC authorization (the identity is granted a role, not an access policy) and have soft delete and purge protection on",
            ));
        }
    }
    if let Some(eg) = &d.event_grid {
        if matches!(eg.destination, Destination::Webhook) {
            out.push(warn(
                "Event Grid webhook",
                "events are delivered over the internet to the webhook; its URL is the secure deployment parameter eventGridWebhookUrl",
            ));
        }
        if let Some(topic) = &eg.custom_topic {
            out.push(warn(
                format!("Event Grid topic '{topic}'"),
                "public network access is disabled, so Event Grid itself cannot deliver into it: publish to it from inside the VNets (for example a function reading the events)",
            ));
        }
    }
    if let Some(rm) = &d.resource_manager {
        out.push(warn(
            "Resource Manager private link",
            format!(
                "tenant-wide: the association at the root management group {} covers every subscription in the tenant; it needs Owner (or Contributor) there, and Azure Bastion stops working in VNets linked to the privatelink.azure.com zone",
                rm.management_group_id
            ),
        ));
    }
    // Per VNet: DNS left to someone else, and links into VNets this tool does not own.
    for vnet in &d.vnets {
        let subject = || format!("VNet '{}'", vnet.key());
        match &vnet.dns {
            Dns::None => out.push(warn(
                subject(),
                "DNS mode none: nothing makes the private names resolve to the endpoints from this VNet; clients keep using the public addresses unless your own DNS answers",
            )),
            Dns::Policy => out.push(warn(
                subject(),
                "DNS mode policy: no zone group is written here; until your Azure Policy adds one, the names resolve publicly",
            )),
            Dns::Create(home) if vnet.existing().is_some() => {
                out.push(warn(
                    subject(),
                    "zones created here are linked to this existing VNet (linkNewZones), with NxDomainRedirect so other privatelink names still resolve publicly; if the VNet already links a zone of the same name, the deployment fails",
                ));
                if let ZoneHome::Group { resource_group, .. } = home {
                    out.push(warn(
                        subject(),
                        format!("its zones are created in its resource group {resource_group}: a zone of the same name already there would be taken over (updated, its records and links kept), and deploying this template into {resource_group} itself would make them the zones of the other VNets too"),
                    ));
                }
            }
            _ => {}
        }
    }
    if let Some(rm) = d
        .resource_manager
        .as_ref()
        .filter(|rm| matches!(rm.dns, Dns::Create(_)))
    {
        out.push(warn(
            format!("VNet '{}'", rm.subnet.vnet_name),
            "the privatelink.azure.com zone created with the Resource Manager private link is linked to this existing VNet, with NxDomainRedirect; if the VNet already links a zone of that name, the deployment fails",
        ));
    }
    if let Some(KeyVault::Existing {
        name,
        private_endpoint: true,
        ..
    }) = media.customer_key().map(|k| &k.vault)
    {
        out.push(warn(
            format!("key vault '{name}'"),
            "an endpoint is added to this existing vault (existingKey.privateEndpoint): if the vault already has an endpoint registering in the same zone, its record is replaced, and every VNet resolving through that zone then reaches the vault through this endpoint",
        ));
    }
    // A private endpoint must be in its VNet's region; without a location the tool can only
    // assume the deployment's.
    for e in d.endpoint_vnets().filter_map(Vnet::existing) {
        if e.location.is_none() {
            let region = d.location.as_deref().map_or_else(
                || "the deployment's region (the resource group's)".to_owned(),
                |l| format!("the deployment's region, {l}"),
            );
            out.push(warn(
                format!("existing VNet '{}'", e.vnet_name),
                format!("no location given, so its private endpoints are created in {region}; an endpoint must be in its VNet's region: set location on this VNet if it is elsewhere"),
            ));
        }
    }
    out
}
