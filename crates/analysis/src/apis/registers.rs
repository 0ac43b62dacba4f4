//! Which string constant each register holds, along one linear sweep of a
//! method.
//!
//! The approximation: a `const-string` sets its register; any other
//! instruction that writes `vA` clears it (and `vA+1` for wide writes);
//! `move-object*` copies it; every register is forgotten at the targets
//! of forward branches (`goto`, `if-*`), of `packed-switch` and
//! `sparse-switch` cases and at catch handlers, since a value there may come
//! from another path. Backward branches are not followed: a constant that
//! reaches a loop header only through the back edge is not seen, and one
//! set before the loop is still believed at the header. That is enough for
//! the pattern this serves (`const-string v1, "android_id"` followed by the
//! call in the same basic block or a straight-line successor).

/// Register → string index (+1; 0 is "no string"), with the list of set
/// registers so that resetting costs only what was set.
#[derive(Debug)]
pub(super) struct Registers {
    values: Vec<u32>,
    dirty: Vec<u16>,
    /// Forward branch targets of the current method, one bit per code unit.
    targets: Vec<u64>,
}

impl Registers {
    pub fn new() -> Registers {
        Registers {
            values: vec![0; 1 << 16],
            dirty: Vec::new(),
            targets: Vec::new(),
        }
    }

    /// Starts a method of `units` code units.
    pub fn start(&mut self, units: usize) {
        self.reset();
        self.targets.clear();
        self.targets.resize(units.div_ceil(64), 0);
    }

    /// Forgets every register.
    pub fn reset(&mut self) {
        for r in self.dirty.drain(..) {
            if let Some(v) = self.values.get_mut(usize::from(r)) {
                *v = 0;
            }
        }
    }

    /// Marks a code unit as a branch target (ignored when out of range).
    pub fn mark_target(&mut self, pc: i64) {
        let Ok(pc) = usize::try_from(pc) else { return };
        if let Some(w) = self.targets.get_mut(pc / 64) {
            *w |= 1 << (pc % 64);
        }
    }

    /// Whether `pc` was marked as a target.
    #[inline]
    pub fn is_target(&self, pc: u32) -> bool {
        let pc = pc as usize;
        self.targets
            .get(pc / 64)
            .is_some_and(|w| w & (1 << (pc % 64)) != 0)
    }

    /// Sets `reg` to string `idx`.
    pub fn set(&mut self, reg: u16, idx: u32) {
        if let Some(v) = self.values.get_mut(usize::from(reg)) {
            if *v == 0 {
                self.dirty.push(reg);
            }
            *v = idx.saturating_add(1);
        }
    }

    /// Forgets `reg`.
    #[inline]
    pub fn clear(&mut self, reg: u32) {
        if self.dirty.is_empty() {
            return;
        }
        if let Some(v) = self.values.get_mut(reg as usize) {
            *v = 0;
        }
    }

    /// The string index `reg` holds.
    #[inline]
    pub fn get(&self, reg: u32) -> Option<u32> {
        match self.values.get(reg as usize) {
            Some(&v) if v != 0 => Some(v - 1),
            _ => None,
        }
    }

    /// Copies `from` into `to`.
    pub fn copy(&mut self, to: u16, from: u32) {
        match self.get(from) {
            Some(idx) => self.set(to, idx),
            None => self.clear(u32::from(to)),
        }
    }

    /// Whether any register holds a string.
    #[inline]
    pub fn any(&self) -> bool {
        !self.dirty.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_clear_copy_reset() {
        let mut r = Registers::new();
        r.start(100);
        r.set(3, 7);
        assert_eq!(r.get(3), Some(7));
        r.copy(4, 3);
        assert_eq!(r.get(4), Some(7));
        r.clear(3);
        assert_eq!(r.get(3), None);
        r.copy(5, 3);
        assert_eq!(r.get(5), None);
        r.mark_target(70);
        r.mark_target(-1);
        r.mark_target(1000);
        assert!(r.is_target(70) && !r.is_target(69) && !r.is_target(1000));
        r.reset();
        assert_eq!(r.get(4), None);
        assert!(!r.any());
        // Out-of-range registers are ignored.
        r.clear(1 << 20);
        assert_eq!(r.get(1 << 20), None);
    }
}
