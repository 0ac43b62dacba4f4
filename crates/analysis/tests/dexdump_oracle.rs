//! Cross-check of the API pass against AOSP `dexdump -d`.
//!
//! For every DEX of every corpus app (the realworld APKs and bare DEX files;
//! the registry APKs too when `LEAKSCOPE_SLOW_TESTS=1`), the expected call
//! sites are derived from `dexdump -d` text alone: method headers
//! (`|[offset] com.foo.Bar.method:(args)ret`), class descriptors, and the
//! instruction lines (`invoke-*`, `sget*`, `const-string*`), each looked up
//! in the catalog (`kb.apis`) directly. The evidence set of
//! [`leakscope_analysis::apis::scan`] must equal it exactly, as
//! (dex, class, method, offset, api, category) tuples; the `const-string`
//! indices must equal the `string@` indices dexdump prints.
//!
//! `string_arg` entries and `getSystemService` are compared under the same
//! documented approximation the scanner uses, re-implemented here over the
//! text: `const-string vX` sets vX, `move-object` copies, any other
//! instruction that writes its first register clears it (and the next one
//! for wide results), and all registers are forgotten at forward `goto`/`if`
//! targets, at switch case targets (read from the payload bytes at the file
//! offset dexdump prints, since dexdump truncates payload hex) and at catch
//! handlers (dexdump's `catches` section).

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::process::Command;

use leakscope_analysis::apis::{self, DexSource};
use leakscope_analysis::attribution::{Attributor, SdkPrefixes};
use leakscope_kb::{ApiCatalog, ApiTarget, Kb, Role};

type Site = (String, String, String, u32, String, String);

struct Line {
    file_off: usize,
    /// The code units dexdump prints (at most the first few; dexdump shows
    /// each unit as its two bytes in file order).
    units: Vec<u16>,
    pc: u32,
    mnemonic: String,
    operands: String,
}

#[derive(Default)]
struct Method {
    class: String,
    method: String,
    lines: Vec<Line>,
    handlers: Vec<u32>,
}

fn hex(s: &str) -> Option<u64> {
    u64::from_str_radix(s.trim().trim_start_matches("0x"), 16).ok()
}

fn parse_dexdump(text: &str) -> Vec<Method> {
    let mut out: Vec<Method> = Vec::new();
    let mut class = String::new();
    let mut cur: Option<Method> = None;
    let mut in_catches = false;
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("Class descriptor  : '") {
            out.extend(cur.take());
            class = rest.trim_end_matches('\'').to_owned();
            continue;
        }
        if let Some((left, right)) = line.split_once('|') {
            if let Some(h) = right.strip_prefix('[') {
                // Method header: `[offset] com.foo.Bar.name:(args)ret`.
                out.extend(cur.take());
                in_catches = false;
                let sig = h.split_once("] ").map(|x| x.1).unwrap_or("");
                let (qual, proto) = sig.split_once(':').unwrap_or((sig, ""));
                let name = qual.rsplit('.').next().unwrap_or(qual);
                cur = Some(Method {
                    class: class.clone(),
                    method: format!("{name}{proto}"),
                    ..Method::default()
                });
                continue;
            }
            let (Some(m), Some(off)) = (cur.as_mut(), left.split(':').next().and_then(hex)) else {
                continue;
            };
            let Some((pc, body)) = right.split_once(": ") else {
                continue;
            };
            let Some(pc) = hex(pc) else { continue };
            let (mnemonic, operands) = body.split_once(' ').unwrap_or((body, ""));
            let units = left
                .split_once(':')
                .map(|x| x.1)
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|w| u16::from_str_radix(w, 16).ok().map(u16::swap_bytes))
                .collect();
            m.lines.push(Line {
                file_off: off as usize,
                units,
                pc: pc as u32,
                mnemonic: mnemonic.to_owned(),
                operands: operands.to_owned(),
            });
            continue;
        }
        if t.starts_with("catches       :") {
            in_catches = true;
            continue;
        }
        if t.starts_with("positions") || t.starts_with("locals") {
            in_catches = false;
            continue;
        }
        if in_catches
            && let Some((_, addr)) = t.rsplit_once(" -> ")
            && let (Some(m), Some(a)) = (cur.as_mut(), hex(addr))
        {
            m.handlers.push(a as u32);
        }
    }
    out.extend(cur);
    out
}

