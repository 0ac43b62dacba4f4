//! Zero-allocation, table-driven, panic-free decoder for Dalvik bytecode.
//!
//! Input is a method's instruction array — a code item's `insns`, i.e.
//! `insns_size * 2` bytes of little-endian 16-bit code units. This crate does
//! not parse DEX files; `leakscope-dex` hands it the bytes.
//!
//! - [`Opcode`] and the [`OPCODES`] table: one row per opcode byte with the
//!   `dexdump` mnemonic, [`Format`], [`IndexKind`], control/data-flow
//!   [`Flags`] and [`InvokeKind`].
//! - [`decode_at`] decodes one [`Insn`] (an [`Instruction`] or one of the three
//!   payloads) at a code-unit index; [`Decoder`] sweeps a whole array;
//!   [`count_opcodes`] counts mnemonics.
//! - [`Instruction`] is 16 bytes and `Copy`; operands are read on demand.
//!   Payloads borrow their tables from the input.
//!
//! ```
//! use leakscope_dalvik::{Decoder, Insn, Opcode, IndexKind};
//! // const/4 v1, #4 ; invoke-virtual {v1}, method@0002 ; return-void
//! let code = [0x12, 0x41, 0x6e, 0x10, 0x02, 0x00, 0x01, 0x00, 0x0e, 0x00];
//! let insns: Vec<Insn> = Decoder::new(&code).collect::<Result<_, _>>()?;
//! assert_eq!(insns.len(), 3);
//! let Insn::Op(call) = insns[1] else { unreachable!() };
//! assert_eq!(call.opcode, Opcode::InvokeVirtual);
//! assert_eq!(call.name(), "invoke-virtual");
//! assert_eq!(call.index().map(|i| (i.kind, i.value)), Some((IndexKind::Method, 2)));
//! assert_eq!(call.args().map(|a| a.iter().collect::<Vec<_>>()), Some(vec![1]));
//! assert!(call.opcode.is_invoke() && call.opcode.can_throw());
//! # Ok::<(), leakscope_dalvik::DecodeError>(())
//! ```
//!
//! Hostile input never panics: truncated instructions, payloads whose counts
//! run past the end and odd lengths give a [`DecodeError`]; unused opcodes
//! decode as one-unit `unused-xx` instructions, as `dexdump` shows them.
//! [`Decoder`] **stops after the first error** (it yields the error once,
//! then `None`); see its documentation.
//!
//! # Which opcode set
//! The table is ART's (DEX 035–039; 040 and 041 add no opcodes), as printed
//! by the AOSP `dexdump` this crate is tested against, which still knows
//! ART's quickened opcodes: `0x73` is `return-void-no-barrier` and
//! `0xe3..=0xf2` are `iget-quick` … `iget-short-quick` (formats `22cs`,
//! `35ms`, `3rms`). They only occur in optimized (vdex/odex) code and are
//! flagged [`Flags::OPTIMIZED`]; newer `dexdump`s (Android 12+) print them
//! as `unused-xx`. Formats `20bc`, `35mi` and `3rmi` (Dalvik odex
//! `throw-verification-error`, `execute-inline*`) are described by
//! [`Format`] but no opcode of this table uses them.
//!
//! # Payloads
//! A code unit `0x0100`, `0x0200` or `0x0300` at an instruction boundary is a
//! packed-switch, sparse-switch or fill-array-data payload, exactly as
//! `dexdump` (and the ART iterator) treat it; any other `nop` is a one-unit
//! `nop`. [`Instruction::payload`] follows a `31t` instruction to its payload.

#![deny(missing_docs)]

mod decode;
mod error;
mod format;
mod instruction;
mod opcode;
mod payload;

pub use decode::{Decoder, Insn, count_opcodes, decode_at};
pub use error::DecodeError;
pub use format::Format;
pub use instruction::{Args, ArgsIter, Index, Instruction};
pub use opcode::{Flags, IndexKind, InvokeKind, OPCODES, Opcode, OpcodeInfo};
pub use payload::{
    FILL_ARRAY_DATA_SIGNATURE, FillArrayDataPayload, PACKED_SWITCH_SIGNATURE, PackedSwitchPayload,
    SPARSE_SWITCH_SIGNATURE, SparseSwitchPayload,
};
