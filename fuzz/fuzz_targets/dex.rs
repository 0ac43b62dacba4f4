#![no_main]
//! Parses arbitrary bytes as a DEX container and walks every structure:
//! strings, ids, signatures, method handles, call sites, class defs,
//! interfaces, static values, class data, code items, tries and handlers,
//! debug info (events, positions, locals).
//! Errors are ignored; only panics, hangs and excessive allocation count.

use leakscope_dex::{DexFile, EncodedArray, EncodedValue, ParseOptions, dex_images};
use libfuzzer_sys::fuzz_target;

/// Upper bound on id-table walks per image, to keep each run fast.
const MAX_IDS: u32 = 1 << 16;

fn walk_value(dex: &DexFile<'_>, value: &EncodedValue<'_>) {
    match value {
        EncodedValue::Array(a) => walk_array(dex, a),
        EncodedValue::Annotation(ann) => {
            for e in ann.elements().flatten() {
                let _ = dex.string_lossy(e.name_idx);
                walk_value(dex, &e.value);
            }
        }
        EncodedValue::String(i) => {
            let _ = dex.string_lossy(*i);
        }
        EncodedValue::Type(i) => {
            let _ = dex.type_descriptor_lossy(*i);
        }
        EncodedValue::Field(i) | EncodedValue::Enum(i) => {
            let _ = dex.field_signature(*i);
        }
        EncodedValue::Method(i) => {
            let _ = dex.method_signature(*i);
        }
        EncodedValue::MethodType(i) => {
            let _ = dex.proto_descriptor(*i);
        }
        EncodedValue::MethodHandle(i) => {
            let _ = dex.method_handle(*i);
        }
        _ => {}
    }
}

// Recursion depth is bounded by the parser's nesting limit (MAX_NESTING).
fn walk_array(dex: &DexFile<'_>, array: &EncodedArray<'_>) {
    for v in array.iter().flatten() {
        walk_value(dex, &v);
    }
}

fn walk(dex: &DexFile<'_>) {
    for w in dex.warnings() {
        let _ = w.to_string();
    }
    let _ = dex.map_items().count();
    for i in 0..dex.strings_len().min(MAX_IDS) {
        let _ = dex.string_lossy(i);
    }
    for i in 0..dex.types_len().min(MAX_IDS) {
        let _ = dex.type_descriptor(i);
    }
    for i in 0..dex.protos_len().min(MAX_IDS) {
        let _ = dex.proto_descriptor(i);
    }
    for i in 0..dex.fields_len().min(MAX_IDS) {
        let _ = dex.field_signature(i);
    }
    for i in 0..dex.methods_len().min(MAX_IDS) {
        let _ = dex.method_signature(i);
    }
    for i in 0..dex.method_handles_len().min(MAX_IDS) {
        let _ = dex.method_handle(i);
    }
    for i in 0..dex.call_sites_len().min(MAX_IDS) {
        if let Ok(cs) = dex.call_site(i) {
            walk_array(dex, &cs.array);
            for v in cs.extra_args.flatten() {
                walk_value(dex, &v);
            }
        }
    }
    // Code items shared by several methods (hostile files) are walked once,
    // as the crate docs advise callers to do.
    let mut code_seen = std::collections::HashSet::new();
    let mut class_data_seen = std::collections::HashSet::new();
    for class in dex.class_defs() {
        let _ = dex.type_descriptor_lossy(class.class_idx);
        if let Ok(list) = dex.interfaces(&class) {
            for t in list.iter() {
                let _ = dex.type_descriptor(u32::from(t));
            }
        }
        if let Ok(Some(values)) = dex.static_values(&class) {
            walk_array(dex, &values);
        }
        if class
            .class_data_off
            .is_some_and(|off| !class_data_seen.insert(off))
        {
            continue;
        }
        let Ok(Some(data)) = dex.class_data(&class) else {
            continue;
        };
        for f in data.fields().flatten() {
            let _ = dex.field_signature(f.field_idx);
        }
        for m in data.methods().flatten() {
            let _ = dex.method_signature(m.method_idx);
            let Some(off) = m.code_off else { continue };
            if !code_seen.insert(off) {
                continue;
            }
            let Ok(code) = dex.code_item(off) else {
                continue;
            };
            let _ = code.handlers_list_size();
            // Try items may share a handler: decode each handler once.
            let mut handlers = std::collections::HashSet::new();
            for block in code.try_blocks().flatten() {
                if !handlers.insert(block.try_item.handler_off) {
                    continue;
                }
                for c in block.handler.clauses() {
                    let _ = dex.type_descriptor(c.type_idx);
                }
                let _ = block.handler.catch_all_addr;
            }
            if code.debug_info_off != 0
                && let Ok(info) = dex.debug_info(code.debug_info_off)
            {
                let _ = info.parameter_names().count();
                let _ = info.events().count();
                let _ = info.positions().count();
                let is_static = m.access_flags & 0x8 != 0;
                for v in info.locals(dex, &code, m.method_idx, is_static).flatten() {
                    if let Some(leakscope_dex::LocalName::String(n)) = v.name {
                        let _ = dex.string_lossy(n);
                    }
                    if let Some(t) = v.type_idx {
                        let _ = dex.type_descriptor(t);
                    }
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    for image in dex_images(data, ParseOptions::verified()) {
        match image {
            Ok(dex) => walk(&dex),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
    if let Ok(dex) = DexFile::parse(data) {
        let _ = dex.class_defs().count();
    }
});
