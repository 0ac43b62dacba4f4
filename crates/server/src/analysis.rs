//! The analysis of one uploaded app: the same pipeline as
//! `leakscope analyze` (load, evidence passes, taint within a budget,
//! assessment), without any organization's policy.

use std::io::Write;

use leakscope_analysis::{AnalyzeOptions, EndpointOptions, analyze};
use leakscope_app::{Magic, Options};
use leakscope_assess::{AssessOptions, Assessor};
use leakscope_kb::Kb;
use leakscope_model::{Report, Warning};

/// Whether `bytes` can be an app leakscope reads (a ZIP-based APK/bundle/JAR
/// or a bare DEX), judged from the first bytes.
pub fn looks_like_app(bytes: &[u8]) -> bool {
    matches!(Magic::of(bytes), Magic::Zip | Magic::Dex)
}

/// Analyses an app given as bytes. `name` names it in the report (the
/// uploaded file name, or its SHA-256). Errors are the reason the app
/// cannot be read, for the app's `error` field.
pub fn analyse_bytes(
    bytes: &[u8],
    name: &str,
    budget: leakscope_taint::Budget,
) -> Result<Report, String> {
    let kb = Kb::embedded().map_err(|e| format!("embedded knowledge base: {e}"))?;
    let assessor = Assessor::embedded().map_err(|e| format!("embedded assessment data: {e}"))?;
    let suffix = match Magic::of(bytes) {
        Magic::Dex => ".dex",
        _ => ".apk",
    };
    let mut file = tempfile::Builder::new()
        .prefix("leakscope-upload-")
        .suffix(suffix)
        .tempfile()
        .map_err(|e| format!("cannot create a temporary file: {e}"))?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(|e| format!("cannot write a temporary file: {e}"))?;
    let app = leakscope_app::load(file.path(), &Options::default())
        .map_err(|e| strip_path(&e.to_string(), file.path()))?;
    let options = AnalyzeOptions {
        endpoints: EndpointOptions::default(),
        taint: Some(budget),
        spec: None,
    };
    let mut report = analyze(&app, kb, &options);
    report.app.path = name.to_string();
    match assessor.assess(&report, app.manifest.as_ref(), &AssessOptions::default()) {
        Ok(a) => report.assessment = Some(a),
        Err(e) => report.warnings.push(Warning {
            source: "assessment".into(),
            message: e.to_string(),
        }),
    }
    Ok(report)
}

/// Removes the temporary file's path from an error message.
fn strip_path(message: &str, path: &std::path::Path) -> String {
    let p = path.display().to_string();
    message
        .replace(&format!("{p}: "), "")
        .replace(&p, "the upload")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_check() {
        assert!(looks_like_app(b"PK\x03\x04rest"));
        assert!(looks_like_app(b"dex\n035\0"));
        assert!(!looks_like_app(b"hello"));
        assert!(!looks_like_app(b""));
    }

    #[test]
    fn a_zip_that_is_no_app_is_an_error_not_a_panic() {
        let r = analyse_bytes(
            b"PK\x03\x04garbage",
            "x.apk",
            leakscope_taint::Budget::default(),
        );
        let e = r.unwrap_err();
        assert!(!e.contains("leakscope-upload-"), "{e}");
    }
}
