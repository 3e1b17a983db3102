//! Customer-managed keys: a new Key Vault and its key, or access to an existing one.

use super::*;

// The role, parameters and symbols of the customer-managed key.
pub(crate) const ROLE_KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER: BuiltInRole = BuiltInRole {
    name: "Key Vault Crypto Service Encryption User",
    id: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
};
pub(crate) const P_VAULT_NAME: &str = "keyVaultName";
pub(crate) const P_VAULT_NAME_IN: &str = "keyVaultName";
pub(crate) const P_VAULT_ID: &str = "keyVaultId";
pub(crate) const S_VAULT: &str = "keyVault";
pub(crate) const S_VAULT_KEY: &str = "keyVaultKey";
pub(crate) const S_VAULT_ROLE: &str = "roleKeyVaultCryptoServiceEncryptionUser";
pub(crate) const S_VAULT_ACCESS: &str = "keyVaultAccess";
pub(crate) const S_EXISTING_VAULT: &str = "existingKeyVault";

/// The new vault's name, a parameter so each environment can pick a globally unique one.
pub(crate) fn key_vault_params(d: &Deployment) -> Option<Param> {
    let Some(CustomerKey {
        vault: KeyVault::New { name, .. },
        ..
    }) = d.media.customer_key()
    else {
        return None;
    };
    Some(derived_name_param(
        d,
        TargetResource::Vault,
        name_param(
            P_VAULT_NAME,
            "Name of the key vault holding the customer-managed key: 3-24 letters, digits and hyphens, globally unique.",
            24,
            name,
        ),
    ))
}

/// The customer-managed key's vault, for its endpoints.
pub(crate) fn key_vault_target(d: &Deployment) -> Option<OptionalTarget> {
    d.media.customer_key().map(|k| {
        let (name, id) = vault_refs(&k.vault);
        OptionalTarget {
            service: Service::Vault,
            what: "key vault",
            name_param: P_VAULT_NAME_IN,
            id_param: P_VAULT_ID,
            name,
            id,
        }
    })
}

/// Name and ID of the vault, as the private endpoints refer to it.
pub(crate) fn vault_refs(vault: &KeyVault) -> (Expr, Expr) {
    match vault {
        KeyVault::New { .. } => (Expr::param(P_VAULT_NAME), Expr::id(S_VAULT)),
        KeyVault::Existing { id, name, .. } => (Expr::str(name), Expr::existing_id(id)),
    }
}

pub(crate) fn key_vault_role(scope_symbol: &str, principal: Expr, owner: Expr) -> Resource {
    role(
        S_VAULT_ROLE,
        scope_symbol,
        ROLE_KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
        principal,
        owner,
        "Key Vault Crypto Service Encryption User on the vault for the Media Services identity: get, wrap and unwrap the key.",
    )
}

