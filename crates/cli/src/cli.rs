//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// leakscope finds leakware: apps that collect personal data they do not need
/// and send it off the device. It reads Android apps (APK, split bundles,
/// DEX, unpacked directories) by static analysis, without running them.
#[derive(Parser, Debug)]
#[command(name = "leakscope", version, about, long_about = None)]
#[command(after_help = "Examples:\n  \
    leakscope analyze app.apk\n  \
    leakscope analyze app.apk --format json -o report.json\n  \
    leakscope analyze apps/ -o reports/ --summary reports/summary.jsonl\n  \
    leakscope analyze app.apk --policy strict --fail-on block\n  \
    leakscope analyze app.apk --format html -o report.html\n  \
    leakscope policy check my-policy.rego\n  \
    leakscope bench droidbench corpus/droidbench corpus/droidbench/ground_truth.json\n  \
    leakscope inspect manifest app.apk --json\n  \
    leakscope inspect dex app.apk --methods\n  \
    leakscope inspect files app.xapk\n  \
    leakscope bench parse ~/.cache/leakscope-corpus/registry/*.apk\n  \
    leakscope serve                       (fleet server + dashboard on 127.0.0.1:8080, SQLite)\n  \
    leakscope serve --db postgres://user@host/db --workers 0\n  \
    leakscope worker --db postgres://user@host/db\n  \
    leakscope admin token create --org default --role device --device-id phone-17")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Which personal data an app accesses, which trackers it embeds, and
    /// where it connects, with evidence.
    ///
    /// One app prints one report (text on a terminal, JSON otherwise). Several
    /// apps, or a folder of apps, are analysed in parallel: give -o DIR for
    /// one report per app plus a summary table (summary.csv, or --summary
    /// FILE.jsonl). The exit code is 1 when any app of a batch failed, and 3
    /// when --fail-on is given and an app's policy decision reaches it.
    Analyze(AnalyzeArgs),
    /// Organization policies (Rego): check a policy, run its test fixtures,
    /// list the built-in packs.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Show what leakscope reads from an app: manifest, DEX code, files.
    #[command(subcommand)]
    Inspect(InspectCommand),
    /// Measure leakscope against baselines run on the same inputs.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The fleet server: REST API under /api/v1 (OpenAPI at
    /// /api/openapi.json, rendered at /api/docs), the dashboard at /,
    /// Prometheus metrics at /metrics, and in-process analysis workers.
    ///
    /// Devices' MDMs post inventories; each app is analysed once (by
    /// SHA-256) and every organization's policy decides allow/warn/block.
    /// The first start on an empty database creates organization `default`
    /// and prints its admin token once.
    Serve(leakscope_server::ServeArgs),
    /// A standalone analysis worker for scale-out: takes analysis jobs from
    /// the server's database (use PostgreSQL when workers run on several
    /// machines) and stores the reports.
    Worker(leakscope_server::WorkerArgs),
    /// Manage the fleet server's organizations and tokens on its database.
    Admin(leakscope_server::AdminArgs),
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Parse and type-check a policy (a .rego file or a directory of them);
    /// errors point at file:line:column.
    Check {
        /// The policy.
        path: PathBuf,
        /// Policy data (JSON) to check it with.
        #[arg(long, value_name = "FILE.json")]
        data: Option<PathBuf>,
    },
    /// Run the cases of DIR/policy-tests.toml: each names a report, a policy
    /// and the expected decision (and matched rules). Exit code 1 when a
    /// case fails.
    Test {
        /// Directory holding policy-tests.toml.
        dir: PathBuf,
    },
    /// The built-in policy packs.
    List,
}

#[derive(Subcommand, Debug)]
pub enum InspectCommand {
    /// The typed manifest, label and signers.
    ///
    /// Prints a summary, or with --json one JSON object with `package`,
    /// `version_code`, `version_name`, `min_sdk`, `target_sdk`,
    /// `permissions` (sorted, unique, including uses-permission-sdk-23),
    /// `activities`, `services`, `receivers`, `providers` (fully qualified,
    /// sorted), `label`, `signers` (`{sha256, subject, issuer, schemes}`),
    /// plus the full manifest under `manifest` and the `warnings`.
    Manifest(ManifestArgs),
    /// The app's own DEX code (classes*.dex of every APK; DEX found in
    /// assets is listed by `inspect files`).
    Dex(DexArgs),
    /// The parts of the app: splits, DEX files, dynamically loaded code,
    /// warnings.
    Files(FilesArgs),
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A readable summary (the default on a terminal).
    Text,
    /// The full report, following schema/report.schema.json.
    Json,
    /// SARIF 2.1.0, for code-scanning tools (one run per app).
    Sarif,
    /// A self-contained HTML page for a person: verdict and reasons first.
    Html,
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Apps (.apk, .xapk/.apks/.apkm, .dex, unpacked directories) or folders
    /// of apps.
    #[arg(required = true)]
    pub apps: Vec<PathBuf>,
    /// Output format [default: text on a terminal, json otherwise].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to PATH (a directory for several apps).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Summary table of a batch: CSV, or JSON Lines when it ends in .jsonl
    /// [default: OUTPUT/summary.csv].
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Knowledge base directory overriding the built-in data files (any file
    /// missing there falls back to the built-in one).
    #[arg(long, value_name = "DIR", env = "LEAKSCOPE_KB")]
    pub kb: Option<PathBuf>,
    /// MaxMind-format database (e.g. DB-IP Lite country) for the country of
    /// IP addresses.
    #[arg(long, value_name = "FILE.mmdb", env = "LEAKSCOPE_GEOIP")]
    pub geoip: Option<PathBuf>,
    /// Resolve host names (DNS) to find their IP's country with --geoip.
    #[arg(long)]
    pub resolve: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Skip the data-flow (taint) analysis: faster, but no flows, and
    /// `transmitted` then rests on tracker SDKs only.
    #[arg(long)]
    pub no_taint: bool,
    /// Also report implicit flows (a branch on personal data decides what
    /// reaches a sink), with low confidence; they do not make a category
    /// `transmitted`. Slower on large apps (2–3×).
    #[arg(long, conflicts_with = "no_taint")]
    pub implicit_flows: bool,
    /// Sources and sinks of the data-flow analysis from a list in
    /// FlowDroid's `SourcesAndSinks.txt` format instead of leakscope's
    /// catalog (one `<class: ret name(params)> -> _SOURCE_|_SINK_|_BOTH_`
    /// per line). Its sources have no data category: their flows are
    /// reported but mark no category `transmitted`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_taint")]
    pub sources_sinks: Option<PathBuf>,
    /// Budget of the data-flow analysis per app: seconds, optionally
    /// followed by a work limit in millions of instruction steps
    /// (`60` or `60,200`). When it is hit the report is marked partial and
    /// says what was not covered.
    #[arg(long, value_name = "SECS[,MSTEPS]", default_value = "60,200")]
    pub taint_budget: TaintBudget,
    /// The kind of app (`flashlight`, `messenger`, ...) that `necessary` is
    /// judged against [default: inferred from the manifest].
    #[arg(long, value_name = "KIND")]
    pub app_kind: Option<String>,
    /// What the publisher declares: Google Play Data safety answers, as the
    /// JSON of docs/declarations.md or the CSV that Play Console exports.
    #[arg(long, value_name = "FILE")]
    pub declared: Option<PathBuf>,
    /// The organization's policy: a built-in pack (`baseline`, `strict`,
    /// `developer`; see `leakscope policy list`), a .rego file, or a
    /// directory of them. Its decision (allow/warn/block) goes in the report.
    #[arg(long, value_name = "PACK|FILE")]
    pub policy: Option<String>,
    /// Data for the policy (JSON object), e.g. allow-lists of countries and
    /// owners, merged over the pack's defaults.
    #[arg(long, value_name = "FILE.json", requires = "policy")]
    pub policy_data: Option<PathBuf>,
    /// Accepted findings (TOML `[[suppress]]` entries with rule, optional
    /// category and sdk, and a reason): matching policy rules no longer
    /// count, and are listed as suppressed.
    #[arg(long, value_name = "FILE.toml", requires = "policy")]
    pub suppressions: Option<PathBuf>,
    /// Exit with code 3 when an app's policy decision is at least this.
    #[arg(long, value_enum, requires = "policy")]
    pub fail_on: Option<FailOn>,
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Warn or block.
    Warn,
    /// Block only.
    Block,
}

/// `--taint-budget`: seconds and millions of steps (the same type as
/// `leakscope serve --taint-budget`).
pub use leakscope_server::args::TaintBudget;

#[derive(Args, Debug)]
pub struct ManifestArgs {
    /// The app: .apk, .xapk/.apks/.apkm, .dex or an unpacked directory.
    pub app: PathBuf,
    /// Print JSON instead of a summary.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["methods", "opcodes", "classes"]))]
pub struct DexArgs {
    /// The app: .apk, .xapk/.apks/.apkm, .dex or an unpacked directory.
    pub app: PathBuf,
    /// One line per method with code, sorted:
    /// `Lpkg/Class;->name(Params)Ret registers=R insns=N` (N in 16-bit units).
    #[arg(long)]
    pub methods: bool,
    /// `mnemonic count` lines, sorted by mnemonic, counting every
    /// instruction of a linear decode of all code (payload tables excluded),
    /// spelled as AOSP dexdump spells them.
    #[arg(long)]
    pub opcodes: bool,
    /// One line per class definition, sorted: `Lpkg/Class; dex=ORIGIN`.
    #[arg(long)]
    pub classes: bool,
}

#[derive(Args, Debug)]
pub struct FilesArgs {
    /// The app: .apk, .xapk/.apks/.apkm, .dex or an unpacked directory.
    pub app: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Full parse (every DEX, every instruction decoded) against
    /// `unzip -p APK 'classes*.dex'` and androguard's AnalyzeAPK, measured in
    /// the same run; prints the ratios.
    Parse(BenchParseArgs),
    /// Taint accuracy on DroidBench or ICC-Bench: runs every app under DIR,
    /// compares the (source statement, sink statement) pairs found with the
    /// ground truth's expected leak counts, and prints one line per category
    /// and a final `precision=P recall=R f1=F apps=N time_s=T max_rss_mb=M`.
    ///
    /// Per app, found = distinct (source, sink) statement pairs; TP =
    /// min(found, expected), FP = max(0, found - expected), FN = max(0,
    /// expected - found), summed over the apps.
    Droidbench(BenchDroidbenchArgs),
    /// Load on a running fleet server (`leakscope serve`): simulated devices
    /// submit inventories of already-analysed apps for a fixed time; prints
    /// submissions/s and latency percentiles next to the targets (1,000/s,
    /// p99 < 50 ms). `scripts/bench-server.sh` runs it on SQLite and PostgreSQL.
    Inventory(BenchInventoryArgs),
    /// Internal: print this process's peak memory having done nothing, the
    /// baseline that `bench parse` subtracts for its net memory column.
    #[command(hide = true)]
    Baseline,
    /// Internal: fully parse one app and print `dex_bytes=N peak_bytes=N
    /// instructions=N` (used by `bench parse` to measure in a child process).
    #[command(hide = true)]
    ParseOne {
        /// The app.
        app: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct BenchDroidbenchArgs {
    /// Directory of the benchmark's APKs (searched recursively).
    pub dir: PathBuf,
    /// Ground truth JSON: `{"Category/App.apk": {"expected_leaks": N,
    /// "category": "...", "count_disputed": bool}, ...}`.
    pub ground_truth: PathBuf,
    /// Sources and sinks in FlowDroid's `SourcesAndSinks.txt` format
    /// [default: leakscope's own catalog].
    #[arg(long, value_name = "FILE")]
    pub sources_sinks: Option<PathBuf>,
    /// Write per-app results (found flows, counts) as JSON here.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Leave out apps whose count is disputed (`count_disputed`).
    #[arg(long)]
    pub no_disputed: bool,
    /// Time budget per app, in seconds.
    #[arg(long, default_value_t = 60)]
    pub budget_s: u64,
}

#[derive(Args, Debug)]
pub struct BenchInventoryArgs {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// A token of the organization (admin or analyst; `leakscope admin`).
    #[arg(long, env = "LEAKSCOPE_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Upload these apps (files or folders) first and wait for their analysis.
    #[arg(long, value_name = "PATH")]
    pub upload: Vec<PathBuf>,
    /// Apps per inventory (the organization's analysed apps, repeated if
    /// there are fewer).
    #[arg(long, default_value_t = 200)]
    pub apps: usize,
    /// Distinct simulated devices.
    #[arg(long, default_value_t = 2000)]
    pub devices: usize,
    /// Concurrent connections (each waits for its answer before the next
    /// submission, as a device does).
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Length of the timed part, in seconds.
    #[arg(long, default_value_t = 15)]
    pub duration_s: u64,
    /// How long to wait for uploaded apps to be analysed, in seconds.
    #[arg(long, default_value_t = 600)]
    pub wait_s: u64,
}

#[derive(Args, Debug)]
pub struct BenchParseArgs {
    /// APKs to measure (default: the registry APKs of the corpus cache).
    pub apks: Vec<PathBuf>,
    /// Python interpreter with androguard 4.1.4 installed; the androguard
    /// baseline is skipped when it is missing.
    #[arg(
        long,
        env = "LEAKSCOPE_ANDROGUARD_PYTHON",
        default_value = ".venv/bin/python"
    )]
    pub androguard_python: PathBuf,
    /// Repetitions per tool (the best time is kept).
    #[arg(long, default_value_t = 3)]
    pub runs: u32,
    /// Skip the androguard baseline (it takes minutes on large APKs).
    #[arg(long)]
    pub no_androguard: bool,
}
