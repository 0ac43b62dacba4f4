//! The expectations table of app kinds (`app_kinds.toml`) and the
//! inference of an app's kind from its manifest, label and package.

use std::collections::BTreeSet;

use leakscope_axml::{ComponentKind, Manifest};
use leakscope_model::{AppKind, Category, Report};
use serde::Deserialize;

use crate::data::{self, Meta};
use crate::error::AssessError;
use crate::scoring::InferenceWeights;

/// The kind id used when no kind fits.
pub const UNKNOWN_KIND: &str = "unknown";

/// Whether an app of some kind needs a category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Apps of the kind need it.
    Needed,
    /// Some apps of the kind legitimately use it.
    MayNeed,
    /// Apps of the kind do not need it.
    NotNeeded,
}

/// One row of the expectations table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindSpec {
    /// Kind id (`flashlight`).
    pub id: String,
    /// Human title.
    pub title: String,
    /// Categories the kind needs.
    pub needs: BTreeSet<Category>,
    /// Categories some apps of the kind use.
    pub may_need: BTreeSet<Category>,
    /// Inference signal: `<uses-feature>` names.
    pub features: Vec<String>,
    /// Inference signal: intent-filter actions.
    pub actions: Vec<String>,
    /// Inference signal: intent-filter categories.
    pub intent_categories: Vec<String>,
    /// Inference signal: `android:permission` of a component.
    pub bind_permissions: Vec<String>,
    /// Inference signal: words of the label or package name.
    pub keywords: Vec<String>,
}

impl KindSpec {
    /// Whether the kind needs `category`.
    pub fn need(&self, category: Category) -> Need {
        if self.needs.contains(&category) {
            Need::Needed
        } else if self.may_need.contains(&category) {
            Need::MayNeed
        } else {
            Need::NotNeeded
        }
    }
}

/// The loaded expectations table.
#[derive(Clone, Debug)]
pub struct KindTable {
    kinds: Vec<KindSpec>,
    /// The file's header.
    pub meta: Meta,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    schema_version: i64,
    meta: Meta,
    kind: Vec<RawKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    id: String,
    title: String,
    needs: Vec<String>,
    may_need: Vec<String>,
    #[serde(default)]
    features: Vec<String>,
    #[serde(default)]
    actions: Vec<String>,
    #[serde(default)]
    intent_categories: Vec<String>,
    #[serde(default)]
    bind_permissions: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
}

impl KindTable {
    /// Parses and validates `app_kinds.toml`.
    pub(crate) fn load(label: &str, text: &str) -> Result<KindTable, AssessError> {
        let raw: RawFile = data::from_toml(label, text)?;
        data::check_header(label, raw.schema_version, &raw.meta)?;
        let mut kinds: Vec<KindSpec> = Vec::with_capacity(raw.kind.len());
        for k in raw.kind {
            let entry = format!("[[kind]] `{}`", k.id);
            let valid_id = !k.id.is_empty()
                && k.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid_id || k.id == UNKNOWN_KIND {
                return Err(AssessError::data(
                    label,
                    format_args!("{entry}: the id must be snake_case and not `{UNKNOWN_KIND}`"),
                ));
            }
            if kinds.iter().any(|other| other.id == k.id) {
                return Err(AssessError::data(label, format_args!("duplicate {entry}")));
            }
            let categories = |list: &[String]| -> Result<BTreeSet<Category>, AssessError> {
                list.iter()
                    .map(|id| {
                        Category::from_id(id).ok_or_else(|| {
                            AssessError::data(
                                label,
                                format_args!("{entry}: unknown category `{id}`"),
                            )
                        })
                    })
                    .collect()
            };
            let needs = categories(&k.needs)?;
            let may_need = categories(&k.may_need)?;
            if let Some(both) = needs.intersection(&may_need).next() {
                return Err(AssessError::data(
                    label,
                    format_args!("{entry}: `{both}` is in both needs and may_need"),
                ));
            }
            let signals = [
                &k.features,
                &k.actions,
                &k.intent_categories,
                &k.bind_permissions,
                &k.keywords,
            ];
            if signals
                .iter()
                .flat_map(|s| s.iter())
                .any(|s| s.trim().is_empty())
            {
                return Err(AssessError::data(
                    label,
                    format_args!("{entry}: empty signal"),
                ));
            }
            if let Some(kw) = k
                .keywords
                .iter()
                .find(|w| w.to_lowercase() != **w || w.trim_start_matches('=').is_empty())
            {
                return Err(AssessError::data(
                    label,
                    format_args!("{entry}: keyword `{kw}` is not lower case"),
                ));
            }
            kinds.push(KindSpec {
                id: k.id,
                title: k.title,
                needs,
                may_need,
                features: k.features,
                actions: k.actions,
                intent_categories: k.intent_categories,
                bind_permissions: k.bind_permissions,
                keywords: k.keywords,
            });
        }
        if kinds.is_empty() {
            return Err(AssessError::data(label, "no [[kind]]"));
        }
        Ok(KindTable {
            kinds,
            meta: raw.meta,
        })
    }

