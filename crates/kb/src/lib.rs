//! leakscope's knowledge base: what the analyses know about Android, as
//! versioned data files rather than code.
//!
//! | file (under `data/`) | type | holds |
//! |---|---|---|
//! | `categories.toml` | [`Categories`] | the 14 data categories with their Play / Apple data types |
//! | `android/apis.toml` | [`ApiCatalog`] | sensitive APIs (methods, fields, content URIs, intent actions, system services) → category, permission, source/sink role |
//! | `android/permissions.json` + `android/permission_categories.toml` | [`PermissionTable`] | AOSP permissions with protection levels, and our permission → category map |
//! | `trackers/exodus.json` | [`TrackerTable`] | Exodus tracker code and network signatures (ODbL) |
//! | `domains/owners.toml` | [`OwnerTable`] | domain → owner company → country |
//!
//! Each file has a `schema_version` and a `[meta]` (`source`, `licence`,
//! `updated`); `data/PROVENANCE.md` says where each one came from.
//!
//! The files are embedded in the binary ([`Kb::embedded`]). [`Kb::load_dir`]
//! reads the same file names from a directory instead: **a file missing from
//! that directory falls back to the embedded one**, so a user can override a
//! single file. Either way everything is validated: unknown categories,
//! malformed DEX descriptors, duplicate keys, bad regexes, unknown
//! permissions and bad country codes are [`KbError`]s naming the file and
//! the entry.
//!
//! How the analysis uses the catalog ([`ApiCatalog`]):
//! - method entries name the class that *declares* the method. An invoke
//!   instruction names the static type of its receiver, which can be a
//!   subclass (`Lcom/app/MainActivity;->startActivity`), so callers resolve
//!   the target through the class hierarchy before the lookup;
//! - an entry with a [`string_arg`](ApiTarget::Method::string_arg) only
//!   counts when that string constant is passed (the `"android_id"` key of
//!   `Settings.Secure.getString`);
//! - compile-time constants are inlined by the compiler, so the catalog lists
//!   them as strings too: content URIs (longest prefix wins), intent actions
//!   and `getSystemService` names;
//! - [`TrackerTable::match_class`] searches the Exodus code signatures in
//!   a class name exactly as exodus-core's `re.search` does.
//!
//! ```
//! use leakscope_kb::{Category, Kb};
//! let kb = Kb::embedded().map_err(|e| e.to_string())?;
//! let tm = "Landroid/telephony/TelephonyManager;";
//! let hit = kb.apis.methods(tm, "getDeviceId", "()Ljava/lang/String;").next();
//! assert_eq!(hit.and_then(|e| e.category), Some(Category::DeviceIds));
//! assert_eq!(kb.permissions.category("android.permission.READ_SMS"), Some(Category::Messages));
//! assert_eq!(kb.owners.lookup("graph.facebook.com").map(|o| o.country.as_str()), Some("US"));
//! # Ok::<(), String>(())
//! ```

#![deny(missing_docs)]

mod apis;
mod category;
mod descriptor;
mod error;
mod meta;
mod owners;
mod permissions;
mod source;
mod trackers;
mod wildcard;

use std::path::Path;
use std::sync::OnceLock;

pub use apis::{ApiCatalog, ApiEntry, ApiTarget, Role, SinkKind};
pub use category::{Categories, Category, CategoryInfo, UnknownCategory};
pub use descriptor::{is_class_descriptor, is_member_name, is_proto, is_type_descriptor};
pub use error::{KbError, KbWarning};
pub use meta::{Meta, SCHEMA_VERSION};
pub use owners::{Owner, OwnerTable, is_country_code};
pub use permissions::{Permission, PermissionTable, Protection};
pub use source::{FILE_NAMES, FileInfo, MAX_FILE_SIZE, Origin};
pub use trackers::{Signature, Tracker, TrackerTable};

/// The loaded and validated knowledge base.
#[derive(Clone, Debug)]
pub struct Kb {
    /// The data categories.
    pub categories: Categories,
    /// The sensitive-API catalog.
    pub apis: ApiCatalog,
    /// Permissions, protection levels and categories.
    pub permissions: PermissionTable,
    /// Tracker signatures.
    pub trackers: TrackerTable,
    /// Domain owners.
    pub owners: OwnerTable,
    /// Version of the data: the latest `updated` date of the files, with
    /// `+local` when any file did not come from the embedded copies.
    pub version: String,
    /// Each file, where it was read from and its provenance.
    pub files: Vec<FileInfo>,
    /// Anomalies that did not prevent loading.
    pub warnings: Vec<KbWarning>,
}

