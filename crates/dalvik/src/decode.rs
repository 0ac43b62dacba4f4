//! Decoding: one instruction at a position, a linear sweep, opcode counts.

use std::iter::FusedIterator;

use leakscope_bytes::Bytes;

use crate::error::DecodeError;
use crate::instruction::Instruction;
use crate::opcode::{DECODE_INFO, DECODE_LIST, DECODE_SIZE, Opcode};
use crate::payload::{
    FILL_ARRAY_DATA_SIGNATURE, FillArrayDataPayload, PACKED_SWITCH_SIGNATURE, PackedSwitchPayload,
    SPARSE_SWITCH_SIGNATURE, SparseSwitchPayload,
};

/// One item of a method's instruction stream: an instruction or a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Insn<'a> {
    /// An ordinary instruction (including `nop` and `unused-xx`).
    Op(Instruction),
    /// A `packed-switch-payload` (signature `0x0100`).
    PackedSwitch(PackedSwitchPayload<'a>),
    /// A `sparse-switch-payload` (signature `0x0200`).
    SparseSwitch(SparseSwitchPayload<'a>),
    /// A `fill-array-data-payload` (signature `0x0300`).
    FillArrayData(FillArrayDataPayload<'a>),
}

impl Insn<'_> {
    /// Code-unit index.
    pub fn pc(&self) -> u32 {
        match self {
            Insn::Op(i) => i.pc,
            Insn::PackedSwitch(p) => p.pc(),
            Insn::SparseSwitch(p) => p.pc(),
            Insn::FillArrayData(p) => p.pc(),
        }
    }

    /// Size in code units.
    pub fn size(&self) -> u32 {
        match self {
            Insn::Op(i) => i.size(),
            Insn::PackedSwitch(p) => p.size(),
            Insn::SparseSwitch(p) => p.size(),
            Insn::FillArrayData(p) => p.size(),
        }
    }

    /// The mnemonic `dexdump` prints: the opcode name, or
    /// `packed-switch-data`, `sparse-switch-data`, `array-data` for payloads.
    pub fn mnemonic(&self) -> &'static str {
        match self {
            Insn::Op(i) => i.name(),
            Insn::PackedSwitch(_) => "packed-switch-data",
            Insn::SparseSwitch(_) => "sparse-switch-data",
            Insn::FillArrayData(_) => "array-data",
        }
    }

    /// The instruction, unless this is a payload.
    pub fn instruction(&self) -> Option<&Instruction> {
        match self {
            Insn::Op(i) => Some(i),
            _ => None,
        }
    }

    /// True for the three payload pseudo-instructions.
    pub fn is_payload(&self) -> bool {
        !matches!(self, Insn::Op(_))
    }
}

/// Reads code unit `i` (a little-endian `u16`).
#[inline]
fn unit(code: &[u8], i: usize) -> Option<u16> {
    Bytes::new(code).u16(i.checked_mul(2)?, "code unit").ok()
}

/// `bytes` bytes of the code starting at code unit `from_unit`.
fn unit_bytes(code: &[u8], from_unit: usize, bytes: usize) -> Option<&[u8]> {
    Bytes::new(code)
        .slice(from_unit.checked_mul(2)?, bytes, "payload data")
        .ok()
}

