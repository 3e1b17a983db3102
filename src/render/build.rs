//! The deployment model → the template IR. Every Azure fact about resource shapes lives here
//! (sources in shared/docs/azure-facts.md); the renderers only spell it.

use std::collections::BTreeSet;

use serde_json::json;

use super::ir::{ExistingIn, Expr, Module, Output, Param, ParamType, Resource, Template};
use crate::model::*;

pub mod api {
    pub const MEDIA: &str = "2023-01-01";
    pub const MEDIA_STREAMING: &str = "2022-11-01";
    pub const STORAGE: &str = "2025-01-01";
    pub const IDENTITY: &str = "2024-11-30";
    pub const ROLE_ASSIGNMENT: &str = "2022-04-01";
    pub const NETWORK: &str = "2024-05-01";
    pub const PRIVATE_DNS: &str = "2024-06-01";
    pub const KEY_VAULT: &str = "2024-11-01";
    pub const EVENT_GRID: &str = "2025-02-15";
    pub const EVENT_HUB: &str = "2024-01-01";
}

/// Built-in role definition IDs (tenant-independent).
pub const ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR: &str = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
pub const ROLE_READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
pub const ROLE_KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER: &str =
    "e147488a-f6f5-4113-8e2d-b22465e65bf6";
pub const ROLE_STORAGE_QUEUE_DATA_MESSAGE_SENDER: &str = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
pub const ROLE_EVENT_HUBS_DATA_SENDER: &str = "2b629674-e913-4c01-ae53-ef4638d8f975";

pub const MEDIA_ZONE: &str = "privatelink.media.azure.net";

/// Longest deployment name Azure accepts.
const MAX_DEPLOYMENT_NAME: usize = 64;

/// The main template plus, for existing subnets, one module per VNet.
pub fn template(d: &Deployment) -> Template {
    let syms = Symbols::default();
    let mut t = Template {
        description: format!(
            "Media Services account {} and storage account {} behind Private Link",
            d.media.name, d.storage.name
        ),
        ..Template::default()
    };
    t.params = params(d);
    let identity = identity_resources(d, &mut t);
    t.resources.push(storage_account(d));
    let roles = role_assignments(&identity);
    let mut role_symbols: Vec<String> = roles.iter().map(|r| r.symbol.clone()).collect();
    if let Some(key) = d.media.customer_key() {
        role_symbols.push(key_vault_resources(key, &identity, &mut t));
    }
    if d.media.identity == IdentityKind::UserAssigned {
        t.resources.extend(roles.iter().cloned());
    }
    t.resources.push(media_account(d, &role_symbols));
    if d.media.identity == IdentityKind::SystemAssigned {
        t.resources.extend(roles);
    }
    t.resources.extend(
        d.media
            .streaming_endpoints
            .iter()
            .map(|e| streaming_endpoint(&syms, e)),
    );
    t.resources
        .extend(d.media.live_events.iter().map(|e| live_event(&syms, e)));
    if let Some(eg) = &d.event_grid {
        event_grid_resources(eg, &mut t);
    }
    for vnet in &d.vnets {
        if let Some(r) = virtual_network(&syms, vnet) {
            t.resources.push(r);
        }
    }
    if let Dns::Create = d.dns {
        for zone in d.zones() {
            t.resources.push(dns_zone(zone));
            for vnet in &d.vnets {
                t.resources.push(dns_link(&syms, zone, vnet));
            }
        }
    }
    let outer = EndpointRefs {
        media_name: Expr::param(P_MEDIA_NAME),
        media_id: Expr::id(S_MEDIA),
        storage_name: Expr::param(P_STORAGE_NAME),
        storage_id: Expr::id(S_STORAGE),
        vault: d.media.customer_key().map(|k| vault_refs(&k.vault)),
        topic: topic_name(d).map(|n| (Expr::str(n), Expr::id(S_TOPIC))),
        tags: Expr::param(P_TAGS),
    };
    for vnet in &d.vnets {
        match vnet {
            Vnet::New {
                name, subnet_name, ..
            } => {
                let subnet_id = Expr::ResourceId(
                    "Microsoft.Network/virtualNetworks/subnets".into(),
                    vec![Expr::str(name), Expr::str(subnet_name)],
                );
                let zone_id = |z: Zone| outer_zone_id(d, z);
                let mut resources = endpoints(
                    &syms,
                    d,
                    vnet,
                    &outer,
                    &subnet_id,
                    &Expr::param(P_LOCATION),
                    &zone_id,
                );
                for r in resources.iter_mut().filter(|r| r.parent.is_none()) {
                    r.depends_on.push(vnet_symbol(&syms, vnet));
                }
                t.resources.extend(resources);
            }
            Vnet::Existing(existing) => t.modules.push(endpoint_module(&syms, d, vnet, existing)),
        }
    }
    t.outputs = outputs(d);
    t
}

// Parameter names.
const P_LOCATION: &str = "location";
const P_TAGS: &str = "tags";
const P_MEDIA_NAME: &str = "mediaServicesAccountName";
const P_STORAGE_NAME: &str = "storageAccountName";
const P_STORAGE_SKU: &str = "storageSkuName";
const P_IDENTITY_NAME: &str = "managedIdentityName";
const P_STORAGE_AUTH: &str = "storageAuthentication";
const P_MEDIA_ID: &str = "mediaServicesAccountId";
const P_VAULT_NAME: &str = "keyVaultName";
const P_VAULT_NAME_IN: &str = "keyVaultName";
const P_VAULT_ID: &str = "keyVaultId";
const P_TOPIC_NAME: &str = "eventGridTopicName";
const P_TOPIC_ID: &str = "eventGridTopicId";
const P_WEBHOOK_URL: &str = "eventGridWebhookUrl";
/// Where the Bicep parameters file reads the webhook URL from.
pub const WEBHOOK_ENV: &str = "EVENTGRID_WEBHOOK_URL";
const P_STORAGE_ID: &str = "storageAccountId";

// Symbols.
const S_SYSTEM_TOPIC: &str = "eventGridSystemTopic";
const S_TOPIC: &str = "eventGridTopic";
const S_QUEUE_SERVICE: &str = "queueService";
const S_QUEUE: &str = "eventQueue";
const S_QUEUE_ROLE: &str = "roleStorageQueueDataMessageSender";
const S_HUB_ACCESS: &str = "eventHubAccess";
const S_VAULT: &str = "keyVault";
const S_VAULT_KEY: &str = "keyVaultKey";
const S_VAULT_ROLE: &str = "roleKeyVaultCryptoServiceEncryptionUser";
const S_VAULT_ACCESS: &str = "keyVaultAccess";
const S_EXISTING_VAULT: &str = "existingKeyVault";
const S_IDENTITY: &str = "managedIdentity";
const S_STORAGE: &str = "storageAccount";
const S_MEDIA: &str = "mediaServices";

