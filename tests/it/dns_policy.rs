//! DNS mode policy (issue 23): the companion policy template for the group IDs no current
//! built-in policy covers, the wait script, and what DEPLOY.md and the pipelines do with them.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::common;
use ams_private_link::render::File;

const ZONES: &str = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-connectivity-dns/providers/Microsoft.Network/privateDnsZones";
const NETWORK_CONTRIBUTOR: &str = "4d97b98b-1d4f-4787-a291-c67834d212e7";
const PRIVATE_DNS_ZONE_CONTRIBUTOR: &str = "b12aa53e-6015-4669-85d0-8515ebb3ae7f";

fn example() -> String {
    std::fs::read_to_string(common::example("dns-by-policy.yaml")).unwrap()
}

fn companion(files: &[File]) -> Value {
    serde_json::from_str(common::file(files, "arm/dns-policy.json")).unwrap()
}

fn of_type<'a>(t: &'a Value, rtype: &str) -> Vec<&'a Value> {
    t["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == rtype)
        .collect()
}

/// The group IDs the companion's definitions are for, read off their rules.
fn covered_groups(t: &Value) -> Vec<String> {
    of_type(t, "Microsoft.Authorization/policyDefinitions")
        .iter()
        .map(|d| {
            let automatic = &d["properties"]["policyRule"]["if"]["allOf"][1]["anyOf"][0];
            automatic["count"]["where"]["allOf"][1]["equals"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn has_file(files: &[File], path: &str) -> bool {
    files.iter().any(|f| f.path == path)
}

/// Exactly the group IDs no current built-in policy covers get a definition: Media Services'
/// (its built-in is deprecated); blob and table have Microsoft's.
#[test]
fn the_companion_covers_exactly_the_group_ids_without_a_built_in() {
    let files = common::render_yaml(&example());
    assert_eq!(
        covered_groups(&companion(&files)),
        ["keydelivery", "streamingendpoint"]
    );
    let with_live = example()
        .replace(
            "groups: [keydelivery, streamingendpoint]",
            "groups: [keydelivery, streamingendpoint, liveevent]",
        )
        .replace(
            "  publicNetworkAccess: Disabled\nstorage:",
            "  publicNetworkAccess: Disabled\n  liveEvents: [{name: live1, streamingProtocol: RTMP, encodingType: PassthroughStandard}]\nstorage:",
        );
    let files = common::render_yaml(&with_live);
    assert_eq!(
        covered_groups(&companion(&files)),
        ["keydelivery", "streamingendpoint", "liveevent"]
    );
    for path in [
        "arm/dns-policy.json",
        "arm/dns-policy.parameters.json",
        "bicep/dns-policy.bicep",
        "bicep/dns-policy.bicepparam",
    ] {
        assert!(has_file(&files, path), "{path}");
    }
}

/// Each rule matches an endpoint whichever way its connection was made, waits for the
/// endpoint to finish provisioning, and is satisfied only by a zone group in the central zone.
#[test]
fn each_definition_matches_both_connection_kinds_and_waits_for_provisioning() {
    let t = companion(&common::render_yaml(&example()));
    for d in of_type(&t, "Microsoft.Authorization/policyDefinitions") {
        let rule = &d["properties"]["policyRule"];
        assert_eq!(
            rule["if"]["allOf"][0]["equals"],
            "Microsoft.Network/privateEndpoints"
        );
        let kinds: Vec<&str> = rule["if"]["allOf"][1]["anyOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"]["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "Microsoft.Network/privateEndpoints/privateLinkServiceConnections[*]",
                "Microsoft.Network/privateEndpoints/manualPrivateLinkServiceConnections[*]"
            ]
        );
        for c in rule["if"]["allOf"][1]["anyOf"].as_array().unwrap() {
            assert_eq!(
                c["count"]["where"]["allOf"][0]["contains"],
                "/providers/Microsoft.Media/mediaservices/"
            );
            assert_eq!(c["greaterOrEquals"], 1);
        }
        let details = &rule["then"]["details"];
        assert_eq!(details["evaluationDelay"], "AfterProvisioningSuccess");
        assert_eq!(
            details["type"],
            "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
        );
        // Escaped for ARM: evaluated by Azure Policy, not when the template deploys.
        assert_eq!(rule["then"]["effect"], "[[parameters('effect')]");
        assert_eq!(
            details["existenceCondition"]["count"]["where"]["equals"],
            "[[parameters('privateDnsZoneId')]"
        );
        let roles = details["roleDefinitionIds"].to_string();
        assert!(
            roles.contains(NETWORK_CONTRIBUTOR) && roles.contains(PRIVATE_DNS_ZONE_CONTRIBUTOR)
        );
        let group = &details["deployment"]["properties"]["template"]["resources"][0];
        assert_eq!(
            group["name"],
            "[[format('{0}/deployedByPolicy', parameters('privateEndpointName'))]"
        );
        assert_eq!(
            details["deployment"]["properties"]["parameters"]["privateEndpointName"]["value"],
            "[[field('name')]"
        );
    }
}

/// Each assignment has a managed identity, Network Contributor at the management group, and
/// Private DNS Zone Contributor on its central zone (in the zones' own resource group).
#[test]
fn each_assignment_has_an_identity_and_the_roles_it_needs() {
    let t = companion(&common::render_yaml(&example()));
    let assignments = of_type(&t, "Microsoft.Authorization/policyAssignments");
    let names: Vec<&str> = assignments
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["pl-dns-keydelivery", "pl-dns-streamingendpoint"]);
    for a in &assignments {
        assert_eq!(a["identity"]["type"], "SystemAssigned");
        assert_eq!(a["location"], "[parameters('location')]");
        assert_eq!(
            a["properties"]["parameters"]["privateDnsZoneId"]["value"],
            // At management-group scope resourceId() takes no resource group: an extension ID.
            "[extensionResourceId('/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-connectivity-dns', 'Microsoft.Network/privateDnsZones', 'privatelink.media.azure.net')]"
        );
    }
    let at_group = of_type(&t, "Microsoft.Authorization/roleAssignments");
    assert_eq!(at_group.len(), 2);
    for (r, name) in at_group.iter().zip(&names) {
        assert!(r["properties"]["roleDefinitionId"]
            .as_str()
            .unwrap()
            .starts_with("[tenantResourceId('Microsoft.Authorization/roleDefinitions'"));
        assert_eq!(
            t["variables"]["networkContributorRole"],
            NETWORK_CONTRIBUTOR
        );
        let principal = r["properties"]["principalId"].as_str().unwrap();
        assert!(
            principal.contains(&format!("'{name}')"))
                && principal.ends_with(".identity.principalId]"),
            "{principal}"
        );
        assert_eq!(r["properties"]["principalType"], "ServicePrincipal");
    }
    let modules = of_type(&t, "Microsoft.Resources/deployments");
    assert_eq!(modules.len(), 1);
    let m = modules[0];
    assert_eq!(m["subscriptionId"], "99999999-8888-7777-6666-555555555555");
    assert_eq!(m["resourceGroup"], "rg-connectivity-dns");
    let inner = &m["properties"]["template"]["resources"];
    let on_zone: Vec<&Value> = inner
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "Microsoft.Authorization/roleAssignments")
        .collect();
    assert_eq!(on_zone.len(), 2);
    for r in on_zone {
        assert_eq!(
            r["scope"],
            "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.media.azure.net')]"
        );
        assert!(r["properties"]["roleDefinitionId"]
            .to_string()
            .contains(PRIVATE_DNS_ZONE_CONTRIBUTOR));
    }
    // Each principal handed to the module is the identity of an assignment.
    let passed = m["properties"]["parameters"].to_string();
    for name in names {
        assert!(
            passed.contains(&format!(
                "'{name}'), '2025-03-01', 'full').identity.principalId"
            )),
            "{passed}"
        );
    }
}

/// Resource Manager's group ID has no built-in policy at all: in policy mode its endpoint is
/// covered by the companion too, matched on the private link's resource type.
#[test]
fn the_resource_manager_endpoint_gets_a_companion_policy() {
    let yaml = format!(
        "location: westeurope\nmediaServices: {{name: contosomedia, deploy: false}}\nstorage: {{name: contosostore}}\nresourceManagerPrivateLink: {{managementGroupId: 12345678-90ab-4cde-8f01-23456789abcd, existingSubnetId: /subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe}}\nnetwork:\n  vnets:\n    - {{name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {{name: snet, addressPrefix: 10.0.1.0/24}}}}\nprivateLink: {{dns: {{mode: policy, zoneIds: {{blob: {ZONES}/privatelink.blob.core.windows.net, resourcemanager: {ZONES}/privatelink.azure.com}}}}}}\n"
    );
    let t = companion(&common::render_yaml(&yaml));
    assert_eq!(covered_groups(&t), ["ResourceManagement"]);
    let d = &of_type(&t, "Microsoft.Authorization/policyDefinitions")[0];
    assert_eq!(
        d["properties"]["policyRule"]["if"]["allOf"][1]["anyOf"][1]["count"]["where"]["allOf"][0]
            ["contains"],
        "/providers/Microsoft.Authorization/resourceManagementPrivateLinks/"
    );
}

/// Without Media Services deployed, nothing of it is in the companion: a foundation whose
/// group IDs all have built-ins gets no companion, but still waits for their zone groups.
#[test]
fn a_foundation_in_policy_mode_needs_no_companion() {
    let foundation = example().replace(
        "mediaServices:\n  name: northwindmedia\n",
        "mediaServices:\n  name: northwindmedia\n  deploy: false\n",
    );
    assert_ne!(foundation, example());
    let files = common::render_yaml(&foundation);
    assert!(!has_file(&files, "arm/dns-policy.json"));
    assert!(!has_file(&files, "bicep/dns-policy.bicep"));
    let script = common::file(&files, "wait-for-dns-policy.sh");
    assert!(script.contains("pe-northwindmediastore-blob-vnet-northwind-media"));
    assert!(!script.contains("keydelivery"), "{script}");
    assert!(!common::file(&files, "DEPLOY.md").contains("### First, once: the companion policy"));
}

/// Outside policy mode there is nothing to wait for and no policy to deploy.
#[test]
fn other_dns_modes_write_neither_companion_nor_wait_script() {
    for name in ["fully-private.yaml", "hub-spoke-existing-dns.yaml"] {
        let files = common::render_file(&common::example(name));
        assert!(!has_file(&files, "arm/dns-policy.json"), "{name}");
        assert!(!has_file(&files, "wait-for-dns-policy.sh"), "{name}");
        assert!(
            !common::file(&files, "DEPLOY.md").contains("wait-for-dns-policy"),
            "{name}"
        );
    }
}

/// DEPLOY.md deploys the companion once, at a management group, before the workload; waits
/// after it; and says what a redeploy does to the zone groups the policy wrote.
#[test]
fn deploy_md_puts_the_companion_first_and_waits_after() {
    let files = common::render_yaml(&example());
    let deploy = common::file(&files, "DEPLOY.md");
    let companion = deploy
        .find("az deployment mg create --management-group-id \"$MG\"")
        .expect("companion deployed");
    let workload = deploy
        .find("az deployment group create")
        .expect("workload deployed");
    let wait = deploy
        .find("RG=\"$RG\" bash wait-for-dns-policy.sh --foundation")
        .expect("wait step");
    assert!(companion < workload && workload < wait);
    assert!(deploy.contains("bash wait-for-dns-policy.sh --full"));
    assert!(deploy.contains("neither deletes the policy's zone group nor writes a second\n  one"));
    assert!(deploy
        .contains("| `keydelivery` | `ams-private-link-dns-keydelivery` | `pl-dns-keydelivery` |"));
}

/// Both pipeline examples wait for the zone groups after deploying, with the same script.
#[test]
fn the_pipelines_wait_for_the_zone_groups() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pipelines");
    for name in ["github-actions.yml", "azure-pipelines.yml"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let deploy = text.find("az deployment group create").unwrap();
        let wait = text
            .find("then RG=")
            .unwrap_or_else(|| panic!("{name}: no wait step"));
        assert!(deploy < wait, "{name}");
        assert!(
            text[wait..].contains("bash wait-for-dns-policy.sh; fi"),
            "{name}"
        );
    }
}

