// Settings shared by both Gemini steps.
import type { Failure } from '../outcome';

/** off: Gemini only. whenUnavailable: local rules if Gemini is not configured, busy or out of quota. always: local rules only. */
export const FALLBACK_MODES = ['off', 'whenUnavailable', 'always'] as const;
export type FallbackMode = (typeof FALLBACK_MODES)[number];

/** Failures after which whenUnavailable switches to the local rules instead of queueing the command. */
export function fallbackCovers(failure: Failure): boolean {
  return ['quota_exhausted', 'rate_limited', 'unavailable'].includes(failure.kind);
}
