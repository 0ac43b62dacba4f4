//! `debug_info_item`: line numbers and local variables of a method.
//!
//! The item is a small header (`line_start`, parameter names) followed by a
//! byte-code for a state machine. [`DebugInfo::events`] yields the decoded
//! opcodes; [`DebugInfo::positions`] and [`DebugInfo::locals`] run the state
//! machine the way ART's `DecodeDebugPositionInfo` and
//! `DecodeDebugLocalInfo` do, so that their output is what `dexdump` prints
//! in a method's `positions :` and `locals :` sections.
//!
//! Every step consumes at least one byte, so a walk ends after at most as
//! many steps as the item has bytes; arithmetic on addresses and lines wraps
//! like ART's unsigned 32-bit counters.

use leakscope_bytes::Cursor;

use crate::data::Data;
use crate::{CodeItem, DexError, DexFile, NO_INDEX};

const DBG_END_SEQUENCE: u8 = 0x00;
const DBG_ADVANCE_PC: u8 = 0x01;
const DBG_ADVANCE_LINE: u8 = 0x02;
const DBG_START_LOCAL: u8 = 0x03;
const DBG_START_LOCAL_EXTENDED: u8 = 0x04;
const DBG_END_LOCAL: u8 = 0x05;
const DBG_RESTART_LOCAL: u8 = 0x06;
const DBG_SET_PROLOGUE_END: u8 = 0x07;
const DBG_SET_EPILOGUE_BEGIN: u8 = 0x08;
const DBG_SET_FILE: u8 = 0x09;
const DBG_FIRST_SPECIAL: u8 = 0x0a;
const DBG_LINE_BASE: i32 = -4;
const DBG_LINE_RANGE: u8 = 15;

/// Converts a `uleb128p1` index to `None` for `NO_INDEX` (-1).
fn index_p1(v: i64) -> Option<u32> {
    u32::try_from(v).ok().filter(|&v| v != NO_INDEX)
}

/// A parsed `debug_info_item` header; the opcodes are decoded on demand.
#[derive(Clone, Copy, Debug)]
pub struct DebugInfo<'a> {
    data: Data<'a>,
    offset: usize,
    /// Initial value of the line register.
    pub line_start: u32,
    /// Number of parameter names in the header.
    pub parameters_size: u32,
    params_at: usize,
    ops_at: usize,
}

/// One decoded debug opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DebugEvent {
    /// `DBG_END_SEQUENCE`.
    EndSequence,
    /// `DBG_ADVANCE_PC`: add to the address register.
    AdvancePc(u32),
    /// `DBG_ADVANCE_LINE`: add to the line register.
    AdvanceLine(i32),
    /// `DBG_START_LOCAL` / `DBG_START_LOCAL_EXTENDED` (with a signature).
    StartLocal {
        /// Register that holds the variable.
        reg: u32,
        /// String index of the name.
        name_idx: Option<u32>,
        /// Type index of the type.
        type_idx: Option<u32>,
        /// String index of the generic signature (extended form only).
        sig_idx: Option<u32>,
    },
    /// `DBG_END_LOCAL`.
    EndLocal(u32),
    /// `DBG_RESTART_LOCAL`.
    RestartLocal(u32),
    /// `DBG_SET_PROLOGUE_END`.
    SetPrologueEnd,
    /// `DBG_SET_EPILOGUE_BEGIN`.
    SetEpilogueBegin,
    /// `DBG_SET_FILE`: string index of the source file name.
    SetFile(Option<u32>),
    /// A special opcode: advances address and line, then emits a position.
    Special {
        /// The raw opcode (`>= 0x0a`).
        opcode: u8,
        /// Address increment.
        address_delta: u32,
        /// Line increment.
        line_delta: i32,
    },
}

/// A line-table entry (one `0x%04x line=%d` line of `dexdump`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Code-unit address.
    pub address: u32,
    /// Line number (ART keeps it as a wrapping 32-bit counter).
    pub line: u32,
    /// String index of the current source file, if one was set.
    pub source_file_idx: Option<u32>,
    /// `DBG_SET_PROLOGUE_END` came before this entry.
    pub prologue_end: bool,
    /// `DBG_SET_EPILOGUE_BEGIN` came before this entry.
    pub epilogue_begin: bool,
}