/// Runs the wait script against a stand-in `az` that answers from `zones` (endpoint name →
/// zone IDs of its zone groups) and logs every call; returns the exit code, stderr, and the
/// calls.
fn run_wait(script: &str, args: &[&str], zones: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wait.sh"), script).unwrap();
    let table: String = zones.iter().map(|(pe, z)| format!("{pe}|{z}\n")).collect();
    std::fs::write(dir.path().join("zones.txt"), table).unwrap();
    let fake = r#"#!/usr/bin/env bash
printf '%s\n' "$*" >> "$FAKE_DIR/calls.txt"
case "$1 $2" in
  "account show") echo 11111111-2222-3333-4444-555555555555 ;;
  "rest --method")
    url=""; prev=""
    for a in "$@"; do [ "$prev" = --url ] && url="$a"; prev="$a"; done
    pe="${url#*/privateEndpoints/}"; pe="${pe%%/*}"
    if grep -q '^\*|denied' "$FAKE_DIR/zones.txt"; then
      echo "ERROR: (AuthorizationFailed) The client does not have authorization" >&2; exit 1
    fi
    if ! grep -q "^$pe|" "$FAKE_DIR/zones.txt"; then
      echo "ERROR: (ResourceNotFound) The Resource '$pe' was not found." >&2; exit 3
    fi
    grep "^$pe|" "$FAKE_DIR/zones.txt" | cut -d'|' -f2 | grep . ;;
  *) exit 9 ;;
