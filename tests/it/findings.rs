//! What the tool tells a reviewer and a pipeline about a design: the topology picture (SVG and
//! Mermaid), `explain`, `validate --format json|sarif`, and the pipeline examples that use them.

use crate::common;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use ams_private_link::model::{self, Deployment};
use ams_private_link::values;

/// Run from the checkout, as a pipeline runs from its repository, so paths stay relative.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("ams-private-link").expect("binary");
    cmd.env("CI", "true")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn deployment(path: &Path) -> Deployment {
    model::build(values::load(Some(path), &[]).unwrap()).unwrap()
}

/// Every VNet, endpoint and zone name of the model.
fn names(d: &Deployment) -> Vec<String> {
    let mut out = Vec::new();
    for v in &d.resolution.clients {
        out.push(v.client.clone());
        for n in &v.names {
            if let model::Answer::Endpoint { endpoint, .. } = &n.answer {
                out.push(endpoint.clone());
            }
            if !n.zone.starts_with("none") {
                out.push(n.zone.split(", ").next().unwrap().to_owned());
            }
        }
    }
    for v in &d.vnets {
        out.push(v.key().to_owned());
        if v.endpoints {
            out.extend(
                d.targets()
                    .iter()
                    .filter(|t| d.media.deploy || !t.service.needs_media())
                    .map(|t| t.endpoint_name(v.key())),
            );
        }
    }
    out.sort();
    out.dedup();
    out
}

fn mermaid_block(deploy_md: &str) -> &str {
    let start = deploy_md.find("```mermaid\n").expect("a mermaid block") + 11;
    let len = deploy_md[start..].find("\n```").expect("closed");
    &deploy_md[start..start + len]
}

#[test]
fn each_examples_picture_renders_and_names_every_vnet_endpoint_and_zone() {
    for example in common::examples() {
        let d = deployment(&example);
        let files = common::render_file(&example);
        let svg = common::file(&files, "topology.svg");
        let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
            .unwrap_or_else(|e| panic!("{}: {e}", example.display()));
        let size = tree.size().to_int_size();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        // Not empty: besides the white background, the boxes and edges are drawn.
        let drawn = pixmap
            .pixels()
            .iter()
            .filter(|p| (p.red(), p.green(), p.blue()) != (255, 255, 255))
            .count();
        assert!(
            drawn > 2_000,
            "{}: only {drawn} drawn pixels",
            example.display()
        );
        let mermaid = mermaid_block(common::file(&files, "DEPLOY.md"));
        for name in names(&d) {
            assert!(
                svg.contains(&name),
                "{}: SVG lacks {name}",
                example.display()
            );
            assert!(
                mermaid.contains(&name),
                "{}: Mermaid lacks {name}",
                example.display()
            );
        }
        // Without Media Services, the pictures show the foundation alone.
        if !d.media.deploy {
            let media = format!("pe-{}-keydelivery", d.media.name);
            assert!(!svg.contains(&media), "{}", example.display());
            assert!(!mermaid.contains(&media), "{}", example.display());
            assert!(!mermaid.contains("Media Services"), "{}", example.display());
        }
    }
}

/// Every box of the picture, as (x, y, width, height).
fn rects(svg: &str) -> Vec<(u32, u32, u32, u32)> {
    svg.lines()
        .filter(|l| l.trim_start().starts_with("<rect x="))
        .map(|l| {
            let attr = |name: &str| -> u32 {
                let start = l.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                l[start..start + l[start..].find('"').unwrap()]
                    .parse()
                    .unwrap()
            };
            (attr("x"), attr("y"), attr("width"), attr("height"))
        })
        .collect()
}

/// Boxes either nest (an endpoint in its VNet) or are apart: labels sit inside their box, so
/// no label overlaps another.
#[test]
fn no_two_boxes_of_a_picture_overlap() {
    for example in common::examples() {
        let files = common::render_file(&example);
        let boxes = rects(common::file(&files, "topology.svg"));
        assert!(boxes.len() > 5, "{}", example.display());
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart =
                    a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
                let nested = |o: &(u32, u32, u32, u32), n: &(u32, u32, u32, u32)| {
                    o.0 <= n.0 && o.1 <= n.1 && n.0 + n.2 <= o.0 + o.2 && n.1 + n.3 <= o.1 + o.3
                };
                assert!(
                    apart || nested(a, b) || nested(b, a),
                    "{}: {a:?} and {b:?} overlap",
                    example.display()
                );
            }
        }
    }
}

