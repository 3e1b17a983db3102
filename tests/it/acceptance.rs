//! What a reader of the generated templates must find, checked on the output itself.

use crate::common;

use serde_json::{json, Value};

fn arm(files: &[ams_private_link::render::File]) -> Value {
    serde_json::from_str(common::file(files, "arm/azuredeploy.json")).unwrap()
}

/// Every resource in document order, those of nested deployments after their deployment.
fn flat(t: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for r in t["resources"].as_array().unwrap() {
        out.push(r);
        if r["type"] == "Microsoft.Resources/deployments" {
            out.extend(flat(&r["properties"]["template"]));
        }
    }
    out
}

fn of_type<'a>(t: &'a Value, ty: &str) -> Vec<&'a Value> {
    flat(t).into_iter().filter(|r| r["type"] == ty).collect()
}

fn index_of(t: &Value, pred: impl Fn(&Value) -> bool) -> usize {
    flat(t).into_iter().position(pred).unwrap()
}

/// The nested deployment that holds everything needing Media Services.
fn media_deployment(t: &Value) -> &Value {
    t["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["name"]
                .as_str()
                .unwrap()
                .contains("'mediaServicesDeployment-")
        })
        .expect("the Media Services deployment")
}

#[test]
fn fully_private_example_reads_as_promised() {
    let files = common::render_file(&common::example("fully-private.yaml"));
    let t = arm(&files);

    let ams = of_type(&t, "Microsoft.Media/mediaservices")[0];
    assert_eq!(ams["apiVersion"], "2023-01-01");
    assert_eq!(ams["properties"]["publicNetworkAccess"], "Disabled");
    assert_eq!(
        ams["properties"]["storageAuthentication"],
        "ManagedIdentity"
    );
    assert_eq!(ams["identity"]["type"], "UserAssigned");
    assert_eq!(
        ams["properties"]["keyDelivery"]["accessControl"]["defaultAction"],
        "Deny"
    );

    // Three Media Services endpoints and one blob endpoint, one group ID each.
    let pes = of_type(&t, "Microsoft.Network/privateEndpoints");
    let mut groups: Vec<String> = pes
        .iter()
        .map(|pe| {
            let conns = pe["properties"]["privateLinkServiceConnections"]
                .as_array()
                .unwrap();
            assert_eq!(conns.len(), 1);
            let ids = conns[0]["properties"]["groupIds"].as_array().unwrap();
            assert_eq!(ids.len(), 1, "one group ID per endpoint");
            ids[0].as_str().unwrap().to_owned()
        })
        .collect();
    groups.sort();
    assert_eq!(
        groups,
        ["blob", "keydelivery", "liveevent", "streamingendpoint"]
    );

    // One zone group per endpoint, each with one zone config.
    let zone_groups = of_type(
        &t,
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    );
    assert_eq!(zone_groups.len(), 4);
    for zg in &zone_groups {
        assert_eq!(
            zg["properties"]["privateDnsZoneConfigs"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
    let zones: Vec<&str> = of_type(&t, "Microsoft.Network/privateDnsZones")
        .iter()
        .map(|z| z["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        zones,
        [
            "[format('privatelink.blob.{0}', environment().suffixes.storage)]",
            "privatelink.media.azure.net"
        ]
    );
    // The Media Services zone deploys with the account only.
    let inside = &media_deployment(&t)["properties"]["template"];
    assert!(of_type(inside, "Microsoft.Network/privateDnsZones")
        .iter()
        .any(|z| z["name"] == "privatelink.media.azure.net"));

    // Storage firewall on.
    let storage = of_type(&t, "Microsoft.Storage/storageAccounts")[0];
    let acls = &storage["properties"]["networkAcls"];
    assert_eq!(acls["defaultAction"], "Deny");
    assert_eq!(acls["bypass"], "AzureServices");
    // Both rule lists are set, empty: a redeployment clears rules removed from the values or
    // added by hand, whatever the provider does with lists left out.
    assert_eq!(acls["ipRules"], "[createArray()]");
    assert_eq!(acls["virtualNetworkRules"], "[createArray()]");
    assert!(common::file(&files, "bicep/main.bicep")
        .contains("      ipRules: []\n      virtualNetworkRules: []\n"));
    assert_eq!(storage["properties"]["allowBlobPublicAccess"], false);
    assert_eq!(storage["properties"]["minimumTlsVersion"], "TLS1_2");
    assert_eq!(storage["properties"]["supportsHttpsTrafficOnly"], true);

    // The two role assignments come before the account, which depends on both.
    let roles = of_type(&t, "Microsoft.Authorization/roleAssignments");
    let mut role_ids: Vec<&str> = roles
        .iter()
        .map(|r| r["properties"]["roleDefinitionId"].as_str().unwrap())
        .collect();
    role_ids.sort();
    assert!(
        role_ids[0].contains("acdd72a7-3385-48ef-bd42-f606fba81ae7"),
        "Reader"
    );
    assert!(
        role_ids[1].contains("ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
        "Storage Blob Data Contributor"
    );
    let account_at = index_of(&t, |r| r["type"] == "Microsoft.Media/mediaservices");
    let last_role = index_of(&t, |r| {
        r["type"] == "Microsoft.Authorization/roleAssignments"
    }) + 1;
    assert!(last_role < account_at);
    // The account deploys with everything that needs it, after both roles.
    let deps = media_deployment(&t)["dependsOn"].as_array().unwrap();
    assert_eq!(
        deps.iter()
            .filter(|d| d.as_str().unwrap().contains("roleAssignments"))
            .count(),
        2
    );
}

fn minimal(extra_media: &str) -> String {
    format!(
        "mediaServices:\n  name: contosomedia\n{extra_media}storage: {{name: contosostore}}\nnetwork:\n  vnets: [{{name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {{name: snet, addressPrefix: 10.0.1.0/24}}}}]\n"
    )
}

#[test]
fn the_default_streaming_endpoint_is_always_restricted() {
    for extra in [
        "",
        "  publicNetworkAccess: Enabled\n",
        "  streamingEndpoints: [{name: premium1, scaleUnits: 1}]\n",
    ] {
        let files = common::render_yaml(&minimal(extra));
        let t = arm(&files);
        let endpoints = of_type(&t, "Microsoft.Media/mediaservices/streamingEndpoints");
        let default = endpoints
            .iter()
            .find(|e| e["name"].as_str().unwrap().ends_with("'default')]"))
            .expect("default endpoint rendered");
        assert_eq!(
            default["properties"]["accessControl"]["ip"]["allow"],
            serde_json::json!([{"name": "denyAllPublic", "address": "0.0.0.0", "subnetPrefixLength": 32}]),
            "{extra:?}"
        );
        // The answers file names it, so a replay is identical.
        assert!(common::file(&files, ".ams-private-link-answers.yaml").contains("- name: default"));
    }
}

#[test]
fn defaults_are_the_secure_ones() {
    let t = arm(&common::render_yaml(&minimal("")));
    let ams = of_type(&t, "Microsoft.Media/mediaservices")[0];
    assert_eq!(ams["properties"]["publicNetworkAccess"], "Disabled");
    assert_eq!(ams["properties"]["minimumTlsVersion"], "Tls12");
    assert_eq!(
        ams["properties"]["keyDelivery"]["accessControl"]["defaultAction"],
        "Deny"
    );
    assert_eq!(
        t["parameters"]["location"]["defaultValue"],
        "[resourceGroup().location]"
    );
    // keydelivery + streamingendpoint + blob.
    assert_eq!(of_type(&t, "Microsoft.Network/privateEndpoints").len(), 3);
}

#[test]
fn live_event_allowlists_are_rendered_for_ingest_and_preview() {
    let t = arm(&common::render_yaml(&minimal(
        "  publicNetworkAccess: Enabled\n  liveEvents: [{name: live1, ingestAllowList: [192.0.2.10], previewAllowList: []}]\n",
    )));
    let live = of_type(&t, "Microsoft.Media/mediaservices/liveEvents")[0];
    assert_eq!(
        live["properties"]["input"]["accessControl"]["ip"]["allow"],
        serde_json::json!([{"name": "allow1", "address": "192.0.2.10", "subnetPrefixLength": 32}])
    );
    // Empty preview list: no address may watch the preview (the documented deny-all entry,
    // not a blank list).
    assert_eq!(
        live["properties"]["preview"]["accessControl"]["ip"]["allow"],
        serde_json::json!([{"name": "denyAllPublic", "address": "0.0.0.0", "subnetPrefixLength": 32}])
    );
}

#[test]
fn system_assigned_identity_is_a_two_phase_deployment() {
    let files = common::render_yaml(&minimal("  identity: systemAssigned\n"));
    let t = arm(&files);
    let ams = of_type(&t, "Microsoft.Media/mediaservices")[0];
    assert_eq!(ams["identity"]["type"], "SystemAssigned");
    assert_eq!(
        ams["properties"]["storageAuthentication"],
        "[parameters('storageAuthentication')]"
    );
    assert_eq!(
        t["parameters"]["storageAuthentication"]["defaultValue"],
        "System"
    );
    // Role assignments follow the account (they need its principal).
    let account_at = index_of(&t, |r| r["type"] == "Microsoft.Media/mediaservices");
    let first_role = index_of(&t, |r| {
        r["type"] == "Microsoft.Authorization/roleAssignments"
    });
    assert!(first_role > account_at);
    let deploy = common::file(&files, "DEPLOY.md");
    assert!(
        deploy.contains("## Phase 2") && deploy.contains("storageAuthentication=ManagedIdentity")
    );
    // The account is in the Media Services deployment, which must be passed the switch.
    assert_eq!(
        media_deployment(&t)["properties"]["parameters"]["storageAuthentication"]["value"],
        "[parameters('storageAuthentication')]"
    );
}

#[test]
fn every_internet_exposure_is_named() {
    let d = common::deployment(&minimal(
        "  publicNetworkAccess: Enabled\n  keyDelivery: {defaultAction: Allow}\n  liveEvents: [{name: live1, ingestAllowList: [0.0.0.0/0, '::/0']}]\n",
    ));
    let text: Vec<String> = d.warnings.iter().map(ToString::to_string).collect();
    let has = |s: &str| text.iter().any(|w| w.contains(s));
    assert!(has("do not close the public one"), "{text:?}");
    assert!(has("key delivery: defaultAction is Allow"), "{text:?}");
    assert!(
        has("live event 'live1' ingest: the allowlist covers the whole internet (0.0.0.0/0, ::/0)"),
        "{text:?}"
    );
    // The default endpoint is closed, so it is not named.
    assert!(!has("streaming endpoint 'default'"), "{text:?}");

    // A private design warns of nothing exposed; it creates zones, which a landing zone with
    // central DNS would deny, and its storage keeps the public access Media Services needs.
    let private = common::deployment(&minimal(""));
    let rules: Vec<&str> = private.warnings.iter().map(|w| w.rule.id).collect();
    assert_eq!(
        rules,
        [
            "landing-zone/private-dns-zones",
            "landing-zone/public-network-access"
        ],
        "{:?}",
        private.warnings
    );
}

#[test]
fn no_output_carries_or_asks_for_a_secret() {
    for example in common::examples() {
        for f in common::render_file(&example) {
            let lower = f.content.to_lowercase();
            for needle in [
                "listkeys",
                "listsecrets",
                "listaccountsas",
                "accountkey=",
                "sharedaccesssignature",
                "sig=",
                "password",
                "securestring",
            ] {
                assert!(
                    !lower.contains(needle),
                    "{} {}: contains {needle}",
                    example.display(),
                    f.path
                );
            }
        }
    }
}

/// Every `parameters('x')` in a template (or a nested template) names a parameter declared there.
fn undeclared_parameters(template: &Value, scope: &str, out: &mut Vec<String>) {
    let declared: Vec<&String> = template["parameters"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    fn walk(
        v: &Value,
        declared: &[&String],
        scope: &str,
        out: &mut Vec<String>,
        nested: &mut Vec<Value>,
    ) {
        match v {
            Value::String(s) => {
                for (i, _) in s.match_indices("parameters('") {
                    let rest = &s[i + "parameters('".len()..];
                    let name = &rest[..rest.find('\'').unwrap_or(0)];
                    if !declared.iter().any(|d| d.as_str() == name) {
                        out.push(format!("{scope}: {name}"));
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, declared, scope, out, nested)),
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "template" {
                        nested.push(x.clone());
                    } else {
                        walk(x, declared, scope, out, nested);
                    }
                }
            }
            _ => {}
        }
    }
    let mut nested = Vec::new();
    for key in ["resources", "outputs", "variables"] {
        walk(&template[key], &declared, scope, out, &mut nested);
    }
    for (i, inner) in nested.iter().enumerate() {
        undeclared_parameters(inner, &format!("{scope}/nested[{i}]"), out);
    }
}

#[test]
fn every_parameter_an_arm_template_uses_is_declared() {
    for example in common::examples() {
        let files = common::render_file(&example);
        let mut missing = Vec::new();
        undeclared_parameters(&arm(&files), &example.display().to_string(), &mut missing);
        assert!(missing.is_empty(), "{missing:?}");
    }
}

#[test]
fn fully_private_cmk_example_reads_as_promised() {
    let files = common::render_file(&common::example("fully-private-cmk.yaml"));
    let t = arm(&files);

    let vault = of_type(&t, "Microsoft.KeyVault/vaults")[0];
    let p = &vault["properties"];
    assert_eq!(
        (
            p["enableSoftDelete"].clone(),
            p["enablePurgeProtection"].clone()
        ),
        (json!(true), json!(true))
    );
    assert_eq!(p["enableRbacAuthorization"], true);
    assert_eq!(p["publicNetworkAccess"], "Disabled");
    assert_eq!(p["networkAcls"]["bypass"], "AzureServices");
    let key = of_type(&t, "Microsoft.KeyVault/vaults/keys")[0];
    assert_eq!(key["properties"]["kty"], "RSA-HSM");
    // Rotation fires for the first version too: a timeBeforeExpiry trigger would need an
    // expiry date, which the version created by the template does not have.
    let policy = &key["properties"]["rotationPolicy"];
    assert_eq!(policy["lifetimeActions"][0]["action"]["type"], "rotate");
    assert_eq!(
        policy["lifetimeActions"][0]["trigger"],
        json!({"timeAfterCreate": "P1Y"})
    );
    assert!(key["properties"]["attributes"].get("exp").is_none());

    // The key role on the vault comes before the account, which waits for it.
    let role_at = index_of(&t, |r| {
        r["type"] == "Microsoft.Authorization/roleAssignments"
            && r["properties"]["roleDefinitionId"]
                .as_str()
                .unwrap()
                .contains("e147488a-f6f5-4113-8e2d-b22465e65bf6")
    });
    let account_at = index_of(&t, |r| r["type"] == "Microsoft.Media/mediaservices");
    assert!(role_at < account_at);
    assert!(media_deployment(&t)["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d.as_str().unwrap().contains("roleAssignments")
            && d.as_str()
                .unwrap()
                .contains("e147488a-f6f5-4113-8e2d-b22465e65bf6")));

    // encryption: CustomerKey with the identity and the versionless key URL.
    let ams = flat(&t)[account_at];
    let enc = &ams["properties"]["encryption"];
    assert_eq!(enc["type"], "CustomerKey");
    assert!(enc["identity"]["userAssignedIdentity"]
        .as_str()
        .unwrap()
        .contains("userAssignedIdentities"));
    assert_eq!(enc["identity"]["useSystemAssignedIdentity"], false);
    assert!(enc["keyVaultProperties"]["keyIdentifier"]
        .as_str()
        .unwrap()
        .ends_with(".keyUri]"));

    // The vault's private endpoint and its zone group.
    let vault_pe = of_type(&t, "Microsoft.Network/privateEndpoints")
        .into_iter()
        .find(|pe| {
            pe["properties"]["privateLinkServiceConnections"][0]["properties"]["groupIds"]
                == json!(["vault"])
        })
        .expect("vault endpoint");
    let pe_name = vault_pe["name"].as_str().unwrap();
    assert!(pe_name.contains("vault"));
    let zone_group = of_type(
        &t,
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    )
    .into_iter()
    .find(|zg| zg["name"].as_str().unwrap().contains("-vault-"))
    .expect("vault zone group");
    assert!(
        zone_group["properties"]["privateDnsZoneConfigs"][0]["properties"]["privateDnsZoneId"]
            .as_str()
            .unwrap()
            .contains("privatelink.vaultcore.azure.net")
    );
}

#[test]
fn media_events_example_reads_as_promised() {
    let files = common::render_file(&common::example("media-events.yaml"));
    let t = arm(&files);
    let topic = of_type(&t, "Microsoft.EventGrid/systemTopics")[0];
    assert_eq!(
        topic["properties"]["topicType"],
        "Microsoft.Media.MediaServices"
    );
    assert!(topic["properties"]["source"]
        .as_str()
        .unwrap()
        .contains("Microsoft.Media/mediaservices"));
    assert_eq!(topic["identity"]["type"], "SystemAssigned");

    let sub = of_type(&t, "Microsoft.EventGrid/systemTopics/eventSubscriptions")[0];
    let delivery = &sub["properties"]["deliveryWithResourceIdentity"];
    assert_eq!(delivery["identity"]["type"], "SystemAssigned");
    assert_eq!(delivery["destination"]["endpointType"], "StorageQueue");
    assert_eq!(
        delivery["destination"]["properties"]["queueName"],
        "media-events"
    );
    assert_eq!(
        sub["properties"]["filter"]["includedEventTypes"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    // The subscription waits for the send right, which is scoped to the queue only.
    let role = of_type(&t, "Microsoft.Authorization/roleAssignments")
        .into_iter()
        .find(|r| {
            r["properties"]["roleDefinitionId"]
                .as_str()
                .unwrap()
                .contains("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a")
        })
        .expect("queue sender role");
    assert!(role["scope"]
        .as_str()
        .unwrap()
        .contains("queueServices/queues"));
    assert!(sub["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d.as_str().unwrap().contains("c6a89b2d")));

    let custom = of_type(&t, "Microsoft.EventGrid/topics")[0];
    assert_eq!(custom["properties"]["publicNetworkAccess"], "Disabled");
    assert_eq!(custom["properties"]["disableLocalAuth"], true);
    let topic_pe = of_type(&t, "Microsoft.Network/privateEndpoints")
        .into_iter()
        .find(|pe| {
            pe["properties"]["privateLinkServiceConnections"][0]["properties"]["groupIds"]
                == json!(["topic"])
        })
        .expect("topic endpoint");
    assert!(topic_pe["name"]
        .as_str()
        .unwrap()
        .contains("egt-contosoevents"));
    assert!(of_type(&t, "Microsoft.Network/privateDnsZones")
        .iter()
        .any(|z| z["name"] == "privatelink.eventgrid.azure.net"));
}

#[test]
fn a_webhook_url_is_a_secure_parameter_and_never_written() {
    let files = common::render_yaml(&format!(
        "{}eventGrid: {{destination: {{type: webhook}}}}\n",
        minimal("")
    ));
    let t = arm(&files);
    assert_eq!(
        t["parameters"]["eventGridWebhookUrl"]["type"],
        "securestring"
    );
    assert!(t["parameters"]["eventGridWebhookUrl"]
        .get("defaultValue")
        .is_none());
    let params: Value =
        serde_json::from_str(common::file(&files, "arm/azuredeploy.parameters.json")).unwrap();
    assert!(params["parameters"].get("eventGridWebhookUrl").is_none());
    let bicep = common::file(&files, "bicep/main.bicep");
    assert!(bicep.contains("@secure()\nparam eventGridWebhookUrl string\n"));
    assert!(common::file(&files, "bicep/main.bicepparam")
        .contains("param eventGridWebhookUrl = readEnvironmentVariable('EVENTGRID_WEBHOOK_URL')"));
    let sub = of_type(&t, "Microsoft.EventGrid/systemTopics/eventSubscriptions")[0];
    assert_eq!(
        sub["properties"]["destination"]["properties"]["endpointUrl"],
        "[parameters('eventGridWebhookUrl')]"
    );
    assert!(!common::file(&files, ".ams-private-link-answers.yaml").contains("http"));
}

#[test]
fn resource_manager_private_link_is_a_separate_management_group_template() {
    let files = common::render_file(&common::example("resource-manager-private-link.yaml"));
    // The main template knows nothing of it.
    assert!(of_type(
        &arm(&files),
        "Microsoft.Authorization/privateLinkAssociations"
    )
    .is_empty());
    let t: Value = serde_json::from_str(common::file(
        &files,
        "arm/resource-management-private-link.json",
    ))
    .unwrap();
    assert!(t["$schema"]
        .as_str()
        .unwrap()
        .contains("managementGroupDeploymentTemplate"));
    let association = of_type(&t, "Microsoft.Authorization/privateLinkAssociations")[0];
    assert!(
        association["name"].as_str().unwrap().starts_with("[guid("),
        "the name must be a GUID"
    );
    assert!(association["properties"]["privateLink"]
        .as_str()
        .unwrap()
        .contains("resourceManagementPrivateLinks"));
    let nested = of_type(&t, "Microsoft.Resources/deployments")[0];
    assert_eq!(nested["resourceGroup"], "rg-hub-network");
    let inner = &nested["properties"]["template"];
    let pe = of_type(inner, "Microsoft.Network/privateEndpoints")[0];
    assert_eq!(
        pe["properties"]["privateLinkServiceConnections"][0]["properties"]["groupIds"],
        json!(["ResourceManagement"])
    );
    assert_eq!(
        of_type(inner, "Microsoft.Network/privateDnsZones")[0]["name"],
        "privatelink.azure.com"
    );
    assert!(common::file(&files, "bicep/resource-management-private-link.bicep").starts_with("// Generated by ams-private-link. Edit the values file and regenerate rather than editing here.\ntargetScope = 'managementGroup'\n"));
    let deploy = common::file(&files, "DEPLOY.md");
    assert!(deploy.contains(
        "az deployment mg create --management-group-id 12345678-90ab-4cde-8f01-23456789abcd"
    ));
    assert!(deploy.contains("tenant-wide"));
}

#[test]
fn what_gets_created_leaves_out_resources_only_referred_to() {
    let files = common::render_file(&common::example("hub-spoke-existing-dns.yaml"));
    let deploy = common::file(&files, "DEPLOY.md");
    // The hub vault exists already: it is declared `existing`, so it is not "created".
    assert!(
        !deploy.contains("| `Microsoft.KeyVault/vaults` |"),
        "{deploy}"
    );
    let declared = format!(
        "resource existingKeyVault 'Microsoft.KeyVault/vaults@{}' existing = {{",
        ams_private_link::template::api::KEY_VAULT
    );
    // Declared where it is read (the account's key URL), and nowhere it would go unused.
    assert!(common::file(&files, "bicep/modules/media-services.bicep").contains(&declared));
    assert!(!common::file(&files, "bicep/main.bicep").contains(&declared));
}

/// Valid or not, through the library.
fn builds(yaml: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("values.yaml");
    std::fs::write(&path, yaml).unwrap();
    let raw = ams_private_link::values::load(Some(&path), &[]).unwrap();
    ams_private_link::model::build(raw).is_ok()
}

#[test]
fn derived_endpoint_names_may_have_64_characters_and_no_more() {
    let base = "mediaServices: {name: contosomedia}\nstorage: {name: contosostore}\nnetwork:\n  vnets:\n    - {name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {name: snet, addressPrefix: 10.0.1.0/24}}\n";
    // `pe-<topic>-topic-vnet-a`: 3 + n + 7 + 6 characters, 64 at n = 48.
    let topic = |n: usize| {
        format!(
            "{base}eventGrid: {{destination: {{type: storageQueue}}, customTopic: {{name: egt{}}}}}\n",
            "a".repeat(n - 3)
        )
    };
    assert!(builds(&topic(48)));
    assert!(!builds(&topic(49)));
    // `pe-<link>-vnet-hub`: 4 + n + 8 characters, 64 at n = 52.
    let link = |n: usize| {
        format!(
            "location: westeurope\n{base}resourceManagerPrivateLink: {{managementGroupId: 12345678-90ab-4cde-8f01-23456789abcd, name: {}, linkNewZones: true, existingSubnetId: /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe}}\n",
            "r".repeat(n)
        )
    };
    assert!(builds(&link(52)));
    assert!(!builds(&link(53)));
    // Media Services: `pe-contosomedia-streamingendpoint-<vnet>`, 34 + n characters; only the
    // VNets with endpoints count.
    let vnet = |n: usize, endpoints: bool| {
        let name = format!("v{}", "n".repeat(n - 1));
        let spoke = if endpoints {
            String::new()
        } else {
            format!("    - {{name: {name}, addressPrefixes: [10.1.0.0/16], subnet: {{name: snet, addressPrefix: 10.1.1.0/24}}, privateEndpoints: false, connectedTo: [vnet-a]}}\n")
        };
        let own = if endpoints {
            format!("    - {{name: {name}, addressPrefixes: [10.0.0.0/16], subnet: {{name: snet, addressPrefix: 10.0.1.0/24}}}}\n")
        } else {
            "    - {name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {name: snet, addressPrefix: 10.0.1.0/24}}\n".to_owned()
        };
        format!("mediaServices: {{name: contosomedia}}\nstorage: {{name: contosostore}}\nnetwork:\n  vnets:\n{own}{spoke}")
    };
    assert!(builds(&vnet(30, true)));
    assert!(!builds(&vnet(31, true)));
    assert!(
        builds(&vnet(40, false)),
        "a VNet without endpoints names none"
    );
}

#[test]
fn an_existing_vnet_without_location_is_named_with_the_region_assumed() {
    let values = |location: &str| {
        format!("location: westeurope\nmediaServices: {{name: contosomedia}}\nstorage: {{name: contosostore}}\nnetwork:\n  vnets:\n    - {{existingSubnetId: /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe, linkNewZones: true{location}}}\n")
    };
    let assumed = common::deployment(&values(""));
    let text: Vec<String> = assumed.warnings.iter().map(ToString::to_string).collect();
    assert!(
        text.iter().any(
            |w| w.starts_with("existing VNet 'vnet-spoke': no location given")
                && w.contains("westeurope")
        ),
        "{text:?}"
    );
    let files = common::render_yaml(&values(""));
    assert!(
        common::file(&files, "DEPLOY.md").contains("existing VNet 'vnet-spoke': no location given")
    );
    let stated = common::deployment(&values(", location: northeurope"));
    assert!(
        !stated
            .warnings
            .iter()
            .any(|w| w.subject.starts_with("existing VNet")),
        "{:?}",
        stated.warnings
    );
}

const SWITCH: &str = "[parameters('deployMediaServices')]";

/// What ARM deploys with the switch on or off: every resource, those of nested deployments
/// included, whose deployment is not switched off; each deployment too.
fn deployed(t: &Value, on: bool) -> Vec<&Value> {
    let mut out = Vec::new();
    for r in t["resources"].as_array().unwrap() {
        if let Some(c) = r.get("condition") {
            assert_eq!(c, SWITCH, "the only condition the templates use");
            if !on {
                continue;
            }
        }
        out.push(r);
        if r["type"] == "Microsoft.Resources/deployments" {
            out.extend(deployed(&r["properties"]["template"], on));
        }
    }
    out
}

/// Needs the Media Services account, judged from the resource alone.
fn needs_media(r: &Value) -> bool {
    let ty = r["type"].as_str().unwrap();
    let text = r.to_string();
    ty.starts_with("Microsoft.Media/")
        || ty.starts_with("Microsoft.EventGrid/systemTopics")
        // An endpoint to the account (by its group ID), and its zone group in the Media
        // Services zone.
        || (ty == "Microsoft.Network/privateEndpoints"
            && ["keydelivery", "streamingendpoint", "liveevent"].contains(
                &r["properties"]["privateLinkServiceConnections"][0]["properties"]["groupIds"][0]
                    .as_str()
                    .unwrap(),
            ))
        || (ty == "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
            && r["properties"]["privateDnsZoneConfigs"][0]["name"] == "media")
        // The Media Services zone, its links and the forwarding rule for its public zone: no
        // endpoint registers there without the account.
        || (ty.starts_with("Microsoft.Network/privateDnsZones")
            && r["name"].as_str().unwrap().starts_with("privatelink.media.azure.net"))
        || (ty == "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
            && text.contains("'privatelink.media.azure.net'"))
        || (ty == "Microsoft.Network/dnsForwardingRulesets/forwardingRules"
            && r["properties"]["domainName"] == "media.azure.net.")
        // A grant to the account's or the system topic's identity (the topic's two roles,
        // Azure Event Hubs Data Sender and Storage Queue Data Message Sender, are its alone).
        || (ty == "Microsoft.Authorization/roleAssignments"
            && ["Microsoft.Media/mediaservices", "Microsoft.EventGrid/systemTopics", "2b629674-e913-4c01-ae53-ef4638d8f975", "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a"]
                .iter()
                .any(|n| text.contains(n)))
}

#[test]
fn without_media_services_only_the_foundation_deploys_and_all_of_it() {
    for (name, files) in common::every_output() {
        // The companion policy of DNS mode policy is deployed on its own, at a management
        // group; it names Media Services in its rules only when the values deploy it
        // (tests/it/dns_policy.rs).
        for f in files.iter().filter(|f| {
            f.path.starts_with("arm/")
                && !f.path.ends_with(".parameters.json")
                && f.path != "arm/dns-policy.json"
        }) {
            let t: Value = serde_json::from_str(&f.content).unwrap();
            let full = deployed(&t, true);
            let foundation = deployed(&t, false);
            let leaves = |set: &[&Value]| -> Vec<String> {
                set.iter()
                    .filter(|r| r["type"] != "Microsoft.Resources/deployments")
                    .map(|r| r.to_string())
                    .collect()
            };
            for r in &foundation {
                assert!(
                    !needs_media(r),
                    "{name} {}: {r} deploys without Media Services",
                    f.path
                );
                // Nothing of the foundation waits for or reads anything of Media Services.
                let text = r.to_string();
                for needle in [
                    "Microsoft.Media/",
                    "systemTopics",
                    "mediaServicesDeployment",
                    "mediaEndpoints",
                ] {
                    assert!(
                        !text.contains(needle),
                        "{name} {}: foundation resource refers to {needle}: {text}",
                        f.path
                    );
                }
            }
            let kept = leaves(&foundation);
            for r in full
                .iter()
                .filter(|r| r["type"] != "Microsoft.Resources/deployments")
            {
                if !needs_media(r) {
                    assert!(
                        kept.contains(&r.to_string()),
                        "{name} {}: {r} is foundation but is switched off",
                        f.path
                    );
                }
            }
            // An output that reads Media Services reads it only with the switch on.
            for (key, o) in t["outputs"].as_object().into_iter().flatten() {
                let value = o["value"].as_str().unwrap_or_default();
                if value.contains("Microsoft.Media/") || value.contains("systemTopics") {
                    let guarded = format!("[if({}, ", &SWITCH[1..SWITCH.len() - 1]);
                    assert!(
                        value.starts_with(&guarded),
                        "{name} {}: output {key} = {value}",
                        f.path
                    );
                }
            }
            if f.path == "arm/azuredeploy.json" {
                assert!(
                    full.iter()
                        .any(|r| r["type"] == "Microsoft.Media/mediaservices"),
                    "{name}"
                );
                assert!(
                    kept.len() < leaves(&full).len(),
                    "{name}: the switch changes nothing"
                );
            }
        }
    }
}

/// The switch as the values set it. A foundation whose values leave out what Media Services
/// needs (by default its storage access) holds it to false; one that keeps that access may turn
/// it on later.
#[test]
fn both_parameters_files_carry_the_switch_from_the_values() {
    let ready = "  deploy: false\n";
    for (deploy, storage, expected, held) in [
        ("", "", true, false),
        (ready, "", false, true),
        (
            ready,
            "  publicNetworkAccess: Enabled\n  allowSharedKeyAccess: true\n",
            false,
            false,
        ),
    ] {
        let yaml = minimal(deploy).replace(
            "storage: {name: contosostore}\n",
            &format!("storage:\n  name: contosostore\n{storage}"),
        );
        assert!(storage.is_empty() || yaml.contains(storage), "{yaml}");
        let files = common::render_yaml(&yaml);
        let params: Value =
            serde_json::from_str(common::file(&files, "arm/azuredeploy.parameters.json")).unwrap();
        assert_eq!(
            params["parameters"]["deployMediaServices"]["value"],
            expected
        );
        let bicep = common::file(&files, "bicep/main.bicepparam");
        assert!(
            bicep.contains(&format!("param deployMediaServices = {expected}\n")),
            "{bicep}"
        );
        let t = arm(&files);
        let switch = &t["parameters"]["deployMediaServices"];
        assert_eq!(switch["defaultValue"], !held, "{yaml}");
        let allowed = switch.get("allowedValues");
        assert_eq!(allowed, held.then(|| json!([false])).as_ref(), "{yaml}");
        let bicep = common::file(&files, "bicep/main.bicep");
        assert_eq!(bicep.contains("@allowed([\n  false\n])"), held, "{bicep}");
    }
}

#[test]
fn the_summary_says_what_needs_media_services() {
    let d = common::deployment(&minimal(""));
    let t = ams_private_link::template::build(&d);
    let text = ams_private_link::render::summary::summarise(&d, &t).text(&[]);
    let (foundation, media) = text
        .split_once("Only with Media Services")
        .expect("a Media Services part");
    assert!(foundation.contains("the private foundation"), "{text}");
    assert!(
        foundation.contains("Microsoft.Storage/storageAccounts"),
        "{text}"
    );
    assert!(!foundation.contains("Microsoft.Media/"), "{text}");
    let media = media.split("Private endpoints per VNet").next().unwrap();
    assert!(media.contains("Microsoft.Media/mediaservices"), "{text}");
    assert!(
        text.contains("-keydelivery-vnet-a -> keydelivery (zone group, needs Media Services)"),
        "{text}"
    );
    assert!(text.contains("-blob-vnet-a -> blob (zone group)"), "{text}");
}

#[test]
fn the_foundation_instructions_name_nothing_of_media_services() {
    for (name, files) in common::every_output() {
        let deploy = common::file(&files, "DEPLOY.md");
        let foundation = deploy
            .split("### The private foundation alone")
            .nth(1)
            .and_then(|rest| rest.split("\n### ").next())
            .unwrap_or_else(|| panic!("{name}: no foundation section"));
        for needle in [
            "keydelivery",
            "streamingendpoint",
            "liveevent",
            "az ams",
            "Microsoft.Media",
        ] {
            assert!(
                !foundation.contains(needle),
                "{name}: the foundation steps mention {needle}:\n{foundation}"
            );
        }
        assert!(foundation.contains("nslookup"), "{name}");
        assert!(foundation.contains("403"), "{name}");
    }
}

/// Every bundled example is a design the resolution model accepts: from every VNet, each
/// private name resolves to exactly one endpoint, in that VNet or one it is connected to, and
/// no record has two writers (two endpoints of one target registering in one zone).
#[test]
fn every_example_resolves_each_name_to_one_reachable_endpoint() {
    for path in common::examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let d = common::deployment(&text);
        let name = path.display();
        assert!(d.resolution.clients.len() >= d.vnets.len(), "{name}");
        for (vnet, resolved) in d.vnets.iter().zip(&d.resolution.clients) {
            assert_eq!(vnet.key(), resolved.client, "{name}");
            // Without Media Services deployed, its names resolve to nothing and are left out.
            let targets: Vec<_> = d
                .targets()
                .into_iter()
                .filter(|t| d.media.deploy || !t.service.needs_media())
                .collect();
            let rows: Vec<_> = resolved
                .names
                .iter()
                .filter(|n| n.target.service != ams_private_link::model::Service::ResourceManager)
                .collect();
            assert_eq!(rows.len(), targets.len(), "{name}: {}", vnet.key());
            for row in rows {
                if let ams_private_link::model::Answer::Endpoint {
                    vnet: owner,
                    endpoint,
                } = &row.answer
                {
                    let owner = d.vnets.iter().find(|v| v.key() == owner).unwrap();
                    assert!(owner.endpoints && vnet.reaches(owner), "{name}: {endpoint}");
                    assert_eq!(*endpoint, row.target.endpoint_name(owner.key()));
                }
            }
        }
    }
}

#[test]
fn hub_style_spokes_get_no_endpoints_and_links_into_them_fall_back_to_public() {
    let files = common::render_file(&common::example("two-vnets.yaml"));
    let modules: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.contains("vnet-ops"))
        .collect();
    assert_eq!(
        modules,
        ["bicep/modules/peerings-vnet-ops.bicep"],
        "no endpoint module for the spoke, only its half of the peering"
    );
    let bicep = common::file(&files, "bicep/main.bicep");
    // Into the existing VNet: NxDomainRedirect; into the VNet created here: Default.
    let link = |vnet: &str| {
        let start = bicep.find(&format!("name: 'link-{vnet}'")).unwrap();
        let policy = bicep[start..].find("resolutionPolicy: ").unwrap() + start;
        bicep[policy..].lines().next().unwrap().to_owned()
    };
    assert_eq!(
        link("vnet-ops").trim(),
        "resolutionPolicy: 'NxDomainRedirect'"
    );
    assert_eq!(link("vnet-media").trim(), "resolutionPolicy: 'Default'");
    let deploy = common::file(&files, "DEPLOY.md");
    assert!(deploy.contains(
        "pe-tailspinmediastore-blob-vnet-media (in vnet-media, subnet snet-pe; connected)"
    ));
    assert!(deploy.contains(
        "- `vnet-media` ↔ `vnet-ops` (the half in `vnet-ops` by a nested deployment in `rg-ops`)"
    ));
}

const HUB_VAULT: &str = "location: westeurope\nmediaServices:\n  name: contosomedia\n  encryption:\n    type: customerKey\n    existingKey: {vaultId: /subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub-keys/providers/Microsoft.KeyVault/vaults/kv-hub, keyName: cmk, keyType: RSA-HSM, location: westeurope%s}\nstorage: {name: contosostore}\nnetwork:\n  vnets:\n    - {name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {name: snet, addressPrefix: 10.0.1.0/24}}\n";

#[test]
fn an_existing_vault_gets_an_endpoint_only_on_request_with_a_warning() {
    let by_default = common::deployment(&HUB_VAULT.replace("%s", ""));
    assert!(!by_default
        .targets()
        .iter()
        .any(|t| t.service == ams_private_link::model::Service::Vault));
    assert!(!by_default
        .warnings
        .iter()
        .any(|w| w.message.contains("existingKey.privateEndpoint")));
    let files = common::render_yaml(&HUB_VAULT.replace("%s", ""));
    assert!(!common::file(&files, "bicep/main.bicep").contains("'vault'"));

    let asked = common::deployment(&HUB_VAULT.replace("%s", ", privateEndpoint: true"));
    assert!(asked
        .targets()
        .iter()
        .any(|t| t.service == ams_private_link::model::Service::Vault));
    assert!(
        asked
            .warnings
            .iter()
            .any(|w| w.subject == "key vault 'kv-hub'"
                && w.message.contains("its record is replaced"))
    );
    let files = common::render_yaml(&HUB_VAULT.replace("%s", ", privateEndpoint: true"));
    assert!(common::file(&files, "bicep/main.bicep").contains("'vault'"));
}

#[test]
fn zone_names_follow_the_cloud() {
    let values = "cloud: AzureUSGovernment\nmediaServices:\n  name: contosomedia\n  encryption: {type: customerKey, keyVault: {name: kv-contosomedia}}\nstorage: {name: contosostore}\neventGrid: {destination: {type: storageQueue}, customTopic: {name: egt-contoso}}\nnetwork:\n  vnets:\n    - {name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {name: snet, addressPrefix: 10.0.1.0/24}}\nprivateLink: {groups: []}\n";
    let files = common::render_yaml(values);
    let bicep = common::file(&files, "bicep/main.bicep");
    assert!(
        bicep.contains("name: 'privatelink.vaultcore.usgovcloudapi.net'"),
        "{bicep}"
    );
    assert!(bicep.contains("name: 'privatelink.eventgrid.azure.us'"));
    assert!(!bicep.contains("vaultcore.azure.net") && !bicep.contains("eventgrid.azure.net"));
    // Storage names come from the cloud the template is deployed to.
    assert!(bicep.contains("'privatelink.blob.${environment().suffixes.storage}'"));
}

/// DEPLOY.md's permissions are read off the templates: the role assignments counted and named,
/// and every other resource group a nested deployment writes to.
#[test]
fn permissions_name_every_grant_and_every_resource_group_written_to() {
    let example = |name: &str| {
        let path = common::examples()
            .into_iter()
            .find(|p| p.ends_with(name))
            .unwrap();
        common::file(&common::render_file(&path), "DEPLOY.md").to_owned()
    };
    let events = example("media-events.yaml");
    assert!(events.contains("for the 3 role assignments (Storage Blob Data Contributor, Reader, Storage Queue Data Message Sender)"), "{events}");
    let hub = example("hub-spoke-existing-dns.yaml");
    assert!(hub.contains("In resource group `rg-hub-keys` (subscription `99999999-8888-7777-6666-555555555555`): `Microsoft.Resources/deployments/write`"));
    assert!(hub.contains("for the 1 role assignment (Key Vault Crypto Service Encryption User)"));
    assert!(hub.contains("In resource group `rg-spoke-media`"));
    let isolated = example("isolated-vnets.yaml");
    assert!(isolated.contains("In resource group `rg-studio-a` (subscription `11111111-2222-3333-4444-555555555555`): `Microsoft.Resources/deployments/write` (a nested deployment runs there) and the rights to create `Microsoft.Network/privateDnsZones`"));
}

fn example_deployment(name: &str) -> ams_private_link::model::Deployment {
    let path = common::examples()
        .into_iter()
        .find(|p| p.ends_with(name))
        .unwrap();
    common::deployment(&std::fs::read_to_string(path).unwrap())
}

fn warned(d: &ams_private_link::model::Deployment, subject: &str, fragment: &str) -> bool {
    d.warnings
        .iter()
        .any(|w| w.subject == subject && w.message.contains(fragment))
}

#[test]
fn each_vnet_left_to_other_dns_or_linked_into_is_named_in_a_warning() {
    let policy = example_deployment("dns-by-policy.yaml");
    assert!(warned(
        &policy,
        "VNet 'vnet-northwind-media'",
        "DNS mode policy"
    ));
    let none = common::deployment("mediaServices: {name: contosomedia}\nstorage: {name: contosostore}\nnetwork:\n  vnets:\n    - {name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {name: snet, addressPrefix: 10.0.1.0/24}}\nprivateLink: {dns: {mode: none}}\n");
    assert!(warned(&none, "VNet 'vnet-a'", "DNS mode none"));
    let hub = example_deployment("two-vnets.yaml");
    assert!(warned(
        &hub,
        "VNet 'vnet-ops'",
        "linked to this existing VNet (linkNewZones), with NxDomainRedirect"
    ));
    assert!(
        !hub.warnings
            .iter()
            .any(|w| w.subject == "VNet 'vnet-media'"),
        "a VNet created here needs no warning"
    );
    let rmpl = example_deployment("resource-manager-private-link.yaml");
    assert!(warned(
        &rmpl,
        "VNet 'vnet-hub'",
        "privatelink.azure.com zone created with the Resource Manager private link"
    ));
}

#[test]
fn live_events_without_a_private_path_are_named() {
    let values = |groups: &str| {
        format!("mediaServices: {{name: contosomedia, liveEvents: [{{name: live1}}]}}\nstorage: {{name: contosostore}}\nnetwork:\n  vnets:\n    - {{name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {{name: snet, addressPrefix: 10.0.1.0/24}}}}\nprivateLink: {{groups: [{groups}]}}\n")
    };
    let without = common::deployment(&values("keydelivery, streamingendpoint"));
    assert!(warned(&without, "live events", "no encoder can reach"));
    let with = common::deployment(&values("keydelivery, streamingendpoint, liveevent"));
    assert!(!with.warnings.iter().any(|w| w.subject == "live events"));
}

/// The zone column says which zone answers and where it lives, per kind of DNS.
#[test]
fn the_resolution_names_the_zone_that_answers() {
    let zones = |d: &ams_private_link::model::Deployment| -> Vec<String> {
        d.resolution
            .clients
            .iter()
            .flat_map(|v| v.names.iter().map(|n| n.zone.clone()))
            .collect()
    };
    let two = zones(&example_deployment("two-vnets.yaml"));
    assert!(
        two.contains(&"privatelink.blob.core.windows.net, created here".to_owned()),
        "{two:?}"
    );
    let isolated = zones(&example_deployment("isolated-vnets.yaml"));
    assert!(
        isolated.contains(&"privatelink.media.azure.net, created in rg-studio-a".to_owned()),
        "{isolated:?}"
    );
    assert!(
        isolated
            .contains(&"privatelink.blob.core.windows.net, existing in rg-studio-b-dns".to_owned()),
        "{isolated:?}"
    );
    let policy = zones(&example_deployment("dns-by-policy.yaml"));
    assert!(
        policy
            .iter()
            .all(|z| z.ends_with("central zone of Azure Policy in rg-connectivity-dns")),
        "{policy:?}"
    );
}

/// The Resource Manager endpoint's name is resolved in its own VNet, through the zone its
/// template creates, an existing one, or none.
#[test]
fn the_resource_manager_name_is_part_of_the_resolution() {
    let rm_row = |d: &ams_private_link::model::Deployment| {
        d.resolution
            .clients
            .iter()
            .find(|v| v.client == "vnet-hub")
            .and_then(|v| {
                v.names
                    .iter()
                    .find(|n| n.target.service == ams_private_link::model::Service::ResourceManager)
                    .cloned()
            })
            .expect("a row for the Resource Manager name in vnet-hub")
    };
    let created = rm_row(&example_deployment("resource-manager-private-link.yaml"));
    assert_eq!(
        created.answer,
        ams_private_link::model::Answer::Endpoint {
            vnet: "vnet-hub".into(),
            endpoint: "pe-rmpl-litware-vnet-hub".into()
        }
    );
    assert!(created
        .zone
        .contains("created with the Resource Manager private link"));
    let hub = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones";
    let base = "location: westeurope\nmediaServices: {name: contosomedia}\nstorage: {name: contosostore}\nresourceManagerPrivateLink: {managementGroupId: 12345678-90ab-4cde-8f01-23456789abcd, existingSubnetId: /subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe}\nnetwork:\n  vnets:\n    - {name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {name: snet, addressPrefix: 10.0.1.0/24}}\n";
    let existing = rm_row(&common::deployment(&format!("{base}privateLink: {{dns: {{mode: existing, zoneIds: {{media: {hub}/privatelink.media.azure.net, blob: {hub}/privatelink.blob.core.windows.net, resourcemanager: {hub}/privatelink.azure.com}}}}}}\n")));
    assert_eq!(
        existing.zone,
        "privatelink.azure.com, existing in rg-hub-dns"
    );
    let none = rm_row(&common::deployment(&format!(
        "{base}privateLink: {{dns: {{mode: none}}}}\n"
    )));
    assert_eq!(none.answer, ams_private_link::model::Answer::Unmanaged);
    assert_eq!(none.zone, "none (DNS mode none)");
    let policy = rm_row(&common::deployment(&format!(
        "{base}privateLink: {{dns: {{mode: policy, zoneIds: {{media: {hub}/privatelink.media.azure.net, blob: {hub}/privatelink.blob.core.windows.net, resourcemanager: {hub}/privatelink.azure.com}}}}}}\n"
    )));
    assert_eq!(
        policy.zone,
        "privatelink.azure.com, central zone of Azure Policy in rg-hub-dns"
    );
    // The endpoint's VNet listed with DNS of its own: the Resource Manager zone is read there.
    let own = format!("location: westeurope\nmediaServices: {{name: contosomedia}}\nstorage: {{name: contosostore}}\nresourceManagerPrivateLink: {{managementGroupId: 12345678-90ab-4cde-8f01-23456789abcd, existingSubnetId: /subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe}}\nnetwork:\n  vnets:\n    - existingSubnetId: /subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe\n      location: westeurope\n      dns: {{mode: existing, zoneIds: {{media: {hub}/privatelink.media.azure.net, blob: {hub}/privatelink.blob.core.windows.net, resourcemanager: {hub}/privatelink.azure.com}}}}\n");
    let d = common::deployment(&own);
    let rm = d.resource_manager.as_ref().unwrap();
    assert_eq!(
        rm.zone_id.as_deref(),
        Some(format!("{hub}/privatelink.azure.com").as_str())
    );
    assert_eq!(
        rm_row(&d).zone,
        "privatelink.azure.com, existing in rg-hub-dns"
    );
}

/// DEPLOY.md's commands paste as they are: the subscription is set before the first command,
/// and no `<placeholder>` is left in a command line.
#[test]
fn deploy_commands_paste_as_they_are() {
    for (name, files) in common::every_output() {
        let deploy = common::file(&files, "DEPLOY.md");
        let set = deploy.find("az account set --subscription \"$SUBSCRIPTION\"");
        let first = deploy.find("az group create");
        assert!(
            set.is_some() && set < first,
            "{name}: no az account set before the first command"
        );
        let mut in_block = false;
        for line in deploy.lines() {
            if line.starts_with("```") {
                in_block = line == "```sh";
                continue;
            }
            let command = line.split(" # ").next().unwrap_or_default();
            let placeholder = command.find('<').is_some_and(|i| {
                command[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic())
                    && command[i..].contains('>')
            });
            assert!(!(in_block && placeholder), "{name}: {line}");
        }
    }
}

/// Phase 2 of a system-assigned identity is an edit of the parameters file, not an override
/// of a `.bicepparam` (which needs Azure CLI 2.54).
#[test]
fn phase_two_is_an_edit_of_the_parameters_files() {
    let path = common::example("dns-by-policy.yaml");
    let files = common::render_file(&path);
    assert!(common::file(&files, "bicep/main.bicepparam")
        .contains("param storageAuthentication = 'System'"));
    assert!(common::file(&files, "arm/azuredeploy.parameters.json")
        .contains("\"storageAuthentication\""));
    let deploy = common::file(&files, "DEPLOY.md");
    assert!(deploy.contains("set `param storageAuthentication = 'ManagedIdentity'`"));
    assert!(deploy.contains("Azure CLI 2.54 or later"));
}

/// DEPLOY.md says the Resource Manager private link creates its zone only when the link's own
/// DNS does: the DNS of its VNet where that VNet is listed, not the default one.
#[test]
fn deploy_md_names_the_resource_manager_zone_only_when_it_is_created() {
    const CREATED: &str = "with the `privatelink.azure.com` zone linked to that VNet only";
    let example =
        std::fs::read_to_string(common::example("resource-manager-private-link.yaml")).unwrap();
    let files = common::render_yaml(&example);
    assert!(common::file(&files, "DEPLOY.md").contains(CREATED));

    // The hub is listed with DNS by policy, while the default still creates zones.
    let hub = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-private-endpoints";
    let zones = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-connectivity-dns/providers/Microsoft.Network/privateDnsZones";
    let by_policy = example.replace("  linkNewZones: true\n", "").replace(
        "      subnet: {name: snet-private-endpoints, addressPrefix: 10.70.1.0/24}\n",
        &format!("      subnet: {{name: snet-private-endpoints, addressPrefix: 10.70.1.0/24}}\n    - existingSubnetId: {hub}\n      location: westeurope\n      dns: {{mode: policy, zoneIds: {{media: {zones}/privatelink.media.azure.net, resourcemanager: {zones}/privatelink.azure.com}}}}\n"),
    );
    assert_ne!(by_policy, example);
    let files = common::render_yaml(&by_policy);
    let deploy = common::file(&files, "DEPLOY.md");
    assert!(deploy.contains("central zone of Azure Policy"), "{deploy}");
    assert!(!deploy.contains(CREATED), "{deploy}");
}

/// A foundation with zones that exist already needs no Media Services zone ID; without it the
/// switch is held off and DEPLOY.md says what is missing. With Media Services it is required.
#[test]
fn a_foundation_needs_no_media_services_zone() {
    let hub = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones";
    let yaml = |deploy: &str| {
        format!(
            "mediaServices:\n  name: contosomedia\n{deploy}storage:\n  name: contosostore\n  publicNetworkAccess: Enabled\n  allowSharedKeyAccess: true\nnetwork:\n  vnets: [{{existingSubnetId: /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe}}]\nprivateLink:\n  dns: {{mode: existing, zoneIds: {{blob: {hub}/privatelink.blob.core.windows.net}}}}\n"
        )
    };
    let d = common::deployment(&yaml("  deploy: false\n"));
    assert_eq!(d.media_gaps.len(), 1, "{:?}", d.media_gaps);
    assert!(d.media_gaps[0].contains("zoneIds.media"));
    let files = common::render_yaml(&yaml("  deploy: false\n"));
    assert_eq!(
        arm(&files)["parameters"]["deployMediaServices"]["allowedValues"],
        json!([false])
    );
    assert!(common::file(&files, "DEPLOY.md").contains("### Media Services later"));
    let raw = ams_private_link::values::load_str("values.yaml", &yaml(""), &[]).unwrap();
    let refused = format!("{:?}", ams_private_link::model::build(raw).unwrap_err());
    assert!(refused.contains("zoneIds.media"), "{refused}");
}

/// Without Media Services deployed, nothing is said of its doors, its identity's second pass
/// or its key's hold on the account, however those settings read; with it, the same values
/// warn of each.
#[test]
fn a_foundation_warns_of_nothing_of_media_services() {
    let yaml = |deploy: &str| {
        format!(
            "mediaServices:\n  name: contosomedia\n{deploy}  identity: systemAssigned\n  publicNetworkAccess: Enabled\n  keyDelivery: {{defaultAction: Allow, ipAllowList: []}}\n  streamingEndpoints: [{{name: default, cdnEnabled: true}}]\nstorage:\n  name: contosostore\n  publicNetworkAccess: Enabled\n  allowSharedKeyAccess: true\nnetwork:\n  vnets: [{{name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {{name: snet, addressPrefix: 10.0.1.0/24}}}}]\nprivateLink: {{groups: [keydelivery]}}\n"
        )
    };
    let media_rules = [
        "exposure/public-network-access",
        "exposure/open-to-everyone",
        "exposure/cdn",
        "deploy/two-phase",
    ];
    let rules = |text: &str| -> Vec<&'static str> {
        common::deployment(text)
            .warnings
            .iter()
            .map(|w| w.rule.id)
            .filter(|id| media_rules.contains(id))
            .collect()
    };
    let with = rules(&yaml(""));
    for id in media_rules {
        assert!(
            with.contains(&id),
            "{id} missing with Media Services: {with:?}"
        );
    }
    assert!(rules(&yaml("  deploy: false\n")).is_empty());
}

/// The Resource Manager private link outlives the workload's resource group: DEPLOY.md removes
/// the tenant-wide association first, then the endpoint, its zone and the link; and a region
/// taken from the deployment's is said.
#[test]
fn the_resource_manager_private_link_can_be_removed_and_its_region_is_said() {
    let files = common::render_file(&common::example("resource-manager-private-link.yaml"));
    let deploy = common::file(&files, "DEPLOY.md");
    let section = deploy
        .split("**Removing it.**")
        .nth(1)
        .expect("a removal step");
    let association = section
        .find("privateLinkAssociations/$ASSOCIATION")
        .unwrap();
    let endpoint = section.find("az network private-endpoint delete").unwrap();
    let link = section
        .find("az resourcemanagement private-link delete")
        .unwrap();
    assert!(association < endpoint && endpoint < link, "{section}");
    let yaml =
        std::fs::read_to_string(common::example("resource-manager-private-link.yaml")).unwrap();
    let rules = |text: &str| -> Vec<(&'static str, String)> {
        common::deployment(text)
            .warnings
            .iter()
            .map(|w| (w.rule.id, w.pointer.clone()))
            .collect()
    };
    let assumed = (
        "deploy/region-assumed",
        "/resourceManagerPrivateLink/existingSubnetId".to_owned(),
    );
    assert!(
        rules(&yaml).contains(&assumed),
        "the example gives no region of its own"
    );
    let given = yaml.replace(
        "  name: rmpl-litware\n",
        "  name: rmpl-litware\n  location: westeurope\n",
    );
    assert_ne!(given, yaml);
    assert!(!rules(&given).contains(&assumed));
}

/// Zones created in another team's resource group carry no tags: a zone of that name there
/// keeps its own.
#[test]
fn zones_in_another_teams_resource_group_are_not_tagged() {
    let files = common::render_file(&common::example("isolated-vnets.yaml"));
    let bicep = common::file(
        &files,
        "bicep/modules/private-dns-zones-vnet-studio-a.bicep",
    );
    assert!(
        bicep.contains("Microsoft.Network/privateDnsZones@"),
        "{bicep}"
    );
    assert!(!bicep.contains("tags:"), "{bicep}");
    // The workload's own resources keep them.
    assert!(common::file(&files, "bicep/main.bicep").contains("tags: tags"));
}