fn params(d: &Deployment) -> Vec<Param> {
    let mut out = Vec::new();
    let mut location = Param::new(P_LOCATION, ParamType::String, "Region of every resource except private endpoints in existing VNets elsewhere. Defaults to the resource group's region.");
    location.default = Some(Expr::ResourceGroupLocation);
    location.value = d.location.as_ref().map(|l| json!(l));
    out.push(location);

    let mut tags = Param::new(P_TAGS, ParamType::Object, "Tags put on every resource.");
    tags.default = Some(Expr::Object(Vec::new()));
    tags.value = (!d.tags.is_empty()).then(|| json!(d.tags));
    out.push(tags);

    let mut media = Param::new(
        P_MEDIA_NAME,
        ParamType::String,
        "Media Services account name: 3-24 lowercase letters and digits, unique in the region.",
    );
    media.min_length = Some(3);
    media.max_length = Some(24);
    media.value = Some(json!(d.media.name));
    out.push(media);

    let mut storage = Param::new(
        P_STORAGE_NAME,
        ParamType::String,
        "Storage account name: 3-24 lowercase letters and digits, globally unique.",
    );
    storage.min_length = Some(3);
    storage.max_length = Some(24);
    storage.value = Some(json!(d.storage.name));
    out.push(storage);

    let mut sku = Param::new(
        P_STORAGE_SKU,
        ParamType::String,
        "Storage replication (Standard only: Media Services needs blobs, queues and tables).",
    );
    sku.allowed = storage_skus();
    sku.default = Some(Expr::str(d.storage.sku.as_str()));
    out.push(sku);

    if let Some(CustomerKey {
        vault: KeyVault::New { name, .. },
        ..
    }) = d.media.customer_key()
    {
        let mut vault = Param::new(
            P_VAULT_NAME,
            ParamType::String,
            "Name of the key vault holding the customer-managed key: 3-24 letters, digits and hyphens, globally unique.",
        );
        vault.min_length = Some(3);
        vault.max_length = Some(24);
        vault.value = Some(json!(name));
        out.push(vault);
    }

    if let Some(EventGrid {
        destination: Destination::Webhook,
        ..
    }) = &d.event_grid
    {
        let mut url = Param::new(
            P_WEBHOOK_URL,
            ParamType::SecureString,
            "HTTPS endpoint that receives the Media Services events. A secret (it usually carries a key): supply it at deployment, never in a file.",
        );
        url.from_env = Some(WEBHOOK_ENV);
        out.push(url);
    }
    match d.media.identity {
        IdentityKind::UserAssigned => {
            let mut id = Param::new(
                P_IDENTITY_NAME,
                ParamType::String,
                "Name of the user-assigned identity Media Services uses to reach its storage.",
            );
            id.min_length = Some(3);
            id.max_length = Some(128);
            id.value = Some(json!(identity_name(d)));
            out.push(id);
        }
        IdentityKind::SystemAssigned => {
            let mut auth = Param::new(P_STORAGE_AUTH, ParamType::String, "System (key-based) for the first deployment; ManagedIdentity for the second, once the role assignments exist (see DEPLOY.md).");
            auth.allowed = vec!["System".into(), "ManagedIdentity".into()];
            auth.default = Some(Expr::str("System"));
            out.push(auth);
        }
    }
    out
}

/// The storage SKUs the schema allows, read from the schema so there is one list.
fn storage_skus() -> Vec<String> {
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

/// How the account's identity is referred to.
struct IdentityRefs {
    /// Runtime principal ID (for role assignments).
    principal_id: Expr,
    /// Resource the principal belongs to (for stable role assignment names).
    owner: Expr,
}

fn identity_resources(d: &Deployment, t: &mut Template) -> IdentityRefs {
    match d.media.identity {
        IdentityKind::UserAssigned => {
            t.resources.push(
                Resource::new(
                    S_IDENTITY,
                    "Microsoft.ManagedIdentity/userAssignedIdentities",
                    api::IDENTITY,
                    Expr::param(P_IDENTITY_NAME),
                )
                .with("location", Expr::param(P_LOCATION))
                .with("tags", Expr::param(P_TAGS))
                .with("properties", Expr::Object(Vec::new()))
                .comment("Created first and granted its storage roles before the account exists, so the account can use managed-identity storage access in one deployment."),
            );
            IdentityRefs {
                principal_id: Expr::Reference {
                    symbol: S_IDENTITY.into(),
                    path: vec!["principalId".into()],
                    full: false,
                },
                owner: Expr::id(S_IDENTITY),
            }
        }
        IdentityKind::SystemAssigned => IdentityRefs {
            principal_id: Expr::Reference {
                symbol: S_MEDIA.into(),
                path: vec!["identity".into(), "principalId".into()],
                full: true,
            },
            owner: Expr::id(S_MEDIA),
        },
    }
}

fn storage_account(d: &Deployment) -> Resource {
    let ip_rules = Expr::Array(
        d.storage
            .ip_rules
            .iter()
            .map(|r| Expr::object([("value", Expr::str(r)), ("action", Expr::str("Allow"))]))
            .collect(),
    );
    Resource::new(S_STORAGE, "Microsoft.Storage/storageAccounts", api::STORAGE, Expr::param(P_STORAGE_NAME))
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::param(P_TAGS))
        .with("kind", Expr::str("StorageV2"))
        .with("sku", Expr::object([("name", Expr::param(P_STORAGE_SKU))]))
        .with(
            "properties",
            Expr::object([
                ("accessTier", Expr::str("Hot")),
                ("allowBlobPublicAccess", Expr::Bool(false)),
                ("allowCrossTenantReplication", Expr::Bool(false)),
                // Media Services hands out SAS URLs for assets, so shared keys stay on.
                ("allowSharedKeyAccess", Expr::Bool(true)),
                ("isHnsEnabled", Expr::Bool(false)),
                ("minimumTlsVersion", Expr::str("TLS1_2")),
                // Enabled + firewall Deny + AzureServices bypass: the combination Microsoft's
                // trusted-storage tutorial uses; Disabled would also shut out Media Services.
                ("publicNetworkAccess", Expr::str("Enabled")),
                ("supportsHttpsTrafficOnly", Expr::Bool(true)),
                (
                    "networkAcls",
                    Expr::object([
                        ("bypass", Expr::str("AzureServices")),
                        ("defaultAction", Expr::str("Deny")),
                        ("ipRules", ip_rules),
                        ("virtualNetworkRules", Expr::Array(Vec::new())),
                    ]),
                ),
            ]),
        )
        .comment("Holds the Media Services assets. Firewall on; Media Services gets in as a trusted service with its managed identity, clients through the private endpoints.")
}

