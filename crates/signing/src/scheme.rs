//! APK Signature Scheme v2, v3 and v3.1 blocks.
//!
//! All three share one shape: a length-prefixed (u32 LE) sequence of
//! length-prefixed signers. A signer holds length-prefixed signed data,
//! signatures and public key; v3 and v3.1 add a min/max SDK pair after the
//! signed data, and another pair inside it before the additional attributes.
//! ```text
//! v2 signed data: digests, certificates, attributes
//! v3 signed data: digests, certificates, u32 minSdk, u32 maxSdk, attributes
//! v3 signer:      signed data, u32 minSdk, u32 maxSdk, signatures, public key
//! ```
//! Nothing here is verified cryptographically.

use leakscope_bytes::Cursor;

use crate::Scheme;
use crate::error::SigningError;
use crate::lineage::{self, LineageNodeRaw};
use crate::warning::SigningWarning;

/// v3 signed-data attribute holding the proof-of-rotation lineage.
pub const PROOF_OF_ROTATION_ATTR_ID: u32 = 0x3ba0_6f8c;
/// v2 signed-data attribute naming a newer scheme that must be present.
pub const STRIPPING_PROTECTION_ATTR_ID: u32 = 0xbeef_f00d;

/// Upper bound on signers or certificates kept from one sequence: far more
/// than any real APK, small enough to bound the work on hostile input.
const MAX_ITEMS: usize = 64;

/// One signer of a v2/v3/v3.1 block, borrowing the block bytes.
#[derive(Clone, Debug)]
pub(crate) struct SchemeSigner<'a> {
    /// DER certificates; the first is the signer's.
    pub certificates: Vec<&'a [u8]>,
    /// DER SubjectPublicKeyInfo of the signing key.
    pub public_key: &'a [u8],
    /// v3/v3.1 min and max SDK (from the signer, not the signed data).
    pub sdk: Option<(u32, u32)>,
    /// v3/v3.1 proof-of-rotation lineage, oldest first.
    pub lineage: Vec<LineageNodeRaw<'a>>,
    /// v2 stripping-protection attribute value (3 = v3 must be present).
    pub stripping_protection: Option<u32>,
}

pub(crate) fn lp<'a>(c: &mut Cursor<'a>, what: &'static str) -> Result<&'a [u8], SigningError> {
    let at = c.pos();
    let bad = SigningError::LengthPrefixed { offset: at, what };
    let len = c.u32(what).map_err(|_| bad.clone())?;
    let len = usize::try_from(len).map_err(|_| bad.clone())?;
    c.bytes(len, what).map_err(|_| bad)
}

/// Parses the value of a v2 (`scheme == V2`) or v3/v3.1 block. Malformed
/// signers are skipped with a warning; an unreadable outer sequence is an error.
pub(crate) fn parse_block<'a>(
    value: &'a [u8],
    scheme: Scheme,
    warnings: &mut Vec<SigningWarning>,
) -> Result<Vec<SchemeSigner<'a>>, SigningError> {
    let mut outer = Cursor::new(value);
    let signers = lp(&mut outer, "signer sequence")?;
    if outer.remaining() > 0 {
        warnings.push(SigningWarning::TrailingData {
            context: format!("{scheme} signer sequence"),
            bytes: outer.remaining() as u64,
        });
    }
    let mut c = Cursor::new(signers);
    let mut out = Vec::new();
    let mut index = 0usize;
    while c.remaining() > 0 && index < MAX_ITEMS {
        let parsed = lp(&mut c, "signer").and_then(|s| parse_signer(s, scheme, index, warnings));
        match parsed {
            Ok(s) => out.push(s),
            Err(e) => {
                warnings.push(SigningWarning::MalformedSchemeBlock {
                    scheme,
                    signer: Some(index),
                    error: e.to_string(),
                });
                // The signer's own length prefix is intact when `lp` succeeded,
                // so the next signer can still be read; otherwise stop.
                if matches!(e, SigningError::LengthPrefixed { what: "signer", .. }) {
                    break;
                }
            }
        }
        index += 1;
    }
    Ok(out)
}

