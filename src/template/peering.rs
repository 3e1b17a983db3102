//! The peerings between VNets of the list that the design declares connected: both halves, the
//! one in an existing VNet by a nested deployment in that VNet's resource group. A peering that
//! carries on-premises traffic uses the gateway's VNet's gateway (gateway transit).
//!
//! Azure facts (shared/docs/azure-facts.md §3.2c): a peering is a child of each of the two
//! VNets; `useRemoteGateways` needs the remote VNet to have a gateway and the remote half to
//! allow gateway transit; a VNet redeployed without its peerings in its body keeps them
//! (what-if shows them as deleted, Azure/arm-template-whatif#163).

use super::*;

const PEERING: &str = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings";

/// One half of a peering, in VNet `local`, to VNet `remote`.
struct Half<'a> {
    local: &'a Vnet,
    remote: &'a Vnet,
    /// This half lets the remote VNet use the local VNet's gateway.
    allow_gateway_transit: bool,
    /// This half uses the remote VNet's gateway.
    use_remote_gateways: bool,
}

fn halves<'a>(d: &'a Deployment, p: &Peering) -> [Half<'a>; 2] {
    let half = |local: usize, remote: usize| Half {
        local: &d.vnets[local],
        remote: &d.vnets[remote],
        allow_gateway_transit: p.gateway == Some(local),
        use_remote_gateways: p.gateway == Some(remote),
    };
    [half(p.a, p.b), half(p.b, p.a)]
}

/// The remote VNet's ID as the half's template sees it: a symbol in the main template, a
/// parameter inside a module for a new VNet, a literal ID for an existing one.
fn remote_id(syms: &Symbols, remote: &Vnet, in_module: bool) -> Expr {
    match (&remote.shape, in_module) {
        (VnetShape::Existing(e), _) => Expr::existing_id(&e.vnet_id()),
        (VnetShape::New { .. }, false) => Expr::id(&vnet_symbol(syms, remote)),
        (VnetShape::New { .. }, true) => Expr::param(&id_param(remote)),
    }
}

fn half_resource(syms: &Symbols, h: &Half, parent: &str, name: Expr, remote: Expr) -> Resource {
    let symbol = syms.get(&format!("{parent}PeeringTo"), h.remote.key());
    let mut r = Resource::new(symbol, PEERING, api::NETWORK, name)
        .with(
            "properties",
            Expr::object([
                ("allowVirtualNetworkAccess", Expr::Bool(true)),
                ("allowForwardedTraffic", Expr::Bool(false)),
                ("allowGatewayTransit", Expr::Bool(h.allow_gateway_transit)),
                ("useRemoteGateways", Expr::Bool(h.use_remote_gateways)),
                ("remoteVirtualNetwork", Expr::object([("id", remote)])),
            ]),
        )
        .comment(half_comment(h));
    r.parent = Some(parent.to_owned());
    r
}

fn half_comment(h: &Half) -> String {
    let mut text = format!(
        "Peers {} with {}, so that their clients reach each other's private endpoints.",
        h.local.key(),
        h.remote.key()
    );
    if h.allow_gateway_transit {
        text.push_str(" It lets the peer use this VNet's gateway, through which on-premises networks come in.");
    }
    if h.use_remote_gateways {
        text.push_str(" It uses the peer's gateway, so on-premises networks reach this VNet.");
    }
    text
}

/// The halves in one existing VNet, deployed by a module in its resource group.
struct RemoteHalves<'a> {
    vnet: &'a Vnet,
    subnet: &'a ExistingSubnet,
    resources: Vec<Resource>,
    params: Vec<(Param, Expr)>,
    depends_on: Vec<String>,
}

