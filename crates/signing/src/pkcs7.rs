//! PKCS#7 / CMS `SignedData` as used by JAR (v1) signing.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OID 1.2.840.113549.1.7.2, content [0] EXPLICIT SignedData }
//! SignedData  ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo,
//!                            certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL,
//!                            signerInfos SET OF SignerInfo }
//! SignerInfo  ::= SEQUENCE { version, sid (IssuerAndSerialNumber | [0] SubjectKeyIdentifier), ... }
//! ```
//! Only the structure is read; signatures are not verified.

use x509_parser::prelude::{FromDer, ParsedExtension, X509Certificate};

use crate::cert::Certificate;
use crate::der::{self, Children, tag};
use crate::error::SigningError;
use crate::warning::SigningWarning;

/// DER content octets of OID 1.2.840.113549.1.7.2 (signedData).
const OID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/// Bound on certificates and signer infos kept from one file.
const MAX_ITEMS: usize = 64;

/// Certificates of a v1 PKCS#7 `SignedData` file (`META-INF/CERT.RSA` etc.):
/// for each SignerInfo, the certificate it names by issuer and serial number
/// (or subject key identifier), in SignerInfo order, without duplicates.
///
/// When no certificate matches a SignerInfo the first certificate of the set
/// is returned instead; [`collect_signers`](crate::collect_signers) reports
/// that case as a warning. BER indefinite lengths are accepted.
pub fn v1_signers(pkcs7_der: &[u8]) -> Result<Vec<Certificate>, SigningError> {
    let mut warnings = Vec::new();
    let ders = signer_certificates(pkcs7_der, "<pkcs7>", &mut warnings)?;
    Ok(ders.into_iter().map(Certificate::from_der).collect())
}

/// The DER signer certificates of a PKCS#7 `SignedData`, with warnings.
pub(crate) fn signer_certificates<'a>(
    data: &'a [u8],
    name: &str,
    warnings: &mut Vec<SigningWarning>,
) -> Result<Vec<&'a [u8]>, SigningError> {
    let ci = der::expect(data, 0, tag::SEQUENCE, "ContentInfo is not a SEQUENCE")?;
    if ci.raw.len() < data.len() {
        warnings.push(SigningWarning::TrailingData {
            context: format!("{name} ContentInfo"),
            bytes: (data.len() - ci.raw.len()) as u64,
        });
    }
    let mut c = Children::new(ci.content);
    let ct = c.required_tag(tag::OID, "contentType")?;
    if ct.content != OID_SIGNED_DATA {
        return Err(SigningError::NotSignedData(
            "content type is not signedData",
        ));
    }
    let wrapper = c.required_tag(tag::CTX0, "[0] content")?;
    let sd = der::expect(
        wrapper.content,
        0,
        tag::SEQUENCE,
        "SignedData is not a SEQUENCE",
    )?;
    let mut s = Children::new(sd.content);
    s.required_tag(tag::INTEGER, "SignedData version")?;
    s.required_tag(tag::SET, "digestAlgorithms")?;
    s.required_tag(tag::SEQUENCE, "encapContentInfo")?;

    let mut certs: Vec<&[u8]> = Vec::new();
    if let Some(set) = s.optional_tag(tag::CTX0)? {
        for child in Children::new(set.content) {
            let child = child?;
            // Other CertificateChoices ([0]..[3]) are obsolete; skip them.
            if child.tag == tag::SEQUENCE && certs.len() < MAX_ITEMS {
                certs.push(child.raw);
            }
        }
    }
    s.optional_tag(tag::CTX1)?;
    let infos = s.required_tag(tag::SET, "signerInfos")?;

    // Parsed once, matched against every SignerInfo.
    let parsed: Vec<Parsed<'a>> = certs
        .iter()
        .map(|&d| (d, X509Certificate::from_der(d).ok().map(|(_, x)| x)))
        .collect();
    let mut out: Vec<&[u8]> = Vec::new();
    for (i, info) in Children::new(infos.content).enumerate() {
        if i >= MAX_ITEMS {
            break;
        }
        let info = info?;
        let chosen = match find_signer_cert(info.content, &parsed)? {
            Some(c) => Some(c),
            None => {
                warnings.push(SigningWarning::V1SignerCertificateNotFound {
                    name: name.to_owned(),
                });
                certs.first().copied()
            }
        };
        if let Some(c) = chosen
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    Ok(out)
}

