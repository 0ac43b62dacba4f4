//! Intents between the app's own components (ICC): which component an
//! intent targets, what it carries there, and intents that leave the app.

use std::rc::Rc;

use super::{Analyzer, Call, RESULT_CHANNEL, Summary};
use crate::program::MethodRef;
use crate::state::{Konst, State, Val};

/// Marks an intent filter's actions in `State::targets` (`<action>` then
/// the action names).
const FILTER: &str = "<filter>";

/// Marks an explicit intent to a class that is not a component.
const NOWHERE: &str = "<nowhere>";

/// Marks intent targets found through an action (an implicit intent).
const IMPLICIT: &str = "<implicit>";

impl Analyzer<'_, '_> {
    /// `new IntentFilter(action)` / `addAction`, and
    /// `registerReceiver(receiver, filter)`: a receiver registered in code
    /// becomes a component answering the filter's actions. True when the
    /// call was one of these.
    pub(super) fn dynamic_receiver(
        &mut self,
        r: &MethodRef,
        arg_regs: &[u32],
        st: &mut State,
    ) -> bool {
        let str_arg = |st: &State, k: usize| match arg_regs.get(k).and_then(|&x| st.reg(x).konst) {
            Some(Konst::Str(s)) => Some(s),
            _ => None,
        };
        if r.class == "Landroid/content/IntentFilter;"
            && (r.name == "<init>" || r.name == "addAction")
        {
            if let (Some(o), Some(a)) = (
                arg_regs.first().and_then(|&x| st.reg(x).obj),
                str_arg(st, 1),
            ) {
                let list = st.targets.entry(o).or_default();
                if list.is_empty() {
                    list.push(Rc::from(FILTER));
                }
                list.push(a);
            }
            return true;
        }
        if r.name != "registerReceiver" {
            return false;
        }
        let (Some(recv), Some(filter)) = (
            arg_regs.get(1).map(|&x| st.reg(x)),
            arg_regs.get(2).map(|&x| st.reg(x)),
        ) else {
            return false;
        };
        let (Some(class), Some(actions)) = (recv.ty, filter.obj.and_then(|o| st.targets.get(&o)))
        else {
            return false;
        };
        if !self.prog.is_app_class(&class) {
            return false;
        }
        let class_s = class.to_string();
        if let std::collections::hash_map::Entry::Vacant(slot) = self.components.entry(class_s) {
            slot.insert(crate::ComponentKind::Receiver);
            self.summary_changes += 1;
        }
        for a in actions.iter().filter(|a| a.as_ref() != FILTER) {
            let list = self.actions.entry(a.to_string()).or_default();
            if !list.contains(&class) {
                list.push(class.clone());
                self.summary_changes += 1;
            }
        }
        true
    }

    /// The component whose ICC channel code of class `class` reads.
    pub(super) fn component_of(&self, class: &str) -> Option<Rc<str>> {
        let outer = class.split('$').next().map(|o| {
            if o.ends_with(';') {
                o.to_string()
            } else {
                format!("{o};")
            }
        });
        for c in self.prog.ancestors(class).iter().chain(outer.iter()) {
            if self.components.contains_key(c) {
                return Some(Rc::from(c.as_str()));
            }
        }
        None
    }

