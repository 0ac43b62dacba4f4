//! Zero-copy, lazy, panic-free parser for Android DEX files.
//!
//! Supports versions 035 to 041, including 041 containers that hold several
//! images in one file. [`DexFile::parse`] only reads the header and the map
//! list and checks that every id table fits in the file (O(1)); strings,
//! ids, class data, code items, handlers and encoded values are decoded on
//! demand and borrow from the input. Instructions are not decoded:
//! [`CodeItem::insns`] is the raw code-unit array. Debug info
//! ([`DexFile::debug_info`]) is decoded lazily: [`DebugInfo::positions`] and
//! [`DebugInfo::locals`] run its state machine as ART does, giving exactly
//! what `dexdump` prints in a method's `positions` and `locals` sections.
//!
//! # Versions and the 041 container
//!
//! Versions 035 to 040 share one layout (036 is treated like 035; unknown
//! but well-formed version digits parse with a [`DexWarning::UnknownVersion`]).
//! In a 041 file every image starts with a 0x78-byte header that adds
//! `container_size` and `header_offset`; `file_size` is the size of that
//! image (the next header follows at `header_offset + file_size`), and *all*
//! offsets, including those of the id tables, are relative to the start of
//! the container, so images may share data. [`parse_dex_container`] and
//! [`dex_images`] walk the images; a [`DexFile`] of a 041 image resolves
//! offsets against the whole container ([`DexFile::data`]).
//!
//! # Cost model
//!
//! Parsing is O(1) (the checksum, a linear pass, is opt-in through
//! [`ParseOptions`]). Each lookup costs O(size of the item it reads); a
//! string lookup is bounded by the string's declared length. Items that
//! several class defs or methods share (invalid for ART, possible in hostile
//! files) are decoded again by each user, so callers walking everything
//! should skip offsets they have already visited or apply a time budget.
//!
//! Hostile input is the normal case: no input can make this crate panic,
//! loop forever or allocate more than the input could describe. Errors are
//! typed ([`DexError`]); anomalies that do not stop parsing (bad checksum,
//! unknown version, inconsistent sizes) are [`DexWarning`]s. Iterators stop
//! after yielding their first error, and a broken class does not affect the
//! others.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bytes = std::fs::read("classes.dex")?;
//! for dex in leakscope_dex::parse_dex_container(&bytes)? {
//!     for class in dex.class_defs() {
//!         let Ok(Some(data)) = dex.class_data(&class) else { continue };
//!         for method in data.methods() {
//!             let method = method?;
//!             if let Some(off) = method.code_off {
//!                 let code = dex.code_item(off)?;
//!                 println!("{} insns={}", dex.method_signature(method.method_idx)?, code.insns_size);
//!             }
//!         }
//!     }
//! }
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod adler32;
mod class_data;
mod class_def;
mod code;
mod container;
mod data;
mod debug_info;
mod error;
mod file;
pub mod header;
mod ids;
pub mod map;
pub mod mutf8;
mod signature;
mod string_ends;
mod value;

pub use adler32::adler32;
pub use class_data::{
    ClassData, EncodedField, EncodedFields, EncodedMethod, EncodedMethods, FieldKind, MethodKind,
};
pub use class_def::{ClassDef, ClassDefs};
pub use code::{
    CatchClause, CatchClauses, CatchHandler, CodeItem, TryBlock, TryBlocks, TryItem, TryItems,
};
pub use container::{DexImages, dex_images, parse_dex_container, parse_dex_container_with};
pub use debug_info::{
    DebugEvent, DebugEvents, DebugInfo, LocalName, LocalVar, Locals, Position, Positions,
};
pub use error::{DexError, DexWarning};
pub use file::{DexFile, DexString, ParseOptions};
pub use header::{Header, NO_INDEX};
pub use ids::{FieldId, MethodHandle, MethodHandleKind, MethodId, ProtoId, TypeList};
pub use value::{
    AnnotationElement, AnnotationElements, CallSite, EncodedAnnotation, EncodedArray, EncodedValue,
    EncodedValues, MAX_NESTING,
};
