//! The private endpoints as a network team wants them, asked only when the user says so: per
//! VNet with endpoints, a network interface name pattern, application security groups, and a
//! static address for each endpoint whose member name Microsoft documents (an existing
//! subnet's range first, to check the addresses against).

use std::net::Ipv4Addr;

use super::*;
use crate::model::private_link::targets_in;
use crate::model::{Target, Values};

const LIST: &str = "/network/vnets";

pub(super) fn endpoint_settings(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    let count = st.list(LIST).len();
    let pointer = |i: usize| format!("{LIST}/{i}/endpointSettings");
    // VNets given up front come with their settings, or without any: not asked again.
    if !change && st.is_given(LIST) {
        return Ok(());
    }
    let current = (0..count).any(|i| st.get(&pointer(i)).is_some());
    let wanted = p.confirm(
        &Question {
            key: "network.vnets.endpointSettings",
            message: "Do you want to control the private endpoints' addresses, interface names or application security groups?",
            help: "Static addresses for firewall rules and on-premises DNS, interface names that follow your naming policy, groups your NSG rules name; otherwise Azure assigns the addresses and each interface is named <endpoint>-nic",
        },
        current,
    )?;
    if !wanted {
        (0..count).for_each(|i| st.remove(&pointer(i)));
        return Ok(());
    }
    // Every section before this one has been answered, so the values are whole.
    let values: Values = serde_json::from_value(st.values.clone()).map_err(|e| {
        crate::error::Error::Internal(format!("the answers so far are not a values document: {e}"))
    })?;
    let targets = targets_in(&values);
    let mut taken: Vec<Ipv4Addr> = Vec::new();
    for i in 0..count {
        let entry = st.list(LIST)[i].clone();
        if entry.get("privateEndpoints") == Some(&json!(false)) {
            continue;
        }
        vnet_settings(p, st, i, &entry, &targets, &mut taken)?;
    }
    Ok(())
}

/// The VNet's key in names, and its endpoints' subnet range when known.
fn vnet_of(entry: &Value) -> (String, Option<IpNet>) {
    let (key, new) = vnet_key(entry).unwrap_or_default();
    let prefix = if new {
        "/subnet/addressPrefix"
    } else {
        "/existingSubnetPrefix"
    };
    let range = entry
        .pointer(prefix)
        .and_then(Value::as_str)
        .and_then(|s| net::parse_net(s).ok());
    (key, range)
}

fn vnet_settings(
    p: &mut dyn Prompter,
    st: &mut State,
    i: usize,
    entry: &Value,
    targets: &[Target],
    taken: &mut Vec<Ipv4Addr>,
) -> Result<()> {
    let base = format!("{LIST}/{i}/endpointSettings");
    let (vnet, mut range) = vnet_of(entry);
    nic_pattern(p, st, &base, &vnet, targets)?;
    list(
        p,
        st,
        &format!("{base}/applicationSecurityGroupIds"),
        Ask {
            message: "Application security groups the endpoints join (resource IDs, optional)",
            help: "In the endpoints' region; Azure keeps every interface of a group in one VNet",
        },
        Arc::new(move |s: &str| {
            split_list(s).iter().try_for_each(|id| {
                schema::check_value(
                    &format!("{LIST}/0/endpointSettings/applicationSecurityGroupIds/0"),
                    &json!(id),
                )
            })
        }),
        true,
    )?;
    if st
        .list(&format!("{base}/applicationSecurityGroupIds"))
        .is_empty()
    {
        st.remove(&format!("{base}/applicationSecurityGroupIds"));
    }
    if entry.get("existingSubnetId").is_some() {
        range = existing_prefix(p, st, i)?;
    }
    if let Some(range) = range {
        for target in targets.iter().filter(|t| t.service.member_name().is_some()) {
            static_address(p, st, &base, target, range, taken)?;
        }
    }
    tidy(st, &base);
    Ok(())
}

