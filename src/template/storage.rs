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
                // Media Services hands out SAS URLs for assets, so shared keys stay on with
                // it; the foundation alone uses none (the rules decide).
                ("allowSharedKeyAccess", Expr::Bool(d.storage.shared_key)),
                ("isHnsEnabled", Expr::Bool(false)),
                ("minimumTlsVersion", Expr::str("TLS1_2")),
                // With Media Services, Enabled + firewall Deny + AzureServices bypass: the
                // combination Microsoft's trusted-storage tutorial uses (Disabled would shut
                // Media Services out too). The foundation alone: Disabled by default.
                (
                    "publicNetworkAccess",
                    Expr::str(match d.storage.public_network_access {
                        PublicNetworkAccess::Enabled => "Enabled",
                        PublicNetworkAccess::Disabled => "Disabled",
                    }),
                ),
                ("supportsHttpsTrafficOnly", Expr::Bool(true)),
                ("networkAcls", Expr::object(acls)),
            ]),
        )
        .comment(match d.storage.public_network_access {
            PublicNetworkAccess::Enabled => "Holds the Media Services assets. Firewall on; Media Services gets in as a trusted service with its managed identity, clients through the private endpoints.",
            PublicNetworkAccess::Disabled => "Holds the Media Services assets. No public endpoint and no shared keys unless the values ask: clients use the private endpoints.",
        })
}
