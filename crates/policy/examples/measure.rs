//! Measures policy load and evaluation time per pack on report files:
//! `cargo run --release -p leakscope-policy --example measure -- REPORT.json...`

use std::time::Instant;

use leakscope_policy::{PACKS, Policy};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    const RUNS: u32 = 200;
    for path in std::env::args().skip(1) {
        let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)?;
        println!("{path}");
        for pack in PACKS {
            let t = Instant::now();
            let policy = Policy::pack(pack.name, None)?;
            let load = t.elapsed();
            let t = Instant::now();
            let first = policy.evaluate(&report)?;
            let first_time = t.elapsed();
            let t = Instant::now();
            for _ in 0..RUNS {
                policy.evaluate(&report)?;
            }
            let steady = t.elapsed() / RUNS;
            println!(
                "  {:<9} load {:>8.2?}  first eval {:>8.2?}  steady {:>8.2?}  -> {:?}, {} matches",
                pack.name,
                load,
                first_time,
                steady,
                first.decision,
                first.matched.len()
            );
        }
    }
    Ok(())
}
