//! `tessera group …`: groups of users, released as the `groups` claim and used by a client's `--allowed-groups`.

use anyhow::{Context, bail};
use clap::Subcommand;

use super::audit::{audit, cli_event};
use super::open::{now, open_db};
use crate::config::Settings;
use crate::domain::group::parse_description;
use crate::domain::{Group, GroupName};
use crate::storage::{Database, GroupStore, MembershipChange};

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Add a group (without members).
    Add {
        name: String,
        /// What the group is for (one line).
        #[arg(long)]
        description: Option<String>,
    },
    /// List groups with their member counts.
    List {
        /// Print a JSON array (for scripts).
        #[arg(long)]
        json: bool,
    },
    /// Show a group and its members.
    Show {
        name: String,
        /// Print JSON (for scripts).
        #[arg(long)]
        json: bool,
    },
    /// Remove a group (its members stay users; clients restricted to it lose it from their allowed groups' matches).
    Remove { name: String },
    /// Make a user a member of a group.
    AddMember { name: String, username: String },
    /// Take a user out of a group (their next token or refresh no longer carries it).
    RemoveMember { name: String, username: String },
}

/// One group as `group list --json` and `group show --json` print it.
#[derive(serde::Serialize)]
struct GroupView<'a> {
    name: &'a str,
    description: Option<&'a str>,
    created_at: i64,
    members: &'a [String],
}

impl<'a> GroupView<'a> {
    fn of(g: &'a Group) -> GroupView<'a> {
        GroupView {
            name: g.name.as_str(),
            description: g.description.as_deref(),
            created_at: g.created_at,
            members: &g.members,
        }
    }
}

/// Says what a membership change did, or fails with what was missing.
fn membership(
    change: MembershipChange,
    group: &str,
    username: &str,
    done: &str,
    unchanged: &str,
) -> anyhow::Result<()> {
    match change {
        MembershipChange::Done => println!("{done}"),
        MembershipChange::Unchanged => println!("{unchanged}"),
        MembershipChange::NoSuchGroup => bail!("no group {group:?}"),
        MembershipChange::NoSuchUser => bail!("no user {username:?}"),
    }
    Ok(())
}

/// Adds `username` to `group`, creating the group first if it does not exist (`tessera user add --admin`).
pub fn ensure_member(db: &Database, group: &GroupName, username: &str) -> anyhow::Result<()> {
    if db.find_group(group.as_str())?.is_none() {
        db.add_group(group, None, now())?;
    }
    match db.add_member(group.as_str(), username, now())? {
        MembershipChange::NoSuchUser => bail!("no user {username:?}"),
        MembershipChange::NoSuchGroup => bail!("no group {:?}", group.as_str()),
        MembershipChange::Done | MembershipChange::Unchanged => Ok(()),
    }
}

pub fn run(settings: &Settings, cmd: GroupCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    match cmd {
        GroupCommand::Add { name, description } => {
            let name = GroupName::parse(&name)?;
            let description = description.as_deref().map(parse_description).transpose()?.flatten();
            db.add_group(&name, description.as_deref(), now())?;
            audit(&db, cli_event("group_added").with("group", name.as_str()));
            println!("added group {name}");
        }
        GroupCommand::List { json } => {
            let groups = db.list_groups()?;
            if json {
                let views: Vec<GroupView<'_>> = groups.iter().map(GroupView::of).collect();
                println!("{}", serde_json::to_string_pretty(&views)?);
            } else {
                println!("{:<32} {:>7}  DESCRIPTION", "GROUP", "MEMBERS");
                for g in &groups {
                    println!("{:<32} {:>7}  {}", g.name, g.members.len(), g.description.as_deref().unwrap_or_default());
                }
            }
        }
        GroupCommand::Show { name, json } => {
            let group = db.find_group(&name)?.with_context(|| format!("no group {name:?}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&GroupView::of(&group))?);
            } else {
                println!("name:        {}", group.name);
                if let Some(description) = &group.description {
                    println!("description: {description}");
                }
                println!(
                    "members:     {}",
                    if group.members.is_empty() { "(none)".to_owned() } else { group.members.join(" ") }
                );
            }
        }
        GroupCommand::Remove { name } => {
            if !db.remove_group(&name)? {
                bail!("no group {name:?}");
            }
            audit(&db, cli_event("group_removed").with("group", &name));
            println!("removed group {name}");
        }
        GroupCommand::AddMember { name, username } => {
            let change = db.add_member(&name, &username, now())?;
            if change == MembershipChange::Done {
                audit(&db, cli_event("group_member_added").with("group", &name).with("username", &username));
            }
            let done = format!("added {username} to {name}");
            membership(change, &name, &username, &done, &format!("{username} is already in {name}"))?;
        }
        GroupCommand::RemoveMember { name, username } => {
            let change = db.remove_member(&name, &username)?;
            if change == MembershipChange::Done {
                audit(&db, cli_event("group_member_removed").with("group", &name).with("username", &username));
            }
            let done = format!("removed {username} from {name}");
            membership(change, &name, &username, &done, &format!("{username} was not in {name}"))?;
        }
    }
    Ok(())
}
