//! Prints the decoded tree, warnings and typed manifest of a binary or text
//! XML file as JSON: `cargo run -p leakscope-axml --example axml_dump FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: axml_dump FILE");
        std::process::exit(2);
    };
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    match leakscope_axml::decode_any(&data) {
        Ok(doc) => {
            for w in &doc.warnings {
                eprintln!("warning: {w}");
            }
            let (m, mw) = leakscope_axml::Manifest::from_element(&doc.root);
            for w in &mw {
                eprintln!("manifest warning: {w}");
            }
            let out = serde_json::json!({ "tree": doc.root, "manifest": m });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
