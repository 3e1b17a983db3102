//! `estate-script`: a bash script that collects, read-only, the facts of a live estate the
//! design depends on, into one JSON file for `validate --estate`. Every call is `az rest
//! --method get` on a relative ARM path (so every cloud works), `az graph query`, or `az
//! account show`; nothing writes to Azure.

use std::fmt::Write as _;

use crate::model::private_link::Service;
use crate::model::{Deployment, Dns, ExistingSubnet, KeyVault, ResourceId, ZoneHome};
use crate::template::api;

/// Where the main template goes; unknown parts are asked of `az` or the environment.
pub struct Scope<'a> {
    pub subscription: Option<&'a str>,
    pub resource_group: Option<&'a str>,
}

/// The script, whole: the network, the endpoints, then the policies and settings.
pub fn script(d: &Deployment, scope: &Scope) -> String {
    let mut s = header(d, scope);
    network(&mut s, d);
    endpoints(&mut s, d);
    policies_and_settings(&mut s, d);
    s.push_str(FOOTER);
    s
}

/// The VNets, every zone link to them, and each zone with its records and links.
fn network(s: &mut String, d: &Deployment) {
    let vnets = vnet_ids(d);
    section(
        s,
        "The VNets of the design, with their subnets and peerings",
    );
    for id in &vnets {
        get(s, &format!("{id}?api-version={}", api::NETWORK));
    }
    section(
        s,
        "Every private DNS zone link to those VNets, in any subscription",
    );
    // `in~` and `contains` ignore letter case: IDs are compared as Azure does.
    let list = vnets
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    graph(s, &format!("resources | where type =~ 'microsoft.network/privatednszones/virtualnetworklinks' | where tostring(properties.virtualNetwork.id) in~ ({list})"));
    section(
        s,
        "Each zone the design writes to or links, with its A record sets and its links",
    );
    for zone in zone_ids(d) {
        for child in ["", "/A", "/virtualNetworkLinks"] {
            get(
                s,
                &format!("{zone}{child}?api-version={}", api::PRIVATE_DNS),
            );
        }
    }
}

/// Every endpoint to the design's resources, their interfaces and zone groups.
fn endpoints(s: &mut String, d: &Deployment) {
    section(s, "Every private endpoint to the design's resources (its own and any other), and their network interfaces");
    let matches = target_ids(d)
        .iter()
        .map(|(_, id)| format!("tostring(properties) contains '{id}'"))
        .collect::<Vec<_>>()
        .join(" or ");
    let found =
        format!("resources | where type =~ 'microsoft.network/privateendpoints' | where {matches}");
    graph(s, &found);
    graph(s, &format!("{found} | project peId = tolower(id) | join kind=inner (resources | where type =~ 'microsoft.network/networkinterfaces' | extend peId = tolower(tostring(properties.privateEndpoint.id))) on peId | project id, name, type, properties"));
    section(s, "The zone groups of the design's own endpoints");
    for pe in endpoint_ids(d) {
        get(
            s,
            &format!("{pe}/privateDnsZoneGroups?api-version={}", api::NETWORK),
        );
    }
    section(
        s,
        "The zone groups of every other endpoint to the design's resources, found above",
    );
    let _ = write!(
        s,
        r#"for pe in $(cat "$work"/*.json | grep -io '"id": *"/subscriptions/[^"]*/providers/Microsoft.Network/privateEndpoints/[^"/]*"' | sed 's/^"id": *"//I; s/"$//' | sort -fu); do
  get "$pe/privateDnsZoneGroups?api-version={}"
done
"#,
        api::NETWORK
    );
}

/// The policy assignments over each resource group the design deploys to, and the settings
/// of the resources it connects to.
fn policies_and_settings(s: &mut String, d: &Deployment) {
    section(s, "The policy assignments in force at each resource group the design deploys to (those of its subscription and management groups included)");
    for group in group_ids(d) {
        get(s, &format!("{group}/providers/Microsoft.Authorization/policyAssignments?api-version={}&\\$filter=atScope()", api::POLICY));
    }
    section(
        s,
        "The storage account, vault and topic: public network access and firewall",
    );
    for (service, id) in &target_ids(d) {
        let version = match service {
            Service::Vault => api::KEY_VAULT,
            Service::Topic => api::EVENT_GRID,
            Service::Media(_) => api::MEDIA,
            Service::ResourceManager => api::RESOURCE_MANAGEMENT_PRIVATE_LINK,
            _ => api::STORAGE,
        };
        let path = format!("{id}?api-version={version}");
        if id.starts_with(HERE) || *service == Service::ResourceManager {
            get(s, &path);
        } else {
            // An existing vault: read when the login may, not needed by any check.
            let _ = writeln!(s, "get \"{path}\" not-ours");
        }
    }
}

