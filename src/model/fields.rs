//! Checks of one value that both the rules and the wizard apply, so a wizard answer is refused
//! in the words a values file gets, and the two cannot drift apart. Each refusal is the
//! message and the fix.

use std::net::Ipv4Addr;

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

/// The smallest and largest subnet Azure DNS Private Resolver takes for an endpoint.
const RESOLVER_PREFIXES: std::ops::RangeInclusive<u8> = 24..=28;

/// A DNS resolver endpoint's subnet: IPv4, /28 to /24, inside the VNet's address space and
/// apart from its other subnets (`taken`, each with its name).
pub(crate) fn resolver_subnet(
    prefix: &IpNet,
    space: &[IpNet],
    taken: &[(String, IpNet)],
) -> Vec<Refusal> {
    let mut out = Vec::new();
    if !prefix.addr().is_ipv4() || !RESOLVER_PREFIXES.contains(&prefix.prefix_len()) {
        out.push((
            format!("subnet {prefix} cannot hold a DNS resolver endpoint: Azure takes an IPv4 subnet from /28 to /24"),
            "use a /28 (16 addresses are enough for one endpoint), inside the VNet's address space".into(),
        ));
    }
    if !space.iter().any(|s| s.contains(prefix)) {
        let spaces: Vec<String> = space.iter().map(ToString::to_string).collect();
        out.push((
            format!(
                "subnet {prefix} is not inside the VNet's address space ({})",
                spaces.join(", ")
            ),
            "pick a free /28 inside the VNet's address space".into(),
        ));
    }
    for (name, other) in taken.iter().filter(|(_, o)| network::overlaps(prefix, o)) {
        out.push((
            format!("subnet {prefix} overlaps subnet `{name}` ({other}) of the same VNet"),
            "pick a free range of the VNet: each resolver endpoint needs a subnet of its own"
                .into(),
        ));
    }
    out
}

/// The first address Azure gives out in an IPv4 subnet: the fifth (it keeps the first four).
pub(crate) fn first_usable(subnet: &IpNet) -> Option<Ipv4Addr> {
    match subnet {
        IpNet::V4(net) => Some(Ipv4Addr::from(u32::from(net.network()) + 4)),
        IpNet::V6(_) => None,
    }
}

/// A static address in a subnet: inside it, and none of the five Azure keeps (the first four
/// and the last).
pub(crate) fn static_address(address: Ipv4Addr, subnet: &IpNet) -> Result<(), Refusal> {
    let IpNet::V4(net) = subnet else {
        return Err((
            format!("{subnet} is not an IPv4 subnet"),
            "use an IPv4 subnet".into(),
        ));
    };
    let first = first_usable(subnet).unwrap_or(address);
    if !net.contains(&address) {
        return Err((
            format!("{address} is not in the subnet {net}"),
            format!("use an address of {net}, e.g. {first}"),
        ));
    }
    if address < first || address == net.broadcast() {
        return Err((
            format!("{address} is one of the five addresses Azure keeps in every subnet (the first four and the last of {net})"),
            format!("use {first} or a later address of the subnet"),
        ));
    }
    Ok(())
}

/// The first /28 of `space` that overlaps none of `taken`: a default for a resolver's subnet.
pub(crate) fn free_slash28(space: &[IpNet], taken: &[IpNet]) -> Option<IpNet> {
    space.iter().find_map(|s| match s {
        IpNet::V4(v4) if v4.prefix_len() <= 28 => v4
            .subnets(28)
            .ok()?
            .map(IpNet::V4)
            .find(|c| !taken.iter().any(|t| network::overlaps(t, c))),
        _ => None,
    })
}

/// The smallest IPv4 subnet Azure creates.
const SMALLEST_SUBNET: u8 = 29;

/// An existing subnet's range as Azure shows it: IPv4, /29 or larger, host bits clear.
pub(crate) fn subnet_range(text: &str) -> Result<IpNet, Refusal> {
    let net = network::parse_net(text)?;
    if !net.addr().is_ipv4() || net.prefix_len() > SMALLEST_SUBNET {
        return Err((
            format!("`{}` is not an IPv4 subnet range: Azure's subnets are /{SMALLEST_SUBNET} or larger", text.trim()),
            "write the subnet's range as Azure shows it, e.g. 10.20.1.0/24".into(),
        ));
    }
    Ok(net)
}

/// A network interface name: 1-80 letters, digits, `_`, `.` and `-`, starting with a letter or
/// digit and ending with a letter, digit or `_` (resource-name-rules).
pub(crate) fn nic_name(name: &str) -> Result<(), Refusal> {
    const MAX: usize = super::private_link::MAX_NIC_NAME;
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let last_ok = name
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.len() > MAX {
        return Err((
            format!(
                "network interface name `{name}` is {} characters; Azure allows {MAX}",
                name.len()
            ),
            "use a shorter pattern, e.g. {endpoint}-nic, or shorter resource and VNet names".into(),
        ));
    }
    if !(name.chars().all(allowed) && first_ok && last_ok) {
        return Err((
            format!("`{name}` is not a network interface name Azure accepts"),
            "use letters, digits, _ . and -, starting with a letter or digit and ending with a letter, digit or _".into(),
        ));
    }
    Ok(())
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
