//! exodus-core's "class list", computed from a parsed DEX file.
//!
//! exodus-core 1.3.15 (`StaticAnalysis._get_embedded_classes`) runs
//! `dexdump` (no options) on every `classes*.dex` and keeps every match of
//! the Python regex `[A-Z]+((?:\w+\/)+\w+)` over the whole output
//! (`re.findall`, first group), after decoding the output as UTF-8 with
//! invalid bytes dropped. The strings are therefore not only the defined
//! classes: they come from every line dexdump prints that holds a name —
//! class, superclass and interface descriptors, field and method owners,
//! names and types (whole prototypes), static field values, catch types,
//! local variable names, types and generic signatures, source file names,
//! method handles and call sites.
//!
//! A match can neither start nor end inside the middle of a run of word
//! characters and slashes, and every such name is printed between
//! separators (quotes, spaces, parentheses, `=`), so scanning each printed
//! name on its own gives the same matches as scanning the lines. Each
//! string, type and prototype is scanned once per DEX file.
//!
//! Not emulated: the `Processing '…'` / `Opened '…'` lines that hold the
//! temporary path exodus-core extracted the file to (a lowercase temporary
//! directory plus the entry name, see [`entry_path_names`]).

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use leakscope_dex::{DexError, DexFile, EncodedValue, LocalName, NO_INDEX};
use regex::Regex;

/// At most this many errors are kept per DEX file.
const MAX_ERRORS: usize = 16;

/// The strings exodus-core would extract from one or more DEX files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClassList {
    /// The extracted strings (slash-separated, e.g. `com/google/ads/AdView`).
    pub names: BTreeSet<String>,
    /// Structures that could not be read (their names are missing; dexdump
    /// would refuse such a file). At most 16 per DEX file.
    pub errors: Vec<DexError>,
}

/// The regex exodus-core applies, without its capture group (the group is
/// recovered by [`group_start`]), with Python's Unicode `\w` (letters,
/// numbers and `_`) spelled out, since Rust's `\w` also takes marks and
/// connector punctuation that Python's does not.
fn unicode_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[A-Z]+(?:[\p{L}\p{N}_]+/)+[\p{L}\p{N}_]+").ok())
        .as_ref()
}

/// The same regex for ASCII input, in byte mode (faster).
fn ascii_regex() -> Option<&'static regex::bytes::Regex> {
    static RE: OnceLock<Option<regex::bytes::Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        regex::bytes::RegexBuilder::new(r"[A-Z]+(?:[A-Za-z0-9_]+/)+[A-Za-z0-9_]+")
            .unicode(false)
            .build()
            .ok()
    })
    .as_ref()
}

/// Where the capture group `((?:\w+/)+\w+)` starts inside a match of
/// `[A-Z]+…`: a backtracking engine (Python's) lets the greedy `[A-Z]+`
/// take the whole leading run of capitals, and gives one back when a `/`
/// follows it, since the group must start with a word character. Saves
/// running the (slower) capturing engine on every match.
fn group_start(m: &[u8]) -> usize {
    let run = m.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if m.get(run) == Some(&b'/') {
        run.saturating_sub(1)
    } else {
        run
    }
}

/// Python's `bytes.decode(errors="ignore")`: invalid sequences dropped.
fn decode_ignore(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        s.push_str(chunk.valid());
    }
    s
}

fn insert(out: &mut BTreeSet<String>, s: &str) {
    if !out.contains(s) {
        out.insert(s.to_owned());
    }
}

/// Adds to `out` every exodus-core match found in `text` (raw bytes as
/// dexdump prints them).
pub fn scan_printed(text: &[u8], out: &mut BTreeSet<String>) {
    // A match needs a slash and an uppercase ASCII letter.
    if memchr::memchr(b'/', text).is_none() || !text.iter().any(u8::is_ascii_uppercase) {
        return;
    }
    if text.is_ascii() {
        if let Some(re) = ascii_regex() {
            for m in re.find_iter(text) {
                let m = m.as_bytes();
                if let Some(Ok(g)) = m.get(group_start(m)..).map(std::str::from_utf8) {
                    insert(out, g);
                }
            }
        }
        return;
    }
    let text = decode_ignore(text);
    if let Some(re) = unicode_regex() {
        for m in re.find_iter(&text) {
            let m = m.as_str();
            if let Some(g) = m.get(group_start(m.as_bytes())..) {
                insert(out, g);
            }
        }
    }
}

/// The names exodus-core derives from the path dexdump is given for a zip
/// entry: `/tmp/tmpXXXXXXXX/<entry>` (Python's temporary names are
/// lowercase letters, digits and `_`, which cannot start a match).
pub fn entry_path_names(entry: &str, out: &mut BTreeSet<String>) {
    let path = format!("/tmp/tmpaaaaaaaa/{entry}");
    scan_printed(path.as_bytes(), out);
}

