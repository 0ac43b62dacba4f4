//! Renders a leakscope [`Report`](leakscope_model::Report) for people and for tools:
//!
//! - [`sarif()`] / [`sarif_many`]: a SARIF 2.1.0 log (a `serde_json::Value`)
//!   for code-scanning services and CI. The mapping from the report to SARIF
//!   results is documented in the [`sarif`](mod@sarif) module.
//! - [`html`]: one self-contained HTML page (inline CSS and SVG, no script,
//!   nothing fetched from the network) that puts the verdict and its reasons
//!   first, then the evidence: data categories, flows, destinations on a
//!   world map, trackers, permissions, endpoints and warnings.
//!
//! Both renderers take any report, including one without an assessment,
//! policy decision or taint analysis (those parts are then shown as "not
//! assessed"). Every string that comes from the analysed app is treated as
//! hostile: the HTML escapes it, and SARIF URIs are percent-encoded.
//!
//! ```
//! let report = leakscope_model::Report::default();
//! let log = leakscope_render::sarif(&report);
//! assert_eq!(log["version"], "2.1.0");
//! let page = leakscope_render::html(&report);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! ```

#![deny(missing_docs)]

mod html;
mod labels;
mod pointer;
pub mod sarif;

pub use html::html;
pub use sarif::{MAX_RESULTS_PER_API, sarif, sarif_many};
