//! What kind of input a path holds, decided from its bytes (and its name only
//! where the bytes cannot tell: `.xapk` vs `.apks`).

use std::fmt;
use std::path::Path;

/// The kind of app input leakscope was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A single APK (a ZIP with `AndroidManifest.xml` at its root).
    Apk,
    /// A split bundle: XAPK, APKS (bundletool) or APKM (APKMirror), i.e. a ZIP
    /// holding the APKs of one app.
    Bundle,
    /// A bare DEX file (or a DEX 041 container).
    Dex,
    /// A JAR or ZIP of DEX files with no manifest.
    DexArchive,
    /// An unpacked directory (plain unzip or apktool output).
    Directory,
    /// An iOS app archive.
    Ipa,
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputKind::Apk => "APK",
            InputKind::Bundle => "split bundle",
            InputKind::Dex => "DEX",
            InputKind::DexArchive => "DEX archive",
            InputKind::Directory => "directory",
            InputKind::Ipa => "IPA",
        })
    }
}

/// The first bytes of a file, classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Magic {
    /// `PK\x03\x04`, `PK\x05\x06` (empty) or anything else a ZIP reader may
    /// accept: ZIPs are located from their end, so we try them last.
    Zip,
    /// `dex\n0NN\0`.
    Dex,
    /// Compiled Android binary XML (`0x0003` chunk type).
    BinaryXml,
    /// Anything else.
    Unknown,
}

impl Magic {
    /// Classifies a buffer by its first bytes.
    pub fn of(data: &[u8]) -> Magic {
        if data.starts_with(b"dex\n") {
            Magic::Dex
        } else if data.starts_with(b"PK\x03\x04") || data.starts_with(b"PK\x05\x06") {
            Magic::Zip
        } else if data.starts_with(&[0x03, 0x00, 0x08, 0x00]) {
            Magic::BinaryXml
        } else {
            Magic::Unknown
        }
    }
}

/// True when a ZIP entry name is one of the DEX files Android loads from an
/// APK root: `classes.dex`, `classes2.dex`, `classes3.dex`, ...
///
/// Returns the 1-based position in the load order (`classes.dex` is 1).
pub fn multidex_index(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("classes")?.strip_suffix(".dex")?;
    if rest.is_empty() {
        return Some(1);
    }
    // Android builds the names as "classes" + N + ".dex" for N >= 2, without
    // leading zeros, so only that exact spelling is loaded.
    if rest.starts_with('0') || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse::<u32>().ok().filter(|n| *n >= 2)
}

/// True for a name that looks like code by its extension.
pub fn has_code_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".dex", ".jar", ".apk", ".zip", ".odex", ".vdex", ".so.dex"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Extensions of asset files that never hold code and are not worth
/// inflating to sniff.
pub fn is_plain_media(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let ext = Path::new(&lower)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    matches!(
        ext,
        "png"
            | "jpg"
            | "jpeg"
            | "webp"
            | "gif"
            | "svg"
            | "ttf"
            | "otf"
            | "woff"
            | "woff2"
            | "mp3"
            | "ogg"
            | "wav"
            | "m4a"
            | "aac"
            | "mp4"
            | "webm"
            | "html"
            | "htm"
            | "css"
            | "js"
            | "txt"
            | "json"
            | "xml"
            | "properties"
            | "md"
            | "csv"
            | "pb"
            | "tflite"
            | "glsl"
            | "frag"
            | "vert"
            | "atlas"
            | "fnt"
            | "ico"
            | "pdf"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multidex_names_follow_android() {
        assert_eq!(multidex_index("classes.dex"), Some(1));
        assert_eq!(multidex_index("classes2.dex"), Some(2));
        assert_eq!(multidex_index("classes17.dex"), Some(17));
        assert_eq!(multidex_index("classes1.dex"), None);
        assert_eq!(multidex_index("classes02.dex"), None);
        assert_eq!(multidex_index("classes0.dex"), None);
        assert_eq!(multidex_index("classesX.dex"), None);
        assert_eq!(multidex_index("assets/classes.dex"), None);
    }

    #[test]
    fn magic() {
        assert_eq!(Magic::of(b"dex\n035\0"), Magic::Dex);
        assert_eq!(Magic::of(b"PK\x03\x04rest"), Magic::Zip);
        assert_eq!(Magic::of(b""), Magic::Unknown);
    }
}
