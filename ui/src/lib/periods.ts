// Report periods as the server names them: a day "2026-11-28", an ISO week "2026-W48" or a
// month "2026-11", in the shop's calendar.

/** Do all these periods fall in one year (so the year can be left off the axis)? */
export function sameYear(periods: readonly string[]): boolean {
  const first = periods[0]?.slice(0, 4);
  return periods.every((p) => p.slice(0, 4) === first);
}

/** A short axis label: "11-28" or "W48" within one year; months keep their year. */
export function periodTick(period: string, oneYear: boolean): string {
  if (/^\d{4}-\d{2}$/.test(period)) return period;
  if (oneYear && /^\d{4}-(\d{2}-\d{2}|W\d{2})$/.test(period)) return period.slice(5);
  return period;
}
