//! The embedded knowledge base loads, and is complete and consistent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use leakscope_kb::{ApiTarget, Category, Kb, KbWarning, Origin, Role, SinkKind};

fn kb() -> &'static Kb {
    Kb::embedded().expect("embedded KB loads")
}

#[test]
fn loads_with_provenance() {
    let kb = kb();
    assert_eq!(kb.files.len(), leakscope_kb::FILE_NAMES.len());
    for f in &kb.files {
        assert_eq!(f.origin, Origin::Embedded);
        let licence = f.meta.licence.to_ascii_lowercase();
        // Nothing non-commercial or copyleft-software-licensed is shipped.
        for banned in ["nc", "non-commercial", "gpl"] {
            assert!(
                !licence
                    .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .any(|w| w == banned || w.starts_with("cc-by-nc")),
                "{}: {licence}",
                f.name
            );
        }
        assert!(
            licence.contains("apache-2.0") || licence.contains("odbl-1.0"),
            "{}: {licence}",
            f.name
        );
    }
    assert!(!kb.version.contains("+local"));
    assert_eq!(kb.version, "2026-11-23");
    // The four Exodus trackers without a code signature.
    let empty: Vec<u32> = kb
        .warnings
        .iter()
        .map(|w| match w {
            KbWarning::EmptyCodeSignature { tracker, .. } => *tracker,
            _ => 0,
        })
        .collect();
    assert_eq!(empty, [5, 10, 46, 71]);
}

#[test]
fn counts() {
    let kb = kb();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for e in kb.apis.entries() {
        let kind = match e.target {
            ApiTarget::Method { .. } => "method",
            ApiTarget::Field { .. } => "field",
            ApiTarget::ContentUri { .. } => "content_uri",
            ApiTarget::IntentAction { .. } => "intent_action",
            ApiTarget::SystemService { .. } => "system_service",
        };
        *by_kind.entry(kind).or_default() += 1;
    }
    let sources = kb
        .apis
        .entries()
        .iter()
        .filter(|e| e.role == Role::Source)
        .count();
    let sinks = kb.apis.sinks().count();
    eprintln!(
        "apis: {} entries {by_kind:?}; {sources} sources, {sinks} sinks",
        kb.apis.len()
    );
    eprintln!(
        "permissions: {} ({} AOSP, {} with a category); trackers: {}; owners: {} with {} domains",
        kb.permissions.len(),
        kb.permissions.iter().filter(|p| p.aosp).count(),
        kb.permissions
            .iter()
            .filter(|p| p.category.is_some())
            .count(),
        kb.trackers.len(),
        kb.owners.len(),
        kb.owners.domain_count()
    );
    assert!(kb.apis.len() >= 500);
    assert_eq!(kb.trackers.len(), 432);
    assert!(kb.permissions.len() >= 1029);
    assert_eq!(kb.categories.len(), 14);
}

#[test]
fn every_category_is_covered() {
    let kb = kb();
    for c in Category::ALL {
        let info = kb.categories.get(c).unwrap();
        assert!(!info.title.is_empty());
        let apis = kb.apis.sources_of(c).count();
        let perms = kb.permissions.of_category(c).count();
        eprintln!("{c:>16}: {apis:>3} source APIs, {perms:>2} permissions");
        assert!(apis >= 5, "{c}: only {apis} source APIs");
        assert!(perms >= 1, "{c}: no permission");
    }
    for k in [
        SinkKind::Network,
        SinkKind::Sms,
        SinkKind::File,
        SinkKind::Log,
        SinkKind::Ipc,
        SinkKind::Webview,
    ] {
        assert!(kb.apis.sinks().any(|e| e.role == Role::Sink(k)), "{k:?}");
    }
}

#[test]
fn every_dangerous_permission_is_reviewed() {
    // Dangerous permissions either map to a category or are on this list of
    // ones that give access to no personal data.
    let no_data = [
        "android.permission.ACCEPT_HANDOVER",
        "android.permission.BLUETOOTH_ADVERTISE",
        "android.permission.CALL_PHONE",
        "android.permission.POST_NOTIFICATIONS",
        "android.permission.USE_SIP",
    ];
    let kb = kb();
    for p in kb.permissions.iter().filter(|p| p.is_dangerous() && p.aosp) {
        assert!(
            p.category.is_some() || no_data.contains(&p.name.as_str()),
            "{} has no category",
            p.name
        );
    }
}

