//! The sensitive-API catalog (`android/apis.toml`).
//!
//! The file groups entries by kind (`[[method]]`, `[[field]]`,
//! `[[content_uri]]`, `[[intent_action]]`, `[[system_service]]`). A group
//! gives defaults (`class`, `category`, `role`, `sink`, `permissions`,
//! `note`) that each of its `entries` may override:
//!
//! ```toml
//! [[method]]
//! class = "Landroid/telephony/TelephonyManager;"
//! category = "device_ids"
//! role = "source"
//! permissions = ["android.permission.READ_PHONE_STATE"]
//! entries = [
//!   { name = "getDeviceId", note = "IMEI or MEID" },
//!   { name = "getImei", proto = "(I)Ljava/lang/String;" },
//! ]
//! ```

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;

pub use leakscope_model::SinkKind;

use crate::category::{Category, parse_category};
use crate::descriptor::{is_class_descriptor, is_member_name, is_proto};
use crate::error::KbError;
use crate::meta::{Header, Meta};

/// What an API does with personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// It reads personal data of its [`ApiEntry::category`] (directly, or
    /// by registering for callbacks that deliver it).
    Source,
    /// Data passed to it can leave the app this way.
    Sink(SinkKind),
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Source => f.write_str("source"),
            Role::Sink(k) => write!(f, "sink:{}", k.id()),
        }
    }
}

/// What an entry matches.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ApiTarget {
    /// An invoked method.
    Method {
        /// Class descriptor, e.g. `Landroid/telephony/TelephonyManager;`.
        class: String,
        /// Method name.
        name: String,
        /// Exact prototype, e.g. `(I)Ljava/lang/String;`; `None` matches any.
        proto: Option<String>,
        /// When set, the call is only sensitive with this string constant
        /// as an argument (e.g. `Settings$Secure.getString(cr, "android_id")`).
        string_arg: Option<String>,
    },
    /// A static field read (`sget-object`).
    Field {
        /// Class descriptor.
        class: String,
        /// Field name.
        name: String,
    },
    /// A `content://` URI prefix used as a string constant.
    ContentUri {
        /// The prefix, e.g. `content://sms`.
        prefix: String,
    },
    /// An intent action string, e.g. `android.provider.Telephony.SMS_RECEIVED`.
    IntentAction {
        /// The action.
        action: String,
    },
    /// A `Context.getSystemService` name, e.g. `location`.
    SystemService {
        /// The service name.
        name: String,
    },
}

impl fmt::Display for ApiTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiTarget::Method {
                class,
                name,
                proto,
                string_arg,
            } => {
                write!(f, "{class}->{name}{}", proto.as_deref().unwrap_or("(*)"))?;
                if let Some(s) = string_arg {
                    write!(f, " with \"{s}\"")?;
                }
                Ok(())
            }
            ApiTarget::Field { class, name } => write!(f, "{class}->{name}"),
            ApiTarget::ContentUri { prefix } => f.write_str(prefix),
            ApiTarget::IntentAction { action } => write!(f, "intent action {action}"),
            ApiTarget::SystemService { name } => write!(f, "system service \"{name}\""),
        }
    }
}

/// One catalog entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiEntry {
    /// What it matches.
    pub target: ApiTarget,
    /// The data category it reads (always set for sources; optional for
    /// sinks, e.g. `SmsManager.sendTextMessage` is a `messages` sink).
    pub category: Option<Category>,
    /// Source or sink.
    pub role: Role,
    /// Permissions that guard it: holding any one of them is enough. Empty
    /// when none is needed.
    pub permissions: Vec<String>,
    /// A short note for reports.
    pub note: Option<String>,
}