/// The peerings the template creates: halves in new VNets as resources of the main template,
/// halves in existing VNets in one module per VNet. A half that uses the peer's gateway waits
/// for the half that allows it, as Microsoft's gateway-transit walkthrough creates them.
pub(crate) fn peerings(syms: &Symbols, d: &Deployment) -> (Vec<Resource>, Vec<Module>) {
    let mut resources = Vec::new();
    let mut remote: BTreeMap<String, RemoteHalves> = BTreeMap::new();
    for p in d.peerings.iter().filter(|p| p.mode == PeeringMode::Create) {
        let mut allowing: Option<String> = None;
        let mut using: Vec<usize> = Vec::new();
        let mut using_remote: Vec<String> = Vec::new();
        for h in halves(d, p) {
            match &h.local.shape {
                VnetShape::New { .. } => {
                    let name = Expr::str(format!("{}-to-{}", h.local.key(), h.remote.key()));
                    let parent = vnet_symbol(syms, h.local);
                    let r =
                        half_resource(syms, &h, &parent, name, remote_id(syms, h.remote, false));
                    if h.allow_gateway_transit {
                        allowing = Some(r.symbol.clone());
                    }
                    if h.use_remote_gateways {
                        using.push(resources.len());
                    }
                    resources.push(r);
                }
                VnetShape::Existing(e) => {
                    let entry =
                        remote
                            .entry(e.vnet_id().to_lowercase())
                            .or_insert_with(|| RemoteHalves {
                                vnet: h.local,
                                subnet: e,
                                resources: Vec::new(),
                                params: Vec::new(),
                                depends_on: Vec::new(),
                            });
                    existing_half(syms, &h, entry);
                    if h.allow_gateway_transit {
                        allowing = Some(syms.get("peerings", h.local.key()));
                    }
                    if h.use_remote_gateways {
                        using_remote.push(e.vnet_id().to_lowercase());
                    }
                }
            }
        }
        if let Some(symbol) = allowing {
            using
                .iter()
                .for_each(|i| resources[*i].depends_on.push(symbol.clone()));
            for key in &using_remote {
                if let Some(r) = remote.get_mut(key) {
                    r.depends_on.push(symbol.clone());
                }
            }
        }
    }
    let modules = remote
        .into_values()
        .map(|r| peering_module(syms, r))
        .collect();
    (one_at_a_time(resources), modules)
}

/// The halves are made one after another: each changes both its VNet and the remote one, and
/// the network provider refuses a second change to a VNet while one is in progress
/// (`AnotherOperationInProgress`).
fn one_at_a_time(mut resources: Vec<Resource>) -> Vec<Resource> {
    let mut previous: Option<String> = None;
    for r in &mut resources {
        if let Some(p) = previous.replace(r.symbol.clone()) {
            if !r.depends_on.contains(&p) {
                r.depends_on.push(p);
            }
        }
    }
    resources
}

/// A half in an existing VNet. Its name carries a hash of the remote VNet's ID: the VNet is
/// someone else's, and a peering of the same name there must not be taken over.
fn existing_half(syms: &Symbols, h: &Half, into: &mut RemoteHalves) {
    let parent = "virtualNetwork";
    if into.resources.is_empty() {
        into.resources.push(
            Resource::new(
                parent,
                "Microsoft.Network/virtualNetworks",
                api::NETWORK,
                Expr::str(&into.subnet.vnet_name),
            )
            .existing_in(ExistingIn::Here),
        );
    }
    let remote = remote_id(syms, h.remote, true);
    if let Expr::Param(name) = &remote {
        into.params.push((
            Param::new(
                name,
                ParamType::String,
                format!(
                    "Resource ID of the VNet {} created by the parent deployment.",
                    h.remote.key()
                ),
            ),
            Expr::id(&vnet_symbol(syms, h.remote)),
        ));
    }
    let name = Expr::format(
        format!("{}-to-{}-{{0}}", h.local.key(), h.remote.key()),
        vec![Expr::UniqueString(vec![remote.clone()])],
    );
    into.resources
        .push(half_resource(syms, h, parent, name, remote));
}

fn peering_module(syms: &Symbols, r: RemoteHalves) -> Module {
    let e = r.subnet;
    Module {
        params: r.params,
        resources: r.resources,
        depends_on: r.depends_on,
        ..Module::in_group(
            syms.get("peerings", r.vnet.key()),
            format!("modules/peerings-{}.bicep", r.vnet.key()),
            &e.subscription_id,
            &e.resource_group,
            format!(
                "Peerings in the existing VNet {} (resource group {}, subscription {}): the halves on its side.",
                e.vnet_name, e.resource_group, e.subscription_id
            ),
        )
    }
}
