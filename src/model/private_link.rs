//! The private-link catalogue: every target that gets a private endpoint, its group ID, its
//! zone in each cloud, and the names derived from it. The rules, the template builders, the
//! summary, DEPLOY.md and the wizard read it; nothing else lists targets or zones.
//!
//! Zone names: Microsoft's "Azure Private Endpoint private DNS zone values"
//! (private-link/private-endpoint-dns.md), commercial, Government and China tables; see
//! shared/docs/azure-facts.md §3.2 and §3.2a.

use super::*;

/// The private DNS zones an endpoint's records go into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Zone {
    Media,
    Storage(StorageSubresource),
    Vault,
    EventGrid,
    /// Only in the Resource Manager private link template, never linked to the other VNets.
    ResourceManager,
}

pub const MEDIA_ZONE: &str = "privatelink.media.azure.net";
pub const VAULT_ZONE: &str = "privatelink.vaultcore.azure.net";
pub const EVENT_GRID_ZONE: &str = "privatelink.eventgrid.azure.net";
pub const RESOURCE_MANAGER_ZONE: &str = "privatelink.azure.com";

impl Zone {
    /// An existing zone's ID must name the zone this kind of endpoint registers in, in the
    /// chosen cloud.
    pub fn check_id(self, id: &str, cloud: Cloud) -> Result<(), String> {
        let zone_name = ResourceId::name_in(id).to_lowercase();
        let expected = self.name(cloud)?;
        if zone_name == expected {
            Ok(())
        } else {
            Err(format!(
                "zone `{zone_name}` is not the {} zone; records for {} endpoints only resolve in `{expected}`",
                self.key(),
                self.key()
            ))
        }
    }

    /// Whether a current built-in policy writes the zone groups of the endpoints that register
    /// in this zone. Every target of a zone shares the answer (a test holds it), so one
    /// target stands for all.
    pub fn written_by_built_in_policy(self) -> bool {
        let any_target = match self {
            Zone::Media => Service::Media(GroupId::Keydelivery),
            Zone::Storage(s) => Service::Storage(s),
            Zone::Vault => Service::Vault,
            Zone::EventGrid => Service::Topic,
            Zone::ResourceManager => Service::ResourceManager,
        };
        any_target.built_in_dns_policy().is_some()
    }

    /// The key used in `privateLink.dns.zoneIds`.
    pub fn key(self) -> &'static str {
        match self {
            Zone::Vault => "vault",
            Zone::EventGrid => "eventgrid",
            Zone::ResourceManager => "resourcemanager",
            Zone::Media => "media",
            Zone::Storage(s) => s.as_str(),
        }
    }
}

/// Longest name Azure accepts for a private endpoint (and its network interface, VNet link or
/// deployment).
pub const MAX_ENDPOINT_NAME: usize = 64;

/// Longest name Azure accepts for a network interface.
pub const MAX_NIC_NAME: usize = 80;

/// What a network interface name pattern may name, in the order [`Target::nic_name`] fills
/// them in: the endpoint's name, the resource's, the group ID, the VNet's.
pub const NIC_PLACEHOLDERS: [&str; 4] = ["{endpoint}", "{resource}", "{group}", "{vnet}"];

/// Every endpoint name the rules let through leaves room for the `-nic` suffix of its default
/// interface name.
const _: () = assert!(MAX_ENDPOINT_NAME + "-nic".len() <= MAX_NIC_NAME);

/// What a private endpoint connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    Media(GroupId),
    Storage(StorageSubresource),
    /// The read-access secondary of a sub-resource (read-access geo-redundant SKUs only).
    StorageSecondary(StorageSubresource),
    Vault,
    Topic,
    ResourceManager,
}

/// The resource a target belongs to: the account for each of its group IDs, the storage
/// account for each sub-resource. A door, and a box in the picture, is one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetResource {
    Media,
    Storage,
    Vault,
    Topic,
    ResourceManager,
}

impl TargetResource {
    /// Every one, in the order the picture draws their boxes. A new one goes here too.
    pub const ALL: [TargetResource; 5] = [
        TargetResource::Media,
        TargetResource::Storage,
        TargetResource::Vault,
        TargetResource::Topic,
        TargetResource::ResourceManager,
    ];
}

