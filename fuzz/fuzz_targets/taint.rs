//! Fuzz the taint analysis: any bytes as a DEX file go through the whole
//! analysis (program index, call graph, summaries) under a small budget, and
//! any text through the FlowDroid list and models parsers, without a panic.
//!
//! The first byte picks: 0 a DEX file, 1 a FlowDroid source/sink list, 2 a
//! models file.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use leakscope_taint::{Budget, Input, Models, Spec};
use libfuzzer_sys::fuzz_target;

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        Spec::from_flowdroid(
            "<android.telephony.TelephonyManager: java.lang.String getDeviceId()> -> _SOURCE_\n\
             <android.util.Log: int i(java.lang.String,java.lang.String)> -> _SINK_\n",
        )
        .unwrap_or_default()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    match pick % 3 {
        0 => {
            let input = Input {
                dex: vec![("classes.dex".to_string(), rest)],
                ..Input::default()
            };
            let budget = Budget {
                time: Duration::from_secs(2),
                max_steps: 1_000_000,
                implicit_flows: true,
            };
            let _ = leakscope_taint::analyze(&input, spec(), Models::embedded(), budget);
        }
        1 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                let _ = Spec::from_flowdroid(text);
            }
        }
        _ => {
            if let Ok(text) = std::str::from_utf8(rest) {
                let _ = Models::parse(text);
            }
        }
    }
});
