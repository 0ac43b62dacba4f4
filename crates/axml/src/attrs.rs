//! Framework (`android:`) attribute resource ids used by manifests.
//!
//! Android resolves manifest attributes through `obtainAttributes`, i.e. by
//! resource id, ignoring the attribute's name string. Obfuscators exploit
//! this by emptying or scrambling the names, so the decoder maps ids back to
//! names with this table. Every id below was cross-checked against
//! `aapt dump xmltree` output (`A: android:name(0x01010003)=...`) on the test
//! corpus, except the four marked "sequence", which sit between verified
//! neighbours in `android.R.attr` (public.xml assigns these ids in order).

/// The Android resource namespace URI.
pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// `(resource id, attribute name)`, sorted by id.
pub const FRAMEWORK_ATTRS: &[(u32, &str)] = &[
    (0x0101_0000, "theme"),
    (0x0101_0001, "label"),
    (0x0101_0002, "icon"),
    (0x0101_0003, "name"),
    (0x0101_0006, "permission"),
    (0x0101_0007, "readPermission"),
    (0x0101_0008, "writePermission"), // sequence
    (0x0101_0009, "protectionLevel"),
    (0x0101_000a, "permissionGroup"), // sequence
    (0x0101_000b, "sharedUserId"),    // sequence
    (0x0101_000c, "hasCode"),
    (0x0101_000d, "persistent"),
    (0x0101_000e, "enabled"),
    (0x0101_000f, "debuggable"),
    (0x0101_0010, "exported"),
    (0x0101_0011, "process"),
    (0x0101_0012, "taskAffinity"),
    (0x0101_0013, "multiprocess"),
    (0x0101_0014, "finishOnTaskLaunch"),
    (0x0101_0015, "clearTaskOnLaunch"),
    (0x0101_0016, "stateNotNeeded"),
    (0x0101_0017, "excludeFromRecents"),
    (0x0101_0018, "authorities"),
    (0x0101_001b, "grantUriPermissions"),
    (0x0101_001c, "priority"),
    (0x0101_001d, "launchMode"),
    (0x0101_001e, "screenOrientation"),
    (0x0101_001f, "configChanges"),
    (0x0101_0020, "description"),
    (0x0101_0021, "targetPackage"),
    (0x0101_0022, "handleProfiling"),
    (0x0101_0023, "functionalTest"),
    (0x0101_0024, "value"),
    (0x0101_0025, "resource"),
    (0x0101_0026, "mimeType"),
    (0x0101_0027, "scheme"),
    (0x0101_0028, "host"),
    (0x0101_0029, "port"),
    (0x0101_002a, "path"),
    (0x0101_002b, "pathPrefix"),
    (0x0101_002c, "pathPattern"),
    (0x0101_0202, "targetActivity"),
    (0x0101_020c, "minSdkVersion"),
    (0x0101_021b, "versionCode"),
    (0x0101_021c, "versionName"),
    (0x0101_022b, "windowSoftInputMode"),
    (0x0101_022d, "noHistory"),
    (0x0101_0270, "targetSdkVersion"),
    (0x0101_0271, "maxSdkVersion"),
    (0x0101_0272, "testOnly"), // sequence
    (0x0101_0280, "allowBackup"),
    (0x0101_0281, "glEsVersion"),
    (0x0101_0284, "smallScreens"),
    (0x0101_0285, "normalScreens"),
    (0x0101_0286, "largeScreens"),
    (0x0101_028e, "required"),
    (0x0101_02b7, "installLocation"),
    (0x0101_02bf, "xlargeScreens"),
    (0x0101_03a7, "parentActivityName"),
    (0x0101_03a9, "isolatedProcess"),
    (0x0101_03af, "supportsRtl"),
    (0x0101_03f2, "banner"),
    (0x0101_03f4, "isGame"),
    (0x0101_048e, "multiArch"),
    (0x0101_04ea, "extractNativeLibs"),
    (0x0101_04eb, "fullBackupContent"),
    (0x0101_04ec, "usesCleartextTraffic"),
    (0x0101_04f6, "resizeableActivity"),
    (0x0101_050e, "externalService"),
    (0x0101_0515, "use32bitAbi"),
    (0x0101_0527, "networkSecurityConfig"),
    (0x0101_052c, "roundIcon"),
    (0x0101_0531, "visibleToInstantApps"),
    (0x0101_054b, "isolatedSplits"),
    (0x0101_054c, "targetSandboxVersion"),
    (0x0101_0572, "compileSdkVersion"),
    (0x0101_0573, "compileSdkVersionCodename"),
    (0x0101_057a, "appComponentFactory"),
    (0x0101_0599, "foregroundServiceType"),
    (0x0101_059a, "hasFragileUserData"),
    (0x0101_0603, "requestLegacyExternalStorage"),
    (0x0101_063e, "dataExtractionRules"),
];

/// Name of a framework attribute by resource id.
pub fn framework_attr_name(id: u32) -> Option<&'static str> {
    FRAMEWORK_ATTRS
        .binary_search_by_key(&id, |&(i, _)| i)
        .ok()
        .and_then(|i| FRAMEWORK_ATTRS.get(i))
        .map(|&(_, n)| n)
}

/// Resource id of a framework attribute by name.
pub fn framework_attr_id(name: &str) -> Option<u32> {
    FRAMEWORK_ATTRS
        .iter()
        .find(|&&(_, n)| n == name)
        .map(|&(i, _)| i)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(FRAMEWORK_ATTRS.windows(2).all(|w| w[0].0 < w[1].0));
        let mut names: Vec<_> = FRAMEWORK_ATTRS.iter().map(|a| a.1).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FRAMEWORK_ATTRS.len());
        assert_eq!(framework_attr_name(0x0101_0003), Some("name"));
        assert_eq!(framework_attr_id("versionCode"), Some(0x0101_021b));
    }
}
