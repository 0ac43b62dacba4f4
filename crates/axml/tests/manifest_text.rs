//! Typed-manifest semantics on hand-written text manifests (the apktool /
//! source-tree path): name qualification, implied exported state, SDK
//! defaults and codenames, queries, features, meta-data, warnings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leakscope_axml::{ComponentKind, Manifest, ManifestWarning, TextStrings, Value, decode_any};

const MANIFEST: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.app" android:versionCode="0x10" android:versionName="1.2"
    platformBuildVersionCode="33" android:compileSdkVersion="33">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="33"/>
  <uses-permission android:name="android.permission.INTERNET"/>
  <uses-permission android:name="android.permission.READ_CONTACTS" android:maxSdkVersion="28"/>
  <uses-permission-sdk-23 android:name="android.permission.CAMERA"/>
  <uses-permission android:name="android.permission.INTERNET"/>
  <permission android:name="com.example.app.C2D" android:protectionLevel="signature|privileged"/>
  <uses-feature android:name="android.hardware.camera" android:required="false"/>
  <uses-feature android:glEsVersion="0x00020000"/>
  <queries>
    <package android:name="com.other"/>
    <intent><action android:name="android.intent.action.SEND"/><data android:mimeType="text/plain"/></intent>
    <provider android:authorities="com.other.a;com.other.b"/>
  </queries>
  <application android:name=".App" android:label="@string/app_name" android:debuggable="true"
      android:allowBackup="false" android:usesCleartextTraffic="true"
      android:networkSecurityConfig="@xml/nsc">
    <uses-library android:name="org.apache.http.legacy" android:required="false"/>
    <meta-data android:name="key" android:value="v"/>
    <activity android:name=".Main" android:exported="true">
      <intent-filter android:priority="5">
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.LAUNCHER"/>
        <data android:scheme="https" android:host="example.com" android:pathPrefix="/x"/>
      </intent-filter>
    </activity>
    <activity-alias android:name="Alias" android:targetActivity=".Main"/>
    <service android:name="com.lib.Svc"><intent-filter><action android:name="x.Y"/></intent-filter></service>
    <receiver android:name="Rcv" android:enabled="false"/>
    <provider android:name=".Prov" android:authorities="com.example.a;com.example.b"
        android:grantUriPermissions="true"/>
    <activity/>
  </application>
  <activity android:name=".Outside"/>
</manifest>"#;

