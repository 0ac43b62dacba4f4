//! The typed AndroidManifest, built from an [`Element`] tree (binary or text).
//!
//! Naming follows androguard 4.1.4 where it reports the same thing:
//! component names are qualified with `APK._format_value`'s rule (a name
//! starting with `.` or containing no `.` is prefixed with the package),
//! `min_sdk`/`target_sdk` are the raw `uses-sdk` values (absent stays
//! `None`), and components are collected wherever they appear in the
//! document (androguard's `.//activity`), with a warning for those that
//! Android would ignore because they are not inside `<application>`.

use serde::Serialize;

use crate::tree::Element;
use crate::value::Value;

/// Anomalies in a manifest that did not stop it from being read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum ManifestWarning {
    /// The root element is not `<manifest>`.
    UnknownRoot(String),
    /// `<manifest>` has no `package` attribute.
    MissingPackage,
    /// The same permission is requested more than once.
    DuplicatePermission(String),
    /// A component without `android:name` (Android rejects the APK).
    ComponentWithoutName(ComponentKind),
    /// A component outside `<application>` (Android ignores it; androguard
    /// reports it).
    ComponentOutsideApplication {
        /// The kind.
        kind: ComponentKind,
        /// Its name.
        name: String,
    },
    /// More than one `<application>` element.
    MultipleApplications,
    /// A component with intent filters but no explicit `android:exported`
    /// in an app targeting Android 12 (SDK 31) or later: Android refuses
    /// to install it.
    ImplicitExport {
        /// The kind.
        kind: ComponentKind,
        /// Its name.
        name: String,
    },
    /// An attribute that should be numeric is not.
    NotANumber {
        /// Attribute name.
        attribute: &'static str,
        /// The value found.
        value: String,
    },
}

impl std::fmt::Display for ManifestWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownRoot(n) => write!(f, "root element is <{n}>, not <manifest>"),
            Self::MissingPackage => write!(f, "<manifest> has no package attribute"),
            Self::DuplicatePermission(p) => write!(f, "permission {p} requested more than once"),
            Self::ComponentWithoutName(k) => write!(f, "<{}> without android:name", k.tag()),
            Self::ComponentOutsideApplication { kind, name } => {
                write!(
                    f,
                    "<{}> {name} is outside <application> (ignored by Android)",
                    kind.tag()
                )
            }
            Self::MultipleApplications => write!(f, "more than one <application>"),
            Self::ImplicitExport { kind, name } => write!(
                f,
                "<{}> {name} has intent filters but no android:exported (rejected from SDK 31 on)",
                kind.tag()
            ),
            Self::NotANumber { attribute, value } => {
                write!(f, "{attribute}={value:?} is not a number")
            }
        }
    }
}

/// The kind of an app component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// `<activity>`.
    Activity,
    /// `<activity-alias>`.
    ActivityAlias,
    /// `<service>`.
    Service,
    /// `<receiver>`.
    Receiver,
    /// `<provider>`.
    Provider,
}

impl ComponentKind {
    /// The element name.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Activity => "activity",
            Self::ActivityAlias => "activity-alias",
            Self::Service => "service",
            Self::Receiver => "receiver",
            Self::Provider => "provider",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        Some(match tag {
            "activity" => Self::Activity,
            "activity-alias" => Self::ActivityAlias,
            "service" => Self::Service,
            "receiver" => Self::Receiver,
            "provider" => Self::Provider,
            _ => return None,
        })
    }
}

/// A requested permission (`uses-permission`, `uses-permission-sdk-23`,
/// `uses-permission-sdk-m`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsesPermission {
    /// Permission name, as written (not package-qualified).
    pub name: String,
    /// `android:maxSdkVersion`.
    pub max_sdk_version: Option<i64>,
    /// True for `uses-permission-sdk-23` / `uses-permission-sdk-m`.
    pub sdk23: bool,
}

/// A permission declared by the app (`<permission>`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PermissionDecl {
    /// Name.
    pub name: String,
    /// `android:protectionLevel` (flags integer, or string in text XML).
    pub protection_level: Option<Value>,
    /// `android:permissionGroup`.
    pub group: Option<String>,
}