impl Kb {
    /// The embedded knowledge base, loaded and validated once per process.
    ///
    /// The embedded files are checked by this crate's tests, so an error here
    /// means a broken build; it is returned rather than panicking.
    pub fn embedded() -> Result<&'static Kb, &'static KbError> {
        static KB: OnceLock<Result<Kb, KbError>> = OnceLock::new();
        KB.get_or_init(|| Kb::load(source::Overrides::None))
            .as_ref()
    }

    /// Loads the embedded knowledge base into a new value.
    pub fn load_embedded() -> Result<Kb, KbError> {
        Kb::load(source::Overrides::None)
    }

    /// Loads the knowledge base from `(file name, text)` pairs, e.g. data
    /// kept in a database. Names are those of [`FILE_NAMES`]; **a file not
    /// given is taken from the embedded copy.** An unknown or repeated name
    /// is an error.
    pub fn load_texts(files: &[(&str, &str)]) -> Result<Kb, KbError> {
        for (i, (name, _)) in files.iter().enumerate() {
            if !FILE_NAMES.contains(name) {
                return Err(KbError::invalid(
                    name,
                    "file name",
                    format_args!(
                        "not a knowledge-base file (expected one of {})",
                        FILE_NAMES.join(", ")
                    ),
                ));
            }
            if files.iter().take(i).any(|(other, _)| other == name) {
                return Err(KbError::duplicate(name, "file", name));
            }
        }
        Kb::load(source::Overrides::Texts(files))
    }

    /// Loads the knowledge base from `dir`, which holds files with the
    /// names of [`FILE_NAMES`] (e.g. `dir/android/apis.toml`). **Any file
    /// missing there is taken from the embedded copy.** The directory itself
    /// must exist.
    pub fn load_dir(dir: &Path) -> Result<Kb, KbError> {
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => Kb::load(source::Overrides::Dir(dir)),
            Ok(_) => Err(KbError::Io {
                file: dir.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a directory"),
            }),
            Err(source) => Err(KbError::Io {
                file: dir.display().to_string(),
                source,
            }),
        }
    }

    fn load(overrides: source::Overrides<'_>) -> Result<Kb, KbError> {
        let mut files = Vec::with_capacity(FILE_NAMES.len());
        let mut record = |name, loaded: &source::Loaded, meta: &Meta| {
            files.push(FileInfo {
                name,
                origin: loaded.origin.clone(),
                meta: meta.clone(),
            });
        };

        let f = source::read(overrides, source::CATEGORIES)?;
        let (categories, meta) = category::load(&f.label, &f.text)?;
        record(source::CATEGORIES.name, &f, &meta);

        let f = source::read(overrides, source::APIS)?;
        let (apis, meta) = apis::load(&f.label, &f.text)?;
        record(source::APIS.name, &f, &meta);
        let apis_label = f.label;

        let p = source::read(overrides, source::PERMISSIONS)?;
        let c = source::read(overrides, source::PERMISSION_CATEGORIES)?;
        let (permissions, p_meta, c_meta) =
            permissions::load(&p.label, &p.text, &c.label, &c.text)?;
        record(source::PERMISSIONS.name, &p, &p_meta);
        record(source::PERMISSION_CATEGORIES.name, &c, &c_meta);

        let f = source::read(overrides, source::TRACKERS)?;
        let (trackers, meta, warnings) = trackers::load(&f.label, &f.text)?;
        record(source::TRACKERS.name, &f, &meta);

        let f = source::read(overrides, source::OWNERS)?;
        let (owners, meta) = owners::load(&f.label, &f.text)?;
        record(source::OWNERS.name, &f, &meta);

        // Cross-file check: every permission the catalog names is known.
        for e in apis.entries() {
            if let Some(p) = e.permissions.iter().find(|p| permissions.get(p).is_none()) {
                return Err(KbError::invalid(
                    &apis_label,
                    &e.target,
                    format_args!("unknown permission `{p}`"),
                ));
            }
        }

        let latest = files
            .iter()
            .map(|f| f.meta.updated.as_str())
            .max()
            .unwrap_or_default()
            .to_owned();
        let local = files.iter().any(|f| f.origin != Origin::Embedded);
        let version = if local {
            format!("{latest}+local")
        } else {
            latest
        };
        Ok(Kb {
            categories,
            apis,
            permissions,
            trackers,
            owners,
            version,
            files,
            warnings,
        })
    }

    /// The owner of a tracker, found through the literal domains of its
    /// network signature (see [`Tracker::signature_domains`]).
    pub fn tracker_owner(&self, tracker: &Tracker) -> Option<&Owner> {
        tracker
            .signature_domains()
            .iter()
            .find_map(|d| self.owners.lookup(d))
    }
}
