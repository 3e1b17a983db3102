//! The Media Services account, its streaming endpoints and live events, and the outputs.

use super::*;

pub(crate) fn media_account(d: &Deployment, roles: &[String]) -> Resource {
    let m = &d.media;
    let (identity, storage_identity, storage_auth) = match m.identity {
        IdentityKind::UserAssigned => (
            Expr::object([
                ("type", Expr::str("UserAssigned")),
                (
                    "userAssignedIdentities",
                    Expr::Object(vec![(Expr::id(S_IDENTITY), Expr::Object(Vec::new()))]),
                ),
            ]),
            Expr::object([
                ("userAssignedIdentity", Expr::id(S_IDENTITY)),
                ("useSystemAssignedIdentity", Expr::Bool(false)),
            ]),
            Expr::str("ManagedIdentity"),
        ),
        IdentityKind::SystemAssigned => (
            Expr::object([("type", Expr::str("SystemAssigned"))]),
            Expr::object([("useSystemAssignedIdentity", Expr::Bool(true))]),
            Expr::param(P_STORAGE_AUTH),
        ),
    };
    let mut key_delivery = vec![(
        "defaultAction",
        Expr::str(match m.key_delivery_default {
            DefaultAction::Deny => "Deny",
            DefaultAction::Allow => "Allow",
        }),
    )];
    // The list only means something with Deny (it must be empty with Allow); an empty one is
    // left out, not written blank. Nothing is left to clear: Media Services refuses updates
    // to existing accounts since its retirement, so this only ever creates.
    if m.key_delivery_default == DefaultAction::Deny && !m.key_delivery_allow.is_empty() {
        let list = m.key_delivery_allow.iter().map(display_net);
        key_delivery.push(("ipAllowList", Expr::strings(list)));
    }
    let mut r = Resource::new(S_MEDIA, "Microsoft.Media/mediaservices", api::MEDIA, Expr::param(P_MEDIA_NAME))
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::var(V_TAGS))
        .with("identity", identity)
        .with(
            "properties",
            Expr::object([
                (
                    "storageAccounts",
                    Expr::Array(vec![Expr::object([
                        ("id", Expr::id(S_STORAGE)),
                        ("type", Expr::str("Primary")),
                        ("identity", storage_identity),
                    ])]),
                ),
                ("storageAuthentication", storage_auth),
                ("encryption", encryption(d)),
                (
                    "publicNetworkAccess",
                    Expr::str(match m.public_network_access {
                        PublicNetworkAccess::Disabled => "Disabled",
                        PublicNetworkAccess::Enabled => "Enabled",
                    }),
                ),
                (
                    "keyDelivery",
                    Expr::object([("accessControl", Expr::object(key_delivery))]),
                ),
                (
                    "minimumTlsVersion",
                    Expr::str(match m.minimum_tls_version {
                        TlsVersion::Tls12 => "Tls12",
                        TlsVersion::Tls13 => "Tls13",
                    }),
                ),
            ]),
        )
        .comment(match m.public_network_access {
            PublicNetworkAccess::Disabled => "The Media Services account. publicNetworkAccess Disabled: every endpoint (key delivery, streaming, live ingest) answers only through private endpoints.",
            PublicNetworkAccess::Enabled => "The Media Services account. publicNetworkAccess Enabled: the IP allowlists on key delivery, streaming endpoints and live events decide who reaches it from the internet.",
        });
    if m.identity == IdentityKind::UserAssigned {
        // The roles must exist before the account first touches its storage.
        r.depends_on = roles.to_vec();
    }
    r
}

/// The account's `encryption`: Microsoft's keys, or the customer key through the identity.
pub(crate) fn encryption(d: &Deployment) -> Expr {
    let Some(key) = d.media.customer_key() else {
        return Expr::object([("type", Expr::str("SystemKey"))]);
    };
    // Versionless: Media Services follows the key's newest version after a rotation.
    let key_url = match &key.vault {
        KeyVault::New { .. } => Expr::Reference {
            symbol: S_VAULT_KEY.into(),
            path: vec!["keyUri".into()],
            full: false,
        },
        KeyVault::Existing { .. } => Expr::format(
            format!("{{0}}keys/{}", key.key_name),
            vec![Expr::Reference {
                symbol: S_EXISTING_VAULT.into(),
                path: vec!["vaultUri".into()],
                full: false,
            }],
        ),
    };
    Expr::object([
        ("type", Expr::str("CustomerKey")),
        (
            "keyVaultProperties",
            Expr::object([("keyIdentifier", key_url)]),
        ),
        (
            "identity",
            Expr::object([
                ("userAssignedIdentity", Expr::id(S_IDENTITY)),
                ("useSystemAssignedIdentity", Expr::Bool(false)),
            ]),
        ),
    ])
}

/// The documented way to admit no public address: one entry for 0.0.0.0/32, which no client
/// can come from. Streaming endpoints need it (no list means every IPv4 address); live events
/// get it too instead of an empty list (which also admits none, but arm-ttk refuses blanks).
fn deny_all_public() -> Expr {
    Expr::Array(vec![Expr::object([
        ("name", Expr::str("denyAllPublic")),
        ("address", Expr::str("0.0.0.0")),
        ("subnetPrefixLength", Expr::Int(32)),
    ])])
}

