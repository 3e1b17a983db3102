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

/// Storage access that Media Services can live with, and firewall rules that mean something.
/// Left out, it follows Media Services: with it, the public endpoint and shared keys its
/// trusted-service access and SAS URLs need; without it, neither (what a landing zone's storage
/// policies ask for). The values keep leaving it out, so it follows a later change of
/// `mediaServices.deploy` too.
pub(super) fn check_storage_access(
    c: &mut Checker,
    values: &Values,
) -> (PublicNetworkAccess, bool) {
    let s = &values.storage;
    let media = values.media_services.deploy;
    let access = s.public_network_access.unwrap_or(if media {
        PublicNetworkAccess::Enabled
    } else {
        PublicNetworkAccess::Disabled
    });
    let shared_key = s.allow_shared_key_access.unwrap_or(media);
    if media && access == PublicNetworkAccess::Disabled {
        c.fail(
            "/storage/publicNetworkAccess",
            "Media Services reaches its storage as a trusted Azure service, through the firewall's AzureServices exception on the public endpoint; with publicNetworkAccess Disabled there is no public endpoint and Media Services is shut out too",
            "set storage.publicNetworkAccess: Enabled (the firewall still denies every address but the ipRules; clients use the private endpoints), or deploy the foundation alone (mediaServices.deploy: false)",
        );
    }
    if media && !shared_key {
        c.fail(
            "/storage/allowSharedKeyAccess",
            "Media Services uses the account keys: key-based storage authentication until its identity takes over, and the SAS URLs it hands out for assets",
            "set storage.allowSharedKeyAccess: true, or deploy the foundation alone (mediaServices.deploy: false)",
        );
    }
    if access == PublicNetworkAccess::Disabled && !s.ip_rules.is_empty() {
        c.fail(
            "/storage/ipRules",
            "ipRules open the public endpoint to these addresses, and publicNetworkAccess Disabled removes that endpoint",
            "remove ipRules (clients use the private endpoints), or set storage.publicNetworkAccess: Enabled",
        );
    }
    (access, shared_key)
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
    let storage = if d.storage.public_network_access == PublicNetworkAccess::Disabled {
        (
            Internet::Closed,
            "publicNetworkAccess Disabled: no public endpoint, private endpoints only".into(),
        )
    } else if d.storage.ip_rules.is_empty() {
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
