//! Private endpoints (one group ID each) with their zone groups, here or in a module for an existing subnet.

use super::*;

/// How endpoint resources refer to what they connect to: symbols at the top level,
/// parameters inside a module.
pub(crate) struct EndpointRefs {
    pub(crate) media_name: Expr,
    pub(crate) media_id: Expr,
    pub(crate) storage_name: Expr,
    pub(crate) storage_id: Expr,
    /// The optional services' resources: name and ID of each.
    pub(crate) optional: Vec<(Service, Expr, Expr)>,
    pub(crate) tags: Expr,
}

/// A resource of an optional service that gets private endpoints, as its own builder
/// describes it: how the endpoints refer to it, and the parameters a module receives it by.
pub(crate) struct OptionalTarget {
    pub(crate) service: Service,
    /// For parameter descriptions, e.g. `Event Grid topic`.
    pub(crate) what: &'static str,
    pub(crate) name_param: &'static str,
    pub(crate) id_param: &'static str,
    pub(crate) name: Expr,
    pub(crate) id: Expr,
}

impl OptionalTarget {
    /// How the top-level endpoints refer to it: the same expressions a module is given.
    pub(crate) fn refs(self) -> (Service, Expr, Expr) {
        (self.service, self.name, self.id)
    }
}

/// The two halves of a deployment: what deploys today, and what needs Media Services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Foundation,
    Media,
}

fn part_of(service: Service) -> Part {
    if service.needs_media() {
        Part::Media
    } else {
        Part::Foundation
    }
}

/// A name of the catalogue's with `{0}` in it for the resource's name, as an expression: a
/// format of the name parameter, or a literal when the name does not contain it.
fn name_expr(text: String, resource_name: &Expr) -> Expr {
    if text.contains("{0}") {
        Expr::format(text, vec![resource_name.clone()])
    } else {
        Expr::str(text)
    }
}

/// The targets with endpoints of the given parts, in the order they are made in one subnet:
/// the foundation's before Media Services' (whose module comes later), and in each part those
/// with static addresses first, before a dynamic endpoint can take their address.
fn in_order(d: &Deployment, vnet: &Vnet, parts: &[Part]) -> Vec<Target> {
    let mut targets: Vec<Target> = d
        .targets()
        .into_iter()
        .filter(|t| parts.contains(&part_of(t.service)))
        .collect();
    targets.sort_by_key(|t| {
        (
            part_of(t.service) == Part::Media,
            vnet.endpoint_plan(t).static_ip.is_none(),
        )
    });
    targets
}

/// The endpoints of every catalogue target in `vnet` (of the given parts), each with its zone
/// group when `zone_id` names a zone. They are made one after another: the network provider
/// fails endpoints made side by side in one subnet now and then (`AnotherOperationInProgress`).
pub(crate) fn endpoints(
    syms: &Symbols,
    d: &Deployment,
    vnet: &Vnet,
    refs: &EndpointRefs,
    subnet_id: &Expr,
    zone_id: &dyn Fn(Zone) -> Option<Expr>,
    parts: &[Part],
) -> Vec<Resource> {
    let mut out = Vec::new();
    let mut previous: Option<String> = None;
    for target in in_order(d, vnet, parts) {
        let (resource_name, service_id) = match target.service {
            Service::Media(_) => (&refs.media_name, &refs.media_id),
            Service::Storage(_) | Service::StorageSecondary(_) => {
                (&refs.storage_name, &refs.storage_id)
            }
            Service::ResourceManager => continue,
            // The optional services: listed by `optional_targets` when the deployment has them.
            service @ (Service::Vault | Service::Topic) => {
                match refs.optional.iter().find(|(s, ..)| *s == service) {
                    Some((_, name, id)) => (name, id),
                    None => continue,
                }
            }
        };
        let label = target.service.label();
        let pe_symbol = syms.get(&format!("pe{}", camel(label)), vnet.key());
        let plan = vnet.endpoint_plan(&target);
        let template_target = target.templated();
        let pattern = vnet.nic_pattern(&target);
        let mut endpoint = private_endpoint(&EndpointSpec {
            symbol: &pe_symbol,
            name: name_expr(template_target.endpoint_name(vnet.key()), resource_name),
            nic: name_expr(template_target.nic_name(vnet.key(), pattern), resource_name),
            // The template's or the module's own `location` parameter: the VNet's region.
            location: Expr::param(P_LOCATION),
            tags: refs.tags.clone(),
            subnet_id: subnet_id.clone(),
            service_id: service_id.clone(),
            group: target.service.group_id(),
            static_ip: plan.static_ip,
            application_security_groups: &plan.application_security_groups,
            comment: format!(
                "Private endpoint for {} `{label}` in {}: one group ID per endpoint.",
                target.service.what(),
                vnet.key()
            ),
        });
        if let Some(p) = previous.replace(pe_symbol.clone()) {
            endpoint.depends_on.push(p);
        }
        out.push(endpoint);
        if let Some(zone_id) = zone_id(target.service.zone()) {
            out.push(zone_group(&pe_symbol, target.service.zone(), zone_id));
        }
    }
    out
}