/// An IP allowlist, or the deny-all entry when it is empty.
pub(crate) fn ip_allow(entries: &[AllowEntry]) -> Expr {
    if entries.is_empty() {
        return deny_all_public();
    }
    Expr::Array(
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                Expr::object([
                    ("name", Expr::str(format!("allow{}", i + 1))),
                    ("address", Expr::str(e.address())),
                    ("subnetPrefixLength", Expr::Int(i64::from(e.prefix_len()))),
                ])
            })
            .collect(),
    )
}

pub(crate) fn streaming_endpoint(syms: &Symbols, e: &StreamingEndpoint) -> Resource {
    let mut props = Vec::new();
    if let Some(text) = &e.description {
        props.push(("description", Expr::str(text)));
    }
    props.push(("scaleUnits", Expr::Int(i64::from(e.scale_units))));
    props.push(("cdnEnabled", Expr::Bool(e.cdn_enabled)));
    if !e.cdn_enabled {
        // No accessControl would mean "every IPv4 address".
        props.push((
            "accessControl",
            Expr::object([("ip", Expr::object([("allow", ip_allow(&e.allow))]))]),
        ));
    }
    let comment = if e.name == DEFAULT_STREAMING_ENDPOINT {
        "The streaming endpoint every account is created with; declared here so it carries the same restriction. Deploys stopped."
    } else {
        "Streaming endpoint. Deploys stopped (see DEPLOY.md to start it)."
    };
    let mut r = Resource::new(
        syms.get("streamingEndpoint", &e.name),
        "Microsoft.Media/mediaservices/streamingEndpoints",
        api::MEDIA_STREAMING,
        Expr::str(&e.name),
    )
    .with("location", Expr::param(P_LOCATION))
    .with("tags", Expr::var(V_TAGS))
    .with("properties", Expr::object(props))
    .comment(comment);
    r.parent = Some(S_MEDIA.into());
    r
}

pub(crate) fn live_event(syms: &Symbols, e: &LiveEvent) -> Resource {
    let mut props = Vec::new();
    if let Some(text) = &e.description {
        props.push(("description", Expr::str(text)));
    }
    let access = |entries: &[AllowEntry]| {
        Expr::object([("ip", Expr::object([("allow", ip_allow(entries))]))])
    };
    props.push((
        "input",
        Expr::object([
            (
                "streamingProtocol",
                Expr::str(match e.streaming_protocol {
                    StreamingProtocol::Rtmp => "RTMP",
                    StreamingProtocol::FragmentedMP4 => "FragmentedMP4",
                }),
            ),
            ("accessControl", access(&e.ingest_allow)),
        ]),
    ));
    props.push((
        "preview",
        Expr::object([("accessControl", access(&e.preview_allow))]),
    ));
    props.push((
        "encoding",
        Expr::object([(
            "encodingType",
            Expr::str(match e.encoding_type {
                EncodingType::PassthroughBasic => "PassthroughBasic",
                EncodingType::PassthroughStandard => "PassthroughStandard",
                EncodingType::Standard => "Standard",
                EncodingType::Premium1080p => "Premium1080p",
            }),
        )]),
    ));
    let mut r = Resource::new(
        syms.get("liveEvent", &e.name),
        "Microsoft.Media/mediaservices/liveEvents",
        api::MEDIA_STREAMING,
        Expr::str(&e.name),
    )
    .with("location", Expr::param(P_LOCATION))
    .with("tags", Expr::var(V_TAGS))
    .with("properties", Expr::object(props))
    .comment(
        "Live event. An ingest or preview list left empty in the values admits no public address (the deny-all entry). Deploys stopped.",
    );
    r.parent = Some(S_MEDIA.into());
    r
}

pub(crate) fn outputs(d: &Deployment) -> Vec<Output> {
    let mut out = vec![
        Output {
            name: "mediaServicesAccountId".into(),
            ty: ParamType::String,
            description: "Resource ID of the Media Services account.".into(),
            value: Expr::id(S_MEDIA),
        },
        Output {
            name: "storageAccountId".into(),
            ty: ParamType::String,
            description: "Resource ID of the storage account.".into(),
            value: Expr::id(S_STORAGE),
        },
    ];
    let principal = match d.media.identity {
        IdentityKind::UserAssigned => Expr::Reference {
            symbol: S_IDENTITY.into(),
            path: vec!["principalId".into()],
            full: false,
        },
        IdentityKind::SystemAssigned => Expr::Reference {
            symbol: S_MEDIA.into(),
            path: vec!["identity".into(), "principalId".into()],
            full: true,
        },
    };
    out.push(Output {
        name: "identityPrincipalId".into(),
        ty: ParamType::String,
        description: "Principal ID of the identity Media Services uses for storage (not a secret)."
            .into(),
        value: principal,
    });
    out
}
