//! Bicep refers to resources outside the template through `existing` declarations: every
//! resource ID the template only builds (a hub zone, an existing subnet, a vault elsewhere, a
//! built-in role's definition) becomes a declared symbol and `symbol.id`.
//!
//! It keeps every line short: a `resourceId()` call with five arguments passes the 120 columns
//! after which `bicep format` breaks it over several lines, a layout checkov's Bicep parser
//! cannot read (so checkov would silently skip the file). ARM keeps the ID functions; both
//! spell the same ID.

use std::collections::{BTreeSet, HashMap};

use crate::template::api;
use crate::template::camel;
use crate::template::ir::{BuiltInRole, ExistingIn, Expr, Resource, TargetScope, Template};

/// The template with every outside resource ID replaced by the ID of an `existing` symbol
/// declared at the top. IDs of types without a pinned API version stay as they are.
pub fn declare_outside_resources(t: &Template) -> Template {
    let mut taken: BTreeSet<String> = t.resources.iter().map(|r| r.symbol.clone()).collect();
    taken.extend(t.modules.iter().map(|m| m.symbol.clone()));
    taken.extend(t.params.iter().map(|p| p.name.clone()));
    taken.extend(t.variables.iter().map(|v| v.name.clone()));
    taken.extend(t.outputs.iter().map(|o| o.name.clone()));
    let mut outside = Outside {
        resource_group_scope: t.target_scope == TargetScope::ResourceGroup,
        local_vnets: HashMap::new(),
        local_subnets: Vec::new(),
        taken,
        declared: HashMap::new(),
        resources: Vec::new(),
    };
    // VNets the template creates: a subnet of one is referred to through a child symbol of the
    // VNet's, which also gives the dependency on the VNet without a `dependsOn`.
    for r in &t.resources {
        if r.rtype == VNET && r.existing.is_none() && r.parent.is_none() {
            outside.local_vnets.insert(r.name.clone(), r.symbol.clone());
        }
    }
    // Outside resources the template declares itself are referred to by their own symbols.
    for r in &t.resources {
        if let (
            Some(ExistingIn::ResourceGroup {
                subscription_id,
                resource_group,
            }),
            None,
        ) = (&r.existing, &r.parent)
        {
            let key = Expr::ScopedResourceId {
                subscription_id: subscription_id.clone(),
                resource_group: resource_group.clone(),
                rtype: r.rtype.to_owned(),
                names: vec![r.name.clone()],
            };
            outside.declared.insert(key, r.symbol.clone());
        }
    }
    let mut out = t.clone();
    for r in &mut out.resources {
        r.name = outside.rewrite(&r.name);
        for (_, v) in &mut r.body {
            *v = outside.rewrite(v);
        }
        // The subnet symbol now carries the dependency on its VNet; saying it again is what
        // the linter's no-unnecessary-dependson rule flags.
        let mut used = Vec::new();
        for (_, v) in &r.body {
            v.symbols(&mut used);
        }
        let implied: Vec<&String> = outside
            .local_subnets
            .iter()
            .filter(|(subnet, _)| used.contains(subnet))
            .map(|(_, vnet)| vnet)
            .collect();
        r.depends_on.retain(|d| !implied.contains(&d));
    }
    for m in &mut out.modules {
        for (_, v) in &mut m.params {
            *v = outside.rewrite(v);
        }
    }
    for o in &mut out.outputs {
        o.value = outside.rewrite(&o.value);
    }
    for v in &mut out.variables {
        v.value = outside.rewrite(&v.value);
    }
    outside.resources.append(&mut out.resources);
    out.resources = outside.resources;
    out
}

const VNET: &str = "Microsoft.Network/virtualNetworks";
const SUBNET: &str = "Microsoft.Network/virtualNetworks/subnets";

struct Outside {
    resource_group_scope: bool,
    /// VNets the template creates, by the expression of their name.
    local_vnets: HashMap<Expr, String>,
    /// Subnet symbols declared for those VNets → the VNet's symbol.
    local_subnets: Vec<(String, String)>,
    taken: BTreeSet<String>,
    /// Each outside resource, keyed by the expression that built its ID.
    declared: HashMap<Expr, String>,
    resources: Vec<Resource>,
}

