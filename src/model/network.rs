//! Addresses and resource IDs: the checks a JSON Schema cannot express.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;

use super::ResourceId;

/// One entry of a Media Services IP allowlist: `address` + `subnetPrefixLength`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowEntry {
    pub net: IpNet,
}

impl AllowEntry {
    pub fn address(&self) -> String {
        self.net.network().to_string()
    }
    pub fn prefix_len(&self) -> u8 {
        self.net.prefix_len()
    }
    /// Every address of its family (`0.0.0.0/0` or `::/0`).
    pub fn is_everything(&self) -> bool {
        self.net.prefix_len() == 0
    }
}

/// `203.0.113.7` for a single address, `203.0.113.0/24` for a range: how Azure and people
/// write them.
pub fn display_net(net: &IpNet) -> String {
    if net.prefix_len() == net.max_prefix_len() {
        net.addr().to_string()
    } else {
        net.to_string()
    }
}

/// An address or CIDR range, with host bits clear. Errors carry a message and a hint.
pub fn parse_net(text: &str) -> Result<IpNet, (String, String)> {
    let text = text.trim();
    if let Ok(net) = text.parse::<IpNet>() {
        if net.trunc() != net {
            return Err((
                format!(
                    "`{text}` has host bits set below the /{} prefix",
                    net.prefix_len()
                ),
                format!("write the network address: {}", net.trunc()),
            ));
        }
        return Ok(net);
    }
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Ok(IpNet::from(addr));
    }
    Err((
        format!("`{text}` is not an IP address or CIDR range"),
        "write an IPv4 or IPv6 address (203.0.113.7) or a CIDR range (203.0.113.0/24)".to_owned(),
    ))
}

/// A storage firewall rule: public IPv4 only; /31 and /32 are not accepted as ranges.
pub fn parse_storage_rule(text: &str) -> Result<String, (String, String)> {
    let net = parse_net(text)?;
    let IpNet::V4(v4) = net else {
        return Err((
            format!("`{text}` is IPv6; the storage firewall takes IPv4 only"),
            "list the public IPv4 addresses of your clients; IPv6 clients reach storage through the private endpoint".into(),
        ));
    };
    if is_non_public_v4(v4.network()) {
        return Err((
            format!("`{text}` is a private or reserved range; storage IP rules only take public addresses"),
            "clients inside your network reach storage through the private endpoint; list only public IPv4 addresses here".into(),
        ));
    }
    let has_slash = text.contains('/');
    match v4.prefix_len() {
        31 | 32 if has_slash => Err((
            format!("`{text}`: the storage firewall does not accept /31 or /32 ranges"),
            format!("write single addresses instead, e.g. {}", v4.network()),
        )),
        32 => Ok(v4.addr().to_string()),
        _ => Ok(v4.to_string()),
    }
}

fn is_non_public_v4(a: Ipv4Addr) -> bool {
    let [b0, b1, ..] = a.octets();
    a.is_private()
        || a.is_loopback()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || (b0 == 100 && (64..128).contains(&b1))
        || b0 >= 224
        || b0 == 0
}

/// The parts of an existing subnet's resource ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingSubnet {
    pub id: String,
    pub subscription_id: String,
    pub resource_group: String,
    pub vnet_name: String,
    pub subnet_name: String,
    /// The VNet's region; `None`: the deployment's location.
    pub location: Option<String>,
    /// The subnet's address range, when the values give it (`existingSubnetPrefix`).
    pub prefix: Option<IpNet>,
}

impl ExistingSubnet {
    /// Splits an ID the schema has already checked for shape.
    pub fn parse(id: &str, location: Option<String>) -> Option<Self> {
        let r = ResourceId::parse_as(id, "Microsoft.Network/virtualNetworks/subnets")?;
        Some(ExistingSubnet {
            id: id.to_owned(),
            subscription_id: r.subscription_id.to_lowercase(),
            resource_group: r.resource_group.to_owned(),
            vnet_name: r.names[0].to_owned(),
            subnet_name: r.names[1].to_owned(),
            location,
            prefix: None,
        })
    }

    pub fn vnet_id(&self) -> String {
        self.id
            .rsplit_once("/subnets/")
            .map_or_else(|| self.id.clone(), |(vnet, _)| vnet.to_owned())
    }

    /// The ID of the subnet's resource group.
    pub fn group_id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}",
            self.subscription_id, self.resource_group
        )
    }
}

/// Why a private-endpoint subnet does not fit its VNet: outside the address space, or too
/// small. Empty when it fits.
pub fn subnet_problems(spaces: &[IpNet], subnet: &IpNet) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !spaces.is_empty() && !spaces.iter().any(|space| space.contains(subnet)) {
        let text: Vec<String> = spaces.iter().map(ToString::to_string).collect();
        out.push((
            format!(
                "subnet {subnet} is not inside the VNet's address space ({})",
                text.join(", ")
            ),
            format!("pick a range inside {}, e.g. the first /24 of it", text[0]),
        ));
    }
    if subnet.addr().is_ipv4() && subnet.prefix_len() > 28 {
        out.push((
            format!("subnet {subnet} is too small: Azure reserves 5 addresses in every subnet and each private endpoint takes one or more"),
            "use a /28 or larger (a /27 leaves room for the endpoints of several VNets' worth of groups)".into(),
        ));
    }
    out
}

/// True when the two ranges share an address.
pub fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_ranges_parse_with_host_bits_clear() {
        assert_eq!(
            parse_net("203.0.113.7").map(|n| n.to_string()),
            Ok("203.0.113.7/32".into())
        );
        assert_eq!(parse_net("2001:db8::/32").map(|n| n.prefix_len()), Ok(32));
        let (message, hint) = parse_net("203.0.113.7/24").unwrap_err();
        assert!(message.contains("host bits"));
        assert!(hint.ends_with("203.0.113.0/24"));
        assert!(parse_net("203.0.113.256").is_err());
        assert!(parse_net("").is_err());
    }

    #[test]
    fn storage_rules_take_public_ipv4_only() {
        assert_eq!(parse_storage_rule("203.0.113.7"), Ok("203.0.113.7".into()));
        assert_eq!(
            parse_storage_rule("203.0.113.0/24"),
            Ok("203.0.113.0/24".into())
        );
        for bad in [
            "10.0.0.1",
            "172.16.0.0/12",
            "192.168.0.1",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "2001:db8::1",
            "203.0.113.7/32",
            "203.0.113.6/31",
        ] {
            assert!(parse_storage_rule(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn existing_subnet_ids_split_into_their_parts() {
        let id = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-a/providers/Microsoft.Network/virtualNetworks/vnet-a/subnets/snet-a";
        let s = ExistingSubnet::parse(id, None).expect("parses");
        assert_eq!(
            (
                s.resource_group.as_str(),
                s.vnet_name.as_str(),
                s.subnet_name.as_str()
            ),
            ("rg-a", "vnet-a", "snet-a")
        );
        assert!(s.vnet_id().ends_with("/virtualNetworks/vnet-a"));
        assert!(ExistingSubnet::parse("/subscriptions/x/resourceGroups/rg", None).is_none());
    }

    #[test]
    fn overlap_is_symmetric() {
        let a: IpNet = "10.0.0.0/16".parse().unwrap();
        let b: IpNet = "10.0.5.0/24".parse().unwrap();
        let c: IpNet = "10.1.0.0/16".parse().unwrap();
        assert!(overlaps(&a, &b) && overlaps(&b, &a));
        assert!(!overlaps(&a, &c));
    }
}