/// Decodes the instruction or payload at code unit `pc`.
///
/// `code` is a method's `insns` array (`insns_size * 2` bytes); a trailing
/// odd byte is ignored here. Unused opcodes decode as one-unit `unused-xx`
/// instructions, as `dexdump` shows them. A unit `0x0100`/`0x0200`/`0x0300`
/// decodes as the corresponding payload.
///
/// # Errors
/// [`DecodeError::PcOutOfRange`] when `pc` is not inside the array,
/// [`DecodeError::Truncated`] when the instruction or payload runs past its
/// end, [`DecodeError::BadArgCount`] for a register list longer than 5.
#[inline]
pub fn decode_at(code: &[u8], pc: usize) -> Result<Insn<'_>, DecodeError> {
    let units = code.len() / 2;
    let out_of_range = DecodeError::PcOutOfRange { pc, units };
    let pc32 = u32::try_from(pc).map_err(|_| out_of_range)?;
    if pc >= units {
        return Err(out_of_range);
    }
    // pc < units <= usize::MAX / 2, so neither product below overflows.
    let start = pc * 2;
    let available = units - pc;
    let (lo, hi) = match code.get(start..start + 2) {
        Some(&[lo, hi]) => (lo, hi),
        _ => return Err(out_of_range),
    };
    if lo == 0 && hi != 0 {
        match u16::from_le_bytes([lo, hi]) {
            PACKED_SWITCH_SIGNATURE => return packed_switch(code, pc, pc32, available),
            SPARSE_SWITCH_SIGNATURE => return sparse_switch(code, pc, pc32, available),
            FILL_ARRAY_DATA_SIGNATURE => return fill_array_data(code, pc, pc32, available),
            _ => {}
        }
    }
    let info = DECODE_INFO[usize::from(lo)];
    let size = usize::from(info & DECODE_SIZE);
    let Some(bytes) = code.get(start..start + size * 2) else {
        let opcode = Opcode::from_u8(lo);
        return Err(DecodeError::Truncated {
            pc: pc32,
            what: opcode.name(),
            needed: size as u64,
            available: available as u64,
        });
    };
    let mut buf = [0u16; 5];
    for (slot, b) in buf.iter_mut().zip(bytes.chunks_exact(2)) {
        *slot = u16::from_le_bytes([b[0], b[1]]);
    }
    if info & DECODE_LIST != 0 && hi >> 4 > 5 {
        let opcode = Opcode::from_u8(lo);
        return Err(DecodeError::BadArgCount {
            pc: pc32,
            opcode,
            count: hi >> 4,
        });
    }
    Ok(Insn::Op(Instruction::from_units(pc32, buf)))
}

fn truncated(pc: u32, what: &'static str, needed: u64, available: usize) -> DecodeError {
    DecodeError::Truncated {
        pc,
        what,
        needed,
        available: available as u64,
    }
}

fn packed_switch(
    code: &[u8],
    pc: usize,
    pc32: u32,
    available: usize,
) -> Result<Insn<'_>, DecodeError> {
    const WHAT: &str = "packed-switch-data";
    // ident(1) size(1) first_key(2) targets(size*2)
    let header = |n| truncated(pc32, WHAT, n, available);
    let size = unit(code, pc + 1).ok_or(header(4))?;
    let needed = 4 + 2 * u64::from(size);
    if needed > available as u64 {
        return Err(header(needed));
    }
    let lo = unit(code, pc + 2).ok_or(header(needed))?;
    let hi = unit(code, pc + 3).ok_or(header(needed))?;
    let targets = unit_bytes(code, pc + 4, usize::from(size) * 4).ok_or(header(needed))?;
    Ok(Insn::PackedSwitch(PackedSwitchPayload {
        pc: pc32,
        first_key: (u32::from(lo) | (u32::from(hi) << 16)) as i32,
        targets,
    }))
}

fn sparse_switch(
    code: &[u8],
    pc: usize,
    pc32: u32,
    available: usize,
) -> Result<Insn<'_>, DecodeError> {
    const WHAT: &str = "sparse-switch-data";
    // ident(1) size(1) keys(size*2) targets(size*2)
    let err = |n| truncated(pc32, WHAT, n, available);
    let size = unit(code, pc + 1).ok_or(err(2))?;
    let needed = 2 + 4 * u64::from(size);
    if needed > available as u64 {
        return Err(err(needed));
    }
    let n = usize::from(size) * 4;
    let keys = unit_bytes(code, pc + 2, n).ok_or(err(needed))?;
    let targets = unit_bytes(code, pc + 2 + usize::from(size) * 2, n).ok_or(err(needed))?;
    Ok(Insn::SparseSwitch(SparseSwitchPayload {
        pc: pc32,
        keys,
        targets,
    }))
}

fn fill_array_data(
    code: &[u8],
    pc: usize,
    pc32: u32,
    available: usize,
) -> Result<Insn<'_>, DecodeError> {
    const WHAT: &str = "array-data";
    // ident(1) element_width(1) size(2) data(ceil(width*size/2))
    let err = |n| truncated(pc32, WHAT, n, available);
    let (Some(width), Some(lo), Some(hi)) =
        (unit(code, pc + 1), unit(code, pc + 2), unit(code, pc + 3))
    else {
        return Err(err(4));
    };
    let count = u32::from(lo) | (u32::from(hi) << 16);
    let data_len = u64::from(width) * u64::from(count); // at most 2^48: no overflow
    let needed = 4 + data_len.div_ceil(2);
    // Sizes are reported as u32 code units, like DEX `insns_size`.
    if needed > available as u64 || needed > u64::from(u32::MAX) {
        return Err(err(needed));
    }
    let len = usize::try_from(data_len).map_err(|_| err(needed))?;
    let data = unit_bytes(code, pc + 4, len).ok_or(err(needed))?;
    Ok(Insn::FillArrayData(FillArrayDataPayload {
        pc: pc32,
        element_width: width,
        count,
        data,
    }))
}

