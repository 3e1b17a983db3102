//! DEPLOY.md's resource providers: every namespace the templates write to, per subscription
//! that receives it, with the `az provider` commands that check and register them.

use serde::Serialize;

use crate::model::*;
use crate::template::ir::{Module, Resource, Template};

/// Registered in every subscription; nothing to check.
const ALWAYS_REGISTERED: [&str; 2] = ["Microsoft.Authorization", "Microsoft.Resources"];

#[derive(Serialize, Debug, PartialEq, Eq)]
pub(super) struct ProviderCheck {
    /// A shell word for `--subscription`: `"$SUBSCRIPTION"` for the one deployed into.
    subscription: String,
    /// Which subscription it is, in words.
    what: String,
    /// Space-separated, for a shell loop.
    namespaces: String,
}

/// The subscriptions the templates write to, the deployment's own first, each with the
/// namespaces of what is created there. Media Services' nested deployments count only when
/// the values deploy it.
pub(super) fn provider_checks(d: &Deployment, t: &Template) -> Vec<ProviderCheck> {
    let mut by_subscription: Vec<(Option<String>, Vec<&'static str>)> = vec![(None, Vec::new())];
    add(&mut by_subscription, None, &t.resources);
    for m in &t.modules {
        add_module(&mut by_subscription, None, m, d.media.deploy);
    }
    if let Some(rm) = &d.resource_manager {
        // The private link's own template: its endpoint in the subnet's subscription.
        let at = Some(rm.subnet.subscription_id.clone());
        merge(&mut by_subscription, at, "Microsoft.Network");
    }
    by_subscription
        .into_iter()
        .filter(|(_, namespaces)| !namespaces.is_empty())
        .map(|(subscription, mut namespaces)| {
            namespaces.sort_unstable();
            ProviderCheck {
                what: match &subscription {
                    None => "the subscription you deploy into".to_owned(),
                    Some(id) => format!("subscription {id}"),
                },
                subscription: subscription.unwrap_or_else(|| "\"$SUBSCRIPTION\"".to_owned()),
                namespaces: namespaces.join(" "),
            }
        })
        .collect()
}

fn add_module(
    out: &mut Vec<(Option<String>, Vec<&'static str>)>,
    parent: Option<String>,
    m: &Module,
    media: bool,
) {
    // A conditional module waits for the Media Services switch.
    if m.condition.is_some() && !media {
        return;
    }
    let at = m
        .group
        .as_ref()
        .map(|g| g.subscription_id.clone())
        .or(parent);
    add(out, at.clone(), &m.resources);
    for inner in &m.modules {
        add_module(out, at.clone(), inner, media);
    }
}

fn add(
    out: &mut Vec<(Option<String>, Vec<&'static str>)>,
    at: Option<String>,
    resources: &[Resource],
) {
    for r in resources.iter().filter(|r| r.existing.is_none()) {
        let namespace = r.rtype.split('/').next().unwrap_or(r.rtype);
        if !ALWAYS_REGISTERED.contains(&namespace) {
            merge(out, at.clone(), namespace);
        }
    }
}

fn merge(
    out: &mut Vec<(Option<String>, Vec<&'static str>)>,
    at: Option<String>,
    namespace: &'static str,
) {
    let index = match out.iter().position(|(s, _)| *s == at) {
        Some(i) => i,
        None => {
            out.push((at, Vec::new()));
            out.len() - 1
        }
    };
    if !out[index].1.contains(&namespace) {
        out[index].1.push(namespace);
    }
}
