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

/// The blocks control-dependent on each block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Regions {
    /// Those that run or not depending on which successor the block's
    /// branch takes (Ferrante et al., on the post-dominator tree).
    pub branch: Vec<Vec<usize>>,
    /// Those that run or not depending on whether the block's last
    /// instruction throws to its handlers: from each handler up the
    /// post-dominator tree to the block's post-dominator.
    pub handler: Vec<Vec<usize>>,
}

/// The control dependence of `blocks`. Post-dominators follow normal edges
/// only; exception edges give [`Regions::handler`].
///
/// Blocks that cannot reach an exit (endless loops) are treated as if they
/// could, through a virtual exit, so that every block has a post-dominator.
pub fn control_dependence(blocks: &[Block]) -> Regions {
    let n = blocks.len();
    let exit = n;
    let ipdom = post_dominators(blocks);
    // The blocks from each of `starts` up the post-dominator tree to `stop`.
    let walk = |starts: &[usize], stop: usize| -> Vec<usize> {
        let mut region: Vec<usize> = Vec::new();
        for &s in starts {
            let mut y = s;
            let mut guard = n + 1;
            while y != stop && y != exit && guard > 0 {
                if !region.contains(&y) {
                    region.push(y);
                }
                y = ipdom.get(y).copied().unwrap_or(exit);
                guard -= 1;
            }
        }
        region.sort_unstable();
        region
    };
    let mut out = Regions {
        branch: vec![Vec::new(); n],
        handler: vec![Vec::new(); n],
    };
    for (a, block) in blocks.iter().enumerate() {
        let stop = ipdom.get(a).copied().unwrap_or(exit);
        if block.succ.len() >= 2 {
            out.branch[a] = walk(&block.succ, stop);
        }
        if !block.handlers.is_empty() {
            out.handler[a] = walk(&block.handlers, stop);
        }
    }
    out
}

/// Immediate post-dominator of each block (`blocks.len()` is the virtual
/// exit), by Cooper, Harvey and Kennedy's iterative algorithm on the
/// reversed graph.
fn post_dominators(blocks: &[Block]) -> Vec<usize> {
    let n = blocks.len();
    let exit = n;
    // Reverse graph: the exit's "successors" are the blocks without
    // successors, and every block that cannot reach one.
    let mut preds_rev: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    for (b, block) in blocks.iter().enumerate() {
        if block.succ.is_empty() {
            preds_rev[b].push(exit);
        }
        for &s in &block.succ {
            if s < n {
                preds_rev[b].push(s);
            }
        }
    }
    // Which blocks reach the exit (search backwards from the exits).
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (b, block) in blocks.iter().enumerate() {
        for &s in &block.succ {
            if let Some(p) = pred.get_mut(s) {
                p.push(b);
            }
        }
    }
    let mut reaches = vec![false; n];
    let mut stack: Vec<usize> = (0..n).filter(|&b| blocks[b].succ.is_empty()).collect();
    while let Some(b) = stack.pop() {
        if std::mem::replace(&mut reaches[b], true) {
            continue;
        }
        stack.extend(pred[b].iter().copied().filter(|&p| !reaches[p]));
    }
    for (b, r) in reaches.iter().enumerate() {
        if !r {
            preds_rev[b].push(exit);
        }
    }
    // Reverse post-order of the reversed graph from the exit.
    let mut succ_rev: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    for (b, ps) in preds_rev.iter().enumerate() {
        for &p in ps {
            succ_rev[p].push(b);
        }
    }
    let mut order: Vec<usize> = Vec::with_capacity(n + 1);
    let mut seen = vec![false; n + 1];
    let mut work: Vec<(usize, usize)> = vec![(exit, 0)];
    seen[exit] = true;
    while let Some((v, i)) = work.last_mut() {
        let v = *v;
        if let Some(&w) = succ_rev[v].get(*i) {
            *i += 1;
            if !seen[w] {
                seen[w] = true;
                work.push((w, 0));
            }
        } else {
            work.pop();
            order.push(v);
        }
    }
    order.reverse();
    let mut rank = vec![usize::MAX; n + 1];
    for (k, &v) in order.iter().enumerate() {
        rank[v] = k;
    }
    const NONE: usize = usize::MAX;
    let mut idom = vec![NONE; n + 1];
    idom[exit] = exit;
    let mut changed = true;
    while changed {
        changed = false;
        for &v in order.iter().skip(1) {
            let mut new = NONE;
            for &p in &preds_rev[v] {
                if idom[p] == NONE {
                    continue;
                }
                new = if new == NONE {
                    p
                } else {
                    let (mut x, mut y) = (p, new);
                    while x != y {
                        while rank[x] > rank[y] {
                            x = idom[x];
                        }
                        while rank[y] > rank[x] {
                            y = idom[y];
                        }
                    }
                    x
                };
            }
            if new != NONE && idom[v] != new {
                idom[v] = new;
                changed = true;
            }
        }
    }
    idom.truncate(n);
    idom.iter()
        .map(|&d| if d == NONE { exit } else { d })
        .collect()
}