impl Service {
    pub fn resource(self) -> TargetResource {
        match self {
            Service::Media(_) => TargetResource::Media,
            Service::Storage(_) | Service::StorageSecondary(_) => TargetResource::Storage,
            Service::Vault => TargetResource::Vault,
            Service::Topic => TargetResource::Topic,
            Service::ResourceManager => TargetResource::ResourceManager,
        }
    }
}

/// One private-link target of this deployment: a service and the resource it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub service: Service,
    /// The resource's name (account, vault, topic, private link), used in endpoint names.
    pub resource: String,
}

impl Service {
    /// The private-link group ID (sub-resource) the endpoint asks for.
    pub fn group_id(self) -> &'static str {
        match self {
            Service::Media(g) => g.as_str(),
            Service::Storage(s) => s.as_str(),
            // The catalogue makes a secondary only of a sub-resource that has one (not `file`).
            Service::StorageSecondary(s) => s.secondary_group().unwrap_or(s.as_str()),
            Service::Vault => "vault",
            Service::Topic => "topic",
            Service::ResourceManager => "ResourceManagement",
        }
    }

    /// The short label used in endpoint names and symbols.
    pub fn label(self) -> &'static str {
        match self {
            Service::ResourceManager => "rmpl",
            Service::StorageSecondary(StorageSubresource::Blob) => "blob-secondary",
            Service::StorageSecondary(StorageSubresource::Queue) => "queue-secondary",
            Service::StorageSecondary(StorageSubresource::Table) => "table-secondary",
            other => other.group_id(),
        }
    }

    /// The member name a static address of this target's endpoint is for: the
    /// `requiredMembers` of its private link resource, as Microsoft's REST API examples list
    /// them (shared/docs/azure-facts.md §3.1a). `None` where they are not documented: the
    /// tool then refuses a static address rather than guess.
    pub fn member_name(self) -> Option<&'static str> {
        match self {
            Service::Media(GroupId::Keydelivery) => Some("keydelivery"),
            Service::Storage(StorageSubresource::Blob) => Some("blob"),
            Service::Storage(StorageSubresource::Table) => Some("table"),
            Service::StorageSecondary(StorageSubresource::Blob) => Some("blob_secondary"),
            Service::StorageSecondary(StorageSubresource::Table) => Some("table_secondary"),
            Service::Vault => Some("default"),
            Service::Topic => Some("topic"),
            Service::Media(GroupId::Streamingendpoint | GroupId::Liveevent)
            | Service::Storage(StorageSubresource::Queue | StorageSubresource::File)
            | Service::StorageSecondary(_)
            | Service::ResourceManager => None,
        }
    }

    pub fn zone(self) -> Zone {
        match self {
            Service::Media(_) => Zone::Media,
            // The secondary's name, `<account>-secondary`, lives in the primary's zone.
            Service::Storage(s) | Service::StorageSecondary(s) => Zone::Storage(s),
            Service::Vault => Zone::Vault,
            Service::Topic => Zone::EventGrid,
            Service::ResourceManager => Zone::ResourceManager,
        }
    }

    /// The type of the resource the endpoint connects to, as its `privateLinkServiceId`
    /// names it (a policy rule matches on it).
    pub fn resource_type(self) -> &'static str {
        match self {
            Service::Media(_) => "Microsoft.Media/mediaservices",
            Service::Storage(_) | Service::StorageSecondary(_) => {
                "Microsoft.Storage/storageAccounts"
            }
            Service::Vault => "Microsoft.KeyVault/vaults",
            Service::Topic => "Microsoft.EventGrid/topics",
            Service::ResourceManager => "Microsoft.Authorization/resourceManagementPrivateLinks",
        }
    }

    /// Microsoft's current built-in DeployIfNotExists policy that adds this target's zone
    /// group (its definition's name), or `None` where none does: the one for Media Services
    /// (`b4a7f6c1-585e-4177-ad5b-c2c93f4bb991`) is deprecated with its default effect
    /// `Disabled`, and Resource Manager's group has none. In DNS mode policy the companion
    /// template writes a policy for each of those (shared/docs/azure-facts.md §3.2d).
    pub fn built_in_dns_policy(self) -> Option<&'static str> {
        match self {
            Service::Storage(StorageSubresource::Blob) => {
                Some("75973700-529f-4de2-b794-fb9b6781b6b0")
            }
            Service::Storage(StorageSubresource::Table) => {
                Some("028bbd88-e9b5-461f-9424-a1b63a7bee1a")
            }
            Service::Storage(StorageSubresource::Queue) => {
                Some("bcff79fb-2b0d-47c9-97e5-3023479b00d1")
            }
            Service::Storage(StorageSubresource::File) => {
                Some("6df98d03-368a-4438-8730-a93c4d7693d6")
            }
            Service::StorageSecondary(StorageSubresource::Blob) => {
                Some("d847d34b-9337-4e2d-99a5-767e5ac9c582")
            }
            Service::StorageSecondary(StorageSubresource::Table) => {
                Some("c1d634a5-f73d-4cdd-889f-2cc7006eb47f")
            }
            Service::StorageSecondary(StorageSubresource::Queue) => {
                Some("da9b4ae8-5ddc-48c5-b9c0-25f8abf7a3d6")
            }
            // `file` has no secondary endpoint; the catalogue never makes one.
            Service::StorageSecondary(StorageSubresource::File) => None,
            Service::Vault => Some("ac673a9a-f77d-4846-b2d8-a57f8e1c01d4"),
            Service::Topic => Some("baf19753-7502-405f-8745-370519b20483"),
            Service::Media(_) | Service::ResourceManager => None,
        }
    }

    /// Deployed only together with the Media Services account.
    pub fn needs_media(self) -> bool {
        matches!(self, Service::Media(_))
    }

    /// For comments and messages.
    pub fn what(self) -> &'static str {
        match self {
            Service::Media(_) => "Media Services",
            Service::Storage(_) => "storage",
            Service::StorageSecondary(_) => "read-access secondary storage",
            Service::Vault => "the key vault",
            Service::Topic => "the Event Grid topic",
            Service::ResourceManager => "Resource Manager",
        }
    }
}

