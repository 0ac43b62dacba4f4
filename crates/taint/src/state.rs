//! The abstract state inside a method: what each register may carry.

use std::collections::BTreeMap;
use std::rc::Rc;

/// A taint label: a source site (`id`), or with [`PARAM`] set, "whatever
/// the method's parameter `id` carries on entry" (a summary's input).
pub type Label = u32;

/// Marks a parameter label.
pub const PARAM: Label = 1 << 31;

/// Marks an implicit label: the value depends on the labelled data only
/// through control flow (it was defined under a branch on it).
pub const IMPLICIT: Label = 1 << 30;

/// The parameter number of [`CTX`].
pub const CTX_PARAM: usize = 0xffff;

/// "Whatever decides whether this method runs": the implicit labels of the
/// caller's branches (and of a receiver chosen under them), a summary's
/// input when implicit flows are followed. Sinks a method reaches carry it.
pub const CTX: Label = PARAM | IMPLICIT | CTX_PARAM as Label;

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

    /// Source labels that carry the data itself (not implicit ones).
    pub fn explicit_sources(&self) -> impl Iterator<Item = Label> + '_ {
        self.iter().filter(|l| l & (PARAM | IMPLICIT) == 0)
    }

    /// Parameter numbers only.
    pub fn params(&self) -> impl Iterator<Item = usize> + '_ {
        self.param_labels().map(|(p, _)| p)
    }

    /// Parameter numbers, each with whether the label is implicit.
    pub fn param_labels(&self) -> impl Iterator<Item = (usize, bool)> + '_ {
        self.iter()
            .filter(|l| l & PARAM != 0)
            .map(|l| ((l & !(PARAM | IMPLICIT)) as usize, l & IMPLICIT != 0))
    }

    /// The same labels made implicit.
    pub fn implicit(&self) -> Taint {
        let mut v: Vec<Label> = self.iter().map(|l| l | IMPLICIT).collect();
        v.sort_unstable();
        v.dedup();
        v.truncate(MAX_LABELS);
        Taint(v)
    }

    /// The labels in terms of a call site: sources stay, a parameter label
    /// becomes what `arg` gives for that parameter (made implicit when the
    /// label was).
    pub fn substitute<'t>(&self, arg: impl Fn(usize) -> Option<&'t Taint>) -> Taint {
        let mut out = self.concrete();
        for (p, implicit) in self.param_labels() {
            if let Some(x) = arg(p) {
                if implicit {
                    out.union(&x.implicit());
                } else {
                    out.union(x);
                }
            }
        }
        out
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
    /// An integer in this inclusive range (`Random.nextInt(30)`, `x % 4`).
    Range(i64, i64),
    /// An array of this length (`new-array` of a constant size).
    ArrayLen(i64),
}

impl Konst {
    /// The inclusive range of an integer constant or range.
    pub fn int_range(&self) -> Option<(i64, i64)> {
        match *self {
            Konst::Int(v) => Some((v, v)),
            Konst::Range(lo, hi) => Some((lo, hi)),
            _ => None,
        }
    }
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

/// The data URI and MIME type of an intent, when constant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntentData {
    /// `setData(Uri.parse(..))`.
    pub uri: Option<Rc<str>>,
    /// `setType(..)`.
    pub mime: Option<Rc<str>>,
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

