//! Fuzz the knowledge-base loader: any text given for any data file must
//! give a `Kb` or a `KbError`, never a panic, and stay within memory limits.
//!
//! The first byte picks the file (see `leakscope_kb::FILE_NAMES`); the rest
//! is its text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let names = leakscope_kb::FILE_NAMES;
    let name = names[usize::from(pick) % names.len()];
    if let Ok(kb) = leakscope_kb::Kb::load_texts(&[(name, text)]) {
        // Exercise the lookups on whatever was loaded.
        let _ = kb.owners.lookup("a.b.example.com");
        let _ = kb.apis.content_uri("content://sms/inbox");
        let _ = kb.trackers.match_class("com.example.Foo").count();
    }
});
