//! The analysis: method summaries computed bottom-up over the call graph's
//! strongly connected components, instantiated at call sites, and a global
//! fixpoint over what crosses method boundaries without a call (fields,
//! intents between the app's components).
//!
//! Per method, the analysis is flow-sensitive over the control-flow graph
//! (including exception edges) and tracks, per register, the labels of its
//! value and the abstract object it points to, so that aliases inside the
//! method share what an object holds (`sb.append(x)` taints every register
//! holding `sb`). A summary says, in terms of the method's parameters
//! (`PARAM` labels), what the return value carries (and the constant it
//! returns, if any), what the parameters' objects receive, what is thrown,
//! and which sinks are reached (one shortest path per sink, so that
//! recursion cannot grow a summary without end).
//!
//! Integer constants are folded and some results bounded (`x % c`,
//! `Random.nextInt(n)`), so that branches decided by them are pruned.
//! Elements at constant indexes of arrays of values allocated in the method
//! are tracked one by one; other array accesses go to the whole array.
//!
//! Fields are field-based: a write of tainted data to field `F` of any
//! object taints `F` everywhere (flow- and object-insensitive), which keeps
//! flows through component fields across lifecycle callbacks and threads.
//!
//! Within a strongly connected component, a worklist re-analyses only the
//! members whose callees' summaries changed; globally, rounds re-analyse
//! the methods whose inputs (fields, intents) changed, until none did or
//! the budget is spent.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use std::time::Instant;

use leakscope_dalvik::{Flags, Opcode};
use leakscope_model::SinkKind;

mod call;
mod callgraph;
mod control;
mod icc;
mod reflect;

use crate::cfg::{Block, Regions, blocks, control_dependence, reverse_post_order};
use crate::models::{Models, Slot};
use crate::program::{Body, MethodId, MethodRef, Program};
use crate::spec::Spec;
use crate::state::{ALLOC, IMPLICIT, Konst, Label, PARAM, State, Taint, Val};
use crate::{Budget, Component, ComponentKind, Input};
use control::{branch_taint, can_throw, define_in_context, throw_taint};

/// A statement that reads personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSite {
    /// The method holding it.
    pub method: MethodId,
    /// Its pc.
    pub pc: u32,
    /// The API.
    pub api: String,
    /// Its category.
    pub category: Option<leakscope_model::Category>,
}

/// A statement that lets data out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SinkSite {
    /// The method holding it.
    pub method: MethodId,
    /// Its pc.
    pub pc: u32,
    /// The API.
    pub api: String,
    /// Its kind.
    pub kind: SinkKind,
}

/// What a method does to taint, in terms of its parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Summary {
    ret: Taint,
    /// The allocated type of every returned object, when it is one type.
    ret_ty: Option<Rc<str>>,
    /// The constant every return returns, when there is one.
    ret_konst: Option<Konst>,
    returns: u32,
    params_out: BTreeMap<usize, Taint>,
    thrown: Taint,
    /// Sinks reached: (sink, the parameters that reach it) → the shortest
    /// method path to it (one path each, so that recursion cannot grow the
    /// summary without end).
    sinks: BTreeMap<(usize, Taint), Vec<MethodId>>,
    fields: BTreeMap<Rc<(String, String)>, Taint>,
    icc: BTreeMap<Rc<str>, Taint>,
    /// Fields written on every path to a normal return, with what was
    /// written (a setter, `access$002`): after the call they hold that
    /// and nothing older.
    writes: BTreeMap<Rc<(String, String)>, Taint>,
    /// Normal returns seen.
    exits: u32,
    /// Every return returns the value of this field as it was on entry
    /// (a getter, `access$000`).
    ret_field: Option<Rc<(String, String)>>,
    /// It writes fields or calls into the app: what the caller knows of
    /// fields does not survive the call.
    side_effects: bool,
}

/// State that crosses methods without calls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Globals {
    fields: HashMap<Rc<(String, String)>, Taint>,
    /// The one constant written to a field anywhere, `None` when several
    /// or non-constant values are.
    field_konst: HashMap<Rc<(String, String)>, Option<Konst>>,
    icc: HashMap<Rc<str>, Taint>,
}

/// The result of [`analyze`].
pub struct Found {
    /// Source sites, by label.
    pub sources: Vec<SourceSite>,
    /// Sink sites.
    pub sinks: Vec<SinkSite>,
    /// (source label, sink index) → method path.
    pub flows: BTreeMap<(Label, usize), Vec<MethodId>>,
    /// Methods with code analysed.
    pub analyzed: usize,
    /// Reachable methods not analysed.
    pub skipped: usize,
    /// Why the analysis is partial.
    pub notes: Vec<String>,
}

/// One call instruction being analysed: the caller, the pc, the method
/// referenced, the registers of its arguments (receiver first) and what
/// they carried before the call.
pub(super) struct Call<'c> {
    m: MethodId,
    pc: u32,
    r: &'c MethodRef,
    regs: &'c [u32],
    taint: &'c [Taint],
    is_static: bool,
}

/// (class, method name, prototype or any) of a virtual call.
type ImplKey = (String, String, Option<String>);

/// A decoded body and its blocks.
type Decoded = (Body, Vec<Block>);

/// Result channel of `setResult` → `onActivityResult`.
const RESULT_CHANNEL: &str = "<activity result>";
/// Path length cap.
const MAX_PATH: usize = 16;
/// Summary sink-hit cap per method.
const MAX_HITS: usize = 256;
/// Analyses of a recursive cycle's methods, per method, before giving up.
const MAX_SCC_PASSES: usize = 20;
/// Global rounds.
const MAX_ROUNDS: usize = 100;

