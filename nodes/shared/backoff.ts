// The one backoff policy of the project: how long to wait before trying again, for a Gemini
// call, a Google Tasks call and a failed queue command alike.
//
// Retry n (1-based) waits an exponential step, base·2^(n-1) capped at max, with equal jitter:
// half the step is fixed, half random. The fixed half keeps a retry from coming back at once;
// the random half spreads the retries of a burst. What each caller does with a server's own
// hint (Retry-After) stays the caller's: it is part of that caller's bounds.

import { RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } from './constants';

export interface BackoffBounds {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** A failed command comes back after 5 s, 10 s, 20 s … at most 30 min. */
export const COMMAND_BACKOFF: BackoffBounds = { baseDelayMs: RETRY_BASE_DELAY_MS, maxDelayMs: RETRY_MAX_DELAY_MS };
/** Within one Gemini call (its time budget decides when to give the failure back to the queue). */
export const GEMINI_CALL_BACKOFF: BackoffBounds = { baseDelayMs: 1_000, maxDelayMs: 8_000 };
/** Within one Google Tasks call. */
export const TASKS_CALL_BACKOFF: BackoffBounds = { baseDelayMs: 250, maxDelayMs: 8_000 };

/** The exponential step before retry n (1-based): base·2^(n-1), capped at max. */
export function backoffStepMs(bounds: BackoffBounds, retry: number): number {
  return Math.min(bounds.maxDelayMs, bounds.baseDelayMs * 2 ** (Math.max(1, retry) - 1));
}

/** Equal jitter as a factor of the step: 0.5 + random/2, for a random number in [0, 1]. */
export function jitterFactor(random: number): number {
  return 0.5 + random / 2;
}

/** The wait before retry n (1-based), in whole milliseconds. */
export function backoffDelayMs(bounds: BackoffBounds, retry: number, random: number): number {
  return Math.round(backoffStepMs(bounds, retry) * jitterFactor(random));
}