/// The sensitive-API catalog, indexed for the lookups the analysis does on
/// every instruction: method by (class, name[, proto]), field by (class,
/// name), content URI by longest prefix, intent action and system service by
/// exact name.
#[derive(Clone, Debug, Default)]
pub struct ApiCatalog {
    entries: Vec<ApiEntry>,
    methods: HashMap<String, HashMap<String, Vec<usize>>>,
    fields: HashMap<String, HashMap<String, usize>>,
    /// (prefix, entry), longest prefix first.
    content_uris: Vec<(String, usize)>,
    intent_actions: HashMap<String, usize>,
    system_services: HashMap<String, usize>,
}

impl ApiCatalog {
    /// Every entry, in file order.
    pub fn entries(&self) -> &[ApiEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether any method or field of `class` is in the catalog: a cheap
    /// filter before the name lookups.
    pub fn has_class(&self, class: &str) -> bool {
        self.methods.contains_key(class) || self.fields.contains_key(class)
    }

    /// The entries for an invoked method: those with this exact `proto` and
    /// those that match any proto. Entries with a
    /// [`string_arg`](ApiTarget::Method::string_arg) are included; the caller
    /// checks the argument.
    pub fn methods<'a>(
        &'a self,
        class: &str,
        name: &str,
        proto: &'a str,
    ) -> impl Iterator<Item = &'a ApiEntry> + 'a {
        let ids = self
            .methods
            .get(class)
            .and_then(|m| m.get(name))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        ids.iter()
            .filter_map(|&i| self.entries.get(i))
            .filter(move |e| match &e.target {
                ApiTarget::Method { proto: p, .. } => p.as_deref().is_none_or(|p| p == proto),
                _ => false,
            })
    }

    /// The entry for a static field read.
    pub fn field(&self, class: &str, name: &str) -> Option<&ApiEntry> {
        self.fields
            .get(class)
            .and_then(|m| m.get(name))
            .and_then(|&i| self.entries.get(i))
    }

    /// The entry whose prefix is the longest one `uri` starts with, ending
    /// at a boundary of `uri` (its end, `/`, `?` or `#`, or a prefix that
    /// itself ends with `/`): `content://sms/inbox` matches `content://sms`,
    /// `content://smsfoo` does not.
    pub fn content_uri(&self, uri: &str) -> Option<&ApiEntry> {
        self.content_uris
            .iter()
            .find(|(prefix, _)| {
                uri.strip_prefix(prefix.as_str()).is_some_and(|rest| {
                    prefix.ends_with('/') || rest.is_empty() || rest.starts_with(['/', '?', '#'])
                })
            })
            .and_then(|(_, i)| self.entries.get(*i))
    }

    /// The entry for an intent action.
    pub fn intent_action(&self, action: &str) -> Option<&ApiEntry> {
        self.intent_actions
            .get(action)
            .and_then(|&i| self.entries.get(i))
    }

    /// The entry for a `getSystemService` name.
    pub fn system_service(&self, name: &str) -> Option<&ApiEntry> {
        self.system_services
            .get(name)
            .and_then(|&i| self.entries.get(i))
    }

    /// Entries that read data of `category`.
    pub fn sources_of(&self, category: Category) -> impl Iterator<Item = &ApiEntry> {
        self.entries
            .iter()
            .filter(move |e| e.role == Role::Source && e.category == Some(category))
    }

