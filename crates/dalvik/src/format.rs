//! Instruction formats: how an instruction's code units are laid out.

use std::fmt;

/// A Dalvik instruction format, named as in the DEX "instruction formats"
/// document: the first digit is the size in code units, the second the number
/// of registers (`r` for a range), the letter the kind of extra data
/// (`x` none, `n`/`s`/`i`/`l`/`h`/`b` literal, `t` branch, `c` constant-pool
/// index, `ms`/`mi`/`cs` odex-only vtable/inline/field-offset data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `ØØ|op`
    F10x,
    /// `B|A|op` — `op vA, vB`
    F12x,
    /// `B|A|op` — `op vA, #+B`
    F11n,
    /// `AA|op` — `op vAA`
    F11x,
    /// `AA|op` — `op +AA`
    F10t,
    /// `ØØ|op AAAA` — `op +AAAA`
    F20t,
    /// `AA|op BBBB` — `op AA, kind@BBBB` (odex `throw-verification-error`)
    F20bc,
    /// `AA|op BBBB` — `op vAA, vBBBB`
    F22x,
    /// `AA|op BBBB` — `op vAA, +BBBB`
    F21t,
    /// `AA|op BBBB` — `op vAA, #+BBBB`
    F21s,
    /// `AA|op BBBB` — `op vAA, #+BBBB0000[00000000]`
    F21h,
    /// `AA|op BBBB` — `op vAA, kind@BBBB`
    F21c,
    /// `AA|op CC|BB` — `op vAA, vBB, vCC`
    F23x,
    /// `AA|op CC|BB` — `op vAA, vBB, #+CC`
    F22b,
    /// `B|A|op CCCC` — `op vA, vB, +CCCC`
    F22t,
    /// `B|A|op CCCC` — `op vA, vB, #+CCCC`
    F22s,
    /// `B|A|op CCCC` — `op vA, vB, kind@CCCC`
    F22c,
    /// `B|A|op CCCC` — `op vA, vB, fieldoff@CCCC` (quickened field access)
    F22cs,
    /// `ØØ|op AAAA BBBB` — `op vAAAA, vBBBB`
    F32x,
    /// `ØØ|op AAAAlo AAAAhi` — `op +AAAAAAAA`
    F30t,
    /// `AA|op BBBBlo BBBBhi` — `op vAA, +BBBBBBBB` (payload offset)
    F31t,
    /// `AA|op BBBBlo BBBBhi` — `op vAA, #+BBBBBBBB`
    F31i,
    /// `AA|op BBBBlo BBBBhi` — `op vAA, kind@BBBBBBBB`
    F31c,
    /// `A|G|op BBBB F|E|D|C` — `op {vC, vD, vE, vF, vG}, kind@BBBB`
    F35c,
    /// `A|G|op BBBB F|E|D|C` — `op {vC..vG}, vtable@BBBB` (quickened invoke)
    F35ms,
    /// `A|G|op BBBB F|E|D|C` — `op {vC..vG}, inline@BBBB` (odex inline call)
    F35mi,
    /// `AA|op BBBB CCCC` — `op {vCCCC .. vNNNN}, kind@BBBB`
    F3rc,
    /// `AA|op BBBB CCCC` — `op {vCCCC .. vNNNN}, vtable@BBBB`
    F3rms,
    /// `AA|op BBBB CCCC` — `op {vCCCC .. vNNNN}, inline@BBBB`
    F3rmi,
    /// `A|G|op BBBB F|E|D|C HHHH` — `op {vC..vG}, meth@BBBB, proto@HHHH`
    F45cc,
    /// `AA|op BBBB CCCC HHHH` — `op {vCCCC .. vNNNN}, meth@BBBB, proto@HHHH`
    F4rcc,
    /// `AA|op BBBBlo BBBB BBBB BBBBhi` — `op vAA, #+BBBBBBBBBBBBBBBB`
    F51l,
}

impl Format {
    /// Size of an instruction of this format, in 16-bit code units.
    pub const fn size(self) -> u8 {
        match self {
            Format::F10x | Format::F12x | Format::F11n | Format::F11x | Format::F10t => 1,
            Format::F20t
            | Format::F20bc
            | Format::F22x
            | Format::F21t
            | Format::F21s
            | Format::F21h
            | Format::F21c
            | Format::F23x
            | Format::F22b
            | Format::F22t
            | Format::F22s
            | Format::F22c
            | Format::F22cs => 2,
            Format::F32x
            | Format::F30t
            | Format::F31t
            | Format::F31i
            | Format::F31c
            | Format::F35c
            | Format::F35ms
            | Format::F35mi
            | Format::F3rc
            | Format::F3rms
            | Format::F3rmi => 3,
            Format::F45cc | Format::F4rcc => 4,
            Format::F51l => 5,
        }
    }

    /// The format's name as written in the DEX documentation, e.g. `"35c"`.
    pub const fn name(self) -> &'static str {
        match self {
            Format::F10x => "10x",
            Format::F12x => "12x",
            Format::F11n => "11n",
            Format::F11x => "11x",
            Format::F10t => "10t",
            Format::F20t => "20t",
            Format::F20bc => "20bc",
            Format::F22x => "22x",
            Format::F21t => "21t",
            Format::F21s => "21s",
            Format::F21h => "21h",
            Format::F21c => "21c",
            Format::F23x => "23x",
            Format::F22b => "22b",
            Format::F22t => "22t",
            Format::F22s => "22s",
            Format::F22c => "22c",
            Format::F22cs => "22cs",
            Format::F32x => "32x",
            Format::F30t => "30t",
            Format::F31t => "31t",
            Format::F31i => "31i",
            Format::F31c => "31c",
            Format::F35c => "35c",
            Format::F35ms => "35ms",
            Format::F35mi => "35mi",
            Format::F3rc => "3rc",
            Format::F3rms => "3rms",
            Format::F3rmi => "3rmi",
            Format::F45cc => "45cc",
            Format::F4rcc => "4rcc",
            Format::F51l => "51l",
        }
    }

    /// Every format, in documentation order.
    pub const ALL: [Format; 32] = [
        Format::F10x,
        Format::F12x,
        Format::F11n,
        Format::F11x,
        Format::F10t,
        Format::F20t,
        Format::F20bc,
        Format::F22x,
        Format::F21t,
        Format::F21s,
        Format::F21h,
        Format::F21c,
        Format::F23x,
        Format::F22b,
        Format::F22t,
        Format::F22s,
        Format::F22c,
        Format::F22cs,
        Format::F32x,
        Format::F30t,
        Format::F31t,
        Format::F31i,
        Format::F31c,
        Format::F35c,
        Format::F35ms,
        Format::F35mi,
        Format::F3rc,
        Format::F3rms,
        Format::F3rmi,
        Format::F45cc,
        Format::F4rcc,
        Format::F51l,
    ];
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
