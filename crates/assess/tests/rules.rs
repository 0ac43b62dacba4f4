//! Each rule and the worked examples of `docs/scoring.md`, on hand-built
//! reports. If a weight in `data/assessment/scoring.toml` changes, the
//! documented examples must change with it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use leakscope_assess::{AssessError, AssessOptions, Assessor, Declarations};
use leakscope_model::{Assessment, Attribution, Category, SinkKind, Verdict};

fn assess(
    r: &leakscope_model::Report,
    kind: Option<&str>,
    decl: Option<Declarations>,
) -> Assessment {
    let opts = AssessOptions {
        app_kind: kind.map(str::to_owned),
        declarations: decl,
    };
    Assessor::embedded()
        .unwrap()
        .assess(r, None, &opts)
        .unwrap()
}

fn codes(a: &Assessment) -> Vec<(String, Option<Category>, u8)> {
    a.reasons
        .iter()
        .map(|r| (r.code.clone(), r.category, r.weight))
        .collect()
}

const APP: &str = "Lorg/example/app/Uploader;";

/// Example 1: a flashlight sends the contacts to the network.
#[test]
fn example_1_flashlight_sends_contacts() {
    let mut r = report();
    access(&mut r, Category::Contacts, APP, Attribution::FirstParty);
    flow(&mut r, Category::Contacts, APP, SinkKind::Network);
    endpoint(&mut r, "collect.example.test", APP);
    endpoint(&mut r, "elsewhere.example.test", "Lcom/other/lib/Net;");
    let a = assess(&r, Some("flashlight"), None);
    assert_eq!(
        codes(&a),
        vec![("LS101".into(), Some(Category::Contacts), 60)]
    );
    assert_eq!(a.score, 60);
    assert_eq!(a.verdict, Verdict::Leakware);
    assert_eq!(a.app_kind.source, "given");
    let c = &a.categories[&Category::Contacts];
    assert!(c.accessed && c.transmitted);
    assert_eq!(c.necessary, Some(false));
    assert_eq!(c.declared, None);
    assert_eq!(c.sinks, vec![SinkKind::Network]);
    // The endpoint in the sink's class, not the other one.
    let hosts: Vec<&str> = c.destinations.iter().map(|d| d.host.as_str()).collect();
    assert_eq!(hosts, vec!["collect.example.test"]);
    let ev = &a.reasons[0].evidence;
    assert_eq!(ev[0], "flows[0]");
    assert!(ev.contains(&"categories.contacts.evidence[0]".to_owned()));
}

/// Example 2: a flashlight reads the location but no flow is found.
#[test]
fn example_2_flashlight_reads_location() {
    let mut r = report();
    access(&mut r, Category::Geolocation, APP, Attribution::FirstParty);
    let a = assess(&r, Some("flashlight"), None);
    assert_eq!(
        codes(&a),
        vec![("LS105".into(), Some(Category::Geolocation), 10)]
    );
    assert_eq!((a.score, a.verdict), (10, Verdict::NoLeakFound));
    assert!(!a.categories[&Category::Geolocation].transmitted);
}

/// Example 3: a messenger sends the contacts: needed, weighs little.
#[test]
fn example_3_messenger_sends_contacts() {
    let mut r = report();
    access(&mut r, Category::Contacts, APP, Attribution::FirstParty);
    flow(&mut r, Category::Contacts, APP, SinkKind::Network);
    let a = assess(&r, Some("messenger"), None);
    assert_eq!(
        codes(&a),
        vec![("LS102".into(), Some(Category::Contacts), 5)]
    );
    assert_eq!((a.score, a.verdict), (5, Verdict::NoLeakFound));
    assert_eq!(a.categories[&Category::Contacts].necessary, Some(true));
}

