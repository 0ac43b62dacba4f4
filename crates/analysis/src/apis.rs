//! The API call-site pass: every use of a sensitive-API catalog source in
//! the app's code, at its call site.
//!
//! [`scan`] makes one linear sweep over every code item of every DEX image
//! (the app's own DEX files, then those found in assets), in parallel over
//! DEX files. Per DEX image it first builds tables from method, field and
//! string index to catalog entry, so each instruction costs an array
//! lookup. It reports, as [`Evidence`]:
//!
//! - `invoke-*` (including `/range` and `invoke-polymorphic`) of a catalog
//!   method, matched on the method reference's class, name and prototype as
//!   written in the DEX (a call through a subclass reference is not
//!   matched). Entries with a `string_arg` match only when one of the
//!   call's argument registers holds that constant. Register contents are
//!   tracked along the linear sweep: `const-string` sets a register, other
//!   writes clear it, `move-object` copies it, and everything is forgotten
//!   at forward branch, switch-case and catch-handler targets; values that
//!   only arrive through a loop's back edge are not seen;
//! - `sget*` of a catalog field;
//! - `const-string` / `const-string/jumbo` of a content URI (longest
//!   prefix) or an intent action;
//! - `getSystemService(String)` (any class: `Context`, `Activity`, an app
//!   subclass) whose argument register holds a catalog service name; the
//!   evidence is at the invoke, with the service name as its API.
//!   `getSystemService(Class)` is not covered.
//!
//! Only entries with [`Role::Source`](leakscope_kb::Role) are evidence of
//! access; sinks are left to the flow analysis.
//!
//! Hostile input: an unreadable DEX image, class or code item, or an
//! instruction stream that stops decoding, is a [`ScanWarning`] and is
//! skipped (evidence found before a decode error is kept). A code item
//! shared by several methods is scanned once (a warning names the others),
//! so the pass stays linear in the size of the file.

mod registers;
mod tables;

use std::collections::HashSet;
use std::fmt;

use leakscope_app::App;
use leakscope_dalvik::{DecodeError, Decoder, Format, IndexKind, Insn, Instruction, Opcode};
use leakscope_dex::{ClassDef, DexError, DexFile, ParseOptions, dex_images};
use leakscope_kb::{ApiCatalog, Kb, Role};
use leakscope_model::{Attribution, CodeLocation, Evidence, EvidenceKind};
use rayon::prelude::*;

use crate::attribution::Attributor;
use registers::Registers;
use tables::Tables;

/// At most this many warnings per DEX file; further ones are counted in
/// [`ScanWarning::TooManyWarnings`].
pub const MAX_WARNINGS_PER_DEX: usize = 200;

/// Which DEX blob of the [`App`] an image came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DexSource {
    /// `app.code[blob]`.
    Code {
        /// Index into `app.code`.
        blob: usize,
    },
    /// `app.dynamic_code[container].dex[dex]`.
    Dynamic {
        /// Index into `app.dynamic_code`.
        container: usize,
        /// Index into that container's `dex`.
        dex: usize,
    },
}

/// The string indices that `const-string` instructions of one DEX image use,
/// for passes that only want strings the code uses (endpoints).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstStrings {
    /// The DEX label used in evidence locations.
    pub dex: String,
    /// Which blob of the app.
    pub source: DexSource,
    /// Which image of that blob (0 unless it is a DEX 041 container); the
    /// image is the `image`-th item of `leakscope_dex::dex_images(bytes)`.
    pub image: usize,
    /// `string_ids` indices of that image, ascending, without duplicates.
    pub indices: Vec<u32>,
}

/// Counts of what the pass walked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// DEX images parsed.
    pub dex_images: u64,
    /// Class defs walked.
    pub classes: u64,
    /// Code items scanned.
    pub code_items: u64,
    /// Instructions decoded (payloads excluded).
    pub instructions: u64,
}

impl ScanStats {
    fn add(&mut self, o: &ScanStats) {
        self.dex_images = self.dex_images.saturating_add(o.dex_images);
        self.classes = self.classes.saturating_add(o.classes);
        self.code_items = self.code_items.saturating_add(o.code_items);
        self.instructions = self.instructions.saturating_add(o.instructions);
    }
}

