#![no_main]
//! Linear-decodes arbitrary bytes as a method's `insns` and touches every
//! operand and payload accessor. Needs `leakscope-dalvik = { path = "../crates/dalvik" }`
//! in fuzz/Cargo.toml and a `[[bin]] name = "dalvik"` entry.
use leakscope_dalvik::{Decoder, Insn, count_opcodes, decode_at};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let units = data.len() / 2;
    let mut next_pc = 0u64;
    for item in Decoder::new(data) {
        let Ok(item) = item else { break };
        assert_eq!(u64::from(item.pc()), next_pc);
        next_pc += u64::from(item.size());
        assert!(next_pc <= units as u64);
        let _ = item.mnemonic();
        match item {
            Insn::Op(i) => {
                let _ = (i.format(), i.name(), i.units(), i.next_pc(), i.invoke_kind());
                let _ = (i.reg_a(), i.reg_b(), i.reg_c(), i.literal(), i.index());
                let _ = (i.proto_index(), i.verify_error_kind(), i.branch_offset());
                if let Some(args) = i.args() {
                    assert!(args.iter().count() == args.len());
                }
                // Follow branch and payload targets like an analysis would.
                if let Some(t) = i.branch_target()
                    && let Ok(t) = usize::try_from(t)
                {
                    let _ = decode_at(data, t);
                }
                let _ = i.to_string();
                let _ = i.payload(data);
            }
            Insn::PackedSwitch(p) => {
                for (k, t) in p.iter() {
                    std::hint::black_box((k, t));
                }
                let _ = (p.first_key(), p.key(p.len()), p.target(0));
            }
            Insn::SparseSwitch(s) => {
                let _ = (s.keys_sorted(), s.key(0), s.target(s.len()));
                for (k, t) in s.iter() {
                    std::hint::black_box((k, t));
                }
            }
            Insn::FillArrayData(a) => {
                for e in a.elements() {
                    std::hint::black_box(e);
                }
                let _ = (a.element_u64(0), a.element(a.count() as usize), a.data().len());
            }
        }
    }
    let mut counts = [0u32; 256];
    let _ = count_opcodes(data, &mut counts);
});
