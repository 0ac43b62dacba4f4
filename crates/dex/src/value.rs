//! `encoded_value`, `encoded_array` and `encoded_annotation`, decoded lazily,
//! and call sites (which are encoded arrays).

use leakscope_bytes::{Bytes, Cursor};

use crate::DexError;
use crate::data::Data;

/// Maximum nesting of arrays/annotations inside encoded values. Real files
/// nest a few levels; the limit bounds recursion on hostile input.
pub const MAX_NESTING: u32 = 32;

/// A decoded `encoded_value`. Index variants hold indices into the
/// corresponding id tables; nested arrays and annotations are lazy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EncodedValue<'a> {
    /// `VALUE_BYTE`
    Byte(i8),
    /// `VALUE_SHORT`
    Short(i16),
    /// `VALUE_CHAR`
    Char(u16),
    /// `VALUE_INT`
    Int(i32),
    /// `VALUE_LONG`
    Long(i64),
    /// `VALUE_FLOAT`
    Float(f32),
    /// `VALUE_DOUBLE`
    Double(f64),
    /// `VALUE_METHOD_TYPE`: a proto index.
    MethodType(u32),
    /// `VALUE_METHOD_HANDLE`: a method handle index.
    MethodHandle(u32),
    /// `VALUE_STRING`: a string index.
    String(u32),
    /// `VALUE_TYPE`: a type index.
    Type(u32),
    /// `VALUE_FIELD`: a field index.
    Field(u32),
    /// `VALUE_METHOD`: a method index.
    Method(u32),
    /// `VALUE_ENUM`: a field index (the enum constant).
    Enum(u32),
    /// `VALUE_ARRAY`
    Array(EncodedArray<'a>),
    /// `VALUE_ANNOTATION`
    Annotation(EncodedAnnotation<'a>),
    /// `VALUE_NULL`
    Null,
    /// `VALUE_BOOLEAN`
    Boolean(bool),
}

/// An `encoded_array`: a count followed by that many values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodedArray<'a> {
    data: Data<'a>,
    offset: usize,
    items_start: usize,
    size: u32,
    depth: u32,
}

impl<'a> EncodedArray<'a> {
    /// Reads the array header at `offset` (`depth` counts enclosing values).
    pub(crate) fn parse(data: &'a [u8], offset: usize, depth: u32) -> Result<Self, DexError> {
        if depth > MAX_NESTING {
            return Err(DexError::NestingTooDeep { offset });
        }
        let mut c = Cursor::at(data, offset);
        let size = c.uleb128("encoded_array size")?;
        // Every value takes at least one byte.
        if u64::from(size) > c.remaining() as u64 {
            return Err(DexError::CountTooLarge {
                what: "encoded_array",
                offset,
                count: u64::from(size),
            });
        }
        Ok(EncodedArray {
            data: Data(data),
            offset,
            items_start: c.pos(),
            size,
            depth,
        })
    }

    /// Offset of the array.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Number of values.
    pub fn len(&self) -> u32 {
        self.size
    }

    /// True when the array has no values.
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// The values, in order; stops after the first error.
    pub fn iter(&self) -> EncodedValues<'a> {
        EncodedValues {
            data: self.data,
            pos: self.items_start,
            left: self.size,
            depth: self.depth,
        }
    }

    /// Offset just past the array (decodes and skips every value).
    fn end(&self) -> Result<usize, DexError> {
        let mut it = self.iter();
        while it.left > 0 {
            it.next_value()?;
        }
        Ok(it.pos)
    }
}

impl<'a> IntoIterator for &EncodedArray<'a> {
    type Item = Result<EncodedValue<'a>, DexError>;
    type IntoIter = EncodedValues<'a>;

    fn into_iter(self) -> EncodedValues<'a> {
        self.iter()
    }
}

/// Iterator over the values of an [`EncodedArray`].
#[derive(Clone, Debug)]
pub struct EncodedValues<'a> {
    data: Data<'a>,
    pos: usize,
    left: u32,
    depth: u32,
}

