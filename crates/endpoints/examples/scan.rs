//! Scans files for endpoints and reports throughput.
//!
//! `cargo run --release -p leakscope-endpoints --example scan -- FILE...`
//! Files ending in `.so` (or any ELF) are scanned with
//! `Extractor::scan_binary` (ASCII + UTF-16LE), others with `scan`. Set
//! `LIST=1` to print the endpoints.

use std::time::Instant;

use leakscope_endpoints::{Extractor, Findings};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ex = Extractor::new()?;
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut blobs = Vec::new();
    for f in &files {
        blobs.push((f.clone(), std::fs::read(f)?));
    }
    let total: usize = blobs.iter().map(|(_, b)| b.len()).sum();
    let mut findings = Findings::new();
    let mut candidates = 0u64;
    let start = Instant::now();
    for (name, b) in &blobs {
        let binary = name.ends_with(".so") || b.starts_with(b"\x7fELF");
        let mut record = |c| {
            candidates += 1;
            findings.record(c);
        };
        if binary {
            ex.scan_binary(b, 6, &mut record);
        } else {
            ex.scan(b, &mut record);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} files, {:.1} MB in {:.3} s = {:.0} MB/s; {} candidates, {} distinct endpoints, {} hosts",
        blobs.len(),
        total as f64 / 1e6,
        secs,
        total as f64 / 1e6 / secs.max(1e-9),
        candidates,
        findings.len(),
        findings.hosts().len()
    );
    println!("noise: {}", findings.noise());
    if std::env::var_os("LIST").is_some() {
        for (e, n) in findings.iter() {
            println!("{n:6} {e}");
        }
    }
    Ok(())
}