fn role_assignments(identity: &IdentityRefs) -> Vec<Resource> {
    [
        ("roleStorageBlobDataContributor", ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR, "Storage Blob Data Contributor"),
        ("roleStorageReader", ROLE_READER, "Reader"),
    ]
    .into_iter()
    .map(|(symbol, role_id, role_name)| {
        role(
            symbol,
            S_STORAGE,
            role_id,
            identity.principal_id.clone(),
            identity.owner.clone(),
            &format!("{role_name} on the storage account for the Media Services identity (trusted storage access)."),
        )
    })
    .collect()
}

fn media_account(d: &Deployment, roles: &[String]) -> Resource {
    let m = &d.media;
    let (identity, storage_identity, storage_auth) = match m.identity {
        IdentityKind::UserAssigned => (
            Expr::object([
                ("type", Expr::str("UserAssigned")),
                (
                    "userAssignedIdentities",
                    Expr::Object(vec![(Expr::id(S_IDENTITY), Expr::Object(Vec::new()))]),
                ),
            ]),
            Expr::object([
                ("userAssignedIdentity", Expr::id(S_IDENTITY)),
                ("useSystemAssignedIdentity", Expr::Bool(false)),
            ]),
            Expr::str("ManagedIdentity"),
        ),
        IdentityKind::SystemAssigned => (
            Expr::object([("type", Expr::str("SystemAssigned"))]),
            Expr::object([("useSystemAssignedIdentity", Expr::Bool(true))]),
            Expr::param(P_STORAGE_AUTH),
        ),
    };
    let key_delivery_list = if m.key_delivery_default == DefaultAction::Allow {
        Vec::new()
    } else {
        m.key_delivery_allow.iter().map(display_net).collect()
    };
    let mut r = Resource::new(S_MEDIA, "Microsoft.Media/mediaservices", api::MEDIA, Expr::param(P_MEDIA_NAME))
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::param(P_TAGS))
        .with("identity", identity)
        .with(
            "properties",
            Expr::object([
                (
                    "storageAccounts",
                    Expr::Array(vec![Expr::object([
                        ("id", Expr::id(S_STORAGE)),
                        ("type", Expr::str("Primary")),
                        ("identity", storage_identity),
                    ])]),
                ),
                ("storageAuthentication", storage_auth),
                ("encryption", encryption(d)),
                (
                    "publicNetworkAccess",
                    Expr::str(match m.public_network_access {
                        PublicNetworkAccess::Disabled => "Disabled",
                        PublicNetworkAccess::Enabled => "Enabled",
                    }),
                ),
                (
                    "keyDelivery",
                    Expr::object([(
                        "accessControl",
                        Expr::object([
                            (
                                "defaultAction",
                                Expr::str(match m.key_delivery_default {
                                    DefaultAction::Deny => "Deny",
                                    DefaultAction::Allow => "Allow",
                                }),
                            ),
                            ("ipAllowList", Expr::strings(key_delivery_list)),
                        ]),
                    )]),
                ),
                (
                    "minimumTlsVersion",
                    Expr::str(match m.minimum_tls_version {
                        TlsVersion::Tls12 => "Tls12",
                        TlsVersion::Tls13 => "Tls13",
                    }),
                ),
            ]),
        )
        .comment(match m.public_network_access {
            PublicNetworkAccess::Disabled => "The Media Services account. publicNetworkAccess Disabled: every endpoint (key delivery, streaming, live ingest) answers only through private endpoints.",
            PublicNetworkAccess::Enabled => "The Media Services account. publicNetworkAccess Enabled: the IP allowlists on key delivery, streaming endpoints and live events decide who reaches it from the internet.",
        });
    if m.identity == IdentityKind::UserAssigned {
        // The roles must exist before the account first touches its storage.
        r.depends_on = roles.to_vec();
    }
    r
}

/// The account's `encryption`: Microsoft's keys, or the customer key through the identity.
fn encryption(d: &Deployment) -> Expr {
    let Some(key) = d.media.customer_key() else {
        return Expr::object([("type", Expr::str("SystemKey"))]);
    };
    // Versionless: Media Services follows the key's newest version after a rotation.
    let key_url = match &key.vault {
        KeyVault::New { .. } => Expr::Reference {
            symbol: S_VAULT_KEY.into(),
            path: vec!["keyUri".into()],
            full: false,
        },
        KeyVault::Existing { .. } => Expr::format(
            format!("{{0}}keys/{}", key.key_name),
            vec![Expr::Reference {
                symbol: S_EXISTING_VAULT.into(),
                path: vec!["vaultUri".into()],
                full: false,
            }],
        ),
    };
    Expr::object([
        ("type", Expr::str("CustomerKey")),
        (
            "keyVaultProperties",
            Expr::object([("keyIdentifier", key_url)]),
        ),
        (
            "identity",
            Expr::object([
                ("userAssignedIdentity", Expr::id(S_IDENTITY)),
                ("useSystemAssignedIdentity", Expr::Bool(false)),
            ]),
        ),
    ])
}

/// Name and ID of the vault, as the private endpoints refer to it.
fn vault_refs(vault: &KeyVault) -> (Expr, Expr) {
    match vault {
        KeyVault::New { .. } => (Expr::param(P_VAULT_NAME), Expr::id(S_VAULT)),
        KeyVault::Existing { id, name, .. } => (Expr::str(name), Expr::existing_id(id)),
    }
}

fn key_vault_role(scope_symbol: &str, principal: Expr, owner: Expr) -> Resource {
    role(
        S_VAULT_ROLE,
        scope_symbol,
        ROLE_KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
        principal,
        owner,
        "Key Vault Crypto Service Encryption User on the vault for the Media Services identity: get, wrap and unwrap the key.",
    )
}

