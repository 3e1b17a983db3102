//! DNS settings, the default and each VNet's: the zone IDs they name, checked per zone.

use super::*;

/// How a zone-ID problem is worded for one caller.
pub(super) struct ZoneIdWords<'a> {
    /// Ends the message about a missing ID.
    pub(super) purpose: &'a str,
    /// The zone name shown in the example ID.
    pub(super) example: &'a str,
    /// The hint for an ID naming another zone.
    pub(super) fix: &'a str,
}

/// The ID `dns` gives for `zone` (at `base`), when it is there and names that zone in `cloud`.
pub(super) fn checked_zone_id(
    c: &mut Checker,
    base: &str,
    dns: &DnsValues,
    zone: Zone,
    cloud: Cloud,
    words: ZoneIdWords,
) -> Option<String> {
    let key = zone.key();
    match dns.zone_ids.get(key) {
        None if c.optional_zones.contains(&zone) => None,
        None => {
            c.fail(
                &format!("{base}/zoneIds"),
                format!(
                    "mode {} needs the `{key}` zone's resource ID{}",
                    mode_name(dns.mode),
                    words.purpose
                ),
                format!(
                    "add zoneIds.{key}: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/{}",
                    words.example
                ),
            );
            None
        }
        Some(id) => match zone.check_id(id, cloud) {
            Ok(()) => Some(id.clone()),
            Err(message) => {
                c.fail(&format!("{base}/zoneIds/{key}"), message, words.fix);
                None
            }
        },
    }
}

/// A DNS setting (`privateLink.dns` or a VNet's own `dns`, at `base`) as the zones it means.
/// Zones created here live in `home`; `resource_manager`: the Resource Manager endpoint reads
/// its zone ID here too.
pub(super) fn check_dns(
    c: &mut Checker,
    base: &str,
    dns: &DnsValues,
    needed: &[Zone],
    cloud: Cloud,
    home: ZoneHome,
    resource_manager: bool,
) -> Dns {
    check_unused_zone_ids(c, base, dns, needed, resource_manager);
    if matches!(dns.mode, DnsMode::Create | DnsMode::None) && !dns.zone_ids.is_empty() {
        c.fail(
            &format!("{base}/zoneIds"),
            "zoneIds are only used with mode: existing (the zones to register in) or mode: policy (the central zones Azure Policy writes into)",
            "set mode: existing, or remove zoneIds",
        );
    }
    match dns.mode {
        DnsMode::Create => Dns::Create(home),
        DnsMode::Policy => Dns::Policy(central_zone_ids(c, base, dns, needed, cloud)),
        DnsMode::None => Dns::None,
        DnsMode::Existing => {
            let mut zones = BTreeMap::new();
            for zone in needed.iter().copied() {
                let example = zone.name(cloud).unwrap_or_default();
                let words = ZoneIdWords {
                    purpose: "",
                    example: &example,
                    fix: "point this key at the zone with the recommended privatelink name",
                };
                if let Some(id) = checked_zone_id(c, base, dns, zone, cloud, words) {
                    zones.insert(zone, id);
                }
            }
            Dns::Existing(zones)
        }
    }
}

fn mode_name(mode: DnsMode) -> &'static str {
    match mode {
        DnsMode::Create => "create",
        DnsMode::Existing => "existing",
        DnsMode::Policy => "policy",
        DnsMode::None => "none",
    }
}

/// What a central zone's ID is needed for when no built-in policy writes its records.
pub(super) const COMPANION_PURPOSE: &str = ": no current built-in policy writes its records (Microsoft's for Media Services is deprecated, Resource Manager's group has none), so the companion policy this tool writes (the dns-policy template) adds the zone groups, pointing at that central zone, which the VNets created here are also linked to";

/// Policy mode: the central zones the values name, each checked like an existing zone's ID.
/// A zone no built-in policy writes into must be named: the companion policy points at it.
fn central_zone_ids(
    c: &mut Checker,
    base: &str,
    dns: &DnsValues,
    needed: &[Zone],
    cloud: Cloud,
) -> BTreeMap<Zone, String> {
    let mut zones = BTreeMap::new();
    for zone in needed.iter().copied() {
        if !dns.zone_ids.contains_key(zone.key()) && zone.written_by_built_in_policy() {
            continue;
        }
        let example = zone.name(cloud).unwrap_or_default();
        let words = ZoneIdWords {
            purpose: COMPANION_PURPOSE,
            example: &example,
            fix: "point this key at the central zone with the recommended privatelink name, the one your Azure Policy assignment writes into",
        };
        if let Some(id) = checked_zone_id(c, base, dns, zone, cloud, words) {
            zones.insert(zone, id);
        }
    }
    zones
}

/// Zone IDs no endpoint uses are a sign of a slip (a forgotten group ID, a wrong key).
pub(super) fn check_unused_zone_ids(
    c: &mut Checker,
    base: &str,
    dns: &DnsValues,
    needed: &[Zone],
    resource_manager: bool,
) {
    if !matches!(dns.mode, DnsMode::Existing | DnsMode::Policy) {
        return;
    }
    for key in dns.zone_ids.keys() {
        let used = needed.iter().any(|z| z.key() == key)
            || (resource_manager && key == Zone::ResourceManager.key());
        if !used {
            // An existing (hub) vault is the usual case: say first what is almost always right.
            let existing_vault = key == Zone::Vault.key()
                && c.raw
                    .value
                    .pointer("/mediaServices/encryption/existingKey")
                    .is_some();
            let hint = if existing_vault {
                "remove it: the existing vault is reached through its own endpoint, whose record its zone holds already (existingKey.privateEndpoint: true adds a second endpoint in these VNets, registering in this zone, only if they cannot reach that one)"
            } else {
                "remove it, or add the matching group ID / storage sub-resource / customer key (an existing vault's endpoint needs existingKey.privateEndpoint: true; the Resource Manager zone belongs to the DNS of that endpoint's VNet)"
            };
            c.fail(
                &format!("{base}/zoneIds/{key}"),
                format!("no private endpoint uses the `{key}` zone"),
                hint,
            );
        }
    }
}