/// Whether exodus-core would run dexdump on this zip entry
/// (`re.search(r'classes.*\.dex', name)`, unless it recurses into it).
pub fn exodus_selects_entry(name: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    !exodus_recurses_into(name)
        && RE
            .get_or_init(|| Regex::new(r"classes.*\.dex").ok())
            .as_ref()
            .is_some_and(|re| re.is_match(name))
}

/// Whether exodus-core recurses into this zip entry as an APK
/// (`re.search(r'.*\.apk', name)`).
pub fn exodus_recurses_into(name: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r".*\.apk").ok())
        .as_ref()
        .is_some_and(|re| re.is_match(name))
}

/// A fixed-size set of table indexes, bounded by the table size.
struct Seen(Vec<bool>);

impl Seen {
    fn new(len: u32) -> Self {
        Seen(vec![false; len as usize])
    }

    /// Marks `idx`; true when it was not marked (and is in range).
    fn first(&mut self, idx: u32) -> bool {
        match self.0.get_mut(idx as usize) {
            Some(b) if !*b => {
                *b = true;
                true
            }
            _ => false,
        }
    }
}

/// Walks one DEX file in dexdump's order, scanning each printed name once.
struct Walker<'d, 'a> {
    dex: &'d DexFile<'a>,
    strings: Seen,
    types: Seen,
    protos: Seen,
    out: &'d mut BTreeSet<String>,
    /// Code items already walked: items shared by several methods (legal
    /// only in hostile files) print the same names again, so each is
    /// walked once, which also bounds the work by the file size.
    code_seen: HashSet<u32>,
    /// Class data already walked (same reason).
    class_data_seen: HashSet<u32>,
    errors: Vec<DexError>,
    buf: Vec<u8>,
}

