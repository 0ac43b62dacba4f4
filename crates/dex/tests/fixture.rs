//! Checks against `tests/data/fixture.dex`, assembled by smali 2.5.2 from
//! `tests/data/Fixture.smali` (see the command in that file). The expected
//! values come from the smali source; the method handle and call site
//! sections are also compared with AOSP `dexdump` output when it is
//! installed. (dexdump 11 aborts on `VALUE_ENUM` static values, so the
//! fixture has none; enums are covered by the unit tests in `src/value.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use leakscope_dex::{DexFile, EncodedValue, FieldKind, MethodHandleKind, MethodKind, ParseOptions};

const FIXTURE: &[u8] = include_bytes!("data/fixture.dex");

fn dex() -> DexFile<'static> {
    DexFile::parse_with(FIXTURE, ParseOptions::verified()).unwrap()
}

#[test]
fn header_and_class() {
    let dex = dex();
    assert_eq!(dex.version(), 39);
    assert!(dex.warnings().is_empty(), "{:?}", dex.warnings());
    let class = dex.class_def(0).unwrap();
    assert_eq!(
        dex.type_descriptor(class.class_idx).unwrap(),
        b"Lleak/Fixture;"
    );
    assert_eq!(class.access_flags, 0x0401);
    assert_eq!(
        dex.type_descriptor(class.superclass_idx.unwrap()).unwrap(),
        b"Ljava/lang/Object;"
    );
    assert_eq!(
        dex.string(class.source_file_idx.unwrap()).unwrap(),
        b"Fixture.java"
    );
    let interfaces: Vec<_> = dex
        .interfaces(&class)
        .unwrap()
        .iter()
        .map(|t| {
            dex.type_descriptor_lossy(u32::from(t))
                .unwrap()
                .into_owned()
        })
        .collect();
    assert_eq!(
        interfaces,
        ["Ljava/lang/Runnable;", "Ljava/io/Serializable;"]
    );
}

#[test]
fn fields_and_static_values() {
    let dex = dex();
    let class = dex.class_def(0).unwrap();
    let data = dex.class_data(&class).unwrap().unwrap();
    let fields: Vec<_> = data.fields().collect::<Result<_, _>>().unwrap();
    let statics: Vec<String> = fields
        .iter()
        .filter(|f| f.kind == FieldKind::Static)
        .map(|f| dex.field_signature(f.field_idx).unwrap())
        .collect();
    assert_eq!(statics.len(), 11);
    assert_eq!(statics[0], "Lleak/Fixture;->B:B");
    let instance: Vec<_> = fields
        .iter()
        .filter(|f| f.kind == FieldKind::Instance)
        .collect();
    assert_eq!(instance.len(), 1);
    assert_eq!(
        dex.field_signature(instance[0].field_idx).unwrap(),
        "Lleak/Fixture;->count:I"
    );
    assert_eq!(instance[0].access_flags, 0x2);

    let values: Vec<EncodedValue<'_>> = dex
        .static_values(&class)
        .unwrap()
        .unwrap()
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();
    // Fields are sorted by name: B C D F I J N S STR T Z.
    use EncodedValue as V;
    assert_eq!(values[0], V::Byte(127));
    assert_eq!(values[1], V::Char(0xe9));
    assert_eq!(values[2], V::Double(-2.25));
    assert_eq!(values[3], V::Float(1.5));
    assert_eq!(values[4], V::Int(i32::MIN));
    assert_eq!(values[5], V::Long(0x0123_4567_89ab_cdef));
    assert_eq!(values[6], V::Null);
    assert_eq!(values[7], V::Short(-2));
    let V::String(s) = values[8] else {
        panic!("{:?}", values[8])
    };
    // MUTF-8: U+0000 as C0 80, U+1F600 as a surrogate pair of 3-byte sequences.
    assert_eq!(
        dex.string(s).unwrap(),
        b"nul\xc0\x80 and \xed\xa0\xbd\xed\xb8\x80"
    );
    assert_eq!(dex.string_lossy(s).unwrap(), "nul\0 and \u{1F600}");
    assert_eq!(dex.string_data(s).unwrap().utf16_len, 11);
    let V::Type(t) = values[9] else {
        panic!("{:?}", values[9])
    };
    assert_eq!(dex.type_descriptor(t).unwrap(), b"Ljava/lang/String;");
    assert_eq!(values[10], V::Boolean(true));
    assert_eq!(values.len(), 11);
}

