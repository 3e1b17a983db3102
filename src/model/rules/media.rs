//! Media Services: key delivery, the streaming endpoints (with the `default` every account
//! has) and the live events, and the group IDs that need them.

use super::*;

/// Adds `default` ahead of the endpoints when the values leave it out; true when it did.
pub(super) fn fill_media_defaults(values: &mut Values) -> bool {
    let endpoints = &mut values.media_services.streaming_endpoints;
    let lacks = lacks_default_streaming_endpoint(endpoints.iter().map(|e| e.name.as_str()));
    if lacks {
        endpoints.insert(0, default_streaming_endpoint());
    }
    lacks
}

/// The allowlists parsed, and the endpoints and live events as the model holds them.
/// `default_added`: the first streaming endpoint is the `default` the file left out.
pub(super) fn check_media(
    c: &mut Checker,
    values: &Values,
    default_added: bool,
) -> (Vec<IpNet>, Vec<StreamingEndpoint>, Vec<LiveEvent>) {
    let ms = &values.media_services;
    // The endpoints the file gives, at their own indexes.
    let written = &ms.streaming_endpoints[usize::from(default_added)..];

    // Key delivery.
    let key_delivery_allow = c.nets(
        "/mediaServices/keyDelivery/ipAllowList",
        &ms.key_delivery.ip_allow_list,
    );
    if ms.key_delivery.default_action == DefaultAction::Allow
        && !ms.key_delivery.ip_allow_list.is_empty()
    {
        c.fail(
            "/mediaServices/keyDelivery/ipAllowList",
            "an allowlist has no effect when defaultAction is Allow (Azure rejects the combination)",
            "set defaultAction: Deny to restrict key delivery to these addresses, or remove the list",
        );
    }

    // Streaming endpoints (the user's, at their own indexes).
    c.unique_names(
        "/mediaServices/streamingEndpoints",
        "streaming endpoint",
        written.iter().map(|e| e.name.as_str()),
    );
    let wants_se_link = values
        .private_link
        .groups
        .contains(&GroupId::Streamingendpoint);
    let mut streaming_endpoints = Vec::new();
    if let Some(closed) = ms.streaming_endpoints.first().filter(|_| default_added) {
        streaming_endpoints.push(StreamingEndpoint {
            name: closed.name.clone(),
            description: None,
            scale_units: closed.scale_units,
            cdn_enabled: closed.cdn_enabled,
            allow: Vec::new(),
            file_index: None,
        });
    }
    for (i, e) in written.iter().enumerate() {
        let pointer = format!("/mediaServices/streamingEndpoints/{i}");
        let allow = c.allow_list(&format!("{pointer}/ipAllowList"), &e.ip_allow_list);
        if e.cdn_enabled && wants_se_link {
            c.fail(
                &format!("{pointer}/cdnEnabled"),
                format!("streaming endpoint `{}` has CDN enabled, and a CDN endpoint cannot be reached through private link (the CDN serves the traffic)", e.name),
                "set cdnEnabled: false to stream privately, or remove streamingendpoint from privateLink.groups if this endpoint is meant to be public through the CDN",
            );
        }
        if e.cdn_enabled && !e.ip_allow_list.is_empty() {
            c.fail(
                &format!("{pointer}/ipAllowList"),
                format!(
                    "streaming endpoint `{}` has CDN enabled, which turns its IP allowlist off",
                    e.name
                ),
                "remove ipAllowList (restrict at the CDN instead) or set cdnEnabled: false",
            );
        }
        streaming_endpoints.push(StreamingEndpoint {
            name: e.name.clone(),
            description: e.description.clone(),
            scale_units: e.scale_units,
            cdn_enabled: e.cdn_enabled,
            allow,
            file_index: Some(i),
        });
    }

    // Live events.
    c.unique_names(
        "/mediaServices/liveEvents",
        "live event",
        ms.live_events.iter().map(|e| e.name.as_str()),
    );
    let mut live_events = Vec::new();
    for (i, e) in ms.live_events.iter().enumerate() {
        let pointer = format!("/mediaServices/liveEvents/{i}");
        live_events.push(LiveEvent {
            name: e.name.clone(),
            description: e.description.clone(),
            streaming_protocol: e.streaming_protocol,
            encoding_type: e.encoding_type,
            ingest_allow: c.allow_list(&format!("{pointer}/ingestAllowList"), &e.ingest_allow_list),
            preview_allow: c.allow_list(
                &format!("{pointer}/previewAllowList"),
                &e.preview_allow_list,
            ),
        });
    }

    // Group IDs need something to connect to.
    if values.private_link.groups.contains(&GroupId::Liveevent) && ms.live_events.is_empty() {
        let i = values
            .private_link
            .groups
            .iter()
            .position(|g| *g == GroupId::Liveevent)
            .unwrap_or(0);
        c.fail(
            &format!("/privateLink/groups/{i}"),
            "a liveevent private endpoint is requested but the account has no live events, so it would connect to nothing",
            "add a live event under mediaServices.liveEvents, or remove liveevent from privateLink.groups",
        );
    }

    (key_delivery_allow, streaming_endpoints, live_events)
}

/// Where a streaming endpoint is written; the `default` the file leaves out is only there as
/// part of the list.
fn streaming_endpoint_pointer(e: &StreamingEndpoint) -> String {
    e.file_index.map_or_else(
        || "/mediaServices/streamingEndpoints".to_owned(),
        |i| format!("/mediaServices/streamingEndpoints/{i}"),
    )
}