impl PermissionDecl {
    /// The protection level as `PermissionInfo` flags: the integer of a
    /// binary manifest, or the `|`-separated names of a text one (`normal`
    /// 0, `dangerous` 1, `signature` 2, `signatureOrSystem` 3, `privileged`
    /// and `system` 0x10, `development` 0x20, `appop` 0x40); `None` for names
    /// outside that list.
    pub fn protection_level_flags(&self) -> Option<i64> {
        let v = self.protection_level.as_ref()?;
        if let Some(i) = v.as_int() {
            return Some(i);
        }
        let mut flags = 0;
        for name in v.as_str()?.split('|') {
            flags |= match name.trim() {
                "normal" => 0,
                "dangerous" => 1,
                "signature" => 2,
                "signatureOrSystem" => 3,
                "privileged" | "system" => 0x10,
                "development" => 0x20,
                "appop" => 0x40,
                _ => return None,
            };
        }
        Some(flags)
    }
}

/// `<data>` of an intent filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IntentData {
    /// `android:scheme`.
    pub scheme: Option<String>,
    /// `android:host`.
    pub host: Option<String>,
    /// `android:port`.
    pub port: Option<String>,
    /// `android:path`.
    pub path: Option<String>,
    /// `android:pathPrefix`.
    pub path_prefix: Option<String>,
    /// `android:pathPattern`.
    pub path_pattern: Option<String>,
    /// `android:mimeType`.
    pub mime_type: Option<String>,
}

/// An `<intent-filter>` (or a `<queries>` `<intent>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IntentFilter {
    /// Action names.
    pub actions: Vec<String>,
    /// Category names.
    pub categories: Vec<String>,
    /// Data specs.
    pub data: Vec<IntentData>,
    /// `android:priority`.
    pub priority: Option<i64>,
}

/// A `<meta-data>` element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetaData {
    /// `android:name`.
    pub name: Option<String>,
    /// `android:value`.
    pub value: Option<Value>,
    /// `android:resource`.
    pub resource: Option<Value>,
}

/// An app component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// The kind.
    pub kind: ComponentKind,
    /// Fully qualified name (androguard's rule), `None` when absent.
    pub name: Option<String>,
    /// Explicit `android:exported`.
    pub exported_attr: Option<bool>,
    /// Effective exported state: explicit, else implied (intent filters for
    /// activities/services/receivers/aliases; target SDK < 17 for providers).
    pub exported: bool,
    /// `android:enabled`.
    pub enabled: Option<bool>,
    /// `android:permission`.
    pub permission: Option<String>,
    /// `android:process`.
    pub process: Option<String>,
    /// `android:label` (string or resource reference).
    pub label: Option<Value>,
    /// `android:targetActivity` (aliases), qualified.
    pub target_activity: Option<String>,
    /// Provider authorities (`;`-separated in the attribute).
    pub authorities: Vec<String>,
    /// Provider `android:grantUriPermissions`.
    pub grant_uri_permissions: Option<bool>,
    /// Provider `android:readPermission`.
    pub read_permission: Option<String>,
    /// Provider `android:writePermission`.
    pub write_permission: Option<String>,
    /// Intent filters.
    pub intent_filters: Vec<IntentFilter>,
    /// Meta-data.
    pub meta_data: Vec<MetaData>,
    /// False when the component is not inside `<application>`.
    pub in_application: bool,
}

