//! `leakscope admin`: organizations and tokens, straight on the database.

use anyhow::{Context, bail};
use leakscope_store::{Role, Store};

use crate::args::{AdminArgs, AdminCommand, OrgCommand, TokenCommand};
use crate::timefmt::rfc3339;

/// Runs one admin command.
pub async fn run(args: AdminArgs) -> anyhow::Result<()> {
    let store = Store::open(&args.storage.db, &args.storage.blobs)
        .await
        .with_context(|| format!("cannot open the database {}", args.storage.db))?;
    match args.command {
        AdminCommand::Org(OrgCommand::Create { name }) => {
            if name.trim().is_empty() || name.len() > 128 {
                bail!("an organization name has 1 to 128 characters");
            }
            let org = store.create_org(&name).await.with_context(|| {
                format!("cannot create organization `{name}` (does it exist already?)")
            })?;
            let (_, secret) = store
                .create_token(org.id, Role::Admin, None, "initial admin")
                .await?;
            eprintln!("created organization `{}` (id {})", org.name, org.id);
            eprintln!("its admin token (shown only now):");
            println!("{secret}");
        }
        AdminCommand::Org(OrgCommand::List) => {
            for o in store.orgs().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    o.id,
                    o.name,
                    rfc3339(o.created_at),
                    o.webhook_url.as_deref().unwrap_or("-")
                );
            }
        }
        AdminCommand::Token(TokenCommand::Create {
            org,
            role,
            device_id,
            label,
        }) => {
            let org = org_id(&store, &org).await?;
            let role: Role = role
                .parse()
                .map_err(|_| anyhow::anyhow!("--role must be admin, analyst or device"))?;
            if (role == Role::Device) != device_id.is_some() {
                bail!("--device-id is required for, and only for, --role device");
            }
            if let Some(d) = &device_id {
                crate::validate::device_id(d).map_err(|e| anyhow::anyhow!(e.message))?;
            }
            let (t, secret) = store
                .create_token(org, role, device_id.as_deref(), &label)
                .await?;
            eprintln!(
                "created token {} ({}); shown only now:",
                t.id,
                role.as_str()
            );
            println!("{secret}");
        }
        AdminCommand::Token(TokenCommand::List { org }) => {
            let org = org_id(&store, &org).await?;
            for t in store.tokens(org).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}{}",
                    t.id,
                    t.role.as_str(),
                    t.device_id.as_deref().unwrap_or("-"),
                    t.label,
                    rfc3339(t.created_at),
                    if t.revoked { "\trevoked" } else { "" }
                );
            }
        }
        AdminCommand::Token(TokenCommand::Revoke { org, id }) => {
            let org = org_id(&store, &org).await?;
            if !store.revoke_token(org, id).await? {
                bail!("no token {id} in this organization");
            }
            eprintln!("revoked token {id} (servers stop accepting it within seconds)");
        }
    }
    Ok(())
}

async fn org_id(store: &Store, name: &str) -> anyhow::Result<i64> {
    Ok(store
        .org_by_name(name)
        .await?
        .with_context(|| format!("no organization named `{name}`"))?
        .id)
}