/// The vault side of a customer-managed key. Returns the symbol the account must wait for.
pub(crate) fn key_vault_resources(
    key: &CustomerKey,
    identity: &IdentityRefs,
    t: &mut Template,
) -> String {
    match &key.vault {
        KeyVault::New { hsm, key_size, .. } => {
            t.resources.push(
                Resource::new(S_VAULT, "Microsoft.KeyVault/vaults", api::KEY_VAULT, Expr::param(P_VAULT_NAME))
                    .with("location", Expr::param(P_LOCATION))
                    .with("tags", Expr::var(V_TAGS))
                    .with(
                        "properties",
                        Expr::object([
                            ("tenantId", Expr::TenantId),
                            (
                                "sku",
                                Expr::object([
                                    ("family", Expr::str("A")),
                                    ("name", Expr::str(if *hsm { "premium" } else { "standard" })),
                                ]),
                            ),
                            ("enableRbacAuthorization", Expr::Bool(true)),
                            ("enableSoftDelete", Expr::Bool(true)),
                            ("softDeleteRetentionInDays", Expr::Int(90)),
                            // Without purge protection Media Services refuses the key.
                            ("enablePurgeProtection", Expr::Bool(true)),
                            ("publicNetworkAccess", Expr::str("Disabled")),
                            (
                                "networkAcls",
                                Expr::object([
                                    ("bypass", Expr::str("AzureServices")),
                                    ("defaultAction", Expr::str("Deny")),
                                ]),
                            ),
                        ]),
                    )
                    .comment("Key vault for the customer-managed key: RBAC, soft delete and purge protection on, no public network access; Media Services reaches it as a trusted service."),
            );
            let mut k = Resource::new(S_VAULT_KEY, "Microsoft.KeyVault/vaults/keys", api::KEY_VAULT, Expr::str(&key.key_name))
                .with(
                    "properties",
                    Expr::object([
                        ("kty", Expr::str(if *hsm { "RSA-HSM" } else { "RSA" })),
                        ("keySize", Expr::Int(i64::from(*key_size))),
                        ("keyOps", Expr::strings(["wrapKey", "unwrapKey"])),
                        ("attributes", Expr::object([("enabled", Expr::Bool(true))])),
                        (
                            "rotationPolicy",
                            Expr::object([
                                // Expiry of the versions the policy creates; the first
                                // version, created here, has none.
                                ("attributes", Expr::object([("expiryTime", Expr::str("P2Y"))])),
                                (
                                    "lifetimeActions",
                                    // Counted from each version's creation, so it fires for the
                                    // first version too: a timeBeforeExpiry trigger needs an
                                    // expiry on the key, which that version lacks
                                    // (learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation).
                                    Expr::Array(vec![Expr::object([
                                        ("trigger", Expr::object([("timeAfterCreate", Expr::str("P1Y"))])),
                                        ("action", Expr::object([("type", Expr::str("rotate"))])),
                                    ])]),
                                ),
                            ]),
                        ),
                    ]),
                )
                .comment("The RSA key that wraps the account key. A new version is made a year after each one is created (versions it makes expire after two years); the account follows the newest version within about 15 minutes.");
            k.parent = Some(S_VAULT.into());
            t.resources.push(k);
            t.resources.push(key_vault_role(
                S_VAULT,
                identity.principal_id.clone(),
                identity.owner.clone(),
            ));
            S_VAULT_ROLE.into()
        }
        KeyVault::Existing {
            subscription_id,
            resource_group,
            name,
            ..
        } => {
            t.resources.push(
                Resource::new(
                    S_EXISTING_VAULT,
                    "Microsoft.KeyVault/vaults",
                    api::KEY_VAULT,
                    Expr::str(name),
                )
                .existing_in(ExistingIn::ResourceGroup {
                    subscription_id: subscription_id.clone(),
                    resource_group: resource_group.clone(),
                }),
            );
            // The grant must be made in the vault's own resource group.
            let inner_vault = Resource::new(
                S_VAULT,
                "Microsoft.KeyVault/vaults",
                api::KEY_VAULT,
                Expr::param(P_VAULT_NAME_IN),
            )
            .existing_in(ExistingIn::Here);
            // Named from the identity's resource ID, which is known before deployment: a
            // runtime principal ID in the name would blind what-if to the whole module.
            let role = key_vault_role(
                S_VAULT,
                Expr::param("principalId"),
                Expr::param(P_PRINCIPAL_OWNER_ID),
            );
            t.modules.push(Module {
                params: vec![
                    (Param::new(P_VAULT_NAME_IN, ParamType::String, "Name of the existing key vault."), Expr::str(name)),
                    (Param::new("principalId", ParamType::String, "Principal ID of the identity Media Services uses."), identity.principal_id.clone()),
                    (Param::new(P_PRINCIPAL_OWNER_ID, ParamType::String, "Resource ID of that identity (names the role assignment)."), identity.owner.clone()),
                ],
                resources: vec![inner_vault, role],
                ..Module::in_group(
                    S_VAULT_ACCESS,
                    "modules/key-vault-access.bicep",
                    subscription_id,
                    resource_group,
                    format!("Grants the Media Services identity the key role on the existing vault {name} (resource group {resource_group}, subscription {subscription_id})."),
                )
            });
            S_VAULT_ACCESS.into()
        }
    }
}
