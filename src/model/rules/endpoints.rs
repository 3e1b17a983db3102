//! The private endpoints as a network team wants them: static addresses, network interface
//! names, application security groups; and the names Azure must accept for every endpoint.

use std::collections::BTreeSet;

use super::*;
use crate::values::display_path;

/// One VNet's endpoint settings, each value read on its own: addresses parsed, patterns made of
/// known placeholders. What depends on the design is [`check_endpoints`]'s.
pub(super) fn endpoint_settings(
    c: &mut Checker,
    pointer: &str,
    values: Option<&EndpointSettingsValues>,
) -> EndpointSettings {
    let Some(v) = values else {
        return EndpointSettings::default();
    };
    let base = format!("{pointer}/endpointSettings");
    // A pattern refused here is dropped, so the names made from it are not refused again.
    let nic_name = v
        .nic_name
        .clone()
        .filter(|p| pattern_is_known(c, &format!("{base}/nicName"), p));
    let mut overrides = BTreeMap::new();
    for (group, o) in &v.overrides {
        let at = format!("{base}/overrides/{group}");
        let own_nic_name = o
            .nic_name
            .clone()
            .filter(|p| pattern_is_known(c, &format!("{at}/nicName"), p));
        let ip_address = o.ip_address.as_deref().and_then(|text| {
            let parsed = text.trim().parse::<Ipv4Addr>();
            if parsed.is_err() {
                c.fail(
                    &format!("{at}/ipAddress"),
                    format!("`{text}` is not an IPv4 address"),
                    "write one address of the endpoint's subnet, e.g. 10.10.1.10 (private endpoints take IPv4 static addresses)",
                );
            }
            parsed.ok()
        });
        overrides.insert(
            group.clone(),
            EndpointOverride {
                ip_address,
                nic_name: own_nic_name,
                application_security_groups: o.application_security_group_ids.clone(),
            },
        );
    }
    EndpointSettings {
        nic_name,
        application_security_groups: v.application_security_group_ids.clone(),
        overrides,
    }
}

/// A pattern names only known placeholders, and no brace stands alone.
fn pattern_is_known(c: &mut Checker, pointer: &str, pattern: &str) -> bool {
    let mut rest = pattern.to_owned();
    for p in private_link::NIC_PLACEHOLDERS {
        rest = rest.replace(p, "");
    }
    if rest.contains(['{', '}']) {
        c.fail(
            pointer,
            format!("`{pattern}` uses a placeholder the tool does not know"),
            format!(
                "use only {}, e.g. nic-{{endpoint}}",
                private_link::NIC_PLACEHOLDERS.join(", ")
            ),
        );
        return false;
    }
    true
}

/// What the design's endpoints already use, across its VNets.
#[derive(Default)]
struct Taken {
    /// Interface name (lowercase) → where it was first set, and whether a second use of that
    /// setting has been reported.
    nics: BTreeMap<String, (String, bool)>,
    addresses: BTreeMap<Ipv4Addr, String>,
    /// Application security group (lowercase ID) → the VNet whose endpoints join it first.
    groups: BTreeMap<String, usize>,
    /// (group, VNet) pairs already reported.
    reported: BTreeSet<(String, usize)>,
}

/// Everything about the endpoints that needs the whole design: names within Azure's limits
/// and unique, settings only for targets that exist here, static addresses that are
/// documented, inside their subnet, outside Azure's reserved five and unique, application
/// security groups in one VNet each.
pub(super) fn check_endpoints(c: &mut Checker, vnets: &[Vnet], targets: &[Target]) {
    let mut taken = Taken::default();
    for (i, vnet) in vnets.iter().enumerate() {
        let pointer = format!("/network/vnets/{i}");
        if !vnet.endpoints {
            if vnet.endpoint_settings != EndpointSettings::default() {
                c.fail(
                    &format!("{pointer}/endpointSettings"),
                    "endpointSettings are for the private endpoints of this VNet, and it has none (privateEndpoints: false)",
                    "remove endpointSettings from this VNet, or set them on the VNet that holds the endpoints",
                );
            }
            continue;
        }
        check_endpoint_name(c, &pointer, vnet, targets);
        check_overrides_name_targets(c, &pointer, vnet, targets);
        for target in targets {
            let plan = vnet.endpoint_plan(target);
            let at = setting_pointer(&pointer, vnet, target, Setting::NicName);
            check_nic_name(c, &at, &plan.nic_name, &mut taken.nics);
            check_static_address(c, &pointer, vnet, target, &mut taken.addresses);
            check_security_groups(c, (i, &pointer), vnets, target, &plan, &mut taken);
        }
    }
}