/// Key delivery's allowlist as the entries a door and its warning are read from.
fn key_delivery_entries(media: &Media) -> Vec<AllowEntry> {
    media
        .key_delivery_allow
        .iter()
        .map(|n| AllowEntry { net: *n })
        .collect()
}

/// The account's doors left open, or closed with nothing private behind them.
pub(super) fn media_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    let media = &d.media;
    let public = d.is_public();

    if public {
        out.push(warn(
            &rules::PUBLIC_ACCESS,
            "/mediaServices/publicNetworkAccess",
            "Media Services account",
            "publicNetworkAccess is Enabled: the private endpoints add a private path but do not close the public one; only the IP allowlists below restrict internet access",
        ));
        if media.key_delivery_default == DefaultAction::Allow {
            out.push(warn(
                &rules::OPEN_TO_ALL,
                "/mediaServices/keyDelivery/defaultAction",
                "key delivery",
                "defaultAction is Allow: any internet address can request content keys",
            ));
        } else {
            let entries = key_delivery_entries(media);
            out.extend(allowlist(
                "/mediaServices/keyDelivery/ipAllowList".into(),
                "key delivery".into(),
                &entries,
            ));
        }
        for e in &media.streaming_endpoints {
            let subject = format!("streaming endpoint '{}'", e.name);
            let at = streaming_endpoint_pointer(e);
            if e.cdn_enabled {
                out.push(warn(&rules::CDN, format!("{at}/cdnEnabled"), subject, "CDN is enabled: content is served publicly through the CDN and no IP allowlist applies"));
            } else {
                out.extend(allowlist(format!("{at}/ipAllowList"), subject, &e.allow));
            }
        }
        for (i, e) in media.live_events.iter().enumerate() {
            for (what, key, allow) in [
                ("ingest", "ingestAllowList", &e.ingest_allow),
                ("preview", "previewAllowList", &e.preview_allow),
            ] {
                out.extend(allowlist(
                    format!("/mediaServices/liveEvents/{i}/{key}"),
                    format!("live event '{}' {what}", e.name),
                    allow,
                ));
            }
        }
    } else {
        let has_live = !media.live_events.is_empty();
        if has_live && !d.groups.contains(&GroupId::Liveevent) {
            out.push(warn(
                &rules::UNREACHABLE,
                "/privateLink/groups",
                "live events",
                "publicNetworkAccess is Disabled and there is no liveevent private endpoint: no encoder can reach the live events",
            ));
        }
        if !d.groups.contains(&GroupId::Streamingendpoint) {
            out.push(warn(
                &rules::UNREACHABLE,
                "/privateLink/groups",
                "streaming endpoints",
                "publicNetworkAccess is Disabled and there is no streamingendpoint private endpoint: no player can reach the streaming endpoints",
            ));
        }
    }
    out
}

/// Key delivery, each streaming endpoint, and each live event's ingest and preview.
pub(super) fn media_doors(d: &Deployment) -> Vec<Door> {
    let mut out = Vec::new();
    let media = &d.media;
    let closed_account = || {
        (
            Internet::Closed,
            "publicNetworkAccess Disabled on the account".to_owned(),
        )
    };
    let public = d.is_public();
    let key_delivery = if !public {
        closed_account()
    } else if media.key_delivery_default == DefaultAction::Allow {
        (Internet::Everyone, "keyDelivery defaultAction Allow".into())
    } else {
        let entries = key_delivery_entries(media);
        listed(
            &entries,
            "keyDelivery defaultAction Deny, empty allowlist",
            "keyDelivery allowlist",
        )
    };
    out.push(door(
        (TargetResource::Media, "key delivery"),
        "key delivery".into(),
        key_delivery,
        if public {
            "/mediaServices/keyDelivery".into()
        } else {
            "/mediaServices/publicNetworkAccess".into()
        },
        private_from(d, |s| s == Service::Media(GroupId::Keydelivery)),
    ));
    for e in &media.streaming_endpoints {
        let at = streaming_endpoint_pointer(e);
        let reach = if !public {
            closed_account()
        } else if e.cdn_enabled {
            (Internet::Everyone, "served through Azure CDN".into())
        } else {
            listed(&e.allow, "empty allowlist (deny-all entry)", "ipAllowList")
        };
        out.push(door(
            (TargetResource::Media, "streaming endpoint"),
            format!("streaming endpoint '{}'", e.name),
            reach,
            if public {
                at
            } else {
                "/mediaServices/publicNetworkAccess".into()
            },
            private_from(d, |s| s == Service::Media(GroupId::Streamingendpoint)),
        ));
    }
    for (i, e) in media.live_events.iter().enumerate() {
        for (what, key, allow) in [
            ("ingest", "ingestAllowList", &e.ingest_allow),
            ("preview", "previewAllowList", &e.preview_allow),
        ] {
            let reach = if public {
                listed(allow, "empty allowlist (deny-all entry)", key)
            } else {
                closed_account()
            };
            out.push(door(
                (TargetResource::Media, &format!("live event {what}")),
                format!("live event '{}' {what}", e.name),
                reach,
                if public {
                    format!("/mediaServices/liveEvents/{i}/{key}")
                } else {
                    "/mediaServices/publicNetworkAccess".into()
                },
                private_from(d, |s| s == Service::Media(GroupId::Liveevent)),
            ));
        }
    }
    out
}
