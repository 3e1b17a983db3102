//! The estate (issue 24): the read-only collection script, the estate file, and `validate
//! --estate`, the design held against what exists. The estates here are built from the shapes
//! of Microsoft's REST API examples (tests/estate/README.md cites each one).

use std::path::Path;

use assert_cmd::Command;
use serde_json::{json, Value};

use super::common;

const SUB: &str = "11111111-2222-3333-4444-555555555555";
const HUB: &str = "99999999-8888-7777-6666-555555555555";

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("ams-private-link").expect("binary");
    cmd.env_remove("NO_COLOR").env("CI", "true");
    cmd
}

fn zone(group: &str, name: &str) -> String {
    format!("{group}/providers/Microsoft.Network/privateDnsZones/{name}")
}

fn hub_zones() -> String {
    format!("/subscriptions/{HUB}/resourceGroups/rg-hub-dns")
}

/// A private DNS zone link, as GET returns it.
fn link(zone_id: &str, name: &str, vnet_id: &str) -> Value {
    json!({
        "id": format!("{zone_id}/virtualNetworkLinks/{name}"),
        "name": name,
        "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        "location": "global",
        "properties": {"virtualNetwork": {"id": vnet_id}, "registrationEnabled": false, "provisioningState": "Succeeded"}
    })
}

/// An A record set, as GET returns it.
fn a_record(zone_id: &str, name: &str, ip: &str) -> Value {
    json!({
        "id": format!("{zone_id}/A/{name}"),
        "name": name,
        "type": "Microsoft.Network/privateDnsZones/A",
        "properties": {"ttl": 10, "fqdn": format!("{name}.{}.", zone_id.rsplit('/').next().unwrap()), "aRecords": [{"ipv4Address": ip}]}
    })
}

/// The network interface of a private endpoint, with its address.
fn endpoint_nic(group: &str, endpoint: &str, ip: &str) -> Value {
    json!({
        "id": format!("{group}/providers/Microsoft.Network/networkInterfaces/{endpoint}-nic"),
        "name": format!("{endpoint}-nic"),
        "type": "Microsoft.Network/networkInterfaces",
        "properties": {
            "privateEndpoint": {"id": format!("{group}/providers/Microsoft.Network/privateEndpoints/{endpoint}")},
            "ipConfigurations": [{"name": "privateEndpointIpConfig", "properties": {"privateIPAddress": ip, "privateLinkConnectionProperties": {"groupId": "blob", "requiredMemberName": "blob", "fqdns": ["x.blob.core.windows.net"]}}}]
        }
    })
}

fn assignment(name: &str, definition: &str) -> Value {
    json!({
        "id": format!("/providers/Microsoft.Management/managementGroups/corp/providers/Microsoft.Authorization/policyAssignments/{name}"),
        "name": name,
        "type": "Microsoft.Authorization/policyAssignments",
        "properties": {"policyDefinitionId": definition, "enforcementMode": "Default"}
    })
}

/// `validate --estate` of an example against `estate` (written as a list response), deployed
/// to SUB/rg-media: the exit code, stdout as JSON findings, stderr.
fn validate(example: &str, estate: &Value) -> (Option<i32>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("estate.json");
    std::fs::write(&path, json!({"value": estate}).to_string()).unwrap();
    let out = bin()
        .args(["validate", "--format", "json", "--values"])
        .arg(common::example(example))
        .arg("--estate")
        .arg(&path)
        .args(["--subscription", SUB, "--resource-group", "rg-media"])
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), doc)
}

fn rules_of(doc: &Value, list: &str) -> Vec<String> {
    doc[list]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .filter(|r| r.starts_with("estate/"))
        .map(str::to_owned)
        .collect()
}

const SPOKE_GROUP: &str =
    "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke-media";
const SPOKE_VNET: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke-media/providers/Microsoft.Network/virtualNetworks/vnet-spoke-media";

