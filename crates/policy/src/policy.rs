//! A loaded policy and its evaluation.

use std::cmp::Reverse;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use leakscope_model::{Category, Decision, PolicyDecision, RuleMatch};
use regorus::Engine;
use regorus::utils::limits::ExecutionTimerConfig;
use serde_json::Value;

use crate::data::{merge, require_object};
use crate::error::{Diagnostic, PolicyError, level_name};
use crate::pack;

/// The Rego package policies define their rules in.
pub const PACKAGE: &str = "leakscope";

/// Default wall-clock limit of one evaluation.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(5);

/// Time limit of the evaluation on an empty report done at load time.
pub const WARM_UP_TIME_LIMIT: Duration = Duration::from_secs(1);

/// At most this many matches per evaluation; more is an error.
pub const MAX_MATCHES: usize = 10_000;

/// At most this many `.rego` files in a policy directory.
pub const MAX_FILES: usize = 1_000;

/// How deep a policy directory is searched.
const MAX_DEPTH: usize = 8;

/// A policy, parsed and ready to evaluate reports.
///
/// Cloning is cheap (the parsed modules are shared); `evaluate` takes
/// `&self`, so one policy can serve many threads.
#[derive(Clone, Debug)]
pub struct Policy {
    name: String,
    engine: Engine,
    has_block: bool,
    has_warn: bool,
    time_limit: Duration,
}

/// Rego sources: `(file name, text)`.
type Sources = Vec<(String, String)>;

impl Policy {
    /// A built-in pack (`baseline`, `strict`, `developer`), with its default
    /// data under the user's `data` (a JSON object, `data.config`).
    pub fn pack(name: &str, data: Option<Value>) -> Result<Policy, PolicyError> {
        let pack = pack::find(name).ok_or_else(|| PolicyError::UnknownPack(name.to_string()))?;
        let mut config = Value::Object(serde_json::Map::new());
        for (file, text) in pack.defaults {
            merge(&mut config, crate::data::parse_data(file, text)?);
        }
        if let Some(user) = data {
            merge(&mut config, require_object("policy data", user)?);
        }
        let sources = pack
            .files
            .iter()
            .map(|(f, t)| ((*f).to_string(), (*t).to_string()))
            .collect();
        Policy::build(name.to_string(), sources, config)
    }

    /// A policy from a `.rego` file or a directory of them (searched
    /// recursively, in name order), with the user's `data`.
    pub fn from_file(path: &Path, data: Option<Value>) -> Result<Policy, PolicyError> {
        let sources = read_sources(path)?;
        let config = match data {
            Some(d) => require_object("policy data", d)?,
            None => Value::Object(serde_json::Map::new()),
        };
        Policy::build(path.display().to_string(), sources, config)
    }

    /// A pack name, else a path (a pack name wins over a file of the same
    /// name: write `./baseline` for the file).
    pub fn load(spec: &str, data: Option<Value>) -> Result<Policy, PolicyError> {
        if pack::find(spec).is_some() {
            return Policy::pack(spec, data);
        }
        let path = Path::new(spec);
        if path.exists() {
            Policy::from_file(path, data)
        } else {
            Err(PolicyError::UnknownPack(spec.to_string()))
        }
    }

    /// Policy source text, for callers that hold it in memory; `name` names
    /// it in errors and in the decision.
    pub fn from_source(name: &str, rego: &str, data: Option<Value>) -> Result<Policy, PolicyError> {
        let config = match data {
            Some(d) => require_object("policy data", d)?,
            None => Value::Object(serde_json::Map::new()),
        };
        Policy::build(
            name.to_string(),
            vec![(name.to_string(), rego.to_string())],
            config,
        )
    }

