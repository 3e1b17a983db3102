//! DEPLOY.md: how to deploy this output, what to do after, and how to check private DNS. The
//! template reads one typed view, so every name it uses is a field here.

use serde::Serialize;

mod dns_policy;
mod encryption;
mod events;
mod network;
mod on_premises;
mod providers;
mod redeploy;
mod resource_manager;
mod storage;

use dns_policy::{dns_policy_view, DnsPolicyView};
pub use dns_policy::{wait_script, WAIT_SCRIPT};
use encryption::*;
use events::*;
use network::*;
use on_premises::*;
use providers::{provider_checks, ProviderCheck};
use redeploy::*;
use resource_manager::*;
use storage::*;

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
    #[serde(flatten)]
    dns_policy: DnsPolicyView,
    /// The namespaces to register, per subscription the templates write to.
    providers: Vec<ProviderCheck>,
    /// Turning `deployMediaServices` on gives a working deployment; otherwise what it lacks.
    media_ready: bool,
    media_gaps: &'a [String],
    #[serde(flatten)]
    storage_view: StorageView,
    /// The Resource Manager private link's section, and its names when there is one.
    rmpl: bool,
    #[serde(flatten)]
    resource_manager: Option<ResourceManagerView<'a>>,
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
        dns_policy: dns_policy_view(d),
        providers: provider_checks(d, t),
        media_ready: d.media_ready(),
        media_gaps: &d.media_gaps,
        storage_view: storage_view(d),
        rmpl: d.resource_manager.is_some(),
        resource_manager: d.resource_manager.as_ref().map(resource_manager_view),
    };
    let ctx = tera::Context::from_serialize(&view).map_err(|e| {
        crate::error::Error::Internal(format!("the DEPLOY.md view does not serialise: {e}"))
    })?;
    super::templates::render("DEPLOY.md.tera", &ctx)
}
