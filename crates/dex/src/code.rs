//! `code_item`: a method's registers, instructions and exception handlers.

use leakscope_bytes::{Bytes, Cursor};

use crate::DexError;
use crate::data::Data;

/// Size in bytes of one `try_item`.
const TRY_ITEM_SIZE: usize = 8;

/// A `code_item`. The instruction array is borrowed, not decoded.
#[derive(Clone, Copy, Debug)]
pub struct CodeItem<'a> {
    data: Data<'a>,
    offset: usize,
    tries: &'a [u8],
    handlers_start: usize,
    /// Number of registers used by the method.
    pub registers_size: u16,
    /// Number of words of incoming arguments.
    pub ins_size: u16,
    /// Number of words of outgoing argument space needed for invocations.
    pub outs_size: u16,
    /// Number of `try_item`s.
    pub tries_size: u16,
    /// Offset of the `debug_info_item`, 0 when absent.
    pub debug_info_off: u32,
    /// Size of the instruction array in 16-bit code units.
    pub insns_size: u32,
    /// The instruction array: exactly `insns_size * 2` bytes, little-endian
    /// code units.
    pub insns: &'a [u8],
}

impl<'a> CodeItem<'a> {
    /// Reads the `code_item` at `offset`, checking that the instructions and
    /// try items fit in the data. Handlers are read lazily.
    pub(crate) fn parse(data: &'a [u8], offset: usize) -> Result<Self, DexError> {
        let b = Bytes::new(data);
        let at = |rel: usize| offset.saturating_add(rel);
        let registers_size = b.u16(at(0), "code_item registers_size")?;
        let ins_size = b.u16(at(2), "code_item ins_size")?;
        let outs_size = b.u16(at(4), "code_item outs_size")?;
        let tries_size = b.u16(at(6), "code_item tries_size")?;
        let debug_info_off = b.u32(at(8), "code_item debug_info_off")?;
        let insns_size = b.u32(at(12), "code_item insns_size")?;
        let insns_len = usize::try_from(u64::from(insns_size) * 2).unwrap_or(usize::MAX);
        let insns = b.slice(at(16), insns_len, "code_item insns")?;
        let mut tries_at = at(16).saturating_add(insns_len);
        if tries_size != 0 && insns_size % 2 == 1 {
            tries_at = tries_at.saturating_add(2);
        }
        let tries_len = usize::from(tries_size) * TRY_ITEM_SIZE;
        let tries = b.slice(tries_at, tries_len, "code_item tries")?;
        Ok(CodeItem {
            data: Data(data),
            offset,
            tries,
            handlers_start: tries_at.saturating_add(tries_len),
            registers_size,
            ins_size,
            outs_size,
            tries_size,
            debug_info_off,
            insns_size,
            insns,
        })
    }

    /// Offset of this `code_item`.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Offset of the first instruction (for reporting locations).
    pub fn insns_offset(&self) -> usize {
        self.offset.saturating_add(16)
    }

