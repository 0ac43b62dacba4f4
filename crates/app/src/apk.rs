//! Reading one APK: manifest, label, signers, its own DEX files and the code
//! it carries for dynamic loading.

use std::borrow::Cow;

use leakscope_axml::Manifest;
use leakscope_signing::Signer;
use leakscope_zip::{Archive, Entry};
use rayon::prelude::*;

use crate::kind::{has_code_extension, is_plain_media, multidex_index};
use crate::{Blob, DexBlob, DynamicCode, DynamicCodeKind, Magic, Options, Warning};

/// What one APK holds.
#[derive(Default)]
pub(crate) struct ApkParts {
    pub manifest: Option<Manifest>,
    pub label: Option<String>,
    pub split_name: Option<String>,
    pub signers: Vec<Signer>,
    pub code: Vec<DexBlob>,
    pub dynamic_code: Vec<DynamicCode>,
    pub warnings: Vec<Warning>,
}

/// Reads an entry as a blob that shares `container`'s buffer when the entry
/// is stored.
pub(crate) fn read_entry(
    container: &Blob,
    archive: &Archive<'_>,
    entry: &Entry<'_>,
) -> Result<Blob, leakscope_zip::ZipError> {
    Ok(match archive.read(entry)? {
        Cow::Borrowed(slice) => container.narrow(slice),
        Cow::Owned(vec) => Blob::owned(vec),
    })
}

/// Reads the entry called `name`, turning failures into warnings.
fn read_named(
    source: &str,
    container: &Blob,
    archive: &Archive<'_>,
    name: &str,
    warnings: &mut Vec<Warning>,
) -> Option<Blob> {
    let entry = archive.find(name)?;
    match read_entry(container, archive, entry) {
        Ok(blob) => Some(blob),
        Err(e) => {
            warnings.push(Warning::new(
                format!("{source}!{name}"),
                format!("skipped: {e}"),
            ));
            None
        }
    }
}

impl ApkParts {
    /// Reads the APK `archive` (whose bytes are `container`). `source` names
    /// it in warnings; `prefix` is put before entry names in DEX origins
    /// (`""` for a plain APK, `"split.apk!"` in a bundle).
    pub fn read(
        source: &str,
        prefix: &str,
        container: &Blob,
        archive: &Archive<'_>,
        options: &Options,
        depth: u32,
    ) -> ApkParts {
        let mut parts = ApkParts::default();
        crate::load::zip_warnings(source, archive, &mut parts.warnings);
        parts.read_manifest(source, container, archive);
        parts.signers = read_signers(source, container, archive, &mut parts.warnings);
        parts.code = root_dex(source, prefix, container, archive, &mut parts.warnings);
        parts.dynamic_code = find_dynamic_code(
            source,
            prefix,
            container,
            archive,
            options,
            depth,
            &mut parts.warnings,
        );
        parts
    }

    fn read_manifest(&mut self, source: &str, container: &Blob, archive: &Archive<'_>) {
        let Some(bytes) = read_named(
            source,
            container,
            archive,
            "AndroidManifest.xml",
            &mut self.warnings,
        ) else {
            return;
        };
        let where_ = format!("{source}!AndroidManifest.xml");
        let decoded = crate::manifest::decode(bytes.as_slice());
        for w in decoded.warnings {
            self.warnings.push(Warning::new(&where_, w));
        }
        let Some(manifest) = decoded.manifest else {
            return;
        };
        self.split_name = decoded.split;
        let arsc = read_named(
            source,
            container,
            archive,
            "resources.arsc",
            &mut self.warnings,
        );
        self.label = crate::manifest::resolve_label(
            &manifest,
            arsc.as_ref().map(Blob::as_slice),
            &format!("{source}!resources.arsc"),
            &mut self.warnings,
        );
        self.manifest = Some(manifest);
    }
}

