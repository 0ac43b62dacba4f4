//! Per-DEX lookup tables: method, field and string index → catalog hit, so
//! that the work per instruction is an array lookup.

use std::borrow::Cow;

use leakscope_dex::{DexFile, mutf8};
use leakscope_kb::{ApiCatalog, ApiEntry, ApiTarget, Category, Role};
use leakscope_model::EvidenceKind;

/// No entry for this index.
const NONE: u32 = u32::MAX;
/// A string index not looked up yet.
const UNSEEN: u32 = u32::MAX;
/// A string looked up that matched nothing.
const NO_HIT: u32 = u32::MAX - 1;

/// The name and prototype of `Context.getSystemService(String)`.
pub(super) const GET_SYSTEM_SERVICE: &str = "getSystemService";
const GET_SYSTEM_SERVICE_PROTO: &str = "(Ljava/lang/String;)Ljava/lang/Object;";

/// What a referenced method means to the scan.
#[derive(Debug, Default)]
pub(super) struct MethodHit {
    /// `Lcls;->name(proto)ret`, as the DEX spells the reference.
    pub api: String,
    /// Categories of the source entries that match unconditionally.
    pub plain: Vec<Category>,
    /// Source entries that match only with this string argument.
    pub with_string: Vec<(String, Category)>,
    /// A `getSystemService(String)`: the string argument names a service.
    pub system_service: bool,
}

/// A string constant that is a catalog source.
#[derive(Debug)]
pub(super) struct StringHit {
    pub kind: EvidenceKind,
    pub api: String,
    pub category: Category,
}

/// The tables of one DEX image.
#[derive(Debug)]
pub(super) struct Tables {
    /// method_idx → index into `methods`, or [`NONE`]. Only indices that
    /// instructions can encode (16 bits) are kept.
    method_slot: Vec<u32>,
    methods: Vec<MethodHit>,
    /// field_idx → index into `fields`, or [`NONE`].
    field_slot: Vec<u32>,
    fields: Vec<(String, Category)>,
    /// string_idx → index into `strings`, [`NO_HIT`] or [`UNSEEN`]; filled
    /// lazily at each string's first `const-string`.
    string_slot: Vec<u32>,
    strings: Vec<StringHit>,
}

/// Reads a type descriptor as text (lossy only for non-UTF-8 names).
fn type_name<'a>(dex: &DexFile<'a>, idx: u32) -> Option<Cow<'a, str>> {
    dex.type_descriptor(idx).ok().map(mutf8::decode)
}

