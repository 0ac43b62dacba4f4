//! Speed check: reads every `classes*.dex` of each APK given, single-threaded,
//! and compares with `unzip -p APK 'classes*.dex' > /dev/null`.
//!
//! `cargo run --release -p leakscope-zip --example zip_bench -- APK...`

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use leakscope_zip::{Archive, Limits};

fn best_of<F: FnMut()>(n: usize, mut f: F) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn is_dex(name: &[u8]) -> bool {
    name.starts_with(b"classes") && name.ends_with(b".dex") && !name.contains(&b'/')
}

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            println!("{path}: unreadable");
            continue;
        };
        let mut total = 0usize;
        let ours = best_of(5, || {
            total = 0;
            match Archive::parse(&bytes, Limits::default()) {
                Ok(a) => {
                    for e in a.entries().iter().filter(|e| is_dex(e.name)) {
                        total += a.read(e).map(|d| d.len()).unwrap_or(0);
                    }
                }
                Err(e) => println!("{path}: {e}"),
            }
        });
        let parse = best_of(5, || {
            let _ = Archive::parse(&bytes, Limits::default());
        });
        let unzip = best_of(5, || {
            let _ = Command::new("unzip")
                .args(["-p", &path, "classes*.dex"])
                .stdout(Stdio::null())
                .status();
        });
        println!(
            "{path}: {:.1} MB dex, parse {:.2} ms, leakscope parse+read {:.1} ms, unzip -p {:.1} ms, ratio {:.2}",
            total as f64 / 1e6,
            parse.as_secs_f64() * 1e3,
            ours.as_secs_f64() * 1e3,
            unzip.as_secs_f64() * 1e3,
            ours.as_secs_f64() / unzip.as_secs_f64()
        );
    }
}
