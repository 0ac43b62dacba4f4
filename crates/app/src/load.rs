//! Turning a path into an [`App`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::apk::ApkParts;
use crate::blob::Backing;
use crate::{App, Blob, Container, DexBlob, InputKind, Magic, Split, Warning};

/// Bounds on what one app may cost to read. Every input is hostile: these
/// keep a crafted file from exhausting memory or time.
#[derive(Clone, Debug)]
pub struct Options {
    /// Largest input file read, in bytes.
    pub max_input_size: u64,
    /// Limits applied to every ZIP (APK, bundle, nested JAR).
    pub zip: leakscope_zip::Limits,
    /// How deep archives may nest (an APK in a bundle is depth 1, a JAR in
    /// that APK's assets depth 2).
    pub max_nesting: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_input_size: 4 << 30,
            zip: leakscope_zip::Limits::default(),
            max_nesting: 3,
        }
    }
}

/// Why an input could not be read at all. Anything less serious becomes a
/// [`Warning`] on a partial [`App`].
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is larger than [`Options::max_input_size`].
    #[error("{path}: file is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Not an app leakscope can read.
    #[error("{path}: {reason}")]
    Unsupported {
        /// The path.
        path: PathBuf,
        /// What it is, or is not.
        reason: String,
    },
}

fn unsupported(path: &Path, reason: impl Into<String>) -> LoadError {
    LoadError::Unsupported {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Reads an app from `path`: an APK, a split bundle (`.xapk`, `.apks`,
/// `.apkm`), a bare DEX, a JAR of DEX files, or an unpacked directory.
///
/// Returns an error only when nothing useful can be read; otherwise the app
/// carries warnings for every part that was skipped.
pub fn load(path: &Path, options: &Options) -> Result<App, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return crate::directory::load(path, options);
    }
    if meta.len() > options.max_input_size {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: options.max_input_size,
        });
    }
    // Hash the file on another core while this one reads the app.
    let (sha256, app) = rayon::join(
        || crate::mapped::sha256_of(path),
        || load_file(path, &meta, options),
    );
    let mut app = app?;
    app.sha256 = sha256.map_err(io)?;
    Ok(app)
}

/// Reads a file input (everything but its hash).
fn load_file(path: &Path, meta: &std::fs::Metadata, options: &Options) -> Result<App, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let data = crate::mapped::open(path, meta.len()).map_err(io)?;
    let sha256 = String::new();
    let size = (*data).as_ref().len() as u64;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut app = App {
        kind: InputKind::Dex,
        sha256,
        size,
        ..empty_app(path)
    };
    match Magic::of((*data).as_ref()) {
        Magic::Dex => {
            if let Some(apk) = janus(path, &file_name, &data, options, &mut app) {
                return apk;
            }
            app.code.push(DexBlob {
                origin: file_name,
                bytes: Blob::whole(data),
            });
            Ok(app)
        }
        Magic::BinaryXml => Err(unsupported(
            path,
            "this is a binary XML file (a manifest?), not an app; give the APK or the unpacked directory",
        )),
        Magic::Zip | Magic::Unknown => load_zip(path, &file_name, data, options, app),
    }
}

/// A DEX file with an APK appended (the "Janus" trick, CVE-2017-13156): the
/// installer reads the ZIP from the end while old runtimes execute the DEX at
/// the start. Read it as the APK, plus the prepended DEX as code.
fn janus(
    path: &Path,
    file_name: &str,
    data: &Backing,
    options: &Options,
    app: &mut App,
) -> Option<Result<App, LoadError>> {
    let archive = leakscope_zip::Archive::parse((**data).as_ref(), options.zip.clone()).ok()?;
    archive.find("AndroidManifest.xml")?;
    let mut apk = App {
        path: app.path.clone(),
        kind: InputKind::Apk,
        sha256: std::mem::take(&mut app.sha256),
        size: app.size,
        ..empty_app(path)
    };
    apk.warnings.push(Warning::new(
        file_name,
        "a DEX file is prepended to this APK (Janus, CVE-2017-13156): Android 5-8 with a v1-only signature runs the prepended DEX instead of the APK's code; both are analysed",
    ));
    apk.code.push(DexBlob {
        origin: format!("{file_name} (prepended DEX)"),
        bytes: Blob::whole(Arc::clone(data)),
    });
    Some(load_zip(path, file_name, Arc::clone(data), options, apk))
}