/// The vault side of a customer-managed key. Returns the symbol the account must wait for.
fn key_vault_resources(key: &CustomerKey, identity: &IdentityRefs, t: &mut Template) -> String {
    match &key.vault {
        KeyVault::New { hsm, key_size, .. } => {
            t.resources.push(
                Resource::new(S_VAULT, "Microsoft.KeyVault/vaults", api::KEY_VAULT, Expr::param(P_VAULT_NAME))
                    .with("location", Expr::param(P_LOCATION))
                    .with("tags", Expr::param(P_TAGS))
                    .with(
                        "properties",
                        Expr::object([
                            ("tenantId", Expr::TenantId),
                            (
                                "sku",
                                Expr::object([
                                    ("family", Expr::str("A")),
                                    ("name", Expr::str(if *hsm { "premium" } else { "standard" })),
                                ]),
                            ),
                            ("enableRbacAuthorization", Expr::Bool(true)),
                            ("enableSoftDelete", Expr::Bool(true)),
                            ("softDeleteRetentionInDays", Expr::Int(90)),
                            // Without purge protection Media Services refuses the key.
                            ("enablePurgeProtection", Expr::Bool(true)),
                            ("publicNetworkAccess", Expr::str("Disabled")),
                            (
                                "networkAcls",
                                Expr::object([
                                    ("bypass", Expr::str("AzureServices")),
                                    ("defaultAction", Expr::str("Deny")),
                                    ("ipRules", Expr::Array(Vec::new())),
                                    ("virtualNetworkRules", Expr::Array(Vec::new())),
                                ]),
                            ),
                        ]),
                    )
                    .comment("Key vault for the customer-managed key: RBAC, soft delete and purge protection on, no public network access; Media Services reaches it as a trusted service."),
            );
            let mut k = Resource::new(S_VAULT_KEY, "Microsoft.KeyVault/vaults/keys", api::KEY_VAULT, Expr::str(&key.key_name))
                .with(
                    "properties",
                    Expr::object([
                        ("kty", Expr::str(if *hsm { "RSA-HSM" } else { "RSA" })),
                        ("keySize", Expr::Int(i64::from(*key_size))),
                        ("keyOps", Expr::strings(["wrapKey", "unwrapKey"])),
                        ("attributes", Expr::object([("enabled", Expr::Bool(true))])),
                        (
                            "rotationPolicy",
                            Expr::object([
                                ("attributes", Expr::object([("expiryTime", Expr::str("P2Y"))])),
                                (
                                    "lifetimeActions",
                                    Expr::Array(vec![Expr::object([
                                        ("trigger", Expr::object([("timeBeforeExpiry", Expr::str("P30D"))])),
                                        ("action", Expr::object([("type", Expr::str("rotate"))])),
                                    ])]),
                                ),
                            ]),
                        ),
                    ]),
                )
                .comment("The RSA key that wraps the account key. Rotated automatically 30 days before it expires; the account follows the newest version.");
            k.parent = Some(S_VAULT.into());
            t.resources.push(k);
            t.resources.push(key_vault_role(
                S_VAULT,
                identity.principal_id.clone(),
                identity.owner.clone(),
            ));
            S_VAULT_ROLE.into()
        }
        KeyVault::Existing {
            subscription_id,
            resource_group,
            name,
            ..
        } => {
            let mut existing = Resource::new(
                S_EXISTING_VAULT,
                "Microsoft.KeyVault/vaults",
                api::KEY_VAULT,
                Expr::str(name),
            );
            existing.existing = Some(ExistingIn {
                subscription_id: Some(subscription_id.clone()),
                resource_group: Some(resource_group.clone()),
            });
            t.resources.push(existing);
            // The grant must be made in the vault's own resource group.
            let mut inner_vault = Resource::new(
                S_VAULT,
                "Microsoft.KeyVault/vaults",
                api::KEY_VAULT,
                Expr::param(P_VAULT_NAME_IN),
            );
            inner_vault.existing = Some(ExistingIn::default());
            let role = key_vault_role(
                S_VAULT,
                Expr::param("principalId"),
                Expr::param("principalId"),
            );
            let mut deployment_name = format!("key-access-{name}");
            deployment_name.truncate(MAX_DEPLOYMENT_NAME);
            t.modules.push(Module {
                symbol: S_VAULT_ACCESS.into(),
                file: "modules/key-vault-access.bicep".into(),
                deployment_name: Expr::str(deployment_name),
                subscription_id: subscription_id.clone(),
                resource_group: resource_group.clone(),
                description: format!(
                    "Grants the Media Services identity the key role on the existing vault {name} (resource group {resource_group}, subscription {subscription_id})."
                ),
                params: vec![
                    (Param::new(P_VAULT_NAME_IN, ParamType::String, "Name of the existing key vault."), Expr::str(name)),
                    (Param::new("principalId", ParamType::String, "Principal ID of the identity Media Services uses."), identity.principal_id.clone()),
                ],
                resources: vec![inner_vault, role],
            });
            S_VAULT_ACCESS.into()
        }
    }
}

fn topic_name(d: &Deployment) -> Option<&str> {
    d.event_grid
        .as_ref()
        .and_then(|e| e.custom_topic.as_deref())
}

/// A built-in role for a service principal on one resource, named stably by `guid()`.
/// `principalType: ServicePrincipal` avoids the replication race on a freshly created identity.
fn role(
    symbol: &str,
    scope: &str,
    role: &str,
    principal: Expr,
    owner: Expr,
    comment: &str,
) -> Resource {
    let role_id = Expr::SubscriptionResourceId(
        "Microsoft.Authorization/roleDefinitions".into(),
        vec![Expr::str(role)],
    );
    let mut r = Resource::new(
        symbol,
        "Microsoft.Authorization/roleAssignments",
        api::ROLE_ASSIGNMENT,
        Expr::Guid(vec![Expr::id(scope), owner, role_id.clone()]),
    )
    .with(
        "properties",
        Expr::object([
            ("roleDefinitionId", role_id),
            ("principalId", principal),
            ("principalType", Expr::str("ServicePrincipal")),
        ]),
    )
    .comment(comment);
    r.scope = Some(scope.into());
    r
}

