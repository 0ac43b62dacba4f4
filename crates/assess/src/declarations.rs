//! What the publisher declares it collects: Google Play Data safety answers
//! as our JSON format or as the CSV the Play Console exports
//! (`docs/declarations.md`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use leakscope_kb::Kb;
use leakscope_model::Category;
use serde::Deserialize;

use crate::csv;
use crate::data::{self, Meta};
use crate::error::{DeclarationWarning, DeclarationsError};

/// Largest declarations file read, in bytes.
pub const MAX_DECLARATIONS_SIZE: u64 = 4 << 20;

/// Most warnings kept for one declarations file; later ones are dropped.
pub const MAX_DECLARATION_WARNINGS: usize = 100;

/// The data categories a publisher declares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Declarations {
    /// Where they come from (a path, or what the JSON's `source` says).
    pub source: String,
    /// Categories declared as collected (sent off the device).
    pub collected: BTreeSet<Category>,
    /// Categories declared as shared with third parties.
    pub shared: BTreeSet<Category>,
    /// Categories the format cannot express (Play has no data type for the
    /// clipboard or for sensors): their `declared` stays unknown.
    pub not_covered: BTreeSet<Category>,
    /// What was ignored while reading.
    pub warnings: Vec<DeclarationWarning>,
}

impl Declarations {
    /// Records a warning, at most [`MAX_DECLARATION_WARNINGS`] of them.
    fn warn(&mut self, w: DeclarationWarning) {
        if self.warnings.len() < MAX_DECLARATION_WARNINGS {
            self.warnings.push(w);
        }
    }

    /// Whether `category` is declared (collected or shared).
    pub fn declares(&self, category: Category) -> bool {
        self.collected.contains(&category) || self.shared.contains(&category)
    }

    /// `Some(true)` when `category` is declared, `Some(false)` when it is
    /// not, `None` when the format cannot express it.
    pub fn declared(&self, category: Category) -> Option<bool> {
        if self.declares(category) {
            Some(true)
        } else if self.not_covered.contains(&category) {
            None
        } else {
            Some(false)
        }
    }

    /// Reads a declarations file, JSON or Play Console CSV, told apart by
    /// its first non-blank character (`{` is JSON).
    pub fn load(path: &Path) -> Result<Declarations, DeclarationsError> {
        let file = path.display().to_string();
        let io = |source| DeclarationsError::Io {
            file: file.clone(),
            source,
        };
        let f = std::fs::File::open(path).map_err(io)?;
        let mut bytes = Vec::new();
        f.take(MAX_DECLARATIONS_SIZE.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if size > MAX_DECLARATIONS_SIZE {
            return Err(DeclarationsError::TooLarge {
                file,
                size,
                limit: MAX_DECLARATIONS_SIZE,
            });
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return Err(DeclarationsError::UnknownFormat { file });
        };
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        let mut decl = if trimmed.starts_with('{') {
            Declarations::from_json(&text)?
        } else if trimmed.starts_with("Question ID") || trimmed.starts_with("\"Question ID") {
            Declarations::from_play_csv(&text)?
        } else {
            return Err(DeclarationsError::UnknownFormat { file });
        };
        if decl.source.is_empty() {
            decl.source = file;
        }
        Ok(decl)
    }

    /// Parses our JSON format: `{"source": "...", "collected": [...],
    /// "shared": [...], "data_types": [...]}`. Entries are category ids,
    /// Play response ids (`PSL_PRECISE_LOCATION`) or Play data-type names
    /// (`Precise location`); `data_types` counts as collected. Unknown
    /// entries and fields are ignored with a warning.
    pub fn from_json(text: &str) -> Result<Declarations, DeclarationsError> {
        let map = mapping()?;
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| DeclarationsError::Json(e.to_string()))?;
        let serde_json::Value::Object(obj) = value else {
            return Err(DeclarationsError::Json(
                "the top level must be an object".into(),
            ));
        };
        let mut d = Declarations::default();
        for (key, v) in &obj {
            match key.as_str() {
                "source" => match v {
                    serde_json::Value::String(s) => d.source = s.clone(),
                    serde_json::Value::Null => {}
                    _ => return Err(DeclarationsError::Json("`source` must be a string".into())),
                },
                "collected" | "shared" | "data_types" => {
                    let serde_json::Value::Array(items) = v else {
                        return Err(DeclarationsError::Json(format!(
                            "`{key}` must be an array of strings"
                        )));
                    };
                    for item in items {
                        let serde_json::Value::String(s) = item else {
                            return Err(DeclarationsError::Json(format!(
                                "`{key}` must be an array of strings"
                            )));
                        };
                        match map.lookup(s) {
                            Lookup::Category(c) if key == "shared" => {
                                d.shared.insert(c);
                            }
                            Lookup::Category(c) => {
                                d.collected.insert(c);
                            }
                            Lookup::NoCategory => {}
                            Lookup::Unknown => d.warn(DeclarationWarning::UnknownDataType {
                                place: format!("field `{key}`"),
                                data_type: s.clone(),
                            }),
                        }
                    }
                }
                other => d
                    .warnings
                    .push(DeclarationWarning::UnknownField(other.to_owned())),
            }
        }
        Ok(d)
    }

