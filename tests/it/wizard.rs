//! The wizard, driven through the `Prompter` trait with scripted answers.

use crate::common;

use std::path::PathBuf;

use ams_private_link::error::Error;
use ams_private_link::model;
use ams_private_link::render::{self, Format};
use ams_private_link::values::{self, RawValues};
use ams_private_link::wizard::{self, Outcome};
use common::scripted::{Answer, Scripted};

use Answer::*;

fn t(s: &str) -> Answer {
    Text(s.into())
}
fn pick(s: &str) -> Answer {
    Pick(s.into())
}

fn empty() -> RawValues {
    values::load(None, &[]).unwrap()
}

fn finish(mut p: Scripted, raw: RawValues) -> (Result<Outcome, Error>, Scripted) {
    let outcome = wizard::run(&mut p, raw, None, None);
    assert_eq!(
        p.remaining(),
        0,
        "unused answers; outcome: {:?}; asked: {:?}",
        outcome.as_ref().err(),
        p.asked
    );
    (outcome, p)
}

/// Answers by question key, each key's in the order it is asked; every other question takes
/// its default, so adding a question changes no script.
fn run_keyed(answers: Vec<(&str, Answer)>, raw: RawValues) -> (Result<Outcome, Error>, Scripted) {
    finish(Scripted::by_key(answers), raw)
}

/// Every answer left at its default, except the account name and Media Services, deployed
/// (the default is the foundation alone) so that its questions are asked.
fn minimal() -> Vec<(&'static str, Answer)> {
    vec![
        ("mediaServices.deploy", Yes),
        ("mediaServices.name", t("contosomedia")),
    ]
}

/// The minimal answers plus an existing VNet after the first (the spoke), reached as `reach`
/// answers (Default: through the first VNet's endpoints).
fn with_second_existing_vnet(reach: Answer) -> Vec<(&'static str, Answer)> {
    let spoke = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe";
    let mut answers = minimal();
    answers.extend([
        ("network.vnets.add", Yes),
        ("network.vnets[].kind", Default),
        ("network.vnets[].kind", pick("existing")),
        ("network.vnets[].existingSubnetId", t(spoke)),
        ("network.vnets[].location", t("westeurope")),
        ("network.vnets[].privateEndpoints", reach),
        ("network.vnets.add", No),
    ]);
    answers
}

/// What `generate --values <answers file>` gives for the wizard's answers.
fn replay(files: &[render::File], format: Format) -> Vec<render::File> {
    let answers = common::file(files, ".ams-private-link-answers.yaml");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.yaml");
    std::fs::write(&path, answers).unwrap();
    let d = model::build(values::load(Some(&path), &[]).unwrap()).unwrap();
    render::render(&d, format).unwrap()
}

#[test]
fn minimal_path_takes_the_secure_defaults() {
    let (outcome, p) = run_keyed(minimal(), empty());
    let outcome = outcome.unwrap();
    let d = &outcome.deployment;
    assert_eq!(outcome.out, PathBuf::from("out"));
    assert_eq!(outcome.format, Format::Both);
    assert_eq!(
        d.storage.name, "contosomediastore",
        "derived from the account name"
    );
    assert_eq!(d.storage.sku, "Standard_GRS");
    assert!(!d.is_public());
    assert_eq!(d.vnets.len(), 1);
    assert_eq!(d.vnets[0].key(), "vnet-contosomedia");
    // Nothing is exposed; the warnings are what a Corp landing zone would deny: zones created
    // here, and the storage public access Media Services needs.
    let rules: Vec<&str> = d.warnings.iter().map(|w| w.rule.id).collect();
    assert_eq!(
        rules,
        [
            "landing-zone/private-dns-zones",
            "landing-zone/public-network-access"
        ],
        "{:?}",
        d.warnings
    );
    // The summary was shown before anything was written.
    let summary = p.shown.last().unwrap();
    assert!(
        summary.contains("pe-contosomedia-keydelivery-vnet-contosomedia -> keydelivery"),
        "{summary}"
    );
    assert!(
        summary.contains("pe-contosomediastore-blob-vnet-contosomedia -> blob"),
        "{summary}"
    );

    let files = render::render(d, outcome.format).unwrap();
    assert_eq!(
        files,
        replay(&files, outcome.format),
        "wizard output == generate --values answers"
    );
}

