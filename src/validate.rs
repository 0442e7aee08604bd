//! Checks on free text shared by every capability.

use crate::error::AppError;

/// A required text field: trimmed, not empty, at most `max` characters.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(AppError::validation(field, "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(AppError::validation(field, format!("must be at most {max} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(AppError::validation(field, "must not contain control characters"));
    }
    Ok(text.to_owned())
}

/// An optional text field: trimmed, empty means none, at most `max` characters. Line breaks
/// are allowed (notes, addresses); other control characters are not.
pub fn optional_text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(AppError::validation(field, format!("must be at most {max} characters")));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::validation(field, "must not contain control characters"));
    }
    Ok(Some(text.to_owned()))
}

/// For PATCH bodies: tells "absent" (None) from "null" (Some(None)). Use with
/// `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}
