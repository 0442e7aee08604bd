// The days a report covers, as the API takes them (YYYY-MM-DD, both included, in the shop's
// time zone). Without a choice: the last 30 days, today included, like the server's default.
import { isIsoDate } from './dates';

export const DEFAULT_DAYS = 30;

export interface DayRange {
  from: string;
  to: string;
}

/** Today's date in a time zone (the browser's when it is unknown to this browser). */
export function todayIn(timeZone?: string, now: Date = new Date()): string {
  const opts: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { ...opts, timeZone }).formatToParts(now);
  } catch {
    parts = new Intl.DateTimeFormat('en-US', opts).formatToParts(now);
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The day an RFC 3339 time fell on in a time zone, as YYYY-MM-DD (the text itself if unreadable). */
export function dayIn(iso: string, timeZone?: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : todayIn(timeZone, at);
}

/** "2026-11-28" plus n days (n may be negative). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The last n days, today included. */
export function lastDays(n: number, today: string): DayRange {
  return { from: addDays(today, 1 - n), to: today };
}

export function thisMonth(today: string): DayRange {
  return { from: `${today.slice(0, 8)}01`, to: today };
}

export function lastMonth(today: string): DayRange {
  const to = addDays(`${today.slice(0, 8)}01`, -1);
  return { from: `${to.slice(0, 8)}01`, to };
}

export function thisYear(today: string): DayRange {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/**
 * The range asked for in the URL when it makes sense; otherwise the last 30 days (ending on
 * the one day given, if only the end is).
 */
export function reportRange(from: string | undefined, to: string | undefined, today: string): DayRange {
  const f = isIsoDate(from) ? from : undefined;
  const t = isIsoDate(to) ? to : undefined;
  if (f && t) return f <= t ? { from: f, to: t } : { from: t, to: f };
  if (t) return lastDays(DEFAULT_DAYS, t);
  if (f) return f <= today ? { from: f, to: today } : { from: f, to: f };
  return lastDays(DEFAULT_DAYS, today);
}