fn reg(s: &str) -> Option<u32> {
    s.trim().strip_prefix('v')?.parse().ok()
}

/// Registers of `{v0, v1}` or `{v0 .. v5}`.
fn invoke_regs(ops: &str) -> Vec<u32> {
    let Some(inner) = ops
        .strip_prefix('{')
        .and_then(|s| s.split_once('}'))
        .map(|x| x.0)
    else {
        return Vec::new();
    };
    if let Some((a, b)) = inner.split_once(" .. ") {
        match (reg(a), reg(b)) {
            (Some(a), Some(b)) if b >= a => (a..=b).collect(),
            _ => Vec::new(),
        }
    } else {
        inner.split(", ").filter_map(reg).collect()
    }
}

/// `Lcls;.name:proto // method@..` → (class, name, proto).
fn member_ref(ops: &str) -> Option<(&str, &str, &str)> {
    let r = ops.rsplit_once("}, ").map(|x| x.1).unwrap_or(ops);
    let r = r.rsplit_once(", ").map(|x| x.1).unwrap_or(r);
    let r = r.split(" // ").next()?;
    let (class, rest) = r.split_once(";.")?;
    let (name, proto) = rest.split_once(':')?;
    Some((&r[..class.len() + 1], name, proto))
}

fn writes_first(m: &str) -> bool {
    const NO: [&str; 14] = [
        "invoke",
        "if-",
        "goto",
        "return",
        "throw",
        "monitor-",
        "check-cast",
        "fill-array-data",
        "packed-switch",
        "sparse-switch",
        "iput",
        "sput",
        "aput",
        "nop",
    ];
    !NO.iter().any(|p| m.starts_with(p)) && !m.starts_with("filled-new-array")
}

fn is_wide(m: &str) -> bool {
    if m.starts_with("cmp") {
        return false;
    }
    if let Some((_, to)) = m.split_once("-to-") {
        return to.starts_with("long") || to.starts_with("double");
    }
    m.contains("wide") || m.contains("-long") || m.contains("-double")
}

fn read_u16(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(o..o + 2)?.try_into().ok()?))
}
fn read_i32(b: &[u8], o: usize) -> Option<i32> {
    Some(i32::from_le_bytes(b.get(o..o + 4)?.try_into().ok()?))
}

/// Switch case targets (relative), from the payload bytes.
fn switch_targets(dex: &[u8], payload_off: usize) -> Vec<i32> {
    let (Some(ident), Some(size)) = (read_u16(dex, payload_off), read_u16(dex, payload_off + 2))
    else {
        return Vec::new();
    };
    let size = usize::from(size);
    let base = match ident {
        0x0100 => payload_off + 8,
        0x0200 => payload_off + 4 + 4 * size,
        _ => return Vec::new(),
    };
    (0..size)
        .filter_map(|i| read_i32(dex, base + 4 * i))
        .collect()
}

fn source_cat(e: &leakscope_kb::ApiEntry) -> Option<String> {
    (e.role == Role::Source)
        .then_some(e.category)
        .flatten()
        .map(|c| c.id().to_owned())
}

