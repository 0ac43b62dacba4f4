//! X.509 certificate summaries.

use std::fmt::Write;

use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

use crate::der::{self, Children, tag};

/// What this crate reports about one X.509 certificate.
///
/// The certificate is parsed with `x509-parser`; when that fails the
/// SHA-256 is still exact and `parse_error` says why the other fields are
/// empty.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Certificate {
    /// Lowercase hex SHA-256 of the DER bytes exactly as stored in the APK:
    /// the value `apksigner verify --print-certs` prints as
    /// `certificate SHA-256 digest`.
    pub sha256: String,
    /// Subject distinguished name, see [Name format](crate#name-format).
    pub subject: String,
    /// Issuer distinguished name, same format.
    pub issuer: String,
    /// Serial number: lowercase hex of the INTEGER's content octets, leading
    /// zero octets removed (`"0"` for zero). Negative serials (invalid but
    /// seen) are shown as their two's-complement octets.
    pub serial: String,
    /// Start of validity, RFC 3339 UTC (`2008-02-29T01:33:46Z`).
    pub not_before: String,
    /// End of validity, same format.
    pub not_after: String,
    /// Public key algorithm: `RSA`, `EC`, `DSA`, `Ed25519`, `Ed448`, or the
    /// dotted OID when unknown (`apksigner` prints the same names).
    pub key_algorithm: String,
    /// Key size in bits (RSA modulus, DSA `p`, EC curve field size), when known.
    pub key_size: Option<u32>,
    /// Why the certificate could not be parsed, if it could not.
    pub parse_error: Option<String>,
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

impl Certificate {
    /// Summarises a DER certificate. Never fails: see `parse_error`.
    pub fn from_der(der: &[u8]) -> Certificate {
        let sha256 = sha256_hex(der);
        match X509Certificate::from_der(der) {
            Ok((_, x)) => {
                let (key_algorithm, key_size) = key_info(x.public_key().raw);
                Certificate {
                    sha256,
                    subject: format_name(x.subject()),
                    issuer: format_name(x.issuer()),
                    serial: serial_hex(x.raw_serial()),
                    not_before: rfc3339(x.validity().not_before.timestamp()),
                    not_after: rfc3339(x.validity().not_after.timestamp()),
                    key_algorithm,
                    key_size,
                    parse_error: None,
                }
            }
            Err(e) => Certificate {
                sha256,
                subject: String::new(),
                issuer: String::new(),
                serial: String::new(),
                not_before: String::new(),
                not_after: String::new(),
                key_algorithm: String::new(),
                key_size: None,
                parse_error: Some(e.to_string()),
            },
        }
    }
}

/// Raw SubjectPublicKeyInfo of a DER certificate, for comparing with the
/// public key a v2/v3 signer declares.
pub(crate) fn spki_raw(der: &[u8]) -> Option<&[u8]> {
    X509Certificate::from_der(der)
        .ok()
        .map(|(_, x)| x.tbs_certificate.subject_pki.raw)
}

fn serial_hex(raw: &[u8]) -> String {
    let mut s = raw;
    while let [0, rest @ ..] = s {
        s = rest;
    }
    if s.is_empty() { "0".to_owned() } else { hex(s) }
}

/// Short names for attribute types, as OpenSSL and Java print them.
fn attr_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "T",
        "2.5.4.4" => "SN",
        "2.5.4.42" => "GN",
        "2.5.4.43" => "INITIALS",
        "2.5.4.44" => "GENERATION",
        "2.5.4.46" => "DNQ",
        "2.5.4.5" => "SERIALNUMBER",
        "2.5.4.17" => "POSTALCODE",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.2.840.113549.1.9.1" => "EMAILADDRESS",
        _ => return None,
    })
}

