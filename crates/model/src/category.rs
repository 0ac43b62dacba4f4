//! The personal-data categories: the backbone of the report.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A personal-data category.
///
/// The set follows Google Play's Data safety data types and Apple's
/// privacy-manifest data types, so that declared and observed data use
/// compare one to one. Reports and data files name categories by [`id`]
/// (`snake_case`).
///
/// [`id`]: Category::id
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Approximate or precise location.
    Geolocation,
    /// Name, email, address, phone number, birth date, accounts.
    Identity,
    /// SMS, MMS, call log, email.
    Messages,
    /// Photos and videos.
    PhotosVideos,
    /// Microphone and audio files.
    Audio,
    /// The address book.
    Contacts,
    /// Browser history and bookmarks.
    BrowsingHistory,
    /// IMEI/MEID, IMSI, serial, Android ID, advertising ID, MAC, IDFA/IDFV.
    DeviceIds,
    /// Calendar events.
    Calendar,
    /// The list of installed apps.
    InstalledApps,
    /// The clipboard.
    Clipboard,
    /// Health and fitness data.
    HealthFitness,
    /// Motion and environment sensors.
    Sensors,
    /// Files and documents on shared storage.
    Files,
}

impl Category {
    /// Every category, in report order.
    pub const ALL: [Category; 14] = [
        Category::Geolocation,
        Category::Identity,
        Category::Messages,
        Category::PhotosVideos,
        Category::Audio,
        Category::Contacts,
        Category::BrowsingHistory,
        Category::DeviceIds,
        Category::Calendar,
        Category::InstalledApps,
        Category::Clipboard,
        Category::HealthFitness,
        Category::Sensors,
        Category::Files,
    ];

    /// The id used in data files and reports, e.g. `device_ids`.
    pub fn id(self) -> &'static str {
        match self {
            Category::Geolocation => "geolocation",
            Category::Identity => "identity",
            Category::Messages => "messages",
            Category::PhotosVideos => "photos_videos",
            Category::Audio => "audio",
            Category::Contacts => "contacts",
            Category::BrowsingHistory => "browsing_history",
            Category::DeviceIds => "device_ids",
            Category::Calendar => "calendar",
            Category::InstalledApps => "installed_apps",
            Category::Clipboard => "clipboard",
            Category::HealthFitness => "health_fitness",
            Category::Sensors => "sensors",
            Category::Files => "files",
        }
    }

    /// The category with this id.
    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The error of [`Category::from_str`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown data category `{0}`")]
pub struct UnknownCategory(pub String);

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::from_id(s).ok_or_else(|| UnknownCategory(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_serde_and_from_id() {
        for c in Category::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.id()));
            assert_eq!(Category::from_id(c.id()), Some(c));
            assert_eq!(c.id().parse::<Category>(), Ok(c));
        }
        assert!("location".parse::<Category>().is_err());
    }
}
