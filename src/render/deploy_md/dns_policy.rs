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
    /// Group IDs in policy mode that a built-in policy covers, with its definition's name.
    built_in: Vec<(String, &'static str)>,
    /// Where the endpoints whose zone groups the policies write live, in words.
    endpoint_places: Vec<String>,
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
    for t in d.deployed_targets() {
        if let Some(guid) = t.service.built_in_dns_policy() {
            let group = t.service.group_id().to_owned();
            if !endpoints.is_empty() && !built_in.iter().any(|(g, _)| *g == group) {
                built_in.push((group, guid));
            }
        }
    }
    let mut endpoint_places: Vec<String> = Vec::new();
    for e in &endpoints {
        let place = match (&e.subscription_id, &e.resource_group) {
            (Some(s), Some(g)) => format!("subscription `{s}` (resource group `{g}`)"),
            _ => "the subscription you deploy into".to_owned(),
        };
        if !endpoint_places.contains(&place) {
            endpoint_places.push(place);
        }
    }
    DnsPolicyView {
        policy_endpoints: endpoints.len(),
        policy_media_endpoints: endpoints.iter().any(|e| e.needs_media),
        wait_script: WAIT_SCRIPT,
        companion_stem: (!companion.is_empty()).then_some(FILE_STEM),
        companion,
        built_in,
        endpoint_places,
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
    needs_media: bool,
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
    let (media, foundation): (Vec<ScriptEndpoint>, Vec<ScriptEndpoint>) =
        endpoints.into_iter().partition(|e| e.needs_media);
    ctx.insert("foundation", &foundation);
    ctx.insert("media", &media);
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
    }
}

/// A shell word that stays one word, whatever it holds.
fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