/// `<application>` attributes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Application {
    /// `android:name` (qualified).
    pub name: Option<String>,
    /// `android:label` (string, or reference to resolve with
    /// [`crate::ResourceTable::resolve_string`]).
    pub label: Option<Value>,
    /// `android:icon`.
    pub icon: Option<Value>,
    /// `android:debuggable`.
    pub debuggable: Option<bool>,
    /// `android:allowBackup`.
    pub allow_backup: Option<bool>,
    /// `android:usesCleartextTraffic`.
    pub uses_cleartext_traffic: Option<bool>,
    /// `android:networkSecurityConfig` (usually a `@xml/` reference).
    pub network_security_config: Option<Value>,
    /// `android:testOnly`.
    pub test_only: Option<bool>,
    /// `android:extractNativeLibs`.
    pub extract_native_libs: Option<bool>,
    /// `android:requestLegacyExternalStorage`.
    pub request_legacy_external_storage: Option<bool>,
    /// `android:hasCode`.
    pub has_code: Option<bool>,
    /// `android:persistent`.
    pub persistent: Option<bool>,
    /// `android:permission`.
    pub permission: Option<String>,
    /// `android:process`.
    pub process: Option<String>,
    /// `android:appComponentFactory` (qualified).
    pub app_component_factory: Option<String>,
    /// `android:fullBackupContent`.
    pub full_backup_content: Option<Value>,
    /// `android:dataExtractionRules`.
    pub data_extraction_rules: Option<Value>,
    /// Application-level meta-data.
    pub meta_data: Vec<MetaData>,
}

/// `<uses-feature>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsesFeature {
    /// `android:name`.
    pub name: Option<String>,
    /// `android:required` (default true).
    pub required: bool,
    /// `android:glEsVersion`.
    pub gl_es_version: Option<i64>,
}

/// `<uses-library>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsesLibrary {
    /// `android:name`.
    pub name: String,
    /// `android:required` (default true).
    pub required: bool,
}

/// `<queries>` (package visibility, Android 11+).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Queries {
    /// `<package android:name>`.
    pub packages: Vec<String>,
    /// `<intent>` specs.
    pub intents: Vec<IntentFilter>,
    /// `<provider android:authorities>`.
    pub providers: Vec<String>,
}

/// A typed AndroidManifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Manifest {
    /// `package`.
    pub package: Option<String>,
    /// `android:versionCode` (integer, or a string holding one).
    pub version_code: Option<i64>,
    /// `android:versionName` (a reference is formatted like `@7F0A0001`).
    pub version_name: Option<String>,
    /// `uses-sdk` `android:minSdkVersion` (absent = `None`; Android's default
    /// is 1, see [`Manifest::effective_min_sdk`]).
    pub min_sdk: Option<i64>,
    /// `uses-sdk` `android:targetSdkVersion` (absent = `None`).
    pub target_sdk: Option<i64>,
    /// `uses-sdk` `android:maxSdkVersion`.
    pub max_sdk: Option<i64>,
    /// `minSdkVersion` when it is a preview codename (e.g. `VanillaIceCream`)
    /// rather than a number; `min_sdk` is then `None`.
    pub min_sdk_codename: Option<String>,
    /// `targetSdkVersion` when it is a preview codename.
    pub target_sdk_codename: Option<String>,
    /// `platformBuildVersionCode`.
    pub platform_build_version_code: Option<i64>,
    /// `platformBuildVersionName`.
    pub platform_build_version_name: Option<String>,
    /// `android:compileSdkVersion`.
    pub compile_sdk_version: Option<i64>,
    /// `android:compileSdkVersionCodename`.
    pub compile_sdk_version_codename: Option<String>,
    /// `android:sharedUserId`.
    pub shared_user_id: Option<String>,
    /// `android:installLocation`.
    pub install_location: Option<i64>,
    /// Requested permissions in document order (duplicates kept).
    pub uses_permissions: Vec<UsesPermission>,
    /// Declared permissions.
    pub permissions: Vec<PermissionDecl>,
    /// The (first) `<application>`.
    pub application: Option<Application>,
    /// `<activity>` components.
    pub activities: Vec<Component>,
    /// `<activity-alias>` components.
    pub activity_aliases: Vec<Component>,
    /// `<service>` components.
    pub services: Vec<Component>,
    /// `<receiver>` components.
    pub receivers: Vec<Component>,
    /// `<provider>` components.
    pub providers: Vec<Component>,
    /// `<queries>`.
    pub queries: Queries,
    /// `<uses-feature>`.
    pub uses_features: Vec<UsesFeature>,
    /// `<uses-library>`.
    pub uses_libraries: Vec<UsesLibrary>,
}

fn text(v: &Value) -> String {
    v.to_string()
}

