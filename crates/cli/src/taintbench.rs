//! `leakscope bench droidbench`: taint accuracy against a benchmark's ground
//! truth (DroidBench, ICC-Bench: same JSON shape).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use leakscope_analysis::flows::{Budget, Models};
use serde_json::{Value, json};

use crate::cli::BenchDroidbenchArgs;

#[derive(Default, Clone, Copy)]
struct Counts {
    apps: u64,
    expected: u64,
    found: u64,
    tp: u64,
    fp: u64,
    fn_: u64,
}

impl Counts {
    fn add(&mut self, expected: u64, found: u64) {
        self.apps += 1;
        self.expected += expected;
        self.found += found;
        self.tp += expected.min(found);
        self.fp += found.saturating_sub(expected);
        self.fn_ += expected.saturating_sub(found);
    }

    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Precision/recall convention: nothing to find and nothing found is 1.
fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

pub fn run(args: BenchDroidbenchArgs) -> Result<std::process::ExitCode> {
    let start = Instant::now();
    let gt: Value = serde_json::from_slice(
        &std::fs::read(&args.ground_truth)
            .with_context(|| format!("reading {}", args.ground_truth.display()))?,
    )
    .with_context(|| format!("{} is not JSON", args.ground_truth.display()))?;
    let gt = gt
        .as_object()
        .context("the ground truth must be a JSON object keyed by app path")?;
    let spec = match &args.sources_sinks {
        Some(p) => crate::analyze::read_sources_sinks(p)?,
        None => leakscope_analysis::flows::catalog_spec(leakscope_kb::Kb::embedded()?),
    };
    let models = Models::embedded();
    let budget = Budget {
        time: Duration::from_secs(args.budget_s),
        // DroidBench and ICC-Bench count implicit flows as leaks.
        implicit_flows: true,
        ..Budget::default()
    };
    let mut per_cat: BTreeMap<String, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    let mut results = Vec::new();
    for (key, truth) in gt {
        if key.starts_with('_') {
            continue;
        }
        let Some(expected) = truth.get("expected_leaks").and_then(Value::as_u64) else {
            continue;
        };
        if args.no_disputed && truth.get("count_disputed").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let category = truth
            .get("category")
            .and_then(Value::as_str)
            .unwrap_or_else(|| key.split('/').next().unwrap_or("?"))
            .to_string();
        let path = find_app(&args.dir, key);
        let (found, flows, error) = match path.as_deref().map(crate::inspect::load) {
            Some(Ok(app)) => {
                let r = leakscope_analysis::flows::run(&app, &spec, models, budget);
                let flows: Vec<Value> = r
                    .flows
                    .iter()
                    .map(|f| {
                        json!({
                            "source": f.source.api, "source_at": format!("{}->{}@{}", f.source.location.class, f.source.location.method, f.source.location.offset),
                            "sink": f.sink.api, "sink_at": format!("{}->{}@{}", f.sink.location.class, f.sink.location.method, f.sink.location.offset),
                            "path": f.path,
                        })
                    })
                    .collect();
                (r.flows.len() as u64, flows, None)
            }
            Some(Err(e)) => (0, Vec::new(), Some(format!("{e:#}"))),
            None => (0, Vec::new(), Some("app not found under DIR".to_string())),
        };
        per_cat
            .entry(category.clone())
            .or_default()
            .add(expected, found);
        total.add(expected, found);
        results.push(json!({
            "app": key, "category": category, "expected": expected, "found": found,
            "flows": flows, "error": error,
        }));
    }
    let mut out = std::io::stdout().lock();
    for (cat, c) in &per_cat {
        writeln!(
            out,
            "{cat:<28} apps={:<3} expected={:<3} found={:<3} tp={:<3} fp={:<3} fn={:<3} precision={:.2} recall={:.2}",
            c.apps,
            c.expected,
            c.found,
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall()
        )?;
    }
    if let Some(p) = &args.out {
        std::fs::write(p, serde_json::to_vec_pretty(&results)?)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    writeln!(
        out,
        "precision={:.3} recall={:.3} f1={:.3} apps={} time_s={:.1} max_rss_mb={:.0}",
        total.precision(),
        total.recall(),
        total.f1(),
        total.apps,
        start.elapsed().as_secs_f64(),
        crate::bench::peak_rss().unwrap_or(0) as f64 / (1024.0 * 1024.0)
    )?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// The APK named by a ground-truth key (`Category/App.apk`): under DIR as
/// is, or by file name anywhere under DIR.
fn find_app(dir: &Path, key: &str) -> Option<PathBuf> {
    let direct = dir.join(key);
    if direct.is_file() {
        return Some(direct);
    }
    let name = Path::new(key).file_name()?;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()?.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name() == Some(name) {
                return Some(p);
            }
        }
    }
    None
}