    /// The try items (bounds were checked by [`DexFile::code_item`](crate::DexFile::code_item)).
    pub fn tries(&self) -> TryItems<'a> {
        TryItems {
            entries: self.tries.as_chunks::<TRY_ITEM_SIZE>().0.iter(),
        }
    }

    /// Offset of the `encoded_catch_handler_list` (only meaningful when
    /// `tries_size` is not 0).
    pub fn handlers_offset(&self) -> usize {
        self.handlers_start
    }

    /// Number of handlers in the `encoded_catch_handler_list`.
    pub fn handlers_list_size(&self) -> Result<u32, DexError> {
        if self.tries_size == 0 {
            return Ok(0);
        }
        Ok(Cursor::at(self.data.0, self.handlers_start)
            .uleb128("encoded_catch_handler_list size")?)
    }

    /// The handler at byte offset `handler_off` from the start of the
    /// `encoded_catch_handler_list` (as stored in [`TryItem::handler_off`]),
    /// decoded on its own; [`try_blocks`](Self::try_blocks) is cheaper for
    /// walking all try items.
    pub fn catch_handler(&self, handler_off: u16) -> Result<CatchHandler<'a>, DexError> {
        CatchHandler::parse(
            self.data.0,
            self.handlers_start.saturating_add(usize::from(handler_off)),
        )
    }

    /// Each try item with its handler.
    ///
    /// The handler list is decoded once, sequentially (as ART's verifier
    /// does), and every try item is matched against the handlers found, so
    /// the cost is linear in the size of the code item even when thousands of
    /// try items share one huge handler. A try item whose `handler_off` is not
    /// the start of a handler (invalid in ART) yields an error item and the
    /// iteration continues with the next try item.
    pub fn try_blocks(&self) -> TryBlocks<'a> {
        let (handlers, list_error) = self.decode_handler_list();
        TryBlocks {
            tries: self.tries(),
            handlers,
            list_error,
            handlers_start: self.handlers_start,
        }
    }

    /// Decodes the handlers of the `encoded_catch_handler_list` that try
    /// items can reach (`handler_off` is a `u16`, so those starting within
    /// 64 KiB of the list). Returns them sorted by offset, and the error that
    /// stopped the decoding, if any.
    fn decode_handler_list(&self) -> (Vec<CatchHandler<'a>>, Option<DexError>) {
        if self.tries_size == 0 {
            return (Vec::new(), None);
        }
        let mut c = Cursor::at(self.data.0, self.handlers_start);
        let size = match c.uleb128("encoded_catch_handler_list size") {
            Ok(size) => size,
            Err(e) => return (Vec::new(), Some(e.into())),
        };
        // Valid files have at most one handler per try item.
        let mut handlers = Vec::with_capacity(size.min(u32::from(self.tries_size)) as usize);
        for _ in 0..size {
            // Every handler takes at least one byte, so this loop runs at most
            // 64 Ki times.
            if c.pos().saturating_sub(self.handlers_start) > usize::from(u16::MAX) {
                break;
            }
            match CatchHandler::parse(self.data.0, c.pos()) {
                Ok(h) => {
                    c.seek(h.end);
                    handlers.push(h);
                }
                Err(e) => return (handlers, Some(e)),
            }
        }
        (handlers, None)
    }
}

/// Iterator returned by [`CodeItem::try_blocks`].
#[derive(Clone, Debug)]
pub struct TryBlocks<'a> {
    tries: TryItems<'a>,
    handlers: Vec<CatchHandler<'a>>,
    list_error: Option<DexError>,
    handlers_start: usize,
}

impl<'a> Iterator for TryBlocks<'a> {
    type Item = Result<TryBlock<'a>, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let try_item = self.tries.next()?;
        let offset = self
            .handlers_start
            .saturating_add(usize::from(try_item.handler_off));
        let found = self.handlers.binary_search_by_key(&offset, |h| h.offset);
        Some(match found.ok().and_then(|i| self.handlers.get(i)) {
            Some(&handler) => Ok(TryBlock { try_item, handler }),
            None => Err(self
                .list_error
                .unwrap_or(DexError::BadHandlerOffset { offset })),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.tries.size_hint()
    }
}

impl ExactSizeIterator for TryBlocks<'_> {}

/// A `try_item`: a range of code units covered by a handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TryItem {
    /// First covered code unit.
    pub start_addr: u32,
    /// Number of covered code units.
    pub insn_count: u16,
    /// Byte offset of the handler from the start of the handler list.
    pub handler_off: u16,
}

impl TryItem {
    /// One past the last covered code unit.
    pub fn end_addr(&self) -> u64 {
        u64::from(self.start_addr) + u64::from(self.insn_count)
    }
}

