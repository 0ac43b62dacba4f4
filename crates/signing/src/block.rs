//! The APK Signing Block: locating it before the central directory and
//! splitting it into ID-value pairs.
//!
//! Layout (all little-endian):
//! ```text
//! u64 size            -- bytes after this field, i.e. block length - 8
//! repeated: u64 len, u32 id, [len - 4] value
//! u64 size            -- same value again
//! "APK Sig Block 42"  -- 16-byte magic, ends at the central directory
//! ```

use leakscope_bytes::Bytes;
use serde::Serialize;

use crate::error::SigningError;
use crate::warning::SigningWarning;

/// Magic that ends the APK Signing Block.
pub const MAGIC: &[u8; 16] = b"APK Sig Block 42";

/// A parsed APK Signing Block, borrowing the APK bytes.
#[derive(Clone, Debug)]
pub struct SigningBlock<'a> {
    /// File offset of the block (its first size field).
    pub offset: u64,
    /// Total length in bytes, both size fields and the magic included.
    pub len: u64,
    /// The ID-value pairs in file order (duplicates kept).
    pub pairs: Vec<BlockPair<'a>>,
    /// Anomalies: malformed pairs (parsing stops there), duplicate IDs.
    pub warnings: Vec<SigningWarning>,
}

impl<'a> SigningBlock<'a> {
    /// Value of the first pair with `id`, as Android uses it.
    pub fn get(&self, id: u32) -> Option<&'a [u8]> {
        self.pairs.iter().find(|p| p.id == id).map(|p| p.value)
    }
}

/// One ID-value pair of the APK Signing Block.
#[derive(Clone, Copy, Debug)]
pub struct BlockPair<'a> {
    /// The pair's ID.
    pub id: u32,
    /// File offset of the value.
    pub offset: u64,
    /// The value bytes.
    pub value: &'a [u8],
}

impl BlockPair<'_> {
    /// What kind of block the ID denotes.
    pub fn kind(&self) -> BlockKind {
        BlockKind::from_id(self.id)
    }
}

/// Known APK Signing Block IDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BlockKind {
    /// APK Signature Scheme v2, `0x7109871a`.
    V2,
    /// APK Signature Scheme v3, `0xf05368c0`.
    V3,
    /// APK Signature Scheme v3.1, `0x1b93ad61`.
    V31,
    /// Source stamp v1, `0x2b09189e`.
    SourceStampV1,
    /// Source stamp v2, `0x6dff800d`.
    SourceStampV2,
    /// Verity padding that aligns the block to 4096 bytes, `0x42726577`.
    VerityPadding,
    /// Android Gradle Plugin dependency metadata (encrypted), `0x504b4453`.
    DependencyInfo,
    /// Google Play "frosting" metadata, `0x2146444e`.
    PlayFrosting,
    /// Meituan Walle channel information, `0x71777777`.
    WalleChannel,
    /// Tencent VasDolly channel information, `0x881155ff`.
    VasDollyChannel,
    /// Any other ID.
    Unknown,
}

impl BlockKind {
    /// Classifies a block ID.
    pub fn from_id(id: u32) -> Self {
        match id {
            ids::V2 => Self::V2,
            ids::V3 => Self::V3,
            ids::V31 => Self::V31,
            ids::SOURCE_STAMP_V1 => Self::SourceStampV1,
            ids::SOURCE_STAMP_V2 => Self::SourceStampV2,
            ids::VERITY_PADDING => Self::VerityPadding,
            ids::DEPENDENCY_INFO => Self::DependencyInfo,
            ids::PLAY_FROSTING => Self::PlayFrosting,
            ids::WALLE_CHANNEL => Self::WalleChannel,
            ids::VASDOLLY_CHANNEL => Self::VasDollyChannel,
            _ => Self::Unknown,
        }
    }

    /// A short human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Self::V2 => "APK Signature Scheme v2",
            Self::V3 => "APK Signature Scheme v3",
            Self::V31 => "APK Signature Scheme v3.1",
            Self::SourceStampV1 => "source stamp v1",
            Self::SourceStampV2 => "source stamp v2",
            Self::VerityPadding => "verity padding",
            Self::DependencyInfo => "dependency info (AGP)",
            Self::PlayFrosting => "Google Play frosting",
            Self::WalleChannel => "Walle channel",
            Self::VasDollyChannel => "VasDolly channel",
            Self::Unknown => "unknown",
        }
    }
}

