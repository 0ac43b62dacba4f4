//! Rules for deciding whether a dotted name is a hostname, and its
//! registrable domain.

use crate::endpoint::NoiseReason;

/// Longest DNS name.
pub(crate) const MAX_HOST_LEN: usize = 253;

/// First labels that make a dotted name of three or more labels a Java or
/// Kotlin package (a reversed domain) rather than a host: `com.foo.app`
/// (`.app` is a real TLD), `io.flutter.embedding`.
#[rustfmt::skip]
const PACKAGE_ROOTS: &[&str] = &[
    "com", "org", "net", "io", "edu", "gov", "mil", "int", "android", "androidx", "java", "javax",
    "jdk", "kotlin", "kotlinx", "dalvik", "sun", "libcore", "junit", "okhttp3", "okio", "retrofit2",
    "dagger", "butterknife", "rx", "lombok",
];

/// Generic TLDs that start package names; no host starts with one.
const GENERIC_ROOTS: &[&str] = &["com", "org", "net", "edu", "gov", "mil", "int"];

/// First labels that are package roots even in two-label names
/// (`java.net`, `kotlin.io`, `androidx.core`): they are never a host's first
/// label in practice.
#[rustfmt::skip]
const PACKAGE_ONLY_ROOTS: &[&str] = &[
    "java", "javax", "jdk", "kotlin", "kotlinx", "dalvik", "androidx", "sun", "libcore", "okhttp3",
    "retrofit2",
];

/// Last labels that are file extensions: a bare name ending in one is a file
/// name, whatever its length unless the extension is also in
/// [`AMBIGUOUS_EXTENSIONS`].
#[rustfmt::skip]
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "bmp", "svg", "ico", "html", "htm", "xhtml", "xml", "json",
    "js", "mjs", "css", "txt", "csv", "tsv", "properties", "prop", "dex", "odex", "jar", "apk",
    "aar", "class", "java", "kt", "smali", "arsc", "bin", "dat", "db", "sqlite", "log", "tmp",
    "bak", "conf", "cfg", "ini", "yaml", "yml", "toml", "proto", "pb", "ttf", "otf", "woff",
    "woff2", "mp3", "mp4", "m4a", "aac", "ogg", "wav", "webm", "avi", "mkv", "flac", "jks", "bks",
    "pem", "der", "crt", "cer", "p12", "pfx", "key", "pdf", "doc", "docx", "xls", "xlsx", "ppt",
    "gz", "tgz", "bz2", "xz", "7z", "rar", "tar", "dylib", "dll", "exe", "lib", "obj", "o", "a",
    "h", "hpp", "c", "cpp", "cc", "m", "mm", "swift", "plist", "nib", "storyboard", "strings",
    "car", "lproj", "framework", "bundle", "appex", "ipa", "mobileprovision", "tflite", "onnx",
    "model", "lua", "ec", "exec", "zip", "mov", "so", "sh", "py", "pl", "rs", "md", "ps", "mk",
    "ai", "pm", "rb", "go", "ts", "tsx", "jsx", "php", "asp", "aspx", "jsp", "cgi", "vue", "map",
    "lock",
];

/// Of [`FILE_EXTENSIONS`], those that are also commonly used ccTLDs or gTLDs.
/// They make a *two-label* bare name a file name (`libfoo.so`, `run.sh`,
/// `icon.ai`) but not a longer one (`api.foo.ai`, `cdn.onet.pl`).
#[rustfmt::skip]
const AMBIGUOUS_EXTENSIONS: &[&str] = &[
    "so", "sh", "py", "pl", "rs", "md", "ps", "mk", "ai", "pm", "cc", "zip", "mov", "ws", "ml",
    "gl", "im", "ar", "in", "ec", "js", "ts", "go", "rb", "map", "mm", "lua",
];

/// gTLDs accepted for *bare* names (in URLs any public suffix is
/// accepted). Two-letter ccTLDs are always accepted. Dictionary-word gTLDs
/// such as `.name`, `.link`, `.click`, `.data`, `.run` are left out because
/// member chains in code (`event.target.name`, `obj.click`) end in them far
/// more often than hosts do.
#[rustfmt::skip]
const BARE_GTLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "mobi", "pro", "asia", "tel",
    "travel", "app", "dev", "cloud", "online", "site", "xyz", "top", "club", "shop", "store",
    "tech", "live", "news", "xn--fiqs8s", "xn--p1ai",
];

/// ccTLDs that are also short English words or units, and end property
/// keys and field paths far more often than hosts (`user.id`,
/// `timeout.in.ms`). A bare name ending in one needs a hyphen in
/// its registrable label or a typical host first label
/// ([`HOST_FIRST_LABELS`]) to count.
#[rustfmt::skip]
const WORD_CCTLDS: &[&str] = &[
    "id", "ms", "in", "is", "do", "so", "by", "on", "as", "if", "of", "or", "to",
];

