//! The abstract state inside a method: what each register may carry.

use std::collections::BTreeMap;
use std::rc::Rc;

/// A taint label: a source site (`id`), or with [`PARAM`] set, "whatever
/// the method's parameter `id` carries on entry" (a summary's input).
pub type Label = u32;

/// Marks a parameter label.
pub const PARAM: Label = 1 << 31;

/// At most this many labels per set; more are dropped (the analysis then
/// reports fewer source sites for the same sink, never fewer sinks).
pub const MAX_LABELS: usize = 64;

/// A set of labels, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Taint(Vec<Label>);

impl Taint {
    /// One label.
    pub fn one(l: Label) -> Taint {
        Taint(vec![l])
    }

    /// No label.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The labels.
    pub fn iter(&self) -> impl Iterator<Item = Label> + '_ {
        self.0.iter().copied()
    }

    /// Adds `other`; true when something was added.
    pub fn union(&mut self, other: &Taint) -> bool {
        if other.0.is_empty() {
            return false;
        }
        let before = self.0.len();
        let mut merged = Vec::with_capacity(before + other.0.len());
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() || j < other.0.len() {
            let next = match (self.0.get(i), other.0.get(j)) {
                (Some(&a), Some(&b)) if a == b => {
                    i += 1;
                    j += 1;
                    a
                }
                (Some(&a), Some(&b)) if a < b => {
                    i += 1;
                    a
                }
                (Some(_), Some(&b)) | (None, Some(&b)) => {
                    j += 1;
                    b
                }
                (Some(&a), None) => {
                    i += 1;
                    a
                }
                (None, None) => break,
            };
            merged.push(next);
        }
        merged.truncate(MAX_LABELS);
        let grew = merged.len() != before;
        self.0 = merged;
        grew
    }

    /// Adds one label.
    pub fn insert(&mut self, l: Label) {
        self.union(&Taint::one(l));
    }

    /// Source labels only.
    pub fn sources(&self) -> impl Iterator<Item = Label> + '_ {
        self.iter().filter(|l| l & PARAM == 0)
    }

    /// Parameter numbers only.
    pub fn params(&self) -> impl Iterator<Item = usize> + '_ {
        self.iter()
            .filter(|l| l & PARAM != 0)
            .map(|l| (l & !PARAM) as usize)
    }

    /// Whether it has a parameter label.
    pub fn has_params(&self) -> bool {
        self.params().next().is_some()
    }

    /// Without parameter labels.
    pub fn concrete(&self) -> Taint {
        Taint(self.sources().collect())
    }

    /// Only the parameter labels.
    pub fn params_only(&self) -> Taint {
        Taint(self.iter().filter(|l| l & PARAM != 0).collect())
    }

    /// Without the label `l`.
    pub fn without(&self, l: Label) -> Taint {
        Taint(self.iter().filter(|x| *x != l).collect())
    }
}

/// A constant a register may hold, for resolving intents and reflection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Konst {
    /// A string.
    Str(Rc<str>),
    /// A class (`const-class`, `Class.forName`), descriptor.
    Class(Rc<str>),
    /// An integer.
    Int(i64),
    /// A method handle from `getMethod`: class descriptor and name.
    Method(Rc<str>, Rc<str>),
}

/// What a register holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Val {
    /// Labels of the value itself.
    pub taint: Taint,
    /// The abstract object it points to: a parameter (its number) or an
    /// allocation site ([`ALLOC`] + instruction index).
    pub obj: Option<u32>,
    /// The allocated type, when known from `new-instance` in this method.
    pub ty: Option<Rc<str>>,
    /// A known constant.
    pub konst: Option<Konst>,
    /// The field it was read from, if any.
    pub field: Option<Rc<(String, String)>>,
    /// A channel out of the app (what a sink returned, e.g. a connection's
    /// output stream): its sink kind and API.
    pub channel: Option<Rc<(leakscope_model::SinkKind, String)>>,
}

/// Base of allocation-site object ids.
pub const ALLOC: u32 = 1 << 20;

impl Val {
    /// A value carrying `taint`.
    pub fn tainted(taint: Taint) -> Val {
        Val {
            taint,
            ..Val::default()
        }
    }

