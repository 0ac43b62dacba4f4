//! The opcode table: one row per opcode byte, holding everything the decoder
//! and the analyses need to know about it.
//!
//! The rows follow AOSP ART's `dex_instruction_list.h` as shipped with the
//! `dexdump` this crate is tested against (Android 10 era): DEX 035–039
//! opcodes plus ART's quickened opcodes (`return-void-no-barrier`, `0xe3..=0xf2`
//! `*-quick`), which only appear in optimized (vdex/odex) code. Opcodes with no
//! meaning are named `unused-xx`, exactly as `dexdump` prints them.

use std::fmt;

use crate::format::Format;

/// What the index operand of an instruction refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IndexKind {
    /// `string_ids` index (`// string@…`).
    String,
    /// `type_ids` index (`// type@…`).
    Type,
    /// `field_ids` index (`// field@…`).
    Field,
    /// `method_ids` index (`// method@…`).
    Method,
    /// `proto_ids` index (`// proto@…`).
    Proto,
    /// `call_site_ids` index (`call_site@…`).
    CallSite,
    /// `method_handles` index (`method_handle@…`).
    MethodHandle,
    /// Byte offset of a field inside an object (quickened `iget/iput-*-quick`).
    FieldOffset,
    /// Index into the receiver's vtable (quickened `invoke-*-quick`).
    VtableOffset,
    /// Index of an inlined VM method (odex `execute-inline`).
    InlineMethod,
    /// Verification-error payload (odex `throw-verification-error`); its
    /// meaning depends on the error kind in `vAA`.
    VerifyError,
}

impl IndexKind {
    /// The word `dexdump` uses for this kind in `// kind@XXXX` comments.
    pub const fn name(self) -> &'static str {
        match self {
            IndexKind::String => "string",
            IndexKind::Type => "type",
            IndexKind::Field => "field",
            IndexKind::Method => "method",
            IndexKind::Proto => "proto",
            IndexKind::CallSite => "call_site",
            IndexKind::MethodHandle => "method_handle",
            IndexKind::FieldOffset => "field_offset",
            IndexKind::VtableOffset => "vtable",
            IndexKind::InlineMethod => "inline",
            IndexKind::VerifyError => "verify_error",
        }
    }
}

impl fmt::Display for IndexKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The dispatch kind of an invoke instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InvokeKind {
    /// `invoke-virtual`, `invoke-virtual/range` and their quickened forms.
    Virtual,
    /// `invoke-super`, `invoke-super/range`.
    Super,
    /// `invoke-direct`, `invoke-direct/range`.
    Direct,
    /// `invoke-static`, `invoke-static/range`.
    Static,
    /// `invoke-interface`, `invoke-interface/range`.
    Interface,
    /// `invoke-polymorphic`, `invoke-polymorphic/range` (DEX 038+).
    Polymorphic,
    /// `invoke-custom`, `invoke-custom/range` (DEX 038+).
    Custom,
}

/// Control-flow and data-flow properties of an opcode (a bit set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Flags(u16);

impl Flags {
    /// Execution may fall through to the next instruction.
    pub const CONTINUE: Flags = Flags(1 << 0);
    /// The instruction may branch to a target given by its offset operand.
    pub const BRANCH: Flags = Flags(1 << 1);
    /// The instruction may throw an exception.
    pub const THROW: Flags = Flags(1 << 2);
    /// The instruction returns from the method.
    pub const RETURN: Flags = Flags(1 << 3);
    /// `packed-switch` / `sparse-switch`: branches through a payload table.
    pub const SWITCH: Flags = Flags(1 << 4);
    /// Leaves a value for a following `move-result*` (invokes, `filled-new-array*`).
    pub const SETS_RESULT: Flags = Flags(1 << 5);
    /// Writes register `vA` (for 2addr ops `vA` is both read and written).
    pub const WRITES_A: Flags = Flags(1 << 6);
    /// Register `vA` names a 64-bit register pair (`vA`, `vA+1`).
    pub const WIDE_A: Flags = Flags(1 << 7);
    /// The opcode is unused; the verifier rejects methods containing it.
    pub const UNUSED: Flags = Flags(1 << 8);
    /// Only found in optimized (odex/vdex, quickened) code, never in a `.dex`
    /// produced by a compiler.
    pub const OPTIMIZED: Flags = Flags(1 << 9);