#[test]
fn full_path_two_vnets_allowlists_existing_dns_two_live_events() {
    let spoke = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe";
    let hub = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones";
    let answers = vec![
        ("mediaServices.deploy", Yes),
        ("location", t("northeurope")),
        ("tags", t("env=prod; owner=media team")),
        ("mediaServices.name", t("fabrikammedia")),
        ("mediaServices.identity", pick("userAssigned")),
        ("mediaServices.minimumTlsVersion", pick("Tls13")),
        ("mediaServices.publicNetworkAccess", pick("Enabled")),
        ("mediaServices.keyDelivery.defaultAction", pick("Deny")),
        (
            "mediaServices.keyDelivery.ipAllowList",
            t("203.0.113.0/24, 2001:db8::/48"),
        ),
        ("mediaServices.encryption.type", No),
        // `default`, then premium1.
        (
            "mediaServices.streamingEndpoints[].description",
            t("Public playback"),
        ),
        ("mediaServices.streamingEndpoints[].scaleUnits", t("0")),
        ("mediaServices.streamingEndpoints[].cdnEnabled", No),
        (
            "mediaServices.streamingEndpoints[].ipAllowList",
            t("198.51.100.0/24"),
        ),
        ("mediaServices.streamingEndpoints.add", Yes),
        ("mediaServices.streamingEndpoints[].name", t("premium1")),
        ("mediaServices.streamingEndpoints[].description", t("")),
        ("mediaServices.streamingEndpoints[].scaleUnits", t("2")),
        ("mediaServices.streamingEndpoints[].cdnEnabled", No),
        (
            "mediaServices.streamingEndpoints[].ipAllowList",
            t("198.51.100.0/24 192.0.2.10"),
        ),
        ("mediaServices.streamingEndpoints.add", No),
        // Two live events.
        ("mediaServices.liveEvents.add", Yes),
        ("mediaServices.liveEvents[].name", t("studio-a")),
        (
            "mediaServices.liveEvents[].description",
            t("Studio A: it's \"live\" ${x}"),
        ),
        ("mediaServices.liveEvents[].streamingProtocol", pick("RTMP")),
        (
            "mediaServices.liveEvents[].encodingType",
            pick("PassthroughStandard"),
        ),
        (
            "mediaServices.liveEvents[].ingestAllowList",
            t("192.0.2.10"),
        ),
        ("mediaServices.liveEvents[].previewAllowList", t("")),
        ("mediaServices.liveEvents.add", Yes),
        ("mediaServices.liveEvents[].name", t("studio-b")),
        ("mediaServices.liveEvents[].description", t("")),
        (
            "mediaServices.liveEvents[].streamingProtocol",
            pick("FragmentedMP4"),
        ),
        ("mediaServices.liveEvents[].encodingType", pick("Standard")),
        (
            "mediaServices.liveEvents[].ingestAllowList",
            t("192.0.2.11"),
        ),
        (
            "mediaServices.liveEvents[].previewAllowList",
            t("203.0.113.0/24"),
        ),
        ("mediaServices.liveEvents.add", No),
        ("storage.name", t("fabrikamstore")),
        ("storage.sku", pick("Standard_RAGZRS")),
        (
            "storage.privateEndpoints",
            Picks(vec!["blob".into(), "queue".into()]),
        ),
        ("storage.ipRules", t("192.0.2.20")),
        ("eventGrid", Yes),
        ("eventGrid.destination.type", pick("storageQueue")),
        (
            "eventGrid.eventTypes",
            t("Microsoft.Media.JobFinished, Microsoft.Media.LiveEventEncoderDisconnected"),
        ),
        ("eventGrid.customTopic", Yes),
        ("eventGrid.customTopic.name", t("egt-fabrikam")),
        // VNet 1, new; VNet 2, existing, resolving through vnet-media's endpoints (hub style).
        ("network.vnets[].kind", pick("new")),
        ("network.vnets[].name", t("vnet-media")),
        ("network.vnets[].addressPrefixes", t("10.20.0.0/16")),
        ("network.vnets[].subnet.name", t("snet-pe")),
        ("network.vnets[].subnet.addressPrefix", t("10.20.1.0/24")),
        ("network.vnets.add", Yes),
        ("network.vnets[].kind", pick("existing")),
        ("network.vnets[].existingSubnetId", t(spoke)),
        ("network.vnets[].location", t("westeurope")),
        ("network.vnets.add", No),
        ("resourceManagerPrivateLink", Yes),
        (
            "resourceManagerPrivateLink.managementGroupId",
            t("not-a-guid"),
        ),
        (
            "resourceManagerPrivateLink.managementGroupId",
            t("12345678-90ab-4cde-8f01-23456789abcd"),
        ),
        ("resourceManagerPrivateLink.existingSubnetId", t(spoke)),
        (
            "privateLink.groups",
            Picks(vec![
                "keydelivery".into(),
                "streamingendpoint".into(),
                "liveevent".into(),
            ]),
        ),
        ("privateLink.dns.mode", pick("existing")),
        // The other zone IDs are offered from the first: same resource group, own zone names.
        (
            "privateLink.dns.zoneIds.media",
            t(&format!("{hub}/privatelink.media.azure.net")),
        ),
        ("out", t("build/fabrikam")),
        ("format", pick("bicep")),
        ("summary", pick("Write the files")),
    ];
    let (outcome, p) = run_keyed(answers, empty());
    assert!(
        p.rejected.iter().any(
            |(k, a, m)| k == "resourceManagerPrivateLink.managementGroupId"
                && a == "not-a-guid"
                && m.contains("tenant root")
        ),
        "{:?}",
        p.rejected
    );
    let outcome = outcome.unwrap();
    let d = &outcome.deployment;
    assert_eq!(outcome.out, PathBuf::from("build/fabrikam"));
    assert_eq!(outcome.format, Format::Bicep);
    assert_eq!(d.tags["owner"], "media team");
    assert_eq!(d.media.streaming_endpoints.len(), 2);
    assert_eq!(d.media.live_events.len(), 2);
    assert_eq!(
        d.media.live_events[1].encoding_type,
        model::EncodingType::Standard
    );
    assert_eq!(d.vnets.len(), 2);
    assert!(
        matches!(&d.vnets[1].shape, model::VnetShape::Existing(e) if e.location.as_deref() == Some("westeurope"))
    );
    assert!(matches!(&d.dns, model::Dns::Existing(z) if z.len() == 4));
    // Offered from the first zone ID and accepted as they were.
    assert_eq!(
        d.values.private_link.dns.zone_ids["queue"],
        format!("{hub}/privatelink.queue.core.windows.net")
    );
    assert_eq!(
        d.values.private_link.dns.zone_ids["resourcemanager"],
        format!("{hub}/privatelink.azure.com")
    );
    assert!(d
        .warnings
        .iter()
        .any(|w| w.subject == "live event 'studio-a' ingest"));

    // The spoke resolves through vnet-media's endpoints: none of its own, and no module.
    assert!(d.vnets[0].endpoints);
    assert!(!d.vnets[1].endpoints);
    assert_eq!(d.vnets[1].connected_to, ["vnet-media"]);
    let files = render::render(d, outcome.format).unwrap();
    assert!(!files
        .iter()
        .any(|f| f.path.contains("private-endpoints-vnet-spoke")));
    assert_eq!(files, replay(&files, outcome.format));
}