/// Azure keeps every network interface of an application security group in one VNet.
fn check_security_groups(
    c: &mut Checker,
    (i, pointer): (usize, &str),
    vnets: &[Vnet],
    target: &Target,
    plan: &EndpointPlan,
    taken: &mut Taken,
) {
    for id in &plan.application_security_groups {
        let key = id.to_lowercase();
        let first = *taken.groups.entry(key.clone()).or_insert(i);
        if first != i && taken.reported.insert((key, i)) {
            c.fail(
                &setting_pointer(pointer, &vnets[i], target, Setting::SecurityGroups),
                format!("application security group `{}` also holds the endpoints of `{}`: Azure keeps every network interface of a group in one VNet", ResourceId::name_in(id), vnets[first].key()),
                "give each VNet's endpoints groups of their own",
            );
        }
    }
}

/// An endpoint setting that has a VNet default and a per-endpoint override.
#[derive(Clone, Copy)]
enum Setting {
    NicName,
    SecurityGroups,
}

/// Where a setting of `target` comes from: its override when it sets it, else the VNet's when
/// it does, else the VNet.
fn setting_pointer(pointer: &str, vnet: &Vnet, target: &Target, setting: Setting) -> String {
    let s = &vnet.endpoint_settings;
    let group = target.service.group_id();
    let own = s.overrides.get(group);
    let (key, own_set, vnet_set) = match setting {
        Setting::NicName => (
            "nicName",
            own.is_some_and(|o| o.nic_name.is_some()),
            s.nic_name.is_some(),
        ),
        Setting::SecurityGroups => (
            "applicationSecurityGroupIds",
            own.is_some_and(|o| o.application_security_groups.is_some()),
            !s.application_security_groups.is_empty(),
        ),
    };
    if own_set {
        format!("{pointer}/endpointSettings/overrides/{group}/{key}")
    } else if vnet_set {
        format!("{pointer}/endpointSettings/{key}")
    } else {
        pointer.to_owned()
    }
}

/// Derived endpoint names must fit Azure's 64 characters.
fn check_endpoint_name(c: &mut Checker, pointer: &str, vnet: &Vnet, targets: &[Target]) {
    let longest = targets
        .iter()
        .map(|t| t.endpoint_name(vnet.key()))
        .max_by_key(String::len);
    if let Some(name) = longest.filter(|n| n.len() > MAX_ENDPOINT_NAME) {
        c.fail(
            pointer,
            format!("the private endpoint name `{name}` (pe-<name>-<group>-<vnet>) would be {} characters; Azure allows {MAX_ENDPOINT_NAME}", name.len()),
            "use a shorter VNet name, or shorter account, storage, vault or topic names",
        );
    }
}

/// Each override names an endpoint this VNet gets.
fn check_overrides_name_targets(c: &mut Checker, pointer: &str, vnet: &Vnet, targets: &[Target]) {
    for group in vnet.endpoint_settings.overrides.keys() {
        if !targets.iter().any(|t| t.service.group_id() == group) {
            let here: Vec<&str> = targets.iter().map(|t| t.service.group_id()).collect();
            c.fail(
                &format!("{pointer}/endpointSettings/overrides/{group}"),
                format!("this design has no `{group}` endpoint (its endpoints: {})", here.join(", ")),
                "remove the override, or add the target it is for (privateLink.groups, storage.privateEndpoints, a read-access storage SKU for *_secondary, a key vault, a custom topic)",
            );
        }
    }
}

