//! The command-line contract: exit codes, dry run, overwrite policy, answers round trip.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

use crate::common::{self, example};

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("ams-private-link").expect("binary");
    cmd.env_remove("NO_COLOR").env("CI", "true");
    cmd
}

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .expect("prefix")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, fs::read(&path).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

fn generate(values: &Path, out: &Path) -> assert_cmd::assert::Assert {
    bin()
        .args(["generate", "--values"])
        .arg(values)
        .arg("--out")
        .arg(out)
        .assert()
}

#[test]
fn generate_writes_every_file_and_reports_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    generate(&example("public-allowlists.yaml"), &out)
        .success()
        .stdout(predicate::str::contains("create"))
        .stderr(predicate::str::contains(
            "warning: streaming endpoint 'default': reachable from the internet at 198.51.100.0/24",
        ))
        .stderr(predicate::str::contains("do not close the public one"));
    let names: Vec<String> = tree(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            ".ams-private-link-answers.yaml",
            ".ams-private-link-files.json",
            "DEPLOY.md",
            "arm/azuredeploy.json",
            "arm/azuredeploy.parameters.json",
            "bicep/main.bicep",
            "bicep/main.bicepparam",
            "bicep/modules/media-services.bicep",
            "topology.svg",
        ]
    );
}

#[test]
fn answers_file_reproduces_byte_identical_output() {
    for path in common::examples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first");
        let second = dir.path().join("second");
        generate(&example(&name), &first).success();
        generate(&first.join(".ams-private-link-answers.yaml"), &second).success();
        assert_eq!(tree(&first), tree(&second), "{name}");
    }
}

#[test]
fn rerun_is_unchanged_and_a_changed_file_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let values = example("fully-private.yaml");
    generate(&values, &out).success();
    generate(&values, &out).success().stdout(
        predicate::str::contains("unchanged").and(predicate::str::contains("create").not()),
    );

    let edited = out.join("bicep/main.bicep");
    fs::write(&edited, "// hand edit\n").unwrap();
    let before = tree(&out);
    generate(&values, &out).code(5).stderr(
        predicate::str::contains("main.bicep (edited since this tool wrote it")
            .and(predicate::str::contains("--force")),
    );
    assert_eq!(tree(&out), before, "a refused run must not touch any file");

    bin()
        .args(["generate", "--force", "--values"])
        .arg(&values)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("overwrite"));
    assert_ne!(fs::read_to_string(&edited).unwrap(), "// hand edit\n");
}

#[test]
fn dry_run_lists_the_plan_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["generate", "--dry-run", "--values"])
        .arg(example("isolated-vnets.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("create").and(predicate::str::contains(
                "bicep/modules/private-endpoints-vnet-studio-a.bicep",
            )),
        )
        .stdout(predicate::str::contains("dry run: nothing was written"))
        // Nothing is there yet, so nothing needs --force.
        .stdout(predicate::str::contains("needs --force").not());
    assert!(!out.exists());

    // Once a file differs, the dry run says it needs --force, unless --force is given.
    let values = example("isolated-vnets.yaml");
    generate(&values, &out).success();
    fs::write(out.join("DEPLOY.md"), "edited\n").unwrap();
    let dry_run = |extra: &[&str]| {
        bin()
            .args(["generate", "--dry-run", "--values"])
            .arg(&values)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .assert()
            .success()
    };
    dry_run(&[]).stdout(predicate::str::contains(
        "DEPLOY.md (needs --force: edited since",
    ));
    dry_run(&["--force"]).stdout(predicate::str::contains("needs --force").not());
}