struct Analyzer<'p, 'a> {
    prog: &'p Program<'a>,
    resource_strings: Option<crate::ResourceStrings<'p>>,
    spec: &'p Spec,
    models: &'p Models,
    components: HashMap<String, ComponentKind>,
    exported: HashSet<String>,
    actions: HashMap<String, Vec<Rc<str>>>,
    /// Components by the data parts of their intent filters.
    data_filters: Vec<(Rc<str>, crate::DataFilter)>,
    /// Resource ids of layout password fields.
    password_fields: HashSet<u32>,
    bodies: HashMap<MethodId, Option<Rc<Decoded>>>,
    /// Control dependence of each method's blocks, computed when a branch
    /// on tainted data is first met.
    regions: HashMap<MethodId, Rc<Regions>>,
    chains: std::cell::RefCell<HashMap<String, Rc<Vec<String>>>>,
    summaries: HashMap<MethodId, Rc<Summary>>,
    globals: Globals,
    sources: Vec<SourceSite>,
    source_index: HashMap<(MethodId, u32), Label>,
    sinks: Vec<SinkSite>,
    sink_index: HashMap<(MethodId, u32), usize>,
    flows: BTreeMap<(Label, usize), Vec<MethodId>>,
    instantiated: HashSet<String>,
    /// Instantiated classes, in the order found.
    instantiation_order: Vec<String>,
    /// Instantiated classes by each of their ancestors.
    subtypes: HashMap<String, Vec<String>>,
    /// Virtual call sites by the static class they call through: (caller,
    /// name, prototype or any).
    vcalls: HashMap<String, Vec<(MethodId, String, Option<String>)>>,
    impl_cache: std::cell::RefCell<HashMap<ImplKey, Rc<Vec<MethodId>>>>,
    callees: HashMap<MethodId, BTreeSet<MethodId>>,
    entries: BTreeSet<MethodId>,
    deadline: Instant,
    budget: Budget,
    out_of_budget: bool,
    notes: Vec<String>,
    analyzed: HashSet<MethodId>,
    steps: u64,
    summary_changes: u64,
    /// Summaries computed (for the trace).
    solved: u64,
    /// `LEAKSCOPE_TAINT_TRACE` is set: print rounds to stderr, and every
    /// summary unless it is `rounds`.
    trace: bool,
    /// Print every summary (`LEAKSCOPE_TAINT_TRACE` set, not to `rounds`).
    trace_summaries: bool,
    /// Methods whose summary may be out of date.
    dirty: HashSet<MethodId>,
    /// Reverse call graph.
    callers: HashMap<MethodId, Vec<MethodId>>,
    /// Methods that read each field / each component's intents.
    field_readers: HashMap<Rc<(String, String)>, HashSet<MethodId>>,
    icc_readers: HashMap<Rc<str>, HashSet<MethodId>>,
    /// Methods that build, send or read intents.
    intent_users: HashSet<MethodId>,
}

/// Runs the analysis.
pub fn analyze(
    prog: &Program<'_>,
    input: &Input<'_>,
    spec: &Spec,
    models: &Models,
    budget: Budget,
) -> Found {
    let mut a = Analyzer {
        prog,
        resource_strings: input.resource_strings,
        spec,
        models,
        components: input
            .components
            .iter()
            .map(|c| (c.class.clone(), c.kind))
            .collect(),
        actions: actions(&input.components),
        data_filters: input
            .components
            .iter()
            .flat_map(|c| {
                c.data
                    .iter()
                    .map(|d| (Rc::from(c.class.as_str()), d.clone()))
            })
            .collect(),
        password_fields: input.password_fields.iter().copied().collect(),
        exported: input
            .components
            .iter()
            .filter(|c| c.exported)
            .map(|c| c.class.clone())
            .collect(),
        bodies: HashMap::new(),
        regions: HashMap::new(),
        chains: Default::default(),
        summaries: HashMap::new(),
        globals: Globals::default(),
        sources: Vec::new(),
        source_index: HashMap::new(),
        sinks: Vec::new(),
        sink_index: HashMap::new(),
        flows: BTreeMap::new(),
        instantiated: HashSet::new(),
        instantiation_order: Vec::new(),
        subtypes: HashMap::new(),
        vcalls: HashMap::new(),
        impl_cache: Default::default(),
        callees: HashMap::new(),
        entries: BTreeSet::new(),
        deadline: Instant::now() + budget.time,
        budget,
        out_of_budget: false,
        notes: Vec::new(),
        analyzed: HashSet::new(),
        steps: 0,
        summary_changes: 0,
        solved: 0,
        trace: std::env::var_os("LEAKSCOPE_TAINT_TRACE").is_some(),
        trace_summaries: std::env::var_os("LEAKSCOPE_TAINT_TRACE").is_some_and(|v| v != "rounds"),
        dirty: HashSet::new(),
        callers: HashMap::new(),
        field_readers: HashMap::new(),
        icc_readers: HashMap::new(),
        intent_users: HashSet::new(),
    };
    a.build_call_graph(input);
    let order = sccs(&a.callees, &a.entries);
    a.dirty = a.callees.keys().copied().collect();
    for (&caller, callees) in &a.callees {
        for &c in callees {
            a.callers.entry(c).or_default().push(caller);
        }
    }
    let started = Instant::now();
    for round in 0..MAX_ROUNDS {
        let changes = a.summary_changes;
        let solved = a.solved;
        for scc in &order {
            a.solve_scc(scc);
            if a.out_of_budget {
                break;
            }
        }
        let entries: Vec<MethodId> = a.entries.iter().copied().collect();
        for e in entries {
            a.instantiate_entry(e);
        }
        if a.trace {
            let names: Vec<String> = a
                .dirty
                .iter()
                .take(5)
                .map(|m| a.prog.methods[*m].signature())
                .collect();
            eprintln!(
                "round {round} at {:.1}s: {} summaries computed, {} dirty, receivers changed: {}, e.g. {names:?}",
                started.elapsed().as_secs_f64(),
                a.solved - solved,
                a.dirty.len(),
                a.summary_changes != changes
            );
        }
        if a.out_of_budget || a.dirty.is_empty() {
            break;
        }
        if a.summary_changes != changes {
            // Registered receivers or actions changed what intents reach:
            // every method that builds, sends or reads intents may change.
            let users: Vec<MethodId> = a.intent_users.iter().copied().collect();
            a.dirty.extend(users);
        }
        if round + 1 == MAX_ROUNDS {
            a.notes.push(format!(
                "taint: global fixpoint not reached after {MAX_ROUNDS} rounds; flows through fields may be missing"
            ));
        }
    }
    let reachable: HashSet<MethodId> = a.callees.keys().copied().collect();
    let analyzed = a.analyzed.len();
    Found {
        sources: a.sources,
        sinks: a.sinks,
        flows: a.flows,
        analyzed,
        skipped: reachable.len().saturating_sub(analyzed),
        notes: a.notes,
    }
}