    fn build(name: String, sources: Sources, config: Value) -> Result<Policy, PolicyError> {
        let mut engine = Engine::new();
        let mut has_block = false;
        let mut has_warn = false;
        for (file, text) in sources {
            let package = engine.add_policy(file.clone(), text).map_err(|e| {
                PolicyError::Invalid(Diagnostic::from_regorus(&e.to_string(), &file))
            })?;
            if package == format!("data.{PACKAGE}") {
                has_block |= declares(&engine, &file, "block")?;
                has_warn |= declares(&engine, &file, "warn")?;
            }
        }
        if !has_block && !has_warn {
            return Err(PolicyError::NoDecisionRules(name));
        }
        let data = serde_json::json!({ "config": config });
        engine
            .add_data(regorus::Value::from(data))
            .map_err(|e| PolicyError::BadData(Diagnostic::new("policy data", e.to_string())))?;
        let mut policy = Policy {
            name,
            engine,
            has_block,
            has_warn,
            time_limit: DEFAULT_TIME_LIMIT,
        };
        policy.set_timer();
        // Compile once now, so that errors show at load time and clones
        // start from a prepared engine.
        policy.warm_up()?;
        Ok(policy)
    }

    /// Replaces the wall-clock limit of one evaluation (default
    /// [`DEFAULT_TIME_LIMIT`]).
    pub fn with_time_limit(mut self, limit: Duration) -> Policy {
        self.time_limit = limit;
        self.set_timer();
        self
    }

    fn set_timer(&mut self) {
        set_limit(&mut self.engine, self.time_limit);
    }

    fn warm_up(&mut self) -> Result<(), PolicyError> {
        let mut engine = self.engine.clone();
        let limit = WARM_UP_TIME_LIMIT.min(self.time_limit);
        set_limit(&mut engine, limit);
        self.run(&mut engine, serde_json::json!({}), limit)?;
        // Keep the prepared engine, minus the warm-up input and limit.
        engine.set_input(regorus::Value::new_object());
        self.engine = engine;
        self.set_timer();
        Ok(())
    }

    /// The policy's name: the pack name or the path it was read from.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the policy defines `block` and `warn` rules.
    pub fn defines(&self) -> (bool, bool) {
        (self.has_block, self.has_warn)
    }

    /// Evaluates a report (`serde_json::to_value(&Report)`).
    ///
    /// `matched` is sorted: blocks first, then by rule, category, SDK and
    /// message; `suppressed` is empty (see [`crate::Suppressions::apply`]).
    pub fn evaluate(&self, report: &Value) -> Result<PolicyDecision, PolicyError> {
        if !report.is_object() {
            return Err(PolicyError::BadReport);
        }
        let mut engine = self.engine.clone();
        let matched = self.run(&mut engine, report.clone(), self.time_limit)?;
        Ok(PolicyDecision {
            policy: self.name.clone(),
            decision: decide(&matched),
            matched,
            suppressed: Vec::new(),
        })
    }

    fn run(
        &self,
        engine: &mut Engine,
        input: Value,
        limit: Duration,
    ) -> Result<Vec<RuleMatch>, PolicyError> {
        engine.set_input(regorus::Value::from(input));
        let mut matched = Vec::new();
        for (defined, level) in [
            (self.has_block, Decision::Block),
            (self.has_warn, Decision::Warn),
        ] {
            if !defined {
                continue;
            }
            let rule = format!("data.{PACKAGE}.{}", level_name(level));
            let value = engine
                .eval_rule(rule)
                .map_err(|e| self.eval_error(&e, limit))?;
            let value = serde_json::to_value(&value).map_err(|e| PolicyError::BadMatch {
                policy: self.name.clone(),
                level: level_name(level),
                detail: format!("cannot be read: {e}"),
            })?;
            self.collect(level, value, &mut matched)?;
        }
        matched.sort_by(|a, b| {
            (Reverse(a.level), &a.rule, &a.category, &a.sdk, &a.message).cmp(&(
                Reverse(b.level),
                &b.rule,
                &b.category,
                &b.sdk,
                &b.message,
            ))
        });
        matched.dedup();
        Ok(matched)
    }

    fn eval_error(&self, e: &dyn std::fmt::Display, limit: Duration) -> PolicyError {
        let text = e.to_string();
        if text.contains("exceeded time limit") {
            return PolicyError::TimeLimit {
                policy: self.name.clone(),
                limit_ms: limit.as_millis(),
            };
        }
        PolicyError::Evaluation(Diagnostic::from_regorus(&text, &self.name))
    }

