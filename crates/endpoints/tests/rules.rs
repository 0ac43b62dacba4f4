//! One test per rule, with positive and negative cases.

use leakscope_endpoints::{
    Candidate, CandidateKind, Endpoint, Extractor, Findings, IpScope, NoiseReason, NoiseTable,
    Outcome,
};

fn ex() -> Extractor {
    match Extractor::new() {
        Ok(e) => e,
        Err(e) => panic!("extractor: {e}"),
    }
}

fn candidates(s: &str) -> Vec<Candidate> {
    let mut v = Vec::new();
    ex().scan(s.as_bytes(), &mut |c| v.push(c));
    v
}

fn endpoints(s: &str) -> Vec<Endpoint> {
    ex().endpoints(s.as_bytes())
}

/// Exactly one endpoint, with this host.
#[track_caller]
fn one(s: &str) -> Endpoint {
    let e = endpoints(s);
    assert_eq!(e.len(), 1, "{s:?} gave {e:#?}");
    e.into_iter().next().unwrap_or_else(|| unreachable!())
}

/// No endpoint; every candidate dropped for `reason`.
#[track_caller]
fn none_because(s: &str, reason: NoiseReason) {
    let c = candidates(s);
    assert!(!c.is_empty(), "{s:?}: no candidate at all");
    for c in &c {
        assert_eq!(c.outcome, Outcome::Noise(reason), "{s:?}: {c:#?}");
    }
}

/// No endpoint (candidates, if any, are noise).
#[track_caller]
fn nothing(s: &str) {
    let e = endpoints(s);
    assert!(e.is_empty(), "{s:?} gave {e:#?}");
}

#[test]
fn urls_with_network_schemes() {
    let e = one("https://api.mixpanel.com/track?data=1");
    assert_eq!(e.host, "api.mixpanel.com");
    assert_eq!(e.scheme.as_deref(), Some("https"));
    assert_eq!(e.registrable_domain.as_deref(), Some("mixpanel.com"));
    assert_eq!(
        e.url.as_deref(),
        Some("https://api.mixpanel.com/track?data=1")
    );
    assert!(!e.cleartext && !e.is_ip && e.port.is_none());

    let e = one("http://ads.tracker.co.uk:8080/x");
    assert_eq!(e.registrable_domain.as_deref(), Some("tracker.co.uk"));
    assert_eq!(e.port, Some(8080));
    assert!(e.cleartext);

    assert!(one("ws://push.example-tracker.com/s").cleartext);
    assert!(!one("wss://push.example-tracker.com/s").cleartext);
    let e = one("ftp://files.vendor.net/pub");
    assert!(e.cleartext);
    assert_eq!(e.scheme.as_deref(), Some("ftp"));
    // Default port is not reported as explicit.
    assert_eq!(one("https://a.vendor.net:443/").port, None);
    // Case-insensitive scheme, host lowercased.
    assert_eq!(one("HTTPS://API.Vendor.NET/Path").host, "api.vendor.net");
    // Other schemes are not network endpoints.
    nothing("content://com.android.contacts/data");
    nothing("market://details?id=com.foo");
    nothing("file:///sdcard/x.txt");
    nothing("javascript:void(0)");
}