impl Target {
    /// `pe-<resource>-<group>-<vnet>`; the Resource Manager endpoint is `pe-<link>-<vnet>`.
    pub fn endpoint_name(&self, vnet_key: &str) -> String {
        match self.service {
            Service::ResourceManager => format!("pe-{}-{vnet_key}", self.resource),
            s => format!("pe-{}-{}-{vnet_key}", self.resource, s.label()),
        }
    }

    /// The endpoint's network interface: `pattern` with its placeholders filled in (the rules
    /// have refused any other), or by default the endpoint name plus `-nic`.
    pub fn nic_name(&self, vnet_key: &str, pattern: Option<&str>) -> String {
        let values = [
            self.endpoint_name(vnet_key),
            self.resource.clone(),
            self.service.group_id().to_owned(),
            vnet_key.to_owned(),
        ];
        NIC_PLACEHOLDERS.iter().zip(values).fold(
            pattern.unwrap_or("{endpoint}-nic").to_owned(),
            |name, (placeholder, value)| name.replace(placeholder, &value),
        )
    }

    /// This target with its resource's name left as `{0}`, as the templates hold it (in a
    /// parameter): its names become format strings of that parameter.
    pub fn templated(&self) -> Target {
        Target {
            service: self.service,
            resource: "{0}".into(),
        }
    }

    /// Who this target is, for messages: "storage `blob` of tailspinstore".
    pub fn describe(&self) -> String {
        format!(
            "{} `{}` of {}",
            self.service.what(),
            self.service.label(),
            self.resource
        )
    }
}

impl Deployment {
    /// Every target that gets a private endpoint in each VNet with endpoints, in a stable order
    /// (Media Services group IDs, storage sub-resources, the vault, the custom topic). The
    /// Resource Manager private link is separate: [`Deployment::resource_manager_target`].
    pub fn targets(&self) -> Vec<Target> {
        targets_of(
            &self.media,
            &self.groups,
            &self.storage,
            self.event_grid.as_ref(),
        )
    }

