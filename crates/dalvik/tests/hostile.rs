//! Hostile input: truncation, huge payload counts, odd lengths, and random
//! bytes. Nothing may panic, loop, or read past the array.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use leakscope_dalvik::{DecodeError, Decoder, Insn, count_opcodes, decode_at};
use proptest::prelude::*;

fn enc(units: &[u16]) -> Vec<u8> {
    units.iter().flat_map(|u| u.to_le_bytes()).collect()
}

fn sweep(code: &[u8]) -> Vec<Result<Insn<'_>, DecodeError>> {
    Decoder::new(code).collect()
}

#[test]
fn truncated_instructions_at_the_end() {
    // const-wide needs 5 units; only 3 are there.
    let code = enc(&[0x000e, 0x0018, 0x1111, 0x2222]);
    let items = sweep(&code);
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert_eq!(
        items[1],
        Err(DecodeError::Truncated {
            pc: 1,
            what: "const-wide",
            needed: 5,
            available: 3
        })
    );
    // Every multi-unit format, cut one unit short.
    for op in 0..=255u8 {
        let size = leakscope_dalvik::Opcode::from_u8(op).size() as usize;
        if size < 2 {
            continue;
        }
        let mut units = vec![u16::from(op)];
        units.resize(size - 1, 0);
        assert!(
            matches!(
                decode_at(&enc(&units), 0),
                Err(DecodeError::Truncated { .. })
            ),
            "{op:02x}"
        );
    }
}

#[test]
fn payload_counts_past_the_end() {
    for sig in [0x0100u16, 0x0200, 0x0300] {
        // Count 0xffff (and a 0xffff_ffff array length) with no data.
        let code = enc(&[sig, 0xffff, 0xffff, 0xffff]);
        let items = sweep(&code);
        assert_eq!(items.len(), 1, "{sig:04x}");
        let Err(DecodeError::Truncated {
            pc: 0,
            needed,
            available: 4,
            ..
        }) = items[0]
        else {
            panic!("{sig:04x}: {:?}", items[0]);
        };
        assert!(needed > 4);
        // Header itself cut short.
        assert!(matches!(
            decode_at(&enc(&[sig]), 0),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(matches!(
            decode_at(&enc(&[sig, 1]), 0),
            Err(DecodeError::Truncated { .. })
        ));
    }
    // The largest array-data header: width 0xffff * count 0xffffffff bytes.
    let code = enc(&[0x0300, 0xffff, 0xffff, 0xffff, 0, 0]);
    let Err(DecodeError::Truncated { needed, .. }) = decode_at(&code, 0) else {
        panic!()
    };
    assert_eq!(needed, 4 + (0xffffu64 * 0xffff_ffff).div_ceil(2));
    // Width 0 with a huge count is 4 units and iterates no elements.
    let code = enc(&[0x0300, 0, 0xffff, 0xffff]);
    let Ok(Insn::FillArrayData(a)) = decode_at(&code, 0) else {
        panic!()
    };
    assert_eq!(
        (a.size(), a.count(), a.elements().count()),
        (4, u32::MAX, 0)
    );
    assert_eq!(a.element_u64(0), None);
}

#[test]
fn zero_count_payloads() {
    let code = enc(&[0x0100, 0, 0, 0, 0x0200, 0, 0x0300, 4, 0, 0]);
    let items: Vec<_> = Decoder::new(&code).collect::<Result<_, _>>().unwrap();
    assert_eq!(
        items.iter().map(|i| (i.pc(), i.size())).collect::<Vec<_>>(),
        [(0, 4), (4, 2), (6, 4)]
    );
}

#[test]
fn odd_length() {
    let code = [0x0e, 0x00, 0x0e];
    let items = sweep(&code);
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert_eq!(items[1], Err(DecodeError::OddLength { len: 3 }));
    // A lone byte: no unit at all.
    assert_eq!(sweep(&[0x0e]), [Err(DecodeError::OddLength { len: 1 })]);
    assert!(sweep(&[]).is_empty());
    // decode_at ignores the stray byte but cannot read a unit from it.
    assert!(matches!(
        decode_at(&[0x0e], 0),
        Err(DecodeError::PcOutOfRange { pc: 0, units: 0 })
    ));
}

#[test]
fn pc_out_of_range() {
    let code = enc(&[0x000e]);
    assert!(matches!(
        decode_at(&code, 1),
        Err(DecodeError::PcOutOfRange { .. })
    ));
    assert!(matches!(
        decode_at(&code, usize::MAX),
        Err(DecodeError::PcOutOfRange { .. })
    ));
}

#[test]
fn decoder_stops_after_first_error() {
    // return-void, bad invoke (count 7), return-void: the sweep stops at the error.
    let code = enc(&[0x000e, 0x706e, 0, 0, 0x000e]);
    let items = sweep(&code);
    assert_eq!(items.len(), 2);
    assert!(matches!(
        items[1],
        Err(DecodeError::BadArgCount {
            pc: 1,
            count: 7,
            ..
        })
    ));
    let mut counts = [0u32; 256];
    assert!(count_opcodes(&code, &mut counts).is_err());
    assert_eq!(counts[0x0e], 1);
}

#[test]
fn all_unused_opcodes_decode() {
    let unused: Vec<u16> = [
        0x3e, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x79, 0x7a, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
    ]
    .into_iter()
    .collect();
    let code = enc(&unused);
    let items: Vec<_> = Decoder::new(&code).collect::<Result<_, _>>().unwrap();
    assert_eq!(items.len(), unused.len());
    for (i, u) in items.iter().zip(&unused) {
        assert_eq!(i.mnemonic(), format!("unused-{u:02x}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(code in proptest::collection::vec(any::<u8>(), 0..256)) {
        let mut pc = 0u64;
        let mut saw_err = false;
        for item in Decoder::new(&code) {
            prop_assert!(!saw_err, "items after an error");
            match item {
                Ok(insn) => {
                    prop_assert_eq!(u64::from(insn.pc()), pc);
                    prop_assert!(insn.size() >= 1);
                    pc += u64::from(insn.size());
                    prop_assert!(pc <= (code.len() / 2) as u64);
                    if let Insn::Op(i) = insn {
                        let _ = (i.reg_a(), i.reg_b(), i.reg_c(), i.literal(), i.index(),
                                 i.proto_index(), i.branch_target(), i.verify_error_kind());
                        if let Some(a) = i.args() { prop_assert!(a.iter().count() <= 255); }
                        prop_assert_eq!(decode_at(&code, i.pc as usize), Ok(insn));
                    }
                }
                Err(_) => saw_err = true,
            }
        }
        if !saw_err {
            prop_assert_eq!(pc, (code.len() / 2) as u64);
        }
    }

    #[test]
    fn decode_at_any_pc_never_panics(code in proptest::collection::vec(any::<u8>(), 0..64), pc in 0usize..40) {
        let _ = decode_at(&code, pc);
    }
}
