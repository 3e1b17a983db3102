//! ams-private-link: ARM and Bicep for Azure Media Services and its Storage account behind
//! Private Link, from a wizard or a YAML values file.
//!
//! Phases: `values` (raw YAML + `--set`, with positions) → `schema` (defaults, validation) →
//! `model` (one typed deployment, semantic rules, exposure) → `template` (the Azure resources,
//! as an IR) → `render` (ARM, Bicep, DEPLOY.md, the picture, answers, reports) → `output`
//! (plan, dry run, staged writes).

pub mod cli;
pub mod diagnostic;
pub mod error;
pub mod model;
pub mod output;
pub mod render;
pub mod report;
pub mod run;
pub mod schema;
pub mod template;
pub mod values;
pub mod wizard;

pub use error::{Error, Result};
