// The settings form's values and what PATCH /api/settings is sent from them.
import type { Settings, SettingsPatch } from '../api/types';
import { normalizeUnits } from './categories';
import { normalizeMethods } from './payments';

/** The form's values: the address and phone are edited as text ("" clears them). */
export type SettingsValues = Omit<Settings, 'logo_updated_at' | 'business_address' | 'business_phone'> & {
  business_address?: string | null;
  business_phone?: string | null;
};

/** What PATCH /api/settings is sent: trimmed, an empty address or phone cleared (null), built-in methods by code. */
export function settingsPatch(v: SettingsValues): SettingsPatch {
  return {
    business_name: v.business_name,
    currency_code: v.currency_code.trim().toUpperCase(),
    currency_symbol: v.currency_symbol,
    time_zone: v.time_zone,
    order_number_prefix: v.order_number_prefix,
    default_low_stock_threshold: v.default_low_stock_threshold,
    business_address: v.business_address?.trim() || null,
    business_phone: v.business_phone?.trim() || null,
    show_stock_to_customers: v.show_stock_to_customers,
    payment_methods: normalizeMethods(v.payment_methods),
    units: normalizeUnits(v.units),
    prices_include_tax: v.prices_include_tax,
    default_tax_rate: String(v.default_tax_rate).trim() || '0',
    carriers: v.carriers
      .map((c) => ({ name: c.name.trim(), tracking_url: c.tracking_url?.trim() || null }))
      .filter((c) => c.name),
  };
}
