//! What a deployment creates, in a reader's terms: shared by DEPLOY.md and the wizard's
//! summary before writing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::build;
use super::ir::{Module, Resource, Template};
use crate::model::*;

#[derive(Debug, Serialize)]
pub struct EndpointView {
    pub name: String,
    pub target: String,
    pub dns: String,
    /// Deployed only with Media Services.
    pub needs_media: bool,
}

#[derive(Debug, Serialize)]
pub struct VnetView {
    pub key: String,
    pub placement: String,
    pub resource_group: Option<String>,
    pub subscription: Option<String>,
    pub endpoints: Vec<EndpointView>,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    /// Resource type → how many, in the private foundation (deployed in either mode).
    pub counts: BTreeMap<&'static str, usize>,
    /// Resource type → how many, deployed only with Media Services.
    pub media_counts: BTreeMap<&'static str, usize>,
    pub vnets: Vec<VnetView>,
    /// Private DNS zones created here (none for the other modes).
    pub zones: Vec<String>,
    pub dns_mode: String,
}

fn endpoint_views(d: &Deployment, vnet: &Vnet) -> Vec<EndpointView> {
    let dns = match d.dns {
        Dns::Create | Dns::Existing(_) => "zone group",
        Dns::Policy => "zone group left to Azure Policy",
        Dns::None => "no DNS",
    };
    let media_targets: Vec<&str> = d.groups.iter().map(|g| g.as_str()).collect();
    let media = d.groups.iter().map(|g| (g.as_str(), d.media.name.as_str()));
    let storage = d
        .storage
        .subresources
        .iter()
        .map(|s| (s.as_str(), d.storage.name.as_str()));
    let vault = d.media.customer_key().map(|k| ("vault", k.vault.name()));
    let topic = d
        .event_grid
        .as_ref()
        .and_then(|e| e.custom_topic.as_deref())
        .map(|t| ("topic", t));
    media
        .chain(storage)
        .chain(vault)
        .chain(topic)
        .map(|(group, account)| EndpointView {
            name: build::endpoint_name_format(group, vnet.key()).replace("{0}", account),
            target: group.to_owned(),
            dns: dns.to_owned(),
            needs_media: media_targets.contains(&group),
        })
        .collect()
}

/// Counts what `resources` and `modules` create, into the foundation or the Media Services
/// half (a module's condition puts it and everything below it in the second).
fn count(
    resources: &[Resource],
    modules: &[Module],
    needs_media: bool,
    counts: &mut [BTreeMap<&'static str, usize>; 2],
) {
    // Declared only to be referred to; nothing is created.
    for r in resources.iter().filter(|r| r.existing.is_none()) {
        *counts[usize::from(needs_media)].entry(r.rtype).or_default() += 1;
    }
    for m in modules {
        let needs_media = needs_media || m.condition.is_some();
        count(&m.resources, &m.modules, needs_media, counts);
    }
}

pub fn summarise(d: &Deployment, t: &Template) -> Summary {
    let mut both = [BTreeMap::new(), BTreeMap::new()];
    count(&t.resources, &t.modules, false, &mut both);
    let [counts, media_counts] = both;
    let vnets = d
        .vnets
        .iter()
        .map(|vnet| match vnet {
            Vnet::New {
                name,
                subnet_name,
                subnet_prefix,
                ..
            } => VnetView {
                key: name.clone(),
                placement: format!(
                    "new VNet `{name}`, subnet `{subnet_name}` ({subnet_prefix}), in this resource group"
                ),
                resource_group: None,
                subscription: None,
                endpoints: endpoint_views(d, vnet),
            },
            Vnet::Existing(e) => VnetView {
                key: e.vnet_name.clone(),
                placement: format!(
                    "existing subnet `{}` of VNet `{}` (resource group `{}`, subscription `{}`); endpoints deployed there by a nested deployment",
                    e.subnet_name, e.vnet_name, e.resource_group, e.subscription_id
                ),
                resource_group: Some(e.resource_group.clone()),
                subscription: Some(e.subscription_id.clone()),
                endpoints: endpoint_views(d, vnet),
            },
        })
        .collect();
    let zones = match d.dns {
        Dns::Create => d
            .zones()
            .into_iter()
            .map(|z| match z {
                Zone::Media => build::MEDIA_ZONE.to_owned(),
                Zone::Vault => VAULT_ZONE.to_owned(),
                Zone::EventGrid => EVENT_GRID_ZONE.to_owned(),
                Zone::ResourceManager => RESOURCE_MANAGER_ZONE.to_owned(),
                Zone::Storage(s) => {
                    format!("privatelink.{}.<storage suffix of the cloud>", s.as_str())
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    Summary {
        counts,
        media_counts,
        vnets,
        zones,
        dns_mode: format!("{:?}", d.values.private_link.dns.mode).to_lowercase(),
    }
}

impl Summary {
    /// Plain text for the terminal.
    pub fn text(&self, warnings: &[crate::diagnostic::Warning]) -> String {
        let mut out =
            String::from("Resources to create, the private foundation (deploys today):\n");
        for (ty, n) in &self.counts {
            let _ = writeln!(out, "  {n:>3}  {ty}");
        }
        out.push_str("\nOnly with Media Services (template parameter deployMediaServices):\n");
        for (ty, n) in &self.media_counts {
            let _ = writeln!(out, "  {n:>3}  {ty}");
        }
        out.push_str("\nPrivate endpoints per VNet:\n");
        for v in &self.vnets {
            let _ = writeln!(out, "  {}", v.placement.replace('`', ""));
            for e in &v.endpoints {
                let media = if e.needs_media {
                    ", needs Media Services"
                } else {
                    ""
                };
                let _ = writeln!(out, "    {} -> {} ({}{media})", e.name, e.target, e.dns);
            }
        }
        let _ = writeln!(out, "\nPrivate DNS: {}", self.dns_mode);
        for z in &self.zones {
            let _ = writeln!(out, "  zone {z}");
        }
        if !warnings.is_empty() {
            out.push_str("\nInternet exposure and other warnings:\n");
            for w in warnings {
                let _ = writeln!(out, "  ! {w}");
            }
        }
        out
    }
}
