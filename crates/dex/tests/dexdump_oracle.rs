//! Compares the parser with AOSP `dexdump` on every DEX file of the corpus
//! (bare `.dex` files and the `classes*.dex` of every APK, plus the registry
//! APKs when cached).
//!
//! Per method with code we compare `Lcls;->name(Params)Ret registers=R
//! insns=N` followed by the whole `catches` section (try ranges, typed
//! handlers, catch-alls), and per file the number of class defs.
//!
//! `dexdump` is run without `-d`: the disassembly is not compared here (the
//! instruction decoder lives in `leakscope-dalvik`), and the code header and
//! `catches` lines are identical with and without `-d`, which makes the run
//! several times faster.
//!
//! Files on which `dexdump` itself fails are listed on stderr and skipped; on
//! the corpus as of 2026-11 there are none (checked with dexdump from the
//! Debian `dexdump` package, all 300 files open and dump).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use leakscope_dex::{DexFile, ParseOptions, parse_dex_container_with};

/// What we compare for one file: class def count and one record per method with code.
#[derive(Debug, Default, PartialEq)]
struct Dump {
    classes: usize,
    methods: Vec<Vec<u8>>,
    /// `Lcls;->name:Type=value` for static fields with an initial value.
    static_values: Vec<Vec<u8>>,
    /// `Lcls;->name(Params)Ret` then the `positions` and `locals` lines.
    debug: Vec<Vec<u8>>,
}

