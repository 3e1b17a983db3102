//! A small description of a deployment template that both renderers read. ARM and Bicep are
//! two spellings of the same `Template`, which is what keeps them in agreement.

/// A value in a template: a literal, or something Azure evaluates at deployment time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    Str(String),
    Int(i64),
    Bool(bool),
    Array(Vec<Expr>),
    /// Keys are usually literal strings; an expression key (e.g. a user-assigned identity's
    /// resource ID) is allowed.
    Object(Vec<(Expr, Expr)>),
    /// A template parameter.
    Param(String),
    /// Text with `{0}`, `{1}`… placeholders filled by the arguments.
    Format(String, Vec<Expr>),
    /// The resource ID of a resource declared in the same template, by symbol.
    Id(String),
    /// A runtime property of a resource in the same template. `full = false`: under
    /// `properties` (e.g. an identity's `principalId`); `full = true`: from the top of the
    /// resource (e.g. `identity.principalId`).
    Reference {
        symbol: String,
        path: Vec<String>,
        full: bool,
    },
    /// `environment().<path>`: cloud-specific host suffixes, never hard-coded.
    Environment(Vec<String>),
    /// `guid(...)`: a stable name for role assignments.
    Guid(Vec<Expr>),
    /// The ID of a built-in role's definition (ARM: `subscriptionResourceId()`; Bicep: an
    /// `existing` role definition named after the role).
    RoleDefinition(BuiltInRole),
    /// `resourceId(type, names...)` for something not declared as its own resource here
    /// (a subnet declared inline in its VNet).
    ResourceId(String, Vec<Expr>),
    /// `resourceId(subscription, group, type, names...)`: an existing resource elsewhere.
    ScopedResourceId {
        subscription_id: String,
        resource_group: String,
        rtype: String,
        names: Vec<Expr>,
    },
    /// `extensionResourceId(scope, type, names...)` with a literal scope: a resource ID that
    /// means the same at every template scope (used from management-group templates).
    ExtensionResourceId {
        scope: String,
        rtype: String,
        names: Vec<String>,
    },
    /// `resourceGroup().location`.
    ResourceGroupLocation,
    /// `subscription().tenantId`: the tenant a new Key Vault trusts.
    TenantId,
    /// A list set empty on purpose, so that a redeployment clears whatever the list holds
    /// (the storage firewall's rules). ARM spells it `[createArray()]`: a literal `[]` is what
    /// arm-ttk's blank-value test takes for a forgotten value.
    EmptyList,
    /// A template variable.
    Var(String),
    /// `uniqueString(...)`: a 13-character hash.
    UniqueString(Vec<Expr>),
    /// `deployment().name`: the name of the deployment running this template.
    DeploymentName,
    /// `deployment().location`: the region a management-group deployment is made in.
    DeploymentLocation,
    /// `if(condition, then, else)` (Bicep `condition ? then : else`); only the branch taken
    /// is evaluated, so `then` may read a resource that `condition` leaves undeployed.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A template function both languages spell alike, e.g. `substring(text, 1)`.
    Call(&'static str, Vec<Expr>),
}