/// Expected sites and const-string indices of one dexdump listing.
fn expected(
    dex_label: &str,
    dex: &[u8],
    methods: &[Method],
    cat: &ApiCatalog,
) -> (BTreeSet<Site>, BTreeSet<u32>) {
    let mut sites = BTreeSet::new();
    let mut strings = BTreeSet::new();
    for m in methods {
        let by_pc: HashMap<u32, usize> = m.lines.iter().map(|l| (l.pc, l.file_off)).collect();
        let mut targets: HashSet<u32> = m.handlers.iter().copied().collect();
        for l in &m.lines {
            let target = l
                .operands
                .split(" // ")
                .next()
                .and_then(|s| s.rsplit(", ").next())
                .and_then(hex);
            if l.mnemonic.starts_with("goto") || l.mnemonic.starts_with("if-") {
                if let Some(t) = target
                    && t > u64::from(l.pc)
                {
                    targets.insert(t as u32);
                }
            } else if (l.mnemonic == "packed-switch" || l.mnemonic == "sparse-switch")
                && let Some(p) = target
                && let Some(&off) = by_pc.get(&(p as u32))
            {
                for rel in switch_targets(dex, off) {
                    let t = i64::from(l.pc) + i64::from(rel);
                    if t >= 0 {
                        targets.insert(t as u32);
                    }
                }
            }
        }
        let mut regs: HashMap<u32, String> = HashMap::new();
        let mut add = |pc: u32, api: String, c: String| {
            sites.insert((
                dex_label.to_owned(),
                m.class.clone(),
                m.method.clone(),
                pc,
                api,
                c,
            ));
        };
        for l in &m.lines {
            if targets.contains(&l.pc) {
                regs.clear();
            }
            let mn = l.mnemonic.as_str();
            let first = l.operands.split(',').next().and_then(reg);
            if mn.starts_with("const-string") {
                let (Some(v), Some((_, s))) = (first, l.operands.split_once(", \"")) else {
                    continue;
                };
                // The index from the encoding (dexdump's `// string@` comment
                // is on another line when the string holds a newline).
                let u = |i: usize| u32::from(l.units.get(i).copied().unwrap_or(0));
                strings.insert(if mn == "const-string/jumbo" {
                    u(1) | (u(2) << 16)
                } else {
                    u(1)
                });
                let value = s.rsplit_once("\" // string@").map_or(s, |x| x.0);
                let hit = if value.starts_with("content://") {
                    cat.content_uri(value)
                        .filter(|e| matches!(e.target, ApiTarget::ContentUri { .. }))
                } else {
                    cat.intent_action(value)
                };
                if let Some(c) = hit.and_then(source_cat) {
                    add(l.pc, value.to_owned(), c);
                }
                regs.insert(v, value.to_owned());
            } else if mn.starts_with("move-object") {
                let mut it = l.operands.split(", ").map(reg);
                if let (Some(Some(a)), Some(Some(b))) = (it.next(), it.next()) {
                    match regs.get(&b).cloned() {
                        Some(s) => regs.insert(a, s),
                        None => regs.remove(&a),
                    };
                }
            } else if mn.starts_with("invoke-") {
                let Some((class, name, proto)) = member_ref(&l.operands) else {
                    continue;
                };
                let api = format!("{class}->{name}{proto}");
                let args: Vec<&String> = invoke_regs(&l.operands)
                    .iter()
                    .filter_map(|r| regs.get(r))
                    .collect();
                for e in cat.methods(class, name, proto) {
                    let Some(c) = source_cat(e) else { continue };
                    match &e.target {
                        ApiTarget::Method {
                            string_arg: Some(s),
                            ..
                        } => {
                            if args.contains(&s) {
                                add(l.pc, api.clone(), c);
                            }
                        }
                        _ => add(l.pc, api.clone(), c),
                    }
                }
                if name == "getSystemService" && proto == "(Ljava/lang/String;)Ljava/lang/Object;" {
                    for a in &args {
                        if let Some(c) = cat.system_service(a).and_then(source_cat) {
                            add(l.pc, (*a).clone(), c);
                        }
                    }
                }
            } else if mn.starts_with("sget") {
                if let Some((class, name, _)) = member_ref(&l.operands)
                    && let Some(c) = cat.field(class, name).and_then(source_cat)
                {
                    add(l.pc, format!("{class}->{name}"), c);
                }
                if let Some(v) = first {
                    regs.remove(&v);
                    if is_wide(mn) {
                        regs.remove(&(v + 1));
                    }
                }
            } else if writes_first(mn)
                && let Some(v) = first
            {
                regs.remove(&v);
                if is_wide(mn) {
                    regs.remove(&(v + 1));
                }
            }
        }
    }
    (sites, strings)
}

