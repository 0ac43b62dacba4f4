//! The data-flow pass: runs `leakscope-taint` over the app's code, with the
//! app's components and layout click handlers as entry points and sources
//! and sinks from the knowledge base (or a FlowDroid list).

use std::collections::BTreeMap;

use leakscope_app::App;
use leakscope_axml::Manifest;
use leakscope_kb::{ApiTarget, Kb, Role};
use leakscope_taint::{
    Component, ComponentKind, DataFilter, Input, MethodKey, SinkDef, SourceDef, Spec, SpecEntry,
};

use leakscope_model::{Category, CategoryFindings, Flow};

pub use leakscope_taint::{Budget, Models, TaintResult};

/// Sets `transmitted` and `sinks` of each category from the flows whose
/// source is of that category. Low-confidence flows (implicit flows, where
/// a branch on the data, not the data, reaches the sink) add their sink but
/// do not make the category transmitted.
pub fn mark_transmitted(categories: &mut BTreeMap<Category, CategoryFindings>, flows: &[Flow]) {
    for f in flows {
        let Some(c) = f.source.category else { continue };
        let Some(findings) = categories.get_mut(&c) else {
            continue;
        };
        if !findings.sinks.contains(&f.sink.kind) {
            findings.sinks.push(f.sink.kind);
            findings.sinks.sort();
        }
        findings.transmitted |=
            f.sink.kind.transmits() && f.confidence != leakscope_model::Confidence::Low;
    }
}

/// What the taint analysis reads of `app`: its DEX files (and those loaded
/// at run time from assets), its components, its layouts' `onClick`s and
/// password fields. String resources are added by [`run`], from `arsc`.
fn taint_input<'a>(app: &'a App, layouts: Layouts) -> Input<'a> {
    let mut dex: Vec<(String, &[u8])> = app
        .code
        .iter()
        .map(|d| (d.origin.clone(), d.bytes.as_slice()))
        .collect();
    for dc in &app.dynamic_code {
        for d in &dc.dex {
            dex.push((format!("{}!{}", dc.container, d.origin), d.bytes.as_slice()));
        }
    }
    Input {
        dex,
        components: app.manifest.as_ref().map(components).unwrap_or_default(),
        click_handlers: layouts.click_handlers,
        password_fields: layouts.password_fields,
        resource_strings: None,
    }
}

fn components(m: &Manifest) -> Vec<Component> {
    let mut out = Vec::new();
    let groups = [
        (&m.activities, ComponentKind::Activity),
        (&m.services, ComponentKind::Service),
        (&m.receivers, ComponentKind::Receiver),
        (&m.providers, ComponentKind::Provider),
    ];
    for (list, kind) in groups {
        for c in list {
            let Some(name) = &c.name else { continue };
            if c.enabled == Some(false) {
                continue;
            }
            out.push(Component {
                class: format!("L{};", name.replace('.', "/")),
                kind,
                actions: c
                    .intent_filters
                    .iter()
                    .flat_map(|f| f.actions.iter().cloned())
                    .collect(),
                exported: c.exported,
                data: c.intent_filters.iter().filter_map(data_filter).collect(),
            });
        }
    }
    if let Some(name) = m.application.as_ref().and_then(|a| a.name.as_ref()) {
        out.push(Component {
            class: format!("L{};", name.replace('.', "/")),
            kind: ComponentKind::Application,
            actions: Vec::new(),
            exported: false,
            data: Vec::new(),
        });
    }
    out
}

/// The `<data>` elements of an intent filter, merged; `None` when it has
/// none.
fn data_filter(f: &leakscope_axml::IntentFilter) -> Option<DataFilter> {
    if f.data.is_empty() {
        return None;
    }
    let mut out = DataFilter::default();
    for d in &f.data {
        let parts = [
            (&d.scheme, &mut out.schemes),
            (&d.host, &mut out.hosts),
            (&d.port, &mut out.ports),
            (&d.mime_type, &mut out.mime_types),
        ];
        for (v, list) in parts {
            if let Some(v) = v
                && !list.contains(v)
            {
                list.push(v.clone());
            }
        }
    }
    Some(out)
}

/// What the layouts tell the analysis.
#[derive(Default)]
struct Layouts {
    /// `android:onClick` values.
    click_handlers: Vec<String>,
    /// Ids of password fields.
    password_fields: Vec<u32>,
}

impl Layouts {
    fn add(&mut self, e: &leakscope_axml::Element) {
        if let Some(a) = e.android_attr("onClick") {
            let v = a.value.to_string();
            if !v.is_empty() && !self.click_handlers.contains(&v) {
                self.click_handlers.push(v);
            }
        }
        let password = e
            .android_attr("inputType")
            .is_some_and(|a| is_password_input(&a.value))
            || e.android_attr("password")
                .and_then(|a| a.value.as_bool())
                .unwrap_or(false);
        if let Some(id) = e.android_attr("id").and_then(|a| a.value.as_reference())
            && password
            && !self.password_fields.contains(&id)
        {
            self.password_fields.push(id);
        }
    }
}