/// Block IDs as numbers.
pub mod ids {
    /// APK Signature Scheme v2.
    pub const V2: u32 = 0x7109_871a;
    /// APK Signature Scheme v3.
    pub const V3: u32 = 0xf053_68c0;
    /// APK Signature Scheme v3.1.
    pub const V31: u32 = 0x1b93_ad61;
    /// Source stamp v1.
    pub const SOURCE_STAMP_V1: u32 = 0x2b09_189e;
    /// Source stamp v2.
    pub const SOURCE_STAMP_V2: u32 = 0x6dff_800d;
    /// Verity padding.
    pub const VERITY_PADDING: u32 = 0x4272_6577;
    /// AGP dependency info.
    pub const DEPENDENCY_INFO: u32 = 0x504b_4453;
    /// Google Play frosting.
    pub const PLAY_FROSTING: u32 = 0x2146_444e;
    /// Walle channel.
    pub const WALLE_CHANNEL: u32 = 0x7177_7777;
    /// VasDolly channel.
    pub const VASDOLLY_CHANNEL: u32 = 0x8811_55ff;
}

/// Locates and parses the APK Signing Block, which sits immediately before
/// the central directory.
///
/// Returns `Ok(None)` when the 16-byte magic is not right before
/// `central_directory_offset` (no block: a v1-only or unsigned APK), and an
/// error when a block is there but its size fields are impossible or
/// disagree (Android then ignores the block, and so does
/// [`collect_signers`](crate::collect_signers), with a warning). Malformed
/// pairs do not fail the call: the pairs before them are returned and a
/// warning is recorded.
pub fn signing_block(
    apk: &[u8],
    central_directory_offset: u64,
) -> Result<Option<SigningBlock<'_>>, SigningError> {
    let len = apk.len() as u64;
    let out_of_range = SigningError::CentralDirectoryOutOfRange {
        offset: central_directory_offset,
        len,
    };
    let cd = usize::try_from(central_directory_offset).map_err(|_| out_of_range.clone())?;
    if cd > apk.len() {
        return Err(out_of_range);
    }
    // Footer: u64 size + 16-byte magic.
    let Some(footer) = cd.checked_sub(24) else {
        return Ok(None);
    };
    let b = Bytes::new(apk);
    if b.slice(footer + 8, 16, "signing block magic")? != MAGIC {
        return Ok(None);
    }
    let size = b.u64(footer, "signing block footer size")?;
    let bad_size = SigningError::BlockSize {
        size,
        footer_offset: footer as u64,
    };
    // The size counts everything after the first size field: pairs, footer size, magic.
    if size < 24 || size > (cd as u64).saturating_sub(8) {
        return Err(bad_size);
    }
    let start = cd - usize::try_from(size).map_err(|_| bad_size.clone())? - 8;
    let header = b.u64(start, "signing block header size")?;
    if header != size {
        return Err(SigningError::BlockSizeMismatch {
            header,
            footer: size,
        });
    }
    let pairs_data = b.slice(start + 8, footer - (start + 8), "signing block pairs")?;
    let (pairs, warnings) = split_pairs(pairs_data, (start + 8) as u64);
    Ok(Some(SigningBlock {
        offset: start as u64,
        len: size + 8,
        pairs,
        warnings,
    }))
}