/// Something the pass skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanWarning {
    /// A DEX image could not be parsed; it and the images after it in the
    /// same file are skipped.
    Dex {
        /// The DEX label.
        dex: String,
        /// Why.
        error: DexError,
    },
    /// A class's data could not be read; the class is skipped from there.
    Class {
        /// The DEX label.
        dex: String,
        /// Class descriptor (or `class_def #N` when unreadable).
        class: String,
        /// Why.
        error: DexError,
    },
    /// A method's code item could not be read; the method is skipped.
    Code {
        /// The DEX label.
        dex: String,
        /// Class descriptor.
        class: String,
        /// `method@N`.
        method_idx: u32,
        /// Why.
        error: DexError,
    },
    /// Decoding stopped inside a method; the rest of it is skipped.
    Decode {
        /// The DEX label.
        dex: String,
        /// Class descriptor.
        class: String,
        /// `method@N`.
        method_idx: u32,
        /// Why.
        error: DecodeError,
    },
    /// A code item already scanned for another method (invalid for ART);
    /// not scanned again.
    SharedCode {
        /// The DEX label.
        dex: String,
        /// Class descriptor.
        class: String,
        /// `method@N`.
        method_idx: u32,
        /// Offset of the code item.
        offset: u32,
    },
    /// More than [`MAX_WARNINGS_PER_DEX`] warnings in one DEX file.
    TooManyWarnings {
        /// The DEX label.
        dex: String,
        /// How many were dropped.
        dropped: u64,
    },
}

impl fmt::Display for ScanWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanWarning::Dex { dex, error } => write!(f, "{dex}: skipped: {error}"),
            ScanWarning::Class { dex, class, error } => {
                write!(f, "{dex}: class {class} skipped: {error}")
            }
            ScanWarning::Code {
                dex,
                class,
                method_idx,
                error,
            } => write!(
                f,
                "{dex}: {class} method@{method_idx}: code skipped: {error}"
            ),
            ScanWarning::Decode {
                dex,
                class,
                method_idx,
                error,
            } => write!(
                f,
                "{dex}: {class} method@{method_idx}: decoding stopped: {error}"
            ),
            ScanWarning::SharedCode {
                dex,
                class,
                method_idx,
                offset,
            } => write!(
                f,
                "{dex}: {class} method@{method_idx}: code item at {offset:#x} is shared with another method; scanned once"
            ),
            ScanWarning::TooManyWarnings { dex, dropped } => {
                write!(f, "{dex}: {dropped} more warnings not shown")
            }
        }
    }
}

/// The result of [`scan`].
#[derive(Clone, Debug, Default)]
pub struct ApiScan {
    /// Every call site, in DEX order, then class-def, method and offset order.
    pub evidence: Vec<Evidence>,
    /// Per DEX image, the strings that `const-string` uses.
    pub const_strings: Vec<ConstStrings>,
    /// What was skipped.
    pub warnings: Vec<ScanWarning>,
    /// What was walked.
    pub stats: ScanStats,
}

/// One DEX blob to scan.
struct Job<'a> {
    label: String,
    source: DexSource,
    bytes: &'a [u8],
}

/// Scans all code of `app` (its DEX files, then DEX found in assets) for
/// catalog sources; see the [module documentation](self).
pub fn scan(app: &App, kb: &Kb, attribution: &Attributor<'_>) -> ApiScan {
    let mut jobs: Vec<Job<'_>> = app
        .code
        .iter()
        .enumerate()
        .map(|(blob, d)| Job {
            label: d.origin.clone(),
            source: DexSource::Code { blob },
            bytes: d.bytes.as_slice(),
        })
        .collect();
    for (container, dc) in app.dynamic_code.iter().enumerate() {
        for (dex, d) in dc.dex.iter().enumerate() {
            let label = if d.origin.starts_with(dc.container.as_str()) {
                d.origin.clone()
            } else {
                format!("{}!{}", dc.container, d.origin)
            };
            jobs.push(Job {
                label,
                source: DexSource::Dynamic { container, dex },
                bytes: d.bytes.as_slice(),
            });
        }
    }
    scan_dex_blobs(jobs, &kb.apis, attribution)
}