#[test]
fn format_selects_the_templates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["generate", "--format", "bicep", "--values"])
        .arg(example("fully-private.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("bicep/main.bicep").exists());
    assert!(!out.join("arm").exists());
}

#[test]
fn invalid_input_exits_3_names_file_line_column_and_key_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("bad.yaml");
    fs::write(
        &values,
        "mediaServices:\n  name: Contoso\nstorage:\n  name: contosostore\n  ipRules: [10.0.0.1]\nnetwork:\n  vnets:\n    - {name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {name: s, addressPrefix: 10.0.1.0/24}}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    generate(&values, &out)
        .code(3)
        .stderr(predicate::str::contains("bad.yaml:2:9: mediaServices.name"))
        .stderr(predicate::str::contains(
            "help: did you mean `contoso`? use 3-24 lowercase letters and digits only",
        ))
        .stderr(predicate::str::contains(
            "bad.yaml:5:13: storage.ipRules[0]",
        ))
        .stderr(predicate::str::contains("nothing was written"));
    assert!(!out.exists());
}

#[test]
fn missing_required_values_exit_4_and_are_listed_together() {
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("partial.yaml");
    fs::write(&values, "tags: {env: dev}\n").unwrap();
    generate(&values, &dir.path().join("out"))
        .code(4)
        .stderr(predicate::str::contains(
            "mediaServices.name: required value missing",
        ))
        .stderr(predicate::str::contains(
            "storage.name: required value missing",
        ))
        .stderr(predicate::str::contains(
            "network.vnets: required value missing",
        ))
        .stderr(predicate::str::contains("--set"));
}

#[test]
fn set_overrides_the_file_and_bad_set_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args([
            "generate",
            "--set",
            "mediaServices.name=othermedia",
            "--set",
            "tags.team=video",
            "--values",
        ])
        .arg(example("fully-private.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let params = fs::read_to_string(out.join("arm/azuredeploy.parameters.json")).unwrap();
    assert!(params.contains("\"othermedia\""));
    let template = fs::read_to_string(out.join("arm/azuredeploy.json")).unwrap();
    assert!(template.contains("\"team\": \"video\""));

    bin()
        .args(["validate", "--set", "mediaServices.name=UPPER", "--values"])
        .arg(example("fully-private.yaml"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "--set #1 (mediaServices.name=UPPER): mediaServices.name",
        ));
    bin()
        .args(["validate", "--set", "storage.name.x=1", "--values"])
        .arg(example("fully-private.yaml"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "cannot take key `x` of storage.name",
        ));
}

#[test]
fn usage_errors_exit_2() {
    bin().args(["generate", "--no-such-flag"]).assert().code(2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    generate(&example("fully-private.yaml"), &file)
        .code(2)
        .stderr(predicate::str::contains("is a file, not a folder"));
}

#[cfg(unix)]
#[test]
fn a_symlink_in_the_output_folder_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let outside = dir.path().join("outside.json");
    fs::write(&outside, "precious").unwrap();
    fs::create_dir_all(out.join("arm")).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("arm/azuredeploy.json")).unwrap();
    generate(&example("fully-private.yaml"), &out)
        .code(2)
        .stderr(predicate::str::contains("symbolic link"));
    assert_eq!(fs::read_to_string(&outside).unwrap(), "precious");
}

/// Files an earlier run wrote and this one does not are named in the plan and only removed
/// with --prune; the user's own files, and edited ones, are never removed.
#[test]
fn files_from_an_earlier_run_are_named_and_pruned_only_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let values = example("fully-private.yaml");
    generate(&values, &out).success();
    fs::write(out.join("bicep/notes.md"), "mine").unwrap();
    let arm_only = |extra: &[&str]| {
        let mut cmd = bin();
        cmd.args(["generate", "--force", "--format", "arm", "--values"])
            .arg(&values)
            .arg("--out")
            .arg(&out)
            .args(extra);
        cmd.assert()
    };

    // DEPLOY.md changes with the format: replacing it needs --force, and both the dry run and
    // the refusal say that no edit would be lost.
    let deploy_md = out.join("DEPLOY.md").display().to_string();
    bin()
        .args(["generate", "--dry-run", "--format", "arm", "--values"])
        .arg(&values)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "overwrite {deploy_md} (needs --force: as this tool last wrote it, so no edit is lost)"
        )));
    bin()
        .args(["generate", "--prune", "--format", "arm", "--values"])
        .arg(&values)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(5)
        .stderr(predicate::str::contains(format!(
            "{deploy_md} (as this tool last wrote it, so no edit is lost)"
        )));

    let stale = format!("stale     {}", out.join("bicep/main.bicep").display());
    arm_only(&["--dry-run", "--prune"])
        .success()
        .stdout(predicate::str::contains(format!(
            "remove    {}",
            out.join("bicep/main.bicep").display()
        )));
    assert!(
        out.join("bicep/main.bicep").exists(),
        "a dry run removes nothing"
    );
    arm_only(&[]).success().stdout(
        predicate::str::contains(&stale).and(predicate::str::contains("--prune removes it")),
    );
    assert!(out.join("bicep/main.bicep").exists());
    // Still named by the next run, not forgotten after one mention.
    arm_only(&[])
        .success()
        .stdout(predicate::str::contains(&stale));

    fs::write(out.join("bicep/main.bicepparam"), "// my edit\n").unwrap();
    arm_only(&["--prune"])
        .success()
        .stdout(predicate::str::contains("edited since"));
    let left: Vec<String> = tree(&out.join("bicep"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(left, ["main.bicepparam", "notes.md"]);
    assert!(out.join("arm/azuredeploy.json").exists());
}

#[test]
fn a_simpler_design_names_the_modules_it_no_longer_needs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    generate(&example("isolated-vnets.yaml"), &out).success();
    let module = out.join("bicep/modules/private-endpoints-vnet-studio-a.bicep");
    assert!(module.exists());
    bin()
        .args(["generate", "--force", "--prune", "--values"])
        .arg(example("fully-private.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "remove    {}",
            module.display()
        )));
    assert!(!module.exists());
    assert!(out.join("bicep/modules/media-services.bicep").exists());
}

