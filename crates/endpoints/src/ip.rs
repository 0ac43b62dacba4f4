//! IP literals: parsing the dotted quad strictly and classifying addresses.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::endpoint::{IpScope, NoiseReason};

/// Parses a strict dotted quad: four decimal octets, no leading `+`, at most
/// three digits each, value ≤ 255. A leading zero (`010`) is accepted as
/// decimal, as Java's `InetAddress` does.
pub(crate) fn parse_dotted_quad(s: &str) -> Result<Ipv4Addr, NoiseReason> {
    let mut octets = [0u8; 4];
    let mut n = 0usize;
    for part in s.split('.') {
        let slot = octets.get_mut(n).ok_or(NoiseReason::Version)?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(NoiseReason::Version);
        }
        let v: u16 = part.parse().map_err(|_| NoiseReason::InvalidIp)?;
        *slot = u8::try_from(v).map_err(|_| NoiseReason::InvalidIp)?;
        n += 1;
    }
    if n != 4 {
        return Err(NoiseReason::Version);
    }
    Ok(Ipv4Addr::from(octets))
}

/// OID arcs that also read as dotted quads (`2.5.4.3` is the X.500
/// commonName OID; `1.2.840.…` and `1.3.6.1.…` are usually longer, but
/// `1.3.6.1` itself is four parts). These `/16`s hold no endpoint an app
/// would plausibly hard-code.
fn is_oid_like(ip: Ipv4Addr) -> bool {
    let [a, b, _, _] = ip.octets();
    matches!(
        (a, b),
        (0, _) | (1, 2) | (1, 3) | (2, 5) | (2, 16) | (2, 23)
    )
}

/// Classifies an address: `Ok(scope)` to report it, `Err(reason)` to drop.
pub(crate) fn classify(ip: IpAddr) -> Result<IpScope, NoiseReason> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => classify_v4(v4),
            None => classify_v6(v6),
        },
    }
}

/// Like [`classify`] for an IPv4 literal seen outside a URL, where version
/// numbers and OIDs are likely.
pub(crate) fn classify_bare_v4(ip: Ipv4Addr, has_port: bool) -> Result<IpScope, NoiseReason> {
    if is_oid_like(ip) && !ip.is_unspecified() {
        return Err(NoiseReason::Version);
    }
    let scope = classify_v4(ip)?;
    if !has_port && is_version_like(ip) {
        return Err(NoiseReason::Version);
    }
    Ok(scope)
}

/// Public resolvers and anycast addresses that look like versions.
const WELL_KNOWN_SMALL: &[[u8; 4]] = &[
    [1, 1, 1, 1],
    [1, 0, 0, 1],
    [1, 1, 1, 2],
    [1, 0, 0, 2],
    [1, 1, 1, 3],
    [1, 0, 0, 3],
    [8, 8, 8, 8],
    [8, 8, 4, 4],
    [9, 9, 9, 9],
    [9, 9, 9, 10],
    [9, 9, 9, 11],
    [4, 2, 2, 1],
    [4, 2, 2, 2],
    [4, 2, 2, 3],
    [4, 2, 2, 4],
    [4, 2, 2, 5],
    [4, 2, 2, 6],
    [1, 2, 4, 8],
];

/// A bare dotted quad with a first octet below 10 and the others below 100
/// (`2.12.9.2`, `1.0.0.68`) is far more often a version than an address,
/// unless it is a well-known resolver.
fn is_version_like(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    let [a, b, c, d] = o;
    a < 10 && b < 100 && c < 100 && d < 100 && !WELL_KNOWN_SMALL.contains(&o)
}

fn classify_v4(ip: Ipv4Addr) -> Result<IpScope, NoiseReason> {
    let [a, b, _, _] = ip.octets();
    if ip.is_unspecified() || ip.is_broadcast() || ip.is_documentation() || a == 0 || a >= 240 {
        return Err(NoiseReason::ReservedAddress);
    }
    // 198.18/15 benchmarking: reserved, never a real destination.
    if a == 198 && (b & 0xfe) == 18 {
        return Err(NoiseReason::ReservedAddress);
    }
    Ok(if ip.is_loopback() {
        IpScope::Loopback
    } else if ip.is_private() {
        IpScope::Private
    } else if ip.is_link_local() {
        IpScope::LinkLocal
    } else if a == 100 && (b & 0xc0) == 64 {
        IpScope::Shared
    } else if ip.is_multicast() {
        IpScope::Multicast
    } else {
        IpScope::Public
    })
}

