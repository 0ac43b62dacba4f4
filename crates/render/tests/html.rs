//! HTML output: escaping of hostile strings, no external resource, section
//! order, links that resolve; and a real browser (headless Chromium) that
//! renders the page, whose DOM is checked and whose screenshot is saved in
//! `target/test-artifacts/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use leakscope_model::Report;
use leakscope_render::html;

/// The section ids, in page order.
const SECTIONS: [&str; 12] = [
    "app",
    "verdict",
    "reasons",
    "categories",
    "flows",
    "destinations",
    "map",
    "trackers",
    "permissions",
    "endpoints",
    "warnings",
    "evidence",
];

/// Every value of `attr="..."` in the page.
fn attr_values<'a>(page: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    page.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &page[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn position(page: &str, id: &str) -> usize {
    page.find(&format!(" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element with id {id}"))
}

#[test]
fn hostile_strings_are_escaped() {
    let page = html(&synthetic_report());
    assert!(!page.contains("<script"), "a script tag got through");
    assert!(!page.contains("<img"), "an img tag got through");
    // `onerror=` appears only inside the escaped text.
    assert_eq!(
        page.matches("onerror=alert").count(),
        page.matches("&lt;img src=x onerror=alert").count(),
        "an attribute got through"
    );
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    // Fragment ids made from hostile ids are plain.
    for id in attr_values(&page, "id") {
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "unsafe id {id:?}"
        );
    }
}

#[test]
fn page_is_self_contained() {
    for report in [synthetic_report(), Report::default()] {
        let page = html(&report);
        assert!(!page.contains("@import"));
        assert!(!page.contains("url("), "CSS must not fetch anything");
        assert!(attr_values(&page, "src").is_empty(), "no src attributes");
        for href in attr_values(&page, "href") {
            assert!(href.starts_with('#'), "external link {href}");
        }
        let lower = page.to_ascii_lowercase();
        assert!(!lower.contains("src=\"http") && !lower.contains("href=\"http"));
    }
}

#[test]
fn sections_come_in_order_and_links_resolve() {
    let page = html(&synthetic_report());
    let positions: Vec<usize> = SECTIONS.iter().map(|id| position(&page, id)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    let ids: std::collections::HashSet<&str> = attr_values(&page, "id").into_iter().collect();
    for href in attr_values(&page, "href") {
        let target = href.trim_start_matches('#');
        assert!(ids.contains(target), "dangling link {href}");
    }
    // The reason's pointers are links to the flow, the 60th evidence row
    // (past the list's cap is fine: 60 < 100), the tracker and the endpoint.
    assert!(page.contains("href=\"#flow-0\""));
    assert!(page.contains(&format!("href=\"#ev-contacts-{}\"", CONTACTS_EVIDENCE - 1)));
    assert!(page.contains("href=\"#tracker-firebase\""));
    assert!(page.contains("href=\"#endpoint-collect.2eflash-stats.2ecn\""));
    // An unknown pointer stays text.
    assert!(page.contains("<span class=\"ptr\" title=\"flows[99]\">flow #99</span>"));
}

#[test]
fn verdict_and_policy_are_shown() {
    let page = html(&synthetic_report());
    assert!(page.contains("class=\"verdict v-leakware\""));
    assert!(page.contains(">Leakware<"));
    assert!(page.contains(">87<"));
    assert!(page.contains("class=\"policy p-block\""));
    assert!(page.contains("baseline.contacts_transmitted"));
    // The map shades China (a destination with data sent) and the US.
    assert!(
        page.contains("class=\"m1\" data-cc=\"CN\"")
            || page.contains("class=\"m2\" data-cc=\"CN\"")
    );
    assert!(!page.contains("class=\"m0\" data-cc=\"US\""));
    // ZZ is no country on the map: listed under it.
    assert!(page.contains("Not on the map: ZZ (1)"));
}

#[test]
fn reports_without_assessment_render() {
    let page = html(&Report::default());
    assert!(page.contains("class=\"verdict v-none\""));
    assert!(page.contains("Not assessed"));
    for id in SECTIONS {
        position(&page, id);
    }
}

/// Renders `page` in headless Chromium: returns the DOM it built, and saves
/// a screenshot as `name.png` next to the page in the artifacts directory.
/// `None` when Chromium is not installed.
fn chromium(page: &str, name: &str) -> Option<String> {
    let bin = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(bin) = bin else {
        eprintln!("SKIP: chromium not installed (apt-get install chromium)");
        return None;
    };
    let dir = artifacts_dir();
    let file = dir.join(format!("{name}.html"));
    std::fs::write(&file, page).unwrap();
    let url = format!("file://{}", file.canonicalize().unwrap().display());
    let profile = std::env::temp_dir().join(format!(
        "leakscope-render-chromium-{}-{name}",
        std::process::id()
    ));
    let run = |extra: &[&str]| {
        let mut child = Command::new(bin)
            .args([
                "--headless",
                "--disable-gpu",
                "--no-sandbox",
                "--hide-scrollbars",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // Read stdout on a thread so a big DOM cannot fill the pipe, and
        // give up on a browser that hangs.
        let mut stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut stdout, &mut s).map(|_| s)
        });
        let deadline = Instant::now() + Duration::from_secs(90);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("chromium did not finish within 90 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
        }
        assert!(status.success(), "chromium failed: {stderr}");
        reader.join().unwrap().unwrap()
    };
    let png = dir.join(format!("{name}.png"));
    run(&[
        &format!("--screenshot={}", png.display()),
        "--window-size=1280,2400",
    ]);
    let dom = run(&["--dump-dom"]);
    let _ = std::fs::remove_dir_all(&profile);
    assert_png(&png);
    eprintln!("screenshot: {}", png.display());
    Some(dom)
}