/// Parses `dexdump` output (without `-d`).
fn parse_dexdump(out: &[u8]) -> Dump {
    let mut dump = Dump::default();
    let (mut class, mut name, mut ty, mut regs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut record: Option<Vec<u8>> = None;
    let quoted = |rest: &[u8]| -> Vec<u8> {
        let rest = rest.strip_prefix(b"'").unwrap_or(rest);
        rest.strip_suffix(b"'").unwrap_or(rest).to_vec()
    };
    let mut debug: Option<Vec<u8>> = None;
    for line in out.split(|&b| b == b'\n') {
        if let Some(d) = debug.as_mut() {
            if line.starts_with(b"        ") {
                d.push(b'\n');
                d.extend_from_slice(line.trim_ascii());
                continue;
            } else if line.starts_with(b"      locals") {
                d.extend_from_slice(b"\nlocals");
                continue;
            }
            dump.debug.extend(debug.take());
        }
        if line.starts_with(b"Class #") {
            dump.classes += 1;
        } else if let Some(rest) = line.strip_prefix(b"  Class descriptor  : ") {
            class = quoted(rest);
        } else if let Some(rest) = line.strip_prefix(b"      name          : ") {
            name = quoted(rest);
        } else if let Some(rest) = line.strip_prefix(b"      type          : ") {
            ty = quoted(rest);
        } else if let Some(rest) = line.strip_prefix(b"      value         : ") {
            let mut r = class.clone();
            for part in [&b"->"[..], &name, b":", &ty, b"=", rest] {
                r.extend_from_slice(part);
            }
            dump.static_values.push(r);
        } else if let Some(rest) = line.strip_prefix(b"      registers     : ") {
            regs = rest.to_vec();
        } else if let Some(rest) = line.strip_prefix(b"      insns size    : ") {
            let n = rest.split(|&b| b == b' ').next().unwrap_or(b"");
            let mut r = Vec::new();
            for part in [
                &class[..],
                b"->",
                &name,
                &ty,
                b" registers=",
                &regs,
                b" insns=",
                n,
            ] {
                r.extend_from_slice(part);
            }
            record = Some(r);
        } else if let Some(rest) = line.strip_prefix(b"      catches       : ") {
            if let Some(r) = record.as_mut()
                && rest != b"(none)"
            {
                r.extend_from_slice(b"\ncatches ");
                r.extend_from_slice(rest);
            }
        } else if line.starts_with(b"        ") && record.is_some() {
            if let Some(r) = record.as_mut() {
                r.push(b'\n');
                r.extend_from_slice(line.trim_ascii());
            }
        } else if line.starts_with(b"      positions") {
            let mut d = class.clone();
            d.extend_from_slice(b"->");
            d.extend_from_slice(&name);
            d.extend_from_slice(&ty);
            debug = Some(d);
            if let Some(r) = record.take() {
                dump.methods.push(r);
            }
        }
    }
    dump.debug.extend(debug);
    dump.debug.sort();
    dump.methods.sort();
    dump.static_values.sort();
    dump
}

/// Builds the same records with our parser. Names are kept as raw MUTF-8
/// bytes, as dexdump prints them; `method_signature` is checked against the
/// raw bytes whenever they are plain UTF-8.
fn our_dump(dex: &DexFile<'_>) -> Result<Dump, String> {
    let mut dump = Dump {
        classes: dex.class_defs_len() as usize,
        ..Dump::default()
    };
    for class in dex.class_defs() {
        let desc = dex
            .type_descriptor(class.class_idx)
            .map_err(|e| e.to_string())?;
        static_values(dex, &class, desc, &mut dump.static_values)?;
        let Some(data) = dex.class_data(&class).map_err(|e| e.to_string())? else {
            continue;
        };
        for m in data.methods() {
            let m = m.map_err(|e| e.to_string())?;
            let Some(code_off) = m.code_off else { continue };
            let code = dex.code_item(code_off).map_err(|e| e.to_string())?;
            let id = dex.method_id(m.method_idx).map_err(|e| e.to_string())?;
            let proto = dex
                .proto_id(u32::from(id.proto_idx))
                .map_err(|e| e.to_string())?;
            let mut sig = desc.to_vec();
            sig.extend_from_slice(b"->");
            sig.extend_from_slice(dex.string(id.name_idx).map_err(|e| e.to_string())?);
            sig.push(b'(');
            for p in dex
                .proto_parameters(&proto)
                .map_err(|e| e.to_string())?
                .iter()
            {
                sig.extend_from_slice(
                    dex.type_descriptor(u32::from(p))
                        .map_err(|e| e.to_string())?,
                );
            }
            sig.push(b')');
            sig.extend_from_slice(
                dex.type_descriptor(proto.return_type_idx)
                    .map_err(|e| e.to_string())?,
            );
            if let Ok(s) = std::str::from_utf8(&sig) {
                let rendered = dex
                    .method_signature(m.method_idx)
                    .map_err(|e| e.to_string())?;
                assert_eq!(rendered, s, "method_signature differs from raw bytes");
            }
            dump.debug.push(debug_record(dex, &sig, &code, &m)?);
            let mut r = sig;
            r.extend_from_slice(
                format!(
                    " registers={} insns={}",
                    code.registers_size, code.insns_size
                )
                .as_bytes(),
            );
            if code.tries_size > 0 {
                r.extend_from_slice(format!("\ncatches {}", code.tries_size).as_bytes());
                for block in code.try_blocks() {
                    let block = block.map_err(|e| e.to_string())?;
                    let t = block.try_item;
                    r.extend_from_slice(
                        format!("\n0x{:04x} - 0x{:04x}", t.start_addr, t.end_addr()).as_bytes(),
                    );
                    for c in block.handler.clauses() {
                        r.push(b'\n');
                        r.extend_from_slice(
                            dex.type_descriptor(c.type_idx).map_err(|e| e.to_string())?,
                        );
                        r.extend_from_slice(format!(" -> 0x{:04x}", c.addr).as_bytes());
                    }
                    if let Some(addr) = block.handler.catch_all_addr {
                        r.extend_from_slice(format!("\n<any> -> 0x{addr:04x}").as_bytes());
                    }
                }
            }
            dump.methods.push(r);
        }
    }
    dump.methods.sort();
    dump.static_values.sort();
    dump.debug.sort();
    Ok(dump)
}

/// The `positions` and `locals` lines of one method, as dexdump prints them.
fn debug_record(
    dex: &DexFile<'_>,
    sig: &[u8],
    code: &leakscope_dex::CodeItem<'_>,
    m: &leakscope_dex::EncodedMethod,
) -> Result<Vec<u8>, String> {
    use leakscope_dex::LocalName;
    let mut d = sig.to_vec();
    let mut locals = Vec::new();
    if code.debug_info_off != 0 {
        let info = dex
            .debug_info(code.debug_info_off)
            .map_err(|e| e.to_string())?;
        for p in info.positions() {
            let p = p.map_err(|e| e.to_string())?;
            d.extend_from_slice(format!("\n0x{:04x} line={}", p.address, p.line as i32).as_bytes());
        }
        let is_static = m.access_flags & 0x8 != 0;
        for v in info.locals(dex, code, m.method_idx, is_static) {
            // dexdump prints the ranges reported before an invalid stream.
            let Ok(v) = v else { break };
            let name: &[u8] = match v.name {
                Some(LocalName::This) => b"this",
                Some(LocalName::String(i)) => dex.string(i).map_err(|e| e.to_string())?,
                None => b"(null)",
            };
            let ty: &[u8] = match v.type_idx {
                Some(t) => dex.type_descriptor(t).map_err(|e| e.to_string())?,
                None => b"(null)",
            };
            let sig: &[u8] = match v.sig_idx {
                Some(s) => dex.string(s).map_err(|e| e.to_string())?,
                None => b"",
            };
            let mut line =
                format!("0x{:04x} - 0x{:04x} reg={} ", v.start, v.end, v.reg).into_bytes();
            for (i, part) in [name, ty, sig].into_iter().enumerate() {
                if i > 0 {
                    line.push(b' ');
                }
                line.extend_from_slice(part);
            }
            line.push(b' ');
            locals.push(b'\n');
            locals.extend_from_slice(line.trim_ascii());
        }
    }
    d.extend_from_slice(b"\nlocals");
    d.extend_from_slice(&locals);
    Ok(d)
}

/// C's `printf("%g", x)`, which dexdump uses for float and double values.
fn c_format_g(x: f64) -> String {
    if x.is_nan() {
        return if x.is_sign_negative() { "-nan" } else { "nan" }.to_owned();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf" } else { "inf" }.to_owned();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let strip = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            s
        }
    };
    let sci = format!("{x:.5e}");
    let (mant, exp) = sci.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", strip(mant.to_owned()), exp.abs())
    } else {
        strip(format!("{x:.*}", (5 - exp) as usize))
    }
}

