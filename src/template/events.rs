//! Media Services events through Event Grid, and the optional private custom topic.

use super::*;

// Roles, parameters and symbols of the events.
pub(crate) const ROLE_STORAGE_QUEUE_DATA_MESSAGE_SENDER: BuiltInRole = BuiltInRole {
    name: "Storage Queue Data Message Sender",
    id: "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
};
pub(crate) const ROLE_EVENT_HUBS_DATA_SENDER: BuiltInRole = BuiltInRole {
    name: "Azure Event Hubs Data Sender",
    id: "2b629674-e913-4c01-ae53-ef4638d8f975",
};
pub(crate) const P_TOPIC_NAME: &str = "eventGridTopicName";
pub(crate) const P_TOPIC_ID: &str = "eventGridTopicId";
pub(crate) const P_WEBHOOK_URL: &str = "eventGridWebhookUrl";
/// Where the Bicep parameters file reads the webhook URL from.
pub(crate) const WEBHOOK_ENV: &str = "EVENTGRID_WEBHOOK_URL";
pub(crate) const S_SYSTEM_TOPIC: &str = "eventGridSystemTopic";
pub(crate) const S_TOPIC: &str = "eventGridTopic";
pub(crate) const S_QUEUE_SERVICE: &str = "queueService";
pub(crate) const S_QUEUE: &str = "eventQueue";
pub(crate) const S_QUEUE_ROLE: &str = "roleStorageQueueDataMessageSender";
pub(crate) const S_HUB_ACCESS: &str = "eventHubAccess";

/// The webhook URL: a secure parameter, never written to a file.
pub(crate) fn event_grid_params(d: &Deployment) -> Option<Param> {
    let eg = d.event_grid.as_ref()?;
    if !matches!(eg.destination, Destination::Webhook) {
        return None;
    }
    let mut url = Param::new(
        P_WEBHOOK_URL,
        ParamType::SecureString,
        "HTTPS endpoint that receives the Media Services events. A secret (it usually carries a key): supply it at deployment, never in a file.",
    );
    url.from_env = Some(WEBHOOK_ENV);
    Some(url)
}

pub(crate) fn topic_name(d: &Deployment) -> Option<&str> {
    d.event_grid
        .as_ref()
        .and_then(|e| e.custom_topic.as_deref())
}

/// The private custom topic, for its endpoints.
pub(crate) fn topic_target(d: &Deployment) -> Option<OptionalTarget> {
    topic_name(d).map(|name| OptionalTarget {
        service: Service::Topic,
        what: "Event Grid topic",
        name_param: P_TOPIC_NAME,
        id_param: P_TOPIC_ID,
        name: Expr::str(name),
        id: Expr::id(S_TOPIC),
    })
}