    /// The kind with this id.
    pub fn get(&self, id: &str) -> Option<&KindSpec> {
        self.kinds.iter().find(|k| k.id == id)
    }

    /// Every kind, in table order.
    pub fn iter(&self) -> impl Iterator<Item = &KindSpec> {
        self.kinds.iter()
    }

    /// Infers the kind of an app: the kind whose signals score highest
    /// (ties go to the earlier row), or `unknown` below `min_score`.
    pub fn infer(
        &self,
        report: &Report,
        manifest: Option<&Manifest>,
        weights: &InferenceWeights,
    ) -> AppKind {
        let facts = Facts::gather(report, manifest);
        let mut best: Option<(u32, &KindSpec, Vec<String>)> = None;
        for kind in &self.kinds {
            let (score, signals) = facts.score(kind, weights);
            if score > best.as_ref().map_or(0, |(s, _, _)| *s) {
                best = Some((score, kind, signals));
            }
        }
        match best {
            Some((score, kind, signals)) if score >= weights.min_score => AppKind {
                kind: kind.id.clone(),
                source: "inferred".into(),
                reason: Some(format!("{} (score {score})", signals.join("; "))),
            },
            Some((score, kind, signals)) => AppKind {
                kind: UNKNOWN_KIND.into(),
                source: "unknown".into(),
                reason: Some(format!(
                    "signals too weak: best was {} with {} (score {score} < {})",
                    kind.id,
                    signals.join("; "),
                    weights.min_score
                )),
            },
            None => AppKind {
                kind: UNKNOWN_KIND.into(),
                source: "unknown".into(),
                reason: Some(
                    "no signal of any known kind in the manifest, label or package".into(),
                ),
            },
        }
    }
}

/// What inference looks at, gathered once per app.
struct Facts {
    features: BTreeSet<String>,
    actions: BTreeSet<String>,
    intent_categories: BTreeSet<String>,
    bind_permissions: BTreeSet<String>,
    label: Option<String>,
    label_tokens: Vec<String>,
    package_tokens: Vec<String>,
}

