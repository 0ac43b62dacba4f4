//! The extractor over real apps: raw `classes*.dex` bytes and native `.so`
//! bytes of every corpus APK (realworld and, when fetched, the registry
//! APKs). Checks sane properties and compares URLs with an independent
//! oracle, `strings -a -n 6 | grep -oE 'https?://[^" ]+'`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use leakscope_endpoints::{Candidate, CandidateKind, Extractor, Findings, NoiseReason, Outcome};
use leakscope_testkit::{corpus, have_tool as have, registry_dir as registry};

fn find_files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            find_files(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

/// `unzip -p APK PATTERN`: the matching members concatenated.
fn unzip(apk: &Path, pattern: &str) -> Vec<u8> {
    Command::new("unzip")
        .args(["-p", "-qq"])
        .arg(apk)
        .arg(pattern)
        .stderr(Stdio::null())
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default()
}

/// The oracle: URLs that `strings` + `grep` find in `bytes`.
fn oracle_urls(bytes: &[u8], scratch: &Path) -> Vec<String> {
    if std::fs::write(scratch, bytes).is_err() {
        return Vec::new();
    }
    let cmd = format!(
        "strings -a -n 6 '{}' | grep -oE 'https?://[^\" ]+'",
        scratch.display()
    );
    let out = Command::new("sh").args(["-c", &cmd]).output();
    let _ = std::fs::remove_file(scratch);
    match out {
        Ok(o) => String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::to_owned)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Dotted package names (and their prefixes of two or more labels) of the
/// classes named in the DEX bytes (`Lcom/foo/Bar;`).
fn class_packages(dex: &[u8]) -> HashSet<String> {
    let re = regex::bytes::Regex::new(r"L([a-zA-Z_][a-zA-Z0-9_$]*(?:/[a-zA-Z0-9_$]+)+);");
    let Ok(re) = re else { return HashSet::new() };
    let mut set = HashSet::new();
    for c in re.captures_iter(dex) {
        let Some(path) = c.get(1) else { continue };
        let path = String::from_utf8_lossy(path.as_bytes()).to_ascii_lowercase();
        let parts: Vec<&str> = path.split('/').collect();
        for n in 2..=parts.len() {
            set.insert(parts[..n].join("."));
        }
    }
    set
}

#[derive(Default)]
struct Totals {
    apps: usize,
    dex_bytes: usize,
    so_bytes: usize,
    scan_time: Duration,
    findings: Findings,
    oracle_total: usize,
    oracle_endpoint: usize,
    oracle_noise: BTreeMap<String, usize>,
    oracle_missed: Vec<String>,
    bad_suffix: Vec<String>,
    package_hosts: Vec<String>,
}

fn check_candidates(cands: &[Candidate], packages: Option<&HashSet<String>>, t: &mut Totals) {
    for c in cands {
        let Outcome::Endpoint(e) = &c.outcome else {
            continue;
        };
        if e.is_ip {
            assert!(e.ip().is_some(), "{e:?}");
            assert!(e.registrable_domain.is_none());
            continue;
        }
        // Every registrable domain has a public suffix (independently of
        // the extractor: ask psl here), or is the reserved `.test`.
        match &e.registrable_domain {
            Some(d) if d.ends_with(".test") => {}
            Some(d)
                if psl::suffix(d.as_bytes()).is_some_and(|s| s.is_known()) && d.contains('.') => {}
            _ => t.bad_suffix.push(e.host.clone()),
        }
        assert!(
            e.host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b)),
            "{e:?}"
        );
        // A bare name must not be a package that the app's classes use.
        if c.kind == CandidateKind::Hostname && packages.is_some_and(|p| p.contains(&e.host)) {
            t.package_hosts.push(e.host.clone());
        }
    }
}

fn compare_with_oracle(bytes: &[u8], cands: &[Candidate], scratch: &Path, t: &mut Totals) {
    for o in oracle_urls(bytes, scratch) {
        t.oracle_total += 1;
        // Ours is the same URL, or a prefix of the oracle's (we stop at
        // quotes, `<>\^|` and trailing punctuation; grep does not).
        let hit = cands.iter().find(|c| {
            c.kind == CandidateKind::Url && {
                let ours = c.text(bytes);
                o.as_bytes().starts_with(ours)
            }
        });
        match hit.map(|c| &c.outcome) {
            Some(Outcome::Endpoint(_)) => t.oracle_endpoint += 1,
            Some(Outcome::Noise(r)) => *t.oracle_noise.entry(r.to_string()).or_default() += 1,
            None => t.oracle_missed.push(o),
        }
    }
}