/// The statements the Mermaid block may hold; anything else is a syntax slip.
#[test]
fn every_mermaid_line_is_a_statement_mermaid_knows() {
    let node = r#"[A-Za-z0-9_]+"#;
    let label = r#""[^"]*""#;
    let shapes = [
        format!(r"^  internet\(\({label}\)\)$"),
        format!(r"^  {node}\[{label}\]$"),
        format!(r"^  {node}\[\[{label}\]\]$"),
        format!(r"^  {node}\[\({label}\)\]$"),
        format!(r"^    {node}\[{label}\]$"),
        format!(r"^  subgraph {node}\[{label}\]$"),
        "^  end$".to_owned(),
        format!(r"^  {node} (-->|--x|---|-\.->\|[a-z]+\||-\.-\|[a-z]+\|) {node}$"),
        r"^  classDef [a-z]+ [a-z:#0-9,-]+$".to_owned(),
        format!(r"^  class {node} [a-z]+$"),
    ];
    let patterns: Vec<regex::Regex> = shapes
        .iter()
        .map(|s| regex::Regex::new(s).unwrap())
        .collect();
    for example in common::examples() {
        let files = common::render_file(&example);
        let block = mermaid_block(common::file(&files, "DEPLOY.md"));
        let mut lines = block.lines();
        assert_eq!(lines.next(), Some("graph LR"));
        for line in lines {
            assert!(
                patterns.iter().any(|p| p.is_match(line)),
                "{}: {line:?}",
                example.display()
            );
        }
    }
}

fn validate(args: &[&str]) -> (Option<i32>, Value, String) {
    let out = bin().arg("validate").args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"));
    (
        out.status.code(),
        json,
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `validate --format json` on a file the test expects to be valid: its findings.
fn valid_findings(path: &Path) -> Value {
    let shown = path.display().to_string();
    let (code, doc, stderr) = validate(&["--values", &shown, "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}\n{doc}");
    doc
}

/// The OASIS schema, vendored unchanged. One of its patterns (`run.language`) ends in a
/// stray `]`, which ECMA-262 reads as a literal but the validator's meta-check of `format:
/// regex` rejects; it is escaped here, in memory, to the same meaning. No result of ours has
/// a `language`.
fn sarif_validator() -> jsonschema::Validator {
    let text = include_str!("../sarif/sarif-schema-2.1.0.json");
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(stray), "the vendored schema changed");
    let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid_sarif(validator: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// What GitHub code scanning needs beyond the schema: every result has a location with a file
/// and a line, and each rule appears once.
fn assert_uploadable(doc: &Value, what: &str) {
    let run = &doc["runs"][0];
    for r in run["results"].as_array().unwrap() {
        let physical = &r["locations"][0]["physicalLocation"];
        assert!(
            physical["artifactLocation"]["uri"].is_string()
                && physical["region"]["startLine"]
                    .as_u64()
                    .is_some_and(|l| l >= 1),
            "{what}: a result without a location: {r}"
        );
    }
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{what}: a rule listed twice");
}

#[test]
fn every_examples_sarif_is_valid_sarif_2_1_0() {
    let validator = sarif_validator();
    for example in common::examples() {
        let path = example.display().to_string();
        let (code, doc, _) = validate(&["--values", &path, "--format", "sarif"]);
        assert_eq!(code, Some(0), "{path}");
        assert_valid_sarif(&validator, &doc, &path);
        assert_uploadable(&doc, &path);
        assert_eq!(doc["version"], "2.1.0");
        let warnings = deployment(&example).warnings.len();
        assert_eq!(
            doc["runs"][0]["results"].as_array().unwrap().len(),
            warnings,
            "{path}: one result per warning"
        );
    }
    // Invalid input too: problems as errors, at their line, exit code as in text mode.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input");
    let mut checked = 0;
    for entry in std::fs::read_dir(corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let shown = path.display().to_string();
        // The corpus file's own extra arguments (`# args:`), as its harness passes them.
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let extra: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# args:"))
            .flat_map(str::split_whitespace)
            .collect();
        let mut args = vec!["--values", shown.as_str(), "--format", "sarif"];
        args.extend(extra);
        let (code, doc, _) = validate(&args);
        assert!(matches!(code, Some(3 | 4)), "{shown}: {code:?}");
        assert_valid_sarif(&validator, &doc, &shown);
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert!(results.iter().any(|r| r["level"] == "error"), "{shown}");
        assert_uploadable(&doc, &shown);
        checked += 1;
    }
    assert!(checked > 100, "the corpus: {checked}");
}

/// Code scanning shows an open door on the line that opened it.
#[test]
fn a_sarif_warning_points_at_the_line_and_column_that_opened_the_door() {
    let example = Path::new("examples/public-allowlists.yaml");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(example)).unwrap();
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("ipAllowList: [203.0.113.0/24")
                .map(|c| (i + 1, c + 14))
        })
        .unwrap();
    let shown = example.display().to_string();
    let (_, doc, _) = validate(&["--values", &shown, "--format", "sarif"]);
    let run = &doc["runs"][0];
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with("key delivery:")
        })
        .unwrap();
    assert_eq!(result["ruleId"], "exposure/allowlist");
    assert_eq!(result["level"], "warning");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], line as u64);
    assert_eq!(region["startColumn"], column as u64);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        shown.as_str()
    );
    // The rule is described once, with its ID, and the result points at it.
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    let rule = &run["tool"]["driver"]["rules"][index];
    assert_eq!(rule["id"], "exposure/allowlist");
    assert!(rule["shortDescription"]["text"].as_str().unwrap().len() > 10);
    assert!(rule["help"]["text"].as_str().unwrap().len() > 10);
}

