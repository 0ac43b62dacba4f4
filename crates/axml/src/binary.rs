//! Decoder for Android binary XML (AXML), modelled on `ResXMLTree` in
//! frameworks/base libs/androidfw/ResourceTypes.cpp.
//!
//! Where Android would refuse a document, the decoder warns and reads on as
//! far as the bytes allow; where Android is lenient (attribute names resolved
//! by resource id, namespaces taken from the attribute itself, unknown node
//! chunks skipped, any file chunk type), the decoder is lenient the same way.

use leakscope_bytes::Bytes;

use crate::attrs::framework_attr_name;
use crate::chunk::{self, ChunkHeader};
use crate::error::{AxmlError, AxmlWarning};
use crate::string_pool::StringPool;
use crate::tree::{Attribute, Element};
use crate::value::{TYPE_NULL, TYPE_STRING, Value};

/// Maximum element nesting kept; deeper elements are dropped with a warning.
pub const MAX_DEPTH: usize = 512;
/// Budget of decoded string bytes for one document (bounds the output of a
/// small file that references one huge string many times).
pub const OUTPUT_BUDGET: usize = 64 << 20;
/// At most this many warnings are kept per document.
pub const MAX_WARNINGS: usize = 256;

const NO_INDEX: u32 = u32::MAX;
const NODE_HEADER_SIZE: usize = 16;
const ATTR_SIZE: usize = 20;

/// A decoded XML document.
#[derive(Clone, Debug)]
pub struct XmlDocument {
    /// The root element.
    pub root: Element,
    /// Anomalies met while decoding.
    pub warnings: Vec<AxmlWarning>,
}

/// True when `data` starts like binary XML (a `RES_XML_TYPE` chunk, or the
/// `RES_NULL_TYPE` variant some protectors write) rather than text.
pub fn is_binary_xml(data: &[u8]) -> bool {
    let b = Bytes::new(data);
    matches!(
        b.u16(0, "type"),
        Ok(chunk::RES_XML_TYPE | chunk::RES_NULL_TYPE)
    ) && b.u16(2, "header size").is_ok_and(|h| h >= 8)
}

/// Decodes binary XML into an element tree.
///
/// Fails only when no element at all can be recovered; everything else is a
/// warning in [`XmlDocument::warnings`].
pub fn decode(data: &[u8]) -> Result<XmlDocument, AxmlError> {
    if data.len() < chunk::CHUNK_HEADER_SIZE {
        return Err(AxmlError::TooShort(data.len()));
    }
    if looks_like_text(data) {
        return Err(AxmlError::TextXml);
    }
    Decoder::new(data).run()
}

fn looks_like_text(data: &[u8]) -> bool {
    let d = data.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(data);
    let first = d.iter().find(|b| !b.is_ascii_whitespace());
    first == Some(&b'<')
}

struct Decoder<'a> {
    data: &'a [u8],
    b: Bytes<'a>,
    end: usize,
    pool: StringPool<'a>,
    res_map: Bytes<'a>,
    warnings: Vec<AxmlWarning>,
    budget: usize,
}

impl<'a> Decoder<'a> {
    fn new(data: &'a [u8]) -> Self {
        Decoder {
            data,
            b: Bytes::new(data),
            end: data.len(),
            pool: StringPool::empty(),
            res_map: Bytes::new(&[]),
            warnings: Vec::new(),
            budget: OUTPUT_BUDGET,
        }
    }

