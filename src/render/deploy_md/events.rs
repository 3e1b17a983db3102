//! DEPLOY.md: the Media Services events section (`templates/deploy/events.md.tera`).

use serde::Serialize;

use crate::model::*;

/// What the events section reads.
#[derive(Serialize)]
pub(super) struct EventsView<'a> {
    events: bool,
    events_types: String,
    events_kind: &'static str,
    events_queue: &'a str,
    events_hub: String,
    events_topic: &'a str,
}

pub(super) fn events_view(d: &Deployment) -> EventsView<'_> {
    let eg = d.event_grid.as_ref();
    let destination = eg.map(|e| &e.destination);
    EventsView {
        events: eg.is_some(),
        events_types: eg.map(|e| e.event_types.join(", ")).unwrap_or_default(),
        events_kind: match destination {
            Some(Destination::StorageQueue { .. }) => "storageQueue",
            Some(Destination::EventHub { .. }) => "eventHub",
            Some(Destination::Webhook) => "webhook",
            None => "",
        },
        events_queue: match destination {
            Some(Destination::StorageQueue { queue }) => queue,
            _ => "",
        },
        events_hub: match destination {
            Some(Destination::EventHub { namespace, hub, .. }) => format!("{namespace}/{hub}"),
            _ => String::new(),
        },
        events_topic: eg
            .and_then(|e| e.custom_topic.as_deref())
            .unwrap_or_default(),
    }
}