    /// Parses the Data safety CSV that the Play Console exports: columns
    /// `Question ID, Response ID, Response value, Answer requirement,
    /// Human-friendly question label`. A `PSL_DATA_TYPES_*` row with a
    /// data-type response and value `true` declares that type collected; a
    /// `PSL_DATA_USAGE_RESPONSES:<type>:PSL_DATA_USAGE_COLLECTION_AND_SHARING`
    /// row says whether it is also shared.
    pub fn from_play_csv(text: &str) -> Result<Declarations, DeclarationsError> {
        let map = mapping()?;
        let records = csv::parse(text).map_err(|e| DeclarationsError::Csv {
            line: e.line,
            message: e.message.into(),
        })?;
        let mut rows = records.into_iter();
        let Some(header) = rows.next() else {
            return Err(DeclarationsError::Csv {
                line: 1,
                message: "empty file".into(),
            });
        };
        let first = header.fields.first().map(|f| f.trim()).unwrap_or_default();
        if !first.starts_with("Question ID") || header.fields.len() < 3 {
            return Err(DeclarationsError::Csv {
                line: header.line,
                message: "the header must start with `Question ID,Response ID,Response value`"
                    .into(),
            });
        }
        let mut d = Declarations {
            not_covered: Category::ALL
                .into_iter()
                .filter(|c| {
                    map.kb
                        .categories
                        .get(*c)
                        .is_none_or(|info| info.play_data_types.is_empty())
                })
                .collect(),
            ..Declarations::default()
        };
        for row in rows {
            let line = row.line;
            let (Some(question), Some(response), Some(value)) =
                (row.fields.first(), row.fields.get(1), row.fields.get(2))
            else {
                return Err(DeclarationsError::Csv {
                    line,
                    message: format!("{} field(s), expected at least 3", row.fields.len()),
                });
            };
            let (question, response, value) = (question.trim(), response.trim(), value.trim());
            let yes = match value.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" | "" => false,
                _ => {
                    // Free-text answers (privacy policy URL, ...) are not
                    // about data types.
                    if question.starts_with("PSL_DATA_TYPES_")
                        || question.starts_with("PSL_DATA_USAGE_RESPONSES")
                    {
                        d.warn(DeclarationWarning::OddValue {
                            line,
                            value: value.to_owned(),
                        });
                    }
                    false
                }
            };
            if question.starts_with("PSL_DATA_TYPES_") {
                if response.is_empty() || !yes {
                    continue;
                }
                match map.lookup(response) {
                    Lookup::Category(c) => {
                        d.collected.insert(c);
                    }
                    Lookup::NoCategory => {}
                    Lookup::Unknown => d.warn(DeclarationWarning::UnknownDataType {
                        place: format!("line {line}"),
                        data_type: response.to_owned(),
                    }),
                }
            } else if let Some(rest) = question.strip_prefix("PSL_DATA_USAGE_RESPONSES:") {
                let data_type = rest.split(':').next().unwrap_or_default();
                let shared = response.contains("SHARED");
                if !yes || !shared {
                    continue;
                }
                match map.lookup(data_type) {
                    Lookup::Category(c) => {
                        d.shared.insert(c);
                    }
                    Lookup::NoCategory => {}
                    Lookup::Unknown => d.warn(DeclarationWarning::UnknownDataType {
                        place: format!("line {line}"),
                        data_type: data_type.to_owned(),
                    }),
                }
            } else if !question.starts_with("PSL_") {
                d.warn(DeclarationWarning::UnknownQuestion {
                    line,
                    id: question.to_owned(),
                });
            }
        }
        Ok(d)
    }
}