fn check_app(path: &Path, kb: &'static Kb) -> Result<usize, String> {
    let app = match leakscope_app::load(path, &leakscope_app::Options::default()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("note: {}: not loadable ({e}); skipped", path.display());
            return Ok(0);
        }
    };
    let attr = Attributor::new(&app, kb).map_err(|e| e.to_string())?;
    let scan = apis::scan(&app, kb, &attr);
    let ours_list: Vec<Site> = scan
        .evidence
        .iter()
        .map(|e| {
            (
                e.location.dex.clone(),
                e.location.class.clone(),
                e.location.method.clone(),
                e.location.offset,
                e.api.clone(),
                e.category.id().to_owned(),
            )
        })
        .collect();
    let mut sites = 0;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for (i, blob) in app.code.iter().enumerate() {
        let bytes = blob.bytes.as_slice();
        let file = dir.path().join(format!("{i}.dex"));
        std::fs::write(&file, bytes).map_err(|e| e.to_string())?;
        let out = Command::new("dexdump")
            .arg("-d")
            .arg(&file)
            .output()
            .map_err(|e| e.to_string())?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || stderr.contains("Failure") || stderr.contains("ERROR") {
            eprintln!(
                "note: {}!{}: dexdump failed; not compared",
                path.display(),
                blob.origin
            );
            continue;
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let methods = parse_dexdump(&text);
        let (want, want_strings) = expected(&blob.origin, bytes, &methods, &kb.apis);
        let ours: BTreeSet<Site> = ours_list
            .iter()
            .filter(|s| s.0 == blob.origin)
            .cloned()
            .collect();
        let ours_count = ours_list.iter().filter(|s| s.0 == blob.origin).count();
        if ours_count != ours.len() {
            return Err(format!(
                "{}!{}: duplicate evidence",
                path.display(),
                blob.origin
            ));
        }
        if ours != want {
            let missing: Vec<_> = want.difference(&ours).take(10).collect();
            let extra: Vec<_> = ours.difference(&want).take(10).collect();
            return Err(format!(
                "{}!{}: {} expected, {} ours\nmissing: {missing:#?}\nextra: {extra:#?}",
                path.display(),
                blob.origin,
                want.len(),
                ours.len()
            ));
        }
        let ours_strings: BTreeSet<u32> = scan
            .const_strings
            .iter()
            .filter(|c| c.source == DexSource::Code { blob: i } && c.image == 0)
            .flat_map(|c| c.indices.iter().copied())
            .collect();
        if ours_strings != want_strings {
            return Err(format!(
                "{}!{}: const-string indices differ: {} ours, {} dexdump",
                path.display(),
                blob.origin,
                ours_strings.len(),
                want_strings.len()
            ));
        }
        sites += want.len();
    }
    Ok(sites)
}

fn dexdump_available() -> bool {
    if Command::new("dexdump").arg("-h").output().is_err() {
        eprintln!("SKIP: dexdump not found");
        return false;
    }
    true
}

#[test]
fn call_sites_equal_dexdump_on_realworld_corpus() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    if !dexdump_available() {
        return;
    }
    let kb = Kb::embedded().expect("embedded kb");
    let _ = SdkPrefixes::embedded().expect("prefixes");
    let mut files = common::files_with_ext(&corpus.join("realworld"), "apk");
    files.extend(common::files_with_ext(&corpus.join("realworld"), "dex"));
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    let mut total = 0;
    for f in &files {
        match check_app(f, kb) {
            Ok(n) => total += n,
            Err(e) => failures.push(e),
        }
    }
    eprintln!("{} apps, {total} call sites compared", files.len());
    assert!(total > 0);
    assert!(
        failures.is_empty(),
        "{} apps differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn call_sites_equal_dexdump_on_registry_apks() {
    if std::env::var_os("LEAKSCOPE_SLOW_TESTS").is_none() {
        eprintln!("SKIP: set LEAKSCOPE_SLOW_TESTS=1 to compare the registry APKs (slow)");
        return;
    }
    if !dexdump_available() {
        return;
    }
    let Some(home) = std::env::var_os("HOME") else {
        return;
    };
    let dir = Path::new(&home).join(".cache/leakscope-corpus/registry");
    let files = common::files_with_ext(&dir, "apk");
    if files.is_empty() {
        eprintln!("SKIP: no registry APKs in {}", dir.display());
        return;
    }
    let kb = Kb::embedded().expect("embedded kb");
    let mut failures = Vec::new();
    for f in &files {
        match check_app(f, kb) {
            Ok(n) => eprintln!("{}: {n} call sites", f.display()),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
