//! Library models: how taint passes through framework and JDK methods that
//! the app calls but does not contain (`data/taint/models.toml`).

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

/// The embedded models file.
pub const MODELS_TOML: &str = include_str!("../../../data/taint/models.toml");

/// A place a value is in, at a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// The receiver (and what it holds).
    This,
    /// The return value.
    Ret,
    /// Argument N (1-based, receiver excluded).
    Arg(u8),
    /// Every argument.
    Args,
}

/// What a library call does to taint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Taint of the first slot flows into the second.
    Flow(Slot, Slot),
    /// The slot no longer holds taint.
    Kill(Slot),
    /// The receiver (a new wrapper: `Formatter(sb)`, `PrintWriter(out)`) is
    /// a view of the object in the slot: what is written to one is in both.
    Wrap(Slot),
    /// The integer result is at least 0 and below the (constant) value in
    /// the slot (`Random.nextInt(n)`), for deciding branches.
    RetBelow(Slot),
    /// The second slot depends on the first without carrying its data (a
    /// comparison, a length, a hash): an implicit flow, followed only when
    /// implicit flows are.
    Depends(Slot, Slot),
}

/// A callback that a library call runs (see the models file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// Name of the method run.
    pub target: String,
    /// Which value of the call is its receiver.
    pub receiver: Slot,
    /// (call slot, callee parameter number, 1-based).
    pub args: Vec<(Slot, u8)>,
}

/// An error in a models file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("taint models: {0}")]
pub struct ModelError(String);

/// The indexed models.
#[derive(Clone, Debug, Default)]
pub struct Models {
    methods: HashMap<(String, String), Vec<Effect>>,
    defaults: Vec<Effect>,
    into_receiver: Vec<Effect>,
    into_receiver_prefixes: Vec<String>,
    not_data: HashSet<String>,
    wrappable: HashSet<String>,
    hierarchy: HashMap<String, Vec<String>>,
    redirects: HashMap<(String, String), Redirect>,
    /// Version of the file.
    pub version: String,
    /// Which methods are framework callbacks.
    pub entry_points: EntryPoints,
}

/// How to recognise framework callbacks (see the models file).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryPoints {
    /// Names starting with this and an upper-case letter.
    pub callback_prefix: String,
    /// Other callback names.
    pub callback_names: Vec<String>,
    /// Component methods whose `Intent` parameters receive ICC data.
    pub intent_receivers: Vec<String>,
}

