//! The v3 proof-of-rotation lineage (`SigningCertificateLineage`).
//!
//! Attribute value: `u32 version (1)`, then until the end a sequence of
//! length-prefixed nodes. Each node: length-prefixed signed data
//! (length-prefixed DER certificate, `u32` algorithm of this node's
//! signature), `u32` flags (capabilities), `u32` algorithm this node's key
//! signs the next node with, and a length-prefixed signature by the previous
//! node's key (empty for the first node).

use leakscope_bytes::Cursor;

use crate::error::SigningError;
use crate::scheme::lp;

/// More nodes than any real rotation history; bounds hostile input.
const MAX_NODES: usize = 64;

/// One lineage node, borrowing the block bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineageNodeRaw<'a> {
    /// DER certificate.
    pub certificate: &'a [u8],
    /// Capability flags granted to this certificate.
    pub flags: u32,
    /// Algorithm ID this certificate's key uses to sign the next node (0 for the newest).
    pub next_signature_algorithm: u32,
}

/// Parses a proof-of-rotation attribute value, oldest certificate first.
pub(crate) fn parse(value: &[u8]) -> Result<Vec<LineageNodeRaw<'_>>, SigningError> {
    let mut c = Cursor::new(value);
    let version = c.u32("lineage version")?;
    if version != 1 {
        return Err(SigningError::LengthPrefixed {
            offset: 0,
            what: "lineage version (expected 1)",
        });
    }
    let mut nodes = Vec::new();
    while c.remaining() > 0 && nodes.len() < MAX_NODES {
        let node = lp(&mut c, "lineage node")?;
        let mut n = Cursor::new(node);
        let signed = lp(&mut n, "lineage signed data")?;
        let flags = n.u32("lineage flags")?;
        let next_signature_algorithm = n.u32("lineage signature algorithm")?;
        let mut s = Cursor::new(signed);
        let certificate = lp(&mut s, "lineage certificate")?;
        nodes.push(LineageNodeRaw {
            certificate,
            flags,
            next_signature_algorithm,
        });
    }
    Ok(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::tests::lpv;

    #[test]
    fn two_nodes() {
        let node = |cert: &[u8], flags: u32| {
            let signed = lpv(&[&lpv(&[cert]), &0x103u32.to_le_bytes()]);
            lpv(&[
                &signed,
                &flags.to_le_bytes(),
                &0x103u32.to_le_bytes(),
                &lpv(&[b"sig"]),
            ])
        };
        let mut v = 1u32.to_le_bytes().to_vec();
        v.extend(node(b"old", 0x1f));
        v.extend(node(b"new", 0x1f));
        let l = parse(&v).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].certificate, b"old");
        assert_eq!(l[1].certificate, b"new");
        assert_eq!(l[1].flags, 0x1f);
        assert!(parse(&2u32.to_le_bytes()).is_err());
        assert!(parse(&[1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]).is_err());
    }
}
