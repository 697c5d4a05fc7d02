// Settings shared by both Gemini steps.
import { InputError } from '../errors';
import type { Failure } from '../outcome';
import { THINKING_LEVELS } from './adapter';
import type { GeminiThinkingLevel } from './adapter';

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

// Default models and settings per step; the README says which Gemini API pages (and when)
// this choice rests on. Both are stable Gemini 3 Flash-Lite models that take thinking levels.
/** Intent: a classification, so the cheapest current model at minimal thinking. */
export const DEFAULT_INTENT_MODEL = 'gemini-3.1-flash-lite';
/** Planner: short structuring with date reasoning, so the newer Flash-Lite at low thinking. */
export const DEFAULT_PLANNER_MODEL = 'gemini-3.5-flash-lite';
export const DEFAULT_INTENT_THINKING: GeminiThinkingLevel = 'MINIMAL';
export const DEFAULT_PLANNER_THINKING: GeminiThinkingLevel = 'LOW';
/** The temperatures the steps used before sampling became opt-in; still the option's defaults. */
export const DEFAULT_INTENT_TEMPERATURE = 0.1;
export const DEFAULT_PLANNER_TEMPERATURE = 0.3;

/** "modelDefault" (or empty) sends no thinking level; a level is matched case-insensitively. */
export function parseThinkingLevel(value: unknown): GeminiThinkingLevel | null {
  const text = String(value ?? '').trim().toUpperCase();
  if (!text || text === 'MODELDEFAULT') return null;
  if ((THINKING_LEVELS as readonly string[]).includes(text)) return text as GeminiThinkingLevel;
  throw new InputError(`Unknown thinking level "${String(value)}"`, `Use one of ${THINKING_LEVELS.map((l) => l.toLowerCase()).join(', ')} or modelDefault.`);
}