/// The interface name pattern; the default is left out of the values.
fn nic_pattern(
    p: &mut dyn Prompter,
    st: &mut State,
    base: &str,
    vnet: &str,
    targets: &[Target],
) -> Result<()> {
    const DEFAULT: &str = "{endpoint}-nic";
    let pointer = format!("{base}/nicName");
    let (vnet, targets) = (vnet.to_owned(), targets.to_vec());
    text(
        p,
        st,
        &pointer,
        Ask {
            message:
                "Network interface names: a pattern of {endpoint}, {resource}, {group}, {vnet}",
            help: "Each endpoint's interface must get a name of its own, at most 80 characters",
        },
        Some(DEFAULT.to_owned()),
        Arc::new(move |s: &str| {
            let mut names: Vec<String> = Vec::new();
            for t in &targets {
                let name = t.nic_name(&vnet, Some(s.trim()));
                refused(fields::nic_name(&name))?;
                if names.iter().any(|n| fields::same_name(n, &name)) {
                    return Err(format!("two endpoints would both get the interface name `{name}`; put {{endpoint}}, or {{group}} and {{vnet}}, into the pattern"));
                }
                names.push(name);
            }
            Ok(())
        }),
        true,
    )?;
    if st.get_str(&pointer).as_deref() == Some(DEFAULT) {
        st.remove(&pointer);
    }
    Ok(())
}

/// An existing subnet's range, which static addresses are checked against; empty: none.
fn existing_prefix(p: &mut dyn Prompter, st: &mut State, i: usize) -> Result<Option<IpNet>> {
    let pointer = format!("{LIST}/{i}/existingSubnetPrefix");
    text(
        p,
        st,
        &pointer,
        Ask {
            message:
                "The existing subnet's range, for static addresses (empty: Azure assigns them)",
            help:
                "az network vnet subnet show --ids <existingSubnetId> --query addressPrefix -o tsv",
        },
        None,
        optional(Arc::new(|s: &str| {
            refused(fields::subnet_range(s).map(|_| ()))
        })),
        true,
    )?;
    Ok(st.get_str(&pointer).and_then(|s| net::parse_net(&s).ok()))
}

fn static_address(
    p: &mut dyn Prompter,
    st: &mut State,
    base: &str,
    target: &Target,
    range: IpNet,
    taken: &mut Vec<Ipv4Addr>,
) -> Result<()> {
    let group = target.service.group_id();
    let pointer = format!("{base}/overrides/{group}/ipAddress");
    let used = taken.clone();
    let message = format!("Static address of the `{group}` endpoint (empty: Azure assigns one)");
    text(
        p,
        st,
        &pointer,
        Ask {
            message: &message,
            help: "Inside the subnet, not one of the five addresses Azure keeps; from the top of the range, so no dynamic endpoint takes it first",
        },
        None,
        optional(Arc::new(move |s: &str| {
            let a: Ipv4Addr = s
                .trim()
                .parse()
                .map_err(|_| format!("`{s}` is not an IPv4 address"))?;
            refused(fields::static_address(a, &range))?;
            if used.contains(&a) {
                return Err(format!("{a} is already another endpoint's address"));
            }
            Ok(())
        })),
        true,
    )?;
    if let Some(a) = st.get_str(&pointer).and_then(|s| s.parse().ok()) {
        taken.push(a);
    }
    Ok(())
}

/// Empty overrides and an empty settings object are left out of the values.
fn tidy(st: &mut State, base: &str) {
    let overrides = format!("{base}/overrides");
    let empty = |v: Option<&Value>| v.and_then(Value::as_object).is_none_or(Map::is_empty);
    let groups: Vec<String> = st
        .get(&overrides)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for g in groups {
        if empty(st.get(&format!("{overrides}/{g}"))) {
            st.remove(&format!("{overrides}/{g}"));
        }
    }
    if empty(st.get(&overrides)) {
        st.remove(&overrides);
    }
    if empty(st.get(base)) {
        st.remove(base);
    }
}