/// Hub and spoke: the blob record in the hub zone is this design's own endpoint's, or
/// another's that its zone group would replace.
#[test]
fn hub_spoke_records_are_ours_or_refused() {
    let blob = zone(&hub_zones(), "privatelink.blob.core.windows.net");
    let ours = json!([
        link(&blob, "link-spoke", SPOKE_VNET),
        a_record(&blob, "woodgrovemediastore", "10.20.1.5"),
        endpoint_nic(
            SPOKE_GROUP,
            "pe-woodgrovemediastore-blob-vnet-spoke-media",
            "10.20.1.5"
        ),
    ]);
    let (code, doc) = validate("hub-spoke-existing-dns.yaml", &ours);
    assert_eq!(code, Some(0), "{doc}");
    assert!(rules_of(&doc, "warnings").is_empty(), "{doc}");

    let theirs = json!([a_record(&blob, "woodgrovemediastore", "10.99.0.4")]);
    let (code, doc) = validate("hub-spoke-existing-dns.yaml", &theirs);
    assert_eq!(code, Some(3), "{doc}");
    assert_eq!(rules_of(&doc, "problems"), ["estate/record-taken"]);
    let problem = &doc["problems"][0];
    assert_eq!(problem["key"], "privateLink.dns.zoneIds.blob");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("`woodgrovemediastore` -> 10.99.0.4"),
        "{problem}"
    );

    // A policy that writes blob zone groups too: two writers.
    let dine = json!([assignment(
        "Deploy-DNS-Blob",
        "/providers/Microsoft.Authorization/policyDefinitions/75973700-529f-4de2-b794-fb9b6781b6b0"
    )]);
    let (code, doc) = validate("hub-spoke-existing-dns.yaml", &dine);
    assert_eq!(code, Some(0), "{doc}");
    assert_eq!(
        rules_of(&doc, "warnings"),
        ["estate/policy-writes-zone-groups"]
    );
    // At a management group it covers the spoke too; at another resource group (collected for
    // the hub zones' group) it does not.
    let mut at = dine.clone();
    at[0]["properties"]["scope"] = json!("/providers/Microsoft.Management/managementGroups/corp");
    assert_eq!(
        rules_of(&validate("hub-spoke-existing-dns.yaml", &at).1, "warnings"),
        ["estate/policy-writes-zone-groups"]
    );
    at[0]["properties"]["scope"] = json!(format!("/subscriptions/{HUB}/resourceGroups/rg-hub-dns"));
    assert!(rules_of(&validate("hub-spoke-existing-dns.yaml", &at).1, "warnings").is_empty());
}

const STUDIO_A: &str = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-studio-a/providers/Microsoft.Network/virtualNetworks/vnet-studio-a";

/// Isolated VNets: studio A gets zones created in its own resource group and linked to it;
/// if it links a hub zone of the same name already, the deployment would fail.
#[test]
fn isolated_vnets_refuse_a_second_zone_of_a_name() {
    let own = zone(
        &format!("/subscriptions/{SUB}/resourceGroups/rg-studio-a"),
        "privatelink.blob.core.windows.net",
    );
    let (code, doc) = validate(
        "isolated-vnets.yaml",
        &json!([link(&own, "link-vnet-studio-a", STUDIO_A)]),
    );
    assert_eq!(code, Some(0), "a redeploy finds its own link: {doc}");

    let hub = zone(&hub_zones(), "privatelink.blob.core.windows.net");
    let (code, doc) = validate(
        "isolated-vnets.yaml",
        &json!([link(&hub, "hub-link", STUDIO_A)]),
    );
    assert_eq!(code, Some(3), "{doc}");
    assert_eq!(rules_of(&doc, "problems"), ["estate/zone-name-linked"]);
    assert_eq!(doc["problems"][0]["key"], "network.vnets[0].linkNewZones");

    let deny = json!([assignment("Deny-Private-DNS-Zones", "/providers/Microsoft.Management/managementGroups/contoso/providers/Microsoft.Authorization/policyDefinitions/Deny-Private-DNS-Zones")]);
    let (code, doc) = validate("isolated-vnets.yaml", &deny);
    assert_eq!(code, Some(0), "{doc}");
    assert_eq!(
        rules_of(&doc, "warnings"),
        ["estate/deny-private-dns-zones"]
    );
    // Not enforced: nothing to say.
    let mut off = deny.clone();
    off[0]["properties"]["enforcementMode"] = json!("DoNotEnforce");
    assert!(rules_of(&validate("isolated-vnets.yaml", &off).1, "warnings").is_empty());
}

