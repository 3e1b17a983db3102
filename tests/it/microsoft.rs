//! What Microsoft's own tools hold the output to, checked without Azure: every pinned API
//! version is real and recent (arm-ttk's and Bicep's recency rules), every version written
//! comes from the one table, and the generated Bicep is unchanged by `bicep format`.
//!
//! The data and the Bicep CLI come from `../shared` (beside the checkout, as on CI). Without
//! it these tests say so and pass, except under CI, where a missing tool is a failure.

use crate::common;
use common::shared;

use std::collections::BTreeSet;
use std::process::Command;

use ams_private_link::template::api;
use serde_json::Value;

/// Bicep's and arm-ttk's limit: older versions are flagged unless they are the newest.
const MAX_AGE_DAYS: i64 = 730;

/// Types the bundled ARM schemas (and so `known-api-versions.json`) do not cover. They are
/// only declared `existing` in a Bicep module, so Bicep's own type data checks them
/// (`use-recent-api-versions` in `check-bicep-cli`).
const OUTSIDE_THE_KNOWN_LIST: &[&str] = &[
    "Microsoft.EventHub/namespaces",
    "Microsoft.EventHub/namespaces/eventhubs",
];

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (the civil-from-days algorithm, inverted).
fn days(date: &str) -> i64 {
    let parts: Vec<i64> = date[..10].split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[test]
fn day_arithmetic_matches_the_calendar() {
    assert_eq!(days("1970-01-01"), 0);
    assert_eq!(days("2000-03-01") - days("2000-02-28"), 2); // leap year
    assert_eq!(days("2026-12-01") - days("2024-11-30"), 731);
    assert_eq!(days("2026-12-01") - days("2024-05-01"), 944); // as Bicep reported it
}

#[test]
fn every_pinned_api_version_is_known_and_recent() {
    let Some(path) = shared("arm-schemas/known-api-versions.json") else {
        return;
    };
    let known: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let types = &known["types"];
    let reviewed = days(api::REVIEWED);
    // A review date in the future, or older than what it reviewed, would make every age look
    // young.
    let today = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            / 86_400,
    )
    .unwrap();
    assert!(
        reviewed <= today,
        "REVIEWED {} is in the future",
        api::REVIEWED
    );
    let newest_pinned = api::TABLE.iter().map(|(_, v)| days(v)).max().unwrap();
    assert!(
        reviewed >= newest_pinned,
        "REVIEWED {} predates a version it covers",
        api::REVIEWED
    );
    let mut unknown = Vec::new();
    for (rtype, version) in api::TABLE {
        let Some(listed) = types[rtype.to_lowercase()].as_array() else {
            unknown.push(*rtype);
            continue;
        };
        let stable: Vec<&str> = listed
            .iter()
            .filter_map(Value::as_str)
            .filter(|v| !v.contains("preview"))
            .collect();
        assert!(
            stable.contains(version),
            "{rtype}@{version} is not a published stable version; known: {stable:?}"
        );
        let newest = stable.iter().max().unwrap();
        let age = reviewed - days(version);
        assert!(
            version == newest || age <= MAX_AGE_DAYS,
            "{rtype}@{version} is {age} days old on {} and {newest} exists: move it forward (README, API versions)",
            api::REVIEWED
        );
    }
    assert_eq!(unknown, OUTSIDE_THE_KNOWN_LIST);
}

/// Every `type`/`apiVersion` pair in an ARM template, nested deployments included, and every
/// version named in a `reference()` call.
fn arm_versions(v: &Value, pairs: &mut BTreeSet<(String, String)>, refs: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let (Some(Value::String(t)), Some(Value::String(a))) =
                (map.get("type"), map.get("apiVersion"))
            {
                pairs.insert((t.clone(), a.clone()));
            }
            map.values().for_each(|x| arm_versions(x, pairs, refs));
        }
        Value::Array(items) => items.iter().for_each(|x| arm_versions(x, pairs, refs)),
        // Every quoted date in an expression that calls reference() is an API version.
        Value::String(s) if s.contains("reference(") => refs.extend(quoted_dates(s)),
        _ => {}
    }
}

