//! What `analyze` adds to each report after the evidence passes: the
//! leakware assessment (app kind, declarations) and the organization's
//! policy decision.

use std::path::PathBuf;

use anyhow::{Context, Result};
use leakscope_app::App;
use leakscope_assess::{AssessOptions, Assessor, Declarations};
use leakscope_model::Report;

use crate::cli::AnalyzeArgs;

/// The post-analysis steps, set up once per run.
pub struct Verdicts {
    assessor: &'static Assessor,
    options: AssessOptions,
}

impl Verdicts {
    /// From the command line: `--app-kind`, `--declared`.
    pub fn new(args: &AnalyzeArgs) -> Result<Verdicts> {
        let assessor =
            Assessor::embedded().map_err(|e| anyhow::anyhow!("embedded assessment data: {e}"))?;
        if let Some(kind) = &args.app_kind
            && !assessor.kinds().any(|k| k == kind)
        {
            let known: Vec<&str> = assessor.kinds().collect();
            anyhow::bail!(
                "--app-kind {kind}: unknown kind; known kinds: {}",
                known.join(", ")
            );
        }
        let declarations = args
            .declared
            .as_ref()
            .map(|p: &PathBuf| {
                Declarations::load(p).with_context(|| format!("declarations {}", p.display()))
            })
            .transpose()?;
        if let Some(d) = &declarations {
            for w in &d.warnings {
                eprintln!("warning: declarations: {w}");
            }
        }
        Ok(Verdicts {
            assessor,
            options: AssessOptions {
                app_kind: args.app_kind.clone(),
                declarations,
            },
        })
    }

    /// Adds the assessment to `report`.
    pub fn apply(&self, report: &mut Report, app: &App) {
        match self
            .assessor
            .assess(report, app.manifest.as_ref(), &self.options)
        {
            Ok(a) => report.assessment = Some(a),
            Err(e) => report.warnings.push(leakscope_model::Warning {
                source: "assessment".into(),
                message: e.to_string(),
            }),
        }
    }
}
