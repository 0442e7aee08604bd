//! `user`: accounts managed straight in the database, for the first admin or a lost password.

use std::io::{BufRead, IsTerminal};
use std::path::Path;

use anyhow::{Context, bail};
use clap::Subcommand;

use super::data::open_db;
use crate::auth::password::PasswordHasher;
use crate::db::Db;
use crate::users::{self, NewUser, store, types::Role};

#[derive(Subcommand)]
pub enum UserAction {
    /// Create a user; the password is read from stdin, or prompted for on a terminal.
    Create {
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        full_name: Option<String>,
        /// Ask the user to choose their own password at first sign-in.
        #[arg(long)]
        must_change_password: bool,
    },
    /// Set a user's password (read from stdin, or prompted for); ends their sessions.
    SetPassword {
        username: String,
        /// Ask the user to choose their own password at next sign-in.
        #[arg(long)]
        must_change_password: bool,
    },
    /// List all users.
    List,
}

fn parse_role(s: &str) -> Result<Role, String> {
    match Role::parse(s) {
        Some(Role::Superadmin) => Err("superadmin is reserved for the built-in superAdmin account".into()),
        Some(role) => Ok(role),
        None => Err("must be one of admin, staff, customer".into()),
    }
}

pub async fn user(data_dir: &Path, database: Option<&str>, bcrypt_cost: u32, action: UserAction) -> anyhow::Result<()> {
    let hasher = PasswordHasher::new(bcrypt_cost);
    let db = open_db(data_dir, database, &hasher).await?;
    let result = user_action(&db, &hasher, action).await;
    let closing = db.clone();
    tokio::task::spawn_blocking(move || closing.close()).await?;
    result
}

async fn user_action(db: &Db, hasher: &PasswordHasher, action: UserAction) -> anyhow::Result<()> {
    match action {
        UserAction::Create {
            username,
            role,
            email,
            full_name,
            must_change_password,
        } => {
            let password = read_password(&format!("Password for {username}: "))?;
            let input = NewUser {
                username,
                password,
                role,
                email,
                full_name,
                must_change_password: Some(must_change_password),
            };
            let user = users::create(db, hasher, None, input).await?;
            println!(
                "created user {} (id {}, role {})",
                user.username,
                user.id,
                user.role.as_str()
            );
        }
        UserAction::SetPassword {
            username,
            must_change_password,
        } => {
            let name = username.clone();
            let found = db.read(move |conn| store::credentials_by_username(conn, &name)).await?;
            let Some(creds) = found else {
                bail!("no user named {username}")
            };
            let password = read_password(&format!("New password for {username}: "))?;
            users::reset_password(db, hasher, None, creds.id, &password, must_change_password).await?;
            println!("password set for {username}; their existing sessions have ended");
        }
        UserAction::List => {
            let all = db
                .read(|conn| {
                    let paging = crate::http::list::Paging {
                        page: 1,
                        per_page: u32::MAX,
                        search: None,
                        sort: None,
                    };
                    store::list(
                        conn,
                        &store::UserFilter {
                            role: None,
                            is_active: None,
                        },
                        &paging,
                        "id ASC",
                    )
                })
                .await?
                .0;
            println!("{:<6} {:<24} {:<11} {:<8} CREATED", "ID", "USERNAME", "ROLE", "ACTIVE");
            for u in all {
                println!(
                    "{:<6} {:<24} {:<11} {:<8} {}",
                    u.id,
                    u.username,
                    u.role.as_str(),
                    if u.is_active { "yes" } else { "no" },
                    u.created_at
                );
            }
        }
    }
    Ok(())
}

/// A password from a hidden prompt (asked twice) on a terminal, else the first line of stdin.
/// Never from argv, where other users of the machine could read it.
fn read_password(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt)?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!("no password on stdin");
    }
    Ok(password)
}
