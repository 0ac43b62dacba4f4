//! Fuzz the renderers: any report that deserialises (from JSON bytes) must
//! render as SARIF and as HTML without a panic, and the HTML must carry no
//! markup from the report's strings (no `<script` anywhere).
//!
//! Needs in fuzz/Cargo.toml: `leakscope-render`, `leakscope-model` and
//! `serde_json` dependencies and a `[[bin]] name = "render"` entry.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(report) = serde_json::from_slice::<leakscope_model::Report>(data) else {
        return;
    };
    let log = leakscope_render::sarif(&report);
    assert_eq!(log["version"], "2.1.0");
    let page = leakscope_render::html(&report);
    assert!(!page.contains("<script"));
});