impl<'a> EncodedValues<'a> {
    fn next_value(&mut self) -> Result<EncodedValue<'a>, DexError> {
        self.left = self.left.saturating_sub(1);
        let (value, end) = read_value(self.data.0, self.pos, self.depth)?;
        self.pos = end;
        Ok(value)
    }

    /// Offset of the next value to be read.
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl<'a> Iterator for EncodedValues<'a> {
    type Item = Result<EncodedValue<'a>, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        let r = self.next_value();
        if r.is_err() {
            self.left = 0;
        }
        Some(r)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::try_from(self.left).unwrap_or(usize::MAX)))
    }
}

/// An `encoded_annotation`: a type and `name = value` elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodedAnnotation<'a> {
    data: Data<'a>,
    elements_start: usize,
    depth: u32,
    /// Type index of the annotation.
    pub type_idx: u32,
    /// Number of elements.
    pub size: u32,
}

impl<'a> EncodedAnnotation<'a> {
    /// Reads the annotation header at `offset`.
    pub(crate) fn parse(data: &'a [u8], offset: usize, depth: u32) -> Result<Self, DexError> {
        if depth > MAX_NESTING {
            return Err(DexError::NestingTooDeep { offset });
        }
        let mut c = Cursor::at(data, offset);
        let type_idx = c.uleb128("encoded_annotation type_idx")?;
        let size = c.uleb128("encoded_annotation size")?;
        // Every element takes at least two bytes.
        if u64::from(size) * 2 > c.remaining() as u64 {
            return Err(DexError::CountTooLarge {
                what: "encoded_annotation",
                offset,
                count: u64::from(size),
            });
        }
        Ok(EncodedAnnotation {
            data: Data(data),
            elements_start: c.pos(),
            depth,
            type_idx,
            size,
        })
    }

    /// The elements, in order; stops after the first error.
    pub fn elements(&self) -> AnnotationElements<'a> {
        AnnotationElements {
            data: self.data,
            pos: self.elements_start,
            left: self.size,
            depth: self.depth,
        }
    }

    fn end(&self) -> Result<usize, DexError> {
        let mut it = self.elements();
        while it.left > 0 {
            it.next_element()?;
        }
        Ok(it.pos)
    }
}

/// One `annotation_element`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnnotationElement<'a> {
    /// String index of the element name.
    pub name_idx: u32,
    /// The value.
    pub value: EncodedValue<'a>,
}

/// Iterator over the elements of an [`EncodedAnnotation`].
#[derive(Clone, Debug)]
pub struct AnnotationElements<'a> {
    data: Data<'a>,
    pos: usize,
    left: u32,
    depth: u32,
}

impl<'a> AnnotationElements<'a> {
    fn next_element(&mut self) -> Result<AnnotationElement<'a>, DexError> {
        self.left = self.left.saturating_sub(1);
        let mut c = Cursor::at(self.data.0, self.pos);
        let name_idx = c.uleb128("annotation_element name_idx")?;
        let (value, end) = read_value(self.data.0, c.pos(), self.depth)?;
        self.pos = end;
        Ok(AnnotationElement { name_idx, value })
    }
}

impl<'a> Iterator for AnnotationElements<'a> {
    type Item = Result<AnnotationElement<'a>, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        let r = self.next_element();
        if r.is_err() {
            self.left = 0;
        }
        Some(r)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::try_from(self.left).unwrap_or(usize::MAX)))
    }
}

