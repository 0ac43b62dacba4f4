//! Identifier items: protos, fields, methods, method handles and type lists.

/// A `proto_id_item`: a method prototype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtoId {
    /// String index of the shorty descriptor (e.g. `"VIL"`).
    pub shorty_idx: u32,
    /// Type index of the return type.
    pub return_type_idx: u32,
    /// Offset of the parameter `type_list`, 0 when there are no parameters.
    pub parameters_off: u32,
}

/// A `field_id_item`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldId {
    /// Type index of the defining class.
    pub class_idx: u16,
    /// Type index of the field's type.
    pub type_idx: u16,
    /// String index of the field's name.
    pub name_idx: u32,
}

/// A `method_id_item`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodId {
    /// Type index of the defining class.
    pub class_idx: u16,
    /// Proto index of the prototype.
    pub proto_idx: u16,
    /// String index of the method's name.
    pub name_idx: u32,
}

/// Kind of a method handle (`method_handle_item.method_handle_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodHandleKind {
    /// Static field setter.
    StaticPut,
    /// Static field getter.
    StaticGet,
    /// Instance field setter.
    InstancePut,
    /// Instance field getter.
    InstanceGet,
    /// Static method invoker.
    InvokeStatic,
    /// Instance method invoker.
    InvokeInstance,
    /// Constructor invoker.
    InvokeConstructor,
    /// Direct method invoker.
    InvokeDirect,
    /// Interface method invoker.
    InvokeInterface,
    /// A value this parser does not know.
    Unknown(u16),
}

impl MethodHandleKind {
    /// Maps the raw type code.
    pub fn from_raw(raw: u16) -> Self {
        match raw {
            0 => Self::StaticPut,
            1 => Self::StaticGet,
            2 => Self::InstancePut,
            3 => Self::InstanceGet,
            4 => Self::InvokeStatic,
            5 => Self::InvokeInstance,
            6 => Self::InvokeConstructor,
            7 => Self::InvokeDirect,
            8 => Self::InvokeInterface,
            other => Self::Unknown(other),
        }
    }

    /// True when `field_or_method_id` is a field index (accessor kinds).
    pub fn is_field_accessor(self) -> bool {
        matches!(
            self,
            Self::StaticPut | Self::StaticGet | Self::InstancePut | Self::InstanceGet
        )
    }
}

/// A `method_handle_item` (DEX 037+).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodHandle {
    /// What the handle does.
    pub kind: MethodHandleKind,
    /// Field index for accessors, method index for invokers.
    pub field_or_method_id: u16,
}

/// A `type_list`: a sequence of `u16` type indices (interfaces, parameters).
#[derive(Clone, Copy, Debug, Default)]
pub struct TypeList<'a> {
    entries: &'a [u8],
}

impl<'a> TypeList<'a> {
    /// Entries already bounds-checked (`2 * size` bytes).
    pub(crate) fn new(entries: &'a [u8]) -> Self {
        TypeList { entries }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len() / 2
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.len() < 2
    }

    /// The type index at `i`.
    pub fn get(&self, i: usize) -> Option<u16> {
        self.entries
            .as_chunks::<2>()
            .0
            .get(i)
            .map(|c| u16::from_le_bytes(*c))
    }

    /// Iterates over the type indices.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = u16> + 'a {
        self.entries
            .as_chunks::<2>()
            .0
            .iter()
            .map(|c| u16::from_le_bytes(*c))
    }
}
