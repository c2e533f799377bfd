//! Command-line surface: parsing and dispatch. Only this layer wires the server and the
//! client/TUI together.

mod app;
mod client_cmds;
pub mod failure;
mod language;
mod mail;
mod migrate;
mod output;
mod paths;
mod portal_store;
mod prompt;
mod serve;
mod ssh;
mod staff;

use clap::{Parser, Subcommand};
use deskport::server::mail_in::imap::ImapSource;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// deskport: a terminal help desk and customer portal.
#[derive(Debug, Parser)]
#[command(name = "deskport", version, about, after_help = failure::EXIT_CODES)]
pub struct Cli {
    /// What to do; without a command, opens the terminal app.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Sign straight in as this account (on the embedded demo server: any demo email).
    #[arg(long, global = false)]
    pub user: Option<String>,
    /// Use this portal server (e.g. http://127.0.0.1:7878) instead of the configured or embedded one.
    #[arg(long)]
    pub server: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the portal API server.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:7878")]
        listen: SocketAddr,
        /// Where the database and the mail folder live (default: the user data dir's `server/`).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Seed the demo portal into an empty data dir.
        #[arg(long)]
        demo: bool,
        /// How many demo tickets to generate (with --demo).
        #[arg(long, default_value_t = deskport::server::demo::DEFAULT_TICKETS)]
        demo_tickets: usize,
        /// Send mail through this SMTP server instead of writing .eml files: smtp://host:port
        /// (STARTTLS) or smtps://host:port (TLS); sign in with DESKPORT_SMTP_USER and
        /// DESKPORT_SMTP_PASSWORD from the environment.
        #[arg(long)]
        smtp: Option<String>,
        /// Also take mail by SMTP on this address (e.g. 127.0.0.1:2525): replies to ticket mail
        /// and new mail to the support address at the portal's reply domain.
        #[arg(long)]
        smtp_listen: Option<SocketAddr>,
        /// Also take mail from this mailbox: imaps://USER@HOST[:PORT]/MAILBOX (TLS) or
        /// imap://… (STARTTLS); password from DESKPORT_IMAP_PASSWORD, an extra CA certificate
        /// (PEM) from DESKPORT_IMAP_CA_FILE. Unread mail is taken and marked read.
        #[arg(long, value_name = "URL")]
        imap: Option<String>,
        /// Seconds between looks at the --imap mailbox; where its server has IDLE, new mail is
        /// taken as it arrives and this is the longest wait.
        #[arg(long, value_name = "SECONDS", default_value_t = deskport::server::mail_in::imap::DEFAULT_POLL.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
        imap_poll: u64,
        /// Keep the portal in this PostgreSQL database (postgres://USER@HOST:PORT/DB; password
        /// from the URL or PGPASSWORD; `?sslmode=require` for TLS) instead of the SQLite file
        /// in the data dir, which still holds mail and logs.
        #[arg(long, env = "DESKPORT_DATABASE_URL", hide_env_values = true)]
        database: Option<String>,
        /// The address of a reverse proxy in front of the server (e.g. 127.0.0.1 for nginx on
        /// this host): on its requests rate limits count the client address it puts last in
        /// X-Forwarded-For; without it every client behind the proxy shares its address.
        #[arg(long, value_name = "ADDRESS")]
        trust_proxy: Option<std::net::IpAddr>,
        /// Also serve the app itself over SSH on this address (e.g. 0.0.0.0:2222): users sign
        /// in with their portal email and password and need nothing but `ssh`.
        #[arg(long, value_name = "ADDRESS")]
        ssh: Option<SocketAddr>,
        /// The SSH host key (OpenSSH format, 0600); made on first start when missing
        /// (default: ssh_host_ed25519_key in the data dir).
        #[arg(long, value_name = "FILE", requires = "ssh")]
        ssh_host_key: Option<PathBuf>,
    },
    /// Signs in to a portal server (with a password, or a code it emails) and stores the session.
    Login(client_cmds::Login),
    /// Brings the local cache up to date and prints what changed.
    Sync,
    /// Lists the tickets you may see.
    Tickets {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Read the cache only; do not contact the server.
        #[arg(long)]
        offline: bool,
    },
    /// Shows or changes portal settings (changing needs an admin).
    Portal {
        /// The portal action.
        #[command(subcommand)]
        action: PortalAction,
    },
    /// Lists, adds or removes saved replies (staff): the shared ones and your own.
    Replies {
        /// The saved-reply action.
        #[command(subcommand)]
        action: RepliesAction,
    },
    /// Manages staff accounts directly in a server's data dir.
    Staff {
        /// The staff action.
        #[command(subcommand)]
        action: staff::StaffAction,
    },
    /// Copies a portal from its SQLite data dir into an empty PostgreSQL database, ids, change
    /// log and code key included; then serve it with `deskport serve --database URL`.
    Migrate(migrate::Migrate),
    /// Shows the mail queue and the quarantine of a server's data dir or database.
    Mail {
        /// The mail action.
        #[command(subcommand)]
        action: mail::MailAction,
    },
}

