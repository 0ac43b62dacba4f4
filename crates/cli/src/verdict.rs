//! What `analyze` adds to each report after the evidence passes: the
//! leakware assessment (app kind, declarations) and the organization's
//! policy decision.

use std::path::PathBuf;

use anyhow::{Context, Result};
use leakscope_app::App;
use leakscope_assess::{AssessOptions, Assessor, Declarations};
use leakscope_model::{Decision, Report};
use leakscope_policy::{Policy, Suppressions, load_data};

use crate::cli::{AnalyzeArgs, FailOn};
use crate::policy::explain;

/// The post-analysis steps, set up once per run.
pub struct Verdicts {
    assessor: &'static Assessor,
    options: AssessOptions,
    policy: Option<Policy>,
    suppressions: Option<Suppressions>,
    fail_on: Option<FailOn>,
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
        let data = args
            .policy_data
            .as_ref()
            .map(|p| load_data(p))
            .transpose()
            .map_err(explain)?;
        let policy = args
            .policy
            .as_deref()
            .map(|spec| Policy::load(spec, data))
            .transpose()
            .map_err(explain)?;
        let suppressions = args
            .suppressions
            .as_ref()
            .map(|p| Suppressions::load(p))
            .transpose()
            .map_err(explain)?;
        Ok(Verdicts {
            assessor,
            options: AssessOptions {
                app_kind: args.app_kind.clone(),
                declarations,
            },
            policy,
            suppressions,
            fail_on: args.fail_on,
        })
    }

    /// Whether `report`'s policy decision reaches `--fail-on`.
    pub fn fails(&self, report: &Report) -> bool {
        let Some(d) = report.policy.as_ref().map(|p| p.decision) else {
            return false;
        };
        match self.fail_on {
            Some(FailOn::Warn) => d >= Decision::Warn,
            Some(FailOn::Block) => d == Decision::Block,
            None => false,
        }
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
        let Some(policy) = &self.policy else { return };
        let json = match serde_json::to_value(&*report) {
            Ok(v) => v,
            Err(e) => {
                report.warnings.push(leakscope_model::Warning {
                    source: "policy".into(),
                    message: format!("report not serialisable: {e}"),
                });
                return;
            }
        };
        match policy.evaluate(&json) {
            Ok(mut decision) => {
                if let Some(s) = &self.suppressions {
                    s.apply(&mut decision);
                }
                report.policy = Some(decision);
            }
            Err(e) => report.warnings.push(leakscope_model::Warning {
                source: "policy".into(),
                message: crate::policy::render(&e),
            }),
        }
    }
}