#[test]
fn a_problem_from_set_points_at_the_values_file_and_names_the_argument() {
    let shown = "examples/fully-private.yaml";
    let (code, doc, stderr) = validate(&[
        "--values",
        shown,
        "--set",
        "mediaServices.name=Bad-Name",
        "--format",
        "sarif",
    ]);
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("Bad-Name"),
        "the text report still goes to stderr"
    );
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "schema/pattern");
    // Code scanning needs a location on every result: the values file, at line 1.
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], shown);
    assert_eq!(physical["region"]["startLine"], 1);
    assert!(result["message"]["text"]
        .as_str()
        .unwrap()
        .contains("--set #1: mediaServices.name=Bad-Name"));
}

#[test]
fn json_findings_hold_problems_warnings_exposure_and_resolution() {
    let example = common::example("two-vnets.yaml");
    let doc = valid_findings(&example);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["valid"], true);
    assert_eq!(doc["problems"], serde_json::json!([]));
    let warning = &doc["warnings"][0];
    assert_eq!(warning["rule"], "dns/link-existing-vnet");
    assert_eq!(warning["key"], "network.vnets[1].linkNewZones");
    assert!(warning["location"]["line"].as_u64().unwrap() > 1);
    let storage = doc["exposure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "storage account tailspinmediastore")
        .unwrap();
    assert_eq!(storage["internet"]["kind"], "closed");
    assert_eq!(
        storage["privateFrom"],
        serde_json::json!(["vnet-media", "vnet-ops"])
    );
    let ops = doc["resolution"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["vnet"] == "vnet-ops")
        .unwrap();
    assert!(ops["names"][0]["answer"]
        .as_str()
        .unwrap()
        .contains("in vnet-media"));

    // Invalid values: the problems, and no exposure or resolution (they are unknown).
    let (code, doc, _) = validate(&[
        "--values",
        &example.display().to_string(),
        "--set",
        "storage.sku=Premium_LRS",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(3));
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["problems"][0]["key"], "storage.sku");
    assert_eq!(doc["problems"][0]["location"]["setArgument"], 1);
    assert_eq!(doc["exposure"], Value::Null);
}

#[test]
fn explain_prints_who_reaches_each_door_and_what_each_vnet_resolves() {
    let example = common::example("public-allowlists.yaml");
    bin()
        .args(["explain", "--values"])
        .arg(&example)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "streaming endpoint 'premium1'       198.51.100.0/24, 192.0.2.10",
        ))
        .stdout(predicate::str::contains("vnet-fabrikam-media"))
        .stdout(predicate::str::contains("Name resolution"))
        // Not a terminal: no colour codes.
        .stdout(predicate::str::contains("\u{1b}[").not());
}

