//! Streaming endpoint and live event questions.

use super::*;

pub(super) fn streaming_endpoints(
    p: &mut dyn Prompter,
    st: &mut State,
    change: bool,
) -> Result<()> {
    const LIST: &str = "/mediaServices/streamingEndpoints";
    if !change && st.is_given(LIST) {
        return Ok(());
    }
    if change {
        keep_entries(
            p,
            st,
            LIST,
            "mediaServices.streamingEndpoints",
            "streaming endpoints",
        )?;
    }
    let entries = st.list(LIST);
    let names = entries
        .iter()
        .filter_map(|e| e.get("name").and_then(Value::as_str));
    if crate::model::lacks_default_streaming_endpoint(names) {
        let closed = serde_json::to_value(crate::model::default_streaming_endpoint())
            .map_err(|e| crate::error::Error::Internal(format!("the default endpoint: {e}")))?;
        let mut entries = entries.clone();
        entries.insert(0, closed);
        st.put(LIST, Value::Array(entries));
    }
    for i in 0..st.list(LIST).len() {
        streaming_endpoint_details(p, st, i)?;
    }
    while p.confirm(
        &Question {
            key: "mediaServices.streamingEndpoints.add",
            message: "Add another streaming endpoint?",
            help: "Accounts allow 2 by default; a Premium endpoint (scale units) gives dedicated bandwidth",
        },
        false,
    )? {
        let i = st.list(LIST).len();
        let taken = names_in(st, LIST);
        let name_ptr = format!("{LIST}/{i}/name");
        let name = p.text(
            &Question {
                key: "mediaServices.streamingEndpoints[].name",
                message: "Streaming endpoint name",
                help: "1-24 letters, digits and inner hyphens; part of its host name",
            },
            None,
            all_of(vec![schema_check(&name_ptr), unique_check(taken, "streaming endpoint")]),
        )?;
        st.put(
            &format!("{LIST}/{i}"),
            json!({"name": name.trim(), "scaleUnits": 0, "cdnEnabled": false, "ipAllowList": []}),
        );
        streaming_endpoint_details(p, st, i)?;
    }
    Ok(())
}

pub(super) fn streaming_endpoint_details(
    p: &mut dyn Prompter,
    st: &mut State,
    i: usize,
) -> Result<()> {
    let base = format!("/mediaServices/streamingEndpoints/{i}");
    let name = st.get_str(&format!("{base}/name")).unwrap_or_default();
    description(p, st, &base, &name)?;
    let units_ptr = format!("{base}/scaleUnits");
    let current = st
        .get(&units_ptr)
        .and_then(Value::as_i64)
        .unwrap_or(0)
        .to_string();
    let message = format!("Scale units for `{name}` (0 = Standard)");
    let units = p.text(
        &Question {
            key: "mediaServices.streamingEndpoints[].scaleUnits",
            message: &message,
            help: "0 shares bandwidth (Standard); each unit adds 200 Mbps of dedicated egress (Premium)",
        },
        Some(&current),
        int_check(&units_ptr),
    )?;
    st.put(&units_ptr, json!(units.trim().parse::<i64>().unwrap_or(0)));
    let cdn_ptr = format!("{base}/cdnEnabled");
    let message = format!("Serve `{name}` through Azure CDN?");
    let cdn = p.confirm(
        &Question {
            key: "mediaServices.streamingEndpoints[].cdnEnabled",
            message: &message,
            help: "A CDN endpoint cannot be reached through private link and ignores IP allowlists",
        },
        st.get(&cdn_ptr).and_then(Value::as_bool).unwrap_or(false),
    )?;
    st.put(&cdn_ptr, json!(cdn));
    let allow_ptr = format!("{base}/ipAllowList");
    if st.is_public() && !cdn {
        let message = format!("Addresses allowed to stream from `{name}` (empty: none)");
        let default = join_list(st.get(&allow_ptr));
        let answer = p.text(
            &Question {
                key: "mediaServices.streamingEndpoints[].ipAllowList",
                message: &message,
                help: "Without a list a streaming endpoint is open to every IPv4 address; empty here closes it",
            },
            Some(&default),
            allowlist_check(),
        )?;
        st.put(&allow_ptr, json!(split_list(&answer)));
    } else {
        st.put(&allow_ptr, json!([]));
    }
    Ok(())
}