/// Media Services events: a system topic on the account, its destination, and the grants
/// that let the topic's identity deliver; optionally a private custom topic.
fn event_grid_resources(eg: &EventGrid, t: &mut Template) {
    let topic_principal = Expr::Reference {
        symbol: S_SYSTEM_TOPIC.into(),
        path: vec!["identity".into(), "principalId".into()],
        full: true,
    };
    t.resources.push(
        Resource::new(
            S_SYSTEM_TOPIC,
            "Microsoft.EventGrid/systemTopics",
            api::EVENT_GRID,
            Expr::format("egst-{0}", vec![Expr::param(P_MEDIA_NAME)]),
        )
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::param(P_TAGS))
        .with("identity", Expr::object([("type", Expr::str("SystemAssigned"))]))
        .with(
            "properties",
            Expr::object([
                ("source", Expr::id(S_MEDIA)),
                ("topicType", Expr::str("Microsoft.Media.MediaServices")),
            ]),
        )
        .comment("The account's events (jobs, live events) as an Event Grid system topic; its identity delivers them."),
    );
    let managed = |endpoint_type: &str, properties: Expr| {
        Expr::object([(
            "deliveryWithResourceIdentity",
            Expr::object([
                (
                    "identity",
                    Expr::object([("type", Expr::str("SystemAssigned"))]),
                ),
                (
                    "destination",
                    Expr::object([
                        ("endpointType", Expr::str(endpoint_type)),
                        ("properties", properties),
                    ]),
                ),
            ]),
        )])
    };
    let (delivery, wait_for) = match &eg.destination {
        Destination::StorageQueue { queue } => {
            // Every StorageV2 account has its `default` queue service; the queue hangs off it.
            let mut service = Resource::new(
                S_QUEUE_SERVICE,
                "Microsoft.Storage/storageAccounts/queueServices",
                api::STORAGE,
                Expr::str("default"),
            );
            service.parent = Some(S_STORAGE.into());
            service.existing = Some(ExistingIn::default());
            t.resources.push(service);
            let mut q = Resource::new(
                S_QUEUE,
                "Microsoft.Storage/storageAccounts/queueServices/queues",
                api::STORAGE,
                Expr::str(queue),
            )
            .with(
                "properties",
                Expr::object([("metadata", Expr::Object(Vec::new()))]),
            )
            .comment("Queue the Media Services events are delivered to.");
            q.parent = Some(S_QUEUE_SERVICE.into());
            t.resources.push(q);
            t.resources.push(role(
                S_QUEUE_ROLE,
                S_QUEUE,
                ROLE_STORAGE_QUEUE_DATA_MESSAGE_SENDER,
                topic_principal.clone(),
                Expr::id(S_SYSTEM_TOPIC),
                "Storage Queue Data Message Sender on the queue only, for the system topic's identity (through the storage firewall as a trusted service).",
            ));
            (
                managed(
                    "StorageQueue",
                    Expr::object([
                        ("resourceId", Expr::id(S_STORAGE)),
                        ("queueName", Expr::str(queue)),
                        ("queueMessageTimeToLiveInSeconds", Expr::Int(604_800)),
                    ]),
                ),
                S_QUEUE_ROLE.to_owned(),
            )
        }
        Destination::EventHub {
            id,
            subscription_id,
            resource_group,
            namespace,
            hub,
        } => {
            let mut ns = Resource::new(
                "eventHubNamespace",
                "Microsoft.EventHub/namespaces",
                api::EVENT_HUB,
                Expr::param("namespaceName"),
            );
            ns.existing = Some(ExistingIn::default());
            let mut eh = Resource::new(
                "eventHub",
                "Microsoft.EventHub/namespaces/eventhubs",
                api::EVENT_HUB,
                Expr::param("eventHubName"),
            );
            eh.existing = Some(ExistingIn::default());
            eh.parent = Some("eventHubNamespace".into());
            let grant = role(
                "roleEventHubsDataSender",
                "eventHub",
                ROLE_EVENT_HUBS_DATA_SENDER,
                Expr::param("principalId"),
                Expr::param("principalId"),
                "Azure Event Hubs Data Sender on the hub only, for the system topic's identity.",
            );
            let mut deployment_name = format!("event-hub-access-{hub}");
            deployment_name.truncate(MAX_DEPLOYMENT_NAME);
            t.modules.push(Module {
                symbol: S_HUB_ACCESS.into(),
                file: "modules/event-hub-access.bicep".into(),
                deployment_name: Expr::str(deployment_name),
                subscription_id: subscription_id.clone(),
                resource_group: resource_group.clone(),
                description: format!(
                    "Grants the Event Grid system topic's identity send rights on the existing event hub {namespace}/{hub} (resource group {resource_group}, subscription {subscription_id})."
                ),
                params: vec![
                    (Param::new("namespaceName", ParamType::String, "Event Hubs namespace of the existing hub."), Expr::str(namespace)),
                    (Param::new("eventHubName", ParamType::String, "Name of the existing event hub."), Expr::str(hub)),
                    (Param::new("principalId", ParamType::String, "Principal ID of the system topic's identity."), topic_principal.clone()),
                ],
                resources: vec![ns, eh, grant],
            });
            (
                managed(
                    "EventHub",
                    Expr::object([("resourceId", Expr::existing_id(id))]),
                ),
                S_HUB_ACCESS.to_owned(),
            )
        }
        Destination::Webhook => (
            Expr::object([(
                "destination",
                Expr::object([
                    ("endpointType", Expr::str("WebHook")),
                    (
                        "properties",
                        Expr::object([
                            ("endpointUrl", Expr::param(P_WEBHOOK_URL)),
                            ("maxEventsPerBatch", Expr::Int(1)),
                            ("preferredBatchSizeInKilobytes", Expr::Int(64)),
                        ]),
                    ),
                ]),
            )]),
            String::new(),
        ),
    };
    let Expr::Object(mut props) = delivery else {
        return;
    };
    if !eg.event_types.is_empty() {
        props.push((
            Expr::str("filter"),
            Expr::object([("includedEventTypes", Expr::strings(&eg.event_types))]),
        ));
    }
    props.push((
        Expr::str("eventDeliverySchema"),
        Expr::str("EventGridSchema"),
    ));
    props.push((
        Expr::str("retryPolicy"),
        Expr::object([
            ("maxDeliveryAttempts", Expr::Int(30)),
            ("eventTimeToLiveInMinutes", Expr::Int(1440)),
        ]),
    ));
    let mut sub = Resource::new(
        "eventGridSubscription",
        "Microsoft.EventGrid/systemTopics/eventSubscriptions",
        api::EVENT_GRID,
        Expr::str("media-events"),
    )
    .with("properties", Expr::Object(props))
    .comment("Delivers the account's events to the chosen destination.");
    sub.parent = Some(S_SYSTEM_TOPIC.into());
    if !wait_for.is_empty() {
        sub.depends_on.push(wait_for);
    }
    t.resources.push(sub);

    if let Some(name) = &eg.custom_topic {
        t.resources.push(
            Resource::new(S_TOPIC, "Microsoft.EventGrid/topics", api::EVENT_GRID, Expr::str(name))
                .with("location", Expr::param(P_LOCATION))
                .with("tags", Expr::param(P_TAGS))
                .with("identity", Expr::object([("type", Expr::str("SystemAssigned"))]))
                .with(
                    "properties",
                    Expr::object([
                        ("inputSchema", Expr::str("EventGridSchema")),
                        ("publicNetworkAccess", Expr::str("Disabled")),
                        ("disableLocalAuth", Expr::Bool(true)),
                        ("minimumTlsVersionAllowed", Expr::str("1.2")),
                    ]),
                )
                .comment("Custom topic for forwarding events inside your network: no public access, Entra ID authentication only; reached through its private endpoints."),
        );
    }
}