/// Reads `n` (1..=8) little-endian bytes at `pos` into the low bits of a `u64`.
fn read_le(data: &[u8], pos: usize, n: usize) -> Result<u64, DexError> {
    let bytes = Bytes::new(data).slice(pos, n, "encoded_value payload")?;
    Ok(bytes
        .iter()
        .rev()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// Sign-extends the low `n` bytes of `v`.
fn sign_extend(v: u64, n: usize) -> i64 {
    let shift = 64u32.saturating_sub(8 * n as u32);
    ((v << shift) as i64) >> shift
}

/// Decodes the `encoded_value` at `pos`; returns it and the offset after it.
pub(crate) fn read_value(
    data: &[u8],
    pos: usize,
    depth: u32,
) -> Result<(EncodedValue<'_>, usize), DexError> {
    let header = Bytes::new(data).u8(pos, "encoded_value")?;
    let value_type = header & 0x1f;
    let value_arg = header >> 5;
    let bad = DexError::BadEncodedValue {
        offset: pos,
        value_type,
        value_arg,
    };
    let arg = usize::from(value_arg);
    let payload = pos.saturating_add(1);
    let n = arg + 1;
    let check = |max_arg: usize| if arg > max_arg { Err(bad) } else { Ok(()) };
    let end = payload.saturating_add(n);
    let index = |check_res: Result<(), DexError>| -> Result<u32, DexError> {
        check_res?;
        Ok(read_le(data, payload, n)? as u32)
    };
    use EncodedValue as V;
    let value = match value_type {
        0x00 => {
            check(0)?;
            V::Byte(read_le(data, payload, 1)? as u8 as i8)
        }
        0x02 => {
            check(1)?;
            V::Short(sign_extend(read_le(data, payload, n)?, n) as i16)
        }
        0x03 => {
            check(1)?;
            V::Char(read_le(data, payload, n)? as u16)
        }
        0x04 => {
            check(3)?;
            V::Int(sign_extend(read_le(data, payload, n)?, n) as i32)
        }
        0x06 => V::Long(sign_extend(read_le(data, payload, n)?, n)),
        0x10 => {
            check(3)?;
            let v = (read_le(data, payload, n)? as u32) << (8 * (4 - n as u32));
            V::Float(f32::from_bits(v))
        }
        0x11 => {
            let raw = read_le(data, payload, n)?;
            let v = if n == 8 {
                raw
            } else {
                raw << (8 * (8 - n as u32))
            };
            V::Double(f64::from_bits(v))
        }
        0x15 => V::MethodType(index(check(3))?),
        0x16 => V::MethodHandle(index(check(3))?),
        0x17 => V::String(index(check(3))?),
        0x18 => V::Type(index(check(3))?),
        0x19 => V::Field(index(check(3))?),
        0x1a => V::Method(index(check(3))?),
        0x1b => V::Enum(index(check(3))?),
        0x1c => {
            check(0)?;
            let array = EncodedArray::parse(data, payload, depth.saturating_add(1))?;
            return Ok((V::Array(array), array.end()?));
        }
        0x1d => {
            check(0)?;
            let ann = EncodedAnnotation::parse(data, payload, depth.saturating_add(1))?;
            return Ok((V::Annotation(ann), ann.end()?));
        }
        0x1e => {
            check(0)?;
            return Ok((V::Null, payload));
        }
        0x1f => {
            check(1)?;
            return Ok((V::Boolean(value_arg == 1), payload));
        }
        _ => return Err(bad),
    };
    Ok((value, end))
}

/// A call site (`call_site_item`, DEX 038+): the bootstrap method handle,
/// the method name and type, then extra bootstrap arguments.
#[derive(Clone, Debug)]
pub struct CallSite<'a> {
    /// Offset of the `call_site_item`.
    pub offset: usize,
    /// Index of the bootstrap linker method handle.
    pub method_handle_idx: u32,
    /// String index of the method name.
    pub method_name_idx: u32,
    /// Proto index of the method type.
    pub method_type_idx: u32,
    /// The whole encoded array (including the three leading values).
    pub array: EncodedArray<'a>,
    /// The extra bootstrap arguments, after the three leading values.
    pub extra_args: EncodedValues<'a>,
}

impl<'a> CallSite<'a> {
    /// Reads the call site item at `offset`.
    pub(crate) fn parse(data: &'a [u8], offset: usize) -> Result<Self, DexError> {
        let array = EncodedArray::parse(data, offset, 0)?;
        let bad = |reason| DexError::BadCallSite { offset, reason };
        if array.len() < 3 {
            return Err(bad("fewer than 3 values"));
        }
        let mut it = array.iter();
        let mut next = || it.next().unwrap_or(Err(bad("fewer than 3 values")));
        let EncodedValue::MethodHandle(method_handle_idx) = next()? else {
            return Err(bad("first value is not a method handle"));
        };
        let EncodedValue::String(method_name_idx) = next()? else {
            return Err(bad("second value is not a string"));
        };
        let EncodedValue::MethodType(method_type_idx) = next()? else {
            return Err(bad("third value is not a method type"));
        };
        Ok(CallSite {
            offset,
            method_handle_idx,
            method_name_idx,
            method_type_idx,
            array,
            extra_args: it,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn values(bytes: &[u8]) -> Vec<Result<EncodedValue<'_>, DexError>> {
        match EncodedArray::parse(bytes, 0, 0) {
            Ok(a) => a.iter().collect(),
            Err(e) => vec![Err(e)],
        }
    }

    #[test]
    fn scalars_are_sign_or_zero_extended() {
        use EncodedValue as V;
        #[rustfmt::skip]
        let bytes = [
            12,
            0x00, 0x80,                   // byte -128
            0x02, 0x80,                   // short, 1 byte: -128
            0x23, 0xff, 0xff,             // char, 2 bytes: 0xffff
            0x04, 0xff,                   // int, 1 byte: -1
            0x64, 0x78, 0x56, 0x34, 0x12, // int, 4 bytes
            0x46, 0x00, 0x00, 0x80,       // long, 3 bytes: -0x800000
            0x10, 0x3f,                   // float, 1 byte: 0x3f000000 = 0.5
            0x31, 0xf0, 0x3f,             // double, 2 bytes: 0x3ff0... = 1.0
            0x1b, 0x05,                   // enum field 5
            0x3a, 0x34, 0x12,             // method 0x1234
            0x15, 0x01,                   // method type 1
            0x16, 0x02,                   // method handle 2
        ];
        let got: Vec<_> = values(&bytes).into_iter().map(Result::unwrap).collect();
        assert_eq!(
            got,
            [
                V::Byte(-128),
                V::Short(-128),
                V::Char(0xffff),
                V::Int(-1),
                V::Int(0x1234_5678),
                V::Long(-0x80_0000),
                V::Float(0.5),
                V::Double(1.0),
                V::Enum(5),
                V::Method(0x1234),
                V::MethodType(1),
                V::MethodHandle(2),
            ]
        );
    }

    #[test]
    fn nested_values_are_skipped_correctly() {
        #[rustfmt::skip]
        let bytes = [
            3,
            0x1c, 2, 0x04, 1, 0x04, 2,        // array [1, 2]
            0x1d, 5, 1, 2, 0x04, 7,           // annotation type 5 { name 2 = 7 }
            0x04, 3,                          // 3
        ];
        let got = values(&bytes);
        let Ok(EncodedValue::Array(inner)) = got[0] else {
            panic!("{:?}", got[0])
        };
        let inner: Vec<_> = inner.iter().collect();
        assert_eq!(inner, [Ok(EncodedValue::Int(1)), Ok(EncodedValue::Int(2))]);
        let Ok(EncodedValue::Annotation(ann)) = got[1] else {
            panic!("{:?}", got[1])
        };
        assert_eq!((ann.type_idx, ann.size), (5, 1));
        let el: Vec<_> = ann.elements().collect();
        assert_eq!(
            el,
            [Ok(AnnotationElement {
                name_idx: 2,
                value: EncodedValue::Int(7)
            })]
        );
        assert_eq!(got[2], Ok(EncodedValue::Int(3)));
    }

    #[test]
    fn bad_values_are_errors() {
        for bytes in [
            &[1, 0x20, 0][..], // byte with size 2
            &[1, 0x05],        // unknown type
            &[1, 0x5f],        // boolean with arg 2
            &[1, 0x3c, 0],     // array with an arg
            &[1, 0xe4, 0, 0],  // int with 8 bytes
        ] {
            let got = values(bytes);
            assert!(
                matches!(got.as_slice(), [Err(DexError::BadEncodedValue { .. })]),
                "{bytes:02x?}: {got:?}"
            );
        }
        // Truncated payload.
        assert!(matches!(
            values(&[1, 0x64, 0]).as_slice(),
            [Err(DexError::Read(_))]
        ));
    }

    #[test]
    fn call_site_needs_three_typed_values() {
        assert!(CallSite::parse(&[2, 0x16, 0, 0x17, 1], 0).is_err());
        assert!(CallSite::parse(&[3, 0x17, 0, 0x17, 1, 0x15, 0], 0).is_err());
        let cs = CallSite::parse(&[4, 0x16, 0, 0x17, 1, 0x15, 2, 0x1e], 0).unwrap();
        assert_eq!(
            (cs.method_handle_idx, cs.method_name_idx, cs.method_type_idx),
            (0, 1, 2)
        );
        assert_eq!(cs.extra_args.collect::<Vec<_>>(), [Ok(EncodedValue::Null)]);
    }
}