/// An app with nothing read yet.
fn empty_app(path: &Path) -> App {
    App {
        path: path.to_path_buf(),
        kind: InputKind::Apk,
        sha256: String::new(),
        size: 0,
        manifest: None,
        label: None,
        signers: Vec::new(),
        splits: Vec::new(),
        code: Vec::new(),
        dynamic_code: Vec::new(),
        containers: Vec::new(),
        warnings: Vec::new(),
    }
}

fn load_zip(
    path: &Path,
    file_name: &str,
    data: Backing,
    options: &Options,
    mut app: App,
) -> Result<App, LoadError> {
    let blob = Blob::whole(Arc::clone(&data));
    let archive =
        leakscope_zip::Archive::parse((*data).as_ref(), options.zip.clone()).map_err(|e| {
            let what = if Magic::of((*data).as_ref()) == Magic::Unknown {
                "not an APK, bundle, DEX or ZIP file"
            } else {
                "unreadable ZIP"
            };
            unsupported(path, format!("{what} ({e})"))
        })?;
    let has_manifest = archive.find("AndroidManifest.xml").is_some();
    if !has_manifest
        && archive
            .entries()
            .iter()
            .any(|e| e.name.starts_with(b"Payload/") && e.name.ends_with(b".app/Info.plist"))
    {
        return Err(unsupported(
            path,
            "iOS apps (IPA) are not supported yet; this build reads Android apps",
        ));
    }
    let has_apks = archive
        .entries()
        .iter()
        .any(|e| e.name_lossy().to_ascii_lowercase().ends_with(".apk"));
    if !has_manifest && has_apks {
        app.kind = InputKind::Bundle;
        crate::bundle::read(&mut app, &blob, &archive, options);
        if app.splits.is_empty() {
            return Err(unsupported(path, "a bundle with no readable APK inside"));
        }
        return Ok(app);
    }
    // An APK, or a ZIP that is partly one (a JAR of DEX files, a signed ZIP
    // without a manifest): read whatever of an app it holds.
    let parts = ApkParts::read(file_name, "", &blob, &archive, options, 0);
    let prepended = std::mem::take(&mut app.code);
    apply_base(&mut app, file_name, parts);
    app.code.splice(0..0, prepended);
    app.kind = if has_manifest || app.code.is_empty() {
        InputKind::Apk
    } else {
        InputKind::DexArchive
    };
    if !has_manifest {
        let what = if app.code.is_empty() {
            "no AndroidManifest.xml and no classes.dex: nothing of an app was found in this ZIP"
        } else {
            "no AndroidManifest.xml: Android would not install this as an APK; its DEX code is read"
        };
        app.warnings.push(Warning::new(file_name, what));
    }
    app.containers.push(Container {
        name: file_name.to_string(),
        bytes: blob,
    });
    Ok(app)
}

/// Copies what was read from the base APK (or the only APK) into the app.
pub(crate) fn apply_base(app: &mut App, name: &str, parts: ApkParts) {
    app.splits.push(Split {
        name: name.to_string(),
        split_name: parts.split_name,
        dex_count: parts.code.len(),
    });
    app.manifest = parts.manifest;
    app.label = parts.label;
    app.signers = parts.signers;
    app.code.extend(parts.code);
    app.dynamic_code.extend(parts.dynamic_code);
    app.warnings.extend(parts.warnings);
}

/// Adds the archive's anomalies to `warnings`, naming `source`.
pub(crate) fn zip_warnings(
    source: &str,
    archive: &leakscope_zip::Archive<'_>,
    warnings: &mut Vec<Warning>,
) {
    for w in archive.warnings() {
        warnings.push(Warning::new(source, w));
    }
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}
