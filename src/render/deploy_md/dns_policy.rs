//! DEPLOY.md in DNS mode policy (`templates/deploy/dns-policy.md.tera` and
//! `dns-policy-wait.md.tera`), and the wait script they run (`wait-for-dns-policy.sh`).

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::dns_policy::PolicyEndpoint;
use crate::model::*;
use crate::template::dns_policy::{assignment_name, definition_name, FILE_STEM};

/// The wait script's file name, beside DEPLOY.md.
pub const WAIT_SCRIPT: &str = "wait-for-dns-policy.sh";

#[derive(Serialize)]
pub(super) struct DnsPolicyView {
    /// Some endpoint's zone group is left to Azure Policy: the wait step applies.
    policy_endpoints: usize,
    /// Some of them are Media Services': the foundation alone has fewer.
    policy_media_endpoints: bool,
    wait_script: &'static str,
    /// The companion template's stem, when there is one.
    companion_stem: Option<&'static str>,
    companion: Vec<CompanionLine>,
    /// Which of them: Media Services' group IDs, Resource Manager's.
    companion_media: bool,
    companion_resource_manager: bool,
    /// Group IDs in policy mode that a built-in policy covers, with its definition's name.
    built_in: Vec<(String, &'static str)>,
    /// Where the endpoints whose zone groups the policies write live, in words.
    endpoint_places: Vec<String>,
    /// The subscriptions of the companion's central zones.
    zone_subscriptions: Vec<String>,
    /// Every subscription the companion's management group must hold besides the one
    /// deployed into: other endpoints' and the central zones'.
    other_subscriptions: Vec<String>,
}

#[derive(Serialize)]
struct CompanionLine {
    group: &'static str,
    definition: String,
    assignment: String,
    zone_id: String,
}

pub(super) fn dns_policy_view(d: &Deployment) -> DnsPolicyView {
    let endpoints = d.policy_endpoints();
    let companion: Vec<CompanionLine> = d
        .companion_policies()
        .iter()
        .map(|p| CompanionLine {
            group: p.service.group_id(),
            definition: definition_name(p),
            assignment: assignment_name(p),
            zone_id: p.zone_id.clone(),
        })
        .collect();
    let mut built_in: Vec<(String, &'static str)> = Vec::new();
    let mut endpoint_places: Vec<String> = Vec::new();
    let mut other_subscriptions: Vec<String> = Vec::new();
    for e in &endpoints {
        if let Some(guid) = e.service.built_in_dns_policy() {
            let group = e.service.group_id().to_owned();
            if !built_in.iter().any(|(g, _)| *g == group) {
                built_in.push((group, guid));
            }
        }
        let place = match (&e.subscription_id, &e.resource_group) {
            (Some(s), Some(g)) => format!("subscription `{s}` (resource group `{g}`)"),
            _ => "the subscription you deploy into".to_owned(),
        };
        push_once(&mut endpoint_places, place);
        if let (true, Some(s)) = (e.companion, &e.subscription_id) {
            push_once(&mut other_subscriptions, s.clone());
        }
    }
    let mut zone_subscriptions: Vec<String> = Vec::new();
    for p in d.companion_policies() {
        if let Some(id) = ResourceId::parse(&p.zone_id) {
            push_once(&mut zone_subscriptions, format!("`{}`", id.subscription_id));
            push_once(&mut other_subscriptions, id.subscription_id.to_owned());
        }
    }
    DnsPolicyView {
        policy_endpoints: endpoints.len(),
        policy_media_endpoints: endpoints.iter().any(|e| e.needs_media),
        wait_script: WAIT_SCRIPT,
        companion_stem: (!companion.is_empty()).then_some(FILE_STEM),
        companion_media: d
            .companion_policies()
            .iter()
            .any(|p| p.service.needs_media()),
        companion_resource_manager: d
            .companion_policies()
            .iter()
            .any(|p| p.service == Service::ResourceManager),
        companion,
        built_in,
        endpoint_places,
        zone_subscriptions,
        other_subscriptions,
    }
}

fn push_once(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// One endpoint as the script checks it, every value quoted for the shell.
#[derive(Serialize)]
struct ScriptEndpoint {
    name: String,
    subscription: Option<String>,
    resource_group: Option<String>,
    zone: String,
    zone_name: String,
    /// What the wait message adds: who writes the zone group.
    note: String,
    #[serde(skip)]
    needs_media: bool,
    #[serde(skip)]
    resource_manager: bool,
}

/// The wait script, when some endpoint's zone group is left to Azure Policy.
pub fn wait_script(d: &Deployment) -> Result<Option<String>> {
    let endpoints: Vec<ScriptEndpoint> = d
        .policy_endpoints()
        .iter()
        .map(|e| script_endpoint(e, d.cloud))
        .collect();
    if endpoints.is_empty() {
        return Ok(None);
    }
    let mut ctx = tera::Context::new();
    // The Resource Manager endpoint comes with its own template, deployed on its own.
    let (resource_manager, endpoints): (Vec<ScriptEndpoint>, Vec<ScriptEndpoint>) =
        endpoints.into_iter().partition(|e| e.resource_manager);
    let (media, foundation): (Vec<ScriptEndpoint>, Vec<ScriptEndpoint>) =
        endpoints.into_iter().partition(|e| e.needs_media);
    ctx.insert("foundation", &foundation);
    ctx.insert("media", &media);
    ctx.insert("resource_manager", &resource_manager);
    ctx.insert("media_default", &d.media.deploy);
    ctx.insert("network_api", crate::template::api::NETWORK);
    crate::render::templates::render("wait-for-dns-policy.sh.tera", &ctx)
        .map(Some)
        .map_err(|e| Error::Internal(format!("{WAIT_SCRIPT}: {e}")))
}

fn script_endpoint(e: &PolicyEndpoint, cloud: Cloud) -> ScriptEndpoint {
    let zone_name = e.zone.name(cloud).unwrap_or_default();
    ScriptEndpoint {
        name: sh(&e.name),
        subscription: e.subscription_id.as_deref().map(sh),
        resource_group: e.resource_group.as_deref().map(sh),
        zone: sh(e.zone_id.as_deref().unwrap_or(&zone_name)),
        note: sh(if e.companion {
            "; the companion policy writes it"
        } else {
            ""
        }),
        zone_name: sh(&zone_name),
        needs_media: e.needs_media,
        resource_manager: e.service == Service::ResourceManager,
    }
}

/// A shell word that stays one word, whatever it holds.
fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