#[test]
fn unrelated_files_in_the_output_folder_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    generate(&example("fully-private.yaml"), &out).success();
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
}

#[test]
fn validate_reports_warnings_and_writes_nothing() {
    bin()
        .args(["validate", "--values"])
        .arg(example("dns-by-policy.yaml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("valid (4 warning(s))"))
        .stderr(predicate::str::contains(
            "warning: VNet 'vnet-northwind-media': DNS mode policy",
        ))
        // Policy mode tells what a name without a record answers, and that the companion
        // policy writes the Media Services records, for which no built-in does.
        .stderr(predicate::str::contains(
            "a name with no record answers NXDOMAIN from VNets that resolve through the central zones",
        ))
        .stderr(predicate::str::contains(
            "no current built-in policy writes the records of keydelivery, streamingendpoint (Microsoft's for Media Services, b4a7f6c1-585e-4177-ad5b-c2c93f4bb991, is deprecated with its default effect Disabled), so the companion policy written beside this template (dns-policy) does",
        ));
}

#[test]
fn schema_prints_the_embedded_json_schema() {
    let out = bin()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let printed: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let file: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/values.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(printed, file);
}

#[test]
fn completions_and_help_work() {
    bin()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ams-private-link"));
    bin()
        .args(["generate", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("--dry-run")));
}

#[test]
fn a_missing_values_file_is_an_io_error() {
    generate(
        Path::new("/nonexistent/values.yaml"),
        Path::new("/tmp/never"),
    )
    .code(1)
    .stderr(predicate::str::contains(
        "cannot read /nonexistent/values.yaml",
    ));
}

/// `validate` writes nothing by design, so it does not say "nothing was written";
/// `generate` does.
#[test]
fn only_commands_that_write_say_nothing_was_written() {
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input/bad-enum.yaml");
    let validate = bin()
        .args(["validate", "--values"])
        .arg(&bad)
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&validate.get_output().stderr).into_owned();
    assert!(
        stderr.starts_with("error: 1 problem(s) in the input\n"),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["generate", "--values"])
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("; nothing was written"));
}

/// The exit codes the README gives: a values path that is missing or a directory cannot be
/// read (1); a file in the way of the output folder is a usage error naming it (2).
#[test]
fn exit_codes_follow_the_readme_for_paths() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["validate", "--values"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is a directory, not a values file",
        ));
    bin()
        .args(["validate", "--values"])
        .arg(dir.path().join("missing.yaml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read"));
    let blocker = dir.path().join("taken");
    fs::write(&blocker, "a file").unwrap();
    generate(&example("fully-private.yaml"), &blocker.join("out"))
        .code(2)
        .stderr(predicate::str::contains(
            "is a file where the output needs a folder",
        ));
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("bicep"), "a file named like a folder").unwrap();
    generate(&example("fully-private.yaml"), &out)
        .code(2)
        .stderr(predicate::str::contains(
            "bicep is a file where the output needs a folder",
        ));
    fs::create_dir_all(out.join("DEPLOY.md")).unwrap();
    fs::remove_file(out.join("bicep")).unwrap();
    generate(&example("fully-private.yaml"), &out)
        .code(2)
        .stderr(predicate::str::contains(
            "DEPLOY.md is a folder where the tool writes a file",
        ));
}

