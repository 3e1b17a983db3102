//! The storage account behind its firewall.

use super::*;

pub(crate) fn storage_account(d: &Deployment) -> Resource {
    let ip_rules = Expr::Array(
        d.storage
            .ip_rules
            .iter()
            .map(|r| Expr::object([("value", Expr::str(r)), ("action", Expr::str("Allow"))]))
            .collect(),
    );
    Resource::new(S_STORAGE, "Microsoft.Storage/storageAccounts", api::STORAGE, Expr::param(P_STORAGE_NAME))
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::param(P_TAGS))
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
                (
                    "networkAcls",
                    Expr::object([
                        ("bypass", Expr::str("AzureServices")),
                        ("defaultAction", Expr::str("Deny")),
                        ("ipRules", ip_rules),
                        ("virtualNetworkRules", Expr::Array(Vec::new())),
                    ]),
                ),
            ]),
        )
        .comment("Holds the Media Services assets. Firewall on; Media Services gets in as a trusted service with its managed identity, clients through the private endpoints.")
}