impl Instruction {
    /// Decodes the payload of a `fill-array-data`, `packed-switch` or
    /// `sparse-switch` instruction from the same `code` array.
    ///
    /// # Errors
    /// [`DecodeError::NoPayload`] for other opcodes;
    /// [`DecodeError::BadPayloadTarget`] when the offset leaves the array or
    /// does not point at the matching payload signature; the payload's own
    /// decode errors (e.g. [`DecodeError::Truncated`]).
    pub fn payload<'a>(&self, code: &'a [u8]) -> Result<Insn<'a>, DecodeError> {
        let (pc, opcode) = (self.pc, self.opcode);
        let signature = match opcode {
            Opcode::PackedSwitch => PACKED_SWITCH_SIGNATURE,
            Opcode::SparseSwitch => SPARSE_SWITCH_SIGNATURE,
            Opcode::FillArrayData => FILL_ARRAY_DATA_SIGNATURE,
            _ => return Err(DecodeError::NoPayload { pc, opcode }),
        };
        let target = self
            .branch_target()
            .ok_or(DecodeError::NoPayload { pc, opcode })?;
        let bad = DecodeError::BadPayloadTarget { pc, opcode, target };
        let at = usize::try_from(target).map_err(|_| bad)?;
        if unit(code, at) == Some(signature) {
            decode_at(code, at)
        } else {
            Err(bad)
        }
    }
}

/// Linear-sweep decoder over a method's `insns`: yields every instruction and
/// payload in address order, exactly as `dexdump -d` lists them.
///
/// **After an error it stops**: the error is yielded once and every later
/// call to `next` returns `None` (the iterator is fused). Errors can only
/// come from the end of the array (an instruction or payload that runs past
/// it, or a trailing odd byte, reported after the last whole instruction) or
/// from an invalid register count, so stopping loses no well-formed code
/// that a resync could reliably recover. An empty array yields nothing.
#[derive(Clone, Debug)]
pub struct Decoder<'a> {
    code: &'a [u8],
    pc: usize,
    done: bool,
}

impl<'a> Decoder<'a> {
    /// A decoder over `code`, starting at code unit 0.
    pub fn new(code: &'a [u8]) -> Self {
        Decoder {
            code,
            pc: 0,
            done: false,
        }
    }

    /// Code-unit index of the next item to decode.
    pub fn pc(&self) -> usize {
        self.pc
    }

    fn fail(&mut self, e: DecodeError) -> Option<Result<Insn<'a>, DecodeError>> {
        self.done = true;
        Some(Err(e))
    }
}

impl<'a> Iterator for Decoder<'a> {
    type Item = Result<Insn<'a>, DecodeError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let units = self.code.len() / 2;
        if units > u32::MAX as usize {
            return self.fail(DecodeError::TooLong { units });
        }
        if self.pc >= units {
            self.done = true;
            if !self.code.len().is_multiple_of(2) {
                return Some(Err(DecodeError::OddLength {
                    len: self.code.len(),
                }));
            }
            return None;
        }
        match decode_at(self.code, self.pc) {
            Ok(insn) => {
                // Every item is at least one unit long, so the sweep always advances.
                self.pc = self.pc.saturating_add(insn.size().max(1) as usize);
                Some(Ok(insn))
            }
            Err(e) => self.fail(e),
        }
    }
}

impl FusedIterator for Decoder<'_> {}

/// Counts the opcodes of a linear decode of `code` into `counts` (indexed by
/// opcode byte), skipping payloads. Spacer `nop`s count as `nop`, as `dexdump`
/// lists them. Counts saturate at `u32::MAX`.
///
/// Returns the number of instructions counted.
///
/// # Errors
/// The first decode error; the instructions before it are already counted.
pub fn count_opcodes(code: &[u8], counts: &mut [u32; 256]) -> Result<u64, DecodeError> {
    let mut n = 0u64;
    for item in Decoder::new(code) {
        if let Insn::Op(i) = item? {
            let c = &mut counts[usize::from(i.opcode.byte())];
            *c = c.saturating_add(1);
            n += 1;
        }
    }
    Ok(n)
}
