//! JAR signature side files: recognising entry names and reading the
//! `X-Android-APK-Signed` header of `.SF` files.

use crate::Scheme;

/// Kind of a `META-INF/` entry relevant to v1 signing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum V1File {
    /// `*.RSA`, `*.DSA` or `*.EC`: a PKCS#7 signature block.
    SignatureBlock,
    /// `*.SF`: the signature file.
    SignatureFile,
    /// Anything else.
    Other,
}

/// Classifies an entry name (ASCII case-insensitive, directly under `META-INF/`).
pub(crate) fn classify(name: &str) -> V1File {
    let Some(prefix) = name.get(..9) else {
        return V1File::Other;
    };
    let rest = name.get(9..).unwrap_or_default();
    if !prefix.eq_ignore_ascii_case("META-INF/") || rest.contains('/') {
        return V1File::Other;
    }
    let upper = rest.to_ascii_uppercase();
    if upper.ends_with(".RSA") || upper.ends_with(".DSA") || upper.ends_with(".EC") {
        V1File::SignatureBlock
    } else if upper.ends_with(".SF") {
        V1File::SignatureFile
    } else {
        V1File::Other
    }
}

/// Schemes named by `X-Android-APK-Signed` in the main section of a `.SF`
/// file (`None` when the header is absent). Unknown numbers are ignored.
pub(crate) fn apk_signed_header(sf: &[u8]) -> Option<Vec<Scheme>> {
    const NAME: &str = "x-android-apk-signed:";
    // The main section ends at the first empty line; cap the scan anyway.
    let text = String::from_utf8_lossy(sf.get(..sf.len().min(64 * 1024))?);
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            break;
        }
        let Some(head) = line.get(..NAME.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(NAME) {
            continue;
        }
        let mut value = line.get(NAME.len()..).unwrap_or_default().to_owned();
        // Continuation lines start with one space.
        while let Some(next) = lines.peek().and_then(|l| l.strip_prefix(' ')) {
            value.push_str(next);
            lines.next();
        }
        let schemes = value
            .split(',')
            .filter_map(|v| match v.trim() {
                "2" => Some(Scheme::V2),
                "3" => Some(Scheme::V3),
                _ => None,
            })
            .collect();
        return Some(schemes);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(classify("META-INF/CERT.RSA"), V1File::SignatureBlock);
        assert_eq!(classify("meta-inf/a.ec"), V1File::SignatureBlock);
        assert_eq!(classify("META-INF/CERT.SF"), V1File::SignatureFile);
        assert_eq!(classify("META-INF/x/CERT.RSA"), V1File::Other);
        assert_eq!(classify("CERT.RSA"), V1File::Other);
        assert_eq!(classify("META-INF/MANIFEST.MF"), V1File::Other);
    }

    #[test]
    fn header() {
        let sf = b"Signature-Version: 1.0\r\nX-Android-APK-Signed: 2, 3\r\n\r\nName: a\r\n";
        assert_eq!(apk_signed_header(sf), Some(vec![Scheme::V2, Scheme::V3]));
        assert_eq!(
            apk_signed_header(b"Signature-Version: 1.0\n\nX-Android-APK-Signed: 2\n"),
            None
        );
        assert_eq!(
            apk_signed_header(b"X-Android-APK-Signed: 2,\n 3\n"),
            Some(vec![Scheme::V2, Scheme::V3])
        );
    }
}