    /// Introduced in DEX 038 (`invoke-polymorphic*`, `invoke-custom*`).
    pub const DEX038: Flags = Flags(1 << 10);
    /// Introduced in DEX 039 (`const-method-handle`, `const-method-type`).
    pub const DEX039: Flags = Flags(1 << 11);

    /// No flags.
    pub const NONE: Flags = Flags(0);

    /// True when every flag in `other` is set.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Union of two flag sets.
    pub const fn union(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }

    /// The raw bits.
    pub const fn bits(self) -> u16 {
        self.0
    }
}

/// One row of the opcode table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpcodeInfo {
    /// Mnemonic, spelled as AOSP `dexdump` prints it.
    pub name: &'static str,
    /// Instruction format.
    pub format: Format,
    /// Kind of the (primary) index operand, if the opcode has one.
    pub index: Option<IndexKind>,
    /// Control-flow and data-flow properties.
    pub flags: Flags,
    /// Dispatch kind, for invokes.
    pub invoke: Option<InvokeKind>,
}

// Short names for the table below.
const C: u16 = Flags::CONTINUE.0;
const BR: u16 = Flags::BRANCH.0;
const T: u16 = Flags::THROW.0;
const RET: u16 = Flags::RETURN.0;
const SW: u16 = Flags::SWITCH.0;
const RES: u16 = Flags::SETS_RESULT.0;
const WA: u16 = Flags::WRITES_A.0;
const W: u16 = Flags::WIDE_A.0;
const UN: u16 = Flags::UNUSED.0;
const OPT: u16 = Flags::OPTIMIZED.0;
const V38: u16 = Flags::DEX038.0;
const V39: u16 = Flags::DEX039.0;

macro_rules! idx {
    (-) => {
        None
    };
    ($k:ident) => {
        Some(IndexKind::$k)
    };
}

macro_rules! inv {
    (-) => {
        None
    };
    ($k:ident) => {
        Some(InvokeKind::$k)
    };
}

macro_rules! opcodes {
    ($( $byte:literal $variant:ident $name:literal $fmt:ident $idx:tt $inv:tt [$($flag:ident)*]; )*) => {
        /// A Dalvik opcode (the low byte of an instruction's first code unit).
        ///
        /// Every byte value is an opcode; the unused ones are `Unused3E` etc.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Opcode {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant = $byte,
            )*
        }

        /// The opcode table, indexed by opcode byte.
        pub static OPCODES: [OpcodeInfo; 256] = [
            $(
                OpcodeInfo {
                    name: $name,
                    format: Format::$fmt,
                    index: idx!($idx),
                    flags: Flags(0 $(| $flag)*),
                    invoke: inv!($inv),
                },
            )*
        ];

        static BY_BYTE: [Opcode; 256] = [ $( Opcode::$variant, )* ];
    };
}

