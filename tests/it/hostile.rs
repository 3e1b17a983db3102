//! Property: arbitrary Unicode in every free-text field (tag names and values, descriptions)
//! comes out intact — ARM parses as JSON with each value unchanged, every Bicep literal decodes
//! to the same text, and the answers file (YAML) replays to byte-identical output.

use crate::common;

use ams_private_link::render::{self, Format};
use ams_private_link::values::{self, RawValues, SpanIndex};
use ams_private_link::{model, Error};
use proptest::prelude::*;
use serde_json::{json, Value};

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter)
}

fn tag_name() -> impl Strategy<Value = String> {
    prop::collection::vec(
        any::<char>().prop_filter("schema-forbidden", |c| !"<>%&\\?/".contains(*c)),
        1..24,
    )
    .prop_map(String::from_iter)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_is_escaped_everywhere(
        key in tag_name(),
        value in text(64),
        endpoint_description in text(64),
        live_description in text(64),
    ) {
        let values = json!({
            "tags": {key.clone(): value.clone()},
            "mediaServices": {
                "name": "contosomedia",
                "publicNetworkAccess": "Enabled",
                "streamingEndpoints": [{"name": "default", "description": endpoint_description.clone()}],
                "liveEvents": [{"name": "live1", "description": live_description.clone()}],
            },
            "storage": {"name": "contosostore"},
            "network": {"vnets": [{"name": "vnet-a", "addressPrefixes": ["10.0.0.0/16"], "subnet": {"name": "snet", "addressPrefix": "10.0.1.0/24"}}]},
        });
        let raw = RawValues { value: values, spans: SpanIndex::default(), source: None };
        let d = match model::build(raw) {
            Ok(d) => d,
            // A tag name the schema rejects (e.g. only whitespace) is not this property's subject.
            Err(Error::Invalid(_)) => return Ok(()),
            Err(e) => panic!("{e:?}"),
        };
        let files = render::render(&d, Format::Both).unwrap();

        let arm: Value = serde_json::from_str(common::file(&files, "arm/azuredeploy.json")).unwrap();
        let mut arm_strings = Vec::new();
        common::strings(&common::arm::canonical(&arm), &mut arm_strings);
        prop_assert!(arm_strings.contains(&endpoint_description));
        prop_assert!(arm_strings.contains(&live_description));
        prop_assert_eq!(&common::arm::canonical(&arm["variables"]["tags"])[&key], &Value::String(value.clone()));

        let bicep = common::bicep::parse(common::file(&files, "bicep/main.bicep")).map_err(TestCaseError::fail)?;
        let media = common::bicep::parse(common::file(&files, "bicep/modules/media-services.bicep")).map_err(TestCaseError::fail)?;
        let mut bicep_strings = Vec::new();
        for decl in bicep.iter().chain(&media) {
            common::strings(&decl.body, &mut bicep_strings);
        }
        prop_assert!(bicep_strings.contains(&endpoint_description), "Bicep lost {:?}", endpoint_description);
        prop_assert!(bicep_strings.contains(&live_description), "Bicep lost {:?}", live_description);
        let tags = &bicep.iter().find(|d| d.keyword == "var" && d.symbol == "tags").unwrap().body;
        prop_assert_eq!(&tags[&key], &Value::String(value.clone()));

        let answers = common::file(&files, ".ams-private-link-answers.yaml");
        let replayed = values::load_str("answers.yaml", answers, &[]).map_err(|e| TestCaseError::fail(format!("answers do not parse: {e:?}\n{answers}")))?;
        let again = render::render(&model::build(replayed).unwrap(), Format::Both).unwrap();
        prop_assert_eq!(files, again);
    }
}