impl Outside {
    fn rewrite(&mut self, e: &Expr) -> Expr {
        let each = |this: &mut Self, items: &[Expr]| -> Vec<Expr> {
            items.iter().map(|i| this.rewrite(i)).collect()
        };
        match e {
            Expr::ScopedResourceId { .. } | Expr::ExtensionResourceId { .. } => {
                self.declare_in_group(e).map_or_else(|| e.clone(), Expr::Id)
            }
            // `subscription()` is no scope in a management-group template.
            Expr::RoleDefinition(role) if self.resource_group_scope => {
                Expr::Id(self.declare_role(*role))
            }
            Expr::Array(items) => Expr::Array(each(self, items)),
            Expr::Object(entries) => Expr::Object(
                entries
                    .iter()
                    .map(|(k, v)| (self.rewrite(k), self.rewrite(v)))
                    .collect(),
            ),
            Expr::Format(f, args) => Expr::Format(f.clone(), each(self, args)),
            Expr::Guid(args) => Expr::Guid(each(self, args)),
            Expr::UniqueString(args) => Expr::UniqueString(each(self, args)),
            Expr::Call(name, args) => Expr::Call(name, each(self, args)),
            Expr::ResourceId(ty, args) if ty == SUBNET && args.len() == 2 => {
                match self.declare_local_subnet(&args[0], &args[1]) {
                    Some(symbol) => Expr::Id(symbol),
                    None => Expr::ResourceId(ty.clone(), each(self, args)),
                }
            }
            Expr::ResourceId(ty, args) => Expr::ResourceId(ty.clone(), each(self, args)),
            Expr::If(c, a, b) => Expr::If(
                Box::new(self.rewrite(c)),
                Box::new(self.rewrite(a)),
                Box::new(self.rewrite(b)),
            ),
            other => other.clone(),
        }
    }

