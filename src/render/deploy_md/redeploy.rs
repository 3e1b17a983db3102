//! DEPLOY.md: what a second deployment does to what the first one made, and to what others
//! added since: the subnets and security groups the template owns, the endpoints' settings
//! fixed at creation, the customer-managed key created once.

use serde::Serialize;

use crate::model::*;

#[derive(Serialize)]
pub(super) struct RedeployView {
    /// The subnets the template creates, in words.
    owned_subnets: Vec<String>,
    /// The security groups it creates (it writes their rule lists).
    owned_nsgs: Vec<String>,
    /// Existing security groups the subnets use (`networkSecurityGroupId`).
    existing_nsgs: Vec<String>,
    /// Existing route tables the subnets use (`routeTableId`).
    route_tables: Vec<String>,
    /// Some endpoint has a static address or an interface name of the user's.
    endpoint_settings_fixed: bool,
    /// Application security groups the endpoints join, by name.
    application_security_groups: Vec<String>,
}

pub(super) fn redeploy_view(d: &Deployment) -> RedeployView {
    let mut view = RedeployView {
        owned_subnets: Vec::new(),
        owned_nsgs: Vec::new(),
        existing_nsgs: Vec::new(),
        route_tables: Vec::new(),
        endpoint_settings_fixed: false,
        application_security_groups: Vec::new(),
    };
    for (i, vnet) in d.vnets.iter().enumerate() {
        for (_, s) in d.created_subnets(i) {
            view.owned_subnets
                .push(format!("`{}` ({}) in `{}`", s.name, s.prefix, vnet.key()));
            if let Some(id) = &s.route_table {
                push_once(&mut view.route_tables, name_of(id));
            }
            match &s.nsg {
                Some(id) => push_once(&mut view.existing_nsgs, name_of(id)),
                None => view
                    .owned_nsgs
                    .push(format!("`{}`", s.created_nsg_name(vnet.key()))),
            }
        }
        if !vnet.endpoints {
            continue;
        }
        for target in d.targets() {
            let plan = vnet.endpoint_plan(&target);
            view.endpoint_settings_fixed |=
                plan.static_ip.is_some() || vnet.nic_pattern(&target).is_some();
            for id in &plan.application_security_groups {
                push_once(&mut view.application_security_groups, name_of(id));
            }
        }
    }
    view
}

fn name_of(id: &str) -> String {
    format!("`{}`", ResourceId::name_in(id))
}

fn push_once(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}