/// A local variable's live range (one line of `dexdump`'s `locals :`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalVar {
    /// Register.
    pub reg: u16,
    /// First code-unit address where it is live.
    pub start: u32,
    /// Address where it stops being live (exclusive).
    pub end: u32,
    /// String index of the name (`None`: no name, `dexdump` prints `(null)`).
    pub name: Option<LocalName>,
    /// Type index of its type.
    pub type_idx: Option<u32>,
    /// String index of its generic signature.
    pub sig_idx: Option<u32>,
}

/// The name of a [`LocalVar`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalName {
    /// The implicit `this` of an instance method.
    This,
    /// A string index.
    String(u32),
}

impl<'a> DebugInfo<'a> {
    /// Reads the header of the `debug_info_item` at `offset`.
    pub(crate) fn parse(data: &'a [u8], offset: usize) -> Result<Self, DexError> {
        let mut c = Cursor::at(data, offset);
        let line_start = c.uleb128("debug_info line_start")?;
        let parameters_size = c.uleb128("debug_info parameters_size")?;
        let params_at = c.pos();
        for _ in 0..parameters_size {
            // Each name takes at least one byte, so this loop is bounded by
            // the input: it fails at the end of the data.
            c.uleb128("debug_info parameter_names")?;
        }
        Ok(DebugInfo {
            data: Data(data),
            offset,
            line_start,
            parameters_size,
            params_at,
            ops_at: c.pos(),
        })
    }

    /// Offset of this item.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// String indexes of the parameter names (`None` for an unnamed one).
    pub fn parameter_names(&self) -> impl Iterator<Item = Option<u32>> + 'a {
        let mut c = Cursor::at(self.data.0, self.params_at);
        // Already read once by `parse`, so these reads succeed.
        (0..self.parameters_size)
            .map_while(move |_| c.uleb128p1("debug_info parameter_names").ok().map(index_p1))
    }

    /// The opcodes, up to and including `DBG_END_SEQUENCE`. Stops after
    /// the first error (data ends before the sequence does).
    pub fn events(&self) -> DebugEvents<'a> {
        DebugEvents {
            cursor: Cursor::at(self.data.0, self.ops_at),
            done: false,
        }
    }

    /// The line table, as ART's `DecodeDebugPositionInfo` gives it.
    pub fn positions(&self) -> Positions<'a> {
        Positions {
            events: self.events(),
            state: Position {
                address: 0,
                line: self.line_start,
                source_file_idx: None,
                prologue_end: false,
                epilogue_begin: false,
            },
        }
    }

    /// The local variables, in the order ART's `DecodeDebugLocalInfo`
    /// reports them (and `dexdump` prints them): each range when it ends,
    /// then those still live at the end, by register.
    ///
    /// `code` is the method's code item and `method_idx` its method id
    /// (for the type of `this` and of the parameters); `is_static` is from
    /// the method's access flags. On an invalid stream (a register out of
    /// range, more parameters than registers) the iterator yields an error
    /// after the ranges ART would have reported before stopping.
    pub fn locals(
        &self,
        dex: &DexFile<'a>,
        code: &CodeItem<'_>,
        method_idx: u32,
        is_static: bool,
    ) -> Locals<'a> {
        let mut locals = Locals {
            events: self.events(),
            registers: code.registers_size,
            insns_size: code.insns_size,
            address: 0,
            live: Vec::new(),
            flush: Vec::new().into_iter(),
            pending_error: None,
            done: false,
        };
        if let Err(e) = locals.init(dex, self, code, method_idx, is_static) {
            locals.pending_error = Some(e);
        }
        locals
    }
}

/// Iterator over the opcodes of a [`DebugInfo`].
#[derive(Clone, Debug)]
pub struct DebugEvents<'a> {
    cursor: Cursor<'a>,
    done: bool,
}