/// The rank of each block in reverse post-order from the entry (normal and
/// exception edges), so that a worklist taking the lowest rank first sees
/// every predecessor of a join before the join (loops aside). Blocks not
/// reachable come last.
pub fn reverse_post_order(blocks: &[Block]) -> Vec<usize> {
    let n = blocks.len();
    let mut post: Vec<usize> = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    if n > 0 {
        let mut work: Vec<(usize, usize)> = vec![(0, 0)];
        seen[0] = true;
        while let Some((v, i)) = work.last_mut() {
            let v = *v;
            let b = &blocks[v];
            let next = b.succ.iter().chain(&b.handlers).nth(*i).copied();
            match next {
                Some(w) => {
                    *i += 1;
                    if w < n && !seen[w] {
                        seen[w] = true;
                        work.push((w, 0));
                    }
                }
                None => {
                    work.pop();
                    post.push(v);
                }
            }
        }
    }
    let mut rank = vec![usize::MAX; n];
    for (k, &v) in post.iter().rev().enumerate() {
        rank[v] = k;
    }
    for (next, r) in (post.len()..).zip(rank.iter_mut().filter(|r| **r == usize::MAX)) {
        *r = next;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(succ: &[usize]) -> Block {
        Block {
            start: 0,
            end: 1,
            succ: succ.to_vec(),
            handlers: Vec::new(),
        }
    }

    #[test]
    fn if_else_arms_depend_on_the_branch_and_the_join_does_not() {
        // 0: if → 1 | 2; 1 → 3; 2 → 3; 3: return.
        let b = [block(&[1, 2]), block(&[3]), block(&[3]), block(&[])];
        let cd = control_dependence(&b).branch;
        assert_eq!(cd[0], vec![1, 2]);
        assert!(cd[1].is_empty() && cd[3].is_empty());
    }

    #[test]
    fn a_loop_body_and_its_header_depend_on_the_loop_test() {
        // 0 → 1; 1: test → 2 | 3; 2 → 1; 3: return.
        let b = [block(&[1]), block(&[2, 3]), block(&[1]), block(&[])];
        let cd = control_dependence(&b).branch;
        assert_eq!(cd[1], vec![1, 2]);
        assert!(cd[0].is_empty());
    }

    #[test]
    fn reverse_post_order_puts_both_arms_before_the_join() {
        // 0: if → 2 | 1; 1 → 3; 2 → 3; 3: return; 4 unreachable.
        let b = [
            block(&[2, 1]),
            block(&[3]),
            block(&[3]),
            block(&[]),
            block(&[3]),
        ];
        let rank = reverse_post_order(&b);
        assert_eq!(rank[0], 0);
        assert!(rank[1] < rank[3] && rank[2] < rank[3]);
        assert_eq!(rank[4], 4);
    }

    #[test]
    fn an_early_return_makes_the_rest_dependent() {
        // 0: if → 1 (return) | 2; 2 → 3 (return).
        let b = [block(&[1, 2]), block(&[]), block(&[3]), block(&[])];
        let cd = control_dependence(&b).branch;
        assert_eq!(cd[0], vec![1, 2, 3]);
    }

    #[test]
    fn a_handler_depends_on_the_instruction_that_throws() {
        // 0: in a try → 1, handler 2; 1: return; 2: handler → 3; 3 → 1.
        let mut t = block(&[1]);
        t.handlers = vec![2];
        let b = [t, block(&[]), block(&[3]), block(&[1])];
        let cd = control_dependence(&b);
        assert_eq!(cd.handler[0], vec![2, 3]);
        assert!(cd.branch[0].is_empty() && cd.handler[2].is_empty());
    }
}
