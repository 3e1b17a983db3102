//! VNet questions, with derived address defaults.

use super::*;

/// The first /16 in 10.10.0.0/8 onwards that overlaps none of the taken ranges.
pub(super) fn next_free_space(taken: &[IpNet]) -> String {
    (10u8..=250)
        .map(|b| format!("10.{b}.0.0/16"))
        .find(|c| {
            c.parse::<IpNet>()
                .map(|n| !taken.iter().any(|t| net::overlaps(t, &n)))
                .unwrap_or(false)
        })
        .unwrap_or_else(|| "10.10.0.0/16".into())
}

/// The first /24 of a range (or the range itself when it is smaller).
pub(super) fn first_subnet(space: &str) -> String {
    match space.parse::<IpNet>() {
        Ok(IpNet::V4(n)) if n.prefix_len() < 24 => n
            .subnets(24)
            .ok()
            .and_then(|mut s| s.next())
            .map_or(space.to_owned(), |s| s.to_string()),
        _ => space.to_owned(),
    }
}

pub(super) fn network(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const LIST: &str = "/network/vnets";
    if !change && st.is_given(LIST) {
        return Ok(());
    }
    if change {
        keep_entries(p, st, LIST, "network.vnets", "VNets")?;
    } else {
        st.put(LIST, json!([]));
    }
    let account = st.get_str("/mediaServices/name").unwrap_or_default();
    loop {
        let i = st.list(LIST).len();
        if i > 0
            && !p.confirm(
                &Question {
                    key: "network.vnets.add",
                    message: "Add another VNet?",
                    help: "A further VNet resolves to the first one's endpoints (peered), or has endpoints and zones of its own",
                },
                false,
            )?
        {
            return Ok(());
        }
        let kinds = ["new".to_owned(), "existing".to_owned()];
        let labels = vec![
            "new — created here, with a subnet for the endpoints".to_owned(),
            "existing — a subnet that already exists, in any resource group or subscription"
                .to_owned(),
        ];
        let kind = p.select(
            &Question {
                key: "network.vnets[].kind",
                message: "Where do the private endpoints go?",
                help: "Endpoints in an existing subnet are deployed into that subnet's resource group",
            },
            &labels,
            0,
        )?;
        let base = format!("{LIST}/{i}");
        if picked(&kinds, kind)? == "new" {
            let taken_spaces: Vec<IpNet> = st
                .list(LIST)
                .iter()
                .filter_map(|v| v.get("addressPrefixes").and_then(Value::as_array).cloned())
                .flatten()
                .filter_map(|s| s.as_str().and_then(|s| s.parse().ok()))
                .collect();
            let taken_names = names_in(st, LIST);
            let default_name = if i == 0 {
                format!("vnet-{account}")
            } else {
                format!("vnet-{account}-{}", i + 1)
            };
            let name = p.text(
                &Question {
                    key: "network.vnets[].name",
                    message: "VNet name",
                    help: "2-64 letters, digits, _ . -; endpoint names are derived from it",
                },
                Some(&default_name),
                all_of(vec![
                    schema_check(&format!("{base}/name")),
                    unique_check(taken_names, "VNet"),
                ]),
            )?;
            let spaces_taken = taken_spaces.clone();
            let space_check: Check = Arc::new(move |s: &str| {
                let entries = split_list(s);
                if entries.is_empty() {
                    return Err("enter at least one range, e.g. 10.10.0.0/16".into());
                }
                for e in &entries {
                    let n = net::parse_net(e).map_err(|(m, h)| format!("{m}; {h}"))?;
                    let others: Vec<(IpNet, String)> = spaces_taken
                        .iter()
                        .map(|t| (*t, "another VNet".to_owned()))
                        .collect();
                    refused(fields::apart_from_other_vnets(&n, &others))?;
                }
                Ok(())
            });
            let spaces = p.text(
                &Question {
                    key: "network.vnets[].addressPrefixes",
                    message: "Address space",
                    help: "Must not overlap the other VNets you will peer with; commas between ranges",
                },
                Some(&next_free_space(&taken_spaces)),
                space_check,
            )?;
            let spaces = split_list(&spaces);
            let nets: Vec<IpNet> = spaces
                .iter()
                .filter_map(|s| net::parse_net(s).ok())
                .collect();
            let subnet_name = p.text(
                &Question {
                    key: "network.vnets[].subnet.name",
                    message: "Subnet for the private endpoints",
                    help: "A dedicated subnet keeps endpoint NICs apart from workloads",
                },
                Some("snet-private-endpoints"),
                schema_check(&format!("{base}/subnet/name")),
            )?;
            let fit: Check = Arc::new(move |s: &str| {
                let subnet = net::parse_net(s).map_err(|(m, h)| format!("{m}; {h}"))?;
                match net::subnet_problems(&nets, &subnet).into_iter().next() {
                    Some((m, h)) => Err(format!("{m}; {h}")),
                    None => Ok(()),
                }
            });
            let prefix = p.text(
                &Question {
                    key: "network.vnets[].subnet.addressPrefix",
                    message: "Subnet range",
                    help:
                        "Inside the address space; /28 or larger (each endpoint takes an address)",
                },
                Some(&first_subnet(spaces.first().map_or("", String::as_str))),
                fit,
            )?;
            let mut entry = json!({"name": name.trim(), "addressPrefixes": spaces, "subnet": {"name": subnet_name.trim(), "addressPrefix": prefix.trim()}});
            // A further new VNet lives in the deployment's resource group, next to the zones
            // the hub uses, so it resolves through the hub's endpoints.
            if i > 0 {
                let hub = hub_of(st, LIST);
                peering(p, &mut entry, &hub)?;
                hub_style(&mut entry, hub);
            }
            st.put(&base, entry);
        } else {
            let id_ptr = format!("{base}/existingSubnetId");
            let id_check: Check = subnet_id_check(&id_ptr);
            let id = p.text(
                &Question {
                    key: "network.vnets[].existingSubnetId",
                    message: "Subnet resource ID",
                    help: "az network vnet subnet show -g <rg> --vnet-name <vnet> -n <subnet> --query id -o tsv",
                },
                None,
                id_check,
            )?;
            let location = p.text(
                &Question {
                    key: "network.vnets[].location",
                    message: "Region of that VNet (empty: the deployment's region)",
                    help: "A private endpoint must be in its VNet's region",
                },
                Some(""),
                optional(schema_check(&format!("{base}/location"))),
            )?;
            let mut entry = json!({"existingSubnetId": id.trim()});
            if !location.trim().is_empty() {
                entry["location"] = json!(location.trim());
            }
            if i > 0 {
                match reach(p, st, LIST)? {
                    Reach::Hub(hub) => {
                        peering(p, &mut entry, &hub)?;
                        hub_style(&mut entry, hub);
                    }
                    // Zones of its own, in its own resource group: two zones of one name
                    // cannot share the deployment's group with the first VNet's.
                    Reach::Isolated => entry["dns"] = json!({"mode": "create"}),
                }
            }
            st.put(&base, entry);
        }
    }
}