pub(super) fn live_events(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const LIST: &str = "/mediaServices/liveEvents";
    if !change && st.is_given(LIST) {
        return Ok(());
    }
    if change {
        keep_entries(p, st, LIST, "mediaServices.liveEvents", "live events")?;
        for i in 0..st.list(LIST).len() {
            live_event_details(p, st, i)?;
        }
    }
    while p.confirm(
        &Question {
            key: "mediaServices.liveEvents.add",
            message: "Add a live event?",
            help: "An ingest point for a live stream; accounts allow 5 by default",
        },
        false,
    )? {
        let i = st.list(LIST).len();
        let taken = names_in(st, LIST);
        let name_ptr = format!("{LIST}/{i}/name");
        let name = p.text(
            &Question {
                key: "mediaServices.liveEvents[].name",
                message: "Live event name",
                help: "1-32 letters, digits and inner hyphens",
            },
            Some(&format!("live{}", i + 1)),
            all_of(vec![
                schema_check(&name_ptr),
                unique_check(taken, "live event"),
            ]),
        )?;
        st.put(
            &format!("{LIST}/{i}"),
            json!({"name": name.trim(), "streamingProtocol": "RTMP", "encodingType": "PassthroughStandard", "ingestAllowList": [], "previewAllowList": []}),
        );
        live_event_details(p, st, i)?;
    }
    Ok(())
}

pub(super) fn live_event_details(p: &mut dyn Prompter, st: &mut State, i: usize) -> Result<()> {
    let base = format!("/mediaServices/liveEvents/{i}");
    let name = st.get_str(&format!("{base}/name")).unwrap_or_default();
    description(p, st, &base, &name)?;
    let protocols: Vec<String> = enum_options(&format!("{base}/streamingProtocol"));
    let options: Vec<(&str, &str)> = protocols.iter().map(|o| (o.as_str(), "")).collect();
    choice(
        p,
        st,
        &format!("{base}/streamingProtocol"),
        Ask {
            message: "Ingest protocol",
            help: "Fixed at creation: RTMP for most encoders, FragmentedMP4 for Smooth ingest",
        },
        &options,
        true,
    )?;
    let encodings: Vec<String> = enum_options(&format!("{base}/encodingType"));
    let options: Vec<(&str, &str)> = encodings.iter().map(|o| (o.as_str(), "")).collect();
    choice(
        p,
        st,
        &format!("{base}/encodingType"),
        Ask {
            message: "Encoding",
            help: "Passthrough keeps your encoder's ladder; Standard/Premium1080p transcode in the cloud (billed per hour)",
        },
        &options,
        true,
    )?;
    for (field, key, message, help) in [
        (
            "ingestAllowList",
            "mediaServices.liveEvents[].ingestAllowList",
            "Encoder addresses allowed to push from the internet (empty: none)",
            "Empty means only encoders reaching it through the liveevent private endpoint",
        ),
        (
            "previewAllowList",
            "mediaServices.liveEvents[].previewAllowList",
            "Addresses allowed to watch the preview (empty: none)",
            "The preview is for checking the feed before it goes out; keep it to the production team",
        ),
    ] {
        let pointer = format!("{base}/{field}");
        if st.is_public() {
            let default = join_list(st.get(&pointer));
            let answer = p.text(&Question { key, message, help }, Some(&default), allowlist_check())?;
            st.put(&pointer, json!(split_list(&answer)));
        } else {
            st.put(&pointer, json!([]));
        }
    }
    Ok(())
}
