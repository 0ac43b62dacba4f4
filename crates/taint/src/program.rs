//! The app's code as one program: every class of every DEX file, indexed by
//! descriptor, with its hierarchy and methods, and method references
//! resolved to names. Code is decoded lazily, once per analysed method.

use std::collections::HashMap;

use leakscope_dalvik::{Decoder, Insn, Instruction};
use leakscope_dex::{DexFile, EncodedMethod, ParseOptions, dex_images};

/// Index of a method with code (or abstract) of the app in [`Program::methods`].
pub type MethodId = usize;

/// A method of the app.
#[derive(Clone, Debug)]
pub struct Method {
    /// Declaring class descriptor.
    pub class: String,
    /// Name.
    pub name: String,
    /// Prototype `(I)V`.
    pub proto: String,
    /// Access flags.
    pub access: u32,
    /// Which DEX image holds its code.
    pub dex: usize,
    /// Offset of its code item.
    pub code_off: Option<u32>,
}

const ACC_STATIC: u32 = 0x8;
const ACC_PRIVATE: u32 = 0x2;
const ACC_INTERFACE: u32 = 0x200;
const ACC_CONSTRUCTOR: u32 = 0x1_0000;

impl Method {
    /// `static`.
    pub fn is_static(&self) -> bool {
        self.access & ACC_STATIC != 0
    }

    /// Private or a constructor: dispatched directly.
    pub fn is_direct(&self) -> bool {
        self.access & (ACC_PRIVATE | ACC_CONSTRUCTOR) != 0 || self.is_static()
    }

    /// `Lpkg/C;->name(proto)`.
    pub fn signature(&self) -> String {
        format!("{}->{}{}", self.class, self.name, self.proto)
    }
}

/// A class of the app.
#[derive(Clone, Debug, Default)]
pub struct Class {
    /// Superclass descriptor.
    pub superclass: Option<String>,
    /// Implemented interfaces.
    pub interfaces: Vec<String>,
    /// An interface.
    pub is_interface: bool,
    /// Its methods.
    pub methods: Vec<MethodId>,
    /// Names of the fields it declares.
    pub fields: Vec<String>,
}

/// A method reference of an instruction, resolved to strings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MethodRef {
    /// Class descriptor as referenced.
    pub class: String,
    /// Name.
    pub name: String,
    /// Prototype.
    pub proto: String,
    /// Parameter type descriptors (without the receiver).
    pub params: Vec<String>,
    /// Return type descriptor.
    pub ret: String,
}

/// One decoded method body.
#[derive(Clone, Debug)]
pub struct Body {
    /// Registers.
    pub registers: u16,
    /// Incoming argument words (the last `ins` registers).
    pub ins: u16,
    /// Instructions (payloads excluded), in address order.
    pub insns: Vec<Instruction>,
    /// Switch targets per instruction index (absolute pcs).
    pub switch_targets: HashMap<usize, Vec<u32>>,
    /// Try ranges: (start pc, end pc, handler pcs with caught type or None for catch-all).
    pub tries: Vec<(u32, u32, Vec<u32>)>,
}

/// The whole app's code.
pub struct Program<'a> {
    /// DEX images with their labels.
    pub dex: Vec<(String, DexFile<'a>)>,
    /// Classes by descriptor (first definition wins, as in ART).
    pub classes: HashMap<String, Class>,
    /// Methods.
    pub methods: Vec<Method>,
    /// Method by (class, name, proto).
    by_key: HashMap<(String, String, String), MethodId>,
    /// Ancestors per class, computed on demand.
    ancestors: std::cell::RefCell<HashMap<String, std::rc::Rc<Vec<String>>>>,
    /// Resolved method references per (dex, method_idx).
    refs: std::cell::RefCell<HashMap<(usize, u32), std::rc::Rc<MethodRef>>>,
    /// Images that could not be read.
    pub warnings: Vec<String>,
}

