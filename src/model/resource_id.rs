//! One parser for the Azure resource IDs the values name (subnets, vaults, event hubs, DNS
//! zones). The schema has checked their shape; this splits them, and says which type an ID is,
//! letter case ignored as Azure does.

/// `/subscriptions/<sub>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>[/<type>/<name>]…`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceId<'a> {
    pub subscription_id: &'a str,
    pub resource_group: &'a str,
    /// The full type, e.g. `Microsoft.Network/virtualNetworks/subnets`.
    pub rtype: String,
    /// The name at each level of the type, outermost first.
    pub names: Vec<&'a str>,
}

impl<'a> ResourceId<'a> {
    pub fn parse(id: &'a str) -> Option<ResourceId<'a>> {
        let parts: Vec<&str> = id.split('/').collect();
        // Only the leading `/` makes an empty segment.
        if parts.iter().skip(1).any(|p| p.is_empty()) {
            return None;
        }
        match parts.as_slice() {
            ["", subs, sub, rgs, rg, providers, namespace, rest @ ..]
                if subs.eq_ignore_ascii_case("subscriptions")
                    && rgs.eq_ignore_ascii_case("resourceGroups")
                    && providers.eq_ignore_ascii_case("providers")
                    && !rest.is_empty()
                    && rest.len() % 2 == 0 =>
            {
                let types: Vec<&str> = rest.iter().step_by(2).copied().collect();
                Some(ResourceId {
                    subscription_id: sub,
                    resource_group: rg,
                    rtype: format!("{namespace}/{}", types.join("/")),
                    names: rest.iter().skip(1).step_by(2).copied().collect(),
                })
            }
            _ => None,
        }
    }

    /// The ID when it is of type `rtype`.
    pub fn parse_as(id: &'a str, rtype: &str) -> Option<ResourceId<'a>> {
        Self::parse(id).filter(|r| r.rtype.eq_ignore_ascii_case(rtype))
    }

    /// The resource's own name (the last level's).
    pub fn name(&self) -> &'a str {
        self.names.last().copied().unwrap_or_default()
    }

    /// The name in `id`, or `id` itself when it is not a resource ID: for messages.
    pub fn name_in(id: &'a str) -> &'a str {
        Self::parse(id).map_or(id, |r| r.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_level_and_ignores_letter_case_of_the_keywords() {
        let id = "/SUBSCRIPTIONS/11111111-2222-3333-4444-555555555555/resourcegroups/rg-a/Providers/Microsoft.Network/virtualNetworks/vnet-a/subnets/snet-a";
        let r = ResourceId::parse(id).unwrap();
        assert_eq!(r.subscription_id, "11111111-2222-3333-4444-555555555555");
        assert_eq!(r.resource_group, "rg-a");
        assert_eq!(r.rtype, "Microsoft.Network/virtualNetworks/subnets");
        assert_eq!(r.names, ["vnet-a", "snet-a"]);
        assert_eq!(r.name(), "snet-a");
        assert!(ResourceId::parse_as(id, "microsoft.network/VIRTUALNETWORKS/subnets").is_some());
        assert!(ResourceId::parse_as(id, "Microsoft.KeyVault/vaults").is_none());
    }

    #[test]
    fn refuses_what_is_not_an_id_in_a_resource_group() {
        for bad in [
            "",
            "/subscriptions/s/resourceGroups/rg",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/",
            "subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
            "/subscriptions/s/locks/rg/providers/Microsoft.KeyVault/vaults/kv",
            "/subscriptions//resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
        ] {
            assert!(ResourceId::parse(bad).is_none(), "{bad:?}");
        }
    }
}