fn classify_v6(ip: Ipv6Addr) -> Result<IpScope, NoiseReason> {
    let seg = ip.segments();
    let first = seg.first().copied().unwrap_or(0);
    let second = seg.get(1).copied().unwrap_or(0);
    if ip.is_unspecified()
        || (first == 0x2001 && second == 0x0db8)
        || (first == 0x3fff && second < 0x1000)
    {
        // `::`, documentation 2001:db8::/32 and 3fff::/20.
        return Err(NoiseReason::ReservedAddress);
    }
    Ok(if ip.is_loopback() {
        IpScope::Loopback
    } else if ip.is_unique_local() {
        IpScope::Private
    } else if ip.is_unicast_link_local() {
        IpScope::LinkLocal
    } else if ip.is_multicast() {
        IpScope::Multicast
    } else {
        IpScope::Public
    })
}

/// Parses a bare IPv6 candidate, rejecting hex words with colons that are
/// not addresses in practice (`dead::beef`, `a:b:c`).
pub(crate) fn parse_bare_v6(s: &str) -> Option<Ipv6Addr> {
    let ip: Ipv6Addr = s.parse().ok()?;
    if s == "::1" {
        return Some(ip);
    }
    let groups = s.split(':').filter(|g| !g.is_empty()).count();
    let long_group = s.split(':').any(|g| g.len() >= 3);
    let has_digit = s.bytes().any(|c| c.is_ascii_digit());
    // A full address has 8 groups (or 7 with an embedded IPv4). A
    // compressed one needs two written groups, one of three or more hex
    // digits, and a decimal digit somewhere: `fe80::1` yes, `a::b` and
    // `dead::beef` no.
    let compressed_ok = groups >= 2 && long_group && has_digit;
    if !s.contains("::") || compressed_ok {
        Some(ip)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_quads() {
        assert_eq!(parse_dotted_quad("8.8.4.4"), Ok(Ipv4Addr::new(8, 8, 4, 4)));
        assert_eq!(
            parse_dotted_quad("010.1.1.1"),
            Ok(Ipv4Addr::new(10, 1, 1, 1))
        );
        assert_eq!(parse_dotted_quad("1.2.3"), Err(NoiseReason::Version));
        assert_eq!(parse_dotted_quad("1.2.3.4.5"), Err(NoiseReason::Version));
        assert_eq!(parse_dotted_quad("1.2.3.1234"), Err(NoiseReason::Version));
        assert_eq!(parse_dotted_quad("1..3.4"), Err(NoiseReason::Version));
        assert_eq!(parse_dotted_quad("256.1.1.1"), Err(NoiseReason::InvalidIp));
        assert_eq!(
            parse_dotted_quad("999.999.999.999"),
            Err(NoiseReason::InvalidIp)
        );
    }

    #[test]
    fn scopes() {
        let v4 = |s: &str| s.parse::<Ipv4Addr>().map(IpAddr::V4).map(classify).ok();
        assert_eq!(v4("8.8.8.8"), Some(Ok(IpScope::Public)));
        assert_eq!(v4("192.168.0.1"), Some(Ok(IpScope::Private)));
        assert_eq!(v4("198.18.0.1"), Some(Err(NoiseReason::ReservedAddress)));
        assert_eq!(v4("240.0.0.1"), Some(Err(NoiseReason::ReservedAddress)));
        assert_eq!(v4("0.1.2.3"), Some(Err(NoiseReason::ReservedAddress)));
        assert_eq!(
            classify_bare_v4(Ipv4Addr::new(2, 5, 4, 3), false),
            Err(NoiseReason::Version)
        );
        assert_eq!(
            classify_bare_v4(Ipv4Addr::new(1, 1, 1, 1), false),
            Ok(IpScope::Public)
        );
        assert_eq!(
            classify_bare_v4(Ipv4Addr::new(3, 4, 5, 6), true),
            Ok(IpScope::Public)
        );
    }

    #[test]
    fn bare_v6() {
        assert!(parse_bare_v6("::1").is_some());
        assert!(parse_bare_v6("fe80::1").is_some());
        assert!(parse_bare_v6("1:2:3:4:5:6:7:8").is_some());
        assert!(parse_bare_v6("a::b").is_none());
        assert!(parse_bare_v6("dead::beef").is_none());
        assert!(parse_bare_v6("::").is_none());
        assert!(parse_bare_v6("1:2:3").is_none());
    }
}