esac
"#;
    let az = dir.path().join("az");
    std::fs::write(&az, fake).unwrap();
    Command::new("chmod").arg("+x").arg(&az).status().unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap()
    );
    let out = Command::new("bash")
        .arg(dir.path().join("wait.sh"))
        .args(args)
        .env("PATH", path)
        .env("FAKE_DIR", dir.path())
        .env("RG", "rg-northwindmedia")
        .output()
        .unwrap();
    let calls = std::fs::read_to_string(dir.path().join("calls.txt")).unwrap_or_default();
    (
        out.status.code(),
        String::from_utf8(out.stderr).unwrap(),
        calls,
    )
}

/// The script passes once every endpoint has its zone group in the right zone, fails with
/// the names still missing when the time runs out, and only ever reads.
#[test]
fn the_wait_script_names_what_is_missing_and_only_reads() {
    let files = common::render_yaml(&example());
    let script = common::file(&files, "wait-for-dns-policy.sh");
    let blob = (
        "pe-northwindmediastore-blob-vnet-northwind-media",
        format!("{ZONES}/privatelink.blob.core.windows.net"),
    );
    let table = (
        "pe-northwindmediastore-table-vnet-northwind-media",
        format!("{ZONES}/privatelink.table.core.windows.net"),
    );
    let media = format!("{ZONES}/privatelink.media.azure.net").to_uppercase();
    let foundation = [(blob.0, blob.1.as_str()), (table.0, table.1.as_str())];

    let (code, stderr, calls) = run_wait(script, &["--foundation", "0"], &foundation);
    assert_eq!(code, Some(0), "{stderr}");
    // Letter case of zone IDs does not matter; a zone group in another zone does not count.
    let (code, stderr, _) = run_wait(
        script,
        &["--full", "0"],
        &[
            foundation[0],
            foundation[1],
            (
                "pe-northwindmedia-keydelivery-vnet-northwind-media",
                media.as_str(),
            ),
            (
                "pe-northwindmedia-streamingendpoint-vnet-northwind-media",
                blob.1.as_str(),
            ),
        ],
    );
    assert_eq!(code, Some(1));
    assert!(stderr.contains("1 of 4 private endpoints"), "{stderr}");
    assert!(stderr.contains("pe-northwindmedia-streamingendpoint-vnet-northwind-media (no zone group in privatelink.media.azure.net yet; the companion policy writes it)"), "{stderr}");
    assert!(!stderr.contains("keydelivery"), "{stderr}");
    // What the parameters files deploy is the default: Media Services' endpoints count.
    let (code, stderr, _) = run_wait(script, &["0"], &foundation);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("2 of 4"), "{stderr}");
    let (code, stderr, _) = run_wait(script, &["soon"], &foundation);
    assert_eq!(code, Some(2), "{stderr}");
    // An endpoint not there yet is waited for; an az call that fails otherwise stops the wait.
    let (code, stderr, _) = run_wait(script, &["--foundation", "0"], &[foundation[0]]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("pe-northwindmediastore-table-vnet-northwind-media (no zone group"),
        "{stderr}"
    );
    let (code, stderr, _) = run_wait(script, &["--foundation", "0"], &[("*", "denied")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("wait-for-dns-policy: az failed:\nERROR: (AuthorizationFailed)"),
        "{stderr}"
    );
    // Every call reads: the account, or a GET of an endpoint's zone groups.
    assert!(!calls.is_empty());
    for call in calls.lines() {
        assert!(
            call == "account show --query id -o tsv"
                || (call.starts_with("rest --method get --url /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-northwindmedia/providers/Microsoft.Network/privateEndpoints/")
                    && call.contains("/privateDnsZoneGroups?api-version=")),
            "{call}"
        );
    }
}

