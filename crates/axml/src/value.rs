//! Typed attribute and resource values (`Res_value`).

use serde::Serialize;

/// `Res_value::TYPE_NULL`.
pub(crate) const TYPE_NULL: u8 = 0x00;
/// `Res_value::TYPE_REFERENCE`.
pub(crate) const TYPE_REFERENCE: u8 = 0x01;
/// `Res_value::TYPE_ATTRIBUTE`.
pub(crate) const TYPE_ATTRIBUTE: u8 = 0x02;
/// `Res_value::TYPE_STRING`.
pub(crate) const TYPE_STRING: u8 = 0x03;
/// `Res_value::TYPE_FLOAT`.
pub(crate) const TYPE_FLOAT: u8 = 0x04;
/// `Res_value::TYPE_DIMENSION`.
pub(crate) const TYPE_DIMENSION: u8 = 0x05;
/// `Res_value::TYPE_FRACTION`.
pub(crate) const TYPE_FRACTION: u8 = 0x06;
/// `Res_value::TYPE_DYNAMIC_REFERENCE`.
pub(crate) const TYPE_DYNAMIC_REFERENCE: u8 = 0x07;
/// `Res_value::TYPE_DYNAMIC_ATTRIBUTE`.
pub(crate) const TYPE_DYNAMIC_ATTRIBUTE: u8 = 0x08;
/// `Res_value::TYPE_INT_DEC`.
pub(crate) const TYPE_INT_DEC: u8 = 0x10;
/// `Res_value::TYPE_INT_HEX`.
pub(crate) const TYPE_INT_HEX: u8 = 0x11;
/// `Res_value::TYPE_INT_BOOLEAN`.
pub(crate) const TYPE_INT_BOOLEAN: u8 = 0x12;
/// `Res_value::TYPE_FIRST_COLOR_INT` (`TYPE_INT_COLOR_ARGB8`).
pub(crate) const TYPE_FIRST_COLOR_INT: u8 = 0x1c;
/// `Res_value::TYPE_LAST_COLOR_INT` (`TYPE_INT_COLOR_RGB4`).
pub(crate) const TYPE_LAST_COLOR_INT: u8 = 0x1f;

/// A typed value: an attribute value in binary XML, or a simple resource
/// value in resources.arsc.
///
/// Integers are sign-extended from the 32-bit `data` word, as Android's
/// `TypedArray.getInt` sees them (this applies to hex integers too).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// A string (`TYPE_STRING`, or text XML).
    String(String),
    /// A decimal or hexadecimal integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A resource reference `@0xPPTTEEEE` (also dynamic references).
    Reference(u32),
    /// A theme attribute reference `?0xPPTTEEEE` (also dynamic attributes).
    Attribute(u32),
    /// A float.
    Float(f32),
    /// Anything else (dimension, fraction, color, null...).
    Other {
        /// `Res_value::dataType`.
        data_type: u8,
        /// `Res_value::data`.
        data: u32,
    },
}

impl Value {
    /// Builds a value from a `Res_value` whose string (if any) was already
    /// looked up by the caller.
    pub(crate) fn from_typed(
        data_type: u8,
        data: u32,
        string: impl FnOnce() -> Option<String>,
    ) -> Value {
        match data_type {
            TYPE_STRING => match string() {
                Some(s) => Value::String(s),
                None => Value::Other { data_type, data },
            },
            TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE => Value::Reference(data),
            TYPE_ATTRIBUTE | TYPE_DYNAMIC_ATTRIBUTE => Value::Attribute(data),
            TYPE_FLOAT => Value::Float(f32::from_bits(data)),
            TYPE_INT_DEC | TYPE_INT_HEX => Value::Int(i64::from(data as i32)),
            TYPE_INT_BOOLEAN => Value::Bool(data != 0),
            _ => Value::Other { data_type, data },
        }
    }

    /// The string, if this is a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as an integer: integers, booleans (0/1) and strings holding a
    /// decimal or `0x` hexadecimal number (text manifests, obfuscated ones).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(i64::from(*b)),
            Value::String(s) => parse_int(s),
            _ => None,
        }
    }

    /// The value as a boolean: booleans, integers (non-zero) and the strings
    /// `true`/`false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            Value::String(s) => match s.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The resource id, if this is a reference.
    pub fn as_reference(&self) -> Option<u32> {
        match self {
            Value::Reference(r) => Some(*r),
            _ => None,
        }
    }
}

/// Parses a decimal or `0x`-prefixed hexadecimal integer, as Android's
/// `XmlUtils.convertValueToInt` does for text values.
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(hex) = digits.strip_prefix('#') {
        i64::from_str_radix(hex, 16).ok()?
    } else {
        digits.parse::<i64>().ok()?
    };
    Some(if neg { -v } else { v })
}

impl std::fmt::Display for Value {
    /// Formats like androguard's `format_value` (and close to `aapt`):
    /// `@7F040001`, `@android:01010000`, `?...`, `0x0000000A`, `true`, ...
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pkg = |id: u32| if id >> 24 == 1 { "android:" } else { "" };
        match self {
            Value::String(s) => f.write_str(s),
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Reference(r) => write!(f, "@{}{r:08X}", pkg(*r)),
            Value::Attribute(r) => write!(f, "?{}{r:08X}", pkg(*r)),
            Value::Float(x) => write!(f, "{x:.6}"),
            Value::Other { data_type, data } => match *data_type {
                TYPE_FIRST_COLOR_INT..=TYPE_LAST_COLOR_INT => write!(f, "#{data:08X}"),
                TYPE_DIMENSION => write!(
                    f,
                    "{}{}",
                    complex_to_float(*data),
                    DIMENSION_UNITS
                        .get((data & 0xf) as usize)
                        .copied()
                        .unwrap_or("")
                ),
                TYPE_FRACTION => write!(
                    f,
                    "{}{}",
                    complex_to_float(*data) * 100.0,
                    if data & 0xf == 0 { "%" } else { "%p" }
                ),
                _ => write!(f, "<0x{data:X}, type 0x{data_type:02X}>"),
            },
        }
    }
}

const DIMENSION_UNITS: [&str; 6] = ["px", "dip", "sp", "pt", "in", "mm"];

/// Decodes a `Res_value` complex number (dimension/fraction mantissa+radix).
fn complex_to_float(data: u32) -> f32 {
    const RADIX_MULTS: [f32; 4] = [
        1.0 / 256.0,
        1.0 / 32768.0,
        1.0 / 8_388_608.0,
        1.0 / 2_147_483_648.0,
    ];
    let mantissa = (data & 0xffff_ff00) as i32 as f32;
    let radix = RADIX_MULTS
        .get(((data >> 4) & 3) as usize)
        .copied()
        .unwrap_or(1.0);
    mantissa * radix
}
