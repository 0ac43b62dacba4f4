//! Domain owners and their countries (`domains/owners.toml`).

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;

use crate::error::KbError;
use crate::meta::{Header, Meta};

/// ISO 3166-1 alpha-2 codes (officially assigned), concatenated.
const ISO_3166_ALPHA2: &str = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && ISO_3166_ALPHA2
            .as_bytes()
            .chunks_exact(2)
            .any(|c| c == code.as_bytes())
}

/// A company that owns domains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// Stable id, e.g. `google`.
    pub id: String,
    /// Company name, e.g. `Google LLC`.
    pub name: String,
    /// Country of the headquarters, ISO 3166-1 alpha-2 (e.g. `US`).
    pub country: String,
    /// Id of the parent company, if any (e.g. `alphabet`).
    pub parent: Option<String>,
    /// The domains it owns (registrable domains or subdomains).
    pub domains: Vec<String>,
}

/// Domain → owner, matching a host by itself or any parent domain.
#[derive(Clone, Debug, Default)]
pub struct OwnerTable {
    list: Vec<Owner>,
    by_id: HashMap<String, usize>,
    by_domain: HashMap<String, usize>,
}

/// Longest host name looked up (DNS limit).
const MAX_HOST_LEN: usize = 253;

impl OwnerTable {
    /// The owner of `host`: the entry for the host itself or for its
    /// nearest parent domain (`a.b.google.com` → `google.com`). The host is
    /// compared case-insensitively, without a trailing dot.
    pub fn lookup(&self, host: &str) -> Option<&Owner> {
        self.lookup_domain(host).map(|(_, o)| o)
    }

    /// Like [`lookup`](Self::lookup), also returning the domain of the table
    /// that matched (a suffix of `host`).
    pub fn lookup_domain<'h>(&self, host: &'h str) -> Option<(Cow<'h, str>, &Owner)> {
        let host = host.strip_suffix('.').unwrap_or(host);
        if host.is_empty() || host.len() > MAX_HOST_LEN {
            return None;
        }
        let host: Cow<'h, str> = if host.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(host.to_ascii_lowercase())
        } else {
            Cow::Borrowed(host)
        };
        let mut start = 0usize;
        loop {
            let suffix = host.get(start..)?;
            if let Some(owner) = self.by_domain.get(suffix).and_then(|&i| self.list.get(i)) {
                let matched = match &host {
                    Cow::Borrowed(h) => Cow::Borrowed(h.get(start..)?),
                    Cow::Owned(h) => Cow::Owned(h.get(start..)?.to_owned()),
                };
                return Some((matched, owner));
            }
            let dot = suffix.find('.')?;
            start = start.checked_add(dot)?.checked_add(1)?;
        }
    }

    /// The owner with this id.
    pub fn get(&self, id: &str) -> Option<&Owner> {
        self.by_id.get(id).and_then(|&i| self.list.get(i))
    }

    /// The top of `owner`'s parent chain (the owner itself if it has no
    /// parent). Chains are checked for cycles at load time.
    pub fn root<'a>(&'a self, owner: &'a Owner) -> &'a Owner {
        let mut current = owner;
        for _ in 0..self.list.len() {
            match current.parent.as_deref().and_then(|p| self.get(p)) {
                Some(parent) => current = parent,
                None => break,
            }
        }
        current
    }

    /// All owners, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Owner> {
        self.list.iter()
    }

    /// Number of owners.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Number of domains.
    pub fn domain_count(&self) -> usize {
        self.by_domain.len()
    }
}

