//! ARM and Bicep describe the same resources: same types, API versions, names and properties.

use crate::common;

use serde_json::Value;

use common::bicep::{self, EXPR};

#[derive(Debug, PartialEq)]
struct Res {
    rtype: String,
    api: String,
    /// Last name segment (ARM child names carry the parent's too).
    name: String,
    /// Deployed with `deployMediaServices` false too.
    foundation: bool,
    body: Value,
}

fn leaf(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).to_owned()
}

fn strip(body: &Value, keys: &[&str]) -> Value {
    let mut body = body.clone();
    if let Value::Object(map) = &mut body {
        for k in keys {
            map.remove(*k);
        }
    }
    body
}

/// The one condition the templates use.
const SWITCH_ARM: &str = "[parameters('deployMediaServices')]";
const SWITCH_BICEP: &str = "deployMediaServices";

fn arm_resources(template: &Value, out: &mut Vec<Res>) {
    arm_resources_in(template, true, out);
}

fn arm_resources_in(template: &Value, foundation: bool, out: &mut Vec<Res>) {
    for r in template["resources"].as_array().expect("resources array") {
        let c = common::arm::canonical(r);
        let rtype = r["type"].as_str().expect("type").to_owned();
        let conditional = match r.get("condition") {
            None => false,
            Some(c) if c == SWITCH_ARM => true,
            Some(other) => panic!("unexpected condition {other}"),
        };
        if rtype == "Microsoft.Resources/deployments" {
            arm_resources_in(
                &r["properties"]["template"],
                foundation && !conditional,
                out,
            );
            continue;
        }
        assert!(!conditional, "conditions sit on deployments only");
        out.push(Res {
            rtype,
            api: r["apiVersion"].as_str().expect("apiVersion").to_owned(),
            name: leaf(c["name"].as_str().expect("name")),
            foundation,
            body: strip(
                &c,
                &[
                    "type",
                    "apiVersion",
                    "name",
                    "dependsOn",
                    "comments",
                    "scope",
                ],
            ),
        });
    }
}

fn bicep_resources(src: &str, out: &mut Vec<Res>) {
    bicep_resources_in(src, true, out);
}

/// Which Bicep files deploy only with the switch on: those a conditional module declaration
/// names, and every file below them (paths relative to `bicep/`).
fn conditional_files(files: &[ams_private_link::render::File]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in files.iter().filter(|f| f.path.ends_with(".bicep")) {
        let here = f.path.trim_start_matches("bicep/");
        let dir = here.rfind('/').map_or("", |i| &here[..=i]);
        for d in bicep::parse(&f.content).expect("bicep parses") {
            if d.keyword == "module" && (d.condition.is_some() || out.iter().any(|p| p == here)) {
                if let Some(c) = &d.condition {
                    assert_eq!(c, SWITCH_BICEP, "unexpected condition");
                }
                out.push(format!("{dir}{}", d.target));
            }
        }
    }
    out
}

fn bicep_resources_in(src: &str, foundation: bool, out: &mut Vec<Res>) {
    for d in bicep::parse(src).expect("bicep parses") {
        if d.keyword != "resource" {
            continue;
        }
        assert!(d.condition.is_none(), "conditions sit on modules only");
        if foundation {
            // Not even an ordering on what needs Media Services.
            let text = d.body.to_string();
            assert!(
                !text.contains("mediaServicesDeployment") && !text.contains("{mediaEndpoints"),
                "foundation resource {} waits for Media Services: {text}",
                d.symbol
            );
        }
        let (rtype, api) = d.target.split_once('@').expect("type@api");
        out.push(Res {
            rtype: rtype.to_owned(),
            api: api.to_owned(),
            name: d.body["name"].as_str().unwrap_or(EXPR).to_owned(),
            foundation,
            body: strip(&d.body, &["name", "parent", "scope", "dependsOn"]),
        });
    }
}

#[test]
fn arm_and_bicep_agree_for_every_example() {
    for example in common::examples() {
        let files = common::render_file(&example);
        // Every template (main, Resource Manager private link) and every module, in the order
        // rendered: ARM nests modules inline where Bicep has files of their own.
        let mut from_arm = Vec::new();
        for f in files
            .iter()
            .filter(|f| f.path.starts_with("arm/") && !f.path.ends_with(".parameters.json"))
        {
            let arm: Value = serde_json::from_str(&f.content).expect("ARM is JSON");
            arm_resources(&arm, &mut from_arm);
        }
        let conditional = conditional_files(&files);
        let mut from_bicep = Vec::new();
        for f in files.iter().filter(|f| f.path.ends_with(".bicep")) {
            let here = f.path.trim_start_matches("bicep/");
            let foundation = !conditional.iter().any(|p| p == here);
            bicep_resources_in(&f.content, foundation, &mut from_bicep);
        }
        // Both modes are exercised: something deploys only with Media Services, and
        // something without it.
        assert!(
            from_arm.iter().any(|r| r.foundation),
            "{}",
            example.display()
        );
        assert!(
            from_arm.iter().any(|r| !r.foundation),
            "{}",
            example.display()
        );
        assert!(
            from_arm.len() >= 10,
            "{}: too few resources",
            example.display()
        );
        assert_eq!(
            from_arm.len(),
            from_bicep.len(),
            "{}: resource counts differ",
            example.display()
        );
        for (a, b) in from_arm.iter().zip(&from_bicep) {
            assert_eq!(a, b, "{}: ARM and Bicep differ", example.display());
        }
    }
}

#[test]
fn parameters_files_agree() {
    let mut pairs_checked = 0;
    for example in common::examples() {
        let files = common::render_file(&example);
        for (arm_file, bicep_file) in [
            ("arm/azuredeploy.parameters.json", "bicep/main.bicepparam"),
            (
                "arm/resource-management-private-link.parameters.json",
                "bicep/resource-management-private-link.bicepparam",
            ),
        ] {
            if !files.iter().any(|f| f.path == arm_file) {
                continue;
            }
            let arm: Value = serde_json::from_str(common::file(&files, arm_file)).expect("JSON");
            let arm_params: Vec<(String, Value)> = arm["parameters"]
                .as_object()
                .expect("parameters")
                .iter()
                .map(|(k, v)| (k.clone(), v["value"].clone()))
                .collect();
            let bicep_params: Vec<(String, Value)> = bicep::parse(common::file(&files, bicep_file))
                .expect("bicepparam parses")
                .into_iter()
                .filter(|d| d.keyword == "param")
                .map(|d| (d.symbol, d.body))
                .collect();
            assert_eq!(arm_params, bicep_params, "{} {arm_file}", example.display());
            assert!(!arm_params.is_empty(), "{arm_file}");
            pairs_checked += 1;
        }
    }
    assert!(
        pairs_checked > common::examples().len(),
        "the Resource Manager pair was never checked"
    );
}

/// The agreement check itself must notice a difference.
#[test]
fn agreement_check_detects_a_changed_property() {
    let files = common::render_file(&common::examples()[0]);
    let bicep_src = common::file(&files, "bicep/main.bicep").replacen(
        "publicNetworkAccess: 'Disabled'",
        "publicNetworkAccess: 'Enabled'",
        1,
    );
    let arm: Value =
        serde_json::from_str(common::file(&files, "arm/azuredeploy.json")).expect("JSON");
    let mut from_arm = Vec::new();
    arm_resources(&arm, &mut from_arm);
    let mut from_bicep = Vec::new();
    bicep_resources(&bicep_src, &mut from_bicep);
    assert_ne!(from_arm, from_bicep);
}
