//! The extractor's output: endpoints, candidates and why a candidate was not
//! an endpoint.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// A network endpoint found in a string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Endpoint {
    /// The normalised URL (WHATWG serialisation, IDNA hosts in punycode) when
    /// the endpoint was written as a URL; `None` for bare hosts and IPs.
    pub url: Option<String>,
    /// The host, lowercase ASCII (punycode for IDNs); IPv6 without brackets.
    pub host: String,
    /// The port when one was written explicitly (`host:8080`,
    /// `https://h:8443/`); `None` when absent or equal to the scheme default.
    pub port: Option<u16>,
    /// The URL scheme (`http`, `https`, `ws`, `wss`, `ftp`), lowercase.
    pub scheme: Option<String>,
    /// eTLD+1 from the Public Suffix List (`api.foo.co.uk` → `foo.co.uk`);
    /// `None` for IPs.
    pub registrable_domain: Option<String>,
    /// Whether the host is an IP literal.
    pub is_ip: bool,
    /// The address class of an IP literal; `None` for names.
    pub ip_scope: Option<IpScope>,
    /// Whether the scheme sends data unencrypted (`http`, `ws`, `ftp`).
    pub cleartext: bool,
}

impl Endpoint {
    /// The host parsed as an IP address, when [`Endpoint::is_ip`].
    pub fn ip(&self) -> Option<IpAddr> {
        if self.is_ip {
            self.host.parse().ok()
        } else {
            None
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(url) = &self.url {
            return f.write_str(url);
        }
        let bracket = self.host.contains(':');
        match (bracket, self.port) {
            (true, Some(p)) => write!(f, "[{}]:{p}", self.host),
            (false, Some(p)) => write!(f, "{}:{p}", self.host),
            _ => f.write_str(&self.host),
        }
    }
}

/// Address class of an IP literal. Private and loopback addresses are kept
/// (an app talking to `10.0.0.1` is worth knowing) but flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IpScope {
    /// Globally routable.
    Public,
    /// RFC 1918 (`10/8`, `172.16/12`, `192.168/16`) or IPv6 unique local
    /// (`fc00::/7`).
    Private,
    /// `127/8`, `::1`.
    Loopback,
    /// `169.254/16`, `fe80::/10`.
    LinkLocal,
    /// Carrier-grade NAT, `100.64/10`.
    Shared,
    /// Multicast (`224/4`, `ff00::/8`).
    Multicast,
}

impl fmt::Display for IpScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IpScope::Public => "public",
            IpScope::Private => "private",
            IpScope::Loopback => "loopback",
            IpScope::LinkLocal => "link-local",
            IpScope::Shared => "shared",
            IpScope::Multicast => "multicast",
        })
    }
}

/// Which pattern produced a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CandidateKind {
    /// `scheme://…` with a network scheme.
    Url,
    /// `//host/path` without a scheme.
    SchemelessUrl,
    /// A dotted name such as `api.tracker.com` (or a package name that looks
    /// like one).
    Hostname,
    /// A dotted-quad IPv4 literal (or a version number that looks like one).
    Ipv4,
    /// An IPv6 literal.
    Ipv6,
}

/// Why a candidate is not reported as an endpoint.
///
/// The first group is the documented noise filter (`noise.toml` plus the
/// placeholder and empty-host rules); the second group is candidates that
/// are not network names at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NoiseReason {
    /// XML namespace URI (`http://schemas.android.com/apk/res/android`).
    XmlNamespace,
    /// Schema, DTD or parser-feature URI.
    Schema,
    /// Licence URL (`http://www.apache.org/licenses/LICENSE-2.0`).
    Licence,
    /// Reserved or example name (`example.com`, `*.invalid`, `localhost`).
    ExampleDomain,
    /// Documentation host cited by library comments and messages.
    Documentation,
    /// A format-string or template placeholder in the host (`http://%s/`).
    Placeholder,
    /// A URL without a usable host (`http://`, `http:///x`).
    NoHost,
    /// An address that is never a destination: unspecified (`0.0.0.0`,
    /// `::`), broadcast, reserved (`240/4`, netmasks), or a documentation
    /// range (`192.0.2/24`, `2001:db8::/32`).
    ReservedAddress,
    /// Not on the Public Suffix List (`R.layout.main`, `foo.bar`).
    UnknownSuffix,
    /// A Java/Kotlin package or class name (`com.google.android.gms`,
    /// `android.intent.action.VIEW`).
    PackageName,
    /// A file name (`icon.png`, `libfoo.so`, `index.html`).
    FileName,
    /// A version number or OID (`1.2.3`, `1.0.0.1.2`, `2.5.4.3`).
    Version,
    /// An IP literal with an invalid octet (`300.1.1.1`).
    InvalidIp,
    /// The domain of an e-mail address (`support@foo.com`).
    Email,
    /// An Android system property or configuration key
    /// (`ro.build.display.id`, `user.id`, `timeout.in.ms`).
    PropertyKey,
    /// Part of a longer identifier or path (`a_b.com`, `x/y.com`,
    /// `java.lang.Object.toString(`), or a malformed label.
    Identifier,
}

