//! The leakscope fleet server.
//!
//! Organizations' MDMs report which apps each device has; the server analyses
//! each app once (by SHA-256), applies each organization's policy and answers
//! which apps to block on which devices. Several organizations share one
//! server; every org-scoped read and write goes through the caller's token's
//! organization.
//!
//! - [`args`]: the `serve`, `worker` and `admin` command lines the `leakscope`
//!   binary embeds, and [`run_serve`], [`run_worker`], [`run_admin`].
//! - [`serve`]: the HTTP server (API under `/api/v1`, `/metrics`, OpenAPI,
//!   embedded dashboard), in-process analysis workers and webhook delivery.
//!
//! The HTTP contract (paths, JSON shapes, error codes) is served as
//! OpenAPI 3.1 at `GET /api/openapi.json`; tests live in `tests/`.

mod admin;
mod analysis;
pub mod args;
mod assets;
mod auth;
mod error;
mod evaluate;
mod index;
mod inventory;
mod metrics;
mod openapi;
mod routes;
mod run;
mod signers;
mod state;
mod summary;
mod timefmt;
mod validate;
mod webhooks;

pub use args::{AdminArgs, AdminCommand, OrgCommand, ServeArgs, TokenCommand, WorkerArgs};
pub use run::{ServeConfig, run_admin, run_serve, run_worker, serve, serve_on};
pub use webhooks::signature;