/// Example 4: an app of unknown kind whose ad SDK reads device ids.
#[test]
fn example_4_unknown_kind_tracker_reads_ids() {
    let mut r = report();
    tracker(&mut r, "312", "Example Ads", "ads.example-ads.test");
    let sdk = Attribution::Sdk {
        name: "Example Ads".into(),
    };
    access(&mut r, Category::DeviceIds, "Lcom/exampleads/sdk/Id;", sdk);
    let a = assess(&r, None, None);
    assert_eq!(a.app_kind.kind, "unknown");
    // Sent out by the tracker only: LS103 says it, no LS102 on top.
    assert_eq!(
        codes(&a),
        vec![
            ("LS103".into(), Some(Category::DeviceIds), 30),
            ("LS201".into(), None, 2),
        ]
    );
    assert_eq!((a.score, a.verdict), (32, Verdict::NeedsReview));
    let c = &a.categories[&Category::DeviceIds];
    assert!(c.transmitted);
    assert_eq!(c.necessary, None);
    assert_eq!(c.trackers, vec!["312"]);
    assert_eq!(c.sinks, vec![SinkKind::Network]);
    assert_eq!(c.destinations.len(), 1);
    let d = &c.destinations[0];
    assert_eq!(d.host, "ads.example-ads.test");
    assert_eq!(d.owner_country.as_deref(), Some("US"));
    assert_eq!(d.tracker.as_deref(), Some("Example Ads"));
    assert_eq!(a.reasons[0].evidence[0], "trackers[312]");
    assert_eq!(
        a.reasons[0].evidence[1],
        "categories.device_ids.evidence[0]"
    );
}

/// Example 5: the same SDK in a game: not needed, so leakware.
#[test]
fn example_5_game_tracker_reads_ids() {
    let mut r = report();
    tracker(&mut r, "312", "Example Ads", "ads.example-ads.test");
    let sdk = Attribution::Sdk {
        name: "Example Ads".into(),
    };
    access(&mut r, Category::DeviceIds, "Lcom/exampleads/sdk/Id;", sdk);
    let a = assess(&r, Some("game"), None);
    assert_eq!(
        codes(&a),
        vec![
            ("LS101".into(), Some(Category::DeviceIds), 36),
            ("LS103".into(), Some(Category::DeviceIds), 30),
            ("LS201".into(), None, 2),
        ]
    );
    assert_eq!((a.score, a.verdict), (68, Verdict::Leakware));
}

/// Without INTERNET a tracker's read is not a transmission.
#[test]
fn tracker_without_internet_does_not_transmit() {
    let mut r = report();
    r.permissions.clear();
    tracker(&mut r, "312", "Example Ads", "ads.example-ads.test");
    let sdk = Attribution::Sdk {
        name: "Example Ads".into(),
    };
    access(&mut r, Category::DeviceIds, "Lcom/exampleads/sdk/Id;", sdk);
    let a = assess(&r, Some("game"), None);
    let c = &a.categories[&Category::DeviceIds];
    assert!(!c.transmitted);
    assert_eq!(c.trackers, vec!["312"]);
    assert_eq!(
        codes(&a),
        vec![
            ("LS103".into(), Some(Category::DeviceIds), 30),
            ("LS201".into(), None, 2)
        ]
    );
    // First-party code reading it too adds LS105.
    access(&mut r, Category::DeviceIds, APP, Attribution::FirstParty);
    let a = assess(&r, Some("game"), None);
    assert_eq!(
        codes(&a),
        vec![
            ("LS103".into(), Some(Category::DeviceIds), 30),
            ("LS105".into(), Some(Category::DeviceIds), 6),
            ("LS201".into(), None, 2),
        ]
    );
}

/// With the kind unknown, necessity is unknown: trackers reading much
/// give a high score but `needs_review`, never `leakware`.
#[test]
fn unknown_kind_is_never_leakware_through_trackers_alone() {
    let mut r = report();
    tracker(&mut r, "312", "Example Ads", "ads.example-ads.test");
    let sdk = Attribution::Sdk {
        name: "Example Ads".into(),
    };
    for c in [
        Category::DeviceIds,
        Category::Geolocation,
        Category::Contacts,
    ] {
        access(&mut r, c, "Lcom/exampleads/sdk/Id;", sdk.clone());
    }
    let a = assess(&r, None, None);
    assert_eq!(a.score, 92);
    assert_eq!(a.verdict, Verdict::NeedsReview);
    let a = assess(&r, Some("flashlight"), None);
    assert_eq!(a.verdict, Verdict::Leakware);
}

