//! Media Services events through Event Grid: the destination and the custom topic.

use super::*;

/// A storage queue destination without a queue name gets the default one.
pub(super) fn fill_event_grid_defaults(values: &mut Values) {
    if let Some(dest) = values.event_grid.as_mut().map(|e| &mut e.destination) {
        if dest.kind == DestinationKind::StorageQueue {
            dest.queue_name
                .get_or_insert_with(|| DEFAULT_QUEUE.to_owned());
        }
    }
}

pub(super) fn check_event_grid(c: &mut Checker, values: &Values) -> Option<EventGrid> {
    const BASE: &str = "/eventGrid/destination";
    let eg = values.event_grid.as_ref()?;
    let dest = &eg.destination;
    let not_for = |c: &mut Checker, key: &str, kind: &str| {
        c.fail(
            &format!("{BASE}/{key}"),
            format!("{key} is not used with destination type {kind}"),
            "remove it, or change destination.type",
        );
    };
    let destination = match dest.kind {
        DestinationKind::StorageQueue => {
            if dest.event_hub_id.is_some() {
                not_for(c, "eventHubId", "storageQueue");
            }
            // Always there: fill_event_grid_defaults named it.
            let queue = dest.queue_name.clone().unwrap_or_default();
            Destination::StorageQueue { queue }
        }
        DestinationKind::EventHub => {
            if dest.queue_name.is_some() {
                not_for(c, "queueName", "eventHub");
            }
            match &dest.event_hub_id {
                None => {
                    c.fail(
                        &format!("{BASE}/type"),
                        "destination eventHub needs eventHubId, the resource ID of an existing event hub",
                        "add eventGrid.destination.eventHubId: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.EventHub/namespaces/<ns>/eventhubs/<hub>",
                    );
                    return None;
                }
                Some(id) => {
                    match ResourceId::parse_as(id, "Microsoft.EventHub/namespaces/eventhubs") {
                        Some(hub) => Destination::EventHub {
                            id: id.clone(),
                            subscription_id: hub.subscription_id.to_lowercase(),
                            resource_group: hub.resource_group.to_owned(),
                            namespace: hub.names[0].to_owned(),
                            hub: hub.names[1].to_owned(),
                        },
                        None => {
                            c.fail(
                                &format!("{BASE}/eventHubId"),
                                format!("`{id}` is not an event hub resource ID"),
                                "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.EventHub/namespaces/<ns>/eventhubs/<hub>",
                            );
                            return None;
                        }
                    }
                }
            }
        }
        DestinationKind::Webhook => {
            for (key, present) in [
                ("queueName", dest.queue_name.is_some()),
                ("eventHubId", dest.event_hub_id.is_some()),
            ] {
                if present {
                    not_for(c, key, "webhook");
                }
            }
            Destination::Webhook
        }
    };
    Some(EventGrid {
        destination,
        event_types: eg.event_types.clone(),
        custom_topic: eg.custom_topic.as_ref().map(|t| t.name.clone()),
    })
}

/// Events that leave over the internet, and a topic that only takes events from the VNets.
pub(super) fn event_grid_warnings(d: &Deployment) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(eg) = &d.event_grid {
        if matches!(eg.destination, Destination::Webhook) {
            out.push(warn(
                &rules::WEBHOOK,
                "/eventGrid/destination",
                "Event Grid webhook",
                "events are delivered over the internet to the webhook; its URL is the secure deployment parameter eventGridWebhookUrl",
            ));
        }
        if let Some(topic) = &eg.custom_topic {
            out.push(warn(
                &rules::TOPIC_PRIVATE,
                "/eventGrid/customTopic",
                format!("Event Grid topic '{topic}'"),
                "public network access is disabled, so Event Grid itself cannot deliver into it: publish to it from inside the VNets (for example a function reading the events)",
            ));
        }
    }
    out
}

/// The private custom topic.
pub(super) fn topic_doors(d: &Deployment) -> Vec<Door> {
    let mut out = Vec::new();
    if let Some(topic) = d.event_grid.as_ref().and_then(|e| e.custom_topic.as_ref()) {
        out.push(door(
            (TargetResource::Topic, "Event Grid topic"),
            format!("Event Grid topic {topic}"),
            (
                Internet::Closed,
                "publicNetworkAccess Disabled on the topic".into(),
            ),
            "/eventGrid/customTopic".into(),
            private_from(d, |s| s == Service::Topic),
        ));
    }
    out
}
