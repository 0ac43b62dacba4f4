//! What decides whether code runs, for implicit flows: the taint of a
//! branch's condition, of what makes an instruction throw to its handlers,
//! and the context labels a block's definitions receive.

use leakscope_dalvik::{Flags, Opcode};

use crate::state::{Konst, State, Taint};

/// What the condition of a conditional branch or switch carries.
pub(super) fn branch_taint(insn: &leakscope_dalvik::Instruction, st: &State) -> Taint {
    let f = insn.opcode.info().flags;
    if !f.contains(Flags::BRANCH) && !f.contains(Flags::SWITCH) {
        return Taint::default();
    }
    let mut t = Taint::default();
    for r in [insn.reg_a(), insn.reg_b()].into_iter().flatten() {
        t.union(&st.taint_of(u32::from(r)));
    }
    t
}

/// Whether an instruction may throw: everything that can, except an array
/// allocation of a constant size and an access at a constant index inside
/// an array of a constant length (out-of-memory errors aside).
pub(super) fn can_throw(insn: &leakscope_dalvik::Instruction, st: &State) -> bool {
    use Opcode as O;
    let konst = |r: Option<u16>| r.and_then(|r| st.reg(u32::from(r)).konst.clone());
    match insn.opcode {
        O::NewArray => !matches!(konst(insn.reg_b()), Some(Konst::Int(n)) if n >= 0),
        // (A reference store may also fail on the element type.)
        O::AputObject => true,
        op if is_array_access(op) => !matches!(
            (konst(insn.reg_b()), konst(insn.reg_c())),
            (Some(Konst::ArrayLen(n)), Some(Konst::Int(k))) if (0..n).contains(&k)
        ),
        _ => true,
    }
}

/// `aget*` and `aput*` (opcodes 0x44–0x51).
fn is_array_access(op: Opcode) -> bool {
    (Opcode::Aget as u8..=Opcode::AputShort as u8).contains(&(op as u8))
}

/// What decides whether an instruction throws, for the operations whose
/// exceptions depend on values: an array access (the array, whose length
/// may depend on data, and the index), a division (the divisor), an array
/// allocation (the size).
pub(super) fn throw_taint(insn: &leakscope_dalvik::Instruction, st: &State) -> Taint {
    use Opcode as O;
    let op = insn.opcode;
    let regs: Vec<u32> = match op {
        op if is_array_access(op) => [insn.reg_b(), insn.reg_c()]
            .into_iter()
            .flatten()
            .map(u32::from)
            .collect(),
        O::DivInt | O::RemInt | O::DivLong | O::RemLong => {
            insn.reg_c().map(u32::from).into_iter().collect()
        }
        O::DivInt2addr | O::RemInt2addr | O::DivLong2addr | O::RemLong2addr => {
            insn.reg_b().map(u32::from).into_iter().collect()
        }
        O::NewArray => insn.reg_b().map(u32::from).into_iter().collect(),
        _ => Vec::new(),
    };
    let mut t = Taint::default();
    for r in regs {
        t.union(&st.reg(r).taint);
    }
    t
}

/// Adds the block's implicit labels to the register an instruction
/// defines (calls are handled where their result is moved).
pub(super) fn define_in_context(insn: &leakscope_dalvik::Instruction, st: &mut State) {
    let f = insn.opcode.info().flags;
    if !f.contains(Flags::WRITES_A) || insn.invoke_kind().is_some() {
        return;
    }
    let Some(a) = insn.reg_a().map(u32::from) else {
        return;
    };
    let ctx = st.ctx.clone();
    if let Some(v) = st.regs.get_mut(a as usize) {
        v.taint.union(&ctx);
    }
}
