//! The one switch between the whole deployment and its private foundation.
//!
//! Microsoft retired Media Services and public Azure refuses new accounts, so the template
//! must be able to deploy, today, everything that does not need one. The account and all
//! that refers to it (its streaming endpoints and live events, its private endpoints and their
//! zone groups, the Event Grid system topic, its subscriptions and grants, the storage roles
//! of a system-assigned identity) move into one module that deploys only when the
//! `deployMediaServices` parameter is true; the modules outside that need them (Media Services
//! endpoints in existing VNets, an event hub grant) get the same condition and wait for it.
//! The Media Services private DNS zone and its links go with them: without the account no
//! endpoint registers there.
//! What stays is the foundation, and by construction none of it refers to the account.

use super::*;

/// The template parameter that turns Media Services on.
pub const P_DEPLOY_MEDIA: &str = "deployMediaServices";
/// The module that holds what needs the account.
pub const S_MEDIA_MODULE: &str = "mediaServicesDeployment";

pub(crate) fn deploy_media_param(d: &Deployment) -> Param {
    let mut p = Param::new(
        P_DEPLOY_MEDIA,
        ParamType::Bool,
        "true: the Media Services account and everything that needs it; false: only the private foundation (storage, a user-assigned identity, key vault, VNets, DNS, the storage, vault and topic endpoints), which public Azure still accepts since Media Services was retired.",
    );
    p.default = Some(Expr::Bool(true));
    p.value = Some(json!(d.media.deploy));
    if !d.media_ready() {
        // The foundation's values leave out what Media Services needs (its zone, storage
        // access it can use): turning the switch on would deploy it broken, so ARM refuses it.
        p.default = Some(Expr::Bool(false));
        p.allowed = vec!["false".into()];
        p.description = format!(
            "{} Held to false: these values leave out what Media Services needs (see DEPLOY.md); set mediaServices.deploy: true in the values and generate again to add it.",
            p.description
        );
    }
    p
}

