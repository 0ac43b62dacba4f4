//! Decode speed: linear-decodes every code item of the given `.dex` files
//! (or the `classes*.dex` inside `.apk` files, extracted with `unzip -p`)
//! and prints instructions per second.
//!
//! `cargo run --release -p leakscope-dalvik --example decode_bench -- FILE...`
//!
//! Code items are found through `class_defs` → `class_data` → `code_off`
//! (a minimal walk, enough for a benchmark; the real DEX parser lives in
//! `leakscope-dex`).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use leakscope_bytes::{Bytes, Cursor};
use leakscope_dalvik::{Decoder, Insn, count_opcodes};

/// `insns` slices of every method with code.
fn code_items(dex: &[u8]) -> Result<Vec<&[u8]>, leakscope_bytes::Error> {
    let b = Bytes::new(dex);
    let n = b.u32(0x60, "class_defs_size")? as usize;
    let off = b.u32(0x64, "class_defs_off")? as usize;
    let mut out = Vec::new();
    for i in 0..n {
        let def = off.saturating_add(i.saturating_mul(32));
        let data = b.u32(def.saturating_add(24), "class_data_off")? as usize;
        if data == 0 {
            continue;
        }
        let mut c = Cursor::at(dex, data);
        let sf = c.uleb128("static_fields_size")?;
        let inf = c.uleb128("instance_fields_size")?;
        let dm = c.uleb128("direct_methods_size")?;
        let vm = c.uleb128("virtual_methods_size")?;
        for _ in 0..u64::from(sf) + u64::from(inf) {
            c.uleb128("field_idx_diff")?;
            c.uleb128("access_flags")?;
        }
        for _ in 0..u64::from(dm) + u64::from(vm) {
            c.uleb128("method_idx_diff")?;
            c.uleb128("access_flags")?;
            let code = c.uleb128("code_off")? as usize;
            if code == 0 {
                continue;
            }
            let units = b.u32(code.saturating_add(12), "insns_size")? as usize;
            out.push(b.slice(code.saturating_add(16), units.saturating_mul(2), "insns")?);
        }
    }
    Ok(out)
}

fn load(path: &Path) -> Vec<Vec<u8>> {
    if path.extension().is_some_and(|e| e == "apk") {
        let Ok(list) = Command::new("unzip").arg("-Z1").arg(path).output() else {
            return Vec::new();
        };
        String::from_utf8_lossy(&list.stdout)
            .lines()
            .filter(|n| n.starts_with("classes") && n.ends_with(".dex"))
            .filter_map(|n| {
                Command::new("unzip")
                    .arg("-p")
                    .arg(path)
                    .arg(n)
                    .output()
                    .ok()
            })
            .map(|o| o.stdout)
            .collect()
    } else {
        std::fs::read(path).map(|d| vec![d]).unwrap_or_default()
    }
}

fn main() {
    let mut dexes = Vec::new();
    for arg in std::env::args().skip(1) {
        dexes.extend(load(Path::new(&arg)));
    }
    let dex_bytes: usize = dexes.iter().map(Vec::len).sum();
    let mut code: Vec<&[u8]> = Vec::new();
    for d in &dexes {
        match code_items(d) {
            Ok(items) => code.extend(items),
            Err(e) => eprintln!("skipping a dex: {e}"),
        }
    }
    let code_bytes: usize = code.iter().map(|c| c.len()).sum();
    println!(
        "{} dex files, {:.1} MB of DEX, {} code items, {:.1} MB of code",
        dexes.len(),
        dex_bytes as f64 / 1e6,
        code.len(),
        code_bytes as f64 / 1e6
    );
    let rounds = 5;
    let mut best = f64::MAX;
    let (mut insns, mut payloads, mut errors, mut checksum) = (0u64, 0u64, 0u64, 0u64);
    for _ in 0..rounds {
        (insns, payloads, errors, checksum) = (0, 0, 0, 0);
        let t = Instant::now();
        for c in &code {
            for item in Decoder::new(c) {
                match item {
                    Ok(Insn::Op(i)) => {
                        insns += 1;
                        // Touch operands so the work is not optimized away.
                        checksum = checksum
                            .wrapping_add(u64::from(i.reg_a().unwrap_or(0)))
                            .wrapping_add(i.index().map_or(0, |x| u64::from(x.value)));
                    }
                    Ok(_) => payloads += 1,
                    Err(_) => errors += 1,
                }
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "decode + operands: {insns} instructions, {payloads} payloads, {errors} errors in {:.1} ms \
         (best of {rounds}) = {:.0} M instructions/s, {:.0} MB/s of code (checksum {checksum})",
        best * 1e3,
        insns as f64 / best / 1e6,
        code_bytes as f64 / best / 1e6
    );
    let mut best = f64::MAX;
    let mut counts = [0u32; 256];
    for _ in 0..rounds {
        counts = [0u32; 256];
        let t = Instant::now();
        for c in &code {
            let _ = count_opcodes(c, &mut counts);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    // Lower bound: walk opcode sizes only (no payloads, no checks).
    let mut best_walk = f64::MAX;
    let mut walked = 0u64;
    for _ in 0..rounds {
        walked = 0;
        let t = Instant::now();
        for c in &code {
            let mut pc = 0usize;
            while let Some(&op) = c.get(pc * 2) {
                pc += usize::from(leakscope_dalvik::Opcode::from_u8(op).size());
                walked += 1;
            }
        }
        best_walk = best_walk.min(t.elapsed().as_secs_f64());
    }

    println!(
        "count_opcodes: {total} instructions in {:.1} ms = {:.0} M instructions/s",
        best * 1e3,
        total as f64 / best / 1e6
    );
    println!(
        "baseline (walk opcode sizes only, no checks): {walked} steps in {:.1} ms",
        best_walk * 1e3
    );
}
