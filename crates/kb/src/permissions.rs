//! Android permissions with their protection levels
//! (`android/permissions.json`, derived from AOSP) and our category mapping
//! (`android/permission_categories.toml`, hand-curated).

use std::collections::HashMap;

use serde::Deserialize;

use crate::apis::is_permission_name;
use crate::category::{Category, parse_category};
use crate::error::KbError;
use crate::meta::{Header, Meta};

/// The base of a permission's protection level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protection {
    /// Granted at install time.
    Normal,
    /// A runtime permission the user must grant.
    Dangerous,
    /// Only for apps signed with the same key as the definer.
    Signature,
    /// The legacy `signatureOrSystem` level.
    SignatureOrSystem,
    /// Granted only through internal mechanisms (roles, app ops, ...).
    Internal,
}

impl Protection {
    fn from_id(s: &str) -> Option<Protection> {
        Some(match s {
            "normal" => Protection::Normal,
            "dangerous" => Protection::Dangerous,
            "signature" => Protection::Signature,
            "signatureOrSystem" => Protection::SignatureOrSystem,
            "internal" => Protection::Internal,
            _ => return None,
        })
    }
}

/// One permission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permission {
    /// Full name, e.g. `android.permission.READ_SMS`.
    pub name: String,
    /// Protection level as AOSP writes it, e.g. `signature|privileged`.
    pub protection_level: String,
    /// The base level (the first part of `protection_level`).
    pub protection: Protection,
    /// Permission group, if any.
    pub group: Option<String>,
    /// English description, if any.
    pub description: Option<String>,
    /// The data category it gives access to, if it gives access to any.
    pub category: Option<Category>,
    /// Whether AOSP's platform manifest defines it (false for the extra
    /// permissions of `permission_categories.toml`, e.g. Health Connect's).
    pub aosp: bool,
}

impl Permission {
    /// The protection flags besides the base level, e.g. `privileged`.
    pub fn flags(&self) -> impl Iterator<Item = &str> {
        self.protection_level
            .split('|')
            .filter(|f| Protection::from_id(f).is_none())
    }

    /// Whether the user must grant it at run time.
    pub fn is_dangerous(&self) -> bool {
        self.protection == Protection::Dangerous
    }
}

/// All known permissions, by name.
#[derive(Clone, Debug, Default)]
pub struct PermissionTable {
    list: Vec<Permission>,
    index: HashMap<String, usize>,
}

impl PermissionTable {
    /// The permission with this exact name.
    pub fn get(&self, name: &str) -> Option<&Permission> {
        self.index.get(name).and_then(|&i| self.list.get(i))
    }

    /// The category a permission gives access to.
    pub fn category(&self, name: &str) -> Option<Category> {
        self.get(name).and_then(|p| p.category)
    }

    /// All permissions, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &Permission> {
        self.list.iter()
    }

    /// The permissions mapped to `category`.
    pub fn of_category(&self, category: Category) -> impl Iterator<Item = &Permission> {
        self.list
            .iter()
            .filter(move |p| p.category == Some(category))
    }

    /// Number of permissions.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAosp {
    #[allow(dead_code)]
    schema_version: i64,
    meta: Meta,
    permissions: Vec<RawPermission>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPermission {
    name: String,
    protection_level: String,
    group: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategories {
    #[allow(dead_code)]
    schema_version: i64,
    meta: Meta,
    categories: HashMap<String, Vec<String>>,
    #[serde(default)]
    extra: Vec<RawPermission>,
}

/// Parses `a|b|c`: exactly one part is a base level (usually, but not
/// always, the first: AOSP has `module|signature|role`); the others are
/// flags.
fn parse_level(file: &str, entry: &str, level: &str) -> Result<Protection, KbError> {
    let flags_ok = level
        .split('|')
        .all(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphanumeric()));
    let mut bases = level.split('|').filter_map(Protection::from_id);
    match (bases.next(), bases.next()) {
        (Some(p), None) if flags_ok => Ok(p),
        _ => Err(KbError::invalid(
            file,
            entry,
            format_args!("unknown protection level `{level}`"),
        )),
    }
}

fn add(
    table: &mut PermissionTable,
    file: &str,
    raw: RawPermission,
    aosp: bool,
) -> Result<(), KbError> {
    let entry = format!("permission `{}`", raw.name);
    if !is_permission_name(&raw.name) {
        return Err(KbError::invalid(file, &entry, "not a permission name"));
    }
    let protection = parse_level(file, &entry, &raw.protection_level)?;
    if table.index.contains_key(&raw.name) {
        return Err(KbError::duplicate(file, "permission", &raw.name));
    }
    table.index.insert(raw.name.clone(), table.list.len());
    table.list.push(Permission {
        name: raw.name,
        protection_level: raw.protection_level,
        protection,
        group: raw.group.filter(|g| !g.is_empty()),
        description: raw.description.filter(|d| !d.is_empty()),
        category: None,
        aosp,
    });
    Ok(())
}

