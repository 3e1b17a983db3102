//! The words of internet exposure: a door, who can reach it (which internet addresses, which
//! VNets through a private endpoint), and the warnings an allowlist deserves. Each service's
//! rules file lists its own doors and warnings with them; `rules::doors` and the deployment's
//! warnings gather every service's.

use serde::Serialize;

use crate::diagnostic::{rules, Rule, Warning};

use super::*;

pub(super) fn warn(
    rule: &'static Rule,
    pointer: impl Into<String>,
    subject: impl Into<String>,
    message: impl Into<String>,
) -> Warning {
    Warning {
        subject: subject.into(),
        message: message.into(),
        rule,
        pointer: pointer.into(),
        origin: None,
    }
}

fn describe(allow: &[AllowEntry]) -> String {
    let list: Vec<String> = allow.iter().map(|a| display_net(&a.net)).collect();
    list.join(", ")
}

/// What an allowlist on a public endpoint leaves open: an empty list closes the door, and
/// one entry covering everything opens it to all.
fn reach_of(entries: &[AllowEntry]) -> Internet {
    if entries.iter().any(AllowEntry::is_everything) {
        Internet::Everyone
    } else if entries.is_empty() {
        Internet::Closed
    } else {
        Internet::Allowlist {
            ranges: entries.iter().map(|a| display_net(&a.net)).collect(),
        }
    }
}

/// The warning an allowlist on a public endpoint deserves; none for a closed one.
pub(super) fn allowlist(
    pointer: String,
    subject: String,
    entries: &[AllowEntry],
) -> Option<Warning> {
    match reach_of(entries) {
        Internet::Everyone => Some(warn(
            &rules::OPEN_TO_ALL,
            pointer,
            subject,
            format!(
                "the allowlist covers the whole internet ({})",
                describe(entries)
            ),
        )),
        Internet::Allowlist { .. } => Some(warn(
            &rules::ALLOWLIST,
            pointer,
            subject,
            format!("reachable from the internet at {}", describe(entries)),
        )),
        Internet::Closed => None,
    }
}

/// Who can reach a door from the internet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Internet {
    /// No internet address gets in.
    Closed,
    /// Every internet address.
    Everyone,
    /// Only these addresses and ranges.
    Allowlist { ranges: Vec<String> },
}

/// One way into a service of this deployment, and everyone who can use it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Door {
    /// "key delivery", "streaming endpoint 'default'", "storage account contosostore".
    pub name: String,
    /// The service it belongs to.
    #[serde(skip)]
    pub service: TargetResource,
    /// Doors of one kind ("live event ingest"), which a picture may draw as one.
    #[serde(skip)]
    pub family: String,
    pub internet: Internet,
    /// The setting that decides it, in words.
    pub why: String,
    /// Where that setting is in the values (JSON pointer).
    pub pointer: String,
    /// The VNets whose clients resolve this door's name to a private endpoint they reach.
    pub private_from: Vec<String>,
}

/// The clients (VNets, and on-premises networks) that resolve some target of `service` to an
/// endpoint they reach, along a path this deployment and its prerequisites make true, to a
/// record something writes.
pub(super) fn private_from(d: &Deployment, service: impl Fn(Service) -> bool) -> Vec<String> {
    d.resolution
        .clients
        .iter()
        .filter(|v| {
            v.names.iter().any(|n| {
                service(n.target.service)
                    && matches!(n.answer, Answer::Endpoint { .. })
                    && n.path.is_known()
            })
        })
        .map(|v| v.client.clone())
        .collect()
}

/// A door behind an allowlist, with the words for why.
pub(super) fn listed(
    entries: &[AllowEntry],
    closed_why: &str,
    open_why: &str,
) -> (Internet, String) {
    let internet = reach_of(entries);
    let why = match internet {
        Internet::Everyone => format!("{open_why} covers the whole internet"),
        Internet::Closed => closed_why.to_owned(),
        Internet::Allowlist { .. } => open_why.to_owned(),
    };
    (internet, why)
}

/// One door, from the parts each service's rules know.
pub(super) fn door(
    (service, family): (TargetResource, &str),
    name: String,
    (internet, why): (Internet, String),
    pointer: String,
    private_from: Vec<String>,
) -> Door {
    Door {
        name,
        service,
        family: family.to_owned(),
        internet,
        why,
        pointer,
        private_from,
    }
}