/// The index of string `want` (ASCII), by binary search: the DEX format
/// requires `string_ids` sorted by content (ART rejects files that are
/// not), and for an ASCII key MUTF-8 byte order agrees with that order. In
/// a file with an unsorted table the string may not be found, which only
/// loses `getSystemService` evidence in a file ART would not load.
fn find_string(dex: &DexFile<'_>, want: &[u8]) -> Option<u32> {
    let (mut lo, mut hi) = (0u32, dex.strings_len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match dex.string(mid).ok()?.cmp(want) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

fn is_source(e: &ApiEntry) -> Option<Category> {
    (e.role == Role::Source).then_some(e.category).flatten()
}

impl Tables {
    /// Builds the method and field tables of `dex` (strings are looked up
    /// lazily). Cost: one hash lookup per type id, and string reads only
    /// for the members of catalog classes.
    pub fn build(dex: &DexFile<'_>, catalog: &ApiCatalog) -> Tables {
        let types_len = dex.types_len();
        let interesting: Vec<bool> = (0..types_len)
            .map(|t| type_name(dex, t).is_some_and(|name| catalog.has_class(&name)))
            .collect();
        let is_interesting =
            |class_idx: u16| interesting.get(usize::from(class_idx)).copied() == Some(true);

        let service_name = find_string(dex, GET_SYSTEM_SERVICE.as_bytes());
        let methods_len = dex.methods_len().min(1 << 16);
        let mut method_slot = vec![NONE; methods_len as usize];
        let mut methods = Vec::new();
        let mut proto = String::new();
        for (idx, slot) in (0..methods_len).zip(method_slot.iter_mut()) {
            let Ok(m) = dex.method_id(idx) else { continue };
            let interesting_class = is_interesting(m.class_idx);
            let maybe_service = service_name == Some(m.name_idx);
            if !interesting_class && !maybe_service {
                continue;
            }
            let Ok(name_bytes) = dex.string(m.name_idx) else {
                continue;
            };
            proto.clear();
            if dex
                .write_proto_descriptor(u32::from(m.proto_idx), &mut proto)
                .is_err()
            {
                continue;
            }
            let name = mutf8::decode(name_bytes);
            let mut hit = MethodHit {
                system_service: maybe_service && proto == GET_SYSTEM_SERVICE_PROTO,
                ..MethodHit::default()
            };
            let class = type_name(dex, u32::from(m.class_idx)).unwrap_or_default();
            if interesting_class {
                for e in catalog.methods(&class, &name, &proto) {
                    let Some(cat) = is_source(e) else { continue };
                    match &e.target {
                        ApiTarget::Method {
                            string_arg: Some(s),
                            ..
                        } => {
                            if !hit.with_string.iter().any(|(x, c)| x == s && *c == cat) {
                                hit.with_string.push((s.clone(), cat));
                            }
                        }
                        _ => {
                            if !hit.plain.contains(&cat) {
                                hit.plain.push(cat);
                            }
                        }
                    }
                }
            }
            if hit.plain.is_empty() && hit.with_string.is_empty() && !hit.system_service {
                continue;
            }
            hit.api = format!("{class}->{name}{proto}");
            *slot = u32::try_from(methods.len()).unwrap_or(NONE);
            methods.push(hit);
        }

        let fields_len = dex.fields_len().min(1 << 16);
        let mut field_slot = vec![NONE; fields_len as usize];
        let mut fields = Vec::new();
        for (idx, slot) in (0..fields_len).zip(field_slot.iter_mut()) {
            let Ok(f) = dex.field_id(idx) else { continue };
            if !is_interesting(f.class_idx) {
                continue;
            }
            let (Some(class), Ok(name)) = (
                type_name(dex, u32::from(f.class_idx)),
                dex.string_lossy(f.name_idx),
            ) else {
                continue;
            };
            let Some(cat) = catalog.field(&class, &name).and_then(is_source) else {
                continue;
            };
            *slot = u32::try_from(fields.len()).unwrap_or(NONE);
            fields.push((format!("{class}->{name}"), cat));
        }

        Tables {
            method_slot,
            methods,
            field_slot,
            fields,
            string_slot: vec![UNSEEN; dex.strings_len() as usize],
            strings: Vec::new(),
        }
    }

    /// The hit for an invoked method index.
    #[inline]
    pub fn method(&self, idx: u32) -> Option<&MethodHit> {
        let slot = *self.method_slot.get(idx as usize)?;
        self.methods.get(slot as usize)
    }

    /// The API and category of a static field read.
    #[inline]
    pub fn field(&self, idx: u32) -> Option<&(String, Category)> {
        let slot = *self.field_slot.get(idx as usize)?;
        self.fields.get(slot as usize)
    }

    /// The hit for a `const-string` of string `idx`, looked up on first use
    /// (content URI by longest prefix, then intent action).
    pub fn string(
        &mut self,
        dex: &DexFile<'_>,
        catalog: &ApiCatalog,
        idx: u32,
    ) -> Option<&StringHit> {
        let slot = self.string_slot.get_mut(idx as usize)?;
        if *slot == UNSEEN {
            *slot = NO_HIT;
            if let Ok(s) = dex.string_lossy(idx) {
                let hit = if s.starts_with("content://") {
                    catalog.content_uri(&s).and_then(|e| {
                        let cat = is_source(e)?;
                        match &e.target {
                            ApiTarget::ContentUri { .. } => Some(StringHit {
                                kind: EvidenceKind::ContentUri,
                                api: s.clone().into_owned(),
                                category: cat,
                            }),
                            _ => None,
                        }
                    })
                } else {
                    catalog.intent_action(&s).and_then(|e| {
                        Some(StringHit {
                            kind: EvidenceKind::IntentAction,
                            api: s.clone().into_owned(),
                            category: is_source(e)?,
                        })
                    })
                };
                if let Some(hit) = hit {
                    *slot = u32::try_from(self.strings.len()).unwrap_or(NO_HIT);
                    self.strings.push(hit);
                }
            }
        }
        let slot = *slot;
        self.strings.get(slot as usize)
    }

    /// String indices that a `const-string` used, ascending.
    pub fn used_strings(&self) -> Vec<u32> {
        (0u32..)
            .zip(&self.string_slot)
            .filter(|(_, s)| **s != UNSEEN)
            .map(|(i, _)| i)
            .collect()
    }
}