fn split_pairs(data: &[u8], base: u64) -> (Vec<BlockPair<'_>>, Vec<SigningWarning>) {
    let b = Bytes::new(data);
    let mut pairs: Vec<BlockPair<'_>> = Vec::new();
    let mut warnings = Vec::new();
    let mut pos = 0usize;
    while pos < data.len() {
        let at = base + pos as u64;
        let bad = |reason: String| SigningWarning::MalformedPair { offset: at, reason };
        let Ok(len) = b.u64(pos, "pair length") else {
            warnings.push(bad(format!(
                "{} bytes cannot hold a pair length",
                data.len() - pos
            )));
            break;
        };
        let remaining = (data.len() - pos - 8) as u64;
        if !(4..=remaining).contains(&len) {
            warnings.push(bad(format!("pair length {len} outside 4..={remaining}")));
            break;
        }
        // len <= remaining <= data.len(), so these conversions and additions cannot overflow.
        let len = len as usize;
        let (Ok(id), Ok(value)) = (
            b.u32(pos + 8, "pair id"),
            b.slice(pos + 12, len - 4, "pair value"),
        ) else {
            warnings.push(bad("pair truncated".to_owned()));
            break;
        };
        if pairs.iter().any(|p| p.id == id)
            && !warnings.contains(&SigningWarning::DuplicateBlockId { id })
        {
            warnings.push(SigningWarning::DuplicateBlockId { id });
        }
        pairs.push(BlockPair {
            id,
            offset: at + 12,
            value,
        });
        pos += 8 + len;
    }
    (pairs, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(pairs: &[(u32, &[u8])], trailer: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        for (id, v) in pairs {
            body.extend_from_slice(&(v.len() as u64 + 4).to_le_bytes());
            body.extend_from_slice(&id.to_le_bytes());
            body.extend_from_slice(v);
        }
        body.extend_from_slice(trailer);
        let size = body.len() as u64 + 24;
        let mut out = b"PK-local-data".to_vec();
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(MAGIC);
        out
    }

    #[test]
    fn parses_pairs_and_flags_duplicates() {
        let apk = block(
            &[
                (ids::V2, b"abc"),
                (ids::VERITY_PADDING, &[0; 8]),
                (ids::V2, b"x"),
            ],
            &[],
        );
        let sb = signing_block(&apk, apk.len() as u64).unwrap().unwrap();
        assert_eq!(sb.offset, 13);
        assert_eq!(sb.len, apk.len() as u64 - 13);
        assert_eq!(sb.pairs.len(), 3);
        assert_eq!(sb.get(ids::V2), Some(&b"abc"[..]));
        assert_eq!(sb.pairs[1].kind(), BlockKind::VerityPadding);
        assert_eq!(
            sb.warnings,
            vec![SigningWarning::DuplicateBlockId { id: ids::V2 }]
        );
    }

    #[test]
    fn no_magic_is_none_and_bad_offsets_fail() {
        assert!(signing_block(b"hello", 5).unwrap().is_none());
        assert!(signing_block(b"hello", 0).unwrap().is_none());
        assert!(signing_block(b"hello", 6).is_err());
        assert!(signing_block(b"hello", u64::MAX).is_err());
    }

    #[test]
    fn hostile_sizes() {
        let mut apk = block(&[(ids::V2, b"abc")], &[]);
        let n = apk.len();
        // Footer size 2^63.
        apk[n - 24..n - 16].copy_from_slice(&(1u64 << 63).to_le_bytes());
        assert!(matches!(
            signing_block(&apk, n as u64),
            Err(SigningError::BlockSize { .. })
        ));
        // Header and footer disagree.
        let mut apk = block(&[(ids::V2, b"abc")], &[]);
        apk[13] ^= 1;
        assert!(matches!(
            signing_block(&apk, n as u64),
            Err(SigningError::BlockSizeMismatch { .. })
        ));
        // Pair length 2^63 and pair length < 4: warned, pairs before kept.
        for bad in [1u64 << 63, 3, u64::MAX] {
            let apk = block(&[(ids::V3, b"v3")], &bad.to_le_bytes());
            let sb = signing_block(&apk, apk.len() as u64).unwrap().unwrap();
            assert_eq!(sb.pairs.len(), 1);
            assert!(matches!(
                sb.warnings[0],
                SigningWarning::MalformedPair { .. }
            ));
        }
        // Trailing bytes too short for a pair length.
        let apk = block(&[(ids::V3, b"v3")], &[1, 2, 3]);
        let sb = signing_block(&apk, apk.len() as u64).unwrap().unwrap();
        assert_eq!(sb.warnings.len(), 1);
    }
}
