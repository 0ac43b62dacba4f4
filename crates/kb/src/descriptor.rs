//! Syntax checks for DEX descriptors and member names.
//!
//! The catalog names framework APIs the way they appear in DEX files
//! (`Landroid/telephony/TelephonyManager;`, `(I)Ljava/lang/String;`), so that
//! the analysis compares them with the strings of the DEX file as they are,
//! without converting. These checks follow the DEX format's `SimpleName`,
//! `TypeDescriptor` and `ShortyDescriptor` grammar, except that we accept
//! any non-ASCII character in a simple name.

/// Characters that never appear in a DEX simple name.
fn is_simple_name_char(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c, '.' | ';' | '[' | '/' | '(' | ')' | '<' | '>' | ':'))
}

fn is_simple_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_simple_name_char)
}

/// A class descriptor: `L` + `/`-separated simple names + `;`.
pub fn is_class_descriptor(s: &str) -> bool {
    s.strip_prefix('L')
        .and_then(|r| r.strip_suffix(';'))
        .is_some_and(|inner| inner.split('/').all(is_simple_name))
}

/// A method or field name: a simple name, or `<init>` / `<clinit>`.
pub fn is_member_name(s: &str) -> bool {
    s == "<init>" || s == "<clinit>" || is_simple_name(s)
}

/// Parses one field type at the start of `s` (not `V`); returns the rest.
fn field_type(s: &str) -> Option<&str> {
    let dims = s.bytes().take_while(|&b| b == b'[').count();
    if dims > 255 {
        return None;
    }
    let rest = s.get(dims..)?;
    match rest.as_bytes().first()? {
        b'Z' | b'B' | b'S' | b'C' | b'I' | b'J' | b'F' | b'D' => rest.get(1..),
        b'L' => {
            let end = rest.find(';')?;
            let class = rest.get(..=end)?;
            is_class_descriptor(class)
                .then(|| rest.get(end.saturating_add(1)..))
                .flatten()
        }
        _ => None,
    }
}

/// A type descriptor (not `V`), e.g. `I`, `[B`, `Ljava/lang/String;`.
pub fn is_type_descriptor(s: &str) -> bool {
    field_type(s) == Some("")
}

/// A method prototype: `(` parameter types `)` return type (or `V`), with no
/// spaces, e.g. `(ILjava/lang/String;)V`.
pub fn is_proto(s: &str) -> bool {
    let Some(mut rest) = s.strip_prefix('(') else {
        return false;
    };
    loop {
        if let Some(ret) = rest.strip_prefix(')') {
            return ret == "V" || is_type_descriptor(ret);
        }
        match field_type(rest) {
            Some(r) => rest = r,
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_class_descriptor("Landroid/telephony/TelephonyManager;"));
        assert!(is_class_descriptor(
            "Landroid/provider/ContactsContract$CommonDataKinds$Phone;"
        ));
        assert!(is_class_descriptor("La;"));
        for bad in [
            "",
            "L;",
            "Landroid.os.Build;",
            "android/os/Build",
            "Landroid/os/Build",
            "La//b;",
            "L/a;",
            "La/;",
            "La b;",
            "[La;",
            "I",
        ] {
            assert!(!is_class_descriptor(bad), "{bad}");
        }
    }

    #[test]
    fn members() {
        assert!(is_member_name("getDeviceId"));
        assert!(is_member_name("<init>"));
        assert!(is_member_name("SERIAL"));
        assert!(is_member_name("access$000"));
        for bad in ["", "get Id", "<foo>", "a.b", "a;"] {
            assert!(!is_member_name(bad), "{bad}");
        }
    }

    #[test]
    fn protos() {
        for good in [
            "()V",
            "(I)Ljava/lang/String;",
            "(Ljava/lang/String;I[[BJ)[Landroid/location/Location;",
            "([I)Z",
            "()[B",
        ] {
            assert!(is_proto(good), "{good}");
        }
        for bad in [
            "",
            "()",
            "(V)V",
            "(I",
            "I)V",
            "(Ljava/lang/String)V",
            "(Ljava/lang/String; I)V",
            "()X",
            "(I)VV",
            "()Ljava.lang.String;",
        ] {
            assert!(!is_proto(bad), "{bad}");
        }
        let deep = format!("({}I)V", "[".repeat(256));
        assert!(!is_proto(&deep));
    }

    #[test]
    fn types() {
        assert!(is_type_descriptor("I"));
        assert!(is_type_descriptor("[[Ljava/lang/Object;"));
        assert!(!is_type_descriptor("V"));
        assert!(!is_type_descriptor("II"));
        assert!(!is_type_descriptor("["));
    }
}