opcodes! {
    0x00 Nop "nop" F10x - - [C];
    0x01 Move "move" F12x - - [C WA];
    0x02 MoveFrom16 "move/from16" F22x - - [C WA];
    0x03 Move16 "move/16" F32x - - [C WA];
    0x04 MoveWide "move-wide" F12x - - [C WA W];
    0x05 MoveWideFrom16 "move-wide/from16" F22x - - [C WA W];
    0x06 MoveWide16 "move-wide/16" F32x - - [C WA W];
    0x07 MoveObject "move-object" F12x - - [C WA];
    0x08 MoveObjectFrom16 "move-object/from16" F22x - - [C WA];
    0x09 MoveObject16 "move-object/16" F32x - - [C WA];
    0x0a MoveResult "move-result" F11x - - [C WA];
    0x0b MoveResultWide "move-result-wide" F11x - - [C WA W];
    0x0c MoveResultObject "move-result-object" F11x - - [C WA];
    0x0d MoveException "move-exception" F11x - - [C WA];
    0x0e ReturnVoid "return-void" F10x - - [RET];
    0x0f Return "return" F11x - - [RET];
    0x10 ReturnWide "return-wide" F11x - - [RET W];
    0x11 ReturnObject "return-object" F11x - - [RET];
    0x12 Const4 "const/4" F11n - - [C WA];
    0x13 Const16 "const/16" F21s - - [C WA];
    0x14 Const "const" F31i - - [C WA];
    0x15 ConstHigh16 "const/high16" F21h - - [C WA];
    0x16 ConstWide16 "const-wide/16" F21s - - [C WA W];
    0x17 ConstWide32 "const-wide/32" F31i - - [C WA W];
    0x18 ConstWide "const-wide" F51l - - [C WA W];
    0x19 ConstWideHigh16 "const-wide/high16" F21h - - [C WA W];
    0x1a ConstString "const-string" F21c String - [C T WA];
    0x1b ConstStringJumbo "const-string/jumbo" F31c String - [C T WA];
    0x1c ConstClass "const-class" F21c Type - [C T WA];
    0x1d MonitorEnter "monitor-enter" F11x - - [C T];
    0x1e MonitorExit "monitor-exit" F11x - - [C T];
    0x1f CheckCast "check-cast" F21c Type - [C T];
    0x20 InstanceOf "instance-of" F22c Type - [C T WA];
    0x21 ArrayLength "array-length" F12x - - [C T WA];
    0x22 NewInstance "new-instance" F21c Type - [C T WA];
    0x23 NewArray "new-array" F22c Type - [C T WA];
    0x24 FilledNewArray "filled-new-array" F35c Type - [C T RES];
    0x25 FilledNewArrayRange "filled-new-array/range" F3rc Type - [C T RES];
    0x26 FillArrayData "fill-array-data" F31t - - [C T];
    0x27 Throw "throw" F11x - - [T];
    0x28 Goto "goto" F10t - - [BR];
    0x29 Goto16 "goto/16" F20t - - [BR];
    0x2a Goto32 "goto/32" F30t - - [BR];
    0x2b PackedSwitch "packed-switch" F31t - - [C SW];
    0x2c SparseSwitch "sparse-switch" F31t - - [C SW];
    0x2d CmplFloat "cmpl-float" F23x - - [C WA];
    0x2e CmpgFloat "cmpg-float" F23x - - [C WA];
    0x2f CmplDouble "cmpl-double" F23x - - [C WA];
    0x30 CmpgDouble "cmpg-double" F23x - - [C WA];
    0x31 CmpLong "cmp-long" F23x - - [C WA];
    0x32 IfEq "if-eq" F22t - - [C BR];
    0x33 IfNe "if-ne" F22t - - [C BR];
    0x34 IfLt "if-lt" F22t - - [C BR];
    0x35 IfGe "if-ge" F22t - - [C BR];
    0x36 IfGt "if-gt" F22t - - [C BR];
    0x37 IfLe "if-le" F22t - - [C BR];
    0x38 IfEqz "if-eqz" F21t - - [C BR];
    0x39 IfNez "if-nez" F21t - - [C BR];
    0x3a IfLtz "if-ltz" F21t - - [C BR];
    0x3b IfGez "if-gez" F21t - - [C BR];
    0x3c IfGtz "if-gtz" F21t - - [C BR];
    0x3d IfLez "if-lez" F21t - - [C BR];
    0x3e Unused3E "unused-3e" F10x - - [UN];
    0x3f Unused3F "unused-3f" F10x - - [UN];
    0x40 Unused40 "unused-40" F10x - - [UN];
    0x41 Unused41 "unused-41" F10x - - [UN];
    0x42 Unused42 "unused-42" F10x - - [UN];
    0x43 Unused43 "unused-43" F10x - - [UN];
    0x44 Aget "aget" F23x - - [C T WA];
    0x45 AgetWide "aget-wide" F23x - - [C T WA W];
    0x46 AgetObject "aget-object" F23x - - [C T WA];
    0x47 AgetBoolean "aget-boolean" F23x - - [C T WA];
    0x48 AgetByte "aget-byte" F23x - - [C T WA];
    0x49 AgetChar "aget-char" F23x - - [C T WA];
    0x4a AgetShort "aget-short" F23x - - [C T WA];
    0x4b Aput "aput" F23x - - [C T];
    0x4c AputWide "aput-wide" F23x - - [C T W];
    0x4d AputObject "aput-object" F23x - - [C T];
    0x4e AputBoolean "aput-boolean" F23x - - [C T];
    0x4f AputByte "aput-byte" F23x - - [C T];
    0x50 AputChar "aput-char" F23x - - [C T];
    0x51 AputShort "aput-short" F23x - - [C T];
    0x52 Iget "iget" F22c Field - [C T WA];
    0x53 IgetWide "iget-wide" F22c Field - [C T WA W];
    0x54 IgetObject "iget-object" F22c Field - [C T WA];
    0x55 IgetBoolean "iget-boolean" F22c Field - [C T WA];
    0x56 IgetByte "iget-byte" F22c Field - [C T WA];
    0x57 IgetChar "iget-char" F22c Field - [C T WA];
    0x58 IgetShort "iget-short" F22c Field - [C T WA];
    0x59 Iput "iput" F22c Field - [C T];
    0x5a IputWide "iput-wide" F22c Field - [C T W];
    0x5b IputObject "iput-object" F22c Field - [C T];
    0x5c IputBoolean "iput-boolean" F22c Field - [C T];
    0x5d IputByte "iput-byte" F22c Field - [C T];
    0x5e IputChar "iput-char" F22c Field - [C T];
    0x5f IputShort "iput-short" F22c Field - [C T];
    0x60 Sget "sget" F21c Field - [C T WA];
    0x61 SgetWide "sget-wide" F21c Field - [C T WA W];
    0x62 SgetObject "sget-object" F21c Field - [C T WA];
    0x63 SgetBoolean "sget-boolean" F21c Field - [C T WA];
    0x64 SgetByte "sget-byte" F21c Field - [C T WA];
    0x65 SgetChar "sget-char" F21c Field - [C T WA];
    0x66 SgetShort "sget-short" F21c Field - [C T WA];
    0x67 Sput "sput" F21c Field - [C T];
    0x68 SputWide "sput-wide" F21c Field - [C T W];
    0x69 SputObject "sput-object" F21c Field - [C T];
    0x6a SputBoolean "sput-boolean" F21c Field - [C T];
    0x6b SputByte "sput-byte" F21c Field - [C T];
    0x6c SputChar "sput-char" F21c Field - [C T];
    0x6d SputShort "sput-short" F21c Field - [C T];
    0x6e InvokeVirtual "invoke-virtual" F35c Method Virtual [C T RES];
    0x6f InvokeSuper "invoke-super" F35c Method Super [C T RES];
    0x70 InvokeDirect "invoke-direct" F35c Method Direct [C T RES];
    0x71 InvokeStatic "invoke-static" F35c Method Static [C T RES];
    0x72 InvokeInterface "invoke-interface" F35c Method Interface [C T RES];
    0x73 ReturnVoidNoBarrier "return-void-no-barrier" F10x - - [RET OPT];
    0x74 InvokeVirtualRange "invoke-virtual/range" F3rc Method Virtual [C T RES];
    0x75 InvokeSuperRange "invoke-super/range" F3rc Method Super [C T RES];
    0x76 InvokeDirectRange "invoke-direct/range" F3rc Method Direct [C T RES];
    0x77 InvokeStaticRange "invoke-static/range" F3rc Method Static [C T RES];
    0x78 InvokeInterfaceRange "invoke-interface/range" F3rc Method Interface [C T RES];
    0x79 Unused79 "unused-79" F10x - - [UN];
    0x7a Unused7A "unused-7a" F10x - - [UN];
    0x7b NegInt "neg-int" F12x - - [C WA];
    0x7c NotInt "not-int" F12x - - [C WA];
    0x7d NegLong "neg-long" F12x - - [C WA W];
    0x7e NotLong "not-long" F12x - - [C WA W];
    0x7f NegFloat "neg-float" F12x - - [C WA];
    0x80 NegDouble "neg-double" F12x - - [C WA W];
    0x81 IntToLong "int-to-long" F12x - - [C WA W];
    0x82 IntToFloat "int-to-float" F12x - - [C WA];
    0x83 IntToDouble "int-to-double" F12x - - [C WA W];
    0x84 LongToInt "long-to-int" F12x - - [C WA];
    0x85 LongToFloat "long-to-float" F12x - - [C WA];
    0x86 LongToDouble "long-to-double" F12x - - [C WA W];
    0x87 FloatToInt "float-to-int" F12x - - [C WA];
    0x88 FloatToLong "float-to-long" F12x - - [C WA W];
    0x89 FloatToDouble "float-to-double" F12x - - [C WA W];
    0x8a DoubleToInt "double-to-int" F12x - - [C WA];
    0x8b DoubleToLong "double-to-long" F12x - - [C WA W];
    0x8c DoubleToFloat "double-to-float" F12x - - [C WA];
    0x8d IntToByte "int-to-byte" F12x - - [C WA];
    0x8e IntToChar "int-to-char" F12x - - [C WA];
    0x8f IntToShort "int-to-short" F12x - - [C WA];
    0x90 AddInt "add-int" F23x - - [C WA];
    0x91 SubInt "sub-int" F23x - - [C WA];
    0x92 MulInt "mul-int" F23x - - [C WA];
    0x93 DivInt "div-int" F23x - - [C T WA];
    0x94 RemInt "rem-int" F23x - - [C T WA];
    0x95 AndInt "and-int" F23x - - [C WA];
    0x96 OrInt "or-int" F23x - - [C WA];
    0x97 XorInt "xor-int" F23x - - [C WA];
    0x98 ShlInt "shl-int" F23x - - [C WA];
    0x99 ShrInt "shr-int" F23x - - [C WA];
    0x9a UshrInt "ushr-int" F23x - - [C WA];
    0x9b AddLong "add-long" F23x - - [C WA W];
    0x9c SubLong "sub-long" F23x - - [C WA W];
    0x9d MulLong "mul-long" F23x - - [C WA W];
    0x9e DivLong "div-long" F23x - - [C T WA W];
    0x9f RemLong "rem-long" F23x - - [C T WA W];
    0xa0 AndLong "and-long" F23x - - [C WA W];
    0xa1 OrLong "or-long" F23x - - [C WA W];
    0xa2 XorLong "xor-long" F23x - - [C WA W];
    0xa3 ShlLong "shl-long" F23x - - [C WA W];
    0xa4 ShrLong "shr-long" F23x - - [C WA W];
    0xa5 UshrLong "ushr-long" F23x - - [C WA W];
    0xa6 AddFloat "add-float" F23x - - [C WA];
    0xa7 SubFloat "sub-float" F23x - - [C WA];
    0xa8 MulFloat "mul-float" F23x - - [C WA];
    0xa9 DivFloat "div-float" F23x - - [C WA];
    0xaa RemFloat "rem-float" F23x - - [C WA];
    0xab AddDouble "add-double" F23x - - [C WA W];
    0xac SubDouble "sub-double" F23x - - [C WA W];
    0xad MulDouble "mul-double" F23x - - [C WA W];
    0xae DivDouble "div-double" F23x - - [C WA W];
    0xaf RemDouble "rem-double" F23x - - [C WA W];
    0xb0 AddInt2addr "add-int/2addr" F12x - - [C WA];
    0xb1 SubInt2addr "sub-int/2addr" F12x - - [C WA];
    0xb2 MulInt2addr "mul-int/2addr" F12x - - [C WA];
    0xb3 DivInt2addr "div-int/2addr" F12x - - [C T WA];
    0xb4 RemInt2addr "rem-int/2addr" F12x - - [C T WA];
    0xb5 AndInt2addr "and-int/2addr" F12x - - [C WA];
    0xb6 OrInt2addr "or-int/2addr" F12x - - [C WA];
    0xb7 XorInt2addr "xor-int/2addr" F12x - - [C WA];
    0xb8 ShlInt2addr "shl-int/2addr" F12x - - [C WA];
    0xb9 ShrInt2addr "shr-int/2addr" F12x - - [C WA];
    0xba UshrInt2addr "ushr-int/2addr" F12x - - [C WA];
    0xbb AddLong2addr "add-long/2addr" F12x - - [C WA W];
    0xbc SubLong2addr "sub-long/2addr" F12x - - [C WA W];
    0xbd MulLong2addr "mul-long/2addr" F12x - - [C WA W];
    0xbe DivLong2addr "div-long/2addr" F12x - - [C T WA W];
    0xbf RemLong2addr "rem-long/2addr" F12x - - [C T WA W];
    0xc0 AndLong2addr "and-long/2addr" F12x - - [C WA W];
    0xc1 OrLong2addr "or-long/2addr" F12x - - [C WA W];
    0xc2 XorLong2addr "xor-long/2addr" F12x - - [C WA W];
    0xc3 ShlLong2addr "shl-long/2addr" F12x - - [C WA W];
    0xc4 ShrLong2addr "shr-long/2addr" F12x - - [C WA W];
    0xc5 UshrLong2addr "ushr-long/2addr" F12x - - [C WA W];
    0xc6 AddFloat2addr "add-float/2addr" F12x - - [C WA];
    0xc7 SubFloat2addr "sub-float/2addr" F12x - - [C WA];
    0xc8 MulFloat2addr "mul-float/2addr" F12x - - [C WA];
    0xc9 DivFloat2addr "div-float/2addr" F12x - - [C WA];
    0xca RemFloat2addr "rem-float/2addr" F12x - - [C WA];
    0xcb AddDouble2addr "add-double/2addr" F12x - - [C WA W];
    0xcc SubDouble2addr "sub-double/2addr" F12x - - [C WA W];
    0xcd MulDouble2addr "mul-double/2addr" F12x - - [C WA W];
    0xce DivDouble2addr "div-double/2addr" F12x - - [C WA W];
    0xcf RemDouble2addr "rem-double/2addr" F12x - - [C WA W];
    0xd0 AddIntLit16 "add-int/lit16" F22s - - [C WA];
    0xd1 RsubInt "rsub-int" F22s - - [C WA];
    0xd2 MulIntLit16 "mul-int/lit16" F22s - - [C WA];
    0xd3 DivIntLit16 "div-int/lit16" F22s - - [C T WA];
    0xd4 RemIntLit16 "rem-int/lit16" F22s - - [C T WA];
    0xd5 AndIntLit16 "and-int/lit16" F22s - - [C WA];
    0xd6 OrIntLit16 "or-int/lit16" F22s - - [C WA];
    0xd7 XorIntLit16 "xor-int/lit16" F22s - - [C WA];
    0xd8 AddIntLit8 "add-int/lit8" F22b - - [C WA];
    0xd9 RsubIntLit8 "rsub-int/lit8" F22b - - [C WA];
    0xda MulIntLit8 "mul-int/lit8" F22b - - [C WA];
    0xdb DivIntLit8 "div-int/lit8" F22b - - [C T WA];
    0xdc RemIntLit8 "rem-int/lit8" F22b - - [C T WA];
    0xdd AndIntLit8 "and-int/lit8" F22b - - [C WA];
    0xde OrIntLit8 "or-int/lit8" F22b - - [C WA];
    0xdf XorIntLit8 "xor-int/lit8" F22b - - [C WA];
    0xe0 ShlIntLit8 "shl-int/lit8" F22b - - [C WA];
    0xe1 ShrIntLit8 "shr-int/lit8" F22b - - [C WA];
    0xe2 UshrIntLit8 "ushr-int/lit8" F22b - - [C WA];
    0xe3 IgetQuick "iget-quick" F22cs FieldOffset - [C T WA OPT];
    0xe4 IgetWideQuick "iget-wide-quick" F22cs FieldOffset - [C T WA W OPT];
    0xe5 IgetObjectQuick "iget-object-quick" F22cs FieldOffset - [C T WA OPT];
    0xe6 IputQuick "iput-quick" F22cs FieldOffset - [C T OPT];
    0xe7 IputWideQuick "iput-wide-quick" F22cs FieldOffset - [C T W OPT];
    0xe8 IputObjectQuick "iput-object-quick" F22cs FieldOffset - [C T OPT];
    0xe9 InvokeVirtualQuick "invoke-virtual-quick" F35ms VtableOffset Virtual [C T RES OPT];
    0xea InvokeVirtualRangeQuick "invoke-virtual/range-quick" F3rms VtableOffset Virtual [C T RES OPT];
    0xeb IputBooleanQuick "iput-boolean-quick" F22cs FieldOffset - [C T OPT];
    0xec IputByteQuick "iput-byte-quick" F22cs FieldOffset - [C T OPT];
    0xed IputCharQuick "iput-char-quick" F22cs FieldOffset - [C T OPT];
    0xee IputShortQuick "iput-short-quick" F22cs FieldOffset - [C T OPT];
    0xef IgetBooleanQuick "iget-boolean-quick" F22cs FieldOffset - [C T WA OPT];
    0xf0 IgetByteQuick "iget-byte-quick" F22cs FieldOffset - [C T WA OPT];
    0xf1 IgetCharQuick "iget-char-quick" F22cs FieldOffset - [C T WA OPT];
    0xf2 IgetShortQuick "iget-short-quick" F22cs FieldOffset - [C T WA OPT];
    0xf3 UnusedF3 "unused-f3" F10x - - [UN];
    0xf4 UnusedF4 "unused-f4" F10x - - [UN];
    0xf5 UnusedF5 "unused-f5" F10x - - [UN];
    0xf6 UnusedF6 "unused-f6" F10x - - [UN];
    0xf7 UnusedF7 "unused-f7" F10x - - [UN];
    0xf8 UnusedF8 "unused-f8" F10x - - [UN];
    0xf9 UnusedF9 "unused-f9" F10x - - [UN];
    0xfa InvokePolymorphic "invoke-polymorphic" F45cc Method Polymorphic [C T RES V38];
    0xfb InvokePolymorphicRange "invoke-polymorphic/range" F4rcc Method Polymorphic [C T RES V38];
    0xfc InvokeCustom "invoke-custom" F35c CallSite Custom [C T RES V38];
    0xfd InvokeCustomRange "invoke-custom/range" F3rc CallSite Custom [C T RES V38];
    0xfe ConstMethodHandle "const-method-handle" F21c MethodHandle - [C T WA V39];
    0xff ConstMethodType "const-method-type" F21c Proto - [C T WA V39];
}

