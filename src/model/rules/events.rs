//! Media Services events through Event Grid: the destination and the custom topic.

use super::*;

/// Also fills in the default queue name, so the answers file states it.
pub(super) fn check_event_grid(c: &mut Checker, values: &mut Values) -> Option<EventGrid> {
    const BASE: &str = "/eventGrid/destination";
    let eg = values.event_grid.as_mut()?;
    let dest = &mut eg.destination;
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
            let queue = dest
                .queue_name
                .get_or_insert_with(|| DEFAULT_QUEUE.to_owned())
                .clone();
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