/// Whether an `android:inputType` value takes a password: the text class
/// with the password, visible-password or web-password variation, or the
/// number class with the password variation (`android.text.InputType`).
fn is_password_input(v: &leakscope_axml::Value) -> bool {
    if let Some(names) = v.as_str().filter(|s| s.parse::<i64>().is_err()) {
        return names
            .split('|')
            .any(|n| n.trim().to_ascii_lowercase().ends_with("password"));
    }
    let Some(t) = v.as_int() else { return false };
    let (class, variation) = (t & 0xf, t & 0xff0);
    (class == 0x1 && matches!(variation, 0x80 | 0x90 | 0xe0)) || (class == 0x2 && variation == 0x10)
}

/// The files the analysis reads besides code, in one pass over the app:
/// the layouts and `resources.arsc`.
fn read_files(app: &App) -> (Layouts, Option<Vec<u8>>) {
    let mut layouts = Layouts::default();
    let mut arsc: Option<Vec<u8>> = None;
    app.visit_files(|f| {
        if arsc.is_none() && f.name == "resources.arsc" {
            arsc = f.read().ok().map(|b| b.into_owned());
            return;
        }
        if !(f.name.starts_with("res/layout") && f.name.ends_with(".xml")) || f.size > 4 << 20 {
            return;
        }
        let Ok(bytes) = f.read() else { return };
        let Ok(doc) = leakscope_axml::decode_any(&bytes) else {
            return;
        };
        for e in std::iter::once(&doc.root).chain(doc.root.descendants()) {
            layouts.add(e);
        }
    });
    (layouts, arsc)
}

/// Sources and sinks from leakscope's catalog: method sources and sinks,
/// static-field sources and content-URI strings.
pub fn catalog_spec(kb: &Kb) -> Spec {
    let mut entries = Vec::new();
    for e in kb.apis.entries() {
        let api = e.target.to_string();
        match (&e.target, e.role) {
            (
                ApiTarget::Method {
                    class,
                    name,
                    proto,
                    string_arg: None,
                },
                Role::Source,
            ) => {
                entries.push(SpecEntry::SourceMethod(
                    MethodKey {
                        class: class.clone(),
                        name: name.clone(),
                        proto: proto.clone(),
                    },
                    SourceDef {
                        api,
                        category: e.category,
                    },
                ));
            }
            (
                ApiTarget::Method {
                    class, name, proto, ..
                },
                Role::Sink(kind),
            ) => {
                entries.push(SpecEntry::Sink(
                    MethodKey {
                        class: class.clone(),
                        name: name.clone(),
                        proto: proto.clone(),
                    },
                    SinkDef { api, kind },
                ));
            }
            (ApiTarget::Field { class, name }, Role::Source) => {
                entries.push(SpecEntry::SourceField {
                    class: class.clone(),
                    name: name.clone(),
                    def: SourceDef {
                        api,
                        category: e.category,
                    },
                });
            }
            (ApiTarget::ContentUri { prefix }, Role::Source) => {
                entries.push(SpecEntry::SourceString {
                    prefix: prefix.clone(),
                    def: SourceDef {
                        api,
                        category: e.category,
                    },
                });
            }
            _ => {}
        }
    }
    Spec::new(entries)
}

/// Runs the analysis over `app`.
pub fn run(app: &App, spec: &Spec, models: &Models, budget: Budget) -> TaintResult {
    let (layouts, arsc) = read_files(app);
    let table = arsc
        .as_deref()
        .and_then(|b| leakscope_axml::ResourceTable::parse(b).ok());
    let resolve = |id: u32| table.as_ref().and_then(|t| t.resolve_string(id));
    let mut input = taint_input(app, layouts);
    if table.is_some() {
        input.resource_strings = Some(&resolve);
    }
    leakscope_taint::analyze(&input, spec, models, budget)
}

#[cfg(test)]
mod tests {
    use super::is_password_input;
    use leakscope_axml::Value;

    #[test]
    fn password_input_types_are_the_password_variations() {
        // textPassword, textVisiblePassword, textWebPassword, numberPassword.
        for t in [0x81, 0x91, 0xe1, 0x12, 0x20081] {
            assert!(is_password_input(&Value::Int(t)), "{t:#x}");
        }
        // text, textEmailAddress, number, phone, a number class with the
        // text class's password bits.
        for t in [0x1, 0x21, 0x2, 0x3, 0x82] {
            assert!(!is_password_input(&Value::Int(t)), "{t:#x}");
        }
        assert!(is_password_input(&Value::String(
            "text|textPassword".into()
        )));
        assert!(!is_password_input(&Value::String(
            "textEmailAddress".into()
        )));
    }
}