fn ip_allow(entries: &[AllowEntry]) -> Expr {
    Expr::Array(
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                Expr::object([
                    ("name", Expr::str(format!("allow{}", i + 1))),
                    ("address", Expr::str(e.address())),
                    ("subnetPrefixLength", Expr::Int(i64::from(e.prefix_len()))),
                ])
            })
            .collect(),
    )
}

fn streaming_endpoint(syms: &Symbols, e: &StreamingEndpoint) -> Resource {
    let mut props = Vec::new();
    if let Some(text) = &e.description {
        props.push(("description", Expr::str(text)));
    }
    props.push(("scaleUnits", Expr::Int(i64::from(e.scale_units))));
    props.push(("cdnEnabled", Expr::Bool(e.cdn_enabled)));
    if !e.cdn_enabled {
        // No accessControl means "every IPv4 address"; an empty list is closed with the
        // documented single deny-all entry instead.
        let allow = if e.allow.is_empty() {
            Expr::Array(vec![Expr::object([
                ("name", Expr::str("denyAllPublic")),
                ("address", Expr::str("0.0.0.0")),
                ("subnetPrefixLength", Expr::Int(32)),
            ])])
        } else {
            ip_allow(&e.allow)
        };
        props.push((
            "accessControl",
            Expr::object([("ip", Expr::object([("allow", allow)]))]),
        ));
    }
    let comment = if e.name == DEFAULT_STREAMING_ENDPOINT {
        "The streaming endpoint every account is created with; declared here so it carries the same restriction. Deploys stopped."
    } else {
        "Streaming endpoint. Deploys stopped (see DEPLOY.md to start it)."
    };
    let mut r = Resource::new(
        syms.get("streamingEndpoint", &e.name),
        "Microsoft.Media/mediaservices/streamingEndpoints",
        api::MEDIA_STREAMING,
        Expr::str(&e.name),
    )
    .with("location", Expr::param(P_LOCATION))
    .with("tags", Expr::param(P_TAGS))
    .with("properties", Expr::object(props))
    .comment(comment);
    r.parent = Some(S_MEDIA.into());
    r
}

fn live_event(syms: &Symbols, e: &LiveEvent) -> Resource {
    let mut props = Vec::new();
    if let Some(text) = &e.description {
        props.push(("description", Expr::str(text)));
    }
    let access = |entries: &[AllowEntry]| {
        Expr::object([("ip", Expr::object([("allow", ip_allow(entries))]))])
    };
    props.push((
        "input",
        Expr::object([
            (
                "streamingProtocol",
                Expr::str(match e.streaming_protocol {
                    StreamingProtocol::Rtmp => "RTMP",
                    StreamingProtocol::FragmentedMP4 => "FragmentedMP4",
                }),
            ),
            ("accessControl", access(&e.ingest_allow)),
        ]),
    ));
    props.push((
        "preview",
        Expr::object([("accessControl", access(&e.preview_allow))]),
    ));
    props.push((
        "encoding",
        Expr::object([(
            "encodingType",
            Expr::str(match e.encoding_type {
                EncodingType::PassthroughBasic => "PassthroughBasic",
                EncodingType::PassthroughStandard => "PassthroughStandard",
                EncodingType::Standard => "Standard",
                EncodingType::Premium1080p => "Premium1080p",
            }),
        )]),
    ));
    let mut r = Resource::new(
        syms.get("liveEvent", &e.name),
        "Microsoft.Media/mediaservices/liveEvents",
        api::MEDIA_STREAMING,
        Expr::str(&e.name),
    )
    .with("location", Expr::param(P_LOCATION))
    .with("tags", Expr::param(P_TAGS))
    .with("properties", Expr::object(props))
    .comment(
        "Live event. An empty ingest or preview list admits no public address. Deploys stopped.",
    );
    r.parent = Some(S_MEDIA.into());
    r
}

fn vnet_symbol(syms: &Symbols, vnet: &Vnet) -> String {
    syms.get("vnet", vnet.key())
}

/// The VNet resource for a new VNet; `None` for an existing subnet.
fn virtual_network(syms: &Symbols, vnet: &Vnet) -> Option<Resource> {
    let Vnet::New {
        name,
        address_prefixes,
        subnet_name,
        subnet_prefix,
    } = vnet
    else {
        return None;
    };
    Some(Resource::new(vnet_symbol(syms, vnet), "Microsoft.Network/virtualNetworks", api::NETWORK, Expr::str(name))
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::param(P_TAGS))
        .with(
            "properties",
            Expr::object([
                (
                    "addressSpace",
                    Expr::object([(
                        "addressPrefixes",
                        Expr::strings(address_prefixes.iter().map(ToString::to_string)),
                    )]),
                ),
                (
                    "subnets",
                    Expr::Array(vec![Expr::object([
                        ("name", Expr::str(subnet_name)),
                        (
                            "properties",
                            Expr::object([
                                ("addressPrefix", Expr::str(subnet_prefix.to_string())),
                                ("privateEndpointNetworkPolicies", Expr::str("Disabled")),
                            ]),
                        ),
                    ])]),
                ),
            ]),
        )
        .comment("VNet for the private endpoints. It keeps Azure-provided DNS, which is what resolves the linked private DNS zones."))
}

fn zone_symbol(zone: Zone) -> String {
    format!("privateDnsZone{}", camel(zone.key()))
}

pub(super) fn zone_name(zone: Zone) -> Expr {
    match zone {
        // environment() has no suffix for these two; the names are the documented ones.
        Zone::Media => Expr::str(MEDIA_ZONE),
        Zone::Vault => Expr::str(VAULT_ZONE),
        Zone::EventGrid => Expr::str(EVENT_GRID_ZONE),
        Zone::ResourceManager => Expr::str(RESOURCE_MANAGER_ZONE),
        Zone::Storage(s) => Expr::format(
            format!("privatelink.{}.{{0}}", s.as_str()),
            vec![Expr::Environment(vec!["suffixes".into(), "storage".into()])],
        ),
    }
}

fn dns_zone(zone: Zone) -> Resource {
    Resource::new(zone_symbol(zone), "Microsoft.Network/privateDnsZones", api::PRIVATE_DNS, zone_name(zone))
        .with("location", Expr::str("global"))
        .with("tags", Expr::param(P_TAGS))
        .with("properties", Expr::Object(Vec::new()))
        .comment(match zone {
            Zone::Media => "Private zone for key delivery, streaming endpoint and live event names (one zone for all three group IDs).",
            Zone::Storage(_) => "Private zone for the storage sub-resource; the suffix follows the cloud via environment().",
            Zone::Vault => "Private zone for the key vault holding the customer-managed key.",
            Zone::EventGrid => "Private zone for the custom Event Grid topic.",
            Zone::ResourceManager => "Private zone for Azure Resource Manager (management.azure.com); link it only where Bastion is not used.",
        })
}