/// dexdump's `dumpEscapedString`.
fn escaped(raw: &[u8]) -> Vec<u8> {
    let mut out = vec![b'"'];
    for &b in raw {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
    out.push(b'"');
    out
}

/// Records `Lcls;->name:Type=value` for each static field with an initial
/// value, formatted like dexdump. Value kinds that dexdump renders in ways
/// we do not reproduce (none occur in static values produced by javac/d8)
/// make the test fail loudly rather than being skipped silently.
fn static_values(
    dex: &DexFile<'_>,
    class: &leakscope_dex::ClassDef,
    desc: &[u8],
    out: &mut Vec<Vec<u8>>,
) -> Result<(), String> {
    use leakscope_dex::{EncodedValue as V, FieldKind};
    let Some(values) = dex.static_values(class).map_err(|e| e.to_string())? else {
        return Ok(());
    };
    let Some(data) = dex.class_data(class).map_err(|e| e.to_string())? else {
        return Ok(());
    };
    let statics = data
        .fields()
        .filter(|f| matches!(f, Ok(f) if f.kind == FieldKind::Static));
    for (field, value) in statics.zip(values.iter()) {
        let field = field.map_err(|e| e.to_string())?;
        let value = value.map_err(|e| e.to_string())?;
        let id = dex.field_id(field.field_idx).map_err(|e| e.to_string())?;
        let rendered: Vec<u8> = match value {
            V::Byte(v) => v.to_string().into_bytes(),
            V::Short(v) => v.to_string().into_bytes(),
            V::Char(v) => v.to_string().into_bytes(),
            V::Int(v) => v.to_string().into_bytes(),
            V::Long(v) => v.to_string().into_bytes(),
            V::Float(v) => c_format_g(f64::from(v)).into_bytes(),
            V::Double(v) => c_format_g(v).into_bytes(),
            V::Null => b"null".to_vec(),
            V::Boolean(v) => v.to_string().into_bytes(),
            V::Type(t) => dex.type_descriptor(t).map_err(|e| e.to_string())?.to_vec(),
            V::String(i) => escaped(dex.string(i).map_err(|e| e.to_string())?),
            other => return Err(format!("unexpected static value kind {other:?}")),
        };
        let mut r = desc.to_vec();
        r.extend_from_slice(b"->");
        r.extend_from_slice(dex.string(id.name_idx).map_err(|e| e.to_string())?);
        r.push(b':');
        r.extend_from_slice(
            dex.type_descriptor(u32::from(id.type_idx))
                .map_err(|e| e.to_string())?,
        );
        r.push(b'=');
        r.extend_from_slice(&rendered);
        out.push(r);
    }
    Ok(())
}

/// An input: a bare DEX file, or an APK whose `classes*.dex` are extracted.
enum Input {
    Dex(PathBuf),
    Apk(PathBuf, String),
}

fn collect_inputs() -> Vec<Input> {
    let mut inputs = Vec::new();
    if let Some(corpus) = common::corpus_dir() {
        inputs.extend(
            common::find_files(&corpus, &[".dex"])
                .into_iter()
                .map(Input::Dex),
        );
        for (i, apk) in common::find_files(&corpus, &[".apk"])
            .into_iter()
            .enumerate()
        {
            inputs.push(Input::Apk(apk, format!("c{i}")));
        }
    }
    if std::env::var_os("LEAKSCOPE_SKIP_REGISTRY").is_none()
        && let Some(reg) = common::registry_dir()
    {
        for (i, apk) in common::find_files(&reg, &[".apk"]).into_iter().enumerate() {
            inputs.push(Input::Apk(apk, format!("r{i}")));
        }
    }
    inputs
}

/// Totals over the compared files.
#[derive(Default)]
struct Stats {
    compared: usize,
    methods: usize,
    with_tries: usize,
    statics: usize,
    /// Position and local lines compared.
    locals: usize,
    versions: BTreeMap<u32, usize>,
    dexdump_failed: Vec<PathBuf>,
    oracle_time: Duration,
    ours_time: Duration,
}

/// Compares one DEX file with dexdump, panicking on any difference.
fn compare_file(path: &Path, stats: &mut Stats) {
    let t = Instant::now();
    let out = Command::new("dexdump").arg(path).output();
    stats.oracle_time += t.elapsed();
    let out = match out {
        Ok(out) if out.status.success() => out,
        _ => {
            stats.dexdump_failed.push(path.to_path_buf());
            return;
        }
    };
    let expected = parse_dexdump(&out.stdout);

    let t = Instant::now();
    let bytes = std::fs::read(path).unwrap_or_default();
    let images = parse_dex_container_with(&bytes, ParseOptions::verified())
        .unwrap_or_else(|e| panic!("{}: dexdump reads it but we fail: {e}", path.display()));
    assert_eq!(
        images.len(),
        1,
        "{}: corpus files are single images",
        path.display()
    );
    let dex = &images[0];
    *stats.versions.entry(dex.version()).or_insert(0) += 1;
    // Real files built by d8/dx carry a correct checksum and consistent sizes.
    assert!(
        dex.warnings().is_empty(),
        "{}: {:?}",
        path.display(),
        dex.warnings()
    );
    let ours = our_dump(dex).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    stats.ours_time += t.elapsed();

    assert_eq!(
        ours.classes,
        expected.classes,
        "{}: class def count",
        path.display()
    );
    for (what, a, b) in [
        ("method", &ours.methods, &expected.methods),
        ("static value", &ours.static_values, &expected.static_values),
        ("positions/locals", &ours.debug, &expected.debug),
    ] {
        assert_eq!(
            a.len(),
            b.len(),
            "{}: number of {what} records",
            path.display()
        );
        for (a, b) in a.iter().zip(b) {
            assert_eq!(
                String::from_utf8_lossy(a),
                String::from_utf8_lossy(b),
                "{}: {what} record differs",
                path.display()
            );
        }
    }
    stats.compared += 1;
    stats.methods += ours.methods.len();
    stats.statics += ours.static_values.len();
    stats.locals += ours
        .debug
        .iter()
        .map(|d| {
            d.split(|&b| b == b'\n')
                .filter(|l| l.contains(&b'='))
                .count()
        })
        .sum::<usize>();
    stats.with_tries += ours
        .methods
        .iter()
        .filter(|m| m.windows(8).any(|w| w == b"\ncatches"))
        .count();
}

#[test]
fn matches_dexdump_on_corpus() {
    if common::corpus_dir().is_none() {
        eprintln!("SKIP: corpus not found (set LEAKSCOPE_CORPUS)");
        return;
    }
    if !common::have_tool("dexdump", "-h") || !common::have_tool("unzip", "-v") {
        eprintln!("SKIP: dexdump or unzip not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let started = Instant::now();
    let inputs = collect_inputs();
    let next = AtomicUsize::new(0);
    // Two workers: dexdump dominates the run time and the machine is shared.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    let results: Vec<Stats> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut stats = Stats::default();
                    while let Some(input) = inputs.get(next.fetch_add(1, Ordering::Relaxed)) {
                        match input {
                            Input::Dex(path) => compare_file(path, &mut stats),
                            Input::Apk(apk, prefix) => {
                                for dex in common::extract_dex(apk, tmp.path(), prefix) {
                                    compare_file(&dex, &mut stats);
                                    let _ = std::fs::remove_file(&dex);
                                }
                            }
                        }
                    }
                    stats
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut total = Stats::default();
    for s in results {
        total.compared += s.compared;
        total.methods += s.methods;
        total.with_tries += s.with_tries;
        total.statics += s.statics;
        total.locals += s.locals;
        total.oracle_time += s.oracle_time;
        total.ours_time += s.ours_time;
        total.dexdump_failed.extend(s.dexdump_failed);
        for (v, n) in s.versions {
            *total.versions.entry(v).or_insert(0) += n;
        }
    }
    eprintln!(
        "compared {} DEX files with dexdump ({} methods with code, {} with try/catch, {} static \
         values, {} position/local lines; versions {:?}) in {:?} wall; dexdump {:?}, ours {:?} (summed over {workers} \
         workers)",
        total.compared,
        total.methods,
        total.with_tries,
        total.statics,
        total.locals,
        total.versions,
        started.elapsed(),
        total.oracle_time,
        total.ours_time,
    );
    for f in &total.dexdump_failed {
        eprintln!("dexdump failed on {} (skipped)", f.display());
    }
    assert!(total.compared > 0, "no DEX file compared");
    assert!(total.with_tries > 0, "no try/catch compared");
    assert!(total.statics > 0, "no static value compared");
    assert!(total.locals > 0, "no positions or locals compared");
}
