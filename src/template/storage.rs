//! The storage account behind its firewall.

use super::*;

pub(crate) fn storage_account(d: &Deployment) -> Resource {
    // Both lists are always written, empty ones too: whether the storage provider keeps rules
    // a redeployment leaves out is not documented, and a rule removed from the values file
    // must not stay open (nor one added by hand in the portal).
    let ip_rules = if d.storage.ip_rules.is_empty() {
        Expr::EmptyList
    } else {
        let rules = d
            .storage
            .ip_rules
            .iter()
            .map(|r| Expr::object([("value", Expr::str(r)), ("action", Expr::str("Allow"))]));
        Expr::Array(rules.collect())
    };
    let acls = vec![
        ("bypass", Expr::str("AzureServices")),
        ("defaultAction", Expr::str("Deny")),
        ("ipRules", ip_rules),
        ("virtualNetworkRules", Expr::EmptyList),
    ];
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
