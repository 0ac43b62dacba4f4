//! GeoIP lookups against the DB-IP Lite / ip-location-db country database
//! in the registry cache, with an independent oracle (the `maxminddb`
//! Python package) when one is installed.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use leakscope_endpoints::{GeoIp, GeoIpError};

fn db_path() -> Option<PathBuf> {
    let p = match std::env::var_os("LEAKSCOPE_GEOIP_DB") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(std::env::var_os("HOME")?)
            .join(".cache/leakscope-corpus/registry/dbip-country.mmdb"),
    };
    if p.is_file() {
        Some(p)
    } else {
        eprintln!(
            "SKIP: GeoIP database {} not found (run corpus/fetch-registry-apks.sh)",
            p.display()
        );
        None
    }
}

fn open(p: &PathBuf) -> GeoIp {
    match GeoIp::open(p) {
        Ok(g) => g,
        Err(e) => panic!("{e}"),
    }
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Known answers, taken from the Python `maxminddb` reader on the same file
/// (build_epoch 1780345978).
#[test]
fn known_lookups() {
    let Some(p) = db_path() else { return };
    let g = open(&p);
    assert_eq!(g.database_type(), "country ipvAll");
    for (a, cc) in [
        ("8.8.8.8", "US"),
        ("1.1.1.1", "AU"),
        ("9.9.9.9", "US"),
        ("193.0.6.139", "NL"),
        ("202.12.27.33", "JP"),
        ("2a00:1450:4001:80b::200e", "DE"),
        ("2606:4700:4700::1111", "CA"),
    ] {
        assert_eq!(g.country(ip(a)).as_deref(), Some(cc), "{a}");
    }
    // Private and loopback addresses are not in the database.
    assert_eq!(g.country(ip("10.0.0.1")), None);
    assert_eq!(g.country(ip("127.0.0.1")), None);
    assert_eq!(g.country(ip("::1")), None);
}

/// Deterministic pseudo-random addresses, v4 and v6.
fn sample(n: usize) -> Vec<IpAddr> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| {
            let r = next();
            if i % 4 == 3 {
                // Mostly inside 2000::/3, where allocations are.
                let hi = 0x2000_0000_0000_0000u64 | (r >> 3);
                IpAddr::V6(std::net::Ipv6Addr::from(
                    (u128::from(hi) << 64) | u128::from(next()),
                ))
            } else {
                IpAddr::V4(std::net::Ipv4Addr::from((r >> 32) as u32))
            }
        })
        .collect()
}

/// Compares 4000 lookups with the Python reader, when it is installed
/// (`pip install maxminddb`; the repository's `.venv` is tried first, then
/// `python3`; set LEAKSCOPE_PYTHON to pick the interpreter).
#[test]
fn agrees_with_python_maxminddb() {
    let Some(p) = db_path() else { return };
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    let py = std::env::var("LEAKSCOPE_PYTHON").unwrap_or_else(|_| {
        if venv.is_file() {
            venv.display().to_string()
        } else {
            "python3".into()
        }
    });
    let probe = Command::new(&py).args(["-c", "import maxminddb"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIP: {py} cannot import maxminddb (the oracle); set LEAKSCOPE_PYTHON");
        return;
    }
    let ips = sample(4000);
    let input: String = ips.iter().map(|i| format!("{i}\n")).collect();
    let script = r#"
import sys, maxminddb
r = maxminddb.open_database(sys.argv[1])
for line in sys.stdin:
    rec = r.get(line.strip())
    cc = None
    if isinstance(rec, dict):
        cc = rec.get('country_code') or (rec.get('country') or {}).get('iso_code')
    print(cc or '-')
"#;
    let child = Command::new(&py)
        .args(["-c", script])
        .arg(&p)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        panic!("spawn {py}")
    };
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(input.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let expected: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(expected.len(), ips.len());
    let g = open(&p);
    let mut found = 0;
    for (i, e) in ips.iter().zip(&expected) {
        let ours = g.country(*i).unwrap_or_else(|| "-".into());
        assert_eq!(&ours, e, "{i}");
        found += usize::from(ours != "-");
    }
    eprintln!(
        "GeoIP: {} lookups agree with python maxminddb ({found} with a country)",
        ips.len()
    );
    assert!(found > 1000);
}

#[test]
fn truncated_and_corrupt_databases_fail_cleanly() {
    let Some(p) = db_path() else { return };
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{e}"));
    // Not a database at all.
    assert!(matches!(
        GeoIp::from_bytes(Vec::new()),
        Err(GeoIpError::Invalid(_))
    ));
    assert!(matches!(
        GeoIp::from_bytes(b"hello".to_vec()),
        Err(GeoIpError::Invalid(_))
    ));
    // A missing file.
    let e = GeoIp::open("/nonexistent/geo.mmdb");
    assert!(matches!(e, Err(GeoIpError::Io { .. })), "{e:?}");
    let probes = sample(300);
    // Truncated: metadata is at the end, so most cuts fail at open; a cut
    // that keeps the metadata must not panic on lookup.
    for cut in [
        1usize,
        100,
        bytes.len() / 3,
        bytes.len() / 2,
        bytes.len() - 10,
        bytes.len() - 2000,
    ] {
        let t = bytes.get(..cut).unwrap_or_default().to_vec();
        match GeoIp::from_bytes(t) {
            Err(e) => assert!(!e.to_string().is_empty()),
            Ok(g) => {
                for i in &probes {
                    let _ = g.try_country(*i);
                }
            }
        }
    }
    // Keep the metadata but cut away the start of the tree and data.
    let tail = bytes.get(bytes.len() - 4000..).unwrap_or_default().to_vec();
    assert!(GeoIp::from_bytes(tail).is_err_and(|e| !e.to_string().is_empty()));
    // Flip bytes all over the search tree and data section.
    let mut x = 12345u64;
    for round in 0..8 {
        let mut c = bytes.clone();
        let meta = c.len().saturating_sub(1000);
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let at = (x % meta as u64) as usize;
            if let Some(b) = c.get_mut(at) {
                *b ^= (x >> 32) as u8 | 1;
            }
        }
        let g = match GeoIp::from_bytes(c) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("round {round}: rejected at open: {e}");
                continue;
            }
        };
        let mut errors = 0;
        for i in &probes {
            errors += usize::from(g.try_country(*i).is_err());
            let _ = g.country(*i);
        }
        eprintln!(
            "round {round}: {errors} of {} lookups reported corruption",
            probes.len()
        );
    }
}
