//! Decode errors.

use crate::opcode::Opcode;

/// Why an instruction (or payload) could not be decoded.
///
/// Every variant names the code-unit index (`pc`) where decoding failed. The
/// type is `Copy` and never allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The requested position is at or past the end of the code array.
    #[error("pc {pc:#x} is outside the code array ({units} code units)")]
    PcOutOfRange {
        /// Requested code-unit index.
        pc: usize,
        /// Number of whole code units in the array.
        units: usize,
    },
    /// The instruction or payload at `pc` runs past the end of the array.
    #[error("{what} at pc {pc:#x} needs {needed} code units, only {available} remain")]
    Truncated {
        /// Code-unit index of the instruction.
        pc: u32,
        /// Mnemonic of what was being decoded (payloads use dexdump's
        /// `packed-switch-data`, `sparse-switch-data`, `array-data`).
        what: &'static str,
        /// Size the instruction or payload declares, in code units.
        needed: u64,
        /// Code units left from `pc` to the end of the array.
        available: u64,
    },
    /// A `35c`/`35ms`/`35mi`/`45cc` instruction lists more than 5 registers.
    #[error("{opcode} at pc {pc:#x} lists {count} argument registers (at most 5)")]
    BadArgCount {
        /// Code-unit index of the instruction.
        pc: u32,
        /// Its opcode.
        opcode: Opcode,
        /// The register count it declares.
        count: u8,
    },
    /// [`crate::Instruction::payload`] was called on an instruction that
    /// has no payload (only `fill-array-data`, `packed-switch` and
    /// `sparse-switch` have one).
    #[error("{opcode} at pc {pc:#x} has no payload")]
    NoPayload {
        /// Code-unit index of the instruction.
        pc: u32,
        /// Its opcode.
        opcode: Opcode,
    },
    /// The payload offset of a `fill-array-data`/`*-switch` points outside
    /// the array or at something that is not the matching payload.
    #[error("{opcode} at pc {pc:#x} points at code unit {target}, which is not its payload")]
    BadPayloadTarget {
        /// Code-unit index of the instruction.
        pc: u32,
        /// Its opcode.
        opcode: Opcode,
        /// The absolute target (`pc + offset`), possibly negative.
        target: i64,
    },
    /// The array has an odd number of bytes; the last byte belongs to no code
    /// unit. Reported by [`crate::Decoder`] after the last whole instruction.
    #[error("code array has an odd length ({len} bytes)")]
    OddLength {
        /// Length of the array in bytes.
        len: usize,
    },
    /// The array holds more than `u32::MAX` code units, more than a DEX
    /// `insns_size` can describe.
    #[error("code array too long ({units} code units)")]
    TooLong {
        /// Number of code units.
        units: usize,
    },
}
