//! Fuzz the declarations readers (`leakscope-assess`): any text must give
//! `Declarations` or a `DeclarationsError`, never a panic.
//!
//! The first byte picks the reader (even: Play Console CSV, odd: JSON); the
//! rest is the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let parsed = if pick % 2 == 0 {
        leakscope_assess::Declarations::from_play_csv(text)
    } else {
        leakscope_assess::Declarations::from_json(text)
    };
    if let Ok(d) = parsed {
        for w in &d.warnings {
            let _ = w.to_string();
        }
        assert!(d.collected.len() <= 14 && d.shared.len() <= 14);
    }
});