    /// `base`, or `base2`, `base3`…: a symbol no other declaration uses.
    fn unique(&mut self, base: String) -> String {
        let mut symbol = base.clone();
        let mut n = 2;
        while self.taken.contains(&symbol) {
            symbol = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(symbol.clone());
        symbol
    }

    /// A subnet of a VNet this template creates, as an `existing` child of the VNet's symbol.
    fn declare_local_subnet(&mut self, vnet: &Expr, subnet: &Expr) -> Option<String> {
        let vnet_symbol = self.local_vnets.get(vnet)?.clone();
        let key = Expr::ResourceId(SUBNET.to_owned(), vec![vnet.clone(), subnet.clone()]);
        if let Some(s) = self.declared.get(&key) {
            return Some(s.clone());
        }
        let (_, version) = api::lookup(SUBNET)?;
        let symbol = self.unique(format!("subnet{}", camel(&name_text(subnet))));
        let mut r =
            Resource::new(symbol.clone(), SUBNET, version, subnet.clone()).comment(format!(
                "A subnet declared inline in {vnet_symbol}, referred to here by its own symbol."
            ));
        r.parent = Some(vnet_symbol.clone());
        r.existing = Some(ExistingIn::Here);
        self.resources.push(r);
        self.declared.insert(key, symbol.clone());
        self.local_subnets.push((symbol.clone(), vnet_symbol));
        Some(symbol)
    }

    fn declare_role(&mut self, role: BuiltInRole) -> String {
        let key = Expr::RoleDefinition(role);
        if let Some(s) = self.declared.get(&key) {
            return s.clone();
        }
        // `storageBlobDataContributorRole`: the assignments already use `role...` symbols.
        let symbol = self.unique(format!("{}Role", lower_first(&camel(role.name))));
        let mut r = Resource::new(
            symbol.clone(),
            BuiltInRole::DEFINITION_TYPE,
            api::ROLE_ASSIGNMENT,
            Expr::str(role.id),
        )
        .comment(format!("The built-in role {}.", role.name));
        r.existing = Some(ExistingIn::Subscription);
        self.resources.push(r);
        self.declared.insert(key, symbol.clone());
        symbol
    }

    /// Declares a resource in another resource group, with its parents for a child type.
    fn declare_in_group(&mut self, id: &Expr) -> Option<String> {
        let (subscription_id, resource_group, rtype, names) = parts(id)?;
        let (provider, types) = rtype.split_once('/')?;
        let types: Vec<&str> = types.split('/').collect();
        if types.len() != names.len() {
            return None;
        }
        // Every level needs its pinned version before anything is declared.
        let levels: Vec<(&'static str, &'static str)> = (1..=types.len())
            .map(|n| api::lookup(&format!("{provider}/{}", types[..n].join("/"))))
            .collect::<Option<_>>()?;
        let mut parent: Option<String> = None;
        for (n, (level_type, version)) in levels.into_iter().enumerate() {
            let key = Expr::ScopedResourceId {
                subscription_id: subscription_id.clone(),
                resource_group: resource_group.clone(),
                rtype: level_type.to_owned(),
                names: names[..=n].to_vec(),
            };
            if let Some(s) = self.declared.get(&key) {
                parent = Some(s.clone());
                continue;
            }
            let leaf = types[n].strip_suffix('s').unwrap_or(types[n]);
            let symbol = self.unique(format!("{leaf}{}", camel(&name_text(&names[n]))));
            let mut r = Resource::new(symbol.clone(), level_type, version, names[n].clone());
            match &parent {
                Some(p) => {
                    r.parent = Some(p.clone());
                    r.existing = Some(ExistingIn::Here);
                }
                None => {
                    r.existing = Some(ExistingIn::ResourceGroup {
                        subscription_id: subscription_id.clone(),
                        resource_group: resource_group.clone(),
                    });
                    r.comment = format!(
                        "Referred to by ID only: resource group {resource_group}, subscription {subscription_id}."
                    );
                }
            }
            self.resources.push(r);
            self.declared.insert(key, symbol.clone());
            parent = Some(symbol);
        }
        parent
    }
}

/// Subscription, resource group, type and names of an ID in a resource group.
fn parts(id: &Expr) -> Option<(String, String, String, Vec<Expr>)> {
    match id {
        Expr::ScopedResourceId {
            subscription_id,
            resource_group,
            rtype,
            names,
        } => Some((
            subscription_id.clone(),
            resource_group.clone(),
            rtype.clone(),
            names.clone(),
        )),
        Expr::ExtensionResourceId {
            scope,
            rtype,
            names,
        } => {
            let segments: Vec<&str> = scope.split('/').collect();
            match segments.as_slice() {
                ["", subs, sub, groups, group]
                    if subs.eq_ignore_ascii_case("subscriptions")
                        && groups.eq_ignore_ascii_case("resourceGroups") =>
                {
                    Some((
                        (*sub).to_owned(),
                        (*group).to_owned(),
                        rtype.clone(),
                        names.iter().map(Expr::str).collect(),
                    ))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The text a symbol is made from: a literal name, or a format's fixed text.
fn name_text(name: &Expr) -> String {
    match name {
        Expr::Str(s) => s.clone(),
        Expr::Format(f, args) => {
            (0..args.len()).fold(f.clone(), |text, i| text.replace(&format!("{{{i}}}"), " "))
        }
        _ => "existing".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::ir::Template;

    const READER: BuiltInRole = BuiltInRole {
        name: "Reader",
        id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    };

    fn subnet_id() -> Expr {
        Expr::existing_id("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe")
    }

    fn template(values: Vec<Expr>) -> Template {
        let mut r = Resource::new(
            "pe",
            "Microsoft.Network/privateEndpoints",
            api::NETWORK,
            Expr::str("pe"),
        );
        for v in values {
            r = r.with("properties", v);
        }
        Template {
            resources: vec![r],
            ..Template::default()
        }
    }

    #[test]
    fn a_subnet_elsewhere_is_declared_with_its_vnet_once() {
        let t = declare_outside_resources(&template(vec![subnet_id(), subnet_id()]));
        let symbols: Vec<(&str, &str)> = t
            .resources
            .iter()
            .map(|r| (r.symbol.as_str(), r.rtype))
            .collect();
        assert_eq!(
            symbols,
            [
                (
                    "virtualNetworkVnetSpoke",
                    "Microsoft.Network/virtualNetworks"
                ),
                ("subnetSnetPe", "Microsoft.Network/virtualNetworks/subnets"),
                ("pe", "Microsoft.Network/privateEndpoints"),
            ]
        );
        assert_eq!(
            t.resources[1].parent.as_deref(),
            Some("virtualNetworkVnetSpoke")
        );
        assert_eq!(
            t.resources[0].existing,
            Some(ExistingIn::ResourceGroup {
                subscription_id: "11111111-2222-3333-4444-555555555555".into(),
                resource_group: "rg-spoke".into()
            })
        );
        let body: Vec<&Expr> = t.resources[2].body.iter().map(|(_, v)| v).collect();
        assert_eq!(body, [&Expr::id("subnetSnetPe"), &Expr::id("subnetSnetPe")]);
    }

    #[test]
    fn roles_are_declared_at_subscription_scope_and_symbols_stay_distinct() {
        let mut t = template(vec![Expr::RoleDefinition(READER)]);
        // A template symbol that the role would otherwise take.
        t.resources[0].symbol = "readerRole".into();
        let t = declare_outside_resources(&t);
        assert_eq!(t.resources[0].existing, Some(ExistingIn::Subscription));
        assert_eq!(t.resources[0].symbol, "readerRole2");
        assert_eq!(t.resources[1].body[0].1, Expr::id(&t.resources[0].symbol));
    }

    #[test]
    fn a_resource_the_template_declares_existing_is_reused() {
        let mut vault = Resource::new(
            "hubVault",
            "Microsoft.KeyVault/vaults",
            api::KEY_VAULT,
            Expr::str("kv-hub"),
        );
        vault.existing = Some(ExistingIn::ResourceGroup {
            subscription_id: "s".into(),
            resource_group: "rg-keys".into(),
        });
        let mut t = template(vec![Expr::existing_id(
            "/subscriptions/s/resourceGroups/rg-keys/providers/Microsoft.KeyVault/vaults/kv-hub",
        )]);
        t.resources.insert(0, vault);
        let t = declare_outside_resources(&t);
        assert_eq!(t.resources.len(), 2, "no second declaration of the vault");
        assert_eq!(t.resources[1].body[0].1, Expr::id("hubVault"));
    }

    #[test]
    fn an_extension_id_in_a_resource_group_is_declared_there() {
        let link = Expr::ExtensionResourceId {
            scope: "/subscriptions/s/resourceGroups/rg-hub".into(),
            rtype: "Microsoft.Authorization/resourceManagementPrivateLinks".into(),
            names: vec!["rmpl-1".into()],
        };
        let t = declare_outside_resources(&template(vec![link]));
        let declared = &t.resources[0];
        assert_eq!(declared.symbol, "resourceManagementPrivateLinkRmpl1");
        assert_eq!(declared.name, Expr::str("rmpl-1"));
        assert_eq!(
            declared.existing,
            Some(ExistingIn::ResourceGroup {
                subscription_id: "s".into(),
                resource_group: "rg-hub".into()
            })
        );
    }

    #[test]
    fn roles_stay_ids_in_a_management_group_template() {
        let mut t = template(vec![Expr::RoleDefinition(READER)]);
        t.target_scope = TargetScope::ManagementGroup;
        let t = declare_outside_resources(&t);
        assert_eq!(t.resources.len(), 1);
        assert_eq!(t.resources[0].body[0].1, Expr::RoleDefinition(READER));
    }

    #[test]
    fn symbols_keep_the_digits_of_a_formatted_name() {
        let name = Expr::format("vnet-01-{0}", vec![Expr::param("p")]);
        assert_eq!(camel(&name_text(&name)), "Vnet01");
    }

    #[test]
    fn types_without_a_pinned_version_stay_as_ids() {
        let odd = Expr::existing_id(
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/sql1",
        );
        let t = declare_outside_resources(&template(vec![odd.clone()]));
        assert_eq!(t.resources.len(), 1);
        assert_eq!(t.resources[0].body[0].1, odd);
    }
}
