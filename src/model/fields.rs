//! Checks of one value that both the rules and the wizard apply, so a wizard answer is refused
//! in the words a values file gets, and the two cannot drift apart. Each refusal is the
//! message and the fix.

use ipnet::IpNet;

use super::network;

pub type Refusal = (String, String);

/// Key Vault names are 3-24 letters, digits and single hyphens (the schema checks the rest).
pub fn key_vault_name(name: &str) -> Result<(), Refusal> {
    if name.contains("--") {
        return Err((
            format!("`{name}`: Key Vault names cannot contain two hyphens in a row"),
            "use single hyphens between words".into(),
        ));
    }
    Ok(())
}

/// Media Services needs its key vault in its own region; `account` is `None` for the
/// resource group's region, which cannot be compared here.
pub fn vault_region(account: Option<&str>, vault: &str) -> Result<(), Refusal> {
    match account {
        Some(account) if !vault.is_empty() && account != vault => Err((
            format!("the vault is in {vault} but the account is in {account}; Media Services needs its key vault in its own region"),
            "use a vault in the account's region, or let the tool create one (keyVault)".into(),
        )),
        _ => Ok(()),
    }
}

/// The tenant root management group's ID is the tenant ID: a GUID. Associations for Resource
/// Manager private link are only supported there.
fn is_root_management_group_id(id: &str) -> bool {
    id.len() == 36
        && id.char_indices().all(|(i, ch)| {
            if [8, 13, 18, 23].contains(&i) {
                ch == '-'
            } else {
                ch.is_ascii_hexdigit()
            }
        })
}

/// Resource Manager private link associations exist only at the tenant root management group.
pub fn root_management_group(id: &str) -> Result<(), Refusal> {
    if is_root_management_group_id(id) {
        return Ok(());
    }
    Err((
        format!("`{id}` is not the root management group: Resource Manager private link associations are only supported at the tenant root, whose ID is the tenant ID (a GUID)"),
        "use the tenant ID: az account show --query tenantId -o tsv".into(),
    ))
}

/// A VNet's range must not overlap another VNet's: they could not be peered. `others` are the
/// other VNets' ranges, each with how the message names its VNet.
pub fn apart_from_other_vnets(range: &IpNet, others: &[(IpNet, String)]) -> Result<(), Refusal> {
    match others.iter().find(|(o, _)| network::overlaps(o, range)) {
        Some((other, whose)) => Err((
            format!("address space {range} overlaps {other} of {whose}"),
            "give each VNet its own range so they can be peered".into(),
        )),
        None => Ok(()),
    }
}

/// Azure compares resource names without letter case.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_management_group_is_named_by_a_guid() {
        assert!(root_management_group("12345678-90ab-4cde-8f01-234567890abc").is_ok());
        for not_a_guid in [
            "",
            "abc",
            "12345678-90ab-4cde-8f01-234567890abcd",
            "123456789-0ab-4cde-8f01-234567890abc",
            "mg-production-0000000000000000000000",
            "12345678090ab04cde08f010234567890abc",
        ] {
            assert!(root_management_group(not_a_guid).is_err(), "{not_a_guid}");
        }
    }
}
