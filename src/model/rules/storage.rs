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
    out.extend(secondary_warning(d));
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

/// A read-access SKU: what its secondary's endpoints mean.
fn secondary_warning(d: &Deployment) -> Option<Warning> {
    let groups: Vec<&str> = d
        .targets()
        .iter()
        .filter(|t| matches!(t.service, Service::StorageSecondary(_)))
        .map(|t| t.service.group_id())
        .collect();
    if groups.is_empty() {
        return None;
    }
    Some(warn(
        &rules::READ_ACCESS_SECONDARY,
        "/storage/sku",
        "storage account",
        format!(
            "{} keeps a readable copy in the paired region, so each VNet with endpoints also gets an endpoint for {}, registering {}-secondary in the same zones: reads from the secondary stay private. The secondary is read-only and behind the primary; after a failover the account has no secondary until geo-redundancy is set up again (a storage SKU without RA- gets no secondary endpoints)",
            d.storage.sku,
            groups.join(", "),
            d.storage.name
        ),
    ))
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
        private_from(d, |s| {
            matches!(s, Service::Storage(_) | Service::StorageSecondary(_))
        }),
    ));
    out
}
