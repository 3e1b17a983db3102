//! The values file as typed data: the shape the schema describes, after defaults.
//! It is also what the answers file serialises, so replaying it gives the same model.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Values {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub cloud: Cloud,
    pub media_services: MediaServicesValues,
    pub storage: StorageValues,
    /// Written as `null` when off, so an answers file says so and the wizard does not ask.
    #[serde(default)]
    pub event_grid: Option<EventGridValues>,
    /// `null` when off, like `eventGrid`.
    #[serde(default)]
    pub resource_manager_private_link: Option<ResourceManagerLinkValues>,
    pub network: NetworkValues,
    pub private_link: PrivateLinkValues,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MediaServicesValues {
    pub name: String,
    /// The default of the `deployMediaServices` template parameter.
    pub deploy: bool,
    pub identity: IdentityKind,
    pub minimum_tls_version: TlsVersion,
    pub public_network_access: PublicNetworkAccess,
    pub encryption: EncryptionValues,
    pub key_delivery: KeyDeliveryValues,
    pub streaming_endpoints: Vec<StreamingEndpointValues>,
    pub live_events: Vec<LiveEventValues>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IdentityKind {
    UserAssigned,
    SystemAssigned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TlsVersion {
    Tls12,
    Tls13,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublicNetworkAccess {
    Disabled,
    Enabled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EncryptionValues {
    #[serde(rename = "type")]
    pub kind: EncryptionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_vault: Option<NewKeyVaultValues>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_key: Option<ExistingKeyValues>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EncryptionKind {
    SystemKey,
    CustomerKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewKeyVaultValues {
    pub name: String,
    pub key_name: String,
    pub key_type: KeyType,
    pub key_size: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExistingKeyValues {
    pub vault_id: String,
    pub key_name: String,
    pub key_type: KeyType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Off by default: a shared vault is reached through its own endpoint.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private_endpoint: bool,
}

/// The Azure cloud: it decides the private DNS zone names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Cloud {
    #[default]
    AzureCloud,
    AzureUSGovernment,
    AzureChinaCloud,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyType {
    #[serde(rename = "RSA-HSM")]
    RsaHsm,
    #[serde(rename = "RSA")]
    Rsa,
    #[serde(rename = "EC")]
    Ec,
    #[serde(rename = "EC-HSM")]
    EcHsm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DefaultAction {
    Deny,
    Allow,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyDeliveryValues {
    pub default_action: DefaultAction,
    pub ip_allow_list: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StreamingEndpointValues {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub scale_units: u32,
    pub cdn_enabled: bool,
    pub ip_allow_list: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LiveEventValues {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub streaming_protocol: StreamingProtocol,
    pub encoding_type: EncodingType,
    pub ingest_allow_list: Vec<String>,
    pub preview_allow_list: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StreamingProtocol {
    #[serde(rename = "RTMP")]
    Rtmp,
    FragmentedMP4,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EncodingType {
    PassthroughBasic,
    PassthroughStandard,
    Standard,
    Premium1080p,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageValues {
    pub name: String,
    pub sku: String,
    pub private_endpoints: Vec<StorageSubresource>,
    pub ip_rules: Vec<String>,
    /// `None`: follows `mediaServices.deploy` (the rules say how).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_network_access: Option<PublicNetworkAccess>,
    /// `None`: follows `mediaServices.deploy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_shared_key_access: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageSubresource {
    Blob,
    Queue,
    Table,
    File,
}

impl StorageSubresource {
    pub fn as_str(self) -> &'static str {
        match self {
            StorageSubresource::Blob => "blob",
            StorageSubresource::Queue => "queue",
            StorageSubresource::Table => "table",
            StorageSubresource::File => "file",
        }
    }

    /// The group ID of its read-access secondary; file shares have none.
    pub fn secondary_group(self) -> Option<&'static str> {
        match self {
            StorageSubresource::Blob => Some("blob_secondary"),
            StorageSubresource::Queue => Some("queue_secondary"),
            StorageSubresource::Table => Some("table_secondary"),
            StorageSubresource::File => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventGridValues {
    pub destination: DestinationValues,
    pub event_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_topic: Option<CustomTopicValues>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DestinationValues {
    #[serde(rename = "type")]
    pub kind: DestinationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_hub_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DestinationKind {
    StorageQueue,
    EventHub,
    Webhook,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomTopicValues {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceManagerLinkValues {
    pub management_group_id: String,
    pub existing_subnet_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub link_new_zones: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkValues {
    pub vnets: Vec<VnetValues>,
    /// Written as `null` when there is none, like `eventGrid`, so the wizard does not ask.
    #[serde(default)]
    pub dns_resolver: Option<DnsResolverValues>,
    /// `null` when there are none.
    #[serde(default)]
    pub on_premises: Option<OnPremisesValues>,
}

/// An Azure DNS Private Resolver in one VNet of the list: created (`inbound_subnet`) or
/// existing (`inbound_address` alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DnsResolverValues {
    pub vnet: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_subnet: Option<SubnetValues>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_subnet: Option<SubnetValues>,
}

/// On-premises networks that come in through one VNet's gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OnPremisesValues {
    pub gateway_vnet: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address_prefixes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VnetValues {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_prefixes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet: Option<SubnetValues>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_subnet_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `None`: endpoints here (the default, so the one-VNet file stays short).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_endpoints: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connected_to: Vec<String>,
    /// How the connections in `connected_to` come about; `None`: created here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peering: Option<PeeringMode>,
    /// This VNet's own DNS; `None`: `privateLink.dns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsValues>,
    /// The DNS servers its clients ask; empty: Azure-provided DNS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_servers: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forwarding_ruleset: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub link_new_zones: bool,
    /// Existing subnet: its address range, which static endpoint addresses are checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_subnet_prefix: Option<String>,
    /// Addresses, network interface names and application security groups of the endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_settings: Option<EndpointSettingsValues>,
}

/// What a network team controls about the private endpoints of one VNet: defaults for all of
/// them, and per group ID what differs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointSettingsValues {
    /// Pattern of the network interface names: `{endpoint}`, `{resource}`, `{group}`, `{vnet}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nic_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub application_security_group_ids: Vec<String>,
    /// By group ID (`blob`, `vault`, `keydelivery`, `blob_secondary`...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub overrides: BTreeMap<String, EndpointOverrideValues>,
}

/// One endpoint's own settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointOverrideValues {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nic_name: Option<String>,
    /// `None`: the VNet's; empty: none for this endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_security_group_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeeringMode {
    /// The template creates both halves.
    Create,
    /// Connected already (peered, or routed through a hub); a prerequisite.
    Existing,
}

impl PeeringMode {
    pub fn as_str(self) -> &'static str {
        match self {
            PeeringMode::Create => "create",
            PeeringMode::Existing => "existing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubnetValues {
    pub name: String,
    pub address_prefix: String,
    /// An existing network security group for the subnet; `None`: the template creates one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_security_group_id: Option<String>,
    /// An existing route table for the subnet; `None`: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrivateLinkValues {
    pub groups: Vec<GroupId>,
    pub dns: DnsValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupId {
    Keydelivery,
    Streamingendpoint,
    Liveevent,
}

impl GroupId {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupId::Keydelivery => "keydelivery",
            GroupId::Streamingendpoint => "streamingendpoint",
            GroupId::Liveevent => "liveevent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DnsValues {
    pub mode: DnsMode,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub zone_ids: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DnsMode {
    Create,
    Existing,
    Policy,
    None,
}
