//! DEPLOY.md: how to deploy this output, what to do after, and how to check private DNS. The
//! template reads one typed view, so every name it uses is a field here.

use serde::Serialize;

mod encryption;
mod events;
mod network;
mod on_premises;
mod redeploy;
mod resource_manager;

use encryption::*;
use events::*;
use network::*;
use on_premises::*;
use redeploy::*;
use resource_manager::*;

use super::summary::Summary;
use super::Format;
use crate::error::Result;
use crate::model::*;
use crate::template::ir::Template;

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
    #[serde(flatten)]
    network: NetworkView,
    #[serde(flatten)]
    on_premises: OnPremisesView,
    #[serde(flatten)]
    redeploy: RedeployView,
    /// Media Services group IDs in policy mode: nothing writes their records.
    policy_media: bool,
    /// Turning `deployMediaServices` on gives a working deployment; otherwise what it lacks.
    media_ready: bool,
    media_gaps: &'a [String],
    /// What the storage check command should print, and why the public request is refused.
    storage_access: &'static str,
    storage_refusal: &'static str,
    /// The storage account's network and key settings, and what depends on them.
    storage_words: &'static str,
    /// The storage account has no public endpoint.
    storage_private_only: bool,
    /// The Resource Manager private link's section, and its names when there is one.
    rmpl: bool,
    #[serde(flatten)]
    resource_manager: Option<ResourceManagerView<'a>>,
}

/// The storage account's public network access and shared keys, with why.
fn storage_words(d: &Deployment) -> &'static str {
    match (d.storage.public_network_access, d.storage.shared_key) {
        (PublicNetworkAccess::Enabled, true) if d.media.deploy => "public network access **Enabled**, with the firewall denying every address but `ipRules`, because Media Services reaches its storage as a trusted Azure service through the firewall's AzureServices exception, with its managed identity; shared keys **on**, because its key-based storage authentication and the SAS URLs it hands out for assets use them. Your clients use the private endpoints.",
        (PublicNetworkAccess::Enabled, _) => "public network access **Enabled**, as the values ask, with the firewall denying every address but `ipRules` (Media Services, once deployed, reaches its storage through that endpoint as a trusted service). Your clients use the private endpoints.",
        (PublicNetworkAccess::Disabled, true) => "public network access **Disabled**: no public endpoint, clients use the private endpoints; shared keys on, as the values ask.",
        (PublicNetworkAccess::Disabled, false) => "public network access **Disabled** and shared keys **off**: no public endpoint, clients use the private endpoints with Microsoft Entra ID, and nothing in the foundation uses a key. (Media Services would need both; see \"Media Services later\".)",
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
        network: network_view(d),
        on_premises: on_premises_view(d),
        redeploy: redeploy_view(d),
        policy_media: !d.groups.is_empty()
            && d.vnets
                .iter()
                .any(|v| v.endpoints && matches!(v.dns, Dns::Policy(_))),
        media_ready: d.media_ready(),
        media_gaps: &d.media_gaps,
        storage_access: match (d.storage.public_network_access, d.storage.shared_key) {
            (PublicNetworkAccess::Disabled, false) => {
                "publicNetworkAccess Disabled, sharedKey false"
            }
            (PublicNetworkAccess::Disabled, true) => "publicNetworkAccess Disabled",
            (PublicNetworkAccess::Enabled, _) => "defaultAction Deny, only your ipRules",
        },
        storage_words: storage_words(d),
        storage_private_only: d.storage.public_network_access == PublicNetworkAccess::Disabled,
        storage_refusal: match d.storage.public_network_access {
            PublicNetworkAccess::Disabled => "public network access is disabled",
            PublicNetworkAccess::Enabled => "the firewall refuses",
        },
        rmpl: d.resource_manager.is_some(),
        resource_manager: d.resource_manager.as_ref().map(resource_manager_view),
    };
    let ctx = tera::Context::from_serialize(&view).map_err(|e| {
        crate::error::Error::Internal(format!("the DEPLOY.md view does not serialise: {e}"))
    })?;
    super::templates::render("DEPLOY.md.tera", &ctx)
}