const TM: &str = "Landroid/telephony/TelephonyManager;";

fn method(class: &str, name: &str) -> Vec<&'static leakscope_kb::ApiEntry> {
    // Any proto: look the entries up directly.
    kb().apis
        .entries()
        .iter()
        .filter(|e| matches!(&e.target, ApiTarget::Method { class: c, name: n, .. } if c == class && n == name))
        .collect()
}

fn assert_methods(category: Category, list: &[(&str, &str)]) {
    for (class, name) in list {
        let hits = method(class, name);
        assert!(
            hits.iter()
                .any(|e| e.category == Some(category) && e.role == Role::Source),
            "{class}->{name} is not a {category} source"
        );
    }
}

#[test]
fn device_ids_minimum() {
    assert_methods(
        Category::DeviceIds,
        &[
            (TM, "getDeviceId"),
            (TM, "getImei"),
            (TM, "getMeid"),
            (TM, "getSubscriberId"),
            (TM, "getSimSerialNumber"),
            (
                "Lcom/google/android/gms/ads/identifier/AdvertisingIdClient;",
                "getAdvertisingIdInfo",
            ),
            (
                "Lcom/google/android/gms/ads/identifier/AdvertisingIdClient$Info;",
                "getId",
            ),
            (
                "Lcom/google/firebase/analytics/FirebaseAnalytics;",
                "getAppInstanceId",
            ),
            (
                "Lcom/google/firebase/installations/FirebaseInstallations;",
                "getId",
            ),
            ("Lcom/appsflyer/AppsFlyerLib;", "getAppsFlyerUID"),
            ("Landroid/net/wifi/WifiInfo;", "getMacAddress"),
            ("Landroid/net/wifi/WifiInfo;", "getBSSID"),
            ("Landroid/net/wifi/WifiInfo;", "getSSID"),
            ("Ljava/net/NetworkInterface;", "getHardwareAddress"),
            ("Landroid/os/Build;", "getSerial"),
            ("Landroid/bluetooth/BluetoothAdapter;", "getAddress"),
        ],
    );
    assert_methods(Category::Identity, &[(TM, "getLine1Number")]);
    let kb = kb();
    assert_eq!(
        kb.apis
            .field("Landroid/os/Build;", "SERIAL")
            .and_then(|e| e.category),
        Some(Category::DeviceIds)
    );
    assert_eq!(
        kb.apis
            .field("Landroid/provider/Settings$Secure;", "ANDROID_ID")
            .and_then(|e| e.category),
        Some(Category::DeviceIds)
    );
    let android_id = kb
        .apis
        .methods("Landroid/provider/Settings$Secure;", "getString", "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;")
        .find(|e| matches!(&e.target, ApiTarget::Method { string_arg: Some(s), .. } if s == "android_id"));
    assert_eq!(
        android_id.and_then(|e| e.category),
        Some(Category::DeviceIds)
    );
}

#[test]
fn geolocation_minimum() {
    let lm = "Landroid/location/LocationManager;";
    let fused = "Lcom/google/android/gms/location/FusedLocationProviderClient;";
    assert_methods(
        Category::Geolocation,
        &[
            (lm, "getLastKnownLocation"),
            (lm, "requestLocationUpdates"),
            (lm, "requestSingleUpdate"),
            (lm, "getCurrentLocation"),
            ("Landroid/location/Location;", "getLatitude"),
            ("Landroid/location/Location;", "getLongitude"),
            (fused, "getLastLocation"),
            (fused, "requestLocationUpdates"),
            (fused, "getCurrentLocation"),
            (
                "Lcom/google/android/gms/location/LocationServices;",
                "getFusedLocationProviderClient",
            ),
            ("Landroid/net/wifi/WifiManager;", "getScanResults"),
            ("Landroid/net/wifi/WifiManager;", "getConnectionInfo"),
            (TM, "getCellLocation"),
            (TM, "getAllCellInfo"),
            (TM, "getNeighboringCellInfo"),
            ("Landroid/location/Geocoder;", "getFromLocation"),
        ],
    );
}