fn actions(components: &[Component]) -> HashMap<String, Vec<Rc<str>>> {
    let mut m: HashMap<String, Vec<Rc<str>>> = HashMap::new();
    for c in components {
        for a in &c.actions {
            m.entry(a.clone())
                .or_default()
                .push(Rc::from(c.class.as_str()));
        }
    }
    m
}

/// Strongly connected components of the call graph reachable from
/// `entries`, callees before callers (Tarjan, iterative).
fn sccs(
    callees: &HashMap<MethodId, BTreeSet<MethodId>>,
    entries: &BTreeSet<MethodId>,
) -> Vec<Vec<MethodId>> {
    let mut index: HashMap<MethodId, usize> = HashMap::new();
    let mut low: HashMap<MethodId, usize> = HashMap::new();
    let mut on_stack: HashSet<MethodId> = HashSet::new();
    let mut stack: Vec<MethodId> = Vec::new();
    let mut out = Vec::new();
    let mut next = 0usize;
    let empty = BTreeSet::new();
    let mut roots: Vec<MethodId> = entries.iter().copied().collect();
    roots.extend(callees.keys().copied());
    for root in roots {
        if index.contains_key(&root) {
            continue;
        }
        let mut work: Vec<(MethodId, Vec<MethodId>, usize)> = Vec::new();
        index.insert(root, next);
        low.insert(root, next);
        next += 1;
        stack.push(root);
        on_stack.insert(root);
        work.push((
            root,
            callees
                .get(&root)
                .unwrap_or(&empty)
                .iter()
                .copied()
                .collect(),
            0,
        ));
        while let Some((v, succ, i)) = work.last_mut() {
            let v = *v;
            if let Some(&w) = succ.get(*i) {
                *i += 1;
                if let std::collections::hash_map::Entry::Vacant(slot) = index.entry(w) {
                    slot.insert(next);
                    low.insert(w, next);
                    next += 1;
                    stack.push(w);
                    on_stack.insert(w);
                    work.push((
                        w,
                        callees.get(&w).unwrap_or(&empty).iter().copied().collect(),
                        0,
                    ));
                } else if on_stack.contains(&w) {
                    let lw = index[&w];
                    let lv = low[&v];
                    low.insert(v, lv.min(lw));
                }
                continue;
            }
            work.pop();
            if let Some((parent, _, _)) = work.last() {
                let lv = low[&v];
                let lp = low[parent];
                low.insert(*parent, lp.min(lv));
            }
            if low[&v] == index[&v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack.remove(&w);
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

impl<'p> Analyzer<'p, '_> {
    fn body(&mut self, m: MethodId) -> Option<Rc<Decoded>> {
        if let Some(b) = self.bodies.get(&m) {
            return b.clone();
        }
        let b = self.prog.body(m).map(|body| {
            let bl = blocks(&body);
            Rc::new((body, bl))
        });
        self.bodies.insert(m, b.clone());
        b
    }

    /// The class and its supertypes, app ones from the DEX files and library
    /// ones from the models' hierarchy.
    fn chain(&self, class: &str) -> Rc<Vec<String>> {
        if let Some(c) = self.chains.borrow().get(class) {
            return c.clone();
        }
        let mut out: Vec<String> = Vec::new();
        for c in self.prog.ancestors(class).iter() {
            for l in self.models.library_ancestors(c) {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
        let rc = Rc::new(out);
        self.chains
            .borrow_mut()
            .insert(class.to_string(), rc.clone());
        rc
    }

    /// Summarises the methods of one strongly connected component of the
    /// call graph that are dirty, then, until their summaries are stable,
    /// the members that call a member whose summary changed (or that read a
    /// field a member wrote).
    fn solve_scc(&mut self, scc: &[MethodId]) {
        if !scc.iter().any(|m| self.dirty.contains(m)) {
            return;
        }
        let pos: HashMap<MethodId, usize> = scc.iter().enumerate().map(|(i, &m)| (m, i)).collect();
        let mut queue: BTreeSet<usize> = BTreeSet::new();
        let mut budget = scc.len().saturating_mul(MAX_SCC_PASSES);
        loop {
            if queue.is_empty() {
                // Members dirty from the start, or since through fields.
                for (i, m) in scc.iter().enumerate() {
                    if self.dirty.remove(m) {
                        queue.insert(i);
                    }
                }
            }
            let Some(i) = queue.pop_first() else { break };
            if budget == 0 {
                self.notes.push(format!(
                    "taint: summaries of a recursive cycle of {} methods not stable after {MAX_SCC_PASSES} passes",
                    scc.len()
                ));
                return;
            }
            budget -= 1;
            if Instant::now() > self.deadline || self.steps > self.budget.max_steps {
                if !self.out_of_budget {
                    self.out_of_budget = true;
                    self.notes.push(format!(
                        "taint: budget exhausted after {} steps; methods not yet summarised are not covered",
                        self.steps
                    ));
                }
                return;
            }
            let m = scc[i];
            let s = self.analyze_method(m);
            self.solved += 1;
            if self.trace_summaries {
                eprintln!("summary {}: {:?}", self.prog.methods[m].signature(), s);
            }
            if self.summaries.get(&m).is_some_and(|old| **old == s) {
                continue;
            }
            self.summaries.insert(m, Rc::new(s));
            for c in self.callers.get(&m).into_iter().flatten() {
                match pos.get(c) {
                    Some(&k) => {
                        queue.insert(k);
                    }
                    None => {
                        self.dirty.insert(*c);
                    }
                }
            }
        }
    }

    /// The intra-procedural analysis of one method, giving its summary.
    fn analyze_method(&mut self, m: MethodId) -> Summary {
        let mut sum = Summary::default();
        let Some(b) = self.body(m) else { return sum };
        self.analyzed.insert(m);
        let (body, bl) = (&b.0, &b.1);
        if bl.is_empty() {
            return sum;
        }
        let mut entry = State {
            regs: vec![Val::default(); usize::from(body.registers)],
            ..State::default()
        };
        let meth = self.prog.methods[m].clone();
        let mut reg = u32::from(body.registers.saturating_sub(body.ins));
        let mut params: Vec<String> = Vec::new();
        if !meth.is_static() {
            params.push(meth.class.clone());
        }
        params.extend(proto_params(&meth.proto));
        for (i, p) in params.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            entry.set(
                reg,
                Val {
                    taint: Taint::one(PARAM | i),
                    obj: Some(i),
                    ..Val::default()
                },
            );
            reg = reg.saturating_add(if p == "J" || p == "D" { 2 } else { 1 });
        }
        let mut states: Vec<Option<State>> = vec![None; bl.len()];
        states[0] = Some(entry);
        // The worklist holds ranks in reverse post-order, so that joins are
        // seen with all their inputs before their successors run.
        let rank = reverse_post_order(bl);
        let mut by_rank = vec![0usize; bl.len()];
        for (b, &r) in rank.iter().enumerate() {
            if let Some(slot) = by_rank.get_mut(r) {
                *slot = b;
            }
        }
        let mut work: BTreeSet<usize> = BTreeSet::from([rank[0]]);
        let mut visits = vec![0u32; bl.len()];
        // Implicit labels of each block (from the branches it depends on).
        let mut ctx: Vec<Taint> = vec![Taint::default(); bl.len()];
        // The blocks whose states reached each block so far.
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); bl.len()];
        // What the parameters' objects hold where blocks end (every exit
        // from the method is at the end of a block).
        let mut params_heap: BTreeMap<u32, Taint> = BTreeMap::new();
        while let Some(r) = work.pop_first() {
            let bi = by_rank[r];
            let Some(mut st) = states[bi].clone() else {
                continue;
            };
            visits[bi] += 1;
            if visits[bi] > 50 {
                continue;
            }
            let block = &bl[bi];
            st.ctx = ctx[bi].clone();
            let mut exc_states: Vec<State> = Vec::new();
            // Inside a try, a block ends with the one instruction that may
            // throw: whether it can, and what decides that it does.
            let (mut throws, mut thrown) = (false, Taint::default());
            for i in block.start..block.end {
                self.steps += 1;
                if i + 1 == block.end && !block.handlers.is_empty() {
                    throws = can_throw(&body.insns[i], &st);
                    if self.budget.implicit_flows {
                        thrown = throw_taint(&body.insns[i], &st);
                    }
                }
                self.transfer(m, body, i, &mut st, &mut sum);
                if !st.ctx.is_empty() {
                    define_in_context(&body.insns[i], &mut st);
                }
                // A thrown exception goes to the handlers, or out of the
                // method; it never continues down the normal path.
                if block.handlers.is_empty() {
                    sum.thrown.union(&st.exc);
                } else if !st.exc.is_empty() || (i + 1 == block.end && throws) {
                    exc_states.push(st.clone());
                }
                st.exc = Taint::default();
            }
            for (&o, t) in st.heap.range(..ALLOC) {
                params_heap.entry(o).or_default().union(t);
            }
            let last = &body.insns[block.end - 1];
            let decided = decided_branch(last, &st).and_then(|taken| {
                let target = if taken {
                    last.branch_target().and_then(|t| u32::try_from(t).ok())
                } else {
                    Some(last.next_pc())
                }?;
                bl.iter()
                    .position(|b| body.insns.get(b.start).map(|x| x.pc) == Some(target))
            });
            if self.budget.implicit_flows {
                // A branch on tainted data: what its region defines or
                // does depends on that data. So does what a handler does
                // when whether the instruction throws depends on it.
                let mut branch = Taint::default();
                if decided.is_none() && block.succ.len() > 1 {
                    branch = branch_taint(last, &st);
                }
                for (t, handler) in [(branch, false), (thrown, true)] {
                    let relevant = if handler {
                        throws
                    } else {
                        decided.is_none() && block.succ.len() > 1
                    };
                    if !relevant || (t.is_empty() && st.ctx.is_empty()) {
                        continue;
                    }
                    let mut t = t.implicit();
                    t.union(&st.ctx);
                    let regions = self.regions(m, bl);
                    let region = if handler {
                        &regions.handler
                    } else {
                        &regions.branch
                    };
                    for &y in region.get(bi).into_iter().flatten() {
                        if let Some(c) = ctx.get_mut(y)
                            && c.union(&t)
                            && states.get(y).is_some_and(Option::is_some)
                        {
                            work.insert(rank[y]);
                        }
                    }
                }
            }
            let mut push = |target: usize, s: &State, states: &mut Vec<Option<State>>| {
                let from = &mut preds[target];
                let merge = !from.contains(&bi);
                if merge {
                    from.push(bi);
                }
                match &mut states[target] {
                    Some(old) => {
                        if old.join(s, merge) {
                            work.insert(rank[target]);
                        }
                    }
                    slot @ None => {
                        *slot = Some(s.clone());
                        work.insert(rank[target]);
                    }
                }
            };
            for &s in &block.succ {
                if decided.is_none_or(|d| d == s) {
                    push(s, &st, &mut states);
                }
            }
            for &h in &block.handlers {
                for es in &exc_states {
                    push(h, es, &mut states);
                }
            }
        }
        // What the parameters' objects received.
        for (i, _) in params.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            let t = params_heap
                .get(&i)
                .map(|t| t.without(PARAM | i))
                .unwrap_or_default();
            if !t.is_empty() {
                sum.params_out.insert(i as usize, t);
            }
        }
        sum
    }

    /// The control dependence of method `m`'s blocks `bl`.
    fn regions(&mut self, m: MethodId, bl: &[Block]) -> Rc<Regions> {
        self.regions
            .entry(m)
            .or_insert_with(|| Rc::new(control_dependence(bl)))
            .clone()
    }

    fn source_label(
        &mut self,
        m: MethodId,
        pc: u32,
        api: &str,
        category: Option<leakscope_model::Category>,
    ) -> Label {
        if let Some(&l) = self.source_index.get(&(m, pc)) {
            return l;
        }
        let l = u32::try_from(self.sources.len())
            .unwrap_or(PARAM - 1)
            .min(PARAM - 1);
        self.sources.push(SourceSite {
            method: m,
            pc,
            api: api.to_string(),
            category,
        });
        self.source_index.insert((m, pc), l);
        l
    }

    fn sink_site(&mut self, m: MethodId, pc: u32, api: &str, kind: SinkKind) -> usize {
        if let Some(&s) = self.sink_index.get(&(m, pc)) {
            return s;
        }
        let s = self.sinks.len();
        self.sinks.push(SinkSite {
            method: m,
            pc,
            api: api.to_string(),
            kind,
        });
        self.sink_index.insert((m, pc), s);
        s
    }

    /// Adds `t` to what the object in register `r` holds; a reference read
    /// from a field with no known object writes the field instead (the
    /// array in `static String[] a; a[1] = x`).
    fn taint_obj(&mut self, st: &mut State, r: u32, t: &Taint, sum: &mut Summary) {
        let v = st.reg(r);
        if let Some(k) = v.field {
            self.write_field(k.clone(), t, sum);
            if let Some(local) = st.fields.get_mut(&k) {
                local.taint.union(t);
            }
        }
        st.taint_object(r, t);
    }

    /// Writes to a channel (a stream a sink returned, or a wrapper around
    /// one) are sinks of the channel's kind; wrappers built around a channel
    /// become channels.
    fn channel_write(&mut self, call: &Call<'_>, st: &mut State, sum: &mut Summary) {
        let (m, pc, r, arg_regs, arg_taint, is_static) = (
            call.m,
            call.pc,
            call.r,
            call.regs,
            call.taint,
            call.is_static,
        );
        if is_static || self.prog.is_app_class(&r.class) {
            return;
        }
        let Some(&recv) = arg_regs.first() else {
            return;
        };
        if r.name == "<init>" {
            if let Some(ch) = arg_regs.iter().skip(1).find_map(|&x| st.reg(x).channel)
                && let Some(v) = st.regs.get_mut(recv as usize)
            {
                v.channel = Some(ch);
            }
            return;
        }
        let Some(ch) = st.reg(recv).channel else {
            return;
        };
        let writes = ["write", "print", "append", "send", "format"];
        if !writes.iter().any(|w| r.name.starts_with(w)) {
            return;
        }
        let mut t = Taint::default();
        for x in arg_taint.iter().skip(1) {
            t.union(x);
        }
        if !t.is_empty() {
            let api = format!("{}->{} (to {})", r.class, r.name, ch.1);
            let s = self.sink_site(m, pc, &api, ch.0);
            self.hit(m, s, &t, Vec::new(), sum);
        }
    }

    /// Records that `taint` reaches sink `sink` in method `m` through `path`.
    fn hit(
        &mut self,
        m: MethodId,
        sink: usize,
        taint: &Taint,
        path: Vec<MethodId>,
        sum: &mut Summary,
    ) {
        for l in taint.sources() {
            let src_method = self.sources.get((l & !IMPLICIT) as usize).map(|s| s.method);
            let mut p: Vec<MethodId> = src_method.into_iter().collect();
            if p.last() != Some(&m) {
                p.push(m);
            }
            for x in &path {
                if p.last() != Some(x) && p.len() < MAX_PATH {
                    p.push(*x);
                }
            }
            self.flows.entry((l, sink)).or_insert(p);
        }
        if !taint.has_params() {
            return;
        }
        let mut p = vec![m];
        p.extend(path.iter().copied().take(MAX_PATH));
        p.dedup();
        let full = sum.sinks.len() >= MAX_HITS;
        match sum.sinks.entry((sink, taint.params_only())) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                if !full {
                    slot.insert(p);
                }
            }
            std::collections::btree_map::Entry::Occupied(mut slot) => {
                let old = slot.get();
                if (p.len(), &p) < (old.len(), old) {
                    slot.insert(p);
                }
            }
        }
    }

    fn write_field(&mut self, key: Rc<(String, String)>, t: &Taint, sum: &mut Summary) {
        let c = t.concrete();
        if !c.is_empty()
            && self
                .globals
                .fields
                .entry(key.clone())
                .or_default()
                .union(&c)
        {
            for r in self.field_readers.get(&key).into_iter().flatten() {
                self.dirty.insert(*r);
            }
        }
        if t.has_params() {
            let p = t.params_only();
            sum.fields.entry(key).or_default().union(&p);
        }
    }

    fn write_icc(&mut self, target: Rc<str>, t: &Taint, sum: &mut Summary) {
        let c = t.concrete();
        if !c.is_empty()
            && self
                .globals
                .icc
                .entry(target.clone())
                .or_default()
                .union(&c)
        {
            for r in self.icc_readers.get(&target).into_iter().flatten() {
                self.dirty.insert(*r);
            }
        }
        if t.has_params() {
            sum.icc.entry(target).or_default().union(&t.params_only());
        }
    }

    fn transfer(&mut self, m: MethodId, body: &Body, i: usize, st: &mut State, sum: &mut Summary) {
        let insn = body.insns[i];
        let op = insn.opcode;
        let dex = self.prog.methods[m].dex;
        let a = insn.reg_a().map(u32::from);
        let b = insn.reg_b().map(u32::from);
        let c = insn.reg_c().map(u32::from);
        let flags = op.info().flags;
        use Opcode as O;
        match op {
            O::Move
            | O::MoveFrom16
            | O::Move16
            | O::MoveWide
            | O::MoveWideFrom16
            | O::MoveWide16
            | O::MoveObject
            | O::MoveObjectFrom16
            | O::MoveObject16 => {
                if let (Some(a), Some(b)) = (a, b) {
                    let v = st.reg(b);
                    st.set(a, v);
                }
            }
            O::MoveResult | O::MoveResultWide | O::MoveResultObject => {
                if let Some(a) = a {
                    let v = std::mem::take(&mut st.result);
                    st.set(a, v);
                }
            }
            O::MoveException => {
                if let Some(a) = a {
                    let t = std::mem::take(&mut st.exc);
                    st.set(a, Val::tainted(t));
                }
            }
            O::Return | O::ReturnWide | O::ReturnObject | O::ReturnVoid => {
                let written = st.fields.iter().map(|(k, v)| (k, &v.taint));
                if sum.exits == 0 {
                    sum.writes = written.map(|(k, t)| (k.clone(), t.clone())).collect();
                } else {
                    let here: BTreeMap<_, _> = written.collect();
                    sum.writes.retain(|k, t| {
                        here.get(k).is_some_and(|h| {
                            t.union(h);
                            true
                        })
                    });
                }
                sum.exits += 1;
                if op == O::ReturnVoid {
                    return;
                }
                if let Some(a) = a {
                    let t = st.taint_of(a);
                    sum.ret.union(&t);
                    let ty = st.reg(a).ty;
                    sum.ret_ty = match (sum.returns, &sum.ret_ty) {
                        (0, _) => ty,
                        (_, Some(prev)) if Some(prev) == ty.as_ref() => ty,
                        _ => None,
                    };
                    let konst = st.reg(a).konst;
                    sum.ret_konst = match (sum.returns, &sum.ret_konst) {
                        (0, _) => konst,
                        (_, Some(prev)) if Some(prev) == konst.as_ref() => konst,
                        _ => None,
                    };
                    let field = st
                        .reg(a)
                        .field
                        .filter(|k| !st.fields.contains_key(k) && op == O::ReturnObject);
                    sum.ret_field = match (sum.returns, &sum.ret_field) {
                        (0, _) => field,
                        (_, Some(prev)) if Some(prev) == field.as_ref() => field,
                        _ => None,
                    };
                    sum.returns += 1;
                }
            }
            O::Throw => {
                if let Some(a) = a {
                    let t = st.taint_of(a);
                    st.exc.union(&t);
                }
            }
            O::Const4 | O::Const16 | O::Const | O::ConstHigh16 => {
                if let Some(a) = a {
                    st.set(
                        a,
                        Val {
                            konst: insn.literal().map(Konst::Int),
                            ..Val::default()
                        },
                    );
                }
            }
            O::ConstString | O::ConstStringJumbo => {
                let Some(a) = a else { return };
                let s = insn.index().and_then(|x| self.prog.string(dex, x.value));
                let mut v = Val::default();
                if let Some(s) = s {
                    if let Some(def) = self.spec.string(&s).cloned() {
                        let l = self.source_label(m, insn.pc, &def.api, def.category);
                        v.taint.insert(l);
                    }
                    v.konst = Some(Konst::Str(Rc::from(s.as_str())));
                }
                st.set(a, v);
            }
            O::ConstClass => {
                let Some(a) = a else { return };
                let t = insn.index().and_then(|x| self.prog.type_name(dex, x.value));
                st.set(
                    a,
                    Val {
                        konst: t.map(|t| Konst::Class(Rc::from(t.as_str()))),
                        ..Val::default()
                    },
                );
            }
            O::NewInstance | O::NewArray => {
                let Some(a) = a else { return };
                let ty = insn.index().and_then(|x| self.prog.type_name(dex, x.value));
                let obj = ALLOC + u32::try_from(i).unwrap_or(0);
                st.heap.remove(&obj);
                st.remove_elements(obj);
                st.targets.remove(&obj);
                st.intent_data.remove(&obj);
                // An array's length tells its size: implicitly, the data
                // the size was computed from.
                let taint = match b {
                    Some(b) if op == O::NewArray && self.budget.implicit_flows => {
                        st.reg(b).taint.implicit()
                    }
                    _ => Taint::default(),
                };
                let konst = match b.and_then(|b| st.reg(b).konst) {
                    Some(Konst::Int(n)) if op == O::NewArray && n >= 0 => Some(Konst::ArrayLen(n)),
                    _ => None,
                };
                st.set(
                    a,
                    Val {
                        obj: Some(obj),
                        ty: ty.map(|t| Rc::from(t.as_str())),
                        taint,
                        konst,
                        ..Val::default()
                    },
                );
            }
            O::FilledNewArray | O::FilledNewArrayRange => {
                let mut t = Taint::default();
                if let Some(args) = insn.args() {
                    for r in args.iter() {
                        t.union(&st.taint_of(r));
                    }
                }
                st.result = Val::tainted(t);
            }
            O::Aget
            | O::AgetWide
            | O::AgetObject
            | O::AgetBoolean
            | O::AgetByte
            | O::AgetChar
            | O::AgetShort => {
                if let (Some(a), Some(b)) = (a, b) {
                    // An element at a constant index of a local array of
                    // values (numbers, strings) is tracked on its own.
                    let arr = st.reg(b);
                    if let Some(key) = element_key(&arr, c.map(|c| st.reg(c))) {
                        let mut t = arr.taint.clone();
                        t.union(&st.heap.get(&key.0).cloned().unwrap_or_default());
                        if let Some(e) = st.elems.get(&key) {
                            t.union(e);
                        }
                        st.set(a, Val::tainted(t));
                        return;
                    }
                    // Elements share the array's abstract object (arrays of
                    // arrays stay connected).
                    let t = st.taint_of(b);
                    st.set(
                        a,
                        Val {
                            taint: t,
                            obj: if op == O::AgetObject { arr.obj } else { None },
                            field: if op == O::AgetObject { arr.field } else { None },
                            ..Val::default()
                        },
                    );
                }
            }
            O::Aput
            | O::AputWide
            | O::AputObject
            | O::AputBoolean
            | O::AputByte
            | O::AputChar
            | O::AputShort => {
                if let (Some(a), Some(b)) = (a, b) {
                    let mut t = st.taint_of(a);
                    t.union(&st.ctx);
                    if let Some(key) = element_key(&st.reg(b), c.map(|c| st.reg(c))) {
                        // Strong update of one element.
                        st.elems.insert(key, t);
                        return;
                    }
                    self.taint_obj(st, b, &t, sum);
                }
            }
            O::Iget
            | O::IgetWide
            | O::IgetObject
            | O::IgetBoolean
            | O::IgetByte
            | O::IgetChar
            | O::IgetShort
            | O::Sget
            | O::SgetWide
            | O::SgetObject
            | O::SgetBoolean
            | O::SgetByte
            | O::SgetChar
            | O::SgetShort => {
                let Some(a) = a else { return };
                let Some((class, name, _)) =
                    insn.index().and_then(|x| self.prog.field_ref(dex, x.value))
                else {
                    st.set(a, Val::default());
                    return;
                };
                let mut t = Taint::default();
                if let Some(def) = self.spec.field(&class, &name).cloned() {
                    let l = self.source_label(m, insn.pc, &def.api, def.category);
                    t.insert(l);
                }
                let key = Rc::new((self.prog.field_owner(&class, &name), name));
                self.field_readers.entry(key.clone()).or_default().insert(m);
                let local = st.fields.get(&key).cloned();
                match &local {
                    // Written earlier in this method: the last write wins.
                    Some(v) => {
                        t.union(&v.taint);
                    }
                    None => {
                        if let Some(g) = self.globals.fields.get(&key) {
                            t.union(g);
                        }
                        if let Some(s) = sum.fields.get(&key) {
                            t.union(s);
                        }
                    }
                }
                let known = local.or_else(|| {
                    self.globals
                        .field_konst
                        .get(&key)
                        .cloned()
                        .flatten()
                        .map(|k| Val {
                            konst: Some(k),
                            ..Val::default()
                        })
                });
                let is_instance = (op as u8) < (O::Sget as u8);
                if is_instance
                    && !self.prog.is_app_class(&class)
                    && let Some(b) = b
                {
                    // A field of a library object (`PointF.x`) carries what
                    // the object holds.
                    t.union(&st.taint_of(b));
                }
                let mut v = Val::tainted(t);
                v.field = Some(key.clone());
                if let Some(k) = known {
                    v.konst = k.konst;
                    v.ty = k.ty;
                    v.obj = k.obj;
                }
                st.set(a, v);
            }
            O::Iput
            | O::IputWide
            | O::IputObject
            | O::IputBoolean
            | O::IputByte
            | O::IputChar
            | O::IputShort
            | O::Sput
            | O::SputWide
            | O::SputObject
            | O::SputBoolean
            | O::SputByte
            | O::SputChar
            | O::SputShort => {
                let Some(a) = a else { return };
                let Some((class, name, ty)) =
                    insn.index().and_then(|x| self.prog.field_ref(dex, x.value))
                else {
                    return;
                };
                let mut t = st.taint_of(a);
                t.union(&st.ctx);
                let key = Rc::new((self.prog.field_owner(&class, &name), name));
                let v = st.reg(a);
                // A null written to a reference field says nothing of its constant.
                let null = matches!(v.konst, Some(Konst::Int(0)))
                    && (ty.starts_with('L') || ty.starts_with('['));
                if !null {
                    let mut fresh = false;
                    let slot = self
                        .globals
                        .field_konst
                        .entry(key.clone())
                        .or_insert_with(|| {
                            fresh = true;
                            v.konst.clone()
                        });
                    if slot.is_some() && *slot != v.konst {
                        *slot = None;
                        fresh = true;
                    }
                    if fresh {
                        for r in self.field_readers.get(&key).into_iter().flatten() {
                            self.dirty.insert(*r);
                        }
                    }
                }
                sum.side_effects = true;
                st.fields.insert(
                    key.clone(),
                    Val {
                        taint: t.clone(),
                        konst: v.konst,
                        ty: v.ty,
                        obj: v.obj,
                        ..Val::default()
                    },
                );
                if !t.is_empty() {
                    self.write_field(key, &t, sum);
                }
            }
            _ if insn.invoke_kind().is_some() => self.invoke(m, body, i, st, sum),
            _ if flags.contains(Flags::WRITES_A) => {
                // Arithmetic, comparisons, conversions: the result carries the operands.
                let Some(a) = a else { return };
                let mut t = Taint::default();
                let two_addr = matches!(insn.format(), leakscope_dalvik::Format::F12x);
                if two_addr {
                    t.union(&st.taint_of(a));
                }
                for r in [b, c].into_iter().flatten() {
                    if !matches!(
                        op,
                        O::InstanceOf
                            | O::ArrayLength
                            | O::Const4
                            | O::Const16
                            | O::Const
                            | O::ConstHigh16
                            | O::ConstWide16
                            | O::ConstWide32
                            | O::ConstWide
                            | O::ConstWideHigh16
                    ) {
                        t.union(&st.taint_of(r));
                    }
                }
                if matches!(op, O::InstanceOf | O::ArrayLength) {
                    t = Taint::default();
                }
                let mut v = Val::tainted(t);
                v.konst = int_result(&insn, st);
                st.set(a, v);
            }
            _ => {}
        }
    }
}