/// What one private endpoint needs; shared by every template that creates endpoints.
pub(crate) struct EndpointSpec<'a> {
    pub symbol: &'a str,
    pub name: Expr,
    pub nic: Expr,
    pub location: Expr,
    pub tags: Expr,
    pub subnet_id: Expr,
    pub service_id: Expr,
    pub group: &'a str,
    /// A static address and the member name it is for.
    pub static_ip: Option<(std::net::Ipv4Addr, &'static str)>,
    pub application_security_groups: &'a [String],
    pub comment: String,
}

pub(crate) fn private_endpoint(e: &EndpointSpec) -> Resource {
    let mut properties = vec![
        ("subnet", Expr::object([("id", e.subnet_id.clone())])),
        ("customNetworkInterfaceName", e.nic.clone()),
    ];
    if let Some((address, member)) = e.static_ip {
        properties.push((
            "ipConfigurations",
            Expr::Array(vec![Expr::object([
                ("name", Expr::str(format!("ipconfig-{member}"))),
                (
                    "properties",
                    Expr::object([
                        ("groupId", Expr::str(e.group)),
                        ("memberName", Expr::str(member)),
                        ("privateIPAddress", Expr::str(address.to_string())),
                    ]),
                ),
            ])]),
        ));
    }
    if !e.application_security_groups.is_empty() {
        properties.push((
            "applicationSecurityGroups",
            Expr::Array(
                e.application_security_groups
                    .iter()
                    .map(|id| Expr::object([("id", Expr::existing_id(id))]))
                    .collect(),
            ),
        ));
    }
    properties.push((
        "privateLinkServiceConnections",
        Expr::Array(vec![Expr::object([
            ("name", e.name.clone()),
            (
                "properties",
                Expr::object([
                    ("privateLinkServiceId", e.service_id.clone()),
                    ("groupIds", Expr::strings([e.group])),
                ]),
            ),
        ])]),
    ));
    Resource::new(
        e.symbol,
        "Microsoft.Network/privateEndpoints",
        api::NETWORK,
        e.name.clone(),
    )
    .with("location", e.location.clone())
    .with("tags", e.tags.clone())
    .with("properties", Expr::object(properties))
    .comment(e.comment.clone())
}

/// The one zone group of an endpoint, registering it in its zone.
pub(crate) fn zone_group(pe_symbol: &str, zone: Zone, zone_id: Expr) -> Resource {
    let mut r = Resource::new(
        format!("{pe_symbol}Dns"),
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        api::NETWORK,
        Expr::str("default"),
    )
    .with(
        "properties",
        Expr::object([(
            "privateDnsZoneConfigs",
            Expr::Array(vec![Expr::object([
                ("name", Expr::str(zone.key())),
                ("properties", Expr::object([("privateDnsZoneId", zone_id)])),
            ])]),
        )]),
    )
    .comment("Registers the endpoint's addresses in the private DNS zone.");
    r.parent = Some(pe_symbol.to_owned());
    r
}

pub(crate) fn zone_param(zone: Zone) -> String {
    format!("{}PrivateDnsZoneId", zone.key())
}

