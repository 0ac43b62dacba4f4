//! Where the app connects: URLs, host names and IP addresses in the strings
//! its code uses, in its resources and configuration files, and in its
//! native libraries; each with its owner, the owner's country and, with a
//! GeoIP database, the IP's country.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, ToSocketAddrs};

use leakscope_app::{App, AppFile};
use leakscope_endpoints::{Candidate, Endpoint, Extractor, GeoIp, NoiseCounts};
use leakscope_kb::Kb;
use leakscope_model::{EndpointFinding, Location};

use crate::apis::ConstStrings;

/// Most example URLs kept per host.
const MAX_URLS: usize = 5;
/// Most locations kept per host.
const MAX_LOCATIONS: usize = 20;
/// Text files larger than this are not scanned.
const MAX_TEXT_FILE: u64 = 8 << 20;
/// Native libraries larger than this are not scanned.
const MAX_NATIVE_FILE: u64 = 64 << 20;

/// How endpoints are located.
#[derive(Default)]
pub struct EndpointOptions<'a> {
    /// IP → country database (`--geoip`).
    pub geoip: Option<&'a GeoIp>,
    /// Resolve host names to look up their IP's country (`--resolve`).
    pub resolve: bool,
}

/// The endpoints of an app, and what was filtered out as noise.
pub struct EndpointScan {
    /// One finding per host.
    pub endpoints: Vec<EndpointFinding>,
    /// Candidates dropped as noise, by reason.
    pub noise: NoiseCounts,
    /// Files that were skipped, with the reason.
    pub skipped: Vec<(String, String)>,
}

#[derive(Default)]
struct HostAcc {
    registrable_domain: Option<String>,
    urls: BTreeSet<String>,
    schemes: BTreeSet<String>,
    cleartext: bool,
    is_ip: bool,
    locations: BTreeSet<Location>,
}

struct Collector<'e> {
    extractor: &'e Extractor,
    hosts: BTreeMap<String, HostAcc>,
    noise: NoiseCounts,
}

impl Collector<'_> {
    fn add(&mut self, endpoint: Endpoint, location: &Location) {
        let acc = self.hosts.entry(endpoint.host.clone()).or_default();
        acc.registrable_domain = endpoint.registrable_domain.clone();
        acc.is_ip = endpoint.is_ip;
        acc.cleartext |= endpoint.cleartext;
        if let Some(s) = endpoint.scheme {
            acc.schemes.insert(s);
        }
        if let Some(u) = endpoint.url
            && acc.urls.len() < MAX_URLS
        {
            acc.urls.insert(redact(&u));
        }
        if acc.locations.len() < MAX_LOCATIONS {
            acc.locations.insert(location.clone());
        }
    }

    /// Runs one of the extractor's scans and records what it finds:
    /// endpoints at `location`, noise by reason.
    fn record(
        &mut self,
        location: &Location,
        scan: impl FnOnce(&Extractor, &mut dyn FnMut(Candidate)),
    ) {
        let mut found = Vec::new();
        let noise = &mut self.noise;
        scan(self.extractor, &mut |c| match c.endpoint() {
            Some(e) => found.push(e.clone()),
            None => {
                if let Some(reason) = c.noise() {
                    noise.add(reason);
                }
            }
        });
        for e in found {
            self.add(e, location);
        }
    }

    fn scan_text(&mut self, bytes: &[u8], location: &Location) {
        self.record(location, |x, mut out| x.scan(bytes, &mut out));
    }

    fn scan_binary(&mut self, bytes: &[u8], location: &Location) {
        self.record(location, |x, mut out| x.scan_binary(bytes, 6, &mut out));
    }
}

