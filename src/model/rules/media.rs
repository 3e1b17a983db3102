//! Media Services: key delivery, the streaming endpoints (with the `default` every account
//! has) and the live events, and the group IDs that need them.

use super::*;

/// The allowlists parsed, and the endpoints and live events as the model holds them.
pub(super) fn check_media(
    c: &mut Checker,
    values: &mut Values,
) -> (Vec<IpNet>, Vec<StreamingEndpoint>, Vec<LiveEvent>) {
    let ms = &values.media_services;

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
        ms.streaming_endpoints.iter().map(|e| e.name.as_str()),
    );
    let wants_se_link = values
        .private_link
        .groups
        .contains(&GroupId::Streamingendpoint);
    let mut streaming_endpoints = Vec::new();
    for (i, e) in ms.streaming_endpoints.iter().enumerate() {
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

    if lacks_default_streaming_endpoint(ms.streaming_endpoints.iter().map(|e| e.name.as_str())) {
        let closed = default_streaming_endpoint();
        streaming_endpoints.insert(
            0,
            StreamingEndpoint {
                name: closed.name.clone(),
                description: None,
                scale_units: closed.scale_units,
                cdn_enabled: closed.cdn_enabled,
                allow: Vec::new(),
                file_index: None,
            },
        );
        values.media_services.streaming_endpoints.insert(0, closed);
    }

    (key_delivery_allow, streaming_endpoints, live_events)
}
