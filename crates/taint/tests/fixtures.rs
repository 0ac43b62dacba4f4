//! One small DEX per modelled feature (`fixtures/taint/`, built from smali
//! by `fixtures/taint/build.sh`), each with the exact set of flows the
//! analysis must report: every leak the fixture holds, and none of the
//! decoys (unreachable code, overwritten or cleared data, dead branches).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use leakscope_model::Confidence;
use leakscope_taint::{Budget, Component, ComponentKind, DataFilter, Input, Models, Spec, analyze};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/taint")
}

/// `Lorg/leakscope/taint/icc/TargetActivity;` → `TargetActivity`.
fn simple_class(desc: &str) -> &str {
    let inner = desc.trim_end_matches(';');
    inner.rsplit(['/', '.']).next().unwrap_or(inner)
}

/// `<android.util.Log: int i(java.lang.String,java.lang.String)>` → `Log.i`.
fn simple_api(api: &str) -> String {
    // Sinks leakscope names itself are in descriptor form:
    // `La/b/Main;->startActivity(Landroid/content/Intent;)V`.
    if let Some((class, method)) = api.split_once(";->") {
        return format!("{}.{}", simple_class(class), simple_method(method));
    }
    let body = api.trim_start_matches('<').trim_end_matches('>');
    let (class, rest) = body.split_once(": ").unwrap_or((body, ""));
    let name = rest
        .split('(')
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .unwrap_or(rest);
    format!("{}.{name}", simple_class(class))
}

/// `onCreate(Landroid/os/Bundle;)V` → `onCreate`.
fn simple_method(m: &str) -> &str {
    m.split('(').next().unwrap_or(m)
}

fn activity(class: &str) -> Component {
    Component {
        class: class.to_string(),
        kind: ComponentKind::Activity,
        actions: Vec::new(),
        exported: false,
        data: Vec::new(),
    }
}

/// The flows in `fixtures/taint/<name>.dex` as sorted
/// `"getDeviceId@Main.onCreate -> Log.i@Main.report"` lines, and the
/// paths, after checking the analysis covered everything.
fn flows(name: &str, components: &[&str], click_handlers: &[&str]) -> Vec<(String, Vec<String>)> {
    let components: Vec<Component> = components.iter().map(|c| activity(c)).collect();
    flows_of(name, components, click_handlers)
        .into_iter()
        .map(|(l, p, _)| (l, p))
        .collect()
}

/// [`flows`] with full components, and each flow's confidence.
fn flows_of(
    name: &str,
    components: Vec<Component>,
    click_handlers: &[&str],
) -> Vec<(String, Vec<String>, Confidence)> {
    flows_with(name, components, click_handlers, &[])
}

/// [`flows_of`] with layout password fields.
fn flows_with(
    name: &str,
    components: Vec<Component>,
    click_handlers: &[&str],
    password_fields: &[u32],
) -> Vec<(String, Vec<String>, Confidence)> {
    let dex = std::fs::read(fixtures().join(format!("{name}.dex"))).unwrap();
    let spec_text = std::fs::read_to_string(fixtures().join("sources_sinks.txt")).unwrap();
    let spec = Spec::from_flowdroid(&spec_text).unwrap();
    let input = Input {
        dex: vec![("classes.dex".to_string(), &dex)],
        components,
        click_handlers: click_handlers.iter().map(|s| s.to_string()).collect(),
        password_fields: password_fields.to_vec(),
        resource_strings: None,
    };
    let budget = Budget {
        implicit_flows: true,
        ..Budget::default()
    };
    let result = analyze(&input, &spec, Models::embedded(), budget);
    assert!(
        result.coverage.complete,
        "{name}: partial: {:?}",
        result.coverage.notes
    );
    let mut out: Vec<(String, Vec<String>, Confidence)> = result
        .flows
        .iter()
        .map(|f| {
            let line = format!(
                "{}@{}.{} -> {}@{}.{}",
                simple_api(&f.source.api),
                simple_class(&f.source.location.class),
                simple_method(&f.source.location.method),
                simple_api(&f.sink.api),
                simple_class(&f.sink.location.class),
                simple_method(&f.sink.location.method),
            );
            (line, f.path.clone(), f.confidence)
        })
        .collect();
    out.sort();
    out
}

