//! A decoded (non-payload) instruction and its operands.

use std::fmt;

use crate::format::Format;
use crate::opcode::{IndexKind, InvokeKind, Opcode};

/// One decoded instruction.
///
/// It keeps the instruction's raw code units (at most 5) and decodes operands
/// on demand from the format, so decoding copies 16 bytes and allocates
/// nothing. Operand accessors return `None` when the format has no such
/// operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instruction {
    /// Code-unit index of the instruction in the method's `insns`.
    pub pc: u32,
    /// The opcode.
    pub opcode: Opcode,
    units: [u16; 5],
}

/// An index operand: a constant-pool (or odex) index and what it refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Index {
    /// What the index refers to.
    pub kind: IndexKind,
    /// The index value.
    pub value: u32,
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{:04x}", self.kind, self.value)
    }
}

/// The argument registers of an invoke-like instruction
/// (`35c`, `35ms`, `35mi`, `45cc`: an explicit list; `3rc`, `3rms`, `3rmi`,
/// `4rcc`: a contiguous range).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Args {
    /// Up to five registers `vC, vD, vE, vF, vG`; only the first `count` are used.
    List {
        /// Number of registers (0..=5).
        count: u8,
        /// The registers, in argument order (unused slots are 0).
        regs: [u8; 5],
    },
    /// `count` consecutive registers starting at `first`.
    Range {
        /// First register (`vCCCC`).
        first: u16,
        /// Number of registers (`AA`).
        count: u8,
    },
}

impl Args {
    /// Number of argument registers.
    pub fn len(&self) -> usize {
        match *self {
            Args::List { count, .. } | Args::Range { count, .. } => usize::from(count),
        }
    }

    /// True when there are no argument registers.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th argument register. Register numbers are `u32` because a
    /// range may extend past `v65535` in a malformed method.
    pub fn get(&self, i: usize) -> Option<u32> {
        if i >= self.len() {
            return None;
        }
        match *self {
            Args::List { regs, .. } => regs.get(i).map(|&r| u32::from(r)),
            Args::Range { first, .. } => u32::try_from(i).ok().map(|i| u32::from(first) + i),
        }
    }

    /// Iterates over the argument registers in order.
    pub fn iter(&self) -> ArgsIter {
        ArgsIter {
            args: *self,
            next: 0,
        }
    }
}

impl IntoIterator for Args {
    type Item = u32;
    type IntoIter = ArgsIter;
    fn into_iter(self) -> ArgsIter {
        self.iter()
    }
}

/// Iterator over [`Args`].
#[derive(Clone, Debug)]
pub struct ArgsIter {
    args: Args,
    next: usize,
}

impl Iterator for ArgsIter {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let r = self.args.get(self.next)?;
        self.next += 1;
        Some(r)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.args.len().saturating_sub(self.next);
        (n, Some(n))
    }
}

impl ExactSizeIterator for ArgsIter {}

impl Instruction {
    /// Builds an instruction from its code units (`units[0]` holds the opcode
    /// in its low byte). Missing trailing units read as zero; the caller
    /// (the decoder) guarantees the format's size is available.
    pub(crate) fn from_units(pc: u32, units: [u16; 5]) -> Instruction {
        let opcode = Opcode::from_u8((units[0] & 0xff) as u8);
        Instruction { pc, opcode, units }
    }

    /// Instruction format.
    #[inline]
    pub fn format(&self) -> Format {
        self.opcode.format()
    }

