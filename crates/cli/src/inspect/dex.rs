//! `leakscope inspect dex`: methods, opcode counts and classes of the app's
//! own DEX code, decoded in parallel.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;
use leakscope_app::{App, DexBlob, Warning};
use leakscope_dalvik::{Decoder, Insn};
use leakscope_dex::{DexFile, parse_dex_container};
use rayon::prelude::*;

use crate::cli::DexArgs;

pub fn run(args: &DexArgs) -> Result<ExitCode> {
    let app = super::load(&args.app)?;
    super::print_warnings(&app.warnings);
    let out = std::io::stdout().lock();
    let mut out = BufWriter::new(out);
    if args.methods {
        let (lines, warnings) = collect(&app, method_lines);
        super::print_warnings(&warnings);
        let mut lines: Vec<String> = lines.into_iter().flatten().collect();
        lines.sort_unstable();
        for l in lines {
            writeln!(out, "{l}")?;
        }
    } else if args.opcodes {
        let (counts, warnings) = collect(&app, opcode_counts);
        super::print_warnings(&warnings);
        let mut total: BTreeMap<&'static str, u64> = BTreeMap::new();
        for map in counts {
            for (name, n) in map {
                *total.entry(name).or_default() += n;
            }
        }
        for (name, n) in total {
            writeln!(out, "{name} {n}")?;
        }
    } else {
        let (lines, warnings) = collect(&app, class_lines);
        super::print_warnings(&warnings);
        let mut lines: Vec<String> = lines.into_iter().flatten().collect();
        lines.sort_unstable();
        for l in lines {
            writeln!(out, "{l}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `f` over every DEX image of the app's own code, in parallel, and
/// gathers the results and warnings (in app order).
fn collect<T: Send>(
    app: &App,
    f: impl Fn(&DexFile<'_>, &str, &mut Vec<Warning>) -> T + Sync,
) -> (Vec<T>, Vec<Warning>) {
    let per_blob: Vec<(Vec<T>, Vec<Warning>)> = app
        .code
        .par_iter()
        .map(|blob| {
            let mut warnings = Vec::new();
            let mut results = Vec::new();
            for (origin, dex) in images(blob, &mut warnings) {
                results.push(f(&dex, &origin, &mut warnings));
            }
            (results, warnings)
        })
        .collect();
    let mut results = Vec::new();
    let mut warnings = Vec::new();
    for (r, w) in per_blob {
        results.extend(r);
        warnings.extend(w);
    }
    (results, warnings)
}

/// The DEX images of one blob (several for a DEX 041 container).
fn images<'a>(blob: &'a DexBlob, warnings: &mut Vec<Warning>) -> Vec<(String, DexFile<'a>)> {
    match parse_dex_container(blob.bytes.as_slice()) {
        Ok(images) => {
            let many = images.len() > 1;
            images
                .into_iter()
                .enumerate()
                .map(|(i, dex)| {
                    for w in dex.warnings() {
                        warnings.push(Warning::new(&blob.origin, w));
                    }
                    let origin = if many {
                        format!("{}#{i}", blob.origin)
                    } else {
                        blob.origin.clone()
                    };
                    (origin, dex)
                })
                .collect()
        }
        Err(e) => {
            warnings.push(Warning::new(&blob.origin, format!("skipped: {e}")));
            Vec::new()
        }
    }
}

/// Calls `f(method_idx, code)` for every method with code, turning broken
/// classes and code items into warnings.
fn for_each_code<'a>(
    dex: &DexFile<'a>,
    origin: &str,
    warnings: &mut Vec<Warning>,
    mut f: impl FnMut(u32, &leakscope_dex::CodeItem<'a>),
) {
    for (i, class) in dex.class_defs().enumerate() {
        let data = match dex.class_data(&class) {
            Ok(Some(d)) => d,
            Ok(None) => continue,
            Err(e) => {
                warnings.push(Warning::new(
                    origin,
                    format!("class_data of class_def {i} skipped: {e}"),
                ));
                continue;
            }
        };
        for method in data.methods() {
            let method = match method {
                Ok(m) => m,
                Err(e) => {
                    warnings.push(Warning::new(
                        origin,
                        format!("methods of class_def {i} cut short: {e}"),
                    ));
                    break;
                }
            };
            let Some(code_off) = method.code_off else {
                continue;
            };
            match dex.code_item(code_off) {
                Ok(code) => f(method.method_idx, &code),
                Err(e) => warnings.push(Warning::new(
                    origin,
                    format!("code of method {} skipped: {e}", method.method_idx),
                )),
            }
        }
    }
}

fn method_lines(dex: &DexFile<'_>, origin: &str, warnings: &mut Vec<Warning>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut bad = Vec::new();
    for_each_code(dex, origin, warnings, |idx, code| {
        match dex.method_signature(idx) {
            Ok(sig) => lines.push(format!(
                "{sig} registers={} insns={}",
                code.registers_size, code.insns_size
            )),
            Err(e) => bad.push(Warning::new(origin, format!("method {idx}: {e}"))),
        }
    });
    warnings.extend(bad);
    lines
}

fn class_lines(dex: &DexFile<'_>, origin: &str, warnings: &mut Vec<Warning>) -> Vec<String> {
    let mut lines = Vec::new();
    for class in dex.class_defs() {
        match dex.type_descriptor(class.class_idx) {
            Ok(desc) => lines.push(format!("{} dex={origin}", String::from_utf8_lossy(desc))),
            Err(e) => warnings.push(Warning::new(origin, format!("class skipped: {e}"))),
        }
    }
    lines
}

fn opcode_counts(
    dex: &DexFile<'_>,
    origin: &str,
    warnings: &mut Vec<Warning>,
) -> BTreeMap<&'static str, u64> {
    let mut counts = [0u64; 256];
    let mut bad = Vec::new();
    for_each_code(dex, origin, warnings, |idx, code| {
        for insn in Decoder::new(code.insns) {
            match insn {
                Ok(Insn::Op(op)) => counts[usize::from(op.opcode as u8)] += 1,
                Ok(_) => {}
                Err(e) => {
                    bad.push(Warning::new(
                        origin,
                        format!("method {idx}: decoding stopped: {e}"),
                    ));
                    break;
                }
            }
        }
    });
    warnings.extend(bad);
    (0u8..=255)
        .filter(|op| counts[usize::from(*op)] > 0)
        .map(|op| {
            (
                leakscope_dalvik::Opcode::from(op).name(),
                counts[usize::from(op)],
            )
        })
        .collect()
}

/// What a full parse of an app's code did.
#[derive(Default)]
pub struct DecodeStats {
    pub dex_bytes: u64,
    pub methods: u64,
    pub instructions: u64,
}

/// Parses every DEX of the app and decodes every instruction (the
/// benchmark's "full parse").
pub fn decode_all(app: &App) -> DecodeStats {
    let (stats, _) = collect(app, |dex, origin, warnings| {
        let mut s = DecodeStats::default();
        for_each_code(dex, origin, warnings, |_, code| {
            s.methods += 1;
            for insn in Decoder::new(code.insns) {
                match insn {
                    Ok(_) => s.instructions += 1,
                    Err(_) => break,
                }
            }
        });
        s
    });
    let mut total = DecodeStats {
        dex_bytes: app.code.iter().map(|b| b.bytes.len() as u64).sum(),
        ..DecodeStats::default()
    };
    for s in stats {
        total.methods += s.methods;
        total.instructions += s.instructions;
    }
    total
}
