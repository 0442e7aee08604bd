//! Ship-to addresses, carriers and shipments.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::customers::types::parse_phone;
use crate::error::{AppError, AppResult};
use crate::validate::{optional_text, phone_digits};

/// Where an order goes (收货人): a name, a phone and a Chinese address in its usual parts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipTo {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// 省, 市, 区/县.
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub district: Option<String>,
    /// Street, building and room (详细地址).
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub postcode: Option<String>,
}

impl ShipTo {
    /// Checks every part: lengths, a phone of digits and + - ( ), a postcode of up to 10
    /// letters and digits. Blank parts are left out.
    pub fn validated(self) -> AppResult<Self> {
        let field = |name: &str| format!("ship_to.{name}");
        let text = |name: &str, v: Option<&str>, max| optional_text(&field(name), v, max);
        let postcode = text("postcode", self.postcode.as_deref(), 10)?;
        if let Some(p) = &postcode
            && !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
        {
            return Err(AppError::validation(
                field("postcode"),
                "may contain only letters and digits",
            ));
        }
        Ok(Self {
            name: text("name", self.name.as_deref(), 50)?,
            phone: parse_phone(self.phone.as_deref()).map_err(|e| e.with_field(field("phone")))?,
            province: text("province", self.province.as_deref(), 30)?,
            city: text("city", self.city.as_deref(), 30)?,
            district: text("district", self.district.as_deref(), 30)?,
            street: text("street", self.street.as_deref(), 200)?,
            postcode,
        })
    }

    /// The phone's digits, for search.
    pub fn phone_digits(&self) -> Option<String> {
        self.phone.as_deref().and_then(phone_digits)
    }

    /// The address on one line, as a courier's label or a CSV cell wants it.
    pub fn address_line(&self) -> String {
        [&self.province, &self.city, &self.district, &self.street]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A carrier the shop ships with, and where its tracking page is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Carrier {
    pub name: String,
    /// The tracking page of a parcel, with `{tracking}` where its tracking number goes.
    #[serde(default)]
    pub tracking_url: Option<String>,
}

/// The carriers a new shop starts with, each linked to its page on kuaidi100 (快递100), which
/// tracks every one of them under one address.
pub fn default_carriers() -> Vec<Carrier> {
    [
        ("顺丰 SF Express", "shunfeng"),
        ("中通 ZTO", "zhongtong"),
        ("圆通 YTO", "yuantong"),
        ("韵达 Yunda", "yunda"),
        ("申通 STO", "shentong"),
        ("京东物流 JD", "jd"),
        ("极兔 J&T", "jtexpress"),
        ("中国邮政 EMS", "ems"),
    ]
    .into_iter()
    .map(|(name, code)| Carrier {
        name: name.to_owned(),
        tracking_url: Some(format!("https://www.kuaidi100.com/chaxun?com={code}&nu={{tracking}}")),
    })
    .collect()
}

const MAX_CARRIERS: usize = 30;

/// A list of carriers: 0 to 30, names of up to 30 characters, no two alike, tracking pages
/// that are https addresses with a `{tracking}` in them.
pub fn validate_carriers(raw: Vec<Carrier>) -> AppResult<Vec<Carrier>> {
    if raw.len() > MAX_CARRIERS {
        return Err(AppError::validation(
            "carriers",
            format!("must list at most {MAX_CARRIERS} carriers"),
        ));
    }
    let mut out: Vec<Carrier> = Vec::with_capacity(raw.len());
    for (i, c) in raw.into_iter().enumerate() {
        let name = crate::validate::required_text(&format!("carriers[{i}].name"), &c.name, 30)?;
        if out.iter().any(|o| o.name.to_lowercase() == name.to_lowercase()) {
            return Err(AppError::validation(
                format!("carriers[{i}].name"),
                format!("{name:?} is listed twice"),
            ));
        }
        let url = optional_text(&format!("carriers[{i}].tracking_url"), c.tracking_url.as_deref(), 300)?;
        if let Some(u) = &url
            && (!u.starts_with("https://") || !u.contains("{tracking}"))
        {
            return Err(AppError::validation(
                format!("carriers[{i}].tracking_url"),
                "must be an https:// address with {tracking} where the tracking number goes",
            ));
        }
        out.push(Carrier {
            name,
            tracking_url: url,
        });
    }
    Ok(out)
}

/// One parcel that went out.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Shipment {
    pub id: i64,
    pub order_id: i64,
    pub carrier: Option<String>,
    /// 运单号.
    pub tracking_number: Option<String>,
    pub note: Option<String>,
    pub shipped_at: String,
    /// Who shipped it, as they were called then (empty for orders shipped before shipments
    /// were recorded).
    pub shipped_by: String,
    pub lines: Vec<ShipmentLine>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ShipmentLine {
    pub order_item_id: i64,
    pub product_name: String,
    pub sku: String,
    pub quantity: i64,
}

/// Lines and how many of each to ship.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineQuantity {
    pub order_item_id: i64,
    pub quantity: i64,
}

/// A parcel to record. Without `lines`, everything still to ship goes in it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShipment {
    /// One of the shop's carriers (settings).
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub note: Option<String>,
    pub lines: Option<Vec<LineQuantity>>,
}

/// A tracking number as scanned or typed: letters, digits and dashes (upper-cased), 4 to 40 of
/// them. Full-width characters from a Chinese keyboard are read as their ASCII forms.
pub fn parse_tracking_number(raw: Option<&str>) -> AppResult<Option<String>> {
    let Some(raw) = raw else { return Ok(None) };
    let folded: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .collect::<String>()
        .to_uppercase();
    if folded.is_empty() {
        return Ok(None);
    }
    if !(4..=40).contains(&folded.len()) || !folded.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(AppError::validation(
            "tracking_number",
            "must be 4 to 40 letters, digits or dashes",
        ));
    }
    Ok(Some(folded))
}

/// A shipment as the day's list for the courier shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ShipmentRow {
    pub id: i64,
    pub shipped_at: String,
    pub order_id: i64,
    pub order_number: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub ship_to: ShipTo,
    /// What is in the parcel: "金龙鱼 5L × 2; ...".
    pub contents: String,
    pub shipped_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_numbers_are_folded_and_checked() {
        assert_eq!(
            parse_tracking_number(Some(" sf1234-５６ ")).unwrap().as_deref(),
            Some("SF1234-56")
        );
        assert_eq!(parse_tracking_number(Some("  ")).unwrap(), None);
        assert!(parse_tracking_number(Some("SF 123")).is_err());
        assert!(parse_tracking_number(Some("12")).is_err());
    }

    #[test]
    fn carriers_need_https_pages_with_a_place_for_the_number() {
        let c = |url: &str| Carrier {
            name: "X".into(),
            tracking_url: Some(url.into()),
        };
        assert!(validate_carriers(vec![c("http://x/{tracking}")]).is_err());
        assert!(validate_carriers(vec![c("https://x/")]).is_err());
        assert!(validate_carriers(vec![c("https://x/?n={tracking}")]).is_ok());
        assert!(validate_carriers(default_carriers()).is_ok());
    }
}
