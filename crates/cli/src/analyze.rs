//! `leakscope analyze`: the main job. One app gives one report; several apps
//! (or a folder of apps) are analysed in parallel on all cores, with a
//! progress bar, one report per app and a summary table.

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ParallelProgressIterator, ProgressBar, ProgressStyle};
use leakscope_analysis::{AnalyzeOptions, EndpointOptions, analyze};
use leakscope_endpoints::GeoIp;
use leakscope_kb::Kb;
use leakscope_model::Report;
use rayon::prelude::*;

use crate::cli::{AnalyzeArgs, ReportFormat};
use crate::verdict::Verdicts;

/// The analysis options and the steps after it.
struct Pipeline<'a> {
    analyze: AnalyzeOptions<'a>,
    verdicts: Verdicts,
}

/// Extensions of the app files a folder is searched for.
const APP_EXTENSIONS: &[&str] = &["apk", "xapk", "apks", "apkm", "dex", "jar"];

pub fn run(args: &AnalyzeArgs) -> Result<ExitCode> {
    let inputs = expand_inputs(&args.apps)?;
    let single_input = inputs.len() == 1 && !args.apps.iter().any(|p| is_app_folder(p));
    // For one app, read it while the knowledge base loads (its regexes take
    // a few tens of milliseconds to compile).
    let (kb, preloaded) = match (&args.kb, single_input) {
        (None, true) => {
            let (kb, app) = rayon::join(Kb::embedded, || timed_load(&inputs[0]));
            (KbRef::Embedded(kb), Some(app))
        }
        _ => (load_kb(args.kb.as_deref())?, None),
    };
    let kb: &Kb = match &kb {
        KbRef::Embedded(r) => r.map_err(|e| anyhow::anyhow!("embedded knowledge base: {e}"))?,
        KbRef::Owned(kb) => kb,
    };
    let geoip = match &args.geoip {
        Some(p) => Some(GeoIp::open(p).with_context(|| format!("GeoIP database {}", p.display()))?),
        None => None,
    };
    if args.resolve && geoip.is_none() {
        bail!(
            "--resolve needs --geoip FILE.mmdb (resolved addresses are only used for their country)"
        );
    }
    let spec = args
        .sources_sinks
        .as_deref()
        .map(read_sources_sinks)
        .transpose()?;
    let options = AnalyzeOptions {
        endpoints: EndpointOptions {
            geoip: geoip.as_ref(),
            resolve: args.resolve,
        },
        taint: (!args.no_taint).then(|| leakscope_analysis::flows::Budget {
            implicit_flows: args.implicit_flows,
            ..args.taint_budget.budget()
        }),
        spec: spec.as_ref(),
    };
    let verdicts = Verdicts::new(args)?;
    let options = Pipeline {
        analyze: options,
        verdicts,
    };
    let format = args.format.unwrap_or(
        if std::io::stdout().is_terminal() && args.output.is_none() {
            ReportFormat::Text
        } else {
            ReportFormat::Json
        },
    );
    if single_input {
        let app = match preloaded {
            Some(app) => app?,
            None => timed_load(&inputs[0])?,
        };
        let report = analyze_loaded(app, kb, &options);
        let fails = options.verdicts.fails(&report);
        let code = single(report, format, args.output.as_deref())?;
        return Ok(if fails { ExitCode::from(3) } else { code });
    }
    batch(&inputs, kb, &options, format, args)
}

/// A source/sink list in FlowDroid's `SourcesAndSinks.txt` format.
pub fn read_sources_sinks(path: &Path) -> Result<leakscope_taint::Spec> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    leakscope_taint::Spec::from_flowdroid(&text)
        .with_context(|| format!("sources and sinks {}", path.display()))
}

/// The knowledge base: the embedded one (loaded once per process) or one
/// loaded from `--kb DIR`.
enum KbRef {
    Embedded(Result<&'static Kb, &'static leakscope_kb::KbError>),
    Owned(Box<Kb>),
}

fn load_kb(dir: Option<&Path>) -> Result<KbRef> {
    Ok(match dir {
        Some(dir) => KbRef::Owned(Box::new(
            Kb::load_dir(dir).with_context(|| format!("knowledge base {}", dir.display()))?,
        )),
        None => KbRef::Embedded(Kb::embedded()),
    })
}

/// True for a directory that holds apps rather than being an unpacked app.
fn is_app_folder(p: &Path) -> bool {
    p.is_dir() && !p.join("AndroidManifest.xml").exists()
}