#[test]
fn other_categories_have_their_key_apis() {
    assert_methods(
        Category::Identity,
        &[
            ("Landroid/accounts/AccountManager;", "getAccounts"),
            ("Landroid/accounts/AccountManager;", "getAccountsByType"),
            (
                "Lcom/google/android/gms/auth/api/signin/GoogleSignInAccount;",
                "getEmail",
            ),
            ("Lcom/facebook/Profile;", "getCurrentProfile"),
        ],
    );
    assert_methods(
        Category::Messages,
        &[
            ("Landroid/telephony/SmsMessage;", "getMessageBody"),
            (
                "Landroid/provider/Telephony$Sms$Intents;",
                "getMessagesFromIntent",
            ),
        ],
    );
    assert_methods(
        Category::Audio,
        &[
            ("Landroid/media/AudioRecord;", "startRecording"),
            ("Landroid/media/MediaRecorder;", "setAudioSource"),
            ("Landroid/speech/SpeechRecognizer;", "startListening"),
        ],
    );
    assert_methods(
        Category::PhotosVideos,
        &[
            ("Landroid/hardware/Camera;", "takePicture"),
            ("Landroidx/camera/core/ImageCapture;", "takePicture"),
        ],
    );
    assert_methods(
        Category::InstalledApps,
        &[
            (
                "Landroid/content/pm/PackageManager;",
                "getInstalledPackages",
            ),
            (
                "Landroid/content/pm/PackageManager;",
                "getInstalledApplications",
            ),
            (
                "Landroid/content/pm/PackageManager;",
                "queryIntentActivities",
            ),
        ],
    );
    assert_methods(
        Category::Clipboard,
        &[
            ("Landroid/content/ClipboardManager;", "getPrimaryClip"),
            ("Landroid/content/ClipboardManager;", "getText"),
        ],
    );
    assert_methods(
        Category::Sensors,
        &[
            ("Landroid/hardware/SensorManager;", "registerListener"),
            ("Landroid/hardware/SensorManager;", "getDefaultSensor"),
        ],
    );
    assert_methods(
        Category::Files,
        &[("Landroid/os/Environment;", "getExternalStorageDirectory")],
    );
    assert_methods(
        Category::HealthFitness,
        &[(
            "Landroidx/health/connect/client/HealthConnectClient;",
            "readRecords",
        )],
    );
    let kb = kb();
    let field = |c: &str, n: &str| kb.apis.field(c, n).and_then(|e| e.category);
    assert_eq!(
        field(
            "Landroid/provider/ContactsContract$CommonDataKinds$Phone;",
            "CONTENT_URI"
        ),
        Some(Category::Contacts)
    );
    assert_eq!(
        field("Landroid/provider/CalendarContract$Events;", "CONTENT_URI"),
        Some(Category::Calendar)
    );
    assert_eq!(
        field(
            "Landroid/provider/MediaStore$Images$Media;",
            "EXTERNAL_CONTENT_URI"
        ),
        Some(Category::PhotosVideos)
    );
    assert_eq!(
        field("Landroid/provider/Browser;", "BOOKMARKS_URI"),
        Some(Category::BrowsingHistory)
    );
    let uri = |u: &str| kb.apis.content_uri(u).and_then(|e| e.category);
    assert_eq!(uri("content://sms/inbox"), Some(Category::Messages));
    assert_eq!(
        uri("content://mms-sms/conversations"),
        Some(Category::Messages)
    );
    assert_eq!(uri("content://call_log/calls"), Some(Category::Messages));
    assert_eq!(uri("content://contacts/people"), Some(Category::Contacts));
    assert_eq!(
        uri("content://com.android.contacts/data/phones"),
        Some(Category::Contacts)
    );
    assert_eq!(
        uri("content://com.android.contacts/profile"),
        Some(Category::Identity)
    );
    assert_eq!(
        uri("content://browser/bookmarks"),
        Some(Category::BrowsingHistory)
    );
    assert_eq!(
        uri("content://com.android.calendar/events"),
        Some(Category::Calendar)
    );
    assert_eq!(
        uri("content://media/external/images/media"),
        Some(Category::PhotosVideos)
    );
    assert_eq!(
        uri("content://media/external/audio/media"),
        Some(Category::Audio)
    );
    assert_eq!(uri("content://settings/secure"), None);
    let action = |a: &str| kb.apis.intent_action(a).and_then(|e| e.category);
    assert_eq!(
        action("android.provider.Telephony.SMS_RECEIVED"),
        Some(Category::Messages)
    );
    assert_eq!(
        action("android.media.action.IMAGE_CAPTURE"),
        Some(Category::PhotosVideos)
    );
    let service = |s: &str| kb.apis.system_service(s).and_then(|e| e.category);
    assert_eq!(service("location"), Some(Category::Geolocation));
    assert_eq!(service("phone"), Some(Category::DeviceIds));
    assert_eq!(service("clipboard"), Some(Category::Clipboard));
    assert_eq!(service("account"), Some(Category::Identity));
}

