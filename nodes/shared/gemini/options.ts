// Settings shared by both Gemini steps.
import { InputError } from '../errors';
import type { Failure } from '../outcome';

/** off: Gemini only. whenUnavailable: local rules if Gemini is not configured, busy or out of quota. always: local rules only. */
export const FALLBACK_MODES = ['off', 'whenUnavailable', 'always'] as const;
export type FallbackMode = (typeof FALLBACK_MODES)[number];

/** Failures after which whenUnavailable switches to the local rules instead of queueing the command. */
export function fallbackCovers(failure: Failure): boolean {
  return ['quota_exhausted', 'rate_limited', 'unavailable'].includes(failure.kind);
}

export const CREDENTIAL_HINT = 'Select a "Google Gemini(PaLM) Api" credential (API key and host) on this node, or set "Offline Fallback" to "Always".';

/**
 * The one decision for a Gemini step without a usable credential (none selected, unreadable,
 * or without an API key): with a fallback it runs on the local rules, with the fallback off it
 * is a setup error, always in these words.
 */
export function assertRunsWithoutCredential(fallback: FallbackMode, reason: string): void {
  if (fallback === 'whenUnavailable' || fallback === 'always') return;
  throw new InputError(`No usable Gemini credential: ${reason}`, CREDENTIAL_HINT);
}