/// The foundation alone: its zones are created in the deployment's resource group, and a
/// record there for another endpoint is refused; policy mode's links into central zones must
/// not exist already under another name.
#[test]
fn the_foundation_and_policy_mode_check_their_own_zones_and_links() {
    let ours = zone(
        &format!("/subscriptions/{SUB}/resourceGroups/rg-media"),
        "privatelink.blob.core.windows.net",
    );
    let (code, doc) = validate("foundation-only.yaml", &json!([assignment("Allowed-Locations", "/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c")]));
    assert_eq!(code, Some(0), "{doc}");
    let (code, doc) = validate(
        "foundation-only.yaml",
        &json!([a_record(&ours, "fabrikammediastore", "10.99.0.9")]),
    );
    assert_eq!(code, Some(3), "{doc}");
    assert_eq!(rules_of(&doc, "problems"), ["estate/record-taken"]);
    assert_eq!(doc["problems"][0]["key"], "privateLink.dns");

    let central = zone(
        &format!("/subscriptions/{HUB}/resourceGroups/rg-connectivity-dns"),
        "privatelink.blob.core.windows.net",
    );
    let vnet = format!("/subscriptions/{SUB}/resourceGroups/rg-media/providers/Microsoft.Network/virtualNetworks/vnet-northwind-media");
    let (code, doc) = validate(
        "dns-by-policy.yaml",
        &json!([link(&central, "hub-made-link", &vnet)]),
    );
    assert_eq!(code, Some(3), "{doc}");
    assert_eq!(rules_of(&doc, "problems"), ["estate/link-exists"]);
    assert_eq!(doc["problems"][0]["key"], "privateLink.dns.zoneIds.blob");
    // The link this design wrote on an earlier deployment is its own.
    let (code, doc) = validate(
        "dns-by-policy.yaml",
        &json!([link(&central, "link-vnet-northwind-media-abc123", &vnet)]),
    );
    assert_eq!(code, Some(0), "{doc}");
}

/// The hand-written estate file, in the shapes of Microsoft's REST API examples, loads, and
/// the hub-spoke design fits it. The shapes, in `Azure/azure-rest-api-specs` (table in
/// tests/estate/README.md): `specification/network/resource-manager/Microsoft.Network/Network/
/// stable/2026-03-01/examples/VirtualNetworkGet.json` and `PrivateEndpointGet.json`;
/// `.../stable/2025-09-01/examples/PrivateEndpointDnsZoneGroupGet.json`; `.../stable/2025-07-01/
/// examples/NetworkInterfaceGet.json`; `specification/privatedns/resource-manager/
/// Microsoft.Network/stable/2024-06-01/examples/PrivateZoneGet.json`,
/// `VirtualNetworkLinkGet.json` and `RecordSetAList.json`; `specification/resources/
/// resource-manager/Microsoft.Authorization/stable/2025-03-01/examples/getPolicyAssignment.json`;
/// `specification/storage/resource-manager/Microsoft.Storage/stable/2024-01-01/examples/
/// StorageAccountGetProperties.json`.
#[test]
fn the_fixture_file_loads_and_fits_its_design() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/estate/hub-spoke.json");
    let estate = ams_private_link::values::estate::load(&path).unwrap();
    for rtype in [
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/privateDnsZones",
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        "Microsoft.Network/privateDnsZones/A",
        "Microsoft.Network/privateEndpoints",
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Authorization/policyAssignments",
        "Microsoft.Storage/storageAccounts",
    ] {
        assert!(estate.of_type(rtype).count() > 0, "no {rtype}");
    }
    bin()
        .args(["validate", "--values"])
        .arg(common::example("hub-spoke-existing-dns.yaml"))
        .arg("--estate")
        .arg(&path)
        .args(["--subscription", SUB, "--resource-group", "rg-media"])
        .assert()
        .code(0);
}

/// A malformed estate file is a located problem (exit 3); --estate needs the scope.
#[test]
fn a_malformed_estate_is_refused_where_it_goes_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("estate.json");
    std::fs::write(&path, "{\"value\": [\n  {\"id\": \"x\",\n}\n").unwrap();
    bin()
        .args(["validate", "--values"])
        .arg(common::example("foundation-only.yaml"))
        .arg("--estate")
        .arg(&path)
        .args(["--subscription", SUB, "--resource-group", "rg-media"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "estate.json:3:1: is not valid JSON",
        ));
    bin()
        .args(["validate", "--values"])
        .arg(common::example("foundation-only.yaml"))
        .arg("--estate")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--subscription"));
}

