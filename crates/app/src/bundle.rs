//! Split bundles: `.xapk` (APKPure), `.apks` (bundletool) and `.apkm`
//! (APKMirror) are ZIPs that hold the APKs of one app. All of their code is
//! the app's code.

use leakscope_zip::Archive;

use crate::apk::{ApkParts, read_entry};
use crate::{App, Blob, Container, Options, Split, Warning};

/// Reads every APK of the bundle into `app`.
pub(crate) fn read(app: &mut App, bundle: &Blob, archive: &Archive<'_>, options: &Options) {
    let source = app
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::load::zip_warnings(&source, archive, &mut app.warnings);

    let names: Vec<String> = archive
        .entries()
        .iter()
        .map(|e| e.name_lossy().into_owned())
        .filter(|n| n.to_ascii_lowercase().ends_with(".apk"))
        .collect();
    // bundletool's .apks can hold both the split APKs and standalone APKs
    // for old devices; they repeat the same code, so read the splits only.
    let has_splits = names.iter().any(|n| n.starts_with("splits/"));
    let mut base: Option<ApkParts> = None;
    let mut base_name = String::new();
    for name in names {
        if has_splits && !name.starts_with("splits/") {
            app.warnings.push(Warning::new(
                format!("{source}!{name}"),
                "not read: a standalone APK that repeats the bundle's split APKs",
            ));
            continue;
        }
        if options.max_nesting < 1 {
            app.warnings.push(Warning::new(
                format!("{source}!{name}"),
                "not opened: nesting limit is 0",
            ));
            continue;
        }
        let Some(entry) = archive.find(&name) else {
            continue;
        };
        let blob = match read_entry(bundle, archive, entry) {
            Ok(b) => b,
            Err(e) => {
                app.warnings.push(Warning::new(
                    format!("{source}!{name}"),
                    format!("skipped: {e}"),
                ));
                continue;
            }
        };
        let inner = match Archive::parse(blob.as_slice(), options.zip.clone()) {
            Ok(a) => a,
            Err(e) => {
                app.warnings.push(Warning::new(
                    format!("{source}!{name}"),
                    format!("skipped: unreadable APK ({e})"),
                ));
                continue;
            }
        };
        let parts = ApkParts::read(&name, &format!("{name}!"), &blob, &inner, options, 1);
        app.containers.push(Container {
            name: name.clone(),
            bytes: blob.clone(),
        });
        let is_base = parts.manifest.is_some() && parts.split_name.is_none();
        if is_base && base.is_none() {
            base = Some(parts);
            base_name = name;
            continue;
        }
        if is_base {
            app.warnings.push(Warning::new(
                format!("{source}!{name}"),
                format!("a second base APK (the first was {base_name}); read as a split"),
            ));
        }
        app.splits.push(Split {
            name,
            split_name: parts.split_name,
            dex_count: parts.code.len(),
        });
        app.code.extend(parts.code);
        app.dynamic_code.extend(parts.dynamic_code);
        app.warnings.extend(parts.warnings);
    }
    match base {
        Some(parts) => {
            // The base APK comes first, in code order as on a device.
            let split_code = std::mem::take(&mut app.code);
            let splits = std::mem::take(&mut app.splits);
            crate::load::apply_base(app, &base_name, parts);
            app.code.extend(split_code);
            app.splits.extend(splits);
        }
        None => app.warnings.push(Warning::new(
            &source,
            "no base APK (one without a `split` attribute) in the bundle: manifest and signers are unknown",
        )),
    }
}