/// The signers found in the APK Signing Block and in `META-INF/`.
fn read_signers(
    source: &str,
    container: &Blob,
    archive: &Archive<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<Signer> {
    let mut v1 = Vec::new();
    for entry in archive.entries() {
        let name = entry.name_lossy();
        let upper = name.to_ascii_uppercase();
        let is_sig = upper.starts_with("META-INF/")
            && !upper["META-INF/".len()..].contains('/')
            && [".RSA", ".DSA", ".EC"]
                .iter()
                .any(|ext| upper.ends_with(ext));
        if !is_sig {
            continue;
        }
        match read_entry(container, archive, entry) {
            Ok(blob) => v1.push((name.into_owned(), blob)),
            Err(e) => warnings.push(Warning::new(
                format!("{source}!{name}"),
                format!("skipped: {e}"),
            )),
        }
    }
    let v1_refs: Vec<(&str, &[u8])> = v1.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let sigs = leakscope_signing::collect_signers(
        archive.data(),
        Some(archive.central_directory_offset()),
        &v1_refs,
    );
    for w in &sigs.warnings {
        warnings.push(Warning::new(source, w));
    }
    sigs.signers
}

/// The DEX files Android loads from the root of an APK or JAR:
/// `classes.dex`, `classes2.dex`, ... up to the first gap.
pub(crate) fn root_dex(
    source: &str,
    prefix: &str,
    container: &Blob,
    archive: &Archive<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<DexBlob> {
    let mut numbered: Vec<(u32, &Entry<'_>)> = Vec::new();
    for entry in archive.entries() {
        if let Some(n) = std::str::from_utf8(entry.name)
            .ok()
            .and_then(multidex_index)
        {
            if numbered.iter().any(|(m, _)| *m == n) {
                continue; // duplicate name: the archive already warned; Archive::find semantics keep the first
            }
            numbered.push((n, entry));
        }
    }
    numbered.sort_by_key(|(n, _)| *n);
    let mut expected = 1;
    for (n, entry) in &numbered {
        if *n != expected {
            warnings.push(Warning::new(
                format!("{source}!{}", entry.name_lossy()),
                format!(
                    "not loaded by Android: multidex loading stops at the missing classes{}.dex; analysed anyway",
                    if expected == 1 { String::new() } else { expected.to_string() }
                ),
            ));
        }
        expected = n.saturating_add(1);
    }
    // Inflating is most of the cost of reading an app: do it on all cores.
    let read: Vec<_> = numbered
        .par_iter()
        .map(|(_, entry)| (entry.name_lossy(), read_entry(container, archive, entry)))
        .collect();
    let mut out = Vec::new();
    for (name, result) in read {
        match result {
            Ok(bytes) => out.push(DexBlob {
                origin: format!("{prefix}{name}"),
                bytes,
            }),
            Err(e) => warnings.push(Warning::new(
                format!("{source}!{name}"),
                format!("skipped: {e}"),
            )),
        }
    }
    out
}

/// Secondary DEX, JAR and APK files: anything under `assets/` and
/// `res/raw/` that is code, and files named like code elsewhere.
fn find_dynamic_code(
    source: &str,
    prefix: &str,
    container: &Blob,
    archive: &Archive<'_>,
    options: &Options,
    depth: u32,
    warnings: &mut Vec<Warning>,
) -> Vec<DynamicCode> {
    let mut out = Vec::new();
    for entry in archive.entries() {
        let name = entry.name_lossy();
        // Android loads only the root `classes*.dex` by itself; code anywhere
        // else runs only if the app loads it. Look at everything in assets/
        // and res/raw/ (code hides under any name there), and elsewhere at
        // what is named like code.
        let in_scope = name.starts_with("assets/") || name.starts_with("res/raw/");
        let named_like_code = has_code_extension(&name) && !name.ends_with(".zip");
        if std::str::from_utf8(entry.name)
            .ok()
            .and_then(multidex_index)
            .is_some()
            || name.ends_with('/')
            || !(in_scope || named_like_code)
            || (in_scope && is_plain_media(&name))
        {
            continue;
        }
        // Look at the first bytes only; read the whole file only when it is
        // code (a DEX, or a ZIP that may hold DEX files).
        let Ok(head) = archive.read_prefix(entry, 8) else {
            continue;
        };
        if Magic::of(&head) != Magic::Dex && Magic::of(&head) != Magic::Zip {
            if has_code_extension(&name) {
                warnings.push(Warning::new(
                    format!("{source}!{name}"),
                    "named like code but neither DEX nor ZIP: possibly encrypted or packed code",
                ));
            }
            continue;
        }
        let bytes = match read_entry(container, archive, entry) {
            Ok(b) => b,
            Err(e) => {
                warnings.push(Warning::new(
                    format!("{source}!{name}"),
                    format!("skipped: {e}"),
                ));
                continue;
            }
        };
        let origin = format!("{prefix}{name}");
        if let Some(code) = sniff_code(&name, origin, bytes, options, depth, warnings) {
            out.push(code);
        }
    }
    out
}

/// Decides from its magic whether a file found in `assets/` or `res/raw/`
/// (`name`, shown as `origin`) is code the app can load, and reads it.
pub(crate) fn sniff_code(
    name: &str,
    origin: String,
    bytes: Blob,
    options: &Options,
    depth: u32,
    warnings: &mut Vec<Warning>,
) -> Option<DynamicCode> {
    match Magic::of(bytes.as_slice()) {
        Magic::Dex => Some(DynamicCode {
            container: origin.clone(),
            kind: DynamicCodeKind::Dex,
            dex: vec![DexBlob { origin, bytes }],
        }),
        Magic::Zip => nested_code(&origin, &bytes, options, depth, warnings),
        _ => {
            if has_code_extension(name) {
                warnings.push(Warning::new(
                    origin,
                    "named like code but neither DEX nor ZIP: possibly encrypted or packed code",
                ));
            }
            None
        }
    }
}

/// The DEX files of a JAR/APK found inside the app.
fn nested_code(
    origin: &str,
    bytes: &Blob,
    options: &Options,
    depth: u32,
    warnings: &mut Vec<Warning>,
) -> Option<DynamicCode> {
    if depth + 1 > options.max_nesting {
        warnings.push(Warning::new(
            origin,
            format!(
                "not opened: archives nested deeper than {} levels",
                options.max_nesting
            ),
        ));
        return None;
    }
    let archive = match Archive::parse(bytes.as_slice(), options.zip.clone()) {
        Ok(a) => a,
        Err(e) => {
            warnings.push(Warning::new(origin, format!("unreadable archive: {e}")));
            return None;
        }
    };
    let is_apk = archive.find("AndroidManifest.xml").is_some();
    let dex = root_dex(origin, &format!("{origin}!"), bytes, &archive, warnings);
    if dex.is_empty() && !is_apk {
        return None;
    }
    Some(DynamicCode {
        container: origin.to_string(),
        kind: if is_apk {
            DynamicCodeKind::Apk
        } else {
            DynamicCodeKind::Jar
        },
        dex,
    })
}
