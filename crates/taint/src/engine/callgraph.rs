//! Entry points and the call graph: class-hierarchy analysis refined by
//! the classes that reachable code instantiates.

use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::Instant;

use leakscope_dalvik::{IndexKind, InvokeKind, Opcode};

use super::Analyzer;
use crate::models::Slot;
use crate::program::{MethodId, MethodRef};
use crate::{Component, Input};

impl Analyzer<'_, '_> {
    pub(super) fn is_callback_class(&self, class: &str) -> bool {
        self.prog
            .ancestors(class)
            .iter()
            .any(|a| !self.prog.is_app_class(a) && a != "Ljava/lang/Object;")
    }

    /// Entry points and the call graph (class-hierarchy analysis refined by
    /// the classes the reachable code instantiates), to a fixpoint.
    pub(super) fn build_call_graph(&mut self, input: &Input<'_>) {
        let mut work: Vec<MethodId> = Vec::new();
        let comps: Vec<Component> = input.components.to_vec();
        for c in &comps {
            self.instantiate(&c.class);
            // The framework constructs components: field initialisers run.
            if let Some(init) = self.prog.method(&c.class, "<init>", "()V")
                && self.entries.insert(init)
            {
                work.push(init);
            }
        }
        let mut done = 0usize;
        loop {
            // Classes instantiated since the last pass: their callbacks, and
            // the virtual call sites already seen that may now reach them.
            while done < self.instantiation_order.len() {
                let class = self.instantiation_order[done].clone();
                done += 1;
                self.new_class_targets(&class, input, &mut work);
            }
            if work.is_empty() || Instant::now() > self.deadline {
                break;
            }
            while let Some(m) = work.pop() {
                if self.callees.contains_key(&m) {
                    continue;
                }
                let targets = self.scan_calls(m);
                for t in &targets {
                    if !self.callees.contains_key(t) {
                        work.push(*t);
                    }
                }
                self.callees.insert(m, targets);
            }
        }
    }

    /// Entry points and call edges that instantiating `class` adds.
    fn new_class_targets(&mut self, class: &str, input: &Input<'_>, work: &mut Vec<MethodId>) {
        if let Some(m) = self.prog.method(class, "<clinit>", "()V")
            && self.entries.insert(m)
        {
            work.push(m);
        }
        let ancestors = self.prog.ancestors(class);
        for anc in ancestors.iter() {
            let Some(sites) = self.vcalls.get(anc).cloned() else {
                continue;
            };
            for (caller, name, proto) in sites {
                for t in self.impls_in(class, &name, proto.as_deref()) {
                    if self.callees.entry(caller).or_default().insert(t)
                        && !self.callees.contains_key(&t)
                    {
                        work.push(t);
                    }
                }
            }
        }
        let component = self.components.contains_key(class);
        if !component && !self.is_callback_class(class) {
            return;
        }
        for anc in ancestors.iter() {
            let Some(info) = self.prog.classes.get(anc) else {
                continue;
            };
            for &m in &info.methods {
                let meth = &self.prog.methods[m];
                let click = component
                    && meth.proto == "(Landroid/view/View;)V"
                    && input.click_handlers.contains(&meth.name);
                if meth.is_static() || meth.name.starts_with('<') {
                    continue;
                }
                if (self.models.entry_points.is_callback(&meth.name) || click)
                    && self.prog.dispatch(class, &meth.name, &meth.proto) == Some(m)
                    && self.entries.insert(m)
                {
                    work.push(m);
                }
            }
        }
    }

    /// Records a class as instantiated; true when it is new.
    pub(super) fn instantiate(&mut self, class: &str) -> bool {
        if !self.instantiated.insert(class.to_string()) {
            return false;
        }
        for anc in self.prog.ancestors(class).iter() {
            self.subtypes
                .entry(anc.clone())
                .or_default()
                .push(class.to_string());
        }
        self.instantiation_order.push(class.to_string());
        self.impl_cache.borrow_mut().clear();
        true
    }