#[test]
fn text_manifest_is_typed() {
    let doc = decode_any(MANIFEST.as_bytes()).unwrap();
    let (m, w) = Manifest::from_element(&doc.root);
    assert_eq!(m.package.as_deref(), Some("com.example.app"));
    assert_eq!(m.version_code, Some(16));
    assert_eq!(m.version_name.as_deref(), Some("1.2"));
    assert_eq!(
        (m.min_sdk, m.target_sdk, m.max_sdk),
        (Some(21), Some(33), None)
    );
    assert_eq!(m.platform_build_version_code, Some(33));
    assert_eq!(m.compile_sdk_version, Some(33));
    assert_eq!(
        m.permission_names(),
        [
            "android.permission.CAMERA",
            "android.permission.INTERNET",
            "android.permission.READ_CONTACTS"
        ]
    );
    assert_eq!(m.uses_permissions[1].max_sdk_version, Some(28));
    assert!(m.uses_permissions[2].sdk23);
    assert_eq!(m.permissions[0].protection_level_flags(), Some(0x12));
    assert_eq!(m.uses_features.len(), 2);
    assert!(!m.uses_features[0].required);
    assert_eq!(m.uses_features[1].gl_es_version, Some(0x20000));
    assert_eq!(m.queries.packages, ["com.other"]);
    assert_eq!(m.queries.providers, ["com.other.a", "com.other.b"]);
    assert_eq!(
        m.queries.intents[0].data[0].mime_type.as_deref(),
        Some("text/plain")
    );
    assert_eq!(m.uses_libraries[0].name, "org.apache.http.legacy");
    assert!(!m.uses_libraries[0].required);

    let app = m.application.as_ref().unwrap();
    assert_eq!(app.name.as_deref(), Some("com.example.app.App"));
    assert_eq!(app.label, Some(Value::String("@string/app_name".into())));
    assert_eq!(
        (app.debuggable, app.allow_backup, app.uses_cleartext_traffic),
        (Some(true), Some(false), Some(true))
    );
    assert_eq!(app.meta_data[0].value, Some(Value::String("v".into())));

    // androguard's qualification: ".X" and dotless names get the package.
    let names: Vec<_> = m
        .activities
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(names, ["com.example.app.Main", "com.example.app.Outside"]);
    assert!(m.activities[0].exported);
    let f = &m.activities[0].intent_filters[0];
    assert_eq!(f.priority, Some(5));
    assert_eq!(f.data[0].host.as_deref(), Some("example.com"));
    let alias = &m.activity_aliases[0];
    assert_eq!(alias.name.as_deref(), Some("com.example.app.Alias"));
    assert_eq!(
        alias.target_activity.as_deref(),
        Some("com.example.app.Main")
    );
    assert!(!alias.exported);
    // Implied export through the intent filter, and the SDK 31 warning.
    assert!(m.services[0].exported);
    assert_eq!(m.services[0].name.as_deref(), Some("com.lib.Svc"));
    assert!(w.contains(&ManifestWarning::ImplicitExport {
        kind: ComponentKind::Service,
        name: "com.lib.Svc".into()
    }));
    assert_eq!(m.receivers[0].enabled, Some(false));
    assert!(!m.receivers[0].exported);
    // Providers are not exported by default from SDK 17 on.
    assert!(!m.providers[0].exported);
    assert_eq!(
        m.providers[0].authorities,
        ["com.example.a", "com.example.b"]
    );
    assert_eq!(m.providers[0].grant_uri_permissions, Some(true));

    assert!(w.contains(&ManifestWarning::DuplicatePermission(
        "android.permission.INTERNET".into()
    )));
    assert!(w.contains(&ManifestWarning::ComponentWithoutName(
        ComponentKind::Activity
    )));
    assert!(
        w.iter()
            .any(|x| matches!(x, ManifestWarning::ComponentOutsideApplication { .. }))
    );

    let strings =
        TextStrings::parse(r#"<resources><string name="app_name">Example</string></resources>"#)
            .unwrap();
    let label = app
        .label
        .as_ref()
        .and_then(Value::as_str)
        .and_then(|l| strings.resolve(l));
    assert_eq!(label.as_deref(), Some("Example"));
    serde_json::to_string(&m).unwrap();
}

#[test]
fn sdk_defaults_and_codenames() {
    let bare = r#"<manifest package="p"><uses-sdk/><provider android:name="x" xmlns:android="http://schemas.android.com/apk/res/android"/></manifest>"#;
    let (m, _) = Manifest::from_element(&decode_any(bare.as_bytes()).unwrap().root);
    assert_eq!((m.min_sdk, m.target_sdk), (None, None));
    assert_eq!((m.effective_min_sdk(), m.effective_target_sdk()), (1, 1));
    // Old target: providers are exported by default.
    assert!(m.providers[0].exported);
    let preview = r#"<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="p">
        <uses-sdk android:minSdkVersion="VanillaIceCream" android:targetSdkVersion="VanillaIceCream"/></manifest>"#;
    let (m, w) = Manifest::from_element(&decode_any(preview.as_bytes()).unwrap().root);
    assert_eq!(m.min_sdk, None);
    assert_eq!(m.min_sdk_codename.as_deref(), Some("VanillaIceCream"));
    assert!(w.is_empty(), "{w:?}");
    let no_pkg = r#"<application/>"#;
    let (_, w) = Manifest::from_element(&decode_any(no_pkg.as_bytes()).unwrap().root);
    assert!(w.contains(&ManifestWarning::MissingPackage));
    assert!(w.contains(&ManifestWarning::UnknownRoot("application".into())));
}