/// Media Services events: a system topic on the account, its destination, and the grants
/// that let the topic's identity deliver; optionally a private custom topic.
pub(crate) fn event_grid_resources(eg: &EventGrid, t: &mut Template) {
    let topic_principal = Expr::Reference {
        symbol: S_SYSTEM_TOPIC.into(),
        path: vec!["identity".into(), "principalId".into()],
        full: true,
    };
    t.resources.push(
        Resource::new(
            S_SYSTEM_TOPIC,
            "Microsoft.EventGrid/systemTopics",
            api::EVENT_GRID,
            Expr::format("egst-{0}", vec![Expr::param(P_MEDIA_NAME)]),
        )
        .with("location", Expr::param(P_LOCATION))
        .with("tags", Expr::var(V_TAGS))
        .with("identity", Expr::object([("type", Expr::str("SystemAssigned"))]))
        .with(
            "properties",
            Expr::object([
                ("source", Expr::id(S_MEDIA)),
                ("topicType", Expr::str("Microsoft.Media.MediaServices")),
            ]),
        )
        .comment("The account's events (jobs, live events) as an Event Grid system topic; its identity delivers them."),
    );
    let managed = |endpoint_type: &str, properties: Expr| {
        Expr::object([(
            "deliveryWithResourceIdentity",
            Expr::object([
                (
                    "identity",
                    Expr::object([("type", Expr::str("SystemAssigned"))]),
                ),
                (
                    "destination",
                    Expr::object([
                        ("endpointType", Expr::str(endpoint_type)),
                        ("properties", properties),
                    ]),
                ),
            ]),
        )])
    };
    let (delivery, wait_for) = match &eg.destination {
        Destination::StorageQueue { queue } => {
            // Every StorageV2 account has its `default` queue service; the queue hangs off it.
            let mut service = Resource::new(
                S_QUEUE_SERVICE,
                "Microsoft.Storage/storageAccounts/queueServices",
                api::STORAGE,
                Expr::str("default"),
            )
            .existing_in(ExistingIn::Here);
            service.parent = Some(S_STORAGE.into());
            t.resources.push(service);
            let mut q = Resource::new(
                S_QUEUE,
                "Microsoft.Storage/storageAccounts/queueServices/queues",
                api::STORAGE,
                Expr::str(queue),
            )
            .with(
                "properties",
                Expr::object([("metadata", Expr::Object(Vec::new()))]),
            )
            .comment("Queue the Media Services events are delivered to.");
            q.parent = Some(S_QUEUE_SERVICE.into());
            t.resources.push(q);
            t.resources.push(role(
                S_QUEUE_ROLE,
                S_QUEUE,
                ROLE_STORAGE_QUEUE_DATA_MESSAGE_SENDER,
                topic_principal.clone(),
                Expr::id(S_SYSTEM_TOPIC),
                "Storage Queue Data Message Sender on the queue only, for the system topic's identity (through the storage firewall as a trusted service).",
            ));
            (
                managed(
                    "StorageQueue",
                    Expr::object([
                        ("resourceId", Expr::id(S_STORAGE)),
                        ("queueName", Expr::str(queue)),
                        ("queueMessageTimeToLiveInSeconds", Expr::Int(604_800)),
                    ]),
                ),
                S_QUEUE_ROLE.to_owned(),
            )
        }
        Destination::EventHub {
            id,
            subscription_id,
            resource_group,
            namespace,
            hub,
        } => {
            let ns = Resource::new(
                "eventHubNamespace",
                "Microsoft.EventHub/namespaces",
                api::EVENT_HUB,
                Expr::param("namespaceName"),
            )
            .existing_in(ExistingIn::Here);
            let mut eh = Resource::new(
                "eventHub",
                "Microsoft.EventHub/namespaces/eventhubs",
                api::EVENT_HUB,
                Expr::param("eventHubName"),
            )
            .existing_in(ExistingIn::Here);
            eh.parent = Some("eventHubNamespace".into());
            let grant = role(
                "roleEventHubsDataSender",
                "eventHub",
                ROLE_EVENT_HUBS_DATA_SENDER,
                Expr::param("principalId"),
                // Known before deployment, unlike the principal ID (what-if stays precise).
                Expr::param(P_PRINCIPAL_OWNER_ID),
                "Azure Event Hubs Data Sender on the hub only, for the system topic's identity.",
            );
            t.modules.push(Module {
                params: vec![
                    (Param::new("namespaceName", ParamType::String, "Event Hubs namespace of the existing hub."), Expr::str(namespace)),
                    (Param::new("eventHubName", ParamType::String, "Name of the existing event hub."), Expr::str(hub)),
                    (Param::new("principalId", ParamType::String, "Principal ID of the system topic's identity."), topic_principal.clone()),
                    (Param::new(P_PRINCIPAL_OWNER_ID, ParamType::String, "Resource ID of the system topic that owns that identity (names the role assignment)."), Expr::id(S_SYSTEM_TOPIC)),
                ],
                resources: vec![ns, eh, grant],
                ..Module::in_group(
                    S_HUB_ACCESS,
                    "modules/event-hub-access.bicep",
                    subscription_id,
                    resource_group,
                    format!("Grants the Event Grid system topic's identity send rights on the existing event hub {namespace}/{hub} (resource group {resource_group}, subscription {subscription_id})."),
                )
            });
            (
                managed(
                    "EventHub",
                    Expr::object([("resourceId", Expr::existing_id(id))]),
                ),
                S_HUB_ACCESS.to_owned(),
            )
        }
        Destination::Webhook => (
            Expr::object([(
                "destination",
                Expr::object([
                    ("endpointType", Expr::str("WebHook")),
                    (
                        "properties",
                        Expr::object([
                            ("endpointUrl", Expr::param(P_WEBHOOK_URL)),
                            ("maxEventsPerBatch", Expr::Int(1)),
                            ("preferredBatchSizeInKilobytes", Expr::Int(64)),
                        ]),
                    ),
                ]),
            )]),
            String::new(),
        ),
    };
    let Expr::Object(mut props) = delivery else {
        return;
    };
    if !eg.event_types.is_empty() {
        props.push((
            Expr::str("filter"),
            Expr::object([("includedEventTypes", Expr::strings(&eg.event_types))]),
        ));
    }
    props.push((
        Expr::str("eventDeliverySchema"),
        Expr::str("EventGridSchema"),
    ));
    props.push((
        Expr::str("retryPolicy"),
        Expr::object([
            ("maxDeliveryAttempts", Expr::Int(30)),
            ("eventTimeToLiveInMinutes", Expr::Int(1440)),
        ]),
    ));
    let mut sub = Resource::new(
        "eventGridSubscription",
        "Microsoft.EventGrid/systemTopics/eventSubscriptions",
        api::EVENT_GRID,
        Expr::str("media-events"),
    )
    .with("properties", Expr::Object(props))
    .comment("Delivers the account's events to the chosen destination.");
    sub.parent = Some(S_SYSTEM_TOPIC.into());
    if !wait_for.is_empty() {
        sub.depends_on.push(wait_for);
    }
    t.resources.push(sub);

    if let Some(name) = &eg.custom_topic {
        t.resources.push(
            Resource::new(S_TOPIC, "Microsoft.EventGrid/topics", api::EVENT_GRID, Expr::str(name))
                .with("location", Expr::param(P_LOCATION))
                .with("tags", Expr::var(V_TAGS))
                .with("identity", Expr::object([("type", Expr::str("SystemAssigned"))]))
                .with(
                    "properties",
                    Expr::object([
                        ("inputSchema", Expr::str("EventGridSchema")),
                        ("publicNetworkAccess", Expr::str("Disabled")),
                        ("disableLocalAuth", Expr::Bool(true)),
                        ("minimumTlsVersionAllowed", Expr::str("1.2")),
                    ]),
                )
                .comment("Custom topic for forwarding events inside your network: no public access, Entra ID authentication only; reached through its private endpoints."),
        );
    }
}
