//! One hand-assembled instruction per format (and per tricky literal),
//! checked against the encodings in the DEX "Dalvik bytecode" and
//! "instruction formats" documents.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use leakscope_dalvik::{
    Args, DecodeError, Decoder, Format, Index, IndexKind, Insn, Instruction, InvokeKind, OPCODES,
    Opcode, count_opcodes, decode_at,
};

fn enc(units: &[u16]) -> Vec<u8> {
    units.iter().flat_map(|u| u.to_le_bytes()).collect()
}

/// Decodes `units` at pc 0 and checks it is one instruction of the given
/// opcode covering all the units.
fn one(units: &[u16], op: Opcode) -> Instruction {
    let code = enc(units);
    let insn = match decode_at(&code, 0) {
        Ok(Insn::Op(i)) => i,
        other => panic!("{units:04x?}: {other:?}"),
    };
    assert_eq!(insn.opcode, op);
    assert_eq!(insn.size() as usize, units.len(), "{op}");
    assert_eq!(insn.units(), units);
    assert_eq!(insn.format().size() as usize, units.len());
    insn
}

fn idx(kind: IndexKind, value: u32) -> Option<Index> {
    Some(Index { kind, value })
}

fn args(i: &Instruction) -> Vec<u32> {
    i.args().map(|a| a.iter().collect()).unwrap_or_default()
}

#[test]
fn f10x() {
    let i = one(&[0x000e], Opcode::ReturnVoid);
    assert_eq!(i.format(), Format::F10x);
    assert_eq!(
        (i.reg_a(), i.literal(), i.index(), i.branch_offset()),
        (None, None, None, None)
    );
    assert!(i.opcode.can_return() && !i.opcode.can_continue());
    // Unused opcodes decode as one-unit instructions named like dexdump does.
    let u = one(&[0x003e], Opcode::Unused3E);
    assert_eq!(u.name(), "unused-3e");
    assert!(u.opcode.is_unused());
    assert_eq!(one(&[0x00f9], Opcode::UnusedF9).name(), "unused-f9");
}

#[test]
fn f12x() {
    let i = one(&[0xc301], Opcode::Move);
    assert_eq!((i.reg_a(), i.reg_b(), i.reg_c()), (Some(3), Some(12), None));
    assert!(i.opcode.writes_a() && !i.opcode.is_wide_a());
    let w = one(&[0x21bb], Opcode::AddLong2addr);
    assert_eq!((w.reg_a(), w.reg_b()), (Some(1), Some(2)));
    assert!(w.opcode.is_wide_a() && w.opcode.writes_a());
}

#[test]
fn f11n_sign_extends() {
    assert_eq!(one(&[0x8212], Opcode::Const4).literal(), Some(-8));
    assert_eq!(one(&[0x7212], Opcode::Const4).literal(), Some(7));
    let i = one(&[0xf012], Opcode::Const4);
    assert_eq!((i.reg_a(), i.literal()), (Some(0), Some(-1)));
}

#[test]
fn f11x() {
    let i = one(&[0xc80c], Opcode::MoveResultObject);
    assert_eq!(i.reg_a(), Some(200));
    assert_eq!(i.name(), "move-result-object");
    assert!(one(&[0x0527], Opcode::Throw).opcode.can_throw());
}

#[test]
fn f10t_f20t_f30t() {
    let i = one(&[0xfe28], Opcode::Goto);
    assert_eq!(i.branch_offset(), Some(-2));
    let code = enc(&[0x0000, 0x0000, 0xfe28]);
    let Ok(Insn::Op(g)) = decode_at(&code, 2) else {
        panic!()
    };
    assert_eq!((g.pc, g.branch_target()), (2, Some(0)));
    assert!(g.opcode.can_branch() && !g.opcode.can_continue());
    assert_eq!(
        one(&[0x0029, 0x8000], Opcode::Goto16).branch_offset(),
        Some(-32768)
    );
    assert_eq!(
        one(&[0x0029, 0x1234], Opcode::Goto16).branch_offset(),
        Some(0x1234)
    );
    assert_eq!(
        one(&[0x002a, 0x0000, 0xffff], Opcode::Goto32).branch_offset(),
        Some(-0x10000)
    );
    assert_eq!(
        one(&[0x002a, 0x5678, 0x1234], Opcode::Goto32).branch_offset(),
        Some(0x1234_5678)
    );
}