/// Completion runs in a real bash: a subcommand's options complete, and so do the values of
/// an option.
#[test]
fn bash_completes_a_subcommands_options() {
    let script = bin().args(["completions", "bash"]).output().unwrap().stdout;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("completion.bash");
    fs::write(&path, script).unwrap();
    let complete = |words: &[&str]| -> String {
        let line = words.join(" ");
        let cword = words.len() - 1;
        let program = format!(
            "source {}; COMP_WORDS=({line}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; _ams__private__link ams-private-link '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display(),
            words[cword],
            words[cword - 1]
        );
        let out = std::process::Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &program])
            .output()
            .expect("bash runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(complete(&["ams-private-link", "gen"])
        .lines()
        .any(|l| l == "generate"));
    let options = complete(&["ams-private-link", "generate", "--fo"]);
    assert!(options.lines().any(|l| l == "--format"), "{options:?}");
    assert!(options.lines().any(|l| l == "--force"), "{options:?}");
    let formats = complete(&["ams-private-link", "generate", "--format", ""]);
    assert!(formats.lines().any(|l| l == "bicep"), "{formats:?}");
}

/// What `validate` tells the terminal about `values`, after checking its exit code.
fn validate_stderr(values: &Path, code: i32) -> String {
    let run = bin()
        .args(["validate", "--values"])
        .arg(values)
        .assert()
        .code(code);
    String::from_utf8_lossy(&run.get_output().stderr).into_owned()
}

/// No snippet line is longer than a screenful, whatever the source line was.
fn assert_no_line_printed_whole(stderr: &str) {
    assert!(
        stderr.lines().all(|l| l.chars().count() < 400),
        "a long line was printed whole:\n{stderr}"
    );
}

/// Thousands of problems: the first are shown in full, the rest counted by key; a snippet of a
/// very long line is clipped around the column.
#[test]
fn many_problems_and_long_lines_stay_readable() {
    let dir = tempfile::tempdir().unwrap();
    let rules: Vec<String> = (0..150).map(|i| format!("10.0.0.{i}")).collect();
    let values = dir.path().join("many.yaml");
    fs::write(
        &values,
        format!(
            "mediaServices: {{name: contosomedia}}\nstorage:\n  name: contosostore\n  ipRules: [{}]\nnetwork:\n  vnets:\n    - {{name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {{name: s, addressPrefix: 10.0.1.0/24}}}}\n",
            rules.join(", ")
        ),
    )
    .unwrap();
    let stderr = validate_stderr(&values, 3);
    assert!(
        stderr.starts_with("error: 150 problem(s) in the input"),
        "{stderr}"
    );
    assert!(stderr.contains("... and 130 more problem(s), 20 shown in full above"));
    assert!(
        stderr.contains("  130 × storage.ipRules[*] (first at "),
        "{stderr}"
    );
    assert!(stderr.len() < 20_000, "{} bytes", stderr.len());
    // The ipRules line is about 1,800 characters; no snippet line is longer than a screenful.
    assert_no_line_printed_whole(&stderr);
    assert!(stderr.contains('…'));

    // A document on one line: every line of it is long, and it is clipped all the same,
    // around the value at fault far along it.
    let one_line = dir.path().join("one-line.yaml");
    let tags: Vec<String> = (0..40).map(|i| format!("tag{i}: value{i}")).collect();
    fs::write(
        &one_line,
        format!(
            "{{tags: {{{}}}, mediaServices: {{name: Contoso}}}}",
            tags.join(", ")
        ),
    )
    .unwrap();
    let stderr = validate_stderr(&one_line, 3);
    assert!(stderr.contains("mediaServices.name"), "{stderr}");
    assert_no_line_printed_whole(&stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.contains('│') && l.contains("mediaServices: {name: Contoso}")),
        "the snippet does not show the value at fault:\n{stderr}"
    );
}