fn header(d: &Deployment, scope: &Scope) -> String {
    let subscription = scope.subscription.map_or_else(
        || "$(az account show --query id -o tsv)".to_owned(),
        ToOwned::to_owned,
    );
    let group = scope.resource_group.unwrap_or("");
    format!(
        r#"#!/usr/bin/env bash
# Generated by ams-private-link: collects what the design of {account} depends on in Azure
# into one JSON file, for `ams-private-link validate --estate`. It only reads: every call is
# `az rest --method get`, `az graph query` (the resource-graph extension installs on first
# use) or `az account show`. Run it after `az login`, with rights to read what it lists.
#
# Usage: bash {{this file}} [OUT]   (default estate.json)
# SUBSCRIPTION and RG name where the main template goes (the resources it creates).
set -uo pipefail
out="${{1:-estate.json}}"
SUBSCRIPTION="${{SUBSCRIPTION:-{subscription}}}"
RG="${{RG:-{group}}}"
if [ -z "$SUBSCRIPTION" ] || [ -z "$RG" ]; then
  echo "estate-script: set SUBSCRIPTION and RG (where the main template is deployed)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
n=0

# One ARM GET into the collection, every page of a list (its nextLink). A resource not there
# (yet) is noted and left out; any other failure (login, permission, a mistyped subscription)
# stops the script, unless the second argument says the resource is not the design's own (a
# hub's key vault), which is then left out with a note.
get() {{
  local url="$1"
  while [ -n "$url" ]; do
    n=$((n + 1))
    if ! az rest --method get --url "$url" > "$work/$n.json" 2> "$work/$n.err"; then
      rm -f "$work/$n.json"
      if grep -q -e 'ResourceNotFound' -e 'ResourceGroupNotFound' -e 'ParentResourceNotFound' -e '(NotFound)' "$work/$n.err"; then
        echo "not there (yet): $url" >&2
      elif [ "${{2:-}}" = not-ours ]; then
        echo "left out (not readable with this login): $url" >&2
      else
        echo "estate-script: az rest failed for $url:" >&2
        cat "$work/$n.err" >&2
        exit 2
      fi
      return 0
    fi
    url="$(sed -n 's/^ *"nextLink": *"\(.*\)",\{{0,1\}}$/\1/p' "$work/$n.json" | head -n 1)"
  done
}}

# One Resource Graph query, every page (its skip token). Resource Graph answers from the
# subscriptions this login can read: links in others are not seen.
graph() {{
  local token=""
  while :; do
    n=$((n + 1))
    az graph query -q "$1" --first 1000 ${{token:+--skip-token "$token"}} -o json > "$work/$n.json" || exit 2
    token="$(sed -n 's/^ *"skip_token": *"\(.*\)",\{{0,1\}}$/\1/p' "$work/$n.json" | head -n 1)"
    [ -n "$token" ] || break
  done
}}
"#,
        account = d.media.name
    )
}

