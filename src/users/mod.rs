//! User accounts and their rules: roles, the protected superAdmin, passwords.

pub mod routes;
pub mod store;
pub mod types;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::auth::password::PasswordHasher;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::validate::{nullable, optional_text};
use types::{NewPassword, Role, User, Username};

/// The built-in administrator, as in the original system.
pub const SUPERADMIN_USERNAME: &str = "superAdmin";
/// Its first password, which must be changed at the first sign-in.
pub const SUPERADMIN_INITIAL_PASSWORD: &str = "admin123";

/// How the first start went for the built-in administrator.
#[derive(Debug, PartialEq, Eq)]
pub enum Bootstrap {
    /// It exists already and nothing changed.
    Existing,
    /// Created with the well-known first password, to be changed at first sign-in.
    CreatedWithDefault,
    /// It exists and still has the first password (a first start that failed half-way, or a
    /// shop that never signed in): the sign-in hint is shown again.
    StillDefault,
    /// Created (or, while still unchanged, set) with the password given up front.
    SetFromFlag,
}

/// Makes sure the built-in superAdmin exists. With `admin_password`, it gets that password
/// and no must-change step, but only while its first password was never changed by a person.
pub async fn bootstrap(db: &Db, hasher: &PasswordHasher, admin_password: Option<&str>) -> AppResult<Bootstrap> {
    match bootstrap_once(db, hasher, admin_password).await {
        // Another server starting on the same database made the account a moment ago: it
        // exists now, and is treated as any existing one.
        Err(AppError::Conflict {
            code: "username_taken", ..
        }) => bootstrap_once(db, hasher, admin_password).await,
        other => other,
    }
}