/// A second existing VNet kept isolated gets endpoints and zones of its own, in its own
/// resource group, linked to it only after the user agrees.
#[test]
fn an_isolated_second_vnet_gets_zones_of_its_own() {
    let mut answers = with_second_existing_vnet(pick("isolated"));
    // Link the zones created for vnet-spoke.
    answers.push(("network.vnets[].linkNewZones", Yes));
    let (outcome, p) = run_keyed(answers, empty());
    let outcome = outcome.unwrap();
    assert!(p.asked.iter().any(|k| k == "network.vnets[].linkNewZones"));
    let d = &outcome.deployment;
    assert!(d.vnets[1].endpoints && d.vnets[1].link_new_zones);
    assert!(matches!(
        &d.vnets[1].dns,
        model::Dns::Create(model::ZoneHome::Group { resource_group, .. }) if resource_group == "rg-spoke"
    ));
    let files = render::render(d, outcome.format).unwrap();
    assert!(files
        .iter()
        .any(|f| f.path == "bicep/modules/private-dns-zones-vnet-spoke.bicep"));
}

#[test]
fn a_rejected_answer_is_explained_and_asked_again() {
    let answers = vec![
        ("mediaServices.name", t("Contoso-Media")),
        ("mediaServices.name", t("contosomedia")),
    ];
    let (outcome, p) = run_keyed(answers, empty());
    assert!(outcome.is_ok());
    assert_eq!(p.rejected.len(), 1);
    let (key, answer, message) = &p.rejected[0];
    assert_eq!(
        (key.as_str(), answer.as_str()),
        ("mediaServices.name", "Contoso-Media")
    );
    assert!(
        message.contains("3-24 lowercase letters and digits"),
        "{message}"
    );
}

