//! IP → country lookups in a MaxMind DB file (GeoLite2-Country, DB-IP Lite
//! country, ip-location-db country files).

use std::net::IpAddr;
use std::path::Path;

use maxminddb::{PathElement, Reader};

use crate::error::GeoIpError;

/// A country database held in memory.
///
/// The file is read fully (no memory map: mapping is `unsafe`, and the
/// country databases are under 10 MB). Lookups are lock-free and the type is
/// `Sync`, so one instance serves all workers.
pub struct GeoIp {
    reader: Reader<Vec<u8>>,
    layout: Layout,
}

/// Where the database keeps the country code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// GeoIP2 / DB-IP: `country.iso_code`.
    Iso,
    /// ip-location-db: `country_code`.
    Flat,
}

const ISO_PATH: [PathElement<'static>; 2] =
    [PathElement::Key("country"), PathElement::Key("iso_code")];
const FLAT_PATH: [PathElement<'static>; 1] = [PathElement::Key("country_code")];

impl std::fmt::Debug for GeoIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoIp")
            .field("database_type", &self.database_type())
            .field("layout", &self.layout)
            .finish()
    }
}

impl GeoIp {
    /// Reads a `.mmdb` file.
    pub fn open(path: impl AsRef<Path>) -> Result<GeoIp, GeoIpError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| GeoIpError::Io {
            path: path.to_owned(),
            source,
        })?;
        GeoIp::from_bytes(bytes)
    }

    /// Uses the bytes of a `.mmdb` file. The metadata is checked here, and
    /// one probe lookup finds where the country code is kept. A corrupt
    /// search tree or data section shows later as failed lookups (`None`
    /// from [`GeoIp::country`], an error from [`GeoIp::try_country`]); the
    /// format has no checksum, so flipped bytes can also give wrong answers.
    /// (`maxminddb`'s own `verify()` is not offered: it rejects valid
    /// ip-location-db files for their empty `description` map.)
    pub fn from_bytes(bytes: Vec<u8>) -> Result<GeoIp, GeoIpError> {
        let reader = Reader::from_source(bytes).map_err(GeoIpError::Invalid)?;
        let db_type = reader.metadata().database_type.to_ascii_lowercase();
        let layout = if db_type.contains("country") && !db_type.contains("asn") {
            // Probe a well-known address to tell the layouts apart.
            probe_layout(&reader).unwrap_or(Layout::Iso)
        } else {
            probe_layout(&reader)
                .ok_or_else(|| GeoIpError::NoCountryData(reader.metadata().database_type.clone()))?
        };
        Ok(GeoIp { reader, layout })
    }

    /// The database's `database_type` metadata (e.g. `DBIP-Country-Lite`).
    pub fn database_type(&self) -> &str {
        &self.reader.metadata().database_type
    }

    /// The database's build time, seconds since the Unix epoch.
    pub fn build_epoch(&self) -> u64 {
        self.reader.metadata().build_epoch
    }

    /// ISO 3166-1 alpha-2 country of `ip` (`"US"`), or `None` when the
    /// address is not in the database or the record cannot be read.
    pub fn country(&self, ip: IpAddr) -> Option<String> {
        self.try_country(ip).ok().flatten()
    }

    /// Like [`GeoIp::country`], but reports a corrupt database as an error.
    pub fn try_country(&self, ip: IpAddr) -> Result<Option<String>, GeoIpError> {
        let found = self.reader.lookup(ip).map_err(GeoIpError::Invalid)?;
        let path: &[PathElement<'_>] = match self.layout {
            Layout::Iso => &ISO_PATH,
            Layout::Flat => &FLAT_PATH,
        };
        let code: Option<String> = found.decode_path(path).map_err(GeoIpError::Invalid)?;
        Ok(code
            .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|c| c.to_ascii_uppercase()))
    }
}

fn probe_layout(reader: &Reader<Vec<u8>>) -> Option<Layout> {
    let probes: [IpAddr; 3] = [
        IpAddr::from([8, 8, 8, 8]),
        IpAddr::from([1, 1, 1, 1]),
        IpAddr::from([0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8888]),
    ];
    for ip in probes {
        let Ok(found) = reader.lookup(ip) else {
            continue;
        };
        if matches!(found.decode_path::<String>(&ISO_PATH), Ok(Some(_))) {
            return Some(Layout::Iso);
        }
        if matches!(found.decode_path::<String>(&FLAT_PATH), Ok(Some(_))) {
            return Some(Layout::Flat);
        }
    }
    None
}
