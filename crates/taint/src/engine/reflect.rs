//! Constants and reflection: string operations on known strings, and
//! `Class.forName` / `getMethod` / `Method.invoke` / `newInstance` resolved
//! from the constants that reach them (also through fields written with a
//! single constant), so reflective calls become ordinary calls.

use std::rc::Rc;

use super::{Analyzer, Call, Summary};
use crate::program::{MethodId, MethodRef};
use crate::spec::Role;
use crate::state::{ALLOC, Konst, State, Taint, Val};

/// `a.b.C` → `La/b/C;`.
pub(super) fn java_class(name: &str) -> String {
    format!("L{};", name.replace('.', "/"))
}

impl Analyzer<'_, '_> {
    /// The constant a call returns, when its receiver and arguments are
    /// known constants: string operations and reflection handles.
    pub(super) fn fold(
        &self,
        r: &MethodRef,
        arg_regs: &[u32],
        st: &State,
        this_class: Option<&str>,
    ) -> Option<Konst> {
        let k = |i: usize| arg_regs.get(i).and_then(|&x| st.reg(x).konst);
        let s = |i: usize| match k(i) {
            Some(Konst::Str(s)) => Some(s),
            _ => None,
        };
        let n = |i: usize| match k(i) {
            Some(Konst::Int(v)) => usize::try_from(v).ok(),
            _ => None,
        };
        let str_k = |v: String| Some(Konst::Str(Rc::from(v.as_str())));
        match (r.class.as_str(), r.name.as_str(), r.proto.as_str()) {
            ("Ljava/lang/String;", "substring", "(I)Ljava/lang/String;") => {
                str_k(s(0)?.get(n(1)?..)?.to_string())
            }
            ("Ljava/lang/String;", "substring", "(II)Ljava/lang/String;") => {
                str_k(s(0)?.get(n(1)?..n(2)?)?.to_string())
            }
            ("Ljava/lang/String;", "concat", _) => str_k(format!("{}{}", s(0)?, s(1)?)),
            ("Ljava/lang/String;", "trim", _) => str_k(s(0)?.trim().to_string()),
            ("Ljava/lang/String;", "toLowerCase", _) => str_k(s(0)?.to_lowercase()),
            ("Ljava/lang/String;", "toUpperCase", _) => str_k(s(0)?.to_uppercase()),
            ("Ljava/lang/String;", "toString" | "intern", _) => k(0),
            // A URI is kept as its string, for matching intent filters.
            ("Landroid/net/Uri;", "parse", _) => k(0),
            ("Ljava/lang/String;", "valueOf", "(Ljava/lang/Object;)Ljava/lang/String;") => {
                s(0).map(Konst::Str)
            }
            ("Ljava/lang/Class;", "forName", _) => {
                Some(Konst::Class(Rc::from(java_class(&s(0)?).as_str())))
            }
            ("Ljava/lang/Class;", "getMethod" | "getDeclaredMethod", _) => match k(0)? {
                Konst::Class(c) => Some(Konst::Method(c, s(1)?)),
                _ => None,
            },
            (class, "getClass", "()Ljava/lang/Class;") => {
                let recv = arg_regs.first().map(|&x| st.reg(x))?;
                match (recv.ty, recv.obj) {
                    (Some(t), _) => Some(Konst::Class(t)),
                    // `this.getClass()`: at least the declaring class.
                    (None, Some(0)) => this_class.map(|c| Konst::Class(Rc::from(c))),
                    _ if self.prog.is_app_class(class) => Some(Konst::Class(Rc::from(class))),
                    _ => None,
                }
            }
            ("Ljava/lang/reflect/Method;", "getDeclaringClass", _) => match k(0)? {
                Konst::Method(c, _) => Some(Konst::Class(c)),
                _ => None,
            },
            (_, "getString", "(I)Ljava/lang/String;") => {
                let id = match k(1)? {
                    Konst::Int(v) => u32::try_from(v).ok()?,
                    _ => return None,
                };
                str_k((self.resource_strings?)(id)?)
            }
            ("Ljava/lang/reflect/Method;", "getName", _) => match k(0)? {
                Konst::Method(_, n) => Some(Konst::Str(n)),
                _ => None,
            },
            _ => None,
        }
    }

    /// `Class.newInstance()` / `Constructor.newInstance()` on a known class:
    /// an object of that type.
    pub(super) fn new_instance(
        &self,
        r: &MethodRef,
        arg_regs: &[u32],
        st: &State,
        i: usize,
    ) -> Option<Val> {
        if r.name != "newInstance" || r.class != "Ljava/lang/Class;" {
            return None;
        }
        let Some(Konst::Class(c)) = arg_regs.first().and_then(|&x| st.reg(x).konst) else {
            return None;
        };
        Some(Val {
            obj: Some(ALLOC + u32::try_from(i).unwrap_or(0)),
            ty: Some(c),
            ..Val::default()
        })
    }

    /// `Method.invoke(obj, args...)` with a known method: runs the app
    /// methods of that name, or applies the catalog roles of the library
    /// method. Returns false when the method is unknown.
    pub(super) fn reflective_call(
        &mut self,
        call: &Call<'_>,
        st: &mut State,
        sum: &mut Summary,
        result: &mut Val,
    ) -> bool {
        let (m, pc, r, arg_regs) = (call.m, call.pc, call.r, call.regs);
        if r.class != "Ljava/lang/reflect/Method;" || r.name != "invoke" {
            return false;
        }
        let Some(Konst::Method(class, name)) = arg_regs.first().and_then(|&x| st.reg(x).konst)
        else {
            return false;
        };
        let obj = arg_regs.get(1).copied();
        let args = arg_regs.get(2).copied();
        let obj_t = obj.map(|x| st.taint_of(x)).unwrap_or_default();
        let args_t = args.map(|x| st.taint_of(x)).unwrap_or_default();
        let targets: Vec<MethodId> = self
            .prog
            .ancestors(&class)
            .iter()
            .filter_map(|c| self.prog.classes.get(c))
            .flat_map(|c| c.methods.iter().copied())
            .filter(|&t| self.prog.methods[t].name == *name)
            .collect();
        if !targets.is_empty() {
            for t in targets {
                let n = crate::engine::proto_params(&self.prog.methods[t].proto).len();
                let mut regs = Vec::new();
                let mut taints = Vec::new();
                if !self.prog.methods[t].is_static() {
                    regs.push(obj.unwrap_or(u32::MAX));
                    taints.push(obj_t.clone());
                }
                for _ in 0..n {
                    regs.push(args.unwrap_or(u32::MAX));
                    taints.push(args_t.clone());
                }
                self.apply_summary(m, t, &regs, &taints, st, sum, result);
            }
            return true;
        }
        let roles: Vec<Role> = self
            .chain(&class)
            .iter()
            .flat_map(|c| {
                self.spec
                    .method_any_proto(c, &name)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect();
        for role in roles {
            match role {
                Role::Source(def) => {
                    let l = self.source_label(m, pc, &def.api, def.category);
                    result.taint.insert(l);
                }
                Role::Sink(def) => {
                    let mut t = obj_t.clone();
                    t.union(&args_t);
                    if !t.is_empty() {
                        let s = self.sink_site(m, pc, &def.api, def.kind);
                        self.hit(m, s, &t, Vec::new(), sum);
                    }
                }
            }
        }
        let mut t: Taint = obj_t;
        t.union(&args_t);
        result.taint.union(&t);
        true
    }
}
