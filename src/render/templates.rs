//! The tera templates of DEPLOY.md and of the wait script of DNS mode policy, embedded in the
//! binary so it runs from any directory. (The Bicep layout is written in Rust, like ARM's.)

use std::sync::OnceLock;

use crate::error::{Error, Result};

/// DEPLOY.md and the sections a service adds to it, under the names its `include`s use; the
/// wait script.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "DEPLOY.md.tera",
        include_str!("../../templates/DEPLOY.md.tera"),
    ),
    (
        "deploy/events.md.tera",
        include_str!("../../templates/deploy/events.md.tera"),
    ),
    (
        "deploy/resource-manager.md.tera",
        include_str!("../../templates/deploy/resource-manager.md.tera"),
    ),
    (
        "deploy/on-premises.md.tera",
        include_str!("../../templates/deploy/on-premises.md.tera"),
    ),
    (
        "deploy/redeploy.md.tera",
        include_str!("../../templates/deploy/redeploy.md.tera"),
    ),
    (
        "deploy/dns-policy.md.tera",
        include_str!("../../templates/deploy/dns-policy.md.tera"),
    ),
    (
        "deploy/dns-policy-wait.md.tera",
        include_str!("../../templates/deploy/dns-policy-wait.md.tera"),
    ),
    (
        "wait-for-dns-policy.sh.tera",
        include_str!("../../templates/wait-for-dns-policy.sh.tera"),
    ),
];

fn engine() -> Result<&'static tera::Tera> {
    static ENGINE: OnceLock<std::result::Result<tera::Tera, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut tera = tera::Tera::default();
            // Output is Markdown, never HTML.
            tera.autoescape_on(Vec::new());
            tera.add_raw_templates(TEMPLATES.iter().copied())
                .map_err(|e| format!("{e:?}"))?;
            Ok(tera)
        })
        .as_ref()
        .map_err(|e| Error::Internal(format!("embedded templates do not compile: {e}")))
}

pub fn render(name: &str, ctx: &tera::Context) -> Result<String> {
    engine()?
        .render(name, ctx)
        .map_err(|e| Error::Internal(format!("rendering {name}: {e:?}")))
}