    /// All sink entries.
    pub fn sinks(&self) -> impl Iterator<Item = &ApiEntry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.role, Role::Sink(_)))
    }

    fn push(&mut self, file: &str, e: ApiEntry) -> Result<(), KbError> {
        let id = self.entries.len();
        let dup = |what| Err(KbError::duplicate(file, what, &e.target));
        match &e.target {
            ApiTarget::Method {
                class,
                name,
                proto,
                string_arg,
            } => {
                let ids = self
                    .methods
                    .entry(class.clone())
                    .or_default()
                    .entry(name.clone())
                    .or_default();
                let clash = ids.iter().filter_map(|&i| self.entries.get(i)).any(|o| {
                    matches!(&o.target, ApiTarget::Method { proto: p, string_arg: s, .. } if p == proto && s == string_arg)
                });
                if clash {
                    return dup("method");
                }
                ids.push(id);
            }
            ApiTarget::Field { class, name } => {
                if self
                    .fields
                    .entry(class.clone())
                    .or_default()
                    .insert(name.clone(), id)
                    .is_some()
                {
                    return dup("field");
                }
            }
            ApiTarget::ContentUri { prefix } => {
                if self.content_uris.iter().any(|(p, _)| p == prefix) {
                    return dup("content URI");
                }
                self.content_uris.push((prefix.clone(), id));
            }
            ApiTarget::IntentAction { action } => {
                if self.intent_actions.insert(action.clone(), id).is_some() {
                    return dup("intent action");
                }
            }
            ApiTarget::SystemService { name } => {
                if self.system_services.insert(name.clone(), id).is_some() {
                    return dup("system service");
                }
            }
        }
        self.entries.push(e);
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[allow(dead_code)]
    schema_version: i64,
    meta: Meta,
    #[serde(default)]
    method: Vec<RawGroup>,
    #[serde(default)]
    field: Vec<RawGroup>,
    #[serde(default)]
    content_uri: Vec<RawGroup>,
    #[serde(default)]
    intent_action: Vec<RawGroup>,
    #[serde(default)]
    system_service: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    class: Option<String>,
    category: Option<String>,
    role: Option<String>,
    sink: Option<String>,
    permissions: Option<Vec<String>>,
    note: Option<String>,
    entries: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    name: Option<String>,
    proto: Option<String>,
    string_arg: Option<String>,
    prefix: Option<String>,
    action: Option<String>,
    category: Option<String>,
    role: Option<String>,
    sink: Option<String>,
    permissions: Option<Vec<String>>,
    note: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Method,
    Field,
    ContentUri,
    IntentAction,
    SystemService,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Method => "method",
            Kind::Field => "field",
            Kind::ContentUri => "content_uri",
            Kind::IntentAction => "intent_action",
            Kind::SystemService => "system_service",
        }
    }
}