/// The DNS setting a VNet follows: its own, or `privateLink.dns`.
pub(super) fn dns_pointer(d: &Deployment, index: usize) -> String {
    match d
        .values
        .network
        .vnets
        .get(index)
        .and_then(|v| v.dns.as_ref())
    {
        Some(_) => format!("/network/vnets/{index}/dns"),
        None => "/privateLink/dns".to_owned(),
    }
}

/// What DNS mode policy leaves to the landing zone, and what that means until it acts.
fn policy_words(d: &Deployment) -> String {
    let mut words = "DNS mode policy: no zone group is written here; until Azure Policy adds one, a name with no record answers NXDOMAIN from VNets that resolve through the central zones (not the public address: the zone exists, the record does not), and the public address from VNets linked to no such zone or through a link that falls back (NxDomainRedirect, as the DNS resolver's VNet's links here do); DEPLOY.md's wait step checks each endpoint".to_owned();
    let companion: Vec<&str> = d
        .companion_policies()
        .iter()
        .map(|p| p.service.group_id())
        .collect();
    if !companion.is_empty() {
        let media = if d
            .companion_policies()
            .iter()
            .any(|p| p.service.needs_media())
        {
            " (Microsoft's for Media Services, b4a7f6c1-585e-4177-ad5b-c2c93f4bb991, is deprecated with its default effect Disabled)"
        } else {
            ""
        };
        words.push_str(&format!(
            "; no current built-in policy writes the records of {}{media}, so the companion policy written beside this template (dns-policy) does: deploy it once at a management group before this template",
            companion.join(", ")
        ));
    }
    words
}

/// Policy mode: one central zone per group ID that the companion policy covers. Its
/// assignment is one per management group, so two zones for the same group ID would have
/// two assignments rewrite each other's zone groups.
pub(super) fn check_companion_zones(c: &mut Checker, d: &Deployment) {
    let mut seen: BTreeMap<Zone, (String, String)> = BTreeMap::new();
    for (i, vnet) in d.vnets.iter().enumerate() {
        let Dns::Policy(ids) = &vnet.dns else {
            continue;
        };
        if !vnet.endpoints {
            continue;
        }
        for (zone, id) in ids.iter().filter(|(z, _)| !z.written_by_built_in_policy()) {
            let pointer = format!("{}/zoneIds/{}", dns_pointer(d, i), zone.key());
            match seen.get(zone) {
                Some((first, at)) if !first.eq_ignore_ascii_case(id) => c.fail(
                    &pointer,
                    format!("the companion policy points every `{}` endpoint under its management group at one central zone, and {at} names another one, `{first}`", zone.key()),
                    "name the same central zone in both (one per management group), or give this VNet dns mode existing with its own zone",
                ),
                Some(_) => {}
                None => {
                    seen.insert(*zone, (id.clone(), crate::values::display_path(&pointer)));
                }
            }
        }
    }
}

/// Per VNet: DNS left to someone else, and zones linked into VNets this tool does not own.
pub(super) fn dns_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    for (i, vnet) in d.vnets.iter().enumerate() {
        let subject = || format!("VNet '{}'", vnet.key());
        // Its own DNS setting decides what its clients get only when they ask Azure DNS or
        // servers of their own; through the resolver, the resolver's VNet decides.
        let own_lookup = matches!(d.lookup(i), Lookup::Linked | Lookup::OwnServers);
        match &vnet.dns {
            Dns::None if own_lookup => out.push(warn(
                &rules::DNS_UNMANAGED,
                dns_pointer(d, i),
                subject(),
                "DNS mode none: nothing makes the private names resolve to the endpoints from this VNet; clients keep using the public addresses unless your own DNS answers",
            )),
            Dns::Policy(_) if vnet.endpoints => out.push(warn(
                &rules::DNS_POLICY,
                dns_pointer(d, i),
                subject(),
                policy_words(d),
            )),
            Dns::Create(home) if vnet.existing().is_some() => {
                if d.needs_links(i) {
                    out.push(warn(
                        &rules::LINK_EXISTING,
                        format!("/network/vnets/{i}/linkNewZones"),
                        subject(),
                        "zones created here are linked to this existing VNet (linkNewZones), with NxDomainRedirect so other privatelink names still resolve publicly; if the VNet already links a zone of the same name, the deployment fails",
                    ));
                }
                if let ZoneHome::Group { resource_group, .. } = home {
                    out.push(warn(
                        &rules::ZONES_ELSEWHERE,
                        dns_pointer(d, i),
                        subject(),
                        format!("its zones are created in its resource group {resource_group}: a zone of the same name already there would be taken over (updated, its records and links kept), and deploying this template into {resource_group} itself would make them the zones of the other VNets too"),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}
