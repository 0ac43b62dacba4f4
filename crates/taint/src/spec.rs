//! Sources and sinks: which APIs produce personal data and which let it
//! out. Built from leakscope's own catalog ([`Spec::from_catalog`]) or
//! imported from FlowDroid's `SourcesAndSinks.txt` format
//! ([`Spec::from_flowdroid`]), so that benchmarks use the definitions the
//! published results used and users can bring their own lists.

use std::collections::HashMap;

use leakscope_model::{Category, SinkKind};

/// A method, as the DEX spells it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MethodKey {
    /// Class descriptor, `Landroid/util/Log;`.
    pub class: String,
    /// Method name.
    pub name: String,
    /// Prototype `(Ljava/lang/String;)I`; `None` matches any.
    pub proto: Option<String>,
}

/// What a source gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceDef {
    /// Display name of the API.
    pub api: String,
    /// Its data category, when known.
    pub category: Option<Category>,
}

/// What a sink takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SinkDef {
    /// Display name of the API.
    pub api: String,
    /// Its kind.
    pub kind: SinkKind,
}

/// One entry of a source/sink list, before indexing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpecEntry {
    /// A method whose return value is personal data.
    SourceMethod(MethodKey, SourceDef),
    /// A static field that holds personal data.
    SourceField {
        /// Class descriptor.
        class: String,
        /// Field name.
        name: String,
        /// The source.
        def: SourceDef,
    },
    /// A string constant (content URI prefix) that names personal data.
    SourceString {
        /// The prefix, `content://com.android.contacts`.
        prefix: String,
        /// The source.
        def: SourceDef,
    },
    /// A method whose arguments (or receiver) leave the app.
    Sink(MethodKey, SinkDef),
    /// What the user types into a layout's password field (the view
    /// `findViewById` returns for it, and its text).
    PasswordField(SourceDef),
}

/// A role, for one prototype or (`None`) any.
type ProtoRole = (Option<String>, Role);

/// Indexed sources and sinks.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    methods: HashMap<(String, String), Vec<ProtoRole>>,
    fields: HashMap<(String, String), SourceDef>,
    strings: Vec<(String, SourceDef)>,
    password_field: Option<SourceDef>,
}

/// A method's role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// Returns personal data.
    Source(SourceDef),
    /// Lets data out.
    Sink(SinkDef),
}