/// First labels typical of service hosts.
#[rustfmt::skip]
const HOST_FIRST_LABELS: &[&str] = &[
    "www", "api", "apis", "cdn", "m", "mobile", "app", "ads", "ad", "sdk", "log", "logs", "stats",
    "analytics", "track", "tracking", "t", "events", "collect", "static", "img", "images", "auth",
    "login", "push", "mqtt", "gateway", "gw", "edge", "config", "update", "dl", "download", "files",
    "pay", "my", "secure", "s3", "graph", "metrics", "telemetry",
];

/// First labels of Android system properties and config keys
/// (`ro.build.display.id`, `persist.sys.locale`, `nio.write.timeout.in.ms`).
#[rustfmt::skip]
const PROPERTY_ROOTS: &[&str] = &[
    "ro", "persist", "sys", "debug", "vendor", "init", "ctl", "gsm", "ril", "hw", "wlan", "nio",
    "dalvik", "vold", "selinux",
];

/// Two-letter TLDs under which one-letter names are real (`t.co`, `g.co`).
const SHORT_NAME_CCTLDS: &[&str] = &["co", "io", "me", "ly"];

/// Whether `label` is a syntactically valid DNS label (LDH, 1..=63, no
/// leading or trailing hyphen).
pub(crate) fn is_ldh_label(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b.first() != Some(&b'-')
        && b.last() != Some(&b'-')
}

/// Whether `host` (lowercase) ends in a suffix that is on the Public Suffix
/// List, or in the reserved `.test` TLD that leakscope reports on purpose.
pub(crate) fn has_known_suffix(host: &str) -> bool {
    is_test_tld(host) || psl::suffix(host.as_bytes()).is_some_and(|s| s.is_known())
}

fn is_test_tld(host: &str) -> bool {
    host.ends_with(".test")
}

/// eTLD+1 of a lowercase host with a known suffix.
pub(crate) fn registrable_domain(host: &str) -> Option<String> {
    if is_test_tld(host) {
        let mut it = host.rsplitn(3, '.');
        let tld = it.next()?;
        let sld = it.next().filter(|s| !s.is_empty())?;
        return Some(format!("{sld}.{tld}"));
    }
    let d = psl::domain(host.as_bytes())?;
    if !d.suffix().is_known() {
        return None;
    }
    std::str::from_utf8(d.as_bytes()).ok().map(str::to_owned)
}