#[test]
fn main_sinks_are_present() {
    let kb = kb();
    let sink = |class: &str, name: &str| {
        method(class, name).iter().find_map(|e| match e.role {
            Role::Sink(k) => Some(k),
            Role::Source => None,
        })
    };
    assert_eq!(
        sink("Ljava/net/HttpURLConnection;", "getOutputStream"),
        Some(SinkKind::Network)
    );
    assert_eq!(
        sink("Ljava/net/URL;", "openConnection"),
        Some(SinkKind::Network)
    );
    assert_eq!(sink("Lokhttp3/Call;", "execute"), Some(SinkKind::Network));
    assert_eq!(sink("Lokhttp3/Call;", "enqueue"), Some(SinkKind::Network));
    assert_eq!(
        sink("Ljava/net/Socket;", "getOutputStream"),
        Some(SinkKind::Network)
    );
    assert_eq!(
        sink("Lcom/android/volley/RequestQueue;", "add"),
        Some(SinkKind::Network)
    );
    assert_eq!(sink("Lretrofit2/Call;", "execute"), Some(SinkKind::Network));
    assert_eq!(
        sink("Landroid/webkit/WebView;", "loadUrl"),
        Some(SinkKind::Webview)
    );
    assert_eq!(
        sink("Landroid/telephony/SmsManager;", "sendTextMessage"),
        Some(SinkKind::Sms)
    );
    assert_eq!(sink("Landroid/util/Log;", "d"), Some(SinkKind::Log));
    assert_eq!(
        sink("Ljava/io/FileOutputStream;", "write"),
        Some(SinkKind::File)
    );
    assert_eq!(
        sink("Landroid/content/Context;", "sendBroadcast"),
        Some(SinkKind::Ipc)
    );
    assert_eq!(
        sink("Landroid/content/Context;", "startActivity"),
        Some(SinkKind::Ipc)
    );
    assert_eq!(
        sink("Landroid/content/Context;", "startService"),
        Some(SinkKind::Ipc)
    );
    assert!(kb.apis.has_class("Lokhttp3/Call;"));
}

#[test]
fn permissions_map_to_categories() {
    let kb = kb();
    let cat = |p: &str| kb.permissions.category(p);
    assert_eq!(
        cat("android.permission.ACCESS_FINE_LOCATION"),
        Some(Category::Geolocation)
    );
    assert_eq!(
        cat("android.permission.READ_CONTACTS"),
        Some(Category::Contacts)
    );
    assert_eq!(cat("android.permission.READ_SMS"), Some(Category::Messages));
    assert_eq!(
        cat("android.permission.READ_PHONE_STATE"),
        Some(Category::DeviceIds)
    );
    assert_eq!(
        cat("android.permission.RECORD_AUDIO"),
        Some(Category::Audio)
    );
    assert_eq!(
        cat("android.permission.GET_ACCOUNTS"),
        Some(Category::Identity)
    );
    assert_eq!(
        cat("android.permission.QUERY_ALL_PACKAGES"),
        Some(Category::InstalledApps)
    );
    assert_eq!(
        cat("android.permission.BODY_SENSORS"),
        Some(Category::HealthFitness)
    );
    assert_eq!(
        cat("android.permission.ACTIVITY_RECOGNITION"),
        Some(Category::HealthFitness)
    );
    assert_eq!(
        cat("android.permission.health.READ_HEART_RATE"),
        Some(Category::HealthFitness)
    );
    assert_eq!(
        cat("android.permission.READ_MEDIA_IMAGES"),
        Some(Category::PhotosVideos)
    );
    assert_eq!(
        cat("android.permission.READ_CALENDAR"),
        Some(Category::Calendar)
    );
    assert_eq!(cat("android.permission.INTERNET"), None);
    let fine = kb
        .permissions
        .get("android.permission.ACCESS_FINE_LOCATION")
        .unwrap();
    assert!(fine.is_dangerous() && fine.aosp);
}