    /// Joins `o` into `self`. With `merge` (`o` comes along another path
    /// than `self`), a constant both agree on loses its implicit labels.
    fn join(&mut self, o: &Val, merge: bool) -> bool {
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
        } else if merge && self.konst.is_some() && self.taint.iter().any(|l| l & IMPLICIT != 0) {
            // The same constant on both paths: which path ran does not show.
            self.taint = Taint(self.taint.iter().filter(|l| l & IMPLICIT == 0).collect());
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
    /// What single elements of arrays hold, by (array object, constant
    /// index), besides what the whole array holds (`heap`).
    pub elems: BTreeMap<(u32, i64), Taint>,
    /// Component classes an intent object targets.
    pub targets: BTreeMap<u32, Vec<Rc<str>>>,
    /// The constant data URI and MIME type set on an intent object.
    pub intent_data: BTreeMap<u32, IntentData>,
    /// The pending result of the last invoke.
    pub result: Val,
    /// The exception being thrown.
    pub exc: Taint,
    /// Constants and types last written to fields in this method (until a
    /// call into the app, which may overwrite them).
    pub fields: BTreeMap<Rc<(String, String)>, Val>,
    /// Implicit labels of the block being analysed: the branches it is
    /// control-dependent on depend on them. Not joined (each block has its
    /// own).
    pub ctx: Taint,
}

impl State {
    /// Joins `o` into `self`; true when `self` changed. `merge` says that
    /// `o` comes along another path than what `self` holds, so that a
    /// register holding the same constant on both loses its implicit labels
    /// (which way a branch went does not show in it).
    pub fn join(&mut self, o: &State, merge: bool) -> bool {
        let mut changed = false;
        for (a, b) in self.regs.iter_mut().zip(&o.regs) {
            changed |= a.join(b, merge);
        }
        for (k, t) in &o.heap {
            changed |= self.heap.entry(*k).or_default().union(t);
        }
        for (k, t) in &o.elems {
            changed |= self.elems.entry(*k).or_default().union(t);
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
        let differ: Vec<u32> = self
            .intent_data
            .iter()
            .filter(|(k, d)| o.intent_data.get(k).is_some_and(|x| x != *d))
            .map(|(k, _)| *k)
            .collect();
        for k in differ {
            self.intent_data.remove(&k);
            changed = true;
        }
        for (k, d) in &o.intent_data {
            if !self.intent_data.contains_key(k) {
                self.intent_data.insert(*k, d.clone());
                changed = true;
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
        changed |= self.result.join(&o.result, merge);
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
        if let Some(o) = v.obj {
            if let Some(h) = self.heap.get(&o) {
                t.union(h);
            }
            for (_, e) in self.elements(o) {
                t.union(e);
            }
        }
        t
    }

    /// The elements of array object `o` tracked one by one.
    fn elements(&self, o: u32) -> impl Iterator<Item = (&(u32, i64), &Taint)> {
        self.elems.range((o, i64::MIN)..=(o, i64::MAX))
    }

    /// Forgets the elements of array object `o`.
    pub fn remove_elements(&mut self, o: u32) {
        if self.elems.is_empty() {
            return;
        }
        let keys: Vec<(u32, i64)> = self.elements(o).map(|(k, _)| *k).collect();
        for k in keys {
            self.elems.remove(&k);
        }
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

    /// Makes the object in register `r` (a new wrapper) the object in
    /// register `target`: every register holding the wrapper then holds the
    /// wrapped object, which takes what the wrapper held.
    pub fn alias(&mut self, r: u32, target: u32) {
        let (Some(from), Some(to)) = (self.reg(r).obj, self.reg(target).obj) else {
            return;
        };
        if from == to {
            return;
        }
        if let Some(t) = self.heap.remove(&from) {
            self.heap.entry(to).or_default().union(&t);
        }
        let moved: Vec<((u32, i64), Taint)> =
            self.elements(from).map(|(k, t)| (*k, t.clone())).collect();
        for ((_, i), t) in moved {
            self.elems.remove(&(from, i));
            self.elems.entry((to, i)).or_default().union(&t);
        }
        for v in self
            .regs
            .iter_mut()
            .chain(std::iter::once(&mut self.result))
        {
            if v.obj == Some(from) {
                v.obj = Some(to);
            }
        }
    }

    /// Clears what the object in register `r` holds.
    pub fn kill_object(&mut self, r: u32) {
        if let Some(o) = self.reg(r).obj {
            self.heap.remove(&o);
            self.remove_elements(o);
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
    fn implicit_parameters_substitute_to_implicit_labels() {
        let t = Taint(vec![2, PARAM | 1, PARAM | IMPLICIT]);
        let args = [Taint::one(5), Taint::one(7)];
        let out = t.substitute(|p| args.get(p));
        assert_eq!(out.0, vec![2, 7, 5 | IMPLICIT]);
        assert_eq!(out.explicit_sources().collect::<Vec<_>>(), vec![2, 7]);
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

    #[test]
    fn a_wrapper_writes_through_to_the_wrapped_object() {
        let mut s = State {
            regs: vec![Val::default(); 3],
            ..State::default()
        };
        let obj = |o| Val {
            obj: Some(o),
            ..Val::default()
        };
        s.set(0, obj(ALLOC + 1)); // new Formatter
        s.set(1, obj(ALLOC + 2)); // the StringBuilder it wraps
        s.set(2, obj(ALLOC + 1)); // another alias of the Formatter
        s.taint_object(0, &Taint::one(3));
        s.alias(0, 1);
        s.taint_object(2, &Taint::one(4));
        assert_eq!(s.taint_of(1), Taint(vec![3, 4]));
        assert!(!s.heap.contains_key(&(ALLOC + 1)));
    }

    #[test]
    fn tracked_elements_belong_to_their_array() {
        let arr = ALLOC + 7;
        let mut s = State {
            regs: vec![Val {
                obj: Some(arr),
                ..Val::default()
            }],
            ..State::default()
        };
        s.elems.insert((arr, 0), Taint::one(1));
        s.elems.insert((arr + 1, 0), Taint::one(2));
        // Passing the array on passes every element.
        assert_eq!(s.taint_of(0), Taint::one(1));
        s.remove_elements(arr);
        assert!(s.taint_of(0).is_empty());
        assert_eq!(s.elems.len(), 1);
    }
}
