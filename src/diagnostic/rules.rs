//! Every kind of finding the tool reports, with a stable ID: SARIF results name their rule by
//! it, so code scanning groups an alert with the same finding of earlier runs. IDs never
//! change meaning; a retired one is not reused.

/// One kind of problem or warning.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable, `area/what`.
    pub id: &'static str,
    /// One line: what the finding is about.
    pub summary: &'static str,
    /// What to do about it, in general (each finding's own message and hint say it exactly).
    pub help: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $summary:literal, $help:literal;)*) => {
        $(pub const $name: Rule = Rule { id: $id, summary: $summary, help: $help };)*
        /// Every rule, for the documentation and the tests.
        pub const ALL: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    // Reading the input.
    YAML = "input/yaml", "The values file is not valid YAML", "Fix the YAML syntax at the position shown.";
    FILE = "input/file", "The values file cannot be used as it is", "Give a YAML mapping of values (the answers file has the shape).";
    SET = "input/set", "A --set argument cannot be applied", "Write --set as dotted.path=value, with list indexes that exist (a.0.b or a[0].b).";
    ESTATE_FILE = "input/estate-file", "The estate file cannot be read as ARM resource objects", "Pass the JSON file the estate script wrote, unchanged.";
    // The schema.
    UNKNOWN_KEY = "schema/unknown-key", "A key the values file does not have", "Remove the key, or correct its spelling (the message suggests the nearest key).";
    REQUIRED = "schema/required", "A required value is missing", "Add the value at the key named; `ams-private-link schema` shows its type.";
    TYPE = "schema/type", "A value of the wrong type", "Write a value of the type the key takes (YAML 1.2: only true and false are booleans).";
    ALLOWED = "schema/allowed-value", "A value outside the allowed set", "Use one of the values listed in the message.";
    PATTERN = "schema/pattern", "A value that does not match its required form", "Rewrite the value in the form shown (names: lowercase letters and digits, resource IDs: full ARM IDs).";
    RANGE = "schema/range", "A number, text or list outside its limits", "Bring the value within the limits shown.";
    DUPLICATE = "schema/duplicate", "A list holds the same entry twice", "Remove the repeated entry.";
    SCHEMA = "schema/other", "A value the schema does not accept", "Change the value as the message says.";
    // The model's rules, by the part of the values they are about.
    MEDIA = "design/media-services", "Media Services settings that do not fit together", "Change the settings as the hint says.";
    STORAGE = "design/storage", "Storage settings that do not fit together", "Change the settings as the hint says.";
    NETWORK = "design/network", "VNet or subnet settings that cannot be deployed", "Change the VNet settings as the hint says.";
    PRIVATE_LINK = "design/private-link", "Private endpoint or DNS settings that cannot work", "Change the private link settings as the hint says.";
    EVENTS = "design/event-grid", "Event Grid settings that cannot be deployed", "Change the Event Grid settings as the hint says.";
    RESOURCE_MANAGER = "design/resource-manager", "Resource Manager private link settings that cannot work", "Change the settings as the hint says.";
    DESIGN = "design/other", "Values that do not fit together", "Change the values as the hint says.";
    RESOLUTION = "design/name-resolution", "A VNet would resolve a private name wrongly (two writers, unreachable, or NXDOMAIN)", "Give each VNet one zone per name that only endpoints it can reach register in; the hint names the change.";
    // Warnings: what is open to the internet.
    PUBLIC_ACCESS = "exposure/public-network-access", "The Media Services account accepts public traffic", "Set mediaServices.publicNetworkAccess: Disabled, or keep every allowlist as narrow as possible.";
    OPEN_TO_ALL = "exposure/open-to-everyone", "A door is open to every internet address", "Use defaultAction Deny with an allowlist, or close public access.";
    ALLOWLIST = "exposure/allowlist", "A door is reachable from the internet addresses listed", "Check that each range belongs to you; remove what is not needed.";
    CDN = "exposure/cdn", "A streaming endpoint serves content publicly through Azure CDN", "Turn cdnEnabled off to restrict streaming to an allowlist or the private endpoint.";
    STORAGE_FIREWALL = "exposure/storage-firewall", "The storage firewall admits public addresses", "Remove storage.ipRules that are not needed; clients in the VNets use the private endpoint.";
    WEBHOOK = "exposure/webhook", "Events leave over the internet to a webhook", "Deliver to a storage queue or an event hub instead, or protect the webhook.";
    UNREACHABLE = "exposure/unreachable", "A service is neither public nor reachable through a private endpoint", "Add the group ID to privateLink.groups, or open public access with an allowlist.";
    // Warnings: name resolution and resources the tool does not own.
    DNS_UNMANAGED = "dns/unmanaged", "Nothing here makes the private names resolve from a VNet", "Use dns mode create or existing, or make sure your own DNS answers the privatelink names.";
    DNS_POLICY = "dns/policy", "Azure Policy is trusted to create the zone records", "Check that the policy assignment covers these endpoints.";
    LINK_EXISTING = "dns/link-existing-vnet", "Zones created here are linked into an existing VNet", "Check that the VNet links no zone of the same name.";
    ZONES_ELSEWHERE = "dns/zones-in-other-group", "Zones are created in another resource group", "Check that no zone of the same name exists there.";
    OWN_DNS_SERVERS = "dns/own-servers", "A VNet resolves through DNS servers this tool cannot check", "Make the servers forward the privatelink names to Azure DNS from a VNet linked to the zones, or use the design's DNS resolver.";
    ON_PREMISES = "dns/on-premises-forwarders", "On-premises DNS servers must forward the zones to the resolver", "Add the conditional forwarders DEPLOY.md lists.";
    EXISTING_ZONE_LINK = "shared/existing-zone-link", "VNets created here are linked to zones of another resource group", "Check that you may add links to those zones (Private DNS Zone Contributor).";
    PEERING_EXISTING_VNET = "shared/peering-existing-vnet", "A peering half is created in a VNet this tool does not own", "Agree it with the VNet's owner; DEPLOY.md says how to remove it.";
    PREREQUISITE = "deploy/prerequisite", "The design relies on a connection or link already in place", "Check it with the command DEPLOY.md gives under Prerequisites.";
    SHARED_VAULT = "shared/existing-vault", "An existing key vault must meet requirements this tool cannot check", "Check RBAC authorization, soft delete and purge protection on the vault.";
    VAULT_ENDPOINT = "shared/existing-vault-endpoint", "An endpoint is added to an existing vault", "Check that no other endpoint of the vault registers in the same zone.";
    TENANT_WIDE = "shared/tenant-wide", "The Resource Manager private link applies to the whole tenant", "Review with the tenant's owners before deploying.";
    REGION_ASSUMED = "deploy/region-assumed", "An existing VNet's region is assumed", "Set location on the VNet when it is not in the deployment's region.";
    TWO_PHASE = "deploy/two-phase", "The deployment needs a second pass", "Follow phase 2 in DEPLOY.md, or use identity userAssigned.";
    KEY_AVAILABILITY = "deploy/customer-key", "The account depends on the customer-managed key staying available", "Keep the key enabled and the identity's role on the vault.";
    READ_ACCESS_SECONDARY = "deploy/read-access-secondary", "The storage account's readable secondary gets private endpoints too", "Read from the secondary through its endpoints; after a failover, plan its endpoints again.";
    SUBNET_POLICIES = "deploy/existing-subnet-policies", "Endpoints in an existing subnet join application security groups", "Check that the subnet's privateEndpointNetworkPolicies is Enabled or NetworkSecurityGroupEnabled.";
    NSG_DEFAULT_RULES = "deploy/nsg-default-rules", "A created subnet's security group admits only the VirtualNetwork tag", "Give the subnet a group of your own (networkSecurityGroupId) when clients come through a hub firewall without SNAT.";
    STATIC_ADDRESSES = "deploy/static-addresses", "Static endpoint addresses share a subnet with dynamic ones", "Pick static addresses from the top of the subnet's range, away from the addresses Azure gives out first.";
    LZ_PRIVATE_DNS_ZONES = "landing-zone/private-dns-zones", "The design creates private DNS zones, which landing zones with central DNS deny", "Where Deny-Private-DNS-Zones is assigned, use dns mode existing (the hub's zones) or policy.";
    LZ_PUBLIC_NETWORK_ACCESS = "landing-zone/public-network-access", "A resource keeps public network access, which a Corp landing zone denies", "Deploy outside the Corp management group, or get an exemption for the resource.";
    // What already exists (validate --estate): what would fail or harm others.
    ESTATE_ZONE_NAME_LINKED = "estate/zone-name-linked", "An existing VNet already links a zone of a name the design links into it", "Link the VNet to none of the design's zones of that name (use the zone it has: dns mode existing), or remove its other link first.";
    ESTATE_RECORD_TAKEN = "estate/record-taken", "A record the design writes exists already for another endpoint", "Do not register a second endpoint of that resource in that zone; reach the existing one, or use a zone of this design's own.";
    ESTATE_LINK_EXISTS = "estate/link-exists", "The VNet is already linked to a zone the design links it to", "Agree with the zone's owner which link stays; a VNet on DNS servers of its own needs no link of the design's.";
    ESTATE_DENY_ZONES = "estate/deny-private-dns-zones", "A policy assignment denies creating private DNS zones where the design creates them", "Use dns mode existing (the hub's zones) or policy.";
    ESTATE_POLICY_WRITER = "estate/policy-writes-zone-groups", "A DeployIfNotExists assignment writes zone groups for endpoints the design writes itself", "Use dns mode policy for them, or exempt this deployment from the assignment.";
    // What was deployed (verify --estate).
    VERIFY_RECORD = "verify/record", "A name does not resolve to its endpoint in the zone that answers it", "Deploy again, or wait for Azure Policy to write the record; then collect the estate again.";
    VERIFY_LINK = "verify/link", "A zone is not linked to the VNet that resolves through it", "Deploy again (the template links the zones), or link the zone to that VNet.";
    VERIFY_ACCESS = "verify/public-access", "Public network access differs from the design", "Deploy again, or find out who changed the setting.";
    TOPIC_PRIVATE = "deploy/private-topic", "The custom topic only accepts events from inside the VNets", "Publish to it from inside the VNets.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_shaped_area_slash_name() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        for id in &ids {
            let (area, name) = id.split_once('/').unwrap_or_else(|| panic!("{id}"));
            assert!(
                [area, name].iter().all(|p| !p.is_empty()
                    && p.chars().all(|c| c.is_ascii_lowercase() || c == '-')),
                "{id}"
            );
        }
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "an ID is used twice");
    }
}