    /// The targets whose endpoints this deployment makes: without Media Services, the
    /// foundation's alone (its own resolve to nothing that exists).
    pub fn deployed_targets(&self) -> Vec<Target> {
        self.targets()
            .into_iter()
            .filter(|t| self.media.deploy || !t.service.needs_media())
            .collect()
    }

    pub fn resource_manager_target(&self) -> Option<Target> {
        self.resource_manager.as_ref().map(|rm| Target {
            service: Service::ResourceManager,
            resource: rm.name.clone(),
        })
    }

    /// The zones this deployment's endpoints register in, in a stable order.
    pub fn zones(&self) -> Vec<Zone> {
        zones_of(&self.targets())
    }
}

/// The zones of `targets`, each once, in the order of their first target.
pub(crate) fn zones_of(targets: &[Target]) -> Vec<Zone> {
    let mut zones: Vec<Zone> = Vec::new();
    for zone in targets.iter().map(|t| t.service.zone()) {
        if !zones.contains(&zone) {
            zones.push(zone);
        }
    }
    zones
}

/// Whether a storage SKU keeps a secondary that clients may read (RA-GRS, RA-GZRS).
pub(crate) fn read_access_secondary(sku: &str) -> bool {
    sku.starts_with("Standard_RA")
}

/// What the catalogue is computed from.
struct Inputs<'a> {
    media: &'a str,
    groups: &'a [GroupId],
    storage: &'a str,
    subresources: &'a [StorageSubresource],
    /// The SKU keeps a readable secondary: each sub-resource with one gets its endpoint too.
    read_access: bool,
    /// The vault's name, and whether it gets an endpoint.
    vault: Option<(&'a str, bool)>,
    topic: Option<&'a str>,
}

/// The catalogue itself: every target, in a stable order.
fn catalogue(i: Inputs) -> Vec<Target> {
    let target = |service, resource: &str| Target {
        service,
        resource: resource.to_owned(),
    };
    let mut out: Vec<Target> = i
        .groups
        .iter()
        .map(|g| target(Service::Media(*g), i.media))
        .collect();
    for s in i.subresources {
        out.push(target(Service::Storage(*s), i.storage));
        if i.read_access && s.secondary_group().is_some() {
            out.push(target(Service::StorageSecondary(*s), i.storage));
        }
    }
    if let Some((vault, true)) = i.vault {
        out.push(target(Service::Vault, vault));
    }
    if let Some(topic) = i.topic {
        out.push(target(Service::Topic, topic));
    }
    out
}

/// The catalogue of the checked model; the rules call it before the deployment is assembled.
pub(crate) fn targets_of(
    media: &Media,
    groups: &[GroupId],
    storage: &Storage,
    event_grid: Option<&EventGrid>,
) -> Vec<Target> {
    // A vault that exists is normally reached through its own endpoint already.
    let vault = media.customer_key().map(|key| match &key.vault {
        KeyVault::New { name, .. } => (name.as_str(), true),
        KeyVault::Existing {
            name,
            private_endpoint,
            ..
        } => (name.as_str(), *private_endpoint),
    });
    catalogue(Inputs {
        media: &media.name,
        groups,
        storage: &storage.name,
        subresources: &storage.subresources,
        read_access: read_access_secondary(&storage.sku),
        vault,
        topic: event_grid.and_then(|e| e.custom_topic.as_deref()),
    })
}

/// The zones the endpoints register in, read off values not yet checked: the wizard asks for
/// existing zone IDs before there is a deployment. Resource Manager's zone is not among them
/// (its template is separate).
pub fn zones_in(values: &Values) -> Vec<Zone> {
    zones_of(&targets_in(values))
}