    /// Intent handling; true when the call was an ICC send resolved to the
    /// app's own components (not a sink, no model applied).
    pub(super) fn icc(
        &mut self,
        call: &Call<'_>,
        st: &mut State,
        sum: &mut Summary,
        result: &mut Val,
    ) -> bool {
        let (m, pc, r, arg_regs, arg_taint) = (call.m, call.pc, call.r, call.regs, call.taint);
        let konst = |st: &State, k: usize| arg_regs.get(k).and_then(|&x| st.reg(x).konst);
        let this_obj = arg_regs.first().and_then(|&x| st.reg(x).obj);
        if self.dynamic_receiver(r, arg_regs, st) {
            return false;
        }
        let is_intent = r.class == "Landroid/content/Intent;";
        let is_cn = r.class == "Landroid/content/ComponentName;";
        let sends = matches!(
            r.name.as_str(),
            "startActivity"
                | "startActivityForResult"
                | "startService"
                | "bindService"
                | "sendBroadcast"
                | "sendOrderedBroadcast"
                | "sendStickyBroadcast"
                | "startActivityIfNeeded"
                | "startForegroundService"
                | "setResult"
        );
        if is_intent || is_cn || sends || r.name == "getIntent" {
            // Its summary depends on the components and their actions.
            self.intent_users.insert(m);
        }
        if (is_intent || is_cn)
            && matches!(
                r.name.as_str(),
                "<init>" | "setClass" | "setClassName" | "setComponent" | "setAction"
            )
        {
            let mut found: Vec<Rc<str>> = Vec::new();
            for k in 1..arg_regs.len() {
                match konst(st, k) {
                    Some(Konst::Class(c)) if self.components.contains_key(c.as_ref()) => {
                        found.push(c)
                    }
                    // An explicit intent to an app class the manifest does not
                    // declare starts nothing (ActivityNotFoundException).
                    Some(Konst::Class(c)) if self.prog.is_app_class(&c) => {
                        found.push(Rc::from(NOWHERE))
                    }
                    Some(Konst::Str(s)) => {
                        let desc = format!("L{};", s.replace('.', "/"));
                        if self.components.contains_key(&desc) {
                            found.push(Rc::from(desc.as_str()));
                        } else if let Some(cs) = self.actions.get(s.as_ref()) {
                            found.extend(cs.iter().cloned());
                            found.push(Rc::from(IMPLICIT));
                        }
                    }
                    _ => {}
                }
                if r.name == "setComponent"
                    && let Some(t) = arg_regs
                        .get(k)
                        .and_then(|&x| st.reg(x).obj)
                        .and_then(|o| st.targets.get(&o))
                {
                    found.extend(t.iter().cloned());
                }
            }
            if let Some(o) = this_obj
                && !found.is_empty()
            {
                st.targets.insert(o, found);
            }
            if r.name != "<init>" && !arg_taint.is_empty() {
                // Builders return the intent itself.
                if let Some(&r0) = arg_regs.first() {
                    *result = st.reg(r0);
                }
            }
            return false;
        }
        if is_intent
            && matches!(
                r.name.as_str(),
                "setData"
                    | "setType"
                    | "setDataAndType"
                    | "setDataAndNormalize"
                    | "setTypeAndNormalize"
            )
        {
            if let Some(o) = this_obj {
                let s = |k: usize| match konst(st, k) {
                    Some(Konst::Str(s)) => Some(s),
                    _ => None,
                };
                let (a1, a2) = (s(1), s(2));
                let d = st.intent_data.entry(o).or_default();
                match r.name.as_str() {
                    "setData" | "setDataAndNormalize" => d.uri = a1,
                    "setDataAndType" => (d.uri, d.mime) = (a1, a2),
                    _ => d.mime = a1,
                }
            }
            if let Some(&r0) = arg_regs.first() {
                *result = st.reg(r0);
            }
            return false;
        }
        if r.name == "getIntent" && r.proto == "()Landroid/content/Intent;" {
            if let Some(c) = self.component_of(&self.prog.methods[m].class) {
                self.icc_readers.entry(c.clone()).or_default().insert(m);
                if let Some(t) = self.globals.icc.get(&c) {
                    result.taint.union(t);
                }
            }
            return false;
        }
        if !sends {
            return false;
        }
        let Some(k) = r
            .params
            .iter()
            .position(|p| p == "Landroid/content/Intent;")
        else {
            return false;
        };
        let k = k + 1; // receiver first
        let Some(&ireg) = arg_regs.get(k) else {
            return false;
        };
        let t = st.taint_of(ireg);
        if r.name == "setResult" {
            self.write_icc(Rc::from(RESULT_CHANNEL), &t, sum);
            // An exported activity may have been started by another app,
            // which receives the result.
            let exported = self
                .component_of(&self.prog.methods[m].class)
                .is_some_and(|c| self.exported.contains(c.as_ref()));
            if exported && !t.is_empty() {
                let api = format!("{}->{}{}", r.class, r.name, r.proto);
                let s = self.sink_site(m, pc, &api, leakscope_model::SinkKind::Ipc);
                self.hit(m, s, &t, Vec::new(), sum);
            }
            return true;
        }
        let mut targets = st
            .reg(ireg)
            .obj
            .and_then(|o| st.targets.get(&o).cloned())
            .unwrap_or_default();
        let data = st.reg(ireg).obj.and_then(|o| st.intent_data.get(&o));
        if let Some(d) = data
            && (targets.is_empty() || targets.iter().any(|c| c.as_ref() == IMPLICIT))
        {
            // An implicit intent with data or a type reaches the components
            // whose filters match it.
            let matched = self.data_matches(d.uri.as_deref(), d.mime.as_deref());
            if !matched.is_empty() {
                for c in matched {
                    if !targets.contains(&c) {
                        targets.push(c);
                    }
                }
                if !targets.iter().any(|c| c.as_ref() == IMPLICIT) {
                    targets.push(Rc::from(IMPLICIT));
                }
            }
        }
        // An intent that names no class of the app leaves it (or goes where
        // leakscope cannot tell); an implicit one may also be received by any
        // other app with a matching filter: both are IPC sinks.
        let implicit = targets.iter().any(|c| c.as_ref() == IMPLICIT);
        if (targets.is_empty() || implicit) && !t.is_empty() {
            let api = format!("{}->{}{}", r.class, r.name, r.proto);
            let s = self.sink_site(m, pc, &api, leakscope_model::SinkKind::Ipc);
            self.hit(m, s, &t, Vec::new(), sum);
        }
        for c in targets
            .into_iter()
            .filter(|c| c.as_ref() != IMPLICIT && c.as_ref() != NOWHERE)
        {
            self.write_icc(c, &t, sum);
        }
        true
    }
}

impl Analyzer<'_, '_> {
    /// Components with an intent filter whose data test passes an intent
    /// with data `uri` and type `mime`.
    fn data_matches(&self, uri: Option<&str>, mime: Option<&str>) -> Vec<Rc<str>> {
        if uri.is_none() && mime.is_none() {
            return Vec::new();
        }
        let mut out: Vec<Rc<str>> = Vec::new();
        for (c, f) in &self.data_filters {
            if f.matches(uri, mime) && !out.contains(c) {
                out.push(c.clone());
            }
        }
        out
    }
}
