//! Network endpoints in byte strings, and IP geolocation.
//!
//! This crate knows nothing of APKs or DEX. It takes byte strings — a DEX
//! `const-string` value, a line of a JSON/XML/properties asset, the bytes of
//! a native `.so` — and finds the URLs, hostnames and IP literals in them:
//!
//! - [`Extractor`] scans bytes with one compiled pattern and judges every
//!   match, calling back with a [`Candidate`]: either an [`Endpoint`] (host,
//!   port, scheme, registrable domain from the Public Suffix List, IP scope,
//!   cleartext) or the [`NoiseReason`] it was dropped for. Noise comes from
//!   the documented data file `noise.toml` ([`NoiseTable`]: XML namespaces,
//!   schemas, licences, example domains, documentation hosts) and from rules
//!   in code (placeholders, package and class names, file names, versions).
//! - [`Findings`] deduplicates endpoints and counts noise per reason.
//! - [`printable_strings`] and [`utf16le_strings`] find text runs in binary
//!   files like `strings(1)`; [`Extractor::scan_binary`] uses both.
//! - [`GeoIp`] maps an IP address to its country with a MaxMind-format
//!   database read into memory.
//!
//! ```
//! use leakscope_endpoints::{Extractor, Findings, IpScope};
//! let ex = Extractor::new()?;
//! let mut found = Findings::new();
//! for s in [
//!     &b"https://collect.superflash-analytics.test/v1/events"[..],
//!     b"com.google.android.gms.ads",
//!     b"http://schemas.android.com/apk/res/android",
//!     b"10.0.0.7:8080",
//! ] {
//!     ex.scan(s, &mut |c| found.record(c));
//! }
//! let eps: Vec<_> = found.iter().map(|(e, _)| e).collect();
//! assert_eq!(eps.len(), 2);
//! assert_eq!(eps[0].registrable_domain.as_deref(), Some("superflash-analytics.test"));
//! assert_eq!(eps[1].ip_scope, Some(IpScope::Private));
//! assert_eq!(found.noise().total(), 2);
//! # Ok::<(), leakscope_endpoints::ExtractorError>(())
//! ```

#![deny(missing_docs)]

mod endpoint;
mod error;
mod extract;
mod findings;
mod geoip;
mod host;
mod ip;
mod noise;
mod strings;

pub use endpoint::{Candidate, CandidateKind, Endpoint, IpScope, NoiseReason, Outcome};
pub use error::{ExtractorError, GeoIpError, NoiseTableError};
pub use extract::Extractor;
pub use findings::Findings;
pub use geoip::GeoIp;
pub use noise::{BUILTIN_NOISE_TOML, NoiseCounts, NoiseTable};
pub use strings::{Utf16Run, printable_strings, utf16le_strings};