/// Decodes a DirectoryString-like value; `None` for non-string types.
fn attr_value(tag: u32, data: &[u8]) -> Option<String> {
    match tag {
        // UTF8String, NumericString, PrintableString, IA5String, VisibleString.
        12 | 18 | 19 | 22 | 26 => Some(String::from_utf8_lossy(data).into_owned()),
        // TeletexString: treated as Latin-1, as most decoders do.
        20 => Some(data.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE.
        30 => {
            let units = data
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            Some(
                char::decode_utf16(units)
                    .map(|r| r.unwrap_or('\u{fffd}'))
                    .collect(),
            )
        }
        // UniversalString: UTF-32BE.
        28 => Some(
            data.chunks_exact(4)
                .map(|c| {
                    char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                        .unwrap_or('\u{fffd}')
                })
                .collect(),
        ),
        _ => None,
    }
}

/// RFC 4514 escaping of one attribute value.
fn escape(value: &str, out: &mut String) {
    let last = value.chars().count().saturating_sub(1);
    for (i, ch) in value.chars().enumerate() {
        let special = matches!(ch, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (ch == '#' || ch == ' '))
            || (i == last && ch == ' ');
        if special {
            out.push('\\');
            out.push(ch);
        } else if ch == '\0' {
            out.push_str("\\00");
        } else {
            out.push(ch);
        }
    }
}

/// Formats a Name: RDNs in encoding order separated by `", "`, the
/// attributes of a multi-valued RDN joined by `"+"`.
fn format_name(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    for (i, rdn) in name.iter_rdn().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            let oid = der::oid_string(atv.attr_type().as_bytes()).unwrap_or_else(|| "?".to_owned());
            out.push_str(attr_name(&oid).unwrap_or(&oid));
            out.push('=');
            let v = atv.attr_value();
            match attr_value(v.header.tag().0, v.data) {
                Some(s) => escape(&s, &mut out),
                None => {
                    // RFC 4514 form for non-string values: '#' + hex of the DER.
                    out.push('#');
                    out.push_str(&hex(&[u8::try_from(v.header.tag().0).unwrap_or(0)]));
                    out.push_str(&hex(&der_len(v.data.len())));
                    out.push_str(&hex(v.data));
                }
            }
        }
    }
    out
}

fn der_len(n: usize) -> Vec<u8> {
    if n < 0x80 {
        return vec![n as u8];
    }
    let bytes: Vec<u8> = n
        .to_be_bytes()
        .into_iter()
        .skip_while(|&b| b == 0)
        .collect();
    let mut out = vec![0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian).
pub(crate) fn rfc3339(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Algorithm name and key size from a raw SubjectPublicKeyInfo.
fn key_info(spki: &[u8]) -> (String, Option<u32>) {
    let parse = || -> Option<(String, Option<u32>)> {
        let seq = der::expect(spki, 0, tag::SEQUENCE, "spki").ok()?;
        let mut c = Children::new(seq.content);
        let alg = c.required_tag(tag::SEQUENCE, "algorithm").ok()?;
        let key = c.required_tag(tag::BIT_STRING, "key").ok()?;
        let mut a = Children::new(alg.content);
        let oid = der::oid_string(a.required_tag(tag::OID, "oid").ok()?.content)?;
        let params = a.next_tlv().and_then(Result::ok);
        let key_bits = key.content.get(1..).unwrap_or_default();
        Some(match oid.as_str() {
            "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
                let rsa = der::expect(key_bits, 0, tag::SEQUENCE, "rsa key").ok();
                let n = rsa.and_then(|s| {
                    Children::new(s.content)
                        .required_tag(tag::INTEGER, "n")
                        .ok()
                });
                ("RSA".to_owned(), n.map(|n| der::bit_length(n.content)))
            }
            "1.2.840.10045.2.1" => {
                let curve = params
                    .filter(|p| p.tag == tag::OID)
                    .and_then(|p| der::oid_string(p.content));
                let bits = match curve.as_deref() {
                    Some("1.2.840.10045.3.1.7" | "1.3.132.0.10") => Some(256),
                    Some("1.3.132.0.34") => Some(384),
                    Some("1.3.132.0.35") => Some(521),
                    Some("1.3.132.0.33") => Some(224),
                    Some("1.2.840.10045.3.1.1") => Some(192),
                    _ => None,
                };
                ("EC".to_owned(), bits)
            }
            "1.2.840.10040.4.1" => {
                let p = params.filter(|p| p.tag == tag::SEQUENCE).and_then(|s| {
                    Children::new(s.content)
                        .required_tag(tag::INTEGER, "p")
                        .ok()
                });
                ("DSA".to_owned(), p.map(|p| der::bit_length(p.content)))
            }
            "1.3.101.112" => ("Ed25519".to_owned(), Some(255)),
            "1.3.101.113" => ("Ed448".to_owned(), Some(448)),
            other => (other.to_owned(), None),
        })
    };
    parse().unwrap_or_else(|| (String::new(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_204_248_826), "2008-02-29T01:33:46Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
        assert_eq!(rfc3339(253_402_300_799), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn escaping_and_serials() {
        let mut s = String::new();
        escape(" a,b+c ", &mut s);
        assert_eq!(s, "\\ a\\,b\\+c\\ ");
        assert_eq!(serial_hex(&[0, 0x80, 1]), "8001");
        assert_eq!(serial_hex(&[0]), "0");
    }

    #[test]
    fn garbage_is_reported_not_panicked() {
        let c = Certificate::from_der(b"not a certificate");
        assert!(c.parse_error.is_some());
        assert_eq!(c.sha256.len(), 64);
    }
}