fn parse_signer<'a>(
    signer: &'a [u8],
    scheme: Scheme,
    index: usize,
    warnings: &mut Vec<SigningWarning>,
) -> Result<SchemeSigner<'a>, SigningError> {
    let v3 = scheme != Scheme::V2;
    let mut c = Cursor::new(signer);
    let signed_data = lp(&mut c, "signed data")?;
    let sdk = if v3 {
        let min = c.u32("signer min SDK")?;
        let max = c.u32("signer max SDK")?;
        Some((min, max))
    } else {
        None
    };
    let _signatures = lp(&mut c, "signatures")?;
    let public_key = lp(&mut c, "public key")?;
    if c.remaining() > 0 {
        warnings.push(SigningWarning::TrailingData {
            context: format!("{scheme} signer #{index}"),
            bytes: c.remaining() as u64,
        });
    }

    let mut d = Cursor::new(signed_data);
    let _digests = lp(&mut d, "digests")?;
    let certs = lp(&mut d, "certificates")?;
    if v3 {
        // The signed copy of min/max SDK; Android requires it to equal the
        // unsigned one, which matters only for verification.
        d.u32("signed min SDK")?;
        d.u32("signed max SDK")?;
    }
    let attrs = lp(&mut d, "additional attributes")?;

    let mut certificates = Vec::new();
    let mut cc = Cursor::new(certs);
    while cc.remaining() > 0 && certificates.len() < MAX_ITEMS {
        certificates.push(lp(&mut cc, "certificate")?);
    }

    let mut lineage = Vec::new();
    let mut stripping_protection = None;
    let mut ac = Cursor::new(attrs);
    let mut n_attrs = 0usize;
    while ac.remaining() > 0 && n_attrs < MAX_ITEMS {
        n_attrs += 1;
        let attr = lp(&mut ac, "additional attribute")?;
        let mut a = Cursor::new(attr);
        let id = a.u32("attribute id")?;
        let value = attr.get(4..).unwrap_or_default();
        match id {
            PROOF_OF_ROTATION_ATTR_ID if v3 => match lineage::parse(value) {
                Ok(l) => lineage = l,
                Err(e) => warnings.push(SigningWarning::MalformedSchemeBlock {
                    scheme,
                    signer: Some(index),
                    error: format!("proof-of-rotation lineage: {e}"),
                }),
            },
            STRIPPING_PROTECTION_ATTR_ID if !v3 => {
                stripping_protection = a.u32("stripping protection").ok();
            }
            _ => {}
        }
    }
    Ok(SchemeSigner {
        certificates,
        public_key,
        sdk,
        lineage,
        stripping_protection,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Length-prefixes `parts` concatenated.
    pub fn lpv(parts: &[&[u8]]) -> Vec<u8> {
        let body: Vec<u8> = parts.concat();
        let mut out = (body.len() as u32).to_le_bytes().to_vec();
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn v2_signer_round_trip() {
        let cert = b"CERT";
        let signed = lpv(&[&lpv(&[]), &lpv(&[&lpv(&[cert])]), &lpv(&[])]);
        let signer = lpv(&[&signed, &lpv(&[]), &lpv(&[b"PK"])]);
        let block = lpv(&[&signer]);
        let mut w = vec![];
        let s = parse_block(&block, Scheme::V2, &mut w).unwrap();
        assert!(w.is_empty());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].certificates, vec![&cert[..]]);
        assert_eq!(s[0].public_key, b"PK");
    }

    #[test]
    fn nested_lengths_past_parent_are_contained() {
        // The certificates sequence claims 1000 bytes inside a 20-byte signed data.
        let mut signed = lpv(&[]);
        signed.extend_from_slice(&1000u32.to_le_bytes());
        signed.extend_from_slice(&[0; 16]);
        let signer = lpv(&[&lpv(&[&signed]), &lpv(&[]), &lpv(&[])]);
        let good = lpv(&[&lpv(&[]), &lpv(&[&lpv(&[b"C"])]), &lpv(&[])]);
        let good_signer = lpv(&[&good, &lpv(&[]), &lpv(&[])]);
        let block = lpv(&[&signer, &good_signer]);
        let mut w = vec![];
        let s = parse_block(&block, Scheme::V2, &mut w).unwrap();
        assert_eq!(s.len(), 1, "the well-formed second signer survives");
        assert_eq!(w.len(), 1);
        // Outer length 0xffffffff.
        let mut w = vec![];
        assert!(parse_block(&[0xff, 0xff, 0xff, 0xff, 1], Scheme::V3, &mut w).is_err());
        // Signer length past the sequence: warned, stops.
        let block = lpv(&[&[0xff, 0xff, 0, 0, 1, 2]]);
        let mut w = vec![];
        assert!(parse_block(&block, Scheme::V31, &mut w).unwrap().is_empty());
        assert_eq!(w.len(), 1);
    }
}
