//! Hostile declarations: the readers return a value or an error on any
//! text, never panic (the fuzz target `fuzz/fuzz_targets/declarations.rs`
//! does the same with coverage guidance).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leakscope_assess::{Declarations, DeclarationsError};
use proptest::prelude::*;

const HEADER: &str = "Question ID (machine readable),Response ID (machine readable),Response value,Answer requirement,Human-friendly question label\n";

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("true".to_owned()),
        Just("PSL_DATA_TYPES_LOCATION".to_owned()),
        Just("PSL_PRECISE_LOCATION".to_owned()),
        Just(
            "PSL_DATA_USAGE_RESPONSES:PSL_CONTACTS:PSL_DATA_USAGE_COLLECTION_AND_SHARING"
                .to_owned()
        ),
        Just("PSL_DATA_USAGE_COLLECTED_AND_SHARED".to_owned()),
        "[a-zA-Z_:\",\r\n\u{feff}é]{0,12}",
    ]
}

proptest! {
    #[test]
    fn csv_never_panics(rows in prop::collection::vec(prop::collection::vec(cell(), 0..7), 0..20)) {
        let mut text = HEADER.to_owned();
        for r in &rows {
            text.push_str(&r.join(","));
            text.push('\n');
        }
        match Declarations::from_play_csv(&text) {
            Ok(d) => {
                for w in &d.warnings {
                    let _ = w.to_string();
                }
            }
            Err(DeclarationsError::Csv { line, .. }) => prop_assert!(line >= 1 && line <= text.lines().count() + 1),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn any_text_never_panics(text in "\\PC{0,200}") {
        let _ = Declarations::from_play_csv(&text);
        let _ = Declarations::from_json(&text);
    }

    #[test]
    fn json_shapes_never_panic(
        keys in prop::collection::vec(prop_oneof![Just("collected"), Just("shared"), Just("data_types"), Just("source"), Just("x")], 0..5),
        vals in prop::collection::vec(prop_oneof![
            Just("[\"contacts\", \"PSL_NAME\", \"Name\", \"nope\"]"), Just("1"), Just("null"), Just("\"s\""), Just("[1]"), Just("{}")
        ], 0..5),
    ) {
        let body: Vec<String> = keys.iter().zip(vals.iter()).map(|(k, v)| format!("\"{k}\": {v}")).collect();
        let text = format!("{{{}}}", body.join(","));
        let _ = Declarations::from_json(&text);
    }
}

#[test]
fn deep_json_is_an_error_not_a_crash() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        Declarations::from_json(&text),
        Err(DeclarationsError::Json(_))
    ));
}

#[test]
fn oversized_file_is_refused() {
    let path =
        std::env::temp_dir().join(format!("leakscope-assess-big-{}.csv", std::process::id()));
    let big =
        HEADER.repeat(((leakscope_assess::MAX_DECLARATIONS_SIZE as usize) / HEADER.len()) + 2);
    std::fs::write(&path, big).unwrap();
    let e = Declarations::load(&path).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(e, DeclarationsError::TooLarge { .. }), "{e}");
}

#[test]
fn warnings_are_capped() {
    let mut text = HEADER.to_owned();
    for i in 0..1000 {
        text.push_str(&format!("Q{i},x,true,,\n"));
    }
    let d = Declarations::from_play_csv(&text).unwrap();
    assert_eq!(d.warnings.len(), leakscope_assess::MAX_DECLARATION_WARNINGS);
}
