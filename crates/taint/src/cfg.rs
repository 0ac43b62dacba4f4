//! Basic blocks of a method body and their successors, including edges to
//! exception handlers.

use std::collections::{BTreeSet, HashMap};

use leakscope_dalvik::{Flags, Opcode};

use crate::program::Body;

/// A basic block: instructions `start..end` (indices into `Body::insns`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// First instruction.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Successor blocks (normal flow).
    pub succ: Vec<usize>,
    /// Handler blocks reached when an instruction of the block throws.
    pub handlers: Vec<usize>,
}

/// The blocks of `body`, entry first.
pub fn blocks(body: &Body) -> Vec<Block> {
    let n = body.insns.len();
    if n == 0 {
        return Vec::new();
    }
    let index: HashMap<u32, usize> = body
        .insns
        .iter()
        .enumerate()
        .map(|(i, x)| (x.pc, i))
        .collect();
    let handler_of = |pc: u32| -> Vec<usize> {
        body.tries
            .iter()
            .filter(|(s, e, _)| pc >= *s && pc < *e)
            .flat_map(|(_, _, h)| h.iter().filter_map(|a| index.get(a).copied()))
            .collect()
    };
    let mut leaders = BTreeSet::from([0usize]);
    for (i, insn) in body.insns.iter().enumerate() {
        let f = insn.opcode.info().flags;
        for t in targets(body, i) {
            if let Some(&j) = index.get(&t) {
                leaders.insert(j);
            }
        }
        let ends = f.contains(Flags::BRANCH)
            || f.contains(Flags::SWITCH)
            || f.contains(Flags::RETURN)
            || insn.opcode == Opcode::Throw
            || (f.contains(Flags::THROW) && !handler_of(insn.pc).is_empty());
        if ends && i + 1 < n {
            leaders.insert(i + 1);
        }
    }
    for (_, _, hs) in &body.tries {
        for h in hs {
            if let Some(&j) = index.get(h) {
                leaders.insert(j);
            }
        }
    }
    let starts: Vec<usize> = leaders.into_iter().filter(|&l| l < n).collect();
    let block_of: HashMap<usize, usize> = starts.iter().enumerate().map(|(b, &s)| (s, b)).collect();
    let mut out = Vec::with_capacity(starts.len());
    for (b, &start) in starts.iter().enumerate() {
        let end = starts.get(b + 1).copied().unwrap_or(n);
        let last = end - 1;
        let insn = &body.insns[last];
        let f = insn.opcode.info().flags;
        let mut succ = Vec::new();
        for t in targets(body, last) {
            if let Some(bb) = index.get(&t).and_then(|j| block_of.get(j)) {
                succ.push(*bb);
            }
        }
        if f.contains(Flags::CONTINUE) && end < n {
            succ.push(b + 1);
        }
        let mut handlers: Vec<usize> = body.insns[start..end]
            .iter()
            .filter(|x| x.opcode.info().flags.contains(Flags::THROW))
            .flat_map(|x| handler_of(x.pc))
            .filter_map(|j| block_of.get(&j).copied())
            .collect();
        handlers.sort_unstable();
        handlers.dedup();
        succ.sort_unstable();
        succ.dedup();
        out.push(Block {
            start,
            end,
            succ,
            handlers,
        });
    }
    out
}

/// Branch and switch targets of instruction `i` (absolute pcs).
fn targets(body: &Body, i: usize) -> Vec<u32> {
    let insn = &body.insns[i];
    let f = insn.opcode.info().flags;
    if f.contains(Flags::SWITCH) {
        return body.switch_targets.get(&i).cloned().unwrap_or_default();
    }
    if f.contains(Flags::BRANCH) {
        return insn
            .branch_target()
            .and_then(|t| u32::try_from(t).ok())
            .into_iter()
            .collect();
    }
    Vec::new()
}
