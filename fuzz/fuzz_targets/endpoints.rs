//! Scans arbitrary bytes for endpoints (plain and as a binary with UTF-16
//! runs) and checks every candidate's span and endpoint invariants; parses
//! the bytes as a noise table and as a GeoIP database. Panics are bugs.
#![no_main]
use leakscope_endpoints::{Extractor, GeoIp, NoiseTable, Outcome};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static EXTRACTOR: LazyLock<Option<Extractor>> = LazyLock::new(|| Extractor::new().ok());

fuzz_target!(|data: &[u8]| {
    let Some(ex) = EXTRACTOR.as_ref() else { return };
    let check = |c: leakscope_endpoints::Candidate| {
        assert!(c.offset.saturating_add(c.len) <= data.len());
        if let Outcome::Endpoint(e) = &c.outcome {
            assert!(!e.host.is_empty());
            assert_eq!(e.is_ip, e.ip().is_some());
            assert_eq!(e.is_ip, e.ip_scope.is_some());
            assert!(e.is_ip || e.registrable_domain.is_some());
            let _ = e.to_string();
        }
    };
    ex.scan(data, &mut |c| check(c));
    ex.scan_binary(data, 4, &mut |c| check(c));
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = NoiseTable::from_toml(s);
    }
    if let Ok(g) = GeoIp::from_bytes(data.to_vec()) {
        let _ = g.country("8.8.8.8".parse().unwrap_or(std::net::IpAddr::from([8, 8, 8, 8])));
        let _ = g.try_country(std::net::IpAddr::from([0u16; 8]));
    }
});