impl<'a> Program<'a> {
    /// Indexes the classes of the DEX files `(label, bytes)`.
    pub fn new(files: &[(String, &'a [u8])]) -> Program<'a> {
        let mut p = Program {
            dex: Vec::new(),
            classes: HashMap::new(),
            methods: Vec::new(),
            by_key: HashMap::new(),
            refs: Default::default(),
            ancestors: Default::default(),
            warnings: Vec::new(),
        };
        for (label, bytes) in files {
            for (i, image) in dex_images(bytes, ParseOptions::default()).enumerate() {
                match image {
                    Ok(d) => {
                        let l = if i == 0 {
                            label.clone()
                        } else {
                            format!("{label}#{i}")
                        };
                        p.dex.push((l, d));
                    }
                    Err(e) => p.warnings.push(format!("{label}: {e}")),
                }
            }
        }
        let dexes = std::mem::take(&mut p.dex);
        for (di, (_, dex)) in dexes.iter().enumerate() {
            p.index_dex(di, dex);
        }
        p.dex = dexes;
        p
    }

    fn index_dex(&mut self, di: usize, dex: &DexFile<'a>) {
        for def in dex.class_defs() {
            let Ok(name) = dex.type_descriptor_lossy(def.class_idx) else {
                continue;
            };
            let name = name.into_owned();
            if self.classes.contains_key(&name) {
                continue;
            }
            let mut class = Class {
                superclass: def
                    .superclass_idx
                    .and_then(|s| dex.type_descriptor_lossy(s).ok())
                    .map(|s| s.into_owned()),
                is_interface: def.access_flags & ACC_INTERFACE != 0,
                ..Class::default()
            };
            if let Ok(list) = dex.interfaces(&def) {
                class.interfaces = list
                    .iter()
                    .filter_map(|t| dex.type_descriptor_lossy(u32::from(t)).ok())
                    .map(|s| s.into_owned())
                    .collect();
            }
            if let Ok(Some(data)) = dex.class_data(&def) {
                for f in data.fields() {
                    let Ok(f) = f else { break };
                    if let Some(n) = dex
                        .field_id(f.field_idx)
                        .ok()
                        .and_then(|id| dex.string_lossy(id.name_idx).ok())
                    {
                        class.fields.push(n.into_owned());
                    }
                }
                for m in data.methods() {
                    let Ok(m) = m else { break };
                    if let Some(id) = self.add_method(di, dex, &name, &m) {
                        class.methods.push(id);
                    }
                }
            }
            self.classes.insert(name, class);
        }
    }

    fn add_method(
        &mut self,
        di: usize,
        dex: &DexFile<'a>,
        class: &str,
        m: &EncodedMethod,
    ) -> Option<MethodId> {
        let id = dex.method_id(m.method_idx).ok()?;
        let name = dex.string_lossy(id.name_idx).ok()?.into_owned();
        let proto = dex.proto_descriptor(u32::from(id.proto_idx)).ok()?;
        let mid = self.methods.len();
        self.by_key
            .insert((class.to_string(), name.clone(), proto.clone()), mid);
        self.methods.push(Method {
            class: class.to_string(),
            name,
            proto,
            access: m.access_flags,
            dex: di,
            code_off: m.code_off,
        });
        Some(mid)
    }

    /// The app method with exactly this key.
    pub fn method(&self, class: &str, name: &str, proto: &str) -> Option<MethodId> {
        self.by_key
            .get(&(class.to_string(), name.to_string(), proto.to_string()))
            .copied()
    }

    /// Whether the class is defined by the app.
    pub fn is_app_class(&self, class: &str) -> bool {
        self.classes.contains_key(class)
    }

    /// Resolves a method reference of DEX image `dex`.
    pub fn method_ref(&self, dex: usize, idx: u32) -> Option<std::rc::Rc<MethodRef>> {
        if let Some(r) = self.refs.borrow().get(&(dex, idx)) {
            return Some(r.clone());
        }
        let d = &self.dex.get(dex)?.1;
        let id = d.method_id(idx).ok()?;
        let proto = d.proto_id(u32::from(id.proto_idx)).ok()?;
        let params: Vec<String> = d
            .proto_parameters(&proto)
            .ok()?
            .iter()
            .filter_map(|t| d.type_descriptor_lossy(u32::from(t)).ok())
            .map(|s| s.into_owned())
            .collect();
        let ret = d
            .type_descriptor_lossy(proto.return_type_idx)
            .ok()?
            .into_owned();
        let r = std::rc::Rc::new(MethodRef {
            class: d
                .type_descriptor_lossy(u32::from(id.class_idx))
                .ok()?
                .into_owned(),
            name: d.string_lossy(id.name_idx).ok()?.into_owned(),
            proto: format!("({}){ret}", params.concat()),
            params,
            ret,
        });
        self.refs.borrow_mut().insert((dex, idx), r.clone());
        Some(r)
    }

    /// Resolves a field reference: (class, name, type).
    pub fn field_ref(&self, dex: usize, idx: u32) -> Option<(String, String, String)> {
        let d = &self.dex.get(dex)?.1;
        let f = d.field_id(idx).ok()?;
        Some((
            d.type_descriptor_lossy(u32::from(f.class_idx))
                .ok()?
                .into_owned(),
            d.string_lossy(f.name_idx).ok()?.into_owned(),
            d.type_descriptor_lossy(u32::from(f.type_idx))
                .ok()?
                .into_owned(),
        ))
    }

    /// A string constant.
    pub fn string(&self, dex: usize, idx: u32) -> Option<String> {
        Some(self.dex.get(dex)?.1.string_lossy(idx).ok()?.into_owned())
    }

    /// A type descriptor.
    pub fn type_name(&self, dex: usize, idx: u32) -> Option<String> {
        Some(
            self.dex
                .get(dex)?
                .1
                .type_descriptor_lossy(idx)
                .ok()?
                .into_owned(),
        )
    }

    /// Decodes a method's code; `None` when it has none or it is unreadable.
    pub fn body(&self, m: MethodId) -> Option<Body> {
        let method = self.methods.get(m)?;
        let dex = &self.dex.get(method.dex)?.1;
        let code = dex.code_item(method.code_off?).ok()?;
        let mut insns = Vec::new();
        let mut switch_targets = HashMap::new();
        for insn in Decoder::new(code.insns) {
            let Ok(Insn::Op(i)) = insn else {
                if insn.is_err() {
                    break;
                }
                continue;
            };
            if let Ok(p) = i.payload(code.insns) {
                let rel: Vec<i32> = match p {
                    Insn::PackedSwitch(s) => s.iter().map(|(_, t)| t).collect(),
                    Insn::SparseSwitch(s) => s.iter().map(|(_, t)| t).collect(),
                    _ => Vec::new(),
                };
                let abs = rel
                    .into_iter()
                    .filter_map(|t| u32::try_from(i64::from(i.pc) + i64::from(t)).ok())
                    .collect();
                switch_targets.insert(insns.len(), abs);
            }
            insns.push(i);
        }
        let mut tries = Vec::new();
        for block in code.try_blocks() {
            let Ok(block) = block else { break };
            let start = block.try_item.start_addr;
            let end = start.saturating_add(u32::from(block.try_item.insn_count));
            let mut handlers: Vec<u32> = block.handler.clauses().map(|c| c.addr).collect();
            handlers.extend(block.handler.catch_all_addr);
            tries.push((start, end, handlers));
        }
        Some(Body {
            registers: code.registers_size,
            ins: code.ins_size,
            insns,
            switch_targets,
            tries,
        })
    }

    /// Superclass and interfaces of an app class.
    pub fn supertypes(&self, class: &str) -> Vec<String> {
        self.classes
            .get(class)
            .map(|c| c.superclass.iter().chain(&c.interfaces).cloned().collect())
            .unwrap_or_default()
    }

    /// The class and all its app supertypes, then the first library
    /// supertypes, breadth first (bounded against cycles); computed once
    /// per class.
    pub fn ancestors(&self, class: &str) -> std::rc::Rc<Vec<String>> {
        if let Some(a) = self.ancestors.borrow().get(class) {
            return a.clone();
        }
        let mut out = vec![class.to_string()];
        let mut i = 0;
        while i < out.len() && out.len() < 256 {
            for s in self.supertypes(&out[i]) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
            i += 1;
        }
        let rc = std::rc::Rc::new(out);
        self.ancestors
            .borrow_mut()
            .insert(class.to_string(), rc.clone());
        rc
    }

    /// The class that declares field `name` seen through `class`: the first
    /// app ancestor that declares it, else `class` itself.
    pub fn field_owner(&self, class: &str, name: &str) -> String {
        let mut c = class.to_string();
        for _ in 0..64 {
            let Some(info) = self.classes.get(&c) else {
                break;
            };
            if info.fields.iter().any(|f| f == name) {
                return c;
            }
            match &info.superclass {
                Some(s) => c = s.clone(),
                None => break,
            }
        }
        class.to_string()
    }

    /// Whether `class` is `ancestor` or inherits from it.
    pub fn is_subtype(&self, class: &str, ancestor: &str) -> bool {
        self.ancestors(class).iter().any(|a| a == ancestor)
    }

    /// Finds the implementation of `name proto` that a virtual call on an
    /// object of dynamic type `class` runs: walks up the superclasses.
    pub fn dispatch(&self, class: &str, name: &str, proto: &str) -> Option<MethodId> {
        let mut c = class.to_string();
        for _ in 0..64 {
            if let Some(m) = self.method(&c, name, proto)
                && !self.methods[m].is_static()
            {
                return Some(m);
            }
            c = self.classes.get(&c)?.superclass.clone()?;
        }
        None
    }
}
