//! Internet exposure: every door a deployment has, who can reach it (which internet
//! addresses, which VNets through a private endpoint), and a warning for each one left open.

use serde::Serialize;

use crate::diagnostic::{rules, Rule, Warning};

use super::*;

fn warn(
    rule: &'static Rule,
    pointer: impl Into<String>,
    subject: impl Into<String>,
    message: impl Into<String>,
) -> Warning {
    Warning {
        subject: subject.into(),
        message: message.into(),
        rule,
        pointer: pointer.into(),
        origin: None,
    }
}

fn describe(allow: &[AllowEntry]) -> String {
    let list: Vec<String> = allow.iter().map(|a| display_net(&a.net)).collect();
    list.join(", ")
}

/// What an allowlist on a public endpoint leaves open: an empty list closes the door, and
/// one entry covering everything opens it to all.
fn reach_of(entries: &[AllowEntry]) -> Internet {
    if entries.iter().any(AllowEntry::is_everything) {
        Internet::Everyone
    } else if entries.is_empty() {
        Internet::Closed
    } else {
        Internet::Allowlist {
            ranges: entries.iter().map(|a| display_net(&a.net)).collect(),
        }
    }
}

/// The warning an allowlist on a public endpoint deserves; none for a closed one.
fn allowlist(pointer: String, subject: String, entries: &[AllowEntry]) -> Option<Warning> {
    match reach_of(entries) {
        Internet::Everyone => Some(warn(
            &rules::OPEN_TO_ALL,
            pointer,
            subject,
            format!(
                "the allowlist covers the whole internet ({})",
                describe(entries)
            ),
        )),
        Internet::Allowlist { .. } => Some(warn(
            &rules::ALLOWLIST,
            pointer,
            subject,
            format!("reachable from the internet at {}", describe(entries)),
        )),
        Internet::Closed => None,
    }
}

/// Where a streaming endpoint is written; the `default` the file leaves out is only there as
/// part of the list.
fn streaming_endpoint_pointer(e: &StreamingEndpoint) -> String {
    e.file_index.map_or_else(
        || "/mediaServices/streamingEndpoints".to_owned(),
        |i| format!("/mediaServices/streamingEndpoints/{i}"),
    )
}

/// The DNS setting a VNet follows: its own, or `privateLink.dns`.
fn dns_pointer(d: &Deployment, index: usize) -> String {
    match d
        .values
        .network
        .vnets
        .get(index)
        .and_then(|v| v.dns.as_ref())
    {
        Some(_) => format!("/network/vnets/{index}/dns"),
        None => "/privateLink/dns".to_owned(),
    }
}