/// Every `ams-private-link` command line in the pipeline examples, as words.
fn tool_commands(v: &Value, out: &mut Vec<Vec<String>>) {
    match v {
        Value::String(s) => {
            let joined = s.replace("\\\n", " ");
            for line in joined.lines() {
                let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
                if let Some(at) = words.iter().position(|w| w == "ams-private-link") {
                    // `cargo install … ams-private-link` installs it, and a step's name
                    // mentions it; neither is a command.
                    if at + 1 < words.len() && !words[..at].iter().any(|w| w == "install") {
                        out.push(words[at + 1..].to_vec());
                    }
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| tool_commands(i, out)),
        Value::Object(map) => map.values().for_each(|i| tool_commands(i, out)),
        _ => {}
    }
}

#[test]
fn the_pipeline_examples_parse_and_use_only_commands_and_flags_that_exist() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pipelines");
    let help = |args: &[&str]| {
        let out = bin().args(args).arg("--help").output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let top = help(&[]);
    for name in ["github-actions.yml", "azure-pipelines.yml"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let doc: Value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut commands = Vec::new();
        tool_commands(&doc, &mut commands);
        let used: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
        for needed in ["validate", "generate", "explain"] {
            assert!(used.contains(&needed), "{name} runs {needed}");
        }
        assert!(text.contains("--format sarif"), "{name} writes SARIF");
        assert!(text.contains("what-if") && text.contains("az deployment group create"));
        for words in &commands {
            let sub = &words[0];
            assert!(
                top.contains(&format!("\n  {sub} ")),
                "{name}: no subcommand {sub}"
            );
            let sub_help = help(&[sub]);
            for flag in words.iter().filter(|w| w.starts_with("--")) {
                assert!(
                    sub_help.contains(&format!("{flag} ")),
                    "{name}: `{sub}` has no {flag}"
                );
            }
        }
        // Workload identity federation: no secret is named or passed.
        for forbidden in [
            "client-secret",
            "secrets.",
            "AZURE_CLIENT_SECRET",
            "password",
        ] {
            assert!(!text.contains(forbidden), "{name} holds {forbidden}");
        }
    }
    let github = std::fs::read_to_string(dir.join("github-actions.yml")).unwrap();
    assert!(github.contains("id-token: write") && github.contains("azure/login@v2"));
    assert!(github.contains("github/codeql-action/upload-sarif"));
    // The tool is built once per run at most: one install step, behind a cache of the binary,
    // and the later jobs deploy the rendered templates from the run's artifact.
    for (name, cache, hit) in [
        (
            "github-actions.yml",
            "actions/cache@v4",
            "steps.tool.outputs.cache-hit != 'true'",
        ),
        (
            "azure-pipelines.yml",
            "Cache@2",
            "ne(variables.TOOL_CACHED, 'true')",
        ),
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(
            text.matches("cargo install").count(),
            1,
            "{name} builds the tool once"
        );
        assert!(
            text.contains(cache) && text.contains(hit),
            "{name} caches the tool"
        );
        assert_eq!(
            text.matches("ams-private-link generate").count(),
            1,
            "{name} renders once, for what-if and deploy alike"
        );
    }
}

/// The README shows the picture of one example; it must be that example's current picture.
#[test]
fn the_readme_picture_is_the_two_vnets_examples_current_topology() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = common::render_file(&common::example("two-vnets.yaml"));
    let committed = std::fs::read_to_string(root.join("docs/topology-two-vnets.svg")).unwrap();
    assert!(
        committed == common::file(&files, "topology.svg"),
        "regenerate: ams-private-link generate --values examples/two-vnets.yaml --out /tmp/t \
         && cp /tmp/t/topology.svg docs/topology-two-vnets.svg"
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("(docs/topology-two-vnets.svg)"));
}

/// The largest input the schema allows stays readable: every list at its maximum, every
/// allowlist at 200 addresses. Doors of one kind and reach are grouped, allowlists show three
/// ranges and a count, so the picture grows with the VNets and endpoints, not the addresses.
#[test]
fn the_largest_input_the_schema_allows_gives_a_readable_picture() {
    let ips = |base: &str| -> Vec<String> { (0..200).map(|i| format!("{base}.{i}")).collect() };
    let vnets: Vec<Value> = (0..10)
        .map(|i| {
            serde_json::json!({
                "existingSubnetId": format!("/subscriptions/11111111-2222-3333-4444-55555555555{i}/resourceGroups/rg-studio-{i}/providers/Microsoft.Network/virtualNetworks/vnet-studio-{i}/subnets/snet-pe"),
                "location": "westeurope",
                "dns": {"mode": "create"},
                "linkNewZones": true,
            })
        })
        .collect();
    let values = serde_json::json!({
        "location": "westeurope",
        "mediaServices": {
            "name": "contosomedia",
            "publicNetworkAccess": "Enabled",
            "keyDelivery": {"defaultAction": "Deny", "ipAllowList": ips("203.0.113")},
            "streamingEndpoints": (0..10).map(|i| serde_json::json!({
                "name": if i == 0 { "default".to_owned() } else { format!("se{i}") },
                "ipAllowList": ips("198.51.100"),
            })).collect::<Vec<_>>(),
            "liveEvents": (0..20).map(|i| serde_json::json!({
                "name": format!("live{i}"),
                "ingestAllowList": ips("192.0.2"),
                "previewAllowList": ips("203.0.113"),
            })).collect::<Vec<_>>(),
        },
        "storage": {
            "name": "contosomediastore",
            "privateEndpoints": ["blob", "queue", "table", "file"],
            "ipRules": ips("198.51.100"),
        },
        "network": {"vnets": vnets},
        "privateLink": {"groups": ["keydelivery", "streamingendpoint", "liveevent"]},
    });
    // JSON is YAML: the file is written as JSON.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("largest.yaml");
    std::fs::write(&path, serde_json::to_string(&values).unwrap()).unwrap();
    let files = common::render_file(&path);
    let mermaid = mermaid_block(common::file(&files, "DEPLOY.md"));
    let svg = common::file(&files, "topology.svg");
    // 10 VNets x 7 endpoints, 50 zones; the 31 public doors of Media Services are 4 boxes.
    let doors = mermaid
        .lines()
        .filter(|l| l.starts_with("  door") && l.contains('['))
        .count();
    assert_eq!(doors, 5, "{mermaid}");
    assert!(mermaid.matches("    endpoint").count() == 70, "{mermaid}");
    for (text, what) in [(mermaid, "Mermaid"), (svg, "SVG")] {
        let addresses = text.matches("198.51.100.").count() + text.matches("203.0.113.").count();
        assert!(addresses <= 4 * 3, "{what} draws {addresses} addresses");
        assert!(text.contains("(+197 more)"), "{what}");
    }
    assert!(mermaid.contains("live event ingest x20: live0, live1, live2 (+17 more)"));
    let height: u32 = svg
        .split("height=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .and_then(|h| h.parse().ok())
        .unwrap();
    // One row of 40 px per endpoint, plus the VNet headers: tall, but every label legible,
    // and nothing grows with the 6,400 addresses.
    assert!(height < 4_000, "{height}");
}

#[test]
fn sarif_without_a_values_file_is_refused() {
    bin()
        .args([
            "validate",
            "--set",
            "mediaServices.name=contosomedia",
            "--format",
            "sarif",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format sarif needs --values"));
}

/// A file that leaves `default` out and lists two endpoints: the model adds `default` first,
/// and each warning still points at its own endpoint's line.
#[test]
fn warnings_point_at_their_own_streaming_endpoint_when_default_is_implicit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("values.yaml");
    let yaml = "mediaServices:
  name: contosomedia
  publicNetworkAccess: Enabled
  streamingEndpoints:
    - name: first
      ipAllowList: [198.51.100.0/24]
    - name: second
      ipAllowList: [203.0.113.0/24]
storage:
  name: contosomediastore
network:
  vnets:
    - name: vnet-media
      addressPrefixes: [10.0.0.0/16]
      subnet: {name: snet-pe, addressPrefix: 10.0.1.0/24}
";
    std::fs::write(&path, yaml).unwrap();
    let doc = valid_findings(&path);
    let line_of = |needle: &str| yaml.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    for (subject, needle, index) in [
        ("streaming endpoint 'first'", "198.51.100.0/24", 0),
        ("streaming endpoint 'second'", "203.0.113.0/24", 1),
    ] {
        let w = doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["subject"] == subject)
            .unwrap();
        assert_eq!(
            w["key"],
            format!("mediaServices.streamingEndpoints[{index}].ipAllowList")
        );
        assert_eq!(w["location"]["line"], line_of(needle), "{subject}");
    }
}

/// The door model, checked where the examples all agree and would hide a slip: a door whose
/// service has no endpoint is reached from no VNet, a VNet with DNS mode none reaches nothing
/// privately, and each DNS warning points at the setting the VNet follows.
#[test]
fn doors_are_reached_only_through_their_own_endpoints_and_only_where_names_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("values.yaml");
    let write_and_validate = |extra: &str| {
        let yaml = format!(
            "mediaServices:
  name: contosomedia
  liveEvents: [{{name: live1, streamingProtocol: RTMP, encodingType: PassthroughStandard}}]
storage:
  name: contosomediastore
network:
  vnets:
    - name: vnet-media
      addressPrefixes: [10.0.0.0/16]
      subnet: {{name: snet-pe, addressPrefix: 10.0.1.0/24}}
{extra}"
        );
        std::fs::write(&path, yaml).unwrap();
        valid_findings(&path)
    };
    let from = |doc: &Value, door: &str| {
        doc["exposure"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == door)
            .unwrap_or_else(|| panic!("no door {door}: {doc}"))["privateFrom"]
            .clone()
    };

    // No Media Services group IDs: storage is reached privately, the account's doors are not.
    let doc = write_and_validate("privateLink: {groups: []}\n");
    assert_eq!(
        from(&doc, "storage account contosomediastore"),
        serde_json::json!(["vnet-media"])
    );
    for door in [
        "key delivery",
        "streaming endpoint 'default'",
        "live event 'live1' ingest",
    ] {
        assert_eq!(from(&doc, door), serde_json::json!([]), "{door}");
    }

    // DNS mode none: the endpoints exist, but nothing makes the names resolve to them.
    let doc = write_and_validate("privateLink: {groups: [keydelivery], dns: {mode: none}}\n");
    assert_eq!(
        from(&doc, "storage account contosomediastore"),
        serde_json::json!([])
    );
    let warning = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["rule"] == "dns/unmanaged")
        .unwrap();
    assert_eq!(warning["key"], "privateLink.dns");

    // A VNet's own DNS is the setting its warning points at (on DNS servers of its own, a new
    // VNet in policy mode needs no central zone IDs to be linked to; Media Services' zone is
    // named for the companion policy, which no built-in replaces).
    let doc = write_and_validate("      dns: {mode: policy, zoneIds: {media: /subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.media.azure.net}}\n      dnsServers: [10.1.0.4]\n");
    let warning = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["rule"] == "dns/policy")
        .unwrap();
    assert_eq!(warning["key"], "network.vnets[0].dns");
}