/// Lower-case alphanumeric words of `s`.
fn tokens(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether keyword `kw` is in `tokens` (or, for a multi-word keyword, in
/// `text`): a token equal to it, or containing it when it has at least
/// four letters (`superflashlight`) and is not written `=word`.
fn keyword_matches(kw: &str, tokens: &[String], text: Option<&str>) -> bool {
    if kw.contains(' ') {
        return text.is_some_and(|t| t.to_lowercase().contains(kw.trim_start_matches('=')));
    }
    if let Some(word) = kw.strip_prefix('=') {
        return tokens.iter().any(|t| t == word);
    }
    tokens
        .iter()
        .any(|t| t == kw || (kw.chars().count() >= 4 && t.contains(kw)))
}

impl Facts {
    fn gather(report: &Report, manifest: Option<&Manifest>) -> Facts {
        let mut facts = Facts {
            features: BTreeSet::new(),
            actions: BTreeSet::new(),
            intent_categories: BTreeSet::new(),
            bind_permissions: BTreeSet::new(),
            label: None,
            label_tokens: Vec::new(),
            package_tokens: Vec::new(),
        };
        let manifest_label = manifest
            .and_then(|m| m.application.as_ref())
            .and_then(|a| a.label.as_ref())
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        facts.label = report.app.label.clone().or(manifest_label);
        if let Some(l) = &facts.label {
            facts.label_tokens = tokens(l);
        }
        let package = report
            .app
            .package
            .as_deref()
            .or_else(|| manifest.and_then(|m| m.package.as_deref()));
        if let Some(p) = package {
            facts.package_tokens = tokens(p);
        }
        if let Some(m) = manifest {
            facts.features = m
                .uses_features
                .iter()
                .filter_map(|f| f.name.clone())
                .collect();
            for c in m.components() {
                if let Some(p) = &c.permission {
                    facts.bind_permissions.insert(p.clone());
                }
                // Launcher-style categories (HOME, APP_*) only mean something
                // on activities; on a receiver they are copy-paste noise.
                let activity = matches!(
                    c.kind,
                    ComponentKind::Activity | ComponentKind::ActivityAlias
                );
                for f in &c.intent_filters {
                    facts.actions.extend(f.actions.iter().cloned());
                    if activity {
                        facts.intent_categories.extend(f.categories.iter().cloned());
                    }
                }
            }
        }
        facts
    }

    fn score(&self, kind: &KindSpec, w: &InferenceWeights) -> (u32, Vec<String>) {
        let mut score = 0u32;
        let mut signals = Vec::new();
        let mut add = |points: u32, signal: String| {
            score = score.saturating_add(points);
            signals.push(signal);
        };
        for f in kind.features.iter().filter(|f| self.features.contains(*f)) {
            add(w.feature, format!("uses-feature {f}"));
        }
        for a in kind.actions.iter().filter(|a| self.actions.contains(*a)) {
            add(w.action, format!("intent action {a}"));
        }
        for c in kind
            .intent_categories
            .iter()
            .filter(|c| self.intent_categories.contains(*c))
        {
            add(w.intent_category, format!("intent category {c}"));
        }
        for p in kind
            .bind_permissions
            .iter()
            .filter(|p| self.bind_permissions.contains(*p))
        {
            add(w.bind_permission, format!("component permission {p}"));
        }
        for kw in &kind.keywords {
            if keyword_matches(kw, &self.label_tokens, self.label.as_deref()) {
                add(
                    w.keyword_label,
                    format!(
                        "label {:?} has keyword {kw:?}",
                        self.label.as_deref().unwrap_or_default()
                    ),
                );
            }
            if keyword_matches(kw, &self.package_tokens, None) {
                add(
                    w.keyword_package,
                    format!("package name has keyword {kw:?}"),
                );
            }
        }
        (score, signals)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn manifest(xml: &str) -> Manifest {
        let doc = leakscope_axml::parse_text_xml(xml).unwrap();
        Manifest::from_element(&doc.root).0
    }

    fn infer(xml: &str, label: Option<&str>) -> AppKind {
        let t = KindTable::load("app_kinds.toml", crate::data::APP_KINDS.embedded).unwrap();
        let s =
            crate::scoring::Scoring::load("scoring.toml", crate::data::SCORING.embedded).unwrap();
        let mut r = Report::default();
        r.app.label = label.map(str::to_owned);
        let m = manifest(xml);
        r.app.package = m.package.clone();
        t.infer(&r, Some(&m), &s.inference)
    }

    const NS: &str = "xmlns:android=\"http://schemas.android.com/apk/res/android\"";

    #[test]
    fn infers_from_intent_filters_and_features() {
        let sms = format!(
            "<manifest {NS} package=\"org.example.texts\"><application>\
             <receiver android:name=\".In\" android:permission=\"android.permission.BROADCAST_SMS\">\
             <intent-filter><action android:name=\"android.provider.Telephony.SMS_DELIVER\"/></intent-filter></receiver>\
             </application></manifest>"
        );
        let k = infer(&sms, Some("Texts"));
        assert_eq!((k.kind.as_str(), k.source.as_str()), ("sms", "inferred"));
        assert!(k.reason.unwrap().contains("SMS_DELIVER"));

        let ime = format!(
            "<manifest {NS} package=\"org.example.kb\"><application>\
             <service android:name=\".Ime\" android:permission=\"android.permission.BIND_INPUT_METHOD\">\
             <intent-filter><action android:name=\"android.view.InputMethod\"/></intent-filter></service>\
             </application></manifest>"
        );
        assert_eq!(infer(&ime, None).kind, "keyboard");

        let torch = format!(
            "<manifest {NS} package=\"org.example.light\"><uses-feature android:name=\"android.hardware.camera.flash\"/>\
             <application/></manifest>"
        );
        // A feature alone is too weak; with the label it is enough.
        assert_eq!(infer(&torch, None).kind, "unknown");
        assert_eq!(infer(&torch, Some("Torch")).kind, "flashlight");
    }

    #[test]
    fn labels_pick_kinds_and_ties_go_to_the_earlier_row() {
        let xml = format!("<manifest {NS} package=\"com.example.app\"><application/></manifest>");
        assert_eq!(infer(&xml, Some("InsecureShop")).kind, "shopping");
        assert_eq!(infer(&xml, Some("InsecureBankv2")).kind, "finance");
        // `photoshop` (gallery) and `shop` (shopping) both match: gallery
        // comes first in the table.
        assert_eq!(infer(&xml, Some("Photoshop Express")).kind, "gallery");
        let k = infer(&xml, Some("Hello"));
        assert_eq!((k.kind.as_str(), k.source.as_str()), ("unknown", "unknown"));
    }

    #[test]
    fn home_on_a_receiver_is_not_a_launcher() {
        let xml = format!(
            "<manifest {NS} package=\"a2dp.Vol\"><application>\
             <receiver android:name=\".Starter\"><intent-filter>\
             <action android:name=\"android.intent.action.BOOT_COMPLETED\"/>\
             <category android:name=\"android.intent.category.HOME\"/></intent-filter></receiver>\
             </application></manifest>"
        );
        assert_eq!(infer(&xml, Some("A2DP Volume")).kind, "unknown");
        let xml = xml
            .replace("<receiver", "<activity")
            .replace("</receiver>", "</activity>");
        assert_eq!(infer(&xml, Some("A2DP Volume")).kind, "launcher");
    }

    #[test]
    fn keywords_match_words_and_long_substrings() {
        let t = tokens("Super-Flashlight Pro");
        assert!(keyword_matches("flashlight", &t, None));
        assert!(keyword_matches(
            "flashlight",
            &tokens("superflashlight"),
            None
        ));
        assert!(keyword_matches(
            "bank",
            &tokens("com.android.insecurebankv2"),
            None
        ));
        assert!(!keyword_matches("pay", &tokens("display"), None));
        assert!(keyword_matches("pay", &tokens("Radare2 Pay"), None));
        assert!(!keyword_matches("=store", &tokens("keystore"), None));
        assert!(keyword_matches("=store", &tokens("App Store"), None));
        assert!(keyword_matches(
            "file manager",
            &[],
            Some("My File Manager")
        ));
    }

    #[test]
    fn embedded_table_is_valid() {
        let t = KindTable::load("app_kinds.toml", crate::data::APP_KINDS.embedded).unwrap();
        assert!(t.iter().count() >= 25);
        let f = t.get("flashlight").unwrap();
        assert_eq!(f.need(Category::Contacts), Need::NotNeeded);
        let m = t.get("messenger").unwrap();
        assert_eq!(m.need(Category::Contacts), Need::Needed);
        assert_eq!(m.need(Category::Messages), Need::Needed);
    }

    #[test]
    fn table_errors_name_the_entry() {
        let head = "schema_version = 1\n[meta]\nsource = \"s\"\nlicence = \"l\"\nupdated = \"u\"\nversion = \"1\"\n";
        let bad = format!(
            "{head}[[kind]]\nid = \"x\"\ntitle = \"X\"\nneeds = [\"location\"]\nmay_need = []\n"
        );
        let e = KindTable::load("k.toml", &bad).unwrap_err().to_string();
        assert!(
            e.contains("k.toml") && e.contains("`x`") && e.contains("location"),
            "{e}"
        );
        let dup = format!(
            "{head}[[kind]]\nid = \"x\"\ntitle = \"X\"\nneeds = []\nmay_need = []\n[[kind]]\nid = \"x\"\ntitle = \"X\"\nneeds = []\nmay_need = []\n"
        );
        let e = KindTable::load("k.toml", &dup).unwrap_err().to_string();
        assert!(e.contains("duplicate"), "{e}");
        let unknown =
            format!("{head}[[kind]]\nid = \"unknown\"\ntitle = \"X\"\nneeds = []\nmay_need = []\n");
        assert!(KindTable::load("k.toml", &unknown).is_err());
    }
}
