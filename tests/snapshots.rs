//! Golden files: every output file of every bundled example, reviewed like code.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

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