/// A short list is shown whole, with no "(+0 more)".
#[test]
fn a_list_of_three_is_shown_without_a_count() {
    let files = common::render_yaml(
        "mediaServices:
  name: contosomedia
  publicNetworkAccess: Enabled
  keyDelivery: {defaultAction: Deny, ipAllowList: [203.0.113.1, 203.0.113.2, 203.0.113.3]}
  streamingEndpoints:
    - {name: default, ipAllowList: [198.51.100.0/24]}
    - {name: se2, ipAllowList: [198.51.100.0/24]}
storage:
  name: contosomediastore
network:
  vnets:
    - name: vnet-media
      addressPrefixes: [10.0.0.0/16]
      subnet: {name: snet-pe, addressPrefix: 10.0.1.0/24}
",
    );
    let mermaid = mermaid_block(common::file(&files, "DEPLOY.md"));
    assert!(
        mermaid.contains("internet: 203.0.113.1, 203.0.113.2, 203.0.113.3\""),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("streaming endpoint x2: default, se2<br/>"),
        "{mermaid}"
    );
    assert!(!mermaid.contains("+0 more"), "{mermaid}");
}

/// The foundation alone: the JSON says so, and neither its exposure, its resolution nor its
/// warnings (in JSON and SARIF) name Media Services' doors, endpoints or names; the storage
/// door is closed by having no public endpoint.
#[test]
fn the_foundation_alone_is_reported_without_media_services() {
    let path = common::example("foundation-only.yaml");
    let doc = valid_findings(&path);
    assert_eq!(doc["mediaServicesDeployed"], false);
    let text = doc.to_string();
    for media in [
        "keydelivery",
        "streamingendpoint",
        "exposure/public-network-access",
    ] {
        assert!(!text.contains(media), "{media} in {doc:#}");
    }
    let storage = doc["exposure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("storage account"))
        })
        .expect("the storage door");
    assert!(
        storage["why"]
            .as_str()
            .unwrap()
            .contains("publicNetworkAccess Disabled"),
        "{storage}"
    );
    let shown = path.display().to_string();
    let (code, sarif, stderr) = validate(&["--values", &shown, "--format", "sarif"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!sarif.to_string().contains("keydelivery"), "{sarif:#}");
}