/// The apps named on the command line, with folders of apps expanded.
pub(crate) fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if is_app_folder(p) {
            let mut found = Vec::new();
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let rd =
                    fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
                for e in rd.flatten() {
                    let path = e.path();
                    if path.is_dir() {
                        if path.join("AndroidManifest.xml").exists() {
                            found.push(path);
                        } else {
                            stack.push(path);
                        }
                    } else if path
                        .extension()
                        .and_then(|x| x.to_str())
                        .is_some_and(|x| APP_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
                    {
                        found.push(path);
                    }
                }
            }
            if found.is_empty() {
                bail!(
                    "{}: no apps (.apk, .xapk, .apks, .apkm, .dex, .jar) in this folder",
                    p.display()
                );
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Loads an app, timing it.
fn timed_load(path: &Path) -> Result<(leakscope_app::App, Instant, f64)> {
    let start = Instant::now();
    let app = crate::inspect::load(path)?;
    Ok((app, start, start.elapsed().as_secs_f64() * 1e3))
}

fn analyze_loaded(
    (app, start, load_ms): (leakscope_app::App, Instant, f64),
    kb: &Kb,
    options: &Pipeline<'_>,
) -> Report {
    let mut report = analyze(&app, kb, &options.analyze);
    options.verdicts.apply(&mut report, &app);
    report.timings.insert("load".into(), load_ms);
    report
        .timings
        .insert("total".into(), start.elapsed().as_secs_f64() * 1e3);
    report
}

fn analyze_one(path: &Path, kb: &Kb, options: &Pipeline<'_>) -> Result<Report> {
    Ok(analyze_loaded(timed_load(path)?, kb, options))
}

fn render(report: &Report, format: ReportFormat, out: &mut dyn Write) -> Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)?;
        }
        ReportFormat::Text => crate::text::write_summary(report, out)?,
        ReportFormat::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &leakscope_render::sarif(report))?;
            writeln!(out)?;
        }
        ReportFormat::Html => out.write_all(leakscope_render::html(report).as_bytes())?,
    }
    Ok(())
}

fn single(report: Report, format: ReportFormat, output: Option<&Path>) -> Result<ExitCode> {
    match output {
        Some(o) => {
            let mut f = std::io::BufWriter::new(
                fs::File::create(o).with_context(|| format!("cannot write {}", o.display()))?,
            );
            render(&report, format, &mut f)?;
            f.flush()?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            render(&report, format, &mut out)?;
            out.flush()?;
        }
    }
    for w in &report.warnings {
        eprintln!("warning: {}: {}", w.source, w.message);
    }
    Ok(ExitCode::SUCCESS)
}

/// One row of the batch summary.
#[derive(serde::Serialize)]
struct SummaryRow {
    path: String,
    status: &'static str,
    error: Option<String>,
    package: Option<String>,
    version_name: Option<String>,
    sha256: Option<String>,
    accessed: String,
    requested: String,
    transmitted: String,
    verdict: String,
    score: Option<u8>,
    policy: String,
    trackers: usize,
    endpoints: usize,
    warnings: usize,
    millis: f64,
    report: Option<String>,
}

