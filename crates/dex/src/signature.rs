//! Rendering method and field signatures the way AOSP `dexdump` spells them.

use std::fmt::Write as _;

use crate::{DexError, DexFile, mutf8};

impl<'a> DexFile<'a> {
    /// Appends `(params)ret` of proto `proto_idx`, e.g. `(ILjava/lang/String;)V`.
    pub fn write_proto_descriptor(&self, proto_idx: u32, out: &mut String) -> Result<(), DexError> {
        let proto = self.proto_id(proto_idx)?;
        out.push('(');
        for ty in self.proto_parameters(&proto)?.iter() {
            out.push_str(&self.type_descriptor_lossy(u32::from(ty))?);
        }
        out.push(')');
        out.push_str(&self.type_descriptor_lossy(proto.return_type_idx)?);
        Ok(())
    }

    /// `(params)ret` of proto `proto_idx`.
    pub fn proto_descriptor(&self, proto_idx: u32) -> Result<String, DexError> {
        let mut s = String::new();
        self.write_proto_descriptor(proto_idx, &mut s)?;
        Ok(s)
    }

    /// Appends `Lpkg/Class;->name(Params)Ret` of method `method_idx`.
    pub fn write_method_signature(
        &self,
        method_idx: u32,
        out: &mut String,
    ) -> Result<(), DexError> {
        let m = self.method_id(method_idx)?;
        out.push_str(&self.type_descriptor_lossy(u32::from(m.class_idx))?);
        out.push_str("->");
        out.push_str(&self.string_lossy(m.name_idx)?);
        self.write_proto_descriptor(u32::from(m.proto_idx), out)
    }

    /// `Lpkg/Class;->name(Params)Ret` of method `method_idx`.
    pub fn method_signature(&self, method_idx: u32) -> Result<String, DexError> {
        let mut s = String::new();
        self.write_method_signature(method_idx, &mut s)?;
        Ok(s)
    }

    /// `Lpkg/Class;->name:Type` of field `field_idx`.
    pub fn field_signature(&self, field_idx: u32) -> Result<String, DexError> {
        let f = self.field_id(field_idx)?;
        let mut s = String::new();
        let class = mutf8::decode(self.type_descriptor(u32::from(f.class_idx))?);
        let name = self.string_lossy(f.name_idx)?;
        let ty = self.type_descriptor_lossy(u32::from(f.type_idx))?;
        let _ = write!(s, "{class}->{name}:{ty}");
        Ok(s)
    }
}