fn lines(flows: &[(String, Vec<String>)]) -> Vec<&str> {
    flows.iter().map(|(l, _)| l.as_str()).collect()
}

const PKG: &str = "Lorg/leakscope/taint";

#[test]
fn lifecycle_methods_are_entry_points_and_helpers_are_summarised() {
    let main = format!("{PKG}/lifecycle/MainActivity;");
    let found = flows("lifecycle", &[&main], &[]);
    assert_eq!(
        lines(&found),
        [
            "TelephonyManager.getDeviceId@MainActivity.onCreate -> Log.i@MainActivity.report",
            "TelephonyManager.getSimSerialNumber@MainActivity.onResume -> SmsManager.sendTextMessage@MainActivity.onResume",
        ]
    );
    // The flow through the helper names both methods, source's first.
    assert_eq!(
        found[0].1,
        [
            format!("{main}->onCreate(Landroid/os/Bundle;)V"),
            format!("{main}->report(Ljava/lang/String;)V"),
        ]
    );
}

#[test]
fn registered_listeners_and_layout_handlers_are_callbacks() {
    let main = format!("{PKG}/callback/MainActivity;");
    assert_eq!(
        lines(&flows("callback", &[&main], &["sendClicked"])),
        [
            "TelephonyManager.getDeviceId@Listener.onClick -> Log.i@Listener.onClick",
            "TelephonyManager.getSimSerialNumber@MainActivity.sendClicked -> SmsManager.sendTextMessage@MainActivity.sendClicked",
        ]
    );
    // Without the layout, the handler is dead code.
    assert_eq!(
        lines(&flows("callback", &[&main], &[])),
        ["TelephonyManager.getDeviceId@Listener.onClick -> Log.i@Listener.onClick"]
    );
}

#[test]
fn instance_and_static_fields_carry_taint_between_lifecycle_methods() {
    let main = format!("{PKG}/field/MainActivity;");
    assert_eq!(
        lines(&flows("field", &[&main], &[])),
        [
            "TelephonyManager.getDeviceId@MainActivity.onCreate -> Log.i@MainActivity.onStart",
            "TelephonyManager.getSimSerialNumber@MainActivity.onCreate -> SmsManager.sendTextMessage@MainActivity.onStop",
        ]
    );
}

#[test]
fn array_elements_and_arrays_filled_by_callees_carry_taint() {
    let main = format!("{PKG}/array/MainActivity;");
    assert_eq!(
        lines(&flows("array", &[&main], &[])),
        [
            "TelephonyManager.getDeviceId@MainActivity.onCreate -> Log.i@MainActivity.onCreate",
            "TelephonyManager.getSimSerialNumber@MainActivity.fill -> SmsManager.sendTextMessage@MainActivity.onCreate",
        ]
    );
}

#[test]
fn explicit_intent_extras_reach_the_target_component_only() {
    let comps: Vec<String> = ["MainActivity", "TargetActivity", "QuietActivity"]
        .iter()
        .map(|c| format!("{PKG}/icc/{c};"))
        .collect();
    let comps: Vec<&str> = comps.iter().map(String::as_str).collect();
    assert_eq!(
        lines(&flows("icc", &comps, &[])),
        ["TelephonyManager.getDeviceId@MainActivity.onCreate -> Log.i@TargetActivity.onCreate"]
    );
    // With the target undeclared, the intent starts nothing of the app.
    assert!(flows("icc", &comps[..1], &[]).is_empty());
}

#[test]
fn library_models_carry_taint_through_builders_json_collections_and_wrappers() {
    let main = format!("{PKG}/library/MainActivity;");
    assert_eq!(
        lines(&flows("library", &[&main], &[])),
        [
            "TelephonyManager.getDeviceId@MainActivity.onCreate -> Log.i@MainActivity.onCreate",
            "TelephonyManager.getLine1Number@MainActivity.onCreate -> Log.i@MainActivity.onCreate",
            "TelephonyManager.getSimSerialNumber@MainActivity.onCreate -> SmsManager.sendTextMessage@MainActivity.onCreate",
            "TelephonyManager.getVoiceMailNumber@MainActivity.onCreate -> Log.i@MainActivity.onCreate",
        ]
    );
}

