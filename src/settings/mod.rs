//! Business settings: the shop's name, currency, time zone, order-number prefix and default
//! low-stock threshold. Stored in the database, kept validated in memory for every request.

pub mod logo;
pub mod routes;
pub mod store;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::pricing::Percent;
use crate::shipping::types::{Carrier, default_carriers, validate_carriers};
use crate::validate::{nullable, optional_text, required_text};

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Settings {
    pub business_name: String,
    /// ISO 4217 code, e.g. CNY.
    pub currency_code: String,
    /// e.g. ¥
    pub currency_symbol: String,
    /// IANA time zone name; business days, reports and exports use it.
    pub time_zone: String,
    /// Order numbers look like PREFIX-20261128-0007.
    pub order_number_prefix: String,
    /// Stock below this is low, for products without a threshold of their own.
    pub default_low_stock_threshold: i64,
    /// The shop's address and phone, printed on its documents.
    pub business_address: Option<String>,
    pub business_phone: Option<String>,
    /// Whether customers see how many of a product are in stock, and its SKU; otherwise only
    /// "in stock" or "out of stock".
    pub show_stock_to_customers: bool,
    /// When the logo (GET /api/settings/logo) last changed; none without a logo. Changed
    /// through the logo routes, not by PATCH.
    pub logo_updated_at: Option<String>,
    /// How customers pay, in the order the desk offers them. The built-in ones are codes the
    /// UI translates (cash, wechat, alipay, bank_transfer, card, on_account); a shop adds its
    /// own by name. A payment keeps the method it was recorded with, even if it is removed.
    pub payment_methods: Vec<String>,
    /// Whether the prices of products include tax (the usual case in China: 含税价). When
    /// they do, an order's tax is the part of its total that is tax; when not, it is added.
    pub prices_include_tax: bool,
    /// The tax rate of products without a rate of their own, e.g. "13"; "0" for a shop that
    /// does not show tax (a small-scale taxpayer).
    pub default_tax_rate: Percent,
    /// The carriers the shop ships with, in the order the desk offers them, each with its
    /// tracking page; a shipment keeps the carrier's name even if it is removed.
    pub carriers: Vec<Carrier>,
    /// The units products are sold by (件, 箱, 袋, kg...), in the order the product form offers
    /// them. A product keeps its unit even if it is removed from the list.
    pub units: Vec<String>,
}

/// The methods a new shop starts with: 现金, 微信, 支付宝, 银行转账, 刷卡, 挂账.
pub const DEFAULT_PAYMENT_METHODS: [&str; 6] = ["cash", "wechat", "alipay", "bank_transfer", "card", "on_account"];
const MAX_PAYMENT_METHODS: usize = 30;
/// The units a new shop starts with.
pub const DEFAULT_UNITS: [&str; 12] = ["件", "个", "箱", "袋", "瓶", "包", "盒", "支", "台", "kg", "斤", "米"];
const MAX_UNITS: usize = 50;

impl Default for Settings {
    fn default() -> Self {
        Self {
            business_name: "我的小店".into(),
            currency_code: "CNY".into(),
            currency_symbol: "¥".into(),
            time_zone: "Asia/Shanghai".into(),
            order_number_prefix: "SO".into(),
            default_low_stock_threshold: 10,
            business_address: None,
            business_phone: None,
            show_stock_to_customers: false,
            logo_updated_at: None,
            payment_methods: DEFAULT_PAYMENT_METHODS.iter().map(|m| (*m).to_owned()).collect(),
            prices_include_tax: true,
            default_tax_rate: Percent::ZERO,
            carriers: default_carriers(),
            units: DEFAULT_UNITS.iter().map(|u| (*u).to_owned()).collect(),
        }
    }
}

