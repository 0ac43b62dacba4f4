//! Walks every structure of a (possibly hostile) input, ignoring errors,
//! the way the fuzz target does. Returns how many items were visited.

#![allow(dead_code)]

use leakscope_dex::{DexFile, EncodedArray, EncodedValue, ParseOptions, dex_images};

pub fn walk_bytes(data: &[u8]) -> usize {
    let mut n = 0;
    for image in dex_images(data, ParseOptions::verified()) {
        match image {
            Ok(dex) => n += walk(&dex),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
    n
}

fn walk_array(dex: &DexFile<'_>, a: &EncodedArray<'_>, depth: u32) -> usize {
    let mut n = 0;
    for v in a.iter() {
        n += 1;
        match v {
            Ok(EncodedValue::Array(inner)) if depth < 40 => n += walk_array(dex, &inner, depth + 1),
            Ok(EncodedValue::Annotation(ann)) => {
                for e in ann.elements() {
                    n += 1;
                    if let Ok(e) = e {
                        let _ = dex.string(e.name_idx);
                    }
                }
            }
            Ok(EncodedValue::String(i)) => {
                let _ = dex.string_lossy(i);
            }
            _ => {}
        }
    }
    n
}

pub fn walk(dex: &DexFile<'_>) -> usize {
    let mut n = 0;
    for w in dex.warnings() {
        let _ = w.to_string();
    }
    for _ in dex.map_items() {
        n += 1;
    }
    for i in 0..dex.strings_len().min(100_000) {
        let _ = dex.string_lossy(i);
        n += 1;
    }
    for i in 0..dex.methods_len().min(100_000) {
        let _ = dex.method_signature(i);
        n += 1;
    }
    for i in 0..dex.fields_len().min(100_000) {
        let _ = dex.field_signature(i);
        n += 1;
    }
    for i in 0..dex.method_handles_len().min(10_000) {
        let _ = dex.method_handle(i);
        n += 1;
    }
    for i in 0..dex.call_sites_len().min(10_000) {
        if let Ok(cs) = dex.call_site(i) {
            n += walk_array(dex, &cs.array, 0);
        }
    }
    for class in dex.class_defs() {
        n += 1;
        let _ = dex.type_descriptor_lossy(class.class_idx);
        if let Ok(list) = dex.interfaces(&class) {
            n += list.iter().count();
        }
        if let Ok(Some(values)) = dex.static_values(&class) {
            n += walk_array(dex, &values, 0);
        }
        let Ok(Some(data)) = dex.class_data(&class) else {
            continue;
        };
        n += data.fields().count();
        for m in data.methods() {
            n += 1;
            let Ok(m) = m else { continue };
            let _ = dex.method_signature(m.method_idx);
            let Some(off) = m.code_off else { continue };
            let Ok(code) = dex.code_item(off) else {
                continue;
            };
            n += code.insns.len();
            let _ = code.handlers_list_size();
            for block in code.try_blocks() {
                n += 1;
                if let Ok(b) = block {
                    n += b.handler.clauses().count();
                }
            }
        }
    }
    n
}