/// A lower-case DNS name with at least two labels.
fn is_domain(s: &str) -> bool {
    s.len() <= MAX_HOST_LEN
        && s.contains('.')
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[allow(dead_code)]
    schema_version: i64,
    meta: Meta,
    owner: Vec<RawOwner>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOwner {
    id: String,
    name: String,
    country: String,
    parent: Option<String>,
    domains: Vec<String>,
}

/// Parses and validates `domains/owners.toml`.
pub(crate) fn load(file: &str, text: &str) -> Result<(OwnerTable, Meta), KbError> {
    let header: Header = crate::source::from_toml(file, text)?;
    header.check(file)?;
    let raw: RawFile = crate::source::from_toml(file, text)?;
    raw.meta.validate(file)?;
    let mut table = OwnerTable::default();
    for o in raw.owner {
        let entry = format!("[[owner]] `{}`", o.id);
        if o.id.is_empty()
            || !o
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            return Err(KbError::invalid(file, &entry, "id must be [a-z0-9_-]+"));
        }
        if o.name.trim().is_empty() {
            return Err(KbError::invalid(file, &entry, "empty name"));
        }
        if !is_country_code(&o.country) {
            return Err(KbError::invalid(
                file,
                &entry,
                format_args!("`{}` is not an ISO 3166-1 alpha-2 country code", o.country),
            ));
        }
        if table.by_id.insert(o.id.clone(), table.list.len()).is_some() {
            return Err(KbError::duplicate(file, "owner id", &o.id));
        }
        for d in &o.domains {
            if !is_domain(d) {
                return Err(KbError::invalid(
                    file,
                    &entry,
                    format_args!("`{d}` is not a lower-case domain name"),
                ));
            }
            if let Some(&other) = table.by_domain.get(d.as_str()) {
                let other = table.list.get(other).map_or("?", |o| o.id.as_str());
                return Err(KbError::invalid(
                    file,
                    &entry,
                    format_args!("domain `{d}` is already owned by `{other}`"),
                ));
            }
            table.by_domain.insert(d.clone(), table.list.len());
        }
        table.list.push(Owner {
            id: o.id,
            name: o.name,
            country: o.country,
            parent: o.parent,
            domains: o.domains,
        });
    }
    for o in &table.list {
        let entry = format!("[[owner]] `{}`", o.id);
        let Some(parent) = &o.parent else { continue };
        if !table.by_id.contains_key(parent) {
            return Err(KbError::invalid(
                file,
                &entry,
                format_args!("unknown parent `{parent}`"),
            ));
        }
        // Walk the chain: more steps than owners means a cycle.
        let mut current = o;
        for _ in 0..=table.list.len() {
            match current.parent.as_deref().and_then(|p| table.get(p)) {
                Some(p) if p.id == o.id => {
                    return Err(KbError::invalid(file, &entry, "parent chain has a cycle"));
                }
                Some(p) => current = p,
                None => break,
            }
        }
    }
    Ok((table, raw.meta))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const HEAD: &str = "schema_version = 1\n[meta]\nsource = \"s\"\nlicence = \"Apache-2.0\"\nupdated = \"2026-01-01\"\n";

    fn load_str(body: &str) -> Result<OwnerTable, KbError> {
        load("o.toml", &format!("{HEAD}{body}")).map(|(t, _)| t)
    }

    const SAMPLE: &str = r#"
[[owner]]
id = "alphabet"
name = "Alphabet Inc."
country = "US"
domains = ["abc.xyz"]

[[owner]]
id = "google"
name = "Google LLC"
country = "US"
parent = "alphabet"
domains = ["google.com", "doubleclick.net"]

[[owner]]
id = "gcn"
name = "Google China"
country = "CN"
parent = "google"
domains = ["cn.google.com"]
"#;

    #[test]
    fn lookup_by_suffix() {
        let t = load_str(SAMPLE).unwrap();
        assert_eq!(t.lookup("google.com").unwrap().id, "google");
        assert_eq!(t.lookup("www.google.com").unwrap().id, "google");
        assert_eq!(t.lookup("A.B.GOOGLE.COM.").unwrap().id, "google");
        assert_eq!(t.lookup("maps.cn.google.com").unwrap().id, "gcn");
        let (d, o) = t.lookup_domain("x.Doubleclick.net").unwrap();
        assert_eq!((d.as_ref(), o.id.as_str()), ("doubleclick.net", "google"));
        assert!(t.lookup("notgoogle.com").is_none());
        assert!(t.lookup("com").is_none());
        assert!(t.lookup("").is_none());
        assert!(t.lookup(".").is_none());
        assert!(t.lookup("google.com..").is_none());
        assert!(t.lookup(&"a.".repeat(200)).is_none());
        assert_eq!(t.root(t.get("gcn").unwrap()).id, "alphabet");
        assert_eq!(t.domain_count(), 4);
    }

    #[test]
    fn validation_errors() {
        let bad_country = SAMPLE.replace("\"CN\"", "\"XX\"");
        let e = load_str(&bad_country).unwrap_err().to_string();
        assert!(
            e.contains("o.toml") && e.contains("`gcn`") && e.contains("ISO 3166"),
            "{e}"
        );
        let lower = SAMPLE.replace("\"CN\"", "\"cn\"");
        assert!(load_str(&lower).is_err());
        let dup_domain = SAMPLE.replace("cn.google.com", "google.com");
        let e = load_str(&dup_domain).unwrap_err().to_string();
        assert!(e.contains("already owned by `google`"), "{e}");
        let bad_domain = SAMPLE.replace("abc.xyz", "ABC.xyz");
        assert!(
            load_str(&bad_domain)
                .unwrap_err()
                .to_string()
                .contains("not a lower-case domain")
        );
        let unknown_parent = SAMPLE.replace("parent = \"alphabet\"", "parent = \"nobody\"");
        assert!(
            load_str(&unknown_parent)
                .unwrap_err()
                .to_string()
                .contains("unknown parent")
        );
        let cycle = SAMPLE.replace(
            "domains = [\"abc.xyz\"]",
            "parent = \"gcn\"\ndomains = [\"abc.xyz\"]",
        );
        assert!(load_str(&cycle).unwrap_err().to_string().contains("cycle"));
        let dup_id = format!(
            "{SAMPLE}\n[[owner]]\nid = \"google\"\nname = \"G\"\ncountry = \"US\"\ndomains = []\n"
        );
        assert!(
            load_str(&dup_id)
                .unwrap_err()
                .to_string()
                .contains("duplicate owner id")
        );
    }

    #[test]
    fn country_codes() {
        for c in [
            "US", "CN", "RU", "IL", "DE", "FR", "GB", "JP", "KR", "IN", "SG", "HK", "TW",
        ] {
            assert!(is_country_code(c), "{c}");
        }
        for c in ["UK", "XX", "us", "U", "USA", "", "EU"] {
            assert!(!is_country_code(c), "{c}");
        }
        assert_eq!(ISO_3166_ALPHA2.len(), 249 * 2);
    }
}