    /// Turns the value of `block` or `warn` (a set, serialized as an array)
    /// into rule matches.
    fn collect(
        &self,
        level: Decision,
        value: Value,
        out: &mut Vec<RuleMatch>,
    ) -> Result<(), PolicyError> {
        let bad = |detail: String| PolicyError::BadMatch {
            policy: self.name.clone(),
            level: level_name(level),
            detail,
        };
        let items = match value {
            Value::Array(items) => items,
            // An undefined partial set: no match.
            Value::Null => return Ok(()),
            Value::Object(ref o) if o.is_empty() => return Ok(()),
            other => {
                return Err(bad(format!(
                    "must be a set of objects (`{} contains m if ...`), not {}",
                    level_name(level),
                    short(&other)
                )));
            }
        };
        if out.len().saturating_add(items.len()) > MAX_MATCHES {
            return Err(bad(format!(
                "produced more than {MAX_MATCHES} matches ({})",
                items.len()
            )));
        }
        for item in items {
            out.push(to_match(level, &item).map_err(bad)?);
        }
        Ok(())
    }
}

/// One match object → a [`RuleMatch`].
fn to_match(level: Decision, item: &Value) -> Result<RuleMatch, String> {
    let Value::Object(o) = item else {
        return Err(format!(
            "contains {}, not an object {{\"rule\", \"message\", ...}}",
            short(item)
        ));
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "match {}: `{key}` must be a string, not {}",
                short(item),
                short(other)
            )),
        }
    };
    let rule = text("rule")?
        .filter(|r| !r.is_empty())
        .ok_or_else(|| format!("match {} has no `rule`", short(item)))?;
    let message =
        text("message")?.ok_or_else(|| format!("match {} has no `message`", short(item)))?;
    let category = match text("category")? {
        None => None,
        Some(c) => Some(
            Category::from_id(&c)
                .ok_or_else(|| format!("match of rule `{rule}`: `{c}` is not a category id"))?,
        ),
    };
    Ok(RuleMatch {
        rule,
        level,
        message,
        category,
        sdk: text("sdk")?,
        suppression_reason: None,
    })
}

/// A value shortened for messages.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let head: String = s.chars().take(77).collect();
        format!("{head}...")
    } else {
        s
    }
}

/// Block if any block matched, else warn if any warn matched, else allow.
pub(crate) fn decide(matched: &[RuleMatch]) -> Decision {
    matched
        .iter()
        .map(|m| m.level)
        .max()
        .unwrap_or(Decision::Allow)
}

fn set_limit(engine: &mut Engine, limit: Duration) {
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit,
        check_interval: NonZeroU32::MIN,
    });
}

/// Whether `file` declares rule `name` (at its package root).
fn declares(engine: &Engine, file: &str, name: &str) -> Result<bool, PolicyError> {
    engine
        .has_declared_rule_rooted_at(file, name)
        .map_err(|e| PolicyError::Invalid(Diagnostic::from_regorus(&e.to_string(), file)))
}

/// The `.rego` sources of a file, or of a directory (recursively, sorted).
pub(crate) fn read_sources(path: &Path) -> Result<Sources, PolicyError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| PolicyError::Io { path: p, source }
    };
    let meta = std::fs::metadata(path).map_err(io(path))?;
    let files = if meta.is_dir() {
        let mut files = Vec::new();
        collect_rego(path, 0, &mut files)?;
        files.sort();
        if files.is_empty() {
            return Err(PolicyError::NoPolicyFiles(path.to_path_buf()));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).map_err(io(&f))?;
            Ok((f.display().to_string(), text))
        })
        .collect()
}

fn collect_rego(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), PolicyError> {
    let io = |source| PolicyError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() && depth < MAX_DEPTH {
            collect_rego(&path, depth.saturating_add(1), out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rego") {
            if out.len() >= MAX_FILES {
                return Err(PolicyError::Invalid(Diagnostic::new(
                    dir.display().to_string(),
                    format!("more than {MAX_FILES} .rego files"),
                )));
            }
            out.push(path);
        }
    }
    Ok(())
}