/// A permission name: dot-separated identifiers, e.g.
/// `android.permission.READ_SMS`.
pub(crate) fn is_permission_name(s: &str) -> bool {
    s.contains('.')
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

/// Parses and validates `android/apis.toml`.
pub(crate) fn load(file: &str, text: &str) -> Result<(ApiCatalog, Meta), KbError> {
    let header: Header = crate::source::from_toml(file, text)?;
    header.check(file)?;
    let raw: RawFile = crate::source::from_toml(file, text)?;
    raw.meta.validate(file)?;
    let mut catalog = ApiCatalog::default();
    let kinds = [
        (Kind::Method, raw.method),
        (Kind::Field, raw.field),
        (Kind::ContentUri, raw.content_uri),
        (Kind::IntentAction, raw.intent_action),
        (Kind::SystemService, raw.system_service),
    ];
    for (kind, groups) in kinds {
        for (g, group) in groups.into_iter().enumerate() {
            let group_label = format!("[[{}]] #{}", kind.table(), g.saturating_add(1));
            check_group(file, kind, &group_label, &group)?;
            for item in &group.entries {
                let entry = build(file, kind, &group_label, &group, item)?;
                catalog.push(file, entry)?;
            }
        }
    }
    catalog
        .content_uris
        .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    Ok((catalog, raw.meta))
}

fn check_group(file: &str, kind: Kind, label: &str, group: &RawGroup) -> Result<(), KbError> {
    match (&group.class, kind) {
        (Some(class), Kind::Method | Kind::Field) => {
            if !is_class_descriptor(class) {
                return Err(KbError::invalid(
                    file,
                    label,
                    format_args!("`{class}` is not a DEX class descriptor"),
                ));
            }
        }
        (None, Kind::Method | Kind::Field) => {
            return Err(KbError::invalid(file, label, "missing `class`"));
        }
        (Some(_), _) => {
            return Err(KbError::invalid(
                file,
                label,
                "`class` only applies to methods and fields",
            ));
        }
        (None, _) => {}
    }
    if group.entries.is_empty() {
        return Err(KbError::invalid(file, label, "no entries"));
    }
    Ok(())
}

fn build(
    file: &str,
    kind: Kind,
    group_label: &str,
    group: &RawGroup,
    item: &RawItem,
) -> Result<ApiEntry, KbError> {
    let key = match kind {
        Kind::Method | Kind::Field | Kind::SystemService => item.name.as_deref(),
        Kind::ContentUri => item.prefix.as_deref(),
        Kind::IntentAction => item.action.as_deref(),
    };
    let label = format!("{group_label} `{}`", key.unwrap_or("?"));
    let err = |reason: &dyn fmt::Display| KbError::invalid(file, &label, reason);
    let key = key.ok_or_else(|| {
        let field = match kind {
            Kind::ContentUri => "prefix",
            Kind::IntentAction => "action",
            _ => "name",
        };
        err(&format_args!("missing `{field}`"))
    })?;
    let allowed_key = |present: bool, name: &str| {
        if present {
            Err(err(&format_args!(
                "`{name}` does not apply to a {}",
                kind.table()
            )))
        } else {
            Ok(())
        }
    };
    allowed_key(
        item.name.is_some() && matches!(kind, Kind::ContentUri | Kind::IntentAction),
        "name",
    )?;
    allowed_key(item.prefix.is_some() && kind != Kind::ContentUri, "prefix")?;
    allowed_key(
        item.action.is_some() && kind != Kind::IntentAction,
        "action",
    )?;
    allowed_key(item.proto.is_some() && kind != Kind::Method, "proto")?;
    allowed_key(
        item.string_arg.is_some() && kind != Kind::Method,
        "string_arg",
    )?;

    let class = group.class.clone().unwrap_or_default();
    let target = match kind {
        Kind::Method => {
            if !is_member_name(key) {
                return Err(err(&"not a valid method name"));
            }
            if let Some(p) = &item.proto
                && !is_proto(p)
            {
                return Err(err(&format_args!("`{p}` is not a DEX method prototype")));
            }
            if item.string_arg.as_deref().is_some_and(str::is_empty) {
                return Err(err(&"empty `string_arg`"));
            }
            ApiTarget::Method {
                class,
                name: key.to_owned(),
                proto: item.proto.clone(),
                string_arg: item.string_arg.clone(),
            }
        }
        Kind::Field => {
            if !is_member_name(key) {
                return Err(err(&"not a valid field name"));
            }
            ApiTarget::Field {
                class,
                name: key.to_owned(),
            }
        }
        Kind::ContentUri => {
            let valid = key.strip_prefix("content://").is_some_and(|rest| {
                !rest.is_empty()
                    && !rest.starts_with('/')
                    && rest.chars().all(|c| c.is_ascii_graphic())
            });
            if !valid {
                return Err(err(&"not a `content://authority[/path]` prefix"));
            }
            ApiTarget::ContentUri {
                prefix: key.to_owned(),
            }
        }
        Kind::IntentAction => {
            if !key.contains('.')
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            {
                return Err(err(&"not a dotted intent action"));
            }
            ApiTarget::IntentAction {
                action: key.to_owned(),
            }
        }
        Kind::SystemService => {
            if key.is_empty()
                || !key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(err(&"not a system service name ([a-z0-9_]+)"));
            }
            ApiTarget::SystemService {
                name: key.to_owned(),
            }
        }
    };

    let category = match item.category.as_ref().or(group.category.as_ref()) {
        Some(c) => Some(parse_category(file, &label, c)?),
        None => None,
    };
    let role = match item.role.as_deref().or(group.role.as_deref()) {
        Some("source") => {
            if item.sink.is_some() || (item.role.is_none() && group.sink.is_some()) {
                return Err(err(&"`sink` given for a source"));
            }
            if category.is_none() {
                return Err(err(&"a source needs a `category`"));
            }
            Role::Source
        }
        Some("sink") => {
            let sink = item
                .sink
                .as_deref()
                .or(group.sink.as_deref())
                .ok_or_else(|| err(&"a sink needs a `sink` kind"))?;
            Role::Sink(SinkKind::from_id(sink).ok_or_else(|| {
                err(&format_args!(
                    "unknown sink kind `{sink}` (network, sms, file, log, ipc, webview)"
                ))
            })?)
        }
        Some(other) => {
            return Err(err(&format_args!(
                "unknown role `{other}` (source or sink)"
            )));
        }
        None => return Err(err(&"missing `role`")),
    };
    let permissions = item
        .permissions
        .clone()
        .or_else(|| group.permissions.clone())
        .unwrap_or_default();
    if let Some(p) = permissions.iter().find(|p| !is_permission_name(p)) {
        return Err(err(&format_args!("`{p}` is not a permission name")));
    }
    let note = item
        .note
        .clone()
        .or_else(|| group.note.clone())
        .filter(|n| !n.trim().is_empty());
    Ok(ApiEntry {
        target,
        category,
        role,
        permissions,
        note,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const HEAD: &str = "schema_version = 1\n[meta]\nsource = \"s\"\nlicence = \"Apache-2.0\"\nupdated = \"2026-01-01\"\n";

    fn load_str(body: &str) -> Result<ApiCatalog, KbError> {
        load("apis.toml", &format!("{HEAD}{body}")).map(|(c, _)| c)
    }

    fn err(body: &str) -> String {
        load_str(body).unwrap_err().to_string()
    }

    const SAMPLE: &str = r#"
[[method]]
class = "Landroid/telephony/TelephonyManager;"
category = "device_ids"
role = "source"
permissions = ["android.permission.READ_PHONE_STATE"]
entries = [
  { name = "getDeviceId", note = "IMEI" },
  { name = "getImei", proto = "(I)Ljava/lang/String;" },
  { name = "getLine1Number", category = "identity" },
]

[[method]]
class = "Landroid/provider/Settings$Secure;"
role = "source"
category = "device_ids"
entries = [{ name = "getString", string_arg = "android_id" }]

[[method]]
class = "Ljava/net/URL;"
role = "sink"
sink = "network"
entries = [{ name = "openConnection" }]

[[field]]
class = "Landroid/os/Build;"
role = "source"
category = "device_ids"
entries = [{ name = "SERIAL" }]

[[content_uri]]
role = "source"
category = "messages"
entries = [{ prefix = "content://sms" }, { prefix = "content://sms/inbox" }, { prefix = "content://mms-sms/" }]

[[intent_action]]
role = "source"
category = "messages"
entries = [{ action = "android.provider.Telephony.SMS_RECEIVED" }]

[[system_service]]
role = "source"
category = "geolocation"
entries = [{ name = "location" }]
"#;

    #[test]
    fn sample_loads_and_looks_up() {
        let c = load_str(SAMPLE).unwrap();
        assert_eq!(c.len(), 11);
        let tm = "Landroid/telephony/TelephonyManager;";
        assert!(c.has_class(tm));
        assert!(!c.has_class("Ljava/lang/Object;"));
        let e: Vec<_> = c
            .methods(tm, "getDeviceId", "()Ljava/lang/String;")
            .collect();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].category, Some(Category::DeviceIds));
        assert_eq!(e[0].permissions, ["android.permission.READ_PHONE_STATE"]);
        assert_eq!(e[0].note.as_deref(), Some("IMEI"));
        assert_eq!(c.methods(tm, "getImei", "(I)Ljava/lang/String;").count(), 1);
        assert_eq!(c.methods(tm, "getImei", "()Ljava/lang/String;").count(), 0);
        let line1: Vec<_> = c
            .methods(tm, "getLine1Number", "()Ljava/lang/String;")
            .collect();
        assert_eq!(line1[0].category, Some(Category::Identity));
        let url: Vec<_> = c
            .methods(
                "Ljava/net/URL;",
                "openConnection",
                "()Ljava/net/URLConnection;",
            )
            .collect();
        assert_eq!(url[0].role, Role::Sink(SinkKind::Network));
        assert_eq!(url[0].category, None);
        assert!(c.field("Landroid/os/Build;", "SERIAL").is_some());
        assert!(c.field("Landroid/os/Build;", "MODEL").is_none());
        assert_eq!(
            c.intent_action("android.provider.Telephony.SMS_RECEIVED")
                .map(|e| e.category),
            Some(Some(Category::Messages))
        );
        assert!(c.system_service("location").is_some());
        assert!(c.system_service("window").is_none());
        assert_eq!(c.sources_of(Category::DeviceIds).count(), 4);
        assert_eq!(c.sinks().count(), 1);
    }

    #[test]
    fn content_uri_longest_prefix_at_boundary() {
        let c = load_str(SAMPLE).unwrap();
        let prefix = |uri: &str| match c.content_uri(uri).map(|e| &e.target) {
            Some(ApiTarget::ContentUri { prefix }) => Some(prefix.clone()),
            _ => None,
        };
        assert_eq!(prefix("content://sms").as_deref(), Some("content://sms"));
        assert_eq!(
            prefix("content://sms/sent").as_deref(),
            Some("content://sms")
        );
        assert_eq!(
            prefix("content://sms/inbox").as_deref(),
            Some("content://sms/inbox")
        );
        assert_eq!(
            prefix("content://sms/inbox/3").as_deref(),
            Some("content://sms/inbox")
        );
        assert_eq!(
            prefix("content://sms/inboxes").as_deref(),
            Some("content://sms")
        );
        assert_eq!(
            prefix("content://sms?limit=1").as_deref(),
            Some("content://sms")
        );
        assert_eq!(
            prefix("content://mms-sms/conversations").as_deref(),
            Some("content://mms-sms/")
        );
        assert_eq!(prefix("content://smsfoo"), None);
        assert_eq!(prefix("content://mms-sms"), None);
        assert_eq!(prefix("http://sms"), None);
    }

    #[test]
    fn display_names_the_api() {
        let c = load_str(SAMPLE).unwrap();
        let shown: Vec<String> = c.entries().iter().map(|e| e.target.to_string()).collect();
        assert!(shown.contains(
            &"Landroid/telephony/TelephonyManager;->getImei(I)Ljava/lang/String;".to_owned()
        ));
        assert!(shown.contains(
            &"Landroid/provider/Settings$Secure;->getString(*) with \"android_id\"".to_owned()
        ));
        assert!(shown.contains(&"Landroid/os/Build;->SERIAL".to_owned()));
    }

    #[test]
    fn malformed_descriptors_are_named() {
        let e = err(
            "[[method]]\nclass = \"android.os.Build\"\nrole = \"source\"\ncategory = \"device_ids\"\nentries = [{ name = \"getSerial\" }]\n",
        );
        assert!(
            e.contains("apis.toml")
                && e.contains("[[method]] #1")
                && e.contains("not a DEX class descriptor"),
            "{e}"
        );
        let e = err(
            "[[method]]\nclass = \"Landroid/os/Build;\"\nrole = \"source\"\ncategory = \"device_ids\"\nentries = [{ name = \"getSerial\", proto = \"(Ljava/lang/String; I)V\" }]\n",
        );
        assert!(
            e.contains("`getSerial`") && e.contains("not a DEX method prototype"),
            "{e}"
        );
        let e = err(
            "[[field]]\nclass = \"Landroid/os/Build;\"\nrole = \"source\"\ncategory = \"device_ids\"\nentries = [{ name = \"SER IAL\" }]\n",
        );
        assert!(e.contains("not a valid field name"), "{e}");
        let e = err(
            "[[content_uri]]\nrole = \"source\"\ncategory = \"messages\"\nentries = [{ prefix = \"sms://x\" }]\n",
        );
        assert!(e.contains("content://"), "{e}");
        let e = err(
            "[[system_service]]\nrole = \"source\"\ncategory = \"geolocation\"\nentries = [{ name = \"Location\" }]\n",
        );
        assert!(e.contains("system service name"), "{e}");
    }

    #[test]
    fn unknown_category_role_and_sink_are_errors() {
        let e = err(
            "[[field]]\nclass = \"La;\"\nrole = \"source\"\ncategory = \"weather\"\nentries = [{ name = \"X\" }]\n",
        );
        assert!(
            e.contains("[[field]] #1 `X`") && e.contains("unknown category `weather`"),
            "{e}"
        );
        let e = err(
            "[[field]]\nclass = \"La;\"\nrole = \"leak\"\ncategory = \"audio\"\nentries = [{ name = \"X\" }]\n",
        );
        assert!(e.contains("unknown role"), "{e}");
        let e = err(
            "[[field]]\nclass = \"La;\"\nrole = \"sink\"\nsink = \"carrier_pigeon\"\nentries = [{ name = \"X\" }]\n",
        );
        assert!(e.contains("unknown sink kind"), "{e}");
        let e =
            err("[[field]]\nclass = \"La;\"\nrole = \"source\"\nentries = [{ name = \"X\" }]\n");
        assert!(e.contains("needs a `category`"), "{e}");
        let e = err(
            "[[field]]\nclass = \"La;\"\nrole = \"source\"\ncategory = \"audio\"\npermissions = [\"READ SMS\"]\nentries = [{ name = \"X\" }]\n",
        );
        assert!(e.contains("not a permission name"), "{e}");
        let e = err(
            "[[field]]\nclass = \"La;\"\nrole = \"source\"\ncategory = \"audio\"\nentries = [{ name = \"X\", colour = \"red\" }]\n",
        );
        assert!(e.contains("colour"), "{e}");
        let e = err(
            "[[field]]\nclass = \"La;\"\nrole = \"source\"\ncategory = \"audio\"\nentries = [{ name = \"X\", proto = \"()V\" }]\n",
        );
        assert!(e.contains("`proto` does not apply"), "{e}");
    }

    #[test]
    fn duplicates_are_errors() {
        let e = err(
            "[[method]]\nclass = \"La;\"\nrole = \"source\"\ncategory = \"audio\"\nentries = [{ name = \"x\" }, { name = \"x\" }]\n",
        );
        assert!(e.contains("duplicate method `La;->x(*)`"), "{e}");
        // Different protos or string arguments are different keys.
        assert!(load_str("[[method]]\nclass = \"La;\"\nrole = \"source\"\ncategory = \"audio\"\nentries = [{ name = \"x\" }, { name = \"x\", proto = \"()V\" }, { name = \"x\", string_arg = \"s\" }]\n").is_ok());
        let e = err(
            "[[content_uri]]\nrole = \"source\"\ncategory = \"messages\"\nentries = [{ prefix = \"content://sms\" }]\n[[content_uri]]\nrole = \"source\"\ncategory = \"contacts\"\nentries = [{ prefix = \"content://sms\" }]\n",
        );
        assert!(e.contains("duplicate content URI"), "{e}");
        let e = err(
            "[[field]]\nclass = \"La;\"\nrole = \"source\"\ncategory = \"audio\"\nentries = [{ name = \"X\" }]\n[[field]]\nclass = \"La;\"\nrole = \"source\"\ncategory = \"audio\"\nentries = [{ name = \"X\" }]\n",
        );
        assert!(e.contains("duplicate field"), "{e}");
    }
}
