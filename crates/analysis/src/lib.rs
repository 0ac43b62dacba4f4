//! leakscope's evidence passes over an app's code.
//!
//! - [`apis`]: one linear pass over every code item of every DEX file that
//!   reports each call, static field read, content URI, intent action and
//!   system service of the sensitive-API catalog, at its call site.
//! - [`attribution`]: whose code a class is: the app's own, a named SDK, or
//!   an unknown third party.
//! - [`endpoints`]: hosts and IPs in code strings, resources, configuration
//!   files and native libraries, with owners and countries.
//! - [`permissions`]: requested permissions and whether code uses them.
//! - [`analyze`] runs them all and assembles the [`leakscope_model::Report`].

#![deny(missing_docs)]

pub mod apis;
pub mod attribution;
pub mod endpoints;
pub mod flows;
pub mod permissions;
mod report;

pub use endpoints::EndpointOptions;
pub use report::{AnalyzeOptions, analyze};