/// The targets, read off values not yet checked (the wizard asks about their endpoints before
/// there is a deployment).
pub fn targets_in(values: &Values) -> Vec<Target> {
    let e = &values.media_services.encryption;
    let vault = match (e.kind, &e.key_vault, &e.existing_key) {
        (EncryptionKind::CustomerKey, Some(new), _) => Some((new.name.as_str(), true)),
        (EncryptionKind::CustomerKey, None, Some(existing)) => Some((
            ResourceId::parse(&existing.vault_id).map_or("", |v| v.name()),
            existing.private_endpoint,
        )),
        _ => None,
    };
    catalogue(Inputs {
        media: &values.media_services.name,
        groups: &values.private_link.groups,
        storage: &values.storage.name,
        subresources: &values.storage.private_endpoints,
        read_access: read_access_secondary(&values.storage.sku),
        vault,
        topic: values
            .event_grid
            .as_ref()
            .and_then(|e| e.custom_topic.as_ref())
            .map(|t| t.name.as_str()),
    })
}

/// Storage suffix per cloud, as `environment().suffixes.storage` returns it.
pub fn storage_suffix(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::AzureCloud => "core.windows.net",
        Cloud::AzureUSGovernment => "core.usgovcloudapi.net",
        Cloud::AzureChinaCloud => "core.chinacloudapi.cn",
    }
}

/// Key Vault's public DNS suffix per cloud (the names clients use: `<vault>.<suffix>`).
pub fn vault_suffix(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::AzureCloud => "vault.azure.net",
        Cloud::AzureUSGovernment => "vault.usgovcloudapi.net",
        Cloud::AzureChinaCloud => "vault.azure.cn",
    }
}

impl Cloud {
    fn title(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "Azure",
            Cloud::AzureUSGovernment => "Azure Government",
            Cloud::AzureChinaCloud => "Azure operated by 21Vianet (China)",
        }
    }
}

impl Zone {
    /// The zone's name in `cloud`, or why there is none: where Microsoft documents no zone for
    /// a cloud the tool refuses rather than guesses.
    pub fn name(self, cloud: Cloud) -> Result<String, String> {
        let by_cloud = |public: &str, gov: Option<&str>, china: Option<&str>| match cloud {
            Cloud::AzureCloud => Some(public.to_owned()),
            Cloud::AzureUSGovernment => gov.map(str::to_owned),
            Cloud::AzureChinaCloud => china.map(str::to_owned),
        };
        let name = match self {
            Zone::Media => by_cloud(MEDIA_ZONE, None, None),
            Zone::Storage(s) => Some(format!(
                "privatelink.{}.{}",
                s.as_str(),
                storage_suffix(cloud)
            )),
            Zone::Vault => by_cloud(
                VAULT_ZONE,
                Some("privatelink.vaultcore.usgovcloudapi.net"),
                Some("privatelink.vaultcore.azure.cn"),
            ),
            // Microsoft's China table has no Event Grid row.
            Zone::EventGrid => by_cloud(
                EVENT_GRID_ZONE,
                Some("privatelink.eventgrid.azure.us"),
                None,
            ),
            Zone::ResourceManager => by_cloud(RESOURCE_MANAGER_ZONE, None, None),
        };
        name.ok_or_else(|| {
            format!(
                "Microsoft documents no private DNS zone for {} private endpoints in {} (the private endpoint DNS zone values page lists none)",
                self.service_name(),
                cloud.title()
            )
        })
    }

    /// Microsoft's "public DNS zone forwarders" for the zone in `cloud`: the zones on-premises
    /// DNS servers forward to the resolver, and the resolver's forwarding rules. Microsoft asks
    /// for these rather than the `privatelink.` zone (private-endpoint-dns-integration.md: "The
    /// conditional forwarding must be made to the recommended public DNS zone forwarder").
    /// Empty where the zone has no name in that cloud (the rules refuse it there).
    pub fn forwarders(self, cloud: Cloud) -> Vec<String> {
        let by_cloud = |public: &[&str], gov: &[&str], china: &[&str]| {
            let names = match cloud {
                Cloud::AzureCloud => public,
                Cloud::AzureUSGovernment => gov,
                Cloud::AzureChinaCloud => china,
            };
            names.iter().map(|n| (*n).to_owned()).collect()
        };
        match self {
            Zone::Media => by_cloud(&["media.azure.net"], &[], &[]),
            Zone::Storage(s) => vec![format!("{}.{}", s.as_str(), storage_suffix(cloud))],
            // Vault names are `<vault>.vault.<suffix>`, answered through a CNAME into vaultcore.
            // Microsoft's China table lists vaultcore.azure.cn alone; the vault names live
            // under vault.azure.cn (environment().suffixes.keyvaultDns), which a DNS server
            // that forwards the rest to the internet must forward too, as in the other clouds.
            Zone::Vault => by_cloud(
                &["vault.azure.net", "vaultcore.azure.net"],
                &["vault.usgovcloudapi.net", "vaultcore.usgovcloudapi.net"],
                &["vault.azure.cn", "vaultcore.azure.cn"],
            ),
            Zone::EventGrid => by_cloud(&["eventgrid.azure.net"], &["eventgrid.azure.us"], &[]),
            Zone::ResourceManager => by_cloud(&["azure.com"], &[], &[]),
        }
    }

