//! Test helpers: render an example through the library, and read Bicep back.
#![allow(dead_code)]

pub mod arm;
pub mod armeval;
pub mod bicep;
pub mod scripted;

use std::path::{Path, PathBuf};

use ams_private_link::render::{self, File, Format};
use ams_private_link::{model, values};

pub fn examples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
            .expect("examples folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
    out.sort();
    assert!(
        out.len() >= 5,
        "expected the bundled examples, found {out:?}"
    );
    out
}

/// One bundled example by file name, e.g. `media-events.yaml`.
pub fn example(name: &str) -> PathBuf {
    examples()
        .into_iter()
        .find(|p| p.file_name().is_some_and(|f| f == name))
        .unwrap_or_else(|| panic!("no example {name}"))
}

pub fn render_file(path: &Path) -> Vec<File> {
    let raw = values::load(Some(path), &[]).expect("example loads");
    let deployment = model::build(raw).expect("example is valid");
    render::render(&deployment, Format::Both).expect("example renders")
}

pub fn render_yaml(yaml: &str) -> Vec<File> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("values.yaml");
    std::fs::write(&path, yaml).expect("write values");
    render_file(&path)
}

pub fn deployment(yaml: &str) -> model::Deployment {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("values.yaml");
    std::fs::write(&path, yaml).expect("write values");
    model::build(values::load(Some(&path), &[]).expect("loads")).expect("valid")
}

pub fn file<'a>(files: &'a [File], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| {
            panic!(
                "no {path} among {:?}",
                files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        })
        .content
}

/// Every string in a JSON value, object keys included.
pub fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out);
        }),
        _ => {}
    }
}

/// Every example's output, plus one with an Event Hubs destination (no example uses one):
/// between them they declare every resource type the generator knows.
pub fn every_output() -> Vec<(String, Vec<ams_private_link::render::File>)> {
    let mut out: Vec<_> = examples()
        .iter()
        .map(|e| (e.display().to_string(), render_file(e)))
        .collect();
    let events = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/media-events.yaml"),
    )
    .unwrap();
    let hub = events.replace(
        "    type: storageQueue\n    queueName: media-events\n",
        "    type: eventHub\n    eventHubId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-events/providers/Microsoft.EventHub/namespaces/evhns-media/eventhubs/media-events\n",
    );
    assert_ne!(
        hub, events,
        "media-events.yaml no longer has a queue destination"
    );
    out.push(("event hub".into(), render_yaml(&hub)));
    out
}

/// A file of `../shared` (beside the checkout, as on CI). Missing, a test says so and passes,
/// except under CI, where it fails.
pub fn shared(path: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing on CI",
        p.display()
    );
    eprintln!("skipped: {} not found", p.display());
    None
}
