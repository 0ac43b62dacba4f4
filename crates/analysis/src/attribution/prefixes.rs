//! The library-prefix table (`data/sdk_prefixes.toml`): well-known
//! non-tracker SDKs by Java package prefix.

use serde::Deserialize;

/// The embedded `data/sdk_prefixes.toml`.
pub const EMBEDDED: &str = include_str!("../../../../data/sdk_prefixes.toml");

/// A problem in the prefix file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdkPrefixError {
    /// Not valid TOML, or not the expected shape.
    #[error("sdk_prefixes.toml: {0}")]
    Syntax(String),
    /// A `schema_version` this build does not know.
    #[error("sdk_prefixes.toml: unsupported schema_version {0} (expected 1)")]
    SchemaVersion(i64),
    /// A prefix that is not a dotted Java package name.
    #[error("sdk_prefixes.toml: SDK `{sdk}`: `{prefix}` is not a dotted package prefix")]
    BadPrefix {
        /// The SDK's name.
        sdk: String,
        /// The prefix.
        prefix: String,
    },
    /// An empty SDK name, or an SDK without prefixes.
    #[error("sdk_prefixes.toml: SDK #{0} has an empty name or no prefixes")]
    Empty(usize),
    /// The same prefix given twice.
    #[error("sdk_prefixes.toml: prefix `{0}` is listed twice")]
    Duplicate(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    schema_version: i64,
    #[allow(dead_code)]
    meta: RawMeta,
    #[serde(default)]
    sdk: Vec<RawSdk>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RawMeta {
    source: String,
    licence: String,
    updated: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSdk {
    name: String,
    prefixes: Vec<String>,
}

/// Package prefixes → SDK name, matched on class names in slash form.
#[derive(Clone, Debug, Default)]
pub struct SdkPrefixes {
    /// (`com/google/gson/`, SDK name), longest prefix first.
    entries: Vec<(String, String)>,
}

impl SdkPrefixes {
    /// The table embedded in the binary.
    pub fn embedded() -> Result<SdkPrefixes, SdkPrefixError> {
        SdkPrefixes::parse(EMBEDDED)
    }

    /// Parses and validates a prefix file.
    pub fn parse(text: &str) -> Result<SdkPrefixes, SdkPrefixError> {
        let raw: RawFile =
            toml::from_str(text).map_err(|e| SdkPrefixError::Syntax(e.to_string()))?;
        if raw.schema_version != 1 {
            return Err(SdkPrefixError::SchemaVersion(raw.schema_version));
        }
        let mut entries: Vec<(String, String)> = Vec::new();
        for (i, sdk) in raw.sdk.into_iter().enumerate() {
            if sdk.name.trim().is_empty() || sdk.prefixes.is_empty() {
                return Err(SdkPrefixError::Empty(i.saturating_add(1)));
            }
            for prefix in sdk.prefixes {
                let valid = prefix.split('.').all(|seg| {
                    !seg.is_empty()
                        && seg
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
                });
                if !valid {
                    return Err(SdkPrefixError::BadPrefix {
                        sdk: sdk.name.clone(),
                        prefix,
                    });
                }
                let mut slash = prefix.replace('.', "/");
                slash.push('/');
                if entries.iter().any(|(p, _)| *p == slash) {
                    return Err(SdkPrefixError::Duplicate(prefix));
                }
                entries.push((slash, sdk.name.clone()));
            }
        }
        entries.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(SdkPrefixes { entries })
    }

    /// The SDK whose prefix is the longest one that `class` (slash form
    /// without `L` and `;`, e.g. `com/google/gson/Gson`) lies under.
    pub fn lookup(&self, class: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(p, _)| class.starts_with(p.as_str()))
            .map(|(_, name)| name.as_str())
    }

    /// Number of prefixes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HEAD: &str = "schema_version = 1\n[meta]\nsource = \"s\"\nlicence = \"Apache-2.0\"\nupdated = \"2026-01-01\"\n";

    #[test]
    fn embedded_loads_and_matches_at_segment_boundaries() {
        let t = SdkPrefixes::embedded().unwrap();
        assert!(t.len() > 40);
        assert_eq!(t.lookup("okhttp3/OkHttpClient"), Some("OkHttp"));
        assert_eq!(t.lookup("okhttp3/internal/Util"), Some("OkHttp"));
        assert_eq!(t.lookup("okhttp3x/Foo"), None);
        assert_eq!(t.lookup("com/google/gson/Gson"), Some("Gson"));
        assert_eq!(t.lookup("kotlinx/coroutines/Job"), Some("Kotlin"));
        // Longest prefix wins.
        assert_eq!(
            t.lookup("android/support/v4/app/Fragment"),
            Some("Android Support Library")
        );
        assert_eq!(t.lookup("javax/inject/Inject"), Some("javax.inject"));
        assert_eq!(t.lookup("com/example/Foo"), None);
    }

    #[test]
    fn bad_files_are_typed_errors() {
        let e = SdkPrefixes::parse(&format!(
            "{HEAD}[[sdk]]\nname = \"X\"\nprefixes = [\"com..x\"]\n"
        ));
        assert!(matches!(e, Err(SdkPrefixError::BadPrefix { .. })), "{e:?}");
        let e = SdkPrefixes::parse(&format!(
            "{HEAD}[[sdk]]\nname = \"X\"\nprefixes = [\"a.b\"]\n[[sdk]]\nname = \"Y\"\nprefixes = [\"a.b\"]\n"
        ));
        assert_eq!(e.unwrap_err(), SdkPrefixError::Duplicate("a.b".into()));
        let e = SdkPrefixes::parse(&format!("{HEAD}[[sdk]]\nname = \"\"\nprefixes = [\"a\"]\n"));
        assert_eq!(e.unwrap_err(), SdkPrefixError::Empty(1));
        let e = SdkPrefixes::parse(&HEAD.replace("= 1", "= 2"));
        assert_eq!(e.unwrap_err(), SdkPrefixError::SchemaVersion(2));
        assert!(matches!(
            SdkPrefixes::parse("not toml ["),
            Err(SdkPrefixError::Syntax(_))
        ));
    }
}