    /// What the zone answers for, as the template's comment on it says.
    pub fn serves(self) -> &'static str {
        match self {
            Zone::Media => "key delivery, streaming endpoint and live event names (one zone for all three group IDs)",
            Zone::Storage(_) => "the storage sub-resource",
            Zone::Vault => "the key vault holding the customer-managed key",
            Zone::EventGrid => "the custom Event Grid topic",
            Zone::ResourceManager => "the Resource Manager host; linked only to this VNet (it breaks Azure Bastion where linked)",
        }
    }

    fn service_name(self) -> &'static str {
        match self {
            Zone::Media => "Media Services",
            Zone::Storage(_) => "Storage",
            Zone::Vault => "Key Vault",
            Zone::EventGrid => "Event Grid",
            Zone::ResourceManager => "Azure Resource Manager",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every zone kind the catalogue knows.
    const ALL_ZONES: [Zone; 8] = [
        Zone::Media,
        Zone::Storage(StorageSubresource::Blob),
        Zone::Storage(StorageSubresource::Queue),
        Zone::Storage(StorageSubresource::Table),
        Zone::Storage(StorageSubresource::File),
        Zone::Vault,
        Zone::EventGrid,
        Zone::ResourceManager,
    ];

    const CLOUDS: [Cloud; 3] = [
        Cloud::AzureCloud,
        Cloud::AzureUSGovernment,
        Cloud::AzureChinaCloud,
    ];

    /// Every service the catalogue can make, secondaries and Resource Manager included.
    fn all_services() -> Vec<Service> {
        let subresources = [
            StorageSubresource::Blob,
            StorageSubresource::Queue,
            StorageSubresource::Table,
            StorageSubresource::File,
        ];
        let mut all: Vec<Service> = [
            GroupId::Keydelivery,
            GroupId::Streamingendpoint,
            GroupId::Liveevent,
        ]
        .into_iter()
        .map(Service::Media)
        .collect();
        all.extend(subresources.iter().map(|s| Service::Storage(*s)));
        all.extend(
            subresources
                .iter()
                .filter(|s| s.secondary_group().is_some())
                .map(|s| Service::StorageSecondary(*s)),
        );
        all.extend([Service::Vault, Service::Topic, Service::ResourceManager]);
        all
    }

    /// A zone's answer stands for each of its targets: in DNS mode policy the companion
    /// template covers the zone's targets exactly when its representative lacks a built-in.
    #[test]
    fn every_target_of_a_zone_shares_its_built_in_policy_coverage() {
        for s in all_services() {
            assert_eq!(
                s.built_in_dns_policy().is_some(),
                s.zone().written_by_built_in_policy(),
                "{s:?}"
            );
        }
        // The two without a current built-in: Media Services' (deprecated) and Resource
        // Manager's (none was ever published).
        let uncovered: Vec<Zone> = ALL_ZONES
            .into_iter()
            .filter(|z| !z.written_by_built_in_policy())
            .collect();
        assert_eq!(uncovered, [Zone::Media, Zone::ResourceManager]);
    }

    #[test]
    fn every_zone_has_a_name_or_a_refusal_in_every_cloud() {
        for cloud in CLOUDS {
            for zone in ALL_ZONES {
                match zone.name(cloud) {
                    Ok(name) => {
                        assert!(
                            name.starts_with("privatelink."),
                            "{zone:?} {cloud:?}: {name}"
                        );
                        // A zone of one cloud never carries another cloud's suffix.
                        let public = zone.name(Cloud::AzureCloud).unwrap();
                        assert_eq!(cloud == Cloud::AzureCloud, name == public, "{zone:?}");
                    }
                    Err(why) => {
                        assert_ne!(cloud, Cloud::AzureCloud, "{zone:?} has no public zone");
                        assert!(why.contains("documents no private DNS zone"), "{why}");
                    }
                }
            }
        }
        assert_eq!(
            Zone::Vault.name(Cloud::AzureChinaCloud).unwrap(),
            "privatelink.vaultcore.azure.cn"
        );
        assert_eq!(
            Zone::EventGrid.name(Cloud::AzureUSGovernment).unwrap(),
            "privatelink.eventgrid.azure.us"
        );
        assert!(Zone::Media.name(Cloud::AzureUSGovernment).is_err());
    }

    fn values(yaml_encryption: serde_json::Value) -> Values {
        let mut v = serde_json::json!({
            "mediaServices": {"name": "media", "encryption": yaml_encryption},
            "storage": {"name": "store", "privateEndpoints": ["blob", "queue"]},
            "network": {"vnets": [{"name": "vnet-a"}]},
            "privateLink": {"groups": ["keydelivery", "streamingendpoint"]},
        });
        crate::schema::apply_defaults(&mut v);
        serde_json::from_value(v).expect("values")
    }

    /// The wizard's view (values not yet checked) agrees with the model's: the vault zone
    /// only when the vault gets an endpoint.
    #[test]
    fn zones_read_off_values_follow_the_catalogue() {
        let blob = Zone::Storage(StorageSubresource::Blob);
        let queue = Zone::Storage(StorageSubresource::Queue);
        let system = values(serde_json::json!({"type": "systemKey"}));
        assert_eq!(zones_in(&system), [Zone::Media, blob, queue]);
        let new =
            values(serde_json::json!({"type": "customerKey", "keyVault": {"name": "kv-media"}}));
        assert_eq!(zones_in(&new), [Zone::Media, blob, queue, Zone::Vault]);
        let id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-hub";
        let existing = values(
            serde_json::json!({"type": "customerKey", "existingKey": {"vaultId": id, "keyName": "k"}}),
        );
        assert_eq!(zones_in(&existing), [Zone::Media, blob, queue]);
        let asked = values(
            serde_json::json!({"type": "customerKey", "existingKey": {"vaultId": id, "keyName": "k", "privateEndpoint": true}}),
        );
        assert_eq!(zones_in(&asked), [Zone::Media, blob, queue, Zone::Vault]);
    }

    #[test]
    fn vault_names_follow_the_cloud() {
        assert_eq!(vault_suffix(Cloud::AzureCloud), "vault.azure.net");
        assert_eq!(
            vault_suffix(Cloud::AzureUSGovernment),
            "vault.usgovcloudapi.net"
        );
        assert_eq!(vault_suffix(Cloud::AzureChinaCloud), "vault.azure.cn");
    }

    #[test]
    fn endpoint_names_follow_one_pattern() {
        let blob = Target {
            service: Service::Storage(StorageSubresource::Blob),
            resource: "store".into(),
        };
        assert_eq!(blob.endpoint_name("vnet-a"), "pe-store-blob-vnet-a");
        assert_eq!(blob.nic_name("vnet-a", None), "pe-store-blob-vnet-a-nic");
        assert_eq!(
            blob.nic_name("vnet-a", Some("nic-{resource}-{group}-{vnet}")),
            "nic-store-blob-vnet-a"
        );
        assert_eq!(
            blob.nic_name("vnet-a", Some("{endpoint}.nic")),
            "pe-store-blob-vnet-a.nic"
        );
        let rm = Target {
            service: Service::ResourceManager,
            resource: "rmpl-x".into(),
        };
        assert_eq!(rm.endpoint_name("hub"), "pe-rmpl-x-hub");
        assert_eq!(Service::ResourceManager.group_id(), "ResourceManagement");
    }
}