/// Scans DEX files given as (label, bytes) pairs, e.g. bare DEX files in
/// tests; `source` is [`DexSource::Code`] with the pair's index.
pub fn scan_dex(dex: &[(&str, &[u8])], kb: &Kb, attribution: &Attributor<'_>) -> ApiScan {
    let jobs = dex
        .iter()
        .enumerate()
        .map(|(blob, (label, bytes))| Job {
            label: (*label).to_owned(),
            source: DexSource::Code { blob },
            bytes,
        })
        .collect();
    scan_dex_blobs(jobs, &kb.apis, attribution)
}

fn scan_dex_blobs(jobs: Vec<Job<'_>>, catalog: &ApiCatalog, attr: &Attributor<'_>) -> ApiScan {
    let parts: Vec<ApiScan> = jobs
        .par_iter()
        .map(|job| scan_blob(job, catalog, attr))
        .collect();
    let mut out = ApiScan::default();
    for p in parts {
        out.evidence.extend(p.evidence);
        out.const_strings.extend(p.const_strings);
        out.warnings.extend(p.warnings);
        out.stats.add(&p.stats);
    }
    out
}

/// Per-blob state.
struct BlobScan<'c, 'a> {
    catalog: &'c ApiCatalog,
    attr: &'c Attributor<'a>,
    out: ApiScan,
    dropped: u64,
    regs: Registers,
}

impl BlobScan<'_, '_> {
    fn warn(&mut self, w: ScanWarning) {
        if self.out.warnings.len() < MAX_WARNINGS_PER_DEX {
            self.out.warnings.push(w);
        } else {
            self.dropped = self.dropped.saturating_add(1);
        }
    }
}

fn scan_blob(job: &Job<'_>, catalog: &ApiCatalog, attr: &Attributor<'_>) -> ApiScan {
    let mut s = BlobScan {
        catalog,
        attr,
        out: ApiScan::default(),
        dropped: 0,
        regs: Registers::new(),
    };
    for (image, dex) in dex_images(job.bytes, ParseOptions::default()).enumerate() {
        let label = if image == 0 {
            job.label.clone()
        } else {
            format!("{}#{image}", job.label)
        };
        match dex {
            Ok(dex) => {
                s.out.stats.dex_images = s.out.stats.dex_images.saturating_add(1);
                let indices = scan_image(&mut s, &dex, &label);
                s.out.const_strings.push(ConstStrings {
                    dex: label,
                    source: job.source,
                    image,
                    indices,
                });
            }
            Err(error) => s.warn(ScanWarning::Dex { dex: label, error }),
        }
    }
    if s.dropped > 0 {
        s.out.warnings.push(ScanWarning::TooManyWarnings {
            dex: job.label.clone(),
            dropped: s.dropped,
        });
    }
    s.out
}

/// Lazily computed names of the class being scanned.
struct ClassCtx {
    class_idx: u32,
    descriptor: Option<String>,
    attribution: Option<Attribution>,
}

impl ClassCtx {
    fn descriptor(&mut self, dex: &DexFile<'_>) -> &str {
        let idx = self.class_idx;
        self.descriptor.get_or_insert_with(|| {
            dex.type_descriptor_lossy(idx)
                .map(|c| c.into_owned())
                .unwrap_or_else(|_| format!("type@{idx}"))
        })
    }
}

/// Scans one image; returns the string indices `const-string` used.
fn scan_image(s: &mut BlobScan<'_, '_>, dex: &DexFile<'_>, label: &str) -> Vec<u32> {
    let mut tables = Tables::build(dex, s.catalog);
    let mut visited: HashSet<u32> = HashSet::new();
    for def in dex.class_defs() {
        s.out.stats.classes = s.out.stats.classes.saturating_add(1);
        scan_class(s, dex, label, &def, &mut tables, &mut visited);
    }
    tables.used_strings()
}