// The table rows must be in opcode order: checked at compile time.
const _: () = {
    let mut i = 0;
    while i < 256 {
        assert!(BY_BYTE[i] as usize == i);
        i += 1;
    }
};

/// Per-opcode decode facts packed in one byte, for the decoder's hot path
/// (one table load instead of a `match` on the format): bits 0..=2 hold the
/// size in code units, bit 3 is set for register-list formats whose count
/// must be checked (`35c`, `35ms`, `35mi`, `45cc`).
pub(crate) static DECODE_INFO: [u8; 256] = {
    let mut out = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let f = OPCODES[i].format;
        let list = matches!(
            f,
            Format::F35c | Format::F35ms | Format::F35mi | Format::F45cc
        );
        out[i] = f.size() | if list { DECODE_LIST } else { 0 };
        i += 1;
    }
    out
};

/// [`DECODE_INFO`] bit for register-list formats.
pub(crate) const DECODE_LIST: u8 = 1 << 3;
/// [`DECODE_INFO`] mask of the size bits.
pub(crate) const DECODE_SIZE: u8 = 0b111;

impl Opcode {
    /// The opcode for a byte (every byte is an opcode, possibly `unused-xx`).
    #[inline]
    pub const fn from_u8(byte: u8) -> Opcode {
        BY_BYTE[byte as usize]
    }