impl Expr {
    pub fn str(s: impl Into<String>) -> Expr {
        Expr::Str(s.into())
    }
    pub fn param(name: &str) -> Expr {
        Expr::Param(name.to_owned())
    }
    pub fn var(name: &str) -> Expr {
        Expr::Var(name.to_owned())
    }
    pub fn id(symbol: &str) -> Expr {
        Expr::Id(symbol.to_owned())
    }
    pub fn format(template: impl Into<String>, args: Vec<Expr>) -> Expr {
        Expr::Format(template.into(), args)
    }
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Expr)>) -> Expr {
        Expr::Object(
            entries
                .into_iter()
                .map(|(k, v)| (Expr::Str(k.into()), v))
                .collect(),
        )
    }
    /// An ID of the form `/subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}[/{type}/{name}]`
    /// as a `resourceId()` call; anything else stays a literal.
    pub fn existing_id(id: &str) -> Expr {
        match crate::model::ResourceId::parse(id) {
            Some(r) => Expr::ScopedResourceId {
                subscription_id: r.subscription_id.to_owned(),
                resource_group: r.resource_group.to_owned(),
                rtype: r.rtype,
                names: r.names.into_iter().map(Expr::str).collect(),
            },
            None => Expr::str(id),
        }
    }

    pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Expr {
        Expr::Array(items.into_iter().map(|s| Expr::str(s.as_ref())).collect())
    }

    /// `resourceId()` arguments of a scoped ID: subscription, group, type, names.
    pub fn scoped_id_args(
        subscription_id: &str,
        resource_group: &str,
        rtype: &str,
        names: &[Expr],
    ) -> Vec<Expr> {
        [subscription_id, resource_group, rtype]
            .into_iter()
            .map(Expr::str)
            .chain(names.iter().cloned())
            .collect()
    }

    /// `extensionResourceId()` arguments: scope, type, names.
    pub fn extension_id_args(scope: &str, rtype: &str, names: &[String]) -> Vec<Expr> {
        [scope, rtype]
            .into_iter()
            .chain(names.iter().map(String::as_str))
            .map(Expr::str)
            .collect()
    }

    /// Symbols of resources this expression refers to (each is an implicit dependency).
    pub fn symbols(&self, out: &mut Vec<String>) {
        if let Expr::Id(s) | Expr::Reference { symbol: s, .. } = self {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
        self.children().into_iter().for_each(|e| e.symbols(out));
    }

    /// Template parameters this expression reads.
    pub fn params(&self, out: &mut std::collections::BTreeSet<String>) {
        if let Expr::Param(p) = self {
            out.insert(p.clone());
        }
        self.children().into_iter().for_each(|e| e.params(out));
    }

    /// Built-in roles this expression names.
    pub fn roles(&self, out: &mut Vec<&'static str>) {
        if let Expr::RoleDefinition(role) = self {
            if !out.contains(&role.name) {
                out.push(role.name);
            }
        }
        self.children().into_iter().for_each(|e| e.roles(out));
    }

    /// The expressions directly inside this one.
    fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Array(items)
            | Expr::Guid(items)
            | Expr::UniqueString(items)
            | Expr::Call(_, items)
            | Expr::Format(_, items)
            | Expr::ResourceId(_, items)
            | Expr::ScopedResourceId { names: items, .. } => items.iter().collect(),
            Expr::Object(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
            Expr::If(c, a, b) => vec![c, a, b],
            _ => Vec::new(),
        }
    }
}

/// A built-in Azure role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BuiltInRole {
    pub name: &'static str,
    /// The definition's GUID, the same in every tenant.
    pub id: &'static str,
}

impl BuiltInRole {
    pub const DEFINITION_TYPE: &'static str = "Microsoft.Authorization/roleDefinitions";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    /// A secret: ARM `securestring`, Bicep `@secure()`; never given a default or a value.
    SecureString,
    Int,
    Bool,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub ty: ParamType,
    pub description: String,
    pub allowed: Vec<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub default: Option<Expr>,
    /// What the parameters file sets; `None` leaves the default in force.
    pub value: Option<serde_json::Value>,
    /// For secrets: the environment variable the Bicep parameters file reads it from (the
    /// ARM parameters file leaves it out; it is passed at deployment).
    pub from_env: Option<&'static str>,
}

impl Param {
    /// The description as AVM writes it: `Required.` when the deployment must supply the
    /// value, `Optional.` when a default stands in.
    pub fn described(&self) -> String {
        let need = if self.default.is_some() {
            "Optional"
        } else {
            "Required"
        };
        format!("{need}. {}", self.description)
    }

