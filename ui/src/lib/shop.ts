import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsApi } from '../api/admin';
import type { Settings } from '../api/types';
import { formatDateTime } from './format';
import { moneyFormatter } from './money';
import type { MoneyFormatter } from './money';

export const SETTINGS_KEY = ['settings'] as const;

/** The shop's settings (every signed-in user may read them). */
export function useSettings() {
  return useQuery({ queryKey: SETTINGS_KEY, queryFn: ({ signal }) => settingsApi.get(signal), staleTime: 300_000 });
}

/** Formats money with the shop's currency symbol, in the UI language (no symbol until settings load). */
export function useMoney(): MoneyFormatter {
  const { i18n } = useTranslation();
  const { data } = useSettings();
  const symbol = data?.currency_symbol ?? '';
  return useMemo(() => moneyFormatter(i18n.language, symbol), [i18n.language, symbol]);
}

/** The shop's currency symbol (settings.currency_symbol), e.g. for a price field's prefix. */
export function useCurrencySymbol(): string {
  return useSettings().data?.currency_symbol ?? '';
}

/** Formats RFC 3339 times in the shop's time zone. */
export function useDateTime(): (iso: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const { data } = useSettings();
  const tz = data?.time_zone;
  return useMemo(() => (iso) => formatDateTime(iso, i18n.language, tz), [i18n.language, tz]);
}

export type { Settings };
