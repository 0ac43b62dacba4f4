//! Times tracker detection on APKs: `cargo run --release -p
//! leakscope-trackers --example trackers_bench -- APK...`. Prints the load time
//! (unzip + manifest + signatures), the class-list walk, the signature
//! matching, and for reference a plain walk of every method's code item.

use std::time::Instant;

use leakscope_dex::parse_dex_container;
use leakscope_trackers::TrackerMatcher;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let kb = leakscope_kb::Kb::embedded().map_err(|e| e.to_string())?;
    let t = Instant::now();
    let matcher = TrackerMatcher::from_kb(kb)?;
    println!("compile signatures: {:?}", t.elapsed());
    for path in std::env::args().skip(1) {
        let t = Instant::now();
        let app = leakscope_app::load(path.as_ref(), &leakscope_app::Options::default())?;
        let load = t.elapsed();
        let t = Instant::now();
        let mut methods = 0usize;
        for blob in &app.code {
            for dex in parse_dex_container(blob.bytes.as_slice())? {
                for class in dex.class_defs() {
                    let Ok(Some(data)) = dex.class_data(&class) else {
                        continue;
                    };
                    for m in data.methods().flatten() {
                        if let Some(off) = m.code_off
                            && dex.code_item(off).is_ok()
                        {
                            methods += 1;
                        }
                    }
                }
            }
        }
        let walk = t.elapsed();
        let t = Instant::now();
        let (list, _) = TrackerMatcher::app_class_list(&app);
        let class_list = t.elapsed();
        let t = Instant::now();
        let findings = matcher.detect_in_list(list.names.iter().map(String::as_str));
        let matching = t.elapsed();
        let dex_bytes: usize = app.code.iter().map(|b| b.bytes.as_slice().len()).sum();
        println!(
            "{path}: {} DEX ({:.1} MB), {methods} methods, {} names, {} trackers; load {load:?}, \
             code-item walk {walk:?}, class list {class_list:?}, matching {matching:?}",
            app.code.len(),
            dex_bytes as f64 / 1e6,
            list.names.len(),
            findings.len(),
        );
    }
    Ok(())
}