pub(crate) fn endpoint_module(
    syms: &Symbols,
    d: &Deployment,
    vnet: &Vnet,
    e: &ExistingSubnet,
    part: Part,
) -> Option<Module> {
    let media = part == Part::Media;
    let string_param =
        |name: &str, description: &str| Param::new(name, ParamType::String, description);
    let mut params = vec![(
        string_param(
            P_LOCATION,
            "Region of the existing VNet (a private endpoint lives in its VNet's region).",
        ),
        e.location
            .as_ref()
            .map_or(Expr::param(P_LOCATION), Expr::str),
    )];
    // A target's name (for endpoint names) and ID (to connect to), as two parameters.
    let target_params = |params: &mut Vec<(Param, Expr)>,
                         what: &str,
                         (name_param, name): (&str, Expr),
                         (id_param, id): (&str, Expr)| {
        let mut capital = what.to_owned();
        if let Some(first) = capital.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        params.push((
            string_param(
                name_param,
                &format!("{capital} name (used in endpoint names)."),
            ),
            name,
        ));
        params.push((
            string_param(id_param, &format!("Resource ID of the {what}.")),
            id,
        ));
        (Expr::param(name_param), Expr::param(id_param))
    };
    if media && !d.groups.is_empty() {
        target_params(
            &mut params,
            "Media Services account",
            (P_MEDIA_NAME, Expr::param(P_MEDIA_NAME)),
            (P_MEDIA_ID, Expr::id(S_MEDIA)),
        );
    }
    if !media && !d.storage.subresources.is_empty() {
        target_params(
            &mut params,
            "storage account",
            (P_STORAGE_NAME, Expr::param(P_STORAGE_NAME)),
            (P_STORAGE_ID, Expr::id(S_STORAGE)),
        );
    }
    let zones: BTreeSet<Zone> = d
        .zones()
        .into_iter()
        .filter(|z| zone_id_for(d, vnet, *z).is_some() && (*z == Zone::Media) == media)
        .collect();
    for zone in &zones {
        if let Some(id) = zone_id_for(d, vnet, *zone) {
            params.push((
                string_param(
                    &zone_param(*zone),
                    &format!("Resource ID of the private DNS zone for {}.", zone.key()),
                ),
                id,
            ));
        }
    }
    let targets = d.targets();
    let optional = optional_targets(d)
        .into_iter()
        .filter(|o| part_of(o.service) == part && targets.iter().any(|t| t.service == o.service))
        .map(|o| {
            let (name, id) = target_params(
                &mut params,
                o.what,
                (o.name_param, o.name),
                (o.id_param, o.id),
            );
            (o.service, name, id)
        })
        .collect();
    let refs = EndpointRefs {
        media_name: Expr::param(P_MEDIA_NAME),
        media_id: Expr::param(P_MEDIA_ID),
        storage_name: Expr::param(P_STORAGE_NAME),
        storage_id: Expr::param(P_STORAGE_ID),
        optional,
        tags: Expr::var(V_TAGS),
    };
    let zone_id = |z: Zone| zones.contains(&z).then(|| Expr::Param(zone_param(z)));
    let resources = endpoints(
        syms,
        d,
        vnet,
        &refs,
        &Expr::existing_id(&e.id),
        &zone_id,
        &[part],
    );
    if resources.is_empty() {
        return None;
    }
    let (prefix, file, what) = match part {
        Part::Foundation => ("endpoints", "private-endpoints", "Private endpoints"),
        Part::Media => (
            "mediaEndpoints",
            "media-private-endpoints",
            "Media Services private endpoints",
        ),
    };
    Some(Module {
        // The zones its zone groups write into, when a module of this part creates them.
        depends_on: zone_module_symbol(syms, d, vnet, part)
            .filter(|_| !zones.is_empty())
            .into_iter()
            .collect(),
        params,
        resources,
        ..Module::in_group(
            syms.get(prefix, vnet.key()),
            format!("modules/{file}-{}.bicep", vnet.key()),
            &e.subscription_id,
            &e.resource_group,
            format!(
                "{what} in the existing VNet {} (resource group {}, subscription {}): an endpoint must be in its VNet's subscription and region.",
                e.vnet_name, e.resource_group, e.subscription_id
            ),
        )
    })
}
