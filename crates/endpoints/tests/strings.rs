//! `printable_strings` and `utf16le_strings` against GNU `strings(1)` on
//! real native libraries from the corpus, and on synthetic input.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use leakscope_endpoints::{printable_strings, utf16le_strings};

#[test]
fn ascii_runs_synthetic() {
    let b = b"\x00abc\x01hello world\ttab\x7fxyz\xffend";
    let runs: Vec<&[u8]> = printable_strings(b, 3).collect();
    assert_eq!(runs, vec![&b"abc"[..], b"hello world\ttab", b"xyz", b"end"]);
    let runs: Vec<&[u8]> = printable_strings(b, 4).collect();
    assert_eq!(runs, vec![&b"hello world\ttab"[..]]);
    assert_eq!(printable_strings(b"", 4).count(), 0);
    assert_eq!(
        printable_strings(b"abcd", 0).collect::<Vec<_>>(),
        vec![&b"abcd"[..]]
    );
    assert_eq!(printable_strings(&[0u8; 100], 1).count(), 0);
}

#[test]
fn utf16_runs_synthetic() {
    let mut b = vec![0xffu8, 0x12];
    b.extend(
        "https://api.x.io/"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    b.extend([0, 0, 0x41]);
    b.extend("ab".encode_utf16().flat_map(u16::to_le_bytes));
    let runs: Vec<_> = utf16le_strings(&b, 4).collect();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].offset(), 2);
    let mut buf = Vec::new();
    runs[0].decode_into(&mut buf);
    assert_eq!(buf, b"https://api.x.io/");
    assert_eq!(runs[0].chars(), 17);
    // Odd alignment.
    let mut odd = vec![0x01u8];
    odd.extend("hello".encode_utf16().flat_map(u16::to_le_bytes));
    let runs: Vec<_> = utf16le_strings(&odd, 5).collect();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].offset(), 1);
    assert_eq!(utf16le_strings(&[0u8; 64], 1).count(), 0);
    assert_eq!(utf16le_strings(b"a", 1).count(), 0);
    assert_eq!(utf16le_strings(b"a\x00", 1).count(), 1);
}

fn so_files() -> Vec<PathBuf> {
    let corpus = match std::env::var_os("LEAKSCOPE_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    let mut apks = Vec::new();
    for sub in [
        "realworld/owasp-mastg",
        "realworld/vulnerable",
        "realworld/mobsf",
    ] {
        if let Ok(rd) = std::fs::read_dir(corpus.join(sub)) {
            let mut v: Vec<_> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "apk"))
                .collect();
            v.sort();
            apks.extend(v);
        }
    }
    let scratch = std::env::temp_dir().join(format!(
        "leakscope-endpoints-strings-{}",
        std::process::id()
    ));
    let _ = std::fs::create_dir_all(&scratch);
    let mut out = Vec::new();
    for (i, apk) in apks.iter().enumerate() {
        let Ok(o) = Command::new("unzip")
            .args(["-p", "-qq"])
            .arg(apk)
            .arg("lib/*.so")
            .stderr(Stdio::null())
            .output()
        else {
            continue;
        };
        if o.stdout.is_empty() {
            continue;
        }
        let p = scratch.join(format!("{i}.so"));
        if std::fs::write(&p, &o.stdout).is_ok() {
            out.push(p);
        }
    }
    out
}

fn gnu_strings(path: &Path, args: &[&str]) -> Option<Vec<Vec<u8>>> {
    let o = Command::new("strings").args(args).arg(path).output().ok()?;
    o.status.success().then(|| {
        o.stdout
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect()
    })
}

#[test]
fn agrees_with_gnu_strings_on_native_libraries() {
    if Command::new("strings")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        eprintln!("SKIP: strings(1) not installed");
        return;
    }
    let files = so_files();
    if files.is_empty() {
        eprintln!("SKIP: no corpus APK with native libraries (set LEAKSCOPE_CORPUS)");
        return;
    }
    let mut total = 0usize;
    let mut total16 = 0usize;
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        let Some(want) = gnu_strings(f, &["-a", "-n", "6"]) else {
            continue;
        };
        let ours: Vec<Vec<u8>> = printable_strings(&bytes, 6).map(<[u8]>::to_vec).collect();
        assert_eq!(ours.len(), want.len(), "{}", f.display());
        assert!(ours == want, "{}: ASCII runs differ", f.display());
        total += ours.len();
        // UTF-16LE: every run GNU strings finds, we find too.
        let Some(want16) = gnu_strings(f, &["-a", "-e", "l", "-n", "6"]) else {
            continue;
        };
        let mut buf = Vec::new();
        let ours16: Vec<Vec<u8>> = utf16le_strings(&bytes, 6)
            .map(|r| {
                r.decode_into(&mut buf);
                buf.clone()
            })
            .collect();
        for w in &want16 {
            assert!(
                ours16.iter().any(|o| o.ends_with(w) || o == w),
                "{}: missing UTF-16 {:?}",
                f.display(),
                String::from_utf8_lossy(w)
            );
        }
        total16 += want16.len();
        let _ = std::fs::remove_file(f);
    }
    eprintln!(
        "{} native blobs: {total} ASCII runs and {total16} UTF-16LE runs agree with strings(1)",
        files.len()
    );
}

#[test]
fn utf16_agrees_with_gnu_strings_on_synthetic_blob() {
    if Command::new("strings")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        eprintln!("SKIP: strings(1) not installed");
        return;
    }
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut blob = Vec::new();
    let texts = [
        "https://telemetry.vendor.com/v1",
        "api.tracker-sdk.io",
        "C:\\Windows\\x",
        "short",
        "10.0.0.1:8080",
    ];
    for i in 0..400 {
        blob.push(0xff);
        for _ in 0..(x % 40) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            blob.push((x >> 24) as u8);
        }
        let t = texts[i % texts.len()];
        blob.extend(t.encode_utf16().flat_map(u16::to_le_bytes));
    }
    let path = std::env::temp_dir().join(format!("leakscope-endpoints-u16-{}", std::process::id()));
    if std::fs::write(&path, &blob).is_err() {
        eprintln!("SKIP: cannot write temp file");
        return;
    }
    let want = gnu_strings(&path, &["-a", "-e", "l", "-n", "6"]).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    let mut buf = Vec::new();
    let ours: Vec<Vec<u8>> = utf16le_strings(&blob, 6)
        .map(|r| {
            r.decode_into(&mut buf);
            buf.clone()
        })
        .collect();
    // GNU strings reads code units at one alignment, so it sees only part
    // of the runs; we must find all of those, and all 320 planted ones.
    assert!(want.len() > 30, "{}", want.len());
    assert!(ours.len() >= 320, "{}", ours.len());
    let missing: Vec<_> = want
        .iter()
        .filter(|w| !ours.iter().any(|o| o.ends_with(w)))
        .collect();
    assert!(
        missing.is_empty(),
        "missing {} of {}: {:?}",
        missing.len(),
        want.len(),
        missing.first().map(|m| String::from_utf8_lossy(m))
    );
    eprintln!(
        "UTF-16LE: ours {} runs, strings(1) {} runs, none missed",
        ours.len(),
        want.len()
    );
}