/// Every az call of every example's script reads: `az rest --method get` on a relative ARM
/// path, `az graph query`, or `az account show`.
#[test]
fn the_estate_script_only_reads() {
    for example in common::examples() {
        let out = bin()
            .args(["estate-script", "--values"])
            .arg(&example)
            .args(["--resource-group", "rg-media"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let script = String::from_utf8(out.stdout).unwrap();
        let mut calls = 0;
        for line in script.lines().filter(|l| !l.trim_start().starts_with('#')) {
            for (at, _) in line.match_indices("az ") {
                // A command: at the start, or after `$(`, `!`, a pipe, `&&` or `;` (not a
                // word in a message).
                let before = line[..at].trim_end();
                let command = before.is_empty()
                    || ["$(", "!", "|", "&&", ";"]
                        .iter()
                        .any(|p| before.ends_with(p));
                if !command {
                    continue;
                }
                calls += 1;
                let call = &line[at..];
                assert!(
                    call.starts_with("az rest --method get --url \"$url\"")
                        || call.starts_with("az graph query -q \"$1\"")
                        || call.starts_with("az account show --query id -o tsv"),
                    "{}: {line}",
                    example.display()
                );
            }
        }
        assert_eq!(
            calls,
            3,
            "{}: the script's three ways of calling az",
            example.display()
        );
        // Every GET goes through `get` with a relative path (any cloud), never a host.
        for line in script.lines().filter(|l| l.starts_with("get ")) {
            assert!(line.starts_with("get \"/subscriptions/"), "{line}");
        }
        assert!(!script.contains("https://"), "{}", example.display());
    }
}

/// The script collects what the hub-spoke design depends on.
#[test]
fn the_estate_script_collects_what_the_design_depends_on() {
    let out = bin()
        .args(["estate-script", "--values"])
        .arg(common::example("hub-spoke-existing-dns.yaml"))
        .args(["--subscription", SUB, "--resource-group", "rg-media"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    let blob = zone(&hub_zones(), "privatelink.blob.core.windows.net");
    for needed in [
        format!("get \"{SPOKE_VNET}?api-version="),
        format!("in~ ('{SPOKE_VNET}')"),
        format!("get \"{blob}/A?api-version="),
        format!("get \"{blob}/virtualNetworkLinks?api-version="),
        format!("get \"{SPOKE_GROUP}/providers/Microsoft.Network/privateEndpoints/pe-woodgrovemediastore-blob-vnet-spoke-media/privateDnsZoneGroups?"),
        format!("get \"{SPOKE_GROUP}/providers/Microsoft.Authorization/policyAssignments?"),
        "get \"/subscriptions/$SUBSCRIPTION/resourceGroups/$RG/providers/Microsoft.Storage/storageAccounts/woodgrovemediastore?".to_owned(),
        "microsoft.network/networkinterfaces".to_owned(),
        // Every other endpoint found, by its ID in what was collected: its zone groups too.
        "get \"$pe/privateDnsZoneGroups?api-version=".to_owned(),
        format!("SUBSCRIPTION=\"${{SUBSCRIPTION:-{SUB}}}\""),
    ] {
        assert!(script.contains(&needed), "missing {needed}");
    }
}

fn fixture() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/estate/hub-spoke.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `verify --estate` of an example against `estate`, deployed to SUB/rg-media: exit code,
/// stdout, stderr.
fn verify_example(example: &str, estate: &Value, format: &str) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("estate.json");
    std::fs::write(&path, estate.to_string()).unwrap();
    let out = bin()
        .args(["verify", "--format", format, "--values"])
        .arg(common::example(example))
        .arg("--estate")
        .arg(&path)
        .args(["--subscription", SUB, "--resource-group", "rg-media"])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `verify --estate` of the hub-spoke example.
fn verify(estate: &Value, format: &str) -> (Option<i32>, String, String) {
    verify_example("hub-spoke-existing-dns.yaml", estate, format)
}

/// The deployed estate resolves as designed: every name to its endpoint's address, through a
/// linked zone, public access as designed; the hub vault is outside the design.
#[test]
fn verify_passes_when_everything_resolves_as_designed() {
    let (code, table, stderr) = verify(&fixture(), "text");
    assert_eq!(code, Some(0), "{table}{stderr}");
    assert!(table.contains("woodgrovemediastore-secondary.blob.core.windows.net in privatelink.blob.core.windows.net  ok: woodgrovemediastore-secondary -> 10.20.1.6"), "{table}");
    assert!(
        table.contains("privatelink.media.azure.net linked to vnet-spoke-media"),
        "{table}"
    );
    assert!(
        table.contains("outside the design: reached through its own endpoint"),
        "{table}"
    );
    assert!(table.ends_with("11 check(s), 0 failed\n"), "{table}");
    let (code, json, _) = verify(&fixture(), "json");
    assert_eq!(code, Some(0));
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["valid"], true);
    assert_eq!(doc["verification"].as_array().unwrap().len(), 11);
}

/// Each way a name can fail to resolve as designed is named, with both addresses where two
/// differ; exit 3.
#[test]
fn verify_names_each_record_link_and_setting_that_differs() {
    type Change = fn(&mut Value);
    let cases: [(Change, &[&str]); 7] = [
        // A record another endpoint's zone group rewrote.
        (
            |e| e[3]["value"][0]["properties"]["aRecords"][0]["ipv4Address"] = json!("10.99.0.4"),
            &["`woodgrovemediastore` -> 10.99.0.4 where pe-woodgrovemediastore-blob-vnet-spoke-media has 10.20.1.5"],
        ),
        // A record that is missing (a policy that has not written it yet).
        (
            |e| drop(e[3]["value"].as_array_mut().unwrap().remove(2)),
            &["no A record `woodgrovemedia.keydelivery.westeurope` in the zone (expected 10.20.1.7"],
        ),
        // The spoke no longer linked to the media zone.
        (
            |e| drop(e[2]["value"].as_array_mut().unwrap().remove(1)),
            &[
                "privatelink.media.azure.net linked to vnet-spoke-media: no link from",
                "help: deploy again (the template writes the links it owns",
            ],
        ),
        // Someone opened the account to the internet.
        (
            |e| {
                let last = e.as_array().unwrap().len() - 1;
                e[last]["properties"]["publicNetworkAccess"] = json!("Enabled");
            },
            &[
                "public network access: Enabled, designed Disabled",
                "help: deploy again to restore the setting, and find out who changed it",
            ],
        ),
        // The spoke set to DNS servers of its own: the zones no longer answer it.
        (
            |e| e[0]["properties"]["dhcpOptions"]["dnsServers"] = json!(["10.0.0.4"]),
            &["vnet-spoke-media's DNS servers: 10.0.0.4, designed Azure-provided DNS"],
        ),
        // The storage firewall opened.
        (
            |e| {
                let last = e.as_array().unwrap().len() - 2;
                e[last]["properties"]["networkAcls"]["defaultAction"] = json!("Allow");
            },
            &["firewall default action: Allow, designed Deny"],
        ),
        // An endpoint that is not there at all.
        (
            |e| drop(e[6]["data"].as_array_mut().unwrap().remove(3)),
            &["endpoint pe-woodgrovemedia-streamingendpoint-vnet-spoke-media: no network interface of it in the estate"],
        ),
    ];
    for (change, expected) in cases {
        let mut estate = fixture();
        change(&mut estate);
        let (code, _, stderr) = verify(&estate, "text");
        assert_eq!(code, Some(3), "{stderr}");
        for e in expected {
            assert!(stderr.contains(e), "{e}: {stderr}");
        }
    }
}

/// Both pipeline examples collect the estate and verify it after deploying, a bounded number
/// of times, with the script rendered beside the templates.
#[test]
fn the_pipelines_verify_after_deploying_with_a_bounded_retry() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pipelines");
    for name in ["github-actions.yml", "azure-pipelines.yml"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let script = text
            .find("ams-private-link estate-script")
            .unwrap_or_else(|| panic!("{name}"));
        let deploy = text.find("az deployment group create").unwrap();
        let verify = text
            .find("ams-private-link verify --values")
            .unwrap_or_else(|| panic!("{name}"));
        assert!(script < deploy && deploy < verify, "{name}");
        assert!(
            text[..verify].contains("for attempt in 1 2 3 4 5; do"),
            "{name}"
        );
        assert!(text[verify..].contains("exit 1"), "{name}");
    }
}

/// An endpoint's interface with the name Azure gives its record.
fn nic_for(group: &str, endpoint: &str, ip: &str, fqdn: &str) -> Value {
    let mut nic = endpoint_nic(group, endpoint, ip);
    nic["properties"]["ipConfigurations"][0]["properties"]["privateLinkConnectionProperties"]
        ["fqdns"] = json!([fqdn]);
    nic
}

/// The foundation alone, deployed: its zones in the deployment's resource group, linked to the
/// new VNet, each name (Key Vault's under `vault.azure.net`) on its endpoint's address.
#[test]
fn verify_passes_for_the_deployed_foundation_and_needs_every_name() {
    let here = format!("/subscriptions/{SUB}/resourceGroups/rg-media");
    let vnet = format!("{here}/providers/Microsoft.Network/virtualNetworks/vnet-media");
    let (blob, queue, vault) = (
        zone(&here, "privatelink.blob.core.windows.net"),
        zone(&here, "privatelink.queue.core.windows.net"),
        zone(&here, "privatelink.vaultcore.azure.net"),
    );
    let good = json!([
        link(&blob, "link-vnet-media", &vnet),
        link(&queue, "link-vnet-media", &vnet),
        link(&vault, "link-vnet-media", &vnet),
        a_record(&blob, "fabrikammediastore", "10.70.1.4"),
        a_record(&queue, "fabrikammediastore", "10.70.1.5"),
        a_record(&vault, "kv-fabrikammedia", "10.70.1.6"),
        nic_for(&here, "pe-fabrikammediastore-blob-vnet-media", "10.70.1.4", "fabrikammediastore.blob.core.windows.net"),
        nic_for(&here, "pe-fabrikammediastore-queue-vnet-media", "10.70.1.5", "fabrikammediastore.queue.core.windows.net"),
        nic_for(&here, "pe-kv-fabrikammedia-vault-vnet-media", "10.70.1.6", "kv-fabrikammedia.vault.azure.net"),
        {"id": format!("{here}/providers/Microsoft.Storage/storageAccounts/fabrikammediastore"), "type": "Microsoft.Storage/storageAccounts", "name": "fabrikammediastore", "properties": {"publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny"}}},
        {"id": format!("{here}/providers/Microsoft.KeyVault/vaults/kv-fabrikammedia"), "type": "Microsoft.KeyVault/vaults", "name": "kv-fabrikammedia", "properties": {"publicNetworkAccess": "Disabled"}},
    ]);
    let run = |estate: &Value| verify_example("foundation-only.yaml", estate, "text");
    let (code, table, stderr) = run(&good);
    assert_eq!(code, Some(0), "{table}{stderr}");
    assert!(
        table.lines().any(|l| l
            .contains("kv-fabrikammedia.vault.azure.net in privatelink.vaultcore.azure.net")
            && l.ends_with(
                "ok: kv-fabrikammedia -> 10.70.1.6 (pe-kv-fabrikammedia-vault-vnet-media)"
            )),
        "{table}"
    );
    assert!(
        !table.contains("keydelivery"),
        "no Media Services without it: {table}"
    );
    // An interface that names no record under the zone is not taken as resolving.
    let mut nameless = good.clone();
    nameless[7]["properties"]["ipConfigurations"][0]["properties"]
        ["privateLinkConnectionProperties"]["fqdns"] = json!([]);
    let (code, _, stderr) = run(&nameless);
    assert_eq!(code, Some(3));
    assert!(stderr.contains("endpoint pe-fabrikammediastore-queue-vnet-media: its network interface names no name under privatelink.queue.core.windows.net"), "{stderr}");
}

/// Isolated VNets, deployed: each studio resolves through its own zones to its own endpoints.
/// The same names hold different addresses in the two zone sets, and a record of one studio's
/// zone that points at the other studio's endpoint is named.
#[test]
fn verify_checks_each_isolated_vnet_against_its_own_zones() {
    let b_sub = "66666666-7777-8888-9999-000000000000";
    let (a_group, b_group) = (
        format!("/subscriptions/{SUB}/resourceGroups/rg-studio-a"),
        format!("/subscriptions/{b_sub}/resourceGroups/rg-studio-b"),
    );
    let b_dns = format!("/subscriptions/{b_sub}/resourceGroups/rg-studio-b-dns");
    let a_vnet = format!("{a_group}/providers/Microsoft.Network/virtualNetworks/vnet-studio-a");
    let b_vnet = format!("{b_group}/providers/Microsoft.Network/virtualNetworks/vnet-studio-b");
    let mut estate = vec![
        json!({"id": format!("/subscriptions/{SUB}/resourceGroups/rg-media/providers/Microsoft.Storage/storageAccounts/fabrikammediastore"), "type": "Microsoft.Storage/storageAccounts", "name": "fabrikammediastore", "properties": {"publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Deny"}}}),
        json!({"id": format!("/subscriptions/{SUB}/resourceGroups/rg-media/providers/Microsoft.Media/mediaservices/fabrikammedia"), "type": "Microsoft.Media/mediaservices", "name": "fabrikammedia", "properties": {"publicNetworkAccess": "Disabled"}}),
    ];
    for (studio, group, dns, vnet, net) in [
        ("a", &a_group, &a_group, &a_vnet, "10.1.1"),
        ("b", &b_group, &b_dns, &b_vnet, "10.2.1"),
    ] {
        let (media, blob) = (
            zone(dns, "privatelink.media.azure.net"),
            zone(dns, "privatelink.blob.core.windows.net"),
        );
        estate.push(link(&media, "link", vnet));
        estate.push(link(&blob, "link", vnet));
        for (n, (group_id, record, fqdn_zone)) in [
            (
                "keydelivery",
                "fabrikammedia.keydelivery.westeurope",
                "media.azure.net",
            ),
            (
                "streamingendpoint",
                "fabrikammedia-euwe.streaming",
                "media.azure.net",
            ),
            ("blob", "fabrikammediastore", "blob.core.windows.net"),
        ]
        .into_iter()
        .enumerate()
        {
            let ip = format!("{net}.{}", n + 4);
            let endpoint = if group_id == "blob" {
                format!("pe-fabrikammediastore-blob-vnet-studio-{studio}")
            } else {
                format!("pe-fabrikammedia-{group_id}-vnet-studio-{studio}")
            };
            let zone_id = if group_id == "blob" { &blob } else { &media };
            estate.push(a_record(zone_id, record, &ip));
            estate.push(nic_for(
                group,
                &endpoint,
                &ip,
                &format!("{record}.{fqdn_zone}"),
            ));
        }
    }
    let run = |estate: &Value| {
        let (code, stdout, _) = verify_example("isolated-vnets.yaml", estate, "json");
        (code, serde_json::from_str::<Value>(&stdout).unwrap())
    };
    let good = Value::Array(estate.clone());
    let (code, doc) = run(&good);
    assert_eq!(code, Some(0), "{doc}");
    assert_eq!(doc["verification"].as_array().unwrap().len(), 13, "{doc}");
    // Studio B's blob record copied from studio A's zone: B's clients would reach A's endpoint.
    let mut crossed = estate;
    let b_blob_record = crossed.iter().position(|r| r["id"].as_str().unwrap().ends_with("rg-studio-b-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net/A/fabrikammediastore")).unwrap();
    crossed[b_blob_record]["properties"]["aRecords"][0]["ipv4Address"] = json!("10.1.1.6");
    let (code, doc) = run(&Value::Array(crossed));
    assert_eq!(code, Some(3));
    assert_eq!(doc["problems"][0]["rule"], "verify/record");
    assert!(doc["problems"][0]["message"].as_str().unwrap().contains("vnet-studio-b: fabrikammediastore.blob.core.windows.net in privatelink.blob.core.windows.net: `fabrikammediastore` -> 10.1.1.6 where pe-fabrikammediastore-blob-vnet-studio-b has 10.2.1.6"), "{doc}");
}
