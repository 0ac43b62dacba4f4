//! `class_data_item`: a class's fields and methods, decoded lazily.

use leakscope_bytes::Cursor;

use crate::DexError;
use crate::data::Data;

/// Whether a field is static or an instance field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Listed in `static_fields`.
    Static,
    /// Listed in `instance_fields`.
    Instance,
}

/// Whether a method is direct (static, private or constructor) or virtual.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodKind {
    /// Listed in `direct_methods`.
    Direct,
    /// Listed in `virtual_methods`.
    Virtual,
}

/// An `encoded_field` with its index already delta-decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodedField {
    /// Index into `field_ids`.
    pub field_idx: u32,
    /// Access flags.
    pub access_flags: u32,
    /// Static or instance.
    pub kind: FieldKind,
}

/// An `encoded_method` with its index already delta-decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodedMethod {
    /// Index into `method_ids`.
    pub method_idx: u32,
    /// Access flags.
    pub access_flags: u32,
    /// Offset of the `code_item`; `None` for abstract and native methods.
    pub code_off: Option<u32>,
    /// Direct or virtual.
    pub kind: MethodKind,
}

/// A `class_data_item` whose header (the four list sizes) has been read.
///
/// The lists themselves are decoded on demand by [`fields`](Self::fields) and
/// [`methods`](Self::methods).
#[derive(Clone, Copy, Debug)]
pub struct ClassData<'a> {
    data: Data<'a>,
    offset: usize,
    lists_start: usize,
    /// Number of static fields.
    pub static_fields_size: u32,
    /// Number of instance fields.
    pub instance_fields_size: u32,
    /// Number of direct methods.
    pub direct_methods_size: u32,
    /// Number of virtual methods.
    pub virtual_methods_size: u32,
}

impl<'a> ClassData<'a> {
    /// Reads the header of the `class_data_item` at `offset` and checks that
    /// the declared counts could fit in the rest of the data (each field takes
    /// at least 2 bytes, each method at least 3).
    pub(crate) fn parse(data: &'a [u8], offset: usize) -> Result<Self, DexError> {
        let mut c = Cursor::at(data, offset);
        let static_fields_size = c.uleb128("class_data static_fields_size")?;
        let instance_fields_size = c.uleb128("class_data instance_fields_size")?;
        let direct_methods_size = c.uleb128("class_data direct_methods_size")?;
        let virtual_methods_size = c.uleb128("class_data virtual_methods_size")?;
        let fields = u64::from(static_fields_size) + u64::from(instance_fields_size);
        let methods = u64::from(direct_methods_size) + u64::from(virtual_methods_size);
        if fields * 2 + methods * 3 > c.remaining() as u64 {
            return Err(DexError::CountTooLarge {
                what: "class_data_item",
                offset,
                count: fields + methods,
            });
        }
        Ok(ClassData {
            data: Data(data),
            offset,
            lists_start: c.pos(),
            static_fields_size,
            instance_fields_size,
            direct_methods_size,
            virtual_methods_size,
        })
    }

    /// Offset of the `class_data_item`.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Static fields, then instance fields.
    pub fn fields(&self) -> EncodedFields<'a> {
        EncodedFields {
            members: Members::new(
                self.data,
                self.lists_start,
                [self.static_fields_size, self.instance_fields_size],
                false,
                0,
            ),
        }
    }

    /// Direct methods, then virtual methods (the field lists are skipped
    /// first, on the first call to `next`).
    pub fn methods(&self) -> EncodedMethods<'a> {
        let skip = u64::from(self.static_fields_size) + u64::from(self.instance_fields_size);
        EncodedMethods {
            members: Members::new(
                self.data,
                self.lists_start,
                [self.direct_methods_size, self.virtual_methods_size],
                true,
                skip,
            ),
        }
    }
}

/// Shared decoder for the two pairs of delta-encoded member lists.
#[derive(Clone, Debug)]
struct Members<'a> {
    data: Data<'a>,
    /// Position of the next entry.
    pos: usize,
    /// Entries left in the current list and in the next one.
    left: [u32; 2],
    /// 0 while in the first list, 1 in the second.
    list: usize,
    /// Previous index in the current list (`None` at the start of a list).
    prev: Option<u32>,
    /// Whether entries carry a third uleb (`code_off`).
    methods: bool,
    /// Field entries to skip before the first method.
    skip: u64,
    done: bool,
}

