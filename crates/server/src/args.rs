//! Command lines of `leakscope serve`, `leakscope worker` and
//! `leakscope admin` (clap structs the `leakscope` binary embeds).

use std::net::SocketAddr;

use clap::{Args, Subcommand};

/// Default database: a SQLite file `leakscope.db` in the current directory.
pub const DEFAULT_DB: &str = "sqlite://leakscope.db";
/// Default blob store: the directory `leakscope-blobs/` in the current directory.
pub const DEFAULT_BLOBS: &str = "leakscope-blobs/";

/// Where the data lives (shared by every subcommand).
#[derive(Args, Clone, Debug)]
pub struct StorageArgs {
    /// Database URL: `sqlite://PATH` (created if missing; the default is
    /// `leakscope.db` in the current directory) or `postgres://…`.
    #[arg(long, env = "LEAKSCOPE_DB", default_value = DEFAULT_DB)]
    pub db: String,
    /// Blob store for uploaded apps: a directory (default
    /// `leakscope-blobs/` in the current directory), `file://…` or
    /// `s3://bucket/prefix`.
    #[arg(long, env = "LEAKSCOPE_BLOBS", default_value = DEFAULT_BLOBS)]
    pub blobs: String,
}

/// `leakscope serve`: the fleet server.
#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub storage: StorageArgs,
    /// In-process analysis workers (0: none, for an API-only node; run
    /// `leakscope worker` processes instead).
    #[arg(long, default_value_t = 1)]
    pub workers: usize,
    /// Largest accepted app upload, in MiB.
    #[arg(long, default_value_t = 512)]
    pub max_upload_mb: u64,
    /// Data-flow analysis budget per app: `SECONDS[,MILLION_STEPS]`
    /// (as `leakscope analyze --taint-budget`).
    #[arg(long, default_value = "60,200")]
    pub taint_budget: TaintBudget,
    /// Timeout of one webhook delivery, in seconds.
    #[arg(long, default_value_t = 10)]
    pub webhook_timeout: u64,
}

/// `leakscope worker`: a standalone analysis worker (scale-out); it only
/// runs analysis jobs.
#[derive(Args, Clone, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Jobs analysed at once.
    #[arg(long, default_value_t = 1)]
    pub concurrency: usize,
    /// Data-flow analysis budget per app: `SECONDS[,MILLION_STEPS]`.
    #[arg(long, default_value = "60,200")]
    pub taint_budget: TaintBudget,
}

/// `leakscope admin`: organizations and tokens, straight on the database.
#[derive(Args, Clone, Debug)]
pub struct AdminArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    #[command(subcommand)]
    pub command: AdminCommand,
}

/// What `leakscope admin` manages.
#[derive(Subcommand, Clone, Debug)]
pub enum AdminCommand {
    /// Organizations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

/// `leakscope admin org …`
#[derive(Subcommand, Clone, Debug)]
pub enum OrgCommand {
    /// Creates an organization and prints its admin token (shown once).
    Create {
        /// Its name.
        name: String,
    },
    /// Lists organizations.
    List,
}

/// `leakscope admin token …`
#[derive(Subcommand, Clone, Debug)]
pub enum TokenCommand {
    /// Creates a token and prints it (shown once).
    Create {
        /// The organization's name.
        #[arg(long)]
        org: String,
        /// `admin`, `analyst` or `device`.
        #[arg(long)]
        role: String,
        /// The device a `device` token is bound to.
        #[arg(long)]
        device_id: Option<String>,
        /// A label shown in listings.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Lists an organization's tokens.
    List {
        /// The organization's name.
        #[arg(long)]
        org: String,
    },
    /// Revokes a token.
    Revoke {
        /// The organization's name.
        #[arg(long)]
        org: String,
        /// The token's id (from `token list`).
        id: i64,
    },
}

/// `--taint-budget`: seconds and millions of steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaintBudget {
    secs: u64,
    msteps: u64,
}

impl TaintBudget {
    /// As the analysis' budget.
    pub fn budget(self) -> leakscope_taint::Budget {
        leakscope_taint::Budget {
            time: std::time::Duration::from_secs(self.secs),
            max_steps: self.msteps.saturating_mul(1_000_000),
            implicit_flows: false,
        }
    }
}

impl Default for TaintBudget {
    fn default() -> Self {
        TaintBudget {
            secs: 60,
            msteps: 200,
        }
    }
}

impl std::str::FromStr for TaintBudget {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (secs, steps) = match s.split_once(',') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        let num = |x: &str| {
            x.trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("`{x}` is not a positive whole number"))
        };
        Ok(TaintBudget {
            secs: num(secs)?,
            msteps: steps.map(num).transpose()?.unwrap_or(200),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taint_budget_parses_seconds_and_steps() {
        let b: TaintBudget = "5,10".parse().unwrap();
        assert_eq!(b.budget().max_steps, 10_000_000);
        assert_eq!(b.budget().time.as_secs(), 5);
        assert!("0".parse::<TaintBudget>().is_err());
        assert!("x,1".parse::<TaintBudget>().is_err());
    }
}