impl Settings {
    pub fn tz(&self) -> Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai)
    }

    /// Applies a change, validating every field given.
    pub fn apply(&self, patch: SettingsPatch) -> Result<Settings, AppError> {
        let mut next = self.clone();
        if let Some(name) = patch.business_name {
            next.business_name = required_text("business_name", &name, 100)?;
        }
        if let Some(code) = patch.currency_code {
            let code = code.trim().to_uppercase();
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(AppError::validation(
                    "currency_code",
                    "must be a 3-letter ISO 4217 code such as CNY",
                ));
            }
            next.currency_code = code;
        }
        if let Some(symbol) = patch.currency_symbol {
            next.currency_symbol = required_text("currency_symbol", &symbol, 8)?;
        }
        if let Some(zone) = patch.time_zone {
            let zone = zone.trim();
            if zone.parse::<Tz>().is_err() {
                return Err(AppError::validation(
                    "time_zone",
                    "must be an IANA time zone such as Asia/Shanghai",
                ));
            }
            next.time_zone = zone.to_owned();
        }
        if let Some(prefix) = patch.order_number_prefix {
            let prefix = prefix.trim();
            if !(1..=10).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(AppError::validation(
                    "order_number_prefix",
                    "must be 1 to 10 letters or digits",
                ));
            }
            next.order_number_prefix = prefix.to_owned();
        }
        if let Some(threshold) = patch.default_low_stock_threshold {
            if !(0..=1_000_000).contains(&threshold) {
                return Err(AppError::validation(
                    "default_low_stock_threshold",
                    "must be between 0 and 1000000",
                ));
            }
            next.default_low_stock_threshold = threshold;
        }
        if let Some(address) = patch.business_address {
            next.business_address = optional_text("business_address", address.as_deref(), 300)?;
        }
        if let Some(phone) = patch.business_phone {
            next.business_phone = crate::customers::types::parse_phone(phone.as_deref())
                .map_err(|_| AppError::validation("business_phone", "may contain only digits, spaces and + - ( )"))?;
        }
        if let Some(show) = patch.show_stock_to_customers {
            next.show_stock_to_customers = show;
        }
        if let Some(methods) = patch.payment_methods {
            next.payment_methods = name_list("payment_methods", &methods, MAX_PAYMENT_METHODS, 30)?;
        }
        if let Some(include) = patch.prices_include_tax {
            next.prices_include_tax = include;
        }
        if let Some(rate) = patch.default_tax_rate {
            next.default_tax_rate = rate;
        }
        if let Some(carriers) = patch.carriers {
            next.carriers = validate_carriers(carriers)?;
        }
        if let Some(units) = patch.units {
            next.units = name_list("units", &units, MAX_UNITS, crate::products::types::MAX_UNIT_CHARS)?;
        }
        Ok(next)
    }
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub business_name: Option<String>,
    pub currency_code: Option<String>,
    pub currency_symbol: Option<String>,
    pub time_zone: Option<String>,
    pub order_number_prefix: Option<String>,
    pub default_low_stock_threshold: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub business_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub business_phone: Option<Option<String>>,
    pub show_stock_to_customers: Option<bool>,
    /// The whole list, replacing the old one.
    pub payment_methods: Option<Vec<String>>,
    pub prices_include_tax: Option<bool>,
    pub default_tax_rate: Option<Percent>,
    /// The whole list, replacing the old one.
    pub carriers: Option<Vec<Carrier>>,
    /// The whole list, replacing the old one.
    pub units: Option<Vec<String>>,
}

/// A list of names the desk offers (payment methods, units): 1 to `max` names of up to
/// `max_chars` characters, no two alike without regard to case.
fn name_list(field: &str, raw: &[String], max: usize, max_chars: usize) -> Result<Vec<String>, AppError> {
    if raw.is_empty() || raw.len() > max {
        return Err(AppError::validation(field, format!("must list 1 to {max} names")));
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, m) in raw.iter().enumerate() {
        let m = required_text(&format!("{field}[{i}]"), m, max_chars)?;
        if out.iter().any(|o| o.to_lowercase() == m.to_lowercase()) {
            return Err(AppError::validation(
                format!("{field}[{i}]"),
                format!("{m:?} is listed twice"),
            ));
        }
        out.push(m);
    }
    Ok(out)
}

/// The settings every request reads; replaced whole after each committed change.
///
/// Changes are numbered in the writer, in commit order, so that two changes whose answers
/// arrive out of order still leave the newest settings in memory.
#[derive(Clone, Default)]
pub struct SharedSettings {
    current: Arc<RwLock<(u64, Arc<Settings>)>>,
    versions: Arc<AtomicU64>,
}

impl SharedSettings {
    pub fn new(settings: Settings) -> Self {
        Self {
            current: Arc::new(RwLock::new((0, Arc::new(settings)))),
            versions: Arc::new(AtomicU64::new(0)),
        }
    }

    pub fn get(&self) -> Arc<Settings> {
        self.current.read().map(|s| s.1.clone()).unwrap_or_default()
    }

    /// The version of the settings in effect; it changes with every committed change.
    pub fn version(&self) -> u64 {
        self.current.read().map(|s| s.0).unwrap_or_default()
    }

    /// Called inside the writer for each change, so numbers follow commit order.
    pub fn next_version(&self) -> u64 {
        self.versions.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// After another process committed: the settings as `load` reads them now. The version is
    /// taken before reading, so a change this process commits meanwhile (numbered later) wins;
    /// if it was numbered earlier but committed after the read, the watcher sees that commit
    /// too and reloads again.
    pub fn reload(&self, load: impl FnOnce() -> Result<Settings, AppError>) {
        let version = self.next_version();
        match load() {
            Ok(settings) if settings != *self.get() => self.set(settings, version),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "cannot reload the settings changed by another process"),
        }
    }

    pub fn set(&self, settings: Settings, version: u64) {
        if let Ok(mut current) = self.current.write()
            && version > current.0
        {
            *current = (version, Arc::new(settings));
        }
    }
}
