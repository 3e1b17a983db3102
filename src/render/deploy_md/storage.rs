//! DEPLOY.md: the storage account's network and key settings, what depends on them, and what
//! the checks of its public path should show.

use serde::Serialize;

use crate::model::*;

#[derive(Serialize)]
pub(super) struct StorageView {
    /// The settings, and what depends on them, in words.
    storage_words: &'static str,
    /// What the check command should print.
    storage_access: &'static str,
    /// The storage account has no public endpoint.
    storage_private_only: bool,
}

pub(super) fn storage_view(d: &Deployment) -> StorageView {
    use PublicNetworkAccess::{Disabled, Enabled};
    let (words, access) = match (d.storage.public_network_access, d.storage.shared_key) {
        (Enabled, true) if d.media.deploy => (
            "public network access **Enabled**, with the firewall denying every address but `ipRules`, because Media Services reaches its storage as a trusted Azure service through the firewall's AzureServices exception, with its managed identity; shared keys **on**, because its key-based storage authentication and the SAS URLs it hands out for assets use them. Your clients use the private endpoints.",
            "defaultAction Deny, only your ipRules",
        ),
        (Enabled, _) => (
            "public network access **Enabled**, as the values ask, with the firewall denying every address but `ipRules` (Media Services, once deployed, reaches its storage through that endpoint as a trusted service). Your clients use the private endpoints.",
            "defaultAction Deny, only your ipRules",
        ),
        (Disabled, true) => (
            "public network access **Disabled**: no public endpoint, clients use the private endpoints; shared keys on, as the values ask.",
            "publicNetworkAccess Disabled",
        ),
        (Disabled, false) => (
            "public network access **Disabled** and shared keys **off**: no public endpoint, clients use the private endpoints with Microsoft Entra ID, and nothing in the foundation uses a key. (Media Services would need both; see \"Media Services later\".)",
            "publicNetworkAccess Disabled, sharedKey false",
        ),
    };
    StorageView {
        storage_words: words,
        storage_access: access,
        storage_private_only: d.storage.public_network_access == Disabled,
    }
}