const FOOTER: &str = r#"
# One JSON array of everything collected.
{
  printf '['
  first=true
  for f in "$work"/*.json; do
    [ -s "$f" ] || continue
    $first || printf ','
    first=false
    cat "$f"
  done
  printf ']\n'
} > "$out"
echo "wrote $out" >&2
"#;

fn section(s: &mut String, title: &str) {
    let _ = write!(s, "\n# {title}\n");
}

fn get(s: &mut String, path: &str) {
    let _ = writeln!(s, "get \"{path}\"");
}

fn graph(s: &mut String, query: &str) {
    let _ = writeln!(s, "graph \"{query}\"");
}

const HERE: &str = "/subscriptions/$SUBSCRIPTION/resourceGroups/$RG";

/// Every VNet of the design: existing ones by ID, the ones it creates in the deployment's
/// resource group.
fn vnet_ids(d: &Deployment) -> Vec<String> {
    let mut out: Vec<String> = d
        .vnets
        .iter()
        .map(|v| match v.existing() {
            Some(e) => e.vnet_id(),
            None => format!(
                "{HERE}/providers/Microsoft.Network/virtualNetworks/{}",
                v.key()
            ),
        })
        .collect();
    if let Some(rm) = &d.resource_manager {
        push_once(&mut out, rm.subnet.vnet_id());
    }
    out
}

/// Every zone the design registers in or links: existing ones by ID, created ones where they
/// are created.
fn zone_ids(d: &Deployment) -> Vec<String> {
    let names: Vec<(crate::model::Zone, String)> = d
        .zones()
        .into_iter()
        .filter_map(|z| z.name(d.cloud).ok().map(|n| (z, n)))
        .collect();
    let mut out = Vec::new();
    for vnet in &d.vnets {
        match &vnet.dns {
            Dns::Existing(ids) | Dns::Policy(ids) => {
                ids.values().for_each(|id| push_once(&mut out, id.clone()))
            }
            Dns::Create(home) => {
                let group = match home {
                    ZoneHome::Here => HERE.to_owned(),
                    ZoneHome::Group {
                        subscription_id,
                        resource_group,
                    } => {
                        format!("/subscriptions/{subscription_id}/resourceGroups/{resource_group}")
                    }
                };
                for (_, name) in &names {
                    push_once(
                        &mut out,
                        format!("{group}/providers/Microsoft.Network/privateDnsZones/{name}"),
                    );
                }
            }
            Dns::None => {}
        }
    }
    if let Some(rm) = &d.resource_manager {
        let name = crate::model::Zone::ResourceManager.name(d.cloud);
        match (&rm.dns, &rm.zone_id, name) {
            (_, Some(id), _) => push_once(&mut out, id.clone()),
            (Dns::Create(_), None, Ok(name)) => push_once(
                &mut out,
                format!(
                    "{}/providers/Microsoft.Network/privateDnsZones/{name}",
                    rm.subnet.group_id()
                ),
            ),
            _ => {}
        }
    }
    out
}

/// The resources the endpoints connect to, by ID.
fn target_ids(d: &Deployment) -> Vec<(Service, String)> {
    let mut out = vec![(
        Service::Storage(crate::model::StorageSubresource::Blob),
        format!(
            "{HERE}/providers/Microsoft.Storage/storageAccounts/{}",
            d.storage.name
        ),
    )];
    if d.media.deploy {
        out.push((
            Service::Media(crate::model::GroupId::Keydelivery),
            format!(
                "{HERE}/providers/Microsoft.Media/mediaservices/{}",
                d.media.name
            ),
        ));
    }
    match d.media.customer_key().map(|k| &k.vault) {
        Some(KeyVault::New { name, .. }) => out.push((
            Service::Vault,
            format!("{HERE}/providers/Microsoft.KeyVault/vaults/{name}"),
        )),
        Some(KeyVault::Existing { id, .. }) => out.push((Service::Vault, id.clone())),
        None => {}
    }
    if let Some(rm) = &d.resource_manager {
        out.push((
            Service::ResourceManager,
            format!(
                "{}/providers/Microsoft.Authorization/resourceManagementPrivateLinks/{}",
                rm.subnet.group_id(),
                rm.name
            ),
        ));
    }
    if let Some(topic) = d.event_grid.as_ref().and_then(|e| e.custom_topic.as_ref()) {
        out.push((
            Service::Topic,
            format!("{HERE}/providers/Microsoft.EventGrid/topics/{topic}"),
        ));
    }
    out
}

/// The design's own endpoints, by ID.
fn endpoint_ids(d: &Deployment) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(rm), Some(t)) = (&d.resource_manager, d.resource_manager_target()) {
        out.push(format!(
            "{}/providers/Microsoft.Network/privateEndpoints/{}",
            rm.subnet.group_id(),
            t.endpoint_name(&rm.subnet.vnet_name)
        ));
    }
    for vnet in d.endpoint_vnets() {
        let group = vnet
            .existing()
            .map_or_else(|| HERE.to_owned(), ExistingSubnet::group_id);
        for t in d.deployed_targets() {
            out.push(format!(
                "{group}/providers/Microsoft.Network/privateEndpoints/{}",
                t.endpoint_name(vnet.key())
            ));
        }
    }
    out
}

/// Every resource group the design deploys to: its own, the existing subnets', the zones'.
fn group_ids(d: &Deployment) -> Vec<String> {
    let mut out = vec![HERE.to_owned()];
    for v in &d.vnets {
        if let Some(e) = v.existing() {
            push_once(&mut out, e.group_id());
        }
    }
    if let Some(rm) = &d.resource_manager {
        push_once(&mut out, rm.subnet.group_id());
    }
    for zone in zone_ids(d) {
        if let Some(r) = ResourceId::parse(&zone) {
            push_once(
                &mut out,
                format!(
                    "/subscriptions/{}/resourceGroups/{}",
                    r.subscription_id, r.resource_group
                ),
            );
        }
    }
    out
}

fn push_once(list: &mut Vec<String>, item: String) {
    if !list.iter().any(|i| i.eq_ignore_ascii_case(&item)) {
        list.push(item);
    }
}
