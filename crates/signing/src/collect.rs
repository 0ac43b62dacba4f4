//! Putting v1 files and the APK Signing Block together.

use crate::block::{BlockKind, ids, signing_block};
use crate::cert::{Certificate, sha256_hex, spki_raw};
use crate::pkcs7::signer_certificates;
use crate::scheme::{self, SchemeSigner};
use crate::v1::{self, V1File};
use crate::warning::SigningWarning;
use crate::{BlockInfo, LineageCertificate, Scheme, SdkRange, Signatures, Signer};

/// Signature files read at most: real APKs have one or two; a hostile one
/// with thousands would otherwise cost one PKCS#7 parse each.
const MAX_V1_FILES: usize = 64;

/// Longest channel payload reported as text.
const MAX_CHANNEL_LEN: usize = 1024;

/// Collects the signers of every scheme, merged by certificate.
///
/// - `apk`: the whole file.
/// - `central_directory_offset`: from the ZIP reader's end-of-central-directory
///   record; `None` skips the APK Signing Block (v2/v3/v3.1).
/// - `v1_files`: `(entry name, bytes)` of `META-INF/*.RSA|DSA|EC` and, to
///   check the `X-Android-APK-Signed` header, `META-INF/*.SF`. Other entries
///   are ignored.
///
/// Never fails: whatever cannot be parsed becomes a warning. No signature
/// is verified (see the [crate docs](crate#no-cryptographic-verification)).
pub fn collect_signers(
    apk: &[u8],
    central_directory_offset: Option<u64>,
    v1_files: &[(&str, &[u8])],
) -> Signatures {
    let mut c = Collector::default();
    let mut sf_headers: Vec<(String, Vec<Scheme>)> = Vec::new();
    let mut v1_certs: Vec<String> = Vec::new();

    let mut seen_v1 = 0usize;
    for &(name, data) in v1_files {
        let kind = v1::classify(name);
        if kind != V1File::Other {
            seen_v1 += 1;
            if seen_v1 > MAX_V1_FILES {
                continue;
            }
        }
        match kind {
            V1File::SignatureBlock => match signer_certificates(data, name, &mut c.out.warnings) {
                Ok(ders) => {
                    for d in ders {
                        let i = c.add(d, Scheme::V1);
                        if let Some(s) = c.out.signers.get_mut(i) {
                            if !s.v1_files.iter().any(|f| f == name) {
                                s.v1_files.push(name.to_owned());
                            }
                            v1_certs.push(s.sha256.clone());
                        }
                    }
                }
                Err(e) => c.out.warnings.push(SigningWarning::MalformedV1File {
                    name: name.to_owned(),
                    error: e.to_string(),
                }),
            },
            V1File::SignatureFile => {
                if let Some(schemes) = v1::apk_signed_header(data) {
                    sf_headers.push((name.to_owned(), schemes));
                } else {
                    sf_headers.push((name.to_owned(), Vec::new()));
                }
            }
            V1File::Other => {}
        }
    }

    if seen_v1 > MAX_V1_FILES {
        c.out.warnings.push(SigningWarning::TooManyV1Files {
            count: seen_v1 as u64,
            read: MAX_V1_FILES as u64,
        });
    }

    let mut present = Vec::new();
    let mut v2_certs: Vec<String> = Vec::new();
    let mut v2_strip_v3 = Vec::new();
    if let Some(cd) = central_directory_offset {
        match signing_block(apk, cd) {
            Ok(None) => {}
            Err(e) => c.out.warnings.push(SigningWarning::SigningBlock {
                error: e.to_string(),
            }),
            Ok(Some(block)) => {
                c.out.warnings.extend(block.warnings.iter().cloned());
                for p in &block.pairs {
                    let kind = p.kind();
                    let channel =
                        matches!(kind, BlockKind::WalleChannel | BlockKind::VasDollyChannel)
                            .then(|| std::str::from_utf8(p.value).ok())
                            .flatten()
                            .filter(|s| s.len() <= MAX_CHANNEL_LEN)
                            .map(str::to_owned);
                    c.out.blocks.push(BlockInfo {
                        id: p.id,
                        kind,
                        name: kind.name(),
                        offset: p.offset,
                        len: p.value.len() as u64,
                        channel,
                    });
                }
                for (id, scheme) in [
                    (ids::V2, Scheme::V2),
                    (ids::V3, Scheme::V3),
                    (ids::V31, Scheme::V31),
                ] {
                    let Some(value) = block.get(id) else { continue };
                    present.push(scheme);
                    match scheme::parse_block(value, scheme, &mut c.out.warnings) {
                        Ok(signers) => {
                            for (i, s) in signers.iter().enumerate() {
                                if let Some(sha) = c.add_scheme_signer(s, scheme, i)
                                    && scheme == Scheme::V2
                                {
                                    v2_certs.push(sha);
                                }
                                if scheme == Scheme::V2 && s.stripping_protection == Some(3) {
                                    v2_strip_v3.push(i);
                                }
                            }
                        }
                        Err(e) => c.out.warnings.push(SigningWarning::MalformedSchemeBlock {
                            scheme,
                            signer: None,
                            error: e.to_string(),
                        }),
                    }
                }
            }
        }
    }

    // Cross-scheme consistency.
    let w = &mut c.out.warnings;
    if !v1_certs.is_empty() && !v2_certs.is_empty() {
        let (mut a, mut b) = (v1_certs.clone(), v2_certs.clone());
        a.sort();
        a.dedup();
        b.sort();
        b.dedup();
        if a != b {
            w.push(SigningWarning::V1V2SignersDiffer { v1: a, v2: b });
        }
    }
    for (sf, schemes) in &sf_headers {
        for &s in schemes {
            if !present.contains(&s) {
                w.push(SigningWarning::StrippedScheme {
                    sf: sf.clone(),
                    scheme: s,
                });
            }
        }
        if present.contains(&Scheme::V2) && !schemes.contains(&Scheme::V2) {
            w.push(SigningWarning::V2NotDeclaredInSf { sf: sf.clone() });
        }
    }
    if !present.contains(&Scheme::V3) {
        for signer in v2_strip_v3 {
            w.push(SigningWarning::StrippedV3 { signer });
        }
    }
    for s in &mut c.out.signers {
        s.schemes.sort();
    }
    c.out
}

