//! Semantic rules: what the schema cannot say, checked all at once.

use std::collections::BTreeMap;

use ipnet::IpNet;

use crate::diagnostic::{rules, Problem, Rule};
use crate::error::{Error, Result};
use crate::values::RawValues;

use super::network::{self, AllowEntry, ExistingSubnet};
use super::*;

struct Checker<'a> {
    raw: &'a RawValues,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn fail(&mut self, pointer: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.problems.push(
            self.raw
                .problem(pointer, message)
                .hint(hint)
                .rule(area_rule(pointer)),
        );
    }

    fn allow_list(&mut self, pointer: &str, entries: &[String]) -> Vec<AllowEntry> {
        let mut out = Vec::new();
        for (i, text) in entries.iter().enumerate() {
            match network::parse_net(text) {
                Ok(net) => out.push(AllowEntry { net }),
                Err((message, hint)) => self.fail(&format!("{pointer}/{i}"), message, hint),
            }
        }
        out
    }

    fn nets(&mut self, pointer: &str, entries: &[String]) -> Vec<IpNet> {
        self.allow_list(pointer, entries)
            .into_iter()
            .map(|e| e.net)
            .collect()
    }

    fn unique_names<'n>(
        &mut self,
        pointer: &str,
        what: &str,
        names: impl Iterator<Item = &'n str>,
    ) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (i, name) in names.enumerate() {
            if let Some(first) = seen.insert(name.to_lowercase(), i) {
                self.fail(
                    &format!("{pointer}/{i}/name"),
                    format!("{what} `{name}` is listed twice (also at index {first}); names are not case-sensitive in Azure"),
                    format!("give each {what} its own name"),
                );
            }
        }
    }
}

/// A rule's finding is filed under the part of the values it is about.
fn area_rule(pointer: &str) -> &'static Rule {
    let top = pointer.split('/').nth(1).unwrap_or_default();
    match top {
        "mediaServices" => &rules::MEDIA,
        "storage" => &rules::STORAGE,
        "network" => &rules::NETWORK,
        "privateLink" => &rules::PRIVATE_LINK,
        "eventGrid" => &rules::EVENTS,
        "resourceManagerPrivateLink" => &rules::RESOURCE_MANAGER,
        _ => &rules::DESIGN,
    }
}