#[test]
fn f22x_f32x() {
    let i = one(&[0xff02, 0xffff], Opcode::MoveFrom16);
    assert_eq!((i.reg_a(), i.reg_b()), (Some(255), Some(65535)));
    let j = one(&[0x0006, 0x1234, 0xabcd], Opcode::MoveWide16);
    assert_eq!((j.reg_a(), j.reg_b()), (Some(0x1234), Some(0xabcd)));
    assert!(j.opcode.is_wide_a());
}

#[test]
fn f21t_f22t() {
    let i = one(&[0x0738, 0xffff], Opcode::IfEqz);
    assert_eq!((i.reg_a(), i.branch_offset()), (Some(7), Some(-1)));
    assert!(i.opcode.can_branch() && i.opcode.can_continue());
    let j = one(&[0x2134, 0x0005], Opcode::IfLt);
    assert_eq!(
        (j.reg_a(), j.reg_b(), j.branch_offset()),
        (Some(1), Some(2), Some(5))
    );
}

#[test]
fn f21s_f21h() {
    assert_eq!(one(&[0x0113, 0xfffe], Opcode::Const16).literal(), Some(-2));
    assert_eq!(
        one(&[0x0116, 0x8000], Opcode::ConstWide16).literal(),
        Some(-32768)
    );
    let h = one(&[0x0015, 0x8000], Opcode::ConstHigh16);
    assert_eq!(h.literal(), Some(i64::from(i32::MIN)));
    assert_eq!(
        one(&[0x0015, 0x3f80], Opcode::ConstHigh16).literal(),
        Some(0x3f80_0000)
    ); // 1.0f
    let w = one(&[0x0219, 0x4024], Opcode::ConstWideHigh16);
    assert_eq!(w.literal().map(|l| f64::from_bits(l as u64)), Some(10.0));
    assert_eq!(
        one(&[0x0219, 0xbff0], Opcode::ConstWideHigh16).literal(),
        Some((0xbff0u64 << 48) as i64)
    );
}

#[test]
fn f21c_kinds() {
    let s = one(&[0x051a, 0x1234], Opcode::ConstString);
    assert_eq!(
        (s.reg_a(), s.index()),
        (Some(5), idx(IndexKind::String, 0x1234))
    );
    assert_eq!(
        one(&[0x051c, 7], Opcode::ConstClass).index(),
        idx(IndexKind::Type, 7)
    );
    assert_eq!(
        one(&[0x0562, 7], Opcode::SgetObject).index(),
        idx(IndexKind::Field, 7)
    );
    assert_eq!(
        one(&[0x05fe, 9], Opcode::ConstMethodHandle).index(),
        idx(IndexKind::MethodHandle, 9)
    );
    assert_eq!(
        one(&[0x05ff, 9], Opcode::ConstMethodType).index(),
        idx(IndexKind::Proto, 9)
    );
    let sput = one(&[0x0569, 1], Opcode::SputObject);
    assert!(!sput.opcode.writes_a(), "sput reads vAA");
}

#[test]
fn f23x_f22b_f22s() {
    let i = one(&[0x0190, 0x0302], Opcode::AddInt);
    assert_eq!(
        (i.reg_a(), i.reg_b(), i.reg_c()),
        (Some(1), Some(2), Some(3))
    );
    let b = one(&[0x01d8, 0x8002], Opcode::AddIntLit8);
    assert_eq!(
        (b.reg_a(), b.reg_b(), b.literal()),
        (Some(1), Some(2), Some(-128))
    );
    let s = one(&[0x21d1, 0xffff], Opcode::RsubInt);
    assert_eq!(
        (s.reg_a(), s.reg_b(), s.literal()),
        (Some(1), Some(2), Some(-1))
    );
    assert!(one(&[0x21d3, 0], Opcode::DivIntLit16).opcode.can_throw());
    assert!(!one(&[0x21d2, 0], Opcode::MulIntLit16).opcode.can_throw());
}

#[test]
fn f22c_f22cs() {
    let i = one(&[0x2154, 0x0003], Opcode::IgetObject);
    assert_eq!(
        (i.reg_a(), i.reg_b(), i.index()),
        (Some(1), Some(2), idx(IndexKind::Field, 3))
    );
    assert_eq!(
        one(&[0x2120, 4], Opcode::InstanceOf).index(),
        idx(IndexKind::Type, 4)
    );
    let q = one(&[0x21e3, 0x0010], Opcode::IgetQuick);
    assert_eq!(q.format(), Format::F22cs);
    assert_eq!(q.index(), idx(IndexKind::FieldOffset, 0x10));
    assert!(q.opcode.is_optimized());
}

