//! Tracker SDK detection with the Exodus signatures, equal to exodus-core.
//!
//! exodus-core (1.3.15) detects a tracker when its code signature (a Python
//! regex, used only when longer than 3 characters) is found by `re.search`
//! in any string of a "class list", which is every match of
//! `[A-Z]+((?:\w+\/)+\w+)` in the `dexdump` output of the app's
//! `classes*.dex` files. [`exodus_class_list`] computes that list from a
//! parsed DEX without running dexdump (see [`class_list`] for what it
//! covers), and [`TrackerMatcher`] applies the signatures: code signatures
//! to the class list ([`TrackerMatcher::detect`]), network signatures to
//! hosts found elsewhere ([`TrackerMatcher::match_hosts`]).
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let kb = leakscope_kb::Kb::embedded().map_err(|e| e.clone())?;
//! let matcher = leakscope_trackers::TrackerMatcher::from_kb(kb)?;
//! let app = leakscope_app::load("app.apk".as_ref(), &leakscope_app::Options::default())?;
//! for f in matcher.detect(&app).findings {
//!     println!("{} ({} classes)", f.name, f.code_match_count);
//! }
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

pub mod class_list;
mod error;
mod matcher;

pub use class_list::{ClassList, exodus_class_list, extend_exodus_class_list};
pub use error::TrackerError;
pub use matcher::{Detection, MAX_CODE_SAMPLES, NetworkMatch, TrackerMatcher, origin_selected};
