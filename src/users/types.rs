//! Users, roles and the validated values that describe them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;

/// What a user may do. Ordered by power: a check for `Staff` admits admins too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Staff,
    Admin,
    Superadmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Staff => "staff",
            Role::Admin => "admin",
            Role::Superadmin => "superadmin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "customer" => Some(Role::Customer),
            "staff" => Some(Role::Staff),
            "admin" => Some(Role::Admin),
            "superadmin" => Some(Role::Superadmin),
            _ => None,
        }
    }

    pub fn is_staff(self) -> bool {
        self >= Role::Staff
    }
}

impl rusqlite::types::FromSql for Role {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "role", Role::parse)
    }
}

/// A user as the API shows it (never with the password hash).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub role: Role,
    pub is_active: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// For a customer login: the customer record its orders go to, once linked (or made when
    /// it first ordered).
    pub customer_id: Option<i64>,
}

/// A login name: 3 to 50 letters, digits, `_`, `-`, `.` or `@` (Chinese letters included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// The canonical spelling of a name as typed: NFKC with invisible characters removed
    /// (see `validate::identifier`), so "ａｄｍｉｎ" (fullwidth) is "admin" and a composed "é"
    /// equals "e" + accent. Sign-in looks names up this way too.
    pub fn normalize(raw: &str) -> String {
        crate::validate::identifier(raw)
    }

    /// What makes two names the same account: their UTS #39 skeleton in lower case, so
    /// "аdmin" (Cyrillic а), "ADMIN" and "admin" are one name. Stored as `users.username_key`
    /// under a unique index.
    pub fn key(name: &str) -> String {
        unicode_security::skeleton(&Self::normalize(name).to_lowercase()).collect()
    }

    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let normalized = Self::normalize(raw);
        let name = normalized.as_str();
        let len = name.chars().count();
        if !(3..=50).contains(&len) {
            return Err(AppError::validation("username", "must be 3 to 50 characters"));
        }
        if !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
        {
            return Err(AppError::validation(
                "username",
                "may contain only letters, digits, _ - . @",
            ));
        }
        // One script, or Latin with Chinese, Japanese or Korean (UTS #39 "highly
        // restrictive"): a Cyrillic or Greek letter among Latin ones is a disguise.
        use unicode_security::{RestrictionLevel, RestrictionLevelDetection};
        let letters: String = name.chars().filter(|c| c.is_alphanumeric()).collect();
        if !letters
            .as_str()
            .check_restriction_level(RestrictionLevel::HighlyRestrictive)
        {
            return Err(AppError::validation(
                "username",
                "must not mix alphabets (such as Latin with Cyrillic or Greek letters)",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// bcrypt reads only the first 72 bytes of a password; longer ones are refused rather than
/// silently truncated (the original system crashed on them).
pub const MAX_PASSWORD_BYTES: usize = 72;
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A new password that meets the rules. Passwords given at sign-in are only length-checked.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(field: &str, raw: &str, username: &str) -> Result<Self, AppError> {
        check_password_length(field, raw)?;
        if raw.chars().count() < MIN_PASSWORD_CHARS {
            return Err(AppError::validation(
                field,
                format!("must be at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if raw.eq_ignore_ascii_case(username) {
            return Err(AppError::validation(field, "must not be the same as the username"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

pub fn check_password_length(field: &str, raw: &str) -> Result<(), AppError> {
    if raw.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::validation(
            field,
            format!(
                "is {} bytes long; passwords may be at most {MAX_PASSWORD_BYTES} bytes (a Chinese character takes 3)",
                raw.len()
            ),
        ));
    }
    Ok(())
}