#[test]
fn f31t_f31i_f31c() {
    let f = one(&[0x0326, 0x2345, 0x0001], Opcode::FillArrayData);
    assert_eq!((f.reg_a(), f.branch_offset()), (Some(3), Some(0x12345)));
    let p = one(&[0x032b, 0xfffe, 0xffff], Opcode::PackedSwitch);
    assert_eq!(p.branch_offset(), Some(-2));
    assert!(p.opcode.is_switch() && !p.opcode.can_branch());
    let c = one(&[0x0114, 0xbeef, 0xdead], Opcode::Const);
    assert_eq!(c.literal(), Some(i64::from(0xdead_beef_u32 as i32)));
    assert_eq!(
        one(&[0x0117, 0xffff, 0xffff], Opcode::ConstWide32).literal(),
        Some(-1)
    );
    let j = one(&[0x021b, 0x5678, 0x1234], Opcode::ConstStringJumbo);
    assert_eq!(
        (j.reg_a(), j.index()),
        (Some(2), idx(IndexKind::String, 0x1234_5678))
    );
}

#[test]
fn f35c_variants() {
    // invoke-virtual {v1, v2, v3, v4, v5}, method@0102 (A=5, G=5, FEDC=4321)
    let i = one(&[0x556e, 0x0102, 0x4321], Opcode::InvokeVirtual);
    assert_eq!(args(&i), [1, 2, 3, 4, 5]);
    assert_eq!(i.index(), idx(IndexKind::Method, 0x0102));
    assert_eq!(i.reg_a(), None);
    assert_eq!(i.invoke_kind(), Some(InvokeKind::Virtual));
    assert!(i.opcode.sets_result() && !i.opcode.writes_a());
    let none = one(&[0x0071, 0x0009, 0x0000], Opcode::InvokeStatic);
    assert!(none.args().is_some_and(|a| a.is_empty()));
    let two = one(&[0x2070, 0x0001, 0x00a9], Opcode::InvokeDirect);
    assert_eq!(args(&two), [9, 10]);
    let f = one(&[0x1024, 0x0003, 0x0007], Opcode::FilledNewArray);
    assert_eq!((args(&f), f.index()), (vec![7], idx(IndexKind::Type, 3)));
    assert!(f.opcode.sets_result() && !f.opcode.is_invoke());
    let c = one(&[0x10fc, 0x0002, 0x0001], Opcode::InvokeCustom);
    assert_eq!(
        (c.index(), c.invoke_kind()),
        (idx(IndexKind::CallSite, 2), Some(InvokeKind::Custom))
    );
    let q = one(&[0x10e9, 0x0007, 0x0001], Opcode::InvokeVirtualQuick);
    assert_eq!(
        (q.format(), q.index()),
        (Format::F35ms, idx(IndexKind::VtableOffset, 7))
    );
}

#[test]
fn f3rc_variants() {
    let i = one(&[0x0374, 0x0042, 0xfffe], Opcode::InvokeVirtualRange);
    assert_eq!(
        i.args(),
        Some(Args::Range {
            first: 0xfffe,
            count: 3
        })
    );
    // The range may run past v65535 in a malformed method: no overflow.
    assert_eq!(args(&i), [0xfffe, 0xffff, 0x10000]);
    assert_eq!(i.name(), "invoke-virtual/range");
    let e = one(&[0x0077, 0x0001, 0x0000], Opcode::InvokeStaticRange);
    assert!(e.args().is_some_and(|a| a.is_empty()));
    assert_eq!(
        one(&[0x02fd, 1, 4], Opcode::InvokeCustomRange).index(),
        idx(IndexKind::CallSite, 1)
    );
    assert_eq!(
        one(&[0x02ea, 1, 4], Opcode::InvokeVirtualRangeQuick).format(),
        Format::F3rms
    );
}

#[test]
fn f45cc_f4rcc() {
    let i = one(&[0x20fa, 0x0011, 0x0021, 0x0005], Opcode::InvokePolymorphic);
    assert_eq!(args(&i), [1, 2]);
    assert_eq!(
        (i.index(), i.proto_index()),
        (idx(IndexKind::Method, 0x11), Some(5))
    );
    assert_eq!(i.invoke_kind(), Some(InvokeKind::Polymorphic));
    let r = one(
        &[0x04fb, 0x0011, 0x0010, 0x0006],
        Opcode::InvokePolymorphicRange,
    );
    assert_eq!((args(&r), r.proto_index()), (vec![16, 17, 18, 19], Some(6)));
}