/// `'YYYY-MM-DD'` (with any `-preview` suffix) literals in an expression.
fn quoted_dates(s: &str) -> Vec<String> {
    s.split('\'')
        .skip(1)
        .step_by(2)
        .filter(|lit| {
            let b = lit.as_bytes();
            b.len() >= 10
                && b[..10].iter().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        *c == b'-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
                && (b.len() == 10 || lit[10..].starts_with("-preview"))
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_quoted_version_in_an_expression_is_found() {
    let s = "[format('{0}keys/k', reference(resourceId('s', 'rg-hub-keys', 'Microsoft.KeyVault/vaults', 'kv'), '2026-02-01').vaultUri, reference('x', '2024-01-01-preview'))]";
    assert_eq!(quoted_dates(s), ["2026-02-01", "2024-01-01-preview"]);
}

/// Every `'Type@version'` a Bicep file declares.
fn bicep_versions(src: &str, pairs: &mut BTreeSet<(String, String)>) {
    for line in src.lines() {
        let line = line.trim_start();
        if !line.starts_with("resource ") {
            continue;
        }
        let target = line.split('\'').nth(1).expect("quoted type");
        let (t, a) = target.split_once('@').expect("type@version");
        pairs.insert((t.to_owned(), a.to_owned()));
    }
}

#[test]
fn every_api_version_written_comes_from_the_table() {
    let table: BTreeSet<(String, String)> = api::TABLE
        .iter()
        .map(|(t, v)| (t.to_string(), v.to_string()))
        .collect();
    let versions: BTreeSet<String> = api::TABLE.iter().map(|(_, v)| v.to_string()).collect();
    let mut seen = BTreeSet::new();
    for (name, files) in common::every_output() {
        let mut pairs = BTreeSet::new();
        let mut refs = BTreeSet::new();
        for f in &files {
            if f.path.ends_with(".json") && !f.path.ends_with(".parameters.json") {
                arm_versions(
                    &serde_json::from_str(&f.content).unwrap(),
                    &mut pairs,
                    &mut refs,
                );
            } else if f.path.ends_with(".bicep") {
                bicep_versions(&f.content, &mut pairs);
            }
        }
        for pair in &pairs {
            assert!(
                table.contains(pair),
                "{name}: {pair:?} is not in template::api::TABLE"
            );
        }
        for r in &refs {
            assert!(
                versions.contains(r),
                "{name}: reference() with {r}, not in the table"
            );
        }
        seen.extend(pairs);
    }
    // Every entry is used somewhere, so the table holds nothing stale.
    let unused: Vec<_> = table.difference(&seen).collect();
    assert!(
        unused.is_empty(),
        "table entries no output uses: {unused:?}"
    );
}

/// What `bicep format` makes of every generated `.bicep` and `.bicepparam`: each must come
/// back unchanged. One CLI start per file kind, over a copy of every output.
#[test]
fn generated_bicep_is_unchanged_by_bicep_format() {
    let Some(bicep) = shared("tools/bicep") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut written = Vec::new();
    for (i, (name, files)) in common::every_output().into_iter().enumerate() {
        for f in files
            .iter()
            .filter(|f| f.path.ends_with(".bicep") || f.path.ends_with(".bicepparam"))
        {
            let path = dir.path().join(i.to_string()).join(&f.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &f.content).unwrap();
            written.push((name.clone(), path, f.content.clone()));
        }
    }
    assert!(written.len() > 20, "too few Bicep files: {}", written.len());
    for ext in ["bicep", "bicepparam"] {
        let pattern = format!("{}/**/*.{ext}", dir.path().display());
        let out = Command::new(&bicep)
            .args(["format", "--pattern", &pattern])
            .output()
            .expect("the Bicep CLI starts");
        assert!(
            out.status.success(),
            "bicep format failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for (name, path, ours) in written {
        let formatted = std::fs::read_to_string(&path).unwrap();
        assert!(
            formatted == ours,
            "{name}: bicep format changes {}:\n{}",
            path.display(),
            first_difference(&ours, &formatted)
        );
    }
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  ours:      {x}\n  formatted: {y}", i + 1);
        }
    }
    format!(
        "line counts differ: {} vs {}",
        a.lines().count(),
        b.lines().count()
    )
}