    /// Call targets of method `m`, recording the classes it instantiates.
    pub(super) fn scan_calls(&mut self, m: MethodId) -> BTreeSet<MethodId> {
        let mut out = BTreeSet::new();
        let Some(b) = self.body(m) else { return out };
        let dex = self.prog.methods[m].dex;
        let caller_class = self.prog.methods[m].class.clone();
        let mut strings: Vec<String> = Vec::new();
        let mut reflective = false;
        for insn in &b.0.insns {
            let Some(idx) = insn.index() else { continue };
            match (insn.opcode, idx.kind) {
                (Opcode::NewInstance, IndexKind::Type) => {
                    if let Some(t) = self.prog.type_name(dex, idx.value)
                        && self.prog.is_app_class(&t)
                    {
                        self.instantiate(&t);
                    }
                }
                (Opcode::ConstString | Opcode::ConstStringJumbo, IndexKind::String) => {
                    // A class named in a string may be loaded reflectively.
                    if let Some(s) = self.prog.string(dex, idx.value) {
                        if s.contains('.') && !s.contains(' ') {
                            let c = super::reflect::java_class(&s);
                            if let Some(info) = self.prog.classes.get(&c) {
                                out.extend(info.methods.iter().copied());
                                self.instantiate(&c);
                            }
                        }
                        strings.push(s);
                    }
                }
                (Opcode::ConstClass, IndexKind::Type) => {
                    // Classes named by const-class may be started as components
                    // or instantiated reflectively.
                    if let Some(t) = self.prog.type_name(dex, idx.value)
                        && self.prog.is_app_class(&t)
                    {
                        self.instantiate(&t);
                    }
                }
                (_, IndexKind::Field) => {
                    if let Some((class, _, _)) = self.prog.field_ref(dex, idx.value)
                        && self.prog.is_app_class(&class)
                        && !self.instantiated.contains(&class)
                        && let Some(m) = self.prog.method(&class, "<clinit>", "()V")
                    {
                        self.entries.insert(m);
                        out.insert(m);
                    }
                }
                (_, IndexKind::Method) => {
                    let Some(r) = self.prog.method_ref(dex, idx.value) else {
                        continue;
                    };
                    let kind = insn.invoke_kind();
                    reflective |= r.class == "Ljava/lang/Class;"
                        && (r.name == "getMethod" || r.name == "getDeclaredMethod");
                    let direct = self.resolve(&r, kind, &caller_class, None);
                    if matches!(
                        kind,
                        Some(InvokeKind::Virtual) | Some(InvokeKind::Interface)
                    ) {
                        self.vcalls.entry(r.class.clone()).or_default().push((
                            m,
                            r.name.clone(),
                            Some(r.proto.clone()),
                        ));
                    }
                    let unresolved = direct.is_empty();
                    out.extend(direct);
                    if !self.prog.is_app_class(&r.class) || unresolved {
                        let chain = self.chain(&r.class);
                        if let Some(red) = self.models.redirect(&chain, &r.name) {
                            let recv_ty = match red.receiver {
                                Slot::Arg(n) => r.params.get(usize::from(n) - 1).cloned(),
                                _ => Some(r.class.clone()),
                            };
                            if let Some(t) = recv_ty {
                                out.extend(
                                    self.implementations(&t, &red.target, None).iter().copied(),
                                );
                                self.vcalls.entry(t).or_default().push((
                                    m,
                                    red.target.clone(),
                                    None,
                                ));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if reflective {
            // Methods looked up by a name this method holds may run.
            for (id, meth) in self.prog.methods.iter().enumerate() {
                if strings.contains(&meth.name) {
                    out.insert(id);
                }
            }
        }
        out
    }

    /// App methods named `name` (any proto when `proto` is `None`) that a
    /// virtual call on an instantiated subtype of `class` may run.
    pub(super) fn implementations(
        &self,
        class: &str,
        name: &str,
        proto: Option<&str>,
    ) -> Rc<Vec<MethodId>> {
        let key = (
            class.to_string(),
            name.to_string(),
            proto.map(str::to_string),
        );
        if let Some(v) = self.impl_cache.borrow().get(&key) {
            return v.clone();
        }
        let mut out = Vec::new();
        for c in self.subtypes.get(class).into_iter().flatten() {
            for m in self.impls_in(c, name, proto) {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        let rc = Rc::new(out);
        self.impl_cache.borrow_mut().insert(key, rc.clone());
        rc
    }

    /// The methods named `name` (with `proto`, when given) that a virtual
    /// call on an object of exactly class `c` runs.
    fn impls_in(&self, c: &str, name: &str, proto: Option<&str>) -> Vec<MethodId> {
        if let Some(p) = proto {
            return self.prog.dispatch(c, name, p).into_iter().collect();
        }
        let mut out = Vec::new();
        for anc in self.prog.ancestors(c).iter() {
            let Some(info) = self.prog.classes.get(anc) else {
                continue;
            };
            for &m in &info.methods {
                let meth = &self.prog.methods[m];
                if meth.name == name
                    && !meth.is_static()
                    && self.prog.dispatch(c, &meth.name, &meth.proto) == Some(m)
                    && !out.contains(&m)
                {
                    out.push(m);
                }
            }
        }
        out
    }

    /// Targets of a call; `ty` is the receiver's allocated type when known.
    pub(super) fn resolve(
        &self,
        r: &MethodRef,
        kind: Option<InvokeKind>,
        caller: &str,
        ty: Option<&str>,
    ) -> Vec<MethodId> {
        match kind {
            Some(InvokeKind::Static) | Some(InvokeKind::Direct) => {
                let mut c = r.class.clone();
                for _ in 0..64 {
                    if let Some(m) = self.prog.method(&c, &r.name, &r.proto) {
                        return vec![m];
                    }
                    match self.prog.classes.get(&c).and_then(|i| i.superclass.clone()) {
                        Some(s) => c = s,
                        None => break,
                    }
                }
                Vec::new()
            }
            Some(InvokeKind::Super) => {
                let sup = self
                    .prog
                    .classes
                    .get(caller)
                    .and_then(|i| i.superclass.clone());
                sup.and_then(|s| self.prog.dispatch(&s, &r.name, &r.proto))
                    .into_iter()
                    .collect()
            }
            Some(_) => {
                if let Some(t) = ty
                    && self.prog.is_app_class(t)
                {
                    return self
                        .prog
                        .dispatch(t, &r.name, &r.proto)
                        .into_iter()
                        .collect();
                }
                self.implementations(&r.class, &r.name, Some(&r.proto))
                    .to_vec()
            }
            None => Vec::new(),
        }
    }
}
