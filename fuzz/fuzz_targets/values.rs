//! Values text → load → validate → render, and every error rendered as the user sees it.
//! Invariants: nothing panics; a valid model always renders; ARM output always parses.
#![no_main]

use ams_private_link::render::{self, Format};
use ams_private_link::{model, report, values, Error};
use libfuzzer_sys::fuzz_target;

fn show(e: &Error) {
    if let Error::Invalid(problems) | Error::MissingInput(problems) = e {
        for p in problems {
            let _ = report::problem_text(p);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let raw = match values::load_str("fuzz.yaml", text, &[]) {
        Ok(raw) => raw,
        Err(e) => return show(&e),
    };
    let deployment = match model::build(raw) {
        Ok(d) => d,
        Err(e) => return show(&e),
    };
    let files = render::render(&deployment, Format::Both).expect("a valid model renders");
    for f in files.iter().filter(|f| f.path.ends_with(".json")) {
        serde_json::from_str::<serde_json::Value>(&f.content).expect("ARM output parses");
    }
});
