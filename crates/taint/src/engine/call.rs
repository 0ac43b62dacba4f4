//! Calls: targets from the call graph and the receiver's known type,
//! callee summaries instantiated with the arguments (and the implicit
//! context), library models for framework methods, sources and sinks from
//! the spec, intents and reflection handed to their modules.

use std::collections::BTreeMap;
use std::rc::Rc;

use leakscope_dalvik::InvokeKind;

use super::{Analyzer, Call, RESULT_CHANNEL, Summary, proto_params, slot_taint};
use crate::models::{Effect, Slot};
use crate::program::{Body, MethodId, MethodRef};
use crate::spec::Role;
use crate::state::{ALLOC, CTX, CTX_PARAM, IMPLICIT, Konst, Label, State, Taint, Val};

impl<'p> Analyzer<'p, '_> {
    pub(super) fn invoke(
        &mut self,
        m: MethodId,
        _body: &Body,
        i: usize,
        st: &mut State,
        sum: &mut Summary,
    ) {
        let insn = _body.insns[i];
        let dex = self.prog.methods[m].dex;
        let Some(r) = insn
            .index()
            .and_then(|x| self.prog.method_ref(dex, x.value))
        else {
            return;
        };
        let kind = insn.invoke_kind();
        let is_static = kind == Some(InvokeKind::Static);
        let regs: Vec<u32> = insn.args().map(|a| a.iter().collect()).unwrap_or_default();
        // Registers of each logical argument (receiver first).
        let mut types: Vec<&str> = Vec::new();
        if !is_static {
            types.push(&r.class);
        }
        types.extend(r.params.iter().map(String::as_str));
        let mut arg_regs: Vec<u32> = Vec::new();
        let mut k = 0usize;
        for t in &types {
            let Some(&reg) = regs.get(k) else { break };
            arg_regs.push(reg);
            k += if *t == "J" || *t == "D" { 2 } else { 1 };
        }
        let arg_taint: Vec<Taint> = arg_regs.iter().map(|&r| st.taint_of(r)).collect();
        let mut result = Val::default();
        let caller_class = self.prog.methods[m].class.clone();
        let recv_ty = if is_static {
            None
        } else {
            arg_regs.first().and_then(|&r| st.reg(r).ty)
        };
        let chain = self.chain(&r.class);

        // Intents: targets, sends between the app's components, receipt.
        let call = Call {
            m,
            pc: insn.pc,
            r: &r,
            regs: &arg_regs,
            taint: &arg_taint,
            is_static,
        };
        let handled_icc = self.icc(&call, st, sum, &mut result)
            || self.reflective_call(&call, st, sum, &mut result);
        let this_class =
            (!self.prog.methods[m].is_static()).then(|| self.prog.methods[m].class.clone());
        let folded = self.fold(&r, &arg_regs, st, this_class.as_deref());
        let created = self.new_instance(&r, &arg_regs, st, i);

        let targets = self.resolve(&r, kind, &caller_class, recv_ty.as_deref());
        let mut roles: Vec<Role> = Vec::new();
        for c in chain.iter() {
            if self.spec.knows_class(c, &r.name) {
                roles.extend(self.spec.method(c, &r.name, &r.proto).cloned());
                if !roles.is_empty() {
                    break;
                }
            }
        }
        if !targets.is_empty() {
            // Fields that every target writes on every path.
            let mut writes: Option<BTreeMap<Rc<(String, String)>, Taint>> = None;
            for t in &targets {
                let w = self
                    .summaries
                    .get(t)
                    .map(|s| s.writes.clone())
                    .unwrap_or_default();
                writes = Some(match writes {
                    None => w,
                    Some(mut acc) => {
                        acc.retain(|k, x| {
                            w.get(k).is_some_and(|y| {
                                x.union(y);
                                true
                            })
                        });
                        acc
                    }
                });
            }
            // The constant all targets return, if they agree.
            let mut ret_konst = targets
                .first()
                .and_then(|t| self.summaries.get(t))
                .and_then(|s| s.ret_konst.clone());
            for &t in &targets {
                if self.summaries.get(&t).and_then(|s| s.ret_konst.as_ref()) != ret_konst.as_ref() {
                    ret_konst = None;
                }
                self.apply_summary(m, t, &arg_regs, &arg_taint, st, sum, &mut result);
            }
            if ret_konst.is_some() {
                result.konst = ret_konst;
            }
            // Calls without side effects leave what this method wrote to
            // fields; a getter of one of them returns what was written.
            // (A class's static initialiser may run first.)
            let pure: Vec<Rc<Summary>> = targets
                .iter()
                .filter(|&&t| {
                    let class = &self.prog.methods[t].class;
                    self.prog
                        .method(class, "<clinit>", "()V")
                        .is_none_or(|c| self.summaries.get(&c).is_some_and(|s| !s.side_effects))
                })
                .filter_map(|t| self.summaries.get(t).cloned())
                .filter(|s| !s.side_effects)
                .collect();
            if pure.len() == targets.len() {
                let field = pure.first().and_then(|s| s.ret_field.clone());
                if let Some(v) = field.as_ref().and_then(|k| st.fields.get(k))
                    && pure.iter().all(|s| s.ret_field == field)
                {
                    result.taint = v.taint.clone();
                    result.konst = v.konst.clone();
                }
            } else {
                // The callees may have written any field: only what they
                // all write on every path is known.
                sum.side_effects = true;
                st.fields.clear();
                for (k, t) in writes.unwrap_or_default() {
                    let t = t.substitute(|p| arg_taint.get(p));
                    st.fields.insert(k, Val::tainted(t));
                }
            }
        } else if !handled_icc {
            let effects = self.models.effects(&chain, &r.name, is_static);
            let off = usize::from(!is_static);
            let get = |st: &State, slot: Slot| slot_taint(st, &arg_regs, off, is_static, slot);
            for e in effects {
                match e {
                    Effect::Flow(from, Slot::Ret) => {
                        let t = get(st, from);
                        result.taint.union(&t);
                    }
                    Effect::Depends(from, Slot::Ret) if self.budget.implicit_flows => {
                        let t = get(st, from).implicit();
                        result.taint.union(&t);
                    }
                    Effect::Flow(from, Slot::This) if !is_static => {
                        let t = get(st, from);
                        if let Some(&r0) = arg_regs.first() {
                            self.taint_obj(st, r0, &t, sum);
                        }
                    }
                    Effect::Flow(from, Slot::Arg(n)) => {
                        let t = get(st, from);
                        if let Some(&rn) = arg_regs.get(usize::from(n) - 1 + off) {
                            self.taint_obj(st, rn, &t, sum);
                        }
                    }
                    Effect::Kill(Slot::This) if !is_static => {
                        if let Some(&r0) = arg_regs.first() {
                            st.kill_object(r0);
                        }
                    }
                    Effect::Wrap(Slot::Arg(n)) if !is_static => {
                        let k = usize::from(n) - 1;
                        let wrappable =
                            r.params.get(k).is_some_and(|t| self.models.is_wrappable(t));
                        if let (true, Some(&r0), Some(&rn)) =
                            (wrappable, arg_regs.first(), arg_regs.get(k + off))
                        {
                            st.alias(r0, rn);
                        }
                    }
                    Effect::RetBelow(Slot::Arg(n)) => {
                        let bound = arg_regs
                            .get(usize::from(n) - 1 + off)
                            .and_then(|&x| match st.reg(x).konst {
                                Some(Konst::Int(v)) if v > 0 => Some(v),
                                _ => None,
                            });
                        if let Some(b) = bound {
                            result.konst = Some(Konst::Range(0, b - 1));
                        }
                    }
                    _ => {}
                }
            }
            if let Some(red) = self.models.redirect(&chain, &r.name).cloned() {
                let recv = match red.receiver {
                    Slot::Arg(n) => arg_regs.get(usize::from(n) - 1 + off).copied(),
                    _ => arg_regs.first().copied(),
                };
                let recv_class = match red.receiver {
                    Slot::Arg(n) => r.params.get(usize::from(n) - 1).cloned(),
                    _ => Some(r.class.clone()),
                };
                if let (Some(recv), Some(rc)) = (recv, recv_class) {
                    let ty = st.reg(recv).ty;
                    let impls = match ty.as_deref() {
                        Some(t) if self.prog.is_app_class(t) => {
                            self.implementations(t, &red.target, None)
                        }
                        _ => self.implementations(&rc, &red.target, None),
                    };
                    for &t in impls.iter() {
                        let n_params = proto_params(&self.prog.methods[t].proto).len();
                        let mut regs2 = vec![recv];
                        let mut taints2 = vec![st.taint_of(recv)];
                        for p in 1..=n_params {
                            let from = red
                                .args
                                .iter()
                                .find(|(_, to)| usize::from(*to) == p)
                                .map(|(f, _)| *f);
                            let (reg, taint) = match from {
                                Some(Slot::Arg(n)) => {
                                    let reg = arg_regs.get(usize::from(n) - 1 + off).copied();
                                    (reg, get(st, Slot::Arg(n)))
                                }
                                _ => (None, Taint::default()),
                            };
                            regs2.push(reg.unwrap_or(u32::MAX));
                            taints2.push(taint);
                        }
                        let mut ignored = Val::default();
                        self.apply_summary(m, t, &regs2, &taints2, st, sum, &mut ignored);
                    }
                }
            }
        }
        // Sinks: anything the call receives (receiver included).
        if !handled_icc {
            for role in &roles {
                if let Role::Sink(def) = role {
                    // A sink called under a branch on tainted data tells
                    // which way the branch went.
                    let mut t = st.ctx.clone();
                    for x in &arg_taint {
                        t.union(x);
                    }
                    if self.budget.implicit_flows {
                        t.insert(CTX);
                    }
                    if !t.is_empty() {
                        let s = self.sink_site(m, insn.pc, &def.api, def.kind);
                        self.hit(m, s, &t, Vec::new(), sum);
                    }
                    // What a sink returns (a connection's output stream) is a
                    // channel: data written to it goes the same way.
                    result.channel = Some(Rc::new((def.kind, def.api.clone())));
                }
            }
            self.channel_write(&call, st, sum);
        }
        // A source read from data that is already tainted (`getLatitude()`
        // of a tainted `Location`) is the same data: no new source site.
        let derived = arg_taint
            .iter()
            .any(|t| t.explicit_sources().next().is_some());
        for role in &roles {
            if let Role::Source(def) = role
                && !derived
            {
                let l = self.source_label(m, insn.pc, &def.api, def.category);
                result.taint.insert(l);
            }
        }
        if let Some(def) = self.password_view(&r, &arg_regs, st) {
            let l = self.source_label(m, insn.pc, &def.api, def.category);
            result.taint.insert(l);
        }
        if let Some(v) = created {
            result.obj = v.obj;
            result.ty = v.ty;
        }
        // Each call site's returned object is an abstract object of its own,
        // so that what is stored into it (arrays from `Array.newInstance`,
        // builders) is shared by its aliases.
        if result.obj.is_none() && (r.ret.starts_with('L') || r.ret.starts_with('[')) {
            result.obj = Some(ALLOC + u32::try_from(i).unwrap_or(0));
            let t = result.taint.clone();
            st.heap.insert(ALLOC + u32::try_from(i).unwrap_or(0), t);
        }
        if folded.is_some() {
            result.konst = folded;
        }
        st.result = result;
    }

    /// The password-field source, when the call is `findViewById` of a
    /// layout password field's id.
    fn password_view(
        &self,
        r: &MethodRef,
        arg_regs: &[u32],
        st: &State,
    ) -> Option<&'p crate::SourceDef> {
        let def = self.spec.password_field()?;
        if r.name != "findViewById" || r.ret != "Landroid/view/View;" {
            return None;
        }
        let id = arg_regs.last().and_then(|&x| match st.reg(x).konst {
            Some(Konst::Int(v)) => u32::try_from(v).ok(),
            _ => None,
        })?;
        self.password_fields.contains(&id).then_some(def)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn apply_summary(
        &mut self,
        m: MethodId,
        callee: MethodId,
        arg_regs: &[u32],
        arg_taint: &[Taint],
        st: &mut State,
        sum: &mut Summary,
        result: &mut Val,
    ) {
        let Some(s) = self.summaries.get(&callee).cloned() else {
            return;
        };
        // What decides that the callee runs: the caller's context, and a
        // receiver chosen under a branch on personal data (which
        // implementation runs depends on it).
        let mut ctx = Taint::default();
        if self.budget.implicit_flows {
            ctx = st.ctx.clone();
            ctx.insert(CTX);
            if !self.prog.methods[callee].is_static()
                && let Some(recv) = arg_taint.first()
            {
                let chosen: Vec<Label> = recv
                    .iter()
                    .filter(|l| l & IMPLICIT != 0 && *l != CTX)
                    .collect();
                for l in chosen {
                    ctx.insert(l);
                }
            }
        }
        let subst = |t: &Taint| -> Taint {
            t.substitute(|p| {
                if p == CTX_PARAM {
                    Some(&ctx)
                } else {
                    arg_taint.get(p)
                }
            })
        };
        result.taint.union(&subst(&s.ret));
        if s.ret_ty.is_some() {
            result.ty = s.ret_ty.clone();
        }
        for (p, t) in &s.params_out {
            if let Some(&reg) = arg_regs.get(*p) {
                self.taint_obj(st, reg, &subst(t), sum);
            }
        }
        st.exc.union(&subst(&s.thrown));
        for (k, t) in &s.fields {
            let t = subst(t);
            self.write_field(k.clone(), &t, sum);
        }
        for (k, t) in &s.icc {
            let t = subst(t);
            self.write_icc(k.clone(), &t, sum);
        }
        let own_ctx = Taint::one(CTX);
        for ((sink, taint), path) in &s.sinks {
            let t = subst(taint);
            // A callee's sink reached whatever its data, under no branch on
            // personal data here either, is not passed further up: the
            // context reaches one call deep, or every caller's summary
            // would list every sink below it.
            if !t.is_empty() && t != own_ctx {
                self.hit(m, *sink, &t, path.clone(), sum);
            }
        }
    }

    /// Applies an entry point's summary with what the framework passes it:
    /// intents other components sent, for intent parameters.
    pub(super) fn instantiate_entry(&mut self, e: MethodId) {
        let Some(s) = self.summaries.get(&e).cloned() else {
            return;
        };
        let meth = self.prog.methods[e].clone();
        let mut types = Vec::new();
        if !meth.is_static() {
            types.push(meth.class.clone());
        }
        types.extend(proto_params(&meth.proto));
        let comp = self.component_of(&meth.class);
        let receives = self
            .models
            .entry_points
            .intent_receivers
            .contains(&meth.name);
        let bind: Vec<Taint> = types
            .iter()
            .map(|t| {
                if t != "Landroid/content/Intent;" || !receives {
                    return Taint::default();
                }
                let channel: Option<Rc<str>> = if meth.name == "onActivityResult" {
                    Some(Rc::from(RESULT_CHANNEL))
                } else {
                    comp.clone()
                };
                channel
                    .and_then(|c| self.globals.icc.get(&c).cloned())
                    .unwrap_or_default()
            })
            .collect();
        if bind.iter().all(Taint::is_empty) {
            return;
        }
        // Source labels were recorded when the entry was analysed.
        let subst = |t: &Taint| -> Taint { t.params_only().substitute(|p| bind.get(p)) };
        let mut scratch = Summary::default();
        for (k, t) in &s.fields {
            self.write_field(k.clone(), &subst(t), &mut scratch);
        }
        for (k, t) in &s.icc {
            self.write_icc(k.clone(), &subst(t), &mut scratch);
        }
        for ((sink, taint), path) in &s.sinks {
            let t = subst(taint);
            if !t.is_empty() {
                let path = path.iter().copied().skip(1).collect();
                self.hit(e, *sink, &t, path, &mut scratch);
            }
        }
    }
}
