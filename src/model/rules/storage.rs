//! The storage account: its firewall rules, its door, and the warnings about reaching it (the
//! firewall's openings, and the second deployment a system-assigned identity needs).

use super::*;

/// The firewall's rules, normalised; each bad one is a problem at its index.
pub(super) fn check_storage_firewall(c: &mut Checker, values: &Values) -> Vec<String> {
    let mut ip_rules = Vec::new();
    for (i, rule) in values.storage.ip_rules.iter().enumerate() {
        match network::parse_storage_rule(rule) {
            Ok(r) => ip_rules.push(r),
            Err((message, hint)) => c.fail(&format!("/storage/ipRules/{i}"), message, hint),
        }
    }
    ip_rules
}

/// The firewall's openings, and the second deployment a system-assigned identity needs to
/// reach storage by identity.
pub(super) fn storage_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    let media = &d.media;
    if !d.storage.ip_rules.is_empty() {
        out.push(warn(
            &rules::STORAGE_FIREWALL,
            "/storage/ipRules",
            "storage account",
            format!(
                "the firewall lets these public addresses in: {}",
                d.storage.ip_rules.join(", ")
            ),
        ));
    }
    if media.identity == IdentityKind::SystemAssigned {
        out.push(warn(
            &rules::TWO_PHASE,
            "/mediaServices/identity",
            "managed identity",
            "systemAssigned needs a second deployment: the account starts with key-based storage access and switches to its identity only after the role assignments exist (DEPLOY.md, phase 2)",
        ));
    }
    out
}

/// The storage account: its firewall.
pub(super) fn storage_doors(d: &Deployment) -> Vec<Door> {
    let mut out = Vec::new();
    let storage = if d.storage.ip_rules.is_empty() {
        (
            Internet::Closed,
            "firewall defaultAction Deny; trusted Azure services (Media Services) bypass it".into(),
        )
    } else {
        (
            Internet::Allowlist {
                ranges: d.storage.ip_rules.clone(),
            },
            "firewall ipRules; trusted Azure services (Media Services) bypass it".into(),
        )
    };
    out.push(door(
        (TargetResource::Storage, "storage account"),
        format!("storage account {}", d.storage.name),
        storage,
        "/storage/ipRules".into(),
        private_from(d, |s| matches!(s, Service::Storage(_))),
    ));
    out
}