impl DebugEvents<'_> {
    fn read(&mut self) -> Result<DebugEvent, DexError> {
        let c = &mut self.cursor;
        let opcode = c.u8("debug_info opcode")?;
        Ok(match opcode {
            DBG_END_SEQUENCE => DebugEvent::EndSequence,
            DBG_ADVANCE_PC => DebugEvent::AdvancePc(c.uleb128("debug_info addr_diff")?),
            DBG_ADVANCE_LINE => DebugEvent::AdvanceLine(c.sleb128("debug_info line_diff")?),
            DBG_START_LOCAL | DBG_START_LOCAL_EXTENDED => {
                let reg = c.uleb128("debug_info register_num")?;
                let name_idx = index_p1(c.uleb128p1("debug_info name_idx")?);
                let type_idx = index_p1(c.uleb128p1("debug_info type_idx")?);
                let sig_idx = if opcode == DBG_START_LOCAL_EXTENDED {
                    index_p1(c.uleb128p1("debug_info sig_idx")?)
                } else {
                    None
                };
                DebugEvent::StartLocal {
                    reg,
                    name_idx,
                    type_idx,
                    sig_idx,
                }
            }
            DBG_END_LOCAL => DebugEvent::EndLocal(c.uleb128("debug_info register_num")?),
            DBG_RESTART_LOCAL => DebugEvent::RestartLocal(c.uleb128("debug_info register_num")?),
            DBG_SET_PROLOGUE_END => DebugEvent::SetPrologueEnd,
            DBG_SET_EPILOGUE_BEGIN => DebugEvent::SetEpilogueBegin,
            DBG_SET_FILE => DebugEvent::SetFile(index_p1(c.uleb128p1("debug_info name_idx")?)),
            _ => {
                let adjusted = opcode.saturating_sub(DBG_FIRST_SPECIAL);
                DebugEvent::Special {
                    opcode,
                    address_delta: u32::from(adjusted / DBG_LINE_RANGE),
                    line_delta: DBG_LINE_BASE + i32::from(adjusted % DBG_LINE_RANGE),
                }
            }
        })
    }
}

impl Iterator for DebugEvents<'_> {
    type Item = Result<DebugEvent, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let event = self.read();
        if matches!(event, Ok(DebugEvent::EndSequence) | Err(_)) {
            self.done = true;
        }
        Some(event)
    }
}

/// Iterator over the line table of a [`DebugInfo`].
#[derive(Clone, Debug)]
pub struct Positions<'a> {
    events: DebugEvents<'a>,
    state: Position,
}

impl Iterator for Positions<'_> {
    type Item = Result<Position, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let event = match self.events.next()? {
                Ok(e) => e,
                Err(e) => return Some(Err(e)),
            };
            let s = &mut self.state;
            match event {
                DebugEvent::EndSequence => return None,
                DebugEvent::AdvancePc(d) => s.address = s.address.wrapping_add(d),
                DebugEvent::AdvanceLine(d) => s.line = s.line.wrapping_add_signed(d),
                DebugEvent::SetPrologueEnd => s.prologue_end = true,
                DebugEvent::SetEpilogueBegin => s.epilogue_begin = true,
                DebugEvent::SetFile(f) => s.source_file_idx = f,
                DebugEvent::Special {
                    address_delta,
                    line_delta,
                    ..
                } => {
                    s.address = s.address.wrapping_add(address_delta);
                    s.line = s.line.wrapping_add_signed(line_delta);
                    let out = *s;
                    s.prologue_end = false;
                    s.epilogue_begin = false;
                    return Some(Ok(out));
                }
                DebugEvent::StartLocal { .. }
                | DebugEvent::EndLocal(_)
                | DebugEvent::RestartLocal(_) => {}
            }
        }
    }
}

/// A register's current local, while the state machine runs.
#[derive(Clone, Copy, Debug)]
struct Slot {
    var: LocalVar,
    live: bool,
}

/// Iterator over the local variables of a [`DebugInfo`].
#[derive(Clone, Debug)]
pub struct Locals<'a> {
    events: DebugEvents<'a>,
    registers: u16,
    insns_size: u32,
    address: u32,
    /// Slots indexed by register, grown on demand up to the highest
    /// register used (at most `registers_size`, a `u16`).
    live: Vec<Option<Slot>>,
    flush: std::vec::IntoIter<LocalVar>,
    pending_error: Option<DexError>,
    done: bool,
}

