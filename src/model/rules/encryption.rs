//! The account's encryption: a customer-managed key in a vault created here or an existing one.

use super::*;

pub(super) fn check_encryption(c: &mut Checker, values: &Values) -> Encryption {
    const BASE: &str = "/mediaServices/encryption";
    let e = &values.media_services.encryption;
    let rsa_only = |c: &mut Checker, pointer: &str, key_type: KeyType| {
        if matches!(key_type, KeyType::Ec | KeyType::EcHsm) {
            c.fail(
                pointer,
                "Media Services accepts RSA keys only (2048, 3072 or 4096 bits); an EC key cannot wrap the account key",
                "use keyType: RSA-HSM (or RSA)",
            );
        }
    };
    if e.kind == EncryptionKind::SystemKey {
        for (key, present) in [
            ("keyVault", e.key_vault.is_some()),
            ("existingKey", e.existing_key.is_some()),
        ] {
            if present {
                c.fail(
                    &format!("{BASE}/{key}"),
                    format!("{key} is only used with type: customerKey"),
                    "set mediaServices.encryption.type: customerKey, or remove it",
                );
            }
        }
        return Encryption::SystemKey;
    }
    if values.media_services.identity != IdentityKind::UserAssigned {
        c.fail(
            &format!("{BASE}/type"),
            "a customer-managed key needs identity: userAssigned: the identity must be granted the key before the account is created, and a system-assigned identity only exists afterwards",
            "set mediaServices.identity: userAssigned",
        );
    }
    match (&e.key_vault, &e.existing_key) {
        (Some(_), Some(_)) => {
            c.fail(
                BASE,
                "customerKey takes either keyVault (a new vault) or existingKey, not both",
                "keep one of them",
            );
            Encryption::SystemKey
        }
        (None, None) => {
            c.fail(
                &format!("{BASE}/type"),
                "customerKey needs a key: keyVault (a new vault created here) or existingKey (a vault that exists)",
                "add mediaServices.encryption.keyVault: {name: kv-<account>}, or existingKey: {vaultId: ..., keyName: ...}",
            );
            Encryption::SystemKey
        }
        (Some(new), None) => {
            rsa_only(c, &format!("{BASE}/keyVault/keyType"), new.key_type);
            if let Err((message, hint)) = fields::key_vault_name(&new.name) {
                c.fail(&format!("{BASE}/keyVault/name"), message, hint);
            }
            Encryption::CustomerKey(CustomerKey {
                key_name: new.key_name.clone(),
                vault: KeyVault::New {
                    name: new.name.clone(),
                    hsm: new.key_type == KeyType::RsaHsm,
                    key_size: new.key_size,
                },
            })
        }
        (None, Some(existing)) => {
            rsa_only(c, &format!("{BASE}/existingKey/keyType"), existing.key_type);
            if let Some(vault) = &existing.location {
                if let Err((message, hint)) =
                    fields::vault_region(values.location.as_deref(), vault)
                {
                    c.fail(&format!("{BASE}/existingKey/location"), message, hint);
                }
            }
            match ResourceId::parse_as(&existing.vault_id, "Microsoft.KeyVault/vaults") {
                Some(vault) => Encryption::CustomerKey(CustomerKey {
                    key_name: existing.key_name.clone(),
                    vault: KeyVault::Existing {
                        id: existing.vault_id.clone(),
                        subscription_id: vault.subscription_id.to_lowercase(),
                        resource_group: vault.resource_group.to_owned(),
                        name: vault.name().to_owned(),
                        private_endpoint: existing.private_endpoint,
                    },
                }),
                None => {
                    c.fail(
                        &format!("{BASE}/existingKey/vaultId"),
                        format!("`{}` is not a Key Vault resource ID", existing.vault_id),
                        "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>",
                    );
                    Encryption::SystemKey
                }
            }
        }
    }
}

/// What a customer-managed key risks, and what an existing vault must already meet.
pub(super) fn encryption_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    let media = &d.media;
    if let Some(key) = media.customer_key() {
        out.push(warn(
            &rules::KEY_AVAILABILITY,
            "/mediaServices/encryption",
            "customer-managed key",
            "if the key is deleted or disabled, or the identity loses its role on the vault, the account becomes read-only until access returns",
        ));
        if let KeyVault::Existing { name, .. } = &key.vault {
            out.push(warn(
                &rules::SHARED_VAULT,
                "/mediaServices/encryption/existingKey/vaultId",
                format!("key vault '{name}'"),
                "it is not created here: it must use RBAC authorization (the identity is granted a role, not an access policy) and have soft delete and purge protection on",
            ));
        }
    }
    out
}

/// An endpoint added to a vault this tool does not own.
pub(super) fn vault_endpoint_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    let media = &d.media;
    if let Some(KeyVault::Existing {
        name,
        private_endpoint: true,
        ..
    }) = media.customer_key().map(|k| &k.vault)
    {
        out.push(warn(
            &rules::VAULT_ENDPOINT,
            "/mediaServices/encryption/existingKey/privateEndpoint",
            format!("key vault '{name}'"),
            "an endpoint is added to this existing vault (existingKey.privateEndpoint): if the vault already has an endpoint registering in the same zone, its record is replaced, and every VNet resolving through that zone then reaches the vault through this endpoint",
        ));
    }
    out
}

/// The vault created here; an existing vault's network rules are not this tool's to know.
pub(super) fn vault_doors(d: &Deployment) -> Vec<Door> {
    let mut out = Vec::new();
    let media = &d.media;
    if let Some(KeyVault::New { name, .. }) = media.customer_key().map(|k| &k.vault) {
        out.push(door(
            (TargetResource::Vault, "key vault"),
            format!("key vault {name}"),
            (
                Internet::Closed,
                "publicNetworkAccess Disabled on the vault".into(),
            ),
            "/mediaServices/encryption/keyVault".into(),
            private_from(d, |s| s == Service::Vault),
        ));
    }
    out
}
