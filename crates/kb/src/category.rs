//! The personal-data categories (`categories.toml`).

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;

use crate::error::KbError;
use crate::meta::{Header, Meta};

pub use leakscope_model::{Category, UnknownCategory};

/// Parses a category id found in `file` at `entry`.
pub(crate) fn parse_category(
    file: &str,
    entry: impl fmt::Display,
    id: &str,
) -> Result<Category, KbError> {
    Category::from_id(id)
        .ok_or_else(|| KbError::invalid(file, entry, format_args!("unknown category `{id}`")))
}

/// What `categories.toml` says about one category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryInfo {
    /// The category.
    pub id: Category,
    /// A short human title.
    pub title: String,
    /// One line saying what it covers.
    pub description: String,
    /// The matching Google Play Data safety data types.
    pub play_data_types: Vec<String>,
    /// The matching Apple `NSPrivacyCollectedDataType*` values.
    pub apple_data_types: Vec<String>,
}

/// All categories, with lookups from store data types.
#[derive(Clone, Debug)]
pub struct Categories {
    list: Vec<CategoryInfo>,
    play: HashMap<String, Category>,
    apple: HashMap<String, Category>,
}

impl Categories {
    /// The description of `category` (always present once loaded).
    pub fn get(&self, category: Category) -> Option<&CategoryInfo> {
        self.list.iter().find(|c| c.id == category)
    }

    /// All categories, in the order of [`Category::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = &CategoryInfo> {
        self.list.iter()
    }

    /// Number of categories.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none (never true once loaded).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The category of a Google Play Data safety data type, e.g.
    /// `"Precise location"`.
    pub fn by_play_data_type(&self, data_type: &str) -> Option<Category> {
        self.play.get(data_type).copied()
    }

    /// The category of an Apple privacy-manifest data type, e.g.
    /// `"NSPrivacyCollectedDataTypePreciseLocation"`.
    pub fn by_apple_data_type(&self, data_type: &str) -> Option<Category> {
        self.apple.get(data_type).copied()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[allow(dead_code)]
    schema_version: i64,
    meta: Meta,
    category: Vec<RawCategory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: String,
    title: String,
    description: String,
    play_data_types: Vec<String>,
    apple_data_types: Vec<String>,
}

/// Parses and validates `categories.toml`.
pub(crate) fn load(file: &str, text: &str) -> Result<(Categories, Meta), KbError> {
    let header: Header = crate::source::from_toml(file, text)?;
    header.check(file)?;
    let raw: RawFile = crate::source::from_toml(file, text)?;
    raw.meta.validate(file)?;
    let mut list: Vec<CategoryInfo> = Vec::with_capacity(Category::ALL.len());
    let mut play = HashMap::new();
    let mut apple = HashMap::new();
    for (i, c) in raw.category.into_iter().enumerate() {
        let entry = format!("[[category]] #{} `{}`", i.saturating_add(1), c.id);
        let id = parse_category(file, &entry, &c.id)?;
        if list.iter().any(|known| known.id == id) {
            return Err(KbError::duplicate(file, "category", id));
        }
        if c.title.trim().is_empty() || c.description.trim().is_empty() {
            return Err(KbError::invalid(file, &entry, "empty title or description"));
        }
        for t in &c.play_data_types {
            if t.trim().is_empty() {
                return Err(KbError::invalid(file, &entry, "empty Play data type"));
            }
            if play.insert(t.clone(), id).is_some() {
                return Err(KbError::duplicate(file, "Play data type", t));
            }
        }
        for t in &c.apple_data_types {
            let valid = t
                .strip_prefix("NSPrivacyCollectedDataType")
                .is_some_and(|rest| {
                    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric())
                });
            if !valid {
                return Err(KbError::invalid(
                    file,
                    &entry,
                    format_args!("`{t}` is not an NSPrivacyCollectedDataType* value"),
                ));
            }
            if apple.insert(t.clone(), id).is_some() {
                return Err(KbError::duplicate(file, "Apple data type", t));
            }
        }
        list.push(CategoryInfo {
            id,
            title: c.title,
            description: c.description,
            play_data_types: c.play_data_types,
            apple_data_types: c.apple_data_types,
        });
    }
    if let Some(missing) = Category::ALL
        .into_iter()
        .find(|c| !list.iter().any(|l| l.id == *c))
    {
        return Err(KbError::invalid(
            file,
            "[[category]]",
            format_args!("category `{missing}` is not described"),
        ));
    }
    list.sort_by_key(|c| c.id);
    Ok((Categories { list, play, apple }, raw.meta))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const META: &str = "schema_version = 1\n[meta]\nsource = \"s\"\nlicence = \"Apache-2.0\"\nupdated = \"2026-01-01\"\n";

    fn all_but(skip: Option<Category>, extra: &str) -> String {
        let mut s = META.to_owned();
        for c in Category::ALL {
            if Some(c) == skip {
                continue;
            }
            s.push_str(&format!(
                "[[category]]\nid = \"{c}\"\ntitle = \"T\"\ndescription = \"D\"\nplay_data_types = [\"play {c}\"]\napple_data_types = []\n"
            ));
        }
        s.push_str(extra);
        s
    }

    #[test]
    fn round_trip_ids() {
        for c in Category::ALL {
            assert_eq!(Category::from_id(c.id()), Some(c));
            assert_eq!(c.to_string().parse::<Category>(), Ok(c));
        }
        assert!("location".parse::<Category>().is_err());
    }

    #[test]
    fn loads_complete_file() {
        let (cats, meta) = load("c.toml", &all_but(None, "")).unwrap();
        assert_eq!(cats.len(), 14);
        assert_eq!(meta.licence, "Apache-2.0");
        assert_eq!(
            cats.by_play_data_type("play contacts"),
            Some(Category::Contacts)
        );
    }

    #[test]
    fn missing_category_is_an_error() {
        let err = load("c.toml", &all_but(Some(Category::Files), ""))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`files` is not described"), "{err}");
    }

    #[test]
    fn unknown_and_duplicate_categories_are_errors() {
        let extra = "[[category]]\nid = \"weather\"\ntitle = \"T\"\ndescription = \"D\"\nplay_data_types = []\napple_data_types = []\n";
        let err = load("c.toml", &all_but(None, extra))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("c.toml") && err.contains("unknown category `weather`"),
            "{err}"
        );
        let extra = "[[category]]\nid = \"audio\"\ntitle = \"T\"\ndescription = \"D\"\nplay_data_types = []\napple_data_types = []\n";
        let err = load("c.toml", &all_but(None, extra))
            .unwrap_err()
            .to_string();
        assert!(err.contains("duplicate category `audio`"), "{err}");
    }

    #[test]
    fn store_types_map_to_one_category() {
        let extra = "";
        let mut text = all_but(None, extra);
        text = text.replacen("play geolocation", "play contacts", 1);
        let err = load("c.toml", &text).unwrap_err().to_string();
        assert!(err.contains("duplicate Play data type"), "{err}");
        let text = all_but(None, "").replacen(
            "apple_data_types = []",
            "apple_data_types = [\"Location\"]",
            1,
        );
        let err = load("c.toml", &text).unwrap_err().to_string();
        assert!(err.contains("NSPrivacyCollectedDataType"), "{err}");
    }
}