/// `deskport portal` actions.
#[derive(Debug, Subcommand)]
pub enum PortalAction {
    /// Prints the settings and the connected domains.
    Show,
    /// Sets one setting, e.g. `set ticket-permission company`, `set name "Acme Support"`.
    #[command(after_help = client_cmds::SET_HELP)]
    Set {
        /// Setting name.
        key: String,
        /// New value.
        value: String,
    },
    /// Connects or removes a domain the portal can be served on (admins).
    Domain {
        /// The domain action.
        #[command(subcommand)]
        action: DomainAction,
    },
}

/// `deskport replies` actions.
#[derive(Debug, Subcommand)]
pub enum RepliesAction {
    /// Prints the saved replies you may use (shared and your own).
    List,
    /// Saves a reply, e.g. `add "Refund" "Hi {first_name}, …"`; placeholders: {first_name},
    /// {ticket_number}, {subject}, {agent_name}, {portal_url}.
    Add {
        /// What the composer's picker lists and searches.
        title: String,
        /// The text; `-` reads it from standard input.
        body: String,
        /// Share it with the whole team (admins only).
        #[arg(long)]
        shared: bool,
    },
    /// Deletes a saved reply (yours, or a shared one as an admin).
    Rm {
        /// The reply's id, as `replies list` prints it.
        id: i64,
    },
}

/// `deskport portal domain` actions.
#[derive(Debug, Subcommand)]
pub enum DomainAction {
    /// Connects a domain, e.g. `add help.acme.test --language en`; then `portal set domain`
    /// serves the portal on it.
    Add {
        /// Host name, e.g. help.acme.test.
        host: String,
        /// The language the portal is shown in on this domain.
        #[arg(long, default_value = "en")]
        language: String,
    },
    /// Removes a connected domain (not the one the portal is served on).
    Rm {
        /// Host name.
        host: String,
    },
}

/// Runs the parsed command line. Words (and the server's messages) start in the
/// environment's language (`LC_ALL`, `LC_MESSAGES`, `LANG`); a command on a session then
/// speaks its user's ([`language::speak_for`]) and the app may change it once it runs.
pub async fn run(cli: Cli) -> color_eyre::Result<()> {
    language::speak_for_anyone();
    match cli.command {
        Some(Command::Serve {
            listen,
            data_dir,
            demo,
            demo_tickets,
            smtp,
            smtp_listen,
            imap,
            imap_poll,
            database,
            trust_proxy,
            ssh,
            ssh_host_key,
        }) => {
            let config = deskport::server::ServerConfig {
                data_dir: data_dir.unwrap_or_else(paths::server_data_dir),
                demo,
                demo_tickets,
                smtp,
                database,
                trusted_proxy: trust_proxy,
            };
            let imap = imap
                .map(|url| ImapSource::from_env(&url, Duration::from_secs(imap_poll)))
                .transpose()?;
            let ssh = ssh.map(|listen| ssh::SshOptions {
                listen,
                host_key: ssh_host_key,
            });
            serve::run(listen, smtp_listen, imap, ssh, config).await
        }
        Some(Command::Staff { action }) => staff::run(action).await,
        Some(Command::Mail { action }) => mail::run(action).await,
        Some(Command::Migrate(args)) => migrate::run(args).await,
        Some(Command::Login(args)) => client_cmds::login(args).await,
        Some(Command::Sync) => client_cmds::sync().await,
        Some(Command::Tickets { json, offline }) => client_cmds::tickets(json, offline).await,
        Some(Command::Portal {
            action: PortalAction::Show,
        }) => client_cmds::portal_show().await,
        Some(Command::Portal {
            action: PortalAction::Set { key, value },
        }) => client_cmds::portal_set(&key, &value).await,
        Some(Command::Portal {
            action:
                PortalAction::Domain {
                    action: DomainAction::Add { host, language },
                },
        }) => client_cmds::domain_add(&host, &language).await,
        Some(Command::Portal {
            action:
                PortalAction::Domain {
                    action: DomainAction::Rm { host },
                },
        }) => client_cmds::domain_rm(&host).await,
        Some(Command::Replies { action }) => match action {
            RepliesAction::List => client_cmds::replies_list().await,
            RepliesAction::Add {
                title,
                body,
                shared,
            } => client_cmds::replies_add(title, body, shared).await,
            RepliesAction::Rm { id } => client_cmds::replies_rm(id).await,
        },
        None => app::run(cli.user, cli.server).await,
    }
}