/// Whether a conditional branch on known constants is taken (`None` when
/// not a conditional branch or not decidable).
fn decided_branch(insn: &leakscope_dalvik::Instruction, st: &State) -> Option<bool> {
    use Opcode as O;
    let range = |r: Option<u16>| st.reg(u32::from(r?)).konst?.int_range();
    let a = range(insn.reg_a())?;
    let zero_cmp = matches!(
        insn.opcode,
        O::IfEqz | O::IfNez | O::IfLtz | O::IfGez | O::IfGtz | O::IfLez
    );
    let b = if zero_cmp {
        (0, 0)
    } else {
        range(insn.reg_b())?
    };
    // `a < b` for every value, for none, or undecided.
    let lt = |a: (i64, i64), b: (i64, i64)| {
        if a.1 < b.0 {
            Some(true)
        } else if a.0 >= b.1 {
            Some(false)
        } else {
            None
        }
    };
    let eq = if a.1 < b.0 || a.0 > b.1 {
        Some(false)
    } else if a.0 == a.1 && b.0 == b.1 {
        Some(a.0 == b.0)
    } else {
        None
    };
    match insn.opcode {
        O::IfEq | O::IfEqz => eq,
        O::IfNe | O::IfNez => eq.map(|e| !e),
        O::IfLt | O::IfLtz => lt(a, b),
        O::IfGe | O::IfGez => lt(a, b).map(|x| !x),
        O::IfGt | O::IfGtz => lt(b, a),
        O::IfLe | O::IfLez => lt(b, a).map(|x| !x),
        _ => None,
    }
}

