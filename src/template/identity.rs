//! The managed identity Media Services uses, and role assignments.

use super::*;

/// How the account's identity is referred to.
pub(crate) struct IdentityRefs {
    /// Runtime principal ID (for role assignments).
    pub(crate) principal_id: Expr,
    /// Resource the principal belongs to (for stable role assignment names).
    pub(crate) owner: Expr,
}

pub(crate) fn identity_resources(d: &Deployment, t: &mut Template) -> IdentityRefs {
    match d.media.identity {
        IdentityKind::UserAssigned => {
            t.resources.push(
                Resource::new(
                    S_IDENTITY,
                    "Microsoft.ManagedIdentity/userAssignedIdentities",
                    api::IDENTITY,
                    Expr::param(P_IDENTITY_NAME),
                )
                .with("location", Expr::param(P_LOCATION))
                .with("tags", Expr::var(V_TAGS))
                .with("properties", Expr::Object(Vec::new()))
                .comment("Created first and granted its storage roles before the account exists, so the account can use managed-identity storage access in one deployment."),
            );
            IdentityRefs {
                principal_id: Expr::Reference {
                    symbol: S_IDENTITY.into(),
                    path: vec!["principalId".into()],
                    full: false,
                },
                owner: Expr::id(S_IDENTITY),
            }
        }
        IdentityKind::SystemAssigned => IdentityRefs {
            principal_id: Expr::Reference {
                symbol: S_MEDIA.into(),
                path: vec!["identity".into(), "principalId".into()],
                full: true,
            },
            owner: Expr::id(S_MEDIA),
        },
    }
}

pub(crate) fn role_assignments(identity: &IdentityRefs) -> Vec<Resource> {
    [
        ("roleStorageBlobDataContributor", ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR),
        ("roleStorageReader", ROLE_READER),
    ]
    .into_iter()
    .map(|(symbol, built_in)| {
        role(
            symbol,
            S_STORAGE,
            built_in,
            identity.principal_id.clone(),
            identity.owner.clone(),
            &format!("{} on the storage account for the Media Services identity (trusted storage access).", built_in.name),
        )
    })
    .collect()
}

/// A built-in role for a service principal on one resource, named stably by `guid()`.
/// `principalType: ServicePrincipal` avoids the replication race on a freshly created identity.
pub(crate) fn role(
    symbol: &str,
    scope: &str,
    role: BuiltInRole,
    principal: Expr,
    owner: Expr,
    comment: &str,
) -> Resource {
    let role_id = Expr::RoleDefinition(role);
    let mut r = Resource::new(
        symbol,
        "Microsoft.Authorization/roleAssignments",
        api::ROLE_ASSIGNMENT,
        Expr::Guid(vec![Expr::id(scope), owner, role_id.clone()]),
    )
    .with(
        "properties",
        Expr::object([
            ("roleDefinitionId", role_id),
            ("principalId", principal),
            ("principalType", Expr::str("ServicePrincipal")),
        ]),
    )
    .comment(comment);
    r.scope = Some(scope.into());
    r
}