fn scan_class(
    s: &mut BlobScan<'_, '_>,
    dex: &DexFile<'_>,
    label: &str,
    def: &ClassDef,
    tables: &mut Tables,
    visited: &mut HashSet<u32>,
) {
    let mut ctx = ClassCtx {
        class_idx: def.class_idx,
        descriptor: None,
        attribution: None,
    };
    let data = match dex.class_data(def) {
        Ok(Some(d)) => d,
        Ok(None) => return,
        Err(error) => {
            let class = ctx.descriptor(dex).to_owned();
            s.warn(ScanWarning::Class {
                dex: label.into(),
                class,
                error,
            });
            return;
        }
    };
    for method in data.methods() {
        let method = match method {
            Ok(m) => m,
            Err(error) => {
                let class = ctx.descriptor(dex).to_owned();
                s.warn(ScanWarning::Class {
                    dex: label.into(),
                    class,
                    error,
                });
                return;
            }
        };
        let Some(off) = method.code_off else { continue };
        if !visited.insert(off) {
            let class = ctx.descriptor(dex).to_owned();
            s.warn(ScanWarning::SharedCode {
                dex: label.into(),
                class,
                method_idx: method.method_idx,
                offset: off,
            });
            continue;
        }
        let code = match dex.code_item(off) {
            Ok(c) => c,
            Err(error) => {
                let class = ctx.descriptor(dex).to_owned();
                s.warn(ScanWarning::Code {
                    dex: label.into(),
                    class,
                    method_idx: method.method_idx,
                    error,
                });
                continue;
            }
        };
        s.out.stats.code_items = s.out.stats.code_items.saturating_add(1);
        let mut site = Site {
            dex,
            label,
            method_idx: method.method_idx,
            method: None,
            ctx: &mut ctx,
        };
        s.regs.start(code.insns.len() / 2);
        if code.tries_size > 0 {
            for block in code.try_blocks().flatten() {
                for clause in block.handler.clauses() {
                    s.regs.mark_target(i64::from(clause.addr));
                }
                if let Some(addr) = block.handler.catch_all_addr {
                    s.regs.mark_target(i64::from(addr));
                }
            }
        }
        if let Err(error) = scan_code(s, tables, &mut site, code.insns) {
            let class = site.ctx.descriptor(dex).to_owned();
            s.warn(ScanWarning::Decode {
                dex: label.into(),
                class,
                method_idx: method.method_idx,
                error,
            });
        }
    }
}

/// Where the instructions being scanned sit; names are computed on the
/// first evidence.
struct Site<'s, 'a> {
    dex: &'s DexFile<'a>,
    label: &'s str,
    method_idx: u32,
    method: Option<String>,
    ctx: &'s mut ClassCtx,
}

impl Site<'_, '_> {
    fn evidence(
        &mut self,
        attr: &Attributor<'_>,
        kind: EvidenceKind,
        api: String,
        category: leakscope_model::Category,
        pc: u32,
    ) -> Evidence {
        let dex = self.dex;
        let idx = self.method_idx;
        let method = self
            .method
            .get_or_insert_with(|| method_name(dex, idx))
            .clone();
        let class = self.ctx.descriptor(dex).to_owned();
        let attribution = self
            .ctx
            .attribution
            .get_or_insert_with(|| attr.attribute(&class))
            .clone();
        Evidence {
            kind,
            api,
            category,
            location: CodeLocation {
                dex: self.label.to_owned(),
                class,
                method,
                offset: pc,
            },
            attribution,
        }
    }
}

/// `name(params)ret` of a method, as dexdump spells it.
fn method_name(dex: &DexFile<'_>, idx: u32) -> String {
    let Ok(m) = dex.method_id(idx) else {
        return format!("method@{idx}");
    };
    let mut s = dex
        .string_lossy(m.name_idx)
        .map(|n| n.into_owned())
        .unwrap_or_else(|_| format!("method@{idx}"));
    if dex
        .write_proto_descriptor(u32::from(m.proto_idx), &mut s)
        .is_err()
    {
        s.push_str("(?)?");
    }
    s
}