/// The Resource Manager endpoint comes with its own template, deployed on its own: the wait
/// after the main template leaves it out, and its own step waits for it alone.
#[test]
fn the_resource_manager_endpoint_is_waited_for_after_its_own_template() {
    let yaml = format!(
        "location: westeurope\nmediaServices: {{name: contosomedia, deploy: false}}\nstorage: {{name: contosostore}}\nresourceManagerPrivateLink: {{managementGroupId: 12345678-90ab-4cde-8f01-23456789abcd, existingSubnetId: /subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe}}\nnetwork:\n  vnets:\n    - {{name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {{name: snet, addressPrefix: 10.0.1.0/24}}}}\nprivateLink: {{dns: {{mode: policy, zoneIds: {{blob: {ZONES}/privatelink.blob.core.windows.net, resourcemanager: {ZONES}/privatelink.azure.com}}}}}}\n"
    );
    let files = common::render_yaml(&yaml);
    let script = common::file(&files, "wait-for-dns-policy.sh");
    let blob = (
        "pe-contosostore-blob-vnet-a",
        format!("{ZONES}/privatelink.blob.core.windows.net"),
    );
    let rm = (
        "pe-rmpl-contosomedia-vnet-hub",
        format!("{ZONES}/privatelink.azure.com"),
    );
    let (code, stderr, _) = run_wait(script, &["0"], &[(blob.0, blob.1.as_str())]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stderr, calls) = run_wait(
        script,
        &["--resource-manager", "0"],
        &[(blob.0, blob.1.as_str())],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("1 of 1 private endpoints"), "{stderr}");
    assert!(calls.contains("/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/privateEndpoints/pe-rmpl-contosomedia-vnet-hub/"), "{calls}");
    let (code, stderr, _) = run_wait(
        script,
        &["--resource-manager", "0"],
        &[(rm.0, rm.1.as_str())],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let deploy = common::file(&files, "DEPLOY.md");
    let own = deploy
        .find("az deployment mg create --management-group-id 12345678-90ab-4cde-8f01-23456789abcd")
        .unwrap();
    let wait = deploy
        .find("bash wait-for-dns-policy.sh --resource-manager")
        .unwrap();
    assert!(own < wait);
}
