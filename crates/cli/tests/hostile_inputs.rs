//! Every corpus file gives a result or one clear error line: no panic, and
//! memory bounded; crafted hostile inputs degrade to partial results.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Address-space cap for each run (KiB): a parser that tries to allocate
/// from a hostile count fails here instead of passing by luck.
const MEMORY_CAP_KB: u64 = 4 * 1024 * 1024;

/// Runs leakscope under a memory cap; returns (exit code, stdout, stderr).
fn capped(args: &[&str], path: &Path) -> (i32, String, String) {
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_CAP_KB}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .arg(path)
        .output()
        .expect("run leakscope");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Checks the contract: exit 0 (possibly with warnings) or exit 2 with one
/// line naming the file.
fn check(path: &Path, args: &[&str]) -> Result<i32, String> {
    let (code, _, err) = capped(args, path);
    let shown = path.display().to_string();
    if err.contains("panicked") || code == 101 {
        return Err(format!("{shown}: {args:?} panicked: {err}"));
    }
    match code {
        0 => Ok(0),
        2 => {
            let errors: Vec<&str> = err
                .lines()
                .filter(|l| !l.starts_with("warning: "))
                .collect();
            if errors.len() != 1 || !errors[0].contains(&shown) {
                return Err(format!(
                    "{shown}: {args:?}: expected one error line naming the file, got: {err}"
                ));
            }
            Ok(2)
        }
        _ => Err(format!("{shown}: {args:?}: exit code {code}: {err}")),
    }
}

#[test]
fn every_corpus_file_gives_a_result_or_a_clear_error() {
    let Some(corpus) = corpus() else { return };
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["realworld", "droidbench", "iccbench", "ios", "traffic"] {
        files.extend(files_with_ext(
            &corpus.join(dir),
            &[
                "apk", "dex", "xapk", "apks", "apkm", "jar", "ipa", "xml", "dylib", "der", "pem",
                "json", "pcapng",
            ],
        ));
    }
    files.extend(registry_apks());
    assert!(files.len() > 150);
    let results = par_map(&files, |p| {
        let a = check(p, &["inspect", "manifest", "--json"]);
        let b = check(p, &["inspect", "dex", "--opcodes"]);
        (a, b)
    });
    let mut ok = 0;
    let mut errors = 0;
    let mut failures = Vec::new();
    for (a, b) in results {
        for r in [a, b] {
            match r {
                Ok(0) => ok += 1,
                Ok(_) => errors += 1,
                Err(e) => failures.push(e),
            }
        }
    }
    eprintln!("{ok} results, {errors} clear errors");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A scratch directory for crafted inputs.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leakscope-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a ZIP with Python's zipfile: `entries` are (name, bytes, deflate?).
fn write_zip(path: &Path, entries: &[(&str, Vec<u8>, bool)]) {
    let dir = path.parent().unwrap();
    let mut script = String::from("import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w')\n");
    for (i, (name, data, deflate)) in entries.iter().enumerate() {
        let f = dir.join(format!("entry{i}.bin"));
        std::fs::write(&f, data).unwrap();
        script.push_str(&format!(
            "z.write({:?}, {:?}, compress_type=zipfile.{})\n",
            f.display().to_string(),
            name,
            if *deflate {
                "ZIP_DEFLATED"
            } else {
                "ZIP_STORED"
            }
        ));
    }
    script.push_str("z.close()\n");
    let st = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn garbage_and_empty_files_give_one_error_line() {
    let dir = scratch("garbage");
    let garbage = dir.join("garbage.apk");
    std::fs::write(
        &garbage,
        (0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let empty = dir.join("empty.apk");
    std::fs::write(&empty, b"").unwrap();
    for p in [&garbage, &empty] {
        assert_eq!(check(p, &["inspect", "manifest", "--json"]), Ok(2));
        assert_eq!(check(p, &["inspect", "dex", "--methods"]), Ok(2));
    }
    let missing = dir.join("missing.apk");
    assert_eq!(check(&missing, &["inspect", "manifest"]), Ok(2));
}

#[test]
fn truncated_dex_in_an_apk_is_a_warning_not_a_failure() {
    let dex = std::fs::read(repo_root().join("fixtures/dex/minimal.dex"));
    let Ok(dex) = dex else {
        eprintln!("SKIP: fixtures/dex/minimal.dex not built");
        return;
    };
    let dir = scratch("truncated");
    let apk = dir.join("truncated.apk");
    let manifest = std::fs::read(repo_root().join("fixtures/apk/unpacked/AndroidManifest.xml"))
        .unwrap_or_default();
    let half = dex[..dex.len() / 2].to_vec();
    write_zip(
        &apk,
        &[
            ("AndroidManifest.xml", manifest, true),
            ("classes.dex", dex.clone(), true),
            ("classes2.dex", half, true),
        ],
    );
    let (code, out, err) = capped(&["inspect", "dex", "--methods"], &apk);
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.is_empty(),
        "the intact classes.dex must still be listed"
    );
    assert!(
        err.contains("classes2.dex"),
        "the truncated DEX must be named in a warning: {err}"
    );
}

#[test]
fn a_zip_bomb_is_refused_with_bounded_memory() {
    let dir = scratch("bomb");
    let apk = dir.join("bomb.apk");
    // 2 GiB of zeros deflate to about 2 MiB: the classes.dex entry must be
    // refused by the compression-ratio / size limits, not inflated.
    let script = "import zipfile,sys\n\
        z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\n\
        z.writestr('AndroidManifest.xml', b'')\n\
        with z.open('classes.dex','w',force_zip64=True) as f:\n\
        \x20   chunk=b'\\0'*(1<<24)\n\
        \x20   for _ in range(128): f.write(chunk)\n\
        z.close()\n";
    let st = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&apk)
        .status()
        .unwrap();
    assert!(st.success());
    let start = std::time::Instant::now();
    let (code, _, err) = capped(&["inspect", "dex", "--opcodes"], &apk);
    assert!(code == 0 || code == 2, "{err}");
    assert!(err.contains("classes.dex"), "the bomb must be named: {err}");
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}