    /// Mnemonic, as `dexdump` prints it.
    #[inline]
    pub fn name(&self) -> &'static str {
        self.opcode.name()
    }

    /// Size in 16-bit code units.
    #[inline]
    pub fn size(&self) -> u32 {
        u32::from(self.opcode.size())
    }

    /// Code-unit index of the next instruction (saturating).
    #[inline]
    pub fn next_pc(&self) -> u32 {
        self.pc.saturating_add(self.size())
    }

    /// The instruction's raw code units.
    pub fn units(&self) -> &[u16] {
        self.units
            .get(..usize::from(self.opcode.size()))
            .unwrap_or(&self.units)
    }

    #[inline]
    fn aa(&self) -> u16 {
        self.units[0] >> 8
    }

    #[inline]
    fn a4(&self) -> u16 {
        (self.units[0] >> 8) & 0xf
    }

    #[inline]
    fn b4(&self) -> u16 {
        self.units[0] >> 12
    }

    #[inline]
    fn u32_at1(&self) -> u32 {
        u32::from(self.units[1]) | (u32::from(self.units[2]) << 16)
    }

    /// Register `vA` (the destination, or the first operand), for formats
    /// that have one. For `35c`-like and range formats, where `A` is a
    /// count, use [`Instruction::args`].
    pub fn reg_a(&self) -> Option<u16> {
        match self.format() {
            Format::F12x
            | Format::F11n
            | Format::F22t
            | Format::F22s
            | Format::F22c
            | Format::F22cs => Some(self.a4()),
            Format::F11x
            | Format::F22x
            | Format::F21t
            | Format::F21s
            | Format::F21h
            | Format::F21c
            | Format::F23x
            | Format::F22b
            | Format::F31t
            | Format::F31i
            | Format::F31c
            | Format::F51l => Some(self.aa()),
            Format::F32x => Some(self.units[1]),
            _ => None,
        }
    }

    /// Register `vB`, for formats with a second register.
    pub fn reg_b(&self) -> Option<u16> {
        match self.format() {
            Format::F12x | Format::F22t | Format::F22s | Format::F22c | Format::F22cs => {
                Some(self.b4())
            }
            Format::F22x => Some(self.units[1]),
            Format::F23x | Format::F22b => Some(self.units[1] & 0xff),
            Format::F32x => Some(self.units[2]),
            _ => None,
        }
    }

    /// Register `vC` (only format `23x`).
    pub fn reg_c(&self) -> Option<u16> {
        match self.format() {
            Format::F23x => Some(self.units[1] >> 8),
            _ => None,
        }
    }

    /// Argument registers of invoke-like formats (`35c`, `3rc`, `45cc`, `4rcc`
    /// and the odex `35ms`/`35mi`/`3rms`/`3rmi`).
    pub fn args(&self) -> Option<Args> {
        match self.format() {
            Format::F35c | Format::F35ms | Format::F35mi | Format::F45cc => {
                let w = self.units[2];
                let regs = [
                    (w & 0xf) as u8,
                    ((w >> 4) & 0xf) as u8,
                    ((w >> 8) & 0xf) as u8,
                    (w >> 12) as u8,
                    self.a4() as u8,
                ];
                // The decoder rejects counts above 5; clamp for safety anyway.
                let count = (self.b4() as u8).min(5);
                Some(Args::List { count, regs })
            }
            Format::F3rc | Format::F3rms | Format::F3rmi | Format::F4rcc => Some(Args::Range {
                first: self.units[2],
                count: self.aa() as u8,
            }),
            _ => None,
        }
    }

    /// The literal operand, sign-extended, with `const/high16` and
    /// `const-wide/high16` already shifted into place
    /// (`11n`, `21s`, `21h`, `31i`, `22b`, `22s`, `51l`).
    pub fn literal(&self) -> Option<i64> {
        let u = &self.units;
        match self.format() {
            Format::F11n => Some(i64::from((u[0] as i16) >> 12)),
            Format::F21s | Format::F22s => Some(i64::from(u[1] as i16)),
            Format::F21h => Some(if self.opcode == Opcode::ConstWideHigh16 {
                (u64::from(u[1]) << 48) as i64
            } else {
                i64::from((u32::from(u[1]) << 16) as i32)
            }),
            Format::F31i => Some(i64::from(self.u32_at1() as i32)),
            Format::F22b => Some(i64::from((u[1] >> 8) as u8 as i8)),
            Format::F51l => Some(
                (u64::from(u[1])
                    | (u64::from(u[2]) << 16)
                    | (u64::from(u[3]) << 32)
                    | (u64::from(u[4]) << 48)) as i64,
            ),
            _ => None,
        }
    }

    /// The index operand and its kind (`21c`, `31c`, `22c`, `22cs`, `35c`,
    /// `3rc`, `45cc`, `4rcc`, the odex formats and `20bc`). For
    /// `invoke-polymorphic*` this is the method index; see
    /// [`Instruction::proto_index`] for the second one.
    pub fn index(&self) -> Option<Index> {
        let value = match self.format() {
            Format::F21c
            | Format::F22c
            | Format::F22cs
            | Format::F20bc
            | Format::F35c
            | Format::F35ms
            | Format::F35mi
            | Format::F3rc
            | Format::F3rms
            | Format::F3rmi
            | Format::F45cc
            | Format::F4rcc => u32::from(self.units[1]),
            Format::F31c => self.u32_at1(),
            _ => return None,
        };
        let kind = self.opcode.index_kind()?;
        Some(Index { kind, value })
    }

    /// The `proto_ids` index of `invoke-polymorphic*` (`45cc`, `4rcc`).
    pub fn proto_index(&self) -> Option<u16> {
        match self.format() {
            Format::F45cc | Format::F4rcc => Some(self.units[3]),
            _ => None,
        }
    }

    /// The error kind byte of the odex `throw-verification-error` (`20bc`).
    pub fn verify_error_kind(&self) -> Option<u8> {
        match self.format() {
            Format::F20bc => Some(self.aa() as u8),
            _ => None,
        }
    }

    /// Signed branch offset in code units, relative to this instruction
    /// (`10t`, `20t`, `30t`, `21t`, `22t`; for `31t` it is the offset of
    /// the switch or array-data payload).
    pub fn branch_offset(&self) -> Option<i32> {
        match self.format() {
            Format::F10t => Some(i32::from(self.aa() as u8 as i8)),
            Format::F20t | Format::F21t | Format::F22t => Some(i32::from(self.units[1] as i16)),
            Format::F30t | Format::F31t => Some(self.u32_at1() as i32),
            _ => None,
        }
    }

    /// Absolute code-unit index of the branch (or payload) target:
    /// `pc + branch_offset`. It can be negative or past the end of the code
    /// in a malformed method; callers check it against the code size.
    pub fn branch_target(&self) -> Option<i64> {
        self.branch_offset()
            .map(|off| i64::from(self.pc) + i64::from(off))
    }

    /// Dispatch kind, for invokes.
    #[inline]
    pub fn invoke_kind(&self) -> Option<InvokeKind> {
        self.opcode.invoke_kind()
    }
}

impl fmt::Display for Instruction {
    /// A compact, symbol-free rendering, e.g. `0003: invoke-virtual {v1, v2}, method@0042`; branch
    /// operands are shown as signed offsets (`+5`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04x}: {}", self.pc, self.name())?;
        let mut sep = " ";
        for r in [self.reg_a(), self.reg_b(), self.reg_c()]
            .into_iter()
            .flatten()
        {
            write!(f, "{sep}v{r}")?;
            sep = ", ";
        }
        if let Some(args) = self.args() {
            f.write_str(sep)?;
            f.write_str("{")?;
            for (i, r) in args.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "v{r}")?;
            }
            f.write_str("}")?;
            sep = ", ";
        }
        if let Some(lit) = self.literal() {
            write!(f, "{sep}#{lit}")?;
        }
        if let Some(off) = self.branch_offset() {
            write!(f, "{sep}{off:+}")?;
        }
        if let Some(idx) = self.index() {
            write!(f, "{sep}{idx}")?;
        }
        if let Some(p) = self.proto_index() {
            write!(f, ", proto@{p:04x}")?;
        }
        Ok(())
    }
}