fn dns_link(syms: &Symbols, zone: Zone, vnet: &Vnet) -> Resource {
    let vnet_id = match vnet {
        Vnet::New { .. } => Expr::id(&vnet_symbol(syms, vnet)),
        Vnet::Existing(e) => Expr::existing_id(&e.vnet_id()),
    };
    let mut r = Resource::new(
        syms.get(&format!("{}Link", zone_symbol(zone)), vnet.key()),
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        api::PRIVATE_DNS,
        Expr::str(format!("link-{}", vnet.key())),
    )
    .with("location", Expr::str("global"))
    .with("tags", Expr::param(P_TAGS))
    .with(
        "properties",
        Expr::object([
            ("registrationEnabled", Expr::Bool(false)),
            ("resolutionPolicy", Expr::str("Default")),
            ("virtualNetwork", Expr::object([("id", vnet_id)])),
        ]),
    )
    .comment("Makes the zone answer for clients in this VNet.");
    r.parent = Some(zone_symbol(zone));
    r
}

fn outer_zone_id(d: &Deployment, zone: Zone) -> Option<Expr> {
    match &d.dns {
        Dns::Create => Some(Expr::id(&zone_symbol(zone))),
        Dns::Existing(ids) => ids.get(&zone).map(|id| Expr::existing_id(id)),
        Dns::Policy | Dns::None => None,
    }
}

/// How endpoint resources refer to what they connect to: symbols at the top level,
/// parameters inside a module.
struct EndpointRefs {
    media_name: Expr,
    media_id: Expr,
    storage_name: Expr,
    storage_id: Expr,
    /// The customer-managed key's vault: name and ID.
    vault: Option<(Expr, Expr)>,
    /// The private custom Event Grid topic: name and ID.
    topic: Option<(Expr, Expr)>,
    tags: Expr,
}

/// Private endpoint names: `pe-<account>-<group>-<vnet>`, `{0}` standing for the account.
pub fn endpoint_name_format(group: &str, vnet_key: &str) -> String {
    format!("pe-{{0}}-{group}-{vnet_key}")
}

enum Target {
    Media(GroupId),
    Storage(StorageSubresource),
    Vault,
    Topic,
}

fn endpoints(
    syms: &Symbols,
    d: &Deployment,
    vnet: &Vnet,
    refs: &EndpointRefs,
    subnet_id: &Expr,
    location: &Expr,
    zone_id: &dyn Fn(Zone) -> Option<Expr>,
) -> Vec<Resource> {
    let targets = d
        .groups
        .iter()
        .map(|g| Target::Media(*g))
        .chain(d.storage.subresources.iter().map(|s| Target::Storage(*s)))
        .chain(refs.vault.iter().map(|_| Target::Vault))
        .chain(refs.topic.iter().map(|_| Target::Topic));
    let mut out = Vec::new();
    for target in targets {
        let (group, account_name, service_id, zone, what) = match target {
            Target::Vault => {
                let Some((name, id)) = &refs.vault else {
                    continue;
                };
                ("vault", name, id, Zone::Vault, "the key vault")
            }
            Target::Topic => {
                let Some((name, id)) = &refs.topic else {
                    continue;
                };
                ("topic", name, id, Zone::EventGrid, "the Event Grid topic")
            }
            Target::Media(g) => (
                g.as_str(),
                &refs.media_name,
                &refs.media_id,
                Zone::Media,
                "Media Services",
            ),
            Target::Storage(s) => (
                s.as_str(),
                &refs.storage_name,
                &refs.storage_id,
                Zone::Storage(s),
                "storage",
            ),
        };
        let pe_symbol = syms.get(&format!("pe{}", camel(group)), vnet.key());
        let name = Expr::format(
            endpoint_name_format(group, vnet.key()),
            vec![account_name.clone()],
        );
        let nic = Expr::format(
            format!("{}-nic", endpoint_name_format(group, vnet.key())),
            vec![account_name.clone()],
        );
        out.push(private_endpoint(&EndpointSpec {
            symbol: &pe_symbol,
            name,
            nic,
            location: location.clone(),
            tags: refs.tags.clone(),
            subnet_id: subnet_id.clone(),
            service_id: service_id.clone(),
            group,
            comment: format!(
                "Private endpoint for {what} `{group}` in {}: one group ID per endpoint.",
                vnet.key()
            ),
        }));
        if let Some(zone_id) = zone_id(zone) {
            out.push(zone_group(&pe_symbol, zone, zone_id));
        }
    }
    out
}

/// What one private endpoint needs; shared by every template that creates endpoints.
pub(super) struct EndpointSpec<'a> {
    pub symbol: &'a str,
    pub name: Expr,
    pub nic: Expr,
    pub location: Expr,
    pub tags: Expr,
    pub subnet_id: Expr,
    pub service_id: Expr,
    pub group: &'a str,
    pub comment: String,
}

pub(super) fn private_endpoint(e: &EndpointSpec) -> Resource {
    Resource::new(
        e.symbol,
        "Microsoft.Network/privateEndpoints",
        api::NETWORK,
        e.name.clone(),
    )
    .with("location", e.location.clone())
    .with("tags", e.tags.clone())
    .with(
        "properties",
        Expr::object([
            ("subnet", Expr::object([("id", e.subnet_id.clone())])),
            ("customNetworkInterfaceName", e.nic.clone()),
            (
                "privateLinkServiceConnections",
                Expr::Array(vec![Expr::object([
                    ("name", e.name.clone()),
                    (
                        "properties",
                        Expr::object([
                            ("privateLinkServiceId", e.service_id.clone()),
                            ("groupIds", Expr::strings([e.group])),
                        ]),
                    ),
                ])]),
            ),
        ]),
    )
    .comment(e.comment.clone())
}

/// The one zone group of an endpoint, registering it in its zone.
pub(super) fn zone_group(pe_symbol: &str, zone: Zone, zone_id: Expr) -> Resource {
    let mut r = Resource::new(
        format!("{pe_symbol}Dns"),
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        api::NETWORK,
        Expr::str("default"),
    )
    .with(
        "properties",
        Expr::object([(
            "privateDnsZoneConfigs",
            Expr::Array(vec![Expr::object([
                ("name", Expr::str(zone.key())),
                ("properties", Expr::object([("privateDnsZoneId", zone_id)])),
            ])]),
        )]),
    )
    .comment("Registers the endpoint's addresses in the private DNS zone.");
    r.parent = Some(pe_symbol.to_owned());
    r
}