pub fn check(mut values: Values, raw: &RawValues) -> Result<Deployment> {
    let mut c = Checker {
        raw,
        problems: Vec::new(),
    };
    let ms = &values.media_services;

    // Key delivery.
    let key_delivery_allow = c.nets(
        "/mediaServices/keyDelivery/ipAllowList",
        &ms.key_delivery.ip_allow_list,
    );
    if ms.key_delivery.default_action == DefaultAction::Allow
        && !ms.key_delivery.ip_allow_list.is_empty()
    {
        c.fail(
            "/mediaServices/keyDelivery/ipAllowList",
            "an allowlist has no effect when defaultAction is Allow (Azure rejects the combination)",
            "set defaultAction: Deny to restrict key delivery to these addresses, or remove the list",
        );
    }

    // Streaming endpoints (the user's, at their own indexes).
    c.unique_names(
        "/mediaServices/streamingEndpoints",
        "streaming endpoint",
        ms.streaming_endpoints.iter().map(|e| e.name.as_str()),
    );
    let wants_se_link = values
        .private_link
        .groups
        .contains(&GroupId::Streamingendpoint);
    let mut streaming_endpoints = Vec::new();
    for (i, e) in ms.streaming_endpoints.iter().enumerate() {
        let pointer = format!("/mediaServices/streamingEndpoints/{i}");
        let allow = c.allow_list(&format!("{pointer}/ipAllowList"), &e.ip_allow_list);
        if e.cdn_enabled && wants_se_link {
            c.fail(
                &format!("{pointer}/cdnEnabled"),
                format!("streaming endpoint `{}` has CDN enabled, and a CDN endpoint cannot be reached through private link (the CDN serves the traffic)", e.name),
                "set cdnEnabled: false to stream privately, or remove streamingendpoint from privateLink.groups if this endpoint is meant to be public through the CDN",
            );
        }
        if e.cdn_enabled && !e.ip_allow_list.is_empty() {
            c.fail(
                &format!("{pointer}/ipAllowList"),
                format!(
                    "streaming endpoint `{}` has CDN enabled, which turns its IP allowlist off",
                    e.name
                ),
                "remove ipAllowList (restrict at the CDN instead) or set cdnEnabled: false",
            );
        }
        streaming_endpoints.push(StreamingEndpoint {
            name: e.name.clone(),
            description: e.description.clone(),
            scale_units: e.scale_units,
            cdn_enabled: e.cdn_enabled,
            allow,
            file_index: Some(i),
        });
    }

    // Live events.
    c.unique_names(
        "/mediaServices/liveEvents",
        "live event",
        ms.live_events.iter().map(|e| e.name.as_str()),
    );
    let mut live_events = Vec::new();
    for (i, e) in ms.live_events.iter().enumerate() {
        let pointer = format!("/mediaServices/liveEvents/{i}");
        live_events.push(LiveEvent {
            name: e.name.clone(),
            description: e.description.clone(),
            streaming_protocol: e.streaming_protocol,
            encoding_type: e.encoding_type,
            ingest_allow: c.allow_list(&format!("{pointer}/ingestAllowList"), &e.ingest_allow_list),
            preview_allow: c.allow_list(
                &format!("{pointer}/previewAllowList"),
                &e.preview_allow_list,
            ),
        });
    }

    // Group IDs need something to connect to.
    if values.private_link.groups.contains(&GroupId::Liveevent) && ms.live_events.is_empty() {
        let i = values
            .private_link
            .groups
            .iter()
            .position(|g| *g == GroupId::Liveevent)
            .unwrap_or(0);
        c.fail(
            &format!("/privateLink/groups/{i}"),
            "a liveevent private endpoint is requested but the account has no live events, so it would connect to nothing",
            "add a live event under mediaServices.liveEvents, or remove liveevent from privateLink.groups",
        );
    }

    // Storage firewall.
    let mut ip_rules = Vec::new();
    for (i, rule) in values.storage.ip_rules.iter().enumerate() {
        match network::parse_storage_rule(rule) {
            Ok(r) => ip_rules.push(r),
            Err((message, hint)) => c.fail(&format!("/storage/ipRules/{i}"), message, hint),
        }
    }

    // Encryption.
    let encryption = check_encryption(&mut c, &values);

    // Events.
    let event_grid = check_event_grid(&mut c, &mut values);

    // Resource Manager private link.
    let resource_manager = check_resource_manager(&mut c, &mut values);

    // The `default` streaming endpoint exists on every account and is open to all IPv4 unless
    // restricted, so it is always rendered with the chosen restriction.
    if !streaming_endpoints
        .iter()
        .any(|e| e.name.eq_ignore_ascii_case(DEFAULT_STREAMING_ENDPOINT))
    {
        streaming_endpoints.insert(
            0,
            StreamingEndpoint {
                name: DEFAULT_STREAMING_ENDPOINT.to_owned(),
                description: None,
                scale_units: 0,
                cdn_enabled: false,
                allow: Vec::new(),
                file_index: None,
            },
        );
        values.media_services.streaming_endpoints.insert(
            0,
            StreamingEndpointValues {
                name: DEFAULT_STREAMING_ENDPOINT.to_owned(),
                description: None,
                scale_units: 0,
                cdn_enabled: false,
                ip_allow_list: Vec::new(),
            },
        );
    }

    let ms = &values.media_services;
    let media = Media {
        name: ms.name.clone(),
        deploy: ms.deploy,
        identity: ms.identity,
        minimum_tls_version: ms.minimum_tls_version,
        public_network_access: ms.public_network_access,
        encryption,
        key_delivery_default: ms.key_delivery.default_action,
        key_delivery_allow,
        streaming_endpoints,
        live_events,
    };
    let storage = Storage {
        name: values.storage.name.clone(),
        sku: values.storage.sku.clone(),
        subresources: values.storage.private_endpoints.clone(),
        ip_rules,
    };
    let groups = values.private_link.groups.clone();
    let targets = private_link::targets_of(&media, &groups, &storage, event_grid.as_ref());
    let mut needed: Vec<Zone> = targets.iter().map(|t| t.service.zone()).collect();
    needed.dedup();

    // Zone names for the chosen cloud.
    let cloud = values.cloud;
    let rm_zone = resource_manager.as_ref().map(|_| Zone::ResourceManager);
    for zone in needed.iter().copied().chain(rm_zone) {
        if let Err(why) = zone.name(cloud) {
            let (pointer, fix) = match zone {
                Zone::Media => ("/privateLink/groups", "remove the Media Services group IDs (privateLink.groups: []), or deploy to AzureCloud"),
                Zone::ResourceManager => ("/resourceManagerPrivateLink", "remove resourceManagerPrivateLink, or deploy to AzureCloud"),
                _ => ("/cloud", "deploy to AzureCloud"),
            };
            c.fail(
                pointer,
                format!("{why}; the tool does not guess a zone name"),
                fix,
            );
        }
    }

    // DNS, then the networks that use it.
    // The Resource Manager zone ID is read from here unless the endpoint's VNet has its own.
    let dns = check_dns(
        &mut c,
        "/privateLink/dns",
        &values.private_link.dns,
        &needed,
        cloud,
        ZoneHome::Here,
        resource_manager.is_some(),
    );
    let rm_vnet = resource_manager.as_ref().map(|rm| rm.subnet.vnet_id());
    let vnets = check_vnets(&mut c, &values, &needed, &dns, rm_vnet.as_deref());
    let mut resource_manager = resource_manager;
    if let Some(rm) = resource_manager.as_mut() {
        check_resource_manager_dns(&mut c, &values, &vnets, &dns, rm);
    }

    // Derived names must still fit Azure's limits, for every target in every VNet that gets
    // endpoints. Only when every entry parsed, so indexes match the file.
    if vnets.len() == values.network.vnets.len() {
        for (i, vnet) in vnets.iter().enumerate().filter(|(_, v)| v.endpoints) {
            let longest = targets
                .iter()
                .map(|t| t.endpoint_name(vnet.key()))
                .max_by_key(String::len);
            if let Some(name) = longest.filter(|n| n.len() > MAX_ENDPOINT_NAME) {
                c.fail(
                    &format!("/network/vnets/{i}"),
                    format!("the private endpoint name `{name}` (pe-<name>-<group>-<vnet>) would be {} characters; Azure allows {MAX_ENDPOINT_NAME}", name.len()),
                    "use a shorter VNet name, or shorter account, storage, vault or topic names",
                );
            }
        }
    }

    let mut deployment = Deployment {
        location: values.location.clone(),
        tags: values.tags.clone(),
        cloud,
        media,
        storage,
        event_grid,
        resource_manager,
        vnets,
        groups,
        dns,
        resolution: Resolution::default(),
        warnings: Vec::new(),
        values,
    };
    // What each VNet resolves; only on a complete network list (indexes must match the file).
    if deployment.vnets.len() == deployment.values.network.vnets.len() {
        let (resolution, refusals) = super::resolution::resolve(&deployment);
        for r in refusals {
            c.problems.push(
                raw.problem(&r.pointer, r.message)
                    .hint(r.hint)
                    .rule(&rules::RESOLUTION),
            );
        }
        deployment.resolution = resolution;
    }
    if !c.problems.is_empty() {
        return Err(Error::Invalid(c.problems));
    }
    deployment.warnings = super::exposure::warnings(&deployment);
    for w in &mut deployment.warnings {
        w.origin = raw.spans.value_origin(&w.pointer).cloned();
    }
    Ok(deployment)
}