/// Marks the forward targets of a branch or switch.
fn mark_branches(regs: &mut Registers, insn: &Instruction, code: &[u8]) {
    match insn.format() {
        Format::F10t | Format::F20t | Format::F30t | Format::F21t | Format::F22t => {
            if let Some(t) = insn.branch_target()
                && t > i64::from(insn.pc)
            {
                regs.mark_target(t);
            }
        }
        Format::F31t if insn.opcode.is_switch() => {
            let base = i64::from(insn.pc);
            match insn.payload(code) {
                Ok(Insn::PackedSwitch(p)) => {
                    for (_, t) in p.iter() {
                        regs.mark_target(base.saturating_add(i64::from(t)));
                    }
                }
                Ok(Insn::SparseSwitch(p)) => {
                    for (_, t) in p.iter() {
                        regs.mark_target(base.saturating_add(i64::from(t)));
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

fn scan_code(
    s: &mut BlobScan<'_, '_>,
    tables: &mut Tables,
    site: &mut Site<'_, '_>,
    code: &[u8],
) -> Result<(), DecodeError> {
    let mut count: u64 = 0;
    let result = scan_insns(s, tables, site, code, &mut count);
    s.out.stats.instructions = s.out.stats.instructions.saturating_add(count);
    result
}

fn scan_insns(
    s: &mut BlobScan<'_, '_>,
    tables: &mut Tables,
    site: &mut Site<'_, '_>,
    code: &[u8],
    count: &mut u64,
) -> Result<(), DecodeError> {
    let catalog = s.catalog;
    for item in Decoder::new(code) {
        let insn = match item? {
            Insn::Op(i) => i,
            _ => continue,
        };
        *count = count.saturating_add(1);
        let pc = insn.pc;
        let op = insn.opcode;
        if s.regs.any() && s.regs.is_target(pc) {
            s.regs.reset();
        }
        match op {
            Opcode::ConstString | Opcode::ConstStringJumbo => {
                let (Some(idx), Some(reg)) = (insn.index(), insn.reg_a()) else {
                    continue;
                };
                if let Some(hit) = tables.string(site.dex, catalog, idx.value) {
                    let (kind, api, cat) = (hit.kind, hit.api.clone(), hit.category);
                    let e = site.evidence(s.attr, kind, api, cat, pc);
                    s.out.evidence.push(e);
                }
                s.regs.set(reg, idx.value);
                continue;
            }
            Opcode::MoveObject | Opcode::MoveObjectFrom16 | Opcode::MoveObject16 => {
                if let (Some(a), Some(b)) = (insn.reg_a(), insn.reg_b()) {
                    s.regs.copy(a, u32::from(b));
                }
                continue;
            }
            _ if op.is_invoke() => {
                if let Some(idx) = insn.index()
                    && idx.kind == IndexKind::Method
                    && let Some(hit) = tables.method(idx.value)
                {
                    for &cat in &hit.plain {
                        let e = site.evidence(s.attr, EvidenceKind::Call, hit.api.clone(), cat, pc);
                        s.out.evidence.push(e);
                    }
                    if (!hit.with_string.is_empty() || hit.system_service)
                        && s.regs.any()
                        && let Some(args) = insn.args()
                    {
                        string_args(s, site, hit, args, pc);
                    }
                }
            }
            _ if (0x60..=0x66).contains(&op.byte()) => {
                if let Some(idx) = insn.index()
                    && let Some((api, cat)) = tables.field(idx.value)
                {
                    let e = site.evidence(s.attr, EvidenceKind::Field, api.clone(), *cat, pc);
                    s.out.evidence.push(e);
                }
            }
            _ => {}
        }
        if op.can_branch() {
            mark_branches(&mut s.regs, &insn, code);
        }
        if op.writes_a()
            && let Some(a) = insn.reg_a()
        {
            s.regs.clear(u32::from(a));
            if op.is_wide_a() {
                s.regs.clear(u32::from(a).saturating_add(1));
            }
        }
    }
    Ok(())
}

/// Evidence of a call whose meaning depends on a string argument.
fn string_args(
    s: &mut BlobScan<'_, '_>,
    site: &mut Site<'_, '_>,
    hit: &tables::MethodHit,
    args: leakscope_dalvik::Args,
    pc: u32,
) {
    let dex = site.dex;
    let mut seen: Vec<u32> = Vec::new();
    for reg in args.iter() {
        let Some(sidx) = s.regs.get(reg) else {
            continue;
        };
        if seen.contains(&sidx) {
            continue;
        }
        seen.push(sidx);
        let Ok(bytes) = dex.string(sidx) else {
            continue;
        };
        for (want, cat) in &hit.with_string {
            if bytes == want.as_bytes() {
                let e = site.evidence(s.attr, EvidenceKind::Call, hit.api.clone(), *cat, pc);
                s.out.evidence.push(e);
            }
        }
        if hit.system_service
            && let Ok(name) = std::str::from_utf8(bytes)
            && let Some(entry) = s.catalog.system_service(name)
            && entry.role == Role::Source
            && let Some(cat) = entry.category
        {
            let e = site.evidence(
                s.attr,
                EvidenceKind::SystemService,
                name.to_owned(),
                cat,
                pc,
            );
            s.out.evidence.push(e);
        }
    }
}