fn zone_param(zone: Zone) -> String {
    format!("{}PrivateDnsZoneId", zone.key())
}

fn endpoint_module(syms: &Symbols, d: &Deployment, vnet: &Vnet, e: &ExistingSubnet) -> Module {
    let string_param =
        |name: &str, description: &str| Param::new(name, ParamType::String, description);
    let mut params = vec![
        (
            string_param(
                P_LOCATION,
                "Region of the existing VNet (a private endpoint lives in its VNet's region).",
            ),
            e.location
                .as_ref()
                .map_or(Expr::param(P_LOCATION), Expr::str),
        ),
        (
            Param::new(P_TAGS, ParamType::Object, "Tags put on every resource."),
            Expr::param(P_TAGS),
        ),
    ];
    if !d.groups.is_empty() {
        params.push((
            string_param(
                P_MEDIA_NAME,
                "Media Services account name (used in endpoint names).",
            ),
            Expr::param(P_MEDIA_NAME),
        ));
        params.push((
            string_param(P_MEDIA_ID, "Resource ID of the Media Services account."),
            Expr::id(S_MEDIA),
        ));
    }
    if !d.storage.subresources.is_empty() {
        params.push((
            string_param(
                P_STORAGE_NAME,
                "Storage account name (used in endpoint names).",
            ),
            Expr::param(P_STORAGE_NAME),
        ));
        params.push((
            string_param(P_STORAGE_ID, "Resource ID of the storage account."),
            Expr::id(S_STORAGE),
        ));
    }
    let zones: BTreeSet<Zone> = d
        .zones()
        .into_iter()
        .filter(|z| outer_zone_id(d, *z).is_some())
        .collect();
    for zone in &zones {
        if let Some(id) = outer_zone_id(d, *zone) {
            params.push((
                string_param(
                    &zone_param(*zone),
                    &format!("Resource ID of the private DNS zone for {}.", zone.key()),
                ),
                id,
            ));
        }
    }
    let topic = topic_name(d).map(|name| {
        params.push((
            string_param(
                P_TOPIC_NAME,
                "Event Grid topic name (used in endpoint names).",
            ),
            Expr::str(name),
        ));
        params.push((
            string_param(P_TOPIC_ID, "Resource ID of the Event Grid topic."),
            Expr::id(S_TOPIC),
        ));
        (Expr::param(P_TOPIC_NAME), Expr::param(P_TOPIC_ID))
    });
    let vault = d.media.customer_key().map(|k| {
        let (name, id) = vault_refs(&k.vault);
        params.push((
            string_param(P_VAULT_NAME_IN, "Key vault name (used in endpoint names)."),
            name,
        ));
        params.push((
            string_param(P_VAULT_ID, "Resource ID of the key vault."),
            id,
        ));
        (Expr::param(P_VAULT_NAME_IN), Expr::param(P_VAULT_ID))
    });
    let refs = EndpointRefs {
        media_name: Expr::param(P_MEDIA_NAME),
        media_id: Expr::param(P_MEDIA_ID),
        storage_name: Expr::param(P_STORAGE_NAME),
        storage_id: Expr::param(P_STORAGE_ID),
        vault,
        topic,
        tags: Expr::param(P_TAGS),
    };
    let zone_id = |z: Zone| zones.contains(&z).then(|| Expr::Param(zone_param(z)));
    let resources = endpoints(
        syms,
        d,
        vnet,
        &refs,
        &Expr::existing_id(&e.id),
        &Expr::param(P_LOCATION),
        &zone_id,
    );
    let mut deployment_name = format!("pe-{}", vnet.key());
    deployment_name.truncate(MAX_DEPLOYMENT_NAME);
    Module {
        symbol: syms.get("endpoints", vnet.key()),
        file: format!("modules/private-endpoints-{}.bicep", vnet.key()),
        deployment_name: Expr::str(deployment_name),
        subscription_id: e.subscription_id.clone(),
        resource_group: e.resource_group.clone(),
        description: format!(
            "Private endpoints in the existing VNet {} (resource group {}, subscription {}): an endpoint must be in its VNet's subscription and region.",
            e.vnet_name, e.resource_group, e.subscription_id
        ),
        params,
        resources,
    }
}

fn outputs(d: &Deployment) -> Vec<Output> {
    let mut out = vec![
        Output {
            name: "mediaServicesAccountId".into(),
            ty: ParamType::String,
            description: "Resource ID of the Media Services account.".into(),
            value: Expr::id(S_MEDIA),
        },
        Output {
            name: "storageAccountId".into(),
            ty: ParamType::String,
            description: "Resource ID of the storage account.".into(),
            value: Expr::id(S_STORAGE),
        },
    ];
    let principal = match d.media.identity {
        IdentityKind::UserAssigned => Expr::Reference {
            symbol: S_IDENTITY.into(),
            path: vec!["principalId".into()],
            full: false,
        },
        IdentityKind::SystemAssigned => Expr::Reference {
            symbol: S_MEDIA.into(),
            path: vec!["identity".into(), "principalId".into()],
            full: true,
        },
    };
    out.push(Output {
        name: "identityPrincipalId".into(),
        ty: ParamType::String,
        description: "Principal ID of the identity Media Services uses for storage (not a secret)."
            .into(),
        value: principal,
    });
    out
}

/// Hands out Bicep identifiers: `get("vnet", "vnet-hub.1")` → `vnetVnetHub1`. Different texts
/// that camel-case alike (`a-b`, `ab`) get distinct symbols; the same text always the same one.
#[derive(Default)]
pub struct Symbols {
    given: std::cell::RefCell<std::collections::BTreeMap<(String, String), String>>,
}

impl Symbols {
    pub fn get(&self, prefix: &str, text: &str) -> String {
        let mut given = self.given.borrow_mut();
        let key = (prefix.to_owned(), text.to_owned());
        if let Some(s) = given.get(&key) {
            return s.clone();
        }
        let base = format!("{prefix}{}", camel(text));
        let mut candidate = base.clone();
        let mut n = 2;
        while given.values().any(|v| *v == candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        given.insert(key, candidate.clone());
        candidate
    }
}

fn camel(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_stable_and_distinct() {
        let syms = Symbols::default();
        let a = syms.get("vnet", "vnet-a");
        assert_eq!(a, "vnetVnetA");
        assert_eq!(syms.get("vnet", "vnet-a"), a, "same text, same symbol");
        let b = syms.get("vnet", "vnet.a");
        assert_ne!(a, b, "texts that camel-case alike get distinct symbols");
        assert_eq!(syms.get("liveEvent", "live-1"), "liveEventLive1");
    }
}