    pub fn new(name: &str, ty: ParamType, description: impl Into<String>) -> Param {
        Param {
            name: name.to_owned(),
            ty,
            description: description.into(),
            allowed: Vec::new(),
            min_length: None,
            max_length: None,
            default: None,
            value: None,
            from_env: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Resource {
    /// Bicep symbol; also the key the ARM renderer uses to build IDs and dependsOn.
    pub symbol: String,
    pub rtype: &'static str,
    pub api_version: &'static str,
    /// Parent resource symbol for child types (name is then the last segment only).
    pub parent: Option<String>,
    /// Extension resources (role assignments): the resource they apply to.
    pub scope: Option<String>,
    pub name: Expr,
    /// Top-level properties in order: location, tags, kind, sku, identity, properties.
    pub body: Vec<(&'static str, Expr)>,
    /// Ordering that no reference in the body expresses (e.g. roles before the account).
    pub depends_on: Vec<String>,
    /// Why the resource is there, for a reader of the output (ARM `comments`, Bicep `//`).
    pub comment: String,
    /// Declared only to be referred to (Bicep `existing`); ARM renders no resource for it.
    pub existing: Option<ExistingIn>,
}

/// Where an existing resource lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ExistingIn {
    /// The template's own scope.
    #[default]
    Here,
    ResourceGroup {
        subscription_id: String,
        resource_group: String,
    },
    /// The subscription the template is deployed in (role definitions).
    Subscription,
}

impl Resource {
    pub fn new(
        symbol: impl Into<String>,
        rtype: &'static str,
        api_version: &'static str,
        name: Expr,
    ) -> Self {
        Resource {
            symbol: symbol.into(),
            rtype,
            api_version,
            parent: None,
            scope: None,
            name,
            body: Vec::new(),
            depends_on: Vec::new(),
            comment: String::new(),
            existing: None,
        }
    }

    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = text.into();
        self
    }

    /// Declared, not created: the resource already exists at `at`.
    pub fn existing_in(mut self, at: ExistingIn) -> Self {
        self.existing = Some(at);
        self
    }

    pub fn with(mut self, key: &'static str, value: Expr) -> Self {
        self.body.push((key, value));
        self
    }

    /// Symbols referenced by the body (implicit dependencies).
    pub fn referenced(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.name.symbols(&mut out);
        for (_, v) in &self.body {
            v.symbols(&mut out);
        }
        out.retain(|s| s != &self.symbol);
        out
    }
}

/// Resources deployed by a deployment of their own: into another resource group or
/// subscription, or under a condition (ARM: a nested deployment with inner scope; Bicep: a
/// module file).
#[derive(Debug, Clone)]
pub struct Module {
    pub symbol: String,
    /// Path of the Bicep module file, relative to main.bicep.
    pub file: String,
    /// Where it deploys; `None`: the parent deployment's resource group.
    pub group: Option<GroupRef>,
    /// Deployed only when this is true.
    pub condition: Option<Expr>,
    /// Ordering that no parameter expresses (resource or module symbols of the parent).
    pub depends_on: Vec<String>,
    pub description: String,
    /// Parameters of the inner template, each with the value passed from the outer one.
    pub params: Vec<(Param, Expr)>,
    /// Variables of the inner template (a nested deployment with inner scope sees none of
    /// the outer ones).
    pub variables: Vec<Variable>,
    pub resources: Vec<Resource>,
    /// Modules the module deploys in turn.
    pub modules: Vec<Module>,
}

/// A resource group, possibly in another subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    pub subscription_id: String,
    pub resource_group: String,
}

/// Longest deployment name Azure accepts.
const MAX_DEPLOYMENT_NAME: usize = 64;
/// `uniqueString()` always returns 13 characters.
const UNIQUE_STRING_LEN: usize = 13;

impl Module {
    /// A module deployed into the resource group `subscription_id`/`resource_group`, with
    /// nothing in it yet: no condition, ordering, parameters or resources.
    pub fn in_group(
        symbol: impl Into<String>,
        file: impl Into<String>,
        subscription_id: &str,
        resource_group: &str,
        description: String,
    ) -> Module {
        Module {
            symbol: symbol.into(),
            file: file.into(),
            group: Some(GroupRef {
                subscription_id: subscription_id.to_owned(),
                resource_group: resource_group.to_owned(),
            }),
            condition: None,
            depends_on: Vec::new(),
            description,
            params: Vec::new(),
            variables: Vec::new(),
            resources: Vec::new(),
            modules: Vec::new(),
        }
    }