/// Parses both files and merges them.
pub(crate) fn load(
    aosp_file: &str,
    aosp_text: &str,
    cat_file: &str,
    cat_text: &str,
) -> Result<(PermissionTable, Meta, Meta), KbError> {
    let header: Header = crate::source::from_json(aosp_file, aosp_text)?;
    header.check(aosp_file)?;
    let aosp: RawAosp = crate::source::from_json(aosp_file, aosp_text)?;
    aosp.meta.validate(aosp_file)?;
    let header: Header = crate::source::from_toml(cat_file, cat_text)?;
    header.check(cat_file)?;
    let cats: RawCategories = crate::source::from_toml(cat_file, cat_text)?;
    cats.meta.validate(cat_file)?;

    let mut table = PermissionTable::default();
    for p in aosp.permissions {
        add(&mut table, aosp_file, p, true)?;
    }
    for p in cats.extra {
        if table.index.contains_key(&p.name) {
            return Err(KbError::invalid(
                cat_file,
                format_args!("[[extra]] `{}`", p.name),
                "AOSP already defines it",
            ));
        }
        add(&mut table, cat_file, p, false)?;
    }
    // Sorted for a deterministic order (the TOML table is a hash map).
    let mut mapping: Vec<(String, Vec<String>)> = cats.categories.into_iter().collect();
    mapping.sort();
    for (cat_id, names) in mapping {
        let category = parse_category(cat_file, format_args!("[categories] {cat_id}"), &cat_id)?;
        for name in names {
            let entry = format!("[categories] {cat_id} `{name}`");
            let Some(&i) = table.index.get(&name) else {
                return Err(KbError::invalid(
                    cat_file,
                    &entry,
                    "unknown permission (neither in AOSP nor in [[extra]])",
                ));
            };
            let Some(p) = table.list.get_mut(i) else {
                continue;
            };
            if let Some(previous) = p.category {
                return Err(KbError::invalid(
                    cat_file,
                    &entry,
                    format_args!("already mapped to `{previous}`"),
                ));
            }
            p.category = Some(category);
        }
    }
    table.list.sort_by(|a, b| a.name.cmp(&b.name));
    table.index = table
        .list
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.clone(), i))
        .collect();
    Ok((table, aosp.meta, cats.meta))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const AOSP: &str = r#"{"schema_version": 1, "meta": {"source": "s", "licence": "Apache-2.0", "updated": "2026-01-01"},
      "permissions": [
        {"name": "android.permission.READ_SMS", "protection_level": "dangerous", "group": "android.permission-group.SMS"},
        {"name": "android.permission.INTERNET", "protection_level": "normal"},
        {"name": "android.permission.READ_LOGS", "protection_level": "signature|privileged|development"}
      ]}"#;
    const HEAD: &str = "schema_version = 1\n[meta]\nsource = \"s\"\nlicence = \"Apache-2.0\"\nupdated = \"2026-01-01\"\n";

    fn load_cats(body: &str) -> Result<PermissionTable, KbError> {
        load("p.json", AOSP, "c.toml", &format!("{HEAD}{body}")).map(|(t, _, _)| t)
    }

    #[test]
    fn merges_levels_and_categories() {
        let t = load_cats("[categories]\nmessages = [\"android.permission.READ_SMS\"]\nhealth_fitness = [\"android.permission.health.READ_STEPS\"]\n[[extra]]\nname = \"android.permission.health.READ_STEPS\"\nprotection_level = \"dangerous\"\n").unwrap();
        assert_eq!(t.len(), 4);
        let sms = t.get("android.permission.READ_SMS").unwrap();
        assert!(sms.is_dangerous() && sms.aosp);
        assert_eq!(sms.category, Some(Category::Messages));
        assert_eq!(sms.group.as_deref(), Some("android.permission-group.SMS"));
        let logs = t.get("android.permission.READ_LOGS").unwrap();
        assert_eq!(logs.protection, Protection::Signature);
        assert_eq!(
            logs.flags().collect::<Vec<_>>(),
            ["privileged", "development"]
        );
        assert_eq!(t.category("android.permission.INTERNET"), None);
        let steps = t.get("android.permission.health.READ_STEPS").unwrap();
        assert!(!steps.aosp);
        assert_eq!(steps.category, Some(Category::HealthFitness));
        assert_eq!(t.of_category(Category::Messages).count(), 1);
        let names: Vec<_> = t.iter().map(|p| p.name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }

    #[test]
    fn errors_name_file_and_entry() {
        let e = load_cats("[categories]\nweather = [\"android.permission.READ_SMS\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("c.toml") && e.contains("unknown category `weather`"),
            "{e}"
        );
        let e = load_cats("[categories]\nmessages = [\"android.permission.READ_SMSES\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("READ_SMSES") && e.contains("unknown permission"),
            "{e}"
        );
        let e = load_cats("[categories]\nmessages = [\"android.permission.READ_SMS\"]\ncontacts = [\"android.permission.READ_SMS\"]\n").unwrap_err().to_string();
        assert!(e.contains("already mapped"), "{e}");
        let e = load_cats("[categories]\n[[extra]]\nname = \"android.permission.READ_SMS\"\nprotection_level = \"dangerous\"\n").unwrap_err().to_string();
        assert!(e.contains("AOSP already defines it"), "{e}");
        let e =
            load_cats("[categories]\n[[extra]]\nname = \"x.y\"\nprotection_level = \"scary\"\n")
                .unwrap_err()
                .to_string();
        assert!(e.contains("unknown protection level `scary`"), "{e}");
        let e = load_cats(
            "[categories]\n[[extra]]\nname = \"x.y\"\nprotection_level = \"normal|dangerous\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("unknown protection level"), "{e}");
        let t = load_cats("[categories]\n[[extra]]\nname = \"x.y\"\nprotection_level = \"module|signature|role\"\n").unwrap();
        let p = t.get("x.y").unwrap();
        assert_eq!(p.protection, Protection::Signature);
        assert_eq!(p.flags().collect::<Vec<_>>(), ["module", "role"]);
        let dup = AOSP.replace("android.permission.INTERNET", "android.permission.READ_SMS");
        let e = load("p.json", &dup, "c.toml", &format!("{HEAD}[categories]\n"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("p.json") && e.contains("duplicate permission"),
            "{e}"
        );
    }
}