impl NoiseReason {
    /// Every reason, in declaration order.
    pub const ALL: [NoiseReason; 16] = [
        NoiseReason::XmlNamespace,
        NoiseReason::Schema,
        NoiseReason::Licence,
        NoiseReason::ExampleDomain,
        NoiseReason::Documentation,
        NoiseReason::Placeholder,
        NoiseReason::NoHost,
        NoiseReason::ReservedAddress,
        NoiseReason::UnknownSuffix,
        NoiseReason::PackageName,
        NoiseReason::FileName,
        NoiseReason::Version,
        NoiseReason::InvalidIp,
        NoiseReason::Email,
        NoiseReason::PropertyKey,
        NoiseReason::Identifier,
    ];

    /// Stable snake_case name, as used in `noise.toml` and the report.
    pub fn as_str(self) -> &'static str {
        match self {
            NoiseReason::XmlNamespace => "xml_namespace",
            NoiseReason::Schema => "schema",
            NoiseReason::Licence => "licence",
            NoiseReason::ExampleDomain => "example_domain",
            NoiseReason::Documentation => "documentation",
            NoiseReason::Placeholder => "placeholder",
            NoiseReason::NoHost => "no_host",
            NoiseReason::ReservedAddress => "reserved_address",
            NoiseReason::UnknownSuffix => "unknown_suffix",
            NoiseReason::PackageName => "package_name",
            NoiseReason::FileName => "file_name",
            NoiseReason::Version => "version",
            NoiseReason::InvalidIp => "invalid_ip",
            NoiseReason::Email => "email",
            NoiseReason::PropertyKey => "property_key",
            NoiseReason::Identifier => "identifier",
        }
    }

    /// Parses [`NoiseReason::as_str`].
    pub fn from_name(name: &str) -> Option<NoiseReason> {
        NoiseReason::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// Whether the candidate was a real-looking URL or host dropped by the
    /// noise filter (as opposed to something that is not a network name).
    pub fn is_filtered_noise(self) -> bool {
        matches!(
            self,
            NoiseReason::XmlNamespace
                | NoiseReason::Schema
                | NoiseReason::Licence
                | NoiseReason::ExampleDomain
                | NoiseReason::Documentation
                | NoiseReason::Placeholder
                | NoiseReason::NoHost
                | NoiseReason::ReservedAddress
        )
    }

    /// A short human description, plural, for reports ("37 URLs ignored as
    /// XML namespaces").
    pub fn describe(self) -> &'static str {
        match self {
            NoiseReason::XmlNamespace => "XML namespaces",
            NoiseReason::Schema => "schema or DTD URIs",
            NoiseReason::Licence => "licence URLs",
            NoiseReason::ExampleDomain => "example or reserved domains",
            NoiseReason::Documentation => "documentation links",
            NoiseReason::Placeholder => "format-string placeholders",
            NoiseReason::NoHost => "URLs without a host",
            NoiseReason::ReservedAddress => "unspecified, reserved or documentation addresses",
            NoiseReason::UnknownSuffix => "names without a public suffix",
            NoiseReason::PackageName => "package or class names",
            NoiseReason::FileName => "file names",
            NoiseReason::Version => "version numbers or OIDs",
            NoiseReason::InvalidIp => "invalid IP literals",
            NoiseReason::Email => "e-mail addresses",
            NoiseReason::PropertyKey => "property or configuration keys",
            NoiseReason::Identifier => "parts of identifiers or paths",
        }
    }
}

impl fmt::Display for NoiseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What became of a candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It is an endpoint.
    Endpoint(Endpoint),
    /// It was dropped, for this reason.
    Noise(NoiseReason),
}

/// One match of the extractor's patterns in the scanned bytes, with its
/// verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Byte offset of the match in the scanned buffer.
    pub offset: usize,
    /// Length in bytes of the match (after trimming trailing punctuation).
    pub len: usize,
    /// Which pattern matched.
    pub kind: CandidateKind,
    /// Endpoint or noise.
    pub outcome: Outcome,
}

impl Candidate {
    /// The endpoint, if the candidate is one.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        match &self.outcome {
            Outcome::Endpoint(e) => Some(e),
            Outcome::Noise(_) => None,
        }
    }

    /// The reason it was dropped, if it was.
    pub fn noise(&self) -> Option<NoiseReason> {
        match self.outcome {
            Outcome::Noise(r) => Some(r),
            Outcome::Endpoint(_) => None,
        }
    }

    /// The matched bytes, given the buffer that was scanned.
    pub fn text<'a>(&self, scanned: &'a [u8]) -> &'a [u8] {
        let end = self.offset.saturating_add(self.len);
        scanned.get(self.offset..end).unwrap_or_default()
    }
}
