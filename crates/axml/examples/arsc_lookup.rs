//! Times parsing a resources.arsc and resolving ids in it:
//! `cargo run --release -p leakscope-axml --example arsc_lookup resources.arsc [0x7f0b0000 ...]`.
//! Without ids, resolves every id of the form 0x7fTT0000..0x7fTT00ff.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: arsc_lookup resources.arsc [id...]");
        std::process::exit(2);
    };
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let t = Instant::now();
    let table = match leakscope_axml::ResourceTable::parse(&data) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let parse = t.elapsed();
    let mut ids: Vec<u32> = args
        .filter_map(|a| u32::from_str_radix(a.trim_start_matches("0x"), 16).ok())
        .collect();
    let explicit = !ids.is_empty();
    if !explicit {
        ids = (1..=0x20u32)
            .flat_map(|t| (0..0x100u32).map(move |e| 0x7f00_0000 | (t << 16) | e))
            .collect();
    }
    let t = Instant::now();
    let mut found = 0;
    for &id in &ids {
        if let Some(v) = table.resolve(id) {
            found += 1;
            if explicit {
                println!(
                    "{id:#010x} {} = {v}",
                    table.entry_name(id).unwrap_or_default()
                );
            }
        }
    }
    let resolve = t.elapsed();
    println!(
        "{} bytes, {} warnings: parse {parse:?}, {} lookups ({found} found) in {resolve:?}",
        data.len(),
        table.warnings().len(),
        ids.len()
    );
}
