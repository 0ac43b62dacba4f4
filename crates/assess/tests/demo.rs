//! The demo app (`demo/flashlight.apk`, ground truth in
//! `demo/flashlight.expected.json`) and the example declarations under
//! `data/assessment/examples/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::repo;
use leakscope_assess::{AssessOptions, Assessor, Declarations};
use leakscope_model::{Category, Report, SinkKind, Verdict};

fn analyze_demo() -> Option<(Report, leakscope_app::App)> {
    let path = repo().join("demo/flashlight.apk");
    if !path.is_file() {
        eprintln!("SKIP: {} not found", path.display());
        return None;
    }
    let app = leakscope_app::load(&path, &leakscope_app::Options::default()).unwrap();
    let kb = leakscope_kb::Kb::embedded().unwrap();
    let report = leakscope_analysis::analyze(&app, kb, &Default::default());
    Some((report, app))
}

#[test]
fn demo_flashlight_is_inferred_and_judged() {
    let Some((mut report, app)) = analyze_demo() else {
        return;
    };
    let assessor = Assessor::embedded().unwrap();
    let kind = assessor.infer_kind(&report, app.manifest.as_ref());
    assert_eq!(
        (kind.kind.as_str(), kind.source.as_str()),
        ("flashlight", "inferred")
    );
    let why = kind.reason.unwrap();
    assert!(
        why.contains("android.hardware.camera.flash") && why.contains("Super Flashlight"),
        "{why}"
    );

    // As analysed: without the data-flow analysis, unneeded reads and no
    // proven transmission; with it, the flows make it leakware.
    let a = assessor
        .assess(&report, app.manifest.as_ref(), &AssessOptions::default())
        .unwrap();
    for c in [Category::Contacts, Category::Geolocation] {
        let ca = &a.categories[&c];
        assert!(ca.accessed, "{c}");
        assert_eq!(ca.necessary, Some(false), "{c}");
    }
    if report.categories[&Category::Contacts].transmitted {
        let ls101 = |r: &leakscope_model::Reason| {
            r.code == "LS101" && r.category == Some(Category::Contacts)
        };
        assert!(a.reasons.iter().any(ls101));
        assert_eq!(a.verdict, Verdict::Leakware, "{a:#?}");
    } else {
        let ls105 = |r: &leakscope_model::Reason| {
            r.code == "LS105" && r.category == Some(Category::Contacts)
        };
        assert!(a.reasons.iter().any(ls105));
        assert_eq!(a.verdict, Verdict::NeedsReview, "{a:#?}");
    }

    // The ground truth: contacts and location go to the network
    // (UploadService). Set what the taint analysis will find.
    for c in [Category::Contacts, Category::Geolocation] {
        let f = report.categories.get_mut(&c).unwrap();
        f.transmitted = true;
        f.sinks = vec![SinkKind::Network];
    }
    let a = assessor
        .assess(&report, app.manifest.as_ref(), &AssessOptions::default())
        .unwrap();
    assert_eq!(a.verdict, Verdict::Leakware, "{a:#?}");
    assert_eq!(a.score, 100);
    assert_eq!(a.reasons[0].code, "LS101");
    let top: Vec<Option<Category>> = a.reasons.iter().take(2).map(|r| r.category).collect();
    assert!(top.contains(&Some(Category::Contacts)) && top.contains(&Some(Category::Geolocation)));
    // The flash needs the camera: photos_videos is "may need", not a leak.
    assert_eq!(a.categories[&Category::PhotosVideos].necessary, Some(true));
    // The app's own collection hosts are in the report; print them for the log.
    eprintln!("{}", serde_json::to_string_pretty(&a).unwrap());

    // Declaring location (the example CSV) halves its weight and leaves
    // contacts undeclared.
    let decl =
        Declarations::load(&repo().join("data/assessment/examples/flashlight-data-safety.csv"))
            .unwrap();
    let opts = AssessOptions {
        app_kind: None,
        declarations: Some(decl),
    };
    let a = assessor
        .assess(&report, app.manifest.as_ref(), &opts)
        .unwrap();
    assert_eq!(a.categories[&Category::Geolocation].declared, Some(true));
    assert_eq!(a.categories[&Category::Contacts].declared, Some(false));
    assert!(
        a.reasons
            .iter()
            .any(|r| r.code == "LS104" && r.category == Some(Category::Contacts))
    );
    assert!(
        !a.reasons
            .iter()
            .any(|r| r.code == "LS104" && r.category == Some(Category::Geolocation))
    );
    assert_eq!(a.verdict, Verdict::Leakware);
}

#[test]
fn example_declaration_files_agree() {
    let dir = repo().join("data/assessment/examples");
    let json = Declarations::load(&dir.join("flashlight-declared.json")).unwrap();
    let csv = Declarations::load(&dir.join("flashlight-data-safety.csv")).unwrap();
    let want = vec![Category::Geolocation, Category::DeviceIds];
    assert_eq!(json.collected.iter().copied().collect::<Vec<_>>(), want);
    assert_eq!(csv.collected.iter().copied().collect::<Vec<_>>(), want);
    assert_eq!(
        json.shared.iter().copied().collect::<Vec<_>>(),
        vec![Category::DeviceIds]
    );
    assert_eq!(
        csv.shared.iter().copied().collect::<Vec<_>>(),
        vec![Category::DeviceIds]
    );
    assert!(json.warnings.is_empty(), "{:?}", json.warnings);
    assert!(csv.warnings.is_empty(), "{:?}", csv.warnings);
    assert!(json.source.contains("Super Flashlight"));
    assert!(csv.source.ends_with("flashlight-data-safety.csv"));
    // Neither JSON nor CSV.
    let e = Declarations::load(&repo().join("data/assessment/app_kinds.toml")).unwrap_err();
    assert!(e.to_string().contains("not a declarations file"), "{e}");
}
