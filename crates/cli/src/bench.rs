//! `leakscope bench parse`: our full parse against `unzip -p` and androguard,
//! measured in the same run on the same files.
//!
//! Each measurement runs in a child process, so that the times compare whole
//! commands and the peak memory (`VmHWM`) is the parse's alone.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::cli::{BenchCommand, BenchParseArgs};

pub fn run(cmd: BenchCommand) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Parse(args) => parse(args),
        BenchCommand::Droidbench(args) => crate::taintbench::run(args),
        BenchCommand::Inventory(args) => crate::loadbench::run(args),
        BenchCommand::Baseline => {
            println!("dex_bytes=0 peak_bytes={}", peak_rss().unwrap_or(0));
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::ParseOne { app } => {
            let mut out = std::io::stdout().lock();
            let app = crate::inspect::load(&app)?;
            let stats = crate::inspect::dex::decode_all(&app);
            writeln!(
                out,
                "dex_bytes={} peak_bytes={} instructions={} methods={}",
                stats.dex_bytes,
                peak_rss().unwrap_or(0),
                stats.instructions,
                stats.methods
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Where `fetch-registry-apks.sh` caches the registry APKs.
fn registry_apks() -> Vec<PathBuf> {
    let Some(home) = std::env::var_os("HOME") else {
        return Vec::new();
    };
    let dir = Path::new(&home).join(".cache/leakscope-corpus/registry");
    let mut apks: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "apk"))
                .collect()
        })
        .unwrap_or_default();
    apks.sort();
    apks
}

/// Runs `cmd` `runs` times and keeps the fastest wall time.
fn best_of(runs: u32, mut cmd: impl FnMut() -> Command) -> Result<(Duration, String)> {
    let mut best = Duration::MAX;
    let mut stdout = String::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let out = cmd()
            .stderr(Stdio::null())
            .output()
            .context("cannot start the command")?;
        let took = start.elapsed();
        if !out.status.success() {
            bail!("exited with {}", out.status);
        }
        if took < best {
            best = took;
            stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        }
    }
    Ok((best, stdout))
}

fn parse(args: BenchParseArgs) -> Result<ExitCode> {
    let apks = if args.apks.is_empty() {
        registry_apks()
    } else {
        args.apks.clone()
    };
    if apks.is_empty() {
        bail!(
            "no APK given and none in ~/.cache/leakscope-corpus/registry (run ../shared/corpus/fetch-registry-apks.sh)"
        );
    }
    let mut out = std::io::stdout().lock();
    let me = std::env::current_exe().context("cannot find the leakscope binary")?;
    let androguard = !args.no_androguard && args.androguard_python.exists();
    if !androguard {
        eprintln!(
            "bench: androguard baseline skipped ({})",
            if args.no_androguard {
                "--no-androguard".to_string()
            } else {
                format!("{} not found", args.androguard_python.display())
            }
        );
    }
    let (_, base) = best_of(1, || {
        let mut c = Command::new(&me);
        c.args(["bench", "baseline"]);
        c
    })?;
    let baseline = ParseOneReport::from_stdout(&base).map_or(0, |r| r.peak_bytes);
    writeln!(
        out,
        "{:<48} {:>7} {:>9} {:>9} {:>8} {:>7} {:>9} {:>11} {:>8} {:>8} {:>6} {:>6}",
        "apk",
        "dex_mb",
        "parse",
        "unzip",
        "parse/uz",
        "analyze",
        "analyze/uz",
        "androguard",
        "speedup",
        "peak_mb",
        "mem_x",
        "net_x"
    )?;
    for apk in &apks {
        let name = apk
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (ours, report) = best_of(args.runs, || {
            let mut c = Command::new(&me);
            c.args(["bench", "parse-one"]).arg(apk);
            c
        })
        .with_context(|| format!("leakscope on {name}"))?;
        let stats = ParseOneReport::from_stdout(&report)
            .with_context(|| format!("unexpected parse-one output for {name}: {report}"))?;
        let (analyze, _) = best_of(args.runs, || {
            let mut c = Command::new(&me);
            c.args([
                "analyze",
                "--no-taint",
                "--format",
                "json",
                "-o",
                "/dev/null",
            ])
            .arg(apk);
            c
        })
        .with_context(|| format!("leakscope analyze on {name}"))?;
        let (unzip, _) = best_of(args.runs, || {
            let mut c = Command::new("unzip");
            c.arg("-p")
                .arg(apk)
                .arg("classes*.dex")
                .stdout(Stdio::null());
            c
        })
        .with_context(|| format!("unzip -p on {name}"))?;
        let andro = if androguard {
            let (t, _) = best_of(1, || {
                let mut c = Command::new(&args.androguard_python);
                c.args([
                    "-c",
                    "import sys, logging; logging.disable(50)\n\
                     from loguru import logger; logger.remove()\n\
                     from androguard.misc import AnalyzeAPK; AnalyzeAPK(sys.argv[1])",
                ])
                .arg(apk);
                c
            })
            .with_context(|| format!("androguard on {name}"))?;
            Some(t)
        } else {
            None
        };
        let dex_mb = stats.dex_bytes as f64 / 1e6;
        writeln!(
            out,
            "{:<48} {:>7.1} {:>8.3}s {:>8.3}s {:>7.2}x {:>6.3}s {:>9.2}x {:>11} {:>8} {:>8.1} {:>5.2}x {:>5.2}x",
            truncate(&name, 48),
            dex_mb,
            ours.as_secs_f64(),
            unzip.as_secs_f64(),
            ours.as_secs_f64() / unzip.as_secs_f64(),
            analyze.as_secs_f64(),
            analyze.as_secs_f64() / unzip.as_secs_f64(),
            andro.map_or("-".into(), |t| format!("{:.2}s", t.as_secs_f64())),
            andro.map_or("-".into(), |t| format!(
                "{:.0}x",
                t.as_secs_f64() / ours.as_secs_f64()
            )),
            stats.peak_bytes as f64 / 1e6,
            stats.peak_bytes as f64 / stats.dex_bytes.max(1) as f64,
            stats.peak_bytes.saturating_sub(baseline) as f64 / stats.dex_bytes.max(1) as f64,
        )?;
    }
    writeln!(
        out,
        "columns: parse = full parse, every DEX and instruction (target parse/uz <= 1.5); analyze = `leakscope analyze --no-taint`, the evidence passes (target analyze/uz <= 2; the data-flow analysis is measured by `bench droidbench` and in BENCHMARKS.md); speedup = androguard AnalyzeAPK / parse (target >= 100); mem_x = peak RSS of the parse / uncompressed DEX (target <= 3); net_x = the same less the RSS of an idle leakscope process"
    )?;
    Ok(ExitCode::SUCCESS)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

/// What `leakscope bench parse-one` prints.
pub struct ParseOneReport {
    pub dex_bytes: u64,
    pub peak_bytes: u64,
}

impl ParseOneReport {
    fn from_stdout(s: &str) -> Option<ParseOneReport> {
        let mut dex = None;
        let mut peak = None;
        for word in s.split_whitespace() {
            if let Some(v) = word.strip_prefix("dex_bytes=") {
                dex = v.parse().ok();
            } else if let Some(v) = word.strip_prefix("peak_bytes=") {
                peak = v.parse().ok();
            }
        }
        Some(ParseOneReport {
            dex_bytes: dex?,
            peak_bytes: peak?,
        })
    }
}

/// Peak resident memory of this process (`VmHWM`), in bytes.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
