//! The bad-input corpus: every file in tests/bad-input/ states, in `# expect-exit:` and
//! `# expect:` header lines (or a sidecar `.expect` file), the exit code and the message
//! fragments it must produce. `generate` must also write nothing.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

struct Case {
    exit: i32,
    expected: Vec<String>,
    /// Extra command-line arguments (`# args:`), e.g. `--set` cases.
    args: Vec<String>,
}

fn expectations(path: &Path) -> Case {
    let sidecar = path.with_extension("expect");
    let header = if sidecar.exists() {
        fs::read_to_string(&sidecar).expect("sidecar")
    } else {
        fs::read_to_string(path).expect("corpus files are UTF-8 unless they have a sidecar")
    };
    let mut exit = None;
    let mut expected = Vec::new();
    let mut args = Vec::new();
    for line in header.lines() {
        if let Some(code) = line.strip_prefix("# expect-exit:") {
            exit = Some(code.trim().parse().expect("exit code"));
        } else if let Some(text) = line.strip_prefix("# expect:") {
            expected.push(text.trim().to_owned());
        } else if let Some(text) = line.strip_prefix("# args:") {
            args.extend(text.split_whitespace().map(str::to_owned));
        }
    }
    Case {
        exit: exit.unwrap_or_else(|| panic!("{} has no # expect-exit line", path.display())),
        expected,
        args,
    }
}

#[test]
fn every_corpus_file_fails_as_expected_and_writes_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 60, "corpus shrank to {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let case = expectations(file);
        let out = tempfile::tempdir().expect("tempdir");
        let target = out.path().join("out");
        let run = Command::cargo_bin("ams-private-link")
            .expect("binary")
            .env("CI", "true")
            .args(["generate", "--values"])
            .arg(file)
            .args(&case.args)
            .arg("--out")
            .arg(&target)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let name = file.file_name().expect("name").to_string_lossy();
        if run.status.code() != Some(case.exit) {
            failures.push(format!(
                "{name}: exit {:?}, expected {}\n{stderr}",
                run.status.code(),
                case.exit
            ));
        }
        // A snippet near the top of a file shows its own `# expect:` lines; they must not be
        // what matches.
        let messages: String = stderr
            .lines()
            .filter(|l| !l.contains("# expect"))
            .collect::<Vec<_>>()
            .join("\n");
        for fragment in &case.expected {
            if !messages.contains(fragment.as_str()) {
                failures.push(format!("{name}: stderr lacks {fragment:?}\n{stderr}"));
            }
        }
        if target.exists() {
            failures.push(format!("{name}: wrote {}", target.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The file size limit holds to the byte: 1 MiB is read (here, the foundation-only example
/// padded with a comment), one byte more is refused by its size, with both sizes named.
#[test]
fn a_values_file_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
    const LIMIT: usize = 1024 * 1024;
    let dir = tempfile::tempdir().expect("tempdir");
    let of_size = |len: usize| {
        let mut text =
            fs::read_to_string(crate::common::example("foundation-only.yaml")).expect("example");
        text.push('#');
        text.push_str(&"x".repeat(len - text.len()));
        let path = dir.path().join(format!("values-{len}.yaml"));
        fs::write(&path, text).expect("write");
        path
    };
    let validate = |path: &std::path::Path| {
        Command::cargo_bin("ams-private-link")
            .expect("binary")
            .env("CI", "true")
            .args(["validate", "--values"])
            .arg(path)
            .assert()
    };
    validate(&of_size(LIMIT)).code(0);
    validate(&of_size(LIMIT + 1))
        .code(3)
        .stderr(predicates::str::contains(
            "is 1048577 bytes; a values file may be at most 1048576 bytes",
        ));
}

/// Too large to commit, so made here: a 10 MB file is refused by its size, before parsing.
#[test]
fn a_ten_megabyte_file_is_refused_without_reading_it_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.yaml");
    let mut text = String::from("tags:\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "  k{}: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n",
            text.len()
        ));
    }
    fs::write(&big, text).expect("write");
    Command::cargo_bin("ams-private-link")
        .expect("binary")
        .args(["validate", "--values"])
        .arg(&big)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "a values file may be at most 1048576 bytes",
        ));
}