/// Problems come in the order a reader meets them: down the file (by line, then column), then
/// the `--set` arguments in the order given, whatever order the checks found them in.
#[test]
fn problems_are_reported_in_file_order_then_set_order() {
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("order.yaml");
    // The media rules run before the network ones and the schema before every rule, so the
    // order found is not the order of the file.
    fs::write(
        &values,
        "network:\n  vnets:\n    - {name: vnet-a, addressPrefixes: [10.0.0.0/33], subnet: {name: s, addressPrefix: 10.0.1.0/24}}\n\
         storage:\n  name: contosostore\n  ipRules: [300.1.1.1, 10.0.0.1]\n\
         mediaServices:\n  name: Contoso\n",
    )
    .unwrap();
    let output = bin()
        .args(["validate", "--format", "json", "--values"])
        .arg(&values)
        .args([
            "--set",
            "storage.sku=Bad",
            "--set",
            "mediaServices.location=x",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String)> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let at = &p["location"];
            let place = match at["line"].as_u64() {
                Some(line) => format!("{line}:{}", at["column"]),
                None => format!("--set #{}", at["setArgument"]),
            };
            (place, p["key"].as_str().unwrap().to_owned())
        })
        .collect();
    let expected = [
        ("3:40", "network.vnets[0].addressPrefixes[0]"),
        ("6:13", "storage.ipRules[0]"),
        ("6:24", "storage.ipRules[1]"),
        ("8:9", "mediaServices.name"),
        ("--set #1", "storage.sku"),
        ("--set #2", "mediaServices.location"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(p, k)| (p.to_string(), k.to_string()))
        .collect();
    assert_eq!(found, expected);
}

/// A file on the record that was since deleted by hand is simply gone: the next run neither
/// stops on it nor names it, and drops it from the record.
#[test]
fn a_recorded_file_deleted_by_hand_is_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let values = example("fully-private.yaml");
    generate(&values, &out).success();
    fs::remove_file(out.join("bicep/main.bicep")).unwrap();
    bin()
        .args(["generate", "--force", "--format", "arm", "--values"])
        .arg(&values)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("main.bicep (").not())
        .stdout(
            predicate::str::contains("stale     ").and(predicate::str::contains("main.bicepparam")),
        );
    let record = fs::read_to_string(out.join(".ams-private-link-files.json")).unwrap();
    assert!(!record.contains("bicep/main.bicep\""), "{record}");
    assert!(record.contains("bicep/main.bicepparam"), "{record}");
}

/// Every file written has `\n` line endings and ends in exactly one newline, whatever the
/// serialiser or a template checked out with CRLF endings gave.
#[test]
fn every_written_file_ends_in_one_newline_without_carriage_returns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    generate(&example("fully-private.yaml"), &out).success();
    let files = tree(&out);
    assert!(files.len() > 5, "{}", files.len());
    for (name, bytes) in files {
        assert!(!bytes.contains(&b'\r'), "{name} has a carriage return");
        assert!(
            bytes.ends_with(b"\n") && !bytes.ends_with(b"\n\n"),
            "{name} does not end in exactly one newline"
        );
    }
}

/// A reader that stops early (`| head -1`) ends the output quietly: no panic, and the exit code
/// is the command's own.
#[test]
fn a_closed_pipe_on_stdout_is_not_a_crash() {
    let commands: [&[&str]; 3] = [
        &["schema"],
        &["validate", "--format", "json", "--values"],
        &["explain", "--values"],
    ];
    for args in commands {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ams-private-link"));
        cmd.args(args);
        if args.last() == Some(&"--values") {
            cmd.arg(example("fully-private.yaml"));
        }
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Closed straight away; the tool writes only once it has loaded and rendered.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

/// Output that cannot be written for any other reason is an error: a full disk must not pass
/// for a complete report.
#[cfg(target_os = "linux")]
#[test]
fn stdout_that_cannot_be_written_is_an_error() {
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("ams-private-link"))
        .arg("schema")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write to standard output"));
}

/// A recorded file that became a folder, whose folder became a file, or that now lies behind
/// a link, is not the tool's to touch: the next run neither fails on it nor removes anything
/// through it, even with --prune.
#[test]
fn a_recorded_file_turned_folder_or_behind_a_link_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let values = example("fully-private.yaml");
    let arm_only_pruned = |out: &Path| {
        bin()
            .args([
                "generate", "--force", "--prune", "--format", "arm", "--values",
            ])
            .arg(&values)
            .arg("--out")
            .arg(out)
            .assert()
    };

    // bicep/main.bicep is now a folder of the user's.
    let out = dir.path().join("folder");
    generate(&values, &out).success();
    let main = out.join("bicep/main.bicep");
    fs::remove_file(&main).unwrap();
    fs::create_dir(&main).unwrap();
    fs::write(main.join("mine.txt"), "mine").unwrap();
    arm_only_pruned(&out).success();
    assert_eq!(fs::read_to_string(main.join("mine.txt")).unwrap(), "mine");

    // bicep/ itself is now a file of the user's: the recorded files under it are gone.
    let out = dir.path().join("file");
    generate(&values, &out).success();
    fs::remove_dir_all(out.join("bicep")).unwrap();
    fs::write(out.join("bicep"), "mine").unwrap();
    arm_only_pruned(&out).success();
    assert_eq!(fs::read_to_string(out.join("bicep")).unwrap(), "mine");

    // bicep/ now links to a folder elsewhere, holding the files exactly as the tool wrote them.
    #[cfg(unix)]
    {
        let out = dir.path().join("link");
        generate(&values, &out).success();
        let elsewhere = dir.path().join("elsewhere");
        fs::rename(out.join("bicep"), &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("bicep")).unwrap();
        let before = tree(&elsewhere);
        arm_only_pruned(&out).success();
        assert_eq!(tree(&elsewhere), before);
    }
}