fn check_encryption(c: &mut Checker, values: &Values) -> Encryption {
    const BASE: &str = "/mediaServices/encryption";
    let e = &values.media_services.encryption;
    let rsa_only = |c: &mut Checker, pointer: &str, key_type: KeyType| {
        if matches!(key_type, KeyType::Ec | KeyType::EcHsm) {
            c.fail(
                pointer,
                "Media Services accepts RSA keys only (2048, 3072 or 4096 bits); an EC key cannot wrap the account key",
                "use keyType: RSA-HSM (or RSA)",
            );
        }
    };
    if e.kind == EncryptionKind::SystemKey {
        for (key, present) in [
            ("keyVault", e.key_vault.is_some()),
            ("existingKey", e.existing_key.is_some()),
        ] {
            if present {
                c.fail(
                    &format!("{BASE}/{key}"),
                    format!("{key} is only used with type: customerKey"),
                    "set mediaServices.encryption.type: customerKey, or remove it",
                );
            }
        }
        return Encryption::SystemKey;
    }
    if values.media_services.identity != IdentityKind::UserAssigned {
        c.fail(
            &format!("{BASE}/type"),
            "a customer-managed key needs identity: userAssigned: the identity must be granted the key before the account is created, and a system-assigned identity only exists afterwards",
            "set mediaServices.identity: userAssigned",
        );
    }
    match (&e.key_vault, &e.existing_key) {
        (Some(_), Some(_)) => {
            c.fail(
                BASE,
                "customerKey takes either keyVault (a new vault) or existingKey, not both",
                "keep one of them",
            );
            Encryption::SystemKey
        }
        (None, None) => {
            c.fail(
                &format!("{BASE}/type"),
                "customerKey needs a key: keyVault (a new vault created here) or existingKey (a vault that exists)",
                "add mediaServices.encryption.keyVault: {name: kv-<account>}, or existingKey: {vaultId: ..., keyName: ...}",
            );
            Encryption::SystemKey
        }
        (Some(new), None) => {
            rsa_only(c, &format!("{BASE}/keyVault/keyType"), new.key_type);
            if new.name.contains("--") {
                c.fail(
                    &format!("{BASE}/keyVault/name"),
                    format!(
                        "`{}`: Key Vault names cannot contain two hyphens in a row",
                        new.name
                    ),
                    "use single hyphens between words",
                );
            }
            Encryption::CustomerKey(CustomerKey {
                key_name: new.key_name.clone(),
                vault: KeyVault::New {
                    name: new.name.clone(),
                    hsm: new.key_type == KeyType::RsaHsm,
                    key_size: new.key_size,
                },
            })
        }
        (None, Some(existing)) => {
            rsa_only(c, &format!("{BASE}/existingKey/keyType"), existing.key_type);
            if let (Some(account), Some(vault)) = (&values.location, &existing.location) {
                if account != vault {
                    c.fail(
                        &format!("{BASE}/existingKey/location"),
                        format!("the vault is in {vault} but the account is in {account}; Media Services needs its key vault in its own region"),
                        "use a vault in the account's region, or let the tool create one (keyVault)",
                    );
                }
            }
            let parts: Vec<&str> = existing.vault_id.split('/').collect();
            match parts.as_slice() {
                ["", _, sub, _, rg, _, _, _, name] => Encryption::CustomerKey(CustomerKey {
                    key_name: existing.key_name.clone(),
                    vault: KeyVault::Existing {
                        id: existing.vault_id.clone(),
                        subscription_id: sub.to_lowercase(),
                        resource_group: (*rg).to_owned(),
                        name: (*name).to_owned(),
                        private_endpoint: existing.private_endpoint,
                    },
                }),
                _ => {
                    c.fail(
                        &format!("{BASE}/existingKey/vaultId"),
                        format!("`{}` is not a Key Vault resource ID", existing.vault_id),
                        "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>",
                    );
                    Encryption::SystemKey
                }
            }
        }
    }
}