#[test]
fn owners_and_trackers() {
    let kb = kb();
    let country = |h: &str| kb.owners.lookup(h).map(|o| o.country.as_str());
    assert_eq!(country("graph.facebook.com"), Some("US"));
    assert_eq!(country("api2.appsflyer.com"), Some("IL"));
    assert_eq!(country("app.adjust.com"), Some("DE"));
    assert_eq!(country("mc.yandex.ru"), Some("RU"));
    assert_eq!(country("log.byteoversea.com"), Some("CN"));
    assert_eq!(country("e.crashlytics.com"), Some("US"));
    assert_eq!(country("example.org"), None);
    let adjust = kb.owners.lookup("adjust.com").unwrap();
    assert_eq!(kb.owners.root(adjust).id, "applovin");
    // Trackers match like exodus-core (regex search over Java class names).
    let firebase: Vec<&str> = kb
        .trackers
        .match_class("com.google.firebase.analytics.FirebaseAnalytics")
        .map(|t| t.name.as_str())
        .collect();
    assert!(
        firebase.contains(&"Google Firebase Analytics"),
        "{firebase:?}"
    );
    let hosts: Vec<&str> = kb
        .trackers
        .match_host("t.appsflyer.com")
        .map(|t| t.name.as_str())
        .collect();
    assert!(hosts.contains(&"AppsFlyer"), "{hosts:?}");
    let appsflyer = kb.trackers.iter().find(|t| t.name == "AppsFlyer").unwrap();
    assert_eq!(
        kb.tracker_owner(appsflyer).map(|o| o.id.as_str()),
        Some("appsflyer")
    );
}

#[test]
fn owners_cover_exodus_network_signatures() {
    let kb = kb();
    let (mut domains, mut owned, mut trackers, mut trackers_owned) = (0, 0, 0, 0);
    let mut missing = Vec::new();
    for t in kb.trackers.iter() {
        let ds = t.signature_domains();
        if ds.is_empty() {
            continue;
        }
        trackers += 1;
        if kb.tracker_owner(t).is_some() {
            trackers_owned += 1;
        }
        for d in ds {
            domains += 1;
            if kb.owners.lookup(&d).is_some() {
                owned += 1;
            } else {
                missing.push(d);
            }
        }
    }
    eprintln!(
        "Exodus network-signature domains with an owner: {owned}/{domains}; trackers with an owner: {trackers_owned}/{trackers}"
    );
    eprintln!("without owner: {missing:?}");
    assert!(owned * 100 >= domains * 90, "{owned}/{domains}");
    assert!(
        trackers_owned * 100 >= trackers * 90,
        "{trackers_owned}/{trackers}"
    );
}

#[test]
fn load_time() {
    let start = std::time::Instant::now();
    let kb = Kb::load_embedded().unwrap();
    let elapsed = start.elapsed();
    eprintln!(
        "embedded KB loaded in {elapsed:?} ({} APIs, {} trackers)",
        kb.apis.len(),
        kb.trackers.len()
    );
    let start = std::time::Instant::now();
    let mut hits = 0usize;
    for i in 0..10_000 {
        let class = if i % 2 == 0 {
            "Lcom/example/Foo;"
        } else {
            "Landroid/telephony/TelephonyManager;"
        };
        hits += kb
            .apis
            .methods(class, "getDeviceId", "()Ljava/lang/String;")
            .count();
        hits += usize::from(kb.owners.lookup("a.b.c.graph.facebook.com").is_some());
    }
    eprintln!("20k lookups in {:?} ({hits} hits)", start.elapsed());
    let start = std::time::Instant::now();
    let n = (0..1000)
        .map(|i| {
            kb.trackers
                .match_class(if i % 2 == 0 {
                    "com.example.app.MainActivity"
                } else {
                    "com.google.firebase.analytics.FirebaseAnalytics"
                })
                .count()
        })
        .sum::<usize>();
    eprintln!(
        "1000 tracker class matches in {:?} ({n} hits)",
        start.elapsed()
    );
}

#[test]
#[ignore = "manual timing"]
fn load_repeatedly() {
    for _ in 0..5 {
        let s = std::time::Instant::now();
        let _ = Kb::load_embedded().unwrap();
        eprintln!("load: {:?}", s.elapsed());
    }
}
