//! Times `leakscope_app::load` + the API pass on each app given, for the
//! speed comparison with `unzip -p APP 'classes*.dex'`:
//! `cargo run --release -p leakscope-analysis --example scan_timing -- APP...`

use std::time::Instant;

use leakscope_analysis::{apis, attribution::Attributor};
use leakscope_kb::Kb;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let kb = Kb::embedded().map_err(|e| e.to_string())?;
    eprintln!("kb load: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    for path in std::env::args().skip(1) {
        let t0 = Instant::now();
        let app = leakscope_app::load(path.as_ref(), &leakscope_app::Options::default())?;
        let t1 = Instant::now();
        let attr = Attributor::new(&app, kb)?;
        let scan = apis::scan(&app, kb, &attr);
        let t2 = Instant::now();
        let dex_bytes: usize = app.code.iter().map(|d| d.bytes.len()).sum();
        println!(
            "{path}: {} dex, {:.1} MB dex, load {:.1} ms, scan {:.1} ms, total {:.1} ms; {} insns, {} evidence, {} warnings",
            app.code.len(),
            dex_bytes as f64 / 1e6,
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            (t2 - t0).as_secs_f64() * 1e3,
            scan.stats.instructions,
            scan.evidence.len(),
            scan.warnings.len(),
        );
        let mut kinds = std::collections::BTreeMap::new();
        for e in &scan.evidence {
            *kinds.entry(format!("{:?}", e.kind)).or_insert(0u32) += 1;
        }
        println!("  by kind: {kinds:?}");
    }
    Ok(())
}