    /// The name of the module's deployment: the one Bicep (0.34.1 and later) gives a module
    /// declared without `name`, `<symbol>-<uniqueString(symbol, deployment().name)>` with the
    /// symbol cut so the whole fits in 64 characters. ARM spells the same expression, so both
    /// outputs create the same deployment, and its name follows the parent deployment's name:
    /// two stacks that share a spoke resource group do not overwrite each other's nested
    /// deployment as long as their own deployment names differ.
    pub fn deployment_name(&self) -> Expr {
        let prefix: String = self
            .symbol
            .chars()
            .take(MAX_DEPLOYMENT_NAME - 1 - UNIQUE_STRING_LEN)
            .collect();
        Expr::format(
            format!("{prefix}-{{0}}"),
            vec![Expr::UniqueString(vec![
                Expr::str(&self.symbol),
                Expr::DeploymentName,
            ])],
        )
    }

    /// The template deployed by the module: its parameters and resources.
    pub fn inner_template(&self) -> Template {
        let stem = self.file.rsplit('/').next().unwrap_or(&self.file);
        Template {
            target_scope: TargetScope::ResourceGroup,
            name: stem.trim_end_matches(".bicep").to_owned(),
            description: self.description.clone(),
            params: self.params.iter().map(|(p, _)| p.clone()).collect(),
            variables: self.variables.clone(),
            resources: self.resources.clone(),
            modules: self.modules.clone(),
            outputs: Vec::new(),
        }
    }
}

/// A value fixed when the template is generated, declared once and referred to by name.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub description: String,
    pub value: Expr,
}

#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    pub ty: ParamType,
    pub description: String,
    pub value: Expr,
}

/// Where a template is deployed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TargetScope {
    #[default]
    ResourceGroup,
    ManagementGroup,
}

#[derive(Debug, Clone, Default)]
pub struct Template {
    pub target_scope: TargetScope,
    /// A short title (Bicep `metadata name`, ARM `metadata.name`).
    pub name: String,
    pub description: String,
    pub params: Vec<Param>,
    /// Values fixed when the template is generated, named once (e.g. the tags).
    pub variables: Vec<Variable>,
    pub resources: Vec<Resource>,
    pub modules: Vec<Module>,
    pub outputs: Vec<Output>,
}

impl Template {
    pub fn resource(&self, symbol: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.symbol == symbol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(symbol: &str) -> Module {
        Module {
            symbol: symbol.into(),
            file: "modules/m.bicep".into(),
            group: Some(GroupRef {
                subscription_id: "s".into(),
                resource_group: "g".into(),
            }),
            condition: None,
            depends_on: Vec::new(),
            description: String::new(),
            params: Vec::new(),
            variables: Vec::new(),
            modules: Vec::new(),
            resources: Vec::new(),
        }
    }

    /// The names Bicep 0.49.2 compiled for unnamed modules with these symbols.
    #[test]
    fn module_deployment_names_are_the_ones_bicep_generates() {
        assert_eq!(
            module("endpointsVnetHub").deployment_name(),
            Expr::format(
                "endpointsVnetHub-{0}",
                vec![Expr::UniqueString(vec![
                    Expr::str("endpointsVnetHub"),
                    Expr::DeploymentName
                ])]
            )
        );
        let long = "a".repeat(70);
        let Expr::Format(f, args) = module(&long).deployment_name() else {
            panic!("a format");
        };
        assert_eq!(f, format!("{}-{{0}}", "a".repeat(50)));
        // 50 + '-' + 13 characters of uniqueString: Azure's 64-character limit exactly.
        assert_eq!(
            f.len() - "{0}".len() + UNIQUE_STRING_LEN,
            MAX_DEPLOYMENT_NAME
        );
        assert_eq!(
            args,
            vec![Expr::UniqueString(vec![
                Expr::str(&long),
                Expr::DeploymentName
            ])]
        );
    }
}