/// An error in a source/sink list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SpecError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl Spec {
    /// Indexes `entries`.
    pub fn new(entries: impl IntoIterator<Item = SpecEntry>) -> Spec {
        let mut spec = Spec::default();
        for e in entries {
            match e {
                SpecEntry::SourceMethod(k, d) => spec.add_method(k, Role::Source(d)),
                SpecEntry::Sink(k, d) => spec.add_method(k, Role::Sink(d)),
                SpecEntry::SourceField { class, name, def } => {
                    spec.fields.insert((class, name), def);
                }
                SpecEntry::SourceString { prefix, def } => spec.strings.push((prefix, def)),
                SpecEntry::PasswordField(def) => spec.password_field = Some(def),
            }
        }
        spec.strings.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
        spec
    }

    fn add_method(&mut self, k: MethodKey, role: Role) {
        self.methods
            .entry((k.class, k.name))
            .or_default()
            .push((k.proto, role));
    }

    /// Parses FlowDroid's `SourcesAndSinks.txt` format: one
    /// `<pkg.Class: ret name(params)> [permissions] -> _SOURCE_|_SINK_|_BOTH_`
    /// per line; `%` starts a comment. Sinks get a kind from their class
    /// (`network` for `java.net`/`org.apache.http`, `sms`, `log`, `file`,
    /// `ipc` for intents, bundles and contexts). Layout password fields are
    /// sources too, as in FlowDroid's default configuration.
    pub fn from_flowdroid(text: &str) -> Result<Spec, SpecError> {
        let mut entries = vec![SpecEntry::PasswordField(SourceDef {
            api: "<android.widget.EditText (password field): android.text.Editable getText()>"
                .to_string(),
            category: None,
        })];
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('%') || line.starts_with('#') {
                continue;
            }
            let err = |message: &str| SpecError {
                line: i + 1,
                message: format!("{message}: `{line}`"),
            };
            let (sig, role) = line.rsplit_once("->").ok_or_else(|| err("no `->`"))?;
            let role = role.trim();
            let sig = sig.trim();
            let end = sig.find('>').ok_or_else(|| err("no `>`"))?;
            let key = parse_soot_signature(&sig[..=end]).ok_or_else(|| err("bad signature"))?;
            let api = sig[..=end].to_string();
            let source = || {
                SpecEntry::SourceMethod(
                    key.clone(),
                    SourceDef {
                        api: api.clone(),
                        category: None,
                    },
                )
            };
            let sink = || {
                SpecEntry::Sink(
                    key.clone(),
                    SinkDef {
                        api: api.clone(),
                        kind: guess_sink_kind(&key.class),
                    },
                )
            };
            match role {
                "_SOURCE_" => entries.push(source()),
                "_SINK_" => entries.push(sink()),
                "_BOTH_" => {
                    entries.push(source());
                    entries.push(sink());
                }
                _ => return Err(err("role is not _SOURCE_, _SINK_ or _BOTH_")),
            }
        }
        Ok(Spec::new(entries))
    }

    /// The roles of a method, most specific first.
    pub fn method(&self, class: &str, name: &str, proto: &str) -> impl Iterator<Item = &Role> {
        self.methods
            .get(&(class.to_string(), name.to_string()))
            .into_iter()
            .flatten()
            .filter(move |(p, _)| p.as_deref().is_none_or(|p| p == proto))
            .map(|(_, r)| r)
    }

    /// The roles of every method of this class and name, whatever its
    /// prototype (for reflective calls, which name no prototype).
    pub fn method_any_proto(&self, class: &str, name: &str) -> impl Iterator<Item = &Role> {
        self.methods
            .get(&(class.to_string(), name.to_string()))
            .into_iter()
            .flatten()
            .map(|(_, r)| r)
    }

    /// Whether any entry names this class (cheap pre-check).
    pub fn knows_class(&self, class: &str, name: &str) -> bool {
        self.methods
            .contains_key(&(class.to_string(), name.to_string()))
    }

    /// The source of a static field.
    pub fn field(&self, class: &str, name: &str) -> Option<&SourceDef> {
        self.fields.get(&(class.to_string(), name.to_string()))
    }

    /// The source named by a string constant (longest prefix).
    pub fn string(&self, s: &str) -> Option<&SourceDef> {
        self.strings
            .iter()
            .find(|(p, _)| s.starts_with(p.as_str()))
            .map(|(_, d)| d)
    }

    /// The source that layout password fields are, if they are one.
    pub fn password_field(&self) -> Option<&SourceDef> {
        self.password_field.as_ref()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.methods.values().map(Vec::len).sum::<usize>()
            + self.fields.len()
            + self.strings.len()
            + usize::from(self.password_field.is_some())
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn guess_sink_kind(class: &str) -> SinkKind {
    let c = class.trim_start_matches('L');
    if c.starts_with("android/telephony/SmsManager") {
        SinkKind::Sms
    } else if c.starts_with("android/util/Log") {
        SinkKind::Log
    } else if c.starts_with("java/io/") {
        SinkKind::File
    } else if c.starts_with("android/webkit/") {
        SinkKind::Webview
    } else if c.starts_with("android/content/")
        || c.starts_with("android/app/")
        || c.starts_with("android/os/")
    {
        SinkKind::Ipc
    } else {
        SinkKind::Network
    }
}

/// `<java.lang.String: int indexOf(java.lang.String,int)>` → descriptors.
fn parse_soot_signature(sig: &str) -> Option<MethodKey> {
    let inner = sig.strip_prefix('<')?.strip_suffix('>')?;
    let (class, rest) = inner.split_once(": ")?;
    let (ret, rest) = rest.trim().split_once(' ')?;
    let (name, params) = rest.split_once('(')?;
    let params = params.strip_suffix(')')?;
    let mut proto = String::from("(");
    for p in params.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        proto.push_str(&java_to_descriptor(p));
    }
    proto.push(')');
    proto.push_str(&java_to_descriptor(ret));
    Some(MethodKey {
        class: java_to_descriptor(class),
        name: name.to_string(),
        proto: Some(proto),
    })
}

/// `java.lang.String[]` → `[Ljava/lang/String;`.
pub fn java_to_descriptor(t: &str) -> String {
    let mut base = t.trim();
    let mut dims = 0;
    while let Some(b) = base.strip_suffix("[]") {
        base = b;
        dims += 1;
    }
    let prim = match base {
        "void" => Some("V"),
        "boolean" => Some("Z"),
        "byte" => Some("B"),
        "char" => Some("C"),
        "short" => Some("S"),
        "int" => Some("I"),
        "long" => Some("J"),
        "float" => Some("F"),
        "double" => Some("D"),
        _ => None,
    };
    let mut out = "[".repeat(dims);
    match prim {
        Some(p) => out.push_str(p),
        None => {
            out.push('L');
            out.push_str(&base.replace('.', "/"));
            out.push(';');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flowdroid_lines_parse_to_descriptors() {
        let spec = Spec::from_flowdroid(
            "% comment\n<android.telephony.TelephonyManager: java.lang.String getDeviceId()> android.permission.READ_PHONE_STATE -> _SOURCE_\n\
             <android.util.Log: int i(java.lang.String,java.lang.String)> -> _SINK_\n\
             <java.net.URL: java.io.InputStream openStream()> -> _BOTH_\n",
        )
        .unwrap();
        let r: Vec<_> = spec
            .method(
                "Landroid/telephony/TelephonyManager;",
                "getDeviceId",
                "()Ljava/lang/String;",
            )
            .collect();
        assert!(matches!(r.as_slice(), [Role::Source(_)]));
        let r: Vec<_> = spec
            .method(
                "Landroid/util/Log;",
                "i",
                "(Ljava/lang/String;Ljava/lang/String;)I",
            )
            .collect();
        assert!(matches!(
            r.as_slice(),
            [Role::Sink(SinkDef {
                kind: SinkKind::Log,
                ..
            })]
        ));
        assert_eq!(
            spec.method("Ljava/net/URL;", "openStream", "()Ljava/io/InputStream;")
                .count(),
            2
        );
        assert_eq!(spec.method("Landroid/util/Log;", "i", "()V").count(), 0);
        assert!(Spec::from_flowdroid("<a.B: void c()> -> _MAYBE_").is_err());
        assert_eq!(java_to_descriptor("int[][]"), "[[I");
    }
}