/// Iterator over the try items of a code item.
#[derive(Clone, Debug)]
pub struct TryItems<'a> {
    entries: std::slice::Iter<'a, [u8; TRY_ITEM_SIZE]>,
}

impl Iterator for TryItems<'_> {
    type Item = TryItem;

    fn next(&mut self) -> Option<TryItem> {
        let e = self.entries.next()?;
        let [a0, a1, a2, a3, c0, c1, h0, h1] = *e;
        Some(TryItem {
            start_addr: u32::from_le_bytes([a0, a1, a2, a3]),
            insn_count: u16::from_le_bytes([c0, c1]),
            handler_off: u16::from_le_bytes([h0, h1]),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl ExactSizeIterator for TryItems<'_> {}

/// A try item together with its decoded handler.
#[derive(Clone, Copy, Debug)]
pub struct TryBlock<'a> {
    /// The covered range.
    pub try_item: TryItem,
    /// What catches exceptions thrown in it.
    pub handler: CatchHandler<'a>,
}

/// One typed clause of a handler: exceptions of `type_idx` go to `addr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatchClause {
    /// Type index of the caught exception class.
    pub type_idx: u32,
    /// Code unit address of the handler.
    pub addr: u32,
}

/// An `encoded_catch_handler`: typed clauses, then an optional catch-all.
#[derive(Clone, Copy, Debug)]
pub struct CatchHandler<'a> {
    data: Data<'a>,
    offset: usize,
    clauses_start: usize,
    clause_count: u32,
    end: usize,
    /// Address of the catch-all handler, if any.
    pub catch_all_addr: Option<u32>,
}

impl<'a> CatchHandler<'a> {
    /// Reads the handler at `offset`, decoding its clauses once to find the
    /// catch-all address (linear in the size of the handler).
    pub(crate) fn parse(data: &'a [u8], offset: usize) -> Result<Self, DexError> {
        let mut c = Cursor::at(data, offset);
        let size = c.sleb128("encoded_catch_handler size")?;
        let clause_count = size.unsigned_abs();
        if u64::from(clause_count) * 2 > c.remaining() as u64 {
            return Err(DexError::CountTooLarge {
                what: "encoded_catch_handler",
                offset,
                count: u64::from(clause_count),
            });
        }
        let clauses_start = c.pos();
        for _ in 0..clause_count {
            c.uleb128("encoded_type_addr_pair type_idx")?;
            c.uleb128("encoded_type_addr_pair addr")?;
        }
        let catch_all_addr = if size <= 0 {
            Some(c.uleb128("encoded_catch_handler catch_all_addr")?)
        } else {
            None
        };
        Ok(CatchHandler {
            data: Data(data),
            offset,
            clauses_start,
            clause_count,
            end: c.pos(),
            catch_all_addr,
        })
    }

    /// Offset of this handler.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Number of typed clauses.
    pub fn clause_count(&self) -> u32 {
        self.clause_count
    }

    /// The typed clauses, in order (already validated by `parse`).
    pub fn clauses(&self) -> CatchClauses<'a> {
        CatchClauses {
            data: self.data,
            pos: self.clauses_start,
            left: self.clause_count,
        }
    }
}

/// Iterator over the typed clauses of a handler (validated when the handler
/// was read, so items cannot fail).
#[derive(Clone, Debug)]
pub struct CatchClauses<'a> {
    data: Data<'a>,
    pos: usize,
    left: u32,
}

impl Iterator for CatchClauses<'_> {
    type Item = CatchClause;

    fn next(&mut self) -> Option<CatchClause> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let mut c = Cursor::at(self.data.0, self.pos);
        let clause = c.uleb128("type_idx").and_then(|type_idx| {
            Ok(CatchClause {
                type_idx,
                addr: c.uleb128("addr")?,
            })
        });
        self.pos = c.pos();
        if clause.is_err() {
            self.left = 0;
        }
        clause.ok()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::try_from(self.left).unwrap_or(usize::MAX)))
    }
}