/// The snippet underlines the wrong segment of a resource ID itself, whether the value is
/// plain or quoted in the YAML.
#[test]
fn a_wrong_segment_of_a_resource_id_is_underlined_where_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let id = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-a/providers/Microsoft.Network/virtualNetwork/vnet-a/subnets/snet-pe";
    for written in [id.to_owned(), format!("'{id}'"), format!("\"{id}\"")] {
        let values = dir.path().join("segment.yaml");
        fs::write(
            &values,
            format!("mediaServices: {{name: contosomedia}}\nstorage: {{name: contosostore}}\nnetwork:\n  vnets:\n    - existingSubnetId: {written}\n      location: westeurope\n      linkNewZones: true\n"),
        )
        .unwrap();
        let run = bin()
            .args(["validate", "--values"])
            .arg(&values)
            .assert()
            .code(3);
        let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
        let lines: Vec<&str> = stderr.lines().collect();
        let source = lines
            .iter()
            .position(|l| l.contains("existingSubnetId:") && l.contains('│'))
            .unwrap_or_else(|| panic!("no snippet:\n{stderr}"));
        let column = |line: &str, what: &str| {
            line.find(what)
                .map(|b| line[..b].chars().count())
                .unwrap_or_else(|| panic!("{what:?} not in {line:?}"))
        };
        assert_eq!(
            column(lines[source + 1], "─"),
            column(lines[source], "virtualNetwork/"),
            "{written}:\n{stderr}"
        );
        assert!(
            lines[source + 1].contains(&format!("{}┬", "─".repeat(7))),
            "the underline spans the segment:\n{stderr}"
        );
    }
}

/// A bad value that the schema's default stands in for is reported alone: the findings that
/// rest on the stand-in (here zoneIds "only used with mode existing", and zones created for an
/// existing VNet) are folded into it, and say so.
#[test]
fn findings_resting_on_a_replaced_value_are_folded_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("mode.yaml");
    fs::write(
        &values,
        "mediaServices:\n  name: contosomedia\nstorage:\n  name: contosostore\nnetwork:\n  vnets:\n    - existingSubnetId: /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe\n      dns:\n        mode: Existing\n        zoneIds:\n          blob: /subscriptions/99999999-8888-7777-6666-555555555555/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net\n",
    )
    .unwrap();
    let output = bin()
        .args(["validate", "--format", "json", "--values"])
        .arg(&values)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let problems = doc["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{doc:#}");
    assert_eq!(problems[0]["key"], "network.vnets[0].dns.mode");
    let hint = problems[0]["hint"].as_str().unwrap();
    assert!(
        hint.contains("did you mean `existing`") && hint.contains("2 further finding(s)"),
        "{hint}"
    );
}

/// A string-typed key given digits on --set takes them as the text typed (leading zeros too).
#[test]
fn set_digits_for_a_text_key_are_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["generate", "--values"])
        .arg(example("fully-private.yaml"))
        .args(["--set", "storage.name=0071234", "--out"])
        .arg(&out)
        .assert()
        .success();
    let answers = fs::read_to_string(out.join(".ams-private-link-answers.yaml")).unwrap();
    assert!(answers.contains("name: \"0071234\""), "{answers}");
}