impl<'a> Locals<'a> {
    fn bad(&self, reason: &'static str) -> DexError {
        DexError::BadDebugInfo {
            offset: self.events.cursor.pos(),
            reason,
        }
    }

    /// Sets up `this` and the parameters from the header, as ART does.
    fn init(
        &mut self,
        dex: &DexFile<'a>,
        info: &DebugInfo<'a>,
        code: &CodeItem<'_>,
        method_idx: u32,
        is_static: bool,
    ) -> Result<(), DexError> {
        let id = dex.method_id(method_idx)?;
        let mut arg_reg = u32::from(code.registers_size.wrapping_sub(code.ins_size));
        let registers = u32::from(code.registers_size);
        if !is_static {
            if arg_reg >= registers {
                return Err(self.bad("`this` register out of range"));
            }
            self.set(
                arg_reg,
                Some(LocalName::This),
                Some(u32::from(id.class_idx)),
                None,
            );
            arg_reg = arg_reg.saturating_add(1);
        }
        let proto = dex.proto_id(u32::from(id.proto_idx))?;
        let params = dex.proto_parameters(&proto)?;
        let mut names = info.parameter_names();
        for ty in params.iter().take(info.parameters_size as usize) {
            if arg_reg >= registers {
                return Err(self.bad("parameter register out of range"));
            }
            let name = names.next().flatten().map(LocalName::String);
            self.set(arg_reg, name, Some(u32::from(ty)), None);
            let wide = matches!(
                dex.type_descriptor(u32::from(ty))?.first(),
                Some(b'J' | b'D')
            );
            arg_reg = arg_reg.saturating_add(if wide { 2 } else { 1 });
        }
        Ok(())
    }

    fn slot(&mut self, reg: u32) -> Option<&mut Slot> {
        self.live.get_mut(reg as usize).and_then(Option::as_mut)
    }

    /// Starts a variable in `reg` (already checked to be in range).
    fn set(&mut self, reg: u32, name: Option<LocalName>, type_idx: Option<u32>, sig: Option<u32>) {
        let var = LocalVar {
            reg: u16::try_from(reg).unwrap_or(u16::MAX),
            start: self.address,
            end: self.address,
            name,
            type_idx,
            sig_idx: sig,
        };
        let i = usize::from(var.reg);
        if self.live.len() <= i {
            // `reg` was checked against `registers_size`, so this stays
            // below 65536 entries.
            self.live.resize(i.saturating_add(1), None);
        }
        if let Some(s) = self.live.get_mut(i) {
            *s = Some(Slot { var, live: true });
        }
    }

    fn check_reg(&self, reg: u32) -> Result<(), DexError> {
        if reg >= u32::from(self.registers) {
            Err(self.bad("register out of range"))
        } else {
            Ok(())
        }
    }

    /// Runs the state machine to the next reported range.
    fn step(&mut self) -> Result<Option<LocalVar>, DexError> {
        loop {
            let Some(event) = self.events.next() else {
                return Ok(None);
            };
            match event? {
                DebugEvent::EndSequence => {
                    let end = self.insns_size;
                    let rest: Vec<LocalVar> = self
                        .live
                        .iter()
                        .flatten()
                        .filter(|s| s.live)
                        .map(|s| LocalVar { end, ..s.var })
                        .collect();
                    self.flush = rest.into_iter();
                    return Ok(None);
                }
                DebugEvent::AdvancePc(d) => self.address = self.address.wrapping_add(d),
                DebugEvent::Special { address_delta, .. } => {
                    self.address = self.address.wrapping_add(address_delta);
                }
                DebugEvent::StartLocal {
                    reg,
                    name_idx,
                    type_idx,
                    sig_idx,
                } => {
                    self.check_reg(reg)?;
                    let address = self.address;
                    let previous = self.slot(reg).filter(|s| s.live).map(|s| LocalVar {
                        end: address,
                        ..s.var
                    });
                    self.set(reg, name_idx.map(LocalName::String), type_idx, sig_idx);
                    if previous.is_some() {
                        return Ok(previous);
                    }
                }
                DebugEvent::EndLocal(reg) => {
                    self.check_reg(reg)?;
                    let address = self.address;
                    if let Some(s) = self.slot(reg).filter(|s| s.live) {
                        s.live = false;
                        s.var.end = address;
                        return Ok(Some(s.var));
                    }
                }
                DebugEvent::RestartLocal(reg) => {
                    self.check_reg(reg)?;
                    let address = self.address;
                    match self.slot(reg) {
                        Some(s) if !s.live => {
                            s.live = true;
                            s.var.start = address;
                        }
                        Some(_) => {}
                        None => {
                            // ART restarts an empty slot: no name, no type.
                            self.set(reg, None, None, None);
                        }
                    }
                }
                DebugEvent::AdvanceLine(_)
                | DebugEvent::SetPrologueEnd
                | DebugEvent::SetEpilogueBegin
                | DebugEvent::SetFile(_) => {}
            }
        }
    }
}

