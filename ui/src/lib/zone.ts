// Wall clocks in the shop's time zone with nothing but Intl: what the shop's clock shows at
// an instant, and the instant one of its wall-clock times names. The backups list (a file
// name's stamp) and the payment form (when the money changed hands) both need it.

/** A time as a clock on the wall shows it; month 1..12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
};

/** Whether this browser knows the zone. */
export function isKnownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** What the zone's clock showed at an instant (the browser's zone when the zone is unknown). */
export function wallClockIn(at: Date, timeZone?: string): WallClock {
  const zone = timeZone && isKnownZone(timeZone) ? timeZone : undefined;
  const parts = new Intl.DateTimeFormat('en-US', { ...PARTS, timeZone: zone }).formatToParts(at);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour') % 24, minute: n('minute'), second: n('second') };
}

/** A wall-clock time read as if it were UTC, in milliseconds. */
export const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds: 8 h for Asia/Shanghai. */
export function offsetAt(utcMs: number, timeZone?: string): number {
  return asUtc(wallClockIn(new Date(utcMs), timeZone)) - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant a wall-clock time in the shop's zone names, as RFC 3339 in UTC (what the
 * server takes as paid_at). A time a clock change skips is taken with the offset before it.
 */
export function zonedToRfc3339(w: WallClock, timeZone?: string): string {
  const guess = asUtc(w);
  let at = guess - offsetAt(guess, timeZone);
  const again = guess - offsetAt(at, timeZone);
  if (again !== at && asUtc(wallClockIn(new Date(again), timeZone)) === guess) at = again;
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