pub fn warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    let media = &d.media;
    let public = d.is_public();

    if public {
        out.push(warn(
            &rules::PUBLIC_ACCESS,
            "/mediaServices/publicNetworkAccess",
            "Media Services account",
            "publicNetworkAccess is Enabled: the private endpoints add a private path but do not close the public one; only the IP allowlists below restrict internet access",
        ));
        if media.key_delivery_default == DefaultAction::Allow {
            out.push(warn(
                &rules::OPEN_TO_ALL,
                "/mediaServices/keyDelivery/defaultAction",
                "key delivery",
                "defaultAction is Allow: any internet address can request content keys",
            ));
        } else {
            let entries: Vec<AllowEntry> = media
                .key_delivery_allow
                .iter()
                .map(|n| AllowEntry { net: *n })
                .collect();
            out.extend(allowlist(
                "/mediaServices/keyDelivery/ipAllowList".into(),
                "key delivery".into(),
                &entries,
            ));
        }
        for e in &media.streaming_endpoints {
            let subject = format!("streaming endpoint '{}'", e.name);
            let at = streaming_endpoint_pointer(e);
            if e.cdn_enabled {
                out.push(warn(&rules::CDN, format!("{at}/cdnEnabled"), subject, "CDN is enabled: content is served publicly through the CDN and no IP allowlist applies"));
            } else {
                out.extend(allowlist(format!("{at}/ipAllowList"), subject, &e.allow));
            }
        }
        for (i, e) in media.live_events.iter().enumerate() {
            for (what, key, allow) in [
                ("ingest", "ingestAllowList", &e.ingest_allow),
                ("preview", "previewAllowList", &e.preview_allow),
            ] {
                out.extend(allowlist(
                    format!("/mediaServices/liveEvents/{i}/{key}"),
                    format!("live event '{}' {what}", e.name),
                    allow,
                ));
            }
        }
    } else {
        let has_live = !media.live_events.is_empty();
        if has_live && !d.groups.contains(&GroupId::Liveevent) {
            out.push(warn(
                &rules::UNREACHABLE,
                "/privateLink/groups",
                "live events",
                "publicNetworkAccess is Disabled and there is no liveevent private endpoint: no encoder can reach the live events",
            ));
        }
        if !d.groups.contains(&GroupId::Streamingendpoint) {
            out.push(warn(
                &rules::UNREACHABLE,
                "/privateLink/groups",
                "streaming endpoints",
                "publicNetworkAccess is Disabled and there is no streamingendpoint private endpoint: no player can reach the streaming endpoints",
            ));
        }
    }
    if !d.storage.ip_rules.is_empty() {
        out.push(warn(
            &rules::STORAGE_FIREWALL,
            "/storage/ipRules",
            "storage account",
            format!(
                "the firewall lets these public addresses in: {}",
                d.storage.ip_rules.join(", ")
            ),
        ));
    }
    if media.identity == IdentityKind::SystemAssigned {
        out.push(warn(
            &rules::TWO_PHASE,
            "/mediaServices/identity",
            "managed identity",
            "systemAssigned needs a second deployment: the account starts with key-based storage access and switches to its identity only after the role assignments exist (DEPLOY.md, phase 2)",
        ));
    }
    if let Some(key) = media.customer_key() {
        out.push(warn(
            &rules::KEY_AVAILABILITY,
            "/mediaServices/encryption",
            "customer-managed key",
            "if the key is deleted or disabled, or the identity loses its role on the vault, the account becomes read-only until access returns",
        ));
        if let KeyVault::Existing { name, .. } = &key.vault {
            out.push(warn(
                &rules::SHARED_VAULT,
                "/mediaServices/encryption/existingKey/vaultId",
                format!("key vault '{name}'"),
                "it is not created here: it must use RBAC authorization (the identity is granted a role, not an access policy) and have soft delete and purge protection on",
            ));
        }
    }
    if let Some(eg) = &d.event_grid {
        if matches!(eg.destination, Destination::Webhook) {
            out.push(warn(
                &rules::WEBHOOK,
                "/eventGrid/destination",
                "Event Grid webhook",
                "events are delivered over the internet to the webhook; its URL is the secure deployment parameter eventGridWebhookUrl",
            ));
        }
        if let Some(topic) = &eg.custom_topic {
            out.push(warn(
                &rules::TOPIC_PRIVATE,
                "/eventGrid/customTopic",
                format!("Event Grid topic '{topic}'"),
                "public network access is disabled, so Event Grid itself cannot deliver into it: publish to it from inside the VNets (for example a function reading the events)",
            ));
        }
    }
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
    }
    // Per VNet: DNS left to someone else, and links into VNets this tool does not own.
    for (i, vnet) in d.vnets.iter().enumerate() {
        let subject = || format!("VNet '{}'", vnet.key());
        match &vnet.dns {
            Dns::None => out.push(warn(
                &rules::DNS_UNMANAGED,
                dns_pointer(d, i),
                subject(),
                "DNS mode none: nothing makes the private names resolve to the endpoints from this VNet; clients keep using the public addresses unless your own DNS answers",
            )),
            Dns::Policy => out.push(warn(
                &rules::DNS_POLICY,
                dns_pointer(d, i),
                subject(),
                "DNS mode policy: no zone group is written here; until your Azure Policy adds one, the names resolve publicly",
            )),
            Dns::Create(home) if vnet.existing().is_some() => {
                out.push(warn(
                    &rules::LINK_EXISTING,
                    format!("/network/vnets/{i}/linkNewZones"),
                    subject(),
                    "zones created here are linked to this existing VNet (linkNewZones), with NxDomainRedirect so other privatelink names still resolve publicly; if the VNet already links a zone of the same name, the deployment fails",
                ));
                if let ZoneHome::Group { resource_group, .. } = home {
                    out.push(warn(
                        &rules::ZONES_ELSEWHERE,
                        dns_pointer(d, i),
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
            &rules::LINK_EXISTING,
            "/resourceManagerPrivateLink/linkNewZones",
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
            &rules::VAULT_ENDPOINT,
            "/mediaServices/encryption/existingKey/privateEndpoint",
            format!("key vault '{name}'"),
            "an endpoint is added to this existing vault (existingKey.privateEndpoint): if the vault already has an endpoint registering in the same zone, its record is replaced, and every VNet resolving through that zone then reaches the vault through this endpoint",
        ));
    }
    // A private endpoint must be in its VNet's region; without a location the tool can only
    // assume the deployment's.
    for (i, vnet) in d.vnets.iter().enumerate().filter(|(_, v)| v.endpoints) {
        let Some(e) = vnet.existing() else { continue };
        if e.location.is_none() {
            let region = d.location.as_deref().map_or_else(
                || "the deployment's region (the resource group's)".to_owned(),
                |l| format!("the deployment's region, {l}"),
            );
            out.push(warn(
                &rules::REGION_ASSUMED,
                format!("/network/vnets/{i}/existingSubnetId"),
                format!("existing VNet '{}'", e.vnet_name),
                format!("no location given, so its private endpoints are created in {region}; an endpoint must be in its VNet's region: set location on this VNet if it is elsewhere"),
            ));
        }
    }
    out
}

/// Who can reach a door from the internet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Internet {
    /// No internet address gets in.
    Closed,
    /// Every internet address.
    Everyone,
    /// Only these addresses and ranges.
    Allowlist { ranges: Vec<String> },
}

/// One way into a service of this deployment, and everyone who can use it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Door {
    /// "key delivery", "streaming endpoint 'default'", "storage account contosostore".
    pub name: String,
    /// The service it belongs to.
    #[serde(skip)]
    pub service: DoorOf,
    /// Doors of one kind ("live event ingest"), which a picture may draw as one.
    #[serde(skip)]
    pub family: String,
    pub internet: Internet,
    /// The setting that decides it, in words.
    pub why: String,
    /// Where that setting is in the values (JSON pointer).
    pub pointer: String,
    /// The VNets whose clients resolve this door's name to a private endpoint they reach.
    pub private_from: Vec<String>,
}

