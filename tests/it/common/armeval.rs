//! What ARM deploys, as `../shared/tools/lib/armeval.py` (an independent static evaluator of
//! ARM, nested deployments into other resource groups included) resolves it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::{file, shared};

/// The evaluator, when `../shared` is there.
pub fn tool() -> Option<PathBuf> {
    shared("tools/lib/armeval.py")
}

/// Every resource ARM deploys for `files`, with Media Services on or off and the parameters
/// `overrides` (name, JSON value) set: those of nested deployments included.
pub fn evaluated(
    tool: &Path,
    files: &[ams_private_link::render::File],
    media: bool,
    overrides: &[(String, Value)],
) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    for name in ["arm/azuredeploy.json", "arm/azuredeploy.parameters.json"] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, file(files, name)).unwrap();
    }
    let mut command = Command::new("python3");
    command
        .arg(tool)
        .arg(dir.path().join("arm/azuredeploy.json"))
        .arg("--parameters")
        .arg(dir.path().join("arm/azuredeploy.parameters.json"))
        .args(["--param", &format!("deployMediaServices={media}"), "--json"]);
    for (name, value) in overrides {
        command.args(["--param", &format!("{name}={value}")]);
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    result["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["deployed"] == true && r["existing"] != true)
        .cloned()
        .collect()
}

pub fn of_type<'a>(resources: &'a [Value], ty: &str) -> Vec<&'a Value> {
    resources
        .iter()
        .filter(|r| {
            r["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case(ty))
        })
        .collect()
}

/// A resource's ID, lowercase.
pub fn id(r: &Value) -> String {
    r["id"].as_str().unwrap().to_lowercase()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_lowercase)
        .collect()
}

/// Resource ID → every resource ID it waits for before ARM starts it: its `dependsOn` and
/// implicit dependencies, what its nested deployment waits for, and for a nested deployment
/// waited for, everything that deployment makes; followed to the end.
pub fn waits_for(resources: &[Value]) -> BTreeMap<String, BTreeSet<String>> {
    let by_id: BTreeMap<String, &Value> = resources.iter().map(|r| (id(r), r)).collect();
    let direct = |r: &Value| -> Vec<String> {
        let mut out = ids(&r["dependsOn"]);
        out.extend(ids(&r["implicitDependsOn"]));
        if let Some(d) = r["deploymentId"].as_str().filter(|d| !d.is_empty()) {
            out.push(d.to_lowercase());
        }
        // Waiting for a nested deployment is waiting for what it makes.
        let inner: Vec<String> = out
            .iter()
            .filter_map(|w| by_id.get(w))
            .flat_map(|d| ids(&d["innerResources"]))
            .collect();
        out.extend(inner);
        out
    };
    let mut out = BTreeMap::new();
    for r in resources {
        let mut seen = BTreeSet::new();
        let mut stack = direct(r);
        while let Some(w) = stack.pop() {
            if seen.insert(w.clone()) {
                if let Some(next) = by_id.get(&w) {
                    stack.extend(direct(next));
                }
            }
        }
        out.insert(id(r), seen);
    }
    out
}