/// Reads the `android:` attribute `name` as text.
fn a_str(e: &Element, name: &str) -> Option<String> {
    e.android_attr(name).map(|a| text(&a.value))
}

fn a_bool(e: &Element, name: &str) -> Option<bool> {
    e.android_attr(name).and_then(|a| a.value.as_bool())
}

fn a_val(e: &Element, name: &str) -> Option<Value> {
    e.android_attr(name).map(|a| a.value.clone())
}

impl Manifest {
    /// Builds the typed manifest from the root element.
    pub fn from_element(root: &Element) -> (Manifest, Vec<ManifestWarning>) {
        let mut b = Builder {
            warnings: Vec::new(),
            package: None,
        };
        let m = b.build(root);
        (m, b.warnings)
    }

    /// `min_sdk`, or Android's default 1.
    pub fn effective_min_sdk(&self) -> i64 {
        self.min_sdk.unwrap_or(1)
    }

    /// `target_sdk`, else `min_sdk`, else 1 (androguard's
    /// `get_effective_target_sdk_version`, and Android's rule).
    pub fn effective_target_sdk(&self) -> i64 {
        self.target_sdk.or(self.min_sdk).unwrap_or(1)
    }

    /// All requested permission names, sorted and deduplicated.
    pub fn permission_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .uses_permissions
            .iter()
            .map(|p| p.name.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// All components of every kind.
    pub fn components(&self) -> impl Iterator<Item = &Component> {
        self.activities
            .iter()
            .chain(&self.activity_aliases)
            .chain(&self.services)
            .chain(&self.receivers)
            .chain(&self.providers)
    }

    /// Qualifies a class name with `package` (androguard's `_format_value`,
    /// which matches Android's `buildClassName` for valid names).
    pub fn qualify(package: Option<&str>, value: &str) -> String {
        match package {
            Some(p) if !value.is_empty() && !p.is_empty() => match value.find('.') {
                Some(0) => format!("{p}{value}"),
                None => format!("{p}.{value}"),
                Some(_) => value.to_string(),
            },
            _ => value.to_string(),
        }
    }
}

struct Builder {
    warnings: Vec<ManifestWarning>,
    package: Option<String>,
}

impl Builder {
    fn qualify(&self, v: &str) -> String {
        Manifest::qualify(self.package.as_deref(), v)
    }

    fn int(&mut self, e: &Element, name: &'static str, plain: bool) -> Option<i64> {
        let a = if plain {
            e.plain_attr(name)
        } else {
            e.android_attr(name)
        }?;
        match a.value.as_int() {
            Some(i) => Some(i),
            None => {
                self.warnings.push(ManifestWarning::NotANumber {
                    attribute: name,
                    value: text(&a.value),
                });
                None
            }
        }
    }

