//! DEPLOY.md: the on-premises section (`templates/deploy/on-premises.md.tera`): the DNS
//! resolver on-premises DNS servers forward to, and the exact conditional forwarders.

use serde::Serialize;

use crate::model::*;

#[derive(Serialize)]
pub(super) struct ForwarderView {
    /// The zone to forward, as Microsoft's table names it.
    zone: String,
    /// What it answers for.
    serves: String,
    /// Only with Media Services deployed.
    media: bool,
}

#[derive(Serialize)]
pub(super) struct OnPremisesView {
    onprem: bool,
    onprem_gateway: String,
    onprem_resolver: String,
    onprem_resolver_vnet: String,
    onprem_resolver_new: bool,
    onprem_forwarders: Vec<ForwarderView>,
    /// VNets linked to the resolver's forwarding ruleset.
    ruleset_vnets: Vec<String>,
}

fn forwarders(d: &Deployment) -> Vec<ForwarderView> {
    let mut out: Vec<ForwarderView> = Vec::new();
    for zone in d.zones() {
        let serves = match zone {
            Zone::Media => format!("Media Services {}", d.media.name),
            Zone::Storage(s) => format!("storage `{}` of {}", s.as_str(), d.storage.name),
            Zone::Vault => format!(
                "key vault {}",
                d.media.customer_key().map_or("", |k| k.vault.name())
            ),
            Zone::EventGrid => "the Event Grid topic".to_owned(),
            Zone::ResourceManager => "Resource Manager".to_owned(),
        };
        for name in zone.forwarders(d.cloud) {
            if !out.iter().any(|f| f.zone == name) {
                out.push(ForwarderView {
                    zone: name,
                    serves: serves.clone(),
                    media: zone == Zone::Media,
                });
            }
        }
    }
    out
}

pub(super) fn on_premises_view(d: &Deployment) -> OnPremisesView {
    let resolver = d.resolver.as_ref();
    OnPremisesView {
        onprem: d.on_premises.is_some() && resolver.is_some(),
        onprem_gateway: d
            .on_premises
            .as_ref()
            .map(|op| d.vnets[op.gateway_vnet].key().to_owned())
            .unwrap_or_default(),
        onprem_resolver: resolver.map(|r| r.address.to_string()).unwrap_or_default(),
        onprem_resolver_vnet: resolver
            .map(|r| d.vnets[r.vnet].key().to_owned())
            .unwrap_or_default(),
        onprem_resolver_new: resolver.is_some_and(|r| r.new.is_some()),
        onprem_forwarders: forwarders(d),
        ruleset_vnets: d
            .vnets
            .iter()
            .filter(|v| v.forwarding_ruleset)
            .map(|v| v.key().to_owned())
            .collect(),
    }
}