#[test]
fn methods_code_and_handlers() {
    let dex = dex();
    let class = dex.class_def(0).unwrap();
    let data = dex.class_data(&class).unwrap().unwrap();
    let methods: Vec<_> = data.methods().collect::<Result<_, _>>().unwrap();
    let sigs: Vec<(String, MethodKind, bool)> = methods
        .iter()
        .map(|m| {
            (
                dex.method_signature(m.method_idx).unwrap(),
                m.kind,
                m.code_off.is_some(),
            )
        })
        .collect();
    let lookup = "Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;\
                  Ljava/lang/invoke/MethodType;I)Ljava/lang/invoke/CallSite;";
    assert_eq!(
        sigs,
        [
            (
                "Lleak/Fixture;-><init>()V".to_owned(),
                MethodKind::Direct,
                true
            ),
            (
                format!("Lleak/Fixture;->bootstrap({lookup}"),
                MethodKind::Direct,
                true
            ),
            (
                "Lleak/Fixture;->custom(II)I".to_owned(),
                MethodKind::Direct,
                true
            ),
            (
                "Lleak/Fixture;->abs()V".to_owned(),
                MethodKind::Virtual,
                false
            ),
            (
                "Lleak/Fixture;->nat()V".to_owned(),
                MethodKind::Virtual,
                false
            ),
            (
                "Lleak/Fixture;->run()V".to_owned(),
                MethodKind::Virtual,
                true
            ),
        ]
    );
    assert_eq!(methods[3].access_flags, 0x0401);
    assert_eq!(methods[4].access_flags, 0x0101);

    let run = dex.code_item(methods[5].code_off.unwrap()).unwrap();
    assert_eq!((run.registers_size, run.ins_size, run.outs_size), (4, 1, 0));
    assert_eq!((run.insns_size, run.tries_size), (16, 2));
    // First code unit: iget v0, p0 (0x52, vA=0, vB=3), field@000b.
    assert_eq!(&run.insns[..4], &[0x52, 0x30, 0x0b, 0x00]);
    assert_eq!(run.handlers_list_size().unwrap(), 2);
    let mut rendered = Vec::new();
    for block in run.try_blocks() {
        let block = block.unwrap();
        let t = block.try_item;
        rendered.push(format!("{:#06x}-{:#06x}", t.start_addr, t.end_addr()));
        for c in block.handler.clauses() {
            let ty = dex.type_descriptor_lossy(c.type_idx).unwrap();
            rendered.push(format!("{ty}->{:#06x}", c.addr));
        }
        if let Some(a) = block.handler.catch_all_addr {
            rendered.push(format!("<any>->{a:#06x}"));
        }
    }
    assert_eq!(
        rendered,
        [
            "0x0000-0x0006",
            "Ljava/lang/ArithmeticException;->0x000a",
            "Ljava/lang/RuntimeException;->0x000c",
            "<any>->0x000e",
            "0x0006-0x0009",
            "<any>->0x000e",
        ]
    );
}

fn handle_kind_name(kind: MethodHandleKind) -> &'static str {
    match kind {
        MethodHandleKind::StaticPut => "put-static",
        MethodHandleKind::StaticGet => "get-static",
        MethodHandleKind::InstancePut => "put-instance",
        MethodHandleKind::InstanceGet => "get-instance",
        MethodHandleKind::InvokeStatic => "invoke-static",
        MethodHandleKind::InvokeInstance => "invoke-instance",
        MethodHandleKind::InvokeConstructor => "invoke-constructor",
        MethodHandleKind::InvokeDirect => "invoke-direct",
        MethodHandleKind::InvokeInterface => "invoke-interface",
        MethodHandleKind::Unknown(_) => "?",
    }
}

/// Renders method handles and call sites the way dexdump does.
fn render_handles_and_call_sites(dex: &DexFile<'_>) -> String {
    let mut out = String::new();
    for i in 0..dex.method_handles_len() {
        let h = dex.method_handle(i).unwrap();
        let id = u32::from(h.field_or_method_id);
        let (class, name, ty) = if h.kind.is_field_accessor() {
            let f = dex.field_id(id).unwrap();
            (
                dex.type_descriptor_lossy(u32::from(f.class_idx)).unwrap(),
                dex.string_lossy(f.name_idx).unwrap(),
                dex.type_descriptor_lossy(u32::from(f.type_idx))
                    .unwrap()
                    .into_owned(),
            )
        } else {
            let m = dex.method_id(id).unwrap();
            (
                dex.type_descriptor_lossy(u32::from(m.class_idx)).unwrap(),
                dex.string_lossy(m.name_idx).unwrap(),
                dex.proto_descriptor(u32::from(m.proto_idx)).unwrap(),
            )
        };
        out += &format!(
            "Method handle #{i}:\n  type        : {}\n  target      : {class} {name}\n  \
             target_type : {ty}\n",
            handle_kind_name(h.kind)
        );
    }
    for i in 0..dex.call_sites_len() {
        let cs = dex.call_site(i).unwrap();
        out += &format!("Call site #{i}: // offset {}\n", cs.offset);
        out += &format!(
            "  link_argument[0] : {} (MethodHandle)\n",
            cs.method_handle_idx
        );
        out += &format!(
            "  link_argument[1] : {} (String)\n",
            dex.string_lossy(cs.method_name_idx).unwrap()
        );
        out += &format!(
            "  link_argument[2] : {} (MethodType)\n",
            dex.proto_descriptor(cs.method_type_idx).unwrap()
        );
        for (j, v) in cs.extra_args.clone().enumerate() {
            let EncodedValue::Int(n) = v.unwrap() else {
                panic!("fixture has int extras only")
            };
            out += &format!("  link_argument[{}] : {n} (int)\n", j + 3);
        }
    }
    out
}

#[test]
fn method_handles_and_call_sites() {
    let dex = dex();
    assert_eq!(dex.method_handles_len(), 3);
    assert_eq!(dex.call_sites_len(), 1);
    let cs = dex.call_site(0).unwrap();
    assert_eq!(dex.string(cs.method_name_idx).unwrap(), b"add");
    assert_eq!(dex.proto_descriptor(cs.method_type_idx).unwrap(), "(II)I");
    assert_eq!(cs.array.len(), 4);
    let h = dex.method_handle(cs.method_handle_idx).unwrap();
    assert_eq!(h.kind, MethodHandleKind::InvokeStatic);
    assert!(
        dex.method_signature(u32::from(h.field_or_method_id))
            .unwrap()
            .starts_with("Lleak/Fixture;->bootstrap(")
    );
    assert!(dex.method_handle(3).is_err() && dex.call_site(1).is_err());

    let ours = render_handles_and_call_sites(&dex);
    if !common::have_tool("dexdump", "-h") {
        eprintln!("SKIP dexdump comparison: dexdump not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.dex");
    std::fs::write(&path, FIXTURE).unwrap();
    let out = std::process::Command::new("dexdump")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let start = text
        .find("Method handle #0:")
        .expect("dexdump prints method handles");
    assert_eq!(&text[start..], ours);
}
