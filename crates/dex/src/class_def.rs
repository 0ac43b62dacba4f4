//! Class definitions (`class_def_item`).

use crate::header::NO_INDEX;

/// Size in bytes of one `class_def_item`.
pub(crate) const CLASS_DEF_SIZE: usize = 32;

/// A `class_def_item`. Optional references are `None` when the file stores
/// `NO_INDEX` (indices) or 0 (offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassDef {
    /// Position of this class def in the `class_defs` table.
    pub index: u32,
    /// Type index of the class.
    pub class_idx: u32,
    /// Access flags (`ACC_PUBLIC`, `ACC_INTERFACE`, ...).
    pub access_flags: u32,
    /// Type index of the superclass (`None` for `java.lang.Object`).
    pub superclass_idx: Option<u32>,
    /// Offset of the interfaces `type_list`.
    pub interfaces_off: Option<u32>,
    /// String index of the source file name.
    pub source_file_idx: Option<u32>,
    /// Offset of the `annotations_directory_item`.
    pub annotations_off: Option<u32>,
    /// Offset of the `class_data_item` (`None` for marker interfaces etc.).
    pub class_data_off: Option<u32>,
    /// Offset of the `encoded_array_item` of static field initial values.
    pub static_values_off: Option<u32>,
}

impl ClassDef {
    /// Decodes entry `index` from its 32 bytes.
    pub(crate) fn from_bytes(index: u32, entry: &[u8; CLASS_DEF_SIZE]) -> ClassDef {
        let words = entry.as_chunks::<4>().0;
        let w = |i: usize| words.get(i).map_or(0, |c| u32::from_le_bytes(*c));
        let idx = |v: u32| (v != NO_INDEX).then_some(v);
        let off = |v: u32| (v != 0).then_some(v);
        ClassDef {
            index,
            class_idx: w(0),
            access_flags: w(1),
            superclass_idx: idx(w(2)),
            interfaces_off: off(w(3)),
            source_file_idx: idx(w(4)),
            annotations_off: off(w(5)),
            class_data_off: off(w(6)),
            static_values_off: off(w(7)),
        }
    }
}

/// Iterator over the class defs of a file (the table was bounds-checked when
/// the file was parsed, so items cannot fail).
#[derive(Clone, Debug)]
pub struct ClassDefs<'a> {
    entries: std::iter::Enumerate<std::slice::Iter<'a, [u8; CLASS_DEF_SIZE]>>,
}

impl<'a> ClassDefs<'a> {
    pub(crate) fn new(table: &'a [u8]) -> Self {
        ClassDefs {
            entries: table.as_chunks::<CLASS_DEF_SIZE>().0.iter().enumerate(),
        }
    }
}

impl Iterator for ClassDefs<'_> {
    type Item = ClassDef;

    fn next(&mut self) -> Option<ClassDef> {
        let (i, entry) = self.entries.next()?;
        Some(ClassDef::from_bytes(
            u32::try_from(i).unwrap_or(u32::MAX),
            entry,
        ))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl ExactSizeIterator for ClassDefs<'_> {}
impl DoubleEndedIterator for ClassDefs<'_> {
    fn next_back(&mut self) -> Option<ClassDef> {
        let (i, entry) = self.entries.next_back()?;
        Some(ClassDef::from_bytes(
            u32::try_from(i).unwrap_or(u32::MAX),
            entry,
        ))
    }
}
