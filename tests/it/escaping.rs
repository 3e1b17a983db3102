//! Hostile text in every free-text field comes out escaped: the ARM parses as JSON with each
//! value intact, and every Bicep string literal decodes back to the same text.

use crate::common;

use serde_json::Value;

use common::bicep;

const HOSTILE: &[&str] = &[
    "it's",
    "say \"hi\"",
    "back\\slash",
    "C:\\media\\live\\",
    "${x}",
    "${concat('a')}",
    "line1\nline2\r\n\tend",
    "ünïcödé 日本語 🎬",
    "[brackets]",
    "[[double]]",
    "'; } resource evil 'x' = {",
    "nul\u{0} esc\u{1b}[31m bell\u{7} ls\u{2028}ps\u{2029} bom\u{feff} del\u{7f}",
];

/// A YAML double-quoted scalar: JSON escaping plus the characters YAML forbids raw.
fn yaml_quote(text: &str) -> String {
    let json = serde_json::to_string(text).expect("quote");
    json.chars()
        .map(|c| match c {
            '\u{7f}' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                format!("\\u{:04X}", c as u32)
            }
            c => c.to_string(),
        })
        .collect()
}

fn values_yaml(text: &str) -> String {
    let q = yaml_quote(text);
    format!(
        r#"
tags: {{ owner: {q}, {q2}: plain }}
mediaServices:
  name: contosomedia
  publicNetworkAccess: Enabled
  streamingEndpoints:
    - {{ name: default, description: {q} }}
  liveEvents:
    - {{ name: live1, description: {q} }}
storage: {{ name: contosostore }}
network:
  vnets:
    - {{ name: vnet-a, addressPrefixes: [10.0.0.0/16], subnet: {{ name: snet, addressPrefix: 10.0.1.0/24 }} }}
"#,
        q2 = yaml_quote(&format!(
            "k {}",
            text.replace(['\\', '/', '?', '<', '>', '%', '&'], "_")
        ))
    )
}

#[test]
fn hostile_text_round_trips_through_arm_and_bicep() {
    for text in HOSTILE {
        let files = common::render_yaml(&values_yaml(text));

        // ARM: valid JSON; descriptions and tags intact (a leading `[` escaped as `[[`).
        let arm: Value =
            serde_json::from_str(common::file(&files, "arm/azuredeploy.json")).expect("ARM parses");
        let mut arm_strings = Vec::new();
        common::strings(&common::arm::canonical(&arm), &mut arm_strings);
        assert!(
            arm_strings.iter().filter(|s| s.as_str() == *text).count() >= 2,
            "ARM lost description {text:?}"
        );
        assert_eq!(
            common::arm::canonical(&arm["variables"]["tags"])["owner"],
            Value::String((*text).into())
        );

        // Bicep: parses with the independent reader, and the literals decode to the text.
        let main = bicep::parse(common::file(&files, "bicep/main.bicep"))
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let media = bicep::parse(common::file(&files, "bicep/modules/media-services.bicep"))
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let mut bicep_strings = Vec::new();
        for d in main.iter().chain(&media) {
            common::strings(&d.body, &mut bicep_strings);
        }
        assert!(
            bicep_strings.iter().filter(|s| s.as_str() == *text).count() >= 2,
            "Bicep lost description {text:?}: {bicep_strings:?}"
        );
        let tags = main
            .iter()
            .find(|d| d.keyword == "var" && d.symbol == "tags")
            .expect("tags variable");
        assert_eq!(tags.body["owner"], Value::String((*text).into()));

        // The answers file replays to the same text.
        let answers = common::file(&files, ".ams-private-link-answers.yaml");
        let replay = common::render_yaml(answers);
        assert_eq!(
            files, replay,
            "answers for {text:?} do not reproduce the output"
        );
    }
}

#[test]
fn bicep_escaping_covers_every_special_sequence() {
    use ams_private_link::render::bicep::string_literal;
    assert_eq!(string_literal("it's"), r"'it\'s'");
    assert_eq!(string_literal(r"a\b"), r"'a\\b'");
    // A backslash last in the string is its code point: checkov's parser reads `\\'` as an
    // escaped quote and skips the file (CI renders all-services, whose tag ends in one).
    assert_eq!(string_literal(r"C:\live\"), r"'C:\\live\u{5C}'");
    assert_eq!(string_literal("\\"), r"'\u{5C}'");
    assert_eq!(string_literal("${x}"), r"'\${x}'");
    assert_eq!(string_literal("$x {y}"), "'$x {y}'");
    assert_eq!(string_literal("a\nb\r\tc"), r"'a\nb\r\tc'");
    assert_eq!(string_literal("\u{7}"), r"'\u{7}'");
    assert_eq!(string_literal("日本"), "'日本'");
}