    fn build(&mut self, root: &Element) -> Manifest {
        let mut m = Manifest::default();
        if root.name != "manifest" {
            self.warnings
                .push(ManifestWarning::UnknownRoot(root.name.clone()));
        }
        // Android reads `package` with getAttributeValue(null, "package"),
        // i.e. the raw string.
        m.package = root
            .plain_attr("package")
            .map(|a| a.raw_value.clone().unwrap_or_else(|| text(&a.value)));
        if m.package.is_none() {
            self.warnings.push(ManifestWarning::MissingPackage);
        }
        self.package = m.package.clone();
        m.version_code = self.int(root, "versionCode", false);
        m.version_name = a_str(root, "versionName");
        m.platform_build_version_code = self.int(root, "platformBuildVersionCode", true);
        m.platform_build_version_name = root
            .plain_attr("platformBuildVersionName")
            .map(|a| text(&a.value));
        m.compile_sdk_version = self.int(root, "compileSdkVersion", false);
        m.compile_sdk_version_codename = a_str(root, "compileSdkVersionCodename");
        m.shared_user_id = a_str(root, "sharedUserId");
        m.install_location = root
            .android_attr("installLocation")
            .and_then(|a| a.value.as_int());

        let mut seen_sdk = false;
        let mut seen_app = false;
        let mut perm_seen = std::collections::HashSet::new();
        // Walk with a parent-name stack so components know whether they sit
        // inside <application>.
        let mut stack: Vec<(&Element, bool)> =
            root.children.iter().rev().map(|c| (c, false)).collect();
        while let Some((e, in_app)) = stack.pop() {
            match e.name.as_str() {
                "uses-sdk" if !seen_sdk => {
                    seen_sdk = true;
                    (m.min_sdk, m.min_sdk_codename) = sdk_version(e, "minSdkVersion");
                    (m.target_sdk, m.target_sdk_codename) = sdk_version(e, "targetSdkVersion");
                    m.max_sdk = self.int(e, "maxSdkVersion", false);
                }
                "uses-permission" | "uses-permission-sdk-23" | "uses-permission-sdk-m" => {
                    if let Some(name) = a_str(e, "name") {
                        if !perm_seen.insert(name.clone()) {
                            self.warnings
                                .push(ManifestWarning::DuplicatePermission(name.clone()));
                        }
                        let max_sdk_version = self.int(e, "maxSdkVersion", false);
                        m.uses_permissions.push(UsesPermission {
                            name,
                            max_sdk_version,
                            sdk23: e.name != "uses-permission",
                        });
                    }
                }
                "permission" => {
                    if let Some(name) = a_str(e, "name") {
                        m.permissions.push(PermissionDecl {
                            name,
                            protection_level: a_val(e, "protectionLevel"),
                            group: a_str(e, "permissionGroup"),
                        });
                    }
                }
                "uses-feature" => m.uses_features.push(UsesFeature {
                    name: a_str(e, "name"),
                    required: a_bool(e, "required").unwrap_or(true),
                    gl_es_version: e.android_attr("glEsVersion").and_then(|a| a.value.as_int()),
                }),
                "uses-library" => {
                    if let Some(name) = a_str(e, "name") {
                        m.uses_libraries.push(UsesLibrary {
                            name,
                            required: a_bool(e, "required").unwrap_or(true),
                        });
                    }
                }
                "queries" => {
                    // Its <provider>/<intent> children are not components.
                    self.queries(e, &mut m.queries);
                    continue;
                }
                "application" => {
                    if seen_app {
                        self.warnings.push(ManifestWarning::MultipleApplications);
                    } else {
                        seen_app = true;
                        m.application = Some(self.application(e));
                    }
                    stack.extend(e.children.iter().rev().map(|c| (c, true)));
                    continue;
                }
                tag => {
                    if let Some(kind) = ComponentKind::from_tag(tag) {
                        let c = self.component(kind, e, in_app);
                        match kind {
                            ComponentKind::Activity => m.activities.push(c),
                            ComponentKind::ActivityAlias => m.activity_aliases.push(c),
                            ComponentKind::Service => m.services.push(c),
                            ComponentKind::Receiver => m.receivers.push(c),
                            ComponentKind::Provider => m.providers.push(c),
                        }
                        // Components cannot nest; nothing below is walked.
                        continue;
                    }
                }
            }
            stack.extend(e.children.iter().rev().map(|c| (c, in_app)));
        }
        let target = m.effective_target_sdk();
        for c in m
            .activities
            .iter_mut()
            .chain(&mut m.activity_aliases)
            .chain(&mut m.services)
            .chain(&mut m.receivers)
            .chain(&mut m.providers)
        {
            c.exported = c.exported_attr.unwrap_or(match c.kind {
                ComponentKind::Provider => target < 17,
                _ => !c.intent_filters.is_empty(),
            });
            if target >= 31
                && c.exported_attr.is_none()
                && c.kind != ComponentKind::Provider
                && !c.intent_filters.is_empty()
            {
                self.warnings.push(ManifestWarning::ImplicitExport {
                    kind: c.kind,
                    name: c.name.clone().unwrap_or_default(),
                });
            }
        }
        m
    }