/// A network interface name: Azure's form, at most 80 characters, unique in the design.
fn check_nic_name(
    c: &mut Checker,
    pointer: &str,
    name: &str,
    seen: &mut BTreeMap<String, (String, bool)>,
) {
    if let Err((message, hint)) = fields::nic_name(name) {
        c.fail(pointer, message, hint);
        return;
    }
    let key = name.to_lowercase();
    let Some((first, told)) = seen.get_mut(&key) else {
        seen.insert(key, (pointer.to_owned(), false));
        return;
    };
    // One finding per name and setting, however many endpoints share it.
    if !std::mem::replace(told, true) || first != pointer {
        let by = if first == pointer {
            String::new()
        } else {
            format!(" (also by {})", display_path(first))
        };
        c.fail(
            pointer,
            format!("network interface name `{name}` would be given to two endpoints{by}; Azure compares names without letter case"),
            "put {endpoint} or {group} and {vnet} into the pattern, so each endpoint's interface has its own name",
        );
    }
}

/// A static address: for a target whose member name Microsoft documents, inside its subnet,
/// not one Azure keeps, and used once in the design.
fn check_static_address(
    c: &mut Checker,
    pointer: &str,
    vnet: &Vnet,
    target: &Target,
    seen: &mut BTreeMap<Ipv4Addr, String>,
) {
    let group = target.service.group_id();
    let Some(address) = vnet
        .endpoint_settings
        .overrides
        .get(group)
        .and_then(|o| o.ip_address)
    else {
        return;
    };
    let at = format!("{pointer}/endpointSettings/overrides/{group}/ipAddress");
    if target.service.member_name().is_none() {
        c.fail(
            &at,
            format!("Microsoft documents no member name for {} endpoints, which a static address must name; the tool does not guess one (a wrong one fails with PrivateEndpointIpConfigurationMissingMemberNamesRequiredByFps)", target.describe()),
            "remove ipAddress for this endpoint and let Azure assign its address (it keeps it for the endpoint's lifetime; az network private-endpoint show --query customDnsConfigs prints it)",
        );
        return;
    }
    let Some(subnet) = subnet_range(vnet) else {
        c.fail(
            &at,
            "a static address is checked against its subnet's range, and this existing subnet's range is not given",
            format!("add existingSubnetPrefix to {}; az network vnet subnet show --ids <existingSubnetId> --query addressPrefix -o tsv prints it", display_path(pointer)),
        );
        return;
    };
    if let Err((message, hint)) = fields::static_address(address, &subnet) {
        c.fail(&at, message, hint);
        return;
    }
    if let Some(first) = seen.insert(address, at.clone()) {
        c.fail(
            &at,
            format!(
                "{address} is also the address of the endpoint at {}",
                display_path(&first)
            ),
            "give each endpoint its own address",
        );
    }
}

/// An existing subnet's range, as the values give it.
pub(super) fn existing_subnet_prefix(c: &mut Checker, pointer: &str, text: &str) -> Option<IpNet> {
    match fields::subnet_range(text) {
        Ok(net) => Some(net),
        Err((message, hint)) => {
            c.fail(&format!("{pointer}/existingSubnetPrefix"), message, hint);
            None
        }
    }
}

/// A subnet where some endpoints of this design have static addresses and others take
/// dynamic ones: Azure gives a dynamic address from the lowest free one of the subnet, so a
/// static address low in the range can be gone before its endpoint is made.
pub(super) fn static_address_warnings(d: &Deployment) -> Vec<Warning> {
    let targets = d.targets();
    let mut out = Vec::new();
    for (i, vnet) in d.vnets.iter().enumerate().filter(|(_, v)| v.endpoints) {
        let plans: Vec<EndpointPlan> = targets.iter().map(|t| vnet.endpoint_plan(t)).collect();
        let fixed = plans.iter().filter(|p| p.static_ip.is_some()).count();
        let shared = vnet.existing().is_some();
        // Addresses in the upper half stay clear of what Azure gives out first.
        let low = |address: Ipv4Addr| match subnet_range(vnet) {
            Some(IpNet::V4(net)) => {
                let half = (u32::from(net.broadcast()) - u32::from(net.network())) / 2;
                u32::from(address) < u32::from(net.network()) + half
            }
            _ => true,
        };
        let any_low = plans
            .iter()
            .filter_map(|p| p.static_ip)
            .any(|(address, _)| low(address));
        if fixed == 0 || (fixed == plans.len() && !shared) || !any_low {
            continue;
        }
        let others = if shared {
            "dynamic endpoints (this design's, when Media Services is deployed later, or other teams' in this shared subnet)"
        } else {
            "this design's dynamic endpoints (created after the static ones, but Media Services' may come in a later deployment)"
        };
        out.push(warn(
            &rules::STATIC_ADDRESSES,
            format!("/network/vnets/{i}/endpointSettings"),
            format!("VNet '{}'", vnet.key()),
            format!("{fixed} endpoint(s) here have static addresses, some in the lower half of the subnet, and {others} take the lowest free addresses: pick static addresses from the top of the range so none is taken first"),
        ));
    }
    out
}

