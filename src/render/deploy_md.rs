//! DEPLOY.md: how to deploy this output, what to do after, and how to check private DNS.

use std::collections::BTreeMap;

use serde::Serialize;

use super::build;
use super::ir::Template;
use super::Format;
use crate::error::Result;
use crate::model::*;

#[derive(Serialize)]
struct EndpointView {
    name: String,
    target: String,
    dns: String,
}

#[derive(Serialize)]
struct VnetView {
    key: String,
    placement: String,
    resource_group: Option<String>,
    subscription: Option<String>,
    endpoints: Vec<EndpointView>,
}

fn endpoint_views(d: &Deployment, vnet: &Vnet) -> Vec<EndpointView> {
    let dns = match d.dns {
        Dns::Create | Dns::Existing(_) => "zone group",
        Dns::Policy => "zone group left to Azure Policy",
        Dns::None => "no DNS",
    };
    let media = d.groups.iter().map(|g| (g.as_str(), d.media.name.as_str()));
    let storage = d
        .storage
        .subresources
        .iter()
        .map(|s| (s.as_str(), d.storage.name.as_str()));
    media
        .chain(storage)
        .map(|(group, account)| EndpointView {
            name: build::endpoint_name_format(group, vnet.key()).replace("{0}", account),
            target: group.to_owned(),
            dns: dns.to_owned(),
        })
        .collect()
}

pub fn render(d: &Deployment, t: &Template, format: Format) -> Result<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in t
        .resources
        .iter()
        .chain(t.modules.iter().flat_map(|m| m.resources.iter()))
    {
        *counts.entry(r.rtype).or_default() += 1;
    }
    let mut vnets = Vec::new();
    for vnet in &d.vnets {
        match vnet {
            Vnet::New {
                name,
                subnet_name,
                subnet_prefix,
                ..
            } => {
                vnets.push(VnetView {
                    key: name.clone(),
                    placement: format!("new VNet `{name}`, subnet `{subnet_name}` ({subnet_prefix}), in this resource group"),
                    resource_group: None,
                    subscription: None,
                    endpoints: endpoint_views(d, vnet),
                });
            }
            Vnet::Existing(e) => {
                vnets.push(VnetView {
                    key: e.vnet_name.clone(),
                    placement: format!(
                        "existing subnet `{}` of VNet `{}` (resource group `{}`, subscription `{}`); endpoints deployed there by a nested deployment",
                        e.subnet_name, e.vnet_name, e.resource_group, e.subscription_id
                    ),
                    resource_group: Some(e.resource_group.clone()),
                    subscription: Some(e.subscription_id.clone()),
                    endpoints: endpoint_views(d, vnet),
                });
            }
        }
    }
    let mut ctx = tera::Context::new();
    ctx.insert("account", &d.media.name);
    ctx.insert("storage", &d.storage.name);
    ctx.insert("location", &d.location);
    ctx.insert("arm", &matches!(format, Format::Arm | Format::Both));
    ctx.insert("bicep", &matches!(format, Format::Bicep | Format::Both));
    ctx.insert("counts", &counts);
    ctx.insert("vnets", &vnets);
    ctx.insert("public", &d.is_public());
    ctx.insert(
        "system_identity",
        &(d.media.identity == IdentityKind::SystemAssigned),
    );
    ctx.insert(
        "dns_mode",
        &format!("{:?}", d.values.private_link.dns.mode).to_lowercase(),
    );
    ctx.insert(
        "has_existing",
        &d.vnets.iter().any(|v| matches!(v, Vnet::Existing(_))),
    );
    ctx.insert(
        "streaming_endpoints",
        &d.media
            .streaming_endpoints
            .iter()
            .map(|e| e.name.clone())
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "live_events",
        &d.media
            .live_events
            .iter()
            .map(|e| e.name.clone())
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "warnings",
        &d.warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "storage_subresources",
        &d.storage
            .subresources
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
    );
    super::templates::render("DEPLOY.md.tera", &ctx)
}
