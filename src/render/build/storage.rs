//! The storage account behind its firewall.

use super::*;

pub(crate) fn storage_account(d: &Deployment) -> Resource {
    // A template that sets `networkAcls` replaces the whole rule set on every deployment, so
    // leaving out an empty list clears it as surely as `[]` would (and arm-ttk refuses
    // blank values).
    let mut acls = vec![
        ("bypass", Expr::str("AzureServices")),
        ("defaultAction", Expr::str("Deny")),
    ];
    if !d.storage.ip_rules.is_empty() {
        let rules = d
            .storage
            .ip_rules
            .iter()
            .map(|r| Expr::object([("value", Expr::str(r)), ("action", Expr::str("Allow"))]));
        acls.push(("ipRules", Expr::Array(rules.collect())));
    }
    Resource::new(S_STORAGE, "Microsoft.Storage/storageAccounts", api::STORAGE, Expr::param(P_STORAGE_NAME))
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::var(V_TAGS))
        .with("kind", Expr::str("StorageV2"))
        .with("sku", Expr::object([("name", Expr::param(P_STORAGE_SKU))]))
        .with(
            "properties",
            Expr::object([
                ("accessTier", Expr::str("Hot")),
                ("allowBlobPublicAccess", Expr::Bool(false)),
                ("allowCrossTenantReplication", Expr::Bool(false)),
                // Media Services hands out SAS URLs for assets, so shared keys stay on.
                ("allowSharedKeyAccess", Expr::Bool(true)),
                ("isHnsEnabled", Expr::Bool(false)),
                ("minimumTlsVersion", Expr::str("TLS1_2")),
                // Enabled + firewall Deny + AzureServices bypass: the combination Microsoft's
                // trusted-storage tutorial uses; Disabled would also shut out Media Services.
                ("publicNetworkAccess", Expr::str("Enabled")),
                ("supportsHttpsTrafficOnly", Expr::Bool(true)),
                ("networkAcls", Expr::object(acls)),
            ]),
        )
        .comment("Holds the Media Services assets. Firewall on; Media Services gets in as a trusted service with its managed identity, clients through the private endpoints.")
}