#[test]
fn subnet_outside_the_address_space_is_rejected_at_the_prompt() {
    let mut answers = minimal();
    // Subnet range: first outside the VNet, then a valid one.
    answers.extend([
        ("network.vnets[].subnet.addressPrefix", t("10.99.0.0/24")),
        ("network.vnets[].subnet.addressPrefix", t("10.10.5.0/24")),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    assert!(
        matches!(&outcome.unwrap().deployment.vnets[0].shape, model::VnetShape::New { subnet, .. } if subnet.prefix.to_string() == "10.10.5.0/24")
    );
    assert!(
        p.rejected[0]
            .2
            .contains("is not inside the VNet's address space"),
        "{:?}",
        p.rejected
    );
}

#[test]
fn going_back_from_the_summary_changes_an_answer() {
    let mut answers = minimal();
    answers.extend([
        ("summary", pick("Change an answer")),
        ("summary.section", pick("Storage account")),
        // The first pass takes the defaults; the second changes them.
        ("storage.name", Default),
        ("storage.name", t("contosoassets")),
        ("storage.sku", Default),
        ("storage.sku", pick("Standard_RAGRS")),
        ("storage.privateEndpoints", Default),
        (
            "storage.privateEndpoints",
            Picks(vec!["blob".into(), "table".into()]),
        ),
        ("storage.ipRules", Default),
        ("storage.ipRules", t("")),
        ("summary", pick("Write the files")),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    let d = outcome.unwrap().deployment;
    assert_eq!(d.storage.name, "contosoassets");
    assert_eq!(d.storage.sku, "Standard_RAGRS");
    assert_eq!(d.storage.subresources.len(), 2);
    assert_eq!(
        p.shown
            .iter()
            .filter(|s| s.contains("Resources to create"))
            .count(),
        2
    );
    // The summary states the choices a reader checks first, as changed.
    let last = p
        .shown
        .iter()
        .rev()
        .find(|s| s.contains("Resources to create"))
        .unwrap();
    assert!(last.starts_with("Location: the resource group's region\nTags: none\nStorage: contosoassets (Standard_RAGRS)\n"), "{last}");
}

#[test]
fn quitting_or_cancelling_gives_cancelled() {
    let mut answers = minimal();
    answers.push(("summary", pick("Quit without writing")));
    assert!(matches!(
        run_keyed(answers, empty()).0,
        Err(Error::Cancelled)
    ));

    let answers = vec![("mediaServices.name", Cancel)];
    assert!(matches!(
        run_keyed(answers, empty()).0,
        Err(Error::Cancelled)
    ));
}

#[test]
fn given_values_are_not_asked_again() {
    // An answers file holds every value: only the summary is left.
    let example = common::example("fully-private.yaml");
    let files = common::render_file(&example);
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.yaml");
    std::fs::write(
        &answers,
        common::file(&files, ".ams-private-link-answers.yaml"),
    )
    .unwrap();
    let raw = values::load(Some(&answers), &["storage.sku=Standard_RAGRS".into()]).unwrap();
    let mut p = Scripted::by_key([("summary", pick("Write the files"))]);
    let outcome = wizard::run(&mut p, raw, Some("o".into()), Some(Format::Arm)).unwrap();
    assert_eq!(
        p.asked,
        ["summary"],
        "a complete values file leaves only the summary"
    );
    assert_eq!(
        outcome.deployment.storage.sku, "Standard_RAGRS",
        "--set applies before the wizard"
    );

    // A partial file: only the missing parts are asked.
    let partial = dir.path().join("partial.yaml");
    std::fs::write(&partial, "mediaServices: {name: contosomedia, publicNetworkAccess: Disabled}\nstorage: {name: contosostore}\n").unwrap();
    let raw = values::load(Some(&partial), &[]).unwrap();
    let mut p = Scripted::by_key([("summary", pick("Write the files"))]);
    wizard::run(&mut p, raw, Some("o".into()), Some(Format::Both)).unwrap();
    assert!(
        !p.asked.iter().any(|k| k == "mediaServices.name"
            || k == "storage.name"
            || k == "mediaServices.publicNetworkAccess"),
        "{:?}",
        p.asked
    );
    assert_eq!(p.remaining(), 0);
}

#[test]
fn customer_managed_key_new_vault_and_existing_key() {
    // New vault; the identity is switched to userAssigned when it was systemAssigned.
    let mut answers = minimal();
    answers.extend([
        ("mediaServices.identity", pick("systemAssigned")),
        ("mediaServices.encryption.type", Yes),
        ("mediaServices.identity.switch", Yes),
        ("mediaServices.encryption.vault", pick("new")),
        ("mediaServices.encryption.keyVault.name", t("kv--bad")),
        ("mediaServices.encryption.keyVault.keyType", pick("RSA")),
        ("mediaServices.encryption.keyVault.keySize", pick("4096")),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    let d = outcome.unwrap().deployment;
    assert_eq!(d.media.identity, model::IdentityKind::UserAssigned);
    let key = d.media.customer_key().expect("customer key");
    assert!(
        matches!(&key.vault, model::KeyVault::New { name, hsm: false, key_size: 4096 } if name == "kv-contosomedia")
    );
    assert_eq!(key.key_name, "media-cmk");
    assert!(p.rejected.iter().any(
        |(k, _, m)| k == "mediaServices.encryption.keyVault.name" && m.contains("two hyphens")
    ));

    // Existing key in another subscription; a vault region other than the account's is refused.
    let vault = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-hub";
    let mut answers = minimal();
    answers.extend([
        ("location", t("westeurope")),
        ("mediaServices.encryption.type", Yes),
        ("mediaServices.encryption.vault", pick("existing")),
        ("mediaServices.encryption.existingKey.vaultId", t(vault)),
        (
            "mediaServices.encryption.existingKey.keyName",
            t("media-cmk"),
        ),
        (
            "mediaServices.encryption.existingKey.keyType",
            pick("RSA-HSM"),
        ),
        (
            "mediaServices.encryption.existingKey.location",
            t("northeurope"),
        ),
        (
            "mediaServices.encryption.existingKey.location",
            t("westeurope"),
        ),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    let d = outcome.unwrap().deployment;
    assert!(
        matches!(&d.media.customer_key().unwrap().vault, model::KeyVault::Existing { name, .. } if name == "kv-hub")
    );
    assert!(
        p.rejected
            .iter()
            .any(|(_, a, m)| a == "northeurope" && m.contains("its own region")),
        "{:?}",
        p.rejected
    );
    let files = render::render(&d, Format::Both).unwrap();
    assert!(files
        .iter()
        .any(|f| f.path == "bicep/modules/key-vault-access.bicep"));
    assert_eq!(files, replay(&files, Format::Both));
}

#[test]
fn the_foundation_alone_is_one_answer_and_the_summary_says_what_needs_media_services() {
    let answers = vec![("mediaServices.name", t("contosomedia"))];
    let (outcome, p) = run_keyed(answers, empty());
    let outcome = outcome.unwrap();
    assert!(!outcome.deployment.media.deploy);
    // The foundation is the default, asked first, and then nothing of Media Services is.
    assert_eq!(p.asked[0], "mediaServices.deploy");
    let media_only = |asked: &[String]| -> Vec<String> {
        asked
            .iter()
            .filter(|k| {
                [
                    "mediaServices.identity",
                    "mediaServices.minimumTlsVersion",
                    "mediaServices.publicNetworkAccess",
                    "mediaServices.keyDelivery",
                    "mediaServices.streamingEndpoints",
                    "mediaServices.liveEvents",
                    "privateLink.groups",
                    "privateLink.dns.zoneIds.media",
                    "eventGrid",
                    "storage.ipRules",
                ]
                .iter()
                .any(|m| k.starts_with(m))
            })
            .cloned()
            .collect()
    };
    assert!(media_only(&p.asked).is_empty(), "{:?}", p.asked);
    // Given up front (--set, or a values file), it is not asked, and neither is the rest.
    let raw = values::load(None, &["mediaServices.deploy=false".into()]).unwrap();
    let (given, q) = run_keyed(vec![("mediaServices.name", t("contosomedia"))], raw);
    assert!(!given.unwrap().deployment.media.deploy);
    assert!(
        !q.asked.iter().any(|k| k == "mediaServices.deploy"),
        "{:?}",
        q.asked
    );
    assert!(media_only(&q.asked).is_empty(), "{:?}", q.asked);
    let summary = p.shown.last().unwrap();
    assert!(
        summary.contains("Only with Media Services") && summary.contains("needs Media Services"),
        "{summary}"
    );
    let files = render::render(&outcome.deployment, outcome.format).unwrap();
    assert!(
        common::file(&files, "bicep/main.bicepparam").contains("param deployMediaServices = false")
    );
    assert_eq!(
        files,
        replay(&files, outcome.format),
        "the answers file keeps it"
    );
}

/// A choice that conflicts with an earlier answer is raised at the question that causes it,
/// and defaults follow earlier answers: after a CDN streaming endpoint, streamingendpoint is
/// not offered by default, and choosing it is refused there and asked again.
#[test]
fn defaults_follow_a_cdn_streaming_endpoint_and_a_conflict_is_raised_where_it_is_made() {
    let mut answers = minimal();
    answers.push(("mediaServices.streamingEndpoints[].cdnEnabled", Yes));
    let (outcome, _) = run_keyed(answers.clone(), empty());
    let d = outcome.unwrap().deployment;
    assert_eq!(d.groups, [model::GroupId::Keydelivery]);

    // Choose streamingendpoint anyway, then accept the default.
    answers.extend([
        (
            "privateLink.groups",
            Picks(vec!["keydelivery".into(), "streamingendpoint".into()]),
        ),
        ("privateLink.groups", Default),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    assert!(outcome.is_ok());
    assert!(
        p.shown
            .iter()
            .any(|s| s.starts_with("streamingendpoint cannot be chosen: the streaming endpoint(s) default have CDN enabled")),
        "{:?}",
        p.shown
    );
}

/// Declining the link of created zones into an existing VNet is explained at once and the DNS
/// mode is asked again, instead of a refusal after every question.
#[test]
fn declining_a_link_into_an_existing_vnet_is_explained_and_dns_asked_again() {
    let mut answers = with_second_existing_vnet(Default);
    // Decline the link, then the DNS mode is asked again; agree the second time.
    answers.extend([
        ("network.vnets[].linkNewZones", No),
        ("network.vnets[].linkNewZones", Yes),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    let d = outcome.unwrap().deployment;
    assert!(d.vnets[1].link_new_zones && !d.vnets[1].endpoints);
    assert!(p
        .shown
        .iter()
        .any(|s| s.starts_with("An existing VNet whose zones are created here needs the link")));
    assert_eq!(
        p.asked
            .iter()
            .filter(|k| *k == "privateLink.dns.mode")
            .count(),
        2
    );
}

/// Esc steps back one question at a time, each earlier answer offered again as the default.
#[test]
fn escape_steps_back_and_forward_keeps_the_earlier_answers() {
    let answers = vec![
        ("mediaServices.deploy", Yes),
        ("location", t("northeurope")),
        ("tags", t("env=prod")),
        ("mediaServices.name", Back), // back to tags
        ("tags", Back),               // back to location
        ("location", Default),        // the earlier answer
        ("tags", Default),            // the earlier answer
        ("mediaServices.name", t("contosomedia")),
    ];
    let (outcome, p) = run_keyed(answers, empty());
    let d = outcome.unwrap().deployment;
    assert_eq!(d.location.as_deref(), Some("northeurope"));
    assert_eq!(d.tags.get("env").map(String::as_str), Some("prod"));
    assert_eq!(
        p.asked[1..8],
        [
            "location",
            "tags",
            "mediaServices.name",
            "tags",
            "location",
            "tags",
            "mediaServices.name"
        ]
    );
}

#[test]
fn escape_at_a_sections_first_question_goes_back_into_the_previous_section() {
    let mut answers = minimal();
    // At public network access (the access section's first question): back to TLS.
    answers.push(("mediaServices.publicNetworkAccess", Back));
    let (outcome, p) = run_keyed(answers, empty());
    outcome.unwrap();
    assert_eq!(
        p.asked[5..9],
        [
            "mediaServices.minimumTlsVersion",
            "mediaServices.publicNetworkAccess",
            "mediaServices.minimumTlsVersion",
            "mediaServices.publicNetworkAccess"
        ]
    );
}

#[test]
fn escape_at_the_first_question_says_so_and_asks_again() {
    // Whether Media Services is deployed is the first question.
    let mut answers = vec![("mediaServices.deploy", Back)];
    answers.extend(minimal());
    let (outcome, p) = run_keyed(answers, empty());
    outcome.unwrap();
    assert!(
        p.shown
            .iter()
            .any(|s| s.contains("This is the first question")),
        "{:?}",
        p.shown
    );
    assert_eq!(
        p.asked[..2],
        ["mediaServices.deploy", "mediaServices.deploy"]
    );
}

/// From the summary, Esc opens the parts to change, and Esc inside a part asked again leaves
/// it unchanged.
#[test]
fn escape_from_a_part_asked_again_returns_to_the_summary_unchanged() {
    let mut answers = minimal();
    answers.extend([
        ("summary", Back), // at "What next?": the parts
        (
            "summary.section",
            pick("Account: Media Services or the foundation alone, location, tags, name, identity, TLS"),
        ),
        ("mediaServices.deploy", Yes), // the part asked again
        ("location", Default),         // the first pass
        ("location", t("northeurope")),
        ("tags", Default),              // the first pass
        ("tags", Back),                 // back to location
        ("location", Back),             // back to the part's first question
        ("mediaServices.deploy", Back), // out of the part
        ("summary", pick("Write the files")),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    let d = outcome.unwrap().deployment;
    assert_eq!(d.location, None, "the abandoned change was not kept");
    let n = p.asked.len();
    assert_eq!(
        p.asked[n - 8..],
        [
            "summary",
            "summary.section",
            "mediaServices.deploy",
            "location",
            "tags",
            "location",
            "mediaServices.deploy",
            "summary"
        ]
    );
}

/// Going forward again after stepping back, every kind of question offers its earlier answer:
/// a choice, a multi-select and a yes/no.
#[test]
fn stepping_back_over_each_kind_of_question_offers_its_earlier_answer() {
    let mut answers = minimal();
    answers.extend([
        ("mediaServices.minimumTlsVersion", pick("Tls13")),
        ("mediaServices.publicNetworkAccess", Back),
        ("mediaServices.minimumTlsVersion", Default),
        ("mediaServices.streamingEndpoints[].cdnEnabled", Yes),
        ("mediaServices.streamingEndpoints.add", Back),
        ("mediaServices.streamingEndpoints[].cdnEnabled", Default),
        (
            "storage.privateEndpoints",
            Picks(vec!["blob".into(), "queue".into()]),
        ),
        ("storage.ipRules", Back),
        ("storage.privateEndpoints", Default),
    ]);
    let (outcome, _) = run_keyed(answers, empty());
    let d = outcome.unwrap().deployment;
    assert_eq!(d.media.minimum_tls_version, model::TlsVersion::Tls13);
    assert!(d.media.streaming_endpoints[0].cdn_enabled);
    assert_eq!(
        d.storage.subresources,
        [
            model::StorageSubresource::Blob,
            model::StorageSubresource::Queue
        ]
    );
}

/// When a changed answer turns the path, the next question is another one: it must not be
/// offered the answer of the question it replaced (here the VNet name as a subnet ID).
#[test]
fn a_changed_answer_that_turns_the_path_offers_no_stale_default() {
    let spoke = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe";
    let mut answers = minimal();
    answers.extend([
        ("network.vnets[].kind", Default), // new
        ("network.vnets[].name", t("vnet-custom")),
        ("network.vnets[].addressPrefixes", Back),
        ("network.vnets[].name", Back),
        ("network.vnets[].kind", pick("existing")),
        ("network.vnets[].existingSubnetId", Default),
        ("network.vnets[].existingSubnetId", t(spoke)),
        ("network.vnets[].location", t("westeurope")),
        ("network.vnets[].linkNewZones", Yes),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    outcome.unwrap();
    let offered: Vec<&str> = p
        .rejected
        .iter()
        .filter(|(k, _, _)| k == "network.vnets[].existingSubnetId")
        .map(|(_, a, _)| a.as_str())
        .collect();
    assert_eq!(offered, [""], "{:?}", p.rejected);
}

/// A new endpoint's name is compared with the others as Azure compares names: without case.
#[test]
fn a_second_endpoint_named_like_the_first_in_other_letters_is_refused() {
    let mut answers = minimal();
    answers.extend([
        ("mediaServices.streamingEndpoints.add", Yes),
        ("mediaServices.streamingEndpoints[].name", t("DEFAULT")),
        ("mediaServices.streamingEndpoints[].name", t("premium1")),
        ("mediaServices.streamingEndpoints.add", No),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    outcome.unwrap();
    assert!(
        p.rejected
            .iter()
            .any(|(_, a, m)| a == "DEFAULT" && m.contains("already a streaming endpoint")),
        "{:?}",
        p.rejected
    );
}

/// On-premises networks through a hub's gateway: the wizard asks for the gateway's VNet, the
/// ranges, and a resolver in the VNet created here, offering a free /28 and its first usable
/// address; a second new VNet uses the resolver as its DNS server, a third its ruleset, and
/// the peering with the existing hub is created (the default).
#[test]
fn on_premises_networks_and_the_resolver_are_asked_for() {
    let hub = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-shared";
    let mut answers = minimal();
    answers.extend([
        ("network.vnets[].kind", Default),
        ("network.vnets[].name", t("vnet-media")),
        ("network.vnets[].addressPrefixes", t("10.60.0.0/16")),
        ("network.vnets.add", Yes),
        ("network.vnets[].kind", Default),
        ("network.vnets[].name", t("vnet-app")),
        ("network.vnets[].addressPrefixes", t("10.61.0.0/16")),
        ("network.vnets.add", Yes),
        ("network.vnets[].kind", Default),
        ("network.vnets[].name", t("vnet-build")),
        ("network.vnets[].addressPrefixes", t("10.62.0.0/16")),
        ("network.vnets.add", Yes),
        ("network.vnets[].kind", pick("existing")),
        ("network.vnets[].existingSubnetId", t(hub)),
        ("network.vnets[].location", t("westeurope")),
        ("network.vnets.add", No),
        ("network.onPremises", Yes),
        ("network.onPremises.gatewayVnet", pick("vnet-hub")),
        ("network.onPremises.addressPrefixes", t("192.168.0.0/16")),
        ("network.dnsResolver", pick("new")),
        ("network.dnsResolver.vnet", pick("vnet-media")),
        // Outside the VNet: refused at the prompt, in the rules' words, then the offer taken.
        (
            "network.dnsResolver.inboundSubnet.addressPrefix",
            t("10.99.0.0/28"),
        ),
        ("network.dnsResolver.inboundSubnet.addressPrefix", Default),
        ("network.vnets[].dnsServers", Picks(vec!["vnet-app".into()])),
        (
            "network.vnets[].forwardingRuleset",
            Picks(vec!["vnet-build".into()]),
        ),
        // The hub asks Azure DNS: the zones created here are linked into it, with its say-so.
        ("network.vnets[].linkNewZones", Yes),
        ("summary", pick("Write the files")),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    assert!(
        p.rejected.iter().any(|(key, _, message)| key
            == "network.dnsResolver.inboundSubnet.addressPrefix"
            && message.contains("is not inside the VNet's address space")),
        "{:?}",
        p.rejected
    );
    let d = outcome.unwrap().deployment;
    let resolver = d.resolver.as_ref().expect("a resolver");
    let new = resolver.new.as_ref().expect("created here");
    // The first /28 apart from the endpoints' subnet (10.60.0.0/24 offered for it).
    assert_eq!(new.inbound_subnet.prefix.to_string(), "10.60.1.0/28");
    assert_eq!(resolver.address.to_string(), "10.60.1.4");
    assert_eq!(
        new.outbound_subnet.as_ref().map(|s| s.prefix.to_string()),
        Some("10.60.1.16/28".to_owned())
    );
    assert_eq!(d.vnets[1].dns_servers, [resolver.address]);
    assert!(d.vnets[2].forwarding_ruleset);
    let op = d.on_premises.as_ref().expect("on-premises");
    assert_eq!(d.vnets[op.gateway_vnet].key(), "vnet-hub");
    // Each further VNet is peered with vnet-media by the template (the default answer); the
    // hub's peering uses the hub's gateway, so on-premises networks reach the endpoints.
    let peered: Vec<(&str, &str, Option<&str>)> = d
        .peerings
        .iter()
        .map(|p| {
            (
                d.vnets[p.a].key(),
                d.vnets[p.b].key(),
                p.gateway.map(|g| d.vnets[g].key()),
            )
        })
        .collect();
    assert_eq!(
        peered,
        [
            ("vnet-media", "vnet-app", None),
            ("vnet-media", "vnet-build", None),
            ("vnet-media", "vnet-hub", Some("vnet-hub")),
        ]
    );
    assert!(d
        .peerings
        .iter()
        .all(|p| p.mode == model::PeeringMode::Create));
    let onprem = d
        .resolution
        .clients
        .iter()
        .find(|c| c.on_premises)
        .expect("on-premises is a client");
    assert_eq!(onprem.names.len(), d.targets().len());
    assert!(onprem.names.iter().all(
        |n| matches!(&n.answer, model::Answer::Endpoint { vnet, .. } if vnet == "vnet-media")
    ));
}

/// Endpoint addresses, interface names and security groups are asked for only when the user
/// says they want to control them; then per VNet with endpoints, the pattern, the groups, an
/// existing subnet's range and a static address per documented target, each refused at the
/// prompt in the rules' words.
#[test]
fn endpoint_settings_are_asked_only_when_wanted() {
    let (outcome, p) = run_keyed(minimal(), empty());
    assert!(p
        .asked
        .iter()
        .any(|k| k == "network.vnets.endpointSettings"));
    assert!(
        !p.asked
            .iter()
            .any(|k| k.starts_with("network.vnets[].endpointSettings")),
        "{:?}",
        p.asked
    );
    assert!(
        outcome.unwrap().deployment.vnets[0].endpoint_settings
            == model::EndpointSettings::default()
    );

    let asg = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers/Microsoft.Network/applicationSecurityGroups/asg-media";
    let mut answers = minimal();
    answers.extend([
        ("network.vnets[].addressPrefixes", t("10.60.0.0/16")),
        ("network.vnets.endpointSettings", Yes),
        // Every endpoint would get the same name: refused, then a pattern that tells them apart.
        ("network.vnets[].endpointSettings.nicName", t("nic-{vnet}")),
        (
            "network.vnets[].endpointSettings.nicName",
            t("nic-{endpoint}"),
        ),
        (
            "network.vnets[].endpointSettings.applicationSecurityGroupIds",
            t(asg),
        ),
        // One of the five addresses Azure keeps: refused, then one at the top of the range.
        (
            "network.vnets[].endpointSettings.overrides.keydelivery.ipAddress",
            t("10.60.0.3"),
        ),
        (
            "network.vnets[].endpointSettings.overrides.keydelivery.ipAddress",
            t("10.60.0.250"),
        ),
        // Taken by keydelivery: refused, then another.
        (
            "network.vnets[].endpointSettings.overrides.blob.ipAddress",
            t("10.60.0.250"),
        ),
        (
            "network.vnets[].endpointSettings.overrides.blob.ipAddress",
            t("10.60.0.251"),
        ),
        ("summary", pick("Write the files")),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    let rejected: Vec<&str> = p
        .rejected
        .iter()
        .map(|(k, _, m)| {
            assert!(!m.is_empty());
            k.as_str()
        })
        .collect();
    assert_eq!(
        rejected,
        [
            "network.vnets[].endpointSettings.nicName",
            "network.vnets[].endpointSettings.overrides.keydelivery.ipAddress",
            "network.vnets[].endpointSettings.overrides.blob.ipAddress",
        ],
        "{:?}",
        p.rejected
    );
    // Members Microsoft does not document are not offered a static address.
    assert!(
        !p.asked.iter().any(|k| k.contains("streamingendpoint")),
        "{:?}",
        p.asked
    );
    let d = outcome.unwrap().deployment;
    let vnet = &d.vnets[0];
    let plans: Vec<model::EndpointPlan> =
        d.targets().iter().map(|t| vnet.endpoint_plan(t)).collect();
    let addresses: Vec<String> = plans
        .iter()
        .filter_map(|p| p.static_ip.map(|(a, m)| format!("{a} {m}")))
        .collect();
    assert_eq!(addresses, ["10.60.0.250 keydelivery", "10.60.0.251 blob"]);
    assert!(plans
        .iter()
        .all(|p| p.nic_name.starts_with("nic-pe-") && p.application_security_groups == [asg]));
}

/// In an existing subnet, static addresses need the subnet's range: asked first, refused when
/// it is not a subnet range Azure makes, then the addresses checked against it.
#[test]
fn an_existing_subnet_is_asked_for_its_range_before_its_addresses() {
    let spoke = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe";
    let mut answers = minimal();
    answers.extend([
        ("network.vnets[].kind", pick("existing")),
        ("network.vnets[].existingSubnetId", t(spoke)),
        ("network.vnets[].location", t("westeurope")),
        ("network.vnets[].linkNewZones", Yes),
        ("network.vnets.endpointSettings", Yes),
        ("network.vnets[].existingSubnetPrefix", t("10.70.1.7")),
        ("network.vnets[].existingSubnetPrefix", t("10.70.1.0/24")),
        (
            "network.vnets[].endpointSettings.overrides.keydelivery.ipAddress",
            t("10.70.2.250"),
        ),
        (
            "network.vnets[].endpointSettings.overrides.keydelivery.ipAddress",
            t("10.70.1.250"),
        ),
        ("summary", pick("Write the files")),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    let rejected: Vec<(&str, &str)> = p
        .rejected
        .iter()
        .map(|(k, _, m)| (k.as_str(), m.as_str()))
        .collect();
    assert!(
        rejected.len() == 2
            && rejected[0].1.contains("is not an IPv4 subnet range")
            && rejected[1].1.contains("is not in the subnet 10.70.1.0/24"),
        "{rejected:?}"
    );
    let d = outcome.unwrap().deployment;
    let vnet = &d.vnets[0];
    assert_eq!(
        vnet.existing()
            .and_then(|e| e.prefix)
            .map(|p| p.to_string()),
        Some("10.70.1.0/24".to_owned())
    );
    let keydelivery = d
        .targets()
        .into_iter()
        .find(|t| t.service.group_id() == "keydelivery")
        .unwrap();
    assert_eq!(
        vnet.endpoint_plan(&keydelivery)
            .static_ip
            .map(|(a, _)| a.to_string()),
        Some("10.70.1.250".to_owned())
    );
}

/// A tag without `=` is refused wherever it stands in the list, never glued to the value
/// before it.
#[test]
fn a_tag_without_a_value_is_refused_at_the_prompt() {
    let mut answers = minimal();
    answers.extend([
        ("tags", t("env=prod;owner")),
        ("tags", t("env=prod; owner=media")),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    assert!(
        p.rejected
            .iter()
            .any(|(k, _, m)| k == "tags" && m.contains("`owner` has no `=`")),
        "{:?}",
        p.rejected
    );
    let d = outcome.unwrap().deployment;
    assert_eq!(d.tags["env"], "prod");
    assert_eq!(d.tags["owner"], "media");
}

/// Turning Media Services on after answering for the foundation asks its parts then, and the
/// storage access follows (the answers never fixed it), so the design is accepted at once.
#[test]
fn turning_media_services_on_later_asks_its_parts_and_storage_follows() {
    let answers = vec![
        ("mediaServices.name", t("contosomedia")),
        ("summary", Back), // the parts, at "What next?"
        (
            "summary.section",
            pick("Account: Media Services or the foundation alone, location, tags, name, identity, TLS"),
        ),
        ("mediaServices.deploy", Default), // the first pass: the foundation
        ("mediaServices.deploy", Yes),     // the part asked again
        ("summary", pick("Write the files")),
    ];
    let (outcome, p) = run_keyed(answers, empty());
    let d = outcome.unwrap().deployment;
    assert!(d.media.deploy);
    let after = p.asked.iter().position(|k| k == "summary.section").unwrap();
    for part in [
        "mediaServices.identity",
        "mediaServices.publicNetworkAccess",
        "mediaServices.streamingEndpoints[].scaleUnits",
        "mediaServices.liveEvents.add",
        "eventGrid",
    ] {
        assert!(
            p.asked[after..].iter().any(|k| k == part),
            "{part}: {:?}",
            p.asked
        );
    }
    assert_eq!(
        d.storage.public_network_access,
        model::PublicNetworkAccess::Enabled
    );
    assert!(d.storage.shared_key);
    // Only one summary was refused: none, the design fitted at once.
    assert_eq!(p.asked.iter().filter(|k| *k == "summary").count(), 2);
}

/// `init --set storage.name=1234567`: the digits are the text typed, as for generate, and not
/// asked again.
#[test]
fn set_digits_for_a_text_key_are_text_in_the_wizard_too() {
    let raw = values::load(None, &["storage.name=1234567".into()]).unwrap();
    let (outcome, p) = run_keyed(minimal(), raw);
    assert_eq!(outcome.unwrap().deployment.storage.name, "1234567");
    assert!(
        !p.asked.iter().any(|k| k == "storage.name"),
        "{:?}",
        p.asked
    );
}

/// Policy mode asks for Azure Policy's central zones: the VNet created here is linked to them,
/// and the companion policy points the Media Services endpoints at its zone.
#[test]
fn policy_mode_asks_for_the_central_zones() {
    let hub = "/subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-connectivity-dns/providers/Microsoft.Network/privateDnsZones";
    let media = format!("{hub}/privatelink.media.azure.net");
    let mut answers = minimal();
    answers.extend([
        ("privateLink.dns.mode", pick("policy")),
        ("privateLink.dns.zoneIds.media", t("not-a-zone-id")),
        ("privateLink.dns.zoneIds.media", t(&media)),
    ]);
    let (outcome, p) = run_keyed(answers, empty());
    assert!(
        p.rejected
            .iter()
            .any(|(k, a, _)| k == "privateLink.dns.zoneIds.media" && a == "not-a-zone-id"),
        "{:?}",
        p.rejected
    );
    // The blob zone was offered from the Media Services zone's resource group and kept.
    assert!(p.asked.iter().any(|k| k == "privateLink.dns.zoneIds.blob"));
    let d = outcome.unwrap().deployment;
    let policies = d.companion_policies();
    let groups: Vec<&str> = policies.iter().map(|p| p.service.group_id()).collect();
    assert_eq!(groups, ["keydelivery", "streamingendpoint"]);
    assert!(policies.iter().all(|p| p.zone_id == media));
    assert_eq!(
        d.values
            .private_link
            .dns
            .zone_ids
            .get("blob")
            .map(String::as_str),
        Some(format!("{hub}/privatelink.blob.core.windows.net").as_str())
    );
}