async fn bootstrap_once(db: &Db, hasher: &PasswordHasher, admin_password: Option<&str>) -> AppResult<Bootstrap> {
    let existing = db.read(store::find_superadmin).await?;
    let password = match admin_password {
        Some(p) => NewPassword::parse("admin_password", p, SUPERADMIN_USERNAME)?
            .as_str()
            .to_owned(),
        None => SUPERADMIN_INITIAL_PASSWORD.to_owned(),
    };
    match existing {
        // Must-change and never signed in: nobody has used the first password yet.
        Some(user) if user.must_change_password && user.last_login_at.is_none() && admin_password.is_none() => {
            Ok(Bootstrap::StillDefault)
        }
        Some(user) if !(user.must_change_password && admin_password.is_some()) => Ok(Bootstrap::Existing),
        Some(user) => {
            let hash = hasher.hash(&password).await?;
            db.write(move |conn| store::set_password(conn, user.id, &hash, false, &clock::now()))
                .await?;
            Ok(Bootstrap::SetFromFlag)
        }
        None => {
            let hash = hasher.hash(&password).await?;
            let must_change = admin_password.is_none();
            db.write(move |conn| {
                store::insert(
                    conn,
                    &store::NewUserRow {
                        username: SUPERADMIN_USERNAME,
                        email: None,
                        full_name: None,
                        role: Role::Superadmin,
                        password_hash: &hash,
                        must_change_password: must_change,
                        now: &clock::now(),
                    },
                )
            })
            .await?;
            Ok(if must_change {
                Bootstrap::CreatedWithDefault
            } else {
                Bootstrap::SetFromFlag
            })
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub email: Option<String>,
    pub full_name: Option<String>,
    /// Ask the user to choose their own password at first sign-in (default true).
    pub must_change_password: Option<bool>,
}

/// Who is acting: a signed-in user through the API, or the operator at the command line
/// (`None`), who may do anything but create a second superadmin.
pub type Actor<'a> = Option<&'a CurrentUser>;

pub async fn create(db: &Db, hasher: &PasswordHasher, actor: Actor<'_>, input: NewUser) -> AppResult<User> {
    let username = Username::parse(&input.username)?;
    let password = NewPassword::parse("password", &input.password, username.as_str())?;
    let email = optional_text("email", input.email.as_deref(), 200)?;
    let full_name = optional_text("full_name", input.full_name.as_deref(), 100)?;
    check_role_grant(actor, input.role)?;
    let must_change = input.must_change_password.unwrap_or(actor.is_some());
    let hash = hasher.hash(password.as_str()).await?;
    let who = who(actor);
    db.write(move |conn| {
        let now = clock::now();
        let id = store::insert(
            conn,
            &store::NewUserRow {
                username: username.as_str(),
                email: email.as_deref(),
                full_name: full_name.as_deref(),
                role: input.role,
                password_hash: &hash,
                must_change_password: must_change,
                now: &now,
            },
        )?;
        let user = store::get(conn, id)?;
        audit::store::record(conn, &who, &Event::created("user.create", "user", id, &user), &now)?;
        Ok(user)
    })
    .await
}

/// Only the built-in account is superadmin, and only a superadmin hands out the admin role.
fn check_role_grant(actor: Actor<'_>, role: Role) -> AppResult<()> {
    if role == Role::Superadmin {
        return Err(AppError::validation(
            "role",
            "superadmin is reserved for the built-in superAdmin account",
        ));
    }
    if role == Role::Admin && actor.is_some_and(|a| a.role < Role::Superadmin) {
        return Err(AppError::forbidden("only the superadmin can grant the admin role"));
    }
    Ok(())
}

/// May `actor` change `target` at all? The superadmin is changed only by itself; admins
/// only by the superadmin.
fn check_can_manage(actor: Actor<'_>, target: &User) -> AppResult<()> {
    let Some(actor) = actor else { return Ok(()) };
    if actor.id == target.id {
        return Ok(());
    }
    if target.role >= Role::Admin && actor.role < Role::Superadmin {
        return Err(AppError::forbidden(format!(
            "only the superadmin can change the {} account {}",
            target.role.as_str(),
            target.username
        )));
    }
    Ok(())
}

/// What the signed-in admin may do to one account, worked out by the same checks the changes
/// run, so the UI shows only the controls that will work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct UserActions {
    /// Change its email and full name.
    pub edit: bool,
    /// The roles it may be given; empty when its role cannot be changed by this admin.
    pub roles: Vec<Role>,
    /// Disable or enable it.
    pub disable: bool,
    pub reset_password: bool,
    pub delete: bool,
    /// Link it to a customer record (customer logins only).
    pub link_customer: bool,
}

impl UserActions {
    pub fn for_actor(actor: &CurrentUser, target: &User) -> Self {
        let manage = check_can_manage(Some(actor), target).is_ok();
        // One's own role, activity and password go through other doors (or none).
        let others = manage && actor.id != target.id && target.role != Role::Superadmin;
        let roles = [Role::Customer, Role::Staff, Role::Admin]
            .into_iter()
            .filter(|r| others && check_role_grant(Some(actor), *r).is_ok())
            .collect();
        Self {
            edit: manage,
            roles,
            disable: others,
            reset_password: others,
            delete: others,
            link_customer: others && target.role == Role::Customer,
        }
    }
}

/// The signed-in user, with what their role lets them hand out.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Me {
    #[serde(flatten)]
    pub user: User,
    /// The roles this user may give a new account (empty for staff and customers, who manage
    /// no accounts).
    pub grantable_roles: Vec<Role>,
}

impl Me {
    pub fn new(user: User, current: &CurrentUser) -> Self {
        let grantable_roles = match current.role >= Role::Admin {
            true => [Role::Customer, Role::Staff, Role::Admin]
                .into_iter()
                .filter(|r| check_role_grant(Some(current), *r).is_ok())
                .collect(),
            false => Vec::new(),
        };
        Self { user, grantable_roles }
    }
}

/// An account as one admin sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UserView {
    #[serde(flatten)]
    pub user: User,
    pub actions: UserActions,
}