/// The value of a 32-bit integer operation on constants, or the range of
/// its result when the operation bounds it (`x % c`, `x & c` with c ≥ 0,
/// `array.length`).
fn int_result(insn: &leakscope_dalvik::Instruction, st: &State) -> Option<Konst> {
    let konst = |r: Option<u16>| match st.reg(u32::from(r?)).konst {
        Some(Konst::Int(v)) => Some(v),
        _ => None,
    };
    let operands = match insn.format() {
        leakscope_dalvik::Format::F23x => (konst(insn.reg_b()), konst(insn.reg_c())),
        leakscope_dalvik::Format::F12x => (konst(insn.reg_a()), konst(insn.reg_b())),
        leakscope_dalvik::Format::F22s | leakscope_dalvik::Format::F22b => {
            (konst(insn.reg_b()), insn.literal())
        }
        _ => (None, None),
    };
    if let (Some(x), Some(y)) = operands
        && let Some(v) = fold_int(insn.opcode, x, y)
    {
        return Some(Konst::Int(v));
    }
    int_result_range(insn, st).map(|(lo, hi)| Konst::Range(lo, hi))
}

/// `x op y` for a 32-bit integer operation (Dalvik semantics: wrapping,
/// shifts masked to 5 bits); `None` for other operations and division by 0.
fn fold_int(op: Opcode, x: i64, y: i64) -> Option<i64> {
    use Opcode as O;
    let (x, y) = (i32::try_from(x).ok()?, i32::try_from(y).ok()?);
    let shift = u32::try_from(y & 31).ok()?;
    let v = match op {
        O::AddInt | O::AddInt2addr | O::AddIntLit16 | O::AddIntLit8 => x.wrapping_add(y),
        O::SubInt | O::SubInt2addr => x.wrapping_sub(y),
        O::RsubInt | O::RsubIntLit8 => y.wrapping_sub(x),
        O::MulInt | O::MulInt2addr | O::MulIntLit16 | O::MulIntLit8 => x.wrapping_mul(y),
        O::DivInt | O::DivInt2addr | O::DivIntLit16 | O::DivIntLit8 => x.checked_div(y)?,
        O::RemInt | O::RemInt2addr | O::RemIntLit16 | O::RemIntLit8 => x.checked_rem(y)?,
        O::AndInt | O::AndInt2addr | O::AndIntLit16 | O::AndIntLit8 => x & y,
        O::OrInt | O::OrInt2addr | O::OrIntLit16 | O::OrIntLit8 => x | y,
        O::XorInt | O::XorInt2addr | O::XorIntLit16 | O::XorIntLit8 => x ^ y,
        O::ShlInt | O::ShlInt2addr | O::ShlIntLit8 => x.wrapping_shl(shift),
        O::ShrInt | O::ShrInt2addr | O::ShrIntLit8 => x.wrapping_shr(shift),
        O::UshrInt | O::UshrInt2addr | O::UshrIntLit8 => i32::from_ne_bytes(
            u32::from_ne_bytes(x.to_ne_bytes())
                .wrapping_shr(shift)
                .to_ne_bytes(),
        ),
        _ => return None,
    };
    Some(i64::from(v))
}

