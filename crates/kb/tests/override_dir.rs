//! `Kb::load_dir`: files present in the directory replace the embedded
//! ones, missing files fall back to them, and errors name the file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use leakscope_kb::{Category, Kb, KbError, Origin};

const HEAD: &str = "schema_version = 1\n[meta]\nsource = \"test\"\nlicence = \"Apache-2.0\"\nupdated = \"2030-01-01\"\n";

#[test]
fn empty_directory_gives_the_embedded_kb() {
    let dir = tempfile::tempdir().unwrap();
    let kb = Kb::load_dir(dir.path()).unwrap();
    assert!(kb.files.iter().all(|f| f.origin == Origin::Embedded));
    assert_eq!(kb.version, Kb::embedded().unwrap().version);
    assert_eq!(kb.apis.len(), Kb::embedded().unwrap().apis.len());
}

#[test]
fn one_file_overrides_and_the_rest_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("domains")).unwrap();
    let owners = format!(
        "{HEAD}[[owner]]\nid = \"acme\"\nname = \"ACME\"\ncountry = \"FR\"\ndomains = [\"acme.example\"]\n"
    );
    fs::write(dir.path().join("domains/owners.toml"), owners).unwrap();
    let kb = Kb::load_dir(dir.path()).unwrap();
    assert_eq!(kb.owners.len(), 1);
    assert_eq!(
        kb.owners
            .lookup("www.acme.example")
            .map(|o| o.country.as_str()),
        Some("FR")
    );
    assert!(kb.owners.lookup("google.com").is_none());
    // Everything else is the embedded data.
    assert_eq!(
        kb.permissions.category("android.permission.READ_SMS"),
        Some(Category::Messages)
    );
    assert_eq!(kb.trackers.len(), 432);
    let owners_file = kb
        .files
        .iter()
        .find(|f| f.name == "domains/owners.toml")
        .unwrap();
    assert_eq!(
        owners_file.origin,
        Origin::Dir(dir.path().join("domains/owners.toml"))
    );
    assert_eq!(owners_file.meta.source, "test");
    assert_eq!(kb.version, "2030-01-01+local");
}

#[test]
fn an_api_override_is_checked_against_the_permission_table() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("android")).unwrap();
    let apis = format!(
        "{HEAD}[[method]]\nclass = \"Lcom/example/Spy;\"\ncategory = \"audio\"\nrole = \"source\"\npermissions = [\"android.permission.RECORD_AUDIO\"]\nentries = [{{ name = \"listen\" }}]\n"
    );
    fs::write(dir.path().join("android/apis.toml"), &apis).unwrap();
    let kb = Kb::load_dir(dir.path()).unwrap();
    assert_eq!(kb.apis.len(), 1);
    assert_eq!(
        kb.apis
            .methods("Lcom/example/Spy;", "listen", "()V")
            .count(),
        1
    );

    let bad = apis.replace("RECORD_AUDIO", "RECORD_AUDIOS");
    fs::write(dir.path().join("android/apis.toml"), bad).unwrap();
    let err = Kb::load_dir(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("apis.toml")
            && err.contains("Lcom/example/Spy;->listen")
            && err.contains("unknown permission"),
        "{err}"
    );
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("categories.toml"),
        "schema_version = 1\n[meta\n",
    )
    .unwrap();
    let err = Kb::load_dir(dir.path()).unwrap_err();
    assert!(matches!(err, KbError::Syntax { .. }), "{err}");
    assert!(
        err.to_string()
            .contains(&dir.path().join("categories.toml").display().to_string()),
        "{err}"
    );

    fs::write(dir.path().join("categories.toml"), "schema_version = 7\n").unwrap();
    let err = Kb::load_dir(dir.path()).unwrap_err();
    assert!(
        matches!(err, KbError::SchemaVersion { found: 7, .. }),
        "{err}"
    );

    fs::write(dir.path().join("categories.toml"), [0xff, 0xfe, 0x00]).unwrap();
    let err = Kb::load_dir(dir.path()).unwrap_err();
    assert!(matches!(err, KbError::Io { .. }), "{err}");
}

#[test]
fn missing_or_non_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    assert!(matches!(Kb::load_dir(&missing), Err(KbError::Io { .. })));
    let file = dir.path().join("file");
    fs::write(&file, "x").unwrap();
    assert!(matches!(Kb::load_dir(&file), Err(KbError::Io { .. })));
}

#[test]
fn hostile_override_files_give_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("trackers")).unwrap();
    let cases = [
        "",
        "{}",
        "[]",
        "{\"schema_version\": 1}",
        "{\"schema_version\": 1, \"meta\": {\"source\": \"\", \"licence\": \"x\", \"updated\": \"2020-01-01\"}, \"trackers\": []}",
        "{\"schema_version\": 99999999999999999999}",
        "{\"schema_version\": 1, \"meta\": {\"source\": \"s\", \"licence\": \"x\", \"updated\": \"2020-01-01\"}, \"trackers\": [{\"id\": -1, \"name\": \"x\"}]}",
        "{\"schema_version\": 1, \"meta\": {\"source\": \"s\", \"licence\": \"x\", \"updated\": \"2020-01-01\"}, \"trackers\": [{\"id\": 1, \"name\": \"x\", \"code_signature\": \"(((((((((((((((((((((((((((((((((((((((((a\"}]}",
    ];
    for case in cases {
        fs::write(dir.path().join("trackers/exodus.json"), case).unwrap();
        assert!(Kb::load_dir(dir.path()).is_err(), "{case}");
    }
    // A deeply nested document is refused by the parser's recursion limit.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    fs::write(dir.path().join("trackers/exodus.json"), deep).unwrap();
    assert!(Kb::load_dir(dir.path()).is_err());
}

#[test]
fn deeply_nested_toml_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "schema_version = 1\nx = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    fs::write(dir.path().join("categories.toml"), deep).unwrap();
    assert!(Kb::load_dir(dir.path()).is_err());
}

#[test]
fn texts_override_like_a_directory() {
    let owners = format!(
        "{HEAD}[[owner]]\nid = \"acme\"\nname = \"ACME\"\ncountry = \"FR\"\ndomains = [\"acme.example\"]\n"
    );
    let kb = Kb::load_texts(&[("domains/owners.toml", &owners)]).unwrap();
    assert_eq!(
        kb.owners.lookup("acme.example").map(|o| o.id.as_str()),
        Some("acme")
    );
    assert_eq!(
        kb.files
            .iter()
            .find(|f| f.name == "domains/owners.toml")
            .map(|f| &f.origin),
        Some(&Origin::Given)
    );
    assert_eq!(kb.trackers.len(), 432);
    let err = Kb::load_texts(&[("owners.toml", &owners)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a knowledge-base file"), "{err}");
    let err = Kb::load_texts(&[
        ("domains/owners.toml", &owners),
        ("domains/owners.toml", &owners),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("duplicate file"), "{err}");
    assert!(Kb::load_texts(&[]).is_ok());
}

#[test]
fn a_directory_in_place_of_a_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("android/apis.toml")).unwrap();
    let err = Kb::load_dir(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("apis.toml") && err.contains("not a regular file"),
        "{err}"
    );
}