fn assert_png(path: &Path) {
    let bytes = std::fs::read(path).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(bytes.len() > 10_000, "screenshot suspiciously small");
}

fn check_dom(dom: &str) {
    for id in SECTIONS {
        assert!(dom.contains(&format!("id=\"{id}\"")), "{id} not in the DOM");
    }
    // The browser built no script or image element from hostile strings.
    assert!(!dom.contains("<script"), "script element in the DOM");
    assert!(!dom.contains("<img"), "img element in the DOM");
    let map = &dom[dom.find("id=\"map\"").unwrap()..];
    let map = &map[..map.find("</svg>").expect("the map's svg closes")];
    let paths = map.matches("<path ").count();
    assert!(paths > 100, "only {paths} country paths");
}

#[test]
fn renders_in_headless_chromium() {
    let Some(dom) = chromium(&html(&synthetic_report()), "synthetic-report") else {
        return;
    };
    check_dom(&dom);
    assert!(dom.contains("Leakware"));
    assert!(dom.contains("id=\"flow-2\""));
}

#[test]
fn demo_app_renders_in_headless_chromium() {
    let report = demo_report();
    let Some(dom) = chromium(&html(&report), "flashlight-report") else {
        return;
    };
    check_dom(&dom);
    if let Some(label) = &report.app.label {
        assert!(dom.contains(label.as_str()), "label {label} not shown");
    }
}

#[test]
fn assessed_demo_app_renders_in_headless_chromium() {
    let report = analyze_and_assess(&repo_root().join("demo/flashlight.apk"));
    let page = html(&report);
    let ids: std::collections::HashSet<&str> = attr_values(&page, "id").into_iter().collect();
    for href in attr_values(&page, "href") {
        assert!(
            ids.contains(href.trim_start_matches('#')),
            "dangling link {href}"
        );
    }
    let Some(dom) = chromium(&page, "flashlight-assessed-report") else {
        return;
    };
    check_dom(&dom);
    let verdict = report.assessment.as_ref().map(|a| a.verdict).unwrap();
    let shown = match verdict {
        leakscope_model::Verdict::Leakware => "Leakware",
        leakscope_model::Verdict::NeedsReview => "Needs review",
        leakscope_model::Verdict::NoLeakFound => "No leak found",
    };
    assert!(dom.contains(shown), "verdict {shown} not shown");
}
