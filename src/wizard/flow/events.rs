//! Media Services events (Event Grid) questions.

use super::*;

pub(super) fn events(p: &mut dyn Prompter, st: &mut State, change: bool) -> Result<()> {
    const BASE: &str = "/eventGrid";
    if !change && st.is_given(BASE) {
        return Ok(());
    }
    let wanted = p.confirm(
        &Question {
            key: "eventGrid",
            message: "Send Media Services events (jobs, live events) to Event Grid?",
            help: "A system topic on the account delivers them; storage queue and event hub deliveries use its managed identity",
        },
        st.get(BASE).is_some(),
    )?;
    if !wanted {
        st.remove(BASE);
        return Ok(());
    }
    let current = st.get_str(&format!("{BASE}/destination/type"));
    let kinds = ["storageQueue", "eventHub", "webhook"];
    let kind = p.select(
        &Question {
            key: "eventGrid.destination.type",
            message: "Where do the events go?",
            help: "A queue on the media storage account stays private behind its firewall",
        },
        &[
            "storageQueue — a queue on the media storage account".to_owned(),
            "eventHub — an existing event hub, any subscription".to_owned(),
            "webhook — an HTTPS endpoint (its URL is supplied at deployment, never stored)"
                .to_owned(),
        ],
        kinds
            .iter()
            .position(|k| Some(*k) == current.as_deref())
            .unwrap_or(0),
    )?;
    let kind = *picked(&kinds, kind)?;
    let mut destination = json!({"type": kind});
    match kind {
        "storageQueue" => {
            let ptr = format!("{BASE}/destination/queueName");
            let queue = p.text(
                &Question {
                    key: "eventGrid.destination.queueName",
                    message: "Queue name",
                    help: "3-63 lowercase letters, digits and single hyphens",
                },
                Some(
                    st.get_str(&ptr)
                        .as_deref()
                        .unwrap_or(crate::model::DEFAULT_QUEUE),
                ),
                schema_check(&ptr),
            )?;
            destination["queueName"] = json!(queue.trim());
        }
        "eventHub" => {
            let ptr = format!("{BASE}/destination/eventHubId");
            let id = p.text(
                &Question {
                    key: "eventGrid.destination.eventHubId",
                    message: "Event hub resource ID",
                    help: "az eventhubs eventhub show -g <rg> --namespace-name <ns> -n <hub> --query id -o tsv",
                },
                st.get_str(&ptr).as_deref(),
                schema_check(&ptr),
            )?;
            destination["eventHubId"] = json!(id.trim());
        }
        _ => {}
    }
    let types_check: Check = Arc::new(|s: &str| {
        split_list(s)
            .iter()
            .try_for_each(|t| schema::check_value("/eventGrid/eventTypes/0", &json!(t)))
    });
    let types = p.text(
        &Question {
            key: "eventGrid.eventTypes",
            message: "Event types to deliver (empty: all)",
            help: "e.g. Microsoft.Media.JobFinished, Microsoft.Media.LiveEventEncoderDisconnected",
        },
        Some(&join_list(st.get(&format!("{BASE}/eventTypes")))),
        types_check,
    )?;
    let had_topic = st.get_str(&format!("{BASE}/customTopic/name"));
    let mut eg = json!({"destination": destination, "eventTypes": split_list(&types)});
    let topic = p.confirm(
        &Question {
            key: "eventGrid.customTopic",
            message: "Also create a private custom topic for your own forwarding?",
            help: "No public access and Entra ID only; your code inside the VNet publishes to it through its private endpoint",
        },
        had_topic.is_some(),
    )?;
    if topic {
        let account = st.get_str("/mediaServices/name").unwrap_or_default();
        let ptr = format!("{BASE}/customTopic/name");
        let name = p.text(
            &Question {
                key: "eventGrid.customTopic.name",
                message: "Custom topic name",
                help: "3-50 letters, digits and hyphens",
            },
            Some(had_topic.as_deref().unwrap_or(&format!("egt-{account}"))),
            schema_check(&ptr),
        )?;
        eg["customTopic"] = json!({"name": name.trim()});
    }
    st.put(BASE, eg);
    Ok(())
}