/// One raw member: list number (0 or 1), index, access flags, code offset.
type RawMember = (usize, u32, u32, u32);

impl<'a> Members<'a> {
    fn new(data: Data<'a>, pos: usize, sizes: [u32; 2], methods: bool, skip: u64) -> Self {
        Members {
            data,
            pos,
            left: sizes,
            list: 0,
            prev: None,
            methods,
            skip,
            done: false,
        }
    }

    fn next_raw(&mut self) -> Option<Result<RawMember, DexError>> {
        if self.done {
            return None;
        }
        let r = self.step();
        if !matches!(r, Some(Ok(_))) {
            self.done = true;
        }
        r
    }

    fn step(&mut self) -> Option<Result<RawMember, DexError>> {
        let mut c = Cursor::at(self.data.0, self.pos);
        while self.skip > 0 {
            // Each skipped field consumes at least 2 bytes, so this loop ends
            // at the end of the data at the latest.
            if let Err(e) = c
                .uleb128("encoded_field field_idx_diff")
                .and_then(|_| c.uleb128("encoded_field access_flags"))
            {
                return Some(Err(e.into()));
            }
            self.skip -= 1;
        }
        self.pos = c.pos();
        while self.left.get(self.list).copied().unwrap_or(0) == 0 {
            if self.list >= 1 {
                return None;
            }
            self.list += 1;
            self.prev = None;
        }
        let what = if self.methods {
            "encoded_method"
        } else {
            "encoded_field"
        };
        let at = c.pos();
        let entry = Self::read_entry(&mut c, what, self.methods);
        let Ok((diff, flags, code)) = entry else {
            return entry.err().map(|e| Err(e.into()));
        };
        self.pos = c.pos();
        let idx = match self.prev {
            None => Some(diff),
            Some(p) => p.checked_add(diff),
        };
        let Some(idx) = idx else {
            return Some(Err(DexError::IndexOverflow { what, offset: at }));
        };
        self.prev = Some(idx);
        if let Some(left) = self.left.get_mut(self.list) {
            *left = left.saturating_sub(1);
        }
        Some(Ok((self.list, idx, flags, code)))
    }

    /// Reads `(index diff, access flags, code offset or 0)`.
    fn read_entry(
        c: &mut Cursor<'_>,
        what: &'static str,
        methods: bool,
    ) -> leakscope_bytes::Result<(u32, u32, u32)> {
        let diff = c.uleb128(what)?;
        let flags = c.uleb128(what)?;
        let code = if methods { c.uleb128(what)? } else { 0 };
        Ok((diff, flags, code))
    }

    fn remaining(&self) -> usize {
        if self.done {
            return 0;
        }
        let n = self.left.iter().map(|&n| u64::from(n)).sum::<u64>();
        usize::try_from(n).unwrap_or(usize::MAX)
    }
}

/// Iterator over a class's fields; stops after the first error.
#[derive(Clone, Debug)]
pub struct EncodedFields<'a> {
    members: Members<'a>,
}

impl Iterator for EncodedFields<'_> {
    type Item = Result<EncodedField, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(
            self.members
                .next_raw()?
                .map(|(list, field_idx, access_flags, _)| EncodedField {
                    field_idx,
                    access_flags,
                    kind: if list == 0 {
                        FieldKind::Static
                    } else {
                        FieldKind::Instance
                    },
                }),
        )
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.members.remaining().saturating_add(1)))
    }
}

/// Iterator over a class's methods; stops after the first error.
#[derive(Clone, Debug)]
pub struct EncodedMethods<'a> {
    members: Members<'a>,
}

impl Iterator for EncodedMethods<'_> {
    type Item = Result<EncodedMethod, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(
            self.members
                .next_raw()?
                .map(|(list, method_idx, access_flags, code)| EncodedMethod {
                    method_idx,
                    access_flags,
                    code_off: (code != 0).then_some(code),
                    kind: if list == 0 {
                        MethodKind::Direct
                    } else {
                        MethodKind::Virtual
                    },
                }),
        )
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.members.remaining().saturating_add(1)))
    }
}