/// Also fills in the default name, so the answers file states it.
fn check_resource_manager(c: &mut Checker, values: &mut Values) -> Option<ResourceManagerLink> {
    const BASE: &str = "/resourceManagerPrivateLink";
    let account = values.media_services.name.clone();
    let top_location = values.location.clone();
    let rm = values.resource_manager_private_link.as_mut()?;
    let mg = rm.management_group_id.clone();
    let is_guid = is_root_management_group_id(&mg);
    if !is_guid {
        c.fail(
            &format!("{BASE}/managementGroupId"),
            format!("`{mg}` is not the root management group: Resource Manager private link associations are only supported at the tenant root, whose ID is the tenant ID (a GUID)"),
            "use the tenant ID: az account show --query tenantId -o tsv",
        );
    }
    let name = rm
        .name
        .get_or_insert_with(|| format!("rmpl-{account}"))
        .clone();
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

/// Also fills in the default queue name, so the answers file states it.
fn check_event_grid(c: &mut Checker, values: &mut Values) -> Option<EventGrid> {
    const BASE: &str = "/eventGrid/destination";
    let eg = values.event_grid.as_mut()?;
    let dest = &mut eg.destination;
    let not_for = |c: &mut Checker, key: &str, kind: &str| {
        c.fail(
            &format!("{BASE}/{key}"),
            format!("{key} is not used with destination type {kind}"),
            "remove it, or change destination.type",
        );
    };
    let destination = match dest.kind {
        DestinationKind::StorageQueue => {
            if dest.event_hub_id.is_some() {
                not_for(c, "eventHubId", "storageQueue");
            }
            let queue = dest
                .queue_name
                .get_or_insert_with(|| DEFAULT_QUEUE.to_owned())
                .clone();
            Destination::StorageQueue { queue }
        }
        DestinationKind::EventHub => {
            if dest.queue_name.is_some() {
                not_for(c, "queueName", "eventHub");
            }
            match &dest.event_hub_id {
                None => {
                    c.fail(
                        &format!("{BASE}/type"),
                        "destination eventHub needs eventHubId, the resource ID of an existing event hub",
                        "add eventGrid.destination.eventHubId: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.EventHub/namespaces/<ns>/eventhubs/<hub>",
                    );
                    return None;
                }
                Some(id) => {
                    let parts: Vec<&str> = id.split('/').collect();
                    match parts.as_slice() {
                        ["", _, sub, _, rg, _, _, _, namespace, _, hub] => Destination::EventHub {
                            id: id.clone(),
                            subscription_id: sub.to_lowercase(),
                            resource_group: (*rg).to_owned(),
                            namespace: (*namespace).to_owned(),
                            hub: (*hub).to_owned(),
                        },
                        _ => {
                            c.fail(
                                &format!("{BASE}/eventHubId"),
                                format!("`{id}` is not an event hub resource ID"),
                                "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.EventHub/namespaces/<ns>/eventhubs/<hub>",
                            );
                            return None;
                        }
                    }
                }
            }
        }
        DestinationKind::Webhook => {
            for (key, present) in [
                ("queueName", dest.queue_name.is_some()),
                ("eventHubId", dest.event_hub_id.is_some()),
            ] {
                if present {
                    not_for(c, key, "webhook");
                }
            }
            Destination::Webhook
        }
    };
    Some(EventGrid {
        destination,
        event_types: eg.event_types.clone(),
        custom_topic: eg.custom_topic.as_ref().map(|t| t.name.clone()),
    })
}

fn check_vnets(
    c: &mut Checker,
    values: &Values,
    needed: &[Zone],
    default_dns: &Dns,
    resource_manager_vnet: Option<&str>,
) -> Vec<Vnet> {
    let mut vnets = Vec::new();
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut spaces: Vec<(usize, IpNet)> = Vec::new();
    for (i, v) in values.network.vnets.iter().enumerate() {
        let pointer = format!("/network/vnets/{i}");
        let new_keys = v.name.is_some() || v.address_prefixes.is_some() || v.subnet.is_some();
        let shape = match (&v.existing_subnet_id, new_keys) {
            (Some(_), true) => {
                c.fail(
                    &pointer,
                    "a VNet entry is either new (name, addressPrefixes, subnet) or existing (existingSubnetId), not both",
                    "split it into two entries, or keep only existingSubnetId to use a subnet that already exists",
                );
                continue;
            }
            (Some(id), false) => match ExistingSubnet::parse(id, v.location.clone()) {
                Some(e) => VnetShape::Existing(e),
                None => {
                    c.fail(
                        &format!("{pointer}/existingSubnetId"),
                        format!("`{id}` is not a subnet resource ID"),
                        "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
                    );
                    continue;
                }
            },
            (None, _) => {
                if v.location.is_some() {
                    c.fail(
                        &format!("{pointer}/location"),
                        "location is only for existing subnets; a new VNet is created in the deployment's location",
                        "remove location from this entry, or set the top-level location",
                    );
                }
                let (Some(name), Some(prefixes), Some(subnet)) =
                    (&v.name, &v.address_prefixes, &v.subnet)
                else {
                    let missing: Vec<&str> = [
                        ("name", v.name.is_none()),
                        ("addressPrefixes", v.address_prefixes.is_none()),
                        ("subnet", v.subnet.is_none()),
                    ]
                    .into_iter()
                    .filter_map(|(k, m)| m.then_some(k))
                    .collect();
                    c.fail(
                        &pointer,
                        format!("a new VNet needs name, addressPrefixes and subnet; missing: {}", missing.join(", ")),
                        "add the missing keys, or use existingSubnetId to point at a subnet that already exists",
                    );
                    continue;
                };
                let address_prefixes = c.nets(&format!("{pointer}/addressPrefixes"), prefixes);
                for (a, x) in address_prefixes.iter().enumerate() {
                    for y in &address_prefixes[a + 1..] {
                        if network::overlaps(x, y) {
                            c.fail(
                                &format!("{pointer}/addressPrefixes"),
                                format!("address ranges {x} and {y} overlap"),
                                "list each range of the VNet once, without overlaps",
                            );
                        }
                    }
                }
                let subnet_prefix = match network::parse_net(&subnet.address_prefix) {
                    Ok(p) => p,
                    Err((message, hint)) => {
                        c.fail(&format!("{pointer}/subnet/addressPrefix"), message, hint);
                        continue;
                    }
                };
                for (message, hint) in network::subnet_problems(&address_prefixes, &subnet_prefix) {
                    c.fail(&format!("{pointer}/subnet/addressPrefix"), message, hint);
                }
                for space in &address_prefixes {
                    spaces.push((i, *space));
                }
                VnetShape::New {
                    name: name.clone(),
                    address_prefixes,
                    subnet_name: subnet.name.clone(),
                    subnet_prefix,
                }
            }
        };
        let dns = match &v.dns {
            None => default_dns.clone(),
            Some(own) => {
                // Zones created for one VNet live in its own resource group, so that each
                // isolated VNet can have a set (two zones of one name cannot share a group).
                let home = match &shape {
                    // Resource group names are not case-sensitive in Azure: one spelling per group.
                    VnetShape::Existing(e) => ZoneHome::Group {
                        subscription_id: e.subscription_id.clone(),
                        resource_group: e.resource_group.to_lowercase(),
                    },
                    VnetShape::New { .. } => ZoneHome::Here,
                };
                let base = format!("{pointer}/dns");
                let holds_rm = match (&shape, resource_manager_vnet) {
                    (VnetShape::Existing(e), Some(rm)) => e.vnet_id().eq_ignore_ascii_case(rm),
                    _ => false,
                };
                check_dns(c, &base, own, needed, values.cloud, home, holds_rm)
            }
        };
        let existing = matches!(shape, VnetShape::Existing(_));
        if v.link_new_zones && !(existing && matches!(dns, Dns::Create(_))) {
            c.fail(
                &format!("{pointer}/linkNewZones"),
                "linkNewZones only applies to an existing VNet whose zones are created here (DNS mode create)",
                "remove linkNewZones from this entry",
            );
        }
        if existing && matches!(dns, Dns::Create(_)) && !v.link_new_zones {
            c.fail(
                &pointer,
                "private DNS zones created here would be linked to this existing VNet: if it already links a zone of the same name the deployment fails (overlapping namespaces), and otherwise the new zone takes over that name space for the whole VNet, so other teams' privatelink names (their storage accounts, vaults) stop resolving",
                "if the VNet resolves these names through hub zones, use them: dns: {mode: existing, zoneIds: ...}; if you know it links no zone of these names, set linkNewZones: true on this VNet (the link then uses resolutionPolicy NxDomainRedirect, so names missing from the new zone still resolve publicly)",
            );
        }
        let vnet = Vnet {
            shape,
            endpoints: v.private_endpoints.unwrap_or(true),
            connected_to: v.connected_to.iter().map(|k| k.to_lowercase()).collect(),
            dns,
            link_new_zones: v.link_new_zones,
        };
        if let Some(first) = keys.insert(vnet.key().to_lowercase(), i) {
            c.fail(
                &pointer,
                format!("VNet `{}` is listed twice (also at index {first}); derived endpoint names would collide", vnet.key()),
                "list each VNet once; one entry already covers every endpoint in that VNet",
            );
        }
        vnets.push(vnet);
    }
    // connectedTo names another entry of the list.
    if vnets.len() == values.network.vnets.len() {
        for (i, v) in values.network.vnets.iter().enumerate() {
            for (k, name) in v.connected_to.iter().enumerate() {
                let other = vnets
                    .iter()
                    .position(|o| o.key().eq_ignore_ascii_case(name));
                let problem = match other {
                    Some(j) if j == i => Some("a VNet always reaches itself".to_owned()),
                    Some(_) => None,
                    None => Some(format!("no VNet in network.vnets is named `{name}`")),
                };
                if let Some(message) = problem {
                    let names: Vec<&str> = vnets.iter().map(Vnet::key).collect();
                    c.fail(
                        &format!("/network/vnets/{i}/connectedTo/{k}"),
                        format!("connectedTo: {message}"),
                        format!("name another VNet of the list ({})", names.join(", ")),
                    );
                }
            }
        }
    }
    // Overlapping VNets cannot be peered to a hub; almost always a copy-paste slip.
    for (a, (i, x)) in spaces.iter().enumerate() {
        for (j, y) in &spaces[a + 1..] {
            if i != j && network::overlaps(x, y) {
                c.fail(
                    &format!("/network/vnets/{j}/addressPrefixes"),
                    format!("address space {y} overlaps {x} of network.vnets[{i}]"),
                    "give each VNet its own range so they can be peered",
                );
            }
        }
    }
    vnets
}

/// The Resource Manager endpoint's DNS: its VNet's when that VNet is listed (the zone is linked
/// to it alone), else `privateLink.dns`; a zone created here needs the same opt-in as any link
/// into an existing VNet.
fn check_resource_manager_dns(
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
    if matches!(dns, Dns::Existing(_)) {
        rm.zone_id = checked_zone_id(
            c,
            &base,
            dns_values,
            Zone::ResourceManager,
            values.cloud,
            ZoneIdWords {
                purpose: " for the Resource Manager private endpoint",
                example: RESOURCE_MANAGER_ZONE,
                fix: "point this key at the privatelink.azure.com zone",
            },
        );
    }
    rm.dns = dns;
}

/// How a zone-ID problem is worded for one caller.
struct ZoneIdWords<'a> {
    /// Ends the message about a missing ID.
    purpose: &'a str,
    /// The zone name shown in the example ID.
    example: &'a str,
    /// The hint for an ID naming another zone.
    fix: &'a str,
}