/// A certificate's DER bytes and, when x509-parser accepts it, its parsed form.
type Parsed<'a> = (&'a [u8], Option<X509Certificate<'a>>);

/// The certificate a SignerInfo names, if any.
fn find_signer_cert<'a>(
    info: &[u8],
    parsed: &[Parsed<'a>],
) -> Result<Option<&'a [u8]>, SigningError> {
    let mut c = Children::new(info);
    c.required_tag(tag::INTEGER, "SignerInfo version")?;
    let sid = c.required("SignerInfo sid")?;
    match sid.tag {
        tag::SEQUENCE => {
            let mut ias = Children::new(sid.content);
            let issuer = ias.required_tag(tag::SEQUENCE, "issuer")?;
            let serial = ias.required_tag(tag::INTEGER, "serialNumber")?;
            let exact = parsed.iter().find(|(_, x)| {
                x.as_ref().is_some_and(|x| {
                    x.issuer().as_raw() == issuer.raw && x.raw_serial() == serial.content
                })
            });
            // Fall back to the serial alone: some signers re-encode the issuer
            // name (string types), which Java compares canonically.
            let loose = || {
                parsed
                    .iter()
                    .find(|(_, x)| x.as_ref().is_some_and(|x| x.raw_serial() == serial.content))
            };
            Ok(exact.or_else(loose).map(|(d, _)| *d))
        }
        tag::CTX0_PRIM => {
            let found = parsed.iter().find(|(_, x)| {
                x.as_ref().is_some_and(|x| {
                    x.iter_extensions().any(|e| {
                        matches!(e.parsed_extension(), ParsedExtension::SubjectKeyIdentifier(k) if k.0 == sid.content)
                    })
                })
            });
            Ok(found.map(|(d, _)| *d))
        }
        _ => Err(SigningError::NotSignedData("unknown SignerInfo sid")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_garbage_without_panicking() {
        assert!(v1_signers(&[]).is_err());
        assert!(v1_signers(&[0x30]).is_err());
        // Huge definite length.
        assert!(v1_signers(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x06]).is_err());
        // Indefinite length never terminated.
        assert!(v1_signers(&[0x30, 0x80, 0x06, 0x01, 0x2a]).is_err());
        // Wrong content type.
        assert!(matches!(
            v1_signers(&[0x30, 0x03, 0x06, 0x01, 0x2a]),
            Err(SigningError::NotSignedData(_))
        ));
    }

    #[test]
    fn minimal_signed_data_without_certificates() {
        // ContentInfo { signedData, [0] { SEQ { INT 1, SET {}, SEQ { OID data }, SET {} } } }
        let sd: &[u8] = &[
            0x30, 0x14, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48,
            0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0x31, 0x00,
        ];
        let mut ctx = vec![0xa0, sd.len() as u8];
        ctx.extend_from_slice(sd);
        let mut body = vec![0x06, 0x09];
        body.extend_from_slice(OID_SIGNED_DATA);
        body.extend_from_slice(&ctx);
        let mut ci = vec![0x30, body.len() as u8];
        ci.extend_from_slice(&body);
        assert_eq!(v1_signers(&ci).unwrap(), vec![]);
        // The same with indefinite lengths on the outer layers.
        let mut ber = vec![0x30, 0x80, 0x06, 0x09];
        ber.extend_from_slice(OID_SIGNED_DATA);
        ber.extend_from_slice(&[0xa0, 0x80]);
        ber.extend_from_slice(sd);
        ber.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(v1_signers(&ber).unwrap(), vec![]);
        // Truncated anywhere: an error, never a panic.
        for n in 0..ci.len() {
            assert!(v1_signers(&ci[..n]).is_err(), "prefix {n}");
        }
    }
}