/// Drops credentials (`user:pass@`) from a URL before it goes into a report.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme_end), Some(at))
            if at > scheme_end && !url[scheme_end + 3..at].contains('/') =>
        {
            format!("{}://{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

fn file(path: impl Into<String>) -> Location {
    Location::File { path: path.into() }
}

/// Is this file worth scanning as text for endpoints?
fn is_text_config(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    matches!(
        ext,
        "json"
            | "xml"
            | "properties"
            | "txt"
            | "cfg"
            | "conf"
            | "ini"
            | "yaml"
            | "yml"
            | "js"
            | "html"
            | "htm"
            | "plist"
            | "toml"
    )
}

/// Endpoints found so far: those of the app's files, before the strings of
/// its code are added (the two can be found in parallel).
pub struct Partial {
    hosts: BTreeMap<String, HostAcc>,
    noise: NoiseCounts,
    skipped: Vec<(String, String)>,
    extractor: Option<Extractor>,
}

fn extractor_for(app: &App) -> Result<Extractor, String> {
    let mut extractor = Extractor::new().map_err(|e| e.to_string())?;
    extractor.add_known_packages(app_packages(app));
    Ok(extractor)
}

/// Endpoints in the app's resources, configuration files, compiled XML and
/// native libraries.
pub fn scan_files(app: &App) -> Partial {
    let extractor = match extractor_for(app) {
        Ok(e) => e,
        Err(e) => {
            return Partial {
                hosts: BTreeMap::new(),
                noise: NoiseCounts::default(),
                skipped: vec![("endpoints".into(), format!("extractor unavailable: {e}"))],
                extractor: None,
            };
        }
    };
    let mut c = Collector {
        extractor: &extractor,
        hosts: BTreeMap::new(),
        noise: NoiseCounts::default(),
    };
    let mut skipped = Vec::new();
    let native = preferred_native_libs(app);
    app.visit_files(|f| {
        let is_native = f.name.starts_with("lib/") && f.name.ends_with(".so");
        if !is_native || native.contains(f.path.as_str()) {
            scan_file(f, &mut c, &mut skipped);
        }
    });
    let (hosts, noise) = (c.hosts, c.noise);
    Partial {
        hosts,
        noise,
        skipped,
        extractor: Some(extractor),
    }
}

/// ABIs in order of preference: one build of a native library is enough,
/// since every ABI's build of it holds the same strings.
const ABI_ORDER: &[&str] = &[
    "arm64-v8a",
    "armeabi-v7a",
    "x86_64",
    "x86",
    "armeabi",
    "mips64",
    "mips",
];

/// The native libraries to scan: for each library (by container and file
/// name), the build for the most preferred ABI.
fn preferred_native_libs(app: &App) -> BTreeSet<String> {
    // (container prefix, library file name) -> (ABI rank, shown path)
    let mut best: BTreeMap<(String, String), (usize, String)> = BTreeMap::new();
    app.visit_files(|f| {
        let Some(rest) = f.name.strip_prefix("lib/") else {
            return;
        };
        let Some((abi, lib)) = rest.split_once('/') else {
            return;
        };
        if !lib.ends_with(".so") {
            return;
        }
        let rank = ABI_ORDER
            .iter()
            .position(|a| *a == abi)
            .unwrap_or(ABI_ORDER.len());
        let container = f
            .path
            .strip_suffix(f.name.as_ref())
            .unwrap_or("")
            .to_string();
        let slot = best
            .entry((container, lib.to_string()))
            .or_insert((usize::MAX, String::new()));
        if rank < slot.0 {
            *slot = (rank, f.path.clone());
        }
    });
    best.into_values().map(|(_, path)| path).collect()
}

/// Adds the endpoints in the strings the code uses (`const_strings`, from
/// the API scan) and gives each host its owner, tracker and country.
pub fn finish(
    app: &App,
    kb: &Kb,
    partial: Partial,
    const_strings: &[ConstStrings],
    options: &EndpointOptions<'_>,
) -> EndpointScan {
    let Partial {
        hosts,
        noise,
        skipped,
        extractor,
    } = partial;
    let (hosts, noise) = match &extractor {
        Some(extractor) => {
            let mut c = Collector {
                extractor,
                hosts,
                noise,
            };
            scan_code_strings(app, const_strings, &mut c);
            (c.hosts, c.noise)
        }
        None => (hosts, noise),
    };
    let endpoints = hosts
        .into_iter()
        .map(|(host, acc)| finding(kb, options, host, acc))
        .collect();
    EndpointScan {
        endpoints,
        noise,
        skipped,
    }
}

/// Finds the endpoints of `app`: [`scan_files`] then [`finish`].
pub fn scan(
    app: &App,
    kb: &Kb,
    const_strings: &[ConstStrings],
    options: &EndpointOptions<'_>,
) -> EndpointScan {
    finish(app, kb, scan_files(app), const_strings, options)
}

/// Packages of the app's classes, so that `com.example.app` is not taken for
/// a host name.
fn app_packages(app: &App) -> Vec<String> {
    let mut v: Vec<String> = app.package().map(str::to_string).into_iter().collect();
    if let Some(m) = &app.manifest {
        for c in m.components() {
            if let Some((pkg, _)) = c.name.as_deref().and_then(|n| n.rsplit_once('.')) {
                v.push(pkg.to_string());
            }
        }
    }
    v.sort();
    v.dedup();
    v
}

/// The strings that `const-string` instructions load.
fn scan_code_strings(app: &App, const_strings: &[ConstStrings], c: &mut Collector<'_>) {
    for cs in const_strings {
        let Some(blob) = app
            .code
            .iter()
            .chain(app.dynamic_code.iter().flat_map(|d| d.dex.iter()))
            .find(|b| b.origin == cs.dex)
        else {
            continue;
        };
        let Ok(images) = leakscope_dex::parse_dex_container(blob.bytes.as_slice()) else {
            continue;
        };
        let Some(dex) = images.get(cs.image) else {
            continue;
        };
        let location = file(cs.dex.clone());
        for &idx in &cs.indices {
            if let Ok(s) = dex.string(idx) {
                c.scan_text(s, &location);
            }
        }
    }
}

/// Resources, configuration files, compiled XML and native libraries.
fn scan_file(f: &AppFile<'_>, c: &mut Collector<'_>, skipped: &mut Vec<(String, String)>) {
    let name = f.name.as_ref();
    let is_native = name.starts_with("lib/") && name.ends_with(".so");
    let is_arsc = name == "resources.arsc";
    let is_res_xml = name.starts_with("res/") && name.ends_with(".xml");
    let is_text =
        (name.starts_with("assets/") || name.starts_with("res/raw/") || !name.contains('/'))
            && is_text_config(name);
    if !(is_native || is_arsc || is_res_xml || is_text) || name == "AndroidManifest.xml" {
        return;
    }
    let limit = if is_native {
        MAX_NATIVE_FILE
    } else {
        MAX_TEXT_FILE
    };
    if f.size > limit {
        skipped.push((
            f.path.clone(),
            format!("not scanned for endpoints: larger than {limit} bytes"),
        ));
        return;
    }
    let data = match f.read() {
        Ok(d) => d,
        Err(e) => {
            skipped.push((f.path.clone(), format!("not scanned for endpoints: {e}")));
            return;
        }
    };
    let location = file(f.path.clone());
    if is_native {
        c.scan_binary(&data, &location);
    } else if is_arsc {
        if let Ok(table) = leakscope_axml::ResourceTable::parse(&data) {
            let pool = table.value_strings();
            for i in 0..pool.len() {
                if let Some(s) = pool.get(i) {
                    c.scan_text(s.as_bytes(), &location);
                }
            }
        }
    } else if leakscope_axml::is_binary_xml(&data) {
        if let Ok(doc) = leakscope_axml::decode(&data) {
            scan_element(&doc.root, &location, c);
        }
    } else {
        c.scan_text(&data, &location);
    }
}

/// Attribute values of a compiled XML file (network security configs name
/// domains as element text, which compiled XML keeps as attributes or text).
fn scan_element(root: &leakscope_axml::Element, location: &Location, c: &mut Collector<'_>) {
    for e in std::iter::once(root).chain(root.descendants()) {
        for a in &e.attributes {
            if let Some(s) = a.value.as_str() {
                c.scan_text(s.as_bytes(), location);
            }
        }
    }
}

fn finding(kb: &Kb, options: &EndpointOptions<'_>, host: String, acc: HostAcc) -> EndpointFinding {
    let owner = kb.owners.lookup(&host).map(|o| kb.owners.root(o));
    let tracker = kb.trackers.match_host(&host).next().map(|t| t.name.clone());
    let ip_country = options
        .geoip
        .and_then(|g| ip_country(g, &host, acc.is_ip, options.resolve));
    EndpointFinding {
        host,
        registrable_domain: acc.registrable_domain,
        urls: acc.urls.into_iter().collect(),
        schemes: acc.schemes.into_iter().collect(),
        cleartext: acc.cleartext,
        is_ip: acc.is_ip,
        owner: owner.map(|o| o.name.clone()),
        owner_country: owner.map(|o| o.country.clone()),
        ip_country,
        tracker,
        locations: acc.locations.into_iter().collect(),
    }
}

/// The country of a literal IP, or of the first address a host name resolves
/// to when `resolve` is set.
fn ip_country(geoip: &GeoIp, host: &str, is_ip: bool, resolve: bool) -> Option<String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if is_ip {
        return bare.parse::<IpAddr>().ok().and_then(|ip| geoip.country(ip));
    }
    if !resolve {
        return None;
    }
    (host, 443)
        .to_socket_addrs()
        .ok()?
        .next()
        .and_then(|addr| geoip.country(addr.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(redact("https://user:pw@host.io/x"), "https://host.io/x");
        assert_eq!(redact("https://host.io/a@b"), "https://host.io/a@b");
        assert_eq!(redact("mailto:a@b.c"), "mailto:a@b.c");
    }

    #[test]
    fn text_configs_by_extension() {
        assert!(is_text_config("assets/config.JSON"));
        assert!(is_text_config("res/raw/settings.properties"));
        assert!(!is_text_config("assets/logo.png"));
    }
}