    fn join(&mut self, o: &Val) -> bool {
        let mut changed = self.taint.union(&o.taint);
        if self.obj != o.obj && self.obj.is_some() {
            self.obj = None;
            changed = true;
        }
        if self.ty != o.ty && self.ty.is_some() {
            self.ty = None;
            changed = true;
        }
        if self.konst != o.konst && self.konst.is_some() {
            self.konst = None;
            changed = true;
        }
        if self.channel.is_none() && o.channel.is_some() {
            self.channel = o.channel.clone();
            changed = true;
        }
        if self.field != o.field && self.field.is_some() {
            self.field = None;
            changed = true;
        }
        changed
    }
}

/// The state at a program point.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Registers.
    pub regs: Vec<Val>,
    /// What each abstract object holds (its fields, elements, extras).
    pub heap: BTreeMap<u32, Taint>,
    /// Component classes an intent object targets.
    pub targets: BTreeMap<u32, Vec<Rc<str>>>,
    /// The pending result of the last invoke.
    pub result: Val,
    /// The exception being thrown.
    pub exc: Taint,
    /// Constants and types last written to fields in this method (until a
    /// call into the app, which may overwrite them).
    pub fields: BTreeMap<Rc<(String, String)>, Val>,
}

impl State {
    /// Joins `o` into `self`; true when `self` changed.
    pub fn join(&mut self, o: &State) -> bool {
        let mut changed = false;
        for (a, b) in self.regs.iter_mut().zip(&o.regs) {
            changed |= a.join(b);
        }
        for (k, t) in &o.heap {
            changed |= self.heap.entry(*k).or_default().union(t);
        }
        for (k, t) in &o.targets {
            let mine = self.targets.entry(*k).or_default();
            for c in t {
                if !mine.contains(c) {
                    mine.push(c.clone());
                    changed = true;
                }
            }
        }
        let keys: Vec<_> = self.fields.keys().cloned().collect();
        for k in keys {
            match o.fields.get(&k) {
                Some(v) if self.fields.get(&k) == Some(v) => {}
                _ => {
                    self.fields.remove(&k);
                    changed = true;
                }
            }
        }
        changed |= self.result.join(&o.result);
        changed |= self.exc.union(&o.exc);
        changed
    }

    /// Register `r` (a default value when out of range).
    pub fn reg(&self, r: u32) -> Val {
        self.regs.get(r as usize).cloned().unwrap_or_default()
    }

    /// Sets register `r`.
    pub fn set(&mut self, r: u32, v: Val) {
        if let Some(slot) = self.regs.get_mut(r as usize) {
            *slot = v;
        }
    }

    /// What register `r` carries: its value and what its object holds.
    pub fn taint_of(&self, r: u32) -> Taint {
        let v = self.reg(r);
        let mut t = v.taint;
        if let Some(h) = v.obj.and_then(|o| self.heap.get(&o)) {
            t.union(h);
        }
        t
    }

    /// Adds `t` to what the object in register `r` holds.
    pub fn taint_object(&mut self, r: u32, t: &Taint) {
        if t.is_empty() {
            return;
        }
        match self.reg(r).obj {
            Some(o) => {
                self.heap.entry(o).or_default().union(t);
            }
            None => {
                if let Some(v) = self.regs.get_mut(r as usize) {
                    v.taint.union(t);
                }
            }
        }
    }

    /// Clears what the object in register `r` holds.
    pub fn kill_object(&mut self, r: u32) {
        if let Some(o) = self.reg(r).obj {
            self.heap.remove(&o);
        }
        if let Some(v) = self.regs.get_mut(r as usize) {
            v.taint = Taint::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_merges_sorted_and_reports_growth() {
        let mut a = Taint(vec![1, 5]);
        assert!(a.union(&Taint(vec![3, 5, PARAM | 2])));
        assert_eq!(a.0, vec![1, 3, 5, PARAM | 2]);
        assert!(!a.union(&Taint(vec![1])));
        assert_eq!(a.params().collect::<Vec<_>>(), vec![2]);
        assert_eq!(a.concrete().0, vec![1, 3, 5]);
    }

    #[test]
    fn objects_alias_through_the_heap() {
        let mut s = State {
            regs: vec![Val::default(); 3],
            ..State::default()
        };
        let obj = Val {
            obj: Some(ALLOC + 1),
            ..Val::default()
        };
        s.set(0, obj.clone());
        s.set(1, obj);
        s.taint_object(0, &Taint::one(7));
        assert_eq!(s.taint_of(1), Taint::one(7));
        s.kill_object(1);
        assert!(s.taint_of(0).is_empty());
    }
}