impl UserView {
    pub fn new(user: User, actor: &CurrentUser) -> Self {
        let actions = UserActions::for_actor(actor, &user);
        Self { user, actions }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub full_name: Option<Option<String>>,
    pub role: Option<Role>,
    /// false disables the account: its tokens stop working at once.
    pub is_active: Option<bool>,
    /// A customer login only: the customer record its orders go to (null unlinks it). A record
    /// made for the login when it first ordered is folded into the one linked here.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub customer_id: Option<Option<i64>>,
}

pub async fn update(db: &Db, actor: Actor<'_>, id: i64, patch: UserPatch) -> AppResult<User> {
    let email = patch
        .email
        .map(|e| optional_text("email", e.as_deref(), 200))
        .transpose()?;
    let full_name = patch
        .full_name
        .map(|n| optional_text("full_name", n.as_deref(), 100))
        .transpose()?;
    let who = who(actor);
    let actor = actor.cloned();
    db.write(move |conn| {
        let before = store::get(conn, id)?;
        let mut user = before.clone();
        check_can_manage(actor.as_ref(), &user)?;
        if let Some(role) = patch.role.filter(|r| *r != user.role) {
            if user.role == Role::Superadmin {
                return Err(AppError::forbidden("the superAdmin account cannot be demoted"));
            }
            check_role_grant(actor.as_ref(), role)?;
            if actor.as_ref().is_some_and(|a| a.id == id) {
                return Err(AppError::conflict(
                    "own_account",
                    "you cannot change your own role",
                    serde_json::json!({}),
                ));
            }
            user.role = role;
        }
        if let Some(active) = patch.is_active.filter(|a| *a != user.is_active) {
            if user.role == Role::Superadmin {
                return Err(AppError::forbidden("the superAdmin account cannot be disabled"));
            }
            if actor.as_ref().is_some_and(|a| a.id == id) {
                return Err(AppError::conflict(
                    "own_account",
                    "you cannot disable your own account",
                    serde_json::json!({}),
                ));
            }
            user.is_active = active;
        }
        if let Some(email) = &email {
            user.email.clone_from(email);
        }
        if let Some(full_name) = &full_name {
            user.full_name.clone_from(full_name);
        }
        let now = clock::now();
        store::update(conn, &user, &now)?;
        if let Some(customer) = patch.customer_id {
            if user.role != Role::Customer {
                return Err(AppError::validation(
                    "customer_id",
                    "only a customer login can be linked to a customer",
                ));
            }
            crate::customers::link_login(conn, &who, id, customer, &now)?;
        }
        if before.is_active && !user.is_active {
            // For good: re-enabling the account later must not revive these sessions.
            store::end_sessions(conn, id)?;
        }
        let after = store::get(conn, id)?;
        audit::store::record(
            conn,
            &who,
            &Event::changed("user.update", "user", id, &before, &after),
            &now,
        )?;
        Ok(after)
    })
    .await
}

/// Sets another user's password (an admin's reset, or the operator's at the command line).
/// Through the API the superAdmin's password is never reset: it changes it itself.
pub async fn reset_password(
    db: &Db,
    hasher: &PasswordHasher,
    actor: Actor<'_>,
    id: i64,
    password: &str,
    must_change: bool,
) -> AppResult<User> {
    let target = db.read(move |conn| store::get(conn, id)).await?;
    check_can_manage(actor, &target)?;
    if actor.is_some_and(|a| a.id == id) {
        // Changing one's own password asks for the current one, at POST /api/auth/password.
        return Err(AppError::conflict(
            "own_account",
            "change your own password under your account, with your current password",
            serde_json::json!({}),
        ));
    }
    if actor.is_some() && target.role == Role::Superadmin {
        return Err(AppError::forbidden(
            "the superAdmin password can only be changed by superAdmin (POST /api/auth/password)",
        ));
    }
    let password = NewPassword::parse("password", password, &target.username)?;
    let hash = hasher.hash(password.as_str()).await?;
    let who = who(actor);
    db.write(move |conn| {
        let now = clock::now();
        store::set_password(conn, id, &hash, must_change, &now)?;
        let event = Event {
            action: "user.password_reset",
            entity_type: "user",
            entity_id: Some(id),
            before: None,
            after: Some(serde_json::json!({ "must_change_password": must_change }).to_string()),
        };
        audit::store::record(conn, &who, &event, &now)?;
        store::get(conn, id)
    })
    .await
}

pub async fn delete(db: &Db, actor: Actor<'_>, id: i64) -> AppResult<()> {
    let who = who(actor);
    let actor = actor.cloned();
    db.write(move |conn| {
        let user = store::get(conn, id)?;
        if user.role == Role::Superadmin {
            return Err(AppError::forbidden("the superAdmin account cannot be deleted"));
        }
        check_can_manage(actor.as_ref(), &user)?;
        if actor.as_ref().is_some_and(|a| a.id == id) {
            return Err(AppError::conflict(
                "own_account",
                "you cannot delete your own account",
                serde_json::json!({}),
            ));
        }
        store::delete(conn, id)?;
        audit::store::record(
            conn,
            &who,
            &Event::deleted("user.delete", "user", id, &user),
            &clock::now(),
        )
    })
    .await
}

/// The audit identity of an actor; the command line acts as "(command line)".
fn who(actor: Actor<'_>) -> Who {
    actor.map(Who::from).unwrap_or_else(Who::command_line)
}