impl<'a> Walker<'_, 'a> {
    fn err(&mut self, e: DexError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        }
    }

    fn string(&mut self, idx: u32) {
        if idx == NO_INDEX || !self.strings.first(idx) {
            return;
        }
        match self.dex.string(idx) {
            Ok(s) => scan_printed(s, self.out),
            Err(e) => self.err(e),
        }
    }

    fn ty(&mut self, idx: u32) {
        if idx == NO_INDEX || !self.types.first(idx) {
            return;
        }
        match self.dex.type_descriptor(idx) {
            Ok(s) => scan_printed(s, self.out),
            Err(e) => self.err(e),
        }
    }

    /// A prototype as dexdump prints it: `(params)ret`.
    fn proto(&mut self, idx: u32) {
        if !self.protos.first(idx) {
            return;
        }
        if let Err(e) = self.proto_inner(idx) {
            self.err(e);
        }
    }

    fn proto_inner(&mut self, idx: u32) -> Result<(), DexError> {
        let dex = self.dex;
        let proto = dex.proto_id(idx)?;
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        buf.push(b'(');
        for p in dex.proto_parameters(&proto)?.iter() {
            buf.extend_from_slice(dex.type_descriptor(u32::from(p))?);
        }
        buf.push(b')');
        buf.extend_from_slice(dex.type_descriptor(proto.return_type_idx)?);
        scan_printed(&buf, self.out);
        self.buf = buf;
        Ok(())
    }

    fn field(&mut self, idx: u32) -> Result<(), DexError> {
        let f = self.dex.field_id(idx)?;
        self.ty(u32::from(f.class_idx));
        self.string(f.name_idx);
        self.ty(u32::from(f.type_idx));
        Ok(())
    }

    fn method(&mut self, idx: u32) -> Result<(), DexError> {
        let m = self.dex.method_id(idx)?;
        self.ty(u32::from(m.class_idx));
        self.string(m.name_idx);
        self.proto(u32::from(m.proto_idx));
        Ok(())
    }

    /// A value as dexdump's `dumpEncodedValue` prints it (names only).
    fn value(&mut self, v: &EncodedValue<'a>) -> Result<(), DexError> {
        match v {
            EncodedValue::String(i) => self.string(*i),
            EncodedValue::Type(t) => self.ty(*t),
            EncodedValue::Field(f) | EncodedValue::Enum(f) => {
                let f = self.dex.field_id(*f)?;
                self.string(f.name_idx);
            }
            EncodedValue::Method(m) => {
                let m = self.dex.method_id(*m)?;
                self.string(m.name_idx);
            }
            EncodedValue::MethodType(p) => self.proto(*p),
            EncodedValue::Array(a) => {
                for v in a.iter() {
                    self.value(&v?)?;
                }
            }
            EncodedValue::Annotation(a) => {
                self.ty(a.type_idx);
                for e in a.elements() {
                    let e = e?;
                    self.string(e.name_idx);
                    self.value(&e.value)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn class(&mut self, class: &leakscope_dex::ClassDef) -> Result<(), DexError> {
        let dex = self.dex;
        self.ty(class.class_idx);
        if let Some(s) = class.superclass_idx {
            self.ty(s);
        }
        for i in dex.interfaces(class)?.iter() {
            self.ty(u32::from(i));
        }
        if let Some(s) = class.source_file_idx {
            self.string(s);
        }
        // Class data shared by several class defs (hostile files) prints
        // the same names again: walk it once.
        if class
            .class_data_off
            .is_some_and(|off| !self.class_data_seen.insert(off))
        {
            return Ok(());
        }
        let Some(data) = dex.class_data(class)? else {
            return Ok(());
        };
        // dexdump prints one value per static field, up to the shorter list.
        let statics = data.static_fields_size;
        if let Some(values) = dex.static_values(class)? {
            for v in values.iter().take(statics as usize) {
                self.value(&v?)?;
            }
        }
        for f in data.fields() {
            self.field(f?.field_idx)?;
        }
        for m in data.methods() {
            let m = m?;
            self.method(m.method_idx)?;
            if let Some(off) = m.code_off
                && let Err(e) = self.code(off, m.method_idx, m.access_flags)
            {
                self.err(e);
            }
        }
        Ok(())
    }

    fn code(&mut self, off: u32, method_idx: u32, access: u32) -> Result<(), DexError> {
        if !self.code_seen.insert(off) {
            return Ok(());
        }
        let dex = self.dex;
        let code = dex.code_item(off)?;
        // Try items may share a handler; each handler is read once.
        let mut handlers = HashSet::new();
        for t in code.tries() {
            if !handlers.insert(t.handler_off) {
                continue;
            }
            for c in code.catch_handler(t.handler_off)?.clauses() {
                self.ty(c.type_idx);
            }
        }
        if code.debug_info_off == 0 {
            return Ok(());
        }
        let info = dex.debug_info(code.debug_info_off)?;
        let is_static = access & 0x8 != 0;
        for v in info.locals(dex, &code, method_idx, is_static) {
            // dexdump prints the locals reported before an invalid stream.
            let Ok(v) = v else { break };
            if let Some(LocalName::String(n)) = v.name {
                self.string(n);
            }
            if let Some(t) = v.type_idx {
                self.ty(t);
            }
            if let Some(s) = v.sig_idx {
                self.string(s);
            }
        }
        Ok(())
    }

    fn method_handles(&mut self) -> Result<(), DexError> {
        let dex = self.dex;
        for i in 0..dex.method_handles_len() {
            let h = dex.method_handle(i)?;
            let idx = u32::from(h.field_or_method_id);
            if h.kind.is_field_accessor() {
                self.field(idx)?;
            } else {
                self.method(idx)?;
            }
        }
        Ok(())
    }

    fn call_sites(&mut self) -> Result<(), DexError> {
        let dex = self.dex;
        for i in 0..dex.call_sites_len() {
            let cs = dex.call_site(i)?;
            self.string(cs.method_name_idx);
            self.proto(cs.method_type_idx);
            for v in cs.extra_args {
                match v? {
                    EncodedValue::String(s) => self.string(s),
                    EncodedValue::Type(t) => self.ty(t),
                    EncodedValue::MethodType(p) => self.proto(p),
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

/// Adds to `list` the strings exodus-core extracts from `dex`'s dexdump
/// output. Cost: one pass over class defs, class data, code items (try
/// handlers) and debug info; each string, type and prototype is scanned
/// once.
pub fn extend_exodus_class_list(dex: &DexFile<'_>, list: &mut ClassList) {
    let mut w = Walker {
        dex,
        strings: Seen::new(dex.strings_len()),
        types: Seen::new(dex.types_len()),
        protos: Seen::new(dex.protos_len()),
        out: &mut list.names,
        code_seen: HashSet::new(),
        class_data_seen: HashSet::new(),
        errors: Vec::new(),
        buf: Vec::new(),
    };
    for class in dex.class_defs() {
        if let Err(e) = w.class(&class) {
            w.err(e);
        }
    }
    if let Err(e) = w.method_handles() {
        w.err(e);
    }
    if let Err(e) = w.call_sites() {
        w.err(e);
    }
    list.errors.extend(w.errors);
}

/// The strings exodus-core extracts from `dex` (see the module docs).
pub fn exodus_class_list(dex: &DexFile<'_>) -> ClassList {
    let mut list = ClassList::default();
    extend_exodus_class_list(dex, &mut list);
    list
}
