//! Prints the warnings (and Android's verdict) for each archive given.
//!
//! `cargo run -p leakscope-zip --example zipwarn -- FILE...`

use leakscope_zip::{Archive, Limits};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                println!("{path}: {e}");
                continue;
            }
        };
        match Archive::parse(&bytes, Limits::default()) {
            Err(e) => println!("{path}: error: {e}"),
            Ok(a) => {
                for e in a.entries() {
                    let _ = a.read(e);
                }
                println!(
                    "{path}: {} entries, Android: {:?}",
                    a.entries().len(),
                    a.android_impact()
                );
                for w in a.warnings() {
                    println!("  - {w}");
                }
            }
        }
    }
}
