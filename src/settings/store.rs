//! The SQL of settings: a key-value table over the defaults.

use rusqlite::params;

use super::Settings;
use crate::db::Conn;
use crate::error::{AppError, AppResult};

/// The stored settings over the defaults. A stored value that does not parse is an error that
/// names it: the server refuses to start and `check` reports it, rather than quietly using
/// another time zone or threshold than the shop chose.
pub fn load(conn: &Conn) -> AppResult<Settings> {
    let mut settings = Settings::default();
    let mut stmt = conn.prepare_cached("SELECT key, value FROM settings")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, value) = row?;
        match key.as_str() {
            "business_name" => settings.business_name = value,
            "currency_code" => settings.currency_code = value,
            "currency_symbol" => settings.currency_symbol = value,
            "time_zone" => {
                value.parse::<chrono_tz::Tz>().map_err(|_| corrupt(&key, &value))?;
                settings.time_zone = value
            }
            "order_number_prefix" => settings.order_number_prefix = value,
            "business_address" => settings.business_address = Some(value).filter(|v| !v.is_empty()),
            "business_phone" => settings.business_phone = Some(value).filter(|v| !v.is_empty()),
            "show_stock_to_customers" => settings.show_stock_to_customers = value == "true",
            "payment_methods" => {
                settings.payment_methods = serde_json::from_str(&value).map_err(|_| corrupt(&key, &value))?
            }
            "prices_include_tax" => settings.prices_include_tax = value != "false",
            "default_tax_rate" => {
                settings.default_tax_rate = crate::pricing::Percent::parse(&value).map_err(|_| corrupt(&key, &value))?
            }
            "units" => settings.units = serde_json::from_str(&value).map_err(|_| corrupt(&key, &value))?,
            "carriers" => settings.carriers = serde_json::from_str(&value).map_err(|_| corrupt(&key, &value))?,
            "default_low_stock_threshold" => {
                settings.default_low_stock_threshold = value.parse().map_err(|_| corrupt(&key, &value))?
            }
            _ => {}
        }
    }
    settings.logo_updated_at = super::logo::updated_at(conn)?;
    Ok(settings)
}

fn corrupt(key: &str, value: &str) -> AppError {
    AppError::Internal(format!(
        "the setting {key} holds {value:?}, which is not valid; fix it in the settings table"
    ))
}

pub fn save(conn: &Conn, s: &Settings, now: &str) -> AppResult<()> {
    let threshold = s.default_low_stock_threshold.to_string();
    let show = s.show_stock_to_customers.to_string();
    let include_tax = s.prices_include_tax.to_string();
    let tax_rate = s.default_tax_rate.to_string();
    let methods = serde_json::to_string(&s.payment_methods).map_err(AppError::internal)?;
    let carriers = serde_json::to_string(&s.carriers).map_err(AppError::internal)?;
    let units = serde_json::to_string(&s.units).map_err(AppError::internal)?;
    let pairs = [
        ("business_address", s.business_address.as_deref().unwrap_or("")),
        ("business_phone", s.business_phone.as_deref().unwrap_or("")),
        ("show_stock_to_customers", show.as_str()),
        ("payment_methods", methods.as_str()),
        ("carriers", carriers.as_str()),
        ("units", units.as_str()),
        ("prices_include_tax", include_tax.as_str()),
        ("default_tax_rate", tax_rate.as_str()),
        ("business_name", s.business_name.as_str()),
        ("currency_code", s.currency_code.as_str()),
        ("currency_symbol", s.currency_symbol.as_str()),
        ("time_zone", s.time_zone.as_str()),
        ("order_number_prefix", s.order_number_prefix.as_str()),
        ("default_low_stock_threshold", threshold.as_str()),
    ];
    let mut stmt = conn.prepare_cached(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )?;
    for (key, value) in pairs {
        stmt.execute(params![key, value, now])?;
    }
    Ok(())
}