/// Which service a door belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorOf {
    Media,
    Storage,
    Vault,
    Topic,
}

/// The VNets that resolve some target of `service` to an endpoint.
fn private_from(d: &Deployment, service: impl Fn(Service) -> bool) -> Vec<String> {
    d.resolution
        .vnets
        .iter()
        .filter(|v| {
            v.names
                .iter()
                .any(|n| service(n.target.service) && matches!(n.answer, Answer::Endpoint { .. }))
        })
        .map(|v| v.vnet.clone())
        .collect()
}

/// A door behind an allowlist, with the words for why.
fn listed(entries: &[AllowEntry], closed_why: &str, open_why: &str) -> (Internet, String) {
    let internet = reach_of(entries);
    let why = match internet {
        Internet::Everyone => format!("{open_why} covers the whole internet"),
        Internet::Closed => closed_why.to_owned(),
        Internet::Allowlist { .. } => open_why.to_owned(),
    };
    (internet, why)
}

/// Every door, Media Services' first, then storage, the vault and the topic.
pub fn doors(d: &Deployment) -> Vec<Door> {
    let media = &d.media;
    let closed_account = || {
        (
            Internet::Closed,
            "publicNetworkAccess Disabled on the account".to_owned(),
        )
    };
    let mut out = Vec::new();
    let mut door = |(service, family): (DoorOf, &str),
                    name: String,
                    (internet, why): (Internet, String),
                    pointer: String,
                    from| {
        out.push(Door {
            name,
            service,
            family: family.to_owned(),
            internet,
            why,
            pointer,
            private_from: from,
        });
    };
    let public = d.is_public();
    let key_delivery = if !public {
        closed_account()
    } else if media.key_delivery_default == DefaultAction::Allow {
        (Internet::Everyone, "keyDelivery defaultAction Allow".into())
    } else {
        let entries: Vec<AllowEntry> = media
            .key_delivery_allow
            .iter()
            .map(|n| AllowEntry { net: *n })
            .collect();
        listed(
            &entries,
            "keyDelivery defaultAction Deny, empty allowlist",
            "keyDelivery allowlist",
        )
    };
    door(
        (DoorOf::Media, "key delivery"),
        "key delivery".into(),
        key_delivery,
        if public {
            "/mediaServices/keyDelivery".into()
        } else {
            "/mediaServices/publicNetworkAccess".into()
        },
        private_from(d, |s| s == Service::Media(GroupId::Keydelivery)),
    );
    for e in &media.streaming_endpoints {
        let at = streaming_endpoint_pointer(e);
        let reach = if !public {
            closed_account()
        } else if e.cdn_enabled {
            (Internet::Everyone, "served through Azure CDN".into())
        } else {
            listed(&e.allow, "empty allowlist (deny-all entry)", "ipAllowList")
        };
        door(
            (DoorOf::Media, "streaming endpoint"),
            format!("streaming endpoint '{}'", e.name),
            reach,
            if public {
                at
            } else {
                "/mediaServices/publicNetworkAccess".into()
            },
            private_from(d, |s| s == Service::Media(GroupId::Streamingendpoint)),
        );
    }
    for (i, e) in media.live_events.iter().enumerate() {
        for (what, key, allow) in [
            ("ingest", "ingestAllowList", &e.ingest_allow),
            ("preview", "previewAllowList", &e.preview_allow),
        ] {
            let reach = if public {
                listed(allow, "empty allowlist (deny-all entry)", key)
            } else {
                closed_account()
            };
            door(
                (DoorOf::Media, &format!("live event {what}")),
                format!("live event '{}' {what}", e.name),
                reach,
                if public {
                    format!("/mediaServices/liveEvents/{i}/{key}")
                } else {
                    "/mediaServices/publicNetworkAccess".into()
                },
                private_from(d, |s| s == Service::Media(GroupId::Liveevent)),
            );
        }
    }
    let storage = if d.storage.ip_rules.is_empty() {
        (
            Internet::Closed,
            "firewall defaultAction Deny; trusted Azure services (Media Services) bypass it".into(),
        )
    } else {
        (
            Internet::Allowlist {
                ranges: d.storage.ip_rules.clone(),
            },
            "firewall ipRules; trusted Azure services (Media Services) bypass it".into(),
        )
    };
    door(
        (DoorOf::Storage, "storage account"),
        format!("storage account {}", d.storage.name),
        storage,
        "/storage/ipRules".into(),
        private_from(d, |s| matches!(s, Service::Storage(_))),
    );
    if let Some(KeyVault::New { name, .. }) = media.customer_key().map(|k| &k.vault) {
        door(
            (DoorOf::Vault, "key vault"),
            format!("key vault {name}"),
            (
                Internet::Closed,
                "publicNetworkAccess Disabled on the vault".into(),
            ),
            "/mediaServices/encryption/keyVault".into(),
            private_from(d, |s| s == Service::Vault),
        );
    }
    if let Some(topic) = d.event_grid.as_ref().and_then(|e| e.custom_topic.as_ref()) {
        door(
            (DoorOf::Topic, "Event Grid topic"),
            format!("Event Grid topic {topic}"),
            (
                Internet::Closed,
                "publicNetworkAccess Disabled on the topic".into(),
            ),
            "/eventGrid/customTopic".into(),
            private_from(d, |s| s == Service::Topic),
        );
    }
    out
}