#[test]
fn f51l() {
    let i = one(&[0x0418, 0x4444, 0x3333, 0x2222, 0x1111], Opcode::ConstWide);
    assert_eq!(
        (i.reg_a(), i.literal()),
        (Some(4), Some(0x1111_2222_3333_4444))
    );
    let d = one(&[0x0018, 0x0000, 0x0000, 0x0000, 0xfff0], Opcode::ConstWide);
    assert_eq!(d.literal(), Some((0xfff0u64 << 48) as i64));
}

#[test]
fn payloads_decode_as_data() {
    // packed-switch at 0 (targets relative to the switch), then return-void.
    let code = enc(&[
        0x0100, 3, 0xfffe, 0xffff, 5, 0, 6, 0, 0xfff9, 0xffff, 0x000e,
    ]);
    let Ok(Insn::PackedSwitch(p)) = decode_at(&code, 0) else {
        panic!()
    };
    assert_eq!((p.len(), p.first_key(), p.size()), (3, -2, 10));
    assert_eq!(p.iter().collect::<Vec<_>>(), [(-2, 5), (-1, 6), (0, -7)]);
    assert_eq!(
        (p.key(2), p.target(2), p.key(3), p.target(3)),
        (Some(0), Some(-7), None, None)
    );
    let Ok(Insn::Op(r)) = decode_at(&code, 10) else {
        panic!()
    };
    assert_eq!(r.opcode, Opcode::ReturnVoid);

    let code = enc(&[0x0200, 2, 0xffff, 0xffff, 10, 0, 0x20, 0, 0x30, 0]);
    let Ok(Insn::SparseSwitch(s)) = decode_at(&code, 0) else {
        panic!()
    };
    assert_eq!(s.iter().collect::<Vec<_>>(), [(-1, 0x20), (10, 0x30)]);
    assert_eq!((s.size(), s.keys_sorted()), (10, true));

    // width 2, count 3: 6 bytes = 3 units.
    let code = enc(&[0x0300, 2, 3, 0, 0x0001, 0xfffe, 0x1234]);
    let Ok(Insn::FillArrayData(a)) = decode_at(&code, 0) else {
        panic!()
    };
    assert_eq!((a.element_width(), a.count(), a.size()), (2, 3, 7));
    assert_eq!(
        a.elements().collect::<Vec<_>>(),
        [&[1u8, 0][..], &[0xfe, 0xff], &[0x34, 0x12]]
    );
    assert_eq!((a.element_u64(1), a.element(3)), (Some(0xfffe), None));
    // width 1, odd count: padded to a whole unit.
    let code = enc(&[0x0300, 1, 3, 0, 0x0201, 0x0003, 0x000e]);
    let items: Vec<_> = Decoder::new(&code).collect::<Result<_, _>>().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (items[0].size(), items[0].mnemonic(), items[1].pc()),
        (6, "array-data", 6)
    );
}

#[test]
fn spacer_nop_is_a_nop() {
    let code = enc(&[0x0000, 0x0400, 0x000e]);
    let items: Vec<_> = Decoder::new(&code).collect::<Result<_, _>>().unwrap();
    assert_eq!(
        items.iter().map(Insn::mnemonic).collect::<Vec<_>>(),
        ["nop", "nop", "return-void"]
    );
}

#[test]
fn count_opcodes_skips_payloads() {
    let code = enc(&[
        0x1012, 0x002b, 0x0004, 0x0000, 0x0100, 1, 0, 0, 3, 0, 0x000e,
    ]);
    let mut counts = [0u32; 256];
    // const/4, packed-switch (its payload at +4 is skipped), return-void.
    assert_eq!(count_opcodes(&code, &mut counts), Ok(3));
    assert_eq!(
        (counts[0x12], counts[0x2b], counts[0x0e], counts[0]),
        (1, 1, 1, 0)
    );
}

