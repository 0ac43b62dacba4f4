//! Errors and warnings of the binary/text XML decoders.

use crate::string_pool::StringPoolAnomaly;

/// Why an XML document could not be decoded at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AxmlError {
    /// Fewer bytes than a chunk header.
    #[error("binary XML too short ({0} bytes)")]
    TooShort(usize),
    /// The data looks like text XML, not binary XML.
    #[error("not binary XML (looks like text XML)")]
    TextXml,
    /// The file chunk type is neither `RES_XML_TYPE` nor a tolerated variant.
    #[error("not binary XML: file chunk type {0:#06x}")]
    NotAxml(u16),
    /// No element was found.
    #[error("binary XML has no root element")]
    NoRootElement,
    /// The text XML parser rejected the document.
    #[error("text XML: {0}")]
    Text(String),
}

/// Something odd about an XML document that did not stop it from decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AxmlWarning {
    /// The file chunk type is not `RES_XML_TYPE` (0x0003).
    WrongFileType(u16),
    /// The header's declared file size differs from the data length.
    WrongFileSize {
        /// Declared size.
        declared: u32,
        /// Actual length of the data.
        actual: usize,
    },
    /// A chunk's declared sizes are inconsistent (Android's `validate_chunk`
    /// would reject it); it was read as far as possible.
    MalformedChunk {
        /// Offset of the chunk.
        offset: usize,
        /// Chunk type.
        kind: u16,
        /// Declared header size.
        header_size: u16,
        /// Declared chunk size.
        size: u32,
    },
    /// A chunk of zero or tiny size: the rest of the file was skipped.
    ChunkLoop {
        /// Offset of the chunk.
        offset: usize,
    },
    /// A chunk type that is not expected here was skipped.
    UnknownChunk {
        /// Offset of the chunk.
        offset: usize,
        /// Chunk type.
        kind: u16,
    },
    /// A string pool anomaly.
    StringPool(StringPoolAnomaly),
    /// More than one string pool before the first node (the last one wins,
    /// as in Android).
    DuplicateStringPool,
    /// A node references a string index that does not exist.
    BadStringIndex {
        /// Offset of the node.
        offset: usize,
        /// The index.
        index: u32,
    },
    /// An element declares more attributes than fit in its chunk.
    AttributesTruncated {
        /// Offset of the element chunk.
        offset: usize,
        /// Declared count.
        declared: u16,
        /// Count read.
        read: usize,
    },
    /// An attribute's name string disagrees with its framework resource id;
    /// the id wins (as in Android).
    AttributeNameMismatch {
        /// The name string found.
        found: String,
        /// The name the resource id stands for.
        resolved: &'static str,
    },
    /// An end-element without a matching start.
    UnbalancedEnd {
        /// Offset of the node.
        offset: usize,
    },
    /// Elements still open at the end of the document were closed.
    UnclosedElements(usize),
    /// Elements nested deeper than the limit were dropped.
    DepthLimit {
        /// The limit.
        limit: usize,
    },
    /// More than one top-level element; only the first is kept.
    ExtraRootElement(String),
    /// The output size budget was exhausted; later strings were emptied.
    OutputBudget,
    /// A string contains a NUL character.
    NulInString(String),
}

impl std::fmt::Display for AxmlWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::WrongFileType(t) => write!(f, "file chunk type is {t:#06x}, not RES_XML_TYPE"),
            Self::WrongFileSize { declared, actual } => {
                write!(f, "header declares {declared} bytes, data has {actual}")
            }
            Self::MalformedChunk {
                offset,
                kind,
                header_size,
                size,
            } => write!(
                f,
                "chunk {kind:#06x} at {offset:#x} has inconsistent sizes (header {header_size}, size {size})"
            ),
            Self::ChunkLoop { offset } => {
                write!(f, "chunk at {offset:#x} has a size too small to advance")
            }
            Self::UnknownChunk { offset, kind } => {
                write!(f, "skipped unknown chunk {kind:#06x} at {offset:#x}")
            }
            Self::StringPool(a) => write!(f, "{a}"),
            Self::DuplicateStringPool => write!(f, "more than one string pool"),
            Self::BadStringIndex { offset, index } => {
                write!(f, "node at {offset:#x} references missing string {index}")
            }
            Self::AttributesTruncated {
                offset,
                declared,
                read,
            } => write!(
                f,
                "element at {offset:#x} declares {declared} attributes, only {read} fit"
            ),
            Self::AttributeNameMismatch { found, resolved } => write!(
                f,
                "attribute name {found:?} does not match its resource id (android:{resolved})"
            ),
            Self::UnbalancedEnd { offset } => write!(f, "end element without start at {offset:#x}"),
            Self::UnclosedElements(n) => write!(f, "{n} elements not closed at end of document"),
            Self::DepthLimit { limit } => {
                write!(f, "elements nested deeper than {limit} were dropped")
            }
            Self::ExtraRootElement(n) => write!(f, "extra top-level element <{n}> ignored"),
            Self::OutputBudget => {
                write!(f, "decoded string budget exhausted; later strings emptied")
            }
            Self::NulInString(s) => write!(f, "string {s:?} contains NUL characters"),
        }
    }
}