/// What a declared data-type string names.
enum Lookup {
    Category(Category),
    /// A Play data type with no leakscope category (purchase history, ...).
    NoCategory,
    Unknown,
}

/// Play response id → data-type name (`play_data_types.toml`), plus the
/// knowledge base's data-type name → category.
struct Mapping {
    ids: BTreeMap<String, String>,
    kb: &'static Kb,
}

impl Mapping {
    fn lookup(&self, s: &str) -> Lookup {
        let s = s.trim();
        if let Some(c) = Category::from_id(s) {
            return Lookup::Category(c);
        }
        let name = match self.ids.get(s) {
            Some(name) if name.is_empty() => return Lookup::NoCategory,
            Some(name) => name.as_str(),
            None => s,
        };
        match self.kb.categories.by_play_data_type(name) {
            Some(c) => Lookup::Category(c),
            None if self.ids.values().any(|n| n.eq_ignore_ascii_case(name)) => Lookup::NoCategory,
            None => Lookup::Unknown,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIds {
    schema_version: i64,
    meta: Meta,
    ids: BTreeMap<String, String>,
}

fn load_mapping() -> Result<Mapping, String> {
    let kb = Kb::embedded().map_err(|e| format!("knowledge base: {e}"))?;
    let label = data::PLAY_IDS.name;
    let raw: RawIds = data::from_toml(label, data::PLAY_IDS.embedded).map_err(|e| e.to_string())?;
    data::check_header(label, raw.schema_version, &raw.meta).map_err(|e| e.to_string())?;
    for (id, name) in &raw.ids {
        if !name.is_empty() && kb.categories.by_play_data_type(name).is_none() {
            return Err(format!(
                "{label}: `{id}` names Play data type `{name}`, which data/categories.toml does not have"
            ));
        }
    }
    Ok(Mapping { ids: raw.ids, kb })
}

fn mapping() -> Result<&'static Mapping, DeclarationsError> {
    static MAPPING: OnceLock<Result<Mapping, String>> = OnceLock::new();
    MAPPING
        .get_or_init(load_mapping)
        .as_ref()
        .map_err(|e| DeclarationsError::Mapping(e.clone()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn mapping_covers_the_play_ids_of_every_category_with_a_play_type() {
        let m = mapping().unwrap();
        assert!(matches!(
            m.lookup("PSL_PRECISE_LOCATION"),
            Lookup::Category(Category::Geolocation)
        ));
        assert!(matches!(
            m.lookup("PSL_CONTACTS"),
            Lookup::Category(Category::Contacts)
        ));
        assert!(matches!(
            m.lookup("PSL_DEVICE_ID"),
            Lookup::Category(Category::DeviceIds)
        ));
        assert!(matches!(
            m.lookup("Precise location"),
            Lookup::Category(Category::Geolocation)
        ));
        assert!(matches!(
            m.lookup("health_fitness"),
            Lookup::Category(Category::HealthFitness)
        ));
        assert!(matches!(
            m.lookup("PSL_PURCHASE_HISTORY"),
            Lookup::NoCategory
        ));
        assert!(matches!(m.lookup("PSL_NOPE"), Lookup::Unknown));
        // Every Play data type of the knowledge base has an id here.
        let kb = Kb::embedded().unwrap();
        for info in kb.categories.iter() {
            for t in &info.play_data_types {
                assert!(m.ids.values().any(|n| n == t), "no PSL id for `{t}`");
            }
        }
    }

    #[test]
    fn json_accepts_ids_names_and_categories() {
        let d = Declarations::from_json(
            r#"{"source":"Play listing 2026-11","collected":["geolocation","PSL_CONTACTS"],
                "shared":["Device or other IDs"],"data_types":["PSL_EMAIL","PSL_NOPE"],"extra":1}"#,
        )
        .unwrap();
        assert_eq!(d.source, "Play listing 2026-11");
        assert_eq!(
            d.collected.iter().copied().collect::<Vec<_>>(),
            vec![
                Category::Geolocation,
                Category::Identity,
                Category::Contacts
            ]
        );
        assert!(d.declares(Category::DeviceIds) && d.shared.contains(&Category::DeviceIds));
        assert!(!d.declares(Category::Messages));
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
        assert!(
            d.warnings
                .iter()
                .any(|w| w.to_string().contains("PSL_NOPE"))
        );
        assert!(matches!(
            Declarations::from_json("[1]"),
            Err(DeclarationsError::Json(_))
        ));
        assert!(matches!(
            Declarations::from_json("{\"collected\":[1]}"),
            Err(DeclarationsError::Json(_))
        ));
        assert!(matches!(
            Declarations::from_json("{"),
            Err(DeclarationsError::Json(_))
        ));
    }

    #[test]
    fn csv_reads_types_and_sharing() {
        let text = "Question ID (machine readable),Response ID (machine readable),Response value,Answer requirement,Human-friendly question label\n\
PSL_DATA_COLLECTION_COLLECTS_PERSONAL_DATA,,true,REQUIRED,Does your app collect data?\n\
PSL_DATA_TYPES_LOCATION,PSL_APPROX_LOCATION,true,OPTIONAL,\"Data types > Location > Approximate location\"\n\
PSL_DATA_TYPES_LOCATION,PSL_PRECISE_LOCATION,,OPTIONAL,Data types > Location > Precise location\n\
PSL_DATA_TYPES_PERSONAL,PSL_PURCHASE_HISTORY,true,OPTIONAL,x\n\
PSL_DATA_USAGE_RESPONSES:PSL_APPROX_LOCATION:PSL_DATA_USAGE_COLLECTION_AND_SHARING,PSL_DATA_USAGE_COLLECTED_AND_SHARED,true,MULTIPLE_CHOICE,x\n\
MY_QUESTION,x,true,,\n";
        let d = Declarations::from_play_csv(text).unwrap();
        assert_eq!(
            d.collected.iter().copied().collect::<Vec<_>>(),
            vec![Category::Geolocation]
        );
        assert_eq!(
            d.shared.iter().copied().collect::<Vec<_>>(),
            vec![Category::Geolocation]
        );
        assert_eq!(
            d.warnings,
            vec![DeclarationWarning::UnknownQuestion {
                line: 7,
                id: "MY_QUESTION".into()
            }]
        );
    }

    #[test]
    fn malformed_csv_names_the_line() {
        let e = Declarations::from_play_csv("Question ID,Response ID,Response value\nPSL_X\n")
            .unwrap_err();
        assert!(matches!(e, DeclarationsError::Csv { line: 2, .. }), "{e}");
        let e =
            Declarations::from_play_csv("Question ID,Response ID,Response value\nPSL_X,\"a,true\n")
                .unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = Declarations::from_play_csv("id,b,c\n").unwrap_err();
        assert!(matches!(e, DeclarationsError::Csv { line: 1, .. }), "{e}");
        assert!(Declarations::from_play_csv("").is_err());
    }
}
