//! leakscope's leakware assessment: from a [`Report`] (and the app's
//! manifest), decide per data category whether the app accesses it,
//! transmits it, declares it and needs it, and give a verdict —
//! `leakware`, `needs_review` or `no_leak_found` — with a 0–100 score and
//! the reasons behind it, each pointing at evidence in the report.
//!
//! The knowledge lives in data files under `data/assessment/`, embedded in
//! the binary ([`Assessor::embedded`]) or read from a directory
//! ([`Assessor::load_dir`]):
//!
//! | file | holds |
//! |---|---|
//! | `app_kinds.toml` | the expectations table: per app kind, the categories it needs, and the signals it is inferred from |
//! | `scoring.toml` | the weights of the score and the verdict thresholds (`docs/scoring.md`) |
//! | `play_data_types.toml` | Play Console Data safety ids → Play data-type names (the knowledge base maps those to categories) |
//!
//! Declarations (`--declared FILE`) are read by [`Declarations::load`]:
//! our JSON format or the Play Console's CSV export
//! (`docs/declarations.md`).
//!
//! ```
//! use leakscope_assess::{AssessOptions, Assessor};
//! use leakscope_model::{Report, Verdict};
//! let assessor = Assessor::embedded().map_err(|e| e.to_string())?;
//! let report = Report::default();
//! let a = assessor.assess(&report, None, &AssessOptions::default()).map_err(|e| e.to_string())?;
//! assert_eq!(a.verdict, Verdict::NoLeakFound);
//! assert_eq!(a.app_kind.kind, "unknown");
//! assert!(assessor.kinds().any(|k| k == "flashlight"));
//! # Ok::<(), String>(())
//! ```

#![deny(missing_docs)]

mod assess;
mod csv;
mod data;
mod declarations;
mod destinations;
mod error;
mod kinds;
mod scoring;

use std::path::Path;
use std::sync::OnceLock;

use leakscope_axml::Manifest;
use leakscope_model::{AppKind, Assessment, Report};

pub use assess::{AssessOptions, MAX_EVIDENCE_POINTERS};
pub use data::{MAX_DATA_FILE_SIZE, Meta};
pub use declarations::{Declarations, MAX_DECLARATION_WARNINGS, MAX_DECLARATIONS_SIZE};
pub use error::{AssessError, DeclarationWarning, DeclarationsError};
pub use kinds::{KindSpec, KindTable, Need, UNKNOWN_KIND};
pub use scoring::{BaseWeights, Factors, InferenceWeights, Scoring, Thresholds};

/// The assessment engine: the expectations table and the scoring weights.
#[derive(Clone, Debug)]
pub struct Assessor {
    kinds: KindTable,
    scoring: Scoring,
}

impl Assessor {
    /// The assessor built from the embedded data files, loaded and
    /// validated once per process. The files are checked by this crate's
    /// tests, so an error means a broken build.
    pub fn embedded() -> Result<&'static Assessor, &'static AssessError> {
        static ASSESSOR: OnceLock<Result<Assessor, AssessError>> = OnceLock::new();
        ASSESSOR.get_or_init(|| Assessor::load(None)).as_ref()
    }

    /// Loads the data files from `dir` (`app_kinds.toml`, `scoring.toml`);
    /// **a file missing there is taken from the embedded copy**.
    pub fn load_dir(dir: &Path) -> Result<Assessor, AssessError> {
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => Assessor::load(Some(dir)),
            Ok(_) => Err(AssessError::Io {
                file: dir.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a directory"),
            }),
            Err(source) => Err(AssessError::Io {
                file: dir.display().to_string(),
                source,
            }),
        }
    }

    fn load(dir: Option<&Path>) -> Result<Assessor, AssessError> {
        let (label, text) = data::read(dir, data::APP_KINDS)?;
        let kinds = KindTable::load(&label, &text)?;
        let (label, text) = data::read(dir, data::SCORING)?;
        let scoring = Scoring::load(&label, &text)?;
        Ok(Assessor { kinds, scoring })
    }

    /// The kind ids of the expectations table (for `--app-kind` help).
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.kinds.iter().map(|k| k.id.as_str())
    }

    /// The expectations table.
    pub fn kind_table(&self) -> &KindTable {
        &self.kinds
    }

    /// The scoring weights.
    pub fn scoring(&self) -> &Scoring {
        &self.scoring
    }

    /// Version of the data: `kinds <version>, scoring <version>`.
    pub fn data_version(&self) -> String {
        format!(
            "app_kinds {}, scoring {}",
            self.kinds.meta.version, self.scoring.meta.version
        )
    }

    /// Infers the app's kind from the report's label and package and the
    /// manifest's features, intent filters and component permissions.
    pub fn infer_kind(&self, report: &Report, manifest: Option<&Manifest>) -> AppKind {
        self.kinds.infer(report, manifest, &self.scoring.inference)
    }

    /// Assesses one app. Fails only when `opts.app_kind` names a kind the
    /// table does not have ([`AssessError::UnknownKind`] lists the known
    /// ones).
    pub fn assess(
        &self,
        report: &Report,
        manifest: Option<&Manifest>,
        opts: &AssessOptions,
    ) -> Result<Assessment, AssessError> {
        assess::run(self, report, manifest, opts)
    }
}
