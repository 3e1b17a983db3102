//! The one table of API versions the generated templates pin, for every resource type they
//! declare (deployed, `existing`, nested deployments) and every `reference()` they make.
//!
//! Microsoft's checks (Bicep's `use-recent-api-versions`, arm-ttk's `apiVersions Should Be
//! Recent`) want each version to be the newest one or younger than 730 days. A test holds
//! every entry against `shared/arm-schemas/known-api-versions.json` as of [`REVIEWED`]; how to
//! move them forward is in the README ("API versions").

/// The day this table was last checked against the known versions. Moving a version forward
/// means moving this date too; the test then measures each version's age from it.
pub const REVIEWED: &str = "2026-12-01";

/// Retired service: 2023-01-01 is the last version Microsoft published.
pub const MEDIA: &str = "2023-01-01";
/// Streaming endpoints and live events: their last published version.
pub const MEDIA_STREAMING: &str = "2022-11-01";
pub const STORAGE: &str = "2026-04-01";
pub const IDENTITY: &str = "2024-11-30";
pub const ROLE_ASSIGNMENT: &str = "2022-04-01";
/// Virtual networks, their subnets and security groups, private endpoints and their zone
/// groups.
pub const NETWORK: &str = "2025-07-01";
pub const PRIVATE_DNS: &str = "2024-06-01";
/// DNS Private Resolver: the resolver, its endpoints, forwarding rulesets and their rules
/// and links.
pub const DNS_RESOLVER: &str = "2025-05-01";
pub const KEY_VAULT: &str = "2026-02-01";
pub const EVENT_GRID: &str = "2025-02-15";
/// Only referred to (`existing`) in the access module; Event Hubs is not in the bundled
/// ARM schemas, so Bicep's own type data is what checks this one.
pub const EVENT_HUB: &str = "2026-01-01";
/// Nested deployments (modules in Bicep).
pub const DEPLOYMENTS: &str = "2025-04-01";
/// Policy definitions and assignments (the companion template of DNS mode policy).
pub const POLICY: &str = "2025-03-01";
/// Resource Manager private links and their management-group associations.
pub const RESOURCE_MANAGEMENT_PRIVATE_LINK: &str = "2020-05-01";

/// The pinned version of a resource type (letter case ignored), with the type as the table
/// spells it.
pub fn lookup(rtype: &str) -> Option<(&'static str, &'static str)> {
    TABLE
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(rtype))
        .copied()
}

/// Every resource type the generator can write, with its version. Types not listed here are
/// never written (a test renders every example and checks).
pub const TABLE: &[(&str, &str)] = &[
    ("Microsoft.Media/mediaservices", MEDIA),
    (
        "Microsoft.Media/mediaservices/streamingEndpoints",
        MEDIA_STREAMING,
    ),
    ("Microsoft.Media/mediaservices/liveEvents", MEDIA_STREAMING),
    ("Microsoft.Storage/storageAccounts", STORAGE),
    ("Microsoft.Storage/storageAccounts/queueServices", STORAGE),
    (
        "Microsoft.Storage/storageAccounts/queueServices/queues",
        STORAGE,
    ),
    ("Microsoft.ManagedIdentity/userAssignedIdentities", IDENTITY),
    ("Microsoft.Authorization/roleAssignments", ROLE_ASSIGNMENT),
    ("Microsoft.Authorization/policyDefinitions", POLICY),
    ("Microsoft.Authorization/policyAssignments", POLICY),
    ("Microsoft.Authorization/roleDefinitions", ROLE_ASSIGNMENT),
    ("Microsoft.Network/virtualNetworks", NETWORK),
    ("Microsoft.Network/virtualNetworks/subnets", NETWORK),
    ("Microsoft.Network/networkSecurityGroups", NETWORK),
    ("Microsoft.Network/privateEndpoints", NETWORK),
    (
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        NETWORK,
    ),
    ("Microsoft.Network/privateDnsZones", PRIVATE_DNS),
    (
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        PRIVATE_DNS,
    ),
    (
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        NETWORK,
    ),
    ("Microsoft.Network/dnsResolvers", DNS_RESOLVER),
    (
        "Microsoft.Network/dnsResolvers/inboundEndpoints",
        DNS_RESOLVER,
    ),
    (
        "Microsoft.Network/dnsResolvers/outboundEndpoints",
        DNS_RESOLVER,
    ),
    ("Microsoft.Network/dnsForwardingRulesets", DNS_RESOLVER),
    (
        "Microsoft.Network/dnsForwardingRulesets/forwardingRules",
        DNS_RESOLVER,
    ),
    (
        "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
        DNS_RESOLVER,
    ),
    ("Microsoft.KeyVault/vaults", KEY_VAULT),
    ("Microsoft.KeyVault/vaults/keys", KEY_VAULT),
    ("Microsoft.EventGrid/systemTopics", EVENT_GRID),
    (
        "Microsoft.EventGrid/systemTopics/eventSubscriptions",
        EVENT_GRID,
    ),
    ("Microsoft.EventGrid/topics", EVENT_GRID),
    ("Microsoft.EventHub/namespaces", EVENT_HUB),
    ("Microsoft.EventHub/namespaces/eventhubs", EVENT_HUB),
    ("Microsoft.Resources/deployments", DEPLOYMENTS),
    (
        "Microsoft.Authorization/resourceManagementPrivateLinks",
        RESOURCE_MANAGEMENT_PRIVATE_LINK,
    ),
    (
        "Microsoft.Authorization/privateLinkAssociations",
        RESOURCE_MANAGEMENT_PRIVATE_LINK,
    ),
];
