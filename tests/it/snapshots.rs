//! Golden files: every output file of every bundled example, reviewed like code.

use crate::common;

#[test]
fn every_output_file_of_every_example() {
    for example in common::examples() {
        let stem = example
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        for file in common::render_file(&example) {
            let name = format!(
                "{stem}__{}",
                file.path.trim_start_matches('.').replace('/', "__")
            );
            insta::assert_snapshot!(name, file.content);
        }
    }
}

/// What `explain` prints (without colour), for examples that differ in exposure and
/// resolution: everything private, public doors with allowlists, a hub and its spoke, two
/// isolated VNets, and on-premises networks with VNets on the DNS resolver.
#[test]
fn explain_for_six_designs() {
    for stem in [
        "foundation-only",
        "fully-private",
        "public-allowlists",
        "two-vnets",
        "isolated-vnets",
        "on-premises",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(format!("{stem}.yaml"));
        let d = ams_private_link::model::build(
            ams_private_link::values::load(Some(&path), &[]).unwrap(),
        )
        .unwrap();
        insta::assert_snapshot!(
            format!("explain__{stem}"),
            ams_private_link::render::explain::explain(&d, false)
        );
    }
}