/// The range of an integer operation's result, when the operation bounds
/// it: `x % c`, `x & c` (c ≥ 0), `array.length`.
fn int_result_range(insn: &leakscope_dalvik::Instruction, st: &State) -> Option<(i64, i64)> {
    use Opcode as O;
    let konst = |r: Option<u16>| match st.reg(u32::from(r?)).konst {
        Some(Konst::Int(v)) => Some(v),
        _ => None,
    };
    let divisor = match insn.opcode {
        O::RemIntLit16 | O::RemIntLit8 => insn.literal(),
        O::RemInt => konst(insn.reg_c()),
        O::RemInt2addr => konst(insn.reg_b()),
        O::AndIntLit16 | O::AndIntLit8 => {
            return insn.literal().filter(|&c| c >= 0).map(|c| (0, c));
        }
        O::ArrayLength => return Some((0, i64::from(i32::MAX))),
        _ => None,
    }?;
    let m = divisor.checked_abs()?.checked_sub(1)?;
    (m >= 0).then_some((-m, m))
}

/// The (array object, index) of an element access that is tracked per
/// element: an array allocated in this method (not read from a field), of
/// numbers or strings (values that are never written through), at a
/// constant index.
fn element_key(arr: &Val, index: Option<Val>) -> Option<(u32, i64)> {
    let obj = arr.obj.filter(|&o| o >= ALLOC && arr.field.is_none())?;
    let ty = arr.ty.as_deref()?.strip_prefix('[')?;
    let values = ty.len() == 1 || ty == "Ljava/lang/String;";
    match index?.konst {
        Some(Konst::Int(i)) if values => Some((obj, i)),
        _ => None,
    }
}