/// Whether the template peers this VNet with the hub, or they are connected already.
fn peering(p: &mut dyn Prompter, entry: &mut Value, hub: &str) -> Result<()> {
    let options = vec![
        "create — the template peers them (the half in an existing VNet by a nested deployment in its resource group)".to_owned(),
        "existing — peered already, or routed through a hub firewall, Virtual WAN or VPN".to_owned(),
    ];
    let i = p.select(
        &Question {
            key: "network.vnets[].peering",
            message: &format!("How does it reach {hub}?"),
            help: "Its clients resolve to endpoints there, so they must reach them; an existing connection is listed in DEPLOY.md with the command that checks it",
        },
        &options,
        0,
    )?;
    if i == 1 {
        entry["peering"] = json!("existing");
    }
    Ok(())
}

enum Reach {
    Hub(String),
    Isolated,
}

/// The first VNet with endpoints of its own: the hub the others resolve through.
fn hub_of(st: &State, list: &str) -> String {
    st.list(list)
        .iter()
        .find(|v| v.get("privateEndpoints") != Some(&json!(false)))
        .and_then(vnet_key)
        .map(|(key, _)| key)
        .unwrap_or_default()
}

/// No endpoints in this VNet: it is peered with the hub and resolves to the hub's endpoints.
fn hub_style(entry: &mut Value, hub: String) {
    entry["privateEndpoints"] = json!(false);
    entry["connectedTo"] = json!([hub]);
}

/// For a further existing VNet: through the hub's endpoints, or isolated with endpoints and
/// zones of its own. A zone holds one record per name, so two VNets with endpoints never
/// share zones.
fn reach(p: &mut dyn Prompter, st: &State, list: &str) -> Result<Reach> {
    let hub = hub_of(st, list);
    let labels = vec![
        format!("through {hub} — no endpoints here; it is peered with {hub} and resolves to its endpoints"),
        "isolated — endpoints of its own, and zones of its own created in its resource group"
            .to_owned(),
    ];
    let chosen = p.select(
        &Question {
            key: "network.vnets[].privateEndpoints",
            message: "How does this VNet reach the private endpoints?",
            help: "Two VNets with endpoints of their own must not share zones: the second record would replace the first",
        },
        &labels,
        0,
    )?;
    Ok(if chosen == 0 {
        Reach::Hub(hub)
    } else {
        Reach::Isolated
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_defaults_stay_within_the_rules() {
        assert_eq!(next_free_space(&[]), "10.10.0.0/16");
        assert_eq!(
            next_free_space(&["10.10.0.0/16".parse().unwrap()]),
            "10.11.0.0/16"
        );
        assert_eq!(first_subnet("10.10.0.0/16"), "10.10.0.0/24");
        assert_eq!(first_subnet("10.10.0.0/26"), "10.10.0.0/26");
    }
}