    fn application(&mut self, e: &Element) -> Application {
        Application {
            name: a_str(e, "name").map(|n| self.qualify(&n)),
            label: a_val(e, "label"),
            icon: a_val(e, "icon"),
            debuggable: a_bool(e, "debuggable"),
            allow_backup: a_bool(e, "allowBackup"),
            uses_cleartext_traffic: a_bool(e, "usesCleartextTraffic"),
            network_security_config: a_val(e, "networkSecurityConfig"),
            test_only: a_bool(e, "testOnly"),
            extract_native_libs: a_bool(e, "extractNativeLibs"),
            request_legacy_external_storage: a_bool(e, "requestLegacyExternalStorage"),
            has_code: a_bool(e, "hasCode"),
            persistent: a_bool(e, "persistent"),
            permission: a_str(e, "permission"),
            process: a_str(e, "process"),
            app_component_factory: a_str(e, "appComponentFactory").map(|n| self.qualify(&n)),
            full_backup_content: a_val(e, "fullBackupContent"),
            data_extraction_rules: a_val(e, "dataExtractionRules"),
            meta_data: e.children_named("meta-data").map(meta_data).collect(),
        }
    }

    fn component(&mut self, kind: ComponentKind, e: &Element, in_application: bool) -> Component {
        let name = a_str(e, "name").map(|n| self.qualify(&n));
        match &name {
            None => self
                .warnings
                .push(ManifestWarning::ComponentWithoutName(kind)),
            Some(n) if !in_application => {
                self.warnings
                    .push(ManifestWarning::ComponentOutsideApplication {
                        kind,
                        name: n.clone(),
                    })
            }
            Some(_) => {}
        }
        let authorities = a_str(e, "authorities")
            .map(|s| {
                s.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Component {
            kind,
            name,
            exported_attr: a_bool(e, "exported"),
            exported: false,
            enabled: a_bool(e, "enabled"),
            permission: a_str(e, "permission"),
            process: a_str(e, "process"),
            label: a_val(e, "label"),
            target_activity: a_str(e, "targetActivity").map(|n| self.qualify(&n)),
            authorities,
            grant_uri_permissions: a_bool(e, "grantUriPermissions"),
            read_permission: a_str(e, "readPermission"),
            write_permission: a_str(e, "writePermission"),
            intent_filters: e
                .children_named("intent-filter")
                .map(intent_filter)
                .collect(),
            meta_data: e.children_named("meta-data").map(meta_data).collect(),
            in_application,
        }
    }

    fn queries(&mut self, e: &Element, q: &mut Queries) {
        for c in &e.children {
            match c.name.as_str() {
                "package" => q.packages.extend(a_str(c, "name")),
                "intent" => q.intents.push(intent_filter(c)),
                "provider" => {
                    if let Some(a) = a_str(c, "authorities") {
                        q.providers.extend(
                            a.split(';')
                                .map(str::trim)
                                .filter(|s| !s.is_empty())
                                .map(str::to_string),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

/// A `uses-sdk` version: a number, or a preview codename (Android's
/// `PackageParser` accepts a string there and treats it as a codename).
fn sdk_version(e: &Element, name: &str) -> (Option<i64>, Option<String>) {
    match e.android_attr(name) {
        None => (None, None),
        Some(a) => match a.value.as_int() {
            Some(i) => (Some(i), None),
            None => (None, Some(text(&a.value))),
        },
    }
}

fn intent_filter(e: &Element) -> IntentFilter {
    IntentFilter {
        actions: e
            .children_named("action")
            .filter_map(|c| a_str(c, "name"))
            .collect(),
        categories: e
            .children_named("category")
            .filter_map(|c| a_str(c, "name"))
            .collect(),
        data: e
            .children_named("data")
            .map(|d| IntentData {
                scheme: a_str(d, "scheme"),
                host: a_str(d, "host"),
                port: a_str(d, "port"),
                path: a_str(d, "path"),
                path_prefix: a_str(d, "pathPrefix"),
                path_pattern: a_str(d, "pathPattern"),
                mime_type: a_str(d, "mimeType"),
            })
            .collect(),
        priority: e.android_attr("priority").and_then(|a| a.value.as_int()),
    }
}

fn meta_data(e: &Element) -> MetaData {
    MetaData {
        name: a_str(e, "name"),
        value: a_val(e, "value"),
        resource: a_val(e, "resource"),
    }
}
