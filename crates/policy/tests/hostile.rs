//! The built-in packs never fail on any JSON object: reports are untrusted,
//! and a policy error would let a hostile report dodge the decision.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use leakscope_policy::{PACKS, Policy};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Any JSON value, with keys drawn from the names the packs read.
fn value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "assessment",
        "categories",
        "contacts",
        "device_ids",
        "messages",
        "accessed",
        "transmitted",
        "sinks",
        "trackers",
        "destinations",
        "declared",
        "necessary",
        "host",
        "owner",
        "owner_country",
        "ip_country",
        "tracker",
        "sdks",
        "id",
        "name",
        "counterfeit",
        "suspected",
        "reason",
        "verdict",
        "score",
        "app_kind",
        "kind",
        "unused_permissions",
        "endpoints",
        "cleartext",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop::sample::select(vec!["leakware", "US", "DE", "contacts", "network", "x", ""])
            .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

fn report() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            prop::sample::select(vec![
                "assessment",
                "categories",
                "trackers",
                "endpoints",
                "counterfeit",
                "flows",
            ]),
            value(),
        ),
        0..6,
    )
    .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn packs_never_fail_on_any_report(report in report(), data in value()) {
        for pack in PACKS {
            let policy = Policy::pack(pack.name, None).unwrap();
            let d = policy.evaluate(&report);
            prop_assert!(d.is_ok(), "{} on {}: {:?}", pack.name, report, d);
            // Any policy data object is accepted too.
            if data.is_object() {
                let policy = Policy::pack(pack.name, Some(data.clone())).unwrap();
                let d = policy.evaluate(&report);
                prop_assert!(d.is_ok(), "{} with {} on {}: {:?}", pack.name, data, report, d);
            }
        }
    }
}