#[test]
fn url_trailing_punctuation_and_quotes() {
    assert_eq!(
        one("see https://t.vendor.io/a.").url.as_deref(),
        Some("https://t.vendor.io/a")
    );
    assert_eq!(
        one("(https://t.vendor.io/a)").url.as_deref(),
        Some("https://t.vendor.io/a")
    );
    assert_eq!(
        one("https://t.vendor.io/a_(b)").url.as_deref(),
        Some("https://t.vendor.io/a_(b)")
    );
    assert_eq!(
        one(r#"{"u":"https://t.vendor.io/v1"}"#).url.as_deref(),
        Some("https://t.vendor.io/v1")
    );
    assert_eq!(one("<a href='https://t.vendor.io/'>").host, "t.vendor.io");
    assert_eq!(
        one("url=https://t.vendor.io/x,").url.as_deref(),
        Some("https://t.vendor.io/x")
    );
}

#[test]
fn idn_hosts_become_punycode() {
    let e = one("https://bücher.de/katalog");
    assert_eq!(e.host, "xn--bcher-kva.de");
    assert_eq!(e.registrable_domain.as_deref(), Some("xn--bcher-kva.de"));
}

#[test]
fn schemeless_urls_only_when_clearly_urls() {
    let e = one(r#"src="//cdn.vendor-sdk.com/lib.js""#);
    assert_eq!(e.host, "cdn.vendor-sdk.com");
    assert_eq!(e.scheme, None);
    assert_eq!(e.url.as_deref(), Some("//cdn.vendor-sdk.com/lib.js"));
    // Comments, paths and other schemes are not.
    nothing("// TODO: fix this.later");
    nothing("a//b.com");
    nothing("content://com.android.calendar/events");
    nothing("//com.google.android.gms/x");
}

#[test]
fn bare_hostnames_with_public_suffix() {
    for (s, host, reg) in [
        (r#""host":"api.x.io""#, "api.x.io", "x.io"),
        ("graph.facebook.com", "graph.facebook.com", "facebook.com"),
        (
            "app-measurement.com",
            "app-measurement.com",
            "app-measurement.com",
        ),
        ("t.appsflyer.com", "t.appsflyer.com", "appsflyer.com"),
        (
            "firebase-settings.crashlytics.com",
            "firebase-settings.crashlytics.com",
            "crashlytics.com",
        ),
        ("sdk.iad-01.braze.com", "sdk.iad-01.braze.com", "braze.com"),
        ("api.onesignal.com", "api.onesignal.com", "onesignal.com"),
        (
            "de.wikipedia-mirror.org",
            "de.wikipedia-mirror.org",
            "wikipedia-mirror.org",
        ),
        ("us.i.posthog.com", "us.i.posthog.com", "posthog.com"),
        ("myapp.github.io", "myapp.github.io", "myapp.github.io"),
        ("cdn.onet.pl", "cdn.onet.pl", "onet.pl"),
        ("api.foo.ai", "api.foo.ai", "foo.ai"),
        ("t.co", "t.co", "t.co"),
        ("api.vendor.in", "api.vendor.in", "vendor.in"),
        ("ads-vendor.to", "ads-vendor.to", "ads-vendor.to"),
        ("fornitore.it", "fornitore.it", "fornitore.it"),
    ] {
        let e = one(s);
        assert_eq!(e.host, host, "{s}");
        assert_eq!(e.registrable_domain.as_deref(), Some(reg), "{s}");
        assert!(e.url.is_none() && e.scheme.is_none() && !e.cleartext);
    }
    let e = one("host=api.vendor.com:8443");
    assert_eq!(e.port, Some(8443));
    // Port out of range or too long is dropped, not the host.
    assert_eq!(one("api.vendor.com:123456").port, None);
    assert_eq!(one("api.vendor.com:99999").port, None);
}

#[test]
fn dot_test_is_reported() {
    let e = one("collect.superflash-analytics.test");
    assert_eq!(
        e.registrable_domain.as_deref(),
        Some("superflash-analytics.test")
    );
    let e = one("https://api.fakeads-sdk.test/v2/ad");
    assert_eq!(e.registrable_domain.as_deref(), Some("fakeads-sdk.test"));
}

#[test]
fn package_and_class_names_are_not_hosts() {
    for s in [
        "com.google.android.gms",
        "com.google.android.gms.ads.identifier",
        "com.facebook.ads",
        "com.example.app",
        "com.foo.io",
        "org.apache.http.client",
        "io.reactivex.rxjava3.core",
        "io.flutter.app",
        "net.sqlcipher.database",
        "android.intent.action.VIEW",
        "android.permission.INTERNET",
        "android.app",
        "androidx.core.app",
        "java.net",
        "java.io",
        "kotlin.io",
        "javax.net.ssl",
        "okhttp3.internal.ws",
        "com.foo.MainActivity",
        "com.google.firebase.ml",
    ] {
        none_because(s, NoiseReason::PackageName);
    }
    // Class-name-like things that are not packages.
    for s in ["R.layout.main", "Foo.Bar", "String.format"] {
        nothing(s);
    }
    // A method call on a qualified name.
    none_because("java.lang.String.valueOf(", NoiseReason::PackageName);
    nothing("obj.toString()");
    nothing("foo.bar$Inner");
    nothing("foo_bar.com");
}

#[test]
fn known_packages_from_the_app() {
    let mut ex = ex();
    ex.add_known_packages(["de.robv.android.xposed", "tv.twitch.sdk", "ai.vendor.core"]);
    for s in [
        "tv.twitch",
        "tv.twitch.sdk",
        "tv.twitch.sdk.Player",
        "ai.vendor.core.net",
    ] {
        let mut v = Vec::new();
        ex.scan(s.as_bytes(), &mut |c| v.push(c));
        assert!(
            v.iter()
                .all(|c| c.noise() == Some(NoiseReason::PackageName)),
            "{s}: {v:?}"
        );
    }
    // Real hosts are still found.
    assert_eq!(ex.endpoints(b"api.twitch.tv").len(), 1);
}

#[test]
fn file_names_are_not_hosts() {
    for s in [
        "icon.png",
        "index.html",
        "libfoo.so",
        "classes.dex",
        "config.json",
        "app.js",
        "run.sh",
        "archive.zip",
        "movie.mov",
        "style.css",
        "data.properties",
        "cert.pem",
        "res.arsc",
        "model.tflite",
        "a.b.c.png",
        "crashlytics-build.properties",
    ] {
        none_because(s, NoiseReason::FileName);
    }
}

#[test]
fn versions_are_not_hosts_or_ips() {
    for s in [
        "1.2.3",
        "v1.2.3",
        "1.0.0.1.5",
        "10.2.0.0.1",
        "4.1.2-beta",
        "libfoo.so.1",
    ] {
        let c = candidates(s);
        assert!(c.iter().all(|c| c.endpoint().is_none()), "{s}: {c:?}");
    }
    none_because("1.2.3", NoiseReason::Version);
    none_because("v1.2.3.4", NoiseReason::Version);
    none_because("1.0.0.1.2", NoiseReason::Version);
    none_because("version-1.2.3.4", NoiseReason::Version);
    // OIDs that read as dotted quads.
    none_because("2.5.4.3", NoiseReason::Version);
    none_because("1.3.6.1", NoiseReason::Version);
}

#[test]
fn ipv4_literals() {
    let e = one("8.8.8.8");
    assert!(e.is_ip);
    assert_eq!(e.ip_scope, Some(IpScope::Public));
    assert_eq!(e.registrable_domain, None);
    // A standalone 1.0.0.1 is Cloudflare's resolver, not a version.
    assert_eq!(one("dns=1.0.0.1").host, "1.0.0.1");
    let e = one("192.168.1.10:8080");
    assert_eq!((e.ip_scope, e.port), (Some(IpScope::Private), Some(8080)));
    assert_eq!(one("127.0.0.1").ip_scope, Some(IpScope::Loopback));
    assert_eq!(one("10.1.2.3").ip_scope, Some(IpScope::Private));
    assert_eq!(one("172.16.0.1").ip_scope, Some(IpScope::Private));
    assert_eq!(one("169.254.169.254").ip_scope, Some(IpScope::LinkLocal));
    assert_eq!(one("100.64.0.1").ip_scope, Some(IpScope::Shared));
    assert_eq!(one("224.0.0.251").ip_scope, Some(IpScope::Multicast));
    let e = one("http://203.0.114.9/x");
    assert_eq!((e.is_ip, e.cleartext), (true, true));
    none_because("0.0.0.0", NoiseReason::ReservedAddress);
    none_because("255.255.255.255", NoiseReason::ReservedAddress);
    none_because("255.255.255.0", NoiseReason::ReservedAddress);
    none_because("192.0.2.1", NoiseReason::ReservedAddress);
    none_because("http://0.0.0.0:8080/", NoiseReason::ReservedAddress);
    none_because("300.1.1.1", NoiseReason::InvalidIp);
    none_because("1.2.3.256", NoiseReason::InvalidIp);
}

#[test]
fn ipv6_literals() {
    let e = one("2001:4860:4860::8888");
    assert_eq!((e.is_ip, e.ip_scope), (true, Some(IpScope::Public)));
    assert_eq!(e.host, "2001:4860:4860::8888");
    assert_eq!(one("::1").ip_scope, Some(IpScope::Loopback));
    assert_eq!(one("fe80::1:2").ip_scope, Some(IpScope::LinkLocal));
    assert_eq!(one("fd12:3456:789a::1").ip_scope, Some(IpScope::Private));
    let e = one("http://[2606:4700:4700::1111]:8080/dns");
    assert_eq!(
        (e.host.as_str(), e.port, e.ip_scope),
        ("2606:4700:4700::1111", Some(8080), Some(IpScope::Public))
    );
    assert_eq!(e.to_string(), "http://[2606:4700:4700::1111]:8080/dns");
    assert_eq!(one("::ffff:10.0.0.1").ip_scope, Some(IpScope::Private));
    none_because("2001:db8::1", NoiseReason::ReservedAddress);
    // Not addresses.
    nothing("std::string");
    nothing("std::__1::basic_string");
    nothing("12:30:45");
    nothing("00:11:22:33:44:55");
    nothing("a::b");
    nothing("Foo::Bar::baz");
    nothing("::");
}

#[test]
fn noise_table_xml_namespaces() {
    for s in [
        "http://schemas.android.com/apk/res/android",
        "http://schemas.android.com/tools",
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/XML/1998/namespace",
        "http://ns.adobe.com/xap/1.0/",
        "http://xmlpull.org/v1/doc/features.html#process-namespaces",
        "http://apache.org/xml/features/disallow-doctype-decl",
        "http://java.sun.com/xml/jaxp/properties/schemaLanguage",
        "http://purl.org/dc/elements/1.1/",
    ] {
        let c = candidates(s);
        assert_eq!(c.len(), 1, "{s}");
        assert!(
            matches!(
                c[0].noise(),
                Some(NoiseReason::XmlNamespace | NoiseReason::Schema)
            ),
            "{s}: {c:?}"
        );
    }
    none_because("schemas.android.com", NoiseReason::XmlNamespace);
}

#[test]
fn noise_table_licences_examples_docs() {
    none_because(
        "http://www.apache.org/licenses/LICENSE-2.0",
        NoiseReason::Licence,
    );
    none_because("https://opensource.org/licenses/MIT", NoiseReason::Licence);
    none_because("http://www.gnu.org/licenses/gpl.html", NoiseReason::Licence);
    none_because(
        "https://creativecommons.org/licenses/by/4.0/",
        NoiseReason::Licence,
    );
    for s in [
        "https://example.com/x",
        "http://www.example.org",
        "api.example.net",
        "https://foo.example/",
        "http://host.invalid/x",
        "http://localhost:8080/",
        "http://app.localhost/",
    ] {
        none_because(s, NoiseReason::ExampleDomain);
    }
    none_because(
        "https://developer.android.com/reference/android/Manifest",
        NoiseReason::Documentation,
    );
    none_because(
        "https://github.com/square/okhttp/issues/1",
        NoiseReason::Documentation,
    );
    // Downloads from a documentation host are endpoints.
    assert_eq!(
        one("https://github.com/greenaddress/abcore/releases/download/v0.61/%s.tar.gz").host,
        "github.com"
    );
    // API subdomains of documentation hosts are endpoints.
    assert_eq!(one("https://api.github.com/repos").host, "api.github.com");
    // OAuth scopes are identifiers; the same host's API is an endpoint.
    none_because(
        "https://www.googleapis.com/auth/drive.file",
        NoiseReason::Schema,
    );
    assert_eq!(
        one("https://www.googleapis.com/upload/drive/v3/files").host,
        "www.googleapis.com"
    );
}

#[test]
fn placeholders_and_empty_hosts() {
    for s in [
        "http://%s/",
        "https://%1$s:%2$d/path",
        "https://{host}/api",
        "https://${HOST}/x",
    ] {
        none_because(s, NoiseReason::Placeholder);
    }
    for s in ["http://", "https:///path", "http://:80/"] {
        none_because(s, NoiseReason::NoHost);
    }
    // A placeholder in the path is fine.
    assert_eq!(
        one("https://api.vendor.com/v1/users/%s").host,
        "api.vendor.com"
    );
    // An unknown suffix in a URL is not an endpoint.
    none_because("http://myserver/x", NoiseReason::UnknownSuffix);
    none_because("http://foo.notatld/x", NoiseReason::UnknownSuffix);
}

#[test]
fn emails_are_not_endpoints() {
    none_because("support@acme-corp.com", NoiseReason::Email);
}

#[test]
fn json_xml_properties_assets() {
    let json = br#"{"endpoint":"https://events.tracker-sdk.io/v2/batch","fallback":"backup.tracker-sdk.io","ip":"93.184.216.34","xmlns":"http://www.w3.org/1999/xhtml","icon":"logo.png"}"#;
    let ex = ex();
    let mut f = Findings::new();
    ex.scan(json, &mut |c| f.record(c));
    assert_eq!(
        f.hosts(),
        vec![
            "93.184.216.34",
            "backup.tracker-sdk.io",
            "events.tracker-sdk.io"
        ]
    );
    assert_eq!(f.noise().get(NoiseReason::XmlNamespace), 1);
    assert_eq!(f.noise().get(NoiseReason::FileName), 1);

    let props = b"server.url=https://collect.vendor.com/api\nserver.port=443\nlog.file=app.log\n";
    let hosts: Vec<String> = ex.endpoints(props).into_iter().map(|e| e.host).collect();
    assert_eq!(hosts, vec!["collect.vendor.com"]);

    let xml = br#"<manifest xmlns:android="http://schemas.android.com/apk/res/android"><meta-data android:name="com.vendor.API_HOST" android:value="api.vendor.com"/></manifest>"#;
    let hosts: Vec<String> = ex.endpoints(xml).into_iter().map(|e| e.host).collect();
    assert_eq!(hosts, vec!["api.vendor.com"]);
}

#[test]
fn candidate_offsets_and_kinds() {
    let s = b"x https://a.vendor.com/p y 8.8.4.4 z api.vendor.io";
    let mut v = Vec::new();
    ex().scan(s, &mut |c| v.push(c));
    let kinds: Vec<_> = v.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        vec![
            CandidateKind::Url,
            CandidateKind::Ipv4,
            CandidateKind::Hostname
        ]
    );
    let texts: Vec<_> = v.iter().map(|c| c.text(s)).collect();
    assert_eq!(
        texts,
        vec![&b"https://a.vendor.com/p"[..], b"8.8.4.4", b"api.vendor.io"]
    );
}

#[test]
fn findings_dedupe_and_count() {
    let ex = ex();
    let mut f = Findings::new();
    for _ in 0..3 {
        ex.scan(
            b"https://t.vendor.com/a http://www.w3.org/2000/svg",
            &mut |c| f.record(c),
        );
    }
    assert_eq!(f.len(), 1);
    assert_eq!(f.iter().map(|(_, n)| n).collect::<Vec<_>>(), vec![3]);
    assert_eq!(f.noise().get(NoiseReason::XmlNamespace), 3);
    assert_eq!(f.noise().to_string(), "3 ignored as XML namespaces");
    let mut g = Findings::new();
    ex.scan(b"https://t.vendor.com/a https://u.vendor.com/", &mut |c| {
        g.record(c)
    });
    f.merge(g);
    assert_eq!(f.len(), 2);
    assert_eq!(f.iter().map(|(_, n)| n).collect::<Vec<_>>(), vec![4, 1]);
}

#[test]
fn custom_noise_table() {
    let table = NoiseTable::from_toml(
        "version = 1\n[[rule]]\nreason = \"documentation\"\ndomains = [\"vendor.com\"]\n",
    );
    let Ok(table) = table else {
        panic!("{table:?}")
    };
    let Ok(ex) = Extractor::with_noise(table) else {
        panic!()
    };
    let mut v = Vec::new();
    ex.scan(
        b"https://api.vendor.com/ http://www.w3.org/2000/svg",
        &mut |c| v.push(c),
    );
    assert_eq!(v[0].noise(), Some(NoiseReason::Documentation));
    // Not in the custom table: now an endpoint.
    assert_eq!(v[1].endpoint().map(|e| e.host.as_str()), Some("www.w3.org"));
    assert!(NoiseTable::from_toml("version = 2").is_err());
    assert!(NoiseTable::from_toml("version = 1\n[[rule]]\nreason = \"package_name\"\n").is_err());
    assert!(
        NoiseTable::from_toml("version = 1\n[[rule]]\nreason = \"licence\"\nbogus = 1\n").is_err()
    );
    assert!(NoiseTable::from_toml("not toml [").is_err());
}

#[test]
fn builtin_noise_table_loads() {
    let t = NoiseTable::builtin();
    let Ok(t) = t else { panic!("{t:?}") };
    assert!(t.len() > 50);
}

#[test]
fn hostile_bytes_do_not_panic() {
    let ex = ex();
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![0xff; 10_000],
        b"http://".repeat(1000),
        b"a.".repeat(5000),
        b"1.".repeat(5000),
        b"::".repeat(5000),
        b"//a.b".repeat(2000),
        [b"https://".as_slice(), &[0xc3; 3000]].concat(),
        [b"https://a.com/".as_slice(), &[0xe2, 0x82]].concat(),
        b"https://[::1".to_vec(),
        b"http://[zz::1]/".to_vec(),
        b"https://a.com:99999999/".to_vec(),
    ];
    let mut seed = 0x1234_5678u32;
    for _ in 0..200 {
        let v: Vec<u8> = (0..512)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let alphabet = b"htps:/.:[]0123456789abcdefwx.com@%{}-_ \x00\xc3";
                alphabet[seed as usize % alphabet.len()]
            })
            .collect();
        inputs.push(v);
    }
    for i in &inputs {
        let mut n = 0usize;
        ex.scan(i, &mut |c| {
            assert!(c.offset.saturating_add(c.len) <= i.len());
            n += 1;
        });
        ex.scan_binary(i, 4, &mut |c| {
            assert!(c.offset.saturating_add(c.len) <= i.len());
        });
    }
}

