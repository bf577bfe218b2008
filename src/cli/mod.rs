//! The `tessera` command line, one module per command family: serve, user, client, keys, and export/import.
//! Commands that change data work against the same database as the server, also while it runs (SQLite WAL + busy
//! timeout). Every rule a registration must follow lives in the domain, not here.

mod admin;
mod audit;
mod clients;
mod enrolment;
mod groups;
mod keys;
mod logging;
mod open;
mod registration;
mod resources;
mod serve;
mod transfer;
mod users;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Settings;
pub use clients::ClientCommand;
pub use groups::GroupCommand;
pub use keys::KeysCommand;
pub use registration::RegistrationCommand;
pub use resources::ResourceCommand;
pub use users::UserCommand;

#[derive(Debug, Parser)]
#[command(name = "tessera", version, about = "An OAuth 2.0 / OpenID Connect authorization server")]
pub struct Cli {
    /// TOML configuration file (keys as in the README; TESSERA_* variables override it).
    #[arg(long, global = true, env = "TESSERA_CONFIG")]
    pub config: Option<PathBuf>,
    /// Do not say on stderr which database the command uses.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the server (the default).
    Serve,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage clients (relying parties).
    #[command(subcommand)]
    Client(Box<ClientCommand>),
    /// Manage APIs as resources (RFC 8707): access token audiences and their scopes.
    #[command(subcommand)]
    Resource(ResourceCommand),
    /// Manage signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Write users, clients, consents and signing keys as JSON lines (to move to another backend).
    Export {
        /// Output file, created with mode 0600 (it holds password hashes and private keys); default: stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Read an export into this (empty) database.
    Import {
        /// The export file; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
    /// Manage groups of users (the `groups` claim, and clients restricted to groups).
    #[command(subcommand)]
    Group(GroupCommand),
    /// Administration: admin API keys.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Dynamic client registration (RFC 7591): initial access tokens.
    #[command(subcommand)]
    Registration(RegistrationCommand),
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    open::set_quiet(cli.quiet);
    let loaded = Settings::load(cli.config.as_deref())?;
    logging::init(&loaded.settings.log_format);
    if let Some(warning) = loaded.ignored_env_warning() {
        tracing::warn!("{warning}");
    }
    // A loud one (marked `!!!`) is a warning for every command; the rest say how a default was completed, which
    // only the server's start log needs.
    let serving = matches!(cli.command, None | Some(Command::Serve));
    for note in &loaded.warnings {
        if note.starts_with("!!!") {
            tracing::warn!("{note}");
        } else if serving {
            tracing::info!("{note}");
        }
    }
    let config_file = loaded.config_file.clone();
    let settings = loaded.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::serve(settings, config_file),
        Command::Migrate => {
            open::create_db(&settings)?;
            println!("database at {} is up to date", settings.database_display());
            Ok(())
        }
        Command::User(cmd) => users::run(&settings, cmd),
        Command::Client(cmd) => clients::run(&settings, *cmd),
        Command::Resource(cmd) => resources::run(&settings, cmd),
        Command::Keys(cmd) => keys::run(&settings, cmd),
        Command::Export { output } => transfer::export(&settings, output),
        Command::Import { file } => transfer::import(&settings, file),
        Command::Group(cmd) => groups::run(&settings, cmd),
        Command::Admin(cmd) => admin::run(&settings, cmd),
        Command::Registration(cmd) => registration::run(&settings, cmd),
    }
}
