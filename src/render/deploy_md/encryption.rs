//! DEPLOY.md: the customer-managed key and its vault.

use serde::Serialize;

use crate::model::*;

/// The customer-managed key and its vault, created here or existing.
#[derive(Serialize)]
pub(super) struct VaultView<'a> {
    cmk: bool,
    cmk_existing: bool,
    cmk_vault: &'a str,
    cmk_key: &'a str,
    new_vault: bool,
    existing_vault_id: Option<&'a str>,
    vault_name: Option<&'a str>,
    /// An existing vault that gets an endpoint here (its approval permission is named).
    existing_vault_endpoint: bool,
    vault_suffix: &'static str,
    vault_zone: String,
}

pub(super) fn vault_view(d: &Deployment) -> VaultView<'_> {
    let key = d.media.customer_key();
    let vault = key.map(|k| &k.vault);
    let existing = matches!(vault, Some(KeyVault::Existing { .. }));
    VaultView {
        cmk: key.is_some(),
        cmk_existing: existing,
        cmk_vault: vault.map(KeyVault::name).unwrap_or_default(),
        cmk_key: key.map(|k| k.key_name.as_str()).unwrap_or_default(),
        new_vault: matches!(vault, Some(KeyVault::New { .. })),
        existing_vault_id: match vault {
            Some(KeyVault::Existing { id, .. }) => Some(id),
            _ => None,
        },
        vault_name: vault.map(KeyVault::name),
        existing_vault_endpoint: existing
            && d.targets().iter().any(|t| t.service == Service::Vault),
        vault_suffix: private_link::vault_suffix(d.cloud),
        vault_zone: Zone::Vault.name(d.cloud).unwrap_or_default(),
    }
}