fn summary_row(path: &Path, result: &Result<Report>, report_path: Option<String>) -> SummaryRow {
    match result {
        Ok(r) => {
            let list = |pick: fn(&leakscope_model::CategoryFindings) -> bool| {
                r.categories
                    .iter()
                    .filter(|(_, f)| pick(f))
                    .map(|(c, _)| c.id())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            SummaryRow {
                path: path.display().to_string(),
                status: "ok",
                error: None,
                package: r.app.package.clone(),
                version_name: r.app.version_name.clone(),
                sha256: Some(r.app.sha256.clone()),
                accessed: list(|f| f.accessed),
                requested: list(|f| f.requested),
                transmitted: list(|f| f.transmitted),
                verdict: r
                    .assessment
                    .as_ref()
                    .map(|a| crate::text::plain(&a.verdict))
                    .unwrap_or_default(),
                score: r.assessment.as_ref().map(|a| a.score),
                policy: r
                    .policy
                    .as_ref()
                    .map(|p| crate::text::plain(&p.decision))
                    .unwrap_or_default(),
                trackers: r.trackers.len(),
                endpoints: r.endpoints.len(),
                warnings: r.warnings.len(),
                millis: r.timings.get("total").copied().unwrap_or(0.0),
                report: report_path,
            }
        }
        Err(e) => SummaryRow {
            path: path.display().to_string(),
            status: "failed",
            error: Some(format!("{e:#}")),
            package: None,
            version_name: None,
            sha256: None,
            accessed: String::new(),
            requested: String::new(),
            transmitted: String::new(),
            verdict: String::new(),
            score: None,
            policy: String::new(),
            trackers: 0,
            endpoints: 0,
            warnings: 0,
            millis: 0.0,
            report: None,
        },
    }
}

/// A file name for the report of `path`, unique within the batch.
fn report_name(path: &Path, index: usize, format: ReportFormat) -> String {
    let stem = path
        .file_name()
        .map(|n| {
            n.to_string_lossy().replace(
                |c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-',
                "_",
            )
        })
        .unwrap_or_else(|| "app".into());
    let ext = match format {
        ReportFormat::Json => "json",
        ReportFormat::Text => "txt",
        ReportFormat::Sarif => "sarif",
        ReportFormat::Html => "html",
    };
    format!("{index:05}-{stem}.{ext}")
}

fn batch(
    inputs: &[PathBuf],
    kb: &Kb,
    options: &Pipeline<'_>,
    format: ReportFormat,
    args: &AnalyzeArgs,
) -> Result<ExitCode> {
    let Some(out_dir) = args.output.as_deref() else {
        bail!(
            "{} apps to analyse: give -o DIR for their reports (one file per app, plus summary.csv)",
            inputs.len()
        );
    };
    fs::create_dir_all(out_dir).with_context(|| format!("cannot create {}", out_dir.display()))?;
    let summary_path = args
        .summary
        .clone()
        .unwrap_or_else(|| out_dir.join("summary.csv"));
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(inputs.len() as u64)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} apps ({per_sec}, eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let failures = Mutex::new(0usize);
    let policy_failures = Mutex::new(0usize);
    let rows: Vec<SummaryRow> = inputs
        .par_iter()
        .enumerate()
        .progress_with(bar.clone())
        .map(|(i, path)| {
            let result = analyze_one(path, kb, options);
            let report_path = match &result {
                Ok(report) => {
                    if options.verdicts.fails(report)
                        && let Ok(mut n) = policy_failures.lock()
                    {
                        *n += 1;
                    }
                    let file = out_dir.join(report_name(path, i, format));
                    let written = fs::File::create(&file)
                        .map_err(anyhow::Error::from)
                        .and_then(|f| {
                            let mut w = std::io::BufWriter::new(f);
                            render(report, format, &mut w)?;
                            w.flush()?;
                            Ok(())
                        });
                    match written {
                        Ok(()) => Some(file.display().to_string()),
                        Err(e) => {
                            bar.println(format!(
                                "leakscope: cannot write {}: {e:#}",
                                file.display()
                            ));
                            None
                        }
                    }
                }
                Err(e) => {
                    if let Ok(mut n) = failures.lock() {
                        *n += 1;
                    }
                    bar.println(format!("leakscope: {e:#}"));
                    None
                }
            };
            summary_row(path, &result, report_path)
        })
        .collect();
    bar.finish_and_clear();
    write_summary(&summary_path, &rows)?;
    let failed = failures.into_inner().unwrap_or(0);
    eprintln!(
        "analysed {} of {} apps; reports in {}, summary in {}",
        inputs.len() - failed,
        inputs.len(),
        out_dir.display(),
        summary_path.display()
    );
    let blocked = policy_failures.into_inner().unwrap_or(0);
    if blocked > 0 {
        eprintln!("{blocked} apps reach --fail-on");
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else if blocked > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes the summary as JSON Lines (`.jsonl`) or CSV (anything else).
fn write_summary(path: &Path, rows: &[SummaryRow]) -> Result<()> {
    let f = fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    if path.extension().is_some_and(|e| e == "jsonl") {
        for r in rows {
            serde_json::to_writer(&mut w, r)?;
            writeln!(w)?;
        }
    } else {
        writeln!(
            w,
            "path,status,error,package,version_name,sha256,accessed,requested,transmitted,verdict,score,policy,trackers,endpoints,warnings,millis,report"
        )?;
        for r in rows {
            let cells = [
                csv(&r.path),
                r.status.to_string(),
                csv(r.error.as_deref().unwrap_or("")),
                csv(r.package.as_deref().unwrap_or("")),
                csv(r.version_name.as_deref().unwrap_or("")),
                r.sha256.clone().unwrap_or_default(),
                csv(&r.accessed),
                csv(&r.requested),
                csv(&r.transmitted),
                r.verdict.clone(),
                r.score.map(|s| s.to_string()).unwrap_or_default(),
                r.policy.clone(),
                r.trackers.to_string(),
                r.endpoints.to_string(),
                r.warnings.to_string(),
                format!("{:.1}", r.millis),
                csv(r.report.as_deref().unwrap_or("")),
            ];
            writeln!(w, "{}", cells.join(","))?;
        }
    }
    w.flush()?;
    Ok(())
}

/// A CSV cell, quoted when it needs to be.
fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