/// Judges a dotted name that appeared without a scheme. `raw` is the name as
/// written (case preserved). Returns the lowercase host on success.
pub(crate) fn judge_bare_name(raw: &str) -> Result<String, NoiseReason> {
    if raw.len() > MAX_HOST_LEN {
        return Err(NoiseReason::Identifier);
    }
    let labels: Vec<&str> = raw.split('.').collect();
    let Some(&last_raw) = labels.last() else {
        return Err(NoiseReason::Identifier);
    };
    if labels.len() < 2 {
        return Err(NoiseReason::UnknownSuffix);
    }
    if labels
        .iter()
        .all(|l| !l.is_empty() && l.bytes().all(|c| c.is_ascii_digit()))
    {
        return Err(NoiseReason::Version);
    }
    if labels
        .iter()
        .any(|l| l.bytes().any(|c| c == b'_' || c == b'$'))
    {
        return Err(NoiseReason::Identifier);
    }
    if !labels.iter().all(|l| is_ldh_label(l)) {
        return Err(NoiseReason::Identifier);
    }
    let lower_last = last_raw.to_ascii_lowercase();
    if last_raw.bytes().all(|c| c.is_ascii_digit()) {
        // `v1.2.3`, `libfoo.so.1`
        return Err(NoiseReason::Version);
    }
    if labels.iter().any(|l| is_version_label(l)) && !has_known_suffix(&raw.to_ascii_lowercase()) {
        return Err(NoiseReason::Version);
    }
    let first = labels
        .first()
        .copied()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if PACKAGE_ONLY_ROOTS.contains(&first.as_str()) {
        return Err(NoiseReason::PackageName);
    }
    // Class names (`com.foo.MainActivity`, `android.intent.action.VIEW`,
    // `R.layout.main`): hostnames in app strings are lowercase.
    if raw.bytes().any(|c| c.is_ascii_uppercase()) {
        return Err(
            if PACKAGE_ROOTS.contains(&first.as_str()) || labels.len() >= 3 {
                NoiseReason::PackageName
            } else if FILE_EXTENSIONS.contains(&lower_last.as_str()) {
                NoiseReason::FileName
            } else {
                NoiseReason::Identifier
            },
        );
    }
    let host = raw.to_ascii_lowercase();
    if FILE_EXTENSIONS.contains(&lower_last.as_str())
        && (labels.len() == 2 || !AMBIGUOUS_EXTENSIONS.contains(&lower_last.as_str()))
    {
        return Err(NoiseReason::FileName);
    }
    if labels.len() >= 3 && PACKAGE_ROOTS.contains(&first.as_str()) {
        return Err(NoiseReason::PackageName);
    }
    // `com.google`, `org.chromium`: a two-label name cannot start with a
    // generic TLD and be a host.
    if GENERIC_ROOTS.contains(&first.as_str()) {
        return Err(NoiseReason::PackageName);
    }
    // `androguard.test`, `org.foo.test`: `test` is the commonest last
    // package segment. A bare `.test` name is a host only if it could not
    // be a package: three labels or more, or a hyphen in a label.
    if is_test_tld(&host) && labels.len() < 3 && !host.contains('-') {
        return Err(NoiseReason::PackageName);
    }
    if first == "android" && lower_last != "com" {
        return Err(NoiseReason::PackageName);
    }
    if PROPERTY_ROOTS.contains(&first.as_str()) {
        return Err(NoiseReason::PropertyKey);
    }
    if !has_known_suffix(&host) {
        return Err(NoiseReason::UnknownSuffix);
    }
    let tld_ok =
        is_test_tld(&host) || lower_last.len() == 2 || BARE_GTLDS.contains(&lower_last.as_str());
    if !tld_ok {
        return Err(NoiseReason::UnknownSuffix);
    }
    let Some(reg) = registrable_domain(&host) else {
        // The whole name is a public suffix (`co.uk`, `github.io`).
        return Err(NoiseReason::UnknownSuffix);
    };
    let reg_label = reg.split('.').next().unwrap_or_default();
    if WORD_CCTLDS.contains(&lower_last.as_str())
        && !reg_label.contains('-')
        && !HOST_FIRST_LABELS.contains(&first.as_str())
    {
        return Err(NoiseReason::PropertyKey);
    }
    // `9.ki`, `n.il`, `8p0.nu`: fragments of minified or obfuscated code.
    if labels.len() == 2
        && lower_last.len() == 2
        && !SHORT_NAME_CCTLDS.contains(&lower_last.as_str())
        && (reg_label.len() <= 2 || reg_label.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Err(NoiseReason::Identifier);
    }
    Ok(host)
}

/// `v2`, `1a`, `0rc1`: labels that occur in version strings.
fn is_version_label(l: &str) -> bool {
    let b = l.as_bytes();
    match b.first() {
        Some(b'v' | b'V') => b.len() > 1 && b.iter().skip(1).all(u8::is_ascii_digit),
        Some(c) if c.is_ascii_digit() => true,
        _ => false,
    }
}

/// Whether a lowercase host (of any origin) is a valid DNS name we can
/// report: LDH labels, at least two labels, known suffix.
pub(crate) fn is_reportable_name(host: &str) -> bool {
    host.len() <= MAX_HOST_LEN
        && host.contains('.')
        && host
            .split('.')
            .all(|l| is_ldh_label(l) || (l.contains('_') && !l.is_empty()))
        && has_known_suffix(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert!(is_ldh_label("a-b1"));
        assert!(!is_ldh_label("-ab"));
        assert!(!is_ldh_label("ab-"));
        assert!(!is_ldh_label(""));
        assert!(!is_ldh_label(&"a".repeat(64)));
        assert!(!is_ldh_label("a_b"));
    }

    #[test]
    fn registrable() {
        assert_eq!(
            registrable_domain("a.b.example.co.uk").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(
            registrable_domain("x.y.tracker.test").as_deref(),
            Some("tracker.test")
        );
        assert_eq!(registrable_domain("co.uk"), None);
        assert_eq!(registrable_domain("foo.notatld"), None);
        assert!(has_known_suffix("a.com") && !has_known_suffix("a.notatld"));
    }

    #[test]
    fn bare_names() {
        assert_eq!(judge_bare_name("API.x.io"), Err(NoiseReason::PackageName));
        assert_eq!(judge_bare_name("api.x.io"), Ok("api.x.io".to_owned()));
        assert_eq!(
            judge_bare_name(&"a.".repeat(200)),
            Err(NoiseReason::Identifier)
        );
        assert_eq!(judge_bare_name("co.uk"), Err(NoiseReason::UnknownSuffix));
        assert_eq!(judge_bare_name("x.github.io"), Ok("x.github.io".to_owned()));
    }
}
