// While a backup is restored, the server answers every API request with 503 and a
// Retry-After header. The client (client.ts) then waits that long and asks again instead of
// failing; this store tells the app, so it shows a "please wait" banner rather than errors,
// and refreshes every view once the server answers again (see MaintenanceBanner.tsx).

export interface MaintenanceState {
  /** The wait the server asked for last, in seconds. */
  retryAfterSeconds: number;
  /** When the first 503 came (ms since the epoch). */
  since: number;
}

let state: MaintenanceState | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of [...listeners]) listener();
}

/** The maintenance the server is in, or null when it is serving. */
export function getMaintenance(): MaintenanceState | null {
  return state;
}

/** Calls `listener` whenever maintenance starts, changes or ends; returns the unsubscribe. */
export function subscribeMaintenance(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** A request got 503 with Retry-After. */
export function enterMaintenance(retryAfterSeconds: number, now = Date.now()): void {
  if (state?.retryAfterSeconds === retryAfterSeconds) return;
  state = { retryAfterSeconds, since: state?.since ?? now };
  emit();
}

/** A request got any other answer: the server is serving again. */
export function leaveMaintenance(): void {
  if (state === null) return;
  state = null;
  emit();
}

/** The longest wait the client accepts from one Retry-After. */
export const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * The seconds a Retry-After header asks for (delta-seconds or an HTTP date), between 1 and
 * MAX_RETRY_AFTER_SECONDS; null without a usable header.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  const v = value?.trim();
  if (!v) return null;
  let seconds: number;
  if (/^\d+$/.test(v)) {
    seconds = Number(v);
  } else {
    // An HTTP date ("Sat, 28 Nov 2026 06:00:07 GMT"); anything else is not understood.
    if (!/^[A-Za-z]{3}, /.test(v)) return null;
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    seconds = Math.ceil((at - now) / 1000);
  }
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
}