/// Example 6: declarations. Undeclared contacts add LS104; declared ones
/// halve LS101.
#[test]
fn example_6_declarations() {
    let mut r = report();
    access(&mut r, Category::Contacts, APP, Attribution::FirstParty);
    flow(&mut r, Category::Contacts, APP, SinkKind::Network);
    let none = Declarations::from_json(r#"{"collected":["PSL_APPROX_LOCATION"]}"#).unwrap();
    let a = assess(&r, Some("flashlight"), Some(none));
    assert_eq!(
        codes(&a),
        vec![
            ("LS101".into(), Some(Category::Contacts), 60),
            ("LS104".into(), Some(Category::Contacts), 20),
        ]
    );
    assert_eq!((a.score, a.verdict), (80, Verdict::Leakware));
    assert_eq!(a.categories[&Category::Contacts].declared, Some(false));
    assert!(a.declarations.is_some());

    let declared = Declarations::from_json(r#"{"collected":["contacts"]}"#).unwrap();
    let a = assess(&r, Some("flashlight"), Some(declared));
    assert_eq!(
        codes(&a),
        vec![("LS101".into(), Some(Category::Contacts), 30)]
    );
    assert_eq!((a.score, a.verdict), (30, Verdict::NeedsReview));
    assert_eq!(a.categories[&Category::Contacts].declared, Some(true));
}

/// Example 7: sensors sent out by a flashlight weigh little.
#[test]
fn example_7_sensors_weigh_little() {
    let mut r = report();
    access(&mut r, Category::Sensors, APP, Attribution::FirstParty);
    flow(&mut r, Category::Sensors, APP, SinkKind::Network);
    let a = assess(&r, Some("flashlight"), None);
    assert_eq!(
        codes(&a),
        vec![("LS101".into(), Some(Category::Sensors), 18)]
    );
    assert_eq!((a.score, a.verdict), (18, Verdict::NoLeakFound));
}

/// Accessed and needed weighs nothing; accessed with unknown kind, little.
#[test]
fn ls106_data_accessed() {
    let mut r = report();
    access(&mut r, Category::Geolocation, APP, Attribution::FirstParty);
    let a = assess(&r, Some("maps"), None);
    assert_eq!(
        codes(&a),
        vec![("LS106".into(), Some(Category::Geolocation), 0)]
    );
    assert_eq!(a.categories[&Category::Geolocation].necessary, Some(true));
    let a = assess(&r, None, None);
    assert_eq!(
        codes(&a),
        vec![("LS106".into(), Some(Category::Geolocation), 2)]
    );
    assert_eq!(a.categories[&Category::Geolocation].necessary, None);
}

/// Log and file sinks do not transmit; they are listed as sinks.
#[test]
fn local_sinks_do_not_transmit() {
    let mut r = report();
    access(&mut r, Category::Contacts, APP, Attribution::FirstParty);
    flow(&mut r, Category::Contacts, APP, SinkKind::Log);
    let a = assess(&r, Some("flashlight"), None);
    let c = &a.categories[&Category::Contacts];
    assert!(!c.transmitted);
    assert_eq!(c.sinks, vec![SinkKind::Log]);
    assert_eq!(a.reasons[0].code, "LS105");
}

/// Destinations fall back from the class to the package to the library.
#[test]
fn destinations_fall_back_to_package_and_library() {
    let mut r = report();
    access(&mut r, Category::Geolocation, APP, Attribution::FirstParty);
    flow(&mut r, Category::Geolocation, APP, SinkKind::Network);
    endpoint(&mut r, "pkg.example.test", "Lorg/example/app/Other;");
    endpoint(&mut r, "lib.example.test", "Lorg/example/net/Client;");
    endpoint(&mut r, "far.example.test", "Lcom/far/Away;");
    let a = assess(&r, Some("flashlight"), None);
    let hosts: Vec<String> = a.categories[&Category::Geolocation]
        .destinations
        .iter()
        .map(|d| d.host.clone())
        .collect();
    assert_eq!(hosts, vec!["pkg.example.test"]);
    r.endpoints.remove(0);
    let a = assess(&r, Some("flashlight"), None);
    let hosts: Vec<String> = a.categories[&Category::Geolocation]
        .destinations
        .iter()
        .map(|d| d.host.clone())
        .collect();
    assert_eq!(hosts, vec!["lib.example.test"]);
}

/// App-wide reasons: dynamic code, unused dangerous permissions, partial
/// analysis.
#[test]
fn app_wide_reasons() {
    let mut r = report();
    r.taint = None;
    r.dynamic_code.push(leakscope_model::DynamicCodeFinding {
        container: "assets/payload.dex".into(),
        kind: "dex".into(),
        dex_count: 1,
    });
    for p in ["android.permission.READ_SMS", "android.permission.CAMERA"] {
        r.permissions.push(leakscope_model::PermissionFinding {
            name: p.into(),
            protection_level: Some("dangerous".into()),
            used: Some(false),
            ..Default::default()
        });
    }
    r.warnings.push(leakscope_model::Warning {
        source: "classes2.dex".into(),
        message: "truncated".into(),
    });
    let a = assess(&r, None, None);
    assert_eq!(
        codes(&a),
        vec![
            ("LS302".into(), None, 5),
            ("LS301".into(), None, 2),
            ("LS501".into(), None, 0)
        ]
    );
    let partial = &a.reasons[2];
    assert!(partial.message.contains("did not run") && partial.message.contains("1 warning"));
    assert_eq!(partial.evidence, vec!["taint", "warnings[0]"]);
    assert_eq!(
        a.reasons[1].evidence,
        vec![
            "permissions[android.permission.READ_SMS]",
            "permissions[android.permission.CAMERA]"
        ]
    );
    assert_eq!(a.verdict, Verdict::NoLeakFound);
}

/// Reasons are sorted heaviest first and the score saturates at 100.
#[test]
fn score_saturates_and_reasons_sort() {
    let mut r = report();
    for c in [
        Category::Contacts,
        Category::Messages,
        Category::Geolocation,
    ] {
        access(&mut r, c, APP, Attribution::FirstParty);
        flow(&mut r, c, APP, SinkKind::Network);
    }
    let a = assess(&r, Some("calculator"), None);
    assert_eq!(a.score, 100);
    assert_eq!(a.verdict, Verdict::Leakware);
    assert!(a.reasons.windows(2).all(|w| w[0].weight >= w[1].weight));
}

#[test]
fn unknown_kind_is_an_error_listing_the_known_ones() {
    let r = report();
    let opts = AssessOptions {
        app_kind: Some("spaceship".into()),
        declarations: None,
    };
    let e = Assessor::embedded()
        .unwrap()
        .assess(&r, None, &opts)
        .unwrap_err();
    assert!(matches!(e, AssessError::UnknownKind { .. }));
    let msg = e.to_string();
    assert!(
        msg.contains("spaceship") && msg.contains("flashlight") && msg.contains("messenger"),
        "{msg}"
    );
    // `unknown` may be given explicitly.
    let a = assess(&r, Some("unknown"), None);
    assert_eq!(
        (a.app_kind.kind.as_str(), a.app_kind.source.as_str()),
        ("unknown", "given")
    );
}

#[test]
fn load_dir_overrides_one_file_and_validates() {
    let dir = std::env::temp_dir().join(format!("leakscope-assess-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scoring = std::fs::read_to_string(repo().join("data/assessment/scoring.toml")).unwrap();
    std::fs::write(
        dir.join("scoring.toml"),
        scoring.replace("LS101 = 60", "LS101 = 70"),
    )
    .unwrap();
    let a = Assessor::load_dir(&dir).unwrap();
    assert_eq!(a.scoring().base.LS101, 70);
    assert!(a.kinds().any(|k| k == "flashlight"));
    std::fs::write(dir.join("app_kinds.toml"), "schema_version = 1\n").unwrap();
    let e = Assessor::load_dir(&dir).unwrap_err().to_string();
    assert!(e.contains("app_kinds.toml"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(Assessor::load_dir(&dir).is_err());
}