#[test]
fn url_glued_to_a_dotted_name() {
    assert_eq!(one("see.http://t.vendor.com/x").host, "t.vendor.com");
    assert_eq!(
        one("api.vendor.comhttps://t.vendor.io/x").host,
        "t.vendor.io"
    );
}

#[test]
fn property_keys_and_code_fragments() {
    for s in [
        "ro.build.display.id",
        "persist.sys.locale",
        "nio.write.enqueuing.timeout.in.ms",
        "user.id",
        "style.id",
    ] {
        none_because(s, NoiseReason::PropertyKey);
    }
    none_because("coverage.ec", NoiseReason::FileName);
    for s in ["9.ki", "n.il", "8p0.nu"] {
        none_because(s, NoiseReason::Identifier);
    }
    // Dictionary-word gTLDs are not accepted for bare names.
    nothing("event.target.name");
    nothing("obj.click");
    nothing("cn.google.services");
    // Versions that read as dotted quads; well-known resolvers do not.
    none_because("2.12.9.2", NoiseReason::Version);
    none_because("1.0.0.68", NoiseReason::Version);
    assert_eq!(one("9.9.9.9").host, "9.9.9.9");
    assert_eq!(one("4.2.2.2").host, "4.2.2.2");
    // With a port it is an address.
    assert_eq!(one("2.12.9.2:5000").port, Some(5000));
    // In a URL nothing is a version.
    assert_eq!(one("http://5.6.7.8/").host, "5.6.7.8");
}

#[test]
fn two_label_package_names() {
    none_because("com.google", NoiseReason::PackageName);
    none_because("org.chromium", NoiseReason::PackageName);
    none_because("androguard.test", NoiseReason::PackageName);
    assert_eq!(
        one("superflash-analytics.test").host,
        "superflash-analytics.test"
    );
    assert_eq!(one("tracker.fixture.test").host, "tracker.fixture.test");
    assert_eq!(one("https://androguard.test/x").host, "androguard.test");
}