    /// The opcode byte.
    #[inline]
    pub const fn byte(self) -> u8 {
        self as u8
    }

    /// This opcode's table row.
    #[inline]
    pub const fn info(self) -> &'static OpcodeInfo {
        &OPCODES[self as usize]
    }

    /// Mnemonic, spelled as AOSP `dexdump` prints it (e.g. `invoke-virtual/range`).
    #[inline]
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// Instruction format.
    #[inline]
    pub const fn format(self) -> Format {
        self.info().format
    }

    /// Size of the instruction in 16-bit code units (payloads aside).
    #[inline]
    pub const fn size(self) -> u8 {
        self.info().format.size()
    }

    /// Kind of the primary index operand, if any.
    #[inline]
    pub const fn index_kind(self) -> Option<IndexKind> {
        self.info().index
    }

    /// All properties as a flag set.
    #[inline]
    pub const fn flags(self) -> Flags {
        self.info().flags
    }

    /// Execution may branch to the target given by the offset operand
    /// (`goto*`, `if-*`; switches are reported by [`Opcode::is_switch`]).
    #[inline]
    pub const fn can_branch(self) -> bool {
        self.flags().contains(Flags::BRANCH)
    }

    /// Execution may fall through to the next instruction.
    #[inline]
    pub const fn can_continue(self) -> bool {
        self.flags().contains(Flags::CONTINUE)
    }

    /// The instruction may throw.
    #[inline]
    pub const fn can_throw(self) -> bool {
        self.flags().contains(Flags::THROW)
    }

    /// The instruction returns from the method.
    #[inline]
    pub const fn can_return(self) -> bool {
        self.flags().contains(Flags::RETURN)
    }

    /// `packed-switch` or `sparse-switch`.
    #[inline]
    pub const fn is_switch(self) -> bool {
        self.flags().contains(Flags::SWITCH)
    }

    /// An invoke of any kind (including quickened and custom).
    #[inline]
    pub const fn is_invoke(self) -> bool {
        self.info().invoke.is_some()
    }

    /// Dispatch kind, for invokes.
    #[inline]
    pub const fn invoke_kind(self) -> Option<InvokeKind> {
        self.info().invoke
    }

    /// Leaves a result for a following `move-result*`.
    #[inline]
    pub const fn sets_result(self) -> bool {
        self.flags().contains(Flags::SETS_RESULT)
    }

    /// Writes register `vA`.
    #[inline]
    pub const fn writes_a(self) -> bool {
        self.flags().contains(Flags::WRITES_A)
    }

    /// Register `vA` names a 64-bit register pair.
    #[inline]
    pub const fn is_wide_a(self) -> bool {
        self.flags().contains(Flags::WIDE_A)
    }

    /// One of the `unused-xx` opcodes.
    #[inline]
    pub const fn is_unused(self) -> bool {
        self.flags().contains(Flags::UNUSED)
    }

    /// The first DEX version that defines this opcode: 35, 38 or 39 (the
    /// quickened and unused opcodes report 35; check
    /// [`Opcode::is_optimized`] and [`Opcode::is_unused`] for those).
    #[inline]
    pub const fn min_dex_version(self) -> u16 {
        if self.flags().contains(Flags::DEX039) {
            39
        } else if self.flags().contains(Flags::DEX038) {
            38
        } else {
            35
        }
    }

    /// Only valid in optimized (quickened) code.
    #[inline]
    pub const fn is_optimized(self) -> bool {
        self.flags().contains(Flags::OPTIMIZED)
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<u8> for Opcode {
    fn from(byte: u8) -> Self {
        Opcode::from_u8(byte)
    }
}