/// The network security groups the template creates are named `nsg-<vnet>-<subnet>`: within
/// Azure's 80 characters, and one name per group.
pub(super) fn check_nsg_names(c: &mut Checker, d: &Deployment) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for i in 0..d.vnets.len() {
        for (role, subnet) in d.created_subnets(i) {
            if subnet.nsg.is_some() {
                continue;
            }
            let name = subnet.created_nsg_name(d.vnets[i].key());
            let at = role.pointer(i);
            let fix = format!(
                "use shorter VNet and subnet names, or give this subnet a group of your own: networkSecurityGroupId under {}",
                display_path(&at)
            );
            if name.len() > MAX_NSG_NAME {
                c.fail(
                    &format!("{at}/name"),
                    format!("the network security group of subnet `{}` would be named `{name}`, {} characters; Azure allows {MAX_NSG_NAME}", subnet.name, name.len()),
                    fix,
                );
            } else if let Some(first) = seen.insert(name.to_lowercase(), at.clone()) {
                c.fail(
                    &format!("{at}/name"),
                    format!("the network security group `{name}` would also be that of the subnet at {}", display_path(&first)),
                    fix,
                );
            }
        }
    }
}

/// The range of the endpoints' subnet, when known.
fn subnet_range(vnet: &Vnet) -> Option<IpNet> {
    match &vnet.shape {
        VnetShape::New { subnet, .. } => Some(subnet.prefix),
        VnetShape::Existing(e) => e.prefix,
    }
}

/// What the security groups leave to the user: network policies of an existing subnet whose
/// endpoints join application security groups, and the default rules of a group created here
/// when clients may come in through a hub.
pub(super) fn security_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    for i in d.groups_in_existing_subnets() {
        out.push(warn(
            &rules::SUBNET_POLICIES,
            format!("/network/vnets/{i}/endpointSettings"),
            format!("VNet '{}'", d.vnets[i].key()),
            "its endpoints join application security groups, but NSG rules apply to endpoints only where the subnet's privateEndpointNetworkPolicies is Enabled or NetworkSecurityGroupEnabled, and this existing subnet is not the template's to set: DEPLOY.md gives the command that checks it",
        ));
    }
    for p in d
        .peerings
        .iter()
        .filter(|p| p.mode == PeeringMode::Existing)
    {
        for i in [p.a, p.b] {
            let vnet = &d.vnets[i];
            let created_group =
                matches!(&vnet.shape, VnetShape::New { subnet, .. } if subnet.nsg.is_none());
            if vnet.endpoints && created_group {
                out.push(warn(
                    &rules::NSG_DEFAULT_RULES,
                    format!("/network/vnets/{i}/subnet"),
                    format!("VNet '{}'", vnet.key()),
                    format!("`{}` reaches it through a connection that exists already (peering: existing); the endpoints' security group has Azure's default rules, which admit the VirtualNetwork tag (the VNet, its peers, the ranges its gateway and routes know): clients routed through a hub firewall or virtual appliance without SNAT may fall outside it, so give the subnet a group of your own (networkSecurityGroupId) if yours do", d.vnets[p.other(i)].key()),
                ));
            }
        }
    }
    out
}