impl EntryPoints {
    /// Whether a method of this name looks like a framework callback.
    pub fn is_callback(&self, name: &str) -> bool {
        name.strip_prefix(self.callback_prefix.as_str())
            .and_then(|r| r.chars().next())
            .is_some_and(|c| c.is_ascii_uppercase())
            || self.callback_names.iter().any(|n| n == name)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: String,
    defaults: Defaults,
    entry_points: EntryPoints,
    #[serde(default)]
    hierarchy: HashMap<String, Vec<String>>,
    #[serde(default)]
    model: Vec<ModelEntry>,
    #[serde(default)]
    redirect: Vec<RedirectEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    effects: Vec<String>,
    into_receiver: Vec<String>,
    into_receiver_prefixes: Vec<String>,
    not_data: Vec<String>,
    #[serde(default)]
    wrappable: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelEntry {
    class: String,
    methods: Vec<String>,
    effects: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedirectEntry {
    class: String,
    method: String,
    target: String,
    receiver: String,
    args: Vec<String>,
}

fn slot(s: &str) -> Result<Slot, ModelError> {
    match s.trim() {
        "this" => Ok(Slot::This),
        "ret" => Ok(Slot::Ret),
        "args" => Ok(Slot::Args),
        other => other
            .strip_prefix("arg")
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| *n >= 1)
            .map(Slot::Arg)
            .ok_or_else(|| ModelError(format!("unknown slot `{other}`"))),
    }
}

fn effect(s: &str) -> Result<Effect, ModelError> {
    if let Some(rest) = s.trim().strip_prefix("kill ") {
        return Ok(Effect::Kill(slot(rest)?));
    }
    if let Some(rest) = s.trim().strip_prefix("wrap ") {
        return Ok(Effect::Wrap(slot(rest)?));
    }
    if let Some(rest) = s.trim().strip_prefix("ret below ") {
        return Ok(Effect::RetBelow(slot(rest)?));
    }
    if let Some((a, b)) = s.split_once("~>") {
        return Ok(Effect::Depends(slot(a)?, slot(b)?));
    }
    let (a, b) = s.split_once("->").ok_or_else(|| {
        ModelError(format!(
            "effect `{s}` is not `FROM -> TO`, `FROM ~> TO`, `kill SLOT`, `wrap SLOT` or `ret below SLOT`"
        ))
    })?;
    Ok(Effect::Flow(slot(a)?, slot(b)?))
}

fn effects(list: &[String]) -> Result<Vec<Effect>, ModelError> {
    list.iter().map(|e| effect(e)).collect()
}

impl Models {
    /// The embedded models, parsed once per process.
    pub fn embedded() -> &'static Models {
        static EMBEDDED: std::sync::OnceLock<Models> = std::sync::OnceLock::new();
        // The embedded file is tested (`embedded_models_parse`).
        EMBEDDED.get_or_init(|| Models::parse(MODELS_TOML).unwrap_or_default())
    }

    /// Parses a models file.
    pub fn parse(text: &str) -> Result<Models, ModelError> {
        let f: File = toml::from_str(text).map_err(|e| ModelError(e.to_string()))?;
        let mut m = Models {
            defaults: effects(&f.defaults.effects)?,
            into_receiver: effects(&f.defaults.into_receiver)?,
            into_receiver_prefixes: f.defaults.into_receiver_prefixes,
            not_data: f.defaults.not_data.into_iter().collect(),
            wrappable: f.defaults.wrappable.into_iter().collect(),
            hierarchy: f.hierarchy,
            version: f.version,
            entry_points: f.entry_points,
            ..Models::default()
        };
        for e in f.model {
            let eff = effects(&e.effects)?;
            for name in e.methods {
                m.methods.insert((e.class.clone(), name), eff.clone());
            }
        }
        for r in f.redirect {
            let args = r
                .args
                .iter()
                .map(|a| {
                    let (from, to) = a
                        .split_once("->")
                        .ok_or_else(|| ModelError(format!("redirect arg `{a}`")))?;
                    match slot(to)? {
                        Slot::Arg(n) => Ok((slot(from)?, n)),
                        _ => Err(ModelError(format!("redirect arg `{a}` must map to argN"))),
                    }
                })
                .collect::<Result<_, _>>()?;
            m.redirects.insert(
                (r.class, r.method),
                Redirect {
                    target: r.target,
                    receiver: slot(&r.receiver)?,
                    args,
                },
            );
        }
        Ok(m)
    }

    /// `class` and its library supertypes known to the models, nearest first.
    pub fn library_ancestors(&self, class: &str) -> Vec<String> {
        let mut out = vec![class.to_string()];
        let mut i = 0;
        while i < out.len() && out.len() < 64 {
            if let Some(sup) = self.hierarchy.get(&out[i]) {
                for s in sup {
                    if !out.contains(s) {
                        out.push(s.clone());
                    }
                }
            }
            i += 1;
        }
        if !out.iter().any(|c| c == "Ljava/lang/Object;") {
            out.push("Ljava/lang/Object;".into());
        }
        out
    }

    /// The effects of calling `name` on a library class whose ancestors
    /// (from [`Models::library_ancestors`]) are `chain`.
    pub fn effects(&self, chain: &[String], name: &str, is_static: bool) -> Vec<Effect> {
        for c in chain {
            if let Some(e) = self.methods.get(&(c.clone(), name.to_string())) {
                return e.clone();
            }
        }
        let mut out = self.defaults.clone();
        let data_receiver = !chain.iter().any(|c| self.not_data.contains(c));
        if !is_static
            && data_receiver
            && (name == "<init>"
                || self
                    .into_receiver_prefixes
                    .iter()
                    .any(|p| name.starts_with(p.as_str())))
        {
            out.extend(self.into_receiver.iter().copied());
        }
        if !data_receiver {
            out.retain(|e| !matches!(e, Effect::Flow(_, Slot::This)));
        }
        out
    }

    /// Whether a constructor parameter of this declared type is an object a
    /// wrapper writes through (a stream, writer or `Appendable`), not a name
    /// (`String`, `File`).
    pub fn is_wrappable(&self, ty: &str) -> bool {
        self.library_ancestors(ty)
            .iter()
            .any(|c| self.wrappable.contains(c))
    }

    /// The callback a call of `name` on a class with ancestors `chain` runs.
    pub fn redirect(&self, chain: &[String], name: &str) -> Option<&Redirect> {
        chain
            .iter()
            .find_map(|c| self.redirects.get(&(c.clone(), name.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_models_parse() {
        let m = Models::parse(MODELS_TOML).unwrap();
        let chain = m.library_ancestors("Ljava/util/ArrayList;");
        assert!(chain.contains(&"Ljava/util/Collection;".to_string()));
        assert_eq!(
            m.effects(&chain, "clear", false),
            vec![Effect::Kill(Slot::This)]
        );
        let sb = m.library_ancestors("Ljava/lang/StringBuilder;");
        assert!(
            m.effects(&sb, "append", false)
                .contains(&Effect::Flow(Slot::Args, Slot::This))
        );
        // Unknown setter on a data object taints it; on a context it does not.
        let d = m.effects(&["Lfoo/Bar;".into()], "setName", false);
        assert!(d.contains(&Effect::Flow(Slot::Args, Slot::This)));
        let ctx = m.library_ancestors("Landroid/app/Activity;");
        assert!(
            !m.effects(&ctx, "setTitle", false)
                .iter()
                .any(|e| matches!(e, Effect::Flow(_, Slot::This)))
        );
        assert!(
            m.redirect(&m.library_ancestors("Landroid/os/AsyncTask;"), "execute")
                .is_some()
        );
        assert!(m.is_wrappable("Ljava/io/BufferedOutputStream;"));
        assert!(!m.is_wrappable("Ljava/io/File;") && !m.is_wrappable("Ljava/lang/String;"));
        let fmt = m.library_ancestors("Ljava/util/Formatter;");
        assert!(
            m.effects(&fmt, "<init>", false)
                .contains(&Effect::Wrap(Slot::Arg(1)))
        );
        let rnd = m.library_ancestors("Ljava/util/Random;");
        assert_eq!(
            m.effects(&rnd, "nextInt", false),
            vec![Effect::RetBelow(Slot::Arg(1))]
        );
        assert!(Models::parse("version='1'\n[defaults]\neffects=['this => ret']\ninto_receiver=[]\ninto_receiver_prefixes=[]\nnot_data=[]").is_err());
        assert!(m.entry_points.is_callback("onClick") && m.entry_points.is_callback("run"));
        assert!(!m.entry_points.is_callback("once") && !m.entry_points.is_callback("helper"));
    }
}