    fn warn(&mut self, w: AxmlWarning) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(w);
        }
    }

    fn run(mut self) -> Result<XmlDocument, AxmlError> {
        let file =
            ChunkHeader::read(self.b, 0).map_err(|_| AxmlError::TooShort(self.data.len()))?;
        if file.kind != chunk::RES_XML_TYPE {
            self.warn(AxmlWarning::WrongFileType(file.kind));
        }
        let declared = file.size as usize;
        if declared != self.data.len() {
            self.warn(AxmlWarning::WrongFileSize {
                declared: file.size,
                actual: self.data.len(),
            });
        }
        // Android stops at the declared size; a size beyond the data (or one
        // too small to hold anything) is ignored in favour of the data length.
        if declared >= chunk::CHUNK_HEADER_SIZE * 2 && declared < self.data.len() {
            self.end = declared;
        }
        let hs = usize::from(file.header_size);
        let mut pos = if (chunk::CHUNK_HEADER_SIZE..self.end).contains(&hs) {
            hs
        } else {
            chunk::CHUNK_HEADER_SIZE
        };

        let mut seen_node = false;
        let mut seen_pool = false;
        let mut stack: Vec<Element> = Vec::new();
        let mut skipped_depth = 0usize;
        let mut depth_warned = false;
        let mut root: Option<Element> = None;

        while pos
            .checked_add(chunk::CHUNK_HEADER_SIZE)
            .is_some_and(|e| e <= self.end)
        {
            let Ok(h) = ChunkHeader::read(self.b, pos) else {
                break;
            };
            let is_node = (chunk::RES_XML_FIRST_CHUNK_TYPE..=chunk::RES_XML_LAST_CHUNK_TYPE)
                .contains(&h.kind);
            let min_header = match h.kind {
                chunk::RES_STRING_POOL_TYPE => 28,
                _ if is_node => NODE_HEADER_SIZE,
                _ => chunk::CHUNK_HEADER_SIZE,
            };
            if !h.is_valid(min_header, self.end) {
                self.warn(AxmlWarning::MalformedChunk {
                    offset: pos,
                    kind: h.kind,
                    header_size: h.header_size,
                    size: h.size,
                });
            }
            let size = h.size as usize;
            if size < chunk::CHUNK_HEADER_SIZE {
                self.warn(AxmlWarning::ChunkLoop { offset: pos });
                break;
            }
            let chunk_end = h.end_clamped(self.end);
            match h.kind {
                chunk::RES_STRING_POOL_TYPE if !seen_node => {
                    if seen_pool {
                        self.warn(AxmlWarning::DuplicateStringPool);
                    }
                    seen_pool = true;
                    let mut anomalies = Vec::new();
                    self.pool = StringPool::parse(self.data, &h, self.end, &mut anomalies);
                    for a in anomalies {
                        self.warn(AxmlWarning::StringPool(a));
                    }
                }
                chunk::RES_XML_RESOURCE_MAP_TYPE if !seen_node => {
                    let start = pos
                        .saturating_add(usize::from(h.header_size).max(chunk::CHUNK_HEADER_SIZE));
                    let n = chunk_end.saturating_sub(start) / 4;
                    self.res_map = self
                        .b
                        .sub(start, n * 4, "resource map")
                        .unwrap_or(Bytes::new(&[]));
                }
                chunk::RES_XML_START_ELEMENT_TYPE => {
                    seen_node = true;
                    if stack.len() >= MAX_DEPTH {
                        skipped_depth += 1;
                        if !depth_warned {
                            depth_warned = true;
                            self.warn(AxmlWarning::DepthLimit { limit: MAX_DEPTH });
                        }
                    } else if let Some(e) = self.start_element(&h, chunk_end) {
                        if stack.is_empty() && root.is_some() {
                            self.warn(AxmlWarning::ExtraRootElement(e.name.clone()));
                        }
                        stack.push(e);
                    } else {
                        // Unreadable start: keep the nesting balanced.
                        stack.push(Element::default());
                    }
                }
                chunk::RES_XML_END_ELEMENT_TYPE => {
                    seen_node = true;
                    if skipped_depth > 0 {
                        skipped_depth -= 1;
                    } else if let Some(e) = stack.pop() {
                        match stack.last_mut() {
                            Some(parent) => parent.children.push(e),
                            None if root.is_none() => root = Some(e),
                            None => {}
                        }
                    } else {
                        self.warn(AxmlWarning::UnbalancedEnd { offset: pos });
                    }
                }
                chunk::RES_XML_START_NAMESPACE_TYPE
                | chunk::RES_XML_END_NAMESPACE_TYPE
                | chunk::RES_XML_CDATA_TYPE => seen_node = true,
                _ => {
                    if is_node {
                        seen_node = true;
                    }
                    self.warn(AxmlWarning::UnknownChunk {
                        offset: pos,
                        kind: h.kind,
                    });
                }
            }
            match pos.checked_add(size) {
                Some(next) if next > pos => pos = next,
                _ => break,
            }
        }

        if !stack.is_empty() {
            self.warn(AxmlWarning::UnclosedElements(stack.len()));
            while let Some(e) = stack.pop() {
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None if root.is_none() => root = Some(e),
                    None => {}
                }
            }
        }
        let root = root.ok_or(AxmlError::NoRootElement)?;
        Ok(XmlDocument {
            root,
            warnings: self.warnings,
        })
    }

    /// Looks up a string, charging the output budget. `None` for the
    /// "no string" index; a missing index warns and gives `None`.
    fn string(&mut self, index: u32, node: usize) -> Option<String> {
        if index == NO_INDEX {
            return None;
        }
        if index >= self.pool.len() {
            self.warn(AxmlWarning::BadStringIndex {
                offset: node,
                index,
            });
            return None;
        }
        // Charge the budget before decoding, so an exhausted budget costs
        // nothing.
        let cost = self.pool.raw_len(index);
        if cost > self.budget {
            if self.budget != 0 {
                self.warn(AxmlWarning::OutputBudget);
                self.budget = 0;
            }
            return Some(String::new());
        }
        self.budget -= cost;
        match self.pool.get(index) {
            Some(s) => Some(s.into_owned()),
            None => {
                self.warn(AxmlWarning::BadStringIndex {
                    offset: node,
                    index,
                });
                None
            }
        }
    }

    fn res_id(&self, name_index: u32) -> Option<u32> {
        let off = (name_index as usize).checked_mul(4)?;
        self.res_map
            .u32(off, "resource id")
            .ok()
            .filter(|&id| id != 0)
    }

    fn start_element(&mut self, h: &ChunkHeader, chunk_end: usize) -> Option<Element> {
        let pos = h.offset;
        let ext = pos.saturating_add(usize::from(h.header_size).max(NODE_HEADER_SIZE));
        let b = self.b;
        let rd = |o: usize| b.u32(ext.saturating_add(o), "element");
        let rd16 = |o: usize| b.u16(ext.saturating_add(o), "element");
        let (Ok(ns), Ok(name), Ok(attr_start), Ok(attr_size), Ok(attr_count)) =
            (rd(0), rd(4), rd16(8), rd16(10), rd16(12))
        else {
            self.warn(AxmlWarning::MalformedChunk {
                offset: pos,
                kind: h.kind,
                header_size: h.header_size,
                size: h.size,
            });
            return None;
        };
        let mut element = Element {
            name: self.string(name, pos).unwrap_or_default(),
            namespace_uri: self.string(ns, pos),
            attributes: Vec::new(),
            children: Vec::new(),
        };
        let stride = usize::from(attr_size).max(ATTR_SIZE);
        let first = ext.saturating_add(usize::from(attr_start));
        // Attributes must lie within the chunk (and so within the data).
        let avail = chunk_end.saturating_sub(first);
        let fit = if avail >= ATTR_SIZE {
            (avail - ATTR_SIZE) / stride + 1
        } else {
            0
        };
        let n = usize::from(attr_count).min(fit);
        if n < usize::from(attr_count) {
            self.warn(AxmlWarning::AttributesTruncated {
                offset: pos,
                declared: attr_count,
                read: n,
            });
        }
        element.attributes.reserve(n);
        for i in 0..n {
            let a = first.saturating_add(i.saturating_mul(stride));
            if let Some(attr) = self.attribute(a, pos) {
                element.attributes.push(attr);
            }
        }
        Some(element)
    }

    fn attribute(&mut self, a: usize, node: usize) -> Option<Attribute> {
        let b = self.b;
        let ns = b.u32(a, "attr ns").ok()?;
        let name = b.u32(a.saturating_add(4), "attr name").ok()?;
        let raw = b.u32(a.saturating_add(8), "attr raw value").ok()?;
        let data_type = b.u8(a.saturating_add(15), "attr type").ok()?;
        let data = b.u32(a.saturating_add(16), "attr data").ok()?;

        let resource_id = self.res_id(name);
        let name_str = self.string(name, node).unwrap_or_default();
        let namespace_uri = self.string(ns, node);
        let (name, raw_name) = match resource_id.and_then(framework_attr_name) {
            Some(canonical) if name_str != canonical => {
                if !name_str.is_empty() {
                    self.warn(AxmlWarning::AttributeNameMismatch {
                        found: name_str.clone(),
                        resolved: canonical,
                    });
                }
                (canonical.to_string(), Some(name_str))
            }
            _ => (name_str, None),
        };
        let value = match data_type {
            TYPE_STRING => {
                let s = self.string(data, node).or_else(|| self.string(raw, node));
                Value::from_typed(data_type, data, || s)
            }
            TYPE_NULL if raw != NO_INDEX => match self.string(raw, node) {
                Some(s) => Value::String(s),
                None => Value::Other { data_type, data },
            },
            _ => Value::from_typed(data_type, data, || None),
        };
        let raw_value = if raw != NO_INDEX
            && !(data_type == TYPE_STRING && data == raw)
            && data_type != TYPE_NULL
        {
            self.string(raw, node)
        } else {
            None
        };
        if let Value::String(s) = &value
            && s.contains('\0')
        {
            self.warn(AxmlWarning::NulInString(s.clone()));
        }
        Some(Attribute {
            name,
            raw_name,
            namespace_uri,
            resource_id,
            value,
            raw_value,
        })
    }
}
