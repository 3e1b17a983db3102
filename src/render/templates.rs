//! The tera templates, embedded in the binary so it runs from any directory.

use std::sync::OnceLock;

use crate::error::{Error, Result};

const TEMPLATES: &[(&str, &str)] = &[
    (
        "bicep/template.bicep.tera",
        include_str!("../../templates/bicep/template.bicep.tera"),
    ),
    (
        "DEPLOY.md.tera",
        include_str!("../../templates/DEPLOY.md.tera"),
    ),
];

fn engine() -> Result<&'static tera::Tera> {
    static ENGINE: OnceLock<std::result::Result<tera::Tera, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut tera = tera::Tera::default();
            // Output is Bicep and Markdown, never HTML.
            tera.autoescape_on(Vec::new());
            tera.register_filter("bicep_string", super::bicep::tera_filter);
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
