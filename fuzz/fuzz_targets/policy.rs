//! Fuzz the policy crate: any report JSON through every built-in pack, any
//! Rego text as a policy, any suppressions or policy data text must give a
//! result or a `PolicyError`, never a panic.
//!
//! The first byte picks what the rest is: 0 a report (evaluated by every
//! pack), 1 a policy (loaded with a short time limit, then evaluated on an
//! empty report), 2 a suppressions file, 3 policy data.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use leakscope_policy::{PACKS, Policy, Suppressions, parse_data};
use libfuzzer_sys::fuzz_target;

fn packs() -> &'static [Policy] {
    static PACKS_LOADED: OnceLock<Vec<Policy>> = OnceLock::new();
    PACKS_LOADED.get_or_init(|| {
        PACKS
            .iter()
            .filter_map(|p| Policy::pack(p.name, None).ok())
            .map(|p| p.with_time_limit(Duration::from_millis(200)))
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match pick % 4 {
        0 => {
            let Ok(report) = serde_json::from_str::<serde_json::Value>(text) else {
                return;
            };
            for p in packs() {
                if let Ok(mut d) = p.evaluate(&report) {
                    let _ = Suppressions::default().apply(&mut d);
                }
            }
        }
        1 => {
            if let Ok(p) = Policy::from_source("fuzz.rego", text, None) {
                let p = p.with_time_limit(Duration::from_millis(200));
                let _ = p.evaluate(&serde_json::json!({}));
            }
        }
        2 => {
            if let Ok(s) = Suppressions::parse("fuzz.toml", text) {
                let _ = s.accepts_reason("LS101", None, None);
            }
        }
        _ => {
            let _ = parse_data("fuzz.json", text);
        }
    }
});