#[test]
fn overwritten_cleared_and_dead_flows_are_not_reported() {
    let main = format!("{PKG}/sanitised/MainActivity;");
    assert_eq!(
        lines(&flows("sanitised", &[&main], &[])),
        ["TelephonyManager.getLine1Number@MainActivity.onCreate -> Log.i@MainActivity.onCreate"]
    );
}

#[test]
fn values_chosen_by_a_branch_on_personal_data_are_implicit_flows() {
    let main = format!("{PKG}/implicit/MainActivity;");
    let found = flows_of("implicit", vec![activity(&main)], &[]);
    let got: Vec<(&str, Confidence)> = found.iter().map(|(l, _, c)| (l.as_str(), *c)).collect();
    // Only the constant chosen by the branch; not the one both arms agree
    // on, nor the one written after the branch joined.
    assert_eq!(
        got,
        [(
            "TelephonyManager.getDeviceId@MainActivity.imei -> Log.i@MainActivity.onCreate",
            Confidence::Low
        )]
    );
}

#[test]
fn implicit_intents_reach_components_whose_data_filters_match() {
    let class = |c: &str| format!("{PKG}/icc_data/{c};");
    let with_data = |c: &str, data: DataFilter| Component {
        data: vec![data],
        ..activity(&class(c))
    };
    let components = vec![
        activity(&class("MainActivity")),
        with_data(
            "ViewerActivity",
            DataFilter {
                schemes: vec!["leakscope".into()],
                hosts: vec!["example.org".into()],
                ports: vec!["4444".into()],
                ..DataFilter::default()
            },
        ),
        with_data(
            "TypedActivity",
            DataFilter {
                mime_types: vec!["text/*".into()],
                ..DataFilter::default()
            },
        ),
        with_data(
            "DeafActivity",
            DataFilter {
                schemes: vec!["other".into()],
                ..DataFilter::default()
            },
        ),
    ];
    let found = flows_of("icc_data", components, &[]);
    let got: Vec<&str> = found.iter().map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(
        got,
        [
            "TelephonyManager.getDeviceId@MainActivity.onCreate -> Log.i@ViewerActivity.onCreate",
            "TelephonyManager.getDeviceId@MainActivity.onCreate -> MainActivity.startActivity@MainActivity.onCreate",
            "TelephonyManager.getSimSerialNumber@MainActivity.onCreate -> Log.i@TypedActivity.onCreate",
            "TelephonyManager.getSimSerialNumber@MainActivity.onCreate -> MainActivity.startActivity@MainActivity.onCreate",
        ]
    );
}

#[test]
fn layout_password_fields_are_sources() {
    let main = format!("{PKG}/password/MainActivity;");
    let found = flows_with("password", vec![activity(&main)], &[], &[0x7f07_0001]);
    let got: Vec<&str> = found.iter().map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(
        got,
        ["EditText (password field).getText@MainActivity.onCreate -> Log.i@MainActivity.onCreate"]
    );
    // Without the layout's word for it, a text field is not a source.
    assert!(flows_with("password", vec![activity(&main)], &[], &[]).is_empty());
}

#[test]
fn setters_clear_fields_and_getters_return_what_was_set() {
    let main = format!("{PKG}/accessors/MainActivity;");
    assert_eq!(
        lines(&flows("accessors", &[&main], &[])),
        ["TelephonyManager.getDeviceId@MainActivity.onCreate -> Log.i@MainActivity.onStart"]
    );
}

#[test]
fn implicit_flows_follow_calls_chosen_or_made_under_a_branch_and_exceptions() {
    let main = format!("{PKG}/implicit_calls/MainActivity;");
    let found = flows_of("implicit_calls", vec![activity(&main)], &[]);
    let got: Vec<(&str, Confidence)> = found.iter().map(|(l, _, c)| (l.as_str(), *c)).collect();
    let low = |l| (l, Confidence::Low);
    assert_eq!(
        got,
        [
            low("TelephonyManager.getDeviceId@MainActivity.imei -> Log.i@MainActivity.onResume"),
            low("TelephonyManager.getDeviceId@MainActivity.imei -> Log.i@MainActivity.report"),
            low("TelephonyManager.getDeviceId@MainActivity.imei -> Log.i@No.tell"),
            low("TelephonyManager.getDeviceId@MainActivity.imei -> Log.i@Yes.tell"),
        ]
    );
}