#[test]
fn corpus_dex_and_native_strings() {
    let Some(corpus) = corpus() else { return };
    if !have("unzip", "-v") || !have("strings", "--version") {
        eprintln!("SKIP: unzip or strings not installed");
        return;
    }
    let mut apks = Vec::new();
    find_files(&corpus.join("realworld"), "apk", &mut apks);
    let mut loose_dex = Vec::new();
    find_files(&corpus.join("realworld"), "dex", &mut loose_dex);
    match registry() {
        Some(r) => find_files(&r, "apk", &mut apks),
        None => eprintln!("note: registry APKs not fetched; realworld only"),
    }
    let ex = match Extractor::new() {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    let scratch =
        std::env::temp_dir().join(format!("leakscope-endpoints-oracle-{}", std::process::id()));
    let mut t = Totals::default();
    let mut inputs: Vec<(String, Vec<u8>, Vec<u8>)> = Vec::new();
    for apk in &apks {
        inputs.push((
            apk.display().to_string(),
            unzip(apk, "classes*.dex"),
            unzip(apk, "lib/*.so"),
        ));
    }
    for d in &loose_dex {
        inputs.push((
            d.display().to_string(),
            std::fs::read(d).unwrap_or_default(),
            Vec::new(),
        ));
    }
    for (name, dex, so) in &inputs {
        t.apps += 1;
        t.dex_bytes += dex.len();
        t.so_bytes += so.len();
        let start = Instant::now();
        let mut dex_c = Vec::new();
        ex.scan(dex, &mut |c| dex_c.push(c));
        let mut so_c = Vec::new();
        ex.scan_binary(so, 6, &mut |c| so_c.push(c));
        t.scan_time += start.elapsed();
        let packages = class_packages(dex);
        check_candidates(&dex_c, Some(&packages), &mut t);
        check_candidates(&so_c, None, &mut t);
        compare_with_oracle(dex, &dex_c, &scratch, &mut t);
        compare_with_oracle(so, &so_c, &scratch, &mut t);
        let before = t.findings.len();
        for c in dex_c.into_iter().chain(so_c) {
            t.findings.record(c);
        }
        if std::env::var_os("LEAKSCOPE_VERBOSE").is_some() {
            eprintln!("{name}: {} new endpoints", t.findings.len() - before);
        }
    }
    let mb = (t.dex_bytes + t.so_bytes) as f64 / 1e6;
    eprintln!(
        "corpus: {} inputs, {:.1} MB dex + {:.1} MB .so scanned in {:?} ({:.0} MB/s, {} build)",
        t.apps,
        t.dex_bytes as f64 / 1e6,
        t.so_bytes as f64 / 1e6,
        t.scan_time,
        mb / t.scan_time.as_secs_f64().max(1e-9),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
    );
    eprintln!(
        "endpoints: {} distinct, {} hosts",
        t.findings.len(),
        t.findings.hosts().len()
    );
    eprintln!("noise: {}", t.findings.noise());
    eprintln!(
        "oracle (strings|grep): {} URLs; {} found as endpoints, filtered {:?}, missed {}",
        t.oracle_total,
        t.oracle_endpoint,
        t.oracle_noise,
        t.oracle_missed.len()
    );
    for m in t.oracle_missed.iter().take(20) {
        eprintln!("  missed: {m}");
    }
    if std::env::var_os("LEAKSCOPE_VERBOSE").is_some() {
        for h in t.findings.hosts() {
            eprintln!("  host: {h}");
        }
    }
    assert!(t.apps > 100, "{} inputs", t.apps);
    assert!(
        t.bad_suffix.is_empty(),
        "no public suffix: {:?}",
        t.bad_suffix
    );
    assert!(
        t.package_hosts.is_empty(),
        "package names reported as hosts: {:?}",
        t.package_hosts
    );
    assert!(t.oracle_total > 100);
    assert!(
        t.oracle_missed.is_empty(),
        "missed {} oracle URLs",
        t.oracle_missed.len()
    );
    assert!(t.findings.noise().get(NoiseReason::XmlNamespace) > 0);
    assert!(t.findings.len() > 50);
}