/// The ID `dns` gives for `zone` (at `base`), when it is there and names that zone in `cloud`.
fn checked_zone_id(
    c: &mut Checker,
    base: &str,
    dns: &DnsValues,
    zone: Zone,
    cloud: Cloud,
    words: ZoneIdWords,
) -> Option<String> {
    let key = zone.key();
    match dns.zone_ids.get(key) {
        None => {
            c.fail(
                &format!("{base}/zoneIds"),
                format!("mode existing needs the `{key}` zone's resource ID{}", words.purpose),
                format!(
                    "add zoneIds.{key}: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/{}",
                    words.example
                ),
            );
            None
        }
        Some(id) => match zone.check_id(id, cloud) {
            Ok(()) => Some(id.clone()),
            Err(message) => {
                c.fail(&format!("{base}/zoneIds/{key}"), message, words.fix);
                None
            }
        },
    }
}

/// A DNS setting (`privateLink.dns` or a VNet's own `dns`, at `base`) as the zones it means.
/// Zones created here live in `home`; `resource_manager`: the Resource Manager endpoint reads
/// its zone ID here too.
fn check_dns(
    c: &mut Checker,
    base: &str,
    dns: &DnsValues,
    needed: &[Zone],
    cloud: Cloud,
    home: ZoneHome,
    resource_manager: bool,
) -> Dns {
    check_unused_zone_ids(c, base, dns, needed, resource_manager);
    if dns.mode != DnsMode::Existing && !dns.zone_ids.is_empty() {
        c.fail(
            &format!("{base}/zoneIds"),
            "zoneIds are only used with mode: existing",
            "set mode: existing, or remove zoneIds",
        );
    }
    match dns.mode {
        DnsMode::Create => Dns::Create(home),
        DnsMode::Policy => Dns::Policy,
        DnsMode::None => Dns::None,
        DnsMode::Existing => {
            let mut zones = BTreeMap::new();
            for zone in needed.iter().copied() {
                let example = zone.name(cloud).unwrap_or_default();
                let words = ZoneIdWords {
                    purpose: "",
                    example: &example,
                    fix: "point this key at the zone with the recommended privatelink name",
                };
                if let Some(id) = checked_zone_id(c, base, dns, zone, cloud, words) {
                    zones.insert(zone, id);
                }
            }
            Dns::Existing(zones)
        }
    }
}

/// Zone IDs no endpoint uses are a sign of a slip (a forgotten group ID, a wrong key).
fn check_unused_zone_ids(
    c: &mut Checker,
    base: &str,
    dns: &DnsValues,
    needed: &[Zone],
    resource_manager: bool,
) {
    if dns.mode != DnsMode::Existing {
        return;
    }
    for key in dns.zone_ids.keys() {
        let used = needed.iter().any(|z| z.key() == key)
            || (resource_manager && key == Zone::ResourceManager.key());
        if !used {
            c.fail(
                &format!("{base}/zoneIds/{key}"),
                format!("no private endpoint uses the `{key}` zone"),
                "remove it, or add the matching group ID / storage sub-resource / customer key (an existing vault's endpoint needs existingKey.privateEndpoint: true; the Resource Manager zone belongs to the DNS of that endpoint's VNet)",
            );
        }
    }
}