/// Everything that refers to one of `roots`, directly or through another such resource.
fn needing(roots: &[String], resources: &[Resource]) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = roots.iter().cloned().collect();
    loop {
        let before = set.len();
        for r in resources {
            if refers_to(r).iter().any(|s| set.contains(s)) {
                set.insert(r.symbol.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// Symbols whose ID or properties a resource uses, in its name and body or as parent or scope.
fn uses(r: &Resource) -> Vec<String> {
    let mut out = r.referenced();
    out.extend(r.parent.iter().cloned());
    out.extend(r.scope.iter().cloned());
    out
}

/// Symbols a resource refers to: those it uses, and those it waits for.
fn refers_to(r: &Resource) -> Vec<String> {
    let mut out = uses(r);
    out.extend(r.depends_on.iter().cloned());
    out
}

/// `symbol` declared `existing` in the template's own resource group, with its parents, for
/// a template that refers to it but does not create it.
fn existing_copies(symbol: &str, from: &[Resource], into: &mut Vec<Resource>) {
    if into.iter().any(|r| r.symbol == symbol) {
        return;
    }
    let Some(original) = from.iter().find(|r| r.symbol == symbol) else {
        return;
    };
    if let Some(parent) = &original.parent {
        existing_copies(parent, from, into);
    }
    let mut copy = Resource::new(
        original.symbol.clone(),
        original.rtype,
        original.api_version,
        original.name.clone(),
    );
    copy.parent = original.parent.clone();
    copy.existing = Some(original.existing.clone().unwrap_or(ExistingIn::Here));
    into.push(copy);
}

/// Whether a module passes anything of these symbols.
fn module_refers(m: &Module, symbols: &BTreeSet<String>) -> bool {
    m.params.iter().any(|(_, v)| {
        let mut used = Vec::new();
        v.symbols(&mut used);
        used.iter().any(|s| symbols.contains(s))
    })
}

/// Moves what needs the account into its conditional module.
pub(crate) fn split_media(t: &mut Template) {
    // The account, and the Media Services zone with its links: no endpoint can register
    // there without the account, and a landing zone's hub may already link a zone of that
    // name, so the foundation must not depend on it.
    let roots = [S_MEDIA.to_owned(), zone_symbol(Zone::Media)];
    let moved = needing(&roots, &t.resources);
    let (mut inner, outer): (Vec<Resource>, Vec<Resource>) = std::mem::take(&mut t.resources)
        .into_iter()
        .partition(|r| moved.contains(&r.symbol));
    t.resources = outer;
    // A module that both needs a moved resource and is waited for by one (the event hub
    // grant: the system topic's identity first, the subscription after) deploys inside.
    let (nested, outer_modules): (Vec<Module>, Vec<Module>) =
        std::mem::take(&mut t.modules).into_iter().partition(|m| {
            module_refers(m, &moved) && inner.iter().any(|r| r.depends_on.contains(&m.symbol))
        });
    t.modules = outer_modules;
    let nested_symbols: BTreeSet<String> = nested.iter().map(|m| m.symbol.clone()).collect();

    // What the moved resources need from outside: declared `existing` in the module (the same
    // resource group), waited for by the module, and the parameters their names use.
    let mut module_depends_on: Vec<String> = Vec::new();
    let mut declared: Vec<Resource> = Vec::new();
    for r in &mut inner {
        let used = uses(r);
        for s in refers_to(r) {
            if moved.contains(&s) || nested_symbols.contains(&s) {
                continue;
            }
            // Only what is used needs a declaration; ordering alone is the module's dependsOn.
            if t.resource(&s).is_some() && used.contains(&s) {
                existing_copies(&s, &t.resources, &mut declared);
            }
            let created_here = t.resource(&s).is_some_and(|o| o.existing.is_none());
            let module = t.modules.iter().any(|m| m.symbol == s);
            if (created_here || module) && !module_depends_on.contains(&s) {
                module_depends_on.push(s.clone());
            }
        }
        r.depends_on
            .retain(|s| moved.contains(s) || nested_symbols.contains(s));
    }
    declared.append(&mut inner);
    let mut names = BTreeSet::new();
    for r in &declared {
        r.name.params(&mut names);
        r.body.iter().for_each(|(_, v)| v.params(&mut names));
    }
    for m in &nested {
        m.params.iter().for_each(|(_, v)| v.params(&mut names));
    }
    let params: Vec<(Param, Expr)> = t
        .params
        .iter()
        .filter(|p| names.contains(&p.name))
        .map(|p| {
            let mut passed = Param::new(&p.name, p.ty, p.description.clone());
            passed.allowed = p.allowed.clone();
            passed.min_length = p.min_length;
            passed.max_length = p.max_length;
            (passed, Expr::param(&p.name))
        })
        .collect();
    let condition = Expr::param(P_DEPLOY_MEDIA);

    // Outside, what refers to the moved resources waits for the module, deploys with it, and
    // reads them through `existing` declarations.
    let mut outside: Vec<Resource> = Vec::new();
    let refers = |e: &Expr, outside: &mut Vec<Resource>| {
        let mut symbols = Vec::new();
        e.symbols(&mut symbols);
        let used: Vec<String> = symbols.into_iter().filter(|s| moved.contains(s)).collect();
        for s in &used {
            existing_copies(s, &declared, outside);
        }
        !used.is_empty()
    };
    for m in &mut t.modules {
        let needs = m
            .params
            .iter()
            .fold(false, |acc, (_, v)| refers(v, &mut outside) | acc);
        if needs {
            m.condition = Some(condition.clone());
            m.depends_on.push(S_MEDIA_MODULE.into());
        }
    }
    for o in &mut t.outputs {
        if refers(&o.value, &mut outside) {
            o.value = Expr::If(
                Box::new(condition.clone()),
                Box::new(o.value.clone()),
                Box::new(Expr::str("")),
            );
        }
    }
    t.resources.extend(outside);

    let module = Module {
        symbol: S_MEDIA_MODULE.into(),
        file: "modules/media-services.bicep".into(),
        group: None,
        condition: Some(condition),
        depends_on: module_depends_on,
        description: format!("Everything that needs Media Services, deployed only when {P_DEPLOY_MEDIA} is true: the account, its streaming endpoints and live events, its private endpoints, their private DNS zone and the Event Grid system topic."),
        params,
        variables: Vec::new(),
        resources: declared,
        modules: nested,
    };
    let at = t
        .modules
        .iter()
        .position(|m| m.depends_on.iter().any(|s| s == S_MEDIA_MODULE))
        .unwrap_or(t.modules.len());
    t.modules.insert(at, module);
    drop_unused_existing(t);
}

/// `existing` declarations that only moved resources used (an existing vault read only by the
/// account) go from the outer template: Bicep's no-unused-existing-resources.
fn drop_unused_existing(t: &mut Template) {
    loop {
        let mut used: Vec<String> = t.resources.iter().flat_map(refers_to).collect();
        for m in &t.modules {
            used.extend(m.depends_on.iter().cloned());
            m.params.iter().for_each(|(_, v)| v.symbols(&mut used));
        }
        t.outputs.iter().for_each(|o| o.value.symbols(&mut used));
        let before = t.resources.len();
        t.resources
            .retain(|r| r.existing.is_none() || used.contains(&r.symbol));
        if t.resources.len() == before {
            return;
        }
    }
}