impl Iterator for Locals<'_> {
    type Item = Result<LocalVar, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(v) = self.flush.next() {
            return Some(Ok(v));
        }
        if self.done {
            return None;
        }
        if let Some(e) = self.pending_error.take() {
            self.done = true;
            return Some(Err(e));
        }
        match self.step() {
            Ok(Some(v)) => Some(Ok(v)),
            Ok(None) => {
                self.done = true;
                self.flush.next().map(Ok)
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(bytes: &[u8]) -> DebugInfo<'_> {
        DebugInfo::parse(bytes, 0).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn header_and_positions() {
        // line_start=10, 2 params (names 5 and none), then:
        // special 0x0e (addr+0, line+0), ADVANCE_PC 3, ADVANCE_LINE -2,
        // SET_PROLOGUE_END, special 0x1f (addr+1, line+2), SET_FILE 7, END.
        let bytes = [
            10, 2, 6, 0, 0x0e, 0x01, 3, 0x02, 0x7e, 0x07, 0x1f, 0x09, 8, 0x00, 0xff,
        ];
        let d = info(&bytes);
        assert_eq!((d.line_start, d.parameters_size), (10, 2));
        assert_eq!(d.parameter_names().collect::<Vec<_>>(), [Some(5), None]);
        let p: Vec<_> = d
            .positions()
            .map(|p| p.map(|p| (p.address, p.line)))
            .collect();
        assert_eq!(p, [Ok((0, 10)), Ok((4, 10))]);
        let with_flag: Vec<_> = d.positions().map(|p| p.map(|p| p.prologue_end)).collect();
        assert_eq!(with_flag, [Ok(false), Ok(true)]);
        // The event stream stops at END_SEQUENCE (the trailing 0xff is not read).
        assert_eq!(d.events().count(), 7);
        assert_eq!(d.events().last(), Some(Ok(DebugEvent::EndSequence)));
    }

    #[test]
    fn truncated_stream_yields_one_error() {
        // START_LOCAL with its operands cut off.
        let bytes = [1, 0, 0x03, 0x80];
        let d = info(&bytes);
        let events: Vec<_> = d.events().collect();
        assert_eq!(events.len(), 1);
        assert!(events[0].is_err());
        assert!(d.positions().next().is_some_and(|p| p.is_err()));
        // A header whose parameter count exceeds the data fails to parse.
        assert!(DebugInfo::parse(&[1, 0xff, 0xff, 0x03], 0).is_err());
    }

    #[test]
    fn wrapping_arithmetic() {
        // ADVANCE_PC by u32::MAX twice, ADVANCE_LINE by i32::MIN, special.
        let bytes = [
            0, 0, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x02,
            0x80, 0x80, 0x80, 0x80, 0x78, 0x0a, 0x00,
        ];
        let p: Vec<_> = info(&bytes).positions().collect();
        assert_eq!(p.len(), 1);
        let p = p[0].unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.address, u32::MAX.wrapping_add(u32::MAX));
        assert_eq!(
            p.line,
            0u32.wrapping_add_signed(i32::MIN).wrapping_add_signed(-4)
        );
    }
}
