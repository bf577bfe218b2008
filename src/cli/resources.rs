//! `tessera resource …`: APIs as resources (RFC 8707). A resource is an access token's audience and owns its
//! scopes: a client asks for it with the `resource` parameter, and its tokens carry only its scopes.

use anyhow::{Context, bail};
use clap::Subcommand;
use serde::Serialize;

use super::clients::parse_enabled_alg;
use super::open::{now, open_db};
use crate::config::Settings;
use crate::domain::{Resource, ResourceId, Scope, SigningAlg};
use crate::storage::ResourceStore;

#[derive(Debug, Subcommand)]
pub enum ResourceCommand {
    /// Register an API.
    Add {
        /// The resource indicator: an absolute URI without fragment or query, e.g. https://api.example.com.
        #[arg(long)]
        id: String,
        /// Its scopes, space-separated; a scope belongs to one resource only.
        #[arg(long, default_value = "")]
        scope: String,
        /// Its access tokens' lifetime, when shorter than the client's or the server's.
        #[arg(long)]
        access_token_ttl_secs: Option<i64>,
        /// The algorithm of its access tokens: RS256, PS256, ES256 or EdDSA, one of the server's signing_algs
        /// (default: the first of them).
        #[arg(long)]
        access_token_signed_response_alg: Option<String>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change an API's scopes or token lifetime (only what is given).
    Update {
        id: String,
        /// Replaces its scopes.
        #[arg(long)]
        scope: Option<String>,
        #[arg(long)]
        access_token_ttl_secs: Option<i64>,
        /// Its tokens live as long as the client's or the server's again.
        #[arg(long)]
        clear_access_token_ttl: bool,
        /// The algorithm of its access tokens (one of signing_algs); empty: the server's first again.
        #[arg(long)]
        access_token_signed_response_alg: Option<String>,
    },
    /// List APIs.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one API.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove an API. Its tokens stop being accepted by introspection; grants made for it cannot refresh.
    Remove { id: String },
}

#[derive(Serialize)]
struct ResourceView<'a> {
    id: &'a str,
    scope: String,
    access_token_ttl_secs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token_signed_response_alg: Option<&'static str>,
}

fn view(resource: &Resource) -> ResourceView<'_> {
    ResourceView {
        id: resource.id.as_str(),
        scope: resource.scope.to_string(),
        access_token_ttl_secs: resource.access_token_ttl_secs,
        access_token_signed_response_alg: resource.access_token_signed_response_alg.map(SigningAlg::as_str),
    }
}

fn print(resource: &Resource, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(&view(resource))?);
    } else {
        println!("resource:          {}", resource.id);
        println!("scope:             {}", resource.scope);
        let ttl = resource.access_token_ttl_secs.map_or("client's or server's".to_owned(), |t| format!("{t} s"));
        println!("access_token_ttl:  {ttl}");
        if let Some(alg) = resource.access_token_signed_response_alg {
            println!("access_token_alg:  {alg}");
        }
    }
    Ok(())
}

fn find(db: &impl ResourceStore, id: &str) -> anyhow::Result<Resource> {
    db.list_resources()?.into_iter().find(|r| r.id.as_str() == id).with_context(|| format!("no resource {id:?}"))
}

pub fn run(settings: &Settings, cmd: ResourceCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    match cmd {
        ResourceCommand::Add { id, scope, access_token_ttl_secs, access_token_signed_response_alg, json } => {
            let alg = access_token_signed_response_alg.as_deref().unwrap_or_default();
            let resource = Resource {
                id: ResourceId::parse(&id)?,
                scope: Scope::parse_list(&scope)?,
                access_token_ttl_secs,
                access_token_signed_response_alg: parse_enabled_alg(alg, settings)?,
            };
            db.register_resource(&resource, now())?;
            print(&resource, json)?;
        }
        ResourceCommand::Update {
            id,
            scope,
            access_token_ttl_secs,
            clear_access_token_ttl,
            access_token_signed_response_alg,
        } => {
            let mut resource = find(&db, &id)?;
            if let Some(scope) = scope {
                resource.scope = Scope::parse_list(&scope)?;
            }
            if access_token_ttl_secs.is_some() {
                resource.access_token_ttl_secs = access_token_ttl_secs;
            }
            if clear_access_token_ttl {
                resource.access_token_ttl_secs = None;
            }
            if let Some(alg) = &access_token_signed_response_alg {
                resource.access_token_signed_response_alg = parse_enabled_alg(alg, settings)?;
            }
            if !db.update_resource(&resource)? {
                bail!("no resource {id:?}");
            }
            print(&resource, false)?;
        }
        ResourceCommand::List { json } => {
            let resources = db.list_resources()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&resources.iter().map(view).collect::<Vec<_>>())?);
            } else {
                println!("{:<40} {:<12} SCOPE", "RESOURCE", "TOKEN TTL");
                for r in &resources {
                    let ttl = r.access_token_ttl_secs.map_or("-".to_owned(), |t| format!("{t} s"));
                    println!("{:<40} {:<12} {}", r.id, ttl, r.scope);
                }
            }
        }
        ResourceCommand::Show { id, json } => print(&find(&db, &id)?, json)?,
        ResourceCommand::Remove { id } => {
            if !db.remove_resource(&id)? {
                bail!("no resource {id:?}");
            }
            println!("removed resource {id}");
        }
    }
    Ok(())
}
