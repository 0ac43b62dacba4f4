//! Shared by the integration tests: reports to render (a synthetic one with
//! every part filled in and hostile strings, the demo app's, corpus apps'),
//! the SARIF schema validator, and the artifacts directory.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use leakscope_model::*;

#[allow(unused_imports)] // each test binary uses a different part
pub use leakscope_testkit::{corpus, repo_root};

/// A string an attacker controls, as found in a label, host or API.
pub const HOSTILE: &str = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";

/// `target/test-artifacts/`, created.
pub fn artifacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let dir = target.join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Analyses one app through the library, as `leakscope analyze` does.
pub fn analyze(path: &Path) -> Report {
    let app = leakscope_app::load(path, &leakscope_app::Options::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let kb = leakscope_kb::Kb::embedded().expect("embedded knowledge base");
    leakscope_analysis::analyze(&app, kb, &leakscope_analysis::AnalyzeOptions::default())
}

/// Analyses one app and assesses it (kind inferred, no declarations), as
/// `leakscope analyze` does when the assessment is on.
pub fn analyze_and_assess(path: &Path) -> Report {
    let app = leakscope_app::load(path, &leakscope_app::Options::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let kb = leakscope_kb::Kb::embedded().expect("embedded knowledge base");
    let mut report =
        leakscope_analysis::analyze(&app, kb, &leakscope_analysis::AnalyzeOptions::default());
    let assessor = leakscope_assess::Assessor::embedded().expect("embedded assessment data");
    report.assessment = Some(
        assessor
            .assess(&report, app.manifest.as_ref(), &Default::default())
            .expect("assessment"),
    );
    report
}

/// The report of `demo/flashlight.apk`.
pub fn demo_report() -> Report {
    analyze(&repo_root().join("demo/flashlight.apk"))
}

/// The SARIF 2.1.0 schema validator (formats checked too).
pub fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The official schema has a typo in the `language` properties' pattern
    // (a stray `]`) that is not a valid ECMA 262 regex, so with format
    // checks on the schema fails its own meta-schema. Fix that pattern
    // (leakscope never writes `language`) rather than turn format checks
    // off.
    let fixed = fix_language_pattern(&mut schema);
    assert_eq!(fixed, 2, "the schema's known typo moved");
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn fix_language_pattern(v: &mut serde_json::Value) -> usize {
    const TYPO: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match v {
        serde_json::Value::Object(m) => {
            let mut n = 0;
            for (k, x) in m.iter_mut() {
                if k == "pattern" && x == TYPO {
                    *x = serde_json::Value::String("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into());
                    n += 1;
                } else {
                    n += fix_language_pattern(x);
                }
            }
            n
        }
        serde_json::Value::Array(a) => a.iter_mut().map(fix_language_pattern).sum(),
        _ => 0,
    }
}

/// Validates a SARIF log, failing with every schema error listed.
pub fn assert_valid_sarif(validator: &jsonschema::Validator, log: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: SARIF invalid:\n{}",
        errors.join("\n")
    );
}

fn code(class: &str, method: &str, offset: u32) -> CodeLocation {
    CodeLocation {
        dex: "classes2.dex".into(),
        class: class.into(),
        method: method.into(),
        offset,
    }
}

pub const CONTACTS_API: &str = "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;";
/// How many first-party contacts accesses the synthetic report has (one API).
pub const CONTACTS_EVIDENCE: usize = 60;

/// A report with every part filled in, hostile strings included.
pub fn synthetic_report() -> Report {
    let mut categories: BTreeMap<Category, CategoryFindings> = Category::ALL
        .into_iter()
        .map(|c| (c, CategoryFindings::default()))
        .collect();
    let contacts = categories.get_mut(&Category::Contacts).unwrap();
    contacts.requested = true;
    contacts.accessed = true;
    contacts.transmitted = true;
    contacts.first_party = true;
    contacts.permissions = vec!["android.permission.READ_CONTACTS".into()];
    contacts.sinks = vec![SinkKind::Network];
    contacts.sdks = vec!["Google Firebase Analytics".into()];
    for i in 0..CONTACTS_EVIDENCE {
        contacts.evidence.push(Evidence {
            kind: EvidenceKind::Call,
            api: CONTACTS_API.into(),
            category: Category::Contacts,
            location: code("Lcom/flash/Sync;", &format!("upload{i}()V"), 4 * i as u32),
            attribution: Attribution::FirstParty,
        });
    }
    for i in 0..3 {
        contacts.evidence.push(Evidence {
            kind: EvidenceKind::ContentUri,
            api: "content://com.android.contacts/contacts".into(),
            category: Category::Contacts,
            location: code("Lcom/google/firebase/analytics/Collector;", "collect()V", i),
            attribution: Attribution::Sdk {
                name: "Google Firebase Analytics".into(),
            },
        });
    }
    let ids = categories.get_mut(&Category::DeviceIds).unwrap();
    ids.accessed = true;
    ids.evidence.push(Evidence {
        kind: EvidenceKind::Call,
        api: HOSTILE.into(),
        category: Category::DeviceIds,
        location: code(&format!("L{HOSTILE};"), "m()V", 0),
        attribution: Attribution::UnknownThirdParty {
            package: HOSTILE.into(),
        },
    });
    let geo = categories.get_mut(&Category::Geolocation).unwrap();
    geo.requested = true;
    geo.permissions = vec!["android.permission.ACCESS_FINE_LOCATION".into()];

    let long_path: Vec<String> = (0..15)
        .map(|i| format!("Lcom/flash/Step{i};->hop{i}(Ljava/lang/String;)V"))
        .collect();
    let flows = vec![
        Flow {
            source: FlowSource {
                api: CONTACTS_API.into(),
                category: Some(Category::Contacts),
                location: code("Lcom/flash/Sync;", "upload0()V", 0),
            },
            sink: FlowSink {
                api: "Ljava/net/HttpURLConnection;->getOutputStream()Ljava/io/OutputStream;".into(),
                kind: SinkKind::Network,
                location: code("Lcom/flash/Net;", "post(Ljava/lang/String;)V", 12),
            },
            path: vec![
                "Lcom/flash/Sync;->upload0()V".into(),
                "Lcom/flash/Util;->encode(Ljava/lang/String;)Ljava/lang/String;".into(),
                "Lcom/flash/Net;->post(Ljava/lang/String;)V".into(),
            ],
            confidence: Confidence::High,
        },
        Flow {
            source: FlowSource {
                api: HOSTILE.into(),
                category: Some(Category::DeviceIds),
                location: code("Lcom/flash/Id;", "id()V", 2),
            },
            sink: FlowSink {
                api: "Landroid/util/Log;->d(Ljava/lang/String;Ljava/lang/String;)I".into(),
                kind: SinkKind::Log,
                location: code("Lcom/flash/Id;", "id()V", 8),
            },
            path: vec!["Lcom/flash/Id;->id()V".into()],
            confidence: Confidence::Medium,
        },
        Flow {
            source: FlowSource {
                api: "Landroid/location/Location;->getLatitude()D".into(),
                category: Some(Category::Geolocation),
                location: code("Lcom/flash/Step0;", "hop0(Ljava/lang/String;)V", 0),
            },
            sink: FlowSink {
                api: "Landroid/telephony/SmsManager;->sendTextMessage(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V".into(),
                kind: SinkKind::Sms,
                location: code("Lcom/flash/Step14;", "hop14(Ljava/lang/String;)V", 30),
            },
            path: long_path,
            confidence: Confidence::Low,
        },
    ];

    let trackers = vec![
        TrackerFinding {
            id: "firebase".into(),
            name: "Google Firebase Analytics".into(),
            owner: Some("Google LLC".into()),
            owner_country: Some("US".into()),
            website: Some("https://firebase.google.com".into()),
            categories: vec!["Analytics".into()],
            code_matches: vec!["com.google.firebase.analytics.FirebaseAnalytics".into()],
            code_match_count: 1,
            network_matches: vec!["app-measurement.com".into()],
            detected_by: vec!["code".into(), "network".into()],
        },
        TrackerFinding {
            id: HOSTILE.into(),
            name: HOSTILE.into(),
            owner: Some(HOSTILE.into()),
            owner_country: Some(HOSTILE.into()),
            website: None,
            categories: vec![HOSTILE.into()],
            code_matches: vec![HOSTILE.into()],
            code_match_count: 1,
            network_matches: vec![],
            detected_by: vec!["code".into()],
        },
    ];

    let endpoint = |host: &str,
                    cleartext: bool,
                    owner: Option<&str>,
                    oc: Option<&str>,
                    ipc: Option<&str>,
                    tracker: Option<&str>| EndpointFinding {
        host: host.into(),
        registrable_domain: None,
        urls: vec![format!(
            "{}://{host}/collect",
            if cleartext { "http" } else { "https" }
        )],
        schemes: vec![if cleartext { "http" } else { "https" }.into()],
        cleartext,
        is_ip: host.bytes().all(|b| b.is_ascii_digit() || b == b'.'),
        owner: owner.map(Into::into),
        owner_country: oc.map(Into::into),
        ip_country: ipc.map(Into::into),
        tracker: tracker.map(Into::into),
        locations: vec![
            Location::Code(code("Lcom/flash/Net;", "post(Ljava/lang/String;)V", 4)),
            Location::File {
                path: "assets/conf ig#1.json".into(),
            },
        ],
    };
    let endpoints = vec![
        endpoint(
            "app-measurement.com",
            false,
            Some("Google LLC"),
            Some("US"),
            None,
            Some("Google Firebase Analytics"),
        ),
        endpoint(
            "collect.flash-stats.cn",
            true,
            Some("Flash Stats Ltd"),
            Some("CN"),
            Some("CN"),
            None,
        ),
        endpoint("203.0.113.5", true, None, None, Some("RU"), None),
        endpoint(
            HOSTILE,
            true,
            Some(HOSTILE),
            Some(HOSTILE),
            Some("ZZ"),
            None,
        ),
        endpoint(
            "cdn.example.de",
            false,
            Some("Example GmbH"),
            Some("DE"),
            Some("US"),
            None,
        ),
    ];

    let destination = |host: &str,
                       owner: Option<&str>,
                       oc: Option<&str>,
                       ipc: Option<&str>,
                       tracker: Option<&str>| Destination {
        host: host.into(),
        owner: owner.map(Into::into),
        owner_country: oc.map(Into::into),
        ip_country: ipc.map(Into::into),
        tracker: tracker.map(Into::into),
    };
    let mut assessed = BTreeMap::new();
    assessed.insert(
        Category::Contacts,
        CategoryAssessment {
            accessed: true,
            transmitted: true,
            sinks: vec![SinkKind::Network],
            trackers: vec!["firebase".into()],
            destinations: vec![
                destination(
                    "collect.flash-stats.cn",
                    Some("Flash Stats Ltd"),
                    Some("CN"),
                    Some("CN"),
                    None,
                ),
                destination(
                    "app-measurement.com",
                    Some("Google LLC"),
                    Some("US"),
                    None,
                    Some("Google Firebase Analytics"),
                ),
            ],
            declared: Some(false),
            necessary: Some(false),
        },
    );
    assessed.insert(
        Category::DeviceIds,
        CategoryAssessment {
            accessed: true,
            transmitted: false,
            sinks: vec![SinkKind::Log],
            declared: None,
            necessary: Some(true),
            ..Default::default()
        },
    );
    let assessment = Assessment {
        verdict: Verdict::Leakware,
        score: 87,
        app_kind: AppKind {
            kind: "flashlight".into(),
            source: "inferred".into(),
            reason: Some(format!("label mentions flashlight {HOSTILE}")),
        },
        declarations: None,
        reasons: vec![
            Reason {
                code: "LS101".into(),
                category: Some(Category::Contacts),
                message: "Contacts are sent to collect.flash-stats.cn although a flashlight does not need them.".into(),
                weight: 45,
                evidence: vec![
                    "flows[0]".into(),
                    format!("categories.contacts.evidence[{}]", CONTACTS_EVIDENCE - 1),
                    "trackers[firebase]".into(),
                    "endpoints[collect.flash-stats.cn]".into(),
                ],
            },
            Reason {
                code: "LS103".into(),
                category: Some(Category::Contacts),
                message: "Google Firebase Analytics reads contacts.".into(),
                weight: 20,
                evidence: vec![format!("categories.contacts.evidence[{CONTACTS_EVIDENCE}]"), "taint".into()],
            },
            Reason {
                code: "LS999".into(),
                category: None,
                message: HOSTILE.into(),
                weight: 1,
                evidence: vec![HOSTILE.into(), "flows[99]".into(), format!("trackers[{HOSTILE}]")],
            },
        ],
        categories: assessed,
    };

    Report {
        schema_version: SCHEMA_VERSION.into(),
        tool: Tool {
            name: "leakscope".into(),
            version: "0.1.0".into(),
            kb_version: "2026.11".into(),
        },
        app: AppInfo {
            platform: "android".into(),
            input_kind: "apk".into(),
            path: format!("/tmp/{HOSTILE}.apk"),
            package: Some("org.example.flash".into()),
            version_name: Some("2.0".into()),
            version_code: Some(20),
            label: Some(format!("Flash {HOSTILE}")),
            min_sdk: Some(21),
            target_sdk: Some(34),
            sha256: "ab".repeat(32),
            size: 1_234_567,
            signers: vec![SignerInfo {
                sha256: "cd".repeat(32),
                subject: format!("CN={HOSTILE}"),
                issuer: "CN=x".into(),
                schemes: vec!["v2".into(), "v3".into()],
            }],
        },
        categories,
        permissions: vec![
            PermissionFinding {
                name: "android.permission.READ_CONTACTS".into(),
                protection_level: Some("dangerous".into()),
                category: Some(Category::Contacts),
                used: Some(true),
                ..Default::default()
            },
            PermissionFinding {
                name: "android.permission.CAMERA".into(),
                protection_level: Some("dangerous".into()),
                used: Some(false),
                ..Default::default()
            },
            PermissionFinding {
                name: HOSTILE.into(),
                used: None,
                ..Default::default()
            },
        ],
        trackers,
        endpoints,
        dynamic_code: vec![DynamicCodeFinding {
            container: "assets/payload 1.dex".into(),
            kind: "dex".into(),
            dex_count: 1,
        }],
        flows,
        taint: Some(TaintCoverage {
            complete: false,
            methods_analyzed: 1200,
            methods_skipped: 34,
            notes: vec![format!("budget hit in {HOSTILE}")],
        }),
        assessment: Some(assessment),
        policy: Some(PolicyDecision {
            policy: "baseline".into(),
            decision: Decision::Block,
            matched: vec![RuleMatch {
                rule: "baseline.contacts_transmitted".into(),
                level: Decision::Block,
                message: "Contacts leave the device.".into(),
                category: Some(Category::Contacts),
                sdk: None,
                suppression_reason: None,
            }],
            suppressed: vec![RuleMatch {
                rule: "baseline.tracker_present".into(),
                level: Decision::Warn,
                message: "A tracker is embedded.".into(),
                category: None,
                sdk: Some("firebase".into()),
                suppression_reason: Some(HOSTILE.into()),
            }],
        }),
        warnings: vec![Warning {
            source: "classes3.dex".into(),
            message: format!("bad method {HOSTILE}"),
        }],
        timings: BTreeMap::from([("total".to_owned(), 812.5)]),
    }
}

/// Apps of the corpus's `realworld` folder with a good spread of findings
/// (trackers, endpoints, many API accesses), those that exist.
pub fn corpus_apks() -> Vec<PathBuf> {
    let Some(dir) = corpus() else {
        return Vec::new();
    };
    let picked: Vec<PathBuf> = [
        "realworld/vulnerable/insecureShop.apk",
        "realworld/insecurebankv2/InsecureBankv2.apk",
        "realworld/vulnerable/AndroGoat.apk",
        "realworld/mobsf/android.apk",
        "realworld/owasp-mastg/r2pay-v0.9.apk",
    ]
    .iter()
    .map(|p| dir.join(p))
    .filter(|p| p.is_file())
    .collect();
    if picked.is_empty() {
        eprintln!("SKIP: none of the chosen APKs is in {}", dir.display());
    }
    picked
}