#[derive(Default)]
struct Collector {
    out: Signatures,
}

impl Collector {
    /// Adds (or merges) a signer certificate; returns its index.
    fn add(&mut self, der: &[u8], scheme: Scheme) -> usize {
        let sha256 = sha256_hex(der);
        let i = match self.out.signers.iter().position(|s| s.sha256 == sha256) {
            Some(i) => i,
            None => {
                let cert = Certificate::from_der(der);
                if let Some(reason) = &cert.parse_error {
                    self.warn_unparsed(&cert.sha256, reason);
                }
                self.out.signers.push(Signer::new(cert));
                self.out.signers.len() - 1
            }
        };
        if let Some(s) = self.out.signers.get_mut(i)
            && !s.schemes.contains(&scheme)
        {
            s.schemes.push(scheme);
        }
        i
    }

    fn warn_unparsed(&mut self, sha256: &str, reason: &str) {
        let w = SigningWarning::UnparsedCertificate {
            sha256: sha256.to_owned(),
            reason: reason.to_owned(),
        };
        if !self.out.warnings.contains(&w) {
            self.out.warnings.push(w);
        }
    }

    /// Adds a v2/v3/v3.1 signer; returns its certificate's SHA-256.
    fn add_scheme_signer(
        &mut self,
        s: &SchemeSigner<'_>,
        scheme: Scheme,
        index: usize,
    ) -> Option<String> {
        let Some(&der) = s.certificates.first() else {
            self.out.warnings.push(SigningWarning::NoCertificate {
                scheme,
                signer: index,
            });
            return None;
        };
        if spki_raw(der).is_some_and(|k| k != s.public_key) {
            self.out.warnings.push(SigningWarning::PublicKeyMismatch {
                scheme,
                signer: index,
            });
        }
        let i = self.add(der, scheme);
        let lineage: Vec<LineageCertificate> = s
            .lineage
            .iter()
            .map(|n| LineageCertificate {
                certificate: Certificate::from_der(n.certificate),
                flags: n.flags,
                next_signature_algorithm: n.next_signature_algorithm,
            })
            .collect();
        for l in &lineage {
            if let Some(reason) = &l.certificate.parse_error {
                self.warn_unparsed(&l.certificate.sha256, reason);
            }
        }
        let signer = self.out.signers.get_mut(i)?;
        if let Some((min_sdk, max_sdk)) = s.sdk {
            let r = SdkRange {
                scheme,
                min_sdk,
                max_sdk,
            };
            if !signer.sdk_ranges.contains(&r) {
                signer.sdk_ranges.push(r);
            }
        }
        if signer.lineage.is_empty() {
            signer.lineage = lineage;
        }
        Some(signer.sha256.clone())
    }
}