#[test]
fn table_is_consistent() {
    for (b, row) in OPCODES.iter().enumerate() {
        let op = Opcode::from_u8(b as u8);
        assert_eq!(op.byte() as usize, b);
        assert_eq!(op.name(), row.name);
        // Index formats have an index kind and vice versa.
        let has_index_format = matches!(
            row.format,
            Format::F21c
                | Format::F31c
                | Format::F22c
                | Format::F22cs
                | Format::F35c
                | Format::F35ms
                | Format::F3rc
                | Format::F3rms
                | Format::F45cc
                | Format::F4rcc
        );
        assert_eq!(has_index_format, row.index.is_some(), "{}", row.name);
        if row.invoke.is_some() {
            assert!(op.can_throw() && op.sets_result(), "{}", row.name);
        }
        if op.is_unused() {
            assert_eq!(row.name, format!("unused-{b:02x}"));
            assert_eq!(row.format, Format::F10x);
        }
        assert!(!(op.writes_a() && op.can_return()));
    }
    // The first digit of a format's name is its size in code units.
    for f in Format::ALL {
        assert_eq!(f.name().as_bytes()[0] - b'0', f.size(), "{f}");
    }
    assert_eq!(std::mem::size_of::<Instruction>(), 16);
}

#[test]
fn bad_arg_count_is_an_error() {
    // invoke-virtual with A=6.
    let code = enc(&[0x606e, 0, 0]);
    assert!(matches!(
        decode_at(&code, 0),
        Err(DecodeError::BadArgCount { count: 6, .. })
    ));
}

#[test]
fn payload_of_switch_and_fill_array_data() {
    // 0: packed-switch v0, +4 ; 3: return-void ; 4: payload
    // 10: fill-array-data v1, -6 (points at the switch payload: wrong kind)
    let code = enc(&[
        0x002b, 4, 0, 0x000e, 0x0100, 1, 5, 0, 3, 0, 0x0126, 0xfffa, 0xffff, 0x0126, 0x7fff, 0,
    ]);
    let items: Vec<_> = Decoder::new(&code).collect::<Result<_, _>>().unwrap();
    let Insn::Op(sw) = items[0] else { panic!() };
    let Ok(Insn::PackedSwitch(p)) = sw.payload(&code) else {
        panic!()
    };
    assert_eq!((p.first_key(), p.target(0)), (5, Some(3)));
    let Insn::Op(ret) = items[1] else { panic!() };
    assert!(matches!(
        ret.payload(&code),
        Err(DecodeError::NoPayload { pc: 3, .. })
    ));
    let Insn::Op(fad) = items[3] else { panic!() };
    assert!(matches!(
        fad.payload(&code),
        Err(DecodeError::BadPayloadTarget {
            pc: 10,
            target: 4,
            ..
        })
    ));
    let Insn::Op(far) = items[4] else { panic!() };
    assert!(matches!(
        far.payload(&code),
        Err(DecodeError::BadPayloadTarget { target: 0x800c, .. })
    ));
}

#[test]
fn dex_versions() {
    assert_eq!(Opcode::InvokeVirtual.min_dex_version(), 35);
    assert_eq!(Opcode::InvokePolymorphicRange.min_dex_version(), 38);
    assert_eq!(Opcode::InvokeCustom.min_dex_version(), 38);
    assert_eq!(Opcode::ConstMethodType.min_dex_version(), 39);
    assert_eq!(
        OPCODES
            .iter()
            .filter(|r| r.flags.contains(leakscope_dalvik::Flags::DEX038))
            .count(),
        4
    );
}

#[test]
fn display_is_compact_and_symbol_free() {
    let i = one(&[0x556e, 0x0102, 0x4321], Opcode::InvokeVirtual);
    assert_eq!(
        i.to_string(),
        "0000: invoke-virtual {v1, v2, v3, v4, v5}, method@0102"
    );
    assert_eq!(
        one(&[0x0738, 0xfffe], Opcode::IfEqz).to_string(),
        "0000: if-eqz v7, -2"
    );
    assert_eq!(
        one(&[0x8212], Opcode::Const4).to_string(),
        "0000: const/4 v2, #-8"
    );
    let p = one(&[0x20fa, 0x0011, 0x0021, 0x0005], Opcode::InvokePolymorphic);
    assert_eq!(
        p.to_string(),
        "0000: invoke-polymorphic {v1, v2}, method@0011, proto@0005"
    );
    assert_eq!(
        one(&[0x21e3, 0x0010], Opcode::IgetQuick).to_string(),
        "0000: iget-quick v1, v2, field_offset@0010"
    );
}
