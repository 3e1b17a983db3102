//! Group IDs, DNS and output questions.

use super::*;

pub(super) fn private_link(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    let has_live = !st.list("/mediaServices/liveEvents").is_empty();
    // A CDN-enabled streaming endpoint cannot be reached through private link: the default
    // leaves streamingendpoint out, and choosing it is refused here, where it is chosen.
    let cdn: Vec<String> = st
        .list("/mediaServices/streamingEndpoints")
        .iter()
        .filter(|e| e.get("cdnEnabled") == Some(&json!(true)))
        .filter_map(|e| e.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    if st.media() && (change || !st.is_given("/privateLink/groups")) {
        let mut options = vec!["keydelivery".to_owned(), "streamingendpoint".to_owned()];
        if has_live {
            options.push("liveevent".to_owned());
        }
        let current: Vec<String> = if change || st.is_given("/privateLink/groups") {
            st.list("/privateLink/groups")
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        } else {
            options
                .iter()
                .filter(|o| cdn.is_empty() || *o != "streamingendpoint")
                .cloned()
                .collect()
        };
        let chosen = loop {
            let chosen = pick_many(
                p,
                &Question {
                    key: "privateLink.groups",
                    message: "Media Services group IDs that get a private endpoint in each VNet with endpoints",
                    help: "One endpoint per group ID (Azure allows one group per endpoint); liveevent needs live events",
                },
                &options,
                &current,
            )?;
            if cdn.is_empty() || !chosen.iter().any(|g| g == "streamingendpoint") {
                break chosen;
            }
            p.say(&format!(
                "streamingendpoint cannot be chosen: the streaming endpoint(s) {} have CDN enabled, and a CDN endpoint cannot be reached through private link. Leave streamingendpoint out, or change the streaming endpoints to turn CDN off.",
                cdn.join(", ")
            ));
        };
        st.put("/privateLink/groups", json!(chosen));
    }
    // Declining a link would be refused at the end; say why here, and ask the DNS mode again.
    let mut again = false;
    loop {
        choice(
        p,
        st,
        "/privateLink/dns/mode",
        Ask {
            message: "Private DNS",
            help: "Clients keep using the public names; private zones make those names resolve to the endpoints",
        },
        &[
            ("create", "create the privatelink zones here and link them to the VNets that resolve through them"),
            ("existing", "use zones that already exist (e.g. in a hub), by resource ID"),
            ("policy", "leave zone groups to Azure Policy (DeployIfNotExists)"),
            ("none", "no DNS records (your own DNS answers)"),
        ],
        change || again,
    )?;
        if link_new_zones(p, st, change || again)? {
            break;
        }
        p.say("An existing VNet whose zones are created here needs the link: without it the design is refused. Choose DNS mode `existing` to use the zones it resolves through today, or agree to the link.");
        again = true;
    }
    // Existing zones are registered in; Azure Policy's central zones are linked to the VNets
    // created here, and the companion policy points at those no built-in policy writes into.
    let mode = st.get_str("/privateLink/dns/mode");
    if !matches!(mode.as_deref(), Some("existing" | "policy")) {
        st.remove("/privateLink/dns/zoneIds");
        return Ok(());
    }
    let what = if mode.as_deref() == Some("policy") {
        "central "
    } else {
        ""
    };
    zone_ids(p, st, change, what)
}

/// The zone IDs the endpoints need (`what`: "central " for Azure Policy's), each offered the
/// previous one's resource group.
fn zone_ids(p: &mut dyn Prompter, st: &mut State, change: bool, what: &str) -> Result<()> {
    // The catalogue decides which zones the endpoints need; the answers so far carry their
    // schema defaults, so they read as values.
    let values: Option<crate::model::Values> = serde_json::from_value(st.values.clone()).ok();
    let mut zones = values
        .as_ref()
        .map(crate::model::private_link::zones_in)
        .unwrap_or_default();
    if st
        .get("/resourceManagerPrivateLink")
        .is_some_and(|v| v.is_object())
    {
        zones.push(Zone::ResourceManager);
    }
    let cloud: crate::model::Cloud =
        serde_json::from_value(json!(st.get_str("/cloud"))).unwrap_or_default();
    // A zone the cloud has no name for is refused by the rules, with the reason; asking for
    // its ID could never be answered.
    // Zone IDs usually differ only in the zone name: each one after the first is offered the
    // previous one's resource group with its own zone name.
    let mut previous: Option<String> = None;
    // Without Media Services its zone is not needed (the templates then hold the switch off).
    let media = st.media();
    for zone in zones
        .into_iter()
        .filter(|z| z.name(cloud).is_ok() && (media || *z != Zone::Media))
    {
        let pointer = format!("/privateLink/dns/zoneIds/{}", zone.key());
        let key = format!("privateLink.dns.zoneIds.{}", zone.key());
        let message = format!(
            "Resource ID of the {what}{} zone",
            zone.name(cloud).unwrap_or_default()
        );
        let check = all_of(vec![
            schema_check(&pointer),
            Arc::new(move |s: &str| zone.check_id(s.trim(), cloud)),
        ]);
        if !change && st.is_given(&pointer) {
            continue;
        }
        let default = st.get_str(&pointer).or_else(|| {
            let (group, _) = previous.as_deref()?.rsplit_once('/')?;
            Some(format!("{group}/{}", zone.name(cloud).ok()?))
        });
        let id = p.text(
            &Question {
                key: &key,
                message: &message,
                help: "az network private-dns zone show -g <rg> -n <zone> --query id -o tsv",
            },
            default.as_deref(),
            check,
        )?;
        st.put(&pointer, json!(id.trim()));
        previous = Some(id.trim().to_owned());
    }
    Ok(())
}

/// Zones created here are linked into an existing VNet only with the user's say-so: a
/// same-name zone already linked there makes the deployment fail. False when one is declined.
fn link_new_zones(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<bool> {
    let mut all = true;
    let top = st.get_str("/privateLink/dns/mode");
    let vnets = st.list("/network/vnets");
    for (i, v) in vnets.iter().enumerate() {
        let own = v.pointer("/dns/mode").and_then(Value::as_str);
        let Some(id) = v.get("existingSubnetId").and_then(Value::as_str) else {
            continue;
        };
        let pointer = format!("/network/vnets/{i}/linkNewZones");
        if own.or(top.as_deref()) != Some("create") {
            st.remove(&pointer);
            continue;
        }
        if !change && st.is_given(&pointer) {
            continue;
        }
        let vnet = net::ExistingSubnet::parse(id, None)
            .map(|e| e.vnet_name)
            .unwrap_or_default();
        let link = p.confirm(
            &Question {
                key: "network.vnets[].linkNewZones",
                message: &format!("Link the zones created here to the existing VNet {vnet}?"),
                help: "With NxDomainRedirect, so other privatelink names still resolve; if the VNet already links a zone of the same name the deployment fails (use existing DNS then). Check: az network private-dns link vnet list is per zone; Resource Graph: resources | where type == 'microsoft.network/privatednszones/virtualnetworklinks'",
            },
            false,
        )?;
        if link {
            st.put(&pointer, json!(true));
        } else {
            st.remove(&pointer);
            all = false;
        }
    }
    Ok(all)
}

pub(super) fn output(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    if change || st.out.is_none() {
        let out = p.text(
            &Question {
                key: "out",
                message: "Output folder",
                help: "Templates, DEPLOY.md and the answers file go here; existing files with other content are not replaced",
            },
            Some(st.out.as_deref().unwrap_or("out")),
            Arc::new(|s: &str| if s.trim().is_empty() { Err("enter a folder".into()) } else { Ok(()) }),
        )?;
        st.out = Some(out.trim().to_owned());
    }
    if change || st.format.is_none() {
        let options = vec![
            "both — ARM and Bicep".to_owned(),
            "arm — ARM JSON only".to_owned(),
            "bicep — Bicep only".to_owned(),
        ];
        let current = match st.format {
            Some(Format::Arm) => 1,
            Some(Format::Bicep) => 2,
            _ => 0,
        };
        let i = p.select(
            &Question {
                key: "format",
                message: "Templates to write",
                help: "Both describe the same resources; pick what your pipeline deploys",
            },
            &options,
            current,
        )?;
        st.format = Some(*picked(&[Format::Both, Format::Arm, Format::Bicep], i)?);
    }
    Ok(())
}
