//! Unpacked apps: a directory from `unzip` or `apktool d`, holding
//! `AndroidManifest.xml` (binary or text) and `classes*.dex`.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::kind::{has_code_extension, is_plain_media, multidex_index};
use crate::load::LoadError;
use crate::{App, Blob, DexBlob, InputKind, Options, Split, Warning};

/// Most files looked at in one directory tree.
const MAX_FILES: usize = 200_000;

pub(crate) fn load(root: &Path, options: &Options) -> Result<App, LoadError> {
    let io = |path: &Path, source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let manifest_path = root.join("AndroidManifest.xml");
    let manifest_bytes = std::fs::read(&manifest_path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            LoadError::Unsupported {
                path: root.to_path_buf(),
                reason: "a directory without AndroidManifest.xml; give an unpacked APK (unzip or apktool output)"
                    .into(),
            }
        } else {
            io(&manifest_path, e)
        }
    })?;
    let mut warnings = Vec::new();
    let mut hasher = Sha256::new();
    hasher.update(&manifest_bytes);

    let decoded = crate::manifest::decode(&manifest_bytes);
    for w in decoded.warnings {
        warnings.push(Warning::new("AndroidManifest.xml", w));
    }
    let mut manifest = decoded.manifest;
    if let Some(m) = manifest.as_mut() {
        apply_apktool_yml(m, root);
    }
    let label = manifest
        .as_ref()
        .and_then(|m| match std::fs::read(root.join("resources.arsc")) {
            Ok(arsc) => {
                crate::manifest::resolve_label(m, Some(&arsc), "resources.arsc", &mut warnings)
            }
            Err(_) => crate::manifest::resolve_label_from_values(m, root, &mut warnings),
        });

    let files = walk(root, &mut warnings);
    let mut numbered: Vec<(u32, PathBuf, String)> = Vec::new();
    let mut dynamic_code = Vec::new();
    let mut size = manifest_bytes.len() as u64;
    let mut has_smali = false;
    for (path, rel) in files {
        if let Some(n) = multidex_index(&rel) {
            numbered.push((n, path, rel));
            continue;
        }
        has_smali |= rel.ends_with(".smali");
        let in_scope = rel.starts_with("assets/") || rel.starts_with("res/raw/");
        if !in_scope || is_plain_media(&rel) {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !has_code_extension(&rel) && meta.len() > 16 << 20 {
            continue;
        }
        match read_capped(&path, options) {
            Ok(bytes) => {
                if let Some(code) =
                    crate::apk::sniff_code(&rel, rel.clone(), bytes, options, 0, &mut warnings)
                {
                    dynamic_code.push(code);
                }
            }
            Err(e) => warnings.push(Warning::new(&rel, format!("skipped: {e}"))),
        }
    }
    numbered.sort_by_key(|(n, _, _)| *n);
    let mut code = Vec::new();
    for (_, path, rel) in numbered {
        match read_capped(&path, options) {
            Ok(bytes) => {
                hasher.update(bytes.as_slice());
                size += bytes.len() as u64;
                code.push(DexBlob { origin: rel, bytes });
            }
            Err(e) => warnings.push(Warning::new(&rel, format!("skipped: {e}"))),
        }
    }
    if code.is_empty() && has_smali {
        warnings.push(Warning::new(
            root.display().to_string(),
            "holds smali sources but no classes*.dex: leakscope reads bytecode, so decode with `apktool d -s` or rebuild with `apktool b`",
        ));
    }
    let split_name = decoded.split;
    Ok(App {
        path: root.to_path_buf(),
        kind: InputKind::Directory,
        sha256: crate::load::hex(&hasher.finalize()),
        size,
        manifest,
        label,
        signers: Vec::new(),
        splits: vec![Split {
            name: root.display().to_string(),
            split_name,
            dex_count: code.len(),
        }],
        code,
        dynamic_code,
        containers: Vec::new(),
        warnings,
    })
}

/// apktool moves the version and SDK attributes out of the manifest into
/// `apktool.yml`; put them back where the manifest lacks them.
fn apply_apktool_yml(m: &mut leakscope_axml::Manifest, root: &Path) {
    let Ok(text) = std::fs::read_to_string(root.join("apktool.yml")) else {
        return;
    };
    let value = |key: &str| {
        text.lines().find_map(|l| {
            let v = l.trim().strip_prefix(key)?.strip_prefix(':')?.trim();
            let v = v.trim_matches(|c| c == '\'' || c == '"');
            (!v.is_empty() && v != "null").then(|| v.to_string())
        })
    };
    let int = |key: &str| value(key).and_then(|v| v.parse::<i64>().ok());
    m.version_code = m.version_code.or_else(|| int("versionCode"));
    m.version_name = m.version_name.take().or_else(|| value("versionName"));
    m.min_sdk = m.min_sdk.or_else(|| int("minSdkVersion"));
    m.target_sdk = m.target_sdk.or_else(|| int("targetSdkVersion"));
    m.max_sdk = m.max_sdk.or_else(|| int("maxSdkVersion"));
}

fn read_capped(path: &Path, options: &Options) -> std::io::Result<Blob> {
    let len = std::fs::metadata(path)?.len();
    if len > options.max_input_size {
        return Err(std::io::Error::other(format!(
            "{len} bytes, more than the limit of {} bytes",
            options.max_input_size
        )));
    }
    Ok(Blob::owned(std::fs::read(path)?))
}

/// Regular files under `root`, with `/`-separated relative names; symbolic
/// links are not followed.
pub(crate) fn walk(root: &Path, warnings: &mut Vec<Warning>) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            warnings.push(Warning::new(
                dir.display().to_string(),
                "unreadable directory, skipped",
            ));
            continue;
        };
        for entry in entries.flatten() {
            if out.len() >= MAX_FILES {
                warnings.push(Warning::new(
                    root.display().to_string(),
                    format!("more than {MAX_FILES} files: the rest were not looked at"),
                ));
                return out;
            }
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() {
                let rel = path
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                out.push((path, rel));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}