/// What a slot of a call carries now (`off` is 1 for instance calls).
fn slot_taint(st: &State, arg_regs: &[u32], off: usize, is_static: bool, slot: Slot) -> Taint {
    let reg = |k: usize| arg_regs.get(k).map(|&r| st.taint_of(r)).unwrap_or_default();
    match slot {
        Slot::This if !is_static => reg(0),
        Slot::Arg(n) => reg(usize::from(n).saturating_sub(1) + off),
        Slot::Args => {
            let mut t = Taint::default();
            for k in off..arg_regs.len() {
                t.union(&reg(k));
            }
            t
        }
        _ => Taint::default(),
    }
}

/// Parameter type descriptors of a prototype `(IJLa/B;[I)V`.
pub fn proto_params(proto: &str) -> Vec<String> {
    let inner = proto
        .strip_prefix('(')
        .and_then(|p| p.split(')').next())
        .unwrap_or("");
    let bytes = inner.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i] == b'[' {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'L' {
            while i < bytes.len() && bytes[i] != b';' {
                i += 1;
            }
        }
        i += 1;
        out.push(
            inner
                .get(start..i.min(bytes.len()))
                .unwrap_or("")
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proto_params_split() {
        assert_eq!(
            proto_params("(IJLa/B;[I[[Lc;)V"),
            vec!["I", "J", "La/B;", "[I", "[[Lc;"]
        );
        assert!(proto_params("()V").is_empty());
    }

    #[test]
    fn int_operations_fold_with_dalvik_semantics() {
        use Opcode as O;
        assert_eq!(fold_int(O::AddIntLit8, 1, 1), Some(2));
        assert_eq!(fold_int(O::RsubIntLit8, 3, 10), Some(7));
        assert_eq!(fold_int(O::RemIntLit8, 10, 10), Some(0));
        assert_eq!(fold_int(O::DivInt, 1, 0), None);
        assert_eq!(fold_int(O::RemInt, 1, 0), None);
        assert_eq!(
            fold_int(O::AddInt, i64::from(i32::MAX), 1),
            Some(i64::from(i32::MIN))
        );
        assert_eq!(fold_int(O::ShlIntLit8, 1, 33), Some(2));
        assert_eq!(fold_int(O::UshrIntLit8, -1, 28), Some(15));
        assert_eq!(fold_int(O::ShrIntLit8, -16, 2), Some(-4));
        assert_eq!(fold_int(O::AddLong, 1, 1), None);
    }
}
